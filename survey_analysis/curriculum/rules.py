"""Recommendation rules as data: the signals a rule can read, and the rules file (``resources/rules.yaml``
or a school's own file of the same shape) checked with clear errors."""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from . import course_signals as cs
from . import signals as sg
from .common import COMMON, LEVEL_ZH, Signal
from .priority import PrioritySettings

__all__ = ["SIGNALS", "TYPES", "PRIORITY_LABELS", "OWNERS", "RuleSet", "load_rules", "load_rule_set"]

#: The four uses of the survey results named by the notice (教学厅函〔2022〕3号 五(2)).
TYPES = ("学科专业调整", "人才培养方案制定", "招生计划安排", "就业指导服务")
PRIORITY_LABELS = {1: "高", 2: "中", 3: "低"}
#: who acts on a recommendation of each type (the rules file's ``owners:`` overrides)
OWNERS = {"人才培养方案制定": "专业负责人（牵头），学院教学院长审定", "学科专业调整": "学院教学院长、教务处",
          "招生计划安排": "招生办公室、教务处", "就业指导服务": "学院就业工作负责人、学校就业指导中心"}

_COMP = ("competency", "label")
#: Signals a rule can read: name → (Chinese name, condition keys, template placeholders, default target).
SIGNALS: dict[str, Signal] = {
    "employer_gap_share": Signal("用人单位评论中的能力短板", ("min_share", "min_count"), (*_COMP, "share", "count"),
                                 sg.employer_gap, "下一次用人单位调查中指出「{label}」不足的比例降至 {reference_value} 以下（本次 {value}）"),
    "ipa_quadrant": Signal("重要度–满意度分析（IPA）", ("quadrant", "min_gap", "require_flag"), (*_COMP, "importance", "performance"),
                           sg.ipa_signal, "下一次用人单位调查中「{label}」的重要度–满意度差距缩小到全校水平（{reference_value}）"),
    "ability_fulfilment": Signal("毕业生能力满足度", ("max_fulfilment",), (*_COMP, "band"), sg.ability_signal,
                                 "下一届毕业生「{label}」的能力满足度达到 {reference_value} 以上（本次 {value}）"),
    "teaching_improve": Signal("毕业生教学反馈", ("option", "min_share", "min_above_school"),
                               ("option", "share", "school_value"), sg.improve_signal,
                               "下一届毕业生中认为“{option}”的比例降至全校水平 {school_value} 以下（本次 {value}）"),
    "placement_consecutive_low": Signal("就业去向落实率预警", (), ("years", "threshold", "history", "cohort"),
                                        sg.placement_low, "下一届就业去向落实率回升到 {threshold} 以上（本次 {value}）"),
    "placement_rate": Signal("就业去向落实率", ("max_rate", "min_below_school"),
                             ("school_value", "reference", "reference_label"), sg.rate_signal("placement", "placement_rate"),
                             "下一届就业去向落实率达到{reference_label}水平 {reference_value}（本次 {value}）"),
    "job_quality": Signal("专业相关度与就业质量", ("item", "max_rate", "min_below_school"),
                          ("school_value", "reference", "reference_label"), sg.rate_signal("job_quality", "rate"),
                          "下一届该比例回升到{reference_label}水平 {reference_value}（本次 {value}）"),
    "turnover": Signal("离职率", ("min_rate", "min_above_school"), ("school_value", "reference", "reference_label"),
                       sg.rate_signal("turnover", "turnover_rate", low_is_bad=False),
                       "下一届调查中该比例降至{reference_label}水平 {reference_value} 以下（本次 {value}）"),
    "warning_card": Signal("专业预警牌", ("card",), ("score", "card"), sg.card_signal, "连续两届不再触发本校预警规则"),
    "employer_theme_share": Signal("用人单位短板主题", ("min_share", "min_count"), ("theme", "share", "count", "competency"),
                                   sg.theme_signal, "下一次用人单位调查中该主题的比例降至 {reference_value} 以下（本次 {value}）"),
    "course_gap": Signal("培养方案课程支撑", ("status", "min_signals"),
                         (*_COMP, "courses", "support_text", "status", "support", "signals", "n_signals", "requirements"),
                         cs.course_gap,
                         "修订后的培养方案中至少一门课程对「{label}」为强支撑，下一次调查中该短板的信号减少"),
    "course_unasked": Signal("强支撑但需求不明显", (), (*_COMP, "courses", "importance", "line", "credits"),
                             cs.course_unasked, "下一版培养方案修订时说明「{label}」相关课程的学分配置依据"),
    "course_rating": Signal("毕业生核心课程评价", (), ("course", "importance", "met"), cs.course_rating,
                            "下一届毕业生对《{course}》的满足度达到全校核心课程水平 {reference_value} 以上（本次 {value}）"),
    "attainment_below": Signal("毕业要求达成度（间接评价）", ("status",),
                               ("requirement", "label", "name", "threshold", "courses", "competencies"),
                               cs.attainment_below,
                               "下一轮评价中该毕业要求的间接评价达成度达到 {threshold} 以上（本次 {value}）"),
}


@dataclass(frozen=True)
class RuleSet:
    """A checked rules file: the rules, the priority settings, the owners by type."""

    rules: list
    priority: PrioritySettings = field(default_factory=PrioritySettings)
    owners: dict = field(default_factory=lambda: dict(OWNERS))
    source: str | None = None


def _read(rules):
    import yaml

    if rules is None:
        from importlib import resources

        text = resources.files("survey_analysis").joinpath("resources/rules.yaml").read_text(encoding="utf-8")
        return yaml.safe_load(text), "rules.yaml"
    if isinstance(rules, (str, Path)):
        src = Path(rules)
        try:
            return yaml.safe_load(src.read_text(encoding="utf-8-sig")), src
        except FileNotFoundError:
            raise ConfigError("建议规则文件不存在", file=src, hint="检查规则文件（rules）的路径。") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ConfigError(f"建议规则文件不是合法的 YAML：{getattr(exc, 'problem', exc)}", file=src,
                              row=(mark.line + 1) if mark else None) from None
    return rules, None


def _check_text(where, field_name, text, allowed, src) -> None:
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(str(text)) if f}
    except ValueError as exc:
        raise ConfigError(f"{where}的 {field_name} 格式有误：{exc}", file=src, found=text) from None
    unknown = names - allowed
    if unknown:
        raise ConfigError(f"{where}的 {field_name} 用了未知的占位符：{'、'.join(sorted(unknown))}", file=src,
                          expected="、".join(sorted(allowed)))


def _rule(i: int, r, seen: set, src) -> dict:
    where = f"第 {i} 条规则（{r.get('id', '?') if isinstance(r, dict) else '?'}）"
    if not isinstance(r, dict):
        raise ConfigError(f"{where}应是键值对", file=src)
    missing = [k for k in ("id", "signal", "type", "template", "priority") if k not in r]
    if missing:
        raise ConfigError(f"{where}缺少键：{'、'.join(missing)}", file=src, expected="id、signal、condition、type、template、priority")
    rid = str(r["id"])
    if rid in seen:
        raise ConfigError(f"规则 id 重复：{rid}", file=src)
    seen.add(rid)
    sig = SIGNALS.get(r["signal"])
    if sig is None:
        raise ConfigError(f"{where}的信号（signal）未知：{r['signal']}", file=src, expected="、".join(SIGNALS), found=r["signal"])
    if r["type"] not in TYPES:
        raise ConfigError(f"{where}的建议类型（type）未知", file=src, expected="、".join(TYPES), found=r["type"])
    cond = r.get("condition") or {}
    if not isinstance(cond, dict):
        raise ConfigError(f"{where}的条件（condition）应是键值对", file=src, found=cond)
    bad = set(cond) - set(sig.params)
    if bad:
        raise ConfigError(f"{where}的条件有未知的参数：{'、'.join(sorted(bad))}", file=src,
                          expected="、".join(sig.params) or "（无参数）")
    try:
        prio = int(r["priority"])
    except (TypeError, ValueError):
        prio = None
    if prio not in PRIORITY_LABELS:
        raise ConfigError(f"{where}的优先级（priority）应是 1（高）、2（中）或 3（低）", file=src, found=r["priority"])
    levels = r.get("levels") or ["major", "college"]
    levels = [levels] if isinstance(levels, str) else list(levels)
    if set(levels) - set(LEVEL_ZH):
        raise ConfigError(f"{where}的层级（levels）只能是 major 或 college", file=src, found=levels)
    allowed = set(COMMON) | set(sig.placeholders)
    for name in ("template", "key", "target", "owner"):
        if r.get(name) is not None:
            _check_text(where, name, r[name], allowed, src)
    try:
        lead, boost = float(r.get("lead") or 0.0), float(r.get("boost") or 0.0)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}的 boost / lead 应是数字", file=src, found=(r.get("boost"), r.get("lead"))) from None
    return dict(id=rid, signal=r["signal"], condition=dict(cond), type=r["type"], key=r.get("key") or rid,
                template=str(r["template"]), priority=prio, levels=levels, boost=boost, lead=lead,
                target=str(r["target"]) if r.get("target") else sig.target, owner=r.get("owner"))


def load_rule_set(rules=None) -> RuleSet:
    """Read and check a rules file: its rules, ``priority:`` settings and ``owners:`` by type.

    Raises
    ------
    ConfigError
        When the file is missing or not YAML, or a rule has an unknown signal, type, condition
        key or placeholder, a bad priority or a duplicate id, or the ``priority``/``owners``
        sections are malformed.
    """
    doc, src = _read(rules)
    items = doc.get("rules") if isinstance(doc, dict) else doc
    if not isinstance(items, list) or not items:
        raise ConfigError("建议规则文件应包含非空的 rules 列表", file=src,
                          expected="rules: [ {id, signal, condition, type, template, priority}, … ]",
                          found=type(items).__name__)
    seen: set = set()
    out = [_rule(i, r, seen, src) for i, r in enumerate(items, 1)]
    owners = dict(OWNERS)
    if isinstance(doc, dict) and doc.get("owners") is not None:
        extra = doc["owners"]
        if not isinstance(extra, dict) or set(extra) - set(TYPES):
            raise ConfigError("规则文件的 owners 应是 建议类型: 负责人 的键值对", file=src, expected="、".join(TYPES),
                              found=extra)
        owners.update({k: str(v) for k, v in extra.items()})
    prio = PrioritySettings.from_doc(doc.get("priority") if isinstance(doc, dict) else None, src)
    return RuleSet(rules=out, priority=prio, owners=owners, source=str(src) if src is not None else None)


def load_rules(rules=None) -> list[dict]:
    """Read and check recommendation rules.

    Parameters
    ----------
    rules : path, list of dicts, dict with a ``rules`` list, or None
        ``None`` reads the built-in ``resources/rules.yaml``.

    Returns
    -------
    list of dict
        One dict per rule with ``id, signal, condition, type, key, template, priority, levels,
        boost, lead, target, owner``.

    Raises
    ------
    ConfigError
        See :func:`load_rule_set`.
    """
    return load_rule_set(rules).rules
