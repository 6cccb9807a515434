"""Every course table of a run, from a programme and the findings' tables (called by the pipeline)."""
from __future__ import annotations

import pandas as pd

from ..design import Design
from .attainment import attainment
from .evaluation import course_ratings
from .model import CourseSettings, Programme
from .support import course_gaps, gap_course_matrix

__all__ = ["analyse_programme"]


def analyse_programme(programme: Programme, *, majors, graduates: pd.DataFrame | None = None,
                      employers: pd.DataFrame | None = None, gap_shares=None, ipa=None, competencies=None,
                      abilities=None, improve=None, design: Design | None = None,
                      settings: CourseSettings | None = None, colleges: dict | None = None) -> dict:
    """The course tables of a run.

    Parameters
    ----------
    programme : Programme
    majors : list of str
        The surveys' major names (the programme's majors are aligned to them).
    graduates, employers : DataFrame, optional
        Cleaned (weighted) graduate frame of the report cohort and cleaned employer frame.
    gap_shares, ipa, competencies, abilities, improve : DataFrame, optional
        The findings' evidence tables.
    design : Design
        The graduate design (weight, conf, min_cell).
    settings : CourseSettings, optional
    colleges : dict, optional
        Major → college.

    Returns
    -------
    dict
        ``programme`` (aligned), ``programme_summary`` (per major: courses, core courses,
        credits, requirements mapped), ``course_gaps``, ``gap_courses`` (heat-map data),
        ``course_ratings``, ``attainment``, ``notes`` (list of str).
    """
    s = settings or CourseSettings()
    prog, notes = programme.aligned(majors)
    notes = list(programme.notes) + notes
    if len(prog.unmapped):
        notes.append(f"培养方案中有 {len(prog.unmapped.drop_duplicates('column'))} 列未能对应到能力（列名与原因见“课程体系与毕业要求”一章的表“培养方案中未能对应到能力的列”），未参与课程分析。")
    gaps = course_gaps(prog, gap_shares=gap_shares, ipa=ipa, competencies=competencies, abilities=abilities,
                       improve=improve, settings=s, colleges=colleges)
    ratings = None
    if graduates is not None:
        ratings = course_ratings(graduates, prog, design, settings=s)
        notes += list(ratings.attrs.get("notes", []))
    att = attainment(prog, graduates, employers, design, settings=s, colleges=colleges)
    return {"programme": prog, "programme_summary": prog.summary(), "course_gaps": gaps, "gap_courses": gap_course_matrix(gaps, prog),
            "course_ratings": ratings, "attainment": att, "notes": notes}
