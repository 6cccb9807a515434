"""Personal information never leaves: names, 学号, phone numbers, 身份证号, e-mails and IP
addresses planted in every column and in the comments of a small sample appear in no output.

The sample comes from :mod:`survey_analysis.datasets` (generator + platform writers); the
planted values are then written into one cell of every column (system columns included) and
into a third of the comments.  Outputs checked: the ``clean`` command's files (cleaned CSV and
Parquet, cleaning log, summary, mapping report) and the report in PDF, HTML, XLSX and DOCX
(text extracted with pypdf, python-docx and openpyxl).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis.cli import main

SKIP = {"序号", "提交答卷时间", "所用时间"}  # the row number, the time stamp and the duration


def _norm(text: str) -> str:
    """Remove whitespace and separators (PDF extraction splits CJK text and phone numbers)."""
    return re.sub(r"[\s\-]", "", text)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    from survey_analysis.datasets import (generate_employers, generate_graduates, generate_roster,
                                          load_questionnaire, writers)

    d = tmp_path_factory.mktemp("pii")
    roster = generate_roster(3, 2025, 160)
    names = list(roster["姓名"].iloc[:6])
    sids = [str(x) for x in roster["学号"].iloc[:6]]
    pii = {
        "name": names,
        "student_id": sids,
        "phone": ["13812345678", "139-8765-4321", "+86 177 1234 5678"],
        "id_card": ["11010519900307123X", "310104198512240018"],
        "email": ["zhang.wei@example.com", "li_na2001@qq.com"],
        "ip": ["202.120.2.101", "10.0.0.254"],
    }
    flat = [v for vs in pii.values() for v in vs]

    def plant(df, comment_cols):
        df = df.copy()
        cols = [c for c in df.columns if c not in SKIP]
        for j, c in enumerate(cols):  # one planted value in every column
            df[c] = df[c].astype(object)
            df.iat[5 + j % (len(df) - 10), df.columns.get_loc(c)] = flat[j % len(flat)]
        for k, c in enumerate(comment_cols):  # and in every third comment, three at a time
            for i in range(0, len(df), 3):
                a, b, e = (flat[(i + k + o) % len(flat)] for o in (0, 7, 13))
                df.iat[i, df.columns.get_loc(c)] = f"实践能力不足，请联系{a}，电话{b}，邮箱或地址：{e}。"
        return df

    emp, _ = generate_employers(3, 60, roster_names=names)
    grad, _ = generate_graduates(3, 120, 2025, roster=roster)
    emp = plant(emp, ["comment_suggestion", "comment_skills"])
    grad = plant(grad, ["comment"])
    files = {
        "employer": writers.write_wjx_text(d / "employer_2025.xls", load_questionnaire("employer"), emp),
        "graduate": writers.write_vendor_two_header(d / "graduate_2025.xlsx", load_questionnaire("graduate"), grad),
    }
    files["roster"] = d / "roster_2025.xlsx"
    roster.to_excel(files["roster"], index=False)
    # every planted value really is in the inputs (else the test could not fail)
    raw_text = pd.read_excel(files["graduate"], header=None, engine="calamine").astype(str).to_string()
    assert all(v in raw_text for v in pii["phone"] + pii["email"] + pii["id_card"])
    return {"dir": d, "files": files, "pii": flat}


def _leaks(text: str, pii: list) -> list:
    t = _norm(text)
    return [v for v in pii if _norm(v) in t]


def _clean_outputs(planted) -> dict:
    out = {}
    for kind in ("employer", "graduate"):
        folder = planted["dir"] / f"clean_{kind}"
        if not folder.exists():
            rc = main(["clean", str(planted["files"][kind]), "--out", str(folder), "--roster",
                       str(planted["files"]["roster"]), "--key", "k", "-q"])
            assert rc == 0
        out[kind] = folder
    return out


def test_cleaned_data_log_and_summary_have_no_pii(planted):
    folders = _clean_outputs(planted)
    checked = 0
    for kind, folder in folders.items():
        for p in sorted(folder.iterdir()):
            text = pd.read_parquet(p).to_csv() if p.suffix == ".parquet" else p.read_text(encoding="utf-8-sig")
            assert _leaks(text, planted["pii"]) == [], p.name
            checked += 1
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["redactions"] > 20  # the comments really were redacted …
        data = pd.read_csv(folder / "cleaned.csv", encoding="utf-8-sig")
        assert data.apply(lambda s: s.astype(str).str.contains(r"\[手机号\]|\[姓名\]|\[邮箱\]").any()).any()
        assert summary["pii_columns_dropped"]  # … and the name / phone / IP columns dropped
    assert checked == 10


def test_the_planting_is_detectable_without_redaction(planted):
    """Control: the same check does find the values in the raw exports."""
    raw = pd.read_excel(planted["files"]["graduate"], header=None, engine="calamine").astype(str).to_csv()
    found = _leaks(raw, planted["pii"])
    assert len(found) >= len(planted["pii"]) - 2


def _pdf_text(p: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(p)).pages)


def _docx_text(p: Path) -> str:
    import docx

    doc = docx.Document(str(p))
    parts = [para.text for para in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    for s in doc.sections:
        parts.extend(para.text for para in s.header.paragraphs)
        parts.extend(para.text for para in s.footer.paragraphs)
    return "\n".join(parts)


def _xlsx_text(p: Path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(p)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)


@pytest.mark.slow
def test_report_in_every_format_has_no_pii(planted):
    import html as html_mod

    from survey_analysis.report.build import build_report

    f = planted["files"]
    out = planted["dir"] / "report"
    paths = build_report(employer=f["employer"], graduates=[f["graduate"]], population=f["roster"],
                         out_dir=out, charts=False)
    texts = {
        "pdf": _pdf_text(paths["pdf"]),
        "docx": _docx_text(paths["docx"]),
        "xlsx": _xlsx_text(paths["xlsx"]),
        # the text a reader sees: without the <wbr> line-break hints between words
        "html": html_mod.unescape(paths["html"].read_text(encoding="utf-8").replace("<wbr>", "")),
    }
    for fmt, text in texts.items():
        assert len(text) > 2000, fmt  # text really was extracted
        assert _leaks(text, planted["pii"]) == [], fmt
    # the findings tables themselves (what notebooks show) carry no PII either
    fnd = paths["findings"]
    for name in ("employer_skills", "competencies", "warnings"):
        obj = getattr(fnd, name, None)
        if isinstance(obj, pd.DataFrame):
            assert _leaks(obj.to_csv(), planted["pii"]) == [], name


# -- notebook 01 on the planted files ------------------------------------------------------
@pytest.fixture(scope="module")
def notebook01(planted):
    import os
    import shutil

    import papermill as pm

    before = os.environ.get("SURVEY_ANALYSIS_KEY")
    os.environ["SURVEY_ANALYSIS_KEY"] = "k"  # the notebooks read the key from the environment, never a parameter

    d = planted["dir"]
    repo = Path(__file__).resolve().parents[2]
    shutil.copy(repo / "data" / "config.yaml", d / "config.yaml")  # the generator's school
    out = d / "nb01.ipynb"
    f = planted["files"]
    pm.execute_notebook(str(repo / "notebooks" / "01_read_and_clean.ipynb"), str(out),
                        parameters=dict(DATA_DIR=str(d), EMPLOYER=f["employer"].name, GRADUATES=[f["graduate"].name],
                                        ROSTER=f["roster"].name, CONFIG="config.yaml"),
                        kernel_name="python3", cwd=str(repo / "notebooks"), progress_bar=False)
    if before is None:
        os.environ.pop("SURVEY_ANALYSIS_KEY", None)
    else:
        os.environ["SURVEY_ANALYSIS_KEY"] = before
    nb = json.loads(out.read_text(encoding="utf-8"))
    cells = []
    for c in nb["cells"]:
        if c["cell_type"] != "code":
            continue
        text = ""
        for o in c.get("outputs", []):
            text += "".join(o.get("text", ""))
            for mime, v in (o.get("data") or {}).items():
                if mime.startswith("text/"):
                    text += "".join(v) if isinstance(v, list) else v
        cells.append(("".join(c["source"]), text))
    return cells


_RAW_CODEBOOK = "raw.codebook.to_frame("


@pytest.mark.slow
def test_notebook01_outputs_have_no_pii(notebook01, planted):
    shown = [(src, text) for src, text in notebook01 if _RAW_CODEBOOK not in src]
    assert sum(len(t) for _, t in shown) > 5000  # the notebook really ran and showed tables
    for src, text in shown:
        assert _leaks(text, planted["pii"]) == [], src[:80]


@pytest.mark.slow
def test_notebook01_raw_codebook_has_no_pii(notebook01, planted):
    cell = [text for src, text in notebook01 if _RAW_CODEBOOK in src]
    assert cell and _leaks(cell[0], planted["pii"]) == []
