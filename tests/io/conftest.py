"""Fixtures for the reader tests (the suite runs with --import-mode=importlib, so helpers are
fixtures rather than importable modules)."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURE = Path("/work/shared/fixtures/wjx/800_800_0.xls")
WJX_SYSTEM = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def _write_xlsx(path: Path, rows: list, sheet: str = "Sheet1", extra_sheets=()) -> Path:
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


@pytest.fixture
def write_xlsx():
    return _write_xlsx


@pytest.fixture
def wjx_system():
    return list(WJX_SYSTEM)


@pytest.fixture(scope="session")
def fixture_path() -> Path:
    if not FIXTURE.exists():  # pragma: no cover - the shared fixture is part of the project
        pytest.skip("the shared 问卷星 fixture is not available")
    return FIXTURE
