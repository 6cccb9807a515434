"""What every chapter uses: row selection, interval cells, captions, chart wrappers.

Chapters lay findings out; they select and arrange rows of findings tables and never compute
an estimate.  Numbers in sentences are written with :mod:`survey_analysis.wording`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...design import LEVEL_LABELS, SCHOOL
from ...mentions import MAX_QUOTE
from ..model import Figure

__all__ = ["shown", "level", "school", "ci_cells", "clip", "with_level_label", "period", "bar", "ipa_figure",
           "conf_text", "SCHOOL", "LEVEL_LABELS"]


def shown(df: pd.DataFrame | None) -> pd.DataFrame:
    """Rows that are not suppressed."""
    if df is None or not len(df):
        return pd.DataFrame() if df is None else df
    if "suppressed" in df.columns:
        return df[~df["suppressed"].fillna(False).astype(bool)]
    return df


def level(df: pd.DataFrame, lv: str) -> pd.DataFrame:
    return df[df["level"] == lv] if "level" in df.columns else df


def school(df: pd.DataFrame | None) -> pd.Series | None:
    if df is None or not len(df):
        return None
    if "level" in df.columns:
        s = df[df["level"] == "school"]
    elif "group" in df.columns:
        s = df[df["group"] == SCHOOL]
    else:
        return None
    return s.iloc[0] if len(s) else None


def ci_cells(df: pd.DataFrame, value: str, low: str | None = None, high: str | None = None) -> list:
    """``(value, low, high)`` per row, for a ``pct_ci`` cell."""
    low = low or f"{value}_low"
    high = high or f"{value}_high"
    nan = pd.Series(np.nan, index=df.index)
    return list(zip(df[value], df.get(low, nan), df.get(high, nan)))


def clip(text, limit: int = MAX_QUOTE) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def with_level_label(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if "level" in out.columns:
        out["level"] = out["level"].map(LEVEL_LABELS).fillna(out["level"])
    return out


def period(f, what: str) -> str:
    if what == "employer":
        return f"{f.cohort} 年用人单位调查" if f.cohort else "用人单位调查"
    return f"{f.cohort} 届毕业生跟踪调查" if f.cohort else "毕业生跟踪调查"


def conf_text(f) -> str:
    """``95%`` — the confidence level of the run's intervals."""
    return f"{f.design.conf * 100:g}%"


def bar(data, label, value, **kw) -> Figure:
    from ..charts import bar_chart

    return bar_chart(data, label, value, **kw)


def ipa_figure(data, n, period_text, title, imp_line, sat_line) -> Figure:
    from ..charts import ipa_chart

    return ipa_chart(data, "label", "imp_mean", "sat_mean", title=title, caption_n=n, period=period_text,
                     importance_cut=None if imp_line is None or pd.isna(imp_line) else float(imp_line),
                     performance_cut=None if sat_line is None or pd.isna(sat_line) else float(sat_line))
