"""Themes on text nobody here wrote (CSL abstracts, Apache-2.0) and on hand-written gap comments:
the clusterer is at least as good as plain LSA + KMeans measured in the same run."""
from __future__ import annotations

from pathlib import Path

import jieba
import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from survey_analysis.gaps import SkillGapClusterer

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.slow


def lsa_kmeans(texts, k, seed, n_components=100):
    """Plain LSA + KMeans: jieba tokens, TF-IDF, TruncatedSVD, unit length, KMeans."""
    vec = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False)
    X = vec.fit_transform(texts)
    Z = make_pipeline(TruncatedSVD(min(n_components, X.shape[1] - 1), random_state=seed),
                      Normalizer()).fit_transform(X)
    return KMeans(k, n_init=10, random_state=seed).fit_predict(Z)


def compare(texts, y, k, seeds, **kw):
    ours, base = [], []
    for seed in seeds:
        lab = SkillGapClusterer(n_themes=k, min_similarity=0, random_state=seed, **kw).fit_predict(texts)
        ours.append((adjusted_rand_score(y, lab), normalized_mutual_info_score(y, lab)))
        best = max((lsa_kmeans(texts, k, seed, n) for n in (k, 100)),
                   key=lambda lb: adjusted_rand_score(y, lb))  # the better of two baselines
        base.append((adjusted_rand_score(y, best), normalized_mutual_info_score(y, best)))
    return np.mean(ours, axis=0), np.mean(base, axis=0)


def test_generic_text_public_corpus_at_least_as_good_as_lsa_kmeans():
    df = pd.read_csv(ROOT / "bench" / "corpora" / "csl_2000.tsv", sep="\t", dtype=str, quoting=3)
    top = df["discipline"].value_counts()
    keep = top[top >= 45].index  # 10 disciplines, 45–69 abstracts each
    d = df[df["discipline"].isin(keep)].reset_index(drop=True)
    texts = (d["title"] + "。" + d["abstract"]).tolist()
    ours, base = compare(texts, d["discipline"].tolist(), len(keep), seeds=(0, 1),
                         only_gaps=False, unit="comment")
    assert ours[0] >= base[0] - 0.01 and ours[1] >= base[1] - 0.01, (ours, base)
    assert ours[0] > 0.2  # far from chance


def test_gap_comments_better_than_lsa_kmeans():
    items = yaml.safe_load((ROOT / "tests" / "text" / "data" / "polarity_sentences.yaml").read_text(
        encoding="utf-8"))["sentences"]
    gaps = [it for it in items if it["category"].startswith("gap")
            and len([e for e in it["expect"] if e[1] == "gap"]) == 1]
    y = [next(e[0] for e in it["expect"] if e[1] == "gap") for it in gaps]
    counts = pd.Series(y).value_counts()
    keep = set(counts[counts >= 5].index)
    texts = [it["text"] for it, c in zip(gaps, y) if c in keep]
    y = [c for c in y if c in keep]
    ours, base = compare(texts, y, len(keep), seeds=(0, 1), unit="comment")
    assert ours[0] > base[0] + 0.1 and ours[1] > base[1], (ours, base)
