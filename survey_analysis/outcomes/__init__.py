"""Graduate follow-up analysis: placement, job quality, teaching feedback, abilities, trends, warnings.

Every function takes the cleaned graduate DataFrame (``docs/ARCHITECTURE.md``, "Canonical
cleaned data") and a :class:`~survey_analysis.design.Design` (levels, placement definition,
top-box rule, weight column, confidence level, small-cell threshold, income bounds; keyword
overrides such as ``by=``, ``definition=``, ``weights=``, ``min_cell=`` still work), and
returns new DataFrames with English machine column names; :data:`LABELS` maps them to the
Chinese headers a report shows.

The statistics read like the definitions in ``DOMAIN.md``; grouping, estimation, intervals,
tests and small-cell hiding are the kernel's (:mod:`survey_analysis.stats`):

* :mod:`.placement` — 就业去向落实率, 就业率, 灵活就业, 升学, 出国, 未就业; where graduates work.
* :mod:`.job_quality` — income, relevance, expectation fit, job satisfaction, turnover, 推荐度.
* :mod:`.teaching` — teaching and service ratings, improvement wishes, suggestions' competencies.
* :mod:`.abilities` — 能力满足度.
* :mod:`.comparisons` — differences between majors (chi-square / Kruskal–Wallis, BH).
* :mod:`.trends` — change between cohorts (Newcombe / Welch, BH-controlled flags).
* :mod:`.warnings` — majors below a benchmark or a threshold, and cards.
"""
from __future__ import annotations

from ..design import DESTINATIONS, IN_WORK, LEVEL_LABELS, MULTI_SEP, SCHOOL, PlacementDefinition
from ..stats import newcombe_interval
from .abilities import ability_fulfilment, fulfilment_band
from .comparisons import compare_majors
from .labels import (
    COMPETENCY_LABELS,
    IMPROVE_NONE,
    IMPROVE_OPTIONS,
    ITEM_LABELS,
    LABELS,
    RATING_ITEMS,
    TABLE_TITLES,
    TURNOVER_REASONS,
    metric_label,
)
from .tables import INCOME_BANDS, WORK_DIMENSIONS, outcome_tables
from .teaching import suggestion_mentions, teaching_feedback
from .trends import TREND_METRICS, trends
from .warnings import major_warnings

__all__ = [
    "DESTINATIONS",
    "LABELS",
    "LEVEL_LABELS",
    "TABLE_TITLES",
    "COMPETENCY_LABELS",
    "PlacementDefinition",
    "outcome_tables",
    "teaching_feedback",
    "suggestion_mentions",
    "ability_fulfilment",
    "fulfilment_band",
    "compare_majors",
    "metric_label",
    "trends",
    "newcombe_interval",
    "major_warnings",
]
