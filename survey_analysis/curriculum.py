"""Curriculum recommendations: findings → ranked, evidenced recommendations per major and college.

The *signals* (what the evidence says: employer gap mentions, the IPA "concentrate here"
quadrant, graduates' 能力满足度, teaching feedback, placement, relevance, turnover, warnings)
are computed here from a :class:`~survey_analysis.pipeline.Findings` object.  The *rules* that
turn signals into recommendations are data: ``resources/rules.yaml`` (or a user's own file of
the same shape), read with :func:`load_rules`.  Each recommendation has one of the four uses
named by 教学厅函〔2022〕3号 -- 学科专业调整, 人才培养方案制定, 招生计划安排, 就业指导服务 --
and carries its evidence: the signals behind it, n, the figure with its 95 % interval and one or
two quoted (already redacted) comments.

A signal never reads a row that was suppressed as a small cell (``suppressed`` is true or
``n < min_cell``), so no recommendation rests on one.

Examples
--------
>>> from survey_analysis.curriculum import load_rules, SIGNALS
>>> rules = load_rules()
>>> sorted({r["type"] for r in rules})[:2]
['人才培养方案制定', '学科专业调整']
>>> "employer_gap_share" in SIGNALS
True
"""
from __future__ import annotations

import math
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import wording

__all__ = ["recommend", "load_rules", "TYPES", "SIGNALS", "PRIORITY_LABELS", "LABELS"]

#: The four uses of the survey results named by the notice (教学厅函〔2022〕3号 五(2)).
TYPES = ("学科专业调整", "人才培养方案制定", "招生计划安排", "就业指导服务")

PRIORITY_LABELS = {1: "高", 2: "中", 3: "低"}
_PRIORITY_BASE = {1: 3.0, 2: 2.0, 3: 1.0}
_LEVEL_ZH = {"major": "专业", "college": "学院"}

#: Chinese column labels of the :func:`recommend` table.
LABELS = {
    "level": "层级", "group": "专业/学院", "college": "学院", "rank": "序号", "type": "建议类型",
    "recommendation": "建议", "priority": "优先级", "priority_zh": "优先级", "score": "综合得分",
    "rules": "规则", "signals": "依据信号", "evidence": "证据", "n": "样本量（n）", "value": "指标值",
    "low": "95%置信区间下限", "high": "95%置信区间上限", "value_format": "指标格式",
    "quotes": "原话摘录", "competency": "能力代码", "key": "合并键",
}


@dataclass(frozen=True)
class _Signal:
    name_zh: str
    params: tuple  # condition keys the signal understands
    placeholders: tuple  # template placeholders it provides (besides the common ones)
    func: Callable


_COMMON = ("group", "level_zh", "college", "value", "low", "high", "n")


def _fmt_pct(x) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x * 100:.1f}%"


def _fmt_num(x, d=2) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"


def _ci_text(value, low, high, fmt) -> str:
    if fmt == "pct":
        v = _fmt_pct(value)
        if low is not None and high is not None and not (np.isnan(low) or np.isnan(high)):
            return f"{v}（95%置信区间 {low * 100:.1f}–{high * 100:.1f}%）"
        return v
    v = _fmt_num(value)
    if low is not None and high is not None and not (np.isnan(low) or np.isnan(high)):
        return f"{v}（95%置信区间 {low:.2f}–{high:.2f}）"
    return v


def _wilson(k: float, n: float) -> tuple[float, float]:
    """95 % Wilson interval of ``k`` out of ``n`` (the one implementation in ``weighting``)."""
    from .weighting import wilson_interval

    return wilson_interval(k / n, n) if n > 0 else (float("nan"), float("nan"))


def _ok_rows(df: pd.DataFrame | None, min_cell: int) -> pd.DataFrame:
    """Rows of a group table that are safe to use: not suppressed and n ≥ min_cell."""
    if df is None or not len(df):
        return pd.DataFrame()
    keep = pd.Series(True, index=df.index)
    if "suppressed" in df.columns:
        keep &= ~df["suppressed"].fillna(False).astype(bool)
    if "n" in df.columns:
        keep &= pd.to_numeric(df["n"], errors="coerce").fillna(0) >= min_cell
    return df[keep]


def _level_rows(df: pd.DataFrame, level: str) -> pd.DataFrame:
    if "level" in df.columns:
        return df[df["level"] == level]
    if "group_by" in df.columns:  # ratings tables
        return df[(df["group_by"] == level) & (df["group"] != "全校")]
    return df


def _school_row(df: pd.DataFrame | None) -> pd.DataFrame:
    if df is None or not len(df):
        return pd.DataFrame()
    if "level" in df.columns:
        return df[df["level"] == "school"]
    return df[df["group"] == "全校"]


def _college_of(findings) -> dict:
    out = {}
    majors = findings.majors
    if majors is not None and {"major", "college"} <= set(majors.columns):
        out.update({str(a): b for a, b in zip(majors["major"], majors["college"]) if isinstance(b, str)})
    cfg = findings.config
    if getattr(cfg, "majors", None) is not None and {"name", "college"} <= set(cfg.majors.columns):
        for a, b in zip(cfg.majors["name"], cfg.majors["college"]):
            if isinstance(b, str):
                out.setdefault(str(a), b)
    for res in [findings.employer, *(findings.graduates or {}).values()]:
        d = getattr(res, "data", None)
        if d is not None and {"major", "college"} <= set(d.columns):
            pairs = d[["major", "college"]].dropna().drop_duplicates("major")
            for a, b in zip(pairs["major"], pairs["college"]):
                out.setdefault(str(a), str(b))
    return out


# ------------------------------------------------------------------------------------------
# signals: each returns a list of candidate dicts
# ------------------------------------------------------------------------------------------

def _cand(level, group, college, n, value, low, high, fmt, evidence, strength, **extra) -> dict:
    return dict(level=level, group=str(group), college=college, n=int(n) if n == n else None,
                value=None if value is None else float(value),
                low=None if low is None or low != low else float(low),
                high=None if high is None or high != high else float(high),
                value_format=fmt, evidence=evidence, strength=float(np.clip(strength, 0, 1)), **extra)


def _sig_employer_gap(findings, cond, levels, min_cell, ctx) -> list:
    gs = findings.gap_shares
    if gs is None or not len(gs):
        return []
    min_share = float(cond.get("min_share", 0.15))
    min_count = int(cond.get("min_count", 3))
    conf = findings.design.conf
    out = []
    for level in levels:
        t = _ok_rows(_level_rows(gs, level), min_cell)
        for r in t.to_dict("records"):
            share, k, n = float(r["share"]), int(r["count"]), int(r["n"])
            if share < min_share or k < min_count:
                continue
            grp, comp, label, lo, hi = r["group"], r["competency_id"], r["competency"], r["low"], r["high"]
            out.append(_cand(
                level, grp, ctx["college_of"].get(str(grp)) if level == "major" else grp, n, share, lo, hi, "pct",
                f"用人单位开放题指出「{label}」不足：{k}/{n} 家，{wording.pct_ci(share, lo, hi, conf)}",
                (share - min_share) / max(1 - min_share, 1e-9) * 2,
                competency=comp, label=label, share=_fmt_pct(share), count=k,
                quote_from="employer"))
    return out


def _sig_ipa(findings, cond, levels, min_cell, ctx) -> list:
    ipa = findings.ipa
    if ipa is None or not len(ipa):
        return []
    quadrant = cond.get("quadrant", "concentrate")
    min_gap = float(cond.get("min_gap", 0.0))
    out = []
    for level in levels:
        rows = _ok_rows(_level_rows(ipa, level), min_cell)
        if not len(rows):
            continue
        rows = rows[rows["quadrant"] == quadrant]
        for r in rows.to_dict("records"):
            gap = r.get("gap")
            if gap is None or not np.isfinite(gap) or gap < min_gap:
                continue
            if min(r.get("n_imp", r["n"]) or 0, r.get("n_sat", r["n"]) or 0) < min_cell:
                continue
            lo, hi = r.get("gap_ci_low"), r.get("gap_ci_high")
            out.append(_cand(
                level, r["group"], ctx["college_of"].get(str(r["group"])) if level == "major" else r["group"],
                r["n"], gap, lo, hi, "float2",
                f"重要度–满意度分析（IPA）：重点改进区，重要度 {r['imp_mean']:.2f}、满意度 {r['sat_mean']:.2f}，"
                f"差距 {_ci_text(gap, lo, hi, 'float2')}，n={int(r['n'])}",
                (gap - min_gap) / 1.0,
                competency=r["competency"], label=r["label"], importance=_fmt_num(r["imp_mean"]),
                performance=_fmt_num(r["sat_mean"]), quote_from="employer"))
    return out


def _sig_ability(findings, cond, levels, min_cell, ctx) -> list:
    ab = findings.abilities
    if ab is None or not len(ab):
        return []
    maxf = float(cond.get("max_fulfilment", 0.85))
    if maxf > 1:  # a rules file written with percentages (85) before 能力满足度 became a fraction
        maxf /= 100.0
    out = []
    for level in levels:
        rows = _ok_rows(_level_rows(ab, level), min_cell)
        for r in rows.to_dict("records"):
            f = r.get("fulfilment")
            if f is None or not np.isfinite(f) or f >= maxf:
                continue
            label = r.get("competency_label") or r["competency"]
            out.append(_cand(
                level, r["group"], r.get("college") if level == "major" else r["group"], r["n"], f, None, None,
                "pct",
                f"毕业生能力满足度：{_fmt_pct(f)}（{r.get('fulfilment_band', '')}；毕业时水平 {r['own_mean']:.2f} / "
                f"岗位要求 {r['required_mean']:.2f}），n={int(r['n'])}",
                (maxf - f) / 0.15,
                competency=r["competency"], label=label, band=r.get("fulfilment_band", ""),
                quote_from="graduate"))
    return out


def _sig_improve(findings, cond, levels, min_cell, ctx) -> list:
    t = (findings.teaching or {}).get("improve")
    if t is None or not len(t):
        return []
    option = cond.get("option")
    min_share = float(cond.get("min_share", 0.5))
    above = float(cond.get("min_above_school", 0.0))
    school = _school_row(t)
    school = school[school["option"] == option]
    sv = float(school["share"].iloc[0]) if len(school) else float("nan")
    out = []
    for level in levels:
        rows = _ok_rows(_level_rows(t, level), min_cell)
        rows = rows[rows["option"] == option] if len(rows) else rows
        for r in rows.to_dict("records"):
            s = r["share"]
            if not np.isfinite(s) or s < min_share or (np.isfinite(sv) and s - sv < above):
                continue
            out.append(_cand(
                level, r["group"], r.get("college") if level == "major" else r["group"], r["n"], s, r["low"], r["high"],
                "pct",
                f"毕业生认为母校教学最需改进“{option}”：{_ci_text(s, r['low'], r['high'], 'pct')}"
                f"（全校 {_fmt_pct(sv)}），n={int(r['n'])}",
                (s - min_share) / max(1 - min_share, 1e-9),
                option=option, share=_fmt_pct(s), school_value=_fmt_pct(sv), quote_from="graduate_any"))
    return out


def _sig_placement_low(findings, cond, levels, min_cell, ctx) -> list:
    w = findings.warnings
    if w is None or not len(w) or "below_threshold_consecutive" not in w.columns:
        return []
    cfg = findings.config
    pl = _ok_rows(_level_rows((findings.outcomes or {}).get("placement", pd.DataFrame()), "major"), min_cell)
    n_by = dict(zip(pl["group"], pl["n"])) if len(pl) else {}
    lo_by = dict(zip(pl["group"], zip(pl["placement_rate_low"], pl["placement_rate_high"]))) if len(pl) else {}
    rate_cols = sorted(c for c in w.columns if c.startswith("placement_rate_") and c[-4:].isdigit())
    out = []
    for r in w.to_dict("records"):
        if r["below_threshold_consecutive"] is not True and not bool(r["below_threshold_consecutive"] or False):
            continue
        major = str(r["major"])
        if major not in n_by:  # the latest cohort's cell is suppressed or missing: no basis
            continue
        years = int(r.get("years_below_threshold") or 0)
        hist = "、".join(f"{c[-4:]} 届 {_fmt_pct(r[c])}" for c in rate_cols if pd.notna(r[c]))
        latest = int(r.get("latest_cohort") or findings.cohort or 0)
        val = r.get(f"placement_rate_{latest}")
        lo, hi = lo_by.get(major, (None, None))
        out.append(_cand(
            "major", major, r.get("college"), n_by[major], val, lo, hi, "pct",
            f"专业预警：就业去向落实率连续 {years} 年低于 {_fmt_pct(cfg.warning_threshold)}（{hist}）",
            (cfg.warning_threshold - (val if val == val else cfg.warning_threshold)) / max(cfg.warning_threshold, 1e-9),
            years=years, threshold=_fmt_pct(cfg.warning_threshold), history=hist, cohort=latest,
            quote_from=None))
    return out


def _sig_rate(table_name, rate, *, low_is_bad=True, item=None, item_col="item"):
    def sig(findings, cond, levels, min_cell, ctx) -> list:
        src = (findings.outcomes or {}).get(table_name)
        if src is None or not len(src):
            return []
        it = cond.get("item", item)
        if it is not None and item_col in src.columns:
            src = src[src[item_col] == it]
        school = _school_row(src)
        sv = float(school[rate].iloc[0]) if len(school) else float("nan")
        bench = getattr(findings.config, "placement_benchmark", None) if table_name == "placement" else None
        ref, ref_label = (float(bench), "当地平均水平") if bench is not None else (sv, "全校")
        out = []
        for level in levels:
            rows = _ok_rows(_level_rows(src, level), min_cell)
            for r in rows.to_dict("records"):
                v = r[rate]
                if v is None or not np.isfinite(v):
                    continue
                if low_is_bad:
                    thr, margin = float(cond.get("max_rate", 1.0)), float(cond.get("min_below_school", 0.0))
                    if v > thr or (np.isfinite(ref) and ref - v < margin):
                        continue
                    strength = (ref - v) / max(ref, 1e-9) * 2
                else:
                    thr, margin = float(cond.get("min_rate", 0.0)), float(cond.get("min_above_school", 0.0))
                    if v < thr or (np.isfinite(ref) and v - ref < margin):
                        continue
                    strength = (v - ref) / max(1 - ref, 1e-9) * 2
                lo = r.get(f"{rate}_low", r.get("rate_low"))
                hi = r.get(f"{rate}_high", r.get("rate_high"))
                what = {"placement": "就业去向落实率", "turnover": "离职率"}.get(
                    table_name, str(r.get("item_label", it)) + "比例")
                out.append(_cand(
                    level, r["group"], r.get("college") if level == "major" else r["group"], r["n"], v, lo, hi, "pct",
                    f"{what}：{_ci_text(v, lo, hi, 'pct')}（{ref_label} {_fmt_pct(ref)}），n={int(r['n'])}",
                    strength, school_value=_fmt_pct(sv), reference=_fmt_pct(ref), reference_label=ref_label,
                    quote_from=None))
        return out
    return sig


def _sig_card(findings, cond, levels, min_cell, ctx) -> list:
    w = findings.warnings
    if w is None or not len(w) or "card" not in w.columns:
        return []
    card = cond.get("card", "红牌")
    pl = _ok_rows(_level_rows(findings.outcomes.get("placement", pd.DataFrame()), "major"), min_cell)
    n_by = dict(zip(pl["group"], pl["n"])) if len(pl) else {}
    out = []
    for r in w[w["card"] == card].to_dict("records"):
        major = str(r["major"])
        if major not in n_by:
            continue
        latest = r.get(f"placement_rate_{r.get('latest_cohort')}")
        rule = r.get("rule_matched") or card
        out.append(_cand("major", major, r.get("college"), n_by[major], latest, None, None, "pct",
                         f"专业预警牌：{rule}", 1.0 if card == "红牌" else 0.6,
                         score=_fmt_pct(latest), card=card, quote_from=None))
    return out


def _sig_theme(findings, cond, levels, min_cell, ctx) -> list:
    """Gap themes of ``findings.themes`` (optional; any object with a ``by_group`` table)."""
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
    out = []
    rows = _ok_rows(by, min_cell)
    for r in rows.to_dict("records"):
        level = str(r.get("level", r.get("group_by", "major")))
        if level not in levels:
            continue
        s = float(r["share"])
        k = int(r["count"]) if "count" in r and pd.notna(r["count"]) else int(round(s * r["n"]))
        if s < min_share or k < min_count:
            continue
        lo, hi = _wilson(k, int(r["n"]))
        out.append(_cand(level, r["group"], ctx["college_of"].get(str(r["group"])) if level == "major" else r["group"],
                         r["n"], s, lo, hi, "pct",
                         f"用人单位短板主题「{r[tcol]}」：{k}/{int(r['n'])} 家，{_ci_text(s, lo, hi, 'pct')}",
                         (s - min_share) / max(min_share, 1e-9), theme=str(r[tcol]), share=_fmt_pct(s), count=k,
                         # a theme that maps to a taxonomy competency merges with that competency's
                         # other signals (same key) instead of repeating the recommendation
                         competency=(str(r["competency_id"]) if "competency_id" in r and pd.notna(r["competency_id"])
                                     and str(r["competency_id"]) else f"theme:{r[tcol]}"),
                         quote_from=None))
    return out


#: Signals a rule can read: name → (Chinese name, condition keys, template placeholders).
SIGNALS: dict[str, _Signal] = {
    "employer_gap_share": _Signal("用人单位评论中的能力短板", ("min_share", "min_count"),
                                  ("competency", "label", "share", "count"), _sig_employer_gap),
    "ipa_quadrant": _Signal("重要度–满意度分析（IPA）", ("quadrant", "min_gap"),
                            ("competency", "label", "importance", "performance"), _sig_ipa),
    "ability_fulfilment": _Signal("毕业生能力满足度", ("max_fulfilment",), ("competency", "label", "band"), _sig_ability),
    "teaching_improve": _Signal("毕业生教学反馈", ("option", "min_share", "min_above_school"),
                                ("option", "share", "school_value"), _sig_improve),
    "placement_consecutive_low": _Signal("就业去向落实率预警", (), ("years", "threshold", "history", "cohort"),
                                         _sig_placement_low),
    "placement_rate": _Signal("就业去向落实率", ("max_rate", "min_below_school"),
                              ("school_value", "reference", "reference_label"), _sig_rate("placement", "placement_rate")),
    "job_quality": _Signal("专业相关度与就业质量", ("item", "max_rate", "min_below_school"),
                           ("school_value", "reference", "reference_label"), _sig_rate("job_quality", "rate")),
    "turnover": _Signal("离职率", ("min_rate", "min_above_school"), ("school_value", "reference", "reference_label"),
                        _sig_rate("turnover", "turnover_rate", low_is_bad=False)),
    "warning_card": _Signal("专业预警牌", ("card",), ("score", "card"), _sig_card),
    "employer_theme_share": _Signal("用人单位短板主题", ("min_share", "min_count"), ("theme", "share", "count", "competency"),
                                    _sig_theme),
}


# ------------------------------------------------------------------------------------------
# rules
# ------------------------------------------------------------------------------------------

def load_rules(rules: str | Path | list | dict | None = None) -> list[dict]:
    """Read and check recommendation rules.

    Parameters
    ----------
    rules : path, list of dicts, dict with a ``rules`` list, or None
        ``None`` reads the built-in ``resources/rules.yaml``.

    Returns
    -------
    list of dict
        One dict per rule with ``id, signal, condition, type, key, template, priority, levels``.

    Raises
    ------
    ConfigError
        When the file is missing or not YAML, or a rule has an unknown signal, type, condition
        key or template placeholder, a bad priority or a duplicate id.
    """
    import yaml

    from .errors import ConfigError

    src = None
    if rules is None:
        from importlib import resources

        text = resources.files("survey_analysis").joinpath("resources/rules.yaml").read_text(encoding="utf-8")
        src = "rules.yaml"
        doc = yaml.safe_load(text)
    elif isinstance(rules, (str, Path)):
        src = Path(rules)
        try:
            doc = yaml.safe_load(src.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            raise ConfigError("建议规则文件不存在", file=src, hint="检查规则文件（rules）的路径。") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ConfigError(f"建议规则文件不是合法的 YAML：{getattr(exc, 'problem', exc)}", file=src,
                              row=(mark.line + 1) if mark else None) from None
    else:
        doc = rules
    items = doc.get("rules") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise ConfigError("建议规则文件应包含非空的 rules 列表", file=src,
                          expected="rules: [ {id, signal, condition, type, template, priority}, … ]",
                          found=type(items).__name__)
    out, seen = [], set()
    fmt = string.Formatter()
    for i, r in enumerate(items, 1):
        where = f"第 {i} 条规则（{r.get('id', '?') if isinstance(r, dict) else '?'}）"
        if not isinstance(r, dict):
            raise ConfigError(f"{where}应是键值对", file=src)
        missing = [k for k in ("id", "signal", "type", "template", "priority") if k not in r]
        if missing:
            raise ConfigError(f"{where}缺少键：{'、'.join(missing)}", file=src,
                              expected="id、signal、condition、type、template、priority")
        rid = str(r["id"])
        if rid in seen:
            raise ConfigError(f"规则 id 重复：{rid}", file=src)
        seen.add(rid)
        sig = SIGNALS.get(r["signal"])
        if sig is None:
            raise ConfigError(f"{where}的信号（signal）未知：{r['signal']}", file=src,
                              expected="、".join(SIGNALS), found=r["signal"])
        if r["type"] not in TYPES:
            raise ConfigError(f"{where}的建议类型（type）未知", file=src, expected="、".join(TYPES), found=r["type"])
        cond = r.get("condition") or {}
        if not isinstance(cond, dict):
            raise ConfigError(f"{where}的条件（condition）应是键值对", file=src, found=cond)
        bad = set(cond) - set(sig.params)
        if bad:
            raise ConfigError(f"{where}的条件有未知的参数：{'、'.join(sorted(bad))}", file=src,
                              expected="、".join(sig.params) or "（无参数）")
        try:
            prio = int(r["priority"])
        except (TypeError, ValueError):
            prio = None
        if prio not in PRIORITY_LABELS:
            raise ConfigError(f"{where}的优先级（priority）应是 1（高）、2（中）或 3（低）", file=src, found=r["priority"])
        levels = r.get("levels") or ["major", "college"]
        if isinstance(levels, str):
            levels = [levels]
        if set(levels) - set(_LEVEL_ZH):
            raise ConfigError(f"{where}的层级（levels）只能是 major 或 college", file=src, found=levels)
        allowed = set(_COMMON) | set(sig.placeholders)
        for field in ("template", "key"):
            text = r.get(field)
            if text is None:
                continue
            try:
                names = {f for _, f, _, _ in fmt.parse(str(text)) if f}
            except ValueError as exc:
                raise ConfigError(f"{where}的 {field} 格式有误：{exc}", file=src, found=text) from None
            unknown = names - allowed
            if unknown:
                raise ConfigError(f"{where}的 {field} 用了未知的占位符：{'、'.join(sorted(unknown))}", file=src,
                                  expected="、".join(sorted(allowed)))
        out.append(dict(id=rid, signal=r["signal"], condition=dict(cond), type=r["type"], key=r.get("key") or rid,
                        template=str(r["template"]), priority=prio, levels=list(levels),
                        boost=float(r.get("boost") or 0.0)))
    return out


# ------------------------------------------------------------------------------------------
# quotes
# ------------------------------------------------------------------------------------------

def _shorten(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mention_texts(findings, src: str) -> pd.DataFrame:
    """Gap mentions with the full (redacted) comment text they came from."""
    sk = findings.employer_skills if src == "employer" else findings.graduate_skills
    data = getattr(findings.employer if src == "employer" else findings.graduate, "data", None)
    if sk is None or data is None or not len(sk) or "polarity" not in sk.columns:
        return pd.DataFrame()
    m = sk[sk["polarity"] == "gap"]
    fields = [c for c in (("comment_skills", "comment_suggestion") if src == "employer" else ("comment",))
              if c in data.columns]
    if not fields:
        return pd.DataFrame()
    long = data[["respondent_id", *fields]].melt(id_vars="respondent_id", var_name="field", value_name="text")
    long = long.dropna(subset=["text"])
    if "field" not in m.columns:
        m = m.assign(field=fields[0])
    keep = [c for c in ("comment_id", "competency_id", "field", "major", "college") if c in m.columns]
    out = m[keep].merge(long, left_on=["comment_id", "field"], right_on=["respondent_id", "field"], how="inner")
    return out


def _pick(texts, k: int) -> list[str]:
    texts = [str(t).strip() for t in texts if isinstance(t, str) and len(str(t).strip()) >= 4]
    texts = sorted(dict.fromkeys(texts), key=lambda t: (abs(len(t) - 30), t))
    return [_shorten(t) for t in texts[:k]]


def _grouped_texts(texts: pd.Series, keys: pd.Series) -> dict:
    """``{group value: [texts]}`` in one pass (rows with a missing group belong to none)."""
    ok = keys.notna().to_numpy(dtype=bool)
    t = texts.to_numpy(dtype=object)[ok]
    k = keys.to_numpy(dtype=object)[ok]
    if not len(k):
        return {}
    codes, uniq = pd.factorize(k)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return {uniq[codes[part[0]]]: t[part].tolist() for part in np.split(order, bounds)}


def _quotes(findings, cand: dict, ctx: dict, k: int = 2) -> list[str]:
    # the mention / comment tables are grouped once per (source, level) and the picked quotes
    # cached per group: re-filtering the whole table per candidate was O(candidates x rows)
    src = cand.get("quote_from")
    level, group = cand["level"], cand["group"]
    comp = cand.get("competency")
    picked = ctx.setdefault("picked", {})
    if src in ("employer", "graduate") and comp is not None:
        cache = ctx.setdefault("mentions", {})
        if src not in cache:
            cache[src] = _mention_texts(findings, src)
        m = cache[src]
        if not len(m) or level not in m.columns:
            return []
        gkey = ("mentions", src, level)
        if gkey not in ctx:
            ctx[gkey] = {grp: _grouped_texts(sub["text"], sub[level])
                         for grp, sub in m.groupby("competency_id", sort=False)}
        pk = (gkey, group, comp)
        if pk not in picked:
            picked[pk] = _pick(ctx[gkey].get(comp, {}).get(group, []), k)
        who = "用人单位" if src == "employer" else "毕业生"
        return [(q, who) for q in picked[pk]]
    if src == "graduate_any":
        g = getattr(findings.graduate, "data", None)
        if g is None or "comment" not in g.columns or level not in g.columns:
            return []
        key = "实践|实习" if "实践" in str(cand.get("option", "")) else "课程"
        gkey = ("comments", level, key)
        if gkey not in ctx:
            if ("comment_hits", key) not in ctx:  # one text search per keyword, shared by the levels
                ok = g["comment"].notna().to_numpy(dtype=bool)
                s = g["comment"][ok].astype(str)
                ctx[("comment_hits", key)] = (ok, s, s.str.contains(key).to_numpy(dtype=bool))
            ok, s, hit = ctx[("comment_hits", key)]
            ctx[gkey] = _grouped_texts(s[hit], g[level][ok][hit])
        pk = (gkey, group)
        if pk not in picked:
            picked[pk] = _pick(ctx[gkey].get(group, []), k)
        return [(q, "毕业生") for q in picked[pk]]
    return []


# ------------------------------------------------------------------------------------------
# recommend
# ------------------------------------------------------------------------------------------

_COLUMNS = ["level", "group", "college", "rank", "type", "recommendation", "priority", "priority_zh", "score",
            "rules", "signals", "evidence", "n", "value", "low", "high", "value_format", "quotes", "competency", "key"]


def _counts(recs: pd.DataFrame) -> list[dict]:
    """Recommendations per level and type (records: ``level`` and one count per type)."""
    rows = []
    for level in ("major", "college"):
        sub = recs[recs["level"] == level]
        if len(sub):
            by = sub.groupby("type").size()
            rows.append({"level": level, **{t: int(by.get(t, 0)) for t in TYPES if t in set(recs["type"])}})
    return rows


class _SafeDict(dict):
    def __missing__(self, key):
        return "—"


def recommend(findings, rules=None, *, min_cell: int | None = None, max_quotes: int = 2) -> pd.DataFrame:
    """Ranked recommendations per major and per college, each with its evidence.

    Parameters
    ----------
    findings : Findings
        From :func:`survey_analysis.pipeline.analyse` (or assembled by hand: every attribute is
        optional; a signal whose table is missing simply gives nothing).
    rules : path, list or None
        Rules file (YAML, see ``resources/rules.yaml``); ``None`` uses the built-in rules.
    min_cell : int, optional
        Small-cell threshold (default ``findings.config.min_cell``): a row with fewer
        respondents, or marked ``suppressed``, is never used as evidence.
    max_quotes : int, default 2

    Returns
    -------
    DataFrame
        One row per recommendation, sorted by level (major, college), group and ``rank``:
        ``level`` (major/college), ``group``, ``college``, ``rank`` (1 = most important within
        the group), ``type`` (one of :data:`TYPES`), ``recommendation`` (Chinese text),
        ``priority`` (1–3) and ``priority_zh``, ``score``, ``rules`` (ids), ``signals``
        (Chinese names of the supporting signals), ``evidence`` (one line per signal with n,
        the figure and its interval), ``n``, ``value``, ``low``, ``high``, ``value_format``
        (of the main signal), ``quotes`` (redacted comments, one per line, as ``“text”（用人单位|毕业生）``), ``competency``,
        ``key``.  ``attrs["notes"]`` lists remarks in Chinese.

    Raises
    ------
    ConfigError
        For a bad rules file (see :func:`load_rules`).
    """
    rule_list = load_rules(rules)
    mc = int(min_cell if min_cell is not None else findings.design.min_cell)
    ctx = {"college_of": _college_of(findings)}
    merged: dict[tuple, dict] = {}
    notes: list[str] = []
    for rule in rule_list:
        sig = SIGNALS[rule["signal"]]
        try:
            cands = sig.func(findings, rule["condition"], rule["levels"], mc, ctx)
        except (KeyError, AttributeError, TypeError) as exc:  # a table without the expected columns
            notes.append(f"规则 {rule['id']} 未能评估（{type(exc).__name__}: {exc}）")
            continue
        for c in cands:
            fields = _SafeDict({k: v for k, v in c.items() if not isinstance(v, (list, dict))})
            fields["level_zh"] = _LEVEL_ZH.get(c["level"], "")
            fields["college"] = c.get("college") or ""
            if c["value_format"] == "pct":
                fields.update(value=_fmt_pct(c["value"]), low=_fmt_pct(c["low"]), high=_fmt_pct(c["high"]))
            else:
                fields.update(value=_fmt_num(c["value"]))
            fields["n"] = str(c["n"])
            text = rule["template"].format_map(fields)
            key = rule["key"].format_map(fields)
            score = _PRIORITY_BASE[rule["priority"]] + 0.99 * c["strength"] + rule["boost"]
            mk = (c["level"], c["group"], rule["type"], key)
            entry = merged.get(mk)
            item = dict(rule=rule, cand=c, text=text, score=score)
            if entry is None:
                merged[mk] = dict(items=[item])
            else:
                entry["items"].append(item)
    rows = []
    for (level, group, typ, key), entry in merged.items():
        items = sorted(entry["items"], key=lambda it: (it["rule"]["priority"], -it["score"]))
        main = items[0]
        c = main["cand"]
        quotes: list[tuple] = []
        for it in items:
            for q in _quotes(findings, it["cand"], ctx, max_quotes):
                if q[0] not in [x[0] for x in quotes]:
                    quotes.append(q)
        quotes = quotes[:max_quotes]
        sigs = list(dict.fromkeys(SIGNALS[it["rule"]["signal"]].name_zh for it in items))
        score = max(it["score"] for it in items) + 0.25 * (len(sigs) - 1)
        rows.append(dict(
            level=level, group=group, college=c.get("college"), type=typ, recommendation=main["text"],
            priority=min(it["rule"]["priority"] for it in items), score=round(score, 3),
            rules=",".join(dict.fromkeys(it["rule"]["id"] for it in items)), signals="、".join(sigs),
            evidence="\n".join(dict.fromkeys(it["cand"]["evidence"] for it in items)),
            n=c["n"], value=c["value"], low=c["low"], high=c["high"], value_format=c["value_format"],
            quotes="\n".join(f"“{q}”（{who}）" for q, who in quotes), competency=c.get("competency"), key=key))
    out = pd.DataFrame(rows, columns=[c for c in _COLUMNS if c != "rank" and c != "priority_zh"])
    if len(out):
        lvl_order = {"major": 0, "college": 1}
        out["_l"] = out["level"].map(lvl_order)
        order = list(ctx["college_of"])  # the configured order of majors, then the colleges
        order += [c for c in dict.fromkeys(ctx["college_of"].values()) if c not in order]
        pos = {g: i for i, g in enumerate(order)}
        out["_g"] = out["group"].map(lambda g: pos.get(g, len(pos)))
        out = out.sort_values(["_l", "_g", "group", "score", "type"], ascending=[True, True, True, False, True],
                              kind="stable")
        out["rank"] = out.groupby(["level", "group"]).cumcount() + 1
        out = out.drop(columns=["_l", "_g"])
    else:
        out["rank"] = pd.Series(dtype="int64")
    out["priority_zh"] = out["priority"].map(PRIORITY_LABELS)
    out = out[_COLUMNS].reset_index(drop=True)
    for c in ("n", "rank", "priority"):
        out[c] = pd.to_numeric(out[c]).astype("Int64")
    out.attrs["notes"] = notes
    out.attrs["min_cell"] = mc
    out.attrs["counts"] = _counts(out)
    out.attrs["rules"] = [r["id"] for r in rule_list]
    return out
