"""Formatting of table cells, shared by the PDF, HTML and DOCX renderers.

XLSX writes the raw numbers with an Excel number format that shows the same text.
"""
from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from numbers import Number

import numpy as np
import pandas as pd

MISSING = "—"
EMPTY = "（无数据）"

#: Excel number formats matching :func:`format_value`.
XLSX_NUM_FORMATS = {
    "pct": "0.0%",
    "pct_ci": "0.0%",
    "int": "#,##0",
    "float1": "0.0",
    "float2": "0.00",
    "money": "¥#,##0",
    None: "General",
    "auto_float": "0.00",
    "text": "@",
    "pvalue": "0.000",
}


def is_missing(v) -> bool:
    """True for None, NaN, NA and NaT."""
    if v is None:
        return True
    if isinstance(v, (list, tuple, np.ndarray)):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _num(v) -> float | None:
    if isinstance(v, bool) or is_missing(v):
        return None
    if isinstance(v, Number):
        f = float(v)
        return None if math.isnan(f) else f
    return None


def _dec(x: float, places: int, scale: int = 1) -> str:
    """``x * scale`` rounded half away from zero (四舍五入, as Excel shows it), with
    thousands separators."""
    d = Decimal(repr(float(x))) * scale
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)  # no "-0.0"
    return f"{q:,.{places}f}"


def _pct(x: float) -> str:
    return f"{_dec(x, 1, 100)}%"


def format_value(v, fmt: str | None = None) -> str:
    """Format one cell as text.

    Parameters
    ----------
    v : object
        The cell value.
    fmt : str, optional
        ``"pct"``, ``"pct_ci"``, ``"int"``, ``"float1"``, ``"float2"``, ``"money"``,
        ``"text"`` or ``None`` (numbers with up to two decimals, text as is).

    Examples
    --------
    >>> format_value(0.8534, "pct")
    '85.3%'
    >>> format_value((0.85, 0.8, 0.9), "pct_ci")
    '85.0%（80.0–90.0）'
    >>> format_value(6512.4, "money")
    '¥6,512'
    >>> format_value(float("nan"), "pct")
    '—'
    """
    if fmt == "pct_ci":
        if isinstance(v, (list, tuple, np.ndarray)) and len(v) == 3:
            p, lo, hi = (_num(x) for x in v)
            if p is None:
                return MISSING
            if lo is None or hi is None:
                return _pct(p)
            return f"{_pct(p)}（{_dec(lo, 1, 100)}–{_dec(hi, 1, 100)}）"
        fmt = "pct"
    if is_missing(v):
        return MISSING
    x = _num(v)
    if x is None:
        return str(v)
    if fmt == "pct":
        return _pct(x)
    if fmt == "int":
        return _dec(x, 0)
    if fmt == "float1":
        return _dec(x, 1).replace(",", "")
    if fmt == "float2":
        return _dec(x, 2).replace(",", "")
    if fmt == "money":
        return f"¥{_dec(x, 0)}"
    if fmt == "pvalue":
        return "<0.001" if x < 0.001 else _dec(x, 3).replace(",", "")
    if fmt == "text":
        return str(v)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x)}"
    return _dec(x, 2).replace(",", "")


def table_cells(table) -> tuple[list[str], list[list[str]]]:
    """Return ``(header_labels, rows_of_text)`` for a :class:`~.model.Table`."""
    cols = table.display_columns()
    suppressed = table.suppressed_rows()
    header = [table.label(c) for c in cols]
    rows = []
    for i, rec in enumerate(table.df[cols].itertuples(index=False, name=None)):
        row = []
        for c, v in zip(cols, rec):
            if i in suppressed and is_missing(v):
                row.append(MISSING)
            else:
                row.append(format_value(v, table.fmt(c)))
        rows.append(row)
    if not rows:
        rows = [[EMPTY] + [""] * (len(header) - 1)] if header else []
    if not header:
        header, rows = [""], [[EMPTY]]
    return header, rows


def numeric_columns(table) -> set:
    """Columns to align right (numeric dtypes or a numeric format)."""
    out = set()
    for c in table.display_columns():
        f = table.fmt(c)
        if f in ("pct", "pct_ci", "int", "float1", "float2", "money", "pvalue"):
            out.add(c)
        elif f is None and pd.api.types.is_numeric_dtype(table.df[c]) and not pd.api.types.is_bool_dtype(table.df[c]):
            out.add(c)
    return out


_NUMBERED = re.compile(r"^\s*(图|表)\s*[0-9０-９]+")


def captions(report) -> dict[int, str]:
    """Captions of every Table and Figure, numbered 表 1, 表 2 … / 图 1 … in order.

    Returns a dict ``id(block) -> caption``; a caption that already starts with "表 3" or
    "图 3" is kept as it is.  Every renderer uses this, so numbering agrees across formats.
    """
    from .model import Figure, Table

    out: dict[int, str] = {}
    nt = nf = 0
    for _, b in report.blocks():
        if isinstance(b, Table):
            nt += 1
            out[id(b)] = b.caption if _NUMBERED.match(b.caption or "") else f"表 {nt}　{b.caption}"
        elif isinstance(b, Figure):
            nf += 1
            out[id(b)] = b.caption if _NUMBERED.match(b.caption or "") else f"图 {nf}　{b.caption}"
    return out


def iter_sections(report):
    """Sections of the report in order; a bare TableOfContents in ``sections`` is wrapped."""
    from .model import Section, TableOfContents

    for s in report.sections:
        if isinstance(s, TableOfContents):
            yield Section(s.title, [s], level=1, bookmark=False)
        else:
            yield s


def is_toc_only(section) -> bool:
    from .model import TableOfContents

    return len(section.blocks) == 1 and isinstance(section.blocks[0], TableOfContents)
