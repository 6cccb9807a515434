import os

import pandas as pd
import pytest

from survey_analysis.errors import ConfigError, OutputError
from survey_analysis.report import Paragraph, Report, Section, Table, render


def small():
    return Report("小报告", sections=[Section("一", [Paragraph("内容"), Table(pd.DataFrame({"a": [1]}), "表")])])


def test_render_returns_paths_for_each_format(rendered, tmp_path):
    assert set(rendered) == {"pdf", "html", "xlsx", "docx"}
    for fmt, p in rendered.items():
        assert p.suffix == "." + fmt and p.stat().st_size > 1000
    assert not [f for f in os.listdir(rendered["pdf"].parent) if f.startswith(".")]


def test_formats_as_string_and_safe_basename(tmp_path):
    out = render(small(), tmp_path / "o", formats="html, xlsx", basename="../../逃逸/名")
    assert set(out) == {"html", "xlsx"}
    for p in out.values():
        assert p.parent == tmp_path / "o" and p.exists()
        assert ".." not in p.name


def test_unknown_format():
    with pytest.raises(ConfigError, match="不支持的报告格式：odt"):
        render(small(), "/tmp", formats=("pdf", "odt"))


def test_unwritable_folder(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="无法写入输出文件夹"):
        render(small(), blocker / "sub", formats=("html",))


def test_failure_leaves_nothing_half_written(tmp_path, monkeypatch):
    out = tmp_path / "o"
    first = render(small(), out, formats=("html",))
    before = first["html"].read_bytes()

    import survey_analysis.report.xlsx as xmod

    def boom(report, path):
        path.write_bytes(b"partial")
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(xmod, "render_xlsx", boom)
    changed = Report("另一个报告", sections=[Section("二", [Paragraph("新")])])
    with pytest.raises(RuntimeError, match="disk fell off"):
        render(changed, out, formats=("html", "xlsx"))
    assert sorted(os.listdir(out)) == ["report.html"]  # no xlsx, no temporary folder
    assert first["html"].read_bytes() == before  # the earlier report is untouched


def test_chapters_made_side_by_side_equal_the_ones_made_in_order(sample_findings, monkeypatch):
    """report_model builds its chapters in worker processes; the report must be the one the
    plain, in-order build gives (every block, every chart's pixels: the HTML holds them all)."""
    from survey_analysis.report.build import report_model
    from survey_analysis.report.html import to_html

    side = report_model(sample_findings, date="2026 年 1 月 1 日")
    monkeypatch.setenv("SURVEY_ANALYSIS_WORKERS", "1")
    plain = report_model(sample_findings, date="2026 年 1 月 1 日")
    assert [s.title for s in side.sections] == [s.title for s in plain.sections]
    assert [s.title for s in plain.sections if getattr(s, "level", 1) == 1][:4] == [
        "目录", "一、执行摘要", "二、数据与方法", "三、用人单位需求"]
    assert to_html(side) == to_html(plain)


def test_a_chapter_with_nothing_to_show_gives_its_number_to_the_next(sample_findings):
    """Chapters are built with their bare names and numbered afterwards: without an employer
    survey there is no employer chapter and the graduates' chapter is the third."""
    import dataclasses

    from survey_analysis.report.build import report_model

    f = dataclasses.replace(sample_findings, employer=None)
    titles = [s.title for s in report_model(f, charts=False).sections if getattr(s, "level", 1) == 1]
    assert "三、毕业生就业状况" in titles
    assert not any("用人单位需求" in t for t in titles)
    numerals = [t.split("、")[0] for t in titles[1:]]
    assert numerals == list("一二三四五六七八九十")[:len(numerals)]


def test_formats_written_side_by_side_equal_the_ones_written_in_order(tmp_path, monkeypatch):
    from pypdf import PdfReader

    from .conftest import build_report

    rep = build_report()
    side = render(rep, tmp_path / "side")
    monkeypatch.setenv("SURVEY_ANALYSIS_WORKERS", "1")
    plain = render(rep, tmp_path / "plain")
    assert side["html"].read_bytes() == plain["html"].read_bytes()
    a, b = PdfReader(str(side["pdf"])), PdfReader(str(plain["pdf"]))
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]
    for k in ("xlsx", "docx"):
        assert abs(side[k].stat().st_size - plain[k].stat().st_size) < 64  # zip time stamps only


def test_student_services_have_their_own_section_with_the_findings_numbers(sample_findings):
    """学生工作与服务 (the vendor reports' 学生工作及服务质量 chapter) is a section of 五、 with the
    service items' school rates and intervals as the findings hold them; the teaching table no
    longer mixes them in."""
    from survey_analysis.report.build import report_model
    from survey_analysis.report.model import Section as Sec

    rep = report_model(sample_findings, charts=False)
    secs = [s for s in rep.sections if isinstance(s, Sec)]
    i = next(k for k, s in enumerate(secs) if s.title.endswith("教学培养反馈"))
    svc = secs[i + 1]
    assert svc.title == "学生工作与服务" and svc.level == 2
    tr = sample_findings.teaching["teaching_ratings"]
    want = tr[(tr["domain"] == "service") & (tr["level"] == "school")]
    table = next(b for b in svc.blocks if isinstance(b, Table))
    assert list(table.df["item_label"]) == list(want["item_label"]) == ["就业指导服务", "学生管理服务"]
    assert [c[0] for c in table.df["rate_ci"]] == list(want["rate"])
    assert [c[1:] for c in table.df["rate_ci"]] == list(zip(want["rate_low"], want["rate_high"]))
    teach = next(b for b in secs[i].blocks if isinstance(b, Table))
    assert "teach__career_service" not in teach.df.columns and "teach__classroom" in teach.df.columns
