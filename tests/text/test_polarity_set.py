"""Polarity on hand-written employer sentences (not the generator's vocabulary) and tools on
hand-written job-posting texts: the figures of docs/text_quality.md, enforced."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml

from survey_analysis.text import extract_skills

DATA = Path(__file__).parent / "data"
BENCH = Path(__file__).parents[2] / "bench" / "bench_text_quality.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_text_quality", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _load(name):
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["sentences"]


@pytest.fixture(scope="module")
def scored():
    bench = _bench()
    out = {}
    for name in ("polarity_sentences.yaml", "polarity_heldout.yaml"):
        items = _load(name)
        rows, _ = bench.polarity_scores(items, extract_skills([it["text"] for it in items]))
        out[name] = (items, {k: bench.summary(v) for k, v in rows.items()})
    return out


def test_sets_are_large_balanced_and_apart_from_the_generator(scored):
    src = (Path(__file__).parents[2] / "survey_analysis" / "datasets" / "_comments.py").read_text(encoding="utf-8")
    items = scored["polarity_sentences.yaml"][0] + scored["polarity_heldout.yaml"][0]
    assert len(scored["polarity_sentences.yaml"][0]) >= 300
    praise = sum(all(p == "strength" for _, p in it["expect"]) for it in items)
    assert 0.4 <= praise / len(items) <= 0.6
    assert not [it["text"] for it in items if it["text"] in src]
    cats = {it["category"] for it in items}
    for c in ("praise_trap", "gap_trap", "gap_contrast", "gap_wish", "gap_question", "praise_negneg",
              "praise_mild", "gap_mild", "gap_tool", "praise_tool", "gap_paraphrase"):
        assert c in cats


@pytest.mark.parametrize("name", ["polarity_sentences.yaml", "polarity_heldout.yaml"])
def test_praise_is_not_read_as_gap_and_gaps_are_found(scored, name):
    s = scored[name][1]["all"]
    assert s["praise_as_gap"] <= 0.02, s
    assert s["gap_recall"] >= 0.90, s
    assert s["gap_precision"] >= 0.90, s


def test_every_trap_of_the_issue(scored):
    """Characters of gap cues inside other words never make praise a gap."""
    traps = ["应届生的表达能力不错", "多个项目中都表现出很强的组织协调能力", "经常出差也毫无怨言，吃苦耐劳",
             "至少在专业知识方面，贵校学生很扎实", "学生能很快适应相应岗位，上手快"]
    m = extract_skills(traps)
    assert (m["polarity"] != "gap").all(), m[["clause", "competency_id", "polarity", "cue"]]
    # the issue's misses: a wish with a comparative, a gap after 但, a tool's competency
    m = extract_skills(["希望沟通能力更加出色", "英语证书拿到了，但用起来不行", "SolidWorks画图不熟练"])
    assert set(zip(m["comment_id"], m["competency_id"], m["polarity"])) == {
        (0, "communication", "gap"), (1, "foreign_language", "gap"), (2, "engineering_drawing", "gap")}


def test_scorer_can_fail(scored):
    bench = _bench()
    items = scored["polarity_sentences.yaml"][0]
    m = extract_skills([it["text"] for it in items]).assign(polarity="gap")
    rows, _ = bench.polarity_scores(items, m)
    s = bench.summary(rows["all"])
    assert s["praise_as_gap"] > 0.5 and s["gap_precision"] < 0.6


def test_tools_written_in_postings_keep_their_name():
    posts = yaml.safe_load((DATA / "tool_postings.yaml").read_text(encoding="utf-8"))["postings"]
    res = _bench().tool_recall(posts)
    assert res["n"] >= 200 and len({p["group"] for p in posts}) >= 8
    assert res["share"] >= 0.95, res["missed"]
