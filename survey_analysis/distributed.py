"""The text stage and per-group aggregation on Dask DataFrames as well as pandas.

The same functions take a pandas object or a Dask one.  With Dask:

* text (:func:`segment`, :func:`extract_skills`) runs partition by partition with
  ``map_partitions``; the :class:`~survey_analysis.text.Segmenter` is pickled into each task,
  and its pickled state carries the user dictionary (``user_words`` / ``user_dict`` entries),
  so every worker segments with the same dictionary as the client;
* aggregation (:func:`group_counts`, :func:`group_shares`, :func:`group_means`) computes
  partial sums per partition (respondents, Σw, Σw², Σw·x and, for means, each partition's
  weighted sum of squared deviations), adds them up, and only then applies the statistics
  kernel's definitions (:mod:`survey_analysis.stats`): share ``Σw·x / Σw`` with a Wilson
  interval on Kish's effective n, mean with a t interval on ``n_eff − 1`` degrees of freedom.
  The results equal the kernel's pandas results (counts and shares exactly; means up to float
  rounding) whatever the partitioning.

Small cells follow the kernel's rule for tables without a group index
(:func:`survey_analysis.stats.suppress_small` with complements): a group whose base has fewer
than ``min_cell`` respondents has every value blanked, its ``n`` included, and enough other
groups are hidden that none can be worked out from the total (or, for several ``by`` columns,
from any margin).  ``min_cell``, ``conf`` and the weight column come from the
:class:`~survey_analysis.design.Design` (``design=``, or keyword overrides of its fields).

Nothing here starts a cluster: connect a ``dask.distributed.Client`` first (to a local
``LocalCluster`` or a scheduler address such as ``tcp://10.0.0.5:8786``) and the computations
use it.  Dask is imported only when a Dask object is passed.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"major": ["软件工程"] * 6 + ["英语"] * 5,
...                    "destination": ["在国内工作", "在国内求学", "未就业（正在求职）"] * 2 + ["在国内工作"] * 5})
>>> t = group_shares(df, "major", "destination", success=["在国内工作", "在国内求学"], total=True)
>>> t[["major", "n", "count", "share"]].values.tolist()
[['全校', 11, 9.0, 0.8181818181818182], ['软件工程', 6, 4.0, 0.6666666666666666], ['英语', 5, 5.0, 1.0]]
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .design import SCHOOL, Design
from .errors import AnalysisError, ConfigError
from .stats import means_from_sums, suppress_small, suppression_note, wilson

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
# aggregation: partial sums per partition, combined, then the kernel's definitions
# ---------------------------------------------------------------------------------------
def _as_list(by) -> list[str]:
    out = [by] if isinstance(by, str) else list(by)
    if not out:
        raise ConfigError("分组列（by）不能为空", expected="至少一个列名，例如 \"major\"")
    return out


def _partials(data, fn, *args) -> pd.DataFrame:
    """Run ``fn`` on every partition (or on the pandas frame) and stack the small results."""
    if is_dask(data):
        parts = data.map_partitions(fn, *args, meta=fn(data._meta, *args))
        return parts.compute()
    return fn(data, *args)


def _keys(df: pd.DataFrame, by: list) -> pd.DataFrame:
    """The group keys as the kernel reads them: text stripped of surrounding blanks (an empty
    string stays a label of its own), missing stays missing; other columns as they are."""
    out = {}
    for c in by:
        s = df[c]
        if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
            s = s.astype("string").str.strip()
        out[c] = s.astype(object).where(s.notna(), None)
    return pd.DataFrame(out, index=df.index)


def _weights(df: pd.DataFrame, weight: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Weights (1 when unweighted) and, per row, whether the weight is unusable."""
    if weight is None:
        return np.ones(len(df)), np.zeros(len(df), dtype=bool)
    w = pd.to_numeric(df[weight], errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(w) | (w < 0) | np.isinf(w)
    return np.where(bad, 0.0, w), bad


def _sum_by(keys: pd.DataFrame, by: list, columns: dict) -> pd.DataFrame:
    frame = keys.assign(**{k: np.asarray(v) for k, v in columns.items()})
    return frame.groupby(by, dropna=False, sort=False)[list(columns)].sum().reset_index()


def _share_part(df: pd.DataFrame, by: list, column: str, success: tuple, weight) -> pd.DataFrame:
    w, bad = _weights(df, weight)
    answered = df[column].notna().to_numpy()
    ok = answered & (w > 0)  # the kernel's base: a value and a positive weight
    hit = ok & df[column].isin(list(success)).to_numpy()
    return _sum_by(_keys(df, by), by, {
        "_size": np.ones(len(df), dtype=np.int64), "n": ok.astype(np.int64),
        "sw": np.where(ok, w, 0.0), "sw2": np.where(ok, w * w, 0.0), "count": np.where(hit, w, 0.0),
        "_bad": bad.astype(np.int64)})


def _combine(part: pd.DataFrame, by: list, weight, pool=None) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Partial sums added up per group (``pool`` combines the rows of one group; default: plain
    sums); the groups in table order (most rows first, ties by key), every group's row
    (missing keys included, for the total) and notes."""
    value_cols = [c for c in part.columns if c not in by]
    if pool is None:
        tot = part.groupby(by, dropna=False, sort=False)[value_cols].sum().reset_index()
    else:
        tot = pool(part, by)
    n_bad = int(tot["_bad"].sum()) if "_bad" in tot else 0
    if n_bad:
        raise AnalysisError(
            f"权重列「{weight}」中有 {n_bad} 个缺失、负数或无穷大", column=weight, expected="非负有限数字",
            hint="请用 poststratify() 或 rake() 生成权重；不在人口文件中的专业会使用平均权重。")
    keyed = tot[by].notna().all(axis=1)
    groups = tot[keyed].copy()
    groups["_key"] = groups[by].astype(str).agg("\x1f".join, axis=1) if len(groups) else ""
    groups = groups.sort_values(["_size", "_key"], ascending=[False, True], kind="stable")
    groups = groups.drop(columns="_key").reset_index(drop=True)
    notes = []
    missing = int(tot.loc[~keyed, "_size"].sum())
    if missing:
        notes.append(f"{missing} 名答卷者的分组（{'、'.join(by)}）缺失，只计入全校。")
    return groups, tot, notes


def _margins(by: list) -> list:
    """The sets of rows that add up to a total someone may publish: every margin of ``by``."""
    return [list(c) for k in range(len(by)) for c in combinations(by, k)]


def _protect(groups: pd.DataFrame, by: list, n_col: str, value_cols: list, min_cell: int) -> pd.DataFrame:
    """The kernel's small-cell rule with complements over every margin of ``by``.

    As in :func:`survey_analysis.stats.protect`, a group without respondents in the base has no
    estimate and no one to protect: it is neither hidden nor used as a complement.
    """
    empty = pd.to_numeric(groups[n_col], errors="coerce").fillna(0).to_numpy() == 0
    out = suppress_small(groups[~empty], min_cell=min_cell, n_col=n_col, value_cols=value_cols,
                         complementary=True, by=_margins(by))
    if empty.any():
        rest = groups[empty].assign(suppressed=False)
        rest[n_col] = rest[n_col].astype(float)
        attrs = dict(out.attrs)
        out = pd.concat([out, rest]).loc[groups.index]
        out.attrs.update(attrs)
    return out


def _total_row(rows: pd.DataFrame, by: list, pool=None) -> pd.DataFrame:
    """The school row: every group's row (missing keys included) pooled into one."""
    t = rows.drop(columns=by).assign(_all=0)
    t = t.groupby("_all").sum().reset_index(drop=True) if pool is None else pool(t.assign(_all=0), ["_all"])
    return t.drop(columns=["_all"], errors="ignore").assign(**{b: SCHOOL for b in by})


def _share_columns(t: pd.DataFrame, conf: float) -> pd.DataFrame:
    """The kernel's share definitions on summed n, Σw, Σw², Σw·x (see ``stats.estimators``)."""
    n, sw, sw2, count = (t[c].to_numpy(dtype=float) for c in ("n", "sw", "sw2", "count"))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n > 0, count / np.where(sw > 0, sw, 1.0), np.nan)
        n_eff = np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1.0), 0.0)
    low, high = wilson(share, n_eff, conf)
    return t.assign(count=count, share=share, low=low, high=high, n_eff=n_eff)


def _finish(groups: pd.DataFrame, by: list, columns: list, design: Design, notes: list,
            total: pd.DataFrame | None = None) -> pd.DataFrame:
    """Hide small groups (and complements), add the total row, set types and attrs."""
    shown = _protect(groups[by + columns], by, "n", [c for c in columns if c != "n"], design.min_cell)
    frames = [shown]
    if total is not None:
        t = total[by + columns].copy()
        small = float(t["n"].iloc[0]) < design.min_cell
        t["suppressed"] = small
        if small:
            t[[c for c in columns]] = np.nan
        frames.insert(0, t)
    out = pd.concat(frames, ignore_index=True)
    out["n"] = out["n"].round().astype("Int64")
    note = shown.attrs.get("suppression_note", suppression_note(design.min_cell))
    out.attrs.update({"conf": design.conf, "min_cell": design.min_cell, "weighted": design.weighted,
                      "weight_col": design.weight, "suppression_note": note,
                      "n_suppressed": int(out["suppressed"].sum()), "notes": notes})
    return out


def group_shares(data, by, column: str, *, success: Iterable, design: Design | None = None,
                 total: bool = False, **overrides) -> pd.DataFrame:
    """Share of the base whose ``column`` is one of ``success``, per group, with a Wilson interval.

    Parameters
    ----------
    data : pandas or Dask DataFrame
    by : str or list of str
        Group columns (text keys are stripped of surrounding blanks; rows with a missing key
        count only in the total).
    column : str
    success : iterable
        The answers that count (e.g. the placed destinations, ``[4.0, 5.0]`` for top-2 boxes).
    design : Design, optional
        Its ``weight`` (column name or None), ``conf`` and ``min_cell`` are used.
    total : bool, default False
        Add the school row (``全校`` in every group column) first.
    **overrides
        Fields of the design, e.g. ``weight="weight"``, ``min_cell=10``, ``conf=0.9``.

    Returns
    -------
    DataFrame
        ``by…, n`` (respondents in the base: an answer and, weighted, a positive weight),
        ``count`` (estimated number with the answer, ``Σw·x``; respondents when unweighted),
        ``share`` (``Σw·x / Σw``), ``low``, ``high`` (Wilson on Kish's effective n),
        ``n_eff``, ``suppressed``.  Groups with most respondents first.  Hidden groups have
        every value and ``n`` blank.  Equal to :func:`survey_analysis.stats.group_shares` on
        the same groups.

    Raises
    ------
    ConfigError
        A missing column, an empty ``success``, an unknown design field.
    AnalysisError
        Missing, negative or infinite weights.
    """
    design = Design.resolve(design, **overrides)
    by = _as_list(by)
    for c in by + [column] + ([design.weight] if design.weight else []):
        _column(data, c)
    success = tuple(success)
    if not success:
        raise ConfigError("success 不能为空：需要说明哪些答案算作“是”", column=column)
    part = _partials(data, _share_part, by, column, success, design.weight)
    groups, rows, notes = _combine(part, by, design.weight)
    cols = ["n", "count", "share", "low", "high", "n_eff"]
    groups = _share_columns(groups, design.conf)
    tot = _share_columns(_total_row(rows, by), design.conf) if total else None
    return _finish(groups, by, cols, design, notes, tot)


def _moment_part(df: pd.DataFrame, by: list, columns: list, weight) -> pd.DataFrame:
    """Per group and column: n, Σw, Σw², Σw·x and Σw(x − m_p)² around the partition's mean."""
    w, bad = _weights(df, weight)
    keys = _keys(df, by)
    sums = {"_size": np.ones(len(df), dtype=np.int64), "_bad": bad.astype(np.int64)}
    values = {}
    for c in columns:
        x = pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(x) & (w > 0)
        values[c] = (ok, np.where(ok, x, 0.0))
        ww = np.where(ok, w, 0.0)
        sums.update({f"{c}__n": ok.astype(np.int64), f"{c}__sw": ww, f"{c}__sw2": ww * ww,
                     f"{c}__sx": ww * values[c][1]})
    grouped = keys.assign(**sums).groupby(by, dropna=False, sort=False)
    part = grouped[list(sums)].sum().reset_index()
    # squared deviations around each group's mean in this partition (two passes, as the kernel)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    for c in columns:
        ok, xz = values[c]
        with np.errstate(invalid="ignore", divide="ignore"):
            m = part[f"{c}__sx"].to_numpy() / part[f"{c}__sw"].to_numpy()
        dev = np.where(ok, xz - m[codes], 0.0)
        part[f"{c}__ss"] = np.bincount(codes, weights=np.where(ok, w, 0.0) * dev * dev, minlength=len(part))
    return part


def _pooler(columns: list):
    """Combine rows of partial moments per key: plain sums, and for each column
    Σw(x − m)² = Σ ss_i + Σ sw_i (m_i − m)² (the parallel rule of Chan, Golub and LeVeque)."""

    def pool(part: pd.DataFrame, by: list) -> pd.DataFrame:
        g = part.groupby(by, dropna=False, sort=False)
        between = {}
        for c in columns:
            sw, sx = part[f"{c}__sw"], part[f"{c}__sx"]
            with np.errstate(invalid="ignore", divide="ignore"):
                m_i = sx / sw
                m = g[f"{c}__sx"].transform("sum") / g[f"{c}__sw"].transform("sum")
            between[f"{c}__ss"] = (sw * (m_i - m) ** 2).where(sw > 0, 0.0)
        value_cols = [c for c in part.columns if c not in by]
        out = g[value_cols].sum().reset_index()
        extra = pd.DataFrame(between, index=part.index).groupby(
            [part[b] for b in by], dropna=False, sort=False).sum().reset_index(drop=True)
        for c in columns:
            out[f"{c}__ss"] = out[f"{c}__ss"].to_numpy() + extra[f"{c}__ss"].to_numpy()
        return out

    return pool


def _mean_columns(t: pd.DataFrame, c: str, conf: float) -> dict:
    """The kernel's mean definitions (:func:`~survey_analysis.stats.means_from_sums`) on summed
    n, Σw, Σw², Σw·x, Σw(x − m)²."""
    m = means_from_sums(*(t[f"{c}__{k}"].to_numpy(dtype=float) for k in ("n", "sw", "sw2", "sx", "ss")), conf=conf)
    return {"n": m.n, "mean": m.mean, "low": m.low, "high": m.high, "sd": m.sd, "n_eff": m.n_eff}


def group_means(data, by, columns: str | Sequence[str], *, design: Design | None = None,
                total: bool = False, **overrides) -> pd.DataFrame:
    """Mean of numeric columns per group, with a t interval (the kernel's :func:`weighted_mean`).

    Parameters
    ----------
    data : pandas or Dask DataFrame
    by : str or list of str
    columns : str or list of str
        Numeric columns; each has its own base (rows with a value and a positive weight) and
        its own small-cell decision.
    design : Design, optional
        Its ``weight``, ``conf`` and ``min_cell`` are used.
    total : bool, default False
        Add the school row per column.
    **overrides
        Fields of the design.

    Returns
    -------
    DataFrame
        One row per group and column: ``by…, column, n, mean, low, high, sd, n_eff,
        suppressed`` -- from the combined counts, weighted sums and each partition's sum of
        squared deviations (combined exactly: Σ ss_p + Σ sw_p (m_p − m)²).  ``sd`` is the
        weighted standard deviation with the kernel's small-sample factor (the sample sd,
        ddof = 1, when unweighted).
    """
    design = Design.resolve(design, **overrides)
    by = _as_list(by)
    columns = [columns] if isinstance(columns, str) else list(columns)
    for c in by + columns + ([design.weight] if design.weight else []):
        _column(data, c)
    part = _partials(data, _moment_part, by, columns, design.weight)
    pool = _pooler(columns)
    groups, rows, notes = _combine(part, by, design.weight, pool)
    cols = ["n", "mean", "low", "high", "sd", "n_eff"]
    frames = []
    for k, c in enumerate(columns):
        g = groups[by].assign(**_mean_columns(groups, c, design.conf))
        tot = None
        if total:
            tot = _total_row(rows, by, pool)
            tot = tot[by].assign(**_mean_columns(tot, c, design.conf))
        t = _finish(g, by, cols, design, notes, tot)
        t.insert(len(by), "column", c)
        frames.append(t.assign(_item=k, _pos=np.arange(len(t))))
    out = pd.concat(frames, ignore_index=True).sort_values(["_pos", "_item"], kind="stable")
    out = out.drop(columns=["_pos", "_item"]).reset_index(drop=True)
    out = out[by + ["column"] + cols + ["suppressed"]]
    out.attrs.update(frames[0].attrs)
    out.attrs["n_suppressed"] = int(out["suppressed"].sum())
    return out


def _count_part(df: pd.DataFrame, by: list, column: str, weight) -> pd.DataFrame:
    w, bad = _weights(df, weight)
    keys = _keys(df, by)
    ok = df[column].notna().to_numpy() & (w > 0)
    value = df[column].astype(object).where(df[column].notna(), None)
    frame = keys.assign(**{column: value.to_numpy(), "hits": ok.astype(np.int64), "count": np.where(ok, w, 0.0),
                           "_size": np.ones(len(df), dtype=np.int64), "_bad": bad.astype(np.int64)})
    return frame.groupby(by + [column], dropna=False, sort=False)[["hits", "count", "_size", "_bad"]].sum().reset_index()


def group_counts(data, by, column: str, *, design: Design | None = None, **overrides) -> pd.DataFrame:
    """Respondents (and estimated numbers) per group and answer, small groups hidden.

    Returns
    -------
    DataFrame
        ``by…, column, n`` (the group's base: respondents with an answer and a positive
        weight), ``hits`` (respondents giving this answer), ``count`` (``Σw`` of them; = hits
        unweighted), ``suppressed``.  A group whose base has fewer than ``min_cell``
        respondents (and its complements, as in :func:`group_shares`) has all its rows
        blanked.  Multi-select answers (``a┋b``) count as the joined label; split them first
        for per-option counts.
    """
    design = Design.resolve(design, **overrides)
    by = _as_list(by)
    for c in by + [column] + ([design.weight] if design.weight else []):
        _column(data, c)
    part = _partials(data, _count_part, by, column, design.weight)
    cells = part.groupby(by + [column], dropna=False, sort=False)[["hits", "count", "_size", "_bad"]].sum()
    cells = cells.reset_index()
    per_group = cells.groupby(by, dropna=False, sort=False)[["hits", "_size", "_bad"]].sum().reset_index()
    groups, _rows, notes = _combine(per_group.rename(columns={"hits": "n"}), by, design.weight)
    shown = _protect(groups[by + ["n"]], by, "n", [], design.min_cell)
    order = groups[by].assign(_pos=np.arange(len(groups)), _hidden=shown["suppressed"].to_numpy(),
                              n=shown["n"].to_numpy())
    cells = cells[cells[column].notna() & cells[by].notna().all(axis=1)]
    out = _keys(cells, by).assign(**{column: cells[column].to_numpy()}, hits=cells["hits"].to_numpy(),
                                  count=cells["count"].to_numpy())
    out = out.merge(order, on=by, how="inner")
    out = out.sort_values(["_pos", column], key=lambda s: s.astype(str) if s.name == column else s, kind="stable")
    hidden = out.pop("_hidden").to_numpy(dtype=bool)
    out = out.drop(columns="_pos").reset_index(drop=True)
    out["hits"] = out["hits"].astype(float).mask(hidden)
    out["count"] = out["count"].astype(float).mask(hidden)
    out["n"] = out["n"].round().astype("Int64")
    out["hits"] = out["hits"].round().astype("Int64")
    out["suppressed"] = hidden
    out = out[by + [column, "n", "hits", "count", "suppressed"]]
    out.attrs.update({"min_cell": design.min_cell, "weighted": design.weighted, "weight_col": design.weight,
                      "suppression_note": shown.attrs.get("suppression_note"),
                      "n_suppressed": int(shown["suppressed"].sum()), "notes": notes})
    return out
