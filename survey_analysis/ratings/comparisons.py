"""Do groups (majors, colleges, industries) differ on a rating?

* ``kind="rating"``: Kruskal–Wallis H test on the scores; effect size ε² = H / (n − 1)
  (Tomczak & Tomczak 2014).  Weighted: H / deff with Kish's design effect
  (:func:`survey_analysis.stats.kruskal`, computed by :func:`survey_analysis.stats.group_tests`).
* ``kind="share"``: Pearson's chi-square test of groups × satisfied / not (no continuity
  correction); effect size Cramér's V (:func:`survey_analysis.stats.chi_square`, likewise).

Only the groups a table may show take part: for each item the groups hidden on its base
(:func:`~survey_analysis.ratings.common.item_base`, the same base and so the same hidden groups as
the competency table) are left out of the test and named — never with their n.  The test's n is
then the sum of shown groups' n, so it gives nothing away either.  ``p_adj`` is the
Benjamini–Hochberg adjustment over every test in the table.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from ..design import Design
from ..errors import ConfigError
from ..stats import bh_adjust, group_means, group_shares, group_tests, protect, weights_of
from .common import finish, grouping, item_base
from .scales import coerce_ratings, competency_labels, item_label, top_box_of

__all__ = ["compare_groups", "COMPARISON_COLUMNS"]

COMPARISON_COLUMNS = ["by", "item", "label", "test", "n", "n_groups", "statistic", "dof", "p", "p_value", "p_adj",
                      "effect", "effect_size", "excluded_groups", "note"]


def _test(kind: str, codes, x, w, top: float, row: dict) -> None:
    """Fill ``row`` with the test on the rows given (already restricted to shown groups)."""
    if kind == "rating":
        if len(x) == 0 or np.ptp(x) == 0:
            row["note"] = "所有评价相同，无法检验"
            return
        h, dof, p, eps = group_tests(codes, x, "continuous", w)[0]
        row.update(statistic=h, dof=dof, p=p, effect_size=eps)
        return
    hit = x >= top
    if hit.all() or not hit.any():
        row["note"] = "所有组都满意或都不满意，无法检验"
        return
    chi2, dof, p, v = group_tests(codes, hit.astype(np.intp), "categorical", w)[0]
    row.update(statistic=chi2, dof=dof, p=p, effect_size=v)


def _one(ix, level: str, b: str, item: str, data, w, design: Design, kind: str, top: float, labels) -> tuple:
    """The test row, the per-group records and the note of one item by one group column."""
    x = data[item].to_numpy(dtype=float)
    hidden = protect(ix, ix.count(item_base(data, item, w)), design.min_cell)
    pos = ix.positions(level)
    codes = ix.codes[level]
    in_group = codes >= 0
    take = in_group & ~np.isnan(x) & ~hidden[np.where(in_group, codes, 0)]
    if w is not None:
        take &= w > 0
    shown = pos[~hidden[pos]]
    dropped = [str(g) for g in ix.table["group"].to_numpy()[pos[hidden[pos]]]]
    label = item_label(item, labels)
    row = {"by": b, "item": item, "label": label, "test": "kruskal" if kind == "rating" else "chi2",
           "n": int(take.sum()), "n_groups": int(len(shown)), "statistic": np.nan, "dof": np.nan, "p": np.nan,
           "effect": "epsilon_sq" if kind == "rating" else "cramers_v", "effect_size": np.nan,
           "excluded_groups": "、".join(dropped), "note": ""}
    note = None
    if dropped:
        note = (f"「{label}」按「{b}」比较时，以下组未参与检验（有效评价少于 {design.min_cell} 份，"
                f"或为防止由合计推算出小组而一并隐藏）：{'、'.join(dropped)}。")
    if len(shown) < 2:
        row["note"] = f"可显示（有效评价不少于 {design.min_cell} 份）的组不足两个，无法比较"
    else:
        _, compact = np.unique(codes[take], return_inverse=True)  # groups numbered 0 … G−1
        _test(kind, compact, x[take], None if w is None else w[take], top, row)
    m = group_means(ix, x, w, conf=design.conf)
    s = group_shares(ix, np.where(np.isnan(x), np.nan, x >= top), w, conf=design.conf)
    groups = [{"by": b, "item": item, "group": str(ix.table["group"].iat[k]),
               "n": None if hidden[k] else int(m.n[k]),
               "mean": None if hidden[k] else float(m.mean[k]),
               "share": None if hidden[k] else float(s.share[k]),
               "included": bool(not hidden[k] and len(shown) >= 2)} for k in pos]
    return row, groups, note


def compare_groups(
    df: pd.DataFrame,
    items: Sequence[str] | None,
    by: str | Sequence[str],
    design: Design | None = None,
    *,
    kind: str = "rating",
    satisfied: str | None = None,
    min_cell: int | None = None,
    scale=None,
) -> pd.DataFrame:
    """Do groups (majors, colleges, industries) differ on each item?

    Parameters
    ----------
    df : DataFrame
    items : list of str or None
        Rating columns (default: every ``sat__*`` column).
    by : str or list of str
        Group column(s) (``"major"``, ``"college"``, ``"industry"`` …); each is tested
        separately.
    design : Design, optional
        Weights, group columns, top-box rule, ``min_cell``; default ``Design()``.
    kind : {"rating", "share"}, default "rating"
        Kruskal–Wallis on the scores, or chi-square on satisfied / not (see the module).
    satisfied, min_cell : optional
        Override the design's top-box rule and small-cell threshold.
    scale : optional
        Answer scale for text in the items.

    Returns
    -------
    DataFrame
        ``by, item, label, test, n, n_groups, statistic, dof, p, p_value`` (= ``p``), ``p_adj,
        effect, effect_size, excluded_groups`` (names only), ``note``.  ``attrs["groups"]``: per
        group ``by, item, group, n, mean, share, included`` as records (``n``, ``mean`` and
        ``share`` are ``None`` for a hidden group); ``attrs["notes"]``, ``attrs["problems"]``.

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 5 + ["乙"] * 5, "sat__a": [5, 5, 4, 5, 4, 2, 3, 2, 1, 3.0]})
    >>> t = compare_groups(d, ["sat__a"], "major")
    >>> t[["test", "n", "n_groups"]].values.tolist()
    [['kruskal', 10, 2]]
    """
    if kind not in ("rating", "share"):
        raise ConfigError("未知的比较类型", expected="rating（评分）或 share（满意比例）", found=kind)
    d = Design.resolve(design, satisfied=satisfied, min_cell=min_cell)
    bys = [by] if isinstance(by, str) else list(by)
    if items is None:
        items = [c for c in df.columns if isinstance(c, str) and c.startswith("sat__")]
    items = list(items)
    if not df.index.is_unique:
        df = df.reset_index(drop=True)
    prep = coerce_ratings(df, items, scale=scale)
    top = top_box_of(d, scale)
    w = weights_of(df, d)
    labels = competency_labels("employer")
    rows, grows, notes = [], [], []
    for b in bys:
        grp = grouping(df, d, b)
        level = grp.shown[-1]
        for item in items:
            row, groups, note = _one(grp.index, level, b, item, prep.data, w, d, kind, top, labels)
            rows.append(row)
            grows.extend(groups)
            if note:
                notes.append(note)
    table = pd.DataFrame(rows, columns=[c for c in COMPARISON_COLUMNS if c not in ("p_value", "p_adj")])
    table["p_value"] = table["p"]
    table["p_adj"] = bh_adjust(table["p"].to_numpy(dtype=float))
    table = table[COMPARISON_COLUMNS]
    return finish(table, prep, notes, groups=grows, kind=kind, satisfied=d.satisfied, min_cell=d.min_cell,
                  alpha=d.alpha, weighted=w is not None)
