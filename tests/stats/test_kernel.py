"""The statistics kernel against its plain definitions and independent references."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from survey_analysis.design import Design
from survey_analysis.stats import (
    GroupIndex,
    bh_adjust,
    group_distribution,
    group_means,
    group_quantiles,
    group_shares,
    weighted_mean,
    weighted_quantile,
    weighted_share,
    wilson_interval,
)


def _frame(seed: int, n: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    majors = list("ABCDEFG")
    df = pd.DataFrame({"major": rng.choice(majors, n, p=[.3, .2, .2, .1, .1, .095, .005])})
    df["college"] = df["major"].map({"A": "c1", "B": "c1", "C": "c2", "D": "c2", "E": "c3", "F": "c3", "G": "c4"})
    df.loc[rng.random(n) < 0.02, "major"] = None
    df["major"] = df["major"].astype("string")
    df.loc[df.index[:3], "major"] = " A "  # surrounding blanks join A
    df["x"] = rng.normal(3, 1, n).round()
    df.loc[rng.random(n) < 0.1, "x"] = np.nan
    df["w"] = rng.gamma(2.0, 1.5, n)
    return df


def test_groups_follow_the_plain_definition():
    df = _frame(1)
    ix = GroupIndex.build(df, Design())
    t = ix.table
    assert t["level"].iloc[0] == "school" and t["group"].iloc[0] == "全校"
    stripped = df["major"].str.strip()
    for k in range(ix.n_groups):
        lv, name = t["level"].iat[k], t["group"].iat[k]
        expect = {"school": np.arange(len(df)),
                  "college": np.flatnonzero((df["college"] == name).to_numpy()),
                  "major": np.flatnonzero((stripped == name).fillna(False).to_numpy())}[lv]
        assert np.array_equal(ix.rows(k), expect), (lv, name)
        assert t["size"].iat[k] == len(expect)
    for lv in ("college", "major"):  # largest first
        sizes = t.loc[t["level"] == lv, "size"].to_numpy()
        assert (np.diff(sizes) <= 0).all()
    a = t[(t["level"] == "major") & (t["group"] == "A")].iloc[0]
    assert a["college"] == "c1"
    assert any("缺失" in note for note in ix.notes)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), weighted=st.booleans(), conf=st.sampled_from([0.9, 0.95, 0.99]))
def test_group_estimators_equal_the_plain_definitions(seed, weighted, conf):
    df = _frame(seed, 300)
    ix = GroupIndex.build(df, Design())
    w = df["w"].to_numpy() if weighted else None
    x = df["x"].to_numpy()
    ind = np.where(np.isnan(x), np.nan, (x >= 3).astype(float))
    s = group_shares(ix, ind, w, conf=conf)
    m = group_means(ix, x, w, conf=conf)
    q = group_quantiles(ix, x, [0.25, 0.5, 0.75], w)
    for k in range(ix.n_groups):
        r = ix.rows(k)
        e = weighted_share(ind[r], None if w is None else w[r], conf=conf)
        assert s.n[k] == e.n
        np.testing.assert_allclose([s.share[k], s.low[k], s.high[k], s.count[k], s.n_eff[k]],
                                   [e.share, e.low, e.high, e.count, e.n_eff], rtol=1e-10, equal_nan=True)
        mm = weighted_mean(x[r], None if w is None else w[r], conf=conf)
        np.testing.assert_allclose([m.mean[k], m.low[k], m.high[k], m.sd[k]], [mm.mean, mm.low, mm.high, mm.sd],
                                   rtol=1e-9, equal_nan=True)
        np.testing.assert_allclose(q[k], weighted_quantile(x[r], [0.25, 0.5, 0.75], None if w is None else w[r]),
                                   equal_nan=True)


def test_share_and_mean_against_statsmodels():
    rng = np.random.default_rng(3)
    x = (rng.random(200) < 0.3).astype(float)
    e = weighted_share(x, conf=0.9)
    lo, hi = proportion_confint(int(x.sum()), 200, alpha=0.1, method="wilson")
    assert (e.low, e.high) == pytest.approx((lo, hi))
    v = rng.normal(5, 2, 150)
    w = rng.gamma(2, 1, 150)
    m = weighted_mean(v, w)
    n_eff = w.sum() ** 2 / (w * w).sum()
    d = DescrStatsW(v, weights=w / w.sum() * n_eff)  # weights rescaled to sum to n_eff
    lo, hi = d.tconfint_mean(alpha=0.05)
    assert m.mean == pytest.approx(d.mean)
    assert (m.low, m.high) == pytest.approx((lo, hi))
    assert wilson_interval(0.5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)


def test_weighted_quantile_counts_the_lowest_value():
    # the defect of the old definition: the weight of the lowest value was ignored (median 2)
    assert weighted_quantile([1, 2, 3], [0.5], [10, 1, 1])[0] == 1.0
    # integer weights are frequencies: the same as repeating the values
    rng = np.random.default_rng(0)
    for _ in range(50):
        x = rng.integers(0, 20, 15).astype(float)
        w = rng.integers(1, 5, 15)
        qs = [0.1, 0.25, 0.5, 0.75, 0.9]
        np.testing.assert_allclose(weighted_quantile(x, qs, w),
                                   np.quantile(np.repeat(x, w), qs, method="averaged_inverted_cdf"))
        np.testing.assert_allclose(weighted_quantile(x, qs), np.quantile(x, qs, method="averaged_inverted_cdf"))
        wf = rng.gamma(1.0, 1.0, 15)
        np.testing.assert_allclose(weighted_quantile(x, qs, wf),
                                   DescrStatsW(x, weights=wf).quantile(qs, return_pandas=False))
    assert weighted_quantile([1, 2, 3, 4], [0.5])[0] == 2.5  # the usual median


def test_distribution_equals_shares_per_category():
    df = _frame(5)
    ix = GroupIndex.build(df, Design())
    codes = np.where(np.isnan(df["x"]), -1, np.clip(df["x"].fillna(0), 0, 5)).astype(int)
    w = df["w"].to_numpy()
    d = group_distribution(ix, codes, 6, w, conf=0.95)
    for k in range(6):
        ind = np.where(codes < 0, np.nan, (codes == k).astype(float))
        s = group_shares(ix, ind, w, conf=0.95)
        np.testing.assert_allclose(d["share"][:, k], s.share, equal_nan=True)
        np.testing.assert_allclose(d["low"][:, k], s.low, equal_nan=True)
        np.testing.assert_array_equal(d["n"][:, k], s.n)


def test_bh_against_statsmodels():
    rng = np.random.default_rng(2)
    p = rng.random(40) ** 3
    p[[3, 9]] = np.nan
    ok = ~np.isnan(p)
    expect = multipletests(p[ok], method="fdr_bh")[1]
    got = bh_adjust(p)
    np.testing.assert_allclose(got[ok], expect)
    assert np.isnan(got[[3, 9]]).all()


@pytest.mark.parametrize("kind", ["continuous", "table"])
@pytest.mark.parametrize("weighted", [False, True])
def test_group_tests_equal_the_plain_tests(kind, weighted):
    """One table (or one ranking) for all tests gives what chi_square / kruskal give test by test."""
    from scipy import stats as st

    from survey_analysis.stats import chi_square, group_tests, kruskal

    rng = np.random.default_rng(8)
    n = 700
    codes = rng.choice(6, n, p=[.3, .25, .2, .15, .07, .03])
    if kind == "continuous":
        x = rng.normal(codes * 0.1, 1).round(1)  # ties
    else:
        x = rng.choice(4, n, p=[.5, .3, .15, .05]).astype(float)
        x[codes == 5] = 0  # a group with one category only
    w = rng.gamma(2, 1, n) if weighted else None
    omni, pairs = group_tests(codes, x if kind == "continuous" else x.astype(int), kind, w)
    plain = kruskal if kind == "continuous" else chi_square
    np.testing.assert_allclose(omni, plain(codes, x, w), rtol=1e-9, equal_nan=True)
    for g in range(6):
        keys = np.where(codes == g, "g", "rest")
        np.testing.assert_allclose(pairs[g], plain(keys, x, w), rtol=1e-9, equal_nan=True)
    if kind == "continuous" and not weighted:
        h, p = st.kruskal(*[x[codes == g] for g in range(6)])
        assert omni[0] == pytest.approx(h) and omni[2] == pytest.approx(p)


def test_a_level_whose_column_is_all_missing_has_no_groups():
    df = pd.DataFrame({"major": pd.array([None, None, None], dtype="string"), "college": ["院一", "院一", None]})
    ix = GroupIndex.build(df, Design())
    assert ix.table["level"].tolist() == ["school", "college"]
    assert (ix.codes["major"] == -1).all() and any("专业" in n for n in ix.notes)
    s = group_shares(ix, np.array([1.0, 0.0, 1.0]), conf=0.95)
    assert s.n.tolist() == [3, 2]
