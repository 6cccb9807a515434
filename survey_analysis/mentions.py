"""Skill mentions as evidence: the share of respondents who name each competency (as a gap, a
strength …) per group, and the comments quoted for it.

``mention_shares`` is the single source of "x% of employers say graduates lack y": the base is
every respondent of the group (commenters or not), a respondent counts once per competency
however often they name it, and the share is a (weighted) Wilson estimate of the kernel with
the kernel's small-cell hiding.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .design import Design
from .stats import GroupIndex, group_shares, long_table

__all__ = ["mention_shares", "pick_quotes", "MAX_QUOTE"]

MAX_QUOTE = 200  # characters of one quoted comment


def mention_shares(mentions: pd.DataFrame | None, data: pd.DataFrame, design: Design | None = None, *,
                   index: GroupIndex | None = None, polarity: str = "gap", **overrides) -> pd.DataFrame:
    """Share of respondents of each group whose comments name each competency with ``polarity``.

    Parameters
    ----------
    mentions : DataFrame
        ``text.extract_skills`` output: ``comment_id`` (the respondent id), ``competency_id``,
        ``competency``, ``polarity``.
    data : DataFrame
        The cleaned survey (``respondent_id`` and the design's group columns): the base.
    design : Design, optional
        Levels (e.g. ``("school", "major")``), conf, min_cell; keyword overrides.

    Returns
    -------
    DataFrame
        ``level, group, college, competency_id, competency, n, count, share, low, high,
        suppressed`` — one row per group and competency named anywhere; within a group by
        count (hidden rows last).  ``attrs["base"]`` states the base.
    """
    design = Design.resolve(design, **{("levels" if k == "by" else k): v for k, v in overrides.items()})
    if index is None:
        index = GroupIndex.build(data, design)
    cols = ["level", "group", "college", "competency_id", "competency", "n", "count", "share", "low", "high",
            "suppressed"]
    if mentions is None or not len(mentions) or "polarity" not in mentions.columns:
        return pd.DataFrame(columns=cols)
    m = mentions.loc[mentions["polarity"] == polarity, ["comment_id", "competency_id", "competency"]]
    ids = pd.Index(data[design.id].astype(str))
    row_of = pd.Series(np.arange(len(ids)), index=ids)
    row_of = row_of[~row_of.index.duplicated()]
    m = m.assign(_row=m["comment_id"].astype(str).map(row_of)).dropna(subset=["_row"])
    counts = m.groupby("competency_id")["_row"].nunique().sort_values(ascending=False, kind="stable")
    labels = m.drop_duplicates("competency_id").set_index("competency_id")["competency"]
    items = []
    for cid in counts.index:
        hit = np.zeros(len(data))
        hit[m.loc[m["competency_id"] == cid, "_row"].astype(int).to_numpy()] = 1.0
        est = group_shares(index, hit, None, conf=design.conf)
        items.append(({"competency_id": cid, "competency": str(labels.get(cid, cid)), "_hits": est.count},
                      {"count": est.count, **est.columns()}, est.n))
    table = long_table(index, items, design=design,
                       attrs={"title": "开放题中提及的能力", "polarity": polarity,
                              "base": "该组全部答卷者；比例 = 在开放题中提及该能力（此极性）的答卷者 / 该组答卷者"})
    if not len(table):
        return pd.DataFrame(columns=cols)
    keep = (table["_hits"] > 0) | table["suppressed"]  # a hidden group keeps every row (see outcomes.placement)
    out = table[keep].copy()
    out["_g"] = out.groupby(["level", "group"], sort=False).ngroup()
    out = out.sort_values(["_g", "suppressed", "_hits"], ascending=[True, True, False], kind="stable")
    out = out.drop(columns=["_g", "_hits"]).reset_index(drop=True)
    out["count"] = out["count"].round().astype("Int64")
    out.attrs.update(table.attrs)
    return out


def _clip(text, limit: int = MAX_QUOTE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def pick_quotes(mentions: pd.DataFrame | None, data: pd.DataFrame, competencies, *, polarity: str = "gap",
                group: tuple | None = None, k: int = 3, context: str = "industry") -> pd.DataFrame:
    """Comments to quote for ``competencies`` (one per competency, up to ``k``).

    For each competency: among the (already redacted) comments of respondents who name it with
    ``polarity`` (in ``group`` = ``(column, value)`` when given), the one whose length is closest
    to 30 characters (at least 6), then the smallest text; a comment is quoted once.

    Returns
    -------
    DataFrame
        ``competency_id, quote, source`` (source: 用人单位 and the respondent's ``context``).
    """
    out_cols = ["competency_id", "quote", "source"]
    if mentions is None or not len(mentions) or data is None:
        return pd.DataFrame(columns=out_cols)
    m = mentions[(mentions["polarity"] == polarity) & mentions["competency_id"].isin(list(competencies))]
    if group is not None and group[0] in m.columns:
        m = m[m[group[0]] == group[1]]
    fields = m["field"] if "field" in m.columns else pd.Series("comment_skills", index=m.index)
    text_cols = [c for c in fields.dropna().unique() if c in data.columns]
    keep = list(dict.fromkeys(["respondent_id", *text_cols, *([context] if context in data.columns else [])]))
    look = data[keep].drop_duplicates("respondent_id").set_index("respondent_id")
    rows, seen = [], set()
    for comp in competencies:
        sel = m["competency_id"] == comp
        cands = []
        for c in text_cols:
            ids = m.loc[sel & (fields == c), "comment_id"]
            for cid, v in zip(ids, ids.map(look[c])):
                if isinstance(v, str) and len(v.strip()) >= 6 and v not in seen:
                    cands.append((abs(len(v) - 30), v, str(cid)))
        if not cands:
            continue
        _, v, cid = min(cands)
        seen.add(v)
        src = "用人单位"
        if context in look.columns and isinstance(look.loc[cid, context] if cid in look.index else None, str):
            src += f"，{look.loc[cid, context]}"
        rows.append({"competency_id": comp, "quote": _clip(v), "source": src})
        if len(rows) >= k:
            break
    return pd.DataFrame(rows, columns=out_cols)
