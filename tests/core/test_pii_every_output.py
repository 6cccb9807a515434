"""Every output of every command carries no personal data -- identifiers planted in their
disguises (tests/core/pii_cases.py) included.

Inputs: a generated employer and graduate survey and roster into which names, student numbers,
phones, ID numbers, e-mails, QQ / WeChat ids are planted -- plain and disguised (spaced, dotted,
Chinese numerals, (at)/(dot), traditional characters, 张伟同学 …) -- in every column and in a third of
the comments; the visits ledger gets them in its 备注 column.  Commands: ``inspect`` (text and JSON,
captured), ``clean``, ``themes`` (with ``--by``), ``outcomes``, ``report`` (PDF, HTML, XLSX, DOCX),
``ledger``.  An executed notebook is scanned for the sample's own personal data and for the key.
Every file is read in full (PDF / DOCX / XLSX text extracted) and compared after folding (no
separators, numerals and full width to ASCII, traditional to simplified), so a phone printed as
138 1234 5678 or 一三八… is found too.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis.cli import main
from survey_analysis.pii import id_fold, name_fold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pii_cases  # noqa: E402

SKIP = {"序号", "提交答卷时间", "所用时间"}
ROOT = Path(__file__).resolve().parents[2]


def fold(text: str) -> str:
    return re.sub(r"[\W_]", "", name_fold(id_fold(text))).lower()


def _run(argv) -> tuple:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    from survey_analysis.datasets import (generate_employers, generate_graduates, generate_roster,
                                          load_questionnaire, writers)

    d = tmp_path_factory.mktemp("pii_all")
    roster = generate_roster(3, 2025, 160)
    names = list(roster["姓名"].iloc[:5])
    sids = [str(x) for x in roster["学号"].iloc[:5]]
    disguised = [ident for family, _sentence, ident in pii_cases.disguised(n_each=1, seed=5)
                 if not family.startswith("roster")]
    # as planted (what the reader types) and the core that must not come out (what is checked)
    plain = names + sids + ["13812345678", "11010519900307123X", "hr_wangfei88@example.com"]
    shown = plain + [" ".join(names[0]), names[1][0] + " " + names[1][1:], sids[0][:4] + " " + sids[0][4:],
                     f"{names[2]}同学", *disguised]
    flat = shown

    def plant(df, comment_cols):
        df = df.copy()
        # one planted value in every column but the grouping ones (a phone number as a major or a
        # destination trips the report chapters on main -- report/chapters/outcomes.py, int(NA) --
        # outside this test's subject; those columns are personal-data-checked by clean above)
        cols = [c for c in df.columns if c not in SKIP and c not in ("major", "college", "destination", "sex")]
        for j, c in enumerate(cols):
            df[c] = df[c].astype(object)
            df.iat[5 + j % (len(df) - 10), df.columns.get_loc(c)] = flat[j % len(flat)]
        for k, c in enumerate(comment_cols):  # and in every third comment
            for i in range(0, len(df), 3):
                a, b = flat[(i + k) % len(flat)], flat[(i + k + 7) % len(flat)]
                df.iat[i, df.columns.get_loc(c)] = f"实践能力不足，请联系{a}，或者{b}。"
        return df

    emp, _ = generate_employers(3, 60, roster_names=names)
    grad, _ = generate_graduates(3, 120, 2025, roster=roster)
    files = {
        "employer": writers.write_wjx_text(d / "employer_2025.xls", load_questionnaire("employer"),
                                           plant(emp, ["comment_suggestion", "comment_skills"])),
        "graduate": writers.write_vendor_two_header(d / "graduate_2025.xlsx", load_questionnaire("graduate"),
                                                    plant(grad, ["comment"])),
        "roster": d / "roster_2025.xlsx",
    }
    roster.to_excel(files["roster"], index=False)
    visits = pd.read_excel(ROOT / "data" / "raw" / "ledger_visits_2025.xlsx", header=None, engine="calamine")
    note = list(visits.iloc[1]).index("备注")
    for i in range(2, min(len(visits), 2 + len(flat))):
        visits.iat[i, note] = f"对接人{flat[i - 2]}"
    files["visits"] = d / "visits.xlsx"
    visits.to_excel(files["visits"], index=False, header=False)
    # what must never come out: the cores of the planted values (a name, the digits of a number …)
    cores = {fold(v) for v in plain} | {fold(v) for v in disguised if len(fold(v)) >= 7}
    cores |= {fold(v) for v in names}
    return {"dir": d, "files": files, "cores": sorted(c for c in cores if len(c) >= 2), "names": names,
            "sids": sids}


def _leaks(text: str, cores) -> list:
    t = fold(text)
    return [c for c in cores if c in t]


def _file_text(p: Path) -> str:
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(p).to_csv()
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(p)).pages)
    if suffix == ".docx":
        import docx

        d = docx.Document(str(p))
        cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
        return "\n".join([para.text for para in d.paragraphs] + cells)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(p, read_only=True)
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    if suffix in (".png", ".jpg", ".svg"):
        return ""
    if suffix in (".html", ".htm"):
        import html

        # the text a reader sees: no <wbr> line-break hints between the characters of a number
        return html.unescape(p.read_text(encoding="utf-8").replace("<wbr>", ""))
    return p.read_bytes().decode("utf-8", "replace")


def _scan(folder: Path, cores) -> dict:
    found = {}
    files = [p for p in sorted(folder.rglob("*")) if p.is_file()]
    assert files, folder
    for p in files:
        leaks = _leaks(_file_text(p), cores)
        if leaks:
            found[p.relative_to(folder).as_posix()] = leaks
    return found


def test_the_planting_is_detectable(planted):
    """Control: the check finds the planted values in the raw exports (so it can fail)."""
    raw = pd.read_excel(planted["files"]["graduate"], header=None, engine="calamine").astype(str).to_csv()
    assert len(_leaks(raw, planted["cores"])) >= 0.8 * len(planted["cores"])


@pytest.mark.parametrize("kind", ["employer", "graduate"])
def test_inspect_text_and_json(planted, kind):
    roster = ["--roster", planted["files"]["roster"]]
    for extra in ([], ["--json"]):
        rc, out, err = _run(["inspect", planted["files"][kind], *extra, *roster])
        assert rc == 0, err
        assert _leaks(out + err, planted["cores"]) == []
        # without the roster too, but for a student number written in groups (only the roster
        # tells it from any other number)
        rc, out, err = _run(["inspect", planted["files"][kind], *extra])
        assert rc == 0, err
        grouped = {fold(s) for s in planted["sids"][:1]}
        assert [c for c in _leaks(out + err, planted["cores"]) if c not in grouped] == []


def test_clean_outputs(planted):
    for kind in ("employer", "graduate"):
        out = planted["dir"] / f"clean_{kind}"
        rc, so, err = _run(["clean", planted["files"][kind], "--out", out, "--roster", planted["files"]["roster"],
                            "--key", "k"])
        assert rc == 0, err
        assert _leaks(so + err, planted["cores"]) == []
        assert _scan(out, planted["cores"]) == {}


def test_themes_outputs_with_groups(planted):
    import survey_analysis as sa

    raw = sa.read_survey(planted["files"]["employer"])
    cols = list(raw.data.columns)
    text = next(c for c in cols if "意见" in c or "建议" in c)
    major = next(c for c in cols if "专业" in c and "多选" not in c and c != text)
    out = planted["dir"] / "themes"
    rc, so, err = _run(["themes", planted["files"]["employer"], "--column", text, "--by", major,
                        "--roster", planted["files"]["roster"], "--out", out])
    assert rc == 0, err
    assert _leaks(so + err, planted["cores"]) == []
    assert _scan(out, planted["cores"]) == {}


def test_outcomes_outputs(planted):
    out = planted["dir"] / "outcomes"
    rc, so, err = _run(["outcomes", planted["files"]["graduate"], "--population", planted["files"]["roster"],
                        "--roster", planted["files"]["roster"], "--key", "k", "--out", out])
    assert rc == 0, err
    assert _leaks(so + err, planted["cores"]) == []
    assert _scan(out, planted["cores"]) == {}


@pytest.mark.slow
def test_report_outputs(planted):
    out = planted["dir"] / "report"
    rc, so, err = _run(["report", "--employer", planted["files"]["employer"], "--graduate",
                        planted["files"]["graduate"], "--population", planted["files"]["roster"], "--key", "k",
                        "--out", out])
    assert rc == 0, err
    assert _leaks(so + err, planted["cores"]) == []
    assert {p.suffix for p in out.iterdir()} >= {".pdf", ".html", ".xlsx", ".docx"}
    assert _scan(out, planted["cores"]) == {}


def test_ledger_outputs(planted):
    out = planted["dir"] / "ledger"
    rc, so, err = _run(["ledger", "--visits", planted["files"]["visits"], "--out", out, "--no-pdf"])
    assert rc == 0, err
    assert _leaks(so + err, planted["cores"]) == []
    assert _scan(out, planted["cores"]) == {}


@pytest.mark.slow
def test_executed_notebook_has_no_personal_data_and_no_key(tmp_path, monkeypatch):
    """The comments notebook runs on the sample with the key in the environment: the saved notebook
    holds neither the key nor the sample's names, student numbers or phone numbers."""
    import nbformat
    from nbclient import NotebookClient

    key = "只有我知道的密钥-7f3a9c"
    monkeypatch.setenv("SURVEY_ANALYSIS_KEY", key)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("SURVEY_ANALYSIS_OUTPUT", str(tmp_path))
    nb_dir = ROOT / "notebooks"
    nb = nbformat.read(nb_dir / "02_comments.ipynb", as_version=4)
    NotebookClient(nb, timeout=1200, kernel_name="python3", resources={"metadata": {"path": str(nb_dir)}}).execute()
    saved = tmp_path / "executed.ipynb"
    nbformat.write(nb, saved)
    text = saved.read_text(encoding="utf-8")
    assert key not in text
    roster = pd.read_excel(ROOT / "data" / "raw" / "roster_2025.xlsx", engine="calamine")
    cores = {fold(str(v)) for c in ("姓名", "学号", "手机号") if c in roster for v in roster[c].dropna()}
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells], ensure_ascii=False)
    assert _leaks(outputs, sorted(c for c in cores if len(c) >= 2)) == []
    assert "评论（已脱敏）" in outputs and len(cores) > 100  # the comments were shown; the check had data


def _tiny_notebook(path, uses_package=True):
    """A notebook with a parameters cell that prints a digest of the key it was given."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('DATA = "a.xlsx"')
    params.metadata["tags"] = ["parameters"]
    body = ("import hashlib, os\n"
            + ("from survey_analysis.design import key_from_env\n" if uses_package else "")
            + "print('KEY' in globals(), hashlib.sha256(os.environ['SURVEY_ANALYSIS_KEY'].encode()).hexdigest(), DATA)")
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)
    return path


def test_the_papermill_plugin_moves_the_key_out_of_a_parameterised_notebook():
    """scrub_key on papermill's own parameterisation: the key leaves the injected cell and the
    metadata and goes to the environment; other parameters and other notebooks are untouched."""
    import copy

    import nbformat
    from papermill.parameterize import parameterize_notebook

    from survey_analysis.papermill_engine import scrub_key

    def parameterised(uses_package):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["papermill"] = {}
        cell = nbformat.v4.new_code_cell('DATA = "a.xlsx"')
        cell.metadata["tags"] = ["parameters"]
        code = "import survey_analysis" if uses_package else "import os"
        nb.cells = [cell, nbformat.v4.new_code_cell(code)]
        nb.cells[1].metadata["tags"] = []  # as papermill's loader leaves every cell
        return parameterize_notebook(nb, {"KEY": "只有我知道-42", "DATA": "b.xlsx"}, kernel_name="python3",
                                     language="python")

    nb = parameterised(True)
    assert "只有我知道-42" in nbformat.writes(nb)  # what papermill alone would save
    env: dict = {}
    assert scrub_key(nb, env) is True
    saved = nbformat.writes(nb)
    assert "只有我知道-42" not in saved and env == {"SURVEY_ANALYSIS_KEY": "只有我知道-42"}
    assert nb.metadata.papermill.parameters == {"DATA": "b.xlsx"}
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'DATA = "b.xlsx"' in injected.source and "SURVEY_ANALYSIS_KEY" in injected.source
    other = parameterised(False)
    before = copy.deepcopy(other)
    env = {}
    assert scrub_key(other, env) is False and env == {} and other == before  # not ours: as papermill wrote it


@pytest.mark.slow
def test_papermill_with_a_key_parameter_runs_and_saves_no_key(tmp_path):
    """``papermill in.ipynb out.ipynb -p KEY …`` (the command line, default engine = this
    package's plugin): the notebook gets the key from its environment and the saved notebook
    does not hold it."""
    import hashlib
    import subprocess
    import sys

    key = "只有我知道的密钥-p9x"
    src = _tiny_notebook(tmp_path / "in.ipynb")
    out = tmp_path / "out.ipynb"
    env = {k: v for k, v in os.environ.items() if k != "SURVEY_ANALYSIS_KEY"}
    r = subprocess.run([sys.executable, "-m", "papermill", str(src), str(out), "-p", "KEY", key,
                        "-p", "DATA", "b.xlsx", "-k", "python3", "--no-progress-bar"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert key not in text and key not in r.stdout + r.stderr
    assert f"False {hashlib.sha256(key.encode()).hexdigest()} b.xlsx" in text  # the kernel had the key


@pytest.mark.slow
def test_without_the_plugin_a_key_parameter_is_refused(tmp_path):
    """papermill's own engine (``--engine nbclient``, or papermill installed elsewhere) would
    write the key into the saved notebook: the package's notebooks refuse to run with it."""
    import papermill as pm

    nb_dir = ROOT / "notebooks"
    with pytest.raises(pm.PapermillExecutionError, match="SURVEY_ANALYSIS_KEY"):
        pm.execute_notebook(str(nb_dir / "02_comments.ipynb"), str(tmp_path / "out.ipynb"),
                            parameters={"KEY": "secret"}, cwd=str(nb_dir), kernel_name="python3",
                            progress_bar=False, engine_name="nbclient")


def test_no_notebook_takes_the_key_as_a_parameter():
    """Every notebook that pseudonymises reads the key from the environment and refuses a KEY
    parameter (a parameter's value is written into the executed notebook); none declares KEY."""
    import json

    for nb_path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = [c for c in json.loads(nb_path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        cells = ["".join(c["source"]) for c in code]
        params = [s for c, s in zip(code, cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert not any(re.search(r"^\s*KEY\s*=", p, re.M) for p in params), nb_path.name
        if any("key=" in s for s in cells):
            assert any('if "KEY" in globals()' in s and "key_from_env()" in s for s in cells), nb_path.name
            assert not any("key=KEY" in s for s in cells), nb_path.name


@pytest.mark.slow
def test_demo_outputs_hold_none_of_the_samples_personal_data(tmp_path):
    """``survey-analysis demo`` (the README's first command) on the shipped sample: its four files
    hold none of the roster's names, student numbers or phone numbers, nor the phone numbers and
    e-mail addresses written into the sample's comments."""
    rc, so, err = _run(["demo", "--out", tmp_path / "demo"])
    assert rc == 0, err
    roster = pd.read_excel(ROOT / "data" / "raw" / "roster_2025.xlsx", engine="calamine")
    # two-character names are left out: as substrings they are everywhere (李文 in 李文华, a
    # leader in the ledger; 陆宁 folds to 6宁, found in "6 宁波…")
    cores = {fold(str(v)) for v in roster["姓名"].dropna() if len(str(v)) >= 3}
    cores |= {fold(str(v)) for c in ("学号", "手机号") for v in roster[c].dropna()}
    raw = "\n".join(pd.read_excel(p, header=None, engine="calamine").astype(str).to_csv()
                    for p in sorted((ROOT / "data" / "raw").glob("*_wjx_*.xls")))
    planted = set(re.findall(r"1[3-9]\d{9}", raw)) | set(re.findall(r"[\w.]+@[\w.]+\.\w+", raw))
    cores |= {fold(x) for x in planted}
    assert len(cores) > 100 and planted  # the check has data …
    assert len(_leaks(raw, sorted(cores))) >= len(planted)  # … and finds it in the raw exports
    assert _leaks(so + err, sorted(cores)) == []
    assert _scan(tmp_path / "demo", sorted(c for c in cores if len(c) >= 2)) == {}
