""":func:`recommend`: signals → rules → merged, ranked recommendations with what, where, who, the
target and the evidence."""
from __future__ import annotations

import re

import pandas as pd

from .common import LEVEL_ZH, fmt_num, fmt_pct, colleges_of
from .course_signals import course_names
from .priority import score_items
from .quotes import quotes_for
from .rules import PRIORITY_LABELS, SIGNALS, TYPES, load_rule_set

__all__ = ["recommend", "LABELS", "COLUMNS", "COURSE_SIGNALS"]

#: Chinese column labels of the :func:`recommend` table.
LABELS = {
    "level": "层级", "group": "专业/学院", "college": "学院", "rank": "序号", "type": "建议类型",
    "recommendation": "建议", "where": "落实到（课程/模块）", "owner": "负责人", "target": "目标",
    "priority": "优先级", "priority_zh": "优先级", "score": "优先级得分", "effect": "效应量",
    "n_sources": "独立证据来源数", "rules": "规则", "signals": "依据信号", "finding": "最突出的证据",
    "evidence": "证据", "n": "样本量（n）", "value": "指标值", "low": "置信区间下限", "high": "置信区间上限",
    "value_format": "指标格式", "quotes": "原话摘录", "competency": "能力代码", "course": "课程",
    "course_level": "课程层面", "key": "合并键",
}
COLUMNS = ["level", "group", "college", "rank", "type", "recommendation", "where", "owner", "target", "priority",
           "priority_zh", "score", "effect", "n_sources", "rules", "signals", "finding", "evidence", "n", "value",
           "low", "high", "value_format", "quotes", "competency", "course", "course_level", "key"]
#: signals of the programme's course tables (a recommendation resting on one is course-level)
COURSE_SIGNALS = ("course_gap", "course_unasked", "course_rating", "attainment_below")
_CAREER = re.compile(r"就业指导|职业生涯|职业发展")


class _SafeDict(dict):
    def __missing__(self, key):
        return "—"


def _where(findings, c: dict, typ: str, ctx: dict) -> str:
    """Where a recommendation lands: the course, the courses carrying the competency or the
    requirement (strongest first), a new module, or the service that acts."""
    prog = findings.programme
    in_prog = prog is not None and c["group"] in set(prog.majors)
    if c.get("course"):
        return f"《{c['course']}》"
    if c.get("requirement") and c.get("courses") not in (None, "（无）"):
        return f"{c['courses']}等支撑课程"
    comp = c.get("competency")
    if comp and not str(comp).startswith("theme:"):
        if c["level"] != "major":
            return "学院各专业的相关课程"
        if "course_rows" not in ctx:
            cg = findings.course_gaps
            ctx["course_rows"] = ({} if cg is None or not len(cg) else
                                  {(g, k): r for g, k, r in zip(cg["group"], cg["competency_id"], cg.to_dict("records"))})
        row = ctx["course_rows"].get((c["group"], comp))
        if not in_prog:
            return "相关课程"
        if row is None or row["support_level"] in ("无", "弱") or not row["courses"]:
            return "新增或加强的课程模块"
        return f"{course_names(row['courses'])}等课程"
    if typ == "就业指导服务":
        if in_prog:
            cs = prog.courses[(prog.courses["major"] == c["group"]) & prog.courses["course"].str.contains(_CAREER)]
            if len(cs):
                return f"《{cs['course'].iloc[0]}》与学校就业指导服务"
        return "学校与学院就业指导服务"
    return {"招生计划安排": "本专业下一年度招生计划", "学科专业调整": "专业设置与人才培养方案"}.get(
        typ, "人才培养方案" if c["level"] == "major" else "学院各专业的人才培养方案")


def _fields(c: dict, where: str) -> _SafeDict:
    fields = _SafeDict({k: v for k, v in c.items() if not isinstance(v, (list, dict, tuple))})
    fields["level_zh"] = LEVEL_ZH.get(c["level"], "")
    fields["college"] = c.get("college") or ""
    if c["value_format"] == "pct":
        fields.update(value=fmt_pct(c["value"]), low=fmt_pct(c["low"]), high=fmt_pct(c["high"]),
                      reference=fmt_pct(c.get("reference")))
    else:
        fields.update(value=fmt_num(c["value"]), reference=fmt_num(c.get("reference")))
    fields["n"] = str(c["n"])
    fields["where"] = where
    fields.setdefault("reference_value", "—")
    return fields


def _candidates(findings, rule_set, mc: int, ctx: dict, notes: list) -> dict:
    merged: dict = {}
    for rule in rule_set.rules:
        sig = SIGNALS[rule["signal"]]
        try:
            cands = sig.func(findings, rule["condition"], rule["levels"], mc, ctx)
        except (KeyError, AttributeError, TypeError) as exc:  # a table without the expected columns
            notes.append(f"规则 {rule['id']} 未能评估（{type(exc).__name__}: {exc}）")
            continue
        for c in cands:
            where = _where(findings, c, rule["type"], ctx)
            fields = _fields(c, where)
            item = dict(rule=rule, cand=c, text=rule["template"].format_map(fields), where=where,
                        target=rule["target"].format_map(fields) if rule["target"] else "",
                        owner=rule["owner"].format_map(fields) if rule.get("owner") else None)
            merged.setdefault((c["level"], c["group"], rule["type"], rule["key"].format_map(fields)), []).append(item)
    return merged


def _row(findings, key, items, rule_set, ctx, max_quotes) -> dict:
    level, group, typ, k = key
    pr = score_items(items, rule_set.priority)
    strong = pr["best"]
    main = max(items, key=lambda it: (it["rule"]["lead"], it["cand"]["effect"] + 0.5 * bool(it["cand"]["excludes"])))
    c = main["cand"]
    quotes: list = []
    for it in items:
        for q in quotes_for(findings, it["cand"], ctx, max_quotes):
            if q[0] not in [x[0] for x in quotes]:
                quotes.append(q)
    sigs = list(dict.fromkeys(SIGNALS[it["rule"]["signal"]].name_zh for it in items))
    owner = main["owner"] or rule_set.owners.get(typ, "")
    if c.get("course"):
        owner = f"课程负责人（《{c['course']}》），{owner}"
    return dict(
        level=level, group=group, college=c.get("college"), type=typ, recommendation=main["text"], where=main["where"],
        owner=owner, target=main["target"] or strong["target"], priority=pr["priority"], score=pr["score"],
        effect=pr["effect"], n_sources=pr["n_sources"], rules=",".join(dict.fromkeys(it["rule"]["id"] for it in items)),
        signals="、".join(sigs), finding=strong["cand"]["evidence"],
        evidence="\n".join(dict.fromkeys(it["cand"]["evidence"] for it in items)),
        n=c["n"], value=c["value"], low=c["low"], high=c["high"], value_format=c["value_format"],
        quotes="\n".join(f"“{q}”（{who}）" for q, who in quotes[:max_quotes]), competency=c.get("competency"),
        course=c.get("course"), key=k,
        course_level=any(it["rule"]["signal"] in COURSE_SIGNALS for it in items))


def _counts(recs: pd.DataFrame) -> list[dict]:
    """Recommendations per level and type (records: ``level`` and one count per type)."""
    rows = []
    for level in ("major", "college"):
        sub = recs[recs["level"] == level]
        if len(sub):
            by = sub.groupby("type").size()
            rows.append({"level": level, **{t: int(by.get(t, 0)) for t in TYPES if t in set(recs["type"])}})
    return rows


def _order(out: pd.DataFrame, ctx: dict) -> pd.DataFrame:
    if not len(out):
        out["rank"] = pd.Series(dtype="int64")
        return out
    out["_l"] = out["level"].map({"major": 0, "college": 1})
    order = list(ctx["college_of"])  # the configured order of majors, then the colleges
    order += [c for c in dict.fromkeys(ctx["college_of"].values()) if c not in order]
    pos = {g: i for i, g in enumerate(order)}
    out["_g"] = out["group"].map(lambda g: pos.get(g, len(pos)))
    out = out.sort_values(["_l", "_g", "group", "priority", "score", "type"],
                          ascending=[True, True, True, True, False, True], kind="stable")
    out["rank"] = out.groupby(["level", "group"]).cumcount() + 1
    return out.drop(columns=["_l", "_g"])


def recommend(findings, rules=None, *, min_cell: int | None = None, max_quotes: int = 2) -> pd.DataFrame:
    """Ranked recommendations per major and per college, each with what, where, who, a target
    and its evidence.

    Parameters
    ----------
    findings : Findings
        From :func:`survey_analysis.pipeline.analyse` (or assembled by hand: every attribute is
        optional; a signal whose table is missing simply gives nothing).
    rules : path, list or None
        Rules file (YAML, see ``resources/rules.yaml``); ``None`` uses the built-in rules.
    min_cell : int, optional
        Small-cell threshold (default ``findings.design.min_cell``): a row with fewer
        respondents, or marked ``suppressed``, is never used as evidence.
    max_quotes : int, default 2

    Returns
    -------
    DataFrame
        One row per recommendation, sorted by level (major, college), group, priority and score:
        ``level, group, college, rank`` (1 = first within the group), ``type`` (one of
        :data:`TYPES`), ``recommendation`` (what to change), ``where`` (the course or module
        where known from the programme), ``owner``, ``target``, ``priority`` (1–3) and
        ``priority_zh``, ``score`` (the priority score, see
        :mod:`survey_analysis.curriculum.priority`), ``effect``, ``n_sources``, ``rules``,
        ``signals``, ``finding`` (the strongest evidence line), ``evidence`` (one line per
        signal), ``n, value, low, high, value_format`` (of the leading signal), ``quotes``,
        ``competency``, ``course``, ``course_level`` (it rests on the programme's course tables:
        course support of a gap, core-course ratings, attainment), ``key``.  ``attrs``: ``notes``, ``counts``, ``rules``,
        ``priority_rule`` (the rule in Chinese).

    Raises
    ------
    ConfigError
        For a bad rules file (see :func:`~survey_analysis.curriculum.rules.load_rule_set`).
    """
    rule_set = load_rule_set(rules)
    mc = int(min_cell if min_cell is not None else findings.design.min_cell)
    ctx: dict = {"college_of": colleges_of(findings)}
    notes: list[str] = []
    merged = _candidates(findings, rule_set, mc, ctx, notes)
    rows = [_row(findings, key, items, rule_set, ctx, max_quotes) for key, items in merged.items()]
    out = _order(pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("rank", "priority_zh")]), ctx)
    out["priority_zh"] = out["priority"].map(PRIORITY_LABELS)
    out = out[COLUMNS].reset_index(drop=True)
    for c in ("n", "rank", "priority", "n_sources"):
        out[c] = pd.to_numeric(out[c]).astype("Int64")
    out.attrs.update({"notes": notes, "min_cell": mc, "counts": _counts(out), "rules": [r["id"] for r in rule_set.rules],
                      "priority_rule": rule_set.priority.describe()})
    return out
