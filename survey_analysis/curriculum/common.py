"""What every signal uses: the signal record, row selection that never reads a hidden cell, the
candidate record, number formatting."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..design import SCHOOL

__all__ = ["Signal", "SOURCES", "LEVEL_ZH", "COMMON", "fmt_pct", "fmt_num", "ci_text", "ok_rows", "level_rows",
           "school_row", "colleges_of", "candidate", "missing"]

LEVEL_ZH = {"major": "专业", "college": "学院"}
#: independent sources of evidence (a recommendation supported by several counts each once)
SOURCES = {"employer_comments": "用人单位开放题", "employer_ratings": "用人单位评分", "graduate_ratings": "毕业生评分",
           "graduate_teaching": "毕业生教学反馈", "graduate_outcomes": "毕业生就业状况",
           "earlier_cohorts": "往届毕业生调查（独立样本）", "programme_gap": "培养方案（无课程或仅弱支撑）",
           "programme": "培养方案"}
#: template placeholders every signal provides
COMMON = ("group", "level_zh", "college", "value", "low", "high", "n", "where", "reference_value")


@dataclass(frozen=True)
class Signal:
    """What a rule can read: a Chinese name, its condition keys, its template placeholders, the
    function that finds candidates, and the default target of its recommendations."""

    name_zh: str
    params: tuple
    placeholders: tuple
    func: Callable
    target: str = ""


def missing(x) -> bool:
    if x is None or x is pd.NA:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def fmt_pct(x) -> str:
    return "—" if missing(x) else f"{float(x) * 100:.1f}%"


def fmt_num(x, d=2) -> str:
    return "—" if missing(x) else f"{float(x):.{d}f}"


def ci_text(value, low, high, fmt, conf: float = 0.95) -> str:
    c = f"{conf * 100:g}%"
    if fmt == "pct":
        v = fmt_pct(value)
        return v if missing(low) or missing(high) else f"{v}（{c}置信区间 {low * 100:.1f}–{high * 100:.1f}%）"
    v = fmt_num(value)
    return v if missing(low) or missing(high) else f"{v}（{c}置信区间 {low:.2f}–{high:.2f}）"


def ok_rows(df: pd.DataFrame | None, min_cell: int) -> pd.DataFrame:
    """Rows of a group table that are safe to use: not suppressed and n ≥ min_cell."""
    if df is None or not len(df):
        return pd.DataFrame()
    keep = pd.Series(True, index=df.index)
    if "suppressed" in df.columns:
        keep &= ~df["suppressed"].fillna(False).astype(bool)
    if "n" in df.columns:
        keep &= pd.to_numeric(df["n"], errors="coerce").fillna(0) >= min_cell
    return df[keep]


def level_rows(df: pd.DataFrame, level: str) -> pd.DataFrame:
    if "level" in df.columns:
        return df[df["level"] == level]
    if "group_by" in df.columns:  # ratings tables
        return df[(df["group_by"] == level) & (df["group"] != SCHOOL)]
    return df


def school_row(df: pd.DataFrame | None) -> pd.DataFrame:
    if df is None or not len(df):
        return pd.DataFrame()
    if "level" in df.columns:
        return df[df["level"] == "school"]
    return df[df["group"] == SCHOOL]


def colleges_of(findings) -> dict:
    """Major → college, from the findings' majors, the config and the cleaned data."""
    out = {}
    majors = findings.majors
    if majors is not None and {"major", "college"} <= set(majors.columns):
        out.update({str(a): b for a, b in zip(majors["major"], majors["college"]) if isinstance(b, str)})
    cfg = findings.config
    if getattr(cfg, "majors", None) is not None and {"name", "college"} <= set(cfg.majors.columns):
        for a, b in zip(cfg.majors["name"], cfg.majors["college"]):
            if isinstance(b, str):
                out.setdefault(str(a), b)
    for res in [findings.employer, *(findings.graduates or {}).values()]:
        d = getattr(res, "data", None)
        if d is not None and {"major", "college"} <= set(d.columns):
            pairs = d[["major", "college"]].dropna().drop_duplicates("major")
            for a, b in zip(pairs["major"], pairs["college"]):
                out.setdefault(str(a), str(b))
    return out


def candidate(level, group, college, n, value, low, high, fmt, evidence, *, effect: float, excludes,
              sources: tuple, reference=None, **extra) -> dict:
    """One piece of evidence a rule may turn into a recommendation.

    ``effect``: the standardised effect beyond the signal's reference (see
    :mod:`survey_analysis.curriculum.priority`); ``excludes``: whether the estimate's interval
    excludes the reference (``None`` when the estimate has no interval); ``sources``: the
    independent sources of evidence it rests on (keys of :data:`SOURCES`).
    """
    return dict(level=level, group=str(group), college=college, n=int(n) if not missing(n) else None,
                value=None if missing(value) else float(value), low=None if missing(low) else float(low),
                high=None if missing(high) else float(high), value_format=fmt, evidence=evidence,
                effect=float(np.nan_to_num(abs(effect), nan=0.0)), excludes=excludes, sources=tuple(sources),
                reference=None if missing(reference) else float(reference), **extra)
