"""The employer side of a run: who answered, competency ratings, drivers, skill gaps in the
comments, their themes, keywords and the comments quoted."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable, Mapping

import pandas as pd

from ..frozen import freeze
from ..design import Design
from ..errors import AnalysisError, SurveyError
from ..stats import suppress_small
from .config import AnalysisConfig

__all__ = ["EmployerFindings", "analyse_employers", "fit_themes", "PROFILE_COLUMNS"]

logger = logging.getLogger(__name__)

PROFILE_COLUMNS = ("industry", "employer_type", "employer_size", "region")
_TEXT_FIELDS = ("comment_skills", "comment_suggestion")


@dataclass(frozen=True)
class EmployerFindings:
    """Every employer number of a run."""

    n: int
    profile: Mapping = field(repr=False)
    competencies: pd.DataFrame | None = None
    ipa: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    group_differences: pd.DataFrame | None = None
    skills: pd.DataFrame | None = None
    gap_shares: pd.DataFrame | None = None
    tools: pd.DataFrame | None = None
    quotes: pd.DataFrame | None = None
    keywords: pd.DataFrame | None = None
    themes: Mapping | None = None
    notes: tuple = ()


def _distribution(df: pd.DataFrame, col: str, design: Design) -> pd.DataFrame:
    s = df[col].dropna() if col in df.columns else pd.Series(dtype=object)
    t = s.value_counts().rename_axis(col).reset_index(name="n")
    t["share"] = t["n"] / t["n"].sum() if len(t) else []
    out = suppress_small(t, min_cell=design.min_cell, value_cols=["share"], complementary=True)
    out.attrs["n_total"] = int(len(s))
    out.attrs["base"] = "作答该题的用人单位"
    return out


def fit_themes(data: pd.DataFrame, design: Design | None = None, *, colleges: dict | None = None,
               random_state: int = 0, n_themes: int | None = None, **overrides) -> dict:
    """Skill-gap themes of a cleaned employer survey's comments.

    Returns ``{"themes": themes table, "by_group": shares per major and college (``level, group,
    theme, label, n, count, share, rank, suppressed``), "estimator": the fitted
    :class:`~survey_analysis.gaps.SkillGapClusterer`}``.
    """
    from ..gaps import SkillGapClusterer, feedback_texts

    design = Design.resolve(design, **overrides)
    X = feedback_texts(data, colleges=colleges or None)
    est = SkillGapClusterer(n_themes=n_themes, random_state=random_state).fit(X)
    parts = []
    for by in ("major", "college", "industry"):
        if by in X.columns and X[by].notna().any():
            t = est.theme_shares(X, by=by, respondent="row", min_cell=design.min_cell)
            parts.append(t.rename(columns={by: "group"}).assign(level=by))
    by_group = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return {"themes": est.themes_, "by_group": by_group, "estimator": est}


def join_groups(skills: pd.DataFrame, data: pd.DataFrame) -> pd.DataFrame:
    """Attach the respondent's major / college / industry to skill mentions (by comment id)."""
    cols = [c for c in ("major", "college", "industry") if c in data.columns]
    if not len(skills) or not cols:
        return skills
    lookup = data.drop_duplicates("respondent_id").set_index("respondent_id")[cols]
    out = skills.join(lookup, on="comment_id")
    out.attrs.update(skills.attrs)
    return out


def _comments(e: pd.DataFrame, config: AnalysisConfig, colleges: dict, say, notes: list) -> dict:
    from ..mentions import mention_shares, pick_quotes, tool_shares
    from ..text import extract_skills, keywords, text_cache

    design = config.design
    texts = [c for c in _TEXT_FIELDS if c in e.columns]
    out: dict = {}
    if not texts:
        return out
    with text_cache():  # the theme clusterer re-reads the same comments
        say("分析用人单位评论：能力短板与优势…")
        parts = []
        for c in texts:
            # answers to "what should graduates strengthen" are often bare lists (沟通能力、Excel):
            # a mention there is a gap unless a cue says otherwise
            sk = extract_skills(e[c], ids=e["respondent_id"],
                                default_polarity="gap" if c == "comment_skills" else "neutral")
            parts.append(sk.assign(field=c))
        skills = join_groups(pd.concat(parts, ignore_index=True), e)
        out["skills"] = skills
        out["gap_shares"] = mention_shares(skills, e, design)
        out["tools"] = tool_shares(skills, e, design)
        top = out["gap_shares"]
        top = top[(top["level"] == "school") & ~top["suppressed"]].head(3)["competency_id"].tolist()
        out["quotes"] = pick_quotes(skills, e, top, k=3)
        alltext = pd.concat([e[c] for c in texts], ignore_index=True)
        grp = pd.concat([e["major"] for _ in texts], ignore_index=True) if "major" in e.columns else None
        try:
            out["keywords"] = keywords(alltext, groups=grp, top_k=10)
        except SurveyError as exc:
            notes.append(f"关键词未能提取：{exc.message}")
        try:
            say("聚类能力短板主题…")
            out["themes"] = freeze(fit_themes(e, design, colleges=colleges,
                                                        random_state=config.random_state))
        except SurveyError as exc:
            notes.append(f"短板主题未能聚类：{exc.message}")
    return out


def analyse_employers(data: pd.DataFrame, config: AnalysisConfig, *, colleges: dict | None = None,
                      progress: Callable | None = None) -> EmployerFindings:
    """Every employer table of a run, from the cleaned employer survey ``data``."""
    from .. import ratings as rt

    say = progress or (lambda msg: logger.info(msg))
    design = config.design
    e = data
    notes: list[str] = []
    say("分析用人单位构成与能力评价…")
    profile = {c: _distribution(e, c, design) for c in PROFILE_COLUMNS if c in e.columns}
    # the employer survey is not weighted: its design is the run's without a weight column
    edesign = design.replace(weight=None)
    by = "major" if "major" in e.columns else None
    competencies = rt.competency_summary(e, edesign, by=by)
    ipa = rt.ipa(e, edesign, by=by)
    reliability = rt.reliability(e, edesign)
    try:
        drivers = rt.key_drivers(e, design=edesign)
    except AnalysisError as exc:
        drivers = None
        notes.append(f"关键驱动因素分析未能完成：{exc.message}")
    groups = [c for c in ("major", "industry") if c in e.columns]
    differences = rt.compare_groups(e, None, groups, edesign) if groups else None
    comments = _comments(e, config, colleges or {}, say, notes)
    return EmployerFindings(
        n=len(e), profile=freeze(profile), competencies=competencies, ipa=ipa, reliability=reliability,
        drivers=drivers, group_differences=differences, skills=comments.get("skills"),
        gap_shares=comments.get("gap_shares"), tools=comments.get("tools"), quotes=comments.get("quotes"), keywords=comments.get("keywords"),
        themes=comments.get("themes"), notes=tuple(notes))
