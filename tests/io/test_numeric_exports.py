"""问卷星 numeric exports (按序号) of a questionnaire the package does not know: codes are decoded
from the mapping's options, or from the text export of the same survey, or flagged loudly (a
warning in the cleaning summary) and never used as numbers."""
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.cli import main
from survey_analysis.errors import ReadError

SYS = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
MAJORS = ["软件工程", "机械工程", "会计学"]
INCOME = ["3000元以下", "3001-5000元", "5001-8000元", "8001-12000元", "12000元以上"]
SAT = ["很满意", "满意", "一般", "不满意", "很不满意"]
ROWS = [(1, 2, 1), (2, 3, 2), (3, 1, 5), (1, 5, 3), (2, 4, 4), (3, 2, 1), (1, 1, 2), (2, 3, 1)]


def _write(tmp_path):
    num_head = SYS + ["1、您所学的专业", "2、您目前的税前月收入", "3、您对就业指导课的评价",
                      "第4题(课堂教学)", "第4题(实践教学)", "第5题(运动)", "第5题(阅读)"]
    txt_head = SYS + ["1、您所学的专业", "2、您目前的税前月收入", "3、您对就业指导课的评价",
                      "4、教学评价—课堂教学", "4、教学评价—实践教学", "5、兴趣爱好"]
    num, txt = [num_head], [txt_head]
    for i, (m, inc, s) in enumerate(ROWS, start=1):
        sysv = [i, "2025/7/1 10:00:00", "300秒", "手机提交", "直接访问", "1.2.3.4"]
        num.append(sysv + [m, inc, s, s, 6 - s, i % 2, 1 - i % 2])
        txt.append(sysv + [MAJORS[m - 1], INCOME[inc - 1], SAT[s - 1], SAT[s - 1], SAT[5 - s],
                           "运动" if i % 2 else "阅读"])
    pn, pt = tmp_path / "num.csv", tmp_path / "text.csv"
    pn.write_text("\n".join(",".join(map(str, r)) for r in num) + "\n", encoding="utf-8")
    pt.write_text("\n".join(",".join(map(str, r)) for r in txt) + "\n", encoding="utf-8")
    return pn, pt


MAPPING = ("survey: graduate\nfields:\n  major: {question: 1}\n  income: {question: 2}\n"
           "  school_satisfaction: {question: 3}\nmatrices:\n  teach__: {question: 4, scale: satisfaction5, "
           "rows: {课堂教学: classroom, 实践教学: practice}}\n")


def _clean(raw, tmp_path, mapping=MAPPING):
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    return sa.clean(raw, sa.load_spec(tmp_path / "m.yaml", raw), key="k", min_seconds=None, duplicates="none")


def test_undecodable_codes_are_flagged_and_never_numbers(tmp_path):
    pn, _ = _write(tmp_path)
    raw = sa.read_survey(pn)
    assert raw.source.platform == "wjx_numeric"
    res = _clean(raw, tmp_path)
    warnings = res.summary["warnings"]
    assert any("major" in w for w in warnings) and any("income" in w for w in warnings)
    assert any("school_satisfaction" in w for w in warnings)
    assert res.data["income"].isna().all()  # codes 1-5 are not yuan
    assert res.data["school_satisfaction"].isna().all()  # code 1 is not a score of 1
    assert res.data["major"].isna().all()
    assert "警告" in res.summary_text() and "--text-export" in res.summary_text()
    # not counted as implausible incomes cell by cell: one rule in the log
    assert (res.log["rule"] == "undecoded_codes").sum() == 3


def test_codes_decoded_from_the_text_export(tmp_path):
    pn, pt = _write(tmp_path)
    raw = sa.read_survey(pn, text_export=pt)
    res = _clean(raw, tmp_path)
    assert res.summary["warnings"] == []
    assert res.data["major"].tolist() == [MAJORS[m - 1] for m, _, _ in ROWS]
    want_inc = {1: 2250.0, 2: 4000.5, 3: 6500.5, 4: 10000.5, 5: 15000.0}
    assert res.data["income"].tolist() == [want_inc[i] for _, i, _ in ROWS]
    assert res.data["school_satisfaction"].tolist() == [6.0 - s for _, _, s in ROWS]  # 很满意 = 5
    assert res.data["teach__practice"].tolist() == [float(s) for _, _, s in ROWS]
    assert any("解码" in n for n in raw.source.notes)


def test_codes_decoded_from_mapping_options(tmp_path):
    pn, _ = _write(tmp_path)
    mapping = ("survey: graduate\nfields:\n  major: {question: 1, options: [软件工程, 机械工程, 会计学]}\n"
               "  income: {question: 2, options: [3000元以下, 3001-5000元, 5001-8000元, 8001-12000元, 12000元以上]}\n"
               "  school_satisfaction: {question: 3, options: [很满意, 满意, 一般, 不满意, 很不满意]}\n")
    res = _clean(sa.read_survey(pn), tmp_path, mapping)
    assert res.summary["warnings"] == []
    assert res.data["major"].tolist() == [MAJORS[m - 1] for m, _, _ in ROWS]
    assert res.data["income"].iloc[0] == 4000.5


def test_text_export_of_other_answers_is_an_error(tmp_path):
    pn, pt = _write(tmp_path)
    lines = pt.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("机械工程", "软件工程", 1)  # row 2 now says code 2 = 软件工程 (code 1 already is)
    pt.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match="两个不同的答案") as info:
        sa.read_survey(pn, text_export=pt)
    assert info.value.row is not None


def test_cli_clean_with_text_export(tmp_path, capsys):
    pn, pt = _write(tmp_path)
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    rc = main(["clean", str(pn), "--text-export", str(pt), "--spec", str(tmp_path / "m.yaml"),
               "--out", str(tmp_path / "o"), "--min-seconds", "0", "-q"])
    assert rc == 0, capsys.readouterr().err
    data = pd.read_csv(tmp_path / "o" / "cleaned.csv")
    assert set(data["major"]) == set(MAJORS)
