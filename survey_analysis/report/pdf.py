"""PDF renderer (fpdf2): A4, embedded Chinese font subset, cover, table of contents with page
numbers, bookmarks, running header and "第 n 页 / 共 N 页" footer, lines broken between words
(:mod:`~survey_analysis.report._wordbreak`), tables that break across pages without orphan rows
and repeat their header row (:mod:`~survey_analysis.report._pdf_table`), figures scaled to
width, styled quotes.

See :mod:`survey_analysis.report.fonts` for why the font is converted to TrueType first.
"""
from __future__ import annotations

import io
import tempfile
from collections import deque
from pathlib import Path

from . import _format as F
from . import _pdf_table as T
from ._common import BlockWalker, clean_text, contents, cover, report_chars, table_phrases
from ._wordbreak import WordBreaker, break_lines
from .model import BulletList, Figure, Heading, KeyFigures, Quote, Report, Table

__all__ = ["render_pdf", "pdf_text"]

FONT = "cjk"
BLUE = (0, 84, 147)
ACCENT = (213, 94, 0)
DARK = (34, 34, 34)
GREY = (110, 110, 110)
LIGHT = (243, 246, 250)
RULE = (200, 206, 214)

BODY_PT = 10.5
TABLE_PT = T.TABLE_PT
TABLE_PT_MIN = T.TABLE_PT_MIN
LINE = 1.65  # line height as a multiple of the font size

#: Draw tables directly (:func:`_pdf_table.draw_table`); False: through ``FPDF.table`` (slower,
#: the same layout without the orphan rules — the tests render both and compare the pages).
FAST_TABLES = True
#: Plan table page breaks so that no page holds a table's header alone or one row of it.
ORPHAN_CONTROL = True


def _mm(pt: float) -> float:
    return pt * 25.4 / 72


def _font_text(text, codepoints: frozenset) -> str:
    """Text the font can draw: :func:`clean_text`, and characters the font lacks (emoji…)
    replaced by □."""
    s = clean_text(text)
    if codepoints and not all(ord(c) in codepoints or c == "\n" for c in s):
        s = "".join(c if (c == "\n" or ord(c) in codepoints) else "□" for c in s)
    return s


class _Cells:
    """Formatted cells of every table, made once in block order (the font subset needs the
    text before the tables are drawn) and handed out in the same order while drawing."""

    def __init__(self) -> None:
        self._queue: deque = deque()

    def __call__(self, b: Table):
        cells = F.table_cells(b)
        self._queue.append((b, cells))
        return cells

    def take(self, b: Table):
        while self._queue:
            t, cells = self._queue.popleft()
            if t is b:
                return cells
        return F.table_cells(b)


class _Doc(BlockWalker):
    """Holds the FPDF object, draws each block."""

    FONT = FONT

    def __init__(self, report: Report, font_file: Path, codepoints: frozenset, breaker: WordBreaker | None = None):
        super().__init__(report)
        from fpdf import FPDF

        title = _font_text(report.title, codepoints)

        class _PDF(FPDF):
            def header(self):  # noqa: D401 - fpdf2 hook
                if self.page_no() == 1:
                    return
                self.set_font(FONT, size=8)
                self.set_text_color(*GREY)
                self.set_xy(self.l_margin, 9)
                self.cell(self.epw, 5, title, align="R")
                self.set_draw_color(*RULE)
                self.set_line_width(0.2)
                self.line(self.l_margin, 15, self.w - self.r_margin, 15)
                self.set_y(self.t_margin)

            def footer(self):  # noqa: D401 - fpdf2 hook
                if self.page_no() == 1:
                    return
                self.set_y(-13)
                self.set_font(FONT, size=8)
                self.set_text_color(*GREY)
                self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")

        pdf = _PDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(20, 20, 20)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_font(FONT, "", str(font_file))
        pdf.add_font(FONT, "B", str(font_file))
        pdf.set_font(FONT, size=BODY_PT)
        pdf.c_margin = 0  # text starts at the margin, flush with tables, boxes and figures
        pdf.set_title(title)
        pdf.set_author(_font_text(report.meta.get("school", ""), codepoints))
        pdf.set_creator("survey_analysis")
        pdf.set_lang("zh-CN")
        pdf.set_display_mode(zoom="fullwidth", layout="continuous")
        self.pdf = pdf
        self.cps = codepoints
        self.breaker = breaker or WordBreaker()
        self._width_fns: dict = {}
        self._wrapped: dict = {}
        self.cells = _Cells()
        self.fast_tables = FAST_TABLES
        self.orphans = ORPHAN_CONTROL
        self.levels = [depth for _i, _s, depth in contents(report)]

    def width_of(self):
        """``pdf.get_string_width`` for the current font and size, fast and exact.

        fpdf2 measures a string by building styled fragments for it (≈ 0.1 ms a call, tens
        of thousands of calls for the tables of a 60-major report).  Without text shaping,
        character spacing or stretching, its result is ``sum(cw[ord(c)]) * size * 0.001 / k``
        (integer glyph widths, so the sum is exact); this function computes the same number
        with the same operations, caching the width of every distinct string."""
        pdf = self.pdf
        key = (pdf.font_family, pdf.font_style, pdf.font_size_pt, pdf.char_spacing, pdf.font_stretching)
        fn = self._width_fns.get(key)
        if fn is None:
            font = pdf.current_font
            cw = getattr(font, "cw", None)
            if (pdf.text_shaping or pdf.char_spacing or pdf.font_stretching != 100 or not pdf.is_ttf_font
                    or cw is None or getattr(font, "is_symbol", False) or pdf._fallback_font_ids):
                fn = pdf.get_string_width
            else:
                size, k = pdf.font_size_pt, pdf.k
                cache: dict[str, float] = {}
                get = cw.__getitem__

                def fn(s: str) -> float:
                    v = cache.get(s)
                    if v is None:
                        if not s:
                            v = 0
                        else:
                            if font.biggest_size_pt < size:
                                font.biggest_size_pt = size
                            v = sum(map(get, map(ord, s))) * size * 0.001 / k
                        cache[s] = v
                    return v
            self._width_fns[key] = fn
        return fn

    # -- text helpers -------------------------------------------------------------------
    def t(self, text) -> str:
        return _font_text(text, self.cps)

    def wrap(self, text: str, width: float) -> str:
        """``text`` (already cleaned) broken into lines between words for the current font,
        joined by newlines, so fpdf2 draws exactly these lines."""
        return "\n".join(break_lines(text, width - 0.05, self.width_of(), self.breaker))

    def wrap_cell(self, text: str, width: float) -> str:
        """:meth:`wrap`, once per distinct (text, width, font size)."""
        key = (text, width, self.pdf.font_size_pt)
        v = self._wrapped.get(key)
        if v is None:
            v = self._wrapped[key] = self.wrap(text, width)
        return v

    def text_lines(self, w: float, lh: float, lines: str, *, align: str = "L") -> None:
        """Draw already broken ``lines`` (joined by newlines) from the cursor down, as
        ``multi_cell(w, lh, lines, align=align, wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")``
        draws lines no wider than ``w`` — the same baseline, the same page breaks — without
        fpdf2 measuring every character again (it did, for each paragraph and list item)."""
        pdf = self.pdf
        x = pdf.x
        sw = self.width_of()
        for line in lines.split("\n"):
            if pdf.will_page_break(lh):
                pdf.add_page(same=True)
            if line:
                tx = x if align == "L" else x + (w - sw(line)) if align == "R" else x + (w - sw(line)) / 2
                pdf.text(tx, pdf.y + 0.5 * lh + 0.3 * pdf.font_size, line)
            pdf.y += lh
        pdf.x = pdf.l_margin

    def longest_word(self, header: str, rows, j: int) -> float:
        """Width of the widest unbreakable group in column ``j`` (header and first 400 rows)."""
        sw = self.width_of()
        best = 0.0
        for text in [header, *(r[j] for r in rows[:400])]:
            for g in self.breaker.groups(text) if text else ():
                if not g.isspace():
                    best = max(best, sw(g))
        return best

    def lines(self, text: str, width: float, size: float) -> int:
        self.pdf.set_font(FONT, size=size)
        return self.wrap(self.t(text), width).count("\n") + 1

    def para(self, text, *, size=BODY_PT, color=DARK, indent=0.0, spacing=2.0):
        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin + indent)
        w = pdf.epw - indent
        self.text_lines(w, _mm(size) * LINE, self.wrap(self.t(text), w))
        pdf.ln(spacing)

    def bold_text(self, w, text, *, size, color, align="L", new_y="NEXT"):
        """Text drawn fill+stroke: the font has no bold face, so embolden by stroking."""
        from fpdf.enums import TextMode

        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        lines = self.wrap(self.t(text), w)
        # local_context wraps the drawing in q/Q, so the text render mode and stroke colour
        # do not leak into the text drawn afterwards
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=size * 0.012,
                               draw_color=color, text_color=color):
            pdf.multi_cell(w, _mm(size) * 1.45, lines, align=align, wrapmode="CHAR",
                           new_x="LMARGIN", new_y=new_y)
        pdf.set_text_color(*color)

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` mm fit below the cursor."""
        pdf = self.pdf
        if pdf.get_y() + height > pdf.h - pdf.b_margin:
            pdf.add_page()

    # -- page types ---------------------------------------------------------------------
    def cover(self) -> None:
        pdf = self.pdf
        c = cover(self.report)
        pdf.add_page()
        pdf.set_fill_color(*BLUE)
        pdf.rect(0, 0, pdf.w, 12, style="F")
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 12, pdf.w, 1.6, style="F")
        pdf.set_y(62)
        if c.school:
            pdf.set_font(FONT, size=14)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(0, 8, self.wrap(self.t(c.school), pdf.epw), align="L", wrapmode="CHAR",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        self.bold_text(pdf.epw, c.title, size=26, color=BLUE)
        if c.subtitle:
            pdf.ln(3)
            pdf.set_font(FONT, size=14)
            pdf.set_text_color(*DARK)
            pdf.multi_cell(0, 8, self.wrap(self.t(c.subtitle), pdf.epw), wrapmode="CHAR",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.8)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 30, pdf.get_y())
        pdf.set_line_width(0.2)
        pdf.set_y(max(pdf.get_y() + 20, 170))
        for label, value in c.facts:
            pdf.set_font(FONT, size=10.5)
            pdf.set_text_color(*GREY)
            y = pdf.get_y()
            pdf.cell(28, 7, self.t(label))
            pdf.set_text_color(*DARK)
            pdf.set_xy(pdf.l_margin + 28, y)
            # one fact per line: a list of sources ("；") starts each source on its own line
            text = "\n".join(p for p in self.t(value).split("；") if p)
            pdf.multi_cell(pdf.epw - 28, 7, self.wrap(text, pdf.epw - 28), wrapmode="CHAR",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)

    # TOC layout (shared by toc_pages and the renderer so the page count is exact)
    TOC_ROW = 7.5
    TOC_GAP = 0.8

    def _toc_top(self) -> float:
        return self.pdf.t_margin + 2 + _mm(18) * 1.45 + 6

    def toc_pages(self, levels: list[int]) -> int:
        """Pages the table of contents needs for entries at ``levels`` (0 = top level).

        fpdf2 must be told this in advance: pages it inserts later would shift the page
        numbers already printed in the footers.
        """
        pdf = self.pdf
        trigger = pdf.h - pdf.b_margin
        y, pages = self._toc_top(), 1
        for lv in levels:
            if y + self.TOC_ROW > trigger:
                pages += 1
                y = pdf.t_margin
            y += self.TOC_ROW + (self.TOC_GAP if lv == 0 else 0)
        return pages

    def toc_renderer(self, title: str, pages: int):
        doc = self

        def render(pdf, outline):
            start = pdf.page
            pdf.set_y(pdf.t_margin + 2)
            doc.bold_text(pdf.epw, title, size=18, color=BLUE)
            pdf.set_y(doc._toc_top())
            for sec in outline:
                doc._toc_entry(sec)
            while pdf.page < start + pages - 1:  # never expected, but keep the count exact
                pdf.add_page()

        return render

    def _toc_entry(self, sec) -> None:
        pdf = self.pdf
        size = 11 if sec.level == 0 else 10
        indent = 8 * sec.level
        pdf.set_font(FONT, size=size)
        if pdf.get_y() + self.TOC_ROW > pdf.h - pdf.b_margin:
            pdf.add_page()
        color = DARK if sec.level == 0 else GREY
        pdf.set_text_color(*color)
        link = pdf.add_link(page=sec.page_number)
        name = sec.name
        avail = pdf.epw - indent - 14
        while pdf.get_string_width(name) > avail and len(name) > 4:
            name = name[:-2] + "…"
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin + indent)
        w_name = pdf.get_string_width(name) + 1
        pdf.cell(w_name, self.TOC_ROW, name, link=link)
        dots_w = pdf.epw - indent - w_name - 12
        dot = pdf.get_string_width("·")
        if dots_w > 2 * dot:
            pdf.set_text_color(*RULE)
            pdf.cell(dots_w, self.TOC_ROW, "·" * int(dots_w / dot), align="R")
            pdf.set_text_color(*color)
        pdf.set_xy(pdf.w - pdf.r_margin - 12, y)
        pdf.cell(12, self.TOC_ROW, str(sec.page_number), align="R", link=link, new_x="LMARGIN", new_y="NEXT")
        if sec.level == 0:
            pdf.ln(self.TOC_GAP)

    def follow_height(self, block) -> float:
        """Height of the start of ``block`` that must stay on the page of the heading
        before it (so a heading is never left alone at the bottom of a page)."""
        if isinstance(block, Table):
            return 16 + 3 * _mm(TABLE_PT) * 1.5 * 2
        if isinstance(block, Figure):
            wpx, hpx = block.size_px()
            body = self.pdf.h - self.pdf.t_margin - self.pdf.b_margin - 14
            return min(self.pdf.epw * float(block.width) * hpx / wpx, body) + 12
        if isinstance(block, KeyFigures):
            return 34
        return 3 * _mm(BODY_PT) * LINE

    # -- the walk -----------------------------------------------------------------------
    def start_section(self, section, toc_only: bool) -> None:
        if toc_only:
            return
        follow = self.follow_height(section.blocks[0]) if section.blocks else 0.0
        pdf = self.pdf
        level = max(1, int(section.level))
        if level == 1:
            if pdf.page_no() <= 1 or pdf.get_y() > pdf.t_margin + 0.5:
                pdf.add_page()
            if section.bookmark:
                pdf.start_section(self.t(section.title), level=0, strict=False)
            self.bold_text(pdf.epw, section.title, size=18, color=BLUE)
            pdf.set_draw_color(*ACCENT)
            pdf.set_line_width(0.6)
            pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.l_margin + 24, pdf.get_y() + 1)
            pdf.set_line_width(0.2)
            pdf.ln(6)
        else:
            size = 14 if level == 2 else 12
            self.need(_mm(size) * 2 + 8 + follow)
            pdf.ln(2)
            if section.bookmark:
                pdf.start_section(self.t(section.title), level=level - 1, strict=False)
            self.bold_text(pdf.epw, section.title, size=size, color=BLUE)
            pdf.ln(2.5)

    def on_toc(self, b, section, nxt) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.t_margin + 0.5 or pdf.page_no() == 1:
            pdf.add_page()
        pages = self.toc_pages(self.levels)
        pdf.insert_toc_placeholder(self.toc_renderer(b.title, pages), pages=pages, reset_page_indices=False)

    def on_paragraph(self, b, section, nxt) -> None:
        self.para(b.text)

    def on_page_break(self, b, section, nxt) -> None:
        self.pdf.add_page()

    def on_heading(self, b: Heading, section, nxt) -> None:
        size = 12.5 if b.level <= 2 else 11
        follow = self.follow_height(nxt) if nxt is not None else 0.0
        self.need(_mm(size) * 2 + 6 + follow)
        self.pdf.ln(1.5)
        self.bold_text(self.pdf.epw, b.text, size=size, color=DARK)
        self.pdf.ln(1.5)

    def on_bullets(self, b: BulletList, section, nxt) -> None:
        pdf = self.pdf
        lh = _mm(BODY_PT) * LINE
        for i, item in enumerate(b.items, 1):
            mark = f"{i}." if b.ordered else "•"
            pdf.set_font(FONT, size=BODY_PT)
            pdf.set_text_color(*(BLUE if not b.ordered else DARK))
            y = pdf.get_y()
            if y + lh > pdf.h - pdf.b_margin:
                pdf.add_page()
                y = pdf.get_y()
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(6, lh, mark)
            pdf.set_text_color(*DARK)
            pdf.set_xy(pdf.l_margin + 8, y)
            self.text_lines(pdf.epw - 8, lh, self.wrap(self.t(item), pdf.epw - 8))
            pdf.ln(0.8)
        pdf.ln(1.5)

    def on_key_figures(self, b: KeyFigures, section, nxt) -> None:
        pdf = self.pdf
        items = b.normalized()
        per_row = 4 if len(items) >= 4 and len(items) % 3 != 0 else 3
        per_row = min(per_row, max(1, len(items)))
        gap = 4
        for start in range(0, len(items), per_row):
            row = items[start: start + per_row]
            w = (pdf.epw - gap * (per_row - 1)) / per_row
            h = max(4 + 10 + self.lines(lab, w - 6, 9) * 4.6 + (self.lines(note, w - 6, 8) * 4.0 if note else 0) + 4
                    for lab, _v, note in row)
            self.need(h + 4)
            y0 = pdf.get_y()
            for i, (label, value, note) in enumerate(row):
                x = pdf.l_margin + i * (w + gap)
                pdf.set_fill_color(*LIGHT)
                pdf.rect(x, y0, w, h, style="F")
                pdf.set_fill_color(*BLUE)
                pdf.rect(x, y0, 1.2, h, style="F")
                pdf.set_xy(x + 3, y0 + 3)
                pdf.set_font(FONT, size=18)
                pdf.set_text_color(*BLUE)
                pdf.cell(w - 6, 10, self.t(value))
                for text, size, lh, color, top in ((label, 9, 4.6, DARK, True), (note, 8, 4.0, GREY, False)):
                    if not text:
                        continue
                    if top:
                        pdf.set_xy(x + 3, y0 + 14)
                    else:
                        pdf.set_x(x + 3)
                    pdf.set_font(FONT, size=size)
                    pdf.set_text_color(*color)
                    pdf.multi_cell(w - 6, lh, self.wrap(self.t(text), w - 6), wrapmode="CHAR",
                                   new_x="LEFT", new_y="NEXT")
            pdf.set_xy(pdf.l_margin, y0 + h + 4)
        pdf.ln(1)

    def on_quote(self, b: Quote, section, nxt) -> None:
        pdf = self.pdf
        size = 10
        lh = _mm(size) * LINE
        self.need(lh * 2 + 4)
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(60, 60, 60)
        pdf.set_fill_color(*LIGHT)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.9)
        pdf.set_x(pdf.l_margin + 2)
        qtext = self.wrap("“" + self.t(b.text) + "”", pdf.epw - 4 - 7)
        pdf.multi_cell(pdf.epw - 4, lh, qtext, border="L", fill=True,
                       wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT", padding=(1.5, 3, 1.5, 4))
        pdf.set_line_width(0.2)
        if b.source:
            pdf.set_font(FONT, size=8.5)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(pdf.epw - 2, 5, self.wrap("—— " + self.t(b.source), pdf.epw - 2), align="R",
                           wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)

    def caption(self, text: str, *, above: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=9.5)
        pdf.set_text_color(*DARK)
        self.text_lines(pdf.epw, 5.2, self.wrap(self.t(text), pdf.epw), align="C" if not above else "L")
        pdf.ln(1.2 if above else 3)

    def caption_height(self, text: str) -> float:
        return self.lines(text, self.pdf.epw, 9.5) * 5.2 + 1.2

    def note(self, text: str) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=8)
        pdf.set_text_color(*GREY)
        self.text_lines(pdf.epw, 4.2, self.wrap("注：" + self.t(text), pdf.epw))

    def note_height(self, text: str) -> float:
        size = self.pdf.font_size_pt
        h = self.lines("注：" + text, self.pdf.epw, 8) * 4.2
        self.pdf.set_font(FONT, size=size)
        return h

    def on_figure(self, b: Figure, section, nxt) -> None:
        pdf = self.pdf
        wpx, hpx = b.size_px()
        w = pdf.epw * float(b.width)
        h = w * hpx / wpx
        body = pdf.h - pdf.t_margin - pdf.b_margin - 14
        if h > body:  # too tall: scale to fit the page
            h = body
            w = h * wpx / hpx
        self.need(h + 12)
        x = pdf.l_margin + (pdf.epw - w) / 2
        pdf.image(io.BytesIO(b.png()), x=x, y=pdf.get_y(), w=w, h=h)
        pdf.set_y(pdf.get_y() + h + 2)
        self.caption(self.current_caption, above=False)

    def on_table(self, b: Table, section, nxt) -> None:
        header, rows = self.cells.take(b)
        header = [self.t(h) for h in header]
        rows = [[self.t(c) for c in r] for r in rows]
        T.draw_table(self, b, self.current_caption, header, rows)


def render_pdf(report: Report, path: str | Path) -> Path:
    """Draw ``report`` as a PDF at ``path`` (written directly; :func:`render` makes it atomic).

    Parameters
    ----------
    report : Report
    path : str or Path

    Returns
    -------
    Path
    """
    from .fonts import font_codepoints, pdf_font_file

    path = Path(path)
    cps = font_codepoints()
    with tempfile.TemporaryDirectory(prefix="sa-font-") as tmp:
        cells = _Cells()
        font_file = pdf_font_file(_font_text(report_chars(report, cells), cps), tmp)
        doc = _Doc(report, font_file, cps, WordBreaker(table_phrases(report)))
        doc.cells = cells
        doc.cover()
        doc.walk()
        doc.pdf.output(str(path))
    return path


def pdf_text(path: str | Path) -> list[str]:
    """The text of each page of a PDF, as a reader would search it (pypdf).

    Whitespace is kept; use it to check that headings, names and figures of a report are
    present and searchable.
    """
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [p.extract_text() or "" for p in reader.pages]
