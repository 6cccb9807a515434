"""The graduate side of a run: cohorts weighted alike, every outcome table, trends and warnings.

:func:`analyse_graduates` is the one place the graduate numbers are computed: the report
(:func:`survey_analysis.pipeline.analyse`), ``survey-analysis outcomes`` and the notebooks all
call it, so they show the same numbers for the same files.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from ..frozen import freeze
from ..design import SCHOOL, Design
from ..errors import AnalysisError
from ..stats import GroupIndex, suppress_small
from .config import AnalysisConfig

__all__ = ["GraduateFindings", "analyse_graduates", "weight_cohorts", "COMPARE_METRICS", "TREND_METRICS"]

logger = logging.getLogger(__name__)

COMPARE_METRICS = ("placement_rate", "employment_rate", "income", "relevance", "job_sat__overall", "turnover_rate",
                   "recommend_rate")
TREND_METRICS = ("placement_rate", "employment_rate", "flexible_rate", "unemployed_rate", "income", "relevance_rate",
                 "job_sat__overall_rate", "turnover_rate", "recommend_rate")
_NEEDS = {"income": ["income"], "relevance": ["relevance"], "relevance_rate": ["relevance"],
          "job_sat__overall": ["job_sat__overall"], "job_sat__overall_rate": ["job_sat__overall"],
          "turnover_rate": ["job_changes"], "recommend_rate": ["recommend"]}


def _has_metric(df: pd.DataFrame, metric: str) -> bool:
    return all(c in df.columns and df[c].notna().any() for c in _NEEDS.get(metric, ["destination"]))


@dataclass(frozen=True)
class GraduateFindings:
    """Every graduate number of a run (plain tables; read-only mappings)."""

    cohort: int
    design: Design
    frames: Mapping = field(repr=False)          # cohort -> cleaned (and weighted) frame
    outcomes: Mapping = field(repr=False)        # report cohort: name -> table
    outcomes_by_cohort: Mapping = field(repr=False)
    teaching: Mapping = field(repr=False)
    abilities: pd.DataFrame | None = None
    comparisons: pd.DataFrame | None = None
    suggestions: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    warnings: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    response: pd.DataFrame | None = None
    weighting: str = ""
    weighting_problems: pd.DataFrame | None = None
    problems: pd.DataFrame | None = None
    notes: tuple = ()


def _population_for(population: pd.DataFrame, cohort, latest) -> tuple[pd.DataFrame | None, str | None]:
    """The population counts for one cohort and, when borrowed, a note saying so."""
    if "cohort" in population.columns and population["cohort"].notna().any():
        pop = population[pd.to_numeric(population["cohort"], errors="coerce") == cohort]
        return (pop, None) if len(pop) else (None, f"人口文件中没有 {cohort} 届，该届按最近一届名单的结构加权")
    if cohort != latest:
        return population, "人口文件没有届别列，较早各届按同一名单的专业（与性别）结构加权，用于使各届可比"
    return population, None


def weight_cohorts(frames: Mapping, population: pd.DataFrame | None, design: Design) -> tuple:
    """Post-stratify every cohort to the population (one estimator for the whole report).

    Returns the weighted frames, the design with its weight column, notes, and the weighting
    problems as a table (``cohort, check, cell, n_sample, population, message``).  Without a
    population the frames and design come back unchanged.
    """
    from ..weighting import poststratify

    if population is None or not len(frames):
        return dict(frames), design, [], None
    latest = max(frames)
    out, notes, problems = {}, [], []
    for c, f in frames.items():
        pop, note = _population_for(population, c, latest)
        if pop is None:
            pop = population[pd.to_numeric(population["cohort"], errors="coerce") == latest]
        if note and note not in notes:
            notes.append(note)
        by = [b for b in ("major", "sex") if b in pop.columns and b in f.columns] or ["major"]
        pop = pop.groupby(by, dropna=False)["count"].sum().reset_index()
        w = poststratify(f, pop, by=by)
        problems += [{"cohort": c, **p} for p in w.attrs.get("weighting_problems", [])]
        out[c] = w
    weighting = next(iter(out.values())).attrs.get("weighting", "")
    for f in out.values():
        f.attrs["weighting"] = weighting + ("；" + "；".join(notes) if notes else "")
    table = pd.DataFrame(problems, columns=["cohort", "check", "cell", "n_sample", "population", "message"])
    return out, design.replace(weight="weight"), notes, table


def _response(frames: Mapping, population: pd.DataFrame | None, design: Design) -> pd.DataFrame | None:
    """Respondents, graduates and response rate per cohort and major (school row first)."""
    if population is None:
        return None
    rows = []
    for c, f in frames.items():
        pop, note = _population_for(population, c, max(frames))
        if note is not None:
            continue  # no population of its own: a response rate would be invented
        tot = pop.groupby("major")["count"].sum()
        resp = f[design.major].astype("string").str.strip().value_counts() if design.major in f.columns else pd.Series()
        rows.append({"cohort": c, "major": SCHOOL, "population": float(tot.sum()),
                     "respondents": float(len(f))})
        for m, n in tot.items():
            rows.append({"cohort": c, "major": str(m), "population": float(n), "respondents": float(resp.get(m, 0))})
    if not rows:
        return None
    out = pd.DataFrame(rows)
    out["rate"] = out["respondents"] / out["population"].where(out["population"] > 0)
    # a major with fewer respondents than the threshold is hidden here too (its n is hidden in
    # every outcome table), with complements so that the school total does not give it away
    out["_set"] = out["cohort"].where(out["major"] != SCHOOL)  # majors add up to the school row
    out = suppress_small(out, min_cell=design.min_cell, n_col="respondents", value_cols=["rate"],
                         complementary=True, by=[["_set"]]).drop(columns="_set")
    out.attrs["definition"] = "回收率 = 有效答卷 / 毕业生人数（毕业生人数来自学生名单）"
    return out


def _series(tables_by_cohort: Mapping) -> pd.DataFrame:
    """Placement rate per cohort and group (each cohort's outcome table, hidden cells blank)."""
    parts = []
    for c, t in tables_by_cohort.items():
        pl = t.get("placement")
        if pl is None or not len(pl):
            continue
        parts.append(pl[["level", "group", "college", "n", "placement_rate", "placement_rate_low",
                         "placement_rate_high", "suppressed"]].assign(cohort=c))
    if not parts:
        return pd.DataFrame()
    out = pd.concat(parts, ignore_index=True).rename(columns={"placement_rate": "value", "placement_rate_low": "low",
                                                              "placement_rate_high": "high"})
    out.insert(0, "metric", "placement_rate")
    return out


def _safe(name: str, func: Callable, problems: list):
    try:
        return func()
    except AnalysisError as exc:
        problems.append({"check": "skipped", "column": name, "example": "", "count": 0, "rows": "",
                         "message": f"{name} 未计算：{exc.message}"})
        return None


def analyse_graduates(frames: Mapping, config: AnalysisConfig, *, population: pd.DataFrame | None = None,
                      cohort: int | None = None, progress: Callable | None = None) -> GraduateFindings:
    """Every graduate table of a run.

    Parameters
    ----------
    frames : mapping {cohort: cleaned DataFrame}
    config : AnalysisConfig
        Its design (levels, placement, top box, conf, min cell, income bounds) and warning rule.
    population : DataFrame, optional
        Counts (``major``, [``sex``], [``cohort``], ``count``): every cohort is post-stratified
        to it when ``config.weight`` (one estimator for all cohorts).
    cohort : int, optional
        The report cohort (default: ``config.cohort``, else the latest).
    """
    from .. import outcomes as oc

    say = progress or (lambda msg: logger.info(msg))
    frames = {int(c): f for c, f in sorted(frames.items())}
    if not frames:
        raise AnalysisError("没有毕业生调查数据", expected="至少一届毕业生调查")
    cohort = cohort or config.cohort or max(frames)
    if cohort not in frames:
        raise AnalysisError(f"配置的届别 {cohort} 没有对应的毕业生调查文件", expected="、".join(map(str, frames)),
                            found=cohort, hint="检查配置文件的 cohort，或给出该届的调查文件。")
    design = config.design
    notes: list[str] = []
    weighting_problems = None
    if population is not None and config.weight:
        frames, design, notes, weighting_problems = weight_cohorts(frames, population, design)
    problems: list[dict] = []
    current = frames[cohort]
    say(f"计算 {cohort} 届毕业生去向与就业质量…")
    index = GroupIndex.build(current, design)
    tables = oc.outcome_tables(current, design, index=index)
    problems += tables.pop("problems").to_dict("records")
    by_cohort = {c: (tables if c == cohort else {k: v for k, v in oc.outcome_tables(f, design).items()
                                                 if k != "problems"})
                 for c, f in frames.items()}
    teaching = _safe("教学反馈", lambda: oc.teaching_feedback(current, design, index=index), problems) or {}
    abilities = _safe("能力满足度", lambda: oc.ability_fulfilment(current, design, index=index), problems)
    suggestions = None
    if "comment" in current.columns:
        suggestions = _safe("建议中的能力", lambda: oc.suggestion_mentions(current, design, index=index), problems)
    comparisons = None
    if design.major in current.columns:
        metrics = [m for m in COMPARE_METRICS if _has_metric(current, m)]
        comparisons = oc.compare_majors(current, metrics, design) if metrics else None
    trends = None
    if len(frames) > 1:
        say("计算历年趋势…")
        metrics = [m for m in TREND_METRICS if all(_has_metric(f, m) for f in frames.values())]
        trends = oc.trends(frames, design.replace(levels=tuple(lv for lv in design.levels if lv != "college")),
                           metrics=metrics)
        problems += [{"check": p["check"], "column": "cohort", "example": str(p["cohort"]), "count": 0, "rows": "",
                      "message": p["message"]} for p in trends.attrs.get("problems", [])]
    warnings = None
    if design.major in current.columns:
        warnings = oc.major_warnings(by_cohort, config.warning_rule)
    weighting = (current.attrs.get("weighting", "") if design.weight else "未加权（未提供总体名单或已关闭加权）。")
    return GraduateFindings(
        cohort=cohort, design=design, frames=freeze(frames), outcomes=freeze(tables),
        outcomes_by_cohort=freeze({c: freeze(t) for c, t in by_cohort.items()}),
        teaching=freeze(teaching), abilities=abilities, comparisons=comparisons, suggestions=suggestions,
        trends=trends, warnings=warnings, series=_series(by_cohort), response=_response(frames, population, design),
        weighting=weighting, weighting_problems=weighting_problems, problems=pd.DataFrame(problems, columns=["check", "column", "example", "count", "rows",
                                                                      "message"]),
        notes=tuple(notes))

