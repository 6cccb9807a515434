"""Identity and privacy at the door: respondent ids, pseudonyms, and redaction of texts.

* Respondent ids are read once as codes of their normalised value; placeholders typed into a
  required id box (无, 没有, 0 …) are no id at all -- never one shared id (that would make every
  such respondent a duplicate of the first).
* Pseudonyms are keyed hashes (:class:`~survey_analysis.privacy.Pseudonymizer`); the key comes
  from the :class:`~survey_analysis.design.Design` (``key``, else ``$SURVEY_ANALYSIS_KEY``).
* Free text and choice answers kept as typed are redacted with the names and ids of the survey's
  own name / id columns and of the roster, and the patterns of :mod:`survey_analysis.privacy`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..io.roster import Roster, valid_ids
from ..privacy import Pseudonymizer, Redactor
from ..spec import SurveySpec, pii_kind
from .codes import Coded, Columns, distinct_of, like_map
from .result import Log

__all__ = ["respondent_codes", "pseudonyms", "build_redactor", "redact_texts"]


def respondent_codes(frame: pd.DataFrame, spec: SurveySpec, cols: Columns) -> tuple:
    """``(codes, values)``: per row the code of its normalised respondent id (equal codes ⇔ same
    id; -1 = none or a placeholder) and the distinct ids; ``(None, None)`` without an id column."""
    if not spec.id_columns or not all(c in frame.columns for c in spec.id_columns):
        return None, None
    if len(spec.id_columns) > 1:
        ids = frame[list(spec.id_columns)].astype(str).agg("|".join, axis=1)
        codes, values = pd.factorize(ids, use_na_sentinel=True)
        return codes, list(values)
    idc = cols[spec.id_columns[0]]
    codes, values = idc.norm_codes(), idc.norm_values()
    is_id = any(f.type == "id" for f in spec.fields.values())
    placeholders = np.flatnonzero(~valid_ids(values)) if is_id else []
    if len(placeholders):
        codes = codes.copy()
        codes[np.isin(codes, placeholders)] = -1
    return codes, values


def pseudonyms(frame: pd.DataFrame, codes, values, key, source_name: str = "") -> tuple:
    """``(respondent_id Series, random_key)``: one keyed hash per distinct id; rows without an id
    are hashed as ``row:<row>`` (per file without an id column)."""
    pseudo = Pseudonymizer(key)
    if codes is not None:
        hashes = np.array(pseudo.many([str(v) for v in values]) + [None], dtype=object)[codes]
        no_id = np.flatnonzero(codes < 0)
        if len(no_id):
            hashes[no_id] = pseudo.many(["row:" + str(r) for r in frame.index[no_id]])
    else:
        hashes = np.array(pseudo.many([f"{source_name}:row:{r}" for r in frame.index]), dtype=object)
    return pd.Series(hashes, index=frame.index, dtype="str"), pseudo.random_key


def build_redactor(spec: SurveySpec, cols: Columns, roster: Roster | None, names=()) -> Redactor:
    """A :class:`Redactor` knowing the names and ids of the survey's own name / id columns, of
    ``roster`` and ``names``."""
    red_names, red_ids = list(names), []
    name_cols, id_cols = {}, {}  # each column once (a column may be both a field and PII)
    for f in spec.fields.values():
        if f.field in ("name", "contact_name") or (f.pii and f.field.endswith("name")):
            name_cols[f.columns[0]] = None
        if f.type == "id":
            id_cols[f.columns[0]] = None
    for c in spec.pii_columns:  # the survey's own name / id columns, however they were mapped
        kind = pii_kind(c)
        if kind == "name":
            name_cols[c] = None
        elif kind == "student_id":
            id_cols[c] = None
    for c in name_cols:
        red_names.extend(cols[c].str_values())
    for c in id_cols:
        values = cols[c].norm_values()
        red_ids.extend(v for v, ok in zip(values, valid_ids(values)) if ok)
    if roster is not None:
        red_names.extend(roster.names)
        red_ids.extend(roster.ids)
    return Redactor(names=tuple(red_names), ids=tuple(red_ids))


def _to_simplified(s: pd.Series, field, column, log: Log) -> pd.Series:
    import opencc

    converter = opencc.OpenCC("t2s")
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    conv = [converter.convert(u) for u in uniques]
    tc = Coded.from_codes(codes, uniques, s.index)
    for k, (u, c) in enumerate(zip(uniques, conv)):
        if c != u:
            log.recode(field, column, u[:80], c[:80], "to_simplified", tc.rows(k, 5))
    # as s.map(lambda v: conv.get(v, v) if isinstance(v, str) else v)
    return like_map(pd.Series(tc.take([c if isinstance(u, str) else u for u, c in zip(uniques, conv)],
                                      na=s.iloc[int(np.argmax(codes < 0))] if (codes < 0).any() else None),
                              index=s.index, dtype=object))


def redact_texts(data: pd.DataFrame, spec: SurveySpec, redactor: Redactor, known: dict, log: Log, *,
                 to_simplified: bool = False) -> int:
    """Redact the open-text fields (each cell logged) and the text answers of choice fields kept as
    typed (personal information typed into the wrong box) in ``data``, a frame ``clean()`` is
    building.  Returns the number of replacements."""
    n_redactions = 0
    open_specs = [f for f in spec.fields.values() if f.type == "open" and not f.pii]
    for tf in open_specs:
        s = data[tf.field]
        if to_simplified:
            known.pop(tf.field, None)
            s = _to_simplified(s, tf.field, tf.columns[0], log)
        s, hits = redactor.redact_series(s, distinct=distinct_of(known, tf.field))
        if len(hits):
            known.pop(tf.field, None)
        data[tf.field] = s
        for r in hits.itertuples():
            log.cell("redact", int(r.index), tf.field, tf.columns[0], f"[{r.kind}]×{r.n}", "", "redact_" + r.kind,
                     "自由文本中的个人信息已替换为占位符")
            n_redactions += int(r.n)
    open_fields = {f.field for f in open_specs}
    for c in data.columns:
        if c in open_fields or not (data[c].dtype == object or pd.api.types.is_string_dtype(data[c])):
            continue
        data[c], hits = redactor.redact_series(data[c], distinct=distinct_of(known, c))
        if len(hits):
            known.pop(c, None)
        n_redactions += int(hits["n"].sum()) if len(hits) else 0
    return n_redactions
