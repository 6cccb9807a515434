"""Readers of the visit and demand ledgers: columns, dates, audit trail."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import xlsxwriter

from survey_analysis.errors import ReadError, SurveyError
from survey_analysis.ledger import parse_date, read_demand, read_visits


def _xlsx(path, rows, *, title=None, sheet="走访"):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    dfmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    r0 = 0
    if title:
        ws.write_string(0, 0, title)
        r0 = 1
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.datetime):
                ws.write_datetime(r0 + i, j, v, dfmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r0 + i, j, v)
            else:
                ws.write_string(r0 + i, j, str(v))
    wb.close()
    return path


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-04-05", dt.date(2022, 4, 5)),
        ("2022/4/5", dt.date(2022, 4, 5)),
        ("2022.04.05", dt.date(2022, 4, 5)),
        ("2022年4月5日", dt.date(2022, 4, 5)),
        ("２０２２年４月５日", dt.date(2022, 4, 5)),  # full-width digits
        ("20220405", dt.date(2022, 4, 5)),
        ("2022-04-05 14:30:00", dt.date(2022, 4, 5)),
        (44656, dt.date(2022, 4, 5)),  # Excel serial: 1899-12-30 + 44656 days
        (44656.75, dt.date(2022, 4, 5)),
        ("44656", dt.date(2022, 4, 5)),
        (dt.datetime(2022, 4, 5, 9), dt.date(2022, 4, 5)),
        (pd.Timestamp("2022-04-05"), dt.date(2022, 4, 5)),
        ("四月五日", None),
        ("2022-02-30", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_visits_xlsx_title_row_date_forms_and_row_numbers(lh, tmp_path):
    rows = [lh.VISIT_HEADERS,
            lh.visit(dt.datetime(2022, 3, 2), "甲大学", "张三", "校长", "甲公司"),
            lh.visit(44623, "甲大学", "张三", "校长", "乙公司"),          # serial number = 2022-03-03
            lh.visit("2022/3/4", "甲大学", "张三", "校长", "丙公司"),
            lh.visit("2022年3月5日", "甲大学", "张三", "校长", "丁公司"),
            lh.visit("三月六日", "甲大学", "张三", "校长", "戊公司")]
    path = _xlsx(tmp_path / "v.xlsx", rows, title="2022年走访台账")
    t = read_visits(path)
    assert list(t.data.index) == [3, 4, 5, 6, 7]  # title row 1, header row 2
    assert t.sheet == "走访"
    got = [None if pd.isna(d) else d.date() for d in t.data["date"]]
    assert got == [dt.date(2022, 3, 2), dt.date(2022, 3, 3), dt.date(2022, 3, 4), dt.date(2022, 3, 5), None]
    bad = t.audit[t.audit["check"] == "date_invalid"]
    assert list(bad["row"]) == [7] and bad["value"].iloc[0] == "三月六日"
    assert bad["column"].iloc[0] == "走访日期"
    assert not t.data.loc[7, "counted"]
    assert t.data["counted"].sum() == 4


def test_synonym_headers_and_units_in_brackets(tmp_path):
    headers = ["日期", "学校", "校领导", "职务", "用人单位", "单位性质", "所属行业", "所在地区",
               "是否新开拓单位", "提供岗位数（个）", "签订实习基地", "达成招聘活动"]
    df = pd.DataFrame([["2022-03-05", "甲大学", "张三", "校长", "甲公司", "国有企业", "制造业",
                        "南京", "是", "3个", "√", "否"]], columns=headers)
    t = read_visits(df)
    r = t.data.iloc[0]
    assert (r["university"], r["leader"], r["employer"]) == ("甲大学", "张三", "甲公司")
    assert r["positions"] == 3.0 and bool(r["is_new"]) and bool(r["internship_base"])
    assert t.columns["positions"] == "提供岗位数（个）"
    assert t.audit.empty


def test_gbk_csv(lh, tmp_path):
    df = lh.visits_frame([lh.visit("2022-03-05", "甲大学", "张三", "校长", "恒信科技有限公司")])
    path = tmp_path / "v.csv"
    df.to_csv(path, index=False, encoding="gbk")
    t = read_visits(path)
    assert t.data["employer"].iloc[0] == "恒信科技有限公司"
    assert t.data.index[0] == 2


def test_missing_columns_lists_what_is_there(lh):
    df = lh.visits_frame([lh.visit("2022-03-05", "甲大学", "张三", "校长", "甲公司")]).drop(columns=["职务", "提供岗位数"])
    with pytest.raises(SurveyError, match=r"缺少必需的列：职务、提供岗位数(.|\n)*现有列：走访日期、高校、走访人") as e:
        read_visits(df)
    assert "可写作" in str(e.value)


def test_sheet_not_found_and_bad_file(lh, tmp_path):
    path = _xlsx(tmp_path / "v.xlsx", [lh.VISIT_HEADERS], sheet="台账")
    # file-level problems come from survey_analysis.io.read_survey, with its messages
    with pytest.raises(ReadError, match="找不到工作表「第二页」(.|\n)*「台账」"):
        read_visits(path, sheet="第二页")
    with pytest.raises(ReadError, match="文件不存在"):
        read_visits(tmp_path / "none.xlsx")
    (tmp_path / "v.pdf").write_bytes(b"%PDF")
    with pytest.raises(ReadError, match="不支持的文件类型"):
        read_visits(tmp_path / "v.pdf")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(ReadError, match="文件是空的"):
        read_visits(tmp_path / "empty.csv")


def test_every_bad_visit_is_flagged_with_its_action(lh, tiny_visits):
    before = tiny_visits.copy()
    t = read_visits(tiny_visits, **lh.PERIOD)
    pd.testing.assert_frame_equal(tiny_visits, before)  # input untouched
    a = t.audit.set_index(["row", "check"])
    assert set(a.index) == {(4, "duplicate_visit"), (12, "outside_period"),
                            (13, "role_missing"), (13, "negative_number")}
    assert "与第 3 行重复" in a.loc[(4, "duplicate_visit"), "action"]
    assert "不计入" in a.loc[(12, "outside_period"), "action"]
    assert a.loc[(12, "outside_period"), "value"] == "2022-02-28"
    assert "计入进度" in a.loc[(13, "role_missing"), "action"] and "院长" in a.loc[(13, "role_missing"), "action"]
    assert a.loc[(13, "negative_number"), "value"] == "-2"
    # kept, never dropped; counted only where the action says so
    assert len(t.data) == 12
    assert list(t.data.index[~t.data["counted"]]) == [4, 12]
    assert t.data.loc[13, "counted"] and t.data.loc[13, "role"] == "院长"
    assert pd.isna(t.data.loc[13, "role_written"])
    assert np.isnan(t.data.loc[13, "positions"])
    assert (t.audit["table"] == "走访台账").all()


def test_missing_leader_and_bad_flag(lh):
    df = lh.visits_frame([lh.visit("2022-03-05", "甲大学", None, "校长", "甲公司", new="也许")])
    t = read_visits(df)
    checks = dict(zip(t.audit["check"], t.audit["action"]))
    assert checks["missing_value"] == "不计入进度"
    assert checks["bad_flag"] == "按“否”处理"
    assert not t.data["counted"].iloc[0] and not t.data["is_new"].iloc[0]


def test_period_is_a_parameter(tiny_visits):
    t = read_visits(tiny_visits, period_start="2022-02-01", period_end="2022-03-10")
    assert 12 not in set(t.audit["row"])
    assert t.data.loc[12, "counted"]


DEMAND_HEADERS = ["单位名称", "岗位名称", "需求专业", "学历要求", "需求人数", "工作地区", "薪资范围", "发布日期"]


def test_demand_reader_flags_negative_text_and_duplicate_headcount():
    df = pd.DataFrame([
        ["恒信科技有限公司", "Java开发", "计算机、软件工程", "本科", 10, "南京", "8000-10000", "2022-04-01"],
        ["恒信科技有限公司", "测试", "软件工程", "本科", -3, "南京", None, "2022-04-01"],
        ["博远电子有限公司", "电气工程师", "电气", "本科", "若干", "苏州", None, "2022-04-02"],
        ["恒信科技有限责任公司", "Java开发", "计算机、软件工程", "本科", 10, "南京", "8000-10000", "2022-04-01"],
        ["瑞丰机械有限公司", "机械设计", "机械设计制造及其自动化", "本科", "5人", "南京", None, "某天"],
    ], columns=DEMAND_HEADERS)
    t = read_demand(df)
    a = t.audit.set_index("row")
    assert a.loc[3, "check"] == "negative_number" and a.loc[3, "value"] == "-3"
    assert a.loc[4, "check"] == "not_a_number" and a.loc[4, "value"] == "若干"
    assert a.loc[5, "check"] == "duplicate_demand" and "与第 2 行重复" in a.loc[5, "action"]
    assert a.loc[6, "check"] == "date_invalid"
    assert list(t.data["counted"]) == [True, False, False, False, True]
    assert t.data.loc[6, "headcount"] == 5.0
    assert (t.audit["table"] == "需求台账").all()


def test_demand_missing_columns():
    df = pd.DataFrame([["甲公司", "会计"]], columns=["单位名称", "岗位名称"])
    with pytest.raises(SurveyError, match="缺少必需的列：需求专业、需求人数"):
        read_demand(df)


def test_leader_never_given_a_role(lh):
    t = read_visits(lh.visits_frame([lh.visit("2022-03-05", "甲大学", "张三", None, "甲公司")]))
    assert t.audit["action"].tolist() == ["计入进度；职务未知，请补填"]
    assert t.data["counted"].all() and t.data["role"].isna().all()
