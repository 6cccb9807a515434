"""Text normalisation and no-content detection for survey comments."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize_text", "is_no_content", "comment_status"]

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_FULL_TO_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _control_table() -> dict:
    """Drop control / format characters (tab and newlines become spaces later)."""
    table = {}
    for cp in list(range(0x00, 0x20)) + list(range(0x7F, 0xA0)):
        if cp not in (0x09, 0x0A, 0x0D):
            table[cp] = None
    # zero-width and bidi format characters: drop
    for cp in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD,
               0x202A, 0x202B, 0x202C, 0x202D, 0x202E):
        table[cp] = None
    table.update(_FULL_TO_HALF)
    return table


@lru_cache(maxsize=1)
def t2s_converter():
    """Return ``(set of traditional-only characters, OpenCC converter)``; loaded lazily."""
    import os

    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    chars = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1:
                targets = parts[1].split()
                if parts[0] not in targets:
                    chars.add(parts[0])
    return frozenset(chars), opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _t2s_pieces():
    """OpenCC's own separator split and its per-piece converter, or None if the API differs."""
    conv = t2s_converter()[1]
    conv.convert("")  # loads the dictionaries
    split = getattr(conv, "split_chars_re", None)
    piece = getattr(conv, "_convert", None)
    chain = getattr(conv, "_dict_chain_data", None)
    if split is None or piece is None or chain is None:  # pragma: no cover - another opencc
        return None

    @lru_cache(maxsize=65536)  # bounded; comments repeat clauses
    def convert_piece(text: str) -> str:
        return piece(text, chain)

    return split.split, convert_piece


def _t2s_convert(text: str) -> str:
    """``OpenCC("t2s").convert(text)``, each piece between OpenCC's separators converted once.

    ``convert`` itself splits at its separators and converts the pieces independently (no
    dictionary entry contains a separator), so memoising the pieces gives the same text.
    """
    fns = _t2s_pieces()
    if fns is None:  # pragma: no cover
        return t2s_converter()[1].convert(text)
    split, convert_piece = fns
    parts = split(text)
    for i in range(0, len(parts), 2):
        if parts[i]:
            parts[i] = convert_piece(parts[i])
    return "".join(parts)


# quick checks so that clean text (the usual case) skips the slower steps
_NEEDS_TABLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e"
    "\uff01-\uff5e\u3000]"
)
_NEEDS_SPACE_RE = re.compile(r"\s\s|[^\S ]|^\s|\s$")
_OTHER_SPACE_RE = re.compile(r"[^\S ]")  # whitespace other than the plain space


def _needs_space(text: str) -> bool:
    """``_NEEDS_SPACE_RE.search(text)``, faster: with no other whitespace only ' ' can be there."""
    return (_OTHER_SPACE_RE.search(text) is not None or "  " in text or text[:1] == " "
            or text[-1:] == " ")


def is_invalid(value) -> bool:
    """True when ``value`` is not text at all (None, NaN, a number, a non-string object)."""
    if value is None:
        return True
    if isinstance(value, str):
        return False
    return True


def normalize_text(text: str, *, traditional: bool = True, lower: bool = False) -> str:
    """Normalise one comment for segmentation and matching.

    Full-width ASCII → half-width (``ＡＢＣ１２３，`` → ``ABC123,``), the ideographic space →
    space, control and zero-width characters removed, runs of whitespace collapsed to one
    space, leading/trailing space stripped; optionally traditional → simplified characters
    (OpenCC ``t2s``, applied only when the text contains a traditional-only character).

    Parameters
    ----------
    text : str
        The text. ``None``, NaN and other non-strings give ``""``.
    traditional : bool, default True
        Convert traditional characters to simplified.
    lower : bool, default False
        Lower-case Latin letters as well.

    Returns
    -------
    str

    Examples
    --------
    >>> normalize_text("Ｅｘｃｅｌ　不熟练\\x00，溝通能力有待加強")
    'Excel 不熟练,沟通能力有待加强'
    """
    if not isinstance(text, str):
        return ""
    out = text
    if _NEEDS_TABLE_RE.search(out):
        out = out.translate(_control_table())
    if _needs_space(out):
        out = _SPACE_RE.sub(" ", out).strip()
    if traditional and out:
        chars, conv = t2s_converter()
        if not chars.isdisjoint(out):
            out = _t2s_convert(out)
    if lower:
        out = out.lower()
    return out


# --- no-content answers -----------------------------------------------------------------
# Whole answers that carry no information about competencies (after normalisation, with
# punctuation, spaces and trailing particles removed).
_NO_CONTENT_CORE = (
    "无|没有|暂无|暂时没有|暂时无|目前没有|目前无|无意见|没意见|没有意见|暂无意见|无建议|没建议|"
    "没有建议|暂无建议|无其他|无其他意见|无其他建议|没有其他|没有其他意见|没有其他建议|没什么|"
    "没什么意见|没什么建议|没啥|没啥意见|没啥建议|没有什么|没有什么意见|没有什么建议|无特别意见|"
    "很好|挺好|好|都好|都很好|都挺好|一切都好|非常好|蛮好|还好|还行|还可以|可以|不错|很不错|挺不错|"
    "各方面都不错|各方面都很好|都不错|满意|很满意|非常满意|比较满意|基本满意|总体满意|总体满意继续保持|"
    "继续保持|保持|希望继续保持|谢谢|感谢|无所谓|不清楚|不知道|不了解|说不清|不好说|不方便透露|"
    "同上|如上|略|暂未|未填|不填|不详|无可奉告|没有了|无了|ok|okay|no|none|nothing|na|n/a|nil|null|good|fine"
)
_NO_CONTENT_RE = re.compile(
    rf"^(?:(?:{_NO_CONTENT_CORE})(?:的|了|啊|吧|呀|哈|哦|呢|吗)*)+$", re.IGNORECASE
)
_STRIP_RE = re.compile(r"[\s\W_]+", re.UNICODE)  # punctuation, symbols, spaces


def _core(text: str) -> str:
    return _STRIP_RE.sub("", text)


@lru_cache(maxsize=1)
def _content_char_re():
    """A word character that no no-content answer contains: not ASCII, not a digit, not one of
    the characters of ``_NO_CONTENT_CORE`` / the particles, not matching a Latin letter when
    case is ignored (K, ſ …)."""
    allowed = set(_NO_CONTENT_CORE.replace("|", "")) | set("的了啊吧呀哈哦呢吗")
    latin = re.compile("[a-z]", re.IGNORECASE)
    allowed |= {chr(cp) for cp in range(0x80, 0x10000) if latin.match(chr(cp))}
    body = "".join(re.escape(c) for c in sorted(ch for ch in allowed if not ch.isascii()))
    return re.compile(rf"[^\W\d_\x00-\x7f{body}]")


_LETTER_OR_DIGIT_RE = re.compile(r"[^\W_]")


def _no_content_norm(norm: str) -> bool:
    """:func:`is_no_content` for an already normalised, non-empty text."""
    m = _content_char_re().search(norm)
    if m is not None:
        # a character no no-content answer has (沟, 实 …): no content only if the answer is that
        # character repeated ("嗯嗯嗯"); any other letter or digit rules that out
        ch = m.group(0)
        if not ch.isdigit() and _LETTER_OR_DIGIT_RE.search(norm.replace(ch, "")) is not None:
            return False
    return _no_content_core(norm)


def _no_content_core(norm: str) -> bool:
    """The full no-content test (the reference for the shortcut in :func:`_no_content_norm`)."""
    core = _core(norm)
    if not core:  # only punctuation / symbols, e.g. "/" or "……"
        return True
    if _NO_CONTENT_RE.match(core):
        return True
    # digits only, one character repeated ("111", "aaa", "666"), very short Latin junk
    return core.isdigit() or len(set(core)) == 1 and len(core) > 1 or (len(core) <= 2 and core.isascii())


def status_and_norm(value) -> tuple[str, str]:
    """``(status, normalised text)`` of one raw comment (see :func:`comment_status`)."""
    if not isinstance(value, str):
        return "invalid", ""
    norm = normalize_text(value)
    if not norm:
        return "empty", ""
    if _no_content_norm(norm):
        return "no_content", norm
    return "text", norm


def is_no_content(text) -> bool:
    """True for an answer that says nothing: 无, 没有, 暂无, 很好, 没意见, ``/``, ``666`` …

    Non-strings and empty strings are not "no content" (they are invalid or empty, see
    :func:`comment_status`).

    Examples
    --------
    >>> is_no_content("无。"), is_no_content("暂无意见"), is_no_content("沟通能力有待提高")
    (True, True, False)
    """
    if not isinstance(text, str):
        return False
    norm = normalize_text(text)
    if not norm:
        return False
    return _no_content_norm(norm)


def comment_status(value) -> str:
    """Classify one raw comment before matching: ``invalid``, ``empty``, ``no_content`` or ``text``.

    ``invalid`` = not a string (None, NaN, numbers, other objects); ``empty`` = a string that is
    empty after normalisation (whitespace, control characters only); ``no_content`` = see
    :func:`is_no_content`; otherwise ``text``.
    """
    return status_and_norm(value)[0]
