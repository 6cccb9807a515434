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
    assert names[1:] == ["表1_主要指标及其置信区间", "表2_学院样本（小样本隐藏）", "表3_各专业主要指标", "表4_空表",
                         "表5_用人单位意见（节选）"]


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
