"""read_programme on material nobody on the project generated: hand-written tables in layouts the
sample generator does not use (an indicator-point matrix with ●/◐/○ and a mapping file, a two-row
merged header with √, a long table), malformed files, and the shipped sample's two layouts."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from survey_analysis.errors import ConfigError, ReadError
from survey_analysis.programme import DEFAULT_STRENGTHS, competency_support, parse_strength, read_programme

DATA = Path(__file__).parent / "data"
MATRIX = DATA / "机械工程_指标点支撑矩阵.csv"
MAPPING = DATA / "机械工程_映射.yaml"
LONG = DATA / "经管学院_长表.csv"


# ------------------------------------------------------------------------------------------
# the hand-written indicator-point matrix (●/◐/○, 1-1 … 12-2) with a separate mapping file
# ------------------------------------------------------------------------------------------

def _marks_by_hand() -> dict:
    """(course, indicator) → mark, read with the csv module (the independent reading)."""
    rows = list(csv.reader(MATRIX.open(encoding="utf-8")))
    head = rows[1]
    ind = [j for j, h in enumerate(head) if h[:1].isdigit()]
    out = {}
    for r in rows[2:]:
        if not r[1] or r[1] == "合计":
            continue
        for j in ind:
            if r[j]:
                out[(r[1], head[j])] = r[j]
    return out


def test_indicator_matrix_with_mapping_file():
    p = read_programme(MATRIX, mapping=MAPPING)
    assert p.majors == ["机械工程"]  # the mapping names the major; the title row is not a course
    assert len(p.courses) == 18 and "合计" not in set(p.courses["course"])  # the total row is skipped
    hand = _marks_by_hand()
    got = {(r.course, r.requirement): r.mark for r in p.support.itertuples()}
    assert got == hand
    strength = {"●": 1.0, "◐": 0.5, "○": 0.3}
    assert all(r.strength == strength[r.mark] for r in p.support.itertuples())
    # 考核方式 (named in ignore:) and 备注 (a known non-matrix column) are not requirements
    assert set(p.requirements["requirement"]) == {h for _, h in hand} | {"7-1"}
    # an indicator point inherits its requirement's mapping; 3-3 has its own; 7-1 has none
    links = p.links.groupby("requirement")["competency_id"].apply(set).to_dict()
    assert links["3-1"] == links["3-2"] == {"design", "innovation"}
    assert links["3-3"] == {"practice"}
    assert links["12-2"] == {"learning"}
    un = p.unmapped.set_index("column")
    assert "7-1" in un.index and "只有编号" in un.loc["7-1", "reason"]
    assert set(p.requirements["threshold"]) == {0.65}
    c = p.courses.set_index("course")
    assert c.loc["高等数学A", "credits"] == 11 and c.loc["大学英语", "semester"] == 1
    assert c.loc["毕业设计", "semester_text"] == "8"


def test_support_weighted_by_strength_and_credits_by_hand():
    p = read_programme(MATRIX, mapping=MAPPING)
    cs = competency_support(p).set_index("competency_id")
    # practice comes only from 3-3: 机械设计 ◐ (4 学分), 机械设计课程设计 ● (3), 机电系统综合实验 ◐ (2), 毕业设计 ◐ (14)
    assert cs.loc["practice", "weighted_support"] == pytest.approx(0.5 * 4 + 1.0 * 3 + 0.5 * 2 + 0.5 * 14)
    assert cs.loc["practice", "n_courses"] == 4 and cs.loc["practice", "support_level"] == "强"
    assert cs.loc["practice", "courses"].split("、")[0] == "《机械设计课程设计》"  # strongest first
    # learning (12-1, 12-2): 大学英语 ○ on 12-1 only; 工程项目管理 ○ on 12-2; 生产实习 ◐; 毕业设计 ● → strong
    assert cs.loc["learning", "max_strength"] == 1.0
    # organization (11-1): 工程项目管理 ●, 生产实习 ◐, 毕业设计 ◐
    assert cs.loc["organization", "weighted_support"] == pytest.approx(1.0 * 2 + 0.5 * 3 + 0.5 * 14)


def test_two_row_merged_header_with_ticks(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["自动化专业课程与毕业要求关联矩阵"])
    ws.merge_cells("A1:K1")
    ws.append(["课程名称", "学分", "开课学期", "课程性质", "毕业要求1 工程知识", None, None, "毕业要求2 问题分析", None,
               "毕业要求10 沟通", None])
    for rng in ("E2:G2", "H2:I2", "J2:K2"):
        ws.merge_cells(rng)
    ws.append([None, None, None, None, "1.1", "1.2", "1.3", "2.1", "2.2", "10.1", "10.2"])
    ws.append(["电路分析", 4, "第二学期", "必修", "√", "√", None, "√", None, None, None])
    ws.append(["自动控制原理", 4, "第四学期", "必修（核心）", "√", None, "√", "√", "√", None, None])
    ws.append(["专业英语", 2, "第六学期", "选修", None, None, None, None, None, "√", "√"])
    path = tmp_path / "自动化.xlsx"
    wb.save(path)
    p = read_programme(path)
    assert p.majors == ["自动化"]  # from the title row: the sheet name is generic
    assert sorted(p.requirements["requirement"]) == ["1-1", "1-2", "1-3", "10-1", "10-2", "2-1", "2-2"]
    assert set(p.requirements["how"]) == {"认证标准"}  # named by the merged cell above
    assert set(p.links.loc[p.links["requirement"] == "10-2", "competency_id"]) == {"communication", "foreign_language"}
    assert len(p.support) == 9 and set(p.support["strength"]) == {1.0}
    c = p.courses.set_index("course")
    assert c.loc["自动控制原理", "core"] and not c.loc["电路分析", "core"]
    assert c.loc["电路分析", "semester"] == 2 and c.loc["专业英语", "semester"] == 6


def test_long_table_with_major_column():
    p = read_programme(LONG)
    assert p.majors == ["市场营销", "人力资源管理"]
    assert len(p.courses) == 10 and not p.notes  # repeated course rows of a long table are no duplicate
    assert p.core_courses("市场营销") == ["市场营销学", "消费者行为学", "市场调查与预测"]
    s = p.support.set_index(["major", "course", "requirement"])["strength"]
    assert s[("市场营销", "市场调查与预测", "写作能力")] == DEFAULT_STRENGTHS["L"]
    assert s[("人力资源管理", "招聘与甄选", "沟通表达能力")] == 1.0
    lk = p.links.set_index(["major", "requirement"])["competency_id"]
    assert lk[("人力资源管理", "法律意识")] == "law_awareness"


# ------------------------------------------------------------------------------------------
# malformed files: clear errors with file, sheet, row and column
# ------------------------------------------------------------------------------------------

def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_unknown_mark_names_row_and_column(tmp_path):
    p = _write(tmp_path, "m.csv", "专业,课程名称,学分,沟通表达能力,团队协作能力\n"
                                  "英语,综合英语,4,●,◐\n英语,英语写作,2,★,●\n英语,英语口语,2,X,\n")
    with pytest.raises(ReadError, match="无法识别的标记") as exc:
        read_programme(p)
    msg = str(exc.value)
    assert "第 3 行" in msg and "沟通表达能力" in msg and "★" in msg and "共 2 处" in msg
    assert "strengths" in msg  # says what to do


def test_a_text_column_is_left_out_and_listed(tmp_path):
    p = _write(tmp_path, "t.csv", "专业,课程名称,学分,授课语言,沟通表达能力\n英语,综合英语,4,英文,H\n英语,英语写作,2,中英双语,M\n")
    prog = read_programme(p)
    assert list(prog.requirements["requirement"]) == ["沟通表达能力"]
    row = prog.unmapped.set_index("column").loc["授课语言"]
    assert "不是可识别的支撑标记" in row["reason"]


def test_a_matrix_without_any_known_mark(tmp_path):
    p = _write(tmp_path, "s.csv", "专业,课程名称,学分,沟通表达能力,团队协作能力\n英语,综合英语,4,★,☆\n英语,英语写作,2,,★\n")
    with pytest.raises(ReadError, match="没有一个可识别的支撑标记") as exc:
        read_programme(p)
    assert "沟通表达能力" in str(exc.value) and "strengths" in str(exc.value)
    assert read_programme(p, mapping={"strengths": {"★": 1.0, "☆": 0.5}}).support["strength"].sum() == 2.5


def test_credit_that_is_no_number(tmp_path):
    p = _write(tmp_path, "c.csv", "专业,课程名称,学分,沟通表达能力\n英语,综合英语,三学分,H\n")
    with pytest.raises(ReadError, match="学分不是数字") as exc:
        read_programme(p)
    assert "第 2 行" in str(exc.value) and "学分" in str(exc.value)


def test_no_course_column(tmp_path):
    p = _write(tmp_path, "x.csv", "姓名,学号,成绩\n张三,2021001,90\n")
    with pytest.raises(ReadError, match="找不到课程名称列"):
        read_programme(p)


def test_major_cannot_be_told(tmp_path):
    p = _write(tmp_path, "Sheet1.csv", "课程名称,学分,沟通表达能力\n综合英语,4,H\n")
    with pytest.raises(ReadError, match="哪个专业") as exc:
        read_programme(p)
    assert "major" in str(exc.value)  # tells how to name it in the mapping file
    ok = read_programme(p, mapping={"major": "英语"})
    assert ok.majors == ["英语"]


def test_marks_without_a_course(tmp_path):
    p = _write(tmp_path, "n.csv", "专业,课程名称,学分,沟通表达能力\n英语,综合英语,4,H\n英语,,2,M\n")
    with pytest.raises(ReadError, match="没有课程名称"):
        read_programme(p)


def test_gbk_csv_and_bad_files(tmp_path):
    p = _write(tmp_path, "gbk.csv", "专业,课程名称,学分,沟通表达能力\n英语,综合英语,4,高\n", encoding="gb18030")
    assert read_programme(p).support["strength"].tolist() == [1.0]
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    with pytest.raises(ReadError, match="不是 Excel 工作簿"):
        read_programme(fake)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ReadError):
        read_programme(empty)
    with pytest.raises(ReadError, match="不存在"):
        read_programme(tmp_path / "missing.xlsx")
    with pytest.raises(ReadError, match="不支持"):
        read_programme(_write(tmp_path, "p.docx", "x"))


def test_bad_mapping_files(tmp_path):
    with pytest.raises(ConfigError, match="能力代码不存在") as exc:
        read_programme(MATRIX, mapping={"major": "机械工程", "requirements": {"10": "comunication"}})
    assert "communication" in str(exc.value)  # the closest id is suggested
    with pytest.raises(ConfigError, match="未知的键"):
        read_programme(MATRIX, mapping={"majr": "机械工程"})
    with pytest.raises(ConfigError, match="0 与 1"):
        read_programme(MATRIX, mapping={"major": "机械工程", "strengths": {"◎": 3}})
    bad = _write(tmp_path, "bad.yaml", "requirements: [\n")
    with pytest.raises(ConfigError, match="YAML"):
        read_programme(MATRIX, mapping=bad)
    # an extra mark declared in the mapping is read
    p = _write(tmp_path, "o.csv", "专业,课程名称,学分,沟通表达能力\n英语,综合英语,4,◎\n")
    assert read_programme(p, mapping={"strengths": {"◎": 0.8}}).support["strength"].tolist() == [0.8]


def test_cli_exits_2_on_a_bad_programme(tmp_path, capsys):
    from survey_analysis.cli import main
    from survey_analysis.datasets import sample_paths

    bad = _write(tmp_path, "bad.csv", "专业,课程名称,学分,沟通表达能力\n英语,综合英语,4,●\n英语,英语写作,2,★\n")
    out = tmp_path / "out"
    code = main(["report", "--graduate", str(sample_paths()["graduate_2023"]), "--programme", str(bad),
                 "--out", str(out), "--format", "xlsx"])
    err = capsys.readouterr().err
    assert code == 2 and "无法识别的标记" in err and "Traceback" not in err
    assert not any(out.glob("*"))  # nothing half-written


def test_parse_strength():
    assert parse_strength("h") == 1.0 and parse_strength(" M ") == 0.5 and parse_strength("○") == 0.3
    assert parse_strength("-") is None and parse_strength(None) is None and parse_strength(0) is None
    for bad in ("Y", 2, 1.5, "0.5.1"):
        with pytest.raises(ValueError):
            parse_strength(bad)


# ------------------------------------------------------------------------------------------
# the shipped sample: two layouts in one workbook
# ------------------------------------------------------------------------------------------

def test_sample_programme_two_layouts():
    from survey_analysis.datasets import sample_paths

    paths = sample_paths()
    facts = json.loads(paths["facts"].read_text(encoding="utf-8"))["programme"]
    p = read_programme(paths["programme"])
    assert p.majors == facts["layouts"]["A"]["majors"] + facts["layouts"]["B"]["majors"]
    for m, core in facts["core_courses"].items():
        assert p.core_courses(m) == core, m
    eng = p.requirements[p.requirements["major"].isin(facts["layouts"]["A"]["majors"])]
    assert set(eng["how"]) == {"认证标准"} and len(eng) == 12 * 6
    # the planted unmappable ability column is reported for every layout-B major, nothing else
    assert set(p.unmapped["column"]) == {facts["planted"]["unmapped_column"]["column"]}
    assert set(p.unmapped["major"]) == set(facts["layouts"]["B"]["majors"])
    assert any("填写说明" in n for n in p.notes)  # the instructions sheet is skipped, and said so
