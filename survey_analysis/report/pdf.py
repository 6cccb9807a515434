"""PDF renderer (fpdf2): A4, embedded Chinese font subset, cover, table of contents with page
numbers, bookmarks, running header and "第 n 页 / 共 N 页" footer, CJK line wrapping, tables
that break across pages and repeat their header row, figures scaled to width, styled quotes.

See :mod:`survey_analysis.report.fonts` for why the font is converted to TrueType first.
"""
from __future__ import annotations

import io
import re
import tempfile
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

__all__ = ["render_pdf", "pdf_text"]

FONT = "cjk"
BLUE = (0, 84, 147)
ACCENT = (213, 94, 0)
DARK = (34, 34, 34)
GREY = (110, 110, 110)
LIGHT = (243, 246, 250)
RULE = (200, 206, 214)
HIGHLIGHT = (255, 240, 214)

BODY_PT = 10.5
TABLE_PT = 8.5
TABLE_PT_MIN = 6.5  # wide tables shrink down to this size
LINE = 1.65  # line height as a multiple of the font size
MAX_CELL_LINES = 14  # longer cells are split over continuation rows

#: Draw tables directly (:meth:`_Doc._draw_table`); False: through ``FPDF.table`` (slower,
#: the same layout — the tests render both and compare the pages).
FAST_TABLES = True

_CTRL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Chinese line-breaking rules (避头尾): these never start a line …
NO_START = frozenset("，。、；：？！）］｝〕〉》」』】〗”’…‥—～·%％,.;:?!)]}>・ー々〃")
# … and these never end one
NO_END = frozenset("（［｛〔〈《「『【〖“‘([{<￥¥$")
# runs of Latin letters and digits (numbers, percentages, English words) stay together
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-_/@#&'’]*|\s+|.", re.S)


def break_lines(text: str, max_width: float, width_of) -> list[str]:
    """Split ``text`` into lines no wider than ``max_width`` following Chinese rules.

    Lines break between any two CJK characters, but not before closing punctuation
    (``，。）》”`` …), not after opening punctuation (``（《“`` …) and not inside a run of
    Latin letters or digits such as ``91.2%`` or ``Wilson`` (unless the run is wider than
    a line).  Explicit newlines are kept; spaces at a break are dropped.

    Parameters
    ----------
    text : str
    max_width : float
    width_of : callable
        ``width_of(s) -> float`` in the same unit as ``max_width``.
    """
    cache: dict[str, float] = {}

    def w(tok: str) -> float:
        v = cache.get(tok)
        if v is None:
            v = cache[tok] = width_of(tok)
        return v

    out: list[str] = []
    for par in text.split("\n"):
        start = len(out)
        tokens: list[str] = []
        for tok in _TOKEN.findall(par):
            if len(tok) > 1 and not tok.isspace() and w(tok) > max_width:
                tokens.extend(tok)  # a run longer than a line: break it anywhere
            else:
                tokens.append(tok)
        line: list[str] = []
        width = 0.0
        for tok in tokens:
            tw = w(tok)
            if width + tw <= max_width or not line:
                if not line and tok.isspace() and out and par:
                    continue  # no leading space on a wrapped line
                line.append(tok)
                width += tw
                continue
            if tok.isspace():
                out.append("".join(line).rstrip())
                line, width = [], 0.0
                continue
            carry: list[str] = []
            if tok[0] in NO_START and len(line) > 1:
                carry.insert(0, line.pop())
                while len(line) > 1 and (carry[0][0] in NO_START):
                    carry.insert(0, line.pop())
            while len(line) > 1 and line[-1][-1] in NO_END:
                carry.insert(0, line.pop())
            out.append("".join(line).rstrip())
            line = [t for t in carry if not (t.isspace() and not carry.index(t))] + [tok]
            width = sum(w(t) for t in line)
        last = "".join(line).rstrip() if line else ""
        # no lone character on the last line of a paragraph (孤字): take one more along
        if len(last) == 1 and len(out) > start and len(out[-1]) > 3 and not out[-1][-1].isascii():
            k = 2 if out[-1][-1] in NO_START else 1
            out[-1], last = out[-1][:-k], out[-1][-k:] + last
        out.append(last)
    return out


def _mm(pt: float) -> float:
    return pt * 25.4 / 72


class _Doc:
    """Holds the FPDF object and the drawing helpers."""

    def __init__(self, report: Report, font_file: Path, codepoints: frozenset):
        from fpdf import FPDF

        title = report.title
        cps = codepoints

        class _PDF(FPDF):
            def header(self):  # noqa: D401 - fpdf2 hook
                if self.page_no() == 1:
                    return
                self.set_font(FONT, size=8)
                self.set_text_color(*GREY)
                self.set_xy(self.l_margin, 9)
                self.cell(self.epw, 5, _clean(title, cps), align="R")
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
        pdf.set_title(_clean(report.title, cps))
        pdf.set_author(_clean(str(report.meta.get("school", "")), cps))
        pdf.set_creator("survey_analysis")
        pdf.set_lang("zh-CN")
        pdf.set_display_mode(zoom="fullwidth", layout="continuous")
        self.pdf = pdf
        self.cps = cps
        self.report = report
        self.captions = F.captions(report)
        self._width_fns: dict = {}
        self._wrapped: dict = {}
        self.cells: dict | None = None  # id(Table) -> (Table, table_cells), see _table_cells
        self.fast_tables = FAST_TABLES

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
        return _clean(text, self.cps)

    def wrap(self, text: str, width: float) -> str:
        """``text`` (already cleaned) broken into lines for the current font, joined by
        newlines, so fpdf2 draws exactly these lines."""
        return "\n".join(break_lines(text, width - 0.05, self.width_of()))

    def para(self, text, *, size=BODY_PT, color=DARK, indent=0.0, align="J", spacing=2.0):
        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin + indent)
        w = pdf.epw - indent
        pdf.multi_cell(w, _mm(size) * LINE, self.wrap(self.t(text), w), align="L",
                       wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(spacing)

    def bold_text(self, w, h, text, *, size, color, align="L", new_y="NEXT"):
        """Text drawn fill+stroke: the font has no bold face, so embolden by stroking."""
        from fpdf.enums import TextMode

        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        # local_context wraps the drawing in q/Q, so the text render mode and stroke colour
        # do not leak into the text drawn afterwards
        with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=size * 0.012,
                               draw_color=color, text_color=color):
            pdf.multi_cell(w, _mm(size) * 1.45, self.t(text), align=align, wrapmode="CHAR",
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
        rep = self.report
        pdf.add_page()
        pdf.set_fill_color(*BLUE)
        pdf.rect(0, 0, pdf.w, 12, style="F")
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 12, pdf.w, 1.6, style="F")
        school = rep.meta.get("school")
        pdf.set_y(62)
        if school:
            pdf.set_font(FONT, size=14)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(0, 8, self.t(school), align="L", wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        self.bold_text(pdf.epw, 0, rep.title, size=26, color=BLUE)
        if rep.subtitle:
            pdf.ln(3)
            pdf.set_font(FONT, size=14)
            pdf.set_text_color(*DARK)
            pdf.multi_cell(0, 8, self.t(rep.subtitle), wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.8)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 30, pdf.get_y())
        pdf.set_line_width(0.2)
        items = [(k, v) for k, v in meta_items(rep.meta) if k != "学校"]
        pdf.set_y(max(pdf.get_y() + 20, 170))
        for label, value in items:
            pdf.set_font(FONT, size=10.5)
            pdf.set_text_color(*GREY)
            y = pdf.get_y()
            pdf.cell(28, 7, self.t(label))
            pdf.set_text_color(*DARK)
            pdf.set_xy(pdf.l_margin + 28, y)
            pdf.multi_cell(pdf.epw - 28, 7, self.t(value), wrapmode="CHAR", new_x="LMARGIN", new_y="NEXT")
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
            doc.bold_text(pdf.epw, 0, title, size=18, color=BLUE)
            pdf.set_y(doc._toc_top())
            for sec in outline:
                size = 11 if sec.level == 0 else 10
                indent = 8 * sec.level
                pdf.set_font(FONT, size=size)
                if pdf.get_y() + doc.TOC_ROW > pdf.h - pdf.b_margin:
                    pdf.add_page()
                pdf.set_text_color(*(DARK if sec.level == 0 else GREY))
                link = pdf.add_link(page=sec.page_number)
                name = sec.name
                num = str(sec.page_number)
                avail = pdf.epw - indent - 14
                while pdf.get_string_width(name) > avail and len(name) > 4:
                    name = name[:-2] + "…"
                y = pdf.get_y()
                pdf.set_x(pdf.l_margin + indent)
                w_name = pdf.get_string_width(name) + 1
                pdf.cell(w_name, doc.TOC_ROW, name, link=link)
                dots_w = pdf.epw - indent - w_name - 12
                dot = pdf.get_string_width("·")
                if dots_w > 2 * dot:
                    pdf.set_text_color(*RULE)
                    pdf.cell(dots_w, doc.TOC_ROW, "·" * int(dots_w / dot), align="R")
                    pdf.set_text_color(*(DARK if sec.level == 0 else GREY))
                pdf.set_xy(pdf.w - pdf.r_margin - 12, y)
                pdf.cell(12, doc.TOC_ROW, num, align="R", link=link, new_x="LMARGIN", new_y="NEXT")
                if sec.level == 0:
                    pdf.ln(doc.TOC_GAP)
            while pdf.page < start + pages - 1:  # never expected, but keep the count exact
                pdf.add_page()

        return render

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

    def section_title(self, section, follow: float = 0.0) -> None:
        pdf = self.pdf
        level = max(1, int(section.level))
        if level == 1:
            if pdf.page_no() > 1 and not (pdf.get_y() <= pdf.t_margin + 0.5):
                pdf.add_page()
            elif pdf.page_no() <= 1:
                pdf.add_page()
            if section.bookmark:
                pdf.start_section(self.t(section.title), level=0, strict=False)
            self.bold_text(pdf.epw, 0, section.title, size=18, color=BLUE)
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
            self.bold_text(pdf.epw, 0, section.title, size=size, color=BLUE)
            pdf.ln(2.5)

    # -- blocks -------------------------------------------------------------------------
    def heading(self, b: Heading, follow: float = 0.0) -> None:
        size = 12.5 if b.level <= 2 else 11
        self.need(_mm(size) * 2 + 6 + follow)
        self.pdf.ln(1.5)
        self.bold_text(self.pdf.epw, 0, b.text, size=size, color=DARK)
        self.pdf.ln(1.5)

    def bullets(self, b: BulletList) -> None:
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
            pdf.multi_cell(pdf.epw - 8, lh, self.wrap(self.t(item), pdf.epw - 8), wrapmode="CHAR",
                           new_x="LMARGIN", new_y="NEXT")
            pdf.ln(0.8)
        pdf.ln(1.5)

    def key_figures(self, b: KeyFigures) -> None:
        pdf = self.pdf
        items = b.normalized()
        per_row = 4 if len(items) >= 4 and len(items) % 3 != 0 else 3
        per_row = min(per_row, max(1, len(items)))
        gap = 4
        for start in range(0, len(items), per_row):
            row = items[start : start + per_row]
            w = (pdf.epw - gap * (per_row - 1)) / per_row
            heights = []
            for label, value, note in row:
                pdf.set_font(FONT, size=9)
                hl = len(pdf.multi_cell(w - 6, 4.6, self.t(label), dry_run=True, output="LINES", wrapmode="CHAR"))
                pdf.set_font(FONT, size=8)
                hn = len(pdf.multi_cell(w - 6, 4.0, self.t(note), dry_run=True, output="LINES", wrapmode="CHAR")) if note else 0
                heights.append(4 + 10 + hl * 4.6 + hn * 4.0 + 4)
            h = max(heights)
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
                pdf.set_xy(x + 3, y0 + 14)
                pdf.set_font(FONT, size=9)
                pdf.set_text_color(*DARK)
                pdf.multi_cell(w - 6, 4.6, self.t(label), wrapmode="CHAR", new_x="LEFT", new_y="NEXT")
                if note:
                    pdf.set_x(x + 3)
                    pdf.set_font(FONT, size=8)
                    pdf.set_text_color(*GREY)
                    pdf.multi_cell(w - 6, 4.0, self.t(note), wrapmode="CHAR", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(pdf.l_margin, y0 + h + 4)
        pdf.ln(1)

    def quote(self, b: Quote) -> None:
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
            pdf.multi_cell(pdf.epw - 2, 5, "—— " + self.t(b.source), align="R", wrapmode="CHAR",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2.5)

    def caption(self, text: str, *, above: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=9.5)
        pdf.set_text_color(*DARK)
        pdf.multi_cell(0, 5.2, self.wrap(self.t(text), pdf.epw), align="C" if not above else "L", wrapmode="CHAR",
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.2 if above else 3)

    def note(self, text: str) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, size=8)
        pdf.set_text_color(*GREY)
        pdf.multi_cell(0, 4.2, self.wrap("注：" + self.t(text), pdf.epw), wrapmode="CHAR",
                       new_x="LMARGIN", new_y="NEXT")

    def figure(self, b: Figure) -> None:
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
        self.caption(self.captions.get(id(b), b.caption), above=False)

    def _table_in_parts(self, b: Table, header, rows, pad, numeric) -> None:
        """A table too wide for the page even at the smallest font: draw it as several
        tables, each repeating the first column, captioned "（续）" after the first."""
        pdf = self.pdf
        cols = b.display_columns()
        mins = self._col_minimums(header, rows, pad, numeric)
        key, rest = 0, list(range(1, len(cols)))
        parts, cur, width = [], [], mins[key]
        for j in rest:
            if cur and width + mins[j] > pdf.epw:
                parts.append(cur)
                cur, width = [], mins[key]
            cur.append(j)
            width += mins[j]
        parts.append(cur)
        caption = self.captions.get(id(b), b.caption)
        for k, part in enumerate(parts):
            sub_cols = [cols[key]] + [cols[j] for j in part]
            df = b.df[sub_cols + (["suppressed"] if "suppressed" in b.df.columns else [])]
            df.attrs = dict(b.df.attrs)
            sub = Table(df, caption if k == 0 else f"{caption}（续）",
                        note=b.note if k == len(parts) - 1 else None,
                        column_labels=b.column_labels, formats=b.formats, highlight=b.highlight)
            self.captions[id(sub)] = sub.caption
            self.table(sub)

    def _col_minimums(self, header, rows, pad, numeric) -> list[float]:
        pdf = self.pdf
        sw = self.width_of()
        em = _mm(pdf.font_size_pt)
        out = []
        for j in range(len(header)):
            hw = sw(header[j]) + 2 * pad + 1
            cells = sorted(sw(r[j]) for r in rows[:400]) or [0.0]
            p90 = cells[int(0.9 * (len(cells) - 1))] + 2 * pad + 1
            mx = cells[-1] + 2 * pad + 1
            if numeric[j]:  # a short header (表述数, 单位数) stays on one line too
                out.append(max(mx, 2 * em + 2 * pad, min(hw, 4 * em + 2 * pad + 1)))
            else:
                out.append(max(min(hw, 4 * em + 2 * pad + 1), min(p90, 5 * em + 2 * pad + 1), 2 * em + 2 * pad))
        return out

    def table(self, b: Table) -> None:
        from fpdf.fonts import FontFace

        pdf = self.pdf
        header, rows = _table_cells(b, self.cells)
        header = [self.t(h) for h in header]
        rows = [[self.t(c) for c in r] for r in rows]
        cols = b.display_columns()
        num = F.numeric_columns(b)
        hl = b.highlighted_rows()
        numeric = [c in num for c in cols]
        pad = 1.4
        # a wide table gets a smaller font rather than numbers broken over two lines
        size = TABLE_PT
        pdf.set_font(FONT, size=size)
        widths, fits = self._col_widths(header, rows, pad, numeric)
        if not fits:
            pdf.set_font(FONT, size=TABLE_PT_MIN)
            _, fits_small = self._col_widths(header, rows, pad, numeric)
            if not fits_small and len(cols) > 2:
                return self._table_in_parts(b, header, rows, pad, numeric)
            lo, hi = TABLE_PT_MIN, TABLE_PT
            if fits_small:
                for _ in range(6):  # bisect the largest size that fits
                    mid = (lo + hi) / 2
                    pdf.set_font(FONT, size=mid)
                    lo, hi = (mid, hi) if self._col_widths(header, rows, pad, numeric)[1] else (lo, mid)
            size = round(lo, 2)
            pdf.set_font(FONT, size=size)
            widths, _ = self._col_widths(header, rows, pad, numeric)
        lh = _mm(size) * 1.5
        # caption + header + two rows must fit together
        self.need(16 + 3 * lh * 2)
        self.caption(self.captions.get(id(b), b.caption), above=True)
        pdf.set_font(FONT, size=size)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        head_style = FontFace(family=FONT, emphasis="", size_pt=size, color=(255, 255, 255), fill_color=BLUE)
        plain = FontFace(family=FONT, emphasis="", size_pt=size, color=DARK, fill_color=(255, 255, 255))
        zebra = FontFace(family=FONT, emphasis="", size_pt=size, color=DARK, fill_color=(246, 248, 251))
        hi = FontFace(family=FONT, emphasis="", size_pt=size, color=DARK, fill_color=HIGHLIGHT)
        aligns = ["R" if c in num else "L" for c in cols]
        # every cell is broken into lines here (Chinese rules), so fpdf2 never re-breaks them
        body = [(self._wrap_cells(header, widths, pad), head_style, ["C"] * len(cols))]
        for i, r in enumerate(rows):
            style = hi if i in hl else (zebra if i % 2 else plain)
            for part in self._split_row(self._wrap_cells(r, widths, pad)):
                body.append((part, style, aligns))
        if self.fast_tables:
            self._draw_table(body, widths, lh, pad)
        else:
            with pdf.table(
                col_widths=widths,
                width=min(sum(widths), pdf.epw),  # float rounding can overshoot epw
                align="LEFT",
                line_height=lh,
                text_align=aligns,
                headings_style=head_style,
                borders_layout="HORIZONTAL_LINES",
                wrapmode="CHAR",
                padding=(pad * 0.7, pad),
                repeat_headings=1,
                v_align="MIDDLE",
            ) as t:
                hrow = t.row()
                for c in body[0][0]:
                    hrow.cell(c, align="C")
                for part, style, al in body[1:]:
                    row = t.row(style=style)
                    for j, c in enumerate(part):
                        row.cell(c, align=al[j])
        pdf.set_font(FONT, size=TABLE_PT)
        note = b.full_note()
        pdf.ln(1.5)
        if note:
            self.note(note)
        pdf.ln(3)

    def _col_widths(self, header, rows, pad, numeric) -> tuple[list[float], bool]:
        """Column widths (mm) for the current font, and whether every column gets at least
        its minimum (numbers whole on one line, text columns ≥ about four characters)."""
        pdf = self.pdf
        epw = pdf.epw
        n = len(header)
        if n == 0:
            return [], True
        em = _mm(pdf.font_size_pt)
        sw = self.width_of()
        minimum = self._col_minimums(header, rows, pad, numeric)
        desired, longest = [], []
        sample = rows[:400]
        for j in range(n):
            hw = sw(header[j]) + 2 * pad + 1
            cells = sorted(sw(r[j]) for r in sample) if sample else [0.0]
            p90 = cells[int(0.9 * (len(cells) - 1))] + 2 * pad + 1
            mx = cells[-1] + 2 * pad + 1
            if numeric[j]:  # numbers are never broken
                desired.append(max(mx, min(hw, 30), 12))
            else:
                desired.append(max(min(hw, 34), p90, min(mx, 70), 12))
            longest.append(mx)
        total = sum(desired)
        if total <= epw:
            need = [max(0.0, m - d) for m, d in zip(longest, desired)]
            if total < epw * 0.6 and not any(x > 0.5 for x in need):  # small table: keep it compact
                return desired, True
            # spare width goes first to the columns whose long texts would wrap …
            spare = epw - total
            if sum(need) > 0:
                give = min(spare, sum(need))
                desired = [d + give * x / sum(need) for d, x in zip(desired, need)]
                spare -= give
            # … and what is left is shared by all columns
            total = sum(desired)
            return [d * (total + spare) / total for d in desired], True
        base = sum(minimum)
        if base >= epw:
            return [m * epw / base for m in minimum], base <= epw + 1e-6
        extra = [d - m for d, m in zip(desired, minimum)]
        k = (epw - base) / sum(extra) if sum(extra) else 0
        return [m + e * k for m, e in zip(minimum, extra)], True

    def _wrap_cells(self, cells, widths, pad) -> list[str]:
        """Each cell broken into lines for its column (empty cells stay empty)."""
        out = []
        for c, w in zip(cells, widths):
            if c:
                key = (c, w)
                v = self._wrapped.get(key)
                if v is None:
                    v = self._wrapped[key] = self.wrap(c, w - 2 * pad)
                out.append(v)
            else:
                out.append(c)
        return out

    def _draw_table(self, body, widths, lh: float, pad: float) -> None:
        """Draw a table laid out exactly as ``FPDF.table`` lays it out with the options of
        :meth:`table` (horizontal rules, header row repeated after a page break, cells
        vertically centred, ``padding=(pad * 0.7, pad)``), without its cost.

        ``FPDF.table`` runs every cell through ``multi_cell`` twice (a dry run to measure the
        row, then the drawing) and re-breaks text that :meth:`wrap` has already broken; for
        the ~30,000 cells of a 60-major report that was most of the PDF time.  Here a row's
        height comes from its line counts, the cell background and rules are drawn by
        fpdf2's own ``TableCellStyle`` and each line of text by ``text`` at the baseline and
        offset ``multi_cell`` would use.  ``fast_tables = False`` on the document uses
        ``FPDF.table`` (the tests compare the two).
        """
        from fpdf.enums import TableCellStyle

        pdf = self.pdf
        total = sum(widths)
        width = float(min(total, pdf.epw))
        colw = [w / total * width for w in widths]
        x0 = pdf.x
        xs = [x0]
        for w in colw[:-1]:
            xs.append(xs[-1] + w)
        vpad = pad * 0.7
        n_rows = len(body)
        line_sets = []
        heights = []
        for cells, _style, _al in body:
            lines = []
            for c in cells:
                if not c:
                    lines.append(None)
                    continue
                ls = c.split("\n")
                if len(ls) > 1 and ls[-1] == "":
                    ls.pop()  # multi_cell ignores one trailing newline
                lines.append(ls)
            line_sets.append(lines)
            h = max((len(ls) * lh + 2 * vpad for ls in lines if ls is not None), default=0)
            heights.append(h if h else lh)
        page_break = getattr(pdf, "_perform_page_break_if_need_be", None)
        if page_break is None:  # pragma: no cover - other fpdf2 versions
            def page_break(h):
                if pdf.will_page_break(h):
                    x = pdf.x
                    pdf.add_page(same=True)
                    pdf.x = x
                    return True
                return False
        prev_color = pdf.text_color
        prev_l_margin = pdf.l_margin
        pdf.l_margin = x0
        # fpdf2's HORIZONTAL_LINES layout: a rule above every row but the first, below every
        # row but the last
        borders = {(top, bottom): TableCellStyle(left=False, bottom=bottom, right=False, top=top)
                   for top in (False, True) for bottom in (False, True)}

        def draw_row(i):
            cells, style, al = body[i]
            y = pdf.y
            h = heights[i]
            border = borders[(i > 0, i < n_rows - 1)]
            fill = style.fill_color
            for j in range(len(cells)):
                border.draw_cell_border(pdf, xs[j], y, xs[j] + colw[j], y + h, fill_color=fill)
            if pdf.font_size_pt != style.size_pt:
                pdf.set_font(FONT, size=style.size_pt)
            if style.color is not None and style.color != pdf.text_color:
                pdf.set_text_color(style.color)
            sw = self.width_of()
            # baseline of a line of height lh, as FPDF.cell places it
            base = 0.5 * lh + 0.3 * pdf.font_size
            for j, ls in enumerate(line_sets[i]):
                if ls is None:
                    continue
                ty = y + (h - (len(ls) * lh + 2 * vpad)) / 2 + vpad
                x = xs[j] + pad
                w = colw[j] - 2 * pad
                a = al[j]
                for line in ls:
                    if line:
                        tx = x if a == "L" else x + (w - sw(line)) if a == "R" else x + (w - sw(line)) / 2
                        pdf.text(tx, ty + base, line)
                    ty += lh
            pdf.set_xy(x0, y + h)

        try:
            if n_rows > 1:  # the header row is never left alone at the bottom of a page
                page_break(heights[0] + heights[1])
            for i in range(n_rows):
                broke = page_break(heights[i])
                if broke and pdf.y + heights[i] > pdf.page_break_trigger:
                    raise ValueError(f"The row with index {i} is too high and cannot be rendered on a single page")
                if broke and i >= 1:
                    draw_row(0)
                draw_row(i)
        finally:
            pdf.l_margin = prev_l_margin
            pdf.x = prev_l_margin
            pdf.text_color = prev_color

    @staticmethod
    def _split_row(row):
        """Split a row whose cells (already broken into lines) have more than
        MAX_CELL_LINES lines into several rows, so no row is taller than a page."""
        chunks_per_cell = []
        longest = 1
        for c in row:
            if c.count("\n") < MAX_CELL_LINES:
                chunks_per_cell.append([c])
                continue
            lines = c.split("\n")  # already broken by self.wrap
            parts = ["\n".join(lines[i : i + MAX_CELL_LINES]) for i in range(0, len(lines), MAX_CELL_LINES)]
            chunks_per_cell.append(parts or [""])
            longest = max(longest, len(parts))
        if longest == 1:
            return [row]
        out = []
        for k in range(longest):
            part = []
            for j, ch in enumerate(chunks_per_cell):
                if k < len(ch):
                    part.append(ch[k])
                else:
                    part.append("（续）" if j == 0 and k > 0 and len(ch) == 1 else "")
            out.append(part)
        return out


def _clean(text, codepoints: frozenset) -> str:
    """Text the font can draw: tabs to spaces, control characters dropped, characters the
    font lacks (emoji…) replaced by □."""
    s = "" if text is None else str(text)
    s = s.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    s = _CTRL.sub("", s)
    if codepoints and not all(ord(c) in codepoints or c == "\n" for c in s):
        s = "".join(c if (c == "\n" or ord(c) in codepoints) else "□" for c in s)
    return s


def _table_cells(b: Table, cache: dict | None) -> tuple[list[str], list[list[str]]]:
    """``_format.table_cells``, formatted once per render (the font subset needs the text
    before the tables are drawn)."""
    if cache is None:
        return F.table_cells(b)
    hit = cache.get(id(b))
    if hit is None or hit[0] is not b:
        hit = cache[id(b)] = (b, F.table_cells(b))
    return hit[1]


def _all_text(report: Report, cells: dict | None = None) -> str:
    """Every character the PDF may draw (for the font subset)."""
    parts = [report.title, report.subtitle or ""]
    parts += [f"{k}{v}" for k, v in meta_items(report.meta)]
    parts += list(F.captions(report).values())
    for s in F.iter_sections(report):
        parts.append(s.title)
        for b in s.blocks:
            if isinstance(b, (Paragraph, Heading)):
                parts.append(b.text)
            elif isinstance(b, BulletList):
                parts += [str(x) for x in b.items]
                parts.append("".join(f"{i}." for i in range(1, len(b.items) + 1)))
            elif isinstance(b, KeyFigures):
                parts += ["".join(t) for t in b.normalized()]
            elif isinstance(b, Quote):
                parts += [b.text, b.source or ""]
            elif isinstance(b, TableOfContents):
                parts.append(b.title)
            elif isinstance(b, Table):
                header, rows = _table_cells(b, cells)
                parts += header
                parts.append(b.full_note())
                parts.append("".join({c for r in rows for cell in r for c in cell}))
    return "".join(parts) + "第页共目录注：续—…·“”•□"


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
        cells: dict = {}
        font_file = pdf_font_file(_clean(_all_text(report, cells), cps), tmp)
        doc = _Doc(report, font_file, cps)
        doc.cells = cells
        pdf = doc.pdf
        doc.cover()
        levels = [max(1, int(s.level)) - 1 for s in F.iter_sections(report)
                  if s.bookmark and not F.is_toc_only(s)]
        for s in F.iter_sections(report):
            toc_only = F.is_toc_only(s)
            if not toc_only:
                doc.section_title(s, doc.follow_height(s.blocks[0]) if s.blocks else 0.0)
            for k, b in enumerate(s.blocks):
                if isinstance(b, TableOfContents):
                    if pdf.get_y() > pdf.t_margin + 0.5 or pdf.page_no() == 1:
                        pdf.add_page()
                    pages = doc.toc_pages(levels)
                    pdf.insert_toc_placeholder(doc.toc_renderer(b.title, pages), pages=pages,
                                               reset_page_indices=False)
                elif isinstance(b, Paragraph):
                    doc.para(b.text)
                elif isinstance(b, Heading):
                    nxt = s.blocks[k + 1] if k + 1 < len(s.blocks) else None
                    doc.heading(b, doc.follow_height(nxt) if nxt is not None else 0.0)
                elif isinstance(b, BulletList):
                    doc.bullets(b)
                elif isinstance(b, KeyFigures):
                    doc.key_figures(b)
                elif isinstance(b, Table):
                    doc.table(b)
                elif isinstance(b, Figure):
                    doc.figure(b)
                elif isinstance(b, Quote):
                    doc.quote(b)
                elif isinstance(b, PageBreak):
                    pdf.add_page()
                else:
                    raise TypeError(f"unknown report block {type(b).__name__}")
        pdf.output(str(path))
    return path


def pdf_text(path: str | Path) -> list[str]:
    """The text of each page of a PDF, as a reader would search it (pypdf).

    Whitespace is kept; use it to check that headings, names and figures of a report are
    present and searchable.
    """
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return [p.extract_text() or "" for p in reader.pages]
