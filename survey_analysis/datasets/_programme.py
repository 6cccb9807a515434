"""The sample school's training programmes (人才培养方案): courses, credits, semesters and support
matrices for every sample major, written as ``raw/programme_2025.xlsx`` in two common layouts,
and the graduates' ratings of each major's core courses (questionnaire C1/C2).

* Layout A (engineering majors; 工程教育认证 style): one sheet per major named after it, a title
  row and a legend row above the header, module heading rows ("一、通识教育课程"), columns 课程代码,
  课程名称, 学分, 开课学期, 课程性质, 课程类别, then the twelve 毕业要求 ("毕业要求3 设计/开发解决方案")
  marked H/M/L; core courses are those of category 专业核心.
* Layout B (economics and humanities): one sheet for six majors with a 专业 column, a 核心课程
  column (是), and ability columns marked with numbers 1 / 0.5 / 0.3, plus an instructions sheet.

Planted facts (copied into ``truth/facts.json`` → ``programme``) are declared in
:data:`PLANTED`.  Everything is invented.
"""
from __future__ import annotations

import numpy as np

__all__ = ["PROGRAMME_FILE", "ENGINEERING", "ABILITY_COLUMNS", "PLANTED", "COURSES", "write_programme",
           "programme_facts", "add_course_ratings", "core_courses", "COURSE_SLOTS"]

PROGRAMME_FILE = "raw/programme_2025.xlsx"
COURSE_SLOTS = 6  # core courses per major = rows of the questionnaire's C1/C2 matrices

ENGINEERING = ["计算机科学与技术", "软件工程", "数据科学与大数据技术", "机械设计制造及其自动化", "电气工程及其自动化", "自动化"]
REQUIREMENTS = ["工程知识", "问题分析", "设计/开发解决方案", "研究", "使用现代工具", "工程与社会", "环境和可持续发展",
                "职业规范", "个人和团队", "沟通", "项目管理", "终身学习"]
#: layout B ability columns → the competency ids the generator means by them (国际视野: none)
ABILITY_COLUMNS = {"职业道德与责任意识": ["ethics", "responsibility"], "专业知识": ["professional"],
                   "实践动手能力": ["practice"], "沟通表达能力": ["communication"], "团队协作能力": ["teamwork"],
                   "外语能力": ["foreign_language"], "数据分析能力": ["data_analysis"], "创新能力": ["innovation"],
                   "写作能力": ["writing"], "办公软件技能": ["office"],
                   "职业规划与行业认知": ["career_planning", "industry_knowledge"], "国际视野": []}
#: the 工程教育认证 requirement number → competency ids (as resources/graduation_requirements.yaml)
REQUIREMENT_COMPETENCIES = {1: ["theory", "professional"], 2: ["problem_solving", "logic"],
                            3: ["design", "innovation", "practice"], 4: ["research", "data_analysis"],
                            5: ["professional_software", "programming", "engineering_drawing"],
                            6: ["standards", "industry_knowledge", "safety", "law_awareness"],
                            7: ["social_responsibility"], 8: ["ethics", "integrity", "responsibility"],
                            9: ["teamwork", "leadership"], 10: ["communication", "foreign_language"],
                            11: ["organization", "project_experience"], 12: ["learning", "adaptability"]}

# (course, credits, semester text, category, support) — engineering support "3H 10M": requirement + mark;
# economics/humanities support "实践动手能力:1 沟通表达能力:0.5"; category 专业核心 / 核心 marks a core course
_ENG_COMMON_HEAD = [
    ("思想道德与法治", 3, "1", "通识教育", "8H 7M"),
    ("大学英语", 8, "1-4", "通识教育", "10H 12M"),
    ("高等数学", 10, "1-2", "学科基础", "1H 2M"),
    ("线性代数", 3, "2", "学科基础", "1H 2L"),
    ("大学物理", 6, "2-3", "学科基础", "1H 2M 4L"),
    ("大学生心理健康教育", 2, "1", "通识教育", ""),
    ("职业生涯规划与就业指导", 2, "1-6", "通识教育", "8M 12M"),
]
_ENG_COMMON_TAIL = [
    ("毕业实习", 4, "7", "实践教学", "3M 6H 9M 11M"),
    ("毕业设计（论文）", 12, "8", "实践教学", "2H 3H 4H 5M 10H 12M"),
]
_ENG = {
    "计算机科学与技术": [
        ("程序设计基础", 4, "1", "专业核心", "1M 3M 5H"), ("数据结构", 4, "3", "专业核心", "1H 2H 5M"),
        ("计算机组成原理", 4, "3", "专业核心", "1H 2M"), ("操作系统", 4, "4", "专业核心", "1H 2M 5M"),
        ("计算机网络", 3, "5", "专业核心", "1H 5M 6L"), ("数据库系统", 3, "4", "专业核心", "3H 5H"),
        ("软件工程", 3, "5", "专业选修", "3H 9M 11H"), ("综合项目实训", 3, "6", "实践教学", "3H 9H 10M 11H"),
        ("科技文献阅读与写作", 2, "6", "专业选修", "4M 10M 12H")],
    "软件工程": [
        ("程序设计基础", 4, "1", "专业核心", "1M 5H"), ("面向对象程序设计", 3, "2", "专业核心", "3M 5H"),
        ("数据结构", 4, "3", "专业核心", "1H 2H"), ("软件工程导论", 3, "4", "专业核心", "3H 9M 11M"),
        ("软件测试与质量保证", 3, "5", "专业核心", "4H 5M 6M"), ("软件项目管理", 2, "6", "专业核心", "9H 10M 11H"),
        ("Web应用开发", 3, "5", "专业选修", "3H 5H"), ("团队软件开发实践", 3, "6", "实践教学", "3H 9H 11M"),
        ("操作系统", 3, "4", "学科基础", "1H")],
    "数据科学与大数据技术": [
        ("Python程序设计", 3, "1", "专业核心", "5H"), ("概率论与数理统计", 3, "3", "专业核心", "1H 4M"),
        ("数据结构与算法", 4, "3", "专业核心", "1H 2M"), ("机器学习", 3, "5", "专业核心", "2H 3M 4H"),
        ("大数据处理技术", 3, "5", "专业核心", "3M 5H"), ("数据可视化", 2, "6", "专业核心", "4H 10M"),
        ("数据挖掘实践", 2, "6", "实践教学", "3H 4H"), ("行业数据分析案例", 2, "7", "专业选修", "4M 6M"),
        ("数据库原理", 3, "4", "学科基础", "1M 5M")],
    "机械设计制造及其自动化": [
        ("工程制图", 4, "1", "专业核心", "1M 5H"), ("理论力学", 3, "2", "学科基础", "1H 2M"),
        ("材料力学", 3, "3", "学科基础", "1H 2H"), ("机械原理", 4, "4", "专业核心", "1H 2H 3M"),
        ("机械设计", 4, "5", "专业核心", "2M 3H 5M"), ("机械制造技术基础", 3, "5", "专业核心", "1H 3M 6M"),
        ("数控技术", 3, "6", "专业核心", "3M 5H"), ("机械创新设计", 2, "6", "专业核心", "3H 4M"),
        ("金工实习", 2, "3", "实践教学", "3M 6H 8M")],
    "电气工程及其自动化": [
        ("电路原理", 5, "2", "专业核心", "1H 2H"), ("模拟电子技术", 4, "3", "专业核心", "1H 3M"),
        ("数字电子技术", 3, "3", "学科基础", "1H 3M"), ("电机学", 4, "4", "专业核心", "1H 2M"),
        ("电力电子技术", 3, "5", "专业核心", "3H 4M"), ("电力系统分析", 4, "5", "专业核心", "2H 4H"),
        ("继电保护原理", 3, "6", "专业核心", "3M 6H"), ("电气工程实训", 2, "6", "实践教学", "3H 9M")],
    "自动化": [
        ("C语言程序设计", 3, "1", "学科基础", "5M"), ("电路原理", 4, "2", "学科基础", "1H"),
        ("自动控制原理", 4, "4", "专业核心", "1H 2H"), ("现代控制理论", 3, "5", "专业核心", "2H 4M"),
        ("传感器与检测技术", 3, "5", "专业核心", "4M 5H"), ("单片机原理与应用", 3, "5", "专业核心", "3H 5H"),
        ("PLC与运动控制", 3, "6", "专业核心", "3H 5M"), ("过程控制系统", 3, "6", "专业核心", "3M 6M")],
}
_ECO_COMMON_HEAD = [
    ("思想道德与法治", 3, "1", "通识教育", "职业道德与责任意识:1"),
    ("计算机应用基础", 2, "1", "通识教育", "办公软件技能:0.3"),
    ("职业生涯规划与就业指导", 2, "1-6", "通识教育", "职业规划与行业认知:1"),
]
_ECO_COMMON_TAIL = [
    ("毕业实习", 4, "7", "实践教学", "实践动手能力:1 沟通表达能力:0.5 团队协作能力:0.5"),
    ("毕业论文", 8, "8", "实践教学", "写作能力:1 创新能力:0.5 专业知识:0.5"),
]
_ENGLISH_101 = ("大学英语", 8, "1-4", "通识教育", "外语能力:1")
_ECO = {
    "金融学": [
        _ENGLISH_101, ("政治经济学", 3, "1", "学科基础", "专业知识:1"),
        ("微观经济学", 3, "2", "核心", "专业知识:1 数据分析能力:0.3"), ("宏观经济学", 3, "3", "核心", "专业知识:1"),
        ("货币金融学", 3, "3", "核心", "专业知识:1 职业规划与行业认知:0.5"), ("计量经济学", 3, "4", "核心", "数据分析能力:1"),
        ("投资学", 3, "5", "核心", "专业知识:1 数据分析能力:0.5 职业规划与行业认知:0.5"), ("公司金融", 3, "5", "核心", "专业知识:1"),
        ("金融市场实务", 2, "6", "实践教学", "实践动手能力:1 职业规划与行业认知:1 沟通表达能力:0.5"),
        ("金融英语", 2, "5", "专业选修", "外语能力:1 沟通表达能力:0.3")],
    "会计学": [
        _ENGLISH_101, ("基础会计", 3, "1", "核心", "专业知识:1 实践动手能力:0.5"), ("中级财务会计", 4, "3", "核心", "专业知识:1"),
        ("成本会计", 3, "4", "核心", "专业知识:1 实践动手能力:0.5"),
        ("审计学", 3, "5", "核心", "专业知识:1 职业道德与责任意识:0.5"),
        ("财务管理", 3, "5", "核心", "专业知识:1 数据分析能力:0.5"), ("税法", 3, "4", "核心", "专业知识:1"),
        ("会计模拟实训", 2, "6", "实践教学", "实践动手能力:1 团队协作能力:0.5"),
        ("会计职业道德", 1, "6", "专业选修", "职业道德与责任意识:1")],
    "电子商务": [
        _ENGLISH_101, ("管理学", 3, "2", "学科基础", "专业知识:0.5 团队协作能力:0.5"),
        ("电子商务概论", 2, "1", "核心", "专业知识:1"), ("网络营销", 3, "3", "核心", "专业知识:1 创新能力:0.5 沟通表达能力:0.5"),
        ("电子商务运营", 3, "4", "核心", "实践动手能力:1 专业知识:0.5"), ("物流与供应链管理", 3, "4", "核心", "专业知识:1"),
        ("网店设计与运营实训", 2, "5", "核心", "实践动手能力:1 创新能力:0.5"), ("电子支付与网络金融", 2, "5", "核心", "专业知识:1"),
        ("商务沟通与谈判", 2, "5", "专业选修", "沟通表达能力:1 团队协作能力:0.5")],
    "英语": [
        ("综合英语", 12, "1-4", "核心", "外语能力:1 专业知识:1"), ("英语听力", 4, "1-2", "学科基础", "外语能力:1"),
        ("英语口语", 4, "1-2", "核心", "外语能力:1 沟通表达能力:1"), ("英语写作", 4, "3-4", "核心", "写作能力:1 外语能力:1"),
        ("翻译理论与实践", 3, "5", "核心", "外语能力:1 专业知识:0.5"), ("英美文学", 3, "5", "核心", "专业知识:1"),
        ("语言学概论", 2, "6", "核心", "专业知识:1 创新能力:0.3"), ("第二外语", 8, "5-7", "专业选修", "外语能力:1")],
    "汉语言文学": [
        _ENGLISH_101, ("现代汉语", 4, "1-2", "核心", "专业知识:1"), ("古代汉语", 4, "2-3", "核心", "专业知识:1"),
        ("中国古代文学", 8, "2-5", "核心", "专业知识:1 写作能力:0.5"), ("中国现当代文学", 4, "3-4", "核心", "专业知识:1 写作能力:0.5"),
        ("文学概论", 3, "3", "核心", "专业知识:1 创新能力:0.5"), ("外国文学", 4, "4-5", "核心", "专业知识:1 外语能力:0.3"),
        ("应用文写作", 2, "5", "专业选修", "写作能力:1 办公软件技能:0.5")],
    "新闻学": [
        _ENGLISH_101, ("新闻学概论", 3, "1", "核心", "专业知识:1"), ("传播学概论", 3, "2", "核心", "专业知识:1"),
        ("新闻采访与写作", 4, "3", "核心", "写作能力:1 实践动手能力:0.5 沟通表达能力:0.5"),
        ("新闻编辑", 3, "4", "核心", "专业知识:1 写作能力:0.5"), ("新闻评论", 2, "5", "核心", "写作能力:1 创新能力:0.5"),
        ("新媒体实务", 3, "5", "核心", "实践动手能力:1 创新能力:1 办公软件技能:0.5"),
        ("媒体融合实训", 2, "6", "实践教学", "实践动手能力:1 团队协作能力:1 职业规划与行业认知:0.5")],
}
_ECO_MAJORS = ["金融学", "会计学", "电子商务", "英语", "汉语言文学", "新闻学"]

#: every major's courses in file order: (course, credits, semester, category, support)
COURSES = {m: _ENG_COMMON_HEAD + _ENG[m] + _ENG_COMMON_TAIL for m in ENGINEERING}
COURSES.update({m: _ECO_COMMON_HEAD + _ECO[m] + _ECO_COMMON_TAIL for m in _ECO_MAJORS})

#: the planted facts of the programme and the course ratings
PLANTED = {
    "unsupported_gap": {"major": "电子商务", "competency": "data_analysis", "column": "数据分析能力",
                        "note": "the major's top planted employer gap; the 数据分析能力 column is in the matrix "
                                "but no course of 电子商务 marks it"},
    "uncovered_gap": {"major": "软件工程", "competency": "resilience",
                      "note": "a planted employer gap that no 工程教育认证 requirement of the matrix covers"},
    "weak_only_gap": {"major": "会计学", "competency": "office",
                      "note": "a planted employer gap supported only by 《计算机应用基础》 at 0.3"},
    "unmapped_column": {"column": "国际视野", "note": "an ability column the taxonomy cannot map"},
    "unsatisfying_core_course": {"major": "计算机科学与技术", "course": "数据结构", "slot": 2,
                                 "importance_latent": 4.6, "satisfaction_latent": 2.5,
                                 "note": "core course rated important (mean ≈ 4.5) but with low 满足度 (≈ 50 % "
                                         "top three vs ≈ 90 % for the other courses)"},
    "requirement_below_threshold": {"major": "机械设计制造及其自动化", "requirement": "3",
                                    "label": "设计/开发解决方案", "threshold": 0.7,
                                    "note": "its rated competencies (innovation, practice) are the major's planted "
                                            "low-fit competencies and employer gaps: graduates ≈ 0.58, employers ≈ 0.62"},
}
_COURSE_IMPORTANCE = 4.05
_COURSE_SATISFACTION = 3.95


def core_courses(major: str) -> list[str]:
    """The core courses of ``major`` in programme order (the questionnaire's slots 1…6)."""
    return [c for c, _, _, cat, _ in COURSES[major] if cat in ("专业核心", "核心")]


def _code(major_code: str, k: int) -> str:
    return f"{major_code[:6]}{k + 1:02d}"


def _kind(category: str) -> str:
    return "选修" if "选修" in category else "必修"


def _eng_sheet(wb, major: str, code: str, fmt: dict) -> None:
    ws = wb.add_worksheet(major)
    heads = ["课程代码", "课程名称", "学分", "开课学期", "课程性质", "课程类别"] + [
        f"毕业要求{i}\n{name}" for i, name in enumerate(REQUIREMENTS, 1)]
    ws.merge_range(0, 0, 0, len(heads) - 1, f"{major}专业课程体系与毕业要求支撑矩阵（2025 版）", fmt["title"])
    ws.write_string(1, 0, "说明：H 表示强支撑，M 表示中等支撑，L 表示弱支撑；空白表示不支撑。", fmt["note"])
    for j, h in enumerate(heads):
        ws.write_string(2, j, h, fmt["head"])
    r = 3
    modules = {"通识教育": "一、通识教育课程", "学科基础": "二、学科基础课程", "专业核心": "三、专业核心课程",
               "专业选修": "四、专业选修课程", "实践教学": "五、集中实践教学环节"}
    courses = sorted(enumerate(COURSES[major]), key=lambda x: list(modules).index(x[1][3]))
    current = None
    for k, (name, credits, sem, cat, sup) in courses:
        if cat != current:
            ws.write_string(r, 1, modules[cat], fmt["module"])
            r, current = r + 1, cat
        ws.write_string(r, 0, _code(code, k))
        ws.write_string(r, 1, name)
        ws.write_number(r, 2, credits)
        ws.write_string(r, 3, sem)
        ws.write_string(r, 4, _kind(cat))
        ws.write_string(r, 5, cat)
        for item in sup.split():
            ws.write_string(r, 5 + int(item[:-1]), item[-1], fmt["mark"])
        r += 1
    ws.write_string(r, 1, "合计")
    ws.write_number(r, 2, sum(c[1] for c in COURSES[major]))
    ws.set_column(1, 1, 20)
    ws.set_column(6, 6 + len(REQUIREMENTS), 9)
    ws.freeze_panes(3, 2)


def _eco_sheet(wb, codes: dict, fmt: dict) -> None:
    ws = wb.add_worksheet("经管与人文类专业")
    abilities = list(ABILITY_COLUMNS)
    heads = ["专业", "课程编号", "课程名称", "学分", "建议修读学期", "课程类别", "核心课程"] + abilities
    for j, h in enumerate(heads):
        ws.write_string(0, j, h, fmt["head"])
    r = 1
    for m in _ECO_MAJORS:
        for k, (name, credits, sem, cat, sup) in enumerate(COURSES[m]):
            ws.write_string(r, 0, m)
            ws.write_string(r, 1, _code(codes[m], k))
            ws.write_string(r, 2, name)
            ws.write_number(r, 3, credits)
            ws.write_string(r, 4, f"第{sem}学期")
            ws.write_string(r, 5, "专业核心" if cat == "核心" else cat)
            if cat == "核心":
                ws.write_string(r, 6, "是")
            for item in sup.split():
                col, val = item.split(":")
                ws.write_number(r, 7 + abilities.index(col), float(val))
            r += 1
    ws.freeze_panes(1, 3)
    ws.set_column(0, 0, 12)
    ws.set_column(2, 2, 20)


def write_programme(path, majors: dict) -> None:
    """Write the sample programmes to ``path`` (XLSX, deterministic bytes).

    ``majors``: name → (college, 专业代码), as :data:`survey_analysis.datasets._plan.MAJORS`.
    """
    from datetime import datetime

    import xlsxwriter

    from .._atomic import atomic_path

    codes = {m: c for m, (_, c) in majors.items()}
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        wb.set_properties({"created": datetime(2025, 7, 1, 9, 0, 0), "author": "survey_analysis"})
        fmt = {"title": wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
               "note": wb.add_format({"italic": True, "font_color": "#555555"}),
               "head": wb.add_format({"bold": True, "text_wrap": True, "align": "center", "border": 1}),
               "module": wb.add_format({"bold": True}), "mark": wb.add_format({"align": "center"})}
        for m in ENGINEERING:
            _eng_sheet(wb, m, codes[m], fmt)
        _eco_sheet(wb, codes, fmt)
        ws = wb.add_worksheet("填写说明")
        for i, line in enumerate(["本工作簿为样例学校各专业人才培养方案的课程设置与支撑矩阵（虚构数据）。",
                                  "工科专业：每专业一个工作表，列为工程教育认证的 12 项毕业要求，H/M/L 表示支撑强度。",
                                  "经管与人文类专业：一个工作表，列为能力，1 / 0.5 / 0.3 表示强 / 中 / 弱支撑。"]):
            ws.write_string(i, 0, line)
        wb.close()


def _intended_support(major: str) -> dict:
    """Competency id → the strongest strength the generator wrote for it in ``major``."""
    out: dict = {}
    for _, _, _, _, sup in COURSES[major]:
        for item in sup.split():
            if major in ENGINEERING:
                comps, x = REQUIREMENT_COMPETENCIES[int(item[:-1])], {"H": 1.0, "M": 0.5, "L": 0.3}[item[-1]]
            else:
                col, val = item.split(":")
                comps, x = ABILITY_COLUMNS[col], float(val)
            for c in comps:
                out[c] = max(out.get(c, 0.0), x)
    return out


def programme_facts(gap_profiles: dict, low_fit: dict) -> dict:
    """The programme part of ``truth/facts.json``: the layouts, the planted facts, and for every
    planted employer gap the support level the generator wrote (强/中/弱/无)."""
    level = {}
    for m, gaps in gap_profiles.items():
        sup = _intended_support(m)
        level[m] = {c: ("强" if sup.get(c, 0) >= 1 else "中" if sup.get(c, 0) >= 0.5 else "弱" if sup.get(c) else "无")
                    for c in gaps}
    return {"file": PROGRAMME_FILE,
            "layouts": {"A": {"majors": ENGINEERING, "sheets": "one per major, named after it",
                              "columns": "毕业要求1…12 (工程教育认证), marks H/M/L"},
                        "B": {"majors": _ECO_MAJORS, "sheet": "经管与人文类专业", "columns": list(ABILITY_COLUMNS),
                              "marks": "1 / 0.5 / 0.3"}},
            "core_courses": {m: core_courses(m) for m in COURSES},
            "gap_support_level": level,
            "planted": PLANTED,
            "course_rating_note": "questionnaire Q29/Q30 (C1/C2): slot k = the k-th core course of the respondent's "
                                  f"major; importance latent ≈ {_COURSE_IMPORTANCE}, satisfaction latent ≈ "
                                  f"{_COURSE_SATISFACTION} (course5 scale) for every course but the planted one"}


def _label(labels: list, score: int) -> str:
    return labels[5 - int(min(5, max(1, score)))]


def add_course_ratings(rng, qn: dict, rows: list) -> None:
    """Fill the C1/C2 answers (``course_imp__k``, ``course_sat__k``) of every row, in place.

    Drawn after the other answers with their own random stream, so the rest of the sample is
    unchanged.  Duplicates copy their original, straight-liners give the same box as in their
    other grids, speeders answer at random, empty submissions nothing; about 3 % 无法评价.
    """
    q = {x.get("field_prefix"): x for x in qn["questions"] if x["type"] == "matrix"}
    imp_q, sat_q, teach = q["course_imp__"], q["course_sat__"], q["teach__"]
    keys = [(f"course_imp__{k}", f"course_sat__{k}") for k in range(1, COURSE_SLOTS + 1)]
    planted = PLANTED["unsatisfying_core_course"]
    for row in rows:
        case = row.get("_case") or ""
        if case == "duplicate":
            src = rows[row["_dup_of"]]
            for a, b in keys:
                row[a], row[b] = src.get(a), src.get(b)
            continue
        major = row.get("_major") or row.get("major")
        if case == "empty" or not isinstance(major, str):
            continue
        if case == "straightliner":
            idx = teach["scale_labels"].index(row["teach__classroom"])
            for a, b in keys:
                row[a], row[b] = imp_q["scale_labels"][idx], sat_q["scale_labels"][idx]
            continue
        tendency = rng.normal(0, 0.4)
        for k, (a, b) in enumerate(keys, start=1):
            if case == "speeder":
                row[a] = imp_q["scale_labels"][int(rng.integers(5))]
                row[b] = sat_q["scale_labels"][int(rng.integers(5))]
                continue
            hit = major == planted["major"] and k == planted["slot"]
            imp = (planted["importance_latent"] if hit else _COURSE_IMPORTANCE) + tendency + rng.normal(0, 0.6)
            sat = (planted["satisfaction_latent"] if hit else _COURSE_SATISFACTION) + tendency + rng.normal(0, 0.75)
            row[a] = _label(imp_q["scale_labels"], int(np.rint(imp)))
            row[b] = _label(sat_q["scale_labels"], int(np.rint(sat)))
            if rng.random() < 0.03:
                row[b] = sat_q["na_label"]
