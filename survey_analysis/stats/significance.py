"""Tests: Benjamini–Hochberg adjustment, chi-square and Kruskal–Wallis with a design effect,
and the difference of two shares.

One implementation of each; every table that flags "significant" goes through
:func:`bh_adjust` over its family of tests.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .estimators import kish_effective_n

__all__ = ["bh_adjust", "chi_square", "kruskal", "share_difference_p"]


def bh_adjust(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values; NaN stays NaN and is not counted in the family.

    Examples
    --------
    >>> bh_adjust([0.01, 0.04, np.nan, 0.03]).round(3).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = stats.false_discovery_control(p[ok], method="bh")
    return out


def chi_square(keys, values, weights=None) -> tuple:
    """Pearson's chi-square test of the ``keys`` × ``values`` table, no continuity correction.

    Weighted: the statistic is computed from the weighted cell proportions scaled to Kish's
    effective sample size (a first-order design-effect correction; equals Pearson's statistic
    when all weights are equal).  Returns ``(statistic, dof, p_value, cramers_v)``.
    """
    keys = pd.Series(np.asarray(keys, dtype=object))
    values = pd.Series(np.asarray(values, dtype=object)).astype(str)
    if weights is None:
        table = pd.crosstab(keys, values).to_numpy(dtype=float)
        n_eff = float(len(keys))
    else:
        w = np.asarray(weights, dtype=float)
        table = pd.crosstab(keys, values, values=w, aggfunc="sum").fillna(0).to_numpy(dtype=float)
        n_eff = kish_effective_n(w)
    if table.shape[0] < 2 or table.shape[1] < 2:
        return np.nan, np.nan, np.nan, (0.0 if table.shape[1] == 1 else np.nan)
    prop = table / table.sum()
    expected = prop.sum(1, keepdims=True) * prop.sum(0, keepdims=True)
    chi2 = float(n_eff * ((prop - expected) ** 2 / expected).sum())
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    v = float(np.sqrt(chi2 / (n_eff * (min(table.shape) - 1))))
    return chi2, float(dof), float(stats.chi2.sf(chi2, dof)), v


def kruskal(keys, values, weights=None) -> tuple:
    """Kruskal–Wallis H test across ``keys``; weighted: ``H / deff`` with ``deff = n / n_eff``.

    Returns ``(H, dof, p_value, epsilon_squared)`` with ``ε² = H / (n − 1)``.
    """
    keys = np.asarray(keys, dtype=object)
    x = np.asarray(values, dtype=float)
    n = len(x)
    samples = [x[keys == g] for g in pd.unique(keys)]
    if len(samples) < 2 or np.unique(x).size < 2:
        return np.nan, np.nan, np.nan, np.nan
    h, _ = stats.kruskal(*samples)
    if weights is not None:
        h = h * kish_effective_n(weights) / n
    dof = len(samples) - 1
    return float(h), float(dof), float(stats.chi2.sf(h, dof)), float(h / (n - 1))


def share_difference_p(p1, n1, p0, n0) -> np.ndarray:
    """Two-sided p-value of ``p1 − p0`` (two independent samples, effective sizes ``n``).

    The z statistic uses the pooled share: ``z = (p1 − p0) / sqrt(p̄ (1 − p̄) (1/n1 + 1/n0))``
    with ``p̄ = (n1 p1 + n0 p0) / (n1 + n0)`` (the score test; equals the chi-square test of the
    2 × 2 table).  Element-wise; NaN where a side has no cases; 1 when both shares are 0 or 1.
    """
    p1, n1, p0, n0 = (np.asarray(x, dtype=float) for x in (p1, n1, p0, n0))
    ok = (n1 > 0) & (n0 > 0) & ~np.isnan(p1) & ~np.isnan(p0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pbar = (n1 * p1 + n0 * p0) / (n1 + n0)
        se = np.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n0))
        z = np.where(se > 0, (p1 - p0) / np.where(se > 0, se, 1.0), 0.0)
        p = 2 * stats.norm.sf(np.abs(z))
    out = np.where(ok, p, np.nan)
    return float(out) if out.ndim == 0 else out
