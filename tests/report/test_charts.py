import logging
import struct
import warnings

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import AnalysisError
from survey_analysis.report import charts
from survey_analysis.report.model import Figure

PERIOD = "2024 年 6–8 月"


def _charts():
    bars = pd.DataFrame({"专业": ["计算机科学与技术", "英语/翻译", "全校"], "p": [0.91, 0.8, 0.85],
                         "lo": [0.87, 0.7, 0.83], "hi": [0.94, 0.88, 0.87]})
    ipa = pd.DataFrame({"能力": ["实践动手能力", "沟通表达", "团队协作", "外语"], "imp": [4.7, 4.5, 4.2, 3.6],
                        "sat": [3.8, 4.1, 4.3, 3.7]})
    long = pd.DataFrame({"指标": ["落实率", "相关度"] * 2, "组": ["本专业"] * 2 + ["全校"] * 2, "v": [0.9, 0.7, 0.85, 0.72]})
    dist = pd.DataFrame({"方面": ["课堂教学", "实践教学"], "很满意": [30, 20], "满意": [40, 30], "一般": [20, 30],
                         "不满意": [7, 15], "很不满意": [3, 5]})
    trend = pd.DataFrame({"届别": [2022, 2023, 2024] * 2, "率": [0.8, 0.82, 0.85, 0.7, 0.74, 0.73],
                          "组": ["全校"] * 3 + ["机械类"] * 3})
    prog = pd.DataFrame({"对象": ["书记", "校长"], "已访": [63, 104], "目标": [100, 100]})
    return {
        "bar": lambda: charts.bar_chart(bars, "专业", "p", low="lo", high="hi", title="就业去向落实率",
                                        caption_n=1845, period=PERIOD, target=0.8, highlight=["全校"]),
        "ipa": lambda: charts.ipa_chart(ipa, "能力", "imp", "sat", title="能力重要度—满意度",
                                        caption_n="用人单位 312 家", period=PERIOD),
        "grouped": lambda: charts.grouped_bar_chart(long, "指标", "组", "v", title="本专业与全校",
                                                    caption_n=200, period=PERIOD),
        "stacked": lambda: charts.stacked_bar_chart(dist, "方面", ["很满意", "满意", "一般", "不满意", "很不满意"],
                                                    title="教学满意度分布", caption_n=900, period=PERIOD),
        "line": lambda: charts.line_chart(trend, "届别", "率", group="组", title="落实率趋势",
                                          caption_n=5000, period="2022–2024 届", target=0.6),
        "progress": lambda: charts.progress_chart(prog, "对象", "已访", "目标", title="访企拓岗进度",
                                                  caption_n=167, period=PERIOD, unit=" 家"),
    }


def test_every_chart_renders_chinese_without_missing_glyphs(caplog, monkeypatch):
    monkeypatch.setattr(charts, "DPI", 60)  # glyph lookup does not depend on resolution; keep it fast
    made = {}
    with warnings.catch_warnings(record=True) as rec, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        for name, make in _charts().items():
            made[name] = make()
    msgs = [str(w.message) for w in rec] + [r.getMessage() for r in caplog.records]
    assert not [m for m in msgs if "missing from" in m or "findfont" in m], msgs
    for name, fig in made.items():
        assert isinstance(fig, Figure)
        png = fig.png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        w, h = struct.unpack(">II", png[16:24])
        assert 300 < w < 420, name  # 6.3 in wide at 60 dpi
        assert PERIOD in fig.caption or "2022–2024 届" in fig.caption
    assert made["bar"].caption == "就业去向落实率（n = 1,845；2024 年 6–8 月）"
    assert made["ipa"].caption == "能力重要度—满意度（用人单位 312 家；2024 年 6–8 月）"


def test_charts_are_print_resolution():
    fig = charts.progress_chart(pd.DataFrame({"a": ["书记"], "v": [3], "t": [10]}), "a", "v", "t",
                                title="进度", caption_n=3, period=PERIOD)
    w, _ = struct.unpack(">II", fig.png()[16:24])
    assert w >= 1150  # 6.3 in at 200 dpi (tight bounding box)


def test_chart_needs_n_and_period():
    df = pd.DataFrame({"a": ["甲"], "v": [0.5]})
    with pytest.raises(ValueError, match="caption_n"):
        charts.bar_chart(df, "a", "v", title="t", caption_n=None, period=PERIOD)
    with pytest.raises(ValueError, match="period"):
        charts.bar_chart(df, "a", "v", title="t", caption_n=3, period="")


def test_chart_errors_in_chinese():
    df = pd.DataFrame({"a": ["甲"], "v": [0.5]})
    with pytest.raises(AnalysisError, match="缺少必需的列：x"):
        charts.bar_chart(df, "a", "x", title="t", caption_n=1, period=PERIOD)
    with pytest.raises(AnalysisError, match="没有数据"):
        charts.bar_chart(df.iloc[:0], "a", "v", title="t", caption_n=1, period=PERIOD)
    with pytest.raises(AnalysisError, match="全为空"):
        charts.ipa_chart(pd.DataFrame({"a": ["甲"], "i": [np.nan], "p": [np.nan]}), "a", "i", "p",
                         title="t", caption_n=1, period=PERIOD)


def test_charts_do_not_modify_input_and_leave_no_open_figures():
    import matplotlib.pyplot as plt

    df = pd.DataFrame({"a": ["乙", "甲"], "v": [0.2, 0.5]})
    before = df.copy()
    n_open = len(plt.get_fignums())
    charts.bar_chart(df, "a", "v", title="t", caption_n=2, period=PERIOD)
    pd.testing.assert_frame_equal(df, before)
    assert len(plt.get_fignums()) == n_open


def test_palette_is_okabe_ito():
    assert charts.OKABE_ITO[:3] == ("#0072B2", "#E69F00", "#009E73")
    assert charts.IPA_QUADRANTS[("high", "low")] == "重点改进区"


# -- no collisions ---------------------------------------------------------------------------

def _adversarial():
    """Data chosen to make labels collide: long names, values on the reference line, points
    piled on each other and on the quadrant lines, lines ending at the same value."""
    rng = np.random.default_rng(5)
    names = [f"{m}（{k}班）" for k in range(4) for m in ("机械设计制造及其自动化", "数据科学与大数据技术",
                                                         "计算机科学与技术", "思想政治素质与职业道德", "汉语言文学")]
    v = np.clip(0.8 + rng.normal(0, 0.015, len(names)), 0, 1)
    v[:3] = [0.8, 0.0, 1.0]
    bars = pd.DataFrame({"专业": names, "p": v, "lo": v - 0.06, "hi": np.clip(v + 0.06, 0, 1)})
    k = 18
    ipa = pd.DataFrame({"能力": [f"能力{i}：{names[i % len(names)][:6]}" for i in range(k)],
                        "imp": 4.0 + rng.normal(0, 0.03, k), "sat": 3.8 + rng.normal(0, 0.03, k)})
    ipa.loc[0, ["imp", "sat"]] = [ipa["imp"].mean(), ipa["sat"].mean()]  # on both lines
    ipa.loc[1, ["imp", "sat"]] = [ipa["imp"].max() + 0.001, ipa["sat"].min() - 0.001]  # in a corner
    long = pd.DataFrame({"指标": [f"指标{i}（近三届平均）" for i in range(8)] * 3,
                         "组": ["本专业"] * 8 + ["全校（含所有学院与专业）"] * 8 + ["省内同类院校"] * 8,
                         "v": np.r_[rng.uniform(0.5, 0.9, 8), rng.uniform(0.5, 0.9, 8), rng.uniform(0.5, 0.9, 8)]})
    cols = ["很满意", "满意", "一般", "不满意", "很不满意", "无法评价", "未作答"]
    dist = pd.DataFrame({"方面": names[:9], **{c: rng.integers(6, 40, 9) for c in cols}})
    years = list(range(2019, 2026))
    trend = pd.DataFrame({"届别": years * 7, "组": [f"江南理工学院 第{g}组走访人" for g in range(7) for _ in years],
                          "率": np.r_[[np.linspace(0.5, 0.6 + g * 0.002, len(years)) for g in range(7)]].ravel()})
    prog = pd.DataFrame({"对象": names[:8], "已访": [0, 5, 99, 100, 101, 250, 3, 60], "目标": [100, 100, 100, 100, 100, 100, 0, 100]})
    return {
        "bar": lambda: charts.bar_chart(bars, "专业", "p", low="lo", high="hi", title="落实率", caption_n=9000,
                                        period=PERIOD, target=0.8, target_label="全校平均线"),
        "ipa": lambda: charts.ipa_chart(ipa, "能力", "imp", "sat", title="IPA", caption_n=300, period=PERIOD),
        "grouped": lambda: charts.grouped_bar_chart(long, "指标", "组", "v", title="对比", caption_n=100, period=PERIOD),
        "stacked": lambda: charts.stacked_bar_chart(dist, "方面", cols, title="分布", caption_n=100, period=PERIOD),
        "line": lambda: charts.line_chart(trend, "届别", "率", group="组", title="趋势", caption_n=700,
                                          period="2019–2025 届", target=0.6, target_label="预警线"),
        "progress": lambda: charts.progress_chart(prog, "对象", "已访", "目标", title="进度", caption_n=8,
                                                  period=PERIOD, unit=" 家"),
    }


@pytest.mark.parametrize("data", ["realistic", "adversarial"])
@pytest.mark.parametrize("kind", ["bar", "ipa", "grouped", "stacked", "line", "progress"])
def test_no_label_collisions(kind, data, monkeypatch):
    """Every chart kind, drawn with realistic and with adversarial data: no two texts overlap,
    no reference line crosses a text, no legend covers a data point or bar, no point label
    covers another point (measured with matplotlib's renderer)."""
    monkeypatch.setattr(charts, "DPI", 60)
    make = (_charts() if data == "realistic" else _adversarial())[kind]
    with charts.capture() as figs:
        make()
    assert len(figs) == 1
    assert charts.check_layout(figs[0]) == []


def test_the_collision_check_finds_collisions():
    """Control: a label across a reference line, two overlapping labels, a legend over data
    and a label over a point are all reported."""
    from survey_analysis.report._chart_layout import layout_problems

    with charts.chart_style():
        fig, ax = charts._new_figure((4, 3))
        ax.scatter([1, 2, 3], [1, 2, 3], label="点")
        ax.plot([1, 3], [3, 1], marker="o", label="线")
        ax.axvline(2, gid="ref")
        ax.text(2, 1.5, "跨线的标签", ha="center")
        ax.text(1, 2.6, "重叠甲")
        ax.text(1.05, 2.62, "重叠乙")
        lab = ax.annotate("盖住点", (1, 3), xytext=(3, 3), textcoords="data", gid="label", ha="center", va="center")
        lab.set_in_layout(False)
        ax.legend(loc="lower left")
        problems = layout_problems(fig)
    text = "\n".join(problems)
    assert "reference line crosses text '跨线的标签'" in text
    assert "'重叠甲' overlaps text '重叠乙'" in text
    assert "legend covers" in text
    assert "label '盖住点' covers a data point" in text


def test_ipa_labels_do_not_cross_the_quadrant_lines_in_the_old_layout_either_way():
    """The IPA of the issue (labels crossed by the mean lines): the same data now places every
    label clear of both lines and of the quadrant names."""
    ipa = pd.DataFrame({"能力": ["心理素质与抗压能力", "办公软件技能", "适应能力", "专业知识", "基础理论知识"],
                        "imp": [4.11, 3.78, 4.17, 4.22, 3.76], "sat": [3.65, 3.80, 3.80, 3.90, 3.92]})
    with charts.capture() as figs:
        charts.ipa_chart(ipa, "能力", "imp", "sat", title="IPA", caption_n=95, period=PERIOD,
                         importance_cut=4.06, performance_cut=3.80)
    assert charts.check_layout(figs[0]) == []
