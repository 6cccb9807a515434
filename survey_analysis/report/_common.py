"""What the PDF, HTML and DOCX renderers share: clean text, the cover, the contents, the
numbering of tables and figures, the characters a font subset needs, and one walk over the
report's blocks.

A renderer subclasses :class:`BlockWalker` and writes one ``on_<block>`` method per block type
(``on_paragraph``, ``on_table`` …); :meth:`BlockWalker.walk` calls ``start_section`` before the
blocks of each section and raises ``TypeError`` for a block type nobody draws.  Captions are
numbered here, in block order, so every format says "表 3" for the same table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from . import _format as F
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
    meta_items,
)

__all__ = [
    "clean_text",
    "Cover",
    "cover",
    "contents",
    "BlockWalker",
    "report_chars",
    "captioned",
    "table_phrases",
    "EXTRA_CHARS",
]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

#: Characters every renderer may draw besides the report's text (page numbers, notes, marks).
EXTRA_CHARS = "第页共目录注：续—…·“”•□（）0123456789 /"

_HANDLERS = {
    Paragraph: "on_paragraph",
    Heading: "on_heading",
    BulletList: "on_bullets",
    KeyFigures: "on_key_figures",
    Table: "on_table",
    Figure: "on_figure",
    Quote: "on_quote",
    PageBreak: "on_page_break",
    TableOfContents: "on_toc",
}


def clean_text(text) -> str:
    """Text every format accepts: ``None`` → ``""``, CR/CRLF → LF, tab → four spaces, control
    characters (and the non-characters U+FFFE/U+FFFF that XML refuses) removed."""
    s = "" if text is None else str(text)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "\t" in s:
        s = s.replace("\t", "    ")
    return _CONTROL.sub("", s)


@dataclass(frozen=True)
class Cover:
    """What the cover shows: the school, the title and subtitle, and the facts (label, text)
    other than the school, in the order of ``Report.meta``."""

    school: str
    title: str
    subtitle: str
    facts: tuple = field(default_factory=tuple)


def cover(report: Report) -> Cover:
    """The cover of ``report`` (texts cleaned with :func:`clean_text`)."""
    school = report.meta.get("school") if report.meta else None
    facts = tuple((clean_text(k), clean_text(v)) for k, v in meta_items(report.meta) if k != "学校")
    return Cover(clean_text(school or ""), clean_text(report.title), clean_text(report.subtitle or ""), facts)


def contents(report: Report) -> list[tuple[int, Section, int]]:
    """Sections listed in the table of contents: ``(index, section, depth)`` where ``index``
    is the section's position in :func:`_format.iter_sections` order and depth is 0 for
    chapters (``level`` 1), 1 for their subsections …"""
    return [(i, s, max(1, int(s.level)) - 1) for i, s in enumerate(F.iter_sections(report))
            if s.bookmark and not F.is_toc_only(s)]


#: Columns whose cells are names to keep whole (by their label).
NAME_COLUMN = re.compile(r"专业|学院|院系|高校|单位名称|用人单位$|^(major|college|group)$", re.I)


def table_phrases(report: Report, limit: int = 24) -> set[str]:
    """Names the report repeats and that should not be broken inside (majors, colleges,
    schools, employers): the cells of name columns (by their label: 专业, 学院 …) and the
    titles of subsections (a major's profile, "计算机科学与技术（信息工程学院）"), each up to
    ``limit`` characters."""
    out: set[str] = set()
    for s in F.iter_sections(report):
        if s.level > 1:
            out.update(p for p in re.split(r"[（）()]", str(s.title)) if p)
    for t in report.tables():
        df = t.df
        for c in t.display_columns():
            if not (NAME_COLUMN.search(t.label(c)) or NAME_COLUMN.search(str(c))):
                continue
            col = df[c]
            if isinstance(col, pd.DataFrame) or col.dtype.kind in "biufcmM":
                continue
            for v in col.dropna().unique()[:5000]:
                if isinstance(v, str) and 2 <= len(v) <= limit and not any(ch in v for ch in "，。；：！？ \n"):
                    out.add(v)
    return out


class BlockWalker:
    """Walks a report's sections and blocks, numbering captions on the way.

    Subclasses implement ``start_section(section)`` and the ``on_*`` handlers; each handler is
    called as ``handler(block, section, next_block)``.  ``self.current_caption`` holds the
    numbered caption of the current Table or Figure.
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        self.current_caption = ""
        self._nt = self._nf = 0

    def numbered(self, block) -> str:
        """The caption of ``block`` numbered in order (表 1 … / 图 1 …) unless it already
        starts with a number; advances the counters."""
        cap = str(block.caption or "")
        if isinstance(block, Table):
            self._nt += 1
            n, kind = self._nt, "表"
        else:
            self._nf += 1
            n, kind = self._nf, "图"
        return clean_text(cap if F.NUMBERED.match(cap) else f"{kind} {n}　{cap}")

    def start_section(self, section: Section, toc_only: bool) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def walk(self) -> None:
        for s in F.iter_sections(self.report):
            self.start_section(s, F.is_toc_only(s))
            blocks = s.blocks
            for k, b in enumerate(blocks):
                name = _HANDLERS.get(type(b))
                if name is None:
                    raise TypeError(f"unknown report block {type(b).__name__}")
                if isinstance(b, (Table, Figure)):
                    self.current_caption = self.numbered(b)
                getattr(self, name)(b, s, blocks[k + 1] if k + 1 < len(blocks) else None)


def captioned(report: Report) -> list[tuple[object, str]]:
    """Every Table and Figure with its numbered caption, in report order."""
    walker = BlockWalker(report)
    return [(b, walker.numbered(b)) for s in F.iter_sections(report) for b in s.blocks
            if isinstance(b, (Table, Figure))]


def report_chars(report: Report, cells=None) -> str:
    """Every character the report may draw (for a font subset): titles, cover, captions,
    paragraphs, lists, figures, quotes, table headers, cells and notes.

    ``cells`` is a callable ``Table -> (header, rows)`` (default :func:`_format.table_cells`).
    """
    cells = cells or F.table_cells
    chars: set[str] = set(EXTRA_CHARS)
    c = cover(report)
    for t in (c.school, c.title, c.subtitle, *(a + b for a, b in c.facts)):
        chars.update(t)
    walker = BlockWalker(report)
    for s in F.iter_sections(report):
        chars.update(str(s.title))
        for b in s.blocks:
            if isinstance(b, (Paragraph, Heading)):
                chars.update(b.text)
            elif isinstance(b, BulletList):
                for x in b.items:
                    chars.update(str(x))
                chars.update(str(len(b.items)) + ".")
            elif isinstance(b, KeyFigures):
                for t in b.normalized():
                    chars.update("".join(t))
            elif isinstance(b, Quote):
                chars.update(b.text + (b.source or ""))
            elif isinstance(b, TableOfContents):
                chars.update(b.title)
            elif isinstance(b, (Table, Figure)):
                chars.update(walker.numbered(b))
                if isinstance(b, Table):
                    header, rows = cells(b)
                    chars.update("".join(header) + b.full_note())
                    for r in rows:
                        for x in r:
                            chars.update(x)
    chars.discard("\n")
    return "".join(sorted(chars))
