"""Segmentation of survey comments: a jieba-based ``Segmenter`` and a scikit-learn tokenizer.

Nothing is loaded at import time.  The dictionary (jieba's default dictionary plus the package's
domain user dictionary plus the user's words) is loaded the first time a ``Segmenter`` cuts
text, once per process and per distinct dictionary; worker processes receive the complete list
of added entries explicitly, so the ``spawn`` start method loses nothing.
"""
from __future__ import annotations

import logging
import math
import os
import re
import sys
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import ConfigError
from ._normalize import t2s_converter, normalize_text

__all__ = ["Segmenter", "tokenize", "load_stopwords", "load_user_dictionary", "word_spans", "fast_backend"]

logger = logging.getLogger(__name__)

#: frequency given to a user word without an explicit frequency (high enough to survive)
DEFAULT_USER_FREQ = 20000
_BACKENDS = ("jieba", "rjieba")
_PUNCT_RE = re.compile(r"^[\W_]+$", re.UNICODE)
_NUM_RE = re.compile(r"^[\d.%]+$")
#: jieba's own block pattern (re_han_default): runs of these characters are segmented by the DAG
_RE_HAN = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
_BLOCK_CACHE_MAX = 500_000
#: clause punctuation (full- and half-width); never part of a protected term
_PURE_HAN_RE = re.compile("[\u4E00-\u9FD50-9.%]+")
_ASCII_ALNUM_RE = re.compile(r"[A-Za-z0-9.]")
_SEP_CHARS = r"，。；！？、,;!?~～：:（）()【】\[\]“”\"《》\n\r"
# whitespace separates clauses too, except inside multi-word Latin terms (Power BI)
_L = "A-Za-zＡ-Ｚａ-ｚ"  # Latin letters, also full width (normalised only after the split)
_SEP = rf"[{_SEP_CHARS}]+\s*|(?<![{_L}\s])\s+|(?<=[{_L}])\s+(?![{_L}\s])"
_CLAUSE_SPLIT_RE = re.compile(f"((?:{_SEP})+)")
_CLAUSE_SEP_RE = re.compile(f"(?:{_SEP})+")
# the same without the Latin-space exception, for the usual text without "letter space letter"
_FAST_SPLIT_RE = re.compile(rf"([{_SEP_CHARS}\s]+)")
_FAST_SEP_RE = re.compile(rf"[{_SEP_CHARS}\s]+")
_LATIN_SPACE_RE = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ][\s\u3000]+[A-Za-zＡ-Ｚａ-ｚ]")
#: ASCII / mixed terms that contain spaces or symbols jieba would split; kept whole by a pre-pass
_PROTECTED_EXTRA = ("C++", "C#", ".NET", "Node.js", "Vue.js", "1+X", "Pro/E", "CET-4", "CET-6",
                    "Power BI", "Altium Designer", "Visual Basic", "Office 365", "TCP/IP", "A/B")


# ---------------------------------------------------------------------------------------
# resources
# ---------------------------------------------------------------------------------------
def _resource_text(name: str) -> str:
    return resources.files("survey_analysis.text").joinpath("resources").joinpath(name).read_text(
        encoding="utf-8"
    )


def _parse_dict_lines(lines: Iterable[str], *, file=None) -> list[tuple[str, int, str | None]]:
    out = []
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest[0])
            rest = rest[1:]
        elif rest and not rest[0].isalpha():
            raise ConfigError(
                "用户词典的词频必须是非负整数",
                file=file,
                row=lineno,
                expected="每行：词语 [词频] [词性]，例如「沟通能力 20000 n」",
                found=line,
                hint="修改该行，或删去词频（将使用默认词频）。",
            )
        if rest:
            tag = rest[0]
        out.append((word, DEFAULT_USER_FREQ if freq is None else freq, tag))
    return out


@lru_cache(maxsize=1)
def _package_entries() -> tuple[tuple[str, int, str | None], ...]:
    return tuple(_parse_dict_lines(_resource_text("userdict.txt").splitlines()))


def load_user_dictionary() -> list[tuple[str, int, str | None]]:
    """Return the package's domain user dictionary as ``(word, frequency, tag)`` entries.

    Examples
    --------
    >>> entries = load_user_dictionary()
    >>> len(entries) >= 1500
    True
    """
    return list(_package_entries())


@lru_cache(maxsize=1)
def _package_stopwords() -> frozenset[str]:
    words = []
    for line in _resource_text("stopwords.txt").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return frozenset(words)


def load_stopwords() -> frozenset[str]:
    """Return the package's curated stopword list (gap cues such as 不, 没有, 需要, 加强 are kept out).

    Examples
    --------
    >>> sw = load_stopwords()
    >>> "的" in sw, "不足" in sw, "加强" in sw
    (True, False, False)
    """
    return _package_stopwords()


@lru_cache(maxsize=1)
def _tool_names() -> tuple[str, ...]:
    import yaml

    cat = yaml.safe_load(_resource_text("tools.yaml"))
    return tuple(t["name"] for t in cat.get("tools", []))


def _read_user_dict_file(path) -> list[tuple[str, int, str | None]]:
    p = Path(path)
    if not p.is_file():
        raise ConfigError(
            "找不到用户词典文件",
            file=p,
            expected="一个 UTF-8 文本文件，每行：词语 [词频] [词性]",
            found=str(p),
            hint="检查路径是否正确。",
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = p.read_text(encoding="gb18030")
    return _parse_dict_lines(text.splitlines(), file=p)


def _resolve_user_words(user_words) -> list[tuple[str, int, str | None]]:
    if user_words is None:
        return []
    if isinstance(user_words, str):
        user_words = [user_words]
    out = []
    for item in user_words:
        if isinstance(item, str):
            word, freq = item.strip(), DEFAULT_USER_FREQ
        elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str):
            word, freq = item[0].strip(), item[1]
        else:
            raise ConfigError(
                "user_words 的每一项必须是词语或 (词语, 词频)",
                expected="例如 ['鸿蒙开发', ('数字孪生', 30000)]",
                found=repr(item),
            )
        if not isinstance(freq, int) or isinstance(freq, bool) or freq < 0 or not word:
            raise ConfigError(
                "user_words 中的词频必须是非负整数，词语不能为空",
                expected="(词语, 非负整数词频)",
                found=repr(item),
            )
        out.append((word, freq, None))
    return out


# ---------------------------------------------------------------------------------------
# the per-process backend cache
# ---------------------------------------------------------------------------------------
_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()


_LOADS = {"jieba_init": 0, "builds": 0}  # counters for tests and logging


def _jieba_tokenizer(extra: tuple):
    """A jieba Tokenizer with the default + package dictionary (+ ``extra``).

    jieba's default dictionary is read once per process; a tokenizer with extra words is a
    copy of that base with the words added (much cheaper than a second ``initialize``).
    """
    import jieba

    base = _CACHE.get(("jieba-base",))
    if base is None:
        jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict ..."
        base = jieba.Tokenizer()
        base.initialize()
        _LOADS["jieba_init"] += 1
        for word, freq, tag in _package_entries():
            base.add_word(word, freq, tag)
        _CACHE[("jieba-base",)] = base
    if not extra:
        return base
    tok = jieba.Tokenizer()
    tok.FREQ = dict(base.FREQ)
    tok.total = base.total
    tok.user_word_tag_tab = dict(base.user_word_tag_tab)
    tok.initialized = True
    for word, freq, tag in extra:
        tok.add_word(word, freq, tag)
    return tok


#: a "word" of two Unicode noncharacters: never inside a ``_RE_HAN`` block, so never matched
_TOTAL_PAD_WORD = "\ufdd0\ufdd1"


def _jieba_dict_freqs(words: frozenset) -> dict:
    """Frequencies of ``words`` in jieba's default dictionary (the one rjieba ships too)."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            w, _, rest = line.partition(" ")
            if w in words:
                out[w] = int(rest.split(" ", 1)[0])
    return out


def _total_shortfall(entries) -> int:
    """How much less jieba-rs's total frequency is than jieba's after adding ``entries`` in
    order: the sum of the frequencies that the added words had before (jieba keeps them in its
    total, jieba-rs takes them off)."""
    freq = _jieba_dict_freqs(frozenset(w for w, _, _ in entries))
    missing = 0
    for word, f, _ in entries:
        missing += freq.get(word, 0)
        freq[word] = f
    return missing


def _load_backend(backend: str, extra: tuple):
    """Return a ``cut(text, hmm) -> list[str]`` callable for the package dictionary + ``extra``.

    Cached per process and per distinct ``extra``.
    """
    key = (backend, extra)
    fn = _CACHE.get(key)
    if fn is not None:
        return fn
    with _CACHE_LOCK:
        fn = _CACHE.get(key)
        if fn is not None:
            return fn
        if backend == "jieba":
            tok = _jieba_tokenizer(extra)

            def fn(text, hmm, _tok=tok):
                return _tok.lcut(text, HMM=hmm)

        else:
            try:
                import rjieba
            except ImportError as exc:  # pragma: no cover - depends on the environment
                raise ConfigError(
                    "backend='rjieba' 需要安装 rjieba",
                    expected="已安装的 rjieba 包",
                    found="未安装",
                    hint="运行 pip install rjieba，或使用 backend='jieba'。",
                ) from exc
            jb = rjieba.Jieba()  # ships jieba's default dictionary (dict.txt)
            entries = _package_entries() + extra
            for word, freq, tag in entries:
                jb.add_word(word, freq, tag)
            # jieba's add_word adds the new frequency to the total without taking off the old
            # one of a word already in the dictionary; jieba-rs takes it off.  The total enters
            # every path's score, so the two backends would cut differently (国会议长 →
            # 国会/议长 vs 国/会议/长).  A word no block can contain makes up the difference.
            missing = _total_shortfall(entries)
            if missing:
                jb.add_word(_TOTAL_PAD_WORD, missing, None)

            def fn(text, hmm, _jb=jb):
                return _jb.cut(text, hmm)

        _CACHE[key] = fn
        _LOADS["builds"] += 1
        logger.debug("loaded %s dictionary with %d extra entries", backend, len(extra))
        return fn


# ---------------------------------------------------------------------------------------
# Segmenter
# ---------------------------------------------------------------------------------------
class Segmenter:
    """Segment Chinese survey comments with jieba (or rjieba) and a domain dictionary.

    Parameters
    ----------
    hmm : bool, default False
        Use jieba's HMM to guess unknown words (off: it invents words in short comments).
    backend : {"jieba", "rjieba"}, default "jieba"
        ``"rjieba"`` (Rust) gives the same tokens as ``"jieba"`` with ``hmm=False`` (tested on
        public text and SIGHAN 2005) and is faster: about 4× jieba on ordinary text, more on
        repetitive comments (``docs/text_quality.md``).  ``"jieba"`` is the default: the
        reference segmenter, always installed.
    user_words : list of str or (str, int), optional
        Extra words (with an optional frequency; default ``DEFAULT_USER_FREQ``).
    user_dict : path, optional
        A jieba-format user dictionary file (``word [freq] [tag]`` per line).
    stopwords : bool or iterable of str, default True
        ``True`` drops the package's curated stopwords, punctuation and bare numbers; an
        iterable drops those words (plus punctuation); ``False`` keeps every non-space token.
    n_jobs : int, default 1
        Processes for :meth:`cut_many` above ``parallel_threshold`` distinct texts (-1 = all CPUs).
    parallel_threshold : int, default 20000
        Minimum number of distinct texts before :meth:`cut_many` uses processes.
    progress : bool or None, default None
        Show a tqdm progress bar in :meth:`cut_many`; ``None`` = only for long runs on a terminal.
    start_method : {"fork", "spawn", "forkserver"} or None
        multiprocessing start method (``None`` = the platform default).

    Examples
    --------
    >>> seg = Segmenter()
    >>> seg.cut("希望加强学生的实践动手能力，Power BI 用得不熟练")
    ['希望', '加强', '实践动手能力', 'Power BI', '用', '不熟练']
    """

    def __init__(
        self,
        *,
        hmm: bool = False,
        backend: str = "jieba",
        user_words=None,
        user_dict=None,
        stopwords=True,
        n_jobs: int = 1,
        parallel_threshold: int = 20000,
        progress: bool | None = None,
        start_method: str | None = None,
    ) -> None:
        if backend not in _BACKENDS:
            raise ConfigError(
                "未知的分词后端（backend）",
                expected="'jieba' 或 'rjieba'",
                found=repr(backend),
            )
        if start_method not in (None, "fork", "spawn", "forkserver"):
            raise ConfigError(
                "未知的进程启动方式（start_method）",
                expected="None、'fork'、'spawn' 或 'forkserver'",
                found=repr(start_method),
            )
        if not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
            raise ConfigError("n_jobs 必须是正整数或 -1", expected="1、2、…或 -1", found=repr(n_jobs))
        self.hmm = bool(hmm)
        self.backend = backend
        self.user_words = user_words
        self.user_dict = user_dict
        self.stopwords = stopwords
        self.n_jobs = n_jobs
        self.parallel_threshold = int(parallel_threshold)
        self.progress = progress
        self.start_method = start_method
        extra = _resolve_user_words(user_words)
        if user_dict is not None:
            extra = _read_user_dict_file(user_dict) + extra
        self._extra_entries = tuple(extra)
        if stopwords is True:
            self._stop = _package_stopwords()
            self._drop_symbols = True
        elif stopwords is False or stopwords is None:
            self._stop = frozenset()
            self._drop_symbols = False
        else:
            self._stop = frozenset(str(w) for w in stopwords)
            self._drop_symbols = True
        self._fn = None
        self._protect = None
        self._blocks: dict = {}
        self._clauses: dict = {}
        self._norm_clauses: dict = {}

    # -- configuration shipped to workers -------------------------------------------------
    def _entries(self) -> tuple:
        return _package_entries() + self._extra_entries

    def _worker_config(self) -> dict:
        return {
            "backend": self.backend,
            "hmm": self.hmm,
            "entries": self._entries(),  # the full dictionary additions, explicitly
            "stop": self._stop,
            "drop_symbols": self._drop_symbols,
        }

    @classmethod
    def _from_config(cls, cfg: dict) -> "Segmenter":
        seg = cls.__new__(cls)
        seg.hmm = cfg["hmm"]
        seg.backend = cfg["backend"]
        seg.user_words = seg.user_dict = None
        seg.stopwords = True
        seg.n_jobs, seg.parallel_threshold, seg.progress, seg.start_method = 1, 0, False, None
        pkg = _package_entries()
        entries = tuple(cfg["entries"])
        if entries[: len(pkg)] != pkg:  # pragma: no cover - the parent always sends pkg + extra
            raise RuntimeError("worker received a dictionary that does not start with the package's")
        seg._extra_entries = entries[len(pkg):]
        seg._stop = cfg["stop"]
        seg._drop_symbols = cfg["drop_symbols"]
        seg._fn = None
        seg._protect = None
        seg._blocks, seg._clauses, seg._norm_clauses = {}, {}, {}
        return seg

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_fn"] = None
        state["_protect"] = None
        state["_blocks"], state["_clauses"], state["_norm_clauses"] = {}, {}, {}
        return state

    def __repr__(self) -> str:
        return (f"Segmenter(hmm={self.hmm}, backend={self.backend!r}, "
                f"user_words={len(self._extra_entries)} extra, stopwords={self.stopwords is not False})")

    # -- loading --------------------------------------------------------------------------
    def _ensure_loaded(self):
        if self._fn is None:
            self._fn = _load_backend(self.backend, self._extra_entries)
            self._protect = _protect_pattern(tuple(w for w, _, _ in self._extra_entries))
        return self._fn

    def has_word(self, word: str) -> bool:
        """True when ``word`` comes out of :meth:`cut` as one token (stopwords aside)."""
        fn = self._ensure_loaded()
        return fn(word, self.hmm) == [word]

    # -- cutting --------------------------------------------------------------------------
    def _post(self, tokens) -> list[str]:
        """Drop spaces (and stopwords / punctuation / bare numbers), fix the case of tool names."""
        canon = self._protect[1]
        stop = self._stop
        out = []
        drop = self._drop_symbols
        for t in tokens:
            if t.isspace() or (drop and (t in stop or _PUNCT_RE.match(t) or _NUM_RE.match(t))):
                continue
            out.append(canon.get(t.lower(), t) if t.isascii() else t)
        return out

    def _cut_plain(self, text: str, out: list) -> None:
        """Segment text without protected terms, block by block as jieba does.

        jieba cuts each run of ``_RE_HAN`` characters separately and yields every other
        character (except whitespace) as its own token; doing the split here lets each distinct
        block be segmented once (survey comments share clauses even when whole comments
        differ), and keeps the jieba and rjieba backends on exactly the same blocks.
        """
        cache = self._blocks
        fn, hmm = self._fn, self.hmm
        parts = _RE_HAN.split(text)
        for i, blk in enumerate(parts):
            if not blk:
                continue
            if i % 2:  # a han block
                toks = cache.get(blk)
                if toks is None:
                    toks = self._post(fn(blk, hmm))
                    if len(cache) < _BLOCK_CACHE_MAX:
                        cache[blk] = toks
                out.extend(toks)
            else:
                out.extend(self._post([ch for ch in blk if not ch.isspace()]))

    def _cut_normalized(self, text: str) -> list[str]:
        pat, canon = self._protect
        out: list[str] = []
        if pat is not None and _ASCII_ALNUM_RE.search(text) and pat.search(text):
            pos = 0
            for m in pat.finditer(text):
                if m.start() > pos:
                    self._cut_plain(text[pos:m.start()], out)
                out.append(canon.get(m.group(0).lower(), m.group(0)))
                pos = m.end()
            if pos < len(text):
                self._cut_plain(text[pos:], out)
        else:
            self._cut_plain(text, out)
        return out

    def _cut_raw(self, raw: str) -> list[str]:
        """Normalise and segment one raw text clause by clause, each distinct clause once.

        Splitting at clause punctuation and spaces before normalising is exact: normalisation
        works character by character (OpenCC phrases never span punctuation) and jieba cuts at
        these characters anyway; protected terms (``Power BI``) contain none of them, and a
        space between two Latin letters is not a split point.
        """
        raw_cache = self._clauses
        # with punctuation dropped anyway, the separators need not come back from split
        if _LATIN_SPACE_RE.search(raw):
            split = _CLAUSE_SEP_RE.split if self._drop_symbols else _CLAUSE_SPLIT_RE.split
        else:
            split = _FAST_SEP_RE.split if self._drop_symbols else _FAST_SPLIT_RE.split
        out: list[str] = []
        for part in split(raw):
            toks = raw_cache.get(part)
            if toks is None:
                toks = self._clause_miss(part)
            out += toks
        return out

    def _clause_miss(self, part: str) -> list[str]:
        if _PURE_HAN_RE.fullmatch(part) and t2s_converter()[0].isdisjoint(part):
            # the usual clause: simplified Chinese only, already normal, one jieba block
            toks = self._blocks.get(part)
            if toks is None:
                toks = self._post(self._fn(part, self.hmm))
                if len(self._blocks) < _BLOCK_CACHE_MAX:
                    self._blocks[part] = toks
            if len(self._clauses) < _BLOCK_CACHE_MAX:
                self._clauses[part] = toks
            return toks
        norm = normalize_text(part)
        norm_cache = self._norm_clauses
        toks = norm_cache.get(norm)
        if toks is None:
            toks = self._cut_normalized(norm) if norm else []
            if len(norm_cache) < _BLOCK_CACHE_MAX:
                norm_cache[norm] = toks
        if len(self._clauses) < _BLOCK_CACHE_MAX:
            self._clauses[part] = toks
        return toks

    def cut(self, text) -> list[str]:
        """Segment one comment; non-strings (None, NaN, numbers) give ``[]``.

        The text is normalised first (:func:`normalize_text`: full-width → half-width,
        control characters removed, traditional → simplified).
        """
        if not isinstance(text, str):
            return []
        self._ensure_loaded()
        return self._cut_raw(text)

    def cut_many(self, texts) -> list[list[str]]:
        """Segment many comments; each distinct text is segmented once.

        Parameters
        ----------
        texts : iterable of str
            A list, Series or array; non-strings give ``[]``.

        Returns
        -------
        list of list of str
            One token list per input, in order.
        """
        if hasattr(texts, "tolist"):
            texts = texts.tolist()
        raw_slot: dict = {}
        setdefault = raw_slot.setdefault
        slots = [setdefault(t, len(raw_slot)) if isinstance(t, str) else -1 for t in texts]
        results = self._segment_uniques(list(raw_slot))
        results.append([])  # slot -1: not a string
        return [results[s].copy() for s in slots]

    def _show_progress(self, n: int) -> bool:
        if self.progress is not None:
            return bool(self.progress)
        return n >= 50000 and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()

    def _segment_uniques(self, uniques: list[str]) -> list[list[str]]:
        n = len(uniques)
        jobs = (os.cpu_count() or 1) if self.n_jobs == -1 else self.n_jobs
        show = self._show_progress(n)
        if jobs > 1 and n > self.parallel_threshold and n > 1:
            return self._segment_parallel(uniques, jobs, show)
        self._ensure_loaded()
        from tqdm.auto import tqdm

        it = tqdm(uniques, desc="分词", unit="条", disable=not show, leave=False)
        return [self._cut_raw(t) for t in it]

    def _segment_parallel(self, uniques, jobs, show):
        import multiprocessing as mp

        from tqdm.auto import tqdm

        ctx = mp.get_context(self.start_method)
        chunk = max(1, math.ceil(len(uniques) / (jobs * 8)))
        chunks = [uniques[i:i + chunk] for i in range(0, len(uniques), chunk)]
        out: list[list[str]] = []
        with ctx.Pool(jobs, initializer=_worker_init, initargs=(self._worker_config(),)) as pool:
            bar = tqdm(total=len(uniques), desc="分词", unit="条", disable=not show, leave=False)
            for part in pool.imap(_worker_cut, chunks):
                out.extend(part)
                bar.update(len(part))
            bar.close()
        return out


@lru_cache(maxsize=64)
def _protect_pattern(extra_words: tuple[str, ...]):
    """Regex of ASCII / mixed terms kept whole, and a lower-case → canonical spelling map."""
    terms = set(_PROTECTED_EXTRA)
    canon = {}
    for name in _tool_names() + extra_words:
        if name.isascii():
            canon[name.lower()] = name
        if name.isascii() and re.search(r"[^A-Za-z0-9]", name):
            terms.add(name)
    for t in _PROTECTED_EXTRA:
        canon[t.lower()] = t
    alts = sorted(terms, key=len, reverse=True)
    body = "|".join(re.escape(t).replace(r"\ ", r"\s*") for t in alts)
    pat = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9+#])", re.IGNORECASE)
    # spaced variants map to the canonical form too
    for t in terms:
        if " " in t:
            canon[t.replace(" ", "").lower()] = t
    return pat, _CanonMap(canon)


class _CanonMap(dict):
    """lower-case → canonical spelling; ``get`` also folds internal whitespace."""

    def get(self, key, default=None):
        v = dict.get(self, key)
        if v is None and " " in key:
            v = dict.get(self, re.sub(r"\s+", "", key))
            if v is None:
                v = dict.get(self, re.sub(r"\s+", " ", key))
        return default if v is None else v


# ---------------------------------------------------------------------------------------
# workers (module level so that they pickle under spawn)
# ---------------------------------------------------------------------------------------
_WORKER_SEG: Segmenter | None = None


def _worker_init(cfg: dict) -> None:
    global _WORKER_SEG
    _WORKER_SEG = Segmenter._from_config(cfg)
    _WORKER_SEG._ensure_loaded()


def _worker_cut(chunk: Sequence[str]) -> list[list[str]]:
    seg = _WORKER_SEG
    return [seg._cut_raw(t) for t in chunk]


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every token of ``text`` as the package's dictionary cuts it (jieba's
    default dictionary + the domain user dictionary, HMM off, the fast backend), every character
    outside jieba's blocks (punctuation, spaces) a token of its own.  Used to decide polarity on
    words, never on a character inside another word (应 in 应届, 多 in 多个, 差 in 出差).

    Examples
    --------
    >>> t = "应届生的表达能力不错"
    >>> [t[a:b] for a, b in word_spans(t)]
    ['应届生', '的', '表达能力', '不错']
    """
    fn = _load_backend(fast_backend(), ())
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, blk in enumerate(_RE_HAN.split(text)):
        if not blk:
            continue
        if i % 2:
            toks = fn(blk, False)
            if sum(map(len, toks)) != len(blk):  # pragma: no cover - a backend that drops characters
                toks = [blk]
            for tok in toks:
                spans.append((pos, pos + len(tok)))
                pos += len(tok)
        else:
            for _ in blk:
                spans.append((pos, pos + 1))
                pos += 1
    return spans


def fast_backend() -> str:
    """``"rjieba"`` when it is installed (the same tokens as jieba with ``hmm=False``), else
    ``"jieba"``."""
    import importlib.util

    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


# ---------------------------------------------------------------------------------------
# scikit-learn helpers
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _default_segmenter() -> Segmenter:
    return Segmenter()


def tokenize(text) -> list[str]:
    """Tokenize one comment with the default :class:`Segmenter` (module level, picklable).

    Use it in scikit-learn as ``TfidfVectorizer(tokenizer=tokenize, token_pattern=None,
    lowercase=False)``.

    Examples
    --------
    >>> tokenize("沟通能力有待提高")
    ['沟通能力', '有待提高']
    """
    return _default_segmenter().cut(text)
