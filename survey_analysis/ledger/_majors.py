"""Majors: matching majors written in ledgers (名称、别名、代码) to 本科专业目录 codes, and the
demand ledger against the graduates of each major (教学厅函〔2022〕3号 六（三）「建立用人单位需求台账」)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ._rules import ActionRules

__all__ = ["split_majors", "match_major", "supply_demand", "UNRESTRICTED", "UNSPECIFIED"]

UNRESTRICTED = "不限专业"
UNSPECIFIED = "未注明专业"
_UNRESTRICTED_WORDS = {"不限", "专业不限", "不限专业", "无要求", "无", "均可", "所有专业", "任意专业", "无专业要求"}
_SPLIT = re.compile(r"[、，,;；/|\n\s]+")
_CODE = re.compile(r"^\d{6}[TK]{0,2}$")
_TRIM = ("等相关专业", "相关专业", "等专业", "专业", "相关", "等", "类", "方向")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", str(s))
    return re.sub(r"\s+", "", s).strip("()（）.。")


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict, dict]:
    with resources.files("survey_analysis.resources").joinpath("majors.csv").open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    by_text: dict[str, tuple[str, str]] = {}
    by_code: dict[str, tuple[str, str]] = {}
    for code, name, aliases in zip(table["code"], table["name"], table["aliases"]):
        by_code[code] = (code, name)
        by_code.setdefault(code.rstrip("TK"), (code, name))
        by_text.setdefault(_norm(name), (code, name))
    for code, name, aliases in zip(table["code"], table["name"], table["aliases"]):
        for a in str(aliases).split(";"):
            if a.strip():
                by_text.setdefault(_norm(a), (code, name))  # a name always wins over an alias
    return by_text, by_code


def split_majors(text) -> list[str]:
    """Split a 需求专业 cell on 、 ， , ； / and spaces (never on 与/及, which are in names).

    Examples
    --------
    >>> split_majors("计算机科学与技术、软件工程，电气工程及其自动化")
    ['计算机科学与技术', '软件工程', '电气工程及其自动化']
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return []
    return [t for t in (_norm(p) for p in _SPLIT.split(unicodedata.normalize("NFKC", str(text)))) if t]


def match_major(token) -> tuple[str, str] | None:
    """``(专业代码, 专业名称)`` for a major written by name, alias or code; ``None`` if unknown.

    ``("", "不限专业")`` for 不限 / 专业不限 / 无要求.

    Examples
    --------
    >>> match_major("计算机类")
    ('080901', '计算机科学与技术')
    >>> match_major("大数据")
    ('080910T', '数据科学与大数据技术')
    """
    by_text, by_code = _lookup()
    s = _norm(token)
    if not s:
        return None
    if s in _UNRESTRICTED_WORDS:
        return ("", UNRESTRICTED)
    if _CODE.match(s.upper()):
        return by_code.get(s.upper())
    for _ in range(4):
        if s in by_text:
            return by_text[s]
        if s in _UNRESTRICTED_WORDS:
            return ("", UNRESTRICTED)
        for suf in _TRIM:
            if s.endswith(suf) and len(s) > len(suf):
                s = s[: -len(suf)]
                break
        else:
            break
    return by_text.get(s)


# --------------------------------------------------------------------------------------------
# demand and supply by major
# --------------------------------------------------------------------------------------------
def _fmt1(x: float) -> str:
    """One decimal, halves rounded up (0.25 → 0.3), as people round."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(float(x))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _balance(ratio, demand, supply, bands):
    """供不应求 / 供过于求 / 供需基本平衡 (or missing when there is no supply figure)."""
    lo, hi = bands
    if supply is None or pd.isna(supply):
        return pd.NA
    if supply == 0:
        return "供不应求" if demand > 0 else pd.NA
    return "供不应求" if ratio > hi else ("供过于求" if ratio < lo else "供需基本平衡")


def _reading(ratio, demand, supply, bands) -> str:
    lo, hi = bands
    if supply is None or pd.isna(supply):
        return "未提供毕业生人数，无法计算供需比"
    if supply == 0:
        return "有需求，本校无该专业毕业生" if demand > 0 else "无需求、无毕业生"
    txt = f"需求/供给 = {_fmt1(ratio)}，"
    if ratio > hi:
        return txt + "供不应求"
    if ratio < lo:
        return txt + ("供过于求（台账中无需求）" if demand == 0 else "供过于求")
    return txt + "供需基本平衡"


def supply_demand(demand: pd.DataFrame, graduates: pd.DataFrame | None = None, *,
                  rules: ActionRules | None = None, **overrides) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Headcount employers ask for per major against the graduates of each major.

    Parameters
    ----------
    demand : DataFrame
        ``read_demand(...).data``; only counted rows are used.
    graduates : DataFrame, optional
        From :func:`~survey_analysis.ledger.read_graduates` (the school's roster, or graduates
        per major).  Without it the supply column is empty.
    rules : ActionRules, optional
        ``allocate`` ("split": a row asking for *n* people from *k* majors gives each *n/k*,
        totals kept; "full": *n* each -- how many openings each major may apply for) and
        ``ratio_bands`` (above ``high``: 供不应求; below ``low``: 供过于求).
    **overrides
        Fields of :class:`ActionRules` (``allocate``, ``ratio_bands``).

    Returns
    -------
    table : DataFrame
        major_code, major, offered (the school has graduates of the major; missing without
        graduates), demand_rows, demand_headcount, supply, ratio, balance (供不应求 / 供过于求 /
        供需基本平衡, for rules), reading (the plain sentence).  The school's majors first (by
        demand), then majors employers ask for that the school does not have, then 不限专业
        and 未注明专业.
    unmatched : DataFrame
        Majors that could not be matched to 专业代码: token, source (需求台账 / 毕业生),
        rows, headcount.

    Examples
    --------
    >>> d = pd.DataFrame({"majors": ["计算机、软件工程"], "headcount": [10.0], "counted": [True]})
    >>> g = pd.DataFrame({"major": ["计算机科学与技术"], "n": [2.0]})
    >>> t, _ = supply_demand(d, g)
    >>> t.loc[0, "reading"]
    '需求/供给 = 2.5，供不应求'
    """
    rules = ActionRules.resolve(rules, **overrides)
    unmatched: dict[tuple, list] = {}
    dem = _demand_by_major(demand[demand["counted"]], rules.allocate, unmatched)
    sup = None if graduates is None else _supply_by_major(graduates, unmatched)
    rows = []
    for k in list(dem) + [k for k in (sup or {}) if k not in dem]:
        code, name = k
        drows, dh = dem.get(k, [0, 0.0])
        if not code:
            reading = ("需求台账未注明专业，未分配到具体专业" if name == UNSPECIFIED
                       else "不限定专业的需求，未分配到具体专业")
            rows.append({"major_code": pd.NA, "major": name, "offered": pd.NA, "demand_rows": drows,
                         "demand_headcount": dh, "supply": np.nan, "ratio": np.nan, "balance": pd.NA,
                         "reading": reading})
            continue
        s = np.nan if sup is None else sup.get(k, 0.0)
        ratio = dh / s if s == s and s > 0 else np.nan
        rows.append({"major_code": code, "major": name, "offered": pd.NA if sup is None else s > 0,
                     "demand_rows": drows, "demand_headcount": dh, "supply": s, "ratio": ratio,
                     "balance": _balance(ratio, dh, s, rules.ratio_bands),
                     "reading": _reading(ratio, dh, s, rules.ratio_bands)})
    table = pd.DataFrame(rows, columns=["major_code", "major", "offered", "demand_rows", "demand_headcount",
                                        "supply", "ratio", "balance", "reading"])
    table["balance"] = table["balance"].astype("string")
    table["offered"] = table["offered"].astype("boolean")
    rank = np.where(table["major_code"].isna(), 2, np.where(table["offered"].fillna(True), 0, 1))
    table = table.assign(_rank=rank).sort_values(["_rank", "demand_headcount", "supply"],
                                                 ascending=[True, False, False], kind="stable")
    table = table.drop(columns="_rank").reset_index(drop=True)
    um = pd.DataFrame([{"token": t, "source": s, "rows": r, "headcount": h}
                       for (t, s), (r, h) in unmatched.items()], columns=["token", "source", "rows", "headcount"])
    um = um.sort_values(["source", "headcount"], ascending=[False, False], kind="stable")
    return table, um.reset_index(drop=True)


def _demand_by_major(d: pd.DataFrame, allocate: str, unmatched: dict) -> dict:
    """``(code, name) → [rows, headcount]`` over counted demand rows (unmatched tokens aside)."""
    dem: dict[tuple, list] = {}
    for majors, h in zip(d["majors"], d["headcount"]):
        h = 0.0 if pd.isna(h) else float(h)
        tokens = split_majors(None if pd.isna(majors) else majors)
        if not tokens:
            acc = dem.setdefault(("", UNSPECIFIED), [0, 0.0])
            acc[0] += 1
            acc[1] += h
            continue
        share = h / len(tokens) if allocate == "split" else h
        seen = set()
        for t in tokens:
            m = match_major(t)
            if m is None:
                acc = unmatched.setdefault((t, "需求台账"), [0, 0.0])
            else:
                if m in seen:
                    continue
                seen.add(m)
                acc = dem.setdefault(m, [0, 0.0])
            acc[0] += 1
            acc[1] += share
    return dem


def _supply_by_major(graduates: pd.DataFrame, unmatched: dict) -> dict:
    """``(code, name) → graduates``; majors not in the catalogue go to ``unmatched``."""
    sup: dict[tuple, float] = {}
    for major, n in zip(graduates["major"], graduates["n"]):
        if pd.isna(major) or pd.isna(n):
            continue
        m = match_major(major)
        if m is None or m[0] == "":
            acc = unmatched.setdefault((str(major), "毕业生"), [0, 0.0])
            acc[0] += 1
            acc[1] += float(n)
            continue
        sup[m] = sup.get(m, 0.0) + float(n)
    return sup
