"""Independent pieces of work on several processor cores: :func:`map_forked`.

Its plain definition is ``list(map(fn, items))``, and a test holds it to that.  The report uses it
for the chapters of the report model and for the output formats, which share nothing but their
read-only input.  Work is done in forked worker processes (Linux): the input is inherited, not
copied or pickled, and only the results come back (pickled).  Wherever forking is not available or
not wanted -- another platform, one core, ``SURVEY_ANALYSIS_WORKERS=1``, a call from inside a
worker, fewer than two items -- the items are done in order in this process.  When anything goes
wrong in a worker (an exception, a killed process, a result that cannot be pickled), the whole map
is done again in this process, so an error surfaces with its own type, message and traceback, as
the plain definition would raise it.
"""
from __future__ import annotations

import logging
import os
import pickle
import sys
import threading
from typing import Callable, Iterable, TypeVar

__all__ = ["map_forked", "worker_count"]

logger = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

#: What the forked workers read: (fn, items), set by the parent just before the fork.
_JOB: tuple | None = None
_LOCK = threading.Lock()
_IN_WORKER = False


def worker_count() -> int:
    """Processes :func:`map_forked` may use: ``SURVEY_ANALYSIS_WORKERS`` if set (1 = no
    parallel work), else the cores this process may run on, at most 4."""
    env = os.environ.get("SURVEY_ANALYSIS_WORKERS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def _can_fork() -> bool:
    import multiprocessing as mp

    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods() and not _IN_WORKER


def _run(i: int) -> bytes:
    fn, items = _JOB  # type: ignore[misc]
    return pickle.dumps(fn(items[i]), protocol=pickle.HIGHEST_PROTOCOL)


def _mark_worker() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def map_forked(fn: Callable[[T], R], items: Iterable[T], *, workers: int | None = None) -> list[R]:
    """``list(map(fn, items))``, the items shared out among forked worker processes.

    Parameters
    ----------
    fn : callable
        Called once per item.  It may be a closure or a lambda (nothing is pickled but its
        result); it must not rely on changing state of this process (a worker's changes are lost).
    items : iterable
    workers : int, optional
        At most this many processes (default :func:`worker_count`).

    Returns
    -------
    list
        ``fn(item)`` for each item, in the order of ``items``.

    Examples
    --------
    >>> map_forked(lambda x: x * x, [1, 2, 3])
    [1, 4, 9]
    """
    global _JOB
    items = list(items)
    n = min(worker_count() if workers is None else max(1, int(workers)), len(items))
    if n < 2 or not _can_fork():
        return [fn(x) for x in items]
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with _LOCK:
        _JOB = (fn, items)
        try:
            with ProcessPoolExecutor(n, mp_context=mp.get_context("fork"), initializer=_mark_worker) as pool:
                blobs = list(pool.map(_run, range(len(items))))
            return [pickle.loads(b) for b in blobs]
        except Exception as exc:  # noqa: BLE001 -- the plain definition below raises the real error
            logger.debug("map_forked: a worker failed (%r); doing the items in order here", exc)
        finally:
            _JOB = None
    return [fn(x) for x in items]
