"""clean(): recodes, exclusions, privacy and the audit invariant."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import survey_analysis as sa
from survey_analysis.cleaning import lookup_industry, lookup_major



def wjx_employer_frame(rows):
    import importlib.util, pathlib
    spec = importlib.util.spec_from_file_location("_core_conftest", pathlib.Path(__file__).with_name("conftest.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.wjx_employer_frame(rows)


def _read(write_xlsx, rows, **kw):
    return sa.read_survey(write_xlsx(wjx_employer_frame(rows)), **kw)


def test_builtin_employer_spec_matches_wjx_headers(write_xlsx):
    raw = _read(write_xlsx, [{}] * 6)
    spec = sa.infer_spec(raw)
    assert spec.kind == "employer"
    assert spec["major"].columns == ("6、贵单位招聘我校毕业生最多的专业",)
    assert spec["sat__practice"].columns == ("9、请评价我校毕业生在以下方面的表现（满意程度）—实践动手能力",)
    assert spec["overall_satisfaction"].scale == "satisfaction5"
    assert "15、联系电话" in spec.pii_columns and "14、填写人姓名" in spec.pii_columns
    # questions of the built-in questionnaire absent from this export are reported, not invented
    missing = spec.report[spec.report["status"] == "missing"]["field"].tolist()
    assert "hiring_plan" in missing and "imp__" in missing


def test_likert_scores_and_not_applicable_is_missing_not_zero(write_xlsx):
    rows = [{"sat": ["很满意", "满意", "一般", "不满意", "无法评价"], "overall": "非常满意"},
            {"sat": ["很不满意", "比较满意", "一般", "满意", "满意"], "overall": "无法评价"}]
    res = sa.clean(_read(write_xlsx, rows), straightline_min_items=None)
    d = res.data
    assert d["sat__ethics"].tolist() == [5.0, 1.0]
    assert d["sat__integrity"].tolist() == [4.0, 4.0]  # 比较满意 is a variant of 满意
    assert math.isnan(d["sat__practice"].iloc[0])
    assert d["overall_satisfaction"].iloc[0] == 5.0 and math.isnan(d["overall_satisfaction"].iloc[1])
    assert res.summary["not_applicable"] == 2
    rec = res.log[(res.log["kind"] == "recode") & (res.log["rule"] == "not_applicable")]
    assert set(rec["original"]) == {"无法评价"} and rec["count"].sum() == 2


def test_exclusions_each_logged_once_with_reason(write_xlsx):
    base = {"sat": ["很满意", "满意", "一般", "满意", "很满意"]}
    rows = [dict(base, comment=f"意见{i}") for i in range(6)]
    rows.append(dict(rows[2]))                              # duplicate of row 3 answers
    rows.append(dict(base, comment="很快", secs="35秒"))     # speeder
    rows.append(dict(base, sat=["满意"] * 5, overall="满意", comment="直线"))  # straight-liner
    raw = _read(write_xlsx, rows)
    res = sa.clean(raw)
    ex = res.exclusions
    assert dict(zip(ex["row"], ex["rule"])) == {8: "duplicate", 9: "speeder", 10: "straight_line"}
    s = res.summary
    assert s["rows_in"] == 9 == s["rows_kept"] + s["rows_excluded"]
    assert s["excluded_by_reason"]["duplicate"] == 1
    assert len(res.data) == 6 and set(res.data["source_row"]) == set(range(2, 8))


def test_thresholds_are_parameters(write_xlsx):
    rows = [{"secs": "35秒", "comment": "a"}, {"secs": "5分10秒", "comment": "b"}]
    raw = _read(write_xlsx, rows)
    assert sa.clean(raw, min_seconds=60).summary["excluded_by_reason"]["speeder"] == 1
    assert sa.clean(raw, min_seconds=20).summary["excluded_by_reason"]["speeder"] == 0
    assert sa.clean(raw, min_seconds=400).summary["excluded_by_reason"]["speeder"] == 2


def test_input_never_modified(write_xlsx):
    raw = _read(write_xlsx, [{}, {"overall": "无法评价"}])
    before = raw.data.copy()
    sa.clean(raw)
    pd.testing.assert_frame_equal(raw.data, before)


def test_privacy_pii_dropped_and_text_redacted(write_xlsx):
    rows = [{"comment": "联系人王小明，电话13812345678，邮箱hr@abc.com", "name": "王小明"},
            {"comment": "身份证320102199001011234不要写进来", "name": "李雷"}]
    res = sa.clean(_read(write_xlsx, rows), key="secret")
    flat = res.data.astype(str).to_string() + res.log.astype(str).to_string()
    for pii in ["王小明", "13812345678", "hr@abc.com", "320102199001011234", "13912345678", "李雷"]:
        assert pii not in flat
    assert res.data["comment_suggestion"].iloc[0] == "联系人[姓名],电话[手机号],邮箱[邮箱]"
    assert res.summary["redactions"] == 4
    assert not any("电话" in c or "姓名" in c for c in res.data.columns)


def test_pseudonyms_keyed_and_stable(write_xlsx):
    raw = _read(write_xlsx, [{}, {"comment": "x"}])
    a = sa.clean(raw, key="k1").data["respondent_id"]
    b = sa.clean(raw, key="k1").data["respondent_id"]
    c = sa.clean(raw, key="k2").data["respondent_id"]
    assert a.tolist() == b.tolist() and a.tolist() != c.tolist()
    assert all(x.startswith("R") and len(x) == 17 for x in a)


def test_full_width_normalised_and_industry_major_codes(write_xlsx):
    rows = [{"industry": "ＩＴ/互联网", "major": "会计学", "comment": "ＥＸＣＥＬ要加强"},
            {"industry": "信息传输、软件和信息技术服务业", "major": "计算机科学与技术"}]
    res = sa.clean(_read(write_xlsx, rows))
    d = res.data
    assert d["industry_code"].tolist() == ["I", "I"]
    assert d["industry"].tolist() == ["信息传输、软件和信息技术服务业"] * 2
    assert d["major_code"].tolist() == ["120203K", "080901"]
    assert d["comment_suggestion"].iloc[0] == "EXCEL要加强"


def test_multi_select_and_unknown_option_logged(write_xlsx):
    rows = [{"hired": "会计学┋软件工程"}, {"hired": "会计学┋考古学"}]
    res = sa.clean(_read(write_xlsx, rows))
    assert res.data["majors_hired"].iloc[0] == "会计学┋软件工程"
    inv = res.log[(res.log["kind"] == "invalid") & (res.log["field"] == "majors_hired")]
    assert inv["row"].tolist() == [3] and "考古学" in inv["detail"].iloc[0]


def test_numeric_parsing_bands_and_implausible():
    assert lookup_industry("C 制造业") == ("C", "制造业")
    assert lookup_major("计科") == ("080901", "计算机科学与技术")
    from survey_analysis.cleaning.recoders import parse_number as _parse_number, parse_seconds as _parse_seconds

    assert _parse_number("5,000元") == 5000
    assert _parse_number("1.2万") == 12000
    assert _parse_number("5001-8000元") == (5001, 8000)
    assert _parse_number("3000元以下") == (None, 3000)
    assert _parse_seconds("5分10秒") == 310 and _parse_seconds("312秒") == 312


def test_validate_collects_all_problems(write_xlsx):
    rows = [{"sat": ["很满意", "满意", "好得很", "满意", "7"], "hired": "会计学┋考古学"}, {"count": "三个"}]
    raw = _read(write_xlsx, rows)
    with pytest.raises(sa.SchemaErrors) as ei:
        sa.validate(raw, straightline_min_items=None)
    fc = ei.value.failure_cases
    assert {"in_scale", "known_option", "is_number"} <= set(fc["check"])
    assert set(fc.columns) >= {"column", "check", "failure_case", "row"}
    row_of = dict(zip(fc["failure_case"], fc["row"]))
    assert row_of["好得很"] == 2 and row_of["三个"] == 3
    assert "校验发现" in str(ei.value) and "survey.xlsx" in str(ei.value)


def test_validate_missing_required_field(write_xlsx):
    df = wjx_employer_frame([{}, {}]).drop(columns=["6、贵单位招聘我校毕业生最多的专业"])
    raw = sa.read_survey(write_xlsx(df))
    assert sa.infer_spec(raw).kind == "custom"  # too few questions to claim the built-in questionnaire
    fc = sa.validate(raw, sa.infer_spec(raw, kind="employer"), raise_errors=False)
    assert ("major", "required_field") in set(zip(fc["column"], fc["check"]))


LIKERT = ["很满意", "满意", "一般", "不满意", "很不满意", "无法评价", "", "好"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.lists(st.sampled_from(LIKERT), min_size=5, max_size=5),
                          st.sampled_from(["35秒", "300秒", "", "abc"]),
                          st.sampled_from(["会计学", "金融学", ""]),
                          st.text(max_size=15)), min_size=1, max_size=12))
def test_property_rows_in_equals_kept_plus_excluded(write_xlsx, rows):
    recs = [{"sat": s, "secs": t, "major": m, "comment": c} for s, t, m, c in rows]
    df = wjx_employer_frame(recs)
    raw = sa.read_survey(write_xlsx(df, "prop.xlsx"))
    before = raw.data.copy()
    res = sa.clean(raw)
    s = res.summary
    assert s["rows_in"] == len(df) == s["rows_kept"] + s["rows_excluded"]
    assert len(res.data) == s["rows_kept"]
    assert len(res.exclusions) == s["rows_excluded"]
    assert set(res.data["source_row"]).isdisjoint(set(res.exclusions["row"]))
    pd.testing.assert_frame_equal(raw.data, before)


def test_labels_with_leading_numbers_are_kept_apart():
    # regression: "0次"/"1次"/"2次" once normalised to the same key and all became "2次"
    from survey_analysis.cleaning import lookup_major
    from survey_analysis.spec import FieldSpec
    from survey_analysis.cleaning.recoders import recode_single as _recode_single
    from survey_analysis.cleaning.result import Log as _Log

    fs = FieldSpec(field="job_changes", columns=("c",), type="single", options=("0次", "1次", "2次", "3次及以上"))
    col = pd.Series(["0次", "1次", "2次", "3次及以上", "1次"], index=range(2, 7))
    out, _ = _recode_single(fs, col, _Log(), numeric_codes=False)
    assert out.tolist() == ["0次", "1次", "2次", "3次及以上", "1次"]
    assert lookup_major("080901") == ("080901", "计算机科学与技术")


def test_xlsx_numbers_stay_numbers(tmp_path):
    import numpy as np
    from openpyxl import load_workbook
    from survey_analysis.outputs import write_xlsx

    df = pd.DataFrame({"n": np.array([3, 4], dtype=np.int64), "share": [0.5, 0.25], "text": ["=1+1", "@x"]})
    p = write_xlsx({"表": df}, tmp_path / "t.xlsx")
    ws = load_workbook(p)["表"]
    assert ws["A2"].value == 3 and ws["A2"].data_type == "n"
    assert ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"


def test_numeric_student_ids_redacted_from_comments(write_xlsx):
    # workbook numbers come back as numbers (2021080901023 or 2021080901023.0); comments hold the text form
    df = pd.DataFrame({
        "序号": [1, 2], "提交答卷时间": ["2025/6/1 10:00:00"] * 2, "所用时间": ["300秒"] * 2,
        "来源": ["手机提交"] * 2, "来源详情": [""] * 2, "来自IP": ["1.2.3.4"] * 2,
        "1、学号": [2021080901023.0, None], "4、性别": ["男", "女"], "6、您所学的专业": ["会计学", "英语"],
        "8、您目前的毕业去向是": ["在国内工作", "在国内求学"],
        "26、您对母校人才培养工作的意见和建议": ["我是2021080901023，希望多实习", "无"],
    })
    raw = sa.read_survey(write_xlsx(df))
    res = sa.clean(raw, sa.infer_spec(raw, kind="graduate"), key="k")
    assert res.data["comment"].iloc[0] == "我是[学号],希望多实习"
