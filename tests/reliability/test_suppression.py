"""Small cells: a hidden group can be neither read nor worked out by subtraction from totals.

Complementary suppression lives in :func:`survey_analysis.privacy.suppress_small`
(``complementary=True, by=...``).  The attack tried here is the one a reader of a published
table can do by hand: total minus the groups shown.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.errors import ConfigError
from survey_analysis.privacy import suppress_small


def _attack(table: pd.DataFrame, total_n: float, total_count: float, members: pd.Series):
    """Total minus the shown members: returns (n, count) of what is hidden, or None if nothing is."""
    shown = table[members & ~table["suppressed"]]
    hidden = table[members & table["suppressed"]]
    if hidden.empty:
        return None
    return total_n - shown["n"].sum(), total_count - shown["placed"].sum(), len(hidden)


def _majors():
    # 化学 (3 respondents) is the only small major: without complementary suppression the school
    # total gives it away.
    return pd.DataFrame({
        "level": ["school", "major", "major", "major", "major", "major"],
        "group": ["全校", "数学", "物理", "化学", "机械", "土木"],
        "n": [45, 12, 8, 3, 12, 10],
        "placed": [30, 9, 5, 2, 8, 6],
        "rate": [30 / 45, 9 / 12, 5 / 8, 2 / 3, 8 / 12, 6 / 10],
    })


def test_without_complementary_the_hidden_cell_is_recovered():
    """The threat is real: plain suppression leaks the small major through the total."""
    t = suppress_small(_majors(), value_cols=["placed", "rate"])
    majors = t["level"] == "major"
    n, count, k = _attack(t, 45, 30, majors)
    assert k == 1 and (n, count) == (3, 2)  # 化学: 3 respondents, 2 placed -- disclosed


def test_complementary_suppression_defeats_subtraction():
    t = suppress_small(_majors(), value_cols=["placed", "rate"], complementary=True, by="level")
    hidden = t.loc[t["suppressed"], "group"].tolist()
    assert hidden == ["物理", "化学"]  # table order; 物理 (n=8) is the next smallest
    assert t.attrs["complementary_rows"] == [2]
    assert "互补隐藏" in t.attrs["suppression_note"]
    n, count, k = _attack(t, 45, 30, t["level"] == "major")
    # only the pooled 化学 + 物理 (3 + 8 respondents, 2 + 5 placed) is derivable: any split of
    # 11 into two hidden groups fits what is shown, so 化学's own n and rate stay unknown
    assert (k, n, count) == (2, 11, 7)
    # the complement's n is blanked too (else hidden n = 45 - shown n)
    assert t.loc[t["group"] == "物理", ["n", "placed", "rate"]].isna().all(axis=None)
    # the school total and the large majors are untouched
    assert t.loc[t["group"] == "全校", "n"].item() == 45
    assert t.loc[t["group"] == "数学", "rate"].item() == 0.75


def test_two_tiny_hidden_groups_are_not_a_safe_pool():
    """Two hidden groups of 1 and 2 still pool to 3 < 5: a third group is hidden."""
    t = pd.DataFrame({"group": list("abcde"), "n": [1, 2, 20, 9, 30], "x": [1.0, 0.5, 0.4, 0.3, 0.2]})
    out = suppress_small(t, complementary=True)
    assert out.loc[out["suppressed"], "group"].tolist() == ["a", "b", "d"]
    assert out.loc[out["suppressed"], "n"].isna().all()


def test_nested_sets_majors_within_colleges():
    """Majors add up to their college too: a complement is found inside the college."""
    t = pd.DataFrame({
        "level": ["school", "college", "college", "major", "major", "major", "major", "major"],
        "group": ["全校", "理学院", "工学院", "数学", "化学", "物理", "机械", "土木"],
        "college": [None, None, None, "理学院", "理学院", "理学院", "工学院", "工学院"],
        "n": [70, 35, 35, 20, 3, 12, 6, 29],
        "rate": [0.5] * 8,
    })
    out = suppress_small(t, value_cols=["rate"], complementary=True, by=[["level"], ["level", "college"]])
    hidden = set(out.loc[out["suppressed"], "group"])
    # 化学 (3) is small; the smallest other major overall is 机械 (6), but that is in another
    # college: 理学院's total would still give 化学 away.  The complement comes from 理学院
    # (物理, 12), which protects the school-wide set of majors as well.
    assert hidden == {"化学", "物理"}
    for college in ("理学院", "工学院"):
        members = (out["level"] == "major") & (out["college"] == college)
        k = int((members & out["suppressed"]).sum())
        assert k == 0 or k >= 2


def test_default_behaviour_unchanged_for_existing_callers():
    t = _majors()
    a = suppress_small(t, value_cols=["placed", "rate"])
    assert a["suppressed"].tolist() == [False, False, False, True, False, False]
    assert a.loc[3, ["n", "placed", "rate"]].isna().all()
    assert a.loc[1, "n"] == 12
    assert list(a.columns) == list(t.columns) + ["suppressed"]
    pd.testing.assert_frame_equal(t, _majors())  # input not modified


def test_unknown_set_column_is_a_config_error():
    with pytest.raises(ConfigError, match="缺少必需的列：level"):
        suppress_small(pd.DataFrame({"n": [1, 9]}), complementary=True, by="level")


@settings(max_examples=150, deadline=None)
@given(sizes=st.lists(st.integers(0, 40), min_size=1, max_size=9), min_cell=st.integers(1, 10))
def test_property_no_group_derivable(sizes, min_cell):
    """Any set of groups: nothing shown is small, and whatever is hidden is hidden with company."""
    t = pd.DataFrame({"group": [f"g{i}" for i in range(len(sizes))], "n": sizes,
                      "share": np.linspace(0, 1, len(sizes))})
    out = suppress_small(t, min_cell=min_cell, complementary=True)
    shown = out[~out["suppressed"]]
    assert (shown["n"] >= min_cell).all()
    assert shown["share"].notna().all()
    hid = np.asarray(sizes)[out["suppressed"].to_numpy()]
    if 0 < len(hid) < len(sizes):
        assert len(hid) >= 2 and hid.sum() >= min_cell
    # the groups hidden as complements are the smallest of those that were big enough
    comp = out.attrs["complementary_rows"]
    if comp:
        big_shown = [s for i, s in enumerate(sizes) if i not in comp and s >= min_cell]
        assert max(sizes[i] for i in comp) <= min(big_shown, default=np.inf)


def test_published_outcome_table_resists_subtraction_attack():
    """The real outcome table: a total minus the majors shown must not give a hidden major."""
    from survey_analysis.outcomes import outcome_tables

    majors = {"数学": 12, "物理": 8, "化学": 3, "机械": 12, "土木": 10}
    college = {"数学": "理学院", "物理": "理学院", "化学": "理学院", "机械": "工学院", "土木": "工学院"}
    rows = []
    for m, k in majors.items():
        rows += [{"major": m, "college": college[m],
                  "destination": "在国内工作" if i % 3 else "暂不就业"} for i in range(k)]
    t = outcome_tables(pd.DataFrame(rows), by=("school", "college", "major"))["placement"]
    assert t.loc[t["group"] == "化学", "suppressed"].item()  # the small major is hidden …
    totals = {("school", None): float(t.loc[t["level"] == "school", "n"].iloc[0])}
    for c in ("理学院", "工学院"):
        totals[("college", c)] = float(t.loc[(t["level"] == "college") & (t["group"] == c), "n"].iloc[0])
    for (level, c), total in totals.items():  # … and no total gives it away
        sub = t[(t["level"] == "major") & ((t["college"] == c) if c else True)]
        hidden = sub[sub["suppressed"]]
        if hidden.empty:
            continue
        derived = total - float(sub.loc[~sub["suppressed"], "n"].astype(float).sum())
        assert len(hidden) >= 2 and derived >= 5, (level, c, hidden["group"].tolist(), derived)
        counts = sub.loc[~sub["suppressed"], "placed_count"].astype(float)
        assert counts.notna().all()  # the shown counts are real numbers (the attack is possible)
