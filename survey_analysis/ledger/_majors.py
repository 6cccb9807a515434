"""Matching majors written in ledgers (名称、别名、代码) to 本科专业目录 codes."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import pandas as pd

__all__ = ["split_majors", "match_major", "UNRESTRICTED"]

UNRESTRICTED = "不限专业"
_UNRESTRICTED_WORDS = {"不限", "专业不限", "不限专业", "无要求", "无", "均可", "所有专业", "任意专业", "无专业要求"}
_SPLIT = re.compile(r"[、，,;；/|\n\s]+")
_CODE = re.compile(r"^\d{6}[TK]{0,2}$")
_TRIM = ("等相关专业", "相关专业", "等专业", "专业", "相关", "等", "类", "方向")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", str(s))
    return re.sub(r"\s+", "", s).strip("()（）.。")


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict, dict]:
    with resources.files("survey_analysis.resources").joinpath("majors.csv").open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    by_text: dict[str, tuple[str, str]] = {}
    by_code: dict[str, tuple[str, str]] = {}
    for code, name, aliases in zip(table["code"], table["name"], table["aliases"]):
        by_code[code] = (code, name)
        by_code.setdefault(code.rstrip("TK"), (code, name))
        by_text.setdefault(_norm(name), (code, name))
    for code, name, aliases in zip(table["code"], table["name"], table["aliases"]):
        for a in str(aliases).split(";"):
            if a.strip():
                by_text.setdefault(_norm(a), (code, name))  # a name always wins over an alias
    return by_text, by_code


def split_majors(text) -> list[str]:
    """Split a 需求专业 cell on 、 ， , ； / and spaces (never on 与/及, which are in names).

    Examples
    --------
    >>> split_majors("计算机科学与技术、软件工程，电气工程及其自动化")
    ['计算机科学与技术', '软件工程', '电气工程及其自动化']
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [t for t in (_norm(p) for p in _SPLIT.split(unicodedata.normalize("NFKC", str(text)))) if t]


def match_major(token) -> tuple[str, str] | None:
    """``(专业代码, 专业名称)`` for a major written by name, alias or code; ``None`` if unknown.

    ``("", "不限专业")`` for 不限 / 专业不限 / 无要求.

    Examples
    --------
    >>> match_major("计算机类")
    ('080901', '计算机科学与技术')
    >>> match_major("大数据")
    ('080910T', '数据科学与大数据技术')
    """
    by_text, by_code = _lookup()
    s = _norm(token)
    if not s:
        return None
    if s in _UNRESTRICTED_WORDS:
        return ("", UNRESTRICTED)
    if _CODE.match(s.upper()):
        return by_code.get(s.upper())
    for _ in range(4):
        if s in by_text:
            return by_text[s]
        if s in _UNRESTRICTED_WORDS:
            return ("", UNRESTRICTED)
        for suf in _TRIM:
            if s.endswith(suf) and len(s) > len(suf):
                s = s[: -len(suf)]
                break
        else:
            break
    return by_text.get(s)
