"""课程体系与毕业要求: the survey's skill gaps laid on the training programme's courses, the
graduates' ratings of the core courses, 毕业要求达成度（间接评价）, and the course-level
recommendations.  Also the course section of each major's profile page (:func:`major_course_blocks`).

Every figure is a cell of a findings table (``course_gaps``, ``gap_courses``, ``course_ratings``,
``attainment``, ``programme_summary``, ``recommendations``); nothing is computed here.
"""
from __future__ import annotations

import pandas as pd

from ..model import BulletList, Heading, Paragraph, Section, Table
from .common import conf_text
from .recommendations import recommendation_items

__all__ = ["courses_chapter", "major_course_blocks"]

_STRENGTH_LABELS = {1.0: "强", 0.5: "中", 0.3: "弱"}
_GAP_COLS = {"group": "专业", "competency": "能力", "signals": "短板证据", "support_level": "课程支撑",
             "courses": "支撑课程（强→弱）", "status": "判断"}


def _summary(f) -> list:
    s = f.programme_summary
    prog = f.programme
    blocks: list = [Paragraph(
        f"本章把调查发现的能力短板落到人才培养方案的课程上。培养方案来自文件「{prog.source}」：共 {len(s)} 个专业，"
        f"每门课程对各项毕业要求（或能力）的支撑强度（H/M/L、●/◐/○、√ 或 1/0.5/0.3）映射到调查使用的能力代码后，"
        "与用人单位和毕业生的证据对照：哪些短板有课程承载、承载它的是哪些课程，哪些短板“无课程支撑”，哪些能力课程强支撑但用人单位并不看重。")]
    if s is not None and len(s):
        blocks.append(Table(s, "各专业培养方案概览",
                            column_labels={"major": "专业", "n_courses": "课程数", "n_core": "核心课程数", "credits": "学分合计",
                                           "n_requirements": "毕业要求/能力列", "n_mapped": "已对应到能力",
                                           "n_links": "支撑标记数"},
                            formats={"n_courses": "int", "n_core": "int", "credits": "float1", "n_requirements": "int",
                                     "n_mapped": "int", "n_links": "int"}))
    um = prog.unmapped
    if um is not None and len(um):
        u = um.drop_duplicates(["column", "reason"])[["column", "what", "reason"]].reset_index(drop=True)
        blocks.append(Table(u, "培养方案中未能对应到能力的列",
                            note="这些列不参与课程分析；在映射文件（requirements:）中写明其对应的能力代码后即可纳入。",
                            column_labels={"column": "列名", "what": "类别", "reason": "原因"}))
    return blocks


def _gaps(f) -> list:
    g = f.course_gaps
    if g is None or not len(g):
        return []
    blocks: list = [Heading("能力短板与课程支撑")]
    gap = g[g["gap"]]
    if len(gap):
        none = gap[gap["status"].isin(["无课程支撑", "仅弱支撑"])]
        if len(none):
            blocks.append(Paragraph("有短板证据而培养方案中无课程支撑或只有弱支撑的能力：" + "；".join(
                f"{r.group}「{r.competency}」（{r.status}）" for r in none.itertuples()) + "。这些是新增课程模块或提高支撑强度的首要对象。"))
        blocks.append(Table(gap[list(_GAP_COLS)].reset_index(drop=True), "各专业能力短板对应的课程",
                            note=g.attrs.get("definition", ""), column_labels=_GAP_COLS,
                            highlight=[i for i, s in enumerate(gap["status"]) if s in ("无课程支撑", "仅弱支撑")]))
    unasked = g[g["status"] == "强支撑但需求不明显"]
    if len(unasked):
        t = unasked[["group", "competency", "courses", "weighted_support", "employer_importance", "importance_line"]]
        blocks.append(Table(t.reset_index(drop=True), "课程强支撑但用人单位需求不明显的能力",
                            note="用人单位重要度为本专业用人单位的 5 分制均值，其置信区间上限低于全校能力重要度线；且没有任何短板信号。"
                                 "建议审视其学分配置，而不是简单删减。",
                            column_labels={"group": "专业", "competency": "能力", "courses": "强支撑课程",
                                           "weighted_support": "加权支撑学分", "employer_importance": "用人单位重要度",
                                           "importance_line": "全校重要度线"},
                            formats={"weighted_support": "float1", "employer_importance": "float2",
                                     "importance_line": "float2"}))
    return blocks


def _ratings(f) -> list:
    cr = f.course_ratings
    if cr is None or not len(cr):
        return []
    t = cr.copy()
    t["importance_ci"] = list(zip(t["importance_mean"], t["importance_low"], t["importance_high"]))
    t["met_ci"] = list(zip(t["met"], t["met_low"], t["met_high"]))
    t = t[["group", "course", "n_importance", "importance_mean", "important_share", "n", "met_ci", "flag", "suppressed"]]
    flagged = cr[cr["flag"] != ""]
    blocks: list = [Heading("核心课程的重要度与满足度（毕业生评价）")]
    if len(flagged):
        blocks.append(Paragraph("毕业生认为重要、但满足度明显偏低的核心课程：" + "；".join(
            f"{r.group}《{r.course}》（重要度 {r.importance_mean:.2f}，满足度 {r.met:.1%}）" for r in flagged.itertuples())
            + "。"))
    blocks.append(Table(t.reset_index(drop=True), "各专业核心课程的重要度与满足度",
                        note=cr.attrs.get("definition", "") + f" 括号内为 {conf_text(f)} 置信区间。",
                        column_labels={"group": "专业", "course": "核心课程", "n_importance": "重要度 n",
                                       "importance_mean": "重要度", "important_share": "认为重要的比例", "n": "满足度 n",
                                       "met_ci": "满足度", "flag": "判断"},
                        formats={"n_importance": "int", "importance_mean": "float2", "important_share": "pct", "n": "int",
                                 "met_ci": "pct_ci"},
                        highlight=[i for i, x in enumerate(t["flag"]) if x]))
    return blocks


def _attainment(f) -> list:
    a = f.attainment
    if a is None or not len(a):
        return []
    cols = ["group", "name", "rated", "n_graduates", "graduates", "n_employers", "employers", "value", "low", "high",
            "threshold", "status", "suppressed"]
    below = a[a["status"] == "未达成"]
    blocks: list = [Heading("毕业要求达成度（间接评价）")]
    text = "间接评价只反映毕业生与用人单位的评价，须与课程考核的直接评价结合使用。"
    if len(below):
        text = ("间接评价达成度的置信区间整体低于阈值的毕业要求：" + "；".join(
            f"{r.group}「{r.name}」{r.value:.2f}" for r in below.itertuples()) + "。" + text)
    blocks.append(Paragraph(text))
    rated = a[a["status"] != "无评价数据"]
    blocks.append(Table(rated[cols].reset_index(drop=True), "各专业毕业要求达成度（间接评价）",
                        note=a.attrs.get("formula", "") + f" 区间为 {conf_text(f)} 置信区间。",
                        column_labels={"group": "专业", "name": "毕业要求", "rated": "对应的评价能力",
                                       "n_graduates": "毕业生 n", "graduates": "毕业生评价", "n_employers": "用人单位 n",
                                       "employers": "用人单位评价", "value": "达成度", "low": "下限", "high": "上限",
                                       "threshold": "阈值", "status": "判定"},
                        formats={"n_graduates": "int", "graduates": "float2", "n_employers": "int", "employers": "float2",
                                 "value": "float2", "low": "float2", "high": "float2", "threshold": "float2"},
                        highlight=[i for i, s in enumerate(rated["status"]) if s == "未达成"]))
    none = a[a["status"] == "无评价数据"]
    if len(none):
        blocks.append(Paragraph("问卷中没有对应评价题、只能靠课程考核直接评价的毕业要求：" + "；".join(
            f"{g}：{'、'.join(map(str, t['name']))}" for g, t in none.groupby("group", sort=False)) + "。"))
    return blocks


def _course_recs(f) -> list:
    recs = f.recommendations
    if recs is None or not len(recs) or "course_level" not in recs.columns:
        return []
    r = recs[(recs["level"] == "major") & recs["course_level"].fillna(False).astype(bool)]
    if not len(r):
        return []
    high = r[r["priority"] == 1]
    intro = Paragraph(f"落实到课程与模块的建议共 {len(r)} 条（高优先级 {len(high)} 条）；下面按专业列出高优先级的，"
                      "每个专业的课程层面建议见其专业画像页，全部建议及证据见“专业与课程调整建议汇总”一章。")
    blocks: list = [Heading("课程层面的建议"), intro]
    rule = recs.attrs.get("priority_rule", "")
    if len(high) and rule:
        blocks.append(Paragraph("优先级由证据决定：" + rule))
    for m in dict.fromkeys(high["group"]):
        blocks.append(Heading(str(m), level=3))
        blocks.append(BulletList(recommendation_items(high[high["group"] == m], evidence=False, kind=False),
                                 ordered=True))
    return blocks


def courses_chapter(f, title: str) -> Section | None:
    """The chapter, or ``None`` when no programme was given."""
    if f.programme is None:
        return None
    blocks = _summary(f) + _gaps(f) + _ratings(f) + _attainment(f) + _course_recs(f)
    return Section(title, blocks)


# ----------------------------------------------------------------------------------------
# the course section of a major's profile page
# ----------------------------------------------------------------------------------------
def _heatmap(f, m: str, when: str):
    from ..charts import heatmap_chart

    gc = f.gap_courses
    if gc is None or not len(gc):
        return None
    d = gc[gc["group"] == m]
    if not len(d):
        return None
    notes = {r.competency: r.status for r in d.drop_duplicates("competency").itertuples()
             if r.status in ("无课程支撑", "仅弱支撑")}
    courses = sorted({c for c in d["course"] if c})
    width = min(1.0, 0.35 + 0.14 * d["competency"].nunique())
    return heatmap_chart(d, "course", "competency", "strength", title=f"{m}：支撑课程 × 能力短板",
                         caption_n=f"{len(courses)} 门课程", period=when, labels=_STRENGTH_LABELS, col_notes=notes,
                         width=width)


def major_course_blocks(f, m: str, charts: bool) -> list:
    """The course section of major ``m``'s page (empty without a programme or when the programme
    does not cover the major)."""
    prog = f.programme
    if prog is None or m not in set(prog.majors):
        return []
    blocks: list = [Heading(f"{m}：课程与毕业要求", level=3)]
    when = f"培养方案「{prog.source}」；{f.cohort} 年调查" if f.cohort else f"培养方案「{prog.source}」"
    g = f.course_gaps
    gm = g[(g["group"] == m) & g["gap"]] if g is not None and len(g) else pd.DataFrame()
    if charts and len(gm):
        fig = _heatmap(f, m, when)
        if fig is not None:
            blocks.append(fig)
    if len(gm):
        blocks.append(Table(gm[["competency", "signals", "support_level", "courses", "status"]].reset_index(drop=True),
                            f"{m}：能力短板与支撑课程",
                            column_labels={k: v for k, v in _GAP_COLS.items() if k != "group"}))
    else:
        blocks.append(Paragraph("按现有证据，本专业没有需要对到课程的能力短板。"))
    cr = f.course_ratings
    if cr is not None and len(cr):
        low = cr[(cr["group"] == m) & (cr["flag"] != "")]
        if len(low):
            blocks.append(Paragraph("毕业生认为重要但满足度偏低的核心课程：" + "、".join(
                f"《{r.course}》（满足度 {r.met:.1%}，全校核心课程 {r.reference:.1%}）" for r in low.itertuples()) + "。"))
    a = f.attainment
    if a is not None and len(a):
        below = a[(a["group"] == m) & (a["status"] == "未达成")]
        if len(below):
            blocks.append(Paragraph("间接评价未达成的毕业要求：" + "、".join(
                f"「{r.name}」{r.value:.2f}（阈值 {r.threshold:g}）" for r in below.itertuples()) + "。"))
    recs = f.recommendations
    if recs is not None and len(recs) and "course_level" in recs.columns:
        r = recs[(recs["level"] == "major") & (recs["group"] == m) & recs["course_level"].fillna(False).astype(bool)]
        if len(r):
            blocks.append(Heading(f"{m}：课程层面的建议", level=3))
            blocks.append(BulletList([f"【优先级{x.priority_zh}】{x.recommendation}（落实到：{x.where}；负责人：{x.owner}；"
                                      f"目标：{x.target}）" for x in r.head(5).itertuples()], ordered=True))
            if len(r) > 5:
                blocks.append(Paragraph(f"另有 {len(r) - 5} 条课程层面的建议，见“专业与课程调整建议汇总”一章。"))
    return blocks
