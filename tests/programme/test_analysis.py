"""Course analyses checked against independent computations (scipy, statsmodels, numpy by hand)
on small hand-made frames, and against the sample's planted facts."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from survey_analysis.design import Design
from survey_analysis.errors import ConfigError
from survey_analysis.programme import CourseSettings, attainment, course_gaps, course_ratings, read_programme


def _programme(tmp_path, text):
    p = tmp_path / "p.csv"
    p.write_text(text, encoding="utf-8")
    return read_programme(p)


@pytest.fixture()
def prog(tmp_path):
    # 专业A: core courses 甲 (1), 乙 (2); communication strongly by 甲, teamwork only weakly by 丙;
    # writing has a column but no mark; data_analysis strongly by 乙 (asked by nobody below)
    return _programme(tmp_path, "专业,课程名称,学分,核心课程,沟通表达能力,团队协作能力,写作能力,数据分析能力\n"
                                "专业A,甲,3,是,H,,,\n专业A,乙,4,是,M,,,H\n专业A,丙,2,,,L,,\n"
                                "专业A,丁,2,,,,,\n")


# ------------------------------------------------------------------------------------------
# course ratings
# ------------------------------------------------------------------------------------------

def _ratings_frame(rng, n_a=40, n_b=3):
    major = ["专业A"] * n_a + ["专业B"] * n_b
    imp1 = rng.integers(3, 6, n_a + n_b).astype(float)
    sat1 = rng.integers(2, 6, n_a + n_b).astype(float)
    sat1[:4] = np.nan  # 无法评价
    imp2 = rng.integers(4, 6, n_a + n_b).astype(float)
    sat2 = rng.integers(1, 4, n_a + n_b).astype(float)
    sat2[: n_a // 2] = 1.0  # half of 专业A: 完全没满足
    return pd.DataFrame({"respondent_id": [f"r{i}" for i in range(n_a + n_b)], "major": major,
                         "course_imp__1": imp1, "course_sat__1": sat1, "course_imp__2": imp2, "course_sat__2": sat2})


def test_course_ratings_equal_plain_definitions(prog):
    d = _ratings_frame(np.random.default_rng(5))
    t = course_ratings(d, prog, Design(min_cell=5))
    a = t[(t["group"] == "专业A")].set_index("course")
    assert list(a.index) == ["甲", "乙"]  # slots resolved to the programme's core courses in order
    for slot, course in (("1", "甲"), ("2", "乙")):
        sub = d[d["major"] == "专业A"]
        imp = sub[f"course_imp__{slot}"].dropna()
        lo, hi = stats.t.interval(0.95, len(imp) - 1, loc=imp.mean(), scale=stats.sem(imp))
        r = a.loc[course]
        assert r["n_importance"] == len(imp)
        assert r["importance_mean"] == pytest.approx(imp.mean())
        assert (r["importance_low"], r["importance_high"]) == (pytest.approx(lo), pytest.approx(hi))
        assert r["important_share"] == pytest.approx((imp >= 4).mean())
        sat = sub[f"course_sat__{slot}"].dropna()
        k = int((sat >= 3).sum())
        wl, wh = proportion_confint(k, len(sat), method="wilson")
        assert r["n"] == len(sat) and r["met"] == pytest.approx(k / len(sat))
        assert (r["met_low"], r["met_high"]) == (pytest.approx(wl), pytest.approx(wh))
    # the reference: every course rating of the school pooled
    s = pd.concat([d["course_sat__1"], d["course_sat__2"]]).dropna()
    assert t["reference"].iloc[0] == pytest.approx((s >= 3).mean())
    # 乙: important (every score ≥ 4) and 满足度 far below the pooled share → flagged; 甲 not
    assert a.loc["乙", "flag"] == "重要但满足度偏低" and a.loc["甲", "flag"] == ""
    # 专业B (3 respondents) is hidden: no figure, no flag
    b = t[t["group"] == "专业B"]
    assert b["suppressed"].all() and b["met"].isna().all() and (b["flag"] == "").all()


def test_course_ratings_by_course_name_and_without_programme(prog):
    d = pd.DataFrame({"respondent_id": list("abcdef"), "major": ["专业A"] * 6,
                      "course_imp__丙": [5, 4, 4, 5, 3, 4.0], "course_sat__丙": [3, 2, 2, 1, 2, 2.0]})
    t = course_ratings(d, prog, Design(min_cell=5))
    assert t["course"].tolist() == ["丙"] and t["met"].iloc[0] == pytest.approx(1 / 6)
    d2 = d.rename(columns={"course_imp__丙": "course_imp__1", "course_sat__丙": "course_sat__1"})
    t2 = course_ratings(d2, None, Design(min_cell=5))
    assert t2["course"].tolist() == ["核心课程1"] and t2.attrs["notes"]
    assert len(course_ratings(d.drop(columns=["course_imp__丙", "course_sat__丙"]), prog)) == 0


def test_weighted_course_ratings_use_the_weights(prog):
    d = _ratings_frame(np.random.default_rng(9), n_b=0)
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(d))
    t = course_ratings(d.assign(weight=w), prog, Design(min_cell=5, weight="weight")).set_index("course")
    sat, ww = d["course_sat__2"].to_numpy(), w
    ok = ~np.isnan(sat)
    assert t.loc["乙", "met"] == pytest.approx(np.sum(ww[ok] * (sat[ok] >= 3)) / np.sum(ww[ok]))


# ------------------------------------------------------------------------------------------
# attainment
# ------------------------------------------------------------------------------------------

def test_attainment_formula_by_hand(tmp_path):
    prog = _programme(tmp_path, "专业,课程名称,学分,沟通与团队协作,外语能力\n专业A,甲,3,H,\n专业A,乙,2,,M\n")
    rng = np.random.default_rng(11)
    g = pd.DataFrame({"respondent_id": [f"g{i}" for i in range(60)], "major": "专业A",
                      "gown__communication": rng.integers(1, 6, 60).astype(float),
                      "gown__teamwork": rng.integers(2, 6, 60).astype(float)})
    g.loc[:9, "gown__teamwork"] = np.nan  # rated one of the two: their mean is that one value
    e = pd.DataFrame({"respondent_id": [f"e{i}" for i in range(20)], "major": "专业A",
                      "sat__communication": rng.integers(2, 6, 20).astype(float),
                      "sat__teamwork": rng.integers(3, 6, 20).astype(float)})
    t = attainment(prog, g, e, Design(min_cell=5)).set_index("requirement")
    r = t.loc["沟通与团队协作"]
    assert r["competencies"] == "沟通表达能力、团队协作能力"  # the taxonomy found both
    gv = g[["gown__communication", "gown__teamwork"]].mean(axis=1) / 5  # score / 5, mean per respondent
    ev = e[["sat__communication", "sat__teamwork"]].mean(axis=1) / 5
    assert r["graduates"] == pytest.approx(gv.mean()) and r["employers"] == pytest.approx(ev.mean())
    value = 0.5 * gv.mean() + 0.5 * ev.mean()
    se = np.sqrt(0.25 * gv.var(ddof=1) / len(gv) + 0.25 * ev.var(ddof=1) / len(ev))
    assert r["value"] == pytest.approx(value)
    assert (r["low"], r["high"]) == (pytest.approx(value - 1.959964 * se), pytest.approx(value + 1.959964 * se))
    lo, hi = stats.t.interval(0.95, len(gv) - 1, loc=gv.mean(), scale=stats.sem(gv))
    assert (r["graduates_low"], r["graduates_high"]) == (pytest.approx(lo), pytest.approx(hi))
    expected = "达成" if r["low"] >= 0.7 else "未达成" if r["high"] < 0.7 else "接近阈值"
    assert r["status"] == expected
    # the foreign language requirement: no survey item rates it here
    assert t.loc["外语能力", "status"] == "无评价数据" and np.isnan(t.loc["外语能力", "value"])
    # a configured formula: (score − 1) / 4, graduates only
    s = CourseSettings(attainment_values={5: 1, 4: 0.75, 3: 0.5, 2: 0.25, 1: 0},
                       attainment_weights={"graduates": 1.0, "employers": 0.0})
    t2 = attainment(prog, g, e, Design(min_cell=5), settings=s).set_index("requirement")
    gv2 = ((g[["gown__communication", "gown__teamwork"]] - 1) / 4).mean(axis=1)
    assert t2.loc["沟通与团队协作", "value"] == pytest.approx(gv2.mean())
    assert "(score − 1)" not in s.formula() and "5 分 → 1" in s.formula()
    # a source below min_cell is hidden and leaves the combination
    t3 = attainment(prog, g, e.head(3), Design(min_cell=5)).set_index("requirement")
    assert pd.isna(t3.loc["沟通与团队协作", "employers"]) and t3.loc["沟通与团队协作", "value"] == pytest.approx(gv.mean())


def test_bad_course_settings():
    with pytest.raises(ConfigError, match="每一级"):
        CourseSettings(attainment_values={5: 1.0, 4: 0.8})
    with pytest.raises(ConfigError, match="0 与 1"):
        CourseSettings(threshold=70)
    with pytest.raises(ConfigError, match="未知的键"):
        CourseSettings.from_config({"treshold": 0.7})


# ------------------------------------------------------------------------------------------
# gaps to courses
# ------------------------------------------------------------------------------------------

def test_course_gaps_status_from_evidence_and_support(prog):
    gs = pd.DataFrame([
        {"level": "school", "group": "全校", "competency_id": c, "share": 0.1, "low": 0.05, "high": 0.15, "n": 100,
         "count": 10, "suppressed": False} for c in ("communication", "teamwork", "writing", "data_analysis")] + [
        {"level": "major", "group": "专业A", "competency_id": c, "share": s, "low": s - 0.1, "high": s + 0.1, "n": 40,
         "count": round(40 * s), "suppressed": False}
        for c, s in (("communication", 0.3), ("teamwork", 0.25), ("writing", 0.2), ("data_analysis", 0.05))])
    ab = pd.DataFrame([{"level": "major", "group": "专业A", "competency": "office", "n": 50, "fulfilment": 0.7,
                        "suppressed": False}])
    t = course_gaps(prog, gap_shares=gs, abilities=ab).set_index("competency_id")
    assert t.loc["communication", "status"] == "有课程支撑" and t.loc["communication", "support_level"] == "强"
    assert t.loc["communication", "courses"] == "《甲》、《乙》"  # strongest first
    assert t.loc["communication", "weighted_support"] == pytest.approx(1.0 * 3 + 0.5 * 4)
    assert t.loc["teamwork", "status"] == "仅弱支撑"
    assert t.loc["writing", "status"] == "无课程支撑"  # its column exists, no course marks it
    assert t.loc["office", "status"] == "无课程支撑" and t.loc["office", "signals"] == "毕业生能力满足度"
    assert not t.loc["data_analysis", "gap"] and t.loc["data_analysis", "status"] == ""  # 5 % is no gap
    # a hidden cell gives no signal
    gs2 = gs.assign(suppressed=gs["group"] == "专业A")
    assert not course_gaps(prog, gap_shares=gs2).set_index("competency_id").loc["communication", "gap"]


# ------------------------------------------------------------------------------------------
# the shipped sample: the planted facts are found
# ------------------------------------------------------------------------------------------

def _facts():
    from survey_analysis.datasets import sample_paths

    return json.loads(sample_paths()["facts"].read_text(encoding="utf-8"))


@pytest.mark.slow
def test_planted_course_facts_are_found(sample_findings):
    f, facts = sample_findings, _facts()
    planted = facts["programme"]["planted"]
    g = f.course_gaps.set_index(["group", "competency_id"])
    for key in ("unsupported_gap", "uncovered_gap"):
        p = planted[key]
        assert g.loc[(p["major"], p["competency"]), "status"] == "无课程支撑", key
    w = planted["weak_only_gap"]
    assert g.loc[(w["major"], w["competency"]), "status"] == "仅弱支撑"
    # every planted employer gap that the evidence flags has the support level the generator wrote
    for major, levels in facts["programme"]["gap_support_level"].items():
        for comp, level in levels.items():
            if (major, comp) in g.index and g.loc[(major, comp), "gap"]:
                assert g.loc[(major, comp), "support_level"] == level, (major, comp)
    # the important-but-unsatisfying core course, and no other
    cr = f.course_ratings
    c = planted["unsatisfying_core_course"]
    flagged = cr[cr["flag"] != ""]
    assert list(zip(flagged["group"], flagged["course"])) == [(c["major"], c["course"])]
    # the requirement below threshold; every requirement below it covers a planted weak competency
    # (graduates' low 能力满足度 or an employer gap), and none without one is below
    a = f.attainment
    r = planted["requirement_below_threshold"]
    row = a[(a["group"] == r["major"]) & (a["requirement"] == r["requirement"])].iloc[0]
    assert row["status"] == "未达成" and row["high"] < r["threshold"]
    low, gaps = facts["graduate"]["low_fit_competencies"], facts["employer"]["gap_profiles"]
    links = f.programme.links
    for x in a[a["rated"] != ""].itertuples():
        comps = set(links.loc[(links["major"] == x.group) & (links["requirement"] == x.requirement), "competency_id"])
        rated = {cid for cid in comps if f"gown__{cid}" in f.graduate.data.columns}
        weak = rated & (set(low[x.group]) | set(gaps[x.group]))
        assert (x.status == "未达成") <= bool(weak), (x.group, x.name)


def test_course_rating_matrix_of_a_foreign_export_end_to_end(tmp_path):
    """A hand-written export whose course-rating matrix has course names as rows, mapped with a
    YAML file as the README says, read, cleaned and rated against the sample programme."""
    import survey_analysis as sa
    from survey_analysis.datasets import sample_paths

    labels = ["完全满足", "大部分满足", "基本满足", "大部分没满足", "完全没满足", "无法评价"]
    q = "2、请评价以下课程满足您工作需要的程度—"
    rows = [{"序号": i + 1, "1、您所学的专业": "计算机科学与技术" if i < 20 else "软件工程",
             q + "数据结构": labels[i % 6], q + "操作系统": labels[(2 * i) % 5]} for i in range(30)]
    pd.DataFrame(rows).to_csv(tmp_path / "export.csv", index=False, encoding="utf-8-sig")
    (tmp_path / "map.yaml").write_text(
        "survey: graduate\nfields:\n  major: {question: 1}\nmatrices:\n"
        "  course_sat__: {question: 2, scale: course5, rows: {数据结构: 数据结构, 操作系统: 操作系统}}\n", encoding="utf-8")
    raw = sa.read_survey(tmp_path / "export.csv")
    res = sa.clean(raw, sa.load_spec(tmp_path / "map.yaml", raw), key="k")
    prog = read_programme(sample_paths()["programme"])
    t = course_ratings(res.data, prog, Design(min_cell=5)).set_index(["group", "course"])
    for major, idx in (("计算机科学与技术", range(20)), ("软件工程", range(20, 30))):
        answers = [labels[i % 6] for i in idx if labels[i % 6] != "无法评价"]  # 无法评价 leaves the base
        met = sum(a in labels[:3] for a in answers) / len(answers)
        assert t.loc[(major, "数据结构"), "n"] == len(answers)
        assert t.loc[(major, "数据结构"), "met"] == pytest.approx(met)
    assert t.loc[("计算机科学与技术", "数据结构"), "core_order"] == 2  # the programme's 2nd core course
