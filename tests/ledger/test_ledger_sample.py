"""The shipped sample ledgers (the sample school's, 2025): every planted fact is found."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from survey_analysis.datasets.ledger_sample import LEDGER_FILES, LEDGER_GRADUATES, make_ledger_sample
from survey_analysis.ledger import analyze_ledger, normalize_employer

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def facts():
    return json.loads((DATA / LEDGER_FILES["facts"]).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def res():
    return analyze_ledger(DATA / LEDGER_FILES["visits"], DATA / LEDGER_FILES["demand"], DATA / LEDGER_GRADUATES)


def test_generator_is_deterministic_and_matches_the_shipped_files(tmp_path, facts):
    # without a roster in the folder the generator builds the same roster the sample ships
    paths = make_ledger_sample(tmp_path, seed=facts["seed"])
    assert json.loads(paths["facts"].read_text(encoding="utf-8")) == facts
    for k in ("visits", "demand"):
        assert paths[k].read_bytes() == (DATA / LEDGER_FILES[k]).read_bytes(), k


def test_the_ledger_is_the_sample_schools_for_the_reports_year(res, facts):
    cfg = yaml.safe_load((DATA / "config.yaml").read_text(encoding="utf-8"))
    assert facts["school"] == cfg["school"] and facts["year"] == cfg["cohort"] == 2025
    assert set(res.visits["university"]) == {cfg["school"]}
    assert res.params["period_start"].year == res.params["period_end"].year == 2025
    colleges = {c for c in res.visits["college"].dropna()}
    assert colleges == set(cfg["colleges"])
    # supply: the school's 12 majors, from its own roster, counted independently here
    roster = pd.read_excel(DATA / LEDGER_GRADUATES, engine="calamine", dtype=str)
    counts = roster["专业"].value_counts()
    sd = res.supply_demand.set_index("major")
    offered = sd[sd["offered"].fillna(False).astype(bool)]
    assert set(offered.index) == {m["name"] for m in cfg["majors"]} == set(counts.index)
    for major, n in counts.items():
        assert offered.loc[major, "supply"] == n, major
    assert offered.loc["计算机科学与技术", "supply"] == 428
    # the ledger's own files and what it points to
    ledger = cfg["data"]["ledger"]
    assert ledger["visits"] == LEDGER_FILES["visits"] and ledger["demand"] == LEDGER_FILES["demand"]
    assert ledger["graduates"] == LEDGER_GRADUATES == cfg["data"]["roster"]["path"]
    assert not list((DATA / "raw").glob("ledger_*2022*"))


def test_the_visit_target_and_every_leader_as_planted(res, facts):
    school = facts["progress"]
    u = res.universities.set_index("university").loc[school["university"]]
    assert u["principal_employers"] == school["principal_employers"]
    assert f"{u['visit_met_date']:%Y-%m-%d}" == school["visit_met_date"]
    got = res.leaders.set_index("leader")
    for f in facts["leaders"]:
        row = got.loc[f["leader"]]
        assert row["role"] == f["role"] and bool(row["principal"]) == f["principal"]
        assert row["employers"] == f["employers"] and row["visits"] == f["visits"]
    each = analyze_ledger(DATA / LEDGER_FILES["visits"], visit_scope="each")
    lead = each.leaders.set_index("leader")
    for f in facts["leaders"]:
        met = lead.loc[f["leader"], "met_date"]
        assert (None if pd.isna(met) else f"{met:%Y-%m-%d}") == f["met_date_each"], f["leader"]
    (short,) = facts["short_leaders_each"]
    b = each.behind[each.behind["metric"] == "走访用人单位"]
    assert list(b["leader"]) == [short]
    employers = next(f["employers"] for f in facts["leaders"] if f["leader"] == short)
    assert f"走访用人单位 {employers} 家" in b["statement"].iloc[0] and "未完成目标" in b["statement"].iloc[0]


def test_new_employers_met_late_and_school_totals(res, facts):
    school = facts["progress"]
    u = res.universities.set_index("university").loc[school["university"]]
    assert bool(u["new_target_applies"]) == school["new_target_applies"]
    assert f"{u['new_met_date']:%Y-%m-%d}" == school["new_met_date"] and school["new_met_date"].startswith("2025-08")
    for k in ("new_employers", "positions", "internship_bases", "employers"):
        assert u[k] == school[k], k
    assert res.behind.empty  # both targets met by the end of the period
    colleges = res.colleges.set_index("college")["employers"].to_dict()
    assert colleges == facts["college_employers"]


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
    dem = a[a["table"] == "需求台账"].dropna(subset=["row"]).set_index("row")
    assert dem.loc[facts["negative_headcount"]["row"], "check"] == "negative_number"
    assert dem.loc[facts["not_a_number"]["row"], "check"] == "not_a_number"
    assert dem.loc[facts["no_majors"]["row"], "check"] == "missing_value"
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
    for major, demand in facts["not_offered"].items():  # asked for, not taught here
        assert not t.loc[major, "offered"] and t.loc[major, "demand_headcount"] == pytest.approx(demand)
    assert t.loc["不限专业", "demand_headcount"] == pytest.approx(facts["unrestricted_headcount"])
    assert t.loc["未注明专业", "demand_headcount"] == pytest.approx(facts["unspecified_headcount"])
    assert set(res.unmatched_majors["token"]) == set(facts["unmatched_majors"])
    total = t["demand_headcount"].sum() + res.unmatched_majors["headcount"].sum()
    assert total == pytest.approx(facts["demand_total_counted"])
