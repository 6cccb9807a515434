"""What the ratings statistics share: the design and the groups of a call, the competencies of a
frame, the base of a rating column (on which every table hides the same groups), a mean's test
against a stated value, and the attrs every table carries.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from ..design import LEVEL_LABELS, LEVELS, Design
from ..errors import AnalysisError, ConfigError, SurveyError
from ..stats import GroupIndex
from .scales import CoercedRatings, competency_labels, records

__all__ = ["Grouping", "grouping", "competency_codes", "item_base",
           "finish"]


@dataclass(frozen=True)
class Grouping:
    """The groups of one call: the kernel's index, the levels shown and how they are named.

    The index holds every level of the design present in the data (school, college, major)
    even when a table shows fewer (``shown``): the hiding decision for a base is made once on
    the whole structure, so a table by major and a table by college and major on the same base
    hide the same groups (a major hidden in one cannot be worked out from its college in the
    other).  ``names`` maps an index level to the name printed in the ``level`` column
    (``"major"`` → ``"industry"`` when the groups are another column's values); ``columns``
    maps a level to the data column behind it (the ``group_by`` column).
    """

    index: GroupIndex
    names: dict
    columns: dict
    shown: tuple

    def keys(self) -> pd.DataFrame:
        """``level, group, college, group_by`` of every group of the index, as the output shows them."""
        k = self.index.keys()
        lv = k["level"].to_numpy(dtype=object)
        k["group_by"] = [self.columns.get(x) for x in lv]
        k["level"] = [self.names.get(x, x) for x in lv]
        if self.names:  # the groups are another column's values: no college
            k["college"] = np.nan
        return k

    def is_shown(self, positions: np.ndarray) -> np.ndarray:
        """Whether the groups at these index positions are at a level the table shows."""
        lv = self.index.table["level"].to_numpy(dtype=object)[np.asarray(positions, dtype=np.intp)]
        return np.isin(lv, list(self.shown))

    def notes(self) -> list:
        """The index's remarks about the levels shown (missing values …)."""
        labels = [LEVEL_LABELS[lv] for lv in self.shown if lv != "school"]
        notes = [n for n in self.index.notes if any(lab in n for lab in labels) or "分组列" in n]
        if self.names:  # the index calls the groups of another column "专业"
            notes = [n.replace(LEVEL_LABELS["major"], f"「{self.names['major']}」") for n in notes]
        return notes


def _requested(design: Design, by) -> tuple[list, str | None]:
    names = [] if by is None else ([by] if isinstance(by, str) else list(by))
    levels, custom = ["school"], None
    for b in names:
        if b == "school":
            continue
        if b in ("major", design.major):
            levels.append("major")
        elif b in ("college", design.college):
            levels.append("college")
        elif custom is None:
            custom = str(b)
        else:
            raise ConfigError("一次只能按一个非院系专业的列分组", expected="例如 by=\"industry\"",
                              found="、".join(map(str, names)))
    if custom is not None and len(levels) > 1:
        raise ConfigError("按其他列分组时不能同时按学院或专业分组", found="、".join(map(str, names)),
                          hint="请分别调用。")
    return levels, custom


def grouping(df: pd.DataFrame, design: Design, by) -> Grouping:
    """The groups of ``df`` for ``by`` (the school row always comes first).

    ``by``: ``None`` (the school only), a level (``"college"``, ``"major"``) or the design's
    column of one, several of them, or the name of another column (``"industry"``: its values
    are the groups, one level under the school).
    """
    requested, custom = _requested(design, by)
    cols = {"major": custom or design.major, "college": design.college}
    missing = [cols[lv] for lv in requested[1:] if cols[lv] not in df.columns] + \
        ([custom] if custom is not None and custom not in df.columns else [])
    if missing:
        raise SurveyError.missing_columns(list(dict.fromkeys(missing)), df.columns, what="分组列")
    if custom is not None:
        levels = ("school", "major")
    else:
        want = set(requested) | set(design.levels)
        levels = tuple(lv for lv in LEVELS if lv in want and (lv == "school" or cols[lv] in df.columns))
    # a column with no value at all has no groups (GroupIndex.build cannot take it)
    empty = [lv for lv in levels[1:] if not df[cols[lv]].notna().any()]
    levels = tuple(lv for lv in levels if lv not in empty)
    d = design if custom is None else design.replace(major=custom)
    index = GroupIndex.build(df, d, levels=levels)
    if empty:
        index = dataclasses.replace(index, notes=index.notes + tuple(
            f"分组列「{cols[lv]}」全部缺失，只有全校行。" for lv in empty if lv in requested))
    return Grouping(index=index, names={"major": custom} if custom is not None else {},
                    columns={lv: cols[lv] for lv in levels if lv != "school"},
                    shown=levels if custom is not None else tuple(lv for lv in levels if lv in requested))


def competency_codes(df: pd.DataFrame, competencies=None) -> dict:
    """``{code: label}`` of the competencies to analyse (questionnaire order, then others)."""
    builtin = competency_labels("employer")
    if competencies is None:
        present = {c.split("__", 1)[1] for c in df.columns
                   if isinstance(c, str) and c.startswith(("imp__", "sat__"))}
        out = {k: v for k, v in builtin.items() if k in present}
        for code in sorted(present - set(out)):
            out[code] = code
        if not out:
            raise AnalysisError(
                "数据中没有能力评价列", expected="imp__<能力代码> 或 sat__<能力代码> 列",
                found="、".join(map(str, list(df.columns)[:30])),
                hint="请先用 clean() 清洗用人单位问卷，或用 competencies 参数指明能力代码。")
        return out
    if isinstance(competencies, Mapping):
        out = {str(k): str(v) for k, v in competencies.items()}
    elif isinstance(competencies, str):
        out = {competencies: builtin.get(competencies, competencies)}
    else:
        out = {str(k): builtin.get(str(k), str(k)) for k in competencies}
    absent = [k for k in out if f"imp__{k}" not in df.columns and f"sat__{k}" not in df.columns]
    if absent:
        raise SurveyError.missing_columns(
            [f"imp__{k}/sat__{k}" for k in absent],
            [c for c in df.columns if isinstance(c, str) and c.startswith(("imp__", "sat__"))])
    return out


def item_base(data: pd.DataFrame, item: str, weights=None) -> np.ndarray:
    """The base of a rating column: its raters (with a positive weight when weighted).

    Every table that shows a column's statistics by group hides the groups
    :func:`survey_analysis.stats.protect` picks for this base (the competency table's importance
    and satisfaction columns, the comparisons of that column), so a group hidden in one table
    cannot be worked out from another.
    """
    base = data[item].notna().to_numpy()
    return base if weights is None else base & (np.asarray(weights, dtype=float) > 0)


def finish(table: pd.DataFrame, prep: CoercedRatings | None, notes: list, **attrs) -> pd.DataFrame:
    """Add ``problems`` (plain records), ``notes`` (no repeats) and ``attrs`` to ``table``."""
    table.attrs["problems"] = records(prep.problems) if prep is not None else []
    table.attrs["notes"] = list(dict.fromkeys((prep.notes if prep is not None else []) + notes))
    table.attrs.update(attrs)
    return table
