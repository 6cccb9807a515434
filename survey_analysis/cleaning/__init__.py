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

The package is split along its work: :mod:`.codes` (raw columns as integer codes),
:mod:`.recoders` (answers → canonical values), :mod:`.exclusions`, :mod:`.identity` (respondent
ids, pseudonyms, redaction), :mod:`.reference` (industry and major lists), :mod:`.result`
(:class:`CleanResult`, the log) and :mod:`.steps` (:func:`clean`, which runs them in order).
"""
from __future__ import annotations

from .reference import industry_lookup, lookup_industry, lookup_major, major_lookup
from .result import EXCLUSION_REASONS, LOG_COLUMNS, CleanResult, field_dates
from .steps import clean

__all__ = ["clean", "CleanResult", "EXCLUSION_REASONS", "LOG_COLUMNS", "validate_values", "field_dates",
           "lookup_industry",
           "lookup_major", "industry_lookup", "major_lookup"]


def validate_values(raw, spec=None, *, lazy: bool = True, **clean_kwargs):
    """Collect every value problem of an export; raise one :class:`SchemaErrors` listing them.

    See :func:`survey_analysis.validation.validate`.
    """
    from ..validation import validate

    return validate(raw, spec, lazy=lazy, **clean_kwargs)
