"""The Chinese text layer: segmentation, the competency taxonomy, skill mentions, keywords.

Nothing is loaded at import time: jieba's dictionary, the user dictionary and the taxonomy load
on first use, once per process.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "normalize_text": "_normalize",
    "is_no_content": "_normalize",
    "comment_status": "_normalize",
    "Segmenter": "_segment",
    "tokenize": "_segment",
    "TokenListTransformer": "_sklearn",
    "load_stopwords": "_segment",
    "load_user_dictionary": "_segment",
    "Taxonomy": "_taxonomy",
    "load_taxonomy": "_taxonomy",
    "load_tool_catalogue": "_taxonomy",
    "tool_table": "_tools",
    "word_spans": "_segment",
    "extract_skills": "_skills",
    "keywords": "_keywords",
    "is_content_word": "_keywords",
    "text_cache": "_cache",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'survey_analysis.text' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
