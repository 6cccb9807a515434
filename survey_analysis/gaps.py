"""Skill-gap themes: cluster comment clauses (or whole comments) into readable themes.

The default pipeline follows /work/shared/DESIGN.md "Clustering short texts": TF-IDF on domain
tokens (jieba tokens with the package's user dictionary, plus one *concept token* per taxonomy
competency the text names, so that 图纸看不懂 and SolidWorks不熟练 share a feature), LSA
(TruncatedSVD + Normalizer) or NMF, then KMeans.  The number of themes is chosen over a range by
the cosine silhouette and the stability of the partition across seeds (adjusted Rand index
between KMeans runs with different seeds).  Units whose cosine similarity to every theme centroid
is below ``min_similarity`` are left out (theme ``-1``, reported as 未归类) instead of being
forced into a theme.

Nothing is loaded at import time.
"""
from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, clone

from .errors import AnalysisError, ConfigError

__all__ = [
    "SkillGapClusterer",
    "concept_tokenize",
    "theme_shares",
    "feedback_texts",
    "UNASSIGNED",
    "UNASSIGNED_LABEL",
]

logger = logging.getLogger(__name__)

#: theme id of units that fit no theme
UNASSIGNED = -1
#: how a user reads theme -1
UNASSIGNED_LABEL = "未归类（unassigned）"
#: prefix of concept tokens added by :func:`concept_tokenize`
CONCEPT_PREFIX = "@"
#: how many times a concept token is repeated (its weight against ordinary tokens)
CONCEPT_REPEAT = 3
_UNIT_COLUMNS = ["text_index", "clause_id", "unit", "competency_id"]


# ---------------------------------------------------------------------------------------
# tokenizer
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _taxonomy():
    from .text import load_taxonomy

    return load_taxonomy()


@lru_cache(maxsize=1)
def _segmenter():
    """The default segmenter, on the fast Rust backend when it is installed (same tokens)."""
    from .text import Segmenter

    try:
        import rjieba  # noqa: F401
    except ImportError:
        return Segmenter()
    return Segmenter(backend="rjieba")


def concept_tokenize(text) -> list[str]:
    """Tokens of ``text`` plus a concept token per taxonomy competency it names (picklable).

    The tokens are those of :func:`survey_analysis.text.tokenize` (jieba with the domain user
    dictionary, stopwords removed); each competency of the package taxonomy that the text names
    (by its name, an alias or a tool) adds the token ``"@<competency_id>"`` ``CONCEPT_REPEAT``
    times, so synonyms (动手能力 / 实际操作能力) and tools (SolidWorks / 看图纸) of one competency
    share a feature.

    Use it as ``TfidfVectorizer(tokenizer=concept_tokenize, token_pattern=None, lowercase=False)``.

    Examples
    --------
    >>> concept_tokenize("图纸看不太懂")[-1]
    '@engineering_drawing'
    """
    from .text import normalize_text

    if not isinstance(text, str) or not text.strip():
        return []
    tokens = list(_segmenter().cut(text))
    norm = normalize_text(text, lower=True)
    for _, _, _, cid in _taxonomy().match(norm, normalized=True):
        tokens.extend([CONCEPT_PREFIX + cid] * CONCEPT_REPEAT)
    return tokens


# ---------------------------------------------------------------------------------------
# input handling
# ---------------------------------------------------------------------------------------
def _as_frame(X) -> pd.DataFrame:
    """Texts (list / Series / array / DataFrame with ``text``) → frame ``text, default_polarity``."""
    if isinstance(X, (str, bytes)) or X is None:
        raise ConfigError("texts 必须是一组文本（列表、Series 或含 text 列的 DataFrame），不能是单个字符串",
                          expected="list / Series of str", found=type(X).__name__,
                          hint="单条文本请写成 [文本]。")
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ConfigError.missing_columns(["text"], [str(c) for c in X.columns])
        frame = pd.DataFrame({"text": X["text"].astype(object).to_numpy()})
        if "default_polarity" in X.columns:
            frame["default_polarity"] = X["default_polarity"].astype(object).to_numpy()
        return frame
    if isinstance(X, pd.Series):
        values = X.astype(object).to_numpy()
    else:
        values = np.asarray(list(X), dtype=object)
        if values.ndim != 1:
            raise ConfigError("texts 必须是一维的文本序列", expected="list / Series of str",
                              found=f"形状 {values.shape}")
    return pd.DataFrame({"text": values})


def _split_units(frame: pd.DataFrame, *, unit: str, only_gaps: bool,
                 default_polarity: str) -> pd.DataFrame:
    """One row per unit to cluster: ``text_index, clause_id, unit, competency_id``."""
    from .text import is_no_content, normalize_text

    texts = [v if isinstance(v, str) else None for v in frame["text"].tolist()]
    if "default_polarity" in frame.columns:
        pols = [p if isinstance(p, str) and p else default_polarity
                for p in frame["default_polarity"].tolist()]
    else:
        pols = [default_polarity] * len(texts)
    if only_gaps:
        rows = _gap_units(texts, pols, unit=unit)
    else:
        # every clause / comment with content; competencies by taxonomy match (no polarity)
        content: dict = {}
        valid = []
        for i, t in enumerate(texts):
            if t is None:
                continue
            ok = content.get(t)
            if ok is None:
                ok = content[t] = bool(t.strip()) and not is_no_content(t)
            if ok:
                valid.append(i)
        tax = _taxonomy()
        cache: dict = {}

        def ids_of(norm):
            hit = cache.get(norm)
            if hit is None:
                hit = cache[norm] = _join_ids(m[3] for m in tax.match(norm, normalized=True))
            return hit

        out = []
        if unit == "clause":
            from .text._skills import split_clauses

            for i in valid:
                for k, clause in enumerate(split_clauses(normalize_text(texts[i]).lower())):
                    if is_no_content(clause):
                        continue
                    out.append((i, k, clause, ids_of(clause)))
        else:
            for i in valid:
                out.append((i, 0, texts[i], ids_of(normalize_text(texts[i]).lower())))
        rows = pd.DataFrame(out, columns=_UNIT_COLUMNS)
    rows = rows[_UNIT_COLUMNS].astype({"text_index": "int64", "clause_id": "int64"})
    rows["unit"] = rows["unit"].astype(object)
    rows["competency_id"] = rows["competency_id"].astype(object)
    return rows.reset_index(drop=True)


def _gap_units(texts: list, pols: list, *, unit: str) -> pd.DataFrame:
    """Units of the texts with a gap mention (``extract_skills`` with each text's default
    polarity, gap mentions only): per clause, or per comment; ``text_index, clause_id, unit,
    competency_id`` (ids ``;``-joined in mention order), sorted by text and clause.

    Works on distinct normalised texts (the units of each are built once and repeated); inside
    ``text_cache()`` the analysis is shared with the pipeline's own ``extract_skills`` calls.
    """
    from .text._skills import analyse_values

    tax = _taxonomy()
    strings = np.array([t is not None for t in texts], dtype=bool)
    pol_arr = np.asarray(pols, dtype=object)
    parts = []
    for pol in sorted(set(pol_arr[strings].tolist())):
        if pol not in ("neutral", "gap", "strength"):
            raise ConfigError("未知的默认极性（default_polarity）",
                              expected="'neutral'、'gap' 或 'strength'", found=repr(pol))
        idx = np.flatnonzero(strings & (pol_arr == pol))
        vals = [texts[i] for i in idx]
        slot, _, found_by_slot = analyse_values(vals, vals, tax, None, pol)
        # the units of each distinct text: (clause_id, clause, competency ids), grouped by slot
        flat = [(s, k, clause, cid) for s, found in enumerate(found_by_slot)
                for k, clause, _, cid, p, _, _ in found if p == "gap"]
        f_slot = np.fromiter((r[0] for r in flat), dtype=np.int64, count=len(flat))
        key = f_slot if unit == "comment" else \
            f_slot * (1 + max((r[1] for r in flat), default=0)) + \
            np.fromiter((r[1] for r in flat), dtype=np.int64, count=len(flat))
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(flat) else \
            np.zeros(0, dtype=np.int64)
        sizes = np.diff(np.r_[starts, len(flat)])
        u_comp = [flat[a][3] if m == 1 else _join_ids(r[3] for r in flat[a:a + m])
                  for a, m in zip(starts.tolist(), sizes.tolist())]
        u_clause = [0] * len(starts) if unit == "comment" else [flat[a][1] for a in starts.tolist()]
        u_unit = [None] * len(starts) if unit == "comment" else [flat[a][2] for a in starts.tolist()]
        n_units = np.bincount(f_slot[starts], minlength=len(found_by_slot)).astype(np.int64)
        has = slot >= 0
        cnt = np.zeros(len(idx), dtype=np.int64)
        cnt[has] = n_units[slot[has]]
        start = np.r_[0, np.cumsum(n_units)[:-1]] if len(n_units) else np.zeros(0, dtype=np.int64)
        rows_with = np.flatnonzero(cnt > 0)
        c = cnt[rows_with]
        first = np.cumsum(c) - c
        take = np.repeat(start[slot[rows_with]] - first, c) + np.arange(int(c.sum()))
        text_index = idx[np.repeat(rows_with, c)]
        unit_col = np.asarray(u_unit, dtype=object)[take] if unit == "clause" else \
            np.array([texts[i] for i in text_index], dtype=object)
        parts.append((text_index, np.asarray(u_clause, dtype=np.int64)[take], unit_col,
                      np.asarray(u_comp, dtype=object)[take]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _UNIT_COLUMNS})
    cols = [np.concatenate([p[i] for p in parts]) for i in range(4)]
    order = np.argsort(cols[0], kind="stable")  # each text's units come from one part, in order
    return pd.DataFrame({name: col[order] for name, col in zip(_UNIT_COLUMNS, cols)})


def _join_ids(values) -> str:
    seen = []
    for v in values:
        for part in str(v).split(";"):
            if part and part not in seen:
                seen.append(part)
    return ";".join(seen)


# ---------------------------------------------------------------------------------------
# the estimator
# ---------------------------------------------------------------------------------------
class SkillGapClusterer(ClusterMixin, TransformerMixin, BaseEstimator):
    """Group comment clauses (or whole comments) into skill-gap themes.

    Parameters
    ----------
    n_themes : int or None, default None
        Number of themes.  ``None`` chooses it over ``k_range`` (see Notes).
    k_range : (int, int), default (2, 30)
        Smallest and largest number of themes tried when ``n_themes`` is None (capped at the
        number of distinct units minus one).
    unit : {"clause", "comment"}, default "clause"
        Cluster clauses (split by punctuation, list markers and contrast words, as in
        :func:`survey_analysis.text.extract_skills`) or whole comments.
    only_gaps : bool, default True
        Keep only clauses (or comments) in which :func:`~survey_analysis.text.extract_skills`
        finds a competency with ``gap`` polarity (the right default for employer feedback).
        ``False`` clusters every clause / comment with content (job postings, any other text).
    default_polarity : {"neutral", "gap", "strength"}, default "neutral"
        Polarity of a mention without any cue, passed to ``extract_skills``; use ``"gap"`` for
        answers to a question that asks what is lacking (毕业生最需加强的能力).  A DataFrame
        input may override it per text with a ``default_polarity`` column.
    vectorizer : estimator or None, default None
        Turns unit texts into a matrix.  ``None`` builds ``TfidfVectorizer(tokenizer=
        concept_tokenize, token_pattern=None, lowercase=False, sublinear_tf=True)``.
    reducer : {"lsa", "nmf"}, estimator or None, default None
        Dimension reduction; ``None``/``"lsa"`` = TruncatedSVD + Normalizer, ``"nmf"`` = NMF +
        Normalizer.  Its output is L2-normalised in any case (cosine geometry).
    n_components : int or "auto", default "auto"
        Components of the default reducer, capped by the data.  ``"auto"``: as many as the
        largest number of themes considered (``n_themes``, else the top of ``k_range``), at
        least 10 -- few components generalise better on short texts (see docs/themes.md).
    clusterer : estimator or None, default None
        Needs ``fit`` and ``labels_`` (``n_clusters`` and ``random_state`` are set when it has
        them).  ``None`` builds ``KMeans(n_init=10)``.
    min_similarity : float, default 0.3
        A unit whose cosine similarity to its nearest theme centroid is below this is left
        unassigned (theme ``-1``, 未归类).  0 assigns every unit with any known token.
    n_seeds : int, default 3
        Seeds per candidate number of themes for the stability score.
    min_stability : float, default 0.8
        Candidates whose mean pairwise ARI across seeds is below this are only chosen when no
        candidate reaches it.
    sample_size : int, default 4000
        At most this many units (drawn with ``random_state``) are used to choose the number of
        themes; the final fit uses every unit.
    selection_n_init : int, default 2
        KMeans restarts per seed while choosing the number of themes.
    n_examples : int, default 5
        Representative comments per theme (3–5 is usual).
    n_threads : int or None, default 1
        Threads of the BLAS / OpenMP pools while fitting (``threadpoolctl``); one thread is
        much faster than many on a busy machine.  ``None`` leaves the pools alone.
    random_state : int, RandomState or None, default None
        Seeds of the reducer, the clusterer and the subsample.

    Attributes
    ----------
    units_ : DataFrame
        One row per clustered unit: ``text_index`` (position in the input), ``clause_id``,
        ``unit`` (the normalised clause or the comment), ``competency_id`` (taxonomy ids named in
        the unit, ``;``-joined), ``theme``, ``similarity``.
    labels_ : ndarray of int
        ``units_["theme"]``: the theme of each unit, ``-1`` when unassigned.
    n_themes_ : int
    themes_ : DataFrame
        ``theme, label, size, share, top_terms, competency_id, competency, examples``; theme
        ids run 0, 1, … by decreasing size; ``share`` = size / all clustered units; ``examples``
        is a list of the most representative input texts (already redacted when the input was).
        ``themes_.attrs["unassigned"]`` is the number of units left out.
    k_scores_ : DataFrame or None
        ``k, silhouette, stability, chosen`` for every candidate (None when ``n_themes`` given).
    vectorizer_, reducer_, clusterer_ : fitted estimators
    cluster_centers_ : ndarray (n_themes_, n_reduced)
        L2-normalised theme centroids in the reduced space.

    Notes
    -----
    The number of themes is the candidate with the highest cosine silhouette among those whose
    stability (mean ARI between the partitions of ``n_seeds`` seeds) is at least
    ``min_stability``; the silhouette and stability are computed on at most ``sample_size``
    units.  Identical units are vectorised once and weighted by their count.

    Raises
    ------
    AnalysisError
        No unit to cluster (all texts empty or without gap), a single distinct unit, fewer
        distinct units than ``n_themes``, or no usable word in any unit.

    Examples
    --------
    >>> texts = ["沟通能力有待提高", "实践动手能力不足", "沟通表达能力较弱", "动手能力差",
    ...          "缺乏团队合作精神", "团队协作意识不强"]
    >>> model = SkillGapClusterer(n_themes=3, random_state=0).fit(texts)
    >>> sorted(model.themes_["competency_id"])
    ['communication', 'practice', 'teamwork']
    """

    def __init__(self, *, n_themes=None, k_range=(2, 30), unit="clause", only_gaps=True,
                 default_polarity="neutral", vectorizer=None, reducer=None, n_components="auto",
                 clusterer=None, min_similarity=0.3, n_seeds=3, min_stability=0.8,
                 sample_size=4000, selection_n_init=2, n_examples=5, n_threads=1, random_state=None):
        self.n_themes = n_themes
        self.k_range = k_range
        self.unit = unit
        self.only_gaps = only_gaps
        self.default_polarity = default_polarity
        self.vectorizer = vectorizer
        self.reducer = reducer
        self.n_components = n_components
        self.clusterer = clusterer
        self.min_similarity = min_similarity
        self.n_seeds = n_seeds
        self.min_stability = min_stability
        self.sample_size = sample_size
        self.selection_n_init = selection_n_init
        self.n_examples = n_examples
        self.n_threads = n_threads
        self.random_state = random_state

    # -- checks -------------------------------------------------------------------------
    def _check_params(self):
        if self.unit not in ("clause", "comment"):
            raise ConfigError("未知的聚类单位（unit）", expected="'clause' 或 'comment'",
                              found=repr(self.unit))
        if self.default_polarity not in ("neutral", "gap", "strength"):
            raise ConfigError("未知的默认极性（default_polarity）",
                              expected="'neutral'、'gap' 或 'strength'", found=repr(self.default_polarity))
        if self.n_themes is not None and (not isinstance(self.n_themes, (int, np.integer))
                                          or isinstance(self.n_themes, bool) or self.n_themes < 1):
            raise ConfigError("主题数（n_themes）必须是正整数或 None", expected="1、2、… 或 None",
                              found=repr(self.n_themes))
        try:
            lo, hi = (int(v) for v in self.k_range)
        except (TypeError, ValueError):
            raise ConfigError("k_range 必须是两个整数 (最小, 最大)", expected="例如 (2, 30)",
                              found=repr(self.k_range)) from None
        if lo < 2 or hi < lo:
            raise ConfigError("k_range 不合理：最小值至少为 2，且不大于最大值", expected="例如 (2, 30)",
                              found=repr(self.k_range))
        if not 0 <= float(self.min_similarity) < 1:
            raise ConfigError("min_similarity 必须在 0（含）到 1 之间", expected="例如 0.3",
                              found=repr(self.min_similarity))
        if int(self.n_seeds) < 2:
            raise ConfigError("n_seeds 至少为 2（用于衡量稳定性）", expected="2、3、…", found=repr(self.n_seeds))
        if self.n_components != "auto" and (not isinstance(self.n_components, (int, np.integer))
                                            or self.n_components < 1):
            raise ConfigError("n_components 必须是正整数或 'auto'", expected="例如 30 或 'auto'",
                              found=repr(self.n_components))
        if not 1 <= int(self.n_examples) <= 20:
            raise ConfigError("n_examples 必须在 1 到 20 之间", expected="例如 5", found=repr(self.n_examples))
        return lo, hi

    # -- building blocks ----------------------------------------------------------------
    def _make_vectorizer(self, n_docs):
        if self.vectorizer is not None:
            return clone(self.vectorizer)
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(tokenizer=concept_tokenize, token_pattern=None, lowercase=False,
                               sublinear_tf=True, min_df=1, dtype=np.float64)

    def _make_reducer(self, n_features, n_docs, seed):
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import Normalizer

        r = self.reducer
        if r is not None and not isinstance(r, str):
            return make_pipeline(clone(r), Normalizer(copy=False))
        kind = "lsa" if r is None else r
        if kind not in ("lsa", "nmf"):
            raise ConfigError("未知的降维方法（reducer）", expected="'lsa'、'nmf' 或一个 scikit-learn 估计器",
                              found=repr(r))
        n_topics = self.n_themes if self.n_themes is not None else int(self.k_range[1])
        wanted = max(10, int(n_topics)) if self.n_components == "auto" else int(self.n_components)
        n_comp = int(min(wanted, n_features - 1, n_docs - 1))
        if n_comp < 2:
            return make_pipeline(Normalizer(copy=False))
        if kind == "lsa":
            from sklearn.decomposition import TruncatedSVD

            return make_pipeline(TruncatedSVD(n_components=n_comp, random_state=seed),
                                 Normalizer(copy=False))
        from sklearn.decomposition import NMF

        # NMF components act as topics: as many as the themes wanted (or the largest candidate)
        n_comp = max(2, min(n_comp, int(n_topics)))
        return make_pipeline(NMF(n_components=n_comp, init="nndsvda", max_iter=400,
                                 random_state=seed), Normalizer(copy=False))

    def _make_clusterer(self, k, seed, n_init=None):
        if self.clusterer is None:
            from sklearn.cluster import KMeans

            return KMeans(n_clusters=k, n_init=10 if n_init is None else n_init, random_state=seed)
        est = clone(self.clusterer)
        params = est.get_params()
        update = {}
        if "n_clusters" in params:
            update["n_clusters"] = k
        if "random_state" in params:
            update["random_state"] = seed
        if n_init is not None and "n_init" in params:
            update["n_init"] = n_init
        return est.set_params(**update)

    @staticmethod
    def _fit_labels(est, Z, weight):
        try:
            est.fit(Z, sample_weight=weight)
        except TypeError:
            est.fit(Z)
        return np.asarray(est.labels_)

    # -- fit ----------------------------------------------------------------------------
    def fit(self, X, y=None):
        """Split ``X`` into units, vectorise, reduce, choose the number of themes and cluster.

        Parameters
        ----------
        X : list, Series or array of str, or DataFrame with a ``text`` column
            The comments (redact them first: examples quote them).  None / NaN / 无 count as no
            text.  A DataFrame may carry a ``default_polarity`` column (per-text override).
        y : ignored

        Returns
        -------
        self
        """
        from threadpoolctl import threadpool_limits

        lo, hi = self._check_params()
        if self.n_threads is None:
            return self._fit(X, lo, hi)
        with threadpool_limits(limits=int(self.n_threads)):
            return self._fit(X, lo, hi)

    def _fit(self, X, lo, hi):
        from sklearn.utils import check_random_state

        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))
        frame = _as_frame(X)
        units = _split_units(frame, unit=self.unit, only_gaps=bool(self.only_gaps),
                             default_polarity=self.default_polarity)
        what = "含有能力不足（gap）表述的" if self.only_gaps else "有内容的"
        unit_name = "分句" if self.unit == "clause" else "评论"
        if len(units) == 0:
            raise AnalysisError(
                f"没有可聚类的文本：{len(frame)} 条输入中没有{what}{unit_name}",
                expected=f"至少 2 条不同的{what}{unit_name}",
                found="全部为空、无实质内容（如“无”“没有”）" + ("或未提到任何能力不足" if self.only_gaps else ""),
                hint="检查所选的列是否正确" + ("；若文本不是意见反馈（如招聘要求），请设置 only_gaps=False。"
                                          if self.only_gaps else "。"))
        codes, distinct = pd.factorize(units["unit"], sort=False)
        n_distinct = len(distinct)
        if n_distinct < 2:
            raise AnalysisError(
                f"只有 1 条不同的{unit_name}（共 {len(units)} 条），无法分出主题",
                expected=f"至少 2 条不同的{what}{unit_name}", found=str(distinct[0]),
                hint="需要更多样的评论才能聚类。")
        if self.n_themes is not None and self.n_themes > n_distinct:
            raise AnalysisError(
                f"文本太少：要求 {self.n_themes} 个主题，但只有 {n_distinct} 条不同的{unit_name}",
                expected=f"主题数（n_themes）不超过 {n_distinct}", found=str(self.n_themes),
                hint="减小主题数，或设 n_themes=None 自动选择。")
        weight = np.bincount(codes, minlength=n_distinct).astype(float)
        docs = list(distinct)

        self.vectorizer_ = self._make_vectorizer(n_distinct)
        try:
            V = self.vectorizer_.fit_transform(docs)
        except ValueError as exc:
            if "empty vocabulary" in str(exc) or "no terms remain" in str(exc):
                raise AnalysisError(
                    f"所有{unit_name}分词后都没有可用的词（只有停用词或标点）",
                    expected="含有实际词语的文本", found=f"{n_distinct} 条不同的{unit_name}",
                    hint="检查所选的列是否正确。") from None
            raise
        self.reducer_ = self._make_reducer(V.shape[1], n_distinct, seed)
        Z = np.asarray(self.reducer_.fit_transform(V), dtype=float)
        nonzero = np.linalg.norm(Z, axis=1) > 0
        n_usable = int(np.unique(Z[nonzero].round(10), axis=0).shape[0]) if nonzero.any() else 0
        if n_usable < 2:
            raise AnalysisError(
                f"所有{unit_name}在分词后都相同或没有可用的词，无法分出主题",
                expected="至少 2 条内容不同的文本", found=f"{n_usable} 种不同的内容",
                hint="需要更多样的评论才能聚类。")

        if self.n_themes is not None:
            if self.n_themes > n_usable:
                raise AnalysisError(
                    f"文本太少：要求 {self.n_themes} 个主题，但分词后只有 {n_usable} 种不同的内容",
                    expected=f"主题数（n_themes）不超过 {n_usable}", found=str(self.n_themes),
                    hint="减小主题数，或设 n_themes=None 自动选择。")
            k = int(self.n_themes)
            self.k_scores_ = None
        else:
            k, self.k_scores_ = self._choose_k(Z, codes, nonzero, lo, min(hi, n_usable - 1), rng)

        Zf, wf = Z[nonzero], weight[nonzero]
        self.clusterer_ = self._make_clusterer(k, seed)
        raw = self._fit_labels(self.clusterer_, Zf, wf)
        centers = np.vstack([
            np.average(Zf[raw == c], axis=0, weights=wf[raw == c]) if (raw == c).any()
            else np.zeros(Z.shape[1]) for c in range(k)])
        sizes = np.array([wf[raw == c].sum() for c in range(k)])
        # theme ids by decreasing size (ties: first appearance), empty clusters dropped
        first = np.array([np.argmax(raw == c) if (raw == c).any() else len(raw) for c in range(k)])
        order = [c for c in sorted(range(k), key=lambda c: (-sizes[c], first[c])) if sizes[c] > 0]
        norms = np.linalg.norm(centers[order], axis=1, keepdims=True)
        self.cluster_centers_ = centers[order] / np.where(norms > 0, norms, 1)
        self.n_themes_ = len(order)

        lab, sim = self._assign(Z)
        units = units.copy()
        units["theme"] = lab[codes]
        units["similarity"] = sim[codes]
        self.units_ = units
        self.labels_ = units["theme"].to_numpy()
        self._V, self._codes = V, codes
        self.themes_ = self._theme_table(frame, units, V, codes)
        del self._V, self._codes
        return self

    def _choose_k(self, Z, codes, nonzero, lo, hi, rng):
        # a subsample of units (with their duplicates), mapped to distinct rows
        unit_rows = np.flatnonzero(nonzero[codes])
        if len(unit_rows) > self.sample_size:
            unit_rows = rng.choice(unit_rows, size=int(self.sample_size), replace=False)
        sub = np.unique(codes[unit_rows], return_counts=True)
        rows, counts = sub[0], sub[1].astype(float)
        Zs = Z[rows]
        n_sub_usable = np.unique(Zs.round(10), axis=0).shape[0]
        hi = min(hi, n_sub_usable - 1)
        if hi < lo:
            lo = hi = max(2, min(lo, n_sub_usable))
        D = _cosine_distances(Zs)
        seeds = [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=int(self.n_seeds))]
        records = []
        for k in range(lo, hi + 1):
            labels = [self._fit_labels(self._make_clusterer(k, s, n_init=self.selection_n_init), Zs, counts)
                      for s in seeds]
            sil = _weighted_silhouette(D, labels[0], counts)
            aris = [_weighted_ari(labels[i], labels[j], counts)
                    for i in range(len(labels)) for j in range(i + 1, len(labels))]
            records.append((k, sil, float(np.mean(aris))))
        scores = pd.DataFrame(records, columns=["k", "silhouette", "stability"])
        stable = scores[scores["stability"] >= self.min_stability]
        pool = stable if len(stable) else scores.assign(silhouette=scores["silhouette"] * scores["stability"])
        best = int(pool.sort_values(["silhouette", "k"], ascending=[False, True])["k"].iloc[0])
        scores["chosen"] = scores["k"] == best
        return best, scores

    def _assign(self, Z):
        sims = Z @ self.cluster_centers_.T
        best = np.argmax(sims, axis=1)
        top = sims[np.arange(len(Z)), best]
        ok = (np.linalg.norm(Z, axis=1) > 0) & (top >= self.min_similarity)
        return np.where(ok, best, UNASSIGNED).astype(int), np.where(np.linalg.norm(Z, axis=1) > 0, top, 0.0)

    def _theme_table(self, frame, units, V, codes):
        from .text import load_taxonomy

        tax = load_taxonomy()
        names = tax._info()
        try:
            terms = np.asarray(self.vectorizer_.get_feature_names_out(), dtype=object)
        except AttributeError:
            terms = None
        texts = frame["text"].tolist()
        n_assigned = int((units["theme"] >= 0).sum())
        weight = np.bincount(codes, minlength=V.shape[0]).astype(float)
        distinct_theme = np.full(V.shape[0], UNASSIGNED)
        distinct_theme[codes] = units["theme"].to_numpy()
        rows = []
        for t in range(self.n_themes_):
            members = units[units["theme"] == t]
            size = len(members)
            top_terms = []
            if terms is not None and size:
                idx = np.flatnonzero(distinct_theme == t)
                w = weight[idx]
                centroid = np.asarray(V[idx].multiply(w[:, None]).sum(axis=0)).ravel() / w.sum() \
                    if hasattr(V, "multiply") else (np.asarray(V)[idx] * w[:, None]).sum(axis=0) / w.sum()
                for j in np.argsort(-centroid, kind="stable"):
                    if centroid[j] <= 0 or len(top_terms) >= 8:
                        break
                    if not str(terms[j]).startswith(CONCEPT_PREFIX):
                        top_terms.append(str(terms[j]))
            ids = Counter(c for v in members["competency_id"] for c in str(v).split(";") if c)
            cid = None
            if ids:
                cand, cnt = ids.most_common(1)[0]
                if cnt >= 0.5 * size:
                    cid = cand
            comp = names[cid][0] if cid in names else None
            shown = "、".join(top_terms[:3])
            label = f"{comp}（{shown}）" if comp and shown else (comp or shown or f"主题 {t}")
            ex, seen = [], set()
            for i in members.sort_values("similarity", ascending=False, kind="stable")["text_index"]:
                txt = texts[i]
                if txt in seen:
                    continue
                seen.add(txt)
                ex.append(txt)
                if len(ex) >= int(self.n_examples):
                    break
            rows.append({"theme": t, "label": label, "size": size,
                         "share": size / len(units) if len(units) else np.nan,
                         "top_terms": top_terms, "competency_id": cid, "competency": comp,
                         "examples": ex})
        table = pd.DataFrame(rows, columns=["theme", "label", "size", "share", "top_terms",
                                            "competency_id", "competency", "examples"])
        table["competency_id"] = table["competency_id"].astype(object)
        table["competency"] = table["competency"].astype(object)
        n_un = len(units) - n_assigned
        table.attrs["unassigned"] = n_un
        table.attrs["unassigned_share"] = n_un / len(units) if len(units) else 0.0
        table.attrs["n_units"] = len(units)
        return table

    # -- new texts ----------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "cluster_centers_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("SkillGapClusterer 尚未 fit（not fitted）：请先调用 fit。")

    def split_units(self, X) -> pd.DataFrame:
        """The units of ``X`` as :meth:`fit` would cluster them (``text_index, clause_id, unit,
        competency_id``)."""
        self._check_params()
        return _split_units(_as_frame(X), unit=self.unit, only_gaps=bool(self.only_gaps),
                            default_polarity=self.default_polarity)

    def _reduce(self, units):
        if len(units) == 0:
            return np.zeros((0, self.cluster_centers_.shape[1]))
        V = self.vectorizer_.transform(units["unit"].tolist())
        return np.asarray(self.reducer_.transform(V), dtype=float)

    def transform(self, X):
        """Cosine similarity of each unit of ``X`` to each theme centroid.

        Returns
        -------
        ndarray of shape (n_units, n_themes_)
            Rows follow :meth:`split_units` ``(X)``.
        """
        self._check_fitted()
        return self._reduce(self.split_units(X)) @ self.cluster_centers_.T

    def predict(self, X):
        """Theme of each unit of ``X`` (rows follow :meth:`split_units`), ``-1`` when it fits none."""
        return self.assign(X)["theme"].to_numpy()

    def assign(self, X) -> pd.DataFrame:
        """:meth:`split_units` of ``X`` with the ``theme`` and ``similarity`` of each unit."""
        self._check_fitted()
        units = self.split_units(X)
        lab, sim = self._assign(self._reduce(units))
        return units.assign(theme=lab, similarity=sim)

    def fit_predict(self, X, y=None, **kwargs):
        """Fit and return :attr:`labels_` (one per unit, see :attr:`units_`)."""
        return self.fit(X).labels_

    # -- per group ----------------------------------------------------------------------
    def theme_shares(self, groups, *, by, respondent=None, min_cell: int = 5) -> pd.DataFrame:
        """Each theme's share within each group; see :func:`theme_shares`."""
        self._check_fitted()
        return theme_shares(self.units_, self.themes_, groups, by=by, respondent=respondent,
                            min_cell=min_cell)


def _cosine_distances(Z) -> np.ndarray:
    """Pairwise cosine distances of L2-normalised (or zero) rows, float32."""
    Z = np.asarray(Z, dtype=np.float32)
    D = 1.0 - Z @ Z.T
    np.clip(D, 0.0, 2.0, out=D)
    np.fill_diagonal(D, 0.0)
    return D


def _weighted_silhouette(D, labels, weight) -> float:
    """Mean silhouette of the data where row *i* stands for ``weight[i]`` identical points.

    Equal to ``sklearn.metrics.silhouette_score`` on the expanded data (precomputed distances);
    a point alone in its cluster scores 0.
    """
    labels = np.asarray(labels)
    uniq, lab = np.unique(labels, return_inverse=True)
    k = len(uniq)
    if k < 2:
        return -1.0
    w = np.asarray(weight, dtype=np.float64)
    onehot = np.zeros((len(lab), k))
    onehot[np.arange(len(lab)), lab] = w
    S = D.astype(np.float64) @ onehot          # weighted distance sums to each cluster
    C = onehot.sum(axis=0)                      # cluster sizes (expanded)
    own = S[np.arange(len(lab)), lab]
    own_n = C[lab] - 1.0                        # the other copies of a point are at distance 0
    a = np.divide(own, own_n, out=np.zeros_like(own), where=own_n > 0)
    other = S / C
    other[np.arange(len(lab)), lab] = np.inf
    b = other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros_like(a), where=denom > 0)
    s[own_n <= 0] = 0.0
    return float(np.average(s, weights=w))


def _weighted_ari(a, b, weight) -> float:
    """Adjusted Rand index of two labelings where row *i* counts ``weight[i]`` times."""
    from sklearn.metrics import adjusted_rand_score

    reps = np.asarray(weight).astype(int)
    return float(adjusted_rand_score(np.repeat(a, reps), np.repeat(b, reps)))


# ---------------------------------------------------------------------------------------
# group shares
# ---------------------------------------------------------------------------------------
def theme_shares(units: pd.DataFrame, themes: pd.DataFrame, groups, *, by, respondent=None,
                 min_cell: int = 5) -> pd.DataFrame:
    """Each theme's share within each group (major, college, industry …).

    The share of a theme in a group is the number of respondents of the group with at least one
    unit in the theme divided by the respondents of the group with at least one clustered unit
    (gap mention), so shares of one group can add up to more than 1.  Groups with fewer than
    ``min_cell`` such respondents are suppressed with :func:`survey_analysis.privacy.suppress_small`.

    Parameters
    ----------
    units : DataFrame
        :attr:`SkillGapClusterer.units_` (``text_index``, ``theme``).
    themes : DataFrame
        :attr:`SkillGapClusterer.themes_` (``theme``, ``label``, ``competency_id``).
    groups : DataFrame or Series
        Aligned with the texts given to ``fit`` (row *i* describes text *i*).
    by : str or list of str
        Group column(s) of ``groups`` (a Series: its name, or any value for the Series itself).
    respondent : str, optional
        Column of ``groups`` identifying the respondent when several texts come from one
        respondent (e.g. two comment fields); default: each text is a respondent.
    min_cell : int, default 5

    Returns
    -------
    DataFrame
        ``<by…>, theme, label, competency_id, n, count, share, rank, suppressed`` — one row per
        group × theme (theme ``-1`` = 未归类) with ``count > 0``; ``n`` = respondents of the group
        with a clustered unit, ``rank`` = 1 for the theme with the largest share in the group
        (the unassigned row is not ranked).  ``attrs["suppression_note"]`` says what was hidden.

    Examples
    --------
    >>> units = pd.DataFrame({"text_index": [0, 1, 2], "theme": [0, 0, 1]})
    >>> themes = pd.DataFrame({"theme": [0, 1], "label": ["a", "b"], "competency_id": ["x", "y"]})
    >>> t = theme_shares(units, themes, pd.Series(["甲", "甲", "乙"], name="major"), by="major",
    ...                  min_cell=1)
    >>> t[["major", "theme", "share"]].values.tolist()
    [['乙', 1, 1.0], ['甲', 0, 1.0]]
    """
    from .privacy import suppress_small

    if isinstance(groups, pd.Series):
        name = groups.name if groups.name is not None else (by if isinstance(by, str) else "group")
        groups = groups.to_frame(name=name)
        by = [name] if not isinstance(by, (list, tuple)) else list(by)
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by + ([respondent] if respondent else []) if c not in groups.columns]
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in groups.columns])
    if int(min_cell) < 1:
        raise ConfigError("min_cell 必须是正整数", expected="例如 5", found=repr(min_cell))
    if len(units) and int(units["text_index"].max()) >= len(groups):
        raise ConfigError("分组表的行数少于聚类时的文本数：groups 必须与 fit 的文本逐行对应",
                          expected=f"至少 {int(units['text_index'].max()) + 1} 行", found=f"{len(groups)} 行")
    g = groups.reset_index(drop=True)
    resp = g[respondent].to_numpy() if respondent else np.arange(len(g))
    idx = units["text_index"].to_numpy()
    long = pd.DataFrame({"_resp": resp[idx], "theme": units["theme"].to_numpy()})
    for c in by:
        long[c] = g[c].to_numpy()[idx]
    long = long.dropna(subset=by)
    denom = long.drop_duplicates(by + ["_resp"]).groupby(by, sort=True).size().rename("n")
    count = long.drop_duplicates(by + ["_resp", "theme"]).groupby(by + ["theme"], sort=True).size() \
        .rename("count")
    out = count.reset_index().merge(denom.reset_index(), on=by, how="left")
    out["share"] = out["count"] / out["n"]
    info = themes.set_index("theme")
    out["label"] = out["theme"].map(info["label"]).astype(object)
    out.loc[out["theme"] == UNASSIGNED, "label"] = UNASSIGNED_LABEL
    out["competency_id"] = out["theme"].map(info["competency_id"]).astype(object)
    ranked = out[out["theme"] != UNASSIGNED].sort_values(by + ["share", "theme"],
                                                         ascending=[True] * len(by) + [False, True])
    out["rank"] = pd.Series(ranked.groupby(by, sort=False).cumcount().to_numpy() + 1,
                            index=ranked.index).reindex(out.index).astype("Int64")
    out = out.sort_values(by + ["rank", "theme"], kind="stable", na_position="last").reset_index(drop=True)
    out = out[by + ["theme", "label", "competency_id", "n", "count", "share", "rank"]]
    out = suppress_small(out, n_col="n", min_cell=int(min_cell), value_cols=["count", "share"])
    return out


def feedback_texts(data: pd.DataFrame, columns=None, *, keep=("respondent_id", "major", "college",
                                                                "industry"),
                   colleges: dict | None = None) -> pd.DataFrame:
    """Stack the open-text columns of cleaned employer data into one text per row for clustering.

    Parameters
    ----------
    data : DataFrame
        ``CleanResult.data`` of an employer survey.
    columns : dict, optional
        Column → default polarity; default ``{"comment_suggestion": "neutral",
        "comment_skills": "gap"}`` (the second asks what graduates most need to improve).
        Columns that are absent are skipped.
    keep : sequence of str
        Columns copied to every row when present (group columns for :func:`theme_shares`).
    colleges : dict, optional
        Major → college, used to add ``college`` when ``data`` has none (employer surveys name
        only the major; the mapping is in the school's ``config.yaml``).

    Returns
    -------
    DataFrame
        ``text, default_polarity, field, row`` (``row`` = position in ``data``) and ``keep``;
        pass it to :meth:`SkillGapClusterer.fit` and use it as ``groups`` with
        ``respondent="row"``.
    """
    if columns is None:
        columns = {"comment_suggestion": "neutral", "comment_skills": "gap"}
    present = [c for c in columns if c in data.columns]
    if not present:
        raise AnalysisError.missing_columns(list(columns), [str(c) for c in data.columns],
                                            what="意见文本列")
    if colleges is not None and "college" not in data.columns and "major" in data.columns:
        data = data.assign(college=data["major"].map(dict(colleges)).astype(object))
    parts = []
    for c in present:
        part = pd.DataFrame({"text": data[c].astype(object).to_numpy(),
                             "default_polarity": columns[c], "field": c,
                             "row": np.arange(len(data))})
        for k in keep:
            if k in data.columns:
                part[k] = data[k].to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
