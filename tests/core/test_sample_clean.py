"""The shipped sample files clean to exactly the planted cleaning cases (data/truth)."""
import json
from pathlib import Path

import pandas as pd
import pytest

import survey_analysis as sa

DATA = Path(__file__).resolve().parents[2] / "data"
FACTS = json.loads((DATA / "truth" / "facts.json").read_text(encoding="utf-8"))["cleaning_cases"]
CASES = pd.read_csv(DATA / "truth" / "cleaning_cases.csv", dtype={"file": str})


@pytest.fixture(scope="module")
def roster():
    return sa.read_survey(DATA / "raw" / "roster_2025.xlsx")


@pytest.mark.parametrize("key", sorted(FACTS))
def test_sample_exclusions_match_planted_cases(key, roster):
    fact = FACTS[key]
    raw = sa.read_survey(DATA / fact["file"])
    res = sa.clean(raw, roster=roster, key="test")
    got = res.summary["excluded_by_reason"]
    assert res.summary["rows_in"] == fact["rows"]
    assert got["duplicate"] == fact["duplicate"]
    assert got["empty"] == fact["empty"]
    assert got["straight_line"] == fact["straightliner"]
    speeders = fact["speeder"] if "n/a" not in fact["speeder_rule"] else 0
    assert got["speeder"] == speeders
    # the duplicates are exactly the planted ones (序号 is the first column of every sample file)
    planted = set(CASES[(CASES["file"] == fact["file"]) & (CASES["case"] == "duplicate")]["序号"])
    excl = res.exclusions
    seq = raw.data.iloc[:, 0].astype(float).astype(int)
    dup_seq = set(seq.loc[excl[excl["rule"] == "duplicate"]["row"]].tolist())
    assert dup_seq == planted


def test_sample_cleaned_data_has_no_personal_information(roster):
    raw = sa.read_survey(DATA / "raw" / "graduate_2025_wjx_numeric.xls")
    res = sa.clean(raw, roster=roster, key="test")
    names = set(roster.data["姓名"].astype(str))
    phones = set(roster.data["手机号"].astype(str))
    text = res.data.astype(str)
    blob = "\n".join(map(str, text.to_numpy().ravel().tolist()))
    assert not any(p in blob for p in phones)
    comments = res.data["comment"].dropna()
    assert not any(n in c for c in comments for n in names if len(n) >= 2)
    assert res.summary["redactions"] > 0
    assert {"name", "phone", "student_id"}.isdisjoint(res.data.columns)
