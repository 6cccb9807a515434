import re

import numpy as np
import pandas as pd
import pytest

from survey_analysis.report import _format as F
from survey_analysis.report.model import Figure, KeyFigures, Report, Section, Table, TableOfContents
from survey_analysis.report._common import captioned
from survey_analysis.report.xlsx import sheet_name


@pytest.mark.parametrize(
    "value, fmt, expected",
    [
        (0.8534, "pct", "85.3%"),
        (0.0, "pct", "0.0%"),
        ((0.85, 0.801, 0.9), "pct_ci", "85.0%（80.1–90.0）"),
        ((0.85, np.nan, np.nan), "pct_ci", "85.0%"),
        ((np.nan, np.nan, np.nan), "pct_ci", "—"),
        (12345.0, "int", "12,345"),
        (4.256, "float1", "4.3"),
        (4.256, "float2", "4.26"),
        (6512.4, "money", "¥6,512"),
        (np.nan, "pct", "—"),
        (None, None, "—"),
        (pd.NA, "int", "—"),
        (3, None, "3"),
        (3.14159, None, "3.14"),
        ("=1+1", None, "=1+1"),
        # rounding half away from zero, as Excel displays 0.0% / 0.0 / #,##0
        (0.8125, "pct", "81.3%"),
        (0.0565, "pct", "5.7%"),
        (2.25, "float1", "2.3"),
        (-2.25, "float1", "-2.3"),
        (2.675, "float2", "2.68"),
        (1234.5, "money", "¥1,235"),
        (-0.0001, "pct", "0.0%"),
        (float("inf"), None, "∞"),
    ],
)
def test_format_value(value, fmt, expected):
    assert F.format_value(value, fmt) == expected


def test_table_cells_hide_suppressed_column_and_use_labels():
    df = pd.DataFrame({"g": ["甲", "乙"], "n": [10.0, np.nan], "p": [0.5, np.nan], "suppressed": [False, True]})
    df.attrs["suppression_note"] = "小样本已隐藏。"
    t = Table(df, "t", column_labels={"g": "组"}, formats={"p": "pct", "n": "int"}, note="来源：调查")
    header, rows = F.table_cells(t)
    assert header == ["组", "n", "p"]
    assert rows == [["甲", "10", "50.0%"], ["乙", "—", "—"]]
    assert t.full_note() == "来源：调查 小样本已隐藏。"
    assert F.numeric_columns(t) == {"n", "p"}


def test_table_rejects_unknown_format_and_non_frame():
    with pytest.raises(ValueError, match="unknown column formats"):
        Table(pd.DataFrame({"a": [1]}), "t", formats={"a": "percent"})
    with pytest.raises(TypeError):
        Table([[1]], "t")


def test_highlight_accepts_positions_and_masks():
    df = pd.DataFrame({"a": [1, 2, 3]})
    assert Table(df, "t", highlight=[2]).highlighted_rows() == {2}
    assert Table(df, "t", highlight=np.array([True, False, True])).highlighted_rows() == {0, 2}
    assert Table(df, "t", highlight=pd.Series([False, True, False])).highlighted_rows() == {1}


def test_captions_are_numbered_in_order_and_existing_numbers_kept():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    t1 = Table(pd.DataFrame({"a": [1]}), "甲")
    f1 = Figure(png, "图形")
    t2 = Table(pd.DataFrame({"a": [1]}), "表 9 已编号")
    rep = Report("r", sections=[TableOfContents(), Section("s", [t1, f1, t2])])
    caps = captioned(rep)
    assert [b for b, _ in caps] == [t1, f1, t2]
    assert [c for _, c in caps] == ["表 1　甲", "图 1　图形", "表 9 已编号"]
    assert rep.tables() == [t1, t2]


def test_key_figures_normalized_fills_missing_note():
    kf = KeyFigures([("落实率", "91.2%"), ("收入", 6120, None)])
    assert kf.normalized() == [("落实率", "91.2%", ""), ("收入", "6120", "")]


def test_figure_width_must_be_a_fraction():
    with pytest.raises(ValueError, match="fraction"):
        Figure(b"", "x", width=1.5)


def test_sheet_names_are_legal_unique_and_short():
    used = set()
    names = [sheet_name(c, used) for c in ["表 1　a/b:c*d?[e]", "x" * 40, "x" * 40, "History", "", "'q'"]]
    assert names[0] == "表1 a_b_c_d_(e)"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[1] == "x" * 30 + "…" and names[2] == "x" * 29 + "~2"
    assert names[3].lower() != "history"
    assert not any(set(n) & set("[]:*?/\\") for n in names)


@pytest.mark.parametrize("caption, expected", [
    ("表 6-11b 汉语言文学：用人单位指出的能力短板（前 5 项）", "表6-11b 汉语言文学：用人单位指出的能力短板（前 5 项）"),  # 31: fits
    # a parenthesis goes first …
    ("表 6-12b 新闻传播学类：用人单位指出的能力短板（前 5 项）", "表6-12b 新闻传播学类：用人单位指出的能力短板"),
    # … then the text after the last clause mark, when that keeps most of the room …
    ("表 7-2 各专业调整建议的证据来源、负责部门与完成时限：汇总清单", "表7-2 各专业调整建议的证据来源、负责部门与完成时限"),
    # … else whole words, marked with an ellipsis
    ("表 6-4b 机械设计制造及其自动化：用人单位开放题中指出的能力短板及其典型原话摘录",
     "表6-4b 机械设计制造及其自动化：用人单位开放题中指出的…"),
    ("表 2 毕业生对母校人才培养方案与课程体系改革的意见建议汇总分析与建议", "表2 毕业生对母校人才培养方案与课程体系改革的意见建议汇总…"),
])
def test_sheet_names_are_cut_between_phrases_and_words(caption, expected):
    name = sheet_name(caption, set())
    assert name == expected and len(name) <= 31


def test_sheet_names_never_end_inside_a_word():
    """Hand-written long captions (not the report builder's): every shortened name is the
    caption's number plus a prefix of its title (or of the title without its parenthesis)
    that ends at a jieba word boundary."""
    from survey_analysis.report._wordbreak import WordBreaker

    captions = [
        "表 4-7 毕业生对学校就业指导与职业生涯规划课程的满意度和改进建议",
        "表 5-9 计算机科学与技术专业核心课程重要度与满足度评价（本科，2025 届）",
        "表 9-3 访企拓岗促就业专项行动电子台账中新拓展用人单位的行业与地区分布",
        "表 1-1 人才培养方案修订所依据的用人单位需求调查与毕业生跟踪调查样本概况",
    ]
    wb = WordBreaker()
    used: set = set()
    for cap in captions:
        name = sheet_name(cap, used, wb)
        assert len(name) <= 31
        number, rest = name.split(" ", 1)
        title = cap.split(" ", 2)[2]
        assert cap.replace(" ", "").startswith("表" + number[1:])
        body = rest.rstrip("…")
        source = title if title.startswith(body) else re.sub(r"（[^）]*）", "", title)
        assert source.startswith(body), (cap, name)
        bounds = {0}
        for g in wb.groups(source):
            bounds.add(max(bounds) + len(g))
        assert len(body) in bounds, (cap, name)


def test_empty_tables_say_so():
    header, rows = F.table_cells(Table(pd.DataFrame({"a": [], "b": []}), "t"))
    assert header == ["a", "b"] and rows == [["（无数据）", ""]]
    header, rows = F.table_cells(Table(pd.DataFrame(), "t"))
    assert rows == [["（无数据）"]]


def test_matplotlib_figure_is_turned_into_png():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.set_title("中文")
    f = Figure(fig, "c")
    assert f.png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f.size_px()[0] > 100
    assert not plt.fignum_exists(fig.number)  # closed after rendering
