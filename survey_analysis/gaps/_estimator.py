"""The skill-gap theme estimator (see :mod:`survey_analysis.gaps`)."""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, clone

from ..errors import AnalysisError, ConfigError
from ._labels import theme_table
from ._select import cosine_distances, score_table, weighted_ari, weighted_silhouette
from ._shares import theme_shares
from ._units import UNASSIGNED, UNASSIGNED_LABEL, as_frame, concept_tokenize, split_units  # noqa: F401

__all__ = ["SkillGapClusterer", "UNASSIGNED", "UNASSIGNED_LABEL"]

logger = logging.getLogger(__name__)



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
        candidate reaches it (then :attr:`selection_warnings_` says so).
    k_tolerance : float, default 0.1
        When the score rises to the end of ``k_range`` without a peak, the chosen number of
        themes is the smallest stable k whose score is within this share of the score range of
        the best one (see Notes).
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
    labels_ : ndarray of int, shape (n_texts,)
        One theme per input text (the scikit-learn contract): the theme most of the text's
        units fall in (ties: the larger summed similarity), ``-1`` when the text has no unit or
        none of its units fits a theme.
    unit_labels_ : ndarray of int, shape (n_units,)
        ``units_["theme"]``: the theme of each unit (clause), ``-1`` when unassigned.
    n_themes_ : int
    themes_ : DataFrame
        ``theme, label, size, share, top_terms, competency_id, competency, examples``; theme
        ids run 0, 1, … by decreasing size; ``share`` = size / all clustered units; ``examples``
        lists the theme's most central units (highest similarity to its centroid): the clause
        itself for clause units, the text for whole-text units (already redacted when the input
        was).  ``label`` is the competency and the theme's two most characteristic content
        words (no cue or function word, no single character); labels differ across themes.
        ``themes_.attrs["unassigned"]`` is the number of units left out.
    k_scores_ : DataFrame or None
        ``k, silhouette, stability, score, stable, chosen`` for every candidate (None when
        ``n_themes`` given).
    selection_warnings_ : list of str
        Chinese warnings about the automatic choice (no stable k; the choice at an end of
        ``k_range``); empty when all is well or when ``n_themes`` is given.
    vectorizer_, reducer_, clusterer_ : fitted estimators
    cluster_centers_ : ndarray (n_themes_, n_reduced)
        L2-normalised theme centroids in the reduced space.

    Notes
    -----
    Each candidate k gets the weighted cosine silhouette of its partition and its stability
    (mean ARI between the partitions of ``n_seeds`` seeds), computed on at most ``sample_size``
    units; its score is silhouette × stability.  Among the candidates whose stability reaches
    ``min_stability`` (when none does, the most stable ones) the best score is chosen when it is a peak inside
    ``k_range``; when the score keeps rising to the end of the range (on short texts the
    silhouette creeps up with k), the smallest k whose score is within ``k_tolerance`` × (best −
    worst score) of the best is chosen instead.  The scores are kept in :attr:`k_scores_`; no
    stable candidate, no peak, or a choice at an end of ``k_range`` is reported in
    :attr:`selection_warnings_`.  Identical units are vectorised once and weighted
    by their count.

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
                 clusterer=None, min_similarity=0.3, n_seeds=3, min_stability=0.8, k_tolerance=0.1,
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
        self.k_tolerance = k_tolerance
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
        frame = as_frame(X)
        units = split_units(frame, unit=self.unit, only_gaps=bool(self.only_gaps),
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
            self.selection_warnings_ = []
        else:
            k, self.k_scores_, self.selection_warnings_ = self._choose_k(
                Z, codes, nonzero, lo, min(hi, n_usable - 1), rng)

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
        self.unit_labels_ = units["theme"].to_numpy()
        self.labels_ = _document_labels(units, len(frame))
        self.themes_ = theme_table(units, V, codes, self.n_themes_, self.vectorizer_,
                                   n_examples=self.n_examples, unit_is_clause=self.unit == "clause",
                                   texts=frame["text"].tolist())
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
        D = cosine_distances(Zs)
        seeds = [int(s) for s in rng.randint(np.iinfo(np.int32).max, size=int(self.n_seeds))]
        records = []
        for k in range(lo, hi + 1):
            labels = [self._fit_labels(self._make_clusterer(k, s, n_init=self.selection_n_init), Zs, counts)
                      for s in seeds]
            sil = weighted_silhouette(D, labels[0], counts)
            aris = [weighted_ari(labels[i], labels[j], counts)
                    for i in range(len(labels)) for j in range(i + 1, len(labels))]
            records.append((k, sil, float(np.mean(aris))))
        best, scores, warnings = score_table(records, min_stability=self.min_stability,
                                             tolerance=self.k_tolerance)
        return best, scores, warnings

    def _assign(self, Z):
        sims = Z @ self.cluster_centers_.T
        best = np.argmax(sims, axis=1)
        top = sims[np.arange(len(Z)), best]
        ok = (np.linalg.norm(Z, axis=1) > 0) & (top >= self.min_similarity)
        return np.where(ok, best, UNASSIGNED).astype(int), np.where(np.linalg.norm(Z, axis=1) > 0, top, 0.0)

    # -- new texts ----------------------------------------------------------------------
    def _check_fitted(self):
        if not hasattr(self, "cluster_centers_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("SkillGapClusterer 尚未 fit（not fitted）：请先调用 fit。")

    def split_units(self, X) -> pd.DataFrame:
        """The units of ``X`` as :meth:`fit` would cluster them (``text_index, clause_id, unit,
        competency_id``)."""
        self._check_params()
        return split_units(as_frame(X), unit=self.unit, only_gaps=bool(self.only_gaps),
                            default_polarity=self.default_polarity)

    def _reduce(self, units):
        if len(units) == 0:
            return np.zeros((0, self.cluster_centers_.shape[1]))
        V = self.vectorizer_.transform(units["unit"].tolist())
        return np.asarray(self.reducer_.transform(V), dtype=float)

    def transform_units(self, X):
        """Cosine similarity of each unit of ``X`` to each theme centroid; rows follow
        :meth:`split_units` ``(X)``."""
        self._check_fitted()
        return self._reduce(self.split_units(X)) @ self.cluster_centers_.T

    def assign_units(self, X) -> pd.DataFrame:
        """:meth:`split_units` of ``X`` with the ``theme`` (−1: fits none) and ``similarity`` of
        each unit (clause-level themes)."""
        self._check_fitted()
        units = self.split_units(X)
        lab, sim = self._assign(self._reduce(units))
        return units.assign(theme=lab, similarity=sim)

    def predict_units(self, X):
        """Theme of each unit of ``X`` (rows follow :meth:`split_units`), −1 when it fits none."""
        return self.assign_units(X)["theme"].to_numpy()

    def transform(self, X):
        """Similarity of each input text to each theme: the largest over the text's units.

        Returns
        -------
        ndarray of shape (n_texts, n_themes_)
            One row per input text (zeros for a text without units); the unit-level values are
            :meth:`transform_units`.
        """
        self._check_fitted()
        frame = as_frame(X)
        units = split_units(frame, unit=self.unit, only_gaps=bool(self.only_gaps),
                            default_polarity=self.default_polarity)
        out = np.zeros((len(frame), self.n_themes_))
        if len(units):
            S = self._reduce(units) @ self.cluster_centers_.T
            np.maximum.at(out, units["text_index"].to_numpy(), S)
        return out

    def predict(self, X):
        """Theme of each input text (its dominant theme, see :attr:`labels_`), −1 when none."""
        units = self.assign_units(X)
        return _document_labels(units, len(as_frame(X)))

    def fit_predict(self, X, y=None, **kwargs):
        """Fit and return :attr:`labels_`: one theme per input text (−1: none)."""
        return self.fit(X).labels_

    # -- per group ----------------------------------------------------------------------
    def theme_shares(self, groups, *, by, respondent=None, min_cell: int | None = None) -> pd.DataFrame:
        """Each theme's share within each group; see :func:`theme_shares`."""
        self._check_fitted()
        if min_cell is None:
            from ..design import Design

            min_cell = Design().min_cell
        return theme_shares(self.units_, self.themes_, groups, by=by, respondent=respondent,
                            min_cell=min_cell)



def _document_labels(units: pd.DataFrame, n_docs: int) -> np.ndarray:
    """One theme per input text: the theme most of its units fall in (ties: the larger summed
    similarity, then the smaller theme id); −1 for a text without units or whose units fit no
    theme."""
    out = np.full(n_docs, UNASSIGNED, dtype=int)
    ok = units[units["theme"] >= 0]
    if not len(ok):
        return out
    g = ok.groupby(["text_index", "theme"], sort=True).agg(n=("theme", "size"), sim=("similarity", "sum"))
    g = g.reset_index().sort_values(["text_index", "n", "sim", "theme"], ascending=[True, False, False, True],
                                    kind="stable")
    first = g.drop_duplicates("text_index")
    out[first["text_index"].to_numpy()] = first["theme"].to_numpy()
    return out
