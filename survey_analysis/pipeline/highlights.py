"""The findings a committee reads first, in words: the executive summary's key figures and its
statements, each taken from a findings table by a stated rule (no number is new here)."""
from __future__ import annotations

import pandas as pd

from .. import wording as w
from ..design import SCHOOL
from ..outcomes.labels import FULFILMENT_BANDS

__all__ = ["key_figures", "statements", "major_overview"]

#: 能力满足度 below this is 不太满足 or 不满足 (MyCOS bands)
FULFILMENT_MET = next(lo for lo, label in FULFILMENT_BANDS if label == "基本满足")


def _shown(t: pd.DataFrame | None) -> pd.DataFrame:
    if t is None or not len(t):
        return pd.DataFrame()
    return t[~t["suppressed"].fillna(False).astype(bool)] if "suppressed" in t.columns else t


def _school(t: pd.DataFrame | None):
    if t is None or not len(t) or "level" not in t.columns:
        return None
    s = t[t["level"] == "school"]
    return s.iloc[0] if len(s) else None


def key_figures(f) -> pd.DataFrame:
    """``label, value, note``: the figures on the summary page."""
    rows = []
    sp = _school(f.outcomes.get("placement"))
    if sp is not None:
        rows.append(("就业去向落实率", w.pct(sp["placement_rate"]), f"{f.cohort} 届，n={w.count(sp['n'])}"))
    inc = _school(f.outcomes.get("income"))
    if inc is not None:
        rows.append(("月收入中位数", w.money(inc["median"]), f"在职毕业生 n={w.count(inc['n'])}"))
    if f.employer is not None:
        rows.append(("用人单位样本", f"{len(f.employer.data):,} 家", f"{f.cohort or ''} 年用人单位调查".strip()))
    rec = _school(f.outcomes.get("recommendation"))
    if rec is not None:
        rows.append(("推荐度", w.pct(rec["recommend_rate"]), f"n={w.count(rec['n'])}"))
    return pd.DataFrame(rows[:4], columns=["label", "value", "note"])


def _placement(f) -> str | None:
    sp = _school(f.outcomes.get("placement"))
    if sp is None:
        return None
    conf = f.design.conf
    text = (f"{f.cohort} 届毕业生就业去向落实率为 "
            f"{w.pct_ci(sp['placement_rate'], sp['placement_rate_low'], sp['placement_rate_high'], conf)}"
            f"（n={w.count(sp['n'])}；这是调查估计，不是教育部口径下全体毕业生的官方落实率）。")
    warn = f.warnings
    if warn is not None and len(warn) and "below_threshold_consecutive" in warn.columns:
        low = warn[warn["below_threshold_consecutive"].fillna(False).astype(bool)]
        col = f"placement_rate_{f.cohort}"
        if len(low):
            names = "、".join(f"{r['major']}（{f.cohort} 届 {w.pct(r[col]) if col in warn.columns else '—'}）"
                             for _, r in low.iterrows())
            text += (f"{len(low)} 个专业的落实率连续 {int(low['years_below_threshold'].min())} 年以上低于 "
                     f"{w.pct(f.config.warning_threshold)}：{names}，已触发专业预警。")
    return text


def _gaps(f) -> str | None:
    gs = _shown(f.gap_shares)
    if f.employer is None or not len(gs):
        return None
    top = gs[gs["level"] == "school"].head(3)
    if not len(top):
        return None
    parts = "、".join(f"{r.competency}（{w.pct(r.share)}）" for r in top.itertuples())
    return f"用人单位在开放题中最常指出的能力短板是：{parts}（占全部 {len(f.employer.data):,} 家单位的比例）。"


def _ipa(f) -> str | None:
    text = ""
    ipa = f.ipa
    if ipa is not None and len(ipa) and "gap_flag" in ipa.columns:
        # only the items whose gap the evidence supports (ratings.ipa's gap_flag), not every item
        # that falls in the quadrant
        school = ipa[(ipa["group"] == SCHOOL) & ipa["gap_flag"].fillna(False).astype(bool)]
        if len(school):
            text = ("全校层面处于“重点改进区”且差距有统计证据（重要度显著高于满意度、满意度显著低于全校基准）的能力："
                    + "、".join(f"{r.label}（重要度 {w.num(r.imp_mean)}，满意度 {w.num(r.sat_mean)}）"
                               for r in school.itertuples()) + "。")
    drv = f.drivers
    if drv is not None and len(drv) and "significant" in drv.columns:
        top = drv[drv["significant"].fillna(False).astype(bool)].head(3)
        if len(top):
            text += "对用人单位总体满意度影响最大的是：" + "、".join(map(str, top["label"])) + "（关键驱动因素分析）。"
    return text or None


def _abilities(f) -> str | None:
    ab = _shown(f.abilities)
    if not len(ab):
        return None
    low = ab[(ab["level"] == "major") & (ab["fulfilment"] < FULFILMENT_MET)].sort_values("fulfilment")
    if not len(low):
        return None
    by = low.groupby("competency_label", sort=False).size().sort_values(ascending=False).head(3)
    first = low.iloc[0]
    return (f"毕业生自评能力满足度低于 {w.pct(FULFILMENT_MET, 0)}（不太满足或不满足）的情况共 {len(low)} 项（专业×能力），集中在"
            + "、".join(f"{k}（{v} 个专业）" for k, v in by.items())
            + f"；最低为{first['group']}的{first['competency_label']}（{w.pct(first['fulfilment'])}）。")


def _turnover(f) -> str | None:
    st = _school(f.outcomes.get("turnover"))
    if st is None:
        return None
    text = f"毕业生离职率为 {w.pct(st['turnover_rate'])}（n={w.count(st['n'])}）"
    cmp = f.comparisons
    if cmp is not None and len(cmp):
        hi = cmp[(cmp["metric"] == "turnover_rate") & (cmp["comparison"] != "各专业之间")
                 & cmp["significant"].fillna(False).astype(bool) & (cmp["group_value"] > cmp["rest_value"])]
        if len(hi):
            text += ("；显著高于其他专业（BH 校正后 p<" + f"{f.design.alpha:g}）的专业："
                     + "、".join(f"{r.comparison}（{w.pct(r.group_value)}，其他专业 {w.pct(r.rest_value)}）"
                                for r in hi.sort_values("group_value", ascending=False).itertuples()))
    jq = f.outcomes.get("job_quality")
    rel = _school(jq[jq["item"] == "relevance"]) if jq is not None and len(jq) else None
    if rel is not None:
        text += f"；专业相关度为 {w.pct(rel['rate'])}"
    return text + "。"


def _recommendations(f) -> str | None:
    recs = f.recommendations
    if recs is None or not len(recs):
        return None
    m = recs[recs["level"] == "major"]
    by_type = m.groupby("type").size()
    high = int((m["priority"] == 1).sum()) if "priority" in m.columns else 0
    return (f"本报告共提出 {len(m)} 条专业层面的建议（" + "、".join(f"{k} {v} 条" for k, v in by_type.items())
            + f"；其中高优先级 {high} 条），每条附有证据（样本量、比例及其置信区间、原话摘录），见建议汇总与各专业画像。")


def statements(f) -> pd.DataFrame:
    """``topic, text``: the summary's numbered statements (at most five, in this order)."""
    rows = []
    for topic, make in (("placement", _placement), ("gaps", _gaps), ("ipa", _ipa), ("abilities", _abilities),
                        ("turnover", _turnover), ("recommendations", _recommendations)):
        text = make(f)
        if text:
            rows.append((topic, text))
    return pd.DataFrame(rows[:5], columns=["topic", "text"])


def major_overview(f) -> pd.DataFrame:
    """One row per major: its college, graduate n and placement rate, employers, recommendations
    (and how many are of high priority), and its warning card."""
    majors = f.majors if f.majors is not None else pd.DataFrame(columns=["major", "college"])
    ov = majors[["major", "college"]].copy()
    pl = f.outcomes.get("placement")
    if pl is not None and len(pl):
        pm = pl[pl["level"] == "major"].set_index("group")
        ov["n"] = ov["major"].map(pm["n"])
        ov["placement_rate"] = ov["major"].map(pm["placement_rate"])
    gs = f.gap_shares
    if gs is not None and len(gs):
        n_emp = gs[gs["level"] == "major"].drop_duplicates("group").set_index("group")["n"]
        ov["n_employers"] = ov["major"].map(n_emp)
    recs = f.recommendations
    if recs is not None and len(recs):
        rm = recs[recs["level"] == "major"]
        ov["n_recs"] = ov["major"].map(rm.groupby("group").size()).fillna(0).astype(int)
        ov["n_high"] = ov["major"].map(rm[rm["priority"] == 1].groupby("group").size()).fillna(0).astype(int)
    if f.warnings is not None and "card" in f.warnings.columns:
        ov["card"] = ov["major"].map(f.warnings.set_index("major")["card"])
    return ov.reset_index(drop=True)
