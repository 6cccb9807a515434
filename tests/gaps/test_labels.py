"""Theme labels are content words and distinct; the quote is a most central member."""
from __future__ import annotations

import re

import yaml
from pathlib import Path

from survey_analysis.gaps import SkillGapClusterer
from survey_analysis.gaps._labels import _distinct_labels
from survey_analysis.text import is_content_word

FILLER = {"还有", "太", "最", "希望", "强", "微", "类", "觉得", "个人"}


def _gap_texts():
    items = yaml.safe_load((Path(__file__).parents[1] / "text" / "data" / "polarity_sentences.yaml").read_text(
        encoding="utf-8"))["sentences"]
    # wrapped in filler the way employers write: 个人觉得…还有…太…
    return [f"个人觉得{it['text']}，还有太多地方希望改进" for it in items if it["category"].startswith("gap")]


def test_labels_are_content_words_distinct_and_quotes_central():
    m = SkillGapClusterer(random_state=0, n_themes=12).fit(_gap_texts())
    th = m.themes_
    assert th["label"].is_unique
    for terms in th["top_terms"]:
        assert terms and all(is_content_word(t) and len(t) >= 2 and t not in FILLER for t in terms)
    for r in th.itertuples():
        members = m.units_[m.units_["theme"] == r.theme]
        best = members["similarity"].max()
        central = set(members.loc[members["similarity"] >= best - 1e-9, "unit"])
        assert r.examples[0] in central  # the first quote is a most central unit
        assert all(e in set(members["unit"]) for e in r.examples)  # quotes are the theme's units


def test_distinct_labels_take_the_next_term_then_a_number():
    labels = _distinct_labels(["沟通表达能力", "沟通表达能力", None, None],
                              [["沟通能力", "表达"], ["沟通能力", "表达", "汇报"], ["电子", "科技"], ["电子", "科技"]])
    assert labels == ["沟通表达能力（沟通能力、表达）", "沟通表达能力（沟通能力、表达、汇报）", "电子、科技", "电子、科技（2）"]


# written for this test: numbered lists, and words (学习, 训练, 加强) spread over every theme
_NUMBERED = [
    "1、沟通能力需要加强 2、公文写作不规范 3、动手能力差",
    "一、汇报时表达不清楚；二、写报告逻辑混乱，需要多训练",
    "（1）实际操作能力弱（2）和同事沟通少，还要多学习",
    "①写作能力一般 ②动手能力不足，要在实习中多训练",
    "沟通表达能力欠缺，学习态度还行",
    "写材料的能力太弱，公文写作需要学习",
    "实践动手能力不够，缺少训练",
    "语言表达能力差，开会发言紧张",
    "文字功底薄弱，报告写不清楚",
    "上手慢，实操能力差，需要训练",
    "沟通技巧不足，不会和客户交流",
    "写作水平有待提高，多学习范文",
    "动手能力不强，实验做得少",
    "表达能力欠缺，汇报抓不住重点",
    "2. 公文写作能力不足",
    "3. 实践能力欠缺",
    "动手能力差需要多训练",
    "写作能力差需要多训练",
    "实操能力弱还得训练",
    "公文写作能力和沟通能力都要加强",
    "写作能力和语言表达能力都不够",
    "动手能力和沟通能力都比较差",
]


def test_top_words_are_at_home_in_one_theme_and_name_no_other_competency():
    from survey_analysis.text import load_taxonomy, normalize_text

    m = SkillGapClusterer(random_state=0, n_themes=3).fit(_NUMBERED)
    th = m.themes_
    seen: dict = {}
    for r in th.itertuples():
        for t in r.top_terms:
            assert t not in seen, (t, r.label, seen.get(t))  # a word describes one theme
            seen[t] = r.label
    tax = load_taxonomy()
    for r in th.itertuples():
        if r.competency_id is None:
            continue
        for t in r.top_terms:
            n = normalize_text(t)
            whole = {h[3] for h in tax.match(n, normalized=True) if h[0] == 0 and h[1] == len(n)}
            assert not whole or r.competency_id in whole, (r.label, t, whole)
    quotes = [q for ex in th["examples"] for q in ex]
    assert quotes and not any(re.match(r"\s*(?:[（(]?\d+[)）.、]|[①-⑳]|[一二三][、])", q) for q in quotes), quotes


def test_top_terms_rule_on_a_hand_made_matrix():
    """A word weighing in two themes is shown where it weighs most; a word that names another
    competency (数学基础 → theory, Word → office software) does not describe 责任心."""
    import numpy as np

    from survey_analysis.gaps._labels import _top_terms

    terms = np.array(["责任意识", "担当", "数学基础", "Word", "学习", "理论知识"], dtype=object)
    C = np.array([[0.50, 0.30, 0.20, 0.20, 0.30, 0.00],    # theme 0: responsibility
                  [0.00, 0.00, 0.40, 0.00, 0.20, 0.50]])   # theme 1: theory
    tot = C.mean(axis=0) * 0.5
    tops = _top_terms(C, tot, terms, ["responsibility", "theory"])
    assert tops[0] == ["责任意识", "担当", "学习"]       # 数学基础 and Word name other competencies
    assert tops[1] == ["理论知识", "数学基础"]            # 学习 weighs more in theme 0: shown there only
    old_rule = _top_terms(C, tot, terms)                  # no competencies given: only the home rule
    assert "Word" in old_rule[0] and "学习" not in old_rule[1]
