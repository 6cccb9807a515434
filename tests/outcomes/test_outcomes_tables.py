"""outcome_tables: numbers against hand counts and statsmodels / numpy."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from survey_analysis.errors import AnalysisError, ConfigError
from survey_analysis.outcomes import LABELS, PlacementDefinition, outcome_tables
from survey_analysis.weighting import kish_effective_n


def row(table, group, **extra):
    sel = table["group"] == group
    for k, v in extra.items():
        sel &= table[k] == v
    out = table[sel]
    assert len(out) == 1, (group, extra, len(out))
    return out.iloc[0]


def test_placement_rates_xinjincheng_by_hand(df):
    t = outcome_tables(df)["placement"]
    acc = row(t, "会计学")
    # 会计学: W W W W E F S A U1 U2 -> placed 8 of 10
    assert acc["n"] == 10
    assert acc["placement_rate"] == pytest.approx(0.8)
    assert acc["employment_rate"] == pytest.approx(0.6)
    assert acc["flexible_rate"] == pytest.approx(0.2)
    assert acc["further_study_domestic_rate"] == pytest.approx(0.1)
    assert acc["abroad_rate"] == pytest.approx(0.1)
    assert acc["unemployed_rate"] == pytest.approx(0.2)
    lo, hi = proportion_confint(8, 10, alpha=0.05, method="wilson")
    assert (acc["placement_rate_low"], acc["placement_rate_high"]) == pytest.approx((lo, hi))
    # 英语: the unknown label leaves the base: W W U1 U3 S of 5 -> 3 placed (hidden by default as the
    # complement of 新闻学, so shown here with min_cell=1)
    eng = row(outcome_tables(df, min_cell=1)["placement"], "英语")
    assert eng["n"] == 5 and eng["n_unknown"] == 1 and eng["n_respondents"] == 6
    assert eng["placement_rate"] == pytest.approx(0.6)
    assert eng["unemployed_rate"] == pytest.approx(0.4)
    school = row(t, "全校")
    assert school["n"] == 18 and school["placed_count"] == 13
    assert school["placement_rate"] == pytest.approx(13 / 18)
    assert row(t, "人文与外国语学院")["placement_rate"] == pytest.approx(5 / 8)


def test_mycos_definition_drops_exam_preparation_from_base(df):
    t = outcome_tables(df, definition="mycos")["placement"]
    acc = row(t, "会计学")
    assert acc["n"] == 9 and acc["n_excluded"] == 1
    assert acc["placement_rate"] == pytest.approx(8 / 9)
    assert acc["unemployed_rate"] == pytest.approx(1 / 9)
    assert "考研" in PlacementDefinition.mycos().describe() or "准备升学" in t.attrs["definition"]
    assert t.attrs["definition_name"] == "mycos"
    # a custom definition: only work counts as placed
    custom = PlacementDefinition("work_only", placed=("在国内工作", "自主创业", "自由职业"))
    t2 = outcome_tables(df, definition=custom)["placement"]
    assert row(t2, "会计学")["placement_rate"] == pytest.approx(0.6)


def test_order_school_then_colleges_then_majors_by_size_and_small_cells_hidden(df):
    t = outcome_tables(df)["placement"]
    assert list(t["group"]) == ["全校", "经济管理学院", "人文与外国语学院", "会计学", "英语", "新闻学"]
    assert list(t["level"]) == ["school", "college", "college", "major", "major", "major"]
    news = row(t, "新闻学")
    assert bool(news["suppressed"]) and pd.isna(news["placement_rate"]) and pd.isna(news["n"])
    # 新闻学 + 英语 = 人文与外国语学院: 英语 is hidden too (complement), the college is shown
    eng = row(t, "英语")
    assert eng["college"] == "人文与外国语学院" and bool(eng["suppressed"]) and pd.isna(eng["n"])
    assert not bool(row(t, "人文与外国语学院")["suppressed"])
    assert t.attrs["n_suppressed"] == 2
    assert "5" in t.attrs["suppression_note"] and "互补" in t.attrs["suppression_note"]
    # with min_cell=3 the 3 graduates of 新闻学 are shown: W U1 W
    t3 = outcome_tables(df, min_cell=3)["placement"]
    assert row(t3, "新闻学")["placement_rate"] == pytest.approx(2 / 3)


def test_by_major_only_and_labels(df):
    t = outcome_tables(df, by=("major",))["placement"]
    assert set(t["level"]) == {"major"}
    for c in t.columns:
        assert c in LABELS, c


def test_problems_report_unknown_destination_and_implausible_income(df):
    res = outcome_tables(df)
    p = res["problems"]
    unk = p[p["check"] == "unknown_destination"].iloc[0]
    assert unk["example"] == "待业中（其他）" and unk["count"] == 1
    assert "16" in unk["rows"]  # source row of the 15th respondent
    assert "无法识别" in unk["message"]
    inc = p[p["check"] == "implausible_income"].iloc[0]
    assert inc["count"] == 2 and "1e+07" in inc["example"] and "0" in inc["example"]
    # a narrower bound flags more
    p2 = outcome_tables(df, income_bounds=(4200, 100000))["problems"]
    assert p2.loc[p2["check"] == "implausible_income", "count"].iloc[0] == 3


def test_income_statistics_against_numpy(df):
    res = outcome_tables(df, min_cell=1)
    t = res["income"]
    acc = np.array([5000, 6000, 7000, 9000, 4000.0])  # 0 is implausible
    r = row(t, "会计学")
    assert r["n"] == 5 and r["n_implausible"] == 1
    assert r["mean"] == pytest.approx(acc.mean())
    # quartiles: the weighted definition of SAS / statsmodels (numpy's averaged_inverted_cdf unweighted)
    assert (r["p25"], r["median"], r["p75"]) == pytest.approx(
        tuple(np.quantile(acc, [0.25, 0.5, 0.75], method="averaged_inverted_cdf")))
    lo, hi = DescrStatsW(acc).tconfint_mean()
    assert (r["mean_low"], r["mean_high"]) == pytest.approx((lo, hi))
    school = np.array([5000, 6000, 7000, 9000, 4000, 4500, 5500, 5200.0])
    s = row(t, "全校")
    assert s["n"] == 8 and s["mean"] == pytest.approx(school.mean())
    assert s["median"] == pytest.approx(np.median(school))
    bands = res["income_bands"]
    b = bands[bands["group"] == "全校"].set_index("band")["count"]
    assert b.sum() == 8
    assert b["3000–4999元"] == 2 and b["5000–6999元"] == 4 and b["7000–8999元"] == 1 and b["9000–11999元"] == 1


def test_job_quality_top2_and_top3(df):
    t2 = outcome_tables(df, satisfied="top2", min_cell=1)["job_quality"]
    t3 = outcome_tables(df, satisfied="top3", min_cell=1)["job_quality"]
    # 会计学 in work: relevance 5,4,3,2,NaN,1 ; satisfaction 5,4,3,NaN,5,2
    assert row(t2, "会计学", item="relevance")["n"] == 5
    assert row(t2, "会计学", item="relevance")["rate"] == pytest.approx(2 / 5)
    assert row(t3, "会计学", item="relevance")["rate"] == pytest.approx(3 / 5)
    assert row(t2, "会计学", item="relevance")["mean"] == pytest.approx(3.0)
    assert row(t2, "会计学", item="job_sat__overall")["rate"] == pytest.approx(3 / 5)
    assert row(t3, "会计学", item="job_sat__overall")["rate"] == pytest.approx(4 / 5)
    lo, hi = proportion_confint(3, 5, method="wilson")
    r = row(t2, "会计学", item="job_sat__overall")
    assert (r["rate_low"], r["rate_high"]) == pytest.approx((lo, hi))
    assert "MyCOS" in t2.attrs["rate_definition"] and "新锦成" in t3.attrs["rate_definition"]


def test_job_quality_ignores_answers_of_people_not_in_work(df):
    d = df.copy()
    d.loc[d["destination"] == "在国内求学", "relevance"] = 5.0  # skip logic broken
    t = outcome_tables(d, min_cell=1)["job_quality"]
    assert row(t, "会计学", item="relevance")["n"] == 5


def test_turnover_and_reasons(df):
    res = outcome_tables(df, min_cell=1)
    t = res["turnover"]
    assert row(t, "会计学")["turnover_rate"] == pytest.approx(3 / 6)
    s = row(t, "全校")
    # in work: 会计学 6 (3 left), 英语 2 (1), 新闻学 2 (1)
    assert s["n"] == 10 and s["turnover_rate"] == pytest.approx(0.5)
    r = res["turnover_reasons"]
    assert row(r, "全校", reason="薪资福利偏低")["share"] == pytest.approx(3 / 5)
    assert row(r, "全校", reason="其他")["share"] == pytest.approx(1 / 5)
    assert row(r, "全校", reason="薪资福利偏低")["n"] == 5
    r5 = outcome_tables(df)["turnover_reasons"]
    assert bool(row(r5, "会计学", reason="薪资福利偏低")["suppressed"])  # 3 leavers < 5


def test_recommendation_and_distribution(df):
    res = outcome_tables(df, min_cell=1)
    r = row(res["recommendation"], "会计学")
    assert r["n"] == 9
    assert r["recommend_rate"] == pytest.approx(5 / 9)
    assert r["unsure_rate"] == pytest.approx(2 / 9) and r["unwilling_rate"] == pytest.approx(2 / 9)
    d = res["employment_distribution"]
    x = row(d, "会计学", dimension="employer_type", category="国有企业")
    assert x["n"] == 6 and x["share"] == pytest.approx(0.5)
    assert row(d, "全校", dimension="industry", category="金融业")["share"] == pytest.approx(1.0)


def test_weighted_placement_matches_independent_computation(df):
    d = df.copy()
    d["w"] = np.where(d["major"] == "会计学", 3.0, 1.0) * np.where(d["sex"] == "女", 1.0, 2.0)
    res = outcome_tables(d, weights="w")
    t = res["placement"]
    assert t.attrs["weighted"] is True and "Kish" in t.attrs["weighting"]
    assert outcome_tables(df)["placement"].attrs["weighted"] is False
    base = d[~d["destination"].isin(["待业中（其他）"])]
    placed = base["destination"].isin(["在国内工作", "自主创业", "自由职业", "在国内求学", "出国/出境"]).astype(float)
    ds = DescrStatsW(placed.to_numpy(), weights=base["w"].to_numpy())
    s = row(t, "全校")
    assert s["placement_rate"] == pytest.approx(ds.mean)
    neff = base["w"].sum() ** 2 / (base["w"] ** 2).sum()
    assert s["n_eff"] == pytest.approx(neff) and s["n_eff"] == pytest.approx(kish_effective_n(base["w"]))
    lo, hi = proportion_confint(ds.mean * neff, neff, method="wilson")
    assert (s["placement_rate_low"], s["placement_rate_high"]) == pytest.approx((lo, hi))
    assert s["n"] == 18  # n stays the raw count
    # weighted mean income vs DescrStatsW rescaled to n_eff
    inc = d[d["destination"].isin(["在国内工作", "自主创业", "自由职业"]) & d["income"].between(1000, 200000)]
    w = inc["w"].to_numpy()
    ne = w.sum() ** 2 / (w ** 2).sum()
    ds2 = DescrStatsW(inc["income"].to_numpy(), weights=w / w.sum() * ne)
    r = row(res["income"], "全校")
    assert r["mean"] == pytest.approx(ds2.mean)
    assert (r["mean_low"], r["mean_high"]) == pytest.approx(ds2.tconfint_mean())


def test_input_not_modified_and_errors(df):
    before = df.copy()
    outcome_tables(df, definition="mycos", satisfied="top3")
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(AnalysisError, match="缺少必需的列：destination"):
        outcome_tables(df.drop(columns=["destination"]))
    with pytest.raises(ConfigError, match="top2 或 top3"):
        outcome_tables(df, satisfied="top4")
    with pytest.raises(ConfigError, match="未知的就业率口径"):
        outcome_tables(df, definition="moe")
    with pytest.raises(AnalysisError, match="没有任何答卷"):
        outcome_tables(df.iloc[:0])
    d = df.copy()
    d["w"] = 1.0
    d.loc[3, "w"] = np.nan
    with pytest.raises(AnalysisError, match="权重列「w」中有 1 个缺失、负数或无穷大"):
        outcome_tables(d, weights="w")
    with pytest.raises(ConfigError, match="既计为落实又排除"):
        PlacementDefinition("bad", placed=("在国内工作",), excluded=("在国内工作",))


def test_missing_optional_columns_are_reported_not_fatal(df):
    res = outcome_tables(df[["respondent_id", "major", "college", "destination"]])
    assert "income" not in res and "turnover" not in res and "placement" in res
    absent = set(res["problems"].loc[res["problems"]["check"] == "absent_column", "column"])
    assert {"income", "job_changes", "recommend", "relevance"} <= absent


def test_duplicate_row_labels_from_a_concat_are_handled(df):
    both = pd.concat([df, df])  # index 0..18 twice
    t = outcome_tables(both)["placement"]
    assert row(t, "会计学")["n"] == 20
    assert row(t, "会计学")["placement_rate"] == pytest.approx(0.8)
