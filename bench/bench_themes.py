"""Benchmark of the theme clustering.

1. Quality, mean ± sd over seeds, in one run against plain LSA + KMeans (``jieba.lcut`` tokens,
   ``TfidfVectorizer``, TruncatedSVD with k and with 100 components -- the better of the two is
   shown -- unit length, KMeans) and the older baseline without LSA, on:

   * ``csl``: CSL abstracts (public corpus, Apache-2.0, ``bench/corpora/csl_2000.tsv``): title +
     abstract of the disciplines with at least 40 papers (15 disciplines, 767 texts) -- generic
     Chinese text nobody here wrote;
   * ``gaps``: the hand-written gap sentences of ``tests/text/data/polarity_sentences.yaml`` with
     one gap competency, competencies with at least 5 sentences (gap comments, default settings);
   * ``jobs``: ``bench/corpora/job_requirements.tsv`` (320 sentences written by the project).

   Then the automatic number of themes on each: the choice, its score and the warnings.
2. Speed: fitting ``SkillGapClusterer`` on ``--n`` synthetic employer comments (default
   200,000) assembled from the planted clauses of the shipped sample.

Run::

    python bench/bench_themes.py            # both parts
    python bench/bench_themes.py --skip-speed
    python bench/bench_themes.py --n 20000   # a quicker speed check
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpora" / "job_requirements.tsv"
SEPARATORS = ["，", "；", "。", " ", ",", "、", "！", "~ ", "。另外", "，还有"]


def load_corpus(path=CORPUS) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


def corpora() -> dict:
    """name → (texts, labels, SkillGapClusterer keyword arguments)."""
    import yaml

    out = {}
    df = pd.read_csv(HERE / "corpora" / "csl_2000.tsv", sep="\t", dtype=str, quoting=3)
    top = df["discipline"].value_counts()
    d = df[df["discipline"].isin(top[top >= 40].index)].reset_index(drop=True)
    out["csl"] = ((d["title"] + "。" + d["abstract"]).tolist(), d["discipline"].tolist(),
                  {"only_gaps": False, "unit": "comment"})
    items = yaml.safe_load((ROOT / "tests" / "text" / "data" / "polarity_sentences.yaml").read_text(
        encoding="utf-8"))["sentences"]
    gaps = [it for it in items if it["category"].startswith("gap")
            and len([e for e in it["expect"] if e[1] == "gap"]) == 1]
    y = [next(e[0] for e in it["expect"] if e[1] == "gap") for it in gaps]
    keep = set(pd.Series(y).value_counts().loc[lambda c: c >= 5].index)
    out["gaps"] = ([it["text"] for it, c in zip(gaps, y) if c in keep], [c for c in y if c in keep],
                   {"unit": "comment"})
    jr = load_corpus()
    out["jobs"] = (jr["sentence"].tolist(), jr["label"].tolist(), {"only_gaps": False, "unit": "comment"})
    return out


def jieba_tokens(text):
    import jieba

    return [t for t in jieba.lcut(text) if t.strip() and not all(not c.isalnum() for c in t)]


def baseline_labels(texts, k, seed, n_components=None):
    """TF-IDF + KMeans (``n_components=None``) or plain LSA + KMeans."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import Normalizer

    X = TfidfVectorizer(tokenizer=jieba_tokens, token_pattern=None, lowercase=False).fit_transform(texts)
    if n_components is not None:
        X = Normalizer().fit_transform(TruncatedSVD(min(n_components, X.shape[1] - 1),
                                                    random_state=seed).fit_transform(X))
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)


def ours_labels(texts, k, seed, **kw):
    from survey_analysis.gaps import SkillGapClusterer

    m = SkillGapClusterer(n_themes=k, min_similarity=0, random_state=seed, **kw).fit(texts)
    return m.labels_, m


def quality(seeds=(0, 1, 2, 3, 4)):
    from sklearn.metrics import adjusted_rand_score as ari
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from survey_analysis.gaps import SkillGapClusterer

    for name, (texts, y, kw) in corpora().items():
        k = len(set(y))
        rows = {"SkillGapClusterer": [], "LSA + KMeans (best of k, 100 components)": [],
                "TF-IDF + KMeans (no LSA)": []}
        t0 = time.perf_counter()
        for seed in seeds:
            lab, _ = ours_labels(texts, k, seed, **kw)
            rows["SkillGapClusterer"].append((ari(y, lab), nmi(y, lab)))
            lsa = [baseline_labels(texts, k, seed, n) for n in (k, 100)]
            lsa = max(lsa, key=lambda lb: ari(y, lb))
            rows["LSA + KMeans (best of k, 100 components)"].append((ari(y, lsa), nmi(y, lsa)))
            b = baseline_labels(texts, k, seed)
            rows["TF-IDF + KMeans (no LSA)"].append((ari(y, b), nmi(y, b)))
        print(f"\n{name}: {len(texts)} texts, {k} classes, seeds {list(seeds)} "
              f"({time.perf_counter() - t0:.1f} s)")
        print(f"  {'method':<44}{'ARI':>16}{'NMI':>16}")
        for method, vals in rows.items():
            v = np.array(vals)
            print(f"  {method:<44}{v[:, 0].mean():>9.3f} ± {v[:, 0].std():.3f}"
                  f"{v[:, 1].mean():>9.3f} ± {v[:, 1].std():.3f}")
        m = SkillGapClusterer(random_state=0, **kw).fit(texts)
        ch = m.k_scores_[m.k_scores_["chosen"]].iloc[0]
        lab = m.labels_
        print(f"  automatic k (range 2–30): {m.n_themes_} (score {ch['score']:.3f} = silhouette "
              f"{ch['silhouette']:.3f} × stability {ch['stability']:.3f}); ARI {ari(y, lab):.3f}, "
              f"NMI {nmi(y, lab):.3f}")
        for w in m.selection_warnings_:
            print(f"    warning: {w}")
        print("  labels:", " | ".join(m.themes_["label"].head(8)))


def synthetic_comments(n, seed=0) -> list[str]:
    """``n`` employer-style comments: 1-4 planted clauses of the sample joined by random separators."""
    from survey_analysis.datasets import sample_paths

    truth = pd.read_csv(sample_paths()["employer_comment_truth"])
    clauses = truth["clause"].astype(str).unique()
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4], size=n, p=[0.35, 0.35, 0.2, 0.1])
    picks = rng.integers(0, len(clauses), size=int(sizes.sum()))
    seps = rng.integers(0, len(SEPARATORS), size=int(sizes.sum()))
    out, pos = [], 0
    for s in sizes:
        parts = [clauses[picks[pos + j]] + (SEPARATORS[seps[pos + j]] if j < s - 1 else "")
                 for j in range(s)]
        out.append("".join(parts))
        pos += s
    # like real exports: a share of empty and "无" answers
    blank = rng.random(n) < 0.15
    return [("无" if rng.random() < 0.5 else "") if b else t for t, b in zip(out, blank)]


def speed(n):
    from survey_analysis.gaps import SkillGapClusterer

    texts = synthetic_comments(n)
    print(f"\n速度：{n:,} 条合成评论（不同文本 {len(set(texts)):,} 条），默认参数（分句、只保留不足、自动选 k）")
    t0, c0 = time.perf_counter(), time.process_time()
    m = SkillGapClusterer(random_state=0).fit(texts)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"用时 {dt:.1f} 秒（CPU 时间 {cpu:.1f} 秒；目标 < 30 秒）；{len(m.units_):,} 个分句，{m.n_themes_} 个主题，"
          f"未归类 {m.themes_.attrs['unassigned']:,}")
    return dt


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=200_000, help="speed test size (default 200000)")
    p.add_argument("--skip-speed", action="store_true")
    p.add_argument("--skip-quality", action="store_true")
    args = p.parse_args(argv)
    if not args.skip_quality:
        quality()
    if not args.skip_speed:
        speed(args.n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
