"""SPSS ``.sav`` files (问卷星 and vendors export them) via pyreadstat, value labels applied."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..codebook import Codebook, Question
from ..errors import ReadError
from ._files import fmt_cell, text_series
from .base import RawSurvey, SourceInfo
from .choices import match_scale
from .infer import SYSTEM_COLUMNS, infer_values

__all__ = ["read_sav"]


def _label_key(v):
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return float(v)
    if isinstance(v, (int, np.integer)):
        return float(v)
    return v


def read_sav(path: Path, *, platform: str | None = None) -> RawSurvey:
    """Read an SPSS file: answers become their value labels; question text = variable label.

    Columns keep the SPSS variable names (unique by construction); ``Question.code`` is the
    variable name, ``Question.number`` its 1-based position, ``Question.text`` its label.
    Options of a labelled variable are its value labels in code order.
    """
    import pyreadstat

    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise ReadError(f"无法打开文件：{exc.strerror or exc}", file=path, hint="请检查文件路径和读取权限。") from None
    if not head:
        raise ReadError("文件是空的（0 字节），没有数据行", file=path, hint="请重新从问卷平台导出 SPSS 文件。")
    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as exc:  # pyreadstat raises ReadstatError / PyreadstatError on bad files
        raise ReadError(
            "无法读取 SPSS 文件：文件损坏、被截断或不是 .sav 格式",
            file=path,
            found=f"{type(exc).__name__}: {exc}",
            hint="请重新从问卷平台导出 SPSS（.sav）文件，或改用 Excel / CSV 格式导出。",
        ) from None
    if len(df) == 0:
        raise ReadError(
            "没有数据行：SPSS 文件只有变量定义，没有答卷",
            file=path,
            hint="请确认导出时选择了全部答卷。",
        )
    index = pd.Index(np.arange(2, len(df) + 2, dtype=np.int64), name="row")
    labels_by_var = meta.variable_value_labels or {}
    var_labels = dict(zip(meta.column_names, meta.column_labels or [None] * len(meta.column_names)))
    columns = {}
    questions = []
    for i, name in enumerate(df.columns, start=1):
        s = df[name]
        text = (var_labels.get(name) or name).strip()
        vl = labels_by_var.get(name)
        if name in SYSTEM_COLUMNS or text in SYSTEM_COLUMNS:
            columns[name] = _plain(s, index)
            questions.append(Question(number=f"meta:{name}", text=text, type="meta", columns=[name], code=name))
            continue
        if vl:
            keyed = {_label_key(k): str(v) for k, v in vl.items()}
            values = [
                None if (v is None or (isinstance(v, float) and np.isnan(v)) or v == "")
                else keyed.get(_label_key(v), fmt_cell(v))
                for v in s.tolist()
            ]
            columns[name] = text_series(values, index=index)
            opts = [keyed[k] for k in sorted(keyed, key=lambda k: (isinstance(k, str), k))]
            seen = [v for v in pd.unique(pd.Series([v for v in values if v is not None], dtype=object))]
            opts += [v for v in seen if v not in opts]
            m = match_scale(opts)
            if m is not None:
                qtype, scale, na = "rating", m[0], m[1]
            else:
                qtype, scale, na = "single", None, []
            questions.append(
                Question(number=str(i), text=text, type=qtype, options=opts, columns=[name], scale=scale, na_options=na, code=name)
            )
            continue
        col = _plain(s, index)
        columns[name] = col
        u = list(pd.unique(col.dropna()))
        info = infer_values(u, int(col.notna().sum()), text)
        questions.append(Question(number=str(i), text=text, columns=[name], code=name, **info))
    data = pd.DataFrame(columns, index=index)
    source = SourceInfo(
        path=str(path),
        platform=platform or "spss",
        encoding=getattr(meta, "file_encoding", None),
        sheet=None,
        rows=len(data),
        columns=data.shape[1],
        header_rows=1,
        file_format="sav",
        notes=[],
        column_letters={},
    )
    return RawSurvey(data=data, codebook=Codebook(questions), source=source)


def _plain(s: pd.Series, index: pd.Index) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s):
        arr = s.to_numpy(dtype=float)
        if not np.isnan(arr).any() and np.all(np.mod(arr, 1) == 0) and np.all(np.abs(arr) < 2**53):
            return pd.Series(arr.astype(np.int64), index=index)
        return pd.Series(arr, index=index)
    if pd.api.types.is_datetime64_any_dtype(s):
        return pd.Series(s.to_numpy(), index=index)
    vals = [None if (v is None or (isinstance(v, float) and np.isnan(v)) or v == "") else fmt_cell(v) for v in s.tolist()]
    return text_series(vals, index=index)
