"""Tables for people: Chinese column names, percentages and intervals formatted.

:func:`pretty` turns an analysis table (English machine column names, shares as fractions,
intervals in ``*_low`` / ``*_high`` columns) into a table a researcher reads in Jupyter or pastes
into a document: ``82.0%（80.6%–83.4%）``.  It never changes the numbers, only how they read.
"""
from __future__ import annotations

import math

import pandas as pd

__all__ = ["pretty", "LABELS"]

#: machine column name → Chinese header (the analysis modules add their own via ``labels=``)
LABELS = {
    "level": "层级", "group": "组别", "group_by": "分组", "college": "学院", "major": "专业",
    "industry": "行业", "cohort": "届别", "n": "样本量", "share": "占比", "count": "人数",
    "competency": "能力代码", "label": "能力", "competency_label": "能力", "quadrant_zh": "IPA 象限",
    "imp_mean": "重要度均值", "sat_mean": "满意度均值", "sat_share": "满意比例", "gap": "差距（重要−满意）",
    "fulfilment": "能力满足度", "fulfilment_band": "满足度等级", "alpha": "Cronbach α",
    "p": "p 值", "p_adj": "校正 p 值（BH）", "effect_size": "效应量", "odds_ratio": "优势比（OR）",
    "reading": "解读", "suppressed": "已隐藏（小样本）", "note": "说明",
}

_PCT_HINTS = ("rate", "share", "pct", "proportion")


def _is_pct(col: str, s: pd.Series) -> bool:
    if not any(h in col for h in _PCT_HINTS):
        return False
    v = pd.to_numeric(s, errors="coerce").dropna()
    return len(v) > 0 and v.between(0, 1).all()


def _fmt_pct(x) -> str:
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x * 100:.1f}%"


def _fmt_num(x, digits=2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, (int,)) or (isinstance(x, float) and x.is_integer() and abs(x) >= 100):
        return f"{int(round(x)):,}"
    return f"{x:.{digits}f}"


def pretty(table: pd.DataFrame, *, labels: dict | None = None, digits: int = 2,
           keep_intervals: bool = False) -> pd.DataFrame:
    """Return a display copy: intervals merged, percentages formatted, Chinese headers.

    Parameters
    ----------
    table : DataFrame
        An analysis table; not modified.
    labels : dict, optional
        More machine name → Chinese header pairs (e.g. ``survey_analysis.outcomes.LABELS``).
    digits : int, default 2
        Decimals for means and other numbers.
    keep_intervals : bool, default False
        Keep the ``*_low`` / ``*_high`` columns as well.

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["全校"], "n": [200], "placement_rate": [0.82],
    ...                   "placement_rate_low": [0.76], "placement_rate_high": [0.87]})
    >>> pretty(t, labels={"placement_rate": "落实率"}).iloc[0].tolist()
    ['全校', '200', '82.0%（76.0%–87.0%）']
    """
    names = dict(LABELS)
    names.update(labels or {})
    out = pd.DataFrame(index=table.index)
    cols = list(table.columns)
    skip = set()
    for c in cols:
        if c in skip:
            continue
        s = table[c]
        lo, hi = None, None
        for a, b in ((f"{c}_low", f"{c}_high"), (f"{c}_ci_low", f"{c}_ci_high")):
            if a in table.columns and b in table.columns:
                lo, hi = a, b
        if c.endswith(("_mean",)) and lo is None:
            base = c[: -len("_mean")]
            if f"{base}_ci_low" in table.columns:
                lo, hi = f"{base}_ci_low", f"{base}_ci_high"
        if pd.api.types.is_bool_dtype(s):
            out[names.get(c, c)] = s.map({True: "是", False: ""})
            continue
        if pd.api.types.is_numeric_dtype(s):
            pct = _is_pct(c, s)
            f = _fmt_pct if pct else (lambda x: _fmt_num(x, digits))
            if lo is not None:
                txt = [
                    (f(v) + (f"（{f(a)}–{f(b)}）" if not (isinstance(a, float) and math.isnan(a)) else ""))
                    if not (isinstance(v, float) and math.isnan(v)) else ""
                    for v, a, b in zip(s, table[lo], table[hi])
                ]
                out[names.get(c, c)] = txt
                if not keep_intervals:
                    skip.update({lo, hi})
            else:
                out[names.get(c, c)] = [f(v) for v in s]
        else:
            out[names.get(c, c)] = s.astype(object).where(s.notna(), "")
    return out
