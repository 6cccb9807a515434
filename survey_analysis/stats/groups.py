"""The group index: which rows make up each school / college / major group, built once per frame.

:class:`GroupIndex` is built once for a cleaned frame and a :class:`~survey_analysis.design.Design`
and passed explicitly to every estimator; nothing is cached behind the caller's back.  Groups
are numbered in the order tables show them: the school first, then colleges, then majors, each
level sorted by its number of respondents (largest first, ties by name).

Plain definition (``tests/stats/test_groups.py`` compares with it): the rows of college ``c``
are ``df.index[df["college"].str.strip() == c]``; of major ``m`` likewise; the school is every
row; a major's college is the most frequent college among its rows (ties: the first by name).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..design import LEVEL_LABELS, LEVELS, SCHOOL, Design
from .codes import text_codes

__all__ = ["GroupIndex"]


@dataclass(frozen=True, eq=False)
class GroupIndex:
    """Groups of one frame at the design's levels.

    Attributes
    ----------
    table : DataFrame
        One row per group in table order: ``level``, ``group``, ``college`` (a major's college;
        NaN for the school and colleges), ``size`` (respondents in the frame).
    codes : dict of str to ndarray
        Per level, each row's group number (a position in ``table``) or ``-1``.
    notes : tuple of str
        Chinese remarks (a level missing from the data, respondents without a major …).
    n_rows : int
    """

    table: pd.DataFrame
    codes: dict
    notes: tuple
    n_rows: int
    bins: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------------------------
    @classmethod
    def build(cls, df: pd.DataFrame, design: Design | None = None, *, levels=None) -> "GroupIndex":
        """Group the rows of ``df`` at ``levels`` (default: the design's levels)."""
        design = design or Design()
        levels = design.levels if levels is None else Design.resolve(design, levels=tuple(levels)).levels
        cols = {"college": design.college, "major": design.major}
        n = len(df)
        parts, notes = [], []
        level_codes: dict = {}
        offset = 0
        for lv in levels:
            if lv == "school":
                parts.append(pd.DataFrame({"level": ["school"], "group": [SCHOOL], "college": [np.nan],
                                           "size": [n]}))
                level_codes["school"] = np.zeros(n, dtype=np.intp)
                offset += 1
                continue
            col = cols[lv]
            if col not in df.columns:
                notes.append(f"数据中没有「{LEVEL_LABELS[lv]}」列，未按{LEVEL_LABELS[lv]}分组。")
                continue
            codes, labels = text_codes(df[col])
            n_missing = int(np.count_nonzero(codes < 0))
            if n_missing:
                notes.append(f"{n_missing} 名答卷者的{LEVEL_LABELS[lv]}缺失，只计入全校。")
            sizes = np.bincount(codes[codes >= 0], minlength=len(labels))
            names = np.array([str(x) for x in labels], dtype=object)
            order = sorted(range(len(labels)), key=lambda k: (-sizes[k], names[k]))
            rank = np.empty(len(labels), dtype=np.intp)
            rank[order] = np.arange(len(labels))
            college = [np.nan] * len(labels)
            if lv == "major" and cols["college"] in df.columns:
                college = _college_of(codes, len(labels), *text_codes(df[cols["college"]]))
            parts.append(pd.DataFrame({"level": lv, "group": names[order],
                                       "college": [college[k] for k in order],
                                       "size": sizes[order]}))
            level_codes[lv] = (np.where(codes < 0, -1, rank[np.maximum(codes, 0)] + offset).astype(np.intp)
                               if len(labels) else np.full(n, -1, dtype=np.intp))
            offset += len(labels)
        table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["level", "group", "college", "size"])
        table["size"] = table["size"].astype(np.int64)
        # each level's codes with "no group" as one extra bin past the last group: sums over a
        # level are one bincount without selecting rows (see :meth:`sum`)
        g = len(table)
        bins = {lv: np.where(c < 0, g, c) for lv, c in level_codes.items() if lv != "school"}
        return cls(table=table, codes=level_codes, notes=tuple(notes), n_rows=n, bins=bins)

    # ------------------------------------------------------------------------------------
    @property
    def n_groups(self) -> int:
        return len(self.table)

    @property
    def levels(self) -> tuple:
        return tuple(lv for lv in LEVELS if lv in self.codes)

    def positions(self, level: str) -> np.ndarray:
        """Table positions of the groups of ``level``."""
        return np.flatnonzero(self.table["level"].to_numpy() == level)

    def rows(self, k: int) -> np.ndarray:
        """Row positions of group ``k`` (ascending): the plain definition of the groups."""
        lv = self.table["level"].iat[k]
        return np.flatnonzero(self.codes[lv] == k)

    def keys(self) -> pd.DataFrame:
        """``level, group, college`` of every group (a new frame)."""
        return self.table[["level", "group", "college"]].copy()

    def sum(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Per group, the sum of ``values`` over its rows where ``mask`` holds.

        Plain definition: ``[values[rows(k)][mask[rows(k)]].sum() for k in groups]``.
        """
        v = np.asarray(values, dtype=float)
        if mask is not None:
            v = np.where(mask, v, 0.0)
        out = np.zeros(self.n_groups + 1, dtype=float)
        for lv, codes in self.codes.items():
            if lv == "school":
                out[codes[0] if len(codes) else 0] += v.sum()
            else:
                out += np.bincount(self.bins[lv], weights=v, minlength=self.n_groups + 1)
        return out[: self.n_groups]

    def count(self, mask: np.ndarray | None = None) -> np.ndarray:
        """Per group, the number of its rows where ``mask`` holds."""
        ones = np.ones(self.n_rows) if mask is None else np.asarray(mask, dtype=float)
        return np.rint(self.sum(ones)).astype(np.int64)

    def broadcast(self, per_group: np.ndarray, level: str) -> np.ndarray:
        """Each row's value of its ``level`` group (NaN for rows in none)."""
        codes = self.codes[level]
        vals = np.asarray(per_group, dtype=float)
        return np.where(codes >= 0, vals[np.maximum(codes, 0)], np.nan)

    def additive_sets(self) -> list:
        """``[(parent, children), ...]``: groups whose totals add up to a shown total.

        Colleges add up to the school, majors add up to the school and majors of one college to
        that college (as far as the data's rows say so).  Disclosure control
        (:mod:`survey_analysis.stats.disclosure`) keeps every such set safe from subtraction.
        """
        t = self.table
        lv = t["level"].to_numpy()
        school = np.flatnonzero(lv == "school")
        out = []
        colleges = np.flatnonzero(lv == "college")
        majors = np.flatnonzero(lv == "major")
        if len(school):
            if len(colleges):
                out.append((int(school[0]), colleges))
            if len(majors):
                out.append((int(school[0]), majors))
        if len(colleges) and len(majors):
            pos_of = {t["group"].iat[k]: int(k) for k in colleges}
            mc = t["college"].to_numpy()[majors]
            for name, k in pos_of.items():
                kids = majors[np.array([c == name for c in mc], dtype=bool)]
                if len(kids):
                    out.append((k, kids))
        return out


def _college_of(codes: np.ndarray, n_groups: int, ccodes: np.ndarray, cnames) -> list:
    """The most frequent college of each group (ties: the first by name; NaN when none)."""
    ok = (codes >= 0) & (ccodes >= 0)
    k = max(len(cnames), 1)
    m = np.bincount(codes[ok] * k + ccodes[ok], minlength=n_groups * k).reshape(n_groups, k)
    out = []
    names = [str(x) for x in cnames]
    for k in range(n_groups):
        row = m[k]
        if not row.any():
            out.append(np.nan)
            continue
        best = np.flatnonzero(row == row.max())
        out.append(min(names[i] for i in best))
    return out
