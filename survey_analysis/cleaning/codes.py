"""Raw columns as integer codes: each column factorised once per ``clean()``.

Every recoder, exclusion check and redaction step works on the distinct values of a column
(``Coded``): a value is normalised, recoded or tested once however many rows hold it, and
row results are gathered with ``values[codes]``.  Each fast path here has a plain definition
next to it that ``tests/core/test_clean_fast.py`` compares it with.
"""
from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd

__all__ = [
    "SKIP_CODES", "normalize_cell", "factorize", "normalize_uniques", "Coded", "Columns", "open_values",
    "like_map", "distinct_of", "map_distinct", "Distinct", "distinct_map", "column_values", "is_na",
    "str_series", "string_column", "chars", "arrow_nfkc_agrees", "PY_WHITESPACE", "Unchanged", "LETTER", "NULL_TOKENS",
]

#: answers that mean "not asked / skipped" (问卷星 -2/-3, vendor exports)
SKIP_CODES = {"-2": "skipped", "-3": "not_shown", "-1": "skipped", "(跳过)": "skipped", "(空)": "skipped"}


# control characters (NUL, BEL, ESC …) but not tab / newline / carriage return
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_cell(v) -> str | None:
    """NFKC (full width → half width), control characters removed, strip; ``None`` for blanks;
    ``1.0`` → ``"1"``."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    s = CONTROL.sub("", unicodedata.normalize("NFKC", str(v))).strip()
    if s in ("", "nan", "NaN", "None", "#N/A", "N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!"):
        return None
    return s


LETTER = re.compile(r"^[A-Za-z][.．、]\s*")


# ----------------------------------------------------------------------------------------
# columns as integer codes (each raw column is factorised once per clean())
# ----------------------------------------------------------------------------------------
NULL_TOKENS = frozenset(("", "nan", "NaN", "None", "#N/A", "N/A", "#NULL!", "#DIV/0!", "#VALUE!", "#REF!",
                          "#NAME?", "#NUM!"))


def _small_codes(codes: np.ndarray, n_uniques: int) -> np.ndarray:
    """Integer codes (-1 = missing) in the smallest signed dtype that holds them."""
    dt = np.int8 if n_uniques < 127 else np.int16 if n_uniques < 32_767 else np.int32
    return codes.astype(dt, copy=False)


def factorize(col: pd.Series):
    """``pd.factorize(col)`` (NA → -1, uniques in order of appearance) as (small codes, uniques list,
    Arrow dictionary or ``None``).  Arrow-backed string columns are dictionary-encoded by Arrow directly."""
    pa_arr = getattr(col.array, "_pa_array", None)
    if pa_arr is not None:
        import pyarrow as pa

        if pa.types.is_string(pa_arr.type) or pa.types.is_large_string(pa_arr.type):
            enc = pa_arr.dictionary_encode()
            enc = enc.combine_chunks() if isinstance(enc, pa.ChunkedArray) else enc
            codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False)
            return _small_codes(codes, len(enc.dictionary)), None, enc.dictionary
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    return _small_codes(codes, len(uniques)), list(uniques), None


def normalize_uniques(uniques, dictionary=None) -> list:
    """``[normalize_cell(u) for u in uniques]``; many distinct texts (an Arrow ``dictionary``) are
    normalised by Arrow (same NFKC, control characters, ``str.strip`` white space) when every
    character in them normalises the same way in Arrow as in Python's ``unicodedata``.
    ``uniques`` may be a function returning the list (called only when needed)."""
    if dictionary is None or len(dictionary) < 512 or not arrow_nfkc_agrees(chars(dictionary)):
        return [normalize_cell(u) for u in (uniques() if callable(uniques) else uniques)]
    import pyarrow.compute as pc

    s = pc.utf8_normalize(dictionary, "NFKC")
    s = pc.replace_substring_regex(s, CONTROL.pattern, "")
    s = pc.utf8_trim(s, PY_WHITESPACE)
    unchanged = s.equals(dictionary) and not pc.any(pc.is_in(s, value_set=pa_strings(NULL_TOKENS))).as_py()
    out = [None if v in NULL_TOKENS else v for v in s.to_pylist()]
    # a last check on a few values against the Python path
    for i in range(0, len(out), max(1, len(out) // 64)):
        if out[i] != normalize_cell(dictionary[i].as_py()):  # pragma: no cover - never seen
            return [normalize_cell(u) for u in dictionary.to_pylist()]
    return Unchanged(out) if unchanged else out


class Unchanged(list):
    """Normalised values known to equal the (distinct, non-missing) raw values one to one."""


def pa_strings(values):
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


def chars(arr) -> set:
    """The set of characters in an Arrow string array (from its data buffer, one decode)."""
    import pyarrow as pa

    bufs = arr.buffers()
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offs = np.frombuffer(bufs[1], dtype=width)[arr.offset:arr.offset + len(arr) + 1]
    start, end = int(offs[0]), int(offs[-1])
    if end <= start:
        return set()
    text = bufs[2].to_pybytes()[start:end].decode("utf-8")
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return {chr(c) for c in np.flatnonzero(np.bincount(points))}


# every character Python's str.strip() removes (tests check it against str.isspace)
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                  "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def arrow_nfkc_agrees(chars) -> bool:
    """Whether Arrow's NFKC (utf8proc) equals ``unicodedata`` NFKC on each of these characters, all
    of them assigned in Python's Unicode version (normalisation of assigned characters is stable
    across Unicode versions, so texts made of them normalise the same way)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chars = sorted(chars)
    if any(unicodedata.category(c) in ("Cn", "Cs") for c in chars):
        return False
    theirs = pc.utf8_normalize(pa.array(chars, type=pa.string()), "NFKC").to_pylist()
    return all(unicodedata.normalize("NFKC", c) == t for c, t in zip(chars, theirs))


class Coded:
    """One raw column as integer codes: ``codes`` (-1 = missing), ``uniques`` (raw values, in order of
    first appearance, as ``pd.factorize``), ``norm`` (each unique through :func:`normalize_cell`).

    ``rows(k)`` / ``count(k)`` give the rows holding unique ``k`` without a pass over the column
    per unique value."""

    def __init__(self, col: pd.Series | None = None):
        if col is not None:
            self.codes, self._uniques, self._dictionary = factorize(col)
            self.index = col.index
        self._norm = None
        self._counts = self._order = self._starts = None
        self._calls = 0
        self._remaps: dict = {}

    @classmethod
    def from_codes(cls, codes, uniques, index) -> "Coded":
        self = cls()
        self.codes, self._uniques, self._dictionary, self.index = codes, list(uniques), None, index
        return self

    @property
    def uniques(self) -> list:
        if self._uniques is None:
            self._uniques = self._dictionary.to_pylist()
        return self._uniques

    @property
    def norm(self) -> list:
        if self._norm is None:
            self._norm = normalize_uniques(lambda: self.uniques, self._dictionary)
        return self._norm

    def count(self, k: int) -> int:
        if self._counts is None:
            c = self.codes
            self._counts = np.bincount(c.astype(np.intp) + 1, minlength=len(self.norm) + 1)[1:]
        return int(self._counts[k])

    def positions(self, k: int) -> np.ndarray:
        """Positions of the rows holding unique ``k``, in row order."""
        self._calls += 1
        if self._order is None and self._calls <= 8:  # a few uniques: one comparison each
            return np.flatnonzero(self.codes == k)
        if self._order is None:  # many: one stable sort, then slices
            self.count(k)
            self._order = np.argsort(self.codes, kind="stable")
            n_na = len(self.codes) - int(self._counts.sum())
            self._starts = n_na + np.concatenate([[0], np.cumsum(self._counts)])
        return self._order[self._starts[k]:self._starts[k + 1]]

    def rows(self, k: int, limit: int | None = None) -> list:
        """Index labels of the rows holding unique ``k`` (the first ``limit``)."""
        if limit is not None and self._order is None:
            pos = self._first(k, limit)
        else:
            pos = self.positions(k)
            pos = pos[:limit] if limit is not None else pos
        return list(self.index[pos])

    def row_labels(self, k: int) -> np.ndarray:
        """Index labels of every row holding unique ``k``, in row order, as an array."""
        return np.asarray(self.index[self.positions(k)])

    def _first(self, k: int, limit: int) -> np.ndarray:
        """Positions of the first ``limit`` rows holding unique ``k`` (scans growing chunks)."""
        codes, need = self.codes, min(limit, self.count(k))
        found, got, start, step = [], 0, 0, 4096
        while got < need and start < len(codes):
            hit = np.flatnonzero(codes[start:start + step] == k)[:need - got] + start
            found.append(hit)
            got += len(hit)
            start += step
            step *= 4
        return np.concatenate(found) if found else np.empty(0, dtype=np.intp)

    def take(self, values, na=None) -> np.ndarray:
        """``values[k]`` for every row (``na`` for missing rows) as an object array."""
        arr = np.empty(len(values) + 1, dtype=object)
        for i, v in enumerate(values):
            arr[i] = v
        arr[-1] = na
        return arr[self.codes]

    def _remap(self):
        if "remap" not in self._remaps and isinstance(self.norm, Unchanged):
            n = len(self.norm)
            self._remaps["remap"] = (np.append(np.arange(n, dtype=np.int32), -1), list(self.norm), True)
        if "remap" not in self._remaps:
            norm = np.empty(len(self.norm), dtype=object)
            norm[:] = self.norm
            codes, values = pd.factorize(norm, use_na_sentinel=True)  # None → -1
            # usually each raw value normalises to its own value: the raw codes serve as they are
            identity = len(values) == len(codes) and bool((codes == np.arange(len(codes))).all())
            self._remaps["remap"] = (np.append(codes, -1).astype(np.int32), list(values), identity)
        return self._remaps["remap"]

    def norm_codes(self, missing: frozenset = frozenset()) -> np.ndarray:
        """Codes of the *normalised* values (equal codes ⇔ equal normalised values); -1 for missing
        and for normalised values in ``missing``."""
        remap, values, identity = self._remap()
        if identity and not (missing and any(v in missing for v in values)):
            return self.codes
        if missing:
            key = ("missing", missing)
            if key not in self._remaps:
                drop = [k for k, v in enumerate(values) if v in missing]
                remap = remap.copy()
                remap[np.isin(remap, drop)] = -1
                self._remaps[key] = remap
            remap = self._remaps[key]
        return remap[self.codes]

    def norm_values(self) -> list:
        """The distinct normalised values (not ``None``), in the order of :meth:`norm_codes`."""
        return self._remap()[1]

    def str_values(self) -> list:
        """The distinct raw values as text (``col.dropna().astype(str)`` without repeats)."""
        return [str(u) for u in self.uniques]


def open_values(col: Coded, known: dict | None = None, key=None) -> pd.Series:
    """As ``col.map(normalize_cell).astype(object)``: the map infers the string dtype (missing → NaN)
    unless every value is missing."""
    vals = col.norm
    na = np.nan if any(v is not None for v in vals) else None
    return pd.Series(column_values(col, vals, lambda v: na if v is None else v, na, known, key),
                     index=col.index, dtype=object)


def like_map(s: pd.Series) -> pd.Series:
    """The dtype ``Series.map`` infers for these values (``str`` when all are text or missing)."""
    return pd.Series(s.to_numpy(dtype=object), index=s.index, name=s.name)


def distinct_of(known: dict, column) -> np.ndarray | None:
    got = known.get(column)
    return None if got is None else got[1]


class Columns:
    """Per-clean cache: each raw column factorised once, shared by recoders and exclusion checks."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._cache: dict = {}

    def __getitem__(self, c) -> Coded:
        got = self._cache.get(c)
        if got is None:
            got = self._cache[c] = Coded(self.frame[c])
        return got


# ----------------------------------------------------------------------------------------
# per-field recoding (each distinct value is handled once)
# ----------------------------------------------------------------------------------------
def map_distinct(col: pd.Series, func, coded: Coded | None = None) -> pd.Series:
    """``col.map(func)`` as an object Series, ``func`` called once per distinct raw value (and on NA once)."""
    if coded is None:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
    else:
        codes, uniques = coded.codes, coded.uniques
    missing = codes < 0
    na = col.iloc[int(np.argmax(missing))] if missing.any() else None
    vals = np.empty(len(uniques) + 1, dtype=object)
    for i, u in enumerate(uniques):  # element-wise: results may be tuples
        vals[i] = func(u)
    vals[-1] = func(na)
    return pd.Series(vals[codes], index=col.index, dtype=object, name=col.name)


class Distinct:
    """``func`` applied once per distinct value of a column; ``series(pick)`` is
    ``col.map(func).map(pick)`` (with the dtype ``Series.map`` infers) without a call per row."""

    def __init__(self, col: pd.Series, func):
        self.codes, uniques = pd.factorize(col, use_na_sentinel=True)
        missing = self.codes < 0
        na = col.iloc[int(np.argmax(missing))] if missing.any() else None
        self.results = [func(u) for u in uniques] + [func(na)]
        self.index, self.name = col.index, col.name

    def series(self, pick=lambda r: r, infer: bool = True) -> pd.Series:
        vals = np.empty(len(self.results), dtype=object)
        for i, r in enumerate(self.results):
            vals[i] = pick(r)
        if infer:
            # text or missing, some text: Series.map infers the str dtype; built by Arrow from the
            # distinct values instead of converting a million Python objects
            used = list(vals[:-1]) + ([vals[-1]] if (self.codes < 0).any() else [])
            if any(isinstance(v, str) for v in used) and all(isinstance(v, str) or is_na(v) for v in used):
                return str_series(self.codes, vals, self.index, self.name, na_value=np.nan)
        s = pd.Series(vals[self.codes], index=self.index, dtype=object, name=self.name)
        return like_map(s) if infer else s


def distinct_map(coded: Coded, func) -> list:
    """``func(normalised_value) -> result`` once per distinct raw value of a coded column."""
    return [func(v) for v in coded.norm]


def column_values(coded: Coded, results, pick, na, known: dict | None = None, key=None) -> np.ndarray:
    """Row values from per-unique results: ``pick(result)`` for each unique, ``na`` for missing rows.
    With ``known``, ``known[key] = (codes, values)``: the column is ``values[codes]``."""
    vals = np.empty(len(results) + 1, dtype=object)
    for i, r in enumerate(results):
        vals[i] = pick(r)
    vals[-1] = na
    if known is not None:
        known[key] = (coded.codes, vals)
    return vals[coded.codes]


def is_na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def str_series(codes: np.ndarray, values, index=None, name=None, *, na_value=pd.NA) -> pd.Series:
    """``values[codes]`` (text or missing; the last value is the one for code -1) as an Arrow-backed
    string Series, taken by Arrow from the distinct values."""
    import pyarrow as pa

    idx = codes.astype(np.int32)
    idx[idx < 0] = len(values) - 1
    arr = pa.array([v if isinstance(v, str) else None for v in values], type=pa.large_string())
    dtype = pd.StringDtype("pyarrow", na_value=na_value)
    return pd.Series(pd.array(arr.take(pa.array(idx)), dtype=dtype), index=index, name=name, dtype=dtype)


def string_column(codes: np.ndarray, values: np.ndarray, rows: np.ndarray) -> pd.Series | None:
    """``pd.Series(values[codes[rows]]).astype("string")`` built by Arrow from the distinct values;
    ``None`` unless every value is text or missing."""
    if not all(isinstance(v, str) or is_na(v) for v in values):
        return None
    return str_series(codes[rows], values)
