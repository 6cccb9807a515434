"""The one reader of student rosters and population tables.

A *roster* lists one graduate per row (学号, 姓名, 性别, 学院, 专业 …); a *counts table* gives
graduates per cell (专业, [性别 / 学院 / 届别], 人数).  :func:`read_roster` reads either into a
:class:`Roster` that holds everything the package needs from it, once:

* ``counts`` -- graduates per major (and sex, college, cohort) for weighting and response rates;
* ``names`` / ``ids`` -- the people's names and student numbers, for redaction only (never an output);
* ``college_of_major`` -- the college of each major;
* ``table`` -- the rows without personal columns (the ledger reads university and employer columns).

Merged cells (a 专业 merged over its students' rows) are filled from the workbook's merge ranges by
the reader; a student number listed twice is counted once (with a note); counts must be finite
non-negative numbers.  Notes (in Chinese) say what was changed.
"""
from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError, ReadError, SurveyError

__all__ = ["Roster", "read_roster", "roster_from_frame", "as_roster", "id_value", "ROSTER_COLUMNS", "ID_PLACEHOLDERS"]

#: header synonyms of the roles a roster's columns play (compared after NFKC, strip, lower case)
ROSTER_COLUMNS = {
    "major": ("专业", "专业名称", "所学专业", "毕业专业", "major", "专业代码", "major_code"),
    "sex": ("性别", "sex", "gender"),
    "college": ("学院", "院系", "所在学院", "college", "school"),
    "count": ("人数", "毕业生人数", "毕业人数", "毕业生数", "数量", "count", "n"),
    "cohort": ("届别", "毕业年份", "毕业届别", "cohort", "year"),
}
# a plausible upper bound of graduates in one cell of a counts table
_MAX_COUNT = 10_000_000
# student numbers that say "none" (typed into a required box): never an identifier
_ID_CHAR = re.compile(r"[0-9A-Za-z]")
ID_PLACEHOLDERS = frozenset({"无", "没有", "暂无", "空", "不知道", "不清楚", "忘了", "忘记了", "保密", "未知", "略",
                             "na", "n/a", "none", "null", "nil", "-", "--", "/", "\\", ".", "0", "00", "000",
                             "x", "xx", "xxx", "无学号", "不详", "?", "？"})


@dataclass(frozen=True)
class Roster:
    """A roster or counts table, read once (see the module docstring).

    Attributes
    ----------
    counts : DataFrame
        Columns ``major`` and, when present, ``sex``, ``college``, ``cohort``, plus ``count``
        (int); one row per cell.  ``attrs["kind"]`` is ``"roster"`` or ``"counts"``.
    names, ids : tuple of str
        Distinct names and student numbers (redaction only; never written anywhere).
    college_of_major : dict
    table : DataFrame
        The rows kept (merged cells filled, repeated student numbers dropped) without the personal
        columns; index = the row numbers of the file.
    kind : {"roster", "counts"}
    source : str or None
    notes : tuple of str
    """

    counts: pd.DataFrame
    names: tuple = ()
    ids: tuple = ()
    college_of_major: dict = field(default_factory=dict)
    table: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    kind: str = "roster"
    source: str | None = None
    notes: tuple = ()

    def __repr__(self) -> str:  # never show names or ids
        return (f"Roster(kind={self.kind!r}, graduates={int(self.counts['count'].sum()) if len(self.counts) else 0}, "
                f"names={len(self.names)}, ids={len(self.ids)}, source={self.source!r})")

    @property
    def total(self) -> int:
        return int(self.counts["count"].sum()) if len(self.counts) else 0


def _key(h) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(h))).strip().lower()


def _role_column(columns, role: str):
    keys = {_key(c): c for c in columns}
    for cand in ROSTER_COLUMNS[role]:
        if _key(cand) in keys:
            return keys[_key(cand)]
    return None


def _pii_kind(header) -> str | None:
    from ..spec import pii_kind

    return pii_kind(header)


def read_roster(path, *, sheet=None, encoding: str | None = None) -> Roster:
    """Read a roster or a counts table (any format :func:`~survey_analysis.io.read_survey` reads).

    Parameters
    ----------
    path : str or Path
    sheet : str or int, optional
    encoding : str, optional

    Returns
    -------
    Roster

    Raises
    ------
    ReadError
        The file is missing or cannot be read.
    ConfigError
        No 专业 column, a count that is not a finite non-negative number, or many students without
        a major (the message names the rows and what to do).

    Examples
    --------
    >>> r = read_roster("data/raw/roster_2025.xlsx")  # doctest: +SKIP
    >>> r.kind, r.total  # doctest: +SKIP
    ('roster', 3947)
    """
    from .read import read_survey

    p = Path(path)
    if not p.exists():
        raise ReadError("找不到人口（学生名单 / 人数表）文件", file=str(p), hint="请检查名单（--roster / --population）的路径。")
    raw = read_survey(p, sheet=sheet, encoding=encoding, platform="generic")
    try:
        roster = roster_from_frame(raw.data, source=str(p))
    except SurveyError as exc:
        raise exc.with_file(p)
    return dataclasses.replace(roster, notes=tuple(raw.source.notes) + roster.notes)


def roster_from_frame(frame: pd.DataFrame, *, source: str | None = None) -> Roster:
    """A :class:`Roster` from a DataFrame (a roster or a counts table); see :func:`read_roster`."""
    notes: list = []
    name_cols = [c for c in frame.columns if _pii_kind(c) == "name"]
    id_cols = [c for c in frame.columns if _pii_kind(c) == "student_id"]
    pii_cols = [c for c in frame.columns if _pii_kind(c) is not None]
    major = _role_column([c for c in frame.columns if c not in pii_cols], "major")
    if major is None:
        raise ConfigError.missing_columns(["专业"], [str(c) for c in frame.columns], file=source)
    count_col = _role_column(frame.columns, "count")
    frame = _drop_repeated_ids(frame, id_cols, notes) if count_col is None else frame
    roles = {"major": major}
    for role in ("sex", "college", "cohort"):
        c = _role_column([c for c in frame.columns if c not in pii_cols], role)
        if c is not None:
            roles[role] = c
    out = pd.DataFrame({role: _text(frame[c]) for role, c in roles.items()}, index=frame.index)
    if "cohort" in out:
        out["cohort"] = pd.to_numeric(out["cohort"], errors="coerce")
    has_major = out["major"].notna() & (out["major"] != "")
    if count_col is None:
        _check_missing_majors(frame, has_major, name_cols + id_cols, major, source, notes)
    out = out[has_major]
    if count_col is not None:
        out["count"] = _counts(frame.loc[out.index, count_col], count_col, source)
        kind = "counts"
    else:
        out["count"] = 1
        kind = "roster"
    dims = [c for c in ("major", "sex", "college", "cohort") if c in out]
    counts = out.groupby(dims, dropna=False, sort=True)["count"].sum().reset_index()
    counts["count"] = counts["count"].round().astype(int)
    counts.attrs["kind"] = kind
    counts.attrs["source"] = source
    college_of = {}
    if "college" in roles:
        pairs = out[["major", "college"]].dropna().drop_duplicates(subset=["major"])
        college_of = dict(zip(pairs["major"].astype(str), pairs["college"].astype(str)))
    table = frame.drop(columns=pii_cols)
    return Roster(counts=counts, names=_distinct_text(frame, name_cols), ids=_distinct_ids(frame, id_cols),
                  college_of_major=college_of, table=table, kind=kind, source=source, notes=tuple(notes))


def _text(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip()


def _counts(values: pd.Series, column, source) -> np.ndarray:
    counts = pd.to_numeric(values, errors="coerce")
    arr = counts.to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(arr) | ~np.isfinite(arr) | (arr < 0) | (arr > _MAX_COUNT)
    if bad.any():
        row = values.index[bad][0]
        raise ConfigError(
            "人数列中有不是非负数字的值" if not np.isfinite(arr[bad][0]) or arr[bad][0] < 0 or np.isnan(arr[bad][0])
            else f"人数列中有大得不合理的值（超过 {_MAX_COUNT:,}）",
            file=source,
            column=str(column),
            row=int(row) if isinstance(row, (int, np.integer)) else None,
            expected=f"0 到 {_MAX_COUNT:,} 之间的整数（毕业生人数）",
            found=values.loc[row],
            hint="请修正人数列，或提供一行一名毕业生的名单。",
        )
    return arr


def _drop_repeated_ids(frame: pd.DataFrame, id_cols: list, notes: list) -> pd.DataFrame:
    """A roster lists each student once: rows repeating an earlier student number are dropped
    (the note gives their row numbers, never the number itself)."""
    if not id_cols:
        return frame
    ids = frame[id_cols[0]].map(id_value)
    dup = ids.notna() & ids.duplicated(keep="first")
    if not dup.any():
        return frame
    rows = [str(r) for r in frame.index[dup.to_numpy()][:5]]
    notes.append(f"名单中有 {int(dup.sum())} 行的学号与前面的行重复（如第 {'、'.join(rows)} 行），"
                 "每个学号只计一人")
    return frame[~dup.to_numpy()]


def _check_missing_majors(frame, has_major, person_cols, major, source, notes) -> None:
    """Students (rows with a name or number) without a major are not counted; many of them mean
    the majors were merged cells flattened by a conversion: refuse rather than lose them."""
    if not person_cols:
        return
    person = frame[person_cols].notna().any(axis=1)
    lost = person & ~has_major
    n_lost, n_person = int(lost.sum()), int(person.sum())
    if not n_lost:
        return
    rows = [str(r) for r in frame.index[lost.to_numpy()][:5]]
    if n_lost > max(1, 0.05 * n_person):
        raise ConfigError(
            f"名单中 {n_lost} / {n_person} 名学生没有专业（如第 {'、'.join(rows)} 行），无法计入人数",
            file=source, column=str(major),
            expected="每名学生一行，每行都有专业",
            hint="如果专业是合并单元格（一个专业跨多行），请在 Excel 中取消合并并向下填充后另存，"
                 "或直接提供 .xlsx 原文件（合并单元格会被自动展开）。",
        )
    notes.append(f"名单中 {n_lost} 名学生没有填专业（如第 {'、'.join(rows)} 行），未计入分专业人数")


def _distinct_text(frame: pd.DataFrame, cols: list) -> tuple:
    out: dict = {}
    for c in cols:
        for v in frame[c].dropna().astype(str):
            t = v.strip()
            if t:
                out[t] = None
    return tuple(out)


def id_value(v) -> str | None:
    """A student number as text (NFKC, stripped, ``1.0`` → ``1``), or ``None`` for a blank or a
    placeholder such as 无."""
    if type(v) is str and v.isascii():  # the usual case, without NFKC or a regex
        t = v.strip()
        if t.isalnum():
            return None if t.lower() in ID_PLACEHOLDERS else t
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    t = unicodedata.normalize("NFKC", str(v)).strip()
    if not t or t.lower() in ID_PLACEHOLDERS or not _ID_CHAR.search(t):
        return None
    return t


def valid_ids(values) -> np.ndarray:
    """``[id_value(v) is not None for v in values]`` for a list of texts, at Arrow speed for the
    usual ids (ASCII letters and digits)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = list(values)
    if not values:
        return np.zeros(0, dtype=bool)
    try:
        arr = pa.array(values, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return np.array([id_value(v) is not None for v in values], dtype=bool)
    trimmed = pc.utf8_trim_whitespace(arr)
    fast = pc.and_(pc.string_is_ascii(trimmed), pc.ascii_is_alnum(trimmed))
    fast = pc.fill_null(pc.and_(fast, pc.invert(pc.is_in(pc.ascii_lower(trimmed),
                                                          pa.array(sorted(ID_PLACEHOLDERS))))), False)
    out = fast.to_numpy(zero_copy_only=False).copy()
    for i in np.flatnonzero(~out):
        out[i] = id_value(values[i]) is not None
    return out


def _distinct_ids(frame: pd.DataFrame, cols: list) -> tuple:
    out: dict = {}
    for c in cols:
        for v in pd.unique(frame[c].dropna()):
            t = id_value(v)
            if t is not None:
                out[t] = None
    return tuple(out)


def as_roster(obj) -> Roster | None:
    """``obj`` as a :class:`Roster`: a Roster, a path (read with :func:`read_roster`), a
    :class:`~survey_analysis.io.base.RawSurvey` or a DataFrame; ``None`` stays ``None``."""
    if obj is None or isinstance(obj, Roster):
        return obj
    if isinstance(obj, (str, Path)):
        return read_roster(obj)
    data = obj.data if hasattr(obj, "data") and isinstance(obj.data, pd.DataFrame) else obj
    if not isinstance(data, pd.DataFrame):
        raise ConfigError("roster 参数应是名单文件路径、survey_analysis.Roster、RawSurvey 或 DataFrame",
                          found=type(obj).__name__)
    src = getattr(getattr(obj, "source", None), "path", None)
    try:
        return roster_from_frame(data, source=src)
    except ConfigError:
        # a table without a 专业 column still gives names and ids to redact
        name_cols = [c for c in data.columns if _pii_kind(c) == "name"]
        id_cols = [c for c in data.columns if _pii_kind(c) == "student_id"]
        if not (name_cols or id_cols):
            raise
        return Roster(counts=pd.DataFrame({"major": [], "count": []}), names=_distinct_text(data, name_cols),
                      ids=_distinct_ids(data, id_cols), table=data.drop(columns=name_cols + id_cols),
                      source=src)
