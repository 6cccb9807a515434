"""Platform layouts: 问卷星 numeric, 腾讯问卷, vendor two-header files, SPSS, generic tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ReadError
from survey_analysis.io import inspect_dict, read_survey


# -- 问卷星 按序号 ------------------------------------------------------------------------
NUM_HEADER = [
    "1、您的性别",
    "2、您的月收入（元）",
    "第3题(运动)",
    "第3题(ACG文化(动漫、游戏等))",
    "第3题(其他【请注明】)",
    "第4题(专业知识)",
    "第4题(沟通能力)",
    "5、您对学校的意见和建议",
]


def _sys(i):
    return [i, "2024/5/1 10:00", "100秒", "手机提交", None, f"10.0.0.{i}"]


NUM_ROWS = [
    _sys(1) + [1, 5000, 1, 0, 0, 5, 4, "希望增加实践课程，多和企业合作。"],
    _sys(2) + [2, 8000, 0, 1, 1, 3, -3, "无"],
    _sys(3) + [1, -2, 1, 1, 0, -2, -2, None],
    _sys(4) + [2, 6500, 0, 0, 1, 4, 2, "老师很负责，但是课程内容有些陈旧。"],
]


def _check_numeric(raw):
    assert raw.source.platform == "wjx_numeric"
    cb = raw.codebook
    q1 = cb["1"]
    assert (q1.type, q1.text, q1.options) == ("single", "您的性别", ["1", "2"])  # codes seen
    assert cb["2"].type == "numeric"
    q3 = cb["3"]
    assert q3.type == "multi"
    assert q3.options == ["运动", "ACG文化(动漫、游戏等)", "其他【请注明】"]
    assert q3.columns == ["第3题(运动)", "第3题(ACG文化(动漫、游戏等))", "第3题(其他【请注明】)"]
    q4 = cb["4"]
    assert q4.type == "matrix" and q4.rows == ["专业知识", "沟通能力"]
    assert q4.options == ["2", "3", "4", "5"]  # -2/-3 are not options
    assert cb["5"].type == "open"
    # -2 / -3 → missing, counted per column
    assert raw.source.coded_missing == {
        "2、您的月收入（元）": {"-2": 1},
        "第4题(专业知识)": {"-2": 1},
        "第4题(沟通能力)": {"-2": 1, "-3": 1},
    }
    d = raw.data
    assert pd.isna(d.loc[4, "2、您的月收入（元）"]) and pd.isna(d.loc[3, "第4题(沟通能力)"])
    assert d["第4题(专业知识)"].notna().sum() == 3
    assert [q.type for q in cb][:6] == ["meta"] * 6


def test_wjx_numeric_xlsx(tmp_path, write_xlsx, wjx_system):
    raw = read_survey(write_xlsx(tmp_path / "num.xlsx", [wjx_system + NUM_HEADER] + NUM_ROWS))
    _check_numeric(raw)
    assert raw.data.loc[2, "第4题(专业知识)"] == 5


def test_wjx_numeric_csv(tmp_path, wjx_system):
    p = tmp_path / "num.csv"
    pd.DataFrame(NUM_ROWS, columns=wjx_system + NUM_HEADER).to_csv(p, index=False, encoding="gbk")
    raw = read_survey(p)
    _check_numeric(raw)
    assert raw.data.loc[2, "第4题(专业知识)"] == "5"  # CSV answers stay text


def test_wjx_numeric_without_multi_columns_detected_by_codes(tmp_path, write_xlsx, wjx_system):
    rows = [wjx_system + ["1、性别", "2、学历"], _sys(1) + [1, 3], _sys(2) + [2, 1], _sys(3) + [1, -3]]
    raw = read_survey(write_xlsx(tmp_path / "n.xlsx", rows))
    assert raw.source.platform == "wjx_numeric"
    assert raw.codebook["2"].options == ["1", "3"]


def test_wjx_text_matrix_rows(tmp_path, write_xlsx, wjx_system):
    header = wjx_system + ["1、请评价毕业生的表现—专业知识", "1、请评价毕业生的表现—沟通能力", "2、满意度(教学(理论))", "2、满意度(实践)"]
    rows = [header,
            _sys(1) + ["很满意", "满意", "很满意", "一般"],
            _sys(2) + ["一般", "无法评价", "满意", "满意"],
            _sys(3) + ["满意", "很不满意", "不满意", "很满意"]]
    raw = read_survey(write_xlsx(tmp_path / "m.xlsx", rows))
    assert raw.source.platform == "wjx_text"
    q1 = raw.codebook["1"]
    assert (q1.type, q1.text, q1.rows) == ("matrix", "请评价毕业生的表现", ["专业知识", "沟通能力"])
    assert q1.scale == "satisfaction5"
    assert q1.options == ["很满意", "满意", "一般", "很不满意", "无法评价"]
    assert q1.na_options == ["无法评价"]
    q2 = raw.codebook["2"]
    assert (q2.text, q2.rows) == ("满意度", ["教学(理论)", "实践"])


def test_wjx_rank_question(tmp_path, write_xlsx, wjx_system):
    rows = [wjx_system + ["1、请对以下能力排序"],
            _sys(1) + ["沟通能力→学习能力→创新能力"],
            _sys(2) + ["学习能力→沟通能力→创新能力"]]
    q = read_survey(write_xlsx(tmp_path / "r.xlsx", rows)).codebook["1"]
    assert q.type == "rank" and q.options == ["沟通能力", "学习能力", "创新能力"]


# -- 腾讯问卷 -----------------------------------------------------------------------------
TX_HEADER = ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置", "IP", "UA",
             "1.您的性别", "2.您的兴趣:A.运动", "2.您的兴趣:B.阅读", "3.满意度(教学)", "3.满意度(服务)", "4.建议"]


def _tx(i):
    return [i, "2024-05-01 10:00:00", "2024-05-01 10:05:00", "300", "广东", f"10.0.0.{i}", "Mozilla/5.0"]


TX_ROWS = [
    _tx(1) + ["A.男", "A.运动", None, "A.很满意", "B.满意", "加强实践教学，增加实习机会。"],
    _tx(2) + ["B.女", None, "B.阅读", "C.一般", "A.很满意", None],
    _tx(3) + ["A.男", "A.运动", "B.阅读", "F.无法评价", "B.满意", "无"],
]


def test_tencent_xlsx(tmp_path, write_xlsx):
    raw = read_survey(write_xlsx(tmp_path / "tx.xlsx", [TX_HEADER] + TX_ROWS))
    assert raw.source.platform == "tencent"
    cb = raw.codebook
    assert [q.number for q in cb if q.type == "meta"] == [f"meta:{h}" for h in TX_HEADER[:7]]
    assert (cb["1"].type, cb["1"].text, cb["1"].options) == ("single", "您的性别", ["男", "女"])
    q2 = cb["2"]
    assert (q2.type, q2.text, q2.options) == ("multi", "您的兴趣", ["运动", "阅读"])
    assert q2.columns == ["2.您的兴趣:A.运动", "2.您的兴趣:B.阅读"]
    q3 = cb["3"]
    assert (q3.type, q3.rows, q3.scale) == ("matrix", ["教学", "服务"], "satisfaction5")
    assert q3.options == ["很满意", "满意", "一般", "无法评价"]
    # the option-letter prefix belongs to the format: removed from the data too
    d = raw.data
    assert d["1.您的性别"].tolist() == ["男", "女", "男"]
    assert d.loc[4, "3.满意度(教学)"] == "无法评价"
    assert d.loc[2, "4.建议"] == "加强实践教学，增加实习机会。"


def test_tencent_data_not_modified_when_prefix_is_not_universal(tmp_path, write_xlsx):
    rows = [["编号", "开始答题时间", "1.姓名"], [1, "x", "A.Li"], [2, "x", "王芳"]]
    raw = read_survey(write_xlsx(tmp_path / "tx.xlsx", rows))
    assert raw.data["1.姓名"].tolist() == ["A.Li", "王芳"]


# -- vendor two-header files ----------------------------------------------------------------
VENDOR = [
    ["Q1", "Q2", "Q4", "A1", "B5", "B4", None],
    ["学号", "姓名", "性别", "您目前的毕业去向是", "您目前的工作与所学专业的相关程度", "您目前的税前月收入（元）", "IP"],
    ["2020001", "张三", "男", "在国内工作", "很相关", 6000, "1.1.1.1"],
    ["2020002", "李四", "女", "在国内求学", None, None, "1.1.1.2"],
    ["2020003", "王五", "女", "在国内工作", "比较相关", 5500.5, "1.1.1.3"],
    ["2020004", "赵六", "男", "在国内工作", "很不相关", 4000, "1.1.1.4"],
]


def test_vendor_two_header_rows_detected(tmp_path, write_xlsx):
    raw = read_survey(write_xlsx(tmp_path / "v.xlsx", VENDOR))
    src = raw.source
    assert (src.platform, src.header_rows) == ("vendor", 2)
    assert list(raw.data.columns) == VENDOR[1]
    assert list(raw.data.index) == [3, 4, 5, 6]  # data rows start on row 3
    cb = raw.codebook
    assert [q.number for q in cb] == ["Q1", "Q2", "Q4", "A1", "B5", "B4", "meta:IP"]
    assert cb["B5"].code == "B5" and cb["B5"].text == "您目前的工作与所学专业的相关程度"
    assert cb["B5"].type == "rating" and cb["B5"].scale == "relevance5"
    assert cb["B5"].options == ["很相关", "比较相关", "很不相关"]
    assert cb["B4"].type == "numeric"
    assert raw.data.loc[5, "您目前的税前月收入（元）"] == 5500.5
    assert cb["A1"].options == ["在国内工作", "在国内求学"]


def test_vendor_csv_and_header_rows_override(tmp_path):
    p = tmp_path / "v.csv"
    pd.DataFrame(VENDOR).to_csv(p, index=False, header=False, encoding="utf-8-sig")
    raw = read_survey(p)
    assert raw.source.header_rows == 2 and list(raw.data.index) == [3, 4, 5, 6]
    one = read_survey(p, header_rows=1)
    assert one.source.header_rows == 1 and one.source.platform == "generic"
    assert list(one.data.columns[:3]) == ["Q1", "Q2", "Q4"] and len(one.data) == 5


def test_vendor_duplicate_texts_use_codes(tmp_path, write_xlsx):
    rows = [["Q1", "B7-1", "B7-2"], ["学号", "满意度", "满意度"], ["1", "很满意", "满意"], ["2", "一般", "满意"]]
    raw = read_survey(write_xlsx(tmp_path / "v.xlsx", rows))
    assert list(raw.data.columns) == ["学号", "满意度", "满意度（B7-2）"]


def test_platform_override(tmp_path, write_xlsx):
    raw = read_survey(write_xlsx(tmp_path / "v.xlsx", VENDOR), platform="generic", header_rows=2)
    assert raw.source.platform == "generic"
    assert raw.codebook["5"].text == "您目前的工作与所学专业的相关程度"


# -- generic ------------------------------------------------------------------------------
def test_generic_numbers_by_position(tmp_path, write_xlsx):
    rows = [["专业", "意见", "满意度"],
            ["英语", "课程设置合理，老师认真负责。", "满意"],
            ["法学", "希望多一些模拟法庭的实践机会。", "一般"],
            ["英语", "实习基地太少，找实习困难。", "不满意"]]
    raw = read_survey(write_xlsx(tmp_path / "g.xlsx", rows))
    cb = raw.codebook
    assert raw.source.platform == "generic"
    assert [(q.number, q.text, q.type) for q in cb] == [("1", "专业", "single"), ("2", "意见", "open"), ("3", "满意度", "rating")]


# -- SPSS ---------------------------------------------------------------------------------
def _write_sav(path):
    import pyreadstat

    df = pd.DataFrame({
        "Q1": ["2020001", "2020002", "2020003", "2020004"],
        "sex": [1.0, 2.0, 1.0, np.nan],
        "sat": [1.0, 3.0, 6.0, 2.0],
        "income": [5000.0, np.nan, 7000.5, 6000.0],
        "major": [3.0, 1.0, 2.0, 1.0],
    })
    pyreadstat.write_sav(
        df, str(path),
        column_labels=["学号", "性别", "总体而言，您对母校的满意程度", "月收入", "您所学的专业"],
        variable_value_labels={
            "sex": {1: "男", 2: "女"},
            "sat": {1: "很满意", 2: "满意", 3: "一般", 4: "不满意", 5: "很不满意", 6: "无法评价"},
            "major": {1: "软件工程", 2: "金融学", 3: "英语"},
        },
    )
    return path


def test_sav_value_labels(tmp_path):
    raw = read_survey(_write_sav(tmp_path / "g.sav"))
    assert raw.source.platform == "spss" and raw.source.file_format == "sav"
    d = raw.data
    assert list(d.columns) == ["Q1", "sex", "sat", "income", "major"]
    assert list(d.index) == [2, 3, 4, 5]
    assert d["sex"].tolist()[:3] == ["男", "女", "男"] and pd.isna(d.loc[5, "sex"])
    assert d["sat"].tolist() == ["很满意", "一般", "无法评价", "满意"]
    assert d["income"].tolist()[0] == 5000.0 and pd.isna(d.loc[3, "income"])
    cb = raw.codebook
    sat = cb.by_column("sat")
    assert (sat.text, sat.type, sat.scale, sat.code) == ("总体而言，您对母校的满意程度", "rating", "satisfaction5", "sat")
    assert sat.options == ["很满意", "满意", "一般", "不满意", "很不满意", "无法评价"]
    assert sat.na_options == ["无法评价"]
    major = cb.by_column("major")
    assert major.type == "single" and major.options == ["软件工程", "金融学", "英语"]  # code order
    assert cb.by_column("income").type == "numeric"
    assert [q.number for q in cb] == ["1", "2", "3", "4", "5"]


def test_sav_truncated_and_fake(tmp_path):
    good = _write_sav(tmp_path / "g.sav")
    cut = tmp_path / "cut.sav"
    cut.write_bytes(good.read_bytes()[:300])
    with pytest.raises(ReadError, match=r"文件「cut\.sav」：无法读取 SPSS 文件"):
        read_survey(cut)
    fake = tmp_path / "fake.sav"
    fake.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(ReadError, match=r"文件「fake\.sav」：无法读取 SPSS 文件"):
        read_survey(fake)
    empty = tmp_path / "empty.sav"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match=r"文件「empty\.sav」：文件是空的"):
        read_survey(empty)


def test_sav_without_rows(tmp_path):
    import pyreadstat

    p = tmp_path / "none.sav"
    pyreadstat.write_sav(pd.DataFrame({"a": pd.Series([], dtype=float)}), str(p))
    with pytest.raises(ReadError, match=r"文件「none\.sav」：没有数据行"):
        read_survey(p)


def test_inspect_dict_for_every_layout(tmp_path, write_xlsx):
    import json

    files = [write_xlsx(tmp_path / "tx.xlsx", [TX_HEADER] + TX_ROWS), write_xlsx(tmp_path / "v.xlsx", VENDOR),
             _write_sav(tmp_path / "g.sav")]
    for f in files:
        d = json.loads(json.dumps(inspect_dict(read_survey(f)), ensure_ascii=False))
        assert d["rows"] == len(read_survey(f).data)
        assert {"file", "platform", "encoding", "sheet", "rows", "columns", "questions"} <= set(d)


def test_code_headers_with_answers_below_are_one_header_row(tmp_path, write_xlsx):
    rows = [["Q1", "Q2", "Q3"], ["男", "英语", "很满意"], ["女", "英语", "满意"], ["男", "法学", "很满意"]]
    raw = read_survey(write_xlsx(tmp_path / "g.xlsx", rows))
    assert raw.source.header_rows == 1 and len(raw.data) == 3
    assert raw.codebook["3"].scale == "satisfaction5"


def test_wjx_numeric_other_text_column_is_its_own_question(tmp_path, write_xlsx, wjx_system):
    rows = [wjx_system + ["第1题(运动)", "第1题(其他)", "1、兴趣爱好(其他)〖填写〗"],
            _sys(1) + [1, 0, None], _sys(2) + [0, 1, "养猫"], _sys(3) + [1, 1, "钓鱼"]]
    cb = read_survey(write_xlsx(tmp_path / "o.xlsx", rows)).codebook
    assert (cb["1"].type, cb["1"].options, cb["1"].columns) == ("multi", ["运动", "其他"], ["第1题(运动)", "第1题(其他)"])
    assert cb["1_text"].columns == ["1、兴趣爱好(其他)〖填写〗"]


def test_wjx_text_with_mostly_numeric_answers_stays_text(tmp_path, write_xlsx, wjx_system):
    rows = [wjx_system + ["1、家里几口人", "2、有几个兄弟姐妹", "3、兴趣爱好"],
            _sys(1) + [3, 1, "运动┋阅读"], _sys(2) + [4, 2, "阅读"], _sys(3) + [5, 0, "运动"]]
    raw = read_survey(write_xlsx(tmp_path / "t.xlsx", rows))
    assert raw.source.platform == "wjx_text"
    assert raw.codebook["1"].type == "numeric" and raw.codebook["3"].type == "multi"
