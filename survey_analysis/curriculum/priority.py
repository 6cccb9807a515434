"""How a recommendation's priority follows from its evidence: a stated, configurable score.

For each piece of evidence a signal states a standardised **effect** beyond a **reference** and
whether the estimate's interval **excludes** that reference:

* a share *p* against a reference share *p₀* (a major's turnover against the school's, a gap
  named by a major's employers against the school's share): the log odds ratio on Cohen's *d*
  scale, *d* = |ln(p / (1 − p)) − ln(p₀ / (1 − p₀))| × √3 / π (Chinn 2000, *Statistics in
  Medicine* 19:3127; 0.2 small, 0.5 medium, 0.8 large);
* a mean difference (an IPA importance − satisfaction gap against the school's gap): Cohen's
  *d* = |gap − gap₀| / SD of the paired differences (SD from the interval: half-width / t × √n);
* a value without an interval in the findings (能力满足度; an attainment value): its distance
  below the line in rating steps, one step counting as a medium effect (0.5) — see the signals.

A recommendation merges every piece of evidence with the same key.  Its score is

    score = min(E, effect_cap) + ci_bonus × X + signal_bonus × (k − 1) + boost

with *E* the largest effect, *X* = 1 when that evidence's interval excludes its reference, *k*
the number of independent sources (employer comments, employer ratings, graduate ratings,
graduate teaching feedback, graduate outcomes, the same outcome in an earlier cohort's
independent sample, and a programme that gives the competency no or only weak course support;
a programme that does support it is context, not evidence of a problem) and ``boost`` the
rule's.  Priority: 高 when score ≥ ``high``, *X* = 1 and at least ``min_sources`` independent
sources agree (or the rule has a boost, i.e. a formal warning); 中 when score ≥ ``medium``;
else 低 — never higher than the rule's own ``priority`` (its cap).  The numbers live in the
rules file's ``priority:`` section (:class:`PrioritySettings`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from ..errors import ConfigError

__all__ = ["PrioritySettings", "share_effect", "cohen_d_paired", "steps_effect", "score_items"]

_EPS = 1e-3  # shares of exactly 0 or 1 are taken as 0.1 % / 99.9 % (a finite log odds)


def share_effect(p, p0) -> float:
    """The difference of two shares as a standardised effect: the log odds ratio times √3 / π
    (Chinn 2000), absolute value; NaN when either share is missing.

    Examples
    --------
    >>> round(share_effect(0.571, 0.253), 3)
    0.759
    >>> round(share_effect(0.5, 0.5), 3)
    0.0
    """
    try:
        p, p0 = float(p), float(p0)
    except (TypeError, ValueError):
        return math.nan
    if not (0 <= p <= 1 and 0 <= p0 <= 1):
        return math.nan
    p, p0 = min(max(p, _EPS), 1 - _EPS), min(max(p0, _EPS), 1 - _EPS)
    return abs(math.log(p / (1 - p)) - math.log(p0 / (1 - p0))) * math.sqrt(3) / math.pi


def cohen_d_paired(gap, low, high, n, reference, conf: float = 0.95) -> float:
    """|gap − reference| / SD of the paired differences, the SD recovered from the t interval."""
    from ..stats import t_quantile

    try:
        gap, low, high, n, ref = (float(x) for x in (gap, low, high, n, reference))
    except (TypeError, ValueError):
        return math.nan
    if not all(np.isfinite([gap, low, high, n, ref])) or n < 2 or high <= low:
        return math.nan
    sd = (high - low) / 2 / float(t_quantile(1 - (1 - conf) / 2, n - 1)) * math.sqrt(n)
    return abs(gap - ref) / sd if sd > 0 else math.nan


def steps_effect(value, line, step) -> float:
    """Distance below ``line`` in steps of ``step``, one step = 0.5 (a medium effect); 0 above it."""
    try:
        v, l_, s = float(value), float(line), float(step)
    except (TypeError, ValueError):
        return math.nan
    return max(0.0, (l_ - v) / s * 0.5) if s > 0 else math.nan


@dataclass(frozen=True)
class PrioritySettings:
    """The priority score's numbers (the rules file's ``priority:`` section)."""

    high: float = 1.3
    medium: float = 0.6
    ci_bonus: float = 0.5
    signal_bonus: float = 0.3
    effect_cap: float = 1.5
    min_sources: int = 2

    def __post_init__(self):
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise ConfigError(f"规则文件 priority.{f.name} 应是非负数字", found=v)
        if int(self.min_sources) != self.min_sources or self.min_sources < 1:
            raise ConfigError("规则文件 priority.min_sources 应是不小于 1 的整数", found=self.min_sources)
        if self.medium > self.high:
            raise ConfigError("规则文件 priority 中 medium 不能大于 high", found=(self.medium, self.high))

    @classmethod
    def from_doc(cls, doc, src=None) -> "PrioritySettings":
        if not doc:
            return cls()
        if not isinstance(doc, dict):
            raise ConfigError("规则文件的 priority 应是键值对", file=src, found=type(doc).__name__)
        known = {f.name for f in fields(cls)}
        bad = set(doc) - known
        if bad:
            raise ConfigError(f"规则文件 priority 中有未知的键：{'、'.join(sorted(bad))}", file=src,
                              expected="、".join(sorted(known)))
        return cls(**doc)

    def describe(self) -> str:
        """The rule in one Chinese sentence (printed with the recommendations)."""
        return (f"优先级得分 = 标准化效应量（比例之差用对数比值比换算的 d 值，均值差用 Cohen's d，上限 {self.effect_cap:g}）"
                f"+ {self.ci_bonus:g}（置信区间不含参照值时）+ {self.signal_bonus:g} ×（独立证据来源数 − 1）+ 规则加分；"
                f"得分 ≥ {self.high:g}、置信区间不含参照值且至少有 {self.min_sources:g} 个独立证据来源（或为正式预警）为“高”，"
                f"≥ {self.medium:g} 为“中”，其余为“低”；"
                f"不超过规则本身规定的最高优先级。")


def score_items(items: list, settings: PrioritySettings) -> dict:
    """Score, priority (1–3) and the leading evidence of a merged recommendation.

    ``items``: ``[{"cand": candidate, "rule": rule}, …]``.  Returns ``score, priority, effect,
    excludes, n_sources, best`` (the item with the strongest evidence).
    """
    def strength(it):
        c = it["cand"]
        return c["effect"] + settings.ci_bonus * bool(c["excludes"])

    best = max(items, key=strength)
    c = best["cand"]
    sources = {s for it in items for s in it["cand"]["sources"] if s != "programme"}  # context, not evidence
    k = max(len(sources), 1)
    boost = max(it["rule"]["boost"] for it in items)
    x = bool(c["excludes"])
    score = min(c["effect"], settings.effect_cap) + settings.ci_bonus * x + settings.signal_bonus * (k - 1) + boost
    corroborated = len(sources) >= settings.min_sources or boost > 0
    prio = 1 if (score >= settings.high and x and corroborated) else 2 if score >= settings.medium else 3
    cap = min(it["rule"]["priority"] for it in items)
    return {"score": round(float(score), 3), "priority": max(prio, cap), "effect": round(float(c["effect"]), 3),
            "excludes": x, "n_sources": len(sources), "best": best}
