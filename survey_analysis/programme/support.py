"""From skill gaps to courses: which courses carry each competency, and where the evidence of a
gap meets no (or only weak) course support.

Definitions (thresholds in :class:`~survey_analysis.programme.model.CourseSettings`):

* **Support** of competency *c* in major *m*: the courses that support a requirement mapped to
  *c*, each with the strongest mark it gives (1 = H/●/√, 0.5 = M/◐, 0.3 = L/○).  Weighted
  support = Σ strength × credits (a course without credits counts as 1 credit).  Level: 强 when
  some course supports it with strength ≥ ``strong``; 中 when the strongest is ≥ ``medium``;
  弱 when only weaker marks; 无 when no course.
* **Evidence of a gap** (each an independent signal): employers naming it as lacking in the open
  questions (share ≥ ``gap_min_share`` and count ≥ ``gap_min_count``); the IPA "concentrate here"
  quadrant with the major's importance − satisfaction gap whose interval lies above the school's
  gap; graduates' 能力满足度 below ``max_fulfilment``; graduates choosing a teaching
  improvement linked to it (:data:`TEACHING_LINKS`) more often than the school, the interval
  excluding the school's share.
* **Status**: a gap with no support or only weak support is "无课程支撑"/"仅弱支撑"; with support
  "有课程支撑"; a competency strongly supported by the programme with no gap signal and an
  employer importance whose interval lies below the school's IPA importance line is
  "强支撑但需求不明显" (strongly supported, nobody asks for it).

Every estimate is read from the findings' tables (already hidden where small); a hidden cell
gives no signal.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..design import SCHOOL
from .model import CourseSettings, Programme

__all__ = ["competency_support", "course_gaps", "gap_course_matrix", "TEACHING_LINKS", "STATUS"]

#: teaching-feedback options (graduate questionnaire H2) → the competencies they bear on
TEACHING_LINKS = {
    "实习和实践环节不够": ("practice", "project_experience", "work_experience"),
    "课程内容不实用或陈旧": ("professional", "new_tech", "industry_knowledge"),
}
STATUS = {"none": "无课程支撑", "weak": "仅弱支撑", "supported": "有课程支撑", "unasked": "强支撑但需求不明显"}
_LEVELS = ("无", "弱", "中", "强")
#: capstone components (listed after the courses of the same strength)
CAPSTONE = r"毕业设计|毕业论文|毕业实习|毕业综合实践"


def _course_label(r) -> str:
    bits = [r.mark if isinstance(r.mark, str) and r.mark else f"{r.strength:g}"]
    if pd.notna(r.credits):
        bits.append(f"{r.credits:g} 学分")
    if pd.notna(r.semester):
        bits.append(f"第 {int(r.semester)} 学期")
    return f"《{r.course}》（{'，'.join(bits)}）"


def competency_support(programme: Programme, settings: CourseSettings | None = None) -> pd.DataFrame:
    """Per major and competency: the courses that carry it and how strongly.

    Returns
    -------
    DataFrame
        ``major, competency_id, competency, requirements, n_courses, n_strong, max_strength,
        weighted_support, support_level (强/中/弱/无), courses`` (course names by strength ×
        credits, joined by "、"), ``course_detail`` (with marks, credits and semester).  Every
        competency a requirement of the major maps to has a row (no course: level 无).
    """
    settings = settings or CourseSettings()
    links = programme.links
    cols = ["major", "competency_id", "competency", "requirements", "n_courses", "n_strong", "max_strength",
            "weighted_support", "support_level", "courses", "course_detail"]
    if not len(links):
        return pd.DataFrame(columns=cols)
    reqs = links.groupby(["major", "competency_id"], sort=False)["requirement"].agg(lambda s: "、".join(dict.fromkeys(s)))
    sup = programme.support.merge(links, on=["major", "requirement"])
    sup = sup.merge(programme.courses[["major", "course", "credits", "semester"]], on=["major", "course"], how="left")
    sup = (sup.sort_values("strength", ascending=False, kind="stable")
           .drop_duplicates(["major", "competency_id", "course"]))
    sup["weight"] = sup["strength"] * sup["credits"].fillna(1.0)
    # strongest first, then by credits; the capstone (毕业设计/论文, 毕业实习) after the courses of
    # the same strength: a recommendation names a course that can be changed, not the thesis
    sup["_capstone"] = sup["course"].str.contains(CAPSTONE, regex=True)
    sup = sup.sort_values(["major", "competency_id", "strength", "_capstone", "weight"],
                          ascending=[True, True, False, True, False], kind="stable")
    rows = []
    base = links.drop_duplicates(["major", "competency_id"])
    grouped = {k: g for k, g in sup.groupby(["major", "competency_id"], sort=False)}
    for m, cid, name in base[["major", "competency_id", "competency"]].itertuples(index=False):
        g = grouped.get((m, cid))
        if g is None or not len(g):
            rows.append([m, cid, name, reqs[(m, cid)], 0, 0, 0.0, 0.0, "无", "", ""])
            continue
        mx = float(g["strength"].max())
        level = "强" if mx >= settings.strong else "中" if mx >= settings.medium else "弱"
        rows.append([m, cid, name, reqs[(m, cid)], len(g), int((g["strength"] >= settings.strong).sum()), mx,
                     float(g["weight"].sum()), level, "、".join(f"《{c}》" for c in g["course"]),
                     "；".join(_course_label(r) for r in g.itertuples())])
    return pd.DataFrame(rows, columns=cols)


# ----------------------------------------------------------------------------------------
# evidence
# ----------------------------------------------------------------------------------------
def _level_rows(df: pd.DataFrame | None, level: str) -> pd.DataFrame:
    if df is None or not len(df):
        return pd.DataFrame()
    if "level" in df.columns:
        out = df[df["level"] == level]
    elif "group_by" in df.columns:  # ratings tables
        out = df[(df["group_by"] == level) & (df["group"] != SCHOOL)] if level != "school" else df[df["group"] == SCHOOL]
    else:
        return pd.DataFrame()
    if "suppressed" in out.columns:
        out = out[~out["suppressed"].fillna(False).astype(bool)]
    return out


def _employer(gap_shares, s: CourseSettings) -> pd.DataFrame:
    t = _level_rows(gap_shares, "major")
    sch = _level_rows(gap_shares, "school")
    if not len(t):
        return pd.DataFrame(columns=["group", "competency_id"])
    out = t[["group", "competency_id", "share", "low", "high", "n", "count"]].rename(columns={
        "share": "employer_share", "low": "employer_low", "high": "employer_high", "n": "employer_n",
        "count": "employer_count"})
    out["employer_school"] = out["competency_id"].map(dict(zip(sch["competency_id"], sch["share"])) if len(sch) else {})
    out["sig_employer"] = (out["employer_share"] >= s.gap_min_share) & (out["employer_count"] >= s.gap_min_count)
    return out


def _ipa(ipa) -> pd.DataFrame:
    t = _level_rows(ipa, "major")
    sch = _level_rows(ipa, "school")
    if not len(t):
        return pd.DataFrame(columns=["group", "competency_id"])
    school_gap = dict(zip(sch["competency"], sch["gap"])) if len(sch) else {}
    t = t.assign(n_pair=t["n_pair"] if "n_pair" in t.columns else t["n"])
    out = t[["group", "competency", "quadrant", "gap", "gap_ci_low", "gap_ci_high", "n_pair", "imp_mean"]].rename(
        columns={"competency": "competency_id", "quadrant": "ipa_quadrant", "gap": "ipa_gap", "gap_ci_low": "ipa_gap_low",
                 "gap_ci_high": "ipa_gap_high", "n_pair": "ipa_n", "imp_mean": "employer_importance"})
    out["school_ipa_gap"] = out["competency_id"].map(school_gap)
    out["sig_ipa"] = (out["ipa_quadrant"] == "concentrate") & (out["ipa_gap_low"] > out["school_ipa_gap"])
    if "gap_flag" in t.columns:  # a gap only where the ratings' evidence supports it
        flag = t["gap_flag"].fillna(False).astype(bool).to_numpy()
        out["sig_ipa"] &= flag
        out["ipa_quadrant"] = out["ipa_quadrant"].where(flag, "concentrate_unflagged")
    return out


def _importance(competencies, ipa) -> pd.DataFrame:
    """Employers' importance per major with its interval, and the school's importance line."""
    t = _level_rows(competencies, "major")
    sch = _level_rows(ipa, "school")
    if not len(t) or "imp_ci_high" not in t.columns:
        return pd.DataFrame(columns=["group", "competency_id"])
    line = float(sch["imp_line"].iloc[0]) if len(sch) and "imp_line" in sch.columns else np.nan
    t = t.assign(n_imp=t["n_imp"] if "n_imp" in t.columns else t["n"])
    out = t[["group", "competency", "imp_ci_high", "n_imp"]].rename(columns={
        "competency": "competency_id", "imp_ci_high": "employer_importance_high", "n_imp": "employer_importance_n"})
    out["importance_line"] = line
    return out


def _fulfilment(abilities, s: CourseSettings) -> pd.DataFrame:
    t = _level_rows(abilities, "major")
    if not len(t):
        return pd.DataFrame(columns=["group", "competency_id"])
    out = t[["group", "competency", "fulfilment", "n"]].rename(columns={"competency": "competency_id",
                                                                       "n": "fulfilment_n"})
    out["sig_fulfilment"] = out["fulfilment"] < s.max_fulfilment
    return out


def _teaching(improve, s: CourseSettings) -> pd.DataFrame:
    t = _level_rows(improve, "major")
    sch = _level_rows(improve, "school")
    cols = ["group", "competency_id", "teaching_option", "teaching_share", "teaching_school", "teaching_n", "sig_teaching"]
    if not len(t):
        return pd.DataFrame(columns=cols)
    school = dict(zip(sch["option"], sch["share"])) if len(sch) else {}
    rows = []
    for r in t[t["option"].isin(TEACHING_LINKS)].itertuples():
        ref = school.get(r.option, np.nan)
        sig = bool(r.share - ref >= s.teaching_above_school and r.low > ref) if np.isfinite(ref) else False
        for cid in TEACHING_LINKS[r.option]:
            rows.append([r.group, cid, r.option, r.share, ref, r.n, sig])
    out = pd.DataFrame(rows, columns=cols)
    # one option per competency and major: the one with the larger excess
    return (out.assign(_x=out["teaching_share"] - out["teaching_school"]).sort_values("_x", ascending=False)
            .drop_duplicates(["group", "competency_id"]).drop(columns="_x"))


_SIGNALS = {"sig_employer": "用人单位评论", "sig_ipa": "用人单位评分（IPA）", "sig_fulfilment": "毕业生能力满足度",
            "sig_teaching": "毕业生教学反馈"}


def course_gaps(programme: Programme, *, gap_shares=None, ipa=None, competencies=None, abilities=None, improve=None,
                settings: CourseSettings | None = None, colleges: dict | None = None) -> pd.DataFrame:
    """Per major and competency: the evidence of a gap and the courses that carry the competency.

    Parameters
    ----------
    programme : Programme
        With majors named as in the surveys.
    gap_shares, ipa, competencies, abilities, improve : DataFrame, optional
        The findings' tables (employer gap shares, IPA, employer competency ratings, graduates'
        能力满足度, teaching improvements); a missing table gives no signal.
    settings : CourseSettings, optional
    colleges : dict, optional
        Major → college (for the ``college`` column).

    Returns
    -------
    DataFrame
        ``level`` ("major"), ``group``, ``college``, ``competency_id``, ``competency``, the
        evidence (``employer_share/low/high/n/count``, ``employer_school`` (the school's share), ``ipa_quadrant``, ``ipa_gap/low/high``, ``ipa_n``,
        ``school_ipa_gap``, ``employer_importance``, ``fulfilment``, ``fulfilment_n``,
        ``teaching_option/share/school/n``), ``n_signals``, ``signals`` (their Chinese names),
        ``gap`` (at least one signal), the support (see :func:`competency_support`) and
        ``status`` (:data:`STATUS` values or empty).  Rows: every competency of a programme
        major that has a signal or a course.  ``attrs["definition"]`` states the rules.
    """
    s = settings or CourseSettings()
    sup = competency_support(programme, s).rename(columns={"major": "group"})
    keys = ["group", "competency_id"]
    ev = None
    for part in (_employer(gap_shares, s), _ipa(ipa), _importance(competencies, ipa), _fulfilment(abilities, s),
                 _teaching(improve, s)):
        if not len(part):
            continue
        ev = part if ev is None else ev.merge(part, on=keys, how="outer")
    majors = set(programme.majors)
    out = sup.copy() if ev is None else sup.merge(ev[ev["group"].isin(majors)], on=keys, how="outer")
    for c in _SIGNALS:
        out[c] = out[c].fillna(False).astype(bool) if c in out.columns else False
    from ..text import load_taxonomy

    tax = load_taxonomy()
    names = dict(zip(tax.frame["id"], tax.frame["name"]))
    out["competency"] = out["competency"].fillna(out["competency_id"].map(names)).fillna(out["competency_id"])
    out["n_signals"] = out[list(_SIGNALS)].sum(axis=1).astype(int)
    out["signals"] = out[list(_SIGNALS)].apply(lambda r: "、".join(v for k, v in _SIGNALS.items() if r[k]), axis=1)
    out["gap"] = out["n_signals"] > 0
    out["support_level"] = out["support_level"].fillna("无")
    for c, v in (("n_courses", 0), ("n_strong", 0), ("max_strength", 0.0), ("weighted_support", 0.0), ("courses", ""),
                 ("course_detail", ""), ("requirements", "")):
        out[c] = out[c].fillna(v)
    out["status"] = ""
    out.loc[out["gap"] & (out["support_level"] == "无"), "status"] = STATUS["none"]
    out.loc[out["gap"] & (out["support_level"] == "弱"), "status"] = STATUS["weak"]
    out.loc[out["gap"] & out["support_level"].isin(["中", "强"]), "status"] = STATUS["supported"]
    if "employer_importance_high" in out.columns:
        unasked = (~out["gap"] & (out["support_level"] == "强")
                   & (out["employer_importance_high"] < out["importance_line"]))
        out.loc[unasked, "status"] = STATUS["unasked"]
    out.insert(0, "level", "major")
    out.insert(2, "college", out["group"].map(colleges or {}))
    order = {m: i for i, m in enumerate(programme.majors)}
    out = out.sort_values(["group", "gap", "n_signals", "weighted_support"], ascending=[True, False, False, False],
                          key=lambda x: x.map(order) if x.name == "group" else x, kind="stable")
    out = out.drop(columns=list(_SIGNALS)).reset_index(drop=True)
    out.attrs["definition"] = (
        f"能力短板的证据（任一即计一项信号）：用人单位开放题中指出该能力不足的比例 ≥ {s.gap_min_share:.0%} 且至少 "
        f"{s.gap_min_count} 家；IPA 处于“重点改进区”且本专业重要度–满意度差距的置信区间高于全校的差距；毕业生能力满足度低于 "
        f"{s.max_fulfilment:.0%}；毕业生选择相关教学改进项的比例比全校高 {s.teaching_above_school:.0%} 以上且置信区间不含全校值。"
        f"课程支撑：支撑该能力所对应毕业要求的课程，强度取其标记（H/●/√ = 1，M/◐ = 0.5，L/○ = 0.3），加权支撑 = Σ 强度 × 学分；"
        f"有强支撑（≥ {s.strong:g}）为“强”，最强为 ≥ {s.medium:g} 为“中”，只有更弱的为“弱”。有短板而无课程或只有弱支撑记为“无课程支撑”/“仅弱支撑”；"
        f"强支撑、无任何短板信号、且用人单位重要度的置信区间低于全校 IPA 重要度线的，记为“强支撑但需求不明显”。")
    return out


def gap_course_matrix(gaps: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """The heat map's data: for every gap competency of a major, each course that supports it.

    Returns ``group, competency_id, competency, status, course, strength, credits`` (long; a
    gap without any course has one row with ``course`` empty and ``strength`` 0).
    """
    cols = ["group", "competency_id", "competency", "status", "course", "strength", "credits"]
    g = gaps[gaps["gap"]] if len(gaps) else gaps
    if not len(g):
        return pd.DataFrame(columns=cols)
    sup = programme.support.merge(programme.links, on=["major", "requirement"])
    sup = (sup.sort_values("strength", ascending=False, kind="stable")
           .drop_duplicates(["major", "competency_id", "course"])
           .merge(programme.courses[["major", "course", "credits"]], on=["major", "course"], how="left")
           .rename(columns={"major": "group"}))
    out = g[["group", "competency_id", "competency", "status"]].merge(
        sup[["group", "competency_id", "course", "strength", "credits"]], on=["group", "competency_id"], how="left")
    out["course"] = out["course"].fillna("")
    out["strength"] = out["strength"].fillna(0.0)
    return out[cols].reset_index(drop=True)
