"""Disclosure control: no hidden cell can be worked out from what a table shows."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.design import Design
from survey_analysis.stats import GroupIndex, protect, suppress_small
from survey_analysis.stats.disclosure import _matrix


def _attack(index: GroupIndex, n: np.ndarray, hidden: np.ndarray, min_cell: int) -> list:
    """Every way the shown cells and the totals give away a hidden one (an independent audit).

    A hidden cell is exposed when its unit vector lies in the row space of the equations
    restricted to the hidden cells (rank test), or when a shown total minus its shown parts
    leaves a single hidden part or a pool of fewer than ``min_cell`` respondents.
    """
    problems = []
    sets = index.additive_sets()
    M = _matrix(sets, index.n_groups)
    H = np.flatnonzero(hidden)
    MH = M[:, H]
    r = np.linalg.matrix_rank(MH) if MH.size else 0
    for j, v in enumerate(H):
        e = np.zeros(len(H))
        e[j] = 1
        if MH.size and np.linalg.matrix_rank(np.vstack([MH, e])) == r:
            problems.append(("determined", int(v)))
    for parent, kids in sets:
        if hidden[parent]:
            continue
        h = kids[hidden[kids]]
        if len(h) == 1 or (len(h) >= 2 and n[h].sum() < min_cell):
            problems.append(("pool", int(parent), tuple(h)))
    return problems


def _index(sizes_by_college: list[list[int]]) -> GroupIndex:
    rows = []
    for c, sizes in enumerate(sizes_by_college):
        for m, size in enumerate(sizes):
            rows += [(f"学院{c}", f"专业{c}-{m}")] * size
    df = pd.DataFrame(rows, columns=["college", "major"])
    return GroupIndex.build(df, Design())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(1, 40), min_size=1, max_size=5), min_size=1, max_size=5),
       st.sampled_from([3, 5, 10]))
def test_protect_leaves_nothing_to_subtract(colleges, min_cell):
    ix = _index(colleges)
    n = ix.table["size"].to_numpy(dtype=float)
    hidden = protect(ix, n, min_cell)
    assert hidden[(n > 0) & (n < min_cell)].all()
    assert _attack(ix, n, hidden, min_cell) == []


def test_single_small_major_hides_its_college_and_a_complement():
    ix = _index([[50, 40], [60, 30], [2]])
    n = ix.table["size"].to_numpy(dtype=float)
    hidden = protect(ix, n, 5)
    t = ix.table.assign(hidden=hidden)
    assert t.loc[(t["group"] == "学院2"), "hidden"].all()  # the college equals its one small major
    assert hidden.sum() >= 4
    assert _attack(ix, n, hidden, 5) == []


def test_groups_without_respondents_are_shown_and_no_complement():
    ix = _index([[12, 3, 20], [7, 7], [40]])
    n = ix.table["size"].to_numpy(dtype=float)
    n[ix.table["group"].to_numpy() == "专业0-0"] = 0  # nobody answered this question in 专业0-0
    hidden = protect(ix, n, 5)
    t = ix.table.assign(hidden=hidden, n=n)
    assert not t.loc[t["n"] == 0, "hidden"].any()
    assert _attack(ix, n, hidden, 5) == []


def test_protect_is_deterministic_for_the_same_base():
    ix = _index([[12, 3, 20], [7, 7], [40]])
    n = ix.table["size"].to_numpy(dtype=float)
    assert np.array_equal(protect(ix, n, 5), protect(ix, n.copy(), 5))


def test_suppress_small_refuses_a_non_positive_threshold():
    import pytest

    from survey_analysis.errors import ConfigError

    t = pd.DataFrame({"group": ["甲", "乙"], "n": [1, 20], "share": [0.1, 0.2]})
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ConfigError):
            suppress_small(t, min_cell=bad)
