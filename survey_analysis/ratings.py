"""Competency ratings of the employer survey: summaries, IPA, reliability, comparisons, drivers.

Every function takes a cleaned employer DataFrame (see ``docs/ARCHITECTURE.md``: ``imp__<code>``
and ``sat__<code>`` float scores, 5 = best … 1 = worst, ``NaN`` for missing and for 无法评价,
``overall_satisfaction`` and the group columns ``major``, ``college``, ``industry``) and returns a
new tidy DataFrame (or a small dataclass); the input is never modified.  Machine column names are
English; the report layer adds Chinese column labels.  Text that a person reads (notes, quadrant
names, driver readings) is Simplified Chinese.

Robustness to bad input
-----------------------
Rating columns that still hold text (``"很满意"``, ``"A.满意"``, ``"4"``, ``"abc"``) are coerced
with the answer scale where the label is recognisable; everything else becomes missing and is
listed in ``result.attrs["problems"]`` (records with ``column, check, failure_case, row, message``,
as in :class:`~survey_analysis.errors.SchemaErrors`; :func:`problems_table` turns them into a
DataFrame).  ``attrs`` only hold plain Python values (lists of dicts, numbers, strings) so that
``pd.concat`` of result tables keeps working.  无法评价 answers are never scored: they leave
every denominator and are counted in ``n_*_na`` when known (a ``na_mask`` or text labels).
Human-readable remarks (small groups hidden, competencies nobody rated …) are collected in
``result.attrs["notes"]``.
"""
from __future__ import annotations

import functools
import logging
import math
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import AnalysisError, ConfigError, SurveyError
from .privacy import suppress_small

__all__ = [
    "competency_labels",
    "problems_table",
    "coerce_ratings",
    "CoercedRatings",
    "competency_summary",
    "ipa",
    "AlphaResult",
    "cronbach_alpha",
    "reliability",
    "compare_groups",
    "key_drivers",
    "SCHOOL",
    "QUADRANTS",
]

logger = logging.getLogger(__name__)

#: Label of the whole-school row in group tables.
SCHOOL = "全校"

#: IPA quadrant code -> Chinese name (English term in brackets).
QUADRANTS = {
    "keep_up": "继续保持（Keep up the good work）",
    "concentrate": "重点改进（Concentrate here）",
    "low_priority": "低优先（Low priority）",
    "overkill": "可能过度（Possible overkill）",
}

_PREFIX_SCALE = {"imp__": "importance5", "sat__": "satisfaction5", "service__": "satisfaction5"}
_FIELD_SCALE = {"overall_satisfaction": "satisfaction5"}
_GRID_NAMES = {"imp__": "重要程度（importance）", "sat__": "满意度（satisfaction）",
               "service__": "就业服务满意度（service satisfaction）"}
_LETTER_PREFIX = re.compile(r"^\s*[A-Za-z][.．、)）]\s*")
_PROBLEM_COLS = ["column", "check", "failure_case", "row", "message"]


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
        raise ConfigError(
            f"找不到内置问卷「{questionnaire}」",
            expected="employer 或 graduate",
            found=questionnaire,
        ) from None
    out: dict = {}
    for q in doc.get("questions", []):
        if q.get("type") == "matrix" and q.get("field_prefix") in ("imp__", "sat__"):
            for row in q.get("rows", []):
                out.setdefault(str(row["code"]), str(row["label"]))
    return out


# ----------------------------------------------------------------------------------------
# scales and coercion
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Scale:
    name: str
    scores: dict  # label -> score (labels and variants)
    na: frozenset
    max_score: float
    min_score: float
    gaps: tuple = ()  # integer scores between min and max with no label


def _scale_from_yaml(name: str) -> _Scale:
    scales = _load_yaml("questionnaires/scales.yaml")
    if name not in scales:
        raise ConfigError(
            f"未知的答案量表「{name}」",
            expected="、".join(scales),
            found=name,
            hint="请使用内置量表名称，或直接给出 {标签: 分数} 的映射。",
        )
    spec = scales[name]
    labels = list(spec["labels"])
    k = len(labels)
    scores = {lab: float(k - i) for i, lab in enumerate(labels)}
    for var, canon in (spec.get("variants") or {}).items():
        if canon in scores:
            scores.setdefault(var, scores[canon])
    return _Scale(name, scores, frozenset(spec.get("na") or []), float(k), 1.0)


def _make_scale(scale) -> _Scale:
    """Build a scale from a name, a list of labels (best first) or a ``{label: score}`` map."""
    if isinstance(scale, _Scale):
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
        return _Scale("custom", scores, frozenset(na) | _DEFAULT_NA, hi, lo, gaps)
    if isinstance(scale, (list, tuple)):
        labels = [str(x) for x in scale]
        k = len(labels)
        if k < 2:
            raise ConfigError("答案量表至少需要两个标签", expected="从最好到最差的标签列表", found=labels)
        return _Scale("custom", {lab: float(k - i) for i, lab in enumerate(labels)}, _DEFAULT_NA, float(k), 1.0)
    raise ConfigError("无法理解的答案量表参数", expected="量表名称、标签列表或 {标签: 分数}", found=repr(scale))


_DEFAULT_NA = frozenset(["无法评价", "无法评估", "不适用", "不清楚"])


def _default_scale_name(column: str) -> str:
    if column in _FIELD_SCALE:
        return _FIELD_SCALE[column]
    for prefix, name in _PREFIX_SCALE.items():
        if column.startswith(prefix):
            return name
    return "satisfaction5"


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


def _row_ids(df: pd.DataFrame) -> pd.Series:
    if "source_row" in df.columns:
        return df["source_row"]
    return pd.Series(df.index, index=df.index)


def _problem(column, check, value, row, message) -> dict:
    return {"column": column, "check": check, "failure_case": value, "row": row, "message": message}


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
                   and (c.startswith(("imp__", "sat__", "service__")) or c in _FIELD_SCALE)]
    columns = list(columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SurveyError.missing_columns(missing, df.columns)
    fixed = _make_scale(scale) if scale is not None else None
    rows = _row_ids(df)
    problems: list = []
    notes: list = []
    new_cols: dict = {}
    text_cols: list = []
    known: list = []
    mask = pd.DataFrame(False, index=df.index, columns=columns)
    if na_mask is not None:
        for c in columns:
            if c in na_mask.columns:
                col = na_mask[c]
                if col.index.is_unique and df.index.is_unique:
                    col = col.reindex(df.index)
                elif len(col) != len(df):
                    raise ConfigError("na_mask 的行数与数据不一致", expected=len(df), found=len(col))
                mask[c] = col.fillna(False).astype(bool).to_numpy()
                known.append(c)
    if fixed is not None and fixed.gaps:
        gaps = "、".join(f"{g:g}" for g in fixed.gaps)
        notes.append(f"答案量表缺少得分为 {gaps} 的标签；该量表的数据仍按已有标签计分。")
        problems.append(_problem(None, "scale_missing_label", gaps, None,
                                 f"答案量表缺少得分为 {gaps} 的标签"))
    for c in columns:
        sc = fixed or _make_scale(_default_scale_name(c))
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
            values = np.full(len(s), np.nan)
            na_col = mask[c].to_numpy(copy=True)
            n_text = 0
            cache: dict = {}
            for i, v in enumerate(s.to_numpy(dtype=object)):
                try:
                    kind, val = cache[v]
                except KeyError:
                    kind, val = cache[v] = _classify(v, sc)
                except TypeError:  # unhashable
                    kind, val = _classify(v, sc)
                if kind == "score":
                    values[i] = val
                elif kind == "label":
                    values[i] = val
                    n_text += 1
                elif kind == "na":
                    na_col[i] = True
                elif kind == "bad":
                    problems.append(_problem(c, "unrecognised_label", val, rows.iloc[i],
                                             f"无法识别的评价「{val}」，已按缺失处理"))
                elif kind == "range":
                    problems.append(_problem(c, "out_of_range", val, rows.iloc[i],
                                             f"分数 {val} 超出量表范围 {sc.min_score:g}–{sc.max_score:g}，已按缺失处理"))
            mask[c] = na_col
            known.append(c)
            if n_text:
                text_cols.append((c, sc.name, n_text))
            new_cols[c] = values
        else:
            vals = s.astype(float).to_numpy(copy=True)
            bad = ~np.isnan(vals) & ((vals < sc.min_score) | (vals > sc.max_score))
            for i in np.flatnonzero(bad):
                problems.append(_problem(c, "out_of_range", vals[i], rows.iloc[i],
                                         f"分数 {vals[i]:g} 超出量表范围 {sc.min_score:g}–{sc.max_score:g}，已按缺失处理"))
            vals[bad] = np.nan
            new_cols[c] = vals
    data = df.assign(**{c: pd.Series(v, index=df.index, dtype=float) for c, v in new_cols.items()}) \
        if new_cols else df.copy()
    # an answer marked 无法评价 is never scored, whatever the column holds
    for c in columns:
        if mask[c].any():
            data[c] = data[c].where(~mask[c])
    if text_cols:
        names = "、".join(f"「{c}」" for c, _, _ in text_cols[:3]) + ("等" if len(text_cols) > 3 else "")
        total = sum(n for _, _, n in text_cols)
        notes.append(f"{len(text_cols)} 列（{names}）含文字评价，已按答案量表换算为分数（共 {total} 处）。")
    prob = pd.DataFrame(problems, columns=_PROBLEM_COLS)
    if len(prob):
        counts = prob[prob["column"].notna()].groupby("column").size()
        for col, n in counts.items():
            notes.append(f"列「{col}」有 {n} 个无法计分的值，已按缺失处理（见 problems 表）。")
    return CoercedRatings(data=data, na_mask=mask, problems=prob, notes=notes,
                          na_known=list(dict.fromkeys(known)))


def _classify(v, sc: _Scale) -> tuple:
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


# ----------------------------------------------------------------------------------------
# small statistics (written out so that tests can check them against scipy/statsmodels)
# ----------------------------------------------------------------------------------------
def _t_interval(x: np.ndarray, conf: float) -> tuple:
    """Mean, sd, and t-interval of the mean; NaN where undefined."""
    from scipy import stats

    n = len(x)
    if n == 0:
        return np.nan, np.nan, np.nan, np.nan
    m = float(np.mean(x))
    if n == 1:
        return m, np.nan, np.nan, np.nan
    sd = float(np.std(x, ddof=1))
    half = _t_quantile(0.5 + conf / 2, n - 1) * sd / math.sqrt(n)
    return m, sd, m - half, m + half


@functools.lru_cache(maxsize=4096)
def _t_quantile(q: float, dof: int) -> float:
    """``scipy.stats.t.ppf(q, dof)``, cached (the same few hundred integer dof recur per table)."""
    from scipy import stats

    return float(stats.t.ppf(q, dof))


def _wilson(k: float, n: float, conf: float) -> tuple:
    """Wilson score interval for ``k`` successes out of ``n`` (``weighting.wilson_interval``)."""
    from .weighting import wilson_interval

    return wilson_interval(k / n, n, conf) if n else (np.nan, np.nan)


def _threshold(satisfied: str, max_score: float) -> float:
    if satisfied == "top2":
        return max_score - 1
    if satisfied == "top3":
        return max_score - 2
    raise ConfigError(
        "未知的“满意”口径",
        expected="top2（前两项，麦可思 MyCOS 口径）或 top3（前三项，新锦成口径）",
        found=satisfied,
    )


def _check_conf(conf: float) -> None:
    if not (0 < conf < 1):
        raise ConfigError("置信水平必须在 0 与 1 之间", expected="例如 0.95", found=conf)


# ----------------------------------------------------------------------------------------
# competencies and groups
# ----------------------------------------------------------------------------------------
def _resolve_competencies(df: pd.DataFrame, competencies) -> dict:
    builtin = competency_labels("employer")
    if competencies is None:
        present = {c.split("__", 1)[1] for c in df.columns
                   if isinstance(c, str) and c.startswith(("imp__", "sat__"))}
        out = {k: v for k, v in builtin.items() if k in present}
        for code in sorted(present - set(out)):
            out[code] = code
        if not out:
            raise AnalysisError(
                "数据中没有能力评价列",
                expected="imp__<能力代码> 或 sat__<能力代码> 列",
                found="、".join(map(str, list(df.columns)[:30])),
                hint="请先用 clean() 清洗用人单位问卷，或用 competencies 参数指明能力代码。",
            )
        return out
    if isinstance(competencies, Mapping):
        out = {str(k): str(v) for k, v in competencies.items()}
    elif isinstance(competencies, str):
        out = {competencies: builtin.get(competencies, competencies)}
    else:
        out = {str(k): builtin.get(str(k), str(k)) for k in competencies}
    absent = [k for k in out if f"imp__{k}" not in df.columns and f"sat__{k}" not in df.columns]
    if absent:
        raise SurveyError.missing_columns(
            [f"imp__{k}/sat__{k}" for k in absent],
            [c for c in df.columns if isinstance(c, str) and c.startswith(("imp__", "sat__"))],
        )
    return out


def _groups(df: pd.DataFrame, by: str | None, notes: list) -> list:
    """``[(group_label, positions)]``: the school first, then groups by decreasing size.

    Groups are the distinct ``str`` values of the column (missing values belong to no
    group); positions are row positions in ``df``, ascending.  Found in one pass
    (``factorize`` and a stable sort), not by comparing the column with every label.
    """
    out = [(SCHOOL, np.arange(len(df)))]
    if by is None:
        return out
    if by not in df.columns:
        raise SurveyError.missing_columns([by], df.columns, what="分组列")
    key = df[by]
    n_missing = int(key.isna().sum())
    if n_missing:
        notes.append(f"分组列「{by}」有 {n_missing} 人缺失，只计入全校行。")
    codes, uniq = pd.factorize(key, use_na_sentinel=True)
    names = [str(u) for u in uniq]
    label_code = {g: i for i, g in enumerate(dict.fromkeys(names))}  # 1 and "1" are one group
    labels = list(label_code)
    remap = np.array([label_code[g] for g in names] + [-1], dtype=np.int64)
    scodes = remap[np.where(codes < 0, len(names), codes)]
    order_rows = np.argsort(scodes, kind="stable")
    sorted_codes = scodes[order_rows]
    bounds = np.searchsorted(sorted_codes, np.arange(len(labels) + 1), side="left")
    pos = {labels[k]: order_rows[bounds[k]:bounds[k + 1]] for k in range(len(labels))}
    for g in sorted(labels, key=lambda g: (-len(pos[g]), g)):
        out.append((g, pos[g]))
    return out


def _records(problems: pd.DataFrame) -> list:
    return [{k: (None if (isinstance(v, float) and math.isnan(v)) else v) for k, v in r.items()}
            for r in problems.to_dict("records")]


def problems_table(result) -> pd.DataFrame:
    """The values that could not be scored, as a DataFrame.

    Parameters
    ----------
    result : DataFrame or AlphaResult or CoercedRatings
        The output of a function of this module.

    Returns
    -------
    DataFrame
        ``column, check, failure_case, row, message`` (empty when nothing went wrong).

    Examples
    --------
    >>> t = competency_summary(pd.DataFrame({"sat__practice": ["很满意", "abc"]}), min_cell=1)
    >>> problems_table(t)[["column", "failure_case", "row"]].values.tolist()
    [['sat__practice', 'abc', 1]]
    """
    recs = result.problems if isinstance(result, (CoercedRatings, AlphaResult)) else result.attrs.get("problems", [])
    if isinstance(recs, pd.DataFrame):
        return recs.reindex(columns=_PROBLEM_COLS)
    return pd.DataFrame(list(recs or []), columns=_PROBLEM_COLS)


def _finish(table: pd.DataFrame, prep: CoercedRatings, notes: list, **attrs) -> pd.DataFrame:
    table.attrs["problems"] = _records(prep.problems)
    table.attrs["notes"] = list(dict.fromkeys(prep.notes + notes))
    table.attrs.update(attrs)
    return table


# ----------------------------------------------------------------------------------------
# competency summary
# ----------------------------------------------------------------------------------------
_IMP_STATS = ["imp_mean", "imp_sd", "imp_ci_low", "imp_ci_high"]
_SAT_STATS = ["sat_mean", "sat_sd", "sat_ci_low", "sat_ci_high",
              "n_satisfied", "sat_share", "sat_share_ci_low", "sat_share_ci_high"]
_GAP_STATS = ["gap", "gap_ci_low", "gap_ci_high"]


def competency_summary(
    df: pd.DataFrame,
    *,
    competencies=None,
    by: str | None = None,
    satisfied: str = "top2",
    conf: float = 0.95,
    min_cell: int = 5,
    na_mask: pd.DataFrame | None = None,
    scale=None,
) -> pd.DataFrame:
    """Importance and satisfaction of each competency, with intervals, per group.

    Parameters
    ----------
    df : DataFrame
        Cleaned employer data (``imp__<code>``, ``sat__<code>``); not modified.
    competencies : list or dict, optional
        Competency codes, or ``{code: label}``.  Default: the rows of the built-in employer
        questionnaire that have a column in ``df`` (plus any other ``imp__``/``sat__`` codes).
    by : str, optional
        Group column (``"major"``, ``"college"``, ``"industry"``).  A school row (group
        ``"全校"``) comes first, then the groups by decreasing sample size.
    satisfied : {"top2", "top3"}, default "top2"
        "Satisfied" share: the top two boxes (score ≥ 4, MyCOS) or the top three (score ≥ 3,
        新锦成), relative to the top of the scale.
    conf : float, default 0.95
        Confidence level of every interval.
    min_cell : int, default 5
        Rows whose group has fewer respondents are suppressed
        (:func:`survey_analysis.privacy.suppress_small`); statistics resting on fewer than
        ``min_cell`` valid ratings are hidden too.
    na_mask : DataFrame, optional
        ``True`` where the answer was 无法评价; gives ``n_imp_na`` and ``n_sat_na``.
    scale : str, list or dict, optional
        Answer scale for text still in the rating columns (see :func:`coerce_ratings`).

    Returns
    -------
    DataFrame
        One row per group and competency: ``group_by, group, n`` (respondents in the group),
        ``competency, label, n_imp, n_imp_na`` (NaN when 无法评价 cannot be told from missing:
        no ``na_mask`` and no text labels), ``imp_mean, imp_sd, imp_ci_low, imp_ci_high`` (t
        interval), ``n_sat, n_sat_na, sat_mean, sat_sd, sat_ci_low, sat_ci_high, n_satisfied,
        sat_share, sat_share_ci_low, sat_share_ci_high`` (Wilson interval), ``n_pair, gap,
        gap_ci_low, gap_ci_high`` (gap = mean of importance − satisfaction over respondents who
        rated both, with a paired t interval), ``suppressed`` and ``note``.  ``attrs`` holds
        ``problems``, ``notes``, ``satisfied``, ``conf``, ``min_cell`` and the suppression note.

    Examples
    --------
    >>> d = pd.DataFrame({"imp__practice": [5, 5, 4, 4, 3.0], "sat__practice": [4, 3, 4, 5, 2.0]})
    >>> t = competency_summary(d)
    >>> t[["competency", "n_imp", "imp_mean", "sat_mean", "sat_share", "gap"]].round(2).values.tolist()
    [['practice', 5.0, 4.2, 3.6, 0.6, 0.6]]
    """
    _check_conf(conf)
    if not df.index.is_unique:  # work by position; results do not carry the index
        df = df.reset_index(drop=True)
        na_mask = na_mask.reset_index(drop=True) if na_mask is not None else None
    comps = _resolve_competencies(df, competencies)
    cols = [f"{p}{c}" for c in comps for p in ("imp__", "sat__") if f"{p}{c}" in df.columns]
    prep = coerce_ratings(df, cols, scale=scale, na_mask=na_mask)
    data, mask = prep.data, prep.na_mask
    max_score = _make_scale(scale).max_score if scale is not None else 5.0
    thr = _threshold(satisfied, max_score)
    notes: list = []
    rows = []
    # work on numpy arrays by row position (a label look-up per group and competency was the
    # cost at 200,000 employers); the values and their order are those of ``data.loc[idx, col]``
    arr = {c: data[c].to_numpy(dtype=float) for c in cols}
    na = {c: mask[c].to_numpy(dtype=bool) for c in cols if c in prep.na_known}
    for g, pos in _groups(df, by, notes):
        for code, label in comps.items():
            ic, sc = f"imp__{code}", f"sat__{code}"
            imp = arr[ic][pos] if ic in arr else np.full(len(pos), np.nan)
            sat = arr[sc][pos] if sc in arr else np.full(len(pos), np.nan)
            i_ok, s_ok = ~np.isnan(imp), ~np.isnan(sat)
            iv, sv = imp[i_ok], sat[s_ok]
            both = i_ok & s_ok
            d = imp[both] - sat[both]
            im, isd, ilo, ihi = _t_interval(iv, conf)
            sm, ssd, slo, shi = _t_interval(sv, conf)
            gm, _, glo, ghi = _t_interval(d, conf)
            k = float((sv >= thr).sum())
            wlo, whi = _wilson(k, len(sv), conf)
            rows.append({
                "group_by": by, "group": g, "n": len(pos), "competency": code, "label": label,
                "n_imp": len(iv),
                "n_imp_na": int(na[ic][pos].sum()) if ic in na else np.nan,
                "imp_mean": im, "imp_sd": isd, "imp_ci_low": ilo, "imp_ci_high": ihi,
                "n_sat": len(sv),
                "n_sat_na": int(na[sc][pos].sum()) if sc in na else np.nan,
                "sat_mean": sm, "sat_sd": ssd, "sat_ci_low": slo, "sat_ci_high": shi,
                "n_satisfied": k if len(sv) else np.nan,
                "sat_share": k / len(sv) if len(sv) else np.nan,
                "sat_share_ci_low": wlo, "sat_share_ci_high": whi,
                "n_pair": int(both.sum()), "gap": gm, "gap_ci_low": glo, "gap_ci_high": ghi,
                "note": "",
            })
    table = pd.DataFrame(rows)
    table = _suppress_measures(table, min_cell, notes)
    return _finish(table, prep, notes, satisfied=satisfied, conf=conf, by=by)


def _suppress_measures(table: pd.DataFrame, min_cell: int, notes: list) -> pd.DataFrame:
    """Group-size suppression via ``suppress_small`` plus per-measure hiding of thin cells."""
    small_groups = table.loc[(table["n"] < min_cell) & (table["group"] != SCHOOL), ["group", "n"]].drop_duplicates()
    for g, n in small_groups.itertuples(index=False):
        notes.append(f"组「{g}」仅 {n} 名受访者（少于 {min_cell}），其结果已隐藏。")
    count_cols = ["n_imp", "n_imp_na", "n_sat", "n_sat_na", "n_pair"]
    value_cols = _IMP_STATS + _SAT_STATS + _GAP_STATS + count_cols
    # complementary suppression among the groups that add up to the school row (per competency)
    part = table.assign(_set=np.where(table["group"] == SCHOOL, None, table["group_by"].astype(object)))
    out = suppress_small(part, n_col="n", min_cell=min_cell, value_cols=value_cols,
                         complementary=True, by=[["_set", "competency"]]).drop(columns="_set")
    notes_col = out["note"].astype(object).to_numpy(copy=True)
    complementary = set(out.attrs.get("complementary_rows", []))
    unrated: dict = {}
    for i, (code, label, group) in enumerate(zip(out["competency"], out["label"], out["group"])):
        if out["suppressed"].iat[i]:
            notes_col[i] = ("为防止由合计推算出被隐藏的小组，一并隐藏" if out.index[i] in complementary
                            else f"样本量少于 {min_cell}，已隐藏")
            continue
        parts = []
        n_imp, n_sat, n_pair = table["n_imp"].iat[i], table["n_sat"].iat[i], table["n_pair"].iat[i]
        if n_imp == 0 and n_sat == 0:
            parts.append("无人评价（n=0）")
            unrated.setdefault(label, []).append(group)
        else:
            if n_imp < min_cell:
                out.loc[out.index[i], _IMP_STATS] = np.nan
                parts.append("无重要度评价" if n_imp == 0 else f"重要度有效评价少于 {min_cell}，已隐藏")
            if n_sat < min_cell:
                out.loc[out.index[i], _SAT_STATS] = np.nan
                parts.append("无满意度评价" if n_sat == 0 else f"满意度有效评价少于 {min_cell}，已隐藏")
            if n_pair < min_cell:
                out.loc[out.index[i], _GAP_STATS] = np.nan
                if n_imp >= min_cell and n_sat >= min_cell:
                    parts.append(f"同时评价两项者少于 {min_cell}，差距已隐藏")
        notes_col[i] = "；".join(parts)
    out["note"] = pd.Series(notes_col, index=out.index, dtype=object)
    for label, groups in unrated.items():
        notes.append(f"能力「{label}」无人评价（n=0）：{'、'.join(groups)}；均值与区间为空。")
    out.attrs["suppression_note"] = f"样本量少于 {min_cell} 的组或单元格已隐藏（保护隐私，且估计不稳定）。"
    if out["suppressed"].any() or (out["note"].str.contains("已隐藏")).any():
        notes.append(out.attrs["suppression_note"])
    return out


# ----------------------------------------------------------------------------------------
# importance-performance analysis
# ----------------------------------------------------------------------------------------
def ipa(
    df: pd.DataFrame,
    *,
    competencies=None,
    by: str | None = None,
    cross="grand_mean",
    lines: str = "group",
    min_cell: int = 5,
    na_mask: pd.DataFrame | None = None,
    scale=None,
) -> pd.DataFrame:
    """Importance–performance analysis: each competency in one of four quadrants.

    Parameters
    ----------
    df : DataFrame
        Cleaned employer data; not modified.
    competencies : list or dict, optional
        As in :func:`competency_summary`.
    by : str, optional
        Group column; the school (``"全校"``) is always analysed, each group with its own
        crossing lines.
    cross : {"grand_mean", "median"}, (float, float) or dict, default "grand_mean"
        Where the lines cross: the mean (or median) of the competency means, or fixed values
        given as ``(importance, satisfaction)`` or ``{"imp": ..., "sat": ...}``.
    lines : {"group", "school"}, default "group"
        With ``by``: compute the data-centred lines within each group (each major against
        its own averages) or take the school's lines for every group (majors comparable on
        one chart).
    min_cell : int, default 5
        Groups with fewer respondents, and competencies with fewer valid ratings on either
        axis, get no quadrant (and do not move the lines).
    na_mask, scale : optional
        As in :func:`competency_summary`.

    Returns
    -------
    DataFrame
        ``group_by, group, n, competency, label, n_imp, imp_mean, n_sat, sat_mean, imp_line,
        sat_line, quadrant`` (``keep_up``: high importance, high satisfaction; ``concentrate``:
        high importance, low satisfaction; ``low_priority``: both low; ``overkill``: low
        importance, high satisfaction; a value on a line counts as high), ``quadrant_zh``, and
        the gap (importance − satisfaction, paired) with its interval as in
        :func:`competency_summary`: ``n_pair, gap, gap_ci_low, gap_ci_high``.

    Examples
    --------
    >>> d = pd.DataFrame({"imp__a": [5.0] * 5, "sat__a": [2.0] * 5, "imp__b": [3.0] * 5, "sat__b": [4.0] * 5})
    >>> ipa(d)[["competency", "quadrant"]].values.tolist()
    [['a', 'concentrate'], ['b', 'overkill']]
    """
    summ = competency_summary(df, competencies=competencies, by=by, min_cell=min_cell,
                              na_mask=na_mask, scale=scale)
    notes = list(summ.attrs["notes"])
    if lines not in ("group", "school"):
        raise ConfigError("未知的交叉线范围", expected="group（各组自身均值）或 school（全校均值）", found=lines)
    if isinstance(cross, str):
        if cross not in ("grand_mean", "median"):
            raise ConfigError("未知的交叉线位置", expected="grand_mean、median 或 (重要度, 满意度)", found=cross)
    elif isinstance(cross, Mapping):
        try:
            fixed = (float(cross["imp"]), float(cross["sat"]))
        except (KeyError, TypeError, ValueError):
            raise ConfigError("交叉线应写成 {\"imp\": 重要度, \"sat\": 满意度}", expected="例如 {\"imp\": 4.0, \"sat\": 3.8}",
                              found=repr(cross)) from None
    else:
        try:
            fixed = (float(cross[0]), float(cross[1]))
        except (TypeError, ValueError, IndexError):
            raise ConfigError("交叉线应为两个数 (重要度, 满意度)", expected="例如 (4.0, 3.8)", found=repr(cross)) from None
    def _lines(sub: pd.DataFrame, ok: pd.Series) -> tuple:
        if not isinstance(cross, str):
            return fixed
        if not ok.any():
            return np.nan, np.nan
        agg = np.mean if cross == "grand_mean" else np.median
        return float(agg(sub.loc[ok, "imp_mean"])), float(agg(sub.loc[ok, "sat_mean"]))

    school = summ[summ["group"] == SCHOOL]
    school_lines = _lines(school, school["imp_mean"].notna() & school["sat_mean"].notna())
    out = []
    for g, sub in summ.groupby("group", sort=False):
        sub = sub.copy()
        ok = sub["imp_mean"].notna() & sub["sat_mean"].notna()
        il, sl = _lines(sub, ok) if lines == "group" else school_lines
        sub["imp_line"], sub["sat_line"] = il, sl
        hi_imp = sub["imp_mean"] >= il
        hi_sat = sub["sat_mean"] >= sl
        q = np.select([hi_imp & hi_sat, hi_imp & ~hi_sat, ~hi_imp & ~hi_sat],
                      ["keep_up", "concentrate", "low_priority"], "overkill").astype(object)
        q[~ok.to_numpy()] = None
        sub["quadrant"] = q
        if not ok.any() and not sub["suppressed"].all():
            notes.append(f"「{g}」没有足够的评价，无法划分象限。")
        out.append(sub)
    res = pd.concat(out, ignore_index=True)
    res["quadrant_zh"] = res["quadrant"].map(QUADRANTS).astype(object)
    res = res[["group_by", "group", "n", "competency", "label", "n_imp", "imp_mean", "n_sat",
               "sat_mean", "imp_line", "sat_line", "quadrant", "quadrant_zh", "n_pair", "gap",
               "gap_ci_low", "gap_ci_high", "suppressed", "note"]]
    res.attrs = {k: v for k, v in summ.attrs.items() if k not in ("satisfied", "conf")}
    res.attrs["notes"] = list(dict.fromkeys(notes))
    res.attrs["cross"] = cross if isinstance(cross, str) else {"imp": fixed[0], "sat": fixed[1]}
    res.attrs["lines"] = lines
    return res


# ----------------------------------------------------------------------------------------
# reliability
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class AlphaResult:
    """Cronbach's alpha of a set of items.

    Attributes
    ----------
    alpha : float
    ci_low, ci_high : float
        Feldt's interval: ``(1 - alpha_true) / (1 - alpha)`` follows an F distribution with
        ``n - 1`` and ``(n - 1)(k - 1)`` degrees of freedom.
    n : int
        Respondents with every item rated (listwise).
    k : int
        Number of items.
    n_dropped : int
        Respondents left out because an item was missing.
    conf : float
    """

    alpha: float
    ci_low: float
    ci_high: float
    n: int
    k: int
    n_dropped: int
    conf: float = 0.95
    problems: pd.DataFrame | None = field(default=None, repr=False)


def cronbach_alpha(df: pd.DataFrame, items: Sequence[str], *, conf: float = 0.95, scale=None) -> AlphaResult:
    """Cronbach's alpha with Feldt's confidence interval (listwise complete cases).

    Parameters
    ----------
    df : DataFrame
    items : list of str
        Item columns (at least two).
    conf : float, default 0.95
    scale : optional
        Answer scale for text in the items (see :func:`coerce_ratings`).

    Returns
    -------
    AlphaResult

    Raises
    ------
    AnalysisError
        Fewer than two items or two complete respondents, or no variance at all.

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5.0], "b": [2, 2, 3, 5, 5.0], "c": [1, 3, 3, 4, 4.0]})
    >>> round(cronbach_alpha(d, ["a", "b", "c"]).alpha, 3)
    0.954
    """
    from scipy import stats

    _check_conf(conf)
    items = list(items)
    if len(items) < 2:
        raise AnalysisError("计算克隆巴赫 α 系数（Cronbach's alpha）至少需要两个题项",
                            expected="≥ 2 个题项", found=len(items))
    prep = coerce_ratings(df, items, scale=scale)
    x = prep.data[items].dropna()
    n, k = len(x), len(items)
    if n < 2:
        raise AnalysisError("完整回答全部题项的受访者不足 2 人，无法计算 α 系数",
                            expected="≥ 2 人", found=n, hint="检查题项是否大量缺失或为“无法评价”。")
    item_var = x.var(ddof=1).to_numpy(float)
    total_var = float(x.sum(axis=1).var(ddof=1))
    if total_var == 0:
        raise AnalysisError("所有受访者的总分相同，α 系数无定义", found=f"n={n}")
    alpha = k / (k - 1) * (1 - item_var.sum() / total_var)
    dfn, dfd = n - 1, (n - 1) * (k - 1)
    f_lo = float(stats.f.ppf((1 - conf) / 2, dfn, dfd))
    f_hi = float(stats.f.ppf((1 + conf) / 2, dfn, dfd))
    return AlphaResult(alpha=float(alpha), ci_low=float(1 - (1 - alpha) * f_hi),
                       ci_high=float(1 - (1 - alpha) * f_lo), n=n, k=k, n_dropped=len(df) - n,
                       conf=conf, problems=prep.problems)


def reliability(df: pd.DataFrame, *, prefixes: Sequence[str] = ("imp__", "sat__"),
                conf: float = 0.95, scale=None) -> pd.DataFrame:
    """Cronbach's alpha of each rating grid (``imp__*``, ``sat__*`` …).

    Returns
    -------
    DataFrame
        ``grid, grid_zh, k, n, n_dropped, alpha, ci_low, ci_high, note``; a grid that cannot
        be analysed gets NaN and a Chinese ``note`` instead of an exception.

    Examples
    --------
    >>> d = pd.DataFrame({"sat__a": [1, 2, 3, 4, 5.0], "sat__b": [2, 2, 3, 5, 5.0]})
    >>> reliability(d)[["grid", "k", "n"]].values.tolist()
    [['sat__', 2, 5]]
    """
    rows, problems, notes = [], [], []
    for p in prefixes:
        items = [c for c in df.columns if isinstance(c, str) and c.startswith(p)]
        if not items:
            continue
        row = {"grid": p, "grid_zh": _GRID_NAMES.get(p, p), "k": len(items), "n": 0,
               "n_dropped": len(df), "alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "note": ""}
        try:
            prep = coerce_ratings(df, items, scale=scale)
            problems.append(prep.problems)
            rated = [c for c in items if prep.data[c].notna().any()]
            if len(rated) < len(items):
                dropped = [c for c in items if c not in rated]
                notes.append(f"{row['grid_zh']}：{'、'.join(dropped)} 无人评价，未纳入 α 系数。")
            r = cronbach_alpha(prep.data, rated, conf=conf)
            row.update(k=r.k, n=r.n, n_dropped=r.n_dropped, alpha=r.alpha, ci_low=r.ci_low, ci_high=r.ci_high)
            if r.alpha < 0.7:
                row["note"] = "信度偏低（α < 0.7）"
        except AnalysisError as e:
            row["note"] = e.message
            notes.append(f"{row['grid_zh']}：{e.message}")
        rows.append(row)
    table = pd.DataFrame(rows, columns=["grid", "grid_zh", "k", "n", "n_dropped", "alpha", "ci_low", "ci_high", "note"])
    table.attrs["problems"] = [r for p in problems for r in _records(p)]
    table.attrs["notes"] = notes
    table.attrs["conf"] = conf
    return table


# ----------------------------------------------------------------------------------------
# group comparisons
# ----------------------------------------------------------------------------------------
def _item_label(item: str, labels: dict) -> str:
    for p in ("imp__", "sat__", "service__"):
        if item.startswith(p):
            base = labels.get(item[len(p):], item[len(p):])
            kind = {"imp__": "重要度", "sat__": "满意度", "service__": "服务满意度"}[p]
            return f"{base}（{kind}）"
    return {"overall_satisfaction": "总体满意度"}.get(item, item)


def compare_groups(
    df: pd.DataFrame,
    items: Sequence[str] | None,
    by: str | Sequence[str],
    *,
    kind: str = "rating",
    satisfied: str = "top2",
    min_cell: int = 5,
    scale=None,
) -> pd.DataFrame:
    """Do groups (majors, colleges, industries) differ on each item?

    Parameters
    ----------
    df : DataFrame
    items : list of str or None
        Rating columns (default: every ``sat__*`` column).
    by : str or list of str
        Group column(s); each is tested separately.
    kind : {"rating", "share"}, default "rating"
        ``"rating"``: Kruskal–Wallis H test on the scores, effect size epsilon squared
        ``H / (n - 1)`` (Tomczak & Tomczak 2014).  ``"share"``: chi-square test of
        independence (no continuity correction) on groups × satisfied/not, effect size
        Cramér's V.
    satisfied : {"top2", "top3"}, default "top2"
        Definition of "satisfied" for ``kind="share"``.
    min_cell : int, default 5
        Groups with fewer valid ratings are left out of the test and listed in
        ``excluded_groups``.
    scale : optional
        Answer scale for text in the items.

    Returns
    -------
    DataFrame
        ``by, item, label, test, n, n_groups, statistic, dof, p, p_adj, effect, effect_size,
        excluded_groups, note``.  ``p_adj`` is the Benjamini–Hochberg adjustment over every
        test in the table.  ``attrs["groups"]`` holds the per-group n and mean (or share) with
        an ``included`` flag, as records (``pd.DataFrame(t.attrs["groups"])``).

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 5 + ["乙"] * 5, "sat__a": [5, 5, 4, 5, 4, 2, 3, 2, 1, 3.0]})
    >>> t = compare_groups(d, ["sat__a"], "major")
    >>> t[["test", "n", "n_groups"]].values.tolist()
    [['kruskal', 10, 2]]
    """
    from scipy import stats
    from statsmodels.stats.multitest import multipletests

    if kind not in ("rating", "share"):
        raise ConfigError("未知的比较类型", expected="rating（评分）或 share（满意比例）", found=kind)
    bys = [by] if isinstance(by, str) else list(by)
    if items is None:
        items = [c for c in df.columns if isinstance(c, str) and c.startswith("sat__")]
    items = list(items)
    missing = [c for c in bys if c not in df.columns]
    if missing:
        raise SurveyError.missing_columns(missing, df.columns, what="分组列")
    prep = coerce_ratings(df, items, scale=scale)
    max_score = _make_scale(scale).max_score if scale is not None else 5.0
    thr = _threshold(satisfied, max_score)
    labels = competency_labels("employer")
    rows, grows, notes = [], [], []
    for b in bys:
        for item in items:
            sub = prep.data[[b, item]].dropna()
            sub = sub.assign(**{b: sub[b].astype(str)})
            grouped = sub.groupby(b)[item]
            sizes = grouped.size().sort_values(ascending=False, kind="stable")
            at = grouped.indices  # group -> row positions in sub (ascending): one pass, not one scan per group
            col = sub[item]
            keep = [g for g, n in sizes.items() if n >= min_cell]
            drop = [g for g, n in sizes.items() if n < min_cell]
            for g, n in sizes.items():
                vals = col.iloc[at[g]]
                grows.append({"by": b, "item": item, "group": g, "n": int(n),
                              "mean": float(vals.mean()) if n >= min_cell else np.nan,
                              "share": float((vals >= thr).mean()) if n >= min_cell else np.nan,
                              "included": g in keep})
            used = sub[sub[b].isin(keep)]
            row = {"by": b, "item": item, "label": _item_label(item, labels),
                   "test": "kruskal" if kind == "rating" else "chi2", "n": len(used),
                   "n_groups": len(keep), "statistic": np.nan, "dof": np.nan, "p": np.nan,
                   "effect": "epsilon_sq" if kind == "rating" else "cramers_v", "effect_size": np.nan,
                   "excluded_groups": "、".join(f"{g}（n={sizes[g]}）" for g in drop), "note": ""}
            if drop:
                notes.append(f"「{row['label']}」按「{b}」比较时，{len(drop)} 个组的有效评价少于 "
                             f"{min_cell}，未参与检验：{row['excluded_groups']}。")
            if len(keep) < 2:
                row["note"] = f"有效评价不少于 {min_cell} 的组不足两个，无法比较"
                rows.append(row)
                continue
            values = col.to_numpy(float)
            samples = [values[at[g]] for g in keep]
            n = len(used)
            if kind == "rating":
                if np.ptp(used[item].to_numpy(float)) == 0:
                    row["note"] = "所有评价相同，无法检验"
                else:
                    h, p = stats.kruskal(*samples)
                    row.update(statistic=float(h), dof=len(keep) - 1, p=float(p), effect_size=float(h) / (n - 1))
            else:
                table = np.array([[int((s >= thr).sum()), int((s < thr).sum())] for s in samples])
                if (table.sum(axis=0) == 0).any():
                    row["note"] = "所有组都满意或都不满意，无法检验"
                else:
                    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
                    v = math.sqrt(chi2 / (n * (min(table.shape) - 1)))
                    row.update(statistic=float(chi2), dof=int(dof), p=float(p), effect_size=v)
            rows.append(row)
    cols = ["by", "item", "label", "test", "n", "n_groups", "statistic", "dof", "p", "p_adj",
            "effect", "effect_size", "excluded_groups", "note"]
    table = pd.DataFrame(rows, columns=[c for c in cols if c != "p_adj"])
    table["p_adj"] = np.nan
    ok = table["p"].notna()
    if ok.any():
        table.loc[ok, "p_adj"] = multipletests(table.loc[ok, "p"].to_numpy(float), method="fdr_bh")[1]
    table = table[cols]
    table.attrs["groups"] = grows
    table.attrs["problems"] = _records(prep.problems)
    table.attrs["notes"] = list(dict.fromkeys(prep.notes + notes))
    table.attrs.update(kind=kind, satisfied=satisfied, min_cell=min_cell)
    return table


# ----------------------------------------------------------------------------------------
# key drivers
# ----------------------------------------------------------------------------------------
def _dependent_columns(data: pd.DataFrame, columns: list) -> list:
    """Columns that are exact linear combinations of the earlier ones (and a constant).

    When the constant and all ``columns`` together have full column rank (the usual case) no
    column depends on earlier ones -- a subset of linearly independent columns is independent
    -- and one rank computation answers; otherwise each column is checked against the ones
    kept before it.
    """
    keep: list = []
    base = [np.ones(len(data))]
    if columns:
        m = np.column_stack(base + [data[c].to_numpy(float) for c in columns])
        if np.linalg.matrix_rank(m) == m.shape[1]:
            return []
    for c in columns:
        m = np.column_stack(base + [data[k].to_numpy(float) for k in keep] + [data[c].to_numpy(float)])
        if np.linalg.matrix_rank(m) == m.shape[1]:
            keep.append(c)
    return [c for c in columns if c not in keep]


@functools.lru_cache(maxsize=None)
def _logit_ordered_model(base):
    """``OrderedModel`` whose logistic cdf is ``scipy.special.expit`` called directly.

    ``scipy.stats.logistic.cdf(x)`` *is* ``expit(x)`` (loc 0, scale 1; ±inf give 0 and 1 in
    both), but the generic distribution wrapper validates and copies its arguments on each of
    the thousands of likelihood evaluations of a fit (most of the fitting time at 20,000
    cases).  Same numbers, a fraction of the time.
    """
    from scipy.special import expit

    class _LogitOrderedModel(base):
        def cdf(self, x):
            return expit(x)

    return _LogitOrderedModel


def _fmt_or(x: float) -> str:
    if not np.isfinite(x):
        return "—"
    if x >= 10:
        return f"{x:.0f}"
    if x >= 0.995:
        return f"{x:.1f}"
    return f"{x:.2f}"


def key_drivers(
    df: pd.DataFrame,
    outcome: str = "overall_satisfaction",
    predictors: Sequence[str] | None = None,
    *,
    method: str = "ordinal",
    conf: float = 0.95,
    min_cases: int = 30,
    scale=None,
    max_cases: int | None = 20_000,
    random_state: int = 0,
) -> pd.DataFrame:
    """Which competency satisfactions move overall satisfaction (ordinal logistic regression).

    Fits ``statsmodels`` ``OrderedModel(distr="logit")`` of ``outcome`` (as ordered categories)
    on the predictor scores, on the respondents with every value present (listwise).

    Parameters
    ----------
    df : DataFrame
    outcome : str, default "overall_satisfaction"
    predictors : list of str, optional
        Default: every ``sat__*`` column that somebody rated.
    method : {"ordinal"}, default "ordinal"
    conf : float, default 0.95
        Level of the odds-ratio intervals.
    min_cases : int, default 30
        Fewer complete cases than this (or than the number of parameters + 1) → AnalysisError.
    scale : optional
        Answer scale for text in the columns.

    max_cases : int or None, default 20000
        Above this many complete cases the model is fitted on a simple random subsample of
        that size (said in ``attrs["notes"]``); ``None`` always uses every case.  The checks
        for predictors without variance or collinear with others, and the outcome levels, are
        made on the cases actually fitted (the subsample).
    random_state : int, default 0
        Seed of that subsample.

    Returns
    -------
    DataFrame
        One row per predictor, by decreasing odds ratio: ``rank, predictor, competency,
        label, coef, se, odds_ratio, or_ci_low, or_ci_high, p, significant, reading`` (a
        Chinese sentence).  ``attrs``: ``n`` (complete cases), ``n_dropped``, ``thresholds``,
        ``pseudo_r2`` (McFadden), ``llf``, ``problems``, ``notes``.

    Raises
    ------
    AnalysisError
        Too few complete cases, no variance in the outcome or in every predictor, a model that
        does not converge, or (quasi-)complete separation.  Predictors without variance or
        exactly collinear with earlier ones are dropped with a note instead.
    ConfigError
        Unknown ``method`` or missing columns.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    if method != "ordinal":
        raise ConfigError("未知的关键驱动分析方法", expected="ordinal（有序逻辑回归）", found=method)
    _check_conf(conf)
    if outcome not in df.columns:
        raise SurveyError.missing_columns([outcome], df.columns)
    if predictors is None:
        predictors = [c for c in df.columns if isinstance(c, str) and c.startswith("sat__")]
    predictors = [p for p in predictors if p != outcome]
    if not predictors:
        raise AnalysisError("没有可用的能力满意度列作为自变量", expected="sat__<能力代码> 列",
                            found="、".join(map(str, list(df.columns)[:30])))
    prep = coerce_ratings(df, [outcome, *predictors], scale=scale)
    notes: list = []
    empty = [p for p in predictors if prep.data[p].isna().all()]
    if empty:
        notes.append(f"以下能力无人评价，未纳入模型：{'、'.join(empty)}。")
        predictors = [p for p in predictors if p not in empty]
    data = prep.data[[outcome, *predictors]].dropna()
    n = n_complete = len(data)
    sampled = max_cases is not None and n > max_cases
    if sampled:
        # statsmodels fits with numerical gradients: at provincial scale (200,000 employers) a
        # simple random subsample of complete cases gives the same odds ratios to within their
        # (already tiny) intervals in a fraction of the time.  The rows drawn depend only on the
        # number of complete cases and the seed; the checks below run on the cases fitted.
        data = data.sample(n=int(max_cases), random_state=random_state)
        n = int(max_cases)
    constant = [p for p in predictors if data[p].nunique() < 2]
    if constant:
        notes.append(f"以下能力的评价完全相同（无变异），未纳入模型：{'、'.join(constant)}。")
        predictors = [p for p in predictors if p not in constant]
    collinear = _dependent_columns(data, predictors)
    if collinear:
        notes.append(f"以下能力的评价与其他能力完全线性相关（共线），未纳入模型：{'、'.join(collinear)}。")
        predictors = [p for p in predictors if p not in collinear]
    levels = sorted(data[outcome].unique())
    if len(levels) < 2:
        raise AnalysisError("总体满意度没有变化（所有受访者的回答相同），无法分析关键驱动因素",
                            column=outcome, found=f"n={n_complete}，取值 {levels}")
    if not predictors:
        raise AnalysisError("所有能力满意度都没有变化，无法分析关键驱动因素", found=f"n={n_complete}")
    n_params = len(predictors) + len(levels) - 1
    if n_complete < max(min_cases, n_params + 1):
        raise AnalysisError(
            "完整回答总体满意度与各项能力满意度的受访者太少，无法拟合有序逻辑回归",
            expected=f"至少 {max(min_cases, n_params + 1)} 份完整回答",
            found=f"{n_complete} 份（共 {len(df)} 份，其余有缺失或“无法评价”）",
            hint="减少自变量（predictors 参数），或合并年份/专业后再分析。",
        )
    if n_complete < len(df):
        notes.append(f"模型只用完整回答总体满意度和全部 {len(predictors)} 项能力满意度的 {n_complete} 份问卷"
                     f"（共 {len(df)} 份；其余有缺失或“无法评价”）。")
    if sampled:
        notes.append(f"完整回答有 {n_complete} 份，模型用其中随机抽取的 {n} 份拟合（max_cases 参数可调）。")
    logger.debug("key_drivers: n=%d, predictors=%d", n, len(predictors))
    endog = pd.Series(pd.Categorical(data[outcome], categories=levels, ordered=True), index=data.index)
    exog = data[predictors].astype(float)
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = _logit_ordered_model(OrderedModel)(endog, exog, distr="logit")
            res = model.fit(method="bfgs", disp=False, maxiter=2000)
    except (ValueError, np.linalg.LinAlgError) as e:
        raise AnalysisError("有序逻辑回归无法拟合", found=str(e),
                            hint="自变量之间可能高度相关或完全分离；请减少自变量。") from None
    params, bse = res.params[predictors], res.bse[predictors]
    if not res.mle_retvals.get("converged", True) or not np.all(np.isfinite(bse)):
        raise AnalysisError("有序逻辑回归没有收敛，结果不可靠", found=f"n={n}，自变量 {len(predictors)} 个",
                            hint="自变量之间可能高度相关或完全分离；请减少自变量。")
    if np.any(np.abs(params) > 15) or np.any(bse > 50):
        big = [p for p in predictors if abs(params[p]) > 15 or bse[p] > 50]
        raise AnalysisError(
            "有序逻辑回归出现（准）完全分离：某些能力的评价几乎完全决定了总体满意度，系数无法估计",
            found="、".join(big),
            hint="减少自变量或合并答案等级后再分析；也可只看各能力的满意度与差距。",
        )
    ci = res.conf_int(alpha=1 - conf).loc[predictors]
    labels = competency_labels("employer")
    pct = f"{conf * 100:g}%"
    rows = []
    for p in predictors:
        code = p.split("__", 1)[1] if "__" in p else p
        label = labels.get(code, code)
        orr, lo, hi = math.exp(params[p]), math.exp(ci.loc[p, 0]), math.exp(ci.loc[p, 1])
        sig = bool(lo > 1 or hi < 1)
        reading = (f"对“{label}”的满意度每提高 1 分，总体满意的几率约为原来的 {_fmt_or(orr)} 倍"
                   f"（{pct} 置信区间 {_fmt_or(lo)}–{_fmt_or(hi)}）")
        reading += "。" if sig else "，区间包含 1，影响不显著。"
        rows.append({"predictor": p, "competency": code, "label": label, "coef": float(params[p]),
                     "se": float(bse[p]), "odds_ratio": orr, "or_ci_low": lo, "or_ci_high": hi,
                     "p": float(res.pvalues[p]), "significant": sig, "reading": reading})
    table = pd.DataFrame(rows).sort_values("odds_ratio", ascending=False, kind="stable").reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    thresholds = res.params.drop(predictors)
    table.attrs.update(
        n=n, n_dropped=len(df) - n, thresholds={str(k): float(v) for k, v in thresholds.items()}, pseudo_r2=float(res.prsquared),
        llf=float(res.llf), outcome=outcome, method=method, conf=conf,
        problems=_records(prep.problems), notes=list(dict.fromkeys(prep.notes + notes)),
    )
    return table
