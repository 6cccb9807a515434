"""The public API: __all__ is consistent, imports are lazy, CLI basics."""
import subprocess
import sys

import pytest

import survey_analysis as sa
from survey_analysis.cli import main


def test_all_names_resolve():
    for name in sa.__all__:
        assert getattr(sa, name) is not None, name
    assert sorted(set(sa.__all__)) == sorted(sa.__all__)


def test_function_names_are_not_shadowed_by_submodules():
    # a submodule named like a function would replace it once imported (sa.clean was once a module)
    import survey_analysis.cleaning  # noqa: F401
    import survey_analysis.validation  # noqa: F401

    assert callable(sa.clean) and not isinstance(sa.clean, type(sys))
    assert callable(sa.validate) and not isinstance(sa.validate, type(sys))


def test_import_is_lazy():
    code = ("import sys, survey_analysis; "
            "heavy = [m for m in ('jieba', 'matplotlib', 'sklearn', 'statsmodels', 'fpdf') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_help_is_chinese_and_lists_commands(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert "用法" in out and "子命令" in out
    for cmd in ("inspect", "clean", "demo"):
        assert cmd in out


def test_cli_bad_argument_exit_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["clean"])
    assert e.value.code == 2
    assert "错误" in capsys.readouterr().err


def test_cli_missing_file_exit_2_no_traceback(tmp_path, capsys):
    rc = main(["clean", str(tmp_path / "nope.xlsx"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert rc == 2 and "nope.xlsx" in err and "Traceback" not in err
    assert not (tmp_path / "o" / "summary.json").exists()


def test_cli_internal_error_exit_1(monkeypatch, tmp_path, capsys):
    import survey_analysis.cli.inspect as ins

    def boom(args):
        raise RuntimeError("bug")

    monkeypatch.setattr(ins, "run", boom)
    p = tmp_path / "a.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    # rebuild the parser so that the patched run is used
    rc = main(["inspect", str(p)])
    assert rc == 1 and "内部错误" in capsys.readouterr().err


def test_readme_test_command_is_what_ci_runs():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    cmd = 'python3 -m venv .venv && . .venv/bin/activate && pip install -q -e ".[test]" && python -m pytest -q -p no:cacheprovider'
    assert cmd in readme and cmd in ci


def test_report_command_passes_mapping_files(monkeypatch, tmp_path):
    """--employer-spec / --graduate-spec / --ledger-graduates reach the pipeline."""
    import survey_analysis.report.build as build

    seen = {}

    class Stop(BaseException):  # not caught by the CLI's internal-error handler
        pass

    def fake_build_report(**kw):
        seen.update(kw)
        raise Stop

    monkeypatch.setattr(build, "build_report", fake_build_report)
    files = {}
    for name in ("e.xls", "g.xls", "m.yaml", "n.yaml"):
        files[name] = tmp_path / name
        files[name].write_text("x", encoding="utf-8")
    with pytest.raises(Stop):
        main(["report", "--employer", str(files["e.xls"]), "--employer-spec", str(files["m.yaml"]),
              "--graduate", str(files["g.xls"]), "--graduate-spec", str(files["n.yaml"]),
              "--out", str(tmp_path / "out"), "-q"])
    assert seen["employer_spec"] == str(files["m.yaml"]) and seen["graduate_spec"] == str(files["n.yaml"])
