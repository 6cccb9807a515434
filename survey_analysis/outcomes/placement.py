"""毕业去向: placement, employment and related rates, and where graduates in work are.

Definitions (``DOMAIN.md``): 就业去向落实率 = placed / base, the destinations that count as placed
and those that leave the base given by the design's :class:`PlacementDefinition` (新锦成 by
default, MyCOS as a preset); 就业率 = in work (国内工作 + 自主创业 + 自由职业) / base; 灵活就业 =
自主创业 + 自由职业; 未就业 = in the base and not placed.  Each is a weighted share with a Wilson
interval (:func:`survey_analysis.stats.group_shares`).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..stats import group_distribution, group_shares, long_table
from ..stats import group_table
from .base import DestinationFlags, Survey
from .labels import TABLE_TITLES

__all__ = ["PLACEMENT_METRICS", "placement_table", "distribution_table", "in_province_table", "IN_PROVINCE"]

#: region answers that mean "in the school's province" (graduate.yaml B3)
IN_PROVINCE = ("本省省会城市", "本省其他城市")

#: rate column → destination indicator of :func:`survey_analysis.outcomes.base.destination_flags`
PLACEMENT_METRICS = (("placement_rate", "placed"), ("employment_rate", "employed"), ("flexible_rate", "flexible"),
                     ("further_study_domestic_rate", "further_domestic"), ("abroad_rate", "abroad"),
                     ("unemployed_rate", "unemployed"))


def placement_table(s: Survey, flags: DestinationFlags) -> pd.DataFrame:
    """One row per group: the base ``n``, the respondents outside it, and every rate."""
    ix, conf = s.index, s.design.conf
    rates = {name: group_shares(ix, flags.rates[key], s.w, conf=conf) for name, key in PLACEMENT_METRICS}
    base = rates["placement_rate"]
    cols = {"n_eff": base.n_eff, "n_respondents": ix.count(), "n_unknown": ix.count(flags.unknown),
            "n_missing": ix.count(flags.missing), "n_excluded": ix.count(flags.excluded),
            "placed_count": base.count, "unemployed_count": rates["unemployed_rate"].count}
    for name, est in rates.items():
        cols.update(est.columns(name))
    return group_table(ix, cols, n=base.n, design=s.design,
                       counts=("n_respondents", "n_unknown", "n_missing", "n_excluded"),
                       attrs={**s.attrs, "title": TABLE_TITLES["placement"],
                              "definition": s.design.placement.describe(),
                              "definition_name": s.design.placement.name,
                              "base": "填答毕业去向且计入基数者",
                              "count_definition": _count_definition(s)})


def _count_definition(s: Survey) -> str:
    if s.w is None:
        return "人数为答卷人数（未加权）"
    return "人数为按权重估计的毕业生人数（加权），样本量 n 为答卷人数"


def distribution_table(s: Survey, columns, base: np.ndarray, *, title: str, base_text: str,
                       item: str = "dimension", category: str = "category") -> pd.DataFrame:
    """Shares of each answer of ``columns`` among the respondents in ``base`` who answered.

    One row per group, column and answer given in that group (answers in order of frequency);
    each column has its own base, so its own hiding decision.
    """
    ix, conf = s.index, s.design.conf
    items, present = [], []
    for col in columns:
        codes, labels = s.codes(col)
        valid = base & (codes >= 0)
        sub, first = pd.factorize(codes[valid])  # answers in order of first appearance among the base
        cat = np.full(len(codes), -1, dtype=np.intp)
        cat[valid] = sub
        names = labels[np.asarray(first)]
        d = group_distribution(ix, cat, len(names), s.w, conf=conf)
        for k, name in enumerate(names):
            items.append(({item: col, category: name, "_hits": d["hits"][:, k]},
                          {"count": d["count"][:, k], "share": d["share"][:, k], "low": d["low"][:, k],
                           "high": d["high"][:, k]}, d["n"][:, k]))
            present.append(d["hits"][:, k])
    table = long_table(ix, items, design=s.design,
                       attrs={**s.attrs, "title": title, "base": base_text,
                              "count_definition": _count_definition(s)})
    if not len(table):
        return table.drop(columns=["_hits"], errors="ignore")
    # answers nobody in a group gave are left out -- except in hidden groups, whose rows all stay
    # (leaving one out would tell that the hidden group has none of that answer)
    keep = (table["_hits"] > 0) | (table["level"] == "school") | table["suppressed"]
    out = table[keep].copy()
    # within a group and column: answers by frequency (the base's respondents; stable)
    out["_g"] = out.groupby(["level", "group"], sort=False).ngroup()
    out["_d"] = out[item].map({c: i for i, c in enumerate(columns)})
    out = out.sort_values(["_g", "_d", "_hits"], ascending=[True, True, False], kind="stable")
    out = out.drop(columns=["_g", "_d", "_hits"]).reset_index(drop=True)
    out.attrs.update(table.attrs)
    return out


def in_province_table(s: Survey, flags: DestinationFlags) -> pd.DataFrame:
    """本省就业比例: the share of graduates in work (who answered the region) working in the province."""
    codes, labels = s.codes("region")
    answered = flags.in_work & (codes >= 0)
    hit = np.where(answered, s.is_label("region", IN_PROVINCE), np.nan)
    est = group_shares(s.index, hit, s.w, conf=s.design.conf)
    return group_table(s.index, {"n_eff": est.n_eff, "count": est.count, **est.columns("in_province_rate")},
                       n=est.n, design=s.design,
                       attrs={**s.attrs, "title": TABLE_TITLES["in_province"],
                              "base": f"在工作者中作答工作地区者；本省 = {'、'.join(IN_PROVINCE)}",
                              "count_definition": _count_definition(s)})
