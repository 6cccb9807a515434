"""Pieces written in the ratings package that belong in the statistics kernel, each against its
plain definition: group sums over contiguous cells = stats.group_means / group_shares; the
one-sample t test = scipy / statsmodels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from survey_analysis.design import Design
from survey_analysis.stats import (GroupIndex, GroupOrder, group_means, group_shares, group_sums, mean_test_p, means_of,
                                   shares_of)


def _frame(seed: int, n: int = 500) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"major": rng.choice(list("ABCDEF") + [None], n, p=[.3, .2, .2, .1, .1, .07, .03])})
    df["college"] = df["major"].map({"A": "c1", "B": "c1", "C": "c2", "D": "c2", "E": "c3", "F": None})
    df["x"] = rng.integers(1, 6, n).astype(float)
    df.loc[rng.random(n) < 0.15, "x"] = np.nan
    df.loc[df["major"] == "F", "x"] = np.nan  # a group with no value at all
    df["w"] = rng.gamma(2.0, 1.0, n)
    df.loc[rng.random(n) < 0.05, "w"] = 0.0
    df.loc[rng.random(n) < 0.02, "w"] = np.nan
    return df


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("conf", [0.95, 0.9])
def test_group_sums_equal_the_kernels_group_means_and_shares(seed, weighted, conf):
    df = _frame(seed)
    ix = GroupIndex.build(df, Design())
    w = df["w"].to_numpy() if weighted else None
    x = df["x"].to_numpy()
    order = GroupOrder.of(ix)
    got, want = means_of(group_sums(order, x, w), conf=conf), group_means(ix, x, w, conf=conf)
    for f in ("n", "n_eff", "mean", "low", "high", "sd"):
        np.testing.assert_allclose(getattr(got, f), getattr(want, f), rtol=1e-12, atol=1e-12, err_msg=f)
    hit = np.where(np.isnan(x), np.nan, x >= 4)
    got, want = shares_of(group_sums(order, hit, w), conf=conf), group_shares(ix, hit, w, conf=conf)
    for f in ("n", "n_eff", "count", "share", "low", "high"):
        np.testing.assert_allclose(getattr(got, f), getattr(want, f), rtol=1e-12, atol=1e-12, err_msg=f)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1, 5, allow_nan=False), min_size=2, max_size=40), st.floats(1, 5))
def test_mean_test_p_is_the_one_sample_t_test(values, mu0):
    x = np.asarray(values)
    p = mean_test_p(x.mean(), x.std(ddof=1), len(x), mu0)
    if x.std() > 1e-9:
        assert p == pytest.approx(stats.ttest_1samp(x, mu0).pvalue, rel=1e-9, abs=1e-15)
    elif abs(x.mean() - mu0) > 1e-6:  # no spread: any difference is certain
        assert p == pytest.approx(0.0, abs=1e-12)
    assert mean_test_p(3.0, 0.0, 10, 3.0) == 1.0 and mean_test_p(3.0, 0.0, 10, 2.0) == 0.0


def test_mean_test_p_weighted_is_descrstatsw():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, 80).astype(float)
    w = rng.gamma(2.0, 1.0, 80)
    ix = GroupIndex.build(pd.DataFrame({"x": x}), Design(), levels=("school",))
    m = group_means(ix, x, w, conf=0.95)
    n_eff = m.n_eff[0]
    ref = DescrStatsW(x, weights=w * n_eff / w.sum()).ttest_mean(3.7)[1]
    assert mean_test_p(m.mean[0], m.sd[0], n_eff, 3.7) == pytest.approx(ref, rel=1e-10)
    assert np.isnan(mean_test_p(3.0, 1.0, 1.0, 2.0))  # n_eff ≤ 1
