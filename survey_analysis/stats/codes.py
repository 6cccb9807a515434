"""Columns as integer codes: each text column factorised once, multi-select answers parsed once.

This is where the kernel's speed tricks for reading columns live.  Every function here has a
plain definition in its docstring, and ``tests/stats/test_codes.py`` checks that the fast path
gives the same result as that definition.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..design import MULTI_SEP

__all__ = ["text_codes", "numeric", "multi_codes", "multi_indicator", "label_test", "stripped", "per_distinct"]


def stripped(s: pd.Series) -> pd.Series:
    """``s.astype("string").str.strip()`` (computed on the distinct values of large text columns)."""
    if isinstance(s.dtype, pd.StringDtype) and len(s) >= 1000:
        codes, labels = text_codes(s)
        values = pd.array(list(labels) + [pd.NA], dtype="string")
        return pd.Series(values.take(np.where(codes < 0, len(labels), codes)), index=s.index, name=s.name)
    return s.astype("string").str.strip()


def text_codes(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(s.astype("string").str.strip())``: codes (``-1`` = missing) and the
    stripped labels in order of first appearance, with one factorisation of the column.

    Values that differ only in surrounding blanks get the same code; an empty string stays a
    label of its own (as in the plain definition).
    """
    if not isinstance(s.dtype, pd.StringDtype):
        codes, labels = pd.factorize(s.astype("string").str.strip())
        return np.asarray(codes, dtype=np.intp), labels
    raw, uniq = pd.factorize(s, use_na_sentinel=True)
    sub, labels = pd.factorize(pd.Series(uniq, dtype=s.dtype).astype("string").str.strip())
    lookup = np.append(np.asarray(sub, dtype=np.intp), -1)  # raw -1 (missing) -> -1
    return lookup[raw], labels


def label_test(codes: np.ndarray, labels, test) -> np.ndarray:
    """Per row ``bool(test(label))`` (``False`` where missing), evaluated once per label."""
    per = np.array([bool(test(x)) for x in labels] + [False], dtype=bool)
    return per[np.where(codes < 0, len(labels), codes)]


def numeric(s: pd.Series) -> np.ndarray:
    """``pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)``; plain numpy number columns
    are read as they are."""
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "fiub":
        return s.to_numpy(dtype=float)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)


def _parse_multi(v, sep: str):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    items = frozenset(x.strip() for x in str(v).split(sep) if x.strip())
    return items or None


def multi_codes(s: pd.Series, sep: str = MULTI_SEP) -> tuple[np.ndarray, list]:
    """A multi-select column parsed once per distinct answer.

    Returns ``(codes, sets)``: ``sets[codes[i]]`` is the frozenset of options of row ``i``
    (``None`` for an empty answer); ``codes`` is ``-1`` for a missing cell.  Plain definition:
    ``[frozenset(o.strip() for o in v.split(sep) if o.strip()) or None for v in s]``.
    """
    codes, uniq = pd.factorize(s if isinstance(s.dtype, pd.StringDtype) else s.astype(object),
                               use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), [_parse_multi(v, sep) for v in uniq]


def multi_indicator(codes: np.ndarray, sets: list, test) -> np.ndarray:
    """Per row ``float(test(set))`` (``test`` gets ``None`` for a missing answer), evaluated once
    per distinct set."""
    per = np.array([float(test(x)) for x in sets] + [float(test(None))], dtype=float)
    return per[np.where(codes < 0, len(sets), codes)]


def per_distinct(s: pd.Series, func) -> pd.Series:
    """``func(s)`` for an element-wise text transform, computed on the distinct values only.

    ``func`` takes and returns a Series and must map each value on its own (``astype``,
    ``.str.strip()``, ``.str.normalize(…)``) and a missing value to a missing value.  Text
    columns of a million respondents hold a few dozen distinct answers (majors, colleges,
    destinations), so the transform runs on those and the result is spread back by position:
    the same values and dtype as ``func(s)``.  Columns of other dtypes (where ``factorize``
    could merge ``1`` and ``"1"``-like values of mixed objects) and columns that are mostly
    distinct get ``func(s)`` itself.
    """
    if not isinstance(s.dtype, pd.StringDtype) or len(s) < 1000:
        return func(s)
    codes, uniq = pd.factorize(s, use_na_sentinel=True)
    if 2 * len(uniq) > len(s):
        return func(s)
    u = func(pd.Series(uniq, dtype=s.dtype))
    return pd.Series(u.array.take(codes, allow_fill=True), index=s.index, name=s.name)
