"""The fast paths of clean() and privacy equal the plain per-value definitions on tricky inputs.

clean() factorises each raw column once and works on integer codes; large dictionaries are
normalised by Arrow; pseudonyms use precomputed HMAC pads; known names are matched by a trie
regex; redaction skips texts that cannot match.  Each is checked here against the simple
definition it replaces.
"""
import hashlib
import hmac
import random
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import survey_analysis as sa
from survey_analysis.cleaning import codes as cl
from survey_analysis.cleaning.exclusions import duplicate_answers
from survey_analysis import pii
from survey_analysis.privacy import PLACEHOLDERS, Pseudonymizer, Redactor, resolve_spans

TRICKY = [
    "满意", " 满意", "满意\u3000", "\u3000满意", "满意\x1c", "\x85满意", "满\x07意", "ＥＸＣＥＬ", "Excel",
    "①", "x²", "ﬁle", "e\u0301", "\u1100\u1161", "가", "", " ", "nan", "NaN", "None", "#N/A", "N/A",
    "#NULL!", "#DIV/0!", "1.0", "-2", "(跳过)", "a\tb", "a\nb", " a\r\n", "\u00a0x\u00a0", "\u2028y\u2029",
    "１２３", "٣٤٥", "张伟", "tab\t", "\x00nul", "\ufeffbom", "Ⅻ", "㍻", "ｶﾞ", "\u200bzero",
]


def _tricky_values(n=800, seed=0):
    rng = random.Random(seed)
    out = list(TRICKY)
    while len(out) < n:
        out.append(rng.choice(TRICKY) + str(rng.randint(0, 10 ** 6)) + rng.choice(TRICKY))
    return out


# ---------------------------------------------------------------------------------------------
# factorisation and normalisation
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("chunked", [False, True])
def test_factorize_equals_pandas_on_arrow_strings(chunked):
    vals = _tricky_values(300) + [None] * 5
    random.Random(1).shuffle(vals)
    s = pd.Series(vals, dtype="str")
    if chunked:  # an Arrow column in several chunks
        arr = pa.chunked_array([pa.array(vals[:100], pa.large_string()), pa.array(vals[100:], pa.large_string())])
        s = pd.Series(pd.arrays.ArrowStringArray(arr)).astype("str")
    codes, uniques, dictionary = cl.factorize(s)
    ref_codes, ref_uniques = pd.factorize(s, use_na_sentinel=True)
    np.testing.assert_array_equal(codes.astype(np.int64), ref_codes)
    got = uniques if uniques is not None else dictionary.to_pylist()
    assert got == list(ref_uniques)


def test_factorize_object_and_numbers():
    s = pd.Series([1.0, None, "1", 1.0, np.nan, "x", 2.5], dtype=object)
    c = cl.Coded(s)
    assert c.norm == [cl.normalize_cell(u) for u in pd.factorize(s)[1]]
    assert c.norm_codes().tolist() == [0, -1, 0, 0, -1, 1, 2]  # 1.0 and "1" normalise to "1"


def test_arrow_normalisation_equals_python():
    vals = _tricky_values(2000)
    dictionary = pa.array(list(dict.fromkeys(vals)), type=pa.large_string())
    assert len(dictionary) >= 512  # the Arrow path
    assert cl.arrow_nfkc_agrees(cl.chars(dictionary))
    fast = cl.normalize_uniques(dictionary.to_pylist(), dictionary)
    assert fast == [cl.normalize_cell(u) for u in dictionary.to_pylist()]


def test_unassigned_character_falls_back_to_python():
    vals = [f"v{i}\u0378" for i in range(600)]  # U+0378 is unassigned
    dictionary = pa.array(vals, type=pa.string())
    assert not cl.arrow_nfkc_agrees(cl.chars(dictionary))
    assert cl.normalize_uniques(vals, dictionary) == [cl.normalize_cell(v) for v in vals]


def test_python_whitespace_table():
    assert cl.PY_WHITESPACE == "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def test_coded_rows_and_counts_match_comparisons():
    rng = np.random.default_rng(3)
    vals = np.array([f"v{i}" for i in range(40)] + [None], dtype=object)[rng.integers(0, 41, 50_000)]
    s = pd.Series(vals, index=pd.RangeIndex(2, 50_002), dtype="str")
    c = cl.Coded(s)
    codes = pd.factorize(s)[0]
    for k in range(len(c.uniques)):  # more than 8 uniques: the sorted path is used too
        want = list(s.index[codes == k])
        assert c.count(k) == len(want)
        assert c.rows(k) == want
        assert c.rows(k, 5) == want[:5]


def test_duplicate_answers_equal_dataframe_duplicated():
    rng = np.random.default_rng(0)
    n = 4000
    frame = pd.DataFrame({f"q{j}": np.array(["满意", " 满意", "一般", "-2", None], dtype=object)[rng.integers(0, 5, n)]
                          for j in range(4)}).astype("str")
    cols = cl.Columns(frame)
    skip = frozenset(cl.SKIP_CODES)
    live = np.flatnonzero(rng.random(n) < 0.8)
    got = duplicate_answers(cols, list(frame.columns), live, skip)
    norm = frame.map(cl.normalize_cell).mask(lambda d: d.isin(list(skip)))
    want = np.zeros(n, dtype=bool)
    want[live] = norm.iloc[live].astype(object).fillna("<NA>").duplicated(keep="first").to_numpy()
    np.testing.assert_array_equal(got, want)
    assert want.sum() > 100  # the case is not trivial


# ---------------------------------------------------------------------------------------------
# pseudonyms
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["k", b"\x00" * 3, "长密钥" * 40, b"x" * 64, b"y" * 65])
def test_pseudonyms_equal_hmac_sha256(key):
    p = Pseudonymizer(key)
    kb = key.encode() if isinstance(key, str) else key
    values = ["2021001", " 2021001 ", "张三", "", 12345, 1.5, "row:7"]
    want = ["R" + hmac.new(kb, str(v).strip().encode(), hashlib.sha256).hexdigest()[:16] for v in values]
    assert p.many(values) == want == [p(v) for v in values]
    s = pd.Series(["a", None, "b", "a", np.nan], dtype="str", index=[5, 6, 7, 8, 9], name="id")
    got = p.series(s)
    ref = s.astype(str).map({v: p(v) for v in pd.unique(s.astype(str))})
    pd.testing.assert_series_equal(got, ref)


# ---------------------------------------------------------------------------------------------
# redaction
# ---------------------------------------------------------------------------------------------
def _reference_redact(text, names, ids, person_patterns=True):
    """The plain definition: at each position the longest known id (a separator allowed between its
    characters, on the folded view), the identifier patterns without their quick first tests, at each
    position the longest known name (any separators between two of its Chinese characters, traditional
    folded), the name patterns; spans resolved leftmost-longest."""
    def scan(view, regexes, kind):
        spans, i = [], 0
        while i < len(view):
            best = max((m.end() for rx in regexes if (m := rx.match(view, i)) and m.end() > i), default=None)
            if best is None:
                i += 1
            else:
                spans.append((i, best, kind))
                i = best
        return spans

    id_view, name_view = pii.id_fold(text), pii.name_fold(text)
    sep_id, sep_name = "[ .\\-_/]?", "[" + re.escape(pii.NAME_SEPARATORS) + "]*"
    compact_ids = {re.sub(r"[ .\-_/]", "", pii.id_fold(i)).upper() for i in ids}
    cjk = re.compile("[\u3400-\u9fff]")
    gap = "(?<=[\u3400-\u9fff])[" + re.escape(pii.NAME_SEPARATORS) + "]+(?=[\u3400-\u9fff])"
    compact_names = {re.sub(gap, "", pii.name_fold(n)) for n in names} | {pii.name_fold(n) for n in names}

    def name_pattern(n):  # separators (any number) between two Chinese characters, nothing else
        out = re.escape(n[0])
        for a, b in zip(n, n[1:]):
            out += (sep_name if cjk.match(a) and cjk.match(b) else "") + re.escape(b)
        return out

    id_rx = [re.compile(sep_id.join(map(re.escape, i)), re.I) for i in compact_ids if len(i) >= 4]
    name_rx = [re.compile(name_pattern(n)) for n in compact_names if len(n) >= 2]
    spans = scan(id_view, id_rx, "student_id") + pii.find_identifiers(text, quick=False)
    spans += scan(name_view, name_rx, "name")
    if person_patterns:
        spans += pii.find_person_names(text)
    out, last, counts = [], 0, {}
    for a, b, kind in resolve_spans(spans):
        out.append(text[last:a] + PLACEHOLDERS[kind])
        counts[kind] = counts.get(kind, 0) + 1
        last = b
    return "".join(out) + text[last:], counts


NAMES = ["张伟", "张伟明", "伟明", "明亮", "王小明", "李", "欧阳娜娜", "a.b", "[x]", "(ok)", "Zoë", "買買提·艾力",
         "阿卜杜热依木"]
IDS = ["20210001", "2021000123", "A12-34", "0001", "s2021x7"]
PIECES = ["张伟明亮", "张伟", "伟明", "王小明", "欧阳娜娜", "李", "a.b", "[x]", "(ok)", "Zoë", "20210001",
          "2021000123", "A12-34", "0001", "13812345678", "138-1234-5678", "x@y.cn", "10.0.0.1", "微信：wxid_abc123",
          "QQ 12345678", "010-12345678", "١٢٣٤٥٦٧٨٩٠١", "１３８１２３４５６７８", "：", "，", "3个月", "2.5", "的", " ",
          "张 伟", "張偉", "买买提 艾力", "2021 0001", "S2021X7", "同学", "老师", "王", "经理", "说", "一三八", "一二三四五六七八",
          "(at)", "qq", "。com", "阿卜杜热依木", "-", "."]


def test_redactor_equals_reference_on_random_texts():
    rng = random.Random(7)
    red = Redactor(names=tuple(NAMES), ids=tuple(IDS))
    names = {n for n in NAMES if len(n) >= 2}
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 8)))
        assert red.redact(text) == _reference_redact(text, names, set(IDS)), text


def test_redact_series_equals_per_value_map():
    red = Redactor(names=("张伟",), ids=("20210001",))
    s = pd.Series(["张伟说好", None, "联系13812345678", "好", np.nan, "张伟说好", 13812345678, "学号20210001"],
                  index=[10, 11, 12, 13, 14, 15, 16, 17], dtype=object)
    out, hits = red.redact_series(s)
    mapping = {}
    for u in pd.unique(s.dropna()):
        r, c = red.redact(u)
        if c:
            mapping[u] = (r, c)
    want = s.map(lambda v: mapping[v][0] if isinstance(v, str) and v in mapping else v)
    pd.testing.assert_series_equal(out, want)
    want_hits = [(i, k, n) for i, v in s.items() if v in mapping for k, n in mapping[v][1].items()]
    assert list(hits.itertuples(index=False, name=None)) == want_hits
    # a str column keeps its dtype; no hit: an unchanged copy
    s2 = pd.Series(["张伟来了", "好"], dtype="str")
    assert red.redact_series(s2)[0].dtype == s2.dtype
    same, none = red.redact_series(pd.Series(["好"], dtype=object))
    assert same.tolist() == ["好"] and len(none) == 0


# ---------------------------------------------------------------------------------------------
# clean(): binary multi-select columns and choice-count checks, once per distinct answer
# ---------------------------------------------------------------------------------------------
def _raw(frame):
    from survey_analysis.codebook import Codebook
    from survey_analysis.io.base import RawSurvey, SourceInfo

    frame = frame.astype("str")
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")
    return RawSurvey(data=frame, codebook=Codebook([]), source=SourceInfo(path="t.csv", platform="wjx_numeric"))


def test_binary_columns_and_choice_checks():
    from survey_analysis.spec import FieldSpec, SurveySpec

    rows = [("1", "0", "1"), ("0", "0", "0"), ("-2", "-3", "-2"), ("-2", "", "-2"), (None, None, None),
            ("1", "1", "1"), (" 1", "0", "0"), ("1", "1", "0")] * 3
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    frame["m"] = ["甲┋乙┋丙", "丁", "甲┋丁", None, "甲", "乙┋丙", "丁┋甲┋乙", "丙"] * 3
    fields = {
        "bin": FieldSpec(field="bin", columns=("a", "b", "c"), type="multi", options=("甲", "乙", "丙"),
                         binary_columns=True),
        "m": FieldSpec(field="m", columns=("m",), type="multi", options=("甲", "乙", "丙", "丁"),
                       exclusive=("丁",), max_choices=2),
    }
    res = sa.clean(_raw(frame), SurveySpec(kind="custom", fields=fields), key="k", drop_empty=False,
                   duplicates="none", straightline_min_items=None, min_seconds=None)
    assert [None if pd.isna(v) else v for v in res.data["bin"]] == ["甲┋丙", None, None, None, None, "甲┋乙┋丙", "甲", "甲┋乙"] * 3
    inv = res.log[res.log["kind"] == "invalid"]
    # one row per cell, in row order, the exclusive check before the count check of the same row
    want = []
    for r, v in zip(range(2, 26), frame["m"]):
        p = v.split("┋") if isinstance(v, str) else []
        if len(p) > 1 and "丁" in p:
            want.append((r, "exclusive_violated"))
        if len(p) > 2:
            want.append((r, "too_many_choices"))
    assert list(zip(inv["row"], inv["rule"])) == want


# ---------------------------------------------------------------------------------------------
# string columns built from distinct values
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("values", [["甲", None, "乙"], ["甲", np.nan, "乙"], [None, None], ["甲", 1.5, None]])
def test_string_column_equals_astype(values):
    codes = np.array([0, 1, -1, 2, 0, -1][: 2 * len(values)]) % len(values)
    codes[codes == len(values) - 1] = -1  # the last value is the missing one
    vals = np.empty(len(values), dtype=object)
    vals[:] = values
    rows = np.array([0, 2, 3])
    got = cl.string_column(codes, vals, rows)
    want = pd.Series(vals[codes[rows]], dtype=object).astype("string")
    if not all(isinstance(v, str) or cl.is_na(v) for v in values):
        assert got is None
    else:
        pd.testing.assert_series_equal(got, want)


@pytest.mark.parametrize("col", [
    pd.Series(["制造业", None, "金融业", "制造业", "未知"], index=[3, 4, 5, 6, 7], name="industry", dtype=object),
    pd.Series([None, None], dtype=object), pd.Series(["a", "b"], dtype="str"), pd.Series([], dtype=object),
])
def test_distinct_series_equals_map(col):
    func = lambda v: (v[:1], v) if isinstance(v, str) and v != "未知" else None  # noqa: E731
    d = cl.Distinct(col, func)
    for pick in (lambda t: t[0] if t else None, lambda t: t[1] if t else None):
        pd.testing.assert_series_equal(d.series(pick), col.map(func).map(pick))


def test_redact_series_with_known_distinct_values():
    red = Redactor(names=("张伟",))
    s = pd.Series(["好", None, "一般", "好"], dtype=object)
    out, hits = red.redact_series(s, distinct=np.array(["好", "一般", None], dtype=object))
    ref, ref_hits = red.redact_series(s)
    pd.testing.assert_series_equal(out, ref)
    assert len(hits) == len(ref_hits) == 0
    s2 = pd.Series(["张伟好", "好"], dtype=object)
    out2, hits2 = red.redact_series(s2, distinct=np.array(["张伟好", "好"], dtype=object))
    assert out2.tolist() == ["[姓名]好", "好"] and len(hits2) == 1


@pytest.mark.parametrize("extra", [[], [" 7", "nan"], ["ＡＢ", "AB"]])
def test_large_id_dictionary_codes(extra):
    ids = [f"2021{i:06d}" for i in range(3000)] + extra
    s = pd.Series(ids + ids[:50] + [None], dtype="str")
    c = cl.Coded(s)
    norm = [cl.normalize_cell(u) for u in pd.factorize(s)[1]]
    assert list(c.norm) == norm
    ref_codes, ref_values = pd.factorize(pd.Series([norm[k] if k >= 0 else None for k in pd.factorize(s)[0]],
                                                   dtype=object), use_na_sentinel=True)
    np.testing.assert_array_equal(c.norm_codes().astype(np.int64), ref_codes)
    assert c.norm_values() == list(ref_values)


def test_the_log_keeps_a_finding_for_many_rows_once_and_spells_it_out_cell_by_cell():
    """Log.cells_at stores one entry per finding with its rows; cell_frame is the plain
    one-dict-per-cell log, in the order recorded."""
    from survey_analysis.cleaning.result import Log

    log = Log()
    plain = []

    def cell(kind, row, *rest):
        plain.append(dict(zip(["kind", "row", "field", "column", "original", "new", "rule", "detail"],
                              (kind, row, *rest)), count=1))

    log.cells_at("invalid", np.array([7, 2, 9]), "major", "Q6", "99", "", "code_out_of_range", "不是选项")
    for r in (7, 2, 9):
        cell("invalid", r, "major", "Q6", "99", "", "code_out_of_range", "不是选项")
    log.cell("redact", 4, "comment", "Q20", "[phone]×1", "", "redact_phone", "替换")
    cell("redact", 4, "comment", "Q20", "[phone]×1", "", "redact_phone", "替换")
    log.cells_at("invalid", pd.Index([3, 5]), "income", "Q9", ["120000", "0.5"], "", "implausible", "范围")
    cell("invalid", 3, "income", "Q9", "120000", "", "implausible", "范围")
    cell("invalid", 5, "income", "Q9", "0.5", "", "implausible", "范围")
    log.cells_at("invalid", [], "x", "Q1", "a", "", "r", "")  # no rows: nothing recorded
    want = pd.DataFrame(plain, columns=["kind", "row", "field", "column", "original", "new", "rule", "count", "detail"])
    got = log.cell_frame()
    pd.testing.assert_frame_equal(got.astype(object), want.astype(object))
    assert log.n_invalid == 5


def test_a_column_of_answers_that_are_not_options_is_logged_cell_by_cell_at_scale():
    """200,000 respondents who all typed an answer that is no option: one log row each, and the
    log is built without one Python object per cell on the way."""
    n = 200_000
    raw = pd.DataFrame({"序号": np.arange(1, n + 1), "您的性别": np.where(np.arange(n) % 2, "男", "不告诉你")})
    from survey_analysis.cleaning.result import Log
    from survey_analysis.cleaning.codes import Coded

    col = Coded(raw["您的性别"].astype("str"))
    k = col.uniques.index("不告诉你")
    log = Log()
    log.cells_at("invalid", col.row_labels(k), "gender", "您的性别", "不告诉你", "", "unknown_option", "不是选项")
    assert len(log._cells) == 1
    f = log.cell_frame()
    assert len(f) == n // 2 and f["row"].tolist() == list(range(0, n, 2))
    assert set(f["original"]) == {"不告诉你"} and log.n_invalid == n // 2
