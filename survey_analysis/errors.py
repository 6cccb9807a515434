"""Exceptions of the package.

Every problem caused by the user's input (a file, a mapping, a parameter) raises a
:class:`SurveyError` -- a subclass of :class:`ValueError` -- whose message is in Simplified
Chinese and says *where* (file, sheet, row, column), *what was expected*, *what was found* and
*what to do*.  The command line turns a ``SurveyError`` into exit code 2 without a traceback;
anything else is an internal error (exit code 1).

Row numbers in messages are the row numbers a person sees when opening the file in Excel or a
text editor: the first header row is row 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

__all__ = [
    "SurveyError",
    "ReadError",
    "SchemaErrors",
    "ConfigError",
    "AnalysisError",
    "OutputError",
]


def _fmt_where(file=None, sheet=None, row=None, column=None) -> str:
    parts = []
    if file is not None:
        parts.append(f"文件「{Path(str(file)).name}」")
    if sheet is not None:
        parts.append(f"工作表「{sheet}」")
    if row is not None:
        parts.append(f"第 {row} 行")
    if column is not None:
        parts.append(f"列「{column}」")
    return "，".join(parts)


class SurveyError(ValueError):
    """A problem with the user's input, explained in Chinese.

    Parameters
    ----------
    message : str
        What is wrong, in Simplified Chinese.
    file, sheet, row, column : optional
        Where the problem is. ``row`` is the 1-based row number as shown in Excel.
    expected, found : str, optional
        What was expected and what was found.
    hint : str, optional
        What the user should do about it.
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        found: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        where = _fmt_where(self.file, self.sheet, self.row, self.column)
        text = f"{where}：{self.message}" if where else self.message
        if self.expected is not None:
            text += f"\n  期望（expected）：{self.expected}"
        if self.found is not None:
            found = str(self.found)
            if len(found) > 200:
                found = found[:200] + "…"
            text += f"\n  实际（found）：{found}"
        if self.hint:
            text += f"\n  建议：{self.hint}"
        return text

    def with_file(self, file: str | Path) -> "SurveyError":
        """Return the same error with ``file`` filled in when it was missing."""
        if self.file is None:
            self.file = str(file)
            self.args = (self._render(),)
        return self

    # -- named constructors -------------------------------------------------------------
    @classmethod
    def missing_columns(
        cls, missing: Iterable[str], available: Iterable[str], *, file=None, sheet=None, what="列"
    ) -> "SurveyError":
        missing = list(missing)
        available = list(available)
        shown = "、".join(map(str, available[:30])) + ("…" if len(available) > 30 else "")
        return cls(
            f"缺少必需的{what}：{'、'.join(map(str, missing))}",
            file=file,
            sheet=sheet,
            expected=f"包含{what} {'、'.join(map(str, missing))}",
            found=f"现有{what}：{shown}",
            hint="请检查列名是否与问卷一致，或在映射文件（YAML）中指定对应的题目。",
        )


class ReadError(SurveyError):
    """A file cannot be read as a survey export."""


class ConfigError(SurveyError):
    """A mapping / configuration file or parameter is wrong."""


class AnalysisError(SurveyError):
    """The data cannot support the requested analysis (too few texts, no ratings, ...)."""


class OutputError(SurveyError):
    """An output cannot be written (folder not writable, ...)."""


@dataclass
class _Summary:
    n: int
    by_check: dict


class SchemaErrors(SurveyError):
    """All validation problems found in one pass (lazy validation).

    Attributes
    ----------
    failure_cases : pandas.DataFrame
        One row per problem with columns ``column``, ``check``, ``failure_case`` (the offending
        value), ``row`` (1-based source row, or ``None`` for column-level problems) and
        ``message`` (Chinese explanation).
    """

    def __init__(self, failure_cases: pd.DataFrame, *, file=None, sheet=None) -> None:
        cols = ["column", "check", "failure_case", "row", "message"]
        fc = failure_cases.copy()
        for c in cols:
            if c not in fc.columns:
                fc[c] = None
        self.failure_cases = fc[cols].reset_index(drop=True)
        counts = self.failure_cases.groupby(["column", "check"], dropna=False).size()
        lines = [f"校验发现 {len(self.failure_cases)} 个问题（{len(counts)} 类）："]
        for (col, chk), n in counts.head(20).items():
            sub = self.failure_cases[
                (self.failure_cases["column"] == col) & (self.failure_cases["check"] == chk)
            ]
            rows = [int(r) for r in sub["row"].dropna().head(5)]
            rows_txt = f"，行 {', '.join(map(str, rows))}{'…' if len(sub) > 5 else ''}" if rows else ""
            example = sub["failure_case"].iloc[0]
            msg = sub["message"].iloc[0] or chk
            lines.append(f"  - 列「{col}」{msg}：{n} 处{rows_txt}（例：{example!s:.40}）")
        if len(counts) > 20:
            lines.append(f"  …另有 {len(counts) - 20} 类问题，见 failure_cases。")
        super().__init__(
            "\n".join(lines),
            file=file,
            sheet=sheet,
            hint="修正上述数据后重试；完整清单见异常的 failure_cases 表（column, check, failure_case, row）。",
        )
