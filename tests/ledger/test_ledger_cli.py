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
    assert lines[-1].startswith("专项行动台账：2 所高校中 1 所书记、校长（院长）正职共同走访已达标、1 所落后")
    assert any(line.startswith("落后：乙学院：书记、校长（院长）正职共同走访用人单位 2 家") for line in lines)
    names = {p.name for p in out.iterdir()}
    assert {"ledger_leaders.csv", "ledger_universities.csv", "ledger_monthly.csv",
            "ledger_behind.csv", "ledger_key_employers.csv", "ledger_merges.csv",
            "ledger_audit.csv", "ledger_tables.xlsx"} <= names
    assert not any(n.startswith(".") for n in names)  # no temporary leftovers
    raw = (out / "ledger_leaders.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM and CRLF, as Excel reads it
    leaders = pd.read_csv(out / "ledger_leaders.csv", encoding="utf-8-sig")
    assert list(leaders.columns[:4]) == ["高校", "走访人", "职务", "书记校长正职"]
    unis = pd.read_csv(out / "ledger_universities.csv", encoding="utf-8-sig").set_index("高校")
    # row 3 renamed to a formula-looking name is a new employer, so row 4 is no longer its
    # duplicate: the 正职 of 甲大学 together: 恒信 03-01, 金达 03-01, "=HYPERLINK…" 03-02, 博远 03-02
    assert unis.loc["甲大学", "正职走访达标日期"] == "2022-03-02"
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
    # each 正职 held to the target: the per-leader dates
    code = main(["ledger", "--visits", str(visits_csv), "--out", str(tmp_path / "each"), "--no-pdf",
                 "--visit-scope", "each", *SMALL])
    assert code == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("专项行动台账：3 名书记/校长中 1 人已达走访目标、1 人落后")
    leaders = pd.read_csv(tmp_path / "each" / "ledger_leaders.csv", encoding="utf-8-sig").set_index("走访人")
    assert leaders.loc["张三", "达标日期"] == "2022-03-04"  # 恒信, "=HYPERLINK…", 博远, 瑞丰


def test_csv_cells_with_line_breaks_and_formulas_read_back_intact(tiny_visits, lh, tmp_path):
    """Every ledger CSV goes through outputs.write_csv: a cell with CR/LF stays one cell of one
    record, and a cell starting with = + - @ is written as text (a leading apostrophe)."""
    import csv

    from survey_analysis.ledger import OUTPUT_FILES

    df = tiny_visits.astype({"提供岗位数": object, "备注": object})
    names = {"=SUM(A1:A9)科技有限公司": "'=SUM(A1:A9)科技有限公司", "+86恒通有限公司": "'+86恒通有限公司",
             "-负一科技有限公司": "'-负一科技有限公司", "@华庭有限公司": "'@华庭有限公司"}
    for i, name in enumerate(names):
        df.loc[i + 6, "单位名称"] = name  # rows 8..11 (甲大学 李四 ×3, 乙学院 王五)
    df.loc[0, "提供岗位数"] = "3\r\n=1+1"  # not a number: into the audit, CR/LF and a formula inside
    df.loc[1, "备注"] = "第一行\r第二行\n第三行"
    r = analyze_ledger(df, target_visits=4, target_new=4, **lh.PERIOD)
    paths = write_ledger_outputs(r, tmp_path, pdf=False)
    with open(paths["audit"], encoding="utf-8-sig", newline="") as f:
        audit = list(csv.DictReader(f))
    assert len(audit) == len(r.audit)  # no record split at the line breaks
    bad = [a for a in audit if a["检查项"] == "not_a_number"]
    assert [a["原值"] for a in bad] == ["3\r\n=1+1"] and bad[0]["行号"] == "2"
    with open(paths["key_employers"], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert len(body) == len(r.key_employers)
    written = {row[header.index("用人单位")] for row in body}
    assert set(names.values()) <= written and not any(w in written for w in names)
    assert "-负一科技有限公司" not in written
    with open(tmp_path / OUTPUT_FILES["leaders"], encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.reader(f))) == len(r.leaders) + 1


@pytest.mark.parametrize("args, message", [
    (["--period-start", "2025-13-01"], "参数 period_start 不是日期"),
    (["--period-start", "2025-08-31", "--period-end", "2025-03-01"], "行动期结束日期早于开始日期"),
    (["--target-visits", "0"], "参数 target_visits 必须是正整数"),
    (["--as-of", "月底"], "参数 as_of 不是日期"),
])
def test_cli_bad_parameters_exit_2(tmp_path, capsys, tiny_visits, args, message):
    path = tmp_path / "v.csv"
    tiny_visits.to_csv(path, index=False, encoding="utf-8-sig")
    code = main(["ledger", "--visits", str(path), "--out", str(tmp_path / "o"), "--no-pdf", *args])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


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
    code = main(["ledger", "--visits", str(DATA / "ledger_visits_2025.xlsx"),
                 "--demand", str(DATA / "ledger_demand_2025.xlsx"),
                 "--graduates", str(DATA / "roster_2025.xlsx"),
                 "--out", str(out), "--no-pdf", "-q"])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "1 所高校中 1 所书记、校长（院长）正职共同走访已达标、0 所落后" in lines[0]
    sd = pd.read_csv(out / "ledger_supply_demand.csv", encoding="utf-8-sig").set_index("专业")
    assert sd.loc["计算机科学与技术", "解读"].endswith("供不应求")
    assert sd.loc["计算机科学与技术", "毕业生人数（供给）"] == 428
    assert sd.loc["统计学", "本校开设"] == "否"


def _texts(section) -> list[str]:
    from survey_analysis.report.model import BulletList, Figure, KeyFigures, Paragraph, Table

    out = []
    for b in section.blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, BulletList):
            out += list(b.items)
        elif isinstance(b, Table):
            out += [b.caption, b.note or ""]
        elif isinstance(b, Figure):
            out.append(b.caption)
        elif isinstance(b, KeyFigures):
            out += [str(x) for item in b.items for x in item if x]
    return out


def test_ledger_section_blocks(tiny_res, tiny_each):
    from survey_analysis.report.model import BulletList, Figure, Section, Table

    r = tiny_res
    s = ledger_section(r)
    assert isinstance(s, Section) and s.title == "访企拓岗促就业专项行动进展"
    bullets = [b for b in s.blocks if isinstance(b, BulletList)]
    assert list(bullets[0].items) == list(r.behind["statement"])
    captions = [b.caption for b in s.blocks if isinstance(b, (Table, Figure))]
    assert any(c.startswith("书记、校长（院长）正职共同走访用人单位进度（2 所高校、3 名正职校领导") for c in captions)
    assert {"校领导走访进度", "高校进度", "审计记录", "单位名称合并"} <= set(captions)
    figs = [b for b in s.blocks if isinstance(b, Figure)]
    assert len(figs) == 4 and all(f.png().startswith(b"\x89PNG") for f in figs)
    e = ledger_section(tiny_each)
    captions = [b.caption for b in e.blocks if isinstance(b, (Table, Figure))]
    assert any(c.startswith("书记、校长（院长）正职走访用人单位进度（3 名校领导") for c in captions)


def test_section_refers_only_to_what_it_shows_or_what_is_written(tiny_res, tmp_path):
    """In the report the section names no output file; every table it points to ("见…") is one of
    its own captions.  Written by ``write_ledger_outputs``, every file it names exists."""
    import re

    from survey_analysis.report.model import Figure, Table

    s = ledger_section(tiny_res)
    text = "\n".join(_texts(s))
    assert not re.search(r"ledger_\w+\.(csv|xlsx|pdf)|XLSX|CSV|清单", text), text
    captions = {b.caption for b in s.blocks if isinstance(b, (Table, Figure))}
    for ref in re.findall(r"见(?:下表)?[“「]([^”」]+)[”」]", text):
        assert ref in captions, ref
    for ref in re.findall(r"见([^，。；“「（）]+?)(?:[。；，）]|$)", text):
        assert ref.strip() in captions or ref.startswith("下表"), ref
    paths = write_ledger_outputs(tiny_res, tmp_path / "out", pdf=False)
    written = {p.name for p in paths.values()}
    with_files = ledger_section(tiny_res, files={k: p.name for k, p in paths.items()})
    named = set(re.findall(r"ledger_\w+\.(?:csv|xlsx|pdf)", "\n".join(_texts(with_files))))
    assert named and named <= written and all((tmp_path / "out" / n).is_file() for n in named)


@pytest.mark.slow
def test_pdf_progress_report(tmp_path):
    import pypdf

    r = analyze_ledger(DATA / "ledger_visits_2025.xlsx", DATA / "ledger_demand_2025.xlsx",
                       DATA / "roster_2025.xlsx")
    paths = write_ledger_outputs(r, tmp_path)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(paths["pdf"]).pages)
    assert "访企拓岗促就业专项行动进展报告" in text
    assert "周立群" in text and "落后名单" in text and "华东某理工大学" in text
    from survey_analysis.ledger import OUTPUT_FILES

    named = {n for n in OUTPUT_FILES.values() if n in text}
    assert named  # the PDF points to the full tables written with it …
    for name in named:  # … and only to files that were written
        assert (tmp_path / name).is_file(), name
