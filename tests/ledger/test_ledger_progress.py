"""Progress, key employers and supply/demand on tiny ledgers computed by hand (see conftest)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ConfigError, SurveyError
from survey_analysis.ledger import (
    analyze_ledger,
    match_major,
    read_demand,
    read_graduates,
    split_majors,
    supply_demand,
)

TS = pd.Timestamp


@pytest.fixture
def res(tiny_res):
    return tiny_res


@pytest.fixture
def each(tiny_each):
    return tiny_each


def _leader(res, name):
    return res.leaders.set_index("leader").loc[name]


def test_as_of_defaults_to_last_counted_visit(res):
    assert res.params["as_of"] == dt.date(2022, 3, 6)


def test_leader_met_on_the_day_of_the_fourth_distinct_employer(each):
    a = _leader(each, "张三")
    # 恒信 03-01, 博远 03-02, 瑞丰 03-04, 天成 03-06; the duplicate (row 4) and the repeat
    # visit to 恒信's branch (row 6) add no employer
    assert a["employers"] == 4 and a["visits"] == 5
    assert a["met_date"] == TS("2022-03-06") and a["status"] == "已达标" and not a["behind"]
    assert a["new_employers"] == 3 and a["positions"] == 14 and a["internship_bases"] == 1
    assert a["recruitment_events"] == 1
    assert "已于 2022-03-06 达到目标 4 家" in a["statement"]


def test_projection_on_track_and_behind(each):
    b = _leader(each, "李四")  # 3 employers in 6 days; 1 more needs ceil(1*6/3) = 2 days → 03-08
    assert b["employers"] == 3 and pd.isna(b["met_date"])
    assert b["projected_date"] == TS("2022-03-08") and b["status"] == "可按期完成" and not b["behind"]
    assert b["expected_by_as_of"] == pytest.approx(2.4)  # 4 × 6/10
    c = _leader(each, "王五")  # 2 employers in 6 days (the February visit does not count)
    assert c["employers"] == 2 and c["role"] == "院长"
    assert c["projected_date"] == TS("2022-03-12") and c["status"] == "落后" and c["behind"]
    assert "晚于截止日 2022-03-10" in c["statement"] and "尚差 2 家" in c["statement"]


def test_as_of_parameter(tiny_visits, lh):
    r = analyze_ledger(tiny_visits, target_visits=4, target_new=4, as_of="2022-03-05", visit_scope="each",
                       **lh.PERIOD)
    a = r.leaders.set_index("leader").loc["张三"]
    # by 03-05: 恒信, 博远, 瑞丰 = 3 in 5 days → 1 more in ceil(1*5/3) = 2 days
    assert a["employers"] == 3 and a["projected_date"] == TS("2022-03-07")
    assert a["expected_by_as_of"] == pytest.approx(2.0)


def test_count_by_visits(tiny_visits, lh):
    r = analyze_ledger(tiny_visits, target_visits=5, target_new=4, count_by="visits", visit_scope="each",
                       **lh.PERIOD)
    a = r.leaders.set_index("leader").loc["张三"]
    assert a["met_date"] == TS("2022-03-06")  # 5 counted visits, the 5th on 03-06


def test_period_over_means_not_completed(tiny_visits, lh):
    r = analyze_ledger(tiny_visits, target_visits=4, target_new=4, as_of="2022-03-10", visit_scope="each",
                       **lh.PERIOD)
    c = r.leaders.set_index("leader").loc["王五"]
    assert c["status"] == "未完成" and c["behind"]
    assert "行动期已结束" in c["statement"]
    joint = analyze_ledger(tiny_visits, target_visits=4, target_new=4, as_of="2022-03-10", **lh.PERIOD)
    u = joint.universities.set_index("university").loc["乙学院"]
    assert u["visit_status"] == "未完成" and u["behind"] and "行动期已结束" in u["visit_statement"]


def test_target_roles(tiny_visits, lh):
    df = tiny_visits.copy()
    df.loc[df["走访人"] == "李四", "职务"] = "党委副书记"
    r = analyze_ledger(df, target_visits=4, target_new=4, **lh.PERIOD)
    b = r.leaders.set_index("leader").loc["李四"]
    assert not b["target_applies"] and b["status"] == "不适用" and not b["behind"]


def test_university_new_employers(res):
    u = res.universities.set_index("university")
    a = u.loc["甲大学"]
    # new & counted: 恒信 03-01, 金达 03-01, 博远 03-02, 华泰 03-05, 天成 03-06 → 4th on 03-05
    assert a["new_employers"] == 5 and a["new_met_date"] == TS("2022-03-05")
    assert a["employers"] == 6 and a["positions"] == 23 and a["internship_bases"] == 1
    assert a["leaders"] == 2 and a["visits"] == 8
    b = u.loc["乙学院"]  # 宏图 only (润安 is outside the period); ceil(3*6/1) = 18 days
    assert b["new_employers"] == 1 and b["new_projected_date"] == TS("2022-03-24") and b["behind"]
    assert b["positions"] == 2  # the negative number is not added


def test_new_target_applies(tiny_visits, lh):
    r = analyze_ledger(tiny_visits, target_visits=4, target_new=4, new_target_universities=["甲大学"],
                       visit_scope="each", **lh.PERIOD)
    b = r.universities.set_index("university").loc["乙学院"]
    assert not b["new_target_applies"] and b["new_status"] == "不适用" and not b["behind"]
    df = tiny_visits.assign(落实率低于当地平均=np.where(tiny_visits["高校"] == "甲大学", "是", "否"))
    r2 = analyze_ledger(df, target_visits=4, target_new=4, **lh.PERIOD)
    assert dict(zip(r2.universities["university"], r2.universities["new_target_applies"])) == {
        "乙学院": False, "甲大学": True}


def test_behind_list(res, each):
    b = each.behind
    assert set(zip(b["who"], b["metric"])) == {("乙学院 院长 王五", "走访用人单位"), ("乙学院", "新拓展用人单位")}
    assert dict(zip(b["metric"], b["shortfall"])) == {"走访用人单位": 2, "新拓展用人单位": 3}
    b = res.behind  # joint: the school's 正职 together
    assert set(zip(b["who"], b["metric"])) == {("乙学院", "书记校长正职走访用人单位"), ("乙学院", "新拓展用人单位")}
    assert dict(zip(b["metric"], b["shortfall"])) == {"书记校长正职走访用人单位": 2, "新拓展用人单位": 3}
    assert b.set_index("metric").loc["书记校长正职走访用人单位", "statement"].startswith(
        "乙学院：书记、校长（院长）正职共同走访用人单位 2 家，目标 4 家，尚差 2 家")


def test_joint_visit_target_counts_principals_together(res, tiny_visits, lh):
    u = res.universities.set_index("university")
    a = u.loc["甲大学"]
    # 正职 张三 (校长) and 李四 (党委书记) together: 恒信 03-01, 金达 03-01, 博远 03-02, 瑞丰 03-04,
    # 华泰 03-05, 天成 03-06 (恒信's branch and 李四's visit to 恒信 add none) → the 4th on 03-04
    assert a["principals"] == 2 and a["principal_employers"] == 6
    assert a["visit_met_date"] == TS("2022-03-04") and a["visit_status"] == "已达标"
    b = u.loc["乙学院"]  # 宏图 03-02, 鼎盛 03-03: 2 in 6 days → ceil(2 × 6 / 2) = 6 more days
    assert b["principal_employers"] == 2 and b["visit_projected_date"] == TS("2022-03-12")
    assert b["visit_status"] == "落后"
    lead = res.leaders.set_index("leader")
    assert set(lead["status"]) == {"计入共同目标"} and not lead["target_applies"].any()
    assert lead["target"].isna().all() and lead["met_date"].isna().all()
    # a 副校长's visit counts for the new-employer target, not for the 正职 visit target
    extra = lh.visits_frame([lh.visit("2022-03-02", "乙学院", "赵六", "副校长", "志诚传媒有限公司", new="是")])
    r = analyze_ledger(pd.concat([tiny_visits, extra], ignore_index=True), target_visits=4, target_new=4,
                       **lh.PERIOD)
    b2 = r.universities.set_index("university").loc["乙学院"]
    assert b2["principal_employers"] == 2 and b2["employers"] == 3 and b2["new_employers"] == 2
    z = r.leaders.set_index("leader").loc["赵六"]
    assert not z["principal"] and z["status"] == "不适用"


def test_period_is_the_notices_months_in_the_ledgers_year(tiny_visits):
    r = analyze_ledger(tiny_visits, target_visits=4, target_new=4)
    assert (r.params["period_start"], r.params["period_end"]) == (dt.date(2022, 3, 1), dt.date(2022, 8, 31))
    assert r.params["period_inferred"] and any("3—8 月" in n for n in r.notes)
    later = tiny_visits.assign(走访日期=tiny_visits["走访日期"].str.replace("2022", "2025"))
    r25 = analyze_ledger(later, target_visits=4, target_new=4)
    assert (r25.params["period_start"], r25.params["period_end"]) == (dt.date(2025, 3, 1), dt.date(2025, 8, 31))
    assert r25.leaders["visits"].sum() == r.leaders["visits"].sum()
    # the February visit is outside the period in both years
    assert set(r25.audit.loc[r25.audit["check"] == "outside_period", "row"]) == {12}
    # a declared period wins
    r3 = analyze_ledger(later, target_visits=4, target_new=4, period_start="2025-03-02", period_end="2025-03-31")
    assert not r3.params["period_inferred"]
    assert set(r3.audit.loc[r3.audit["check"] == "outside_period", "row"]) == {2, 8, 12}


def test_monthly_plan_is_a_straight_line(tiny_visits, lh):
    r = analyze_ledger(tiny_visits, target_visits=61, target_new=61, visit_scope="each",
                       period_start="2022-03-01", period_end="2022-04-30")
    m = r.monthly
    a = m[(m["leader"] == "张三")].set_index("month")
    assert a.loc["2022-03", "planned"] == pytest.approx(31.0)  # 61 × 31/61
    assert a.loc["2022-04", "planned"] == pytest.approx(61.0)
    assert a.loc["2022-03", "cumulative"] == 4 and a.loc["2022-03", "gap"] == pytest.approx(-27.0)
    assert np.isnan(a.loc["2022-04", "cumulative"])  # after as_of
    pos = m[(m["university"] == "甲大学") & (m["metric"] == "提供岗位数")].set_index("month")
    assert pos.loc["2022-03", "cumulative"] == 23 and np.isnan(pos.loc["2022-03", "planned"])
    joint = analyze_ledger(tiny_visits, target_visits=61, target_new=61,
                           period_start="2022-03-01", period_end="2022-04-30").monthly
    u = joint[(joint["university"] == "甲大学") & (joint["metric"] == "书记校长正职走访用人单位（家）")].set_index("month")
    assert u.loc["2022-03", "cumulative"] == 6 and u.loc["2022-03", "planned"] == pytest.approx(31.0)
    assert joint.loc[joint["level"] == "走访人", "planned"].isna().all()  # no per-leader plan


def test_merges_and_audit_in_results(res, each):
    assert set(res.merges["employer"]) == {"恒信科技有限公司", "博远电子有限公司"}
    assert set(res.audit["check"]) == {"duplicate_visit", "outside_period", "role_missing", "negative_number"}
    assert list(res.audit["row"]) == sorted(res.audit["row"])
    import dataclasses
    import pickle

    with pytest.raises(dataclasses.FrozenInstanceError):
        res.notes = ()
    with pytest.raises(TypeError):
        res.params["target_visits"] = 1
    assert pickle.loads(pickle.dumps(res)).summary() == res.summary()
    assert each.summary() == ("专项行动台账：3 名书记/校长中 1 人已达走访目标、1 人落后；2 所适用新拓展目标的高校中 "
                              "1 所已达标、1 所落后；岗位 25 个，实习基地 1 家；审计问题 4 条。")
    assert res.summary() == ("专项行动台账：2 所高校中 1 所书记、校长（院长）正职共同走访已达标、1 所落后；"
                             "2 所适用新拓展目标的高校中 1 所已达标、1 所落后；岗位 25 个，实习基地 1 家；审计问题 4 条。")


def test_bad_parameters(tiny_visits):
    with pytest.raises(ConfigError, match="target_visits 必须是正整数"):
        analyze_ledger(tiny_visits, target_visits=0)
    with pytest.raises(ConfigError, match="结束日期早于开始日期"):
        analyze_ledger(tiny_visits, period_start="2022-08-31", period_end="2022-03-01")
    with pytest.raises(ConfigError, match="不是日期"):
        analyze_ledger(tiny_visits, as_of="昨天")
    with pytest.raises(ConfigError, match="visit_scope 只能是 joint 或 each"):
        analyze_ledger(tiny_visits, visit_scope="both")
    with pytest.raises(ConfigError, match="没有这些设置：target"):
        analyze_ledger(tiny_visits, target=5)


# ---------------------------------------------------------------------------------------
def test_key_employers_ranked_with_graduates_hired(tiny_visits, lh):
    demand = pd.DataFrame([["恒信科技有限责任公司", "开发", "计算机", 7], ["华泰软件有限公司", "测试", "软件", 30]],
                          columns=["单位名称", "岗位名称", "需求专业", "需求人数"])
    grads = pd.DataFrame({"专业": ["软件工程"] * 3, "工作单位": ["恒信科技有限公司", "恒信科技 有限公司", None]})
    r = analyze_ledger(tiny_visits, demand, grads, target_visits=4, target_new=4, **lh.PERIOD)
    k = r.key_employers.set_index("employer")
    h = k.loc["恒信科技有限公司"]
    # visits: rows 2, 6 (branch), 9 → 3 visits by 2 leaders; positions 5 + 0 + 6
    assert (h["visits"], h["n_leaders"], h["positions"]) == (3, 2, 11)
    assert h["internship_base"] and h["repeat_cooperation"]
    assert h["demand_headcount"] == 7 and h["graduates_hired"] == 2
    assert h["rank"] == 1  # most positions
    assert k.loc["华泰软件有限公司", "demand_headcount"] == 30
    assert "鼎盛电气有限公司" in k.index and "润安医药有限公司" not in k.index  # outside the period


def test_key_employers_without_employer_names_omit_graduates_hired(res):
    assert "graduates_hired" not in res.key_employers.columns
    assert any("未提供毕业生数据" in n for n in res.notes)


def test_split_and_match_majors():
    assert split_majors("计算机科学与技术、软件工程，电气工程及其自动化;自动化 / 英语") == [
        "计算机科学与技术", "软件工程", "电气工程及其自动化", "自动化", "英语"]
    assert match_major("计算机类") == ("080901", "计算机科学与技术")
    assert match_major("软件工程专业") == ("080902", "软件工程")
    assert match_major("080910T") == ("080910T", "数据科学与大数据技术")
    assert match_major("专业不限") == ("", "不限专业")
    assert match_major("机器人工程") is None


def test_supply_demand_by_hand():
    d = pd.DataFrame([
        ["甲", "开发", "计算机、软件工程", 10],       # 5 + 5
        ["甲", "数据", "计算机类，大数据", 4],        # 2 + 2
        ["乙", "行政", "不限", 3],
        ["丙", "调试", "机器人工程、自动化", 6],     # 3 unmatched + 3
        ["丙", "杂务", None, 2],
        ["丁", "会计", "会计学", -1],               # not counted
    ], columns=["单位名称", "岗位名称", "需求专业", "需求人数"])
    dem = read_demand(d).data
    grads = read_graduates(pd.DataFrame({"专业": ["计算机科学与技术", "计算机", "软件工程", "自动化", "汉语言文学"],
                                         "毕业生人数": [2, 3, 10, 3, 8]}))
    t, um = supply_demand(dem, grads)
    t = t.set_index("major")
    assert t.loc["计算机科学与技术", "demand_headcount"] == 7 and t.loc["计算机科学与技术", "supply"] == 5
    assert t.loc["计算机科学与技术", "reading"] == "需求/供给 = 1.4，供不应求"
    assert t.loc["软件工程", "reading"] == "需求/供给 = 0.5，供过于求"
    assert t.loc["自动化", "reading"] == "需求/供给 = 1.0，供需基本平衡"
    assert t.loc["数据科学与大数据技术", "reading"] == "有需求，本校无该专业毕业生"
    assert not t.loc["数据科学与大数据技术", "offered"] and t.loc["软件工程", "offered"]
    assert list(t.index[-3:]) == ["数据科学与大数据技术", "不限专业", "未注明专业"]  # not offered, then the rest
    assert t.loc["汉语言文学", "demand_headcount"] == 0 and "供过于求" in t.loc["汉语言文学", "reading"]
    assert t.loc["不限专业", "demand_headcount"] == 3 and t.loc["未注明专业", "demand_headcount"] == 2
    assert t.index[0] == "计算机科学与技术"  # sorted by demand
    assert list(um["token"]) == ["机器人工程"] and um["headcount"].iloc[0] == 3
    # totals kept with "split": 10 + 4 + 3 + 6 + 2
    assert t["demand_headcount"].sum() + um["headcount"].sum() == pytest.approx(25)
    full, _ = supply_demand(dem, grads, allocate="full")
    assert full.set_index("major").loc["计算机科学与技术", "demand_headcount"] == 14


def test_supply_demand_without_graduates_and_with_one_row_per_graduate():
    dem = read_demand(pd.DataFrame([["甲", "开发", "软件工程", 4]],
                                   columns=["单位名称", "岗位名称", "需求专业", "需求人数"])).data
    t, _ = supply_demand(dem)
    assert t["reading"].iloc[0] == "未提供毕业生人数，无法计算供需比"
    per_grad = read_graduates(pd.DataFrame({"major": ["软件工程"] * 8 + ["英语"]}))
    t2, _ = supply_demand(dem, per_grad)
    assert t2.set_index("major").loc["软件工程", "supply"] == 8
    assert t2.set_index("major").loc["软件工程", "reading"] == "需求/供给 = 0.5，供过于求"


def test_ratio_bands_parameter():
    dem = read_demand(pd.DataFrame([["甲", "开发", "软件工程", 11]],
                                   columns=["单位名称", "岗位名称", "需求专业", "需求人数"])).data
    g = read_graduates(pd.DataFrame({"专业": ["软件工程"], "人数": [10]}))
    assert supply_demand(dem, g)[0]["reading"].iloc[0] == "需求/供给 = 1.1，供需基本平衡"
    assert supply_demand(dem, g, ratio_bands=(0.9, 1.05))[0]["reading"].iloc[0] == "需求/供给 = 1.1，供不应求"


def test_read_graduates_code_with_name_fallback_and_errors():
    g = read_graduates(pd.DataFrame({"major_code": ["080901", None, "080901"],
                                     "major": ["计算机科学与技术", "软件工程", "计算机科学与技术"]}))
    assert list(g["major"]) == ["080901", "软件工程", "080901"] and list(g["n"]) == [1.0, 1.0, 1.0]
    assert not g.attrs["has_employer"] and not g.attrs["is_roster"]
    with pytest.raises(SurveyError, match="毕业生数据缺少专业列(.|\n)*现有列：姓名"):
        read_graduates(pd.DataFrame({"姓名": ["某某"]}))


def test_balance_column_for_rules():
    d = read_demand(pd.DataFrame([["甲", "开发", "软件工程、英语", 10], ["乙", "文员", "不限", 2]],
                                 columns=["单位名称", "岗位名称", "需求专业", "需求人数"])).data
    g = read_graduates(pd.DataFrame({"专业": ["软件工程", "英语", "会计学"], "人数": [2, 10, 4]}))
    t = supply_demand(d, g)[0].set_index("major")
    assert t.loc["软件工程", "balance"] == "供不应求"       # 5 / 2
    assert t.loc["英语", "balance"] == "供过于求"           # 5 / 10
    assert t.loc["会计学", "balance"] == "供过于求"         # 0 / 4
    assert pd.isna(t.loc["不限专业", "balance"])


def test_empty_ledger_is_a_user_error(lh):
    from survey_analysis.errors import AnalysisError

    with pytest.raises(AnalysisError, match="走访台账没有数据行"):
        analyze_ledger(lh.visits_frame([]))


def test_ledger_with_nothing_counted(lh):
    df = lh.visits_frame([lh.visit("2021-12-01", "甲大学", "张三", "校长", "甲公司", new="是")])
    r = analyze_ledger(df, target_visits=4, target_new=4, visit_scope="each", **lh.PERIOD)
    lead = r.leaders.iloc[0]
    assert lead["employers"] == 0 and lead["status"] == "落后" and pd.isna(lead["projected_date"])
    assert "无法预计达标日期" in lead["statement"]
    u = analyze_ledger(df, target_visits=4, target_new=4, **lh.PERIOD).universities.iloc[0]
    assert u["principal_employers"] == 0 and u["visit_status"] == "落后" and pd.isna(u["visit_projected_date"])
    assert "无法预计达标日期" in u["visit_statement"]
    assert r.key_employers.empty and list(r.audit["check"]) == ["outside_period"]
    assert r.leaders["target_applies"].dtype == bool
