"""Platform writers: what is written reads back as the label answers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey_analysis.datasets import generate_employers, generate_graduates, load_questionnaire
from survey_analysis.datasets import writers


@pytest.fixture(scope="module")
def emp():
    return generate_employers(21, 60)[0]


@pytest.fixture(scope="module")
def grad():
    return generate_graduates(21, 80, 2025)[0]


def _s(v):
    return "" if pd.isna(v) else str(v)


def test_wjx_text_round_trip(tmp_path, emp):
    qn = load_questionnaire("employer")
    p = writers.write_wjx_text(tmp_path / "e.xls", qn, emp)
    assert p.read_bytes()[:8] == bytes.fromhex("D0CF11E0A1B11AE1")  # OLE2 / BIFF8
    back = pd.read_excel(p, engine="calamine", dtype=str, keep_default_na=False, sheet_name="Sheet1")
    assert back.columns[6] == "1、贵单位名称"
    col = "9、请评价我校毕业生在以下方面的表现（满意程度）—责任心"
    assert back[col].tolist() == [_s(v) for v in emp["sat__responsibility"]]
    assert back["7、近三年贵单位招聘过我校哪些专业的毕业生（多选）"].tolist() == [_s(v) for v in emp["majors_hired"]]
    assert back["所用时间"].iloc[0] == f"{int(emp['所用时间'].iloc[0])}秒"


def test_wjx_numeric_codes(tmp_path, grad):
    qn = load_questionnaire("graduate")
    g = grad.copy()
    emp_rows = g.index[g["destination"] == "在国内工作"]
    g.loc[emp_rows[0], "income"] = pd.NA  # an employed graduate skips the income question
    p = writers.write_wjx_numeric(tmp_path / "g.xls", qn, g)
    back = pd.read_excel(p, engine="calamine")
    assert back.loc[emp_rows[0], "12、您目前的税前月收入（元）"] == writers.SKIPPED
    sat = back["第19题(课堂教学)"]
    expect = g["teach__classroom"].map({"很满意": 1, "满意": 2, "一般": 3, "不满意": 4, "很不满意": 5, "无法评价": 6})
    ok = g["teach__classroom"].notna()
    assert (sat[ok].to_numpy() == expect[ok].to_numpy()).all()
    chosen = g["improve"].fillna("").str.contains("实习和实践环节不够", regex=False)
    assert (back.loc[ok, "第20题(实习和实践环节不够)"] == chosen[ok].astype(int)).all()


def test_tencent_layout(tmp_path, grad):
    qn = load_questionnaire("graduate")
    p = writers.write_tencent(tmp_path / "t.xlsx", qn, grad)
    back = pd.read_excel(p, engine="calamine", dtype=str, keep_default_na=False)
    assert list(back.columns[:7]) == ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置", "IP", "UA"]
    dest = back["8.您目前的毕业去向是"]
    opts = next(q for q in qn["questions"] if q["number"] == 8)["options"]
    for v, lab in zip(dest, grad["destination"]):
        if pd.isna(lab):
            assert v == ""
        else:
            assert v == f"{chr(65 + opts.index(lab))}.{lab}"
    col = "20.您认为母校的教学最需要改进的地方（最多选三项）:课程内容不实用或陈旧"
    chosen = grad["improve"].fillna("").str.contains("课程内容不实用或陈旧", regex=False)
    assert ((back[col] == "B.课程内容不实用或陈旧") == chosen).all()
    assert back["答题时长"].str.match(r"^\d+分\d+秒$").all()


def test_sav_value_labels(tmp_path, grad):
    pyreadstat = pytest.importorskip("pyreadstat")
    qn = load_questionnaire("graduate")
    p = writers.write_sav(tmp_path / "g.sav", qn, grad)
    df, meta = pyreadstat.read_sav(str(p))
    assert meta.column_names_to_labels["Q8"] == "您目前的毕业去向是"
    labels = meta.variable_value_labels["Q8"]
    got = [None if pd.isna(v) else labels[v] for v in df["Q8"]]
    assert got == [None if pd.isna(v) else v for v in grad["destination"]]
    assert meta.variable_value_labels["Q16_2"][6.0] == "无法评价"
    assert df["Q12"].dropna().gt(0).any()


def test_csv_gbk_and_vendor(tmp_path, grad):
    qn = load_questionnaire("graduate")
    p = writers.write_csv_gbk(tmp_path / "g.csv", qn, grad)
    back = pd.read_csv(p, encoding="gb18030", dtype=str, keep_default_na=False)
    assert back["您所学的专业"].tolist() == [_s(v) for v in grad["major"]]
    v = writers.write_vendor_two_header(tmp_path / "v.xlsx", qn, grad)
    raw = pd.read_excel(v, engine="calamine", header=None, dtype=str, keep_default_na=False)
    codes = list(raw.iloc[0])
    assert raw.iloc[2:, codes.index("H2")].tolist() == [_s(x).replace("┋", "|") for x in grad["improve"]]


def test_system_rows_must_match(tmp_path, emp):
    qn = load_questionnaire("employer")
    with pytest.raises(ValueError):
        writers.write_wjx_text(tmp_path / "x.xls", qn, emp, system=emp[["序号"]].head(3))
    assert not (tmp_path / "x.xls").exists()
