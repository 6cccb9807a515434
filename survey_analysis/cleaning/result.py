"""The result of ``clean()`` and its audit trail: :class:`CleanResult`, the cleaning log, the summary."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..design import KEY_ENV
from ..spec import SurveySpec

__all__ = ["CleanResult", "Log", "EXCLUSION_REASONS", "LOG_COLUMNS", "log_frame", "field_dates"]

EXCLUSION_REASONS = {
    "empty": "空白答卷（empty）",
    "out_of_scope": "不在分析范围（out of scope）",
    "duplicate": "重复提交（duplicate）",
    "speeder": "答题过快（speeder）",
    "straight_line": "直线作答（straight-lining）",
}

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _date_of(text) -> str | None:
    m = _DATE.match(str(text))
    if not m:
        return None
    try:
        return pd.Timestamp(int(m[1]), int(m[2]), int(m[3])).strftime("%Y-%m-%d")
    except ValueError:  # e.g. 2025/2/30
        return None


def field_dates(column: pd.Series | None, kept: np.ndarray) -> dict | None:
    """When the kept answers were submitted: ``first`` and ``last`` date (ISO), ``dated``
    (answers with a readable date) and ``rows`` (kept answers); ``None`` without a date.

    Reads the platform's submit-time column (问卷星 提交答卷时间, 腾讯问卷 提交时间 …) as text
    ``2025/11/15 08:18:24``, ``2025-11-15``, ``2025年11月15日`` or as datetimes; only the
    distinct date prefixes are parsed, so a million rows cost a fraction of a second.
    """
    if column is None:
        return None
    col = column[np.asarray(kept, dtype=bool)]
    if pd.api.types.is_datetime64_any_dtype(col):
        dates = col.dropna()
        days = dates.dt.strftime("%Y-%m-%d") if len(dates) else pd.Series([], dtype=object)
        uniq, counts = (np.unique(days.to_numpy(dtype=object), return_counts=True) if len(days)
                        else ([], []))
    else:
        codes, prefixes = pd.factorize(col.astype("string").str.slice(0, 11))
        parsed = [_date_of(p) for p in prefixes]
        n_of = np.bincount(codes[codes >= 0], minlength=len(prefixes))
        uniq, counts = [], []
        for d, c in zip(parsed, n_of):
            if d is not None and c:
                uniq.append(d)
                counts.append(int(c))
    if not len(uniq):
        return None
    return {"first": min(uniq), "last": max(uniq), "dated": int(sum(counts)), "rows": int(len(col))}


LOG_COLUMNS = ["kind", "row", "respondent_id", "field", "column", "original", "new", "rule", "count", "detail"]


@dataclass
class CleanResult:
    """The cleaned survey and its audit trail.

    Attributes
    ----------
    data : DataFrame
        One row per kept respondent, canonical columns (no personal information).
    log : DataFrame
        The cleaning log (see :mod:`survey_analysis.cleaning`), columns :data:`LOG_COLUMNS`.
    summary : dict
        ``rows_in``, ``rows_kept``, ``rows_excluded``, ``excluded_by_reason``, ``warnings``
        (plain Chinese sentences: codes that could not be decoded, a time column that could not be
        read …) and more.
    spec : SurveySpec
    source : SourceInfo
    """

    data: pd.DataFrame
    log: pd.DataFrame
    summary: dict
    spec: SurveySpec
    source: object = None

    @property
    def exclusions(self) -> pd.DataFrame:
        return self.log[self.log["kind"] == "exclude"].reset_index(drop=True)

    @property
    def warnings(self) -> list:
        """Warnings a reader of the results must see (also printed by :meth:`summary_text`)."""
        return list(self.summary.get("warnings") or [])

    def summary_text(self) -> str:
        """The audit summary in Chinese, a few lines."""
        s = self.summary
        lines = [
            f"{s.get('file', '')}：读入 {s['rows_in']} 行，保留 {s['rows_kept']} 行，排除 {s['rows_excluded']} 行。",
        ]
        for reason, n in s["excluded_by_reason"].items():
            if n:
                lines.append(f"  排除原因 {EXCLUSION_REASONS.get(reason, reason)}：{n} 行")
        lines.append(
            f"  重编码 {s['recoded_values']} 个值；无效值 {s['invalid_values']} 个（已置为缺失或保留原值并记录）；"
            f"“无法评价”计为缺失 {s['not_applicable']} 个。"
        )
        lines.append(
            f"  已删除个人信息列 {len(s['pii_columns_dropped'])} 列；文本中替换个人信息 {s['redactions']} 处。"
        )
        for w in s.get("warnings") or []:
            lines.append(f"  警告：{w}")
        if s.get("random_key"):
            lines.append(f"  提示：未提供假名化密钥（--key 或环境变量 {KEY_ENV}），本次使用随机密钥，编号不可跨次比对。")
        return "\n".join(lines)

    def write(self, out_dir, *, stem: str | None = None) -> dict:
        """Write cleaned data (Parquet and CSV), the log (CSV), ``summary.json`` and the mapping
        report, published as one set (see :func:`survey_analysis._atomic.atomic_dir`)."""
        from .._atomic import atomic_dir
        from ..outputs import write_csv

        stem = stem or "cleaned"
        names = [f"{stem}.parquet", f"{stem}.csv", "cleaning_log.csv", "summary.json", "mapping_report.csv"]
        with atomic_dir(out_dir) as tmp:
            self.data.to_parquet(tmp / names[0], index=False)
            write_csv(self.data, tmp / names[1])
            write_csv(self.log, tmp / names[2])
            (tmp / names[3]).write_text(
                json.dumps(self.summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
            write_csv(self.spec.report.copy(), tmp / names[4])
        return {n: Path(out_dir) / n for n in names}


class Log:
    """The cleaning log while it is built: recoding rules (counted) and cell findings.

    A finding that holds for many rows (an answer that is not an option, given by 300,000
    respondents) is kept once with the array of its rows; :meth:`cell_frame` spells it out one row
    per cell, as the log shows it.
    """

    _CELL_FIELDS = ("kind", "field", "column", "original", "new", "rule", "detail")

    def __init__(self):
        self.recodes: dict = {}  # (field, column, original, new, rule) -> [count, rows]
        self._cells: list = []  # (rows as int64 array, (kind, field, column, original, new, rule, detail))

    def recode(self, fieldname, column, original, new, rule, rows, *, count: int | None = None):
        """Record a recoding rule applied to ``rows`` (the first five are kept as examples);
        ``count``: the number of cells when it is larger than ``len(rows)``."""
        key = (fieldname, column, original, new, rule)
        n = len(rows) if count is None else int(count)
        ent = self.recodes.get(key)
        if ent is None:
            self.recodes[key] = [n, list(rows[:5])]
        else:
            ent[0] += n
            if len(ent[1]) < 5:
                ent[1].extend(rows[: 5 - len(ent[1])])

    def cells_at(self, kind, rows, fieldname, column, original, new, rule, detail=""):
        """Record the same finding for the cell of ``fieldname`` in each of ``rows``; ``original``
        may also be an array with one value per row."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        if len(rows):
            self._cells.append((rows, (kind, fieldname, column, original, new, rule, detail)))

    def cell(self, kind, row, fieldname, column, original, new, rule, detail=""):
        """Record a finding for one cell."""
        self.cells_at(kind, [row], fieldname, column, original, new, rule, detail)

    def cell_frame(self) -> pd.DataFrame:
        """One row per recorded cell, in the order recorded (``count`` 1 each)."""
        cols = ["kind", "row", "field", "column", "original", "new", "rule", "count", "detail"]
        if not self._cells:
            return pd.DataFrame(columns=cols)
        out = {"row": np.concatenate([r for r, _ in self._cells])}
        out["count"] = np.ones(len(out["row"]), dtype=np.int64)
        for i, name in enumerate(self._CELL_FIELDS):
            parts = []
            for rows, vals in self._cells:
                v = vals[i]
                if isinstance(v, (np.ndarray, pd.Index, list)):
                    parts.append(np.asarray(v, dtype=object))
                else:
                    part = np.empty(len(rows), dtype=object)
                    part.fill(v)
                    parts.append(part)
            out[name] = np.concatenate(parts)
        return pd.DataFrame(out)[cols]

    @property
    def n_recoded(self) -> int:
        return int(sum(v[0] for v in self.recodes.values()))

    @property
    def n_invalid(self) -> int:
        return int(sum(len(r) for r, v in self._cells if v[0] == "invalid"))


def log_frame(log: Log, frame: pd.DataFrame, spec: SurveySpec, kept: np.ndarray, reasons: pd.Series,
              details: pd.Series, respondent_id: pd.Series, redactor) -> pd.DataFrame:
    """The cleaning log as a DataFrame: exclusions, recodes, cells, dropped columns -- redacted."""
    excl = pd.DataFrame({
        "kind": "exclude", "row": frame.index[~kept].astype(int), "respondent_id": respondent_id[~kept].to_numpy(),
        "field": None, "column": None, "original": None, "new": None,
        "rule": reasons[~kept].to_numpy(), "count": 1, "detail": details[~kept].to_numpy(),
    })
    rec = pd.DataFrame(
        [{"kind": "recode", "row": (rows[0] if rows else None), "respondent_id": None, "field": k[0], "column": k[1],
          "original": k[2], "new": k[3], "rule": k[4], "count": cnt,
          "detail": "示例行 " + ", ".join(map(str, rows))} for k, (cnt, rows) in log.recodes.items()],
        columns=LOG_COLUMNS)
    cells = log.cell_frame()
    if len(cells):
        cells["respondent_id"] = respondent_id.reindex(cells["row"].astype(int)).to_numpy()
    pii_set = set(spec.pii_columns)
    drops = pd.DataFrame([{"kind": "drop_column", "row": None, "respondent_id": None, "field": None, "column": c,
                           "original": None, "new": None,
                           "rule": "pii" if c in pii_set else "not_mapped", "count": int(frame[c].notna().sum()),
                           "detail": "个人信息列，已删除" if c in pii_set else "未映射到分析字段（系统列或未使用的题目）"}
                          for c in dropped_columns(frame, spec)], columns=LOG_COLUMNS)
    parts = [p for p in (excl, rec, cells, drops) if len(p)]
    logdf = pd.concat(parts, ignore_index=True)[LOG_COLUMNS] if parts else pd.DataFrame(columns=LOG_COLUMNS)
    for c in ("original", "new", "detail"):  # the log quotes invalid values: no PII in it either
        if len(logdf):
            logdf[c] = redactor.redact_series(logdf[c].astype(object))[0]
    return logdf


def dropped_columns(frame: pd.DataFrame, spec: SurveySpec) -> list:
    """Raw columns not carried into the cleaned data (personal information, system columns,
    unmapped questions), in file order."""
    used = {x for f in spec.fields.values() if not f.pii and f.type != "id" for x in f.columns}
    return [c for c in frame.columns if c not in used]
