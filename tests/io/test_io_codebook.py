"""Codebook helpers used with the readers."""
from __future__ import annotations

import json

import pytest

from survey_analysis.codebook import Codebook, Question
from survey_analysis.io import inspect_dict, read_survey


def test_codebook_round_trips_through_json(fixture_path):
    raw = read_survey(fixture_path)
    back = Codebook.from_records(json.loads(json.dumps(raw.codebook.to_records(), ensure_ascii=False)))
    assert back == raw.codebook
    from_inspect = Codebook.from_records(inspect_dict(raw)["questions"])
    assert from_inspect == raw.codebook


def test_lookup_by_number_and_column(fixture_path):
    cb = read_survey(fixture_path).codebook
    assert cb.by_column("6、兴趣爱好").number == "6"
    assert cb.by_column("no such column") is None
    assert cb.get("99") is None
    with pytest.raises(KeyError):
        cb["99"]
    frame = cb.to_frame()
    assert list(frame.columns) == ["number", "text", "type", "n_options", "options", "columns", "scale"]
    assert frame.loc[frame["number"] == "8", "type"].item() == "multi"
    assert Question(number="1", text="x", type="single").sep is None
