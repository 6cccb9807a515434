"""Fixtures for the sample-data tests: the shipped files, read independently of the generator."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
QDIR = ROOT / "survey_analysis" / "resources" / "questionnaires"

PLACED = ["在国内工作", "自主创业", "自由职业", "在国内求学", "出国/出境"]
EMPLOYED = ["在国内工作", "自主创业", "自由职业"]


def _yaml(name):
    return yaml.safe_load((QDIR / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gq():
    return _yaml("graduate")


@pytest.fixture(scope="session")
def eq():
    return _yaml("employer")


@pytest.fixture(scope="session")
def scales():
    return _yaml("scales")


@pytest.fixture(scope="session")
def facts():
    return json.loads((DATA / "truth" / "facts.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def etruth():
    return pd.read_csv(DATA / "truth" / "employer_comment_truth.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def cases():
    return pd.read_csv(DATA / "truth" / "cleaning_cases.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def employer_raw():
    return pd.read_excel(DATA / "raw" / "employer_2025_wjx_text.xls", engine="calamine", dtype=str,
                         keep_default_na=False)


@pytest.fixture(scope="session")
def grad2025_raw():
    return pd.read_excel(DATA / "raw" / "graduate_2025_wjx_numeric.xls", engine="calamine")


@pytest.fixture(scope="session")
def grad2024_raw():
    return pd.read_excel(DATA / "raw" / "graduate_2024_vendor.xlsx", engine="calamine", header=None,
                         dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def grad2023_raw():
    return pd.read_csv(DATA / "raw" / "graduate_2023_gbk.csv", encoding="gb18030", dtype=str,
                       keep_default_na=False)


def _by_text(gq, df, header_of):
    """Map a label table to {field: Series} using ``header_of(question)``."""
    out = {}
    for q in gq["questions"]:
        if q["type"] == "matrix":
            continue
        out[q["field"]] = df[header_of(q)]
    return pd.DataFrame(out)


@pytest.fixture(scope="session")
def grad_labels(gq, grad2025_raw, grad2024_raw, grad2023_raw):
    """destination / major / job_changes as labels for each cohort (every row of the file)."""
    q = {x["field"]: x for x in gq["questions"] if "field" in x}

    def decode(field):
        col = f"{q[field]['number']}、{q[field]['text']}"
        codes = grad2025_raw[col]
        opts = q[field]["options"]
        return codes.map(lambda c: opts[int(c) - 1] if c > 0 else None)

    g25 = pd.DataFrame({f: decode(f) for f in ("destination", "major", "job_changes")})
    g25["序号"] = grad2025_raw["序号"].astype(int)
    v = grad2024_raw.iloc[2:].reset_index(drop=True)
    v.columns = list(grad2024_raw.iloc[0])
    g24 = pd.DataFrame({f: v[q[f]["code"]].replace("", None) for f in ("destination", "major", "job_changes")})
    g24["序号"] = v["ID"].astype(int)
    c = grad2023_raw
    g23 = pd.DataFrame({f: c[q[f]["text"]].replace("", None) for f in ("destination", "major", "job_changes")})
    g23["序号"] = c["序号"].astype(int)
    return {2025: g25, 2024: g24, 2023: g23}
