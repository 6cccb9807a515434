"""Choosing the number of themes: weighted silhouette and seed stability, scored per k."""
from __future__ import annotations

import numpy as np

__all__ = ["cosine_distances", "weighted_silhouette", "weighted_ari"]


def cosine_distances(Z) -> np.ndarray:
    """Pairwise cosine distances of L2-normalised (or zero) rows, float32."""
    Z = np.asarray(Z, dtype=np.float32)
    D = 1.0 - Z @ Z.T
    np.clip(D, 0.0, 2.0, out=D)
    np.fill_diagonal(D, 0.0)
    return D


def weighted_silhouette(D, labels, weight) -> float:
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


def weighted_ari(a, b, weight) -> float:
    """Adjusted Rand index of two labelings where row *i* counts ``weight[i]`` times."""
    from sklearn.metrics import adjusted_rand_score

    reps = np.asarray(weight).astype(int)
    return float(adjusted_rand_score(np.repeat(a, reps), np.repeat(b, reps)))



def score_table(records, *, min_stability: float, tolerance: float):
    """Scores per candidate k and the choice, with the warnings a reader needs.

    ``records`` are ``(k, silhouette, stability)``.  The criterion (reported as ``score``) is
    ``silhouette × stability``: a partition both well separated and the same across seeds.
    Among the candidates whose stability reaches ``min_stability`` (when none does: the most
    stable ones, within 0.05 of the highest stability)
    the best score is taken when it is a peak inside the range.  When the score keeps rising to
    the end of the range (the silhouette of short texts creeps up with k), the *smallest* k
    whose score is within ``tolerance`` × (best − worst) of the best is taken instead, and a
    warning says so.

    Returns ``(k, scores, warnings)``: ``scores`` is a DataFrame ``k, silhouette, stability,
    score, stable, chosen``; ``warnings`` a list of Chinese sentences (empty when all is well):
    no stable k, no peak inside the range, or the choice at an end of the range.
    """
    import pandas as pd

    scores = pd.DataFrame(records, columns=["k", "silhouette", "stability"])
    scores["score"] = scores["silhouette"] * scores["stability"]
    scores["stable"] = scores["stability"] >= float(min_stability)
    # without a stable candidate, the most stable ones (within 0.05 of the best stability)
    pool = scores[scores["stable"]] if scores["stable"].any() else \
        scores[scores["stability"] >= scores["stability"].max() - 0.05]
    lo, hi = int(scores["k"].min()), int(scores["k"].max())
    best_row = pool.sort_values(["score", "k"], ascending=[False, True]).iloc[0]
    best_k, best = int(best_row["k"]), float(best_row["score"])
    warnings = []
    if not scores["stable"].any():
        warnings.append(
            f"没有一个主题数在不同随机种子下稳定（跨种子一致性 ARI 最高 {scores['stability'].max():.2f}，"
            f"低于 {float(min_stability):.2f}）：主题划分随种子变化，只宜作探索参考；可指定主题数或收集更多文本。")
    k = best_k
    if hi - lo >= 3 and best_k >= hi - 1:
        worst = float(scores["score"].min())
        near = pool[pool["score"] >= best - float(tolerance) * max(best - worst, 0.0)]
        k = int(near["k"].min())
        warnings.append(
            f"得分（轮廓系数×稳定性）随主题数一直上升到尝试范围的上限 {hi}，没有内部峰值："
            f"取得分在最佳值 {best:.3f} 的 {float(tolerance):.0%} 范围内的最小主题数 {k}；"
            f"文本较短时更多主题往往只是更细的切分，请结合各主题数的得分判断。")
    scores["chosen"] = scores["k"] == k
    if len(scores) > 1 and k in (lo, hi):
        edge = "最小值" if k == lo else "最大值"
        warnings.append(
            f"自动选出的主题数 {k} 是尝试范围 {lo}–{hi} 的{edge}：最优值可能在范围之外，"
            f"请查看各主题数的得分，或指定主题数（--k）、调整范围（--k-max）。")
    return k, scores, warnings
