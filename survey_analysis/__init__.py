"""survey_analysis: employer and graduate surveys of Chinese universities → curriculum evidence.

The public API is listed in ``__all__``; names are imported lazily so that ``import
survey_analysis`` loads no data, registers no font and starts no segmenter.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it (relative to this package)
_EXPORTS = {
    # errors
    "SurveyError": "errors",
    "ReadError": "errors",
    "SchemaErrors": "errors",
    "ConfigError": "errors",
    "AnalysisError": "errors",
    "OutputError": "errors",
    # the declared design
    "Design": "design",
    # reading
    "Question": "codebook",
    "Codebook": "codebook",
    "RawSurvey": "io.base",
    "SourceInfo": "io.base",
    "read_survey": "io",
    "read_roster": "io",
    "Roster": "io",
    # mapping, validation, cleaning, privacy
    "SurveySpec": "spec",
    "infer_spec": "spec",
    "load_spec": "spec",
    "builtin_spec": "spec",
    "validate": "validation",
    "clean": "cleaning",
    "CleanResult": "cleaning",
    "Pseudonymizer": "privacy",
    "redact_text": "privacy",
    "suppress_small": "privacy",
    # the Chinese text layer
    "Segmenter": "text",
    "tokenize": "text",
    "TokenListTransformer": "text",
    "normalize_text": "text",
    "is_no_content": "text",
    "load_taxonomy": "text",
    "extract_skills": "text",
    "keywords": "text",
    # skill-gap themes
    "SkillGapClusterer": "gaps",
    "theme_shares": "gaps",
    "feedback_texts": "gaps",
    "fit_themes": "pipeline",
    # competency ratings (employer survey)
    "competency_summary": "ratings",
    "ipa": "ratings",
    "cronbach_alpha": "ratings",
    "reliability": "ratings",
    "compare_groups": "ratings",
    "key_drivers": "ratings",
    "coerce_ratings": "ratings",
    "competency_labels": "ratings",
    # graduate outcomes and weighting
    "PlacementDefinition": "design",
    "outcome_tables": "outcomes",
    "teaching_feedback": "outcomes",
    "ability_fulfilment": "outcomes",
    "compare_majors": "outcomes",
    "trends": "outcomes",
    "major_warnings": "outcomes",
    "poststratify": "weighting",
    "rake": "weighting",
    "load_population": "weighting",
    # the special-action ledger
    "read_visits": "ledger",
    "read_demand": "ledger",
    "analyze_ledger": "ledger",
    "LedgerResults": "ledger",
    "normalize_employer": "ledger",
    "merge_employers": "ledger",
    "ledger_section": "ledger",
    # the whole analysis
    "analyse": "pipeline",
    "Findings": "pipeline",
    "AnalysisConfig": "pipeline",
    "load_config": "pipeline",
    "pretty": "display",
    # training programmes and courses
    "read_programme": "programme",
    "Programme": "programme",
    # recommendations and the report
    "recommend": "curriculum",
    "load_rules": "curriculum",
    "build_report": "report.build",
    "report_model": "report.build",
    # the report engine
    "Report": "report.model",
    "Section": "report.model",
    "Paragraph": "report.model",
    "Table": "report.model",
    "Figure": "report.model",
    "render": "report.render",
    # sample data
    "make_sample": "datasets",
    "generate_employers": "datasets",
    "generate_graduates": "datasets",
    "generate_roster": "datasets",
    "sample_paths": "datasets",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'survey_analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
