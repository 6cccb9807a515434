"""survey_analysis.distributed on a local Dask cluster (2 worker processes) vs pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from survey_analysis import distributed as sd  # noqa: E402
from survey_analysis.design import Design  # noqa: E402
from survey_analysis.errors import AnalysisError, ConfigError  # noqa: E402
from survey_analysis.stats import (  # noqa: E402
    GroupIndex,
    group_means,
    group_shares,
    protect,
    weighted_mean,
    weighted_share,
)

PLACED = ["在国内工作", "自主创业", "在国内求学"]
NEW_WORD = "数字孪生建模"  # not in jieba's or the package's dictionary


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(5)
    n = 400
    base = ["希望加强学生的实践动手能力", "沟通表达有待提高", "Excel 用得不熟练", "团队合作意识强",
            "专业基础扎实，但创新能力不足", "无", f"希望多开{NEW_WORD}课程"]
    comments = [base[i] if i < len(base) else None for i in rng.integers(0, len(base) + 1, n)]
    df = pd.DataFrame({
        "respondent_id": [f"r{i:04d}" for i in range(n)],
        # 新闻学 has 3 rows (hidden) and 自动化 9 (its complement): the small-cell rule is exercised;
        # 法学's 6 rows never answer the destination (no respondents: neither hidden nor a complement)
        "major": rng.permutation(["软件工程"] * 154 + ["英语"] * 120 + ["会计学"] * 108 + ["自动化"] * 9
                                 + ["新闻学"] * 3 + ["法学"] * 6),
        "sex": rng.choice(["男", "女"], n),
        "destination": pd.Series(rng.choice(PLACED + ["未就业（正在求职）", None], n), dtype=object),
        "income": np.where(rng.random(n) < 0.2, np.nan, rng.normal(6000, 1500, n).round()),
        "school_satisfaction": np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 6, n).astype(float)),
        "comment": pd.Series(comments, dtype=object),
        "weight": rng.gamma(2.0, 1.0, n),
    })
    df.loc[df["major"] == "法学", "destination"] = None
    return df


def test_segment_on_workers_uses_user_dictionary(client, frame):
    from survey_analysis.text import Segmenter

    assert NEW_WORD not in Segmenter().cut(f"希望多开{NEW_WORD}课程")  # the word needs the dictionary
    seg = Segmenter(user_words=[NEW_WORD])
    ddf = dd.from_pandas(frame, npartitions=4)
    got = sd.segment(ddf, "comment", segmenter=seg).compute()
    want = sd.segment(frame, "comment", segmenter=seg)
    assert got.tolist() == want.tolist()
    assert got.index.tolist() == frame.index.tolist()
    i = frame.index[frame["comment"] == f"希望多开{NEW_WORD}课程"][0]
    assert NEW_WORD in got[i]
    # the tasks really ran in the worker processes
    assert len(client.scheduler_info()["workers"]) == 2


def test_extract_skills_dask_equals_pandas(client, frame):
    ddf = dd.from_pandas(frame, npartitions=3)
    got = sd.extract_skills(ddf, "comment").compute().reset_index(drop=True)
    want = sd.extract_skills(frame, "comment")
    pd.testing.assert_frame_equal(got.astype(object), want.astype(object), check_dtype=False)
    # a planted gap: "沟通表达有待提高" → communication gap for each such respondent
    ids = set(frame.loc[frame["comment"] == "沟通表达有待提高", "respondent_id"])
    comm = got[(got["competency_id"] == "communication") & (got["polarity"] == "gap")]
    assert ids <= set(comm["comment_id"])


KERNEL_DESIGN = Design(levels=("school", "major"))


def _kernel_majors(frame, indicator_or_values, weighted, kind):
    """The kernel's pandas result for school + major: a table keyed by group, with the hidden set."""
    ix = GroupIndex.build(frame, KERNEL_DESIGN)
    w = frame["weight"].to_numpy() if weighted else None
    est = (group_shares if kind == "share" else group_means)(ix, indicator_or_values, w, conf=0.95)
    t = ix.table.assign(n=est.n, n_eff=est.n_eff, low=est.low, high=est.high,
                        hidden=protect(ix, est.n, KERNEL_DESIGN.min_cell))
    if kind == "share":
        t = t.assign(share=est.share, count=est.count)
    else:
        t = t.assign(mean=est.mean, sd=est.sd)
    return t.set_index("group")


@pytest.mark.parametrize("weighted", [False, True])
def test_group_shares_on_dask_equal_the_kernel(client, frame, weighted):
    frame = frame.assign(major=frame["major"].where(frame.index % 97 != 0, None))  # a few without a major
    ddf = dd.from_pandas(frame, npartitions=5)
    kw = {"weight": "weight"} if weighted else {}
    got = sd.group_shares(ddf, "major", "destination", success=PLACED, total=True, **kw)
    pandas_path = sd.group_shares(frame, "major", "destination", success=PLACED, total=True, **kw)
    pd.testing.assert_frame_equal(got, pandas_path)
    assert got["major"].iloc[0] == "全校" and got.attrs["weighted"] is weighted
    ind = np.where(frame["destination"].isna(), np.nan, frame["destination"].isin(PLACED).astype(float))
    ref = _kernel_majors(frame, ind, weighted, "share")
    assert list(got["major"]) == list(ref.index)  # same groups, same order (largest first)
    assert got.set_index("major")["suppressed"].to_dict() == ref["hidden"].to_dict()
    assert ref.loc["新闻学", "hidden"] and ref.loc["自动化", "hidden"]  # primary and complement
    assert ref.loc["法学", "n"] == 0 and not ref.loc["法学", "hidden"]  # no respondents: nothing to hide
    for g, r in got.set_index("major").iterrows():
        k = ref.loc[g]
        if k["hidden"]:
            assert pd.isna(r["n"]) and r[["count", "share", "low", "high", "n_eff"]].isna().all()
            continue
        assert r["n"] == k["n"]
        np.testing.assert_allclose(r[["count", "share", "low", "high", "n_eff"]].to_numpy(dtype=float),
                                   k[["count", "share", "low", "high", "n_eff"]].to_numpy(dtype=float), rtol=1e-12)
    if not weighted:  # the kernel's Wilson is statsmodels' Wilson on the respondents
        from statsmodels.stats.proportion import proportion_confint

        r = got.set_index("major").loc["软件工程"]
        lo, hi = proportion_confint(int(r["count"]), int(r["n"]), alpha=0.05, method="wilson")
        assert (r["low"], r["high"]) == pytest.approx((lo, hi), abs=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_group_means_on_dask_equal_the_kernel(client, frame, weighted):
    ddf = dd.from_pandas(frame, npartitions=4)
    kw = {"weight": "weight"} if weighted else {}
    got = sd.group_means(ddf, "major", ["income", "school_satisfaction"], total=True, **kw)
    pd.testing.assert_frame_equal(got, sd.group_means(frame, "major", ["income", "school_satisfaction"],
                                                      total=True, **kw), rtol=1e-10)
    for col in ("income", "school_satisfaction"):
        ref = _kernel_majors(frame, frame[col].to_numpy(), weighted, "mean")
        mine = got[got["column"] == col].set_index("major")
        assert list(mine.index) == list(ref.index)
        assert mine["suppressed"].to_dict() == ref["hidden"].to_dict()
        for g, r in mine[~mine["suppressed"]].iterrows():
            assert r["n"] == ref.loc[g, "n"]
            np.testing.assert_allclose(r[["mean", "low", "high", "sd", "n_eff"]].to_numpy(dtype=float),
                                       ref.loc[g, ["mean", "low", "high", "sd", "n_eff"]].to_numpy(dtype=float),
                                       rtol=1e-9)


def test_group_means_two_keys_against_the_plain_definition(client, frame):
    """Several keys (no group index in the kernel): each cell equals weighted_mean of its rows,
    unweighted sd equals pandas' sample sd, and every margin is safe from subtraction."""
    ddf = dd.from_pandas(frame, npartitions=3)
    got = sd.group_means(ddf, ["major", "sex"], ["income"], weight="weight")
    unweighted = sd.group_means(ddf, ["major", "sex"], ["income"])
    std = frame.groupby(["major", "sex"])["income"].std()
    for (m, s), r in got.set_index(["major", "sex"]).iterrows():
        rows = frame[(frame["major"] == m) & (frame["sex"] == s)]
        if r["suppressed"]:
            assert pd.isna(r["n"]) and pd.isna(r["mean"])
            continue
        e = weighted_mean(rows["income"], rows["weight"])
        assert r["n"] == e.n
        np.testing.assert_allclose([r["mean"], r["low"], r["high"], r["sd"]], [e.mean, e.low, e.high, e.sd], rtol=1e-9)
        u = unweighted.set_index(["major", "sex"]).loc[(m, s)]
        assert u["sd"] == pytest.approx(std.loc[(m, s)], rel=1e-9)
    true_n = frame[frame["income"].notna()].groupby(["major", "sex"]).size().to_dict()
    assert got["suppressed"].any()
    _assert_margins_safe(got, ["major", "sex"], true_n)


def _assert_margins_safe(table, by, true_n, min_cell=5):
    """The small-cell rule on every margin, checked independently: within each set of cells
    adding up to a total (all cells; the cells sharing a value of one key), either none is
    hidden, or at least two are and together they have at least ``min_cell`` respondents."""
    t = table.reset_index(drop=True)
    n = t.set_index(by).index.map(true_n).to_numpy(dtype=float)
    hidden = t["suppressed"].to_numpy(dtype=bool)
    assert hidden[n < min_cell].all()
    sets = [np.arange(len(t))] + [np.flatnonzero((t[b] == v).to_numpy()) for b in by for v in t[b].unique()]
    for pos in sets:
        h = hidden[pos]
        assert h.sum() == 0 or (h.sum() >= 2 and n[pos][h].sum() >= min_cell) or h.all(), t.iloc[pos]


def test_group_counts_hide_small_groups(client, frame):
    ddf = dd.from_pandas(frame, npartitions=4)
    got = sd.group_counts(ddf, "major", "destination")
    pd.testing.assert_frame_equal(got, sd.group_counts(frame, "major", "destination"))
    ref = frame.groupby("major")["destination"].value_counts()
    base = frame.groupby("major")["destination"].count()
    hidden = set(got.loc[got["suppressed"], "major"])
    assert hidden == {"新闻学", "自动化"}
    for _, r in got[~got["suppressed"]].iterrows():
        assert r["hits"] == ref.loc[(r["major"], r["destination"])] == r["count"]
        assert r["n"] == base.loc[r["major"]]
    assert got.loc[got["suppressed"], ["n", "hits", "count"]].isna().all().all()
    w = sd.group_counts(frame, "major", "destination", weight="weight")
    shown = w[~w["suppressed"]]
    wsum = frame.groupby(["major", "destination"])["weight"].sum()
    for _, r in shown.iterrows():
        assert r["count"] == pytest.approx(wsum.loc[(r["major"], r["destination"])])


def test_design_supplies_the_defaults(frame):
    strict = sd.group_shares(frame, "major", "destination", success=PLACED, design=Design(min_cell=100))
    assert strict.attrs["min_cell"] == 100
    assert set(strict.loc[strict["suppressed"], "major"]) >= {"新闻学", "自动化"}
    loose = sd.group_shares(frame, "major", "destination", success=PLACED, design=Design(min_cell=100),
                            min_cell=1, conf=0.9)
    assert not loose["suppressed"].any() and loose.attrs["conf"] == 0.9
    r = loose.set_index("major").loc["新闻学"]
    assert r["n"] == 3
    e = weighted_share(np.where(frame.loc[frame["major"] == "新闻学", "destination"].isna(), np.nan,
                                frame.loc[frame["major"] == "新闻学", "destination"].isin(PLACED)), conf=0.9)
    assert (r["low"], r["high"]) == pytest.approx((e.low, e.high))


def test_missing_column_empty_success_bad_weights_raise(frame):
    with pytest.raises(ConfigError, match="数据中没有列「专业」"):
        sd.group_shares(frame, "专业", "destination", success=PLACED)
    with pytest.raises(ConfigError, match="success 不能为空"):
        sd.group_shares(frame, "major", "destination", success=[])
    with pytest.raises(ConfigError, match="数据中没有列「w」"):
        sd.group_means(frame, "major", "income", weight="w")
    bad = frame.assign(weight=frame["weight"].where(frame.index != 7, -1.0))
    with pytest.raises(AnalysisError, match="权重列「weight」中有 1 个缺失、负数或无穷大"):
        sd.group_shares(bad, "major", "destination", success=PLACED, weight="weight")
    with pytest.raises(ConfigError, match="没有这些设置：conf_level"):
        sd.group_counts(frame, "major", "destination", conf_level=0.9)
