"""专业与课程调整建议汇总: the recommendations — what, where, who, the target — with their evidence."""
from __future__ import annotations

import pandas as pd

from ..model import Paragraph, Section, Table
from .common import LEVEL_LABELS

__all__ = ["recommendations_chapter"]


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


def recommendations_chapter(f, title: str) -> Section:
    from ...curriculum import LABELS as CL

    blocks: list = [Paragraph(
        "建议由规则文件（rules.yaml，可由学校修改）从各项证据生成，按专业排序；同一能力或问题由多项证据支持时合并为一条，"
        "并列出全部依据。建议类型对应教学厅函〔2022〕3号提出的四项用途：学科专业调整、人才培养方案制定、招生计划安排、"
        "就业指导服务。每条建议写明改什么、落实到哪门课程或哪个模块（提供培养方案时取自课程支撑矩阵）、由谁负责、"
        "下一次调查要达到的目标，以及证据。")]
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
    show = [c for c in ["group", "rank", "type", "priority_zh", "recommendation", "where", "owner", "target", "evidence",
                        "n"] if c in recs.columns]
    text = {c: "text" for c in ("recommendation", "where", "owner", "target", "evidence")}
    for lv, cap in (("major", "专业层面的建议（含证据）"), ("college", "学院层面的建议（含证据）")):
        t = recs[recs["level"] == lv]
        if len(t):
            blocks.append(Table(t[show].reset_index(drop=True), cap,
                                column_labels={**CL, "group": "专业" if lv == "major" else "学院", "n": "n",
                                               "where": "落实到", "owner": "负责人", "target": "目标"},
                                formats={"rank": "int", "n": "int", **text}))
    return Section(title, blocks)
