import re

import pytest
from pypdf import PdfReader

from survey_analysis.report.pdf import pdf_text

from .conftest import LONG_COMMENT, SLASH_MAJOR, build_report, make_majors


@pytest.fixture(scope="module")
def pdf(rendered):
    return PdfReader(str(rendered["pdf"]))


@pytest.fixture(scope="module")
def pages(rendered):
    return pdf_text(rendered["pdf"])


def _flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_headings_and_cover_are_searchable(pages, report):
    flat = _flat("".join(pages))
    assert _flat(report.title) in _flat(pages[0])
    assert "示例大学" in pages[0] and "2024 届" in pages[0]
    for s in report.sections[1:]:
        assert _flat(s.title) in flat
    assert "表 4　空表" in "".join(pages) and "（无数据）" in "".join(pages)
    assert "表 3　各专业主要指标" in "".join(pages)
    assert SLASH_MAJOR in flat


def _half_up(x, places, scale=1):
    from decimal import ROUND_HALF_UP, Decimal

    return Decimal(repr(float(x))) * scale if places is None else (
        (Decimal(repr(float(x))) * scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def test_table_numbers_match_the_dataframe(pages):
    majors = make_majors()
    flat = _flat("".join(pages))
    for _, row in majors.iloc[[0, 10, 45, 89]].iterrows():
        pct = _half_up(row["placement"], 1, 100)
        money = f"{_half_up(row['income'], 0):,}"
        expected = f"{row['major']}{row['n']:,}{pct}%¥{money}{_half_up(row['score'], 2)}"
        assert expected in flat
    assert "91.2%（88.1–93.6）" in flat


def _body(pages, report) -> str:
    """Page texts without the running header and footer, joined and without whitespace."""
    out = []
    for t in pages:
        t = _flat(t).replace(_flat(report.title), "")
        out.append(re.sub(r"第\d+页/共\d+页", "", t))
    return "".join(out)


def test_long_comment_wraps_and_is_complete(pages, report):
    # the 5,000-character comment appears in a table (split over continuation rows) and a quote
    flat = _body(pages, report)
    assert flat.count(LONG_COMMENT[-40:]) >= 2
    assert "（续）" in flat
    quote_text = re.search(r"“(希望学校加强实践教学.*?)”", flat).group(1)
    assert quote_text == LONG_COMMENT


def test_characters_the_font_lacks_are_replaced(pages):
    assert "受访者留言：很好□结束" in "".join(pages)


def test_fonts_are_embedded_subsets(pdf):
    seen = 0
    for page in pdf.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for f in fonts.values():
            f = f.get_object()
            assert re.match(r"^/[A-Z]{6}\+", f["/BaseFont"]), f["/BaseFont"]  # subset tag
            desc = f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in desc
            size = len(desc["/FontFile2"].get_object().get_data())
            assert size < 400_000  # a subset, not the 16 MB font
            seen += 1
    assert seen > 0


def test_outline_and_toc_page_numbers(pdf, pages, report):
    top = [o for o in pdf.outline if not isinstance(o, list)]
    nested = [o for sub in pdf.outline if isinstance(sub, list) for o in sub]
    assert [o.title for o in nested] == ["计算机科学与技术"]
    outline = [(o.title, pdf.get_destination_page_number(o) + 1) for o in top + nested]
    titles = [t for t, _ in outline]
    assert titles == ["执行摘要", "数据与方法", "各专业结果", "用人单位意见", "附录", "计算机科学与技术"]
    toc = pages[1]
    assert "目录" in toc
    for title, page in outline:
        m = re.search(re.escape(title) + r"\s*[·\s]*\s(\d+)", toc)
        assert m, title
        assert int(m.group(1)) == page
        assert title in pages[page - 1]


def test_page_numbers_in_footer(pages):
    n = len(pages)
    assert n >= 8
    for i, text in enumerate(pages[1:], start=2):
        assert f"第 {i} 页 / 共 {n} 页" in text
    assert "共" not in pages[0]  # the cover has no footer


def test_table_header_repeats_on_the_next_page(pages):
    first = next(i for i, t in enumerate(pages) if "示例专业000" in t)
    cont = next(i for i, t in enumerate(pages) if "示例专业089" in t)
    assert cont > first
    for i in range(first + 1, cont + 1):
        assert "满意度均分" in pages[i], f"header missing on page {i + 1}"
    assert "就业去向落实率 月收入 满意度均分" in pages[cont]


def test_figure_is_an_image_with_caption(pdf, pages):
    page = next(i for i, t in enumerate(pages) if "图 1　各专业就业去向落实率（n = " in t)
    xobj = pdf.pages[page]["/Resources"]["/XObject"]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobj.values())


def _w(s):
    return float(len(s))  # every character one unit wide


@pytest.mark.parametrize(
    "text, width, expected",
    [
        ("一二三四，五六", 4, ["一二三", "四，五六"]),  # the comma may not start a line
        ("一二三（四五", 4, ["一二三", "（四五"]),  # the bracket may not end a line
        ("比例为 91.2% 左右", 8, ["比例为", "91.2% 左右"]),  # numbers stay whole
        ("甲乙\n丙", 10, ["甲乙", "丙"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # a run longer than a line is broken
        ("", 4, [""]),
    ],
)
def test_break_lines_follows_chinese_rules(text, width, expected):
    from survey_analysis.report._wordbreak import break_lines

    assert break_lines(text, width, _w) == expected


def test_no_line_starts_with_closing_punctuation(pages):
    starts = [ln[0] for t in pages for ln in t.split("\n") if ln]
    assert not set(starts) & set("，。、；：？！）》”")


def test_multi_page_toc_keeps_page_numbers_right(tmp_path):
    from survey_analysis.report import Paragraph, Report, Section, TableOfContents
    from survey_analysis.report.pdf import render_pdf

    sections = [TableOfContents()]
    for i in range(36):
        sections.append(Section(f"第{i}章", [Paragraph("内容")]))
        sections.append(Section(f"专业{i}：英语/翻译", [Paragraph("专业内容")], level=2))
    path = render_pdf(Report("目录测试报告", sections=sections), tmp_path / "toc.pdf")
    pages = pdf_text(path)
    n = len(pages)
    assert all(f"第 {i} 页 / 共 {n} 页" in t for i, t in enumerate(pages[1:], start=2))
    entries = []
    for t in pages[1:4]:
        for line in t.split("\n"):
            m = re.match(r"^(第\d+章|专业\d+：英语/翻译)[\s·]*(\d+)$", line.strip())
            if m:
                entries.append((m.group(1), int(m.group(2))))
    assert len(entries) == 72
    assert pages[1].count("·") and "第0章" in pages[1] and "专业35：英语/翻译" not in pages[1]  # TOC spans pages
    for title, page in entries:
        body = pages[page - 1].split("\n")
        assert title in body, (title, page)


def test_heading_is_never_left_alone_at_the_bottom_of_a_page(tmp_path):
    import pandas as pd

    from survey_analysis.report import Heading, Paragraph, Report, Section, Table
    from survey_analysis.report.pdf import render_pdf

    df = pd.DataFrame({"专业": [f"专业{i}" for i in range(8)], "n": range(8)})
    sections = [
        Section(f"第{k}节", [Paragraph("\n".join(["填充文字"] * k)), Heading(f"小标题{k}"), Table(df, f"表格{k}")])
        for k in range(28, 40, 2)
    ]
    pages = pdf_text(render_pdf(Report("孤行测试", sections=sections), tmp_path / "h.pdf"))
    moved = 0
    for k in range(28, 40, 2):
        (hp,) = [i for i, t in enumerate(pages) if f"小标题{k}" in t]
        (tp,) = [i for i, t in enumerate(pages) if f"表格{k}" in t]
        assert hp == tp, k
        moved += f"第{k}节" not in pages[hp]
    assert moved >= 1  # at least one heading really had to move to the next page


def test_wide_tables_shrink_or_split_but_never_break_numbers(tmp_path):
    import numpy as np
    import pandas as pd

    from survey_analysis.report import Report, Section, Table
    from survey_analysis.report.pdf import render_pdf

    rng = np.random.default_rng(3)
    majors = ["计算机科学与技术", "机械设计制造及其自动化", "会计学"]
    fifteen = pd.DataFrame({"专业": majors, **{f"能力{i}": rng.uniform(70, 99, 3) for i in range(15)}})
    thirty = pd.DataFrame({"专业": majors, **{f"指标{i}": rng.uniform(0, 1, 3) for i in range(30)}})
    rep = Report("宽表", sections=[Section("宽表", [
        Table(fifteen, "十五列", formats={f"能力{i}": "float1" for i in range(15)}),
        Table(thirty, "三十列", formats={f"指标{i}": "pct" for i in range(30)}, note="脚注"),
    ])])
    text = "\n".join(pdf_text(render_pdf(rep, tmp_path / "w.pdf")))
    tokens = set(text.split())
    for v in fifteen.iloc[:, 1:].to_numpy().ravel():
        assert _fmt_half_up(v, 1) in tokens
    for v in thirty.iloc[:, 1:].to_numpy().ravel():
        assert f"{_fmt_half_up(v, 1, 100)}%" in tokens
    assert "表 1　十五列" in text and "（续）" not in text.split("表 2")[0]  # 15 columns fit (smaller font)
    assert "表 2　三十列（续）" in text  # 30 columns are split, the first column repeated
    assert text.count("会计学") >= 3 and text.count("脚注") == 1


def _fmt_half_up(x, places, scale=1):
    from decimal import ROUND_HALF_UP, Decimal

    return str((Decimal(repr(float(x))) * scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def test_break_lines_leaves_no_lone_character():
    from survey_analysis.report._wordbreak import break_lines

    assert break_lines("一二三四五六七八九", 8, _w) == ["一二三四五六七", "八九"]
    assert break_lines("一二三四五六七，九", 8, _w) == ["一二三四五六", "七，九"]


def _page_pixels(path):
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return [np.asarray(doc[i].render(scale=1.5).to_pil().convert("L")) for i in range(len(doc))]
    finally:
        doc.close()


def _tricky_table_report():
    import numpy as np
    import pandas as pd

    from survey_analysis.report import Report, Section, Table

    from .conftest import build_report

    rng = np.random.default_rng(11)
    n = 70
    tricky = pd.DataFrame({
        "专业": [f"专业{i}" if i % 9 else "" for i in range(n)],  # empty cells
        "意见": [("换行\n\n空行后" if i % 7 == 0 else "末尾换行\n" if i % 11 == 0 else
                 "  前导空格" if i % 13 == 0 else LONG_COMMENT[: int(rng.integers(0, 400))])
               for i in range(n)],
        "比例": rng.uniform(0, 1, n),
        "均值": np.where(rng.uniform(size=n) < 0.2, np.nan, rng.uniform(1, 5, n)),
    })
    all_empty = pd.DataFrame({"a": ["", ""], "b": ["", "x"]})
    one_row = pd.DataFrame({"专业": ["会计学"], "人数": [3]})
    wide = pd.DataFrame({"专业": ["计算机科学与技术", "会计学"], **{f"指标{i}": rng.uniform(0, 1, 2) for i in range(25)}})
    base = build_report(with_figure=False)
    extra = Section("表格边界情况", [
        Table(tricky, "边界情况", formats={"比例": "pct", "均值": "float2"}, highlight=[1, 5, 40]),
        Table(all_empty, "空单元格"),
        Table(one_row, "一行", formats={"人数": "int"}),
        Table(wide, "宽表", formats={f"指标{i}": "pct" for i in range(25)}),
    ])
    return Report(base.title, base.subtitle, meta=base.meta, sections=[*base.sections, extra])


def test_fast_tables_draw_the_same_pages_as_fpdf_table(tmp_path, monkeypatch):
    """Without the orphan rules, the direct table drawer must lay tables out exactly like
    FPDF.table: same pages, same extracted text, same pixels (long cells split over rows, empty cells, trailing and
    double newlines, page breaks with repeated headers, highlighted rows, split wide tables)."""
    import numpy as np

    from survey_analysis.report import pdf as P

    rep = _tricky_table_report()
    monkeypatch.setattr(P, "ORPHAN_CONTROL", False)  # FPDF.table breaks wherever a row does not fit
    monkeypatch.setattr(P, "FAST_TABLES", False)
    slow = P.render_pdf(rep, tmp_path / "slow.pdf")
    monkeypatch.setattr(P, "FAST_TABLES", True)
    fast = P.render_pdf(rep, tmp_path / "fast.pdf")
    t_slow, t_fast = pdf_text(slow), pdf_text(fast)
    assert len(t_slow) == len(t_fast) > 8
    assert t_fast == t_slow
    for i, (a, b) in enumerate(zip(_page_pixels(slow), _page_pixels(fast))):
        assert a.shape == b.shape, i
        assert int((np.abs(a.astype(int) - b.astype(int)) > 32).sum()) == 0, f"page {i + 1} differs"


def test_fast_string_width_equals_fpdf(tmp_path):
    from survey_analysis.report import pdf as P
    from survey_analysis.report.fonts import font_codepoints, pdf_font_file

    texts = ["", " ", "91.2%", "（测试）—“引号”", "abc 中文 123%", "□", "第 1 页 / 共 9 页", LONG_COMMENT[:300]]
    rep = _tricky_table_report()
    font = pdf_font_file("".join(texts), tmp_path)
    doc = P._Doc(rep, font, font_codepoints())
    for size in (P.TABLE_PT, P.TABLE_PT_MIN, 7.3125, P.BODY_PT):
        doc.pdf.set_font(P.FONT, size=size)
        fast = doc.width_of()
        for t in texts:
            assert fast(t) == doc.pdf.get_string_width(t), (size, t)


def test_text_lines_draw_the_same_pages_as_multi_cell(tmp_path, monkeypatch):
    """Paragraphs, list items, captions and notes are drawn line by line (``_Doc.text_lines``);
    with fpdf2's ``multi_cell`` in its place the pages are the same: text, page breaks, pixels
    (long items that run over a page, centred captions, empty lines)."""
    import numpy as np

    from survey_analysis.report import pdf as P
    from survey_analysis.report.model import BulletList, Paragraph, Report, Section

    long_items = [LONG_COMMENT * 3, "短的一条", LONG_COMMENT[:120] + "\n\n" + LONG_COMMENT[:80]] * 6
    base = build_report(with_figure=True)
    rep = Report(base.title, base.subtitle, meta=base.meta, sections=[
        *base.sections,
        Section("长列表", [Paragraph(LONG_COMMENT * 4), BulletList(long_items, ordered=True),
                         BulletList(long_items[:4]), Paragraph("")])])
    fast = P.render_pdf(rep, tmp_path / "fast.pdf")

    def via_multi_cell(self, w, lh, lines, *, align="L"):
        self.pdf.multi_cell(w, lh, lines, align=align, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")

    monkeypatch.setattr(P._Doc, "text_lines", via_multi_cell)
    slow = P.render_pdf(rep, tmp_path / "slow.pdf")
    assert pdf_text(fast) == pdf_text(slow) and len(pdf_text(fast)) > 6
    for i, (a, b) in enumerate(zip(_page_pixels(slow), _page_pixels(fast))):
        assert a.shape == b.shape, i
        assert int((np.abs(a.astype(int) - b.astype(int)) > 32).sum()) == 0, f"page {i + 1} differs"
