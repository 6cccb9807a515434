"""专业与课程调整建议汇总: the recommendations — what, where, who, the target — with their evidence.

Printed as one numbered list per major (then per college), each item a short paragraph, so that
a committee reads a recommendation and its evidence together; the same rows as one table each
go to the XLSX workbook only (:func:`recommendation_tables`), where analysts filter and sort them.
"""
from __future__ import annotations

import pandas as pd

from ..model import BulletList, Heading, Paragraph, Section, Table
from .common import LEVEL_LABELS

__all__ = ["recommendations_chapter", "recommendation_items", "recommendation_tables"]

_LEVELS = (("major", "专业"), ("college", "学院"))


def _priority_counts(recs: pd.DataFrame) -> Table | None:
    if "priority_zh" not in recs.columns:
        return None
    t = (recs.assign(level=recs["level"].map(LEVEL_LABELS).fillna(recs["level"]))
         .pivot_table(index="level", columns="priority_zh", values="type", aggfunc="count", fill_value=0, sort=False))
    cols = [c for c in ("高", "中", "低") if c in t.columns]
    if not cols:
        return None
    t = t[cols].reset_index()
    return Table(t, "建议数量（按优先级）", column_labels={"level": "层级"}, formats={c: "int" for c in cols})


def _text(r, name: str) -> str:
    v = r.get(name) if isinstance(r, dict) else getattr(r, name, None)
    return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()


def recommendation_items(rows: pd.DataFrame, *, evidence: bool = True, kind: bool = True) -> list[str]:
    """One list item per recommendation: 【类型｜优先级】 what to change; where, who, the target;
    with ``evidence`` the evidence lines and the n they rest on."""
    items = []
    for r in rows.to_dict("records"):
        head = "｜".join(x for x in (_text(r, "type") if kind else "", f"优先级{_text(r, 'priority_zh')}") if x)
        extra = "；".join(f"{k}：{v}" for k, v in (("落实到", _text(r, "where")), ("负责人", _text(r, "owner")),
                                                   ("目标", _text(r, "target"))) if v)
        item = f"【{head}】{_text(r, 'recommendation')}" + (f"（{extra}）" if extra else "")
        ev = _text(r, "evidence")
        if evidence and ev:
            item += "　证据：" + "；".join(x.strip() for x in ev.split("\n") if x.strip())
            n = r.get("n")
            if n is not None and n == n:
                item += f"（n = {int(n):,}）"
        items.append(item)
    return items


def recommendation_tables(f) -> list[Table]:
    """The recommendations as tables, one per level, for the XLSX workbook (not printed)."""
    from ...curriculum import LABELS as CL

    recs = f.recommendations
    if recs is None or not len(recs):
        return []
    show = [c for c in ["group", "rank", "type", "priority_zh", "recommendation", "where", "owner", "target", "evidence",
                        "signals", "n"] if c in recs.columns]
    text = {c: "text" for c in ("recommendation", "where", "owner", "target", "evidence", "signals")}
    out = []
    for lv, who in _LEVELS:
        t = recs[recs["level"] == lv]
        if len(t):
            out.append(Table(t[show].reset_index(drop=True), f"全部建议及证据（{who}层面）",
                             column_labels={**CL, "group": who, "n": "n", "where": "落实到", "owner": "负责人",
                                            "target": "目标", "signals": "证据来源"},
                             formats={"rank": "int", "n": "int", **text}))
    return out


def _by_group(f, recs: pd.DataFrame) -> list:
    blocks: list = []
    order = list(f.majors["major"]) if f.majors is not None and len(f.majors) else []
    for lv, who in _LEVELS:
        t = recs[recs["level"] == lv]
        if not len(t):
            continue
        blocks.append(Heading(f"{who}层面的建议"))
        groups = [g for g in order if g in set(t["group"])] + sorted(set(t["group"]) - set(order))
        for g in groups:
            rows = t[t["group"] == g]
            counts = rows["priority_zh"].value_counts() if "priority_zh" in rows.columns else pd.Series(dtype=int)
            tally = "，".join(f"{p} {int(counts[p])} 条" for p in ("高", "中", "低") if p in counts.index)
            blocks.append(Heading(f"{g}（{len(rows)} 条：{tally}）", level=3))
            blocks.append(BulletList(recommendation_items(rows), ordered=True))
    return blocks


def recommendations_chapter(f, title: str) -> Section:
    blocks: list = [Paragraph(
        "建议由规则文件（rules.yaml，可由学校修改）从各项证据生成，按专业排序；同一能力或问题由多项证据支持时合并为一条，"
        "并列出全部依据。建议类型对应教学厅函〔2022〕3号提出的四项用途：学科专业调整、人才培养方案制定、招生计划安排、"
        "就业指导服务。每条建议写明改什么、落实到哪门课程或哪个模块（提供培养方案时取自课程支撑矩阵）、由谁负责、"
        "下一次调查要达到的目标，以及证据；同样的内容以表格形式收在 XLSX 文件的“全部建议及证据”工作表中，便于筛选。")]
    recs = f.recommendations
    if recs is None or not len(recs):
        blocks.append(Paragraph("按现行规则，没有生成建议。"))
        return Section(title, blocks)
    rule = recs.attrs.get("priority_rule")
    if rule:
        blocks.append(Paragraph("优先级由证据决定：" + rule))
    pc = _priority_counts(recs)
    if pc is not None:
        blocks.append(pc)
    counts = recs.attrs.get("counts")
    if counts:
        cnt = pd.DataFrame(counts)
        cnt["level"] = cnt["level"].map(LEVEL_LABELS).fillna(cnt["level"])
        blocks.append(Table(cnt, "建议数量（按类型）", column_labels={"level": "层级"},
                            formats={c: "int" for c in cnt.columns if c != "level"}))
    return Section(title, blocks + _by_group(f, recs))
