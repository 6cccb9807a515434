"""Faults: a failed or interrupted run leaves no half-written output; the next run works;
two runs into different folders do not interfere."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis import outputs
from survey_analysis.cli import main

CLEAN_FILES = ["cleaned.csv", "cleaned.parquet", "cleaning_log.csv", "mapping_report.csv", "summary.json"]


def _visible(folder: Path) -> list[str]:
    """Every file under ``folder`` (relative), hidden temporaries included."""
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def survey(tmp_path_factory) -> Path:
    """A small 问卷星 employer export (60 respondents) from the sample generator."""
    from survey_analysis.datasets import generate_employers, load_questionnaire, writers

    answers, _ = generate_employers(7, 60)
    p = tmp_path_factory.mktemp("faults") / "employer.xls"
    writers.write_wjx_text(p, load_questionnaire("employer"), answers)
    return p


def _digest(folder: Path) -> dict:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in _visible(folder)}


# -- single writers ----------------------------------------------------------------------
def test_write_csv_failure_mid_write_leaves_old_file(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    outputs.write_csv(pd.DataFrame({"a": [1, 2]}), target)
    old = target.read_bytes()

    real = pd.DataFrame.to_csv

    def half_then_fail(self, path, *a, **k):
        Path(path).write_text("a\n1\n", encoding="utf-8")  # half the rows are on disk …
        raise OSError(28, "No space left on device")  # … then the disk fills up

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    with pytest.raises(OSError):
        outputs.write_csv(pd.DataFrame({"a": [7, 8, 9]}), target)
    monkeypatch.setattr(pd.DataFrame, "to_csv", real)
    assert target.read_bytes() == old  # the previous complete file, not a half-written one
    assert _visible(tmp_path) == ["t.csv"]  # no temporary left behind


def test_write_xlsx_failure_leaves_nothing(tmp_path, monkeypatch):
    import xlsxwriter

    def boom(self):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(xlsxwriter.Workbook, "close", boom)
    with pytest.raises(OSError):
        outputs.write_xlsx({"s": pd.DataFrame({"a": [1]})}, tmp_path / "t.xlsx")
    assert _visible(tmp_path) == []


# -- the clean command -------------------------------------------------------------------
def test_clean_failure_mid_run_writes_nothing_then_second_run_works(tmp_path, monkeypatch, survey, capsys):
    out = tmp_path / "out"
    real = outputs.write_csv
    calls = []

    def fail_on_log(df, path, **kw):
        calls.append(Path(path).name)
        if Path(path).name == "cleaning_log.csv":  # cleaned.parquet and cleaned.csv are done
            raise OSError(28, "No space left on device")
        return real(df, path, **kw)

    monkeypatch.setattr(outputs, "write_csv", fail_on_log)
    rc = main(["clean", str(survey), "--out", str(out), "--key", "k", "-q"])
    # a full disk is not a bug of the program: exit 2 with a message (issue 18), nothing published
    assert rc == 2 and calls[:2] == ["cleaned.csv", "cleaning_log.csv"]
    assert "磁盘空间不足" in capsys.readouterr().err
    assert _visible(out) == []  # the parquet and csv written before the failure were not published

    monkeypatch.setattr(outputs, "write_csv", real)
    rc = main(["clean", str(survey), "--out", str(out), "--key", "k", "-q"])
    assert rc == 0 and _visible(out) == CLEAN_FILES
    summary = pd.read_json(out / "summary.json", typ="series")
    assert summary["rows_in"] == summary["rows_kept"] + summary["rows_excluded"]


def test_interrupt_keeps_previous_outputs(tmp_path, monkeypatch, survey, capsys):
    out = tmp_path / "out"
    assert main(["clean", str(survey), "--out", str(out), "--key", "k", "-q"]) == 0
    before = _digest(out)

    def ctrl_c(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "write_csv", ctrl_c)
    rc = main(["clean", str(survey), "--out", str(out), "--key", "other", "-q"])
    assert rc == 130
    assert "未写入不完整的输出" in capsys.readouterr().err
    assert _digest(out) == before  # the earlier complete run is untouched, no temporaries


def test_killed_process_leaves_no_named_output(tmp_path, survey):
    """A hard kill (os._exit mid-write, like SIGKILL) publishes nothing; the rerun succeeds."""
    out = tmp_path / "out"
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from survey_analysis import outputs
        real = outputs.write_csv
        def die(df, path, **kw):
            real(df, path, **kw)
            if Path(path).name == "cleaned.csv":
                os._exit(9)
        outputs.write_csv = die
        from survey_analysis.cli import main
        sys.exit(main(["clean", {str(survey)!r}, "--out", {str(out)!r}, "--key", "k", "-q"]))
    """)
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert p.returncode == 9
    assert _visible(out) == []  # nothing published
    assert list(tmp_path.glob(".out.new-*"))  # (the kill really happened mid-write, in the staging folder)
    assert main(["clean", str(survey), "--out", str(out), "--key", "k", "-q"]) == 0
    assert _visible(out) == CLEAN_FILES
    assert not list(tmp_path.glob(".out.new-*"))  # the dead run's staging folder was cleared


def test_report_render_failure_keeps_old_report(tmp_path, monkeypatch):
    from survey_analysis.report import Paragraph, Report, Section, render
    import importlib

    render_mod = importlib.import_module("survey_analysis.report.render")

    rep = Report("报告", sections=[Section("概述", [Paragraph("第一版")])])
    out = tmp_path / "rep"
    render(rep, out, formats="html,xlsx")
    before = _digest(out)
    real = render_mod._renderer

    def failing(fmt):
        if fmt == "xlsx":
            def boom(report, path):
                Path(path).write_bytes(b"PK\x03\x04half")
                raise OSError(28, "No space left on device")
            return boom
        return real(fmt)

    monkeypatch.setattr(render_mod, "_renderer", failing)
    from survey_analysis.errors import OutputError

    rep2 = Report("报告", sections=[Section("概述", [Paragraph("第二版")])])
    with pytest.raises(OutputError, match="写入报告失败"):
        render(rep2, out, formats="html,xlsx")
    assert _digest(out) == before  # neither the new html nor the half xlsx replaced the old ones
    assert "第一版" in (out / "report.html").read_text(encoding="utf-8")


def test_two_processes_different_folders_do_not_interfere(tmp_path, survey):
    env = dict(os.environ, PYTHONIOENCODING="utf-8", SURVEY_ANALYSIS_KEY="same-key")
    cmd = [sys.executable, "-m", "survey_analysis.cli"]
    outs = [tmp_path / "a", tmp_path / "b"]
    procs = [subprocess.Popen(cmd + ["clean", str(survey), "--out", str(o), "-q"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for o in outs]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert _visible(outs[0]) == CLEAN_FILES == _visible(outs[1])
    a, b = (pd.read_csv(o / "cleaned.csv", encoding="utf-8-sig") for o in outs)
    pd.testing.assert_frame_equal(a, b)  # same input, same key: the same result in both folders
    assert len(a) > 40
