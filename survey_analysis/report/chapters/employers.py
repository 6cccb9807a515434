"""三、用人单位需求: who answered, competency ratings, IPA, drivers, gaps in the comments,
themes and keywords."""
from __future__ import annotations

import pandas as pd

from ..model import Heading, Paragraph, Quote, Section, Table
from .common import SCHOOL, bar, ci_cells, clip, conf_text, ipa_figure, period, shown

__all__ = ["employer_chapter"]

_PROFILE = (("industry", "用人单位行业分布", "行业（GB/T 4754 门类）"), ("employer_type", "用人单位性质", "单位性质"),
            ("employer_size", "用人单位规模", "单位规模"), ("region", "用人单位地区", "地区"))


def _profile(f, charts: bool, when: str) -> list:
    blocks: list = []
    for key, cap, lab in _PROFILE:
        t = (f.employer_profile or {}).get(key)
        if t is None or not len(t):
            continue
        if not blocks:
            blocks.append(Heading("用人单位构成"))
        t = t.reset_index(drop=True)
        if key == "industry" and charts and len(shown(t)):
            blocks.append(bar(shown(t).head(12), "industry", "share", title=cap,
                              caption_n=int(t.attrs.get("n_total", 0)) or None, period=when))
        blocks.append(Table(t, cap, column_labels={key: lab, "n": "单位数", "share": "占比"},
                            formats={"n": "int", "share": "pct"}))
    return blocks


def _ratings(f, charts: bool, when: str) -> list:
    blocks: list = []
    comp = f.competencies
    if comp is not None and len(comp):
        blocks.append(Heading("能力素质的重要度与满意度"))
        s = comp[comp["group"] == SCHOOL].copy()
        s["sat_share_ci"] = ci_cells(s, "sat_share", "sat_share_ci_low", "sat_share_ci_high")
        t = s[["label", "n_imp", "imp_mean", "n_sat", "sat_mean", "sat_share_ci", "gap"]].reset_index(drop=True)
        rule = "前两项（很满意+满意）" if f.design.satisfied == "top2" else "前三项（很满意+比较满意+一般）"
        blocks.append(Table(t, "用人单位对毕业生能力素质的评价（全校）",
                            note=f"重要度、满意度为 5 分制均值；满意比例为{rule}，括号内为 {conf_text(f)} 置信区间；"
                                 "差距 = 重要度 − 满意度。",
                            column_labels={"label": "能力素质", "n_imp": "重要度 n", "imp_mean": "重要度",
                                           "n_sat": "满意度 n", "sat_mean": "满意度", "sat_share_ci": "满意比例",
                                           "gap": "差距"},
                            formats={"n_imp": "int", "n_sat": "int", "imp_mean": "float2", "sat_mean": "float2",
                                     "sat_share_ci": "pct_ci", "gap": "float2"}))
    ipa = f.ipa
    if ipa is not None and len(ipa):
        s = ipa[ipa["group"] == SCHOOL]
        if charts and len(s):
            r0 = s.iloc[0]
            blocks.append(ipa_figure(s, int(r0["n"]), when, "能力素质重要度–满意度分析（全校）",
                                     r0.get("imp_line"), r0.get("sat_line")))
        ref = ipa.attrs.get("reference")
        if ref:
            blocks.append(Paragraph(str(ref)))
        conc = s[s["gap_flag"].fillna(False).astype(bool)] if "gap_flag" in s.columns else s.iloc[0:0]
        if len(conc):
            blocks.append(Paragraph("处于“重点改进区”且差距有统计证据的能力：" + "、".join(map(str, conc["label"]))
                                    + "。这些能力用人单位认为重要，但对我校毕业生的表现评价显著偏低，是课程与实践教学改革的首要方向。"))
        else:
            blocks.append(Paragraph("全校层面没有差距有统计证据的能力（落在“重点改进区”的点只是描述，不足以作为改革依据）。"))
    return blocks + _drivers(f)


def _drivers(f) -> list:
    drv = f.drivers
    if drv is None or not len(drv):
        return []
    sig = drv[drv["significant"].fillna(False).astype(bool)] if "significant" in drv.columns else drv
    t = (sig if len(sig) else drv).head(8).copy()
    if "ame" in t.columns:
        t["ame_ci"] = list(zip(t["ame"], t["ame_low"], t["ame_high"]))
    cols = [c for c in ("rank", "label", "n", "odds_ratio", "or_ci_low", "or_ci_high", "ame_ci", "p_adj") if c in t.columns]
    labels = {"rank": "排序", "label": "能力素质", "n": "模型样本量", "odds_ratio": "优势比 OR", "or_ci_low": "OR 下限",
              "or_ci_high": "OR 上限", "ame_ci": "满意概率的平均变化（区间）", "p_adj": "校正 p 值（BH）"}
    note = ("有序 logistic 回归：能力满意度每高 1 分，总体满意度高一级的优势（odds，不是概率）变为原来的 OR 倍；"
            "“满意概率的平均变化”是总体评价为满意或很满意的概率平均提高多少（百分点）；只列出校正后显著的能力。")
    fit = drv.attrs.get("fit_note")
    if fit:
        note += " " + str(fit)
    return [Table(t[cols].reset_index(drop=True), "用人单位总体满意度的关键驱动因素", note=note, column_labels=labels,
                  formats={"rank": "int", "n": "int", "odds_ratio": "float1", "or_ci_low": "float1", "or_ci_high": "float1",
                           "ame_ci": "pct_ci", "p_adj": "pvalue"}),
            *[Paragraph(str(r)) for r in t["reading"].head(3)]]


def _gaps(f, charts: bool, when: str) -> list:
    gs = f.gap_shares
    if gs is None or not len(gs):
        return []
    s = shown(gs[gs["level"] == "school"]).head(12).reset_index(drop=True)
    if not len(s):
        return []
    s["share_ci"] = ci_cells(s, "share", "low", "high")
    blocks: list = [Heading("开放题中的能力短板")]
    if charts:
        blocks.append(bar(s, "competency", "share", low="low", high="high", title="用人单位指出的能力短板（全校）",
                          caption_n=int(s["n"].iloc[0]), period=when))
    blocks.append(Table(s[["competency", "count", "share_ci"]], "用人单位开放题中提及的能力短板（全校）",
                        note=f"比例 = 在开放题中指出该能力不足的单位数 / 全部 {int(s['n'].iloc[0]):,} 家单位；"
                             f"括号内为 {conf_text(f)} 置信区间。",
                        column_labels={"competency": "能力", "count": "提及单位数", "share_ci": "占比"},
                        formats={"count": "int", "share_ci": "pct_ci"}))
    q = f.employer_quotes
    if q is not None and len(q):
        blocks += [Quote(r.quote, r.source) for r in q.itertuples()]
    return blocks


def _tools(f) -> list:
    t = f.tools
    if t is None or not len(t):
        return []
    s = shown(t[t["level"] == "school"]).head(15).copy()
    if not len(s):
        return []
    s["share_ci"] = ci_cells(s, "share", "low", "high")
    blocks: list = [Heading("用人单位提到的工具与软件"),
                    Table(s[["tool", "field", "count", "share_ci"]].reset_index(drop=True),
                          "用人单位评论中提到的工具与软件（全校，前 15）",
                          note=f"比例 = 评论中提到该工具的单位数 / 全部单位；括号内为 {conf_text(f)} 置信区间。",
                          column_labels={"tool": "工具/软件", "field": "所属领域", "count": "提及单位数", "share_ci": "占比"},
                          formats={"count": "int", "share_ci": "pct_ci"})]
    mj = shown(t[t["level"] == "major"])
    if len(mj):
        order = {m: i for i, m in enumerate(f.majors["major"])} if f.majors is not None else {}
        rows = [{"group": g, "tools": "、".join(f"{r.tool}（{r.count}）" for r in part.head(5).itertuples())}
                for g, part in sorted(mj.groupby("group", sort=False), key=lambda x: order.get(x[0], 999))]
        blocks.append(Table(pd.DataFrame(rows), "各专业的用人单位提到最多的工具（前 5，括号内为单位数）",
                            column_labels={"group": "专业", "tools": "工具（单位数）"}, formats={"tools": "text"}))
    return blocks


def _themes(f) -> list:
    th = f.themes
    tt = th.get("themes") if th is not None else None
    if not isinstance(tt, pd.DataFrame) or not len(tt):
        return []
    cols = [c for c in ("label", "size", "share", "top_terms", "competency") if c in tt.columns]
    t = tt[cols].head(15).reset_index(drop=True)
    if "top_terms" in t.columns:
        t["top_terms"] = [("、".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for v in t["top_terms"]]
    blocks: list = [Heading("能力短板主题"),
                    Table(t, "用人单位评论的短板主题（聚类）",
                          note="主题由评论中的能力短板表述聚类得到；占比 = 该主题的表述数 / 全部已聚类的表述数。",
                          column_labels={"label": "主题", "size": "表述数", "share": "占比", "top_terms": "代表词",
                                         "competency": "对应能力"},
                          formats={"size": "int", "share": "pct", "top_terms": "text"})]
    if "examples" in tt.columns:
        for lab, v in zip(tt["label"].head(3), tt["examples"].head(3)):
            if isinstance(v, (list, tuple)) and v:
                blocks.append(Quote(clip(v[0]), f"用人单位，主题「{lab}」"))
    return blocks


def _keywords(f) -> list:
    kw = f.keywords
    if kw is None or not len(kw) or "group" not in kw.columns:
        return []
    top = kw[kw["rank"] <= 5]
    order = {m: i for i, m in enumerate(f.majors["major"])} if f.majors is not None else {}
    groups = sorted(dict.fromkeys(top["group"]), key=lambda m: order.get(m, 999))
    wide = pd.DataFrame({"group": groups,
                         "keyword": ["、".join(map(str, top.loc[top["group"] == g, "keyword"])) for g in groups]})
    return [Table(wide, "用人单位评论的关键词（按专业，前 5 个）", column_labels={"group": "专业", "keyword": "关键词"},
                  formats={"keyword": "text"})]


def employer_chapter(f, title: str, charts: bool) -> Section | None:
    if f.employer is None:
        return None
    when = period(f, "employer")
    blocks: list = [Paragraph(f"共 {len(f.employer.data):,} 家用人单位提交了有效问卷。以下分析单位构成、对毕业生各项能力的"
                              "重要度与满意度评价、关键驱动因素，以及开放题中反映的能力短板。")]
    blocks += _profile(f, charts, when) + _ratings(f, charts, when) + _gaps(f, charts, when) + _tools(f) + _themes(f)
    blocks += _keywords(f)
    return Section(title, blocks)
