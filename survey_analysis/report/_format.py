"""Formatting of table cells, shared by the PDF, HTML and DOCX renderers.

XLSX writes the raw numbers with an Excel number format that shows the same text; a column's
format is the table's own or, when it has none, read from the column's name
(:func:`column_format`), the same way for every format.
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
    "pvalue": '[<0.001]"<0.001";0.000',
    "date": "yyyy-mm-dd",
}

#: Column names and labels that say "a share 0..1" (formatted as a percentage when the table
#: gives the column no format): 就业去向落实率, 占比, 比例, 能力满足度, share, rate …
RATE_NAME = re.compile(r"(率|占比|比例|份额|满足度)$|(^|_)(share|rate|ratio|proportion)$", re.I)
#: Column names and labels of p-values.
P_NAME = re.compile(r"^(p|p_?value|p\s*值|显著性)$", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
        ``"pvalue"`` (``<0.001`` or three decimals), ``"date"`` (``2025-06-30``), ``"text"``
        or ``None`` (numbers with up to two decimals, text as is).

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
    >>> format_value(0.00004, "pvalue"), format_value(0.0325, "pvalue")
    ('<0.001', '0.033')
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
    if fmt == "date" and hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    x = _num(v)
    if x is None:
        return str(v)
    if fmt == "pvalue":
        return "<0.001" if x < 0.001 else _dec(x, 3).replace(",", "")
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
    if fmt == "text":
        return str(v)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x)}"
    return _dec(x, 2).replace(",", "")


def column_format(table, column) -> str | None:
    """The format of ``column``: the table's own, else one read from the column's meaning.

    A numeric column without a format whose name or label says it is a rate (:data:`RATE_NAME`)
    is a percentage, a p-value column (:data:`P_NAME`) a p-value, a datetime column a date.
    Never decided from the values' range: 84.4 in a column called 能力满足度 is shown as
    8440.0%, a visible error, rather than guessed.
    """
    f = table.fmt(column)
    if f is not None:
        return f
    s = table.df[column]
    if isinstance(s, pd.DataFrame):  # duplicated column name
        return None
    if pd.api.types.is_datetime64_any_dtype(s):
        return "date"
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return None
    names = (str(column).strip(), table.label(column).strip())
    if any(P_NAME.match(n) for n in names):
        return "pvalue"
    if any(RATE_NAME.search(n) for n in names):
        return "pct"
    return None


def is_iso_date(v) -> bool:
    """True for a string ``YYYY-MM-DD``."""
    return isinstance(v, str) and _ISO_DATE.match(v) is not None


def table_cells(table) -> tuple[list[str], list[list[str]]]:
    """Return ``(header_labels, rows_of_text)`` for a :class:`~.model.Table`."""
    cols = table.display_columns()
    suppressed = table.suppressed_rows()
    header = [table.label(c) for c in cols]
    fmts = [column_format(table, c) for c in cols]
    rows = []
    for i, rec in enumerate(table.df[cols].itertuples(index=False, name=None)):
        row = []
        for f, v in zip(fmts, rec):
            if i in suppressed and is_missing(v):
                row.append(MISSING)
            else:
                row.append(format_value(v, f))
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
        f = column_format(table, c)
        if f in ("pct", "pct_ci", "int", "float1", "float2", "money", "pvalue"):
            out.add(c)
        elif f is None and pd.api.types.is_numeric_dtype(table.df[c]) and not pd.api.types.is_bool_dtype(table.df[c]):
            out.add(c)
    return out


#: A caption that already carries its number ("表 3-1 …", "图 2 …").
NUMBERED = re.compile(r"^\s*(图|表)\s*[0-9０-９]+")


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
