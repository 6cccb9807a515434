"""YAML mapping files: a user-written mapping gives the same cleaned data as the built-in one."""
from pathlib import Path

import pandas as pd
import pytest

import survey_analysis as sa

ROOT = Path(__file__).resolve().parents[2]
EMP = ROOT / "data" / "raw" / "employer_2025_wjx_text.xls"
MAPPING = ROOT / "docs" / "examples" / "employer_mapping.yaml"


@pytest.fixture(scope="module")
def raw():
    return sa.read_survey(EMP)


def test_yaml_mapping_equals_builtin(raw):
    a = sa.clean(raw, sa.load_spec(MAPPING, raw), key="k").data
    b = sa.clean(raw, sa.infer_spec(raw), key="k").data
    shared = [c for c in b.columns if c in a.columns]
    assert len(shared) >= 45
    pd.testing.assert_frame_equal(a[shared], b[shared])


def test_yaml_mapping_reports_unmapped_and_pii(raw):
    spec = sa.load_spec(MAPPING, raw)
    rep = spec.report.set_index("number")
    assert rep.loc["1", "status"] == "unmapped"          # 贵单位名称 not mapped: said, not guessed
    assert rep.loc["14", "status"] == "pii" and rep.loc["15", "status"] == "pii"
    assert "15、联系电话" in spec.pii_columns


def test_yaml_naming_missing_question_is_clear(raw, tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("survey: employer\nfields:\n  major: {question: 99}\n", encoding="utf-8")
    with pytest.raises(sa.ConfigError) as ei:
        sa.load_spec(bad, raw)
    msg = str(ei.value)
    assert "m.yaml" in msg and "第 99 题" in msg and "major" in msg and "题号" in msg


def test_yaml_naming_missing_column_lists_columns(raw, tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text('survey: employer\nfields:\n  industry: "2、行业"\n', encoding="utf-8")
    with pytest.raises(sa.ConfigError, match="不存在") as ei:
        sa.load_spec(bad, raw)
    assert "2、贵单位所属行业" in str(ei.value)


def test_yaml_is_read_safely(raw, tmp_path):
    bad = tmp_path / "m.yaml"
    bad.write_text("survey: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8")
    with pytest.raises(sa.ConfigError, match="YAML"):
        sa.load_spec(bad, raw)


def test_cli_clean_with_bad_yaml_exits_2_and_writes_nothing(tmp_path, capsys):
    from survey_analysis.cli import main

    bad = tmp_path / "m.yaml"
    bad.write_text("survey: employer\nfields:\n  major: {question: 99}\n", encoding="utf-8")
    out = tmp_path / "out"
    rc = main(["clean", str(EMP), "--spec", str(bad), "--out", str(out), "-q"])
    assert rc == 2
    assert "第 99 题" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
