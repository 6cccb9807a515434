"""Tiny ledgers built by hand for the ledger tests."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

PERIOD = dict(period_start=dt.date(2022, 3, 1), period_end=dt.date(2022, 3, 10))

VISIT_HEADERS = ["走访日期", "高校", "走访人", "职务", "单位名称", "单位性质", "行业", "地区",
                 "是否新拓展单位", "提供岗位数", "是否签订实习基地", "是否达成招聘活动", "备注"]


def visit(date, uni, leader, role, employer, new="否", positions=1, base="否", event="否",
          industry="制造业", region="江苏省南京市", etype="民营企业/个体", notes=None):
    return [date, uni, leader, role, employer, etype, industry, region, new, positions, base,
            event, notes]


def visits_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=VISIT_HEADERS)


@pytest.fixture
def tiny_visits() -> pd.DataFrame:
    return make_tiny_visits()


@pytest.fixture(scope="module")
def tiny_res():
    """``analyze_ledger`` of the tiny ledger with targets 4 and 4, the 正职 of a school visiting
    together (the notice's 共拜访; shared: never modify it)."""
    from survey_analysis.ledger import analyze_ledger

    return analyze_ledger(make_tiny_visits(), target_visits=4, target_new=4, **PERIOD)


@pytest.fixture(scope="module")
def tiny_each():
    """The same with the visit target held by each 正职 (``visit_scope="each"``)."""
    from survey_analysis.ledger import analyze_ledger

    return analyze_ledger(make_tiny_visits(), target_visits=4, target_new=4, visit_scope="each", **PERIOD)


def make_tiny_visits() -> pd.DataFrame:
    """Period 2022-03-01..2022-03-10 (10 days); Excel rows 2.. in order.

    A 张三 (甲大学 校长): 恒信 03-01, 博远 03-02, 博远 again 03-02 written differently (row 4,
      a duplicate), 瑞丰 03-04, 恒信 again 03-05 (branch name), 天成 03-06 → 4 distinct
      employers, the 4th on 03-06.
    B 李四 (甲大学 党委书记): 金达 03-01, 恒信 03-03, 华泰 03-05 → 3.
    C 王五 (乙学院 院长): 宏图 03-02; 润安 2022-02-28 (row 12, outside the period);
      鼎盛 03-03 with no role and a negative 提供岗位数 (row 13) → 2.
    """
    rows = [
        visit("2022-03-01", "甲大学", "张三", "校长", "恒信科技有限公司", new="是", positions=5, base="是"),   # 2
        visit("2022-03-02", "甲大学", "张三", "校长", "博远电子有限公司", new="是", positions=3),             # 3
        visit("2022-03-02", "甲大学", "张三", "校长", "博远电子有限责任公司", new="是", positions=3),         # 4 dup
        visit("2022-03-04", "甲大学", "张三", "校长", "瑞丰机械股份有限公司", positions=2, event="是"),       # 5
        visit("2022-03-05", "甲大学", "张三", "校长", "恒信科技有限公司（南京分公司）", positions=0),          # 6
        visit("2022-03-06", "甲大学", "张三", "校长", "天成物流有限公司", new="是", positions=4),             # 7
        visit("2022-03-01", "甲大学", "李四", "党委书记", "金达商贸有限公司", new="是", positions=1),         # 8
        visit("2022-03-03", "甲大学", "李四", "党委书记", "恒信科技有限公司", positions=6, base="是"),        # 9
        visit("2022-03-05", "甲大学", "李四", "党委书记", "华泰软件有限公司", new="是", positions=2),         # 10
        visit("2022-03-02", "乙学院", "王五", "院长", "宏图建设有限公司", new="是", positions=2),             # 11
        visit("2022-02-28", "乙学院", "王五", "院长", "润安医药有限公司", new="是", positions=9),             # 12 outside
        visit("2022-03-03", "乙学院", "王五", None, "鼎盛电气有限公司", positions=-2),                       # 13 no role
    ]
    return visits_frame(rows)



class _Helpers:
    VISIT_HEADERS = VISIT_HEADERS
    PERIOD = PERIOD
    visit = staticmethod(visit)
    visits_frame = staticmethod(visits_frame)


@pytest.fixture
def lh():
    """Helpers (the suite runs with --import-mode=importlib, so conftest is not importable)."""
    return _Helpers
