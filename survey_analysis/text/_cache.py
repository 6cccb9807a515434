"""A bounded, scoped cache of per-distinct-text results shared between text-layer calls.

``pipeline.analyse`` analyses the same employer comments several times: ``extract_skills`` for
the skill-mention table, and again inside the theme clusterer (which keeps the gap clauses).
Inside ``with text_cache():`` those calls share their per-distinct-text work (normalisation,
clause analysis); outside it every call is self-contained, exactly as before.

The cache is bounded: each store holds at most ``max_entries`` keys (new keys are not added
once a store is full; results never depend on whether a key was cached), and everything is
released when the outermost ``with`` block ends.
"""
from __future__ import annotations

import contextlib
import contextvars

__all__ = ["text_cache", "TextCache"]

#: default bound per store (distinct texts); ~0.3 KB per entry → well under 200 MB per store
DEFAULT_MAX_ENTRIES = 500_000

_ACTIVE: contextvars.ContextVar = contextvars.ContextVar("survey_analysis_text_cache", default=None)


class TextCache:
    """Named stores (plain dicts) with a common size bound; see :func:`text_cache`."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = int(max_entries)
        self._stores: dict = {}

    def store(self, key) -> dict:
        """The dict for ``key`` (created empty on first use).  Callers add a new entry only
        while ``len(store) < cache.max_entries``."""
        d = self._stores.get(key)
        if d is None:
            d = self._stores[key] = {}
        return d

    def clear(self) -> None:
        self._stores.clear()

    def __len__(self) -> int:
        return sum(len(d) for d in self._stores.values())


def active_cache() -> TextCache | None:
    """The cache of the enclosing :func:`text_cache` block, or None."""
    return _ACTIVE.get()


@contextlib.contextmanager
def text_cache(max_entries: int = DEFAULT_MAX_ENTRIES):
    """Share per-distinct-text work between text-layer calls inside the block.

    Nested blocks reuse the outer cache.  Results are identical with and without it.

    Examples
    --------
    >>> from survey_analysis.text import extract_skills
    >>> with text_cache():
    ...     a = extract_skills(["沟通能力有待提高"])
    ...     b = extract_skills(["沟通能力有待提高"], default_polarity="gap")  # reuses the analysis
    >>> a["polarity"].tolist() == b["polarity"].tolist() == ["gap"]
    True
    """
    outer = _ACTIVE.get()
    if outer is not None:
        yield outer
        return
    cache = TextCache(max_entries)
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)
        cache.clear()
