"""The questionnaire codebook: what each question is and which columns it spans.

A :class:`Codebook` is inferred by the readers (:mod:`survey_analysis.io`) from the headers and
answers of an export, or built from a questionnaire definition (``resources/questionnaires``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict
from typing import Iterator

import pandas as pd

__all__ = ["Question", "Codebook", "QUESTION_TYPES"]

QUESTION_TYPES = ("single", "multi", "matrix", "rating", "rank", "open", "numeric", "meta")


@dataclass
class Question:
    """One question of a questionnaire.

    Attributes
    ----------
    number : str
        The question number as printed (``"6"``, ``"B7-1"``); system columns get ``"meta:<name>"``.
    text : str
        The question text without the number prefix (``"兴趣爱好"``).
    type : str
        One of :data:`QUESTION_TYPES`.
    options : list of str
        Answer options in questionnaire order (for matrix questions: the answer scale).
    columns : list of str
        The columns of the raw data this question spans (several for numeric multi-select
        ``第N题(选项)`` columns or matrix rows).
    rows : list of str
        Matrix row labels (empty for other types), aligned with ``columns``.
    scale : str or None
        Name of the answer scale (``"satisfaction5"`` …) for ratings and matrices, when known.
    na_options : list of str
        Answers meaning "not applicable / cannot judge" (excluded from denominators).
    other_options : list of str
        Options that carry a free-text specification (``其他【请注明】〖…〗``).
    code : str or None
        A vendor question code (``B7-1``) from a second header row, when present.
    sep : str or None
        For a multi-select question answered in one column: the separator joining the chosen
        options in the raw data (``"┋"`` for 问卷星, ``"|"`` or ``"；"`` in other exports);
        ``None`` otherwise.  Split cells with ``survey_analysis.io.split_choice(cell, sep)``.
    """

    number: str
    text: str
    type: str
    options: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    scale: str | None = None
    na_options: list = field(default_factory=list)
    other_options: list = field(default_factory=list)
    code: str | None = None
    sep: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Codebook:
    """An ordered collection of :class:`Question` objects."""

    questions: list = field(default_factory=list)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __len__(self) -> int:
        return len(self.questions)

    def __getitem__(self, number) -> Question:
        key = str(number)
        for q in self.questions:
            if q.number == key:
                return q
        raise KeyError(number)

    def get(self, number, default=None):
        try:
            return self[number]
        except KeyError:
            return default

    def by_column(self, column: str) -> Question | None:
        for q in self.questions:
            if column in q.columns:
                return q
        return None

    def to_frame(self, *, redact: bool = True, names=()) -> pd.DataFrame:
        """One row per question: number, text, type, n_options, options, columns, scale.

        With ``redact=True`` (default) the table is safe to show: options of personal-information
        questions (姓名, 手机号 …) and of open questions (which are raw answers) are not listed, and
        phone numbers, ID numbers, e-mail and IP addresses inside other options are replaced, and
        so are ``names`` (e.g. a roster's 姓名 column) typed into a choice question.
        """
        from .privacy import Redactor
        from .spec import pii_kind

        redactor = Redactor(names=tuple(str(n) for n in names if n is not None)) if redact else None
        rows = []
        for q in self.questions:
            options = [str(o) for o in q.options]
            if redact:
                if pii_kind(q.text) or any(pii_kind(c) for c in q.columns):
                    options = ["（个人信息，不列出）"] if options else []
                elif q.type == "open":
                    options = ["（开放题答案，不列出）"] if options else []
                else:
                    options = [redactor.redact(o)[0] for o in options]
            rows.append(
                {
                    "number": q.number,
                    "text": q.text,
                    "type": q.type,
                    "n_options": len(q.options),
                    "options": "；".join(options),
                    "columns": "；".join(map(str, q.columns)),
                    "scale": q.scale,
                }
            )
        return pd.DataFrame(rows, columns=["number", "text", "type", "n_options", "options", "columns", "scale"])

    def to_records(self) -> list:
        return [q.to_dict() for q in self.questions]

    @classmethod
    def from_records(cls, records) -> "Codebook":
        """Rebuild a codebook from :meth:`to_records` output (e.g. read back from JSON).

        Unknown keys are ignored, so the ``questions`` of ``io.inspect_dict`` work too.
        """
        names = set(Question.__dataclass_fields__)
        return cls([Question(**{k: v for k, v in dict(r).items() if k in names}) for r in records])
