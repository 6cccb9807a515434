"""The planted facts of the sample: majors, colleges and the parameters the generator draws from.

Everything later analysis should recover is declared here once, and copied into
``data/truth/facts.json`` by :func:`survey_analysis.datasets.make_sample`.
"""
from __future__ import annotations

SCHOOL = "华东某理工大学（样例）"

# major -> (college, 专业代码 from resources/majors.csv)
MAJORS = {
    "计算机科学与技术": ("信息工程学院", "080901"),
    "软件工程": ("信息工程学院", "080902"),
    "数据科学与大数据技术": ("信息工程学院", "080910T"),
    "机械设计制造及其自动化": ("机械与电气工程学院", "080202"),
    "电气工程及其自动化": ("机械与电气工程学院", "080601"),
    "自动化": ("机械与电气工程学院", "080801"),
    "金融学": ("经济管理学院", "020301K"),
    "会计学": ("经济管理学院", "120203K"),
    "电子商务": ("经济管理学院", "120801"),
    "英语": ("人文与外国语学院", "050201"),
    "汉语言文学": ("人文与外国语学院", "050101"),
    "新闻学": ("人文与外国语学院", "050301"),
}
MAJOR_LIST = list(MAJORS)

# employers: the top-3 gaps named in comments, per major (Q6: the major hired most)
GAP_PROFILES = {
    "计算机科学与技术": ["project_experience", "programming", "communication"],
    "软件工程": ["programming", "teamwork", "resilience"],
    "数据科学与大数据技术": ["data_analysis", "industry_knowledge", "practice"],
    "机械设计制造及其自动化": ["engineering_drawing", "practice", "innovation"],
    "电气工程及其自动化": ["practice", "theory", "adaptability"],
    "自动化": ["programming", "practice", "innovation"],
    "金融学": ["data_analysis", "communication", "industry_knowledge"],
    "会计学": ["office", "practice", "responsibility"],
    "电子商务": ["data_analysis", "innovation", "communication"],
    "英语": ["foreign_language", "writing", "career_planning"],
    "汉语言文学": ["writing", "office", "adaptability"],
    "新闻学": ["writing", "innovation", "industry_knowledge"],
}
GAP_PROBABILITIES = [0.30, 0.24, 0.20]  # of each drawn gap clause; the remaining 26 % spread evenly

# employers: share of Q6 majors among employers
EMPLOYER_MAJOR_WEIGHTS = {
    "计算机科学与技术": 90, "软件工程": 70, "数据科学与大数据技术": 45, "机械设计制造及其自动化": 65,
    "电气工程及其自动化": 55, "自动化": 45, "金融学": 45, "会计学": 55, "电子商务": 40,
    "英语": 30, "汉语言文学": 30, "新闻学": 30,
}

COMPETENCY_CODES = [
    "ethics", "integrity", "theory", "professional", "practice", "learning", "innovation",
    "communication", "teamwork", "organization", "resilience", "foreign_language", "office",
    "adaptability", "responsibility",
]
# employer importance means (5 = 很重要) and satisfaction means (5 = 很满意)
IMPORTANCE_MEAN = {
    "ethics": 4.5, "integrity": 4.6, "theory": 3.8, "professional": 4.3, "practice": 4.4,
    "learning": 4.4, "innovation": 3.9, "communication": 4.3, "teamwork": 4.3, "organization": 3.6,
    "resilience": 4.2, "foreign_language": 3.1, "office": 3.8, "adaptability": 4.2, "responsibility": 4.7,
}
SATISFACTION_MEAN = {
    "ethics": 4.3, "integrity": 4.3, "theory": 4.0, "professional": 3.9, "practice": 3.6,
    "learning": 4.1, "innovation": 3.5, "communication": 3.7, "teamwork": 4.1, "organization": 3.7,
    "resilience": 3.7, "foreign_language": 3.5, "office": 3.9, "adaptability": 3.9, "responsibility": 4.1,
}
GAP_SATISFACTION_SHIFT = -0.45  # satisfaction of a major's planted gaps (rated ones) is lower
KEY_DRIVERS = ["practice", "communication", "responsibility"]
NA_RATE_RANGE = (0.03, 0.06)  # share of 无法评价 per rating row

# graduates
POPULATION_SHARE = {
    "计算机科学与技术": 420, "软件工程": 380, "数据科学与大数据技术": 250, "机械设计制造及其自动化": 400,
    "电气工程及其自动化": 360, "自动化": 300, "金融学": 330, "会计学": 400, "电子商务": 300,
    "英语": 250, "汉语言文学": 260, "新闻学": 230,
}
FEMALE_SHARE = {
    "计算机科学与技术": 0.25, "软件工程": 0.28, "数据科学与大数据技术": 0.35, "机械设计制造及其自动化": 0.10,
    "电气工程及其自动化": 0.15, "自动化": 0.18, "金融学": 0.60, "会计学": 0.75, "电子商务": 0.55,
    "英语": 0.85, "汉语言文学": 0.80, "新闻学": 0.70,
}
# response propensity by major; women respond more often (x 1.15), men less (x 0.9)
RESPONSE_RATE = {
    "计算机科学与技术": 0.72, "软件工程": 0.78, "数据科学与大数据技术": 0.85, "机械设计制造及其自动化": 0.62,
    "电气工程及其自动化": 0.70, "自动化": 0.66, "金融学": 0.80, "会计学": 0.88, "电子商务": 0.70,
    "英语": 0.86, "汉语言文学": 0.80, "新闻学": 0.76,
}
RESPONSE_SEX_FACTOR = {"女": 1.15, "男": 0.90}

DESTINATIONS = ["在国内工作", "自主创业", "自由职业", "在国内求学", "出国/出境",
                "未就业（正在求职）", "未就业（准备升学或考试）", "暂不就业"]
PLACED = ["在国内工作", "自主创业", "自由职业", "在国内求学", "出国/出境"]
EMPLOYED = ["在国内工作", "自主创业", "自由职业"]
# planted placement rate (新锦成 definition) by major; cohort shifts below; women -0.03
PLACEMENT_RATE = {
    "计算机科学与技术": 0.92, "软件工程": 0.93, "数据科学与大数据技术": 0.90, "机械设计制造及其自动化": 0.91,
    "电气工程及其自动化": 0.92, "自动化": 0.90, "金融学": 0.85, "会计学": 0.87, "电子商务": 0.83,
    "英语": 0.80, "汉语言文学": 0.47, "新闻学": 0.47,
}
COHORT_PLACEMENT_SHIFT = {2023: 0.01, 2024: 0.0, 2025: -0.01}
LOW_PLACEMENT_MAJORS = ["汉语言文学", "新闻学"]
# composition within placed / not placed
PLACED_MIX = [0.80, 0.017, 0.04, 0.12, 0.023]
UNPLACED_MIX = [0.50, 0.42, 0.08]

HIGH_TURNOVER_MAJOR = "电子商务"
JOB_CHANGES_P = {"high": [0.42, 0.33, 0.17, 0.08], "normal": [0.78, 0.16, 0.045, 0.015]}

INCOME_MEDIAN = {
    "计算机科学与技术": 8600, "软件工程": 8900, "数据科学与大数据技术": 8200, "机械设计制造及其自动化": 6300,
    "电气工程及其自动化": 6700, "自动化": 6600, "金融学": 6100, "会计学": 5300, "电子商务": 5700,
    "英语": 5100, "汉语言文学": 4700, "新闻学": 4900,
}
INCOME_SIGMA = 0.32
INCOME_COHORT_FACTOR = {2023: 0.94, 2024: 0.97, 2025: 1.0}
INCOME_FEMALE_FACTOR = 0.95
INCOME_OUTLIERS = {2025: [0, 45000000], 2024: [0, 650000], 2023: [8, 0]}

RELEVANCE_MEAN = {
    "计算机科学与技术": 4.0, "软件工程": 4.1, "数据科学与大数据技术": 3.8, "机械设计制造及其自动化": 3.8,
    "电气工程及其自动化": 3.9, "自动化": 3.7, "金融学": 3.5, "会计学": 3.9, "电子商务": 3.3,
    "英语": 3.2, "汉语言文学": 2.9, "新闻学": 3.0,
}

# graduates' own level vs the level the job requires: planted low 能力满足度 (about 75 %)
LOW_FIT_COMPETENCIES = {
    "计算机科学与技术": ["communication", "foreign_language"],
    "软件工程": ["communication", "organization"],
    "数据科学与大数据技术": ["practice", "innovation"],
    "机械设计制造及其自动化": ["practice", "innovation"],
    "电气工程及其自动化": ["practice", "foreign_language"],
    "自动化": ["innovation", "practice"],
    "金融学": ["practice", "communication"],
    "会计学": ["office", "resilience"],
    "电子商务": ["innovation", "organization"],
    "英语": ["professional", "office"],
    "汉语言文学": ["office", "adaptability"],
    "新闻学": ["innovation", "practice"],
}
REQUIRED_LEVEL_MEAN = 3.9
OWN_LEVEL_GAP = {"normal": 0.2, "low": 1.0}

# cleaning cases (shares of the genuine respondents; empty rows are a fixed count)
CASE_RATES = {"duplicate": 0.015, "speeder": 0.015, "straightliner": 0.01}
EMPTY_ROWS = {"employer": 3, "graduate": 5}
SPEEDER_MAX_SECONDS = 59
