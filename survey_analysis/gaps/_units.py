"""Units to cluster (clauses or comments, gap-only or all) and the concept tokenizer."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..errors import ConfigError

__all__ = ["UNASSIGNED", "UNASSIGNED_LABEL", "concept_tokenize", "as_frame", "split_units", "join_ids", "CONCEPT_PREFIX", "CONCEPT_REPEAT",
           "UNIT_COLUMNS"]

#: theme id of units (and texts) that fit no theme
UNASSIGNED = -1
#: how a user reads theme -1
UNASSIGNED_LABEL = "未归类（unassigned）"
#: prefix of concept tokens added by :func:`concept_tokenize`
CONCEPT_PREFIX = "@"
#: how many times a concept token is repeated (its weight against ordinary tokens)
CONCEPT_REPEAT = 3
UNIT_COLUMNS = ["text_index", "clause_id", "unit", "competency_id"]
_UNIT_COLUMNS = UNIT_COLUMNS


# ---------------------------------------------------------------------------------------
# tokenizer
# ---------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _taxonomy():
    from ..text import load_taxonomy

    return load_taxonomy()


@lru_cache(maxsize=1)
def _segmenter():
    """The default segmenter, on the fast Rust backend when it is installed (same tokens)."""
    from ..text import Segmenter

    try:
        import rjieba  # noqa: F401
    except ImportError:
        return Segmenter()
    return Segmenter(backend="rjieba")


def concept_tokenize(text) -> list[str]:
    """Tokens of ``text`` plus a concept token per taxonomy competency it names (picklable).

    The tokens are those of :func:`survey_analysis.text.tokenize` (jieba with the domain user
    dictionary, stopwords removed); each competency of the package taxonomy that the text names
    (by its name, an alias or a tool) adds the token ``"@<competency_id>"`` ``CONCEPT_REPEAT``
    times, so synonyms (动手能力 / 实际操作能力) and tools (SolidWorks / 看图纸) of one competency
    share a feature.

    Use it as ``TfidfVectorizer(tokenizer=concept_tokenize, token_pattern=None, lowercase=False)``.

    Examples
    --------
    >>> concept_tokenize("图纸看不太懂")[-1]
    '@engineering_drawing'
    """
    from ..text import normalize_text

    if not isinstance(text, str) or not text.strip():
        return []
    tokens = list(_segmenter().cut(text))
    norm = normalize_text(text, lower=True)
    for _, _, _, cid in _taxonomy().match(norm, normalized=True):
        tokens.extend([CONCEPT_PREFIX + cid] * CONCEPT_REPEAT)
    return tokens


# ---------------------------------------------------------------------------------------
# input handling
# ---------------------------------------------------------------------------------------
def as_frame(X) -> pd.DataFrame:
    """Texts (list / Series / array / DataFrame with ``text``) → frame ``text, default_polarity``."""
    if isinstance(X, (str, bytes)) or X is None:
        raise ConfigError("texts 必须是一组文本（列表、Series 或含 text 列的 DataFrame），不能是单个字符串",
                          expected="list / Series of str", found=type(X).__name__,
                          hint="单条文本请写成 [文本]。")
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns:
            raise ConfigError.missing_columns(["text"], [str(c) for c in X.columns])
        frame = pd.DataFrame({"text": X["text"].astype(object).to_numpy()})
        if "default_polarity" in X.columns:
            frame["default_polarity"] = X["default_polarity"].astype(object).to_numpy()
        return frame
    if isinstance(X, pd.Series):
        values = X.astype(object).to_numpy()
    else:
        values = np.asarray(list(X), dtype=object)
        if values.ndim != 1:
            raise ConfigError("texts 必须是一维的文本序列", expected="list / Series of str",
                              found=f"形状 {values.shape}")
    return pd.DataFrame({"text": values})


def split_units(frame: pd.DataFrame, *, unit: str, only_gaps: bool,
                 default_polarity: str) -> pd.DataFrame:
    """One row per unit to cluster: ``text_index, clause_id, unit, competency_id``."""
    from ..text import is_no_content, normalize_text

    texts = [v if isinstance(v, str) else None for v in frame["text"].tolist()]
    if "default_polarity" in frame.columns:
        pols = [p if isinstance(p, str) and p else default_polarity
                for p in frame["default_polarity"].tolist()]
    else:
        pols = [default_polarity] * len(texts)
    if only_gaps:
        rows = _gap_units(texts, pols, unit=unit)
    else:
        # every clause / comment with content; competencies by taxonomy match (no polarity)
        content: dict = {}
        valid = []
        for i, t in enumerate(texts):
            if t is None:
                continue
            ok = content.get(t)
            if ok is None:
                ok = content[t] = bool(t.strip()) and not is_no_content(t)
            if ok:
                valid.append(i)
        tax = _taxonomy()
        cache: dict = {}

        def ids_of(norm):
            hit = cache.get(norm)
            if hit is None:
                hit = cache[norm] = join_ids(m[3] for m in tax.match(norm, normalized=True))
            return hit

        out = []
        if unit == "clause":
            from ..text._skills import split_clauses

            for i in valid:
                for k, clause in enumerate(split_clauses(normalize_text(texts[i]).lower())):
                    if is_no_content(clause):
                        continue
                    out.append((i, k, clause, ids_of(clause)))
        else:
            for i in valid:
                out.append((i, 0, texts[i], ids_of(normalize_text(texts[i]).lower())))
        rows = pd.DataFrame(out, columns=_UNIT_COLUMNS)
    rows = rows[_UNIT_COLUMNS].astype({"text_index": "int64", "clause_id": "int64"})
    rows["unit"] = rows["unit"].astype(object)
    rows["competency_id"] = rows["competency_id"].astype(object)
    return rows.reset_index(drop=True)


def _gap_units(texts: list, pols: list, *, unit: str) -> pd.DataFrame:
    """Units of the texts with a gap mention (``extract_skills`` with each text's default
    polarity, gap mentions only): per clause, or per comment; ``text_index, clause_id, unit,
    competency_id`` (ids ``;``-joined in mention order), sorted by text and clause.

    Works on distinct normalised texts (the units of each are built once and repeated); inside
    ``text_cache()`` the analysis is shared with the pipeline's own ``extract_skills`` calls.
    """
    from ..text._skills import analyse_values

    tax = _taxonomy()
    strings = np.array([t is not None for t in texts], dtype=bool)
    pol_arr = np.asarray(pols, dtype=object)
    parts = []
    for pol in sorted(set(pol_arr[strings].tolist())):
        if pol not in ("neutral", "gap", "strength"):
            raise ConfigError("未知的默认极性（default_polarity）",
                              expected="'neutral'、'gap' 或 'strength'", found=repr(pol))
        idx = np.flatnonzero(strings & (pol_arr == pol))
        vals = [texts[i] for i in idx]
        slot, _, found_by_slot = analyse_values(vals, vals, tax, None, pol)
        # the units of each distinct text: (clause_id, clause, competency ids), grouped by slot
        flat = [(s, k, clause, cid) for s, found in enumerate(found_by_slot)
                for k, clause, _, cid, p, _, _ in found if p == "gap"]
        f_slot = np.fromiter((r[0] for r in flat), dtype=np.int64, count=len(flat))
        key = f_slot if unit == "comment" else \
            f_slot * (1 + max((r[1] for r in flat), default=0)) + \
            np.fromiter((r[1] for r in flat), dtype=np.int64, count=len(flat))
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(flat) else \
            np.zeros(0, dtype=np.int64)
        sizes = np.diff(np.r_[starts, len(flat)])
        u_comp = [flat[a][3] if m == 1 else join_ids(r[3] for r in flat[a:a + m])
                  for a, m in zip(starts.tolist(), sizes.tolist())]
        u_clause = [0] * len(starts) if unit == "comment" else [flat[a][1] for a in starts.tolist()]
        u_unit = [None] * len(starts) if unit == "comment" else [flat[a][2] for a in starts.tolist()]
        n_units = np.bincount(f_slot[starts], minlength=len(found_by_slot)).astype(np.int64)
        has = slot >= 0
        cnt = np.zeros(len(idx), dtype=np.int64)
        cnt[has] = n_units[slot[has]]
        start = np.r_[0, np.cumsum(n_units)[:-1]] if len(n_units) else np.zeros(0, dtype=np.int64)
        rows_with = np.flatnonzero(cnt > 0)
        c = cnt[rows_with]
        first = np.cumsum(c) - c
        take = np.repeat(start[slot[rows_with]] - first, c) + np.arange(int(c.sum()))
        text_index = idx[np.repeat(rows_with, c)]
        unit_col = np.asarray(u_unit, dtype=object)[take] if unit == "clause" else \
            np.array([texts[i] for i in text_index], dtype=object)
        parts.append((text_index, np.asarray(u_clause, dtype=np.int64)[take], unit_col,
                      np.asarray(u_comp, dtype=object)[take]))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in _UNIT_COLUMNS})
    cols = [np.concatenate([p[i] for p in parts]) for i in range(4)]
    order = np.argsort(cols[0], kind="stable")  # each text's units come from one part, in order
    return pd.DataFrame({name: col[order] for name, col in zip(_UNIT_COLUMNS, cols)})


def join_ids(values) -> str:
    seen = []
    for v in values:
        for part in str(v).split(";"):
            if part and part not in seen:
                seen.append(part)
    return ";".join(seen)


