"""DOCX renderer (python-docx): the report as an editable Word document.

Section titles use Word's built-in "Heading 1/2/3" styles, so Word's own table of contents
works; the TOC is a ``TOC`` field that Word fills in when the document is opened (the
document asks to update fields).  Tables repeat their header row on every page, figures are
inline pictures, every style has its East Asian font (``w:eastAsia``) set to
:data:`~survey_analysis.report.fonts.DOCX_EAST_ASIA_FONT`; the footer shows
"第 X 页 / 共 Y 页".
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from . import _format as F
from .model import (
    BulletList,
    Figure,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Table,
    TableOfContents,
    meta_items,
)

__all__ = ["render_docx"]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BLUE = "005493"
GREY = "6E6E6E"


def _t(text) -> str:
    """Text that XML (and so Word) accepts."""
    return _ILLEGAL.sub("", "" if text is None else str(text))


def _set_east_asia(style_or_run, name: str, latin: str | None = None) -> None:
    from docx.oxml.ns import qn

    el = style_or_run.element
    rpr = el.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), name)
    if latin:
        for a in ("w:ascii", "w:hAnsi"):
            rfonts.set(qn(a), latin)


def _field(paragraph, instr: str, placeholder: str = "") -> None:
    """Append a complex field (PAGE, NUMPAGES, TOC …) to ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")
        return el

    r = paragraph.add_run()
    r._r.append(fld("begin"))
    r = paragraph.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._r.append(it)
    r = paragraph.add_run()
    r._r.append(fld("separate"))
    paragraph.add_run(placeholder)
    r = paragraph.add_run()
    r._r.append(fld("end"))


def _shade(cell, hex_fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _styles(doc, east_asia: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    st = doc.styles
    normal = st["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    _set_east_asia(normal, east_asia, "Arial")
    normal.paragraph_format.line_spacing = 1.4
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 18), ("Heading 2", 14),
                       ("Heading 3", 12), ("Heading 4", 11), ("Caption", 9.5), ("Quote", 10),
                       ("List Bullet", 10.5), ("List Number", 10.5)):
        try:
            s = st[name]
        except KeyError:
            s = st.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.font.name = "Arial"
        s.font.size = Pt(size)
        _set_east_asia(s, east_asia, "Arial")
        if name.startswith("Heading") or name == "Title":
            s.font.color.rgb = RGBColor.from_string(BLUE)
        if name == "Caption":
            s.font.color.rgb = RGBColor.from_string("222222")
            s.font.italic = False
            s.font.bold = False
        if name == "Quote":
            s.font.color.rgb = RGBColor.from_string("3C3C3C")


def render_docx(report: Report, path: str | Path, *, east_asia_font: str | None = None) -> Path:
    """Write ``report`` as a Word document at ``path``.

    Parameters
    ----------
    report : Report
    path : str or Path
    east_asia_font : str, optional
        The East Asian font name (default :data:`~.fonts.DOCX_EAST_ASIA_FONT`, 微软雅黑).
    """
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    from .fonts import DOCX_EAST_ASIA_FONT

    ea = east_asia_font or DOCX_EAST_ASIA_FONT
    path = Path(path)
    caps = F.captions(report)
    doc = docx.Document()
    _styles(doc, ea)
    core = doc.core_properties
    core.title = _t(report.title)
    core.author = _t(report.meta.get("school", "")) or "survey_analysis"
    core.language = "zh-CN"
    # ask Word to refresh fields (TOC, page numbers) on opening
    settings = doc.settings.element
    upd = OxmlElement("w:updateFields")
    upd.set(qn("w:val"), "true")
    settings.append(upd)

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.0)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(1.8)
    sec.different_first_page_header_footer = True
    hp = sec.header.paragraphs[0]
    hp.text = _t(report.title)
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r in hp.runs:
        r.font.size = Pt(8)
        r.font.color.rgb = RGBColor.from_string(GREY)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("第 ")
    _field(fp, "PAGE", "1")
    fp.add_run(" 页 / 共 ")
    _field(fp, "NUMPAGES", "1")
    fp.add_run(" 页")
    text_width = sec.page_width - sec.left_margin - sec.right_margin

    # cover
    school = report.meta.get("school")
    for _ in range(5):
        doc.add_paragraph()
    if school:
        p = doc.add_paragraph(_t(school), style="Subtitle")
    doc.add_paragraph(_t(report.title), style="Title")
    if report.subtitle:
        doc.add_paragraph(_t(report.subtitle), style="Subtitle")
    for _ in range(3):
        doc.add_paragraph()
    for k, v in meta_items(report.meta):
        if k == "学校":
            continue
        p = doc.add_paragraph()
        r = p.add_run(_t(k) + "：")
        r.font.color.rgb = RGBColor.from_string(GREY)
        p.add_run(_t(v))
    doc.add_page_break()

    for s in F.iter_sections(report):
        toc_only = F.is_toc_only(s)
        if not toc_only:
            level = min(max(1, int(s.level)), 3)
            doc.add_heading(_t(s.title), level=level)
        else:
            level = 1
        for b in s.blocks:
            if isinstance(b, TableOfContents):
                p = doc.add_paragraph(_t(b.title), style="Title")
                p.runs[0].font.size = Pt(18)
                p = doc.add_paragraph()
                _field(p, 'TOC \\o "1-3" \\h \\z \\u', "（在 Word 中右键单击此处并选择“更新域”以生成目录。）")
                p.add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(b, Paragraph):
                doc.add_paragraph(_t(b.text))
            elif isinstance(b, Heading):
                doc.add_heading(_t(b.text), level=min(level + max(1, b.level) - 1, 4))
            elif isinstance(b, BulletList):
                style = "List Number" if b.ordered else "List Bullet"
                for item in b.items:
                    doc.add_paragraph(_t(item), style=style)
            elif isinstance(b, KeyFigures):
                items = b.normalized()
                tbl = doc.add_table(rows=1, cols=len(items))
                tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, (lab, val, note) in zip(tbl.rows[0].cells, items):
                    _shade(cell, "F3F6FA")
                    p = cell.paragraphs[0]
                    r = p.add_run(_t(val))
                    r.font.size = Pt(18)
                    r.font.color.rgb = RGBColor.from_string(BLUE)
                    cell.add_paragraph(_t(lab))
                    if note:
                        r = cell.add_paragraph().add_run(_t(note))
                        r.font.size = Pt(8)
                        r.font.color.rgb = RGBColor.from_string(GREY)
                doc.add_paragraph()
            elif isinstance(b, Table):
                _table(doc, b, caps.get(id(b), b.caption))
            elif isinstance(b, Figure):
                doc.add_picture(io.BytesIO(b.png()), width=int(text_width * float(b.width)))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                p = doc.add_paragraph(_t(caps.get(id(b), b.caption)), style="Caption")
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif isinstance(b, Quote):
                doc.add_paragraph("“" + _t(b.text) + "”", style="Quote")
                if b.source:
                    p = doc.add_paragraph("—— " + _t(b.source))
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    p.runs[0].font.size = Pt(8.5)
                    p.runs[0].font.color.rgb = RGBColor.from_string(GREY)
            elif isinstance(b, PageBreak):
                doc.add_page_break()
            else:
                raise TypeError(f"unknown report block {type(b).__name__}")
    doc.save(str(path))
    return path


def _table(doc, b: Table, caption: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    header, rows = F.table_cells(b)
    num = F.numeric_columns(b)
    cols = b.display_columns()
    hl = b.highlighted_rows()
    cap = doc.add_paragraph(_t(caption), style="Caption")
    cap.paragraph_format.keep_with_next = True
    tbl = doc.add_table(rows=1, cols=max(1, len(header)))
    tbl.style = doc.styles["Table Grid"]
    hdr = tbl.rows[0]
    _repeat_header(hdr)
    for cell, h in zip(hdr.cells, header):
        _shade(cell, BLUE)
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(_t(h))
        r.font.size = Pt(9)
        r.font.color.rgb = RGBColor(255, 255, 255)
    right = [c in num for c in cols]
    # rows are written as XML in one go: python-docx's cell API is O(rows) per access,
    # which makes a 1,500-row table take 20 s instead of 1 s
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from xml.sax.saxutils import escape

    grid = [gc.w for gc in tbl._tbl.tblGrid.gridCol_lst]
    parts = []
    for i, values in enumerate(rows):
        cells = []
        for j, v in enumerate(values):
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="FFF0D6"/>' if i in hl else ""
            width = f'<w:tcW w:w="{int(grid[j] / 635)}" w:type="dxa"/>' if j < len(grid) and grid[j] else ""
            jc = '<w:jc w:val="right"/>' if right[j] else ""
            lines = _t(v).split("\n")
            runs = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(ln)}</w:t>' for ln in lines)
            cells.append(
                f"<w:tc><w:tcPr>{width}{shade}</w:tcPr><w:p><w:pPr>{jc}</w:pPr>"
                f'<w:r><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>{runs}</w:r></w:p></w:tc>'
            )
        parts.append("<w:tr>" + "".join(cells) + "</w:tr>")
    if parts:
        frag = parse_xml(f"<w:tbl {nsdecls('w')}>" + "".join(parts) + "</w:tbl>")
        for tr in list(frag):
            tbl._tbl.append(tr)
    note = b.full_note()
    if note:
        p = doc.add_paragraph("注：" + _t(note))
        p.runs[0].font.size = Pt(8)
        p.runs[0].font.color.rgb = RGBColor.from_string(GREY)
    else:
        doc.add_paragraph()
