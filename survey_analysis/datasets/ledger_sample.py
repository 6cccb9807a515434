"""Seeded sample of the special-action ledgers, with planted facts.

``make_ledger_sample(out_dir)`` writes, under ``out_dir`` (the project's ``data`` folder):

* ``raw/ledger_visits_2022.xlsx`` -- the visit ledger (走访台账) of three universities,
  2022-03 … 2022-08, a title row above the header, dates written as Excel dates, as text in
  several forms and as serial numbers, employer names written in several ways;
* ``raw/ledger_demand_2022.xlsx`` -- the employer demand ledger (用人单位需求台账);
* ``raw/ledger_graduates_2022.csv`` -- graduates per university and major (the supply side);
* ``truth/ledger_facts.json`` -- the planted facts, computed here from the generator's own
  records (not by the analysis code), for the tests.

Planted: a leader who falls short of 100 employers; a university that meets the 100
new-employer target late (in August); a duplicate visit; visits dated outside the period; a
row with no 职务; a negative 需求人数 and a 需求人数 that is not a number; employers written
three ways; majors written by alias and majors not in the catalogue.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np

from .._atomic import atomic_path

__all__ = ["make_ledger_sample", "LEDGER_FILES"]

LEDGER_FILES = {
    "visits": "raw/ledger_visits_2022.xlsx",
    "demand": "raw/ledger_demand_2022.xlsx",
    "graduates": "raw/ledger_graduates_2022.csv",
    "facts": "truth/ledger_facts.json",
}

START, END = dt.date(2022, 3, 1), dt.date(2022, 8, 31)
TARGET = 100

# university, applies the new-employer target, new-employer pattern, leaders (name, role, employers)
UNIVERSITIES = [
    ("江南理工学院", True, "early", [("张建国", "党委书记", 118), ("李明", "校长", 112)]),
    ("滨江职业技术学院", True, "august", [("王海", "党委书记", 78), ("陈静", "院长", 106)]),
    ("东湖师范学院", False, "few", [("刘芳", "党委书记", 104), ("周强", "校长", 109),
                                 ("赵磊", "副校长", 36)]),
]

CITIES = [("南京", "江苏省南京市"), ("苏州", "江苏省苏州市"), ("无锡", "江苏省无锡市"),
          ("常州", "江苏省常州市"), ("杭州", "浙江省杭州市"), ("上海", "上海市"),
          ("合肥", "安徽省合肥市"), ("宁波", "浙江省宁波市")]
BRANDS = list("恒信华泰博远瑞丰天成金达宏图润安鼎盛志诚嘉禾睿思明德卓越汇通")
BUSINESS = [("智能科技", "信息传输、软件和信息技术服务业"), ("软件技术", "信息传输、软件和信息技术服务业"),
            ("电子", "制造业"), ("机械", "制造业"), ("电气", "制造业"), ("新材料", "制造业"),
            ("建设工程", "建筑业"), ("物流", "交通运输、仓储和邮政业"), ("商贸", "批发和零售业"),
            ("文化传媒", "文化、体育和娱乐业"), ("教育咨询", "教育"), ("医药", "制造业"),
            ("环保科技", "水利、环境和公共设施管理业"), ("数据服务", "信息传输、软件和信息技术服务业")]
TYPES = [("民营企业/个体", 0.62), ("国有企业", 0.2), ("三资企业", 0.1), ("其他事业单位", 0.05),
         ("科研设计单位", 0.03)]

# position, majors (canonical names; 不限 and names outside the catalogue allowed), weight
POSITIONS = [
    ("Java开发工程师", ["计算机科学与技术", "软件工程"], 5),
    ("数据分析师", ["数据科学与大数据技术", "统计学", "计算机科学与技术"], 3),
    ("算法工程师", ["计算机科学与技术", "数据科学与大数据技术"], 3),
    ("测试工程师", ["软件工程", "计算机科学与技术"], 3),
    ("机械设计工程师", ["机械设计制造及其自动化"], 3),
    ("电气工程师", ["电气工程及其自动化", "自动化"], 3),
    ("PLC工程师", ["自动化", "电气工程及其自动化"], 2),
    ("会计", ["会计学", "财务管理"], 3),
    ("客户经理", ["金融学", "市场营销"], 2),
    ("电商运营", ["电子商务", "市场营销"], 2),
    ("外贸业务员", ["英语", "国际经济与贸易"], 2),
    ("新媒体编辑", ["新闻学", "汉语言文学"], 1),
    ("行政专员", ["不限"], 2),
    ("智能制造工程师", ["智能制造工程", "机械设计制造及其自动化"], 1),
    ("机器人调试工程师", ["机器人工程", "自动化"], 1),
]
ALIASES = {"计算机科学与技术": ["计算机", "计算机类"], "数据科学与大数据技术": ["大数据"],
           "电气工程及其自动化": ["电气"], "会计学": ["会计"], "软件工程": ["软件"]}
NOT_IN_CATALOGUE = ["智能制造工程", "机器人工程"]
# supply = demand × factor (planted readings); majors not listed get a factor in [0.85, 1.15]
SUPPLY_FACTOR = {"计算机科学与技术": 0.4, "汉语言文学": 4.0, "英语": 2.5, "数据科学与大数据技术": 0.6}
ROSTER_EXTRA = {"新闻学": 80}  # majors with graduates (the sample school's) and demand as generated


def _rng(seed, *keys):
    return np.random.default_rng(np.random.SeedSequence([int(seed), *keys]))


def _employers(rng, n=420):
    out, seen = [], set()
    while len(out) < n:
        city, region = CITIES[rng.integers(len(CITIES))]
        brand = "".join(rng.choice(BRANDS, 2, replace=False))
        biz, industry = BUSINESS[rng.integers(len(BUSINESS))]
        key = city + brand + biz
        if key in seen:
            continue
        seen.add(key)
        group = rng.random() < 0.06
        name = f"{city}{brand}{biz}{'集团' if group else ''}有限公司"
        etype = TYPES[int(rng.choice(len(TYPES), p=[w for _, w in TYPES]))][0]
        out.append({"id": len(out), "name": name, "stem": f"{city}{brand}{biz}", "group": group,
                    "city": city, "region": region, "industry": industry, "type": etype})
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
    days = (END - START).days + 1
    offs = np.sort(rng.integers(0, days, n))
    return [START + dt.timedelta(days=int(o)) for o in offs]


def _build_visits(rng, pool):
    rows = []
    by_id = {e["id"]: e for e in pool}
    for ui, (uni, applies, pattern, leaders) in enumerate(UNIVERSITIES):
        sub = rng.choice(len(pool), 260, replace=False)
        for name, role, n_emp in leaders:
            emp = list(rng.choice(sub, n_emp, replace=False))
            repeats = list(rng.choice(emp, max(1, n_emp // 10), replace=False))
            seq = emp + repeats
            dates = _dates(rng, len(seq))
            # first visits take the earlier dates of each repeated employer
            order = list(rng.permutation(len(emp)))
            firsts = [emp[i] for i in order]
            seq_ids = list(firsts)
            for r in repeats:  # a repeat goes after the first visit
                pos = seq_ids.index(r) + 1 + int(rng.integers(0, max(1, len(seq_ids) - seq_ids.index(r))))
                seq_ids.insert(min(pos, len(seq_ids)), r)
            for d, eid in zip(dates, seq_ids):
                rows.append({"university": uni, "leader": name, "role": role, "date": d,
                             "eid": int(eid), "positions": int(rng.choice([0, 0, 1, 2, 3, 5, 8, 10, 15, 20])),
                             "base": bool(rng.random() < 0.18), "event": bool(rng.random() < 0.25)})
    # new employers per university
    for uni, applies, pattern, leaders in UNIVERSITIES:
        urows = sorted((r for r in rows if r["university"] == uni), key=lambda r: (r["date"], r["leader"]))
        first = {}
        for r in urows:
            first.setdefault(r["eid"], r)
        order = list(first)  # employers by first visit
        if pattern == "early":
            new = set(order[:112]) | set(rng.choice(order[112:], 8, replace=False).tolist())
        elif pattern == "august":
            before = [e for e in order if first[e]["date"] < dt.date(2022, 8, 1)]
            during = [e for e in order if first[e]["date"] >= dt.date(2022, 8, 1)]
            assert len(before) >= 93 and len(during) >= 14, (len(before), len(during))
            new = set(rng.choice(before, 93, replace=False).tolist()) | set(during[:14])
        else:
            new = set(rng.choice(order, 40, replace=False).tolist())
        for e, r in first.items():
            r["new_row"] = e in new
    for r in rows:
        r.setdefault("new_row", False)
        e = by_id[r["eid"]]
        r.update(employer=e["name"], type=e["type"], industry=e["industry"], region=e["region"],
                 planted=None)
    return rows


def _write_xlsx(path, title, headers, records, date_col=None):
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False})
        wb.set_properties({"created": dt.datetime(2022, 9, 1)})  # same bytes on every run
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


def make_ledger_sample(out_dir="data", *, seed: int = 2022) -> dict:
    """Write the sample ledgers and their planted facts under ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path, default "data"
        The data folder; files go to ``raw/`` and ``truth/`` inside it.
    seed : int, default 2022

    Returns
    -------
    dict
        ``{"visits": Path, "demand": Path, "graduates": Path, "facts": Path}``.

    Examples
    --------
    >>> import tempfile
    >>> paths = make_ledger_sample(tempfile.mkdtemp())
    >>> sorted(paths)
    ['demand', 'facts', 'graduates', 'visits']
    """
    out = Path(out_dir)
    rng = _rng(seed, 1)
    pool = _employers(rng)
    by_id = {e["id"]: e for e in pool}
    rows = _build_visits(rng, pool)

    # the same employers written three ways (pick employers visited at least three times)
    counts = {}
    for r in rows:
        counts[r["eid"]] = counts.get(r["eid"], 0) + 1
    multi = sorted(e for e, c in counts.items() if c >= 3)
    three_ways = [int(x) for x in rng.choice(multi, 4, replace=False)]
    written = {}
    for eid in three_ways:
        e = by_id[eid]
        vs = [e["name"]] + [str(x) for x in rng.choice(_variants(e), 2, replace=False)]
        written[eid] = vs
    k_by = {}
    for r in rows:
        eid = r["eid"]
        if eid in written:
            r["employer"] = written[eid][k_by.get(eid, 0) % 3]
            k_by[eid] = k_by.get(eid, 0) + 1
        elif rng.random() < 0.12:
            r["employer"] = str(rng.choice(_variants(by_id[eid])))

    # planted problems -------------------------------------------------------------------
    rows.sort(key=lambda r: (r["date"], r["university"], r["leader"]))
    dup_src = next(r for r in rows if r["leader"] == "李明" and r["date"] > dt.date(2022, 4, 1))
    dup = dict(dup_src, planted="duplicate_visit", new_row=False)
    dup["employer"] = dup_src["employer"].replace("有限公司", " 有限公司", 1)
    rows.insert(rows.index(dup_src) + 1, dup)
    visited = {r["eid"] for r in rows if r["leader"] == "陈静"}
    unseen = [e["id"] for e in pool if e["id"] not in visited]
    outside = []
    for leader, uni, role, d in (("陈静", "滨江职业技术学院", "院长", dt.date(2022, 9, 6)),
                                 ("张建国", "江南理工学院", "党委书记", dt.date(2022, 2, 25))):
        e = by_id[unseen.pop()]
        rec = {"university": uni, "leader": leader, "role": role, "date": d, "eid": e["id"],
               "positions": 12, "base": True, "event": True, "new_row": True,
               "employer": e["name"], "type": e["type"], "industry": e["industry"],
               "region": e["region"], "planted": "outside_period"}
        outside.append(rec)
    rows = [outside[1]] + rows + [outside[0]]
    no_role = next(r for r in rows if r["leader"] == "周强" and r["date"] > dt.date(2022, 5, 1))
    no_role["planted"] = "role_missing"

    headers = ["走访日期", "高校", "走访人", "职务", "单位名称", "单位性质", "行业", "地区",
               "是否新拓展单位", "提供岗位数", "是否签订实习基地", "是否达成招聘活动", "备注",
               "落实率低于当地平均"]
    applies = {u: a for u, a, _p, _l in UNIVERSITIES}
    recs = []
    drng = _rng(seed, 2)
    for i, r in enumerate(rows):
        r["row"] = i + 3  # title row 1, header row 2
        recs.append({
            "走访日期": _date_cell(drng, r["date"]), "高校": r["university"], "走访人": r["leader"],
            "职务": None if r["planted"] == "role_missing" else r["role"],
            "单位名称": r["employer"], "单位性质": r["type"], "行业": r["industry"],
            "地区": r["region"], "是否新拓展单位": "是" if r["new_row"] else "否",
            "提供岗位数": r["positions"], "是否签订实习基地": "是" if r["base"] else "否",
            "是否达成招聘活动": "是" if r["event"] else "否",
            "备注": "补录" if r["planted"] == "duplicate_visit" else None,
            "落实率低于当地平均": "是" if applies[r["university"]] else "否",
        })
    visits_path = out / LEDGER_FILES["visits"]
    _write_xlsx(visits_path, "2022年高校书记校长访企拓岗促就业专项行动走访台账", headers, recs)

    # facts from the generator's own records -----------------------------------------------
    counted = [r for r in rows if r["planted"] not in {"duplicate_visit", "outside_period"}]
    leaders_facts = []
    for uni, _a, _p, leaders in UNIVERSITIES:
        for name, role, _n in leaders:
            mine = sorted((r for r in counted if r["leader"] == name), key=lambda r: r["date"])
            first = {}
            for r in mine:
                first.setdefault(r["eid"], r["date"])
            dates = sorted(first.values())
            leaders_facts.append({
                "university": uni, "leader": name, "role": role, "visits": len(mine),
                "employers": len(first), "target_applies": "副" not in role,
                "met_date": dates[TARGET - 1].isoformat() if len(dates) >= TARGET else None,
            })
    uni_facts = []
    for uni, app, _p, _l in UNIVERSITIES:
        mine = [r for r in counted if r["university"] == uni]
        new_first = {}
        for r in sorted(mine, key=lambda r: r["date"]):
            if r["new_row"]:
                new_first.setdefault(r["eid"], r["date"])
        nd = sorted(new_first.values())
        uni_facts.append({
            "university": uni, "new_target_applies": app, "new_employers": len(new_first),
            "new_met_date": nd[TARGET - 1].isoformat() if len(nd) >= TARGET else None,
            "positions": int(sum(r["positions"] for r in mine)),
            "internship_bases": len({r["eid"] for r in mine if r["base"]}),
            "employers": len({r["eid"] for r in mine}),
        })

    # demand ledger ---------------------------------------------------------------------
    dem_rng = _rng(seed, 3)
    visited_ids = sorted({r["eid"] for r in counted})
    weights = np.array([w for *_x, w in POSITIONS], dtype=float)
    demand_rows = []
    for _ in range(260):
        eid = int(dem_rng.choice(visited_ids)) if dem_rng.random() < 0.8 else int(dem_rng.integers(len(pool)))
        e = by_id[eid]
        pos, majors, _w = POSITIONS[int(dem_rng.choice(len(POSITIONS), p=weights / weights.sum()))]
        majors = list(majors)
        if len(majors) > 1 and dem_rng.random() < 0.3:
            majors = majors[: len(majors) - 1]
        shown = [str(dem_rng.choice(ALIASES[m])) if m in ALIASES and dem_rng.random() < 0.4 else m
                 for m in majors]
        sep = "、" if dem_rng.random() < 0.7 else "，"
        name = e["name"] if dem_rng.random() < 0.85 else str(dem_rng.choice(_variants(e)))
        d = START + dt.timedelta(days=int(dem_rng.integers(0, 184)))
        lo = int(dem_rng.choice([4000, 5000, 6000, 7000, 8000]))
        demand_rows.append({
            "单位名称": name, "岗位名称": pos, "需求专业": sep.join(shown),
            "学历要求": str(dem_rng.choice(["本科", "本科及以上", "大专及以上", "硕士"], p=[0.55, 0.25, 0.15, 0.05])),
            "需求人数": int(dem_rng.integers(1, 16)), "工作地区": e["region"],
            "薪资范围": f"{lo}-{lo + int(dem_rng.choice([1000, 2000, 3000]))}元/月", "发布日期": d,
            "_majors": majors, "_planted": None,
        })
    demand_rows[40]["需求人数"] = -3
    demand_rows[40]["_planted"] = "negative_headcount"
    demand_rows[77]["需求人数"] = "若干"
    demand_rows[77]["_planted"] = "not_a_number"
    for i, r in enumerate(demand_rows):
        r["_row"] = i + 2
    d_headers = ["单位名称", "岗位名称", "需求专业", "学历要求", "需求人数", "工作地区", "薪资范围", "发布日期"]
    demand_path = out / LEDGER_FILES["demand"]
    _write_xlsx(demand_path, None, d_headers, demand_rows)

    demand_by_major: dict[str, float] = {}
    for r in demand_rows:
        if r["_planted"]:
            continue
        share = r["需求人数"] / len(r["_majors"])
        for m in r["_majors"]:
            key = "不限专业" if m == "不限" else m
            demand_by_major[key] = demand_by_major.get(key, 0.0) + share

    # graduates roster (supply) -------------------------------------------------------------
    sup_rng = _rng(seed, 4)
    supply = {}
    for m, dval in demand_by_major.items():
        if m in NOT_IN_CATALOGUE or m == "不限专业":
            continue
        f = SUPPLY_FACTOR.get(m, float(sup_rng.uniform(0.85, 1.15)))
        supply[m] = max(1, int(round(dval * f)))
    supply.update({m: n for m, n in ROSTER_EXTRA.items() if m not in supply})
    roster_lines = ["高校,专业,毕业生人数"]
    unis = [u for u, *_ in UNIVERSITIES]
    for m, total in supply.items():
        parts = sup_rng.multinomial(total, [0.4, 0.35, 0.25])
        for u, n in zip(unis, parts):
            if n:
                shown = "计算机科学技术" if (m == "计算机科学与技术" and u == unis[1]) else m
                roster_lines.append(f"{u},{shown},{int(n)}")
    grad_path = out / LEDGER_FILES["graduates"]
    with atomic_path(grad_path) as tmp:
        tmp.write_text("\n".join(roster_lines) + "\n", encoding="utf-8-sig")

    def reading(ratio):
        return "供不应求" if ratio > 1.2 else ("供过于求" if ratio < 0.8 else "供需基本平衡")

    sd = {}
    for m in sorted(set(demand_by_major) | set(supply)):
        if m in NOT_IN_CATALOGUE or m == "不限专业":
            continue
        dv, sv = demand_by_major.get(m, 0.0), supply.get(m, 0)
        sd[m] = {"demand": round(dv, 2), "supply": sv,
                 "ratio": round(dv / sv, 2) if sv else None,
                 "reading": reading(dv / sv) if sv else None}

    short = [f for f in leaders_facts if f["target_applies"] and f["met_date"] is None]
    late = [f for f in uni_facts if f["new_target_applies"] and f["new_met_date"]
            and f["new_met_date"] >= "2022-08-01"]
    facts = {
        "seed": seed,
        "period": [START.isoformat(), END.isoformat()],
        "target_visits": TARGET,
        "target_new": TARGET,
        "count_by": "employers",
        "leaders": leaders_facts,
        "universities": uni_facts,
        "short_leaders": short,
        "late_universities": late,
        "duplicate_visit": {"row": dup["row"], "original_row": dup_src["row"],
                            "leader": dup["leader"], "employer": dup["employer"]},
        "outside_period": [{"row": r["row"], "date": r["date"].isoformat(), "leader": r["leader"]}
                           for r in outside],
        "role_missing": {"row": no_role["row"], "leader": no_role["leader"],
                         "role": no_role["role"]},
        "negative_headcount": {"row": demand_rows[40]["_row"], "value": -3},
        "not_a_number_headcount": {"row": demand_rows[77]["_row"], "value": "若干"},
        "employer_written_three_ways": [{"employer": by_id[e]["name"], "variants": written[e]}
                                        for e in three_ways],
        "n_visit_rows": len(rows),
        "n_demand_rows": len(demand_rows),
        "demand_total_counted": sum(r["需求人数"] for r in demand_rows if not r["_planted"]),
        "supply_demand": sd,
        "unmatched_majors": NOT_IN_CATALOGUE,
        "unrestricted_headcount": round(demand_by_major.get("不限专业", 0.0), 2),
    }
    facts_path = out / LEDGER_FILES["facts"]
    with atomic_path(facts_path) as tmp:
        tmp.write_text(json.dumps(facts, ensure_ascii=False, indent=2), encoding="utf-8")
    return {"visits": visits_path, "demand": demand_path, "graduates": grad_path,
            "facts": facts_path}


if __name__ == "__main__":  # pragma: no cover
    import sys

    print(make_ledger_sample(sys.argv[1] if len(sys.argv) > 1 else "data"))
