"""Numbers in Chinese sentences: one way to write a share, an interval, a sum of money, a count.

Used wherever the analysis states a finding in words (highlights, recommendation evidence), so
that a sentence shows a number exactly as the tables do (half away from zero, like Excel).
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from .stats.intervals import default_conf

__all__ = ["missing", "pct", "pct_ci", "num", "num_ci", "money", "count"]

DASH = "—"


def missing(x) -> bool:
    """None, NaN, pd.NA and NaT are missing."""
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def _round(x: float, places: int, scale: float = 1) -> str:
    d = Decimal(repr(float(x))) * Decimal(repr(scale))
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{abs(q) if q == 0 else q:,.{places}f}"


def pct(x, places: int = 1) -> str:
    """``0.8203`` → ``"82.0%"``."""
    return DASH if missing(x) else f"{_round(x, places, 100)}%"


def pct_ci(x, low, high, conf: float | None = None) -> str:
    """``82.0%（95%置信区间 80.6–83.4%）``."""
    if missing(x):
        return DASH
    if missing(low) or missing(high):
        return pct(x)
    conf = default_conf(conf)
    return f"{pct(x)}（{conf * 100:g}%置信区间 {_round(low, 1, 100)}–{_round(high, 1, 100)}%）"


def num(x, places: int = 2) -> str:
    return DASH if missing(x) else _round(x, places)


def num_ci(x, low, high, conf: float | None = None, places: int = 2) -> str:
    if missing(x):
        return DASH
    if missing(low) or missing(high):
        return num(x, places)
    conf = default_conf(conf)
    return f"{num(x, places)}（{conf * 100:g}%置信区间 {num(low, places)}–{num(high, places)}）"


def money(x) -> str:
    return DASH if missing(x) else f"¥{_round(x, 0)}"


def count(x) -> str:
    return DASH if missing(x) else _round(x, 0)
