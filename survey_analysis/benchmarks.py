"""Benchmarks the user supplies (a national or provincial reference, a peer group) and how the
school's estimates compare with them.

A benchmark file is a CSV or XLSX table with one row per reference value:

=========  ==============================================================================
指标        metric: a Chinese name (就业去向落实率, 月收入, 专业相关度 …) or its machine name
范围        scope: whose value it is (全国本科, 本省本科, 同类院校 …)
专业        optional: a major (blank = the whole school)
数值        the value: a share as 0.852 or 85.2%, an income in yuan
年份        the cohort / year the value is for
来源        where it comes from (report, table, page) — printed beside every comparison
=========  ==============================================================================

Rows without a value are skipped (the shipped example ``docs/examples/benchmarks.csv`` has the
fields and no invented figures).  The comparison says whether the school's interval lies above,
below or around the benchmark; the benchmark itself is taken as given (no interval).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .design import SCHOOL
from .errors import ReadError

__all__ = ["read_benchmarks", "compare_benchmarks", "METRICS"]

#: metric → (Chinese name, table, item or None, value column, low, high, is a share)
METRICS = {
    "placement_rate": ("就业去向落实率", "placement", None, "placement_rate", "placement_rate_low",
                       "placement_rate_high", True),
    "employment_rate": ("就业率（工作）", "placement", None, "employment_rate", "employment_rate_low",
                        "employment_rate_high", True),
    "further_study_rate": ("国内升学率", "placement", None, "further_study_domestic_rate",
                           "further_study_domestic_rate_low", "further_study_domestic_rate_high", True),
    "unemployed_rate": ("未就业率", "placement", None, "unemployed_rate", "unemployed_rate_low",
                        "unemployed_rate_high", True),
    "income": ("月收入", "income", None, "mean", "mean_low", "mean_high", False),
    "income_median": ("月收入中位数", "income", None, "median", None, None, False),
    "relevance_rate": ("专业相关度", "job_quality", "relevance", "rate", "rate_low", "rate_high", True),
    "expectation_fit_rate": ("职业期待吻合度", "job_quality", "expectation_fit", "rate", "rate_low", "rate_high", True),
    "job_satisfaction_rate": ("就业满意度", "job_quality", "job_sat__overall", "rate", "rate_low", "rate_high", True),
    "turnover_rate": ("离职率", "turnover", None, "turnover_rate", "turnover_rate_low", "turnover_rate_high", True),
    "recommend_rate": ("推荐度", "recommendation", None, "recommend_rate", "recommend_rate_low",
                       "recommend_rate_high", True),
}
_ALIASES = {name: key for key, (name, *_rest) in METRICS.items()}
_ALIASES.update({"就业率": "employment_rate", "毕业去向落实率": "placement_rate", "平均月收入": "income",
                 "月均收入": "income", "工作与专业相关度": "relevance_rate", "职业吻合度": "expectation_fit_rate",
                 "现状满意度": "job_satisfaction_rate", "离职率（半年内）": "turnover_rate", "母校推荐度": "recommend_rate",
                 "升学率": "further_study_rate"})
_COLUMNS = {"metric": ("指标", "metric"), "scope": ("范围", "scope", "口径"), "major": ("专业", "major"),
            "value": ("数值", "value", "值"), "year": ("年份", "year", "届别"), "source": ("来源", "source")}


def _read_table(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise ReadError("基准文件不存在", file=path, hint="检查 benchmarks 的路径（相对于配置文件所在的文件夹）。")
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            return pd.read_excel(path, dtype=object)
        return pd.read_csv(path, dtype=object, encoding="utf-8-sig", comment="#")
    except UnicodeDecodeError:
        return pd.read_csv(path, dtype=object, encoding="gb18030", comment="#")
    except Exception as exc:  # noqa: BLE001 - any parser error is a bad file for the user
        raise ReadError(f"基准文件无法读取：{type(exc).__name__}", file=path,
                        hint="基准文件应是 CSV（UTF-8）或 Excel 表格，列为 指标、范围、专业、数值、年份、来源。") from None


def _value(v, row: int, path: Path, share: bool) -> float:
    text = str(v).strip().replace(",", "").replace("，", "")
    pct = text.endswith("%") or text.endswith("％")
    try:
        x = float(re.sub(r"[%％元¥\s]", "", text))
    except ValueError:
        raise ReadError("基准值不是数字", file=path, row=row, column="数值", found=v,
                        expected="如 0.852、85.2% 或 5800") from None
    if pct:
        x /= 100
    if share and not 0 <= x <= 1:
        raise ReadError("比例类指标的基准值应在 0 与 1 之间（或写成百分数）", file=path, row=row, column="数值",
                        found=v, hint="例如 85.2% 或 0.852。")
    if not np.isfinite(x) or x < 0:
        raise ReadError("基准值应是非负的有限数字", file=path, row=row, column="数值", found=v)
    return x


def read_benchmarks(path) -> pd.DataFrame:
    """Read a benchmark file → ``metric, metric_label, scope, major, value, year, source``.

    Raises :class:`~survey_analysis.errors.ReadError` naming the file, row and column for a
    missing column, an unknown metric, a value that is not a number, or a row without a source.
    """
    path = Path(path)
    raw = _read_table(path)
    cols = {str(c).strip(): c for c in raw.columns}
    found = {}
    for key, names in _COLUMNS.items():
        hit = next((cols[n] for n in names if n in cols), None)
        if hit is None and key not in ("major",):
            raise ReadError(f"基准文件缺少「{names[0]}」列", file=path, expected="指标、范围、专业、数值、年份、来源",
                            found="、".join(cols))
        found[key] = hit
    rows = []
    for i, r in raw.iterrows():
        line = int(i) + 2
        if pd.isna(r[found["value"]]) or not str(r[found["value"]]).strip():
            continue  # a row left blank (the example file)
        name = str(r[found["metric"]]).strip()
        metric = name if name in METRICS else _ALIASES.get(name)
        if metric is None:
            raise ReadError(f"未知的指标「{name}」", file=path, row=line, column="指标",
                            expected="、".join(m[0] for m in METRICS.values()))
        source = r[found["source"]]
        if pd.isna(source) or not str(source).strip():
            raise ReadError("基准值没有注明来源", file=path, row=line, column="来源",
                            hint="写明出处（报告名称、年份、表号或页码），报告会把来源印在每个比较旁边。")
        major = r[found["major"]] if found["major"] is not None else None
        year = r[found["year"]]
        rows.append({"metric": metric, "metric_label": METRICS[metric][0], "scope": str(r[found["scope"]]).strip(),
                     "major": None if major is None or pd.isna(major) or not str(major).strip() else str(major).strip(),
                     "value": _value(r[found["value"]], line, path, METRICS[metric][6]),
                     "year": None if pd.isna(year) else str(year).strip().removesuffix(".0"),
                     "source": str(source).strip()})
    out = pd.DataFrame(rows, columns=["metric", "metric_label", "scope", "major", "value", "year", "source"])
    out["major"] = out["major"].astype(object).where(out["major"].notna(), None)
    return out


def compare_benchmarks(outcomes: dict, benchmarks: pd.DataFrame | None) -> pd.DataFrame | None:
    """The school's (or a major's) estimate beside each benchmark.

    Returns ``metric, metric_label, scope, year, source, group, n, value, low, high,
    benchmark, diff, position`` — ``position`` is 高于基准 / 低于基准 when the interval lies
    wholly above / below the benchmark, 与基准无明显差异 when it contains it, 样本不足 when the
    estimate is hidden.
    """
    if benchmarks is None or not len(benchmarks):
        return None
    rows = []
    for b in benchmarks.itertuples():
        label, table, item, col, lo, hi, share = METRICS[b.metric]
        t = outcomes.get(table)
        group = b.major or SCHOOL
        est = None
        if t is not None and len(t):
            sel = t[(t["group"] == group) & (t["level"] == ("major" if b.major else "school"))]
            if item is not None:
                sel = sel[sel["item"] == item]
            est = sel.iloc[0] if len(sel) else None
        v = np.nan if est is None else est[col]
        low = np.nan if est is None or lo is None else est[lo]
        high = np.nan if est is None or hi is None else est[hi]
        if pd.isna(v):
            pos = "样本不足" if est is not None else "无本校数据"
        elif pd.notna(low) and low > b.value:
            pos = "高于基准"
        elif pd.notna(high) and high < b.value:
            pos = "低于基准"
        elif pd.isna(low):
            pos = "高于基准（无区间）" if v > b.value else "低于基准（无区间）" if v < b.value else "与基准相同"
        else:
            pos = "与基准无明显差异"
        rows.append({"metric": b.metric, "metric_label": label, "scope": b.scope, "year": b.year, "source": b.source,
                     "group": group, "n": None if est is None else est["n"], "value": v, "low": low, "high": high,
                     "benchmark": b.value, "diff": v - b.value if pd.notna(v) else np.nan, "position": pos,
                     "share": share})
    out = pd.DataFrame(rows)
    out.attrs["note"] = ("基准值由学校提供并注明来源；本校数值为本次调查的估计值及置信区间。"
                         "区间完全高于（低于）基准才判为“高于（低于）基准”。")
    return out
