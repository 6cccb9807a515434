"""Where a line may break: between words, never inside one.

Every renderer that wraps text itself (the PDF for paragraphs and table cells, the HTML for
the browser's ``<wbr>`` hints, the DOCX for column widths) asks the same question: where may a
line of Chinese text end?  Chinese has no spaces, so the answer comes from a segmenter.

* Runs of Han characters are cut into words by the package's jieba :class:`~survey_analysis.text.Segmenter`
  (its domain user dictionary keeps 人才培养方案, 计算机科学与技术, the 本科专业目录 names and
  the competency terms whole), after a pass that keeps the report's own vocabulary
  (:data:`TERMS`) and the names a caller passes (majors, colleges: ``phrases``) in one piece.
* Numbers stay whole with their sign, currency, percent sign and range (``<0.001``,
  ``¥6,512``, ``80.6–83.4%``, ``2022-08-20``), and so do Latin words and file names
  (``employer_2025_wjx_text.xls``); a number is not separated from a one-character
  measure word after it (``585 份`` written ``585份``).
* Chinese punctuation rules (避头尾): a closing mark (``，。）》”`` …) never starts a line, an
  opening one (``（《“`` …) never ends one.
* Between two Latin or number units a line breaks only at a space.

Only a unit wider than the whole line is broken inside (at ``_ . / -`` first, then anywhere).

Each distinct Han run is segmented once per :class:`WordBreaker` (one per render), so a table
repeating a major's name a thousand times costs one segmentation.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

__all__ = [
    "NO_START",
    "NO_END",
    "TERMS",
    "WordBreaker",
    "break_lines",
    "display_width",
    "is_wide",
]

# Chinese line-breaking rules (避头尾): these never start a line …
NO_START = frozenset("，。、；：？！）］｝〕〉》」』】〗”’…‥—～·%％‰,.;:?!)]}>・ー々〃\"'")
# … and these never end one
NO_END = frozenset("（［｛〔〈《「『【〖“‘([{<￥¥$\"'")  # ASCII quotes: open or close, keep both sides

#: Words of the report's own vocabulary that jieba would cut (能力满足度 → 能力 / 满足 / 度).
TERMS = (
    "能力满足度", "就业去向落实率", "毕业去向落实率", "专业相关度", "职业期待吻合度", "就业满意度",
    "重要度", "满意度", "推荐度", "离职率", "落实率", "置信区间", "样本量", "用人单位", "毕业生",
    "开放题", "预警线", "基本满足线", "重点改进区", "继续保持区", "次要改进区", "过度投入区",
    "人才培养方案", "培养方案", "课程体系", "实践教学", "访企拓岗",
)

_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NUM = r"[-+−]?[¥￥$]?\d[\d,]*(?:\.\d+)?(?:[%‰％])?"
_UNIT = re.compile(
    r"\s+"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # dates
    rf"|[<>≤≥±~＜＞]?{_NUM}(?:\s?[–—~～-]\s?{_NUM})?(?![A-Za-z_])"  # numbers, ranges
    r"|[A-Za-z0-9_][A-Za-z0-9_.,%+\-/@#&'’]*"  # Latin words, codes, file names
    rf"|[{_HAN_CLASS}]+"
    r"|.",
    re.S,
)
_HAN_RUN = re.compile(rf"[{_HAN_CLASS}]+")
#: numbers a browser would break after their hyphen, dash or slash (ranges, dates)
_BREAKY_NUMBER = re.compile(r"\d\s?[-–—~～/]\s?[-+]?\d")
_LONG_LATIN = re.compile(r"[A-Za-z0-9_.\-/]{21,}")
_SOFT_POINT = re.compile(r"(?<=[_./\-])(?=[A-Za-z0-9])")
#: where an over-long Latin unit prefers to break (after these)
_SOFT = re.compile(r"(?<=[_./\\\-–])")


def is_wide(ch: str) -> bool:
    """True for characters drawn about twice as wide as a Latin letter (CJK, full width)."""
    o = ord(ch)
    return (0x1100 <= o <= 0x115F or 0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7A3
            or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFF60
            or 0xFFE0 <= o <= 0xFFE6 or 0x20000 <= o <= 0x3FFFD)


def display_width(text: str) -> int:
    """Width of ``text`` in half-width character cells: CJK and full-width characters count
    2, everything else 1 (the longest line when ``text`` has several).

    Examples
    --------
    >>> display_width("计算机 A1")
    9
    """
    if "\n" in text:
        return max(display_width(t) for t in text.split("\n"))
    if text.isascii():
        return len(text)
    return sum(2 if is_wide(c) else 1 for c in text)


def _cjk_unit(u: str) -> bool:
    """A unit next to which a line may break (Han word, CJK or full-width punctuation)."""
    return any(is_wide(c) for c in u)


class WordBreaker:
    """Cut text into the groups between which a line may break.

    Parameters
    ----------
    phrases : iterable of str, optional
        Names to keep in one piece when they appear in running text (majors, colleges,
        competencies); those of 4 to 40 characters are added to :data:`TERMS`.
    segmenter : Segmenter, optional
        Default: the package's :class:`~survey_analysis.text.Segmenter` with every token kept
        (``stopwords=False``) on the fastest installed backend (rjieba gives jieba's tokens).

    Examples
    --------
    >>> wb = WordBreaker()
    >>> wb.groups("修订人才培养方案，落实率 85.3%（80.1–89.6）")
    ['修订', '人才培养方案，', '落实率', ' ', '85.3%', '（80.1–89.6）']
    """

    def __init__(self, phrases: Iterable[str] = (), *, segmenter=None) -> None:
        self._segmenter = segmenter
        # a caller's short names (英语, 会计学) are jieba words already; protecting them would
        # cut longer words that contain them (英语口语)
        words = set(TERMS) | {p for p in map(str, phrases) if 4 <= len(p) <= 40}
        han = sorted((w for w in words if _HAN_RUN.fullmatch(w)), key=lambda w: (-len(w), w))
        self._protect = re.compile("|".join(map(re.escape, han))) if han else None
        self._words: dict[str, tuple[str, ...]] = {}
        self._groups: dict[str, list[str]] = {}

    def _seg(self):
        if self._segmenter is None:
            from ..text import Segmenter
            from ..text._segment import fast_backend

            self._segmenter = Segmenter(backend=fast_backend(), stopwords=False)
        return self._segmenter

    def words(self, run: str) -> tuple[str, ...]:
        """The words of a run of Han characters (segmented once per distinct run)."""
        hit = self._words.get(run)
        if hit is not None:
            return hit
        out: list[str] = []
        pos = 0
        if self._protect is not None:
            for m in self._protect.finditer(run):
                if m.start() > pos:
                    out += self._cut(run[pos:m.start()])
                out.append(m.group(0))
                pos = m.end()
        if pos < len(run):
            out += self._cut(run[pos:])
        res = self._words[run] = tuple(out)
        return res

    def _cut(self, piece: str) -> list[str]:
        if len(piece) == 1:
            return [piece]
        toks = self._seg().cut(piece)
        if "".join(toks) == piece:
            return toks
        if sum(map(len, toks)) == len(piece):  # normalised (traditional → simplified): same lengths
            out, i = [], 0
            for t in toks:
                out.append(piece[i:i + len(t)])
                i += len(t)
            return out
        return list(piece)  # cannot map the words back: every character is a unit

    def units(self, text: str) -> list[str]:
        """Text cut into units: words, numbers, Latin runs, single marks and spaces."""
        out: list[str] = []
        for u in _UNIT.findall(text):
            if len(u) > 1 and _HAN_RUN.fullmatch(u):
                out += self.words(u)
            else:
                out.append(u)
        return out

    def groups(self, text: str) -> list[str]:
        """``text`` cut where a line may break; spaces are groups of their own.

        ``"".join(groups(text)) == text``.
        """
        hit = self._groups.get(text)
        if hit is None:
            hit = self._groups[text] = join_units(self.units(text))
        return hit

    def html(self, text: str, escape: Callable[[str], str]) -> str:
        """``text`` escaped, with ``<wbr>`` where a line may break and no break elsewhere.

        Breaks already given by a space are left to the browser; a group with a number range
        or a date (``80.6–83.4%``, ``2022-08-20``) is wrapped in ``<span class="nw">``
        (``white-space: nowrap``) because browsers break after a hyphen, dash or slash.
        """
        parts: list[str] = []
        prev_space = True
        for g in self.groups(text):
            if g.isspace():
                parts.append(escape(g))
                prev_space = True
                continue
            if not prev_space:
                parts.append("<wbr>")
            e = escape(g)
            if len(g) > 20:  # a file name or URL may break after _ . / -
                e = _LONG_LATIN.sub(lambda m: _SOFT_POINT.sub("<wbr>", m.group(0)), e)
            if len(g) <= 40 and (_BREAKY_NUMBER.search(g) or " " in g):  # browsers break at spaces
                e = f'<span class="nw">{e}</span>'
            parts.append(e)
            prev_space = False
        return "".join(parts)


class CharBreaker(WordBreaker):
    """Breaks between any two Han characters (the old behaviour; for tests and comparison)."""

    def words(self, run: str) -> tuple[str, ...]:
        return tuple(run)


def join_units(units: list[str]) -> list[str]:
    """Glue units between which no line may break into groups."""
    groups: list[str] = []
    for u in units:
        if u.isspace() or not groups or groups[-1].isspace():
            groups.append(u)
            continue
        prev = groups[-1]
        if _may_break(prev, u):
            groups.append(u)
        else:
            groups[-1] = prev + u
    # "585 份", "3 年": a number keeps its one-character measure word across a space
    k = len(groups) - 2
    while k >= 1:
        if k + 1 >= len(groups):
            k -= 1
            continue
        a, sp, b = groups[k - 1], groups[k], groups[k + 1]
        if sp == " " and a[-1:].isdigit() and _HAN_RUN.match(b) and not _HAN_RUN.match(b[1:2]):
            groups[k - 1:k + 2] = [a + sp + b]
        k -= 1
    return groups


def _may_break(prev: str, u: str) -> bool:
    if u[0] in NO_START or prev[-1] in NO_END:
        return False
    if not (_cjk_unit(prev[-1]) or _cjk_unit(u[0])):
        return False  # Latin and numbers break at spaces only
    if len(u) == 1 and prev[-1].isdigit() and _HAN_RUN.match(u):
        return False  # 585份, 2025届: a number keeps its measure word
    return True


def _split_long(unit: str, max_width: float, w) -> list[str]:
    """Pieces of a unit wider than a line: at ``_ . / -`` where possible, else characters."""
    if _HAN_RUN.fullmatch(unit) or len(unit) < 2:
        return list(unit)
    pieces = [p for p in _SOFT.split(unit) if p]
    out: list[str] = []
    for p in pieces:
        out += list(p) if w(p) > max_width else [p]
    return out


def break_lines(text: str, max_width: float, width_of: Callable[[str], float],
                breaker: WordBreaker | None = None) -> list[str]:
    """Split ``text`` into lines no wider than ``max_width``, breaking between words.

    Lines break only where :class:`WordBreaker` allows (between words; never inside a number,
    a Latin word or a Chinese word; never before closing or after opening punctuation).  A
    group wider than a line is broken at its unit boundaries, then inside.  Explicit newlines
    are kept; spaces at a break are dropped; the last line of a paragraph never holds a single
    character when the line before can give it company (孤字).

    Parameters
    ----------
    text : str
    max_width : float
    width_of : callable
        ``width_of(s) -> float`` in the same unit as ``max_width``.
    breaker : WordBreaker, optional
        Default: every Han character is its own word (:class:`CharBreaker`).
    """
    bk = breaker if breaker is not None else _CHARS
    cache: dict[str, float] = {}

    def w(tok: str) -> float:
        v = cache.get(tok)
        if v is None:
            v = cache[tok] = width_of(tok)
        return v

    out: list[str] = []
    for par in text.split("\n"):
        out += _break_paragraph(par, max_width, w, bk, first=not out)
    return out


def _pieces(par: str, max_width: float, w, bk: WordBreaker) -> list[str]:
    """The groups of a paragraph, a group wider than a line replaced by its breakable pieces."""
    out: list[str] = []
    for g in bk.groups(par):
        if g.isspace() or w(g) <= max_width or len(g) == 1:
            out.append(g)
            continue
        for u in bk.units(g):
            out += [u] if w(u) <= max_width else _split_long(u, max_width, w)
    return out


def _break_paragraph(par: str, max_width: float, w, bk: WordBreaker, first: bool) -> list[str]:
    lines: list[list[str]] = []
    line: list[str] = []
    width = 0.0
    for g in _pieces(par, max_width, w, bk):
        gw = w(g)
        if g.isspace():
            if not line and (lines or not first):
                continue  # no leading space on a wrapped line
            if line and width + gw > max_width:
                lines.append(line)
                line, width = [], 0.0
                continue
            line.append(g)
            width += gw
            continue
        if width + gw <= max_width or not line:
            line.append(g)
            width += gw
            continue
        lines.append(line)
        line, width = [g], gw
    lines.append(line)
    # no lone character on the last line (孤字): the line before gives it its last word
    last = "".join(lines[-1]).rstrip()
    if len(lines) > 1 and len(last) == 1 and not last.isascii():
        prev = lines[-2]
        while prev and prev[-1].isspace():
            prev.pop()
        if len(prev) > 1 and len("".join(prev)) > 3 and not prev[-1][-1].isascii():
            moved = prev.pop()
            if w(moved + last) <= max_width:
                lines[-1] = [moved] + lines[-1]
            else:
                prev.append(moved)
    return ["".join(ln).rstrip() for ln in lines]


_CHARS = CharBreaker()
