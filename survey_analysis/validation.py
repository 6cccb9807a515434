"""Lazy validation: every problem of an export found in one pass, reported as data.

Like pandera's ``validate(lazy=True)``: nothing stops at the first problem; one
:class:`~survey_analysis.errors.SchemaErrors` lists them all in ``failure_cases`` with the
columns ``column, check, failure_case, row, message``.
"""
from __future__ import annotations

import pandas as pd

from .errors import SchemaErrors
from .spec import SurveySpec, infer_spec

__all__ = ["validate", "REQUIRED_FIELDS", "CHECKS"]

#: fields an analysis cannot do without, per questionnaire kind
REQUIRED_FIELDS = {
    "employer": ["major"],
    "graduate": ["major", "destination"],
    "custom": [],
}

#: log rule → (check name, Chinese message)
CHECKS = {
    "invalid_label": ("in_scale", "答案不在量表内"),
    "invalid_number": ("in_scale", "评分不是整数"),
    "score_out_of_range": ("in_scale", "评分超出量表范围"),
    "code_out_of_range": ("in_scale", "选项编号超出范围"),
    "unknown_option": ("known_option", "不是问卷中的选项"),
    "not_a_number": ("is_number", "不是数字"),
    "implausible": ("plausible_range", "数值不合理"),
    "exclusive_violated": ("exclusive_choice", "互斥选项与其他选项同时选择"),
    "too_many_choices": ("max_choices", "选择项数超过上限"),
}


def validate(raw, spec: SurveySpec | None = None, *, required=None, lazy: bool = True,
             raise_errors: bool = True, **clean_kwargs) -> pd.DataFrame:
    """Check an export against its specification and collect every problem.

    Parameters
    ----------
    raw : RawSurvey
    spec : SurveySpec, optional
        Default :func:`~survey_analysis.spec.infer_spec`.
    required : list of str, optional
        Canonical fields that must be mapped (default :data:`REQUIRED_FIELDS` for the kind).
    lazy : bool, default True
        Collect all problems (``False``: raise at the first one).
    raise_errors : bool, default True
        Raise :class:`SchemaErrors` when problems are found; otherwise return them.
    **clean_kwargs
        Thresholds passed on to :func:`~survey_analysis.cleaning.clean` (e.g. ``income_bounds``).

    Returns
    -------
    DataFrame
        ``failure_cases`` (empty when the export is valid).

    Raises
    ------
    SchemaErrors
    """
    from .cleaning import clean

    spec = spec or infer_spec(raw)
    file = getattr(raw.source, "path", None)
    cases = []
    req = REQUIRED_FIELDS.get(spec.kind, []) if required is None else list(required)
    for f in req:
        if f not in spec.fields:
            cases.append({"column": f, "check": "required_field", "failure_case": None, "row": None,
                          "message": "缺少必需的字段（问卷中找不到对应的题目）"})
            if not lazy:
                break
    if cases and not lazy:
        raise SchemaErrors(pd.DataFrame(cases), file=file)
    if spec.fields:
        res = clean(raw, spec, **clean_kwargs)
        log = res.log
        bad = log[log["kind"] == "invalid"]
        for r in bad.itertuples():
            check, msg = CHECKS.get(r.rule, (r.rule, r.detail))
            cases.append({"column": r.column, "check": check, "failure_case": r.original, "row": r.row,
                          "message": msg})
        dups = log[(log["kind"] == "exclude") & (log["rule"] == "duplicate")]
        id_cols = list(spec.id_columns)
        for r in dups.itertuples():
            if "编号" in str(r.detail):
                cases.append({"column": id_cols[0] if id_cols else "respondent_id", "check": "unique_id",
                              "failure_case": r.respondent_id, "row": r.row, "message": "答题人编号重复"})
    fc = pd.DataFrame(cases, columns=["column", "check", "failure_case", "row", "message"])
    if len(fc) and raise_errors:
        raise SchemaErrors(fc, file=file)
    return fc
