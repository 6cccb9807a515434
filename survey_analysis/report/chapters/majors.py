"""专业画像: an overview of the majors, then one page per major — its strongest finding, its
figures beside the school's, what employers say it lacks, its low 能力满足度, its courses
(gaps × courses, course ratings, attainment, course-level recommendations when a programme is
given), its recommendations and a quote."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ... import wording as w
from ..model import BulletList, Heading, KeyFigures, PageBreak, Paragraph, Quote, Section, Table
from .common import ci_cells, clip, school, shown
from .courses import major_course_blocks

__all__ = ["major_chapters"]

#: (table, item, column, label) of the indicators a profile compares with the school
_METRICS = (("placement", None, "placement_rate", "就业去向落实率"), ("job_quality", "relevance", "rate", "专业相关度"),
            ("job_quality", "job_sat__overall", "rate", "就业满意度"), ("turnover", None, "turnover_rate", "离职率"),
            ("recommendation", None, "recommend_rate", "推荐度"))
_LOW_BANDS = ("不太满足", "不满足")


def _overview(f) -> list:
    ov = f.major_overview
    if ov is None or not len(ov):
        return []
    return [Table(ov, "各专业概览",
                  column_labels={"major": "专业", "college": "学院", "n": "毕业生答卷", "placement_rate": "就业去向落实率",
                                 "n_employers": "用人单位（家）", "n_recs": "建议条数", "n_high": "其中高优先级",
                                 "card": "预警牌"},
                  formats={"n": "int", "placement_rate": "pct", "n_employers": "int", "n_recs": "int", "n_high": "int"})]


class _Rows:
    """The findings' rows of each major, looked up once for the 60 profile pages (selection only)."""

    def __init__(self, f):
        self.metrics = []
        for name, item, col, label in _METRICS:
            t = f.outcomes.get(name)
            if t is None or not len(t):
                continue
            if item is not None:
                t = t[t["item"] == item]
            self.metrics.append((col, label, school(t), _by_group(t)))
        inc = f.outcomes.get("income")
        self.income = (school(inc), _by_group(inc)) if inc is not None and len(inc) else None
        self.gaps = _frames_by_group(f.gap_shares)
        self.abilities = _frames_by_group(f.abilities)
        recs = f.recommendations
        self.recs = _frames_by_group(recs) if recs is not None and len(recs) else {}


def _by_group(t: pd.DataFrame) -> dict:
    m = t[t["level"] == "major"]
    return dict(zip(m["group"], m.to_dict("records")))


def _frames_by_group(t: pd.DataFrame | None) -> dict:
    if t is None or not len(t):
        return {}
    return dict(tuple(t[t["level"] == "major"].groupby("group", sort=False)))


def _indicator_rows(rows: _Rows, m: str) -> list[dict]:
    out = []
    for col, label, s, by in rows.metrics:
        r = by.get(m)
        out.append({"metric": label, "n": None if r is None else r["n"],
                    "major": np.nan if r is None else r[col], "school": np.nan if s is None else s[col]})
    return out


def _income_figure(rows: _Rows, m: str):
    if rows.income is None:
        return None
    s, by = rows.income
    r = by.get(m)
    return ("月收入中位数", w.money(np.nan if r is None else r["median"]),
            f"n={w.count(None if r is None else r['n'])}，全校 {w.money(np.nan if s is None else s['median'])}")


def _gaps(f, rows: _Rows, m: str) -> list:
    if f.gap_shares is None or not len(f.gap_shares):
        return [Paragraph("用人单位评论中没有可识别的能力提及。")] if f.employer is not None else []
    g = rows.gaps.get(m)
    if g is None or not len(g):
        return [Paragraph("用人单位调查中没有以本专业为主要招聘专业的单位，无法给出用人单位评价。")]
    if g["suppressed"].all():
        return [Paragraph(f"以本专业为主要招聘专业的用人单位少于 {f.design.min_cell} 家（或为保护其他组而隐藏），不单独报告。")]
    g = shown(g).head(5).copy()
    g["share_ci"] = ci_cells(g, "share", "low", "high")
    return [Table(g[["competency", "count", "n", "share_ci"]].reset_index(drop=True),
                  f"{m}：用人单位指出的能力短板（前 5 项）",
                  column_labels={"competency": "能力", "count": "提及单位数", "n": "单位数", "share_ci": "占比"},
                  formats={"count": "int", "n": "int", "share_ci": "pct_ci"})]


def _abilities(rows: _Rows, m: str) -> list:
    ab = rows.abilities.get(m)
    if ab is None:
        return []
    low = shown(ab)
    low = low[low["fulfilment_band"].isin(_LOW_BANDS)].sort_values("fulfilment")
    if not len(low):
        return []
    return [Paragraph("毕业生能力满足度为“不太满足”或“不满足”的能力：" + "、".join(
        f"{r.competency_label} {w.pct(r.fulfilment)}（{r.fulfilment_band}，n={w.count(r.n)}）" for r in low.itertuples())
        + "。")]


def _strongest(rows: _Rows, m: str) -> list:
    """The major's strongest finding: the evidence of its first-ranked recommendation."""
    mr = rows.recs.get(m, pd.DataFrame())
    if not len(mr) or "finding" not in mr.columns:
        return []
    r = mr.iloc[0]
    return [Paragraph(f"最突出的发现（优先级{r['priority_zh']}）：{r['finding']}。对应建议：{r['recommendation']}")]


def _recommendations(f, rows: _Rows, m: str) -> list:
    mr = rows.recs.get(m, pd.DataFrame())
    if not len(mr):
        return [Paragraph("按现行规则，本专业没有需要优先处理的问题。")]
    if f.programme is not None and m in set(f.programme.majors) and "course_level" in mr.columns:
        mr = mr[~mr["course_level"].fillna(False).astype(bool)]  # listed in the course section
        if not len(mr):
            return []
    items = []
    for r in mr.head(4).itertuples():
        extra = "；".join(x for x in (f"落实到：{r.where}" if getattr(r, "where", None) else "",
                                      f"负责人：{r.owner}" if getattr(r, "owner", None) else "",
                                      f"目标：{r.target}" if getattr(r, "target", None) else "") if x)
        items.append(f"【{r.type}｜优先级{r.priority_zh}】{r.recommendation}" + (f"（{extra}）" if extra else ""))
    blocks: list = [Heading(f"{m}：建议", level=3), BulletList(items, ordered=True)]
    if len(mr) > 4:
        blocks.append(Paragraph(f"另有 {len(mr) - 4} 条建议，全部建议及证据见“专业与课程调整建议汇总”一章。"))
    quotes = [x for x in "\n".join(mr.head(4)["quotes"].fillna("")).split("\n") if x.strip()]
    for x in list(dict.fromkeys(quotes))[:1]:
        text, _, who = x.rpartition("（")
        blocks.append(Quote(clip(text.strip("“”")), f"{who.rstrip('）') or '评论'}，{m}"))
    return blocks


def _profile(f, rows: _Rows, m: str, college, last: bool, charts: bool) -> Section:
    blocks: list = _strongest(rows, m)
    indicators = _indicator_rows(rows, m)
    if indicators:
        d = pd.DataFrame(indicators)
        kf = [(x.metric, w.pct(x.major), f"全校 {w.pct(x.school)}") for x in d.head(3).itertuples()]
        inc = _income_figure(rows, m)
        if inc is not None:
            kf.append(inc)
        blocks.append(KeyFigures(kf))
        blocks.append(Table(d, f"{m}：主要指标与全校对比",
                            column_labels={"metric": "指标", "n": "本专业 n", "major": "本专业", "school": "全校"},
                            formats={"n": "int", "major": "pct", "school": "pct"}))
    else:
        blocks.append(Paragraph("本专业没有毕业生跟踪调查数据。"))
    blocks += _gaps(f, rows, m) + _abilities(rows, m) + major_course_blocks(f, m, charts) + _recommendations(f, rows, m)
    if not last:
        blocks.append(PageBreak())
    return Section(f"{m}" + (f"（{college}）" if isinstance(college, str) and college else ""), blocks, level=2)


def major_chapters(f, title: str, charts: bool = True) -> list[Section]:
    majors = f.majors
    if majors is None or not len(majors):
        return []
    intro: list = [Paragraph("每个专业一页：本专业最突出的发现、主要指标与全校对比、用人单位指出的能力短板、毕业生能力满足度偏低的能力、"
                             "（提供培养方案时）短板对应的课程与毕业要求达成度，以及本专业的建议。样本量不足的指标以“—”表示。下表是各专业的概览。")]
    intro += _overview(f) + [PageBreak()]
    out = [Section(title, intro)]
    rows = _Rows(f)
    listed = list(majors.itertuples())
    for i, r in enumerate(listed):
        out.append(_profile(f, rows, r.major, r.college, i == len(listed) - 1, charts))
    return out
