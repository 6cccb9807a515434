"""The seeded generators of employer and graduate answers (labels, as a text export shows them)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ConfigError
from . import _plan as P
from ._comments import CommentMaker
from ._programme import add_course_ratings
from ._people import company_name, draw, id_number, ip_address, landline, person_name, phone
from ._questionnaire import answer_columns, choice_options, is_shown_logic, load_questionnaire

__all__ = ["Sample", "employer_sample", "graduate_sample", "make_roster", "SYSTEM_COLUMNS"]

SYSTEM_COLUMNS = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
SOURCES = [("手机提交", "直接访问", 0.45), ("微信", "N/A", 0.40), ("链接", "直接访问", 0.15)]
CLAUSE_COLUMNS = ["序号", "field", "clause_index", "clause", "competency", "polarity", "topic", "major"]
CASE_COLUMNS = ["序号", "case", "duplicate_of"]


@dataclass
class Sample:
    """Everything one generator call produces."""

    answers: pd.DataFrame
    truth: pd.DataFrame  # one row per planted comment clause
    cases: pd.DataFrame  # one row per planted cleaning case
    facts: dict = field(default_factory=dict)
    roster: pd.DataFrame | None = None


def check_n(n, what: str) -> None:
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ConfigError(f"{what}必须是正整数", expected="≥ 1 的整数", found=n,
                          hint="请给出至少 1 的样本数。")


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(seed), *keys]))


def _score(latent: float) -> int:
    """Latent 5-point value → integer score 1..5."""
    v = round(float(latent))
    return 5 if v > 5 else (1 if v < 1 else int(v))


def _label(q: dict, score: int) -> str:
    """Score 5..1 → the scale label (5 = first label)."""
    return q["scale_labels"][5 - int(score)]


def _weighted(rng, items, weights):
    return items[draw(rng, weights)]


def _na_rates(rng, keys):
    lo, hi = P.NA_RATE_RANGE
    return {k: float(rng.uniform(lo, hi)) for k in keys}


def _is_course(q: dict) -> bool:
    return str(q.get("field_prefix", "")).startswith("course_")


def _questions(qn: dict) -> dict:
    return {q.get("field") or q.get("field_prefix"): q for q in qn["questions"]}


# ---------------------------------------------------------------------------------------------
# employers
# ---------------------------------------------------------------------------------------------
_EMP_INDUSTRY = {
    "信息工程学院": {"信息传输、软件和信息技术服务业": 70, "制造业": 8, "金融业": 6, "科学研究和技术服务业": 6,
                   "批发和零售业": 4, "租赁和商务服务业": 3, "教育": 3},
    "机械与电气工程学院": {"制造业": 60, "电力、热力、燃气及水生产和供应业": 14, "建筑业": 8,
                      "科学研究和技术服务业": 8, "信息传输、软件和信息技术服务业": 6, "交通运输、仓储和邮政业": 4},
    "经济管理学院": {"金融业": 35, "租赁和商务服务业": 20, "批发和零售业": 18, "制造业": 8,
                  "信息传输、软件和信息技术服务业": 8, "房地产业": 5, "公共管理、社会保障和社会组织": 3,
                  "居民服务、修理和其他服务业": 3},
    "人文与外国语学院": {"教育": 35, "文化、体育和娱乐业": 25, "租赁和商务服务业": 12,
                     "公共管理、社会保障和社会组织": 10, "批发和零售业": 8, "住宿和餐饮业": 4,
                     "信息传输、软件和信息技术服务业": 6},
}
_EMP_TYPE = {"民营企业/个体": 52, "国有企业": 20, "三资企业": 7, "其他事业单位": 6, "党政机关": 3,
             "中初教育单位": 4, "科研设计单位": 3, "高等教育单位": 1, "医疗卫生单位": 1, "城镇社区": 1,
             "其他": 2}
_OTHER_TYPES = ["社会组织", "行业协会", "民办非企业单位", "合作社"]
_SIZES = {"50人及以下": 22, "51-300人": 35, "301-1000人": 20, "1001-3000人": 11, "3000人以上": 12}
_REGIONS = {"本省省会城市": 38, "本省其他城市": 30, "长三角地区（本省以外）": 16, "珠三角地区": 6,
            "京津冀地区": 4, "其他地区": 6}
_CONTACT_TITLES = ["经理", "女士", "先生", "主管", "老师", ""]


def _employer_ratings(rng, major: str, tendency: float, t_imp: float):
    imp = {}
    sat = {}
    gaps = set(P.GAP_PROFILES[major])
    for c in P.COMPETENCY_CODES:
        imp[c] = int(_score(P.IMPORTANCE_MEAN[c] + 0.45 * t_imp + rng.normal(0, 0.6)))
        shift = P.GAP_SATISFACTION_SHIFT if c in gaps else 0.0
        sat[c] = int(_score(P.SATISFACTION_MEAN[c] + shift + 0.5 * tendency + rng.normal(0, 0.7)))
    return imp, sat


def employer_sample(seed: int, n: int, roster_names: list[str] | None = None) -> Sample:
    """Generate ``n`` genuine employer answers plus the planted cleaning cases.

    See :func:`survey_analysis.datasets.generate_employers` for the public wrapper.
    """
    check_n(n, "用人单位样本数（n_employers）")
    rng = _rng(seed, 1)
    qn = load_questionnaire("employer")
    Q = _questions(qn)
    names = list(roster_names) if roster_names is not None else [
        person_name(rng, "男" if rng.random() < 0.5 else "女") for _ in range(200)]
    cm = CommentMaker(rng, names, phone)
    na_rate = {**_na_rates(rng, ["imp__" + c for c in P.COMPETENCY_CODES]),
               **_na_rates(rng, ["sat__" + c for c in P.COMPETENCY_CODES]),
               **_na_rates(rng, ["service__recruitment", "service__platform", "service__cooperation"])}
    mean_driver = {c: P.SATISFACTION_MEAN[c] for c in P.KEY_DRIVERS}

    rows: list[dict] = []
    clause_rows: list[list[dict]] = []
    start = pd.Timestamp("2025-05-20 08:00:00")
    span = (pd.Timestamp("2025-06-30 22:00:00") - start).total_seconds()
    for i in range(n):
        major = _weighted(rng, P.MAJOR_LIST, [P.EMPLOYER_MAJOR_WEIGHTS[m] for m in P.MAJOR_LIST])
        college = P.MAJORS[major][0]
        inds = _EMP_INDUSTRY[college]
        industry = _weighted(rng, list(inds), list(inds.values()))
        etype = _weighted(rng, list(_EMP_TYPE), list(_EMP_TYPE.values()))
        if etype == "其他" and rng.random() < 0.7:
            etype = f"其他〖{_OTHER_TYPES[int(rng.integers(len(_OTHER_TYPES)))]}〗"
        hired = [major]
        for m in P.MAJOR_LIST:
            if m != major and rng.random() < (0.30 if P.MAJORS[m][0] == college else 0.05):
                hired.append(m)
        hired = [m for m in P.MAJOR_LIST if m in hired]
        tendency = rng.normal()
        imp, sat = _employer_ratings(rng, major, tendency, rng.normal())
        overall_latent = 4.1 + 0.75 * sum(sat[c] - mean_driver[c] for c in P.KEY_DRIVERS) / 1.0 \
            + 0.1 * tendency + rng.normal(0, 0.45)
        row = {
            "employer_name": company_name(rng, industry),
            "industry": industry,
            "employer_type": etype,
            "employer_size": _weighted(rng, list(_SIZES), list(_SIZES.values())),
            "region": _weighted(rng, list(_REGIONS), list(_REGIONS.values())),
            "major": major,
            "majors_hired": "┋".join(hired),
        }
        for c in P.COMPETENCY_CODES:
            row["imp__" + c] = _label(Q["imp__"], imp[c])
            row["sat__" + c] = _label(Q["sat__"], sat[c])
        row["overall_satisfaction"] = _label(Q["overall_satisfaction"], int(_score(overall_latent)))
        for s in ("recruitment", "platform", "cooperation"):
            row["service__" + s] = _label(Q["service__"], int(_score(3.9 + 0.4 * tendency + rng.normal(0, 0.7))))
        for k, r in na_rate.items():
            if rng.random() < r:
                row[k] = "无法评价"
        plan = _weighted(rng, ["是", "否", "不确定"], [70, 8, 22])
        row["hiring_plan"] = plan
        row["hiring_count"] = int(min(1 + rng.geometric(0.25), 60)) if plan == "是" else None
        sex = "男" if rng.random() < 0.45 else "女"
        full = person_name(rng, sex)
        title = _CONTACT_TITLES[int(rng.integers(len(_CONTACT_TITLES)))]
        row["contact_name"] = full if (title == "" or rng.random() < 0.5) else full[0] + title
        row["contact_phone"] = phone(rng) if rng.random() < 0.8 else landline(rng)
        text16, cl16 = cm.employer_suggestion(P.GAP_PROFILES[major])
        text17, cl17 = cm.employer_skills(P.GAP_PROFILES[major])
        row["comment_suggestion"] = text16 or None
        row["comment_skills"] = text17 or None
        submitted = start + pd.Timedelta(seconds=float(rng.uniform(0, span)))
        src = SOURCES[draw(rng, [s[2] for s in SOURCES])]
        ip, place = ip_address(rng)
        row.update({
            "_submitted": submitted.floor("s"),
            "_duration": int(np.clip(rng.lognormal(np.log(330), 0.45), 75, 3600)),
            "来源": src[0], "来源详情": src[1], "来自IP": f"{ip}({place})",
            "_case": "", "_major": major,
        })
        rows.append(row)
        cls = [dict(c, field="comment_suggestion", clause_index=j) for j, c in enumerate(cl16)]
        cls += [dict(c, field="comment_skills", clause_index=j) for j, c in enumerate(cl17)]
        clause_rows.append(cls)

    rating_keys = [k for k in rows[0] if k.startswith(("imp__", "sat__", "service__"))]
    _plant_cases(rng, qn, rows, clause_rows, "employer", rating_keys, n)
    answers, truth, cases = _finish(qn, rows, clause_rows)
    facts = {"gap_profiles": P.GAP_PROFILES, "key_drivers": P.KEY_DRIVERS}
    return Sample(answers, truth, cases, facts)


# ---------------------------------------------------------------------------------------------
# cleaning cases shared by both surveys
# ---------------------------------------------------------------------------------------------
def _plant_cases(rng, qn, rows, clause_rows, kind, rating_keys, n, speeders=True):
    """Turn some genuine rows into speeders / straight-liners; append duplicates and empty rows."""
    n_dup = max(1, int(round(P.CASE_RATES["duplicate"] * n)))
    n_speed = max(1, int(round(P.CASE_RATES["speeder"] * n))) if speeders else 0
    n_straight = max(1, int(round(P.CASE_RATES["straightliner"] * n)))
    if n < n_dup + n_speed + n_straight + 1:
        return
    picked = rng.choice(n, size=n_speed + n_straight + n_dup, replace=False)
    speeders = picked[:n_speed]
    straight = picked[n_speed:n_speed + n_straight]
    dup_src = picked[n_speed + n_straight:]
    questions = qn["questions"]
    for i in speeders:
        row = rows[i]
        row["_case"] = "speeder"
        row["_duration"] = int(rng.integers(15, P.SPEEDER_MAX_SECONDS + 1))
        # random answers on the rating grids (the skip-logic questions keep their answers)
        for q in questions:
            if q["type"] == "matrix":
                for key, _ in answer_columns(q):
                    if isinstance(row.get(key), str):
                        opts = choice_options(q)
                        row[key] = opts[int(rng.integers(len(q["scale_labels"])))]
        for key in ("comment_suggestion", "comment_skills", "comment"):
            if key in row:
                row[key] = None if rng.random() < 0.6 else "无"
        clause_rows[i] = []
    for i in straight:
        row = rows[i]
        row["_case"] = "straightliner"
        idx = draw(rng, [0.5, 0.3, 0.2])
        for q in questions:
            if q["type"] == "matrix":
                for key, _ in answer_columns(q):
                    if isinstance(row.get(key), str):
                        row[key] = q["scale_labels"][idx]
    extra_rows = []
    extra_clauses = []
    for i in dup_src:
        row = dict(rows[i])
        row["_case"] = "duplicate"
        row["_dup_of"] = i
        row["_submitted"] = rows[i]["_submitted"] + pd.Timedelta(seconds=int(rng.integers(60, 600)))
        row["_duration"] = int(max(P.SPEEDER_MAX_SECONDS + 20,
                                   rows[i]["_duration"] * rng.uniform(0.6, 1.1)))
        extra_rows.append(row)
        extra_clauses.append([dict(c) for c in clause_rows[i]])
    template = rows[0]
    for _ in range(P.EMPTY_ROWS[kind]):
        row = {k: None for k in template}
        row.update({k: template[k] for k in ()})
        row["_case"] = "empty"
        row["_submitted"] = template["_submitted"] + pd.Timedelta(hours=float(rng.uniform(1, 600)))
        row["_duration"] = int(rng.integers(70, 200))
        src = SOURCES[int(rng.integers(3))]
        ip, place = ip_address(rng)
        row.update({"来源": src[0], "来源详情": src[1], "来自IP": f"{ip}({place})", "_major": None})
        extra_rows.append(row)
        extra_clauses.append([])
    for k, r in enumerate(rows):
        r["_orig"] = k
    for k, r in enumerate(extra_rows):
        r["_orig"] = len(rows) + k
    rows.extend(extra_rows)
    clause_rows.extend(extra_clauses)


def _finish(qn, rows, clause_rows):
    """Order by submission time, number the rows (序号) and build answers / truth / cases."""
    order = sorted(range(len(rows)), key=lambda k: (rows[k]["_submitted"], k))
    seq_of = {rows[k].get("_orig", k): s + 1 for s, k in enumerate(order)}
    keys = [key for q in qn["questions"] for key, _ in answer_columns(q)]
    extra = [k for k in ("身份证号",) if k in rows[0]]
    records = []
    truth = []
    cases = []
    for s, k in enumerate(order, start=1):
        r = rows[k]
        rec = {
            "序号": s,
            "提交答卷时间": r["_submitted"],
            "所用时间": int(r["_duration"]),
            "来源": r["来源"], "来源详情": r["来源详情"], "来自IP": r["来自IP"],
        }
        for key in keys + extra:
            rec[key] = r.get(key)
        records.append(rec)
        for c in clause_rows[k]:
            truth.append({"序号": s, "field": c["field"], "clause_index": c["clause_index"],
                          "clause": c["clause"], "competency": c["competency"],
                          "polarity": c["polarity"], "topic": c["topic"], "major": r.get("_major")})
        if r["_case"]:
            dup = r.get("_dup_of")
            cases.append({"序号": s, "case": r["_case"],
                          "duplicate_of": seq_of[dup] if dup is not None else None})
    answers = pd.DataFrame.from_records(records)
    for key in keys + extra:
        col = answers[key]
        if col.map(lambda v: isinstance(v, str)).any():
            answers[key] = col.astype("string")
        else:
            answers[key] = pd.to_numeric(col, errors="coerce").astype("Float64" if key == "income" else "Int64")
    truth_df = pd.DataFrame(truth, columns=CLAUSE_COLUMNS)
    truth_df["序号"] = truth_df["序号"].astype("int64")
    truth_df["clause_index"] = truth_df["clause_index"].astype("int64")
    cases_df = pd.DataFrame(cases, columns=CASE_COLUMNS)
    cases_df["duplicate_of"] = cases_df["duplicate_of"].astype("Int64")
    return answers, truth_df, cases_df


# ---------------------------------------------------------------------------------------------
# graduates
# ---------------------------------------------------------------------------------------------
_GRAD_INDUSTRY = {
    "信息工程学院": {"信息传输、软件和信息技术服务业": 62, "制造业": 10, "金融业": 8, "科学研究和技术服务业": 6,
                   "教育": 4, "批发和零售业": 4, "公共管理、社会保障和社会组织": 3, "租赁和商务服务业": 3},
    "机械与电气工程学院": {"制造业": 55, "电力、热力、燃气及水生产和供应业": 15, "建筑业": 8,
                      "科学研究和技术服务业": 7, "信息传输、软件和信息技术服务业": 7, "交通运输、仓储和邮政业": 5,
                      "公共管理、社会保障和社会组织": 3},
    "经济管理学院": {"金融业": 30, "租赁和商务服务业": 18, "批发和零售业": 16, "制造业": 9,
                  "信息传输、软件和信息技术服务业": 9, "房地产业": 5, "公共管理、社会保障和社会组织": 6,
                  "居民服务、修理和其他服务业": 4, "教育": 3},
    "人文与外国语学院": {"教育": 38, "文化、体育和娱乐业": 18, "租赁和商务服务业": 10,
                     "公共管理、社会保障和社会组织": 12, "批发和零售业": 7, "住宿和餐饮业": 4,
                     "信息传输、软件和信息技术服务业": 7, "居民服务、修理和其他服务业": 4},
}
_GRAD_TYPE = {"民营企业/个体": 50, "国有企业": 22, "三资企业": 6, "其他事业单位": 5, "党政机关": 3,
              "中初教育单位": 5, "科研设计单位": 2, "高等教育单位": 1, "医疗卫生单位": 1, "部队": 0.5,
              "农村建制村": 0.5, "城镇社区": 2, "其他": 2}
_GRAD_SIZE = {"50人及以下": 20, "51-300人": 33, "301-1000人": 21, "1001-3000人": 12, "3000人以上": 14}
_OCCUPATION = {
    "信息工程学院": {"专业技术人员": 70, "办事人员和有关人员": 10, "社会生产服务和生活服务人员": 12,
                 "党的机关、国家机关、群众团体和社会组织、企事业单位负责人": 2, "不便分类的其他从业人员": 6},
    "机械与电气工程学院": {"专业技术人员": 48, "生产制造及有关人员": 30, "办事人员和有关人员": 8,
                   "社会生产服务和生活服务人员": 8, "不便分类的其他从业人员": 6},
    "经济管理学院": {"专业技术人员": 30, "办事人员和有关人员": 30, "社会生产服务和生活服务人员": 30,
               "党的机关、国家机关、群众团体和社会组织、企事业单位负责人": 3, "不便分类的其他从业人员": 7},
    "人文与外国语学院": {"专业技术人员": 45, "办事人员和有关人员": 20, "社会生产服务和生活服务人员": 25,
                 "不便分类的其他从业人员": 10},
}
_UNRELATED = {"专业工作不符合自己的兴趣": 25, "达不到专业工作的要求": 12, "专业工作收入偏低": 20,
              "专业工作环境差": 8, "专业工作岗位少": 28, "其他": 7}
_TURNOVER = {"薪资福利偏低": 35, "个人发展空间不够": 30, "想改变职业或行业": 15, "工作要求高压力大": 14,
             "对单位管理制度和文化不适应": 8, "被解雇或合同到期": 4, "其他": 3}
_IMPROVE = {"实习和实践环节不够": 42, "课程内容不实用或陈旧": 30, "无法调动学生学习兴趣": 14,
            "课堂上让学生参与不够": 14, "教师专业能力不强": 5, "多媒体网络教学效果不好": 6}
_GIMP_MEAN = {"ethics": 4.3, "integrity": 4.5, "theory": 3.8, "professional": 4.1, "practice": 4.3,
              "learning": 4.4, "innovation": 3.8, "communication": 4.3, "teamwork": 4.2,
              "organization": 3.7, "resilience": 4.2, "foreign_language": 3.2, "office": 3.9,
              "adaptability": 4.2, "responsibility": 4.5}


def make_roster(seed: int, cohort: int, size: int) -> pd.DataFrame:
    """The graduate roster of ``cohort``: 学号, 姓名, 性别, 手机号, 学院, 专业 for ``size`` graduates."""
    rng = _rng(seed, 3, cohort)
    share = np.array([P.POPULATION_SHARE[m] for m in P.MAJOR_LIST], dtype=float)
    counts = np.floor(share / share.sum() * size).astype(int)
    counts[: size - counts.sum()] += 1
    recs = []
    for m, c in zip(P.MAJOR_LIST, counts):
        college, code = P.MAJORS[m]
        sexes = np.where(rng.random(c) < P.FEMALE_SHARE[m], "女", "男")
        for j in range(c):
            recs.append({
                "学号": f"{cohort - 4}{code[:6]}{j + 1:03d}",
                "姓名": person_name(rng, sexes[j]),
                "性别": str(sexes[j]),
                "手机号": phone(rng),
                "学院": college,
                "专业": m,
            })
    return pd.DataFrame.from_records(recs).astype("string")


def _work_answers(rng, rng_work, Q, row: dict, major: str, sex: str, college: str, dest: str, cohort: int,
                  tendency: float) -> None:
    """The answers of a graduate in work (B1–B8-1), drawn in questionnaire order."""
    inds = _GRAD_INDUSTRY[college]
    row["employer_type"] = _weighted(rng, list(_GRAD_TYPE), list(_GRAD_TYPE.values()))
    row["industry"] = _weighted(rng, list(inds), list(inds.values()))
    row["region"] = _weighted(rng, list(_REGIONS), list(_REGIONS.values()))
    occ = _OCCUPATION[college]
    row["employer_size"] = _weighted(rng_work, list(_GRAD_SIZE), list(_GRAD_SIZE.values()))
    row["occupation"] = _weighted(rng_work, list(occ), list(occ.values()))
    med = P.INCOME_MEDIAN[major] * P.INCOME_COHORT_FACTOR.get(cohort, 1.0) * (
        P.INCOME_FEMALE_FACTOR if sex == "女" else 1.0)
    sigma = P.INCOME_SIGMA * (1.5 if dest != "在国内工作" else 1.0)
    inc = float(rng.lognormal(np.log(med), sigma))
    u = rng.random()
    inc = round(inc / 500) * 500 if u < 0.6 else (round(inc / 100) * 100 if u < 0.9 else round(inc))
    row["income"] = float(max(inc, 1500)) if rng.random() > 0.02 else None
    rel = _score(P.RELEVANCE_MEAN[major] + rng.normal(0, 0.95))
    row["relevance"] = _label(Q["relevance"], int(rel))
    if rel <= 2:
        row["unrelated_reason"] = _weighted(rng, list(_UNRELATED), list(_UNRELATED.values()))
    fit = _score(3.5 + 0.35 * (rel - 3.6) + 0.3 * tendency + rng.normal(0, 0.75))
    row["expectation_fit"] = _label(Q["expectation_fit"], int(fit))
    inc_z = (np.log(max(inc, 1500)) - np.log(med)) / P.INCOME_SIGMA
    pay = _score(3.4 + 0.35 * inc_z + 0.3 * tendency + rng.normal(0, 0.75))
    prospects = _score(3.6 + 0.3 * tendency + rng.normal(0, 0.8))
    content = _score(3.6 + 0.25 * (rel - 3.6) + 0.3 * tendency + rng.normal(0, 0.75))
    overall = _score(0.35 * pay + 0.35 * prospects + 0.3 * content + 0.15 + rng.normal(0, 0.45))
    for k, v in (("overall", overall), ("pay", pay), ("prospects", prospects), ("content", content)):
        row["job_sat__" + k] = _label(Q["job_sat__"], int(v))
    p_jc = P.JOB_CHANGES_P["high" if major == P.HIGH_TURNOVER_MAJOR else "normal"]
    jc = ["0次", "1次", "2次", "3次及以上"][draw(rng, p_jc)]
    row["job_changes"] = jc
    if jc != "0次":
        row["turnover_reasons"] = _pick_multi(rng, _TURNOVER, [1, 1, 2, 2, 3])


def _pick_multi(rng, weights: dict, sizes: list) -> str:
    """A multi-select answer: ``k`` options drawn without replacement by their weights."""
    k = int(rng.choice(sizes))
    opts = list(weights)
    w = np.array(list(weights.values()), dtype=float)
    pick = set(rng.choice(len(opts), size=k, replace=False, p=w / w.sum()).tolist())
    return "┋".join(o for j, o in enumerate(opts) if j in pick)


def _school_answers(rng, Q, row: dict, major: str, tendency: float) -> None:
    """Teaching ratings, what to improve, school satisfaction, 推荐度, competency levels (H, I)."""
    for code in ("classroom", "practical", "teachers", "career_service", "student_service"):
        base = {"classroom": 3.9, "practical": 3.6, "teachers": 4.1, "career_service": 3.8,
                "student_service": 3.9}[code]
        row["teach__" + code] = _label(Q["teach__"], int(_score(base + 0.5 * tendency + rng.normal(0, 0.7))))
    if rng.random() < 0.08:
        row["improve"] = "以上均不需改进"
    else:
        row["improve"] = _pick_multi(rng, _IMPROVE, [1, 2, 2, 3, 3, 3])
    school = _score(3.9 + 0.6 * tendency + rng.normal(0, 0.6))
    row["school_satisfaction"] = _label(Q["school_satisfaction"], int(school))
    rec_p = {5: [0.85, 0.12, 0.03], 4: [0.65, 0.28, 0.07], 3: [0.3, 0.5, 0.2], 2: [0.1, 0.4, 0.5],
             1: [0.05, 0.25, 0.7]}[int(school)]
    row["recommend"] = ["愿意", "不确定", "不愿意"][draw(rng, rec_p)]
    low = set(P.LOW_FIT_COMPETENCIES[major])
    for c in P.COMPETENCY_CODES:
        row["gimp__" + c] = _label(Q["gimp__"], int(_score(_GIMP_MEAN[c] + 0.4 * tendency + rng.normal(0, 0.6))))
        req = P.REQUIRED_LEVEL_MEAN + 0.3 * tendency + rng.normal(0, 0.55)
        own = req - P.OWN_LEVEL_GAP["low" if c in low else "normal"] + rng.normal(0, 0.5)
        row["greq__" + c] = _label(Q["greq__"], int(_score(req)))
        row["gown__" + c] = _label(Q["gown__"], int(_score(own)))


def _graduate_row(rng, rng_work, Q, ctx: dict, p_row: dict) -> tuple[dict, list]:
    """One genuine graduate's answers and the clauses of their comment."""
    cohort = ctx["cohort"]
    major = str(p_row["专业"])
    sex = str(p_row["性别"])
    college = P.MAJORS[major][0]
    row = {"student_id": str(p_row["学号"]), "name": str(p_row["姓名"]), "phone": str(p_row["手机号"]),
           "sex": sex, "college": college, "major": major, "cohort": cohort}
    placed_p = P.PLACEMENT_RATE[major] + ctx["shift"] - (0.03 if sex == "女" else 0.0)
    if rng.random() < placed_p:
        dest = P.PLACED[draw(rng, P.PLACED_MIX)]
    else:
        dest = P.DESTINATIONS[5 + draw(rng, P.UNPLACED_MIX)]
    row["destination"] = dest
    tendency = rng.normal()
    if dest in P.EMPLOYED:
        _work_answers(rng, rng_work, Q, row, major, sex, college, dest, cohort, tendency)
    _school_answers(rng, Q, row, major, tendency)
    for k in ctx["matrix_keys"]:
        if isinstance(row.get(k), str) and rng.random() < ctx["na_rate"][k]:
            row[k] = "无法评价"
    text, cls = ctx["comments"].graduate_comment(P.GAP_PROFILES[major])
    row["comment"] = text or None
    birth = cohort - 22 - int(rng.random() < 0.3) + int(rng.random() < 0.1)
    row["身份证号"] = id_number(rng, birth, sex)
    submitted = ctx["start"] + pd.Timedelta(seconds=float(rng.uniform(0, ctx["span"])))
    src = SOURCES[draw(rng, [s[2] for s in SOURCES])]
    ip, place = ip_address(rng)
    row.update({
        "_submitted": submitted.floor("s"),
        "_duration": int(np.clip(rng.lognormal(np.log(420), 0.45), 80, 3600)),
        "来源": src[0], "来源详情": src[1], "来自IP": f"{ip}({place})",
        "_case": "", "_major": major,
    })
    return row, [dict(c, field="comment", clause_index=j) for j, c in enumerate(cls)]


def graduate_sample(seed: int, n: int, cohort: int, roster: pd.DataFrame | None = None,
                    speeders: bool = True) -> Sample:
    """Generate ``n`` genuine graduate answers of ``cohort`` plus the planted cleaning cases.

    Respondents are drawn from ``roster`` (default: :func:`make_roster` with about n / 0.76
    graduates) with response propensities differing by major and sex.  ``speeders=False``
    plants no speeders (for an export without a duration column).
    """
    check_n(n, "毕业生样本数（n_graduates）")
    if roster is None:
        roster = make_roster(seed, cohort, int(round(n / 0.76)))
    if n > len(roster):
        raise ConfigError("毕业生样本数超过了名单人数", expected=f"不超过 {len(roster)}", found=n,
                          hint="请减小 n，或提供人数更多的名单（roster）。")
    rng = _rng(seed, 2, cohort)
    # the questions added later (单位规模, 职业类别) draw from a stream of their own, so that every
    # earlier answer of the sample stays as it was
    rng_work = _rng(seed, 5, cohort)
    qn = load_questionnaire("graduate")
    Q = _questions(qn)
    prop = np.array([P.RESPONSE_RATE[m] * P.RESPONSE_SEX_FACTOR[s]
                     for m, s in zip(roster["专业"], roster["性别"])])
    chosen = np.sort(rng.choice(len(roster), size=n, replace=False, p=prop / prop.sum()))
    resp = roster.iloc[chosen].reset_index(drop=True).to_dict("records")
    cm = CommentMaker(rng, list(roster["姓名"]), phone)
    # the core-course ratings (C1/C2) are drawn afterwards from their own stream (add_course_ratings),
    # so that adding them left every other answer of the sample unchanged
    matrix_keys = [key for q in qn["questions"] if q["type"] == "matrix" and not _is_course(q)
                   for key, _ in answer_columns(q)]
    ctx = {"cohort": cohort, "matrix_keys": matrix_keys, "na_rate": _na_rates(rng, matrix_keys), "comments": cm,
           "start": pd.Timestamp(f"{cohort}-11-15 08:00:00"), "shift": P.COHORT_PLACEMENT_SHIFT.get(cohort, 0.0)}
    outliers = list(P.INCOME_OUTLIERS.get(cohort, []))
    ctx["span"] = (pd.Timestamp(f"{cohort}-12-20 22:00:00") - ctx["start"]).total_seconds()
    rows: list[dict] = []
    clause_rows: list[list[dict]] = []
    for i in range(n):
        row, clauses = _graduate_row(rng, rng_work, Q, ctx, resp[i])
        rows.append(row)
        clause_rows.append(clauses)

    # income typos / outliers: replace the income of a few employed (genuine) respondents
    employed_idx = [i for i, r in enumerate(rows) if r.get("income") is not None]
    outlier_at = rng.choice(employed_idx, size=len(outliers), replace=False) if outliers else []
    for i, v in zip(outlier_at, outliers):
        rows[int(i)]["income"] = float(v)
        rows[int(i)]["_outlier"] = True
    # every row must have all keys (skipped questions are absent = None)
    all_keys = [key for q in qn["questions"] for key, _ in answer_columns(q)]
    for r in rows:
        for key in all_keys:
            r.setdefault(key, None)
    # protect outlier rows from becoming speeders (so the outliers stay in the data as written)
    _plant_cases(rng, qn, rows, clause_rows, "graduate", matrix_keys, n, speeders)
    add_course_ratings(_rng(seed, 7, cohort), qn, rows)
    answers, truth, cases = _finish(qn, rows, clause_rows)
    seq_by_sid = dict(zip(answers["student_id"].iloc[::-1], answers["序号"].iloc[::-1]))
    out_rows = [{"序号": int(seq_by_sid[rows[int(i)]["student_id"]]),
                 "student_id": rows[int(i)]["student_id"], "income": float(v)}
                for i, v in zip(outlier_at, outliers)]
    facts = {"income_outliers": out_rows}
    return Sample(answers, truth, cases, facts, roster=roster)
