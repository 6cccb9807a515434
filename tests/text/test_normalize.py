import math

import pytest

from survey_analysis.text import comment_status, is_no_content, normalize_text


def test_full_width_to_half_width_and_ideographic_space():
    assert normalize_text("ＡＢＣ１２３，Ｅｘｃｅｌ！") == "ABC123,Excel!"
    assert normalize_text("沟通\u3000能力") == "沟通 能力"


def test_control_and_zero_width_characters_removed_whitespace_collapsed():
    assert normalize_text("沟通\x00能\u200b力\x07") == "沟通能力"
    assert normalize_text("  动手\t\n\n能力  差 ") == "动手 能力 差"


def test_traditional_to_simplified_optional():
    assert normalize_text("溝通能力有待加強") == "沟通能力有待加强"
    assert normalize_text("溝通能力有待加強", traditional=False) == "溝通能力有待加強"
    # already simplified text is left alone
    assert normalize_text("干部后面的发展") == "干部后面的发展"


def test_lower_and_non_strings():
    assert normalize_text("Power BI", lower=True) == "power bi"
    for v in (None, float("nan"), 3, 2.5, b"abc"):
        assert normalize_text(v) == ""


@pytest.mark.parametrize("text", ["无", "无。", "没有", "暂无", "很好", "很好！", "没意见", "暂无意见",
                                  "无其他建议", "/", "……", "666", "总体满意，继续保持！", "都挺好的", "N/A"])
def test_no_content_answers(text):
    assert is_no_content(text)


@pytest.mark.parametrize("text", ["沟通能力有待提高", "没有项目经验", "很好的学习能力，但动手差",
                                  "无法独立完成工作", "希望加强实践"])
def test_answers_with_content_are_not_no_content(text):
    assert not is_no_content(text)


def test_comment_status_classes():
    assert comment_status(None) == "invalid"
    assert comment_status(math.nan) == "invalid"
    assert comment_status(42) == "invalid"
    assert comment_status("  \x00 ") == "empty"
    assert comment_status("暂无") == "no_content"
    assert comment_status("沟通能力差") == "text"
