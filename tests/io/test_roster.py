"""The one roster reader: counts by major / sex / college, names and ids for redaction; merged 专业
cells, repeated student numbers, placeholder ids and impossible counts (issue 18)."""
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.errors import ConfigError
from survey_analysis.io import Roster, read_roster
from survey_analysis.io.roster import roster_from_frame


def _xlsx(path, rows, merges=()):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    for r0, c0, r1, c1, v in merges:
        ws.merge_range(r0, c0, r1, c1, v)
    wb.close()
    return path


def test_merged_major_cells_count_every_student(tmp_path):
    majors = ["软件工程"] * 40 + ["会计学"] * 25 + ["英语"] * 12
    rows = [["学号", "姓名", "性别", "学院", "专业"]]
    rows += [[f"2021{i:04d}", f"学生{i}", "男" if i % 2 else "女", None, None] for i in range(len(majors))]
    merges = [(1, 4, 40, 4, "软件工程"), (41, 4, 65, 4, "会计学"), (66, 4, 77, 4, "英语"),
              (1, 3, 65, 3, "经济管理学院"), (66, 3, 77, 3, "外国语学院")]
    r = read_roster(_xlsx(tmp_path / "roster.xlsx", rows, merges))
    assert r.kind == "roster" and r.total == 77
    assert r.counts.groupby("major")["count"].sum().to_dict() == {"会计学": 25, "英语": 12, "软件工程": 40}
    assert r.college_of_major == {"软件工程": "经济管理学院", "会计学": "经济管理学院", "英语": "外国语学院"}
    assert len(r.names) == 77 and len(r.ids) == 77
    # the counts are not personal: no names or ids in them or in the table
    assert "姓名" not in r.table.columns and "学号" not in r.table.columns
    assert "学生1" not in repr(r) and "20210001" not in repr(r)


def test_missing_majors_without_merges_are_refused(tmp_path):
    rows = [["学号", "姓名", "专业"], ["2021001", "甲", "软件工程"]] + [[f"20210{i:02d}", f"乙{i}", None] for i in range(2, 30)]
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(tmp_path / "r.csv", index=False)
    with pytest.raises(ConfigError, match="没有专业") as info:
        read_roster(tmp_path / "r.csv")
    assert "合并单元格" in str(info.value) and "r.csv" in str(info.value)


def test_repeated_student_numbers_count_once(tmp_path):
    df = pd.DataFrame({"学号": ["2021001", "2021002", "2021001", "2021003", "2021002"],
                       "姓名": ["甲", "乙", "甲", "丙", "乙"], "专业": ["软件工程"] * 5})
    df.to_csv(tmp_path / "r.csv", index=False)
    r = read_roster(tmp_path / "r.csv")
    assert r.total == 3
    assert any("重复" in n and "第 4、6 行" in n for n in r.notes), r.notes
    assert not any("2021001" in n for n in r.notes)  # the note never shows the number itself


@pytest.mark.parametrize("value", ["inf", "1e300", "-1", "很多"])
def test_counts_must_be_finite_plausible_numbers(value):
    with pytest.raises(ConfigError, match="人数列"):
        roster_from_frame(pd.DataFrame({"专业": ["软件工程", "会计学"], "人数": [value, "120"]}), source="p.csv")


def test_placeholder_ids_are_no_ids():
    r = roster_from_frame(pd.DataFrame({"学号": ["无", "2021001", "0", "/", "不知道"], "姓名": list("甲乙丙丁戊"),
                                        "专业": ["软件工程"] * 5}))
    assert r.ids == ("2021001",) and r.total == 5  # placeholders neither ids nor merged into one person


def test_every_caller_reads_the_roster_the_same_way(tmp_path):
    from survey_analysis.ledger import read_graduates
    from survey_analysis.weighting import load_population

    majors = ["软件工程"] * 7 + ["会计学"] * 3
    rows = [["学号", "姓名", "专业"]] + [[f"2021{i:03d}", f"生{i}", None] for i in range(10)]
    path = _xlsx(tmp_path / "r.xlsx", rows, [(1, 2, 7, 2, "软件工程"), (8, 2, 10, 2, "会计学")])
    want = {"会计学": 3, "软件工程": 7}
    assert load_population(path).set_index("major")["count"].to_dict() == want
    g = read_graduates(path)
    assert g.groupby("major")["n"].sum().to_dict() == want
    assert sa.read_roster(path).counts.set_index("major")["count"].to_dict() == want
    assert isinstance(sa.read_roster(path), Roster)


def test_thirty_one_respondents_typing_no_id_are_not_one_person(tmp_path):
    rows = ["学号,专业,总体满意度,意见"]
    rows += [f"无,软件工程,满意,意见{i}" for i in range(31)]
    rows += [f"2021{i:03d},会计学,一般,其他{i}" for i in range(10)] + ["2021001,会计学,一般,重复提交"]
    (tmp_path / "s.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    raw = sa.read_survey(tmp_path / "s.csv")
    (tmp_path / "m.yaml").write_text("survey: custom\nfields:\n  major: {question: 2}\n"
                                     "  overall_satisfaction: {question: 3}\nid: {question: 1}\n", encoding="utf-8")
    spec = sa.load_spec(tmp_path / "m.yaml", raw)
    res = sa.clean(raw, spec, key="k", min_seconds=None, duplicates="id")
    assert res.summary["excluded_by_reason"]["duplicate"] == 1  # only the real repeat of 2021001
    assert res.summary["rows_kept"] == 41
