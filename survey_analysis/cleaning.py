"""Cleaning with a full audit trail.

:func:`clean` turns a :class:`~survey_analysis.io.base.RawSurvey` into canonical tidy columns
(see ``docs/ARCHITECTURE.md``) and a cleaning log.  Rows in = rows kept + rows excluded, always;
the input is never modified; every threshold is a parameter.

The log (:attr:`CleanResult.log`) has these kinds of rows:

``exclude``
    one row per excluded respondent with its reason (``duplicate``, ``speeder``,
    ``straight_line``, ``empty``, ``out_of_scope``);
``recode``
    one row per distinct recoding rule applied (field, column, original value, new value, rule,
    count, the first rows it touched) -- e.g. ``很满意 → 5``, ``无法评价 → missing``,
    ``ＥＸＣＥＬ → EXCEL``, ``5001-8000元 → 6500.5``, ``IT/互联网 → I``;
``invalid``
    one row per cell whose value could not be used (outside the scale, an impossible income,
    an unknown option) with what was done about it;
``redact``
    one row per free-text cell in which personal information was replaced;
``drop_column``
    one row per raw column not carried into the cleaned data (personal information, system
    columns, unmapped questions).
"""
from __future__ import annotations

import json
import logging
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import ConfigError, SchemaErrors, SurveyError
from .privacy import Pseudonymizer, Redactor
from .spec import FieldSpec, SurveySpec, infer_spec, load_scales, norm_label, norm_text

__all__ = ["clean", "CleanResult", "EXCLUSION_REASONS", "validate_values"]

logger = logging.getLogger(__name__)

EXCLUSION_REASONS = {
    "empty": "空白答卷（empty）",
    "out_of_scope": "不在分析范围（out of scope）",
    "duplicate": "重复提交（duplicate）",
    "speeder": "答题过快（speeder）",
    "straight_line": "直线作答（straight-lining）",
}

LOG_COLUMNS = ["kind", "row", "respondent_id", "field", "column", "original", "new", "rule", "count", "detail"]

MULTI_SEP = "┋"


@dataclass
class CleanResult:
    """The cleaned survey and its audit trail.

    Attributes
    ----------
    data : DataFrame
        One row per kept respondent, canonical columns (no personal information).
    log : DataFrame
        The cleaning log (see module docstring), columns :data:`LOG_COLUMNS`.
    summary : dict
        ``rows_in``, ``rows_kept``, ``rows_excluded``, ``excluded_by_reason`` and more.
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
        if s.get("random_key"):
            lines.append("  提示：未提供假名化密钥（--key 或环境变量 SURVEY_ANALYSIS_KEY），本次使用随机密钥，编号不可跨次比对。")
        return "\n".join(lines)

    def write(self, out_dir, *, stem: str | None = None) -> dict:
        """Write cleaned data (Parquet and CSV), the log (CSV) and ``summary.json`` atomically."""
        from ._atomic import atomic_dir
        from .outputs import write_csv

        stem = stem or "cleaned"
        paths = {}
        with atomic_dir(out_dir) as tmp:
            self.data.to_parquet(tmp / f"{stem}.parquet", index=False)
            write_csv(self.data, tmp / f"{stem}.csv")
            write_csv(self.log, tmp / "cleaning_log.csv")
            (tmp / "summary.json").write_text(
                json.dumps(self.summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
            )
            spec_report = self.spec.report.copy()
            write_csv(spec_report, tmp / "mapping_report.csv")
            names = [f"{stem}.parquet", f"{stem}.csv", "cleaning_log.csv", "summary.json", "mapping_report.csv"]
        for n in names:
            paths[n] = Path(out_dir) / n
        return paths


# ----------------------------------------------------------------------------------------
# reference tables
# ----------------------------------------------------------------------------------------
def _read_resource_csv(name: str) -> pd.DataFrame:
    with resources.files("survey_analysis").joinpath("resources", name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def _catalogue(name: str, code_col: str) -> dict:
    """Normalised name / alias / code → (code, official name) for a reference list in resources/."""
    out = {}
    for r in _read_resource_csv(name).to_dict("records"):
        entry = (r[code_col], r["name"])
        out[norm_label(r["name"])] = entry
        out[r[code_col].lower()] = entry
        for a in filter(None, r["aliases"].split(";")):
            out.setdefault(norm_label(a), entry)
    return out


@lru_cache(maxsize=1)
def industry_lookup() -> dict:
    """Normalised name / alias / letter → (letter, official name) for GB/T 4754—2017 门类."""
    return _catalogue("industries.csv", "letter")


@lru_cache(maxsize=1)
def major_lookup() -> dict:
    """Normalised major name / alias / code → (code, official name) from the 本科专业目录 subset."""
    return _catalogue("majors.csv", "code")


def lookup_industry(value) -> tuple | None:
    if value is None:
        return None
    key = norm_label(value)
    tab = industry_lookup()
    if key in tab:
        return tab[key]
    m = re.match(r"^([A-Ta-t])\s*[.、:：\s]", str(value).strip())
    if m:
        return tab.get(m.group(1).lower())
    for k, v in tab.items():  # "C制造业" / "制造业（汽车）"
        if len(k) >= 2 and (k in key):
            return v
    return None


def lookup_major(value) -> tuple | None:
    if value is None:
        return None
    key = norm_label(value)
    key = re.sub(r"专业$", "", key)
    tab = major_lookup()
    return tab.get(key)


# ----------------------------------------------------------------------------------------
# value helpers
# ----------------------------------------------------------------------------------------
_SKIP_CODES = {"-2": "skipped", "-3": "not_shown", "-1": "skipped", "(跳过)": "skipped", "(空)": "skipped"}


# control characters (NUL, BEL, ESC …) but not tab / newline / carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _normalize_cell(v) -> str | None:
    """NFKC (full width → half width), control characters removed, strip; ``None`` for blanks;
    ``1.0`` → ``"1"``."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    s = _CONTROL.sub("", unicodedata.normalize("NFKC", str(v))).strip()
    if s in ("", "nan", "NaN", "None", "#N/A", "N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!"):
        return None
    return s


_letter = re.compile(r"^[A-Za-z][.．、]\s*")


def _label_index(options: tuple) -> dict:
    return {norm_label(o): o for o in options}


def _parse_number(s: str):
    """Parse numbers like ``5000``, ``5,000元``, ``5千``, ``1.2万``; bands return (lo, hi)."""
    t = s.replace(",", "").replace("，", "").replace(" ", "")
    t = re.sub(r"(元|人民币|块|/月|每月|人|个|年|届)", "", t)
    mult = 1.0
    if t.endswith("万"):
        mult, t = 10000.0, t[:-1]
    elif t.endswith("千") or t.lower().endswith("k"):
        mult, t = 1000.0, t[:-1]
    try:
        return float(t) * mult
    except ValueError:
        pass
    m = re.fullmatch(r"(\d+(?:\.\d+)?)[-~～—至到](\d+(?:\.\d+)?)", t)
    if m:
        return (float(m.group(1)) * mult, float(m.group(2)) * mult)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(及以下|以下|以内|之内)", t)
    if m:
        return (None, float(m.group(1)) * mult)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(及以上|以上|或以上)", t)
    if m:
        return (float(m.group(1)) * mult, None)
    return None


def _parse_seconds(v) -> float | None:
    s = _normalize_cell(v)
    if s is None:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    total, found = 0.0, False
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(小时|时|分钟|分|秒|h|min|m|s)", s):
        found = True
        f = float(num)
        total += f * (3600 if unit in ("小时", "时", "h") else 60 if unit in ("分钟", "分", "min", "m") else 1)
    if found:
        return total
    m = re.fullmatch(r"(\d+):(\d{1,2}):(\d{1,2})", s)
    if m:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    return None


class _Log:
    def __init__(self):
        self.recodes: dict = {}  # (field, column, original, new, rule) -> [count, rows]
        self.cells: list = []

    def recode(self, fieldname, column, original, new, rule, rows):
        key = (fieldname, column, original, new, rule)
        ent = self.recodes.get(key)
        if ent is None:
            self.recodes[key] = [len(rows), list(rows[:5])]
        else:
            ent[0] += len(rows)
            if len(ent[1]) < 5:
                ent[1].extend(rows[: 5 - len(ent[1])])

    def cell(self, kind, row, fieldname, column, original, new, rule, detail=""):
        self.cells.append({"kind": kind, "row": row, "field": fieldname, "column": column, "original": original,
                           "new": new, "rule": rule, "count": 1, "detail": detail})


# ----------------------------------------------------------------------------------------
# columns as integer codes (each raw column is factorised once per clean())
# ----------------------------------------------------------------------------------------
_NULL_TOKENS = frozenset(("", "nan", "NaN", "None", "#N/A", "N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!",
                          "#NAME?", "#NUM!"))
def _small_codes(codes: np.ndarray, n_uniques: int) -> np.ndarray:
    """Integer codes (-1 = missing) in the smallest signed dtype that holds them."""
    dt = np.int8 if n_uniques < 127 else np.int16 if n_uniques < 32_767 else np.int32
    return codes.astype(dt, copy=False)


def _factorize(col: pd.Series):
    """``pd.factorize(col)`` (NA → -1, uniques in order of appearance) as (small codes, uniques list,
    Arrow dictionary or ``None``).  Arrow-backed string columns are dictionary-encoded by Arrow directly."""
    pa_arr = getattr(col.array, "_pa_array", None)
    if pa_arr is not None:
        import pyarrow as pa

        if pa.types.is_string(pa_arr.type) or pa.types.is_large_string(pa_arr.type):
            enc = pa_arr.dictionary_encode()
            enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
            codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            return _small_codes(codes, len(enc.dictionary)), None, enc.dictionary
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    return _small_codes(codes, len(uniques)), list(uniques), None


def _normalize_uniques(uniques, dictionary=None) -> list:
    """``[_normalize_cell(u) for u in uniques]``; many distinct texts (an Arrow ``dictionary``) are
    normalised by Arrow (same NFKC, control characters, ``str.strip`` white space) when every
    character in them normalises the same way in Arrow as in Python's ``unicodedata``.
    ``uniques`` may be a function returning the list (called only when needed)."""
    if dictionary is None or len(dictionary) < 512 or not _arrow_nfkc_agrees(_chars(dictionary)):
        return [_normalize_cell(u) for u in (uniques() if callable(uniques) else uniques)]
    import pyarrow.compute as pc

    s = pc.utf8_normalize(dictionary, "NFKC")
    s = pc.replace_substring_regex(s, _CONTROL.pattern, "")
    s = pc.utf8_trim(s, _PY_WHITESPACE)
    unchanged = s.equals(dictionary) and not pc.any(pc.is_in(s, value_set=pa_strings(_NULL_TOKENS))).as_py()
    out = [None if v in _NULL_TOKENS else v for v in s.to_pylist()]
    # a last check on a few values against the Python path
    for i in range(0, len(out), max(1, len(out) // 64)):
        if out[i] != _normalize_cell(dictionary[i].as_py()):  # pragma: no cover - never seen
            return [_normalize_cell(u) for u in dictionary.to_pylist()]
    return _Unchanged(out) if unchanged else out


class _Unchanged(list):
    """Normalised values known to equal the (distinct, non-missing) raw values one to one."""


def pa_strings(values):
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


def _chars(arr) -> set:
    """The set of characters in an Arrow string array (from its data buffer, one decode)."""
    import pyarrow as pa

    bufs = arr.buffers()
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offs = np.frombuffer(bufs[1], dtype=width)[arr.offset:arr.offset + len(arr) + 1]
    start, end = int(offs[0]), int(offs[-1])
    if end <= start:
        return set()
    text = bufs[2].to_pybytes()[start:end].decode("utf-8")
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return {chr(c) for c in np.flatnonzero(np.bincount(points))}


# every character Python's str.strip() removes (tests check it against str.isspace)
_PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                  "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _arrow_nfkc_agrees(chars) -> bool:
    """Whether Arrow's NFKC (utf8proc) equals ``unicodedata`` NFKC on each of these characters, all
    of them assigned in Python's Unicode version (normalisation of assigned characters is stable
    across Unicode versions, so texts made of them normalise the same way)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = sorted(chars)
    if any(unicodedata.category(c) in ("Cn", "Cs") for c in chars):
        return False
    theirs = pc.utf8_normalize(pa.array(chars, type=pa.string()), "NFKC").to_pylist()
    return all(unicodedata.normalize("NFKC", c) == t for c, t in zip(chars, theirs))


class _Coded:
    """One raw column as integer codes: ``codes`` (-1 = missing), ``uniques`` (raw values, in order of
    first appearance, as ``pd.factorize``), ``norm`` (each unique through :func:`_normalize_cell`).

    ``rows(k)`` / ``count(k)`` give the rows holding unique ``k`` without a pass over the column
    per unique value."""

    def __init__(self, col: pd.Series | None = None):
        if col is not None:
            self.codes, self._uniques, self._dictionary = _factorize(col)
            self.index = col.index
        self._norm = None
        self._counts = self._order = self._starts = None
        self._calls = 0
        self._remaps: dict = {}

    @classmethod
    def from_codes(cls, codes, uniques, index) -> "_Coded":
        self = cls()
        self.codes, self._uniques, self._dictionary, self.index = codes, list(uniques), None, index
        return self

    @property
    def uniques(self) -> list:
        if self._uniques is None:
            self._uniques = self._dictionary.to_pylist()
        return self._uniques

    @property
    def norm(self) -> list:
        if self._norm is None:
            self._norm = _normalize_uniques(lambda: self.uniques, self._dictionary)
        return self._norm

    def count(self, k: int) -> int:
        if self._counts is None:
            c = self.codes
            self._counts = np.bincount(c.astype(np.intp) + 1, minlength=len(self.norm) + 1)[1:]
        return int(self._counts[k])

    def positions(self, k: int) -> np.ndarray:
        """Positions of the rows holding unique ``k``, in row order."""
        self._calls += 1
        if self._order is None and self._calls <= 8:  # a few uniques: one comparison each
            return np.flatnonzero(self.codes == k)
        if self._order is None:  # many: one stable sort, then slices
            self.count(k)
            self._order = np.argsort(self.codes, kind="stable")
            n_na = len(self.codes) - int(self._counts.sum())
            self._starts = n_na + np.concatenate([[0], np.cumsum(self._counts)])
        return self._order[self._starts[k]:self._starts[k + 1]]

    def rows(self, k: int, limit: int | None = None) -> list:
        """Index labels of the rows holding unique ``k`` (the first ``limit``)."""
        if limit is not None and self._order is None:
            pos = self._first(k, limit)
        else:
            pos = self.positions(k)
            pos = pos[:limit] if limit is not None else pos
        return list(self.index[pos])

    def _first(self, k: int, limit: int) -> np.ndarray:
        """Positions of the first ``limit`` rows holding unique ``k`` (scans growing chunks)."""
        codes, need = self.codes, min(limit, self.count(k))
        found, got, start, step = [], 0, 0, 4096
        while got < need and start < len(codes):
            hit = np.flatnonzero(codes[start:start + step] == k)[:need - got] + start
            found.append(hit)
            got += len(hit)
            start += step
            step *= 4
        return np.concatenate(found) if found else np.empty(0, dtype=np.intp)

    def take(self, values, na=None) -> np.ndarray:
        """``values[k]`` for every row (``na`` for missing rows) as an object array."""
        arr = np.empty(len(values) + 1, dtype=object)
        for i, v in enumerate(values):
            arr[i] = v
        arr[-1] = na
        return arr[self.codes]

    def _remap(self):
        if "remap" not in self._remaps and isinstance(self.norm, _Unchanged):
            n = len(self.norm)
            self._remaps["remap"] = (np.append(np.arange(n, dtype=np.int32), -1), list(self.norm), True)
        if "remap" not in self._remaps:
            norm = np.empty(len(self.norm), dtype=object)
            norm[:] = self.norm
            codes, values = pd.factorize(norm, use_na_sentinel=True)  # None → -1
            # usually each raw value normalises to its own value: the raw codes serve as they are
            identity = len(values) == len(codes) and bool((codes == np.arange(len(codes))).all())
            self._remaps["remap"] = (np.append(codes, -1).astype(np.int32), list(values), identity)
        return self._remaps["remap"]

    def norm_codes(self, missing: frozenset = frozenset()) -> np.ndarray:
        """Codes of the *normalised* values (equal codes ⇔ equal normalised values); -1 for missing
        and for normalised values in ``missing``."""
        remap, values, identity = self._remap()
        if identity and not (missing and any(v in missing for v in values)):
            return self.codes
        if missing:
            key = ("missing", missing)
            if key not in self._remaps:
                drop = [k for k, v in enumerate(values) if v in missing]
                remap = remap.copy()
                remap[np.isin(remap, drop)] = -1
                self._remaps[key] = remap
            remap = self._remaps[key]
        return remap[self.codes]

    def norm_values(self) -> list:
        """The distinct normalised values (not ``None``), in the order of :meth:`norm_codes`."""
        return self._remap()[1]

    def str_values(self) -> list:
        """The distinct raw values as text (``col.dropna().astype(str)`` without repeats)."""
        return [str(u) for u in self.uniques]


def _open_values(col: _Coded, known: dict | None = None, key=None) -> pd.Series:
    """As ``col.map(_normalize_cell).astype(object)``: the map infers the string dtype (missing → NaN)
    unless every value is missing."""
    vals = col.norm
    na = np.nan if any(v is not None for v in vals) else None
    return pd.Series(_column_values(col, vals, lambda v: na if v is None else v, na, known, key),
                     index=col.index, dtype=object)


def _like_map(s: pd.Series) -> pd.Series:
    """The dtype ``Series.map`` infers for these values (``str`` when all are text or missing)."""
    return pd.Series(s.to_numpy(dtype=object), index=s.index, name=s.name)


def _distinct_of(known: dict, column) -> np.ndarray | None:
    got = known.get(column)
    return None if got is None else got[1]


def _duplicate_answers(cols: "_Columns", question_cols: list, live: np.ndarray, skip: frozenset) -> np.ndarray:
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


class _Columns:
    """Per-clean cache: each raw column factorised once, shared by recoders and exclusion checks."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._cache: dict = {}

    def __getitem__(self, c) -> _Coded:
        got = self._cache.get(c)
        if got is None:
            got = self._cache[c] = _Coded(self.frame[c])
        return got


# ----------------------------------------------------------------------------------------
# per-field recoding (each distinct value is handled once)
# ----------------------------------------------------------------------------------------
def _map_distinct(col: pd.Series, func, coded: _Coded | None = None) -> pd.Series:
    """``col.map(func)`` as an object Series, ``func`` called once per distinct raw value (and on NA once)."""
    if coded is None:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
    else:
        codes, uniques = coded.codes, coded.uniques
    missing = codes < 0
    na = col.iloc[int(np.argmax(missing))] if missing.any() else None
    vals = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):  # element-wise: results may be tuples
        vals[i] = func(u)
    vals[-1] = func(na)
    return pd.Series(vals[codes], index=col.index, dtype=object, name=col.name)


class _Distinct:
    """``func`` applied once per distinct value of a column; ``series(pick)`` is
    ``col.map(func).map(pick)`` (with the dtype ``Series.map`` infers) without a call per row."""

    def __init__(self, col: pd.Series, func):
        self.codes, uniques = pd.factorize(col, use_na_sentinel=True)
        missing = self.codes < 0
        na = col.iloc[int(np.argmax(missing))] if missing.any() else None
        self.results = [func(u) for u in uniques] + [func(na)]
        self.index, self.name = col.index, col.name

    def series(self, pick=lambda r: r, infer: bool = True) -> pd.Series:
        vals = np.empty(len(self.results), dtype=object)
        for i, r in enumerate(self.results):
            vals[i] = pick(r)
        if infer:
            # text or missing, some text: Series.map infers the str dtype; built by Arrow from the
            # distinct values instead of converting a million Python objects
            used = list(vals[:-1]) + ([vals[-1]] if (self.codes < 0).any() else [])
            if any(isinstance(v, str) for v in used) and all(isinstance(v, str) or _is_na(v) for v in used):
                return _str_series(self.codes, vals, self.index, self.name, na_value=np.nan)
        s = pd.Series(vals[self.codes], index=self.index, dtype=object, name=self.name)
        return _like_map(s) if infer else s


def _distinct_map(coded: _Coded, func) -> list:
    """``func(normalised_value) -> result`` once per distinct raw value of a coded column."""
    return [func(v) for v in coded.norm]


def _column_values(coded: _Coded, results, pick, na, known: dict | None = None, key=None) -> np.ndarray:
    """Row values from per-unique results: ``pick(result)`` for each unique, ``na`` for missing rows.
    With ``known``, ``known[key] = (codes, values)``: the column is ``values[codes]``."""
    vals = np.empty(len(results) + 1, dtype=object)
    for i, r in enumerate(results):
        vals[i] = pick(r)
    vals[-1] = na
    if known is not None:
        known[key] = (coded.codes, vals)
    return vals[coded.codes]


def _is_na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _str_series(codes: np.ndarray, values, index=None, name=None, *, na_value=pd.NA) -> pd.Series:
    """``values[codes]`` (text or missing; the last value is the one for code -1) as an Arrow-backed
    string Series, taken by Arrow from the distinct values."""
    import pyarrow as pa

    idx = codes.astype(np.int32)
    idx[idx < 0] = len(values) - 1
    arr = pa.array([v if isinstance(v, str) else None for v in values], type=pa.large_string())
    dtype = pd.StringDtype("pyarrow", na_value=na_value)
    return pd.Series(pd.array(arr.take(pa.array(idx)), dtype=dtype), index=index, name=name, dtype=dtype)


def _string_column(codes: np.ndarray, values: np.ndarray, rows: np.ndarray) -> pd.Series | None:
    """``pd.Series(values[codes[rows]]).astype("string")`` built by Arrow from the distinct values;
    ``None`` unless every value is text or missing."""
    if not all(isinstance(v, str) or _is_na(v) for v in values):
        return None
    return _str_series(codes[rows], values)


def _scale_parts(scale: str | None):
    sc = load_scales().get(scale) if scale else None
    if sc is None:
        return None
    labels = list(sc["labels"])
    n = len(labels)
    score = {norm_label(l): float(n - i) for i, l in enumerate(labels)}
    for var, canon in sc["variants"].items():
        score.setdefault(norm_label(var), score[norm_label(canon)])
    na = {norm_label(x) for x in sc["na"]}
    return labels, score, na


def _recode_rating(fs: FieldSpec, col: "_Coded | pd.Series", log: _Log, *, numeric_codes: bool, counts: dict) -> pd.Series:
    col = col if isinstance(col, _Coded) else _Coded(col)  # a Series is accepted too
    parts = _scale_parts(fs.scale)
    options = list(fs.options)
    if parts is None:  # unknown scale: use the option order (first = best) or plain numbers
        n = len([o for o in options if norm_label(o) not in {"无法评价", "不适用"}]) or 5
        score = {norm_label(o): float(n - i) for i, o in enumerate(options[:n])}
        labels, na = options[:n], {"无法评价", "无法评估", "不适用"}
    else:
        labels, score, na = parts
        n = len(labels)
    def f(v):
        if v is None:
            return (np.nan, None)
        if v in _SKIP_CODES:
            return (np.nan, _SKIP_CODES[v])
        key = norm_label(_letter.sub("", v))
        if key in score:
            return (score[key], "label")
        if key in na:
            return (np.nan, "not_applicable")
        try:
            x = float(v)
        except ValueError:
            return (np.nan, "invalid_label")
        if not x.is_integer():
            return (np.nan, "invalid_number")
        x = int(x)
        if numeric_codes:
            if 1 <= x <= len(options):
                lab = options[x - 1]
                k = norm_label(lab)
                if k in score:
                    return (score[k], "code")
                if k in na:
                    return (np.nan, "not_applicable")
            return (np.nan, "code_out_of_range")
        if 1 <= x <= n:
            return (float(x), "score")
        return (np.nan, "score_out_of_range")

    results = _distinct_map(col, f)
    values = np.array([r[0] for r in results] + [np.nan], dtype=float)
    out = pd.Series(values[col.codes], index=col.index, dtype=float)
    for k, (u, (val, rule)) in enumerate(zip(col.uniques, results)):
        if rule is None:
            continue
        if rule in ("label", "code", "score", "not_applicable", "skipped", "not_shown"):
            _add_recode(log, fs, fs.columns[0], u, "" if math.isnan(val) else f"{val:g}", rule, col, k)
            if rule == "not_applicable":
                counts["not_applicable"] += col.count(k)
        else:
            for r in col.rows(k):
                log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), "", rule,
                         f"不在量表「{fs.scale}」内：{'、'.join(labels)}；已置为缺失")
    return out


def _add_recode(log, fs, column, u, new, rule, col: _Coded, k):
    rows = col.rows(k, 5)
    key = (fs.field, column, str(u), new, rule)
    log.recode(*key, rows)
    log.recodes[key][0] += col.count(k) - len(rows)


def _canonical_option(fs: FieldSpec, v: str, idx: dict):
    """Return (label, other_text, rule)."""
    from .io.choices import split_choice

    opts, other = split_choice(v)
    raw = opts[0] if opts else v
    key = norm_label(_letter.sub("", raw))
    if key in idx:
        lab = idx[key]
        return lab, other, ("label" if lab == v else "normalise")
    # "其他【请注明】" vs "其他"
    for k2, lab in idx.items():
        if key.startswith(k2) and k2.startswith("其他"):
            return lab, other, "other"
    return None, other, None


def _recode_single(fs: FieldSpec, col: "_Coded | pd.Series", log: _Log, *, numeric_codes: bool,
                   known: dict | None = None):
    col = col if isinstance(col, _Coded) else _Coded(col)  # a Series is accepted too
    idx = _label_index(fs.options)

    def f(v):
        if v is None:
            return (None, None, None)
        if v in _SKIP_CODES:
            return (None, None, _SKIP_CODES[v])
        if numeric_codes and re.fullmatch(r"-?\d+", v) and fs.options:
            x = int(v)
            if 1 <= x <= len(fs.options):
                return (fs.options[x - 1], None, "code")
            return (v, None, "code_out_of_range")
        if not fs.options:
            return (_letter.sub("", v), None, "label")
        lab, other, rule = _canonical_option(fs, v, idx)
        if lab is None:
            return (_letter.sub("", v), other, "unknown_option")
        return (lab, other, rule)

    results = _distinct_map(col, f)
    oor = [r[2] == "code_out_of_range" for r in results]
    # a code out of range is logged with its value but set missing
    out = pd.Series(_column_values(col, list(zip(results, oor)), lambda t: None if t[1] else t[0][0], None,
                                   known, fs.field), index=col.index, dtype=object)
    other = pd.Series(_column_values(col, results, lambda r: r[1], None, known, fs.field + "__other"),
                      index=col.index, dtype=object)
    for k, (u, (val, oth, rule)) in enumerate(zip(col.uniques, results)):
        if rule is None or (rule == "label" and val == u):
            continue
        if rule in ("unknown_option", "code_out_of_range"):
            for r in col.rows(k):
                log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), val if rule == "unknown_option" else "",
                         rule, "不是问卷中的选项：" + "、".join(map(str, fs.options[:12]))
                         + ("；原值保留" if rule == "unknown_option" else "；已置为缺失"))
            continue
        _add_recode(log, fs, fs.columns[0], u, val or "", rule, col, k)
    return out, other


def _recode_multi(fs: FieldSpec, cols: _Columns, log: _Log, known: dict | None = None):
    idx = _label_index(fs.options)
    index = cols.frame.index
    if fs.binary_columns:
        names = [c for c in fs.columns if c]
        labels = [o for o, c in zip(fs.options, fs.columns) if c]
        # per row: the set of chosen columns as a bit mask (then joined once per distinct mask)
        n = len(index)
        chosen = [np.zeros(n, dtype=bool) for _ in names]
        all_skip = np.ones(n, dtype=bool)
        all_na = np.ones(n, dtype=bool)
        for j, c in enumerate(names):
            cc = cols[c]
            norm = cc.norm + [None]  # the last entry: missing rows (code -1)
            chosen[j] = np.array([v == "1" for v in norm], dtype=bool)[cc.codes]
            all_skip &= np.array([v in ("-2", "-3") for v in norm], dtype=bool)[cc.codes]
            all_na &= np.array([v is None for v in norm], dtype=bool)[cc.codes]
        skipped = all_skip | all_na
        masks = pd.DataFrame(chosen).T if len(names) > 62 else None
        if masks is None:
            bits = np.zeros(n, dtype=np.int64)
            for j, ch in enumerate(chosen):
                bits |= ch.astype(np.int64) << j
            mcodes, muniq = pd.factorize(bits)
            joined_u = [MULTI_SEP.join(l for j, l in enumerate(labels) if (int(m) >> j) & 1) or None for m in muniq]
        else:
            keys = [tuple(r) for r in masks.to_numpy()]
            mcodes, muniq = pd.factorize(pd.Series(keys, dtype=object))
            joined_u = [MULTI_SEP.join(l for l, b in zip(labels, m) if b) or None for m in muniq]
        vals = np.empty(len(joined_u) + 1, dtype=object)
        for i, v in enumerate(joined_u):
            vals[i] = v
        mcodes = mcodes.astype(np.int64)
        mcodes[skipped] = -1  # → None, the last value
        if known is not None:
            known[fs.field] = (mcodes, vals)
        out = pd.Series(vals[mcodes], index=index, dtype=object)
        n = int(out.notna().sum())
        if n:
            log.recode(fs.field, "；".join(names[:2]) + "…", "0/1 列", "选项┋选项", "binary_columns", list(out.dropna().index[:5]))
            log.recodes[(fs.field, "；".join(names[:2]) + "…", "0/1 列", "选项┋选项", "binary_columns")][0] = n
        other = pd.Series(None, index=index, dtype=object)
    else:
        from .io.choices import split_choice

        col = cols[fs.columns[0]]

        def f(v):
            if v is None or v in _SKIP_CODES:
                return (None, None, [])
            opts, other = split_choice(v)
            if len(opts) == 1 and norm_label(opts[0]) not in idx:
                # other platforms join choices with ；/;/、/| -- split only if every part is an option
                for sep in ("；", ";", "|", "、", "，", ","):
                    parts = [p.strip() for p in opts[0].split(sep) if p.strip()]
                    if len(parts) > 1 and all(norm_label(_letter.sub("", p)) in idx for p in parts):
                        opts = parts
                        break
            labs, unknown = [], []
            for o in opts:
                key = norm_label(_letter.sub("", o))
                lab = idx.get(key)
                if lab is None:
                    lab = next((l for k2, l in idx.items() if k2.startswith("其他") and key.startswith(k2)), None)
                if lab is None:
                    unknown.append(o)
                    lab = _letter.sub("", o)
                labs.append(lab)
            return (MULTI_SEP.join(labs) if labs else None, other, unknown)

        results = _distinct_map(col, f)
        out = pd.Series(_column_values(col, results, lambda r: r[0], None, known, fs.field), index=index, dtype=object)
        other = pd.Series(_column_values(col, results, lambda r: r[1], None, known, fs.field + "__other"),
                          index=index, dtype=object)
        for k, (u, (val, oth, unknown)) in enumerate(zip(col.uniques, results)):
            if unknown:
                for r in col.rows(k):
                    log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), val, "unknown_option",
                             f"未知选项：{'、'.join(unknown)}；原值保留")
            elif val is not None and val != u:
                _add_recode(log, fs, fs.columns[0], u, val, "split_multi", col, k)
    # consistency: exclusive options and max choices (checked once per distinct answer)
    if fs.exclusive or fs.max_choices:
        codes, uniques = pd.factorize(out, use_na_sentinel=True)
        flags = []
        for u in uniques:
            p = u.split(MULTI_SEP)
            flags.append((bool(fs.exclusive) and len(p) > 1 and any(e in p for e in fs.exclusive),
                          bool(fs.max_choices) and len(p) > fs.max_choices, len(p)))
        bad = np.array([a or b for a, b, _ in flags] + [False], dtype=bool)[codes]
        for pos in np.flatnonzero(bad):
            k = codes[pos]
            r, v = index[pos], uniques[k]
            excl, many, n_p = flags[k]
            if excl:
                log.cell("invalid", int(r), fs.field, fs.columns[0], v, v,
                         "exclusive_violated", f"「{'、'.join(fs.exclusive)}」与其他选项同时选择；原值保留，分析时单列")
            if many:
                log.cell("invalid", int(r), fs.field, fs.columns[0], v, v,
                         "too_many_choices", f"选择了 {n_p} 项，超过最多 {fs.max_choices} 项；原值保留")
    return out, other


_ID_LIKE = 1e8  # numbers with 9+ integer digits: identifiers, never survey quantities


def _recode_numeric(fs: FieldSpec, col: "_Coded | pd.Series", log: _Log, *, bounds: tuple | None,
                    top_factor: float, bottom_factor: float):
    col = col if isinstance(col, _Coded) else _Coded(col)  # a Series is accepted too

    def f(v):
        if v is None:
            return (np.nan, None)
        if v in _SKIP_CODES:
            return (np.nan, _SKIP_CODES[v])
        p = _parse_number(v)
        if p is None:
            return (np.nan, "not_a_number")
        if isinstance(p, tuple):
            lo, hi = p
            if lo is not None and hi is not None:
                return ((lo + hi) / 2, "band_midpoint")
            if hi is not None:
                return (hi * bottom_factor, "band_open_low")
            return (lo * top_factor, "band_open_high")
        return (p, "number" if v != f"{p:g}" else None)

    results = _distinct_map(col, f)
    values = np.array([r[0] for r in results] + [np.nan], dtype=float)
    out = pd.Series(values[col.codes], index=col.index, dtype=float)
    for k, (u, (val, rule)) in enumerate(zip(col.uniques, results)):
        if rule is None:
            continue
        if rule == "not_a_number":
            for r in col.rows(k):
                log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), "", rule, "不是数字；已置为缺失")
        else:
            _add_recode(log, fs, fs.columns[0], u, "" if math.isnan(val) else f"{val:g}", rule, col, k)
    if bounds is not None:
        lo, hi = bounds
        bad = out.notna() & ((out < lo) | (out > hi))
        for r, x in zip(out.index[bad], out.to_numpy()[bad.to_numpy()]):
            log.cell("invalid", int(r), fs.field, fs.columns[0], f"{x:g}", "", "implausible",
                     f"超出合理范围 [{lo:g}, {hi:g}]；已置为缺失（范围可用参数调整）")
        out = out.mask(bad)
    # a phone number, 学号 or ID number typed into a number box is not a count or a year
    idlike = out.notna() & (out.abs() >= _ID_LIKE)
    for r in out.index[idlike]:
        log.cell("invalid", int(r), fs.field, fs.columns[0], "[过长的数字]", "", "implausible",
                 "数字位数过多（像手机号、学号或证件号）；已置为缺失")
    return out.mask(idlike)


# ----------------------------------------------------------------------------------------
# the main entry point
# ----------------------------------------------------------------------------------------
def clean(
    raw,
    spec: SurveySpec | None = None,
    *,
    key=None,
    roster=None,
    names=(),
    min_seconds: float | None = 60,
    speeder_ratio: float | None = None,
    straightline_min_items: int | None = 5,
    duplicates: str = "auto",
    dup_min_answers: int = 5,
    scope: dict | None = None,
    to_simplified: bool = False,
    income_bounds: tuple | None = (500, 200_000),
    band_top_factor: float = 1.25,
    band_bottom_factor: float = 0.75,
    numeric_codes: bool | None = None,
    college_of_major: dict | None = None,
    cohort=None,
    drop_empty: bool = True,
) -> CleanResult:
    """Clean a survey: recode, exclude, pseudonymise, redact -- with a full audit trail.

    Parameters
    ----------
    raw : RawSurvey
        As returned by :func:`survey_analysis.read_survey`; never modified.
    spec : SurveySpec, optional
        Default: :func:`survey_analysis.infer_spec` (the built-in questionnaires, else keyword
        rules).
    key : str or bytes, optional
        Secret key for pseudonyms (default: ``$SURVEY_ANALYSIS_KEY``, else a random key for this
        run).  Never written to any output.
    roster : DataFrame or RawSurvey, optional
        A roster with 姓名 (and 学号) columns: those names and ids are redacted from free text;
        its 专业/学院 columns give the college of each major.
    names : iterable of str
        More names to redact from free text.
    min_seconds : float or None, default 60
        Respondents faster than this (问卷星 所用时间, 腾讯问卷 答题时长) are speeders.
    speeder_ratio : float or None
        Also speeders: faster than this fraction of the median time (e.g. 0.33).
    straightline_min_items : int or None, default 5
        A respondent who gives the same answer on every row of every rating grid with at least
        this many rows answered is a straight-liner.  ``None`` turns the check off.
    duplicates : {"auto", "id", "answers", "none"}, default "auto"
        ``id``: the same respondent id twice (the first submission is kept); ``answers``:
        identical answers on every question (respondents with at least ``dup_min_answers``
        answers); ``auto``: both.
    dup_min_answers : int, default 5
    scope : dict, optional
        ``{field: allowed values}``; other respondents are excluded as out of scope.
    to_simplified : bool, default False
        Convert traditional characters in free text to simplified (OpenCC).
    income_bounds : (low, high) or None, default (500, 200000)
        Monthly incomes outside are implausible: set missing and logged.
    band_top_factor, band_bottom_factor : float
        Open income bands (``15000元以上``/``3000元以下``) become bound × factor.
    numeric_codes : bool, optional
        Whether numbers in choice/rating columns are option codes (问卷星 按序号, default for
        that platform) or scores.
    college_of_major : dict, optional
        Major → college, used where the survey has no college question.
    cohort : int, optional
        Cohort (毕业年份) to set where the survey has no cohort question.
    drop_empty : bool, default True
        Exclude respondents who answered nothing.

    Returns
    -------
    CleanResult

    Raises
    ------
    SurveyError
        When the spec maps no field at all or references columns missing from the data.
    """
    if spec is None:
        spec = infer_spec(raw)
    src = raw.source
    frame = raw.data  # never modified
    file = getattr(src, "path", None)
    if not spec.fields:
        raise ConfigError("没有任何题目能对应到分析字段", file=file,
                          hint="请用映射文件（YAML）说明各字段对应的题目，见 README。")
    missing = sorted({c for f in spec.fields.values() for c in f.columns if c and c not in frame.columns})
    if missing:
        raise SurveyError.missing_columns(missing, frame.columns, file=file)
    if numeric_codes is None:
        numeric_codes = getattr(src, "platform", "") == "wjx_numeric"

    log = _Log()
    counts = {"not_applicable": 0}
    cols = _Columns(frame)  # every raw column factorised once, shared below
    known: dict = {}  # object output column → (codes, distinct values) while it is values[codes]
    out = {}
    others = {}
    for fs in spec.fields.values():
        if fs.pii or fs.type == "id":
            continue
        col = cols[fs.columns[0]] if fs.columns and fs.columns[0] else _Coded(pd.Series(None, index=frame.index))
        if fs.type == "rating":
            out[fs.field] = _recode_rating(fs, col, log, numeric_codes=numeric_codes, counts=counts)
        elif fs.type == "single":
            out[fs.field], others[fs.field] = _recode_single(fs, col, log, numeric_codes=numeric_codes, known=known)
        elif fs.type == "multi":
            out[fs.field], others[fs.field] = _recode_multi(fs, cols, log, known)
        elif fs.type == "numeric":
            bounds = income_bounds if fs.field == "income" else None
            out[fs.field] = _recode_numeric(fs, col, log, bounds=bounds, top_factor=band_top_factor,
                                            bottom_factor=band_bottom_factor)
        elif fs.type == "open":
            out[fs.field] = _open_values(col, known, fs.field)
    data = pd.DataFrame(out, index=frame.index, copy=False)  # no consolidated copy of the columns
    del out
    for name, o in others.items():
        if o.notna().any():
            data[f"{name}__other"] = o
    del others

    # ---- exclusions (first reason wins) ------------------------------------------------
    reasons = pd.Series(None, index=frame.index, dtype=object)
    details = pd.Series("", index=frame.index, dtype=object)
    meta_cols = {c for q in raw.codebook if q.type == "meta" for c in q.columns}
    identity_cols = set(spec.pii_columns) | set(spec.id_columns)
    if spec.time_column:
        identity_cols.add(spec.time_column)
    question_cols = [c for c in frame.columns if c not in meta_cols and c not in identity_cols]
    # answers as integer codes of the normalised values per column (skip codes count as missing)
    skip = frozenset(_SKIP_CODES)
    n_answered = np.zeros(len(frame), dtype=np.int64)
    for c in question_cols:
        n_answered += cols[c].norm_codes(skip) >= 0
    n_answered = pd.Series(n_answered, index=frame.index)
    if drop_empty and question_cols:
        reasons[n_answered == 0] = "empty"
    if scope:
        for fname, allowed in scope.items():
            if fname not in data.columns:
                raise ConfigError(f"分析范围（scope）中的字段「{fname}」不在数据中", file=file,
                                  found="、".join(map(str, data.columns)))
            allowed = {str(a) for a in (allowed if isinstance(allowed, (list, tuple, set)) else [allowed])}
            vals = _like_map(_map_distinct(data[fname], lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
                                           else (f"{v:g}" if isinstance(v, float) else str(v))))
            outside = reasons.isna() & ~vals.isin(allowed)
            reasons[outside] = "out_of_scope"
            details[outside] = fname + "=" + vals[outside].astype(str)
    # respondent ids: codes of the normalised id (equal codes ⇔ same id; -1 = none)
    id_codes = id_values = None
    if spec.id_columns and all(c in frame.columns for c in spec.id_columns):
        if len(spec.id_columns) > 1:
            ids = frame[list(spec.id_columns)].astype(str).agg("|".join, axis=1)
            id_codes, id_values = pd.factorize(ids, use_na_sentinel=True)
            id_values = list(id_values)
        else:
            idc = cols[spec.id_columns[0]]
            id_codes = idc.norm_codes()
            id_values = idc.norm_values()
    if duplicates in ("auto", "id") and id_codes is not None and any(f.type == "id" for f in spec.fields.values()):
        dup = pd.Series((id_codes >= 0) & pd.Series(id_codes).duplicated(keep="first").to_numpy(),
                        index=frame.index) & reasons.isna()
        reasons[dup] = "duplicate"
        details[dup] = "同一答题人编号重复提交，保留第一次"
    if duplicates in ("auto", "answers") and question_cols:
        live = reasons.isna() & (n_answered >= dup_min_answers)
        dup = _duplicate_answers(cols, question_cols, np.flatnonzero(live.to_numpy()), skip)
        dup = pd.Series(dup, index=frame.index) & live
        reasons[dup] = "duplicate"
        details[dup] = "与之前的一份答卷所有答案完全相同"
    if spec.time_column and spec.time_column in frame.columns and (min_seconds or speeder_ratio):
        secs = _map_distinct(frame[spec.time_column], _parse_seconds, cols[spec.time_column]).astype(float)
        thr = min_seconds or 0
        if speeder_ratio:
            thr = max(thr, float(np.nanmedian(secs)) * speeder_ratio) if secs.notna().any() else thr
        fast = reasons.isna() & secs.notna() & (secs < thr)
        reasons[fast] = "speeder"
        details[fast] = [f"用时 {x:g} 秒 < {thr:g} 秒" for x in secs[fast]]
    if straightline_min_items:
        grids: dict = {}
        for fs in spec.fields.values():
            if fs.type == "rating" and "__" in fs.field:
                grids.setdefault(fs.field.split("__")[0], []).append(fs.field)
        grids = {g: cols_ for g, cols_ in grids.items() if len(cols_) >= straightline_min_items}
        if grids:
            flat = np.ones(len(frame), dtype=bool)
            for g, grid in grids.items():
                # one distinct answer ⇔ max == min over the answered cells (column by column, no copy)
                n_ok = np.zeros(len(frame), dtype=np.int64)
                hi = lo = None
                with np.errstate(invalid="ignore"):
                    for c in grid:
                        v = data[c].to_numpy(dtype="float64", na_value=np.nan)
                        n_ok += ~np.isnan(v)
                        hi = v if hi is None else np.fmax(hi, v)
                        lo = v if lo is None else np.fmin(lo, v)
                    flat &= (n_ok >= straightline_min_items) & (hi == lo)
            flat = pd.Series(flat, index=frame.index) & reasons.isna()
            reasons[flat] = "straight_line"
            details[flat] = "所有评分题组每一行都选了同一个答案"

    # ---- privacy -----------------------------------------------------------------------
    pseudo = Pseudonymizer(key)
    if id_codes is not None:
        # one keyed hash per distinct id; rows without an id are hashed as "row:<row>"
        hashes = np.array(pseudo.many([str(v) for v in id_values]) + [None], dtype=object)[id_codes]
        no_id = np.flatnonzero(id_codes < 0)
        if len(no_id):
            hashes[no_id] = pseudo.many(["row:" + str(r) for r in frame.index[no_id]])
    else:
        hashes = np.array(pseudo.many([f"{getattr(src, 'name', '')}:row:{r}" for r in frame.index]), dtype=object)
    respondent_id = pd.Series(hashes, index=frame.index, dtype="str")
    del hashes, id_codes, id_values

    from .spec import pii_kind

    red_names, red_ids = list(names), []
    name_cols, id_cols = {}, {}  # each column once (a column may be both a field and PII)
    for f in spec.fields.values():
        if f.field in ("name", "contact_name") or (f.pii and f.field.endswith("name")):
            name_cols[f.columns[0]] = None
        if f.type == "id":
            id_cols[f.columns[0]] = None
    for c in spec.pii_columns:  # the survey's own name / id columns, however they were mapped
        kind = pii_kind(c)
        if kind == "name":
            name_cols[c] = None
        elif kind == "student_id":
            id_cols[c] = None
    for c in name_cols:
        red_names.extend(cols[c].str_values())
    for c in id_cols:
        red_ids.extend(cols[c].norm_values())
    roster_majors = {}
    if roster is not None:
        rdf = roster.data if hasattr(roster, "data") else roster
        for c in rdf.columns:
            k = str(c)
            if re.search("姓名|名字", k):
                red_names.extend(rdf[c].dropna().astype(str))
            elif re.search("学号", k):
                red_ids.extend(_Coded(rdf[c]).norm_values())
        mcol = next((c for c in rdf.columns if re.search("专业", str(c))), None)
        ccol = next((c for c in rdf.columns if re.search("学院|院系", str(c))), None)
        if mcol is not None and ccol is not None:
            roster_majors = dict(rdf[[mcol, ccol]].dropna().drop_duplicates(subset=[mcol]).astype(str).to_numpy())
    redactor = Redactor(names=tuple(red_names), ids=tuple(red_ids))
    del red_names, red_ids
    converter = None
    if to_simplified:
        import opencc

        converter = opencc.OpenCC("t2s")
    n_redactions = 0
    open_fields = {f.field for f in spec.fields.values() if f.type == "open" and not f.pii}
    for tf in [f for f in spec.fields.values() if f.type == "open" and not f.pii]:
        s = data[tf.field]
        if converter is not None:
            known.pop(tf.field, None)
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
            conv = [converter.convert(u) for u in uniques]
            tc = _Coded.from_codes(codes, uniques, s.index)
            for k, (u, c) in enumerate(zip(uniques, conv)):
                if c != u:
                    log.recode(tf.field, tf.columns[0], u[:80], c[:80], "to_simplified", tc.rows(k, 5))
            # as s.map(lambda v: conv.get(v, v) if isinstance(v, str) else v)
            s = _like_map(pd.Series(tc.take([c if isinstance(u, str) else u for u, c in zip(uniques, conv)],
                                            na=s.iloc[int(np.argmax(codes < 0))] if (codes < 0).any() else None),
                                    index=s.index, dtype=object))
        s, hits = redactor.redact_series(s, distinct=_distinct_of(known, tf.field))
        if len(hits):
            known.pop(tf.field, None)
        data[tf.field] = s
        for r in hits.itertuples():
            log.cell("redact", int(r.index), tf.field, tf.columns[0], f"[{r.kind}]×{r.n}", "", "redact_" + r.kind,
                     "自由文本中的个人信息已替换为占位符")
            n_redactions += int(r.n)
    # personal information typed into the wrong box: choice answers kept as they were
    # (unknown options, 其他 texts) are redacted like free text
    for c in data.columns:
        if c in open_fields or not (data[c].dtype == object or pd.api.types.is_string_dtype(data[c])):
            continue
        data[c], hits = redactor.redact_series(data[c], distinct=_distinct_of(known, c))
        if len(hits):
            known.pop(c, None)
        n_redactions += int(hits["n"].sum()) if len(hits) else 0
    del cols
    # ---- derived fields ----------------------------------------------------------------
    if "industry" in data.columns:
        ind = _Distinct(data["industry"], lambda v: lookup_industry(v) if isinstance(v, str) else None)
        data["industry_code"] = ind.series(lambda t: t[0] if t else None)
        newname = ind.series(lambda t: t[1] if t else None)
        changed = data["industry"].notna() & newname.notna() & (newname != data["industry"])
        for (a, b), grp in data[["industry"]][changed].groupby(["industry", newname[changed]]).groups.items():
            log.recode("industry", spec["industry"].columns[0], a, b, "gbt4754", list(grp[:5]))
            log.recodes[("industry", spec["industry"].columns[0], a, b, "gbt4754")][0] = len(grp)
        data["industry"] = newname.where(newname.notna(), data["industry"])
        known.pop("industry", None)
    if "major" in data.columns:
        mj = _Distinct(data["major"], lambda v: lookup_major(v) if isinstance(v, str) else None)
        data["major_code"] = mj.series(lambda t: t[0] if t else None)
        mj = mj.series(lambda t: t, infer=False)
        n_known = int(mj.notna().sum())
        if n_known:
            log.recode("major_code", spec["major"].columns[0], "专业名称", "专业代码", "major_catalogue",
                       list(data.index[mj.notna()][:5]))
            log.recodes[("major_code", spec["major"].columns[0], "专业名称", "专业代码", "major_catalogue")][0] = n_known
        cmap = dict(roster_majors)
        cmap.update(college_of_major or {})
        if cmap and "college" not in data.columns:
            data["college"] = _Distinct(data["major"], lambda m: cmap.get(m) if isinstance(m, str) else None).series()
    if cohort is not None and "cohort" not in data.columns:
        data["cohort"] = float(cohort)

    # ---- assemble ----------------------------------------------------------------------
    kept = reasons.isna()
    data.insert(0, "source_row", frame.index.astype(int))
    data.insert(0, "respondent_id", respondent_id)
    # column by column, each released from ``data`` once copied: no second full frame in memory
    keep = np.flatnonzero(kept.to_numpy())
    columns = {}
    for c in list(data.columns):
        s = data.pop(c).take(keep).reset_index(drop=True)
        if s.dtype == object:
            fast = _string_column(*known[c], keep) if c in known else None
            s = s.astype("string") if fast is None else fast.rename(s.name)
        columns[c] = s
    result = pd.DataFrame(columns, copy=False)
    del data, columns
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
    cells = pd.DataFrame(log.cells, columns=[c for c in LOG_COLUMNS if c != "respondent_id"])
    if len(cells):
        cells["respondent_id"] = respondent_id.reindex(cells["row"].astype(int)).to_numpy()
    dropped_cols = [c for c in frame.columns if c not in {x for f in spec.fields.values() if not f.pii and f.type != "id" for x in f.columns}]
    pii_set = set(spec.pii_columns)
    drops = pd.DataFrame([{"kind": "drop_column", "row": None, "respondent_id": None, "field": None, "column": c,
                           "original": None, "new": None,
                           "rule": "pii" if c in pii_set else "not_mapped", "count": int(frame[c].notna().sum()),
                           "detail": "个人信息列，已删除" if c in pii_set else "未映射到分析字段（系统列或未使用的题目）"}
                          for c in dropped_cols], columns=LOG_COLUMNS)
    parts = [p for p in (excl, rec, cells, drops) if len(p)]
    logdf = pd.concat(parts, ignore_index=True)[LOG_COLUMNS] if parts else pd.DataFrame(columns=LOG_COLUMNS)
    for c in ("original", "new", "detail"):  # the log quotes invalid values: no PII in it either
        if len(logdf):
            logdf[c] = redactor.redact_series(logdf[c].astype(object))[0]
    by_reason = {r: int((reasons == r).sum()) for r in EXCLUSION_REASONS}
    summary = {
        "file": getattr(src, "name", ""),
        "platform": getattr(src, "platform", ""),
        "survey": spec.kind,
        "rows_in": int(len(frame)),
        "rows_kept": int(kept.sum()),
        "rows_excluded": int((~kept).sum()),
        "excluded_by_reason": by_reason,
        "recoded_values": int(sum(v[0] for v in log.recodes.values())),
        "invalid_values": int(sum(1 for c in log.cells if c["kind"] == "invalid")),
        "not_applicable": int(counts["not_applicable"]),
        "redactions": n_redactions,
        "pii_columns_dropped": [c for c in dropped_cols if c in pii_set],
        "fields": [c for c in result.columns if c not in ("respondent_id", "source_row")],
        "random_key": pseudo.random_key,
        "parameters": {"min_seconds": min_seconds, "speeder_ratio": speeder_ratio,
                       "straightline_min_items": straightline_min_items, "duplicates": duplicates,
                       "income_bounds": list(income_bounds) if income_bounds else None,
                       "to_simplified": to_simplified, "scope": scope},
    }
    assert summary["rows_in"] == summary["rows_kept"] + summary["rows_excluded"]  # internal invariant
    return CleanResult(data=result, log=logdf, summary=summary, spec=spec, source=src)


def validate_values(raw, spec: SurveySpec | None = None, *, lazy: bool = True, **clean_kwargs) -> pd.DataFrame:
    """Collect every value problem of an export; raise one :class:`SchemaErrors` listing them.

    See :func:`survey_analysis.validate.validate`.
    """
    from .validation import validate

    return validate(raw, spec, lazy=lazy, **clean_kwargs)
