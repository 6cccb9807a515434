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
# per-field recoding (each distinct value is handled once)
# ----------------------------------------------------------------------------------------
def _normalize_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df.map(_normalize_cell)``, computed once per distinct value of each column."""
    out = {}
    for j, c in enumerate(df.columns):
        codes, uniques = pd.factorize(df.iloc[:, j], use_na_sentinel=True)
        vals = np.array([_normalize_cell(u) for u in uniques] + [None], dtype=object)
        out[j] = vals[codes]
    res = pd.DataFrame(out, index=df.index)
    res.columns = df.columns
    return res


def _map_distinct(col: pd.Series, func) -> pd.Series:
    """``col.map(func)`` as an object Series, ``func`` called once per distinct value (and on NA once)."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    na = col.iloc[int(np.argmax(codes < 0))] if (codes < 0).any() else None
    vals = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):  # element-wise: results may be tuples
        vals[i] = func(u)
    vals[-1] = func(na)
    return pd.Series(vals[codes], index=col.index, dtype=object, name=col.name)


def _distinct_map(col: pd.Series, func):
    """Apply ``func(normalised_value) -> result`` once per distinct raw value."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    results = [func(_normalize_cell(u)) for u in uniques]
    return codes, uniques, results


def _rows_for(codes, index, k):
    return [int(i) for i in index[codes == k][:5]]


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


def _recode_rating(fs: FieldSpec, col: pd.Series, log: _Log, *, numeric_codes: bool, counts: dict) -> pd.Series:
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

    codes, uniques, results = _distinct_map(col, f)
    values = np.array([r[0] for r in results] + [np.nan], dtype=float)
    out = pd.Series(values[codes], index=col.index, dtype=float)
    for k, (u, (val, rule)) in enumerate(zip(uniques, results)):
        if rule is None:
            continue
        if rule in ("label", "code", "score", "not_applicable", "skipped", "not_shown"):
            _add_recode(log, fs, fs.columns[0], u, "" if math.isnan(val) else f"{val:g}", rule, codes, k, col.index)
            if rule == "not_applicable":
                counts["not_applicable"] += int((codes == k).sum())
        else:
            for r in col.index[codes == k]:
                log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), "", rule,
                         f"不在量表「{fs.scale}」内：{'、'.join(labels)}；已置为缺失")
    return out


def _add_recode(log, fs, column, u, new, rule, codes, k, index):
    rows = list(index[codes == k][:5])
    key = (fs.field, column, str(u), new, rule)
    log.recode(*key, rows)
    log.recodes[key][0] += int((codes == k).sum()) - len(rows)


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


def _recode_single(fs: FieldSpec, col: pd.Series, log: _Log, *, numeric_codes: bool):
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

    codes, uniques, results = _distinct_map(col, f)
    vals = np.array([r[0] for r in results] + [None], dtype=object)
    others = np.array([r[1] for r in results] + [None], dtype=object)
    out = pd.Series(vals[codes], index=col.index, dtype=object)
    other = pd.Series(others[codes], index=col.index, dtype=object)
    for k, (u, (val, oth, rule)) in enumerate(zip(uniques, results)):
        if rule is None or (rule == "label" and val == u):
            continue
        if rule in ("unknown_option", "code_out_of_range"):
            for r in col.index[codes == k]:
                log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), val if rule == "unknown_option" else "",
                         rule, "不是问卷中的选项：" + "、".join(map(str, fs.options[:12]))
                         + ("；原值保留" if rule == "unknown_option" else "；已置为缺失"))
            continue
        _add_recode(log, fs, fs.columns[0], u, val or "", rule, codes, k, col.index)
    if rule_any_code_oor(results):
        out = out.where(~pd.Series([results[c][2] == "code_out_of_range" if c >= 0 else False for c in codes],
                                   index=col.index), None)
    return out, other


def rule_any_code_oor(results) -> bool:
    return any(r[2] == "code_out_of_range" for r in results)


def _recode_multi(fs: FieldSpec, frame: pd.DataFrame, log: _Log):
    idx = _label_index(fs.options)
    if fs.binary_columns:
        cols = [c for c in fs.columns if c]
        labels = [o for o, c in zip(fs.options, fs.columns) if c]
        mat = pd.DataFrame({c: frame[c].map(_normalize_cell) for c in cols}, index=frame.index)
        chosen = mat.isin(["1"])
        skipped = mat.isin(["-2", "-3"]).all(axis=1) | mat.isna().all(axis=1)
        lab_arr = np.array(labels, dtype=object)
        joined = [MULTI_SEP.join(lab_arr[row]) if not sk else None
                  for row, sk in zip(chosen.to_numpy(), skipped.to_numpy())]
        out = pd.Series(joined, index=frame.index, dtype=object)
        out[(out == "")] = None
        n = int(out.notna().sum())
        if n:
            log.recode(fs.field, "；".join(cols[:2]) + "…", "0/1 列", "选项┋选项", "binary_columns", list(out.dropna().index[:5]))
            log.recodes[(fs.field, "；".join(cols[:2]) + "…", "0/1 列", "选项┋选项", "binary_columns")][0] = n
        other = pd.Series(None, index=frame.index, dtype=object)
    else:
        from .io.choices import split_choice

        col = frame[fs.columns[0]]

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

        codes, uniques, results = _distinct_map(col, f)
        vals = np.array([r[0] for r in results] + [None], dtype=object)
        others = np.array([r[1] for r in results] + [None], dtype=object)
        out = pd.Series(vals[codes], index=frame.index, dtype=object)
        other = pd.Series(others[codes], index=frame.index, dtype=object)
        for k, (u, (val, oth, unknown)) in enumerate(zip(uniques, results)):
            if unknown:
                for r in col.index[codes == k]:
                    log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), val, "unknown_option",
                             f"未知选项：{'、'.join(unknown)}；原值保留")
            elif val is not None and val != u:
                _add_recode(log, fs, fs.columns[0], u, val, "split_multi", codes, k, col.index)
    # consistency: exclusive options and max choices
    if fs.exclusive or fs.max_choices:
        parts = out.dropna().str.split(MULTI_SEP)
        for r, p in parts.items():
            if fs.exclusive and len(p) > 1 and any(e in p for e in fs.exclusive):
                log.cell("invalid", int(r), fs.field, fs.columns[0], MULTI_SEP.join(p), MULTI_SEP.join(p),
                         "exclusive_violated", f"「{'、'.join(fs.exclusive)}」与其他选项同时选择；原值保留，分析时单列")
            if fs.max_choices and len(p) > fs.max_choices:
                log.cell("invalid", int(r), fs.field, fs.columns[0], MULTI_SEP.join(p), MULTI_SEP.join(p),
                         "too_many_choices", f"选择了 {len(p)} 项，超过最多 {fs.max_choices} 项；原值保留")
    return out, other


_ID_LIKE = 1e8  # numbers with 9+ integer digits: identifiers, never survey quantities


def _recode_numeric(fs: FieldSpec, col: pd.Series, log: _Log, *, bounds: tuple | None,
                    top_factor: float, bottom_factor: float):
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

    codes, uniques, results = _distinct_map(col, f)
    values = np.array([r[0] for r in results] + [np.nan], dtype=float)
    out = pd.Series(values[codes], index=col.index, dtype=float)
    for k, (u, (val, rule)) in enumerate(zip(uniques, results)):
        if rule is None:
            continue
        if rule == "not_a_number":
            for r in col.index[codes == k]:
                log.cell("invalid", int(r), fs.field, fs.columns[0], str(u), "", rule, "不是数字；已置为缺失")
        else:
            _add_recode(log, fs, fs.columns[0], u, "" if math.isnan(val) else f"{val:g}", rule, codes, k, col.index)
    if bounds is not None:
        lo, hi = bounds
        bad = out.notna() & ((out < lo) | (out > hi))
        for r in out.index[bad]:
            log.cell("invalid", int(r), fs.field, fs.columns[0], f"{out[r]:g}", "", "implausible",
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
    out = {}
    others = {}
    for fs in spec.fields.values():
        if fs.pii or fs.type == "id":
            continue
        col = frame[fs.columns[0]] if fs.columns and fs.columns[0] else pd.Series(None, index=frame.index)
        if fs.type == "rating":
            out[fs.field] = _recode_rating(fs, col, log, numeric_codes=numeric_codes, counts=counts)
        elif fs.type == "single":
            out[fs.field], others[fs.field] = _recode_single(fs, col, log, numeric_codes=numeric_codes)
        elif fs.type == "multi":
            out[fs.field], others[fs.field] = _recode_multi(fs, frame, log)
        elif fs.type == "numeric":
            bounds = income_bounds if fs.field == "income" else None
            out[fs.field] = _recode_numeric(fs, col, log, bounds=bounds, top_factor=band_top_factor,
                                            bottom_factor=band_bottom_factor)
        elif fs.type == "open":
            out[fs.field] = col.map(_normalize_cell).astype(object)
    data = pd.DataFrame(out, index=frame.index)
    for name, o in others.items():
        if o.notna().any():
            data[f"{name}__other"] = o

    # ---- exclusions (first reason wins) ------------------------------------------------
    reasons = pd.Series(None, index=frame.index, dtype=object)
    details = pd.Series("", index=frame.index, dtype=object)
    meta_cols = {c for q in raw.codebook if q.type == "meta" for c in q.columns}
    identity_cols = set(spec.pii_columns) | set(spec.id_columns)
    if spec.time_column:
        identity_cols.add(spec.time_column)
    question_cols = [c for c in frame.columns if c not in meta_cols and c not in identity_cols]
    answers = _normalize_frame(frame[question_cols]) if question_cols else pd.DataFrame(index=frame.index)
    answers = answers.mask(answers.isin(list(_SKIP_CODES)))
    n_answered = answers.notna().sum(axis=1)
    if drop_empty and question_cols:
        reasons[n_answered == 0] = "empty"
    if scope:
        for fname, allowed in scope.items():
            if fname not in data.columns:
                raise ConfigError(f"分析范围（scope）中的字段「{fname}」不在数据中", file=file,
                                  found="、".join(map(str, data.columns)))
            allowed = {str(a) for a in (allowed if isinstance(allowed, (list, tuple, set)) else [allowed])}
            vals = data[fname].map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v))
                                   else (f"{v:g}" if isinstance(v, float) else str(v)))
            outside = reasons.isna() & ~vals.isin(allowed)
            reasons[outside] = "out_of_scope"
            details[outside] = fname + "=" + vals[outside].astype(str)
    ids = None
    if spec.id_columns and all(c in frame.columns for c in spec.id_columns):
        ids = frame[list(spec.id_columns)].astype(str).agg("|".join, axis=1) if len(spec.id_columns) > 1 \
            else frame[spec.id_columns[0]].map(_normalize_cell)
    if duplicates in ("auto", "id") and ids is not None and any(f.type == "id" for f in spec.fields.values()):
        dup = ids.notna() & ids.duplicated(keep="first") & reasons.isna()
        reasons[dup] = "duplicate"
        details[dup] = "同一答题人编号重复提交，保留第一次"
    if duplicates in ("auto", "answers") and question_cols:
        live = reasons.isna() & (n_answered >= dup_min_answers)
        sub = answers[live]
        # integer codes per column: equal codes ⇔ equal answers (missing = -1), no string copies
        codes = pd.DataFrame({j: pd.factorize(sub.iloc[:, j], use_na_sentinel=True)[0]
                              for j in range(sub.shape[1])}, index=sub.index)
        dup = codes.duplicated(keep="first").reindex(frame.index, fill_value=False) & live
        reasons[dup] = "duplicate"
        details[dup] = "与之前的一份答卷所有答案完全相同"
    if spec.time_column and spec.time_column in frame.columns and (min_seconds or speeder_ratio):
        secs = _map_distinct(frame[spec.time_column], _parse_seconds).astype(float)
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
        grids = {g: cols for g, cols in grids.items() if len(cols) >= straightline_min_items}
        if grids:
            flat = pd.Series(True, index=frame.index)
            for g, cols in grids.items():
                sub = data[cols]
                enough = sub.notna().sum(axis=1) >= straightline_min_items
                # one distinct answer ⇔ max == min over the answered cells (vectorised nunique)
                vals = sub.to_numpy(dtype="float64", na_value=np.nan)
                with np.errstate(invalid="ignore"):
                    same = pd.Series(np.fmax.reduce(vals, axis=1) == np.fmin.reduce(vals, axis=1), index=sub.index)
                flat &= enough & same
            flat &= reasons.isna()
            reasons[flat] = "straight_line"
            details[flat] = "所有评分题组每一行都选了同一个答案"

    # ---- privacy -----------------------------------------------------------------------
    pseudo = Pseudonymizer(key)
    if ids is not None:
        base_ids = ids.fillna(pd.Series(["row:" + str(r) for r in frame.index], index=frame.index))
    else:
        base_ids = pd.Series([f"{getattr(src, 'name', '')}:row:{r}" for r in frame.index], index=frame.index)
    respondent_id = pseudo.series(base_ids)

    from .spec import pii_kind

    red_names, red_ids = list(names), []
    for f in spec.fields.values():
        if f.field in ("name", "contact_name") or (f.pii and f.field.endswith("name")):
            red_names.extend(frame[f.columns[0]].dropna().astype(str))
        if f.type == "id":
            red_ids.extend(frame[f.columns[0]].map(_normalize_cell).dropna())
    for c in spec.pii_columns:  # the survey's own name / id columns, however they were mapped
        kind = pii_kind(c)
        if kind == "name":
            red_names.extend(frame[c].dropna().astype(str))
        elif kind == "student_id":
            red_ids.extend(frame[c].map(_normalize_cell).dropna())
    roster_majors = {}
    if roster is not None:
        rdf = roster.data if hasattr(roster, "data") else roster
        for c in rdf.columns:
            k = str(c)
            if re.search("姓名|名字", k):
                red_names.extend(rdf[c].dropna().astype(str))
            elif re.search("学号", k):
                red_ids.extend(rdf[c].map(_normalize_cell).dropna())
        mcol = next((c for c in rdf.columns if re.search("专业", str(c))), None)
        ccol = next((c for c in rdf.columns if re.search("学院|院系", str(c))), None)
        if mcol is not None and ccol is not None:
            roster_majors = dict(rdf[[mcol, ccol]].dropna().drop_duplicates(subset=[mcol]).astype(str).to_numpy())
    redactor = Redactor(names=tuple(red_names), ids=tuple(red_ids))
    converter = None
    if to_simplified:
        import opencc

        converter = opencc.OpenCC("t2s")
    n_redactions = 0
    open_fields = {f.field for f in spec.fields.values() if f.type == "open" and not f.pii}
    for tf in [f for f in spec.fields.values() if f.type == "open" and not f.pii]:
        s = data[tf.field]
        if converter is not None:
            conv = {u: converter.convert(u) for u in pd.unique(s.dropna())}
            for u, c in conv.items():
                if c != u:
                    rows = list(s.index[s == u][:5])
                    log.recode(tf.field, tf.columns[0], u[:80], c[:80], "to_simplified", rows)
            s = s.map(lambda v: conv.get(v, v) if isinstance(v, str) else v)
        s, hits = redactor.redact_series(s)
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
        data[c], hits = redactor.redact_series(data[c])
        n_redactions += int(hits["n"].sum()) if len(hits) else 0
    # ---- derived fields ----------------------------------------------------------------
    if "industry" in data.columns:
        ind = _map_distinct(data["industry"], lambda v: lookup_industry(v) if isinstance(v, str) else None)
        data["industry_code"] = ind.map(lambda t: t[0] if t else None)
        newname = ind.map(lambda t: t[1] if t else None)
        changed = data["industry"].notna() & newname.notna() & (newname != data["industry"])
        for (a, b), grp in data[changed].groupby(["industry", newname[changed]]).groups.items():
            log.recode("industry", spec["industry"].columns[0], a, b, "gbt4754", list(grp[:5]))
            log.recodes[("industry", spec["industry"].columns[0], a, b, "gbt4754")][0] = len(grp)
        data["industry"] = newname.where(newname.notna(), data["industry"])
    if "major" in data.columns:
        mj = _map_distinct(data["major"], lambda v: lookup_major(v) if isinstance(v, str) else None)
        data["major_code"] = mj.map(lambda t: t[0] if t else None)
        n_known = int(mj.notna().sum())
        if n_known:
            log.recode("major_code", spec["major"].columns[0], "专业名称", "专业代码", "major_catalogue",
                       list(data.index[mj.notna()][:5]))
            log.recodes[("major_code", spec["major"].columns[0], "专业名称", "专业代码", "major_catalogue")][0] = n_known
        cmap = dict(roster_majors)
        cmap.update(college_of_major or {})
        if cmap and "college" not in data.columns:
            data["college"] = data["major"].map(lambda m: cmap.get(m) if isinstance(m, str) else None)
    if cohort is not None and "cohort" not in data.columns:
        data["cohort"] = float(cohort)

    # ---- assemble ----------------------------------------------------------------------
    kept = reasons.isna()
    data.insert(0, "source_row", frame.index.astype(int))
    data.insert(0, "respondent_id", respondent_id)
    result = data[kept].reset_index(drop=True)
    for c in result.columns:
        if result[c].dtype == object:
            result[c] = result[c].astype("string") if c not in ("respondent_id",) else result[c].astype("string")
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
