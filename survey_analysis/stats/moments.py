"""Group means and shares of many columns on one group index, each level's rows ordered once.

:func:`survey_analysis.stats.group_means` recomputes each level's row selection for every
column; the competency table reads 60 columns (importance, satisfaction, gap and top box of 15
competencies) on the same index, which made it the slowest part of the table at 200,000
employers.  Here the rows are put in the order of their cells — the combination of their groups
at every level — once (:class:`GroupOrder`), and
every column is summed over contiguous cells (``np.add.reduceat``) and the cells rolled up to
the groups of every level.

Plain definition (``tests/stats/test_moments.py`` checks it): :func:`means_of` and
:func:`shares_of` give what :func:`group_means` / :func:`group_shares` give for the same
column, weights and confidence level (the same formulas, applied to the same sums).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .estimators import Means, Shares, as_float, means_from_sums
from .groups import GroupIndex
from .intervals import wilson

__all__ = ["GroupOrder", "GroupSums", "group_sums", "means_of", "shares_of"]


@dataclass(frozen=True, eq=False)
class GroupOrder:
    """The rows of an index sorted once by *cell* — their groups at every level together — with
    each cell's start, length and group at each level.

    A column is then summed over contiguous cells (one gather, a few ``reduceat``), and the
    cells are rolled up to the groups of every level (a handful of cells per group).
    """

    n_groups: int
    rows: np.ndarray | None  # row positions in cell order (None: all rows already in order)
    starts: np.ndarray
    lengths: np.ndarray
    cell_groups: tuple  # per level: each cell's group position (−1: the cell's rows are in none)

    @classmethod
    def of(cls, index: GroupIndex) -> "GroupOrder":
        levels = list(index.codes.values())
        n = index.n_rows
        if not levels or n == 0:
            return cls(index.n_groups, None, np.zeros(0, np.intp), np.zeros(0, np.intp), ())
        key = np.zeros(n, dtype=np.int64)
        for codes in levels:  # one integer per combination of group codes (−1 shifted to 0)
            key = key * (index.n_groups + 1) + (codes + 1)
        cell, inverse = np.unique(key, return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        sorted_cells = inverse[order]
        starts = np.flatnonzero(np.r_[True, sorted_cells[1:] != sorted_cells[:-1]])
        lengths = np.diff(np.r_[starts, n])
        first = order[starts]
        cell_groups = tuple(codes[first] for codes in levels)
        rows = None if np.array_equal(order, np.arange(n)) else order
        return cls(index.n_groups, rows, starts, lengths, cell_groups)


@dataclass(frozen=True)
class GroupSums:
    """Per group: respondents in the base, Σw, Σw², Σw·x and Σw·(x − mean)²."""

    n: np.ndarray
    sw: np.ndarray
    sw2: np.ndarray
    sx: np.ndarray
    ss: np.ndarray


def _ratio(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), 0.0)


def group_sums(order: GroupOrder, values, weights=None) -> GroupSums:
    """The sums of ``values`` per group (base: not NaN and, weighted, a positive weight).

    Per cell: n, Σw, Σw², Σw·x and the within-cell Σw·(x − m_cell)²; per group the cells add up,
    and the squared deviations combine exactly as ``Σ_cells [ss_c + w_c (m_c − m_group)²]``.
    """
    x = as_float(values)
    G = order.n_groups
    out = [np.zeros(G) for _ in range(5)]
    if not len(order.starts):
        return GroupSums(out[0].astype(np.int64), *out[1:])
    xs = x if order.rows is None else x[order.rows]
    ok = ~np.isnan(xs)
    if weights is not None:
        w = as_float(weights)
        ws = w if order.rows is None else w[order.rows]
        ok &= ws > 0  # NaN > 0 is False: a missing weight leaves the base
        wz = np.where(ok, ws, 0.0)
    else:
        wz = ok.astype(float)
    xz = np.where(ok, xs, 0.0)
    st = order.starts
    cn = np.add.reduceat(ok, st, dtype=np.int64).astype(float)
    csw = np.add.reduceat(wz, st)
    csw2 = csw if weights is None else np.add.reduceat(wz * wz, st)
    csx = np.add.reduceat(wz * xz, st)
    cm = _ratio(csx, csw)
    dev = xz - np.repeat(cm, order.lengths)
    css = np.add.reduceat(wz * dev * dev, st)
    n, sw, sw2, sx, ss = out
    for g in order.cell_groups:
        sel = g >= 0
        gs = g[sel]
        n += np.bincount(gs, cn[sel], minlength=G)
        sw_l = np.bincount(gs, csw[sel], minlength=G)
        sw += sw_l
        sw2 += np.bincount(gs, csw2[sel], minlength=G)
        sx_l = np.bincount(gs, csx[sel], minlength=G)
        sx += sx_l
        gm = _ratio(sx_l, sw_l)
        ss += np.bincount(gs, css[sel] + csw[sel] * (cm[sel] - gm[gs]) ** 2, minlength=G)
    return GroupSums(n=np.round(n).astype(np.int64), sw=sw, sw2=sw2, sx=sx, ss=ss)


def means_of(s: GroupSums, *, conf: float) -> Means:
    """:class:`survey_analysis.stats.Means` from the sums (:func:`~survey_analysis.stats.means_from_sums`)."""
    return means_from_sums(s.n, s.sw, s.sw2, s.sx, s.ss, conf=conf)


def shares_of(s: GroupSums, *, conf: float) -> Shares:
    """:class:`survey_analysis.stats.Shares` from the sums of a 0/1 indicator (``stats.group_shares``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(s.n > 0, s.sx / np.where(s.sw > 0, s.sw, 1.0), np.nan)
        n_eff = np.where(s.sw2 > 0, s.sw * s.sw / np.where(s.sw2 > 0, s.sw2, 1.0), 0.0)
    low, high = wilson(share, n_eff, conf)
    return Shares(n=s.n, n_eff=n_eff, count=s.sx, share=share, low=low, high=high)
