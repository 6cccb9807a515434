"""Writing tables safely: CSV and XLSX that open in Excel, never run a formula.

Cells that start with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) and are not plain
numbers are written as text: in CSV with a leading apostrophe (the OWASP recommendation for
CSV injection), in XLSX as string cells (``strings_to_formulas`` off).
"""
from __future__ import annotations

import numbers
import re
from pathlib import Path

import numpy as np

import pandas as pd

from ._atomic import atomic_path, safe_filename

__all__ = ["write_csv", "write_xlsx", "neutralise_formula"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def neutralise_formula(value):
    """Return ``value`` with a leading apostrophe when Excel would read it as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(neutralise_formula, na_action="ignore")
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, path: str | Path, *, index: bool = False) -> Path:
    """Write a CSV Excel opens correctly (UTF-8 with BOM, CRLF), formula-safe, atomically.

    Lines end with CRLF so that a cell holding a lone carriage return is quoted: with ``\n``
    line ends Python's csv writer leaves ``"\r=1+1"`` unquoted and Excel starts a new row at
    the ``\r`` -- with a live formula in it.
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        _safe_frame(df).to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_xlsx(tables: dict, path: str | Path, *, notes: dict | None = None) -> Path:
    """Write several tables into one workbook: a sheet each, frozen header, readable widths.

    Parameters
    ----------
    tables : dict
        Sheet title → DataFrame.  Titles are made unique, ≤ 31 characters, without ``[]:*?/\\``.
    notes : dict, optional
        Sheet title → a note written under the table (e.g. the small-cell suppression note).
    """
    import xlsxwriter

    path = Path(path)
    used = set()
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False,
                                            "nan_inf_to_errors": True})
        head = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "top"})
        for title, df in tables.items():
            name = re.sub(r"[\[\]:*?/\\]", "_", str(title))[:31] or "Sheet"
            base, i = name, 2
            while name in used:
                suffix = f"_{i}"
                name = base[: 31 - len(suffix)] + suffix
                i += 1
            used.add(name)
            ws = wb.add_worksheet(name)
            cols = [str(c) for c in df.columns]
            for j, c in enumerate(cols):
                ws.write_string(0, j, c, head)
            for i_row, row in enumerate(df.itertuples(index=False), start=1):
                for j, v in enumerate(row):
                    if v is None or (isinstance(v, float) and v != v) or v is pd.NA:
                        ws.write_blank(i_row, j, None)
                    elif isinstance(v, (bool, np.bool_)):
                        ws.write_boolean(i_row, j, bool(v))
                    elif isinstance(v, (numbers.Number, np.number)):
                        ws.write_number(i_row, j, float(v))
                    else:
                        ws.write_string(i_row, j, str(v))
            ws.freeze_panes(1, 0)
            for j, c in enumerate(cols):
                sample = [str(x) for x in df.iloc[:200, j].tolist()] if len(df) else []
                width = max([len(c) * 2] + [min(len(s), 40) * (2 if any(ord(ch) > 127 for ch in s) else 1) for s in sample])
                ws.set_column(j, j, min(max(8, width * 0.6 + 2), 60))
            if notes and title in notes and notes[title]:
                ws.write_string(len(df) + 2, 0, str(notes[title]))
        wb.close()
    return path
