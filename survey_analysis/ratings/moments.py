"""Group means and shares of many columns on one group index, each level's rows ordered once.

:func:`survey_analysis.stats.group_means` recomputes each level's row selection for every
column; the competency table reads 45 columns (importance, satisfaction and gap of 15
competencies) on the same index, which made it the slowest part of the table at 200,000
employers.  Here the rows of each level are put in group order once (:class:`GroupOrder`) and
every column is summed group by group over contiguous slices (``np.add.reduceat``).

Plain definition (``tests/ratings/test_moments.py`` checks it): :func:`means_of` and
:func:`shares_of` give what ``stats.group_means`` / ``stats.group_shares`` give for the same
column, weights and confidence level (the same formulas, applied to the same sums).  This is a
kernel speed trick written here first; it belongs in :mod:`survey_analysis.stats.estimators`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..stats import GroupIndex, Means, Shares, as_float, t_quantile, wilson

__all__ = ["GroupOrder", "GroupSums", "group_sums", "means_of", "shares_of"]


@dataclass(frozen=True, eq=False)
class GroupOrder:
    """Per level of an index: the rows of its groups in group order and where each group starts."""

    n_groups: int
    parts: tuple  # ((rows or None for all rows in order, starts, groups, lengths), ...)

    @classmethod
    def of(cls, index: GroupIndex) -> "GroupOrder":
        parts = []
        for codes in index.codes.values():
            sel = np.flatnonzero(codes >= 0)
            if not len(sel):
                continue
            order = sel[np.argsort(codes[sel], kind="stable")]
            c = codes[order]
            starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
            lengths = np.diff(np.r_[starts, len(c)])
            rows = None if len(order) == len(codes) and np.array_equal(order, np.arange(len(codes))) else order
            parts.append((rows, starts, c[starts], lengths))
        return cls(n_groups=index.n_groups, parts=tuple(parts))


@dataclass(frozen=True)
class GroupSums:
    """Per group: respondents in the base, Σw, Σw², Σw·x and Σw·(x − mean)²."""

    n: np.ndarray
    sw: np.ndarray
    sw2: np.ndarray
    sx: np.ndarray
    ss: np.ndarray


def group_sums(order: GroupOrder, values, weights=None) -> GroupSums:
    """The sums of ``values`` per group (base: not NaN and, weighted, a positive weight)."""
    x = as_float(values)
    w = None if weights is None else as_float(weights)
    G = order.n_groups
    n, sw, sw2, sx, ss = (np.zeros(G) for _ in range(5))
    for rows, starts, groups, lengths in order.parts:
        xs = x if rows is None else x[rows]
        ok = ~np.isnan(xs)
        if w is not None:
            ws = w if rows is None else w[rows]
            ok &= ws > 0  # NaN > 0 is False: a missing weight leaves the base
            wz = np.where(ok, ws, 0.0)
        else:
            wz = ok.astype(float)
        xz = np.where(ok, xs, 0.0)
        n[groups] = np.add.reduceat(ok, starts, dtype=np.int64)
        sw_g = np.add.reduceat(wz, starts)
        sw[groups] = sw_g
        sw2[groups] = sw_g if w is None else np.add.reduceat(wz * wz, starts)
        sx_g = np.add.reduceat(wz * xz, starts)
        sx[groups] = sx_g
        with np.errstate(invalid="ignore", divide="ignore"):
            m = np.where(sw_g > 0, sx_g / np.where(sw_g > 0, sw_g, 1.0), 0.0)
        dev = xz - np.repeat(m, lengths)
        ss[groups] = np.add.reduceat(wz * dev * dev, starts)
    return GroupSums(n=n.astype(np.int64), sw=sw, sw2=sw2, sx=sx, ss=ss)


def means_of(s: GroupSums, *, conf: float) -> Means:
    """:class:`survey_analysis.stats.Means` from the sums (the formulas of ``stats.group_means``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(s.n > 0, s.sx / np.where(s.sw > 0, s.sw, 1.0), np.nan)
        n_eff = np.where(s.sw2 > 0, s.sw * s.sw / np.where(s.sw2 > 0, s.sw2, 1.0), 0.0)
        var0 = s.ss / np.where(s.sw > 0, s.sw, 1.0)
        big = n_eff > 1
        se = np.sqrt(var0 / np.where(big, n_eff - 1, 1.0))
        t = t_quantile(1 - (1 - conf) / 2, np.where(big, n_eff - 1, 1.0))
        low = np.where(big, mean - t * se, np.nan)
        high = np.where(big, mean + t * se, np.nan)
        sd = np.where(big, np.sqrt(var0 * n_eff / np.where(big, n_eff - 1, 1.0)), np.nan)
    return Means(n=s.n, n_eff=n_eff, mean=mean, low=low, high=high, sd=sd)


def shares_of(s: GroupSums, *, conf: float) -> Shares:
    """:class:`survey_analysis.stats.Shares` from the sums of a 0/1 indicator (``stats.group_shares``)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(s.n > 0, s.sx / np.where(s.sw > 0, s.sw, 1.0), np.nan)
        n_eff = np.where(s.sw2 > 0, s.sw * s.sw / np.where(s.sw2 > 0, s.sw2, 1.0), 0.0)
    low, high = wilson(share, n_eff, conf)
    return Shares(n=s.n, n_eff=n_eff, count=s.sx, share=share, low=low, high=high)
