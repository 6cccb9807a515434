"""Low-level readers: bytes → a grid of cells (header rows included) with row numbers.

A *grid* is a :class:`pandas.DataFrame` with positional integer columns holding every row of the
sheet or CSV file (header rows too) plus an array of the row numbers a person sees (Excel row /
CSV line).  Header handling and platform detection happen in :mod:`.read`.
"""
from __future__ import annotations

import codecs
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReadError
from ._csvcheck import check_mixed_encoding, check_split_records, check_swallowed_records

__all__ = ["Grid", "read_csv_grid", "sniff_binary", "fmt_cell", "is_blank", "convert_excel_column", "text_series"]

_RESAVE_HINT = "请用 Excel 或 WPS 将文件另存为「CSV UTF-8（逗号分隔）」，或用 encoding= 参数（命令行 --encoding）指明编码，例如 encoding='gbk'。"


@dataclass
class Grid:
    cells: pd.DataFrame  # positional columns 0..n-1, every row of the sheet incl. headers
    row_numbers: np.ndarray  # 1-based row number (Excel row / CSV line) of each row of cells
    encoding: str | None = None
    sheet: str | None = None
    notes: list = field(default_factory=list)
    #: workbook merge ranges ((first row, first col), (last row, last col)), 0-based positions in ``cells``
    merged: list = field(default_factory=list)


# -- sniffing ---------------------------------------------------------------------------
_MAGIC = [
    (b"PK\x03\x04", "ZIP 压缩包（.xlsx 工作簿就是这种格式）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Excel（.xls，OLE2 复合文档）"),
    (b"%PDF", "PDF 文档"),
    (b"$FL2", "SPSS 数据文件（.sav）"),
    (b"$FL3", "SPSS 数据文件（.sav，压缩）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
]


def sniff_binary(head: bytes) -> str | None:
    """What a file really looks like from its first bytes, or ``None`` if it looks like text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def _looks_utf16_without_bom(head: bytes) -> str | None:
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


# -- CSV --------------------------------------------------------------------------------
def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line number and 0-based byte offset of ``offset``."""
    return data.count(b"\n", 0, offset) + 1, offset


def _decode_strict(data: bytes, encoding: str, path: Path, *, user_given: bool) -> str:
    try:
        return data.decode(encoding, errors="strict")
    except LookupError:
        raise ReadError(
            f"不认识的编码名称「{encoding}」",
            file=path,
            expected="utf-8、utf-8-sig、gbk、gb18030、utf-16 等",
            found=encoding,
            hint="请检查 encoding= 参数的拼写。",
        ) from None
    except UnicodeDecodeError as exc:
        line, byte = _position(data, exc.start)
        raise ReadError(
            f"无法按 {encoding} 编码读取：第 {line} 行（第 {byte} 字节）处的字节 "
            f"{data[exc.start:exc.start + 4].hex(' ')} 不是合法的 {encoding} 字符",
            file=path,
            row=line,
            expected=f"{encoding} 编码的文本" if user_given else "UTF-8 或 GBK/GB18030 编码的文本",
            hint=_RESAVE_HINT,
        ) from None


def _detect_and_decode(data: bytes, path: Path, encoding: str | None) -> tuple[str, str, list]:
    """Decode CSV bytes strictly; return (text, encoding name, notes)."""
    notes: list = []
    if encoding:
        enc = codecs.lookup(encoding).name if _known(encoding) else encoding
        text = _decode_strict(data, encoding, path, user_given=True)
        if text.startswith("\ufeff"):
            text = text[1:]
        return text, enc, notes
    if data.startswith(codecs.BOM_UTF8):
        return _decode_strict(data[3:], "utf-8", path, user_given=False), "utf-8-sig", notes
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        return _decode_strict(data, "utf-32", path, user_given=False).lstrip("\ufeff"), "utf-32", notes
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return _decode_strict(data, "utf-16", path, user_given=False).lstrip("\ufeff"), "utf-16", notes
    u16 = _looks_utf16_without_bom(data)
    if u16:
        try:
            return data.decode(u16), u16, notes + [f"文件没有 BOM，按 {u16.upper()} 读取"]
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8", errors="strict"), "utf-8", notes
    except UnicodeDecodeError as exc:
        u8_err = exc
    try:
        text = data.decode("gb18030", errors="strict")
    except UnicodeDecodeError as exc:
        if _line_decodes(data, exc.start, "utf-8") and _line_decodes(data, u8_err.start, "gb18030"):
            check_mixed_encoding(data, path, u8_err)  # a UTF-8 line in a GBK file says so, with its line
        l1, b1 = _position(data, u8_err.start)
        l2, b2 = _position(data, exc.start)
        raise ReadError(
            "无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030。"
            f"按 UTF-8 读取在第 {l1} 行（第 {b1} 字节）出错，按 GB18030 读取在第 {l2} 行（第 {b2} 字节）出错",
            file=path,
            row=l1,
            expected="UTF-8（可带 BOM）、UTF-16 或 GBK/GB18030 编码的文本",
            found=f"第 {l1} 行附近的字节：{data[u8_err.start:u8_err.start + 8].hex(' ')}",
            hint=_RESAVE_HINT,
        ) from None
    check_mixed_encoding(data, path, u8_err)
    return text, "gb18030", notes


def _line_decodes(data: bytes, pos: int, encoding: str) -> bool:
    """Whether the line of ``data`` holding byte ``pos`` decodes in ``encoding``."""
    start = data.rfind(b"\n", 0, pos) + 1
    end = data.find(b"\n", pos)
    try:
        data[start:None if end < 0 else end].decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
        return True
    except LookupError:
        return False


_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_RE = re.compile(r"EOF inside string starting at row (\d+)")


def _sniff_sep(text: str, ext: str) -> str:
    """Comma, unless the file is .tsv, or (Excel's "Unicode text" saved as .txt/.csv) its
    first lines have no comma, agree on a non-zero number of tabs and the header has no blank
    field between tabs."""
    if ext == ".tsv":
        return "\t"
    lines = [ln for ln in text[:65536].splitlines()[:6] if ln.strip()]
    if len(lines) < 2 or any("," in ln for ln in lines):
        return ","
    counts = {ln.count("\t") for ln in lines}
    if len(counts) == 1 and counts.pop() > 0 and all(f.strip() for f in lines[0].split("\t")):
        return "\t"
    return ","


def _record_start_line(text: str, record: int, sep: str) -> int:
    """Physical line on which CSV record ``record`` (1-based, blank lines counted) starts."""
    if '"' not in text:
        return record
    import csv

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for i, _ in enumerate(reader, start=1):
            if i == record - 1:
                return reader.line_num + 1
    except csv.Error:
        pass
    return record


_NOT_BLANK = re.compile(rb"[^ \t\r\n\x00]")
# delimiters the fast parser takes (pandas takes any; others go to pandas)
_ARROW_SEPS = frozenset(",\t;|")
_CHUNK = 1 << 24


def _pieces(data, start: int, n: int) -> list[int]:
    """Cut points splitting ``data[start:]`` into ``n`` pieces at character starts (never
    before a UTF-8 continuation byte 0x80–0xBF when a character start is near)."""
    size = len(data) - start
    cuts = [start]
    for k in range(1, n):
        c = start + size * k // n
        stop = min(len(data), c + 4)
        while c < stop and 0x80 <= data[c] < 0xC0:
            c += 1
        cuts.append(c)
    cuts.append(len(data))
    return cuts


def _utf8_piece_valid(mv: memoryview, a: int, b: int) -> bool:
    import pyarrow as pa

    if b <= a:
        return True
    offsets = pa.py_buffer(np.array([0, b - a], dtype=np.int64).tobytes())
    arr = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(mv[a:b])])
    try:
        arr.cast(pa.large_string())  # Arrow validates strictly, as bytes.decode("utf-8")
    except pa.ArrowInvalid:
        return False
    return True


def _bom_in_piece(u: np.ndarray, a: int, b: int) -> bool:
    """Is there a UTF-8 BOM (EF BB BF) starting in ``u[a:b]``?  (numpy: bytes.find of a
    3-byte pattern is several times slower on a large file.)"""
    for lo in range(a, b, _CHUNK):
        hi = min(b, lo + _CHUNK)
        block = u[lo : min(len(u), hi + 2)]
        hits = np.flatnonzero(block[: hi - lo] == 0xEF)
        hits = hits[hits + 2 < len(block)]
        if len(hits) and bool(np.any((block[hits + 1] == 0xBB) & (block[hits + 2] == 0xBF))):
            return True
    return False


def _clean_utf8(data: bytes, start: int) -> bool:
    """Is ``data[start:]`` strict UTF-8 (as ``bytes.decode("utf-8")`` would say) without a BOM
    after the first?  Checked on two threads without making a Python string."""
    if len(data) - start < (1 << 20):
        return _utf8_piece_valid(memoryview(data), start, len(data)) and data.find(codecs.BOM_UTF8, start) < 0
    from concurrent.futures import ThreadPoolExecutor

    mv = memoryview(data)
    u = np.frombuffer(data, dtype=np.uint8)
    cuts = _pieces(data, start, 2)
    with ThreadPoolExecutor(2) as ex:
        jobs = [ex.submit(_utf8_piece_valid, mv, a, b) for a, b in zip(cuts[:-1], cuts[1:])]
        jobs += [ex.submit(_bom_in_piece, u, a, b) for a, b in zip(cuts[:-1], cuts[1:])]
        ok = all(j.result() for j in jobs[:2]) and not any(j.result() for j in jobs[2:])
    return ok


def _utf8_plan(data: bytes, path: Path, encoding: str | None):
    """If the file is strict UTF-8 with nothing the fast parser must not see (NUL, a BOM after
    the first, an unusual delimiter), return ``(offset, encoding name, sep, skipped lines,
    notes)`` exactly as :func:`_read_csv_grid_decoded` would derive them; else ``None``."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.csv  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is a dependency of pandas 3's str dtype
        return None
    if encoding:
        if not _known(encoding):
            return None
        enc = codecs.lookup(encoding).name
        if enc not in ("utf-8", "utf-8-sig"):
            return None
        offset = 3 if data.startswith(codecs.BOM_UTF8) else 0
    elif data.startswith(codecs.BOM_UTF8):
        offset, enc = 3, "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    elif _looks_utf16_without_bom(data):
        return None
    else:
        offset, enc = 0, "utf-8"
    if b"\x00" in data or not _clean_utf8(data, offset):
        return None
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    head_bytes = data[offset : offset + 4 * 65536]
    head = dec.decode(head_bytes, final=offset + len(head_bytes) >= len(data))[:65536]
    notes: list = []
    skipped = 0
    m = re.match(r"sep=(.)\r?\n", head)
    if m:
        sep = m.group(1)
        offset += len(m.group(0).encode("utf-8"))
        skipped = 1
        notes.append(f"第 1 行是 Excel 的分隔符说明「sep={sep}」，已跳过")
    else:
        sep = _sniff_sep(head, path.suffix.lower())
    if sep not in _ARROW_SEPS or data.startswith((b"\n", b"\r"), offset):
        return None  # pandas: an unusual delimiter; a leading blank line is "no columns"
    return offset, enc, sep, skipped, notes


@dataclass
class _Source:
    """Bytes to parse: ``data``, or the file ``path`` from byte ``offset`` (``size`` bytes in all)."""

    path: Path | None = None
    offset: int = 0
    size: int = 0
    data: bytes | None = None

    def stream(self):
        import pyarrow as pa

        if self.data is not None:
            return pa.BufferReader(self.data)
        f = pa.OSFile(str(self.path), "rb")
        f.seek(self.offset)
        return f

    def tail(self, n: int) -> bytes:
        if self.data is not None:
            return bytes(self.data[max(0, len(self.data) - n) :])
        with open(self.path, "rb") as fh:
            fh.seek(max(self.offset, self.size - n))
            return fh.read()

    def pandas_head(self, sep: str, nrows: int) -> pd.DataFrame:
        opts = dict(encoding="utf-8", sep=sep, header=None, dtype=str, keep_default_na=False, na_values=[""],
                    skip_blank_lines=False, engine="c", low_memory=False, nrows=nrows)
        if self.data is not None:
            return pd.read_csv(io.BytesIO(self.data), **opts)
        with open(self.path, "rb") as fh:
            fh.seek(self.offset)
            return pd.read_csv(fh, **opts)


_CHECK_ROWS = 500


def _arrow_grid(src: _Source, sep: str, skipped: int) -> Grid | None:
    """Parse with pyarrow's CSV reader into the same cells pandas' C parser gives
    (``dtype=str``, empty and ``""`` cells missing, blank lines kept), or ``None`` when that
    cannot be proved -- the caller then uses pandas, which also raises the right errors."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:  # pragma: no cover - pyarrow comes with pandas 3's str dtype
        return None
    try:
        with src.stream() as stream:
            first = stream.read(1 << 20)
        width = first.split(b"\n", 1)[0].count(sep.encode()) + 1  # an upper bound (quoted separators)
        with src.stream() as stream:
            table = pcsv.read_csv(
                stream,
                read_options=pcsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
                parse_options=pcsv.ParseOptions(
                    delimiter=sep, quote_char='"', double_quote=True, escape_char=False,
                    newlines_in_values=True, ignore_empty_lines=False,
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types={f"f{i}": pa.large_string() for i in range(width)},
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                    check_utf8=False,  # the whole file was validated (or re-encoded) already
                ),
            )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, OSError, ValueError):
        return None  # ragged rows, more fields than the header … : pandas names the line
    n, m = table.num_rows, table.num_columns
    if n == 0 or m == 0 or any(not pa.types.is_large_string(t) for t in table.schema.types):
        return None
    # An unclosed quote: pandas stops with "EOF inside string", pyarrow takes the rest of the
    # file as the last cell, and then the file ends with '"' + that cell (quotes doubled).
    last = table.column(m - 1)[n - 1].as_py() or ""
    needle = b'"' + last.replace('"', '""').encode("utf-8")
    if src.tail(len(needle)) == needle:
        return None
    # the first records, read by pandas too: the two parsers must agree cell for cell
    k = min(n, _CHECK_ROWS)
    if k and not _same_head(src, sep, table, k):
        return None
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    columns = {j: pd.Series(pd.arrays.ArrowStringArray(table.column(j), dtype=dtype), copy=False) for j in range(m)}
    extra = np.zeros(n, dtype=np.int64)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as ex:  # numpy scans release the GIL
        for counts in ex.map(_newlines_per_row, table.columns):
            if counts is not None:
                extra += counts
    del table
    cells = pd.DataFrame(columns, copy=False)
    cells.columns = range(m)
    row_numbers = 1 + skipped + np.arange(n, dtype=np.int64) + np.concatenate([[0], np.cumsum(extra)[:-1]])
    return Grid(cells=cells, row_numbers=row_numbers)


def _same_head(src: _Source, sep: str, table, k: int) -> bool:
    try:
        head = src.pandas_head(sep, k)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
        return False
    if head.shape != (k, table.num_columns):
        return False
    mine = table.slice(0, k)
    for j in range(table.num_columns):
        theirs = [None if isinstance(v, float) else v for v in head[j].tolist()]
        if theirs != mine.column(j).to_pylist():
            return False
    return True


def _newlines_per_row(col) -> np.ndarray | None:
    """The number of "\\n" in each value of a large_string chunked array (0 for missing), or
    ``None`` when there is none at all."""
    parts = []
    found = False
    for chunk in col.chunks:
        length = len(chunk)
        out = None
        if length:
            _, offs_buf, data_buf = chunk.buffers()
            offs = np.frombuffer(offs_buf, dtype=np.int64)[chunk.offset : chunk.offset + length + 1]
            if data_buf is not None and offs[-1] > offs[0]:
                raw = np.frombuffer(data_buf, dtype=np.uint8)[offs[0] : offs[-1]]
                pos = np.flatnonzero(raw == 10)
                if len(pos):
                    rows = np.searchsorted(offs[1:] - offs[0], pos, side="right")
                    out = np.bincount(rows, minlength=length).astype(np.int64)
                    found = True
        parts.append(np.zeros(length, dtype=np.int64) if out is None else out)
    if not found:
        return None
    return np.concatenate(parts)


def read_csv_grid(path: Path, *, encoding: str | None = None) -> Grid:
    """Read a CSV file as strings (``dtype=str``, ``keep_default_na=False``): empty cells are
    missing, everything else (``"NA"``, ``"无"``) is kept as written.

    A UTF-8 file is parsed straight from disk by pyarrow's multi-threaded CSV reader (no decode
    into a Python string); any other encoding is decoded strictly and re-encoded first.  Whenever
    the fast parser cannot prove it reads the file exactly as pandas' C parser would (ragged rows,
    an unclosed quote, a leading blank line, a BOM in the middle …), pandas reads it, so every
    error message stays the same.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法打开文件：{exc.strerror or exc}", file=path, hint="请检查文件路径和读取权限。") from None
    _check_not_empty_or_binary(data, path, encoding)
    plan = _utf8_plan(data, path, encoding)
    if plan is not None:
        offset, enc, sep, skipped, notes = plan
        size = len(data)
        del data  # the parser reads the file itself: do not hold the bytes and the table at once
        grid = _arrow_grid(_Source(path=path, offset=offset, size=size), sep, skipped)
        if grid is not None:
            check_swallowed_records(grid, sep, path)
            grid.encoding, grid.notes = enc, notes
            return grid
        data = path.read_bytes()
    return _read_csv_grid_decoded(data, path, encoding)


def _check_not_empty_or_binary(data: bytes, path: Path, encoding: str | None) -> None:
    # (a search, not data.strip(): that would copy the whole file)
    if _NOT_BLANK.search(data) is None or data in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise ReadError(
            "文件是空的，没有数据行（也没有表头）",
            file=path,
            hint="请重新从问卷平台导出数据，确认导出的文件包含表头和答卷。",
        )
    what = sniff_binary(data[:16])
    if what is not None:
        raise ReadError(
            f"文件扩展名是 .csv，但内容看起来是{what}，不是 CSV 文本",
            file=path,
            expected="逗号分隔的文本（CSV）",
            found=f"文件开头的字节：{data[:8].hex(' ')}",
            hint="请把文件改成正确的扩展名（如 .xlsx / .xls / .sav）后再读取，或在 Excel 中另存为 CSV。",
        )
    has_bom = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE))
    if b"\x00" in data[:65536] and not has_bom and not encoding and not _looks_utf16_without_bom(data):
        off = data.index(b"\x00")
        raise ReadError(
            f"文件包含空字节（NUL，第 {off} 字节），看起来是二进制文件而不是 CSV 文本",
            file=path,
            row=_position(data, off)[0],
            expected="逗号分隔的文本（CSV）",
            found=f"文件开头的字节：{data[:8].hex(' ')}",
            hint="请确认选对了文件；如果是 Excel 工作簿，请使用 .xlsx / .xls 扩展名。",
        )


def _read_csv_grid_decoded(data: bytes, path: Path, encoding: str | None) -> Grid:
    """Decode the whole file strictly (any encoding), then parse its UTF-8 re-encoding."""
    text, enc, notes = _detect_and_decode(data, path, encoding)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReadError(
            f"文件第 {line} 行包含空字符（NUL），看起来是损坏的文件或二进制文件",
            file=path,
            row=line,
            hint="请重新导出文件，或在 Excel 中打开后另存为 CSV UTF-8。",
        )
    if "\ufeff" in text:
        line = text.count("\n", 0, text.index("\ufeff")) + 1
        text = text.replace("\ufeff", "")
        notes.append(f"第 {line} 行中间有多余的 BOM（字节顺序标记，可能是拼接文件所致），已移除")
    skipped = 0
    m = re.match(r"sep=(.)\r?\n", text)
    if m:  # Excel's "sep=," hint line
        sep = m.group(1)
        text = text[m.end() :]
        skipped = 1
        notes.append(f"第 1 行是 Excel 的分隔符说明「sep={sep}」，已跳过")
    else:
        sep = _sniff_sep(text, path.suffix.lower())
    payload = text.encode("utf-8")
    if sep in _ARROW_SEPS and not payload.startswith((b"\n", b"\r")):
        grid = _arrow_grid(_Source(data=payload), sep, skipped)
        if grid is not None:
            check_swallowed_records(grid, sep, path)
            grid.encoding, grid.notes = enc, notes
            return grid
    try:
        # bytes, not StringIO: pandas reads a text buffer through a slow Python wrapper
        cells = pd.read_csv(
            io.BytesIO(payload),
            encoding="utf-8",
            sep=sep,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            engine="c",
            low_memory=False,
        )
    except pd.errors.EmptyDataError:
        raise ReadError("文件没有数据行（也没有表头）", file=path, hint="请重新从问卷平台导出数据。") from None
    except pd.errors.ParserError as exc:
        msg = str(exc)
        m = _FIELDS_RE.search(msg)
        if m:
            expected, line, saw = (int(x) for x in m.groups())
            line = _record_start_line(text, line, sep) + skipped
            raise ReadError(
                f"第 {line} 行的字段数比表头多：表头有 {expected} 列，这一行有 {saw} 个字段",
                file=path,
                row=line,
                expected=f"{expected} 个字段",
                found=f"{saw} 个字段",
                hint="通常是单元格里有未加引号的逗号。请在 Excel 中打开检查该行，或重新导出为标准 CSV。",
            ) from None
        m = _EOF_RE.search(msg)
        if m:
            line = int(m.group(1)) + 1 + skipped
            raise ReadError(
                f"从第 {line} 条记录开始的引号没有闭合，文件可能被截断",
                file=path,
                row=line,
                hint="请检查该行的双引号，或重新导出完整的文件。",
            ) from None
        raise ReadError(f"无法解析 CSV：{msg}", file=path, hint="请在 Excel 中打开并另存为标准 CSV 后重试。") from None
    cells.columns = range(cells.shape[1])
    # Line numbers: a record's line = 1 + records before it + newlines embedded in them.
    n = len(cells)
    extra = np.zeros(n, dtype=np.int64)
    if '"' in text and "\n" in text:
        for c in cells.columns:
            col = cells[c]
            if col.dtype == object or pd.api.types.is_string_dtype(col):
                cnt = col.str.count("\n")
                extra += cnt.fillna(0).to_numpy(dtype=np.int64)
    row_numbers = (
        1 + skipped + np.arange(n, dtype=np.int64) + np.concatenate([[0], np.cumsum(extra)[:-1]])
        if n
        else np.zeros(0, dtype=np.int64)
    )
    grid = Grid(cells=cells, row_numbers=row_numbers, encoding=enc, notes=notes)
    check_swallowed_records(grid, sep, path)
    if n and cells.shape[1] > 1 and cells[cells.shape[1] - 1].isna().any():
        check_split_records(text, sep, cells.shape[1], path, skipped)
    return grid


# -- cell conversion --------------------------------------------------------------------
_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}


def fmt_cell(v) -> str:
    """A cell value as text: integral floats without ``.0``, dates in ISO form."""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    if isinstance(v, (_dt.datetime, _dt.date, _dt.time)):
        return v.isoformat(sep=" ") if isinstance(v, _dt.datetime) else v.isoformat()
    if isinstance(v, _dt.timedelta):
        return str(v)
    return str(v)


def is_blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v == ""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def convert_excel_column(values: list) -> tuple[pd.Series, int]:
    """Turn one column of calamine values into a Series.

    All numbers → int64 (all integral, none missing) or float64; all dates → datetime64;
    otherwise text (numbers formatted without a trailing ``.0``).  Blank cells and Excel
    error values (``#N/A`` …) become missing.  Returns the series and the number of error values.
    """
    n_err = 0
    clean = []
    for v in values:
        if isinstance(v, str) and v in _ERRORS:
            n_err += 1
            clean.append(None)
        elif is_blank(v):
            clean.append(None)
        else:
            clean.append(v)
    present = [v for v in clean if v is not None]
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        arr = np.array([np.nan if v is None else float(v) for v in clean], dtype=np.float64)
        if len(present) == len(clean) and np.all(np.mod(arr, 1) == 0) and np.all(np.abs(arr) < 2**53):
            return pd.Series(arr.astype(np.int64)), n_err
        return pd.Series(arr), n_err
    if present and all(isinstance(v, _dt.date) for v in present):  # datetime and date
        return pd.Series(pd.to_datetime(pd.Series(clean, dtype=object))), n_err
    out = text_series([None if v is None else fmt_cell(v) for v in clean])
    return out, n_err


_PANDAS3 = int(pd.__version__.split(".")[0]) >= 3


def text_series(values, index=None, name=None) -> pd.Series:
    """A text Series with missing values as NaN: ``str`` dtype on pandas 3, ``object`` before."""
    if _PANDAS3:
        return pd.Series(values, index=index, name=name, dtype="str")
    return pd.Series(values, index=index, name=name, dtype=object)
