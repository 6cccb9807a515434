"""Readers of the visit ledger (走访台账) and the employer demand ledger (用人单位需求台账).

Both readers validate lazily: every problem in a value is one row of an audit table
(``row, column, check, value, action`` …) and the row is kept, with ``counted`` saying whether
it enters the progress figures.  Only a file that cannot be read, or one without the required
columns, raises.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReadError, SurveyError
from ._employers import normalize_employer
from ._rules import ActionRules

__all__ = [
    "VISIT_COLUMNS",
    "DEMAND_COLUMNS",
    "AUDIT_COLUMNS",
    "LedgerTable",
    "read_visits",
    "read_demand",
    "parse_date",
    "parse_number",
    "read_cells",
    "cell_text",
    "norm_header",
]

# field -> (accepted headers, required)
VISIT_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "date": (("走访日期", "日期", "走访时间"), True),
    "university": (("高校", "学校", "高校名称", "学校名称"), True),
    "leader": (("走访人", "校领导", "走访校领导", "走访领导", "走访人姓名"), True),
    "role": (("职务", "走访人职务"), True),
    "employer": (("单位名称", "用人单位", "用人单位名称", "走访单位", "走访单位名称"), True),
    "employer_type": (("单位性质",), True),
    "industry": (("行业", "所属行业", "单位行业"), True),
    "region": (("地区", "所在地区", "单位所在地", "单位所在地区"), True),
    "is_new": (("是否新拓展单位", "是否新开拓单位", "新拓展单位", "是否新开拓用人单位"), True),
    "positions": (("提供岗位数", "岗位数", "提供岗位数量"), True),
    "internship_base": (("是否签订实习基地", "签订实习基地", "是否建立实习基地", "是否签约实习基地"), True),
    "recruitment_event": (("是否达成招聘活动", "达成招聘活动", "是否达成招聘意向"), True),
    "notes": (("备注",), False),
    "new_target": (("落实率低于当地平均", "是否落实率低于当地平均", "新拓展目标适用"), False),
    "college": (("对接学院", "对接院系", "陪同学院", "走访学院"), False),
}

DEMAND_COLUMNS: dict[str, tuple[tuple[str, ...], bool]] = {
    "employer": (("单位名称", "用人单位", "用人单位名称"), True),
    "position": (("岗位名称", "岗位", "招聘岗位"), True),
    "majors": (("需求专业", "专业要求", "所需专业", "招聘专业"), True),
    "education": (("学历要求", "学历"), False),
    "headcount": (("需求人数", "招聘人数", "需求数量"), True),
    "region": (("工作地区", "工作地点"), False),
    "salary": (("薪资范围", "薪资", "月薪", "薪酬"), False),
    "date": (("发布日期", "日期", "登记日期"), False),
    "university": (("高校", "学校"), False),
}

AUDIT_COLUMNS = ["table", "row", "column", "check", "value", "action", "message"]

_LABEL = {"visits": "走访台账", "demand": "需求台账"}

_YES = {"是", "y", "yes", "true", "1", "√", "✓", "有", "已签订", "已签", "已达成", "签订", "达成", "是的"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "无", "未签订", "未达成", "没有", "不是", "-"}


@dataclass
class LedgerTable:
    """A ledger as read.

    Attributes
    ----------
    data : DataFrame
        One row per ledger row, index ``row`` = the row number seen in Excel; canonical
        columns (see ``VISIT_COLUMNS`` / ``DEMAND_COLUMNS``) plus ``employer_key`` and
        ``counted`` (bool: the row enters the figures) and ``reason`` (why not, in Chinese).
    audit : DataFrame
        Columns ``table, row, column, check, value, action, message``.
    path : str
    sheet : str or None
    columns : dict
        canonical field → header found in the file.
    kind : {"visits", "demand"}
    period : (date, date) or None
        The action period the visit ledger was audited against.
    period_inferred : bool
        Whether that period came from the ledger's dates (the notice's months in its year).
    """

    data: pd.DataFrame
    audit: pd.DataFrame
    path: str | None
    sheet: str | None = None
    columns: dict = field(default_factory=dict)
    kind: str = "visits"
    period: tuple | None = None
    period_inferred: bool = False


# --------------------------------------------------------------------------------------------
# raw reading
def read_cells(path, sheet=None) -> tuple[list[list], str | None, str | None]:
    """Rows of cells with absolute positions: ``rows[0]`` is Excel row 1.

    Files are read with :func:`survey_analysis.io.read_survey` as a generic one-header table
    (its encoding detection, sheet choice and errors); the header row of a ledger is then
    looked for among the first rows, since ledgers often carry a title row above it.
    """
    if isinstance(path, pd.DataFrame):
        df = path
        rows = [list(map(str, df.columns))]
        rows += [list(r) for r in df.itertuples(index=False, name=None)]
        return rows, None, None
    from ..io import read_survey

    p = Path(path)
    raw = read_survey(p, sheet=sheet, platform="generic", header_rows=1, dedupe_headers=True)
    data = raw.data
    header = [None if str(c).startswith("未命名列_") else c for c in data.columns]
    n = max([1] + [int(i) for i in data.index])
    rows: list[list] = [[] for _ in range(n)]
    rows[0] = header
    for rnum, vals in zip(data.index, data.itertuples(index=False, name=None)):
        rows[int(rnum) - 1] = list(vals)
    return rows, raw.source.sheet, str(p)


def norm_header(h) -> str:
    """A header as compared: NFKC, no blanks, no unit in brackets at the end, no ``*:：``."""
    s = unicodedata.normalize("NFKC", "" if h is None else str(h))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"\([^()]*\)$", "", s)  # unit in brackets: 提供岗位数（个）
    return s.strip("*:：")


def cell_text(v):
    """A cell as a stripped string, or None when empty."""
    if v is None:
        return None
    if isinstance(v, float):
        if np.isnan(v):
            return None
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (_dt.date, _dt.datetime, pd.Timestamp)):
        return str(v)
    if not isinstance(v, str) and pd.isna(v):
        return None
    s = str(v).strip()
    return s or None


def _locate_header(rows, spec) -> tuple[int, dict]:
    """Find the header row among the first rows (a title row may come first)."""
    lookup = {}
    for fld, (names, _req) in spec.items():
        for n in names:
            lookup[norm_header(n)] = fld
    required = [f for f, (_n, req) in spec.items() if req]
    best = (-1, 0, {})
    for i, row in enumerate(rows[:10]):
        found = {}
        for j, h in enumerate(row):
            fld = lookup.get(norm_header(h))
            if fld and fld not in found:
                found[fld] = j
        hits = sum(f in found for f in required)
        if hits > best[0]:
            best = (hits, i, found)
        if hits == len(required):
            break
    return best[1], best[2]


# --------------------------------------------------------------------------------------------
# values
def parse_date(value) -> _dt.date | None:
    """A date written as a datetime, an Excel serial number or text; ``None`` if not a date.

    Text forms: ``2022-04-05``, ``2022/4/5``, ``2022.4.5``, ``2022年4月5日``, ``20220405``
    (a time after the date is ignored).  Numbers between 20000 and 80000 are Excel serial
    dates (1954–2119).

    Examples
    --------
    >>> parse_date("2022年4月5日"), parse_date(44656), parse_date("44656")
    (datetime.date(2022, 4, 5), datetime.date(2022, 4, 5), datetime.date(2022, 4, 5))
    """
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if np.isnan(value) or not (20000 <= float(value) < 80000):
            return None
        return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(value))
    s = unicodedata.normalize("NFKC", str(value)).strip()
    if not s:
        return None
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return parse_date(float(s))
    m = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[\sT]\d)", s)
    if not m:
        m = re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_number(value):
    """(number or NaN, problem) where problem is None, 'not_a_number' or 'negative_number'."""
    if value is None:
        return np.nan, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        x = float(value)
    else:
        s = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        s = re.sub(r"(个|人|名|家|岗|个岗位)$", "", s).strip()
        if not s:
            return np.nan, None
        try:
            x = float(s)
        except ValueError:
            return np.nan, "not_a_number"
    if np.isnan(x):
        return np.nan, None
    if x < 0:
        return np.nan, "negative_number"
    return x, None


def _parse_flag(value):
    """(True/False, recognised?) -- an empty cell is 否."""
    s = cell_text(value)
    if s is None:
        return False, True
    t = unicodedata.normalize("NFKC", s).strip().lower()
    if t in _YES:
        return True, True
    if t in _NO:
        return False, True
    return False, False


# --------------------------------------------------------------------------------------------
def _table(path, sheet, spec, kind):
    rows, sheet_name, src = read_cells(path, sheet)
    if not any(cell_text(v) for r in rows[:10] for v in r):
        raise ReadError(f"{_LABEL[kind]}是空的", file=src, sheet=sheet_name,
                        hint="请确认选择了正确的文件和工作表。")
    hdr_i, found = _locate_header(rows, spec)
    missing = [spec[f][0][0] for f, (_n, req) in spec.items() if req and f not in found]
    if missing:
        headers = [h for h in (cell_text(v) for v in rows[hdr_i]) if h] if rows else []
        err = SurveyError.missing_columns(missing, headers, file=src, sheet=sheet_name)
        accepted = "；".join(
            f"{spec[f][0][0]}（可写作：{'、'.join(spec[f][0])}）"
            for f, (_n, req) in spec.items() if req and f not in found
        )
        err.hint = f"{_LABEL[kind]}需要这些列：{accepted}。"
        err.args = (err._render(),)
        raise err
    headers = {f: cell_text(rows[hdr_i][j]) for f, j in found.items()}
    records, index = [], []
    for i in range(hdr_i + 1, len(rows)):
        r = rows[i]
        vals = {f: (r[j] if j < len(r) else None) for f, j in found.items()}
        if not any(cell_text(v) for v in vals.values()):
            continue  # blank line
        records.append(vals)
        index.append(i + 1)  # rows[0] is Excel row 1
    return records, index, headers, sheet_name, src


class _Audit:
    def __init__(self, kind, headers):
        self.kind = kind
        self.headers = headers
        self.rows = []

    def add(self, row, fld, check, value, action, message):
        self.rows.append(
            {
                "table": _LABEL[self.kind],
                "row": row,
                "column": self.headers.get(fld, fld) if fld else None,
                "check": check,
                "value": None if value is None else str(value),
                "action": action,
                "message": message,
            }
        )

    def frame(self):
        df = pd.DataFrame(self.rows, columns=AUDIT_COLUMNS)
        df["row"] = df["row"].astype("Int64")
        return df.sort_values("row", kind="stable").reset_index(drop=True)


def _text_col(records, fld):
    return [cell_text(r.get(fld)) for r in records]


def read_visits(path, *, sheet=None, period_start=None, period_end=None) -> LedgerTable:
    """Read a visit ledger (走访台账) and audit every row.

    Parameters
    ----------
    path : str, Path or DataFrame
        ``.xlsx``/``.xls``/``.csv`` file (or a DataFrame with the headers as columns, rows
        numbered as in Excel from 2).  Required headers (accepted synonyms in
        ``VISIT_COLUMNS``): 走访日期, 高校, 走访人, 职务, 单位名称, 单位性质, 行业, 地区,
        是否新拓展单位, 提供岗位数, 是否签订实习基地, 是否达成招聘活动; optional: 备注,
        落实率低于当地平均 (whether the university has the new-employer target), 对接学院.
        A title row above the header is allowed.
    sheet : str or int, optional
        Worksheet (default: the first).
    period_start, period_end : date or str, optional
        The action period; visits dated outside it are kept but not counted.  Default: the
        notice's months (March 1 – August 31) in the year most visit dates fall in
        (:meth:`ActionRules.period`); ``LedgerTable.period_inferred`` says so.

    Returns
    -------
    LedgerTable
        ``data`` has columns date (datetime64), university, leader, role, role_written,
        employer, employer_key, employer_type, industry, region, college, is_new, positions,
        internship_base, recruitment_event, notes, new_target, counted, reason.

    Raises
    ------
    ReadError
        The file cannot be read.
    SurveyError
        Required columns are missing (the message lists the columns present).

    Notes
    -----
    What each problem does (the audit row's ``action`` says it again):

    * date missing / not a date → not counted; date outside the period → not counted;
    * 走访人, 高校 or 单位名称 missing → not counted;
    * 职务 missing → counted (the leader's role from their other rows is used if there is one);
    * 提供岗位数 negative or not a number → the visit is counted, the number is not;
    * a 是/否 cell that is neither → read as 否;
    * the same visit twice (same date, leader and employer after name normalisation) → the
      first row is counted, the repeats are not.
    """
    rules = ActionRules(period_start=period_start, period_end=period_end)
    records, index, headers, sheet_name, src = _table(path, sheet, VISIT_COLUMNS, "visits")
    audit = _Audit("visits", headers)
    rows = _VisitRows(records, index, audit)
    rows.check_values(headers)
    start, end, inferred = rules.period(rows.dates)
    rows.check_period(start, end)
    rows.fill_roles()
    rows.mark_duplicates()
    return LedgerTable(data=rows.frame(), audit=audit.frame(), path=src, sheet=sheet_name,
                       columns=headers, kind="visits", period=(start, end), period_inferred=inferred)


class _VisitRows:
    """The visit ledger's rows while they are checked (one list per field, ``counted`` flags)."""

    TEXT = ("university", "leader", "role", "employer", "employer_type", "industry", "region", "college", "notes")
    FLAGS = ("is_new", "internship_base", "recruitment_event")

    def __init__(self, records, index, audit):
        self.records, self.index, self.audit = records, index, audit
        n = len(records)
        self.text = {f: _text_col(records, f) for f in self.TEXT}
        self.roles = list(self.text["role"])
        self.dates: list = [None] * n
        self.counted = [True] * n
        self.reason: list = [None] * n
        self.positions = np.full(n, np.nan)
        self.flags = {f: [False] * n for f in self.FLAGS}
        self.new_target: list = [pd.NA] * n
        self.keys = [normalize_employer(e) for e in self.text["employer"]]

    def drop(self, i, why):
        if self.counted[i]:
            self.counted[i] = False
            self.reason[i] = why

    def check_values(self, headers):
        """Dates, required names, 提供岗位数 and the 是/否 cells of every row."""
        add = self.audit.add
        for i, rec in enumerate(self.records):
            row = self.index[i]
            raw_date = rec.get("date")
            self.dates[i] = parse_date(raw_date)
            if self.dates[i] is None:
                what = "为空" if cell_text(raw_date) is None else "不是可识别的日期"
                add(row, "date", "date_invalid", cell_text(raw_date), "不计入进度（无法确定走访日期）", f"走访日期{what}")
                self.drop(i, "日期无效")
            for fld, label in (("university", "高校"), ("leader", "走访人"), ("employer", "单位名称")):
                if self.text[fld][i] is None:
                    add(row, fld, "missing_value", None, "不计入进度", f"{label}为空")
                    self.drop(i, f"{label}为空")
            x, problem = parse_number(rec.get("positions"))
            self.positions[i] = x
            if problem:
                msg = "提供岗位数为负数" if problem == "negative_number" else "提供岗位数不是数字"
                add(row, "positions", problem, cell_text(rec.get("positions")), "走访计入，岗位数按缺失处理、不计入合计", msg)
            for fld in self.FLAGS:
                val, ok = _parse_flag(rec.get(fld))
                self.flags[fld][i] = val
                if not ok:
                    add(row, fld, "bad_flag", cell_text(rec.get(fld)), "按“否”处理", f"「{headers[fld]}」应填“是”或“否”")
            if "new_target" in headers and cell_text(rec.get("new_target")) is not None:
                val, ok = _parse_flag(rec.get("new_target"))
                self.new_target[i] = val if ok else pd.NA
                if not ok:
                    add(row, "new_target", "bad_flag", cell_text(rec.get("new_target")), "忽略该单元格",
                        f"「{headers['new_target']}」应填“是”或“否”")

    def check_period(self, start, end):
        for i, d in enumerate(self.dates):
            if d is not None and not (start <= d <= end):
                self.audit.add(self.index[i], "date", "outside_period", d.isoformat(), "不计入进度（记录保留）",
                               f"走访日期不在专项行动期 {start.isoformat()} 至 {end.isoformat()} 内")
                self.drop(i, "日期在行动期外")

    def fill_roles(self):
        """A missing 职务 takes the same leader's most frequent role in their other rows."""
        uni, leader = self.text["university"], self.text["leader"]
        role_of: dict = {}
        for i, role in enumerate(self.text["role"]):
            if role is not None and leader[i] is not None:
                counts = role_of.setdefault((uni[i], leader[i]), {})
                counts[role] = counts.get(role, 0) + 1
        for i in range(len(self.roles)):
            if self.roles[i] is not None or leader[i] is None:
                continue
            known = role_of.get((uni[i], leader[i]))
            if known:
                self.roles[i] = max(known, key=known.get)
                action = f"计入进度；职务按该走访人其他记录补为“{self.roles[i]}”"
            else:
                action = "计入进度；职务未知，请补填"
            self.audit.add(self.index[i], "role", "role_missing", None, action, f"走访人「{leader[i]}」没有填写职务")

    def mark_duplicates(self):
        """The same leader visiting the same employer (after name merging) on the same day."""
        first_seen: dict = {}
        for i in range(len(self.records)):
            if not self.counted[i]:
                continue
            k = (self.dates[i], self.text["university"][i], self.text["leader"][i], self.keys[i])
            if k not in first_seen:
                first_seen[k] = i
                continue
            j = first_seen[k]
            self.audit.add(self.index[i], "employer", "duplicate_visit", self.text["employer"][i],
                           f"不计入（与第 {self.index[j]} 行重复，只计一次）",
                           f"同一走访人同一天走访同一单位重复登记（第 {self.index[j]} 行）")
            self.drop(i, f"与第 {self.index[j]} 行重复")

    def frame(self) -> pd.DataFrame:
        t = self.text
        data = pd.DataFrame(
            {
                "date": pd.to_datetime(pd.Series(self.dates, dtype=object)).to_numpy(),
                "university": t["university"], "leader": t["leader"], "role": self.roles,
                "role_written": t["role"], "employer": t["employer"], "employer_key": self.keys,
                "employer_type": t["employer_type"], "industry": t["industry"], "region": t["region"],
                "college": t["college"],
                **{f: np.asarray(v, dtype=bool) for f, v in self.flags.items()},
                "positions": self.positions, "notes": t["notes"],
                "new_target": pd.array(self.new_target, dtype="boolean"),
                "counted": np.asarray(self.counted, dtype=bool),
                "reason": pd.array(self.reason, dtype="string"),
            },
            index=pd.Index(self.index, name="row", dtype="int64"),
        )
        for c in ("university", "leader", "role", "role_written", "employer", "employer_key",
                  "employer_type", "industry", "region", "college", "notes", "reason"):
            data[c] = data[c].astype("string")
        return data


def read_demand(path, *, sheet=None) -> LedgerTable:
    """Read an employer demand ledger (用人单位需求台账) and audit every row.

    Parameters
    ----------
    path : str, Path or DataFrame
        Required headers: 单位名称, 岗位名称, 需求专业 (several majors joined by 、 ， , ；
        or /), 需求人数; optional: 学历要求, 工作地区, 薪资范围, 发布日期, 高校.
    sheet : str or int, optional

    Returns
    -------
    LedgerTable
        ``data`` columns: employer, employer_key, position, majors, education, headcount,
        region, salary, date, university, counted, reason.

    Notes
    -----
    需求人数 negative or not a number → the row is kept but not counted (audit
    ``negative_number`` / ``not_a_number``); empty 需求人数 or 单位名称 → not counted;
    the same row twice (same employer, position, majors, headcount and date) → counted once.
    A 发布日期 that is not a date is flagged but the row still counts.
    """
    records, index, headers, sheet_name, src = _table(path, sheet, DEMAND_COLUMNS, "demand")
    audit = _Audit("demand", headers)
    n = len(records)
    out = {f: _text_col(records, f) for f in
           ("employer", "position", "majors", "education", "region", "salary", "university")}
    counted = [True] * n
    reason: list = [None] * n
    heads = np.full(n, np.nan)
    dates: list = [None] * n

    def drop(i, why):
        if counted[i]:
            counted[i] = False
            reason[i] = why

    for i, rec in enumerate(records):
        heads[i], dates[i], why = _check_demand_row(rec, index[i], out, i, headers, audit)
        if why:
            drop(i, why)
    keys = [normalize_employer(e) for e in out["employer"]]
    seen: dict = {}
    for i in range(n):
        if not counted[i]:
            continue
        k = (keys[i], out["position"][i], out["majors"][i], heads[i], dates[i], out["university"][i])
        if k in seen:
            j = seen[k]
            audit.add(index[i], "employer", "duplicate_demand", out["employer"][i],
                      f"不计入（与第 {index[j]} 行重复，只计一次）", "同一需求重复登记")
            drop(i, f"与第 {index[j]} 行重复")
        else:
            seen[k] = i
    data = pd.DataFrame(
        {"employer": out["employer"], "employer_key": keys, "position": out["position"], "majors": out["majors"],
         "education": out["education"], "headcount": heads, "region": out["region"], "salary": out["salary"],
         "date": pd.to_datetime(pd.Series(dates, dtype=object)).to_numpy(), "university": out["university"],
         "counted": np.asarray(counted, dtype=bool), "reason": pd.array(reason, dtype="string")},
        index=pd.Index(index, name="row", dtype="int64"),
    )
    for c in ("employer", "employer_key", "position", "majors", "education", "region", "salary",
              "university", "reason"):
        data[c] = data[c].astype("string")
    return LedgerTable(data=data, audit=audit.frame(), path=src, sheet=sheet_name,
                       columns=headers, kind="demand")


def _check_demand_row(rec, row, out, i, headers, audit):
    """需求人数, 单位名称, 需求专业 and 发布日期 of one demand row → (headcount, date, why not counted)."""
    why = None
    x, problem = parse_number(rec.get("headcount"))
    if problem:
        msg = "需求人数为负数" if problem == "negative_number" else "需求人数不是数字"
        audit.add(row, "headcount", problem, cell_text(rec.get("headcount")), "不计入需求合计（记录保留）", msg)
        why = msg
    elif np.isnan(x):
        audit.add(row, "headcount", "missing_value", None, "不计入需求合计", "需求人数为空")
        why = "需求人数为空"
    if out["employer"][i] is None:
        audit.add(row, "employer", "missing_value", None, "不计入需求合计", "单位名称为空")
        why = why or "单位名称为空"
    if out["majors"][i] is None:
        audit.add(row, "majors", "missing_value", None, "计入需求合计，按专业统计时记为“未注明专业”", "需求专业为空")
    d = None
    if "date" in headers:
        raw = rec.get("date")
        d = parse_date(raw)
        if d is None and cell_text(raw) is not None:
            audit.add(row, "date", "date_invalid", cell_text(raw), "计入（日期不影响需求统计）", "发布日期不是可识别的日期")
    return x, d, why
