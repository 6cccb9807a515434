"""Workbooks (.xlsx / .xlsm / .xls / .ods) → a grid of cells, with python-calamine.

Before calamine allocates anything, an .xlsx is checked from its ZIP directory and the sheet's XML
(read as a stream, never whole):

* a part that unpacks to far more than it holds (a shared-strings or sheet "zip bomb") is refused;
* a far-away stray cell (``XFD1048576``) that would make calamine allocate a grid of billions of
  cells (and abort the interpreter) is refused, naming the cell;
* formulas saved without their computed value (files written by programs, never opened in Excel)
  are refused, naming the first one -- they would otherwise become blank answers.

The format is taken from the file's bytes, not its extension (an .xlsx named .xls is read).
Merge ranges come with the grid: the reader fills merged cells of the answers (a 专业 merged over
its students' rows).
"""
from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReadError
from ._files import Grid, sniff_binary

__all__ = ["read_excel_grid", "read_grids", "MAX_CELLS", "MAX_PART_BYTES"]

#: a sheet whose used area exceeds this many cells *and* is mostly empty is refused
MAX_CELLS = 20_000_000
#: a ZIP part unpacking to more than this, at a ratio above _MAX_RATIO, is a bomb
MAX_PART_BYTES = 100 * 1024 * 1024
_MAX_RATIO = 100
_HARD_LIMIT = 2 * 1024 ** 3

_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_NO_VALUE_FORMULA = re.compile(rb'<c r="([A-Z]{1,3}\d{1,7})"[^>]*>\s*<f[^>]*(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>')


def _letters_to_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _sheet_part(z: zipfile.ZipFile, sheet) -> str | None:
    """The XML part of the sheet to read (by name or 0-based index; default the first)."""
    try:
        wb = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return None
    sheets = re.findall(r'<sheet\b[^>]*\bname="([^"]*)"[^>]*\br:id="([^"]*)"', wb)
    targets = dict(re.findall(r'<Relationship\b[^>]*\bId="([^"]*)"[^>]*\bTarget="([^"]*)"', rels))
    targets.update({k: v for v, k in re.findall(r'<Relationship\b[^>]*\bTarget="([^"]*)"[^>]*\bId="([^"]*)"', rels)})
    if not sheets:
        return None
    if sheet is None:
        rid = sheets[0][1]
    elif isinstance(sheet, int) and not isinstance(sheet, bool):
        rid = sheets[sheet][1] if 0 <= sheet < len(sheets) else None
    else:
        rid = next((r for n, r in sheets if n == str(sheet)), None)
    target = targets.get(rid) if rid else None
    if not target:
        return None
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _check_parts(z: zipfile.ZipFile, path: Path) -> None:
    for info in z.infolist():
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > _HARD_LIMIT or (size > MAX_PART_BYTES and size / packed > _MAX_RATIO):
            raise ReadError(
                f"工作簿中的「{info.filename}」解压后有 {size / 1024 ** 2:,.0f} MB（压缩后只有 {packed / 1024:,.0f} KB），"
                "不像是正常的问卷导出（疑似“压缩炸弹”），为保护内存拒绝读取",
                file=path, expected=f"每个部件解压后不超过 {MAX_PART_BYTES // 1024 ** 2} MB 或压缩比低于 {_MAX_RATIO}",
                hint="请确认文件来源；正常导出的数据请用 Excel 另存为 .xlsx 或 CSV 后再读取。")


def _scan_cells(body: bytes, state: dict, path: Path, sheet) -> None:
    m = _NO_VALUE_FORMULA.search(body)
    if m:
        ref = m.group(1).decode()
        raise ReadError(
            f"单元格 {ref} 是公式，但文件里没有保存它的计算结果（文件多半由程序生成，没有在 Excel 中打开保存过）；"
            "照原样读取，这些答案会变成空白",
            file=path, sheet=sheet, row=int(re.sub(r"\D", "", ref)), column=re.sub(r"\d", "", ref),
            hint="请用 Excel 或 WPS 打开该文件、保存一次（会算出公式的值）后再读取。")
    for letters, row in _CELL.findall(body):
        state["n"] += 1
        r, c = int(row), _letters_to_index(letters)
        if r > state["max_row"]:
            state["max_row"], state["far_row"] = r, (letters + row).decode()
        if c > state["max_col"]:
            state["max_col"], state["far_col"] = c, (letters + row).decode()


def _scan_sheet(z: zipfile.ZipFile, part: str, path: Path, sheet) -> None:
    """Stream the sheet's XML: refuse a far stray cell (a mostly-empty huge area) and formulas
    without a value."""
    state = {"n": 0, "max_row": 0, "max_col": 0, "far_row": None, "far_col": None}
    tail = b""
    with z.open(part) as fh:
        while True:
            chunk = fh.read(1 << 22)
            buf = tail + chunk
            cut = buf.rfind(b"<c ") if chunk else len(buf)  # the last cell may be incomplete
            if cut <= 0 or len(buf) - cut > 1 << 20:
                cut = len(buf)
            _scan_cells(buf[:cut], state, path, sheet)
            tail = buf[cut:]
            if not chunk:
                break
    n_cells, max_row, max_col = state["n"], state["max_row"], state["max_col"]
    far_row, far_col = state["far_row"], state["far_col"]
    if max_row * max_col > MAX_CELLS and max_row * max_col > 4 * max(n_cells, 1):
        far = far_col if far_col and max_col > 16384 // 2 else far_row
        raise ReadError(
            f"工作表的使用区域大到 {max_row:,} 行 × {max_col:,} 列，却只有 {n_cells:,} 个单元格有内容："
            f"单元格 {far} 远离其他数据，多半是误填的孤立单元格",
            file=path, sheet=sheet, hint=f"请在 Excel 中删除单元格 {far}（或删除数据下方、右侧的空行空列）后保存，再读取。")


def _precheck_xlsx(path: Path, sheet) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names and "content.xml" not in names:
                raise ReadError("无法打开工作簿：文件是ZIP 压缩包，但不是 Excel 工作簿", file=path,
                                found="压缩包中的文件：" + "、".join(sorted(names)[:10]),
                                hint="请确认选对了文件；工作簿请用 Excel 另存为 .xlsx。")
            _check_parts(z, path)
            part = _sheet_part(z, sheet)
            if part and part in names:
                _scan_sheet(z, part, path, sheet)
    except ReadError:
        raise
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, zlib.error, KeyError, ValueError,
            NotImplementedError, RuntimeError, OSError) as exc:
        raise ReadError("无法打开工作簿：文件是损坏或被截断的文件（ZIP 结构不完整）", file=path,
                        found=f"{type(exc).__name__}: {exc}"[:120], hint="请重新下载或导出该文件。") from None


def _open_workbook(path: Path, head: bytes):
    """A calamine workbook from the file's bytes (the format from its content, not its name)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except CalamineError as exc:
        kind = "ZIP 压缩包，但不是 Excel 工作簿" if "rels" in str(exc) or "xl/" in str(exc) else "损坏或不完整的工作簿"
        if type(exc).__name__ == "ZipError":
            kind = "损坏或被截断的文件（ZIP 结构不完整）"
        if type(exc).__name__ == "PasswordError":
            kind = "加密（有密码保护）的工作簿"
        raise ReadError(
            f"无法打开工作簿：文件是{kind}",
            file=path,
            found=f"{type(exc).__name__}: {exc}",
            hint="请重新下载或导出该文件；加密的工作簿请先在 Excel 中取消密码后另存。",
        ) from None
    except Exception as exc:  # calamine may raise other errors on corrupt input
        raise ReadError(
            "无法打开工作簿：文件损坏或不是 Excel 格式",
            file=path,
            found=f"{type(exc).__name__}: {exc}",
            hint="请重新下载或导出该文件，或在 Excel 中打开后另存为 .xlsx。",
        ) from None


def _sheet_name(wb, path: Path, sheet) -> str:
    names = list(wb.sheet_names)
    if not names:
        raise ReadError("工作簿里没有工作表", file=path, hint="请重新导出该文件。")
    listing = "、".join(f"「{n}」" for n in names)
    if sheet is None:
        return names[0]
    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        if not 0 <= int(sheet) < len(names):
            raise ReadError(
                f"工作表序号 {sheet} 不存在：工作簿只有 {len(names)} 个工作表（序号从 0 开始）",
                file=path,
                found=f"现有工作表：{listing}",
                hint="请用 sheet= 指定现有工作表的名称或序号（0 表示第一个）。",
            )
        return names[int(sheet)]
    if str(sheet) not in names:
        raise ReadError(
            f"找不到工作表「{sheet}」",
            file=path,
            expected=f"以下工作表之一：{listing}",
            found=str(sheet),
            hint="请用 sheet= 指定现有工作表的名称（区分大小写和全角/半角）或序号。",
        )
    return str(sheet)


def read_excel_grid(path: Path, *, sheet=None) -> Grid:
    """Read one sheet of an .xls / .xlsx / .xlsm / .ods workbook with python-calamine."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise ReadError(f"无法打开文件：{exc.strerror or exc}", file=path, hint="请检查文件路径和读取权限。") from None
    if not head:
        raise ReadError("文件是空的（0 字节），没有数据行", file=path, hint="请重新从问卷平台导出数据。")
    if not (head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")):
        what = sniff_binary(head)
        low = head.lower()
        if what is None:
            what = "网页（HTML）" if low.lstrip().startswith((b"<", b"\xef\xbb\xbf<")) else "文本文件（可能是 CSV）"
        raise ReadError(
            f"文件扩展名是 {path.suffix}，但内容看起来是{what}，不是 Excel 工作簿",
            file=path,
            expected="Excel 工作簿（.xlsx 为 ZIP 格式，.xls 为 OLE2 格式）",
            found=f"文件开头的字节：{head[:8].hex(' ')}",
            hint="请在 Excel / WPS 中打开该文件并另存为 .xlsx；如果是 CSV 文本，请把扩展名改为 .csv。",
        )
    notes: list = []
    if head.startswith(b"PK\x03\x04"):
        _precheck_xlsx(path, sheet)
        if path.suffix.lower() == ".xls":
            notes.append("文件扩展名是 .xls，内容却是 .xlsx 工作簿：已按 .xlsx 读取")
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        notes.append(f"文件扩展名是 {path.suffix}，内容却是旧版 .xls 工作簿：已按 .xls 读取")
    wb = _open_workbook(path, head)
    name = _sheet_name(wb, path, sheet)
    try:
        sh = wb.get_sheet_by_name(name)
        rows = sh.to_python(skip_empty_area=False)
        merged = list(getattr(sh, "merged_cell_ranges", None) or [])
    except Exception as exc:
        raise ReadError(
            "无法读取工作表：文件损坏或不完整",
            file=path,
            sheet=name,
            found=f"{type(exc).__name__}: {exc}",
            hint="请重新下载或导出该文件，或在 Excel 中打开后另存为 .xlsx。",
        ) from None
    width = max((len(r) for r in rows), default=0)
    if not rows or width == 0:
        cells = pd.DataFrame()
    else:
        cells = pd.DataFrame([list(r) + [""] * (width - len(r)) for r in rows], dtype=object)
    cells.columns = range(cells.shape[1])
    row_numbers = np.arange(1, len(cells) + 1, dtype=np.int64)
    return Grid(cells=cells, row_numbers=row_numbers, encoding=None, sheet=name, notes=notes, merged=merged)


def read_grids(path) -> list:
    """Every sheet of a workbook (first sheet first), or the one table of a CSV file, as raw cell
    grids (:class:`~survey_analysis.io._files.Grid`: cells as read, 1-based row numbers, merge
    ranges), with the checks :func:`~survey_analysis.io.read_survey` makes (encoding, the format
    from the content, zip bombs, far stray cells, formulas without values).  For readers of other
    tables (training programmes …) that lay them out themselves."""
    from ._files import read_csv_grid

    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return [read_csv_grid(path)]
    first = read_excel_grid(path)  # every check of a bad workbook happens here
    with open(path, "rb") as fh:
        head = fh.read(16)
    names = list(_open_workbook(path, head).sheet_names)
    return [first] + [read_excel_grid(path, sheet=n) for n in names[1:]]
