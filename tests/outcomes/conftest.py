"""Small hand-built graduate frames for the outcome tests (canonical cleaned columns)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

W, E, F, S, A = "在国内工作", "自主创业", "自由职业", "在国内求学", "出国/出境"
U1, U2, U3 = "未就业（正在求职）", "未就业（准备升学或考试）", "暂不就业"


def grads() -> pd.DataFrame:
    """19 graduates: 会计学 10 (经管), 英语 6 (人文), 新闻学 3 (人文, below min_cell 5)."""
    rows = [
        # major, college, sex, destination, income, relevance, job_sat__overall, job_changes, reasons, recommend
        ("会计学", "经济管理学院", "女", W, 5000, 5, 5, "0次", None, "愿意"),
        ("会计学", "经济管理学院", "女", W, 6000, 4, 4, "1次", "薪资福利偏低", "愿意"),
        ("会计学", "经济管理学院", "男", W, 7000, 3, 3, "2次", "薪资福利偏低┋个人发展空间不够", "不确定"),
        ("会计学", "经济管理学院", "女", W, 0, 2, np.nan, "0次", None, "愿意"),            # income 0
        ("会计学", "经济管理学院", "男", E, 9000, np.nan, 5, "3次及以上", "想改变职业或行业", "不愿意"),
        ("会计学", "经济管理学院", "女", F, 4000, 1, 2, "0次", None, "愿意"),
        ("会计学", "经济管理学院", "女", S, np.nan, np.nan, np.nan, None, None, "愿意"),
        ("会计学", "经济管理学院", "男", A, np.nan, np.nan, np.nan, None, None, "不确定"),
        ("会计学", "经济管理学院", "女", U1, np.nan, np.nan, np.nan, None, None, "不愿意"),
        ("会计学", "经济管理学院", "男", U2, np.nan, np.nan, np.nan, None, None, None),
        ("英语", "人文与外国语学院", "女", W, 10_000_000, 4, 4, "1次", "薪资福利偏低", "愿意"),  # implausible
        ("英语", "人文与外国语学院", "女", W, 4500, 5, 3, "0次", None, "愿意"),
        ("英语", "人文与外国语学院", "男", U1, np.nan, np.nan, np.nan, None, None, "不确定"),
        ("英语", "人文与外国语学院", "女", U3, np.nan, np.nan, np.nan, None, None, "愿意"),
        ("英语", "人文与外国语学院", "女", "待业中（其他）", np.nan, np.nan, np.nan, None, None, "愿意"),  # unknown
        ("英语", "人文与外国语学院", "男", S, np.nan, np.nan, np.nan, None, None, "不确定"),
        ("新闻学", "人文与外国语学院", "女", W, 5500, 3, 4, "0次", None, "愿意"),
        ("新闻学", "人文与外国语学院", "男", U1, np.nan, np.nan, np.nan, None, None, "不愿意"),
        ("新闻学", "人文与外国语学院", "女", W, 5200, 4, 2, "1次", "其他", "愿意"),
    ]
    df = pd.DataFrame(rows, columns=["major", "college", "sex", "destination", "income", "relevance",
                                     "job_sat__overall", "job_changes", "turnover_reasons", "recommend"])
    n = len(df)
    df.insert(0, "respondent_id", [f"p{i:03d}" for i in range(n)])
    df.insert(1, "source_row", np.arange(2, n + 2))
    df["cohort"] = 2024.0
    df["income"] = df["income"].astype(float)
    for c in ("relevance", "job_sat__overall"):
        df[c] = df[c].astype(float)
    in_work = df["destination"].isin([W, E, F])
    df["employer_type"] = pd.Series(np.where(in_work, ["国有企业", "民营企业/个体"] * 9 + ["国有企业"], None),
                                    dtype="string")
    df["industry"] = pd.Series(np.where(in_work, "金融业", None), dtype="string")
    df["region"] = pd.Series(np.where(in_work, "本省省会城市", None), dtype="string")
    for c in ("major", "college", "sex", "destination", "job_changes", "turnover_reasons", "recommend"):
        df[c] = df[c].astype("string")
    return df


@pytest.fixture
def df() -> pd.DataFrame:
    return grads()


@pytest.fixture
def make_grads():
    """The builder itself, for tests that need several fresh copies."""
    return grads
