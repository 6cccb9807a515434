"""Cell and header parsing helpers."""
from __future__ import annotations

import pytest

from survey_analysis.io import match_scale, order_options, split_choice
from survey_analysis.io.choices import split_parts, split_rows, strip_letter_prefix, trailing_group


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("运动┋影视┋购物", (["运动", "影视", "购物"], None)),
        ("其他【请注明】〖军事国防〗", (["其他【请注明】"], "军事国防")),
        ("ACG文化(动漫、游戏等)┋政治/军事", (["ACG文化(动漫、游戏等)", "政治/军事"], None)),
        ("运动┋其他【请注明】〖电影，餐饮〗", (["运动", "其他【请注明】"], "电影，餐饮")),
        ("其他〖a┋b〗", (["其他"], "a┋b")),  # a ┋ inside the free text belongs to the text
        (" 男 ", (["男"], None)),
        ("", ([], None)),
        (None, ([], None)),
        (float("nan"), ([], None)),
        (3.0, (["3"], None)),
    ],
)
def test_split_choice(cell, expected):
    assert split_choice(cell) == expected


def test_split_parts_keeps_text_with_its_option():
    assert split_parts("A┋其他〖x〗┋B") == [("A", None), ("其他", "x"), ("B", None)]


def test_trailing_group_balanced():
    assert trailing_group("第8题(ACG文化(动漫、游戏等))") == ("第8题", "ACG文化(动漫、游戏等)")
    assert trailing_group("满意度（专业知识）") == ("满意度", "专业知识")
    assert trailing_group("没有括号") is None
    assert trailing_group("不平衡)") is None


def test_split_rows_forms():
    assert split_rows(["评价—专业知识", "评价—专业技能"]) == ("评价", ["专业知识", "专业技能"])
    assert split_rows(["评价(满意度)—专业知识", "评价(满意度)—沟通"]) == ("评价(满意度)", ["专业知识", "沟通"])
    assert split_rows(["评价_专业知识", "评价_沟通"]) == ("评价", ["专业知识", "沟通"])
    assert split_rows(["评价（专业知识）", "评价（沟通）"]) == ("评价", ["专业知识", "沟通"])


def test_order_options_numeric_ranges_and_first_appearance():
    assert order_options(["2部", "4部及以上", "1部", "3部"]) == ["1部", "2部", "3部", "4部及以上"]
    assert order_options(["3000-3499元", "3000元以下", "3500元及以上"]) == ["3000元以下", "3000-3499元", "3500元及以上"]
    assert order_options(["乙", "甲", "丙"]) == ["乙", "甲", "丙"]
    # a scale's order, variants at their canonical label's place, na last
    assert order_options(["无法评价", "一般", "非常满意", "不满意"], "satisfaction5") == ["非常满意", "一般", "不满意", "无法评价"]


def test_match_scale():
    assert match_scale(["很重要", "重要", "一般", "无法评价"]) == ("importance5", ["无法评价"])
    assert match_scale(["很相关", "比较相关", "很不相关"]) == ("relevance5", [])
    assert match_scale(["满意", "较满意", "不满意"]) == ("satisfaction3", [])
    assert match_scale(["男", "女"]) is None
    assert match_scale(["很满意"]) is None  # one label is not enough evidence
    # one to one beats a scale on which two options mean the same label
    assert match_scale(["满意", "较满意", "不满意", "无法评价"]) == ("satisfaction3", ["无法评价"])
    # mixed spellings of one scale (merged files) still match it
    assert match_scale(["非常满意", "很满意", "比较满意", "满意", "一般", "不满意"]) == ("satisfaction5", [])
    assert match_scale(["很满意", "一般", "非常热爱"]) is None


def test_strip_letter_prefix():
    assert strip_letter_prefix("A.男") == "男"
    assert strip_letter_prefix("B．很满意") == "很满意"
    assert strip_letter_prefix("男") == "男"
