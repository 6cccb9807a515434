"""Progress against the special action's targets, key employers, supply and demand by major."""
from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AnalysisError, ConfigError, SurveyError
from ._employers import merge_employers, normalize_employer
from ._majors import UNRESTRICTED, match_major, split_majors
from ._read import (
    PERIOD_END,
    PERIOD_START,
    LedgerTable,
    _as_date,
    _cell,
    _norm_header,
    _parse_number,
    read_demand,
    read_visits,
)

__all__ = [
    "LedgerResults",
    "analyze_ledger",
    "leader_progress",
    "university_progress",
    "monthly_progress",
    "behind_list",
    "key_employers",
    "supply_demand",
    "read_graduates",
    "LABELS",
]

UNSPECIFIED = "未注明专业"

# Chinese column labels for people (CSV / XLSX / PDF).
LABELS = {
    "university": "高校",
    "leader": "走访人",
    "role": "职务",
    "target_applies": "适用走访目标",
    "visits": "走访次数",
    "employers": "走访单位数（家）",
    "new_employers": "新拓展单位数（家）",
    "positions": "提供岗位数",
    "internship_bases": "签订实习基地（家）",
    "recruitment_events": "达成招聘活动（家）",
    "target": "目标",
    "remaining": "尚差",
    "pct": "完成率（%）",
    "met_date": "达标日期",
    "pace_per_month": "当前进度（每月）",
    "projected_date": "预计达标日期",
    "expected_by_as_of": "按时间进度应完成",
    "status": "状态",
    "statement": "说明",
    "behind": "落后",
    "leaders": "走访人数",
    "new_target_applies": "适用新拓展目标",
    "target_new": "新拓展目标",
    "new_met_date": "新拓展达标日期",
    "new_projected_date": "新拓展预计达标日期",
    "new_expected_by_as_of": "新拓展按时间进度应完成",
    "new_status": "新拓展状态",
    "level": "层级",
    "metric": "指标",
    "month": "月份",
    "added": "当月新增",
    "cumulative": "累计",
    "planned": "计划进度（累计）",
    "gap": "与计划之差",
    "who": "对象",
    "actual": "已完成",
    "shortfall": "差额",
    "rank": "排名",
    "employer": "用人单位",
    "employer_type": "单位性质",
    "industry": "行业",
    "region": "地区",
    "n_universities": "合作高校数",
    "universities": "合作高校",
    "n_leaders": "走访校领导数",
    "internship_base": "签订实习基地",
    "demand_rows": "需求岗位条数",
    "demand_headcount": "需求人数",
    "graduates_hired": "录用本校毕业生数",
    "repeat_cooperation": "多次合作",
    "first_visit": "首次走访",
    "last_visit": "最近走访",
    "major_code": "专业代码",
    "major": "专业",
    "supply": "毕业生人数（供给）",
    "ratio": "需求/供给",
    "balance": "供需判断",
    "reading": "解读",
    "token": "原文写法",
    "source": "来源",
    "rows": "出现行数",
    "headcount": "涉及需求人数",
    "key": "规范化键",
    "variants": "各种写法",
    "n_variants": "写法数",
    "n_records": "记录数",
    "table": "台账",
    "row": "行号",
    "column": "列",
    "check": "检查项",
    "value": "原值",
    "action": "处理方式",
    "message": "问题说明",
}

TABLE_TITLES = {
    "leaders": "校领导走访进度",
    "universities": "高校进度（新拓展单位、岗位、实习基地）",
    "monthly": "月度累计进度",
    "behind": "落后名单",
    "key_employers": "重点单位数据库",
    "supply_demand": "分专业供需对比",
    "unmatched_majors": "未匹配专业",
    "merges": "单位名称合并清单",
    "audit": "审计记录",
}


@dataclass
class LedgerResults:
    """Everything computed from the ledgers (plain DataFrames; renderers only draw them).

    Attributes
    ----------
    visits, demand : DataFrame
        The ledgers as read, with ``employer_std`` (the merged standard name).
    audit : DataFrame
        Every problem found (both ledgers): ``table, row, column, check, value, action, message``.
    merges : DataFrame
        Employer names written in more than one way and the standard name chosen.
    leaders, universities, monthly, behind, key_employers : DataFrame
    supply_demand, unmatched_majors : DataFrame or None
        ``None`` when no demand ledger was given.
    notes : list of str
        Plain Chinese notes on what was or was not computed.
    params : dict
        Targets, period, ``as_of`` and options used.
    """

    visits: pd.DataFrame
    audit: pd.DataFrame
    merges: pd.DataFrame
    leaders: pd.DataFrame
    universities: pd.DataFrame
    monthly: pd.DataFrame
    behind: pd.DataFrame
    key_employers: pd.DataFrame
    demand: pd.DataFrame | None = None
    supply_demand: pd.DataFrame | None = None
    unmatched_majors: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    params: dict = field(default_factory=dict)

    def tables(self, *, labels: bool = True) -> dict:
        """Output tables in order, name → DataFrame (columns in Chinese when ``labels``)."""
        out = {}
        for name in TABLE_TITLES:
            df = getattr(self, name)
            if df is None:
                continue
            out[name] = df.rename(columns=LABELS) if labels else df
        return out

    def summary(self) -> str:
        """One line in Chinese: who met the targets, who is behind, how many problems."""
        lead = self.leaders[self.leaders["target_applies"]]
        met = int(lead["met_date"].notna().sum())
        behind = int(lead["behind"].sum())
        uni = self.universities[self.universities["new_target_applies"]]
        u_met = int(uni["new_met_date"].notna().sum())
        u_behind = int(uni["behind"].sum())
        pos = self.universities["positions"].sum()
        bases = int(self.universities["internship_bases"].sum())
        return (
            f"专项行动台账：{len(lead)} 名书记/校长中 {met} 人已达走访目标、{behind} 人落后；"
            f"{len(uni)} 所适用新拓展目标的高校中 {u_met} 所已达标、{u_behind} 所落后；"
            f"岗位 {pos:.0f} 个，实习基地 {bases} 家；审计问题 {len(self.audit)} 条。"
        )


# --------------------------------------------------------------------------------------------
def _d(x) -> _dt.date | None:
    if x is None or (not isinstance(x, (_dt.date,)) and pd.isna(x)):
        return None
    return pd.Timestamp(x).date()


def _mode(s: pd.Series):
    s = s.dropna()
    s = s[s.astype(str).str.strip() != ""]
    if s.empty:
        return pd.NA
    vc = s.value_counts(sort=False)
    return vc.index[int(np.argmax(vc.to_numpy()))]


def _group_mode(df: pd.DataFrame, by: str, col: str) -> pd.Series:
    """The most frequent non-empty value of ``col`` per ``by`` group (ties: first seen)."""
    s = df[[by, col]].dropna()
    s = s[s[col].astype(str).str.strip() != ""]
    k = s.groupby([by, col], sort=False).size().reset_index(name="_k")
    k = k.sort_values("_k", ascending=False, kind="stable").drop_duplicates(by)
    return k.set_index(by)[col]


def _progress(events: pd.Series, target: int, start, end, as_of) -> dict:
    """Dates of successive units of progress → met date, pace, projection, status."""
    dates = sorted(_d(x) for x in events.dropna())
    dates = [x for x in dates if x <= as_of]
    n = len(dates)
    total = (end - start).days + 1
    elapsed = max(1, min((as_of - start).days + 1, total))
    pace = n / elapsed  # per day
    expected = target * elapsed / total
    met = dates[target - 1] if n >= target and target > 0 else None
    projected = None
    if met is None and n > 0:  # days still needed at the pace so far: ceil(remaining / (n / elapsed))
        projected = as_of + _dt.timedelta(days=-(-(target - n) * elapsed // n))
    if met is not None:
        status, behind = "已达标", False
    elif as_of >= end:
        status, behind = "未完成", True
    elif projected is not None and projected <= end:
        status, behind = "可按期完成", False
    else:
        status, behind = "落后", True
    return {
        "n": n,
        "target": target,
        "remaining": max(0, target - n),
        "pct": round(100 * n / target, 1) if target else np.nan,
        "met_date": met,
        "pace_per_month": round(pace * 30.44, 1),
        "projected_date": projected,
        "expected_by_as_of": round(expected, 1),
        "status": status,
        "behind": behind,
    }


def _sentence(who: str, what: str, unit: str, p: dict, end: _dt.date) -> str:
    n, t = p["n"], p["target"]
    if p["met_date"] is not None:
        return f"{who}：{what}已于 {p['met_date']:%Y-%m-%d} 达到目标 {t} {unit}（共 {n} {unit}）。"
    base = f"{who}：{what} {n} {unit}，目标 {t} {unit}，尚差 {t - n} {unit}"
    proj = p["projected_date"]
    if p["status"] == "未完成":
        tail = f"；行动期已结束（{end:%Y-%m-%d}），未完成目标（完成 {p['pct']:.0f}%）"
        if proj is not None:
            tail += f"，按原进度要到 {proj:%Y-%m-%d} 才能达标"
        return base + tail + "。"
    if p["status"] == "可按期完成":
        return base + f"；按当前进度（每月约 {p['pace_per_month']:.1f} {unit}）预计 {proj:%Y-%m-%d} 达标，可按期完成。"
    if proj is None:
        return base + "；尚无进度，无法预计达标日期，落后于计划。"
    return (
        base + f"，按时间进度此时应完成 {p['expected_by_as_of']:.0f} {unit}；按当前进度（每月约 "
        f"{p['pace_per_month']:.1f} {unit}）预计 {proj:%Y-%m-%d} 才能达标，晚于截止日 {end:%Y-%m-%d}，落后。"
    )


def _target_applies(role, target_roles) -> bool:
    if role is None or pd.isna(role) or not str(role).strip():
        return True  # unknown role: assume the target applies (and the audit asks for it)
    role = str(role)
    if not target_roles:
        return True
    return any(t in role for t in target_roles) and "副" not in role


def leader_progress(
    visits: pd.DataFrame,
    *,
    target: int = 100,
    period_start=PERIOD_START,
    period_end=PERIOD_END,
    as_of=None,
    count_by: str = "employers",
    target_roles=("书记", "校长", "院长"),
) -> pd.DataFrame:
    """Per leader: visits against the target, the date it was met or the projected date.

    Parameters
    ----------
    visits : DataFrame
        ``read_visits(...).data`` (with ``employer_std`` if names were merged; otherwise the
        employer key is used).
    target : int, default 100
    period_start, period_end : date
    as_of : date, optional
        The day progress is measured (default: the last counted visit, at most ``period_end``).
    count_by : {"employers", "visits"}, default "employers"
        Count distinct employers visited (拜访用人单位 … 家, the notice's wording) or visit rows.
    target_roles : tuple of str, default ("书记", "校长", "院长")
        The target applies to leaders whose role contains one of these words and not 副
        (the notice: 书记、校长（院长）正职); a leader with no role is assumed to be subject
        to it.  Empty tuple: the target applies to everyone.

    Returns
    -------
    DataFrame
        One row per (university, leader): role, target_applies, visits, employers,
        new_employers, positions, internship_bases, recruitment_events, target, remaining,
        pct, met_date, pace_per_month, projected_date, expected_by_as_of, status, behind,
        statement.  ``status`` is 已达标 / 可按期完成 / 落后 / 未完成 / 不适用.
    """
    if count_by not in {"employers", "visits"}:
        raise ConfigError("count_by 只能是 employers 或 visits", found=count_by)
    start, end = _as_date(period_start, "period_start"), _as_date(period_end, "period_end")
    v = _with_std(visits)
    as_of = _resolve_as_of(v, start, end, as_of)
    cv = v[v["counted"] & (v["date"] <= pd.Timestamp(as_of))]  # progress as of as_of
    unit = "家" if count_by == "employers" else "次"
    rows = []
    for (uni, leader), g_all in v.dropna(subset=["university", "leader"]).groupby(
        ["university", "leader"], sort=True
    ):
        g = cv[(cv["university"] == uni) & (cv["leader"] == leader)]
        role = _mode(g_all["role"])
        applies = _target_applies(role, target_roles)
        if count_by == "employers":
            events = g.groupby("employer_std")["date"].min()
        else:
            events = g["date"]
        p = _progress(events, target, start, end, as_of)
        if not applies:
            p["status"], p["behind"] = "不适用", False
        who = f"{uni} {'' if pd.isna(role) else role} {leader}".replace("  ", " ")
        what = "走访用人单位" if count_by == "employers" else "走访"
        rows.append(
            {
                "university": uni,
                "leader": leader,
                "role": role,
                "target_applies": applies,
                "visits": len(g),
                "employers": g["employer_std"].nunique(),
                "new_employers": g.loc[g["is_new"], "employer_std"].nunique(),
                "positions": float(g["positions"].sum(min_count=1)) if len(g) else 0.0,
                "internship_bases": g.loc[g["internship_base"], "employer_std"].nunique(),
                "recruitment_events": g.loc[g["recruitment_event"], "employer_std"].nunique(),
                "target": target,
                "remaining": p["remaining"],
                "pct": p["pct"],
                "met_date": p["met_date"],
                "pace_per_month": p["pace_per_month"],
                "projected_date": p["projected_date"],
                "expected_by_as_of": p["expected_by_as_of"],
                "status": p["status"],
                "behind": p["behind"],
                "statement": (_sentence(who, what, unit, p, end) if applies
                              else f"{who}：{what} {p['n']} {unit}（非书记/校长正职，不考核走访目标）。"),
            }
        )
    out = pd.DataFrame(rows, columns=_LEADER_COLS)
    for c in ("met_date", "projected_date"):
        out[c] = pd.to_datetime(out[c])
    for c in ("target_applies", "behind"):
        out[c] = out[c].astype(bool)
    for c in ("visits", "employers", "new_employers", "internship_bases", "recruitment_events",
              "target", "remaining"):
        out[c] = out[c].astype("int64")
    out["positions"] = out["positions"].fillna(0.0)
    out.attrs["as_of"] = as_of
    return out


_LEADER_COLS = [
    "university", "leader", "role", "target_applies", "visits", "employers", "new_employers",
    "positions", "internship_bases", "recruitment_events", "target", "remaining", "pct",
    "met_date", "pace_per_month", "projected_date", "expected_by_as_of", "status", "behind",
    "statement",
]


def university_progress(
    visits: pd.DataFrame,
    *,
    target_new: int = 100,
    period_start=PERIOD_START,
    period_end=PERIOD_END,
    as_of=None,
    new_target_universities=None,
) -> pd.DataFrame:
    """Per university: new employers against the target, positions and internship bases.

    Parameters
    ----------
    visits : DataFrame
        ``read_visits(...).data``.
    target_new : int, default 100
        New employers (新开拓用人单位, distinct, marked 是否新拓展单位 = 是) the university's
        leadership must open (for universities whose placement rate is below the local average).
    new_target_universities : iterable of str, optional
        Universities the target applies to.  Default: those marked 是 in the ledger's
        落实率低于当地平均 column; when the ledger has no such column, every university.

    Returns
    -------
    DataFrame
        university, leaders, visits, employers, new_employers, positions, internship_bases,
        recruitment_events, new_target_applies, target_new, new_met_date, new_projected_date,
        new_expected_by_as_of, new_status, behind, statement.
    """
    start, end = _as_date(period_start, "period_start"), _as_date(period_end, "period_end")
    v = _with_std(visits)
    as_of = _resolve_as_of(v, start, end, as_of)
    cv = v[v["counted"] & (v["date"] <= pd.Timestamp(as_of))]  # progress as of as_of
    chosen = None if new_target_universities is None else {str(u) for u in new_target_universities}
    rows = []
    for uni, g_all in v.dropna(subset=["university"]).groupby("university", sort=True):
        g = cv[cv["university"] == uni]
        if chosen is not None:
            applies = uni in chosen
        elif "new_target" in g_all and g_all["new_target"].notna().any():
            applies = bool(g_all["new_target"].fillna(False).any())
        else:
            applies = True
        events = g[g["is_new"]].groupby("employer_std")["date"].min()
        p = _progress(events, target_new, start, end, as_of)
        if applies:
            statement = _sentence(str(uni), "新拓展用人单位", "家", p, end)
        else:
            p["status"], p["behind"] = "不适用", False
            statement = f"{uni}：新拓展用人单位 {p['n']} 家（不适用新拓展 {target_new} 家目标）。"
        rows.append(
            {
                "university": uni,
                "leaders": g_all["leader"].nunique(),
                "visits": len(g),
                "employers": g["employer_std"].nunique(),
                "new_employers": p["n"],
                "positions": float(g["positions"].sum()),
                "internship_bases": g.loc[g["internship_base"], "employer_std"].nunique(),
                "recruitment_events": g.loc[g["recruitment_event"], "employer_std"].nunique(),
                "new_target_applies": applies,
                "target_new": target_new,
                "new_met_date": p["met_date"],
                "new_projected_date": p["projected_date"],
                "new_expected_by_as_of": p["expected_by_as_of"],
                "new_status": p["status"],
                "behind": p["behind"],
                "statement": statement,
            }
        )
    out = pd.DataFrame(rows, columns=_UNI_COLS)
    for c in ("new_met_date", "new_projected_date"):
        out[c] = pd.to_datetime(out[c])
    for c in ("new_target_applies", "behind"):
        out[c] = out[c].astype(bool)
    for c in ("leaders", "visits", "employers", "new_employers", "internship_bases",
              "recruitment_events", "target_new"):
        out[c] = out[c].astype("int64")
    out["positions"] = out["positions"].astype(float)
    out.attrs["as_of"] = as_of
    return out


_UNI_COLS = [
    "university", "leaders", "visits", "employers", "new_employers", "positions",
    "internship_bases", "recruitment_events", "new_target_applies", "target_new",
    "new_met_date", "new_projected_date", "new_expected_by_as_of", "new_status", "behind",
    "statement",
]


def monthly_progress(
    visits: pd.DataFrame,
    *,
    target_visits: int = 100,
    target_new: int = 100,
    period_start=PERIOD_START,
    period_end=PERIOD_END,
    as_of=None,
    count_by: str = "employers",
    leaders: pd.DataFrame | None = None,
    universities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Monthly cumulative progress against the action's timeline.

    The plan is a straight line from 0 on ``period_start`` to the target on ``period_end``;
    ``planned`` is its value at each month's end.  Months after ``as_of`` have no actual values.

    Returns
    -------
    DataFrame
        level (走访人 / 高校), university, leader, metric, month (``"2022-03"``), added,
        cumulative, target, planned, gap (cumulative − planned).  Metrics: 走访用人单位（家）
        (or 走访次数) per leader; 新拓展用人单位（家）, 提供岗位数 and 签订实习基地（家）
        per university (the last two have no plan).
    """
    start, end = _as_date(period_start, "period_start"), _as_date(period_end, "period_end")
    v = _with_std(visits)
    as_of = _resolve_as_of(v, start, end, as_of)
    cv = v[v["counted"]].copy()
    months = pd.period_range(start, end, freq="M")
    total = (end - start).days + 1

    def plan(m, target):
        if target is None:
            return np.nan
        last = min(m.end_time.date(), end)
        return round(target * ((last - start).days + 1) / total, 1)

    def series(level, uni, leader, metric, dated: pd.Series, weights=None, target=None):
        out = []
        d = pd.to_datetime(dated)
        w = pd.Series(1.0, index=d.index) if weights is None else weights.astype(float).fillna(0.0)
        cum = 0.0
        for m in months:
            if m.start_time.date() > as_of:
                added = cumv = np.nan
            else:
                mask = (d.dt.to_period("M") == m) & (d <= pd.Timestamp(as_of))
                added = float(w[mask].sum())
                cum += added
                cumv = cum
            pl = plan(m, target)
            out.append({"level": level, "university": uni, "leader": leader, "metric": metric,
                        "month": str(m), "added": added, "cumulative": cumv, "target": target,
                        "planned": pl, "gap": cumv - pl if target is not None else np.nan})
        return out

    rows = []
    metric_l = "走访用人单位（家）" if count_by == "employers" else "走访次数"
    lead_tab = leaders if leaders is not None else leader_progress(
        v, target=target_visits, period_start=start, period_end=end, as_of=as_of, count_by=count_by)
    for r in lead_tab.itertuples(index=False):
        g = cv[(cv["university"] == r.university) & (cv["leader"] == r.leader)]
        ev = g.groupby("employer_std")["date"].min() if count_by == "employers" else g["date"]
        rows += series("走访人", r.university, r.leader, metric_l, ev,
                       target=target_visits if r.target_applies else None)
    uni_tab = universities if universities is not None else university_progress(
        v, target_new=target_new, period_start=start, period_end=end, as_of=as_of)
    for r in uni_tab.itertuples(index=False):
        g = cv[cv["university"] == r.university]
        new = g[g["is_new"]].groupby("employer_std")["date"].min()
        rows += series("高校", r.university, pd.NA, "新拓展用人单位（家）", new,
                       target=target_new if r.new_target_applies else None)
        rows += series("高校", r.university, pd.NA, "提供岗位数", g["date"], weights=g["positions"])
        base = g[g["internship_base"]].groupby("employer_std")["date"].min()
        rows += series("高校", r.university, pd.NA, "签订实习基地（家）", base)
    cols = ["level", "university", "leader", "metric", "month", "added", "cumulative", "target",
            "planned", "gap"]
    out = pd.DataFrame(rows, columns=cols)
    out["target"] = out["target"].astype("Float64")
    return out


def behind_list(leaders: pd.DataFrame, universities: pd.DataFrame) -> pd.DataFrame:
    """Who is behind: leaders and universities whose target is not met and not on course.

    Returns
    -------
    DataFrame
        who, university, leader, metric, actual, target, expected_by_as_of, shortfall,
        projected_date, status, statement.
    """
    rows = []
    for r in leaders[leaders["behind"]].itertuples(index=False):
        role = "" if pd.isna(r.role) else f" {r.role}"
        actual = r.target - r.remaining
        rows.append({"who": f"{r.university}{role} {r.leader}", "university": r.university,
                     "leader": r.leader, "metric": "走访用人单位", "actual": actual,
                     "target": r.target, "expected_by_as_of": r.expected_by_as_of,
                     "shortfall": r.remaining, "projected_date": r.projected_date,
                     "status": r.status, "statement": r.statement})
    for r in universities[universities["behind"]].itertuples(index=False):
        rows.append({"who": r.university, "university": r.university, "leader": pd.NA,
                     "metric": "新拓展用人单位", "actual": r.new_employers,
                     "target": r.target_new, "expected_by_as_of": r.new_expected_by_as_of,
                     "shortfall": max(0, r.target_new - r.new_employers),
                     "projected_date": r.new_projected_date, "status": r.new_status,
                     "statement": r.statement})
    cols = ["who", "university", "leader", "metric", "actual", "target", "expected_by_as_of",
            "shortfall", "projected_date", "status", "statement"]
    out = pd.DataFrame(rows, columns=cols)
    out["projected_date"] = pd.to_datetime(out["projected_date"])
    return out.sort_values(["shortfall"], ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------
_MAJOR_COLS = ("major_code", "专业代码", "major", "专业", "所学专业", "专业名称", "毕业专业")
_COUNT_COLS = ("n", "count", "graduates", "毕业生人数", "毕业人数", "人数", "毕业生数")
_EMPLOYER_COLS = ("employer_name", "employer", "单位名称", "工作单位", "用人单位", "就业单位",
                  "工作单位名称", "就业单位名称")


def read_graduates(graduates, *, sheet=None) -> pd.DataFrame:
    """Graduates per major (and their employers, if named) from a roster or a graduate frame.

    Parameters
    ----------
    graduates : str, Path, DataFrame or CleanResult
        Either a roster with a major column (专业 / major / 专业代码 / major_code) and a count
        column (毕业生人数 / 人数 / n), one row per major (optionally per university), or one
        row per graduate (a cleaned graduate survey frame, a 生源 list) -- then each row counts
        one.  An employer column (单位名称 / 工作单位 / employer_name …) is kept for the
        key-employer database.

    Returns
    -------
    DataFrame
        Columns major (as written), n (float), employer (or missing).  ``attrs["has_employer"]``
        says whether employer names were found.

    Raises
    ------
    SurveyError
        No major column.
    """
    if hasattr(graduates, "data") and isinstance(graduates.data, pd.DataFrame):
        graduates = graduates.data  # a CleanResult
    if isinstance(graduates, pd.DataFrame):
        df = graduates
        src = None
    else:
        from ..io import read_roster

        roster = read_roster(graduates, sheet=sheet)  # the one roster reader (merged cells, repeated 学号)
        df, src = roster.table, roster.source
    norm = {_norm_header(c): c for c in df.columns}

    def pick(cands):
        for c in cands:
            if _norm_header(c) in norm:
                return norm[_norm_header(c)]
        return None

    mcol, ncol, ecol = pick(_MAJOR_COLS), pick(_COUNT_COLS), pick(_EMPLOYER_COLS)
    if mcol is None:
        raise SurveyError(
            "毕业生数据缺少专业列",
            file=src,
            expected="列名为 专业、所学专业、专业名称、专业代码、major 或 major_code 之一",
            found="现有列：" + "、".join(map(str, df.columns[:30])),
            hint="请提供含“专业”列（以及可选的“毕业生人数”列）的名单，或每行一名毕业生的数据。",
        )
    major = [_cell(x) for x in df[mcol]]
    name_col = pick(_MAJOR_COLS[2:])  # a name column to fall back on where the code is empty
    if name_col is not None and name_col != mcol:
        major = [m if m is not None else _cell(x) for m, x in zip(major, df[name_col])]
    if ncol is not None:
        n = [_parse_number(x)[0] for x in df[ncol]]
    else:
        n = [1.0] * len(df)
    out = pd.DataFrame({
        "major": pd.array(major, dtype="string"),
        "n": np.asarray(n, dtype=float),
        "employer": pd.array([_cell(x) for x in df[ecol]] if ecol else [None] * len(df),
                             dtype="string"),
    })
    out.attrs["has_employer"] = ecol is not None
    out.attrs["is_roster"] = ncol is not None
    return out


def key_employers(
    visits: pd.DataFrame,
    demand: pd.DataFrame | None = None,
    graduates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The key-employer database (重点单位数据库): employers ranked by what they bring.

    Ranked by positions offered (visit ledger 提供岗位数), then demand headcount, then
    graduates hired, then visits, recruitment events and internship bases.

    Parameters
    ----------
    visits : DataFrame
        Counted visits with ``employer_std``.
    demand : DataFrame, optional
        Demand ledger with ``employer_std``.
    graduates : DataFrame, optional
        From :func:`read_graduates` with ``employer_std``; the ``graduates_hired`` column is
        present only if it named employers.

    Returns
    -------
    DataFrame
        rank, employer, employer_type, industry, region, visits, n_universities,
        universities, n_leaders, positions, internship_base, recruitment_events,
        demand_rows, demand_headcount, [graduates_hired], repeat_cooperation, first_visit,
        last_visit.
    """
    v = _with_std(visits)
    v = v[v["counted"]]
    g = v.groupby("employer_std", sort=False)
    pairs = v.drop_duplicates(["employer_std", "university", "leader"])
    unis = v.dropna(subset=["university"]).drop_duplicates(["employer_std", "university"])
    base = pd.DataFrame({
        "employer_type": _group_mode(v, "employer_std", "employer_type"),
        "industry": _group_mode(v, "employer_std", "industry"),
        "region": _group_mode(v, "employer_std", "region"),
        "visits": g.size(),
        "n_universities": unis.groupby("employer_std").size(),
        "universities": unis.sort_values("university").groupby("employer_std")["university"].agg(
            lambda s: "、".join(map(str, s))),
        "n_leaders": pairs.dropna(subset=["leader"]).groupby("employer_std").size(),
        "positions": g["positions"].sum(),
        "internship_base": g["internship_base"].any(),
        "recruitment_events": g["recruitment_event"].sum(),
        "first_visit": g["date"].min(),
        "last_visit": g["date"].max(),
    })
    if demand is not None and len(demand):
        d = demand[demand["counted"] & demand["employer_std"].notna()]
        dg = d.groupby("employer_std")
        dem = pd.DataFrame({"demand_rows": dg.size(), "demand_headcount": dg["headcount"].sum(),
                            "d_region": _group_mode(d, "employer_std", "region")})
        base = base.join(dem, how="outer")
        base["region"] = base["region"].fillna(base.pop("d_region"))
    else:
        base["demand_rows"] = 0
        base["demand_headcount"] = 0.0
    has_grad = graduates is not None and graduates.attrs.get("has_employer", False)
    if has_grad:
        gg = graduates[graduates["employer_std"].notna()].groupby("employer_std")["n"].sum()
        base = base.join(gg.rename("graduates_hired"), how="left")
        base["graduates_hired"] = base["graduates_hired"].fillna(0.0)
    for c, fill in (("visits", 0), ("n_universities", 0), ("n_leaders", 0), ("positions", 0.0),
                    ("internship_base", False), ("recruitment_events", 0), ("demand_rows", 0),
                    ("demand_headcount", 0.0)):
        base[c] = base[c].fillna(fill)
    base["universities"] = base["universities"].fillna("")
    base["repeat_cooperation"] = (base["visits"] >= 2) | (base["n_universities"] >= 2)
    base.index.name = "employer"
    base = base.reset_index()
    keys = ["positions", "demand_headcount"] + (["graduates_hired"] if has_grad else []) + [
        "visits", "recruitment_events", "internship_base"]
    base = base.sort_values(keys + ["employer"], ascending=[False] * len(keys) + [True],
                            kind="stable").reset_index(drop=True)
    base.insert(0, "rank", np.arange(1, len(base) + 1))
    cols = ["rank", "employer", "employer_type", "industry", "region", "visits",
            "n_universities", "universities", "n_leaders", "positions", "internship_base",
            "recruitment_events", "demand_rows", "demand_headcount"]
    cols += (["graduates_hired"] if has_grad else []) + ["repeat_cooperation", "first_visit",
                                                          "last_visit"]
    out = base[cols].copy()
    for c in ("visits", "n_universities", "n_leaders", "recruitment_events", "demand_rows"):
        out[c] = out[c].astype(int)
    out["internship_base"] = out["internship_base"].astype(bool)
    return out


def _fmt1(x: float) -> str:
    """One decimal, halves rounded up (0.25 → 0.3), as people round."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(float(x))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _balance(ratio, demand, supply, bands):
    """供不应求 / 供过于求 / 供需基本平衡 (or missing when there is no supply figure)."""
    lo, hi = bands
    if supply is None or pd.isna(supply):
        return pd.NA
    if supply == 0:
        return "供不应求" if demand > 0 else pd.NA
    return "供不应求" if ratio > hi else ("供过于求" if ratio < lo else "供需基本平衡")


def _reading(ratio, demand, supply, bands) -> str:
    lo, hi = bands
    if supply is None or pd.isna(supply):
        return "未提供毕业生人数，无法计算供需比"
    if supply == 0:
        return "有需求、无对应毕业生" if demand > 0 else "无需求、无毕业生"
    txt = f"需求/供给 = {_fmt1(ratio)}，"
    if ratio > hi:
        return txt + "供不应求"
    if ratio < lo:
        return txt + ("供过于求（台账中无需求）" if demand == 0 else "供过于求")
    return txt + "供需基本平衡"


def supply_demand(
    demand: pd.DataFrame,
    graduates: pd.DataFrame | None = None,
    *,
    allocate: str = "split",
    ratio_bands: tuple = (0.8, 1.2),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Headcount employers ask for per major against the graduates of each major.

    Parameters
    ----------
    demand : DataFrame
        ``read_demand(...).data``; only counted rows are used.
    graduates : DataFrame, optional
        From :func:`read_graduates`.  Without it the supply column is empty.
    allocate : {"split", "full"}, default "split"
        A row asking for *n* people from *k* majors gives each major *n/k* ("split", totals
        are kept) or *n* ("full": how many openings each major may apply for).
    ratio_bands : (low, high), default (0.8, 1.2)
        Ratio above ``high``: 供不应求; below ``low``: 供过于求; otherwise 供需基本平衡.

    Returns
    -------
    table : DataFrame
        major_code, major, demand_rows, demand_headcount, supply, ratio, balance (供不应求 /
        供过于求 / 供需基本平衡, for rules), reading (the plain sentence); majors sorted
        by demand; rows 不限专业 and 未注明专业 at the end when present.
    unmatched : DataFrame
        Majors that could not be matched to 专业代码: token, source (需求台账 / 毕业生),
        rows, headcount.

    Examples
    --------
    >>> d = pd.DataFrame({"majors": ["计算机、软件工程"], "headcount": [10.0], "counted": [True]})
    >>> g = pd.DataFrame({"major": ["计算机科学与技术"], "n": [2.0]})
    >>> t, _ = supply_demand(d, g)
    >>> t.loc[0, "reading"]
    '需求/供给 = 2.5，供不应求'
    """
    if allocate not in {"split", "full"}:
        raise ConfigError("allocate 只能是 split 或 full", found=allocate)
    dem: dict[tuple, list] = {}
    unmatched: dict[tuple, list] = {}
    d = demand[demand["counted"]]
    for majors, h in zip(d["majors"], d["headcount"]):
        h = 0.0 if pd.isna(h) else float(h)
        tokens = split_majors(None if pd.isna(majors) else majors)
        if not tokens:
            acc = dem.setdefault(("", UNSPECIFIED), [0, 0.0])
            acc[0] += 1
            acc[1] += h
            continue
        share = h / len(tokens) if allocate == "split" else h
        seen = set()
        for t in tokens:
            m = match_major(t)
            if m is None:
                acc = unmatched.setdefault((t, "需求台账"), [0, 0.0])
            else:
                if m in seen:
                    continue
                seen.add(m)
                acc = dem.setdefault(m, [0, 0.0])
            acc[0] += 1
            acc[1] += share
    sup: dict[tuple, float] = {}
    if graduates is not None:
        for major, n in zip(graduates["major"], graduates["n"]):
            if pd.isna(major) or pd.isna(n):
                continue
            m = match_major(major)
            if m is None or m[0] == "":
                acc = unmatched.setdefault((str(major), "毕业生"), [0, 0.0])
                acc[0] += 1
                acc[1] += float(n)
                continue
            sup[m] = sup.get(m, 0.0) + float(n)
    keys = list(dem) + [k for k in sup if k not in dem]
    rows = []
    for k in keys:
        code, name = k
        drows, dh = dem.get(k, [0, 0.0])
        s = (sup.get(k, 0.0) if graduates is not None else np.nan) if code else np.nan
        ratio = dh / s if (s == s and s and s > 0) else np.nan
        reading = (_reading(ratio, dh, s, ratio_bands) if code else
                   ("不限定专业的需求，未分配到具体专业" if name == UNSPECIFIED or name == UNRESTRICTED
                    else ""))
        if name == UNSPECIFIED:
            reading = "需求台账未注明专业，未分配到具体专业"
        rows.append({"major_code": code or pd.NA, "major": name, "demand_rows": drows,
                     "demand_headcount": dh, "supply": s, "ratio": ratio,
                     "balance": _balance(ratio, dh, s, ratio_bands) if code else pd.NA,
                     "reading": reading})
    table = pd.DataFrame(rows, columns=["major_code", "major", "demand_rows", "demand_headcount",
                                        "supply", "ratio", "balance", "reading"])
    table["balance"] = table["balance"].astype("string")
    special = table["major_code"].isna()
    table = pd.concat([
        table[~special].sort_values(["demand_headcount", "supply"], ascending=False, kind="stable"),
        table[special],
    ]).reset_index(drop=True)
    um = pd.DataFrame([{"token": t, "source": s, "rows": r, "headcount": h}
                       for (t, s), (r, h) in unmatched.items()],
                      columns=["token", "source", "rows", "headcount"])
    um = um.sort_values(["source", "headcount"], ascending=[False, False], kind="stable")
    return table, um.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
def _with_std(visits: pd.DataFrame) -> pd.DataFrame:
    if "employer_std" in visits:
        return visits
    v = visits.copy()
    v["employer_std"] = v["employer_key"].where(v["employer_key"] != "", pd.NA)
    return v


def _resolve_as_of(v, start, end, as_of) -> _dt.date:
    if as_of is not None:
        return _as_date(as_of, "as_of")
    dates = v.loc[v["counted"], "date"].dropna()
    if dates.empty:
        return start
    return min(end, dates.max().date())


def analyze_ledger(
    visits,
    demand=None,
    graduates=None,
    *,
    target_visits: int = 100,
    target_new: int = 100,
    period_start=PERIOD_START,
    period_end=PERIOD_END,
    as_of=None,
    count_by: str = "employers",
    target_roles=("书记", "校长", "院长"),
    new_target_universities=None,
    allocate: str = "split",
    ratio_bands: tuple = (0.8, 1.2),
    sheet=None,
) -> LedgerResults:
    """Read (if needed) and analyse the special-action ledgers.

    Parameters
    ----------
    visits : str, Path, DataFrame or LedgerTable
        The visit ledger (a path is read with :func:`read_visits`).
    demand : str, Path, DataFrame or LedgerTable, optional
        The demand ledger (:func:`read_demand`).
    graduates : str, Path or DataFrame, optional
        Graduates per major (roster) or one row per graduate (:func:`read_graduates`).
    target_visits : int, default 100
        Employers each 书记/校长 visits (see :func:`leader_progress`).
    target_new : int, default 100
        New employers each university opens (see :func:`university_progress`).
    period_start, period_end : date or str, default 2022-03-01, 2022-08-31
    as_of : date or str, optional
        Day progress is measured (default: the last counted visit, at most ``period_end``).
    count_by, target_roles, new_target_universities, allocate, ratio_bands
        Passed to the functions above.
    sheet : str or int, optional
        Worksheet of the visit ledger when ``visits`` is a path.

    Returns
    -------
    LedgerResults

    Examples
    --------
    >>> v = pd.DataFrame({
    ...     "走访日期": ["2022-03-05", "2022-03-06"], "高校": ["甲大学"] * 2,
    ...     "走访人": ["张三"] * 2, "职务": ["校长"] * 2,
    ...     "单位名称": ["恒信科技有限公司", "恒信科技有限责任公司"], "单位性质": ["民营企业/个体"] * 2,
    ...     "行业": ["制造业"] * 2, "地区": ["南京"] * 2, "是否新拓展单位": ["是", "否"],
    ...     "提供岗位数": [3, 2], "是否签订实习基地": ["否", "是"], "是否达成招聘活动": ["否", "否"]})
    >>> r = analyze_ledger(v, target_visits=1, target_new=1)
    >>> int(r.leaders.loc[0, "employers"]), str(r.leaders.loc[0, "met_date"].date())
    (1, '2022-03-05')
    """
    start, end = _as_date(period_start, "period_start"), _as_date(period_end, "period_end")
    if end < start:
        raise ConfigError("行动期结束日期早于开始日期", expected="period_start ≤ period_end",
                          found=f"{start} … {end}")
    for name, t in (("target_visits", target_visits), ("target_new", target_new)):
        if not isinstance(t, (int, np.integer)) or t <= 0:
            raise ConfigError(f"参数 {name} 必须是正整数", found=t)
    vt = visits if isinstance(visits, LedgerTable) else read_visits(
        visits, sheet=sheet, period_start=start, period_end=end)
    if len(vt.data) == 0:
        raise AnalysisError("走访台账没有数据行", file=vt.path, sheet=vt.sheet,
                            hint="请确认选择了正确的文件和工作表（--sheet），台账在表头下方应有走访记录。")
    dt = None
    if demand is not None:
        dt = demand if isinstance(demand, LedgerTable) else read_demand(demand)
    grads = None
    if graduates is not None:
        grads = graduates if (isinstance(graduates, pd.DataFrame) and "n" in graduates
                              and "major" in graduates and "employer" in graduates) \
            else read_graduates(graduates)
    notes: list[str] = []
    names = list(vt.data["employer"].dropna())
    if dt is not None:
        names += list(dt.data["employer"].dropna())
    if grads is not None and grads.attrs.get("has_employer"):
        names += list(grads["employer"].dropna())
    mapping, merges = merge_employers(names)

    def std(df):
        out = df.copy()
        out["employer_std"] = out["employer"].map(
            lambda e: mapping.get(str(e).strip(), pd.NA) if not pd.isna(e) else pd.NA
        ).astype("string")
        return out

    v = std(vt.data)
    d = std(dt.data) if dt is not None else None
    g = None
    if grads is not None:
        g = std(grads) if grads.attrs.get("has_employer") else grads.copy()
        g.attrs.update(grads.attrs)
    as_of_d = _resolve_as_of(v, start, end, as_of)
    leaders = leader_progress(v, target=target_visits, period_start=start, period_end=end,
                              as_of=as_of_d, count_by=count_by, target_roles=target_roles)
    unis = university_progress(v, target_new=target_new, period_start=start, period_end=end,
                               as_of=as_of_d, new_target_universities=new_target_universities)
    if new_target_universities is None and vt.data["new_target"].isna().all():
        notes.append("走访台账没有“落实率低于当地平均”列，新拓展单位目标按所有高校计算。")
    monthly = monthly_progress(v, target_visits=target_visits, target_new=target_new,
                               period_start=start, period_end=end, as_of=as_of_d,
                               count_by=count_by, leaders=leaders, universities=unis)
    behind = behind_list(leaders, unis)
    keys = key_employers(v, d, g)
    if g is None:
        notes.append("未提供毕业生数据，重点单位数据库不含录用毕业生数，分专业供需比无法计算。")
    elif not g.attrs.get("has_employer"):
        notes.append("毕业生数据中没有单位名称列，重点单位数据库未统计录用本校毕业生数。")
    sd = um = None
    if d is not None:
        sd, um = supply_demand(d, g, allocate=allocate, ratio_bands=ratio_bands)
        if len(um):
            notes.append(f"有 {len(um)} 种专业写法未能匹配到专业代码，见“未匹配专业”表。")
        audit_um = [
            {"table": "需求台账" if s == "需求台账" else "毕业生", "row": pd.NA, "column": "需求专业" if s == "需求台账" else "专业",
             "check": "major_unmatched", "value": t,
             "action": "不计入分专业供需对比，单列于未匹配专业表",
             "message": f"专业“{t}”未能匹配到本科专业目录（出现 {r} 次）"}
            for t, s, r in zip(um["token"], um["source"], um["rows"])
        ]
    else:
        notes.append("未提供需求台账，未做分专业供需对比。")
        audit_um = []
    audit = pd.concat(
        [x for x in (vt.audit, dt.audit if dt is not None else None,
                     pd.DataFrame(audit_um, columns=vt.audit.columns) if audit_um else None)
         if x is not None and len(x)],
        ignore_index=True,
    ) if (len(vt.audit) or (dt is not None and len(dt.audit)) or audit_um) else vt.audit.copy()
    audit["row"] = audit["row"].astype("Int64")
    if len(merges):
        notes.append(f"{len(merges)} 家单位在台账中有多种写法，已合并计数，见“单位名称合并清单”。")
    params = {"target_visits": target_visits, "target_new": target_new, "period_start": start,
              "period_end": end, "as_of": as_of_d, "count_by": count_by,
              "allocate": allocate, "ratio_bands": tuple(ratio_bands),
              "visits_file": vt.path, "demand_file": dt.path if dt is not None else None}
    return LedgerResults(visits=v, audit=audit, merges=merges, leaders=leaders,
                         universities=unis, monthly=monthly, behind=behind, key_employers=keys,
                         demand=d, supply_demand=sd, unmatched_majors=um, notes=notes,
                         params=params)
