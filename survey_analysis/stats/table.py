"""Grouped estimates → published tables: one row per group (and item), small cells hidden.

:func:`group_table` and :func:`long_table` are the only way the statistics modules turn the
kernel's per-group arrays into the tables that findings hold: the school row first, then
colleges and majors by size; ``n`` is the base's respondents; every value of a hidden group
(its ``n`` included) is blanked, with ``suppressed`` = True; ``attrs`` say how it was made.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import AnalysisError
from .disclosure import apply_hidden, protect, suppression_note
from .groups import GroupIndex

__all__ = ["group_table", "long_table", "weights_of", "weighting_attrs"]

_KEYS = ("level", "group", "college")


def weights_of(df: pd.DataFrame, design: Design) -> np.ndarray | None:
    """The design's weight column as floats (``None`` unweighted); refuses missing / negative."""
    if design.weight is None:
        return None
    if design.weight not in df.columns:
        raise AnalysisError.missing_columns([design.weight], list(map(str, df.columns)), what="权重列")
    w = pd.to_numeric(df[design.weight], errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(w) | (w < 0) | ~np.isfinite(np.nan_to_num(w, nan=0.0))
    if bad.any():
        raise AnalysisError(
            f"权重列「{design.weight}」中有 {int(bad.sum())} 个缺失、负数或无穷大",
            column=design.weight, expected="非负有限数字",
            hint="请用 poststratify() 或 rake() 生成权重；不在人口文件中的专业会使用平均权重。")
    return w


def weighting_attrs(df: pd.DataFrame, design: Design) -> dict:
    """``weighted`` and the Chinese sentence ``weighting`` for a table's attrs."""
    if design.weight is None:
        return {"weighted": False, "weighting": "未加权（unweighted）：每位答卷者权重相同。"}
    desc = df.attrs.get("weighting") or f"加权（weighted），权重列「{design.weight}」。"
    return {"weighted": True, "weight_col": design.weight,
            "weighting": desc + " 比例与均值的置信区间按 Kish 有效样本量（设计效应）调整。"}


def _attrs(design: Design, hidden: np.ndarray, primary: np.ndarray, attrs: Mapping | None) -> dict:
    n_hidden = int(np.count_nonzero(hidden))
    note = suppression_note(design.min_cell, int(np.count_nonzero(hidden & ~primary)))
    if n_hidden:
        note += f"本表有 {n_hidden} 行被隐藏。"
    return {"conf": design.conf, "min_cell": design.min_cell, **(attrs or {}),
            "suppression_note": note, "n_suppressed": n_hidden}


def group_table(index: GroupIndex, columns: Mapping[str, np.ndarray], *, n, design: Design,
                attrs: Mapping | None = None, hidden=None, counts: Sequence[str] = ()) -> pd.DataFrame:
    """One row per group of ``index``: ``level, group, college, n`` and ``columns``.

    ``n`` is the base's respondents per group; groups hidden by
    :func:`~survey_analysis.stats.disclosure.protect` (or by ``hidden`` when the caller combines
    several bases, e.g. two cohorts) have every value blanked.  ``counts`` names integer count
    columns (stored as ``Int64``).
    """
    n = np.asarray(n, dtype=float)
    primary = (np.nan_to_num(n, nan=0.0) > 0) & (np.nan_to_num(n, nan=0.0) < design.min_cell)
    if hidden is None:
        hidden = protect(index, n, design.min_cell)
    table = index.keys()
    table["n"] = n
    for name, values in columns.items():
        table[name] = values
    out = apply_hidden(table, hidden)
    out["n"] = out["n"].round().astype("Int64")
    for c in counts:
        out[c] = out[c].round().astype("Int64")
    out.attrs.update(_attrs(design, np.asarray(hidden, dtype=bool), primary, attrs))
    return out


def long_table(index: GroupIndex, items: Sequence[tuple], *, design: Design, attrs: Mapping | None = None,
               counts: Sequence[str] = (), order: str = "group") -> pd.DataFrame:
    """One row per group and item; each item has its own base and its own hiding decision.

    ``items``: ``[(keys, columns, n), ...]`` — ``keys`` a dict of the item's identifying
    columns (e.g. ``{"item": "relevance"}``), ``columns`` a dict of per-group arrays, ``n`` the
    item's base per group.  Rows are ordered by group, then item (``order="group"``) or by
    item, then group (``order="item"``).
    """
    frames, primaries, hiddens = [], [], []
    for k, (keys, columns, n) in enumerate(items):
        n = np.asarray(n, dtype=float)
        hidden = protect(index, n, design.min_cell)
        t = index.keys()
        for key, val in keys.items():
            t[key] = val
        t["n"] = n
        for name, values in columns.items():
            t[name] = values
        t["_item"] = k
        t["_group"] = np.arange(index.n_groups)
        frames.append(apply_hidden(t, hidden, keep=(*_KEYS, *keys, "_item", "_group")))
        primaries.append((np.nan_to_num(n, nan=0.0) > 0) & (np.nan_to_num(n, nan=0.0) < design.min_cell))
        hiddens.append(hidden)
    if not frames:
        out = index.keys().iloc[0:0].assign(n=pd.Series(dtype="Int64"))
        out["suppressed"] = pd.Series(dtype=bool)
        out.attrs.update(_attrs(design, np.zeros(0, bool), np.zeros(0, bool), attrs))
        return out
    out = pd.concat(frames, ignore_index=True)
    sort = ["_group", "_item"] if order == "group" else ["_item", "_group"]
    out = out.sort_values(sort, kind="stable").drop(columns=["_item", "_group"]).reset_index(drop=True)
    cols = [c for c in out.columns if c != "suppressed"] + ["suppressed"]
    out = out[cols]
    out["n"] = out["n"].round().astype("Int64")
    for c in counts:
        out[c] = out[c].round().astype("Int64")
    out.attrs.update(_attrs(design, np.concatenate(hiddens), np.concatenate(primaries), attrs))
    return out
