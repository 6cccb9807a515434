"""Findings: everything one run found, frozen — the single source of every number shown anywhere.

The report, the XLSX, the commands and the notebooks lay these tables out; none of them
computes a number of its own.  A :class:`Findings` is never changed: a step that adds to it
(recommendations, highlights) returns a new one with :meth:`Findings.replace`.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from ..frozen import FrozenDict, freeze
from ..design import Design
from .config import AnalysisConfig

__all__ = ["Findings"]

_MAPPINGS = ("graduates", "employer_profile", "outcomes", "outcomes_by_cohort", "teaching")


@dataclass(frozen=True)
class Findings:
    """Everything the analysis found, as plain data (read-only mappings of DataFrames).

    Attributes
    ----------
    config : AnalysisConfig
    design : Design
        The design every graduate estimate used (its ``weight`` is set when weighted).
    cohort : int or None
        The report cohort.
    majors : DataFrame
        The school's majors in display order: ``major``, ``college``, ``code``.
    employer : CleanResult or None
    graduates : mapping {cohort: CleanResult}
        Cleaned graduate surveys; ``data`` carries the ``weight`` column when weighted.
    population : DataFrame or None
        Graduates per major (and sex, cohort) from the roster: ``major``, ``count`` ….
    samples : DataFrame
        One row per survey: file, platform, rows read / kept / excluded and why.
    response : DataFrame or None
        Respondents, graduates and response rate per cohort and major.
    employer_profile : mapping
        ``industry``, ``employer_type``, ``employer_size``, ``region``: (n, share) tables.
    competencies, ipa, reliability, drivers, group_differences : DataFrame
        Employer competency ratings (:mod:`survey_analysis.ratings`).
    employer_skills : DataFrame
        Skill mentions of the employer comments with the respondent's groups.
    gap_shares : DataFrame
        Share of employers naming each competency as a gap, school and majors
        (:func:`survey_analysis.mentions.mention_shares`).
    tools : DataFrame
        Which tools employers name, school and majors (:func:`survey_analysis.mentions.tool_shares`).
    employer_quotes : DataFrame
        Comments quoted for the school's top gaps.
    themes : mapping or None
        ``themes`` table, ``by_group`` shares, ``estimator``.
    keywords : DataFrame
    outcomes : mapping
        The report cohort's outcome tables.
    outcomes_by_cohort : mapping {cohort: mapping}
    teaching : mapping
    abilities, comparisons, suggestions, trends, warnings, series : DataFrame
    graduate_skills : DataFrame
    weighting : str
        How the graduate estimates are weighted, in one Chinese sentence.
    benchmarks : DataFrame or None
        The school's estimates beside the user's benchmarks
        (:func:`survey_analysis.benchmarks.compare_benchmarks`).
    ledger : LedgerResults or None
    programme : Programme or None
        The training programmes (人才培养方案), majors named as in the surveys
        (:func:`survey_analysis.programme.read_programme`).
    programme_summary : DataFrame or None
        Per programme major: courses, core courses, credits, requirements mapped / not mapped.
    course_gaps : DataFrame or None
        Per major and competency: evidence of a gap and the courses that carry it
        (:func:`survey_analysis.programme.course_gaps`).
    gap_courses : DataFrame or None
        Gap competencies × supporting courses with their strength (the heat map's data).
    course_ratings : DataFrame or None
        Graduates' importance and 满足度 of each core course (:func:`survey_analysis.programme.course_ratings`).
    attainment : DataFrame or None
        毕业要求达成度间接评价 per major and requirement (:func:`survey_analysis.programme.attainment`).
    recommendations : DataFrame or None
    key_figures, highlights : DataFrame
        The summary page's figures (``label, value, note``) and statements (``topic, text``).
    major_overview : DataFrame
        One row per major: college, graduate n, placement rate, employers, recommendations, card.
    log_summary : DataFrame
        The cleaning logs counted by survey, operation and rule.
    notes : tuple of str
    """

    config: AnalysisConfig = field(default_factory=AnalysisConfig)
    design: Design | None = None
    cohort: int | None = None
    majors: pd.DataFrame | None = None
    employer: Any = None
    graduates: Mapping = field(default_factory=dict)
    population: pd.DataFrame | None = None
    samples: pd.DataFrame | None = None
    response: pd.DataFrame | None = None
    employer_profile: Mapping = field(default_factory=dict)
    competencies: pd.DataFrame | None = None
    ipa: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    group_differences: pd.DataFrame | None = None
    employer_skills: pd.DataFrame | None = None
    gap_shares: pd.DataFrame | None = None
    tools: pd.DataFrame | None = None
    employer_quotes: pd.DataFrame | None = None
    themes: Any = None
    keywords: pd.DataFrame | None = None
    outcomes: Mapping = field(default_factory=dict)
    outcomes_by_cohort: Mapping = field(default_factory=dict)
    teaching: Mapping = field(default_factory=dict)
    abilities: pd.DataFrame | None = None
    comparisons: pd.DataFrame | None = None
    suggestions: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    warnings: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    graduate_skills: pd.DataFrame | None = None
    weighting: str = ""
    benchmarks: pd.DataFrame | None = None
    ledger: Any = None
    programme: Any = None
    programme_summary: pd.DataFrame | None = None
    course_gaps: pd.DataFrame | None = None
    gap_courses: pd.DataFrame | None = None
    course_ratings: pd.DataFrame | None = None
    attainment: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None
    key_figures: pd.DataFrame | None = None
    major_overview: pd.DataFrame | None = None
    highlights: pd.DataFrame | None = None
    log_summary: pd.DataFrame | None = None
    notes: tuple = ()

    def __post_init__(self):
        for name in _MAPPINGS:
            value = getattr(self, name)
            if not isinstance(value, FrozenDict):
                object.__setattr__(self, name, freeze(dict(value or {})))
        object.__setattr__(self, "notes", tuple(self.notes or ()))
        if self.design is None:
            object.__setattr__(self, "design", self.config.design)
        if self.cohort is None and self.graduates:
            object.__setattr__(self, "cohort", self.config.cohort or max(self.graduates))

    @property
    def graduate(self):
        """The cleaned survey of the report cohort (or None)."""
        return self.graduates.get(self.cohort) if self.cohort is not None else None

    def replace(self, **changes) -> "Findings":
        """A new Findings with ``changes``."""
        return dataclasses.replace(self, **changes)
