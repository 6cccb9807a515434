"""Employer-name normalisation: the same employer written several ways counts once."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

import pandas as pd

__all__ = ["normalize_employer", "merge_employers"]

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
