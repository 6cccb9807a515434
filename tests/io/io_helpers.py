"""Helpers for the reader tests (a uniquely named module: other test folders have a conftest too)."""
from __future__ import annotations

from pathlib import Path

FIXTURE = Path("/work/shared/fixtures/wjx/800_800_0.xls")
WJX_SYSTEM = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def write_xlsx(path: Path, rows: list[list], sheet: str = "Sheet1", extra_sheets=()) -> Path:
    """Write rows (first row = header) to an .xlsx with xlsxwriter; None = empty cell."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(sheet)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is None:
                continue
            ws.write(i, j, v)
    for name in extra_sheets:
        wb.add_worksheet(name)
    wb.close()
    return path
