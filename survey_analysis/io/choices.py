"""Parsing answer cells and headers of survey exports; ordering options; answer scales.

Pure functions on strings, shared by the readers and by the cleaner (:func:`split_choice`).
"""
from __future__ import annotations

import functools
import re
from importlib import resources

from ..design import MULTI_SEP

__all__ = [
    "MULTI_SEP",
    "RANK_SEP",
    "split_choice",
    "split_parts",
    "trailing_group",
    "split_rows",
    "order_options",
    "load_scales",
    "match_scale",
    "strip_letter_prefix",
]

RANK_SEP = "→"
_OTHER_OPEN = "〖"
_OTHER_CLOSE = "〗"
_OPEN = "(（[【"
_CLOSE = ")）]】"
_PAIRS = {")": "(", "）": "（", "]": "[", "】": "【"}
# ASCII and full-width round brackets are mixed freely in real exports: treat them as one kind.
_SAME = {"(": "(", "（": "(", "[": "[", "【": "【", ")": "(", "）": "(", "]": "[", "】": "【"}


def split_choice(cell, sep: str = MULTI_SEP) -> tuple[list[str], str | None]:
    """Split one answer cell of a text export into its options and its "other" free text.

    问卷星 text exports join the options of a multi-select answer with ``┋`` and append the
    free text of an "other, please specify" option in ``〖…〗`` (``其他【请注明】〖军事国防〗``).
    Brackets that belong to an option's name (``ACG文化(动漫、游戏等)``, ``其他【请注明】``)
    are kept.  A ``┋`` inside ``〖…〗`` belongs to the free text.

    Parameters
    ----------
    cell : str or None
        The cell as exported.  ``None``, ``NaN`` and blank cells give no options.
    sep : str, default "┋"
        The multi-select separator: ``Question.sep`` of the codebook (other exports use
        ``|`` or ``；``).

    Returns
    -------
    options : list of str
        The chosen options in cell order, stripped of surrounding spaces.
    other : str or None
        The free text(s) given in ``〖…〗`` (several joined with ``；``), or ``None``.

    Examples
    --------
    >>> split_choice("运动┋其他【请注明】〖军事国防〗")
    (['运动', '其他【请注明】'], '军事国防')
    >>> split_choice("ACG文化(动漫、游戏等)")
    (['ACG文化(动漫、游戏等)'], None)
    """
    parts = split_parts(cell, sep)
    options = [o for o, _ in parts]
    others = [t for _, t in parts if t]
    return options, ("；".join(others) if others else None)


def split_parts(cell, sep: str = MULTI_SEP) -> list[tuple[str, str | None]]:
    """Like :func:`split_choice` but keeps each option with its own free text:
    ``"运动┋其他【请注明】〖宠物〗"`` → ``[("运动", None), ("其他【请注明】", "宠物")]``."""
    if cell is None:
        return []
    if not isinstance(cell, str):
        try:
            import pandas as pd

            if pd.isna(cell):
                return []
        except (TypeError, ValueError):
            pass
        cell = _fmt_scalar(cell)
    parts: list[tuple[str, str | None]] = []
    buf: list[str] = []
    other_buf: list[str] = []
    others: list[str] = []
    depth = 0

    def flush():
        opt = "".join(buf).strip()
        text = "；".join(o for o in (x.strip() for x in others) if o) or None
        if opt or text:
            parts.append((opt, text))

    for ch in cell:
        if ch == _OTHER_OPEN:
            if depth > 0:
                other_buf.append(ch)
            depth += 1
            continue
        if ch == _OTHER_CLOSE and depth > 0:
            depth -= 1
            if depth > 0:
                other_buf.append(ch)
            else:
                others.append("".join(other_buf))
                other_buf = []
            continue
        if depth > 0:
            other_buf.append(ch)
            continue
        if ch == sep:
            flush()
            buf, others = [], []
            continue
        buf.append(ch)
    if depth > 0:  # an unclosed 〖: keep it as part of the option text
        buf.append(_OTHER_OPEN + "".join(other_buf))
    flush()
    return parts


def _fmt_scalar(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def trailing_group(text: str) -> tuple[str, str] | None:
    """Split ``"题干(行标签)"`` into ``("题干", "行标签")`` with balanced brackets.

    Returns ``None`` when ``text`` does not end with a closing bracket or the brackets do not
    balance.  Nested brackets stay inside: ``"第8题(ACG文化(动漫、游戏等))"`` gives
    ``("第8题", "ACG文化(动漫、游戏等)")``.
    """
    t = text.rstrip()
    if not t or t[-1] not in _CLOSE:
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch in _CLOSE and _SAME[ch] == _SAME[t[-1]]:
            depth += 1
        elif ch in _OPEN and _SAME[ch] == _SAME[t[-1]]:
            depth -= 1
            if depth == 0:
                return t[:i], t[i + 1 : -1]
    return None


def _common_prefix(texts: list[str]) -> str:
    if not texts:
        return ""
    lo, hi = min(texts), max(texts)
    i = 0
    while i < len(lo) and i < len(hi) and lo[i] == hi[i]:
        i += 1
    return lo[:i]


def split_rows(texts: list[str]) -> tuple[str, list[str]]:
    """Split the headers of a matrix question into its stem and row labels.

    Accepts ``题干—行`` (em dash), ``题干(行)`` / ``题干（行）``, ``题干_行``, ``题干:行`` and
    ``题干：行``.  ``texts`` are headers with the question number already removed.

    Examples
    --------
    >>> split_rows(["满意度—专业知识", "满意度—沟通能力"])
    ('满意度', ['专业知识', '沟通能力'])
    >>> split_rows(["满意度(专业知识)", "满意度(沟通(表达)能力)"])
    ('满意度', ['专业知识', '沟通(表达)能力'])
    """
    texts = [str(t).strip() for t in texts]
    groups = [trailing_group(t) for t in texts]
    if len(texts) > 1 and all(g is not None for g in groups):
        stems = {g[0].strip() for g in groups}
        if len(stems) == 1:
            return stems.pop(), [g[1].strip() for g in groups]
    for sep in ("—", "_", ":", "：", "-", "－"):
        if all(sep in t for t in texts):
            prefix = _common_prefix(texts)
            cut = prefix.rfind(sep)
            if cut >= 0:
                return texts[0][:cut].strip(), [t[cut + len(sep) :].strip() for t in texts]
    prefix = _common_prefix(texts).strip()
    if len(texts) > 1 and prefix:
        return prefix, [t[len(prefix) :].strip() or t for t in texts]
    return (texts[0] if texts else ""), list(texts)


_LETTER_PREFIX = re.compile(r"^[A-Za-z][.．、]\s*")


def strip_letter_prefix(value: str) -> str:
    """Remove a 腾讯问卷 option-letter prefix: ``"A.男"`` → ``"男"``."""
    return _LETTER_PREFIX.sub("", value, count=1)


def has_letter_prefix(value: str) -> bool:
    return bool(_LETTER_PREFIX.match(value)) and len(value) > 2


# -- option order -----------------------------------------------------------------------
_LEAD_NUM = re.compile(r"^\s*[¥￥$]?\s*(\d+(?:\.\d+)?)")
_LOW_WORDS = ("以下", "以内", "及以下", "不到", "之内")
_HIGH_WORDS = ("以上", "及以上", "或以上", "以后")


def _range_key(option: str):
    m = _LEAD_NUM.match(option)
    if not m:
        return None
    rank = 0
    head = option[m.end() :]
    # "3000元以下" comes before "3000-3499元"; "15000元以上" after "15000-20000元".
    if not re.match(r"\s*[-~～—至到]", head):
        if any(w in head for w in _LOW_WORDS):
            rank = -1
        elif any(w in head for w in _HIGH_WORDS):
            rank = 1
    return (float(m.group(1)), rank)


def order_options(options: list[str], scale: str | None = None) -> list[str]:
    """Order options: a known scale's order; else numeric ranges by their leading number;
    else first appearance (the order given).

    Options without a leading number keep their relative order after the numeric ones
    (na answers of a scale go last).

    Examples
    --------
    >>> order_options(["15000元以上", "3001-5000元", "3000元以下", "无收入"])
    ['3000元以下', '3001-5000元', '15000元以上', '无收入']
    """
    options = list(dict.fromkeys(options))
    if scale == "lexicon":
        from .lexicon import lexicon_scale

        lex = lexicon_scale(options)
        if lex is not None:
            return lex.ordered()
    if scale is not None:
        spec = load_scales().get(scale)
        if spec is not None:
            pos = {lab: i for i, lab in enumerate(spec["labels"])}
            for var, canon in spec["variants"].items():
                pos.setdefault(var, pos.get(canon, len(pos)) + 0.5)
            big = len(spec["labels"]) + 10
            return sorted(options, key=lambda o: (pos.get(o, big), options.index(o)))
    keys = [_range_key(o) for o in options]
    n_num = sum(k is not None for k in keys)
    if n_num >= 2 and n_num >= 0.6 * len(options):
        numeric = sorted(
            ((k, i, o) for i, (k, o) in enumerate(zip(keys, options)) if k is not None),
            key=lambda t: (t[0], t[1]),
        )
        rest = [o for k, o in zip(keys, options) if k is None]
        return [o for _, _, o in numeric] + rest
    return options


# -- answer scales ----------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def load_scales() -> dict:
    """The answer scales of ``resources/questionnaires/scales.yaml`` (read once, lazily).

    Returns a dict ``name -> {"labels": [...], "variants": {...}, "na": [...]}``.
    """
    import yaml

    text = (
        resources.files("survey_analysis")
        .joinpath("resources", "questionnaires", "scales.yaml")
        .read_text(encoding="utf-8")
    )
    raw = yaml.safe_load(text) or {}
    out = {}
    for name, spec in raw.items():
        out[str(name)] = {
            "labels": [str(x) for x in spec.get("labels", [])],
            "variants": {str(k): str(v) for k, v in (spec.get("variants") or {}).items()},
            "na": [str(x) for x in spec.get("na", [])],
        }
    return out


def match_scale(options: list[str]) -> tuple[str, list[str]] | None:
    """Find the answer scale whose labels (or known variants) cover all ``options``.

    Returns ``(scale_name, na_options_seen)`` or ``None``.  At least two options that are not
    "cannot judge" answers are needed.  A scale on which two different options mean the same
    label is tried only when no scale fits one to one (files that mix spellings such as
    很满意 and 非常满意).  When several scales fit, the one using the most canonical labels wins,
    then the shorter scale.

    Examples
    --------
    >>> match_scale(["很满意", "满意", "一般", "无法评价"])
    ('satisfaction5', ['无法评价'])
    >>> match_scale(["满意", "较满意", "不满意"])[0]
    'satisfaction3'
    """
    opts = [str(o).strip() for o in options if str(o).strip()]
    for allow_same in (False, True):
        best = None
        for name, spec in load_scales().items():
            labels = spec["labels"]
            na = [o for o in opts if o in spec["na"]]
            rest = [o for o in opts if o not in spec["na"]]
            canon = []
            for o in rest:
                if o in labels:
                    canon.append(o)
                elif o in spec["variants"]:
                    canon.append(spec["variants"][o])
                else:
                    canon = None
                    break
            if canon is None or len(set(canon)) < 2:
                continue
            if not allow_same and len(set(canon)) != len(canon):
                continue
            score = (sum(o in labels for o in rest), -len(labels))
            if best is None or score > best[0]:
                best = (score, name, na)
        if best is not None:
            return best[1], best[2]
    return None
