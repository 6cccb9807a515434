"""The theme table: labels made of content words, distinct across themes; central quotes."""
from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from ._units import CONCEPT_PREFIX

__all__ = ["theme_table", "THEME_COLUMNS"]

#: A list number opening a clause or comment (1、 2. （3） ④ 五、): not part of a quote.
_ENUMERATOR = re.compile(r"^\s*(?:[（(]?\d{1,2}[)）.．、:：]|[①-⑳]|[（(]?[一二三四五六七八九十][)）、.．])\s*")

THEME_COLUMNS = ["theme", "label", "size", "share", "top_terms", "competency_id", "competency", "examples"]


def _centroids(V, distinct_theme, weight, n_themes):
    """Weighted mean TF-IDF row per theme (themes × terms) and the overall mean."""
    rows = []
    for t in range(n_themes):
        idx = np.flatnonzero(distinct_theme == t)
        w = weight[idx]
        if not len(idx) or w.sum() == 0:
            rows.append(np.zeros(V.shape[1]))
            continue
        sub = V[idx]
        c = np.asarray(sub.multiply(w[:, None]).sum(axis=0)).ravel() if hasattr(sub, "multiply") \
            else (np.asarray(sub) * w[:, None]).sum(axis=0)
        rows.append(c / w.sum())
    C = np.vstack(rows) if rows else np.zeros((0, V.shape[1]))
    tot = np.asarray(V.T @ weight).ravel() / max(weight.sum(), 1.0)
    return C, tot


def _top_terms(C, tot, terms, comp_ids=None, n=8):
    """Per theme, its most characteristic content words: weight in the theme minus weight
    overall (so words every theme shares do not name one), content words only, each word in the
    themes where it weighs most (a word spread over several themes is shown once, where it is
    most at home), and no word that names a competency other than the theme's own (责任心 is not
    described by 数学基础 or Word)."""
    from ..text import is_content_word

    keep = np.array([not str(t).startswith(CONCEPT_PREFIX) and is_content_word(str(t)) for t in terms])
    home = C >= (C.max(axis=0, keepdims=True) if len(C) else 0)
    names_other = _other_competency(terms)
    out = []
    for t, c in enumerate(C):
        lift = np.where(keep & (c > 0) & home[t], c - tot, -np.inf)
        order = np.argsort(-lift, kind="stable")
        own = comp_ids[t] if comp_ids is not None else None
        top = []
        for j in order:
            if not (np.isfinite(lift[j]) and lift[j] > 0) or len(top) >= n:
                break
            if own is not None and names_other(j, own):
                continue
            top.append(str(terms[j]))
        out.append(top)
    return out


def _other_competency(terms):
    """``f(j, own)``: whether term ``j`` names a competency of the taxonomy (an alias or a tool,
    matched whole) and not ``own``."""
    from ..text import load_taxonomy, normalize_text

    tax = load_taxonomy()
    memo: dict = {}

    def ids(j):
        if j not in memo:
            term = normalize_text(str(terms[j]))
            memo[j] = {m[3] for m in tax.match(term, normalized=True) if m[0] == 0 and m[1] == len(term)}
        return memo[j]

    return lambda j, own: bool(ids(j)) and own not in ids(j)


def _distinct_labels(comps, tops):
    """``competency（term、term）`` labels; a label shared by two themes takes their next
    differing terms, and, failing that, a number."""
    labels = []
    seen: dict = {}
    for comp, top in zip(comps, tops):
        shown = top[:2]
        base = f"{comp}（{'、'.join(shown)}）" if comp and shown else (comp or "、".join(shown) or "")
        label, extra = base, 2
        while label in seen and extra < len(top):
            shown = top[:2] + [top[extra]]
            extra += 1
            label = f"{comp}（{'、'.join(shown)}）" if comp else "、".join(shown)
        if not label or label in seen:
            base_label = label or "主题"
            seen[base_label] = seen.get(base_label, 1) + 1 if base_label in seen else 1
            label = f"{base_label}（{seen[base_label]}）"
        seen[label] = True
        labels.append(label)
    return labels


def theme_table(units, V, codes, n_themes, vectorizer, *, n_examples, unit_is_clause, texts):
    """The ``themes_`` table of a fitted clusterer (see :class:`SkillGapClusterer`)."""
    from ..text import load_taxonomy

    names = load_taxonomy().info()
    try:
        terms = np.asarray(vectorizer.get_feature_names_out(), dtype=object)
    except AttributeError:
        terms = None
    weight = np.bincount(codes, minlength=V.shape[0]).astype(float)
    distinct_theme = np.full(V.shape[0], -1)
    distinct_theme[codes] = units["theme"].to_numpy()
    comp_ids, comps, sizes, examples = [], [], [], []
    for t in range(n_themes):
        members = units[units["theme"] == t]
        ids = Counter(c for v in members["competency_id"] for c in str(v).split(";") if c)
        cid = None
        if ids:
            cand, cnt = ids.most_common(1)[0]
            if cnt >= 0.5 * len(members):
                cid = cand
        comp_ids.append(cid)
        comps.append(names[cid][0] if cid in names else None)
        sizes.append(len(members))
        # quotes: the most central members (highest similarity to the theme's centroid); a
        # clause unit is quoted as the clause, not the whole comment around it
        ex, seen = [], set()
        for i, u in zip(*members.sort_values("similarity", ascending=False, kind="stable")[
                ["text_index", "unit"]].to_numpy().T):
            txt = _ENUMERATOR.sub("", str(u if unit_is_clause else texts[int(i)])).strip()
            if not txt or txt in seen:
                continue
            seen.add(txt)
            ex.append(txt)
            if len(ex) >= int(n_examples):
                break
        examples.append(ex)
    if terms is not None:
        C, tot = _centroids(V, distinct_theme, weight, n_themes)
        tops = _top_terms(C, tot, terms, comp_ids)
    else:
        tops = [[] for _ in range(n_themes)]
    labels = _distinct_labels(comps, tops)
    n_units = len(units)
    table = pd.DataFrame({"theme": range(n_themes), "label": labels, "size": sizes,
                          "share": [s / n_units if n_units else np.nan for s in sizes],
                          "top_terms": tops, "competency_id": pd.Series(comp_ids, dtype=object),
                          "competency": pd.Series(comps, dtype=object), "examples": examples},
                         columns=THEME_COLUMNS)
    n_un = int((units["theme"] < 0).sum())
    table.attrs["unassigned"] = n_un
    table.attrs["unassigned_share"] = n_un / n_units if n_units else 0.0
    table.attrs["n_units"] = n_units
    return table
