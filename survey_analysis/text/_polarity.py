"""Polarity of skill mentions inside one clause, decided on words and their scope.

A cue (不足, 很强, 有待提高 …) counts only where it is a word of the clause or a whole part of a
word made of cues (有待提高 = 有待 + 提高, 不熟练 = 不 + 熟练): the character 应 inside 应届, 多
inside 多个, 差 inside 出差 or 少 inside 至少 is never a cue.  Words come from
:func:`~survey_analysis.text._segment.word_spans` (jieba's dictionary + the domain dictionary).

Scope rules, in order, for a mention without a polarity of its own:

1. the first cue after the mention (before the next mention) judges it -- made a gap by a want
   word before it (更强, 再好一点) or by a wish earlier in the clause (希望…很强);
2. else a directive before it (加强, 提高, 希望, 建议, 应该 …; 重视/培养/开设 … only when the
   clause asks for something: 希望, 建议, 能不能, 可否 …) makes it a gap;
3. else the last cue before it;
4. else 有/具有/具备 right before it is praise (有责任心);
5. a rhetorical 难道 … 不 … names a gap.

A negator directly before a cue (with a few words such as 什么/一次/因为 between) flips it; the
negator must start a word (是不是 and 能不能 are questions, not negations).  Tools: a tool of the
catalogue counts as a mention of its competency; short or common names (R, AI, PS …) only in a
skill context, as do Latin-script names that are not in the catalogue (熟悉 Kettle、Navicat).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["rules", "split_clauses", "analyse_clause", "MASK"]

#: private-use character that replaces matched aliases before cue search
MASK = "\ue000"
#: clause punctuation that always ends a clause, whatever its context
PIECE_CHARS = "。！？!?；;，,\n\r…"
_WORD_RE = re.compile(r"\w")
#: words between tokens that may separate the parts of a cue word (不够 扎实, 差 一点)
_PART_FILLER = ("一点", "一些", "些", "点", "了", "得", "很", "太", "较", "比较", "非常", "特别", "都", "也", "还",
                "就", "有点", "有些", "一下", "地", "挺", "蛮", "真", "相当", "十分", "极", "极其", "更", "最", "够",
                "较为", "相对", "有所", "稍", "稍微", "略", "略显", "偏", "越来越", "不太", "什么")
#: skill verbs: a tool name after one of them is a tool even when short (熟悉R, 会用PS)
SKILL_VERBS = ("熟悉", "熟练", "掌握", "精通", "会用", "会", "使用", "运用", "了解", "懂", "懂得", "学过", "用过",
               "接触过", "操作", "能用", "擅长", "熟练使用", "熟练掌握", "熟练运用", "具备", "学习", "学会")
#: words right after a tool that make it one (PS修图, R语言, AI排版)
_TOOL_AFTER = ("语言", "软件", "编程", "开发", "修图", "剪辑", "排版", "特效", "建模", "绘图", "制图", "画图",
               "框架", "工具", "证书", "考试", "操作", "调色", "渲染", "脚本", "数据库", "报表")
#: list separators between tools (Python、SQL 和 Power BI)
_LIST_SEP_RE = re.compile(r"^[\s、,，/和及与或以及跟+]*$")
_HAS_LATIN = re.compile(r"[A-Za-z]")
_LATIN_TOKEN_RE = re.compile(r"[a-z][a-z0-9+#.\-]*[a-z0-9+#]|[a-z]{2,}", re.IGNORECASE)
#: Latin words that are not tool names in a Chinese comment
_NOT_TOOLS = frozenset("""a an and or the of to in on at for is are be it its this that with by as from
not no yes ok okay app apps bug bugs pc hr ui ux web www com net cn etc vs eg ie good bad nice very
well skill skills team work job jobs word words level top more less best high low new old big one two
kpi ceo cto pm ppt""".split())


@lru_cache(maxsize=1)
def rules() -> dict:
    """The cue lexicon and regexes built from ``resources/cues.yaml`` (once per process)."""
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
    fill = "|".join(re.escape(w) for w in sorted(data["negation_filler"], key=len, reverse=True))
    filler = rf"(?:{fill}|{MASK})*"
    want = [str(w) for w in data["want"]]
    want_alt = "|".join(re.escape(w) for w in sorted(want, key=len, reverse=True))
    typos = {str(k): str(v) for k, v in (data.get("typos") or {}).items()}
    contrast = sorted((str(w).lower() for w in data["contrast"]), key=len, reverse=True)
    en_contrast = [w for w in contrast if w.isascii()]
    split_re = re.compile(
        rf"[{PIECE_CHARS}]+"                           # sentence / clause punctuation
        r"|(?<![a-z0-9])\.(?![0-9])"                  # a full stop that is not a decimal point
        r"|(?:^|(?<=\s)|(?<=[\u4e00-\u9fff]))(?:\d{1,2}|[a-h])[.、)）](?!\d)"  # 1. 2、 a) list markers
        r"|[（(]\d{1,2}[)）]|[①-⑳]"
        r"|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])"   # a space between Chinese phrases
        r"|\s+(?:" + "|".join(re.escape(w) for w in en_contrast) + r")\s+", re.IGNORECASE)
    have_alt = "|".join(r"(?<![还所只都没另])有" if w == "有" else re.escape(w)
                        for w in sorted(data.get("have", []), key=len, reverse=True))
    parts = ({w for w, p in pol.items() if p != "neutral"} | set(negators) | set(want) | set(_PART_FILLER))
    directive = frozenset(str(w).lower() for w in data["directive"])
    wish = frozenset(str(w) for w in data.get("wish", []))
    return {
        "pol": pol, "cue_re": cue_re, "negators": frozenset(negators),
        "neg_end": re.compile(rf"(?:{neg_alt})\s*{filler}\s*$"),
        "want_end": re.compile(rf"(?:{want_alt})(?:什么|太|很|那么|特别|是|算|能)?$"),
        "want_any": re.compile(want_alt),
        "directive": directive, "weak_directive": frozenset(str(w) for w in data["weak_directive"]),
        "wish_words": wish | frozenset({"希望", "建议", "期望", "期待", "盼望", "应", "应该", "应当", "需要", "务必"}),
        "request_re": re.compile("|".join(re.escape(w) for w in sorted(data["request"], key=len, reverse=True))),
        "rhetorical_re": re.compile("|".join(re.escape(w) for w in data["rhetorical"])),
        "denial_re": re.compile("^(?:谁说|谁讲)"),
        "not_worse_re": re.compile("(?:不比|不亚于|不输于)[^，,。；;]{0,8}$"),
        "concessive_re": re.compile("^(?:" + "|".join(re.escape(w) for w in data["concessive"]) + ")"),
        "typos": typos,
        "typo_re": re.compile("|".join(re.escape(k) for k in sorted(typos, key=len, reverse=True)))
        if typos else None,
        "split_re": split_re,
        "contrast": frozenset(w for w in contrast if not w.isascii()),
        "contrast_any_re": re.compile("|".join(re.escape(w) for w in contrast if not w.isascii())),
        "contrast_start_re": re.compile("^(?:" + "|".join(re.escape(w) for w in contrast) + ")",
                                        re.IGNORECASE),
        "elab_re": re.compile("|".join(re.escape(w) for w in sorted(data.get("elaboration", []), key=len,
                                                                    reverse=True)) or "(?!)"),
        "wish_re": re.compile("|".join(re.escape(w) for w in data.get("wish", [])) or "(?!)"),
        "have_end": re.compile(rf"(?:{have_alt or '(?!)'})$"),
        "parts": frozenset(parts),
        # the text can be cut at clause punctuation before typo fixing when no typo rule
        # contains such punctuation (then no typo spans two pieces)
        "piece_ok": not any(ch in PIECE_CHARS for k, v in typos.items() for ch in k + v),
    }


def flip(p: str) -> str:
    return {"gap": "strength", "strength": "gap"}.get(p, p)


def _spans(text: str):
    from ._segment import word_spans

    return word_spans(text)


def split_clauses(text: str) -> list[str]:
    """Split a normalised comment into clauses: punctuation, list markers, and a contrast word
    (但/但是/却/就是/只是/不过/可是 …) that starts a word (不但 and 不过关 do not split)."""
    R = rules()
    out = []
    for part in R["split_re"].split(text):
        if not part or not part.strip() or not _WORD_RE.search(part):
            continue
        part = part.strip()
        cuts = [0]
        if R["contrast_any_re"].search(part):
            for a, b in _spans(part):
                if a and part[a:b] in R["contrast"]:
                    cuts.append(a)
        cuts.append(len(part))
        for a, b in zip(cuts, cuts[1:]):
            piece = part[a:b].strip()
            if piece and _WORD_RE.search(piece):
                out.append(piece)
    return out


def _decomposes(token: str, parts, pol, negators=frozenset()) -> bool:
    """True when ``token`` is a sequence of cue parts with one polarity (有待提高, 不熟练, 差一点);
    a doubled character (慢慢) is not."""
    n = len(token)
    if n >= 2 and len(set(token)) == 1:
        return False
    best = [None] * (n + 1)  # polarity set of a decomposition of token[:i]
    best[0] = frozenset()
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            w = token[i:j]
            if w in parts:
                p = None if w in negators else pol.get(w)
                s = best[i] | ({p} if p in ("gap", "strength") else set())
                if len(s) <= 1 and best[j] is None:
                    best[j] = s
    return best[n] is not None


def _accept(s, e, text, spans, R, starts=frozenset(), ends=frozenset()) -> bool:
    """A cue match ``text[s:e]`` counts when every word it cuts into is made of cue parts (a
    word that also holds a masked mention, 表达清晰, is judged on what is left of it)."""
    if e - s >= 2 and (s in starts or e in ends) and (
            R["pol"].get(text[s:e]) == "gap" or text[s] in "较很挺比非特"):
        # a gap cue of two or more characters, or a graded praise, at one edge of a longer
        # word: 经验不足, 能力较强 (but not 规范 in 编码规范)
        return True
    for a, b in spans:
        if b <= s or a >= e:
            continue
        if a < s or b > e:
            word = text[a:b]
            if MASK in word:
                word = word.strip(MASK)
                if MASK in word:
                    return False
            if not _decomposes(word, R["parts"], R["pol"], R["negators"]):
                return False
    return True


def _neg_before(masked: str, start: int, starts, R) -> bool:
    lo = max(0, start - 16)
    m = R["neg_end"].search(masked[lo:start])
    return bool(m) and (lo + m.start()) in starts


def _cues(masked: str, low: str, spans, R) -> list[list]:
    """Cues of a clause with mentions masked: ``[start, end, word, polarity]``, negation and
    want words applied, neutral cues dropped."""
    starts = {a for a, _ in spans}
    ends = {b for _, b in spans}
    raw = [(m.start(), m.end(), m.group(0)) for m in R["cue_re"].finditer(low)
           if _accept(m.start(), m.end(), masked, spans, R, starts, ends)]
    out: list[list] = []
    prev_end = 0
    for s, e, w in raw:
        p = R["pol"][w]
        gap_text = masked[prev_end:s]
        if out and out[-1][2] in R["negators"] and re.fullmatch(r"(?:什么|太|很|那么|特别|多大|任何|怎么|是|算)?",
                                                                 gap_text):
            prev = out.pop()  # "没有 不足", "不够 扎实": the previous cue negates this one
            s, w = prev[0], prev[2] + gap_text + w
            p = flip(p)
        elif p != "neutral" and (_neg_before(masked, s, starts, R) or
                                 R["not_worse_re"].search(masked[max(0, s - 12):s])):
            p = flip(p)  # 不差, 并非不足; 不比老员工差
        elif p == "strength":
            m = R["want_end"].search(masked[max(0, s - 4):s])
            if m:
                p = "gap"
        out.append([s, e, w, p])
        prev_end = e
    return [c for c in out if c[3] != "neutral"]


def _tool_context(clause: str, s: int, e: int, others, spans) -> bool:
    """A short tool name (R, AI, PS …) counts: right after a skill verb, before 语言/软件/修图 …,
    or next to another tool in a list."""
    before = clause[:s].rstrip()
    if before.endswith(SKILL_VERBS):
        return True
    after = clause[e:].lstrip()
    if after.startswith(_TOOL_AFTER):
        return True
    for a, b in others:
        if b <= s and _LIST_SEP_RE.match(clause[b:s]) and b < s:
            return True
        if a >= e and _LIST_SEP_RE.match(clause[e:a]) and a > e:
            return True
    return False


def _tools(clause: str, found, tax, spans):
    """Mentions ``(start, end, matched, id, tool)``: catalogue tools that need a context keep it
    or are dropped; Latin-script names outside the catalogue in a skill context are added."""
    latin = _HAS_LATIN.search(clause) is not None
    if not latin and not found:
        return []
    info = [(s, e, m, cid, tax.tool_of(m)) for s, e, m, cid in found]
    if not latin and not any(t is not None and t[1] for *_, t in info):
        return [(s, e, m, cid, t[0] if t else None) for s, e, m, cid, t in info]
    solid = [(s, e) for s, e, m, cid, t in info if t is not None and not t[1]]
    out = []
    for s, e, m, cid, t in info:
        if t is not None and t[1] and not _tool_context(clause, s, e, solid + [
                (a, b) for a, b, _, _, u in info if u is not None and (a, b) != (s, e)], spans):
            continue
        out.append((s, e, m, cid, t[0] if t else None))
    taken = [(s, e) for s, e, *_ in out]
    verb_at = max((clause.rfind(v) for v in SKILL_VERBS), default=-1)
    extra = []
    for mm in _LATIN_TOKEN_RE.finditer(clause):
        s, e, word = mm.start(), mm.end(), mm.group(0)
        if word.lower() in _NOT_TOOLS or any(a < e and s < b for a, b in taken):
            continue
        if (s and clause[s - 1].isalnum() and clause[s - 1].isascii()) or \
                (e < len(clause) and clause[e].isascii() and clause[e].isalnum()):
            continue
        after = clause[e:].lstrip()
        in_list = any(_LIST_SEP_RE.match(clause[b:s]) for a, b in taken + [(x[0], x[1]) for x in extra] if b <= s) \
            or any(_LIST_SEP_RE.match(clause[e:a]) for a, b in taken if a >= e)
        if not (0 <= verb_at < s or in_list or after.startswith(_TOOL_AFTER)):
            continue
        cid = "programming" if after.startswith(("语言", "框架", "编程", "脚本")) else None
        if cid is None:
            near = [x for x in out if x[4] is not None and (x[1] <= s or x[0] >= e)]
            cid = min(near, key=lambda x: min(abs(x[1] - s), abs(x[0] - e)))[3] if near else "professional_software"
        extra.append((s, e, word, cid, word))
    if extra:
        out = sorted(out + extra)
    return out


def analyse_clause(clause: str, tax, R=None):
    """One clause → ``(mentions, cues)``: mentions ``(matched, id, polarity, cue, tool)`` in
    order of appearance (tool = canonical tool name or None), cues ``[start, end, word, polarity]``."""
    R = rules() if R is None else R
    low = clause.lower()
    spans = _spans(clause)
    bounds = {a for a, _ in spans} | {len(clause)}
    # a mention lying strictly inside one word is not one (马虎 in 马马虎虎)
    found = [m for m in tax.match(clause, normalized=True) if m[0] in bounds or m[1] in bounds]
    found = _tools(clause, found, tax, spans)
    chars = list(low)
    for s, e, *_ in found:
        chars[s:e] = MASK * (e - s)
    masked = "".join(chars)
    cues = _cues(masked, masked, spans, R)
    if not found:
        return [], cues
    starts = {a for a, _ in spans}
    asks = R["request_re"].search(low) is not None
    out = []
    denied = R["denial_re"].match(low) is not None  # 谁说…差 denies the judgement
    judging = [c for c in cues if c[2] not in R["weak_directive"]]  # 锻炼得很好: 锻炼 is no cue
    for k, (s, e, matched, cid, tool) in enumerate(found):
        nxt = found[k + 1][0] if k + 1 < len(found) else len(clause)
        after = [c for c in judging if c[0] >= e and c[1] <= nxt] or [c for c in judging if c[0] >= e]
        before = [c for c in cues if c[1] <= s]
        wish_before = any(c[2] in R["wish_words"] for c in before)
        inherent = tax.alias_polarity(matched)
        polarity, cue = "neutral", ""
        if inherent is not None:
            own_after = [c for c in cues if c[0] >= e and c[1] <= nxt]
            if own_after:  # "严谨细致方面有待提高" → gap; "依赖性强" stays a gap
                polarity = "gap" if "gap" in (inherent, own_after[0][3]) else "strength"
                cue = own_after[0][2]
            else:
                polarity, cue = inherent, matched
                if _neg_before(masked, s, starts, R):
                    polarity = flip(inherent)
                elif inherent == "strength" and (R["want_end"].search(masked[max(0, s - 4):s]) or wish_before):
                    polarity = "gap"
        elif after:
            polarity, cue = after[0][3], after[0][2]
            if polarity == "strength" and wish_before:
                polarity = "gap"
        else:
            directive = [c for c in before if c[3] == "gap" and (
                c[2] in R["directive"] or c[2] in R["weak_directive"] and (
                    asks or wish_before or c[0] == 0 and c[2] not in ("注重", "重视")))]
            plain = [c for c in before if c[2] not in R["directive"] and c[2] not in R["weak_directive"]]
            if directive:
                polarity, cue = "gap", directive[-1][2]
            elif plain:
                polarity, cue = plain[-1][3], plain[-1][2]
            else:
                have = R["have_end"].search(masked[max(0, s - 3):s])
                if have and not R["neg_end"].search(masked[max(0, s - 5):s - len(have.group(0))] + "有"):
                    polarity, cue = "strength", have.group(0)  # 有责任心, 具备创新意识
                elif R["rhetorical_re"].search(low) and any(n in low for n in ("不", "没")):
                    polarity, cue = "gap", "难道"
                elif asks and any(w in low for w in R["weak_directive"]):
                    polarity, cue = "gap", next(w for w in R["weak_directive"] if w in low)
        if denied and polarity in ("gap", "strength"):
            polarity = flip(polarity)
        out.append((matched, cid, polarity, cue, tool))
    return out, cues
