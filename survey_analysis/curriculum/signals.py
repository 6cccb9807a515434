"""The signals of the survey findings: what the evidence says, per major and college.

Each signal function takes ``(findings, condition, levels, min_cell, ctx)`` and returns candidate
dicts (:func:`~survey_analysis.curriculum.common.candidate`) with the evidence sentence, the
figure and its interval, the standardised effect beyond the signal's reference, whether the
interval excludes it, and the independent sources it rests on.  No signal reads a hidden cell.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import wording
from .common import candidate, ci_text, fmt_num, fmt_pct, level_rows, missing, ok_rows, school_row
from .priority import cohen_d_paired, share_effect, steps_effect

__all__ = ["employer_gap", "ipa_signal", "ability_signal", "improve_signal", "placement_low", "rate_signal",
           "card_signal", "theme_signal"]


def _college(ctx, level, group):
    return ctx["college_of"].get(str(group)) if level == "major" else group


def employer_gap(findings, cond, levels, min_cell, ctx) -> list:
    """Employers naming a competency as lacking (share ≥ ``min_share``, count ≥ ``min_count``);
    effect: the standardised effect (log odds ratio) of the group's share against the school's share for that competency."""
    gs = findings.gap_shares
    if gs is None or not len(gs):
        return []
    min_share = float(cond.get("min_share", 0.15))
    min_count = int(cond.get("min_count", 3))
    conf = findings.design.conf
    school = school_row(gs)
    school = dict(zip(school["competency_id"], school["share"])) if len(school) else {}
    out = []
    for level in levels:
        t = ok_rows(level_rows(gs, level), min_cell)
        for r in t.to_dict("records"):
            share, k, n = float(r["share"]), int(r["count"]), int(r["n"])
            if share < min_share or k < min_count:
                continue
            grp, label, lo, hi = r["group"], r["competency"], r["low"], r["high"]
            ref = school.get(r["competency_id"], np.nan)
            out.append(candidate(
                level, grp, _college(ctx, level, grp), n, share, lo, hi, "pct",
                f"用人单位开放题指出「{label}」不足：{k}/{n} 家，{wording.pct_ci(share, lo, hi, conf)}"
                f"（全校 {fmt_pct(ref)}）",
                effect=share_effect(share, ref), excludes=bool(not missing(ref) and lo > ref), sources=("employer_comments",),
                reference=ref, competency=r["competency_id"], label=label, share=fmt_pct(share), count=k,
                reference_value=fmt_pct(ref), quote_from="employer"))
    return out


def ipa_signal(findings, cond, levels, min_cell, ctx) -> list:
    """The IPA "concentrate here" quadrant — only items whose gap the evidence supports
    (``ratings.ipa``'s ``gap_flag``) unless ``require_flag: false``; effect: Cohen's d of the
    major's importance − satisfaction gap against the school's gap for the competency."""
    ipa = findings.ipa
    if ipa is None or not len(ipa):
        return []
    quadrant = cond.get("quadrant", "concentrate")
    min_gap = float(cond.get("min_gap", 0.0))
    school = school_row(ipa)
    school_gap = dict(zip(school["competency"], school["gap"])) if len(school) else {}
    conf = findings.design.conf
    out = []
    for level in levels:
        rows = ok_rows(level_rows(ipa, level), min_cell)
        if not len(rows):
            continue
        rows = rows[rows["quadrant"] == quadrant]
        if cond.get("require_flag", True) and "gap_flag" in rows.columns:
            rows = rows[rows["gap_flag"].fillna(False).astype(bool)]
        for r in rows.to_dict("records"):
            gap = r.get("gap")
            if missing(gap) or gap < min_gap:
                continue
            if min(r.get("n_imp", r["n"]) or 0, r.get("n_sat", r["n"]) or 0) < min_cell:
                continue
            lo, hi = r.get("gap_ci_low"), r.get("gap_ci_high")
            ref = school_gap.get(r["competency"], np.nan)
            out.append(candidate(
                level, r["group"], _college(ctx, level, r["group"]), r["n"], gap, lo, hi, "float2",
                f"重要度–满意度分析（IPA）：重点改进区，重要度 {r['imp_mean']:.2f}、满意度 {r['sat_mean']:.2f}，"
                f"差距 {ci_text(gap, lo, hi, 'float2', conf)}（全校差距 {fmt_num(ref)}），n={int(r['n'])}",
                effect=cohen_d_paired(gap, lo, hi, r.get("n_pair", r["n"]), ref, conf),
                excludes=bool(not missing(lo) and not missing(ref) and lo > ref), sources=("employer_ratings",),
                reference=ref, competency=r["competency"], label=r["label"], importance=fmt_num(r["imp_mean"]),
                performance=fmt_num(r["sat_mean"]), reference_value=fmt_num(ref), quote_from="employer"))
    return out


def ability_signal(findings, cond, levels, min_cell, ctx) -> list:
    """能力满足度 below ``max_fulfilment``; no interval in the table: effect = steps of 10
    percentage points (a MyCOS band) below the line, one band = 0.5."""
    ab = findings.abilities
    if ab is None or not len(ab):
        return []
    maxf = float(cond.get("max_fulfilment", 0.85))
    if maxf > 1:  # a rules file written with percentages (85) before 能力满足度 became a fraction
        maxf /= 100.0
    out = []
    for level in levels:
        for r in ok_rows(level_rows(ab, level), min_cell).to_dict("records"):
            f = r.get("fulfilment")
            if missing(f) or f >= maxf:
                continue
            label = r.get("competency_label") or r["competency"]
            out.append(candidate(
                level, r["group"], r.get("college") if level == "major" else r["group"], r["n"], f, None, None, "pct",
                f"毕业生能力满足度：{fmt_pct(f)}（{r.get('fulfilment_band', '')}；毕业时水平 {r['own_mean']:.2f} / "
                f"岗位要求 {r['required_mean']:.2f}），n={int(r['n'])}",
                effect=steps_effect(f, maxf, 0.10), excludes=None, sources=("graduate_ratings",), reference=maxf,
                competency=r["competency"], label=label, band=r.get("fulfilment_band", ""),
                reference_value=fmt_pct(maxf), quote_from="graduate"))
    return out


def improve_signal(findings, cond, levels, min_cell, ctx) -> list:
    """Graduates choosing a teaching improvement more often than the school; the standardised effect (log odds ratio) against it."""
    t = (findings.teaching or {}).get("improve")
    if t is None or not len(t):
        return []
    option = cond.get("option")
    min_share = float(cond.get("min_share", 0.5))
    above = float(cond.get("min_above_school", 0.0))
    school = school_row(t)
    school = school[school["option"] == option]
    sv = float(school["share"].iloc[0]) if len(school) else float("nan")
    conf = findings.design.conf
    out = []
    for level in levels:
        rows = ok_rows(level_rows(t, level), min_cell)
        rows = rows[rows["option"] == option] if len(rows) else rows
        for r in rows.to_dict("records"):
            s = r["share"]
            if missing(s) or s < min_share or (np.isfinite(sv) and s - sv < above):
                continue
            out.append(candidate(
                level, r["group"], r.get("college") if level == "major" else r["group"], r["n"], s, r["low"], r["high"],
                "pct", f"毕业生认为母校教学最需改进“{option}”：{ci_text(s, r['low'], r['high'], 'pct', conf)}"
                       f"（全校 {fmt_pct(sv)}），n={int(r['n'])}",
                effect=share_effect(s, sv), excludes=bool(np.isfinite(sv) and r["low"] > sv), sources=("graduate_teaching",),
                reference=sv, option=option, share=fmt_pct(s), school_value=fmt_pct(sv), reference_value=fmt_pct(sv),
                quote_from="graduate_any"))
    return out


def placement_low(findings, cond, levels, min_cell, ctx) -> list:
    """The N-years-running placement warning; the standardised effect (log odds ratio) of the latest rate against the threshold."""
    w = findings.warnings
    if w is None or not len(w) or "below_threshold_consecutive" not in w.columns:
        return []
    cfg = findings.config
    thr = cfg.warning_threshold
    pl = ok_rows(level_rows((findings.outcomes or {}).get("placement", pd.DataFrame()), "major"), min_cell)
    by = {r["group"]: r for r in pl.to_dict("records")} if len(pl) else {}
    rate_cols = sorted(c for c in w.columns if c.startswith("placement_rate_") and c[-4:].isdigit())
    out = []
    for r in w.to_dict("records"):
        if not bool(r["below_threshold_consecutive"] or False):
            continue
        major = str(r["major"])
        if major not in by:  # the latest cohort's cell is suppressed or missing: no basis
            continue
        years = int(r.get("years_below_threshold") or 0)
        hist = "、".join(f"{c[-4:]} 届 {fmt_pct(r[c])}" for c in rate_cols if pd.notna(r[c]))
        latest = int(r.get("latest_cohort") or findings.cohort or 0)
        val = r.get(f"placement_rate_{latest}")
        lo, hi = by[major]["placement_rate_low"], by[major]["placement_rate_high"]
        out.append(candidate(
            "major", major, r.get("college"), by[major]["n"], val, lo, hi, "pct",
            f"专业预警：就业去向落实率连续 {years} 年低于 {fmt_pct(thr)}（{hist}）",
            effect=share_effect(val, thr), excludes=bool(not missing(hi) and hi < thr), sources=("graduate_outcomes",),
            reference=thr, years=years, threshold=fmt_pct(thr), history=hist, cohort=latest,
            reference_value=fmt_pct(thr), quote_from=None))
    return out


_WHAT = {"placement": "就业去向落实率", "turnover": "离职率"}


def _replicated(findings, table_name, rate, it, item_col, level, group, low_is_bad) -> list:
    """Earlier cohorts (independent samples) where the group also differs from its school in the
    same direction with the interval excluding the school's value: ``[(cohort, value, school)]``."""
    out = []
    for cohort, tables in sorted((findings.outcomes_by_cohort or {}).items(), reverse=True):
        if cohort == findings.cohort:
            continue
        t = tables.get(table_name)
        if t is None or not len(t) or rate not in t.columns:
            continue
        if it is not None and item_col in t.columns:
            t = t[t[item_col] == it]
        sch = school_row(t)
        row = ok_rows(level_rows(t, level), 1)
        row = row[row["group"] == group] if len(row) else row
        if not len(sch) or not len(row):
            continue
        r, sv = row.iloc[0], float(sch[rate].iloc[0])
        lo, hi = r.get(f"{rate}_low", r.get("rate_low")), r.get(f"{rate}_high", r.get("rate_high"))
        if (low_is_bad and not missing(hi) and hi < sv) or (not low_is_bad and not missing(lo) and lo > sv):
            out.append((cohort, float(r[rate]), sv))
    return out


def rate_signal(table_name, rate, *, low_is_bad=True, item=None, item_col="item"):
    """A share per group against the school (or the benchmark for placement); the standardised effect (log odds ratio)."""
    def sig(findings, cond, levels, min_cell, ctx) -> list:
        src = (findings.outcomes or {}).get(table_name)
        if src is None or not len(src):
            return []
        it = cond.get("item", item)
        if it is not None and item_col in src.columns:
            src = src[src[item_col] == it]
        school = school_row(src)
        sv = float(school[rate].iloc[0]) if len(school) else float("nan")
        bench = getattr(findings.config, "placement_benchmark", None) if table_name == "placement" else None
        ref, ref_label = (float(bench), "当地平均水平") if bench is not None else (sv, "全校")
        conf = findings.design.conf
        out = []
        for level in levels:
            for r in ok_rows(level_rows(src, level), min_cell).to_dict("records"):
                v = r[rate]
                if missing(v):
                    continue
                lo = r.get(f"{rate}_low", r.get("rate_low"))
                hi = r.get(f"{rate}_high", r.get("rate_high"))
                if low_is_bad:
                    thr, margin = float(cond.get("max_rate", 1.0)), float(cond.get("min_below_school", 0.0))
                    if v > thr or (np.isfinite(ref) and ref - v < margin):
                        continue
                    excl = bool(np.isfinite(ref) and not missing(hi) and hi < ref)
                else:
                    thr, margin = float(cond.get("min_rate", 0.0)), float(cond.get("min_above_school", 0.0))
                    if v < thr or (np.isfinite(ref) and v - ref < margin):
                        continue
                    excl = bool(np.isfinite(ref) and not missing(lo) and lo > ref)
                what = _WHAT.get(table_name, str(r.get("item_label", it)) + "比例")
                rep = _replicated(findings, table_name, rate, it, item_col, level, r["group"], low_is_bad) if excl else []
                again = ("；" + "、".join(f"{c} 届 {fmt_pct(x)}（全校 {fmt_pct(y)}）" for c, x, y in rep)
                         + "同样显著" + ("偏低" if low_is_bad else "偏高")) if rep else ""
                out.append(candidate(
                    level, r["group"], r.get("college") if level == "major" else r["group"], r["n"], v, lo, hi, "pct",
                    f"{what}：{ci_text(v, lo, hi, 'pct', conf)}（{ref_label} {fmt_pct(ref)}），n={int(r['n'])}{again}",
                    effect=share_effect(v, ref), excludes=excl,
                    sources=("graduate_outcomes",) + (("earlier_cohorts",) if rep else ()), reference=ref,
                    school_value=fmt_pct(sv), reference_label=ref_label, reference_value=fmt_pct(ref),
                    quote_from=None))
        return out
    return sig


def card_signal(findings, cond, levels, min_cell, ctx) -> list:
    """A warning card of the school's rule; it restates the placement evidence (effect 0)."""
    w = findings.warnings
    if w is None or not len(w) or "card" not in w.columns:
        return []
    card = cond.get("card", "红牌")
    pl = ok_rows(level_rows(findings.outcomes.get("placement", pd.DataFrame()), "major"), min_cell)
    n_by = dict(zip(pl["group"], pl["n"])) if len(pl) else {}
    out = []
    for r in w[w["card"] == card].to_dict("records"):
        major = str(r["major"])
        if major not in n_by:
            continue
        latest = r.get(f"placement_rate_{r.get('latest_cohort')}")
        rule = r.get("rule_matched") or card
        out.append(candidate("major", major, r.get("college"), n_by[major], latest, None, None, "pct",
                             f"专业预警牌：{rule}", effect=0.0, excludes=None, sources=("graduate_outcomes",),
                             score=fmt_pct(latest), card=card, quote_from=None))
    return out


def _pooled_theme_shares(by: pd.DataFrame, tcol: str) -> dict:
    """``(level, theme) → Σ count / Σ n`` over the shown groups of the level (the reference of a
    group's theme share: every employer belongs to one group of a level)."""
    ok = by[~by.get("suppressed", pd.Series(False, index=by.index)).fillna(False).astype(bool)]
    if "count" not in ok.columns or not len(ok):
        return {}
    lv = ok["level"] if "level" in ok.columns else pd.Series("major", index=ok.index)
    g = ok.assign(_lv=lv).groupby(["_lv", tcol])
    return {k: float(v) for k, v in (g["count"].sum() / g["n"].sum()).items()}


def theme_signal(findings, cond, levels, min_cell, ctx) -> list:
    """Gap themes of ``findings.themes``; effect: the share against the theme's pooled share
    over the level's groups (log odds ratio)."""
    from ..stats import wilson_interval

    th = findings.themes
    by = None
    if th is not None:
        by = th.get("by_group") if isinstance(th, dict) else getattr(th, "by_group", None)
    if not isinstance(by, pd.DataFrame) or not len(by):
        return []
    if "group" not in by.columns:  # gaps.theme_shares names the group column after the grouping
        gcol = next((c for c in ("major", "college") if c in by.columns), None)
        if gcol is None:
            return []
        by = by.rename(columns={gcol: "group"}).assign(level=gcol)
    if not {"share", "n"} <= set(by.columns):
        return []
    if "theme" in by.columns:
        by = by[by["theme"].astype(str) != "-1"]  # 未归类
    tcol = next((c for c in ("theme_label", "label", "theme_name", "theme") if c in by.columns), None)
    if tcol is None:
        return []
    min_share = float(cond.get("min_share", 0.15))
    min_count = int(cond.get("min_count", 3))
    pooled = _pooled_theme_shares(by, tcol)
    out = []
    for r in ok_rows(by, min_cell).to_dict("records"):
        level = str(r.get("level", r.get("group_by", "major")))
        if level not in levels:
            continue
        s = float(r["share"])
        k = int(r["count"]) if "count" in r and pd.notna(r["count"]) else int(round(s * r["n"]))
        if s < min_share or k < min_count:
            continue
        lo, hi = wilson_interval(k / int(r["n"]), int(r["n"]), findings.design.conf)
        comp = r.get("competency_id")
        ref = pooled.get((level, r[tcol]), np.nan)
        out.append(candidate(
            level, r["group"], _college(ctx, level, r["group"]), r["n"], s, lo, hi, "pct",
            f"用人单位短板主题「{r[tcol]}」：{k}/{int(r['n'])} 家，{ci_text(s, lo, hi, 'pct', findings.design.conf)}"
            f"（各组合计 {fmt_pct(ref)}）",
            effect=share_effect(s, ref), excludes=bool(not missing(ref) and lo > ref), sources=("employer_comments",),
            reference=ref, theme=str(r[tcol]), share=fmt_pct(s), count=k, reference_value=fmt_pct(ref),
            # a theme that maps to a taxonomy competency merges with that competency's other
            # signals (same key) instead of repeating the recommendation
            competency=str(comp) if comp is not None and pd.notna(comp) and str(comp) else f"theme:{r[tcol]}",
            quote_from=None))
    return out
