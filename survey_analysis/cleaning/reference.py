"""Reference lists: GB/T 4754—2017 industry 门类 and the 本科专业目录 subset (``resources/``)."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from ..spec import norm_label

__all__ = ["industry_lookup", "major_lookup", "lookup_industry", "lookup_major"]


def _read_resource_csv(name: str) -> pd.DataFrame:
    with resources.files("survey_analysis").joinpath("resources", name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def _catalogue(name: str, code_col: str) -> dict:
    """Normalised name / alias / code → (code, official name) for a reference list in resources/."""
    out = {}
    for r in _read_resource_csv(name).to_dict("records"):
        entry = (r[code_col], r["name"])
        out[norm_label(r["name"])] = entry
        out[r[code_col].lower()] = entry
        for a in filter(None, r["aliases"].split(";")):
            out.setdefault(norm_label(a), entry)
    return out


@lru_cache(maxsize=1)
def industry_lookup() -> dict:
    """Normalised name / alias / letter → (letter, official name) for GB/T 4754—2017 门类."""
    return _catalogue("industries.csv", "letter")


@lru_cache(maxsize=1)
def major_lookup() -> dict:
    """Normalised major name / alias / code → (code, official name) from the 本科专业目录 subset."""
    return _catalogue("majors.csv", "code")


def lookup_industry(value) -> tuple | None:
    if value is None:
        return None
    key = norm_label(value)
    tab = industry_lookup()
    if key in tab:
        return tab[key]
    m = re.match(r"^([A-Ta-t])\s*[.、:：\s]", str(value).strip())
    if m:
        return tab.get(m.group(1).lower())
    for k, v in tab.items():  # "C制造业" / "制造业（汽车）"
        if len(k) >= 2 and (k in key):
            return v
    return None


def lookup_major(value) -> tuple | None:
    if value is None:
        return None
    key = norm_label(value)
    key = re.sub(r"专业$", "", key)
    tab = major_lookup()
    return tab.get(key)
