"""Importance–performance analysis (IPA): where each competency lies against stated reference
lines, and which ones the evidence says need work.

Reference lines
---------------
Every group — the school, each college, each major — is placed against the **same** lines,
stated in the table and its notes.  The default is the school-wide mean importance and mean
satisfaction over all competencies (``cross="grand_mean"``: the average of the school row's
item means).  Why:

* lines drawn from each group's own means (the usual spreadsheet IPA) put some items of every
  group below its own average by construction, so every major "has gaps" even when its ratings
  equal the school's in every respect;
* the scale midpoint (3 = 一般, ``cross="midpoint"``) is fixed but uninformative on employer
  surveys, whose item means almost all lie between 3.5 and 4.5;
* a school-wide line is one standard for every major: a major rated like the school sits where
  the school's items sit; one rated lower everywhere sits lower everywhere.

A benchmark (e.g. a provincial survey) can be given as ``cross=(importance, satisfaction)``.

Gap flag
--------
The quadrant is where the point lies on the chart; it is not evidence.  ``gap_flag`` is set only
when the data support a gap: the competency is in the "concentrate here" quadrant (importance on
or above its line, satisfaction below), its mean satisfaction is significantly below the
reference line (one-sample t test against the line), **and** its mean importance is
significantly above its mean satisfaction (paired t test of the gap).  Each family of tests —
every shown row of the table — is adjusted with Benjamini–Hochberg at the design's ``alpha``;
both adjusted p-values must fall below ``alpha`` (an intersection–union test, so the flag's
error rate is that of each family).  The reference line is treated as a stated constant.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import ConfigError
from ..stats import bh_adjust, mean_test_p
from .scales import make_scale
from .summary import summarise

__all__ = ["ipa", "QUADRANTS", "IPA_COLUMNS"]

#: IPA quadrant code -> Chinese name (English term in brackets).
QUADRANTS = {
    "keep_up": "继续保持（Keep up the good work）",
    "concentrate": "重点改进（Concentrate here）",
    "low_priority": "低优先（Low priority）",
    "overkill": "可能过度（Possible overkill）",
}

IPA_COLUMNS = [
    "level", "group", "college", "group_by", "n", "competency", "label",
    "n_imp", "imp_mean", "imp_ci_low", "imp_ci_high", "n_sat", "sat_mean", "sat_ci_low", "sat_ci_high",
    "imp_line", "sat_line", "quadrant", "quadrant_zh", "sat_p_value", "sat_p_adj",
    "n_pair", "gap", "gap_ci_low", "gap_ci_high", "gap_p_value", "gap_p_adj", "gap_flag",
    "suppressed", "note",
]
_CROSS = {"grand_mean": "全校各能力均值的平均", "median": "全校各能力均值的中位数",
          "midpoint": "量表中点"}


def _fixed_cross(cross) -> tuple[float, float]:
    if isinstance(cross, Mapping):
        try:
            return float(cross["imp"]), float(cross["sat"])
        except (KeyError, TypeError, ValueError):
            raise ConfigError("交叉线应写成 {\"imp\": 重要度, \"sat\": 满意度}",
                              expected="例如 {\"imp\": 4.0, \"sat\": 3.8}", found=repr(cross)) from None
    try:
        return float(cross[0]), float(cross[1])
    except (TypeError, ValueError, IndexError, KeyError):
        raise ConfigError("交叉线应为两个数 (重要度, 满意度)", expected="例如 (4.0, 3.8)", found=repr(cross)) from None


def _check_lines(lines: str) -> None:
    if lines == "group":
        raise ConfigError(
            "不再支持按各组自身均值划交叉线（lines=\"group\"）",
            expected="lines=\"school\"（所有组使用同一组全校参考线）",
            found=lines,
            hint="以各组自身均值为界，每个专业都必然有能力落在“重点改进”区，即使没有任何显著差异；"
                 "如需外部基准，请用 cross=(重要度, 满意度) 指定。")
    if lines != "school":
        raise ConfigError("未知的交叉线范围", expected="school（全校参考线）", found=lines)


def _reference(school: pd.DataFrame, cross, scale) -> tuple[float, float]:
    """The (importance, satisfaction) lines: from the school's shown item means, or stated."""
    if not isinstance(cross, str):
        return _fixed_cross(cross)
    if cross not in _CROSS:
        raise ConfigError("未知的交叉线位置", expected="grand_mean、median、midpoint 或 (重要度, 满意度)",
                          found=cross)
    if cross == "midpoint":
        sc = make_scale(scale if scale is not None else "satisfaction5")
        mid = (sc.max_score + sc.min_score) / 2
        return mid, mid
    ok = school["imp_mean"].notna() & school["sat_mean"].notna()
    if not ok.any():
        return np.nan, np.nan
    agg = np.mean if cross == "grand_mean" else np.median
    return float(agg(school.loc[ok, "imp_mean"])), float(agg(school.loc[ok, "sat_mean"]))


def _tests(summary, table: pd.DataFrame, sat_line: float) -> dict:
    """Per row: p-values of satisfaction = line and of gap = 0 where that estimate is shown (NaN
    where it is hidden: a hidden cell is in no family), BH-adjusted."""
    n = len(table)
    out = {k: np.full(n, np.nan) for k in ("sat_p_value", "gap_p_value")}
    codes = table["competency"].to_numpy()
    for key, count, mu0 in (("sat", "n_sat", sat_line), ("gap", "n_pair", 0.0)):
        shown = table[count].notna().to_numpy()
        for code, m in summary.measures.items():
            rows = np.flatnonzero(shown & (codes == code))
            if m[key] is None or not len(rows):
                continue
            pos = summary.positions[rows]
            out[f"{key}_p_value"][rows] = mean_test_p(m[key].mean[pos], m[key].sd[pos], m[key].n_eff[pos], mu0)
    out["sat_p_adj"] = bh_adjust(out["sat_p_value"])
    out["gap_p_adj"] = bh_adjust(out["gap_p_value"])
    return out


def _reference_note(cross, lines_: tuple, design: Design) -> str:
    il, sl = lines_
    where = _CROSS.get(cross, "指定的基准值") if isinstance(cross, str) else "指定的基准值"
    return (f"象限参考线：重要度 {il:.2f}、满意度 {sl:.2f}（{where}），所有组使用同一组参考线。"
            f"“需改进”标记（gap_flag）要求：处于重点改进区、满意度显著低于参考线、重要度显著高于满意度"
            f"（两组检验分别经 Benjamini–Hochberg 校正，错误发现率 {design.alpha:g}）；"
            f"未标记的能力没有足够证据表明存在差距。")


def ipa(
    df: pd.DataFrame,
    design: Design | None = None,
    *,
    competencies=None,
    by=None,
    cross="grand_mean",
    lines: str = "school",
    conf: float | None = None,
    min_cell: int | None = None,
    alpha: float | None = None,
    na_mask: pd.DataFrame | None = None,
    scale=None,
) -> pd.DataFrame:
    """Importance–performance analysis against stated reference lines, with an evidence flag.

    See the module's notes for the choice of reference lines and the flag's tests.

    Parameters
    ----------
    df : DataFrame
        Cleaned employer data; not modified.
    design : Design, optional
    competencies, by, na_mask, scale : optional
        As in :func:`competency_summary` (the same groups hidden).
    cross : {"grand_mean", "median", "midpoint"}, (float, float) or dict, default "grand_mean"
        The reference lines: the mean (or median) of the school row's item means, the scale
        midpoint, or stated values ``(importance, satisfaction)`` / ``{"imp": …, "sat": …}``.
    lines : {"school"}, default "school"
        Every group is read against the school-wide lines (``"group"``, each group against its
        own means, is refused: it manufactures gaps).
    conf, min_cell, alpha : optional
        Override the design's confidence level, small-cell threshold and false-discovery rate.

    Returns
    -------
    DataFrame
        ``level, group, college, group_by, n, competency, label, n_imp, imp_mean, imp_ci_low,
        imp_ci_high, n_sat, sat_mean, sat_ci_low, sat_ci_high, imp_line, sat_line, quadrant``
        (``keep_up``: high importance, high satisfaction; ``concentrate``: high importance, low
        satisfaction; ``low_priority``: both low; ``overkill``: low importance, high
        satisfaction; a value on a line counts as high), ``quadrant_zh, sat_p_value,
        sat_p_adj`` (satisfaction = its line), ``n_pair, gap, gap_ci_low, gap_ci_high,
        gap_p_value, gap_p_adj`` (importance − satisfaction = 0), ``gap_flag``, ``suppressed,
        note``.  ``attrs``: ``cross``, ``lines``, ``imp_line``, ``sat_line``, ``reference`` (the
        Chinese statement of lines and flag), ``alpha``, ``n_flagged`` and those of
        :func:`competency_summary`.

    Examples
    --------
    >>> d = pd.DataFrame({"imp__a": [5.0] * 5, "sat__a": [2.0] * 5, "imp__b": [3.0] * 5, "sat__b": [4.0] * 5})
    >>> ipa(d)[["competency", "quadrant"]].values.tolist()
    [['a', 'concentrate'], ['b', 'overkill']]
    """
    _check_lines(lines)
    d = Design.resolve(design, conf=conf, min_cell=min_cell, alpha=alpha)
    if not isinstance(cross, str):
        _fixed_cross(cross)  # refuse a bad value before any work
    s = summarise(df, d, competencies=competencies, by=by, na_mask=na_mask, scale=scale)
    t = s.table.copy()
    il, sl = _reference(t[t["level"] == "school"], cross, scale)
    t["imp_line"], t["sat_line"] = il, sl
    ok = (t["imp_mean"].notna() & t["sat_mean"].notna()).to_numpy() & np.isfinite(il) & np.isfinite(sl)
    hi_imp = t["imp_mean"].to_numpy(dtype=float) >= il
    hi_sat = t["sat_mean"].to_numpy(dtype=float) >= sl
    q = np.select([hi_imp & hi_sat, hi_imp & ~hi_sat, ~hi_imp & ~hi_sat],
                  ["keep_up", "concentrate", "low_priority"], "overkill").astype(object)
    q[~ok] = None
    t["quadrant"] = q
    t["quadrant_zh"] = t["quadrant"].map(QUADRANTS).astype(object)
    for k, v in _tests(s, t, sl).items():
        t[k] = v
    gap = t["gap"].to_numpy(dtype=float)
    flag = (q == "concentrate") & (t["sat_p_adj"].to_numpy() < d.alpha) & (t["sat_mean"].to_numpy(dtype=float) < sl) \
        & (t["gap_p_adj"].to_numpy() < d.alpha) & (gap > 0)
    t["gap_flag"] = np.where(ok, flag, False)
    notes = list(t.attrs.get("notes", []))
    groups_without = t.loc[~t["suppressed"], :].groupby(["level", "group"], sort=False)["quadrant"].apply(
        lambda x: x.isna().all())
    for (_, g), empty in groups_without.items():
        if empty:
            notes.append(f"「{g}」没有足够的评价，无法划分象限。")
    ref = _reference_note(cross, (il, sl), d) if np.isfinite(il) and np.isfinite(sl) else \
        "全校没有足够的评价，无法确定象限参考线。"
    res = t[IPA_COLUMNS]
    res.attrs = {k: v for k, v in s.table.attrs.items() if k not in ("satisfied", "top_box")}
    res.attrs.update(notes=list(dict.fromkeys(notes + [ref])), reference=ref, lines=lines,
                     cross=cross if isinstance(cross, str) else {"imp": il, "sat": sl},
                     imp_line=il, sat_line=sl, alpha=d.alpha, n_flagged=int(t["gap_flag"].sum()))
    return res
