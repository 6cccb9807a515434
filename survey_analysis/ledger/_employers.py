"""Employers: one name per employer (written several ways, counted once) and the key-employer
database (重点单位数据库, 教学厅函〔2022〕3号 六（三）「巩固并扩展重点单位数据库」)."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

import numpy as np
import pandas as pd

__all__ = ["normalize_employer", "merge_employers", "key_employers"]

# Words that end the name of a branch (分支机构) rather than of the employer itself.
_BRANCH = r"(?:分公司|子公司|分部|分行|支行|分店|办事处|分厂|营业部|分中心|分院|分所)"
# Words an employer's own name ends with, before a branch part.
_ORG_END = r"(?:公司|集团|银行|医院|中心|研究院|研究所|学校|学院|大学|局|厂)"
_BRACKET_BRANCH = re.compile(rf"\([^()]*{_BRANCH}\)$")
_PLAIN_BRANCH = re.compile(rf"^(.*{_ORG_END})[^()]{{0,10}}?{_BRANCH}$")
# Place names that come before a branch word when the employer's own name has no legal form
# ("华为南京分公司").  Provinces and large cities; a missed place only means a missed merge.
_PLACES = (
    "北京|天津|上海|重庆|河北|山西|内蒙古|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|广西|海南|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾|"
    "南京|苏州|无锡|常州|南通|扬州|镇江|徐州|杭州|宁波|温州|合肥|芜湖|武汉|长沙|广州|深圳|东莞|佛山|"
    "成都|西安|郑州|济南|青岛|厦门|福州|南昌|沈阳|大连|长春|哈尔滨|石家庄|太原|昆明|贵阳|南宁|兰州|"
    "华东|华南|华北|华中|西南|西北|东北"
)
# Without a place, 子公司 is not a branch word: "华强电子公司", "种子公司" are employers' own names.
_BRANCH_NO_ZI = _BRANCH.replace("子公司|", "")
_PLACE_BRANCH = re.compile(
    rf"^(.{{2,}}?)(?:(?:(?:{_PLACES})(?:省|市|区|地区)?){_BRANCH}|{_BRANCH_NO_ZI})$"
)
_LEGAL_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|股份公司|集团公司|责任公司|公司)$")
_GROUP = re.compile(r"\(集团\)|集团$")
_DROP = re.compile(r"[\s\u3000·•・'\"“”‘’《》「」『』]+")


def _basic(name: object) -> str:
    """NFKC (full-width → half-width brackets, letters, digits), no spaces or quotes."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    s = unicodedata.normalize("NFKC", str(name))
    s = s.replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")
    s = s.replace("[", "(").replace("]", ")")
    return _DROP.sub("", s).strip()


def _has_branch(basic: str) -> bool:
    return bool(
        _BRACKET_BRANCH.search(basic) or _PLAIN_BRANCH.match(basic) or _PLACE_BRANCH.match(basic)
    )


def normalize_employer(name: object) -> str:
    """Return the matching key of an employer name.

    Two names with the same key are taken to be the same employer.  The key is built by:
    Unicode NFKC (full-width brackets, letters and digits become half-width), removing spaces,
    middle dots and quotes; removing a branch part at the end -- ``（南京分公司）``,
    ``南京分公司``, ``分部``, ``分行``, ``支行``, ``办事处`` … after the employer's own name;
    removing the legal-form suffix (``股份有限公司``, ``有限责任公司``, ``有限公司``, ``公司``)
    and ``集团`` / ``（集团）``; lower-casing Latin letters.  The key is for matching only;
    :func:`merge_employers` chooses a readable name for each group.

    Parameters
    ----------
    name : str
        An employer name as written in a ledger or survey.

    Returns
    -------
    str
        The key; ``""`` for a missing or empty name.

    Examples
    --------
    >>> normalize_employer("江苏恒信科技有限责任公司（南京分公司）")
    '江苏恒信科技'
    >>> normalize_employer("江苏 恒信科技股份有限公司") == normalize_employer("江苏恒信科技有限公司")
    True
    """
    s = _basic(name)
    if not s:
        return ""
    # branch part (possibly written twice, e.g. "X公司南京分公司（营业部）")
    for _ in range(2):
        new = _BRACKET_BRANCH.sub("", s)
        m = _PLAIN_BRANCH.match(new) or _PLACE_BRANCH.match(new)
        if m:
            new = m.group(1)
        if new == s or not new:
            break
        s = new
    # legal form and group words, repeatedly: "华润（集团）有限公司" → "华润"
    while True:
        new = _LEGAL_SUFFIX.sub("", s)
        new = _GROUP.sub("", new)
        if new == s or not new:
            break
        s = new
    return s.lower()


def merge_employers(names: Iterable[object]) -> tuple[dict, pd.DataFrame]:
    """Group employer names that are the same employer and choose one name for each.

    Parameters
    ----------
    names : iterable of str
        Employer names as written (repeats allowed: each occurrence is one record).

    Returns
    -------
    mapping : dict
        Each distinct written name (stripped) → the standard name of its group.  Missing or
        empty names are not in the mapping.
    merges : DataFrame
        One row per group written in more than one way, with columns ``employer`` (the
        standard name), ``key`` (from :func:`normalize_employer`), ``variants`` (the written
        forms joined by ``"；"``), ``n_variants`` and ``n_records``.  The standard name is the
        written form used most often among those without a branch part (ties: the first seen).

    Examples
    --------
    >>> mapping, merges = merge_employers(["恒信科技有限公司", "恒信科技有限责任公司", "恒信科技有限公司"])
    >>> mapping["恒信科技有限责任公司"]
    '恒信科技有限公司'
    >>> int(merges["n_variants"].iloc[0])
    2
    """
    counts: dict[str, int] = {}
    order: dict[str, int] = {}
    for raw in names:
        if raw is None or (not isinstance(raw, str) and pd.isna(raw)):
            continue
        s = str(raw).strip()
        if not s:
            continue
        counts[s] = counts.get(s, 0) + 1
        order.setdefault(s, len(order))
    groups: dict[str, list[str]] = {}
    for s in order:
        key = normalize_employer(s)
        if not key:
            continue
        groups.setdefault(key, []).append(s)
    mapping: dict[str, str] = {}
    rows = []
    for key, variants in groups.items():
        best = min(variants, key=lambda v: (_has_branch(_basic(v)), -counts[v], order[v]))
        for v in variants:
            mapping[v] = best
        if len(variants) > 1:
            rows.append(
                {
                    "employer": best,
                    "key": key,
                    "variants": "；".join(variants),
                    "n_variants": len(variants),
                    "n_records": sum(counts[v] for v in variants),
                }
            )
    merges = pd.DataFrame(rows, columns=["employer", "key", "variants", "n_variants", "n_records"])
    merges = merges.sort_values(["n_variants", "n_records"], ascending=False, kind="stable")
    return mapping, merges.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# the key-employer database
# --------------------------------------------------------------------------------------------
def _group_mode(df: pd.DataFrame, by: str, col: str) -> pd.Series:
    """The most frequent non-empty value of ``col`` per ``by`` group (ties: first seen)."""
    s = df[[by, col]].dropna()
    s = s[s[col].astype(str).str.strip() != ""]
    k = s.groupby([by, col], sort=False).size().reset_index(name="_k")
    k = k.sort_values("_k", ascending=False, kind="stable").drop_duplicates(by)
    return k.set_index(by)[col]


def key_employers(
    visits: pd.DataFrame,
    demand: pd.DataFrame | None = None,
    graduates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The key-employer database (重点单位数据库): employers ranked by what they bring.

    Ranked by positions offered (visit ledger 提供岗位数), then demand headcount, then
    graduates hired, then visits, recruitment events and internship bases.

    Parameters
    ----------
    visits : DataFrame
        Counted visits with ``employer_std``.
    demand : DataFrame, optional
        Demand ledger with ``employer_std``.
    graduates : DataFrame, optional
        From :func:`read_graduates` with ``employer_std``; the ``graduates_hired`` column is
        present only if it named employers.

    Returns
    -------
    DataFrame
        rank, employer, employer_type, industry, region, visits, n_universities,
        universities, n_leaders, positions, internship_base, recruitment_events,
        demand_rows, demand_headcount, [graduates_hired], repeat_cooperation, first_visit,
        last_visit.
    """
    from ._progress import with_std

    v = with_std(visits)
    v = v[v["counted"]]
    g = v.groupby("employer_std", sort=False)
    pairs = v.drop_duplicates(["employer_std", "university", "leader"])
    unis = v.dropna(subset=["university"]).drop_duplicates(["employer_std", "university"])
    base = pd.DataFrame({
        "employer_type": _group_mode(v, "employer_std", "employer_type"),
        "industry": _group_mode(v, "employer_std", "industry"),
        "region": _group_mode(v, "employer_std", "region"),
        "visits": g.size(),
        "n_universities": unis.groupby("employer_std").size(),
        "universities": unis.sort_values("university").groupby("employer_std")["university"].agg(
            lambda s: "、".join(map(str, s))),
        "n_leaders": pairs.dropna(subset=["leader"]).groupby("employer_std").size(),
        "positions": g["positions"].sum(),
        "internship_base": g["internship_base"].any(),
        "recruitment_events": g["recruitment_event"].sum(),
        "first_visit": g["date"].min(),
        "last_visit": g["date"].max(),
    })
    if demand is not None and len(demand):
        d = demand[demand["counted"] & demand["employer_std"].notna()]
        dg = d.groupby("employer_std")
        dem = pd.DataFrame({"demand_rows": dg.size(), "demand_headcount": dg["headcount"].sum(),
                            "d_region": _group_mode(d, "employer_std", "region")})
        base = base.join(dem, how="outer")
        base["region"] = base["region"].fillna(base.pop("d_region"))
    else:
        base["demand_rows"] = 0
        base["demand_headcount"] = 0.0
    has_grad = graduates is not None and graduates.attrs.get("has_employer", False)
    if has_grad:
        gg = graduates[graduates["employer_std"].notna()].groupby("employer_std")["n"].sum()
        base = base.join(gg.rename("graduates_hired"), how="left")
        base["graduates_hired"] = base["graduates_hired"].fillna(0.0)
    for c, fill in (("visits", 0), ("n_universities", 0), ("n_leaders", 0), ("positions", 0.0),
                    ("internship_base", False), ("recruitment_events", 0), ("demand_rows", 0),
                    ("demand_headcount", 0.0)):
        base[c] = base[c].fillna(fill)
    base["universities"] = base["universities"].fillna("")
    base["repeat_cooperation"] = (base["visits"] >= 2) | (base["n_universities"] >= 2)
    base.index.name = "employer"
    base = base.reset_index()
    keys = ["positions", "demand_headcount"] + (["graduates_hired"] if has_grad else []) + [
        "visits", "recruitment_events", "internship_base"]
    base = base.sort_values(keys + ["employer"], ascending=[False] * len(keys) + [True],
                            kind="stable").reset_index(drop=True)
    base.insert(0, "rank", np.arange(1, len(base) + 1))
    cols = ["rank", "employer", "employer_type", "industry", "region", "visits",
            "n_universities", "universities", "n_leaders", "positions", "internship_base",
            "recruitment_events", "demand_rows", "demand_headcount"]
    cols += (["graduates_hired"] if has_grad else []) + ["repeat_cooperation", "first_visit",
                                                          "last_visit"]
    out = base[cols].copy()
    for c in ("visits", "n_universities", "n_leaders", "recruitment_events", "demand_rows"):
        out[c] = out[c].astype(int)
    out["internship_base"] = out["internship_base"].astype(bool)
    return out
