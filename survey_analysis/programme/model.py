"""What a training programme (人才培养方案) holds once read, and the settings of the course analyses.

:class:`Programme` is plain data: the course table, the support matrix (which course supports
which 毕业要求 / ability, how strongly), the requirements with the competency ids they were
mapped to, and what could not be mapped.  :class:`CourseSettings` holds every threshold and
formula of the course analyses (gaps, support levels, course evaluation, indirect attainment),
declared once here and read from the config file's ``courses:`` section.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Mapping

import pandas as pd

from ..errors import ConfigError
from ..frozen import freeze

__all__ = ["Programme", "CourseSettings", "COURSE_COLUMNS", "SUPPORT_COLUMNS", "REQUIREMENT_COLUMNS",
           "LINK_COLUMNS", "UNMAPPED_COLUMNS"]

COURSE_COLUMNS = ["major", "course", "course_code", "credits", "semester", "semester_text", "kind", "category",
                  "core", "core_order", "sheet", "row"]
SUPPORT_COLUMNS = ["major", "course", "requirement", "strength", "mark"]
REQUIREMENT_COLUMNS = ["major", "requirement", "label", "mapped", "how", "threshold"]
LINK_COLUMNS = ["major", "requirement", "competency_id", "competency"]
UNMAPPED_COLUMNS = ["major", "sheet", "column", "what", "reason"]


@dataclass(frozen=True, eq=False)
class Programme:
    """A school's training programmes: courses, support matrix and requirements, per major.

    Attributes
    ----------
    courses : DataFrame
        One row per course of a major: ``major, course, course_code, credits, semester`` (the
        first semester as a number), ``semester_text`` (as written), ``kind`` (必修/选修 …),
        ``category`` (课程类别), ``core`` (a 专业核心课程), ``core_order`` (1, 2, … in the order
        the programme lists its core courses; the order a graduate questionnaire shows them),
        ``sheet``, ``row`` (where it was read).
    support : DataFrame
        The support matrix, long: ``major, course, requirement, strength`` (1 = strong … 0.3 =
        weak; see :data:`~survey_analysis.programme.read.DEFAULT_STRENGTHS`), ``mark`` (as
        written: H, ◐, √, 0.5 …).
    requirements : DataFrame
        ``major, requirement, label, mapped, how`` (how it was mapped to competencies: 映射文件 /
        认证标准 / 能力词表), ``threshold`` (the attainment threshold, e.g. 0.7).
    links : DataFrame
        ``major, requirement, competency_id, competency``: a requirement may cover several.
    unmapped : DataFrame
        What could not be mapped or was left out: ``major, sheet, column, what, reason``.
    source : str
        The file name.
    notes : tuple of str
    """

    courses: pd.DataFrame
    support: pd.DataFrame
    requirements: pd.DataFrame
    links: pd.DataFrame
    unmapped: pd.DataFrame
    source: str = ""
    notes: tuple = ()

    @property
    def majors(self) -> list[str]:
        """The majors, in the order the file has them."""
        return list(dict.fromkeys(self.courses["major"]))

    def core_courses(self, major: str) -> list[str]:
        """The core courses of ``major`` in programme order (slot 1, 2, … of a questionnaire)."""
        c = self.courses[(self.courses["major"] == major) & self.courses["core"]]
        return c.sort_values("core_order", kind="stable")["course"].tolist()

    def aligned(self, majors) -> tuple["Programme", list]:
        """The programme with its majors named as in ``majors`` (the surveys' names), and notes.

        Names are compared after NFKC normalisation, without blanks and without a trailing
        "专业"; programme majors that match none keep their name and are listed in the notes.
        """
        from .mapping import norm

        def key(x) -> str:
            k = norm(x)
            return k[:-2] if k.endswith("专业") and len(k) > 2 else k

        target = {key(m): str(m) for m in majors}
        rename = {m: target.get(key(m), m) for m in self.majors}
        notes = []
        missing = [m for m in self.majors if key(m) not in target]
        if missing:
            notes.append(f"培养方案中的专业在调查中找不到（不参与课程分析）：{'、'.join(missing)}")
        absent = [m for m in majors if key(m) not in {key(x) for x in self.majors}]
        if absent:
            notes.append(f"以下专业没有提供培养方案，不做课程分析：{'、'.join(map(str, absent))}")
        frames = {}
        for name in ("courses", "support", "requirements", "links", "unmapped"):
            t = getattr(self, name).copy()
            if "major" in t.columns:
                t["major"] = t["major"].map(lambda m: rename.get(m, m))
            frames[name] = t
        return dataclasses.replace(self, **frames), notes

    def summary(self) -> pd.DataFrame:
        """One row per major: courses, core courses, credits, requirements mapped / not mapped."""
        rows = []
        for m in self.majors:
            c = self.courses[self.courses["major"] == m]
            r = self.requirements[self.requirements["major"] == m]
            s = self.support[self.support["major"] == m]
            rows.append({"major": m, "n_courses": len(c), "n_core": int(c["core"].sum()),
                         "credits": float(c["credits"].sum(min_count=1)) if len(c) else math.nan,
                         "n_requirements": len(r), "n_mapped": int(r["mapped"].sum()),
                         "n_links": len(s)})
        return pd.DataFrame(rows, columns=["major", "n_courses", "n_core", "credits", "n_requirements", "n_mapped",
                                           "n_links"])


#: keys of the config file's ``courses:`` section (→ CourseSettings fields)
_NUMBERS = ("gap_min_share", "gap_min_count", "max_fulfilment", "teaching_above_school", "strong", "medium",
            "threshold", "min_importance")


@dataclass(frozen=True)
class CourseSettings:
    """Thresholds and formulas of the course analyses (the config file's ``courses:`` section).

    Parameters
    ----------
    gap_min_share, gap_min_count : float, int
        An employer gap signal: at least this share (and count) of a major's employers name
        the competency as lacking in the open questions (default 0.15 and 3, as the built-in
        rule ``employer_gap_mentions``).
    max_fulfilment : float
        A graduate signal: 能力满足度 below this (default 0.85, the MyCOS "基本满足" line).
    teaching_above_school : float
        A teaching-feedback signal: the share choosing an improvement option exceeds the
        school's by at least this and its interval excludes the school's share (default 0.05).
    strong, medium : float
        Support levels: a competency is 强 supported when a course supports it with strength ≥
        ``strong`` (default 1.0: H, ●), 中 when the strongest is ≥ ``medium`` (0.5: M, ◐), else
        弱 (only L, ○); "无课程支撑" means no course, or only weak ones.
    min_importance : float
        A core course is "important" when its mean importance (5 = 很重要) is at least this
        (default 4.0, 重要).
    threshold : float
        Attainment threshold when the programme states none (default 0.7).
    attainment_values : mapping {score: value}
        The value of each rating score in the attainment formula (default score / 5: 5 → 1.0,
        4 → 0.8, 3 → 0.6, 2 → 0.4, 1 → 0.2; the common 评价等级赋值).
    attainment_weights : mapping {"graduates", "employers": weight}
        Weights of the two sources (default 0.5 each; renormalised when one is missing).
    """

    gap_min_share: float = 0.15
    gap_min_count: int = 3
    max_fulfilment: float = 0.85
    teaching_above_school: float = 0.05
    strong: float = 1.0
    medium: float = 0.5
    min_importance: float = 4.0
    threshold: float = 0.7
    attainment_values: Mapping = field(default_factory=lambda: {5: 1.0, 4: 0.8, 3: 0.6, 2: 0.4, 1: 0.2})
    attainment_weights: Mapping = field(default_factory=lambda: {"graduates": 0.5, "employers": 0.5})

    def __post_init__(self):
        for name in _NUMBERS:
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ConfigError(f"课程分析设置 courses.{name} 应是非负数字", found=v)
        if not 0 < self.medium <= self.strong <= 1:
            raise ConfigError("课程分析设置中支撑强度分界应满足 0 < medium ≤ strong ≤ 1", found=(self.medium, self.strong))
        if not 0 < self.threshold <= 1:
            raise ConfigError("达成度阈值（courses.threshold）应在 0 与 1 之间", expected="例如 0.7", found=self.threshold)
        vals = {}
        for k, v in dict(self.attainment_values).items():
            try:
                vals[int(k)] = float(v)
            except (TypeError, ValueError):
                raise ConfigError("达成度赋值（courses.attainment_values）应为 评分: 分值，如 {5: 1.0, 4: 0.8}",
                                  found=f"{k}: {v}") from None
        if sorted(vals) != [1, 2, 3, 4, 5]:
            raise ConfigError("达成度赋值（courses.attainment_values）须给出 5 至 1 分每一级的分值", found=sorted(vals))
        weights = {str(k): float(v) for k, v in dict(self.attainment_weights).items()}
        if set(weights) - {"graduates", "employers"} or not weights or any(v < 0 for v in weights.values()) \
                or sum(weights.values()) <= 0:
            raise ConfigError("达成度权重（courses.attainment_weights）应为 graduates、employers 的非负权重",
                              expected="例如 {graduates: 0.5, employers: 0.5}", found=weights)
        object.__setattr__(self, "attainment_values", freeze(vals))
        object.__setattr__(self, "attainment_weights", freeze(weights))

    @classmethod
    def from_config(cls, section: Mapping | None) -> "CourseSettings":
        """Settings from the config file's ``courses:`` section (unknown keys are an error)."""
        if not section:
            return cls()
        if not isinstance(section, Mapping):
            raise ConfigError("配置文件的 courses 应是键值对", found=type(section).__name__)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(map(str, section)) - known
        if unknown:
            raise ConfigError(f"配置文件 courses 中有未知的键：{'、'.join(sorted(unknown))}",
                              expected="、".join(sorted(known)))
        return cls(**{str(k): v for k, v in section.items()})

    def formula(self) -> str:
        """The attainment formula in one Chinese sentence (printed with the table)."""
        vals = "、".join(f"{k} 分 → {v:g}" for k, v in sorted(self.attainment_values.items(), reverse=True))
        w = self.attainment_weights
        parts = [f"{w.get('graduates', 0):g} × 毕业生自评达成值" if w.get("graduates") else "",
                 f"{w.get('employers', 0):g} × 用人单位评价达成值" if w.get("employers") else ""]
        return (f"间接评价达成度 = {' + '.join(p for p in parts if p)}（只有一方评价时取该方）；"
                f"每方的达成值 = 该毕业要求所对应能力的评分按等级赋值（{vals}）后的（加权）平均，"
                f"每位答卷者先对其评价的对应能力取平均；毕业生评分取“毕业时达到的水平”，用人单位评分取对毕业生的满意度；"
                f"达成判定阈值默认 {self.threshold:g}（培养方案或映射文件可另行规定）。")
