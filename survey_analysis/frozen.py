"""A read-only dict that pickles: the mappings inside frozen results (findings, configs)."""
from __future__ import annotations

__all__ = ["FrozenDict", "freeze"]


class FrozenDict(dict):
    """A ``dict`` that refuses to change (``TypeError``) and pickles as itself."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("FrozenDict 不可修改（分析结果是只读的；请用 replace() 生成新的结果）")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return (FrozenDict, (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


def freeze(mapping) -> FrozenDict:
    """``mapping`` as a :class:`FrozenDict` (itself when it already is one; ``None`` → empty)."""
    return mapping if isinstance(mapping, FrozenDict) else FrozenDict(mapping or {})
