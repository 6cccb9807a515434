"""Tests of the full report: structure, the same numbers in PDF / XLSX / Findings, bad input, CLI."""
from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ConfigError, OutputError

# the sample findings include the training programmes: the course chapter comes before the profiles
CHAPTERS = ["一、执行摘要", "二、数据与方法", "三、用人单位需求", "四、毕业生就业状况", "五、教学培养反馈",
            "六、课程体系与毕业要求", "七、专业画像", "八、专业与课程调整建议汇总", "九、附录"]


@pytest.fixture(scope="session")
def built(sample_findings, tmp_path_factory):
    """The sample report in all four formats (charts included)."""
    from survey_analysis.report.build import build_report

    out = tmp_path_factory.mktemp("report")
    f = copy.deepcopy(sample_findings)
    res = build_report(f, out_dir=out, formats="pdf,html,xlsx,docx")
    return res


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _majors(f) -> list[str]:
    return [str(m) for m in f.config.majors["name"]]


# ------------------------------------------------------------------------------------------
# structure and consistency on the sample
# ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_report_model_structure(sample_findings):
    from survey_analysis.report.build import report_model
    from survey_analysis.report.model import Quote, TableOfContents

    f = copy.deepcopy(sample_findings)
    rep = report_model(f, charts=False, date="2025 年 12 月 1 日")
    titles = [s.title for s in rep.sections if hasattr(s, "title")]
    for ch in CHAPTERS:
        assert ch in titles
    assert isinstance(rep.sections[0], TableOfContents)
    for m in _majors(f):  # one profile per major, titled with its college
        assert any(t.startswith(m) for t in titles), m
    assert rep.meta["school"] == "华东某理工大学（样例）" and rep.meta["cohort"] == "2025 届"
    assert rep.meta["date"] == "2025 年 12 月 1 日"
    # the cover names the surveys, not raw file names (those are in the samples table of chapter 2)
    assert any("用人单位调查" in s for s in rep.meta["sources"])
    assert not any(".xls" in s for s in rep.meta["sources"])
    assert not rep.figures()  # charts=False
    assert any(isinstance(b, Quote) for _, b in rep.blocks())
    summary = next(s for s in rep.sections if getattr(s, "title", "") == "一、执行摘要")
    bullets = [b for b in summary.blocks if type(b).__name__ == "BulletList"][0]
    assert len(bullets.items) == 5
    assert "汉语言文学" in bullets.items[0] and "新闻学" in bullets.items[0]
    # every major's top recommendation appears on its profile page
    recs = f.recommendations
    for m in _majors(f):
        sec = next(s for s in rep.sections if getattr(s, "title", "").startswith(m))
        texts = " ".join(" ".join(b.items) for b in sec.blocks if type(b).__name__ == "BulletList")
        top = recs[(recs["level"] == "major") & (recs["group"] == m)].iloc[0]["recommendation"]
        assert top in texts, m


@pytest.mark.slow
def test_same_numbers_in_pdf_xlsx_and_findings(built):
    from survey_analysis.report.pdf import pdf_text

    f = built["findings"]
    pages = pdf_text(built["pdf"])
    text = _norm(" ".join(pages))
    for ch in CHAPTERS:
        assert ch in text, ch
    for m in _majors(f):
        assert m in text, m
    pl = f.outcomes["placement"]
    school = pl[pl["level"] == "school"].iloc[0]
    assert f"{school['placement_rate'] * 100:.1f}%" in text
    import openpyxl

    names = openpyxl.load_workbook(built["xlsx"], read_only=True).sheetnames
    sheet = next(s for s in names if "毕业去向" in s)
    xt = pd.read_excel(built["xlsx"], sheet_name=sheet, engine="openpyxl")
    rate_col = next(c for c in xt.columns if str(c).startswith("就业去向落实率") and "下限" not in str(c)
                    and "上限" not in str(c))
    group_col = next(c for c in xt.columns if "专业" in str(c))
    for _, r in pl[pl["level"] == "major"].iterrows():
        # Findings → PDF: the row "major … n rate" is in the text
        assert f"{r['group']}" in text
        assert f"{int(r['n'])} {r['placement_rate'] * 100:.1f}%" in text, r["group"]
        # Findings → XLSX: the same unrounded number
        x = xt.loc[xt[group_col] == r["group"], rate_col].iloc[0]
        assert float(x) == pytest.approx(float(r["placement_rate"]), abs=1e-9)
    # income medians (money) and a recommendation text
    inc = f.outcomes["income"]
    med = inc[inc["level"] == "school"].iloc[0]["median"]
    assert f"¥{med:,.0f}" in text
    rec = f.recommendations[f.recommendations["level"] == "major"].iloc[0]["recommendation"]
    assert _norm(rec)[:20] in text.replace(" ", "") or _norm(rec)[:12] in text
    # the workbook has one sheet per table of the report, plus the full lists kept for it alone
    rep = built["report"]
    assert len(names) - 1 == len(rep.tables()) + len(rep.workbook) and len(rep.workbook) == 2


@pytest.mark.slow
def test_html_is_self_contained_and_docx_has_every_major(built):
    html = built["html"].read_text(encoding="utf-8")
    assert "<img" in html and "data:image/png;base64," in html
    assert not re.search(r"""src=["'](?!data:)""", html)
    import docx

    d = docx.Document(str(built["docx"]))
    body = "\n".join(p.text for p in d.paragraphs)
    for m in _majors(built["findings"]):
        assert m in body, m
    # the PDF has bookmarks for the chapters
    from pypdf import PdfReader

    outline = [o.title for o in PdfReader(str(built["pdf"])).outline if not isinstance(o, list)]
    assert "八、专业与课程调整建议汇总" in outline


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_awkward_majors_comments_and_colleges(sample_findings, tmp_path):
    """A major with '/' in its name and no employer data, a 5,000-character comment, a one-major college."""
    from survey_analysis.report.build import build_report
    from survey_analysis.report.pdf import pdf_text

    import dataclasses

    from survey_analysis.pipeline import analyse_cleaned

    f0 = sample_findings
    old, new = "新闻学", "新闻学/传播学（融媒体方向）"
    grads = {}
    for c, r in f0.graduates.items():
        g = r.data.drop(columns=["weight"], errors="ignore")
        g = g.assign(major=g["major"].replace(old, new))
        g = g.assign(college=g["college"].where(g["major"] != new, "新闻传播学院"))  # a college with one major
        grads[c] = dataclasses.replace(r, data=g)
    majors = f0.config.majors.assign(name=f0.config.majors["name"].replace(old, new))
    majors.loc[majors["name"] == new, "college"] = "新闻传播学院"
    e = f0.employer.data
    e = e[e["major"] != old].copy()  # no employer named this major
    long = "实践动手能力不强，" + "希望学校加强实践教学与企业合作。" * 400
    e.loc[e.index[0], "comment_skills"] = long[:5000]
    f = analyse_cleaned(dataclasses.replace(f0.employer, data=e), grads, f0.config.replace(majors=majors),
                        population=f0.population.assign(major=f0.population["major"].replace(old, new)))
    res = build_report(f, out_dir=tmp_path / "out", formats="pdf,xlsx", charts=False)
    text = _norm(" ".join(pdf_text(res["pdf"])))
    assert new in text.replace(" ", "") or new in text
    assert "用人单位调查中没有以本专业为主要招聘专业的单位" in text
    recs = f.recommendations
    assert (recs["group"] == new).any()  # still gets its graduate-side recommendations
    assert not recs.loc[recs["group"] == new, "rules"].str.contains("employer_gap|ipa").any()
    assert recs["quotes"].str.split("\n").explode().str.len().max() < 200
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.pdf", "report.xlsx"]


def test_unwritable_output_folder_is_a_user_error(tmp_path):
    from survey_analysis.pipeline import AnalysisConfig, Findings
    from survey_analysis.report.build import build_report

    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="无法写入输出文件夹"):
        build_report(Findings(config=AnalysisConfig()), out_dir=blocker / "sub")
    with pytest.raises(ConfigError, match="没有可用于生成报告的数据"):
        build_report(out_dir=tmp_path / "x")


@pytest.mark.slow
def test_failed_build_leaves_nothing_behind(sample_findings, tmp_path, monkeypatch):
    from survey_analysis.report import docx as docx_mod
    from survey_analysis.report.build import build_report

    def boom(*a, **k):
        raise RuntimeError("disk full (simulated)")

    monkeypatch.setattr(docx_mod, "render_docx", boom)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError, match="simulated"):
        build_report(copy.deepcopy(sample_findings), out_dir=out, formats="xlsx,docx", charts=False)
    assert list(out.iterdir()) == []


def test_cli_report_errors(tmp_path, capsys):
    from survey_analysis.cli import main

    assert main(["report", "--out", str(tmp_path / "o")]) == 2
    assert "至少需要 --employer 或 --graduate" in capsys.readouterr().err
    assert main(["report", "--graduate", str(tmp_path / "nope.xls"), "--out", str(tmp_path / "o")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    g = tmp_path / "g.csv"
    g.write_text("a,b\n1,2\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["report", "--graduate", str(g), "--out", str(blocker / "o")]) == 2
    assert "无法写入输出文件夹" in capsys.readouterr().err


def test_cli_report_help_is_chinese(capsys):
    from survey_analysis.cli import main

    with pytest.raises(SystemExit):
        main(["report", "--help"])
    out = capsys.readouterr().out
    assert "--employer" in out and "输出格式" in out
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    assert "样例数据" in capsys.readouterr().out


def test_report_model_needs_no_employer_data():
    """Graduates only: the employer chapter is left out, nothing fails."""
    from types import SimpleNamespace

    from survey_analysis.pipeline import AnalysisConfig, Findings
    from survey_analysis.report.build import report_model

    summary = {"file": "g.csv", "rows_in": 10, "rows_kept": 9, "rows_excluded": 1,
               "excluded_by_reason": {"speeder": 1}}
    graduates = {2025: SimpleNamespace(summary=summary, data=pd.DataFrame({"major": ["甲"] * 9}),
                                       log=pd.DataFrame(columns=["kind", "rule", "count"]), spec=None,
                                       summary_text=lambda: "g.csv：读入 10 行，保留 9 行，排除 1 行。")}
    outcomes = {"placement": pd.DataFrame([
        {"level": "school", "group": "全校", "college": np.nan, "n": 9, "placement_rate": 0.5, "placement_rate_low": 0.2,
         "placement_rate_high": 0.8, "employment_rate": 0.4, "further_study_domestic_rate": 0.1, "abroad_rate": 0.0,
         "unemployed_rate": 0.5, "suppressed": False}])}
    f = Findings(config=AnalysisConfig(school="测试大学", cohort=2025), graduates=graduates, outcomes=outcomes)
    rep = report_model(f, charts=False)
    titles = [getattr(s, "title", "") for s in rep.sections]
    # chapters are numbered in order of those present: no gap where the employer chapter would be
    assert not any("用人单位需求" in t for t in titles) and "三、毕业生就业状况" in titles
    assert rep.meta["sources"] == ["2025 届毕业生跟踪调查（有效 9 份）"]
