"""Quoted comments for a recommendation: already-redacted employer or graduate comments that name
the competency (or, for teaching feedback, talk about practice or courses), grouped once per
source and level."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["quotes_for", "mention_texts", "pick", "grouped_texts", "shorten"]


def shorten(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mention_texts(findings, src: str) -> pd.DataFrame:
    """Gap mentions with the full (redacted) comment text they came from."""
    sk = findings.employer_skills if src == "employer" else findings.graduate_skills
    data = getattr(findings.employer if src == "employer" else findings.graduate, "data", None)
    if sk is None or data is None or not len(sk) or "polarity" not in sk.columns:
        return pd.DataFrame()
    m = sk[sk["polarity"] == "gap"]
    fields = [c for c in (("comment_skills", "comment_suggestion") if src == "employer" else ("comment",))
              if c in data.columns]
    if not fields:
        return pd.DataFrame()
    long = data[["respondent_id", *fields]].melt(id_vars="respondent_id", var_name="field", value_name="text")
    long = long.dropna(subset=["text"])
    if "field" not in m.columns:
        m = m.assign(field=fields[0])
    keep = [c for c in ("comment_id", "competency_id", "field", "major", "college") if c in m.columns]
    out = m[keep].merge(long, left_on=["comment_id", "field"], right_on=["respondent_id", "field"], how="inner")
    return out


def pick(texts, k: int) -> list[str]:
    texts = [str(t).strip() for t in texts if isinstance(t, str) and len(str(t).strip()) >= 4]
    texts = sorted(dict.fromkeys(texts), key=lambda t: (abs(len(t) - 30), t))
    return [shorten(t) for t in texts[:k]]


def grouped_texts(texts: pd.Series, keys: pd.Series) -> dict:
    """``{group value: [texts]}`` in one pass (rows with a missing group belong to none)."""
    ok = keys.notna().to_numpy(dtype=bool)
    t = texts.to_numpy(dtype=object)[ok]
    k = keys.to_numpy(dtype=object)[ok]
    if not len(k):
        return {}
    codes, uniq = pd.factorize(k)
    order = np.argsort(codes, kind="stable")
    bounds = np.flatnonzero(np.diff(codes[order])) + 1
    return {uniq[codes[part[0]]]: t[part].tolist() for part in np.split(order, bounds)}


def quotes_for(findings, cand: dict, ctx: dict, k: int = 2) -> list[str]:
    # the mention / comment tables are grouped once per (source, level) and the picked quotes
    # cached per group: re-filtering the whole table per candidate was O(candidates x rows)
    src = cand.get("quote_from")
    level, group = cand["level"], cand["group"]
    comp = cand.get("competency")
    picked = ctx.setdefault("picked", {})
    if src in ("employer", "graduate") and comp is not None:
        cache = ctx.setdefault("mentions", {})
        if src not in cache:
            cache[src] = mention_texts(findings, src)
        m = cache[src]
        if not len(m) or level not in m.columns:
            return []
        gkey = ("mentions", src, level)
        if gkey not in ctx:
            ctx[gkey] = {grp: grouped_texts(sub["text"], sub[level])
                         for grp, sub in m.groupby("competency_id", sort=False)}
        pk = (gkey, group, comp)
        if pk not in picked:
            picked[pk] = pick(ctx[gkey].get(comp, {}).get(group, []), k)
        who = "用人单位" if src == "employer" else "毕业生"
        return [(q, who) for q in picked[pk]]
    if src == "graduate_any":
        g = getattr(findings.graduate, "data", None)
        if g is None or "comment" not in g.columns or level not in g.columns:
            return []
        key = "实践|实习" if "实践" in str(cand.get("option", "")) else "课程"
        gkey = ("comments", level, key)
        if gkey not in ctx:
            if ("comment_hits", key) not in ctx:  # one text search per keyword, shared by the levels
                ok = g["comment"].notna().to_numpy(dtype=bool)
                s = g["comment"][ok].astype(str)
                ctx[("comment_hits", key)] = (ok, s, s.str.contains(key).to_numpy(dtype=bool))
            ok, s, hit = ctx[("comment_hits", key)]
            ctx[gkey] = grouped_texts(s[hit], g[level][ok][hit])
        pk = (gkey, group)
        if pk not in picked:
            picked[pk] = pick(ctx[gkey].get(group, []), k)
        return [(q, "毕业生") for q in picked[pk]]
    return []
