"""Weights and weighted estimators against hand formulas and statsmodels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from survey_analysis.errors import AnalysisError, ConfigError
from survey_analysis.weighting import (
    kish_effective_n,
    load_population,
    population_from_frame,
    poststratify,
    rake,
    weighted_mean,
    weighted_quantile,
    weighted_share,
    wilson_interval,
)


@pytest.mark.parametrize("count,n", [(0, 10), (3, 10), (10, 10), (47, 113), (1, 1)])
def test_wilson_matches_statsmodels(count, n):
    assert wilson_interval(count / n, n) == pytest.approx(proportion_confint(count, n, method="wilson"))
    assert wilson_interval(count / n, n, conf=0.9) == pytest.approx(
        proportion_confint(count, n, alpha=0.1, method="wilson"))


def test_wilson_empty_and_bad_conf():
    assert all(np.isnan(wilson_interval(0.5, 0)))
    with pytest.raises(ConfigError, match="置信水平"):
        wilson_interval(0.5, 10, conf=95)


def test_weighted_share_by_hand():
    x = np.array([1, 0, 1, 1, np.nan, 0])
    w = np.array([2.0, 1.0, 0.5, 1.0, 9.0, 3.0])
    est = weighted_share(x, w)
    ok = ~np.isnan(x)
    p = (w[ok] * x[ok]).sum() / w[ok].sum()
    neff = w[ok].sum() ** 2 / (w[ok] ** 2).sum()
    assert est.n == 5 and est.count == pytest.approx(3.5)  # weighted: the estimated number (2 + 0.5 + 1)
    assert est.share == pytest.approx(p) and est.n_eff == pytest.approx(neff)
    assert (est.low, est.high) == pytest.approx(proportion_confint(p * neff, neff, method="wilson"))
    unw = weighted_share(x)
    assert unw.share == pytest.approx(3 / 5) and unw.n_eff == 5
    assert kish_effective_n(np.ones(7)) == pytest.approx(7)


def test_weighted_mean_vs_descrstatsw_and_t_interval():
    rng = np.random.default_rng(7)
    x = rng.normal(5000, 900, 40)
    w = rng.uniform(0.5, 3, 40)
    est = weighted_mean(x, w)
    neff = w.sum() ** 2 / (w ** 2).sum()
    ds = DescrStatsW(x, weights=w / w.sum() * neff)
    assert est.mean == pytest.approx(np.average(x, weights=w))
    assert (est.low, est.high) == pytest.approx(ds.tconfint_mean())
    u = weighted_mean(x)
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (u.low, u.high) == pytest.approx((lo, hi))
    assert u.sd == pytest.approx(x.std(ddof=1))


def test_weighted_quantile():
    x = np.array([7.0, 1, 3, 2, 9, np.nan])
    want = np.quantile(x[:-1], [0.25, 0.5, 0.9], method="averaged_inverted_cdf")
    assert weighted_quantile(x, [0.25, 0.5, 0.9]) == pytest.approx(want)
    assert weighted_quantile(x, [0.25, 0.5, 0.9], np.full(6, 3.0)) == pytest.approx(want)  # scale-free
    # x = 1, 2, 3 with weights 1, 1, 2: cumulative 1, 2, 4; half of 4 is exactly 2 -> (2 + 3) / 2
    assert weighted_quantile([1, 2, 3], [0.5], [1, 1, 2])[0] == pytest.approx(2.5)
    assert weighted_quantile([1, 2, 3], [0.5], [1, 1, 2])[0] == pytest.approx(
        DescrStatsW(np.array([1.0, 2, 3]), weights=np.array([1.0, 1, 2])).quantile([0.5], return_pandas=False)[0])


def test_poststratify_reproduces_population_and_falls_back():
    d = pd.DataFrame({"major": ["甲"] * 4 + ["乙"] * 2 + ["丙"] * 2, "sex": list("男女男女男女男女")})
    before = d.copy()
    out = poststratify(d, pd.DataFrame({"major": ["甲", "乙", "丁"], "count": [40, 60, 25]}))
    pd.testing.assert_frame_equal(d, before)
    assert out.loc[out["major"] == "甲", "weight"].tolist() == [10.0] * 4
    assert out.loc[out["major"] == "乙", "weight"].tolist() == [30.0] * 2
    # 丙 is not in the population: average expansion factor (40 + 60) / (4 + 2)
    assert out.loc[out["major"] == "丙", "weight"].tolist() == pytest.approx([100 / 6] * 2)
    probs = pd.DataFrame(out.attrs["weighting_problems"])
    assert set(probs["check"]) == {"not_in_population", "no_respondents"}
    assert probs.loc[probs["check"] == "not_in_population", "message"].str.contains("丙").all()
    assert probs.loc[probs["check"] == "no_respondents", "message"].str.contains("丁").all()
    assert "事后分层" in out.attrs["weighting"]


def test_poststratify_major_and_sex():
    d = pd.DataFrame({"major": ["甲", "甲", "甲", "乙"], "sex": ["男", "女", "女", "男"]})
    pop = pd.DataFrame({"major": ["甲", "甲", "乙"], "sex": ["男", "女", "男"], "count": [5, 8, 3]})
    out = poststratify(d, pop, by=["major", "sex"])
    assert out["weight"].tolist() == [5.0, 4.0, 4.0, 3.0]
    with pytest.raises(ConfigError, match="人口文件没有用于加权的维度：sex"):
        poststratify(d, pd.DataFrame({"major": ["甲"], "count": [3]}), by=["major", "sex"])
    with pytest.raises(AnalysisError, match="没有一个能对上"):
        poststratify(d, {"X": 3})


def test_rake_recovers_hand_solved_2x2():
    # sample cells n_ij and a true solution w_ij = a_i * b_j; margins are what it implies
    n = {("甲", "男"): 10, ("甲", "女"): 20, ("乙", "男"): 30, ("乙", "女"): 40}
    a = {"甲": 2.0, "乙": 1.0}
    b = {"男": 1.0, "女": 3.0}
    rows = [(m, s) for (m, s), k in n.items() for _ in range(k)]
    d = pd.DataFrame(rows, columns=["major", "sex"])
    major_m = {m: sum(k * a[m] * b[s] for (mm, s), k in n.items() if mm == m) for m in a}
    sex_m = {s: sum(k * a[m] * b[s] for (m, ss), k in n.items() if ss == s) for s in b}
    assert major_m == {"甲": 140.0, "乙": 150.0} and sex_m == {"男": 50.0, "女": 240.0}
    out = rake(d, {"major": major_m, "sex": sex_m}, tol=1e-12, max_iter=500)
    assert out.attrs["converged"]
    got = out.groupby(["major", "sex"])["weight"].first()
    for (m, s), w in got.items():
        assert w == pytest.approx(a[m] * b[s], rel=1e-8)
    assert "raking" in out.attrs["weighting"]


def test_rake_reports_problems():
    d = pd.DataFrame({"major": ["甲", "甲", "乙", "丙"], "sex": ["男", "女", "男", "女"]})
    out = rake(d, {"major": {"甲": 10, "乙": 10, "丁": 5}, "sex": {"男": 10, "女": 20}})
    msgs = " ".join(p["message"] for p in out.attrs["weighting_problems"])
    assert "丙" in msgs and "丁" in msgs and "合计" in msgs
    with pytest.raises(AnalysisError, match="缺少必需的列：college"):
        rake(d, {"college": {"x": 1}})
    with pytest.raises(ConfigError, match="负数或缺失"):
        rake(d, {"major": {"甲": -1}})


def test_population_from_roster_drops_personal_data(tmp_path):
    roster = pd.DataFrame({
        "学号": ["2020001", "2020002", "2020003", "2020004"],
        "姓名": ["张三", "李四", "王五", "赵六"],
        "性别": ["男", "女", "女", "男"],
        "手机号": ["13800000001", "13800000002", "13800000003", "13800000004"],
        "学院": ["经济管理学院"] * 3 + ["人文与外国语学院"],
        "专业": ["会计学", "会计学", "金融学", "英语"],
    })
    pop = population_from_frame(roster)
    assert pop.attrs["kind"] == "roster"
    assert set(pop.columns) == {"major", "sex", "college", "count"}
    assert pop.groupby("major")["count"].sum().to_dict() == {"会计学": 2, "英语": 1, "金融学": 1}
    assert not pop.astype(str).apply(lambda s: s.str.contains("张三|1380000")).any().any()
    path = tmp_path / "roster.csv"
    roster.to_csv(path, index=False, encoding="utf-8-sig")
    loaded = load_population(path)
    assert loaded.groupby("major")["count"].sum().to_dict() == {"会计学": 2, "英语": 1, "金融学": 1}
    assert "姓名" not in loaded.columns and "name" not in loaded.columns


def test_population_counts_table_and_errors(tmp_path):
    counts = pd.DataFrame({"专业": ["会计学", "英语"], "人数": ["120", "80"]})
    pop = population_from_frame(counts)
    assert pop.attrs["kind"] == "counts" and pop.set_index("major")["count"].to_dict() == {"会计学": 120, "英语": 80}
    with pytest.raises(ConfigError, match="缺少必需的列：专业"):
        population_from_frame(pd.DataFrame({"学院": ["x"], "人数": [3]}))
    with pytest.raises(ConfigError, match="人数列中有不是非负数字的值"):
        population_from_frame(pd.DataFrame({"专业": ["会计学"], "人数": ["很多"]}))
    with pytest.raises(Exception, match="找不到人口"):
        load_population(tmp_path / "nope.csv")


def test_weighted_frames_can_be_concatenated():
    d = pd.DataFrame({"major": ["甲", "乙", "甲"]})
    a = poststratify(d, {"甲": 4, "乙": 6})
    b = poststratify(d, {"甲": 4, "乙": 8, "丙": 1})
    both = pd.concat([a, b], ignore_index=True)  # attrs hold plain values only
    assert both["weight"].tolist() == [2.0, 6.0, 2.0, 2.0, 8.0, 2.0]


# ----------------------------------------------------------------------------------------
# the kernel's column codes and the outcome definitions against their plain versions
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["string", "str", object])
def test_per_distinct_equals_the_elementwise_transform(dtype):
    from survey_analysis.stats.codes import per_distinct

    rng = np.random.default_rng(1)
    vals = np.array([" 软件工程 ", "软件工程", "英语（卓越班）", "英语(卓越班)", "ｆｕｌｌ", "", "  "], dtype=object)
    s = pd.Series(rng.choice(vals, 5000), index=np.arange(5000) * 7, name="major")
    s[rng.random(5000) < 0.1] = None
    s = s.astype(dtype)

    def f(x):
        return x.astype("string").str.normalize("NFKC").str.strip()

    pd.testing.assert_series_equal(per_distinct(s, f), f(s), check_exact=True)


def test_multi_select_codes_equal_the_row_parser():
    from survey_analysis.stats import multi_codes, multi_indicator

    rng = np.random.default_rng(2)
    vals = np.array(["甲┋乙", "乙┋甲", " 甲 ┋", "┋", "", "丙", None, "以上均不需改进┋丙", "以上均不需改进"], dtype=object)
    s = pd.Series(rng.choice(vals, 3000)).astype("string")
    rows = [None if v is None or pd.isna(v) else (frozenset(o.strip() for o in v.split("┋") if o.strip()) or None)
            for v in s.astype(object)]
    codes, sets = multi_codes(s)
    assert [sets[c] if c >= 0 else None for c in codes] == rows
    for opt in ("甲", "丙", "以上均不需改进", "没有"):
        np.testing.assert_array_equal(multi_indicator(codes, sets, lambda x: x is not None and opt in x),
                                      np.array([float(x is not None and opt in x) for x in rows]))


@pytest.mark.parametrize("dtype", ["string", "str", object])
@pytest.mark.parametrize("n", [0, 7, 3000])
def test_text_codes_equal_factorising_the_stripped_column(dtype, n):
    from survey_analysis.stats import stripped, text_codes

    rng = np.random.default_rng(11)
    vals = np.array([" 甲 ", "甲", "甲\u3000", "乙", "", "  ", "丙 ", None], dtype=object)
    s = pd.Series(rng.choice(vals, n), index=np.arange(n) * 3, name="major").astype(dtype)
    codes, names = text_codes(s)
    want_codes, want_names = pd.factorize(s.astype("string").str.strip())
    np.testing.assert_array_equal(codes, want_codes)
    pd.testing.assert_index_equal(names, want_names, exact=True)
    pd.testing.assert_series_equal(stripped(s), s.astype("string").str.strip())


def test_destination_flags_and_changed_jobs_equal_the_label_definitions():
    from survey_analysis.design import Design
    from survey_analysis.outcomes import DESTINATIONS, PlacementDefinition
    from survey_analysis.outcomes.base import destination_flags, prepare
    from survey_analysis.outcomes.job_quality import changed_jobs

    rng = np.random.default_rng(12)
    n = 4000
    dests = [*DESTINATIONS, " 在国内工作 ", "在国内工作\t", "去火星", "", None]
    d = pd.DataFrame({"destination": rng.choice(np.array(dests, dtype=object), n),
                      "job_changes": rng.choice(np.array(["0次", " 0次", "1次", "2次及以上", "", None], dtype=object), n)},
                     index=np.arange(n) * 5).astype("string")
    dest = d["destination"].astype("string").str.strip()
    for definition in (PlacementDefinition.xinjincheng(), PlacementDefinition.mycos()):
        s = prepare(d, Design(placement=definition, levels=("school",)))
        f = destination_flags(s)
        missing = dest.isna().to_numpy()
        isin = lambda labels: dest.isin(list(labels)).fillna(False).to_numpy(dtype=bool)  # noqa: E731
        unknown = ~missing & ~isin(definition.known)
        in_base = ~missing & ~unknown & ~isin(definition.excluded)
        np.testing.assert_array_equal(f.missing, missing)
        np.testing.assert_array_equal(f.unknown, unknown)
        np.testing.assert_array_equal(f.in_base, in_base)
        np.testing.assert_array_equal(f.excluded, isin(definition.excluded) & ~missing)
        np.testing.assert_array_equal(f.rates["placed"], np.where(in_base, isin(definition.placed), np.nan))
        np.testing.assert_array_equal(f.in_work, isin(definition.employed) & ~unknown)
    v = d["job_changes"].str.strip()
    want = np.where(v.isna(), np.nan, np.where(v.str.startswith("0").fillna(False).to_numpy(dtype=bool), 0.0, 1.0))
    np.testing.assert_array_equal(changed_jobs(prepare(d, Design(levels=("school",)))), want)


def test_employment_distribution_categories_in_order_of_first_worker():
    # equal counts keep the order in which workers first named them: 制造业, first named by
    # someone not in work, comes after 金融业
    from survey_analysis.outcomes import outcome_tables

    n = 1200
    d = pd.DataFrame({"major": ["甲"] * n,
                      "destination": (["暂不就业"] * 2 + ["在国内工作"] * 4) * (n // 6),
                      "industry": (["制造业", "教育"] + [" 金融业", "制造业", "金融业 ", "制造业\u3000"]) * (n // 6)})
    t = outcome_tables(d.astype("string"), by=("school",))["employment_distribution"]
    t = t[t["dimension"] == "industry"]
    assert t["category"].tolist() == ["金融业", "制造业"]
    assert t["count"].tolist() == [400, 400]


def test_rake_against_a_reference_ipf_on_the_cell_table():
    """Respondent weights of rake() against classic IPF on the major × sex table (Deming–Stephan):
    fit the cell totals to the margins, a respondent's weight = fitted cell total / cell count."""
    rng = np.random.default_rng(21)
    d = pd.DataFrame({"major": rng.choice(["甲", "乙", "丙"], 400, p=[.5, .3, .2]),
                      "sex": rng.choice(["男", "女"], 400, p=[.3, .7])})
    margins = {"major": {"甲": 900.0, "乙": 700.0, "丙": 400.0}, "sex": {"男": 1100.0, "女": 900.0}}
    out = rake(d, margins, tol=1e-12, max_iter=1000)
    assert out.attrs["converged"]
    table = pd.crosstab(d["major"], d["sex"]).astype(float)
    fit = table.copy()
    for _ in range(1000):
        fit = fit.mul(pd.Series(margins["major"]) / fit.sum(axis=1), axis=0)
        fit = fit.mul(pd.Series(margins["sex"]) / fit.sum(axis=0), axis=1)
    expect = (fit / table).stack()
    got = out.groupby(["major", "sex"])["weight"].first()
    for key, w in got.items():
        assert w == pytest.approx(expect[key], rel=1e-8)


def test_rake_converges_when_a_respondent_lacks_a_category():
    """A respondent without a value on one margin keeps that margin's weight; the others are raked
    to the margin's proportions, so the margins no longer contradict each other."""
    rng = np.random.default_rng(5)
    d = pd.DataFrame({"major": rng.choice(["甲", "乙"], 300), "sex": rng.choice(["男", "女"], 300)})
    d.loc[d.index[:20], "sex"] = None
    margins = {"major": {"甲": 600.0, "乙": 400.0}, "sex": {"男": 450.0, "女": 550.0}}
    out = rake(d, margins, tol=1e-10, max_iter=500)
    assert out.attrs["converged"]
    w = out["weight"]
    by_major = w.groupby(d["major"]).sum()
    assert by_major["甲"] == pytest.approx(600) and by_major["乙"] == pytest.approx(400)
    known = d["sex"].notna()
    share = w[known].groupby(d.loc[known, "sex"]).sum() / w[known].sum()
    assert share["男"] == pytest.approx(450 / 1000) and share["女"] == pytest.approx(550 / 1000)
    assert any("不在边际分布中" in p["message"] for p in out.attrs["weighting_problems"])
