import openpyxl
import pytest

from .conftest import FORMULA_TEXT, LONG_COMMENT, make_majors


@pytest.fixture(scope="module")
def wb(rendered):
    return openpyxl.load_workbook(rendered["xlsx"])


def _sheet(wb, prefix):
    return wb[next(n for n in wb.sheetnames if n.startswith(prefix))]


def test_one_sheet_per_table_with_legal_names(wb, report):
    names = wb.sheetnames
    assert names[0] == "目录"
    assert len(names) == 1 + len(report.tables())
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[1:] == ["表1 主要指标及其置信区间", "表2 学院样本（小样本隐藏）", "表3 各专业主要指标", "表4 空表",
                         "表5 用人单位意见（节选）"]
    index = wb["目录"]
    listed = [r[1] for r in index.iter_rows(values_only=True) if r[0] in names[1:]]
    assert listed == [f"表 {i}　{t.caption}" for i, t in enumerate(report.tables(), 1)]  # full titles


def test_numbers_equal_the_dataframe(wb):
    majors = make_majors()
    ws = _sheet(wb, "表3")
    assert [c.value for c in ws[1]] == ["专业", "样本量", "就业去向落实率", "月收入", "满意度均分"]
    assert ws.freeze_panes == "A2"
    for i, row in enumerate(ws.iter_rows(min_row=2, max_row=1 + len(majors), values_only=True)):
        src = majors.iloc[i]
        assert row[0] == src["major"]
        assert row[1] == src["n"]
        assert row[2] == src["placement"]
        assert row[3] == src["income"]
        assert row[4] == src["score"]
    assert ws["C2"].number_format == "0.0%"
    assert ws["D2"].number_format == "¥#,##0"
    assert ws["B2"].number_format == "#,##0"
    assert ws.cell(2 + len(majors), 1).value is None  # a blank row, then the caption
    assert ws.cell(3 + len(majors), 1).value == "表 3　各专业主要指标"


def test_pct_ci_becomes_three_columns(wb):
    ws = _sheet(wb, "表1")
    assert [c.value for c in ws[1]] == ["指标", "估计", "估计（95% CI 下限）", "估计（95% CI 上限）", "n"]
    assert [c.value for c in ws[2]] == ["就业去向落实率", 0.912, 0.881, 0.936, 1845]


def test_suppressed_cells_blank_and_flag_column_hidden(wb):
    ws = _sheet(wb, "表2")
    assert [c.value for c in ws[1]] == ["学院", "n", "满意度"]
    assert [c.value for c in ws[3]] == ["理学院", None, None]
    assert any("样本量少于 5" in str(c.value) for c in ws["A"])


def test_formula_looking_text_stays_text(wb, rendered):
    ws = _sheet(wb, "表5")
    cells = {c.value: c for c in ws["B"]}
    c = cells[FORMULA_TEXT]
    assert c.data_type == "s"
    assert LONG_COMMENT in cells
    # and no formula anywhere in the file
    import zipfile

    with zipfile.ZipFile(rendered["xlsx"]) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name)


def test_values_keep_their_type(tmp_path):
    """Rates are fractions with a percent format (also when only the column name says so),
    p-values numbers with a format that shows <0.001, dates Excel dates, question numbers
    numbers; codes with a leading zero and ranges stay text."""
    import datetime as dt

    import pandas as pd

    from survey_analysis.report import Report, Section, Table
    from survey_analysis.report.pdf import pdf_text
    from survey_analysis.report.render import render

    df = pd.DataFrame({
        "题号": ["1", "2", "12"],
        "专业代码": ["080901", "080902", "050101"],
        "能力满足度": [0.8439, 0.912, 0.75],
        "p": [0.00004, 0.0325, 0.5],
        "达标日期": [dt.date(2022, 8, 20), pd.NaT, dt.date(2022, 5, 2)],
        "预计日期": ["2023-07-25", "—", "2022-10-22"],
        "规模": ["1001-3000人", "50人及以下", "51-100人"],
    })
    rep = Report("类型", sections=[Section("s", [Table(df, "类型检查", formats={"题号": "text"})])])
    paths = render(rep, tmp_path, formats=("xlsx", "pdf"))
    ws = openpyxl.load_workbook(paths["xlsx"])["表1 类型检查"]
    rows = list(ws.iter_rows(min_row=2, max_row=4))
    assert [c.value for c in rows[2][:2]] == [12, "050101"]
    assert all(r[0].data_type == "n" for r in rows) and all(r[1].data_type == "s" for r in rows)
    assert [r[2].value for r in rows] == [0.8439, 0.912, 0.75] and rows[0][2].number_format == "0.0%"
    assert [r[3].value for r in rows] == [0.00004, 0.0325, 0.5]
    assert rows[0][3].number_format == '[<0.001]"<0.001";0.000'
    assert rows[0][4].value == dt.datetime(2022, 8, 20) and rows[0][4].is_date and rows[1][4].value is None
    assert rows[0][5].value == dt.datetime(2023, 7, 25) and rows[1][5].value == "—"
    assert [r[6].data_type for r in rows] == ["s", "s", "s"]
    # the PDF shows what the number formats show
    text = " ".join(pdf_text(paths["pdf"]))
    for shown in ("84.4%", "91.2%", "<0.001", "0.033", "0.500", "2022-08-20", "2023-07-25"):
        assert shown in text, shown
