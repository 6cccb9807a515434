"""Fixtures shared by the test folders: the analysed shipped sample (built once per session)."""
from __future__ import annotations

import pickle

import pytest


def _analyse_sample(**overrides):
    from survey_analysis.datasets import sample_paths
    from survey_analysis.pipeline import analyse, load_config

    p = sample_paths()
    cfg = load_config(p["config"], **overrides)
    return analyse(employer=p["employer"], graduates=[p["graduate_2025"], p["graduate_2024"], p["graduate_2023"]],
                   population=p["population"], roster=p["roster"], config=cfg, programme=p["programme"])


@pytest.fixture(scope="session")
def sample_findings(tmp_path_factory):
    """The analysed shipped sample (weighted to the roster, with the training programmes), cached
    as a pickle for the session."""
    cache = tmp_path_factory.getbasetemp() / "sample_findings.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    f = _analyse_sample()
    cache.write_bytes(pickle.dumps(f))
    return f
