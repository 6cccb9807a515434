"""The shipped sample ledgers: every planted fact is found by the analysis."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis.datasets.ledger_sample import LEDGER_FILES, make_ledger_sample
from survey_analysis.ledger import analyze_ledger, normalize_employer

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def facts():
    return json.loads((DATA / LEDGER_FILES["facts"]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def res():
    return analyze_ledger(DATA / LEDGER_FILES["visits"], DATA / LEDGER_FILES["demand"],
                          DATA / LEDGER_FILES["graduates"])


def test_generator_is_deterministic_and_matches_the_shipped_files(tmp_path, facts):
    paths = make_ledger_sample(tmp_path, seed=facts["seed"])
    assert json.loads(paths["facts"].read_text(encoding="utf-8")) == facts
    for k in ("visits", "demand", "graduates"):
        assert paths[k].read_bytes() == (DATA / LEDGER_FILES[k]).read_bytes(), k


def test_every_leader_as_planted(res, facts):
    got = res.leaders.set_index(["university", "leader"])
    for f in facts["leaders"]:
        row = got.loc[(f["university"], f["leader"])]
        assert row["role"] == f["role"]
        assert row["employers"] == f["employers"] and row["visits"] == f["visits"]
        assert bool(row["target_applies"]) == f["target_applies"]
        met = None if pd.isna(row["met_date"]) else f"{row['met_date']:%Y-%m-%d}"
        assert met == f["met_date"], f["leader"]


def test_the_short_leader_is_on_the_behind_list(res, facts):
    (short,) = facts["short_leaders"]
    b = res.behind[res.behind["metric"] == "走访用人单位"]
    assert list(b["leader"]) == [short["leader"]]
    text = b["statement"].iloc[0]
    assert f"走访用人单位 {short['employers']} 家" in text and "未完成目标" in text
    assert f"尚差 {100 - short['employers']} 家" in text


def test_the_late_university(res, facts):
    (late,) = facts["late_universities"]
    u = res.universities.set_index("university")
    assert f"{u.loc[late['university'], 'new_met_date']:%Y-%m-%d}" == late["new_met_date"]
    assert late["new_met_date"].startswith("2022-08")
    for f in facts["universities"]:
        row = u.loc[f["university"]]
        assert bool(row["new_target_applies"]) == f["new_target_applies"]
        assert row["new_employers"] == f["new_employers"]
        assert row["positions"] == f["positions"]
        assert row["internship_bases"] == f["internship_bases"]
        assert row["employers"] == f["employers"]


def test_planted_bad_rows_are_in_the_audit(res, facts):
    a = res.audit
    vis = a[a["table"] == "走访台账"]
    dup = vis[vis["check"] == "duplicate_visit"]
    assert list(dup["row"]) == [facts["duplicate_visit"]["row"]]
    assert f"与第 {facts['duplicate_visit']['original_row']} 行重复" in dup["action"].iloc[0]
    out = vis[vis["check"] == "outside_period"]
    assert sorted(out["row"]) == sorted(r["row"] for r in facts["outside_period"])
    nr = vis[vis["check"] == "role_missing"]
    assert list(nr["row"]) == [facts["role_missing"]["row"]]
    assert facts["role_missing"]["role"] in nr["action"].iloc[0]
    dem = a[a["table"] == "需求台账"].set_index("row")
    assert dem.loc[facts["negative_headcount"]["row"], "check"] == "negative_number"
    assert dem.loc[facts["not_a_number_headcount"]["row"], "check"] == "not_a_number"
    # kept, not dropped
    assert len(res.visits) == facts["n_visit_rows"] and len(res.demand) == facts["n_demand_rows"]


def test_employers_written_three_ways_count_once(res, facts):
    for f in facts["employer_written_three_ways"]:
        keys = {normalize_employer(v) for v in f["variants"]}
        assert len(keys) == 1
        rows = res.merges[res.merges["key"] == keys.pop()]
        assert len(rows) == 1
        assert set(f["variants"]) <= set(rows["variants"].iloc[0].split("；"))
        std = set(res.visits.loc[res.visits["employer"].isin(f["variants"]), "employer_std"])
        assert len(std) == 1


def test_supply_and_demand_as_planted(res, facts):
    t = res.supply_demand.set_index("major")
    for major, f in facts["supply_demand"].items():
        assert t.loc[major, "demand_headcount"] == pytest.approx(f["demand"], abs=0.01), major
        assert t.loc[major, "supply"] == f["supply"], major
        assert t.loc[major, "reading"].endswith(f["reading"]), major
    assert t.loc["计算机科学与技术", "reading"].endswith("供不应求")
    assert t.loc["汉语言文学", "reading"].endswith("供过于求")
    assert t.loc["不限专业", "demand_headcount"] == pytest.approx(facts["unrestricted_headcount"])
    assert set(res.unmatched_majors["token"]) == set(facts["unmatched_majors"])
    total = t["demand_headcount"].sum() + res.unmatched_majors["headcount"].sum()
    assert total == pytest.approx(facts["demand_total_counted"])
