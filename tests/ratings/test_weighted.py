"""Weighted ratings statistics (a design with a weight column) against statsmodels' DescrStatsW
and the kernel's tests called directly."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from survey_analysis.design import Design
from survey_analysis.ratings import compare_groups, competency_summary
from survey_analysis.stats import kish_effective_n, kruskal


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(21)
    n = 240
    d = pd.DataFrame({"major": rng.choice(["甲", "乙", "丙"], n, p=[.5, .3, .2]),
                      "imp__practice": rng.integers(2, 6, n).astype(float),
                      "sat__practice": rng.integers(1, 6, n).astype(float),
                      "w": rng.gamma(2.0, 0.8, n)})
    d.loc[rng.random(n) < 0.1, "sat__practice"] = np.nan
    return d


def _descr(x, w):
    ok = ~np.isnan(x)
    x, w = x[ok], w[ok]
    n_eff = w.sum() ** 2 / (w ** 2).sum()
    return DescrStatsW(x, weights=w * n_eff / w.sum()), n_eff


def test_weighted_means_shares_and_counts(frame):
    t = competency_summary(frame, Design(weight="w"), by="major")
    assert t.attrs["weighted"] is True and "加权" in t.attrs["weighting"]
    for r in t.itertuples():
        rows = frame if r.level == "school" else frame[frame["major"] == r.group]
        w = rows["w"].to_numpy()
        ds, n_eff = _descr(rows["sat__practice"].to_numpy(), w)
        assert r.sat_mean == pytest.approx(ds.mean, rel=1e-12)
        lo, hi = ds.tconfint_mean(alpha=0.05)
        assert (r.sat_ci_low, r.sat_ci_high) == pytest.approx((lo, hi), rel=1e-10)
        assert r.n_sat == rows["sat__practice"].notna().sum()  # respondents, not weights
        ok = rows["sat__practice"].notna().to_numpy()
        hit = (rows["sat__practice"].to_numpy()[ok] >= 4)
        p = (w[ok] * hit).sum() / w[ok].sum()
        assert r.sat_share == pytest.approx(p, rel=1e-12)
        # the estimated number satisfied is weighted like the share beside it (issue 15)
        assert r.n_satisfied == pytest.approx((w[ok] * hit).sum(), rel=1e-12)
        lo, hi = proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson")
        assert (r.sat_share_ci_low, r.sat_share_ci_high) == pytest.approx((lo, hi), rel=1e-9)
        d = (rows["imp__practice"] - rows["sat__practice"]).to_numpy()
        ds, _ = _descr(d, w)
        assert r.gap == pytest.approx(ds.mean, rel=1e-12)
    unweighted = competency_summary(frame, by="major")
    assert not np.allclose(unweighted["sat_mean"], t["sat_mean"])


def test_weighted_comparison_uses_the_design_effect(frame):
    t = compare_groups(frame, ["sat__practice"], "major", Design(weight="w")).iloc[0]
    ok = frame["sat__practice"].notna()
    sub = frame[ok]
    h, dof, p, eps = kruskal(sub["major"].to_numpy(), sub["sat__practice"].to_numpy(), sub["w"].to_numpy())
    assert (t["statistic"], t["dof"], t["p"], t["effect_size"]) == pytest.approx((h, dof, p, eps), rel=1e-12)
    plain = compare_groups(frame, ["sat__practice"], "major").iloc[0]
    deff = len(sub) / kish_effective_n(sub["w"])
    assert t["statistic"] == pytest.approx(plain["statistic"] / deff, rel=1e-12)
