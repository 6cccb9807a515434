"""The sets of complementary suppression (rows adding up to one total) are found on per-column
codes; they must be the sets the per-row string key gave (same members, same order)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.stats.disclosure import key_sets as _key_sets
from survey_analysis.stats.disclosure import suppress_small


def _sets_by_joined_text(keys: pd.DataFrame) -> list:
    """The row-wise definition: each row's values as text joined with \\x1f, grouped in order of
    first appearance (reference)."""
    keys = keys.reset_index(drop=True)
    ok = keys.notna().all(axis=1).to_numpy()
    cols = list(keys.columns)
    codes = keys[ok].astype(str).agg("\x1f".join, axis=1) if len(cols) > 1 else keys[ok][cols[0]].astype(str)
    return [pos.to_numpy() for _, pos in
            pd.Series(np.flatnonzero(ok), index=codes.to_numpy()).groupby(level=0, sort=False)]


def _same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


@pytest.mark.parametrize("cols", [["level"], ["level", "college"], ["level", "college", "item"], ["num", "level"]])
def test_key_sets_equal_the_joined_text_key(cols):
    rng = np.random.default_rng(3)
    n = 500
    t = pd.DataFrame({
        "level": rng.choice(np.array(["school", "college", "major"], dtype=object), n),
        "college": rng.choice(np.array(["院一", "院二", None, np.nan, "院 一"], dtype=object), n),
        "item": rng.choice(np.array(["a", "b", 1, "1", 1.0], dtype=object), n),  # 1 and "1" are one key as text
        "num": rng.choice([1.0, 2.0, np.nan], n),
    }, index=rng.permutation(n) * 2)
    _same(_key_sets(t[cols]), _sets_by_joined_text(t[cols]))


def test_key_sets_of_missing_and_empty_keys():
    t = pd.DataFrame({"a": [None, None], "b": ["x", "y"]})
    assert _key_sets(t[["a", "b"]]) == [] == _sets_by_joined_text(t[["a", "b"]])
    assert _key_sets(t.iloc[:0][["b"]]) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["甲", "乙", None]), st.sampled_from(["x", "y", "", None]),
                          st.integers(0, 12)), min_size=1, max_size=40))
def test_suppression_with_nested_sets_equals_the_reference_sets(rows):
    t = pd.DataFrame(rows, columns=["level", "college", "n"])
    _same(_key_sets(t[["level", "college"]]), _sets_by_joined_text(t[["level", "college"]]))
    out = suppress_small(t.assign(v=1.0), min_cell=5, complementary=True, by=[["level"], ["level", "college"]])
    assert out["suppressed"].dtype == bool
