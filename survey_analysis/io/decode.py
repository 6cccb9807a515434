"""Decoding a 问卷星 numeric export (按序号) with the text export (按文本) of the same survey.

The numeric export holds option numbers (1, 2, 3 …); without the questionnaire they mean nothing.
When both exports of one survey are at hand, each question's codes are decoded from the pairs
(number, text) of the same respondent: rows are matched by 序号 (else by position), columns by
question number (``N、题干`` ↔ ``N、题干``; ``第N题(行)`` ↔ ``N、题干—行``).  A number standing for two
different texts is an error that names the row.  Multi-select 0/1 columns keep their option labels
(from their headers).
"""
from __future__ import annotations

import dataclasses
import re

import pandas as pd

from ..errors import ReadError
from ._files import text_series
from .base import RawSurvey
from .choices import trailing_group
from .infer import build_codebook

__all__ = ["decode_with_text"]

_Q = re.compile(r"^\s*(\d+)、(.*)$", re.S)
_NUM = re.compile(r"^\s*第(\d+)题\s*(.*)$", re.S)


def _text_columns(text: RawSurvey) -> dict:
    """(question number, row label or None) → text-export column."""
    out = {}
    for c in text.data.columns:
        m = _Q.match(str(c))
        if not m:
            continue
        rest = m.group(2).strip()
        g = trailing_group(rest)
        if "—" in rest:  # a matrix row: N、题干—行
            out[(m.group(1), rest.rsplit("—", 1)[1].strip())] = c
        else:
            out[(m.group(1), None)] = c
            if g is not None:
                out[(m.group(1), g[1].strip())] = c
    return out


def _aligned(numeric: RawSurvey, text: RawSurvey) -> pd.Index:
    """Positions in the text export of each numeric-export row."""
    a, b = numeric.data, text.data
    if "序号" in a.columns and "序号" in b.columns:
        ka = a["序号"].astype(str).str.strip().to_numpy()
        kb = pd.Index(b["序号"].astype(str).str.strip())
        if kb.is_unique and set(ka) <= set(kb):
            return kb.get_indexer(ka)
    if len(a) == len(b):
        return pd.RangeIndex(len(a))
    raise ReadError("按序号导出与按文本导出的文件答卷数不同，且无法按“序号”对齐",
                    file=text.source.path, expected=f"{len(a)} 份答卷（与按序号导出的文件相同）",
                    found=f"{len(b)} 份", hint="请从问卷星同时导出两种格式（同一批答卷）后再读取。")


def _decode_column(num: pd.Series, txt: pd.Series, column, text: RawSurvey) -> pd.Series | None:
    pairs = pd.DataFrame({"n": num.to_numpy(), "t": txt.to_numpy()}, index=num.index).dropna()
    if not len(pairs):
        return None
    pairs["n"] = pairs["n"].map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip())
    pairs["t"] = pairs["t"].astype(str).str.strip()
    mapping = {}
    for row, n, t in zip(pairs.index, pairs["n"], pairs["t"]):
        if mapping.setdefault(n, t) != t:
            raise ReadError(f"按序号导出中的编号 {n} 在按文本导出中对应两个不同的答案（「{mapping[n]}」与「{t}」）",
                            file=text.source.path, row=int(row), column=str(column),
                            hint="两个文件应是同一份问卷、同一批答卷的两种导出；请重新导出。")
    keys = num.map(lambda v: None if pd.isna(v) else
                   (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()))
    return text_series([mapping.get(k) if k is not None else None for k in keys], index=num.index, name=num.name)


def decode_with_text(numeric: RawSurvey, text: RawSurvey) -> RawSurvey:
    """The numeric export with its option numbers replaced by the texts of the text export.

    Raises
    ------
    ReadError
        The two files cannot be aligned (different respondents) or a number stands for two texts.
    """
    tcols = _text_columns(text)
    pos = _aligned(numeric, text)
    tdata = text.data.iloc[pos].set_axis(numeric.data.index)
    data = numeric.data.copy()
    decoded = 0
    for c in numeric.data.columns:
        h = str(c)
        m, mn = _Q.match(h), _NUM.match(h)
        key = (m.group(1), None) if m else None
        if mn:
            g = trailing_group(mn.group(2) or "")
            key = (mn.group(1), g[1].strip()) if g else None
        tc = tcols.get(key) if key else None
        if tc is None:
            continue
        if key[1] is not None and tcols.get((key[0], None)) == tc:
            continue  # a multi-select 0/1 column (the text export has one column for the question)
        new = _decode_column(data[c], tdata[tc], c, text)
        if new is not None:
            data[c] = new
            decoded += 1
    data, codebook = build_codebook(data, "wjx_text")
    notes = list(numeric.source.notes) + [f"按序号导出的 {decoded} 列选项编号已用按文本导出的文件「{text.source.name}」解码"]
    source = dataclasses.replace(numeric.source, platform="wjx_text", notes=notes)
    return RawSurvey(data=data, codebook=codebook, source=source)
