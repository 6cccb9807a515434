"""The report model: plain dataclasses that every renderer draws.

A :class:`Report` is a title, some facts for the cover (``meta``) and a list of
:class:`Section` objects, each holding *blocks*: :class:`Paragraph`, :class:`Heading`,
:class:`BulletList`, :class:`KeyFigures`, :class:`Table`, :class:`Figure`, :class:`Quote`,
:class:`PageBreak` and :class:`TableOfContents`.  The model holds no analysis: sections are
built elsewhere from the findings, and the renderers (PDF, HTML, XLSX, DOCX) only draw them,
so the same numbers appear in every format.

Examples
--------
>>> import pandas as pd
>>> from survey_analysis.report.model import Report, Section, Paragraph, Table
>>> df = pd.DataFrame({"专业": ["计算机科学与技术"], "n": [120], "share": [0.853]})
>>> rep = Report(
...     title="用人单位需求调查报告",
...     meta={"school": "示例大学", "cohort": "2024 届"},
...     sections=[Section("概述", [Paragraph("本报告……"),
...                                Table(df, "表 1 样本", formats={"share": "pct"})])],
... )
>>> [t.caption for t in rep.tables()]
['表 1 样本']
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

import pandas as pd

__all__ = [
    "Report",
    "Section",
    "Paragraph",
    "Heading",
    "BulletList",
    "KeyFigures",
    "Table",
    "Figure",
    "Quote",
    "PageBreak",
    "TableOfContents",
    "TABLE_FORMATS",
]

#: Column formats understood by :class:`Table` (see :mod:`survey_analysis.report._format`).
TABLE_FORMATS = ("pct", "pct_ci", "int", "float1", "float2", "money", "pvalue", "date", "text")


@dataclass
class Paragraph:
    """A paragraph of body text (plain text; no markup is interpreted)."""

    text: str


@dataclass
class Heading:
    """A heading inside a section (``level`` 2 or 3); it gets no bookmark of its own."""

    text: str
    level: int = 2


@dataclass
class BulletList:
    """A list of short items."""

    items: Sequence[str]
    ordered: bool = False


@dataclass
class KeyFigures:
    """A row of headline figures: ``items`` is a list of ``(label, value, note)`` tuples.

    ``value`` is already formatted text (e.g. ``"93.1%"``) so that the report states it
    exactly as the analysis function formatted it; ``note`` may be ``None``.
    """

    items: Sequence[tuple]

    def normalized(self) -> list[tuple[str, str, str]]:
        """Return the items as ``(label, value, note)`` strings ('' for a missing note)."""
        out = []
        for it in self.items:
            it = tuple(it) + (None,) * (3 - len(tuple(it)))
            label, value, note = it[:3]
            out.append((str(label), "" if value is None else str(value), "" if note is None else str(note)))
        return out


@dataclass
class Table:
    """A table of data.

    Parameters
    ----------
    df : DataFrame
        The data, drawn as it is (index ignored). A boolean column ``suppressed`` (as made by
        :func:`survey_analysis.privacy.suppress_small`) is not drawn; its rows show "—" and
        the suppression note is added below the table.
    caption : str
        The title of the table (also the name of its XLSX sheet).
    note : str, optional
        A note printed under the table (source, definitions, n).
    column_labels : dict, optional
        Column name -> label shown to people.
    formats : dict, optional
        Column name -> one of ``"pct"`` (a share 0..1 shown as ``85.3%``), ``"pct_ci"``
        (a tuple ``(share, low, high)`` shown as ``85.3%（80.1–89.6）``; in XLSX three
        columns), ``"int"``, ``"float1"``, ``"float2"``, ``"money"`` (``¥6,512``) or
        ``"pvalue"`` (a p-value: ``<0.001`` or three decimals; a number in XLSX), ``"date"``
        (``2025-06-30``; an Excel date in XLSX) or ``"text"``.  An unlisted numeric column
        is a percentage when its name or label says it is a rate (``…率``, ``占比``,
        ``比例``, ``能力满足度``, ``share``, ``rate``), a p-value when it is called ``p`` /
        ``p 值``, otherwise shown with up to two decimals (see
        :func:`survey_analysis.report._format.column_format`).
    highlight : sequence, optional
        Rows to emphasise: row positions (ints) or a boolean mask as long as ``df``.
    """

    df: pd.DataFrame
    caption: str
    note: str | None = None
    column_labels: dict | None = None
    formats: dict | None = None
    highlight: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.df, pd.DataFrame):
            raise TypeError("Table.df must be a pandas DataFrame")
        bad = {k: v for k, v in (self.formats or {}).items() if v not in TABLE_FORMATS}
        if bad:
            raise ValueError(f"unknown column formats {bad}; use one of {TABLE_FORMATS}")

    def display_columns(self) -> list:
        """Columns that are drawn (everything except a boolean ``suppressed`` column)."""
        return [c for c in self.df.columns if c != "suppressed"]

    def label(self, column) -> str:
        """The label shown for ``column``."""
        return str((self.column_labels or {}).get(column, column))

    def fmt(self, column) -> str | None:
        """The format of ``column`` (``None`` when not given)."""
        return (self.formats or {}).get(column)

    def highlighted_rows(self) -> set[int]:
        """Positions of the rows to emphasise."""
        h = self.highlight
        if h is None:
            return set()
        import numpy as np

        arr = np.asarray(list(h))
        if arr.dtype == bool:
            return {int(i) for i in np.flatnonzero(arr)}
        return {int(x) for x in arr.ravel()}

    def suppressed_rows(self) -> set[int]:
        """Positions of rows marked in a ``suppressed`` column."""
        if "suppressed" not in self.df.columns:
            return set()
        s = self.df["suppressed"].fillna(False).astype(bool).to_numpy()
        return {i for i, x in enumerate(s) if x}

    def full_note(self) -> str:
        """The note with the suppression note (from ``df.attrs``) appended when relevant."""
        parts = [self.note] if self.note else []
        extra = self.df.attrs.get("suppression_note") if self.suppressed_rows() else None
        if extra and extra not in parts:
            parts.append(extra)
        return " ".join(parts)


@dataclass
class Figure:
    """A chart: a matplotlib figure or PNG bytes.

    Parameters
    ----------
    figure : matplotlib.figure.Figure or bytes
        The chart. A matplotlib figure is turned into PNG once (``dpi``) and then closed.
    caption : str
        The caption; chart functions put n and the period in it.
    width : float, default 1.0
        Width as a fraction of the text width (0 < width ≤ 1).
    """

    figure: Any
    caption: str
    width: float = 1.0
    dpi: int = 200
    _png: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not 0 < float(self.width) <= 1:
            raise ValueError("Figure.width is a fraction of the text width in (0, 1]")

    def png(self) -> bytes:
        """The chart as PNG bytes (rendered once, then cached)."""
        if self._png is None:
            if isinstance(self.figure, (bytes, bytearray)):
                self._png = bytes(self.figure)
            else:
                from .fonts import use_chinese_font

                buf = io.BytesIO()
                with use_chinese_font():
                    self.figure.savefig(buf, format="png", dpi=self.dpi, facecolor="white")
                import matplotlib.pyplot as plt

                plt.close(self.figure)
                self._png = buf.getvalue()
        return self._png

    def size_px(self) -> tuple[int, int]:
        """(width, height) of the PNG in pixels."""
        import struct

        data = self.png()
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError("Figure must be a matplotlib figure or PNG bytes")
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)


@dataclass
class Quote:
    """A quoted comment with its source (e.g. ``"用人单位，制造业"``)."""

    text: str
    source: str | None = None


@dataclass
class PageBreak:
    """Start a new page (PDF, DOCX); ignored in HTML and XLSX."""


@dataclass
class TableOfContents:
    """Where the table of contents goes (headings of every bookmarked section)."""

    title: str = "目录"


@dataclass
class Section:
    """A titled part of the report.

    ``level`` 1 sections start a new page in the PDF; ``bookmark`` puts the section in the
    PDF outline and the table of contents.
    """

    title: str
    blocks: list = field(default_factory=list)
    level: int = 1
    bookmark: bool = True


@dataclass
class Report:
    """A whole report.

    Parameters
    ----------
    title, subtitle : str
    meta : dict
        Facts for the cover: ``school``, ``cohort``, ``date``, ``sources`` (a string or a
        list of strings); other keys are shown too, in order.
    sections : list of Section
    workbook : list of Table
        Tables written only to the XLSX workbook, after the report's own tables: full lists the
        printed report lays out another way (every recommendation with its evidence).
    """

    title: str
    subtitle: str = ""
    meta: dict = field(default_factory=dict)
    sections: list = field(default_factory=list)
    workbook: list = field(default_factory=list)

    def blocks(self) -> Iterator[tuple[Section, Any]]:
        """Every ``(section, block)`` pair in order."""
        for s in self.sections:
            if isinstance(s, TableOfContents):
                yield Section(s.title, [s], bookmark=False), s
                continue
            for b in s.blocks:
                yield s, b

    def tables(self) -> list[Table]:
        """Every :class:`Table` in order."""
        return [b for _, b in self.blocks() if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        """Every :class:`Figure` in order."""
        return [b for _, b in self.blocks() if isinstance(b, Figure)]

    def has_toc(self) -> bool:
        return any(isinstance(b, TableOfContents) for _, b in self.blocks())


_META_LABELS = {
    "school": "学校",
    "cohort": "届别",
    "date": "日期",
    "sources": "数据来源",
}


def meta_items(meta: dict) -> list[tuple[str, str]]:
    """Cover facts as ``(label, text)`` pairs: known keys get Chinese labels."""
    out = []
    for k, v in (meta or {}).items():
        if v is None or v == "":
            continue
        if isinstance(v, (list, tuple)):
            v = "；".join(map(str, v))
        out.append((_META_LABELS.get(k, str(k)), str(v)))
    return out
