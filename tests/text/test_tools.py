"""The tool catalogue, the tool column of extract_skills and tool_table."""
from __future__ import annotations

import pandas as pd
import pytest

from survey_analysis.errors import ConfigError
from survey_analysis.text import extract_skills, load_taxonomy, load_tool_catalogue, tool_table


def tools_of(text):
    m = extract_skills([text])
    return {t for v in m["tool"] for t in v.split(";") if t}


def test_catalogue_size_fields_and_provenance():
    cat = load_tool_catalogue()
    assert len(cat["tools"]) >= 300
    fields = {t["group"] for t in cat["tools"]}
    assert {"it_data", "engineering", "finance", "design_media", "languages", "health"} <= fields
    ids = set(load_taxonomy().ids)
    assert all(t["competency"] in ids for t in cat["tools"])
    from importlib import resources
    head = resources.files("survey_analysis.text").joinpath("resources", "tools.yaml").read_text(encoding="utf-8")[:600]
    assert "Provenance" in head and "MIT" in head


@pytest.mark.parametrize("text,tools", [
    ("熟悉Python、SQL", {"Python", "SQL"}),
    ("会用PowerBI和powerbi做报表，也会Power  BI", {"Power BI"}),
    ("熟练使用帆软报表和FineReport", {"FineReport"}),
    ("熟悉R、Python", {"R语言", "Python"}),                  # R only in a skill context
    ("会用PS、AI修图排版", {"PS", "AI"}),
    ("AI技术发展很快", set()),                               # AI alone is not Illustrator
    ("熟悉Kettle、Navicat等工具", {"Kettle", "Navicat"}),     # Navicat: unknown name, skill context
    ("代码bug特别多", set()),                               # bug is not a tool
    ("用友U8和金蝶K3都会用", {"用友U8", "金蝶K3"}),
])
def test_tools_keep_their_canonical_name(text, tools):
    assert tools_of(text) == tools


def test_tool_keeps_its_competency_and_polarity():
    m = extract_skills(["熟悉Python、SQL", "SolidWorks画图不熟练", "数学建模能力强"])
    rows = set(zip(m["comment_id"], m["competency_id"], m["polarity"], m["tool"]))
    assert (0, "programming", "neutral", "Python;SQL") in rows          # one row, two tools
    assert (1, "engineering_drawing", "gap", "SolidWorks") in rows
    assert not (m["competency_id"] == "engineering_drawing").loc[m["comment_id"] == 2].any()  # 建模


def test_tool_table_counts_respondents_and_suppresses_small_groups():
    texts = ["熟悉Python、SQL", "Python不熟练，Excel一般", "会用Excel", "Excel", "熟悉SQL", "无",
             "希望加强Python编程"]
    ids = list("abcdefg")
    m = extract_skills(texts, ids=ids)
    groups = pd.DataFrame({"rid": ids, "major": ["统计学"] * 5 + ["会计学"] * 2})
    t = tool_table(m, groups, id_column="rid", min_cell=5)
    stat = t[t["major"] == "统计学"].set_index("tool")
    # independent count: respondents of 统计学 whose text names the tool
    assert stat.loc["Python", "count"] == 2 and stat.loc["Python", "n"] == 5
    assert stat.loc["SQL", "share"] == pytest.approx(2 / 5)
    assert stat.loc["Excel", "count"] == 3 and stat.loc["Excel", "field"] == "经管商务与办公"
    assert stat.loc["Excel", "rank"] == 1
    acc = t[t["major"] == "会计学"]
    assert acc["suppressed"].all() and acc["count"].isna().all() and acc["n"].isna().all()
    gaps = tool_table(m, groups, id_column="rid", polarity="gap", min_cell=1)
    assert set(gaps["tool"]) == {"Python", "Excel"}
    with pytest.raises(ConfigError, match="缺少必需的列"):
        tool_table(m, groups, by="college", id_column="rid")
