"""The special action's rules, declared once: targets, period, who counts, how demand is split.

教育部办公厅《关于开展全国高校书记校长访企拓岗促就业专项行动的通知》（教学厅函〔2022〕3号）:

* 二、行动时间：2022年3—8月.  Later years repeat the action; the period of a ledger is the
  months of the notice in the ledger's own year unless it is given (:meth:`ActionRules.period`).
* 六（二）：新建普通本科高校、高等职业院校…每所学校书记（校长、院长）正职**共**拜访用人单位原则上
  不少于100家 -- the school's 正职 leaders *together* visit at least 100 employers
  (``visit_scope="joint"``, the default); ``visit_scope="each"`` holds each 正职 to 100 (how
  some provinces and schools apply it).
* 六（二）：就业去向落实率低于当地平均水平的高校…每所高校校领导班子新开拓用人单位不少于100家 --
  new employers opened by the whole leadership team (正职 and 副职), per school.
* 六（三）：建立用人单位需求台账 -- demand by major is compared with the graduates of each major
  (``allocate``, ``ratio_bands``).

Every function of :mod:`survey_analysis.ledger` takes ``rules=None, **overrides`` and resolves
them with :meth:`ActionRules.resolve`, so a default lives here and nowhere else.

Examples
--------
>>> r = ActionRules()
>>> r.target_visits, r.target_new, r.visit_scope
(100, 100, 'joint')
>>> ActionRules.resolve(None, target_visits=4).target_visits
4
>>> ActionRules().period([datetime.date(2025, 4, 1), datetime.date(2025, 7, 9)])
(datetime.date(2025, 3, 1), datetime.date(2025, 8, 31), True)
"""
from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from ..errors import ConfigError

__all__ = ["ActionRules", "NOTICE", "PERIOD_MONTHS", "PERIOD_START", "PERIOD_END", "as_date"]

NOTICE = "教学厅函〔2022〕3号"
#: 二、行动时间：3—8月 (first and last month of the action)
PERIOD_MONTHS = (3, 8)
#: the 2022 action as the notice dates it
PERIOD_START = datetime.date(2022, 3, 1)
PERIOD_END = datetime.date(2022, 8, 31)

_SCOPES = {"joint": "书记、校长（院长）正职共同走访", "each": "书记、校长（院长）正职每人走访"}


def as_date(value, name: str) -> datetime.date:
    """A date parameter (date, datetime, ``"2025-03-01"``, ``2025年3月1日``) or :class:`ConfigError`."""
    from ._read import parse_date

    d = parse_date(value)
    if d is None:
        raise ConfigError(f"参数 {name} 不是日期", expected="形如 2025-03-01 的日期", found=value)
    return d


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ConfigError(f"参数 {name} 必须是正整数", expected="例如 100", found=value)
    return int(value)


@dataclass(frozen=True)
class ActionRules:
    """The targets and definitions of the special action (see the module's notes).

    Parameters
    ----------
    target_visits : int, default 100
        Employers the school's 书记、校长（院长）正职 visit (together, or each: ``visit_scope``).
    target_new : int, default 100
        New employers (是否新拓展单位 = 是, distinct) the school's leadership opens.
    visit_scope : {"joint", "each"}, default "joint"
        ``"joint"``: the notice's 共拜访 -- distinct employers visited by any 正职 count towards
        one target per school.  ``"each"``: every 正职 has the target.
    count_by : {"employers", "visits"}, default "employers"
        Count distinct employers (拜访用人单位…家, the notice's wording) or visit rows.
    target_roles : tuple of str, default ("书记", "校长", "院长")
        A leader is 正职 when the role holds one of these words and not 副 (a leader with no
        role anywhere in the ledger is taken to be 正职, and the audit asks for it).
    period_start, period_end : date or None
        The action period; ``None``: March 1 / August 31 of the ledger's year (the year most
        of its visit dates fall in).
    allocate : {"split", "full"}, default "split"
        A demand row naming *k* majors gives each *n/k* people ("split") or *n* ("full").
    ratio_bands : (low, high), default (0.8, 1.2)
        Demand / supply above ``high``: 供不应求; below ``low``: 供过于求.
    """

    target_visits: int = 100
    target_new: int = 100
    visit_scope: str = "joint"
    count_by: str = "employers"
    target_roles: tuple = ("书记", "校长", "院长")
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    allocate: str = "split"
    ratio_bands: tuple = (0.8, 1.2)

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "target_visits", _positive_int(self.target_visits, "target_visits"))
        set_(self, "target_new", _positive_int(self.target_new, "target_new"))
        if self.visit_scope not in _SCOPES:
            raise ConfigError("visit_scope 只能是 joint 或 each", expected="joint（正职共同走访，通知原文“共拜访”）或 each",
                              found=self.visit_scope)
        if self.count_by not in {"employers", "visits"}:
            raise ConfigError("count_by 只能是 employers 或 visits", found=self.count_by)
        if self.allocate not in {"split", "full"}:
            raise ConfigError("allocate 只能是 split 或 full", found=self.allocate)
        roles = (self.target_roles,) if isinstance(self.target_roles, str) else tuple(self.target_roles or ())
        set_(self, "target_roles", roles)
        for name in ("period_start", "period_end"):
            value = getattr(self, name)
            if value is not None:
                set_(self, name, as_date(value, name))
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ConfigError("行动期结束日期早于开始日期", expected="period_start ≤ period_end",
                              found=f"{self.period_start} … {self.period_end}")
        try:
            lo, hi = (float(x) for x in self.ratio_bands)
        except (TypeError, ValueError):
            raise ConfigError("ratio_bands 应是两个数字", expected="例如 (0.8, 1.2)", found=self.ratio_bands) from None
        if not 0 <= lo <= hi:
            raise ConfigError("ratio_bands 的下限应不大于上限", expected="例如 (0.8, 1.2)", found=self.ratio_bands)
        set_(self, "ratio_bands", (lo, hi))

    # ------------------------------------------------------------------------------------
    def replace(self, **changes) -> "ActionRules":
        """A new set of rules with ``changes`` (unknown names raise :class:`ConfigError`)."""
        unknown = set(changes) - _FIELDS
        if unknown:
            raise ConfigError(f"专项行动规则（ActionRules）没有这些设置：{'、'.join(sorted(unknown))}",
                              expected="、".join(sorted(_FIELDS)))
        return dataclasses.replace(self, **changes) if changes else self

    @classmethod
    def resolve(cls, rules: "ActionRules | None" = None, **overrides) -> "ActionRules":
        """``rules`` (default ``ActionRules()``) with the keyword ``overrides`` that are not None."""
        if rules is not None and not isinstance(rules, ActionRules):
            raise ConfigError("rules 参数应是 survey_analysis.ledger.ActionRules", found=type(rules).__name__)
        r = rules if rules is not None else cls()
        return r.replace(**{k: v for k, v in overrides.items() if v is not None})

    def period(self, dates: Iterable) -> tuple[datetime.date, datetime.date, bool]:
        """``(start, end, inferred)``: the declared period, or the notice's months (3—8月) in
        the year most ``dates`` fall in (ties: the later year; no dates: the 2022 action)."""
        if self.period_start is not None and self.period_end is not None:
            return self.period_start, self.period_end, False
        years = Counter(d.year for d in dates if d is not None)
        if years:
            year = max(years, key=lambda y: (years[y], y))
        else:
            year = (self.period_start or self.period_end or PERIOD_START).year
        first, last = PERIOD_MONTHS
        start = self.period_start or datetime.date(year, first, 1)
        end = self.period_end or (datetime.date(year, last + 1, 1) - datetime.timedelta(days=1))
        if end < start:
            raise ConfigError("行动期结束日期早于开始日期", expected="period_start ≤ period_end",
                              found=f"{start} … {end}")
        return start, end, True

    def is_principal(self, role) -> bool:
        """Whether a leader with ``role`` is 正职 (书记、校长、院长 without 副)."""
        if role is None or (not isinstance(role, str) and pd.isna(role)):
            return True  # unknown role: assume 正职 (the audit asks for the role)
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(role)))
        if not text:
            return True
        if not self.target_roles:
            return True
        return any(t in text for t in self.target_roles) and "副" not in text

    @property
    def scope_label(self) -> str:
        return _SCOPES[self.visit_scope]

    @property
    def unit(self) -> str:
        return "家" if self.count_by == "employers" else "次"


_FIELDS = {f.name for f in dataclasses.fields(ActionRules)}
