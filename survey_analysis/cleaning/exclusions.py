"""Which respondents leave the analysis, and why (first reason wins).

Reasons, in the order they are tried: ``empty`` (nothing answered), ``out_of_scope`` (outside the
``scope`` given), ``duplicate`` (the same respondent id twice, or the same answers to every
question), ``speeder`` (faster than ``min_seconds`` or a fraction of the median time),
``straight_line`` (the same answer on every row of every rating grid).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..spec import SurveySpec
from .codes import SKIP_CODES, Columns, like_map, map_distinct
from .recoders import parse_seconds

__all__ = ["ExclusionRules", "find_exclusions", "duplicate_answers"]


@dataclass(frozen=True)
class ExclusionRules:
    """The exclusion settings of one ``clean()`` (see its parameters)."""

    min_seconds: float | None = 60
    speeder_ratio: float | None = None
    straightline_min_items: int | None = 5
    duplicates: str = "auto"
    dup_min_answers: int = 5
    scope: dict | None = None
    drop_empty: bool = True

    def __post_init__(self):
        if self.duplicates not in ("auto", "id", "answers", "none"):
            raise ConfigError("duplicates 只能是 auto、id、answers 或 none", found=self.duplicates)
        for name in ("min_seconds", "speeder_ratio"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))
                                  or not math.isfinite(float(v)) or float(v) < 0):
                raise ConfigError(f"{name} 应是不小于 0 的有限数字", expected="例如 60", found=v,
                                  hint="不检查答题过快请用 0（命令行 --min-seconds 0）。")


def duplicate_answers(cols: Columns, question_cols: list, live: np.ndarray, skip: frozenset) -> np.ndarray:
    """Rows (among positions ``live``) whose normalised answers to every question equal those of an
    earlier live row, as a boolean array over all rows.

    A 64-bit hash of each row's answer codes finds the candidates; only rows sharing a hash are
    compared exactly (a hash collision never marks a row)."""
    n = len(cols.frame)
    out = np.zeros(n, dtype=bool)
    if not len(live):
        return out
    h = np.zeros(len(live), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j, c in enumerate(question_cols):
            code = cols[c].norm_codes(skip)[live].astype(np.uint64) + np.uint64(1)
            h = (h ^ (code * np.uint64(0x9E3779B97F4A7C15))) * np.uint64(0x100000001B3) + np.uint64(j + 1)
    cand = pd.Series(h).duplicated(keep=False).to_numpy()
    if cand.any():
        pos = live[cand]
        sub = pd.DataFrame({j: cols[c].norm_codes(skip)[pos] for j, c in enumerate(question_cols)})
        out[pos] = sub.duplicated(keep="first").to_numpy()
    return out


class _Marks:
    """The exclusion reason and detail of every row while they are decided (first reason wins)."""

    def __init__(self, index):
        self.reasons = pd.Series(None, index=index, dtype=object)
        self.details = pd.Series("", index=index, dtype=object)

    @property
    def open(self) -> pd.Series:
        return self.reasons.isna()

    def mark(self, rows: pd.Series, reason: str, detail) -> None:
        rows = rows & self.open
        self.reasons[rows] = reason
        self.details[rows] = detail(rows) if callable(detail) else detail


def find_exclusions(raw, spec: SurveySpec, cols: Columns, data: pd.DataFrame, rules: ExclusionRules,
                    id_codes: np.ndarray | None, *, file=None) -> tuple:
    """``(reasons, details, notes)``: per raw row the exclusion reason (``None`` = kept) and a
    detail; notes (Chinese) on what was assumed (a time column in days, unreadable times)."""
    frame = cols.frame
    marks = _Marks(frame.index)
    meta_cols = {c for q in raw.codebook if q.type == "meta" for c in q.columns}
    identity_cols = set(spec.pii_columns) | set(spec.id_columns)
    if spec.time_column:
        identity_cols.add(spec.time_column)
    question_cols = [c for c in frame.columns if c not in meta_cols and c not in identity_cols]
    # answers as integer codes of the normalised values per column (skip codes count as missing)
    skip = frozenset(SKIP_CODES)
    n_answered = np.zeros(len(frame), dtype=np.int64)
    for c in question_cols:
        n_answered += cols[c].norm_codes(skip) >= 0
    n_answered = pd.Series(n_answered, index=frame.index)
    if rules.drop_empty and question_cols:
        marks.mark(n_answered == 0, "empty", "")
    if rules.scope:
        _scope(marks, data, rules.scope, file)
    if rules.duplicates in ("auto", "id") and id_codes is not None and any(f.type == "id" for f in spec.fields.values()):
        dup = pd.Series((id_codes >= 0) & pd.Series(id_codes).duplicated(keep="first").to_numpy(), index=frame.index)
        marks.mark(dup, "duplicate", "同一答题人编号重复提交，保留第一次")
    if rules.duplicates in ("auto", "answers") and question_cols:
        live = marks.open & (n_answered >= rules.dup_min_answers)
        dup = duplicate_answers(cols, question_cols, np.flatnonzero(live.to_numpy()), skip)
        marks.mark(pd.Series(dup, index=frame.index) & live, "duplicate", "与之前的一份答卷所有答案完全相同")
    notes: list = []
    if spec.time_column and spec.time_column in frame.columns and (rules.min_seconds or rules.speeder_ratio):
        _speeders(marks, cols, spec.time_column, rules, notes, file)
    if rules.straightline_min_items:
        _straight_lines(marks, spec, data, rules.straightline_min_items)
    return marks.reasons, marks.details, notes


def _scope(marks: _Marks, data: pd.DataFrame, scope: dict, file) -> None:
    for fname, allowed in scope.items():
        if fname not in data.columns:
            raise ConfigError(f"分析范围（scope）中的字段「{fname}」不在数据中", file=file,
                              found="、".join(map(str, data.columns)))
        allowed = {str(a) for a in (allowed if isinstance(allowed, (list, tuple, set)) else [allowed])}
        vals = like_map(map_distinct(data[fname], lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
                                     else (f"{v:g}" if isinstance(v, float) else str(v))))
        outside = ~vals.isin(allowed)
        marks.mark(outside, "out_of_scope", lambda rows: fname + "=" + vals[rows].astype(str))


def _speeders(marks: _Marks, cols: Columns, column, rules: ExclusionRules, notes: list, file=None) -> None:
    frame = cols.frame
    secs = map_distinct(frame[column], parse_seconds, cols[column]).astype(float)
    known = secs.dropna()
    if len(known) and (known > 0).all() and float(known.max()) < 1:
        # Excel times read as numbers: fractions of a day (0.00174 = 2 分 30 秒)
        secs = secs * 86400.0
        notes.append(f"答题用时列「{column}」是以天为单位的小数（Excel 时间格式），已换算为秒")
    thr = rules.min_seconds or 0
    if rules.speeder_ratio:
        thr = max(thr, float(np.nanmedian(secs)) * rules.speeder_ratio) if secs.notna().any() else thr
    fast = secs.notna() & (secs < thr)
    unread = int((frame[column].notna() & secs.isna()).sum())
    if unread:
        notes.append(f"答题用时列「{column}」有 {unread} 个值无法识别为时长，这些答卷不做过快检查")
    n_timed = int(secs.notna().sum())
    if n_timed >= 20 and fast.sum() > 0.5 * n_timed:
        examples = "、".join(map(str, pd.unique(frame[column].dropna().astype(str))[:3]))
        raise ConfigError(
            f"按答题用时列「{column}」，{int(fast.sum())} / {n_timed} 份答卷都快于 {thr:g} 秒，"
            "多半是用时的格式没有被正确识别（不是真的都答得太快）",
            file=file, column=str(column), found=f"用时示例：{examples}",
            expected="秒数（150）、150秒、2分30秒、00:02:30 或 PT2M30S",
            hint="请检查该列的单位与格式；确认无误时可调低 --min-seconds（0 表示不检查答题过快）。")
    marks.mark(fast, "speeder", lambda rows: [f"用时 {x:g} 秒 < {thr:g} 秒" for x in secs[rows]])


def _straight_lines(marks: _Marks, spec: SurveySpec, data: pd.DataFrame, min_items: int) -> None:
    grids: dict = {}
    for fs in spec.fields.values():
        if fs.type == "rating" and "__" in fs.field:
            grids.setdefault(fs.field.split("__")[0], []).append(fs.field)
    grids = {g: cols_ for g, cols_ in grids.items() if len(cols_) >= min_items}
    if not grids:
        return
    flat = np.ones(len(data), dtype=bool)
    for grid in grids.values():
        # one distinct answer ⇔ max == min over the answered cells (column by column, no copy)
        n_ok = np.zeros(len(data), dtype=np.int64)
        hi = lo = None
        with np.errstate(invalid="ignore"):
            for c in grid:
                v = data[c].to_numpy(dtype="float64", na_value=np.nan)
                n_ok += ~np.isnan(v)
                hi = v if hi is None else np.fmax(hi, v)
                lo = v if lo is None else np.fmin(lo, v)
            flat &= (n_ok >= min_items) & (hi == lo)
    marks.mark(pd.Series(flat, index=data.index), "straight_line", "所有评分题组每一行都选了同一个答案")
