"""Subtraction attacks on every grouped table ratings returns (issue 15), weighted and unweighted.

A reader holds the published tables: the competency table, the IPA table and the group
comparisons (their per-group records and test rows), with the school, college and major rows.
The attacks tried:

* total minus the shown parts, for every total that is shown (school = Σ colleges = Σ majors,
  college = Σ its majors), on every count column and on the additive part of every mean;
* the linear-algebra audit of ``tests/stats/test_disclosure.py``: a hidden cell is exposed when
  its unit vector lies in the row space of the totals' equations restricted to hidden cells;
* across tables on the same base: the groups hidden for a competency must be the same in the
  competency table, the IPA table and the comparison of its satisfaction by major;
* the notes: a hidden group is named, never with its n; a test's n adds only shown groups.

The additive structure and the true group sizes are computed here from the data with pandas,
independently of the kernel's GroupIndex.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from survey_analysis.design import Design
from survey_analysis.ratings import compare_groups, competency_summary, ipa

MIN_CELL = 5
COMPS = ["practice", "communication", "office"]
LAYOUT = {"经管学院": {"会计学": 40, "金融学": 3, "电子商务": 25},
          "理学院": {"数学": 2, "物理": 30},
          "艺术学院": {"美术": 4},
          "工学院": {"机械": 50, "土木": 45, "化工": 7}}


def _frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for college, majors in LAYOUT.items():
        for major, n in majors.items():
            for _ in range(n):
                rows.append({"college": college, "major": major,
                             "industry": rng.choice(["制造业", "金融业", "教育", "建筑业"], p=[.5, .3, .17, .03])})
    d = pd.DataFrame(rows)
    for c in COMPS:
        d[f"imp__{c}"] = rng.integers(2, 6, len(d)).astype(float)
        d[f"sat__{c}"] = rng.integers(1, 6, len(d)).astype(float)
        miss = rng.random(len(d)) < (0.05 if c != "office" else 0.3)
        d.loc[miss, f"sat__{c}"] = np.nan
        d.loc[rng.random(len(d)) < 0.05, f"imp__{c}"] = np.nan
    d["w"] = rng.gamma(3.0, 0.5, len(d))
    d.loc[rng.random(len(d)) < 0.04, "w"] = 0.0  # weighted: in no base
    return d


def _sets(t: pd.DataFrame) -> list:
    """(parent row, child rows) of the totals a reader sees, from the table's own columns."""
    lv, grp, col = t["level"].to_numpy(), t["group"].to_numpy(), t["college"].to_numpy()
    school = np.flatnonzero(lv == "school")
    colleges, majors = np.flatnonzero(lv == "college"), np.flatnonzero(lv == "major")
    out = []
    if len(school) and len(colleges):
        out.append((school[0], colleges))
    if len(school) and len(majors):
        out.append((school[0], majors))
    for c in colleges:
        kids = majors[col[majors] == grp[c]]
        if len(kids):
            out.append((c, kids))
    return out


def _true_n(d: pd.DataFrame, t: pd.DataFrame, base: pd.Series) -> np.ndarray:
    """Respondents in ``base`` per table row's group (school, college or major), by pandas."""
    out = []
    for lv, g in zip(t["level"], t["group"]):
        rows = base if lv == "school" else base[d[lv] == g]
        out.append(int(rows.sum()))
    return np.array(out)


def _attack(t: pd.DataFrame, n_true: np.ndarray, count: str, value_cols: list) -> list:
    """Every way the table gives away a cell of one base: ``count`` is its respondents column
    (blank where the base's cell is hidden), ``value_cols`` the estimates resting on it."""
    hidden = t[count].isna().to_numpy()
    problems = []
    # nothing of a hidden cell is printed
    if t.loc[hidden, value_cols].notna().to_numpy().any():
        problems.append(("printed", t.loc[hidden, "group"].tolist()))
    if not t.loc[hidden, "suppressed"].all():
        problems.append(("not flagged", t.loc[hidden, "group"].tolist()))
    small = (n_true > 0) & (n_true < MIN_CELL)
    if (small & ~hidden).any():
        problems.append(("small shown", t.loc[small & ~hidden, "group"].tolist()))
    sets = _sets(t)
    for parent, kids in sets:  # total minus the shown parts
        if hidden[parent]:
            continue
        h = kids[hidden[kids]]
        if len(h) == 1 or (len(h) >= 2 and n_true[h].sum() < MIN_CELL):
            problems.append(("subtraction", t["group"].iat[parent], t["group"].to_numpy()[h].tolist()))
        if len(h):  # the actual arithmetic on the printed counts
            left = float(t[count].iat[parent]) - float(t[count].to_numpy(dtype=float)[kids[~hidden[kids]]].sum())
            assert left == n_true[h].sum()
    H = np.flatnonzero(hidden)
    if len(H) and sets:  # rank audit
        M = np.zeros((len(sets), len(t)))
        for e, (parent, kids) in enumerate(sets):
            M[e, kids], M[e, parent] = 1.0, -1.0
        MH = M[:, H]
        r = np.linalg.matrix_rank(MH)
        for j, v in enumerate(H):
            unit = np.zeros(len(H))
            unit[j] = 1.0
            if np.linalg.matrix_rank(np.vstack([MH, unit])) == r:
                problems.append(("determined", t["group"].iat[v]))
    return problems


def _no_n_in_notes(notes, excluded, hidden_groups: dict):
    for name, n in hidden_groups.items():
        for text in list(notes) + list(excluded):
            if name in text:
                assert f"{name}（n=" not in text and f"「{name}」仅" not in text, text
                assert not re.search(rf"{re.escape(name)}\D{{0,3}}{n}\b", text), text
    for text in excluded:
        assert not re.search(r"\d", text), text


#: per base of a competency: (count column, estimates in the competency table, in the IPA table)
MEASURES = {
    "imp": ("n_imp", ["n_imp_na", "imp_mean", "imp_sd", "imp_ci_low", "imp_ci_high"],
            ["imp_mean", "imp_ci_low", "imp_ci_high", "quadrant"]),
    "sat": ("n_sat", ["n_sat_na", "sat_mean", "sat_sd", "sat_ci_low", "sat_ci_high", "n_satisfied", "sat_share",
                      "sat_share_ci_low", "sat_share_ci_high"],
            ["sat_mean", "sat_ci_low", "sat_ci_high", "sat_p_value", "sat_p_adj", "quadrant"]),
    # gap_flag is False (not blank) where it cannot be evaluated: it says nothing
    "pair": ("n_pair", ["gap", "gap_ci_low", "gap_ci_high", "n"], ["gap", "gap_ci_low", "gap_p_value", "n"]),
}


def _base(d: pd.DataFrame, code: str, measure: str, weighted: bool) -> pd.Series:
    cols = {"imp": [f"imp__{code}"], "sat": [f"sat__{code}"], "pair": [f"imp__{code}", f"sat__{code}"]}[measure]
    return d[cols].notna().all(axis=1) & ((d["w"] > 0) | (not weighted))


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("weighted", [False, True])
def test_every_grouped_table_resists_subtraction(seed, weighted):
    d = _frame(seed)
    design = Design(weight="w" if weighted else None, min_cell=MIN_CELL)
    summ = competency_summary(d, design, by=["college", "major"])
    ip = ipa(d, design, by=["college", "major"])
    assert summ.attrs["weighted"] is weighted
    n_hidden = 0
    for code in COMPS:
        for measure, (count, in_summary, in_ipa) in MEASURES.items():
            base = _base(d, code, measure, weighted)
            hidden = None
            for name, t, cols in (("summary", summ, in_summary), ("ipa", ip, in_ipa)):
                sub = t[t["competency"] == code].reset_index(drop=True)
                n_true = _true_n(d, sub, base)
                assert _attack(sub, n_true, count, cols) == [], (name, code, measure)
                shown = sub[count].notna().to_numpy()
                assert (sub.loc[shown, count].astype(int).to_numpy() == n_true[shown]).all()
                h = set(sub.loc[~shown, "group"])
                assert hidden is None or h == hidden, (name, code, measure)  # same base, same cells
                hidden = h
            n_hidden += len(hidden)
        # one row: suppressed when any of its bases is hidden
        sub = summ[summ["competency"] == code]
        assert (sub["suppressed"] == sub[["n_imp", "n_sat", "n_pair"]].isna().any(axis=1)).all()
    assert n_hidden  # the frame does have small cells
    hidden_n = {g: int((d["major"] == g).sum()) for g in ("金融学", "数学", "美术")}
    _no_n_in_notes(summ.attrs["notes"] + ip.attrs["notes"], [], hidden_n)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weighted", [False, True])
def test_comparisons_hide_what_the_competency_table_hides(seed, weighted):
    d = _frame(seed)
    design = Design(weight="w" if weighted else None, min_cell=MIN_CELL)
    items = [f"sat__{c}" for c in COMPS]
    cmp_ = compare_groups(d, items, ["major", "college", "industry"], design)
    groups = pd.DataFrame(cmp_.attrs["groups"])
    summ = competency_summary(d, design, by=["college", "major"])
    for code in COMPS:
        for by in ("major", "college"):
            g = groups[(groups["item"] == f"sat__{code}") & (groups["by"] == by)]
            in_table = summ[(summ["competency"] == code) & (summ["level"] == by)]
            assert sorted(g["group"]) == sorted(d[by].unique()) == sorted(in_table["group"])
            assert set(g.loc[g["n"].isna(), "group"]) == set(in_table.loc[in_table["n_sat"].isna(), "group"])
            # a shown group's n and mean are the competency table's
            both = g.dropna(subset=["n"]).merge(in_table, on="group")
            assert (both["n_x"].astype(int) == both["n_sat"].astype(int)).all()
            np.testing.assert_allclose(both["mean"].astype(float), both["sat_mean"].astype(float), rtol=1e-12)
            row = cmp_[(cmp_["by"] == by) & (cmp_["item"] == f"sat__{code}")].iloc[0]
            assert row["n"] == g.loc[g["included"], "n"].sum()  # the test's n adds shown groups only
    # industries: school = Σ industries; the attack on each item's industry table
    for item in items:
        g = groups[(groups["item"] == item) & (groups["by"] == "industry")].reset_index(drop=True)
        assert sorted(g["group"]) == sorted(d["industry"].unique())
        rated = d[item].notna() & ((d["w"] > 0) | (not weighted))
        t = pd.concat([pd.DataFrame({"level": ["school"], "group": ["全校"], "college": [np.nan],
                                     "n": [float(rated.sum())], "suppressed": [False]}),
                       g.assign(level="major", college=np.nan, suppressed=g["n"].isna())[
                           ["level", "group", "college", "n", "suppressed"]]], ignore_index=True)
        base = d[item].notna() & ((d["w"] > 0) | (not weighted))
        n_true = np.array([int(base.sum())] + [int(base[d["industry"] == x].sum()) for x in g["group"]])
        hidden = t["suppressed"].to_numpy()
        assert (n_true[1:][hidden[1:]] < MIN_CELL).any() or not hidden.any()
        assert not ((n_true[1:] > 0) & (n_true[1:] < MIN_CELL) & ~hidden[1:]).any()
        sets = [(0, np.arange(1, len(t)))]
        h = sets[0][1][hidden[1:]]
        assert len(h) != 1 and (len(h) == 0 or n_true[h].sum() >= MIN_CELL)
    hidden_n = {r["group"]: None for r in cmp_.attrs["groups"] if r["n"] is None}
    _no_n_in_notes(cmp_.attrs["notes"], cmp_["excluded_groups"].tolist(),
                   {g: int((d["major"] == g).sum()) for g in hidden_n if g in set(d["major"])})
