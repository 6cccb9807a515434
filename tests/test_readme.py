"""The README's Python examples run as written (from a folder holding the sample data)."""
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _python_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_the_script_examples():
    blocks = _python_blocks()
    assert len(blocks) >= 2
    assert "build_report" in blocks[0] and len(blocks[0].strip().splitlines()) <= 12


@pytest.mark.slow
def test_readme_python_examples_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {"__name__": "__readme__"}  # a reader runs the blocks one after another
    for block in _python_blocks():
        exec(compile(block, "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert (tmp_path / "reports" / "2025" / "report.pdf").exists()
    assert (tmp_path / "reports" / "2025" / "report.xlsx").exists()
    assert "全校" in out and "读入" in out
