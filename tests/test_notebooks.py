"""Every notebook runs top to bottom on the shipped sample (nbclient, MPLBACKEND=Agg).

Notebooks are stored without outputs (a test checks); a failing cell fails the test; a
"Glyph … missing" warning from matplotlib (a Chinese character without a font) fails it too.
"""
import os
from pathlib import Path

import nbformat
import pytest

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_notebook_sequence_is_complete():
    prefixes = {n[:2] for n in NOTEBOOKS}
    assert {"01", "02", "03", "04", "05", "06"} <= prefixes


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_stored_without_outputs_and_parameterised(name):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert nb.cells[0].cell_type == "markdown"


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("SURVEY_ANALYSIS_OUTPUT", str(tmp_path))
    nb = nbformat.read(NB_DIR / name, as_version=4)
    NotebookClient(nb, timeout=1200, kernel_name="python3",
                   resources={"metadata": {"path": str(NB_DIR)}}).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.get("output_type") == "stream" else ""
            assert "Glyph" not in text and "missing from font" not in text, text[:300]
            assert out.get("output_type") != "error"
