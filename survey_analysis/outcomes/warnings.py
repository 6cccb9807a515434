"""专业预警: majors below a benchmark, below a threshold several years running, and a card."""
from __future__ import annotations

import logging
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .labels import LABELS, TABLE_TITLES

__all__ = ["major_warnings"]

logger = logging.getLogger(__name__)

_CARD_RULE = (
    "红黄绿牌规则（参照 MyCOS）：综合指数 = 就业去向落实率、月收入均值、就业满意度（总体）在各专业中的百分位排名的平均"
    "（取最近 {years} 届的平均值；缺某项时用其余各项）；未就业人数 = 最近 {years} 届未就业人数之和。"
    "红牌：综合指数处于最差的四分之一（≤ 下四分位数），且未就业人数高于各专业中位数；"
    "黄牌：非红牌，且综合指数处于最差的四分之一，或综合指数低于中位数且未就业人数高于中位数；"
    "绿牌：综合指数处于最好的四分之一（≥ 上四分位数），且未就业人数不高于中位数；"
    "其余为“无”；样本量不足（被隐藏）的专业为“样本不足”。"
)


def major_warnings(
    tables_by_cohort: Mapping,
    *,
    benchmark: float | None = None,
    threshold: float = 0.60,
    consecutive: int = 2,
    metric: str = "placement_rate",
    card_years: int = 3,
) -> pd.DataFrame:
    """Warnings for majors: below a benchmark, below a threshold N years running, and a card.

    Parameters
    ----------
    tables_by_cohort : dict {cohort: dict of tables}
        The results of :func:`outcome_tables` per cohort (a bare ``placement`` DataFrame per
        cohort is accepted too; the card then uses the placement rate only).  A cohort whose
        tables are empty or ``None`` is reported in ``attrs["problems"]`` (list of dicts).
    benchmark : float, optional
        The local average placement rate given by the user (the notice's "below the local
        average"); ``None`` leaves ``below_benchmark`` empty.
    threshold : float, default 0.60
    consecutive : int, default 2
        Years running below ``threshold`` (ending with the latest cohort) that raise the flag.
    metric : str, default "placement_rate"
    card_years : int, default 3
        How many of the latest cohorts the card averages.

    Returns
    -------
    DataFrame
        One row per major: ``major``, ``college``, ``latest_cohort``, ``<metric>_<cohort>`` per
        cohort, ``benchmark``, ``below_benchmark``, ``years_below_threshold``,
        ``below_threshold_consecutive``, ``score``, ``unemployed_count``, ``card``
        (红牌/黄牌/绿牌/无/样本不足), ``note``.  ``attrs["rule"]`` states the rule in Chinese.
    """
    if not isinstance(tables_by_cohort, Mapping) or not tables_by_cohort:
        raise ConfigError("major_warnings 需要 {届别: outcome_tables 结果} 字典", found=type(tables_by_cohort).__name__)
    if consecutive < 1:
        raise ConfigError("连续年数（consecutive）至少为 1", found=consecutive)
    for name, val in (("benchmark", benchmark), ("threshold", threshold)):
        if val is not None and not 0 <= val <= 1:
            raise ConfigError(f"{'基准线' if name == 'benchmark' else '阈值'}（{name}）应为 0 到 1 之间的比例",
                              expected="如 0.85 表示 85%", found=val, hint="请把百分数写成小数，例如 85% 写作 0.85。")
    problems = []
    per_cohort: dict = {}
    for cohort in sorted(tables_by_cohort):
        t = tables_by_cohort[cohort]
        placement = t.get("placement") if isinstance(t, Mapping) else t
        if placement is None or len(placement) == 0:
            problems.append({"cohort": cohort, "check": "empty_cohort", "message": f"{cohort} 届没有数据，未参加预警"})
            continue
        maj = placement[placement["level"] == "major"].set_index("group")
        if maj.empty:
            problems.append({"cohort": cohort, "check": "no_major_rows",
                             "message": f"{cohort} 届没有按专业的结果（请用 by 含 major）"})
            continue
        rec = pd.DataFrame(index=maj.index)
        rec["college"] = maj["college"]
        rec["value"] = maj[metric]
        rec["unemployed_count"] = maj["unemployed_count"] if "unemployed_count" in maj else np.nan
        rec["income"] = np.nan
        rec["job_sat"] = np.nan
        if isinstance(t, Mapping):
            inc = t.get("income")
            if inc is not None and len(inc):
                rec["income"] = inc[inc["level"] == "major"].set_index("group")["mean"].reindex(rec.index)
            jq = t.get("job_quality")
            if jq is not None and len(jq):
                jqm = jq[(jq["level"] == "major") & (jq["item"] == "job_sat__overall")].set_index("group")
                rec["job_sat"] = jqm["rate"].reindex(rec.index)
        per_cohort[cohort] = rec
    rule = _CARD_RULE.format(years=card_years)
    cols = ["major", "college", "latest_cohort"]
    if not per_cohort:
        out = pd.DataFrame(columns=cols + ["card", "note"])
        out.attrs.update({"rule": rule, "problems": problems, "title": TABLE_TITLES["warnings"]})
        return out
    cohorts = list(per_cohort)
    latest = cohorts[-1]
    majors = sorted(set().union(*[set(r.index) for r in per_cohort.values()]))
    rows = []
    for m in majors:
        row = {"major": m, "college": next((per_cohort[c].loc[m, "college"] for c in reversed(cohorts)
                                            if m in per_cohort[c].index), np.nan)}
        present = [c for c in cohorts if m in per_cohort[c].index and pd.notna(per_cohort[c].loc[m, "value"])]
        row["latest_cohort"] = present[-1] if present else np.nan
        for c in cohorts:
            row[f"{metric}_{c}"] = per_cohort[c].loc[m, "value"] if m in per_cohort[c].index else np.nan
        notes = []
        latest_value = row[f"{metric}_{latest}"]
        row["benchmark"] = benchmark
        if benchmark is None:
            row["below_benchmark"] = pd.NA
        elif pd.isna(latest_value):
            row["below_benchmark"] = pd.NA
            notes.append(f"{latest} 届无数据或样本不足，无法与基准线比较")
        else:
            row["below_benchmark"] = bool(latest_value < benchmark)
        run = 0
        for c in reversed(cohorts):
            v = row[f"{metric}_{c}"]
            if pd.isna(v):
                if run < consecutive:
                    notes.append(f"{c} 届无数据或样本不足，连续年数在此中断")
                break
            if v < threshold:
                run += 1
            else:
                break
        row["years_below_threshold"] = run
        row["below_threshold_consecutive"] = run >= consecutive
        recent = [c for c in cohorts[-card_years:]]
        vals = {k: [per_cohort[c].loc[m, k] for c in recent if m in per_cohort[c].index] for k in
                ("value", "income", "job_sat", "unemployed_count")}
        for k in ("value", "income", "job_sat"):
            arr = [x for x in vals[k] if pd.notna(x)]
            row[f"_avg_{k}"] = float(np.mean(arr)) if arr else np.nan
        un = [x for x in vals["unemployed_count"] if pd.notna(x)]
        row["unemployed_count"] = float(np.sum(un)) if un else np.nan
        row["note"] = "；".join(notes)
        rows.append(row)
    out = pd.DataFrame(rows)
    comps = []
    for k in ("value", "income", "job_sat"):
        col = f"_avg_{k}"
        if out[col].notna().any():
            comps.append(out[col].rank(pct=True, method="average"))
    score = pd.concat(comps, axis=1).mean(axis=1, skipna=True) if comps else pd.Series(np.nan, index=out.index)
    score = score.where(out["_avg_value"].notna())
    out["score"] = score
    ok = score.notna() & out["unemployed_count"].notna()
    cards = pd.Series("样本不足", index=out.index, dtype=object)
    if ok.any():
        q1, med_s, q3 = np.quantile(score[ok], [0.25, 0.5, 0.75])
        med_u = float(np.median(out.loc[ok, "unemployed_count"]))
        s, u = score[ok], out.loc[ok, "unemployed_count"]
        worst = s <= q1
        red = worst & (u > med_u)
        yellow = ~red & (worst | ((s < med_s) & (u > med_u)))
        green = (s >= q3) & (u <= med_u) & ~red & ~yellow
        c = pd.Series("无", index=s.index, dtype=object)
        c[yellow] = "黄牌"
        c[red] = "红牌"
        c[green] = "绿牌"
        cards[ok] = c
        thresholds = {"score_q1": float(q1), "score_median": float(med_s), "score_q3": float(q3),
                      "unemployed_median": med_u}
    else:
        thresholds = {}
    out["card"] = cards
    out = out.drop(columns=[c for c in out.columns if c.startswith("_avg_")])
    order = {"红牌": 0, "黄牌": 1, "无": 2, "绿牌": 3, "样本不足": 4}
    out = out.sort_values(["card", "score"], key=lambda s: s.map(order) if s.name == "card" else s,
                          na_position="last").reset_index(drop=True)
    out.attrs.update({
        "title": TABLE_TITLES["warnings"], "rule": rule, "thresholds": thresholds,
        "benchmark": benchmark, "threshold": threshold, "consecutive": consecutive, "metric": metric,
        "cohorts": cohorts,
        "flag_rule": (f"低于基准线：最近一届（{latest}）{LABELS.get(metric, metric)}低于用户给定的基准线"
                      f"{'' if benchmark is None else f' {benchmark:.1%}'}；连续低于阈值：截至最近一届连续 "
                      f"{consecutive} 届及以上低于 {threshold:.0%}。"),
        "problems": problems,
    })
    for p in problems:
        logger.warning(p["message"])
    return out
