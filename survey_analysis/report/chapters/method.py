"""二、数据与方法: samples, response, definitions, weighting, reliability."""
from __future__ import annotations

from ...outcomes.labels import rate_text
from ..model import BulletList, Heading, Paragraph, Section, Table
from .common import SCHOOL, conf_text

__all__ = ["method_chapter"]


def _samples(f) -> list:
    s = f.samples
    if s is None or not len(s):
        return []
    blocks = [Paragraph(
        f"本报告依据 {len(s)} 份问卷数据：" + "、".join(s["survey"]) + "。原始导出文件不作修改；"
        "清洗步骤（重编码、剔除无效答卷、删除个人信息、假名化编号、评论脱敏）全部记录在清洗日志中。")]
    timed = [f"{row.survey} {row.fielded}" + ("" if row.timing in ("—", "", None) else f"（{row.timing}）")
             for row in s.itertuples() if "timing" in s.columns and not str(row.fielded).startswith("未记录")]
    if timed:
        blocks.append(Paragraph(
            "填答时间：" + "；".join(timed) + f"（按 {f.design.graduation_month} 月毕业计）。"
            "行业年度报告通常在毕业半年后调查；调查时点不同，落实率、收入等结果不宜直接对比。"))
    cols = [c for c in ("survey", "file", "fielded", "rows_in", "rows_kept", "rows_excluded", "reasons")
            if c in s.columns]
    blocks.append(Table(
        s[cols], "样本与清洗结果", note="调查时间取保留答卷的提交时间；排除原因：空白答卷、重复提交、答题过快、直线作答等。",
        column_labels={"survey": "调查", "file": "文件", "fielded": "调查时间", "rows_in": "读入行数",
                       "rows_kept": "保留", "rows_excluded": "排除", "reasons": "排除原因（行数）"},
        formats={"rows_in": "int", "rows_kept": "int", "rows_excluded": "int"}))
    return blocks


def _ordered(t, f, col: str = "major"):
    """Rows in the report's order of majors (the school row first)."""
    order = {m: i for i, m in enumerate(f.majors["major"])} if f.majors is not None else {}
    key = t[col].map(lambda m: -1 if m == SCHOOL else order.get(m, len(order)))
    return t.assign(_o=key).sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def _response(f) -> list:
    r = f.response
    if r is None or not len(r):
        return []
    latest = max(r["cohort"])
    t = _ordered(r[r["cohort"] == latest], f)
    out = [Table(t[["major", "population", "respondents", "rate", "suppressed"]], f"{latest} 届毕业生调查回收情况",
                 note="毕业生人数来自学生名单或人数表；回收率 = 有效答卷 / 毕业生人数；答卷少于最小单元格的专业不显示。",
                 column_labels={"major": "专业", "population": "毕业生人数", "respondents": "有效答卷", "rate": "回收率"},
                 formats={"population": "int", "respondents": "int", "rate": "pct"},
                 highlight=[j for j, m in enumerate(t["major"]) if m == SCHOOL])]
    cohorts = sorted(r["cohort"].unique(), reverse=True)
    if len(cohorts) > 1:
        wide = r.pivot_table(index="major", columns="cohort", values="rate", aggfunc="first", sort=False)
        wide = _ordered(wide.reset_index(), f)
        wide.columns = [str(c) for c in wide.columns]
        cols = [str(c) for c in cohorts]
        out.append(Table(wide[["major", *cols]], "各届毕业生调查回收率",
                         column_labels={"major": "专业", **{c: f"{c} 届" for c in cols}},
                         formats={c: "pct" for c in cols}, highlight=[0]))
    return out


def _definitions(f) -> list[str]:
    d = f.design
    defs = [
        f"就业去向落实率（placement rate）：{d.placement.describe()}。本报告的落实率是抽样调查的估计值（带置信区间），"
        "不是按教育部口径对全体毕业生统计的官方就业去向落实率。",
        f"满意（satisfied）比例：{rate_text(d.satisfied)}；“无法评价”不计入分母，不计 0 分。",
        "均值：5 分制，5 = 最好；能力满足度 = 毕业时水平均值 / 岗位要求水平均值（≥90% 满足，85–90% 基本满足，"
        "75–85% 不太满足，<75% 不满足）。",
        "重要度–满意度分析（IPA）：见第三部分表注中的分界线与判定规则。",
        f"小样本保护：样本量少于 {d.min_cell} 的组不显示数值（—），并另外隐藏足够多的组，使被隐藏的组无法由合计反推；"
        "这些组也不作为建议的依据。",
        f"置信区间：比例用 Wilson {conf_text(f)} 区间，均值用 t 区间；加权时按 Kish 有效样本量计算。",
        f"显著性：多个比较同时检验时按 Benjamini–Hochberg 方法控制错误发现率（FDR {d.alpha:g}）。",
        f"加权：{f.weighting or '未加权。'}全报告的毕业生结果使用同一种估计方式。",
    ]
    return defs


def method_chapter(f, title: str) -> Section:
    blocks: list = _samples(f) + _response(f)
    blocks.append(Heading("口径与定义"))
    blocks.append(BulletList(_definitions(f)))
    rel = f.reliability
    if rel is not None and len(rel):
        blocks.append(Table(rel[["grid_zh", "k", "n", "alpha", "ci_low", "ci_high"]],
                            "量表信度（Cronbach's α）",
                            column_labels={"grid_zh": "量表", "k": "题数", "n": "完整作答数", "alpha": "α 系数",
                                           "ci_low": f"{conf_text(f)}下限", "ci_high": f"{conf_text(f)}上限"},
                            formats={"k": "int", "n": "int", "alpha": "float2", "ci_low": "float2",
                                     "ci_high": "float2"}))
    return Section(title, blocks)
