"""专业预警: cards given by an explicit rule — absolute thresholds and/or the benchmark, years in a row.

The rule is data (:class:`WarningRule`, from the config's ``warning:`` section), printed in full
in the report, and the card and the "触发预警" column come from the same rule: a major gets a
card exactly when one of the rule's lines holds for it.  The default rule follows the policies
in ``DOMAIN.md``: 红牌 when the placement rate is below 60% three years running (安徽 2022: enrolment
suspended), 黄牌 when below 60% two years running (MOE 2012 cohort: intake cut).  These cards are
this school's own rule on its survey estimates, not a vendor's national red card.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

from ..errors import ConfigError
from .labels import LABELS, TABLE_TITLES

__all__ = ["major_warnings", "CardRule", "WarningRule", "CARDS"]

logger = logging.getLogger(__name__)

CARDS = ("红牌", "黄牌", "绿牌")
_NONE = "无"
_SMALL = "样本不足"


def _rate(x, what: str, where: str) -> float | None:
    if x is None:
        return None
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 <= float(x) <= 1:
        raise ConfigError(f"预警规则中 {what} 应为 0 到 1 之间的比例", expected="如 0.6 表示 60%", found=x,
                          hint=f"检查配置文件 warning: 下的 {where}；百分数请写成小数。")
    return float(x)


@dataclass(frozen=True)
class CardRule:
    """One line of the rule: ``card`` when the metric is below ``below`` (or at least
    ``at_least``, or below the benchmark) in each of the latest ``years`` cohorts."""

    card: str
    below: float | None = None
    at_least: float | None = None
    below_benchmark: bool = False
    years: int = 1

    def __post_init__(self):
        where = f"card: {self.card}"
        if self.card not in CARDS:
            raise ConfigError("预警规则的 card 只能是 红牌、黄牌 或 绿牌", found=self.card)
        object.__setattr__(self, "below", _rate(self.below, "below", where))
        object.__setattr__(self, "at_least", _rate(self.at_least, "at_least", where))
        if sum(x is not None and x is not False for x in (self.below, self.at_least, self.below_benchmark or None)) != 1:
            raise ConfigError("预警规则的每一条只能有一个条件：below、at_least 或 below_benchmark", found=where,
                              hint="例如 {card: 红牌, below: 0.6, years: 3}")
        if isinstance(self.years, bool) or not isinstance(self.years, int) or self.years < 1:
            raise ConfigError("预警规则的 years（连续届数）应为不小于 1 的整数", found=self.years)

    def holds(self, value: float, benchmark: float | None) -> bool:
        if value is None or np.isnan(value):
            return False
        if self.below is not None:
            return value < self.below
        if self.at_least is not None:
            return value >= self.at_least
        return benchmark is not None and value < benchmark

    def describe(self, metric_label: str, benchmark: float | None) -> str:
        if self.below is not None:
            cond = f"低于 {self.below:.0%}"
        elif self.at_least is not None:
            cond = f"不低于 {self.at_least:.0%}"
        else:
            cond = f"低于基准线（{benchmark:.1%}）" if benchmark is not None else "低于基准线（未提供基准线，本条不适用）"
        span = "最近一届" if self.years == 1 else f"截至最近一届连续 {self.years} 届"
        return f"{self.card}：{span}{metric_label}{cond}"


@dataclass(frozen=True)
class WarningRule:
    """The cards in order (the first line that holds gives the card), the metric, the benchmark."""

    cards: tuple = (CardRule("红牌", below=0.60, years=3), CardRule("黄牌", below=0.60, years=2))
    metric: str = "placement_rate"
    benchmark: float | None = None

    @classmethod
    def simple(cls, threshold: float = 0.60, years: int = 2, benchmark: float | None = None) -> "WarningRule":
        """黄牌 below ``threshold`` ``years`` running; 红牌 one more year running."""
        return cls(cards=(CardRule("红牌", below=threshold, years=years + 1), CardRule("黄牌", below=threshold, years=years)),
                   benchmark=_rate(benchmark, "benchmark", "benchmark"))

    @classmethod
    def from_config(cls, doc, *, benchmark: float | None = None) -> "WarningRule":
        if not isinstance(doc, dict) or not isinstance(doc.get("cards"), list) or not doc["cards"]:
            raise ConfigError("配置文件的 warning 应包含 cards 列表",
                              expected="warning:\n  cards:\n    - {card: 红牌, below: 0.6, years: 3}")
        unknown = set(doc) - {"cards", "metric"}
        if unknown:
            raise ConfigError(f"warning 有未知的键：{'、'.join(sorted(unknown))}", expected="cards、metric")
        cards = []
        for c in doc["cards"]:
            if not isinstance(c, dict) or set(c) - {"card", "below", "at_least", "below_benchmark", "years"}:
                raise ConfigError("warning.cards 的每一项应是 {card, below | at_least | below_benchmark, years}",
                                  found=c)
            cards.append(CardRule(**c))
        return cls(cards=tuple(cards), metric=str(doc.get("metric", "placement_rate")),
                   benchmark=_rate(benchmark, "benchmark", "benchmark"))

    def describe(self) -> str:
        label = LABELS.get(self.metric, self.metric)
        lines = "；".join(r.describe(label, self.benchmark) for r in self.cards)
        return (f"预警规则（本校规则，基于本次调查的估计值，按顺序取第一条成立者）：{lines}；其余专业不挂牌（“无”）；"
                f"最近一届样本不足（被隐藏）的专业为“{_SMALL}”。红黄绿牌是本校按上述规则给出的标记，不是第三方机构的全国红黄牌。")


def _per_cohort(tables_by_cohort: Mapping, metric: str) -> tuple[dict, list]:
    per, problems = {}, []
    for cohort in sorted(tables_by_cohort):
        t = tables_by_cohort[cohort]
        placement = t.get("placement") if isinstance(t, Mapping) else t
        if placement is None or len(placement) == 0:
            problems.append({"cohort": cohort, "check": "empty_cohort", "message": f"{cohort} 届没有数据，未参加预警"})
            continue
        maj = placement[placement["level"] == "major"].set_index("group")
        if maj.empty:
            problems.append({"cohort": cohort, "check": "no_major_rows",
                             "message": f"{cohort} 届没有按专业的结果（请用 by 含 major）"})
            continue
        per[cohort] = maj
    return per, problems


def _run(values: list, rule: CardRule, benchmark) -> int:
    """How many of the latest cohorts in a row the line holds (a missing year ends the run)."""
    run = 0
    for v in reversed(values):
        if v is None or pd.isna(v) or not rule.holds(float(v), benchmark):
            break
        run += 1
    return run


def _major_row(m: str, per: dict, cohorts: list, rule: WarningRule) -> dict:
    metric = rule.metric
    values = [per[c].loc[m, metric] if m in per[c].index else np.nan for c in cohorts]
    row = {"major": m, "college": next((per[c].loc[m, "college"] for c in reversed(cohorts) if m in per[c].index),
                                       np.nan)}
    present = [c for c, v in zip(cohorts, values) if pd.notna(v)]
    row["latest_cohort"] = present[-1] if present else np.nan
    row.update({f"{metric}_{c}": v for c, v in zip(cohorts, values)})
    latest = values[-1]
    row["benchmark"] = rule.benchmark
    row["below_benchmark"] = pd.NA if rule.benchmark is None or pd.isna(latest) else bool(latest < rule.benchmark)
    first_below = next((r for r in rule.cards if r.below is not None), None)
    row["years_below_threshold"] = _run(values, first_below, rule.benchmark) if first_below else 0
    latest_maj = per[cohorts[-1]]
    row["unemployed_count"] = latest_maj.loc[m, "unemployed_count"] if m in latest_maj.index else np.nan
    if pd.isna(latest):
        row.update(card=_SMALL, rule_matched="", note=f"{cohorts[-1]} 届无数据或样本不足，无法判断")
        return row
    match = next((r for r in rule.cards if _run(values, r, rule.benchmark) >= r.years), None)
    row["card"] = match.card if match else _NONE
    row["rule_matched"] = match.describe(LABELS.get(metric, metric), rule.benchmark) if match else ""
    missing = [str(c) for c, v in zip(cohorts, values) if pd.isna(v)]
    row["note"] = f"{'、'.join(missing)} 届无数据或样本不足，连续年数在此中断" if missing else ""
    return row


def major_warnings(tables_by_cohort: Mapping, rule: WarningRule | None = None, *, benchmark: float | None = None,
                   threshold: float = 0.60, consecutive: int = 2) -> pd.DataFrame:
    """Cards for majors by ``rule`` (default: :meth:`WarningRule.simple` of ``threshold``,
    ``consecutive`` and ``benchmark``).

    Parameters
    ----------
    tables_by_cohort : dict {cohort: dict of tables}
        :func:`outcome_tables` results per cohort (a bare ``placement`` table is accepted).

    Returns
    -------
    DataFrame
        One row per major: ``major, college, latest_cohort, <metric>_<cohort>…, benchmark,
        below_benchmark, years_below_threshold, below_threshold_consecutive, unemployed_count``
        (latest cohort, estimated when weighted), ``card`` (红牌/黄牌/绿牌/无/样本不足),
        ``rule_matched`` (the line of the rule that gave the card), ``note``.
        ``below_threshold_consecutive`` (触发预警) is True exactly for 红牌 and 黄牌.
        ``attrs["rule"]`` states the whole rule in Chinese.
    """
    if not isinstance(tables_by_cohort, Mapping) or not tables_by_cohort:
        raise ConfigError("major_warnings 需要 {届别: outcome_tables 结果} 字典", found=type(tables_by_cohort).__name__)
    if rule is None:
        if not isinstance(consecutive, int) or consecutive < 1:
            raise ConfigError("连续年数（consecutive）至少为 1", found=consecutive)
        for name, val in (("benchmark", benchmark), ("threshold", threshold)):
            if val is not None and not 0 <= val <= 1:
                raise ConfigError(f"{'基准线' if name == 'benchmark' else '阈值'}（{name}）应为 0 到 1 之间的比例",
                                  expected="如 0.85 表示 85%", found=val, hint="请把百分数写成小数，例如 85% 写作 0.85。")
        rule = WarningRule.simple(threshold, consecutive, benchmark)
    per, problems = _per_cohort(tables_by_cohort, rule.metric)
    attrs = {"title": TABLE_TITLES["warnings"], "rule": rule.describe(), "problems": problems,
             "benchmark": rule.benchmark, "metric": rule.metric, "cohorts": list(per),
             "flag_rule": "触发预警 = 按上述规则挂红牌或黄牌。"}
    if not per:
        out = pd.DataFrame(columns=["major", "college", "latest_cohort", "card", "note"])
        out.attrs.update(attrs)
        return out
    cohorts = list(per)
    majors = sorted(set().union(*[set(t.index) for t in per.values()]))
    out = pd.DataFrame([_major_row(m, per, cohorts, rule) for m in majors])
    out["below_threshold_consecutive"] = out["card"].isin(["红牌", "黄牌"])
    order = {"红牌": 0, "黄牌": 1, _NONE: 2, "绿牌": 3, _SMALL: 4}
    latest = f"{rule.metric}_{cohorts[-1]}"
    out = out.assign(_o=out["card"].map(order)).sort_values(["_o", latest], na_position="last", kind="stable")
    out = out.drop(columns="_o").reset_index(drop=True)
    out.attrs.update(attrs)
    for p in problems:
        logger.warning(p["message"])
    return out
