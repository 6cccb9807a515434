"""Generate the bad-input corpus: small files that real survey exports break in.

Nothing here is committed as data: the test suite calls :func:`make_corpus` on a temporary
folder.  Run it by hand to look at the files::

    python tests/badinputs/make_corpus.py /tmp/corpus

Every :class:`Case` says what must happen when the file is read: either it is read (and
``check`` verifies the values), or a :class:`~survey_analysis.errors.SurveyError` subclass is
raised whose message matches ``match`` and names the file (and ``row`` / ``column`` when the
problem has a position).
"""
from __future__ import annotations

import csv
import io
import random
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

__all__ = ["Case", "make_corpus"]


@dataclass
class Case:
    """One bad input and its expected outcome."""

    name: str
    path: Path
    outcome: str  # "read" or "error"
    error: str = ""  # name of the SurveyError subclass (errors module)
    match: str = ""  # regex the message must match
    row: int | None = None  # the position the error must name
    column: str | None = None
    read_kwargs: dict = field(default_factory=dict)
    check: Callable | None = None  # check(raw) for "read" cases
    cli_args: list = field(default_factory=list)  # extra CLI options (same as read_kwargs)
    xfail: str = ""  # a known bug: the reason (the test is marked xfail(strict=True))


# ---------------------------------------------------------------------------------------
# writers
# ---------------------------------------------------------------------------------------
def _csv_bytes(rows, encoding="utf-8", lineterminator="\r\n") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def _xlsx(path: Path, rows, *, merge=None, formulas=None, date_cells=None) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet("Sheet1")
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            ws.write(i, j, v)
    for (r, c), (formula, value) in (formulas or {}).items():
        ws.write_formula(r, c, formula, None, value)
    for (r, c), serial in (date_cells or {}).items():
        ws.write_number(r, c, serial, datefmt)
    for (r1, c1, r2, c2, text) in merge or ():
        ws.merge_range(r1, c1, r2, c2, text)
    wb.close()
    return path


def _xls(path: Path, rows) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    wb.save(str(path))
    return path


def _sav(path: Path, df, labels=None) -> Path:
    import pyreadstat

    pyreadstat.write_sav(df, str(path), column_labels=labels)
    return path


HEADER = ["序号", "所在专业", "总体满意度", "意见建议"]
ROWS = [
    [1, "计算机科学与技术", "很满意", "加强实践"],
    [2, "软件工程", "满意", "多开项目课"],
    [3, "机械工程", "一般", "无"],
]


def _good_rows():
    return [HEADER] + [list(r) for r in ROWS]


# ---------------------------------------------------------------------------------------
# checks for "read" cases
# ---------------------------------------------------------------------------------------
def _values_ok(raw, expect_rows=3):
    d = raw.data
    assert len(d) == expect_rows, len(d)
    assert list(d["所在专业"].astype(str))[:3] == ["计算机科学与技术", "软件工程", "机械工程"]
    assert list(d["总体满意度"].astype(str))[:3] == ["很满意", "满意", "一般"]


def _check_index_is_excel_row(raw, first=2):
    assert list(raw.data.index)[0] == first, list(raw.data.index)[:3]


# ---------------------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------------------
def make_corpus(folder) -> list[Case]:
    """Write every case into ``folder`` and return the list of :class:`Case`."""
    import numpy as np
    import pandas as pd

    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(20250630)
    cases: list[Case] = []

    def add(name, filename, outcome, **kw):
        cases.append(Case(name=name, path=d / filename, outcome=outcome, **kw))

    # a valid file of each format, kept as the source of the truncated / corrupt variants
    good_xlsx = _xlsx(d / "good.xlsx", _good_rows())
    good_xls = _xls(d / "good.xls", _good_rows())
    good_df = pd.DataFrame({"xh": [1.0, 2.0, 3.0], "zy": ["计算机科学与技术", "软件工程", "机械工程"],
                            "sat": [5.0, 4.0, 3.0]})
    good_sav = _sav(d / "good.sav", good_df, labels=["序号", "所在专业", "总体满意度"])

    def check_good(raw):
        _values_ok(raw)
        _check_index_is_excel_row(raw, 2)

    add("valid xlsx (control)", "good.xlsx", "read", check=check_good)
    add("valid xls (control)", "good.xls", "read", check=check_good)

    def check_sav(raw):
        assert len(raw.data) == 3
        assert list(raw.data.iloc[:, 1]) == ["计算机科学与技术", "软件工程", "机械工程"]

    add("valid sav (control)", "good.sav", "read", check=check_sav)

    # -- empty files of every format ---------------------------------------------------
    for ext in ("csv", "xlsx", "xls", "sav"):
        (d / f"empty.{ext}").write_bytes(b"")
        add(f"empty .{ext}", f"empty.{ext}", "error", error="ReadError", match="空")
    (d / "bom_only.csv").write_bytes(b"\xef\xbb\xbf")
    add("UTF-8 BOM only", "bom_only.csv", "error", error="ReadError", match="空")
    (d / "blank_lines.csv").write_bytes(b"\r\n\r\n  \r\n")
    add("blank lines only", "blank_lines.csv", "error", error="ReadError", match="空|没有")

    # -- header only -------------------------------------------------------------------
    (d / "header_only.csv").write_bytes(_csv_bytes([HEADER]))
    add("header-only .csv", "header_only.csv", "error", error="ReadError", match="只有表头|没有数据|没有答卷")
    _xlsx(d / "header_only.xlsx", [HEADER])
    add("header-only .xlsx", "header_only.xlsx", "error", error="ReadError", match="只有表头|没有数据|没有答卷")
    _xls(d / "header_only.xls", [HEADER])
    add("header-only .xls", "header_only.xls", "error", error="ReadError", match="只有表头|没有数据|没有答卷")
    _sav(d / "header_only.sav", good_df.iloc[:0])
    add("header-only .sav (no cases)", "header_only.sav", "error", error="ReadError", match="没有|空")

    # -- truncated and corrupt ---------------------------------------------------------
    for src, ext in ((good_xlsx, "xlsx"), (good_xls, "xls"), (good_sav, "sav")):
        data = src.read_bytes()
        (d / f"truncated.{ext}").write_bytes(data[: len(data) // 2])
        add(f"truncated .{ext}", f"truncated.{ext}", "error", error="ReadError", match="损坏|不完整|截断|无法读取")
    # corrupt xlsx: a valid zip whose worksheet XML is garbage
    with zipfile.ZipFile(good_xlsx) as zin, zipfile.ZipFile(d / "corrupt.xlsx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = b"<worksheet><sheetData><row><c r='A1' t='s'><v>99"  # cut XML
            zout.writestr(item, data)
    add("corrupt .xlsx (broken sheet XML)", "corrupt.xlsx", "error", error="ReadError", match="损坏|不完整|无法读取")
    data = bytearray(good_xls.read_bytes())
    for k in range(512, len(data), 7):
        data[k] = rnd.randrange(256)
    (d / "corrupt.xls").write_bytes(bytes(data))
    add("corrupt .xls (scrambled sectors)", "corrupt.xls", "error", error="ReadError", match="损坏|不完整|无法读取")
    data = bytearray(good_sav.read_bytes())
    (d / "corrupt.sav").write_bytes(bytes(data[:64]) + bytes(rnd.randrange(256) for _ in range(400)))
    add("corrupt .sav (junk after the header)", "corrupt.sav", "error", error="ReadError", match="损坏|不完整|无法读取")

    with zipfile.ZipFile(d / "zip_not_workbook.xlsx", "w") as z:
        z.writestr("readme.txt", "这不是 Excel 工作簿")
    add("a zip that is not a workbook", "zip_not_workbook.xlsx", "error", error="ReadError",
        match="不是|损坏|无法读取")

    # -- junk --------------------------------------------------------------------------
    junk = bytes(rnd.randrange(256) for _ in range(2000))
    (d / "junk.csv").write_bytes(junk)
    add("binary junk named .csv", "junk.csv", "error", error="ReadError", match="二进制|不是文本|编码|无法")
    (d / "junk.xlsx").write_bytes(junk)
    add("binary junk named .xlsx", "junk.xlsx", "error", error="ReadError", match="不是|损坏|无法读取")
    (d / "pdf_named.xls").write_bytes(b"%PDF-1.7\n" + junk)
    add("a PDF named .xls", "pdf_named.xls", "error", error="ReadError", match="PDF|不是")
    (d / "xlsx_named.csv").write_bytes(good_xlsx.read_bytes())
    add("a workbook named .csv", "xlsx_named.csv", "error", error="ReadError", match="Excel|工作簿|扩展名")
    (d / "nul_bytes.csv").write_bytes(_csv_bytes(_good_rows())[:30] + b"\x00" * 40 + b"\r\n")
    add("NUL bytes in a CSV", "nul_bytes.csv", "error", error="ReadError", match="二进制|NUL|空字符|不是文本")
    (d / "survey.pdf").write_bytes(b"%PDF-1.4\n")
    add("unsupported extension", "survey.pdf", "error", error="ReadError", match="不支持的文件类型")
    add("missing file", "does_not_exist.xlsx", "error", error="ReadError", match="文件不存在")
    (d / "a_folder.csv").mkdir(exist_ok=True)
    add("a folder, not a file", "a_folder.csv", "error", error="ReadError", match="文件夹")

    # -- encodings ---------------------------------------------------------------------
    (d / "gbk.csv").write_bytes(_csv_bytes(_good_rows(), "gb18030"))
    add("GBK/GB18030 without BOM is read", "gbk.csv", "read", check=check_good)
    (d / "utf16.csv").write_bytes(_csv_bytes(_good_rows(), "utf-16"))
    add("UTF-16 with BOM is read", "utf16.csv", "read", check=check_good)
    (d / "utf8_sig.csv").write_bytes(_csv_bytes(_good_rows(), "utf-8-sig"))
    add("UTF-8 with BOM is read", "utf8_sig.csv", "read", check=lambda raw: (check_good(raw),
        _assert(list(raw.data.columns)[0] == "序号", raw.data.columns)))
    (d / "wrong_encoding.csv").write_bytes(_csv_bytes(_good_rows(), "gb18030"))
    add("GBK read with --encoding utf-8", "wrong_encoding.csv", "error", error="ReadError",
        match="utf-8", row=1, read_kwargs={"encoding": "utf-8"}, cli_args=["--encoding", "utf-8"])
    mixed = _csv_bytes(_good_rows()[:2], "utf-8") + _csv_bytes(_good_rows()[2:], "gb18030")
    (d / "mixed_encodings.csv").write_bytes(mixed)
    add("UTF-8 and GBK lines mixed", "mixed_encodings.csv", "error", error="ReadError", match="混合|编码", row=3)
    rows = _good_rows()
    rows[2][1] = "\ufeff" + rows[2][1]
    (d / "bom_in_middle.csv").write_bytes(_csv_bytes(rows, "utf-8"))
    add("a BOM in the middle of the file", "bom_in_middle.csv", "read",
        check=lambda raw: (check_good(raw), _assert(any("BOM" in n for n in raw.source.notes), raw.source.notes)))

    # -- headers -----------------------------------------------------------------------
    rows = _good_rows()
    rows[0] = ["序号", "所在专业", "所在专业", "意见建议"]
    (d / "dup_headers.csv").write_bytes(_csv_bytes(rows))
    add("duplicated headers", "dup_headers.csv", "error", error="ReadError", match="重复", column="所在专业")

    def check_dedupe(raw):
        assert list(raw.data.columns) == ["序号", "所在专业", "所在专业.2", "意见建议"], list(raw.data.columns)
        assert list(raw.data["所在专业.2"]) == ["很满意", "满意", "一般"]

    add("duplicated headers with dedupe_headers=True", "dup_headers.csv", "read",
        read_kwargs={"dedupe_headers": True}, check=check_dedupe)
    rows = _good_rows()
    rows[0] = ["序号", "", "总体满意度", "意见建议"]
    (d / "blank_header.csv").write_bytes(_csv_bytes(rows))

    def check_blank_header(raw):
        cols = [str(c) for c in raw.data.columns]
        assert len(cols) == 4 and cols[0] == "序号" and cols[2:] == ["总体满意度", "意见建议"], cols
        assert "B" in cols[1], cols  # named after its Excel column letter
        assert list(raw.data.iloc[:, 1]) == ["计算机科学与技术", "软件工程", "机械工程"]

    add("blank header cell", "blank_header.csv", "read", check=check_blank_header)
    # merged header cells: 满意度 spans two columns above 专业能力 / 沟通能力 (vendor layout)
    _xlsx(d / "merged_header.xlsx",
          [[None, None, None, None], ["序号", "所在专业", "专业能力", "沟通能力"],
           [1, "软件工程", "满意", "一般"], [2, "机械工程", "很满意", "满意"]],
          merge=[(0, 2, 0, 3, "能力满意度"), (0, 0, 0, 1, "基本信息")])

    def check_merged(raw):
        d_ = raw.data
        assert len(d_) == 2
        flat = " ".join(map(str, d_.columns))
        assert "专业能力" in flat and "沟通能力" in flat, flat
        assert list(d_.iloc[:, -1]) == ["一般", "满意"]

    add("merged group cells above the header (default detection)", "merged_header.xlsx", "read", check=check_merged)
    add("merged group cells above the header with header_rows=2", "merged_header.xlsx", "read",
        read_kwargs={"header_rows": 2}, check=check_merged)

    # -- cell contents -------------------------------------------------------------------
    _xlsx(d / "formulas_errors.xlsx",
          [["序号", "收入", "比例", "备注"], [1, None, None, "好"], [2, None, None, "一般"], [3, 6000, None, "无"]],
          formulas={(1, 1): ("=5000+500", 5500), (2, 1): ("=NA()", "#N/A"), (1, 2): ("=1/0", "#DIV/0!"),
                    (2, 2): ("=B2/10000", 0.55), (3, 2): ("=B4/10000", 0.6)})

    def check_formulas(raw):
        d_ = raw.data
        assert float(d_["收入"].iloc[0]) == 5500.0  # the cached formula result
        assert pd.isna(d_["收入"].iloc[1])  # #N/A -> missing
        assert pd.isna(d_["比例"].iloc[0])  # #DIV/0! -> missing
        assert abs(float(d_["比例"].iloc[1]) - 0.55) < 1e-12
        assert float(d_["收入"].iloc[2]) == 6000.0

    add("formulas and #N/A / #DIV/0! in cells", "formulas_errors.xlsx", "read", check=check_formulas)
    _xlsx(d / "serial_dates.xlsx", [["序号", "提交答卷时间", "专业"], [1, None, "软件工程"], [2, None, "机械工程"]],
          date_cells={(1, 1): 45839.0, (2, 1): 45840.5})

    def check_dates(raw):
        s = pd.to_datetime(raw.data["提交答卷时间"])
        assert s.iloc[0] == pd.Timestamp("2025-07-01"), s.iloc[0]
        assert s.iloc[1] == pd.Timestamp("2025-07-02 12:00"), s.iloc[1]

    add("dates as Excel serial numbers (date format)", "serial_dates.xlsx", "read", check=check_dates)
    big = "很" * 1_000_000
    rows = _good_rows()
    rows[2][3] = big
    (d / "million_char_cell.csv").write_bytes(_csv_bytes(rows))

    def check_big(raw):
        check_good(raw)
        assert len(raw.data["意见建议"].iloc[1]) == 1_000_000

    add("a 1,000,000-character cell", "million_char_cell.csv", "read", check=check_big)
    ncol = 10_000
    wide = [[f"Q{j}" for j in range(ncol)], [str(j % 5 + 1) for j in range(ncol)],
            [str((j + 1) % 5 + 1) for j in range(ncol)]]
    (d / "ten_thousand_columns.csv").write_bytes(_csv_bytes(wide))

    def check_wide(raw):
        assert raw.data.shape == (2, ncol), raw.data.shape
        assert str(raw.data["Q9999"].iloc[0]) in ("5", "5.0")
        assert str(raw.data["Q7"].iloc[1]) in ("4", "4.0")

    add("10,000 columns", "ten_thousand_columns.csv", "read", check=check_wide)
    rows = _good_rows()
    rows[3] = rows[3] + ["多出来的", "字段"]
    (d / "too_many_fields.csv").write_bytes(_csv_bytes(rows))
    add("a row with too many fields", "too_many_fields.csv", "error", error="ReadError", match="字段|列数|多", row=4)
    raw_text = _csv_bytes(_good_rows()).decode("utf-8") + '4,软件工程,"满意,没有结束的引号\r\n'
    (d / "unclosed_quote.csv").write_bytes(raw_text.encode("utf-8"))
    add("an unclosed quote", "unclosed_quote.csv", "error", error="ReadError", match="引号", row=5)
    rows = _good_rows()
    rows[2][3] = "第一行\n第二行"
    rows.append([4, "机械工程", "满意", "最后"])
    (d / "multiline_cell.csv").write_bytes(_csv_bytes(rows))

    def check_multiline(raw):
        assert list(raw.data.index) == [2, 3, 5, 6], list(raw.data.index)  # physical line numbers
        assert raw.data["意见建议"].iloc[1] == "第一行\n第二行"

    add("a cell spanning two lines keeps line numbers", "multiline_cell.csv", "read", check=check_multiline)
    (d / "tab_separated.tsv").write_bytes("\r\n".join("\t".join(map(str, r)) for r in _good_rows()).encode("utf-8"))
    add("tab-separated .tsv", "tab_separated.tsv", "read", check=check_good)

    # -- answer scales -------------------------------------------------------------------
    likert = [["序号", "您对本校毕业生的总体满意度"]]
    spell = ["很满意", "非常满意", "比较满意", "满意", "较满意", "一般", "不满意", "较不满意", "很不满意", "非常不满意"]
    for i, v in enumerate(spell, start=1):
        likert.append([i, v])
    (d / "likert_spellings.csv").write_bytes(_csv_bytes(likert))

    def check_likert(raw):
        from survey_analysis import clean, infer_spec

        q = [q for q in raw.codebook.questions if "满意度" in q.text][0]
        assert q.scale == "satisfaction5", q.scale
        res = clean(raw, infer_spec(raw, kind="employer"), min_seconds=None, key="k")
        # 很满意 = 非常满意 = 5, 比较满意 = 满意 = 较满意 = 4, … 很不满意 = 非常不满意 = 1
        assert res.data["overall_satisfaction"].tolist() == [5, 5, 4, 4, 4, 3, 2, 2, 1, 1]

    add("Likert labels in three spellings (很/非常/比较…)", "likert_spellings.csv", "read", check=check_likert)
    mixed_scales = [["序号", "教学满意度", "课程重要度", "七点量表评分"]]
    three = ["满意", "较满意", "不满意"]
    five = ["很重要", "重要", "一般", "不太重要", "很不重要"]
    for i in range(14):
        mixed_scales.append([i + 1, three[i % 3], five[i % 5], str(i % 7 + 1)])
    (d / "scales_3_5_7.csv").write_bytes(_csv_bytes(mixed_scales))

    def check_scales(raw):
        by_text = {q.text: q for q in raw.codebook.questions}
        assert by_text["教学满意度"].scale == "satisfaction3", by_text["教学满意度"].scale
        assert by_text["课程重要度"].scale == "importance5", by_text["课程重要度"].scale
        seven = raw.data["七点量表评分"].astype(float)
        assert sorted(seven.unique()) == [1, 2, 3, 4, 5, 6, 7]

    add("3-, 5- and 7-point scales in one file", "scales_3_5_7.csv", "read", check=check_scales)

    # -- layouts -------------------------------------------------------------------------
    unknown = [["字段A", "字段B", "字段C"], ["x1", "y1", "z1"], ["x2", "y2", "z2"]]
    (d / "unknown_platform.csv").write_bytes(_csv_bytes(unknown))

    def check_unknown(raw):
        assert raw.source.platform == "generic", raw.source.platform
        assert list(raw.data["字段B"]) == ["y1", "y2"]

    add("an unknown platform layout (read as generic; clean refuses)", "unknown_platform.csv", "read",
        check=check_unknown)
    _xlsx(d / "title_row.xlsx", [["2025届毕业生跟踪调查"], HEADER, *[list(r) for r in ROWS]])

    def check_title(raw):
        _values_ok(raw)
        assert list(raw.data.index)[0] == 3, list(raw.data.index)  # Excel row of the first answer

    add("a title row above the header", "title_row.xlsx", "read", check=check_title)
    add("unknown sheet name", "good.xlsx", "error", error="ReadError", match="工作表", read_kwargs={"sheet": "不存在"},
        cli_args=["--sheet", "不存在"])
    add("unknown encoding name", "good.xlsx", "read", read_kwargs={"encoding": "gbk"}, check=check_good)
    (d / "unknown_encoding.csv").write_bytes(_csv_bytes(_good_rows()))
    add("unknown encoding name for a CSV", "unknown_encoding.csv", "error", error="ReadError|ConfigError",
        match="编码", read_kwargs={"encoding": "no-such-codec"}, cli_args=["--encoding", "no-such-codec"])
    _issue18_cases(d, add)
    return cases


def _issue18_cases(d: Path, add) -> None:
    """Exports nobody here made (issue 18): far cells, formulas without values, merged cells, look-alike
    headers, mixed encodings, split records, odd time formats, placeholder ids, bombs, wrong names."""
    import shutil

    import pandas as pd

    rows = _good_rows()
    # a stray cell at the last cell of the sheet: calamine would allocate 17 billion cells and abort
    _xlsx_extra(d / "far_cell.xlsx", rows, lambda ws: ws.write(1048575, 16383, "x"))
    add("a stray cell at XFD1048576", "far_cell.xlsx", "error", error="ReadError", match="XFD1048576.*孤立|孤立.*XFD1048576")
    # a stray cell a million rows below: not a million respondents
    _xlsx_extra(d / "stray_below.xlsx", rows, lambda ws: ws.write(1048575, 0, 99))

    def check_stray(raw):
        assert len(raw.data) == 4, len(raw.data)
        assert any("1048576" in n for n in raw.source.notes), raw.source.notes

    add("a stray cell at A1048576 (no phantom respondents)", "stray_below.xlsx", "read", check=check_stray)
    # a header with blank cells: the first respondent must not become the header
    _xlsx(d / "blank_header_cells.xlsx", [["序号", None, None, "总体满意度", None, "意见建议"],
                                          [1, "a", "b", "满意", "c", "加强实践"], [2, "a", "b", "一般", "c", "无"]])
    add("a header row with blank cells keeps every respondent", "blank_header_cells.xlsx", "read",
        check=lambda raw: _assert(len(raw.data) == 2 and list(raw.data.index) == [2, 3], raw.data.index))
    # formulas saved without their value (a generated file never opened in Excel)
    _xlsx(d / "formula_no_value.xlsx", [["序号", "专业", "得分"], [1, "软件工程", None], [2, "机械工程", None]],
          formulas={(1, 2): ("=A2*2", ""), (2, 2): ("=A3*2", "")})
    add("formulas without a cached value", "formula_no_value.xlsx", "error", error="ReadError", match="公式.*计算结果",
        row=2, column="C")
    # merged 专业 cells in a roster
    _xlsx(d / "merged_roster.xlsx", [["学号", "姓名", "专业"], ["2021001", "甲一", None], ["2021002", "乙二", None],
                                     ["2021003", "丙三", None], ["2021004", "丁四", "会计学"]],
          merge=[(1, 2, 3, 2, "软件工程")])

    def check_merged_roster(raw):
        assert list(raw.data["专业"]) == ["软件工程", "软件工程", "软件工程", "会计学"], list(raw.data["专业"])

    add("merged 专业 cells are filled", "merged_roster.xlsx", "read", check=check_merged_roster)
    # three look-alike headers
    (d / "look_alike_headers.csv").write_bytes(_csv_bytes([["序号", "专业", "专业 ", "专　业"], [1, "a", "b", "c"], [2, "d", "e", "f"]]))
    add("headers that differ only in white space", "look_alike_headers.csv", "error", error="ReadError",
        match="只差空格", column="专业 ")
    # one UTF-8 row in a GBK file
    mixed = _csv_bytes(_good_rows()[:3], "gb18030") + _csv_bytes([["4", "法学", "好", "无"]], "utf-8")
    (d / "one_utf8_row.csv").write_bytes(mixed)
    add("one UTF-8 row in a GBK file", "one_utf8_row.csv", "error", error="ReadError", match="混用了两种编码", row=4)
    # an unquoted line break splits a record
    txt = "序号,所在专业,总体满意度,意见建议,城市\r\n1,软件工程,满意,加强实践,杭州\r\n2,机械工程,一般,希望多开\r\n项目课,南京\r\n3,会计学,很满意,无,上海\r\n"
    (d / "split_record.csv").write_bytes(txt.encode("utf-8"))
    add("an unquoted line break splits a respondent", "split_record.csv", "error", error="ReadError",
        match="拆成了两行", row=3)
    # a workbook named by the other extension
    shutil.copy(d / "good.xlsx", d / "xlsx_named.xls")
    add("an .xlsx named .xls is read", "xlsx_named.xls", "read", check=lambda raw: _values_ok(raw))
    shutil.copy(d / "good.xls", d / "xls_named.xlsx")
    add("an .xls named .xlsx is read", "xls_named.xlsx", "read", check=lambda raw: _values_ok(raw))
    # a shared-strings "zip bomb": 120 MB of XML in a small file
    _bomb(d / "shared_strings_bomb.xlsx", d / "good.xlsx")
    add("a shared-strings zip bomb", "shared_strings_bomb.xlsx", "error", error="ReadError", match="压缩炸弹")
    # time taken in several formats: nobody is a speeder
    times = ["2分30秒", "PT2M30S", "00:02:30", "2:30", "150秒", "150"]
    trows = [["序号", "提交答卷时间", "所用时间", "1、您所学的专业", "2、您对母校的总体满意度"]]
    trows += [[i + 1, "2025/7/1 10:00:00", times[i % 6], "软件工程", "满意"] for i in range(24)]
    (d / "time_formats.csv").write_bytes(_csv_bytes(trows))
    add("time taken as 2分30秒 / PT2M30S / 2:30", "time_formats.csv", "read",
        check=lambda raw: _assert(raw.source.platform == "wjx_text", raw.source.platform))
    # real job postings with multi-line quoted descriptions holding comma lists
    (d / "job_postings.csv").write_bytes(_postings_bytes(2004))
    add("2,004 job postings with multi-line comma lists", "job_postings.csv", "read",
        check=lambda raw: _assert(len(raw.data) == 2004, len(raw.data)))
    # counts that are not numbers a school has
    (d / "population_inf.csv").write_bytes(_csv_bytes([["专业", "人数"], ["软件工程", "inf"], ["会计学", "120"]]))
    (d / "population_huge.csv").write_bytes(_csv_bytes([["专业", "人数"], ["软件工程", "1e300"], ["会计学", "120"]]))
    del pd


def _xlsx_extra(path: Path, rows, extra) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    extra(ws)
    wb.close()
    return path


def _bomb(path: Path, good: Path) -> None:
    """``good`` with a shared-strings part that unpacks to 120 MB."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                with zout.open("xl/sharedStrings.xml", "w") as fh:
                    fh.write(data.replace(b"</sst>", b""))
                    block = b"<si><t>" + b"A" * 1000 + b"</t></si>"
                    for _ in range(120_000):
                        fh.write(block)
                    fh.write(b"</sst>")
                continue
            zout.writestr(item, data)


def _postings_bytes(n: int) -> bytes:
    rnd = random.Random(2004)
    tools = ["Apache", "Tomcat", "nginx", "MySQL", "Redis", "Kafka", "Linux", "Docker", "Java", "Spring", "Python",
             "Hadoop", "Spark", "Hive", "Vue", "React", "Git", "Jenkins", "Oracle", "MongoDB"]
    rows = [["职位名称", "公司名称", "城市", "薪资", "学历要求", "工作经验", "职位描述", "技能标签"]]
    for i in range(n):
        desc = "岗位职责：\n1、负责系统开发与维护；\n任职要求：\n" + "\n".join(
            f"{k}、熟悉" + ",".join(rnd.sample(tools, rnd.randint(2, 12))) + "等；" for k in range(1, rnd.randint(2, 5)))
        rows.append([rnd.choice(["Java开发工程师", "数据分析师", "运维工程师"]), f"示例公司{i % 50}",
                     rnd.choice(["北京", "上海", "杭州", "深圳"]), "10k-15k", rnd.choice(["本科", "大专"]),
                     rnd.choice(["1-3年", "3-5年"]), desc, ",".join(rnd.sample(tools, 3))])
    return _csv_bytes(rows)


def _assert(cond, detail=None):
    if not cond:
        raise AssertionError(detail)


if __name__ == "__main__":  # pragma: no cover - manual use
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for c in make_corpus(out):
        print(f"{c.outcome:6} {c.path.name:32} {c.name}")
