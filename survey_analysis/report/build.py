"""The curriculum-adjustment report: :class:`Findings` → :class:`Report` → PDF, HTML, XLSX, DOCX.

:func:`report_model` lays the findings out as a :class:`~survey_analysis.report.model.Report`
(cover, contents, executive summary, data and method, employer demand, graduate outcomes,
teaching feedback, one profile per major, the recommendations, the ledger when there is one,
appendix).  It computes nothing new: every figure is a cell of a Findings table (or of
:func:`survey_analysis.curriculum.recommend` / :func:`~survey_analysis.curriculum.skill_gap_shares`),
only formatted here, so the same number appears in every format.

:func:`build_report` renders it atomically (a failed build leaves no half-written report).
"""
from __future__ import annotations

import datetime as _dt
import logging
import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from .model import (
    BulletList,
    Figure,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Section,
    Table,
    TableOfContents,
)

__all__ = ["report_model", "build_report", "REPORT_TITLE"]

logger = logging.getLogger(__name__)

REPORT_TITLE = "用人单位需求与毕业生跟踪调查报告"
_SUBTITLE = "——专业建设与课程调整建议"
_LEVEL = {"school": "全校", "college": "学院", "major": "专业"}
_SCHOOL = "全校"
_MAX_QUOTE = 200  # characters of one quoted comment shown


# ------------------------------------------------------------------------------------------
# small helpers (formatting only)
# ------------------------------------------------------------------------------------------

def _pct(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{float(x) * 100:.1f}%"


def _ci(x, lo, hi) -> str:
    if x is None or pd.isna(x):
        return "—"
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return _pct(x)
    return f"{_pct(x)}（95%置信区间 {float(lo) * 100:.1f}–{float(hi) * 100:.1f}%）"


def _money(x) -> str:
    return "—" if x is None or pd.isna(x) else f"¥{float(x):,.0f}"


def _n(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{int(x):,}"


def _ok(df: pd.DataFrame | None) -> pd.DataFrame:
    """Rows that are not suppressed."""
    if df is None or not len(df):
        return pd.DataFrame() if df is None else df
    if "suppressed" in df.columns:
        return df[~df["suppressed"].fillna(False).astype(bool)]
    return df


def _level(df: pd.DataFrame, level: str) -> pd.DataFrame:
    return df[df["level"] == level] if "level" in df.columns else df


def _school(df: pd.DataFrame | None) -> pd.Series | None:
    if df is None or not len(df):
        return None
    if "level" in df.columns:
        s = df[df["level"] == "school"]
    elif "group" in df.columns:
        s = df[df["group"] == _SCHOOL]
    else:
        return None
    return s.iloc[0] if len(s) else None


def _ci_col(df: pd.DataFrame, rate: str, low: str | None = None, high: str | None = None) -> list:
    low = low or f"{rate}_low"
    high = high or f"{rate}_high"
    return [(a, b, c) for a, b, c in zip(df[rate], df.get(low, pd.Series(np.nan, index=df.index)),
                                          df.get(high, pd.Series(np.nan, index=df.index)))]


def _clip(text, limit: int = _MAX_QUOTE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _with_level_label(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if "level" in out.columns:
        out["level"] = out["level"].map(_LEVEL).fillna(out["level"])
    return out


def _major_order(findings) -> list[str]:
    cfg = findings.config
    names: list[str] = []
    if getattr(cfg, "majors", None) is not None and "name" in cfg.majors.columns:
        names = [str(x) for x in cfg.majors["name"]]
    seen = set(names)
    for src in (findings.outcomes or {}).get("placement"), findings.competencies:
        if src is None or not len(src):
            continue
        if "level" in src.columns:
            groups = src.loc[src["level"] == "major", "group"]
        else:
            groups = src.loc[(src.get("group_by") == "major") & (src["group"] != _SCHOOL), "group"]
        for g in groups.astype(str):
            if g not in seen:
                names.append(g)
                seen.add(g)
    # keep only majors that appear somewhere in the data (distinct values first: the
    # graduate frame has a million rows at provincial scale)
    present = set()
    for res in [findings.employer, findings.graduate]:
        d = getattr(res, "data", None)
        if d is not None and "major" in d.columns:
            present |= set(map(str, d["major"].dropna().unique()))
    return [m for m in names if not present or m in present]


_GAP_MEMO: dict = {}


def _gap_shares(skills, data, *, by, min_cell) -> pd.DataFrame:
    """``curriculum.skill_gap_shares``, computed once per report (the executive summary, the
    employer chapter and the major profiles ask for the same tables; each call scans every
    skill mention and every employer)."""
    from ..curriculum import skill_gap_shares

    key = (id(skills), id(data), by, min_cell)
    hit = _GAP_MEMO.get(key)
    if hit is not None and hit[0] is skills and hit[1] is data:
        return hit[2].copy()
    s_in, d_in = skills, data
    if isinstance(skills, pd.DataFrame) and isinstance(data, pd.DataFrame):
        # only the columns it reads: filtering every column of the mention table (hundreds
        # of thousands of rows, dozens of Arrow columns) was most of its time
        need = ["comment_id", "competency_id", "competency", "polarity", *([by] if by else [])]
        if set(need) <= set(skills.columns) and {"respondent_id", *([by] if by else [])} <= set(data.columns):
            s_in = skills[need]
            d_in = data[["respondent_id", *([by] if by else [])]]
    out = skill_gap_shares(s_in, d_in, by=by, min_cell=min_cell)
    _GAP_MEMO[key] = (skills, data, out)
    return out.copy()


def _period(findings, what: str) -> str:
    cohort = findings.cohort
    if what == "employer":
        return f"{cohort} 年用人单位调查" if cohort else "用人单位调查"
    return f"{cohort} 届毕业生跟踪调查" if cohort else "毕业生跟踪调查"


def _college_of(findings) -> dict:
    from ..curriculum import _college_of as co

    return co(findings)


# ------------------------------------------------------------------------------------------
# sections
# ------------------------------------------------------------------------------------------

def _executive_summary(f, recs: pd.DataFrame) -> Section:
    items: list[str] = []
    figs: list[tuple] = []
    pl = (f.outcomes or {}).get("placement")
    sp = _school(pl)
    if sp is not None:
        figs.append(("就业去向落实率", _pct(sp["placement_rate"]), f"{f.cohort} 届，n={_n(sp['n'])}"))
        warn = f.warnings
        text = (f"{f.cohort} 届毕业生就业去向落实率为 {_ci(sp['placement_rate'], sp['placement_rate_low'], sp['placement_rate_high'])}"
                f"（n={_n(sp['n'])}）。")
        if warn is not None and len(warn) and "below_threshold_consecutive" in warn.columns:
            low = warn[warn["below_threshold_consecutive"].fillna(False).astype(bool)]
            if len(low):
                names = "、".join(f"{r.major}（{f.cohort} 届 {_pct(r[f'placement_rate_{f.cohort}']) if f'placement_rate_{f.cohort}' in warn.columns else '—'}）"
                                 for _, r in low.iterrows())
                text += (f"{len(low)} 个专业的落实率连续 {int(low['years_below_threshold'].min())} 年以上低于 "
                         f"{_pct(f.config.warning_threshold)}：{names}，已触发专业预警。")
        items.append(text)
    inc = _school((f.outcomes or {}).get("income"))
    if inc is not None:
        figs.append(("月收入中位数", _money(inc["median"]), f"在职毕业生 n={_n(inc['n'])}"))
    emp = getattr(f.employer, "data", None)
    if emp is not None:
        figs.append(("用人单位样本", f"{len(emp):,} 家", _period(f, "employer")))
        gs = _ok(_gap_shares(f.employer_skills, emp, by=None, min_cell=f.config.min_cell)).head(3)
        if len(gs):
            parts = "、".join(f"{r.competency}（{_pct(r.share)}）" for r in gs.itertuples())
            items.append(f"用人单位在开放题中最常指出的能力短板是：{parts}（占全部 {len(emp):,} 家单位的比例）。")
    ipa = f.ipa
    if ipa is not None and len(ipa):
        school = ipa[(ipa["group"] == _SCHOOL) & (ipa["quadrant"] == "concentrate")]
        drv = f.drivers
        text = ""
        if len(school):
            text = ("全校层面处于“重点改进区”（重要但表现不满意）的能力："
                    + "、".join(f"{r.label}（重要度 {r.imp_mean:.2f}，满意度 {r.sat_mean:.2f}）" for r in school.itertuples())
                    + "。")
        if drv is not None and len(drv) and "significant" in drv.columns:
            top = drv[drv["significant"].fillna(False).astype(bool)].head(3)
            if len(top):
                text += "对用人单位总体满意度影响最大的是：" + "、".join(map(str, top["label"])) + "（关键驱动因素分析）。"
        if text:
            items.append(text)
    ab = f.abilities
    if ab is not None and len(ab):
        low = _ok(ab[(ab["level"] == "major")])
        low = low[low["fulfilment"] < 85].sort_values("fulfilment")
        if len(low):
            by = low.groupby("competency_label", sort=False).size().sort_values(ascending=False).head(3)
            items.append(
                f"毕业生自评能力满足度低于 85% 的情况共 {len(low)} 项（专业×能力），集中在"
                + "、".join(f"{k}（{v} 个专业）" for k, v in by.items())
                + f"；最低为{low.iloc[0]['group']}的{low.iloc[0]['competency_label']}（{low.iloc[0]['fulfilment']:.1f}%）。")
    to = (f.outcomes or {}).get("turnover")
    st = _school(to)
    if st is not None:
        hi = _ok(_level(to, "major"))
        hi = hi[hi["turnover_rate"] >= st["turnover_rate"] + 0.10].sort_values("turnover_rate", ascending=False)
        text = f"毕业生离职率为 {_pct(st['turnover_rate'])}（n={_n(st['n'])}）"
        if len(hi):
            text += "；明显偏高的专业：" + "、".join(f"{r.group}（{_pct(r.turnover_rate)}）" for r in hi.itertuples())
        jq = (f.outcomes or {}).get("job_quality")
        rel = _school(jq[jq["item"] == "relevance"]) if jq is not None and len(jq) else None
        if rel is not None:
            text += f"；专业相关度为 {_pct(rel['rate'])}"
        items.append(text + "。")
    if recs is not None and len(recs):
        m = recs[recs["level"] == "major"]
        by_type = m.groupby("type").size()
        items.append(
            f"本报告共提出 {len(m)} 条专业层面的建议（" + "、".join(f"{k} {v} 条" for k, v in by_type.items())
            + "），每条附有证据（样本量、比例及其置信区间、原话摘录），见第 7 部分与各专业画像。")
    blocks: list = []
    if figs:
        blocks.append(KeyFigures(figs[:4]))
    blocks.append(Paragraph("以下是本次调查最值得专业建设委员会关注的五项发现："))
    blocks.append(BulletList(items[:5], ordered=True))
    if f.notes:
        blocks.append(Paragraph("说明：" + "；".join(map(str, f.notes))))
    return Section("一、执行摘要", blocks)


def _data_method(f) -> Section:
    from ..cleaning import EXCLUSION_REASONS

    cfg = f.config
    rows = []
    sources = [("用人单位调查", f.employer)] + [(f"{c} 届毕业生调查", r) for c, r in sorted((f.graduates or {}).items(),
                                                                                   reverse=True)]
    for name, res in sources:
        if res is None:
            continue
        s = res.summary
        ex = s.get("excluded_by_reason", {})
        rows.append({"survey": name, "file": s.get("file", ""), "platform": s.get("platform", ""),
                     "rows_in": s["rows_in"], "rows_kept": s["rows_kept"], "rows_excluded": s["rows_excluded"],
                     "reasons": "；".join(f"{EXCLUSION_REASONS.get(k, k).split('（')[0]} {v}" for k, v in ex.items() if v)
                                or "无"})
    samples = pd.DataFrame(rows, columns=["survey", "file", "platform", "rows_in", "rows_kept", "rows_excluded", "reasons"])
    blocks: list = [Paragraph(
        f"本报告依据 {len(samples)} 份问卷数据：" + "、".join(samples["survey"]) + "。原始导出文件不作修改；"
        "清洗步骤（重编码、剔除无效答卷、删除个人信息、假名化编号、评论脱敏）全部记录在清洗日志中。")]
    blocks.append(Table(samples, "表 2-1 样本与清洗结果", note="排除原因：空白答卷、重复提交、答题过快、直线作答等。",
                        column_labels={"survey": "调查", "file": "文件", "platform": "平台", "rows_in": "读入行数",
                                       "rows_kept": "保留", "rows_excluded": "排除", "reasons": "排除原因（行数）"},
                        formats={"rows_in": "int", "rows_kept": "int", "rows_excluded": "int"}))
    # response by major
    pop = f.population
    pl = (f.outcomes or {}).get("placement")
    if pop is not None and len(pop) and pl is not None:
        ncol = "count" if "count" in pop.columns else "n"
        tot = pop.groupby("major")[ncol].sum()
        resp = _level(pl, "major").set_index("group")["n_respondents" if "n_respondents" in pl.columns else "n"]
        rr = pd.DataFrame({"major": tot.index.astype(str), "population": tot.to_numpy()})
        rr["respondents"] = rr["major"].map(resp)
        rr["rate"] = rr["respondents"] / rr["population"]
        order = {m: i for i, m in enumerate(_major_order(f))}
        rr = rr.sort_values("major", key=lambda s: s.map(lambda m: order.get(m, 999))).reset_index(drop=True)
        # the school total is the school row of the placement table, not the sum of the majors
        # shown (hidden small majors would be left out); complementary suppression in that table
        # keeps the hidden majors from being worked out by subtraction
        rcol = "n_respondents" if "n_respondents" in pl.columns else "n"
        srow = _level(pl, "school")
        n_school = float(srow[rcol].iloc[0]) if len(srow) else float(rr["respondents"].sum())
        total = pd.DataFrame([{"major": _SCHOOL, "population": rr["population"].sum(),
                               "respondents": n_school,
                               "rate": n_school / rr["population"].sum()}])
        rr = pd.concat([total, rr], ignore_index=True)
        blocks.append(Table(rr, f"表 2-2 {f.cohort} 届毕业生调查回收情况",
                            note="毕业生人数来自学生名单；回收率 = 有效答卷 / 毕业生人数。",
                            column_labels={"major": "专业", "population": "毕业生人数", "respondents": "有效答卷",
                                           "rate": "回收率"},
                            formats={"population": "int", "respondents": "int", "rate": "pct"}, highlight=[0]))
    defs = [
        f"就业去向落实率（placement rate）：{'新锦成口径：（国内工作+自主创业+自由职业+国内求学+出国/出境）/ 回答去向题的人数' if cfg.placement == 'xinjincheng' else 'MyCOS 口径：已就业 / 需就业人数（准备考研者不计入分母）'}。",
        f"满意（satisfied）比例：{'很满意+满意（前两项，MyCOS 口径）' if cfg.satisfied == 'top2' else '很满意+比较满意+一般（前三项，新锦成口径）'}；“无法评价”不计入分母，不计 0 分。",
        "均值：5 分制，5 = 最好；能力满足度 = 毕业时水平均值 / 岗位要求水平均值（≥90% 满足，85–90% 基本满足，75–85% 不太满足，<75% 不满足）。",
        "重要度–满意度分析（IPA）：以各能力重要度与满意度的均值为分界，重要度高而满意度低的能力处于“重点改进区”。",
        f"小样本保护：样本量少于 {cfg.min_cell} 的组不显示数值（—），也不作为建议的依据。",
        "置信区间：比例用 Wilson 95% 区间，均值用 t 区间。",
    ]
    if f.population is not None and cfg.weight and f.graduate is not None and "weight" in f.graduate.data.columns:
        defs.append("加权：毕业生结果按学生名单（专业×性别）事后分层加权（post-stratification），表中 n 为答卷人数，"
                    "有效样本量按 Kish 公式计算。")
    else:
        defs.append("加权：未加权（未提供总体名单或已关闭加权）。")
    blocks.append(Heading("口径与定义"))
    blocks.append(BulletList(defs))
    if f.reliability is not None and len(f.reliability):
        blocks.append(Table(f.reliability[["grid_zh", "k", "n", "alpha", "ci_low", "ci_high"]],
                            "表 2-3 量表信度（Cronbach's α）",
                            column_labels={"grid_zh": "量表", "k": "题数", "n": "完整作答数", "alpha": "α 系数",
                                           "ci_low": "95%下限", "ci_high": "95%上限"},
                            formats={"k": "int", "n": "int", "alpha": "float2", "ci_low": "float2", "ci_high": "float2"}))
    return Section("二、数据与方法", blocks)


def _employer_section(f, charts: bool) -> Section | None:
    emp = getattr(f.employer, "data", None)
    if emp is None:
        return None
    mc = f.config.min_cell
    period = _period(f, "employer")
    blocks: list = [Paragraph(f"共 {len(emp):,} 家用人单位提交了有效问卷。以下分析单位构成、对毕业生各项能力的"
                              "重要度与满意度评价、关键驱动因素，以及开放题中反映的能力短板。")]
    prof = f.employer_profile or {}
    ind = prof.get("industry")
    if ind is not None and len(ind):
        blocks.append(Heading("用人单位构成"))
        t = ind.sort_values("n", ascending=False).reset_index(drop=True)
        if charts and len(_ok(t)):
            blocks.append(_bar(_ok(t).head(12), "industry", "share", title="图 3-1 用人单位行业分布",
                               caption_n=int(ind.attrs.get("n_total", t["n"].sum())), period=period))
        blocks.append(Table(t, "表 3-1 用人单位行业分布", column_labels={"industry": "行业（GB/T 4754 门类）", "n": "单位数",
                                                                     "share": "占比"},
                            formats={"n": "int", "share": "pct"}))
    for key, cap, lab in (("employer_type", "表 3-2 用人单位性质", "单位性质"), ("employer_size", "表 3-3 用人单位规模", "单位规模")):
        t = prof.get(key)
        if t is not None and len(t):
            blocks.append(Table(t.sort_values("n", ascending=False).reset_index(drop=True), cap,
                                column_labels={key: lab, "n": "单位数", "share": "占比"},
                                formats={"n": "int", "share": "pct"}))
    comp = f.competencies
    if comp is not None and len(comp):
        blocks.append(Heading("能力素质的重要度与满意度"))
        school = comp[comp["group"] == _SCHOOL].copy()
        school["imp_ci"] = [(a, b, c) for a, b, c in zip(school["imp_mean"], school["imp_ci_low"], school["imp_ci_high"])]
        school["sat_share_ci"] = _ci_col(school, "sat_share", "sat_share_ci_low", "sat_share_ci_high")
        t = school[["label", "n_imp", "imp_mean", "n_sat", "sat_mean", "sat_share_ci", "gap"]].reset_index(drop=True)
        blocks.append(Table(t, "表 3-4 用人单位对毕业生能力素质的评价（全校）",
                            note="重要度、满意度为 5 分制均值；满意比例为"
                                 + ("前两项（很满意+满意）" if f.config.satisfied == "top2" else "前三项")
                                 + "，括号内为 95% 置信区间；差距 = 重要度 − 满意度。",
                            column_labels={"label": "能力素质", "n_imp": "重要度 n", "imp_mean": "重要度",
                                           "n_sat": "满意度 n", "sat_mean": "满意度", "sat_share_ci": "满意比例",
                                           "gap": "差距"},
                            formats={"n_imp": "int", "n_sat": "int", "imp_mean": "float2", "sat_mean": "float2",
                                     "sat_share_ci": "pct_ci", "gap": "float2"}))
    ipa = f.ipa
    if ipa is not None and len(ipa):
        school = ipa[ipa["group"] == _SCHOOL]
        if charts and len(school):
            r0 = school.iloc[0]
            blocks.append(_ipa(school, int(r0["n"]), period, "图 3-2 能力素质重要度–满意度分析（全校）",
                               r0.get("imp_line"), r0.get("sat_line")))
        conc = school[school["quadrant"] == "concentrate"]
        if len(conc):
            blocks.append(Paragraph("处于“重点改进区”的能力：" + "、".join(map(str, conc["label"])) + "。这些能力用人单位认为重要，"
                                    "但对我校毕业生的表现评价偏低，是课程与实践教学改革的首要方向。"))
    drv = f.drivers
    if drv is not None and len(drv):
        sig = drv[drv["significant"].fillna(False).astype(bool)] if "significant" in drv.columns else drv
        t = (sig if len(sig) else drv).head(8)[["rank", "label", "odds_ratio", "or_ci_low", "or_ci_high", "p", "reading"]]
        t = t.reset_index(drop=True).assign(p=[("<0.001" if p < 0.001 else f"{p:.3f}") if pd.notna(p) else "—"
                                               for p in t["p"]])
        blocks.append(Table(t, "表 3-5 用人单位总体满意度的关键驱动因素",
                            note="有序 logistic 回归：满意度每提高 1 分，总体满意几率的倍数（OR）；只列出显著（p<0.05）的能力。",
                            column_labels={"rank": "排序", "label": "能力素质", "odds_ratio": "OR", "or_ci_low": "OR 下限",
                                           "or_ci_high": "OR 上限", "p": "p 值", "reading": "解读"},
                            formats={"rank": "int", "odds_ratio": "float2", "or_ci_low": "float2", "or_ci_high": "float2",
                                     "p": "text", "reading": "text"}))
    gs = _gap_shares(f.employer_skills, emp, by=None, min_cell=mc)
    if len(gs):
        blocks.append(Heading("开放题中的能力短板"))
        t = gs.head(12)[["competency", "count", "n", "share", "low", "high"]].reset_index(drop=True)
        t["share_ci"] = _ci_col(t, "share", "low", "high")
        if charts:
            blocks.append(_bar(t, "competency", "share", low="low", high="high", title="图 3-3 用人单位指出的能力短板（全校）",
                               caption_n=int(t["n"].iloc[0]), period=period))
        blocks.append(Table(t[["competency", "count", "share_ci"]], "表 3-6 用人单位开放题中提及的能力短板（全校）",
                            note=f"比例 = 在开放题中指出该能力不足的单位数 / 全部 {len(emp):,} 家单位；括号内为 95% 置信区间。",
                            column_labels={"competency": "能力", "count": "提及单位数", "share_ci": "占比"},
                            formats={"count": "int", "share_ci": "pct_ci"}))
        quotes = _employer_quotes(f, gs.head(3)["competency_id"].tolist(), k=3)
        for q, src in quotes:
            blocks.append(Quote(q, src))
    th = f.themes
    tt = None
    if th is not None:
        tt = th.get("themes") if isinstance(th, dict) else getattr(th, "themes", getattr(th, "themes_", None))
    if isinstance(tt, pd.DataFrame) and len(tt):
        blocks.append(Heading("能力短板主题"))
        cols = [c for c in ("label", "size", "share", "top_terms", "competency") if c in tt.columns]
        t = tt[cols].head(15).reset_index(drop=True)
        if "top_terms" in t.columns:
            t["top_terms"] = [("、".join(map(str, v)) if isinstance(v, (list, tuple)) else v) for v in t["top_terms"]]
        blocks.append(Table(t, "表 3-7 用人单位评论的短板主题（聚类）",
                            note="主题由评论中的能力短板表述聚类得到；占比 = 该主题的表述数 / 全部已聚类的表述数。",
                            column_labels={"label": "主题", "size": "表述数", "share": "占比", "top_terms": "代表词",
                                           "competency": "对应能力"},
                            formats={"size": "int", "share": "pct", "top_terms": "text"}))
        ex = tt["examples"] if "examples" in tt.columns else None
        if ex is not None:
            for lab, v in zip(tt["label"].head(3), ex.head(3)):
                if isinstance(v, (list, tuple)) and v:
                    blocks.append(Quote(_clip(v[0]), f"用人单位，主题「{lab}」"))
    kw = f.keywords
    if kw is not None and len(kw):
        top = kw[kw["rank"] <= 5].copy()
        if "group" in top.columns:
            wide = top.groupby("group", sort=False)["keyword"].apply(lambda s: "、".join(map(str, s))).reset_index()
            order = {m: i for i, m in enumerate(_major_order(f))}
            wide = wide.sort_values("group", key=lambda s: s.map(lambda m: order.get(m, 999))).reset_index(drop=True)
            blocks.append(Table(wide, "表 3-8 用人单位评论的关键词（按专业，前 5 个）",
                                column_labels={"group": "专业", "keyword": "关键词"}, formats={"keyword": "text"}))
    return Section("三、用人单位需求", blocks)


def _employer_quotes(f, competencies: list, k: int = 3, group: tuple | None = None) -> list[tuple[str, str]]:
    """Redacted employer comments that name the given competencies as gaps (one per competency)."""
    sk = f.employer_skills
    emp = getattr(f.employer, "data", None)
    if sk is None or emp is None or not len(sk):
        return []
    m = sk[(sk["polarity"] == "gap") & (sk["competency_id"].isin(competencies))]
    if group is not None and group[0] in m.columns:
        m = m[m[group[0]] == group[1]]
    fields = m["field"] if "field" in m.columns else pd.Series("comment_skills", index=m.index)
    text_cols = [c for c in fields.dropna().unique() if c in emp.columns]
    # only the comment columns (and industry) of each respondent's first row: the employer
    # frame has 200,000 rows and dozens of columns at provincial scale
    keep = list(dict.fromkeys(["respondent_id", *text_cols, *(["industry"] if "industry" in emp.columns else [])]))
    look = emp[keep].drop_duplicates("respondent_id").set_index("respondent_id")
    out, seen = [], set()
    for comp in competencies:
        sel = (m["competency_id"] == comp).to_numpy()
        cids, fld = m["comment_id"][sel], fields[sel]
        keys, vals, ids = [], [], []
        for c in text_cols:
            i = cids[(fld == c).to_numpy()]
            if not len(i):
                continue
            v = i.map(look[c]).to_numpy(dtype=object)
            n = np.fromiter((len(x) if isinstance(x, str) else -1 for x in v), dtype=np.int64, count=len(v))
            keys.append(np.where(n >= 6, np.abs(n - 30), -1))
            vals.append(v)
            ids.append(i.to_numpy(dtype=object))
        best = None
        if keys:
            key, vals, ids = np.concatenate(keys), np.concatenate(vals), np.concatenate(ids)
            # the comment closest to 30 characters (then the smallest text and id): look at
            # the candidates of one length distance at a time, nearest first
            for d in np.unique(key[key >= 0]):
                cands = [(int(d), vals[j], ids[j]) for j in np.flatnonzero(key == d)
                         if len(vals[j].strip()) >= 6 and vals[j] not in seen]
                if cands:
                    best = min(cands)
                    break
        if best is not None:
            _, v, cid = best
            seen.add(v)
            row = look.loc[cid]
            src = "用人单位" + "".join(f"，{row[c]}" for c in ("industry",) if c in look.columns and isinstance(row[c], str))
            out.append((_clip(v), src))
        if len(out) >= k:
            break
    return out


def _outcomes_section(f, charts: bool) -> Section | None:
    oc = f.outcomes or {}
    pl = oc.get("placement")
    if pl is None or not len(pl):
        return None
    period = _period(f, "graduate")
    sp = _school(pl)
    blocks: list = [Paragraph(
        f"{f.cohort} 届毕业生跟踪调查共有 {_n(sp['n'])} 份有效答卷用于计算毕业去向。各表均在全校、学院、专业三个层面给出，"
        "括号内为 95% 置信区间。")]
    blocks.append(Heading("毕业去向"))
    t = pl.copy()
    t["placement_ci"] = _ci_col(t, "placement_rate")
    t = _with_level_label(t)
    t = t[["level", "group", "n", "placement_ci", "employment_rate", "further_study_domestic_rate", "abroad_rate",
           "unemployed_rate", "suppressed"]]
    mj = _ok(_level(pl, "major"))
    bench = f.config.placement_benchmark
    if charts and len(mj):
        blocks.append(_bar(mj, "group", "placement_rate", low="placement_rate_low", high="placement_rate_high",
                           title="图 4-1 各专业就业去向落实率", caption_n=int(sp["n"]), period=period,
                           target=bench if bench is not None else float(sp["placement_rate"]),
                           target_label="当地平均" if bench is not None else "全校"))
    from ..outcomes import LABELS as OL

    blocks.append(Table(t.reset_index(drop=True), "表 4-1 毕业去向（就业去向落实率）",
                        column_labels={**OL, "group": "学院/专业", "placement_ci": OL["placement_rate"]},
                        formats={"n": "int", "placement_ci": "pct_ci", "employment_rate": "pct",
                                 "further_study_domestic_rate": "pct", "abroad_rate": "pct", "unemployed_rate": "pct"},
                        highlight=[0]))
    tr = f.trends
    if charts and f.graduates and len(f.graduates) > 1:
        rows = []
        wl = f.warnings
        if wl is not None and len(wl):
            cols = sorted(c for c in wl.columns if c.startswith("placement_rate_") and c[-4:].isdigit())
            for _, r in wl.iterrows():
                for c in cols:
                    rows.append({"cohort": int(c[-4:]), "major": r["major"], "rate": r[c]})
            d = pd.DataFrame(rows)
            if len(d):
                low = wl[wl["below_threshold_consecutive"].fillna(False).astype(bool)]["major"].tolist()
                show = low or wl["major"].head(3).tolist()
                d = d[d["major"].isin(show)]
                if tr is not None and len(tr):
                    s = tr[(tr["level"] == "school") & (tr["metric"] == "placement_rate")]
                    first = s.iloc[0] if len(s) else None
                    srows = [{"cohort": int(r.cohort), "major": _SCHOOL, "rate": r.value} for r in s.itertuples()]
                    if first is not None:
                        srows.insert(0, {"cohort": int(first["cohort_prev"]), "major": _SCHOOL, "rate": first["value_prev"]})
                    d = pd.concat([pd.DataFrame(srows), d], ignore_index=True)
                d["cohort"] = d["cohort"].astype(int)
                if len(d):
                    blocks.append(_line_fig(d, f, period))
    if f.warnings is not None and len(f.warnings):
        w = f.warnings.copy()
        cols = sorted(c for c in w.columns if c.startswith("placement_rate_") and c[-4:].isdigit())
        labels = {c: f"{c[-4:]} 届落实率" for c in cols}
        w["below_threshold_consecutive"] = w["below_threshold_consecutive"].map({True: "是", False: "否"})
        show = ["major", "college", *cols, "years_below_threshold", "below_threshold_consecutive", "card"]
        blocks.append(Table(w[show].reset_index(drop=True), "表 4-2 专业预警（历届就业去向落实率）",
                            note=f"连续低于阈值：就业去向落实率连续 {f.config.warning_years} 年及以上低于 "
                                 f"{_pct(f.config.warning_threshold)}。预警牌按失业人数与综合指数（落实率、收入、就业满意度）划分。",
                            column_labels={"major": "专业", "college": "学院", **labels,
                                           "years_below_threshold": "连续低于阈值年数",
                                           "below_threshold_consecutive": "触发预警", "card": "预警牌"},
                            formats={**{c: "pct" for c in cols}, "years_below_threshold": "int"},
                            highlight=[i for i, v in enumerate(w["below_threshold_consecutive"]) if v == "是"]))
    inc = oc.get("income")
    if inc is not None and len(inc):
        blocks.append(Heading("月收入"))
        t = _with_level_label(inc)[["level", "group", "n", "mean", "median", "p25", "p75", "suppressed"]]
        blocks.append(Table(t.reset_index(drop=True), "表 4-3 在职毕业生月收入（元）",
                            note="税前月收入；明显不合理的值已排除（见清洗日志）。",
                            column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", "mean": "均值",
                                           "median": "中位数", "p25": "P25", "p75": "P75"},
                            formats={"n": "int", "mean": "money", "median": "money", "p25": "money", "p75": "money"},
                            highlight=[0]))
    jq = oc.get("job_quality")
    if jq is not None and len(jq):
        blocks.append(Heading("专业相关度、职业期待吻合度与就业满意度"))
        wide = jq.pivot_table(index=["level", "group"], columns="item", values="rate", aggfunc="first", sort=False)
        nn = jq[jq["item"] == "relevance"].set_index(["level", "group"])["n"]
        wide = wide.reset_index()
        wide["n"] = [nn.get((a, b)) for a, b in zip(wide["level"], wide["group"])]
        items = [c for c in ("relevance", "expectation_fit", "job_sat__overall", "job_sat__pay", "job_sat__prospects",
                             "job_sat__content") if c in wide.columns]
        labels = dict(zip(jq["item"], jq["item_label"]))
        t = _with_level_label(wide)[["level", "group", "n", *items]]
        blocks.append(Table(t, "表 4-4 专业相关度与就业满意度（在职毕业生）",
                            note="比例为选择前两项（很相关/相关、很满意/满意等）的在职毕业生占比。",
                            column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", **labels},
                            formats={"n": "int", **{c: "pct" for c in items}}, highlight=[0]))
    to = oc.get("turnover")
    if to is not None and len(to):
        blocks.append(Heading("离职率与推荐度"))
        t = to.copy()
        t["turnover_ci"] = _ci_col(t, "turnover_rate")
        rec = oc.get("recommendation")
        if rec is not None and len(rec):
            r = rec.set_index(["level", "group"])["recommend_rate"]
            t["recommend_rate"] = [r.get((a, b)) for a, b in zip(t["level"], t["group"])]
        t = _with_level_label(t)
        cols = ["level", "group", "n", "turnover_ci"] + (["recommend_rate"] if "recommend_rate" in t.columns else []) + ["suppressed"]
        blocks.append(Table(t[cols].reset_index(drop=True), "表 4-5 离职率与推荐度",
                            note="离职率：毕业以来离职 1 次及以上的在职毕业生占比；推荐度：愿意推荐母校/专业的比例。",
                            column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）",
                                           "turnover_ci": "离职率", "recommend_rate": "推荐度"},
                            formats={"n": "int", "turnover_ci": "pct_ci", "recommend_rate": "pct"}, highlight=[0]))
    return Section("四、毕业生就业状况", blocks)


def _line_fig(d: pd.DataFrame, f, period: str) -> Figure:
    from .charts import line_chart

    n = sum(int(r.summary["rows_kept"]) for r in f.graduates.values())
    return line_chart(d, "cohort", "rate", group="major", title="图 4-2 历届就业去向落实率（全校与预警专业，未加权）",
                      caption_n=n, period="、".join(f"{c} 届" for c in sorted(f.graduates)) + "毕业生跟踪调查",
                      ylabel="就业去向落实率", target=f.config.warning_threshold, target_label="预警线")


def _teaching_section(f, charts: bool) -> Section | None:
    te = f.teaching or {}
    ab = f.abilities
    if not te and (ab is None or not len(ab)):
        return None
    period = _period(f, "graduate")
    blocks: list = [Paragraph("毕业生对母校教学的评价、认为最需改进的方面，以及毕业时的能力水平能否满足工作岗位的要求（能力满足度）。")]
    tr = te.get("teaching_ratings")
    if tr is not None and len(tr):
        wide = tr.pivot_table(index=["level", "group"], columns="item", values="rate", aggfunc="first", sort=False).reset_index()
        nn = tr.drop_duplicates(["level", "group"]).set_index(["level", "group"])["n"]
        wide["n"] = [nn.get((a, b)) for a, b in zip(wide["level"], wide["group"])]
        items = list(dict.fromkeys(tr["item"]))
        labels = dict(zip(tr["item"], tr["item_label"]))
        blocks.append(Table(_with_level_label(wide)[["level", "group", "n", *items]], "表 5-1 毕业生对教学与服务的满意比例",
                            column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", **labels},
                            formats={"n": "int", **{c: "pct" for c in items}}, highlight=[0]))
    im = te.get("improve")
    if im is not None and len(im):
        s = im[im["level"] == "school"].sort_values("share", ascending=False)
        if charts and len(_ok(s)):
            blocks.append(_bar(_ok(s), "option", "share", low="low", high="high", title="图 5-1 毕业生认为母校教学最需改进的方面",
                               caption_n=int(s["n"].iloc[0]), period=period))
        wide = im.pivot_table(index=["level", "group"], columns="option", values="share", aggfunc="first",
                              sort=False).reset_index()
        opts = [o for o in s["option"]]
        blocks.append(Table(_with_level_label(wide)[["level", "group", *opts]], "表 5-2 教学最需改进的方面（多选，选择比例）",
                            column_labels={"level": "层级", "group": "学院/专业"},
                            formats={o: "pct" for o in opts}, highlight=[0]))
    if ab is not None and len(ab):
        s = ab[ab["level"] == "school"].sort_values("fulfilment")
        if charts and len(_ok(s)):
            d = _ok(s).assign(f=lambda x: x["fulfilment"] / 100)
            blocks.append(_bar(d, "competency_label", "f", title="图 5-2 毕业生能力满足度（全校）",
                               caption_n=int(s["n"].max()), period=period, target=0.85, target_label="基本满足线"))
        mj = ab[ab["level"] == "major"]
        wide = mj.pivot_table(index="group", columns="competency_label", values="fulfilment", aggfunc="first", sort=False)
        order = {m: i for i, m in enumerate(_major_order(f))}
        wide = wide.reset_index().sort_values("group", key=lambda x: x.map(lambda m: order.get(m, 999)))
        comps = list(s["competency_label"])
        wide = wide[["group", *[c for c in comps if c in wide.columns]]].reset_index(drop=True)
        blocks.append(Table(s[["competency_label", "n", "importance_mean", "required_mean", "own_mean", "fulfilment",
                               "fulfilment_band", "suppressed"]].reset_index(drop=True),
                            "表 5-3 毕业生能力满足度（全校）",
                            column_labels={"competency_label": "能力", "n": "样本量（n）", "importance_mean": "重要度",
                                           "required_mean": "岗位要求水平", "own_mean": "毕业时水平",
                                           "fulfilment": "能力满足度（%）", "fulfilment_band": "等级"},
                            formats={"n": "int", "importance_mean": "float2", "required_mean": "float2",
                                     "own_mean": "float2", "fulfilment": "float1"}))
        blocks.append(Table(wide, "表 5-4 各专业能力满足度（%）", note="低于 85% 为“不太满足”或“不满足”。",
                            column_labels={"group": "专业"}, formats={c: "float1" for c in comps}))
    return Section("五、教学培养反馈", blocks)


def _major_profiles(f, recs: pd.DataFrame, charts: bool) -> list[Section]:
    majors = _major_order(f)
    if not majors:
        return []
    oc = f.outcomes or {}
    emp = getattr(f.employer, "data", None)
    gaps = _gap_shares(f.employer_skills, emp, by="major", min_cell=f.config.min_cell) if emp is not None else None
    period = _period(f, "graduate")
    college_of = _college_of(f)
    intro: list = [Paragraph(
        "每个专业一页：本专业的主要指标与全校对比、用人单位指出的能力短板、毕业生能力满足度偏低的能力，以及本专业的建议。"
        "样本量不足的指标以“—”表示。下表是各专业的概览。")]
    ov = pd.DataFrame({"major": majors, "college": [college_of.get(m) for m in majors]})
    pl = oc.get("placement")
    if pl is not None and len(pl):
        pm = _level(pl, "major").set_index("group")
        ov["n"] = ov["major"].map(pm["n"])
        ov["placement_rate"] = ov["major"].map(_ok(pm.reset_index()).set_index("group")["placement_rate"])
    if emp is not None and "major" in emp.columns:
        ov["n_employers"] = ov["major"].map(emp["major"].value_counts()).fillna(0).astype(int)
    if recs is not None and len(recs):
        rm = recs[recs["level"] == "major"]
        ov["n_recs"] = ov["major"].map(rm.groupby("group").size()).fillna(0).astype(int)
        ov["n_high"] = ov["major"].map(rm[rm["priority"] == 1].groupby("group").size()).fillna(0).astype(int)
    if f.warnings is not None and "card" in f.warnings.columns:
        ov["card"] = ov["major"].map(f.warnings.set_index("major")["card"])
    intro.append(Table(ov, "表 6-0 各专业概览",
                       column_labels={"major": "专业", "college": "学院", "n": "毕业生答卷", "placement_rate": "就业去向落实率",
                                      "n_employers": "用人单位（家）", "n_recs": "建议条数", "n_high": "其中高优先级",
                                      "card": "预警牌"},
                       formats={"n": "int", "placement_rate": "pct", "n_employers": "int", "n_recs": "int",
                                "n_high": "int"}))
    intro.append(PageBreak())
    out = [Section("六、专业画像", intro)]
    metrics = [
        ("placement", "placement_rate", "就业去向落实率"),
        ("job_quality:relevance", "rate", "专业相关度"),
        ("job_quality:job_sat__overall", "rate", "就业满意度"),
        ("turnover", "turnover_rate", "离职率"),
        ("recommendation", "recommend_rate", "推荐度"),
    ]
    # look-ups built once (a profile per major must not scan every table again)
    lookups = []
    for key, col, label in metrics:
        name, _, item = key.partition(":")
        t = oc.get(name)
        if t is None or not len(t):
            continue
        if item:
            t = t[t["item"] == item]
        by_major = {g: r for g, r in zip(t.loc[t["level"] == "major", "group"],
                                         t[t["level"] == "major"].to_dict("records"))}
        lookups.append((col, label, by_major, _school(t)))
    inc = oc.get("income")
    inc_by = ({g: r for g, r in zip(inc.loc[inc["level"] == "major", "group"], inc[inc["level"] == "major"].to_dict("records"))}
              if inc is not None and len(inc) else {})
    inc_school = _school(inc)
    gaps_by = dict(tuple(gaps.groupby("group", sort=False))) if gaps is not None and len(gaps) else {}
    ab = f.abilities
    ab_by = dict(tuple(ab[ab["level"] == "major"].groupby("group", sort=False))) if ab is not None and len(ab) else {}
    recs_by = (dict(tuple(recs[recs["level"] == "major"].groupby("group", sort=False)))
               if recs is not None and len(recs) else {})
    for i, m in enumerate(majors):
        blocks: list = []
        college = college_of.get(m)
        rows = []
        for col, label, by_major, s in lookups:
            r = by_major.get(m)
            if r is None and s is None:
                continue
            sup = r is None or bool(r.get("suppressed", False)) or pd.isna(r.get(col))
            rows.append({"metric": label, "n": None if r is None else r.get("n"),
                         "major": np.nan if sup else r[col], "school": np.nan if s is None else s[col],
                         "fmt": "pct"})
        r, s = inc_by.get(m), inc_school
        if r is not None or s is not None:
            inc_row = {"metric": "月收入中位数（元）", "n": None if r is None else r.get("n"),
                       "major": np.nan if r is None or r.get("suppressed", False) else r["median"],
                       "school": np.nan if s is None else s["median"]}
        else:
            inc_row = None
        if rows:
            d = pd.DataFrame(rows)
            kf = [(x.metric, _pct(x.major), f"全校 {_pct(x.school)}") for x in d.head(3).itertuples()]
            if inc_row is not None:
                kf.append((inc_row["metric"].replace("（元）", ""), _money(inc_row["major"]),
                           f"n={_n(inc_row['n'])}，全校 {_money(inc_row['school'])}"))
            blocks.append(KeyFigures(kf))
            tab = d[["metric", "n", "major", "school"]].copy()
            blocks.append(Table(tab, f"表 6-{i + 1} {m}：主要指标与全校对比",
                                column_labels={"metric": "指标", "n": "本专业 n", "major": "本专业", "school": "全校"},
                                formats={"n": "int", "major": "pct", "school": "pct"}))
        else:
            blocks.append(Paragraph("本专业没有毕业生跟踪调查数据。"))
        # employer gaps
        if gaps is not None and len(gaps):
            g = gaps_by.get(m, gaps.iloc[:0])
            if not len(g):
                blocks.append(Paragraph("用人单位调查中没有以本专业为主要招聘专业的单位，无法给出用人单位评价。"))
            elif g["suppressed"].all():
                blocks.append(Paragraph(f"以本专业为主要招聘专业的用人单位少于 {f.config.min_cell} 家，不单独报告。"))
            else:
                g = _ok(g).head(5).copy()
                g["share_ci"] = _ci_col(g, "share", "low", "high")
                blocks.append(Table(g[["competency", "count", "n", "share_ci"]].reset_index(drop=True),
                                    f"表 6-{i + 1}b {m}：用人单位指出的能力短板（前 5 项）",
                                    column_labels={"competency": "能力", "count": "提及单位数", "n": "单位数",
                                                   "share_ci": "占比"},
                                    formats={"count": "int", "n": "int", "share_ci": "pct_ci"}))
        elif emp is not None:
            blocks.append(Paragraph("用人单位评论中没有可识别的能力提及。"))
        if m in ab_by:
            low = _ok(ab_by[m])
            low = low[low["fulfilment"] < 85].sort_values("fulfilment")
            if len(low):
                blocks.append(Paragraph("毕业生能力满足度低于 85% 的能力：" + "、".join(
                    f"{r.competency_label} {r.fulfilment:.1f}%（{r.fulfilment_band}，n={int(r.n)}）" for r in low.itertuples())
                    + "。"))
        # recommendations
        mr = recs_by.get(m, pd.DataFrame())
        if len(mr):
            blocks.append(Heading(f"{m}：建议", level=3))
            blocks.append(BulletList([f"【{r.type}｜优先级{r.priority_zh}】{r.recommendation}" for r in mr.head(4).itertuples()],
                                     ordered=True))
            if len(mr) > 4:
                blocks.append(Paragraph(f"另有 {len(mr) - 4} 条建议，全部建议及证据见“七、专业与课程调整建议汇总”。"))
            q = [x for x in "\n".join(mr.head(4)["quotes"].fillna("")).split("\n") if x.strip()]
            for x in list(dict.fromkeys(q))[:1]:
                text, _, who = x.rpartition("（")
                blocks.append(Quote(_clip(text.strip("“”")), f"{who.rstrip('）') or '评论'}，{m}"))
        else:
            blocks.append(Paragraph("按现行规则，本专业没有需要优先处理的问题。"))
        if i < len(majors) - 1:
            blocks.append(PageBreak())
        title = f"{m}" + (f"（{college}）" if college else "")
        out.append(Section(title, blocks, level=2))
    return out


def _recommendations_section(f, recs: pd.DataFrame) -> Section:
    blocks: list = [Paragraph(
        "建议由规则文件（rules.yaml，可由学校修改）从各项证据生成，按专业排序；同一能力或问题由多项证据支持时合并为一条，"
        "并列出全部依据。建议类型对应教学厅函〔2022〕3号提出的四项用途：学科专业调整、人才培养方案制定、招生计划安排、"
        "就业指导服务。")]
    if recs is None or not len(recs):
        blocks.append(Paragraph("按现行规则，没有生成建议。"))
        return Section("七、专业与课程调整建议汇总", blocks)
    from ..curriculum import TYPES

    by = recs.groupby(["level", "type"]).size().unstack(fill_value=0)
    by = by.reindex(columns=[t for t in TYPES if t in by.columns])
    cnt = by.reset_index()
    cnt["level"] = cnt["level"].map(_LEVEL)
    blocks.append(Table(cnt, "表 7-1 建议数量（按类型）", column_labels={"level": "层级"},
                        formats={c: "int" for c in by.columns}))
    from ..curriculum import LABELS as CL

    show = ["group", "rank", "type", "priority_zh", "recommendation", "evidence", "n"]
    for level, cap in (("major", "表 7-2 专业层面的建议（含证据）"), ("college", "表 7-3 学院层面的建议（含证据）")):
        t = recs[recs["level"] == level]
        if not len(t):
            continue
        t = t[show].reset_index(drop=True)
        blocks.append(Table(t, cap, column_labels={**CL, "group": "专业" if level == "major" else "学院", "n": "n"},
                            formats={"rank": "int", "n": "int", "recommendation": "text", "evidence": "text"}))
    return Section("七、专业与课程调整建议汇总", blocks)


_LOG_KINDS = {"exclude": "排除答卷", "recode": "重编码", "redact": "评论脱敏", "drop_column": "删除列", "invalid": "无效值",
              "pseudonymise": "假名化"}
_LOG_RULES = {"not_mapped": "未对应到字段", "pii": "个人信息", "implausible": "不合理的值", "binary_columns": "0/1 多选列",
              "code": "选项编号", "label": "选项文字", "major_catalogue": "专业目录", "normalise": "规范写法",
              "not_applicable": "无法评价计为缺失", "number": "数值", "split_multi": "拆分多选",
              "redact_name": "姓名", "redact_phone": "手机号", "redact_id": "证件号", "redact_email": "邮箱",
              "redact_student_id": "学号"}


def _appendix(f, chapter: int = 8) -> Section:
    from ..cleaning import EXCLUSION_REASONS

    zh = {8: "八", 9: "九"}.get(chapter, str(chapter))
    blocks: list = []
    rows = []
    for name, res in [("用人单位调查", f.employer), (f"{f.cohort} 届毕业生调查", f.graduate)]:
        sp = getattr(res, "spec", None)
        if sp is None:
            continue
        for fs in sp.fields.values():
            if fs.pii:
                continue
            rows.append({"survey": name, "question": fs.question, "field": fs.field, "label": fs.label,
                         "type": _QTYPES.get(fs.type, fs.type)})
    if rows:
        cb = pd.DataFrame(rows)
        blocks.append(Table(cb, f"表 {chapter}-1 变量表（codebook）", note="个人信息题（姓名、电话、学号等）在清洗时已删除，不在此列。",
                            column_labels={"survey": "调查", "question": "题号", "field": "字段", "label": "题目",
                                           "type": "题型"}, formats={"question": "text"}))
    blocks.append(Heading("清洗日志摘要"))
    for res in [f.employer, *[f.graduates[c] for c in sorted(f.graduates or {}, reverse=True)]]:
        if res is not None:
            blocks.append(Paragraph(res.summary_text().replace("\n  ", "；").replace("\n", "；")))
    log_rows = []
    for name, res in [("用人单位调查", f.employer)] + [(f"{c} 届毕业生调查", r) for c, r in sorted((f.graduates or {}).items(), reverse=True)]:
        if res is None or res.log is None or not len(res.log):
            continue
        lg = res.log
        cnt = lg.groupby(["kind", "rule"], dropna=False)["count"].sum().reset_index()
        for r in cnt.itertuples():
            rule = "" if pd.isna(r.rule) else str(r.rule)
            rule_zh = _LOG_RULES.get(rule, EXCLUSION_REASONS.get(rule, "").split("（")[0])
            log_rows.append({"survey": name, "kind": _LOG_KINDS.get(r.kind, r.kind),
                             "rule": f"{rule_zh}（{rule}）" if rule_zh else rule, "count": r.count})
    if log_rows:
        blocks.append(Table(pd.DataFrame(log_rows), f"表 {chapter}-2 清洗日志汇总（按操作与规则）",
                            column_labels={"survey": "调查", "kind": "操作", "rule": "规则", "count": "数量（行或单元格）"},
                            formats={"count": "int"}))
    blocks.append(Heading("术语"))
    blocks.append(BulletList([
        "就业去向落实率（placement rate）：教学厅函〔2022〕3号使用的指标，见第二部分的口径说明。",
        "能力满足度（fulfilment）：毕业生毕业时的能力水平占岗位要求水平的百分比（MyCOS 口径）。",
        "重要度–满意度分析（IPA, importance–performance analysis）：把能力按重要度与满意度分为四个区。",
        "关键驱动因素（key drivers）：对总体满意度影响显著的能力，由有序 logistic 回归得出。",
        "小样本隐藏（small-cell suppression）：人数少于阈值的组不显示数值，以保护个人信息。",
    ]))
    return Section(f"{zh}、附录", blocks)


def _number_captions(section: Section, chapter: int) -> None:
    """Give unnumbered tables and figures of a section chapter numbers (表 8-1, 图 8-1 …)."""
    from ._format import _NUMBERED

    nt = nf = 0
    for b in section.blocks:
        if isinstance(b, Table) and not _NUMBERED.match(b.caption or ""):
            nt += 1
            b.caption = f"表 {chapter}-{nt} {b.caption}"
        elif isinstance(b, Figure) and not _NUMBERED.match(b.caption or ""):
            nf += 1
            b.caption = f"图 {chapter}-{nf} {b.caption}"


_QTYPES = {"single": "单选", "multi": "多选", "matrix": "矩阵", "rating": "评分", "rank": "排序", "open": "开放题",
           "numeric": "数值", "meta": "系统信息"}


# ------------------------------------------------------------------------------------------
# chart wrappers
# ------------------------------------------------------------------------------------------

def _bar(data, label, value, **kw) -> Figure:
    from .charts import bar_chart

    return bar_chart(data, label, value, **kw)


def _ipa(data, n, period, title, imp_line, sat_line) -> Figure:
    from .charts import ipa_chart

    return ipa_chart(data, "label", "imp_mean", "sat_mean", title=title, caption_n=n, period=period,
                     importance_cut=None if imp_line is None or pd.isna(imp_line) else float(imp_line),
                     performance_cut=None if sat_line is None or pd.isna(sat_line) else float(sat_line))


# ------------------------------------------------------------------------------------------
# public API
# ------------------------------------------------------------------------------------------

def report_model(findings, *, charts: bool = True, date: str | None = None) -> Report:
    """Lay the findings out as a report (no file is written).

    Parameters
    ----------
    findings : Findings
        From :func:`survey_analysis.pipeline.analyse`.  ``findings.recommendations`` is used
        when set, else :func:`survey_analysis.curriculum.recommend` is called.
    charts : bool, default True
        Draw the charts (``False`` is faster, for tests of the text).
    date : str, optional
        The date on the cover (default: today).

    Returns
    -------
    Report
    """
    from ..curriculum import recommend

    f = findings
    recs = f.recommendations
    if recs is None:
        recs = recommend(f, rules=getattr(f.config, "rules", None))
        f.recommendations = recs
    cfg = f.config
    src = []
    if f.employer is not None:
        src.append(f"用人单位调查（{f.employer.summary.get('file', '')}，有效 {f.employer.summary['rows_kept']:,} 份）")
    for c, r in sorted((f.graduates or {}).items(), reverse=True):
        src.append(f"{c} 届毕业生跟踪调查（{r.summary.get('file', '')}，有效 {r.summary['rows_kept']:,} 份）")
    if f.population is not None:
        src.append("学生名单（总体）")
    if f.ledger is not None:
        src.append("访企拓岗台账")
    meta = {"school": cfg.school, "cohort": f"{f.cohort} 届" if f.cohort else None,
            "date": date or _dt.date.today().strftime("%Y 年 %m 月 %d 日"), "sources": src}
    _GAP_MEMO.clear()
    try:
        sections: list = [TableOfContents("目录"), _executive_summary(f, recs)]
        sections.append(_data_method(f))
        for sec in (_employer_section(f, charts), _outcomes_section(f, charts), _teaching_section(f, charts)):
            if sec is not None:
                sections.append(sec)
        sections.extend(_major_profiles(f, recs, charts))
    finally:
        _GAP_MEMO.clear()
    sections.append(_recommendations_section(f, recs))
    if f.ledger is not None:
        from ..ledger import ledger_section

        sec = ledger_section(f.ledger, title="八、访企拓岗促就业专项行动进展")
        _number_captions(sec, 8)
        sections.append(sec)
    sections.append(_appendix(f, 9 if f.ledger is not None else 8))
    return Report(title=REPORT_TITLE, subtitle=f"{cfg.school}{_SUBTITLE}", meta=meta, sections=sections)


def build_report(findings=None, *, out_dir, formats: Iterable[str] | str = ("pdf", "html", "xlsx", "docx"),
                 basename: str = "report", charts: bool = True, progress: Callable[[str], None] | None = None,
                 employer=None, graduates=(), population=None, visits=None, demand=None, config=None,
                 **analyse_kw) -> dict:
    """Build the curriculum-adjustment report in several formats.

    Either pass a :class:`~survey_analysis.pipeline.Findings` object, or the input files (then
    :func:`survey_analysis.pipeline.analyse` is called first with them).

    Parameters
    ----------
    findings : Findings, optional
    out_dir : str or Path
        Output folder (created if needed).  All files are written to a temporary folder and
        moved into place only when every format succeeded.
    formats : iterable or comma-separated str, default all four
    basename : str, default "report"
    charts : bool, default True
    progress : callable, optional
        Called with short Chinese messages.
    employer, graduates, population, visits, demand, config
        Input files, passed to :func:`~survey_analysis.pipeline.analyse` when ``findings`` is
        not given.

    Returns
    -------
    dict
        ``format -> Path`` of every written file, plus ``"findings"`` (the Findings object)
        and ``"seconds"`` (the build time).

    Raises
    ------
    ConfigError
        Nothing to report on, or an unknown format.
    OutputError
        When ``out_dir`` cannot be written.

    Examples
    --------
    >>> from survey_analysis.report.build import build_report        # doctest: +SKIP
    >>> paths = build_report(employer="employer.xls", graduates=["g2025.xls"],
    ...                      out_dir="reports/2025", formats="pdf,xlsx")
    """
    from .._atomic import ensure_writable_dir
    from ..errors import ConfigError
    from .render import render

    t0 = time.perf_counter()
    say = progress or (lambda msg: logger.info(msg))
    out = ensure_writable_dir(out_dir)  # fail before the (long) analysis
    if findings is None:
        if employer is None and not graduates:
            raise ConfigError("没有可用于生成报告的数据：请提供分析结果（findings）或输入文件",
                              hint="例如 build_report(employer=..., graduates=[...], out_dir=...)")
        from ..pipeline import analyse

        findings = analyse(employer=employer, graduates=graduates, population=population, visits=visits,
                           demand=demand, config=config, progress=say, **analyse_kw)
    say("排版报告（图表与表格）…")
    rep = report_model(findings, charts=charts)
    say("写出报告文件…")
    paths = render(rep, out, formats=formats, basename=basename)
    result: dict = dict(paths)
    result["findings"] = findings
    result["report"] = rep
    result["seconds"] = time.perf_counter() - t0
    return result
