"""Theme labels are content words and distinct; the quote is a most central member."""
from __future__ import annotations

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
