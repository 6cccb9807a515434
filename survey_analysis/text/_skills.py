"""Skill mentions with gap / strength polarity in employer and graduate comments."""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ._cache import active_cache
from ._normalize import status_and_norm
from ._taxonomy import Taxonomy, load_taxonomy

__all__ = ["extract_skills", "STATUSES"]

#: per-comment status values, in report order
STATUSES = ("mention", "no_mention", "no_content", "empty", "invalid")
MENTION_COLUMNS = ["comment_id", "clause_id", "clause", "matched", "competency_id", "competency",
                   "category", "polarity", "cue"]
_MASK = "\ue000"  # private-use character that replaces matched aliases before cue search
_FILLER = r"(?:什么|太|很|那么|特别|多大|任何|怎么|是|算)?"
#: clause punctuation that always ends a clause, whatever its context (first branch of the split)
_PIECE_CHARS = "。！？!?；;，,\n\r…"
_PIECE_SPLIT_RE = re.compile(f"([{_PIECE_CHARS}]+)")
_WORD_RE = re.compile(r"\w")


@lru_cache(maxsize=1)
def _rules():
    import yaml

    data = yaml.safe_load(resources.files("survey_analysis.text").joinpath("resources")
                          .joinpath("cues.yaml").read_text(encoding="utf-8"))
    pol = {}
    for kind in ("neutral", "strength", "gap"):  # gap last: it wins a word listed twice
        for w in data[kind]:
            pol[str(w).lower()] = kind
    cue_re = re.compile("|".join(
        (rf"(?<![a-z]){re.escape(w)}(?![a-z])" if w.isascii() and w.isalpha() else re.escape(w))
        for w in sorted(pol, key=len, reverse=True)))
    negators = [str(w).lower() for w in data["negators"]]
    neg_alt = "|".join(re.escape(w) for w in sorted(negators, key=len, reverse=True))
    neg_end = re.compile(rf"(?:{neg_alt})\s*{_FILLER}\s*$")
    want_alt = "|".join(re.escape(w) for w in sorted(data["want"], key=len, reverse=True))
    want_end = re.compile(rf"(?:{want_alt}){_FILLER}$")
    directive = frozenset(str(w).lower() for w in data["directive"])
    typos = {str(k): str(v) for k, v in (data.get("typos") or {}).items()}
    typo_re = re.compile("|".join(re.escape(k) for k in sorted(typos, key=len, reverse=True))) \
        if typos else None
    contrast = sorted((str(w).lower() for w in data["contrast"]), key=len, reverse=True)
    zh_contrast = [w for w in contrast if not w.isascii()]
    en_contrast = [w for w in contrast if w.isascii()]
    split_re = re.compile(
        rf"[{_PIECE_CHARS}]+"                           # sentence / clause punctuation
        r"|(?<![a-z0-9])\.(?![0-9])"                  # a full stop that is not a decimal point
        r"|(?:^|(?<=\s)|(?<=[\u4e00-\u9fff]))(?:\d{1,2}|[a-h])[.、)）](?!\d)"  # 1. 2、 a) list markers
        r"|[（(]\d{1,2}[)）]|[①-⑳]"
        r"|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])"   # a space between Chinese phrases
        r"|(?=" + "|".join(re.escape(w) for w in zh_contrast) + r")"
        r"|\s+(?:" + "|".join(re.escape(w) for w in en_contrast) + r")\s+"
    )
    elab_re = re.compile("|".join(re.escape(w) for w in sorted(data.get("elaboration", []), key=len,
                                                                   reverse=True)) or "(?!)")
    wish_re = re.compile("|".join(re.escape(w) for w in data.get("wish", [])) or "(?!)")
    # 有 after 还/所/只/都/没 is a connective or a negation (还有项目经验 = "and also …")
    have_alt = "|".join(r"(?<![还所只都没另])有" if w == "有" else re.escape(w)
                        for w in sorted(data.get("have", []), key=len, reverse=True))
    have_end = re.compile(rf"(?:{have_alt or '(?!)'})$")
    # the text can be cut at clause punctuation before typo fixing and splitting when no typo
    # rule contains such punctuation (then no typo spans two pieces, see _analyse_text)
    piece_ok = not any(ch in _PIECE_CHARS for k, v in typos.items() for ch in k + v)
    return {"have_end": have_end, "elab_re": elab_re, "wish_re": wish_re, "pol": pol, "cue_re": cue_re, "neg_end": neg_end, "want_end": want_end,
            "negators": frozenset(negators), "directive": directive, "typos": typos,
            "typo_re": typo_re, "split_re": split_re, "piece_ok": piece_ok}


def _flip(p: str) -> str:
    return {"gap": "strength", "strength": "gap"}.get(p, p)


def split_clauses(text: str) -> list[str]:
    """Split a normalised, lower-cased comment into clauses (punctuation, list markers, 但/不过 …)."""
    parts = _rules()["split_re"].split(text)
    return [p.strip() for p in parts if p and p.strip() and _WORD_RE.search(p)]


def _cues(masked: str, rules) -> list[tuple[int, int, str, str]]:
    """Cues in a clause with aliases masked: (start, end, text, polarity after negation)."""
    pol = rules["pol"]
    raw = [(m.start(), m.end(), m.group(0)) for m in rules["cue_re"].finditer(masked)]
    out: list[list] = []
    prev_end = 0
    skip_next_flip = False
    for i, (s, e, w) in enumerate(raw):
        p = pol[w]
        gap_text = masked[prev_end:s]
        merged = False
        if out and out[-1][2] in rules["negators"] and re.fullmatch(_FILLER, gap_text):
            # "没有 不足", "不够 扎实": the previous cue was a negator of this one
            prev = out.pop()
            s = prev[0]
            w = prev[2] + gap_text + w
            p = _flip(p) if p != "neutral" else "neutral"
            merged = True
        if not merged:
            if rules["neg_end"].search(gap_text) and p != "neutral":
                p = _flip(p)
            elif rules["want_end"].search(gap_text) and p == "strength":
                p = "gap"
        out.append([s, e, w, p])
        prev_end = e
    return [tuple(c) for c in out if c[3] != "neutral"]


def _neg_before(masked: str, start: int, rules) -> bool:
    return bool(rules["neg_end"].search(masked[max(0, start - 6):start]))


def _analyse_clause(clause: str, tax: Taxonomy, rules):
    """One clause → (mentions [(matched, id, polarity, cue)], cues)."""
    mentions = tax.match(clause, normalized=True)
    if not mentions:
        return [], _cues(clause, rules)
    chars = list(clause)
    for s, e, _, _ in mentions:
        chars[s:e] = _MASK * (e - s)
    masked = "".join(chars)
    cues = _cues(masked, rules)
    out = []
    for k, (s, e, matched, cid) in enumerate(mentions):
        inherent = tax.alias_polarity(matched)
        polarity, cue = "neutral", ""
        before = [c for c in cues if c[1] <= s]
        after = [c for c in cues if c[0] >= e]
        if inherent is not None:
            nxt = mentions[k + 1][0] if k + 1 < len(mentions) else len(clause)
            own_after = [c for c in after if c[1] <= nxt]
            if own_after:  # "严谨细致方面有待提高" → gap; "依赖性强" stays a gap
                after_pol = own_after[0][3]
                polarity = "gap" if "gap" in (inherent, after_pol) else "strength"
                cue = own_after[0][2]
            else:
                polarity = _flip(inherent) if _neg_before(masked, s, rules) else inherent
                cue = matched
        else:
            directive = [c for c in before if c[3] == "gap" and c[2] in rules["directive"]]
            if directive:
                polarity, cue = "gap", directive[-1][2]
            elif after:
                polarity, cue = after[0][3], after[0][2]
            elif before:
                polarity, cue = before[-1][3], before[-1][2]
            else:
                have = rules["have_end"].search(masked[max(0, s - 3):s])
                if have and not rules["neg_end"].search(masked[max(0, s - 5):s - len(have.group(0))]
                                                       + "有"):
                    polarity, cue = "strength", have.group(0)  # 有责任心, 具备创新意识
        out.append((matched, cid, polarity, cue))
    return out, cues


def _clause_entry(clause: str, tax: Taxonomy, rules, segmenter, cache) -> tuple:
    """What the comment-level rules need of one clause, computed once per distinct clause.

    ``(clause, mentions, all_neutral, last_polarity, elaboration, wish)``: ``last_polarity`` is
    the judgement the clause ends with (last polar mention, else last cue), before inheritance.
    """
    hit = cache.get(clause)
    if hit is None:
        found, cues = _analyse_clause(clause, tax, rules)
        if segmenter is not None and found:
            found = _on_token_boundaries(clause, found, segmenter)
        polar = [f[2] for f in found if f[2] != "neutral"]
        last = polar[-1] if polar else (cues[-1][3] if cues else None)
        hit = (clause, found, bool(found) and not polar, last,
               rules["elab_re"].match(clause) is not None, rules["wish_re"].match(clause) is not None)
        cache[clause] = hit
    return hit


def _piece_entries(prev: str, piece: str, tax: Taxonomy, rules, segmenter, cache) -> tuple:
    """Clause entries of one piece of a lower-cased comment (text between clause punctuation).

    ``prev`` is the punctuation character before the piece ("" at the start of the comment): the
    split rules look one character back, so ``prev + piece`` splits exactly as the piece does
    inside the whole comment (``prev`` itself is consumed as punctuation).
    """
    if rules["typo_re"] is not None:
        piece = rules["typo_re"].sub(lambda m: rules["typos"][m.group(0)], piece)
    return tuple(_clause_entry(c, tax, rules, segmenter, cache) for c in split_clauses(prev + piece))


def _analyse_text(norm: str, tax: Taxonomy, rules, segmenter=None, cache=None) -> list[tuple]:
    """All mentions of one normalised comment: (clause_id, clause, matched, id, polarity, cue).

    The comment is cut at clause punctuation into pieces; each distinct piece (with the character
    before it) is split and analysed once per ``cache``, so a comment costs a split and a few
    dictionary look-ups.  Equal to :func:`_analyse_text_reference` (tested).
    """
    if cache is None:
        cache = {}
    text = norm.lower()
    if rules["piece_ok"]:
        parts = _PIECE_SPLIT_RE.split(text)
    else:  # pragma: no cover - a typo rule with punctuation: no piece-wise shortcut
        if rules["typo_re"] is not None:
            text = rules["typo_re"].sub(lambda m: rules["typos"][m.group(0)], text)
        parts = [text]
    rows = []
    prev_pol = None  # the judgement the previous clause ended with
    wish = False     # a clause started with 希望 / 建议 ...
    k = 0
    prev = ""
    any_neutral = False
    for j in range(0, len(parts), 2):
        piece = parts[j]
        if j:
            prev = parts[j - 1][-1]
        if not piece:
            continue
        # what the piece adds depends only on the piece, the state it starts in and the number
        # of clauses before it
        key = (k, prev, piece, prev_pol, wish)
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = _piece_transfer(k, prev, piece, prev_pol, wish, tax, rules,
                                               segmenter, cache)
        found, n_clauses, prev_pol, wish, neutral = hit
        if found:
            rows.extend(found)
            any_neutral = any_neutral or neutral
        k += n_clauses
    if any_neutral and len(rows) > 1:
        # a neutral mention is dropped when the same competency is judged elsewhere in the
        # comment (the one-(competency, polarity)-per-clause rule is applied per piece)
        judged = {r[3] for r in rows if r[4] != "neutral"}
        if judged:
            rows = [r for r in rows if r[4] != "neutral" or r[3] not in judged]
    return rows


def _piece_transfer(k0, prev, piece, prev_pol, wish, tax, rules, segmenter, cache) -> tuple:
    """``(mentions, n_clauses, prev_pol, wish, any_neutral)`` of a piece that starts at clause
    ``k0`` in the state ``(prev_pol, wish)``: the mentions ``(clause_id, clause, matched, id,
    polarity, cue)`` with the polarity inherited from the state (elaboration, wish) and one
    (competency, polarity) per clause, and the state after the piece."""
    if k0:
        base = (0, prev, piece, prev_pol, wish)
        hit = cache.get(base)
        if hit is None:
            hit = cache[base] = _piece_transfer(0, prev, piece, prev_pol, wish, tax, rules,
                                                segmenter, cache)
        found, n, pp, w, neutral = hit
        return tuple((k0 + r[0],) + r[1:] for r in found), n, pp, w, neutral
    key = (prev, piece)
    entries = cache.get(key)
    if entries is None:
        entries = cache[key] = _piece_entries(prev, piece, tax, rules, segmenter, cache) \
            if rules["piece_ok"] else tuple(_clause_entry(c, tax, rules, segmenter, cache)
                                            for c in split_clauses(piece))
    rows = []
    for k, (clause, found, all_neutral, last, elab, wish_clause) in enumerate(entries):
        if all_neutral:
            inherit = None
            if elab and prev_pol in ("gap", "strength"):
                inherit = prev_pol
            elif wish:
                inherit = "gap"
            if inherit:
                found = [(m, c, inherit, "(上文)") for m, c, _, _ in found]
                last = inherit
        seen = set()
        for matched, cid, polarity, cue in found:
            if (cid, polarity) in seen:
                continue
            seen.add((cid, polarity))
            rows.append((k, clause, matched, cid, polarity, cue))
        if wish_clause:
            wish = True
        prev_pol = last
    return (tuple(rows), len(entries), prev_pol, wish, any(r[4] == "neutral" for r in rows))


def _analyse_text_reference(norm: str, tax: Taxonomy, rules, segmenter=None, cache=None) -> list[tuple]:
    """The comment-at-a-time version of :func:`_analyse_text` (kept as the tests' reference)."""
    text = norm.lower()
    if rules["typo_re"] is not None:
        text = rules["typo_re"].sub(lambda m: rules["typos"][m.group(0)], text)
    rows = []
    prev_pol = None  # the judgement the previous clause ended with
    wish = False     # a clause started with 希望 / 建议 ...
    for k, clause in enumerate(split_clauses(text)):
        hit = cache.get(clause) if cache is not None else None
        if hit is None:
            found, cues = _analyse_clause(clause, tax, rules)
            if segmenter is not None and found:
                found = _on_token_boundaries(clause, found, segmenter)
            if cache is not None:
                cache[clause] = (found, cues)
        else:
            found, cues = hit
        if found and all(f[2] == "neutral" for f in found):
            inherit = None
            if rules["elab_re"].match(clause) and prev_pol in ("gap", "strength"):
                inherit = prev_pol
            elif wish:
                inherit = "gap"
            if inherit:
                found = [(m, c, inherit, "(上文)") for m, c, _, _ in found]
        for matched, cid, polarity, cue in found:
            rows.append((k, clause, matched, cid, polarity, cue))
        if rules["wish_re"].match(clause):
            wish = True
        polar = [f[2] for f in found if f[2] != "neutral"] or [c[3] for c in cues]
        prev_pol = polar[-1] if polar else None
    # one (competency, polarity) per clause; a neutral mention is dropped when the same
    # competency is judged elsewhere in the comment
    judged = {r[3] for r in rows if r[4] != "neutral"}
    out, seen = [], set()
    for r in rows:
        if r[4] == "neutral" and r[3] in judged:
            continue
        key = (r[0], r[3], r[4])
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def _on_token_boundaries(clause, found, segmenter):
    tokens = segmenter.__class__(stopwords=False, backend=segmenter.backend,
                                 user_words=segmenter.user_words).cut(clause) \
        if segmenter.stopwords is not False else segmenter.cut(clause)
    bounds, pos = {0}, 0
    for t in tokens:
        i = clause.find(t.lower(), pos)
        if i < 0:
            continue
        bounds.update((i, i + len(t)))
        pos = i + len(t)
    keep = []
    for item in found:
        i = clause.find(item[0])
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


def _analyse_values(comments, values, tax, segmenter, default_polarity):
    """Status and mentions of every comment, each distinct text analysed once.

    Returns ``(slot, status, found_by_slot)``: per comment the slot of its normalised text
    (-1 when it has none to analyse) and its status (``invalid``/``empty``/``no_content``, or
    ``text`` — refined to ``mention``/``no_mention`` by the caller); per slot the mentions
    ``(clause_id, clause, matched, competency_id, polarity, cue)`` with ``default_polarity``
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
        memo = run.store(("skills:text", id(tax)))  # norm → mentions
        # norm → mentions with the default polarity applied
        memo_d = run.store(("skills:text", id(tax), default_polarity)) \
            if default_polarity != "neutral" else memo
        run.store("skills:tax")[id(tax)] = tax  # keeps the id valid while the cache lives
        piece_cache = run.store(("skills:piece", id(tax)))
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
    out, seen = [], set()
    for k, clause, matched, cid, pol, cue in found:
        if pol == "neutral":
            pol = default_polarity
        key = (k, cid, pol)
        if key in seen:
            continue
        seen.add(key)
        out.append((k, clause, matched, cid, pol, cue))
    return out


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
        polarity, cue``; ``mentions.attrs["status_counts"]`` is a dict status → number of
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
    if isinstance(comments, (str, bytes)) or comments is None:
        raise ConfigError("comments 必须是一组评论（列表或 Series），不能是单个字符串",
                          expected="list / Series of str", found=type(comments).__name__,
                          hint="单条评论请写成 [评论]。")
    if isinstance(comments, pd.Series):
        values = comments  # factorised below: no list of every value
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
    tax = taxonomy if taxonomy is not None else load_taxonomy()

    n = len(values)
    slot, u_status, found_by_slot = _analyse_values(comments, values, tax, segmenter, default_polarity)
    status = u_status
    n_per_slot = np.fromiter((len(f) for f in found_by_slot), dtype=np.int64, count=len(found_by_slot))
    flat = [item for found in found_by_slot for item in found]  # grouped by slot, in order
    info = tax._info()
    cids = [r[3] for r in flat]
    uniq = pd.DataFrame({
        "_slot": np.repeat(np.arange(len(found_by_slot), dtype=np.int64), n_per_slot),
        "clause_id": np.fromiter((r[0] for r in flat), dtype=np.int64, count=len(flat)),
        "clause": [r[1] for r in flat], "matched": [r[2] for r in flat], "competency_id": cids,
        "polarity": [r[4] for r in flat], "cue": [r[5] for r in flat],
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
