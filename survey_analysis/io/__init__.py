"""Readers of survey exports: CSV (UTF-8 / UTF-16 / GBK), Excel (.xls/.xlsx via python-calamine)
and SPSS (.sav via pyreadstat), with platform detection (问卷星 text / numeric, 腾讯问卷, vendor
two-header files, generic tables) and codebook inference.

Public entry points: :func:`read_survey`, :func:`inspect_dict` / :func:`inspect_text` (for
``survey-analysis inspect``), :func:`split_choice` (for the cleaner), :func:`read_roster`,
:func:`read_grids` (raw sheets for readers of other tables).
"""
from __future__ import annotations

from ._excel import read_grids
from .base import RawSurvey, SourceInfo
from .choices import match_scale, order_options, split_choice, split_parts
from .infer import PLATFORMS, detect_platform
from .roster import Roster, read_roster
from .read import (PLATFORM_NAMES, SUPPORTED_FORMATS, TYPE_NAMES, excel_letter, inspect_dict, inspect_text,
                   read_survey, release_memory)

__all__ = [
    "read_survey",
    "read_roster",
    "read_grids",
    "release_memory",
    "Roster",
    "inspect_dict",
    "inspect_text",
    "split_choice",
    "split_parts",
    "order_options",
    "match_scale",
    "detect_platform",
    "excel_letter",
    "PLATFORMS",
    "SUPPORTED_FORMATS",
    "PLATFORM_NAMES",
    "TYPE_NAMES",
    "RawSurvey",
    "SourceInfo",
]
