"""Training programmes (人才培养方案) and the course analyses built on them.

* :func:`read_programme` reads a school's course table and support matrix (XLSX/CSV, the layouts
  schools keep) into a :class:`Programme`; :func:`load_mapping` reads the optional mapping file.
* :func:`course_gaps` — for each major and competency: the evidence of a gap (employer gap share,
  IPA quadrant with its interval, low 能力满足度, teaching feedback) and the courses that carry
  it, weighted by support strength and credits; "无课程支撑" and strongly supported competencies
  nobody asks for.
* :func:`course_ratings` — per core course, graduates' importance and 满足度 with intervals.
* :func:`attainment` — 毕业要求达成度间接评价 per major and requirement, with the formula stated.

All estimates go through the statistics kernel (:mod:`survey_analysis.stats`).
"""
from __future__ import annotations

from .analysis import analyse_programme
from .attainment import attainment
from .evaluation import course_ratings
from .mapping import ProgrammeMapping, load_mapping
from .model import CourseSettings, Programme
from .read import DEFAULT_STRENGTHS, parse_strength, read_programme
from .support import competency_support, course_gaps, gap_course_matrix

__all__ = ["Programme", "CourseSettings", "ProgrammeMapping", "read_programme", "load_mapping", "parse_strength",
           "DEFAULT_STRENGTHS", "competency_support", "course_gaps", "gap_course_matrix", "course_ratings",
           "attainment", "analyse_programme"]
