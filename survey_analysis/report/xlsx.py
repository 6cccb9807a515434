"""XLSX renderer (xlsxwriter): every Table of the report on its own sheet.

* The first sheet ("目录") lists the report and every table with its full title and a link
  to its sheet.
* Sheet names are short and whole: the table's number and its title, shortened at a phrase
  or word boundary (a parenthesis dropped first, then the text after the last clause mark,
  then whole words) to Excel's 31 characters — never cut mid-word; unique by the number.
* Each table sheet has the header in row 1 (frozen), the raw values and an Excel number format
  that shows what the PDF shows: a rate is a fraction with ``0.0%`` (the column's format, or its
  name: :func:`~survey_analysis.report._format.column_format`), a p-value a number with
  ``[<0.001]"<0.001";0.000``, a date an Excel date, a question number a number — a cell that
  holds a number is never stored as text (a code with a leading zero such as ``080901`` is
  text).  A ``pct_ci`` column becomes three columns (estimate, lower, upper); the caption and
  the note follow the data.
* Every string is written with ``write_string`` and the workbook is opened with
  ``strings_to_formulas=False``: a comment such as ``=HYPERLINK(...)`` stays text.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime
from numbers import Number
from pathlib import Path

import numpy as np
import pandas as pd

from . import _format as F
from ._common import captioned, clean_text, cover
from ._wordbreak import WordBreaker, display_width
from .model import Report, Table

__all__ = ["render_xlsx", "sheet_name"]

_BAD_SHEET = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_NUMBER_TEXT = re.compile(r"^[-+]?(0|[1-9]\d*)(\.\d+)?$")
_PAREN = re.compile(r"[（(][^（）()]*[）)]")
_CAPTION_NO = re.compile(r"^\s*([表图])\s*([0-9０-９][0-9０-９A-Za-z\-.－]*)\s*")
_CLAUSE = "：，；、:,;"
LIMIT = 31  # Excel's sheet-name length


def _shorten(title: str, room: int, breaker: WordBreaker) -> str:
    """``title`` in at most ``room`` characters, cut only between phrases or words."""
    if len(title) <= room:
        return title
    bare = _PAREN.sub("", title).strip()
    if bare and len(bare) <= room:
        return bare
    text = bare or title
    cut = max((i for i, ch in enumerate(text[: room + 1]) if ch in _CLAUSE), default=-1)
    if cut >= room * 2 // 3:  # a clause that keeps most of the room
        return text[:cut]
    out = ""
    for g in breaker.groups(text):
        if len(out) + len(g) > room - 1:
            break
        out += g
    out = out.rstrip()
    return (out + "…") if out else text[: room - 1] + "…"


def sheet_name(caption: str, used: set[str], breaker: WordBreaker | None = None) -> str:
    """A legal, unique, short Excel sheet name made from ``caption`` (≤ 31 characters).

    Examples
    --------
    >>> sheet_name("表 1　各专业：就业/升学 [2024]", set())
    '表1 各专业：就业_升学 (2024)'
    >>> sheet_name("表 6-1b 机械设计制造及其自动化：用人单位指出的能力短板（前 5 项）", set())
    '表6-1b 机械设计制造及其自动化：用人单位指出的能力短板'
    """
    bk = breaker or WordBreaker()
    s = clean_text(caption).replace("[", "(").replace("]", ")")
    s = _BAD_SHEET.sub("_", s)
    s = re.sub(r"[\s\u3000]+", " ", s).strip(" '")
    m = _CAPTION_NO.match(s)
    prefix, title = (f"{m.group(1)}{m.group(2)} ", s[m.end():]) if m else ("", s)
    title = title.strip(" '") or ("表" if not prefix else "")
    name = (prefix + _shorten(title, LIMIT - len(prefix), bk)).strip(" '") or "表"
    if name.lower() == "history":
        name = "history_"
    base, k = name, 2
    taken = {u.lower() for u in used}
    while name.lower() in taken:
        suffix = f"~{k}"
        name = base[: LIMIT - len(suffix)] + suffix
        k += 1
    used.add(name)
    return name


def _cell_value(v):
    """A Python scalar for xlsxwriter (None for missing)."""
    if F.is_missing(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    return v


class _Formats:
    """xlsxwriter formats, made once per (kind, highlighted)."""

    BASE = {"font_name": "微软雅黑", "font_size": 10, "valign": "top"}

    def __init__(self, wb):
        base = self.BASE
        self.wb = wb
        self.head = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": "#005493",
                                   "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1,
                                   "border_color": "#C8CED6"})
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "font_color": "#005493"})
        self.note = wb.add_format({**base, "font_color": "#6E6E6E", "italic": True})
        self.text = wb.add_format({**base})
        self.link = wb.add_format({**base, "font_color": "#0072B2", "underline": 1})
        self._made: dict = {}

    def __call__(self, kind, hl=False):
        key = (kind, hl)
        if key not in self._made:
            props = {**self.BASE, "num_format": F.XLSX_NUM_FORMATS.get(kind, "General")}
            if kind == "text_wrap":
                props = {**self.BASE, "text_wrap": True}
            if hl:
                props["bg_color"] = "#FFF0D6"
            self._made[key] = self.wb.add_format(props)
        return self._made[key]


def render_xlsx(report: Report, path: str | Path) -> Path:
    """Write every table of ``report`` to an XLSX workbook at ``path``."""
    import xlsxwriter

    path = Path(path)
    tables = [(b, cap) for b, cap in captioned(report) if isinstance(b, Table)]
    tables += [(t, t.caption) for t in report.workbook]  # full lists kept for the workbook only
    bk = WordBreaker()
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
         "nan_inf_to_errors": True},
    )
    try:
        fmt = _Formats(wb)
        used: set[str] = {"目录"}
        index = wb.add_worksheet("目录")
        c = cover(report)
        index.write_string(0, 0, c.title, fmt.title)
        r = 1
        if c.subtitle:
            index.write_string(r, 0, c.subtitle, fmt.text)
            r += 1
        for k, v in ([("学校", c.school)] if c.school else []) + list(c.facts):
            index.write_string(r, 0, k, fmt.note)
            index.write_string(r, 1, v, fmt.text)
            r += 1
        r += 1
        index.write_string(r, 0, "工作表", fmt.head)
        index.write_string(r, 1, "表格（全称）", fmt.head)
        r += 1
        index.set_column(0, 0, 34)
        index.set_column(1, 1, 80)
        for t, cap in tables:
            name = sheet_name(cap, used, bk)
            index.write_url(r, 0, f"internal:'{name.replace(chr(39), chr(39) * 2)}'!A1", fmt.link, string=name)
            index.write_string(r, 1, cap, fmt.text)
            r += 1
            _write_table(wb.add_worksheet(name), t, cap, fmt)
    finally:
        wb.close()
    return path


def _plan(t: Table) -> list[tuple[str, object, int | None, str | None]]:
    """(header label, column, part of a pct_ci tuple, format) per written column."""
    plan = []
    for c in t.display_columns():
        kind = F.column_format(t, c)
        if kind == "pct_ci":
            lab = clean_text(t.label(c))
            plan += [(lab, c, 0, "pct"), (f"{lab}（95% CI 下限）", c, 1, "pct"), (f"{lab}（95% CI 上限）", c, 2, "pct")]
        else:
            plan.append((clean_text(t.label(c)), c, None, kind))
    return plan


def _write_cell(ws, i: int, j: int, v, kind, hl: bool, fmt: _Formats) -> str | None:
    """Write one value with the type it has; returns the text shown (None: nothing written)."""
    v = _cell_value(v)
    if v is None:
        if hl:
            ws.write_blank(i, j, None, fmt(kind, True))
        return None
    if isinstance(v, bool):
        ws.write_boolean(i, j, v, fmt(None, hl))
        return "TRUE"
    if isinstance(v, (datetime, date, pd.Timestamp)) or F.is_iso_date(v):
        d = pd.Timestamp(v).to_pydatetime() if not isinstance(v, (datetime, date)) else v
        ws.write_datetime(i, j, d, fmt("date", hl))
        return "2025-01-01"
    if isinstance(v, str) and kind not in ("pct", "pvalue") and _NUMBER_TEXT.match(v.strip()):
        v = float(v.strip())  # a number given as text (a question number): store the number
        kind = None if kind == "text" else kind
    if isinstance(v, Number) and not (isinstance(v, float) and math.isinf(v)):
        k = kind
        if k in (None, "text") and not float(v).is_integer():
            k = "auto_float"  # the PDF shows two decimals
        elif k == "text":
            k = None
        ws.write_number(i, j, float(v), fmt(k, hl))
        return F.format_value(v, kind)
    shown = clean_text(v)
    if len(shown) > 32767:  # Excel's cell limit
        shown = shown[:32766] + "…"
    wrap = len(shown) > 60 or "\n" in shown
    ws.write_string(i, j, shown, fmt("text_wrap", hl) if wrap else (fmt("text", hl) if hl else fmt.text))
    return shown


def _write_table(ws, t: Table, cap: str, fmt: _Formats) -> None:
    plan = _plan(t)
    hl = t.highlighted_rows()
    widths = [display_width(h) + 2 for h, *_ in plan]
    for j, (h, *_rest) in enumerate(plan):
        ws.write_string(0, j, h, fmt.head)
    df = t.df
    cols = {c: df[c].tolist() for _h, c, _p, _k in plan}
    for i in range(len(df)):
        for j, (h, c, part, kind) in enumerate(plan):
            v = cols[c][i]
            if part is not None:
                v = v[part] if isinstance(v, (list, tuple, np.ndarray)) and len(v) == 3 else (v if part == 0 else None)
            shown = _write_cell(ws, i + 1, j, v, kind, i in hl, fmt)
            if shown:
                widths[j] = max(widths[j], min(display_width(shown[:200]) + 2, 60))
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(max(w, 8), 60))
    ws.freeze_panes(1, 0)
    if plan:
        ws.autofilter(0, 0, max(len(df), 1), len(plan) - 1)
    r = len(df) + 2
    ws.write_string(r, 0, cap, fmt.note)
    note = t.full_note()
    if note:
        ws.write_string(r + 1, 0, "注：" + clean_text(note), fmt.note)
