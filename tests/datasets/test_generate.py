"""The generator: determinism, answers that follow the questionnaire, the public API."""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from survey_analysis.datasets import (
    generate_employers, generate_graduates, generate_roster, load_questionnaire, make_sample, sample_paths,
)
from survey_analysis.datasets.__main__ import main
from survey_analysis.errors import ConfigError, OutputError

from .conftest import DATA, EMPLOYED


@pytest.fixture(scope="module")
def grads():
    return generate_graduates(5, 300, 2025)


def test_same_seed_same_answers():
    a1, t1 = generate_employers(11, 60)
    a2, t2 = generate_employers(11, 60)
    pd.testing.assert_frame_equal(a1, a2)
    pd.testing.assert_frame_equal(t1, t2)
    a3, _ = generate_employers(12, 60)
    assert not a1["comment_skills"].equals(a3["comment_skills"])


def test_same_seed_same_graduates(grads):
    again, truth = generate_graduates(5, 300, 2025)
    pd.testing.assert_frame_equal(grads[0], again)
    pd.testing.assert_frame_equal(grads[1], truth)
    other, _ = generate_graduates(5, 300, 2024)
    assert not other["student_id"].equals(again["student_id"])


def test_employer_answers_follow_questionnaire():
    answers, truth = generate_employers(3, 200)
    qn = load_questionnaire("employer")
    # 200 genuine + 3 (1.5 %) duplicates + 3 empty rows
    assert len(answers) == 206
    assert answers["序号"].tolist() == list(range(1, 207))
    assert answers["提交答卷时间"].is_monotonic_increasing
    for q in qn["questions"]:
        if q["type"] == "single":
            vals = answers[q["field"]].dropna().str.replace(r"〖.*〗$", "", regex=True)
            assert set(vals) <= set(q["options"]), q["number"]
        if q["type"] == "matrix":
            for r in q["rows"]:
                vals = set(answers[q["field_prefix"] + r["code"]].dropna())
                assert vals <= set(q["scale_labels"]) | {"无法评价"}
    hired = answers.dropna(subset=["major"])
    assert all(m in h.split("┋") for m, h in zip(hired["major"], hired["majors_hired"]))
    assert set(truth["序号"]) <= set(answers["序号"])


def test_graduate_skip_logic_in_answers(grads):
    answers, _ = grads
    qn = load_questionnaire("graduate")
    employed_only = [k for q in qn["questions"] if q.get("applies_to") == "employed"
                     for k in ([q["field_prefix"] + r["code"] for r in q["rows"]] if q["type"] == "matrix"
                               else [q["field"]])]
    not_emp = answers["destination"].notna() & ~answers["destination"].isin(EMPLOYED)
    assert not_emp.sum() > 30
    assert answers.loc[not_emp, employed_only].isna().all().all()
    emp = answers["destination"].isin(EMPLOYED)
    assert answers.loc[emp, "relevance"].notna().all()
    unrelated = answers["relevance"].isin(["比较不相关", "很不相关"])
    assert answers.loc[emp & ~unrelated, "unrelated_reason"].isna().all()
    assert answers.loc[emp & unrelated, "unrelated_reason"].notna().all()
    changed = answers["job_changes"].isin(["1次", "2次", "3次及以上"])
    assert answers.loc[changed, "turnover_reasons"].notna().all()
    assert answers.loc[~changed, "turnover_reasons"].isna().all()
    imp = answers["improve"].dropna().str.split("┋")
    assert imp.map(len).between(1, 3).all()
    assert imp[imp.map(lambda x: "以上均不需改进" in x)].map(len).eq(1).all()


def test_graduates_are_roster_members():
    roster = generate_roster(9, 2025, 400)
    answers, _ = generate_graduates(9, 300, 2025, roster=roster)
    sid = answers["student_id"].dropna()
    assert set(sid) <= set(roster["学号"])
    got = roster.set_index("学号").loc[sid.tolist()]
    assert (got["姓名"].to_numpy() == answers.loc[sid.index, "name"].to_numpy()).all()
    assert (got["专业"].to_numpy() == answers.loc[sid.index, "major"].to_numpy()).all()
    assert roster["学号"].str.match(r"^2021\d{9}$").all()


def test_too_small_or_too_large_n():
    with pytest.raises(ConfigError, match="用人单位样本数（n_employers）必须是正整数"):
        generate_employers(1, 0)
    with pytest.raises(ValueError, match="毕业生样本数超过了名单人数"):
        generate_graduates(1, 500, 2025, roster=generate_roster(1, 2025, 100))
    with pytest.raises(ConfigError, match="毕业生样本数"):
        make_sample("unused", n_graduates=-5)
    assert main(["--out", "unused", "--employers", "0"]) == 2


def _digest(paths):
    return {k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}


def test_make_sample_is_byte_identical_for_a_seed(tmp_path, capsys):
    p1 = make_sample(tmp_path / "a", n_employers=30, n_graduates=60)
    p2 = make_sample(tmp_path / "b", n_employers=30, n_graduates=60)
    assert set(p1) == {"employer", "graduate_2025", "graduate_2024", "graduate_2023", "roster", "population", "programme",
                       "config",
                       "facts", "employer_comment_truth", "graduate_comment_truth", "cases"}
    assert _digest(p1) == _digest(p2)
    assert sample_paths(tmp_path / "a") == {k: v.resolve() for k, v in p1.items()}
    # the command line, with another seed: other answers
    assert main(["--out", str(tmp_path / "c"), "--employers", "30", "--graduates", "60", "--seed", "4"]) == 0
    assert "已生成样例数据（种子 4）" in capsys.readouterr().out
    p3 = sample_paths(tmp_path / "c")
    assert _digest(p3)["employer"] != _digest(p1)["employer"]
    assert _digest(p3)["graduate_2023"] != _digest(p1)["graduate_2023"]


def test_sample_paths_default_is_the_repo_data():
    p = sample_paths()
    assert p["employer"] == (DATA / "raw" / "employer_2025_wjx_text.xls").resolve()
    assert all(v.is_file() for v in p.values())


def test_sample_paths_reports_missing_files(tmp_path):
    with pytest.raises(OutputError, match="样例数据文件夹缺少文件"):
        sample_paths(tmp_path)


def test_sample_paths_without_checkout_uses_cache(tmp_path, monkeypatch):
    from survey_analysis.datasets import _api

    calls = []
    real = _api.make_sample

    def fake_make_sample(out_dir, **kw):  # the real one, smaller
        calls.append(out_dir)
        return real(out_dir, n_employers=20, n_graduates=40)

    monkeypatch.setattr(_api, "_repo_data_dir", lambda: None)
    monkeypatch.setenv("SURVEY_ANALYSIS_DATA", str(tmp_path / "cache"))
    monkeypatch.setattr(_api, "make_sample", fake_make_sample)
    first = sample_paths()
    assert calls == [tmp_path / "cache"]
    assert first["employer"] == (tmp_path / "cache" / "raw" / "employer_2025_wjx_text.xls").resolve()
    second = sample_paths()  # already there: not generated again
    assert calls == [tmp_path / "cache"] and second == first
