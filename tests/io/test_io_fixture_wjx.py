"""The real 问卷星 text export in the shared fixtures (800 rows, code page 936 .xls)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from survey_analysis.io import inspect_dict, read_survey, split_choice


@pytest.fixture(scope="module")
def raw(fixture_path):
    return read_survey(fixture_path)


def test_facts(raw):
    src = raw.source
    assert src.platform == "wjx_text"
    assert src.file_format == "xls"
    assert src.sheet == "Sheet1"
    assert (src.rows, src.columns, len(raw.data)) == (800, 14, 800)
    # index = the Excel row number: header is row 1, first answer row 2, last 801
    assert raw.data.index.name == "row"
    assert raw.data.index[0] == 2 and raw.data.index[-1] == 801
    assert raw.data.loc[2, "序号"] == 1 and raw.data.loc[801, "序号"] == 800
    assert src.column_letters["8、关注资讯"] == "N"


def test_system_columns_are_meta(raw):
    for name in ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]:
        q = raw.codebook.by_column(name)
        assert q.type == "meta" and q.number == f"meta:{name}"
    assert [q.number for q in raw.codebook if q.type != "meta"] == [str(i) for i in range(1, 9)]


def test_question_texts_and_types(raw):
    cb = raw.codebook
    assert cb["3"].text == "性别"  # header "3、性别 " has a trailing space
    assert cb["3"].columns == ["3、性别 "]
    assert cb["3"].options == ["男", "女"]
    assert cb["7"].text == "爱好投入占收入比重"
    types = {q.number: q.type for q in cb if q.type != "meta"}
    assert types == {"1": "single", "2": "single", "3": "single", "4": "single", "5": "single",
                     "6": "multi", "7": "single", "8": "multi"}


def test_multi_select_options_whole(raw):
    q8 = raw.codebook["8"]
    assert "ACG文化(动漫、游戏等)" in q8.options
    assert "政治/军事" in q8.options
    assert "其他【请注明】" in q8.options
    assert q8.other_options == ["其他【请注明】"]
    # every option is a real option: none carries a 〖…〗 text or a ┋
    assert not any("〖" in o or "┋" in o for o in q8.options)
    # reference count computed independently from the raw cells
    col = raw.data["8、关注资讯"].dropna()
    n_acg = sum("ACG文化(动漫、游戏等)" in cell.split("┋") for cell in col)
    assert n_acg == 131
    assert set(raw.codebook["6"].options) == {
        "运动", "影视", "购物", "阅读", "美食", "旅游", "IT数码", "艺术", "音乐", "游戏动漫", "手工艺", "摄影", "健康", "其他【请注明】"}


def test_other_text_split(raw):
    texts = Counter()
    for cell in raw.data["8、关注资讯"].dropna():
        opts, other = split_choice(cell)
        if other is not None:
            assert "其他【请注明】" in opts
            texts[other] += 1
    assert set(texts) == {"育儿", "无目的", "社会", "新闻", "电影，餐饮"}
    q6 = raw.data["6、兴趣爱好"].dropna()
    others6 = sorted(o for o in (split_choice(c)[1] for c in q6) if o)
    assert others6 == sorted(["军事国防", "宠物"])
    # single choice with other text: option + text
    q2 = raw.codebook["2"]
    assert q2.other_options == ["其他【请注明】"]
    assert q2.options[:3] == ["0-799元", "800-999元", "1000-1499元"]


def test_income_bands_ordered_numerically(raw):
    assert raw.codebook["5"].options == [
        "3000元以下", "3001-5000元", "5001-8000元", "8001-10000元", "10001-15000元", "15000元以上",
        "无收入", "不知道/拒绝回答"]


def test_inspect_dict_is_json(raw):
    d = inspect_dict(raw)
    back = json.loads(json.dumps(d, ensure_ascii=False))
    assert back["platform"] == "wjx_text" and back["rows"] == 800 and back["columns"] == 14
    assert back["file"].endswith("800_800_0.xls")
    q8 = [q for q in back["questions"] if q["number"] == "8"][0]
    assert q8["type"] == "multi" and q8["columns"] == ["8、关注资讯"]
    assert "ACG文化(动漫、游戏等)" in q8["options"]
    for key in ("number", "text", "type", "options", "columns", "scale", "na_options", "other_options", "rows"):
        assert key in q8


def test_sheet_by_index_and_name_agree(fixture_path, raw):
    a = read_survey(fixture_path, sheet=0)
    b = read_survey(fixture_path, sheet="Sheet1")
    assert a.data.equals(raw.data) and b.data.equals(raw.data)


def test_inspect_text_in_chinese(raw):
    from survey_analysis.io import inspect_text

    text = inspect_text(raw)
    assert text.splitlines()[0] == "文件：800_800_0.xls"
    assert "平台：问卷星（按文本导出）（wjx_text）" in text
    assert "答卷（行）：800    列：14    题目：8" in text
    assert "[8] 关注资讯（多选）" in text
    assert "带填写内容的选项：其他【请注明】" in text
