"""年度变化: each metric's change from one cohort to the next, per group, with an interval and a
test whose flags are controlled for multiplicity (Benjamini–Hochberg over the table).

A cohort's estimate on a base is hidden exactly when the same cohort's outcome table hides it
(:func:`survey_analysis.stats.protect` is a function of the base's counts); a change is shown
only when both cohorts' estimates are.
"""
from __future__ import annotations

import logging
from typing import Mapping

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import ConfigError
from ..stats import (
    apply_hidden,
    bh_adjust,
    group_means,
    group_shares,
    newcombe_interval,
    protect,
    share_difference_p,
    suppression_note,
    welch_interval,
)
from .base import prepare, resolve
from .comparisons import metric_values
from .labels import TABLE_TITLES, metric_label

__all__ = ["trends", "TREND_METRICS"]

logger = logging.getLogger(__name__)

TREND_METRICS = ("placement_rate", "employment_rate", "unemployed_rate")


def _split_cohorts(frames_by_cohort) -> tuple[dict, list[dict]]:
    problems = []
    if isinstance(frames_by_cohort, pd.DataFrame):
        d = frames_by_cohort.reset_index(drop=True)
        if "cohort" not in d.columns:
            raise ConfigError("数据中没有届别（cohort）列", expected="cohort 列或 {届别: DataFrame} 字典")
        c = pd.to_numeric(d["cohort"], errors="coerce")
        if c.isna().any():
            problems.append({"cohort": None, "check": "missing_cohort",
                             "message": f"{int(c.isna().sum())} 名答卷者的毕业年份缺失，未计入趋势"})
        frames = {int(k): d.loc[idx] for k, idx in d.groupby(c).groups.items()}
    elif isinstance(frames_by_cohort, Mapping):
        frames = dict(frames_by_cohort)
    else:
        raise ConfigError("frames_by_cohort 应为 {届别: DataFrame} 字典或含 cohort 列的 DataFrame",
                          found=type(frames_by_cohort).__name__)
    out = {}
    for k in sorted(frames, key=lambda x: (str(type(x)), x)):
        f = frames[k]
        if f is None or len(f) == 0:
            problems.append({"cohort": k, "check": "empty_cohort", "message": f"{k} 届没有任何答卷，未参加年度比较"})
            continue
        out[k] = f
    return out, problems


def _estimates(frame: pd.DataFrame, design: Design, metric: str, index=None) -> pd.DataFrame:
    """One cohort's per-group estimate of ``metric`` with its hiding decision."""
    s = prepare(frame, design, index)
    kind, v = metric_values(s, metric)
    if kind == "binary":
        e = group_shares(s.index, v, s.w, conf=design.conf)
        vals = {"value": e.share, "low": e.low, "high": e.high, "sd": np.full(len(e.n), np.nan)}
    else:
        e = group_means(s.index, v, s.w, conf=design.conf)
        vals = {"value": e.mean, "low": e.low, "high": e.high, "sd": e.sd}
    t = s.index.keys().assign(kind=kind, n=e.n, n_eff=e.n_eff, **vals)
    t["hidden"] = protect(s.index, e.n, design.min_cell)
    return t


def _pairs(per: dict, metric: str, conf: float) -> list[dict]:
    cohorts = list(per)
    latest = per[cohorts[-1]]
    keys = list(dict.fromkeys([*zip(latest["level"], latest["group"])]
                              + [k for c in cohorts for k in zip(per[c]["level"], per[c]["group"])]))
    indexed = {c: per[c].set_index(["level", "group"]) for c in cohorts}
    rows = []
    for key in keys:
        available = [c for c in cohorts if key in indexed[c].index]
        for prev, cur in zip(available[:-1], available[1:]):
            e0, e1 = indexed[prev].loc[key], indexed[cur].loc[key]
            if e1["kind"] == "binary":
                lo, hi = newcombe_interval(e1["value"], e1["low"], e1["high"], e0["value"], e0["low"], e0["high"])
                p = share_difference_p(e1["value"], e1["n_eff"], e0["value"], e0["n_eff"])
            else:
                lo, hi, p = welch_interval(e1["value"], e1["sd"], e1["n_eff"], e0["value"], e0["sd"], e0["n_eff"], conf)
            college = e1["college"] if pd.notna(e1["college"]) else e0["college"]
            rows.append({"level": key[0], "group": key[1], "college": college, "metric": metric,
                         "cohort_prev": prev, "cohort": cur, "n_prev": e0["n"], "n_cur": e1["n"],
                         "n": min(e0["n"], e1["n"]), "value_prev": e0["value"], "value": e1["value"],
                         "diff": e1["value"] - e0["value"], "diff_low": lo, "diff_high": hi, "p_value": p,
                         "hidden": bool(e0["hidden"] or e1["hidden"])})
    return rows


def trends(frames_by_cohort, design: Design | None = None, *, metrics=TREND_METRICS, **overrides) -> pd.DataFrame:
    """Year-over-year change of outcome metrics per group, with an interval and a test.

    Parameters
    ----------
    frames_by_cohort : dict {cohort: DataFrame} or DataFrame with a ``cohort`` column
        Cohorts with no responses are skipped (``attrs["problems"]``); each cohort is compared
        with the previous cohort that has data.  Every cohort is estimated with the same
        design (weighted throughout when the design names a weight column).
    metrics : sequence of str
        Shares (``placement_rate``, ``relevance_rate`` …) get Newcombe's interval for the
        difference and the two-sample score test; ``income`` and scores Welch's interval and test.

    Returns
    -------
    DataFrame
        ``level, group, college, metric, metric_label, cohort_prev, cohort, n_prev, n_cur, n,
        value_prev, value, diff, diff_low, diff_high, p_value, p_adj, change_significant,
        suppressed``.  ``change_significant``: BH-adjusted p below the design's ``alpha``
        over all shown rows of the table.  A row is hidden when either cohort's estimate is.
    """
    design = resolve(design, **overrides)
    frames, problems = _split_cohorts(frames_by_cohort)
    rows = []
    for metric in metrics:
        per = {c: _estimates(f, design, metric) for c, f in frames.items()}
        if per:
            rows.extend(_pairs(per, metric, design.conf))
    cols = ["level", "group", "college", "metric", "cohort_prev", "cohort", "n_prev", "n_cur", "n", "value_prev",
            "value", "diff", "diff_low", "diff_high", "p_value", "hidden"]
    table = pd.DataFrame(rows, columns=cols)
    hidden = table["hidden"].to_numpy(dtype=bool)
    table["p_adj"] = bh_adjust(np.where(hidden, np.nan, table["p_value"].to_numpy(dtype=float)))
    table["change_significant"] = (table["p_adj"] < design.alpha).where(table["p_adj"].notna())
    out = apply_hidden(table.drop(columns="hidden"), hidden,
                       keep=("level", "group", "college", "metric", "cohort_prev", "cohort"))
    for c in ("n_prev", "n_cur", "n"):
        out[c] = out[c].round().astype("Int64")
    out.insert(out.columns.get_loc("metric") + 1, "metric_label", out["metric"].map(metric_label))
    first = next(iter(frames.values()), pd.DataFrame())
    out.attrs.update({
        "title": TABLE_TITLES["trends"], "conf": design.conf, "min_cell": design.min_cell, "alpha": design.alpha,
        "weighted": design.weight is not None,
        "weighting": (first.attrs.get("weighting") or f"各届均按权重列「{design.weight}」加权。")
        if design.weight else "未加权（unweighted）：每位答卷者权重相同。",
        "definition": design.placement.describe(),
        "method": "比例之差用 Newcombe（基于 Wilson）区间与两样本比例检验；均值之差用 Welch 区间与检验；"
                  "“变化显著”按 Benjamini–Hochberg 校正全表的 p 值后判断（FDR "
                  f"{design.alpha:g}）；n 为两届中较小的样本量；任一届被隐藏时该行隐藏",
        "suppression_note": suppression_note(design.min_cell) + (f"本表有 {int(hidden.sum())} 行被隐藏。"
                                                                 if hidden.any() else ""),
        "n_suppressed": int(hidden.sum()), "problems": problems, "cohorts": list(frames),
    })
    for p in problems:
        logger.warning(p["message"])
    return out
