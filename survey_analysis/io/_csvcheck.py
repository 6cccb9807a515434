"""Checks of a CSV file that every parser accepts but that lose or garble respondents.

* :func:`check_mixed_encoding` -- some lines UTF-8, others GBK (one of them would be mojibake);
* :func:`check_swallowed_records` -- a stray opening quote folded whole records into one cell;
* :func:`check_split_records` -- an unquoted line break split one record in two.

Each raises :class:`~survey_analysis.errors.ReadError` naming the lines and what to do; none shows
the content of a record (it holds names and phone numbers).
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import ReadError

if TYPE_CHECKING:  # pragma: no cover
    from ._files import Grid

__all__ = ["check_mixed_encoding", "check_swallowed_records", "check_split_records"]

_CJK = re.compile(r"[\u3400-\u9fff]")


def _common_share(text: str) -> float:
    """The share of the Chinese characters of ``text`` that are among the 3,755 most common
    (GB2312 level 1): text read in the right encoding is mostly common characters, mojibake not."""
    chars = _CJK.findall(text)
    if not chars:
        return 0.0
    common = 0
    for ch in chars:
        try:
            b = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 0xB0 <= b[0] <= 0xD7
    return common / len(chars)


def _utf8_line(line: bytes) -> tuple[bool, int]:
    """Whether a line of a GBK file is really UTF-8 text, and its number of Chinese characters:
    it decodes as UTF-8 into common characters while its GB18030 reading is not common text."""
    if line.isascii():
        return False, 0
    try:
        decoded = line.decode("utf-8")
    except UnicodeDecodeError:
        return False, 0
    n_cjk = len(_CJK.findall(decoded))
    if n_cjk == 0:
        return False, 0
    try:
        as_gbk = line.decode("gb18030")
    except UnicodeDecodeError:
        return True, n_cjk
    return _common_share(decoded) >= 0.8 and _common_share(as_gbk) < 0.5, n_cjk


def check_mixed_encoding(data: bytes, path: Path, u8_err: UnicodeDecodeError) -> None:
    """Refuse a file in which some lines are UTF-8 and others GBK (silent mojibake otherwise).

    A GBK line is valid UTF-8 by chance only rarely, and then reads as rare characters: a line
    is taken for UTF-8 when its UTF-8 reading is common Chinese text and its GB18030 reading is not
    (one such line is enough; lines of five or more Chinese characters that decode as UTF-8 too)."""
    first_bad = data.count(b"\n", 0, u8_err.start) + 1
    lines = data.split(b"\n")
    utf8 = []
    for i, line in enumerate(lines, start=1):
        is_utf8, n_cjk = _utf8_line(line)
        if is_utf8 or n_cjk >= 5:
            utf8.append(i)
    if not utf8:
        return
    n_other = sum(1 for line in lines if not line.isascii()) - len(utf8)
    raise ReadError(
        f"文件混用了两种编码：第 {utf8[0]} 行是 UTF-8，第 {first_bad} 行不是 UTF-8（可能是 GBK）。"
        "无论按哪种编码读取都会有一部分变成乱码",
        file=path,
        row=utf8[0] if len(utf8) < n_other else first_bad,  # the odd ones out
        expected="整个文件使用同一种编码",
        hint="请在 Excel / WPS 中打开并另存为「CSV UTF-8（逗号分隔）」后再读取；"
        "若文件由多个文件拼接而成，请分别转换编码后再合并。",
    )


_SWALLOW_MIN_COLS = 6  # narrower files: a comment line with a few commas looks like a record
_NUMERIC_CELL = re.compile(r"^\s*[+-]?\d+(?:\.\d+)?\s*$")


def _column_shapes(cells: pd.DataFrame, rows: np.ndarray) -> dict:
    """What the values of each column look like in the rows ``rows`` (records on one line):
    ``"number"`` (95 % numbers) or the set of values of a short categorical column (at most 50
    distinct values of at most 20 characters, from 20 rows or more); other columns are left out."""
    shapes = {}
    sub = cells.iloc[rows[:5000]]
    for j in range(cells.shape[1]):
        vals = [v for v in sub[j].tolist() if isinstance(v, str) and v.strip()]
        if len(vals) < 5:
            continue
        if sum(bool(_NUMERIC_CELL.match(v)) for v in vals) >= 0.95 * len(vals):
            shapes[j] = "number"
            continue
        distinct = set(v.strip() for v in vals)
        if len(vals) >= 20 and len(distinct) <= 50 and max(map(len, distinct)) <= 20:
            shapes[j] = distinct
    return shapes


def _looks_like_record(fields: list, m: int, shapes: dict) -> bool:
    """A line of a cell that is a whole record: ``m`` fields that fit the file's columns."""
    if len(fields) != m:
        return False
    if not shapes:
        return True
    fit = sum((bool(_NUMERIC_CELL.match(fields[j])) if s == "number" else fields[j].strip() in s)
              for j, s in shapes.items())
    return fit >= max(1, 0.8 * len(shapes))


def check_swallowed_records(grid: Grid, sep: str, path: Path) -> None:
    """Refuse a file where a stray opening quote made the parser take whole records into one
    cell: CSV allows line breaks inside quotes, so every parser accepts such a file and the
    swallowed respondents would vanish silently.

    Only files of six or more columns, and only cells spanning lines, are looked at.  A line of
    such a cell is a swallowed record when it parses into exactly as many fields as the header and
    its fields fit the file's columns (numbers where the column holds numbers, a known value where
    the column holds a few categories).  Without such columns, three record-like lines making up
    half the cell are needed.  Real multi-line texts (job descriptions with comma lists such as
    "Apache,Tomcat,nginx") do not fit the columns and pass."""
    import csv

    cells, rows = grid.cells, grid.row_numbers
    n, m = cells.shape
    if n == 0 or m < _SWALLOW_MIN_COLS:
        return
    step = np.diff(np.append(rows, np.iinfo(np.int64).max))
    spans = np.flatnonzero(step > 1)  # records spanning more than one line
    if not len(spans):
        return
    shapes = _column_shapes(cells, np.flatnonzero(step[:-1] == 1) if n > 1 else np.arange(n))
    sub = cells.iloc[spans]
    for j in range(m):
        col = sub[j]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
            continue
        has = col.str.contains("\n", regex=False).fillna(False).to_numpy(dtype=bool)
        for i, v in zip(spans[has], col[has].tolist()):
            lines = v.split("\n")
            bad = [k for k, line in enumerate(lines[1:], 1) if line.count(sep) >= m - 1
                   and _looks_like_record(next(csv.reader([line], delimiter=sep), []), m, shapes)]
            if not bad or (not shapes and (len(bad) < 3 or len(bad) < 0.5 * (len(lines) - 1))):
                continue
            first = int(rows[i])
            raise ReadError(
                f"从第 {first} 行开始的这个单元格跨了 {len(lines)} 行，"
                f"其中 {len(bad)} 行看起来是完整的记录：多半是第 {first} 行有一个没有闭合的双引号，"
                f"后面的行被并进了这个单元格（这些答卷会丢失）",
                file=path,
                row=first,
                column=f"第 {j + 1} 列",
                expected="单元格内的换行只出现在文字中，引号成对出现",
                # the count, not the line: the swallowed records hold names and phone numbers
                found=f"第 {first + bad[0]} 行在单元格内，却有 {lines[bad[0]].count(sep)} 个分隔符（一条记录有 {m - 1} 个）",
                hint=f"请在文本编辑器中检查第 {first} 行的双引号（删去多余的引号，或把单元格内的引号写成两个 \"\"），或重新导出文件。",
            )


def check_split_records(text: str, sep: str, m: int, path: Path, skipped: int) -> None:
    """Refuse a file where a line break typed into a cell without quotes split a respondent's
    record in two: two short records in a row whose fields add up to one record (the broken cell
    counted twice).  Parsers read such a file without complaint: one respondent becomes two."""
    import csv

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    prev = None  # (line, number of fields) of the previous record if it was short
    for record in reader:
        line = reader.line_num + skipped
        k = len(record)
        if prev is not None and 1 < k < m and prev[1] + k - 1 == m:
            raise ReadError(
                f"第 {prev[0]} 行和第 {line} 行看起来是同一份答卷被拆成了两行：第 {prev[0]} 行只有 {prev[1]} 个字段，"
                f"第 {line} 行只有 {k} 个字段，合起来正好是一条记录（单元格里有没有加引号的换行）",
                file=path, row=prev[0], column=f"第 {prev[1]} 列",
                expected=f"每条记录 {m} 个字段；单元格内的换行要放在双引号里",
                hint=f"请在文本编辑器中把第 {line} 行接回第 {prev[0]} 行末尾（或给该单元格加上双引号），或重新导出文件。",
            )
        prev = (line, k) if 1 < k < m else None
