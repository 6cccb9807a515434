"""Seeded sample of the special-action ledgers of the sample school, with planted facts.

``make_ledger_sample(out_dir)`` writes, under ``out_dir`` (the project's ``data`` folder), the
ledgers 华东某理工大学（样例） kept for the 2025 action (the school, colleges and majors of
:mod:`survey_analysis.datasets._plan`, the report's year):

* ``raw/ledger_visits_2025.xlsx`` -- the visit ledger (走访台账) of the school's five leaders
  (党委书记、校长 -- the 正职 --, 党委副书记 and two 副校长), 2025-03 … 2025-08, with 对接学院;
  a title row above the header, dates written as Excel dates, as text in several forms and as
  serial numbers, employer names written in several ways;
* ``raw/ledger_demand_2025.xlsx`` -- the employer demand ledger (用人单位需求台账) naming the
  school's majors (and a few it does not have);
* ``truth/ledger_facts.json`` -- the planted facts, computed here from the generator's own
  records (not by the analysis code), for the tests.

The supply side is the school's own roster, ``raw/roster_2025.xlsx`` (written by
:func:`survey_analysis.datasets.make_sample`), which the report uses for its graduate counts:
the demand per major is generated against those counts so that each major's demand / supply
ratio reads as planted.

Planted: the 正职 together reach 100 employers in the spring while the 党委书记 alone falls short
(under the each-leader reading); the school reaches 100 new employers only in August; a
duplicate visit; visits dated outside the period; a row with no 职务; a negative 需求人数, a
需求人数 that is not a number and a row with no 需求专业; employers written three ways; majors
written by alias, majors the school does not have and phrases that are not majors.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

from .._atomic import atomic_path
from . import _plan as P

__all__ = ["make_ledger_sample", "ledger_config", "LEDGER_FILES", "LEDGER_GRADUATES", "YEAR"]

YEAR = 2025
LEDGER_FILES = {
    "visits": f"raw/ledger_visits_{YEAR}.xlsx",
    "demand": f"raw/ledger_demand_{YEAR}.xlsx",
    "facts": "truth/ledger_facts.json",
}
#: the supply side: the school's roster, the same file the report counts graduates from
LEDGER_GRADUATES = f"raw/roster_{YEAR}.xlsx"

START, END = dt.date(YEAR, 3, 1), dt.date(YEAR, 8, 31)
TARGET = 100
SCHOOL = P.SCHOOL
BELOW_LOCAL_AVERAGE = True  # 落实率低于当地平均: the new-employer target applies

# name, role, 正职, distinct employers visited
LEADERS = [("周立群", "党委书记", True, 64), ("陈思远", "校长", True, 108), ("李文华", "党委副书记", False, 38),
           ("赵宏", "副校长", False, 46), ("孙明", "副校长", False, 31)]
SHARED_PRINCIPAL = 22  # employers both 正职 visit
REVISITED = 8  # employers each 副职 visits after a 正职

CITIES = [("南京", "江苏省南京市"), ("苏州", "江苏省苏州市"), ("无锡", "江苏省无锡市"),
          ("常州", "江苏省常州市"), ("杭州", "浙江省杭州市"), ("上海", "上海市"),
          ("合肥", "安徽省合肥市"), ("宁波", "浙江省宁波市")]
BRANDS = list("恒信华泰博远瑞丰天成金达宏图润安鼎盛志诚嘉禾睿思明德卓越汇通")
_IT, _ME, _EM, _HU = "信息工程学院", "机械与电气工程学院", "经济管理学院", "人文与外国语学院"
# business, GB/T 4754 门类, the college that follows the employer up (对接学院)
BUSINESS = [("智能科技", "信息传输、软件和信息技术服务业", _IT), ("软件技术", "信息传输、软件和信息技术服务业", _IT),
            ("数据服务", "信息传输、软件和信息技术服务业", _IT), ("电子", "制造业", _IT),
            ("机械", "制造业", _ME), ("电气", "制造业", _ME), ("新材料", "制造业", _ME),
            ("自动化设备", "制造业", _ME), ("建设工程", "建筑业", _ME),
            ("物流", "交通运输、仓储和邮政业", _EM), ("商贸", "批发和零售业", _EM), ("跨境电商", "批发和零售业", _EM),
            ("财务咨询", "租赁和商务服务业", _EM), ("投资管理", "金融业", _EM),
            ("文化传媒", "文化、体育和娱乐业", _HU), ("教育咨询", "教育", _HU), ("翻译服务", "租赁和商务服务业", _HU)]
TYPES = [("民营企业/个体", 0.62), ("国有企业", 0.2), ("三资企业", 0.1), ("其他事业单位", 0.05),
         ("科研设计单位", 0.03)]

# position, majors (the school's, majors it does not have, 不限, phrases that are not majors), weight
POSITIONS = [
    ("Java开发工程师", ["计算机科学与技术", "软件工程"], 5), ("前端开发工程师", ["软件工程", "计算机科学与技术"], 3),
    ("测试工程师", ["软件工程"], 2), ("算法工程师", ["计算机科学与技术", "数据科学与大数据技术"], 3),
    ("数据分析师", ["数据科学与大数据技术", "统计学"], 3), ("机械设计工程师", ["机械设计制造及其自动化"], 3),
    ("工艺工程师", ["机械设计制造及其自动化", "自动化"], 2), ("电气工程师", ["电气工程及其自动化", "自动化"], 3),
    ("PLC工程师", ["自动化", "电气工程及其自动化"], 2), ("会计", ["会计学", "财务管理"], 3),
    ("审计助理", ["会计学"], 2), ("客户经理", ["金融学", "市场营销"], 2), ("理财顾问", ["金融学"], 1),
    ("电商运营", ["电子商务", "市场营销"], 2), ("外贸业务员", ["英语", "国际经济与贸易"], 2),
    ("英语翻译", ["英语"], 1), ("新媒体编辑", ["新闻学", "汉语言文学"], 1), ("文案策划", ["汉语言文学", "新闻学"], 1),
]
EXTRA_POSITIONS = [("行政专员", ["不限"]), ("管理培训生", ["理工科"]), ("文员", ["文秘"])]
NOT_OFFERED = ["统计学", "财务管理", "市场营销", "国际经济与贸易"]
NOT_MAJORS = ["理工科", "文秘"]  # written as 需求专业 but not majors of the catalogue
ALIASES = {"计算机科学与技术": ["计算机", "计算机类"], "数据科学与大数据技术": ["大数据"],
           "电气工程及其自动化": ["电气"], "会计学": ["会计"], "软件工程": ["软件"]}
# planted demand / supply per major (supply = the roster's graduates of the major)
RATIO = {"计算机科学与技术": 1.6, "软件工程": 1.4, "数据科学与大数据技术": 1.5,
         "机械设计制造及其自动化": 1.0, "电气工程及其自动化": 1.05, "自动化": 0.95,
         "金融学": 0.55, "会计学": 0.9, "电子商务": 0.92, "英语": 0.45, "汉语言文学": 0.3, "新闻学": 0.35}
BANDS = (0.8, 1.2)


def ledger_config() -> dict:
    """The ledger lines of the sample's ``config.yaml`` (``data: ledger:``)."""
    return {"visits": LEDGER_FILES["visits"], "demand": LEDGER_FILES["demand"], "graduates": LEDGER_GRADUATES,
            "period": [START.isoformat(), END.isoformat()],
            "note": "written by survey_analysis.datasets.ledger_sample; the supply side of the demand "
                    "ledger is the roster the report counts graduates from"}


def _rng(seed, *keys):
    return np.random.default_rng(np.random.SeedSequence([int(seed), *keys]))


def _reading(ratio: float) -> str:
    return "供不应求" if ratio > BANDS[1] else ("供过于求" if ratio < BANDS[0] else "供需基本平衡")


def _employers(rng, n=420):
    out, seen = [], set()
    while len(out) < n:
        city, region = CITIES[rng.integers(len(CITIES))]
        brand = "".join(rng.choice(BRANDS, 2, replace=False))
        biz, industry, college = BUSINESS[rng.integers(len(BUSINESS))]
        if city + brand + biz in seen:
            continue
        seen.add(city + brand + biz)
        group = rng.random() < 0.06
        etype = TYPES[int(rng.choice(len(TYPES), p=[w for _, w in TYPES]))][0]
        out.append({"id": len(out), "name": f"{city}{brand}{biz}{'集团' if group else ''}有限公司",
                    "stem": f"{city}{brand}{biz}", "group": group, "city": city, "region": region,
                    "industry": industry, "college": college, "type": etype})
    return out


def _variants(e) -> list[str]:
    """Other ways the same employer is written (all normalise to the same key)."""
    s, city = e["stem"], e["city"]
    v = [f"{s}有限责任公司", f"{s}股份有限公司", f"{s[:2]} {s[2:]}有限公司",
         f"{e['name']}（{'苏州' if city != '苏州' else '南京'}分公司）",
         f"{e['name']}{'南京' if city != '南京' else '无锡'}分公司"]
    if e["group"]:
        v += [f"{s}（集团）有限公司", f"{s}集团"]
    return v


def _dates(rng, n):
    offs = np.sort(rng.integers(0, (END - START).days + 1, n))
    return [START + dt.timedelta(days=int(o)) for o in offs]


def _leader_employers(rng, pool_ids) -> dict:
    """Each leader's distinct employers: the two 正职 share ``SHARED_PRINCIPAL`` of theirs, and
    each 副职 revisits ``REVISITED`` employers the 正职 visited (key employers see several leaders)."""
    ids = [int(x) for x in rng.permutation(pool_ids)]
    out, used = {}, SHARED_PRINCIPAL
    shared = ids[:SHARED_PRINCIPAL]
    for name, _role, principal, n in LEADERS:
        if principal:
            out[name] = shared + ids[used:used + n - SHARED_PRINCIPAL]
            used += n - SHARED_PRINCIPAL
    principal_ids = sorted({e for v in out.values() for e in v})
    for name, _role, principal, n in LEADERS:
        if not principal:
            again = [int(x) for x in rng.choice(principal_ids, REVISITED, replace=False)]
            out[name] = again + ids[used:used + n - REVISITED]
            used += n - REVISITED
    return out


def _build_visits(rng, pool) -> list:
    rows = []
    chosen = _leader_employers(rng, [e["id"] for e in pool])
    for name, role, _p, _n in LEADERS:
        emp = [int(x) for x in rng.permutation(chosen[name])]
        repeats = [int(x) for x in rng.choice(emp, max(1, len(emp) // 10), replace=False)]
        seq = list(emp)
        for r in repeats:  # a repeat comes after the first visit
            at = seq.index(r) + 1 + int(rng.integers(0, max(1, len(seq) - seq.index(r))))
            seq.insert(min(at, len(seq)), r)
        for d, eid in zip(_dates(rng, len(seq)), seq):
            rows.append({"leader": name, "role": role, "date": d, "eid": eid,
                         "positions": int(rng.choice([0, 0, 1, 2, 3, 5, 8, 10, 15, 20])),
                         "base": bool(rng.random() < 0.18), "event": bool(rng.random() < 0.25)})
    # new employers: 93 first visited before August, 14 in August → the 100th comes in August
    first = {}
    for r in sorted(rows, key=lambda r: (r["date"], r["leader"])):
        first.setdefault(r["eid"], r)
    before = [e for e, r in first.items() if r["date"] < dt.date(YEAR, 8, 1)]
    during = [e for e, r in first.items() if r["date"] >= dt.date(YEAR, 8, 1)]
    assert len(before) >= 93 and len(during) >= 14, (len(before), len(during))
    new = set(int(x) for x in rng.choice(before, 93, replace=False)) | set(during[:14])
    for e, r in first.items():
        r["new_row"] = e in new
    by_id = {e["id"]: e for e in pool}
    for r in rows:
        r.setdefault("new_row", False)
        e = by_id[r["eid"]]
        r.update(employer=e["name"], type=e["type"], industry=e["industry"], region=e["region"],
                 college=e["college"] if rng.random() > 0.03 else None, planted=None)
    return rows


def _write_xlsx(path, title, headers, records):
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False})
        wb.set_properties({"created": dt.datetime(YEAR, 9, 1)})  # same bytes on every run
        ws = wb.add_worksheet("台账")
        bold = wb.add_format({"bold": True})
        dfmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        r0 = 0
        if title:
            ws.write(0, 0, title, bold)
            r0 = 1
        for j, h in enumerate(headers):
            ws.write(r0, j, h, bold)
        for i, rec in enumerate(records, start=r0 + 1):
            for j, h in enumerate(headers):
                v = rec.get(h)
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), dfmt)
                elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                    ws.write_number(i, j, float(v))
                else:
                    ws.write_string(i, j, str(v))
        ws.freeze_panes(r0 + 1, 0)
        wb.close()


def _date_cell(rng, d):
    k = rng.random()
    if k < 0.70:
        return d
    if k < 0.80:
        return f"{d.year}/{d.month}/{d.day}"
    if k < 0.85:
        return f"{d.year}年{d.month}月{d.day}日"
    if k < 0.95:
        return (d - dt.date(1899, 12, 30)).days  # Excel serial number stored as a plain number
    return d.isoformat()


def _write_names(rng, rows, by_id) -> dict:
    """Employers written several ways: four (visited at least three times) exactly three ways."""
    counts: dict = {}
    for r in rows:
        counts[r["eid"]] = counts.get(r["eid"], 0) + 1
    multi = sorted(e for e, c in counts.items() if c >= 3)
    written = {}
    for eid in [int(x) for x in rng.choice(multi, 4, replace=False)]:
        written[eid] = [by_id[eid]["name"]] + [str(x) for x in rng.choice(_variants(by_id[eid]), 2, replace=False)]
    k_by: dict = {}
    for r in rows:
        if r["eid"] in written:
            r["employer"] = written[r["eid"]][k_by.get(r["eid"], 0) % 3]
            k_by[r["eid"]] = k_by.get(r["eid"], 0) + 1
        elif rng.random() < 0.05:
            r["employer"] = str(rng.choice(_variants(by_id[r["eid"]])))
    return written


def _plant_visit_problems(rows, pool) -> tuple[list, dict]:
    """A duplicate visit, two visits outside the period, a row without 职务 (marked ``planted``)."""
    rows.sort(key=lambda r: (r["date"], r["leader"]))
    src = next(r for r in rows if r["leader"] == "陈思远" and r["date"] > dt.date(YEAR, 4, 1))
    dup = dict(src, planted="duplicate_visit", new_row=False)
    dup["employer"] = src["employer"].replace("有限公司", " 有限公司", 1)
    rows.insert(rows.index(src) + 1, dup)
    visited = {r["eid"] for r in rows}
    unseen = [e for e in pool if e["id"] not in visited]
    outside = []
    for (leader, role, d), e in zip((("周立群", "党委书记", dt.date(YEAR, 2, 25)),
                                     ("赵宏", "副校长", dt.date(YEAR, 9, 6))), unseen[-2:]):
        outside.append({"leader": leader, "role": role, "date": d, "eid": e["id"], "positions": 12,
                        "base": True, "event": True, "new_row": True, "employer": e["name"], "type": e["type"],
                        "industry": e["industry"], "region": e["region"], "college": e["college"],
                        "planted": "outside_period"})
    rows = [outside[0]] + rows + [outside[1]]
    no_role = next(r for r in rows if r["leader"] == "赵宏" and r["date"] > dt.date(YEAR, 5, 1))
    no_role["planted"] = "role_missing"
    return rows, {"duplicate": (dup, src), "outside": outside, "no_role": no_role}


VISIT_HEADERS = ["走访日期", "高校", "走访人", "职务", "单位名称", "单位性质", "行业", "地区", "对接学院",
                 "是否新拓展单位", "提供岗位数", "是否签订实习基地", "是否达成招聘活动", "备注", "落实率低于当地平均"]


def _visit_records(rng, rows) -> list:
    recs = []
    for i, r in enumerate(rows):
        r["row"] = i + 3  # title row 1, header row 2
        recs.append({
            "走访日期": _date_cell(rng, r["date"]), "高校": SCHOOL, "走访人": r["leader"],
            "职务": None if r["planted"] == "role_missing" else r["role"], "单位名称": r["employer"],
            "单位性质": r["type"], "行业": r["industry"], "地区": r["region"], "对接学院": r["college"],
            "是否新拓展单位": "是" if r["new_row"] else "否", "提供岗位数": r["positions"],
            "是否签订实习基地": "是" if r["base"] else "否", "是否达成招聘活动": "是" if r["event"] else "否",
            "备注": "补录" if r["planted"] == "duplicate_visit" else None,
            "落实率低于当地平均": "是" if BELOW_LOCAL_AVERAGE else "否",
        })
    return recs


def _met(dates: list) -> str | None:
    dates = sorted(dates)
    return dates[TARGET - 1].isoformat() if len(dates) >= TARGET else None


def _visit_facts(rows) -> dict:
    """Progress facts from the generator's own records (the counted rows)."""
    counted = [r for r in rows if r["planted"] not in {"duplicate_visit", "outside_period"}]

    def firsts(rs):
        out: dict = {}
        for r in sorted(rs, key=lambda r: r["date"]):
            out.setdefault(r["eid"], r["date"])
        return out

    leaders = []
    for name, role, principal, _n in LEADERS:
        mine = [r for r in counted if r["leader"] == name]
        f = firsts(mine)
        leaders.append({"leader": name, "role": role, "principal": principal, "visits": len(mine),
                        "employers": len(f), "met_date_each": _met(list(f.values())) if principal else None})
    principal = firsts([r for r in counted if any(r["leader"] == n for n, _r, p, _ in LEADERS if p)])
    new = firsts([r for r in counted if r["new_row"]])
    colleges: dict = {}
    for eid, c in {(r["eid"], r["college"] or "未注明学院") for r in counted}:
        colleges[c] = colleges.get(c, 0) + 1
    return {
        "leaders": leaders,
        "progress": {"university": SCHOOL, "principal_employers": len(principal),
                   "visit_met_date": _met(list(principal.values())), "new_target_applies": BELOW_LOCAL_AVERAGE,
                   "new_employers": len(new), "new_met_date": _met(list(new.values())),
                   "employers": len({r["eid"] for r in counted}),
                   "positions": int(sum(r["positions"] for r in counted)),
                   "internship_bases": len({r["eid"] for r in counted if r["base"]})},
        "short_leaders_each": [f["leader"] for f in leaders if f["principal"] and f["met_date_each"] is None],
        "college_employers": dict(sorted(colleges.items())),
    }


# --------------------------------------------------------------------------------------------
# the demand ledger, against the school's own graduates
# --------------------------------------------------------------------------------------------
def _supply(out: Path, roster) -> dict:
    """Graduates per major of the school's roster (the file the report counts graduates from)."""
    import pandas as pd

    if roster is None and (out / LEDGER_GRADUATES).is_file():
        roster = out / LEDGER_GRADUATES
    if roster is None:
        from ._api import DEFAULT_SEED, generate_roster

        roster = generate_roster(DEFAULT_SEED, YEAR)
    if not isinstance(roster, pd.DataFrame):
        roster = pd.read_excel(roster, engine="calamine", dtype=str)
    counts = roster["专业"].astype(str).str.strip().value_counts()
    return {m: int(counts.get(m, 0)) for m in P.MAJOR_LIST if counts.get(m, 0)}


def _demand_row(rng, pos, majors, headcount, employer, d):
    shown = [str(rng.choice(ALIASES[m])) if m in ALIASES and rng.random() < 0.4 else m for m in majors]
    lo = int(rng.choice([4000, 5000, 6000, 7000, 8000]))
    return {"单位名称": employer, "岗位名称": pos, "需求专业": ("、" if rng.random() < 0.7 else "，").join(shown),
            "学历要求": str(rng.choice(["本科", "本科及以上", "大专及以上", "硕士"], p=[0.55, 0.25, 0.15, 0.05])),
            "需求人数": headcount, "发布日期": d,
            "薪资范围": f"{lo}-{lo + int(rng.choice([1000, 2000, 3000]))}元/月", "_majors": list(majors), "_planted": None}


def _targeted_demand(rng, supply: dict) -> list:
    """(position, majors, headcount) rows until every major's demand reaches ratio × supply.

    The major furthest below its target picks a position; the position's other majors join only
    while they are below theirs (the school's) or at random (majors it does not have), so no major
    passes its target by more than one row's share.
    """
    target = {m: supply[m] * RATIO[m] for m in supply}
    got = dict.fromkeys(supply, 0.0)
    out = []
    while True:
        need = {m: target[m] - got[m] for m in supply if target[m] - got[m] > 0.5}
        if not need:
            return out
        m = max(need, key=lambda k: (need[k] / target[k], k))
        cands = [p for p in POSITIONS if m in p[1]]
        w = np.array([p[2] for p in cands], dtype=float)
        pos, majors, _w = cands[int(rng.choice(len(cands), p=w / w.sum()))]
        h = int(rng.integers(1, 16))
        chosen = [m]
        for other in majors:
            if other == m:
                continue
            if other in NOT_OFFERED:
                if rng.random() < 0.5:
                    chosen.append(other)
            elif other in got and target[other] - got[other] >= h / (len(chosen) + 1):
                chosen.append(other)
        chosen = [x for x in majors if x in chosen]
        for x in chosen:
            if x in got:
                got[x] += h / len(chosen)
        out.append((pos, chosen, h))


def _build_demand(rng, supply, pool, visited_ids) -> list:
    by_id = {e["id"]: e for e in pool}
    plan = _targeted_demand(rng, supply)
    plan += [(pos, majors, int(rng.integers(1, 16))) for pos, majors in EXTRA_POSITIONS
             for _ in range({"行政专员": 14, "管理培训生": 6, "文员": 4}[pos])]
    plan = [plan[i] for i in rng.permutation(len(plan))]
    rows = []
    for pos, majors, h in plan:
        eid = int(rng.choice(visited_ids)) if rng.random() < 0.8 else int(rng.integers(len(pool)))
        e = by_id[eid]
        name = e["name"] if rng.random() < 0.85 else str(rng.choice(_variants(e)))
        d = START + dt.timedelta(days=int(rng.integers(0, (END - START).days + 1)))
        rows.append(_demand_row(rng, pos, majors, h, name, d) | {"工作地区": e["region"]})
    planted = [(40, "negative_headcount", -3, ["会计学"]), (77, "not_a_number", "若干", ["软件工程"]),
               (121, "no_majors", 6, [])]
    for at, kind, h, majors in planted:
        e = by_id[int(visited_ids[at])]
        row = _demand_row(rng, "储备干部" if not majors else POSITIONS[0][0], majors, h, e["name"], START
                          + dt.timedelta(days=at)) | {"工作地区": e["region"], "_planted": kind}
        if not majors:
            row["需求专业"] = None
        rows.insert(at, row)
    for i, r in enumerate(rows):
        r["_row"] = i + 2
    return rows


def _demand_facts(rows, supply) -> dict:
    by_major: dict = {}
    for r in rows:
        if r["_planted"] in ("negative_headcount", "not_a_number"):
            continue
        if not r["_majors"]:
            by_major["未注明专业"] = by_major.get("未注明专业", 0.0) + r["需求人数"]
            continue
        for m in r["_majors"]:
            key = "不限专业" if m == "不限" else m
            by_major[key] = by_major.get(key, 0.0) + r["需求人数"] / len(r["_majors"])
    sd = {}
    for m, s in supply.items():
        dv = by_major.get(m, 0.0)
        sd[m] = {"demand": round(dv, 2), "supply": s, "ratio": round(dv / s, 2), "reading": _reading(dv / s)}
        assert sd[m]["reading"] == _reading(RATIO[m]), (m, sd[m], RATIO[m])  # planted as declared
    return {
        "n_demand_rows": len(rows),
        "demand_total_counted": int(sum(r["需求人数"] for r in rows
                                        if r["_planted"] not in ("negative_headcount", "not_a_number"))),
        "supply_demand": sd,
        "not_offered": {m: round(by_major[m], 2) for m in NOT_OFFERED if m in by_major},
        "unmatched_majors": NOT_MAJORS,
        "unrestricted_headcount": round(by_major.get("不限专业", 0.0), 2),
        "unspecified_headcount": round(by_major.get("未注明专业", 0.0), 2),
        **{k: {"row": next(r["_row"] for r in rows if r["_planted"] == k)}
           for k in ("negative_headcount", "not_a_number", "no_majors")},
    }


def make_ledger_sample(out_dir="data", *, seed: int = YEAR, roster=None) -> dict:
    """Write the sample school's ledgers for 2025 and their planted facts under ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path, default "data"
        The data folder; files go to ``raw/`` and ``truth/`` inside it.
    seed : int, default 2025
    roster : str, Path or DataFrame, optional
        The school's roster (a 专业 column, one row per graduate): the supply each major's
        demand is planted against.  Default: ``raw/roster_2025.xlsx`` in ``out_dir`` when it is
        there, else the roster :func:`survey_analysis.datasets.make_sample` writes (same seed).

    Returns
    -------
    dict
        ``{"visits": Path, "demand": Path, "facts": Path}``.

    Examples
    --------
    >>> import tempfile
    >>> paths = make_ledger_sample(tempfile.mkdtemp())
    >>> sorted(paths)
    ['demand', 'facts', 'visits']
    """
    out = Path(out_dir)
    supply = _supply(out, roster)
    rng = _rng(seed, 1)
    pool = _employers(rng)
    by_id = {e["id"]: e for e in pool}
    rows = _build_visits(rng, pool)
    written = _write_names(rng, rows, by_id)
    rows, planted = _plant_visit_problems(rows, pool)
    visits_path = out / LEDGER_FILES["visits"]
    _write_xlsx(visits_path, f"{SCHOOL} {YEAR}年书记校长访企拓岗促就业专项行动走访台账", VISIT_HEADERS,
                _visit_records(_rng(seed, 2), rows))
    visited_ids = sorted({r["eid"] for r in rows if r["planted"] is None})
    demand = _build_demand(_rng(seed, 3), supply, pool, visited_ids)
    demand_path = out / LEDGER_FILES["demand"]
    _write_xlsx(demand_path, None, ["单位名称", "岗位名称", "需求专业", "学历要求", "需求人数", "工作地区", "薪资范围",
                                    "发布日期"], demand)
    dup, src = planted["duplicate"]
    facts = {
        "seed": seed, "school": SCHOOL, "year": YEAR, "period": [START.isoformat(), END.isoformat()],
        "target_visits": TARGET, "target_new": TARGET, "count_by": "employers", "graduates_file": LEDGER_GRADUATES,
        **_visit_facts(rows),
        "duplicate_visit": {"row": dup["row"], "original_row": src["row"], "leader": dup["leader"],
                            "employer": dup["employer"]},
        "outside_period": [{"row": r["row"], "date": r["date"].isoformat(), "leader": r["leader"]}
                           for r in planted["outside"]],
        "role_missing": {"row": planted["no_role"]["row"], "leader": planted["no_role"]["leader"],
                         "role": planted["no_role"]["role"]},
        "employer_written_three_ways": [{"employer": by_id[e]["name"], "variants": v} for e, v in written.items()],
        "n_visit_rows": len(rows),
        **_demand_facts(demand, supply),
    }
    facts_path = out / LEDGER_FILES["facts"]
    with atomic_path(facts_path) as tmp:
        tmp.write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {"visits": visits_path, "demand": demand_path, "facts": facts_path}


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(make_ledger_sample(sys.argv[1] if len(sys.argv) > 1 else "data"))
