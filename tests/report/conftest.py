"""A small report with everything the renderers must handle."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from survey_analysis.report import charts
from survey_analysis.report.model import (
    BulletList,
    Heading,
    KeyFigures,
    PageBreak,
    Paragraph,
    Quote,
    Report,
    Section,
    Table,
    TableOfContents,
)

LONG_COMMENT = ("希望学校加强实践教学，增加企业实习机会，提升学生的沟通表达能力和团队协作能力。" * 200)[:5000]
SLASH_MAJOR = "英语/翻译（商务方向）"
EMOJI_TEXT = "受访者留言：很好😀\x07结束"
FORMULA_TEXT = "=HYPERLINK(\"http://evil.example\",\"点我\")"


def make_majors(n: int = 90) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    majors = [f"示例专业{i:03d}" for i in range(n)]
    majors[3] = SLASH_MAJOR
    majors[5] = "机械设计制造及其自动化（中外合作办学）卓越工程师教育培养计划实验班"
    return pd.DataFrame(
        {
            "major": majors,
            "n": rng.integers(5, 400, n),
            "placement": np.round(rng.uniform(0.55, 0.99, n), 4),
            "income": np.round(rng.normal(6000, 900, n), 1),
            "score": np.round(rng.uniform(3.2, 4.8, n), 3),
        }
    )


def build_report(*, with_figure: bool = True) -> Report:
    majors = make_majors()
    comments = pd.DataFrame(
        {
            "专业": [SLASH_MAJOR, "计算机科学与技术", "会计学"],
            "意见": [LONG_COMMENT, FORMULA_TEXT, "<script>alert('x')</script> 加强 Excel 技能"],
        }
    )
    ci = pd.DataFrame(
        {
            "指标": ["就业去向落实率", "专业相关度"],
            "估计": [(0.912, 0.881, 0.936), (0.705, 0.66, 0.748)],
            "n": [1845, 1530],
        }
    )
    small = pd.DataFrame({"学院": ["文学院", "理学院"], "n": [120.0, np.nan], "满意度": [0.9, np.nan],
                          "suppressed": [False, True]})
    small.attrs["suppression_note"] = "样本量少于 5 的组已隐藏（保护隐私，且估计不稳定）。"
    blocks_fig = []
    if with_figure:
        fig_df = majors.head(6)
        blocks_fig = [
            charts.bar_chart(fig_df, "major", "placement", title="各专业就业去向落实率",
                             caption_n=int(fig_df["n"].sum()), period="2024 年 6–8 月"),
        ]
    return Report(
        title="2024 届毕业生培养质量与社会需求分析报告",
        subtitle="基于用人单位与毕业生调查",
        meta={"school": "示例大学", "cohort": "2024 届", "date": "2024 年 12 月",
              "sources": ["用人单位调查（问卷星）", "毕业生跟踪调查"]},
        sections=[
            TableOfContents(),
            Section("执行摘要", [
                KeyFigures([("就业去向落实率", "91.2%", "n = 1,845"), ("月收入（均值）", "¥6,120", None),
                            ("专业相关度", "70.5%", "95% CI 66.0–74.8"), ("用人单位满意度", "93.0%", "n = 312")]),
                Paragraph("本报告汇总了用人单位需求调查与毕业生跟踪调查的主要发现。" * 6),
                Paragraph(EMOJI_TEXT),
                BulletList(["实践动手能力是用人单位最常提到的短板。", "计算机类专业就业去向落实率最高。"]),
            ]),
            Section("数据与方法", [
                Heading("样本"),
                Paragraph("问卷于 2024 年 6 月至 8 月发放。"),
                Table(ci, "主要指标及其置信区间", formats={"估计": "pct_ci", "n": "int"},
                      note="区间为 Wilson 95% 置信区间。"),
                Table(small, "学院样本（小样本隐藏）", formats={"满意度": "pct", "n": "int"}),
            ]),
            Section("各专业结果", [
                Table(majors, "各专业主要指标",
                      column_labels={"major": "专业", "n": "样本量", "placement": "就业去向落实率",
                                     "income": "月收入", "score": "满意度均分"},
                      formats={"n": "int", "placement": "pct", "income": "money", "score": "float2"},
                      note="按样本量排序前的原始顺序。", highlight=[0]),
                *blocks_fig,
            ]),
            Section("计算机科学与技术", [Paragraph("本专业样本 120 人。"), Table(majors.iloc[:0], "空表")], level=2),
            Section("用人单位意见", [
                Quote("学生的专业基础扎实，但动手能力有待加强。", "用人单位，制造业"),
                Table(comments, "用人单位意见（节选）"),
                Quote(LONG_COMMENT, "毕业生，" + SLASH_MAJOR),
            ]),
            Section("附录", [PageBreak(), Paragraph("附录内容。")], level=1),
        ],
    )


@pytest.fixture(scope="session")
def report() -> Report:
    return build_report()


@pytest.fixture(scope="session")
def rendered(report, tmp_path_factory):
    from survey_analysis.report import render

    out = tmp_path_factory.mktemp("rendered")
    return render(report, out)
