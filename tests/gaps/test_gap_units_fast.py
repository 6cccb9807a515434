"""The gap units of the clusterer (built once per distinct text) equal the straightforward
construction from ``extract_skills`` mention tables, and are the same inside ``text_cache()``."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from survey_analysis.errors import ConfigError
from survey_analysis.gaps import SkillGapClusterer
from survey_analysis.gaps._units import as_frame as _as_frame, join_ids as _join_ids, split_units as _split_units
from survey_analysis.text import extract_skills, text_cache

FRAGMENTS = [
    "沟通能力有待提高", "动手能力强", "希望加强实践", "特别是表达和写作", "比如Excel", "团队合作", "1.",
    "2、", "但是", "不过", "沟通能历", "数据分析能力差", "编程能力不足", "项目经验", "学习能力",
    "责任心不强", "英语一般", "无", "很好", "。", "，", "；", ";", " ", "\n", "工作态度认真", "抗压能力较弱",
    "溝通能力有待加強", "AutoCAD不熟", "Power BI 不熟练",
]


def _reference_units(frame: pd.DataFrame, unit: str, default_polarity: str) -> pd.DataFrame:
    """The construction before the fast path: extract_skills per default polarity, gap mentions,
    one row per (text, clause) or per text with the competency ids joined in mention order."""
    texts = [v if isinstance(v, str) else None for v in frame["text"].tolist()]
    pols = ([p if isinstance(p, str) and p else default_polarity for p in frame["default_polarity"]]
            if "default_polarity" in frame.columns else [default_polarity] * len(texts))
    parts = []
    strings = [i for i, t in enumerate(texts) if t is not None]
    for pol in sorted({pols[i] for i in strings}):
        idx = [i for i in strings if pols[i] == pol]
        m = extract_skills([texts[i] for i in idx], ids=idx, default_polarity=pol)
        m = m[m["polarity"] == "gap"]
        parts.append(pd.DataFrame({"text_index": m["comment_id"].to_numpy(dtype=np.int64),
                                   "clause_id": m["clause_id"].to_numpy(dtype=np.int64),
                                   "unit": m["clause"].to_numpy(dtype=object),
                                   "competency_id": m["competency_id"].to_numpy(dtype=object)}))
    gaps = pd.concat(parts, ignore_index=True)
    keys = ["text_index", "clause_id"] if unit == "clause" else ["text_index"]
    rows = []
    for key, g in gaps.groupby(keys, sort=True):
        comp = g["competency_id"].tolist()
        key = key if isinstance(key, tuple) else (key,)
        rows.append({"text_index": key[0], "clause_id": key[1] if unit == "clause" else 0,
                     "unit": g["unit"].iloc[0] if unit == "clause" else texts[key[0]],
                     "competency_id": comp[0] if len(comp) == 1 else _join_ids(comp)})
    out = pd.DataFrame(rows, columns=["text_index", "clause_id", "unit", "competency_id"])
    return out.astype({"text_index": "int64", "clause_id": "int64", "unit": object,
                       "competency_id": object})


def _texts(seed=0, n=1500):
    rng = random.Random(seed)
    vals = ["".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 6))) for _ in range(n)]
    vals += rng.choices(vals, k=n // 2) + [None, float("nan"), 7, "", "无"]
    rng.shuffle(vals)
    return vals


@pytest.mark.parametrize("unit", ["clause", "comment"])
def test_gap_units_equal_reference_with_per_text_polarity(unit):
    vals = _texts()
    rng = random.Random(1)
    frame = pd.DataFrame({"text": pd.Series(vals, dtype=object),
                          "default_polarity": [rng.choice(["gap", "neutral", None, ""]) for _ in vals]})
    ref = _reference_units(_as_frame(frame), unit, "neutral")
    got = _split_units(_as_frame(frame), unit=unit, only_gaps=True, default_polarity="neutral")
    assert len(got) > 100
    pd.testing.assert_frame_equal(got, ref)
    with text_cache():  # shared with extract_skills calls made before, as in the pipeline
        extract_skills(pd.Series(vals, dtype=object), default_polarity="gap")
        extract_skills(pd.Series(vals, dtype=object))
        pd.testing.assert_frame_equal(
            _split_units(_as_frame(frame), unit=unit, only_gaps=True, default_polarity="neutral"), ref)


@pytest.mark.parametrize("default", ["neutral", "gap", "strength"])
def test_gap_units_equal_reference_plain_list(default):
    vals = _texts(seed=2, n=800)
    frame = _as_frame(vals)
    pd.testing.assert_frame_equal(
        _split_units(frame, unit="clause", only_gaps=True, default_polarity=default),
        _reference_units(frame, "clause", default))


def test_gap_units_without_any_gap():
    got = _split_units(_as_frame(["动手能力强", "很好", None]), unit="clause", only_gaps=True,
                       default_polarity="neutral")
    assert got.empty and list(got.columns) == ["text_index", "clause_id", "unit", "competency_id"]


def test_unknown_per_text_polarity_is_a_config_error():
    frame = pd.DataFrame({"text": ["沟通能力差"], "default_polarity": ["bad"]})
    with pytest.raises(ConfigError):
        SkillGapClusterer(n_themes=2).fit(frame)
