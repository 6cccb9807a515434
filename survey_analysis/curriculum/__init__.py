"""Curriculum recommendations: findings → ranked, evidenced recommendations per major and college.

The *signals* (what the evidence says: employer gap mentions, the IPA "concentrate here"
quadrant, graduates' 能力满足度, teaching feedback, placement, relevance, turnover, warnings, and
— when a training programme is given — course support of the gaps, core-course ratings and
毕业要求 attainment) are read from a :class:`~survey_analysis.pipeline.Findings` object
(:mod:`.signals`, :mod:`.course_signals`).  The *rules* that turn signals into recommendations
are data: ``resources/rules.yaml`` (or a user's own file of the same shape), read with
:func:`load_rules` (:mod:`.rules`).  Each recommendation has one of the four uses named by
教学厅函〔2022〕3号 -- 学科专业调整, 人才培养方案制定, 招生计划安排, 就业指导服务 -- says what to
change, where (the course or module when the programme says which course carries the
competency), who acts (``owners``), the target, and carries its evidence: the signals behind
it, n, the figure with its interval and one or two quoted (already redacted) comments.  Its
priority follows from the evidence (:mod:`.priority`): effect size beyond a reference, whether
the interval excludes it, the number of independent sources.

A signal never reads a row that was suppressed as a small cell (``suppressed`` is true or
``n < min_cell``), so no recommendation rests on one.

Examples
--------
>>> from survey_analysis.curriculum import load_rules, SIGNALS
>>> rules = load_rules()
>>> sorted({r["type"] for r in rules})[:2]
['人才培养方案制定', '学科专业调整']
>>> "employer_gap_share" in SIGNALS
True
"""
from __future__ import annotations

from .priority import PrioritySettings
from .recommend import COLUMNS, LABELS, recommend
from .rules import OWNERS, PRIORITY_LABELS, SIGNALS, TYPES, RuleSet, load_rule_set, load_rules

__all__ = ["recommend", "load_rules", "load_rule_set", "RuleSet", "PrioritySettings", "TYPES", "SIGNALS",
           "PRIORITY_LABELS", "LABELS", "COLUMNS", "OWNERS"]
