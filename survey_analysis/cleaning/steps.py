"""``clean()``: recode → exclude → pseudonymise and redact → derived fields → assemble.

Each step lives in its own module (:mod:`.recoders`, :mod:`.exclusions`, :mod:`.identity`,
:mod:`.result`); this one runs them in order on the columns factorised once (:mod:`.codes`).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..design import Design
from ..io import release_memory
from ..errors import ConfigError, SurveyError
from ..io.roster import Roster, as_roster
from ..spec import SurveySpec, infer_spec, load_scales
from .codes import Coded, Columns, Distinct, open_values, string_column
from .exclusions import ExclusionRules, find_exclusions
from .identity import build_redactor, pseudonyms, redact_texts, respondent_codes
from .recoders import recode_multi, recode_numeric, recode_rating, recode_single
from .reference import lookup_industry, lookup_major
from .result import EXCLUSION_REASONS, CleanResult, Log, dropped_columns, field_dates, log_frame

__all__ = ["clean"]


def clean(
    raw,
    spec: SurveySpec | None = None,
    design: Design | None = None,
    *,
    roster=None,
    names=(),
    key=None,
    income_bounds: tuple | None = None,
    min_seconds: float | None = 60,
    speeder_ratio: float | None = None,
    straightline_min_items: int | None = 5,
    duplicates: str = "auto",
    dup_min_answers: int = 5,
    scope: dict | None = None,
    to_simplified: bool = False,
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
        Default: :func:`survey_analysis.infer_spec`.
    design : Design, optional
        The declared design: its ``key`` (else ``$SURVEY_ANALYSIS_KEY``, else a random key for
        this run; never written anywhere) and ``income_bounds`` (monthly incomes outside are
        implausible: set missing and logged).  ``key=`` / ``income_bounds=`` override it.
    roster : Roster, path, RawSurvey or DataFrame, optional
        Its names and student numbers are redacted from free text; its 专业/学院 give the college
        of each major (see :func:`survey_analysis.io.read_roster`).
    names : iterable of str
        More names to redact from free text.
    min_seconds : float or None, default 60
        Respondents faster than this (问卷星 所用时间, 腾讯问卷 答题时长) are speeders.
    speeder_ratio : float or None
        Also speeders: faster than this fraction of the median time (e.g. 0.33).
    straightline_min_items : int or None, default 5
        The same answer on every row of every rating grid with at least this many rows answered
        is straight-lining.  ``None`` turns the check off.
    duplicates : {"auto", "id", "answers", "none"}, default "auto"
        ``id``: the same respondent id twice (the first is kept); ``answers``: identical answers
        to every question (respondents with at least ``dup_min_answers`` answers); ``auto``: both.
    dup_min_answers : int, default 5
    scope : dict, optional
        ``{field: allowed values}``; other respondents are excluded as out of scope.
    to_simplified : bool, default False
        Convert traditional characters in free text to simplified (OpenCC).
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
        Rows in = rows kept + rows excluded, always.

    Raises
    ------
    SurveyError
        The spec maps no field, references columns missing from the data, or a setting is invalid.
    """
    try:
        return _clean(raw, spec, design, roster=roster, names=names, key=key, income_bounds=income_bounds,
                      rules=dict(min_seconds=min_seconds, speeder_ratio=speeder_ratio, duplicates=duplicates,
                                 straightline_min_items=straightline_min_items, dup_min_answers=dup_min_answers,
                                 scope=scope, drop_empty=drop_empty),
                      to_simplified=to_simplified, factors=(band_top_factor, band_bottom_factor),
                      numeric_codes=numeric_codes, college_of_major=college_of_major, cohort=cohort)
    except SurveyError as exc:  # every message names the file
        path = getattr(getattr(raw, "source", None), "path", None)
        raise exc.with_file(path) if path else exc


def _clean(raw, spec, design, *, roster, names, key, income_bounds, rules, to_simplified, factors, numeric_codes,
           college_of_major, cohort) -> CleanResult:
    """The body of :func:`clean` (same parameters, grouped)."""
    min_seconds, speeder_ratio = rules["min_seconds"], rules["speeder_ratio"]
    straightline_min_items, duplicates, scope = rules["straightline_min_items"], rules["duplicates"], rules["scope"]
    design = Design.resolve(design, key=key, income_bounds=income_bounds)
    rules = ExclusionRules(**rules)
    spec = _checked_spec(raw, spec)
    src, frame = raw.source, raw.data  # never modified
    roster = as_roster(roster)
    if numeric_codes is None:
        numeric_codes = getattr(src, "platform", "") == "wjx_numeric"
    log, cols, known = Log(), Columns(frame), {}  # every raw column factorised once, shared below
    data, n_na, warnings = _recode_fields(spec, raw.codebook, cols, log, known, numeric_codes=numeric_codes,
                                          bounds=design.income_bounds, factors=factors)
    id_codes, id_values = respondent_codes(frame, spec, cols)
    reasons, details, notes = find_exclusions(raw, spec, cols, data, rules, id_codes, file=getattr(src, "path", None))
    warnings += notes
    respondent_id, random_key = pseudonyms(frame, id_codes, id_values, design.resolved_key(),
                                           getattr(src, "name", ""))
    del id_codes, id_values
    redactor = build_redactor(spec, cols, roster, names)
    n_redactions = redact_texts(data, spec, redactor, known, log, to_simplified=to_simplified)
    del cols
    release_memory()  # the raw columns' codes and dictionaries are gone: return their pages
    _derive(data, spec, log, known, roster=roster, college_of_major=college_of_major, cohort=cohort)
    kept = reasons.isna().to_numpy()
    result = _assemble(data, frame, respondent_id, kept, known)
    del data
    logdf = log_frame(log, frame, spec, kept, reasons, details, respondent_id, redactor)
    summary = {
        "file": getattr(src, "name", ""),
        "platform": getattr(src, "platform", ""),
        "survey": spec.kind,
        "rows_in": int(len(frame)),
        "rows_kept": int(kept.sum()),
        "rows_excluded": int((~kept).sum()),
        "excluded_by_reason": {r: int((reasons == r).sum()) for r in EXCLUSION_REASONS},
        "recoded_values": log.n_recoded,
        "invalid_values": log.n_invalid,
        "not_applicable": n_na,
        "redactions": n_redactions,
        "fielded": field_dates(frame[spec.submit_column] if spec.submit_column in frame.columns else None, kept),
        "pii_columns_dropped": [c for c in dropped_columns(frame, spec) if c in set(spec.pii_columns)],
        "fields": [c for c in result.columns if c not in ("respondent_id", "source_row")],
        "random_key": random_key,
        "warnings": warnings,
        "parameters": {"min_seconds": min_seconds, "speeder_ratio": speeder_ratio,
                       "straightline_min_items": straightline_min_items, "duplicates": duplicates,
                       "income_bounds": list(design.income_bounds), "to_simplified": to_simplified,
                       "scope": scope},
    }
    if summary["rows_in"] != summary["rows_kept"] + summary["rows_excluded"]:  # pragma: no cover - invariant
        raise RuntimeError("rows in != kept + excluded")
    return CleanResult(data=result, log=logdf, summary=summary, spec=spec, source=src)


def _checked_spec(raw, spec: SurveySpec | None) -> SurveySpec:
    if spec is None:
        spec = infer_spec(raw)
    frame, file = raw.data, getattr(raw.source, "path", None)
    if not spec.fields:
        raise ConfigError("没有任何题目能对应到分析字段", file=file,
                          hint="请用映射文件（YAML）说明各字段对应的题目，见 README。")
    missing = sorted({c for f in spec.fields.values() for c in f.columns if c and c not in frame.columns})
    if missing:
        raise SurveyError.missing_columns(missing, frame.columns, file=file)
    return spec


_CODE = re.compile(r"-?\d+")


def _codes_only(options) -> bool:
    return all(_CODE.fullmatch(str(o).strip()) for o in options)


def _undecoded(fs, codebook) -> bool:
    """A field of a numeric export (问卷星 按序号) whose option codes cannot be decoded: no option
    labels (from the built-in questionnaire, the mapping's ``options:`` or ``scale:``)."""
    if fs.type in ("single", "rating"):
        return _codes_only(fs.options) and not fs.scale_labels and fs.scale not in load_scales()
    if fs.type == "numeric" and _codes_only(fs.options):
        q = codebook.get(fs.question) if fs.question else None
        return q is not None and q.type == "single" and bool(q.options) and _codes_only(q.options)
    return False


def _undecoded_warning(fs) -> str:
    return (f"第 {fs.question} 题「{str(fs.label)[:30]}」（字段 {fs.field}）是按序号导出的选项编号，无法解码为选项文字，"
            "未用于任何统计；请在映射文件中用 options: 按问卷顺序列出选项，或用同一问卷按文本导出的文件解码"
            "（命令行 --text-export）。")


def _recode_fields(spec: SurveySpec, codebook, cols: Columns, log: Log, known: dict, *, numeric_codes: bool,
                   bounds: tuple, factors: tuple) -> tuple:
    """The recoded fields as a frame (index = raw rows), the number of 无法评价 answers and the
    warnings (codes a numeric export cannot be decoded from: never used as numbers)."""
    index = cols.frame.index
    counts = {"not_applicable": 0}
    out, others, warnings = {}, {}, []
    for fs in spec.fields.values():
        if fs.pii or fs.type == "id":
            continue
        col = cols[fs.columns[0]] if fs.columns and fs.columns[0] else Coded(pd.Series(None, index=index))
        if numeric_codes and _undecoded(fs, codebook):
            warnings.append(_undecoded_warning(fs))
            log.recode(fs.field, fs.columns[0], "选项编号", "", "undecoded_codes",
                       list(index[np.flatnonzero(col.codes >= 0)[:5]]), count=int((col.codes >= 0).sum()))
            out[fs.field] = pd.Series(np.nan if fs.type != "single" else None, index=index,
                                      dtype=float if fs.type != "single" else object)
        elif fs.type == "rating":
            out[fs.field] = recode_rating(fs, col, log, numeric_codes=numeric_codes, counts=counts)
        elif fs.type == "single":
            out[fs.field], others[fs.field] = recode_single(fs, col, log, numeric_codes=numeric_codes, known=known)
        elif fs.type == "multi":
            out[fs.field], others[fs.field] = recode_multi(fs, cols, log, known)
        elif fs.type == "numeric":
            labels = tuple(fs.options) if numeric_codes and fs.options and not _codes_only(fs.options) else ()
            out[fs.field] = recode_numeric(fs, col, log, bounds=bounds if fs.field == "income" else None,
                                           top_factor=factors[0], bottom_factor=factors[1], code_labels=labels)
        elif fs.type == "open":
            out[fs.field] = open_values(col, known, fs.field)
    data = pd.DataFrame(out, index=index, copy=False)  # no consolidated copy of the columns
    for name, o in others.items():
        if o.notna().any():
            data[f"{name}__other"] = o
    return data, int(counts["not_applicable"]), warnings


def _derive(data: pd.DataFrame, spec: SurveySpec, log: Log, known: dict, *, roster: Roster | None,
            college_of_major, cohort) -> None:
    """Industry letters, major codes, the college of each major and the cohort, added to ``data``
    (the frame ``clean()`` is building)."""
    if "industry" in data.columns:
        ind = Distinct(data["industry"], lambda v: lookup_industry(v) if isinstance(v, str) else None)
        data["industry_code"] = ind.series(lambda t: t[0] if t else None)
        newname = ind.series(lambda t: t[1] if t else None)
        changed = data["industry"].notna() & newname.notna() & (newname != data["industry"])
        for (a, b), grp in data[["industry"]][changed].groupby(["industry", newname[changed]]).groups.items():
            log.recode("industry", spec["industry"].columns[0], a, b, "gbt4754", list(grp[:5]), count=len(grp))
        data["industry"] = newname.where(newname.notna(), data["industry"])
        known.pop("industry", None)
    if "major" in data.columns:
        mj = Distinct(data["major"], lambda v: lookup_major(v) if isinstance(v, str) else None)
        data["major_code"] = mj.series(lambda t: t[0] if t else None)
        mj = mj.series(lambda t: t, infer=False)
        n_known = int(mj.notna().sum())
        if n_known:
            log.recode("major_code", spec["major"].columns[0], "专业名称", "专业代码", "major_catalogue",
                       list(data.index[mj.notna()][:5]), count=n_known)
        cmap = dict(roster.college_of_major) if roster is not None else {}
        cmap.update(college_of_major or {})
        if cmap and "college" not in data.columns:
            data["college"] = Distinct(data["major"], lambda m: cmap.get(m) if isinstance(m, str) else None).series()
    if cohort is not None and "cohort" not in data.columns:
        data["cohort"] = float(cohort)


def _assemble(data: pd.DataFrame, frame: pd.DataFrame, respondent_id: pd.Series, kept: np.ndarray,
              known: dict) -> pd.DataFrame:
    """The kept rows with ``respondent_id`` and ``source_row`` first, column by column (each
    released from ``data`` once copied: no second full frame in memory)."""
    data.insert(0, "source_row", frame.index.astype(int))
    data.insert(0, "respondent_id", respondent_id)
    keep = np.flatnonzero(kept)
    columns = {}
    for i, c in enumerate(list(data.columns)):
        s = data.pop(c).take(keep).reset_index(drop=True)
        if s.dtype == object:
            fast = string_column(*known[c], keep) if c in known else None
            s = s.astype("string") if fast is None else fast.rename(s.name)
        columns[c] = s
        if i % 16 == 15:
            release_memory()  # the popped columns' Arrow buffers: back to the system as we go
    return pd.DataFrame(columns, copy=False)
