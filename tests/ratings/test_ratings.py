"""Tests of survey_analysis.ratings: every number is checked against an independent computation
(scipy / statsmodels called directly, or a formula written out by hand)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from survey_analysis.errors import AnalysisError, ConfigError, SurveyError
from survey_analysis.ratings import (
    QUADRANTS,
    SCHOOL,
    coerce_ratings,
    compare_groups,
    competency_labels,
    competency_summary,
    cronbach_alpha,
    ipa,
    problems_table,
    key_drivers,
    reliability,
)

T_975_DF4 = 2.7764451051977987  # t quantile 0.975 with 4 degrees of freedom (tables)


# ---------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------
@pytest.fixture
def small():
    """Five employers rating two competencies; one cannot judge 'theory'."""
    return pd.DataFrame(
        {
            "source_row": [2, 3, 4, 5, 6],
            "major": ["软件工程"] * 5,
            "imp__practice": [5, 5, 4, 4, 3.0],
            "sat__practice": [4, 3, 4, 5, 2.0],
            "imp__theory": [3, 4, np.nan, 4, 5.0],
            "sat__theory": [3, 3, np.nan, 2, 1.0],
        }
    )


@pytest.fixture
def grouped():
    """Three majors of sizes 6, 5 and 1 (the last must be suppressed)."""
    rng = np.random.default_rng(7)
    n = 12
    return pd.DataFrame(
        {
            "major": ["会计学"] * 5 + ["软件工程"] * 6 + ["英语"],
            "imp__practice": rng.integers(3, 6, n).astype(float),
            "sat__practice": rng.integers(1, 6, n).astype(float),
        }
    )


# ---------------------------------------------------------------------------------------
# resources
# ---------------------------------------------------------------------------------------
def test_competency_labels_come_from_the_questionnaire():
    labels = competency_labels()
    assert labels["practice"] == "实践动手能力"
    assert labels["foreign_language"] == "外语能力"
    assert len(labels) == 15
    assert list(labels)[0] == "ethics"


def test_unknown_questionnaire_is_a_config_error():
    with pytest.raises(ConfigError, match="找不到内置问卷"):
        competency_labels("nope")


# ---------------------------------------------------------------------------------------
# competency_summary
# ---------------------------------------------------------------------------------------
def test_summary_means_and_t_interval_by_hand(small):
    t = competency_summary(small).set_index("competency")
    row = t.loc["practice"]
    assert row["group"] == SCHOOL
    assert row["n_imp"] == 5 and row["n_sat"] == 5
    # importance 5,5,4,4,3: mean 4.2, sd sqrt(0.7)
    half = T_975_DF4 * math.sqrt(0.7) / math.sqrt(5)
    assert row["imp_mean"] == pytest.approx(4.2)
    assert row["imp_ci_low"] == pytest.approx(4.2 - half)
    assert row["imp_ci_high"] == pytest.approx(4.2 + half)
    # satisfaction 4,3,4,5,2: mean 3.6, sd sqrt(1.3)
    half = T_975_DF4 * math.sqrt(1.3) / math.sqrt(5)
    assert row["sat_mean"] == pytest.approx(3.6)
    assert row["sat_ci_low"] == pytest.approx(3.6 - half)
    assert row["sat_ci_high"] == pytest.approx(3.6 + half)
    assert row["label"] == "实践动手能力"


def test_summary_satisfied_share_top2_top3_and_wilson(small):
    t2 = competency_summary(small, satisfied="top2").set_index("competency").loc["practice"]
    t3 = competency_summary(small, satisfied="top3").set_index("competency").loc["practice"]
    # scores 4,3,4,5,2 → ≥4: 3 of 5; ≥3: 4 of 5
    assert t2["sat_share"] == pytest.approx(0.6)
    assert t3["sat_share"] == pytest.approx(0.8)
    lo, hi = proportion_confint(3, 5, alpha=0.05, method="wilson")
    assert (t2["sat_share_ci_low"], t2["sat_share_ci_high"]) == pytest.approx((lo, hi))
    lo, hi = proportion_confint(4, 5, alpha=0.05, method="wilson")
    assert (t3["sat_share_ci_low"], t3["sat_share_ci_high"]) == pytest.approx((lo, hi))
    lo90, hi90 = proportion_confint(3, 5, alpha=0.10, method="wilson")
    t90 = competency_summary(small, conf=0.90).set_index("competency").loc["practice"]
    assert (t90["sat_share_ci_low"], t90["sat_share_ci_high"]) == pytest.approx((lo90, hi90))


def test_summary_gap_is_paired_on_respondents_who_rated_both():
    d = pd.DataFrame(
        {
            "imp__practice": [5, 5, 4, 4, 3, 5, 4.0],
            "sat__practice": [4, 3, 4, 5, 2, np.nan, 3.0],
        }
    )
    row = competency_summary(d).iloc[0]
    both = d.dropna()
    ci = stats.ttest_rel(both["imp__practice"], both["sat__practice"]).confidence_interval(0.95)
    assert row["n_pair"] == 6
    assert row["gap"] == pytest.approx((both["imp__practice"] - both["sat__practice"]).mean())
    assert (row["gap_ci_low"], row["gap_ci_high"]) == pytest.approx((ci.low, ci.high))


def test_summary_na_mask_reported_and_excluded_from_denominator(small):
    na = pd.DataFrame(False, index=small.index, columns=["imp__theory", "sat__theory"])
    na.loc[2, ["imp__theory", "sat__theory"]] = True  # the employer who answered 无法评价
    t = competency_summary(small, na_mask=na, min_cell=4).set_index("competency").loc["theory"]
    assert t["n_imp"] == 4 and t["n_imp_na"] == 1
    assert t["n_sat"] == 4 and t["n_sat_na"] == 1
    assert t["imp_mean"] == pytest.approx(4.0)  # (3+4+4+5)/4, not /5
    assert t["sat_share"] == pytest.approx(0.0)
    # numeric columns without a mask: the count of 无法评价 is unknown (NaN), not 0
    assert competency_summary(small)["n_imp_na"].isna().all()
    part = competency_summary(small, na_mask=na[["sat__theory"]], min_cell=4).set_index("competency")
    assert pd.isna(part.loc["theory", "n_imp_na"]) and part.loc["theory", "n_sat_na"] == 1
    assert part.loc["theory", "n_imp"] == 4  # without the mask the NaN is still not scored


def test_summary_text_labels_are_scored_and_unknown_text_reported():
    d = pd.DataFrame(
        {
            "source_row": [2, 3, 4, 5, 6, 7],
            "sat__practice": pd.array(["很满意", "A.满意", "4", "abc", "无法评价", "比较满意"], dtype="string"),
            "imp__practice": [5, 5, 4, 4, 3, 99.0],
        }
    )
    t = competency_summary(d, min_cell=1)
    row = t.iloc[0]
    # 很满意=5, 满意=4, "4"=4, 比较满意=4; abc unknown; 无法评价 is not scored
    assert row["n_sat"] == 4
    assert row["sat_mean"] == pytest.approx((5 + 4 + 4 + 4) / 4)
    assert row["n_sat_na"] == 1
    # 99 is outside 1..5
    assert row["n_imp"] == 5
    probs = problems_table(t)
    assert set(probs["check"]) == {"unrecognised_label", "out_of_range"}
    abc = probs[probs["failure_case"] == "abc"].iloc[0]
    assert abc["column"] == "sat__practice" and abc["row"] == 5
    assert "无法识别的评价「abc」" in abc["message"]
    assert probs.loc[probs["check"] == "out_of_range", "row"].tolist() == [7]
    assert any("1 列（「sat__practice」）含文字评价" in n for n in t.attrs["notes"])


def test_summary_groups_sorted_school_first_and_singleton_suppressed(grouped):
    t = competency_summary(grouped, by="major")
    assert t["group"].tolist() == [SCHOOL, "软件工程", "会计学", "英语"]
    # 英语 (n=1) is hidden; 会计学 (n=5) is hidden too (complementary suppression), otherwise
    # 英语 = 全校 − 软件工程 − 会计学 could be worked out by subtraction
    assert t["n"].tolist()[:2] == [12, 6] and t["n"].iloc[2:].isna().all()
    assert t["suppressed"].tolist() == [False, False, True, True]
    single = t[t["group"] == "英语"].iloc[0]
    assert bool(single["suppressed"]) and pd.isna(single["n"]) and np.isnan(single["sat_mean"])
    assert "已隐藏" in single["note"]
    # issue 15: a hidden group is named, never with its n (the old note said "仅 1 名受访者")
    hidden_note = [n for n in t.attrs["notes"] if "「英语」" in n]
    assert hidden_note and "「会计学」" in hidden_note[0] and "1 名" not in " ".join(t.attrs["notes"])
    # the school row includes the singleton
    sw = grouped.loc[grouped["major"] == "软件工程", "sat__practice"]
    assert t[t["group"] == "软件工程"]["sat_mean"].iloc[0] == pytest.approx(sw.mean())
    assert t[t["group"] == SCHOOL]["sat_mean"].iloc[0] == pytest.approx(grouped["sat__practice"].mean())


def test_summary_competency_nobody_rated(small):
    d = small.assign(imp__innovation=np.nan, sat__innovation=np.nan)
    t = competency_summary(d).set_index("competency")
    row = t.loc["innovation"]
    assert row["n_imp"] == 0 and row["n_sat"] == 0
    assert np.isnan(row["imp_mean"]) and np.isnan(row["sat_share"]) and np.isnan(row["gap"])
    assert "无人评价" in row["note"]
    assert any("创新能力" in n and "无人评价" in n for n in t.attrs["notes"])


def test_summary_thin_measure_hidden(small):
    # theory has 4 valid ratings: below min_cell=5 the row is hidden.  Issue 15: the counts of a
    # hidden cell are hidden too (they used to be printed: n_imp == 4)
    row = competency_summary(small).set_index("competency").loc["theory"]
    assert bool(row["suppressed"]) and pd.isna(row["n_imp"]) and pd.isna(row["n"]) and np.isnan(row["imp_mean"])
    assert "少于 5" in row["note"]


def test_summary_does_not_modify_input(small):
    before = small.copy(deep=True)
    d = small.assign(sat__practice=small["sat__practice"].astype(object))
    d.loc[0, "sat__practice"] = "很满意"
    d_before = d.copy(deep=True)
    competency_summary(small, by="major")
    competency_summary(d)
    pd.testing.assert_frame_equal(small, before)
    pd.testing.assert_frame_equal(d, d_before)


def test_summary_bad_parameters(small):
    with pytest.raises(ConfigError, match="满意度口径（satisfied）只能是 top2 或 top3"):
        competency_summary(small, satisfied="top4")
    with pytest.raises(SurveyError, match="缺少必需的分组列：college"):
        competency_summary(small, by="college")
    with pytest.raises(SurveyError, match="imp__nothing"):
        competency_summary(small, competencies=["nothing"])
    with pytest.raises(AnalysisError, match="没有能力评价列"):
        competency_summary(pd.DataFrame({"x": [1, 2]}))


def test_scale_with_a_missing_label():
    # a 3-point scale given without its middle label: 较满意 cannot be scored
    d = pd.DataFrame({"sat__practice": ["满意", "较满意", "不满意", "满意", "满意", "满意"]})
    t = competency_summary(d, scale={"满意": 3, "不满意": 1}, min_cell=1)
    row = t.iloc[0]
    assert row["n_sat"] == 5
    assert row["sat_mean"] == pytest.approx((3 * 4 + 1) / 5)
    # top2 on a 3-point scale = score ≥ 2
    assert row["sat_share"] == pytest.approx(4 / 5)
    probs = problems_table(t)
    assert "scale_missing_label" in set(probs["check"])
    assert probs.loc[probs["check"] == "unrecognised_label", "failure_case"].tolist() == ["较满意"]
    assert any("缺少得分为 2 的标签" in n for n in t.attrs["notes"])


def test_coerce_ratings_example():
    d = pd.DataFrame({"sat__practice": ["很满意", "3", "abc", "无法评价", None, ""]})
    r = coerce_ratings(d)
    assert r.data["sat__practice"].iloc[:4].tolist()[:2] == [5.0, 3.0]
    assert r.data["sat__practice"].isna().tolist() == [False, False, True, True, True, True]
    assert r.na_mask["sat__practice"].tolist() == [False, False, False, True, False, False]
    assert r.problems["failure_case"].tolist() == ["abc"]
    assert r.problems["row"].tolist() == [2]  # index when there is no source_row


def test_importance_column_uses_importance_labels():
    d = pd.DataFrame({"imp__practice": ["很重要", "比较重要", "不太重要", "非常不重要"]})
    assert coerce_ratings(d).data["imp__practice"].tolist() == [5.0, 4.0, 2.0, 1.0]


# ---------------------------------------------------------------------------------------
# IPA
# ---------------------------------------------------------------------------------------
def _ipa_frame():
    """Four competencies, one per quadrant, five respondents each (constant ratings).

    means: a imp 5 sat 2 (concentrate), b imp 5 sat 5 (keep up), c imp 2 sat 2 (low
    priority), d imp 2 sat 5 (overkill); grand means 3.5 / 3.5.
    """
    means = {"a": (5, 2), "b": (5, 5), "c": (2, 2), "d": (2, 5)}
    cols = {}
    for code, (i, s) in means.items():
        cols[f"imp__{code}"] = [float(i)] * 5
        cols[f"sat__{code}"] = [float(s)] * 5
    return pd.DataFrame(cols)


def test_ipa_quadrants_on_hand_built_example():
    res = ipa(_ipa_frame()).set_index("competency")
    assert res["quadrant"].to_dict() == {"a": "concentrate", "b": "keep_up", "c": "low_priority", "d": "overkill"}
    assert res.loc["a", "quadrant_zh"] == QUADRANTS["concentrate"]
    assert "重点改进" in res.loc["a", "quadrant_zh"]
    assert (res["imp_line"] == 3.5).all() and (res["sat_line"] == 3.5).all()


def test_ipa_lines_median_and_fixed():
    d = _ipa_frame().assign(imp__e=[4.0] * 5, sat__e=[4.5] * 5)
    med = ipa(d, cross="median")
    imp_means = [5, 5, 2, 2, 4]
    sat_means = [2, 5, 2, 5, 4.5]
    assert med["imp_line"].iloc[0] == pytest.approx(np.median(imp_means))
    assert med["sat_line"].iloc[0] == pytest.approx(np.median(sat_means))
    gm = ipa(d)
    assert gm["imp_line"].iloc[0] == pytest.approx(np.mean(imp_means))
    # fixed (importance, satisfaction) lines: e (4, 4.5) is keep_up at (4, 4.5), overkill at (4.5, 4)
    fixed = ipa(d, cross=(4.5, 4.0)).set_index("competency")
    assert fixed.loc["e", "quadrant"] == "overkill"
    fixed = ipa(d, cross=(4.0, 4.5)).set_index("competency")
    assert fixed.loc["e", "quadrant"] == "keep_up"  # on the line counts as high
    with pytest.raises(ConfigError, match="交叉线"):
        ipa(d, cross="mode")


def test_ipa_per_major_uses_each_groups_lines():
    a = _ipa_frame().assign(major="甲")
    b = _ipa_frame().assign(major="乙")
    # in 乙, swap importance and satisfaction so concentrate <-> overkill
    for code in "abcd":
        b[f"imp__{code}"], b[f"sat__{code}"] = a[f"sat__{code}"].to_numpy(), a[f"imp__{code}"].to_numpy()
    res = ipa(pd.concat([a, b], ignore_index=True), by="major")
    q = res.set_index(["group", "competency"])["quadrant"]
    assert q[("甲", "a")] == "concentrate" and q[("乙", "a")] == "overkill"
    assert q[("甲", "d")] == "overkill" and q[("乙", "d")] == "concentrate"
    assert res["group"].iloc[0] == SCHOOL


# ---------------------------------------------------------------------------------------
# Cronbach's alpha
# ---------------------------------------------------------------------------------------
ALPHA_DATA = pd.DataFrame(
    {
        "sat__a": [4, 5, 3, 4, 2, 5, 3, 4.0],
        "sat__b": [4, 4, 3, 5, 2, 5, 2, 4.0],
        "sat__c": [3, 5, 2, 4, 3, 4, 3, 5.0],
        "sat__d": [4, 5, 3, 3, 1, 5, 2, 4.0],
    }
)


def test_cronbach_alpha_hand_formula_and_feldt_interval():
    x = ALPHA_DATA.to_numpy()
    n, k = x.shape
    # the textbook formula, written out
    item_vars = [sum((v - sum(col) / n) ** 2 for v in col) / (n - 1) for col in x.T]
    totals = x.sum(axis=1)
    total_var = sum((t - totals.mean()) ** 2 for t in totals) / (n - 1)
    alpha = k / (k - 1) * (1 - sum(item_vars) / total_var)
    # and the covariance form: k * mean covariance / (mean variance + (k-1) mean covariance)
    cov = np.cov(x, rowvar=False)
    mean_cov = (cov.sum() - np.trace(cov)) / (k * (k - 1))
    alt = k * mean_cov / (np.trace(cov) / k + (k - 1) * mean_cov)
    assert alpha == pytest.approx(alt)
    r = cronbach_alpha(ALPHA_DATA, list(ALPHA_DATA))
    assert r.alpha == pytest.approx(alpha)
    assert (r.n, r.k, r.n_dropped) == (8, 4, 0)
    # Feldt: (1 - rho) / (1 - alpha_hat) ~ F(n-1, (n-1)(k-1))
    lo = 1 - (1 - alpha) * stats.f.ppf(0.975, n - 1, (n - 1) * (k - 1))
    hi = 1 - (1 - alpha) * stats.f.ppf(0.025, n - 1, (n - 1) * (k - 1))
    assert (r.ci_low, r.ci_high) == pytest.approx((lo, hi))
    assert r.ci_low < r.alpha < r.ci_high


def test_cronbach_alpha_listwise_and_errors():
    d = ALPHA_DATA.copy()
    d.loc[0, "sat__a"] = np.nan
    r = cronbach_alpha(d, list(d))
    assert (r.n, r.n_dropped) == (7, 1)
    assert r.alpha == pytest.approx(cronbach_alpha(ALPHA_DATA.iloc[1:], list(d)).alpha)
    with pytest.raises(AnalysisError, match="至少需要两个题项"):
        cronbach_alpha(d, ["sat__a"])
    with pytest.raises(AnalysisError, match="不足 2 人"):
        cronbach_alpha(d.iloc[:1], list(d))
    with pytest.raises(AnalysisError, match="总分相同"):
        cronbach_alpha(pd.DataFrame({"a": [3.0] * 4, "b": [3.0] * 4}), ["a", "b"])


def test_reliability_per_grid():
    d = ALPHA_DATA.copy()
    for c in list(ALPHA_DATA):
        d["imp__" + c[5:]] = 6 - ALPHA_DATA[c]
    d["imp__z"] = np.nan  # nobody rated it: left out of alpha, said
    t = reliability(d).set_index("grid")
    assert list(t.index) == ["imp__", "sat__"]
    assert t.loc["sat__", "alpha"] == pytest.approx(cronbach_alpha(ALPHA_DATA, list(ALPHA_DATA)).alpha)
    assert t.loc["imp__", "k"] == 4
    assert any("无人评价" in n for n in t.attrs["notes"])
    # a grid that cannot be analysed gets a note, not an exception
    t1 = reliability(pd.DataFrame({"sat__a": [1.0, 2.0], "sat__b": [np.nan, 3.0]}))
    assert np.isnan(t1["alpha"].iloc[0]) and "不足 2 人" in t1["note"].iloc[0]


# ---------------------------------------------------------------------------------------
# group comparisons
# ---------------------------------------------------------------------------------------
@pytest.fixture
def three_majors():
    return pd.DataFrame(
        {
            "major": ["甲"] * 6 + ["乙"] * 6 + ["丙"] * 5 + ["丁"] * 2,
            "sat__practice": [5, 5, 4, 5, 4, 3, 3, 2, 3, 4, 2, 3, 4, 4, 3, 5, 3, 1, 1.0],
            "sat__theory": [4, 4, 3, 4, 5, 4, 4, 3, 4, 4, 5, 3, 2, 3, 3, 4, 2, 5, 5.0],
        }
    )


def test_kruskal_and_epsilon_squared_against_scipy(three_majors):
    t = compare_groups(three_majors, ["sat__practice", "sat__theory"], "major").set_index("item")
    for item in ["sat__practice", "sat__theory"]:
        # 丁 has 2 < 5 respondents; issue 15: 丙 (5, the smallest other major) is hidden with it,
        # else 丁 = 全校 − 甲 − 乙 − 丙 (the test's n was 17 = 19 − 2 before), and neither n is printed
        d = three_majors[three_majors["major"].isin(["甲", "乙"])]
        h, p = stats.kruskal(*[d.loc[d["major"] == g, item] for g in ["甲", "乙"]])
        row = t.loc[item]
        assert row["statistic"] == pytest.approx(h) and row["p"] == pytest.approx(p)
        assert row["effect_size"] == pytest.approx(h * (12 + 1) / (12**2 - 1))  # H / ((n²-1)/(n+1))
        assert row["n"] == 12 and row["n_groups"] == 2 and row["dof"] == 1
        assert row["excluded_groups"] == "丙、丁"
    # Benjamini–Hochberg by hand for two tests
    p = t["p"].to_numpy()
    lo, hi = sorted(p)
    bh = {lo: min(lo * 2 / 1, hi), hi: hi}
    assert t["p_adj"].to_numpy() == pytest.approx([bh[v] for v in p])
    assert t.loc["sat__practice", "label"] == "实践动手能力（满意度）"
    groups = pd.DataFrame(t.attrs["groups"])
    assert not groups.loc[groups["group"].isin(["丙", "丁"]), "included"].any()
    assert groups.loc[groups["group"].isin(["丙", "丁"]), "n"].isna().all()
    assert not any(ch.isdigit() for note in t.attrs["notes"] for ch in note.split("：")[-1])


def test_chi_square_and_cramers_v_against_scipy(three_majors):
    t = compare_groups(three_majors, ["sat__practice"], ["major"], kind="share").iloc[0]
    table = np.array([[5, 1], [1, 5]])  # ≥4 vs <4 in 甲, 乙 (丙 and 丁 hidden, see above)
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    assert t["statistic"] == pytest.approx(chi2) and t["p"] == pytest.approx(p) and t["dof"] == dof
    assert t["effect_size"] == pytest.approx(math.sqrt(chi2 / (12 * 1)))
    t3 = compare_groups(three_majors, ["sat__practice"], "major", kind="share", satisfied="top3").iloc[0]
    chi2_3 = stats.chi2_contingency(np.array([[6, 0], [4, 2]]), correction=False)[0]
    assert t3["statistic"] == pytest.approx(chi2_3)


def test_compare_groups_degenerate_cases(three_majors):
    d = three_majors.assign(sat__same=4.0)
    t = compare_groups(d, ["sat__same"], "major").iloc[0]
    assert np.isnan(t["p"]) and "所有评价相同" in t["note"]
    t = compare_groups(d, ["sat__same"], "major", kind="share").iloc[0]
    assert np.isnan(t["p"]) and "都满意" in t["note"]
    t = compare_groups(three_majors, ["sat__practice"], "major", min_cell=6).iloc[0]
    assert t["n_groups"] == 2
    t = compare_groups(three_majors, ["sat__practice"], "major", min_cell=7).iloc[0]
    assert t["n_groups"] == 0 and "不足两个" in t["note"] and np.isnan(t["p_adj"])
    with pytest.raises(ConfigError, match="未知的比较类型"):
        compare_groups(three_majors, None, "major", kind="mean")


# ---------------------------------------------------------------------------------------
# key drivers
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def drivers_data():
    rng = np.random.default_rng(2022)
    n = 300
    practice = rng.integers(1, 6, n).astype(float)
    teamwork = rng.integers(1, 6, n).astype(float)
    office = rng.integers(1, 6, n).astype(float)
    latent = 0.9 * practice + 0.3 * teamwork + rng.logistic(size=n)
    overall = np.digitize(latent, np.quantile(latent, [0.1, 0.3, 0.6, 0.85])) + 1.0
    d = pd.DataFrame({"sat__practice": practice, "sat__teamwork": teamwork, "sat__office": office,
                      "overall_satisfaction": overall})
    d.loc[:9, "sat__office"] = np.nan  # ten incomplete cases
    return d


def test_key_drivers_against_direct_ordered_model(drivers_data):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    preds = ["sat__practice", "sat__teamwork", "sat__office"]
    res = key_drivers(drivers_data, predictors=preds)
    assert res.attrs["n"] == 290 and res.attrs["n_dropped"] == 10
    cc = drivers_data.dropna()
    direct = OrderedModel(cc["overall_satisfaction"].astype(int), cc[preds], distr="logit").fit(
        method="newton", disp=False)
    r = res.set_index("predictor")
    for p in preds:
        assert r.loc[p, "coef"] == pytest.approx(direct.params[p], rel=1e-3, abs=1e-4)
        assert r.loc[p, "odds_ratio"] == pytest.approx(math.exp(direct.params[p]), rel=1e-3)
        lo, hi = direct.conf_int(alpha=0.05).loc[p]
        assert r.loc[p, "or_ci_low"] == pytest.approx(math.exp(lo), rel=1e-3)
        assert r.loc[p, "or_ci_high"] == pytest.approx(math.exp(hi), rel=1e-3)
        assert r.loc[p, "p"] == pytest.approx(direct.pvalues[p], rel=1e-2, abs=1e-8)
    assert res["predictor"].iloc[0] == "sat__practice" and res["rank"].tolist() == [1, 2, 3]
    top = res.iloc[0]
    orr = f"{top['odds_ratio']:.1f}"
    # issue 17: "几率" was read as probability; the reading now says odds, not probability, and
    # gives the change in probability of a satisfied overall rating in percentage points
    assert top["reading"].startswith(f"对“实践动手能力”的满意度每高 1 分，总体满意度高一级的优势（odds，不是概率）"
                                     f"约为原来的 {orr} 倍（95% 置信区间 ")
    assert f"{top['ame'] * 100:.1f} 个百分点" in top["reading"]
    assert bool(top["significant"])


def test_key_drivers_default_predictors_and_constant_predictor(drivers_data):
    d = drivers_data.assign(sat__ethics=4.0, sat__integrity=np.nan)
    res = key_drivers(d)
    assert set(res["predictor"]) == {"sat__practice", "sat__teamwork", "sat__office"}
    notes = " ".join(res.attrs["notes"])
    assert "sat__ethics" in notes and "无变异" in notes and "sat__integrity" in notes


def test_key_drivers_cannot_fit(drivers_data):
    with pytest.raises(AnalysisError, match="受访者太少"):
        key_drivers(drivers_data.iloc[:20], predictors=["sat__practice"])
    with pytest.raises(AnalysisError, match="总体满意度没有变化"):
        key_drivers(drivers_data.assign(overall_satisfaction=5.0))
    with pytest.raises(AnalysisError, match="都没有变化"):
        key_drivers(drivers_data.assign(sat__practice=3.0), predictors=["sat__practice"])
    with pytest.raises(ConfigError, match="关键驱动分析方法"):
        key_drivers(drivers_data, method="ols")


def test_key_drivers_text_in_outcome_is_coerced(drivers_data):
    d = drivers_data.assign(overall_satisfaction=drivers_data["overall_satisfaction"].map(
        {5.0: "很满意", 4.0: "满意", 3.0: "一般", 2.0: "不满意", 1.0: "很不满意"}).astype(object))
    d.loc[0, "overall_satisfaction"] = "abc"
    res = key_drivers(d, predictors=["sat__practice", "sat__teamwork"])
    assert res.attrs["n"] == 299
    assert problems_table(res)["failure_case"].tolist() == ["abc"]


def test_result_tables_concatenate_despite_attrs(small):
    # attrs hold plain values only, so pandas can compare them when concatenating
    a = competency_summary(pd.DataFrame({"sat__practice": ["很满意", "abc"] * 3}))
    b = competency_summary(small)
    both = pd.concat([a, b], ignore_index=True)
    assert len(both) == len(a) + len(b)
    assert isinstance(a.attrs["problems"], list) and a.attrs["problems"][0]["failure_case"] == "abc"


def test_explicit_competency_mapping_and_ipa_singleton_group():
    d = _ipa_frame().assign(major=["甲"] * 4 + ["乙"])
    t = competency_summary(d, competencies={"a": "自定义甲", "b": "自定义乙"}, by="major")
    assert t["competency"].unique().tolist() == ["a", "b"]
    assert t["label"].unique().tolist() == ["自定义甲", "自定义乙"]
    # 甲 has 4 < 5 respondents and 乙 has 1: both suppressed, the school row is analysed
    res = ipa(d, by="major", min_cell=5)
    school = res[res["group"] == SCHOOL]
    assert school["quadrant"].notna().all()
    assert res.loc[res["group"] != SCHOOL, "quadrant"].isna().all()
    # issue 15: hidden groups are named without their n (was "「乙」仅 1 名受访者")
    assert any("「乙」" in n and "「甲」" in n for n in res.attrs["notes"])
    assert not any("1 名" in n for n in res.attrs["notes"])
    # with min_cell=4, 甲 is analysed (against the school's lines, which equal its own here)
    # (乙 dropped: with it hidden, complementary suppression would hide 甲 as well)
    res4 = ipa(d.assign(major=["甲"] * 4 + [None]), by="major", min_cell=4)
    assert res4.loc[res4["group"] == "甲", "quadrant"].tolist() == ["concentrate", "keep_up", "low_priority", "overkill"]


def test_key_drivers_note_on_complete_cases(drivers_data):
    res = key_drivers(drivers_data, predictors=["sat__practice", "sat__office"])
    assert any("290 份问卷" in n for n in res.attrs["notes"])


def test_key_drivers_collinear_predictor_dropped_and_separation_reported(drivers_data):
    d = drivers_data.assign(sat__copy=drivers_data["sat__practice"] * 1.0)
    res = key_drivers(d, predictors=["sat__practice", "sat__copy", "sat__teamwork"])
    assert res["predictor"].tolist() == ["sat__practice", "sat__teamwork"]
    assert any("共线" in n and "sat__copy" in n for n in res.attrs["notes"])
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, 60).astype(float)
    sep = pd.DataFrame({"sat__practice": x, "sat__office": rng.integers(1, 6, 60).astype(float),
                        "overall_satisfaction": np.where(x >= 3, 5.0, 1.0)})
    with pytest.raises(AnalysisError, match="完全分离"):
        key_drivers(sep)


def test_nullable_dtypes_named_three_point_scale_and_duplicate_index():
    d = pd.DataFrame({"sat__practice": pd.array([5, 4, None, 3, 2, 1], dtype="Int64")})
    row = competency_summary(d, min_cell=1).iloc[0]
    assert row["n_sat"] == 5 and row["sat_mean"] == pytest.approx(3.0)
    d3 = pd.DataFrame({"sat__practice": ["满意", "较满意", "不满意", "很满意", "无法评价"]})
    r = coerce_ratings(d3, scale="satisfaction3")
    assert r.data["sat__practice"].tolist()[:4] == [3.0, 2.0, 1.0, 3.0]
    assert r.na_mask["sat__practice"].tolist() == [False, False, False, False, True]
    dup = pd.DataFrame({"major": ["甲"] * 3 + ["乙"] * 3, "sat__practice": [5, 4, 3, 2, 1, 5.0]}, index=[0, 0, 1, 1, 2, 2])
    t = competency_summary(dup, by="major", min_cell=1).set_index("group")
    assert t.loc["甲", "sat_mean"] == pytest.approx(4.0) and t.loc[SCHOOL, "n_sat"] == 6
    with pytest.raises(ConfigError, match="未知的答案量表"):
        coerce_ratings(d3, scale="satisfaction7")


def test_ipa_carries_the_gap_with_its_interval():
    d = _ipa_frame()
    d["sat__a"] = [2.0, 3.0, 2.0, 1.0, 2.0]
    row = ipa(d).set_index("competency").loc["a"]
    ci = stats.ttest_rel(d["imp__a"], d["sat__a"]).confidence_interval(0.95)
    assert row["gap"] == pytest.approx(3.0)
    assert (row["gap_ci_low"], row["gap_ci_high"]) == pytest.approx((ci.low, ci.high))


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(1, 5), st.sampled_from(["很满意", "一般", "无法评价", "xyz"])),
                min_size=1, max_size=40))
def test_summary_invariants(values):
    d = pd.DataFrame({"sat__practice": pd.Series(values, dtype=object)})
    table = competency_summary(d, min_cell=1)
    row = table.iloc[0]
    n_na = sum(v == "无法评价" for v in values)
    n_bad = sum(v == "xyz" for v in values)
    n_missing = sum(v is None for v in values)
    assert row["n_sat"] + n_na + n_bad + n_missing == len(values)
    assert row["n_sat_na"] == n_na  # the column holds text: 无法评价 is known
    assert len(problems_table(table)) == n_bad
    if row["n_sat"] > 0:
        assert 0 <= row["sat_share_ci_low"] <= row["sat_share"] <= row["sat_share_ci_high"] <= 1
        assert 1 <= row["sat_mean"] <= 5
    else:
        assert np.isnan(row["sat_mean"])


def test_ipa_school_lines_and_dict_cross():
    a = _ipa_frame().assign(major="甲")
    b = _ipa_frame().assign(major="乙")
    for code in "abcd":  # 乙 rates satisfaction one point lower everywhere
        b[f"sat__{code}"] = b[f"sat__{code}"] - 1.0
    d = pd.concat([a, b], ignore_index=True)
    # issue 17: lines from each group's own means (lines="group", 乙's line was 2.5) manufacture
    # gaps in every major; every group is now read against the school's lines (the default)
    with pytest.raises(ConfigError, match="不再支持按各组自身均值划交叉线"):
        ipa(d, by="major", lines="group")
    shared = ipa(d, by="major", lines="school").set_index(["group", "competency"])
    assert shared.equals(ipa(d, by="major").set_index(["group", "competency"]))
    school_sat_line = np.mean([np.mean([s, s - 1]) for s in (2, 5, 2, 5)])  # 3.0
    assert shared.loc[("乙", "b"), "sat_line"] == pytest.approx(school_sat_line)
    assert shared.loc[("甲", "a"), "sat_line"] == pytest.approx(school_sat_line)
    assert shared.loc[("乙", "b"), "quadrant"] == "keep_up"  # 4 ≥ 3
    assert shared.loc[("乙", "d"), "quadrant"] == "overkill"
    # school means of b: importance 5, satisfaction 4.5
    on_line = ipa(d, cross={"imp": 4.0, "sat": 4.5}).set_index("competency")
    assert on_line.loc["b", "quadrant"] == "keep_up"  # on the line counts as high
    above = ipa(d, cross={"imp": 4.0, "sat": 4.6}).set_index("competency")
    assert above.loc["b", "quadrant"] == "concentrate"
    assert above.attrs["cross"] == {"imp": 4.0, "sat": 4.6}
    with pytest.raises(ConfigError, match="交叉线范围"):
        ipa(d, lines="college")


def test_key_drivers_subsample_above_max_cases_is_said_and_close():
    rng = np.random.default_rng(3)
    n = 3000
    a = rng.integers(1, 6, n).astype(float)
    b = rng.integers(1, 6, n).astype(float)
    latent = 0.9 * a + 0.1 * b + rng.logistic(size=n)
    y = np.digitize(latent, np.quantile(latent, [0.2, 0.4, 0.6, 0.8])) + 1.0
    df = pd.DataFrame({"overall_satisfaction": y, "sat__practice": a, "sat__office": b})
    full = key_drivers(df, max_cases=None).set_index("competency")
    sub = key_drivers(df, max_cases=1500).set_index("competency")
    assert sub.attrs["n"] == 1500 and any("随机抽取的 1500 份" in t for t in sub.attrs["notes"])
    # the subsample estimate lies inside the full-data interval of the odds ratio
    assert full.loc["practice", "or_ci_low"] < sub.loc["practice", "odds_ratio"] < full.loc["practice", "or_ci_high"] * 1.2
    assert list(sub.sort_values("rank").index[:1]) == ["practice"]


# ----------------------------------------------------------------------------------------
# the groups and fast paths equal the plain computations
# ----------------------------------------------------------------------------------------
def _groups_by_comparison(df, by):
    """Plain grouping: each stripped text value is a group, largest first, ties by name."""
    key = df[by]
    skey = np.array([None if pd.isna(v) else str(v).strip() for v in key.to_numpy(dtype=object)], dtype=object)
    sizes = pd.Series([v for v in skey if v is not None], dtype=object).value_counts()
    order = sorted(sizes.index, key=lambda g: (-int(sizes[g]), g))
    return [("全校", np.arange(len(df)))] + [(g, np.flatnonzero(skey == g)) for g in order]


@pytest.mark.parametrize("values", [
    ["乙", "甲", None, "甲", "丙", "乙", np.nan, "丁", "甲"],       # ties broken by label, missing in no group
    [1, "1", 2.0, "2.0", None, 1, "b", "a", "b"],                  # mixed types: 1 and "1" are one group
    ["只有一个"] * 4,
    [None, None],
    [" 甲", "甲 ", "乙"],                                           # surrounding blanks: one group
])
@pytest.mark.parametrize("by", ["major", "industry"])
def test_ratings_groups_equal_label_comparison(values, by):
    """The kernel's GroupIndex, as ratings builds it for a level or another column, equals the
    plain label comparison (replaces the test of the removed ratings._groups)."""
    from survey_analysis.design import Design
    from survey_analysis.ratings.common import grouping

    df = pd.DataFrame({by: pd.Series(values, dtype=object)}, index=[10 * i for i in range(len(values))])
    g = grouping(df, Design(), by)
    want = _groups_by_comparison(df, by)
    assert g.index.table["group"].tolist() == [name for name, _ in want]
    for k, (_, rows) in enumerate(want):
        np.testing.assert_array_equal(g.index.rows(k), rows)
    keys = g.keys()
    assert keys["level"].tolist() == ["school"] + [by] * (len(want) - 1)
    assert keys["group_by"].tolist()[1:] == [by] * (len(want) - 1)
    if len(want) > 1:  # the table shows them
        t = competency_summary(df.assign(sat__practice=5.0), by=by, min_cell=1)
        assert t["group"].tolist() == [name for name, _ in want]
        assert t["level"].tolist() == ["school"] + [by] * (len(want) - 1)


def test_competency_summary_by_group_equals_each_group_alone():
    rng = np.random.default_rng(5)
    n = 300
    d = pd.DataFrame({"major": rng.choice(["甲", "乙", "丙", None], n),
                      "imp__practice": rng.choice([1, 2, 3, 4, 5, np.nan], n),
                      "sat__practice": rng.choice([1, 2, 3, 4, 5, np.nan], n),
                      "sat__office": rng.choice([2, 3, 4, 5, np.nan], n)},
                     index=rng.permutation(n) * 3)
    t = competency_summary(d, by="major", min_cell=1)
    cols = ["n", "n_imp", "imp_mean", "imp_sd", "imp_ci_low", "imp_ci_high", "n_sat", "sat_mean", "sat_ci_low",
            "n_satisfied", "sat_share", "sat_share_ci_low", "n_pair", "gap", "gap_ci_low", "gap_ci_high"]
    for g in ["甲", "乙", "丙"]:
        alone = competency_summary(d[d["major"] == g], min_cell=1)  # the group as its own school row
        got = t[t["group"] == g].reset_index(drop=True)[cols]
        pd.testing.assert_frame_equal(got, alone[cols].reset_index(drop=True), check_dtype=False)


def test_compare_groups_group_table_equals_pandas():
    rng = np.random.default_rng(6)
    n = 400
    d = pd.DataFrame({"major": rng.choice(["甲", "乙", "丙", "丁"], n, p=[0.5, 0.3, 0.19, 0.01]),
                      "sat__a": rng.choice([1, 2, 3, 4, 5, np.nan], n)})
    t = compare_groups(d, ["sat__a"], "major", min_cell=5)
    g = pd.DataFrame(t.attrs["groups"]).set_index("group")
    sub = d.dropna()
    sizes = sub.groupby("major").size()
    assert sizes["丁"] < 5  # 丁 is small: it and the next smallest (丙) are hidden
    shown = [m for m in sizes.index if m not in ("丙", "丁")]
    for name, vals in sub.groupby("major")["sat__a"]:
        if name in shown:
            assert g.loc[name, "n"] == len(vals)
            assert g.loc[name, "mean"] == pytest.approx(vals.mean(), rel=1e-12)
            assert g.loc[name, "share"] == pytest.approx((vals >= 4).mean(), rel=1e-12)
        else:
            assert pd.isna(g.loc[name, "n"]) and pd.isna(g.loc[name, "mean"])
    kept = [v.to_numpy() for m, v in sub.groupby("major")["sat__a"] if m in shown]
    assert t.loc[0, "statistic"] == pytest.approx(stats.kruskal(*kept).statistic, rel=1e-12)
    assert t.loc[0, "n"] == sum(len(v) for v in kept)


def test_key_drivers_expit_model_equals_statsmodels_logistic():
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    from survey_analysis.ratings.drivers import logit_ordered_model

    rng = np.random.default_rng(7)
    x = rng.normal(size=(300, 2))
    y = np.digitize(x @ [1.0, -0.5] + rng.logistic(size=300), [-1, 0, 1])
    endog = pd.Series(pd.Categorical(y, ordered=True))
    exog = pd.DataFrame(x, columns=["a", "b"])
    a = OrderedModel(endog, exog, distr="logit").fit(method="bfgs", disp=False)
    b = logit_ordered_model()(endog, exog, distr="logit").fit(method="bfgs", disp=False)
    np.testing.assert_array_equal(a.params.to_numpy(), b.params.to_numpy())
    np.testing.assert_array_equal(a.bse.to_numpy(), b.bse.to_numpy())
    z = np.array([-np.inf, -800.0, -3.5, 0.0, 2.25, 800.0, np.inf, np.nan])
    np.testing.assert_array_equal(b.model.cdf(z), a.model.cdf(z))


def _dependent_columns_one_by_one(data, columns):
    """The per-column rank check (reference for the full-rank shortcut)."""
    keep = []
    for c in columns:
        m = np.column_stack([np.ones(len(data))] + [data[k].to_numpy(float) for k in keep] + [data[c].to_numpy(float)])
        if np.linalg.matrix_rank(m) == m.shape[1]:
            keep.append(c)
    return [c for c in columns if c not in keep]


def test_dependent_columns_shortcut_equals_the_per_column_check():
    from survey_analysis.ratings.drivers import dependent_columns as _dependent_columns

    rng = np.random.default_rng(5)
    n = 400
    a, b, c = (rng.integers(1, 6, n).astype(float) for _ in range(3))
    d = pd.DataFrame({"a": a, "b": b, "c": c, "copy": a.copy(), "sum": a + b, "shift": 6 - c,
                      "const": np.full(n, 3.0), "tiny": a + 1e-9 * b})
    for cols in (["a", "b", "c"], ["a", "copy", "b"], ["a", "b", "sum", "c"], ["shift", "c", "a"],
                 ["const", "a"], ["a", "tiny"], ["a", "b", "c", "copy", "sum", "shift"], ["a"], []):
        assert _dependent_columns(d, cols) == _dependent_columns_one_by_one(d, cols), cols


def test_key_drivers_checks_variance_on_the_cases_fitted():
    # sat__office varies in one complete case only; the 200-case subsample does not draw it:
    # the predictor is dropped with a note (on all cases it varies, in the fitted ones it does not)
    rng = np.random.default_rng(7)
    n = 3000
    a = rng.integers(1, 6, n).astype(float)
    latent = 0.9 * a + rng.logistic(size=n)
    y = np.digitize(latent, np.quantile(latent, [0.2, 0.4, 0.6, 0.8])) + 1.0
    office = np.full(n, 4.0)
    df = pd.DataFrame({"overall_satisfaction": y, "sat__practice": a, "sat__office": office})
    drawn = df.sample(n=200, random_state=0).index
    df.loc[next(i for i in df.index if i not in drawn), "sat__office"] = 2.0
    res = key_drivers(df, max_cases=200)
    assert res["predictor"].tolist() == ["sat__practice"]
    assert any("sat__office" in t and "无变异" in t for t in res.attrs["notes"])
    assert res.attrs["n"] == 200 and any("完整回答有 3000 份" in t for t in res.attrs["notes"])
    assert df["sat__office"].nunique() == 2  # on all complete cases it does vary
