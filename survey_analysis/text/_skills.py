"""Skill mentions with gap / strength polarity in employer and graduate comments.

Clause-level polarity (cue words and their scope, tools) lives in :mod:`._polarity`; this module
strings the clauses of a comment together (a contrast clause re-judges what the clause before it
named, a wish carries over to later clauses, an elaboration clause inherits the judgement before
it) and builds the mention table.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ._cache import active_cache
from ._normalize import status_and_norm
from ._polarity import PIECE_CHARS, analyse_clause, rules, split_clauses
from ._taxonomy import Taxonomy, load_taxonomy

__all__ = ["extract_skills", "analyse_values", "STATUSES"]

#: per-comment status values, in report order
STATUSES = ("mention", "no_mention", "no_content", "empty", "invalid")
MENTION_COLUMNS = ["comment_id", "clause_id", "clause", "matched", "competency_id", "competency",
                   "category", "polarity", "cue", "tool"]
_PIECE_SPLIT_RE = re.compile(f"([{PIECE_CHARS}]+)")


def _rules():
    """The cue rules (kept under this name for the tests and :mod:`._keywords`)."""
    return rules()


def _clause_entry(clause: str, tax: Taxonomy, R, segmenter, cache) -> tuple:
    """What the comment-level rules need of one clause, computed once per distinct clause:
    ``(clause, mentions, last_polarity, elaboration, wish, contrast, concessive)``; mentions are
    ``(matched, id, polarity, cue, tool)``; ``last_polarity`` is the judgement the clause ends
    with (last polar mention, else last cue)."""
    hit = cache.get(clause)
    if hit is None:
        found, cues = analyse_clause(clause, tax, R)
        if segmenter is not None and found:
            found = _on_token_boundaries(clause, found, segmenter)
        polar = [f[2] for f in found if f[2] != "neutral"]
        last = polar[-1] if polar else (cues[-1][3] if cues else None)
        hit = (clause, tuple(found), last, R["elab_re"].match(clause) is not None,
               R["wish_re"].match(clause) is not None, R["contrast_start_re"].match(clause) is not None,
               R["concessive_re"].match(clause) is not None)
        cache[clause] = hit
    return hit


def _fix_typos(text: str, R) -> str:
    return R["typo_re"].sub(lambda m: R["typos"][m.group(0)], text) if R["typo_re"] is not None else text


def _text_entries(norm: str, tax: Taxonomy, R, segmenter, cache) -> list:
    """Clause entries of a comment; each distinct piece between clause punctuation is typo-fixed,
    split and analysed once per ``cache`` (a piece splits the same inside any comment: the split
    rules never look across clause punctuation)."""
    if not R["piece_ok"]:  # pragma: no cover - a typo rule with punctuation: no piece shortcut
        return [_clause_entry(c, tax, R, segmenter, cache) for c in split_clauses(_fix_typos(norm, R))]
    entries = []
    parts = _PIECE_SPLIT_RE.split(norm)
    for j in range(0, len(parts), 2):
        piece = parts[j]
        if not piece:
            continue
        # the split rules look one character back (list markers): the punctuation before the
        # piece goes with it, so the piece splits exactly as it does inside the comment
        prev = parts[j - 1][-1] if j else ""
        key = ("piece", prev, piece)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = tuple(_clause_entry(c, tax, R, segmenter, cache)
                                     for c in split_clauses(_fix_typos(prev + piece, R)))
        entries.extend(hit)
    return entries


def _comment_rows(entries) -> list[tuple]:
    """The mentions of one comment from its clause entries: ``(clause_id, clause, matched, id,
    polarity, cue, tool)``, one row per (clause, competency, polarity) with the tools named joined
    by ``;``; a neutral mention is dropped when its competency is judged elsewhere."""
    rows = []
    drop = set()     # (clause_id, id, polarity) re-judged by a later contrast clause
    prev_pol = None  # the judgement the previous clause ended with
    wish = False     # a clause started with 希望 / 建议 ...
    carry = None     # (clause_id, clause, mentions, concessive) a contrast clause may re-judge
    for k, (clause, found, last, elab, wish_clause, contrast, concessive) in enumerate(entries):
        quote = clause
        if not found and last in ("gap", "strength") and carry is not None and (contrast or carry[4]):
            # 英语证书拿到了，但用起来不行 / 至少在专业知识方面，学生很扎实: a clause that judges
            # without naming anything judges what the clause before named without judging it
            # (or, after a contrast word, what a concessive clause 虽然… judged)
            ck, cclause, cfound, _, _ = carry
            found = [(m, c, last, "(转折)" if contrast else "(上文)", t) for m, c, p, _, t in cfound]
            drop.update((ck, c, p) for _, c, p, _, _ in cfound if p != "neutral")
            quote = f"{cclause}，{clause}"
        elif found and all(f[2] == "neutral" for f in found):
            inherit = None
            if elab and prev_pol in ("gap", "strength"):
                inherit = prev_pol
            elif wish:
                inherit = "gap"
            if inherit:
                found = [(m, c, inherit, "(上文)", t) for m, c, _, _, t in found]
                last = inherit
        neutral_only = bool(found) and all(f[2] == "neutral" for f in found)
        carry = (k, clause, found, concessive, neutral_only) if concessive or neutral_only else None
        merged: dict = {}
        for matched, cid, polarity, cue, tool in found:
            key = (cid, polarity)
            if key not in merged:
                merged[key] = [matched, cue, []]
            if tool and tool not in merged[key][2]:
                merged[key][2].append(tool)
        for (cid, polarity), (matched, cue, tools) in merged.items():
            rows.append((k, quote, matched, cid, polarity, cue, ";".join(tools)))
        if wish_clause:
            wish = True
        prev_pol = last
    if drop:
        rows = [r for r in rows if (r[0], r[3], r[4]) not in drop]
    if len(rows) > 1 and any(r[4] == "neutral" for r in rows):
        judged = {r[3] for r in rows if r[4] != "neutral"}
        if judged:
            # a neutral mention is dropped when its competency is judged elsewhere in the
            # comment, unless it names a tool the judged rows do not (熟练使用SQL，会用Python)
            named = {(r[3], t) for r in rows if r[4] != "neutral" for t in r[6].split(";") if t}
            rows = [r for r in rows if r[4] != "neutral" or r[3] not in judged
                    or any(t and (r[3], t) not in named for t in r[6].split(";"))]
    return rows


def _analyse_text(norm: str, tax: Taxonomy, R, segmenter=None, cache=None) -> list[tuple]:
    """All mentions of one normalised comment (see :func:`_comment_rows`); each distinct piece
    of text between clause punctuation is analysed once per ``cache``.  Equal to
    :func:`_analyse_text_reference` (tested)."""
    return _comment_rows(_text_entries(norm, tax, R, segmenter, {} if cache is None else cache))


def _analyse_text_reference(norm: str, tax: Taxonomy, R, segmenter=None, cache=None) -> list[tuple]:
    """The comment-at-a-time version of :func:`_analyse_text` (kept as the tests' reference)."""
    cache = {} if cache is None else cache
    entries = [_clause_entry(c, tax, R, segmenter, cache) for c in split_clauses(_fix_typos(norm, R))]
    return _comment_rows(entries)


def _on_token_boundaries(clause, found, segmenter):
    tokens = segmenter.__class__(stopwords=False, backend=segmenter.backend,
                                 user_words=segmenter.user_words).cut(clause) \
        if segmenter.stopwords is not False else segmenter.cut(clause)
    bounds, pos = {0}, 0
    low = clause.lower()
    for t in tokens:
        i = low.find(t.lower(), pos)
        if i < 0:
            continue
        bounds.update((i, i + len(t)))
        pos = i + len(t)
    keep = []
    for item in found:
        i = low.find(item[0].lower())
        if i < 0 or (i in bounds and i + len(item[0]) in bounds):
            keep.append(item)
    return keep


def _factorize(comments, values):
    """``(codes, uniques)`` of the comments (code -1 = missing), or ``(None, None)`` when some
    value cannot be hashed."""
    try:
        if isinstance(comments, pd.Series):
            codes, uniques = pd.factorize(comments, use_na_sentinel=True)
        else:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    except (TypeError, ValueError):
        return None, None
    return np.asarray(codes, dtype=np.int64), (uniques.tolist() if hasattr(uniques, "tolist")
                                               else list(uniques))


def analyse_values(comments, values, tax, segmenter, default_polarity):
    """Status and mentions of every comment, each distinct text analysed once.

    Returns ``(slot, status, found_by_slot)``: per comment the slot of its normalised text
    (-1 when it has none to analyse) and its status (``invalid``/``empty``/``no_content``, or
    ``text`` — refined to ``mention``/``no_mention`` by the caller); per slot the mentions
    ``(clause_id, clause, matched, competency_id, polarity, cue, tool)`` with ``default_polarity``
    applied (a (clause, competency, polarity) pair once).  Inside ``text_cache()`` the
    normalisation and the analysis of each distinct text are shared with other calls.
    """
    rules = _rules()
    n = len(values)
    run = active_cache()  # shared with other calls inside ``with text_cache()`` (pipeline)
    limit = run.max_entries if run is not None else n + 1
    raw_cache: dict = run.store("skills:raw") if run is not None else {}  # raw → (status, norm)
    codes, uniques = _factorize(comments, values)
    if codes is None:  # unhashable objects among the values: one look-up per value
        codes = np.full(n, -1, dtype=np.int64)
        uniques, pos = [], {}
        for i, v in enumerate(values):
            if isinstance(v, str):
                j = pos.get(v)
                if j is None:
                    j = pos[v] = len(uniques)
                    uniques.append(v)
                codes[i] = j
    norm_slot: dict[str, int] = {}
    setdefault = norm_slot.setdefault
    get = raw_cache.get
    status_list, slot_list = [], []
    for v in uniques:
        if type(v) is not str and not isinstance(v, str):
            status_list.append("invalid")
            slot_list.append(-1)
            continue
        hit = get(v)
        if hit is None:
            hit = status_and_norm(v)
            if len(raw_cache) < limit:
                raw_cache[v] = hit
        st, norm = hit
        status_list.append(st)
        slot_list.append(setdefault(norm, len(norm_slot)) if st == "text" else -1)
    status_list.append("invalid")  # code -1: None / NaN / not a string
    slot_list.append(-1)
    u_status = np.array(status_list, dtype=object)
    u_slot = np.array(slot_list, dtype=np.int64)

    if run is not None and segmenter is None:
        memo = run.store(("skills:text", tax))  # norm → mentions (keyed by the taxonomy object)
        # norm → mentions with the default polarity applied
        memo_d = run.store(("skills:text", tax, default_polarity)) \
            if default_polarity != "neutral" else memo
        piece_cache = run.store(("skills:piece", tax))
    else:
        memo = memo_d = None
        piece_cache = {}  # piece → clause entries, clause → entry
    found_by_slot = []
    for norm in norm_slot:
        found = memo_d.get(norm) if memo_d is not None else None
        if found is None:
            found = memo.get(norm) if memo is not None else None
            if found is None:
                found = _analyse_text(norm, tax, rules, segmenter, piece_cache)
                if memo is not None and len(memo) < limit:
                    memo[norm] = found
                if len(piece_cache) > 2 * limit:  # pragma: no cover - bounded
                    piece_cache.clear()
            if default_polarity != "neutral" and found:
                found = _with_default(found, default_polarity)
                if memo_d is not None and len(memo_d) < limit:
                    memo_d[norm] = found
        found_by_slot.append(found)
    return u_slot[codes], u_status[codes], found_by_slot


def _with_default(found, default_polarity):
    """Neutral mentions take ``default_polarity``; a (clause, competency, polarity) once."""
    if all(r[4] != "neutral" for r in found):
        return found
    out, pos = [], {}
    for k, clause, matched, cid, pol, cue, tool in found:
        if pol == "neutral":
            pol = default_polarity
        key = (k, cid, pol)
        i = pos.get(key)
        if i is not None:  # a neutral mention joins the judged one of the same clause
            if tool:
                r = out[i]
                tools = [t for t in r[6].split(";") if t]
                tools += [t for t in tool.split(";") if t not in tools]
                out[i] = r[:6] + (";".join(tools),)
            continue
        pos[key] = len(out)
        out.append((k, clause, matched, cid, pol, cue, tool))
    return out


def _check_inputs(comments, ids, default_polarity: str) -> tuple:
    """``(values, ids)`` of :func:`extract_skills`' arguments, or a clear error."""
    if isinstance(comments, (str, bytes)) or comments is None:
        raise ConfigError("comments 必须是一组评论（列表或 Series），不能是单个字符串",
                          expected="list / Series of str", found=type(comments).__name__,
                          hint="单条评论请写成 [评论]。")
    if isinstance(comments, pd.Series):
        values = comments  # factorised later: no list of every value
        default_ids = comments.index.tolist()
    else:
        values = list(comments)
        default_ids = list(range(len(values)))
    if ids is None:
        ids = default_ids
    else:
        ids = ids.tolist() if isinstance(ids, (pd.Series, pd.Index)) else list(ids)
        if len(ids) != len(values):
            raise ConfigError("ids 的数量与评论数量不一致", expected=f"{len(values)} 个 id",
                              found=f"{len(ids)} 个")
    if default_polarity not in ("neutral", "gap", "strength"):
        raise ConfigError("未知的默认极性（default_polarity）", expected="'neutral'、'gap' 或 'strength'",
                          found=repr(default_polarity))
    return values, ids


def extract_skills(comments, *, ids=None, taxonomy: Taxonomy | None = None, segmenter=None,
                   default_polarity: str = "neutral", return_summary: bool = False):
    """Find competency mentions and their polarity in comments, one row per mention.

    Each comment is normalised (full-width → half-width, traditional → simplified, common typos
    fixed), split into clauses (punctuation, list markers ``1.``/``①``, contrast words 但/不过/就是)
    and matched against the taxonomy's names, aliases and tools (one compiled regex,
    leftmost-longest).  A mention's polarity comes from the cues of its clause
    (``resources/cues.yaml``): a directive before it (希望/建议/加强 …) → ``gap``; otherwise
    the first cue after it, else the last cue before it (so one cue covers several skills:
    "沟通和表达能力有待提高"); a negator flips a cue (不缺乏, 并不差, 没有不足 → strength;
    不强, 不扎实 → gap); aliases such as 浮躁 or 认真负责 carry their own polarity.  No cue →
    ``neutral``.  Within a clause a (competency, polarity) pair is reported once.  Each distinct
    text is analysed once.

    Parameters
    ----------
    comments : Series, list or array of str
        The comments; None, NaN and numbers are allowed and counted as ``invalid``.
    ids : sequence, optional
        Comment ids (default: the Series index, else 0..n-1).
    taxonomy : Taxonomy, optional
        Default :func:`load_taxonomy`.
    segmenter : Segmenter, optional
        When given, a mention must start and end on a token boundary of this segmenter
        (slower; by default alias matching alone decides).
    default_polarity : {"neutral", "gap", "strength"}, default "neutral"
        Polarity of a mention without any cue.  Use ``"gap"`` for answers to a question that
        asks what is lacking (毕业生最需加强的能力: "沟通能力、Excel" are gaps).
    return_summary : bool, default False
        Also return the per-comment status table.

    Returns
    -------
    mentions : DataFrame
        ``comment_id, clause_id, clause, matched, competency_id, competency, category,
        polarity, cue, tool``: one row per (comment, clause, competency, polarity); ``tool`` holds
        the canonical names of the tools named for it in the clause (``Python;SQL``, from the
        tool catalogue ``resources/tools.yaml`` or an unknown Latin-script name in a skill
        context), ``""`` when none; ``clause`` is the clause (for a judgement carried by a
        contrast clause, the two clauses); ``mentions.attrs["status_counts"]`` is a dict status → number of
        comments (``mention``, ``no_mention``, ``no_content``, ``empty``, ``invalid``; every
        input comment counted exactly once).
    status : DataFrame, only when ``return_summary=True``
        One row per input comment: ``comment_id, status, n_mentions``.

    Examples
    --------
    >>> m = extract_skills(["希望加强学生的实践动手能力，沟通表达有待提高", "无", None])
    >>> m[["comment_id", "competency_id", "polarity"]].values.tolist()
    [[0, 'practice', 'gap'], [0, 'communication', 'gap']]
    >>> m.attrs["status_counts"]
    {'mention': 1, 'no_mention': 0, 'no_content': 1, 'empty': 0, 'invalid': 1}
    """
    values, ids = _check_inputs(comments, ids, default_polarity)
    tax = taxonomy if taxonomy is not None else load_taxonomy()

    n = len(values)
    slot, u_status, found_by_slot = analyse_values(comments, values, tax, segmenter, default_polarity)
    status = u_status
    n_per_slot = np.fromiter((len(f) for f in found_by_slot), dtype=np.int64, count=len(found_by_slot))
    flat = [item for found in found_by_slot for item in found]  # grouped by slot, in order
    info = tax.info()
    cids = [r[3] for r in flat]
    uniq = pd.DataFrame({
        "_slot": np.repeat(np.arange(len(found_by_slot), dtype=np.int64), n_per_slot),
        "clause_id": np.fromiter((r[0] for r in flat), dtype=np.int64, count=len(flat)),
        "clause": [r[1] for r in flat], "matched": [r[2] for r in flat], "competency_id": cids,
        "polarity": [r[4] for r in flat], "cue": [r[5] for r in flat], "tool": [r[6] for r in flat],
        "competency": [info[c][0] for c in cids], "category": [info[c][1] for c in cids]})

    has_text = slot >= 0
    n_mentions = np.zeros(n, dtype=np.int64)
    n_mentions[has_text] = n_per_slot[slot[has_text]]
    status[has_text & (n_mentions > 0)] = "mention"
    status[has_text & (n_mentions == 0)] = "no_mention"

    # expand unique mentions to comments: the rows of ``uniq`` are grouped by slot, in order
    if len(uniq):
        start = np.r_[0, np.cumsum(n_per_slot)[:-1]]
        order = np.flatnonzero(n_mentions > 0)
        cnt = n_mentions[order]
        first = np.cumsum(cnt) - cnt
        take = np.repeat(start[slot[order]] - first, cnt) + np.arange(int(cnt.sum()))
        ids_arr = pd.Series(ids, dtype=object).to_numpy()
        out = uniq.iloc[take].reset_index(drop=True)
        out.insert(0, "comment_id", ids_arr[np.repeat(order, cnt)])
        out = out[MENTION_COLUMNS]
    else:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    out["clause_id"] = out["clause_id"].astype("int64")
    counts = {k: int((status == k).sum()) for k in STATUSES}
    out.attrs["status_counts"] = counts
    if not return_summary:
        return out
    summary = pd.DataFrame({"comment_id": pd.Series(ids, dtype=object),
                            "status": pd.Series(status.astype(str)),
                            "n_mentions": n_mentions})
    return out, summary
