"""Workbooks: values, sheets, row numbers and bad workbooks."""
from __future__ import annotations

import datetime as dt
import zipfile

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ReadError
from survey_analysis.io import read_survey



def _employer_rows():
    return [
        ["序号", "1、贵单位名称", "2、贵单位规模", "3、总体满意度", "4、招聘人数"],
        [1, "甲公司", "51-300人", "很满意", 12],
        [2, "乙公司", "50人及以下", "满意", 3],
        [3, "丙研究院", "3000人以上", "一般", 40],
    ]


def test_xlsx_values_types_and_rows(tmp_path, write_xlsx):
    p = write_xlsx(tmp_path / "e.xlsx", _employer_rows())
    raw = read_survey(p)
    d = raw.data
    assert raw.source.file_format == "xlsx" and raw.source.sheet == "Sheet1"
    assert raw.source.encoding is None
    assert list(d.index) == [2, 3, 4]
    assert d["序号"].dtype == np.int64 and d["序号"].tolist() == [1, 2, 3]
    assert d["4、招聘人数"].tolist() == [12, 3, 40]
    assert d.loc[3, "1、贵单位名称"] == "乙公司"
    cb = raw.codebook
    assert cb["2"].options == ["50人及以下", "51-300人", "3000人以上"]
    assert cb["3"].type == "rating" and cb["3"].scale == "satisfaction5"
    assert cb["4"].type == "numeric"


def test_xls_written_by_xlwt(tmp_path):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("答卷")
    for i, row in enumerate(_employer_rows()):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    p = tmp_path / "e.xls"
    wb.save(str(p))
    raw = read_survey(p)
    assert raw.source.file_format == "xls" and raw.source.sheet == "答卷"
    assert raw.data["1、贵单位名称"].tolist() == ["甲公司", "乙公司", "丙研究院"]
    assert raw.data["4、招聘人数"].tolist() == [12, 3, 40]


def test_sheet_selection(tmp_path):
    import xlsxwriter

    p = tmp_path / "two.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    a = wb.add_worksheet("说明")
    a.write(0, 0, "本文件第二个工作表是数据")
    a.write(1, 0, "x")
    b = wb.add_worksheet("数据")
    b.write_row(0, 0, ["专业", "人数"])
    b.write_row(1, 0, ["英语", 5])
    wb.close()
    assert read_survey(p).source.sheet == "说明"
    assert read_survey(p, sheet="数据").data.loc[2, "专业"] == "英语"
    assert read_survey(p, sheet=1).source.sheet == "数据"
    with pytest.raises(ReadError, match=r"文件「two\.xlsx」：找不到工作表「Sheet9」[\s\S]*「说明」、「数据」"):
        read_survey(p, sheet="Sheet9")
    with pytest.raises(ReadError, match=r"文件「two\.xlsx」：工作表序号 5 不存在"):
        read_survey(p, sheet=5)


def test_error_values_become_missing(tmp_path):
    import xlsxwriter

    p = tmp_path / "err.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["收入", "备注"])
    ws.write(1, 0, 5000)
    ws.write_formula(2, 0, "=NA()", None, "#N/A")
    ws.write_formula(3, 0, "=1/0", None, "#DIV/0!")
    ws.write(1, 1, "#N/A")  # text that looks like an error value is treated as one
    ws.write(2, 1, "好")
    ws.write(3, 1, "不错")
    wb.close()
    raw = read_survey(p)
    income = raw.data["收入"]
    assert income.iloc[0] == 5000 and income.iloc[1:].isna().all()
    assert pd.isna(raw.data.loc[2, "备注"])
    assert any("错误值" in n for n in raw.source.notes)


def test_dates_and_mixed_columns(tmp_path):
    import xlsxwriter

    p = tmp_path / "d.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, ["提交时间", "班级"])
    ws.write_datetime(1, 0, dt.datetime(2024, 5, 1, 10, 30), fmt)
    ws.write_datetime(2, 0, dt.datetime(2024, 5, 2, 8, 0), fmt)
    ws.write(1, 1, 3)
    ws.write(2, 1, "3班")
    wb.close()
    raw = read_survey(p)
    assert pd.api.types.is_datetime64_any_dtype(raw.data["提交时间"])
    assert raw.data.loc[2, "提交时间"] == pd.Timestamp("2024-05-01 10:30")
    assert raw.data["班级"].tolist() == ["3", "3班"]  # a mixed column is text; 3.0 shown as "3"


def test_leading_empty_rows_and_trailing_empty_rows(tmp_path, write_xlsx):
    rows = [[None, None], [None, None], ["专业", "人数"], ["英语", 5], ["法学", 2], [None, None], [None, None]]
    p = write_xlsx(tmp_path / "gap.xlsx", rows)
    import xlsxwriter  # write something far below so the sheet's used range has trailing blank rows

    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.write_row(2, 0, ["专业", "人数"])
    ws.write_row(3, 0, ["英语", 5])
    ws.write_row(4, 0, ["法学", 2])
    ws.write_blank(8, 0, None, wb.add_format({"bold": True}))
    wb.close()
    raw = read_survey(p)
    assert list(raw.data.index) == [4, 5]  # Excel rows: header on row 3
    assert raw.data["专业"].tolist() == ["英语", "法学"]


def test_header_only_and_empty_sheet(tmp_path, write_xlsx):
    p = write_xlsx(tmp_path / "h.xlsx", [["专业", "人数"]])
    with pytest.raises(ReadError, match=r"文件「h\.xlsx」，工作表「Sheet1」，第 1 行：没有数据行：只有表头"):
        read_survey(p)
    p2 = write_xlsx(tmp_path / "e.xlsx", [], extra_sheets=["数据"])
    with pytest.raises(ReadError, match=r"文件「e\.xlsx」，工作表「Sheet1」：没有数据行"):
        read_survey(p2)


def test_duplicated_headers_in_workbook(tmp_path, write_xlsx):
    rows = [["序号", "专业", "年级", "专业"], [1, "英语", 2020, "法学"]]
    p = write_xlsx(tmp_path / "dup.xlsx", rows)
    with pytest.raises(ReadError, match=r"文件「dup\.xlsx」，工作表「Sheet1」，第 1 行，列「专业」：列 B 与列 D 同名"):
        read_survey(p)


def test_truncated_xlsx(tmp_path, write_xlsx):
    p = write_xlsx(tmp_path / "full.xlsx", _employer_rows())
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])
    with pytest.raises(ReadError, match=r"文件「cut\.xlsx」：无法打开工作簿：文件是损坏或被截断的文件") as info:
        read_survey(cut)
    assert "重新下载或导出" in str(info.value)


def test_truncated_xls(fixture_path, tmp_path):
    cut = tmp_path / "cut.xls"
    cut.write_bytes(fixture_path.read_bytes()[:3000])
    with pytest.raises(ReadError, match=r"文件「cut\.xls」.*(无法打开工作簿|无法读取工作表)"):
        read_survey(cut)


def test_zip_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ReadError, match=r"文件「notes\.xlsx」：无法打开工作簿：文件是ZIP 压缩包，但不是 Excel 工作簿"):
        read_survey(p)


@pytest.mark.parametrize(
    "content, what",
    [(b"a,b\n1,2\n", "文本文件"), (b"<html><table><tr><td>1</td></tr></table></html>", "网页（HTML）"), (b"", "空的")],
)
def test_not_a_workbook(tmp_path, content, what):
    p = tmp_path / "x.xls"
    p.write_bytes(content)
    with pytest.raises(ReadError, match=rf"文件「x\.xls」：.*{what}"):
        read_survey(p)


def test_round_trip_xlsx(tmp_path):
    df = pd.DataFrame(
        {
            "学号": ["2020001", "2020002", "2020003"],
            "专业": ["软件工程", "金融学", "英语"],
            "月收入": [5000.5, 8000.0, np.nan],
            "人数": [1, 2, 3],
        }
    )
    p = tmp_path / "rt.xlsx"
    df.to_excel(p, index=False, engine="xlsxwriter")
    back = read_survey(p).data
    expected = df.copy()
    expected.index = pd.Index([2, 3, 4], name="row")
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    assert back["人数"].dtype == np.int64 and back["月收入"].dtype == np.float64


def test_blank_header_named_by_letter(tmp_path, write_xlsx):
    rows = [["专业", None, "人数", None], ["英语", "备注1", 5, None], ["法学", None, 2, None]]
    raw = read_survey(write_xlsx(tmp_path / "b.xlsx", rows))
    assert list(raw.data.columns) == ["专业", "未命名列_B", "人数"]


def test_title_row_above_header_skipped(tmp_path, write_xlsx):
    rows = [["2022年访企拓岗专项行动走访台账", None, None, None],
            ["走访日期", "高校", "单位名称", "行业"],
            ["2022-03-05", "某大学", "甲公司", "制造业"],
            ["2022-03-09", "某大学", "乙公司", "教育"]]
    raw = read_survey(write_xlsx(tmp_path / "ledger.xlsx", rows))
    assert list(raw.data.columns) == ["走访日期", "高校", "单位名称", "行业"]
    assert list(raw.data.index) == [3, 4]
    assert any("标题行" in n for n in raw.source.notes)


def test_merged_header_cells_and_formula_values(tmp_path):
    import xlsxwriter

    p = tmp_path / "merged.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    ws.merge_range(0, 1, 0, 2, "满意度")  # B1:C1 merged: C1 is empty in the file
    ws.write(0, 0, "专业")
    ws.write_row(1, 0, ["英语", "满意", "一般"])
    ws.write(2, 0, "法学")
    ws.write_formula(2, 1, '="很"&"满意"', None, "很满意")
    ws.write(2, 2, "满意")
    wb.close()
    raw = read_survey(p)
    assert list(raw.data.columns) == ["专业", "满意度", "未命名列_C"]
    assert raw.data["满意度"].tolist() == ["满意", "很满意"]  # a formula's cached value
    assert any("列 C 没有表头" in n for n in raw.source.notes)
