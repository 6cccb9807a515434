"""Competency ratings of the employer survey: summaries, IPA, reliability, comparisons, drivers.

Every function takes a cleaned employer DataFrame (see ``docs/ARCHITECTURE.md``: ``imp__<code>``
and ``sat__<code>`` float scores, 5 = best … 1 = worst, ``NaN`` for missing and for 无法评价,
``overall_satisfaction`` and the group columns ``major``, ``college``, ``industry``), an optional
:class:`~survey_analysis.design.Design` (column roles, weights, top-box rule, ``conf``,
``min_cell``, ``alpha``; keyword arguments override it) and returns a new tidy DataFrame (or a
small dataclass); the input is never modified.  Grouping, estimation, intervals, tests and
disclosure control are the statistics kernel's (:mod:`survey_analysis.stats`).

* :mod:`.scales` — answer scales and coercion (:func:`coerce_ratings`, :func:`competency_labels`)
* :mod:`.summary` — importance and satisfaction per group (:func:`competency_summary`)
* :mod:`.importance` — importance–performance analysis (:func:`ipa`)
* :mod:`.consistency` — Cronbach's alpha (:func:`cronbach_alpha`, :func:`reliability`)
* :mod:`.comparisons` — group differences (:func:`compare_groups`)
* :mod:`.drivers` — ordinal key-driver model (:func:`key_drivers`)

Rating columns that still hold text are scored with the answer scale where the label is
recognisable; everything else becomes missing and is listed in ``result.attrs["problems"]``.
``attrs`` hold plain values only (lists of dicts, numbers, strings), so ``pd.concat`` of result
tables keeps working; Chinese remarks for the report are in ``attrs["notes"]``.
"""
from __future__ import annotations

from ..design import SCHOOL
from .comparisons import compare_groups
from .consistency import AlphaResult, cronbach_alpha, reliability
from .drivers import key_drivers
from .importance import QUADRANTS, ipa
from .scales import CoercedRatings, coerce_ratings, competency_labels, problems_table
from .summary import competency_summary

__all__ = [
    "competency_labels",
    "problems_table",
    "coerce_ratings",
    "CoercedRatings",
    "competency_summary",
    "ipa",
    "AlphaResult",
    "cronbach_alpha",
    "reliability",
    "compare_groups",
    "key_drivers",
    "SCHOOL",
    "QUADRANTS",
]
