"""The whole analysis in one call: read → clean → analyse → findings.

:func:`analyse` reads the employer survey, one or more graduate cohorts, an optional population
(roster) file and optional ledgers, cleans them, runs every analysis and returns a frozen
:class:`Findings` -- the single source of every number in every report format, command and
notebook.

* :mod:`.config` — :class:`AnalysisConfig` and :func:`load_config` (YAML).
* :mod:`.graduates` — :func:`analyse_graduates` (also used by ``survey-analysis outcomes``).
* :mod:`.employers` — :func:`analyse_employers`, :func:`fit_themes`.
* :mod:`.findings` — :class:`Findings`.
* :mod:`.run` — :func:`analyse`.
"""
from __future__ import annotations

from .config import AnalysisConfig, load_config
from .employers import EmployerFindings, analyse_employers, fit_themes
from .findings import Findings
from .graduates import GraduateFindings, analyse_graduates
from .run import analyse, analyse_cleaned

__all__ = ["Findings", "AnalysisConfig", "analyse", "analyse_cleaned", "load_config", "fit_themes", "analyse_graduates",
           "analyse_employers", "GraduateFindings", "EmployerFindings"]
