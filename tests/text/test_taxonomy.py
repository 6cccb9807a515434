from pathlib import Path

import pytest
import yaml

import survey_analysis
from survey_analysis.errors import ConfigError
from survey_analysis.text import load_taxonomy

REQUIRED = {
    "ethics": "思想政治素质与职业道德", "integrity": "诚信意识", "theory": "基础理论知识",
    "professional": "专业知识", "practice": "实践动手能力", "learning": "学习能力",
    "innovation": "创新能力", "communication": "沟通表达能力", "teamwork": "团队协作能力",
    "organization": "组织管理能力", "resilience": "心理素质与抗压能力",
    "foreign_language": "外语能力", "office": "办公软件技能", "adaptability": "适应能力",
    "responsibility": "责任心", "programming": "编程能力", "data_analysis": "数据分析能力",
    "engineering_drawing": "工程制图能力", "writing": "写作能力", "career_planning": "职业规划意识",
    "project_experience": "项目经验", "industry_knowledge": "行业认知",
}


@pytest.fixture(scope="module")
def tax():
    return load_taxonomy()


def test_size_categories_and_required_ids(tax):
    assert len(tax) >= 40
    assert set(tax.frame["category"]) == {"思想道德品质", "职业素养", "专业知识", "专业能力/技能", "通用能力"}
    names = tax.frame.set_index("id")["name"].to_dict()
    for cid, name in REQUIRED.items():
        assert names[cid] == name
    assert tax.frame["name_en"].str.len().min() > 0
    assert list(tax.frame.columns) == ["id", "name", "name_en", "category"]


def test_questionnaire_competencies_are_taxonomy_ids(tax):
    qdir = Path(survey_analysis.__file__).parent / "resources" / "questionnaires"
    q = yaml.safe_load((qdir / "employer.yaml").read_text(encoding="utf-8"))
    codes = {r["code"] for qq in q["questions"] if qq.get("type") == "matrix" and qq.get("field_prefix") in ("imp__", "sat__")
             for r in qq["rows"]}
    assert len(codes) == 15
    assert codes <= set(tax.ids)


@pytest.mark.parametrize("alias,cid", [
    ("沟通能力", "communication"), ("沟通技巧", "communication"), ("表达能力", "communication"),
    ("语言表达", "communication"), ("与人沟通", "communication"), ("汇报能力", "communication"),
    ("动手能力", "practice"), ("实操能力", "practice"), ("实践能力", "practice"), ("上手", "practice"),
    ("CAD", "engineering_drawing"), ("AutoCAD", "engineering_drawing"), ("SolidWorks", "engineering_drawing"),
    ("识图", "engineering_drawing"), ("看图纸", "engineering_drawing"), ("Excel", "office"), ("Word", "office"),
    ("PPT", "office"), ("办公软件", "office"), ("编程", "programming"), ("写代码", "programming"),
    ("代码能力", "programming"), ("英语口语", "foreign_language"), ("外语", "foreign_language"),
    ("英文", "foreign_language"), ("Python", "programming"), ("C++", "programming"), ("SQL", "programming"),
    ("PLC", "programming"), ("Power BI", "data_analysis"), ("MATLAB", "professional_software"),
    ("SPSS", "professional_software"), ("Photoshop", "professional_software"),
])
def test_aliases_and_tools_map_to_competencies(tax, alias, cid):
    hits = tax.match(f"他的{alias}不错")
    assert [h[3] for h in hits] == [cid]


def test_tools_list_and_unique_aliases(tax):
    assert {"Python", "C++", "Java", "SQL", "Excel", "AutoCAD", "PLC", "Power BI", "Office", "MATLAB",
            "SPSS", "Photoshop"} <= set(tax.tools["tool"])
    assert set(tax.tools["competency_id"]) <= set(tax.ids)
    assert not tax.aliases["alias"].str.lower().duplicated().any()


def test_match_is_leftmost_longest_and_whole_word_for_latin(tax):
    assert [h[2] for h in tax.match("实践动手能力")] == ["实践动手能力"]
    assert tax.match("good job") == []          # "Go" is not matched inside "good"
    assert [h[3] for h in tax.match("会用 power  bi")] == ["data_analysis"]


def test_load_taxonomy_errors(tmp_path):
    with pytest.raises(ConfigError, match="找不到能力词表文件"):
        load_taxonomy(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("competencies:\n  - {id: a, name: 甲}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="缺少字段：name_en、category"):
        load_taxonomy(bad)
    ok = tmp_path / "ok.yaml"
    ok.write_text("competencies:\n  - {id: a, name: 甲能力, name_en: a, category: 通用能力, aliases: [甲甲]}\n",
                  encoding="utf-8")
    t = load_taxonomy(ok)
    assert [h[3] for h in t.match("甲甲很强")] == ["a"]
