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

__all__ = ["mention_shares", "tool_shares", "explode_tools", "pick_quotes", "MAX_QUOTE"]

MAX_QUOTE = 200  # characters of one quoted comment


def _item_shares(rows: pd.DataFrame, data: pd.DataFrame, design: Design, index: GroupIndex, *, key: str,
                 attrs: dict, extra: dict | None = None) -> pd.DataFrame:
    """Per group, the share of respondents (rows of ``data``) with each ``key`` of ``rows``.

    ``rows``: ``comment_id`` (the respondent id) and ``key`` (and the columns of ``extra``, a
    map column → value per key).  One long table on the kernel: a base per key (every
    respondent of the group), its own hiding decision; keys in order of their respondents.
    """
    ids = pd.Index(data[design.id].astype(str))
    row_of = pd.Series(np.arange(len(ids)), index=ids)
    row_of = row_of[~row_of.index.duplicated()]
    r = rows.assign(_row=rows["comment_id"].astype(str).map(row_of)).dropna(subset=["_row"])
    counts = r.groupby(key)["_row"].nunique().sort_values(ascending=False, kind="stable")
    items = []
    for k in counts.index:
        hit = np.zeros(len(data))
        hit[r.loc[r[key] == k, "_row"].astype(int).to_numpy()] = 1.0
        est = group_shares(index, hit, None, conf=design.conf)
        keys = {key: k, **{c: m.get(k) for c, m in (extra or {}).items()}, "_hits": est.count}
        items.append((keys, {"count": est.count, **est.columns()}, est.n))
    table = long_table(index, items, design=design, attrs=attrs)
    if not len(table):
        return table
    keep = (table["_hits"] > 0) | table["suppressed"]  # a hidden group keeps every row (see outcomes.placement)
    out = table[keep].copy()
    out["_g"] = out.groupby(["level", "group"], sort=False).ngroup()
    out = out.sort_values(["_g", "suppressed", "_hits"], ascending=[True, True, False], kind="stable")
    out = out.drop(columns=["_g", "_hits"]).reset_index(drop=True)
    out["count"] = out["count"].round().astype("Int64")
    out.attrs.update(table.attrs)
    return out


def _design(design: Design | None, overrides: dict) -> Design:
    return Design.resolve(design, **{("levels" if k == "by" else k): v for k, v in overrides.items()})


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
    design = _design(design, overrides)
    index = index if index is not None else GroupIndex.build(data, design)
    cols = ["level", "group", "college", "competency_id", "competency", "n", "count", "share", "low", "high",
            "suppressed"]
    if mentions is None or not len(mentions) or "polarity" not in mentions.columns:
        return pd.DataFrame(columns=cols)
    m = mentions.loc[mentions["polarity"] == polarity, ["comment_id", "competency_id", "competency"]]
    labels = m.drop_duplicates("competency_id").set_index("competency_id")["competency"].astype(str).to_dict()
    out = _item_shares(m, data, design, index, key="competency_id", extra={"competency": labels},
                       attrs={"title": "开放题中提及的能力", "polarity": polarity,
                              "base": "该组全部答卷者；比例 = 在开放题中提及该能力（此极性）的答卷者 / 该组答卷者"})
    return out if len(out) else pd.DataFrame(columns=cols)


def explode_tools(mentions: pd.DataFrame, polarity=None) -> pd.DataFrame:
    """``comment_id, tool, competency_id``: one row per tool named in a mention row."""
    m = mentions
    if polarity is not None:
        m = m[m["polarity"].isin([polarity] if isinstance(polarity, str) else list(polarity))]
    m = m[m["tool"].fillna("").astype(str) != ""]
    if not len(m):
        return pd.DataFrame({"comment_id": pd.Series(dtype=object), "tool": pd.Series(dtype=object),
                             "competency_id": pd.Series(dtype=object)})
    t = m[["comment_id", "tool", "competency_id"]].assign(tool=m["tool"].astype(str).str.split(";"))
    t = t.explode("tool")
    return t[t["tool"] != ""].reset_index(drop=True)


def tool_shares(mentions: pd.DataFrame | None, data: pd.DataFrame, design: Design | None = None, *,
                index: GroupIndex | None = None, polarity=None, **overrides) -> pd.DataFrame:
    """Which tools the comments name: per group, the share of respondents naming each tool.

    Returns
    -------
    DataFrame
        ``level, group, college, tool, competency_id, field, n, count, share, low, high, rank,
        suppressed``: one row per group and tool named in it; ``field`` is the tool's field of
        study in the catalogue; ``rank`` 1 = the group's most named tool.
    """
    from .text import load_tool_catalogue

    design = _design(design, overrides)
    index = index if index is not None else GroupIndex.build(data, design)
    cols = ["level", "group", "college", "tool", "competency_id", "field", "n", "count", "share", "low", "high",
            "rank", "suppressed"]
    if mentions is None or not len(mentions) or "tool" not in mentions.columns:
        return pd.DataFrame(columns=cols)
    t = explode_tools(mentions, polarity)
    cat = load_tool_catalogue()
    field_of = {e["name"]: cat["groups"].get(e.get("group"), "") for e in cat["tools"]}
    comp = t.drop_duplicates("tool").set_index("tool")["competency_id"].to_dict()
    out = _item_shares(t, data, design, index, key="tool",
                       extra={"competency_id": comp, "field": {k: field_of.get(k, "") for k in comp}},
                       attrs={"title": "评论中提到的工具", "polarity": polarity,
                              "base": "该组全部答卷者；比例 = 评论中提到该工具的答卷者 / 该组答卷者"})
    if not len(out):
        return pd.DataFrame(columns=cols)
    shown = ~out["suppressed"].astype(bool)
    out["rank"] = pd.array([None] * len(out), dtype="Int64")
    out.loc[shown, "rank"] = out[shown].groupby(["level", "group"], sort=False).cumcount() + 1
    return out[cols]


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
