"""教学反馈: graduates' ratings of teaching and services, what they want improved, and the
competencies their suggestions name."""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import AnalysisError
from ..stats import GroupIndex, group_means, group_shares, long_table, multi_codes, multi_indicator
from .base import prepare, require, resolve
from .job_quality import multi_share_table
from .labels import IMPROVE_NONE, IMPROVE_OPTIONS, ITEM_LABELS, SERVICE_ITEMS, TABLE_TITLES, rate_text

__all__ = ["teaching_feedback", "suggestion_mentions"]

logger = logging.getLogger(__name__)


def teaching_feedback(df: pd.DataFrame, design: Design | None = None, *, index: GroupIndex | None = None,
                      **overrides) -> dict[str, pd.DataFrame]:
    """Graduates' ratings of teaching and what they want improved.

    Returns
    -------
    dict with
        ``teaching_ratings`` (per group and item: ``domain`` -- ``teaching``, ``service``
        (:data:`~survey_analysis.outcomes.labels.SERVICE_ITEMS`: 学生工作与服务) or ``overall`` --,
        ``n``, mean with interval, top-box ``rate`` with Wilson interval) and ``improve`` (per group and option: share choosing it).
        ``以上均不需改进`` is exclusive: a respondent who ticked it *and* other options is
        inconsistent — left out of the base and counted in ``n_inconsistent``.

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 5, "improve": ["课程内容不实用或陈旧"] * 4 + ["以上均不需改进"]})
    >>> t = teaching_feedback(d, by=("school",))["improve"]
    >>> float(t.loc[t["option"] == "以上均不需改进", "share"].iloc[0])
    0.2
    """
    design = resolve(design, **overrides)
    s = prepare(df, design, index)
    items = [c for c in s.df.columns if str(c).startswith("teach__")]
    if "school_satisfaction" in s.df.columns:
        items.append("school_satisfaction")
    if not items and "improve" not in s.df.columns:
        raise AnalysisError("数据中没有教学评价（teach__*、school_satisfaction）或改进需求（improve）列",
                            expected="teach__classroom 等列", found="、".join(map(str, s.df.columns[:20])))
    attrs = {**s.attrs, "rate_definition": rate_text(design.satisfied)}
    if s.index.notes:
        attrs["notes"] = list(s.index.notes)
    out = {}
    if items:
        rows = []
        for item in items:
            x = s.values(item)
            m = group_means(s.index, x, s.w, conf=design.conf)
            est = group_shares(s.index, np.where(np.isnan(x), np.nan, (x >= design.top_box).astype(float)), s.w,
                               conf=design.conf)
            domain = "service" if item in SERVICE_ITEMS else "overall" if item == "school_satisfaction" else "teaching"
            rows.append(({"item": item, "item_label": ITEM_LABELS.get(item, item), "domain": domain},
                         {"n_eff": m.n_eff, "mean": m.mean, "mean_low": m.low, "mean_high": m.high,
                          "rate": est.share, "rate_low": est.low, "rate_high": est.high}, m.n))
        out["teaching_ratings"] = long_table(s.index, rows, design=design,
                                             attrs={**attrs, "title": TABLE_TITLES["teaching_ratings"],
                                                    "base": "作答该题者（无法评价不计入）；均值为 5 分制"})
    if "improve" in s.df.columns:
        codes, sets = multi_codes(s.df["improve"])
        bad = multi_indicator(codes, sets, lambda x: x is not None and IMPROVE_NONE in x and len(x) > 1) == 1
        table = multi_share_table(
            s, "improve", IMPROVE_OPTIONS, base=np.ones(len(s.df), dtype=bool), exclude=bad, item="option",
            attrs={"title": TABLE_TITLES["improve"], "n_inconsistent": int(bad.sum()),
                   "base": "作答者（多选，占比之和可超过 100%）；“以上均不需改进”与其他选项同选者视为"
                           "不一致，不计入基数，人数见 n_inconsistent"})
        per_group = s.index.count(bad)
        where = {key: k for k, key in enumerate(zip(s.index.table["level"], s.index.table["group"]))}
        k = np.array([where[key] for key in zip(table["level"], table["group"])], dtype=np.intp)
        table["n_inconsistent"] = pd.array(np.where(table["suppressed"], None, per_group[k]), dtype="Int64")
        out["improve"] = table
        if bad.any():
            logger.warning("%d 名答卷者同时选择了“以上均不需改进”和其他改进项，已视为不一致", int(bad.sum()))
    return out


def suggestion_mentions(df: pd.DataFrame, design: Design | None = None, *, index: GroupIndex | None = None,
                        text_col: str = "comment", polarity=("gap",), **overrides) -> pd.DataFrame:
    """Competencies graduates name in their open suggestions, per group (the text layer).

    Each comment goes through :func:`survey_analysis.text.extract_skills`; a respondent counts
    for a competency when one of its mentions has a polarity in ``polarity``.  The base is the
    respondents whose comment has content (blanks and "无" are left out).

    Returns
    -------
    DataFrame
        ``level, group, college, competency, competency_label, n, count, share, low, high,
        example`` (one clause, already redacted; blank for hidden groups), only competencies
        named somewhere, within a group by count.
    """
    from ..text import extract_skills

    design = resolve(design, **overrides)
    require(df, [text_col])
    s = prepare(df, design, index)
    mentions, status = extract_skills(s.df[text_col].astype(object), ids=list(range(len(s.df))),
                                      return_summary=True)
    has_text = np.zeros(len(s.df), dtype=bool)
    st = status[status["status"].isin(["mention", "no_mention"])]
    has_text[st["comment_id"].astype(int).to_numpy()] = True
    sel = mentions[mentions["polarity"].isin(list(polarity))]
    comps = sel.groupby(["competency_id", "competency"]).size().sort_values(ascending=False)
    items = []
    for cid, label in comps.index:
        rows = sel.loc[sel["competency_id"] == cid]
        hit = np.zeros(len(s.df))
        hit[rows["comment_id"].astype(int).to_numpy()] = 1.0
        est = group_shares(s.index, np.where(has_text, hit, np.nan), s.w, conf=design.conf)
        example = _examples(s.index, rows)
        items.append(({"competency": cid, "competency_label": label, "example": example},
                      {"count": est.count, **est.columns()}, est.n))
    table = long_table(s.index, items, design=design,
                       attrs={**s.attrs, "title": TABLE_TITLES["suggestions"], "polarity": list(polarity),
                              "base": "意见和建议有实际内容的答卷者；比例 = 提到该能力需加强的人数 / 该基数"})
    if not len(table):
        return table
    table["example"] = table["example"].astype(object).where(~table["suppressed"].astype(bool), None)
    keep = (table["count"].fillna(1) > 0) | (table["level"] == "school")
    table = table[keep].copy()
    table["_g"] = table.groupby(["level", "group"], sort=False).ngroup()
    table = table.sort_values(["_g", "count"], ascending=[True, False], kind="stable", na_position="last")
    out = table.drop(columns="_g").reset_index(drop=True)
    out.attrs.update(table.attrs)
    if s.index.notes:
        out.attrs["notes"] = list(s.index.notes)
    return out


def _examples(index: GroupIndex, rows: pd.DataFrame) -> list:
    """Per group, the first clause of a mention by one of its respondents (None when none)."""
    pos = rows["comment_id"].astype(int).to_numpy()
    clauses = rows["clause"].astype(str).to_numpy()
    out = [None] * index.n_groups
    for codes in index.codes.values():
        g = codes[pos]
        for k in np.unique(g[g >= 0]):
            out[k] = clauses[np.flatnonzero(g == k)[0]]
    return out
