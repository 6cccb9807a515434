import re
import shutil
import subprocess

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn

from survey_analysis.report import BulletList, Heading, Paragraph, Report, Section, Table, TableOfContents
from survey_analysis.report._colwidth import table_lines
from survey_analysis.report.docx import render_docx
from survey_analysis.report.fonts import DOCX_EAST_ASIA_FONT

from .conftest import LONG_COMMENT, SLASH_MAJOR


@pytest.fixture(scope="module")
def d(rendered):
    return docx.Document(str(rendered["docx"]))


def test_headings_use_word_heading_styles(d, report):
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["执行摘要", "数据与方法", "各专业结果", "用人单位意见", "附录"]
    assert "样本" in [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    # outline levels (Word's navigation pane) come with the built-in styles
    for name, level in (("Heading 1", "0"), ("Heading 2", "1"), ("Heading 3", "2")):
        lvl = d.styles[name].element.pPr.find(qn("w:outlineLvl"))
        assert lvl is not None and lvl.get(qn("w:val")) == level


def _toc(d):
    """(instruction, [(style, text, anchor)]) of the TOC field in the body."""
    body = d.element.body
    instr = "".join(e.text for e in body.iter(qn("w:instrText")) if "TOC" in e.text)
    entries = []
    for p in body.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")).get(qn("w:val")) if ppr is not None and ppr.find(qn("w:pStyle")) is not None else ""
        if style in ("TOC1", "TOC2"):
            link = p.find(qn("w:hyperlink"))
            text = "".join(t.text for t in link.iter(qn("w:t")))
            entries.append((style, text, link.get(qn("w:anchor"))))
    return instr, entries


def test_table_of_contents_is_filled_and_updatable(d):
    """The contents are there without updating fields: one linked entry per Heading 1/2 in
    the cached result of a TOC field (so Word's "update field" rebuilds the same list)."""
    instr, entries = _toc(d)
    assert 'TOC \\o "1-2"' in instr
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert [(("Heading 1" if s == "TOC1" else "Heading 2"), t) for s, t, _ in entries] == headings
    marks = {b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))}
    assert all(a in marks for _, _, a in entries)
    # the field begins before the first entry and ends after the last
    kinds = [f.get(qn("w:fldCharType")) for f in d.element.body.iter(qn("w:fldChar"))]
    assert kinds[:3] == ["begin", "separate", "end"] or kinds[0] == "begin"


def test_text_and_tables(d):
    text = "\n".join(p.text for p in d.paragraphs)
    assert "2024 届毕业生培养质量与社会需求分析报告" in text
    assert "“" + LONG_COMMENT + "”" in text
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert SLASH_MAJOR in cells and LONG_COMMENT in cells
    assert "91.2%（88.1–93.6）" in cells
    majors = next(t for t in d.tables if t.rows[0].cells[0].text == "专业")
    assert len(majors.rows) == 91
    for i, row in enumerate(majors.rows):
        trpr = row._tr.trPr
        assert trpr.find(qn("w:cantSplit")) is not None  # a row never splits across pages
        assert (trpr.find(qn("w:tblHeader")) is not None) == (i == 0)  # the header repeats


def test_figure_and_east_asian_font(d):
    assert len(d.inline_shapes) == 1
    for name in ("Normal", "Heading 1", "Heading 2", "Title", "Caption"):
        rfonts = d.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == DOCX_EAST_ASIA_FONT, name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None, name  # a theme font would win


def test_footer_has_page_fields(d):
    footer = d.sections[0].footer
    instr = "".join(e.text for e in footer._element.iter(qn("w:instrText")))
    assert "PAGE" in instr and "NUMPAGES" in instr
    assert "第" in footer.paragraphs[0].text and "页" in footer.paragraphs[0].text


def _recs(n=60) -> pd.DataFrame:
    """A recommendations table written for this test: long texts next to short codes."""
    majors = ["计算机科学与技术", "机械设计制造及其自动化", "汉语言文学", "会计学"]
    return pd.DataFrame({
        "专业": [majors[i % 4] for i in range(n)],
        "序号": [i % 5 + 1 for i in range(n)],
        "建议类型": ["人才培养方案制定", "课程体系", "实践教学", "就业指导"][:1] * n,
        "优先级": ["高", "中", "低"][:1] * n,
        "建议": [f"在《程序设计基础》与《软件工程实践》课程中增加{'小组项目与答辩环节，' * (1 + i % 3)}由教研室在下一轮培养方案修订时落实。"
               for i in range(n)],
        "证据": [f"用人单位开放题指出沟通表达不足：{30 + i}/95 家，{(30 + i) / 95:.1%}\n毕业生能力满足度 72.7%（n={200 + i}）"
               for i in range(n)],
        "n": [200 + i for i in range(n)],
    })


def _widths(table) -> list[int]:
    return [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]


def test_column_widths_follow_the_content(tmp_path):
    recs = _recs()
    rep = Report("建议", sections=[Section("建议", [Table(recs, "专业层面的建议", formats={"n": "int", "序号": "int"})])])
    d = docx.Document(str(render_docx(rep, tmp_path / "r.docx")))
    t = d.tables[0]
    w = _widths(t)
    assert t._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert sum(w) <= 9638 + 5  # the text width of an A4 page with 2 cm margins
    cols = list(recs.columns)
    long_share = (w[cols.index("建议")] + w[cols.index("证据")]) / sum(w)
    assert long_share > 0.35  # 2 of 7 columns: the long texts get the largest share
    short = [w[cols.index(c)] for c in ("序号", "建议类型", "优先级", "n")]
    assert min(w[cols.index("建议")], w[cols.index("证据")]) > max(short)
    assert w[cols.index("序号")] < w[cols.index("建议类型")] < w[cols.index("专业")]  # the name stays whole
    assert len(set(w)) > 3  # not equal columns
    # the estimated height is far below equal widths (the 40-page table of the issue)
    cells = [[c] + [str(x) for x in recs[c]] for c in cols]
    units = [(x - 2 * 85) / (9 * 20 * 0.56) for x in w]  # text width of each cell, in half-width cells
    equal = [sum(units) / len(units)] * len(units)
    assert table_lines(cells, units) < 0.7 * table_lines(cells, equal)
    # a row of the first table cell per column: each cell's width equals its grid column
    tc_w = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in t._tbl.tr_lst[1].tc_lst]
    assert tc_w == w


def test_every_ordered_list_restarts_at_one(tmp_path):
    rep = Report("列表", sections=[
        Section("甲", [BulletList(["一", "二", "三"], ordered=True)]),
        Section("乙", [BulletList(["四", "五"], ordered=True), BulletList(["无序"]), BulletList(["六"], ordered=True)]),
    ])
    d = docx.Document(str(render_docx(rep, tmp_path / "l.docx")))
    numbered = [p for p in d.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert [len(list(g)) for g in _runs(ids)] == [3, 2, 1]  # one numbering per list
    assert len(set(ids)) == 3
    numbering = d.part.numbering_part.element
    for num_id in set(ids):
        num = next(n for n in numbering.iter(qn("w:num")) if int(n.get(qn("w:numId"))) == num_id)
        start = num.find(qn("w:lvlOverride")).find(qn("w:startOverride"))
        assert start.get(qn("w:val")) == "1"


def _runs(seq):
    import itertools

    return [list(g) for _, g in itertools.groupby(seq)]


def test_a_table_too_wide_for_portrait_gets_a_landscape_page(tmp_path):
    wide = pd.DataFrame({"专业": ["计算机科学与技术", "会计学"],
                         **{f"思想政治素质与职业道德{i}": [0.912, 0.85] for i in range(24)}})
    rep = Report("宽表", sections=[Section("宽", [Paragraph("前"), Table(wide, "宽表", formats={c: "pct" for c in wide.columns[1:]}),
                                               Paragraph("后")])])
    d = docx.Document(str(render_docx(rep, tmp_path / "w.docx")))
    orient = [(s.page_width > s.page_height) for s in d.sections]
    assert orient == [False, True, False]


# -- LibreOffice: what the pages look like ---------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _lo_pages(path, tmp_path) -> list[str]:
    from survey_analysis.report.pdf import pdf_text

    out = tmp_path / "pdf"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=300)
    return pdf_text(out / (path.stem + ".pdf"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_contents_headings_and_whole_numbers(tmp_path, monkeypatch):
    """Convert the DOCX to PDF with LibreOffice: the contents list the headings without
    updating any field, numbers stay on one line, and a recommendations table needs far
    fewer pages than with equal column widths (rendered too, as the control)."""
    from survey_analysis.report import docx as docx_mod

    from .conftest import build_report

    recs = _recs(120)
    base = build_report(with_figure=False)
    rep = Report(base.title, base.subtitle, meta=base.meta, sections=[
        *base.sections, Section("建议汇总", [Table(recs, "专业层面的建议", formats={"n": "int", "序号": "int"})])])
    pages = _lo_pages(render_docx(rep, tmp_path / "lo.docx"), tmp_path)
    toc = pages[1]
    for title in ("执行摘要", "数据与方法", "样本", "各专业结果", "计算机科学与技术", "用人单位意见", "附录", "建议汇总"):
        assert title in toc, title
    text = "\n".join(pages)
    assert not re.search(r"\d\s*\n\s*[.%]|\.\s*\n\s*\d", text), "a number broken over two lines"
    assert "91.2%（88.1–93.6）" in text
    start = next(i for i, t in enumerate(pages) if "专业层面的建议" in t)
    ours = len(pages) - start  # the table is the last thing in the document

    def equal(header, rows, numeric, available, **kw):
        return [available / len(header)] * len(header)

    monkeypatch.setattr(docx_mod, "column_widths", equal)
    control = _lo_pages(render_docx(rep, tmp_path / "equal.docx"), tmp_path)
    theirs = len(control) - next(i for i, t in enumerate(control) if "专业层面的建议" in t)
    assert ours * 1.5 <= theirs, (ours, theirs)
