"""key_drivers against statsmodels' OrderedModel fitted directly: cut-points, fit statistics,
average marginal effects and their delta-method intervals (issues 15 and 17)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.multitest import multipletests
from statsmodels.tools.numdiff import approx_fprime

from survey_analysis.design import Design
from survey_analysis.ratings import key_drivers
from survey_analysis.ratings.drivers import DRIVER_LABELS

PREDS = ["sat__practice", "sat__teamwork", "sat__office"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(17)
    n = 400
    x = {p: rng.integers(1, 6, n).astype(float) for p in PREDS}
    latent = 0.8 * x["sat__practice"] + 0.35 * x["sat__teamwork"] + rng.logistic(size=n)
    y = np.digitize(latent, np.quantile(latent, [0.08, 0.25, 0.55, 0.8])) + 1.0
    return pd.DataFrame({**x, "overall_satisfaction": y})


@pytest.fixture(scope="module")
def direct(data):
    return OrderedModel(data["overall_satisfaction"], data[PREDS], distr="logit").fit(method="bfgs", disp=False,
                                                                                      maxiter=2000, gtol=1e-8)


def _p_satisfied(model, params, exog, top_index):
    """P(Y ≥ level top_index) per case, from statsmodels' own predicted probabilities."""
    return model.predict(params, exog=exog)[:, top_index:].sum(axis=1)


def test_thresholds_are_the_cut_points(data, direct):
    res = key_drivers(data, predictors=PREDS)
    cuts = direct.model.transform_threshold_params(direct.params.to_numpy())[1:-1]
    th = res.attrs["thresholds"]
    assert list(th) == ["1.0/2.0", "2.0/3.0", "3.0/4.0", "4.0/5.0"]
    np.testing.assert_allclose(list(th.values()), cuts, rtol=1e-4, atol=1e-4)
    assert np.all(np.diff(list(th.values())) > 0)  # cut-points increase (the increments did not need to)
    # issue 15: the old attrs held statsmodels' internal parameters (first cut, then log-increments)
    raw = direct.params.to_numpy()[len(PREDS):]
    assert not np.allclose(list(th.values()), raw, atol=1e-3)


def test_fit_statistics_and_model_n(data, direct):
    d = data.copy()
    d.loc[:14, "sat__office"] = np.nan
    res = key_drivers(d, predictors=PREDS)
    cc = d.dropna()
    ref = OrderedModel(cc["overall_satisfaction"], cc[PREDS], distr="logit").fit(method="bfgs", disp=False,
                                                                                 maxiter=2000, gtol=1e-8)
    fit = res.attrs["fit"]
    assert fit["n"] == res.attrs["n"] == len(cc) == 385 and (res["n"] == 385).all()
    assert fit["pseudo_r2"] == pytest.approx(ref.prsquared, rel=1e-4)
    assert fit["llnull"] == pytest.approx(ref.llnull, rel=1e-8)
    assert fit["lr_stat"] == pytest.approx(ref.llr, rel=1e-4)
    assert fit["lr_df"] == 3
    assert fit["lr_p_value"] == pytest.approx(stats.chi2.sf(ref.llr, 3), rel=1e-3)
    # the null model by hand: thresholds at the observed cumulative shares
    freq = cc["overall_satisfaction"].value_counts(normalize=True).sort_index().to_numpy()
    assert fit["llnull"] == pytest.approx(len(cc) * float(np.sum(freq * np.log(freq))), rel=1e-9)
    note = res.attrs["fit_note"]
    assert "n = 385" in note and "McFadden 伪 R²" in note and "似然比检验" in note and "不是概率" in note
    assert note in res.attrs["notes"]


def test_average_marginal_effects_against_statsmodels(data, direct):
    res = key_drivers(data, predictors=PREDS).set_index("predictor")
    model, params = direct.model, direct.params.to_numpy()
    exog = data[PREDS].to_numpy()
    top = 3  # levels 1..5: "satisfied" (top two boxes) = 4 or 5 → index 3
    h = 1e-5
    ame, grads = [], []
    for j in range(len(PREDS)):
        up, down = exog.copy(), exog.copy()
        up[:, j] += h
        down[:, j] -= h
        ame.append(np.mean((_p_satisfied(model, params, up, top) - _p_satisfied(model, params, down, top)) / (2 * h)))

    def ame_of(theta):  # the analytic form, as a function of all parameters, for the delta method
        k = len(PREDS)
        cut = model.transform_threshold_params(theta)[top]
        u = cut - exog @ theta[:k]
        f = np.exp(-u) / (1 + np.exp(-u)) ** 2
        return theta[:k] * f.mean()

    G = approx_fprime(params, ame_of, centered=True)
    se = np.sqrt(np.diag(G @ direct.cov_params().to_numpy() @ G.T))
    z = stats.norm.ppf(0.975)
    for j, p in enumerate(PREDS):
        assert res.loc[p, "ame"] == pytest.approx(ame[j], rel=2e-3, abs=2e-4)
        assert res.loc[p, "ame_low"] == pytest.approx(ame[j] - z * se[j], rel=5e-3, abs=5e-4)
        assert res.loc[p, "ame_high"] == pytest.approx(ame[j] + z * se[j], rel=5e-3, abs=5e-4)
    assert res.loc["sat__practice", "ame"] > res.loc["sat__teamwork", "ame"] > 0
    # top three boxes: the effect on P(Y ≥ 3)
    res3 = key_drivers(data, predictors=PREDS, satisfied="top3").set_index("predictor")
    up, down = exog.copy(), exog.copy()
    up[:, 0] += h
    down[:, 0] -= h
    want = np.mean((_p_satisfied(model, params, up, 2) - _p_satisfied(model, params, down, 2)) / (2 * h))
    assert res3.loc["sat__practice", "ame"] == pytest.approx(want, rel=2e-3)
    assert "一般及以上" in res3.loc["sat__practice", "reading"]


def test_shared_vocabulary_bh_and_labels(data, direct):
    res = key_drivers(data, predictors=PREDS)
    assert (res["value"] == res["odds_ratio"]).all() and (res["low"] == res["or_ci_low"]).all()
    assert (res["high"] == res["or_ci_high"]).all() and (res["p_value"] == res["p"]).all()
    np.testing.assert_allclose(res["p_adj"], multipletests(res["p_value"], method="fdr_bh")[1], rtol=1e-12)
    assert res["significant"].tolist() == (res["p_adj"] < 0.05).tolist()
    r = res.set_index("predictor")
    for p in PREDS:
        assert r.loc[p, "odds_ratio"] == pytest.approx(np.exp(direct.params[p]), rel=1e-3)
        assert r.loc[p, "p_value"] == pytest.approx(direct.pvalues[p], rel=1e-2, abs=1e-10)
    assert not r.loc["sat__office", "significant"]
    assert "经多重比较校正后不显著" in r.loc["sat__office", "reading"]
    labels = res.attrs["column_labels"]
    assert labels == DRIVER_LABELS and "odds" not in labels["odds_ratio"] and "概率" in labels["ame"]
    strict = key_drivers(data, predictors=PREDS, design=Design(alpha=1e-300))
    assert not strict["significant"].any()
    assert pd.concat([res, res]).shape[0] == 2 * len(res)  # attrs hold plain values only


def test_subsample_note_and_n(data):
    big = pd.concat([data] * 10, ignore_index=True)
    res = key_drivers(big, predictors=PREDS, max_cases=1000)
    assert res.attrs["n"] == 1000 and res.attrs["n_complete"] == 4000 and res.attrs["subsampled"]
    assert (res["n"] == 1000).all()
    assert any("随机抽取的 1000 份" in t for t in res.attrs["notes"])
    assert "n = 1000" in res.attrs["fit_note"]


def test_top_box_follows_the_scale_not_the_highest_answer(data):
    """Nobody answered 很满意 (5): "satisfied" is still 满意 or better (≥ 4), not ≥ 3."""
    d = data.assign(overall_satisfaction=data["overall_satisfaction"].clip(upper=4.0))
    res = key_drivers(d, predictors=PREDS).set_index("predictor")
    ref = OrderedModel(d["overall_satisfaction"], d[PREDS], distr="logit").fit(method="bfgs", disp=False,
                                                                              maxiter=2000, gtol=1e-8)
    exog = d[PREDS].to_numpy()
    h = 1e-5
    up, down = exog.copy(), exog.copy()
    up[:, 0] += h
    down[:, 0] -= h
    params = ref.params.to_numpy()
    want = np.mean((_p_satisfied(ref.model, params, up, 3) - _p_satisfied(ref.model, params, down, 3)) / (2 * h))
    assert res.loc["sat__practice", "ame"] == pytest.approx(want, rel=2e-3)
