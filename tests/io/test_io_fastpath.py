"""The fast readers give exactly what the plain ones give.

* CSV: pyarrow's parser (``_files._arrow_grid``) against pandas' C parser (the fallback) on
  tricky files -- quoted newlines, ``""`` empties, ``NA``, spaces, CR/CRLF, ragged rows,
  unclosed quotes, blank lines, BOMs, ``sep=`` lines, GBK.  The cross-check on the first rows
  is switched off here, so the comparison tests the parser itself, not the safety net.
* Codebook inference on Arrow distinct values (``infer._uniques`` / ``_numbers`` /
  ``infer_values``) against the same functions on plain Python lists.
"""
from __future__ import annotations

import codecs
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_analysis.errors import ReadError
from survey_analysis.io import _files, infer, read_survey


def _grid(path, encoding=None, *, fast: bool, monkeypatch):
    """read_csv_grid with the fast parser on (no first-rows cross-check) or off."""
    with monkeypatch.context() as m:
        m.setattr(_files, "_CHECK_ROWS", 0)
        if not fast:
            m.setattr(_files, "_arrow_grid", lambda *a, **k: None)
        try:
            g = _files.read_csv_grid(path, encoding=encoding)
        except ReadError as exc:
            return ("error", str(exc), exc.row)
    return ("ok", g.cells, list(g.row_numbers), g.encoding, g.notes)


def _assert_same(a, b):
    assert a[0] == b[0], (a, b)
    if a[0] == "ok":
        pd.testing.assert_frame_equal(a[1], b[1])
        assert a[2:] == b[2:]
    else:
        assert a[1:] == b[1:]


_ATOMS = ["a", "中文", " ", "NA", "1", "-2", '"', '""', "\n", "\r\n", "\r", ",", "\t", ";", "┋", "〖其他〗", "\u3000", "\ufeff"]


@st.composite
def csv_files(draw):
    sep = draw(st.sampled_from([",", ",", "\t", ";"]))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    n_cols = draw(st.integers(1, 4))
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        width = draw(st.sampled_from([n_cols] * 8 + [n_cols + 1, max(1, n_cols - 1), 0]))
        fields = []
        for _ in range(width):
            text = "".join(draw(st.lists(st.sampled_from(_ATOMS), max_size=4)))
            quoted = draw(st.booleans()) or any(c in text for c in (sep, "\n", "\r", '"'))
            if quoted and draw(st.integers(0, 9)):
                text = '"' + text.replace('"', '""') + '"'
            fields.append(text)
        rows.append(sep.join(fields))
    text = eol.join(rows) + draw(st.sampled_from([eol, eol, "", '"open']))
    if draw(st.integers(0, 9)) == 0:
        text = f"sep={sep}\n" + text
    enc = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk"]))
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    return data, (".tsv" if sep == "\t" else ".csv"), draw(st.sampled_from([None, None, "utf-8", "gbk"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=csv_files())
def test_fast_csv_parser_equals_pandas(tmp_path, monkeypatch, case):
    data, ext, encoding = case
    p = tmp_path / f"f{ext}"
    p.write_bytes(data)
    _assert_same(_grid(p, encoding, fast=True, monkeypatch=monkeypatch),
                 _grid(p, encoding, fast=False, monkeypatch=monkeypatch))


def _spy(monkeypatch):
    used = []
    real = _files._arrow_grid

    def spy(*a, **k):
        g = real(*a, **k)
        used.append(g is not None)
        return g

    monkeypatch.setattr(_files, "_arrow_grid", spy)
    return used


@pytest.mark.parametrize(
    "text",
    [
        'a,b,c\n1,"x,y",""\n2,"多行\n文本",NA\n3, ,"say ""hi"""\n',
        'a,b\r\n1,"x\r\ny"\r\n2,\r\n',
        "a\n1\n\n2\n",  # blank line in a one-column file: a missing row, as pandas
        'a,b\n1,"ends with quote"""\n',  # the file ends with a doubled quote: not an unclosed one
    ],
)
def test_fast_path_taken_and_equal(tmp_path, monkeypatch, text):
    p = tmp_path / "t.csv"
    p.write_bytes(codecs.BOM_UTF8 + text.encode())
    slow = _grid(p, fast=False, monkeypatch=monkeypatch)
    used = _spy(monkeypatch)
    fast = _grid(p, fast=True, monkeypatch=monkeypatch)
    _assert_same(fast, slow)
    assert used and (used[-1] or text.endswith('"""\n'))  # an ambiguous end may go to pandas


@pytest.mark.parametrize(
    "text, message",
    [
        ('a,b\n1,"open\n2,3\n', "引号没有闭合"),
        ('a,b\n1,2\n3,"', "引号没有闭合"),
        ("\na,b\n1,2\n", "没有数据行"),
        ("a,b\n1,2\n3,4,5\n", "字段数比表头多"),
    ],
)
def test_fast_path_falls_back_with_the_same_error(tmp_path, monkeypatch, text, message):
    p = tmp_path / "bad.csv"
    p.write_bytes(text.encode())
    fast = _grid(p, fast=True, monkeypatch=monkeypatch)
    assert fast[0] == "error" and message in fast[1]
    _assert_same(fast, _grid(p, fast=False, monkeypatch=monkeypatch))


def _big_rows(n):
    rng = random.Random(1)
    lines = ["序号,专业,意见"]
    for i in range(n):
        comment = rng.choice(["希望加强实践", '"多行\n意见"', '"含,逗号"', "", "NA"])
        lines.append(f"{i},软件工程,{comment}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["none", "bom", "invalid", "nul"])
def test_large_utf8_checks(tmp_path, monkeypatch, where):
    """Above 1 MB the UTF-8 / BOM scan runs in pieces on two threads: a BOM or a bad byte
    anywhere (also near the cut between the pieces) sends the file to the decoding path."""
    monkeypatch.setattr(_files, "_CHUNK", 4096)
    body = _big_rows(60_000).encode()
    assert len(body) > (1 << 20)
    cut = len(body) // 2
    while body[cut - 1:cut] != b"\n":
        cut += 1
    if where == "bom":
        body = body[:cut] + codecs.BOM_UTF8 + body[cut:]
    elif where == "invalid":
        body = body[:cut] + b"\xff" + body[cut:]
    elif where == "nul":
        body = body[:cut] + b"\x00" + body[cut:]
    p = tmp_path / "big.csv"
    p.write_bytes(codecs.BOM_UTF8 + body)
    # only a clean file is parsed straight from disk; the others are decoded first
    assert (_files._utf8_plan(p.read_bytes(), p, None) is not None) == (where == "none")
    fast = _grid(p, fast=True, monkeypatch=monkeypatch)
    _assert_same(fast, _grid(p, fast=False, monkeypatch=monkeypatch))
    if where == "bom":
        assert any("BOM" in n for n in fast[4])
    if where == "none":
        assert np.array_equal(fast[2], _grid(p, fast=False, monkeypatch=monkeypatch)[2])


def test_read_survey_same_with_and_without_fast_parser(tmp_path, monkeypatch):
    p = tmp_path / "s.csv"
    p.write_bytes(_big_rows(3000).encode())
    fast = read_survey(p)
    monkeypatch.setattr(_files, "_arrow_grid", lambda *a, **k: None)
    slow = read_survey(p)
    pd.testing.assert_frame_equal(fast.data, slow.data)
    assert [vars(q) for q in fast.codebook] == [vars(q) for q in slow.codebook]
    assert fast.data.index[-1] == 3000 + 1 + fast.data["意见"].str.count("\n").fillna(0).sum()


# -- inference on Arrow distinct values -------------------------------------------------
def _as_python(values):
    return pd.Series(values, dtype=object)


_TRICKY = ["a", " ", "\u3000", "\x1c", "", None, "b ", " a", "a", "\n", "１２", " 12 ", "12", "1.", ".5", "+1",
           "1e400", "-0", "1_000", "nan", "inf", "0x10", "1e5", "١٢", "12\n", "很满意", "满意"]


@pytest.mark.parametrize("seed", range(30))
def test_uniques_and_numbers_match_python(seed):
    rng = random.Random(seed)
    pool = rng.sample(_TRICKY, rng.randint(1, len(_TRICKY)))
    numeric = [str(rng.choice([rng.randint(-5, 40), rng.random() * 1e6, rng.randint(0, 10**12)])) for _ in range(200)]
    if rng.random() < 0.5:
        pool = numeric + pool[: rng.randint(0, 2)]
    values = [rng.choice(pool) for _ in range(rng.randint(1, 6000))]
    s = pd.Series(values, dtype="str")
    u_fast, n_fast = infer._uniques(s)
    u_slow, n_slow = infer._uniques_python(_as_python(values))
    assert list(u_fast) == list(u_slow) and n_fast == n_slow
    a, b = infer._numbers(u_fast), infer._numbers_python(list(u_slow))
    assert (a is None) == (b is None)
    if a is not None:
        assert np.array_equal(a, b)
    assert infer.infer_values(u_fast, n_fast, "题目（多选）") == infer.infer_values(list(u_slow), n_slow, "题目（多选）")


@pytest.mark.parametrize("n_distinct", [10, 49, 51, 60, 5000])
def test_open_text_early_stop_equals_full_collection(n_distinct):
    """infer_values stops collecting options past the largest scale (and 50): the same answer
    as collecting them all -- also for answers with 〖其他〗 text."""
    values = [f"意见{i}" if i % 3 else f"其他〖说明{i}〗" for i in range(n_distinct)]
    got = infer.infer_values(values, 2 * n_distinct)
    infer._open_bound.cache_clear()
    try:
        import unittest.mock as mock

        with mock.patch.object(infer, "_open_bound", lambda: 10**9):
            full = infer.infer_values(values, 2 * n_distinct)
    finally:
        infer._open_bound.cache_clear()
    assert got == full


def test_matrix_and_cache_share_distinct_values(tmp_path):
    head = "序号,1、满意度—甲,1、满意度—乙,2、意见\n"
    rows = "".join(f"{i},{['很满意', '满意', '一般'][i % 3]},{['满意', '不满意'][i % 2]},意见{i}\n" for i in range(300))
    p = tmp_path / "m.csv"
    p.write_bytes((head + rows).encode())
    raw = read_survey(p)
    q = raw.codebook["1"]
    assert q.type == "matrix" and q.rows == ["甲", "乙"]
    assert set(q.options) == {"很满意", "满意", "一般", "不满意"}
    assert raw.codebook["2"].type == "open"


def test_blank_characters_are_exactly_pythons_whitespace():
    assert infer._blank_chars() == "".join(chr(i) for i in range(0x110000) if chr(i).isspace())


def _csv_from_workbook(src, dst, pad_codes=False):
    """A workbook export re-saved as CSV text (as a school would), -2/-3 optionally padded."""
    import csv

    from survey_analysis.io._excel import read_excel_grid
    from survey_analysis.io._files import fmt_cell, is_blank

    g = read_excel_grid(src)
    rows = [["" if is_blank(v) else fmt_cell(v) for v in r] for r in g.cells.astype(object).values.tolist()]
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        for i, r in enumerate(rows):
            w.writerow([f" {v} " if pad_codes and i % 3 == 0 and v in ("-2", "-3") else v for v in r])
    return dst


@pytest.fixture(scope="module")
def platform_csvs(tmp_path_factory):
    from survey_analysis.datasets import generate_graduates, load_questionnaire, writers

    d = tmp_path_factory.mktemp("platforms")
    grad = generate_graduates(5, 400, 2025)[0]
    qn = load_questionnaire("graduate")
    return {
        "tencent": _csv_from_workbook(writers.write_tencent(d / "t.xlsx", qn, grad), d / "tencent.csv"),
        "wjx_numeric": _csv_from_workbook(writers.write_wjx_numeric(d / "n.xls", qn, grad), d / "numeric.csv", True),
        "wjx_text": _csv_from_workbook(writers.write_wjx_text(d / "w.xls", qn, grad), d / "text.csv"),
    }


@pytest.mark.parametrize("platform", ["tencent", "wjx_numeric", "wjx_text"])
def test_arrow_inference_equals_python_inference(platform_csvs, monkeypatch, platform):
    """The same CSV read with Arrow-backed inference and with the plain Python rules
    (``_arrow_strings`` switched off): same data (-2/-3 removed, A. prefixes stripped), same
    codebook, same counts of coded missing values."""
    p = platform_csvs[platform]
    fast = read_survey(p)
    assert fast.source.platform == platform
    monkeypatch.setattr(infer, "_arrow_strings", lambda s: None)
    slow = read_survey(p)
    pd.testing.assert_frame_equal(fast.data, slow.data)
    assert [vars(q) for q in fast.codebook] == [vars(q) for q in slow.codebook]
    assert fast.source.coded_missing == slow.source.coded_missing
    if platform == "wjx_numeric":
        assert fast.source.coded_missing  # the padded " -2 " cells were found too


def test_answers_that_are_only_a_separator_do_not_crash(tmp_path):
    """A column answered only with "|" used to stop read_survey with "max() arg is an empty
    sequence"; it is an open (one-option) column now."""
    p = tmp_path / "pipe.csv"
    p.write_bytes("a,b\n1,|\n2,|\n".encode())
    raw = read_survey(p)
    assert raw.codebook["2"].type in ("single", "open")
    assert raw.data["b"].tolist() == ["|", "|"]


def _wide_rows(n, *, stray_quote_at=None):
    """A 9-column export with quoted multi-line comments (some with commas) every 7th row."""
    lines = ["序号,姓名,手机,专业,q1,q2,q3,q4,意见"]
    for i in range(1, n + 1):
        comment = '"第一行,有逗号\n第二行，也有,逗号"' if i % 7 == 0 else "希望加强实践"
        name = f"张{i}" if i != stray_quote_at else f'"张{i}'
        lines.append(f"{i},{name},1380000{i:04d},软件工程,5,4,3,2,{comment}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_stray_quote_that_swallows_records_is_refused(tmp_path, monkeypatch, fast, encoding):
    # Every CSV parser accepts this file (a quoted cell may hold line breaks) and loses the
    # swallowed respondents: the records after respondent 40 vanish into its 姓名 cell until the
    # next quote.  Respondent 40 starts on line 46 (header + 39 records + 5 two-line comments).
    p = tmp_path / "bad.csv"
    p.write_bytes(_wide_rows(60, stray_quote_at=40).encode(encoding))
    got = _grid(p, fast=fast, monkeypatch=monkeypatch)
    assert got[0] == "error", got
    msg, row = got[1], got[2]
    assert row == 46 and "从第 46 行开始" in msg and "没有闭合的双引号" in msg and "第 2 列" in msg
    assert "第 47 行在单元格内，却有 8 个分隔符" in msg
    assert "13800" not in msg and "张4" not in msg  # no personal data in the message


@pytest.mark.parametrize("fast", [True, False])
def test_multiline_comments_with_commas_are_not_taken_for_records(tmp_path, monkeypatch, fast):
    p = tmp_path / "ok.csv"
    p.write_bytes(_wide_rows(60).encode())
    got = _grid(p, fast=fast, monkeypatch=monkeypatch)
    assert got[0] == "ok" and len(got[1]) == 61
    # a narrow file (fewer than six columns) is never checked: a comment line is as wide as a record
    q = tmp_path / "narrow.csv"
    q.write_bytes('id,意见\n1,"甲,乙\n丙,丁"\n2,好\n'.encode())
    got = _grid(q, fast=fast, monkeypatch=monkeypatch)
    assert got[0] == "ok" and got[1].iloc[1, 1] == "甲,乙\n丙,丁"
