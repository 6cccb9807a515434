"""Key drivers: which competency satisfactions move employers' overall satisfaction.

Model: the proportional-odds (ordinal logistic) regression of ``overall_satisfaction`` (ordered
categories) on the competency satisfaction scores, ``P(Y ≤ j | x) = F(c_j − x'β)`` with the
logistic ``F`` (statsmodels ``OrderedModel(distr="logit")``), fitted by maximum likelihood on
the employers who answered every variable (listwise).

What the table gives a reader
-----------------------------
* ``odds_ratio = exp(β)`` with its interval: one point more satisfaction with the competency
  multiplies the *odds* of a higher overall rating by this factor (odds, not probability: an
  odds ratio of 3 does not mean "three times as likely").
* ``ame``: the average marginal effect on the probability that the overall rating is
  satisfied (the design's top-box rule): ``mean_i ∂P(Y ≥ top | x_i) / ∂x_j = β_j · mean_i
  f(c_top − x_i'β)``, in probability units (× 100 = percentage points per scale point), with a
  delta-method interval from the fitted covariance of (β, cut-points).
* ``p_value`` (Wald) and ``p_adj`` (Benjamini–Hochberg over the predictors); ``significant``
  is ``p_adj < alpha``.
* The model's n, the cut-points (``attrs["thresholds"]``, the actual ``c_j``, not statsmodels'
  internal log-increments), McFadden's pseudo-R² and the likelihood-ratio test against the
  model without predictors (``attrs["fit"]``, and a Chinese sentence in ``attrs["notes"]``).

Above ``max_cases`` complete cases the model is fitted on a seeded simple random subsample
(said in the notes); the checks for predictors without variance or collinear with others, and
the outcome levels, are made on the cases actually fitted.
"""
from __future__ import annotations

import functools
import logging
import math
import warnings
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..design import Design
from ..errors import AnalysisError, ConfigError, SurveyError
from ..stats import bh_adjust, z_value
from .common import finish
from .scales import coerce_ratings, competency_labels, top_box_of

__all__ = ["key_drivers", "logit_ordered_model", "dependent_columns", "average_marginal_effects",
           "DRIVER_COLUMNS", "DRIVER_LABELS"]

logger = logging.getLogger(__name__)

DRIVER_COLUMNS = ["rank", "predictor", "competency", "label", "n", "coef", "se", "odds_ratio", "or_ci_low",
                  "or_ci_high", "value", "low", "high", "ame", "ame_low", "ame_high", "p", "p_value", "p_adj",
                  "significant", "reading"]
#: Chinese column labels for the report
DRIVER_LABELS = {
    "rank": "排序", "label": "能力素质", "n": "模型样本量", "coef": "系数（对数优势）", "se": "标准误",
    "odds_ratio": "优势比 OR（每高 1 分）", "or_ci_low": "OR 下限", "or_ci_high": "OR 上限",
    "value": "优势比 OR（每高 1 分）", "low": "OR 下限", "high": "OR 上限",
    "ame": "总体满意概率的平均变化（每高 1 分）", "ame_low": "概率变化下限", "ame_high": "概率变化上限",
    "p": "p 值", "p_value": "p 值", "p_adj": "校正 p 值（BH）", "significant": "显著（校正后）", "reading": "解读",
}
_SATISFIED_ZH = {"top2": "满意或很满意", "top3": "一般及以上"}


# ----------------------------------------------------------------------------------------
# model pieces
# ----------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def logit_ordered_model():
    """``OrderedModel`` whose logistic cdf is ``scipy.special.expit`` called directly.

    ``scipy.stats.logistic.cdf(x)`` *is* ``expit(x)`` (loc 0, scale 1; ±inf give 0 and 1 in
    both), but the generic distribution wrapper validates and copies its arguments on each of
    the thousands of likelihood evaluations of a fit (most of the fitting time at 20,000
    cases).  Same numbers, a fraction of the time.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class LogitOrderedModel(OrderedModel):
        def cdf(self, x):
            return special.expit(x)

    return LogitOrderedModel


def dependent_columns(data: pd.DataFrame, columns: list) -> list:
    """Columns that are exact linear combinations of the earlier ones (and a constant).

    When the constant and all ``columns`` together have full column rank (the usual case) no
    column depends on earlier ones and one rank computation answers; otherwise each column is
    checked against the ones kept before it.
    """
    keep: list = []
    base = [np.ones(len(data))]
    if columns:
        m = np.column_stack(base + [data[c].to_numpy(float) for c in columns])
        if np.linalg.matrix_rank(m) == m.shape[1]:
            return []
    for c in columns:
        m = np.column_stack(base + [data[k].to_numpy(float) for k in keep] + [data[c].to_numpy(float)])
        if np.linalg.matrix_rank(m) == m.shape[1]:
            keep.append(c)
    return [c for c in columns if c not in keep]


def average_marginal_effects(params: np.ndarray, cov: np.ndarray, exog: np.ndarray, cut: int, conf: float):
    """Average marginal effects on ``P(Y > level cut)`` of a logit ``OrderedModel`` fit, with
    delta-method intervals.

    ``params`` = (β, θ) in statsmodels' order (θ: the first cut-point, then log-increments),
    ``cov`` their covariance, ``exog`` the fitted cases, ``cut`` the 0-based index of the
    cut-point below the top box (``P(Y ≥ top) = 1 − F(c_cut − x'β)``).  Returns
    ``(ame, low, high, se)`` arrays over the predictors.
    """
    k = exog.shape[1]
    beta, theta = params[:k], params[k:]
    c = theta[0] + np.sum(np.exp(theta[1:cut + 1]))
    F = special.expit(c - exog @ beta)
    f = F * (1 - F)
    fp = f * (1 - 2 * F)  # f'(u)
    ame = beta * f.mean()
    G = np.zeros((k, len(params)))
    G[:, :k] = np.diag(np.full(k, f.mean())) - np.outer(beta, (fp[:, None] * exog).mean(axis=0))
    dc = np.zeros(len(theta))  # ∂c_cut / ∂θ
    dc[0] = 1.0
    dc[1:cut + 1] = np.exp(theta[1:cut + 1])
    G[:, k:] = np.outer(beta * fp.mean(), dc)
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", G, cov, G), 0.0))
    z = z_value(conf)
    return ame, ame - z * se, ame + z * se, se


# ----------------------------------------------------------------------------------------
# steps
# ----------------------------------------------------------------------------------------
def _cases(prep, outcome: str, predictors: list, max_cases, random_state, notes: list):
    """The complete cases to fit (a seeded subsample above ``max_cases``), the number of complete
    cases, and the predictors left after dropping unrated, constant and collinear ones."""
    empty = [p for p in predictors if prep.data[p].isna().all()]
    if empty:
        notes.append(f"以下能力无人评价，未纳入模型：{'、'.join(empty)}。")
        predictors = [p for p in predictors if p not in empty]
    data = prep.data[[outcome, *predictors]].dropna()
    n_complete = len(data)
    if max_cases is not None and n_complete > max_cases:
        # the rows drawn depend only on the number of complete cases and the seed
        data = data.sample(n=int(max_cases), random_state=random_state)
    constant = [p for p in predictors if data[p].nunique() < 2]
    if constant:
        notes.append(f"以下能力的评价完全相同（无变异），未纳入模型：{'、'.join(constant)}。")
        predictors = [p for p in predictors if p not in constant]
    collinear = dependent_columns(data, predictors)
    if collinear:
        notes.append(f"以下能力的评价与其他能力完全线性相关（共线），未纳入模型：{'、'.join(collinear)}。")
        predictors = [p for p in predictors if p not in collinear]
    return data, n_complete, predictors


def _check(data, outcome: str, predictors: list, n_complete: int, n_rows: int, min_cases: int) -> list:
    levels = sorted(data[outcome].unique())
    if len(levels) < 2:
        raise AnalysisError("总体满意度没有变化（所有受访者的回答相同），无法分析关键驱动因素",
                            column=outcome, found=f"n={n_complete}，取值 {levels}")
    if not predictors:
        raise AnalysisError("所有能力满意度都没有变化，无法分析关键驱动因素", found=f"n={n_complete}")
    need = max(min_cases, len(predictors) + len(levels))
    if n_complete < need:
        raise AnalysisError(
            "完整回答总体满意度与各项能力满意度的受访者太少，无法拟合有序逻辑回归",
            expected=f"至少 {need} 份完整回答",
            found=f"{n_complete} 份（共 {n_rows} 份，其余有缺失或“无法评价”）",
            hint="减少自变量（predictors 参数），或合并年份/专业后再分析。")
    return levels


def _fit(data, outcome: str, predictors: list, levels: list):
    endog = pd.Series(pd.Categorical(data[outcome], categories=levels, ordered=True), index=data.index)
    exog = data[predictors].astype(float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = logit_ordered_model()(endog, exog, distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
    except (ValueError, np.linalg.LinAlgError) as e:
        raise AnalysisError("有序逻辑回归无法拟合", found=str(e),
                            hint="自变量之间可能高度相关或完全分离；请减少自变量。") from None
    params, bse = res.params[predictors], res.bse[predictors]
    if not res.mle_retvals.get("converged", True) or not np.all(np.isfinite(bse)):
        raise AnalysisError("有序逻辑回归没有收敛，结果不可靠", found=f"n={len(data)}，自变量 {len(predictors)} 个",
                            hint="自变量之间可能高度相关或完全分离；请减少自变量。")
    if np.any(np.abs(params) > 15) or np.any(bse > 50):
        big = [p for p in predictors if abs(params[p]) > 15 or bse[p] > 50]
        raise AnalysisError(
            "有序逻辑回归出现（准）完全分离：某些能力的评价几乎完全决定了总体满意度，系数无法估计",
            found="、".join(big), hint="减少自变量或合并答案等级后再分析；也可只看各能力的满意度与差距。")
    return res, exog.to_numpy()


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return "—"
    if x >= 10:
        return f"{x:.0f}"
    if x >= 0.995:
        return f"{x:.1f}"
    return f"{x:.2f}"


def _reading(label: str, r: dict, design: Design) -> str:
    pct = design.conf_label
    text = (f"对“{label}”的满意度每高 1 分，总体满意度高一级的优势（odds，不是概率）约为原来的 "
            f"{_fmt(r['odds_ratio'])} 倍（{pct} 置信区间 {_fmt(r['or_ci_low'])}–{_fmt(r['or_ci_high'])}）")
    if np.isfinite(r["ame"]):
        text += (f"；总体评价为“{_SATISFIED_ZH[design.satisfied]}”的概率平均{'提高' if r['ame'] >= 0 else '降低'}约 "
                 f"{abs(r['ame']) * 100:.1f} 个百分点（{pct} 置信区间 {r['ame_low'] * 100:.1f}–"
                 f"{r['ame_high'] * 100:.1f}）")
    return text + ("。" if r["significant"] else "；经多重比较校正后不显著。")


def _table(res, exog, predictors: list, levels: list, design: Design, n: int, top: float) -> pd.DataFrame:
    names = list(res.params.index)
    params = res.params.to_numpy(dtype=float)
    cov = res.cov_params().loc[names, names].to_numpy(dtype=float)
    cut = int(np.searchsorted(np.asarray(levels, dtype=float), top, side="left")) - 1
    if 0 <= cut < len(levels) - 1:
        ame, alo, ahi, _ = average_marginal_effects(params, cov, exog, cut, design.conf)
    else:  # every level (or none) is satisfied: the probability does not move
        ame = alo = ahi = np.full(len(predictors), np.nan)
    ci = res.conf_int(alpha=1 - design.conf).loc[predictors]
    labels = competency_labels("employer")
    p = res.pvalues[predictors].to_numpy(dtype=float)
    p_adj = bh_adjust(p)
    rows = []
    for j, name in enumerate(predictors):
        code = name.split("__", 1)[1] if "__" in name else name
        orr, lo, hi = math.exp(res.params[name]), math.exp(ci.loc[name, 0]), math.exp(ci.loc[name, 1])
        r = {"predictor": name, "competency": code, "label": labels.get(code, code), "n": n,
             "coef": float(res.params[name]), "se": float(res.bse[name]), "odds_ratio": orr, "or_ci_low": lo,
             "or_ci_high": hi, "value": orr, "low": lo, "high": hi, "ame": float(ame[j]), "ame_low": float(alo[j]),
             "ame_high": float(ahi[j]), "p": float(p[j]), "p_value": float(p[j]), "p_adj": float(p_adj[j]),
             "significant": bool(p_adj[j] < design.alpha)}
        r["reading"] = _reading(r["label"], r, design)
        rows.append(r)
    table = pd.DataFrame(rows).sort_values("odds_ratio", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table[DRIVER_COLUMNS]


def _fit_attrs(res, model_n: int, predictors: list, levels: list) -> tuple[dict, dict, str]:
    names = [k for k in res.params.index if k not in predictors]
    cuts = res.model.transform_threshold_params(res.params.to_numpy(dtype=float))[1:-1]
    thresholds = {str(k): float(v) for k, v in zip(names, cuts)}
    fit = {"n": model_n, "k": len(predictors), "levels": [float(x) for x in levels],
           "llf": float(res.llf), "llnull": float(res.llnull), "pseudo_r2": float(res.prsquared),
           "lr_stat": float(res.llr), "lr_df": len(predictors), "lr_p_value": float(res.llr_pvalue),
           "aic": float(res.aic), "bic": float(res.bic)}
    p = fit["lr_p_value"]
    p_txt = "p < 0.001" if p < 0.001 else f"p = {p:.3f}"
    note = (f"模型拟合：有序 logistic 回归（比例优势模型），n = {model_n} 份，{len(predictors)} 项能力；"
            f"McFadden 伪 R² = {fit['pseudo_r2']:.2f}；似然比检验（相对于不含能力的模型）"
            f"χ²({len(predictors)}) = {fit['lr_stat']:.1f}，{p_txt}。"
            "优势比（OR）是“总体满意度高一级”的优势（odds）的倍数，不是概率的倍数；概率的变化见平均边际效应（百分点）。")
    return thresholds, fit, note


def key_drivers(
    df: pd.DataFrame,
    outcome: str = "overall_satisfaction",
    predictors: Sequence[str] | None = None,
    *,
    design: Design | None = None,
    method: str = "ordinal",
    conf: float | None = None,
    satisfied: str | None = None,
    alpha: float | None = None,
    min_cases: int = 30,
    scale=None,
    max_cases: int | None = 20_000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Which competency satisfactions move overall satisfaction (ordinal logistic regression).

    Parameters
    ----------
    df : DataFrame
    outcome : str, default "overall_satisfaction"
    predictors : list of str, optional
        Default: every ``sat__*`` column that somebody rated.
    design : Design, optional
        ``conf`` (intervals), ``satisfied`` (the top box of the marginal effects), ``alpha``
        (false-discovery rate of ``significant``); the keyword arguments override them.
    method : {"ordinal"}, default "ordinal"
    min_cases : int, default 30
        Fewer complete cases than this (or than the number of parameters + 1) → AnalysisError.
    scale : optional
        Answer scale for text in the columns.
    max_cases : int or None, default 20000
        Above this many complete cases the model is fitted on a simple random subsample of
        that size (said in ``attrs["notes"]``); ``None`` always uses every case.
    random_state : int, default 0
        Seed of that subsample.

    Returns
    -------
    DataFrame
        One row per predictor, by decreasing odds ratio: ``rank, predictor, competency, label,
        n`` (cases fitted), ``coef, se, odds_ratio, or_ci_low, or_ci_high, value, low, high``
        (= the odds ratio and its interval), ``ame, ame_low, ame_high`` (average marginal effect
        on the probability of a satisfied overall rating, per scale point), ``p, p_value`` (Wald),
        ``p_adj`` (BH), ``significant``, ``reading`` (a Chinese sentence).  ``attrs``: ``n``
        (cases fitted), ``n_complete``, ``n_dropped``, ``subsampled``, ``thresholds`` (the
        cut-points ``c_j``), ``fit`` (``pseudo_r2``, ``lr_stat``, ``lr_df``, ``lr_p_value``,
        ``llf``, ``llnull``, ``aic``, ``bic``), ``pseudo_r2``, ``llf``, ``fit_note``,
        ``column_labels``, ``problems``, ``notes``.

    Raises
    ------
    AnalysisError
        Too few complete cases, no variance in the outcome or in every predictor, a model that
        does not converge, or (quasi-)complete separation.  Predictors without variance or
        exactly collinear with earlier ones are dropped with a note instead.
    ConfigError
        Unknown ``method`` or missing columns.
    """
    if method != "ordinal":
        raise ConfigError("未知的关键驱动分析方法", expected="ordinal（有序逻辑回归）", found=method)
    d = Design.resolve(design, conf=conf, satisfied=satisfied, alpha=alpha)
    if outcome not in df.columns:
        raise SurveyError.missing_columns([outcome], df.columns)
    if predictors is None:
        predictors = [c for c in df.columns if isinstance(c, str) and c.startswith("sat__")]
    predictors = [p for p in predictors if p != outcome]
    if not predictors:
        raise AnalysisError("没有可用的能力满意度列作为自变量", expected="sat__<能力代码> 列",
                            found="、".join(map(str, list(df.columns)[:30])))
    prep = coerce_ratings(df, [outcome, *predictors], scale=scale)
    notes: list = []
    data, n_complete, predictors = _cases(prep, outcome, predictors, max_cases, random_state, notes)
    levels = _check(data, outcome, predictors, n_complete, len(df), min_cases)
    n = len(data)
    if n_complete < len(df):
        notes.append(f"模型只用完整回答总体满意度和全部 {len(predictors)} 项能力满意度的 {n_complete} 份问卷"
                     f"（共 {len(df)} 份；其余有缺失或“无法评价”）。")
    if n < n_complete:
        notes.append(f"完整回答有 {n_complete} 份，模型用其中随机抽取的 {n} 份拟合（max_cases 参数可调）。")
    logger.debug("key_drivers: n=%d, predictors=%d", n, len(predictors))
    res, exog = _fit(data, outcome, predictors, levels)
    table = _table(res, exog, predictors, levels, d, n, top_box_of(d, scale))
    thresholds, fit, fit_note = _fit_attrs(res, n, predictors, levels)
    return finish(table, prep, notes + [fit_note], n=n, n_complete=n_complete, n_dropped=len(df) - n,
                  subsampled=n < n_complete, thresholds=thresholds, fit=fit, pseudo_r2=fit["pseudo_r2"],
                  llf=fit["llf"], fit_note=fit_note, outcome=outcome, method=method, conf=d.conf,
                  satisfied=d.satisfied, alpha=d.alpha, column_labels=dict(DRIVER_LABELS))
