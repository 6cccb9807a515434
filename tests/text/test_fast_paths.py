"""The fast paths of the text layer give exactly what the straightforward versions give.

* ``_analyse_text`` (comment cut into pieces at clause punctuation, each distinct piece
  analysed once) vs ``_analyse_text_reference`` (the whole comment split and analysed);
* ``extract_skills`` inside ``text_cache()`` (shared between calls, bounded) vs outside;
* the no-content shortcut, the whitespace check and the piece-wise OpenCC conversion;
* ``keywords`` (distinct texts counted once, rows repeated) vs ``TfidfVectorizer`` on every row.
"""
import random
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_analysis.text import Segmenter, extract_skills, keywords, load_taxonomy
from survey_analysis.text import _keywords, _normalize, _skills
from survey_analysis.text._cache import active_cache, text_cache

# fragments chosen to exercise every rule that looks across clause boundaries: list markers
# after punctuation, contrast words, elaboration / wish inheritance, typos, decimals, Latin
# words with spaces, no-content clauses, traditional characters
FRAGMENTS = [
    "沟通能力有待提高", "动手能力强", "希望加强实践", "特别是表达和写作", "比如Excel", "团队合作",
    "1.", "2、", "(3)", "①", "a)", "但是", "不过", "就是", "却", " but ", "沟通能历", "团队合做",
    "1.5倍", "Power BI 不熟", "C++", "python", "无", "很好", "建议多开设实习", "数据分析", "责任心",
    "有责任心", "没有不足", "并不差", "溝通能力有待加強", "英语", "一般", "。", "，", "；", ";", ",", "!",
    "？", "…", "\n", " ", "  ", "项目经验", "学习能力", "抗压能力较弱", "尤其是编程", "x", "ab",
]


def _compose(rng, n):
    return "".join(rng.choice(FRAGMENTS) for _ in range(n))


def _norms(texts):
    out = []
    for t in texts:
        st_, norm = _normalize.status_and_norm(t)
        if st_ == "text":
            out.append(norm)
    return out


def test_piecewise_analysis_equals_reference_on_random_comments():
    tax, rules = load_taxonomy(), _skills._rules()
    assert rules["piece_ok"]  # the shipped typo rules contain no clause punctuation
    rng = random.Random(7)
    texts = [_compose(rng, rng.randint(1, 8)) for _ in range(4000)]
    cache = {}
    for norm in _norms(texts):
        assert _skills._analyse_text(norm, tax, rules, None, cache) == \
            _skills._analyse_text_reference(norm, tax, rules, None, {}), norm


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=10))
def test_piecewise_analysis_equals_reference_property(parts):
    tax, rules = load_taxonomy(), _skills._rules()
    for norm in _norms(["".join(parts)]):
        assert _skills._analyse_text(norm, tax, rules) == \
            _skills._analyse_text_reference(norm, tax, rules)


def test_piecewise_analysis_with_a_segmenter_equals_reference():
    tax, rules, seg = load_taxonomy(), _skills._rules(), Segmenter()
    rng = random.Random(3)
    for norm in _norms([_compose(rng, rng.randint(1, 6)) for _ in range(300)]):
        assert _skills._analyse_text(norm, tax, rules, seg, {}) == \
            _skills._analyse_text_reference(norm, tax, rules, seg, {})


def _tricky_values(seed=1, n=3000):
    rng = random.Random(seed)
    vals = [_compose(rng, rng.randint(1, 6)) for _ in range(n // 2)]
    vals += rng.choices(vals, k=n // 2)  # repeats
    vals += [None, float("nan"), 3, pd.NA, "", "   ", "无", "ＰＰＴ不熟", "PPT不熟"]
    rng.shuffle(vals)
    return vals


@pytest.mark.parametrize("default", ["neutral", "gap"])
def test_extract_skills_same_inside_a_shared_bounded_cache(default):
    vals = _tricky_values()
    ids = [f"r{i}" for i in range(len(vals))]
    plain, plain_status = extract_skills(vals, ids=ids, default_polarity=default, return_summary=True)
    for max_entries in (10**6, 50):  # roomy, and full almost at once
        with text_cache(max_entries=max_entries) as cache:
            for _ in range(2):  # the second call reads the cache
                got, status = extract_skills(pd.Series(vals, dtype=object), ids=ids,
                                             default_polarity=default, return_summary=True)
                pd.testing.assert_frame_equal(got, plain)
                pd.testing.assert_frame_equal(status, plain_status)
                assert got.attrs == plain.attrs
            assert all(len(d) <= max(max_entries, 1) for k, d in cache._stores.items()
                       if k in ("skills:raw",) or k[0] == "skills:text")
        assert active_cache() is None and len(cache) == 0  # released


def test_text_cache_nests_and_releases():
    with text_cache() as outer:
        with text_cache() as inner:
            assert inner is outer
        assert active_cache() is outer
        extract_skills(["沟通能力有待提高"])
        assert len(outer) > 0
    assert active_cache() is None


def test_extract_skills_with_unhashable_values():
    m, status = extract_skills(["沟通能力差", ["list"], {"a": 1}, "沟通能力差"], return_summary=True)
    assert status["status"].tolist() == ["mention", "invalid", "invalid", "mention"]
    assert m["comment_id"].tolist() == [0, 3]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=list("无没有好很不错满意谢继续保持okKOnNeſ嗯哈的了啊沟通1١²_ ,。!/\t\n"),
               min_size=1, max_size=8))
def test_no_content_shortcut_equals_full_test(text):
    norm = _normalize.normalize_text(text)
    if norm:
        assert _normalize._no_content_norm(norm) == _normalize._no_content_core(norm)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("ab 沟\t\n\u3000\r"), max_size=8))
def test_whitespace_check_equals_regex(text):
    assert _normalize._needs_space(text) == bool(_normalize._NEEDS_SPACE_RE.search(text))


def test_piecewise_opencc_equals_convert():
    conv = _normalize.t2s_converter()[1]
    rng = random.Random(5)
    alphabet = list("溝通能力有待加強實踐經驗發展學習團隊協作，。、 -.!?（）于後裏面乾淨") + ["髮型", "頭髮"]
    for _ in range(500):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 15)))
        assert _normalize._t2s_convert(t) == conv.convert(t)


# ---------------------------------------------------------------------------------------
# keywords
# ---------------------------------------------------------------------------------------
def _keywords_reference(texts, groups, *, top_k, min_df, segmenter, drop_cues=True):
    """The row-by-row algorithm: TfidfVectorizer on every text's filtered tokens."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    drop = _keywords._cue_words() if drop_cues else frozenset()
    docs = [[t for t in toks if _keywords._keep(t, drop)] for toks in segmenter.cut_many(list(texts))]
    labels = np.asarray(list(groups), dtype=object)
    valid = np.array([_keywords._valid_label(g) for g in labels], dtype=bool)
    vec = TfidfVectorizer(analyzer=lambda d: d, min_df=min_df, norm="l2")
    try:
        X = vec.fit_transform(docs)
    except ValueError:
        return pd.DataFrame(columns=_keywords.KEYWORD_COLUMNS)
    vocab = vec.get_feature_names_out()
    present = (X > 0).astype(np.int64)
    rows = []
    for g in dict.fromkeys(labels[valid].tolist()):
        idx = np.flatnonzero(np.array([ok and lab == g for lab, ok in zip(labels, valid)]))
        score = np.asarray(X[idx].mean(axis=0)).ravel()
        ndocs = np.asarray(present[idx].sum(axis=0)).ravel()
        top = [i for i in np.argsort(-score, kind="stable") if score[i] > 0][:top_k]
        rows += [(g, r, str(vocab[i]), float(score[i]), int(ndocs[i])) for r, i in enumerate(top, 1)]
    return pd.DataFrame(rows, columns=_keywords.KEYWORD_COLUMNS)


@pytest.mark.parametrize("min_df", [1, 3, 10**6])
def test_keywords_distinct_texts_equal_row_by_row_tfidf(min_df):
    vals = _tricky_values(seed=2, n=2000)
    rng = random.Random(4)
    groups = [rng.choice(["甲", "乙", "丙", None, float("nan"), pd.NA]) for _ in vals]
    seg = Segmenter()
    got = keywords(pd.Series(vals, dtype=object), groups=groups, top_k=8, min_df=min_df, segmenter=seg)
    ref = _keywords_reference(vals, groups, top_k=8, min_df=min_df, segmenter=seg)
    if min_df > 1000:
        assert got.empty and ref.empty
    else:
        assert len(got) > 0
        pd.testing.assert_frame_equal(got, ref, check_exact=True)


def test_keywords_count_matrix_keeps_row_entry_order():
    """Entries within a row in CountVectorizer's order (first appearance in the corpus): the
    row norms are then summed in the same order, bit for bit."""
    from sklearn.feature_extraction.text import CountVectorizer

    docs = [["b", "a", "c", "a"], [], ["c", "d", "b"], ["x", "a"], ["d"], []]
    keep = lambda t: t != "x"  # noqa: E731
    got, vocab = _keywords._count_matrix(docs, keep)
    cv = CountVectorizer(analyzer=lambda d: d, dtype=np.float64)
    ref = cv.fit_transform([[t for t in d if keep(t)] for d in docs])
    assert vocab.tolist() == cv.get_feature_names_out().tolist()
    assert got.indptr.tolist() == ref.indptr.tolist()
    assert got.indices.tolist() == ref.indices.tolist()
    assert got.data.tolist() == ref.data.tolist()


def test_keywords_only_dropped_tokens_give_empty_table():
    assert keywords(["希望加强", "有待提高", None], top_k=3).empty
