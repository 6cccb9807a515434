"""Tables in the PDF: column widths from content, cells broken between words, rows drawn
directly with the layout of ``FPDF.table``, page breaks planned so that no row is left alone.

Layout rules:

* Numbers are never broken: a numeric column is at least as wide as its widest cell; a wide
  table gets a smaller font (down to :data:`TABLE_PT_MIN`) and, failing that, is drawn in
  parts that repeat the first column ("（续）").
* Text columns get the width their long texts need, and at least their longest word when
  there is room, so a major's name stays on one line.
* Orphans: a table starts on a new page (with its caption) unless its header and first two
  rows fit; the last page of a table carries at least two rows and the note; the header row is
  repeated on every page.  A row never splits across pages (a cell longer than
  :data:`MAX_CELL_LINES` lines continues in a "（续）" row).
"""
from __future__ import annotations

from typing import Sequence

from . import _format as F
from .model import Table

__all__ = ["TABLE_PT", "TABLE_PT_MIN", "MAX_CELL_LINES", "plan_breaks", "draw_table", "split_row"]

TABLE_PT = 8.5
TABLE_PT_MIN = 6.5  # wide tables shrink down to this size
MAX_CELL_LINES = 14  # longer cells are split over continuation rows
PAD = 1.4  # cell padding (mm), left/right; top/bottom is 0.7 of it
HEAD_FILL = (0, 84, 147)
HIGHLIGHT = (255, 240, 214)
ZEBRA = (246, 248, 251)
DARK = (34, 34, 34)
RULE = (200, 206, 214)


def mm(pt: float) -> float:
    return pt * 25.4 / 72


def plan_breaks(heights: Sequence[float], y0: float, top: float, bottom: float, *,
                tail: float = 0.0) -> tuple[bool, list[int]]:
    """Where a table's pages start, so that no page holds a table's header alone or a single
    row of it.

    Parameters
    ----------
    heights : sequence of float
        Row heights, the header first.
    y0 : float
        Where the header would start on the current page.
    top, bottom : float
        Where a page's rows start (below the running header) and where they must end.
    tail : float
        Height that must follow the last row on its page (the note under the table).

    Returns
    -------
    (move, breaks)
        ``move``: start the whole table (and its caption) on a new page, because its header
        and first two rows do not fit; ``breaks``: the row indices before which a new page
        starts (the header is repeated there).  When the last page would hold one row, the
        page before gives it one more (or, when that page holds the table's first two rows
        only, the table starts on a new page).

    Examples
    --------
    >>> plan_breaks([5, 10, 10, 10], y0=0, top=0, bottom=100)
    (False, [])
    >>> plan_breaks([5, 10, 10, 10, 10], y0=50, top=0, bottom=90)  # 3 rows fit, 1 would be left
    (False, [3])
    """
    n = len(heights)
    if n < 2:
        return False, []
    head = heights[0]

    def greedy(y: float) -> list[int]:
        out, y = [], y + head
        for i in range(1, n):
            h = heights[i] + (tail if i == n - 1 else 0.0)
            if y + h > bottom and y > top + head + 1e-6:  # never an empty page
                out.append(i)
                y = top + head
            y += heights[i]
        return out

    def widow(breaks: list[int]) -> bool:
        return bool(breaks) and n - breaks[-1] == 1 and n > 3

    first = sum(heights[: min(n, 3)]) + (tail if n <= 3 else 0.0)
    move = y0 + first > bottom and y0 > top + 1e-6
    breaks = greedy(top if move else y0)
    if widow(breaks):
        prev = breaks[-2] if len(breaks) > 1 else 1
        if breaks[-1] - prev >= 3:
            breaks[-1] -= 1
        elif len(breaks) == 1 and not move:
            move, breaks = True, greedy(top)
            if widow(breaks) and breaks[-1] - (breaks[-2] if len(breaks) > 1 else 1) >= 3:
                breaks[-1] -= 1
    return move, breaks


class _Layout:
    """Column widths and font size of one table for the document's current page width."""

    def __init__(self, doc, header: list[str], rows: list[list[str]], numeric: list[bool]):
        self.doc, self.header, self.rows, self.numeric = doc, header, rows, numeric

    def _measure(self, j: int):
        sw = self.doc.width_of()
        cells = sorted(sw(r[j]) for r in self.rows[:400]) or [0.0]
        p90 = cells[int(0.9 * (len(cells) - 1))]
        return sw(self.header[j]), p90, cells[-1], self.doc.longest_word(self.header[j], self.rows, j)

    def minimums(self) -> list[float]:
        pdf = self.doc.pdf
        em = mm(pdf.font_size_pt)
        out = []
        for j in range(len(self.header)):
            hw, p90, mx, word = self._measure(j)
            if self.numeric[j]:  # a short header (表述数, 单位数) stays on one line too
                out.append(max(mx + 2 * PAD + 1, 2 * em + 2 * PAD, min(hw + 2 * PAD + 1, 4 * em + 2 * PAD + 1)))
            else:
                out.append(max(min(hw, 4 * em) + 2 * PAD + 1, min(p90, 5 * em) + 2 * PAD + 1,
                               min(word, 6 * em) + 2 * PAD + 1, 2 * em + 2 * PAD))
        return out

    def whole_words(self, minimum: list[float]) -> list[float]:
        """``minimum`` with every text column widened to its longest word (up to 14 em)."""
        em = mm(self.doc.pdf.font_size_pt)
        return [m if self.numeric[j] else max(m, min(self._measure(j)[3], 14 * em) + 2 * PAD + 1)
                for j, m in enumerate(minimum)]

    def widths(self, whole: bool = False) -> tuple[list[float], bool]:
        """Column widths (mm) and whether every column gets at least its minimum (with
        ``whole``: and every text column its longest word)."""
        epw = self.doc.pdf.epw
        n = len(self.header)
        if n == 0:
            return [], True
        if whole and sum(self.whole_words(self.minimums())) > epw + 1e-6:
            return [], False
        minimum = self.minimums()
        desired, longest = [], []
        for j in range(n):
            hw, p90, mx, word = (x + 2 * PAD + 1 for x in self._measure(j))
            if self.numeric[j]:  # numbers are never broken
                desired.append(max(mx, min(hw, 30), 12))
            else:
                desired.append(max(min(hw, 34), p90, min(mx, 70), min(word, 60), 12))
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
        # where there is room, every text column holds its longest word (a major's name)
        whole = self.whole_words(minimum)
        if sum(whole) <= epw:
            minimum, base = whole, sum(whole)
        extra = [max(0.0, d - m) for d, m in zip(desired, minimum)]
        k = (epw - base) / sum(extra) if sum(extra) else 0
        return [m + e * k for m, e in zip(minimum, extra)], True


def _fit(doc, header, rows, numeric) -> tuple[float, list[float] | None]:
    """The largest font size (TABLE_PT_MIN … TABLE_PT) at which the columns fit with every
    text column's longest word whole, else the largest at which they fit at all, with the
    widths; ``None`` widths when even TABLE_PT_MIN does not fit (draw in parts)."""
    pdf = doc.pdf
    lay = _Layout(doc, header, rows, numeric)
    for whole in (True, False):
        pdf.set_font(doc.FONT, size=TABLE_PT)
        widths, fits = lay.widths(whole)
        if fits:
            return TABLE_PT, widths
        pdf.set_font(doc.FONT, size=TABLE_PT_MIN)
        if not lay.widths(whole)[1]:
            continue
        lo, hi = TABLE_PT_MIN, TABLE_PT
        for _ in range(6):  # bisect the largest size that fits
            mid = (lo + hi) / 2
            pdf.set_font(doc.FONT, size=mid)
            lo, hi = (mid, hi) if lay.widths(whole)[1] else (lo, mid)
        size = round(lo, 2)
        pdf.set_font(doc.FONT, size=size)
        return size, lay.widths(whole)[0]
    return TABLE_PT_MIN, None


def draw_table(doc, b: Table, caption: str, header: list[str], rows: list[list[str]]) -> None:
    """Draw table ``b`` (cells already formatted and cleaned) with its caption and note."""
    from fpdf.fonts import FontFace

    pdf = doc.pdf
    cols = b.display_columns()
    num = F.numeric_columns(b)
    numeric = [c in num for c in cols]
    size, widths = _fit(doc, header, rows, numeric)
    if widths is None and len(cols) > 2:
        return _in_parts(doc, b, caption, header, rows, numeric)
    if widths is None:
        widths = _Layout(doc, header, rows, numeric).widths()[0]
    lh = mm(size) * 1.5
    hl = b.highlighted_rows()
    face = {k: FontFace(family=doc.FONT, emphasis="", size_pt=size, color=c, fill_color=f)
            for k, c, f in (("head", (255, 255, 255), HEAD_FILL), ("plain", DARK, (255, 255, 255)),
                            ("zebra", DARK, ZEBRA), ("hi", DARK, HIGHLIGHT))}
    aligns = ["R" if x else "L" for x in numeric]
    pdf.set_font(doc.FONT, size=size)
    # every cell is broken into lines here (between words), so fpdf2 never re-breaks them
    body = [(_wrap_cells(doc, header, widths), face["head"], ["C"] * len(cols))]
    for i, r in enumerate(rows):
        style = face["hi"] if i in hl else face["zebra" if i % 2 else "plain"]
        for part in split_row(_wrap_cells(doc, r, widths)):
            body.append((part, style, aligns))
    note = b.full_note()
    cap_h = doc.caption_height(caption)
    note_h = doc.note_height(note) + 1.5 if note else 0.0
    if doc.fast_tables and doc.orphans:
        heights = [_row_height(cells, lh) for cells, _s, _a in body]
        move, breaks = plan_breaks(heights, pdf.get_y() + cap_h, pdf.t_margin, pdf.page_break_trigger,
                                   tail=note_h)
        if move:
            pdf.add_page()
    else:
        doc.need(16 + 3 * lh * 2)  # caption + header + two rows
        breaks = None
    doc.caption(caption, above=True)
    pdf.set_font(doc.FONT, size=size)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    if doc.fast_tables:
        _draw_rows(doc, body, widths, lh, breaks)
    else:
        _draw_with_fpdf(pdf, body, widths, lh, aligns, face["head"])
    pdf.set_font(doc.FONT, size=TABLE_PT)
    pdf.ln(1.5)
    if note:
        doc.note(note)
    pdf.ln(3)


def _draw_with_fpdf(pdf, body, widths, lh, aligns, head_style) -> None:
    """The same table through ``FPDF.table`` (slower; the tests compare the two drawers)."""
    with pdf.table(
        col_widths=widths,
        width=min(sum(widths), pdf.epw),  # float rounding can overshoot epw
        align="LEFT",
        line_height=lh,
        text_align=aligns,
        headings_style=head_style,
        borders_layout="HORIZONTAL_LINES",
        wrapmode="CHAR",
        padding=(PAD * 0.7, PAD),
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


def _wrap_cells(doc, cells, widths) -> list[str]:
    """Each cell broken into lines for its column (empty cells stay empty)."""
    return [doc.wrap_cell(c, w - 2 * PAD) if c else c for c, w in zip(cells, widths)]


def _cell_lines(c: str):
    if not c:
        return None
    ls = c.split("\n")
    if len(ls) > 1 and ls[-1] == "":
        ls.pop()  # multi_cell ignores one trailing newline
    return ls


def _row_height(cells, lh: float) -> float:
    vpad = PAD * 0.7
    h = max((len(ls) * lh + 2 * vpad for ls in map(_cell_lines, cells) if ls is not None), default=0)
    return h if h else lh


def _draw_rows(doc, body, widths, lh: float, breaks: list[int] | None) -> None:
    """Draw the rows laid out exactly as ``FPDF.table`` lays them out with the options of
    :func:`_draw_with_fpdf` (horizontal rules, header row repeated after a page break, cells
    vertically centred, ``padding=(PAD * 0.7, PAD)``), without its cost, breaking pages at
    ``breaks`` (``None``: wherever a row does not fit, as ``FPDF.table`` does).

    ``FPDF.table`` runs every cell through ``multi_cell`` twice (a dry run to measure the
    row, then the drawing) and re-breaks text that was already broken; here a row's height
    comes from its line counts, the cell background and rules are drawn by fpdf2's own
    ``TableCellStyle`` and each line of text by ``text`` at the baseline ``multi_cell`` uses.
    """
    from fpdf.enums import TableCellStyle

    pdf = doc.pdf
    total = sum(widths)
    width = float(min(total, pdf.epw))
    colw = [w / total * width for w in widths]
    x0 = pdf.x
    xs = [x0]
    for w in colw[:-1]:
        xs.append(xs[-1] + w)
    vpad = PAD * 0.7
    n_rows = len(body)
    line_sets = [[_cell_lines(c) for c in cells] for cells, _s, _a in body]
    heights = [_row_height(cells, lh) for cells, _s, _a in body]
    prev_color, prev_l_margin = pdf.text_color, pdf.l_margin
    pdf.l_margin = x0
    # fpdf2's HORIZONTAL_LINES layout: a rule above every row but the first, below every
    # row but the last
    borders = {(top, bottom): TableCellStyle(left=False, bottom=bottom, right=False, top=top)
               for top in (False, True) for bottom in (False, True)}

    def draw_row(i):
        cells, style, al = body[i]
        y, h = pdf.y, heights[i]
        border = borders[(i > 0, i < n_rows - 1)]
        for j in range(len(cells)):
            border.draw_cell_border(pdf, xs[j], y, xs[j] + colw[j], y + h, fill_color=style.fill_color)
        if pdf.font_size_pt != style.size_pt:
            pdf.set_font(doc.FONT, size=style.size_pt)
        if style.color is not None and style.color != pdf.text_color:
            pdf.set_text_color(style.color)
        sw = doc.width_of()
        base = 0.5 * lh + 0.3 * pdf.font_size  # baseline of a line of height lh, as FPDF.cell places it
        for j, ls in enumerate(line_sets[i]):
            if ls is None:
                continue
            ty = y + (h - (len(ls) * lh + 2 * vpad)) / 2 + vpad
            x, w, a = xs[j] + PAD, colw[j] - 2 * PAD, al[j]
            for line in ls:
                if line:
                    tx = x if a == "L" else x + (w - sw(line)) if a == "R" else x + (w - sw(line)) / 2
                    pdf.text(tx, ty + base, line)
                ty += lh
        pdf.set_xy(x0, y + h)

    def new_page():
        pdf.add_page(same=True)
        pdf.x = x0

    try:
        if breaks is None and n_rows > 1 and pdf.will_page_break(heights[0] + heights[1]):
            new_page()  # the header row is never left alone at the bottom of a page
        planned = set(breaks or ())
        for i in range(n_rows):
            broke = False
            if i in planned or (breaks is None and pdf.will_page_break(heights[i])):
                new_page()
                broke = True
            if broke and pdf.y + heights[i] > pdf.page_break_trigger:
                raise ValueError(f"The row with index {i} is too high and cannot be rendered on a single page")
            if broke and i >= 1:
                draw_row(0)
            draw_row(i)
    finally:
        pdf.l_margin = prev_l_margin
        pdf.x = prev_l_margin
        pdf.text_color = prev_color


def split_row(row: list[str]) -> list[list[str]]:
    """Split a row whose cells (already broken into lines) have more than MAX_CELL_LINES
    lines into several rows, so no row is taller than a page."""
    chunks_per_cell = []
    longest = 1
    for c in row:
        if c.count("\n") < MAX_CELL_LINES:
            chunks_per_cell.append([c])
            continue
        lines = c.split("\n")
        parts = ["\n".join(lines[i: i + MAX_CELL_LINES]) for i in range(0, len(lines), MAX_CELL_LINES)]
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


def _in_parts(doc, b: Table, caption: str, header, rows, numeric) -> None:
    """A table too wide for the page even at the smallest font: several tables, each repeating
    the first column, captioned "（续）" after the first."""
    pdf = doc.pdf
    cols = b.display_columns()
    lay = _Layout(doc, header, rows, numeric)
    mins = lay.whole_words(lay.minimums())  # the first column (a major's name) whole in every part
    key, rest = 0, list(range(1, len(cols)))
    parts, cur, width = [], [], mins[key]
    for j in rest:
        if cur and width + mins[j] > pdf.epw:
            parts.append(cur)
            cur, width = [], mins[key]
        cur.append(j)
        width += mins[j]
    parts.append(cur)
    for k, part in enumerate(parts):
        idx = [key] + part
        sub_cols = [cols[j] for j in idx]
        df = b.df[sub_cols + (["suppressed"] if "suppressed" in b.df.columns else [])]
        df.attrs = dict(b.df.attrs)
        sub = Table(df, b.caption, note=b.note if k == len(parts) - 1 else None,
                    column_labels=b.column_labels, formats=b.formats, highlight=b.highlight)
        draw_table(doc, sub, caption if k == 0 else f"{caption}（续）", [header[j] for j in idx],
                   [[r[j] for j in idx] for r in rows])
