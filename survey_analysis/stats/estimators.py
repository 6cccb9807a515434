"""Weighted shares, means and quantiles: for one sample and for every group of a GroupIndex.

The one-sample functions (:func:`weighted_share`, :func:`weighted_mean`,
:func:`weighted_quantile`) are the plain definitions; the group functions
(:func:`group_shares`, :func:`group_means`, :func:`group_quantiles`,
:func:`group_distribution`) compute the same numbers for all groups at once with ``bincount``
and are tested equal to applying the plain definition group by group.

Definitions
-----------
* Base: the rows with a value (not NaN) and, when weighted, a positive weight.
* Share ``p = Σ w·x / Σ w`` (``x`` ∈ {0, 1}); Wilson interval on Kish's effective sample size
  ``n_eff = (Σ w)² / Σ w²`` (= ``n`` unweighted).  ``count`` is the estimated number with the
  attribute, ``Σ w·x`` (= respondents unweighted); ``n`` is always the number of respondents.
* Mean ``m = Σ w·x / Σ w``, ``var = Σ w (x − m)² / Σ w``, ``se = sqrt(var / (n_eff − 1))`` and a
  t interval with ``n_eff − 1`` degrees of freedom (the classic interval when unweighted;
  statsmodels ``DescrStatsW`` with weights rescaled to sum to ``n_eff``).
* Quantiles: the weighted definition of SAS (PCTLDEF 5) and statsmodels
  ``DescrStatsW.quantile``: with ``s_j`` the cumulative weight of the sorted distinct values
  and ``W`` the total, the ``p`` quantile is ``y_{j+1}`` when ``s_j < pW < s_{j+1}`` and
  ``(y_j + y_{j+1}) / 2`` when ``pW = s_j``.  Unweighted this is numpy's
  ``averaged_inverted_cdf`` (the usual median for even and odd ``n``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from .groups import GroupIndex
from .intervals import default_conf, t_quantile, wilson

__all__ = [
    "ShareEstimate",
    "MeanEstimate",
    "kish_effective_n",
    "weighted_share",
    "weighted_mean",
    "weighted_quantile",
    "Shares",
    "Means",
    "group_shares",
    "group_means",
    "means_from_sums",
    "group_quantiles",
    "group_distribution",
    "as_float",
]

_TIE = 1e-10  # statsmodels' tolerance for "pW = s_j"


def as_float(values) -> np.ndarray:
    """Numbers as a float array; anything that is not a number (None, pd.NA, text) is NaN."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)


def _weights(weights, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = as_float(weights)
    if w.shape != (n,):
        raise AnalysisError("权重的长度与数据不一致", expected=str(n), found=len(w))
    return w


def _base(x: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    ok = ~np.isnan(x)
    if w is not None:
        ok &= w > 0  # NaN > 0 is False: a missing weight leaves the base too
    return ok


def kish_effective_n(weights) -> float:
    """Kish's effective sample size ``(Σ w)² / Σ w²`` (``n`` when all weights are equal)."""
    w = as_float(weights)
    w = w[~np.isnan(w)]
    s2 = float(np.sum(w * w))
    return float(np.sum(w) ** 2 / s2) if s2 > 0 else 0.0


# ----------------------------------------------------------------------------------------
# one sample: the plain definitions
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShareEstimate:
    """A (weighted) share with its Wilson interval (see the module's definitions)."""

    count: float
    n: int
    share: float
    low: float
    high: float
    n_eff: float


@dataclass(frozen=True)
class MeanEstimate:
    """A (weighted) mean with a t interval on the effective sample size."""

    n: int
    mean: float
    low: float
    high: float
    sd: float
    n_eff: float


def weighted_share(indicator, weights=None, *, conf: float | None = None) -> ShareEstimate:
    """Share of ``True`` among the non-missing values of ``indicator`` (NaN = outside the base).

    Examples
    --------
    >>> est = weighted_share([1, 1, 0, 0, None])
    >>> est.count, est.n, est.share
    (2.0, 4, 0.5)
    """
    conf = default_conf(conf)
    x = as_float(indicator)
    w = _weights(weights, len(x))
    ok = _base(x, w)
    n = int(np.count_nonzero(ok))
    if n == 0:
        return ShareEstimate(0.0, 0, np.nan, np.nan, np.nan, 0.0)
    hit = (x[ok] > 0).astype(float)
    ww = np.ones(n) if w is None else w[ok]
    sw = float(np.sum(ww))
    n_eff = float(n) if w is None else sw ** 2 / float(np.sum(ww * ww))
    count = float(np.sum(ww * hit))
    p = count / sw
    lo, hi = wilson(p, n_eff, conf)
    return ShareEstimate(count, n, float(p), float(lo), float(hi), float(n_eff))


def weighted_mean(values, weights=None, *, conf: float | None = None) -> MeanEstimate:
    """Mean of the non-missing ``values`` with a t interval.

    Examples
    --------
    >>> est = weighted_mean([1.0, 2.0, 3.0])
    >>> est.mean, round(est.low, 3), round(est.high, 3)
    (2.0, -0.484, 4.484)
    """
    conf = default_conf(conf)
    x = as_float(values)
    w = _weights(weights, len(x))
    ok = _base(x, w)
    x = x[ok]
    n = len(x)
    if n == 0:
        return MeanEstimate(0, np.nan, np.nan, np.nan, np.nan, 0.0)
    ww = np.ones(n) if w is None else w[ok]
    sw = float(np.sum(ww))
    n_eff = float(n) if w is None else sw ** 2 / float(np.sum(ww * ww))
    m = float(np.sum(ww * x) / sw)
    var0 = float(np.sum(ww * (x - m) ** 2) / sw)
    if n_eff <= 1:
        return MeanEstimate(n, m, np.nan, np.nan, np.nan, n_eff)
    se = np.sqrt(var0 / (n_eff - 1))
    t = t_quantile(1 - (1 - conf) / 2, n_eff - 1)
    return MeanEstimate(n, m, float(m - t * se), float(m + t * se), float(np.sqrt(var0 * n_eff / (n_eff - 1))),
                        n_eff)


def weighted_quantile(values, q, weights=None) -> np.ndarray:
    """Quantiles of the non-missing ``values`` (see the module's definitions).

    Examples
    --------
    >>> weighted_quantile([1, 2, 3, 4], [0.5]).tolist()
    [2.5]
    >>> weighted_quantile([1, 2, 3], [0.5], weights=[10, 1, 1]).tolist()
    [1.0]
    """
    x = as_float(values)
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    w = _weights(weights, len(x))
    ok = _base(x, w)
    x = x[ok]
    if len(x) == 0:
        return np.full(len(qs), np.nan)
    ww = np.ones(len(x)) if w is None else w[ok]
    order = np.argsort(x, kind="mergesort")
    x, ww = x[order], ww[order]
    cw = np.cumsum(ww)
    target = qs * cw[-1]
    j = np.minimum(np.searchsorted(cw, target, side="left"), len(x) - 1)
    out = x[j].astype(float)
    exact = (np.abs(target - cw[j]) < _TIE * max(1.0, cw[-1])) & (j < len(x) - 1)
    out[exact] = (x[j[exact]] + x[np.minimum(j[exact] + 1, len(x) - 1)]) / 2
    return out


# ----------------------------------------------------------------------------------------
# every group at once
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shares:
    """Per-group shares (arrays in the order of the index's groups)."""

    n: np.ndarray
    n_eff: np.ndarray
    count: np.ndarray
    share: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def columns(self, prefix: str | None = None) -> dict:
        """``{prefix: share, prefix_low, prefix_high}`` (or ``share, low, high``)."""
        if prefix is None:
            return {"share": self.share, "low": self.low, "high": self.high}
        return {prefix: self.share, f"{prefix}_low": self.low, f"{prefix}_high": self.high}


@dataclass(frozen=True)
class Means:
    """Per-group means (arrays in the order of the index's groups)."""

    n: np.ndarray
    n_eff: np.ndarray
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    sd: np.ndarray


def _sums(index: GroupIndex, ok: np.ndarray, w: np.ndarray | None, *values):
    """Per group: n, Σw, Σw² and Σ w·v for each of ``values`` over the rows where ``ok``."""
    n = index.count(ok).astype(np.int64)
    if w is None:
        sw = n.astype(float)
        sw2 = sw
        sv = [index.sum(v, ok) for v in values]
    else:
        sw = index.sum(w, ok)
        sw2 = index.sum(w * w, ok)
        sv = [index.sum(w * v, ok) for v in values]
    return n, sw, sw2, sv


def group_shares(index: GroupIndex, indicator, weights=None, *, conf: float) -> Shares:
    """:func:`weighted_share` of every group of ``index``.

    ``indicator``: per row 1/0 (> 0 counts as 1), NaN outside the base.
    """
    x = as_float(indicator)
    w = _weights(weights, len(x))
    ok = _base(x, w)
    hit = np.where(ok, x > 0, False).astype(float)
    n, sw, sw2, (count,) = _sums(index, ok, w, hit)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, count / np.where(sw > 0, sw, 1.0), np.nan)
        n_eff = np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1.0), 0.0)
    low, high = wilson(share, n_eff, conf)
    return Shares(n=n, n_eff=n_eff, count=count, share=share, low=low, high=high)


def _squared_deviations(index: GroupIndex, x: np.ndarray, ww: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Per group ``Σ w (x − mean_group)²`` (``ww`` is 0 outside the base)."""
    G = index.n_groups
    ss = np.zeros(G + 1)
    ext = np.append(np.nan_to_num(mean), 0.0)
    for lv, codes in index.codes.items():
        if lv == "school":
            dev = x - ext[0]
            ss[0] += np.sum(ww * dev * dev)
        else:
            dev = x - ext[index.bins[lv]]
            ss += np.bincount(index.bins[lv], weights=ww * dev * dev, minlength=G + 1)
    return ss[:G]


def group_means(index: GroupIndex, values, weights=None, *, conf: float) -> Means:
    """:func:`weighted_mean` of every group of ``index`` (two passes: mean, then deviations)."""
    x = as_float(values)
    w = _weights(weights, len(x))
    ok = _base(x, w)
    xz = np.where(ok, x, 0.0)
    n, sw, sw2, (sx,) = _sums(index, ok, w, xz)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, sx / np.where(sw > 0, sw, 1.0), np.nan)
    ww = np.where(ok, 1.0, 0.0) if w is None else np.where(ok, w, 0.0)
    return means_from_sums(n, sw, sw2, sx, _squared_deviations(index, xz, ww, mean), conf=conf)


def means_from_sums(n, sw, sw2, sx, ss, *, conf: float) -> Means:
    """Weighted means with their t intervals from per-group sums -- the one place the formula
    lives (``group_means``, ``moments.means_of`` and ``distributed`` call it).

    ``n`` cases, ``sw`` = Σw, ``sw2`` = Σw², ``sx`` = Σw·x, ``ss`` = Σw(x − mean)²; Kish's
    effective n, standard error √(ss/Σw / (n_eff − 1)), t quantile on n_eff − 1 degrees of freedom.
    """
    n, sw, sw2, sx, ss = (np.asarray(a) for a in (n, sw, sw2, sx, ss))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, sx / np.where(sw > 0, sw, 1.0), np.nan)
        n_eff = np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1.0), 0.0)
        var0 = ss / np.where(sw > 0, sw, 1.0)
        big = n_eff > 1
        se = np.sqrt(var0 / np.where(big, n_eff - 1, 1.0))
        t = t_quantile(1 - (1 - conf) / 2, np.where(big, n_eff - 1, 1.0))
        low = np.where(big, mean - t * se, np.nan)
        high = np.where(big, mean + t * se, np.nan)
        sd = np.where(big, np.sqrt(var0 * n_eff / np.where(big, n_eff - 1, 1.0)), np.nan)
    return Means(n=n, n_eff=n_eff, mean=mean, low=low, high=high, sd=sd)


def group_quantiles(index: GroupIndex, values, qs, weights=None) -> np.ndarray:
    """:func:`weighted_quantile` of every group: an array of shape ``(n_groups, len(qs))``."""
    x = as_float(values)
    qs = np.atleast_1d(np.asarray(qs, dtype=float))
    w = _weights(weights, len(x))
    ok = _base(x, w)
    out = np.full((index.n_groups, len(qs)), np.nan)
    for codes in index.codes.values():
        sel = ok & (codes >= 0)
        c, v = codes[sel], x[sel]
        ww = np.ones(len(v)) if w is None else w[sel]
        order = np.lexsort((v, c))
        c, v, ww = c[order], v[order], ww[order]
        if not len(c):
            continue
        cw = np.cumsum(ww)
        start = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        stop = np.r_[start[1:], len(c)]
        before = np.where(start > 0, cw[start - 1], 0.0)
        total = cw[stop - 1] - before
        for k, q in enumerate(qs):
            target = before + q * total
            j = np.searchsorted(cw, target, side="left")
            j = np.clip(j, start, stop - 1)
            val = v[j].astype(float)
            exact = (np.abs(target - cw[j]) < _TIE * np.maximum(1.0, total)) & (j < stop - 1)
            val[exact] = (v[j[exact]] + v[j[exact] + 1]) / 2
            out[c[start], k] = val
    return out


def group_distribution(index: GroupIndex, codes, n_categories: int, weights=None, *, conf: float) -> dict:
    """Shares of every category in every group (one base per group: the rows with a category).

    ``codes``: per row a category number ``0 … n_categories − 1`` or ``-1`` (no answer).
    Returns arrays of shape ``(n_groups, n_categories)``: ``n`` (the group's base, repeated),
    ``hits`` (respondents in the category), ``count`` (estimated number), ``share``, ``low``,
    ``high``; each equals :func:`group_shares` of the category's indicator on that base.
    """
    codes = np.asarray(codes, dtype=np.intp)
    w = _weights(weights, len(codes))
    ok = codes >= 0
    if w is not None:
        ok &= w > 0
    K = max(int(n_categories), 1)
    G = index.n_groups
    ww = np.ones(len(codes)) if w is None else np.where(ok, w, 0.0)
    cnt = np.zeros((G, K))
    hits = np.zeros((G, K), dtype=np.int64)
    for g in index.codes.values():
        sel = ok & (g >= 0)
        key = g[sel] * K + codes[sel]
        cnt += np.bincount(key, weights=ww[sel], minlength=G * K).reshape(G, K)
        hits += np.bincount(key, minlength=G * K).reshape(G, K)
    n, sw, sw2, _ = _sums(index, ok, w)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n[:, None] > 0, cnt / np.where(sw > 0, sw, 1.0)[:, None], np.nan)
        n_eff = np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1.0), 0.0)
    low, high = wilson(share, np.repeat(n_eff[:, None], K, axis=1), conf)
    return {"n": np.repeat(n[:, None], K, axis=1), "n_eff": np.repeat(n_eff[:, None], K, axis=1),
            "hits": hits, "count": cnt, "share": share, "low": low, "high": high}
