"""Keywords of survey comments: TF-IDF with the survey's own IDF, or TextRank; per group."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import ConfigError

__all__ = ["keywords", "is_content_word"]

KEYWORD_COLUMNS = ["group", "rank", "keyword", "score", "n_docs"]
_SINGLE_CJK = re.compile(r"^[\u4e00-\u9fff]$")
_NON_WORD = re.compile(r"^[\W_]+$")


def _identity(tokens):
    return tokens


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    text = resources.files("survey_analysis.text").joinpath("resources", "function_words.txt").read_text(
        encoding="utf-8")
    return frozenset(w for w in (line.split("#", 1)[0].strip() for line in text.splitlines()) if w)


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    """Polarity cues, negators, want words and the function words: how something is judged or
    said, not what it is about."""
    from ._polarity import rules

    R = rules()
    phrases = {"有待提高", "有待加强", "有待提升", "需要加强", "需要提高", "进一步加强", "进一步提高"}
    return (frozenset(R["pol"]) | R["negators"] | R["directive"] | R["weak_directive"] | phrases
            | _function_words())


def _keep(token: str, drop: frozenset = frozenset()) -> bool:
    t = token.lower()
    return (not _SINGLE_CJK.match(token) and not token.isdigit() and t not in drop
            and not _NON_WORD.match(token) and not (len(token) == 1 and token.isascii()))


def is_content_word(token: str) -> bool:
    """True when ``token`` says what a text is about: not a stopword, not a polarity cue or
    negator, not a function word (还有, 太, 最, 希望, 觉得, 个人 …, ``resources/function_words.txt``),
    not a single character, number or punctuation.

    Examples
    --------
    >>> [w for w in ["还有", "沟通能力", "太", "Python", "希望", "个人", "实践", "强", "2"] if is_content_word(w)]
    ['沟通能力', 'Python', '实践']
    """
    from ._segment import load_stopwords

    if not isinstance(token, str):
        return False
    drop = _cue_words() | load_stopwords()
    return _keep(token, drop) and not _judgement(token, drop)


def _judgement(token: str, drop: frozenset) -> bool:
    """A degree word or negator glued to a cue, a single character or a stopword by the
    segmenter: 比较欠缺, 比较慢, 不够扎实, 太行 (不太行), 没什么 — how something is judged,
    not what it is about."""
    from ._polarity import rules

    heads = _function_words() | rules()["negators"] | {"没", "不", "太", "较", "挺", "蛮", "有点", "有些"}
    for k in range(1, min(len(token) - 1, 3) + 1):
        head, rest = token[:k], token[k:]
        if head in heads and (rest in drop or _SINGLE_CJK.match(rest)):
            return True
    return False


def _textrank(docs: list[list[str]], *, window: int = 5, damping: float = 0.85,
              max_iter: int = 100, tol: float = 1e-6) -> dict[str, float]:
    """PageRank over an undirected co-occurrence graph (edges within ``window`` tokens)."""
    vocab: dict[str, int] = {}
    edges: dict[tuple[int, int], float] = {}
    for toks in docs:
        idx = [vocab.setdefault(t, len(vocab)) for t in toks]
        for i, a in enumerate(idx):
            for b in idx[i + 1:i + window]:
                if a != b:
                    key = (a, b) if a < b else (b, a)
                    edges[key] = edges.get(key, 0.0) + 1.0
    n = len(vocab)
    if n == 0:
        return {}
    from scipy import sparse

    if edges:
        (r, c), w = zip(*edges.keys()), np.fromiter(edges.values(), dtype=float)
        r, c = np.asarray(r), np.asarray(c)
        mat = sparse.coo_matrix((np.r_[w, w], (np.r_[r, c], np.r_[c, r])), shape=(n, n)).tocsr()
    else:
        mat = sparse.csr_matrix((n, n))
    out_w = np.asarray(mat.sum(axis=1)).ravel()
    out_w[out_w == 0] = 1.0
    trans = sparse.diags(1.0 / out_w) @ mat  # row-stochastic
    score = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1 - damping) / n + damping * (trans.T @ score)
        if np.abs(new - score).sum() < tol:
            score = new
            break
        score = new
    inv = {i: t for t, i in vocab.items()}
    return {inv[i]: float(score[i]) for i in range(n)}


def _distinct(values):
    """``(codes, uniques)``: code -1 for missing values; uniques may hold non-strings (no tokens)."""
    try:
        if isinstance(values, pd.Series):
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        else:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            codes, uniques = pd.factorize(arr, use_na_sentinel=True)
        uniques = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
        return np.asarray(codes, dtype=np.int64), uniques
    except (TypeError, ValueError):  # unhashable values: each its own document
        vals = list(values)
        return np.arange(len(vals), dtype=np.int64), vals


def _segment_distinct(segmenter, uniques: list) -> list:
    """Tokens of each of the distinct values (non-strings: none)."""
    from ._segment import Segmenter

    if type(segmenter) is not Segmenter:  # any object with cut_many
        return segmenter.cut_many(uniques)
    strings = [u for u in uniques if isinstance(u, str)]
    toks = segmenter._segment_uniques(strings)  # fresh lists, one per distinct text: no copies
    if len(strings) == len(uniques):
        return toks
    it = iter(toks)
    return [next(it) if isinstance(u, str) else [] for u in uniques]


def _count_matrix(udocs: list, keep):
    """Token counts of the distinct documents as ``CountVectorizer(analyzer=identity)`` makes
    them after dropping the tokens ``keep`` rejects: CSR float64, columns sorted by token, the
    entries of a row in the order of the tokens' first appearance in the corpus.

    Vectorised (one factorisation of all tokens) instead of a dictionary look-up per token.
    Returns ``(matrix, vocabulary)``; the vocabulary is empty when no token is kept.
    """
    from itertools import chain

    from scipy import sparse

    lengths = np.fromiter((len(d) for d in udocs), dtype=np.int64, count=len(udocs))
    flat = np.fromiter(chain.from_iterable(udocs), dtype=object, count=int(lengths.sum()))
    tok, terms = pd.factorize(flat)  # ids in order of first appearance, like CountVectorizer
    terms = np.asarray(terms, dtype=object)
    kept = np.fromiter((keep(t) for t in terms), dtype=bool, count=len(terms))
    doc = np.repeat(np.arange(len(udocs)), lengths)
    sel = kept[tok]
    n_terms = len(terms)
    X = sparse.csr_matrix((np.ones(int(sel.sum()), dtype=np.float64), (doc[sel], tok[sel])),
                          shape=(len(udocs), n_terms))
    X.sum_duplicates()  # counts; indices sorted by first appearance within each row
    keep_ids = np.flatnonzero(kept)
    order = keep_ids[np.argsort(terms[keep_ids].astype(str), kind="stable")]
    new_id = np.full(n_terms, -1, dtype=X.indices.dtype)
    new_id[order] = np.arange(len(order), dtype=X.indices.dtype)
    X = sparse.csr_matrix((X.data, new_id[X.indices], X.indptr), shape=(len(udocs), len(order)))
    return X, terms[order]


def _tfidf_rows(udocs: list, codes: np.ndarray, min_df: int, keep):
    """The TF-IDF matrix of the texts (one row per text, IDF over all texts) and its vocabulary.

    Equal to ``TfidfVectorizer(analyzer=identity, min_df=min_df, norm="l2").fit_transform`` of
    the per-text token lists (filtered by ``keep``), but each distinct text is counted once and
    its row repeated.  ``udocs[-1]`` is the empty document of code -1.  ``(None, None)`` when no
    token is kept or reaches ``min_df``.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    C, vocab = _count_matrix(udocs, keep)
    if not len(vocab):
        return None, None
    C = C[codes].tocsr()  # code -1 → the last (empty) row
    if min_df > 1:
        df = np.bincount(C.indices, minlength=C.shape[1])
        mask = df >= min_df
        if not mask.any():
            return None, None
        C = C[:, np.flatnonzero(mask)]
        vocab = vocab[mask]
    tfidf = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False)
    tfidf.fit(C)
    return tfidf.transform(C, copy=False), vocab


def _valid_label(g) -> bool:
    return g is not None and not (isinstance(g, float) and np.isnan(g)) and g is not pd.NA


def _group_rows(labels: np.ndarray) -> list:
    """``[(label, row positions)]`` in order of first appearance; missing labels (None, NaN,
    pd.NA) belong to no group."""
    try:
        codes, uniques = pd.factorize(labels, use_na_sentinel=True)
    except TypeError:  # unhashable labels
        codes = None
    if codes is not None and all(not _valid_label(g) for g in labels[codes < 0]):
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        return [(uniques[j], order[bounds[j]:bounds[j + 1]]) for j in range(len(uniques))]
    valid = np.array([_valid_label(g) for g in labels], dtype=bool)  # bool also when empty
    # missing labels become None so that ``labels == g`` stays boolean
    labels = np.array([g if ok else None for g, ok in zip(labels, valid)], dtype=object)
    return [(g, np.nonzero((labels == g) & valid)[0])
            for g in dict.fromkeys(labels[valid].tolist())]


def _texts_and_groups(texts, groups) -> tuple:
    """The texts (a Series stays one, to be factorised) and one group label per text."""
    if isinstance(texts, str):
        raise ConfigError("texts 必须是一组评论，不能是单个字符串", expected="list / Series of str",
                          found="str", hint="单条评论请写成 [评论]。")
    if isinstance(texts, pd.Series):
        values = texts  # factorised later
    else:
        values = texts.tolist() if hasattr(texts, "tolist") else list(texts)
    n = len(values)
    if groups is None:
        return values, np.array(["全部"] * n, dtype=object)
    labels = np.asarray(groups.tolist() if hasattr(groups, "tolist") else list(groups), dtype=object)
    if len(labels) != n:
        raise ConfigError("groups 的长度与 texts 不一致", expected=f"{n} 个分组标签", found=f"{len(labels)} 个")
    return values, labels


def keywords(texts, *, groups=None, top_k: int = 10, method: str = "tfidf", segmenter=None,
             min_df: int = 1, drop_cues: bool = True) -> pd.DataFrame:
    """Top keywords of comments, overall or per group, with IDF from these comments.

    Parameters
    ----------
    texts : Series, list or array of str
        The comments (None / NaN / numbers give no tokens).
    groups : Series, list or array, optional
        A group label per text (major, college, industry …).  Texts with a missing group still
        count for the IDF but belong to no group.  Without ``groups`` one group ``"全部"``.
    top_k : int, default 10
    method : {"tfidf", "textrank"}, default "tfidf"
        ``tfidf``: the group's mean TF-IDF weight of a token, IDF (smoothed) computed on *all*
        ``texts`` (not jieba's news IDF).  ``textrank``: PageRank on the group's token
        co-occurrence graph (window 5).
    segmenter : Segmenter, optional
        Default :class:`Segmenter` (domain dictionary, curated stopwords) on the rjieba backend
        when it is installed (the same tokens as jieba, faster to load and to run).
    min_df : int, default 1
        Ignore tokens found in fewer texts (``tfidf`` only).
    drop_cues : bool, default True
        Keep content words only (:func:`is_content_word`): leave out polarity cues (加强,
        有待提高, 不足 …) and function words (还有, 太, 最, 希望, 觉得, 个人, 能力, 方面 …): they
        say *how* something is judged or said, not *what* it is about.

    Returns
    -------
    DataFrame
        ``group, rank, keyword, score, n_docs`` (n_docs = texts of the group containing it).
        Single Chinese characters and bare numbers are not keywords.

    Examples
    --------
    >>> kw = keywords(["沟通能力有待提高", "沟通能力不足", "编程能力很强"], top_k=2)
    >>> kw["keyword"].tolist()[0]
    '沟通能力'
    """
    if method not in ("tfidf", "textrank"):
        raise ConfigError("未知的关键词方法（method）", expected="'tfidf' 或 'textrank'",
                          found=repr(method))
    if not isinstance(top_k, int) or top_k < 1:
        raise ConfigError("top_k 必须是正整数", expected="≥ 1 的整数", found=repr(top_k))
    values, labels = _texts_and_groups(texts, groups)
    if segmenter is None:
        from ._segment import Segmenter, fast_backend

        segmenter = Segmenter(backend=fast_backend())
    drop = _cue_words() if drop_cues else frozenset()
    # each distinct text is segmented once; code -1 = missing (no tokens)
    codes, uniques = _distinct(values)
    udocs = _segment_distinct(segmenter, uniques)
    udocs.append([])  # code -1
    keep: dict = {}

    def kept(t):
        k = keep.get(t)
        if k is None:
            k = keep[t] = _keep(t, drop)
        return k

    groups_idx = _group_rows(labels)
    rows = []
    if method == "tfidf":
        X, vocab = _tfidf_rows(udocs, codes, min_df, kept)
        if X is None:  # no token, or every token below min_df
            return pd.DataFrame(columns=KEYWORD_COLUMNS)
        present = (X > 0).astype(np.int64)
        for g, idx in groups_idx:
            sub = X[idx]
            score = np.asarray(sub.mean(axis=0)).ravel()
            ndocs = np.asarray(present[idx].sum(axis=0)).ravel()
            top = [i for i in np.argsort(-score, kind="stable") if score[i] > 0][:top_k]
            for r, i in enumerate(top, start=1):
                rows.append((g, r, str(vocab[i]), float(score[i]), int(ndocs[i])))
    else:
        for g, idx in groups_idx:
            gdocs = [[t for t in udocs[codes[i]] if kept(t)] for i in idx]
            scores = _textrank(gdocs)
            dfreq: dict[str, int] = {}
            for toks in gdocs:
                for t in set(toks):
                    dfreq[t] = dfreq.get(t, 0) + 1
            top = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
            for r, (t, sc) in enumerate(top, start=1):
                rows.append((g, r, t, sc, dfreq.get(t, 0)))
    return pd.DataFrame(rows, columns=KEYWORD_COLUMNS)
