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

import logging
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import AnalysisError, ConfigError

#: How the report names the cells of a weighting (columns of the population file).
STRATUM_LABELS = {"major": "专业", "college": "学院", "sex": "性别", "cohort": "届别"}
# the estimators are the statistics kernel's; re-exported here for existing callers
from .stats import (
    MeanEstimate,
    ShareEstimate,
    kish_effective_n,
    weighted_mean,
    weighted_quantile,
    weighted_share,
    wilson_interval,
)
from .stats.codes import per_distinct

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

# ----------------------------------------------------------------------------------------
# population files: read by the one roster reader, survey_analysis.io.read_roster
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
        f"事后分层加权（post-stratification），分层：{'、'.join(STRATUM_LABELS.get(c, c) for c in by)}；"
        f"权重 = 该层毕业生人数 / 该层答卷人数；{int(unmatched.sum())} 名答卷者不在人口文件中，使用平均权重。"
    )
    out.attrs["weighting_problems"] = problems  # records (plain values keep pd.concat working)
    for p in problems:
        logger.warning(p["message"])
    return out


def _rake_targets(margins: Mapping, problems: list) -> dict:
    """Each margin as a Series of counts, rescaled to the first margin's total when they differ."""
    targets, total0 = {}, None
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
    return targets


def _rake_codes(df: pd.DataFrame, col: str, s: pd.Series, problems: list) -> tuple:
    """``(category, has a category)`` of each respondent on one margin; problems noted."""
    vals = df[col].astype("string").str.strip()
    cat = s.index.get_indexer(vals.fillna("\x00missing").to_numpy(dtype=object))  # -1: not in margin
    ok = cat >= 0
    n_out = int((~ok).sum())
    if n_out:
        examples = "、".join(map(str, pd.unique(vals[~ok].fillna("（缺失）"))[:5]))
        problems.append({"check": "not_in_population", "cell": col, "n_sample": n_out, "population": np.nan,
                         "message": f"{n_out} 名答卷者的「{col}」（{examples}）不在边际分布中，该维度不调整其权重"})
    present = np.bincount(cat[ok], minlength=len(s)) > 0
    for k, (category, cnt) in enumerate(s.items()):
        if not present[k] and cnt > 0:
            problems.append({"check": "no_respondents", "cell": f"{col}={category}", "n_sample": 0,
                             "population": float(cnt), "message": f"「{col}={category}」有 {cnt:g} 名毕业生但没有答卷者"})
    return cat, ok


def _margin_targets(w, cat, ok, target) -> np.ndarray:
    """The margin's targets for the respondents who have a category on it.

    Those without one (a missing or unknown value) keep their weight on this margin; the
    others share what is left, in the margin's proportions: ``target × (Σ w of those with a
    category / Σ target)`` when some respondents lack a category, the targets themselves when
    none does.  (With the full targets, every margin step would push the total away from the
    others' and raking could not converge.)
    """
    if ok.all():
        return target
    return target * (float(w[ok].sum()) / float(target.sum()))


def _rake_step(w, cat, ok, target) -> None:
    goal = _margin_targets(w, cat, ok, target)
    cur = np.bincount(cat[ok], weights=w[ok], minlength=len(goal))
    # scale only categories that have respondents; others cannot be reached
    factor = np.divide(goal, cur, out=np.ones_like(cur), where=cur > 0)
    w[ok] = w[ok] * factor[cat[ok]]


def _rake_error(w, cat, ok, target) -> float:
    goal = _margin_targets(w, cat, ok, target)
    cur = np.bincount(cat[ok], weights=w[ok], minlength=len(goal))
    reach = cur > 0
    if not reach.any():
        return 0.0
    return float(np.max(np.abs(cur[reach] - goal[reach]) / np.maximum(goal[reach], 1e-12)))


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
        (respondents whose category is missing from a margin keep their weight for that margin
        and the others are raked to that margin's proportions, see :func:`_margin_targets`;
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
    problems: list = []
    targets = _rake_targets(margins, problems)
    if base_weight is not None:
        w = pd.to_numeric(df[base_weight], errors="coerce").to_numpy(dtype=float)
    else:
        w = np.ones(len(df))
    codes = {col: _rake_codes(df, col, s, problems) for col, s in targets.items()}
    tgt = {col: s.to_numpy(dtype=float) for col, s in targets.items()}
    converged = False
    it = 0
    err = np.inf
    for it in range(1, max_iter + 1):
        for col in targets:
            _rake_step(w, *codes[col], tgt[col])
        err = max(_rake_error(w, *codes[col], tgt[col]) for col in targets)
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
        f"迭代比例加权（raking），边际：{'、'.join(STRATUM_LABELS.get(c, c) for c in targets)}；迭代 {it} 次，"
        + ("已收敛。" if converged else "未收敛。")
    )
    out.attrs["converged"] = converged
    out.attrs["iterations"] = it
    out.attrs["weighting_problems"] = problems  # records (plain values keep pd.concat working)
    for p in problems:
        logger.warning(p["message"])
    return out
