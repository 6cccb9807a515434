"""Recoders: one raw question → one canonical column, each distinct answer handled once.

``recode_rating`` (scale labels → 5..1, "cannot judge" → missing), ``recode_single``
(canonical option labels, 〖other〗 texts), ``recode_multi`` (``┋``-joined labels, 0/1 columns,
exclusive options, at most k choices) and ``recode_numeric`` (numbers, income bands → midpoints,
plausibility bounds).  Every recoding rule applied and every unusable cell is written to the
cleaning log.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from ..design import MULTI_SEP
from ..errors import ConfigError
from ..io.lexicon import lexicon_scale
from ..pii import name_fold
from ..spec import FieldSpec, load_scales, norm_label
from .codes import SKIP_CODES, LETTER, Coded, Columns, column_values, distinct_map, normalize_cell
from .result import Log

__all__ = ["recode_rating", "recode_single", "recode_multi", "recode_numeric", "parse_number",
           "parse_seconds", "label_index", "add_recode"]


def label_index(options: tuple) -> dict:
    return {norm_label(o): o for o in options}


def parse_number(s: str):
    """Parse numbers like ``5000``, ``5,000元``, ``5千``, ``1.2万``; bands return (lo, hi)
    (``3001-5000元``, ``5千-8千``, ``3000元以下``, ``1.5万及以上``)."""
    t = s.replace(",", "").replace("，", "").replace(" ", "")
    t = re.sub(r"(元|人民币|块|/月|每月|月薪|税前|人|个|年|届|左右|约)", "", t)
    t = re.sub(r"^[¥￥$]", "", t)
    band = re.fullmatch(r"(\d+(?:\.\d+)?)([万千kK]?)[-~～—至到](\d+(?:\.\d+)?)([万千kK]?)", t)
    if band:  # 5千-8千, 1万-1.5万, 8-12k (a unit on the upper bound only applies to both)
        unit = {"万": 10000.0, "千": 1000.0, "k": 1000.0, "K": 1000.0, "": 1.0}
        hi_mult = unit[band.group(4)]
        lo_mult = unit[band.group(2)] if band.group(2) else hi_mult
        return (float(band.group(1)) * lo_mult, float(band.group(3)) * hi_mult)
    mult = 1.0
    if t.endswith("万"):
        mult, t = 10000.0, t[:-1]
    elif t.endswith("千") or t.lower().endswith("k"):
        mult, t = 1000.0, t[:-1]
    try:
        return float(t) * mult
    except ValueError:
        pass
    m = re.fullmatch(r"(\d+(?:\.\d+)?)[-~～—至到](\d+(?:\.\d+)?)", t)
    if m:
        return (float(m.group(1)) * mult, float(m.group(2)) * mult)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万千kK]?)(及以下|以下|以内|之内)", t)
    if m:
        return (None, float(m.group(1)) * _UNIT[m.group(2)] * mult)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万千kK]?)(及以上|以上|或以上)", t)
    if m:
        return (float(m.group(1)) * _UNIT[m.group(2)] * mult, None)
    return None


_UNIT = {"万": 10000.0, "千": 1000.0, "k": 1000.0, "K": 1000.0, "": 1.0}


_ISO_DURATION = re.compile(r"P(?:(\d+(?:\.\d+)?)D)?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?",
                           re.I)


def parse_seconds(v) -> float | None:
    """Seconds from the time-taken cell of an export: ``150``, ``150秒``, ``2分30秒``, ``2.5分钟``,
    ``00:02:30``, ``2:30`` (minutes:seconds), ``PT2M30S`` (ISO 8601); ``None`` when unreadable.
    (A column of fractions of a day -- Excel times -- is recognised by the caller.)"""
    s = normalize_cell(v)
    if s is None:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    total, found = 0.0, False
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(小时|时|分钟|分|秒|h|min|m|s)", s):
        found = True
        f = float(num)
        total += f * (3600 if unit in ("小时", "时", "h") else 60 if unit in ("分钟", "分", "min", "m") else 1)
    if found:
        return total
    m = re.fullmatch(r"(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)", s)
    if m:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.fullmatch(r"(\d+):(\d{1,2}(?:\.\d+)?)", s)
    if m:
        return int(m.group(1)) * 60 + float(m.group(2))
    m = _ISO_DURATION.fullmatch(s)
    if m and any(m.groups()):
        d, h, mi, se = (float(x) if x else 0.0 for x in m.groups())
        return d * 86400 + h * 3600 + mi * 60 + se
    return None


_NA_WORDS = ("无法评价", "无法评估", "不适用", "不清楚")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def scale_parts(fs: FieldSpec, observed=()):
    """``(labels best first, normalised label → score, normalised na labels)`` of a rating field:
    its built-in scale, the labels the mapping gave (``scale: [...]``), or the words of its options
    and answers (:func:`survey_analysis.io.lexicon.lexicon_scale`); ``None`` when the answers are
    all numbers (scores, or codes).

    Raises
    ------
    ConfigError
        The answers are words of no known scale: never scored by the order they appear in.
    """
    sc = load_scales().get(fs.scale) if fs.scale else None
    if sc is not None:
        labels = list(sc["labels"])
        n = len(labels)
        score = {norm_label(l): float(n - i) for i, l in enumerate(labels)}
        for var, canon in sc["variants"].items():
            score.setdefault(norm_label(var), score[norm_label(canon)])
        return labels, score, {norm_label(x) for x in sc["na"]}
    if fs.scale_labels:
        labels = list(fs.scale_labels)
        return labels, {norm_label(l): float(len(labels) - i) for i, l in enumerate(labels)}, set(map(norm_label, _NA_WORDS))
    words = [str(o) for o in fs.options if not _NUMBER.fullmatch(str(o).strip())]
    words += [v for v in observed if v and v not in SKIP_CODES and not _NUMBER.fullmatch(v)]
    words = [LETTER.sub("", w) for w in dict.fromkeys(words)]
    if not words:
        return None
    known = _scale_containing(words)
    if known is not None:  # every answer is a label of one built-in scale (满意 alone: satisfaction5)
        return scale_parts(replace(fs, scale=known))
    lex = lexicon_scale(words)
    if lex is None:
        shown = "、".join(words[:10]) + ("…" if len(words) > 10 else "")
        raise ConfigError(
            f"字段「{fs.field}」（第 {fs.question or '?'} 题）的答案不是已知的评分量表，无法判断哪个答案最好",
            column=fs.columns[0] if fs.columns else None,
            expected="内置量表（" + "、".join(load_scales()) + "）或能从字面判断好坏的等级词（满意、同意、好、重要、符合 …）",
            found=shown,
            hint="请在映射文件（YAML）中为该字段写明量表，例如 scale: satisfaction5，或按从最好到最差的顺序列出："
                 "scale: [非常好, 好, 一般, 差, 非常差]（见 README 的映射文件说明）。",
        )
    score = {norm_label(lab): s for lab, s in lex.scores.items()}
    return lex.ordered(), score, {norm_label(x) for x in lex.na} | set(map(norm_label, _NA_WORDS))


def _scale_containing(words) -> str | None:
    """The built-in scale whose labels (or variants, or na labels) hold every word, preferring
    canonical labels and then five points; ``None`` if there is none."""
    keys = {norm_label(w) for w in words}
    best = None
    for name, sc in load_scales().items():
        labels = {norm_label(x) for x in sc["labels"]}
        allk = labels | {norm_label(x) for x in sc["variants"]} | {norm_label(x) for x in sc["na"]}
        if keys <= allk and keys - {norm_label(x) for x in sc["na"]}:
            rank = (len(keys & labels), len(sc["labels"]) == 5)
            if best is None or rank > best[0]:
                best = (rank, name)
    return best[1] if best else None


def recode_rating(fs: FieldSpec, col: "Coded | pd.Series", log: Log, *, numeric_codes: bool, counts: dict) -> pd.Series:
    """Rating answers → scores (5 = best … 1; missing for 无法评价), each distinct answer once."""
    col = col if isinstance(col, Coded) else Coded(col)  # a Series is accepted too
    options = list(fs.options)
    parts = scale_parts(fs, () if numeric_codes else [v for v in col.norm if v is not None])
    if parts is None:  # only numbers: scores 1..n (n = the options, default 5)
        n = len(options) or 5
        labels, score, na = options, {}, set(map(norm_label, _NA_WORDS))
    else:
        labels, score, na = parts
        n = len(labels)

    def f(v):
        if v is None:
            return (np.nan, None)
        if v in SKIP_CODES:
            return (np.nan, SKIP_CODES[v])
        key = norm_label(LETTER.sub("", v))
        if key not in score and key not in na:
            key = norm_label(name_fold(key))  # 非常滿意 in traditional characters
        if key in score:
            return (score[key], "label")
        if key in na:
            return (np.nan, "not_applicable")
        try:
            x = float(v)
        except ValueError:
            return (np.nan, "invalid_label")
        if not x.is_integer():
            return (np.nan, "invalid_number")
        x = int(x)
        if numeric_codes:
            if 1 <= x <= len(options):
                lab = options[x - 1]
                k = norm_label(lab)
                if k in score:
                    return (score[k], "code")
                if k in na:
                    return (np.nan, "not_applicable")
            return (np.nan, "code_out_of_range")
        if 1 <= x <= n:
            return (float(x), "score")
        return (np.nan, "score_out_of_range")

    results = distinct_map(col, f)
    values = np.array([r[0] for r in results] + [np.nan], dtype=float)
    out = pd.Series(values[col.codes], index=col.index, dtype=float)
    for k, (u, (val, rule)) in enumerate(zip(col.uniques, results)):
        if rule is None:
            continue
        if rule in ("label", "code", "score", "not_applicable", "skipped", "not_shown"):
            add_recode(log, fs, fs.columns[0], u, "" if math.isnan(val) else f"{val:g}", rule, col, k)
            if rule == "not_applicable":
                counts["not_applicable"] += col.count(k)
        else:
            log.cells_at("invalid", col.row_labels(k), fs.field, fs.columns[0], str(u), "", rule,
                         f"不在量表「{fs.scale}」内：{'、'.join(labels)}；已置为缺失")
    return out


def add_recode(log, fs, column, u, new, rule, col: Coded, k):
    log.recode(fs.field, column, str(u), new, rule, col.rows(k, 5), count=col.count(k))


def canonical_option(fs: FieldSpec, v: str, idx: dict):
    """Return (label, other_text, rule)."""
    from ..io.choices import split_choice

    opts, other = split_choice(v)
    raw = opts[0] if opts else v
    key = norm_label(LETTER.sub("", raw))
    if key in idx:
        lab = idx[key]
        return lab, other, ("label" if lab == v else "normalise")
    # "其他【请注明】" vs "其他"
    for k2, lab in idx.items():
        if key.startswith(k2) and k2.startswith("其他"):
            return lab, other, "other"
    return None, other, None


def recode_single(fs: FieldSpec, col: "Coded | pd.Series", log: Log, *, numeric_codes: bool,
                   known: dict | None = None):
    col = col if isinstance(col, Coded) else Coded(col)  # a Series is accepted too
    idx = label_index(fs.options)

    def f(v):
        if v is None:
            return (None, None, None)
        if v in SKIP_CODES:
            return (None, None, SKIP_CODES[v])
        if numeric_codes and re.fullmatch(r"-?\d+", v) and fs.options:
            x = int(v)
            if 1 <= x <= len(fs.options):
                return (fs.options[x - 1], None, "code")
            return (v, None, "code_out_of_range")
        if not fs.options:
            return (LETTER.sub("", v), None, "label")
        lab, other, rule = canonical_option(fs, v, idx)
        if lab is None:
            return (LETTER.sub("", v), other, "unknown_option")
        return (lab, other, rule)

    results = distinct_map(col, f)
    oor = [r[2] == "code_out_of_range" for r in results]
    # a code out of range is logged with its value but set missing
    out = pd.Series(column_values(col, list(zip(results, oor)), lambda t: None if t[1] else t[0][0], None,
                                   known, fs.field), index=col.index, dtype=object)
    other = pd.Series(column_values(col, results, lambda r: r[1], None, known, fs.field + "__other"),
                      index=col.index, dtype=object)
    for k, (u, (val, oth, rule)) in enumerate(zip(col.uniques, results)):
        if rule is None or (rule == "label" and val == u):
            continue
        if rule in ("unknown_option", "code_out_of_range"):
            log.cells_at("invalid", col.row_labels(k), fs.field, fs.columns[0], str(u),
                         val if rule == "unknown_option" else "", rule,
                         "不是问卷中的选项：" + "、".join(map(str, fs.options[:12]))
                         + ("；原值保留" if rule == "unknown_option" else "；已置为缺失"))
            continue
        add_recode(log, fs, fs.columns[0], u, val or "", rule, col, k)
    return out, other


def _multi_binary(fs: FieldSpec, cols: Columns, log: Log, known: dict | None, index) -> tuple:
    """A multi-select exported as one 0/1 column per option (问卷星 按序号)."""
    names = [c for c in fs.columns if c]
    labels = [o for o, c in zip(fs.options, fs.columns) if c]
    # per row: the set of chosen columns as a bit mask (then joined once per distinct mask)
    n = len(index)
    chosen = [np.zeros(n, dtype=bool) for _ in names]
    all_skip = np.ones(n, dtype=bool)
    all_na = np.ones(n, dtype=bool)
    for j, c in enumerate(names):
        cc = cols[c]
        norm = cc.norm + [None]  # the last entry: missing rows (code -1)
        chosen[j] = np.array([v == "1" for v in norm], dtype=bool)[cc.codes]
        all_skip &= np.array([v in ("-2", "-3") for v in norm], dtype=bool)[cc.codes]
        all_na &= np.array([v is None for v in norm], dtype=bool)[cc.codes]
    skipped = all_skip | all_na
    masks = pd.DataFrame(chosen).T if len(names) > 62 else None
    if masks is None:
        bits = np.zeros(n, dtype=np.int64)
        for j, ch in enumerate(chosen):
            bits |= ch.astype(np.int64) << j
        mcodes, muniq = pd.factorize(bits)
        joined_u = [MULTI_SEP.join(l for j, l in enumerate(labels) if (int(m) >> j) & 1) or None for m in muniq]
    else:
        keys = [tuple(r) for r in masks.to_numpy()]
        mcodes, muniq = pd.factorize(pd.Series(keys, dtype=object))
        joined_u = [MULTI_SEP.join(l for l, b in zip(labels, m) if b) or None for m in muniq]
    vals = np.empty(len(joined_u) + 1, dtype=object)
    for i, v in enumerate(joined_u):
        vals[i] = v
    mcodes = mcodes.astype(np.int64)
    mcodes[skipped] = -1  # → None, the last value
    if known is not None:
        known[fs.field] = (mcodes, vals)
    out = pd.Series(vals[mcodes], index=index, dtype=object)
    n = int(out.notna().sum())
    if n:
        log.recode(fs.field, "；".join(names[:2]) + "…", "0/1 列", "选项┋选项", "binary_columns",
                   list(out.dropna().index[:5]), count=n)
    other = pd.Series(None, index=index, dtype=object)
    return out, other


def recode_multi(fs: FieldSpec, cols: Columns, log: Log, known: dict | None = None):
    idx = label_index(fs.options)
    index = cols.frame.index
    if fs.binary_columns:
        out, other = _multi_binary(fs, cols, log, known, index)
    else:
        from ..io.choices import split_choice

        col = cols[fs.columns[0]]

        def f(v):
            if v is None or v in SKIP_CODES:
                return (None, None, [])
            opts, other = split_choice(v)
            if len(opts) == 1 and norm_label(opts[0]) not in idx:
                # other platforms join choices with ；/;/、/| -- split only if every part is an option
                for sep in ("；", ";", "|", "、", "，", ","):
                    parts = [p.strip() for p in opts[0].split(sep) if p.strip()]
                    if len(parts) > 1 and all(norm_label(LETTER.sub("", p)) in idx for p in parts):
                        opts = parts
                        break
            labs, unknown = [], []
            for o in opts:
                key = norm_label(LETTER.sub("", o))
                lab = idx.get(key)
                if lab is None:
                    lab = next((l for k2, l in idx.items() if k2.startswith("其他") and key.startswith(k2)), None)
                if lab is None:
                    unknown.append(o)
                    lab = LETTER.sub("", o)
                labs.append(lab)
            return (MULTI_SEP.join(labs) if labs else None, other, unknown)

        results = distinct_map(col, f)
        out = pd.Series(column_values(col, results, lambda r: r[0], None, known, fs.field), index=index, dtype=object)
        other = pd.Series(column_values(col, results, lambda r: r[1], None, known, fs.field + "__other"),
                          index=index, dtype=object)
        for k, (u, (val, oth, unknown)) in enumerate(zip(col.uniques, results)):
            if unknown:
                log.cells_at("invalid", col.row_labels(k), fs.field, fs.columns[0], str(u), val, "unknown_option",
                             f"未知选项：{'、'.join(unknown)}；原值保留")
            elif val is not None and val != u:
                add_recode(log, fs, fs.columns[0], u, val, "split_multi", col, k)
    # consistency: exclusive options and max choices (checked once per distinct answer)
    if fs.exclusive or fs.max_choices:
        codes, uniques = pd.factorize(out, use_na_sentinel=True)
        flags = []
        for u in uniques:
            p = u.split(MULTI_SEP)
            flags.append((bool(fs.exclusive) and len(p) > 1 and any(e in p for e in fs.exclusive),
                          bool(fs.max_choices) and len(p) > fs.max_choices, len(p)))
        bad = np.array([a or b for a, b, _ in flags] + [False], dtype=bool)[codes]
        for pos in np.flatnonzero(bad):
            k = codes[pos]
            r, v = index[pos], uniques[k]
            excl, many, n_p = flags[k]
            if excl:
                log.cell("invalid", int(r), fs.field, fs.columns[0], v, v,
                         "exclusive_violated", f"「{'、'.join(fs.exclusive)}」与其他选项同时选择；原值保留，分析时单列")
            if many:
                log.cell("invalid", int(r), fs.field, fs.columns[0], v, v,
                         "too_many_choices", f"选择了 {n_p} 项，超过最多 {fs.max_choices} 项；原值保留")
    return out, other


ID_LIKE = 1e8  # numbers with 9+ integer digits: identifiers, never survey quantities


def recode_numeric(fs: FieldSpec, col: "Coded | pd.Series", log: Log, *, bounds: tuple | None,
                    top_factor: float, bottom_factor: float, code_labels: tuple = ()):
    """Numbers, and answer bands (3001-5000元 → midpoint; open bands × factor).  ``code_labels``:
    the options a numeric export's codes 1, 2, … stand for (band labels, from the mapping)."""
    col = col if isinstance(col, Coded) else Coded(col)  # a Series is accepted too

    def f(v):
        if v is None:
            return (np.nan, None)
        if v in SKIP_CODES:
            return (np.nan, SKIP_CODES[v])
        if code_labels:
            if not (v.isdigit() and 1 <= int(v) <= len(code_labels)):
                return (np.nan, "code_out_of_range")
            v = code_labels[int(v) - 1]
        p = parse_number(v)
        if p is None:
            return (np.nan, "not_a_number")
        if isinstance(p, tuple):
            lo, hi = p
            if lo is not None and hi is not None:
                return ((lo + hi) / 2, "band_midpoint")
            if hi is not None:
                return (hi * bottom_factor, "band_open_low")
            return (lo * top_factor, "band_open_high")
        return (p, "number" if v != f"{p:g}" else None)

    results = distinct_map(col, f)
    values = np.array([r[0] for r in results] + [np.nan], dtype=float)
    out = pd.Series(values[col.codes], index=col.index, dtype=float)
    for k, (u, (val, rule)) in enumerate(zip(col.uniques, results)):
        if rule is None:
            continue
        if rule == "not_a_number":
            log.cells_at("invalid", col.row_labels(k), fs.field, fs.columns[0], str(u), "", rule, "不是数字；已置为缺失")
        else:
            add_recode(log, fs, fs.columns[0], u, "" if math.isnan(val) else f"{val:g}", rule, col, k)
    if bounds is not None:
        lo, hi = bounds
        bad = out.notna() & ((out < lo) | (out > hi))
        log.cells_at("invalid", out.index[bad], fs.field, fs.columns[0],
                     [f"{x:g}" for x in out.to_numpy()[bad.to_numpy()]], "", "implausible",
                     f"超出合理范围 [{lo:g}, {hi:g}]；已置为缺失（范围可用参数调整）")
        out = out.mask(bad)
    # a phone number, 学号 or ID number typed into a number box is not a count or a year
    idlike = out.notna() & (out.abs() >= ID_LIKE)
    log.cells_at("invalid", out.index[idlike], fs.field, fs.columns[0], "[过长的数字]", "", "implausible",
                 "数字位数过多（像手机号、学号或证件号）；已置为缺失")
    return out.mask(idlike)
