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

__all__ = ["bh_adjust", "chi_square", "kruskal", "share_difference_p", "chi_square_of_table", "group_tests",
           "mean_test_p"]


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
    return chi_square_of_table(table, n_eff)


def chi_square_of_table(table: np.ndarray, n_eff: float) -> tuple:
    """:func:`chi_square` from a (weighted) contingency table and the effective sample size.

    Rows or columns without any count are left out first (as ``pd.crosstab`` never makes them).
    """
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return np.nan, np.nan, np.nan, (0.0 if table.shape[1] == 1 else np.nan)
    prop = table / table.sum()
    expected = prop.sum(1, keepdims=True) * prop.sum(0, keepdims=True)
    chi2 = float(n_eff * ((prop - expected) ** 2 / expected).sum())
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    v = float(np.sqrt(chi2 / (n_eff * (min(table.shape) - 1))))
    return chi2, float(dof), float(stats.chi2.sf(chi2, dof)), v


def _kruskal_h(rank_sums: np.ndarray, counts: np.ndarray, n: int, tie: float) -> float:
    """Kruskal–Wallis H from the groups' rank sums (ties corrected with factor ``tie``)."""
    ok = counts > 0
    h = 12.0 / (n * (n + 1)) * float(np.sum(rank_sums[ok] ** 2 / counts[ok])) - 3.0 * (n + 1)
    return h / tie


def group_tests(codes: np.ndarray, values: np.ndarray, kind: str, weights=None) -> tuple[tuple, list]:
    """The omnibus test across groups and each group against the rest, computed once.

    ``codes``: each row's group (0 … G−1, every row in some group); ``values``: the answers
    (numbers for ``kind="continuous"``, category codes 0 … K−1 otherwise).  Returns
    ``(omnibus, [per group])``, each ``(statistic, dof, p_value, effect)`` exactly as
    :func:`chi_square` / :func:`kruskal` on the same rows (``"rest"`` = all other groups):
    one contingency table (or one ranking) serves every test.
    """
    codes = np.asarray(codes, dtype=np.intp)
    G = int(codes.max()) + 1 if len(codes) else 0
    n = len(codes)
    if kind == "continuous":
        x = np.asarray(values, dtype=float)
        if G < 2 or np.unique(x).size < 2:
            nan = (np.nan, np.nan, np.nan, np.nan)
            return nan, [nan] * G
        ranks = stats.rankdata(x)
        _, t = np.unique(x, return_counts=True)
        tie = 1.0 - float(np.sum(t ** 3 - t)) / (n ** 3 - n)
        rs = np.bincount(codes, weights=ranks, minlength=G)
        cnt = np.bincount(codes, minlength=G).astype(float)
        deff = 1.0 if weights is None else kish_effective_n(weights) / n

        def result(h, dof):
            h *= deff
            return float(h), float(dof), float(stats.chi2.sf(h, dof)), float(h / (n - 1))

        omni = result(_kruskal_h(rs, cnt, n, tie), int(np.count_nonzero(cnt)) - 1)
        pairs = [result(_kruskal_h(np.array([rs[g], rs.sum() - rs[g]]), np.array([cnt[g], n - cnt[g]]), n, tie), 1)
                 for g in range(G)]
        return omni, pairs
    v = np.asarray(values, dtype=np.intp)
    K = int(v.max()) + 1 if len(v) else 0
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    table = np.bincount(codes * K + v, weights=w, minlength=G * K).reshape(G, K)
    n_eff = float(n) if weights is None else kish_effective_n(w)
    omni = chi_square_of_table(table, n_eff)
    total = table.sum(axis=0)
    pairs = [chi_square_of_table(np.vstack([table[g], total - table[g]]), n_eff) for g in range(G)]
    return omni, pairs


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


def mean_test_p(mean, sd, n_eff, mu0) -> np.ndarray:
    """Two-sided p-value of the t test of a (weighted) mean against the stated value ``mu0``.

    ``t = (mean − mu0) / (sd / sqrt(n_eff))`` with ``n_eff − 1`` degrees of freedom, where
    ``sd`` and ``n_eff`` are those of :func:`survey_analysis.stats.group_means` (the classic
    one-sample t test unweighted; statsmodels ``DescrStatsW(...).ttest_mean`` with weights
    rescaled to sum to ``n_eff``).  Element-wise; NaN where ``n_eff`` ≤ 1; with no spread at all
    (``sd`` = 0) 0 when the mean differs from ``mu0`` and 1 when it equals it.
    """
    mean, sd, n_eff, mu0 = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (mean, sd, n_eff, mu0)))
    ok = (n_eff > 1) & ~np.isnan(mean) & ~np.isnan(sd) & ~np.isnan(mu0)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = sd / np.sqrt(np.where(ok, n_eff, 1.0))
        t = np.where(se > 0, (mean - mu0) / np.where(se > 0, se, 1.0), 0.0)
        p = np.where(se > 0, 2 * stats.t.sf(np.abs(t), np.where(ok, n_eff - 1, 1.0)),
                     np.where(mean == mu0, 1.0, 0.0))
    out = np.where(ok, p, np.nan)
    return float(out) if out.ndim == 0 else out
