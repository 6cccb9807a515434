"""``read_survey``: any supported export → :class:`RawSurvey` (data + codebook + source facts)."""
from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ConfigError, ReadError
from . import _files
from ._excel import read_excel_grid
from ._files import Grid, convert_excel_column, fmt_cell, text_series
from .base import RawSurvey, SourceInfo
from .infer import (
    PLATFORMS,
    SYSTEM_COLUMNS,
    build_codebook,
    detect_platform,
    distinct_cache,
    prefetch_uniques,
    replace_coded_missing,
)

__all__ = ["read_survey", "inspect_dict", "inspect_text", "SUPPORTED_FORMATS", "excel_letter", "PLATFORM_NAMES", "TYPE_NAMES"]

logger = logging.getLogger(__name__)

SUPPORTED_FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xls": "xls",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".ods": "ods",
    ".sav": "sav",
    ".zsav": "sav",
}
_CODE_RE = re.compile(r"^[A-Z]{1,2}\d+(-\d+)?$")


def excel_letter(index: int) -> str:
    """0-based column position → Excel column letters (0 → ``A``, 26 → ``AA``)."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def read_survey(
    path,
    *,
    sheet=None,
    encoding: str | None = None,
    platform: str | None = None,
    header_rows: int | None = None,
    dedupe_headers: bool = False,
    text_export=None,
) -> RawSurvey:
    """Read a survey export and infer its questionnaire codebook.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` (also ``.txt``/``.tsv``), ``.xls``, ``.xlsx``/``.xlsm``, ``.ods`` or SPSS
        ``.sav`` file.
    sheet : str or int, optional
        Worksheet name or 0-based index (workbooks only); default the first sheet.
    encoding : str, optional
        Text encoding of a CSV file.  Default: detected -- a BOM (UTF-8, UTF-16), else strict
        UTF-8, else strict GB18030 (a superset of GBK).  Bytes that do not decode raise
        :class:`ReadError`; nothing is silently replaced.
    platform : str, optional
        Force the export layout: ``"wjx_text"``, ``"wjx_numeric"``, ``"tencent"``,
        ``"vendor"``, ``"spss"`` or ``"generic"``.  Default: detected from the headers.
    header_rows : {1, 2}, optional
        Number of header rows.  Default: 2 when the first row is mostly question codes
        (``Q1``, ``B7-1``) -- a vendor / school-system file -- else 1.
    dedupe_headers : bool, default False
        Exactly duplicated headers raise :class:`ReadError`; with ``True`` the later ones get
        the suffix ``.2``, ``.3`` … instead.
    text_export : str or path-like, optional
        The text export (问卷星 按文本) of the same survey when ``path`` is a numeric export (按序号):
        option numbers are decoded into their texts (:func:`survey_analysis.io.decode.decode_with_text`).

    Returns
    -------
    RawSurvey
        ``data`` holds the answers as exported -- CSV cells as strings, workbook cells as
        numbers where the cell is numeric; empty cells and Excel error values (``#N/A``) are
        missing; ``"NA"`` or ``"无"`` are kept as text.  Its index ``row`` is the row number a
        person sees in Excel (CSV: the line number).  For 问卷星 numeric exports the codes -2 / -3
        (skipped / not shown) are set to missing and counted in ``source.coded_missing``; for
        腾讯问卷 the option-letter prefix (``A.``) is removed from the data and the options.

    Raises
    ------
    ReadError
        The file cannot be read as a survey: missing, empty, header only, wrong content for its
        extension, undecodable, corrupt or truncated, duplicated headers, unknown sheet, rows
        with too many fields.  The message names the file (and sheet/row/column).
    ConfigError
        A parameter has an invalid value.

    Examples
    --------
    >>> raw = read_survey("800_800_0.xls")  # doctest: +SKIP
    >>> raw.source.platform, len(raw)  # doctest: +SKIP
    ('wjx_text', 800)
    """
    p = Path(path).expanduser()
    fmt = _check_read_args(p, platform, header_rows)
    if fmt == "sav":
        from ._sav import read_sav

        raw = read_sav(p, platform=platform)
    else:
        raw = _read_table(p, fmt, sheet=sheet, encoding=encoding, platform=platform, header_rows=header_rows,
                          dedupe=dedupe_headers)
    if text_export is not None:
        from .decode import decode_with_text

        if raw.source.platform != "wjx_numeric":
            raise ConfigError("只有问卷星按序号导出的文件需要用按文本导出的文件解码", file=p,
                              found=PLATFORM_NAMES.get(raw.source.platform, raw.source.platform),
                              hint="这个文件已经是文字答案，去掉 text_export（命令行 --text-export）即可。")
        raw = decode_with_text(raw, read_survey(text_export, sheet=sheet, encoding=encoding))
    release_memory()
    return raw


def release_memory() -> None:
    """Give memory freed after a large read or clean step back to the system: the pages Arrow's
    allocator keeps and, on glibc, the malloc arenas' free pages (a million-row export leaves a
    few hundred MB of each)."""
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:  # pragma: no cover - pyarrow is a requirement
        pass
    _malloc_trim()


def _malloc_trim() -> None:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _check_read_args(p: Path, platform, header_rows) -> str:
    """The file format, after checking the parameters and the path."""
    if platform is not None and platform not in PLATFORMS:
        raise ConfigError(f"不认识的平台（platform）「{platform}」", expected="、".join(PLATFORMS), found=platform,
                          hint="请不指定 platform 让程序自动识别，或从上面的名称中选一个。")
    if header_rows is not None and header_rows not in (1, 2):
        raise ConfigError("header_rows 只能是 1 或 2", expected="1（一行表头）或 2（第一行题号、第二行题目）",
                          found=header_rows, hint="请不指定 header_rows 让程序自动识别。")
    if not p.exists():
        raise ReadError("文件不存在", file=p, hint="请检查文件路径和文件名是否正确。")
    if p.is_dir():
        raise ReadError("这是一个文件夹，不是文件", file=p, hint="请给出具体的数据文件路径。")
    ext = p.suffix.lower()
    fmt = SUPPORTED_FORMATS.get(ext)
    if fmt is None:
        raise ReadError(
            f"不支持的文件类型「{ext or '（无扩展名）'}」",
            file=p,
            expected="支持的格式：.csv、.xls、.xlsx、.sav（SPSS）（以及 .xlsm、.ods、.tsv、.txt）",
            found=ext or "（无扩展名）",
            hint="请从问卷平台导出为 Excel（.xlsx/.xls）、CSV 或 SPSS（.sav）格式。",
        )
    return fmt


def _read_table(p: Path, fmt: str, *, sheet, encoding, platform, header_rows, dedupe) -> RawSurvey:
    """A CSV or workbook export: grid → headers and answers → platform → codebook."""
    if fmt == "csv":
        grid = _files.read_csv_grid(p, encoding=encoding)
        if sheet is not None:
            grid.notes.append(f"CSV 文件没有工作表，忽略了参数 sheet={sheet!r}")
    else:
        grid = read_excel_grid(p, sheet=sheet)
        if encoding is not None:
            grid.notes.append(f"Excel 工作簿自带编码信息，忽略了参数 encoding={encoding!r}")
    data, codes, n_header, notes, letters = _assemble(grid, p, header_rows=header_rows, dedupe=dedupe)
    with distinct_cache():  # each column's distinct values are computed once
        prefetch_uniques(data, [c for c in data.columns if str(c).strip() not in SYSTEM_COLUMNS])
        if platform is None:
            platform = detect_platform(list(data.columns), data, n_header)
        notes = list(grid.notes) + notes
        data, coded_missing = replace_coded_missing(data, platform)
        if coded_missing:
            total = sum(sum(v.values()) for v in coded_missing.values())
            notes.append(f"问卷星按序号导出的 -2/-3（跳过/未显示）共 {total} 个单元格，已设为缺失")
        data, codebook = build_codebook(data, platform, codes=codes)
    source = SourceInfo(path=str(p), platform=platform, encoding=grid.encoding, sheet=grid.sheet, rows=len(data),
                        columns=data.shape[1], header_rows=n_header, file_format=fmt, notes=notes)
    source.coded_missing = coded_missing
    source.column_letters = letters
    for note in notes:
        logger.info("%s: %s", p.name, note)
    return RawSurvey(data=data, codebook=codebook, source=source)


def _blank_mask(cells: pd.DataFrame) -> pd.DataFrame:
    mask = cells.isna()
    if any(dt == object for dt in cells.dtypes):  # workbook grids; CSV blanks are NaN already
        mask = mask | cells.eq("").fillna(False).astype(bool)
    return mask


def _looks_like_codes(values: list) -> bool:
    vals = [fmt_cell(v).strip() for v in values if not _files.is_blank(v) and fmt_cell(v).strip()]
    if len(vals) < 2:
        return False
    return sum(bool(_CODE_RE.match(v)) for v in vals) >= 0.5 * len(vals)


def _looks_like_texts(row: list, below: pd.DataFrame) -> bool:
    """Is ``row`` a row of question texts (not codes, not numbers, not repeated below)?"""
    cells = [(j, v) for j, v in enumerate(row) if not _files.is_blank(v)]
    if not cells:
        return False
    texts = [(j, v) for j, v in cells if isinstance(v, str) and not _CODE_RE.match(v.strip())
             and not re.match(r"^[+-]?\d+(\.\d+)?$", v.strip())]
    if len(texts) < 0.8 * len(cells):
        return False
    if len(below) == 0:
        return True
    # answers repeat down a column; a question text does not appear among the answers
    repeated = 0
    for j, v in texts:
        col = below[j]
        if (col.astype(object) == v).any():
            repeated += 1
    return repeated <= 0.3 * len(texts)


def _assemble(grid: Grid, path: Path, *, header_rows, dedupe):
    """Split a grid into headers and data; name, check and number columns and rows."""
    cells, sheet, notes = grid.cells, grid.sheet, []
    if cells.shape[0] == 0 or cells.shape[1] == 0:
        raise ReadError("没有数据行：文件（工作表）是空的", file=path, sheet=sheet,
                        hint="请确认选对了文件和工作表，并重新从问卷平台导出数据。")
    blank = _blank_mask(cells)
    row_empty = blank.all(axis=1).to_numpy()
    h0, header_rows = _header_start(grid, blank, row_empty, header_rows, notes, path)
    last_header = h0 + header_rows - 1
    texts = cells.iloc[min(last_header, len(cells) - 1)].tolist()
    codes = cells.iloc[h0].tolist() if header_rows == 2 else None
    header_row_no = int(grid.row_numbers[min(last_header, len(grid.row_numbers) - 1)])
    body, body_rows, body_blank = _body(grid, blank, row_empty, last_header, header_row_no, notes, path)
    names, positions, code_list = _column_names(texts, codes, body_blank, cells.shape[1], notes)
    names = _dedupe_names(names, positions, code_list if codes is not None else None, dedupe, notes,
                          path=path, sheet=sheet, row=header_row_no)
    data = _typed_frame(grid, body, body_rows, names, positions, notes)
    letters = {name: excel_letter(j) for name, j in zip(names, positions)}
    return data, (code_list if codes is not None else None), header_rows, notes, letters


def _header_start(grid: Grid, blank, row_empty, header_rows, notes: list, path) -> tuple:
    """The first header row (after empty rows, a title row, merged group labels) and the number
    of header rows."""
    cells = grid.cells
    nonempty = np.flatnonzero(~row_empty)
    if len(nonempty) == 0:
        raise ReadError("没有数据行：文件（工作表）里没有任何内容", file=path, sheet=grid.sheet,
                        hint="请确认选对了文件和工作表，并重新从问卷平台导出数据。")
    h0 = int(nonempty[0])
    if h0 > 0:
        notes.append(f"跳过了表头前的 {h0} 个空行")
    # a title row above the header ("2022年…走访台账"): one text cell in column A, then a
    # row that fills most columns
    width = cells.shape[1]
    if width >= 3 and h0 + 1 < len(cells):
        filled = (~blank.iloc[h0]).to_numpy()
        nxt = (~blank.iloc[h0 + 1]).to_numpy()
        if filled.sum() == 1 and filled[0] and nxt.sum() >= max(3, 0.6 * width) and isinstance(cells.iat[h0, 0], str):
            notes.append(f"第 {int(grid.row_numbers[h0])} 行只有一个单元格「{str(cells.iat[h0, 0])[:30]}」，视为标题行跳过")
            h0 += 1
        elif (header_rows is None and 2 <= filled.sum() <= 0.5 * width and nxt.sum() >= 0.8 * width
              and all(isinstance(v, str) for v, f_ in zip(cells.iloc[h0].tolist(), filled) if f_)
              and any(r0 == h0 and c1 > c0 for (r0, c0), (r1, c1) in grid.merged)):
            # merged group labels above the real header ("基本信息" over 序号/专业, "能力满意度" over
            # the rating columns): a sparse text row with merge ranges above a full one
            labels = [str(v) for v, f_ in zip(cells.iloc[h0].tolist(), filled) if f_]
            notes.append(f"第 {int(grid.row_numbers[h0])} 行是合并单元格的分组标题（{'、'.join(labels)[:40]}），"
                         f"下一行作为表头")
            h0 += 1
    if header_rows is None:
        header_rows = 1
        if h0 + 1 < len(cells) and not row_empty[h0 + 1]:
            below = cells.iloc[h0 + 2 : h0 + 52]
            if _looks_like_codes(cells.iloc[h0].tolist()) and _looks_like_texts(cells.iloc[h0 + 1].tolist(), below):
                header_rows = 2
    return h0, header_rows


def _body(grid: Grid, blank, row_empty, last_header: int, header_row_no: int, notes: list, path) -> tuple:
    """The answer rows: trailing empty rows dropped, a long run of empty rows (a stray cell far
    below the data: no respondents) dropped, merged cells filled; a few empty rows stay (cleaning
    excludes them as empty answers, in the log)."""
    body = grid.cells.iloc[last_header + 1 :]
    body_rows = grid.row_numbers[last_header + 1 :]
    keep = np.flatnonzero(~row_empty[last_header + 1 :])
    if len(keep) == 0:
        raise ReadError(f"没有数据行：只有表头（第 {header_row_no} 行），下面没有任何答卷", file=path,
                        sheet=grid.sheet, row=header_row_no, hint="请确认导出时选择了全部答卷，或检查是否选错了工作表。")
    end = int(keep[-1]) + 1
    if end < len(body):
        notes.append(f"删除了末尾的 {len(body) - end} 个空行")
    gaps = np.diff(keep)
    big = np.flatnonzero(gaps > _EMPTY_RUN)
    if len(big):
        drop = np.zeros(end, dtype=bool)
        for g in big:
            drop[keep[g] + 1:keep[g + 1]] = True
            notes.append(f"第 {int(body_rows[keep[g + 1]])} 行与上面的数据之间隔了 {int(gaps[g]) - 1:,} 个空行，"
                         "这些空行已删除；该行可能是误填的单元格，请检查")
        keep = np.flatnonzero(~drop[:end])
    else:
        keep = np.arange(end)
    if len(keep) == end:  # the usual case: a slice, no copy of a large file
        body, body_rows = body.iloc[:end], body_rows[:end]
        body_blank = blank.iloc[last_header + 1 : last_header + 1 + end]
    else:
        body, body_rows = body.iloc[keep], body_rows[keep]
        body_blank = blank.iloc[last_header + 1:].iloc[keep]
    return _fill_merged(body, grid, last_header + 1, keep, notes), body_rows, body_blank


def _column_names(texts: list, codes, body_blank, ncols: int, notes: list) -> tuple:
    """Header names (a blank header gets its column letter; an empty column without a header is
    dropped), their positions and (two header rows) their codes."""
    names, positions, code_list = [], [], []
    for j in range(ncols):
        raw = texts[j]
        name = "" if _files.is_blank(raw) else fmt_cell(raw)
        if not name.strip():
            if bool(body_blank[j].all()):
                notes.append(f"删除了没有表头、也没有内容的空列 {excel_letter(j)}")
                continue
            name = f"未命名列_{excel_letter(j)}"
            notes.append(f"列 {excel_letter(j)} 没有表头，命名为「{name}」")
        names.append(name)
        positions.append(j)
        if codes is not None:
            code = codes[j]
            code_list.append(None if _files.is_blank(code) else fmt_cell(code).strip() or None)
    return names, positions, code_list


def _dedupe_names(names: list, positions: list, code_list, dedupe: bool, notes: list, *, path, sheet, row) -> list:
    """Duplicated headers -- also look-alikes that differ only in white space or width (专业 / 专业␣ /
    专　业) -- are an error, or renamed by question code or with ``dedupe`` a suffix .2, .3."""
    names = list(names)
    seen: dict[str, int] = {}
    for k, name in enumerate(list(names)):
        key = _header_key(name)
        if key not in seen:
            seen[key] = k
            continue
        first = seen[key]
        a, b = excel_letter(positions[first]), excel_letter(positions[k])
        if names[first] != name and not dedupe:
            raise ReadError(
                f"列 {a}「{names[first]}」与列 {b}「{name}」的表头只差空格或全角/半角，无法确定哪一列是哪道题",
                file=path, sheet=sheet, row=row, column=name, expected="每一列的表头明显不同",
                hint="请在文件中把其中一列改名后重试，或使用 dedupe_headers=True 自动给后面的列加后缀 .2、.3。")
        if code_list is not None and code_list[k] and code_list[first] and code_list[k] != code_list[first]:
            new = f"{name}（{code_list[k]}）"
            notes.append(f"列 {b} 与列 {a} 题目相同，按题号改名为「{new}」")
        elif not dedupe:
            raise ReadError(
                f"列 {a} 与列 {b} 同名（表头都是「{name}」），无法区分", file=path, sheet=sheet, row=row,
                column=name, expected="每一列的表头互不相同",
                hint=f"请在文件中把其中一列改名（例如在列 {b} 的表头后加上说明）后重试，"
                "或使用 dedupe_headers=True 自动给重复的表头加后缀 .2、.3。")
        else:
            i = 2
            while _header_key(f"{name}.{i}") in seen or f"{name}.{i}" in names:
                i += 1
            new = f"{name}.{i}"
            notes.append(f"列 {b} 与列 {a} 同名，改名为「{new}」")
        names[k] = new
        seen[_header_key(new)] = k
    return names


def _typed_frame(grid: Grid, body, body_rows, names: list, positions: list, notes: list) -> pd.DataFrame:
    """The answers: workbook cells typed column by column (numbers, dates, text); CSV cells text."""
    index = pd.Index(body_rows.astype(np.int64), name="row")
    n_err = 0
    if grid.sheet is not None:  # workbook: convert cell types column by column
        columns = {}
        for name, j in zip(names, positions):
            series, errs = convert_excel_column(body[j].tolist())
            n_err += errs
            series.index = index
            columns[name] = series
        data = pd.DataFrame(columns, index=index)
    else:  # CSV: already text
        data = body[positions].copy()
        data.columns = pd.Index(names)
        data.index = index
        bad = [c for c, dt in zip(names, data.dtypes) if dt == object or not pd.api.types.is_string_dtype(dt)]
        for c in bad:
            data[c] = text_series(data[c].tolist(), index=index)
    if n_err:
        notes.append(f"{n_err} 个 Excel 错误值（#N/A、#DIV/0! 等）已设为缺失")
    return data


_EMPTY_RUN = 1000  # consecutive empty rows inside a sheet beyond which they are dropped


def _header_key(name: str) -> str:
    """A header as compared for duplicates: NFKC, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(name)))


def _fill_merged(body: pd.DataFrame, grid: Grid, first: int, keep: np.ndarray, notes: list) -> pd.DataFrame:
    """Cells of a merge range below the header take the range's value (Excel shows it in all of
    them; calamine gives it to the first only): a 专业 merged over its students' rows."""
    ranges = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in grid.merged if r0 >= first and (r1 > r0 or c1 > c0)]
    if not ranges:
        return body
    pos = {int(p): i for i, p in enumerate(keep + first)}  # grid row -> position in body
    body = body.copy()
    filled = 0
    for (r0, c0), (r1, c1) in ranges:
        if r0 not in pos or c0 >= body.shape[1]:
            continue
        value = body.iat[pos[r0], c0]
        for r in range(r0, r1 + 1):
            for c in range(c0, min(c1, body.shape[1] - 1) + 1):
                if (r, c) != (r0, c0) and r in pos and _files.is_blank(body.iat[pos[r], c]):
                    body.iat[pos[r], c] = value
                    filled += 1
    if filled:
        notes.append(f"{len(ranges)} 个合并单元格已展开（{filled} 个单元格填入合并区域的值）")
    return body


def inspect_dict(raw: RawSurvey, *, names=(), ids=()) -> dict:
    """A JSON-serialisable description of a read survey: file facts and its codebook.

    Safe to show: the options of personal-information questions (姓名, 手机号 …) and of open
    questions are not listed; identifiers, ``names`` and ``ids`` (a roster's) and options that read as a
    person's full name are redacted in the other options.

    Keys: ``file``, ``name``, ``format``, ``platform``, ``encoding``, ``sheet``, ``rows``,
    ``columns``, ``header_rows``, ``notes``, ``coded_missing`` and ``questions`` (each with
    ``number``, ``text``, ``type``, ``options``, ``columns``, ``rows``, ``scale``,
    ``na_options``, ``other_options``, ``code``, ``sep``).

    Examples
    --------
    >>> import json
    >>> json.dumps(inspect_dict(read_survey("800_800_0.xls")), ensure_ascii=False)  # doctest: +SKIP
    """
    from ..pii import looks_like_full_name
    from ..privacy import Redactor
    from ..spec import pii_kind

    src = raw.source
    redactor = Redactor(names=tuple(names), ids=tuple(ids))

    def _s(v):
        return None if v is None else str(v)

    def _options(q) -> list:
        # a name or phone column's values are people's data, an open question's are raw answers
        if pii_kind(q.text) or any(pii_kind(c) for c in q.columns):
            return ["（个人信息，不列出）"] if q.options else []
        if q.type == "open":
            return []
        # a name typed into a choice question is not an option to show
        return ["[姓名]" if looks_like_full_name(o) else redactor.redact(str(o))[0] for o in q.options]

    questions = []
    for q in raw.codebook:
        questions.append(
            {
                "number": _s(q.number),
                "text": _s(q.text),
                "type": q.type,
                "options": _options(q),
                "columns": [str(c) for c in q.columns],
                "rows": [str(r) for r in q.rows],
                "scale": _s(q.scale),
                "na_options": [str(o) for o in q.na_options],
                "other_options": [str(o) for o in q.other_options],
                "code": _s(q.code),
                "sep": _s(getattr(q, "sep", None)),
            }
        )
    return {
        "file": str(src.path),
        "name": src.name,
        "format": src.file_format,
        "platform": src.platform,
        "encoding": src.encoding,
        "sheet": _s(src.sheet),
        "rows": int(src.rows),
        "columns": int(src.columns),
        "header_rows": int(src.header_rows),
        "notes": [str(n) for n in src.notes],
        "coded_missing": {
            str(k): {str(a): int(b) for a, b in v.items()} for k, v in (getattr(src, "coded_missing", {}) or {}).items()
        },
        "questions": questions,
    }


PLATFORM_NAMES = {
    "wjx_text": "问卷星（按文本导出）",
    "wjx_numeric": "问卷星（按序号导出）",
    "tencent": "腾讯问卷",
    "vendor": "两行表头（学校系统 / 第三方）",
    "spss": "SPSS",
    "generic": "通用表格",
}
TYPE_NAMES = {
    "single": "单选",
    "multi": "多选",
    "matrix": "矩阵",
    "rating": "量表",
    "rank": "排序",
    "open": "开放题",
    "numeric": "数值",
    "meta": "系统字段",
}


def inspect_text(raw: RawSurvey, *, max_options: int = 12, names=(), ids=()) -> str:
    """The file facts and codebook of a read survey as readable Chinese text (for the CLI).

    Examples
    --------
    >>> print(inspect_text(read_survey("800_800_0.xls")))  # doctest: +SKIP
    文件：800_800_0.xls
    …
    """
    d = inspect_dict(raw, names=names, ids=ids)
    lines = [
        f"文件：{d['name']}",
        f"格式：{d['format']}    平台：{PLATFORM_NAMES.get(d['platform'], d['platform'])}（{d['platform']}）",
        f"编码：{d['encoding'] or '—'}    工作表：{d['sheet'] or '—'}    表头行数：{d['header_rows']}",
        f"答卷（行）：{d['rows']}    列：{d['columns']}    题目：{sum(q['type'] != 'meta' for q in d['questions'])}",
    ]
    for note in d["notes"]:
        lines.append(f"说明：{note}")
    lines.append("")
    for q in d["questions"]:
        kind = TYPE_NAMES.get(q["type"], q["type"])
        head = f"[{q['number']}] {q['text']}（{kind}"
        if q["scale"]:
            head += f"，量表 {q['scale']}"
        head += "）"
        if len(q["columns"]) > 1:
            head += f"  共 {len(q['columns'])} 列"
        lines.append(head)
        if q["rows"]:
            shown = "；".join(q["rows"][:max_options]) + ("…" if len(q["rows"]) > max_options else "")
            lines.append(f"    行：{shown}")
        if q["options"]:
            shown = "；".join(q["options"][:max_options]) + ("…" if len(q["options"]) > max_options else "")
            lines.append(f"    选项：{shown}")
        if q["na_options"]:
            lines.append(f"    无法评价类：{'；'.join(q['na_options'])}")
        if q["other_options"]:
            lines.append(f"    带填写内容的选项：{'；'.join(q['other_options'])}")
    return "\n".join(lines)
