"""Confidence intervals: Wilson (shares), t (means), Newcombe and Welch (differences).

Each function works on scalars and on numpy arrays alike (element-wise), so that the
vectorised group estimators and the plain one-group estimators share one formula.
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from ..errors import ConfigError

__all__ = ["default_conf", "z_value", "t_quantile", "wilson", "wilson_interval", "newcombe_interval", "welch_interval"]


def default_conf(conf: float | None) -> float:
    """``conf``, or the design's default confidence level when ``None``."""
    from ..design import Design

    return Design().conf if conf is None else conf


def z_value(conf: float) -> float:
    """The two-sided normal quantile of confidence level ``conf`` (1.959964 for 0.95)."""
    if not 0 < conf < 1:
        raise ConfigError("置信水平（conf）必须在 0 与 1 之间", expected="例如 0.95", found=conf)
    return float(special.ndtri(1 - (1 - conf) / 2))


def t_quantile(q, dof):
    """``scipy.stats.t.ppf(q, dof)`` element-wise (NaN where ``dof`` ≤ 0)."""
    dof = np.asarray(dof, dtype=float)
    with np.errstate(invalid="ignore"):
        out = np.where(dof > 0, special.stdtrit(np.where(dof > 0, dof, 1.0), q), np.nan)
    return float(out) if out.ndim == 0 else out


def wilson(p, n, conf: float):
    """Wilson score interval ``(low, high)`` of a share ``p`` on ``n`` (effective) cases.

    Element-wise; NaN where ``n`` ≤ 0 or ``p`` is missing; exact 0 / 1 at the ends.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(conf)
    z2 = z * z
    ok = (n > 0) & ~np.isnan(p)
    nn = np.where(ok, n, 1.0)
    pp = np.where(ok, p, 0.0)
    denom = 1 + z2 / nn
    center = (pp + z2 / (2 * nn)) / denom
    half = z * np.sqrt(pp * (1 - pp) / nn + z2 / (4 * nn * nn)) / denom
    low = np.where(pp <= 0, 0.0, np.maximum(0.0, center - half))
    high = np.where(pp >= 1, 1.0, np.minimum(1.0, center + half))
    low = np.where(ok, low, np.nan)
    high = np.where(ok, high, np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def wilson_interval(p: float, n: float, conf: float | None = None) -> tuple[float, float]:
    """Wilson score interval for a share ``p`` observed on ``n`` (possibly effective) cases.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(0.5, 10)]
    [0.2366, 0.7634]
    """
    if p is None or n is None:
        return (np.nan, np.nan)
    lo, hi = wilson(p, n, default_conf(conf))
    return float(lo), float(hi)


def newcombe_interval(p1, lo1, hi1, p2, lo2, hi2) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``p1 - p2`` from the two Wilson intervals.

    ``low = d - sqrt((p1 - lo1)^2 + (hi2 - p2)^2)``, ``high = d + sqrt((hi1 - p1)^2 + (p2 - lo2)^2)``
    (Newcombe 1998, method 10).  Element-wise.

    Examples
    --------
    >>> lo1, hi1 = wilson_interval(0.6, 50); lo2, hi2 = wilson_interval(0.4, 50)
    >>> [round(x, 4) for x in newcombe_interval(0.6, lo1, hi1, 0.4, lo2, hi2)]
    [0.0046, 0.3752]
    """
    p1, lo1, hi1, p2, lo2, hi2 = (np.asarray(x, dtype=float) for x in (p1, lo1, hi1, p2, lo2, hi2))
    d = p1 - p2
    low = d - np.sqrt((p1 - lo1) ** 2 + (hi2 - p2) ** 2)
    high = d + np.sqrt((hi1 - p1) ** 2 + (p2 - lo2) ** 2)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def welch_interval(m1, sd1, n1, m0, sd0, n0, conf: float):
    """Welch's interval and two-sided p-value for ``m1 - m0`` (``n``: effective sizes).

    Returns ``(low, high, p_value)``, element-wise; NaN where a side has ``n`` ≤ 1.
    """
    m1, sd1, n1, m0, sd0, n0 = (np.asarray(x, dtype=float) for x in (m1, sd1, n1, m0, sd0, n0))
    ok = (n1 > 1) & (n0 > 1) & ~np.isnan(sd1) & ~np.isnan(sd0)
    with np.errstate(invalid="ignore", divide="ignore"):
        v1 = np.where(ok, sd1 ** 2 / np.where(ok, n1, 2), np.nan)
        v0 = np.where(ok, sd0 ** 2 / np.where(ok, n0, 2), np.nan)
        se = np.sqrt(v1 + v0)
        dof = (v1 + v0) ** 2 / (v1 ** 2 / (n1 - 1) + v0 ** 2 / (n0 - 1))
        d = m1 - m0
        t = t_quantile(1 - (1 - conf) / 2, np.where(se > 0, dof, 1.0))
        low = np.where(se > 0, d - t * se, d)
        high = np.where(se > 0, d + t * se, d)
        p = np.where(se > 0, 2 * stats.t.sf(np.abs(d / np.where(se > 0, se, 1.0)), np.where(se > 0, dof, 1.0)),
                     np.where(d == 0, 1.0, 0.0))
    low, high, p = (np.where(ok, x, np.nan) for x in (low, high, p))
    if low.ndim == 0:
        return float(low), float(high), float(p)
    return low, high, p
