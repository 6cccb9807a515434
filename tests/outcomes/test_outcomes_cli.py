"""``survey-analysis outcomes``: outputs, workbook, weighting, bad input (clean monkeypatched)."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from survey_analysis.cli import main



def _fake_reader(frames: dict, logs: dict | None = None):
    def read_and_clean(path, args, **kw):
        name = Path(path).name
        if name not in frames:
            from survey_analysis.errors import ReadError
            raise ReadError("文件不存在", file=path)
        log = (logs or {}).get(name, pd.DataFrame(columns=["field", "rule", "row", "original"]))
        return None, SimpleNamespace(data=frames[name], log=log, summary={"rows_in": len(frames[name]) + 1})
    return read_and_clean


@pytest.fixture
def two_cohorts(monkeypatch, make_grads):
    g24 = make_grads()
    g23 = make_grads().assign(cohort=2023.0)
    g23.loc[g23["major"] == "会计学", "destination"] = "未就业（正在求职）"  # 会计学 was bad in 2023
    g24.loc[0, "major"] = "=HYPERLINK(\"http://x\")"  # a formula-looking value must stay text
    logs = {"g2024.csv": pd.DataFrame({"field": ["income"], "rule": ["implausible"], "row": [7],
                                       "original": ["45000000"]})}
    monkeypatch.setattr("survey_analysis.cli._common.read_and_clean",
                        _fake_reader({"g2024.csv": g24, "g2023.csv": g23}, logs))
    return g24, g23


def test_outcomes_command_writes_tables_and_workbook(two_cohorts, tmp_path, capsys):
    out = tmp_path / "out"
    pop = tmp_path / "pop.csv"
    pd.DataFrame({"专业": ["会计学", "英语"], "人数": [40, 30]}).to_csv(pop, index=False, encoding="utf-8-sig")
    code = main(["outcomes", "g2024.csv", "g2023.csv", "--population", str(pop), "--out", str(out),
                 "--min-cell", "3", "--benchmark", "0.7", "-q"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    last = captured.out.strip().splitlines()[-1]
    assert last.startswith("完成：2024届 19 份答卷") and "已加权" in last and "就业去向落实率" in last
    for name in ("placement", "income", "job_quality", "turnover", "recommendation", "employment_distribution",
                 "trends", "warnings", "problems", "weighting_problems", "comparisons"):
        assert (out / f"{name}.csv").exists(), name
    assert not list(out.glob(".partial-*"))
    placement = pd.read_csv(out / "placement.csv", encoding="utf-8-sig")
    assert placement.columns[:3].tolist() == ["层级", "组别", "学院"]
    assert placement["层级"].iloc[0] == "全校"
    assert "就业去向落实率" in placement.columns
    # formula-looking text is neutralised in CSV
    raw_csv = (out / "placement.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw_csv
    problems = pd.read_csv(out / "problems.csv", encoding="utf-8-sig")
    msgs = " ".join(problems["说明"].astype(str))
    assert "待业中（其他）" in msgs and "清洗时的合理范围" in msgs
    wp = pd.read_csv(out / "weighting_problems.csv", encoding="utf-8-sig")
    assert wp["说明"].str.contains("新闻学").any()  # not in the population file: falls back, reported
    warn = pd.read_csv(out / "warnings.csv", encoding="utf-8-sig")
    acc = warn[warn["专业"] == "会计学"].iloc[0]
    assert acc["就业去向落实率（2023 届）"] == pytest.approx(0.0)
    wb = openpyxl.load_workbook(out / "毕业生跟踪调查分析.xlsx")
    assert wb.sheetnames[0] == "说明" and "毕业去向" in wb.sheetnames and "专业预警" in wb.sheetnames
    ws = wb["毕业去向"]
    assert ws.freeze_panes == "A2"
    assert ws.cell(1, 2).value == "组别"
    assert ws.cell(1, 4).value == "样本量（n）" and ws.cell(2, 4).data_type == "n" and ws.cell(2, 4).value == 18
    cells = [c.value for row in ws.iter_rows() for c in row]
    formula = [v for v in cells if isinstance(v, str) and "HYPERLINK" in v]
    assert formula and all(ws.cell(r, c).data_type == "s" for r in range(1, ws.max_row + 1)
                           for c in range(1, ws.max_column + 1) if ws.cell(r, c).value in formula)
    assert ws.column_dimensions["B"].width >= 8
    rules = wb["专业预警"]
    notes = " ".join(str(c.value) for row in rules.iter_rows() for c in row if c.value)
    assert "红牌" in notes and "连续 3 届" in notes and "不是第三方机构的全国红黄牌" in notes


def test_outcomes_by_college_mycos_top3(two_cohorts, tmp_path, capsys):
    out = tmp_path / "o2"
    code = main(["outcomes", "g2024.csv", "--by", "college", "--definition", "mycos", "--satisfied", "top3",
                 "--out", str(out), "-q"])
    assert code == 0
    t = pd.read_csv(out / "placement.csv", encoding="utf-8-sig")
    assert set(t["层级"]) == {"全校", "学院"}
    assert "就业率（MyCOS 口径）" in capsys.readouterr().out
    assert not (out / "trends.csv").exists()  # one cohort only


def test_outcomes_bad_input_exit_codes(two_cohorts, tmp_path, capsys):
    assert main(["outcomes", "missing.csv", "--out", str(tmp_path / "x")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    assert main(["outcomes", "g2024.csv", "--out", str(tmp_path / "y"), "--min-cell", "0"]) == 2
    assert main(["outcomes", "g2024.csv", "--population", str(tmp_path / "nope.csv"),
                 "--out", str(tmp_path / "z")]) == 2
    assert "找不到人口" in capsys.readouterr().err
    assert not (tmp_path / "z" / "placement.csv").exists()


def test_outcomes_empty_cohort_file_reported_not_crash(monkeypatch, tmp_path, capsys, make_grads):
    g = make_grads()
    empty = g.iloc[:0].assign(cohort=2023.0)
    monkeypatch.setattr("survey_analysis.cli._common.read_and_clean",
                        _fake_reader({"a.csv": g, "b.csv": empty}))
    assert main(["outcomes", "a.csv", "b.csv", "--out", str(tmp_path / "o"), "-q"]) == 0
    p = pd.read_csv(tmp_path / "o" / "problems.csv", encoding="utf-8-sig")
    assert p["说明"].str.contains("b.csv").any()


def test_help_is_chinese():
    from survey_analysis.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["outcomes", "--help"])


def test_teaching_ratings_say_in_chinese_which_part_of_school_an_item_is(tmp_path, capsys):
    """The shipped 2025 export through ``survey-analysis outcomes``: the teaching table's
    方面 column reads 教学 / 学生工作与服务 / 总体, with 就业指导服务 under 学生工作与服务."""
    src = Path(__file__).resolve().parents[2] / "data" / "raw" / "graduate_2025_wjx_numeric.xls"
    code = main(["outcomes", str(src), "--out", str(tmp_path / "o"), "-q"])
    assert code == 0, capsys.readouterr().err
    t = pd.read_csv(tmp_path / "o" / "teaching_ratings.csv", encoding="utf-8-sig")
    col = next(c for c in t.columns if c.startswith("方面"))
    assert set(t[col]) == {"教学", "学生工作与服务", "总体"}
    assert set(t.loc[t["指标名称"] == "就业指导服务", col]) == {"学生工作与服务"}
