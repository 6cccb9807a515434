"""The demo's ledger inside the report: this school's, 2025, supply = the report's own graduate counts."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from survey_analysis.cli.demo import ledger_inputs
from survey_analysis.datasets import sample_paths


@pytest.fixture(scope="module")
def report_and_findings():
    from survey_analysis import analyse
    from survey_analysis.report.build import report_model

    p = sample_paths()
    f = analyse(graduates=[p["graduate_2025"]], population=p["roster"], config=p["config"], **ledger_inputs(p))
    return report_model(f, charts=False), f


def _tables(block_holder):
    from survey_analysis.report.model import Section, Table

    for b in getattr(block_holder, "blocks", ()):
        if isinstance(b, Table):
            yield b
        elif isinstance(b, Section):
            yield from _tables(b)


def test_the_demo_wires_the_schools_2025_ledger_and_its_roster():
    p = sample_paths()
    kw = ledger_inputs(p)
    assert kw["visits"].name == "ledger_visits_2025.xlsx" and kw["demand"].name == "ledger_demand_2025.xlsx"
    assert kw["ledger_graduates"] == p["roster"]


def test_supply_equals_the_graduates_of_table_2_2(report_and_findings):
    report, f = report_and_findings
    tables = [t for s in report.sections for t in _tables(s)]
    (t22,) = [t for t in tables if "表 2-2" in t.caption]
    graduates = t22.df.set_index("major")["population"]
    (sd,) = [t for t in tables if t.caption.endswith("分专业需求与毕业生人数")]
    supply = sd.df.dropna(subset=["major_code"]).set_index("major")["supply"]
    school_majors = [m for m in graduates.index if m != "全校"]
    assert sorted(supply.index) == sorted(school_majors)  # no major the school does not have
    for m in school_majors:
        assert supply[m] == graduates[m], m
    assert supply["计算机科学与技术"] == graduates["计算机科学与技术"] == 428
    assert f.ledger.params["period_start"].year == 2025 and f.ledger.params["period_end"].year == 2025


def test_ledger_section_names_only_this_school_and_no_missing_files(report_and_findings):
    from survey_analysis.report.model import BulletList, Paragraph, Section

    report, f = report_and_findings
    (sec,) = [s for s in report.sections if isinstance(s, Section) and "访企拓岗" in s.title]
    school = f.config.school
    unis = set(f.ledger.universities["university"])
    assert unis == {school}
    text = "\n".join([b.text for b in sec.blocks if isinstance(b, Paragraph)]
                     + [i for b in sec.blocks if isinstance(b, BulletList) for i in b.items]
                     + [t.caption + (t.note or "") for t in _tables(sec)])
    assert not re.search(r"ledger_\w+\.(csv|xlsx)|XLSX|清单", text)
    for t in _tables(sec):
        if "university" in t.df.columns:
            assert set(t.df["university"].dropna()) <= {school}
    assert "2022年3月" not in text and "2025年3月1日" in text
    assert not pd.isna(f.ledger.universities["visit_met_date"].iloc[0])
