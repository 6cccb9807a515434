"""Scoring rating answers from their words, for scales that ``scales.yaml`` does not list.

Each label is read as intensifiers and negations before a stem (很满意, 不太满意, 非常不同意, 较差,
大部分没满足) or as a whole word (一般, 优秀, 无法评价); its value is the stem's polarity × (−1 when
negated) × the intensity (strong 2, a bare stem 1.5, moderate 1, weak 0.5; neutral words 0).  The
labels of one question are then scored k … 1 by value, so the best label always scores highest --
never by the order in which answers appear.  Labels in traditional characters are simplified first.
A set of labels that cannot all be read, or that mixes scales (满意 with 同意), gives ``None``: the
caller then asks for a ``scale:`` in the mapping file.  The words are in
``resources/questionnaires/scale_lexicon.yaml``.

Examples
--------
>>> s = lexicon_scale(["非常同意", "不同意", "一般", "同意", "非常不同意"])
>>> [s.scores[x] for x in ["非常同意", "同意", "一般", "不同意", "非常不同意"]]
[5.0, 4.0, 3.0, 2.0, 1.0]
>>> lexicon_scale(["非常滿意", "滿意", "一般", "不滿意", "非常不滿意"]).scores["非常滿意"]
5.0
>>> lexicon_scale(["红色", "蓝色"]) is None
True
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

__all__ = ["LexiconScale", "lexicon_scale", "read_label", "LEXICON"]

#: the scale name a codebook question / field spec carries when its labels were scored from words
LEXICON = "lexicon"


@dataclass(frozen=True)
class LexiconScale:
    """Scores of a question's labels read from their words.

    Attributes
    ----------
    scores : dict
        Label (as given) → score, ``k`` (best) … 1.
    na : list
        Labels meaning "cannot judge" (scored missing, never 0).
    family : str
        What the scale measures (``satisfaction``, ``agreement``, ``quality`` …).
    levels : int
    """

    scores: dict
    na: list = field(default_factory=list)
    family: str = ""
    levels: int = 0

    def ordered(self) -> list:
        """The labels best first (labels of equal score in the order given), then the na labels."""
        return sorted(self.scores, key=lambda x: -self.scores[x]) + list(self.na)


@functools.lru_cache(maxsize=1)
def _lexicon() -> dict:
    import yaml

    text = resources.files("survey_analysis").joinpath("resources", "questionnaires", "scale_lexicon.yaml")
    doc = yaml.safe_load(text.read_text(encoding="utf-8"))
    prefixes = {w: ("int", float(v)) for w, v in doc["intensifiers"].items()}
    prefixes.update({w: ("neg", 0.0) for w in doc["negations"]})
    return {
        "stems": {w: (f, float(p)) for w, (f, p) in doc["stems"].items()},
        "stem_rx": re.compile("|".join(sorted(map(re.escape, doc["stems"]), key=len, reverse=True))),
        "prefixes": prefixes,
        "prefix_words": sorted(prefixes, key=len, reverse=True),
        "hedges": tuple(doc["hedges"]),
        "neutral": frozenset(doc["neutral"]),
        "grades": {w: float(v) for w, v in doc["grades"].items()},
        "na": frozenset(doc["na"]),
    }


_STRIP = re.compile(r"^[A-Za-z0-9][.．、:：)）\s-]+|[\s（(][^（()）]*[）)]$|[\s。.!！~～]+$|^\s+")


def _clean(label) -> str:
    from ..pii import name_fold

    t = unicodedata.normalize("NFKC", str(label)).strip()
    t = name_fold(t)
    for _ in range(2):
        t = _STRIP.sub("", t).strip()
    return t.replace(" ", "")


def read_label(label) -> tuple | str | None:
    """``"na"``, ``(family, value)`` -- family ``None`` for a neutral word, ``"grade"`` for a grade
    word -- or ``None`` when the words are not those of a rating scale."""
    lex = _lexicon()
    t = _clean(label)
    if not t:
        return None
    if t in lex["na"]:
        return "na"
    if t in lex["neutral"]:
        return (None, 0.0)
    if t in lex["grades"]:
        return ("grade", lex["grades"][t])
    m = None
    for m in lex["stem_rx"].finditer(t):
        pass  # the last stem: 不太满意 → 满意
    if m is None or t[m.end():] not in ("", "的"):
        return None
    family, polarity = lex["stems"][m.group(0)]
    prefix = t[:m.start()]
    negated, strength, hedged = False, None, False
    while prefix:
        word = next((w for w in lex["prefix_words"] if prefix.startswith(w)), None)
        if word is None:
            return None
        kind, value = lex["prefixes"][word]
        rest = prefix[len(word):]
        if kind == "neg":
            negated = not negated
            hedged = hedged or rest.startswith(lex["hedges"])
        elif value:
            strength = max(strength or 0.0, value)
        prefix = rest
    intensity = 1.0 if hedged else (strength if strength is not None else 1.5)
    return (family, polarity * (-1.0 if negated else 1.0) * intensity)


def lexicon_scale(labels) -> LexiconScale | None:
    """Score a question's labels from their words (see the module docstring), or ``None``."""
    read = {}
    na = []
    for lab in dict.fromkeys(str(x) for x in labels if x is not None and str(x).strip()):
        r = read_label(lab)
        if r is None:
            return None
        if r == "na":
            na.append(lab)
        else:
            read[lab] = r
    families = {f for f, _ in read.values() if f is not None}
    if len(families) > 1 and families != {"grade", "quality"}:  # 优秀/较差 mix with 好/差
        return None
    values = sorted({v for _, v in read.values()}, reverse=True)
    if len(values) < 2 or not families:
        return None
    rank = {v: float(len(values) - i) for i, v in enumerate(values)}
    return LexiconScale(scores={lab: rank[v] for lab, (_, v) in read.items()}, na=na,
                        family=next(iter(families)) if len(families) == 1 else "quality", levels=len(values))
