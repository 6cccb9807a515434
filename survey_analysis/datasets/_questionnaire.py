"""Load the built-in questionnaires (``resources/questionnaires``) for the generator and writers."""
from __future__ import annotations

import copy
import functools
from importlib import resources

import yaml

__all__ = ["load_questionnaire", "answer_columns", "choice_options", "is_shown_logic"]

EMPLOYED = ("在国内工作", "自主创业", "自由职业")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    base = resources.files("survey_analysis").joinpath("resources", "questionnaires")
    scales = yaml.safe_load(base.joinpath("scales.yaml").read_text(encoding="utf-8"))
    qn = yaml.safe_load(base.joinpath(f"{name}.yaml").read_text(encoding="utf-8"))
    for q in qn["questions"]:
        q["number"] = int(q["number"])
        if q.get("scale"):
            sc = scales[q["scale"]]
            q["scale_labels"] = list(sc["labels"])
            q["na_label"] = sc["na"][0] if sc.get("na") else None
    return qn


def load_questionnaire(name: str) -> dict:
    """Return the built-in questionnaire ``name`` (``"employer"`` or ``"graduate"``).

    Each question dict gets ``scale_labels`` (best first) and ``na_label`` (``"无法评价"``) when
    it has a scale.  A deep copy is returned, so callers may modify it.

    Examples
    --------
    >>> q = load_questionnaire("employer")
    >>> q["questions"][1]["text"]
    '贵单位所属行业'
    """
    return copy.deepcopy(_load(name))


def answer_columns(q: dict) -> list[tuple[str, str | None]]:
    """The answer columns of question ``q``: ``(key, row_label)``; ``row_label`` is None unless matrix.

    The key is the canonical field (``industry``) or, for a matrix row, ``field_prefix + code``
    (``imp__ethics``).
    """
    if q["type"] == "matrix":
        return [(q["field_prefix"] + r["code"], r["label"]) for r in q["rows"]]
    return [(q["field"], None)]


def choice_options(q: dict) -> list[str]:
    """The options a respondent picks from, in order (codes 1..k in a numeric export).

    Matrix questions offer the scale labels plus the "cannot judge" label (无法评价) as the last
    option; single ratings offer the five scale labels only.
    """
    if q["type"] == "matrix":
        return list(q["scale_labels"]) + ([q["na_label"]] if q.get("na_label") else [])
    if q["type"] == "rating":
        return list(q["scale_labels"])
    return list(q.get("options", []))


def is_shown_logic(q: dict, row: dict) -> bool:
    """Whether question ``q`` is shown to a respondent with answers ``row`` (the skip logic).

    Graduate questionnaire: questions with ``applies_to: employed`` are shown only to those whose
    destination is 在国内工作 / 自主创业 / 自由职业; B5-1 (why unrelated) only when the relevance
    answer is 比较不相关 or 很不相关; B8-1 (turnover reasons) only when job changes are not 0次.
    Entirely empty submissions see every question (they skipped them all).
    """
    dest = row.get("destination")
    if not isinstance(dest, str) or dest == "":
        return True
    if q.get("applies_to") == "employed" and dest not in EMPLOYED:
        return False
    if q.get("field") == "unrelated_reason":
        return row.get("relevance") in ("比较不相关", "很不相关")
    if q.get("field") == "turnover_reasons":
        jc = row.get("job_changes")
        return isinstance(jc, str) and jc != "0次"
    return True
