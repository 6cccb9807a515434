"""The text stage and per-group aggregation on Dask DataFrames as well as pandas.

The same functions take a pandas object or a Dask one.  With Dask:

* text (:func:`segment`, :func:`extract_skills`) runs partition by partition with
  ``map_partitions``; the :class:`~survey_analysis.text.Segmenter` is pickled into each task,
  and its pickled state carries the user dictionary (``user_words`` / ``user_dict`` entries),
  so every worker segments with the same dictionary as the client;
* aggregation (:func:`group_counts`, :func:`group_shares`, :func:`group_means`) computes
  partial counts and sums per partition and adds them up -- shares, means, standard deviations
  and Wilson intervals are then computed once from the combined totals, so they equal the
  pandas result (exactly for counts, shares and intervals; means up to float rounding).

Nothing here starts a cluster: connect a ``dask.distributed.Client`` first (to a local
``LocalCluster`` or a scheduler address such as ``tcp://10.0.0.5:8786``) and the computations
use it.  Dask is imported only when a Dask object is passed.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"major": ["软件工程"] * 3 + ["英语"] * 2,
...                    "destination": ["在国内工作", "在国内求学", "未就业（正在求职）", "在国内工作", "在国内工作"]})
>>> t = group_shares(df, "major", "destination", success=["在国内工作", "在国内求学"])
>>> t[["major", "n", "k", "share"]].values.tolist()
[['英语', 2, 2, 1.0], ['软件工程', 3, 2, 0.6666666666666666]]
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import ConfigError

__all__ = ["is_dask", "segment", "extract_skills", "group_counts", "group_shares", "group_means"]


def is_dask(obj) -> bool:
    """True for a Dask DataFrame or Series (checked without importing dask)."""
    mod = type(obj).__module__ or ""
    return mod.startswith("dask.") or mod.startswith("dask_expr")


def _column(data, column):
    if column is None:
        return data
    if column not in data.columns:
        raise ConfigError(f"数据中没有列「{column}」", column=column,
                          found="、".join(map(str, list(data.columns)[:30])))
    return data[column]


# ---------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------
def _cut_partition(s: pd.Series, segmenter) -> pd.Series:
    return pd.Series(segmenter.cut_many(s), index=s.index, dtype=object, name=s.name)


def segment(data, column: str | None = None, *, segmenter=None):
    """Segment comments; one token list per row.

    Parameters
    ----------
    data : pandas or Dask DataFrame / Series
    column : str, optional
        The text column when ``data`` is a DataFrame.
    segmenter : Segmenter, optional
        Default ``Segmenter()``; on Dask it is pickled into the tasks together with its user
        dictionary.

    Returns
    -------
    Series (object dtype: lists of str), pandas or Dask like ``data``; same index.
    """
    from .text import Segmenter

    seg = segmenter if segmenter is not None else Segmenter()
    s = _column(data, column)
    if is_dask(s):
        return s.map_partitions(_cut_partition, seg, meta=pd.Series(dtype=object, name=s.name))
    return _cut_partition(s, seg)


def _skills_meta() -> pd.DataFrame:
    from .text._skills import MENTION_COLUMNS

    meta = pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    meta["clause_id"] = meta["clause_id"].astype("int64")
    return meta


def _skills_partition(df: pd.DataFrame, column, id_column, kw) -> pd.DataFrame:
    from .text import extract_skills as _extract

    ids = df[id_column] if id_column is not None else df.index
    out = _extract(df[column], ids=list(ids), **kw)
    out.attrs = {}
    return out


def extract_skills(data, column: str, *, id_column: str | None = "respondent_id", **kwargs):
    """:func:`survey_analysis.text.extract_skills` on a pandas or Dask DataFrame.

    Parameters
    ----------
    data : pandas or Dask DataFrame
    column : str
        The comment column.
    id_column : str or None, default "respondent_id"
        Column giving ``comment_id`` (``None``: the index).
    **kwargs
        Passed on (``taxonomy``, ``segmenter``, ``default_polarity``).

    Returns
    -------
    DataFrame of mentions (pandas, or Dask with one partition of mentions per input
    partition); rows in input order.  The pandas result keeps ``attrs["status_counts"]``.
    """
    _column(data, column)
    if id_column is not None:
        _column(data, id_column)
    if kwargs.get("return_summary"):
        raise ConfigError("分布式版本不支持 return_summary", hint="需要逐条状态时请用 pandas 版本。")
    if is_dask(data):
        return data.map_partitions(_skills_partition, column, id_column, kwargs, meta=_skills_meta())
    from .text import extract_skills as _extract

    ids = data[id_column] if id_column is not None else data.index
    return _extract(data[column], ids=list(ids), **kwargs)


# ---------------------------------------------------------------------------------------
# aggregation: partial sums per partition, combined exactly
# ---------------------------------------------------------------------------------------
def _as_list(by) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _partials(data, fn, *args) -> pd.DataFrame:
    """Run ``fn`` on every partition (or on the pandas frame) and stack the small results."""
    if is_dask(data):
        parts = data.map_partitions(fn, *args, meta=fn(data._meta, *args))
        return parts.compute()
    return fn(data, *args)


def _count_part(df: pd.DataFrame, by: list, column: str) -> pd.DataFrame:
    sub = df[by + [column]].dropna(subset=[column])
    if not len(sub):
        return pd.DataFrame({**{b: pd.Series(dtype=object) for b in by}, column: pd.Series(dtype=object),
                             "n": pd.Series(dtype="int64")})
    sub = sub.astype({c: object for c in by + [column]})
    return sub.groupby(by + [column], dropna=False, sort=False).size().reset_index(name="n")


def group_counts(data, by, column: str) -> pd.DataFrame:
    """Respondents per group and answer: ``by…, column, n`` (missing answers not counted).

    Multi-select answers (``a┋b``) count as the joined label; split them first for per-option
    counts.
    """
    by = _as_list(by)
    for c in by + [column]:
        _column(data, c)
    part = _partials(data, _count_part, by, column)
    out = part.groupby(by + [column], dropna=False, sort=True)["n"].sum().reset_index()
    out["n"] = out["n"].astype("int64")
    return out


def _share_part(df: pd.DataFrame, by: list, column: str, success: tuple) -> pd.DataFrame:
    sub = df[by + [column]]
    answered = sub[column].notna()
    hit = sub[column].isin(list(success)) & answered
    frame = sub[by].astype(object).assign(n=answered.astype("int64"), k=hit.astype("int64"))
    return frame.groupby(by, dropna=False, sort=False)[["n", "k"]].sum().reset_index()


def group_shares(data, by, column: str, *, success: Iterable, conf: float = 0.95,
                 total: bool = False) -> pd.DataFrame:
    """Share of respondents whose ``column`` is one of ``success``, per group, with Wilson CI.

    Parameters
    ----------
    data : pandas or Dask DataFrame
    by : str or list of str
    column : str
    success : iterable
        The answers that count (e.g. the placed destinations, ``[4.0, 5.0]`` for top-2 boxes).
    conf : float, default 0.95
    total : bool, default False
        Add a row for everyone (group columns ``"全体"``).

    Returns
    -------
    DataFrame
        ``by…, n`` (answered), ``k`` (successes), ``share`` = k / n, ``ci_low``, ``ci_high``
        (:func:`survey_analysis.weighting.wilson_interval` of the combined counts), sorted by
        group.
    """
    from .weighting import wilson_interval

    by = _as_list(by)
    for c in by + [column]:
        _column(data, c)
    success = tuple(success)
    if not success:
        raise ConfigError("success 不能为空：需要说明哪些答案算作“是”", column=column)
    part = _partials(data, _share_part, by, column, success)
    out = part.groupby(by, dropna=False, sort=True)[["n", "k"]].sum().reset_index()
    if total:
        row = {b: "全体" for b in by} | {"n": out["n"].sum(), "k": out["k"].sum()}
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    out["n"] = out["n"].astype("int64")
    out["k"] = out["k"].astype("int64")
    out["share"] = np.where(out["n"] > 0, out["k"] / out["n"].where(out["n"] > 0, 1), np.nan)
    ci = [wilson_interval(p, n, conf) for p, n in zip(out["share"], out["n"])]
    out["ci_low"] = [c[0] for c in ci]
    out["ci_high"] = [c[1] for c in ci]
    return out


def _moment_part(df: pd.DataFrame, by: list, columns: list) -> pd.DataFrame:
    vals = df[columns].astype("float64")
    frame = df[by].astype(object)
    for c in columns:
        v = vals[c]
        frame[f"{c}__n"] = v.notna().astype("int64")
        frame[f"{c}__s"] = v.fillna(0.0)
        frame[f"{c}__q"] = (v * v).fillna(0.0)
    return frame.groupby(by, dropna=False, sort=False).sum().reset_index()


def group_means(data, by, columns: str | Sequence[str]) -> pd.DataFrame:
    """Mean, standard deviation (ddof=1) and n of numeric columns per group.

    Returns one row per group and column: ``by…, column, n, mean, sd`` -- from the combined
    counts, sums and sums of squares of every partition.
    """
    by = _as_list(by)
    columns = _as_list(columns)
    for c in by + columns:
        _column(data, c)
    part = _partials(data, _moment_part, by, columns)
    tot = part.groupby(by, dropna=False, sort=True).sum().reset_index()
    rows = []
    for c in columns:
        n = tot[f"{c}__n"].astype("int64")
        s, q = tot[f"{c}__s"], tot[f"{c}__q"]
        mean = s / n.where(n > 0)
        var = (q - n * mean * mean) / (n - 1).where(n > 1)
        t = tot[by].copy()
        t["column"] = c
        t["n"] = n
        t["mean"] = mean
        t["sd"] = np.sqrt(var.clip(lower=0))
        rows.append(t)
    return pd.concat(rows, ignore_index=True)
