"""Are majors different?  Respondent-level metric values and the tests across groups."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import ConfigError
from ..stats import bh_adjust, numeric, stripped
from ..stats.significance import group_tests
from .base import Survey, destination_flags, income_in_work, prepare, require, resolve
from .job_quality import changed_jobs
from .labels import RATING_ITEMS, TABLE_TITLES, metric_label

__all__ = ["compare_majors", "metric_values", "BINARY_PLACEMENT"]

BINARY_PLACEMENT = {"placement_rate": "placed", "employment_rate": "employed", "flexible_rate": "flexible",
                    "further_study_domestic_rate": "further_domestic", "abroad_rate": "abroad",
                    "unemployed_rate": "unemployed"}
_RATING_PREFIXES = ("teach__", "job_sat__", "gimp__", "greq__", "gown__")


def _is_rating(col: str) -> bool:
    return col in RATING_ITEMS or col == "school_satisfaction" or str(col).startswith(_RATING_PREFIXES)


def metric_values(s: Survey, metric: str) -> tuple[str, np.ndarray]:
    """``(kind, values)`` per respondent: kind ``binary`` (1/0/NaN), ``categorical`` (labels,
    None outside the base) or ``continuous`` (numbers, NaN outside the base)."""
    df = s.df
    if metric in BINARY_PLACEMENT:
        return "binary", destination_flags(s).rates[BINARY_PLACEMENT[metric]]
    if metric == "destination":
        flags = destination_flags(s)
        lab = stripped(df["destination"]).to_numpy(dtype=object)
        return "categorical", np.where(flags.in_base, lab, None)
    if metric in ("recommend_rate", "recommend"):
        require(df, ["recommend"])
        known = s.is_label("recommend", ("愿意", "不确定", "不愿意"))
        if metric == "recommend":
            return "categorical", np.where(known, stripped(df["recommend"]).to_numpy(dtype=object), None)
        return "binary", np.where(known, s.is_label("recommend", ("愿意",)).astype(float), np.nan)
    if metric == "turnover_rate":
        require(df, ["job_changes", "destination"])
        return "binary", np.where(destination_flags(s).in_work, changed_jobs(s), np.nan)
    if metric == "income":
        require(df, ["income", "destination"])
        return "continuous", income_in_work(s, destination_flags(s))[0]
    col = metric[:-5] if metric.endswith("_rate") and _is_rating(metric[:-5]) else metric
    if _is_rating(col) and col in df.columns:
        x = numeric(df[col])
        if col in RATING_ITEMS and "destination" in df.columns:
            x = np.where(destination_flags(s).in_work, x, np.nan)
        if col != metric:
            return "binary", np.where(np.isnan(x), np.nan, (x >= s.design.top_box).astype(float))
        return "continuous", x
    raise ConfigError(
        "未知的指标（metric）",
        expected="placement_rate、employment_rate、unemployed_rate、destination、recommend_rate、turnover_rate、"
                 "income、relevance、relevance_rate、job_sat__overall_rate、teach__classroom 等",
        found=metric,
    )


def _present(values: np.ndarray) -> np.ndarray:
    if values.dtype == object:
        return pd.notna(values)
    return ~np.isnan(values)


def _one_metric(s: Survey, metric: str, key: tuple) -> tuple[dict, list[dict]]:
    d = s.design
    kind, v = metric_values(s, metric)
    gcodes, labels = key
    ok = _present(v) & (gcodes >= 0)
    if s.w is not None:
        ok &= s.w > 0
    sizes = np.bincount(gcodes[ok], minlength=len(labels))
    keep = sizes >= d.min_cell
    dropped = sorted(str(labels[k]) for k in np.flatnonzero((sizes > 0) & ~keep))
    note = f"样本量少于 {d.min_cell} 的组未参加检验：{'、'.join(dropped)}" if dropped else ""
    ok &= keep[np.maximum(gcodes, 0)] & (gcodes >= 0)
    base = {"metric": metric, "test": "卡方检验（chi-square）" if kind != "continuous" else "Kruskal–Wallis 检验",
            "effect_measure": "Cramér's V" if kind != "continuous" else "ε²"}
    if keep.sum() < 2:
        return ({**base, "comparison": "各专业之间", "n": int(ok.sum()), "statistic": np.nan, "dof": np.nan,
                 "p_value": np.nan, "effect_size": np.nan,
                 "note": (note + "；" if note else "") + "可比较的组少于 2 个"}, [])
    kept = np.flatnonzero(keep)
    remap = np.full(len(labels), -1, dtype=np.intp)
    remap[kept] = np.arange(len(kept))
    codes, vv = remap[gcodes[ok]], v[ok]
    wv = None if s.w is None else s.w[ok]
    answers = vv.astype(float) if kind == "continuous" else pd.factorize(vv.astype(str) if kind == "categorical"
                                                                         else vv)[0]
    (stat, dof, p, eff), per_group = group_tests(codes, answers, "continuous" if kind == "continuous" else "table", wv)
    omni = {**base, "comparison": "各专业之间", "n": int(ok.sum()), "statistic": stat, "dof": dof, "p_value": p,
            "effect_size": eff, "group_value": np.nan, "rest_value": np.nan, "note": note}
    numeric = kind != "categorical"
    w = np.ones(len(vv)) if wv is None else wv
    sw = np.bincount(codes, weights=w, minlength=len(kept))
    swx = np.bincount(codes, weights=w * vv.astype(float), minlength=len(kept)) if numeric else None
    pairs = []
    for k in sorted(range(len(kept)), key=lambda k: (-sizes[kept[k]], str(labels[kept[k]]))):
        stat, dof, p, eff = per_group[k]
        gv = swx[k] / sw[k] if numeric else np.nan
        rv = (swx.sum() - swx[k]) / (sw.sum() - sw[k]) if numeric else np.nan
        pairs.append({**base, "comparison": str(labels[kept[k]]), "n": int(sizes[kept[k]]), "statistic": stat,
                      "dof": dof, "p_value": p, "effect_size": eff, "group_value": gv, "rest_value": rv, "note": ""})
    return omni, pairs


def compare_majors(df: pd.DataFrame, metrics="placement_rate", design: Design | None = None, *,
                   group: str = "major", **overrides) -> pd.DataFrame:
    """Omnibus test across majors and each major against the rest, for each metric.

    Shares and categories use Pearson's chi-square test of the group × answer table (no
    continuity correction) with Cramér's V; scores and income the Kruskal–Wallis test with
    ε² = H / (n − 1).  Weighted, both get a first-order design-effect correction (see
    :mod:`survey_analysis.stats.significance`).  p-values are BH-adjusted: the omnibus rows
    across ``metrics``, the "one major vs the rest" rows within each metric.  Groups with fewer
    than ``min_cell`` valid answers are left out (named in ``note``, without their size).

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 10 + ["乙"] * 10,
    ...                   "destination": ["在国内工作"] * 9 + ["暂不就业"] + ["在国内工作"] * 2 + ["暂不就业"] * 8})
    >>> r = compare_majors(d, "placement_rate")
    >>> bool(r.loc[0, "p_value"] < 0.01)
    True
    """
    design = resolve(design, **overrides)
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    require(df, [group])
    s = _survey(df, design)
    key = s.codes(group)  # (codes, labels): the groups as integers (-1 = missing)
    omni, pairs = [], []
    for metric in metrics:
        o, p = _one_metric(s, metric, key)
        if p:
            adj = bh_adjust([r["p_value"] for r in p])
            for r, a in zip(p, adj):
                r["p_adj"] = float(a)
        omni.append(o)
        pairs.extend(p)
    for r, a in zip(omni, bh_adjust([r["p_value"] for r in omni])):
        r["p_adj"] = float(a)
    cols = ["metric", "comparison", "n", "group_value", "rest_value", "test", "statistic", "dof", "p_value",
            "p_adj", "effect_size", "effect_measure", "significant", "note"]
    out = pd.DataFrame(omni + pairs, columns=cols)
    out["significant"] = (out["p_adj"] < design.alpha).where(out["p_adj"].notna())
    out.insert(1, "metric_label", out["metric"].map(metric_label))
    weighting = ({"weighted": False, "weighting": "未加权（检验假定简单随机抽样）"} if s.w is None else
                 {"weighted": True, "weight_col": design.weight,
                  "weighting": (s.df.attrs.get("weighting") or f"加权，权重列「{design.weight}」。")
                  + " 检验按 Kish 设计效应作一阶校正：卡方由加权比例按有效样本量计算，H 除以 deff。"})
    out.attrs.update({
        "title": TABLE_TITLES["comparisons"], "alpha": design.alpha, **weighting,
        "method": "比例和类别：Pearson 卡方检验（无连续性校正），效应量 Cramér's V；评分和收入：Kruskal–Wallis 检验，"
                  "效应量 ε² = H/(n−1)；p 值经 Benjamini–Hochberg 校正（各指标的总体检验之间、同一指标的"
                  "“某专业 vs 其他专业”比较之间）。group_value/rest_value 对比例是占比，对评分和收入是均值。",
        "definition": design.placement.describe(),
    })
    return out


def _survey(df: pd.DataFrame, design: Design) -> Survey:
    """A Survey without school/college/major grouping needs (only the comparison column)."""
    return prepare(df, design.replace(levels=("school",)))
