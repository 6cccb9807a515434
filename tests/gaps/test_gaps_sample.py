"""On the shipped sample: the themes recover the generator's planted gaps."""
from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml
from sklearn.metrics import adjusted_rand_score

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample():
    import survey_analysis as sa
    from survey_analysis.datasets import sample_paths
    from survey_analysis.gaps import SkillGapClusterer, feedback_texts

    p = sample_paths()
    raw = sa.read_survey(p["employer"])
    data = sa.clean(raw, key="test").data
    data = data.assign(seq=raw.data.loc[data["source_row"], "序号"].to_numpy())
    cfg = yaml.safe_load(p["config"].read_text(encoding="utf-8"))
    X = feedback_texts(data, keep=("respondent_id", "major", "college", "industry", "seq"),
                       colleges={m["name"]: m["college"] for m in cfg["majors"]})
    model = SkillGapClusterer(random_state=0).fit(X)
    truth = pd.read_csv(p["employer_comment_truth"])
    facts = json.loads(p["facts"].read_text(encoding="utf-8"))["employer"]["gap_profiles"]
    return X, model, truth, facts


def test_themes_recover_planted_clauses(sample):
    """ARI >= 0.8 between theme and planted competency over every planted gap clause."""
    from survey_analysis.text import normalize_text

    X, model, truth, _ = sample
    units = model.units_.assign(seq=X["seq"].to_numpy()[model.units_["text_index"]],
                                field=X["field"].to_numpy()[model.units_["text_index"]])
    by_comment = {k: g for k, g in units.groupby(["seq", "field"])}
    gaps = truth[truth["polarity"] == "gap"]
    predicted = []
    for seq, field, clause in zip(gaps["序号"], gaps["field"], gaps["clause"]):
        norm = normalize_text(clause).lower()
        g = by_comment.get((seq, field))
        hit = g[g["unit"].str.lower().map(lambda u: u in norm or norm in u)] if g is not None else []
        # a planted clause that was not found (or a respondent removed by cleaning) counts as
        # one more "unassigned" cluster: it lowers the score
        predicted.append(int(hit["theme"].iloc[0]) if len(hit) else -1)
    predicted = pd.Series(predicted)
    assert (predicted == -1).mean() < 0.05
    assert adjusted_rand_score(gaps["competency"], predicted) >= 0.8
    # every planted competency is the label of some theme
    assert set(gaps["competency"]) <= set(model.themes_["competency_id"])


def test_planted_top_gaps_are_among_each_majors_top_five_themes(sample):
    X, model, _, facts = sample
    shares = model.theme_shares(X, by="major", respondent="row")
    for major, top3 in facts.items():
        top5 = shares[(shares["major"] == major) & (shares["rank"] <= 5)]
        assert len(top5) == 5, major
        assert set(top3) <= set(top5["competency_id"]), (major, top3, top5["competency_id"].tolist())


def test_shares_by_college_and_industry(sample):
    X, model, _, _ = sample
    col = model.theme_shares(X, by="college", respondent="row")
    assert col["college"].nunique() == 4 and not col["suppressed"].any()
    # the shares are respondent shares: recompute one cell by hand
    r = col[(col["college"] == "信息工程学院") & (col["rank"] == 1)].iloc[0]
    u = model.units_.assign(row=X["row"].to_numpy()[model.units_["text_index"]],
                            college=X["college"].to_numpy()[model.units_["text_index"]])
    u = u[u["college"] == "信息工程学院"]
    assert r["n"] == u["row"].nunique()
    assert r["count"] == u.loc[u["theme"] == r["theme"], "row"].nunique()
    ind = model.theme_shares(X, by="industry", respondent="row", min_cell=5)
    small = ind[ind["n"].isna()]
    assert small["share"].isna().all()
    assert (ind.loc[~ind["suppressed"], "n"] >= 5).all()
