"""The declared survey design: column roles, levels, definitions and settings, once.

Every analysis reads one frozen :class:`Design` instead of taking the same ten keyword
arguments (in the spirit of svy's ``Design`` and statsmodels' results): which column is the
respondent id, the weight, the cohort, the major and the college; which columns hold free text;
at which levels tables are computed; which destinations count as placed; which boxes count as
satisfied; the confidence level; the small-cell threshold; the plausible income range; where
the pseudonymisation key comes from.

A design is never changed: :meth:`Design.replace` returns a new one.  The config file builds it
(:func:`survey_analysis.pipeline.load_config`); functions take it (``design=``) and accept
keyword overrides of its fields, checked by :meth:`Design.resolve`.

Constants that several modules need (the school row's label, the multi-select separator, the
environment variable of the key) live here and nowhere else.

Examples
--------
>>> d = Design()
>>> d.min_cell, d.conf, d.satisfied
(5, 0.95, 'top2')
>>> d.replace(satisfied="top3").top_box
3.0
>>> Design.resolve(None, min_cell=10).min_cell
10
"""
from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field
from typing import Any

from .errors import ConfigError

__all__ = [
    "Design",
    "PlacementDefinition",
    "DESTINATIONS",
    "IN_WORK",
    "SCHOOL",
    "MULTI_SEP",
    "LEVELS",
    "LEVEL_LABELS",
    "KEY_ENV",
    "key_from_env",
]

#: the label of the school-level row in every group table
SCHOOL = "全校"
#: the separator of a multi-select answer in the cleaned data (问卷星's own)
MULTI_SEP = "┋"
#: grouping levels, in the order tables show them
LEVELS = ("school", "college", "major")
LEVEL_LABELS = {"school": "全校", "college": "学院", "major": "专业"}
#: the environment variable a pseudonymisation key is read from when none is given
KEY_ENV = "SURVEY_ANALYSIS_KEY"

# graduate.yaml Q8, in questionnaire order
DESTINATIONS = (
    "在国内工作",
    "自主创业",
    "自由职业",
    "在国内求学",
    "出国/出境",
    "未就业（正在求职）",
    "未就业（准备升学或考试）",
    "暂不就业",
)
IN_WORK = ("在国内工作", "自主创业", "自由职业")


def key_from_env(key: str | None = None) -> str | None:
    """``key`` when given, else the value of ``$SURVEY_ANALYSIS_KEY`` (or ``None``)."""
    if key is not None and str(key) != "":
        return str(key)
    return os.environ.get(KEY_ENV) or None


@dataclass(frozen=True)
class PlacementDefinition:
    """Which destinations count as placed, as in work, and which leave the base.

    Parameters
    ----------
    name : str
        Short machine name (``"xinjincheng"``, ``"mycos"`` or your own).
    placed : tuple of str
        Destination labels that count as placed (就业去向落实).
    employed : tuple of str, default 国内工作 + 自主创业 + 自由职业
        Destinations that count as *in work* (就业率 numerator; base for income and job quality).
    excluded : tuple of str, default ()
        Destinations that leave the base (e.g. 未就业（准备升学或考试） under MyCOS).
    flexible : tuple of str, default 自主创业 + 自由职业
    further_domestic, abroad : tuple of str
    rate_label : str
        What the placement rate is called in the report.

    Examples
    --------
    >>> PlacementDefinition.mycos().excluded
    ('未就业（准备升学或考试）',)
    """

    name: str
    placed: tuple
    employed: tuple = IN_WORK
    excluded: tuple = ()
    flexible: tuple = ("自主创业", "自由职业")
    further_domestic: tuple = ("在国内求学",)
    abroad: tuple = ("出国/出境",)
    rate_label: str = "就业去向落实率"

    def __post_init__(self):
        for attr in ("placed", "employed", "excluded", "flexible", "further_domestic", "abroad"):
            val = getattr(self, attr)
            object.__setattr__(self, attr, (val,) if isinstance(val, str) else tuple(val))
        overlap = set(self.placed) & set(self.excluded)
        if overlap:
            raise ConfigError(
                "同一毕业去向不能既计为落实又排除出基数",
                expected="placed 与 excluded 不重叠",
                found="、".join(sorted(overlap)),
            )
        if not self.placed:
            raise ConfigError("落实去向（placed）不能为空", expected="至少一个毕业去向", found="空")

    @classmethod
    def xinjincheng(cls) -> "PlacementDefinition":
        """新锦成: placed = 国内工作+自主创业+自由职业+国内求学+出国/出境; base = all who answered."""
        return cls(name="xinjincheng", placed=DESTINATIONS[:5], excluded=(),
                   rate_label="就业去向落实率")

    @classmethod
    def mycos(cls) -> "PlacementDefinition":
        """MyCOS: as 新锦成 but those preparing for 考研/升学 leave the base; reported as 就业率."""
        return cls(name="mycos", placed=DESTINATIONS[:5], excluded=("未就业（准备升学或考试）",),
                   rate_label="就业率（MyCOS 口径）")

    @classmethod
    def from_name(cls, name: "str | PlacementDefinition | None") -> "PlacementDefinition":
        """``"xinjincheng"`` / ``"mycos"`` / an instance / ``None`` (default 新锦成)."""
        if name is None:
            return cls.xinjincheng()
        if isinstance(name, PlacementDefinition):
            return name
        presets = {"xinjincheng": cls.xinjincheng, "mycos": cls.mycos}
        if str(name).lower() not in presets:
            raise ConfigError("未知的就业率口径（placement）", expected="xinjincheng 或 mycos", found=name)
        return presets[str(name).lower()]()

    def describe(self) -> str:
        """The definition in one Chinese sentence (for ``attrs`` and reports)."""
        base = "全部填答毕业去向者"
        if self.excluded:
            base += f"（不含{'、'.join(self.excluded)}）"
        return (f"{self.rate_label} =（{'+'.join(self.placed)}）/ {base}；"
                f"就业率 =（{'+'.join(self.employed)}）/ 同一基数；灵活就业 = {'+'.join(self.flexible)}")

    @property
    def known(self) -> set:
        return set(DESTINATIONS) | set(self.placed) | set(self.employed) | set(self.excluded)


_TOP_BOX = {"top2": 4.0, "top3": 3.0}


@dataclass(frozen=True)
class Design:
    """The survey design and the analysis settings, declared once.

    Parameters
    ----------
    id, weight, cohort_col, major, college : str or None
        Column roles (``cohort_col``: the column of the graduation year).  ``weight=None``: unweighted estimates (every respondent counts once).
    text_fields : tuple of str
        Open-text columns (comments).
    levels : tuple of {"school", "college", "major"}
        The levels every group table is computed at (the school row first).
    placement : PlacementDefinition or {"xinjincheng", "mycos"}, default 新锦成
    satisfied : {"top2", "top3"}, default "top2"
        Top-box rule of every satisfied share (MyCOS top two boxes, 新锦成 top three).
    conf : float, default 0.95
        Confidence level of every interval.
    min_cell : int, default 5
        Groups with fewer respondents in a table's base are hidden (with complements).
    income_bounds : (low, high), default (1000, 200000)
        Monthly incomes (yuan) outside the range are implausible: blanked by cleaning and
        listed, never used in income statistics.
    alpha : float, default 0.05
        False-discovery rate of every family of tests (Benjamini–Hochberg).
    graduation_month : int, default 6
        The month a cohort graduates (June for most undergraduates); the report states how
        many months after it each graduate survey was fielded (vendors survey at half a year).
    key : str or None
        Pseudonymisation key (never shown, never written).  ``None``: ``$SURVEY_ANALYSIS_KEY``
        (see :func:`key_from_env`), else a random key for the run.
    """

    id: str = "respondent_id"
    weight: str | None = None
    cohort_col: str = "cohort"
    major: str = "major"
    college: str = "college"
    text_fields: tuple = ("comment", "comment_suggestion", "comment_skills")
    levels: tuple = LEVELS
    placement: Any = "xinjincheng"
    satisfied: str = "top2"
    conf: float = 0.95
    min_cell: int = 5
    income_bounds: tuple = (1000.0, 200000.0)
    alpha: float = 0.05
    graduation_month: int = 6
    key: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "placement", PlacementDefinition.from_name(self.placement))
        sat = str(self.satisfied).lower()
        if sat not in _TOP_BOX:
            raise ConfigError("满意度口径（satisfied）只能是 top2 或 top3",
                              expected="top2（MyCOS）或 top3（新锦成）", found=self.satisfied)
        set_(self, "satisfied", sat)
        conf = _number(self.conf, "置信水平（conf）")
        if not 0.5 <= conf < 1:
            raise ConfigError("置信水平（conf）必须在 0.5 与 1 之间", expected="例如 0.95", found=self.conf)
        set_(self, "conf", conf)
        alpha = _number(self.alpha, "错误发现率（alpha）")
        if not 0 < alpha < 1:
            raise ConfigError("错误发现率（alpha）必须在 0 与 1 之间", expected="例如 0.05", found=self.alpha)
        set_(self, "alpha", alpha)
        mc = self.min_cell
        if isinstance(mc, bool) or not isinstance(mc, (int, float)) or not math.isfinite(mc) \
                or int(mc) != mc or mc < 1:
            raise ConfigError("最小单元格（min_cell）必须是不小于 1 的整数", expected="例如 5 或 10",
                              found=mc, hint="样本量少于该值的组会被隐藏；常用 5 或 10。")
        set_(self, "min_cell", int(mc))
        try:
            lo, hi = (float(x) for x in self.income_bounds)
        except (TypeError, ValueError):
            raise ConfigError("收入合理范围（income_bounds）应是两个数字", expected="例如 [1000, 200000]",
                              found=self.income_bounds) from None
        if not (math.isfinite(lo) and math.isfinite(hi) and 0 <= lo < hi):
            raise ConfigError("收入合理范围（income_bounds）的下限应小于上限", expected="例如 [1000, 200000]",
                              found=self.income_bounds)
        set_(self, "income_bounds", (lo, hi))
        levels = tuple(self.levels)
        bad = [lv for lv in levels if lv not in LEVELS]
        if bad or not levels:
            raise ConfigError("未知的分组层级（levels）", expected="、".join(LEVELS), found=bad or levels)
        set_(self, "levels", tuple(lv for lv in LEVELS if lv in levels))
        set_(self, "text_fields", tuple(self.text_fields))
        gm = self.graduation_month
        if isinstance(gm, bool) or not isinstance(gm, int) or not 1 <= gm <= 12:
            raise ConfigError("毕业月份（graduation_month）应是 1–12 的整数", expected="例如 6", found=gm)

    # ------------------------------------------------------------------------------------
    @property
    def top_box(self) -> float:
        """The lowest score (5 = best) that counts as satisfied under :attr:`satisfied`."""
        return _TOP_BOX[self.satisfied]

    @property
    def conf_label(self) -> str:
        """The confidence level as a report prints it, e.g. ``"95%"``."""
        return f"{self.conf * 100:g}%"

    @property
    def weighted(self) -> bool:
        return self.weight is not None

    def resolved_key(self) -> str | None:
        """The key to use: :attr:`key`, else ``$SURVEY_ANALYSIS_KEY``, else ``None``."""
        return key_from_env(self.key)

    def replace(self, **changes) -> "Design":
        """A new design with ``changes`` (unknown names raise :class:`ConfigError`)."""
        unknown = set(changes) - _FIELDS
        if unknown:
            raise ConfigError(f"设计（Design）没有这些设置：{'、'.join(sorted(unknown))}",
                              expected="、".join(sorted(_FIELDS)))
        return dataclasses.replace(self, **changes) if changes else self

    @classmethod
    def resolve(cls, design: "Design | None" = None, **overrides) -> "Design":
        """``design`` (default ``Design()``) with the keyword ``overrides`` that are not ``None``.

        Functions take ``design=None, **overrides`` and call this once, so that a default is
        declared here and nowhere else.
        """
        if design is not None and not isinstance(design, Design):
            raise ConfigError("design 参数应是 survey_analysis.Design", found=type(design).__name__)
        d = design if design is not None else cls()
        return d.replace(**{k: v for k, v in overrides.items() if v is not None})


_FIELDS = {f.name for f in dataclasses.fields(Design)}


def _number(value, what: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what}应是数字", found=value) from None
    if isinstance(value, bool) or not math.isfinite(x):
        raise ConfigError(f"{what}应是有限的数字", found=value)
    return x
