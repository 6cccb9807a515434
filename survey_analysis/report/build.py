"""The curriculum-adjustment report: :class:`Findings` → :class:`Report` → PDF, HTML, XLSX, DOCX.

:func:`report_model` lays the findings out as a :class:`~survey_analysis.report.model.Report`
(cover, contents, executive summary, data and method, employer demand, graduate outcomes,
teaching feedback, courses and graduation requirements when a programme is given, one profile
per major, the recommendations, the ledger when there is one,
appendix).  Each chapter is a module of :mod:`survey_analysis.report.chapters`; none of them
computes a number: every figure is a cell of a findings table, only selected and formatted
there, so the same number appears in every format.  The findings are never changed.

:func:`build_report` renders it atomically (a failed build leaves no half-written report).
"""
from __future__ import annotations

import datetime as _dt
import logging
import time
from typing import Callable, Iterable

from .chapters import appendix_chapter, courses_chapter, employer_chapter, major_chapters, method_chapter
from .chapters import outcomes_chapter
from .chapters import recommendation_tables, recommendations_chapter, summary_chapter, teaching_chapter
from .model import Figure, Report, Section, Table, TableOfContents

__all__ = ["report_model", "build_report", "REPORT_TITLE"]

logger = logging.getLogger(__name__)

REPORT_TITLE = "用人单位需求与毕业生跟踪调查报告"
_SUBTITLE = "——专业建设与课程调整建议"
_NUMERALS = "一二三四五六七八九十"


def _number(sections: list[Section], chapter: int) -> None:
    """Number the tables and figures of a chapter's sections (表 4-1, 图 4-1 …) in order."""
    from ._format import NUMBERED

    nt = nf = 0
    for section in sections:
        for b in section.blocks:
            if isinstance(b, Table) and not NUMBERED.match(b.caption or ""):
                nt += 1
                b.caption = f"表 {chapter}-{nt} {b.caption}"
            elif isinstance(b, Figure) and not NUMBERED.match(b.caption or ""):
                nf += 1
                b.caption = f"图 {chapter}-{nf} {b.caption}"


def _sources(f) -> list[str]:
    src = []
    if f.employer is not None:
        src.append(f"用人单位调查（有效 {f.employer.summary['rows_kept']:,} 份）")
    for c, r in sorted(f.graduates.items(), reverse=True):
        src.append(f"{c} 届毕业生跟踪调查（有效 {r.summary['rows_kept']:,} 份）")
    if f.population is not None:
        src.append("学生名单（总体）")
    if f.ledger is not None:
        src.append("访企拓岗台账")
    return src


def _chapters(f, charts: bool) -> list:
    """The numbered chapters (each a list of sections), in order; a chapter with nothing to show
    is left out and the next takes its number.

    The chapters depend only on the findings, so they are built side by side
    (:func:`~survey_analysis._parallel.map_forked`; in order in this process while a test captures
    the charts' figures).
    """
    from .._parallel import map_forked
    from ._chart_layout import capturing

    plan = [
        ("执行摘要", lambda t: summary_chapter(f, t)),
        ("数据与方法", lambda t: method_chapter(f, t)),
        ("用人单位需求", lambda t: employer_chapter(f, t, charts)),
        ("毕业生就业状况", lambda t: outcomes_chapter(f, t, charts)),
        ("教学培养反馈", lambda t: teaching_chapter(f, t, charts)),
        ("课程体系与毕业要求", lambda t: courses_chapter(f, t)),
        ("专业画像", lambda t: major_chapters(f, t, charts)),
        ("专业与课程调整建议汇总", lambda t: recommendations_chapter(f, t)),
    ]
    if f.ledger is not None:
        from ..ledger import ledger_section

        plan.append(("访企拓岗促就业专项行动进展", lambda t: ledger_section(f.ledger, title=t)))
    plan.append(("附录", lambda t: appendix_chapter(f, t)))
    # the slowest chapters first, so that the others fill the time beside them
    order = sorted(range(len(plan)), key=lambda i: plan[i][0] not in ("专业画像", "用人单位需求"))
    built = map_forked(lambda i: plan[i][1](plan[i][0]), order, workers=1 if capturing() else None)
    by_index = dict(zip(order, built))
    out = []
    for i, (name, _) in enumerate(plan):
        sec = by_index[i]
        if sec:
            secs = sec if isinstance(sec, list) else [sec]
            secs[0].title = f"{_NUMERALS[len(out)]}、{name}"  # built with the bare name
            out.append(secs)
    return out


def report_model(findings, *, charts: bool = True, date: str | None = None) -> Report:
    """Lay the findings out as a report (no file is written; the findings are not changed).

    Parameters
    ----------
    findings : Findings
        From :func:`survey_analysis.pipeline.analyse`.
    charts : bool, default True
        Draw the charts (``False`` is faster, for tests of the text).
    date : str, optional
        The date on the cover (default: today).

    Returns
    -------
    Report
    """
    f = findings
    cfg = f.config
    meta = {"school": cfg.school, "cohort": f"{f.cohort} 届" if f.cohort else None,
            "date": date or _dt.date.today().strftime("%Y 年 %m 月 %d 日"), "sources": _sources(f)}
    sections: list = [TableOfContents("目录")]
    for i, secs in enumerate(_chapters(f, charts), start=1):
        _number(secs, i)
        sections.extend(secs)
    return Report(title=REPORT_TITLE, subtitle=f"{cfg.school}{_SUBTITLE}", meta=meta, sections=sections,
                  workbook=recommendation_tables(f))


def build_report(findings=None, *, out_dir, formats: Iterable[str] | str = ("pdf", "html", "xlsx", "docx"),
                 basename: str = "report", charts: bool = True, progress: Callable[[str], None] | None = None,
                 employer=None, graduates=(), population=None, visits=None, demand=None, config=None,
                 **analyse_kw) -> dict:
    """Build the curriculum-adjustment report in several formats.

    Either pass a :class:`~survey_analysis.pipeline.Findings` object, or the input files (then
    :func:`survey_analysis.pipeline.analyse` is called first with them).

    Parameters
    ----------
    findings : Findings, optional
    out_dir : str or Path
        Output folder (created if needed).  All files are written to a temporary folder and
        moved into place only when every format succeeded.
    formats : iterable or comma-separated str, default all four
    basename : str, default "report"
    charts : bool, default True
    progress : callable, optional
        Called with short Chinese messages.
    employer, graduates, population, visits, demand, config
        Input files, passed to :func:`~survey_analysis.pipeline.analyse` when ``findings`` is
        not given.

    Returns
    -------
    dict
        ``format -> Path`` of every written file, plus ``"findings"`` (the Findings object)
        and ``"seconds"`` (the build time).

    Raises
    ------
    ConfigError
        Nothing to report on, or an unknown format.
    OutputError
        When ``out_dir`` cannot be written.

    Examples
    --------
    >>> from survey_analysis.report.build import build_report        # doctest: +SKIP
    >>> paths = build_report(employer="employer.xls", graduates=["g2025.xls"],
    ...                      out_dir="reports/2025", formats="pdf,xlsx")
    """
    from .._atomic import ensure_writable_dir
    from ..errors import ConfigError
    from .render import render

    t0 = time.perf_counter()
    say = progress or (lambda msg: logger.info(msg))
    out = ensure_writable_dir(out_dir)  # fail before the (long) analysis
    if findings is None:
        if employer is None and not graduates:
            raise ConfigError("没有可用于生成报告的数据：请提供分析结果（findings）或输入文件",
                              hint="例如 build_report(employer=..., graduates=[...], out_dir=...)")
        from ..pipeline import analyse

        findings = analyse(employer=employer, graduates=graduates, population=population, visits=visits,
                           demand=demand, config=config, progress=say, **analyse_kw)
    say("排版报告（图表与表格）…")
    rep = report_model(findings, charts=charts)
    say("写出报告文件…")
    paths = render(rep, out, formats=formats, basename=basename)
    result: dict = dict(paths)
    result["findings"] = findings
    result["report"] = rep
    result["seconds"] = time.perf_counter() - t0
    return result
