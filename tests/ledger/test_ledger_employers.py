"""Employer-name normalisation and merging."""
from __future__ import annotations

import pytest

from survey_analysis.ledger import merge_employers, normalize_employer


@pytest.mark.parametrize(
    "a, b",
    [
        ("江苏恒信科技有限公司", "江苏恒信科技有限责任公司"),
        ("江苏恒信科技有限公司", "江苏恒信科技股份有限公司"),
        ("江苏恒信科技有限公司", "江苏 恒信科技 有限公司"),
        ("江苏恒信科技有限公司", "江苏恒信科技有限公司（南京分公司）"),
        ("江苏恒信科技有限公司", "江苏恒信科技有限公司(南京分公司)"),
        ("江苏恒信科技有限公司", "江苏恒信科技有限公司南京分公司"),
        ("江苏恒信科技有限公司", "江苏恒信科技有限公司华东分部"),
        ("华润（集团）有限公司", "华润集团有限公司"),
        ("华润（集团）有限公司", "华润集团"),
        ("中国银行股份有限公司", "中国银行南京分行"),
        ("华为技术有限公司", "华为技术有限公司　苏州分公司"),  # ideographic space
        ("ＡＢＣ科技有限公司", "abc科技有限公司"),  # full-width letters, case
    ],
)
def test_same_employer_same_key(a, b):
    assert normalize_employer(a) == normalize_employer(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("江苏恒信科技有限公司", "江苏恒信电子有限公司"),
        ("南京博远机械有限公司", "苏州博远机械有限公司"),
        ("西门子（中国）有限公司", "西门子有限公司"),  # a bracket that is not a branch is kept
    ],
)
def test_different_employers_differ(a, b):
    assert normalize_employer(a) != normalize_employer(b)


def test_key_values():
    assert normalize_employer("江苏恒信科技有限责任公司（南京分公司）") == "江苏恒信科技"
    assert normalize_employer("华为南京分公司") == "华为"
    assert normalize_employer(None) == ""
    assert normalize_employer("   ") == ""


def test_merge_three_ways_counts_once_and_lists_the_merge():
    names = ["恒信科技有限公司", "恒信科技有限责任公司", "恒信科技有限公司", "恒信科技有限公司（南京分公司）",
             "博远电子有限公司", None, ""]
    mapping, merges = merge_employers(names)
    assert len(set(mapping.values())) == 2
    # the head-office form used most often becomes the standard name
    assert mapping["恒信科技有限公司（南京分公司）"] == "恒信科技有限公司"
    assert mapping["恒信科技有限责任公司"] == "恒信科技有限公司"
    assert mapping["博远电子有限公司"] == "博远电子有限公司"
    assert len(merges) == 1
    row = merges.iloc[0]
    assert row["employer"] == "恒信科技有限公司"
    assert row["n_variants"] == 3 and row["n_records"] == 4
    assert set(row["variants"].split("；")) == {"恒信科技有限公司", "恒信科技有限责任公司",
                                               "恒信科技有限公司（南京分公司）"}


def test_branch_never_chosen_as_standard_name_when_head_office_seen():
    mapping, _ = merge_employers(["甲乙科技有限公司南京分公司"] * 3 + ["甲乙科技有限公司"])
    assert set(mapping.values()) == {"甲乙科技有限公司"}


from hypothesis import given, settings
from hypothesis import strategies as st

_STEM = st.text(alphabet=list("恒信华泰博远瑞丰天成金达宏图润安鼎盛志诚嘉禾智能科技电子机械物流"), min_size=2, max_size=10)


@settings(max_examples=60, deadline=None)
@given(stem=_STEM, cut=st.integers(min_value=0, max_value=10),
       suffix=st.sampled_from(["有限公司", "有限责任公司", "股份有限公司", "公司"]),
       branch=st.sampled_from(["", "（南京分公司）", "(苏州分公司)", "南京分公司", "分部", "上海办事处"]))
def test_written_variants_share_the_key(stem, cut, suffix, branch):
    """Legal form, spaces and a branch part never change the key of a company name."""
    base = normalize_employer(stem + "有限公司")
    spaced = stem[:cut] + " " + stem[cut:]
    assert normalize_employer(spaced + suffix + branch) == base
    assert base == stem  # the stem alphabet holds no legal-form or branch words


def test_zi_gongsi_without_place_is_part_of_the_name():
    """电子公司 / 种子公司 are employers' own names; 子公司 is a branch only after a place or legal form."""
    assert normalize_employer("华强电子公司") == "华强电子"
    assert normalize_employer("丰丰子公司") == "丰丰子"
    assert normalize_employer("华为南京子公司") == normalize_employer("华为南京分公司") == "华为"
    assert normalize_employer("恒信科技有限公司上海子公司") == "恒信科技"
