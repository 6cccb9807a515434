"""Fixtures for the reader tests."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURE = Path("/work/shared/fixtures/wjx/800_800_0.xls")


@pytest.fixture(scope="session")
def fixture_path() -> Path:
    if not FIXTURE.exists():  # pragma: no cover - the shared fixture is part of the project
        pytest.skip("the shared 问卷星 fixture is not available")
    return FIXTURE
