"""Answer scales: rating columns as scores, and what could not be scored.

A rating is a score on its answer scale, 5 = best … 1 = worst on the questionnaires' 5-point
scales.  无法评价 / 无法评估 / 不适用 is *not* a score: it leaves every denominator (never scored
0) and is counted on its own where it can be told apart from a missing answer (text labels, or
a ``na_mask`` from cleaning).  Text that is not an answer label and numbers off the scale become
missing and are listed as problems (``column, check, failure_case, row, message``, as in
:class:`~survey_analysis.errors.SchemaErrors`).
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import ConfigError, SurveyError

__all__ = [
    "competency_labels",
    "coerce_ratings",
    "CoercedRatings",
    "Scale",
    "make_scale",
    "problems_table",
    "records",
    "item_label",
    "top_box_of",
    "RATING_PREFIXES",
    "GRID_NAMES",
    "PROBLEM_COLUMNS",
]

#: column prefixes of the rating grids and the built-in scale of each
RATING_PREFIXES = {"imp__": "importance5", "sat__": "satisfaction5", "service__": "satisfaction5"}
_FIELD_SCALE = {"overall_satisfaction": "satisfaction5"}
GRID_NAMES = {"imp__": "重要程度（importance）", "sat__": "满意度（satisfaction）",
              "service__": "就业服务满意度（service satisfaction）"}
_KIND = {"imp__": "重要度", "sat__": "满意度", "service__": "服务满意度"}
PROBLEM_COLUMNS = ["column", "check", "failure_case", "row", "message"]
_LETTER_PREFIX = re.compile(r"^\s*[A-Za-z][.．、)）]\s*")
_DEFAULT_NA = frozenset(["无法评价", "无法评估", "不适用", "不清楚"])


# ----------------------------------------------------------------------------------------
# resources
# ----------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _load_yaml(relpath: str) -> dict:
    import yaml  # lazy

    path = resources.files("survey_analysis").joinpath("resources", *relpath.split("/"))
    with path.open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def competency_labels(questionnaire: str = "employer") -> dict:
    """Competency codes and Chinese labels of a built-in questionnaire.

    Parameters
    ----------
    questionnaire : str, default "employer"
        Name of a file in ``resources/questionnaires`` (without ``.yaml``).

    Returns
    -------
    dict
        ``{code: label}`` in questionnaire order (rows of the importance/satisfaction matrix).

    Examples
    --------
    >>> competency_labels()["practice"]
    '实践动手能力'
    """
    try:
        doc = _load_yaml(f"questionnaires/{questionnaire}.yaml")
    except FileNotFoundError:
        raise ConfigError(f"找不到内置问卷「{questionnaire}」", expected="employer 或 graduate",
                          found=questionnaire) from None
    out: dict = {}
    for q in doc.get("questions", []):
        if q.get("type") == "matrix" and q.get("field_prefix") in ("imp__", "sat__"):
            for row in q.get("rows", []):
                out.setdefault(str(row["code"]), str(row["label"]))
    return out


def item_label(item: str, labels: Mapping | None = None) -> str:
    """The Chinese name of a rating column: ``sat__practice`` → ``实践动手能力（满意度）``."""
    labels = competency_labels("employer") if labels is None else labels
    for p, kind in _KIND.items():
        if item.startswith(p):
            return f"{labels.get(item[len(p):], item[len(p):])}（{kind}）"
    return {"overall_satisfaction": "总体满意度"}.get(item, item)


# ----------------------------------------------------------------------------------------
# scales
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Scale:
    """An answer scale: label → score, the labels that mean 无法评价, the score range."""

    name: str
    scores: dict
    na: frozenset
    max_score: float
    min_score: float
    gaps: tuple = ()  # integer scores between min and max with no label


def _scale_from_yaml(name: str) -> Scale:
    scales = _load_yaml("questionnaires/scales.yaml")
    if name not in scales:
        raise ConfigError(f"未知的答案量表「{name}」", expected="、".join(scales), found=name,
                          hint="请使用内置量表名称，或直接给出 {标签: 分数} 的映射。")
    spec = scales[name]
    labels = list(spec["labels"])
    k = len(labels)
    scores = {lab: float(k - i) for i, lab in enumerate(labels)}
    for var, canon in (spec.get("variants") or {}).items():
        if canon in scores:
            scores.setdefault(var, scores[canon])
    return Scale(name, scores, frozenset(spec.get("na") or []), float(k), 1.0)


def make_scale(scale) -> Scale:
    """A scale from a built-in name, labels (best first) or ``{label: score}`` (``None`` = 无法评价)."""
    if isinstance(scale, Scale):
        return scale
    if isinstance(scale, str):
        return _scale_from_yaml(scale)
    if isinstance(scale, Mapping):
        scores, na = {}, set()
        for lab, val in scale.items():
            if val is None or (isinstance(val, float) and math.isnan(val)):
                na.add(str(lab))
            else:
                scores[str(lab)] = float(val)
        if not scores:
            raise ConfigError("答案量表没有任何计分标签", expected="{标签: 分数}", found=dict(scale))
        hi, lo = max(scores.values()), min(scores.values())
        have = set(scores.values())
        gaps = tuple(float(s) for s in range(int(math.ceil(lo)), int(math.floor(hi)) + 1) if float(s) not in have)
        return Scale("custom", scores, frozenset(na) | _DEFAULT_NA, hi, lo, gaps)
    if isinstance(scale, (list, tuple)):
        labels = [str(x) for x in scale]
        k = len(labels)
        if k < 2:
            raise ConfigError("答案量表至少需要两个标签", expected="从最好到最差的标签列表", found=labels)
        return Scale("custom", {lab: float(k - i) for i, lab in enumerate(labels)}, _DEFAULT_NA, float(k), 1.0)
    raise ConfigError("无法理解的答案量表参数", expected="量表名称、标签列表或 {标签: 分数}", found=repr(scale))


def top_box_of(design: Design, scale=None) -> float:
    """The lowest satisfied score on ``scale`` under the design's top-box rule.

    :attr:`Design.top_box` is stated on the 5-point scale (4 for top two boxes, 3 for top
    three); on a scale whose best score is ``k`` the same number of boxes counts:
    ``k − (5 − top_box)`` (top two of a 3-point scale: score ≥ 2).
    """
    top = make_scale(scale).max_score if scale is not None else 5.0
    return top - (5.0 - design.top_box)


def _default_scale_name(column: str) -> str:
    if column in _FIELD_SCALE:
        return _FIELD_SCALE[column]
    for prefix, name in RATING_PREFIXES.items():
        if column.startswith(prefix):
            return name
    return "satisfaction5"


# ----------------------------------------------------------------------------------------
# coercion
# ----------------------------------------------------------------------------------------
@dataclass(eq=False)
class CoercedRatings:
    """Rating columns turned into float scores.

    Attributes
    ----------
    data : DataFrame
        A copy of the input where the rating columns are float scores (``NaN`` = missing or
        无法评价).
    na_mask : DataFrame
        Boolean, same index, one column per rating column: ``True`` where the answer was
        无法评价 (from text labels and from a ``na_mask`` given by the caller).
    problems : DataFrame
        One row per value that could not be scored: ``column, check, failure_case, row,
        message``.
    notes : list of str
        Chinese remarks (text labels converted, scale gaps …).
    na_known : list of str
        Columns where 无法评价 can be told apart from a missing answer (the caller's
        ``na_mask`` covers them, or they held text labels).
    """

    data: pd.DataFrame
    na_mask: pd.DataFrame
    problems: pd.DataFrame
    notes: list = field(default_factory=list)
    na_known: list = field(default_factory=list)


def _problem(column, check, value, row, message) -> dict:
    return {"column": column, "check": check, "failure_case": value, "row": row, "message": message}


def _classify(v, sc: Scale) -> tuple:
    """What one answer is: ("skip"|"na"|"label"|"score"|"bad"|"range", value)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "skip", None
    text = str(v).strip()
    if text == "" or text.lower() in ("nan", "none", "<na>"):
        return "skip", None
    label = _LETTER_PREFIX.sub("", text)
    if label in sc.na or text in sc.na:
        return "na", None
    if label in sc.scores:
        return "label", sc.scores[label]
    try:
        num = float(text)
    except ValueError:
        return "bad", text
    if sc.min_score <= num <= sc.max_score:
        return "score", num
    return "range", text


def _range_message(val, sc: Scale) -> str:
    shown = f"{val:g}" if isinstance(val, float) else val
    return f"分数 {shown} 超出量表范围 {sc.min_score:g}–{sc.max_score:g}，已按缺失处理"


def _score_text(s: pd.Series, sc: Scale, na_col: np.ndarray, rows, column: str, problems: list):
    """Scores of a text column (each distinct answer classified once); returns (values, na, n_text)."""
    values = np.full(len(s), np.nan)
    na_col = na_col.copy()
    n_text = 0
    seen: dict = {}
    for i, v in enumerate(s.to_numpy(dtype=object)):
        try:
            kind, val = seen[v]
        except KeyError:
            kind, val = seen[v] = _classify(v, sc)
        except TypeError:  # unhashable
            kind, val = _classify(v, sc)
        if kind in ("score", "label"):
            values[i] = val
            n_text += kind == "label"
        elif kind == "na":
            na_col[i] = True
        elif kind == "bad":
            problems.append(_problem(column, "unrecognised_label", val, rows.iloc[i],
                                     f"无法识别的评价「{val}」，已按缺失处理"))
        elif kind == "range":
            problems.append(_problem(column, "out_of_range", val, rows.iloc[i], _range_message(val, sc)))
    return values, na_col, n_text


def _score_numeric(s: pd.Series, sc: Scale, rows, column: str, problems: list) -> np.ndarray | None:
    """Scores of a numeric column, off-scale values blanked; ``None`` when the column is already
    float scores on the scale (kept as it is, no copy)."""
    vals = s.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = (vals < sc.min_score) | (vals > sc.max_score)  # NaN compares False
    if not bad.any():
        return None if s.dtype == np.float64 else vals.copy()
    vals = vals.copy()
    for i in np.flatnonzero(bad):
        problems.append(_problem(column, "out_of_range", vals[i], rows.iloc[i], _range_message(float(vals[i]), sc)))
    vals[bad] = np.nan
    return vals


def _caller_mask(df: pd.DataFrame, columns: list, na_mask) -> tuple[pd.DataFrame, list]:
    mask = pd.DataFrame(False, index=df.index, columns=columns)
    known = []
    if na_mask is None:
        return mask, known
    for c in columns:
        if c in na_mask.columns:
            col = na_mask[c]
            if col.index.is_unique and df.index.is_unique:
                col = col.reindex(df.index)
            elif len(col) != len(df):
                raise ConfigError("na_mask 的行数与数据不一致", expected=len(df), found=len(col))
            mask[c] = col.fillna(False).astype(bool).to_numpy()
            known.append(c)
    return mask, known


def coerce_ratings(
    df: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    scale=None,
    na_mask: pd.DataFrame | None = None,
) -> CoercedRatings:
    """Make rating columns numeric, recording whatever cannot be scored.

    Parameters
    ----------
    df : DataFrame
        Cleaned data; not modified.
    columns : list of str, optional
        Rating columns (default: every ``imp__*``, ``sat__*``, ``service__*`` column and
        ``overall_satisfaction`` present).
    scale : str, list or dict, optional
        Answer scale for all columns: a built-in name (``"satisfaction5"``), labels from best to
        worst, or ``{label: score}`` (a ``None`` score marks a 无法评价 label).  Default: the
        questionnaire scale of each column (``importance5`` for ``imp__``, ``satisfaction5``
        otherwise).
    na_mask : DataFrame, optional
        ``True`` where the answer was 无法评价 (columns missing from it count as unknown).

    Returns
    -------
    CoercedRatings

    Examples
    --------
    >>> d = pd.DataFrame({"sat__practice": ["很满意", "3", "abc", "无法评价"]})
    >>> r = coerce_ratings(d)
    >>> r.data["sat__practice"].tolist()
    [5.0, 3.0, nan, nan]
    >>> r.na_mask["sat__practice"].tolist(), r.problems["failure_case"].tolist()
    ([False, False, False, True], ['abc'])
    """
    if columns is None:
        columns = [c for c in df.columns if isinstance(c, str)
                   and (c.startswith(tuple(RATING_PREFIXES)) or c in _FIELD_SCALE)]
    columns = list(columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SurveyError.missing_columns(missing, df.columns)
    fixed = make_scale(scale) if scale is not None else None
    rows = df["source_row"] if "source_row" in df.columns else pd.Series(df.index, index=df.index)
    problems: list = []
    notes: list = []
    mask, known = _caller_mask(df, columns, na_mask)
    if fixed is not None and fixed.gaps:
        gaps = "、".join(f"{g:g}" for g in fixed.gaps)
        notes.append(f"答案量表缺少得分为 {gaps} 的标签；该量表的数据仍按已有标签计分。")
        problems.append(_problem(None, "scale_missing_label", gaps, None, f"答案量表缺少得分为 {gaps} 的标签"))
    new_cols: dict = {}
    text_cols: list = []
    for c in columns:
        sc = fixed or make_scale(_default_scale_name(c))
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            new_cols[c], na_col, n_text = _score_text(s, sc, mask[c].to_numpy(), rows, c, problems)
            mask[c] = na_col
            known.append(c)
            if n_text:
                text_cols.append((c, n_text))
        else:
            vals = _score_numeric(s, sc, rows, c, problems)
            if vals is not None:
                new_cols[c] = vals
    # copy-on-write: the new frame shares the unchanged columns and never writes into ``df``
    data = df.assign(**{c: pd.Series(v, index=df.index, dtype=float) for c, v in new_cols.items()})
    for c in columns:  # an answer marked 无法评价 is never scored, whatever the column holds
        if mask[c].any():
            data[c] = data[c].where(~mask[c])
    if text_cols:
        names = "、".join(f"「{c}」" for c, _ in text_cols[:3]) + ("等" if len(text_cols) > 3 else "")
        notes.append(f"{len(text_cols)} 列（{names}）含文字评价，已按答案量表换算为分数"
                     f"（共 {sum(n for _, n in text_cols)} 处）。")
    prob = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    if len(prob):
        for col, n in prob[prob["column"].notna()].groupby("column").size().items():
            notes.append(f"列「{col}」有 {n} 个无法计分的值，已按缺失处理（见 problems 表）。")
    return CoercedRatings(data=data, na_mask=mask, problems=prob, notes=notes,
                          na_known=list(dict.fromkeys(known)))


# ----------------------------------------------------------------------------------------
# problems as plain records
# ----------------------------------------------------------------------------------------
def records(problems: pd.DataFrame) -> list:
    """A problems table as a list of plain dicts (NaN → ``None``) for ``DataFrame.attrs``."""
    return [{k: (None if (isinstance(v, float) and math.isnan(v)) else v) for k, v in r.items()}
            for r in problems.to_dict("records")]


def problems_table(result) -> pd.DataFrame:
    """The values that could not be scored, as a DataFrame.

    Parameters
    ----------
    result : DataFrame or AlphaResult or CoercedRatings
        The output of a function of :mod:`survey_analysis.ratings`.

    Returns
    -------
    DataFrame
        ``column, check, failure_case, row, message`` (empty when nothing went wrong).

    Examples
    --------
    >>> from survey_analysis.ratings import competency_summary
    >>> t = competency_summary(pd.DataFrame({"sat__practice": ["很满意", "abc"]}), min_cell=1)
    >>> problems_table(t)[["column", "failure_case", "row"]].values.tolist()
    [['sat__practice', 'abc', 1]]
    """
    recs = result.attrs.get("problems", []) if isinstance(result, pd.DataFrame) else result.problems
    if isinstance(recs, pd.DataFrame):
        return recs.reindex(columns=PROBLEM_COLUMNS)
    return pd.DataFrame(list(recs or []), columns=PROBLEM_COLUMNS)
