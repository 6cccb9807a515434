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
import re
from importlib import resources

__all__ = ["find_identifiers", "find_person_names", "may_hold_identifier",
           "name_fold", "id_fold", "NAME_SEPARATORS"]

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


#: characters people put between the characters of a name or a number (张 伟, 买买提·艾力)
NAME_SEPARATORS = " \t\u3000·•・.-_"

# ---------------------------------------------------------------------------------------------
# identifiers
# ---------------------------------------------------------------------------------------------
_CN_NUM = "〇零○一壹幺二贰三叁四肆五伍六陆七柒八捌九玖"
# a text without any of these cannot hold an identifier (checked before anything else)
_MAY = re.compile(r"[\d@＠#]|[%s]{3}|(?i:\bat\b|\(at\)|\[at\]|艾特|qq|扣扣|企鹅|微信|vx|wx|v信|weixin|wechat)" % _CN_NUM)


def may_hold_identifier(text: str) -> bool:
    """A quick test: ``False`` means :func:`find_identifiers` finds nothing in ``text``."""
    return _MAY.search(text) is not None


_SEP = r"(?:[ .\-_/]{1,2}|\s)"
# a run of digits possibly grouped by separators (138 1234 5678, 110101-19900307-123X)
_RUN = re.compile(r"(?<![0-9])(?P<plus>\+\s?)?\d(?:\d|%s(?=\d))*(?P<x>[Xx](?![A-Za-z0-9]))?" % _SEP)
_ID18 = re.compile(r"[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]")
_ID15 = re.compile(r"[1-8]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}")
_MOBILE = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}")
_STUDENT_CUE = re.compile(r"(?:学号|学籍号|考生号|考号|准考证号?|工号|学生证号?|编号)\s*(?:是|为)?\s*[:：]?\s*$")
# numbers that are not a person's: ISBNs, order / contract / invoice / patent numbers
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
    run = re.sub(r"^\+?\s*(?:0086|86)(?=[ .\-_/\s]*1[3-9])[ .\-_/\s]*", "", run)  # +86 / 0086 and its gap
    seps = {("s" if s.isspace() else s) for s in re.findall(r"[^0-9Xx+]+", run.lstrip("+ "))}
    groups = [len(g) for g in re.findall(r"[0-9Xx]+", run)]
    return len(seps) <= 1 and (min(groups) >= 2 or max(groups) == 1)


def _classify_run(text: str, m: re.Match) -> str | None:
    """The kind of identifier a digit run is, or ``None``."""
    run = m.group(0)
    if _IP.fullmatch(run):  # a dotted quad is an IP address (found by its own pattern)
        return None
    digits = re.sub(r"[^0-9Xx]", "", run)
    grouped = bool(m.group("plus")) or bool(re.search(r"[^0-9Xx]", run))
    after_letter = m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha()
    if _MOBILE.fullmatch(digits) and (not grouped or _consistent_groups(run)):
        return "phone"
    if _ID18.fullmatch(digits) or (len(digits) == 15 and _ID15.fullmatch(digits)):
        return "id_card"
    if after_letter:
        return None
    if grouped:
        parts = re.findall(r"[0-9Xx]+", run)
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


def find_identifiers(text: str, *, quick: bool = True) -> list:
    """Spans ``(start, end, kind)`` of the identifiers in ``text`` (overlaps possible).
    ``quick=False`` skips the first test of :func:`may_hold_identifier` (for tests)."""
    if quick and not may_hold_identifier(text):
        return []
    t = text.translate(_id_table())
    spans = []
    for m in _EMAIL.finditer(t):
        spans.append((m.start(), m.end(), "email"))
    for m in _IP.finditer(t):
        spans.append((m.start(), m.end(), "ip"))
    for m in _PAREN_LANDLINE.finditer(t):
        spans.append((m.start(), m.end(), "landline"))
    for m in _QQ.finditer(t):
        spans.append((m.start("id"), m.end("id"), "qq"))
    for m in _WX.finditer(t):
        ident = m.group("id")
        link = m.group("link")
        # "微信zhangsan" with nothing in between: only an id with a digit or _ (not wxPython …)
        if link or re.search(r"[\d_\-]", ident):
            spans.append((m.start("id"), m.end("id"), "wechat"))
    for m in _RUN.finditer(t):
        kind = _classify_run(t, m)
        if kind is not None:
            spans.append((m.start(), m.end(), kind))
    return spans


# ---------------------------------------------------------------------------------------------
# names of people (not on any roster)
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _name_patterns():
    import yaml

    base = resources.files("survey_analysis").joinpath("resources", "privacy")
    spec = yaml.safe_load(base.joinpath("person_names.yaml").read_text(encoding="utf-8"))
    excl = frozenset(w.strip() for w in base.joinpath("name_exclusions.txt").read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.startswith("#"))
    surnames = "".join(spec["surnames"].split())
    given = "".join(spec["given_chars"].split())
    left = "".join(spec["left_context"].split())
    blockers = spec["title_blockers"]

    def title_alt(words):
        out = []
        for w in sorted(words, key=len, reverse=True):
            block = blockers.get(w)
            out.append(re.escape(w) + (f"(?![{block}])" if block else ""))
        return "|".join(out)

    titles = title_alt(spec["titles"])
    short = title_alt(spec["short_titles"])
    followers = "|".join(map(re.escape, sorted(spec["name_followers"], key=len, reverse=True)))
    sur = "(?:" + "|".join(map(re.escape, spec["compound_surnames"])) + f"|[{surnames}])"
    # a name starts where no Chinese word runs into it: after a non-Chinese character or a usual left context
    lb = rf"(?:(?<![\u3400-\u9fff])|(?<=[{re.escape(left)}]))"
    after = rf"(?:{titles}|{short}|{followers})"
    full = re.compile(rf"{lb}(?P<name>{sur}[{given}]{{1,2}})(?={after})")
    title_only = re.compile(rf"{lb}(?P<name>{sur})(?=(?:{titles}|{short}))")
    return full, title_only, excl


def find_person_names(text: str) -> list:
    """Spans ``(start, end, "name")`` of people's names written in the usual patterns (张伟同学,
    李娜说, 王经理, 刘工), in the folded view (traditional characters count too)."""
    full, title_only, excl = _name_patterns()
    t = name_fold(text)
    spans = []
    for m in full.finditer(t):
        name = m.group("name")
        if name in excl:
            continue
        spans.append((m.start("name"), m.end("name"), "name"))
    for m in title_only.finditer(t):
        if t[m.start("name"):m.end("name") + 1] in excl:  # 施工 is not 施 + 工
            continue
        spans.append((m.start("name"), m.end("name"), "name"))
    return spans
