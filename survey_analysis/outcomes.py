"""Graduate follow-up analysis: placement, job quality, teaching feedback, competencies, warnings.

Every function takes the cleaned graduate DataFrame (``docs/ARCHITECTURE.md``, "Canonical
cleaned data") and returns new DataFrames with English machine column names; :data:`LABELS`
maps them to the Chinese headers a report shows.  Group tables have one row per group (or per
group and item) at the levels asked for (``"school"``, ``"college"``, ``"major"``): the school row
first, then colleges and majors each sorted by sample size (largest first); groups with fewer
than ``min_cell`` respondents are hidden with :func:`survey_analysis.privacy.suppress_small`.

Definitions follow ``DOMAIN.md`` ("Metrics and their definitions"):

* 就业去向落实率 (placement rate) = placed / base, where the destinations that count as placed
  and those that leave the base are a :class:`PlacementDefinition` (新锦成 by default, MyCOS as a
  preset); 就业率 (employment rate) = in work (国内工作 + 自主创业 + 自由职业) / base;
  灵活就业 = 自主创业 + 自由职业; 未就业 = in the base and not placed.
* Shares carry a Wilson interval; with ``weights=`` the share is weighted and the interval uses
  Kish's effective sample size (see :mod:`survey_analysis.weighting`).
* Top-box rates: ``satisfied="top2"`` (MyCOS, scores 5–4) or ``"top3"`` (新锦成, scores 5–3);
  无法评价 is missing in the cleaned data and therefore never in the denominator.

Every table says in ``attrs["weighted"]`` whether it is weighted, ``attrs["weighting"]`` how,
``attrs["definition"]`` the placement definition, ``attrs["suppression_note"]`` what was hidden.
"""
from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .errors import AnalysisError, ConfigError
from .privacy import suppress_small
from .weighting import (
    _base_sums,
    _mean_of,
    _mean_only,
    _select_base,
    _share_of,
    kish_effective_n,
    per_distinct,
    weighted_mean,
    weighted_quantile,
    weighted_share,
    wilson_interval,
)

__all__ = [
    "DESTINATIONS",
    "LABELS",
    "LEVEL_LABELS",
    "TABLE_TITLES",
    "COMPETENCY_LABELS",
    "PlacementDefinition",
    "outcome_tables",
    "teaching_feedback",
    "suggestion_mentions",
    "ability_fulfilment",
    "fulfilment_band",
    "compare_majors",
    "metric_label",
    "trends",
    "newcombe_interval",
    "major_warnings",
]

logger = logging.getLogger(__name__)

from .design import DESTINATIONS, IN_WORK, MULTI_SEP, SCHOOL, PlacementDefinition  # noqa: E402
RATING_ITEMS = ("relevance", "expectation_fit", "job_sat__overall", "job_sat__pay",
                "job_sat__prospects", "job_sat__content")
IMPROVE_NONE = "以上均不需改进"
# graduate.yaml H2 options, questionnaire order
IMPROVE_OPTIONS = ("实习和实践环节不够", "课程内容不实用或陈旧", "无法调动学生学习兴趣", "课堂上让学生参与不够",
                   "教师专业能力不强", "多媒体网络教学效果不好", IMPROVE_NONE)
# graduate.yaml B8-1 options
TURNOVER_REASONS = ("薪资福利偏低", "个人发展空间不够", "想改变职业或行业", "工作要求高压力大",
                    "对单位管理制度和文化不适应", "被解雇或合同到期", "其他")
COMPETENCY_LABELS = {
    "ethics": "思想政治素质与职业道德", "integrity": "诚信意识", "theory": "基础理论知识",
    "professional": "专业知识", "practice": "实践动手能力", "learning": "学习能力",
    "innovation": "创新能力", "communication": "沟通表达能力", "teamwork": "团队协作能力",
    "organization": "组织管理能力", "resilience": "心理素质与抗压能力", "foreign_language": "外语能力",
    "office": "办公软件技能", "adaptability": "适应能力", "responsibility": "责任心",
}
ITEM_LABELS = {
    "relevance": "专业相关度", "expectation_fit": "职业期待吻合度",
    "job_sat__overall": "就业满意度（总体）", "job_sat__pay": "就业满意度（薪酬福利）",
    "job_sat__prospects": "就业满意度（职业发展前景）", "job_sat__content": "就业满意度（工作内容）",
    "teach__classroom": "课堂教学", "teach__practical": "实践教学", "teach__teachers": "任课教师",
    "teach__career_service": "就业指导服务", "teach__student_service": "学生管理服务",
    "school_satisfaction": "对母校总体满意度",
    "employer_type": "单位性质", "industry": "行业", "region": "工作地区",
}

LEVEL_LABELS = {"school": "全校", "college": "学院", "major": "专业"}

TABLE_TITLES = {
    "placement": "毕业去向",
    "income": "月收入",
    "income_bands": "月收入分布",
    "job_quality": "相关度与满意度",
    "turnover": "离职率",
    "turnover_reasons": "离职原因",
    "recommendation": "推荐度",
    "employment_distribution": "就业分布",
    "teaching_ratings": "教学评价",
    "improve": "教学改进需求",
    "ability_fulfilment": "能力满足度",
    "suggestions": "建议中的能力",
    "comparisons": "专业间差异",
    "trends": "年度变化",
    "warnings": "专业预警",
    "problems": "数据问题",
}

_CI = "（95%置信区间下限）"
LABELS = {
    "level": "层级", "group": "组别", "college": "学院", "major": "专业", "cohort": "届别",
    "n": "样本量（n）", "n_eff": "有效样本量（Kish n_eff）", "n_respondents": "答卷人数",
    "n_unknown": "去向无法识别人数", "n_missing": "去向未填人数", "n_excluded": "不计入基数人数",
    "placed_count": "落实去向人数", "unemployed_count": "未就业人数",
    "placement_rate": "就业去向落实率", "employment_rate": "就业率（工作）",
    "flexible_rate": "灵活就业率", "further_study_domestic_rate": "国内升学率",
    "abroad_rate": "出国（境）率", "unemployed_rate": "未就业率",
    "mean": "均值", "mean_low": "均值下限", "mean_high": "均值上限", "sd": "标准差",
    "median": "中位数", "p25": "下四分位数（P25）", "p75": "上四分位数（P75）",
    "n_implausible": "收入异常被排除人数",
    "band": "区间", "count": "人数", "share": "占比", "low": "下限", "high": "上限",
    "item": "指标", "item_label": "指标名称", "rate": "满意（top-box）比例",
    "rate_low": "比例下限", "rate_high": "比例上限",
    "turnover_rate": "离职率", "reason": "离职原因",
    "recommend_rate": "推荐度（愿意）", "unsure_rate": "不确定比例", "unwilling_rate": "不愿意比例",
    "dimension": "维度", "category": "类别", "option": "选项",
    "n_inconsistent": "“以上均不需改进”与其他选项同选（不一致）人数",
    "competency": "能力代码", "competency_label": "能力", "importance_mean": "重要度均值",
    "required_mean": "岗位要求水平均值", "own_mean": "毕业时水平均值", "fulfilment": "能力满足度（%）",
    "fulfilment_band": "满足度等级",
    "metric": "指标", "comparison": "比较", "test": "检验方法", "statistic": "统计量", "dof": "自由度",
    "p_value": "p 值", "p_adj": "BH 校正 p 值", "effect_size": "效应量", "effect_measure": "效应量类型",
    "group_value": "本组数值", "rest_value": "其他组数值", "significant": "显著（校正后 p<0.05）",
    "cohort_prev": "上一届", "value_prev": "上一届数值", "value": "本届数值", "n_prev": "上一届样本量",
    "n_cur": "本届样本量", "metric_label": "指标名称", "change_significant": "变化显著（区间不含 0）",
    "diff": "变化", "diff_low": "变化下限", "diff_high": "变化上限",
    "latest_cohort": "最近一届", "benchmark": "基准线", "below_benchmark": "低于基准线",
    "years_below_threshold": "连续低于阈值年数", "below_threshold_consecutive": "连续低于阈值",
    "score": "综合指数（百分位）", "card": "预警牌", "note": "说明",
    "suppressed": "已隐藏（样本不足）",
    "check": "问题类型", "column": "列", "example": "示例", "message": "说明", "rows": "涉及行",
}
for _base in ("placement_rate", "employment_rate", "flexible_rate", "further_study_domestic_rate",
              "abroad_rate", "unemployed_rate", "turnover_rate", "recommend_rate", "unsure_rate",
              "unwilling_rate"):
    LABELS[f"{_base}_low"] = f"{LABELS[_base]}下限"
    LABELS[f"{_base}_high"] = f"{LABELS[_base]}上限"

FULFILMENT_BANDS = ((90.0, "满足"), (85.0, "基本满足"), (75.0, "不太满足"), (-np.inf, "不满足"))


# ----------------------------------------------------------------------------------------
# the placement definition
# ----------------------------------------------------------------------------------------
# ----------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------
def _threshold(satisfied: str) -> float:
    s = str(satisfied).lower()
    if s == "top2":
        return 4.0
    if s == "top3":
        return 3.0
    raise ConfigError("满意度口径（satisfied）只能是 top2 或 top3", expected="top2（MyCOS）或 top3（新锦成）",
                      found=satisfied)


def _weights(df: pd.DataFrame, weights: str | None) -> pd.Series | None:
    if weights is None:
        return None
    if weights not in df.columns:
        raise AnalysisError.missing_columns([weights], list(df.columns), what="权重列")
    w = pd.to_numeric(df[weights], errors="coerce")
    bad = w.isna() | (w < 0)
    if bad.any():
        raise AnalysisError(
            f"权重列「{weights}」中有 {int(bad.sum())} 个缺失或负数",
            column=weights,
            expected="非负数字",
            found=df.loc[bad, weights].head(3).tolist(),
            hint="请用 poststratify() 或 rake() 生成权重；不在人口文件中的专业会使用平均权重。",
        )
    return w.astype(float)


def _weight_attrs(df: pd.DataFrame, weights: str | None) -> dict:
    if weights is None:
        return {"weighted": False, "weighting": "未加权（unweighted）：每位答卷者权重相同。"}
    desc = df.attrs.get("weighting") or f"加权（weighted），权重列「{weights}」。"
    return {"weighted": True, "weight_col": weights,
            "weighting": desc + " 比例的置信区间按 Kish 有效样本量（设计效应）调整。"}


def _require(df: pd.DataFrame, cols: Iterable[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AnalysisError.missing_columns(missing, list(df.columns))


def _unique_index(df: pd.DataFrame) -> pd.DataFrame:
    """Row labels must be unique for group look-ups (a concat of cohorts is not)."""
    return df if df.index.is_unique else df.reset_index(drop=True)


def _as_str(s: pd.Series) -> pd.Series:
    """``s.astype("string").str.strip()``, computed once per distinct value of a text column."""
    return per_distinct(s, _strip)


def _numeric(s: pd.Series) -> np.ndarray:
    """``pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)``; a column that already holds
    plain numpy floats or integers is read as it is (``to_numeric`` would copy and re-check each
    of a million values of the dozens of rating columns)."""
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "fiu":
        return s.to_numpy(dtype=float)
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)


def _strip(x: pd.Series) -> pd.Series:
    return x.astype("string").str.strip()


def _text_codes(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(_as_str(s))`` -- codes (``-1`` = missing) and the stripped labels in order
    of first appearance -- with a single factorisation of the column.

    A text column is factorised once; its distinct values are stripped and factorised again
    (values that differ only in surrounding blanks merge) and the codes are mapped back by
    position.  Same codes and labels as factorising the stripped column.  Other dtypes take the
    plain route.
    """
    if not isinstance(s.dtype, pd.StringDtype):
        codes, names = pd.factorize(_as_str(s))
        return np.asarray(codes, dtype=np.intp), names
    raw, uniq = pd.factorize(s, use_na_sentinel=True)
    sub, names = pd.factorize(_strip(pd.Series(uniq, dtype=s.dtype)))
    lookup = np.append(np.asarray(sub, dtype=np.intp), -1)  # raw -1 (missing) -> -1
    return lookup[raw], names


class _Codes:
    """The text codes of a frame's columns, worked out once per column per call
    (:func:`_text_codes`)."""

    def __init__(self, df: pd.DataFrame):
        self.df = df
        self._memo: dict = {}

    def __call__(self, col) -> tuple[np.ndarray, pd.Index]:
        if col not in self._memo:
            self._memo[col] = _text_codes(self.df[col])
        return self._memo[col]

    def labels(self, col, test) -> np.ndarray:
        """Per row ``test(label)`` as bool (``False`` for a missing value), evaluated once per label."""
        codes, names = self(col)
        per = np.array([bool(test(x)) for x in names] + [False], dtype=bool)
        return per[codes]


def _parse_multi(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    items = frozenset(x.strip() for x in str(v).split(MULTI_SEP) if x.strip())
    return items or None


def _split_multi(s: pd.Series) -> pd.Series:
    """A multi-select column → a Series of frozensets (NaN → None)."""
    return pd.Series([_parse_multi(v) for v in s.astype(object)], index=s.index, dtype=object)


def _multi_codes(s: pd.Series) -> tuple[np.ndarray, list]:
    """A multi-select column parsed once per distinct answer.

    Returns ``(codes, sets)``: ``sets[codes[i]]`` is the frozenset of row ``i`` (as
    :func:`_split_multi`), ``None`` for a missing or empty answer; ``codes`` is ``-1`` for a
    missing cell.
    """
    # text columns are factorised as they are (Arrow); converting a million cells to Python
    # objects first costs more than the factorisation -- same codes, same distinct values
    codes, uniq = pd.factorize(s if isinstance(s.dtype, pd.StringDtype) else s.astype(object),
                               use_na_sentinel=True)
    return codes, [_parse_multi(v) for v in uniq]


def _multi_indicator(codes: np.ndarray, sets: list, test) -> np.ndarray:
    """Per row ``float(test(set))`` (``test`` gets ``None`` for missing answers), once per distinct set."""
    per = np.array([float(test(x)) for x in sets] + [float(test(None))], dtype=float)
    return per[np.where(codes < 0, len(sets), codes)]


def _shared_base(valid: np.ndarray, pos: np.ndarray, w: np.ndarray | None) -> tuple:
    """``(rows, ww, sums)``: the base of :func:`weighted_share` for a group's rows ``pos`` when
    every indicator evaluated on it is missing exactly where ``valid`` is False -- the rows in
    the base (valid, weight > 0), their weights and :func:`_base_sums`.  Each indicator ``x``
    is then ``_share_of(x[rows] > 0, ww, conf, sums)``: the arithmetic of ``weighted_share(x[pos], w)``
    with the base selected once for all of them."""
    ok = valid[pos]
    if w is not None:
        ok = ok & (w > 0)  # NaN > 0 is False: a missing weight leaves the base too
    ww = None if w is None else w[ok]
    return pos[ok], ww, (None if ww is None or not len(ww) else _base_sums(ww))


@dataclass
class _Group:
    level: str
    group: str
    college: object
    index: pd.Index
    pos: np.ndarray  # row positions in the frame (for numpy look-ups)
    # the level's rows in group order (stable sort by group; None = the frame's own order, for
    # the school) and this group's slice of it: ``x[order][start:stop]`` is ``x[pos]``
    order: "np.ndarray | None" = None
    start: int = 0
    stop: int = 0


def _levels(groups: list) -> list:
    """``[(order, [(i, start, stop), ...]), ...]``: the groups (by their index ``i`` in
    ``groups``) of each level, with the level's row order and their slices of it.

    A caller that reorders a column once per level (``x if order is None else x[order]``)
    reads each group as a contiguous slice -- the same values in the same order as
    ``x[g.pos]`` -- instead of gathering every group's rows from the whole column.
    """
    out: list = []
    for i, g in enumerate(groups):
        if out and out[-1][0] is g.order and out[-1][2] == g.level:
            out[-1][1].append((i, g.start, g.stop))
        else:
            out.append((g.order, [(i, g.start, g.stop)], g.level))
    return [(order, members) for order, members, _ in out]


def _in_order(x: np.ndarray, order: "np.ndarray | None") -> np.ndarray:
    return x if order is None else x[order]


def _groups(df: pd.DataFrame, by: Sequence[str], codes: "_Codes | None" = None) -> tuple[list[_Group], list[str]]:
    """School, college and major groups, ordered as tables show them (``codes``: the caller's
    :class:`_Codes` of ``df``, so that college and major are factorised once per call)."""
    if codes is None:
        codes = _Codes(df)
    tc = codes
    notes = []
    out: list[_Group] = []
    levels = [b for b in by]
    for lv in levels:
        if lv not in LEVEL_LABELS:
            raise ConfigError("未知的分组层级", expected="school、college 或 major", found=lv)
    for lv in ("school", "college", "major"):
        if lv not in levels:
            continue
        if lv == "school":
            out.append(_Group("school", SCHOOL, np.nan, df.index, np.arange(len(df)), None, 0, len(df)))
            continue
        if lv not in df.columns:
            notes.append(f"数据中没有「{LEVEL_LABELS[lv]}」列，未按{LEVEL_LABELS[lv]}分组。")
            continue
        groups, note = _level_groups(df, lv, tc)
        if note:
            notes.append(note)
        out.extend(groups)
    return out, notes


#: a level's groups of a frame, reused by the next call on the same frame (outcome_tables,
#: teaching_feedback and ability_fulfilment group the same million rows); keyed by the identity
#: of the frame's index and of the (immutable) Arrow arrays of the columns read, entries leave
#: when one of those objects is freed
_LEVEL_CACHE: dict = {}


def _arrow_chunks(s: pd.Series):
    """The immutable pyarrow array behind an Arrow-backed column (None for other columns,
    whose values can change in place)."""
    a = getattr(s.array, "_pa_array", None)
    return a if type(a).__name__ == "ChunkedArray" else None


def _level_groups(df: pd.DataFrame, lv: str, tc: "_Codes") -> tuple[list, str | None]:
    parts = [df.index, _arrow_chunks(df[lv])]
    if lv == "major" and "college" in df.columns:
        parts.append(_arrow_chunks(df["college"]))
    if any(p is None for p in parts[1:]):
        return _level_groups_of(df, lv, tc)
    key = (lv, len(df), *(id(p) for p in parts))
    hit = _LEVEL_CACHE.get(key)
    if hit is not None and all(r() is p for r, p in zip(hit[0], parts)):
        return list(hit[1]), hit[2]
    groups, note = _level_groups_of(df, lv, tc)
    try:
        refs = [weakref.ref(p, lambda _, key=key: _LEVEL_CACHE.pop(key, None)) for p in parts]
    except TypeError:
        return groups, note
    _LEVEL_CACHE[key] = (refs, tuple(groups), note)
    return groups, note


def _level_groups_of(df: pd.DataFrame, lv: str, tc: "_Codes") -> tuple[list, str | None]:
    """The groups of one level (college or major), ordered as tables show them, and the note
    on respondents without a value."""
    codes, names = tc(lv)
    n_missing = int(np.count_nonzero(codes < 0))
    note = f"{n_missing} 名答卷者的{LEVEL_LABELS[lv]}缺失，只计入全校。" if n_missing else None
    groups = []
    # rows of each group in one pass (stable sort: positions ascending, as flatnonzero(codes == k))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(names) + 1), side="left")
    ccodes = cnames = None
    if lv == "major" and "college" in df.columns:
        ccodes, cnames = tc("college")
    for k, name in enumerate(names):
        pos = order[bounds[k]:bounds[k + 1]]
        college = np.nan
        if ccodes is not None:
            cc = ccodes[pos]
            counts = np.bincount(cc[cc >= 0], minlength=len(cnames))
            if counts.sum():
                # the most frequent college; ties: the first in sort order (as Series.mode)
                college = min(str(cnames[i]) for i in np.flatnonzero(counts == counts.max()))
        groups.append(_Group(lv, str(name), college, df.index[pos], pos, order,
                             int(bounds[k]), int(bounds[k + 1])))
    groups.sort(key=lambda g: (-len(g.pos), g.group))
    return groups, note


#: Complementary suppression in every group table (majors add up to their college and the
#: school, so one hidden major could be worked out by subtraction; the smallest shown groups are
#: hidden too).  Turn off only for numbers that are never published.
COMPLEMENTARY = True

_COUNT_COLS = {"n", "n_respondents", "n_unknown", "n_missing", "n_excluded", "placed_count", "unemployed_count",
               "count", "n_implausible", "n_inconsistent", "n_prev", "n_cur"}


def _finish(rows: list[dict], columns: list[str], *, min_cell: int, attrs: dict,
            keep_cols: Sequence[str] = ()) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=columns)
    for c in table.columns:
        if c not in ("level", "group", "college") and c not in keep_cols and table[c].dtype == object:
            conv = pd.to_numeric(table[c], errors="coerce")
            if conv.notna().sum() == table[c].notna().sum():
                table[c] = conv
    protected = {"level", "group", "college", *keep_cols}
    value_cols = [c for c in table.columns if c not in protected and c != "n"
                  and pd.api.types.is_numeric_dtype(table[c])]
    # complementary suppression: majors add up to the school and to their college, so a hidden
    # major must not be recoverable by subtraction (per item in item tables)
    items = [c for c in ("band", "item", "reason", "dimension", "category", "option", "competency")
             if c in table.columns]
    partitions = [["level", *items]]
    if "college" in table.columns:
        partitions.append(["level", "college", *items])
    out = suppress_small(table, n_col="n", min_cell=min_cell, value_cols=value_cols,
                         complementary=COMPLEMENTARY and "level" in table.columns, by=partitions)
    n_hidden = int(out["suppressed"].sum())
    note = out.attrs.get("suppression_note", "")
    if n_hidden:
        note += f"本表有 {n_hidden} 行被隐藏。"
    for c in out.columns:
        if c in _COUNT_COLS and pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].round().astype("Int64")
    out.attrs.update(attrs)
    out.attrs["suppression_note"] = note
    out.attrs["n_suppressed"] = n_hidden
    return out


def _share_cols(prefix: str, est) -> dict:
    return {prefix: est.share, f"{prefix}_low": est.low, f"{prefix}_high": est.high}


def _changed_jobs(s: pd.Series, codes: "tuple | None" = None) -> np.ndarray:
    """job_changes labels → 1.0 (left at least once), 0.0 (0次), NaN (no answer).

    ``codes``: :func:`_text_codes` of ``s`` when the caller has them."""
    c, names = _text_codes(s) if codes is None else codes
    zero = np.array([str(x).startswith("0") for x in names] + [False], dtype=bool)[c]
    out = np.where(zero, 0.0, 1.0)
    return np.where(c < 0, np.nan, out)


def _destination_flags(df: pd.DataFrame, definition: PlacementDefinition,
                       codes: "_Codes | None" = None) -> pd.DataFrame:
    """Per respondent: which base / category they fall in (NaN outside the base).

    The destination labels are tested once per distinct (stripped) label and spread to the rows
    by their codes (``codes``: the caller's :class:`_Codes` of ``df``)."""
    tc = _Codes(df) if codes is None else codes
    dcodes, _ = tc("destination")

    def isin(labels):
        labels = set(labels)
        return tc.labels("destination", lambda x: x in labels)

    missing = dcodes < 0
    unknown = ~missing & ~isin(definition.known)
    excluded = isin(definition.excluded)
    in_base = ~missing & ~unknown & ~excluded
    out = pd.DataFrame(index=df.index)
    out["missing"] = missing
    out["unknown"] = unknown
    out["excluded"] = excluded & ~missing
    out["in_base"] = in_base

    def flag(labels):
        return np.where(in_base, isin(labels).astype(float), np.nan)

    out["placed"] = flag(definition.placed)
    out["employed"] = flag(definition.employed)
    out["flexible"] = flag(definition.flexible)
    out["further_domestic"] = flag(definition.further_domestic)
    out["abroad"] = flag(definition.abroad)
    out["unemployed"] = (1.0 - out["placed"]).where(in_base, np.nan)
    out["in_work"] = isin(definition.employed) & ~unknown
    return out


def _income_flags(df, flags, income_bounds):
    lo, hi = income_bounds
    inc = pd.to_numeric(df["income"], errors="coerce") if "income" in df.columns else pd.Series(np.nan, index=df.index)
    in_work = flags["in_work"]
    implausible = in_work & inc.notna() & ((inc < lo) | (inc > hi))
    valid = inc.where(in_work & ~implausible)
    return valid, implausible


def _rows_text(idx, df) -> str:
    if "source_row" in df.columns:
        vals = df.loc[idx, "source_row"].dropna().astype(int).tolist()
        label = "行"
    else:
        vals = df.loc[idx, "respondent_id"].tolist() if "respondent_id" in df.columns else list(idx)
        label = "答卷"
    shown = "、".join(map(str, vals[:10]))
    return f"{label} {shown}{'…' if len(vals) > 10 else ''}"


# ----------------------------------------------------------------------------------------
# outcome tables
# ----------------------------------------------------------------------------------------
def outcome_tables(
    df: pd.DataFrame,
    *,
    by: Sequence[str] = ("school", "college", "major"),
    definition: "PlacementDefinition | str | None" = None,
    satisfied: str = "top2",
    weights: str | None = None,
    min_cell: int = 5,
    conf: float = 0.95,
    income_bounds: tuple[float, float] = (1000.0, 200000.0),
    income_bands: Sequence[float] = (3000, 5000, 7000, 9000, 12000),
) -> dict[str, pd.DataFrame]:
    """The outcome tables of a 毕业生就业质量年度报告, at school, college and major level.

    Parameters
    ----------
    df : DataFrame
        Cleaned graduate data (needs ``destination``; other columns are used when present).
    by : sequence of {"school", "college", "major"}, default all three
    definition : PlacementDefinition or {"xinjincheng", "mycos"}, default 新锦成
    satisfied : {"top2", "top3"}, default "top2"
        Top-box definition for relevance, expectation fit and job satisfaction.
    weights : str, optional
        Column of survey weights (see :func:`survey_analysis.weighting.poststratify`).
    min_cell : int, default 5
        Groups with fewer respondents (in the table's base) are hidden.
    conf : float, default 0.95
    income_bounds : (low, high), default (1000, 200000)
        Monthly incomes (yuan) outside are implausible: excluded from income statistics and
        listed in ``problems``.
    income_bands : sequence of float
        Band edges for the income distribution.

    Returns
    -------
    dict of str to DataFrame
        ``placement``, ``income``, ``income_bands``, ``job_quality``, ``turnover``,
        ``turnover_reasons``, ``recommendation``, ``employment_distribution`` (tables whose
        columns are absent from ``df`` are left out and named in ``problems``) and
        ``problems`` (unknown destinations, implausible incomes …; columns ``check``,
        ``column``, ``example``, ``count``, ``rows``, ``message``).

    Raises
    ------
    AnalysisError
        When ``destination`` is missing or there are no respondents.

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 6, "destination": ["在国内工作"] * 3 + ["暂不就业"] * 3})
    >>> t = outcome_tables(d, by=("school", "major"))["placement"]
    >>> float(t.loc[0, "placement_rate"])
    0.5
    """
    _require(df, ["destination"])
    df = _unique_index(df)
    if len(df) == 0:
        raise AnalysisError("没有任何答卷，无法计算毕业去向", expected="至少一份答卷", found="0 行")
    definition = PlacementDefinition.from_name(definition)
    thr = _threshold(satisfied)
    w_all = _weights(df, weights)
    tc = _Codes(df)  # each text column factorised once in this call
    groups, notes = _groups(df, by, tc)
    flags = _destination_flags(df, definition, tc)
    income, implausible = _income_flags(df, flags, income_bounds)
    problems: list[dict] = []

    if flags["unknown"].any():
        dest = _as_str(df["destination"])
        for label, idx in dest[flags["unknown"]].groupby(dest[flags["unknown"]]).groups.items():
            problems.append({
                "check": "unknown_destination", "column": "destination", "example": label,
                "count": len(idx), "rows": _rows_text(idx, df),
                "message": f"毕业去向「{label}」无法识别，{len(idx)} 人未计入基数（不算落实也不算未就业）",
            })
    if flags["missing"].any():
        idx = flags.index[flags["missing"]]
        problems.append({"check": "missing_destination", "column": "destination", "example": "",
                         "count": len(idx), "rows": _rows_text(idx, df),
                         "message": f"{len(idx)} 人未填毕业去向，未计入基数"})
    if implausible.any():
        idx = implausible.index[implausible]
        vals = pd.to_numeric(df.loc[idx, "income"], errors="coerce")
        problems.append({
            "check": "implausible_income", "column": "income",
            "example": "、".join(f"{v:g}" for v in vals.head(5)),
            "count": len(idx), "rows": _rows_text(idx, df),
            "message": f"{len(idx)} 个月收入不在合理范围 [{income_bounds[0]:g}, {income_bounds[1]:g}] 元内，"
                       "未计入收入统计",
        })

    attrs = {
        "definition": definition.describe(), "definition_name": definition.name,
        "satisfied": satisfied, "conf": conf, "min_cell": min_cell,
        **_weight_attrs(df, weights),
    }
    if notes:
        attrs["notes"] = notes

    tables: dict[str, pd.DataFrame] = {}
    head = ["level", "group", "college"]
    W = None if w_all is None else w_all.to_numpy(dtype=float)

    w_cache: dict = {}

    def w_of(g):  # the group's weights, gathered once per group
        if W is None:
            return None
        if id(g) not in w_cache:
            w_cache[id(g)] = W[g.pos]
        return w_cache[id(g)]

    def base_row(g):
        return {"level": g.level, "group": g.group, "college": g.college}

    in_work = flags["in_work"].to_numpy(dtype=bool)

    # -- placement ------------------------------------------------------------------------
    metrics = [("placement_rate", "placed"), ("employment_rate", "employed"), ("flexible_rate", "flexible"),
               ("further_study_domestic_rate", "further_domestic"), ("abroad_rate", "abroad"),
               ("unemployed_rate", "unemployed")]
    F = {c: flags[c].to_numpy(dtype=float) for _, c in metrics}
    in_base = flags["in_base"].to_numpy(dtype=bool)
    B = {c: flags[c].to_numpy(dtype=bool) for c in ("unknown", "missing", "excluded")}
    rows = []
    for g in groups:
        w = w_of(g)
        row = {**base_row(g), "n_respondents": len(g.pos), "n_unknown": int(B["unknown"][g.pos].sum()),
               "n_missing": int(B["missing"][g.pos].sum()), "n_excluded": int(B["excluded"][g.pos].sum())}
        est = None
        base = _shared_base(in_base, g.pos, w)  # every metric is missing outside the base
        for name, colname in metrics:
            est = _share_of(F[colname][base[0]] > 0, base[1], conf, base[2])
            row.update(_share_cols(name, est))
        row["n"] = est.n
        row["n_eff"] = est.n_eff
        row["placed_count"] = int((F["placed"][g.pos] == 1).sum())
        row["unemployed_count"] = int((F["unemployed"][g.pos] == 1).sum())
        rows.append(row)
    cols = head + ["n", "n_eff", "n_respondents", "n_unknown", "n_missing", "n_excluded", "placed_count",
                   "unemployed_count"] + [c for m, _ in metrics for c in (m, f"{m}_low", f"{m}_high")]
    tables["placement"] = _finish(rows, cols, min_cell=min_cell,
                                  attrs={**attrs, "title": TABLE_TITLES["placement"],
                                         "base": "填答毕业去向且计入基数者"})

    # -- income ---------------------------------------------------------------------------
    if "income" in df.columns:
        edges = [float(e) for e in income_bands]
        band_labels = _band_labels(edges)
        inc = income.to_numpy(dtype=float)
        band_idx = np.searchsorted(np.asarray(edges), inc, side="right")  # 0 .. len(edges)
        has_income = ~np.isnan(inc)
        n_impl = implausible.to_numpy(dtype=bool)
        rows, brows = [], []
        for g in groups:
            x = inc[g.pos]
            w = w_of(g)
            m = weighted_mean(x, w, conf=conf)
            q = weighted_quantile(x, [0.25, 0.5, 0.75], w)
            rows.append({**base_row(g), "n": m.n, "n_eff": m.n_eff,
                         "mean": m.mean, "mean_low": m.low, "mean_high": m.high, "sd": m.sd,
                         "p25": q[0], "median": q[1], "p75": q[2],
                         "n_implausible": int(n_impl[g.pos].sum())})
            # every band has the base of the income (present, weight > 0)
            rows_b, wb, sums = _shared_base(has_income, g.pos, w)
            bi = band_idx[rows_b]
            for k, lab in enumerate(band_labels):
                est = _share_of(bi == k, wb, conf, sums)
                brows.append({**base_row(g), "band": lab, "n": est.n, "count": est.count, "share": est.share,
                              "low": est.low, "high": est.high})
        tables["income"] = _finish(
            rows, head + ["n", "n_eff", "mean", "mean_low", "mean_high", "sd", "p25", "median", "p75",
                          "n_implausible"],
            min_cell=min_cell, attrs={**attrs, "title": TABLE_TITLES["income"],
                                      "base": f"在工作者（{'、'.join(definition.employed)}）中月收入合理者",
                                      "income_bounds": tuple(income_bounds)})
        tables["income_bands"] = _finish(
            brows, head + ["band", "n", "count", "share", "low", "high"], min_cell=min_cell,
            keep_cols=("band",), attrs={**attrs, "title": TABLE_TITLES["income_bands"]})
    else:
        problems.append(_absent("income", "月收入"))

    # -- relevance, expectation fit, job satisfaction ------------------------------------
    items = [c for c in RATING_ITEMS if c in df.columns]
    if items:
        S = {}
        for item in items:
            s = _numeric(df[item])
            S[item] = np.where(in_work, s, np.nan)
        cells: dict = {}
        for order, members in _levels(groups):  # each item in the level's group order once
            Wl = None if W is None else _in_order(W, order)
            for item in items:
                Sl = _in_order(S[item], order)
                for i, a, b in members:
                    g = groups[i]
                    # the top-box share and the mean have one base (rated, weight > 0)
                    xs, wb, sums = _select_base(Sl[a:b], None if Wl is None else Wl[a:b])
                    est = _share_of(xs >= thr, wb, conf, sums)
                    mean = _mean_only(xs, wb, None if sums is None else sums[0])  # the table shows the mean only
                    cells[(i, item)] = {**base_row(g), "item": item,
                                        "item_label": ITEM_LABELS.get(item, item), "n": est.n, "n_eff": est.n_eff,
                                        "mean": mean, "rate": est.share, "rate_low": est.low, "rate_high": est.high}
        rows = [cells[(i, item)] for i in range(len(groups)) for item in items]
        tables["job_quality"] = _finish(
            rows, head + ["item", "item_label", "n", "n_eff", "mean", "rate", "rate_low", "rate_high"],
            min_cell=min_cell, keep_cols=("item", "item_label"),
            attrs={**attrs, "title": TABLE_TITLES["job_quality"],
                   "base": "在工作者中作答该题者（无法评价不计入）",
                   "rate_definition": _rate_text(satisfied)})
    for c in RATING_ITEMS:
        if c not in df.columns:
            problems.append(_absent(c, ITEM_LABELS[c]))

    # -- turnover -------------------------------------------------------------------------
    if "job_changes" in df.columns:
        changed = _changed_jobs(df["job_changes"], tc("job_changes"))
        changed = np.where(in_work, changed, np.nan)
        reasons = _multi_codes(df["turnover_reasons"]) if "turnover_reasons" in df.columns else None
        rows, rrows = [], []
        if reasons is not None:
            rcodes, rsets = reasons
            reason_opts = list(TURNOVER_REASONS)
            reason_opts += sorted({r for s in rsets if s is not None for r in s} - set(reason_opts))
            rbase = (changed == 1) & (_multi_indicator(rcodes, rsets, lambda x: x is not None) == 1)
            R = {opt: np.where(rbase, _multi_indicator(rcodes, rsets, lambda x, o=opt: x is not None and o in x),
                               np.nan)
                 for opt in reason_opts}
        for g in groups:
            w = w_of(g)
            est = weighted_share(changed[g.pos], w, conf=conf)
            rows.append({**base_row(g), "n": est.n, "n_eff": est.n_eff, "count": est.count,
                         **_share_cols("turnover_rate", est)})
            if reasons is not None:
                rbase_g = _shared_base(rbase, g.pos, w)  # every reason has the same base
                for opt in reason_opts:
                    e = _share_of(R[opt][rbase_g[0]] > 0, rbase_g[1], conf, rbase_g[2])
                    rrows.append({**base_row(g), "reason": opt, "n": e.n, "count": e.count, "share": e.share,
                                  "low": e.low, "high": e.high})
        tables["turnover"] = _finish(
            rows, head + ["n", "n_eff", "count", "turnover_rate", "turnover_rate_low", "turnover_rate_high"],
            min_cell=min_cell, attrs={**attrs, "title": TABLE_TITLES["turnover"],
                                      "base": "在工作者中作答离职次数者；离职率 = 离职 1 次及以上的比例"})
        if reasons is not None:
            tables["turnover_reasons"] = _finish(
                rrows, head + ["reason", "n", "count", "share", "low", "high"], min_cell=min_cell,
                keep_cols=("reason",), attrs={**attrs, "title": TABLE_TITLES["turnover_reasons"],
                                              "base": "离职过且填写了原因者（多选，占比之和可超过 100%）"})
    else:
        problems.append(_absent("job_changes", "离职次数"))

    # -- recommendation -------------------------------------------------------------------
    if "recommend" in df.columns:
        known = tc.labels("recommend", lambda x: x in ("愿意", "不确定", "不愿意"))
        R = {lab: np.where(known, tc.labels("recommend", lambda x, lab=lab: x == lab).astype(float), np.nan)
             for lab in ("愿意", "不确定", "不愿意")}
        rows = []
        for g in groups:
            w = w_of(g)
            row = base_row(g)
            base = _shared_base(known, g.pos, w)  # the three answers share the base
            for name, lab in (("recommend_rate", "愿意"), ("unsure_rate", "不确定"), ("unwilling_rate", "不愿意")):
                est = _share_of(R[lab][base[0]] > 0, base[1], conf, base[2])
                row.update(_share_cols(name, est))
            row["n"] = est.n
            row["n_eff"] = est.n_eff
            rows.append(row)
        tables["recommendation"] = _finish(
            rows, head + ["n", "n_eff"] + [c for m in ("recommend_rate", "unsure_rate", "unwilling_rate")
                                           for c in (m, f"{m}_low", f"{m}_high")],
            min_cell=min_cell, attrs={**attrs, "title": TABLE_TITLES["recommendation"],
                                      "base": "作答推荐意愿者；推荐度 = 回答“愿意”的比例"})
    else:
        problems.append(_absent("recommend", "推荐意愿"))

    # -- employment distribution ----------------------------------------------------------
    dims = [c for c in ("employer_type", "industry", "region") if c in df.columns]
    if dims:
        rows = []
        dim_codes = {}
        for dim in dims:
            # the categories of the people in work, in order of first appearance among them
            # (as factorising the stripped column with everyone else blanked out)
            dcodes, dnames = tc(dim)
            valid = in_work & (dcodes >= 0)
            sub, first = pd.factorize(dcodes[valid])
            codes = np.full(len(dcodes), -1, dtype=np.intp)
            codes[valid] = sub
            dim_codes[dim] = (codes, dnames[np.asarray(first)])  # -1 = missing
        # level by level (codes and weights in the level's group order once, each group a
        # slice); rows are put in group order below
        for lorder, members in _levels(groups):
            Wl = None if W is None else _in_order(W, lorder)
            positive = None if Wl is None else Wl > 0
            for dim, (codes, cats) in dim_codes.items():
                cl = _in_order(codes, lorder)
                for i, a, b in members:
                    g = groups[i]
                    c = cl[a:b]
                    present = np.bincount(c[c >= 0], minlength=len(cats))
                    # every category of a dimension has the same base (answered, weight > 0): select
                    # it once per group; each share is then weighted_share's arithmetic on that base
                    ok = c >= 0
                    if Wl is not None:
                        ok &= positive[a:b]
                    cb = c[ok]
                    wb = None if Wl is None else Wl[a:b][ok]
                    sums = None if wb is None or not len(cb) else _base_sums(wb)
                    for k in np.argsort(-present, kind="stable"):
                        if present[k] == 0:
                            continue
                        est = _share_of(cb == k, wb, conf, sums)
                        rows.append({**base_row(g), "dimension": dim, "category": cats[k], "n": est.n,
                                     "count": est.count, "share": est.share, "low": est.low, "high": est.high})
        order = {(g.level, g.group): i for i, g in enumerate(groups)}
        rows.sort(key=lambda r: order[(r["level"], r["group"])])  # stable: group, then dimension
        table = _finish(rows, head + ["dimension", "category", "n", "count", "share", "low", "high"],
                        min_cell=min_cell, keep_cols=("dimension", "category"),
                        attrs={**attrs, "title": TABLE_TITLES["employment_distribution"],
                               "base": "在工作者中作答该题者"})
        tables["employment_distribution"] = table

    tables["problems"] = pd.DataFrame(problems, columns=["check", "column", "example", "count", "rows", "message"])
    tables["problems"].attrs.update({**attrs, "title": TABLE_TITLES["problems"]})
    for p in problems:
        if p["check"] != "absent_column":
            logger.warning(p["message"])
    return tables


def _absent(col: str, label: str) -> dict:
    return {"check": "absent_column", "column": col, "example": "", "count": 0, "rows": "",
            "message": f"数据中没有「{label}」（{col}）列，相关表格未生成"}


def _rate_text(satisfied: str) -> str:
    if str(satisfied).lower() == "top2":
        return "满意（top-box）比例 = 5 分和 4 分（很满意+满意，MyCOS 口径）占作答者的比例"
    return "满意（top-box）比例 = 5、4、3 分（很满意+比较满意+一般，新锦成口径）占作答者的比例"


def _band_labels(edges: list[float]) -> list[str]:
    labels = [f"{edges[0]:g}元以下"]
    for a, b in zip(edges[:-1], edges[1:]):
        labels.append(f"{a:g}–{b - 1:g}元")
    labels.append(f"{edges[-1]:g}元及以上")
    return labels


# ----------------------------------------------------------------------------------------
# teaching feedback
# ----------------------------------------------------------------------------------------
def teaching_feedback(
    df: pd.DataFrame,
    *,
    by: Sequence[str] = ("school", "college", "major"),
    satisfied: str = "top2",
    weights: str | None = None,
    min_cell: int = 5,
    conf: float = 0.95,
) -> dict[str, pd.DataFrame]:
    """Graduates' ratings of teaching and what they want improved.

    Parameters
    ----------
    df : DataFrame
        Cleaned graduate data with ``teach__<code>`` ratings, ``school_satisfaction`` and / or
        ``improve`` (┋-joined multi-select).
    by, satisfied, weights, min_cell, conf
        As in :func:`outcome_tables`.

    Returns
    -------
    dict with
        ``teaching_ratings`` (one row per group and item: ``n``, ``mean`` with interval,
        top-box ``rate`` with Wilson interval) and ``improve`` (one row per group and option:
        share of respondents choosing it).  ``以上均不需改进`` is exclusive: a respondent who
        ticked it *and* other options is inconsistent — left out of the base and counted in
        ``n_inconsistent`` (never counted twice).

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 5, "improve": ["课程内容不实用或陈旧"] * 4 + ["以上均不需改进"]})
    >>> t = teaching_feedback(d, by=("school",))["improve"]
    >>> float(t.loc[t["option"] == "以上均不需改进", "share"].iloc[0])
    0.2
    """
    thr = _threshold(satisfied)
    df = _unique_index(df)
    w_all = _weights(df, weights)
    groups, notes = _groups(df, by)
    attrs = {"satisfied": satisfied, "conf": conf, "min_cell": min_cell, **_weight_attrs(df, weights),
             "rate_definition": _rate_text(satisfied)}
    if notes:
        attrs["notes"] = notes
    items = [c for c in df.columns if str(c).startswith("teach__")]
    if "school_satisfaction" in df.columns:
        items.append("school_satisfaction")
    if not items and "improve" not in df.columns:
        raise AnalysisError("数据中没有教学评价（teach__*、school_satisfaction）或改进需求（improve）列",
                            expected="teach__classroom 等列", found="、".join(map(str, df.columns[:20])))
    out = {}
    head = ["level", "group", "college"]

    W = None if w_all is None else w_all.to_numpy(dtype=float)

    w_cache: dict = {}

    def w_of(g):  # the group's weights, gathered once per group
        if W is None:
            return None
        if id(g) not in w_cache:
            w_cache[id(g)] = W[g.pos]
        return w_cache[id(g)]

    if items:
        S = {item: _numeric(df[item]) for item in items}
        cells: dict = {}
        for order, members in _levels(groups):  # each item in the level's group order once
            Wl = None if W is None else _in_order(W, order)
            for item in items:
                Sl = _in_order(S[item], order)
                for i, a, b in members:
                    g = groups[i]
                    # one base for the mean and the share
                    xs, wb, sums = _select_base(Sl[a:b], None if Wl is None else Wl[a:b])
                    m = _mean_of(xs, wb, conf, sums)
                    est = _share_of(xs >= thr, wb, conf, sums)
                    cells[(i, item)] = {"level": g.level, "group": g.group, "college": g.college, "item": item,
                                        "item_label": ITEM_LABELS.get(item, item), "n": m.n, "n_eff": m.n_eff,
                                        "mean": m.mean, "mean_low": m.low, "mean_high": m.high, "rate": est.share,
                                        "rate_low": est.low, "rate_high": est.high}
        rows = [cells[(i, item)] for i in range(len(groups)) for item in items]
        out["teaching_ratings"] = _finish(
            rows, head + ["item", "item_label", "n", "n_eff", "mean", "mean_low", "mean_high", "rate",
                          "rate_low", "rate_high"],
            min_cell=min_cell, keep_cols=("item", "item_label"),
            attrs={**attrs, "title": TABLE_TITLES["teaching_ratings"],
                   "base": "作答该题者（无法评价不计入）；均值为 5 分制"})
    if "improve" in df.columns:
        icodes, isets = _multi_codes(df["improve"])
        bad_all = _multi_indicator(icodes, isets, lambda x: x is not None and IMPROVE_NONE in x and len(x) > 1) == 1
        inconsistent = pd.Series(bad_all, index=df.index)
        opts = list(IMPROVE_OPTIONS)
        opts += sorted({o for x in isets if x is not None for o in x} - set(opts))
        base_all = (_multi_indicator(icodes, isets, lambda x: x is not None) == 1) & ~bad_all
        ind_all = {opt: np.where(base_all, _multi_indicator(icodes, isets, lambda x, o=opt: x is not None and o in x),
                                 np.nan)
                   for opt in opts}
        rows = []
        for g in groups:
            w = w_of(g)
            bad = bad_all[g.pos]
            base = _shared_base(base_all, g.pos, w)  # every option has the same base
            for opt in opts:
                est = _share_of(ind_all[opt][base[0]] > 0, base[1], conf, base[2])
                rows.append({"level": g.level, "group": g.group, "college": g.college, "option": opt,
                             "n": est.n, "count": est.count, "share": est.share, "low": est.low,
                             "high": est.high, "n_inconsistent": int(bad.sum())})
        table = _finish(rows, head + ["option", "n", "count", "share", "low", "high", "n_inconsistent"],
                        min_cell=min_cell, keep_cols=("option",),
                        attrs={**attrs, "title": TABLE_TITLES["improve"],
                               "base": "作答者（多选，占比之和可超过 100%）；“以上均不需改进”与其他选项同选者视为"
                                       "不一致，不计入基数，人数见 n_inconsistent",
                               "n_inconsistent": int(inconsistent.sum())})
        out["improve"] = table
        if inconsistent.any():
            logger.warning("%d 名答卷者同时选择了“以上均不需改进”和其他改进项，已视为不一致", int(inconsistent.sum()))
    return out


def suggestion_mentions(
    df: pd.DataFrame,
    *,
    by: Sequence[str] = ("school", "major"),
    text_col: str = "comment",
    polarity: Sequence[str] = ("gap",),
    weights: str | None = None,
    min_cell: int = 5,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Competencies graduates name in their open suggestions, per group (the text layer).

    Each comment goes through :func:`survey_analysis.text.extract_skills`; a respondent counts
    for a competency when at least one mention has a polarity in ``polarity`` (default
    ``"gap"``: 希望加强 / 有待提高 …).  The base is the respondents whose comment has content
    (status ``mention`` or ``no_mention``; blanks and "无" are left out).

    Returns
    -------
    DataFrame
        ``level, group, college, competency`` (taxonomy id), ``competency_label``, ``n``
        (commenters), ``count``,
        ``share`` with Wilson ``low``/``high`` and ``example`` (one clause, already redacted by
        the cleaner; blanked for hidden groups).  Only competencies mentioned somewhere; within
        a group sorted by count.
    """
    from .text import extract_skills

    _require(df, [text_col])
    df = _unique_index(df)
    w_all = _weights(df, weights)
    groups, notes = _groups(df, by)
    mentions, status = extract_skills(df[text_col].astype(object), ids=list(range(len(df))), return_summary=True)
    has_text = status.set_index("comment_id")["status"].isin(["mention", "no_mention"])
    has_text = pd.Series(has_text.reindex(range(len(df))).fillna(False).to_numpy(dtype=bool), index=df.index)
    sel = mentions[mentions["polarity"].isin(list(polarity))]
    comps = sel.groupby(["competency_id", "competency"]).size().sort_values(ascending=False)
    hit = {cid: set(sel.loc[sel["competency_id"] == cid, "comment_id"].astype(int)) for cid, _ in comps.index}
    example = {cid: str(sel.loc[sel["competency_id"] == cid, "clause"].iloc[0]) for cid, _ in comps.index}
    rows = []
    for g in groups:
        w = None if w_all is None else w_all.to_numpy(dtype=float)[g.pos]
        base = has_text.iloc[g.pos]
        p = g.pos
        grp_rows = []
        for cid, label in comps.index:
            ind = np.where(base.to_numpy(dtype=bool), np.isin(p, list(hit[cid])).astype(float), np.nan)
            est = weighted_share(ind, w, conf=conf)
            if est.count == 0 and g.level != "school":
                continue
            ex = next((str(c) for c in sel.loc[(sel["competency_id"] == cid)
                                               & sel["comment_id"].astype(int).isin(p), "clause"].head(1)), None)
            grp_rows.append({"level": g.level, "group": g.group, "college": g.college, "competency": cid,
                             "competency_label": label, "n": est.n, "count": est.count, "share": est.share,
                             "low": est.low, "high": est.high, "example": ex or example[cid]})
        grp_rows.sort(key=lambda r: -r["count"])
        rows.extend(grp_rows)
    out = _finish(rows, ["level", "group", "college", "competency", "competency_label", "n", "count", "share", "low",
                         "high", "example"],
                  min_cell=min_cell, keep_cols=("competency", "competency_label", "example"),
                  attrs={"title": TABLE_TITLES["suggestions"], "min_cell": min_cell, **_weight_attrs(df, weights),
                         "base": "意见和建议有实际内容的答卷者；比例 = 提到该能力需加强的人数 / 该基数",
                         "polarity": list(polarity)})
    if len(out):
        out["example"] = out["example"].astype(object).where(~out["suppressed"].astype(bool), None)
    if notes:
        out.attrs["notes"] = notes
    return out


# ----------------------------------------------------------------------------------------
# competencies
# ----------------------------------------------------------------------------------------
def fulfilment_band(value: float) -> str | None:
    """MyCOS band of a 能力满足度 in percent: ≥90 满足, 85–90 基本满足, 75–85 不太满足, <75 不满足.

    Examples
    --------
    >>> fulfilment_band(90.0), fulfilment_band(89.9), fulfilment_band(75.0), fulfilment_band(74.9)
    ('满足', '基本满足', '不太满足', '不满足')
    """
    if value is None or pd.isna(value):
        return None
    for lower, label in FULFILMENT_BANDS:
        if value >= lower:
            return label
    return None  # pragma: no cover


def ability_fulfilment(
    df: pd.DataFrame,
    *,
    by: Sequence[str] = ("school", "major"),
    competencies: Sequence[str] | None = None,
    weights: str | None = None,
    min_cell: int = 5,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Graduates' 能力满足度 per competency and group (MyCOS style).

    ``fulfilment = mean(own level) / mean(required level) × 100`` — a ratio of means, computed
    on the respondents who rated both the required and their own level of that competency
    (pairwise complete; 无法评价 is missing).  Importance is the mean ``gimp__`` score of those
    who rated it.  Bands: ≥90 满足, 85–90 基本满足, 75–85 不太满足, <75 不满足.

    Parameters
    ----------
    df : DataFrame
        With ``greq__<code>`` and ``gown__<code>`` (and optionally ``gimp__<code>``) columns.
    by : default ("school", "major")
    competencies : sequence of str, optional
        Codes to include (default: every code that has both ``greq__`` and ``gown__``).
    weights, min_cell, conf
        As in :func:`outcome_tables`; ``n`` is the pairwise-complete count.

    Returns
    -------
    DataFrame
        One row per group and competency: ``importance_mean``, ``required_mean``, ``own_mean``,
        ``fulfilment`` (%), ``fulfilment_band``; sorted within a group by importance.

    Examples
    --------
    >>> d = pd.DataFrame({"greq__learning": [4.0, 4, 4, 4, 4], "gown__learning": [4.0, 3, 4, 3, 4]})
    >>> float(ability_fulfilment(d, by=("school",))["fulfilment"].iloc[0])
    90.0
    """
    if competencies is None:
        competencies = [c[len("greq__"):] for c in df.columns if str(c).startswith("greq__")
                        and f"gown__{str(c)[len('greq__'):]}" in df.columns]
        # only competencies someone rated on both scales
        competencies = [c for c in competencies
                        if (df[f"greq__{c}"].notna() & df[f"gown__{c}"].notna()).any()]
    if not competencies:
        raise AnalysisError("数据中没有能力要求水平（greq__*）与毕业时水平（gown__*）的配对列，无法计算能力满足度",
                            expected="如 greq__learning 与 gown__learning",
                            found="、".join(map(str, df.columns[:20])))
    _require(df, [f"greq__{c}" for c in competencies] + [f"gown__{c}" for c in competencies])
    df = _unique_index(df)
    w_all = _weights(df, weights)
    groups, notes = _groups(df, by)
    rows = []
    W = None if w_all is None else w_all.to_numpy(dtype=float)

    def num(col):
        return _numeric(df[col])

    REQ, OWN, BOTH, IMP, HAS_IMP = {}, {}, {}, {}, {}
    for code in competencies:
        REQ[code], OWN[code] = num(f"greq__{code}"), num(f"gown__{code}")
        BOTH[code] = ~np.isnan(REQ[code]) & ~np.isnan(OWN[code])
        IMP[code] = num(f"gimp__{code}") if f"gimp__{code}" in df.columns else None
        HAS_IMP[code] = None if IMP[code] is None else ~np.isnan(IMP[code])
    # competency by competency and level by level: each column is put in the level's group
    # order once and every group reads a contiguous slice (same values, same order as x[g.pos])
    cells: dict = {}
    for order, members in _levels(groups):
        Wl = None if W is None else _in_order(W, order)
        positive_l = None if Wl is None else Wl > 0  # NaN > 0 is False: a missing weight leaves the base
        for code in competencies:
            req_l, own_l = _in_order(REQ[code], order), _in_order(OWN[code], order)
            both_l = _in_order(BOTH[code], order)
            imp_l = None if IMP[code] is None else _in_order(IMP[code], order)
            has_imp_l = None if IMP[code] is None else _in_order(HAS_IMP[code], order)
            for i, a, b in members:
                # required and own level are pairwise complete: one base for both means (the
                # rows and weights _select_base / weighted_mean would select, selected once;
                # only the means are shown: the mean of _mean_of without its interval)
                ok = both_l[a:b] if Wl is None else both_l[a:b] & positive_l[a:b]
                wb = None if Wl is None else Wl[a:b][ok]
                sw = None if wb is None else np.sum(wb)
                n_pair = int(np.count_nonzero(ok))
                req_mean = _mean_only(req_l[a:b][ok], wb, sw)
                own_mean = _mean_only(own_l[a:b][ok], wb, sw)
                if imp_l is not None:
                    ok = has_imp_l[a:b] if Wl is None else has_imp_l[a:b] & positive_l[a:b]
                    imp = _mean_only(imp_l[a:b][ok], None if Wl is None else Wl[a:b][ok])
                else:
                    imp = np.nan
                ful = 100.0 * own_mean / req_mean if n_pair and req_mean > 0 else np.nan
                g = groups[i]
                cells[(i, code)] = {"level": g.level, "group": g.group, "college": g.college, "competency": code,
                                    "competency_label": COMPETENCY_LABELS.get(code, code), "n": n_pair,
                                    "importance_mean": imp, "required_mean": req_mean, "own_mean": own_mean,
                                    "fulfilment": ful}
    rows = [cells[(i, code)] for i in range(len(groups)) for code in competencies]
    table = pd.DataFrame(rows)
    table["_order"] = np.arange(len(table))
    table["_imp"] = table["importance_mean"].fillna(-1)
    table["_grp"] = table.groupby(["level", "group"], sort=False).ngroup()
    table = table.sort_values(["_grp", "_imp", "_order"], ascending=[True, False, True])
    table = table.drop(columns=["_order", "_imp", "_grp"]).reset_index(drop=True)
    out = _finish(table.to_dict("records"),
                  ["level", "group", "college", "competency", "competency_label", "n", "importance_mean",
                   "required_mean", "own_mean", "fulfilment"],
                  min_cell=min_cell, keep_cols=("competency", "competency_label"),
                  attrs={"title": TABLE_TITLES["ability_fulfilment"], "min_cell": min_cell,
                         **_weight_attrs(df, weights),
                         "averaging": "能力满足度 = 毕业时水平均值 / 岗位要求水平均值 × 100%（均值之比，MyCOS 口径），"
                                      "只用同时评价了要求水平和自身水平的答卷者；无法评价不计入",
                         "bands": "≥90% 满足；85%–90% 基本满足；75%–85% 不太满足；<75% 不满足"})
    out["fulfilment_band"] = out["fulfilment"].map(fulfilment_band)
    if notes:
        out.attrs["notes"] = notes
    return out


# ----------------------------------------------------------------------------------------
# respondent-level metrics (for comparisons and trends)
# ----------------------------------------------------------------------------------------
_BINARY_PLACEMENT = {"placement_rate": "placed", "employment_rate": "employed", "flexible_rate": "flexible",
                     "further_study_domestic_rate": "further_domestic", "abroad_rate": "abroad",
                     "unemployed_rate": "unemployed"}
_RATING_PREFIXES = ("teach__", "job_sat__", "gimp__", "greq__", "gown__")


def _is_rating(col: str) -> bool:
    return col in RATING_ITEMS or col == "school_satisfaction" or str(col).startswith(_RATING_PREFIXES)


def _metric_values(df, metric, definition, satisfied, income_bounds) -> tuple[str, pd.Series]:
    """(kind, values): kind is 'binary' (0/1/NaN), 'categorical' (labels) or 'continuous'."""
    if metric in _BINARY_PLACEMENT:
        _require(df, ["destination"])
        return "binary", _destination_flags(df, definition)[_BINARY_PLACEMENT[metric]]
    if metric == "destination":
        _require(df, ["destination"])
        f = _destination_flags(df, definition)
        return "categorical", _as_str(df["destination"]).where(f["in_base"])
    if metric in ("recommend_rate", "recommend"):
        _require(df, ["recommend"])
        rec = _as_str(df["recommend"])
        known = rec.isin(["愿意", "不确定", "不愿意"]).fillna(False)
        if metric == "recommend":
            return "categorical", rec.where(known)
        return "binary", (rec == "愿意").astype(float).where(known, np.nan)
    if metric == "turnover_rate":
        _require(df, ["job_changes", "destination"])
        f = _destination_flags(df, definition)
        v = pd.Series(_changed_jobs(df["job_changes"]), index=df.index)
        return "binary", v.where(f["in_work"])
    if metric == "income":
        _require(df, ["income", "destination"])
        f = _destination_flags(df, definition)
        inc, _ = _income_flags(df, f, income_bounds)
        return "continuous", inc
    if metric.endswith("_rate") and _is_rating(metric[:-5]):
        col = metric[:-5]
        _require(df, [col])
        s = pd.to_numeric(df[col], errors="coerce")
        if col in RATING_ITEMS and "destination" in df.columns:
            s = s.where(_destination_flags(df, definition)["in_work"])
        return "binary", (s >= _threshold(satisfied)).astype(float).where(s.notna())
    if _is_rating(metric) and metric in df.columns:
        s = pd.to_numeric(df[metric], errors="coerce")
        if metric in RATING_ITEMS and "destination" in df.columns:
            s = s.where(_destination_flags(df, definition)["in_work"])
        return "continuous", s
    raise ConfigError(
        "未知的指标（metric）",
        expected="placement_rate、employment_rate、unemployed_rate、destination、recommend_rate、turnover_rate、"
                 "income、relevance、relevance_rate、job_sat__overall_rate、teach__classroom 等",
        found=metric,
    )


def compare_majors(
    df: pd.DataFrame,
    metrics: str | Sequence[str] = "placement_rate",
    *,
    group: str = "major",
    definition: "PlacementDefinition | str | None" = None,
    satisfied: str = "top2",
    min_cell: int = 5,
    alpha: float = 0.05,
    income_bounds: tuple[float, float] = (1000.0, 200000.0),
    weights: str | None = None,
) -> pd.DataFrame:
    """Are majors different?  Omnibus test across majors and each major against the rest.

    Shares and categories (``placement_rate``, ``destination``, ``recommend_rate``, top-box
    ``<item>_rate`` …) use Pearson's chi-square test of the group × answer table (no continuity
    correction) with Cramér's V; scores (``income``, ``relevance``, ``teach__classroom`` …) use
    the Kruskal–Wallis test with ε² = H / (n − 1).  p-values are adjusted with
    Benjamini–Hochberg: the omnibus rows across ``metrics``, the "one major vs the rest" rows
    within each metric.  Groups with fewer than ``min_cell`` valid answers are left out (named
    in ``note``).

    With ``weights=`` the shares / means are weighted and the tests get a first-order
    design-effect correction: the chi-square is computed from the weighted cell proportions
    scaled to Kish's effective sample size ``n_eff`` (it equals Pearson's statistic when all
    weights are equal), and H is divided by ``deff = n / n_eff``.

    Returns
    -------
    DataFrame
        Columns ``metric``, ``comparison`` (``"各专业之间"`` or a major), ``n``, ``group_value``,
        ``rest_value`` (share or mean), ``test``, ``statistic``, ``dof``, ``p_value``, ``p_adj``,
        ``effect_size``, ``effect_measure``, ``significant``, ``note``.

    Examples
    --------
    >>> d = pd.DataFrame({"major": ["甲"] * 10 + ["乙"] * 10,
    ...                   "destination": ["在国内工作"] * 9 + ["暂不就业"] + ["在国内工作"] * 2 + ["暂不就业"] * 8})
    >>> r = compare_majors(d, "placement_rate")
    >>> bool(r.loc[0, "p_value"] < 0.01)
    True
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    _require(df, [group])
    df = _unique_index(df)
    definition = PlacementDefinition.from_name(definition)
    key = _as_str(df[group])
    w_all = _weights(df, weights)
    rows_omni, rows_pair = [], []
    for metric in metrics:
        kind, v = _metric_values(df, metric, definition, satisfied, income_bounds)
        ok = v.notna() & key.notna()
        if w_all is not None:
            ok &= w_all > 0
        sizes = key[ok].value_counts()
        keep = sizes[sizes >= min_cell].index
        dropped = sorted(sizes[sizes < min_cell].index)
        note = f"样本量少于 {min_cell} 的组未参加检验：{'、'.join(dropped)}" if dropped else ""
        ok &= key.isin(keep).fillna(False)
        kv, vv = key[ok], v[ok]
        wv = None if w_all is None else w_all[ok].to_numpy(dtype=float)
        test_name = "卡方检验（chi-square）" if kind != "continuous" else "Kruskal–Wallis 检验"
        measure = "Cramér's V" if kind != "continuous" else "ε²"
        base = {"metric": metric, "test": test_name, "effect_measure": measure}
        if len(keep) < 2:
            rows_omni.append({**base, "comparison": "各专业之间", "n": int(ok.sum()), "statistic": np.nan,
                              "dof": np.nan, "p_value": np.nan, "effect_size": np.nan,
                              "note": (note + "；" if note else "") + "可比较的组少于 2 个"})
            continue
        stat, dof, p, eff = _test(kind, kv, vv, wv)
        rows_omni.append({**base, "comparison": "各专业之间", "n": int(ok.sum()), "statistic": stat, "dof": dof,
                          "p_value": p, "effect_size": eff, "group_value": np.nan, "rest_value": np.nan,
                          "note": note})
        pair = []
        for g in sorted(keep, key=lambda x: (-sizes[x], x)):
            inside = (kv == g).map({True: g, False: "其他"})
            stat, dof, p, eff = _test(kind, inside, vv, wv)
            m = (kv == g).to_numpy()
            gv = _summary_value(kind, vv[m], None if wv is None else wv[m])
            rv = _summary_value(kind, vv[~m], None if wv is None else wv[~m])
            pair.append({**base, "comparison": str(g), "n": int((kv == g).sum()), "statistic": stat, "dof": dof,
                         "p_value": p, "effect_size": eff, "group_value": gv, "rest_value": rv, "note": ""})
        _bh_into(pair)
        rows_pair.extend(pair)
    _bh_into(rows_omni)
    cols = ["metric", "comparison", "n", "group_value", "rest_value", "test", "statistic", "dof", "p_value",
            "p_adj", "effect_size", "effect_measure", "significant", "note"]
    out = pd.DataFrame(rows_omni + rows_pair, columns=cols)
    out["significant"] = (out["p_adj"] < alpha).where(out["p_adj"].notna())
    out.insert(1, "metric_label", out["metric"].map(metric_label))
    out.attrs.update({
        "title": TABLE_TITLES["comparisons"], "alpha": alpha,
        **({"weighted": False, "weighting": "未加权（检验假定简单随机抽样）"} if weights is None else
           {"weighted": True, "weight_col": weights,
            "weighting": (df.attrs.get("weighting") or f"加权，权重列「{weights}」。")
            + " 检验按 Kish 设计效应作一阶校正：卡方由加权比例按有效样本量计算，H 除以 deff。"}),
        "method": "比例和类别：Pearson 卡方检验（无连续性校正），效应量 Cramér's V；评分和收入：Kruskal–Wallis 检验，"
                  "效应量 ε² = H/(n−1)；p 值经 Benjamini–Hochberg 校正（各指标的总体检验之间、同一指标的"
                  "“某专业 vs 其他专业”比较之间）。group_value/rest_value 对比例是占比，对评分和收入是均值。",
        "definition": definition.describe(),
    })
    return out


def metric_label(metric: str) -> str:
    """Chinese name of a metric of :func:`compare_majors` / :func:`trends`.

    Examples
    --------
    >>> metric_label("job_sat__overall_rate")
    '就业满意度（总体）（满意比例）'
    """
    if metric in LABELS:
        return LABELS[metric]
    if metric == "income":
        return "月收入"
    if metric == "destination":
        return "毕业去向分布"
    if metric == "recommend":
        return "推荐意愿分布"
    if metric.endswith("_rate") and metric[:-5] in ITEM_LABELS:
        return f"{ITEM_LABELS[metric[:-5]]}（满意比例）"
    if metric in ITEM_LABELS:
        return f"{ITEM_LABELS[metric]}（均分）"
    for prefix, name in (("gimp__", "重要度"), ("greq__", "要求水平"), ("gown__", "毕业时水平")):
        if metric.startswith(prefix):
            return f"{COMPETENCY_LABELS.get(metric[len(prefix):], metric[len(prefix):])}（{name}）"
    return metric


def _summary_value(kind, v, w=None):
    if kind in ("binary", "continuous") and len(v):
        x = v.to_numpy(dtype=float)
        return float(np.average(x, weights=w)) if w is not None else float(x.mean())
    return np.nan


def _test(kind, key: pd.Series, v: pd.Series, w: np.ndarray | None = None):
    n = len(v)
    if kind == "continuous":
        samples = [v[key == g].to_numpy(dtype=float) for g in pd.unique(key)]
        if len(samples) < 2 or np.unique(v.to_numpy(dtype=float)).size < 2:
            return np.nan, np.nan, np.nan, np.nan
        h, _ = stats.kruskal(*samples)
        if w is not None:
            h = h * kish_effective_n(w) / n  # H / deff
        dof = len(samples) - 1
        return float(h), float(dof), float(stats.chi2.sf(h, dof)), float(h / (n - 1))
    if w is None:
        table = pd.crosstab(key, v.astype(str)).to_numpy(dtype=float)
        n_eff = float(n)
    else:
        table = pd.crosstab(key, v.astype(str), values=w, aggfunc="sum").fillna(0).to_numpy(dtype=float)
        n_eff = kish_effective_n(w)
    if table.shape[0] < 2 or table.shape[1] < 2:
        return np.nan, np.nan, np.nan, 0.0 if table.shape[1] == 1 else np.nan
    prop = table / table.sum()
    expected = prop.sum(1, keepdims=True) * prop.sum(0, keepdims=True)
    chi2 = float(n_eff * ((prop - expected) ** 2 / expected).sum())
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    v_eff = np.sqrt(chi2 / (n_eff * (min(table.shape) - 1)))
    return chi2, float(dof), float(stats.chi2.sf(chi2, dof)), float(v_eff)


def _bh_into(rows: list[dict]) -> None:
    ps = np.array([r.get("p_value", np.nan) for r in rows], dtype=float)
    adj = np.full(len(ps), np.nan)
    ok = ~np.isnan(ps)
    if ok.any():
        adj[ok] = stats.false_discovery_control(ps[ok], method="bh")
    for r, a in zip(rows, adj):
        r["p_adj"] = float(a)


# ----------------------------------------------------------------------------------------
# trends
# ----------------------------------------------------------------------------------------
def newcombe_interval(p1: float, lo1: float, hi1: float, p2: float, lo2: float, hi2: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval for ``p1 - p2`` from the two Wilson intervals.

    ``low = d - sqrt((p1 - lo1)^2 + (hi2 - p2)^2)``, ``high = d + sqrt((hi1 - p1)^2 + (p2 - lo2)^2)``
    (Newcombe 1998, method 10).

    Examples
    --------
    >>> lo1, hi1 = wilson_interval(0.6, 50); lo2, hi2 = wilson_interval(0.4, 50)
    >>> [round(x, 4) for x in newcombe_interval(0.6, lo1, hi1, 0.4, lo2, hi2)]
    [0.0046, 0.3752]
    """
    if any(pd.isna(x) for x in (p1, lo1, hi1, p2, lo2, hi2)):
        return (np.nan, np.nan)
    d = p1 - p2
    return (float(d - np.sqrt((p1 - lo1) ** 2 + (hi2 - p2) ** 2)),
            float(d + np.sqrt((hi1 - p1) ** 2 + (p2 - lo2) ** 2)))


def _split_cohorts(frames_by_cohort) -> tuple[dict, list[dict]]:
    problems = []
    if isinstance(frames_by_cohort, pd.DataFrame):
        _require(frames_by_cohort, ["cohort"])
        d = _unique_index(frames_by_cohort)
        c = pd.to_numeric(d["cohort"], errors="coerce")
        if c.isna().any():
            problems.append({"cohort": None, "check": "missing_cohort",
                             "message": f"{int(c.isna().sum())} 名答卷者的毕业年份缺失，未计入趋势"})
        frames = {int(k): d.loc[idx] for k, idx in d.groupby(c).groups.items()}
    elif isinstance(frames_by_cohort, Mapping):
        frames = dict(frames_by_cohort)
    else:
        raise ConfigError("frames_by_cohort 应为 {届别: DataFrame} 字典或含 cohort 列的 DataFrame",
                          found=type(frames_by_cohort).__name__)
    clean = {}
    for k in sorted(frames, key=lambda x: (str(type(x)), x)):
        f = frames[k]
        if f is None or len(f) == 0:
            problems.append({"cohort": k, "check": "empty_cohort",
                             "message": f"{k} 届没有任何答卷，未参加年度比较"})
            continue
        clean[k] = _unique_index(f)
    return clean, problems


def trends(
    frames_by_cohort,
    *,
    metrics: Sequence[str] = ("placement_rate", "employment_rate", "unemployed_rate"),
    by: Sequence[str] = ("school", "major"),
    definition: "PlacementDefinition | str | None" = None,
    satisfied: str = "top2",
    weights: str | None = None,
    min_cell: int = 5,
    conf: float = 0.95,
    income_bounds: tuple[float, float] = (1000.0, 200000.0),
) -> pd.DataFrame:
    """Year-over-year change of outcome metrics per group, with an interval for the change.

    Parameters
    ----------
    frames_by_cohort : dict {cohort: DataFrame} or DataFrame with a ``cohort`` column
        Cohorts with no responses are skipped, reported in ``attrs["problems"]`` (a list of
        dicts with ``cohort``, ``check``, ``message``), and each
        cohort is compared with the previous cohort that has data.
    metrics : sequence of str
        Share metrics (``placement_rate``, ``employment_rate``, ``flexible_rate``,
        ``unemployed_rate``, ``recommend_rate``, ``turnover_rate``, ``relevance_rate``,
        ``job_sat__overall_rate`` …) get Newcombe's (Wilson-based) interval for the difference;
        ``income`` and scores get Welch's interval for the difference of means.
    by, definition, satisfied, weights, min_cell, conf, income_bounds
        As in :func:`outcome_tables` (weighted intervals use Kish's effective n).

    Returns
    -------
    DataFrame
        ``level, group, college, metric, cohort_prev, cohort, n_prev, n, value_prev, value, diff,
        diff_low, diff_high, change_significant`` (interval excludes 0), plus ``metric_label``.  Rows where either year has fewer
        than ``min_cell`` answers are hidden.
    """
    definition = PlacementDefinition.from_name(definition)
    frames, problems = _split_cohorts(frames_by_cohort)
    per = {}
    for cohort, f in frames.items():
        groups, _ = _groups(f, by)
        w_all = _weights(f, weights)
        W = None if w_all is None else w_all.to_numpy(dtype=float)
        for metric in metrics:
            kind, v = _metric_values(f, metric, definition, satisfied, income_bounds)
            V = v.to_numpy(dtype=float)
            for g in groups:
                w = None if W is None else W[g.pos]
                vals = V[g.pos]
                if kind == "binary":
                    e = weighted_share(vals, w, conf=conf)
                    per[(g.level, g.group, metric, cohort)] = ("binary", e, g.college)
                else:
                    e = weighted_mean(vals, w, conf=conf)
                    per[(g.level, g.group, metric, cohort)] = ("continuous", e, g.college)
    cohorts = list(frames)
    rows = []
    seen_groups = []
    for (lv, grp, metric, _c) in per:
        if (lv, grp, metric) not in seen_groups:
            seen_groups.append((lv, grp, metric))
    z = stats.norm.ppf(1 - (1 - conf) / 2)
    for lv, grp, metric in seen_groups:
        available = [c for c in cohorts if (lv, grp, metric, c) in per]
        for prev, cur in zip(available[:-1], available[1:]):
            kind, e0, college = per[(lv, grp, metric, prev)]
            _, e1, college1 = per[(lv, grp, metric, cur)]
            if kind == "binary":
                value_prev, value = e0.share, e1.share
                lo, hi = newcombe_interval(e1.share, e1.low, e1.high, e0.share, e0.low, e0.high)
            else:
                value_prev, value = e0.mean, e1.mean
                lo, hi = _welch(e1, e0, conf)
            rows.append({"level": lv, "group": grp, "college": college1 if pd.notna(college1) else college,
                         "metric": metric, "cohort_prev": prev, "cohort": cur, "n_prev": e0.n,
                         "n": min(e0.n, e1.n), "n_cur": e1.n, "value_prev": value_prev, "value": value,
                         "diff": value - value_prev, "diff_low": lo, "diff_high": hi})
    cols = ["level", "group", "college", "metric", "cohort_prev", "cohort", "n_prev", "n_cur", "n",
            "value_prev", "value", "diff", "diff_low", "diff_high"]
    out = _finish(rows, cols, min_cell=min_cell, keep_cols=("metric", "cohort_prev", "cohort", "n_prev", "n_cur"),
                  attrs={"title": TABLE_TITLES["trends"], **_weight_attrs(next(iter(frames.values()), pd.DataFrame()),
                                                                         weights),
                         "definition": definition.describe(), "conf": conf,
                         "method": "比例之差用 Newcombe（基于 Wilson）区间；均值之差用 Welch 区间；"
                                   "n 为两届中较小的样本量（用于隐藏小样本）",
                         "problems": problems,
                         "cohorts": cohorts})
    # a row is only shown when both years reach min_cell; keep n_prev/n_cur for transparency
    out["change_significant"] = ((out["diff_low"] > 0) | (out["diff_high"] < 0)).where(out["diff_low"].notna())
    out.insert(out.columns.get_loc("metric") + 1, "metric_label", out["metric"].map(metric_label))
    for p in problems:
        logger.warning(p["message"])
    _ = z
    return out


def _welch(e1, e0, conf):
    if e1.n_eff <= 1 or e0.n_eff <= 1 or pd.isna(e1.sd) or pd.isna(e0.sd):
        return (np.nan, np.nan)
    v1, v0 = e1.sd ** 2 / e1.n_eff, e0.sd ** 2 / e0.n_eff
    se = np.sqrt(v1 + v0)
    if se == 0:
        return (e1.mean - e0.mean, e1.mean - e0.mean)
    dof = (v1 + v0) ** 2 / (v1 ** 2 / (e1.n_eff - 1) + v0 ** 2 / (e0.n_eff - 1))
    t = stats.t.ppf(1 - (1 - conf) / 2, dof)
    d = e1.mean - e0.mean
    return (float(d - t * se), float(d + t * se))


# ----------------------------------------------------------------------------------------
# warnings
# ----------------------------------------------------------------------------------------
_CARD_RULE = (
    "红黄绿牌规则（参照 MyCOS）：综合指数 = 就业去向落实率、月收入均值、就业满意度（总体）在各专业中的百分位排名的平均"
    "（取最近 {years} 届的平均值；缺某项时用其余各项）；未就业人数 = 最近 {years} 届未就业人数之和。"
    "红牌：综合指数处于最差的四分之一（≤ 下四分位数），且未就业人数高于各专业中位数；"
    "黄牌：非红牌，且综合指数处于最差的四分之一，或综合指数低于中位数且未就业人数高于中位数；"
    "绿牌：综合指数处于最好的四分之一（≥ 上四分位数），且未就业人数不高于中位数；"
    "其余为“无”；样本量不足（被隐藏）的专业为“样本不足”。"
)


def major_warnings(
    tables_by_cohort: Mapping,
    *,
    benchmark: float | None = None,
    threshold: float = 0.60,
    consecutive: int = 2,
    metric: str = "placement_rate",
    card_years: int = 3,
) -> pd.DataFrame:
    """Warnings for majors: below a benchmark, below a threshold N years running, and a card.

    Parameters
    ----------
    tables_by_cohort : dict {cohort: dict of tables}
        The results of :func:`outcome_tables` per cohort (a bare ``placement`` DataFrame per
        cohort is accepted too; the card then uses the placement rate only).  A cohort whose
        tables are empty or ``None`` is reported in ``attrs["problems"]`` (list of dicts).
    benchmark : float, optional
        The local average placement rate given by the user (the notice's "below the local
        average"); ``None`` leaves ``below_benchmark`` empty.
    threshold : float, default 0.60
    consecutive : int, default 2
        Years running below ``threshold`` (ending with the latest cohort) that raise the flag.
    metric : str, default "placement_rate"
    card_years : int, default 3
        How many of the latest cohorts the card averages.

    Returns
    -------
    DataFrame
        One row per major: ``major``, ``college``, ``latest_cohort``, ``<metric>_<cohort>`` per
        cohort, ``benchmark``, ``below_benchmark``, ``years_below_threshold``,
        ``below_threshold_consecutive``, ``score``, ``unemployed_count``, ``card``
        (红牌/黄牌/绿牌/无/样本不足), ``note``.  ``attrs["rule"]`` states the rule in Chinese.
    """
    if not isinstance(tables_by_cohort, Mapping) or not tables_by_cohort:
        raise ConfigError("major_warnings 需要 {届别: outcome_tables 结果} 字典", found=type(tables_by_cohort).__name__)
    if consecutive < 1:
        raise ConfigError("连续年数（consecutive）至少为 1", found=consecutive)
    for name, val in (("benchmark", benchmark), ("threshold", threshold)):
        if val is not None and not 0 <= val <= 1:
            raise ConfigError(f"{'基准线' if name == 'benchmark' else '阈值'}（{name}）应为 0 到 1 之间的比例",
                              expected="如 0.85 表示 85%", found=val, hint="请把百分数写成小数，例如 85% 写作 0.85。")
    problems = []
    per_cohort: dict = {}
    for cohort in sorted(tables_by_cohort):
        t = tables_by_cohort[cohort]
        placement = t.get("placement") if isinstance(t, Mapping) else t
        if placement is None or len(placement) == 0:
            problems.append({"cohort": cohort, "check": "empty_cohort", "message": f"{cohort} 届没有数据，未参加预警"})
            continue
        maj = placement[placement["level"] == "major"].set_index("group")
        if maj.empty:
            problems.append({"cohort": cohort, "check": "no_major_rows",
                             "message": f"{cohort} 届没有按专业的结果（请用 by 含 major）"})
            continue
        rec = pd.DataFrame(index=maj.index)
        rec["college"] = maj["college"]
        rec["value"] = maj[metric]
        rec["unemployed_count"] = maj["unemployed_count"] if "unemployed_count" in maj else np.nan
        rec["income"] = np.nan
        rec["job_sat"] = np.nan
        if isinstance(t, Mapping):
            inc = t.get("income")
            if inc is not None and len(inc):
                rec["income"] = inc[inc["level"] == "major"].set_index("group")["mean"].reindex(rec.index)
            jq = t.get("job_quality")
            if jq is not None and len(jq):
                jqm = jq[(jq["level"] == "major") & (jq["item"] == "job_sat__overall")].set_index("group")
                rec["job_sat"] = jqm["rate"].reindex(rec.index)
        per_cohort[cohort] = rec
    rule = _CARD_RULE.format(years=card_years)
    cols = ["major", "college", "latest_cohort"]
    if not per_cohort:
        out = pd.DataFrame(columns=cols + ["card", "note"])
        out.attrs.update({"rule": rule, "problems": problems, "title": TABLE_TITLES["warnings"]})
        return out
    cohorts = list(per_cohort)
    latest = cohorts[-1]
    majors = sorted(set().union(*[set(r.index) for r in per_cohort.values()]))
    rows = []
    for m in majors:
        row = {"major": m, "college": next((per_cohort[c].loc[m, "college"] for c in reversed(cohorts)
                                            if m in per_cohort[c].index), np.nan)}
        present = [c for c in cohorts if m in per_cohort[c].index and pd.notna(per_cohort[c].loc[m, "value"])]
        row["latest_cohort"] = present[-1] if present else np.nan
        for c in cohorts:
            row[f"{metric}_{c}"] = per_cohort[c].loc[m, "value"] if m in per_cohort[c].index else np.nan
        notes = []
        latest_value = row[f"{metric}_{latest}"]
        row["benchmark"] = benchmark
        if benchmark is None:
            row["below_benchmark"] = pd.NA
        elif pd.isna(latest_value):
            row["below_benchmark"] = pd.NA
            notes.append(f"{latest} 届无数据或样本不足，无法与基准线比较")
        else:
            row["below_benchmark"] = bool(latest_value < benchmark)
        run = 0
        for c in reversed(cohorts):
            v = row[f"{metric}_{c}"]
            if pd.isna(v):
                if run < consecutive:
                    notes.append(f"{c} 届无数据或样本不足，连续年数在此中断")
                break
            if v < threshold:
                run += 1
            else:
                break
        row["years_below_threshold"] = run
        row["below_threshold_consecutive"] = run >= consecutive
        recent = [c for c in cohorts[-card_years:]]
        vals = {k: [per_cohort[c].loc[m, k] for c in recent if m in per_cohort[c].index] for k in
                ("value", "income", "job_sat", "unemployed_count")}
        for k in ("value", "income", "job_sat"):
            arr = [x for x in vals[k] if pd.notna(x)]
            row[f"_avg_{k}"] = float(np.mean(arr)) if arr else np.nan
        un = [x for x in vals["unemployed_count"] if pd.notna(x)]
        row["unemployed_count"] = float(np.sum(un)) if un else np.nan
        row["note"] = "；".join(notes)
        rows.append(row)
    out = pd.DataFrame(rows)
    comps = []
    for k in ("value", "income", "job_sat"):
        col = f"_avg_{k}"
        if out[col].notna().any():
            comps.append(out[col].rank(pct=True, method="average"))
    score = pd.concat(comps, axis=1).mean(axis=1, skipna=True) if comps else pd.Series(np.nan, index=out.index)
    score = score.where(out["_avg_value"].notna())
    out["score"] = score
    ok = score.notna() & out["unemployed_count"].notna()
    cards = pd.Series("样本不足", index=out.index, dtype=object)
    if ok.any():
        q1, med_s, q3 = np.quantile(score[ok], [0.25, 0.5, 0.75])
        med_u = float(np.median(out.loc[ok, "unemployed_count"]))
        s, u = score[ok], out.loc[ok, "unemployed_count"]
        worst = s <= q1
        red = worst & (u > med_u)
        yellow = ~red & (worst | ((s < med_s) & (u > med_u)))
        green = (s >= q3) & (u <= med_u) & ~red & ~yellow
        c = pd.Series("无", index=s.index, dtype=object)
        c[yellow] = "黄牌"
        c[red] = "红牌"
        c[green] = "绿牌"
        cards[ok] = c
        thresholds = {"score_q1": float(q1), "score_median": float(med_s), "score_q3": float(q3),
                      "unemployed_median": med_u}
    else:
        thresholds = {}
    out["card"] = cards
    out = out.drop(columns=[c for c in out.columns if c.startswith("_avg_")])
    order = {"红牌": 0, "黄牌": 1, "无": 2, "绿牌": 3, "样本不足": 4}
    out = out.sort_values(["card", "score"], key=lambda s: s.map(order) if s.name == "card" else s,
                          na_position="last").reset_index(drop=True)
    out.attrs.update({
        "title": TABLE_TITLES["warnings"], "rule": rule, "thresholds": thresholds,
        "benchmark": benchmark, "threshold": threshold, "consecutive": consecutive, "metric": metric,
        "cohorts": cohorts,
        "flag_rule": (f"低于基准线：最近一届（{latest}）{LABELS.get(metric, metric)}低于用户给定的基准线"
                      f"{'' if benchmark is None else f' {benchmark:.1%}'}；连续低于阈值：截至最近一届连续 "
                      f"{consecutive} 届及以上低于 {threshold:.0%}。"),
        "problems": problems,
    })
    for p in problems:
        logger.warning(p["message"])
    return out
