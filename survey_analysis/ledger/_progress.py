"""Progress against the special action's targets, as the notice words them.

* 书记、校长（院长）正职拜访用人单位不少于 100 家 -- per school, the distinct employers visited by
  its 正职 leaders together (``visit_scope="joint"``), or per 正职 (``"each"``);
* 校领导班子新开拓用人单位不少于 100 家 -- per school, the distinct employers marked 新拓展 in any
  leader's counted visit.

A target's progress is the dated sequence of its units (an employer counts on the day of its
first counted visit): the day the target-th unit came is the day it was met; otherwise the pace
so far (units per day since the period began) projects the day it will be met.  Plain totals
(visits, positions, internship bases) are pandas sums over the counted rows.
"""
from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from ._rules import ActionRules, as_date

__all__ = [
    "leader_progress",
    "university_progress",
    "monthly_progress",
    "behind_list",
    "resolve_as_of",
    "with_std",
    "period_of",
    "progress",
    "college_summary",
]

_DAYS_PER_MONTH = 30.44


# --------------------------------------------------------------------------------------------
# shared pieces
# --------------------------------------------------------------------------------------------
def with_std(visits: pd.DataFrame) -> pd.DataFrame:
    """``visits`` with ``employer_std`` (the normalised key when names were not merged)."""
    if "employer_std" in visits:
        return visits
    v = visits.copy()
    v["employer_std"] = v["employer_key"].where(v["employer_key"] != "", pd.NA)
    return v


def period_of(visits: pd.DataFrame, rules: ActionRules) -> tuple[_dt.date, _dt.date, bool]:
    """The rules' period, or the notice's months in the year of the ledger's dates."""
    return rules.period(d.date() for d in visits["date"].dropna())


def resolve_as_of(v: pd.DataFrame, start: _dt.date, end: _dt.date, as_of=None) -> _dt.date:
    """``as_of`` as a date, else the last counted visit (at most ``end``; ``start`` if none)."""
    if as_of is not None:
        return as_date(as_of, "as_of")
    dates = v.loc[v["counted"], "date"].dropna()
    if dates.empty:
        return start
    return min(end, dates.max().date())


def _counted(v: pd.DataFrame, as_of: _dt.date) -> pd.DataFrame:
    return v[v["counted"] & (v["date"] <= pd.Timestamp(as_of))]


def _mode(s: pd.Series):
    s = s.dropna()
    s = s[s.astype(str).str.strip() != ""]
    if s.empty:
        return pd.NA
    vc = s.value_counts(sort=False)
    return vc.index[int(np.argmax(vc.to_numpy()))]


def _events(g: pd.DataFrame, count_by: str) -> pd.Series:
    """The dates progress is made on: each employer's first visit, or every visit."""
    return g.groupby("employer_std")["date"].min() if count_by == "employers" else g["date"]


def _totals(g: pd.DataFrame) -> dict:
    """Plain totals of counted visits: visits, employers, new employers, positions, bases, events."""
    return {
        "visits": len(g),
        "employers": g["employer_std"].nunique(),
        "new_employers": g.loc[g["is_new"], "employer_std"].nunique(),
        "positions": float(g["positions"].sum()),
        "internship_bases": g.loc[g["internship_base"], "employer_std"].nunique(),
        "recruitment_events": g.loc[g["recruitment_event"], "employer_std"].nunique(),
    }


def progress(events: pd.Series, target: int, start, end, as_of) -> dict:
    """Dates of successive units of progress → met date, pace, projection, status.

    ``status``: 已达标 (the target-th unit came on ``met_date``), 可按期完成 (projected by
    ``end``), 落后 (projected after ``end`` or no progress yet), 未完成 (the period is over).
    The projection is ``as_of`` + ⌈remaining ÷ (units so far / days elapsed)⌉ days.
    """
    dates = sorted(d for d in (pd.Timestamp(x).date() for x in events.dropna()) if d <= as_of)
    n = len(dates)
    total = (end - start).days + 1
    elapsed = max(1, min((as_of - start).days + 1, total))
    met = dates[target - 1] if n >= target else None
    projected = None
    if met is None and n > 0:
        projected = as_of + _dt.timedelta(days=-(-(target - n) * elapsed // n))
    if met is not None:
        status, behind = "已达标", False
    elif as_of >= end:
        status, behind = "未完成", True
    elif projected is not None and projected <= end:
        status, behind = "可按期完成", False
    else:
        status, behind = "落后", True
    return {"n": n, "target": target, "remaining": max(0, target - n), "pct": round(100 * n / target, 1),
            "met_date": met, "pace_per_month": round(n / elapsed * _DAYS_PER_MONTH, 1),
            "projected_date": projected, "expected_by_as_of": round(target * elapsed / total, 1),
            "status": status, "behind": behind}


def sentence(who: str, what: str, unit: str, p: dict, end: _dt.date) -> str:
    """The progress of one target in one plain Chinese sentence."""
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
    return (base + f"，按时间进度此时应完成 {p['expected_by_as_of']:.0f} {unit}；按当前进度（每月约 "
            f"{p['pace_per_month']:.1f} {unit}）预计 {proj:%Y-%m-%d} 才能达标，晚于截止日 {end:%Y-%m-%d}，落后。")


def _no_target(p: dict, status: str) -> dict:
    return {**p, "target": pd.NA, "remaining": pd.NA, "pct": np.nan, "met_date": None, "projected_date": None,
            "expected_by_as_of": np.nan, "status": status, "behind": False}


def principal_leaders(v: pd.DataFrame, rules: ActionRules) -> dict:
    """``(university, leader) → (role, 正职?)`` from each leader's most frequent role."""
    out = {}
    for (uni, leader), g in v.dropna(subset=["university", "leader"]).groupby(["university", "leader"], sort=True):
        role = _mode(g["role"])
        out[(uni, leader)] = (role, rules.is_principal(role))
    return out


def _setup(visits, rules, as_of, overrides):
    rules = ActionRules.resolve(rules, **overrides)
    v = with_std(visits)
    start, end, _ = period_of(v, rules)
    as_of = resolve_as_of(v, start, end, as_of)
    return rules, v, start, end, as_of


# --------------------------------------------------------------------------------------------
# leaders
# --------------------------------------------------------------------------------------------
LEADER_COLS = [
    "university", "leader", "role", "principal", "target_applies", "visits", "employers", "new_employers",
    "positions", "internship_bases", "recruitment_events", "target", "remaining", "pct",
    "met_date", "pace_per_month", "projected_date", "expected_by_as_of", "status", "behind", "statement",
]


def leader_progress(visits: pd.DataFrame, *, rules: ActionRules | None = None, as_of=None,
                    **overrides) -> pd.DataFrame:
    """Per leader: what they did, and -- when each 正职 has the target -- progress against it.

    Parameters
    ----------
    visits : DataFrame
        ``read_visits(...).data`` (with ``employer_std`` if names were merged; otherwise the
        employer key is used).
    rules : ActionRules, optional
    as_of : date, optional
        The day progress is measured (default: the last counted visit, at most the period's end).
    **overrides
        Fields of :class:`ActionRules` (``target_visits``, ``visit_scope``, ``count_by``,
        ``target_roles``, ``period_start``, ``period_end`` …).

    Returns
    -------
    DataFrame
        One row per (university, leader): role, principal (正职), target_applies, visits,
        employers, new_employers, positions, internship_bases, recruitment_events, target,
        remaining, pct, met_date, pace_per_month, projected_date, expected_by_as_of, status,
        behind, statement.  With ``visit_scope="joint"`` no leader has a target of their own
        (status 计入共同目标 for 正职, 不适用 for others; the school's target is in
        :func:`university_progress`); with ``"each"`` every 正职 has one (已达标 / 可按期完成 /
        落后 / 未完成).
    """
    rules, v, start, end, as_of = _setup(visits, rules, as_of, overrides)
    cv = _counted(v, as_of)
    unit = rules.unit
    what = "走访用人单位" if rules.count_by == "employers" else "走访"
    rows = []
    for (uni, leader), (role, principal) in principal_leaders(v, rules).items():
        g = cv[(cv["university"] == uni) & (cv["leader"] == leader)]
        p = progress(_events(g, rules.count_by), rules.target_visits, start, end, as_of)
        who = f"{uni} {'' if pd.isna(role) else role} {leader}".replace("  ", " ")
        applies = principal and rules.visit_scope == "each"
        if applies:
            statement = sentence(who, what, unit, p, end)
        elif principal:
            p = _no_target(p, "计入共同目标")
            statement = f"{who}：{what} {p['n']} {unit}（计入书记、校长（院长）正职共同走访目标）。"
        else:
            p = _no_target(p, "不适用")
            statement = f"{who}：{what} {p['n']} {unit}（非书记/校长正职，不考核走访目标）。"
        rows.append({"university": uni, "leader": leader, "role": role, "principal": principal,
                     "target_applies": applies, **_totals(g),
                     **{k: p[k] for k in ("target", "remaining", "pct", "met_date", "pace_per_month",
                                          "projected_date", "expected_by_as_of", "status", "behind")},
                     "statement": statement})
    out = pd.DataFrame(rows, columns=LEADER_COLS)
    for c in ("met_date", "projected_date"):
        out[c] = pd.to_datetime(out[c])
    for c in ("principal", "target_applies", "behind"):
        out[c] = out[c].astype(bool)
    for c in ("visits", "employers", "new_employers", "internship_bases", "recruitment_events"):
        out[c] = out[c].astype("int64")
    for c in ("target", "remaining"):
        out[c] = out[c].astype("Int64")
    for c in ("positions", "pct", "pace_per_month", "expected_by_as_of"):
        out[c] = out[c].astype(float)
    out.attrs["as_of"] = as_of.isoformat()
    return out


# --------------------------------------------------------------------------------------------
# universities
# --------------------------------------------------------------------------------------------
UNI_COLS = [
    "university", "leaders", "principals", "visits", "employers", "new_employers", "positions",
    "internship_bases", "recruitment_events",
    "visit_target_applies", "target_visits", "principal_employers", "visit_met_date", "visit_projected_date",
    "visit_expected_by_as_of", "visit_status",
    "new_target_applies", "target_new", "new_met_date", "new_projected_date", "new_expected_by_as_of",
    "new_status", "behind", "visit_statement", "new_statement", "statement",
]


def _new_target_applies(uni, g_all: pd.DataFrame, chosen) -> bool:
    if chosen is not None:
        return uni in chosen
    if "new_target" in g_all and g_all["new_target"].notna().any():
        return bool(g_all["new_target"].fillna(False).any())
    return True


def _university_row(uni, g_all, g, principals, rules, start, end, as_of, chosen) -> dict:
    unit = rules.unit
    what = "走访用人单位" if rules.count_by == "employers" else "走访"
    mine = g[g["leader"].isin(principals)]
    pv = progress(_events(mine, rules.count_by), rules.target_visits, start, end, as_of)
    if rules.visit_scope == "joint":
        visit_text = sentence(uni, f"书记、校长（院长）正职共同{what}", unit, pv, end)
    else:
        pv = _no_target(pv, "按人考核")
        visit_text = f"{uni}：书记、校长（院长）正职{what} {pv['n']} {unit}（目标按人考核，见校领导走访进度）。"
    applies = _new_target_applies(uni, g_all, chosen)
    pn = progress(g[g["is_new"]].groupby("employer_std")["date"].min(), rules.target_new, start, end, as_of)
    if applies:
        new_text = sentence(uni, "新拓展用人单位", "家", pn, end)
    else:
        pn = {**pn, "status": "不适用", "behind": False}
        new_text = f"{uni}：新拓展用人单位 {pn['n']} 家（不适用新拓展 {rules.target_new} 家目标）。"
    return {
        "university": uni, "leaders": g_all["leader"].nunique(), "principals": len(principals), **_totals(g),
        "visit_target_applies": rules.visit_scope == "joint", "target_visits": rules.target_visits,
        "principal_employers": pv["n"], "visit_met_date": pv["met_date"], "visit_projected_date": pv["projected_date"],
        "visit_expected_by_as_of": pv["expected_by_as_of"], "visit_status": pv["status"],
        "new_target_applies": applies, "target_new": rules.target_new, "new_met_date": pn["met_date"],
        "new_projected_date": pn["projected_date"], "new_expected_by_as_of": pn["expected_by_as_of"],
        "new_status": pn["status"], "behind": bool(pv["behind"] or pn["behind"]),
        "visit_statement": visit_text, "new_statement": new_text, "statement": visit_text + new_text,
    }


def university_progress(visits: pd.DataFrame, *, rules: ActionRules | None = None, as_of=None,
                        new_target_universities=None, **overrides) -> pd.DataFrame:
    """Per university: the 正职 visit target (joint scope), new employers, positions, bases.

    Parameters
    ----------
    visits : DataFrame
        ``read_visits(...).data``.
    rules : ActionRules, optional
    as_of : date, optional
    new_target_universities : iterable of str, optional
        Universities the new-employer target applies to.  Default: those marked 是 in the
        ledger's 落实率低于当地平均 column; when the ledger has no such column, every university.
    **overrides
        Fields of :class:`ActionRules`.

    Returns
    -------
    DataFrame
        university, leaders, principals, visits, employers, new_employers, positions,
        internship_bases, recruitment_events; the visit target: visit_target_applies,
        target_visits, principal_employers (distinct employers -- or visits -- of the 正职
        leaders together), visit_met_date, visit_projected_date, visit_expected_by_as_of,
        visit_status; the new-employer target: new_target_applies, target_new, new_met_date,
        new_projected_date, new_expected_by_as_of, new_status; behind (either target), statement.
    """
    rules, v, start, end, as_of = _setup(visits, rules, as_of, overrides)
    cv = _counted(v, as_of)
    chosen = None if new_target_universities is None else {str(u) for u in new_target_universities}
    who = principal_leaders(v, rules)
    rows = []
    for uni, g_all in v.dropna(subset=["university"]).groupby("university", sort=True):
        principals = {leader for (u, leader), (_r, p) in who.items() if u == uni and p}
        rows.append(_university_row(uni, g_all, cv[cv["university"] == uni], principals, rules, start, end,
                                    as_of, chosen))
    out = pd.DataFrame(rows, columns=UNI_COLS)
    for c in ("visit_met_date", "visit_projected_date", "new_met_date", "new_projected_date"):
        out[c] = pd.to_datetime(out[c])
    for c in ("visit_target_applies", "new_target_applies", "behind"):
        out[c] = out[c].astype(bool)
    for c in ("leaders", "principals", "visits", "employers", "new_employers", "internship_bases",
              "recruitment_events", "target_visits", "principal_employers", "target_new"):
        out[c] = out[c].astype("int64")
    for c in ("positions", "visit_expected_by_as_of", "new_expected_by_as_of"):
        out[c] = out[c].astype(float)
    out.attrs["as_of"] = as_of.isoformat()
    return out


# --------------------------------------------------------------------------------------------
# monthly curves and the behind list
# --------------------------------------------------------------------------------------------
MONTHLY_COLS = ["level", "university", "leader", "metric", "month", "added", "cumulative", "target",
                "planned", "gap"]


def _monthly_series(key: dict, dated: pd.Series, months, start, end, as_of, *, weights=None, target=None) -> list:
    """Cumulative progress per month and the straight-line plan from 0 to ``target``."""
    d = pd.to_datetime(dated)
    w = pd.Series(1.0, index=d.index) if weights is None else weights.astype(float).fillna(0.0)
    total = (end - start).days + 1
    out, cum = [], 0.0
    for m in months:
        if m.start_time.date() > as_of:
            added = cumv = np.nan
        else:
            added = float(w[(d.dt.to_period("M") == m) & (d <= pd.Timestamp(as_of))].sum())
            cum += added
            cumv = cum
        planned = np.nan
        if target is not None:
            last = min(m.end_time.date(), end)
            planned = round(target * ((last - start).days + 1) / total, 1)
        out.append({**key, "month": str(m), "added": added, "cumulative": cumv, "target": target,
                    "planned": planned, "gap": cumv - planned if target is not None else np.nan})
    return out


def monthly_progress(visits: pd.DataFrame, *, rules: ActionRules | None = None, as_of=None,
                     leaders: pd.DataFrame | None = None, universities: pd.DataFrame | None = None,
                     **overrides) -> pd.DataFrame:
    """Monthly cumulative progress against the action's timeline.

    The plan is a straight line from 0 on the period's first day to the target on its last;
    ``planned`` is its value at each month's end.  Months after ``as_of`` have no actual values.

    Returns
    -------
    DataFrame
        level (走访人 / 高校), university, leader, metric, month (``"2025-03"``), added,
        cumulative, target, planned, gap (cumulative − planned).  Per university:
        书记校长正职走访用人单位（家） (planned under the joint scope), 新拓展用人单位（家）,
        提供岗位数, 签订实习基地（家）; per leader: 走访用人单位（家） (planned for each 正职
        under the ``"each"`` scope).  ``走访次数`` instead of 走访用人单位 when counting visits.
    """
    rules, v, start, end, as_of = _setup(visits, rules, as_of, overrides)
    cv = v[v["counted"]]
    months = pd.period_range(start, end, freq="M")

    def series(key, dated, **kw):
        return _monthly_series(key, dated, months, start, end, as_of, **kw)

    metric = "走访用人单位（家）" if rules.count_by == "employers" else "走访次数"
    lead = leaders if leaders is not None else leader_progress(v, rules=rules, as_of=as_of)
    unis = universities if universities is not None else university_progress(v, rules=rules, as_of=as_of)
    rows = []
    for r in lead.itertuples(index=False):
        g = cv[(cv["university"] == r.university) & (cv["leader"] == r.leader)]
        key = {"level": "走访人", "university": r.university, "leader": r.leader, "metric": metric}
        rows += series(key, _events(g, rules.count_by), target=rules.target_visits if r.target_applies else None)
    principals = {(r.university, r.leader) for r in lead.itertuples(index=False) if r.principal}
    for r in unis.itertuples(index=False):
        g = cv[cv["university"] == r.university]
        key = {"level": "高校", "university": r.university, "leader": pd.NA}
        mine = g[g["leader"].isin([leader for u, leader in principals if u == r.university])]
        rows += series({**key, "metric": f"书记校长正职{metric}"}, _events(mine, rules.count_by),
                       target=rules.target_visits if r.visit_target_applies else None)
        rows += series({**key, "metric": "新拓展用人单位（家）"},
                       g[g["is_new"]].groupby("employer_std")["date"].min(),
                       target=rules.target_new if r.new_target_applies else None)
        rows += series({**key, "metric": "提供岗位数"}, g["date"], weights=g["positions"])
        rows += series({**key, "metric": "签订实习基地（家）"},
                       g[g["internship_base"]].groupby("employer_std")["date"].min())
    out = pd.DataFrame(rows, columns=MONTHLY_COLS)
    out["target"] = out["target"].astype("Float64")
    return out


BEHIND_COLS = ["who", "university", "leader", "metric", "actual", "target", "expected_by_as_of",
               "shortfall", "projected_date", "status", "statement"]


def behind_list(leaders: pd.DataFrame, universities: pd.DataFrame) -> pd.DataFrame:
    """Who is behind: every applicable target not met and not on course, one row each.

    Returns
    -------
    DataFrame
        who, university, leader, metric (走访用人单位 per 正职 / 书记校长正职走访用人单位 /
        新拓展用人单位 per school), actual, target, expected_by_as_of, shortfall,
        projected_date, status, statement; largest shortfall first.
    """
    rows = []
    for r in leaders[leaders["behind"]].itertuples(index=False):
        role = "" if pd.isna(r.role) else f" {r.role}"
        rows.append({"who": f"{r.university}{role} {r.leader}", "university": r.university, "leader": r.leader,
                     "metric": "走访用人单位", "actual": int(r.target - r.remaining), "target": int(r.target),
                     "expected_by_as_of": r.expected_by_as_of, "shortfall": int(r.remaining),
                     "projected_date": r.projected_date, "status": r.status, "statement": r.statement})
    for r in universities.itertuples(index=False):
        if r.visit_target_applies and r.visit_status in ("落后", "未完成"):
            rows.append({"who": r.university, "university": r.university, "leader": pd.NA,
                         "metric": "书记校长正职走访用人单位", "actual": r.principal_employers,
                         "target": r.target_visits, "expected_by_as_of": r.visit_expected_by_as_of,
                         "shortfall": max(0, r.target_visits - r.principal_employers),
                         "projected_date": r.visit_projected_date, "status": r.visit_status,
                         "statement": r.visit_statement})
        if r.new_target_applies and r.new_status in ("落后", "未完成"):
            rows.append({"who": r.university, "university": r.university, "leader": pd.NA,
                         "metric": "新拓展用人单位", "actual": r.new_employers, "target": r.target_new,
                         "expected_by_as_of": r.new_expected_by_as_of,
                         "shortfall": max(0, r.target_new - r.new_employers),
                         "projected_date": r.new_projected_date, "status": r.new_status,
                         "statement": r.new_statement})
    out = pd.DataFrame(rows, columns=BEHIND_COLS)
    out["projected_date"] = pd.to_datetime(out["projected_date"])
    return out.sort_values(["shortfall"], ascending=False, kind="stable").reset_index(drop=True)


COLLEGE_COLS = ["college", "leaders", "visits", "employers", "new_employers", "positions", "internship_bases",
                "recruitment_events"]


def college_summary(visits: pd.DataFrame, as_of=None) -> pd.DataFrame | None:
    """Counted visits per 对接学院 (the college that follows the employer up): plain totals.

    ``None`` when the ledger has no 对接学院 column.  Visits with no college are one row
    ``未注明学院`` at the end; colleges by employers visited, most first.
    """
    if "college" not in visits or visits["college"].isna().all():
        return None
    v = with_std(visits)
    cv = v[v["counted"]] if as_of is None else _counted(v, as_date(as_of, "as_of"))
    rows = []
    for college, g in cv.groupby(cv["college"].fillna("未注明学院"), sort=False):
        rows.append({"college": college, "leaders": g["leader"].nunique(), **_totals(g)})
    out = pd.DataFrame(rows, columns=COLLEGE_COLS)
    out["_last"] = out["college"] == "未注明学院"
    out = out.sort_values(["_last", "employers", "college"], ascending=[True, False, True], kind="stable")
    return out.drop(columns="_last").reset_index(drop=True)
