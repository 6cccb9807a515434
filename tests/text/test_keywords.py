import math

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ConfigError
from survey_analysis.text import Segmenter, keywords
from survey_analysis.text._keywords import _textrank


def test_tfidf_uses_the_corpus_idf_and_groups():
    texts = ["沟通能力 编程能力", "沟通能力", "沟通能力 数据分析", "编程能力 编程能力"]
    groups = ["A", "A", "B", "B"]
    seg = Segmenter(stopwords=False)
    kw = keywords(texts, groups=groups, top_k=3, segmenter=seg, drop_cues=False)
    # reference: smoothed idf = ln((1+n)/(1+df)) + 1 over all 4 texts, l2-normalised rows, group mean
    n = 4
    idf = {"沟通能力": math.log(5 / 4) + 1, "编程能力": math.log(5 / 3) + 1, "数据分析": math.log(5 / 2) + 1}
    def row(tf):
        v = {t: c * idf[t] for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values()))
        return {t: x / norm for t, x in v.items()}
    rows = [row({"沟通能力": 1, "编程能力": 1}), row({"沟通能力": 1}), row({"沟通能力": 1, "数据分析": 1}),
            row({"编程能力": 2})]
    a = {t: (rows[0].get(t, 0) + rows[1].get(t, 0)) / 2 for t in idf}
    got_a = kw[kw["group"] == "A"].set_index("keyword")["score"]
    assert got_a.index.tolist()[:2] == ["沟通能力", "编程能力"]
    for t in ["沟通能力", "编程能力"]:
        assert got_a[t] == pytest.approx(a[t])
    got_b = kw[kw["group"] == "B"]
    assert got_b["keyword"].tolist()[0] == "编程能力"
    assert got_b.set_index("keyword")["n_docs"].to_dict() == {"编程能力": 1, "数据分析": 1, "沟通能力": 1}
    assert list(kw.columns) == ["group", "rank", "keyword", "score", "n_docs"]


def test_cues_and_single_characters_dropped_by_default():
    kw = keywords(["沟通能力有待提高", "沟通能力不足", "动手能力差"], top_k=10)
    assert "有待提高" not in kw["keyword"].tolist() and "不足" not in kw["keyword"].tolist()
    assert "差" not in kw["keyword"].tolist()
    assert kw["keyword"].tolist()[0] == "沟通能力" and kw["group"].unique().tolist() == ["全部"]


def test_textrank_matches_a_dense_reference():
    docs = [["a", "b", "c"], ["a", "c"], ["c", "d"]]
    got = _textrank(docs, window=5)
    nodes = ["a", "b", "c", "d"]
    W = np.zeros((4, 4))
    for toks in docs:
        for i, x in enumerate(toks):
            for y in toks[i + 1:i + 5]:
                W[nodes.index(x), nodes.index(y)] += 1
                W[nodes.index(y), nodes.index(x)] += 1
    P = W / W.sum(axis=1, keepdims=True)
    s = np.full(4, 0.25)
    for _ in range(500):
        s = 0.15 / 4 + 0.85 * P.T @ s
    for k, node in enumerate(nodes):
        assert got[node] == pytest.approx(s[k], abs=1e-5)
    assert max(got, key=got.get) == "c"


def test_textrank_per_group_and_missing_groups():
    texts = ["沟通能力 团队协作", "沟通能力 写作能力", None, "编程能力 数据分析"]
    kw = keywords(texts, groups=["x", "x", "y", None], method="textrank", top_k=2,
                  segmenter=Segmenter(stopwords=False))
    # y has only an invalid text (no tokens, no rows); the text without a group belongs to none
    assert kw["group"].unique().tolist() == ["x"]
    assert kw["keyword"].tolist()[0] == "沟通能力"
    assert "编程能力" not in kw["keyword"].tolist()


def test_errors_in_chinese():
    with pytest.raises(ConfigError, match="未知的关键词方法"):
        keywords(["a"], method="lda")
    with pytest.raises(ConfigError, match="groups 的长度与 texts 不一致"):
        keywords(["a", "b"], groups=["x"])
    with pytest.raises(ConfigError, match="top_k"):
        keywords(["a"], top_k=0)
    assert keywords([None, "", "无"]).empty


def test_keyword_tables_show_no_filler_words():
    from survey_analysis.text import is_content_word, keywords

    texts = ["还有就是希望学生的沟通能力更强", "个人觉得最需要加强实践能力，太弱了", "觉得Python编程还有待提高",
             "希望多一些项目经验，还有英语"] * 5
    kw = keywords(texts, top_k=20)
    assert not set(kw["keyword"]) & {"还有", "太", "最", "希望", "觉得", "个人", "强", "弱", "多"}
    assert {"沟通能力", "实践能力", "Python", "项目经验"} <= set(kw["keyword"])
    assert all(is_content_word(k) for k in kw["keyword"])
    # and the same words with drop_cues=False are there (the filter is what removes them)
    raw = keywords(texts, top_k=40, drop_cues=False)
    assert {"希望", "觉得"} & set(raw["keyword"])


def test_judgements_glued_by_the_segmenter_are_not_keywords():
    """A degree word or negator glued to a cue (比较欠缺, 不够扎实), to one character (比较慢,
    太行 out of 不太行) or to a stopword (没什么) says how, not what; written by hand."""
    from survey_analysis.text import is_content_word

    judged = ["比较欠缺", "比较薄弱", "比较慢", "太行", "不够扎实", "没什么", "较强", "很好"]
    subjects = ["数学基础", "实际项目", "沟通能力", "团队协作", "强化训练", "Python", "专业知识", "上手慢"]
    assert [w for w in judged if is_content_word(w)] == []
    assert [w for w in subjects if not is_content_word(w)] == []
