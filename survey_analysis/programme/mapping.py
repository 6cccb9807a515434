"""From a support-matrix column to competency ids: the mapping file, the certification standards'
requirement names, the competency taxonomy — in that order.

A column of a support matrix is named by a 毕业要求 ("毕业要求3 设计/开发解决方案", "3-2", "10.沟通")
or by an ability ("沟通表达能力", "数据分析").  :func:`resolve_requirement` turns its header into a
requirement id, a label and the competency ids it covers, or says why it could not:

1. the user's mapping file (``requirements:`` keyed by the full header, its number such as
   ``3-2``, the requirement's number ``3`` — an indicator point inherits its requirement's
   mapping — or its name);
2. the requirement names of the certification standards (``resources/graduation_requirements.yaml``:
   工程教育认证's twelve, 师范类认证's eight);
3. the competency taxonomy: the name or an alias of a competency, else every competency whose
   alias occurs in the header.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Mapping

from ..errors import ConfigError

__all__ = ["ProgrammeMapping", "load_mapping", "resolve_requirement", "split_header", "norm", "standard_requirements",
           "MAPPING_KEYS"]

#: top-level keys of a programme mapping file
MAPPING_KEYS = {"major", "sheets", "columns", "requirements", "strengths", "threshold", "ignore", "taxonomy"}
#: column roles a mapping file may name (``columns: {course: 课程名称, …}``)
COLUMN_ROLES = ("major", "course", "course_code", "credits", "semester", "kind", "category", "core", "requirement",
                "strength")

_NUM = re.compile(r"^(?:毕业要求|要求|指标点|GR|R)?\s*(\d{1,2}(?:\s*[.\-－—–_]\s*\d{1,2})?)(?![\d])\s*[.:：、)）\s]*(.*)$",
                  re.I)


def norm(text) -> str:
    """NFKC, no blanks or line breaks inside, stripped."""
    s = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", s).strip()


def split_header(header) -> tuple[str | None, str]:
    """``("3-2", "设计/开发解决方案")`` from ``"毕业要求3-2 设计/开发解决方案"``; ``(None, text)`` when no number.

    Examples
    --------
    >>> split_header("毕业要求10：沟通"), split_header("1.2"), split_header("数据分析能力")
    (('10', '沟通'), ('1-2', ''), (None, '数据分析能力'))
    """
    s = unicodedata.normalize("NFKC", str(header)).strip()
    s = re.sub(r"\s+", " ", s)
    m = _NUM.match(s)
    if not m:
        return None, norm(s)
    num = re.sub(r"\s*[.\-－—–_]\s*", "-", m.group(1))
    return num, norm(m.group(2))


@dataclass(frozen=True)
class ProgrammeMapping:
    """A programme mapping file, checked.

    Attributes
    ----------
    major : str or None
        The major of a file that names none (no major column, a generic sheet name).
    sheets : dict
        Sheet name → major (sheets not listed are read with their own name; ``null`` skips one).
    columns : dict
        Column role → header (``course``, ``credits``, ``semester``, ``core``, …).
    requirements : dict
        Normalised key (header, number, requirement number or name) → ``(label, [competency ids])``.
    strengths : dict
        Mark → strength in (0, 1], added to the default marks.
    threshold : float or None
    ignore : tuple
        Headers that are not part of the matrix.
    source : str or None
    """

    major: str | None = None
    sheets: Mapping = field(default_factory=dict)
    columns: Mapping = field(default_factory=dict)
    requirements: Mapping = field(default_factory=dict)
    strengths: Mapping = field(default_factory=dict)
    threshold: float | None = None
    ignore: tuple = ()
    source: str | None = None


def _competency_list(value, key, ids: set, path) -> tuple[str | None, list]:
    label = None
    if isinstance(value, Mapping):
        label = value.get("label")
        value = value.get("competencies", value.get("competency"))
    comps = [value] if isinstance(value, str) else list(value or [])
    bad = [c for c in comps if str(c) not in ids]
    if bad:
        close = [m for b in bad for m in difflib.get_close_matches(str(b), sorted(ids), 1)]
        raise ConfigError(f"映射文件中「{key}」对应的能力代码不存在：{'、'.join(map(str, bad))}", file=path,
                          expected="能力词表中的 id（如 communication、practice、data_analysis）",
                          hint=("是否想写：" + "、".join(close)) if close else "能力代码见 text/resources/taxonomy.yaml。")
    if not comps:
        raise ConfigError(f"映射文件中「{key}」没有给出能力代码", file=path,
                          expected="如 communication 或 [teamwork, leadership] 或 {label: 沟通, competencies: [communication]}")
    return (str(label) if label else None), [str(c) for c in comps]


def load_mapping(mapping, *, taxonomy=None) -> ProgrammeMapping:
    """Read and check a programme mapping (a YAML file, a dict, or ``None`` for no mapping).

    Example file::

        major: 机械工程                 # when the file names no major
        sheets: {支撑矩阵: 机械工程}      # or sheet → major
        columns: {course: 课程名称, credits: 学分, semester: 开课学期}
        requirements:                   # header, number or name → competency id(s)
          "1": {label: 工程知识, competencies: [theory, professional]}
          "3-2": innovation
          沟通: [communication, foreign_language]
        strengths: {◎: 1.0}             # extra marks
        threshold: 0.7
        ignore: [备注]

    Raises
    ------
    ConfigError
        The file is missing, not YAML, has unknown keys, an unknown competency id or a
        strength outside (0, 1].
    """
    from ..text import load_taxonomy

    if mapping is None:
        return ProgrammeMapping()
    if isinstance(mapping, ProgrammeMapping):
        return mapping
    path = None
    if isinstance(mapping, (str, Path)):
        from ..io.yamlfile import load_yaml

        path = Path(mapping)
        # UTF-8 or GBK; a missing file, a folder, bad YAML or an alias bomb → ConfigError naming the file
        doc = load_yaml(path, what="培养方案映射文件").data
    else:
        doc = mapping
    if not isinstance(doc, Mapping):
        raise ConfigError("培养方案映射文件的顶层应是键值对", file=path, found=type(doc).__name__)
    unknown = set(map(str, doc)) - MAPPING_KEYS
    if unknown:
        raise ConfigError(f"培养方案映射文件有未知的键：{'、'.join(sorted(unknown))}", file=path,
                          expected="、".join(sorted(MAPPING_KEYS)))
    if taxonomy is None:
        taxonomy = load_taxonomy(doc.get("taxonomy"))
    ids = set(taxonomy.ids)
    reqs = {}
    for key, value in (doc.get("requirements") or {}).items():
        label, comps = _competency_list(value, key, ids, path)
        num, text = split_header(key)
        reqs[norm(key)] = (label, comps)
        if num and not text:
            reqs[num] = (label, comps)
    strengths = {}
    for k, v in (doc.get("strengths") or {}).items():
        try:
            x = float(v)
        except (TypeError, ValueError):
            x = float("nan")
        if isinstance(v, bool) or not 0 < x <= 1:
            raise ConfigError(f"映射文件中支撑强度「{k}」的数值应在 0 与 1 之间（1 = 强支撑）", file=path, found=v)
        strengths[norm(k).upper()] = x
    cols = dict(doc.get("columns") or {})
    bad_roles = set(map(str, cols)) - set(COLUMN_ROLES)
    if bad_roles:
        raise ConfigError(f"映射文件 columns 中有未知的列角色：{'、'.join(sorted(bad_roles))}", file=path,
                          expected="、".join(COLUMN_ROLES))
    thr = doc.get("threshold")
    if thr is not None and (isinstance(thr, bool) or not isinstance(thr, (int, float)) or not 0 < thr <= 1):
        raise ConfigError("映射文件中达成度阈值（threshold）应在 0 与 1 之间", file=path, found=thr, expected="例如 0.7")
    sheets = {str(k): (None if v is None else str(v)) for k, v in (doc.get("sheets") or {}).items()}
    return ProgrammeMapping(major=str(doc["major"]) if doc.get("major") else None, sheets=sheets,
                            columns={k: norm(v) for k, v in cols.items()}, requirements=reqs, strengths=strengths,
                            threshold=float(thr) if thr is not None else None,
                            ignore=tuple(norm(x) for x in (doc.get("ignore") or [])),
                            source=str(path) if path is not None else None)


@lru_cache(maxsize=1)
def standard_requirements() -> dict:
    """Normalised requirement name → (standard, name, [competency ids]) of the certification standards."""
    import yaml

    text = resources.files("survey_analysis").joinpath("resources/graduation_requirements.yaml").read_text(
        encoding="utf-8")
    doc = yaml.safe_load(text)
    out = {}
    for std, items in doc["standards"].items():
        for it in items:
            out[norm(it["name"])] = (std, it["name"], list(it["competencies"]))
    for variant, name in (doc.get("variants") or {}).items():
        out.setdefault(norm(variant), out[norm(name)])
    return out


def _alias_lookup(taxonomy) -> dict:
    """Normalised, lower-cased name or alias → competency id (the first one wins)."""
    out: dict = {}
    for a, cid in zip(taxonomy.aliases["alias"], taxonomy.aliases["competency_id"]):
        out.setdefault(norm(a).lower(), str(cid))
    return out


def resolve_requirement(header, parent, mapping: ProgrammeMapping, taxonomy) -> dict:
    """Requirement id, label, competency ids and how they were found for one matrix column.

    ``parent``: the text of a merged header cell above (the requirement an indicator point such
    as ``3-2`` belongs to), or ``None``.  Returns ``{"requirement", "label", "competencies",
    "how", "reason"}``; ``competencies`` is empty (and ``reason`` says why) when unmapped.
    """
    num, text = split_header(header)
    pnum, ptext = split_header(parent) if parent else (None, "")
    group = num.split("-")[0] if num else (pnum.split("-")[0] if pnum else None)
    label = text or ptext or (num or norm(header))
    req_id = num or text or norm(header)
    # 1. the mapping file
    for key in (norm(header), num, group, text, ptext, norm(parent) if parent else None):
        if key and key in mapping.requirements:
            lab, comps = mapping.requirements[key]
            return {"requirement": req_id, "label": lab or label or req_id, "competencies": comps,
                    "how": "映射文件", "reason": ""}
    # 2. the certification standards' requirement names
    std = standard_requirements()
    for key in (text, ptext):
        if key and key in std:
            name = std[key][1]
            return {"requirement": req_id, "label": name, "competencies": list(std[key][2]), "how": "认证标准",
                    "reason": ""}
    # 3. the competency taxonomy
    target = text or ptext
    if not target:
        return {"requirement": req_id, "label": req_id, "competencies": [], "how": "",
                "reason": "只有编号、没有名称：请在映射文件 requirements 中写明它对应的能力"}
    exact = _alias_lookup(taxonomy).get(target.lower())
    if exact is not None:
        return {"requirement": req_id, "label": label, "competencies": [exact], "how": "能力词表", "reason": ""}
    found = list(dict.fromkeys(m[3] for m in taxonomy.match(target)))
    if found:
        return {"requirement": req_id, "label": label, "competencies": found, "how": "能力词表", "reason": ""}
    return {"requirement": req_id, "label": label, "competencies": [], "how": "",
            "reason": "名称与认证标准的毕业要求和能力词表都对不上：请在映射文件 requirements 中写明它对应的能力"}
