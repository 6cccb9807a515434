"""就业质量: income, relevance, expectation fit, job satisfaction, turnover, recommendation.

Definitions (``DOMAIN.md``): 月收入 = mean, median and quartiles of monthly pre-tax income of
those in work inside the design's plausible range; 专业相关度, 职业期待吻合度, 就业满意度 = top-box
shares on 5-point scales (the design's ``satisfied`` rule) and mean scores, of those in work who
answered (无法评价 is missing); 离职率 = share of those in work who left at least one job;
推荐度 = share answering 愿意.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import group_means, group_quantiles, group_shares, group_table, long_table, multi_codes
from ..stats import multi_indicator
from .base import DestinationFlags, Survey
from .labels import ITEM_LABELS, RATING_ITEMS, TABLE_TITLES, TURNOVER_REASONS, band_labels, rate_text

__all__ = ["income_tables", "job_quality_table", "turnover_tables", "recommendation_table", "changed_jobs"]


def income_tables(s: Survey, income: np.ndarray, implausible: np.ndarray, edges) -> dict:
    """``income`` (mean with interval, sd, quartiles) and ``income_bands`` (share per band)."""
    ix, d = s.index, s.design
    m = group_means(ix, income, s.w, conf=d.conf)
    q = group_quantiles(ix, income, [0.25, 0.5, 0.75], s.w)
    lo, hi = d.income_bounds
    attrs = {**s.attrs, "title": TABLE_TITLES["income"], "income_bounds": (lo, hi),
             "base": f"在工作者（{'、'.join(d.placement.employed)}）中月收入在 {lo:g}–{hi:g} 元之间者",
             "quantile_definition": "四分位数与中位数按加权经验分布（SAS PCTLDEF=5，与 statsmodels DescrStatsW 相同）"}
    income_t = group_table(ix, {"n_eff": m.n_eff, "mean": m.mean, "mean_low": m.low, "mean_high": m.high,
                                "sd": m.sd, "p25": q[:, 0], "median": q[:, 1], "p75": q[:, 2],
                                "n_implausible": ix.count(implausible)},
                           n=m.n, design=d, attrs=attrs, counts=("n_implausible",))
    edges = [float(e) for e in edges]
    labels = band_labels(edges)
    band = np.where(np.isnan(income), -1, np.searchsorted(np.asarray(edges), np.nan_to_num(income), side="right"))
    items = []
    for k, lab in enumerate(labels):
        est = group_shares(ix, np.where(band < 0, np.nan, (band == k).astype(float)), s.w, conf=d.conf)
        items.append(({"band": lab}, {"count": est.count, **est.columns()}, est.n))
    bands_t = long_table(ix, items, design=d, attrs={**s.attrs, "title": TABLE_TITLES["income_bands"]})
    return {"income": income_t, "income_bands": bands_t}


def job_quality_table(s: Survey, flags: DestinationFlags) -> pd.DataFrame | None:
    """Top-box share and mean of each rating item among those in work, per group."""
    items = [c for c in RATING_ITEMS if c in s.df.columns]
    if not items:
        return None
    ix, d = s.index, s.design
    rows = []
    for item in items:
        x = np.where(flags.in_work, s.values(item), np.nan)
        top = np.where(np.isnan(x), np.nan, (x >= d.top_box).astype(float))
        est = group_shares(ix, top, s.w, conf=d.conf)
        m = group_means(ix, x, s.w, conf=d.conf)
        rows.append(({"item": item, "item_label": ITEM_LABELS.get(item, item)},
                     {"n_eff": est.n_eff, "mean": m.mean, "rate": est.share, "rate_low": est.low,
                      "rate_high": est.high}, est.n))
    return long_table(ix, rows, design=d,
                      attrs={**s.attrs, "title": TABLE_TITLES["job_quality"],
                             "base": "在工作者中作答该题者（无法评价不计入）", "rate_definition": rate_text(d.satisfied)})


def changed_jobs(s: Survey) -> np.ndarray:
    """job_changes labels → 1.0 (left at least once), 0.0 (0次), NaN (no answer)."""
    codes, names = s.codes("job_changes")
    zero = np.array([str(x).startswith("0") for x in names] + [False], dtype=bool)
    out = np.where(zero[np.where(codes < 0, len(names), codes)], 0.0, 1.0)
    return np.where(codes < 0, np.nan, out)


def turnover_tables(s: Survey, flags: DestinationFlags) -> dict:
    """``turnover`` (离职率) and, when asked, ``turnover_reasons`` (share of each reason)."""
    ix, d = s.index, s.design
    changed = np.where(flags.in_work, changed_jobs(s), np.nan)
    est = group_shares(ix, changed, s.w, conf=d.conf)
    out = {"turnover": group_table(
        ix, {"n_eff": est.n_eff, "count": est.count, **est.columns("turnover_rate")}, n=est.n, design=d,
        attrs={**s.attrs, "title": TABLE_TITLES["turnover"],
               "base": "在工作者中作答离职次数者；离职率 = 离职 1 次及以上的比例"})}
    if "turnover_reasons" in s.df.columns:
        out["turnover_reasons"] = multi_share_table(
            s, "turnover_reasons", TURNOVER_REASONS, base=changed == 1, item="reason",
            attrs={"title": TABLE_TITLES["turnover_reasons"],
                   "base": "离职过且填写了原因者（多选，占比之和可超过 100%）"})
    return out


def multi_share_table(s: Survey, col: str, options, *, base: np.ndarray, item: str, attrs: dict,
                      exclude: np.ndarray | None = None) -> pd.DataFrame:
    """Share choosing each option of a multi-select ``col`` among those in ``base`` who answered
    (minus ``exclude``): one base per group for every option."""
    codes, sets = multi_codes(s.df[col])
    answered = multi_indicator(codes, sets, lambda x: x is not None) == 1
    ok = base & answered
    if exclude is not None:
        ok &= ~exclude
    opts = list(options) + sorted({o for x in sets if x is not None for o in x} - set(options))
    items = []
    for opt in opts:
        hit = multi_indicator(codes, sets, lambda x, o=opt: x is not None and o in x)
        est = group_shares(s.index, np.where(ok, hit, np.nan), s.w, conf=s.design.conf)
        items.append(({item: opt}, {"count": est.count, **est.columns()}, est.n))
    return long_table(s.index, items, design=s.design, attrs={**s.attrs, **attrs})


def recommendation_table(s: Survey) -> pd.DataFrame:
    """推荐度: shares of 愿意 / 不确定 / 不愿意 among those who answered."""
    ix, d = s.index, s.design
    known = s.is_label("recommend", ("愿意", "不确定", "不愿意"))
    cols, est = {}, None
    for name, lab in (("recommend_rate", "愿意"), ("unsure_rate", "不确定"), ("unwilling_rate", "不愿意")):
        est = group_shares(ix, np.where(known, s.is_label("recommend", (lab,)), np.nan), s.w, conf=d.conf)
        cols.update(est.columns(name))
    return group_table(ix, {"n_eff": est.n_eff, **cols}, n=est.n, design=d,
                       attrs={**s.attrs, "title": TABLE_TITLES["recommendation"],
                              "base": "作答推荐意愿者；推荐度 = 回答“愿意”的比例"})
