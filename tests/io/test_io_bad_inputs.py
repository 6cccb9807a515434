"""A corpus of bad and odd inputs for every reader (issue 9), generated in tmp_path.

Each case builds one file and states the outcome: either a :class:`ReadError` whose message
matches a pattern and names the file (exit code 2 from the command line), or a successful read
checked by a small function.
"""
from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis.errors import ReadError
from survey_analysis.io import read_survey


def _xlsx(path: Path, rows, *, fmt_dates=False, sheet="Sheet1"):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.datetime) and fmt_dates:
                ws.write_datetime(i, j, v, date_fmt)
            elif isinstance(v, tuple):  # (formula, cached value)
                ws.write_formula(i, j, v[0], None, v[1])
            else:
                ws.write(i, j, v)
    wb.close()
    return path


def _good_xlsx_bytes(tmp: Path) -> bytes:
    p = _xlsx(tmp / "_good.xlsx", [["专业", "人数"], ["英语", 5], ["法学", 3]])
    data = p.read_bytes()
    p.unlink()
    return data


def _good_sav_bytes(tmp: Path) -> bytes:
    import pyreadstat

    p = tmp / "_good.sav"
    pyreadstat.write_sav(pd.DataFrame({"sex": [1.0, 2.0]}), str(p), variable_value_labels={"sex": {1: "男", 2: "女"}})
    data = p.read_bytes()
    p.unlink()
    return data


def _bytes(name, data):
    def build(tmp):
        p = tmp / name
        p.write_bytes(data(tmp) if callable(data) else data)
        return p

    return build


def _text(name, text, enc="utf-8"):
    return _bytes(name, text.encode(enc))


def _rows(name, rows, **kw):
    return lambda tmp: _xlsx(tmp / name, rows, **kw)


ERR = "error"
OK = "ok"

CASES = [
    # ---- CSV ---------------------------------------------------------------------------
    ("csv_empty", _bytes("empty.csv", b""), ERR, r"文件是空的，没有数据行", {}),
    ("csv_bom_only", _bytes("bom.csv", codecs.BOM_UTF8), ERR, r"没有数据行", {}),
    ("csv_whitespace_only", _text("ws.csv", "\n\n   \r\n"), ERR, r"没有数据行", {}),
    ("csv_header_only", _text("h.csv", "专业,人数\n"), ERR, r"第 1 行：没有数据行：只有表头", {}),
    ("csv_header_then_blank", _text("hb.csv", "专业,人数\n\n,\n\n"), ERR, r"只有表头", {}),
    ("csv_is_zip", _bytes("z.csv", b"PK\x03\x04" + b"\x00" * 200), ERR, r"内容看起来是ZIP 压缩包", {}),
    ("csv_is_xls", _bytes("x.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200), ERR, r"旧版 Excel", {}),
    ("csv_is_sav", _bytes("s.csv", b"$FL2@(#) IBM SPSS" + b"\x00" * 100), ERR, r"SPSS 数据文件", {}),
    ("csv_binary_junk", _bytes("j.csv", bytes(range(256)) * 8), ERR, r"空字节（NUL", {}),
    ("csv_undecodable", _bytes("u.csv", "专业,人数\n".encode() + b"\xff\xfe\xfd,1\n"), ERR, r"第 2 行：无法识别文件编码", {}),
    ("csv_mixed_encodings", _bytes("m.csv", "姓名,意见\n".encode() + "张三,课程太少了\n".encode("gbk") + "李四,课程\n".encode()),
     ERR, r"混用了两种编码", {}),
    ("csv_wrong_encoding_given", _text("w.csv", "专业,人数\n英语,3\n", "gbk"), ERR, r"无法按 utf-8 编码读取：第 1 行", {"encoding": "utf-8"}),
    ("csv_unknown_encoding_name", _text("n.csv", "a,b\n1,2\n"), ERR, r"不认识的编码名称", {"encoding": "gbk-2000"}),
    ("csv_too_many_fields", _text("f.csv", "a,b\n1,2\n3,4,5\n"), ERR, r"第 3 行：第 3 行的字段数比表头多", {}),
    ("csv_unclosed_quote", _text("q.csv", 'a,b\n1,"abc\n2,3\n'), ERR, r"引号没有闭合", {}),
    ("csv_duplicated_headers", _text("d.csv", "专业,人数,专业\n英语,3,法学\n"), ERR, r"列「专业」：列 A 与列 C 同名", {}),
    ("csv_gbk", _text("g.csv", "专业,人数\n计算机科学与技术,3\n", "gbk"), OK,
     lambda r: r.source.encoding == "gb18030" and r.data.loc[2, "专业"] == "计算机科学与技术", {}),
    ("csv_utf8_bom", _bytes("b.csv", codecs.BOM_UTF8 + "专业,人数\n英语,3\n".encode()), OK,
     lambda r: r.source.encoding == "utf-8-sig" and list(r.data.columns) == ["专业", "人数"], {}),
    ("csv_utf16_bom", _text("u16.csv", "专业,人数\n英语,3\n", "utf-16"), OK, lambda r: r.data.loc[2, "专业"] == "英语", {}),
    ("csv_utf16le_no_bom", _text("u16le.csv", "专业,人数\n英语,3\n", "utf-16-le"), OK,
     lambda r: r.source.encoding == "utf-16-le" and r.data.loc[2, "人数"] == "3", {}),
    ("csv_bom_in_middle", _bytes("bm.csv", "a,b\n1,2\n".encode() + codecs.BOM_UTF8 + "3,4\n".encode()), OK,
     lambda r: r.data["a"].tolist() == ["1", "3"] and any("BOM" in n for n in r.source.notes), {}),
    ("csv_blank_headers", _text("bh.csv", "a,,b,\n1,x,2,\n"), OK, lambda r: list(r.data.columns) == ["a", "未命名列_B", "b"], {}),
    ("csv_short_rows", _text("sr.csv", "a,b,c\n1,2\n3\n"), OK,
     lambda r: r.data.loc[2, "b"] == "2" and pd.isna(r.data.loc[3, "b"]) and pd.isna(r.data.loc[2, "c"]), {}),
    ("csv_formula_text_kept", _text("fx.csv", "意见\n=1+1\n+86 138\n-没有\n@all\n"), OK,
     lambda r: r.data["意见"].tolist() == ["=1+1", "+86 138", "-没有", "@all"], {}),
    ("csv_na_words_kept", _text("na.csv", "意见\nNA\n无\nnull\nN/A\n"), OK,
     lambda r: r.data["意见"].tolist() == ["NA", "无", "null", "N/A"], {}),
    ("csv_trailing_blank_lines", _text("tb.csv", "a\n1\n\n\n\n"), OK,
     lambda r: len(r.data) == 1 and any("末尾" in n for n in r.source.notes), {}),
    # ---- workbooks ---------------------------------------------------------------------
    ("xlsx_empty_file", _bytes("e.xlsx", b""), ERR, r"文件是空的（0 字节）", {}),
    ("xlsx_truncated", _bytes("t.xlsx", lambda tmp: _good_xlsx_bytes(tmp)[:1500]), ERR, r"损坏或被截断", {}),
    ("xlsx_zip_not_workbook", lambda tmp: _zip(tmp / "z.xlsx"), ERR, r"ZIP 压缩包，但不是 Excel 工作簿", {}),
    ("xlsx_is_csv_text", _text("c.xlsx", "a,b\n1,2\n"), ERR, r"文本文件（可能是 CSV）", {}),
    ("xls_is_html", _text("h.xls", "<html><body><table><tr><td>1</td></tr></table></body></html>"), ERR, r"网页（HTML）", {}),
    ("xls_ole_junk", _bytes("o.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4), ERR, r"无法打开工作簿|无法读取工作表", {}),
    ("xlsx_random_junk", _bytes("r.xlsx", bytes(range(255, -1, -1)) * 4), ERR, r"不是 Excel 工作簿", {}),
    ("xlsx_header_only", _rows("ho.xlsx", [["专业", "人数"]]), ERR, r"工作表「Sheet1」，第 1 行：没有数据行：只有表头", {}),
    ("xlsx_empty_sheet", _rows("es.xlsx", []), ERR, r"工作表「Sheet1」：没有数据行", {}),
    ("xlsx_missing_sheet", _rows("ms.xlsx", [["a"], [1]]), ERR, r"找不到工作表「数据」[\s\S]*「Sheet1」", {"sheet": "数据"}),
    ("xlsx_sheet_index_out_of_range", _rows("mi.xlsx", [["a"], [1]]), ERR, r"工作表序号 3 不存在", {"sheet": 3}),
    ("xlsx_duplicated_headers", _rows("dh.xlsx", [["a", "b", "a"], [1, 2, 3]]), ERR, r"列「a」：列 A 与列 C 同名", {}),
    ("xlsx_error_values", _rows("ev.xlsx", [["收入"], [("=NA()", "#N/A")], [("=1/0", "#DIV/0!")], [5000]]), OK,
     lambda r: r.data["收入"].isna().sum() == 2 and r.data.loc[4, "收入"] == 5000, {}),
    ("xlsx_formula_cached_value", _rows("fv.xlsx", [["总分"], [("=1+2", 3)], [4]]), OK, lambda r: r.data["总分"].tolist() == [3, 4], {}),
    ("xlsx_dates_as_serial_numbers", _rows("sn.xlsx", [["提交日期"], [45413], [45414.5]]), OK,
     lambda r: r.data["提交日期"].tolist() == [45413.0, 45414.5], {}),
    ("xlsx_real_dates", _rows("rd.xlsx", [["提交日期"], [dt.datetime(2024, 5, 1)], [dt.datetime(2024, 5, 2)]], fmt_dates=True), OK,
     lambda r: r.data.loc[2, "提交日期"] == pd.Timestamp("2024-05-01"), {}),
    ("xlsx_title_row", _rows("tr.xlsx", [["某某大学毕业生调查", None, None], ["专业", "性别", "人数"], ["英语", "男", 3]]), OK,
     lambda r: list(r.data.columns) == ["专业", "性别", "人数"] and list(r.data.index) == [3], {}),
    ("xlsx_long_cell", _rows("lc.xlsx", [["意见"], ["很长" * 16000]]), OK, lambda r: len(r.data.loc[2, "意见"]) == 32000, {}),
    # ---- SPSS --------------------------------------------------------------------------
    ("sav_empty_file", _bytes("e.sav", b""), ERR, r"文件是空的", {}),
    ("sav_truncated", _bytes("t.sav", lambda tmp: _good_sav_bytes(tmp)[:200]), ERR, r"无法读取 SPSS 文件", {}),
    ("sav_is_text", _text("x.sav", "a,b\n1,2\n"), ERR, r"无法读取 SPSS 文件", {}),
    # ---- anything ----------------------------------------------------------------------
    ("unknown_extension", _text("d.json", "{}"), ERR, r"不支持的文件类型「\.json」", {}),
    ("no_extension", _text("data", "a,b\n1,2\n"), ERR, r"不支持的文件类型「（无扩展名）」", {}),
    ("missing_file", lambda tmp: tmp / "nope.xlsx", ERR, r"文件不存在", {}),
    ("directory", lambda tmp: _mkdir(tmp / "dir.csv"), ERR, r"这是一个文件夹", {}),
    # ---- odd but readable layouts --------------------------------------------------------
    ("scales_3_5_7_points",
     _rows("sc.xlsx", [["教学满意度", "服务满意度", "推荐意愿"],
                       ["满意", "很满意", "7分"], ["较满意", "一般", "5分"], ["不满意", "不满意", "1分"], ["满意", "满意", "6分"]]), OK,
     lambda r: [q.scale for q in r.codebook] == ["satisfaction3", "satisfaction5", None]
     and r.codebook["3"].options == ["1分", "5分", "6分", "7分"], {}),
    ("likert_three_spellings",
     _rows("ls.xlsx", [["满意度"], ["非常满意"], ["很满意"], ["比较满意"], ["满意"], ["一般"], ["无法评价"]]), OK,
     lambda r: r.codebook["1"].scale == "satisfaction5" and r.codebook["1"].na_options == ["无法评价"], {}),
    ("unknown_layout_is_generic", _rows("ul.xlsx", [["foo", "bar"], ["x", 1], ["y", 2]]), OK,
     lambda r: r.source.platform == "generic" and [q.number for q in r.codebook] == ["1", "2"], {}),
]


def _zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name, build, outcome, expect, kwargs", CASES, ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, name, build, outcome, expect, kwargs):
    path = build(tmp_path)
    if outcome == ERR:
        with pytest.raises(ReadError, match=expect) as info:
            read_survey(path, **kwargs)
        err = info.value
        assert f"文件「{path.name}」" in str(err)  # every message names the file
        assert err.exit_code == 2
        assert err.hint  # and says what to do
    else:
        raw = read_survey(path, **kwargs)
        assert expect(raw), name
        assert raw.data.index.name == "row"
