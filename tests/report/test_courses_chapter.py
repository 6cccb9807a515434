"""The course chapter and the course section of the major pages lay the findings' course tables
out: the same numbers in the model and the XLSX, a heat map per major, the strongest finding first."""
from __future__ import annotations

import copy

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def model(sample_findings):
    from survey_analysis.report.build import report_model

    return report_model(copy.deepcopy(sample_findings), charts=False, date="2025 年 12 月 1 日")


def _section(rep, title):
    return next(s for s in rep.sections if getattr(s, "title", "") == title)


@pytest.mark.slow
def test_course_chapter_has_the_tables(model, sample_findings):
    sec = _section(model, "六、课程体系与毕业要求")
    caps = [b.caption for b in sec.blocks if type(b).__name__ == "Table"]
    for want in ("各专业培养方案概览", "培养方案中未能对应到能力的列", "各专业能力短板对应的课程", "各专业核心课程的重要度与满足度",
                 "各专业毕业要求达成度（间接评价）"):
        assert any(want in c for c in caps), want
    # the high-priority course recommendations: one numbered list per major, every one of them
    recs = sample_findings.recommendations
    high = recs[(recs["level"] == "major") & recs["course_level"].fillna(False).astype(bool) & (recs["priority"] == 1)]
    listed = [x for b in sec.blocks if type(b).__name__ == "BulletList" for x in b.items]
    assert len(listed) == len(high) > 0
    assert all(any(r in x for x in listed) for r in high["recommendation"])
    att = next(b for b in sec.blocks if type(b).__name__ == "Table" and "达成度" in b.caption)
    f = sample_findings
    rated = f.attainment[f.attainment["status"] != "无评价数据"]
    assert len(att.df) == len(rated) and "间接评价达成度 =" in att.note  # the formula is stated
    text = " ".join(b.text for b in sec.blocks if type(b).__name__ == "Paragraph")
    assert "电子商务「数据分析能力」（无课程支撑）" in text and "《数据结构》" in text
    # the requirements no question rates are named, not left out
    assert "只能靠课程考核直接评价的毕业要求" in text and "计算机科学与技术：2 问题分析" in text


@pytest.mark.slow
def test_each_major_page_opens_with_its_strongest_finding_and_has_a_course_section(model, sample_findings):
    f = sample_findings
    recs = f.recommendations
    for m in f.programme.majors:
        sec = next(s for s in model.sections if getattr(s, "title", "").startswith(m + "（"))
        first = sec.blocks[0]
        top = recs[(recs["level"] == "major") & (recs["group"] == m)].iloc[0]
        assert type(first).__name__ == "Paragraph" and first.text.startswith("最突出的发现")
        assert top["finding"] in first.text, m
        heads = [b.text for b in sec.blocks if type(b).__name__ == "Heading"]
        assert f"{m}：课程与毕业要求" in heads, m


@pytest.mark.slow
def test_heat_map_of_a_major(sample_findings):
    from survey_analysis.report.chapters import major_course_blocks

    f = sample_findings
    blocks = major_course_blocks(f, "电子商务", charts=True)
    fig = next(b for b in blocks if type(b).__name__ == "Figure")
    assert "支撑课程 × 能力短板" in fig.caption and "programme_2025.xlsx" in fig.caption
    assert fig.png()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not major_course_blocks(f, "不存在的专业", charts=False)


def test_heatmap_chart_draws_every_filled_cell_and_the_empty_columns():
    import matplotlib

    matplotlib.use("Agg")
    from survey_analysis.report import charts

    d = pd.DataFrame({"course": ["甲", "乙", "甲", ""], "comp": ["沟通", "沟通", "写作", "数据分析"],
                      "s": [1.0, 0.5, 0.3, 0.0]})
    drawn = {}
    real = charts._finish

    def spy(fig, *a, **k):
        drawn["texts"] = [t.get_text() for t in fig.axes[0].texts]
        drawn["rows"] = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        return real(fig, *a, **k)

    charts._finish = spy
    try:
        fig = charts.heatmap_chart(d, "course", "comp", "s", title="t", caption_n="2 门课程", period="p",
                                   labels={1.0: "强", 0.5: "中", 0.3: "弱"}, col_notes={"数据分析": "无课程支撑"})
    finally:
        charts._finish = real
    assert sorted(drawn["texts"]) == sorted(["强", "中", "弱", "\n".join("无课程支撑")])
    assert drawn["rows"] == ["甲", "乙"] and "2 门课程" in fig.caption


@pytest.mark.slow
def test_xlsx_has_the_course_tables_with_the_findings_numbers(model, sample_findings, tmp_path):
    import openpyxl

    from survey_analysis.report.render import render

    out = render(model, tmp_path, formats="xlsx", basename="r")
    names = openpyxl.load_workbook(out["xlsx"], read_only=True).sheetnames
    sheet = next(s for s in names if "达成度" in s)
    x = pd.read_excel(out["xlsx"], sheet_name=sheet, engine="openpyxl")
    a = sample_findings.attainment
    a = a[a["status"] != "无评价数据"]
    want = a["value"].to_numpy(dtype=float)
    got = pd.to_numeric(x["达成度"], errors="coerce").to_numpy()[: len(want)]  # caption and note follow the data
    assert list(x["专业"].iloc[: len(want)]) == list(a["group"])
    ok = ~pd.isna(want)
    assert got[ok] == pytest.approx(want[ok], abs=1e-12) and pd.isna(got[~ok]).all()
    assert any("核心课程" in s for s in names) and any("短板" in s for s in names)


@pytest.mark.slow
def test_without_a_programme_the_report_has_no_course_chapter(sample_findings):
    from survey_analysis.report.build import report_model

    f = copy.deepcopy(sample_findings).replace(programme=None, course_gaps=None, gap_courses=None, course_ratings=None,
                                               attainment=None, programme_summary=None)
    titles = [getattr(s, "title", "") for s in report_model(f, charts=False).sections]
    assert "六、专业画像" in titles and not any("课程体系" in t for t in titles)
