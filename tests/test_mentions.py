"""Quotes and mention shares (survey_analysis.mentions) against straightforward row loops."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from survey_analysis.design import Design
from survey_analysis.mentions import MAX_QUOTE, mention_shares, pick_quotes


def _clip(text, limit=MAX_QUOTE):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quotes_reference(f, competencies, k=3, group=None):
    """The original implementation: one .at look-up per skill mention."""
    sk, emp = f.employer_skills, f.employer.data
    m = sk[(sk["polarity"] == "gap") & (sk["competency_id"].isin(competencies))]
    if group is not None and group[0] in m.columns:
        m = m[m[group[0]] == group[1]]
    look = emp.drop_duplicates("respondent_id").set_index("respondent_id")
    out, seen = [], set()
    for comp in competencies:
        mm = m[m["competency_id"] == comp]
        cands = []
        for cid, field in zip(mm["comment_id"], mm.get("field", pd.Series("comment_skills", index=mm.index))):
            if cid in look.index and field in look.columns:
                v = look.at[cid, field]
                if isinstance(v, str) and len(v.strip()) >= 6 and v not in seen:
                    cands.append((abs(len(v) - 30), v, cid))
        if cands:
            cands.sort()
            _, v, cid = cands[0]
            seen.add(v)
            row = look.loc[cid]
            src = "用人单位" + "".join(f"，{row[c]}" for c in ("industry",) if c in look.columns and isinstance(row[c], str))
            out.append((_clip(v), src))
        if len(out) >= k:
            break
    return out


def _tricky_findings(seed: int, *, string_dtype: bool, with_field: bool):
    rng = np.random.default_rng(seed)
    n = 400
    texts = np.array(["   短   ", "太短了", "  前后空白的一条评论内容  ", "动手能力不足，需要加强实践" * 2, "沟通能力差",
                      "x" * 30, "y" * 30, "团队协作意识不强，缺乏沟通技巧，希望学校多组织团队项目", "\u3000\u3000全角空白\u3000\u3000",
                      "刚好三十个字" * 5, "a" * 29 + "b", "b" * 31], dtype=object)
    ids = [f"r{i:04d}" for i in range(n)]
    emp = pd.DataFrame({
        "respondent_id": ids + ids[:20],  # duplicated respondents: the first row counts
        "comment": list(rng.choice(texts, n)) + ["后来的重复行不应被使用的内容"] * 20,
        "comment_skills": list(rng.choice(texts, n)) + ["后来的重复行不应被使用的内容"] * 20,
        "industry": list(rng.choice(["制造业", "金融业", None], n)) + ["教育"] * 20,
        "major": list(rng.choice(["会计学", "软件工程"], n)) + ["会计学"] * 20,
    })
    emp.loc[rng.choice(n, 40, replace=False), "comment"] = None
    if string_dtype:
        emp = emp.astype({c: "string" for c in ("respondent_id", "comment", "comment_skills", "industry", "major")})
    else:
        emp["comment"] = emp["comment"].astype(object)
        emp.loc[3, "comment"] = 12345678  # not a string: never quoted
    m = 1500
    sk = pd.DataFrame({
        "comment_id": rng.choice(ids + ["missing1", "missing2"], m),
        "competency_id": rng.choice(["practice", "communication", "teamwork", "innovation"], m),
        "polarity": rng.choice(["gap", "gap", "strength"], m),
        "major": rng.choice(["会计学", "软件工程"], m),
    })
    if with_field:
        sk["field"] = rng.choice(["comment", "comment_skills", "not_a_column", None], m)
    f = SimpleNamespace(employer_skills=sk, employer=SimpleNamespace(data=emp))
    return f


def _picked(f, comps, k, group):
    got = pick_quotes(f.employer_skills, f.employer.data, comps, k=k, group=group)
    return [(q, s) for q, s in zip(got["quote"], got["source"])]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("string_dtype", [True, False])
@pytest.mark.parametrize("with_field", [True, False])
def test_quotes_equal_the_row_loop(seed, string_dtype, with_field):
    f = _tricky_findings(seed, string_dtype=string_dtype, with_field=with_field)
    for comps in (["practice", "communication", "teamwork"], ["innovation", "practice"], ["nothing"]):
        for group in (None, ("major", "会计学")):
            for k in (1, 3):
                assert _picked(f, comps, k, group) == _quotes_reference(f, comps, k, group)


def test_quotes_skip_texts_already_used():
    f = _tricky_findings(5, string_dtype=True, with_field=False)
    f.employer.data["comment_skills"] = "同一条评论内容，长度适中，用于检查去重"
    got = _picked(f, ["practice", "communication"], 3, None)
    assert got == _quotes_reference(f, ["practice", "communication"], 3)
    assert len(got) == 1


@pytest.mark.parametrize("min_cell", [1, 5, 40])
def test_mention_shares_equal_a_groupby_count(min_cell):
    f = _tricky_findings(7, string_dtype=True, with_field=True)
    sk = f.employer_skills.assign(competency=lambda d: d["competency_id"].str.upper())
    emp = f.employer.data.drop_duplicates("respondent_id")
    got = mention_shares(sk, emp, Design(levels=("school", "major"), min_cell=min_cell))
    gaps = sk[(sk["polarity"] == "gap") & sk["comment_id"].isin(emp["respondent_id"])]
    gaps = gaps.drop(columns="major").merge(emp[["respondent_id", "major"]], left_on="comment_id",
                                            right_on="respondent_id")
    n_by = {"全校": len(emp), **emp["major"].value_counts().to_dict()}
    hits = {("全校", c): g["comment_id"].nunique() for c, g in gaps.groupby("competency_id")}
    hits.update({(m, c): g["comment_id"].nunique() for (m, c), g in gaps.groupby(["major", "competency_id"])})
    for r in got.itertuples():
        if r.suppressed:
            assert pd.isna(r.share) and pd.isna(r.n)
            continue
        k = hits[(r.group, r.competency_id)]
        assert r.count == k and r.n == n_by[r.group]
        assert r.share == pytest.approx(k / n_by[r.group])
    shown = got[~got["suppressed"]]
    assert set(zip(shown["group"], shown["competency_id"])) <= set(hits)
    if min_cell == 1:
        assert len(got) == len(hits) and not got["suppressed"].any()
