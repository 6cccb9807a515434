"""pipeline.analyse() on the shipped sample: the planted facts come out."""
import json
from pathlib import Path

import pytest

from survey_analysis.datasets import sample_paths
from survey_analysis.pipeline import analyse, load_config
from survey_analysis.errors import ConfigError

DATA = Path(__file__).resolve().parents[1] / "data"
FACTS = json.loads((DATA / "truth" / "facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def findings():
    p = sample_paths()
    return analyse(p["employer"], [p["graduate_2025"], p["graduate_2024"], p["graduate_2023"]],
                   population=p["roster"], config=p["config"], cohorts=None)


def _low_placement_majors():
    g = FACTS["graduate"]
    for key in ("low_placement_majors", "low_placement"):
        if key in g:
            v = g[key]
            return set(v if isinstance(v, list) else v.keys())
    raise KeyError(list(g))


def test_cohorts_and_report_cohort(findings):
    assert sorted(findings.graduates) == [2023, 2024, 2025]
    assert findings.cohort == 2025
    assert findings.config.school.startswith("华东某理工大学")


def test_low_placement_majors_flagged_three_years(findings):
    w = findings.warnings.set_index("major")
    flagged = set(w.index[w["below_threshold_consecutive"].astype(bool)])
    assert flagged == _low_placement_majors()
    assert (w.loc[sorted(flagged), "years_below_threshold"] >= 3).all()
    assert "红" in findings.warnings.attrs["rule"] or "红牌" in findings.warnings.attrs["rule"]


def test_estimates_are_weighted_to_the_roster(findings):
    g = findings.graduate.data
    assert "weight" in g.columns
    # weighted counts per major equal the population (post-stratification)
    pop = findings.population.groupby("major")["count"].sum() if "count" in findings.population else None
    if pop is not None:
        got = g.groupby("major")["weight"].sum()
        assert (abs(got - pop.reindex(got.index)) < 1e-6 * pop.max()).all()
    assert findings.outcomes["placement"].attrs.get("weighted") is True


def test_employer_pieces_present(findings):
    assert set(findings.employer_profile) >= {"industry", "employer_type"}
    comp = findings.competencies
    assert set(comp["competency"]) >= {"practice", "communication"}
    assert (findings.employer_skills["polarity"] == "gap").sum() > 100
    assert {"major", "college"} <= set(findings.employer_skills.columns)


def test_key_drivers_recover_planted_drivers(findings):
    planted = set(FACTS["employer"]["key_drivers"])
    top = findings.drivers.sort_values("rank").head(len(planted))
    assert set(top["competency"]) == planted


def test_config_errors_are_clear(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("school: x\nfoo: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="未知的键：foo"):
        load_config(bad)
    bad.write_text("school: [x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="不是合法的 YAML"):
        load_config(bad)
    with pytest.raises(ConfigError, match="没有输入数据"):
        analyse()


def test_high_turnover_major_found(findings):
    t = findings.outcomes["turnover"]
    majors = t[t["level"] == "major"].set_index("group")["turnover_rate"]
    assert majors.idxmax() == FACTS["graduate"]["high_turnover_major"]


def test_low_ability_fulfilment_found_per_major(findings):
    a = findings.abilities
    a = a[a["level"] == "major"]
    for major, planted in FACTS["graduate"]["low_fit_competencies"].items():
        lowest = a[a["group"] == major].nsmallest(len(planted) + 1, "fulfilment")["competency"].tolist()
        assert set(planted) <= set(lowest), (major, planted, lowest)
