"""The outputs of one run are published as a set: a run killed (SIGKILL) at any point leaves the
output folder with every old file or every new file -- never a mix, never a half-written file.

A second run with other input is killed at the n-th call of each step of publishing (writing the
files, linking the old files the run does not write, the swap of the folders, removing the staging
folder) and of the fallback without the swap; the folder is then compared byte for byte with the
outputs of the first run and of an uninterrupted second run.
"""
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis import _atomic

ROOT = Path(__file__).resolve().parents[2]
EMP = ROOT / "data" / "raw" / "employer_2025_wjx_text.xls"


def _digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    import survey_analysis as sa

    raw = sa.read_survey(EMP)
    a = d / "a.csv"
    raw.data.to_csv(a, index=False, encoding="utf-8-sig")
    b = d / "b.csv"
    raw.data.iloc[: len(raw.data) // 2].to_csv(b, index=False, encoding="utf-8-sig")
    return a, b


def _run(argv, *, kill_at=None, what=None, no_swap=False, timeout=300):
    script = textwrap.dedent(f"""
        import os, shutil, signal, sys
        from survey_analysis import _atomic, outputs
        N, WHAT = {kill_at!r}, {what!r}
        count = [0]

        def wrap(mod, name):
            real = getattr(mod, name)
            def f(*a, **k):
                count[0] += 1
                if count[0] == N:
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(*a, **k)
            setattr(mod, name, f)

        if {no_swap!r}:
            _atomic.exchange = lambda a, b: False
        if WHAT == "write":
            wrap(outputs, "write_csv")
        elif WHAT == "link":
            wrap(os, "link")
        elif WHAT == "exchange":
            wrap(_atomic, "exchange")
        elif WHAT == "rename":
            wrap(os, "rename")
        elif WHAT == "rmtree":
            wrap(shutil, "rmtree")
        from survey_analysis.cli import main
        sys.exit(main({[str(a) for a in argv]!r}))
    """)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout, env=env)


def _clean_argv(src, out):
    return ["clean", src, "--out", out, "--key", "k", "-q", "--min-seconds", "0"]


@pytest.fixture(scope="module")
def sets(inputs, tmp_path_factory):
    """The outputs of run A and of an uninterrupted run B (with a user's own file kept in both)."""
    a, b = inputs
    base = tmp_path_factory.mktemp("sets")
    out_a, out_b = base / "a", base / "b"
    for src, out in ((a, out_a), (b, out_b)):
        out.mkdir()
        (out / "我的笔记.txt").write_text("用户自己的文件", encoding="utf-8")
        assert _run(_clean_argv(src, out)).returncode == 0
    da, db = _digest(out_a), _digest(out_b)
    assert da != db and set(da) == set(db) and "我的笔记.txt" in da
    return da, db


KILLS = [("write", 1), ("write", 2), ("write", 3), ("link", 1), ("exchange", 1), ("rmtree", 1)]


@pytest.mark.parametrize("what,n", KILLS)
def test_clean_killed_leaves_all_old_or_all_new(inputs, sets, tmp_path, what, n):
    a, b = inputs
    da, db = sets
    out = tmp_path / "out"
    out.mkdir()
    (out / "我的笔记.txt").write_text("用户自己的文件", encoding="utf-8")
    assert _run(_clean_argv(a, out)).returncode == 0
    assert _digest(out) == da
    p = _run(_clean_argv(b, out), kill_at=n, what=what)
    assert p.returncode == -9, (p.returncode, p.stderr[-500:])  # really killed
    got = _digest(out)
    assert got in (da, db), sorted(set(got.items()) ^ set(da.items()))
    # the next run clears what the killed one left beside the folder, and publishes its set
    assert _run(_clean_argv(b, out)).returncode == 0
    assert _digest(out) == db
    assert not list(tmp_path.glob(".out.*"))


@pytest.mark.parametrize("what,n", [("rename", 1), ("rename", 2)])
def test_without_the_swap_a_kill_is_recovered(inputs, sets, tmp_path, what, n):
    """Where renameat2 is missing: old folder aside, new folder in; a kill between the two renames
    leaves the old folder aside, put back by the next run (or recover())."""
    a, b = inputs
    da, db = sets
    out = tmp_path / "out"
    out.mkdir()
    (out / "我的笔记.txt").write_text("用户自己的文件", encoding="utf-8")
    assert _run(_clean_argv(a, out), no_swap=True).returncode == 0
    p = _run(_clean_argv(b, out), kill_at=n, what=what, no_swap=True)
    assert p.returncode == -9
    _atomic.recover(out)
    assert _digest(out) in (da, db)


def test_report_render_killed_at_each_step(tmp_path):
    from survey_analysis.report import Paragraph, Report, Section, render

    out = tmp_path / "rep"
    render(Report("报告", sections=[Section("概述", [Paragraph("第一版")])]), out, formats="html,xlsx")
    old = _digest(out)
    for what, n in [("chmod", 2), ("exchange", 1), ("rmtree", 1)]:
        script = textwrap.dedent(f"""
            import os, shutil, signal
            from survey_analysis import _atomic
            from survey_analysis.report import Paragraph, Report, Section, render
            count = [0]
            mod = {{"chmod": os, "exchange": _atomic, "rmtree": shutil}}[{what!r}]
            real = getattr(mod, {what!r})
            def f(*a, **k):
                count[0] += 1
                if count[0] == {n}:
                    os.kill(os.getpid(), signal.SIGKILL)
                return real(*a, **k)
            setattr(mod, {what!r}, f)
            render(Report("报告", sections=[Section("概述", [Paragraph("第二版")])]), {str(out)!r}, formats="html,xlsx")
        """)
        p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
        assert p.returncode == -9, p.stderr[-300:]
        html = (out / "report.html").read_text(encoding="utf-8")
        got = _digest(out)
        if "第一版" in html:
            assert got == old, what
        else:  # all new: both files from the second run
            assert "第二版" in html and got["report.xlsx"] != old["report.xlsx"], what
            old = got


def test_ledger_and_themes_publish_through_the_same_step(tmp_path):
    """themes, outcomes and ledger write through atomic_dir too: a kill at the swap leaves the old set."""
    src = tmp_path / "c.csv"
    pd.DataFrame({"意见": ["加强实践能力", "沟通能力不足", "英语水平有待提高", "编程基础薄弱"] * 10}).to_csv(src, index=False)
    out = tmp_path / "th"
    argv = ["themes", src, "--column", "意见", "--out", out, "-q"]
    assert _run(argv).returncode == 0
    old = _digest(out)
    src2 = tmp_path / "c2.csv"
    pd.DataFrame({"意见": ["团队协作意识差", "抗压能力弱", "创新意识不够", "动手能力差"] * 10}).to_csv(src2, index=False)
    argv[1] = src2
    p = _run(argv, kill_at=1, what="exchange")
    assert p.returncode == -9
    assert _digest(out) == old
