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

Disclosure: each measure of a competency — its importance, its satisfaction, the pair behind the
gap — is one item base of :func:`survey_analysis.stats.long_table` (the raters of that column,
:func:`~survey_analysis.ratings.common.item_base`): a group with fewer than ``min_cell`` raters
on it is hidden together with the complements :func:`survey_analysis.stats.protect` picks, so no
hidden cell can be worked out from the school row and the cells shown, and a comparison of the
same column by group (:func:`~survey_analysis.ratings.compare_groups`) hides the same groups.
A row is ``suppressed`` when any of its measures is hidden; the hidden measure's count and
values are blank, the others stay.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..design import Design
from ..stats import long_table, suppression_note, weighting_attrs, weights_of
from .common import Grouping, competency_codes, finish, grouping
from ..stats import GroupOrder, group_sums, means_of, shares_of
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


#: measure -> (its count column, its value columns); each measure is one item base of the table
MEASURES = {
    "imp": ("n_imp", ["n_imp_na", "imp_mean", "imp_sd", "imp_ci_low", "imp_ci_high"]),
    "sat": ("n_sat", ["n_sat_na", "sat_mean", "sat_sd", "sat_ci_low", "sat_ci_high", "n_satisfied", "sat_share",
                      "sat_share_ci_low", "sat_share_ci_high"]),
    "gap": ("n_pair", ["gap", "gap_ci_low", "gap_ci_high"]),
}


def _measures(ix, order: GroupOrder, data, na, code: str, w, design: Design, top: float,
              known: set) -> tuple[dict, dict]:
    """``{measure: (n, columns)}`` of one competency (the measures its columns allow) and the
    Means objects."""
    imp = data[f"imp__{code}"].to_numpy(dtype=float) if f"imp__{code}" in data.columns else None
    sat = data[f"sat__{code}"].to_numpy(dtype=float) if f"sat__{code}" in data.columns else None
    gap = imp - sat if imp is not None and sat is not None else None
    m = {k: None if x is None else means_of(group_sums(order, x, w), conf=design.conf)
         for k, x in (("imp", imp), ("sat", sat), ("gap", gap))}
    out: dict = {}
    for key in ("imp", "sat"):
        mm, col = m[key], f"{key}__{code}"
        if mm is None:
            continue
        cols = {f"n_{key}_na": ix.count(na[col].to_numpy(dtype=bool)).astype(float) if col in known
                else np.full(ix.n_groups, np.nan)}
        for stat, arr in (("mean", "mean"), ("sd", "sd"), ("ci_low", "low"), ("ci_high", "high")):
            cols[f"{key}_{stat}"] = getattr(mm, arr)
        if key == "sat":
            sh = shares_of(group_sums(order, np.where(np.isnan(sat), np.nan, sat >= top), w), conf=design.conf)
            cols.update(n_satisfied=np.where(sh.n > 0, sh.count, np.nan), sat_share=sh.share,
                        sat_share_ci_low=sh.low, sat_share_ci_high=sh.high)
        out[key] = (mm.n, cols)
    if m["gap"] is not None:
        g = m["gap"]
        out["gap"] = (g.n, {"gap": g.mean, "gap_ci_low": g.low, "gap_ci_high": g.high})
    return out, m


def _main_count(data: pd.DataFrame, code: str) -> str:
    """The count column ``n`` copies: the pair's when both axes were rated by somebody, else the
    rated (or only) axis's."""
    rated = [k for k in ("imp", "sat") if f"{k}__{code}" in data.columns and data[f"{k}__{code}"].notna().any()]
    if len(rated) == 2:
        return "n_pair"
    if rated:
        return f"n_{rated[0]}"
    return "n_sat" if f"sat__{code}" in data.columns else "n_imp"


def _wide(long: pd.DataFrame, ix, codes: dict, main: dict) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per group and competency (group order, then competency order) from the
    per-measure rows of ``long_table``: each measure's count and values, blank where that
    measure is hidden; ``suppressed`` when any is."""
    G, J = ix.n_groups, len(codes)
    positions = np.repeat(np.arange(G), J)
    keys = ix.keys()
    out = pd.DataFrame({"level": keys["level"].to_numpy()[positions], "group": keys["group"].to_numpy()[positions],
                        "college": keys["college"].to_numpy()[positions],
                        "competency": np.tile(np.array(list(codes), dtype=object), G),
                        "label": np.tile(np.array(list(codes.values()), dtype=object), G)})
    hidden = np.zeros(len(out), dtype=bool)
    on = ["level", "group", "competency"]
    for measure, (count, cols) in MEASURES.items():
        part = long[long["measure"] == measure] if "measure" in long.columns else long.iloc[0:0]
        part = part.rename(columns={"n": count}).reindex(columns=[*on, count, *cols, "suppressed"])
        part = out[on].merge(part, how="left", on=on)
        absent = part["suppressed"].isna().to_numpy()  # the competency has no such column
        for c in [count, *cols]:
            out[c] = part[c].to_numpy(dtype=float)
        out.loc[absent, count] = 0.0
        hidden |= part["suppressed"].fillna(False).to_numpy(dtype=bool)
    n = np.full(len(out), np.nan)
    for c in set(main.values()):
        sel = out["competency"].map(main).to_numpy() == c
        n[sel] = out.loc[sel, c].to_numpy(dtype=float)
    out["n"] = n
    out["suppressed"] = hidden
    return out, positions


def _long_order(n_groups: int, n_items: int) -> np.ndarray:
    """Where ``long_table(order="group")`` puts item ``k``'s group ``g``: the inverse of its
    row order (group-major), as positions into the items' arrays concatenated item by item."""
    return (np.arange(n_items)[None, :] * n_groups + np.arange(n_groups)[:, None]).ravel()


def _suppression_attrs(long: pd.DataFrame, table: pd.DataFrame, design: Design) -> dict:
    """``suppression_note`` and ``n_suppressed`` of the rows shown (cells hidden only to protect
    another cell are complements, as ``long_table`` counts them)."""
    shown = long.merge(table[["level", "group"]].drop_duplicates(), on=["level", "group"])
    cells = shown["suppressed"].to_numpy(dtype=bool)
    n_comp = int(np.count_nonzero(cells & (shown["_base"].to_numpy(dtype=float) >= design.min_cell)))
    n_rows = int(table["suppressed"].sum())
    note = suppression_note(design.min_cell, n_comp)
    if n_rows:
        note += f"本表有 {n_rows} 行的部分或全部数值被隐藏。"
    return {"suppression_note": note, "n_suppressed": n_rows}


def _notes(table: pd.DataFrame, design: Design, unrated: list) -> tuple[np.ndarray, list]:
    """Per-row notes and the table's notes (hidden groups by name only, never with an n)."""
    mc = design.min_cell
    hidden = table["suppressed"].to_numpy(dtype=bool)
    note = np.full(len(table), "", dtype=object)
    note[hidden] = f"部分或全部数值已隐藏（有效评价少于 {mc} 份，或为防止由合计推算出小组而一并隐藏）"
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
    items, unrated, measures, main = [], [], {}, {}
    for code, label in comps.items():
        parts, measures[code] = _measures(ix, order, prep.data, prep.na_mask, code, w, design, top, known)
        main[code] = _main_count(prep.data, code)
        if all(n[0] == 0 for n, _ in parts.values()):
            unrated.append(label)  # n = 0 everywhere: nothing to estimate, nobody to protect
        for measure, (n, cols) in parts.items():  # one item base per measure: its own hiding decision
            items.append(({"competency": code, "label": label, "measure": measure}, cols, n))
    long = long_table(ix, items, design=design, order="group")
    attrs = dict(long.attrs)
    long = long.assign(_base=np.concatenate([n for _, _, n in items])[_long_order(ix.n_groups, len(items))]) \
        if items else long
    table, positions = _wide(long, ix, comps, main)
    keep = grp.is_shown(positions)  # hiding was decided on every level; show the levels asked for
    table, positions = table[keep].reset_index(drop=True), positions[keep]
    attrs.update(_suppression_attrs(long, table, design))
    table.attrs = attrs
    keys = grp.keys()
    for c in ("level", "college", "group_by"):
        table[c] = keys[c].to_numpy()[positions]
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
        One row per group and competency: ``level, group, college, group_by, n`` (employers
        in the group who rated the competency — both importance and satisfaction where both
        were asked, i.e. ``n_pair``; else the one axis's count), ``competency, label, n_imp,
        n_imp_na`` (NA when 无法评价 cannot be told from missing), ``imp_mean, imp_sd,
        imp_ci_low, imp_ci_high``, ``n_sat, n_sat_na, sat_mean, sat_sd, sat_ci_low,
        sat_ci_high, n_satisfied`` (estimated number satisfied: weighted when the design is),
        ``sat_share, sat_share_ci_low, sat_share_ci_high, n_pair, gap, gap_ci_low,
        gap_ci_high``, ``note`` and ``suppressed``.  A measure hidden for a group has its count
        and values blank (NA), the row ``suppressed``; a group nobody in which rated a measure
        shows 0 and no estimate (nobody to protect).  ``attrs``: ``problems``,
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
