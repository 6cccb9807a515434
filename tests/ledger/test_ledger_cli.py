"""The ``survey-analysis ledger`` command, the output files and the report section."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from survey_analysis.cli import main
from survey_analysis.ledger import analyze_ledger, ledger_section, write_ledger_outputs

DATA = Path(__file__).resolve().parents[2] / "data" / "raw"
SMALL = ["--target-visits", "4", "--target-new", "4", "--period-start", "2022-03-01",
         "--period-end", "2022-03-10"]


@pytest.fixture
def visits_csv(tiny_visits, tmp_path):
    df = tiny_visits.copy()
    df.loc[1, "单位名称"] = "=HYPERLINK(\"http://x\")博远电子有限公司"
    path = tmp_path / "visits.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_cli_writes_tables_and_prints_summary(visits_csv, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["ledger", "--visits", str(visits_csv), "--out", str(out), "--no-pdf", *SMALL])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("专项行动台账：3 名书记/校长中 1 人已达走访目标、1 人落后")
    assert any(line.startswith("落后：乙学院 院长 王五") for line in lines)
    names = {p.name for p in out.iterdir()}
    assert {"ledger_leaders.csv", "ledger_universities.csv", "ledger_monthly.csv",
            "ledger_behind.csv", "ledger_key_employers.csv", "ledger_merges.csv",
            "ledger_audit.csv", "ledger_tables.xlsx"} <= names
    assert not any(n.startswith(".") for n in names)  # no temporary leftovers
    raw = (out / "ledger_leaders.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    leaders = pd.read_csv(out / "ledger_leaders.csv", encoding="utf-8-sig")
    assert list(leaders.columns[:3]) == ["高校", "走访人", "职务"]
    # row 3 renamed to a formula-looking name is a new employer, so row 4 is no longer its
    # duplicate: 恒信 03-01, "=HYPERLINK…" 03-02, 博远 03-02, 瑞丰 03-04 → met on 03-04
    assert leaders.set_index("走访人").loc["张三", "达标日期"] == "2022-03-04"
    audit = pd.read_csv(out / "ledger_audit.csv", encoding="utf-8-sig")
    assert set(audit["检查项"]) == {"outside_period", "role_missing", "negative_number"}
    # a formula-looking name is text: apostrophe in CSV, string cell in XLSX
    merges = pd.read_csv(out / "ledger_key_employers.csv", encoding="utf-8-sig")
    assert any(str(x).startswith("'=HYPERLINK") for x in merges["用人单位"])
    wb = openpyxl.load_workbook(out / "ledger_tables.xlsx")
    assert "校领导走访进度" in wb.sheetnames and "审计记录" in wb.sheetnames
    ws = wb["重点单位数据库"]
    assert ws.freeze_panes == "A2"
    cells = [c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_cli_bad_input_exit_2(tmp_path, capsys, tiny_visits):
    path = tmp_path / "v.csv"
    tiny_visits.drop(columns=["走访人"]).to_csv(path, index=False, encoding="utf-8-sig")
    code = main(["ledger", "--visits", str(path), "--out", str(tmp_path / "o"), "--no-pdf"])
    assert code == 2
    err = capsys.readouterr().err
    assert "缺少必需的列：走访人" in err and "现有列：走访日期" in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_cli_with_sample_files(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["ledger", "--visits", str(DATA / "ledger_visits_2022.xlsx"),
                 "--demand", str(DATA / "ledger_demand_2022.xlsx"),
                 "--graduates", str(DATA / "ledger_graduates_2022.csv"),
                 "--out", str(out), "--no-pdf", "-q"])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "6 名书记/校长中 5 人已达走访目标、1 人落后" in lines[0]
    sd = pd.read_csv(out / "ledger_supply_demand.csv", encoding="utf-8-sig").set_index("专业")
    assert sd.loc["计算机科学与技术", "解读"].endswith("供不应求")


def test_ledger_section_blocks(tiny_res):
    from survey_analysis.report.model import BulletList, Figure, Section, Table

    r = tiny_res
    s = ledger_section(r)
    assert isinstance(s, Section) and s.title == "访企拓岗促就业专项行动进展"
    bullets = [b for b in s.blocks if isinstance(b, BulletList)]
    assert list(bullets[0].items) == list(r.behind["statement"])
    captions = [b.caption for b in s.blocks if isinstance(b, (Table, Figure))]
    assert any(c.startswith("书记、校长（院长）走访用人单位进度（3 名校领导") for c in captions)
    assert "校领导走访进度" in captions and "高校进度" in captions
    figs = [b for b in s.blocks if isinstance(b, Figure)]
    assert len(figs) == 4 and all(f.png().startswith(b"\x89PNG") for f in figs)


@pytest.mark.slow
def test_pdf_progress_report(tmp_path):
    import pypdf

    r = analyze_ledger(DATA / "ledger_visits_2022.xlsx", DATA / "ledger_demand_2022.xlsx",
                       DATA / "ledger_graduates_2022.csv")
    paths = write_ledger_outputs(r, tmp_path)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(paths["pdf"]).pages)
    assert "访企拓岗促就业专项行动进展报告" in text
    assert "王海" in text and "落后名单" in text
