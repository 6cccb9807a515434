"""Names of the graduate-outcome tables, their columns and items, in Chinese, and the
questionnaire's option lists the analyses rely on (``resources/questionnaires/graduate.yaml``)."""
from __future__ import annotations

import numpy as np

from ..design import LEVEL_LABELS  # noqa: F401  (re-exported)

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
    "teach__life_service": "生活服务", "teach__logistics": "后勤服务",
    "school_satisfaction": "对母校总体满意度",
    "employer_type": "单位性质", "industry": "行业", "region": "工作地区", "employer_size": "单位规模",
    "occupation": "职业类别",
}


#: Which part of the school a rated item is about: ``service`` items (学生工作与服务: career guidance,
#: student affairs, campus life) get their own section in the report; everything else is teaching.
SERVICE_ITEMS = ("teach__career_service", "teach__student_service", "teach__life_service", "teach__logistics")
#: The ``domain`` values as people read them.
DOMAIN_LABELS = {"teaching": "教学", "service": "学生工作与服务", "overall": "总体"}


TABLE_TITLES = {
    "placement": "毕业去向",
    "income": "月收入",
    "income_bands": "月收入分布",
    "job_quality": "相关度与满意度",
    "turnover": "离职率",
    "turnover_reasons": "离职原因",
    "unrelated_reasons": "专业不相关的原因",
    "in_province": "本省就业比例",
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

LABELS = {
    "level": "层级", "group": "组别", "college": "学院", "major": "专业", "cohort": "届别",
    "n": "样本量（n）", "n_eff": "有效样本量（Kish n_eff）", "n_respondents": "答卷人数",
    "n_unknown": "去向无法识别人数", "n_missing": "去向未填人数", "n_excluded": "不计入基数人数",
    "placed_count": "落实去向人数（估计）", "unemployed_count": "未就业人数（估计）",
    "placement_rate": "就业去向落实率", "employment_rate": "就业率（工作）",
    "flexible_rate": "灵活就业率", "further_study_domestic_rate": "国内升学率",
    "abroad_rate": "出国（境）率", "unemployed_rate": "未就业率",
    "mean": "均值", "mean_low": "均值下限", "mean_high": "均值上限", "sd": "标准差",
    "median": "中位数", "p25": "下四分位数（P25）", "p75": "上四分位数（P75）",
    "n_implausible": "收入异常被排除人数",
    "band": "区间", "count": "人数（加权时为估计人数）", "share": "占比", "low": "下限", "high": "上限",
    "item": "指标", "item_label": "指标名称", "domain": "方面（教学/学生工作与服务/总体）", "rate": "满意（top-box）比例",
    "rate_low": "比例下限", "rate_high": "比例上限",
    "turnover_rate": "离职率", "reason": "离职原因",
    "in_province_rate": "本省就业比例",
    "recommend_rate": "推荐度（愿意）", "unsure_rate": "不确定比例", "unwilling_rate": "不愿意比例",
    "dimension": "维度", "category": "类别", "option": "选项",
    "n_inconsistent": "“以上均不需改进”与其他选项同选（不一致）人数",
    "competency": "能力代码", "competency_label": "能力", "importance_mean": "重要度均值",
    "required_mean": "岗位要求水平均值", "own_mean": "毕业时水平均值", "fulfilment": "能力满足度",
    "fulfilment_band": "满足度等级",
    "metric": "指标", "comparison": "比较", "test": "检验方法", "statistic": "统计量", "dof": "自由度",
    "p_value": "p 值", "p_adj": "BH 校正 p 值", "effect_size": "效应量", "effect_measure": "效应量类型",
    "group_value": "本组数值", "rest_value": "其他组数值", "significant": "显著（校正后 p<0.05）",
    "cohort_prev": "上一届", "value_prev": "上一届数值", "value": "本届数值", "n_prev": "上一届样本量",
    "n_cur": "本届样本量", "metric_label": "指标名称", "change_significant": "变化显著（区间不含 0）",
    "diff": "变化", "diff_low": "变化下限", "diff_high": "变化上限",
    "latest_cohort": "最近一届", "benchmark": "基准线", "below_benchmark": "低于基准线",
    "years_below_threshold": "连续低于阈值年数", "below_threshold_consecutive": "触发预警",
    "score": "综合指数（百分位）", "card": "预警牌", "rule_matched": "依据的预警规则", "note": "说明",
    "suppressed": "已隐藏（样本不足）",
    "check": "问题类型", "column": "列", "example": "示例", "message": "说明", "rows": "涉及行",
}
for _base in ("placement_rate", "employment_rate", "flexible_rate", "further_study_domestic_rate",
              "abroad_rate", "unemployed_rate", "turnover_rate", "recommend_rate", "unsure_rate",
              "unwilling_rate", "in_province_rate"):
    LABELS[f"{_base}_low"] = f"{LABELS[_base]}下限"
    LABELS[f"{_base}_high"] = f"{LABELS[_base]}上限"

FULFILMENT_BANDS = ((90.0, "满足"), (85.0, "基本满足"), (75.0, "不太满足"), (-np.inf, "不满足"))
# 能力满足度 bands (MyCOS), as fractions
FULFILMENT_BANDS = ((0.90, "满足"), (0.85, "基本满足"), (0.75, "不太满足"), (-np.inf, "不满足"))
UNRELATED_REASONS = ("专业工作不符合自己的兴趣", "达不到专业工作的要求", "专业工作收入偏低", "专业工作环境差",
                     "专业工作岗位少", "其他")


def rate_text(satisfied: str) -> str:
    """The top-box rule in one Chinese sentence."""
    if str(satisfied).lower() == "top2":
        return "满意（top-box）比例 = 5 分和 4 分（很满意+满意，MyCOS 口径）占作答者的比例"
    return "满意（top-box）比例 = 5、4、3 分（很满意+比较满意+一般，新锦成口径）占作答者的比例"


def band_labels(edges) -> list[str]:
    """Income band names for the edges (yuan)."""
    labels = [f"{edges[0]:g}元以下"]
    for a, b in zip(edges[:-1], edges[1:]):
        labels.append(f"{a:g}–{b - 1:g}元")
    labels.append(f"{edges[-1]:g}元及以上")
    return labels


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
