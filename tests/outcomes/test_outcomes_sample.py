"""The planted facts of the shipped sample data are found (reads and cleans three files: slow)."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

FILES = {2025: "graduate_2025", 2024: "graduate_2024", 2023: "graduate_2023"}


@pytest.fixture(scope="module")
def sample():
    from survey_analysis import clean, read_survey
    from survey_analysis.datasets import sample_paths
    from survey_analysis.outcomes import outcome_tables

    paths = sample_paths()
    facts = json.loads(paths["facts"].read_text(encoding="utf-8"))
    data, tables = {}, {}
    for cohort, key in FILES.items():
        res = clean(read_survey(paths[key]), key="test-key")
        data[cohort] = res.data
        tables[cohort] = outcome_tables(res.data, by=("school", "major"))
    return facts, data, tables


def test_placement_rates_equal_the_generator_observed_rates(sample):
    facts, _, tables = sample
    for cohort, t in tables.items():
        got = t["placement"].query("level == 'major'").set_index("group")["placement_rate"]
        want = pd.Series(facts["graduate"]["observed"][str(cohort)]["placement_rate"])
        assert set(got.index) == set(want.index)
        assert (got - want.reindex(got.index)).abs().max() < 0.01, cohort


def test_low_placement_majors_get_flagged_and_red_cards(sample):
    from survey_analysis.outcomes import major_warnings

    facts, _, tables = sample
    # the default rule: 黄牌 below 60 % two years running, 红牌 three years running
    w = major_warnings(tables, threshold=0.60, consecutive=2, benchmark=0.80).set_index("major")
    low = set(facts["graduate"]["low_placement_majors"])  # below 60 % in 2023, 2024 and 2025
    assert set(w.index[w["below_threshold_consecutive"].astype(bool)]) == low
    assert set(w.loc[sorted(low), "card"]) == {"红牌"}
    assert set(w.loc[~w.index.isin(low), "card"]) == {"无"}  # no card on a major the rule does not flag
    assert w.loc[sorted(low), "unemployed_count"].min() > w["unemployed_count"].median()
    assert w.loc[sorted(low), "below_benchmark"].astype(bool).all()


def test_high_turnover_major_and_low_fit_competencies(sample):
    from survey_analysis.outcomes import ability_fulfilment

    facts, data, tables = sample
    t = tables[2025]["turnover"].query("level == 'major'").set_index("group")["turnover_rate"]
    assert t.idxmax() == facts["graduate"]["high_turnover_major"]
    af = ability_fulfilment(data[2025], by=("major",))
    for major, low in facts["graduate"]["low_fit_competencies"].items():
        sub = af[af["group"] == major].set_index("competency")
        assert set(sub["fulfilment"].nsmallest(2).index) == set(low), major
        assert sub.loc[low, "fulfilment"].between(0.65, 0.85).all(), major
        assert set(sub.loc[low, "fulfilment_band"]) <= {"不太满足", "不满足"}
