"""Finding personal information in free text, in the disguises people type it in.

Each finder returns *spans* ``(start, end, kind)`` of a text; :class:`survey_analysis.privacy.Redactor`
resolves overlaps and replaces them.  Matching runs on length-preserving *folded* views of the
text (one character in, one character out), so a span found in the view is the span to replace in
the original:

* :func:`id_fold` -- full-width letters, digits and ``＠`` to ASCII, every other decimal digit and the
  Chinese numerals to ASCII digits (一三八… → 138…), ideographic space to space;
* :func:`name_fold` -- traditional characters to simplified (from OpenCC's character table),
  full-width to ASCII.

Identifiers: mobile phones (11 digits starting 1[3-9], with or without +86, written with spaces,
dots or dashes in any grouping, in Chinese numerals), landlines (area code in brackets or followed
by a space or dash), 身份证号 (18 or 15 digits, grouped or not), e-mail addresses (``@``, ``＠``,
``(at)``, ``[at]``, `` at ``, ``#``, 艾特; ``.``, ``。``, ``(dot)``, 点), IP addresses, QQ and WeChat
ids after their cue words (QQ号, 扣扣, 企鹅, 微信, vx, wx, V信 …), student numbers (10–16 digits in a
row, or grouped after a cue such as 学号).  Names: surname + given name before a title, 的 or 说
(张伟同学, 李娜说), surname + title (王经理, 李主任, 张总); see ``resources/privacy/person_names.yaml``.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["looks_like_full_name", "find_identifiers", "find_person_names", "may_hold_identifier",
           "name_fold", "id_fold", "char_class", "word_pattern", "has_traditional", "NAME_SEPARATORS"]

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "壹": "1", "幺": "1", "二": "2", "贰": "2", "三": "3",
              "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6", "七": "7", "柒": "7",
              "八": "8", "捌": "8", "九": "9", "玖": "9"}


def _fullwidth() -> dict:
    table = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)}  # ！… ～ → ! … ~
    table[0x3000] = " "
    return table


@functools.lru_cache(maxsize=1)
def _id_table() -> dict:
    """Every decimal digit (Arabic-Indic, full width …) and Chinese numeral to its ASCII digit,
    full width to ASCII, dashes and middle dots to ``-`` and ``.`` (built on first use)."""
    import unicodedata

    table = {cp: str(unicodedata.decimal(chr(cp))) for cp in range(0x80, 0x20000)
             if unicodedata.decimal(chr(cp), None) is not None}
    table.update(_fullwidth())
    table.update({ord(k): v for k, v in _CN_DIGITS.items()})
    table.update({ord("—"): "-", ord("–"): "-", ord("－"): "-", ord("‐"): "-", ord("−"): "-", ord("·"): ".",
                  ord("•"): ".", ord("・"): "."})
    return table


@functools.lru_cache(maxsize=1)
def _name_table() -> dict:
    """Traditional → simplified, one character to one character (OpenCC's TSCharacters), plus
    full width → ASCII."""
    import os

    import opencc

    table = _fullwidth()
    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2:
                src, dst = parts[0], parts[1].split(" ")[0]
                if len(src) == 1 and len(dst) == 1 and src != dst:
                    table[ord(src)] = dst
    return table


def id_fold(text: str) -> str:
    """``text`` with full-width characters and Chinese numerals folded (same length)."""
    return text.translate(_id_table())


def name_fold(text: str) -> str:
    """``text`` with traditional characters simplified and full width folded (same length)."""
    return text.translate(_name_table())


def name_fold_sources(chars) -> frozenset:
    """``chars`` and every character :func:`name_fold` turns into one of them (traditional,
    full width): the characters a text must hold to contain, folded, one of ``chars``."""
    wanted = set(chars)
    return frozenset(wanted | {chr(src) for src, dst in _name_table().items() if dst in wanted})


@functools.lru_cache(maxsize=1)
def _trad_variants() -> dict:
    """Simplified character → the traditional characters :func:`name_fold` maps onto it."""
    out: dict = {}
    for src, dst in _name_table().items():
        if _ideograph(ord(dst)) and _ideograph(src):
            out.setdefault(dst, []).append(chr(src))
    return out


def _ideograph(cp: int) -> bool:
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x2FFFF


@functools.lru_cache(maxsize=1)
def _traditional() -> frozenset:
    return frozenset(chr(k) for k in _name_table() if _ideograph(k))


def chars_gate(chars) -> re.Pattern:
    """A pattern that finds the first of ``chars`` in a text, or any character beyond the BMP
    (a class of BMP characters is a bitmap, fast; one with others is searched linearly): a quick
    test, exact for texts of BMP characters only."""
    bmp = "".join("\\" + c if c in "\\]^-[" else c for c in sorted(chars) if ord(c) < 0x10000)
    return re.compile(f"[{bmp}\U00010000-\U0010FFFF]")


@functools.lru_cache(maxsize=1)
def _traditional_gate() -> re.Pattern:
    return chars_gate(_traditional())


def has_traditional(text: str) -> bool:
    """Whether ``text`` holds a traditional character :func:`name_fold` would simplify."""
    m = _traditional_gate().search(text)
    if m is None:
        return False
    return ord(m.group()) < 0x10000 or not _traditional().isdisjoint(text[m.start():])


def char_class(chars: str) -> str:
    """A regular-expression class matching ``chars`` in simplified or traditional form."""
    tv = _trad_variants()
    allc = dict.fromkeys(c2 for c in chars for c2 in (c, *tv.get(c, ())))
    return "[" + "".join("\\" + c if c in "\\]^-[" else c for c in allc) + "]"


def word_pattern(word: str, sep: str = "") -> str:
    """``word`` as a pattern: each character in simplified or traditional form, ``sep`` between."""
    return sep.join(char_class(c) if c in _trad_variants() else re.escape(c) for c in word)


#: characters people put between the characters of a name or a number (张 伟, 买买提·艾力)
NAME_SEPARATORS = " \t\u3000·•・.-_"

# ---------------------------------------------------------------------------------------------
# identifiers
# ---------------------------------------------------------------------------------------------
_CN_NUM = "〇零○一壹幺二贰三叁四肆五伍六陆七柒八捌九玖"
# quick first tests on the text as written (most comments fail all of them): a run of digits or
# Chinese numerals; an @-like sign or a cue word (substring tests, much faster than one regex)
_NUMERIC_GATE = re.compile(r"\d[\d .\-_/\u3000—–－]{5,}")
_CN_GATE = re.compile(r"[%s]{3}" % _CN_NUM)
_MARKS = ("@", "＠", "#", "艾特", "圈a", "扣扣", "企鹅", "球球", "微信", "威信", "薇信", "徽信", "加微", "V信", "v信")
_MARK_CHARS = re.compile(r"[@＠#艾圈扣企球微威薇徽Vv]")  # a character every mark holds
_LATIN_MARKS = ("at", "qq", "vx", "wx", "q号", "weixin", "wechat", "加v")
_LATIN = re.compile(r"[A-Za-z]")


def may_hold_identifier(text: str) -> bool:
    """A quick test: ``False`` means :func:`find_identifiers` finds nothing in ``text``."""
    if _MARK_CHARS.search(text):
        for mark in _MARKS:
            if mark in text:
                return True
    if _NUMERIC_GATE.search(text) or _CN_GATE.search(text):
        return True
    if _LATIN.search(text):
        low = text.lower()
        for mark in _LATIN_MARKS:
            if mark in low:
                return True
    return False


_SEP = r"(?:[ .\-_/]{1,2}|\s)"
# a run of digits possibly grouped by separators (138 1234 5678, 110101-19900307-123X)
_RUN = re.compile(r"(?<![0-9])(?P<plus>\+\s?)?\d(?:\d|%s(?=\d)){5,}(?P<x>[Xx](?![A-Za-z0-9]))?" % _SEP)
_ID18 = re.compile(r"[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]")
_ID15 = re.compile(r"[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}")
_STUDENT_CUE = re.compile(r"(?:学号|学籍号|考生号|考号|准考证号?|工号|学生证号?|编号)\s*(?:是|为)?\s*[:：]?\s*$")
# numbers that are not a person's: ISBNs, order / contract / invoice / patent numbers
_ID_MARK = re.compile(r"[\d_\-]")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")
_DIGIT_GROUPS = re.compile(r"[0-9Xx]+")
_SEP_GROUPS = re.compile(r"[^0-9Xx+]+")
_PLUS86 = re.compile(r"^\+?\s*(?:0086|86)(?=[ .\-_/\s]*1[3-9])[ .\-_/\s]*")
_NOT_PERSON_CUE = re.compile(r"(?i)(?:isbn|订单号?|单号|合同|发票|流水号?|专利号?|批号|序列号|编码|代码)[\s:：号-]*$")
_IP = re.compile(r"(?<![0-9.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![0-9.])")
_PAREN_LANDLINE = re.compile(
    r"[(（\[]\s*(?:\+?86\s*)?0\d{2,3}\s*[)）\]]\s*-?\s*\d{3,4}[ \-]?\d{3,4}(?:\s*(?:-|转|ext\.?)\s*\d{1,5})?")
_AT = r"\s*(?:@|\(\s*at\s*\)|\[\s*at\s*\]|\{\s*at\s*\}|（\s*at\s*）|【\s*at\s*】|<\s*at\s*>|\s+at\s+|#|艾特|圈a)\s*"
_DOT = r"\s*(?:\.|。|\(\s*dot\s*\)|\[\s*dot\s*\]|（\s*dot\s*）|【\s*dot\s*】|\s+dot\s+|点)\s*"
_TLD = r"(?:com|cn|net|org|edu|gov|cc|io|me|info|biz|top|vip|co|hk|tw|mo|us|uk|jp|xyz|ai|tech)"
_EMAIL = re.compile(r"(?i)(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}" + _AT
                    + r"[A-Za-z0-9][A-Za-z0-9\-]*(?:" + _DOT + r"[A-Za-z0-9][A-Za-z0-9\-]*)*" + _DOT + _TLD
                    + r"(?![A-Za-z])")
_LINK = r"\s*(?:号码|号|账号|帐号|id)?\s*(?:是|为|[:：])?\s*[:：]?\s*"
_QQ = re.compile(r"(?i)(?<![A-Za-z])(?:qq|扣扣|企鹅|球球|q号)" + _LINK + r"(?P<id>[1-9](?:\d|[ \-](?=\d)){4,12})(?!\d)")
_WX_CUE = r"(?i)(?<![A-Za-z])(?:微信|weixin|wechat|vx|wx|v信|威信|薇信|徽信|加v|加微)"
_WX = re.compile(_WX_CUE + r"(?P<link>" + _LINK + r")"
                 r"(?P<id>[A-Za-z][-_A-Za-z0-9]{5,19}|1[3-9](?:\d|[ \-](?=\d)){9,12}|[1-9]\d{4,11})(?![A-Za-z0-9_\-])")


def _consistent_groups(run: str) -> bool:
    """Digits grouped the way people group a number: one kind of separator throughout, and groups
    of two or more digits (138 1234 5678, 138-12-34-56-78) or all of one digit (1 3 8 …) -- not a
    list of statistics (1.3 5.2 6.7 …)."""
    run = _PLUS86.sub("", run)  # +86 / 0086 and its gap
    seps = {("s" if s.isspace() else s) for s in _SEP_GROUPS.findall(run.lstrip("+ "))}
    groups = [len(g) for g in _DIGIT_GROUPS.findall(run)]
    return len(seps) <= 1 and (min(groups) >= 2 or max(groups) == 1)


def _classify_run(text: str, m: re.Match) -> str | None:
    """The kind of identifier a digit run is, or ``None``."""
    run = m.group(0)
    if _IP.fullmatch(run):  # a dotted quad is an IP address (found by its own pattern)
        return None
    digits = _NOT_DIGIT.sub("", run)
    grouped = bool(m.group("plus")) or len(digits) != len(run)
    after_letter = m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
    if _MOBILE.fullmatch(digits) and (not grouped or _consistent_groups(run)):
        return "phone"
    if _ID18.fullmatch(digits) or (len(digits) == 15 and _ID15.fullmatch(digits)):
        return "id_card"
    if after_letter:
        return None
    if grouped:
        parts = _DIGIT_GROUPS.findall(run)
        if m.group("plus") and parts[0] == "86" and len(parts) > 1:  # +86 21 5555 6666: area code without 0
            parts, digits = ["0" + parts[1]] + parts[2:], "0" + digits[2:]
        if _LANDLINE.fullmatch(parts[0]) and 7 <= len(digits) - len(parts[0]) <= 13 and len(parts) <= 4:
            return "landline"
        if 10 <= len(digits) <= 16 and _STUDENT_CUE.search(text[max(0, m.start() - 12):m.start()]):
            return "student_id"
        return None
    if digits.startswith("0") and 10 <= len(digits) <= 12 and _LANDLINE.match(digits):
        return "landline"
    if 10 <= len(digits) <= 16 and not _NOT_PERSON_CUE.search(text[max(0, m.start() - 8):m.start()]):
        return "student_id"
    return None


_EMAIL_GATE = re.compile(r"[@＠#]|艾特|圈a|(?i:\bat\b|\(\s*at|\[\s*at|（\s*at|【\s*at)")
_IP_GATE = re.compile(r"\d\.\d{1,3}\.\d")
_CUE_GATE = re.compile(r"(?i:qq|q号|vx|wx|v信|weixin|wechat|加v)|扣扣|企鹅|球球|微信|威信|薇信|徽信|加微")
_RUN_GATE = re.compile(r"\d[\d .\-_/\s]{5,}")


def find_identifiers(text: str, *, quick: bool = True) -> list:
    """Spans ``(start, end, kind)`` of the identifiers in ``text`` (overlaps possible).
    ``quick=False`` skips the first tests (of :func:`may_hold_identifier` and of each family; for
    tests: they must not change the result)."""
    if quick and not may_hold_identifier(text):
        return []
    t = text.translate(_id_table())
    spans = []
    if not quick or _EMAIL_GATE.search(t):
        spans.extend((m.start(), m.end(), "email") for m in _EMAIL.finditer(t))
    if not quick or _CUE_GATE.search(t):
        spans.extend((m.start("id"), m.end("id"), "qq") for m in _QQ.finditer(t))
        for m in _WX.finditer(t):
            # "微信zhangsan" with nothing in between: only an id with a digit or _ (not wxPython …)
            if m.group("link") or _ID_MARK.search(m.group("id")):
                spans.append((m.start("id"), m.end("id"), "wechat"))
    if quick and not _RUN_GATE.search(t):
        return spans
    if not quick or _IP_GATE.search(t):
        spans.extend((m.start(), m.end(), "ip") for m in _IP.finditer(t))
    spans.extend((m.start(), m.end(), "landline") for m in _PAREN_LANDLINE.finditer(t))
    for m in _RUN.finditer(t):
        kind = _classify_run(t, m)
        if kind is not None:
            spans.append((m.start(), m.end(), kind))
    return spans


# ---------------------------------------------------------------------------------------------
# names of people (not on any roster)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _NameRules:
    triggers: re.Pattern  # a title, short title or follower, as written (simplified or traditional)
    followers: frozenset  # the followers as written (a surname alone may stand before a title, not these)
    surnames: frozenset
    compound: frozenset
    given: frozenset
    left: frozenset
    excl: frozenset
    near: frozenset  # what may stand right before a title: a surname or given-name character (or traditional)


@functools.lru_cache(maxsize=1)
def _name_rules() -> _NameRules:
    import yaml

    base = resources.files("survey_analysis").joinpath("resources", "privacy")
    spec = yaml.safe_load(base.joinpath("person_names.yaml").read_text(encoding="utf-8"))
    excl = frozenset(w.strip() for w in base.joinpath("name_exclusions.txt").read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))
    blockers = spec["title_blockers"]

    tv = _trad_variants()

    def alt(words):
        # literal alternatives (every simplified / traditional spelling): much faster than classes
        out = []
        for w in sorted(words, key=len, reverse=True):
            block = f"(?!{char_class(blockers[w])})" if w in blockers else ""
            for v in sorted({"".join(p) for p in itertools.product(*[(c, *tv.get(c, ())) for c in w])}):
                out.append(re.escape(v) + block)
        return "|".join(out)

    tv = _trad_variants()
    triggers = re.compile(alt(spec["titles"] + spec["short_titles"] + spec["name_followers"]))  # no groups: fast
    followers = frozenset(v for w in spec["name_followers"]
                          for v in ("".join(p) for p in itertools.product(*[(c, *tv.get(c, ())) for c in w])))
    return _NameRules(triggers=triggers, followers=followers,
                      surnames=frozenset("".join(spec["surnames"].split())),
                      compound=frozenset(spec["compound_surnames"]),
                      given=frozenset("".join(spec["given_chars"].split())),
                      left=frozenset("".join(spec["left_context"].split())), excl=excl,
                      near=frozenset(c2 for c in "".join(spec["surnames"].split()) + "".join(spec["given_chars"].split())
                                     + "".join(spec["compound_surnames"]) for c2 in (c, *tv.get(c, ()))))


def _starts_name(text: str, s: int, left: frozenset) -> bool:
    """No Chinese word runs into position ``s``: it is the start, or follows a non-Chinese
    character or a usual left context (的, 和, 感谢 …)."""
    if s == 0:
        return True
    prev = name_fold(text[s - 1])
    return not ("\u3400" <= prev <= "\u9fff") or prev in left


def _name_before(text: str, p: int, rules: _NameRules, surname_alone: bool) -> int | None:
    """The start of a name ending at ``p`` (surname + one or two given-name characters, or a surname
    alone when ``surname_alone``), the longest first; ``None`` if there is none."""
    if p == 0 or text[p - 1] not in rules.near:  # the usual case: no name can end here
        return None
    for length in (4, 3, 2, 1):
        s = p - length
        if s < 0:
            continue
        cand = name_fold(text[s:p])
        for head in (cand[:2], cand[:1]):
            rest = cand[len(head):]
            if not (head in rules.compound if len(head) == 2 else head in rules.surnames):
                continue
            if rest and not (len(rest) <= 2 and all(c in rules.given for c in rest)):
                continue
            if not rest and not surname_alone:
                continue
            if cand in rules.excl or (not rest and name_fold(text[s:p + 1]) in rules.excl):
                continue  # an ordinary word (张力, 高明), or 施工 that is not 施 + 工
            if _starts_name(text, s, rules.left):
                return s
    return None


def find_person_names(text: str) -> list:
    """Spans ``(start, end, "name")`` of people's names written in the usual patterns (张伟同学,
    李娜说, 王经理, 刘工), in simplified or traditional characters.

    At each title (同学, 经理 …) or follower (的, 说 …) the characters before it are tried: a
    surname and one or two given-name characters (before a title also a surname alone), starting
    where no other word runs into them, and not an ordinary word (``name_exclusions.txt``)."""
    rules = _name_rules()
    spans, last = [], 0
    for m in rules.triggers.finditer(text):
        p = m.start()
        s = _name_before(text, p, rules, surname_alone=m.group(0) not in rules.followers)
        if s is not None and s >= last:
            spans.append((s, p, "name"))
            last = p
    return spans


def looks_like_full_name(text: str) -> bool:
    """Whether ``text`` as a whole reads as a person's full name (surname + one or two given-name
    characters, not an ordinary word): a name typed into a choice question, shown as an "option"."""
    t = "".join(ch for ch in name_fold(str(text).strip()) if ch not in NAME_SEPARATORS)  # 梁 帅 建
    rules = _name_rules()
    if not 2 <= len(t) <= 4 or t in rules.excl:
        return False
    for head in (t[:2], t[:1]):
        rest = t[len(head):]
        if (head in rules.compound if len(head) == 2 else head in rules.surnames) \
                and 1 <= len(rest) <= 2 and all(c in rules.given for c in rest):
            return True
    return False
