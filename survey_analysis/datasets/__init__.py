"""The seeded sample-data generator, the platform writers and the shipped sample files.

Everything here is synthetic: no real person, employer or answer.  ``make_sample()`` writes
the files shipped in the repository's ``data/`` folder (see ``data/README.md``) together with
the planted facts (``data/truth/``) that later analyses must recover.
"""
from __future__ import annotations

from ._api import generate_employers, generate_graduates, generate_roster, make_sample, sample_paths
from ._questionnaire import load_questionnaire

__all__ = [
    "make_sample",
    "sample_paths",
    "generate_employers",
    "generate_graduates",
    "generate_roster",
    "load_questionnaire",
    "DEFAULT_SEED",
]

DEFAULT_SEED = 20250630
