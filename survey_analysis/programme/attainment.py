"""毕业要求达成度间接评价: graduates' and employers' ratings turned into an attainment value per
major and requirement, against the programme's threshold.

For a requirement *r* of major *m* mapped to competencies *C* (``Programme.links``), and a source
(graduates: ``gown__c``, the level reached at graduation; employers: ``sat__c``, satisfaction
with the major's graduates):

1. each rating score is given its value (``CourseSettings.attainment_values``; default score / 5);
2. each respondent's value for *r* is the mean over the competencies of *C* they rated;
3. the source's attainment is the (weighted) mean of those values over the major's respondents,
   with its t interval, through the statistics kernel (hidden below ``min_cell``);
4. the combined attainment is ``Σ w_s · a_s / Σ w_s`` over the sources present
   (``attainment_weights``), with standard error ``sqrt(Σ (w_s / Σw)² · se_s²)`` (independent
   samples) and a normal interval.

Status: 达成 when the interval lies at or above the threshold, 未达成 when it lies below, 接近
阈值 when it contains it; requirements whose competencies no question rates are listed with no value.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..design import Design
from ..stats import GroupIndex, group_means, long_table, numeric, weights_of, z_value
from .model import CourseSettings, Programme

__all__ = ["attainment", "ATTAINMENT_STATUS"]

ATTAINMENT_STATUS = ("达成", "接近阈值", "未达成", "无评价数据")
_SOURCES = {"graduates": ("gown__", "毕业生"), "employers": ("sat__", "用人单位")}
_COLS = ["level", "group", "college", "requirement", "label", "name", "competencies", "rated", "threshold",
         "n_graduates", "graduates", "graduates_low", "graduates_high",
         "n_employers", "employers", "employers_low", "employers_high",
         "value", "low", "high", "status", "suppressed"]


def _values(scores: np.ndarray, table) -> np.ndarray:
    lookup = np.full(7, np.nan)
    for k, v in table.items():
        lookup[int(k)] = float(v)
    s = np.where(np.isfinite(scores), np.clip(np.rint(scores), 0, 6), 0).astype(int)
    return np.where(np.isfinite(scores), lookup[s], np.nan)


def _source(frame: pd.DataFrame | None, prefix: str, sets: list, design: Design, settings: CourseSettings,
            weighted: bool) -> pd.DataFrame | None:
    """Per major and competency set: n, mean, interval, sd and n_eff of one source."""
    if frame is None or design.major not in frame.columns or not len(frame):
        return None
    d = design.replace(levels=("major",), weight=design.weight if weighted else None)
    index = GroupIndex.build(frame, d)
    w = weights_of(frame, d)
    items = []
    for comps in sets:
        cols = [f"{prefix}{c}" for c in comps if f"{prefix}{c}" in frame.columns]
        if not cols:
            continue
        vals = np.column_stack([_values(numeric(frame[c]), settings.attainment_values) for c in cols])
        k = np.sum(~np.isnan(vals), axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            per = np.where(k > 0, np.nansum(vals, axis=1) / np.maximum(k, 1), np.nan)
        m = group_means(index, per, w, conf=d.conf)
        items.append(({"_set": "|".join(comps)}, {"mean": m.mean, "low": m.low, "high": m.high, "sd": m.sd, "n_eff": m.n_eff}, m.n))
    if not items:
        return None
    return long_table(index, items, design=d)


def _pick(t: pd.DataFrame | None, major: str, comps: tuple) -> dict:
    if t is None:
        return {}
    r = t[(t["group"] == major) & (t["_set"] == "|".join(comps))]
    return r.iloc[0].to_dict() if len(r) else {}


def attainment(programme: Programme, graduates: pd.DataFrame | None = None, employers: pd.DataFrame | None = None,
               design: Design | None = None, *, settings: CourseSettings | None = None, colleges: dict | None = None,
               **overrides) -> pd.DataFrame:
    """Indirect attainment of every requirement of every programme major.

    Parameters
    ----------
    programme : Programme
        Majors named as in the surveys; requirements linked to competency ids.
    graduates : DataFrame, optional
        Cleaned graduate survey of the report cohort (``gown__<competency>``; weighted when the
        design has a weight column).
    employers : DataFrame, optional
        Cleaned employer survey (``sat__<competency>``, grouped by the major it hires most).
    design : Design, optional
        conf, min_cell, weight (graduates only); keyword overrides allowed.
    settings : CourseSettings, optional
        Score values, source weights, default threshold (the programme's own threshold wins).

    Returns
    -------
    DataFrame
        One row per major and requirement: ``level, group, college, requirement, label, name``
        (as a sentence names it: "10 沟通", "创新能力"), ``competencies`` (names), ``rated`` (the rated ones), ``threshold``, per source ``n_*``,
        value and interval, the combined ``value, low, high``, ``status``
        (:data:`ATTAINMENT_STATUS`), ``suppressed`` (every source hidden).  ``attrs["formula"]``
        states the formula.
    """
    design = Design.resolve(design, **overrides)
    s = settings or CourseSettings()
    links = programme.links
    req = programme.requirements
    sets = sorted({tuple(sorted(g["competency_id"])) for _, g in links.groupby(["major", "requirement"])})
    tables = {"graduates": _source(graduates, "gown__", sets, design, s, weighted=True),
              "employers": _source(employers, "sat__", sets, design, s, weighted=False)}
    z = z_value(design.conf)
    names = dict(zip(links["competency_id"], links["competency"]))
    rows = []
    for r in req.itertuples():
        comps = tuple(sorted(links.loc[(links["major"] == r.major) & (links["requirement"] == r.requirement),
                                       "competency_id"]))
        name = r.requirement if str(r.requirement) == str(r.label) else f"{r.requirement} {r.label}"
        row = {"level": "major", "group": r.major, "college": (colleges or {}).get(r.major), "requirement": r.requirement,
               "label": r.label, "name": name, "competencies": "、".join(names[c] for c in comps), "threshold": r.threshold}
        rated, num, var, wsum, hidden, present = set(), 0.0, 0.0, 0.0, 0, 0
        for src, (prefix, _) in _SOURCES.items():
            t = tables[src]
            p = _pick(t, r.major, comps)
            frame = graduates if src == "graduates" else employers
            rated |= {c for c in comps if frame is not None and f"{prefix}{c}" in frame.columns}
            row[f"n_{src}"] = p.get("n")
            row[src], row[f"{src}_low"], row[f"{src}_high"] = p.get("mean"), p.get("low"), p.get("high")
            if p and bool(p.get("suppressed")):
                hidden += 1
            wt = float(s.attainment_weights.get(src, 0.0))
            if p and not bool(p.get("suppressed")) and pd.notna(p.get("mean")) and wt > 0:
                present += 1
                se = p["sd"] / np.sqrt(p["n_eff"]) if p.get("n_eff", 0) > 1 and pd.notna(p.get("sd")) else np.nan
                num += wt * p["mean"]
                var += wt * wt * se * se
                wsum += wt
        row["rated"] = "、".join(names[c] for c in comps if c in rated)
        if present:
            v = num / wsum
            se = np.sqrt(var) / wsum
            row.update(value=v, low=v - z * se, high=v + z * se)
            row["status"] = ("达成" if row["low"] >= r.threshold else "未达成" if row["high"] < r.threshold else "接近阈值")
        else:
            row.update(value=np.nan, low=np.nan, high=np.nan, status="无评价数据")
        row["suppressed"] = bool(hidden and not present)
        rows.append(row)
    out = pd.DataFrame(rows, columns=_COLS)
    for c in ("n_graduates", "n_employers"):
        out[c] = pd.to_numeric(out[c], errors="coerce").round().astype("Int64")
    out.attrs.update({"formula": s.formula(), "conf": design.conf,
                      "suppression_note": f"评价人数少于 {design.min_cell} 的专业不单独报告该方的达成值。"})
    return out
