"""Course evaluation from the graduate survey: 核心课程重要度与满足度 (新锦成 style), by major.

The graduate questionnaire rates each core course twice: its importance for the graduate's work
or study (``course_imp__<k>``, 很重要 … 很不重要) and how far it met their needs
(``course_sat__<k>``, 完全满足 … 完全没满足).  ``<k>`` is either a slot number — the k-th core
course of the respondent's major in the programme's order (the built-in questionnaire shows the
major's core courses in that order) — or a course name (a course-rating matrix mapped with a
YAML mapping file, rows named by course).

Per major and course (every estimate through the statistics kernel, weighted when the design
is, hidden when fewer than ``min_cell`` rated it):

* importance: mean score (5 = 很重要) with its t interval, and the share rating it 很重要 or 重要;
* 满足度: the share answering 完全满足, 大部分满足 or 基本满足 (新锦成: the top three of five)
  with its Wilson interval, and the mean score;
* a course is **important but unsatisfying** when its mean importance is at least
  ``settings.min_importance`` and the upper end of its 满足度 interval lies below the school's
  pooled 满足度 over all courses rated (the reference line).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..design import Design
from ..stats import GroupIndex, group_means, group_shares, long_table, numeric, weighted_share, weights_of
from .mapping import norm
from .model import CourseSettings, Programme

__all__ = ["course_ratings", "rated_courses", "MET_MIN", "IMPORTANT_MIN"]

#: 满足度: scores ≥ 3 (完全满足, 大部分满足, 基本满足 — 新锦成's top three of five)
MET_MIN = 3.0
#: the share rating a course important: scores ≥ 4 (很重要, 重要)
IMPORTANT_MIN = 4.0
_COLS = ["level", "group", "college", "slot", "course", "core_order", "n_importance", "importance_mean",
         "importance_low", "importance_high", "important_share", "n", "met", "met_low", "met_high",
         "satisfaction_mean", "reference", "important", "unsatisfying", "flag", "suppressed"]


def rated_courses(data: pd.DataFrame) -> list[str]:
    """The course keys rated in ``data`` (``course_imp__<k>`` / ``course_sat__<k>``), in column order."""
    keys = []
    for c in map(str, data.columns):
        m = re.match(r"course_(?:imp|sat)__(.+)$", c)
        if m and m.group(1) not in keys:
            keys.append(m.group(1))
    return keys


def _col(data, name) -> np.ndarray:
    return numeric(data[name]) if name in data.columns else np.full(len(data), np.nan)


def _course_of(programme: Programme | None, major: str, key: str) -> tuple[str | None, float]:
    if key.isdigit():
        if programme is None:
            return f"核心课程{key}", float(key)
        core = programme.core_courses(major)
        k = int(key)
        return (core[k - 1], float(k)) if 1 <= k <= len(core) else (None, np.nan)
    if programme is not None:
        c = programme.courses[programme.courses["major"] == major]
        hit = c[(c["course"].map(norm) == norm(key)) | (c["course_code"].map(norm) == norm(key))]
        if len(hit):
            return str(hit["course"].iloc[0]), float(hit["core_order"].iloc[0]) if pd.notna(hit["core_order"].iloc[0]) \
                else np.nan
    return key, np.nan


def course_ratings(data: pd.DataFrame, programme: Programme | None = None, design: Design | None = None, *,
                   settings: CourseSettings | None = None, **overrides) -> pd.DataFrame:
    """Importance and 满足度 of every rated course, per major, with intervals.

    Parameters
    ----------
    data : DataFrame
        Cleaned graduate survey with ``course_imp__<k>`` / ``course_sat__<k>`` scores (5 = best).
    programme : Programme, optional
        Resolves slot numbers to the major's core courses (without it slots stay "核心课程k").
    design : Design, optional
        Weight, conf, min_cell (keyword overrides allowed); only the major level is used: each
        course is rated by its own major's graduates.
    settings : CourseSettings, optional
        ``min_importance`` of the "important but unsatisfying" flag.

    Returns
    -------
    DataFrame
        One row per major and course: ``level, group, college, slot, course, core_order,
        n_importance, importance_mean, importance_low, importance_high, important_share, n``
        (rated its 满足度), ``met, met_low, met_high, satisfaction_mean, reference`` (the school's
        pooled 满足度), ``important, unsatisfying, flag`` ("重要但满足度偏低" or ""),
        ``suppressed``.  Empty when the survey rates no course.
    """
    design = Design.resolve(design, **overrides)
    s = settings or CourseSettings()
    keys = rated_courses(data)
    if not keys or design.major not in data.columns:
        out = pd.DataFrame(columns=_COLS)
        out.attrs["notes"] = ["毕业生调查中没有核心课程评价题（course_imp__ / course_sat__）。"]
        return out
    d = design.replace(levels=("major",))
    index = GroupIndex.build(data, d)
    w = weights_of(data, d)
    imp_items, sat_items, pooled, pooled_w = [], [], [], []
    for k in keys:
        imp, sat = _col(data, f"course_imp__{k}"), _col(data, f"course_sat__{k}")
        mi = group_means(index, imp, w, conf=d.conf)
        si = group_shares(index, np.where(np.isnan(imp), np.nan, imp >= IMPORTANT_MIN), w, conf=d.conf)
        ms = group_shares(index, np.where(np.isnan(sat), np.nan, sat >= MET_MIN), w, conf=d.conf)
        mm = group_means(index, sat, w, conf=d.conf)
        imp_items.append(({"slot": k}, {"importance_mean": mi.mean, "importance_low": mi.low,
                                        "importance_high": mi.high, "important_share": si.share}, mi.n))
        sat_items.append(({"slot": k}, {"met": ms.share, "met_low": ms.low, "met_high": ms.high,
                                        "satisfaction_mean": mm.mean}, ms.n))
        ok = ~np.isnan(sat)
        pooled.append((sat[ok] >= MET_MIN).astype(float))
        pooled_w.append(np.ones(int(ok.sum())) if w is None else w[ok])
    ti = long_table(index, imp_items, design=d).rename(columns={"n": "n_importance", "suppressed": "_hid_imp"})
    ts = long_table(index, sat_items, design=d)
    out = ts.merge(ti[["group", "slot", "n_importance", "importance_mean", "importance_low", "importance_high",
                       "important_share", "_hid_imp"]], on=["group", "slot"], how="left")
    out["suppressed"] = out["suppressed"].astype(bool) | out["_hid_imp"].fillna(False).astype(bool)
    ref = weighted_share(np.concatenate(pooled), None if w is None else np.concatenate(pooled_w), conf=d.conf).share
    resolved = [_course_of(programme, m, k) for m, k in zip(out["group"], out["slot"])]
    out["course"] = [r[0] for r in resolved]
    out["core_order"] = [r[1] for r in resolved]
    asked = (out["n"].fillna(0) > 0) | (out["n_importance"].fillna(0) > 0) | out["suppressed"]
    out = out[out["course"].notna() & asked].copy()
    out["reference"] = ref
    out["important"] = out["importance_mean"] >= s.min_importance
    out["unsatisfying"] = out["met_high"] < ref
    out["flag"] = np.where(out["important"] & out["unsatisfying"], "重要但满足度偏低", "")
    out = out[_COLS].reset_index(drop=True)
    out.attrs.update({"definition": (
        f"重要度：5 分制均值（5 = 很重要）及其 {d.conf_label} 置信区间，“重要比例”为选择很重要或重要的比例；满足度："
        f"选择完全满足、大部分满足或基本满足的比例（新锦成口径，五级中的前三级）及其 Wilson 置信区间。参照线为全校所有核心课程评价"
        f"合并的满足度 {ref:.1%}；平均重要度 ≥ {s.min_importance:g} 且满足度置信区间上限低于参照线的课程标为“重要但满足度偏低”。"),
        "reference": float(ref), "suppression_note": ts.attrs.get("suppression_note", ""), "conf": d.conf,
        "notes": [] if programme is not None else ["未提供培养方案：核心课程以题目中的序号表示。"]})
    return out
