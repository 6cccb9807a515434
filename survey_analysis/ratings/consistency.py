"""Internal consistency of a rating grid: Cronbach's alpha with Feldt's interval.

Definition (Cronbach 1951): with ``k`` items, item variances ``s_i²`` and the variance of the
total score ``s_T²`` over the respondents who rated every item (listwise),
``α = k / (k − 1) · (1 − Σ s_i² / s_T²)``.  Interval (Feldt 1965):
``(1 − α_true) / (1 − α̂)`` follows an F distribution with ``n − 1`` and ``(n − 1)(k − 1)``
degrees of freedom.  Unweighted: alpha describes the instrument, not a population.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..design import Design
from ..errors import AnalysisError
from .scales import GRID_NAMES, coerce_ratings, records

__all__ = ["AlphaResult", "cronbach_alpha", "reliability"]


@dataclass(frozen=True, eq=False)
class AlphaResult:
    """Cronbach's alpha of a set of items.

    Attributes
    ----------
    alpha : float
    ci_low, ci_high : float
        Feldt's interval.
    n : int
        Respondents with every item rated (listwise).
    k : int
        Number of items.
    n_dropped : int
        Respondents left out because an item was missing.
    conf : float
    problems : DataFrame
        Values that could not be scored.
    """

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    n_dropped: int
    conf: float = 0.95
    problems: pd.DataFrame | None = field(default=None, repr=False)


def cronbach_alpha(df: pd.DataFrame, items: Sequence[str], design: Design | None = None, *,
                   conf: float | None = None, scale=None) -> AlphaResult:
    """Cronbach's alpha with Feldt's confidence interval (listwise complete cases).

    Parameters
    ----------
    df : DataFrame
    items : list of str
        Item columns (at least two).
    design : Design, optional
        Its ``conf`` is the interval's level (``conf=`` overrides it).
    scale : optional
        Answer scale for text in the items (see :func:`coerce_ratings`).

    Returns
    -------
    AlphaResult

    Raises
    ------
    AnalysisError
        Fewer than two items or two complete respondents, or no variance at all.

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5.0], "b": [2, 2, 3, 5, 5.0], "c": [1, 3, 3, 4, 4.0]})
    >>> round(cronbach_alpha(d, ["a", "b", "c"]).alpha, 3)
    0.954
    """
    conf = Design.resolve(design, conf=conf).conf
    items = list(items)
    if len(items) < 2:
        raise AnalysisError("计算克隆巴赫 α 系数（Cronbach's alpha）至少需要两个题项",
                            expected="≥ 2 个题项", found=len(items))
    prep = coerce_ratings(df, items, scale=scale)
    x = prep.data[items].dropna()
    n, k = len(x), len(items)
    if n < 2:
        raise AnalysisError("完整回答全部题项的受访者不足 2 人，无法计算 α 系数",
                            expected="≥ 2 人", found=n, hint="检查题项是否大量缺失或为“无法评价”。")
    item_var = x.var(ddof=1).to_numpy(float)
    total_var = float(x.sum(axis=1).var(ddof=1))
    if total_var == 0:
        raise AnalysisError("所有受访者的总分相同，α 系数无定义", found=f"n={n}")
    alpha = k / (k - 1) * (1 - item_var.sum() / total_var)
    dfn, dfd = n - 1, (n - 1) * (k - 1)
    f_lo = float(stats.f.ppf((1 - conf) / 2, dfn, dfd))
    f_hi = float(stats.f.ppf((1 + conf) / 2, dfn, dfd))
    return AlphaResult(alpha=float(alpha), ci_low=float(1 - (1 - alpha) * f_hi),
                       ci_high=float(1 - (1 - alpha) * f_lo), n=n, k=k, n_dropped=len(df) - n,
                       conf=conf, problems=prep.problems)


def reliability(df: pd.DataFrame, design: Design | None = None, *, prefixes: Sequence[str] = ("imp__", "sat__"),
                conf: float | None = None, scale=None) -> pd.DataFrame:
    """Cronbach's alpha of each rating grid (``imp__*``, ``sat__*`` …).

    Returns
    -------
    DataFrame
        ``grid, grid_zh, k, n, n_dropped, alpha, ci_low, ci_high, note``; a grid that cannot
        be analysed gets NaN and a Chinese ``note`` instead of an exception.

    Examples
    --------
    >>> d = pd.DataFrame({"sat__a": [1, 2, 3, 4, 5.0], "sat__b": [2, 2, 3, 5, 5.0]})
    >>> reliability(d)[["grid", "k", "n"]].values.tolist()
    [['sat__', 2, 5]]
    """
    conf = Design.resolve(design, conf=conf).conf
    rows, problems, notes = [], [], []
    for p in prefixes:
        items = [c for c in df.columns if isinstance(c, str) and c.startswith(p)]
        if not items:
            continue
        row = {"grid": p, "grid_zh": GRID_NAMES.get(p, p), "k": len(items), "n": 0,
               "n_dropped": len(df), "alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "note": ""}
        try:
            prep = coerce_ratings(df, items, scale=scale)
            problems.append(prep.problems)
            rated = [c for c in items if prep.data[c].notna().any()]
            if len(rated) < len(items):
                dropped = [c for c in items if c not in rated]
                notes.append(f"{row['grid_zh']}：{'、'.join(dropped)} 无人评价，未纳入 α 系数。")
            r = cronbach_alpha(prep.data, rated, conf=conf)
            row.update(k=r.k, n=r.n, n_dropped=r.n_dropped, alpha=r.alpha, ci_low=r.ci_low, ci_high=r.ci_high)
            if r.alpha < 0.7:
                row["note"] = "信度偏低（α < 0.7）"
        except AnalysisError as e:
            row["note"] = e.message
            notes.append(f"{row['grid_zh']}：{e.message}")
        rows.append(row)
    table = pd.DataFrame(rows, columns=["grid", "grid_zh", "k", "n", "n_dropped", "alpha", "ci_low", "ci_high",
                                        "note"])
    table.attrs["problems"] = [r for p in problems for r in records(p)]
    table.attrs["notes"] = notes
    table.attrs["conf"] = conf
    return table
