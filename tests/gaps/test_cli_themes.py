"""``survey-analysis themes`` on an arbitrary table."""
from __future__ import annotations

import pandas as pd
import pytest

from survey_analysis.cli import main
from survey_analysis.cli.themes import resolve_column
from survey_analysis.errors import SurveyError

ROWS = [
    ("沟通能力有待提高", "会计学"), ("动手能力差，联系电话13812345678", "会计学"), ("团队意识不够", "英语"),
    ("", "英语"), ("沟通表达能力较弱", "会计学"), ("实践动手能力不足", "英语"), ("缺乏团队合作精神", "会计学"),
    ("语言表达能力不足", "英语"), ("实际操作能力欠缺", "会计学"), ("团队协作意识不强", "英语"),
    ("无", "会计学"), ("汇报能力需要加强", "会计学"), ("动手能力不强", "会计学"), ("协作能力有待提高", "英语"),
]


@pytest.fixture()
def table(tmp_path):
    path = tmp_path / "反馈.csv"
    pd.DataFrame({"编号": range(1, len(ROWS) + 1), "您对我校人才培养的意见和建议": [r[0] for r in ROWS],
                  "专业": [r[1] for r in ROWS]}).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_themes_command_writes_one_row_per_input_row(table, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["themes", str(table), "--column", "意见和建议", "--k", "3", "--by", "专业",
                 "--min-cell", "2", "--out", str(out)])
    assert code == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("完成：14 行中 12 行参与聚类") and "3 个主题" in last
    a = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig", dtype={"主题编号": str})
    assert len(a) == len(ROWS)
    assert a["行号"].tolist() == list(range(2, len(ROWS) + 2))  # header is row 1
    empty = [i for i, r in enumerate(ROWS) if r[0] in ("", "无")]
    assert a.loc[empty, "主题编号"].isna().all()
    filled = a.drop(index=empty)
    assert filled["主题编号"].notna().all()
    # rows about the same competency share a theme
    def theme(i):
        return a.loc[i, "主题编号"]
    assert theme(0) == theme(4) == theme(7) == theme(11)
    assert theme(1) == theme(5) == theme(8) == theme(12)
    assert theme(2) == theme(6) == theme(9) == theme(13)
    assert len({theme(0), theme(1), theme(2)}) == 3
    t = pd.read_csv(out / "themes.csv", encoding="utf-8-sig")
    assert list(t.columns) == ["主题编号", "主题名称", "对应能力", "条数", "占比", "关键词", "代表性文本"]
    assert sorted(t["对应能力"]) == ["团队协作能力", "实践动手能力", "沟通表达能力"]
    assert t["条数"].sum() == 12 and t["占比"].sum() == pytest.approx(1.0, abs=1e-3)
    # personal information never reaches the examples
    assert "13812345678" not in (out / "themes.csv").read_text(encoding="utf-8-sig")
    assert "[手机号]" in (out / "themes.csv").read_text(encoding="utf-8-sig")
    s = pd.read_csv(out / "shares.csv", encoding="utf-8-sig")
    acc = s[(s["组"] == "会计学")]
    # 会计学: 7 rows with text; 沟通 in rows 0, 4, 11 → 3 / 7
    comm = t.loc[t["对应能力"] == "沟通表达能力", "主题编号"].iloc[0]
    assert acc.loc[acc["主题编号"] == comm, "组内占比"].iloc[0] == pytest.approx(3 / 7, abs=1e-4)
    assert (acc["组内有效人数"] == 7).all()


def test_missing_column_exits_2_and_lists_columns(table, tmp_path, capsys):
    code = main(["themes", str(table), "--column", "岗位要求", "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "缺少必需的列：岗位要求" in err and "您对我校人才培养的意见和建议" in err and "专业" in err
    assert not (tmp_path / "o" / "themes.csv").exists()


def test_column_with_no_text_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "t.csv"
    pd.DataFrame({"a": [1, 2, 3], "备注": ["无", "", "没有"]}).to_csv(path, index=False)
    assert main(["themes", str(path), "--column", "备注", "--out", str(tmp_path / "o")]) == 2
    assert "没有可聚类的文本" in capsys.readouterr().err


def test_resolve_column_by_header_text():
    cols = ["16、您对学校人才培养的意见和建议", "17、最需要加强的能力", "专业", "专业 名称"]
    assert resolve_column(cols, "16、您对学校人才培养的意见和建议") == cols[0]
    assert resolve_column(cols, "意见和建议") == cols[0]
    assert resolve_column(cols, "专业") == "专业"
    assert resolve_column(cols, "专业名称") == "专业 名称"
    with pytest.raises(SurveyError, match="有多个列与「能力」匹配"):
        resolve_column(cols + ["能力评价"], "能力")
    with pytest.raises(SurveyError, match="缺少必需的列：岗位"):
        resolve_column(cols, "岗位")


def test_clause_units_and_gaps_only(tmp_path, capsys):
    path = tmp_path / "意见.csv"
    texts = ["沟通能力有待提高，动手能力差", "基础理论不错", "沟通表达能力较弱", "实践动手能力不足",
             "语言表达能力不足；实际操作能力欠缺", "动手能力不强", "汇报能力需要加强", ""]
    pd.DataFrame({"编号": range(len(texts)), "意见": texts}).to_csv(path, index=False)
    out = tmp_path / "out"
    assert main(["themes", str(path), "--column", "意见", "--unit", "clause", "--gaps-only",
                 "--k", "2", "--out", str(out), "-q"]) == 0
    a = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig", dtype={"主题编号": str})
    assert len(a) == len(texts)
    # a praise-only row and an empty row have no theme; two gap clauses give two themes
    assert pd.isna(a.loc[1, "主题编号"]) and pd.isna(a.loc[7, "主题编号"])
    first = a.loc[0, "主题编号"].split(";")
    assert len(first) == 2 and set(first) == {a.loc[2, "主题编号"], a.loc[3, "主题编号"]}
    assert a.loc[4, "主题编号"].split(";") == first
    assert "共 8 分句" in capsys.readouterr().out


FIXTURE = "/work/shared/fixtures/wjx/800_800_0.xls"


def test_real_fixture_columns_give_reported_choice_and_content_labels(tmp_path, capsys):
    """The real 问卷星 export (multi-select text columns): scores per k are printed and written,
    a choice without a stable k or at an end of the range is warned about in Chinese, labels are
    content words and differ across themes."""
    import os

    if not os.path.exists(FIXTURE):
        pytest.skip("real fixture not present")
    for col in ("兴趣爱好", "关注资讯"):
        out = tmp_path / col
        assert main(["themes", FIXTURE, "--column", col, "--out", str(out)]) == 0
        cap = capsys.readouterr()
        assert "各主题数的得分" in cap.out and "自动选择主题数" in cap.out
        ks = pd.read_csv(out / "k_scores.csv", encoding="utf-8-sig")
        assert list(ks["主题数"]) == list(range(2, 31)) and ks["选中"].sum() == 1
        chosen = int(ks.loc[ks["选中"], "主题数"].iloc[0])
        if chosen in (2, 30) or not ks["稳定"].any():
            assert "注意：" in cap.err
        t = pd.read_csv(out / "themes.csv", encoding="utf-8-sig")
        t = t[t["主题编号"] >= 0]
        assert t["主题名称"].is_unique
        for label in t["主题名称"]:
            words = label.split("、")
            assert all(len(w) >= 2 for w in words), label
            assert not set(words) & {"还有", "太", "最", "希望", "强", "微", "类", "觉得", "个人", "注明"}
