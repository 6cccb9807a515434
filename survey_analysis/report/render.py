"""Render a report to several formats at once, atomically."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .._atomic import atomic_dir, safe_filename
from .._parallel import map_forked
from ..errors import ConfigError, OutputError
from .model import Report

__all__ = ["render", "FORMATS"]

#: Supported formats and their file extensions.
FORMATS = {"pdf": ".pdf", "html": ".html", "xlsx": ".xlsx", "docx": ".docx"}
_SLOWEST = ("pdf", "docx", "html", "xlsx")


def _renderer(fmt: str):
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    if fmt == "html":
        from .html import render_html

        return render_html
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx
    from .docx import render_docx

    return render_docx


def render(
    report: Report,
    out_dir: str | Path,
    formats: Iterable[str] | str = ("pdf", "html", "xlsx", "docx"),
    basename: str = "report",
) -> dict[str, Path]:
    """Write ``report`` in each of ``formats`` into ``out_dir``.

    All files are first written into a staging folder and published together only when every
    format succeeded (:func:`survey_analysis._atomic.atomic_dir`: the old and the new report are
    swapped in one step), so a failure or a kill at any point leaves either the whole earlier
    report or the whole new one -- never a mix, never a half-written file.

    Parameters
    ----------
    report : Report
    out_dir : str or Path
        Created if needed.
    formats : iterable of {"pdf", "html", "xlsx", "docx"} or a comma-separated string
    basename : str, default "report"
        File name without extension (made safe: it cannot leave ``out_dir``).

    Returns
    -------
    dict
        Format -> path of the written file.

    Raises
    ------
    ConfigError
        For an unknown format.
    OutputError
        When ``out_dir`` cannot be created or written.

    Examples
    --------
    >>> from survey_analysis.report import Report, Section, Paragraph, render
    >>> import tempfile
    >>> rep = Report("示例报告", sections=[Section("概述", [Paragraph("你好")])])
    >>> paths = render(rep, tempfile.mkdtemp(), formats=("html",))
    >>> paths["html"].suffix
    '.html'
    """
    if isinstance(formats, str):
        formats = [f for f in formats.split(",")]
    fmts = []
    for f in formats:
        f = str(f).strip().lower().lstrip(".")
        if f not in FORMATS:
            raise ConfigError(
                f"不支持的报告格式：{f}",
                expected="、".join(FORMATS),
                found=f,
                hint="请用 --format pdf,html,xlsx,docx 中的一种或几种（逗号分隔）。",
            )
        if f not in fmts:
            fmts.append(f)
    if not fmts:
        raise ConfigError("没有指定报告格式", expected="、".join(FORMATS), found="（空）")
    name = safe_filename(basename or "report")
    out = Path(out_dir)
    try:
        with atomic_dir(out) as tmp:
            # the formats share nothing but the report: written side by side, slowest first
            order = sorted(fmts, key=lambda f: _SLOWEST.index(f))
            def write(f: str) -> None:
                _renderer(f)(report, Path(tmp) / f"{name}{FORMATS[f]}")

            map_forked(write, order)
            result = {f: out / f"{name}{FORMATS[f]}" for f in fmts}
    except OutputError as exc:  # published as a set by atomic_dir: the old report stays whole
        raise OutputError(f"写入报告失败：{exc.message}", file=str(out), hint=exc.hint) from None
    except OSError as exc:
        raise OutputError(
            f"写入报告失败：{exc.strerror or exc}",
            file=str(out),
            hint="请检查输出文件夹的权限和剩余磁盘空间；已有的报告文件未被改动。",
        ) from None
    return result
