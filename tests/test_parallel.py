"""map_forked is list(map(fn, items)): same results, same order, same errors -- only faster."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

from survey_analysis import _parallel
from survey_analysis._parallel import map_forked, worker_count

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-based workers are Linux only")


def _frame(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(k)
    return pd.DataFrame({"专业": [f"专业{k}"] * 3, "x": rng.normal(size=3)})


@pytest.mark.parametrize("workers", [None, 1, 2, 3])
def test_results_equal_the_plain_map_in_order(workers):
    offset = 7  # a closure: nothing but the results is pickled
    items = list(range(11))
    assert map_forked(lambda i: (i * i + offset, str(i) * i), items, workers=workers) == \
        list(map(lambda i: (i * i + offset, str(i) * i), items))
    got = map_forked(_frame, [3, 1, 2], workers=workers)
    for a, b in zip(got, map(_frame, [3, 1, 2])):
        pd.testing.assert_frame_equal(a, b)


def test_empty_and_single_items():
    assert map_forked(lambda x: x, []) == []
    assert map_forked(lambda x: os.getpid(), ["a"]) == [os.getpid()]  # one item: no worker


@linux
def test_work_is_really_done_in_other_processes_and_inputs_are_inherited():
    big = np.arange(1_000_000)  # inherited by fork, not pickled
    pids = map_forked(lambda i: (os.getpid(), int(big[i])), [0, 999_999, 5], workers=2)
    assert [v for _, v in pids] == [0, 999_999, 5]
    assert all(pid != os.getpid() for pid, _ in pids)


def test_one_worker_and_the_environment_switch_keep_work_in_this_process(monkeypatch):
    assert set(map_forked(lambda i: os.getpid(), range(4), workers=1)) == {os.getpid()}
    monkeypatch.setenv("SURVEY_ANALYSIS_WORKERS", "1")
    assert worker_count() == 1
    assert set(map_forked(lambda i: os.getpid(), range(4))) == {os.getpid()}
    monkeypatch.setenv("SURVEY_ANALYSIS_WORKERS", "3")
    assert worker_count() == 3
    monkeypatch.setenv("SURVEY_ANALYSIS_WORKERS", "abc")  # not a number: the cores decide
    assert 1 <= worker_count() <= 4


class _Odd(Exception):
    def __init__(self, what, *, row):  # keyword-only: does not survive pickling on its own
        super().__init__(what)
        self.row = row


def _fails_on_three(i):
    if i == 3:
        raise _Odd("坏数据", row=i)
    return i


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_surfaces_with_its_own_type_and_fields(workers):
    with pytest.raises(_Odd) as info:
        map_forked(_fails_on_three, range(6), workers=workers)
    assert info.value.row == 3 and str(info.value) == "坏数据"


@linux
def test_a_worker_that_dies_does_not_hang_or_lose_results():
    def fn(i):
        if i == 2 and _parallel._IN_WORKER:
            os._exit(9)  # killed in the worker; the map is redone here, where it succeeds
        return i * 10

    assert map_forked(fn, range(5), workers=2) == [0, 10, 20, 30, 40]


@linux
def test_a_result_that_cannot_be_pickled_is_computed_here():
    def fn(i):
        return (lambda: i) if _parallel._IN_WORKER else i

    assert map_forked(fn, range(4), workers=2) == [0, 1, 2, 3]


@linux
def test_nested_calls_run_in_order_inside_a_worker():
    def inner(i):
        return map_forked(lambda j: (os.getpid(), i + j), range(3), workers=2)

    out = map_forked(inner, range(2), workers=2)
    for i, rows in enumerate(out):
        assert [v for _, v in rows] == [i, i + 1, i + 2]
        assert len({pid for pid, _ in rows}) == 1  # the worker did its inner items itself
