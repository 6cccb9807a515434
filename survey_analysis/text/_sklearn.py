"""scikit-learn wrapper of the Segmenter (kept apart so that worker processes do not import sklearn)."""
from __future__ import annotations

__all__ = ["TokenListTransformer"]

from sklearn.base import BaseEstimator, TransformerMixin

from ._segment import Segmenter


class TokenListTransformer(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: a Series / list of comments → a list of token lists.

    Parameters are those of :class:`Segmenter`.  ``fit`` builds ``segmenter_``.

    Examples
    --------
    >>> TokenListTransformer().fit_transform(["动手能力较弱", None])
    [['动手能力', '较弱'], []]
    """

    def __init__(self, *, hmm=False, backend="jieba", user_words=None, user_dict=None,
                 stopwords=True, n_jobs=1):
        self.hmm = hmm
        self.backend = backend
        self.user_words = user_words
        self.user_dict = user_dict
        self.stopwords = stopwords
        self.n_jobs = n_jobs

    def fit(self, X=None, y=None):
        self.segmenter_ = Segmenter(hmm=self.hmm, backend=self.backend, user_words=self.user_words,
                                    user_dict=self.user_dict, stopwords=self.stopwords,
                                    n_jobs=self.n_jobs)
        return self

    def transform(self, X):
        if not hasattr(self, "segmenter_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("TokenListTransformer 尚未 fit（not fitted）：请先调用 fit。")
        return self.segmenter_.cut_many(X)
