"""The ledgers analysed together: :func:`analyze_ledger` → :class:`LedgerResults`.

The definitions live in the modules that compute them: targets and period in ``_rules``
(:class:`ActionRules`), progress in ``_progress``, employers and the key-employer database in
``_employers``, demand against supply by major in ``_majors``.  This module reads what it is
given, merges employer names across the ledgers and collects the tables, the audit and the notes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import AnalysisError, SurveyError
from ..frozen import freeze
from ._employers import key_employers, merge_employers
from ._labels import LABELS, TABLE_TITLES
from ._majors import supply_demand
from ._progress import behind_list, college_summary, leader_progress, monthly_progress, resolve_as_of, university_progress
from ._read import LedgerTable, read_demand, read_visits
from ._read import cell_text as _cell
from ._read import norm_header as _norm_header
from ._read import parse_number as _parse_number
from ._read import read_cells as _read_raw
from ._rules import NOTICE, ActionRules

__all__ = ["LedgerResults", "analyze_ledger", "read_graduates"]


@dataclass(frozen=True)
class LedgerResults:
    """Everything computed from the ledgers (plain DataFrames; renderers only draw them).

    Read-only, like the findings that hold it (``params`` is a :class:`~survey_analysis.frozen.FrozenDict`,
    ``notes`` a tuple).

    Attributes
    ----------
    visits, demand : DataFrame
        The ledgers as read, with ``employer_std`` (the merged standard name).
    audit : DataFrame
        Every problem found (both ledgers): ``table, row, column, check, value, action, message``.
    merges : DataFrame
        Employer names written in more than one way and the standard name chosen.
    leaders, universities, monthly, behind, key_employers : DataFrame
    colleges : DataFrame or None
        Totals per 对接学院 (``None`` when the visit ledger has no such column).
    supply_demand, unmatched_majors : DataFrame or None
        ``None`` when no demand ledger was given.
    notes : tuple of str
        Plain Chinese notes on what was or was not computed.
    params : dict
        The rules (:class:`ActionRules` fields), the period used, ``as_of`` and the files.
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
    colleges: pd.DataFrame | None = None
    notes: tuple = ()
    params: Mapping = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "notes", tuple(self.notes or ()))
        object.__setattr__(self, "params", freeze(self.params))

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
        uni = self.universities
        parts = []
        if self.params.get("visit_scope") == "each":
            lead = self.leaders[self.leaders["target_applies"]]
            parts.append(f"{len(lead)} 名书记/校长中 {int(lead['met_date'].notna().sum())} 人已达走访目标、"
                         f"{int(lead['behind'].sum())} 人落后")
        else:
            vis = uni[uni["visit_target_applies"]]
            behind = vis["visit_status"].isin(["落后", "未完成"])
            parts.append(f"{len(vis)} 所高校中 {int(vis['visit_met_date'].notna().sum())} 所书记、校长（院长）正职"
                         f"共同走访已达标、{int(behind.sum())} 所落后")
        new = uni[uni["new_target_applies"]]
        new_behind = new["new_status"].isin(["落后", "未完成"])
        parts.append(f"{len(new)} 所适用新拓展目标的高校中 {int(new['new_met_date'].notna().sum())} 所已达标、"
                     f"{int(new_behind.sum())} 所落后")
        parts.append(f"岗位 {uni['positions'].sum():.0f} 个，实习基地 {int(uni['internship_bases'].sum())} 家")
        parts.append(f"审计问题 {len(self.audit)} 条")
        return "专项行动台账：" + "；".join(parts) + "。"


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
        rows, _sheet, src = _read_raw(graduates, sheet)
        hdr = 0
        for i, r in enumerate(rows[:10]):
            if any(_norm_header(h) in {_norm_header(c) for c in _MAJOR_COLS} for h in r):
                hdr = i
                break
        cols = [(_cell(h) or f"列{j + 1}") for j, h in enumerate(rows[hdr])] if rows else []
        df = pd.DataFrame([r[: len(cols)] + [None] * (len(cols) - len(r)) for r in rows[hdr + 1:]],
                          columns=cols)
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


def _read_inputs(visits, demand, graduates, rules, sheet):
    """The ledgers as LedgerTables and the graduates as :func:`read_graduates` gives them."""
    vt = visits if isinstance(visits, LedgerTable) else read_visits(
        visits, sheet=sheet, period_start=rules.period_start, period_end=rules.period_end)
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
    return vt, dt, grads


def _merged(vt, dt, grads):
    """Employer names merged across the ledgers (and the graduates' employers, if named)."""
    names = list(vt.data["employer"].dropna())
    if dt is not None:
        names += list(dt.data["employer"].dropna())
    if grads is not None and grads.attrs.get("has_employer"):
        names += list(grads["employer"].dropna())
    mapping, merges = merge_employers(names)

    def std(df):
        out = df.copy()
        out["employer_std"] = out["employer"].map(
            lambda e: mapping.get(str(e).strip(), pd.NA) if not pd.isna(e) else pd.NA).astype("string")
        return out

    v = std(vt.data)
    d = std(dt.data) if dt is not None else None
    g = None
    if grads is not None:
        g = std(grads) if grads.attrs.get("has_employer") else grads.copy()
        g.attrs.update(grads.attrs)
    return v, d, g, merges


def _audit(vt, dt, um) -> pd.DataFrame:
    """Both ledgers' audits and the majors that could not be matched, in one table."""
    rows = [{"table": "需求台账" if s == "需求台账" else "毕业生", "row": pd.NA,
             "column": "需求专业" if s == "需求台账" else "专业", "check": "major_unmatched", "value": t,
             "action": "不计入分专业供需对比，单列于未匹配专业", "message": f"专业“{t}”未能匹配到本科专业目录（出现 {r} 次）"}
            for t, s, r in zip(um["token"], um["source"], um["rows"])] if um is not None else []
    parts = [x for x in (vt.audit, dt.audit if dt is not None else None,
                         pd.DataFrame(rows, columns=vt.audit.columns) if rows else None)
             if x is not None and len(x)]
    audit = pd.concat(parts, ignore_index=True) if parts else vt.audit.copy()
    audit["row"] = audit["row"].astype("Int64")
    return audit


def _notes(vt, dt, g, merges, um, new_target_universities) -> list:
    notes = []
    start, end = vt.period
    if vt.period_inferred:
        notes.append(f"行动期按台账日期所在年份取 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}（{NOTICE}规定的 3—8 月）；"
                     "如当年通知另有规定，请另行指定行动期。")
    if new_target_universities is None and vt.data["new_target"].isna().all():
        notes.append("走访台账没有“落实率低于当地平均”列，新拓展单位目标按所有高校计算。")
    if g is None:
        notes.append("未提供毕业生数据，重点单位数据库不含录用毕业生数，分专业供需比无法计算。")
    elif not g.attrs.get("has_employer"):
        notes.append("毕业生数据中没有单位名称列，重点单位数据库未统计录用本校毕业生数。")
    if dt is None:
        notes.append("未提供需求台账，未做分专业供需对比。")
    elif um is not None and len(um):
        notes.append(f"有 {len(um)} 种专业写法未能匹配到专业代码，未计入分专业供需对比。")
    if len(merges):
        notes.append(f"{len(merges)} 家单位在台账中有多种写法，已合并为同一单位计数。")
    return notes


def analyze_ledger(visits, demand=None, graduates=None, *, rules: ActionRules | None = None, as_of=None,
                   new_target_universities=None, sheet=None, **overrides) -> LedgerResults:
    """Read (if needed) and analyse the special-action ledgers.

    Parameters
    ----------
    visits : str, Path, DataFrame or LedgerTable
        The visit ledger (a path is read with :func:`read_visits`).
    demand : str, Path, DataFrame or LedgerTable, optional
        The demand ledger (:func:`read_demand`).
    graduates : str, Path or DataFrame, optional
        The school's roster (one row per graduate) or graduates per major
        (:func:`read_graduates`): the supply side of the demand ledger.
    rules : ActionRules, optional
        Targets, period, 正职 roles, demand allocation (default: the notice's).
    as_of : date or str, optional
        Day progress is measured (default: the last counted visit, at most the period's end).
    new_target_universities : iterable of str, optional
        See :func:`university_progress`.
    sheet : str or int, optional
        Worksheet of the visit ledger when ``visits`` is a path.
    **overrides
        Fields of :class:`ActionRules`: ``target_visits``, ``target_new``, ``visit_scope``,
        ``count_by``, ``target_roles``, ``period_start``, ``period_end``, ``allocate``,
        ``ratio_bands``.

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
    >>> int(r.leaders.loc[0, "employers"]), str(r.universities.loc[0, "visit_met_date"].date())
    (1, '2022-03-05')
    """
    rules = ActionRules.resolve(rules, **overrides)
    vt, dt, grads = _read_inputs(visits, demand, graduates, rules, sheet)
    start, end = vt.period
    rules = rules.replace(period_start=start, period_end=end)
    v, d, g, merges = _merged(vt, dt, grads)
    as_of_d = resolve_as_of(v, start, end, as_of)
    leaders = leader_progress(v, rules=rules, as_of=as_of_d)
    unis = university_progress(v, rules=rules, as_of=as_of_d, new_target_universities=new_target_universities)
    monthly = monthly_progress(v, rules=rules, as_of=as_of_d, leaders=leaders, universities=unis)
    sd = um = None
    if d is not None:
        sd, um = supply_demand(d, g, rules=rules)
    params = {**{k: getattr(rules, k) for k in ("target_visits", "target_new", "visit_scope", "count_by",
                                                  "target_roles", "allocate", "ratio_bands")},
              "period_start": start, "period_end": end, "period_inferred": vt.period_inferred, "as_of": as_of_d,
              "visits_file": vt.path, "demand_file": dt.path if dt is not None else None,
              "graduates_source": None if g is None else ("counts" if g.attrs.get("is_roster") else "roster")}
    return LedgerResults(visits=v, audit=_audit(vt, dt, um), merges=merges, leaders=leaders, universities=unis,
                         monthly=monthly, behind=behind_list(leaders, unis), key_employers=key_employers(v, d, g),
                         demand=d, supply_demand=sd, unmatched_majors=um, colleges=college_summary(v, as_of_d),
                         notes=_notes(vt, dt, g, merges, um, new_target_universities), params=params)
