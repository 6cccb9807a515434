"""Privacy at the door: pseudonymisation, PII detection, redaction, small-cell suppression.

* :class:`Pseudonymizer` turns respondent ids into keyed hashes (HMAC-SHA256).  The key comes
  from the user (``key=`` or the environment variable ``SURVEY_ANALYSIS_KEY``, read through
  :func:`survey_analysis.design.key_from_env`) and is never written to any output; without a key
  a random one is drawn for the run, so pseudonyms are not linkable across runs.
* :class:`Redactor` / :func:`redact_text` replace personal information inside free text with
  placeholders: phone numbers, 身份证号, e-mail and IP addresses, QQ / WeChat ids, student numbers,
  known names and ids (a roster's, the survey's own name and id columns) and names written in the
  usual patterns (张伟同学, 王经理) -- in the disguises people type them in (see
  :mod:`survey_analysis.pii`; measured in ``docs/privacy.md``).
* :func:`suppress_small` hides group cells below a threshold.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .design import key_from_env
from .pii import (NAME_SEPARATORS, chars_gate, find_identifiers, find_person_names, has_traditional, id_fold,
                  name_fold, name_fold_sources)

__all__ = ["Pseudonymizer", "Redactor", "redact_text", "suppress_small", "PLACEHOLDERS", "resolve_spans"]

PLACEHOLDERS = {
    "id_card": "[身份证号]",
    "phone": "[手机号]",
    "landline": "[电话]",
    "email": "[邮箱]",
    "ip": "[IP]",
    "qq": "[QQ号]",
    "wechat": "[微信号]",
    "student_id": "[学号]",
    "name": "[姓名]",
}
# when two spans start at the same place and are as long: identifiers before names
_PRIORITY = {k: i for i, k in enumerate(PLACEHOLDERS)}
# a separator between two Chinese characters (张 伟, 买买提·艾力): only texts with one are matched
# in a compact view without separators
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_GAP = re.compile(f"(?<=[{_CJK}])[{re.escape(NAME_SEPARATORS)}]+(?=[{_CJK}])")
_ID_SEPS = re.compile(r"[ .\-_/]")


def _to_str(text) -> str | None:
    if text is None:
        return None
    if isinstance(text, float) and np.isnan(text):
        return None
    if text is pd.NA:
        return None
    return str(text)


def resolve_spans(spans) -> list:
    """Non-overlapping spans, leftmost first; at one start the longest (then by kind)."""
    out, end = [], -1
    for s, e, kind in sorted(spans, key=lambda t: (t[0], -(t[1] - t[0]), _PRIORITY.get(t[2], 99))):
        if s >= end and e > s:
            out.append((s, e, kind))
            end = e
    return out


def _compact_name(name: str) -> str:
    """A name as matched: simplified, without separators between its Chinese characters."""
    return _GAP.sub("", name_fold(name))


_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _compact_id(value: str) -> str:
    """An id as compared: folded (full width, Chinese numerals), no separators, ASCII upper case."""
    if value.isascii() and value.isalnum():  # the usual case: nothing to fold or remove
        return value.upper()
    return _ID_SEPS.sub("", id_fold(value)).translate(_UPPER)


def _compact_ids(ids) -> tuple:
    """``(set, lengths)``: ``{_compact_id(i) for i in ids}`` without those under 4 characters, and
    their lengths, longest first; the usual ids (ASCII letters and digits, upper case) taken as
    they are."""
    ids = list(ids)
    joined = "".join(ids)
    if joined.isascii() and joined.isalnum() and joined == joined.upper():
        out = frozenset(ids)  # nothing to fold, remove or upper-case
    else:
        out = frozenset(map(_compact_id, ids))
    lengths = set(map(len, out))
    if lengths and min(lengths) < 4:
        out = frozenset(c for c in out if len(c) >= 4)
        lengths = {n for n in lengths if n >= 4}
    return out, sorted(lengths, reverse=True)


@dataclass
class Redactor:
    """Replace personal information inside free text.

    Parameters
    ----------
    names : iterable of str, optional
        Known names (a roster's 姓名, the survey's own name column) replaced by ``[姓名]`` --
        also written with spaces or dots between the characters (张 伟, 买买提·艾力) or in
        traditional characters.  Names of one character are ignored (too many false hits).
    ids : iterable of str, optional
        Known identifiers (学号) replaced by ``[学号]`` wherever they appear (at least 4
        characters), also written with spaces, dashes or dots inside.
    person_patterns : bool, default True
        Also replace names not given, written in the usual patterns (张伟同学, 李娜说, 王经理).

    After construction ``names`` and ``ids`` hold the distinct usable values (stripped), in the
    order first given.  All matches are collected as spans and resolved leftmost-longest
    (identifiers before names where they start together).
    """

    names: tuple = ()
    ids: tuple = ()
    person_patterns: bool = True

    def __post_init__(self):
        names = _known_strings(self.names, 2)
        self.names = tuple(names)
        # each name compact (no separators) and as written (a Latin name keeps its spaces)
        folded = {c for n in names for c in (_compact_name(n), name_fold(n)) if len(c) >= 2}
        # literal characters (a class per character is ten times slower): a text with traditional
        # characters is matched in its simplified view, one with separators without them
        self._name_rx = _trie_regex(folded) if folded else None
        # a text holds a known name only if it holds, in some form, the first character of one
        self._name_first = name_fold_sources({c[0] for c in folded})
        self._name_gate = chars_gate(self._name_first)
        ids = _known_strings(self.ids, 4)
        self.ids = tuple(ids)
        compact, self._id_lengths = _compact_ids(ids)
        self._id_set = compact
        if compact:
            in_ids = _char_set(compact)
            chars = sorted(in_ids | {c.lower() for c in in_ids if c.isascii()})
            cls = "".join(_class_char(c) for c in chars)
            # a run of id characters, possibly grouped (2021 0101 23): the only places a known id can be
            self._id_runs = re.compile(f"[{cls}](?:[{cls}]|[ .\\-_/](?=[{cls}]))*")
        else:
            self._id_runs = None

    def _known_id_spans(self, text: str) -> list:
        spans = []
        t = id_fold(text)
        shortest = self._id_lengths[-1]
        for m in self._id_runs.finditer(t):
            run = m.group(0)
            pos = [i for i, ch in enumerate(run) if not _ID_SEPS.match(ch)]
            if len(pos) < shortest:
                continue
            compact = "".join(run[i] for i in pos).translate(_UPPER)
            i, n = 0, len(compact)
            while i < n:
                for L in self._id_lengths:
                    if i + L <= n and compact[i:i + L] in self._id_set:
                        spans.append((m.start() + pos[i], m.start() + pos[i + L - 1] + 1, "student_id"))
                        i += L
                        break
                else:
                    i += 1
        return spans

    def _known_name_spans(self, text: str) -> list:
        """Known names, leftmost-longest, also in traditional characters and with separators
        (any number) between two of their Chinese characters."""
        m = self._name_gate.search(text)
        if m is None or (ord(m.group()) >= 0x10000 and self._name_first.isdisjoint(text[m.start():])):
            return []
        view = name_fold(text) if has_traditional(text) else text
        if _GAP.search(view) is None:
            return [(m.start(), m.end(), "name") for m in self._name_rx.finditer(view)]
        gaps = [(m.start(), m.end()) for m in _GAP.finditer(view)]
        pos, last = [], 0  # positions of the characters kept in the compact view
        for a, b in gaps:
            pos.extend(range(last, a))
            last = b
        pos.extend(range(last, len(view)))
        compact = "".join(view[i] for i in pos)
        return [(pos[m.start()], pos[m.end() - 1] + 1, "name") for m in self._name_rx.finditer(compact)]

    def spans(self, text: str) -> list:
        """The resolved spans ``(start, end, kind)`` to replace in ``text``."""
        found = []
        if self._id_runs is not None:
            found.extend(self._known_id_spans(text))
        found.extend(find_identifiers(text))
        if self._name_rx is not None:
            found.extend(self._known_name_spans(text))
        if self.person_patterns:
            found.extend(find_person_names(text))
        return resolve_spans(found) if len(found) > 1 else found

    def redact(self, text) -> tuple:
        """Return ``(redacted_text, counts)``; ``counts`` maps kind → replacements."""
        s = _to_str(text)
        if s is None or not s:
            return text, {}
        return self._redact(s)

    def _any_hit(self, values) -> bool:
        """Whether any of these values has something to redact (non-text values: assume so)."""
        for u in dict.fromkeys(v for v in values if not (v is None or (isinstance(v, float) and v != v))):
            if type(u) is not str or (u and self._redact(u)[1]):
                return True
        return False

    def _redact(self, s: str) -> tuple:
        """``redact`` of a non-empty text."""
        spans = self.spans(s)
        if not spans:
            return s, {}
        out, last, counts = [], 0, {}
        for a, b, kind in spans:
            out.append(s[last:a])
            out.append(PLACEHOLDERS[kind])
            counts[kind] = counts.get(kind, 0) + 1
            last = b
        out.append(s[last:])
        return "".join(out), counts

    def redact_series(self, s: pd.Series, *, distinct=None) -> tuple:
        """Redact a Series of texts; each distinct text is processed once.

        Returns ``(new_series, counts_per_row)`` where ``counts_per_row`` is a DataFrame with one
        row per changed cell (index, kind, n).  ``distinct``: the values the Series is made of, if
        known (then a Series with nothing to redact is not scanned).
        """
        if distinct is not None and not self._any_hit(distinct):
            return s.copy(), pd.DataFrame(columns=["index", "kind", "n"])
        values = s.astype(object)
        codes, uniq = pd.factorize(values, use_na_sentinel=True)
        new = np.empty(len(uniq) + 1, dtype=object)
        hit_codes, cnt = [], {}
        for k, u in enumerate(uniq):
            if type(u) is str and u:
                r, c = self._redact(u)
            else:
                r, c = self.redact(u)
            if c:
                hit_codes.append(k)
                cnt[k] = c
                new[k] = r if isinstance(u, str) else u
            else:
                new[k] = u
        if not cnt:
            return s.copy(), pd.DataFrame(columns=["index", "kind", "n"])
        hit = np.zeros(len(uniq) + 1, dtype=bool)
        hit[hit_codes] = True
        changed = hit[codes]
        arr = values.to_numpy(dtype=object, copy=True)  # missing cells keep their own NA value
        arr[changed] = new[codes[changed]]
        # as values.map(...): the dtype is inferred again (str when every value is text or missing)
        out = pd.Series(arr, index=s.index, name=s.name)
        recs = []
        for pos in np.flatnonzero(changed):
            for kind, n in cnt[codes[pos]].items():
                recs.append({"index": s.index[pos], "kind": kind, "n": n})
        return out.astype(s.dtype) if str(s.dtype) != "object" else out, pd.DataFrame(recs)


def _known_strings(values, min_len: int) -> dict:
    """The distinct ``str(v).strip()`` of the non-missing values at least ``min_len`` characters long,
    in the order first seen (a dict used as an ordered set)."""
    values = list(values)
    if all(type(v) is str for v in values):  # the usual case, done at C speed
        out = dict.fromkeys(map(str.strip, values))
        if out and min(map(len, out)) < min_len:
            out = {t: None for t in out if len(t) >= min_len}
        return out
    out = {}
    for v in values:
        if type(v) is not str:
            v = _to_str(v)
            if not v:
                continue
        t = v.strip()
        if len(t) >= min_len:
            out[t] = None
    return out


def _char_set(strings) -> set:
    """The set of characters in some strings."""
    text = "".join(strings)
    try:
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeError:  # lone surrogates
        return set(text)
    return {chr(c) for c in np.flatnonzero(np.bincount(points))} if len(points) else set()


def _class_char(c: str) -> str:
    """A character inside a regex character class."""
    return "\\" + c if c in "\\]^-[" else c


def _trie_regex(words, *, sep: str = "", char=re.escape) -> re.Pattern:
    """One pattern matching any of ``words``, built as a trie so that at each position the longest
    word is tried first and only the branches that start with the right character are tried;
    ``sep`` (a pattern) may stand between two characters of a word; ``char(c)`` is the pattern of
    a character (default: itself)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def body(node, first: bool) -> str:
        alts = [("" if first else sep) + char(ch) + body(child, False) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        g = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return g + "?" if "" in node else g

    return re.compile(body(trie, True))


def redact_text(text, *, names=(), ids=(), person_patterns: bool = True) -> str:
    """Redact personal information in one text (see :class:`Redactor`).

    Examples
    --------
    >>> redact_text("有问题联系张伟，电话13812345678", names=["张伟"])
    '有问题联系[姓名]，电话[手机号]'
    """
    return Redactor(names=tuple(names), ids=tuple(ids), person_patterns=person_patterns).redact(text)[0]


class Pseudonymizer:
    """Keyed pseudonyms for respondent identifiers (HMAC-SHA256).

    Parameters
    ----------
    key : str or bytes, optional
        The secret key.  Default: the environment variable ``SURVEY_ANALYSIS_KEY``; if that is
        not set either, a random key for this run (pseudonyms then differ between runs).
    prefix : str, default "R"
    length : int, default 16
        Hex characters kept from the digest.
    """

    def __init__(self, key=None, *, prefix: str = "R", length: int = 16):
        if key is None or (isinstance(key, str) and key == ""):
            key = key_from_env()
        self.random_key = key is None or key == ""
        if self.random_key:
            key = secrets.token_bytes(32)
        self._key = key.encode("utf-8") if isinstance(key, str) else bytes(key)
        self.prefix = prefix
        self.length = length

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymizer(random_key={self.random_key}, prefix={self.prefix!r})"

    def __call__(self, value) -> str:
        msg = str(value).strip().encode("utf-8")
        return self.prefix + hmac.new(self._key, msg, hashlib.sha256).hexdigest()[: self.length]

    def many(self, values) -> list:
        """``[self(v) for v in values]``, faster: HMAC-SHA256 (RFC 2104) with the key's inner and
        outer hash states computed once instead of once per value (same pseudonyms)."""
        block = hashlib.sha256().block_size
        key = self._key if len(self._key) <= block else hashlib.sha256(self._key).digest()
        key = key.ljust(block, b"\0")
        inner0 = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        outer0 = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        prefix, length = self.prefix, self.length
        out = []
        append = out.append
        for v in values:
            inner = inner0.copy()
            inner.update(str(v).strip().encode("utf-8"))
            outer = outer0.copy()
            outer.update(inner.digest())
            append(prefix + outer.hexdigest()[:length])
        return out

    def series(self, s: pd.Series) -> pd.Series:
        st = s.astype(str)
        if not len(st):
            return st.map({v: self(v) for v in pd.unique(st)})
        # one hash per distinct value (missing values, kept by astype(str), are hashed as "nan")
        codes, uniq = pd.factorize(st, use_na_sentinel=False)
        hashed = np.array(self.many(list(uniq)), dtype=object)
        return pd.Series(hashed[codes], index=s.index, name=s.name, dtype="str")


# disclosure control lives in the statistics kernel; re-exported for existing callers
from .stats.disclosure import suppress_small  # noqa: E402,F401
