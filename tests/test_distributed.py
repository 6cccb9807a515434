"""survey_analysis.distributed on a local Dask cluster (2 worker processes) vs pandas."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from survey_analysis import distributed as sd  # noqa: E402
from survey_analysis.errors import ConfigError  # noqa: E402

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
    return pd.DataFrame({
        "respondent_id": [f"r{i:04d}" for i in range(n)],
        "major": rng.choice(["软件工程", "英语", "会计学", "自动化"], n),
        "sex": rng.choice(["男", "女"], n),
        "destination": pd.Series(rng.choice(PLACED + ["未就业（正在求职）", None], n), dtype=object),
        "income": np.where(rng.random(n) < 0.2, np.nan, rng.normal(6000, 1500, n).round()),
        "school_satisfaction": np.where(rng.random(n) < 0.1, np.nan, rng.integers(1, 6, n).astype(float)),
        "comment": pd.Series(comments, dtype=object),
    })


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


def test_group_shares_combined_counts_match_pandas_and_wilson(client, frame):
    from statsmodels.stats.proportion import proportion_confint

    ddf = dd.from_pandas(frame, npartitions=5)
    got = sd.group_shares(ddf, "major", "destination", success=PLACED, total=True)
    want = sd.group_shares(frame, "major", "destination", success=PLACED, total=True)
    pd.testing.assert_frame_equal(got, want)
    for _, r in got.iterrows():
        sub = frame if r["major"] == "全体" else frame[frame["major"] == r["major"]]
        answered = sub["destination"].notna()
        k = int(sub["destination"].isin(PLACED).sum())
        assert (r["n"], r["k"]) == (int(answered.sum()), k)
        lo, hi = proportion_confint(k, int(answered.sum()), alpha=0.05, method="wilson")
        assert r["ci_low"] == pytest.approx(lo, abs=1e-12)
        assert r["ci_high"] == pytest.approx(hi, abs=1e-12)


def test_group_means_and_counts_match_pandas(client, frame):
    ddf = dd.from_pandas(frame, npartitions=4)
    got = sd.group_means(ddf, ["major", "sex"], ["income", "school_satisfaction"])
    ref = frame.groupby(["major", "sex"])[["income", "school_satisfaction"]].agg(["count", "mean", "std"])
    assert len(got) == 2 * len(ref)
    for _, r in got.iterrows():
        n, mean, sd_ = ref.loc[(r["major"], r["sex"]), r["column"]]
        assert r["n"] == n
        assert r["mean"] == pytest.approx(mean, rel=1e-12)
        assert r["sd"] == pytest.approx(sd_, rel=1e-9)
    counts = sd.group_counts(ddf, "major", "destination")
    ref_c = frame.groupby("major")["destination"].value_counts()
    assert counts.set_index(["major", "destination"])["n"].to_dict() == ref_c.to_dict()


def test_missing_column_and_empty_success_raise(frame):
    with pytest.raises(ConfigError, match="数据中没有列「专业」"):
        sd.group_shares(frame, "专业", "destination", success=PLACED)
    with pytest.raises(ConfigError, match="success 不能为空"):
        sd.group_shares(frame, "major", "destination", success=[])
