"""Column widths from content, for renderers whose viewer wraps the text (DOCX).

Text is measured in half-width cells (:func:`~survey_analysis.report._wordbreak.display_width`:
a Chinese character counts 2, a digit or Latin letter 1).  Every column first gets its
minimum: a numeric column its widest cell (numbers are never broken), a text column its
longest word up to ``word_cap`` (a major's name stays on one line), a header its longest
word.  The width left over goes, a step at a time, to the column where it shortens the
table most (the sum over rows of the tallest cell's line count), so a long-text column such
as a recommendation gets most of the width and short columns stay narrow; width that no
longer shortens any row goes to columns whose longest line does not fit yet.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ._wordbreak import WordBreaker, display_width

__all__ = ["column_widths", "table_lines"]


def _col_lines(cells: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row index, display width) of every line of every cell of one column."""
    rows, lens = [], []
    for i, c in enumerate(cells):
        for line in str(c).split("\n"):
            rows.append(i)
            lens.append(display_width(line))
    return np.asarray(rows, dtype=np.int64), np.asarray(lens, dtype=float)


def _lines_at(col: tuple[np.ndarray, np.ndarray], width: float, n: int) -> np.ndarray:
    rows, lens = col
    per_line = np.maximum(1.0, np.ceil(lens / max(width, 1.0)))
    return np.bincount(rows, weights=per_line, minlength=n)


def table_lines(cells_by_col: list[Sequence[str]], widths: Sequence[float]) -> float:
    """Estimated height of a table in lines (the sum over rows of the tallest cell) when each
    column has the given width in half-width cells."""
    if not cells_by_col:
        return 0.0
    n = len(cells_by_col[0])
    m = np.column_stack([_lines_at(_col_lines(c), w, n) for c, w in zip(cells_by_col, widths)])
    return float(m.max(axis=1).sum())


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool],
                  available: float, *, breaker: WordBreaker | None = None, word_cap: float = 16,
                  sample: int = 2000) -> list[float]:
    """Column widths in half-width cells whose sum is at most ``available``.

    Parameters
    ----------
    header : list of str
    rows : list of list of str
        The cells as shown (formatted numbers, text with newlines).
    numeric : list of bool
        Numeric columns (never broken).
    available : float
        The width to share (half-width cells at the table's font size, padding excluded).
    breaker : WordBreaker, optional
        Where text may break (default: a new one).
    word_cap : float, default 16
        Longest word (8 Chinese characters) a text column must hold on one line.
    sample : int, default 2000
        Rows used to measure (the first ones).

    Returns
    -------
    list of float
        Widths; when even the minimums do not fit they are scaled down to ``available``.

    Examples
    --------
    >>> column_widths(["专业", "n", "建议"], [["会计学", "12", "加强实践教学" * 20]], [False, True, False], 80)
    [6.0, 2.0, 72.0]
    """
    bk = breaker or WordBreaker()
    k = len(header)
    if k == 0:
        return []
    body = [list(r) for r in rows[:sample]]
    n = len(body) + 1
    cells_by_col = [[header[j]] + [r[j] for r in body] for j in range(k)]
    mins, natural, words = [], [], []
    for j, cells in enumerate(cells_by_col):
        hword = max((display_width(g) for g in bk.groups(header[j]) if not g.isspace()), default=1)
        if display_width(header[j]) <= 8:  # a short header (预警牌, 优先级) stays on one line
            hword = display_width(header[j])
        widest = max((display_width(line) for c in cells[1:] for line in str(c).split("\n")), default=0)
        word = 0
        if numeric[j]:
            mins.append(float(max(widest, min(hword, 8), 2)))
        else:
            word = max((display_width(g) for c in cells[1:] for g in bk.groups(str(c)) if not g.isspace()),
                       default=0)
            mins.append(float(max(min(word, word_cap), min(hword, word_cap), 4)))
        words.append(float(word))
        natural.append(float(max(widest, display_width(header[j]) if display_width(header[j]) <= 16 else hword)))
    total = sum(mins)
    if total >= available:
        return [m * available / total for m in mins]
    # where there is room, text columns hold longer words whole (机械设计制造及其自动化: 22)
    longer = [m if numeric[j] else max(m, min(words[j], 2 * word_cap)) for j, m in enumerate(mins)]
    if sum(longer) <= available:
        mins, total = longer, sum(longer)
    cols = [_col_lines(c) for c in cells_by_col]
    widths = list(mins)
    m = np.column_stack([_lines_at(cols[j], widths[j], n) for j in range(k)])
    left = available - total
    step = max(1.0, left / 60)
    def cost(mat) -> float:
        # the table's height, plus a little of every cell's own line count: when two columns
        # tie for a row's height, widening either one still counts
        return float(mat.max(axis=1).sum() + 0.05 * mat.sum())

    while left >= 0.5:
        s = min(step, left)
        best, best_gain, best_col = None, 0.0, None
        height = cost(m)
        for j in range(k):
            if widths[j] >= natural[j]:
                continue
            col = _lines_at(cols[j], widths[j] + s, n)
            trial = m.copy()
            trial[:, j] = col
            gain = height - cost(trial)
            if gain > best_gain + 1e-9:
                best, best_gain, best_col = j, gain, col
        if best is None:
            break
        widths[best] += s
        m[:, best] = best_col
        left -= s
    short = [max(0.0, natural[j] - widths[j]) for j in range(k)]
    if left > 0 and sum(short) > 0:  # nothing shortens a row: widen columns whose lines still wrap
        give = min(left, sum(short))
        widths = [w + give * x / sum(short) for w, x in zip(widths, short)]
    return [round(w, 2) for w in widths]
