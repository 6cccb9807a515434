"""Benchmarks the user supplies: read with their source, compared with the school's intervals."""
from __future__ import annotations

import pandas as pd
import pytest

from survey_analysis.benchmarks import compare_benchmarks, read_benchmarks
from survey_analysis.errors import ReadError


def _write(tmp_path, text, name="b.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_example_has_the_fields_and_no_figures():
    from pathlib import Path

    p = Path(__file__).resolve().parents[1] / "docs" / "examples" / "benchmarks.csv"
    t = read_benchmarks(p)
    assert len(t) == 0  # every value is left blank: no invented figures
    raw = pd.read_csv(p, comment="#", encoding="utf-8-sig")
    assert list(raw.columns) == ["指标", "范围", "专业", "数值", "年份", "来源"] and len(raw) >= 5


def test_values_percentages_majors_and_sources(tmp_path):
    p = _write(tmp_path, "指标,范围,专业,数值,年份,来源\n就业去向落实率,全国本科,,85.2%,2025,某报告表3\n"
                         "月收入,本省本科,,\"6,100\",2025,某省报告第12页\n专业相关度,全国本科,软件工程,0.71,2024,某报告表9\n")
    t = read_benchmarks(p)
    assert t["metric"].tolist() == ["placement_rate", "income", "relevance_rate"]
    assert t["value"].tolist() == pytest.approx([0.852, 6100, 0.71])
    assert t["major"].tolist() == [None, None, "软件工程"] and t["source"].iloc[1] == "某省报告第12页"


@pytest.mark.parametrize("text, match", [
    ("指标,范围,专业,数值,年份,来源\n就业去向落实率,全国,,85.2%,2025,\n", "来源"),
    ("指标,范围,专业,数值,年份,来源\n幸福指数,全国,,0.5,2025,x\n", "未知的指标"),
    ("指标,范围,专业,数值,年份,来源\n离职率,全国,,很高,2025,x\n", "不是数字"),
    ("指标,范围,专业,数值,年份,来源\n离职率,全国,,120,2025,x\n", "0 与 1 之间"),
    ("指标,范围,数值,年份\n离职率,全国,0.2,2025\n", "缺少「来源」列"),
])
def test_bad_benchmark_files_are_explained(tmp_path, text, match):
    with pytest.raises(ReadError, match=match) as e:
        read_benchmarks(_write(tmp_path, text))
    assert "b.csv" in str(e.value)


def test_comparison_uses_the_interval(sample_findings, tmp_path):
    f = sample_findings
    sp = f.outcomes["placement"].iloc[0]
    above = sp["placement_rate_high"] + 0.02
    inside = float(sp["placement_rate"])
    p = _write(tmp_path, "指标,范围,专业,数值,年份,来源\n"
                         f"就业去向落实率,甲,,{above},2025,来源甲\n就业去向落实率,乙,,{inside},2025,来源乙\n"
                         "月收入中位数,丙,,1000,2025,来源丙\n")
    c = compare_benchmarks(f.outcomes, read_benchmarks(p)).set_index("scope")
    assert c.loc["甲", "position"] == "低于基准" and c.loc["乙", "position"] == "与基准无明显差异"
    assert c.loc["丙", "position"].startswith("高于基准")
    assert c.loc["甲", "value"] == sp["placement_rate"] and c.loc["甲", "source"] == "来源甲"
