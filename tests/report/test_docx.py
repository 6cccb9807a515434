import docx
import pytest
from docx.oxml.ns import qn

from survey_analysis.report.fonts import DOCX_EAST_ASIA_FONT

from .conftest import LONG_COMMENT, SLASH_MAJOR


@pytest.fixture(scope="module")
def d(rendered):
    return docx.Document(str(rendered["docx"]))


def test_headings_use_word_heading_styles(d, report):
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["执行摘要", "数据与方法", "各专业结果", "用人单位意见", "附录"]
    assert "样本" in [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    instr = "".join(e.text for e in d.element.body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-3"' in instr


def test_text_and_tables(d):
    text = "\n".join(p.text for p in d.paragraphs)
    assert report_title_in(text)
    assert "“" + LONG_COMMENT + "”" in text
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    assert SLASH_MAJOR in cells and LONG_COMMENT in cells
    assert "91.2%（88.1–93.6）" in cells
    majors = next(t for t in d.tables if t.rows[0].cells[0].text == "专业")
    assert len(majors.rows) == 91
    hdr = majors.rows[0]._tr.trPr
    assert hdr is not None and hdr.find(qn("w:tblHeader")) is not None


def report_title_in(text):
    return "2024 届毕业生培养质量与社会需求分析报告" in text


def test_figure_and_east_asian_font(d):
    assert len(d.inline_shapes) == 1
    rfonts = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == DOCX_EAST_ASIA_FONT
    h1 = d.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert h1.get(qn("w:eastAsia")) == DOCX_EAST_ASIA_FONT


def test_footer_has_page_fields(d):
    footer = d.sections[0].footer
    instr = "".join(e.text for e in footer._element.iter(qn("w:instrText")))
    assert "PAGE" in instr and "NUMPAGES" in instr
    assert "第" in footer.paragraphs[0].text and "页" in footer.paragraphs[0].text
