"""``outcome_tables``: every table of a 毕业生就业质量年度报告 for one cohort, at each level."""
from __future__ import annotations

import logging
from typing import Sequence

import numpy as np
import pandas as pd

from ..design import Design
from ..errors import AnalysisError
from ..stats import GroupIndex
from .base import Survey, destination_flags, income_in_work, prepare, resolve, rows_text
from .job_quality import income_tables, job_quality_table, recommendation_table, turnover_tables
from .labels import ITEM_LABELS, RATING_ITEMS, TABLE_TITLES
from .placement import distribution_table, in_province_table, placement_table

__all__ = ["outcome_tables", "INCOME_BANDS", "WORK_DIMENSIONS"]

logger = logging.getLogger(__name__)

#: income band edges (yuan) of the income distribution table
INCOME_BANDS = (3000, 5000, 7000, 9000, 12000)
#: where graduates in work are: the columns of ``employment_distribution`` (those present)
WORK_DIMENSIONS = ("employer_type", "employer_size", "industry", "occupation", "region", "work_province",
                   "work_city")

_PROBLEM_COLS = ["check", "column", "example", "count", "rows", "message"]


def _absent(col: str, label: str) -> dict:
    return {"check": "absent_column", "column": col, "example": "", "count": 0, "rows": "",
            "message": f"数据中没有「{label}」（{col}）列，相关表格未生成"}


def _problems(s: Survey, flags, implausible) -> list[dict]:
    df, out = s.df, []
    if flags.unknown.any():
        codes, labels = s.codes("destination")
        for k in np.unique(codes[flags.unknown]):
            m = flags.unknown & (codes == k)
            out.append({"check": "unknown_destination", "column": "destination", "example": labels[k],
                        "count": int(m.sum()), "rows": rows_text(m, df),
                        "message": f"毕业去向「{labels[k]}」无法识别，{int(m.sum())} 人未计入基数（不算落实也不算未就业）"})
    if flags.missing.any():
        out.append({"check": "missing_destination", "column": "destination", "example": "",
                    "count": int(flags.missing.sum()), "rows": rows_text(flags.missing, df),
                    "message": f"{int(flags.missing.sum())} 人未填毕业去向，未计入基数"})
    if implausible.any():
        lo, hi = s.design.income_bounds
        vals = s.values("income")[implausible]
        out.append({"check": "implausible_income", "column": "income",
                    "example": "、".join(f"{v:g}" for v in vals[:5]), "count": int(implausible.sum()),
                    "rows": rows_text(implausible, df),
                    "message": f"{int(implausible.sum())} 个月收入不在合理范围 [{lo:g}, {hi:g}] 元内，未计入收入统计"})
    return out


def outcome_tables(df: pd.DataFrame, design: Design | None = None, *, index: GroupIndex | None = None,
                   income_bands: Sequence[float] = INCOME_BANDS, **overrides) -> dict[str, pd.DataFrame]:
    """The outcome tables of a 毕业生就业质量年度报告, at the design's levels.

    Parameters
    ----------
    df : DataFrame
        Cleaned graduate data of one cohort (needs ``destination``; other columns are used when
        present).
    design : Design, optional
        Levels, placement definition, top-box rule, weight column, conf, min_cell, income
        bounds (default ``Design()``); keyword ``overrides`` change single settings
        (``by=``, ``definition=``, ``weights=``, ``satisfied=``, ``min_cell=`` …).
    index : GroupIndex, optional
        The groups of ``df`` when the caller has built them (reused, not rebuilt).
    income_bands : sequence of float
        Band edges for the income distribution.

    Returns
    -------
    dict of str to DataFrame
        ``placement``, ``income``, ``income_bands``, ``job_quality``, ``unrelated_reasons``,
        ``turnover``, ``turnover_reasons``, ``recommendation``, ``in_province`` (本省就业比例),
        ``employment_distribution`` (单位性质、规模、行业、职业、地区)
        (those whose columns are present) and ``problems`` (``check, column, example, count,
        rows, message``).  Every group table has ``level, group, college, n`` (the base's
        respondents), the estimates with ``_low``/``_high`` intervals and ``suppressed``.

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
    design = resolve(design, **overrides)
    if "destination" not in df.columns:
        raise AnalysisError.missing_columns(["destination"], list(map(str, df.columns)))
    if len(df) == 0:
        raise AnalysisError("没有任何答卷，无法计算毕业去向", expected="至少一份答卷", found="0 行")
    s = prepare(df, design, index)
    flags = destination_flags(s)
    income, implausible = income_in_work(s, flags)
    problems = _problems(s, flags, implausible)
    tables = {"placement": placement_table(s, flags)}
    if "income" in s.df.columns:
        tables.update(income_tables(s, income, implausible, income_bands))
    else:
        problems.append(_absent("income", "月收入"))
    jq = job_quality_table(s, flags)
    if jq is not None:
        tables["job_quality"] = jq
    problems += [_absent(c, ITEM_LABELS[c]) for c in RATING_ITEMS if c not in s.df.columns]
    if "unrelated_reason" in s.df.columns:
        tables["unrelated_reasons"] = distribution_table(
            s, ["unrelated_reason"], flags.in_work, title=TABLE_TITLES["unrelated_reasons"], item="dimension",
            category="reason", base_text="在工作且认为工作与专业不相关、并填写了原因者")
    if "job_changes" in s.df.columns:
        tables.update(turnover_tables(s, flags))
    else:
        problems.append(_absent("job_changes", "离职次数"))
    if "recommend" in s.df.columns:
        tables["recommendation"] = recommendation_table(s)
    else:
        problems.append(_absent("recommend", "推荐意愿"))
    dims = [c for c in WORK_DIMENSIONS if c in s.df.columns]
    if "region" in s.df.columns:
        tables["in_province"] = in_province_table(s, flags)
    if dims:
        tables["employment_distribution"] = distribution_table(
            s, dims, flags.in_work, title=TABLE_TITLES["employment_distribution"], base_text="在工作者中作答该题者")
    notes = list(s.index.notes)
    for t in tables.values():
        if notes:
            t.attrs["notes"] = notes
    tables["problems"] = pd.DataFrame(problems, columns=_PROBLEM_COLS)
    tables["problems"].attrs.update({**s.attrs, "title": TABLE_TITLES["problems"]})
    for p in problems:
        if p["check"] != "absent_column":
            logger.warning(p["message"])
    return tables
