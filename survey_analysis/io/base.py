"""The result of reading an export: data + codebook + facts about the source."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..codebook import Codebook

__all__ = ["SourceInfo", "RawSurvey"]


@dataclass
class SourceInfo:
    """Facts about the file a survey was read from.

    ``platform`` is one of ``"wjx_text"``, ``"wjx_numeric"``, ``"tencent"``, ``"vendor"`` (two
    header rows), ``"spss"`` or ``"generic"``.  ``header_rows`` is how many header rows the file
    has (1 or 2), so that data row *i* (0-based) is spreadsheet row ``i + header_rows + 1`` when
the file has no leading or embedded blank lines -- the data index ``row`` is authoritative.
``notes`` lists what the reader changed or noticed (dropped empty rows/columns, renamed headers,
Excel error values set to missing …), in Chinese.
    """

    path: str
    platform: str
    encoding: str | None = None
    sheet: str | None = None
    rows: int = 0
    columns: int = 0
    header_rows: int = 1
    file_format: str = ""  # csv, xls, xlsx, sav
    notes: list = field(default_factory=list)
    #: column -> {"-2": n, "-3": n}: 问卷星 numeric codes for skipped / not shown set to missing
    coded_missing: dict = field(default_factory=dict)
    #: column -> Excel column letter in the original file ("A", "B", … "AA")
    column_letters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass
class RawSurvey:
    """A survey as read, before mapping and cleaning.

    Attributes
    ----------
    data : pandas.DataFrame
        The answers exactly as exported (strings for text exports, numbers where the file had
        numbers); column names are the file's headers (de-duplicated only if they were
        duplicated -- which the reader reports). The index, named ``"row"``, is the 1-based row
        number a person sees in Excel (header = row 1 for one header row).
    codebook : Codebook
    source : SourceInfo
    """

    data: pd.DataFrame
    codebook: Codebook
    source: SourceInfo

    def __len__(self) -> int:
        return len(self.data)
