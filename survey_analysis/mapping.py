"""YAML mapping files: which question of an export is which canonical field.

Every key of the file is documented in the README (section 映射文件) and checked here: an
unknown key, field name, type, scale or survey kind is an error that names the file, the line and
the closest valid names (``difflib``); a list where a mapping is expected, a field named like a
column the cleaner adds itself (``respondent_id`` …) or a question the export does not have are
errors too.  The file is read by :func:`survey_analysis.io.yamlfile.load_yaml` (UTF-8 or GBK,
safe tags only, no alias bombs).

A file::

    survey: graduate                   # employer | graduate | custom
    questionnaire: graduate            # optional: start from the built-in mapping
    title: 2025届毕业生跟踪调查         # optional
    fields:
      major: {question: 3}             # by question number (as inspect shows it) …
      college: "2、所在学院"             # … or by the column header
      income: {question: 9}            # bands (3001-5000元) become midpoints
      relevance: {question: 10, scale: relevance5}
      school_satisfaction: {question: 11, scale: [很好, 好, 一般, 差, 很差]}   # labels, best first
      destination: {question: 5, options: [在国内工作, 自主创业, 自由职业, 在国内求学, 出国/出境, 未就业（正在求职）]}
      comment: {question: 20, text: true}
      x_canteen: {question: 21, type: rating}   # your own field: name it x_…
    matrices:
      teach__: {question: 14, scale: satisfaction5, rows: {课堂教学: classroom}}
    pii: [1, "联系电话"]                # more personal-information questions (dropped)
    id: {question: 1}                  # the respondent id (pseudonymised; duplicates excluded)
    time: "所用时间"                    # the column with the time taken (speeders)
"""
from __future__ import annotations

import difflib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .codebook import Question
from .errors import ConfigError
from .io.choices import match_scale
from .io.lexicon import LEXICON
from .io.yamlfile import load_yaml
from .spec import (
    RULES,
    FieldSpec,
    SurveySpec,
    build_spec,
    builtin_spec,
    competency_code,
    load_questionnaire,
    load_scales,
    norm_text,
    pii_kind,
    q_matrix_cols,
    scale_options,
)

__all__ = ["load_spec", "MAPPING_KEYS", "FIELD_KEYS", "MATRIX_KEYS", "SURVEY_KINDS", "FIELD_TYPES",
           "RESERVED_FIELDS", "NUMERIC_FIELDS", "canonical_fields", "canonical_types"]

MAPPING_KEYS = ("survey", "questionnaire", "title", "fields", "matrices", "pii", "id", "time")
FIELD_KEYS = ("question", "column", "type", "scale", "options", "text", "pii", "exclusive", "max_choices")
MATRIX_KEYS = ("question", "column", "scale", "rows", "options")
SURVEY_KINDS = ("employer", "graduate", "custom")
FIELD_TYPES = ("single", "multi", "rating", "numeric", "open")
#: columns the cleaner adds itself: never a mapped field
RESERVED_FIELDS = ("respondent_id", "source_row", "weight", "major_code", "industry_code")
#: fields read as numbers (an answer band such as 3001-5000元 becomes its midpoint)
NUMERIC_FIELDS = ("income", "hiring_count", "cohort")


@lru_cache(maxsize=1)
def canonical_fields() -> tuple:
    """``(field names, matrix prefixes)`` of the canonical vocabulary (the built-in questionnaires
    and the keyword rules)."""
    names, prefixes = set(), set()
    for kind in ("employer", "graduate"):
        for q in load_questionnaire(kind)["questions"]:
            if q.get("field"):
                names.add(q["field"])
            if q.get("field_prefix"):
                prefixes.add(q["field_prefix"])
                names.update(q["field_prefix"] + r["code"] for r in q.get("rows") or [])
    names.update(f for f, _, _ in RULES)
    return frozenset(names), frozenset(prefixes)


@lru_cache(maxsize=1)
def canonical_types() -> dict:
    """Canonical field (or matrix prefix) → its type in the built-in questionnaires."""
    out = {f: t for f, t, _ in RULES}
    for kind in ("employer", "graduate"):
        for q in load_questionnaire(kind)["questions"]:
            if q.get("field"):
                out[q["field"]] = "rating" if q["type"] == "matrix" else q["type"]
            if q.get("field_prefix"):
                out[q["field_prefix"]] = "rating"
    return out


class _Mapping:
    """One mapping file being bound to one export (errors name the file and the line)."""

    def __init__(self, path, raw):
        self.doc = load_yaml(path, what="映射文件")
        self.path = self.doc.path
        self.codebook = raw.codebook
        self.raw = raw

    def error(self, message, *keys, **kw) -> ConfigError:
        return ConfigError(message, file=self.path, row=self.doc.line(*keys),
                           column=".".join(str(k) for k in keys) if keys else None, **kw)

    def suggest(self, word, vocabulary) -> str:
        close = difflib.get_close_matches(str(word), list(vocabulary), n=3, cutoff=0.5)
        return f"是不是：{'、'.join(close)}？" if close else ""

    def check_keys(self, mapping, allowed, *keys):
        for k in mapping:
            if k not in allowed:
                raise self.error(f"不认识的键「{k}」", *keys, k, expected="、".join(allowed),
                                 hint=(self.suggest(k, allowed) + "所有可用的键见 README 的映射文件说明。"))

    def as_mapping(self, value, *keys) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error("这里应是键值对（key: value），不是" + ("列表" if isinstance(value, list) else "单个值"),
                             *keys, found=str(value)[:80], hint="参照 README 的映射文件示例的缩进与写法。")
        return value

    # -- questions -----------------------------------------------------------------------
    def question(self, ref, *keys) -> Question:
        if isinstance(ref, bool) or ref is None:
            raise self.error("映射的写法无法识别", *keys, expected="题号 {question: 6}、列标题或 {column: ...}", found=ref)
        if isinstance(ref, int):
            ref = {"question": ref}
        if isinstance(ref, dict) and "question" in ref:
            q = self.codebook.get(str(ref["question"]))
            if q is None:
                numbers = [q2.number for q2 in self.codebook if q2.type != "meta"]
                raise self.error(f"映射「{keys[-1]}」指向第 {ref['question']} 题，但文件中没有这道题", *keys,
                                 found=f"文件中的题号：{'、'.join(numbers)}",
                                 hint="请改正题号（survey-analysis inspect 显示题号），或用 column: 写出列标题。")
            return q
        col = ref.get("column") if isinstance(ref, dict) else ref
        if isinstance(col, (str, int)):
            for q in self.codebook:
                if str(col) in q.columns or norm_text(col) == norm_text(q.text):
                    return q
            columns = [c for q in self.codebook for c in q.columns]
            raise self.error(f"映射「{keys[-1]}」指向的列「{col}」在文件中不存在", *keys,
                             found="现有列：" + "、".join(map(str, columns))[:400],
                             hint=self.suggest(col, columns) + "列标题须与导出文件完全一致（可用 survey-analysis inspect 查看）。")
        raise self.error(f"映射「{keys[-1]}」的写法无法识别", *keys,
                         expected="题号 {question: 6}、列标题 {column: ...} 或字符串", found=ref)

    # -- fields --------------------------------------------------------------------------
    def field_name(self, name, *keys):
        names, prefixes = canonical_fields()
        if name in RESERVED_FIELDS or str(name).endswith("__other"):
            raise self.error(f"字段名「{name}」是清洗时自动生成的列，不能用作映射字段", *keys,
                             hint="请换一个字段名（自己的字段用 x_ 开头，例如 x_食堂满意度）。")
        if name in names or str(name).startswith("x_") or any(str(name).startswith(p) for p in prefixes):
            return
        raise self.error(f"不认识的字段名「{name}」", *keys, expected="README 中列出的分析字段，或以 x_ 开头的自定义字段",
                         hint=self.suggest(name, sorted(names)) + "自定义字段请以 x_ 开头。")

    def scale(self, value, q: Question, *keys) -> tuple:
        """``(scale name, labels best first)``."""
        scales = load_scales()
        if value is None:
            return q.scale, ()
        if isinstance(value, list):
            labels = tuple(str(x) for x in value)
            if len(labels) < 2 or len(set(labels)) != len(labels):
                raise self.error("量表（scale）的标签应至少两个且互不相同，按从最好到最差排列", *keys, found=value)
            return "custom", labels
        if value in scales or value == LEXICON:
            return value, ()
        raise self.error(f"量表「{value}」未知", *keys, expected="、".join(scales) + "，或按从最好到最差列出标签",
                         hint=self.suggest(value, scales) + "例如 scale: [非常好, 好, 一般, 差, 非常差]。")

    def field(self, key, ref) -> FieldSpec:
        self.field_name(key, "fields", key)
        if isinstance(ref, list):
            raise self.error(f"字段「{key}」的值应是题号、列标题或 {{question: …}}，不是列表", "fields", key, found=ref)
        opts = ref if isinstance(ref, dict) else {}
        self.check_keys(opts, FIELD_KEYS, "fields", key)
        q = self.question(ref, "fields", key)
        scale, labels = self.scale(opts.get("scale"), q, "fields", key, "scale")
        ftype = opts.get("type")
        if ftype is not None and ftype not in FIELD_TYPES:
            raise self.error(f"题型「{ftype}」未知", "fields", key, "type", expected="、".join(FIELD_TYPES),
                             hint=self.suggest(ftype, FIELD_TYPES))
        if ftype is None:
            ftype = ("open" if opts.get("text") else "numeric" if key in NUMERIC_FIELDS
                     else "rating" if (opts.get("scale") is not None or q.type == "rating")
                     else canonical_types().get(key)
                     or {"multi": "multi", "open": "open", "numeric": "numeric"}.get(q.type, "single"))
        options = opts.get("options")
        if options is not None and not isinstance(options, list):
            raise self.error("options 应是选项列表（按问卷中的顺序，编号 1、2、3… 依次对应）", "fields", key, "options",
                             found=options)
        if options:
            options = tuple(str(o) for o in options)
            if opts.get("scale") is None and ftype == "rating":  # the scale of the labels given
                found = match_scale(list(options))
                scale = found[0] if found else LEXICON
        else:
            options = tuple(scale_options(scale) or q.options)
        return FieldSpec(field=key, columns=tuple(q.columns), type=ftype, scale=scale if ftype == "rating" else None,
                         options=options, question=q.number, label=q.text,
                         text_field=bool(opts.get("text")) or ftype == "open", pii=bool(opts.get("pii")),
                         source="yaml", binary_columns=q.type == "multi" and len(q.columns) > 1,
                         exclusive=tuple(opts.get("exclusive") or ()), max_choices=opts.get("max_choices"),
                         scale_labels=labels)

    def matrix(self, prefix, ref) -> tuple:
        if not str(prefix).endswith("__"):
            raise self.error(f"矩阵题前缀「{prefix}」应以两个下划线结尾", "matrices", prefix,
                             hint="例如 sat__、imp__；字段名为 前缀 + 能力代码（sat__practice）。")
        names, prefixes = canonical_fields()
        if prefix not in prefixes and not str(prefix).startswith("x_"):
            raise self.error(f"不认识的矩阵题前缀「{prefix}」", "matrices", prefix, expected="、".join(sorted(prefixes)),
                             hint=self.suggest(prefix, sorted(prefixes)) + "自定义前缀请以 x_ 开头。")
        opts = ref if isinstance(ref, dict) else {}
        self.check_keys(opts, MATRIX_KEYS, "matrices", prefix)
        q = self.question(ref, "matrices", prefix)
        scale, labels = self.scale(opts.get("scale"), q, "matrices", prefix, "scale")
        rowmap = self.as_mapping(opts.get("rows"), "matrices", prefix, "rows")
        fields, rows = {}, []
        for label, col in q_matrix_cols(q).items():
            code = rowmap.get(label) or competency_code(label)
            if code is None:
                rows.append({"number": q.number, "text": f"{q.text}—{label}", "columns": col, "field": None,
                             "status": "unmapped", "how": "yaml", "score": None})
                continue
            name = f"{prefix}{code}"
            options = tuple(str(o) for o in opts["options"]) if opts.get("options") else tuple(scale_options(scale) or q.options)
            fields[name] = FieldSpec(field=name, columns=(col,), type="rating", scale=scale, options=options,
                                     question=q.number, label=label, source="yaml", scale_labels=labels)
        rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": prefix + "*",
                     "status": "mapped", "how": "yaml", "score": None})
        return fields, rows


def load_spec(path: str | Path, raw) -> SurveySpec:
    """Load a YAML mapping file and bind it to an export (see the module docstring and README).

    Raises
    ------
    ConfigError
        The file cannot be read or parsed, has an unknown key / field / type / scale / survey kind
        (with the closest valid names), a list where a mapping is expected, a reserved field name,
        or names a question / column the export does not have (listing what it has).
    """
    m = _Mapping(path, raw)
    doc = m.as_mapping(m.doc.data, )
    m.check_keys(doc, MAPPING_KEYS)
    kind = str(doc.get("survey") or doc.get("questionnaire") or "custom")
    if kind not in SURVEY_KINDS:
        raise m.error(f"问卷类型（survey）「{kind}」未知", "survey", expected="、".join(SURVEY_KINDS),
                      hint=m.suggest(kind, SURVEY_KINDS))
    fields: dict = {}
    rows: list = []
    if doc.get("questionnaire"):
        if doc["questionnaire"] not in ("employer", "graduate"):
            raise m.error(f"内置问卷（questionnaire）「{doc['questionnaire']}」未知", "questionnaire",
                          expected="employer、graduate", hint=m.suggest(doc["questionnaire"], ("employer", "graduate")))
        base = builtin_spec(raw, str(doc["questionnaire"]))
        fields.update(base.fields)
        rows.extend(base.report.to_dict("records"))
    for key, ref in m.as_mapping(doc.get("fields"), "fields").items():
        fs = m.field(key, ref)
        fields[key] = fs
        rows.append({"number": fs.question, "text": fs.label, "columns": "；".join(fs.columns), "field": key,
                     "status": "mapped", "how": "yaml", "score": None})
    for prefix, ref in m.as_mapping(doc.get("matrices"), "matrices").items():
        got, mrows = m.matrix(prefix, ref)
        fields.update(got)
        rows.extend(mrows)
    claimed = {r["number"] for r in rows}
    for q in m.codebook:
        if q.type != "meta" and q.number not in claimed:
            pk = pii_kind(q.text)
            rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": pk,
                         "status": "pii" if pk else "unmapped", "how": "yaml", "score": None})
    spec = build_spec(kind, m.codebook, fields, rows, str(doc.get("title") or ""))
    return _extras(m, doc, spec)


def _extras(m: _Mapping, doc: dict, spec: SurveySpec) -> SurveySpec:
    """``pii``, ``id`` and ``time``."""
    extra_pii = []
    pii = doc.get("pii") or []
    for i, ref in enumerate(pii if isinstance(pii, list) else [pii]):
        extra_pii.extend(m.question(ref, "pii", i).columns)
    if extra_pii:
        spec.report.loc[spec.report["columns"].isin(extra_pii), "status"] = "pii"
        spec = replace(spec, pii_columns=tuple(dict.fromkeys(spec.pii_columns + tuple(extra_pii))))
    if doc.get("id") is not None:  # the respondent id: pseudonymised, repeats excluded, never an output
        q = m.question(doc["id"], "id")
        cols = tuple(q.columns)
        fields = dict(spec.fields)
        if not any(f.type == "id" for f in fields.values()):
            fields["student_id"] = FieldSpec(field="student_id", columns=cols, type="id", question=q.number,
                                             label=q.text, source="yaml")
        spec = replace(spec, fields=fields, id_columns=cols,
                       pii_columns=tuple(dict.fromkeys(spec.pii_columns + cols)))
    if doc.get("time") is not None:
        spec = replace(spec, time_column=m.question(doc["time"], "time").columns[0])
    return spec
