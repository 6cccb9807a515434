"""The facts planted by the generator hold in the shipped files (computed here with plain pandas)."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from .conftest import DATA, EMPLOYED, PLACED

TAXONOMY_IDS = {
    "ethics", "integrity", "theory", "professional", "practice", "learning", "innovation", "communication",
    "teamwork", "organization", "resilience", "foreign_language", "office", "adaptability", "responsibility",
    "programming", "data_analysis", "engineering_drawing", "writing", "career_planning", "project_experience",
    "industry_knowledge",
}
NO_CONTENT = {"无", "没有", "暂无", "无。", "没有意见", "暂时没有", "无意见", "/", "没", "无建议"}


@pytest.mark.parametrize("cohort", [2023, 2024, 2025])
def test_low_placement_majors_below_60_percent(grad_labels, facts, cohort):
    g = grad_labels[cohort]
    g = g[g["destination"].notna()]
    rate = g["destination"].isin(PLACED).groupby(g["major"]).mean()
    low = facts["graduate"]["low_placement_majors"]
    assert set(low) == {"汉语言文学", "新闻学"}
    assert (rate[low] < 0.60).all(), rate[low]
    assert (rate.drop(low) > 0.70).all(), rate.drop(low)
    assert len(rate) == 12


def test_high_turnover_major(grad_labels, facts):
    for cohort, g in grad_labels.items():
        emp = g[g["destination"].isin(EMPLOYED)]
        left = emp["job_changes"].isin(["1次", "2次", "3次及以上"]).groupby(emp["major"]).mean()
        top = facts["graduate"]["high_turnover_major"]
        assert left.idxmax() == top == "电子商务"
        assert left[top] > 0.45 and (left.drop(top) < 0.35).all(), (cohort, left)


def _employer_q6(employer_raw):
    return dict(zip(employer_raw["序号"].astype(int), employer_raw["6、贵单位招聘我校毕业生最多的专业"]))


def test_gap_profiles_are_the_top_three_per_major(etruth, employer_raw, facts):
    q6 = _employer_q6(employer_raw)
    gaps = etruth[etruth["polarity"] == "gap"].copy()
    gaps["q6"] = gaps["序号"].astype(int).map(q6)
    assert (gaps["q6"] == gaps["major"]).all()
    profiles = facts["employer"]["gap_profiles"]
    assert len(profiles) == 12
    for major, planted in profiles.items():
        counts = gaps.loc[gaps["q6"] == major, "competency"].value_counts()
        assert set(counts.index[:3]) == set(planted), (major, counts.head(5))
        # clearly higher: the third planted gap beats the best other competency
        assert counts[planted].min() > counts.drop(planted).max(), (major, counts.head(6))


def test_truth_clauses_match_the_comments(etruth, employer_raw):
    fields = {"comment_suggestion": "16、您对学校人才培养的意见和建议",
              "comment_skills": "17、您认为我校毕业生最需要加强的能力是什么"}
    text = {(int(s), f): t for f, col in fields.items()
            for s, t in zip(employer_raw["序号"], employer_raw[col])}
    assert set(etruth["competency"]) - {""} <= TAXONOMY_IDS
    assert set(etruth["polarity"]) == {"gap", "strength", "none"}
    assert set(etruth["field"]) == set(fields)
    for (seq, field), grp in etruth.groupby(["序号", "field"]):
        comment = text[(int(seq), field)]
        pos = 0
        for clause in grp.sort_values("clause_index", key=lambda s: s.astype(int))["clause"]:
            found = comment.find(clause, pos)
            assert found >= 0, (seq, field, clause, comment)
            pos = found + len(clause)
    # every comment with content has at least one planted clause
    has_truth = {(int(s), f) for s, f in zip(etruth["序号"], etruth["field"])}
    for key, comment in text.items():
        if comment and comment not in NO_CONTENT:
            assert key in has_truth, (key, comment)


def test_comments_exercise_redaction_and_normalisation(employer_raw, etruth):
    col = "16、您对学校人才培养的意见和建议"
    texts = pd.concat([employer_raw[col], employer_raw["17、您认为我校毕业生最需要加强的能力是什么"]])
    assert texts.str.contains(r"1[3-9]\d{9}").sum() >= 5
    roster = pd.read_excel(DATA / "raw" / "roster_2025.xlsx", engine="calamine", dtype=str)
    names = set(roster["姓名"])
    name_clauses = etruth[etruth["topic"] == "pii_name"]["clause"]
    assert len(name_clauses) >= 5
    for c in name_clauses:
        assert any(n in c for n in names), c
    assert texts.str.contains("[Ａ-Ｚ]").sum() >= 3  # full-width letters (ＥＸＣＥＬ)
    assert texts.str.contains("[強實業學溝達]").sum() >= 3  # traditional characters
    assert (texts == "").mean() > 0.05 and texts.isin(NO_CONTENT).sum() > 30
    assert texts.str.contains("┋").sum() == 0


def _case_seqs(cases, file):
    c = cases[cases["file"] == file]
    return {k: set(c.loc[c["case"] == k, "序号"].astype(int)) for k in ("duplicate", "speeder", "straightliner", "empty")}


def test_key_drivers_recovered_by_regression(employer_raw, eq, scales, cases, facts):
    labels = scales["satisfaction5"]["labels"]
    score = {lab: 5 - i for i, lab in enumerate(labels)}
    bad = set().union(*_case_seqs(cases, "raw/employer_2025_wjx_text.xls").values())
    df = employer_raw[~employer_raw["序号"].astype(int).isin(bad)]
    q9 = next(q for q in eq["questions"] if q["number"] == 9)
    X = pd.DataFrame({r["code"]: df[f"9、{q9['text']}—{r['label']}"].map(score) for r in q9["rows"]})
    y = df["10、总体而言，贵单位对我校毕业生的满意程度"].map(score)
    ok = X.notna().all(axis=1) & y.notna()
    A = np.column_stack([np.ones(ok.sum()), X[ok].to_numpy(float)])
    coef, *_ = np.linalg.lstsq(A, y[ok].to_numpy(float), rcond=None)
    beta = pd.Series(coef[1:], index=X.columns).sort_values(ascending=False)
    assert set(beta.index[:3]) == set(facts["employer"]["key_drivers"]) == {"practice", "communication", "responsibility"}
    assert beta.iloc[2] > 3 * abs(beta.iloc[3])


def test_low_competency_fit_per_major(grad2025_raw, gq, facts):
    df = grad2025_raw
    q = {x["number"]: x for x in gq["questions"]}
    majors = q[6]["options"]
    major = df["6、您所学的专业"].map(lambda c: majors[c - 1] if c > 0 else None)

    def scores(n):
        return pd.DataFrame({r["code"]: df[f"第{n}题({r['label']})"].where(lambda s: s.between(1, 5)).rsub(6)
                             for r in q[n]["rows"]})

    req, own = scores(24), scores(25)
    planted = facts["graduate"]["low_fit_competencies"]
    for m in majors:
        sel = major == m
        ratio = own[sel].mean() / req[sel].mean()
        low = ratio.nsmallest(2)
        assert set(low.index) == set(planted[m]), (m, ratio.sort_values().head(4))
        assert (low < 0.85).all() and (ratio.drop(low.index) > 0.88).all(), (m, ratio.sort_values())


def test_income_by_major_and_outliers(grad2025_raw, gq, facts):
    df = grad2025_raw
    majors = next(x for x in gq["questions"] if x["number"] == 6)["options"]
    inc = df["12、您目前的税前月收入（元）"]
    major = df["6、您所学的专业"].map(lambda c: majors[c - 1] if c > 0 else None)
    ok = inc > 0
    med = inc[ok].groupby(major[ok]).median().sort_values(ascending=False)
    assert set(med.index[:3]) == {"计算机科学与技术", "软件工程", "数据科学与大数据技术"}
    outliers = facts["graduate"]["income_outliers"]["2025"]
    assert sorted(o["income"] for o in outliers) == [0, 45000000]
    for o in outliers:
        row = df[df["序号"] == o["序号"]].iloc[0]
        assert row["12、您目前的税前月收入（元）"] == o["income"]
        assert str(row["1、学号"]).split(".")[0] == o["student_id"]
    assert (inc == 45000000).sum() >= 1 and inc[inc > 100000].isin([45000000]).all()


def _answer_cols(df):
    return [c for c in df.columns if re.match(r"^(\d+、|第\d+题)", c)]


def test_cleaning_cases_in_employer_file(employer_raw, cases, facts):
    df = employer_raw
    seq = df["序号"].astype(int)
    planted = _case_seqs(cases, "raw/employer_2025_wjx_text.xls")
    counts = facts["cleaning_cases"]["employer_2025"]
    assert {k: len(v) for k, v in planted.items()} == {k: counts[k] for k in planted}
    assert 6 <= counts["duplicate"] <= 12 and 6 <= counts["speeder"] <= 12 and counts["empty"] >= 2
    secs = df["所用时间"].str.rstrip("秒").astype(int)
    assert set(seq[secs < 60]) == planted["speeder"]
    cols = _answer_cols(df)
    assert set(seq[(df[cols] == "").all(axis=1)]) == planted["empty"]
    dup = df.duplicated(subset=cols + ["来自IP"], keep="first") & ~(df[cols] == "").all(axis=1)
    assert set(seq[dup]) == planted["duplicate"]
    grid = df[[c for c in cols if c.startswith(("8、", "9、", "11、"))]]
    scale_pos = {lab: i for i, lab in enumerate(["很重要", "重要", "一般", "不太重要", "很不重要"])}
    scale_pos.update({lab: i for i, lab in enumerate(["很满意", "满意", "一般", "不满意", "很不满意"])})
    pos = grid.apply(lambda s: s.map(scale_pos))
    straight = (pos.nunique(axis=1) == 1) & pos.notna().all(axis=1)
    # a straight-liner's duplicate would count twice; planted duplicates never copy them
    assert set(seq[straight]) == planted["straightliner"]


def test_cleaning_cases_in_graduate_numeric_file(grad2025_raw, cases, facts):
    df = grad2025_raw
    seq = df["序号"].astype(int)
    planted = _case_seqs(cases, "raw/graduate_2025_wjx_numeric.xls")
    counts = facts["cleaning_cases"]["graduate_2025"]
    assert {k: len(v) for k, v in planted.items()} == {k: counts[k] for k in planted}
    secs = df["所用时间"].str.rstrip("秒").astype(int)
    assert set(seq[secs < 60]) == planted["speeder"]
    cols = _answer_cols(df)
    assert set(seq[df.duplicated(subset=cols + ["来自IP"], keep="first")]) == planted["duplicate"]
    for s in planted["duplicate"]:
        orig = int(cases.loc[(cases["序号"] == str(s)) & (cases["file"] == "raw/graduate_2025_wjx_numeric.xls"),
                             "duplicate_of"].iloc[0])
        t0 = pd.Timestamp(df.loc[seq == orig, "提交答卷时间"].iloc[0])
        t1 = pd.Timestamp(df.loc[seq == s, "提交答卷时间"].iloc[0])
        assert pd.Timedelta(0) < t1 - t0 <= pd.Timedelta(minutes=10)


def test_graduate_truth_matches_the_2025_comments(grad2025_raw):
    truth = pd.read_csv(DATA / "truth" / "graduate_comment_truth.csv", dtype=str, keep_default_na=False)
    assert set(truth["cohort"]) == {"2023", "2024", "2025"}
    t25 = truth[truth["cohort"] == "2025"]
    text = dict(zip(grad2025_raw["序号"].astype(int), grad2025_raw["26、您对母校人才培养工作的意见和建议"].fillna("")))
    for seq, grp in t25.groupby("序号"):
        comment, pos = text[int(seq)], 0
        for clause in grp.sort_values("clause_index", key=lambda s: s.astype(int))["clause"]:
            found = comment.find(clause, pos)
            assert found >= 0, (seq, clause, comment)
            pos = found + len(clause)
    assert set(t25["competency"]) - {""} <= TAXONOMY_IDS
    assert (t25["topic"] == "pii_phone").sum() >= 3
