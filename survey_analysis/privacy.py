"""Privacy at the door: pseudonymisation, PII detection, redaction, small-cell suppression.

* :class:`Pseudonymizer` turns respondent ids into keyed hashes (HMAC-SHA256).  The key comes
  from the user (``key=`` or the environment variable ``SURVEY_ANALYSIS_KEY``) and is never
  written to any output; without a key a random one is drawn for the run, so pseudonyms are not
  linkable across runs.
* :func:`redact_text` replaces phone numbers, 身份证号, e-mail and IP addresses, 学号-like
  numbers, QQ/WeChat ids and known names inside free text with placeholders.
* :func:`suppress_small` hides group cells below a threshold.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Pseudonymizer", "Redactor", "redact_text", "suppress_small", "PLACEHOLDERS"]

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

# order matters: longer / more specific patterns first
_PATTERNS = [
    ("email", re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")),
    ("id_card", re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![0-9])")),
    ("ip", re.compile(r"(?<![0-9.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![0-9.])")),
    ("phone", re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")),
    ("landline", re.compile(r"(?<![0-9])0\d{2,3}[- ]\d{7,8}(?![0-9])")),
    ("qq", re.compile(r"(?i)(?:qq|扣扣)\s*(?:号|号码)?\s*[:：]?\s*[1-9]\d{4,10}")),
    ("wechat", re.compile(r"(?i)(?:微信|wechat|vx|wx)\s*(?:号)?\s*[:：]\s*[A-Za-z][-_A-Za-z0-9]{5,19}")),
    ("student_id", re.compile(r"(?<![0-9])\d{10,16}(?![0-9])")),
]
# what every pattern above needs at least: an ``@`` (email), a colon (wechat), ``\d.\d`` (ip) or
# four digits in a row (``\d``: any Unicode digit; the others).  Texts without are left alone.
_MAY_MATCH_QUICK = re.compile(r"[\d@:：]")
_MAY_MATCH = re.compile(r"[@:：]|\d\.\d|\d{4}")


def _to_str(text) -> str | None:
    if text is None:
        return None
    if isinstance(text, float) and np.isnan(text):
        return None
    if text is pd.NA:
        return None
    return str(text)


@dataclass
class Redactor:
    """Replace personal information inside free text.

    Parameters
    ----------
    names : iterable of str, optional
        Known names (a roster's 姓名, the survey's own name column) replaced by ``[姓名]``.
        Names of one character are ignored (too many false hits).
    ids : iterable of str, optional
        Known identifiers (学号) replaced by ``[学号]`` wherever they appear (at least 4 characters).

    After construction ``names`` and ``ids`` hold the distinct usable values (stripped), in the
    order first given.  Known names and ids are matched leftmost-longest: ids first, then the
    patterns, then names.
    """

    names: tuple = ()
    ids: tuple = ()

    def __post_init__(self):
        names = _known_strings(self.names, 2)
        self.names = tuple(names)
        self._name_set = frozenset(names)
        self._name_lengths = sorted({len(n) for n in names}, reverse=True)
        self._name_rx = _trie_regex(names) if names else None
        ids = _known_strings(self.ids, 4)
        self.ids = tuple(ids)
        self._id_set = frozenset(ids)
        self._id_lengths = sorted({len(i) for i in ids}, reverse=True)
        # a known id lies inside a run of characters that occur in ids: texts without such a run
        # of the shortest id's length cannot contain one
        if ids:
            chars = sorted(_char_set(self.ids))
            self._id_may_match = re.compile("[" + "".join(_class_char(c) for c in chars) + "]{%d,}"
                                            % self._id_lengths[-1])
        else:
            self._id_may_match = None

    @staticmethod
    def _replace_known(s: str, known: frozenset, lengths: list, placeholder: str) -> tuple:
        """Leftmost-longest replacement of known strings (a set lookup per position: no huge regex)."""
        if not known or not s:
            return s, 0
        out, i, n, hits = [], 0, len(s), 0
        while i < n:
            for L in lengths:
                if i + L <= n and s[i:i + L] in known:
                    out.append(placeholder)
                    i += L
                    hits += 1
                    break
            else:
                out.append(s[i])
                i += 1
        return ("".join(out), hits) if hits else (s, 0)

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
        counts: dict = {}
        if self._id_may_match is not None and self._id_may_match.search(s):
            s, n = self._replace_known(s, self._id_set, self._id_lengths, PLACEHOLDERS["student_id"])
            if n:
                counts["student_id"] = n
        if _MAY_MATCH_QUICK.search(s) and _MAY_MATCH.search(s):
            for kind, rx in _PATTERNS:
                s, n = rx.subn(PLACEHOLDERS[kind], s)
                if n:
                    counts[kind] = counts.get(kind, 0) + n
        if self._name_rx is not None:
            # leftmost-longest, like _replace_known (the trie pattern tries longer names first)
            s, n = self._name_rx.subn(_NAME_PLACEHOLDER, s)
            if n:
                counts["name"] = n
        return s, counts

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



_NAME_PLACEHOLDER = PLACEHOLDERS["name"].replace("\\", "\\\\")


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


def _trie_regex(words) -> re.Pattern:
    """One pattern matching any of ``words``, built as a trie so that at each position the longest
    word is tried first and only the branches that start with the right character are tried."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def body(node) -> str:
        alts = [re.escape(ch) + body(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        g = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
        return g + "?" if "" in node else g

    return re.compile(body(trie))


def redact_text(text, *, names=(), ids=()) -> str:
    """Redact personal information in one text (see :class:`Redactor`).

    Examples
    --------
    >>> redact_text("有问题联系张伟，电话13812345678", names=["张伟"])
    '有问题联系[姓名]，电话[手机号]'
    """
    return Redactor(names=tuple(names), ids=tuple(ids)).redact(text)[0]


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
        key = key if key is not None else os.environ.get("SURVEY_ANALYSIS_KEY")
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
