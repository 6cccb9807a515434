import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.errors import ConfigError
from survey_analysis.text import extract_skills, load_taxonomy

COLUMNS = ["comment_id", "clause_id", "clause", "matched", "competency_id", "competency", "category",
           "polarity", "cue", "tool"]


def pairs(text):
    m = extract_skills([text])
    return sorted(zip(m["competency_id"], m["polarity"]))


@pytest.mark.parametrize("text,expected", [
    ("希望加强学生的实践动手能力，沟通表达有待提高", [("communication", "gap"), ("practice", "gap")]),
    ("沟通能力不强", [("communication", "gap")]),
    ("基础不扎实", [("theory", "gap")]),
    ("专业知识扎实", [("professional", "strength")]),
    ("学生不缺乏创新能力", [("innovation", "strength")]),
    ("外语水平并不差", [("foreign_language", "strength")]),
    ("团队协作方面没有不足", [("teamwork", "strength")]),
    ("沟通和写作能力都有待提高", [("communication", "gap"), ("writing", "gap")]),      # one cue, two skills
    ("Excel和PPT用得很熟练", [("office", "strength")]),
    ("动手能力较强但是理论基础一般", [("practice", "strength"), ("theory", "gap")]),  # contrast splits
    ("希望毕业生具有较强的学习能力", [("learning", "gap")]),                          # a wish, not praise
    ("学生太浮躁", [("work_attitude", "gap")]),                                     # alias with its own polarity
    ("工作认真负责", [("responsibility", "strength")]),
    ("不够细心", [("rigor", "gap")]),
    ("数据分析能力", [("data_analysis", "neutral")]),                               # no cue
    ("溝通能力有待加強", [("communication", "gap")]),                                # traditional
    ("沟通能历有待提高", [("communication", "gap")]),                                # typo
    ("ＡｕｔｏＣＡＤ用得不熟", [("engineering_drawing", "gap")]),                      # full width
    ("综合素质有待提高，特别是表达和写作", [("communication", "gap"), ("writing", "gap")]),
])
def test_polarity_rules(text, expected):
    assert pairs(text) == expected


def test_columns_rows_and_ids():
    s = pd.Series(["动手能力差，沟通能力强", "无", None, "我们公司是做软件的"], index=[10, 11, 12, 13])
    m, status = extract_skills(s, return_summary=True)
    assert list(m.columns) == COLUMNS
    assert m["comment_id"].tolist() == [10, 10]
    assert m["clause_id"].tolist() == [0, 1]
    assert m["clause"].tolist() == ["动手能力差", "沟通能力强"]
    assert m["competency"].tolist() == ["实践动手能力", "沟通表达能力"]
    assert m["category"].tolist() == ["专业能力/技能", "通用能力"]
    assert status["status"].tolist() == ["mention", "no_content", "invalid", "no_mention"]
    assert status["n_mentions"].tolist() == [2, 0, 0, 0]
    m2 = extract_skills(["动手能力差"], ids=["r1"])
    assert m2["comment_id"].tolist() == ["r1"]
    with pytest.raises(ConfigError, match="ids 的数量与评论数量不一致"):
        extract_skills(["a", "b"], ids=[1])
    with pytest.raises(ConfigError, match="不能是单个字符串"):
        extract_skills("动手能力差")


def test_bad_input_is_counted_not_crashing():
    long_text = "动手能力有待提高。" * 11112  # > 100,000 characters
    values = [None, math.nan, pd.NA, 5, 3.5, "", "  \x00\x07 ", "😀👍", "沟通能力👍", "溝通能力差",
              "Good communication skills but weak in practice", "コミュニケーション", "无", long_text, "无意义的话"]
    m, status = extract_skills(values, return_summary=True)
    assert status["status"].tolist() == ["invalid"] * 5 + ["empty", "empty", "no_content", "mention", "mention",
                                                           "mention", "no_mention", "no_content", "mention",
                                                           "no_mention"]
    assert m.attrs["status_counts"] == {"mention": 4, "no_mention": 2, "no_content": 2, "empty": 2, "invalid": 5}
    en = m[m["comment_id"] == 10]
    assert sorted(zip(en["competency_id"], en["polarity"])) == [("communication", "strength"), ("practice", "gap")]
    assert set(m.loc[m["comment_id"] == 13, "competency_id"]) == {"practice"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(allow_nan=True), st.integers(),
                          st.sampled_from(["无", "沟通能力差", "动手能力强，英语一般", "", "好", "没有项目经验"]),
                          st.text(max_size=30)), max_size=25))
def test_every_comment_counted_once(values):
    m, status = extract_skills(values, return_summary=True)
    assert len(status) == len(values)
    counts = m.attrs["status_counts"]
    assert sum(counts.values()) == len(values)
    assert counts["mention"] == m["comment_id"].nunique() if len(m) else counts["mention"] == 0
    assert set(m["polarity"]) <= {"gap", "strength", "neutral"}
    assert (status.loc[status["status"] == "mention", "n_mentions"] > 0).all()


def test_distinct_texts_analysed_once(monkeypatch):
    from survey_analysis.text import _skills

    calls = []
    orig = _skills._analyse_text
    monkeypatch.setattr(_skills, "_analyse_text", lambda *a, **k: calls.append(a[0]) or orig(*a, **k))
    texts = ["动手能力差"] * 1000 + ["沟通能力强"] * 500 + ["ＰＰＴ不熟"] + ["PPT不熟"]
    m = extract_skills(texts)
    assert sorted(calls) == sorted(["动手能力差", "沟通能力强", "PPT不熟"])
    assert len(m) == 1502
    assert m["comment_id"].tolist() == list(range(1502))


def test_custom_taxonomy_and_segmenter_boundaries(tmp_path):
    f = tmp_path / "t.yaml"
    f.write_text("competencies:\n  - {id: x, name: 测绘能力, name_en: surveying, category: 专业能力/技能,"
                 " aliases: [测绘]}\n", encoding="utf-8")
    tax = load_taxonomy(f)
    m = extract_skills(["测绘能力有待提高"], taxonomy=tax)
    assert m[["competency_id", "polarity"]].values.tolist() == [["x", "gap"]]
    from survey_analysis.text import Segmenter

    # with a segmenter, a match must sit on token boundaries: 实践 inside 实践性 is still a token here
    m2 = extract_skills(["动手能力差"], segmenter=Segmenter())
    assert m2["competency_id"].tolist() == ["practice"]


def _score(labelled, mentions):
    pred = {}
    for cid, comp, pol in zip(mentions["comment_id"], mentions["competency_id"], mentions["polarity"]):
        pred.setdefault(cid, set()).add((comp, pol))
    tp = fp = fn = 0
    for i, item in enumerate(labelled):
        exp = {tuple(e) for e in item["expect"]}
        got = pred.get(i, set())
        tp += len(exp & got)
        fp += len(got - exp)
        fn += len(exp - got)
    return tp / (tp + fp), tp / (tp + fn)


def test_quality_on_labelled_comments(labelled):
    assert len(labelled) >= 150
    m = extract_skills([str(c["text"]) for c in labelled])
    precision, recall = _score(labelled, m)
    assert precision >= 0.90, precision
    assert recall >= 0.85, recall


def test_scorer_can_fail(labelled):
    # the scorer is not vacuous: dropping all polarities makes everything wrong
    m = extract_skills([str(c["text"]) for c in labelled])
    m = m.assign(polarity="neutral")
    precision, recall = _score(labelled, m)
    assert precision < 0.2 and recall < 0.2


def test_default_polarity_for_what_is_lacking_questions():
    m = extract_skills(["沟通能力、Excel", "动手能力强"], default_polarity="gap")
    assert sorted(zip(m["comment_id"], m["competency_id"], m["polarity"])) == [
        (0, "communication", "gap"), (0, "office", "gap"), (1, "practice", "strength")]
    with pytest.raises(ConfigError, match="default_polarity"):
        extract_skills(["x"], default_polarity="bad")


@pytest.mark.parametrize("text,expected", [
    ("有责任心", [("responsibility", "strength")]),
    ("没有责任心", [("responsibility", "gap")]),
    ("还有项目经验", [("project_experience", "neutral")]),  # 还有 = "and also", not praise
    ("另外文字表达能力有待提高", [("writing", "gap")]),        # 外文 inside 另外文字 is not 外语
    ("多安排学生到企业实习", []),                             # an arrangement, not a competency
])
def test_have_and_ambiguity_rules(text, expected):
    assert pairs(text) == expected


def test_sample_generator_comments_agree_with_planted_truth():
    comments = pytest.importorskip("survey_analysis.datasets._comments")
    rng = np.random.default_rng(7)
    maker = comments.CommentMaker(rng, names=["张伟"], phone_fn=lambda r: "13812345678")
    ids = list(comments.COMPETENCIES)
    for kind, default in (("employer_suggestion", "neutral"), ("employer_skills", "gap")):
        texts, truth = [], []
        for _ in range(300):
            text, clauses = getattr(maker, kind)(list(rng.choice(ids, 3, replace=False)))
            texts.append(text)
            truth.append({(str(c["competency"]), c["polarity"]) for c in clauses if c["competency"]})
        m = extract_skills(texts, default_polarity=default)
        pred = {}
        for cid, comp, pol in zip(m["comment_id"], m["competency_id"], m["polarity"]):
            pred.setdefault(cid, set()).add((comp, pol))
        tp = sum(len(t & pred.get(i, set())) for i, t in enumerate(truth))
        assert tp / max(1, sum(len(p) for p in pred.values())) >= 0.95, kind
        assert tp / max(1, sum(len(t) for t in truth)) >= 0.95, kind
