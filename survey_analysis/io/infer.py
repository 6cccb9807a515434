"""Platform detection and codebook inference from headers and answers."""
from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..codebook import Codebook, Question
from ._files import text_series
from .lexicon import LEXICON, lexicon_scale
from .choices import (
    MULTI_SEP,
    RANK_SEP,
    has_letter_prefix,
    match_scale,
    order_options,
    split_parts,
    split_rows,
    strip_letter_prefix,
    trailing_group,
)

__all__ = [
    "PLATFORMS",
    "WJX_SYSTEM",
    "TENCENT_SYSTEM",
    "SYSTEM_COLUMNS",
    "detect_platform",
    "build_codebook",
    "replace_coded_missing",
    "infer_values",
    "distinct_cache",
    "prefetch_uniques",
]

PLATFORMS = ("wjx_text", "wjx_numeric", "tencent", "vendor", "spss", "generic")
WJX_SYSTEM = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")
TENCENT_SYSTEM = ("编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置", "IP", "UA", "用户ID", "昵称", "来源渠道")
_OTHER_SYSTEM = ("总分", "提交时间", "答题时间", "IP地址", "填写时间", "答卷编号", "浏览器", "操作系统")
SYSTEM_COLUMNS = frozenset(WJX_SYSTEM + TENCENT_SYSTEM + _OTHER_SYSTEM)

_WJX_Q = re.compile(r"^\s*(\d+)、(.*)$", re.S)
_WJX_NUM = re.compile(r"^\s*第(\d+)题\s*(.*)$", re.S)
_TX_Q = re.compile(r"^\s*(\d+)[.．](?!\d)(.*)$", re.S)
_SKIP_CODES = (-2, -3)


# -- small helpers ----------------------------------------------------------------------
# Distinct values of a column, computed once per read: read_survey sets a list of
# (Arrow array, distinct values) pairs here so that platform detection and codebook inference
# share them; an entry is found by ``is`` on the array the pair holds (no id() keys).
_DISTINCT_CACHE: contextvars.ContextVar = contextvars.ContextVar("survey_analysis_io_distinct", default=None)


@contextlib.contextmanager
def distinct_cache():
    """Share the distinct values of each column between :func:`detect_platform` and
    :func:`build_codebook` (used by ``read_survey``)."""
    token = _DISTINCT_CACHE.set([])
    try:
        yield
    finally:
        _DISTINCT_CACHE.reset(token)


class _Distinct(Sequence):
    """Distinct values in first-appearance order.  Built from an Arrow string array
    (``arrow``), the Python strings are made only when asked for -- an id or phone column of a
    million distinct answers is then typed (numeric, open …) by Arrow alone."""

    def __init__(self, items=(), arrow=None):
        self.arrow = arrow
        self._list = None if arrow is not None else list(items)
        self.memo: dict = {}  # answers about these values (number test, separator counts)

    def _items(self) -> list:
        if self._list is None:
            self._list = self.arrow.to_pylist()
        return self._list

    def __len__(self) -> int:
        return len(self._list) if self._list is not None else len(self.arrow)

    def __getitem__(self, i):
        if self._list is None and isinstance(i, (int, np.integer)):
            return self.arrow[int(i)].as_py()
        return self._items()[i]

    def __iter__(self):
        if self._list is not None:
            yield from self._list
            return
        step = 256  # in slices: a loop that stops early (open text) converts little
        for a in range(0, len(self.arrow), step):
            yield from self.arrow.slice(a, step).to_pylist()

    def __contains__(self, v) -> bool:
        return v in self._items()

    def __eq__(self, other) -> bool:
        return list(self) == (list(other) if isinstance(other, Sequence) and not isinstance(other, str) else other)

    def __repr__(self) -> str:
        return f"_Distinct({self._items()!r})"


def _arrow_strings(series: pd.Series):
    """The Arrow (chunked) array behind a pandas ``str`` Series, or ``None``."""
    arr = getattr(series.array, "_pa_array", None)
    if arr is None or not isinstance(series.dtype, pd.StringDtype):
        return None
    import pyarrow as pa

    if not (pa.types.is_large_string(arr.type) or pa.types.is_string(arr.type)):
        return None
    return arr


def _uniques(series: pd.Series) -> tuple[list, int]:
    """Distinct non-missing, non-blank values in first-appearance order, and their count."""
    arr = _arrow_strings(series)
    if arr is None:
        return _uniques_python(series)
    cache = _DISTINCT_CACHE.get()
    hit = _cached(cache, arr)
    if hit is not None:
        return hit
    out = _uniques_arrow(arr)
    if cache is not None:
        cache.append((arr, out))
    return out


def _cached(cache, arr):
    """The distinct values stored for this very array (``is``), or ``None``."""
    return next((out for a, out in cache if a is arr), None) if cache else None


def _uniques_arrow(arr, distinct=None) -> tuple[list, int]:
    """``_uniques`` of an Arrow string column: a hash pass in C (``distinct`` if already
    computed); blank answers found by a regular expression over the distinct values.  Arrow's
    unique keeps first-appearance order, as ``pd.unique`` does."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(arr) - arr.null_count
    if n == 0:
        return _Distinct(), 0
    values = _distinct_arrow(arr) if distinct is None else distinct
    blank = pc.match_substring_regex(values, _blank_re())
    if pc.any(blank).as_py():
        n -= int(pc.sum(pc.is_in(arr, value_set=values.filter(blank))).as_py() or 0)
        values = values.filter(pc.invert(blank))
    return _Distinct(arrow=values), n


# every character for which str.isspace() (checked against the running Python by the tests)
_BLANK_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _blank_chars() -> str:
    return _BLANK_CHARS


@functools.lru_cache(maxsize=1)
def _blank_class() -> str:
    """The characters of ``str.strip()`` as the inside of a regular-expression class (RE2)."""
    return "".join(f"\\x{{{ord(c):x}}}" for c in _blank_chars())


@functools.lru_cache(maxsize=1)
def _blank_re() -> str:
    """A value that ``str.strip()`` empties: only characters for which ``str.isspace()``."""
    return f"^[{_blank_class()}]*$"


def _distinct_arrow(arr):
    """The distinct non-missing values of an Arrow string (chunked) array, first appearance first."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = pc.unique(arr)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if values.null_count:
        values = values.filter(pc.is_valid(values))
    return values


def prefetch_uniques(data: pd.DataFrame, columns) -> None:
    """Compute the distinct values of ``columns`` (Arrow string columns only) into the cache
    set by :func:`distinct_cache`, the hash passes on two threads (Arrow releases the GIL)."""
    cache = _DISTINCT_CACHE.get()
    if cache is None:
        return
    todo = []
    for c in columns:
        arr = _arrow_strings(data[c])
        if arr is not None and _cached(cache, arr) is None and len(arr) > arr.null_count:
            todo.append(arr)
    if len(todo) < 2 or sum(len(a) for a in todo) < 200_000:
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as ex:
        distinct = list(ex.map(_distinct_arrow, todo))
    for arr, values in zip(todo, distinct):
        cache.append((arr, _uniques_arrow(arr, values)))


def _uniques_python(series: pd.Series) -> tuple[list, int]:
    if len(series) <= 5000:  # plain Python is much faster than pandas on short columns
        vals = [v for v in series.tolist() if not _blank(v)]
        return list(dict.fromkeys(vals)), len(vals)
    s = series.dropna()
    uniq = list(pd.unique(s))
    n = int(len(s))
    blanks = [v for v in uniq if isinstance(v, str) and not v.strip()]
    if blanks:
        n -= int(s.isin(blanks).sum())
        uniq = [v for v in uniq if not (isinstance(v, str) and not v.strip())]
    return uniq, n


def _arrow_of(values: list):
    """The Arrow array carried by a :class:`_Distinct`, or ``None``."""
    return getattr(values, "arrow", None)


def _count_containing(values: list, needle: str) -> int:
    """How many values contain ``needle`` (values are str when an Arrow array is carried)."""
    arr = _arrow_of(values)
    if arr is not None:
        import pyarrow.compute as pc

        key = ("containing", needle)
        if key not in values.memo:
            values.memo[key] = int(pc.sum(pc.match_substring(arr, needle)).as_py() or 0)
        return values.memo[key]
    return sum(needle in _as_text(v) for v in values)


def _blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return v != v
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _as_text(v) -> str:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return str(v).strip()


def _numbers(values: list) -> np.ndarray | None:
    """All values as floats, or ``None`` if any is not a plain number."""
    arr = _arrow_of(values)
    if arr is not None and len(values) > 64:
        memo = values.memo  # the same distinct values are asked about by detection and codebook
        if "numbers" not in memo:
            memo["numbers"] = _numbers_arrow(values, arr)
        return memo["numbers"]
    return _numbers_python(values)


def _numbers_python(values) -> np.ndarray | None:
    out = []
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            return None
        if isinstance(v, (int, float, np.integer, np.floating)):
            out.append(float(v))
            continue
        if not isinstance(v, str):
            return None
        t = v.strip()
        if not t or not _NUM.match(t):
            return None
        out.append(float(t))
    return np.array(out, dtype=float)


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# the ASCII core of _NUM with no surrounding space: such a value is a number for _NUM too
_ASCII_NUM = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _numbers_arrow(values: list, arr) -> np.ndarray | None:
    """``_numbers`` of distinct strings, vectorised: an ASCII number pattern in Arrow, Python
    (the exact rule, Unicode digits and surrounding spaces included) for the rest only."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ok = pc.match_substring_regex(arr, _ASCII_NUM).to_numpy(zero_copy_only=False)
    rest = np.flatnonzero(~ok)
    for i in rest[:1]:  # the usual case for a text column: the first misfit is not a number
        if _numbers_python([values[int(i)]]) is None:
            return None
    other = _numbers_python([values[int(i)] for i in rest])
    if other is None:
        return None
    out = np.empty(len(values), dtype=float)
    out[rest] = other
    good = arr.filter(pa.array(ok))
    try:
        out[ok] = pc.cast(good, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. out of range: Python decides
        out[ok] = np.array([float(t) for t in good.to_pylist()], dtype=float)
    return out


def _is_system(name: str) -> bool:
    return str(name).strip() in SYSTEM_COLUMNS


_SENTENCE = re.compile(r"[，。！？；,.!?;]")


_MULTI_HINT = re.compile(r"多选|多项选择|可多选|最多选|限选|选[二两三四五]项|选出")
# separators other exports use for multi-select answers in one cell; "|" is safe without a
# hint in the question text, the others (common in free text) only with one.
_ALT_SEPS_SAFE = ("|",)
_ALT_SEPS_HINTED = ("|", "；", ";", "，", ",", "、")


def _multi_sep(texts: list[str], header: str, values: list | None = None) -> str | None:
    """The separator of a multi-select column answered in one cell, or ``None``.

    ``texts`` are the stripped answers; a callable is called to make them only when needed.
    ``values`` (the answers as read, optional) answer "does any answer contain ``sep``" in
    Arrow when they carry an Arrow array (a separator is never white space, so stripping does
    not change the answer).
    """
    def has(sep: str) -> bool:
        if values is not None and _arrow_of(values) is not None:
            return _count_containing(values, sep) > 0
        return any(sep in t for t in _texts())

    cache: list = []

    def _texts() -> list[str]:
        if not cache:
            cache.append(texts() if callable(texts) else texts)
        return cache[0]

    if has(MULTI_SEP):
        return MULTI_SEP
    hinted = bool(_MULTI_HINT.search(header or ""))
    for sep in _ALT_SEPS_HINTED if hinted else _ALT_SEPS_SAFE:
        if not has(sep):
            continue
        parts: set = set()
        for t in _texts():
            for p in t.split(sep):
                p = p.strip()
                if p:
                    parts.add(p)
            if len(parts) > 60:  # too many to be the options of a multi-select question
                break
        # (answers that are only separators give no option: not a multi-select column)
        if parts and len(parts) <= 60 and len(parts) < len(_texts()) and max(map(len, parts)) <= 40:
            return sep
    return None


@functools.lru_cache(maxsize=1)
def _open_bound() -> int:
    """More distinct options than this cannot fit a scale of ``match_scale`` and make a
    question open (``len(opts) > 50``): the option collection can stop there."""
    from .choices import load_scales

    cover = [len(set(sp["labels"]) | set(sp["variants"]) | set(sp["na"])) for sp in load_scales().values()]
    return max([50, *cover])


def infer_values(values: list, n: int, header: str = "") -> dict:
    """Infer a one-column question's type and options from its distinct values.

    ``values`` are the distinct non-missing answers (first-appearance order), ``n`` the number
    of non-missing answers, ``header`` the question text (a "多选" in it allows separators
    such as ``；`` or ``、`` for multi-select answers).  Returns a dict with ``type``,
    ``options``, ``other_options``, ``scale``, ``na_options`` and ``sep``.
    """
    out = {"type": "open", "options": [], "other_options": [], "scale": None, "na_options": [], "sep": None}
    if not values:
        return out
    texts_cache: list = []

    def texts() -> list[str]:
        if not texts_cache:
            texts_cache.append([_as_text(v) for v in values])
        return texts_cache[0]

    sep = _multi_sep(texts, header, values)
    if sep is not None:
        opts, others = {}, {}  # dicts keep first-seen order with O(1) membership
        for t in texts():
            for opt, other in split_parts(t, sep):
                if opt:
                    opts.setdefault(opt, None)
                    if other is not None:
                        others.setdefault(opt, None)
        opts, others = list(opts), list(others)
        out.update(type="multi", options=order_options(opts), other_options=others, sep=sep)
        return out
    if _count_containing(values, RANK_SEP) >= max(1, 0.5 * len(values)):
        opts = {}
        for t in texts():
            for part in t.split(RANK_SEP):
                for opt, _ in split_parts(part.strip()):
                    if opt:
                        opts.setdefault(opt, None)
        out.update(type="rank", options=list(opts), sep=RANK_SEP)
        return out
    if _numbers(values) is not None:
        out["type"] = "numeric"
        return out
    opts, others = {}, {}
    bound = _open_bound()
    for v in values:
        t = _as_text(v)
        for opt, other in split_parts(t) or [(t, None)]:
            if opt:
                opts.setdefault(opt, None)
                if other is not None:
                    others.setdefault(opt, None)
        if len(opts) > bound:  # no scale has that many labels, and > 50 options is open text
            return out
    opts, others = list(opts), list(others)
    m = match_scale(opts)
    if m is not None:
        out.update(type="rating", options=order_options(opts, m[0]), scale=m[0], na_options=m[1], other_options=others)
        return out
    lex = lexicon_scale(opts) if 2 <= len(opts) <= 15 and not others else None
    if lex is not None:  # a scale scales.yaml does not list, read from its words (best first)
        out.update(type="rating", options=lex.ordered(), scale=LEXICON, na_options=list(lex.na))
        return out
    longest = max(len(o) for o in opts)
    open_like = (
        len(opts) > 50
        or longest > 50
        or (len(opts) > max(n / 2, 10) and not others)
        # every answer different: open text when the answers read like sentences
        or (len(opts) == n and n >= 3 and not others
            and (any(_SENTENCE.search(o) for o in opts) or sum(map(len, opts)) / len(opts) > 10))
    )
    if open_like:
        return out
    out.update(type="single", options=order_options(opts), other_options=others)
    return out


def _merge_uniques(parts: list) -> _Distinct:
    """Distinct values over several columns (first appearance, column by column) with the
    summed answer count in ``.n``."""
    n = sum(k for _, k in parts)
    arrows = [_arrow_of(u) for u, _ in parts]
    if parts and all(a is not None and a.type == arrows[0].type for a in arrows):
        import pyarrow as pa
        import pyarrow.compute as pc

        merged = pc.unique(pa.chunked_array(arrows, type=arrows[0].type))
        out = _Distinct(arrow=merged.combine_chunks() if isinstance(merged, pa.ChunkedArray) else merged)
    else:
        seen: dict = {}
        for u, _ in parts:
            for v in u:
                seen.setdefault(v, None)
        out = _Distinct(seen)
    out.n = n
    return out


def _concat_uniques(parts: list) -> _Distinct:
    """The distinct values of several columns one after another (repeats kept)."""
    arrows = [_arrow_of(u) for u in parts]
    if parts and all(a is not None and a.type == arrows[0].type for a in arrows):
        import pyarrow as pa

        return _Distinct(arrow=pa.concat_arrays(arrows))
    return _Distinct(v for u in parts for v in u)


def _matrix(number: str, stem: str, rows: list, cols: list, data: pd.DataFrame, *, numeric_codes=False) -> Question:
    vals = _merge_uniques([_uniques(data[c]) for c in cols])
    n = vals.n
    info = infer_values(vals, n, stem)
    if numeric_codes or info["type"] == "numeric":
        nums = _numbers(vals)
        opts = [_as_text(x) for x in sorted(set(nums.tolist()))] if nums is not None else []
        return Question(number=number, text=stem, type="matrix", options=opts, columns=list(cols), rows=list(rows))
    if info["type"] == "open":
        return Question(number=number, text=stem, type="open", columns=list(cols), rows=list(rows))
    return Question(
        number=number,
        text=stem,
        type="matrix",
        options=info["options"],
        columns=list(cols),
        rows=list(rows),
        scale=info["scale"],
        na_options=info["na_options"],
        other_options=info["other_options"],
    )


def _single(number: str, text: str, col: str, data: pd.DataFrame, code=None) -> Question:
    u, n = _uniques(data[col])
    info = infer_values(u, n, text)
    return Question(number=number, text=text, columns=[col], code=code, **info)


def _meta(col: str) -> Question:
    return Question(number=f"meta:{col}", text=str(col).strip(), type="meta", columns=[col])


# -- platform detection -----------------------------------------------------------------
def _codes_like(data: pd.DataFrame, cols: list) -> bool:
    """Do most question columns hold small integer option codes (a numeric export)?"""
    votes = []
    for c in cols:
        u, _ = _uniques(data[c])
        if not u:
            continue
        if _arrow_of(u) is not None:
            text_export = _count_containing(u, MULTI_SEP) > 0 or _count_containing(u, "〖") > 0
        else:
            text_export = any(isinstance(v, str) and (MULTI_SEP in v or "〖" in v) for v in u)
        if text_export:
            return False  # only text exports join options with ┋ or carry 〖other〗 text
        nums = _numbers(u)
        votes.append(nums is not None and bool(np.all(np.mod(nums, 1) == 0)) and nums.min() >= -3 and nums.max() <= 30)
    return bool(votes) and sum(votes) >= 0.6 * len(votes)


def detect_platform(columns: list, data: pd.DataFrame, header_rows: int = 1) -> str:
    """Guess the export layout from headers (and, for 问卷星, the answers)."""
    if header_rows == 2:
        return "vendor"
    hs = [str(c).strip() for c in columns]
    n_wjx_sys = sum(h in WJX_SYSTEM for h in hs)
    n_tx_sys = sum(h in TENCENT_SYSTEM for h in hs)
    wjx_q = [c for c, h in zip(columns, hs) if _WJX_Q.match(h)]
    wjx_num = [h for h in hs if _WJX_NUM.match(h) and trailing_group(_WJX_NUM.match(h).group(2) or "") is not None]
    tx_q = [h for h in hs if _TX_Q.match(h)]
    n_q = max(1, sum(not _is_system(h) for h in hs))
    if wjx_num and (n_wjx_sys >= 2 or wjx_q or len(wjx_num) >= 2):
        return "wjx_numeric"
    if n_wjx_sys >= 3 or (wjx_q and len(wjx_q) >= 0.5 * n_q):
        return "wjx_numeric" if _codes_like(data, wjx_q) else "wjx_text"
    if n_tx_sys >= 2 or (len(tx_q) >= 2 and len(tx_q) >= 0.5 * n_q):
        return "tencent"
    return "generic"


def _coded_missing_arrow(s: pd.Series) -> tuple[dict, np.ndarray | None]:
    """For an Arrow string column: how many cells are -2 / -3 (surrounding spaces allowed, as
    ``str.strip``), and the mask of those cells (``None`` if there are none).  The distinct
    values are tested, not every cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = _arrow_strings(s)
    u, _ = _uniques(s)
    ua = _arrow_of(u)
    hits = {str(k): 0 for k in _SKIP_CODES}
    if ua is None or not len(ua):
        return hits, None
    ws = _blank_class()
    codes = ua.filter(pc.match_substring_regex(ua, f"^[{ws}]*-[23][{ws}]*$")).to_pylist()
    if not codes:
        return hits, None
    for k in _SKIP_CODES:
        spelled = [v for v in codes if v.strip() == str(k)]
        if spelled:
            hits[str(k)] = int(pc.sum(pc.is_in(arr, value_set=pa.array(spelled, type=arr.type))).as_py() or 0)
    mask = pc.fill_null(pc.is_in(arr, value_set=pa.array(codes, type=arr.type)), False)
    return hits, mask.to_numpy(zero_copy_only=False)


def replace_coded_missing(data: pd.DataFrame, platform: str) -> tuple[pd.DataFrame, dict]:
    """问卷星 numeric exports: -2 (skipped) and -3 (not shown) → missing, counted per column."""
    if platform != "wjx_numeric":
        return data, {}
    counts: dict = {}
    new_cols = {}
    for c in data.columns:
        if _is_system(c):
            continue
        s = data[c]
        if pd.api.types.is_numeric_dtype(s):
            hits = {str(k): int((s == k).sum()) for k in _SKIP_CODES}
            if any(hits.values()):
                new_cols[c] = s.astype(float).where(~s.isin(_SKIP_CODES))
        elif _arrow_strings(s) is not None:
            hits, mask = _coded_missing_arrow(s)
            if mask is not None:
                new_cols[c] = s.where(~mask)
        else:
            st = s.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
            hits = {str(k): int((st == str(k)).sum()) for k in _SKIP_CODES}
            if any(hits.values()):
                new_cols[c] = text_series(s.where(~st.isin([str(k) for k in _SKIP_CODES])).tolist(), index=s.index)
        hits = {k: v for k, v in hits.items() if v}
        if hits:
            counts[str(c)] = hits
    if not new_cols:
        return data, counts
    out = data.copy()
    for c, s in new_cols.items():
        out[c] = s
    return out, counts


# -- codebooks --------------------------------------------------------------------------
def build_codebook(data: pd.DataFrame, platform: str, *, codes: list | None = None) -> tuple[pd.DataFrame, Codebook]:
    """Infer the codebook of ``data`` read from a ``platform`` export.

    Returns the (possibly adjusted) data and the codebook.  Only 腾讯问卷 data is adjusted: the
    option-letter prefixes (``A.``) are removed from answers.
    """
    if platform in ("wjx_text", "wjx_numeric"):
        return data, _codebook_wjx(data, numeric=platform == "wjx_numeric")
    if platform == "tencent":
        return _codebook_tencent(data)
    if platform == "vendor":
        return data, _codebook_vendor(data, codes)
    return data, _codebook_generic(data)


def _codebook_generic(data: pd.DataFrame) -> Codebook:
    qs = []
    for i, c in enumerate(data.columns, start=1):
        if _is_system(c):
            qs.append(_meta(c))
        else:
            qs.append(_single(str(i), str(c).strip(), c, data))
    return Codebook(qs)


def _codebook_vendor(data: pd.DataFrame, codes: list | None) -> Codebook:
    qs = []
    codes = codes or [None] * data.shape[1]
    for i, (c, code) in enumerate(zip(data.columns, codes), start=1):
        if _is_system(c) or (code and _is_system(code)):
            q = _meta(c)
            q.code = code
            qs.append(q)
            continue
        qs.append(_single(code or str(i), str(c).strip(), c, data, code=code))
    return Codebook(qs)


def _group(data: pd.DataFrame, patterns) -> tuple[list, "OrderedDict[str, list]"]:
    """Split columns into an ordered list of items: ("meta", col) or ("q", number)."""
    items: list = []
    groups: OrderedDict = OrderedDict()
    for c in data.columns:
        h = str(c).strip()
        number = None
        if not _is_system(h):
            for kind, rx in patterns:
                m = rx.match(h)
                if m:
                    number = m.group(1)
                    groups.setdefault(number, []).append((kind, c, m.group(2)))
                    break
        if number is None:
            items.append(("meta", c))
        elif ("q", number) not in items:
            items.append(("q", number))
    return items, groups


def _codebook_wjx(data: pd.DataFrame, *, numeric: bool) -> Codebook:
    items, groups = _group(data, [("text", _WJX_Q), ("num", _WJX_NUM)])
    qs = []
    for kind, key in items:
        if kind == "meta":
            qs.append(_meta(key))
            continue
        members = groups[key]
        text_cols = [(c, rest) for k, c, rest in members if k == "text"]
        num_cols = []
        for k, c, rest in members:
            if k == "num":
                g = trailing_group(rest)
                num_cols.append((c, g[1].strip() if g else rest.strip("()（） ")))
        stem = text_cols[0][1].strip() if len(text_cols) == 1 else ""
        if num_cols:
            cols = [c for c, _ in num_cols]
            labels = [lab for _, lab in num_cols]
            vals = _concat_uniques([_uniques(data[c])[0] for c in cols])
            nums = _numbers(vals)
            text = stem or f"第{key}题"
            if nums is not None and set(np.unique(nums).tolist()) <= {0.0, 1.0}:
                q = Question(number=key, text=text, type="multi", options=labels, columns=cols)
            else:
                q = _matrix(key, text, labels, cols, data, numeric_codes=nums is not None)
            qs.append(q)
            # a "N、…" column next to 第N题(…) columns (e.g. the free text of an "other"
            # option) becomes its own question, so that rows/options stay aligned with columns
            for j, (c, rest) in enumerate(text_cols, start=1):
                suffix = "_text" if len(text_cols) == 1 else f"_text{j}"
                qs.append(_single(f"{key}{suffix}", rest.strip(), c, data))
            continue
        if len(text_cols) == 1:
            c = text_cols[0][0]
            if numeric:
                qs.append(_numeric_code_question(key, stem, c, data))
            else:
                qs.append(_single(key, stem, c, data))
            continue
        stem, rows = split_rows([rest for _, rest in text_cols])
        qs.append(_matrix(key, stem, rows, [c for c, _ in text_cols], data, numeric_codes=numeric))
    return Codebook(qs)


def _numeric_code_question(number: str, text: str, col: str, data: pd.DataFrame) -> Question:
    u, n = _uniques(data[col])
    nums = _numbers(u)
    if nums is not None and len(nums) and np.all(np.mod(nums, 1) == 0) and nums.min() >= 0 and nums.max() <= 30:
        opts = [_as_text(x) for x in sorted(set(nums.tolist()))]
        return Question(number=number, text=text, type="single", options=opts, columns=[col])
    info = infer_values(u, n, text)
    return Question(number=number, text=text, columns=[col], **info)


def _strip_prefix_series(s: pd.Series) -> pd.Series | None:
    """Remove ``A.`` prefixes when every answer (every ┋ part) carries one; else ``None``."""
    u, _ = _uniques(s)
    if not u or not all(isinstance(v, str) for v in u):
        return None
    parts = [p for v in u for p in v.split(MULTI_SEP)]
    if not parts or not all(has_letter_prefix(p.strip()) for p in parts):
        return None
    mapping = {v: MULTI_SEP.join(strip_letter_prefix(p.strip()) for p in v.split(MULTI_SEP)) for v in u}
    arr = _arrow_strings(s)
    if arr is not None:  # one lookup per cell in Arrow; cells not in the mapping (blank) kept
        import pyarrow as pa
        import pyarrow.compute as pc

        keys = pa.array(list(mapping), type=arr.type)
        idx = pc.index_in(arr, value_set=keys)
        new = pc.coalesce(pc.take(pa.array(list(mapping.values()), type=arr.type), idx), arr)
        return text_series(pd.arrays.ArrowStringArray(new, dtype=s.dtype), index=s.index, name=s.name)
    return text_series([mapping.get(v, v) if isinstance(v, str) else v for v in s.tolist()], index=s.index, name=s.name)


def _codebook_tencent(data: pd.DataFrame) -> tuple[pd.DataFrame, Codebook]:
    changed = {}
    for c in data.columns:
        if _is_system(c):
            continue
        new = _strip_prefix_series(data[c])
        if new is not None:
            changed[c] = new
    if changed:
        data = data.copy()
        for c, s in changed.items():
            data[c] = s
    items, groups = _group(data, [("q", _TX_Q)])
    qs = []
    for kind, key in items:
        if kind == "meta":
            qs.append(_meta(key))
            continue
        members = groups[key]
        cols = [c for _, c, _ in members]
        rests = [rest.strip() for _, _, rest in members]
        if len(cols) == 1:
            qs.append(_single(key, rests[0], cols[0], data))
            continue
        colon = [re.split(r"[:：]", r, maxsplit=1) for r in rests]
        if all(len(p) == 2 for p in colon) and len({p[0].strip() for p in colon}) == 1:
            stem = colon[0][0].strip()
            opts = [strip_letter_prefix(p[1].strip()) for p in colon]
            qs.append(Question(number=key, text=stem, type="multi", options=opts, columns=cols))
            continue
        stem, rows = split_rows(rests)
        qs.append(_matrix(key, stem, rows, cols, data))
    return data, Codebook(qs)
