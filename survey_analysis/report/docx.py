"""DOCX renderer (python-docx): the report as an editable Word document, the format an office
edits into its official report.

* Headings use Word's built-in "Heading 1/2/3" styles (outline levels 1–3), so Word's
  navigation pane and its own table of contents work.
* The table of contents is a ``TOC`` field whose result is already filled in: one linked
  entry per Heading 1/2, so the contents are there when the file is opened; Word adds the
  page numbers on "update field", which the document requests on opening.  (Standalone
  ``PAGEREF`` fields would give LibreOffice page numbers too, but then Word could no longer
  rebuild the contents after the office edits the headings.)
* Tables have fixed column widths measured from their content (:mod:`._colwidth`): numbers
  narrow and whole, names whole, long texts such as a recommendation get most of the width.
  A table too wide for a portrait page gets a landscape page of its own.  The header row
  repeats on every page, no row splits across pages, and the header, first row and last two
  rows are kept together with their neighbours.
* Every numbered list restarts at 1 (its own ``numId`` with a ``startOverride``).
* Every style has its East Asian font (``w:eastAsia``) set to
  :data:`~survey_analysis.report.fonts.DOCX_EAST_ASIA_FONT`; the footer shows
  "第 X 页 / 共 Y 页".
"""
from __future__ import annotations

import io
from pathlib import Path

from . import _docx_xml as X
from . import _format as F
from ._colwidth import column_widths
from ._common import BlockWalker, clean_text, cover, table_phrases
from ._wordbreak import WordBreaker
from .model import BulletList, Figure, Heading, KeyFigures, Quote, Report, Table

__all__ = ["render_docx"]

BLUE = "005493"
GREY = "6E6E6E"
TABLE_PT = 9.0
TABLE_PT_SMALL = 7.5  # wide tables
CELL_MARGIN = 85  # twips (0.15 cm) left and right of a cell's text
EM_PER_UNIT = 0.56  # width of a half-width cell in em (Arial digits are 0.556 em)


def _styles(doc, east_asia: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    st = doc.styles
    normal = st["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    X.set_fonts(normal.element, east_asia, "Arial")
    normal.paragraph_format.line_spacing = 1.4
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 26), ("Subtitle", 14), ("Heading 1", 18), ("Heading 2", 14),
                       ("Heading 3", 12), ("Heading 4", 11), ("Caption", 9.5), ("Quote", 10),
                       ("List Bullet", 10.5), ("List Number", 10.5), ("TOC Heading", 18)):
        try:
            s = st[name]
        except KeyError:
            s = st.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.font.name = "Arial"
        s.font.size = Pt(size)
        X.set_fonts(s.element, east_asia, "Arial")
        if name.startswith("Heading") or name in ("Title", "TOC Heading"):
            s.font.color.rgb = RGBColor.from_string(BLUE)
        if name == "Caption":
            s.font.color.rgb = RGBColor.from_string("222222")
            s.font.italic = False
            s.font.bold = False
            s.paragraph_format.keep_with_next = True
        if name == "Quote":
            s.font.color.rgb = RGBColor.from_string("3C3C3C")


class _Docx(BlockWalker):
    def __init__(self, report: Report, east_asia: str, breaker: WordBreaker) -> None:
        import docx
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Cm

        super().__init__(report)
        self.bk = breaker
        self.doc = doc = docx.Document()
        _styles(doc, east_asia)
        core = doc.core_properties
        core.title = clean_text(report.title)
        core.author = clean_text(report.meta.get("school", "")) or "survey_analysis"
        core.language = "zh-CN"
        upd = OxmlElement("w:updateFields")  # ask Word to refresh fields (page numbers) on opening
        upd.set(qn("w:val"), "true")
        doc.settings.element.append(upd)
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.0)
        sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(1.8)
        sec.different_first_page_header_footer = True
        self.text_width = int((sec.page_width - sec.left_margin - sec.right_margin) / 635)  # twips
        X.ensure_styles(doc, self.text_width)
        self._bookmark = 0
        self.headings: list[tuple[str, int, str]] = []  # (text, depth, bookmark) for the TOC
        self._toc_at = None
        self._level = 1

    # -- page furniture -----------------------------------------------------------------
    def furniture(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        sec = self.doc.sections[0]
        hp = sec.header.paragraphs[0]
        hp.text = clean_text(self.report.title)
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for r in hp.runs:
            r.font.size = Pt(8)
            r.font.color.rgb = RGBColor.from_string(GREY)
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fp.add_run("第 ")
        X.add_field(fp, "PAGE", "1")
        fp.add_run(" 页 / 共 ")
        X.add_field(fp, "NUMPAGES", "1")
        fp.add_run(" 页")

    def cover(self) -> None:
        from docx.shared import RGBColor

        doc, c = self.doc, cover(self.report)
        for _ in range(5):
            doc.add_paragraph()
        if c.school:
            doc.add_paragraph(c.school, style="Subtitle")
        doc.add_paragraph(c.title, style="Title")
        if c.subtitle:
            doc.add_paragraph(c.subtitle, style="Subtitle")
        for _ in range(3):
            doc.add_paragraph()
        for k, v in c.facts:
            parts = [x for x in v.split("；") if x] or [""]
            for i, part in enumerate(parts):  # one source per line
                p = doc.add_paragraph()
                p.paragraph_format.space_after = 0
                r = p.add_run(k + "：" if i == 0 else "")
                r.font.color.rgb = RGBColor.from_string(GREY)
                p.add_run(part)
        doc.add_page_break()

    # -- the walk -----------------------------------------------------------------------
    def heading(self, text: str, level: int) -> None:
        p = self.doc.add_heading(clean_text(text), level=level)
        if level <= 2:
            self._bookmark += 1
            name = f"_Toc{self._bookmark:06d}"
            X.bookmark(p, self._bookmark, name)
            self.headings.append((clean_text(text), level - 1, name))

    def start_section(self, section, toc_only: bool) -> None:
        self._level = 1 if toc_only else min(max(1, int(section.level)), 3)
        if not toc_only:
            self.heading(section.title, self._level)

    def on_toc(self, b, section, nxt) -> None:
        doc = self.doc
        doc.add_paragraph(clean_text(b.title), style="TOC Heading")
        self._toc_at = doc.add_paragraph()  # replaced by the filled TOC at the end
        doc.add_page_break()

    def on_paragraph(self, b, section, nxt) -> None:
        self.doc.add_paragraph(clean_text(b.text))

    def on_heading(self, b: Heading, section, nxt) -> None:
        self.heading(b.text, min(self._level + max(1, b.level) - 1, 4))

    def on_bullets(self, b: BulletList, section, nxt) -> None:
        style = "List Number" if b.ordered else "List Bullet"
        num = X.new_numbering(self.doc) if b.ordered else None
        for item in b.items:
            p = self.doc.add_paragraph(clean_text(item), style=style)
            if num is not None:
                X.number_paragraph(p, num)

    def on_key_figures(self, b: KeyFigures, section, nxt) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Pt, RGBColor

        items = b.normalized()
        tbl = self.doc.add_table(rows=1, cols=len(items))
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, (lab, val, note) in zip(tbl.rows[0].cells, items):
            _shade(cell, "F3F6FA")
            r = cell.paragraphs[0].add_run(clean_text(val))
            r.font.size = Pt(18)
            r.font.color.rgb = RGBColor.from_string(BLUE)
            cell.add_paragraph(clean_text(lab))
            if note:
                r = cell.add_paragraph().add_run(clean_text(note))
                r.font.size = Pt(8)
                r.font.color.rgb = RGBColor.from_string(GREY)
        self.doc.add_paragraph()

    def on_table(self, b: Table, section, nxt) -> None:
        _table(self, b, self.current_caption)

    def on_figure(self, b: Figure, section, nxt) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        doc = self.doc
        doc.add_picture(io.BytesIO(b.png()), width=int(self.text_width * 635 * float(b.width)))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        p = doc.add_paragraph(self.current_caption, style="Caption")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = False

    def on_quote(self, b: Quote, section, nxt) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        self.doc.add_paragraph("“" + clean_text(b.text) + "”", style="Quote")
        if b.source:
            p = self.doc.add_paragraph("—— " + clean_text(b.source))
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.runs[0].font.size = Pt(8.5)
            p.runs[0].font.color.rgb = RGBColor.from_string(GREY)

    def on_page_break(self, b, section, nxt) -> None:
        self.doc.add_page_break()

    def fill_toc(self) -> None:
        if self._toc_at is None:
            return
        anchor = self._toc_at._p
        for p in X.toc_paragraphs(self.headings, "（在 Word 中右键单击此处并选择“更新域”以生成目录。）"):
            anchor.addprevious(p)
        anchor.getparent().remove(anchor)


def _shade(cell, hex_fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    tcpr.append(shd)


def _fit_widths(w: _Docx, header, rows, numeric, text_width: int):
    """(font size, widths in twips) for a table: 9 pt when the minimum widths fit the text
    width, else 7.5 pt; ``None`` widths when even that does not fit (landscape)."""
    k = len(header)
    slack = sum(numeric)  # a numeric column gets one cell more: "%" and "¥" are wider than a digit
    for size in (TABLE_PT, TABLE_PT_SMALL):
        unit = size * 20 * EM_PER_UNIT  # twips per half-width cell
        avail = (text_width - k * 2 * CELL_MARGIN) / unit - slack
        widths = column_widths(header, rows, numeric, avail, breaker=w.bk)
        if sum(widths) <= avail + 0.1 and _fits(header, rows, numeric, widths, w.bk):
            return size, [int((x + num) * unit) + 2 * CELL_MARGIN for x, num in zip(widths, numeric)]
    return TABLE_PT_SMALL, None


def _fits(header, rows, numeric, widths, bk) -> bool:
    """True when every numeric cell fits its column whole (the minimums were not scaled)."""
    from ._wordbreak import display_width

    for j, num in enumerate(numeric):
        if num and any(display_width(r[j]) > widths[j] + 1e-6 for r in rows[:2000]):
            return False
    return True


def _landscape(w: _Docx, on: bool) -> int:
    """Start a new section in landscape (``on``) or portrait; returns its text width (twips)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    prev = w.doc.sections[-1]
    sec = w.doc.add_section(WD_SECTION.NEW_PAGE)
    sec.different_first_page_header_footer = False
    long, short = max(prev.page_width, prev.page_height), min(prev.page_width, prev.page_height)
    sec.orientation = WD_ORIENT.LANDSCAPE if on else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (long, short) if on else (short, long)
    return int((sec.page_width - sec.left_margin - sec.right_margin) / 635)


def _table(w: _Docx, b: Table, caption: str) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Pt, RGBColor

    doc = w.doc
    header, rows = F.table_cells(b)
    header = [clean_text(h) for h in header]
    rows = [[clean_text(c) for c in r] for r in rows]
    num = F.numeric_columns(b)
    numeric = [c in num for c in b.display_columns()]
    size, widths = _fit_widths(w, header, rows, numeric, w.text_width)
    landscape = widths is None
    if landscape:
        wide = _landscape(w, True)
        size, widths = _fit_widths(w, header, rows, numeric, wide)
        if widths is None:  # still too wide: the minimums, scaled to the page
            unit = TABLE_PT_SMALL * 20 * EM_PER_UNIT
            avail = (wide - len(header) * 2 * CELL_MARGIN) / unit - sum(numeric)
            widths = [int((x + num) * unit) + 2 * CELL_MARGIN
                      for x, num in zip(column_widths(header, rows, numeric, avail, breaker=w.bk), numeric)]
    doc.add_paragraph(caption, style="Caption")
    placeholder = doc.add_table(rows=0, cols=max(1, len(header)))
    tbl = parse_xml(X.table_xml(header, rows, widths, right=numeric, highlight=b.highlighted_rows(),
                                size_pt=size, margin=CELL_MARGIN))
    placeholder._tbl.getparent().replace(placeholder._tbl, tbl)
    note = b.full_note()
    p = doc.add_paragraph("注：" + clean_text(note) if note else "")
    if note:
        p.runs[0].font.size = Pt(8)
        p.runs[0].font.color.rgb = RGBColor.from_string(GREY)
    if landscape:
        _landscape(w, False)


def render_docx(report: Report, path: str | Path, *, east_asia_font: str | None = None) -> Path:
    """Write ``report`` as a Word document at ``path``.

    Parameters
    ----------
    report : Report
    path : str or Path
    east_asia_font : str, optional
        The East Asian font name (default :data:`~.fonts.DOCX_EAST_ASIA_FONT`, 微软雅黑).
    """
    from .fonts import DOCX_EAST_ASIA_FONT

    path = Path(path)
    w = _Docx(report, east_asia_font or DOCX_EAST_ASIA_FONT, WordBreaker(table_phrases(report)))
    w.furniture()
    w.cover()
    w.walk()
    w.fill_toc()
    w.doc.save(str(path))
    return path
