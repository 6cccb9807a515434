"""CSV: encodings, values kept as text, row numbers, round trips and bad files."""
from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ConfigError, ReadError
from survey_analysis.io import read_survey

HEADER = "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、性别 ,2、兴趣爱好,3、总体满意度,4、意见和建议\n"
ROWS = [
    "1,2024/5/1 10:00:00,120秒,手机提交,,10.0.0.1,男,运动┋其他【请注明】〖军事国防〗,很满意,无\n",
    "2,2024/5/1 10:05:00,95秒,链接,,10.0.0.2,女,阅读,满意,NA\n",
    "3,2024/5/1 11:00:00,300秒,链接,,10.0.0.3,女,运动┋阅读,一般,希望多开设实践课程，加强校企合作。\n",
    "4,2024/5/2 09:00:00,80秒,链接,,10.0.0.4,男,阅读,无法评价,\n",
]
TEXT = HEADER + "".join(ROWS)


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (TEXT.encode("gbk"), "gb18030"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.replace("\n", "\r\n").encode("gbk"), "gb18030"),
    ],
)
def test_encodings_detected_and_values_exact(tmp_path, encoded, encoding):
    raw = read_survey(_write(tmp_path, "s.csv", encoded))
    assert raw.source.encoding == encoding
    assert raw.source.platform == "wjx_text"
    assert raw.source.file_format == "csv"
    d = raw.data
    assert list(d.columns) == HEADER.strip().split(",")
    assert list(d.index) == [2, 3, 4, 5] and d.index.name == "row"
    # everything is text; "NA" and "无" survive, empty cells are missing
    assert d.loc[2, "序号"] == "1"
    assert d.loc[2, "4、意见和建议"] == "无"
    assert d.loc[3, "4、意见和建议"] == "NA"
    assert pd.isna(d.loc[5, "4、意见和建议"])
    assert d["来源详情"].isna().all()
    assert d.loc[2, "2、兴趣爱好"] == "运动┋其他【请注明】〖军事国防〗"
    cb = raw.codebook
    assert cb["1"].text == "性别" and cb["1"].type == "single" and cb["1"].options == ["男", "女"]
    assert cb["2"].type == "multi" and cb["2"].options == ["运动", "其他【请注明】", "阅读"]
    assert cb["2"].other_options == ["其他【请注明】"]
    assert cb["3"].type == "rating" and cb["3"].scale == "satisfaction5"
    assert cb["3"].options == ["很满意", "满意", "一般", "无法评价"]
    assert cb["3"].na_options == ["无法评价"]
    assert cb["4"].type == "open"


def test_explicit_encoding_overrides(tmp_path):
    p = _write(tmp_path, "s.csv", TEXT.encode("gbk"))
    raw = read_survey(p, encoding="gbk")
    assert raw.source.encoding == "gbk"
    assert raw.data.loc[2, "1、性别 "] == "男"


def test_wrong_explicit_encoding_raises_with_position(tmp_path):
    p = _write(tmp_path, "s.csv", TEXT.encode("gbk"))
    with pytest.raises(ReadError, match=r"文件「s\.csv」.*无法按 utf-8 编码读取：第 1 行") as info:
        read_survey(p, encoding="utf-8")
    assert info.value.row == 1 and "encoding=" in str(info.value)


def test_unknown_encoding_name(tmp_path):
    p = _write(tmp_path, "s.csv", TEXT.encode("utf-8"))
    with pytest.raises(ReadError, match="不认识的编码名称「klingon」"):
        read_survey(p, encoding="klingon")


def test_undecodable_bytes_name_line(tmp_path):
    data = HEADER.encode("utf-8") + ROWS[0].encode("utf-8") + b"5,x,\xff\xfe\x80\x81,,,,,,,\n"
    p = _write(tmp_path, "junk.csv", data)
    with pytest.raises(ReadError, match=r"文件「junk\.csv」，第 3 行：无法识别文件编码.*UTF-8 读取在第 3 行") as info:
        read_survey(p)
    assert "另存为「CSV UTF-8" in str(info.value)


def test_mixed_encodings_refused(tmp_path):
    # line 2 is GBK but decodes as GB18030; line 3 is valid UTF-8 Chinese: GB18030 would give mojibake
    data = "姓名,意见\n".encode("utf-8") + "张三,课程太少了\n".encode("gbk") + "李四,课程\n".encode("utf-8")
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:  # pragma: no cover - guard for the premise of the test
        pytest.skip("sample happens not to decode as GB18030")
    p = _write(tmp_path, "mixed.csv", data)
    with pytest.raises(ReadError, match=r"文件「mixed\.csv」.*混用了两种编码：第 1 行是 UTF-8，第 2 行不是"):
        read_survey(p)


def test_gbk_text_is_not_mojibake(tmp_path):
    p = _write(tmp_path, "s.csv", "专业,意见\n计算机科学与技术,加强实践\n".encode("gbk"))
    raw = read_survey(p)
    assert raw.data.loc[2, "专业"] == "计算机科学与技术"
    assert raw.source.platform == "generic"


def test_bom_in_the_middle_removed_with_note(tmp_path):
    data = codecs.BOM_UTF8 + "a,b\n1,2\n".encode() + codecs.BOM_UTF8 + "3,4\n".encode()
    raw = read_survey(_write(tmp_path, "cat.csv", data))
    assert raw.data["a"].tolist() == ["1", "3"]
    assert any("BOM" in n and "第 3 行" in n for n in raw.source.notes)


def test_row_numbers_follow_lines_with_embedded_newlines_and_blank_lines(tmp_path):
    text = 'a,b\n1,"第一行\n第二行"\n\n2,x\n3,y\n\n\n'
    raw = read_survey(_write(tmp_path, "nl.csv", text.encode()))
    assert list(raw.data.index) == [2, 4, 5, 6]  # the blank line 4 is kept as an empty row
    assert raw.data.loc[2, "b"] == "第一行\n第二行"
    assert raw.data.loc[5, "a"] == "2"
    assert raw.data.loc[4].isna().all()
    assert any("末尾" in n for n in raw.source.notes)


def test_tab_separated(tmp_path):
    raw = read_survey(_write(tmp_path, "t.tsv", "专业\t人数\n软件工程\t3\n".encode()))
    assert raw.data.loc[2, "人数"] == "3"
    assert raw.codebook["2"].type == "numeric"


# -- bad input --------------------------------------------------------------------------
def test_empty_file(tmp_path):
    with pytest.raises(ReadError, match=r"文件「empty\.csv」：文件是空的，没有数据行"):
        read_survey(_write(tmp_path, "empty.csv", b""))


def test_bom_only_file(tmp_path):
    with pytest.raises(ReadError, match=r"文件「bom\.csv」.*没有数据行"):
        read_survey(_write(tmp_path, "bom.csv", codecs.BOM_UTF8))


def test_header_only(tmp_path):
    with pytest.raises(ReadError, match=r"文件「h\.csv」，第 1 行：没有数据行：只有表头") as info:
        read_survey(_write(tmp_path, "h.csv", HEADER.encode("utf-8")))
    assert info.value.row == 1


def test_header_then_blank_lines_only(tmp_path):
    with pytest.raises(ReadError, match="没有数据行"):
        read_survey(_write(tmp_path, "h.csv", (HEADER + "\n\n,,,\n").encode("utf-8")))


@pytest.mark.parametrize(
    "head, what",
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Excel"),
        (b"$FL2@(#) SPSS DATA FILE", "SPSS"),
        (b"%PDF-1.7\n", "PDF"),
    ],
)
def test_binary_file_named_csv(tmp_path, head, what):
    p = _write(tmp_path, "data.csv", head + bytes(range(256)) * 4)
    with pytest.raises(ReadError, match=rf"文件「data\.csv」：文件扩展名是 \.csv，但内容看起来是.*{what}"):
        read_survey(p)


def test_nul_bytes_binary_junk(tmp_path):
    p = _write(tmp_path, "junk.csv", b"abc\x00\x01\x02\x03def\x00" * 50)
    with pytest.raises(ReadError, match=r"文件「junk\.csv」.*空字节（NUL.*二进制文件"):
        read_survey(p)


def test_too_many_fields_names_line(tmp_path):
    text = "a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n"
    with pytest.raises(ReadError, match=r"文件「wide\.csv」，第 4 行：第 4 行的字段数比表头多：表头有 3 列，这一行有 4 个字段") as info:
        read_survey(_write(tmp_path, "wide.csv", text.encode()))
    assert info.value.row == 4


def test_unclosed_quote(tmp_path):
    with pytest.raises(ReadError, match=r"文件「q\.csv」.*引号没有闭合"):
        read_survey(_write(tmp_path, "q.csv", b'a,b\n1,"open\n2,3\n'))


def test_duplicated_headers(tmp_path):
    p = _write(tmp_path, "dup.csv", "序号,专业,意见,年级,备注,性别,班级,专业\n1,软件工程,好,2020,,男,1,软件工程\n".encode())
    with pytest.raises(ReadError, match=r"文件「dup\.csv」，第 1 行，列「专业」：列 B 与列 H 同名") as info:
        read_survey(p)
    assert "dedupe_headers=True" in str(info.value)
    raw = read_survey(p, dedupe_headers=True)
    assert list(raw.data.columns) == ["序号", "专业", "意见", "年级", "备注", "性别", "班级", "专业.2"]
    assert any("专业.2" in n for n in raw.source.notes)


def test_blank_headers(tmp_path):
    text = "a,,b,\n1,x,2,\n3,y,4,\n"
    raw = read_survey(_write(tmp_path, "blank.csv", text.encode()))
    assert list(raw.data.columns) == ["a", "未命名列_B", "b"]  # D is blank and empty: dropped
    assert raw.data["未命名列_B"].tolist() == ["x", "y"]
    assert any("D" in n and "删除" in n for n in raw.source.notes)


def test_missing_file_and_unknown_extension(tmp_path):
    with pytest.raises(ReadError, match=r"文件「nope\.csv」：文件不存在"):
        read_survey(tmp_path / "nope.csv")
    p = _write(tmp_path, "data.json", b"{}")
    with pytest.raises(ReadError, match=r"文件「data\.json」：不支持的文件类型「\.json」[\s\S]*\.csv、\.xls、\.xlsx、\.sav"):
        read_survey(p)


def test_bad_parameters(tmp_path):
    p = _write(tmp_path, "s.csv", TEXT.encode())
    with pytest.raises(ConfigError, match="不认识的平台"):
        read_survey(p, platform="surveymonkey")
    with pytest.raises(ConfigError, match="header_rows 只能是 1 或 2"):
        read_survey(p, header_rows=3)


def test_round_trip_utf8_sig_and_gbk(tmp_path):
    df = pd.DataFrame(
        {
            "学号": ["2020001", "2020002", "2020003"],
            "专业": ["软件工程", "金融学", "英语"],
            "意见": ["多一些\"实践\"，少一些理论", "无", None],
            "收入": ["5000", "NA", "8000.5"],
        }
    )
    for enc, name in [("utf-8-sig", "a.csv"), ("gbk", "b.csv")]:
        p = tmp_path / name
        df.to_csv(p, index=False, encoding=enc)
        back = read_survey(p).data
        assert list(back.columns) == list(df.columns)
        expected = df.copy()
        expected.index = pd.Index([2, 3, 4], name="row")
        pd.testing.assert_frame_equal(back.astype(object), expected.astype(object).where(expected.notna(), np.nan), check_dtype=False)


def test_input_file_untouched(tmp_path):
    p = _write(tmp_path, "s.csv", TEXT.encode("gbk"))
    before = p.read_bytes()
    read_survey(p)
    assert p.read_bytes() == before


def test_excel_unicode_text_export(tmp_path):
    # Excel "Unicode 文本": UTF-16 with BOM, tab-separated, saved as .txt
    p = _write(tmp_path, "u.txt", "专业\t意见\r\n英语\t无\r\n法学\t多一些实践\r\n".encode("utf-16"))
    raw = read_survey(p)
    assert raw.source.encoding == "utf-16"
    assert list(raw.data.columns) == ["专业", "意见"]
    assert raw.data["意见"].tolist() == ["无", "多一些实践"]


def test_comma_csv_with_tabs_inside_cells_stays_comma(tmp_path):
    raw = read_survey(_write(tmp_path, "c.csv", "a,b\nx\ty,z\n".encode()))
    assert raw.data.loc[2, "a"] == "x\ty"


def test_multi_select_with_other_separators(tmp_path):
    rows = [
        "学号,您离职的原因（多选）,您对母校的建议,兴趣\n",
        "1,薪资福利偏低；个人发展空间不够,多开实践课；加强就业指导,运动|阅读\n",
        "2,薪资福利偏低,无,阅读\n",
        "3,个人发展空间不够；被解雇或合同到期,希望老师多讲案例；课程更新,运动\n",
        "4,被解雇或合同到期；薪资福利偏低,实验设备太旧,运动|影视\n",
    ]
    raw = read_survey(_write(tmp_path, "m.csv", "".join(rows).encode("gbk")))
    q2, q3, q4 = raw.codebook["2"], raw.codebook["3"], raw.codebook["4"]
    # "多选" in the question text allows "；" as separator
    assert (q2.type, q2.sep, q2.options) == ("multi", "；", ["薪资福利偏低", "个人发展空间不够", "被解雇或合同到期"])
    # without such a hint "；" is ordinary punctuation of free text
    assert q3.type == "open" and q3.sep is None
    # "|" is a separator anywhere
    assert (q4.type, q4.sep, q4.options) == ("multi", "|", ["运动", "阅读", "影视"])
    from survey_analysis.io import split_choice

    assert split_choice(raw.data.loc[2, "兴趣"], q4.sep) == (["运动", "阅读"], None)


def test_million_character_cell(tmp_path):
    big = "很长的意见。" * 166_667  # 1,000,002 characters
    raw = read_survey(_write(tmp_path, "big.csv", ("专业,意见\n英语," + big + "\n法学,无\n").encode("utf-8")))
    assert len(raw.data.loc[2, "意见"]) == len(big)
    assert raw.codebook["2"].type == "open"


def test_sheet_parameter_ignored_for_csv_with_note(tmp_path):
    raw = read_survey(_write(tmp_path, "s.csv", "a,b\n1,2\n".encode()), sheet="Sheet1")
    assert any("忽略了参数 sheet" in n for n in raw.source.notes)


@pytest.mark.slow
def test_ten_thousand_columns(tmp_path):
    names = [f"Q{i}" for i in range(1, 10_001)]
    lines = [",".join(names)] + [",".join(str((i + r) % 5 + 1) for i in range(10_000)) for r in range(3)]
    raw = read_survey(_write(tmp_path, "wide.csv", ("\n".join(lines) + "\n").encode()))
    assert raw.data.shape == (3, 10_000)
    assert raw.data.loc[4, "Q10000"] == str((9_999 + 2) % 5 + 1)
    assert len(raw.codebook) == 10_000


@pytest.mark.slow
def test_million_rows_read_fast(tmp_path):
    import time

    block = "".join(
        f"{i},2024/5/1 10:00:00,{60 + i % 500}秒,手机提交,,10.0.0.1,{'男女'[i % 2]},运动┋阅读,很满意,希望加强实践\n"
        for i in range(1000)
    )
    p = tmp_path / "big.csv"
    with open(p, "w", encoding="gbk") as fh:
        fh.write(HEADER)
        for _ in range(1000):
            fh.write(block)
    t0 = time.perf_counter()
    raw = read_survey(p)
    elapsed = time.perf_counter() - t0
    assert len(raw.data) == 1_000_000 and raw.data.index[-1] == 1_000_001
    assert raw.source.encoding == "gb18030" and raw.source.platform == "wjx_text"
    assert elapsed < 30, f"reading a million rows took {elapsed:.1f} s"


def test_too_many_fields_after_multiline_cell_names_physical_line(tmp_path):
    text = 'a,b\n1,"第一行\n第二行"\n3,4,5\n'
    with pytest.raises(ReadError, match=r"文件「nl\.csv」，第 4 行：第 4 行的字段数比表头多"):
        read_survey(_write(tmp_path, "nl.csv", text.encode()))


def test_excel_sep_hint_line(tmp_path):
    raw = read_survey(_write(tmp_path, "sep.csv", "sep=;\n专业;人数\n英语;3\n法学;4\n".encode("gbk")))
    assert list(raw.data.columns) == ["专业", "人数"]
    assert list(raw.data.index) == [3, 4]  # the header is on line 2
    assert any("sep=;" in n for n in raw.source.notes)
    with pytest.raises(ReadError, match=r"第 4 行：第 4 行的字段数比表头多"):
        read_survey(_write(tmp_path, "sep2.csv", "sep=,\na,b\n1,2\n1,2,3\n".encode()))
