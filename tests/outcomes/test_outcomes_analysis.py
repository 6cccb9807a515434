"""Teaching feedback, 能力满足度, comparisons, trends and warnings against hand computations."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from survey_analysis.errors import AnalysisError, ConfigError
from survey_analysis.outcomes import (
    ability_fulfilment,
    compare_majors,
    fulfilment_band,
    major_warnings,
    newcombe_interval,
    outcome_tables,
    teaching_feedback,
    trends,
)
from survey_analysis.weighting import wilson_interval

W, U1 = "在国内工作", "未就业（正在求职）"


def one(table, **sel):
    m = pd.Series(True, index=table.index)
    for k, v in sel.items():
        m &= table[k] == v
    assert m.sum() == 1, sel
    return table[m].iloc[0]


# ---- teaching feedback ------------------------------------------------------------------
def teach_frame():
    return pd.DataFrame({
        "major": ["甲"] * 6,
        "teach__classroom": [5, 4, 3, 2, np.nan, 5],
        "improve": ["实习和实践环节不够", "实习和实践环节不够┋课程内容不实用或陈旧", "以上均不需改进",
                    "以上均不需改进┋教师专业能力不强", None, "课程内容不实用或陈旧"],
    })


def test_teaching_ratings_by_hand():
    r2 = teaching_feedback(teach_frame(), by=("school",), min_cell=3)["teaching_ratings"]
    r3 = teaching_feedback(teach_frame(), by=("school",), min_cell=3, satisfied="top3")["teaching_ratings"]
    c = one(r2, item="teach__classroom")
    assert c["n"] == 5 and c["mean"] == pytest.approx(19 / 5)
    assert c["rate"] == pytest.approx(3 / 5) and one(r3, item="teach__classroom")["rate"] == pytest.approx(4 / 5)
    assert (c["rate_low"], c["rate_high"]) == pytest.approx(proportion_confint(3, 5, method="wilson"))
    assert c["item_label"] == "课堂教学"


def test_improve_exclusive_option_inconsistent_not_double_counted():
    t = teaching_feedback(teach_frame(), by=("school", "major"), min_cell=3)["improve"]
    s = t[t["group"] == "全校"].set_index("option")
    # base: 4 consistent answers (one blank, one inconsistent)
    assert (s["n"] == 4).all() and (s["n_inconsistent"] == 1).all()
    assert s.loc["实习和实践环节不够", "share"] == pytest.approx(2 / 4)
    assert s.loc["课程内容不实用或陈旧", "share"] == pytest.approx(2 / 4)
    assert s.loc["以上均不需改进", "share"] == pytest.approx(1 / 4)
    assert s.loc["教师专业能力不强", "count"] == 0
    assert "不一致" in t.attrs["base"]
    hidden = teaching_feedback(teach_frame(), by=("school",))["improve"]  # n = 4 < 5
    assert hidden["suppressed"].all() and hidden["share"].isna().all()
    with pytest.raises(AnalysisError, match="没有教学评价"):
        teaching_feedback(pd.DataFrame({"major": ["甲"]}))


# ---- 能力满足度 ---------------------------------------------------------------------------
def test_ability_fulfilment_ratio_of_means_and_bands():
    d = pd.DataFrame({
        "major": ["甲"] * 6,
        "gimp__learning": [5, 5, 4, 4, np.nan, 3], "greq__learning": [4, 5, 4, np.nan, 3, 4],
        "gown__learning": [4, 4, 3, 3, np.nan, 2],
        "gimp__practice": [3.0] * 6, "greq__practice": [4.0] * 6, "gown__practice": [4.0] * 6,
    })
    t = ability_fulfilment(d, by=("school",), min_cell=3)
    learning = one(t, competency="learning")
    # pairwise complete rows 0, 1, 2, 5: own 4+4+3+2 = 13, required 4+5+4+4 = 17
    assert learning["n"] == 4
    assert learning["fulfilment"] == pytest.approx(13 / 17)  # ratio of means, not mean of ratios (0.7625)
    assert learning["fulfilment_band"] == "不太满足" and learning["importance_mean"] == pytest.approx(4.2)
    assert learning["competency_label"] == "学习能力"
    assert one(t, competency="practice")["fulfilment_band"] == "满足"
    assert list(t["competency"]) == ["learning", "practice"]  # by importance
    assert "均值之比" in t.attrs["averaging"]
    assert [fulfilment_band(x) for x in (.95, .90, .8999, .85, .849, .75, .7499, np.nan)] == [
        "满足", "满足", "基本满足", "基本满足", "不太满足", "不太满足", "不满足", None]
    with pytest.raises(AnalysisError, match="能力满足度"):
        ability_fulfilment(pd.DataFrame({"major": ["甲"]}))


# ---- comparisons ------------------------------------------------------------------------
def cmp_frame():
    dest = [W] * 9 + [U1] + [W] * 2 + [U1] * 8 + [W] * 5 + [U1] * 5 + [W, U1, W]
    major = ["甲"] * 10 + ["乙"] * 10 + ["丙"] * 10 + ["丁"] * 3
    income = np.arange(1, len(dest) + 1) * 100.0 + 3000  # no ties
    return pd.DataFrame({"major": major, "destination": dest, "income": np.where(np.array(dest) == W, income, np.nan)})


def test_compare_majors_chi_square_by_hand_and_bh():
    d = cmp_frame()
    r = compare_majors(d, ["placement_rate", "income"])
    omni = one(r, metric="placement_rate", comparison="各专业之间")
    obs = np.array([[9, 1], [2, 8], [5, 5]], dtype=float)
    exp = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    chi2 = ((obs - exp) ** 2 / exp).sum()
    assert omni["statistic"] == pytest.approx(chi2) and omni["dof"] == 2
    assert omni["p_value"] == pytest.approx(stats.chi2.sf(chi2, 2))
    assert omni["effect_size"] == pytest.approx(np.sqrt(chi2 / (30 * 1)))
    assert "丁" in omni["note"]  # 3 answers < min_cell
    pair = r[(r["metric"] == "placement_rate") & (r["comparison"] != "各专业之间")]
    assert set(pair["comparison"]) == {"甲", "乙", "丙"}
    assert pair["p_adj"].to_numpy() == pytest.approx(multipletests(pair["p_value"], method="fdr_bh")[1])
    jia = one(pair, comparison="甲")
    assert jia["group_value"] == pytest.approx(0.9) and jia["rest_value"] == pytest.approx(7 / 20)
    # income: Kruskal-Wallis by the rank formula (no ties), epsilon^2 = H / (n - 1)
    # (乙 has 2 incomes and 丁 2: both below min_cell, left out and named)
    inc = d[(d["destination"] == W) & d["major"].isin(["甲", "丙"])]
    ranks = inc["income"].rank()
    n = len(inc)
    h = 12 / (n * (n + 1)) * sum(ranks[inc["major"] == g].sum() ** 2 / (inc["major"] == g).sum()
                                 for g in ["甲", "丙"]) - 3 * (n + 1)
    oi = one(r, metric="income", comparison="各专业之间")
    assert "乙" in oi["note"] and "丁" in oi["note"] and oi["n"] == 14
    assert oi["statistic"] == pytest.approx(h) and oi["effect_size"] == pytest.approx(h / (n - 1))
    omnis = r[r["comparison"] == "各专业之间"]
    assert omnis["p_adj"].to_numpy() == pytest.approx(multipletests(omnis["p_value"], method="fdr_bh")[1])
    assert bool(omni["significant"])
    with pytest.raises(ConfigError, match="未知的指标"):
        compare_majors(d, "happiness")


# ---- trends -----------------------------------------------------------------------------
def cohort(k_placed: dict, cohort_year: int, n=10, income_base=5000.0):
    rows = []
    for major, k in k_placed.items():
        for i in range(n):
            placed = i < k
            rows.append({"major": major, "college": "学院A", "cohort": float(cohort_year),
                         "destination": W if placed else U1,
                         "income": income_base + 100 * i if placed else np.nan,
                         "job_sat__overall": 5.0 if placed else np.nan})
    return pd.DataFrame(rows)


def test_newcombe_matches_statsmodels():
    for c1, n1, c2, n2 in [(9, 10, 6, 10), (30, 50, 20, 50), (0, 12, 3, 15)]:
        l1, h1 = wilson_interval(c1 / n1, n1)
        l2, h2 = wilson_interval(c2 / n2, n2)
        got = newcombe_interval(c1 / n1, l1, h1, c2 / n2, l2, h2)
        assert got == pytest.approx(confint_proportions_2indep(c1, n1, c2, n2, method="newcomb", compare="diff"))


def test_trends_year_over_year_with_empty_cohort():
    frames = {2023: cohort({"甲": 6, "乙": 8}, 2023), 2024: cohort({"甲": 9, "乙": 8}, 2024, income_base=5500),
              2025: cohort({}, 2025)}
    t = trends(frames, metrics=("placement_rate", "income"))
    r = one(t, group="甲", metric="placement_rate")
    assert (r["cohort_prev"], r["cohort"]) == (2023, 2024)
    assert r["diff"] == pytest.approx(0.3)
    assert (r["diff_low"], r["diff_high"]) == pytest.approx(
        confint_proportions_2indep(9, 10, 6, 10, method="newcomb", compare="diff"))
    assert one(t, group="乙", metric="placement_rate")["diff"] == pytest.approx(0)
    assert not bool(one(t, group="乙", metric="placement_rate")["change_significant"])
    assert r["metric_label"] == "就业去向落实率"
    inc = one(t, group="甲", metric="income")
    x0 = 5000 + 100 * np.arange(6)
    x1 = 5500 + 100 * np.arange(9)
    ci = stats.ttest_ind(x1, x0, equal_var=False).confidence_interval()
    assert inc["diff"] == pytest.approx(x1.mean() - x0.mean())
    assert (inc["diff_low"], inc["diff_high"]) == pytest.approx((ci.low, ci.high))
    probs = t.attrs["problems"]
    assert [p["cohort"] for p in probs] == [2025] and "没有任何答卷" in probs[0]["message"]
    # the same from one frame with a cohort column
    t2 = trends(pd.concat([frames[2023], frames[2024]]), metrics=("placement_rate", "income"))
    assert one(t2, group="甲", metric="placement_rate")["diff"] == pytest.approx(0.3)


# ---- warnings ---------------------------------------------------------------------------
K = {"M1": 4, "M2": 5, "M3": 7, "M4": 8, "M5": 8, "M6": 9, "M7": 9, "M8": 10}


def warn_tables():
    out = {}
    for j, year in enumerate((2023, 2024, 2025)):
        k = dict(K)
        if year == 2025:
            k["M3"] = 5
        frames = []
        for rank, (major, kk) in enumerate(k.items()):
            f = cohort({major: kk}, year, income_base=4000 + 300 * rank)
            # satisfaction rises with rank: the first `rank` placed are satisfied
            sat = np.where(np.arange(len(f)) < rank + 1, 5.0, 2.0)
            f["job_sat__overall"] = np.where(f["destination"] == W, sat, np.nan)
            frames.append(f)
        frames.append(cohort({"M9": 2}, year, n=3))  # too small: hidden
        # a second small major: the two hidden majors protect each other (complementary
        # suppression would otherwise also hide the smallest shown major, M8)
        frames.append(cohort({"M10": 2}, year, n=3))
        out[year] = outcome_tables(pd.concat(frames, ignore_index=True), by=("school", "major"))
    out[2026] = None
    return out


def test_major_warnings_flags_and_cards():
    tabs = warn_tables()
    w = major_warnings(tabs, benchmark=0.85, threshold=0.60, consecutive=2)
    by = w.set_index("major")
    assert by.loc["M1", "years_below_threshold"] == 3 and bool(by.loc["M1", "below_threshold_consecutive"])
    assert bool(by.loc["M2", "below_threshold_consecutive"])
    assert by.loc["M3", "years_below_threshold"] == 1 and not by.loc["M3", "below_threshold_consecutive"]
    assert by.loc["M5", "below_benchmark"] is True or bool(by.loc["M5", "below_benchmark"])
    assert not bool(by.loc["M6", "below_benchmark"])
    # the card is the rule's: 红牌 below 60 % three years running, 黄牌 two years, nothing otherwise
    for m, r in by.iterrows():
        if r["card"] == "样本不足":
            assert pd.isna(r["placement_rate_2025"]), m
            continue
        run = r["years_below_threshold"]
        want = "红牌" if run >= 3 else "黄牌" if run == 2 else "无"
        assert r["card"] == want, m
        assert bool(r["below_threshold_consecutive"]) == (want != "无"), m  # 触发预警 agrees with the card
        assert (r["rule_matched"] != "") == (want != "无"), m
    assert by.loc["M1", "card"] == "红牌" and by.loc["M3", "card"] == "无"
    assert by.loc["M9", "card"] == "样本不足" and by.loc["M10", "card"] == "样本不足"
    assert list(w["card"])[:1] == ["红牌"]
    assert "红牌：截至最近一届连续 3 届就业去向落实率低于 60%" in w.attrs["rule"]
    assert "黄牌：截至最近一届连续 2 届就业去向落实率低于 60%" in w.attrs["rule"]
    assert "不是第三方机构的全国红黄牌" in w.attrs["rule"]
    assert [p["cohort"] for p in w.attrs["problems"]] == [2026]
    assert by.loc["M1", "placement_rate_2025"] == pytest.approx(0.4)
    w3 = major_warnings(tabs, threshold=0.60, consecutive=3)
    assert bool(w3.set_index("major").loc["M1", "below_threshold_consecutive"])
    assert w3["below_benchmark"].isna().all()
    with pytest.raises(ConfigError, match="至少为 1"):
        major_warnings(tabs, consecutive=0)
    with pytest.raises(ConfigError, match="基准线（benchmark）应为 0 到 1 之间的比例"):
        major_warnings(tabs, benchmark=85)


def test_major_warnings_with_a_configured_rule():
    from survey_analysis.outcomes.warnings import CardRule, WarningRule

    tabs = warn_tables()
    rule = WarningRule(cards=(CardRule("红牌", below=0.5, years=1), CardRule("黄牌", below_benchmark=True, years=2),
                              CardRule("绿牌", at_least=0.9, years=3)), benchmark=0.85)
    w = major_warnings(tabs, rule).set_index("major")
    for m, r in w.iterrows():
        rates = [r[f"placement_rate_{c}"] for c in (2023, 2024, 2025)]
        if pd.isna(rates[-1]):
            assert r["card"] == "样本不足"
        elif rates[-1] < 0.5:
            assert r["card"] == "红牌", m
        elif all(pd.notna(x) and x < 0.85 for x in rates[-2:]):
            assert r["card"] == "黄牌", m
        elif all(pd.notna(x) and x >= 0.9 for x in rates):
            assert r["card"] == "绿牌", m
        else:
            assert r["card"] == "无", m
    with pytest.raises(ConfigError, match="只能有一个条件"):
        CardRule("红牌", below=0.5, at_least=0.9)
    with pytest.raises(ConfigError, match="红牌、黄牌 或 绿牌"):
        CardRule("橙牌", below=0.5)
    with pytest.raises(ConfigError, match="0 到 1 之间"):
        CardRule("红牌", below=60)
    with pytest.raises(ConfigError, match="cards"):
        WarningRule.from_config({"cards": []})


def test_major_warnings_all_cohorts_empty_no_crash():
    w = major_warnings({2024: None, 2025: {"placement": pd.DataFrame()}})
    assert len(w) == 0 and len(w.attrs["problems"]) == 2


# ---- open suggestions through the text layer ---------------------------------------------
def test_suggestion_mentions_counts_respondents_with_gap_mentions():
    from survey_analysis.outcomes import suggestion_mentions

    d = pd.DataFrame({"major": ["甲"] * 6 + ["乙"] * 2,
                      "comment": ["希望加强实践动手能力和沟通能力", "无", None, "老师认真负责", "外语能力有待提高",
                                  "建议多加强实践能力", "沟通能力需要加强", "好"]})
    t = suggestion_mentions(d, by=("school", "major"), min_cell=2)
    school = t[t["group"] == "全校"].set_index("competency")
    # base: 5 comments with content ("无", blank and "好" are not suggestions)
    assert (school["n"] == 5).all()
    assert school.loc["practice", "count"] == 2 and school.loc["communication", "count"] == 2
    assert school.loc["foreign_language", "share"] == pytest.approx(1 / 5)
    assert "responsibility" not in school.index  # praise, not a gap
    assert school.loc["practice", "competency_label"] == "实践动手能力"
    # 乙 has one commenter (< 2): hidden, and 甲 with it (the school minus 甲 would give 乙)
    for g in ("甲", "乙"):
        part = t[t["group"] == g]
        assert part["suppressed"].all() and part["example"].isna().all() and part["n"].isna().all()
    t1 = suggestion_mentions(d, by=("school", "major"), min_cell=1)
    jia = t1[t1["group"] == "甲"].set_index("competency")
    assert jia.loc["practice", "share"] == pytest.approx(2 / 4)


def test_compare_majors_weighted_design_effect_correction():
    d = cmp_frame()
    d["w1"] = 2.5  # equal weights: the unweighted answer
    same = compare_majors(d, "placement_rate", weights="w1")
    plain = compare_majors(d, "placement_rate")
    assert same["statistic"].to_numpy() == pytest.approx(plain["statistic"].to_numpy())
    assert same.attrs["weighted"] is True and plain.attrs["weighted"] is False
    rng = np.random.default_rng(3)
    d["w"] = rng.uniform(0.5, 2.0, len(d))
    r = compare_majors(d, "placement_rate", weights="w")
    sub = d[d["major"] != "丁"]
    placed = (sub["destination"] == W).astype(int)
    tab = pd.crosstab(sub["major"], placed, values=sub["w"], aggfunc="sum").to_numpy()
    p = tab / tab.sum()
    e = p.sum(1, keepdims=True) * p.sum(0, keepdims=True)
    neff = sub["w"].sum() ** 2 / (sub["w"] ** 2).sum()
    chi2 = neff * ((p - e) ** 2 / e).sum()
    omni = one(r, metric="placement_rate", comparison="各专业之间")
    assert omni["statistic"] == pytest.approx(chi2)
    assert omni["p_value"] == pytest.approx(stats.chi2.sf(chi2, 2))
    jia = one(r, metric="placement_rate", comparison="甲")
    m = sub["major"] == "甲"
    assert jia["group_value"] == pytest.approx(np.average(placed[m], weights=sub["w"][m]))


def test_every_output_column_has_a_chinese_label(make_grads):
    from survey_analysis.outcomes import LABELS

    d = make_grads()
    d["teach__classroom"] = 4.0
    d["improve"] = "实习和实践环节不够"
    d["greq__learning"] = 4.0
    d["gown__learning"] = 3.0
    d["comment"] = "希望加强实践能力"
    tables = dict(outcome_tables(d))
    tables.update(teaching_feedback(d))
    tables["ability"] = ability_fulfilment(d)
    tables["cmp"] = compare_majors(d, ["placement_rate", "income"], min_cell=2)
    tables["trend"] = trends({2023: d, 2024: d}, min_cell=2)
    tables["warn"] = major_warnings({2024: outcome_tables(d)})
    from survey_analysis.outcomes import suggestion_mentions
    tables["sugg"] = suggestion_mentions(d, min_cell=2)
    missing = {(name, c) for name, t in tables.items() for c in t.columns
               if c not in LABELS and not c.startswith("placement_rate_")}
    assert not missing


def test_service_items_are_told_apart_from_teaching():
    """就业指导、学生管理 are 学生工作与服务 (their own report section); 课堂教学 is teaching;
    母校总体满意度 is overall.  The estimates do not depend on the tag."""
    d = teach_frame().assign(teach__career_service=[4, 4, 2, 5, 1, np.nan], school_satisfaction=[5, 5, 4, 3, 2, 1])
    r = teaching_feedback(d, by=("school",), min_cell=3)["teaching_ratings"]
    assert dict(zip(r["item"], r["domain"])) == {"teach__classroom": "teaching", "teach__career_service": "service",
                                                 "school_satisfaction": "overall"}
    c = one(r, item="teach__career_service")
    assert c["n"] == 5 and c["mean"] == pytest.approx(16 / 5) and c["rate"] == pytest.approx(3 / 5)
