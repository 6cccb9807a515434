"""The report engine: a plain model, charts, fonts and one renderer per format.

Build a :class:`Report` from the analysis results, then :func:`render` it to PDF, HTML, XLSX
and DOCX.  Importing this package loads no font and draws nothing; the renderers and
matplotlib are imported when first used.
"""
from __future__ import annotations

import importlib

from .model import (
    BulletList,
    Figure,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Section,
    Table,
    TableOfContents,
)
from .render import FORMATS, render

_LAZY = {
    "bar_chart": "charts",
    "grouped_bar_chart": "charts",
    "ipa_chart": "charts",
    "stacked_bar_chart": "charts",
    "line_chart": "charts",
    "progress_chart": "charts",
    "chart_style": "charts",
    "OKABE_ITO": "charts",
    "IPA_QUADRANTS": "charts",
    "render_pdf": "pdf",
    "render_html": "html",
    "to_html": "html",
    "render_xlsx": "xlsx",
    "render_docx": "docx",
    "use_chinese_font": "fonts",
    "mpl_rc": "fonts",
    "font_path": "fonts",
    "pdf_text": "pdf",
}

__all__ = sorted(
    [
        "Report", "Section", "Paragraph", "Heading", "BulletList", "KeyFigures", "Table",
        "Figure", "Quote", "PageBreak", "TableOfContents", "render", "FORMATS",
    ]
    + list(_LAZY)
)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
