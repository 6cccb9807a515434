"""Disclosure control: small groups are hidden, and so are enough others that no hidden group
can be worked out by subtraction.

Two entry points:

* :func:`protect` decides, for one base (one estimate's respondents per group of a
  :class:`~survey_analysis.stats.groups.GroupIndex`), which groups are hidden.  The decision is a
  deterministic function of the groups' respondent counts and of the index's additive sets, so
  every table that shows an estimate on the same base (the same cohort, the same question)
  hides the same groups: a cell hidden in one table is hidden in all of them.
* :func:`suppress_small` does the same for a table that is not built on a group index (employer
  profile, theme shares, ledger tables): rows of a partition add up to a total.

The rule, for every set of groups that add up to a total that is shown: either no group of the
set is hidden, or at least two are and together they have at least ``min_cell`` respondents.
When a set breaks it, the smallest shown group of the set is hidden too (ties: the later
group); when no group of the set is left to hide, the total itself is hidden (a college with a
single small major).  Repeated until no set changes.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from ..design import Design
from ..errors import ConfigError
from .groups import GroupIndex

__all__ = ["protect", "determined", "apply_hidden", "suppress_small", "suppression_note", "key_sets"]


def suppression_note(min_cell: int, n_complementary: int = 0) -> str:
    note = f"样本量少于 {min_cell} 的组已隐藏（保护隐私，且估计不稳定）。"
    if n_complementary:
        note += f"为防止由合计反推被隐藏的组，另隐藏了 {n_complementary} 个组（互补隐藏）。"
    return note


def _fix_sets(n: np.ndarray, hidden: np.ndarray, sets: list, min_cell: int) -> np.ndarray:
    """Hide complements until every ``(parent, children)`` set is safe; returns the new mask.

    ``parent`` may be ``None`` (a total that is always shown, as in a table's column sum).
    """
    hidden = hidden.copy()
    changed = True
    while changed:
        changed = False
        for parent, kids in sets:
            if len(kids) == 0 or (parent is not None and hidden[parent]):
                continue
            while True:
                h = hidden[kids]
                k = int(h.sum())
                if k == 0 or (k >= 2 and n[kids][h].sum() >= min_cell):
                    break
                shown = kids[~h]
                if len(shown) == 0:
                    if parent is None:
                        break  # the whole set is hidden: nothing left to subtract from
                    hidden[parent] = True  # the total equals what is hidden
                    changed = True
                    break
                order = np.lexsort((-shown, n[shown]))  # smallest first; ties: the later row
                hidden[int(shown[order[0]])] = True
                changed = True
    return hidden


def _matrix(sets: list, n_groups: int) -> np.ndarray:
    """The additive sets as equations ``M x = 0`` (children +1, parent −1)."""
    M = np.zeros((len(sets), n_groups))
    for e, (parent, kids) in enumerate(sets):
        M[e, kids] = 1.0
        M[e, parent] = -1.0
    return M


def determined(M: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Hidden cells whose value follows from the shown cells through the equations ``M x = 0``.

    With the shown cells known, the hidden ones solve ``M_H x_H = −M_S x_S``; cell ``v`` is
    determined exactly when every solution of the homogeneous system has ``x_v = 0``, i.e. when
    row ``v`` of the null space of ``M_H`` is zero.
    """
    H = np.flatnonzero(hidden)
    out = np.zeros(len(hidden), dtype=bool)
    if not len(H):
        return out
    MH = M[:, H]
    MH = MH[np.any(MH != 0, axis=1)]
    if not len(MH):
        return out
    N = null_space(MH)
    free = np.any(np.abs(N) > 1e-9, axis=1) if N.size else np.zeros(len(H), dtype=bool)
    out[H] = ~free
    return out


def _next_complement(n, hidden, sets, M, min_cell):
    """The next cell to hide, or None when every set is safe.  Cells without respondents are
    never hidden (they hold no one to protect) and never serve as complements."""
    for parent, kids in sets:  # a shown total minus its shown parts: one small group or a small pool
        if hidden[parent]:
            continue
        h = hidden[kids]
        k = int(h.sum())
        if k == 0 or (k >= 2 and n[kids][h].sum() >= min_cell):
            continue
        shown = kids[~h & (n[kids] > 0)]
        if not len(shown):
            return int(parent)
        return int(shown[np.lexsort((-shown, n[shown]))[0]])
    exposed = np.flatnonzero(determined(M, hidden))
    for v in exposed:  # worked out through several totals: hide the smallest shown neighbour
        rows = np.flatnonzero(M[:, v] != 0)
        near = np.flatnonzero(np.any(M[rows] != 0, axis=0) & ~hidden & (n > 0))
        if len(near):
            return int(near[np.lexsort((-near, n[near]))[0]])
    return None


def protect(index: GroupIndex, n, min_cell: int) -> np.ndarray:
    """Which groups of ``index`` are hidden for a base with ``n`` respondents per group.

    Returns a boolean array over the index's groups.  Groups with ``0 < n < min_cell`` are hidden
    (a group without respondents has no estimate and no one to protect);
    then, over :meth:`GroupIndex.additive_sets`, complements until (a) every shown total's
    hidden parts are none, or at least two with at least ``min_cell`` respondents together, and
    (b) no hidden cell can be worked out from the shown ones through the totals
    (:func:`determined`).
    """
    n = np.nan_to_num(np.asarray(n, dtype=float), nan=0.0)
    hidden = (n > 0) & (n < min_cell)
    if not hidden.any():
        return hidden
    sets = index.additive_sets()
    M = _matrix(sets, len(n))
    while True:
        pick = _next_complement(n, hidden, sets, M, min_cell)
        if pick is None or hidden[pick]:
            return hidden
        hidden = hidden.copy()
        hidden[pick] = True


def apply_hidden(table: pd.DataFrame, hidden, *, keep=("level", "group", "college")) -> pd.DataFrame:
    """``table`` with every column but ``keep`` blanked where ``hidden``, and ``suppressed``."""
    out = table.copy()
    mask = pd.Series(np.asarray(hidden, dtype=bool), index=out.index)
    if not mask.any():
        out["suppressed"] = False
        return out
    for c in out.columns:
        if c in keep:
            continue
        if pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].astype("boolean").mask(mask)
        elif pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].astype(float).mask(mask)
        else:
            out[c] = out[c].astype(object).mask(mask, None)
    out["suppressed"] = mask.to_numpy()
    return out


# ----------------------------------------------------------------------------------------
# tables without a group index
# ----------------------------------------------------------------------------------------
def suppress_small(
    table: pd.DataFrame,
    *,
    min_cell: int | None = None,
    n_col: str = "n",
    value_cols: list | None = None,
    complementary: bool = False,
    by=None,
) -> pd.DataFrame:
    """Hide the values of rows whose group has fewer than ``min_cell`` respondents.

    Parameters
    ----------
    table : DataFrame
        A group table with a count column ``n_col``.
    min_cell : int, optional
        Default: the design's (``Design().min_cell``).
    n_col : str, default "n"
    value_cols : list of str, optional
        Columns to blank (default: every numeric column except ``n_col``).
    complementary : bool, default False
        Also hide other rows so that no hidden row can be worked out by subtraction from the
        total of its set (see the module's rule).
    by : str, list of str, or list of lists, optional
        Which rows add up to a total (only with ``complementary=True``).  ``None``: the whole
        table is one set.  Column names: one set per distinct value.  A list of lists: several
        partitions checked together.  Rows with a missing key are in no set of that partition.

    Returns
    -------
    DataFrame
        A copy where suppressed rows have ``NaN`` in ``value_cols`` and in ``n_col``, and a
        boolean column ``suppressed``.  ``attrs["complementary_rows"]`` lists the index labels
        hidden only to protect another row.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["甲", "乙", "丙", "丁"], "n": [40, 3, 12, 9],
    ...                   "rate": [0.9, 1.0, 0.75, 0.8]})
    >>> out = suppress_small(t, min_cell=5, complementary=True)
    >>> out["suppressed"].tolist()
    [False, True, False, True]
    """
    if min_cell is None:
        min_cell = Design().min_cell
    if isinstance(min_cell, bool) or not isinstance(min_cell, (int, np.integer)) or min_cell < 1:
        raise ConfigError("最小单元格（min_cell）必须是不小于 1 的整数", found=min_cell)
    out = table.copy()
    if value_cols is None:
        value_cols = [c for c in out.columns if c != n_col and pd.api.types.is_numeric_dtype(out[c])]
    n = np.asarray(pd.to_numeric(out[n_col], errors="coerce").fillna(0).astype(float))
    primary = n < min_cell
    hidden = primary
    if complementary and len(out) and primary.any():
        sets = [(None, pos) for pos in _sets(out, by)]
        hidden = _fix_sets(n, primary, sets, min_cell)
    extra = np.flatnonzero(hidden & ~primary)
    small = pd.Series(hidden, index=out.index)
    out["suppressed"] = small.to_numpy()
    for c in value_cols:
        if pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].astype(float).mask(small)
        else:
            out[c] = out[c].astype(object).mask(small, None)
    out[n_col] = out[n_col].astype(float).mask(small)
    out.attrs["min_cell"] = min_cell
    out.attrs["suppression_note"] = suppression_note(min_cell, len(extra))
    out.attrs["complementary_rows"] = [out.index[i] for i in extra]
    return out


def _partitions(by) -> list:
    if by is None:
        return [[]]
    if isinstance(by, str):
        return [[by]]
    by = list(by)
    if by and all(isinstance(b, (list, tuple)) for b in by):
        return [list(b) for b in by]
    return [by]


def _sets(table: pd.DataFrame, by) -> list:
    """Row positions of each set of every partition (finer partitions first)."""
    parts = sorted(_partitions(by), key=len, reverse=True)
    missing = sorted({c for p in parts for c in p if c not in table.columns})
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in table.columns])
    out = []
    for part in parts:
        if not part:
            out.append(np.arange(len(table)))
            continue
        out.extend(key_sets(table[part]))
    return out


def key_sets(keys: pd.DataFrame) -> list:
    """Row positions of each distinct key (the rows' values in ``keys``, compared as text), keys
    in order of first appearance, positions ascending; rows with a missing value are in no set.

    Plain definition: group the rows by their values joined as text.  Each column is factorised
    on its own and the codes are combined into one group code (no per-row joining of strings).
    """
    ok = keys.notna().all(axis=1).to_numpy()
    pos = np.flatnonzero(ok)
    if not len(pos):
        return []
    group = np.zeros(len(pos), dtype=np.int64)
    for c in range(keys.shape[1]):
        codes, uniq = pd.factorize(keys.iloc[pos, c].astype(str).to_numpy(dtype=object))
        group, _ = pd.factorize(group * len(uniq) + codes)
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(group.max() + 2), side="left")
    return [pos[order[bounds[k]:bounds[k + 1]]] for k in range(len(bounds) - 1)]
