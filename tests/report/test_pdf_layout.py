"""PDF layout: lines break between words (never inside 人才培养方案, a major's name, a number
or a file name), and no table leaves a single row or its header alone on a page.

The texts are written by hand for these tests (not the sample generator's vocabulary).
"""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.report import BulletList, Paragraph, Quote, Report, Section, Table
from survey_analysis.report import pdf as P
from survey_analysis.report._pdf_table import plan_breaks
from survey_analysis.report._wordbreak import CharBreaker, WordBreaker, break_lines, display_width
from survey_analysis.report.pdf import pdf_text, render_pdf

WORDS = ["人才培养方案", "计算机科学与技术", "机械设计制造及其自动化", "数据科学与大数据技术", "电气工程及其自动化",
         "汉语言文学", "思想政治素质与职业道德", "能力满足度", "employer_2025_wjx_text.xls", "80.6–83.4%", "<0.001",
         "2022-08-20", "¥6,512"]

SENTENCES = [
    "建议修订人才培养方案，在计算机科学与技术专业增设软件工程实践周，置信区间为 80.6–83.4%，p<0.001。",
    "机械设计制造及其自动化专业的毕业生反映，数据科学与大数据技术方向的选修课与岗位要求脱节。",
    "电气工程及其自动化专业 2022-08-20 完成走访；汉语言文学专业的月收入中位数为 ¥6,512。",
    "用人单位对思想政治素质与职业道德的评价最高，能力满足度最低的是沟通表达能力。",
    "数据来源：用人单位调查（employer_2025_wjx_text.xls，有效 585 份）。",
]


def _report() -> Report:
    """Every word lands at every position of a line somewhere: the sentences are shifted by
    0…44 filler characters (a body line holds about 45)."""
    paras = [Paragraph("填" * k + SENTENCES[k % len(SENTENCES)] * 2) for k in range(45)]
    cells = pd.DataFrame({"专业": ["计算机科学与技术", "机械设计制造及其自动化", "数据科学与大数据技术"] * 8,
                          "意见": [("说" * (k % 13)) + SENTENCES[k % len(SENTENCES)] for k in range(24)],
                          "比例": [0.1 + k / 100 for k in range(24)]})
    return Report("分词断行测试报告", meta={"school": "测试学院", "sources": [SENTENCES[4]] * 2}, sections=[
        Section("正文", paras),
        Section("列表与引文", [BulletList(SENTENCES * 3, ordered=True), Quote(" ".join(SENTENCES), "毕业生，计算机科学与技术")]),
        Section("表格", [Table(cells, "意见表", formats={"比例": "pct"}, note=SENTENCES[0])]),
    ])


def _splits(pages: list[str]) -> list[str]:
    """Words of WORDS broken across two lines in the extracted text."""
    text = "\n".join(pages)
    found = []
    for w in WORDS:
        for k in range(1, len(w)):
            if re.search(re.escape(w[:k]) + r"[ \t]*\n[ \t]*" + re.escape(w[k:]), text):
                found.append(f"{w[:k]}|{w[k:]}")
    return found


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return pdf_text(render_pdf(_report(), tmp_path_factory.mktemp("wb") / "w.pdf"))


def test_no_word_is_broken_across_lines(pages):
    flat = re.sub(r"\s+", "", "".join(pages))
    for w in WORDS:
        assert w in flat, w  # every word is really there …
    assert _splits(pages) == []  # … and never split over two lines


def test_the_check_finds_breaks_inside_words(tmp_path, monkeypatch):
    """Control: breaking between any two characters (the old behaviour) splits words, and
    the check above sees it."""
    monkeypatch.setattr(P, "WordBreaker", lambda *a, **k: CharBreaker())
    pages = pdf_text(render_pdf(_report(), tmp_path / "c.pdf"))
    assert len(_splits(pages)) >= 5


def test_cover_sources_are_not_split(pages):
    assert "employer_2025_wjx_text.xls" in pages[0]


@pytest.mark.parametrize("width", [6, 9, 14, 20, 31, 46])
def test_break_lines_breaks_only_between_groups(width):
    wb = WordBreaker()
    for s in SENTENCES:
        lines = break_lines(s, width, display_width, wb)
        assert all(display_width(line) <= width for line in lines)
        joined = "".join(lines)
        assert joined.replace(" ", "") == s.replace(" ", "")
        bounds, pos = {0}, 0
        for g in wb.groups(s):
            pos += len(g.replace(" ", "")) if g.isspace() is False else 0
            bounds.add(pos)
        pos = 0
        for line in lines[:-1]:
            pos += len(line.replace(" ", ""))
            group_too_wide = any(display_width(g) > width for g in wb.groups(s))
            assert pos in bounds or group_too_wide, (width, line)


def test_a_word_wider_than_the_line_is_broken_inside():
    assert break_lines("计算机科学与技术", 6, display_width, WordBreaker()) == ["计算机", "科学与", "技术"]
    assert break_lines("employer_2025_wjx_text.xls", 12, display_width, WordBreaker()) == \
        ["employer_", "2025_wjx_", "text.xls"]


# -- tables ----------------------------------------------------------------------------------

def _tables_report() -> Report:
    """Tables of 2–9 rows (and a long one) after filler of growing length, so that their
    starts and ends fall at every height of a page."""
    sections = []
    t = 0
    for k in range(0, 44):
        blocks = [Paragraph("\n".join(["填充文字"] * k))]
        for m in ((2, 4, 9) if k % 2 else (3, 5, 7)):
            t += 1
            df = pd.DataFrame({f"表头{t}": [f"T{t}R{i}" for i in range(m)], "人数": list(range(m))})
            blocks.append(Table(df, f"表格{t}", note=f"表格{t}注"))
        sections.append(Section(f"第{k}节", blocks))
    df = pd.DataFrame({"表头999": [f"T999R{i}" for i in range(61)], "人数": range(61)})
    sections.append(Section("长表", [Paragraph("\n".join(["填充文字"] * 30)), Table(df, "表格999", note="表格999注")]))
    return Report("孤行测试", sections=sections)


def _orphans(pages: list[str]) -> list[str]:
    problems = []
    per_table: dict = {}
    for p, text in enumerate(pages):
        for t, i in re.findall(r"\bT(\d+)R(\d+)\b", text):
            per_table.setdefault(int(t), {}).setdefault(p, []).append(int(i))
    for t, on in per_table.items():
        n = sum(len(v) for v in on.values())
        for p, rows in on.items():
            if len(rows) == 1 and n > 1:
                problems.append(f"table {t}: row {rows[0]} alone on page {p + 1}")
            if f"表头{t}" not in pages[p]:
                problems.append(f"table {t}: no header on page {p + 1}")
        first, last = min(on), max(on)
        if f"表格{t}" not in pages[first].replace(f"表格{t}注", ""):
            problems.append(f"table {t}: caption not on the page of its first rows")
        if f"表格{t}注" not in pages[last]:
            problems.append(f"table {t}: note not on the page of its last row")
    for p, text in enumerate(pages):  # a header (or caption) at the foot of a page without rows
        for t in re.findall(r"表头(\d+)", text):
            if int(t) not in per_table or p not in per_table[int(t)]:
                problems.append(f"table {t}: header alone on page {p + 1}")
    return problems


def test_no_table_leaves_a_row_or_its_header_alone(tmp_path):
    pages = pdf_text(render_pdf(_tables_report(), tmp_path / "t.pdf"))
    assert len(pages) > 10
    assert _orphans(pages) == []


def test_the_orphan_check_finds_orphans_without_the_rules(tmp_path, monkeypatch):
    monkeypatch.setattr(P, "ORPHAN_CONTROL", False)
    pages = pdf_text(render_pdf(_tables_report(), tmp_path / "t.pdf"))
    problems = _orphans(pages)
    assert any("alone on page" in p for p in problems) and any("note" in p for p in problems), problems


@settings(max_examples=300, deadline=None)
@given(heights=st.lists(st.floats(4, 30), min_size=2, max_size=60), y0=st.floats(20, 279),
       tail=st.floats(0, 12))
def test_plan_breaks_properties(heights, y0, tail):
    top, bottom = 20.0, 279.0
    move, breaks = plan_breaks(heights, y0, top, bottom, tail=tail)
    n = len(heights)
    starts = [1] + breaks
    ends = breaks + [n]
    assert breaks == sorted(set(breaks)) and all(1 <= b < n for b in breaks)
    for k, (a, b) in enumerate(zip(starts, ends)):
        y = (y0 if k == 0 and not move else top) + heights[0]
        rows = sum(heights[a:b]) + (tail if b == n else 0)
        assert y + rows <= bottom + 1e-6 or b - a == 1, (k, a, b)  # every page's rows fit
        if n > 3 and b > a:
            assert b - a >= 2, (k, a, b, breaks)  # never a single row on a page
