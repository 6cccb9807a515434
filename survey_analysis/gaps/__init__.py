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

from ._estimator import UNASSIGNED, UNASSIGNED_LABEL, SkillGapClusterer
from ._select import weighted_ari, weighted_silhouette
from ._shares import feedback_texts, theme_shares
from ._units import CONCEPT_PREFIX, concept_tokenize

__all__ = [
    "SkillGapClusterer",
    "concept_tokenize",
    "theme_shares",
    "feedback_texts",
    "weighted_silhouette",
    "weighted_ari",
    "UNASSIGNED",
    "UNASSIGNED_LABEL",
    "CONCEPT_PREFIX",
]
