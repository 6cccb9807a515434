"""XLSX renderer (xlsxwriter): every Table of the report on its own sheet.

* The first sheet ("目录") lists the report and every table with its sheet.
* Each table sheet has the header in row 1 (frozen), the raw numbers with an Excel number
  format that shows what the PDF shows (``0.0%``, ``#,##0``, ``¥#,##0`` …), and the caption and
  note under the data.  A ``pct_ci`` column becomes three columns (estimate, lower, upper).
* Every string is written with ``write_string`` and the workbook is opened with
  ``strings_to_formulas=False``: a comment such as ``=HYPERLINK(...)`` stays text.
* Sheet names: at most 31 characters, no ``[]:*?/\\``, unique.
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
from .model import Report, Table, meta_items

__all__ = ["render_xlsx", "sheet_name"]

_BAD_SHEET = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(caption: str, used: set[str]) -> str:
    """A legal, unique Excel sheet name made from ``caption`` (≤ 31 characters).

    Examples
    --------
    >>> sheet_name("表 1　各专业：就业/升学 [2024]", set())
    '表1_各专业：就业_升学_(2024)'
    """
    s = str(caption or "").replace("[", "(").replace("]", ")")
    s = _BAD_SHEET.sub("_", s)
    s = re.sub(r"[\s\u3000]+", "_", s)
    s = re.sub(r"(?<=[表图])_(?=\d)", "", s)
    s = s.strip("'_ ") or "表"
    if s.lower() == "history":
        s = "history_"
    base = s[:31]
    name, k = base, 2
    while name.lower() in {u.lower() for u in used}:
        suffix = f"~{k}"
        name = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(name)
    return name


def _text_width(s: str) -> float:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def _cell_value(v):
    """A Python scalar for xlsxwriter (None for missing)."""
    if F.is_missing(v):
        return None
    if isinstance(v, (np.generic,)):
        v = v.item()
    return v


def render_xlsx(report: Report, path: str | Path) -> Path:
    """Write every table of ``report`` to an XLSX workbook at ``path``."""
    import xlsxwriter

    path = Path(path)
    caps = F.captions(report)
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    try:
        base = {"font_name": "微软雅黑", "font_size": 10, "valign": "top"}
        f_head = wb.add_format({**base, "bold": True, "font_color": "#FFFFFF", "bg_color": "#005493",
                                "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1,
                                "border_color": "#C8CED6"})
        f_title = wb.add_format({**base, "bold": True, "font_size": 14, "font_color": "#005493"})
        f_note = wb.add_format({**base, "font_color": "#6E6E6E", "italic": True})
        f_text = wb.add_format({**base})
        f_wrap = wb.add_format({**base, "text_wrap": True})
        f_link = wb.add_format({**base, "font_color": "#0072B2", "underline": 1})
        num_formats: dict = {}

        def nf(kind, hl=False):
            key = (kind, hl)
            if key not in num_formats:
                props = {**base, "num_format": F.XLSX_NUM_FORMATS.get(kind, "General")}
                if kind == "text_wrap":
                    props = {**base, "text_wrap": True}
                if hl:
                    props["bg_color"] = "#FFF0D6"
                num_formats[key] = wb.add_format(props)
            return num_formats[key]

        used: set[str] = {"目录"}
        index = wb.add_worksheet("目录")
        index.write_string(0, 0, report.title, f_title)
        r = 1
        if report.subtitle:
            index.write_string(r, 0, report.subtitle, f_text)
            r += 1
        for k, v in meta_items(report.meta):
            index.write_string(r, 0, k, f_note)
            index.write_string(r, 1, v, f_text)
            r += 1
        r += 1
        index.write_string(r, 0, "工作表", f_head)
        index.write_string(r, 1, "表格", f_head)
        r += 1
        index.set_column(0, 0, 34)
        index.set_column(1, 1, 80)
        for t in report.tables():
            cap = caps.get(id(t), t.caption)
            name = sheet_name(cap, used)
            index.write_url(r, 0, f"internal:'{name.replace(chr(39), chr(39) * 2)}'!A1", f_link, string=name)
            index.write_string(r, 1, cap, f_text)
            r += 1
            _write_table(wb, name, t, cap, f_head, f_note, f_text, f_wrap, nf)
    finally:
        wb.close()
    return path


def _write_table(wb, name, t: Table, cap, f_head, f_note, f_text, f_wrap, nf) -> None:
    ws = wb.add_worksheet(name)
    cols = t.display_columns()
    hl = t.highlighted_rows()
    # expand pct_ci into three columns
    plan = []  # (header label, column, part, format kind)
    for c in cols:
        kind = t.fmt(c)
        if kind == "pct_ci":
            lab = t.label(c)
            plan += [(lab, c, 0, "pct"), (f"{lab}（95% CI 下限）", c, 1, "pct"), (f"{lab}（95% CI 上限）", c, 2, "pct")]
        else:
            plan.append((t.label(c), c, None, kind))
    widths = [_text_width(h) + 2 for h, *_ in plan]
    for j, (h, *_rest) in enumerate(plan):
        ws.write_string(0, j, h, f_head)
    df = t.df
    long_text = set()
    for i in range(len(df)):
        row = df.iloc[i]
        is_hl = i in hl
        for j, (h, c, part, kind) in enumerate(plan):
            v = row[c]
            if part is not None:
                v = v[part] if isinstance(v, (list, tuple, np.ndarray)) and len(v) == 3 else (v if part == 0 else None)
            v = _cell_value(v)
            if v is None:
                if is_hl:
                    ws.write_blank(i + 1, j, None, nf(kind, True))
                continue
            if isinstance(v, bool):
                ws.write_boolean(i + 1, j, v, nf(None, is_hl))
                shown = "TRUE"
            elif isinstance(v, Number) and not (isinstance(v, float) and math.isinf(v)):
                k = kind
                if k is None and not float(v).is_integer():
                    k = "auto_float"  # the PDF shows two decimals
                ws.write_number(i + 1, j, float(v), nf(k, is_hl))
                shown = F.format_value(v, kind)
            elif isinstance(v, (datetime, date, pd.Timestamp)):
                shown = str(v)
                ws.write_string(i + 1, j, shown, nf("text", is_hl))
            else:
                shown = str(v)
                if len(shown) > 32767:  # Excel's cell limit
                    shown = shown[:32766] + "…"
                if len(shown) > 60 or "\n" in shown:
                    long_text.add(j)
                    ws.write_string(i + 1, j, shown, nf("text_wrap", is_hl))
                else:
                    ws.write_string(i + 1, j, shown, nf("text", is_hl) if is_hl else f_text)
            widths[j] = max(widths[j], min(_text_width(shown[:200]) + 2, 60))
    for j, w in enumerate(widths):
        ws.set_column(j, j, min(max(w, 8), 60))
    ws.freeze_panes(1, 0)
    if len(plan):
        ws.autofilter(0, 0, max(len(df), 1), len(plan) - 1)
    r = len(df) + 2
    ws.write_string(r, 0, cap, f_note)
    note = t.full_note()
    if note:
        ws.write_string(r + 1, 0, "注：" + note, f_note)
