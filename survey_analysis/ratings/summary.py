"""Importance and satisfaction of each competency, per group, with intervals.

Definitions (``docs``: DOMAIN.md, "Metrics and their definitions"):

* **Mean score** of a competency's importance or satisfaction: ``Σ w·score / Σ w`` over the
  employers who rated it (options scored 5..1; 无法评价 leaves the base, never scored 0), with a
  t interval (the definition of :func:`survey_analysis.stats.group_means`).
* **Satisfied share** ("top box"): the share of raters whose score meets the design's top-box
  rule (``satisfied="top2"``: 很满意+满意, MyCOS; ``"top3"``: + 一般, 新锦成), with a Wilson
  interval (the definition of :func:`survey_analysis.stats.group_shares`).
* **Gap**: the mean of importance − satisfaction over the employers who rated both, with a
  paired t interval.

The 60 columns of sums are taken in one ordering of the rows (:mod:`.moments`, tested equal to
the kernel's ``group_means`` / ``group_shares``).

Every group's row rests on the competency's base (:func:`~survey_analysis.ratings.common.
competency_base`); groups with fewer than ``min_cell`` employers in it are hidden together with
the complements :func:`survey_analysis.stats.protect` picks (:func:`survey_analysis.stats.
long_table`), so no hidden row can be worked out from the school row and the rows shown.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..design import Design
from ..stats import long_table, suppression_note, weighting_attrs, weights_of
from .common import Grouping, competency_codes, finish, grouping
from .moments import GroupOrder, group_sums, means_of, shares_of
from .scales import coerce_ratings, top_box_of

__all__ = ["competency_summary", "summarise", "Summary", "SUMMARY_COLUMNS"]

_COUNTS = ["n_imp", "n_imp_na", "n_sat", "n_sat_na", "n_pair"]
SUMMARY_COLUMNS = [
    "level", "group", "college", "group_by", "n", "competency", "label",
    "n_imp", "n_imp_na", "imp_mean", "imp_sd", "imp_ci_low", "imp_ci_high",
    "n_sat", "n_sat_na", "sat_mean", "sat_sd", "sat_ci_low", "sat_ci_high",
    "n_satisfied", "sat_share", "sat_share_ci_low", "sat_share_ci_high",
    "n_pair", "gap", "gap_ci_low", "gap_ci_high", "note", "suppressed",
]


@dataclass(frozen=True)
class Summary:
    """The competency table and what it was computed from (for :func:`~survey_analysis.ratings.ipa`).

    Attributes
    ----------
    table : DataFrame
        :func:`competency_summary`'s result.
    grouping : Grouping
    design : Design
    measures : dict
        ``{code: {"imp": Means | None, "sat": Means | None, "gap": Means | None}}`` per group of
        the index (hidden groups included: never published from here).
    positions : ndarray
        The index position of each table row's group.
    """

    table: pd.DataFrame
    grouping: Grouping
    design: Design
    measures: dict
    positions: np.ndarray


def _item(ix, order: GroupOrder, data, na, code: str, w, design: Design, top: float,
          known: set) -> tuple[dict, dict]:
    """Per-group columns of one competency and its Means objects."""
    G = ix.n_groups
    imp = data[f"imp__{code}"].to_numpy(dtype=float) if f"imp__{code}" in data.columns else None
    sat = data[f"sat__{code}"].to_numpy(dtype=float) if f"sat__{code}" in data.columns else None
    gap = imp - sat if imp is not None and sat is not None else None
    m = {k: None if x is None else means_of(group_sums(order, x, w), conf=design.conf)
         for k, x in (("imp", imp), ("sat", sat), ("gap", gap))}
    nan = np.full(G, np.nan)
    cols: dict = {}
    for key, col in (("imp", f"imp__{code}"), ("sat", f"sat__{code}")):
        mm = m[key]
        cols[f"n_{key}"] = mm.n.astype(float) if mm is not None else np.zeros(G)
        cols[f"n_{key}_na"] = ix.count(na[col].to_numpy(dtype=bool)).astype(float) if col in known else nan
        for stat, arr in (("mean", "mean"), ("sd", "sd"), ("ci_low", "low"), ("ci_high", "high")):
            cols[f"{key}_{stat}"] = getattr(mm, arr) if mm is not None else nan
    if sat is None:
        cols.update(n_satisfied=nan, sat_share=nan, sat_share_ci_low=nan, sat_share_ci_high=nan)
    else:
        s = shares_of(group_sums(order, np.where(np.isnan(sat), np.nan, sat >= top), w), conf=design.conf)
        cols.update(n_satisfied=np.where(s.n > 0, s.count, np.nan), sat_share=s.share,
                    sat_share_ci_low=s.low, sat_share_ci_high=s.high)
    g = m["gap"]
    cols.update(n_pair=g.n.astype(float) if g is not None else np.zeros(G),
                gap=g.mean if g is not None else nan,
                gap_ci_low=g.low if g is not None else nan, gap_ci_high=g.high if g is not None else nan)
    return cols, m


def _base_n(m: dict, data: pd.DataFrame, code: str) -> np.ndarray:
    """Per group, the respondents in :func:`competency_base` — read off the estimates that rest
    on it (the pair's when both axes were rated, else the rated axis's); the same counts as
    ``index.count(competency_base(data, code, weights))``."""
    rated = [k for k in ("imp", "sat") if m[k] is not None and data[f"{k}__{code}"].notna().any()]
    if len(rated) == 2:
        return m["gap"].n
    return m[rated[0]].n if rated else m["imp" if m["imp"] is not None else "sat"].n


def _unrated_row(ix, keys: dict, cols: dict) -> pd.DataFrame:
    """The school row of a competency nobody rated (n = 0: nothing to hide)."""
    row = ix.keys().iloc[[0]].reset_index(drop=True)
    for k, v in keys.items():
        row[k] = v
    row["n"] = 0
    for c, v in cols.items():
        row[c] = v[0]
    row["suppressed"] = False
    return row


def _order(table: pd.DataFrame, ix, codes: list) -> tuple[pd.DataFrame, np.ndarray]:
    pos_of = {(lv, g): k for k, (lv, g) in enumerate(zip(ix.table["level"], ix.table["group"]))}
    pos = np.array([pos_of[(lv, g)] for lv, g in zip(table["level"], table["group"])], dtype=np.intp)
    item = table["competency"].map({c: i for i, c in enumerate(codes)}).to_numpy()
    order = np.lexsort((item, pos))
    return table.iloc[order].reset_index(drop=True), pos[order]


def _suppression_attrs(table: pd.DataFrame, positions: np.ndarray, bases: dict, design: Design) -> dict:
    """``suppression_note`` and ``n_suppressed`` of the rows shown (as ``long_table`` words them)."""
    hidden = table["suppressed"].to_numpy(dtype=bool)
    small = np.array([bases[c][k] < design.min_cell if c in bases else False
                      for c, k in zip(table["competency"], positions)], dtype=bool)
    note = suppression_note(design.min_cell, int(np.count_nonzero(hidden & ~small)))
    if hidden.any():
        note += f"本表有 {int(hidden.sum())} 行被隐藏。"
    return {"suppression_note": note, "n_suppressed": int(hidden.sum())}


def _notes(table: pd.DataFrame, design: Design, unrated: list) -> tuple[np.ndarray, list]:
    """Per-row notes and the table's notes (hidden groups by name only, never with an n)."""
    mc = design.min_cell
    hidden = table["suppressed"].to_numpy(dtype=bool)
    note = np.full(len(table), "", dtype=object)
    note[hidden] = f"已隐藏（有效评价少于 {mc} 份，或为防止由合计推算出小组而一并隐藏）"
    n_imp = table["n_imp"].to_numpy(dtype=float)
    n_sat = table["n_sat"].to_numpy(dtype=float)
    parts = [np.where(~hidden & (n_imp == 0) & (n_sat == 0), "无人评价（n=0）", ""),
             np.where(~hidden & (n_imp == 0) & (n_sat > 0), "无重要度评价", ""),
             np.where(~hidden & (n_sat == 0) & (n_imp > 0), "无满意度评价", "")]
    for p in parts:
        note = np.where(p != "", np.where(note != "", note + "；" + p, p), note)
    notes = []
    names = list(dict.fromkeys(f"「{g}」" for g in table.loc[hidden & (table["level"] != "school"), "group"]))
    if names:
        notes.append(f"以下组在部分或全部能力上的结果已隐藏（有效评价少于 {mc} 份，或为防止由合计推算出"
                     f"被隐藏的小组而一并隐藏）：{''.join(names)}。")
    for label in unrated:
        notes.append(f"能力「{label}」无人评价（n=0）；均值与区间为空。")
    if hidden.any():
        notes.append(table.attrs["suppression_note"])
    return note, notes


def summarise(df: pd.DataFrame, design: Design, *, competencies=None, by=None, na_mask=None,
              scale=None) -> Summary:
    """:func:`competency_summary` with the design resolved, keeping its estimates for IPA."""
    if not df.index.is_unique:  # work by position; results do not carry the index
        df = df.reset_index(drop=True)
        na_mask = na_mask.reset_index(drop=True) if na_mask is not None else None
    comps = competency_codes(df, competencies)
    cols = [f"{p}{c}" for c in comps for p in ("imp__", "sat__") if f"{p}{c}" in df.columns]
    prep = coerce_ratings(df, cols, scale=scale, na_mask=na_mask)
    grp = grouping(df, design, by)
    ix = grp.index
    w = weights_of(df, design)
    top = top_box_of(design, scale)
    known = set(prep.na_known)
    order = GroupOrder.of(ix)
    items, extra, unrated, measures, bases = [], [], [], {}, {}
    for code, label in comps.items():
        columns, measures[code] = _item(ix, order, prep.data, prep.na_mask, code, w, design, top, known)
        keys = {"competency": code, "label": label}
        if columns["n_imp"][0] == 0 and columns["n_sat"][0] == 0:
            extra.append(_unrated_row(ix, keys, columns))
            unrated.append(label)
            continue
        bases[code] = _base_n(measures[code], prep.data, code)
        items.append((keys, columns, bases[code]))
    table = long_table(ix, items, design=design, order="group")
    attrs = dict(table.attrs)
    if extra:
        table = pd.concat(([table] if items else []) + extra, ignore_index=True)
    table, positions = _order(table, ix, list(comps))
    keep = grp.is_shown(positions)  # hiding was decided on every level; show the levels asked for
    table, positions = table[keep].reset_index(drop=True), positions[keep]
    attrs.update(_suppression_attrs(table, positions, bases, design))
    table.attrs = attrs
    keys = grp.keys()
    table["level"] = keys["level"].to_numpy()[positions]
    table["college"] = keys["college"].to_numpy()[positions]
    table["group_by"] = keys["group_by"].to_numpy()[positions]
    for c in _COUNTS:
        table[c] = pd.array(np.round(table[c].to_numpy(dtype=float)), dtype="Int64")
    table["n"] = table["n"].astype("Int64")
    table["suppressed"] = table["suppressed"].astype(bool)
    table["note"], notes = _notes(table, design, unrated)
    table = table[SUMMARY_COLUMNS]
    table.attrs = attrs
    finish(table, prep, grp.notes() + notes, satisfied=design.satisfied, top_box=top, by=by,
           **weighting_attrs(df, design))
    return Summary(table=table, grouping=grp, design=design, measures=measures, positions=positions)


def competency_summary(
    df: pd.DataFrame,
    design: Design | None = None,
    *,
    competencies=None,
    by=None,
    satisfied: str | None = None,
    conf: float | None = None,
    min_cell: int | None = None,
    na_mask: pd.DataFrame | None = None,
    scale=None,
) -> pd.DataFrame:
    """Importance and satisfaction of each competency, with intervals, per group.

    Parameters
    ----------
    df : DataFrame
        Cleaned employer data (``imp__<code>``, ``sat__<code>``); not modified.
    design : Design, optional
        Column roles (``weight``, ``major``, ``college``) and settings; default ``Design()``.
    competencies : list or dict, optional
        Competency codes, or ``{code: label}``.  Default: the rows of the built-in employer
        questionnaire that have a column in ``df`` (plus any other ``imp__``/``sat__`` codes).
    by : str or list of str, optional
        ``None``: the school row only.  A level (``"college"``, ``"major"``, or several) or
        another group column (``"industry"``): the school row first, then the groups of each
        level by decreasing size.
    satisfied, conf, min_cell : optional
        Override the design's top-box rule (``"top2"``: score ≥ 4, MyCOS; ``"top3"``: ≥ 3,
        新锦成, relative to the top of the scale), confidence level and small-cell threshold.
    na_mask : DataFrame, optional
        ``True`` where the answer was 无法评价; gives ``n_imp_na`` and ``n_sat_na``.
    scale : str, list or dict, optional
        Answer scale for text still in the rating columns (see :func:`coerce_ratings`).

    Returns
    -------
    DataFrame
        One row per group and competency: ``level, group, college, group_by, n`` (the
        competency's base: employers in the group who rated it — both importance and
        satisfaction where both were asked), ``competency, label, n_imp, n_imp_na`` (NA when
        无法评价 cannot be told from missing), ``imp_mean, imp_sd, imp_ci_low, imp_ci_high``,
        ``n_sat, n_sat_na, sat_mean, sat_sd, sat_ci_low, sat_ci_high, n_satisfied`` (estimated
        number satisfied: weighted when the design is), ``sat_share, sat_share_ci_low,
        sat_share_ci_high, n_pair, gap, gap_ci_low, gap_ci_high``, ``note`` and
        ``suppressed``.  A hidden row has every number blank, its ``n`` included.  A
        competency nobody rated has one school row with ``n`` = 0.  ``attrs``: ``problems``,
        ``notes``, ``satisfied``, ``top_box``, ``conf``, ``min_cell``, ``weighted``,
        ``weighting``, ``suppression_note``, ``n_suppressed``.

    Examples
    --------
    >>> d = pd.DataFrame({"imp__practice": [5, 5, 4, 4, 3.0], "sat__practice": [4, 3, 4, 5, 2.0]})
    >>> t = competency_summary(d)
    >>> t[["competency", "n_imp", "imp_mean", "sat_mean", "sat_share", "gap"]].round(2).values.tolist()
    [['practice', 5, 4.2, 3.6, 0.6, 0.6]]
    """
    d = Design.resolve(design, satisfied=satisfied, conf=conf, min_cell=min_cell)
    return summarise(df, d, competencies=competencies, by=by, na_mask=na_mask, scale=scale).table
