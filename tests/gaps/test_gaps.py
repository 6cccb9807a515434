"""SkillGapClusterer: estimator contract, errors, unassigned units, group shares, helpers."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score, silhouette_score

from survey_analysis.errors import AnalysisError, ConfigError
from survey_analysis.gaps import (
    UNASSIGNED,
    SkillGapClusterer,
    weighted_ari as _weighted_ari,
    weighted_silhouette as _weighted_silhouette,
    concept_tokenize,
    feedback_texts,
    theme_shares,
)

# three planted competencies, several surface forms each
COMM = ["沟通能力有待提高", "沟通表达能力较弱", "语言表达能力不足", "与人沟通的能力欠缺", "汇报能力需要加强",
        "沟通技巧不够"]
PRAC = ["实践动手能力不足", "动手能力差", "实际操作能力欠缺", "实践能力有待提升", "动手能力不强",
        "实操能力较弱"]
TEAM = ["缺乏团队合作精神", "团队协作意识不强", "团队意识不够", "协作能力有待提高", "合作精神欠缺",
        "团队合作能力较差"]
TRUTH = {**{t: "communication" for t in COMM}, **{t: "practice" for t in PRAC},
         **{t: "teamwork" for t in TEAM}}


@pytest.fixture(scope="module")
def small_fit():
    texts = COMM + PRAC + TEAM
    return texts, SkillGapClusterer(n_themes=3, random_state=0).fit(texts)


def test_concept_tokens_join_synonyms_and_tools():
    assert "@engineering_drawing" in concept_tokenize("图纸看不太懂")
    assert "@engineering_drawing" in concept_tokenize("SolidWorks不熟练")
    assert concept_tokenize("动手能力差").count("@practice") == 3
    assert concept_tokenize(None) == [] and concept_tokenize("  ") == []
    # picklable, as scikit-learn needs for n_jobs
    assert pickle.loads(pickle.dumps(concept_tokenize)) is concept_tokenize


def test_small_corpus_recovers_the_three_competencies(small_fit):
    texts, m = small_fit
    assert m.n_themes_ == 3
    assert len(m.labels_) == len(m.units_) == len(texts)  # one gap clause per text
    truth = [TRUTH[texts[i]] for i in m.units_["text_index"]]
    assert adjusted_rand_score(truth, m.labels_) == 1.0
    th = m.themes_
    assert sorted(th["competency_id"]) == ["communication", "practice", "teamwork"]
    assert th["size"].tolist() == [6, 6, 6]
    assert np.allclose(th["share"], 1 / 3)
    # each label names the mapped competency and its top terms
    for r in th.itertuples():
        assert r.label.startswith(r.competency + "（")
        assert 3 <= len(r.examples) <= 5
        assert all(TRUTH[e] == r.competency_id for e in r.examples)
        assert len(r.top_terms) >= 2 and not any(t.startswith("@") for t in r.top_terms)


def test_predict_and_transform_new_texts(small_fit):
    _, m = small_fit
    new = ["希望加强学生的沟通能力", "动手能力还需加强", "团队合作意识差", "无"]
    units = m.split_units(new)
    assert units["text_index"].tolist() == [0, 1, 2]  # "无" has no unit
    comp = m.themes_.set_index("theme")["competency_id"]
    pred = m.predict(new)
    assert len(pred) == len(new) and pred[-1] == UNASSIGNED  # one label per input text
    assert [comp[t] for t in pred[:3]] == ["communication", "practice", "teamwork"]
    sims = m.transform(new)
    assert sims.shape == (4, 3) and not sims[3].any()
    assert np.array_equal(sims[:3].argmax(axis=1), pred[:3])
    assert np.all(sims <= 1 + 1e-9)
    assert np.array_equal(m.predict_units(new), pred[:3])
    assert m.transform_units(new).shape == (3, 3)


def test_one_label_per_input_text_clause_themes_kept_apart():
    """scikit-learn's contract: fit_predict on n texts gives n labels (issue 15: 6 texts gave 7)."""
    texts = ["沟通能力有待提高，动手能力差", "实践动手能力不足", "沟通表达能力较弱", "无",
             "缺乏团队合作精神", "团队协作意识不强"]
    m = SkillGapClusterer(n_themes=3, random_state=0)
    labels = m.fit_predict(texts)
    assert len(labels) == len(texts) == len(m.labels_)
    assert len(m.unit_labels_) == len(m.units_) == 6  # two clauses in the first text, none in "无"
    assert labels[3] == UNASSIGNED
    # the first text's label is one of its clauses' themes
    first = m.units_.loc[m.units_["text_index"] == 0, "theme"].tolist()
    assert labels[0] in first and len(first) == 2
    assert np.array_equal(m.predict(texts), labels)


def test_same_seed_same_themes_and_clone_works():
    texts = COMM + PRAC + TEAM + ["英语口语较差", "外语能力不足", "英语水平有待提高"]
    a = SkillGapClusterer(random_state=7, k_range=(2, 6)).fit(texts)
    b = clone(a).fit(list(texts))
    assert np.array_equal(a.labels_, b.labels_)
    pd.testing.assert_frame_equal(a.themes_, b.themes_)
    pd.testing.assert_frame_equal(a.k_scores_, b.k_scores_)
    assert a.get_params()["random_state"] == 7 and "vectorizer" in a.get_params()
    assert a.k_scores_["chosen"].sum() == 1
    assert a.n_themes_ == int(a.k_scores_.loc[a.k_scores_["chosen"], "k"].iloc[0])
    # pickle round trip keeps predictions
    c = pickle.loads(pickle.dumps(a))
    assert np.array_equal(c.predict(texts), a.predict(texts))


def test_automatic_k_finds_four_planted_groups():
    texts = COMM + PRAC + TEAM + ["英语口语较差", "外语能力不足", "英语水平有待提高", "英语听说能力弱",
                                  "外语能力较弱", "英语书面表达不够"]
    m = SkillGapClusterer(random_state=0, k_range=(2, 8)).fit(texts)
    assert m.n_themes_ == 4
    assert set(m.themes_["competency_id"]) == {"communication", "practice", "teamwork",
                                               "foreign_language"}


def test_text_that_fits_no_theme_is_unassigned():
    texts = COMM + PRAC + TEAM
    m = SkillGapClusterer(n_themes=3, random_state=0, only_gaps=False, unit="comment",
                          min_similarity=0.3).fit(texts + ["食堂的饭菜价格偏贵"])
    assert m.units_["theme"].iloc[-1] == UNASSIGNED
    assert (m.units_["theme"].iloc[:-1] >= 0).all()
    assert m.themes_.attrs["unassigned"] == 1
    assert m.themes_["size"].sum() == len(texts)
    # with threshold 0 the same unit is forced into a theme
    forced = clone(m).set_params(min_similarity=0.0).fit(texts + ["食堂的饭菜价格偏贵"])
    assert forced.units_["theme"].iloc[-1] >= 0
    assert forced.units_["similarity"].iloc[-1] < 0.3


def test_only_gaps_keeps_gap_clauses_only():
    texts = ["沟通能力不错，但是动手能力差", "团队合作很好", "实践能力有待提升"]
    units = SkillGapClusterer().split_units(texts)
    assert units["text_index"].tolist() == [0, 2]
    assert units["competency_id"].tolist() == ["practice", "practice"]
    every = SkillGapClusterer(only_gaps=False).split_units(texts)
    assert len(every) == 4  # every clause with content
    # a "what is lacking" answer without a cue counts as a gap with default_polarity="gap"
    frame = pd.DataFrame({"text": ["项目经验", "项目经验"], "default_polarity": ["gap", "neutral"]})
    assert SkillGapClusterer().split_units(frame)["text_index"].tolist() == [0]
    whole = SkillGapClusterer(unit="comment").split_units(texts)
    assert whole["unit"].tolist() == [texts[0], texts[2]]


@pytest.mark.parametrize("texts, match", [
    ([None, "", "  ", "无", float("nan")], "没有可聚类的文本"),
    (["团队合作很好", "学生很优秀"], "没有可聚类的文本"),
    (["沟通能力有待提高"] * 10, "只有 1 条不同的分句"),
])
def test_degenerate_input_gives_a_chinese_analysis_error(texts, match):
    with pytest.raises(AnalysisError, match=match):
        SkillGapClusterer(random_state=0).fit(texts)


def test_fewer_texts_than_themes():
    with pytest.raises(AnalysisError, match="要求 5 个主题，但只有 3 条不同的分句"):
        SkillGapClusterer(n_themes=5).fit(["沟通能力差", "动手能力差", "英语差"])


def test_only_stopwords_is_an_analysis_error():
    with pytest.raises(AnalysisError, match="没有可用的词"):
        SkillGapClusterer(only_gaps=False, unit="comment").fit(["的了", "了的", "的的了"])


def test_bad_parameters_are_config_errors():
    with pytest.raises(ConfigError, match="聚类单位"):
        SkillGapClusterer(unit="word").fit(COMM)
    with pytest.raises(ConfigError, match="k_range"):
        SkillGapClusterer(k_range=(1, 3)).fit(COMM)
    with pytest.raises(ConfigError, match="单个字符串"):
        SkillGapClusterer().fit("沟通能力差")
    with pytest.raises(ConfigError, match="降维方法"):
        SkillGapClusterer(reducer="pca").fit(COMM + PRAC)


def test_pluggable_steps_nmf_and_custom_vectorizer():
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = COMM + PRAC + TEAM
    truth = [TRUTH[t] for t in texts]
    m = SkillGapClusterer(n_themes=3, reducer="nmf", random_state=0).fit(texts)
    assert adjusted_rand_score(truth, m.labels_) == 1.0
    agg = SkillGapClusterer(n_themes=3, clusterer=AgglomerativeClustering(), random_state=0).fit(texts)
    assert adjusted_rand_score(truth, agg.labels_) == 1.0
    chars = SkillGapClusterer(n_themes=3, random_state=0, min_similarity=0.0,
                              vectorizer=TfidfVectorizer(analyzer="char", ngram_range=(1, 2)))
    chars.fit(texts)
    assert chars.vectorizer is not chars.vectorizer_  # cloned, the parameter is untouched
    assert not hasattr(chars.vectorizer, "vocabulary_")


def test_weighted_helpers_match_sklearn_on_expanded_data():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(12, 4))
    Z /= np.linalg.norm(Z, axis=1, keepdims=True)
    labels = np.array([0, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1, 2])
    w = rng.integers(1, 4, size=12)
    w[4] = 1
    labels[4] = 3  # a cluster of one point (silhouette 0)
    D = 1 - Z @ Z.T
    np.fill_diagonal(D, 0)
    ex = np.repeat(np.arange(12), w)
    ref = silhouette_score(np.repeat(Z, w, axis=0), labels[ex], metric="cosine")
    assert _weighted_silhouette(D.astype(np.float32), labels, w) == pytest.approx(ref, abs=1e-5)
    other = np.array([0, 1, 1, 1, 2, 2, 0, 1, 2, 0, 0, 2])
    assert _weighted_ari(labels, other, w) == pytest.approx(
        adjusted_rand_score(labels[ex], other[ex]))


def test_theme_shares_by_group_with_suppression():
    units = pd.DataFrame({"text_index": [0, 1, 2, 3, 4, 5, 6, 7, 7, 8],
                          "theme": [0, 0, 1, 0, 1, -1, 0, 1, 0, 1]})
    themes = pd.DataFrame({"theme": [0, 1], "label": ["沟通", "实践"],
                           "competency_id": ["communication", "practice"]})
    groups = pd.DataFrame({"major": ["甲"] * 6 + ["乙"] * 3,
                           "rid": [0, 1, 2, 3, 4, 5, 6, 7, 8]})
    t = theme_shares(units, themes, groups, by="major", min_cell=5)
    a = t[t["major"] == "甲"].set_index("theme")
    # 甲: 6 respondents; theme 0 by 3 of them, theme 1 by 2, unassigned 1
    assert a.loc[0, "n"] == 6 and a.loc[0, "count"] == 3 and a.loc[0, "share"] == pytest.approx(0.5)
    assert a.loc[1, "share"] == pytest.approx(2 / 6) and a.loc[0, "rank"] == 1 and a.loc[1, "rank"] == 2
    assert a.loc[-1, "label"].startswith("未归类") and pd.isna(a.loc[-1, "rank"])
    b = t[t["major"] == "乙"]
    assert b["suppressed"].all() and b["share"].isna().all() and b["n"].isna().all()
    assert "少于 5" in t.attrs["suppression_note"]
    # two texts of one respondent count once
    groups2 = groups.assign(rid=[0, 0, 1, 1, 2, 2, 3, 3, 3])
    t2 = theme_shares(units, themes, groups2, by="major", respondent="rid", min_cell=1)
    a2 = t2[t2["major"] == "甲"].set_index("theme")
    assert a2.loc[0, "n"] == 3 and a2.loc[0, "count"] == 2  # respondents 0 and 1
    with pytest.raises(ConfigError, match="缺少必需的列"):
        theme_shares(units, themes, groups, by="college")


def test_feedback_texts_stacks_fields():
    data = pd.DataFrame({"respondent_id": ["a", "b"], "major": ["会计学", "英语"],
                         "comment_suggestion": ["沟通能力差", None], "comment_skills": ["Excel", "写作"]})
    f = feedback_texts(data)
    assert f["field"].tolist() == ["comment_suggestion"] * 2 + ["comment_skills"] * 2
    assert f["default_polarity"].tolist() == ["neutral", "neutral", "gap", "gap"]
    assert f["row"].tolist() == [0, 1, 0, 1] and f["major"].tolist() == ["会计学", "英语", "会计学", "英语"]
    assert "college" not in f.columns
    g = feedback_texts(data, colleges={"会计学": "经济管理学院"})
    assert g["college"].iloc[0] == "经济管理学院" and pd.isna(g["college"].iloc[1])
    with pytest.raises(AnalysisError, match="意见文本列"):
        feedback_texts(data[["major"]])
