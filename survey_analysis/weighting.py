"""Survey weights for the graduate follow-up: post-stratification, raking, weighted estimates.

Respondents of a graduate survey are rarely a proportional sample of the graduating class: some
majors answer more readily than others.  When a population file gives the number of graduates
per major (and optionally per sex), :func:`poststratify` or :func:`rake` compute a weight per
respondent so that weighted counts reproduce the population.  The estimators
:func:`weighted_share` and :func:`weighted_mean` give the same answer as the classic unweighted
formulas when ``weights`` is ``None`` and otherwise use Kish's effective sample size
``n_eff = (sum w)^2 / sum w^2`` in the interval (a design-effect adjustment).

Population files are read with :func:`load_population`; a roster (one row per graduate, with
学号, 姓名, 手机号 …) is reduced to counts at once and never keeps names or phone numbers.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from .errors import AnalysisError, ConfigError

__all__ = [
    "wilson_interval",
    "kish_effective_n",
    "weighted_share",
    "weighted_mean",
    "weighted_quantile",
    "poststratify",
    "rake",
    "load_population",
    "population_from_frame",
    "ShareEstimate",
    "MeanEstimate",
]

logger = logging.getLogger(__name__)

# canonical population column -> header spellings met in school rosters / counts tables
# ----------------------------------------------------------------------------------------
# estimators
# ----------------------------------------------------------------------------------------
def _z(conf: float) -> float:
    if not 0 < conf < 1:
        raise ConfigError("置信水平（conf）必须在 0 与 1 之间", expected="例如 0.95", found=conf)
    return _z_cached(float(conf))


@functools.lru_cache(maxsize=32)
def _z_cached(conf: float) -> float:
    return float(stats.norm.ppf(1 - (1 - conf) / 2))


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


def _as_float(values) -> np.ndarray:
    """Numbers as a float array; anything that is not a number (None, pd.NA, text) is NaN."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)


def wilson_interval(p: float, n: float, conf: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share ``p`` observed on ``n`` (possibly effective) cases.

    Parameters
    ----------
    p : float
        Observed share in [0, 1].
    n : float
        Number of cases; for weighted data pass Kish's effective sample size.
    conf : float, default 0.95

    Returns
    -------
    (low, high) : tuple of float
        ``(nan, nan)`` when ``n`` is 0 or ``p`` is missing.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(0.5, 10)]
    [0.2366, 0.7634]
    """
    if not n or n <= 0 or p is None or np.isnan(p):
        return (np.nan, np.nan)
    z = _z(conf)
    z2 = z * z
    denom = 1 + z2 / n
    center = (p + z2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    low = 0.0 if p <= 0 else max(0.0, center - half)   # exact ends: no rounding noise at 0 % / 100 %
    high = 1.0 if p >= 1 else min(1.0, center + half)
    return (float(low), float(high))


def kish_effective_n(weights) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2`` (``n`` when all weights are equal)."""
    w = np.asarray(weights, dtype=float)
    w = w[~np.isnan(w)]
    s2 = float(np.sum(w * w))
    return float(np.sum(w) ** 2 / s2) if s2 > 0 else 0.0


@dataclass(frozen=True)
class ShareEstimate:
    """A (weighted) share with its Wilson interval.

    ``count`` is the number of respondents with the attribute (unweighted), ``n`` the number of
    valid respondents (unweighted), ``n_eff`` Kish's effective sample size (= ``n`` unweighted).
    """

    count: int
    n: int
    share: float
    low: float
    high: float
    n_eff: float


@dataclass(frozen=True)
class MeanEstimate:
    """A (weighted) mean with a t interval based on the effective sample size."""

    n: int
    mean: float
    low: float
    high: float
    sd: float
    n_eff: float


def _clean_w(weights, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = np.asarray(weights, dtype=float)
    if len(w) != n:
        raise AnalysisError("权重的长度与数据不一致", expected=str(n), found=len(w))
    return w


def weighted_share(indicator, weights=None, *, conf: float = 0.95) -> ShareEstimate:
    """Share of ``True`` among the non-missing values of ``indicator``.

    Parameters
    ----------
    indicator : array-like of bool / 0-1 / NaN
        NaN (or ``pd.NA``) marks a respondent outside the base.
    weights : array-like, optional
        One weight per respondent; ``None`` gives the classic share and Wilson interval.
    conf : float, default 0.95

    Returns
    -------
    ShareEstimate
        For weighted data ``share = sum(w x) / sum(w)`` and the Wilson interval uses
        ``n_eff`` (Kish) instead of ``n``.

    Examples
    --------
    >>> est = weighted_share([1, 1, 0, 0, None])
    >>> est.count, est.n, est.share
    (2, 4, 0.5)
    """
    x = _as_float(indicator)
    w = _clean_w(weights, len(x))
    ok = ~np.isnan(x)
    if w is not None:
        ok &= w > 0  # NaN > 0 is False: a missing weight leaves the base too
    n = int(np.count_nonzero(ok))
    if n == 0:
        return ShareEstimate(0, 0, np.nan, np.nan, np.nan, 0.0)
    hit = x[ok] > 0
    return _share_of(hit, None if w is None else w[ok], conf)


def _share_of(hit: np.ndarray, ww: np.ndarray | None, conf: float, sums: tuple | None = None) -> ShareEstimate:
    """The estimate of :func:`weighted_share` from the base already selected.

    ``hit`` marks the respondents in the base with the attribute, ``ww`` their (positive)
    weights.  ``sums`` = ``(sum ww, n_eff)`` when the caller evaluates several attributes on
    the same base.  The arithmetic (and so every bit of the result) is that of
    :func:`weighted_share`.
    """
    n = len(hit)
    count = int(np.count_nonzero(hit))
    if n == 0:
        return ShareEstimate(0, 0, np.nan, np.nan, np.nan, 0.0)
    if ww is None:
        p = count / n
        n_eff = float(n)
    else:
        sw, n_eff = sums if sums is not None else _base_sums(ww)
        p = float(np.sum(ww * hit) / sw)
    lo, hi = wilson_interval(p, n_eff, conf)
    return ShareEstimate(count, n, float(p), lo, hi, n_eff)


def _select_base(x: np.ndarray, w: np.ndarray | None) -> tuple:
    """``(x, ww, sums)`` of the base of :func:`weighted_share` / :func:`weighted_mean`: the
    non-missing ``x`` with a positive weight, their weights and :func:`_base_sums` (or ``None``
    unweighted) -- for several estimates on one base."""
    ok = ~np.isnan(x)
    if w is None:
        return x[ok], None, None
    ok &= w > 0
    ww = w[ok]
    return x[ok], ww, (_base_sums(ww) if len(ww) else None)


def _base_sums(ww: np.ndarray) -> tuple:
    """``(sum ww, Kish n_eff)`` of weights without missing values (as :func:`kish_effective_n`)."""
    sw = np.sum(ww)
    s2 = float(np.sum(ww * ww))
    return sw, (float(sw ** 2 / s2) if s2 > 0 else 0.0)


def weighted_mean(values, weights=None, *, conf: float = 0.95) -> MeanEstimate:
    """Mean of the non-missing ``values`` with a t interval.

    Unweighted: the classic ``mean ± t(n-1) · s / sqrt(n)``.  Weighted: ``m = sum(w x)/sum(w)``,
    ``var = sum(w (x-m)^2) / sum(w)`` and the standard error ``sqrt(var / (n_eff - 1))`` with
    ``n_eff - 1`` degrees of freedom — the unweighted formula with ``n`` replaced by Kish's
    effective sample size (equivalent to statsmodels ``DescrStatsW`` with the weights rescaled
    to sum to ``n_eff``).

    Examples
    --------
    >>> est = weighted_mean([1.0, 2.0, 3.0])
    >>> est.mean, round(est.low, 3), round(est.high, 3)
    (2.0, -0.484, 4.484)
    """
    x = _as_float(values)
    w = _clean_w(weights, len(x))
    ok = ~np.isnan(x)
    if w is not None:
        ok &= w > 0  # NaN > 0 is False: a missing weight leaves the base too
    return _mean_of(x[ok], None if w is None else w[ok], conf)


def _mean_of(x: np.ndarray, ww: np.ndarray | None, conf: float, sums: tuple | None = None) -> MeanEstimate:
    """The estimate of :func:`weighted_mean` from the base already selected (``x`` without
    missing values, ``ww`` their positive weights; ``sums`` as in :func:`_share_of`).  Same
    arithmetic, bit for bit."""
    n = len(x)
    if n == 0:
        return MeanEstimate(0, np.nan, np.nan, np.nan, np.nan, 0.0)
    if ww is None:
        m = float(x.mean())
        n_eff = float(n)
        var0 = float(np.mean((x - m) ** 2))
    else:
        sw, n_eff = sums if sums is not None else _base_sums(ww)
        m = float(np.sum(ww * x) / sw)
        var0 = float(np.sum(ww * (x - m) ** 2) / sw)
    if n_eff <= 1:
        return MeanEstimate(n, m, np.nan, np.nan, np.nan, n_eff)
    se = np.sqrt(var0 / (n_eff - 1))
    sd = float(np.sqrt(var0 * n_eff / (n_eff - 1)))
    t = _t_quantile(1 - (1 - conf) / 2, n_eff - 1)
    return MeanEstimate(n, m, float(m - t * se), float(m + t * se), sd, n_eff)


def _mean_only(x: np.ndarray, ww: np.ndarray | None, sw=None) -> float:
    """``_mean_of(x, ww, ...).mean`` alone (``sw`` = ``sum ww`` when the caller has it): the
    same arithmetic, without the variance and interval a caller does not show."""
    if len(x) == 0:
        return np.nan
    if ww is None:
        return float(x.mean())
    return float(np.sum(ww * x) / (np.sum(ww) if sw is None else sw))


def _t_quantile(q: float, dof: float) -> float:
    """``scipy.stats.t.ppf(q, dof)``: for 0 < q < 1 and dof > 0 that is ``special.stdtrit(dof, q)``
    (what ``t._ppf`` returns), called directly -- the generic wrapper costs more than the
    quantile on the thousands of small groups of a provincial report."""
    if 0 < q < 1 and dof > 0 and np.isfinite(dof):
        return float(special.stdtrit(dof, q))
    return float(stats.t.ppf(q, dof))


def weighted_quantile(values, q, weights=None) -> np.ndarray:
    """Quantiles of the non-missing ``values``.

    Unweighted this is ``numpy.quantile`` (linear interpolation, Hyndman–Fan type 7).
    Weighted, the sorted values sit at plotting positions ``(S_k - S_1) / (S_n - S_1)`` where
    ``S_k`` is the cumulative weight — the same positions as type 7 when the weights are equal.

    Examples
    --------
    >>> weighted_quantile([1, 2, 3, 4], [0.5]).tolist()
    [2.5]
    """
    x = _as_float(values)
    qs = np.atleast_1d(np.asarray(q, dtype=float))
    w = _clean_w(weights, len(x))
    ok = ~np.isnan(x)
    if w is not None:
        ok &= ~np.isnan(w) & (w > 0)
    x = x[ok]
    if len(x) == 0:
        return np.full(len(qs), np.nan)
    if w is None:
        return np.quantile(x, qs)
    ww = w[ok]
    order = np.argsort(x, kind="mergesort")
    x, ww = x[order], ww[order]
    if len(x) == 1:
        return np.full(len(qs), x[0])
    s = np.cumsum(ww)
    pos = (s - s[0]) / (s[-1] - s[0])
    return np.interp(qs, pos, x)


# ----------------------------------------------------------------------------------------
# population files
# ----------------------------------------------------------------------------------------
def population_from_frame(frame: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
    """A roster or a counts table as a canonical counts table (``major`` [, ``sex``,
    ``college``, ``cohort``], ``count``): :attr:`survey_analysis.io.Roster.counts` of
    :func:`survey_analysis.io.roster_from_frame`.  Personal columns never reach it."""
    from .io.roster import roster_from_frame

    return roster_from_frame(frame, source=source).counts


def load_population(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """A population file (roster or counts table) as a counts table: the ``counts`` of
    :func:`survey_analysis.io.read_roster` (the one roster reader: merged cells, repeated student
    numbers and counts are handled there)."""
    from .io.roster import read_roster

    return read_roster(path, sheet=sheet).counts


# ----------------------------------------------------------------------------------------
# weights
# ----------------------------------------------------------------------------------------
def _as_population(population, by: Sequence[str]) -> pd.DataFrame:
    if isinstance(population, (str, Path)):
        population = load_population(population)
    elif isinstance(population, pd.Series):
        population = population.rename("count").rename_axis(by[0] if len(by) == 1 else None).reset_index()
    elif isinstance(population, Mapping):
        population = pd.DataFrame({by[0]: list(population.keys()), "count": list(population.values())})
    if "count" not in population.columns:
        raise ConfigError.missing_columns(["count"], list(population.columns), what="人口表列")
    missing = [c for c in by if c not in population.columns]
    if missing:
        raise ConfigError(
            f"人口文件没有用于加权的维度：{'、'.join(missing)}",
            expected=f"人口表含列 {'、'.join(by)}",
            found=f"现有列：{'、'.join(map(str, population.columns))}",
            hint="请在人口文件中加入该列（如 性别），或只按 专业 加权（by=['major']）。",
        )
    pop = population.copy()
    for c in by:
        pop[c] = pop[c].astype("string").str.strip()
    return pop.groupby(list(by), dropna=False)["count"].sum().reset_index()


def poststratify(
    df: pd.DataFrame,
    population,
    by: Sequence[str] = ("major",),
    *,
    weight_col: str = "weight",
) -> pd.DataFrame:
    """Post-stratification weights: respondents in cell *h* get ``N_h / n_h``.

    Parameters
    ----------
    df : DataFrame
        Cleaned graduate data; not modified.
    population : DataFrame, Series, dict or path
        Counts table with the ``by`` columns and ``count`` (see :func:`population_from_frame`),
        a Series / dict ``major -> count``, or a file for :func:`load_population`.
    by : sequence of str, default ("major",)
        Cells, e.g. ``["major"]`` or ``["major", "sex"]``.
    weight_col : str, default "weight"

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``weight_col``.  Weighted counts per cell equal the population.
        Respondents in a cell missing from the population (or with a missing cell value) get
        the fall-back weight ``N / n`` over the matched cells and are listed in
        ``attrs["weighting_problems"]`` (a list of dicts with ``check``, ``cell``, ``n_sample``,
        ``population``, ``message``; ``pd.DataFrame(...)`` makes it a table); population cells
        without respondents are listed too.
        ``attrs["weighting"]`` describes the method in Chinese.

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲", "甲", "乙"]})
    >>> poststratify(d, {"甲": 10, "乙": 30})["weight"].tolist()
    [5.0, 5.0, 30.0]
    """
    by = list(by)
    missing = [c for c in by if c not in df.columns]
    if missing:
        raise AnalysisError.missing_columns(missing, list(df.columns))
    pop = _as_population(population, by).copy()
    # match cells on NFKC-normalised text: a roster may write 英语（卓越班） and the survey
    # 英语(卓越班) (full-width vs half-width brackets)
    for c in by:
        pop[c] = pop[c].astype("string").str.normalize("NFKC").str.strip()
    keys = pd.DataFrame({c: per_distinct(df[c], lambda s: s.astype("string").str.normalize("NFKC").str.strip())
                         for c in by}, index=df.index)
    sample = keys.groupby(by, dropna=False).size().rename("n_sample").reset_index()
    cells = sample.merge(pop, on=by, how="outer", indicator=True)
    matched = cells[cells["_merge"] == "both"]
    matched = matched[matched["count"] > 0]
    if matched.empty:
        raise AnalysisError(
            "人口文件中的专业（或分组）与调查数据没有一个能对上",
            expected=f"人口表的 {'、'.join(by)} 与数据一致",
            found=f"数据中的例子：{'、'.join(map(str, sample[by[0]].dropna().unique()[:5]))}；"
                  f"人口表中的例子：{'、'.join(map(str, pop[by[0]].dropna().unique()[:5]))}",
            hint="请检查专业名称写法是否一致（如全称 / 简称）。",
        )
    fallback = float(matched["count"].sum() / matched["n_sample"].sum())
    factor = matched.set_index(by)["count"] / matched.set_index(by)["n_sample"]
    idx = pd.MultiIndex.from_frame(keys) if len(by) > 1 else pd.Index(keys[by[0]])
    w = pd.Series(factor.reindex(idx).to_numpy(dtype=float), index=df.index)
    unmatched = w.isna()
    w = w.fillna(fallback)
    problems = []
    no_pop = cells[(cells["_merge"] == "left_only") | ((cells["_merge"] == "both") & (cells["count"] <= 0))]
    for _, r in no_pop.iterrows():
        label = " / ".join("（缺失）" if pd.isna(r[c]) else str(r[c]) for c in by)
        problems.append({
            "check": "not_in_population", "cell": label, "n_sample": int(r["n_sample"]),
            "population": np.nan,
            "message": f"「{label}」不在人口文件中，{int(r['n_sample'])} 名答卷者使用平均权重 {fallback:.3f}",
        })
    for _, r in cells[cells["_merge"] == "right_only"].iterrows():
        label = " / ".join(str(r[c]) for c in by)
        if r["count"] > 0:
            problems.append({
                "check": "no_respondents", "cell": label, "n_sample": 0, "population": int(r["count"]),
                "message": f"「{label}」有 {int(r['count'])} 名毕业生但没有答卷者，加权估计不能代表该组",
            })
    # a shallow copy: the answers are shared with ``df`` (copy-on-write protects both), only the
    # weight column is new -- a deep copy doubled peak memory at a million rows
    out = df.copy(deep=False)
    out[weight_col] = w.to_numpy()
    out.attrs = dict(df.attrs)
    out.attrs["weight_col"] = weight_col
    out.attrs["weighting"] = (
        f"事后分层加权（post-stratification），分层：{'、'.join(by)}；"
        f"权重 = 该层毕业生人数 / 该层答卷人数；{int(unmatched.sum())} 名答卷者不在人口文件中，使用平均权重。"
    )
    out.attrs["weighting_problems"] = problems  # records (plain values keep pd.concat working)
    for p in problems:
        logger.warning(p["message"])
    return out


def rake(
    df: pd.DataFrame,
    margins: Mapping[str, Mapping | pd.Series],
    *,
    max_iter: int = 100,
    tol: float = 1e-8,
    weight_col: str = "weight",
    base_weight: str | None = None,
) -> pd.DataFrame:
    """Raking (iterative proportional fitting) of weights to several population margins.

    Parameters
    ----------
    df : DataFrame
        Not modified.
    margins : dict
        ``{column: {category: population count}}``, e.g.
        ``{"major": {"会计学": 300, ...}, "sex": {"男": 1200, "女": 1500}}``.  Margins are
        rescaled to the total of the first one when their totals differ (reported).
    max_iter : int, default 100
    tol : float, default 1e-8
        Stop when every weighted margin is within ``tol`` (relative) of its target.
    weight_col : str, default "weight"
    base_weight : str, optional
        Column of starting weights (default 1).

    Returns
    -------
    DataFrame
        A copy of ``df`` with ``weight_col``; ``attrs["weighting"]`` (Chinese description with
        the number of iterations and whether it converged), ``attrs["weighting_problems"]``
        (respondents whose category is missing from a margin keep their weight for that margin;
        categories with population but no respondents; margins whose totals differ).

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲", "甲", "乙", "乙"], "sex": ["男", "女", "男", "女"]})
    >>> w = rake(d, {"major": {"甲": 4, "乙": 6}, "sex": {"男": 5, "女": 5}})["weight"]
    >>> round(float(w.sum()), 6)
    10.0
    """
    if not margins:
        raise ConfigError("raking 需要至少一个边际分布（margins）", expected="{列名: {类别: 人数}}", found="空")
    missing = [c for c in margins if c not in df.columns]
    if missing:
        raise AnalysisError.missing_columns(missing, list(df.columns))
    problems = []
    targets = {}
    total0 = None
    for col, m in margins.items():
        s = pd.Series(m, dtype=float) if not isinstance(m, pd.Series) else m.astype(float)
        s.index = s.index.astype(str).str.strip()
        if (s < 0).any() or s.isna().any():
            raise ConfigError(f"边际分布「{col}」中有负数或缺失的人数", found=s[(s < 0) | s.isna()].to_dict())
        tot = float(s.sum())
        if total0 is None:
            total0 = tot
        elif abs(tot - total0) > 1e-9 * max(1.0, total0):
            problems.append({"check": "margin_total", "cell": col, "n_sample": np.nan, "population": tot,
                             "message": f"边际「{col}」的合计 {tot:g} 与第一个边际的合计 {total0:g} 不同，已按比例缩放"})
            s = s * (total0 / tot)
        targets[col] = s
    if base_weight is not None:
        w = pd.to_numeric(df[base_weight], errors="coerce").to_numpy(dtype=float)
    else:
        w = np.ones(len(df))
    codes = {}
    for col, s in targets.items():
        vals = df[col].astype("string").str.strip()
        cat = s.index.get_indexer(vals.fillna("\x00missing").to_numpy(dtype=object))  # -1: not in margin
        ok = cat >= 0
        codes[col] = (cat, ok)
        n_out = int((~ok).sum())
        if n_out:
            examples = "、".join(map(str, pd.unique(vals[~ok].fillna("（缺失）"))[:5]))
            problems.append({"check": "not_in_population", "cell": col, "n_sample": n_out, "population": np.nan,
                             "message": f"{n_out} 名答卷者的「{col}」（{examples}）不在边际分布中，该维度不调整其权重"})
        present = np.bincount(cat[ok], minlength=len(s)) > 0
        for k, (category, cnt) in enumerate(s.items()):
            if not present[k] and cnt > 0:
                problems.append({"check": "no_respondents", "cell": f"{col}={category}", "n_sample": 0,
                                 "population": float(cnt),
                                 "message": f"「{col}={category}」有 {cnt:g} 名毕业生但没有答卷者"})
    tgt = {col: s.to_numpy(dtype=float) for col, s in targets.items()}
    converged = False
    it = 0
    err = np.inf
    for it in range(1, max_iter + 1):
        for col in targets:
            cat, ok = codes[col]
            cur = np.bincount(cat[ok], weights=w[ok], minlength=len(tgt[col]))
            # scale only categories that have respondents; others cannot be reached
            factor = np.divide(tgt[col], cur, out=np.ones_like(cur), where=cur > 0)
            w[ok] = w[ok] * factor[cat[ok]]
        err = 0.0
        for col in targets:
            cat, ok = codes[col]
            cur = np.bincount(cat[ok], weights=w[ok], minlength=len(tgt[col]))
            reach = cur > 0
            if reach.any():
                err = max(err, float(np.max(np.abs(cur[reach] - tgt[col][reach]) / np.maximum(tgt[col][reach], 1e-12))))
        if err <= tol:
            converged = True
            break
    if not converged:
        problems.append({"check": "not_converged", "cell": "", "n_sample": np.nan, "population": np.nan,
                         "message": f"raking 在 {max_iter} 次迭代后未收敛（最大相对偏差 {err:.2e}），"
                                    "可能是边际之间互相矛盾或某些组合没有答卷者"})
    out = df.copy()
    out[weight_col] = w
    out.attrs = dict(df.attrs)
    out.attrs["weight_col"] = weight_col
    out.attrs["weighting"] = (
        f"迭代比例加权（raking），边际：{'、'.join(targets)}；迭代 {it} 次，"
        + ("已收敛。" if converged else "未收敛。")
    )
    out.attrs["converged"] = converged
    out.attrs["iterations"] = it
    out.attrs["weighting_problems"] = problems  # records (plain values keep pd.concat working)
    for p in problems:
        logger.warning(p["message"])
    return out
