"""Course-level signals: the findings' course tables (:mod:`survey_analysis.programme`) read as
evidence for recommendations that name a course or a module.

* :func:`course_gap` — a competency with a gap by the evidence and its course support
  (无课程支撑 / 仅弱支撑 / 有课程支撑); merges with the competency's other signals (key
  ``competency:…``) and restates their strongest evidence;
* :func:`course_unasked` — strongly supported, nobody asks for it (employer importance below the
  school's line);
* :func:`course_rating` — a core course rated important but unsatisfying by graduates;
* :func:`attainment_below` — a graduation requirement whose indirect attainment is below the
  programme's threshold.
"""
from __future__ import annotations

import numpy as np

from .common import candidate, ci_text, fmt_num, fmt_pct, missing
from .priority import cohen_d_paired, share_effect, steps_effect

__all__ = ["course_gap", "course_unasked", "course_rating", "attainment_below", "course_names"]

_SOURCE_OF = {"用人单位评论": "employer_comments", "用人单位评分（IPA）": "employer_ratings",
              "毕业生能力满足度": "graduate_ratings", "毕业生教学反馈": "graduate_teaching"}


def course_names(text: str, k: int = 3) -> str:
    """The first ``k`` course names of a "《A》、《B》…" list, as "《A》《B》"."""
    names = [x for x in str(text or "").split("、") if x]
    return "".join(names[:k])


def _settings(findings):
    return findings.config.course_settings


def _statuses(cond) -> list:
    st = cond.get("status", ["无课程支撑", "仅弱支撑"])
    return [st] if isinstance(st, str) else list(st)


def _gap_effect(r: dict, s) -> tuple[float, bool]:
    """The strongest standardised effect among a course-gap row's evidence, and whether its
    interval excludes the reference."""
    effects = []
    if not missing(r.get("employer_share")) and r["employer_share"] >= s.gap_min_share:
        ref = r.get("employer_school")
        effects.append((share_effect(r["employer_share"], ref), bool(not missing(ref) and r["employer_low"] > ref)))
    if r.get("ipa_quadrant") == "concentrate" and not missing(r.get("ipa_gap")):
        d = cohen_d_paired(r["ipa_gap"], r["ipa_gap_low"], r["ipa_gap_high"], r.get("ipa_n"), r.get("school_ipa_gap"))
        effects.append((d, bool(not missing(r.get("school_ipa_gap")) and r["ipa_gap_low"] > r["school_ipa_gap"])))
    if not missing(r.get("fulfilment")) and r["fulfilment"] < s.max_fulfilment:
        effects.append((steps_effect(r["fulfilment"], s.max_fulfilment, 0.10), False))
    if not missing(r.get("teaching_share")) and not missing(r.get("teaching_school")):
        effects.append((share_effect(r["teaching_share"], r["teaching_school"]), False))
    effects = [(np.nan_to_num(e, nan=0.0), x) for e, x in effects]
    return max(effects, key=lambda t: t[0] + 0.5 * t[1]) if effects else (0.0, False)


def course_gap(findings, cond, levels, min_cell, ctx) -> list:
    """Gap competencies of each major with their course support (status in ``condition.status``)."""
    t = findings.course_gaps
    if t is None or not len(t) or "major" not in levels:
        return []
    s = _settings(findings)
    want = _statuses(cond)
    min_signals = int(cond.get("min_signals", 1))
    out = []
    for r in t[t["gap"] & t["status"].isin(want) & (t["n_signals"] >= min_signals)].to_dict("records"):
        effect, excl = _gap_effect(r, s)
        sources = tuple(_SOURCE_OF[x] for x in str(r["signals"]).split("、") if x in _SOURCE_OF)
        courses = course_names(r["courses"])
        support = {"无": "没有课程支撑", "弱": "只有弱支撑", "中": "最强为中等支撑", "强": "有强支撑"}[r["support_level"]]
        support_text = ("现行培养方案中没有课程支撑该能力" if not courses else
                        f"现行培养方案中只有 {courses} {'弱' if r['support_level'] == '弱' else ''}支撑")
        ev = (f"培养方案：「{r['competency']}」{support}" + (f"（{r['course_detail']}）" if r["course_detail"] else "")
              + f"；短板证据 {r['n_signals']} 项：{r['signals']}")
        n = next((r.get(c) for c in ("employer_n", "fulfilment_n", "ipa_n", "teaching_n") if not missing(r.get(c))), None)
        out.append(candidate(
            "major", r["group"], r.get("college"), n, None, None, None, "pct", ev, effect=effect, excludes=excl,
            # a gap the programme gives no or only weak course support is corroborated by the
            # programme (a document, independent of the surveys); a supported one is context only
            sources=sources + ("programme_gap" if r["support_level"] in ("无", "弱") else "programme",),
            competency=r["competency_id"], label=r["competency"],
            courses=courses or "（无）", support_text=support_text, status=r["status"], support=r["support_level"], signals=r["signals"],
            n_signals=str(r["n_signals"]), requirements=r.get("requirements") or "（无）", quote_from="employer"))
    return out


def course_unasked(findings, cond, levels, min_cell, ctx) -> list:
    """Strongly supported competencies whose employer importance lies below the school's line."""
    t = findings.course_gaps
    if t is None or not len(t) or "major" not in levels or "employer_importance" not in t.columns:
        return []
    out = []
    for r in t[t["status"] == "强支撑但需求不明显"].to_dict("records"):
        out.append(candidate(
            "major", r["group"], r.get("college"), r.get("employer_importance_n"), r["employer_importance"], None,
            r.get("employer_importance_high"),
            "float2",
            f"培养方案：「{r['competency']}」由 {int(r['n_strong'])} 门课程强支撑（{r['course_detail']}），"
            f"但用人单位对其重要度评分 {fmt_num(r['employer_importance'])}（置信区间上限 "
            f"{fmt_num(r.get('employer_importance_high'))}）低于全校能力重要度线 {fmt_num(r['importance_line'])}，且无短板信号",
            effect=steps_effect(r["employer_importance"], r["importance_line"], 0.5), excludes=True,
            sources=("employer_ratings",), reference=r["importance_line"], competency=r["competency_id"],
            label=r["competency"], courses=course_names(r["courses"]), importance=fmt_num(r["employer_importance"]),
            line=fmt_num(r["importance_line"]), credits=f"{r['weighted_support']:g}", quote_from=None))
    return out


def _gaps_carried(findings, major: str, course: str) -> list:
    """``[(competency name, signals)]``: gap competencies of ``major`` that ``course`` supports."""
    gc, cg = findings.gap_courses, findings.course_gaps
    if gc is None or cg is None or not len(gc):
        return []
    comps = gc.loc[(gc["group"] == major) & (gc["course"] == course) & (gc["strength"] > 0), "competency_id"]
    rows = cg[(cg["group"] == major) & cg["competency_id"].isin(set(comps)) & cg["gap"]]
    return list(zip(rows["competency"], rows["signals"]))


def course_rating(findings, cond, levels, min_cell, ctx) -> list:
    """Core courses graduates rate important but unsatisfying; effect: the 满足度 against the
    school's pooled 满足度 (log odds ratio).  When the course carries a competency with a gap by
    other evidence (employers, graduates' abilities), that evidence corroborates it."""
    t = findings.course_ratings
    if t is None or not len(t) or "major" not in levels:
        return []
    conf = findings.design.conf
    rows = t[(t["flag"] != "") & ~t["suppressed"].astype(bool)]
    out = []
    for r in rows.to_dict("records"):
        if (r["n"] or 0) < min_cell:
            continue
        carried = _gaps_carried(findings, r["group"], r["course"])
        more = tuple(_SOURCE_OF[x] for _, sig in carried for x in str(sig).split("、") if x in _SOURCE_OF)
        also = ("；该课程支撑的" + "、".join(f"「{c}」" for c, _ in carried) + "也有短板证据（"
                + "、".join(dict.fromkeys(x for _, sig in carried for x in str(sig).split("、"))) + "）") if carried else ""
        imp = ci_text(r["importance_mean"], r["importance_low"], r["importance_high"], "float2", conf)
        out.append(candidate(
            "major", r["group"], r.get("college"), r["n"], r["met"], r["met_low"], r["met_high"], "pct",
            f"毕业生评价核心课程《{r['course']}》：重要度 {imp}，满足度 {ci_text(r['met'], r['met_low'], r['met_high'], 'pct', conf)}"
            f"（全校核心课程 {fmt_pct(r['reference'])}），n={int(r['n'])}{also}",
            effect=share_effect(r["met"], r["reference"]), excludes=bool(r["met_high"] < r["reference"]),
            sources=("graduate_ratings",) + more, reference=r["reference"], course=r["course"],
            importance=fmt_num(r["importance_mean"]), met=fmt_pct(r["met"]), reference_value=fmt_pct(r["reference"]),
            quote_from=None))
    return out


def _requirement_courses(findings, major: str, requirement: str) -> str:
    prog = findings.programme
    if prog is None:
        return ""
    s = prog.support[(prog.support["major"] == major) & (prog.support["requirement"] == requirement)]
    s = s.sort_values("strength", ascending=False, kind="stable")
    return "".join(f"《{c}》" for c in s["course"].head(3))


def attainment_below(findings, cond, levels, min_cell, ctx) -> list:
    """Requirements whose indirect attainment is below the threshold (status in ``condition.status``)."""
    t = findings.attainment
    if t is None or not len(t) or "major" not in levels:
        return []
    want = cond.get("status", ["未达成"])
    want = [want] if isinstance(want, str) else list(want)
    vals = findings.config.course_settings.attainment_values
    step = (max(vals.values()) - min(vals.values())) / 4
    conf = findings.design.conf
    out = []
    for r in t[t["status"].isin(want)].to_dict("records"):
        sources = tuple(s for s, col in (("graduate_ratings", "n_graduates"), ("employer_ratings", "n_employers"))
                        if not missing(r.get(col)) and not missing(r.get(col.replace("n_", ""))))
        n = sum(int(r[c]) for c in ("n_graduates", "n_employers") if not missing(r.get(c)))
        out.append(candidate(
            "major", r["group"], r.get("college"), n, r["value"], r["low"], r["high"], "float2",
            f"毕业要求「{r['name']}」间接评价达成度 {ci_text(r['value'], r['low'], r['high'], 'float2', conf)}，"
            f"低于阈值 {r['threshold']:g}（毕业生 {fmt_num(r.get('graduates'))}，n={r.get('n_graduates')}；"
            f"用人单位 {fmt_num(r.get('employers'))}，n={r.get('n_employers')}）",
            effect=steps_effect(r["value"], r["threshold"], step), excludes=bool(r["high"] < r["threshold"]),
            sources=sources, reference=r["threshold"], requirement=str(r["requirement"]), label=r["label"],
            name=r["name"],
            threshold=f"{r['threshold']:g}", courses=_requirement_courses(findings, r["group"], r["requirement"]) or "（无）",
            competencies=r["rated"], quote_from=None))
    return out
