"""The recommendations chapter prints every recommendation once, as a numbered list per major and
per college, each item with what to change, where, who, the target and the evidence; the full
table goes to the XLSX workbook only."""
from __future__ import annotations

import copy

import pytest


@pytest.fixture(scope="module")
def model(sample_findings):
    from survey_analysis.report.build import report_model

    return report_model(copy.deepcopy(sample_findings), charts=False, date="2025 年 12 月 1 日")


def _chapter(rep):
    return next(s for s in rep.sections if getattr(s, "title", "").endswith("专业与课程调整建议汇总"))


@pytest.mark.slow
def test_every_recommendation_is_listed_once_with_its_evidence(model, sample_findings):
    recs = sample_findings.recommendations
    sec = _chapter(model)
    assert not [b for b in sec.blocks if type(b).__name__ == "Table" and len(b.df.columns) > 6]  # no wide table
    lists = [b for b in sec.blocks if type(b).__name__ == "BulletList"]
    items = [x for b in lists for x in b.items]
    assert len(items) == len(recs)
    heads = [b.text for b in sec.blocks if type(b).__name__ == "Heading"]
    for r in recs.to_dict("records"):
        hits = [x for x in items if r["recommendation"] in x and f"优先级{r['priority_zh']}" in x]
        assert hits, r["recommendation"]
        x = hits[0]
        assert f"落实到：{r['where']}" in x and f"负责人：{r['owner']}" in x and f"目标：{r['target']}" in x
        first_line = r["evidence"].split("\n")[0]
        assert "证据：" + first_line in x
        assert any(h.startswith(f"{r['group']}（") for h in heads)
    # each group's heading counts its items
    for lv in ("major", "college"):
        for g, rows in recs[recs["level"] == lv].groupby("group"):
            assert any(h.startswith(f"{g}（{len(rows)} 条") for h in heads), g


@pytest.mark.slow
def test_the_full_table_is_in_the_workbook_only(model, sample_findings, tmp_path):
    import openpyxl

    from survey_analysis.report.xlsx import render_xlsx

    recs = sample_findings.recommendations
    caps = [t.caption for t in model.workbook]
    assert caps == ["全部建议及证据（专业层面）", "全部建议及证据（学院层面）"]
    assert not any("全部建议及证据" in t.caption for t in model.tables())  # not printed
    path = render_xlsx(model, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    sheets = [n for n in wb.sheetnames if "全部建议及证据" in n]
    assert len(sheets) == 2
    rows = sum(ws.max_row for ws in (wb[n] for n in sheets))
    assert rows >= len(recs)  # every recommendation has a row (plus caption and header rows)
    values = {c for ws in (wb[n] for n in sheets) for row in ws.iter_rows(values_only=True) for c in row if c}
    assert set(recs["recommendation"]) <= values and set(recs["evidence"]) <= values
