"""The settings of one analysis run: the school, the report cohort, the majors, the design and
the rules of warnings and recommendations.  Built from a YAML file, never changed afterwards."""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import pandas as pd

from ..frozen import freeze
from ..design import Design
from ..errors import ConfigError

__all__ = ["AnalysisConfig", "load_config", "CONFIG_KEYS"]

#: keys of a config file that set the design (``Design`` fields)
_DESIGN_KEYS = {"min_cell", "satisfied", "placement", "conf", "alpha", "income_bounds", "graduation_month"}
#: every key a config file may have
CONFIG_KEYS = {"school", "cohort", "majors", "colleges", "placement_benchmark", "benchmarks", "warning", "warning_threshold",
               "warning_years",
               "weight", "random_state", "rules", "data", "truth", "synthetic", "courses", *_DESIGN_KEYS}


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings of one analysis run (frozen: :meth:`replace` returns a new one).

    Attributes
    ----------
    school : str
        School name for the cover.
    cohort : int or None
        The cohort the report is about (``None``: the latest graduate cohort given).
    majors : DataFrame or None
        The school's majors: ``name``, ``code``, ``college`` (display order).
    design : Design
        Levels, placement definition, top-box rule, confidence level, small-cell threshold,
        income bounds, key.  The weight column is set by the analysis when it weights.
    placement_benchmark : float or None
        The local average placement rate (the notice's benchmark), e.g. 0.85.
    warning_threshold : float
        Placement-rate threshold of the N-consecutive-years warning (default 0.60).
    warning_years : int
        N of that warning (default 2).
    warning : mapping or None
        The config's ``warning:`` section (``cards: [{card, below | at_least | below_benchmark,
        years}]``); when absent the rule is 黄牌 below ``warning_threshold`` ``warning_years``
        running and 红牌 one more year (:meth:`WarningRule.simple`).
    weight : bool
        Post-stratify graduate estimates to the population file when one is given.
    random_state : int
    rules : str or None
        A recommendation-rules YAML (default: the built-in rules).
    benchmarks : str or None
        A benchmark file (:mod:`survey_analysis.benchmarks`; relative paths are relative to the
        config file's folder).
    sources : mapping
        Where the config came from (file name, its folder, its ``data:`` section).
    courses : mapping or None
        The config's ``courses:`` section: thresholds and the attainment formula of the course
        analyses (:class:`~survey_analysis.programme.CourseSettings`).
    """

    school: str = "（未命名学校）"
    cohort: int | None = None
    majors: pd.DataFrame | None = field(default=None, compare=False)
    design: Design = field(default_factory=Design)
    placement_benchmark: float | None = None
    warning_threshold: float = 0.60
    warning_years: int = 2
    warning: Mapping | None = field(default=None, compare=False)
    weight: bool = True
    random_state: int = 0
    rules: str | None = None
    benchmarks: str | None = None
    sources: Mapping = field(default_factory=dict, compare=False)
    courses: Mapping | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "sources", freeze(dict(self.sources)))
        if self.courses is not None:
            object.__setattr__(self, "courses", freeze(dict(self.courses)))
            _ = self.course_settings  # a bad section is an error when the config is made
        if self.warning is not None:
            object.__setattr__(self, "warning", freeze(dict(self.warning)))
            _ = self.warning_rule  # a bad rule is an error when the config is made, not mid-analysis
        if self.majors is not None:
            object.__setattr__(self, "majors", self.majors.copy())
        for name in ("placement_benchmark", "warning_threshold"):
            v = getattr(self, name)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 1:
                raise ConfigError(f"{name} 应为 0 到 1 之间的比例", expected="如 0.85 表示 85%", found=v,
                                  hint="请把百分数写成小数，例如 85% 写作 0.85。")
        if isinstance(self.warning_years, bool) or not isinstance(self.warning_years, int) or self.warning_years < 1:
            raise ConfigError("warning_years 应为不小于 1 的整数", found=self.warning_years)
        if self.cohort is not None and (isinstance(self.cohort, bool) or not isinstance(self.cohort, int)):
            raise ConfigError("cohort（届别）应为四位年份的整数，如 2025", found=self.cohort)

    # the design's settings, read through the config for convenience
    @property
    def warning_rule(self):
        """The :class:`~survey_analysis.outcomes.warnings.WarningRule` of this run."""
        from ..outcomes.warnings import WarningRule

        if self.warning:
            return WarningRule.from_config(dict(self.warning), benchmark=self.placement_benchmark)
        return WarningRule.simple(self.warning_threshold, self.warning_years, self.placement_benchmark)

    @property
    def course_settings(self):
        """The :class:`~survey_analysis.programme.CourseSettings` of this run."""
        from ..programme import CourseSettings

        return CourseSettings.from_config(self.courses)

    @property
    def min_cell(self) -> int:
        return self.design.min_cell

    @property
    def satisfied(self) -> str:
        return self.design.satisfied

    @property
    def placement(self) -> str:
        return self.design.placement.name

    @property
    def key(self) -> str | None:
        return self.design.key

    def replace(self, **changes) -> "AnalysisConfig":
        """A new config; design fields (``min_cell=``, ``key=`` …) change the design."""
        design_changes = {k: changes.pop(k) for k in list(changes) if k in _DESIGN_FIELDS}
        cfg = dataclasses.replace(self, **changes) if changes else self
        if design_changes:
            cfg = dataclasses.replace(cfg, design=cfg.design.replace(**design_changes))
        return cfg


_DESIGN_FIELDS = {f.name for f in dataclasses.fields(Design)}


def _read_yaml(p: Path) -> dict:
    from ..io.yamlfile import load_yaml  # UTF-8 or GBK, a folder refused, no alias bombs

    doc = load_yaml(p, what="配置文件").data or {}
    if not isinstance(doc, dict):
        raise ConfigError("配置文件的顶层应是键值对", file=p)
    unknown = set(map(str, doc)) - CONFIG_KEYS
    if unknown:
        import difflib

        hints = [f"{k} → {m[0]}" for k in sorted(unknown) if (m := difflib.get_close_matches(k, CONFIG_KEYS, 1))]
        raise ConfigError(f"配置文件有未知的键：{'、'.join(sorted(unknown))}", file=p,
                          expected="、".join(sorted(CONFIG_KEYS)),
                          hint=("是否想写：" + "；".join(hints)) if hints else None)
    return doc


def _majors(doc: dict, p: Path | None) -> pd.DataFrame | None:
    majors = doc.get("majors")
    if not majors:
        return None
    if not isinstance(majors, list) or not all(isinstance(m, dict) and "name" in m for m in majors):
        raise ConfigError("配置文件的 majors 应是列表，每项含 name（可选 code、college）", file=p,
                          expected="majors:\n  - name: 软件工程\n    code: \"080902\"\n    college: 信息工程学院",
                          found=type(majors).__name__)
    out = pd.DataFrame(majors).astype({"name": str})
    for c in ("code", "college"):
        if c not in out.columns:
            out[c] = None
    return out


def load_config(path: str | Path | None = None, **overrides) -> AnalysisConfig:
    """Read a YAML config file (school, cohort, majors with code and college, thresholds).

    Unknown keys raise :class:`~survey_analysis.errors.ConfigError` (with the closest known key);
    ``overrides`` (config or design fields, e.g. ``key=``, ``min_cell=``) win over the file.
    The file may also list data files under ``data:`` (used by ``survey-analysis demo``).
    """
    p = Path(path) if path is not None else None
    doc = _read_yaml(p) if p is not None else {}
    kw: dict[str, Any] = {}
    for k in ("school", "cohort", "placement_benchmark", "warning", "warning_threshold", "warning_years", "weight",
              "random_state", "rules", "benchmarks", "courses"):
        if doc.get(k) is not None:
            kw[k] = doc[k]
    for k in ("rules", "benchmarks"):  # files named in the config are relative to its folder
        if isinstance(kw.get(k), str) and p is not None and not Path(kw[k]).is_absolute():
            kw[k] = str((p.parent / kw[k]).resolve())
    if isinstance(kw.get("school"), (int, float)):
        kw["school"] = str(kw["school"])
    for k in ("placement_benchmark", "warning_threshold"):
        if k in kw and isinstance(kw[k], str):
            raise ConfigError(f"配置文件中 {k} 应是数字", file=p, found=kw[k], hint="例如 0.85（不要加引号或 %）。")
    if isinstance(kw.get("cohort"), str):
        raise ConfigError("配置文件中 cohort（届别）应是四位年份的数字", file=p, found=kw["cohort"],
                          hint="例如 cohort: 2025（阿拉伯数字，不加引号）。")
    design_kw = {k: doc[k] for k in _DESIGN_KEYS if doc.get(k) is not None}
    if p is not None:
        kw["sources"] = {"config": p.name, "config_data": doc.get("data") or {},
                         "config_dir": str(p.resolve().parent)}
    try:
        cfg = AnalysisConfig(majors=_majors(doc, p), design=Design(**design_kw), **kw)
    except ConfigError as exc:
        raise (exc.with_file(p) if p is not None else exc) from None
    except TypeError as exc:
        raise ConfigError(f"配置文件中的值类型不对：{exc}", file=p) from None
    return cfg.replace(**{k: v for k, v in overrides.items() if v is not None})
