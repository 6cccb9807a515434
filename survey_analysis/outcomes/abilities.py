"""能力满足度 (MyCOS): per competency, the graduates' own level at graduation against the level
their job requires.

``fulfilment = mean(own level) / mean(required level)`` — a ratio of means (a fraction, shown
as a percentage), on the respondents who rated both the required and their own level of that
competency (pairwise complete; 无法评价 is missing).  Importance is the mean ``gimp__`` score
of those who rated it.  Bands: ≥ 90% 满足, 85–90% 基本满足, 75–85% 不太满足, < 75% 不满足.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import AnalysisError
from ..stats import GroupIndex, group_means, long_table
from .base import prepare, resolve
from .labels import COMPETENCY_LABELS, FULFILMENT_BANDS, TABLE_TITLES

__all__ = ["ability_fulfilment", "fulfilment_band", "competencies_rated"]


def fulfilment_band(value: float) -> str | None:
    """MyCOS band of a 能力满足度 (a fraction): ≥0.90 满足, 0.85–0.90 基本满足, 0.75–0.85 不太满足, <0.75 不满足.

    Examples
    --------
    >>> fulfilment_band(0.90), fulfilment_band(0.899), fulfilment_band(0.75), fulfilment_band(0.749)
    ('满足', '基本满足', '不太满足', '不满足')
    """
    if value is None or pd.isna(value):
        return None
    for lower, label in FULFILMENT_BANDS:
        if value >= lower:
            return label
    return None  # pragma: no cover


def competencies_rated(df: pd.DataFrame) -> list[str]:
    """Codes with both ``greq__`` and ``gown__`` columns that someone rated on both."""
    codes = [c[len("greq__"):] for c in map(str, df.columns)
             if c.startswith("greq__") and f"gown__{c[len('greq__'):]}" in df.columns]
    return [c for c in codes if (df[f"greq__{c}"].notna() & df[f"gown__{c}"].notna()).any()]


def ability_fulfilment(df: pd.DataFrame, design: Design | None = None, *, index: GroupIndex | None = None,
                       competencies=None, **overrides) -> pd.DataFrame:
    """Graduates' 能力满足度 per competency and group.

    Returns
    -------
    DataFrame
        One row per group and competency: ``n`` (pairwise complete), ``importance_mean``,
        ``required_mean``, ``own_mean``, ``fulfilment`` (fraction), ``fulfilment_band``;
        within a group by importance (hidden rows last).

    Examples
    --------
    >>> d = pd.DataFrame({"greq__learning": [4.0, 4, 4, 4, 4], "gown__learning": [4.0, 3, 4, 3, 4]})
    >>> float(ability_fulfilment(d, by=("school",))["fulfilment"].iloc[0])
    0.9
    """
    design = resolve(design, **overrides)
    if competencies is None:
        competencies = competencies_rated(df)
    if not competencies:
        raise AnalysisError("数据中没有能力要求水平（greq__*）与毕业时水平（gown__*）的配对列，无法计算能力满足度",
                            expected="如 greq__learning 与 gown__learning",
                            found="、".join(map(str, df.columns[:20])))
    missing = [c for code in competencies for c in (f"greq__{code}", f"gown__{code}") if c not in df.columns]
    if missing:
        raise AnalysisError.missing_columns(missing, list(map(str, df.columns)))
    s = prepare(df, design, index)
    items = []
    for code in competencies:
        req, own = s.values(f"greq__{code}"), s.values(f"gown__{code}")
        both = ~np.isnan(req) & ~np.isnan(own)
        r = group_means(s.index, np.where(both, req, np.nan), s.w, conf=design.conf)
        o = group_means(s.index, np.where(both, own, np.nan), s.w, conf=design.conf)
        imp = group_means(s.index, s.values(f"gimp__{code}"), s.w, conf=design.conf).mean
        with np.errstate(invalid="ignore", divide="ignore"):
            ful = np.where((r.n > 0) & (r.mean > 0), o.mean / r.mean, np.nan)
        items.append(({"competency": code, "competency_label": COMPETENCY_LABELS.get(code, code)},
                      {"importance_mean": imp, "required_mean": r.mean, "own_mean": o.mean, "fulfilment": ful},
                      r.n))
    table = long_table(s.index, items, design=design, attrs={
        **s.attrs, "title": TABLE_TITLES["ability_fulfilment"],
        "averaging": "能力满足度 = 毕业时水平均值 / 岗位要求水平均值（均值之比，MyCOS 口径），"
                     "只用同时评价了要求水平和自身水平的答卷者；无法评价不计入",
        "bands": "≥90% 满足；85%–90% 基本满足；75%–85% 不太满足；<75% 不满足"})
    table["fulfilment_band"] = table["fulfilment"].map(fulfilment_band)
    table["_g"] = table.groupby(["level", "group"], sort=False).ngroup()
    table["_imp"] = table["importance_mean"].fillna(-1.0)
    out = table.sort_values(["_g", "suppressed", "_imp"], ascending=[True, True, False], kind="stable")
    out = out.drop(columns=["_g", "_imp"]).reset_index(drop=True)
    out = out[[c for c in out.columns if c != "suppressed"] + ["suppressed"]]
    out.attrs.update(table.attrs)
    if s.index.notes:
        out.attrs["notes"] = list(s.index.notes)
    return out
