"""Benchmark of the theme clustering.

1. Quality on a labelled corpus of job-posting requirement sentences
   (``bench/corpora/job_requirements.tsv``, 320 sentences, 10 classes; see its README):
   ``SkillGapClusterer`` (domain tokens + concept tokens, LSA, KMeans) against a plain
   baseline (``jieba.lcut`` tokens, ``TfidfVectorizer``, ``KMeans``), adjusted Rand index and
   normalised mutual information, mean ± sd over seeds.
2. Speed: fitting ``SkillGapClusterer`` on ``--n`` synthetic employer comments (default
   200,000) assembled from the planted clauses of the shipped sample.

Run::

    /work/venv/bin/python bench/bench_themes.py            # both parts
    /work/venv/bin/python bench/bench_themes.py --skip-speed
    /work/venv/bin/python bench/bench_themes.py --n 20000   # a quicker speed check
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpora" / "job_requirements.tsv"
SEPARATORS = ["，", "；", "。", " ", ",", "、", "！", "~ ", "。另外", "，还有"]


def load_corpus(path=CORPUS) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


def jieba_tokens(text):
    import jieba

    return [t for t in jieba.lcut(text) if t.strip() and not all(not c.isalnum() for c in t)]


def baseline_labels(texts, k, seed):
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    X = TfidfVectorizer(tokenizer=jieba_tokens, token_pattern=None, lowercase=False).fit_transform(texts)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(X)


def ours_labels(texts, k, seed, **kw):
    from survey_analysis.gaps import SkillGapClusterer

    m = SkillGapClusterer(n_themes=k, only_gaps=False, unit="comment", random_state=seed, **kw)
    m.fit(texts)
    lab = np.full(len(texts), -1)
    lab[m.units_["text_index"].to_numpy()] = m.labels_
    return lab, m


def quality(seeds=(0, 1, 2, 3, 4)):
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    df = load_corpus()
    texts, y = df["sentence"].tolist(), df["label"].to_numpy()
    k = df["label"].nunique()
    print(f"语料：{CORPUS.relative_to(HERE.parent)}：{len(df)} 句，{k} 类")
    rows = []
    auto_k = []
    for seed in seeds:
        base = baseline_labels(texts, k, seed)
        ours, _ = ours_labels(texts, k, seed, min_similarity=0.0)
        ours_un, m_un = ours_labels(texts, k, seed)  # default min_similarity: unassigned = -1
        auto, m_auto = ours_labels(texts, None, seed, k_range=(2, 20))
        auto_k.append(m_auto.n_themes_)
        for name, lab in [("baseline: jieba + TF-IDF + KMeans", base),
                          ("SkillGapClusterer (k=10, 不设未归类)", ours),
                          ("SkillGapClusterer (k=10, 默认未归类阈值 0.3)", ours_un),
                          ("SkillGapClusterer (自动选 k)", auto)]:
            rows.append({"method": name, "seed": seed, "ARI": adjusted_rand_score(y, lab),
                         "NMI": normalized_mutual_info_score(y, lab),
                         "unassigned": int((lab == -1).sum())})
    res = pd.DataFrame(rows)
    summary = res.groupby("method", sort=False).agg(
        ARI=("ARI", "mean"), ARI_sd=("ARI", "std"), NMI=("NMI", "mean"), NMI_sd=("NMI", "std"),
        unassigned=("unassigned", "mean"))
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(summary.to_string())
    print(f"自动选择的主题数（各种子）：{auto_k}")
    return summary


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
