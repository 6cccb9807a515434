"""Property tests (hypothesis) on the reader, the cleaner and the text layer.

* No input crashes with anything but the package's own error (:class:`SurveyError`).
* Rows in = rows kept + rows excluded, and the log lists every excluded row once.
* Cleaning is idempotent: the cleaned data written as CSV, read again and cleaned with the
  same rules (the canonical columns mapped onto themselves; the duplicate check, which compares
  raw answers, off) keeps every row and changes no value.
* The input is never modified (the RawSurvey's data, the comment Series).
"""
from __future__ import annotations

import dataclasses
import functools
import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey_analysis import clean, infer_spec, read_survey
from survey_analysis.errors import SurveyError

FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])


@functools.lru_cache(maxsize=1)
def _base_answers() -> pd.DataFrame:
    from survey_analysis.datasets import generate_employers

    answers, _ = generate_employers(11, 24)
    return answers


@functools.lru_cache(maxsize=1)
def _good_files(folder: str) -> dict:
    from survey_analysis.datasets import load_questionnaire, writers

    from pathlib import Path

    d = Path(folder)
    q = load_questionnaire("employer")
    a = _base_answers()
    return {
        ".xls": writers.write_wjx_text(d / "good.xls", q, a).read_bytes(),
        ".xlsx": writers.write_vendor_two_header(d / "good.xlsx", q, a).read_bytes(),
        ".csv": writers.write_csv_gbk(d / "good.csv", q, a).read_bytes(),
        ".sav": writers.write_sav(d / "good.sav", q, a).read_bytes(),
    }


# -- reader: damaged real exports ----------------------------------------------------------
@pytest.fixture(scope="module")
def good_files(tmp_path_factory):
    return _good_files(str(tmp_path_factory.mktemp("good")))


@FAST
@given(ext=st.sampled_from([".xls", ".xlsx", ".csv", ".sav"]), data=st.data())
def test_damaged_exports_read_or_fail_cleanly(tmp_path, good_files, ext, data):
    raw_bytes = bytearray(good_files[ext])
    how = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 30))):
            raw_bytes[data.draw(st.integers(0, len(raw_bytes) - 1))] = data.draw(st.integers(0, 255))
    elif how == "truncate":
        raw_bytes = raw_bytes[: data.draw(st.integers(0, len(raw_bytes) - 1))]
    else:
        at = data.draw(st.integers(0, len(raw_bytes)))
        raw_bytes[at:at] = data.draw(st.binary(min_size=1, max_size=200))
    p = tmp_path / f"damaged{ext}"
    p.write_bytes(bytes(raw_bytes))
    try:
        raw = read_survey(p)
    except SurveyError as exc:
        assert "damaged" in str(exc) and exc.hint  # names the file, says what to do
        return
    assert len(raw.data) >= 1 and raw.data.shape[1] >= 1
    assert raw.data.index.is_unique


# -- cleaner ---------------------------------------------------------------------------
_cell = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "无法评价", "很满意", "一般", "其他〖自填〗", "=1+1", "13812345678", "N/A", "-2", "0",
                     "999999", "很满意┋满意", "\u3000", "满意 "]),
    st.text(max_size=15),
)


@st.composite
def mutated_survey(draw):
    a = _base_answers().copy()
    cols = [c for c in a.columns if c not in ("序号", "提交答卷时间")]
    for _ in range(draw(st.integers(0, 25))):
        r = draw(st.integers(0, len(a) - 1))
        c = draw(st.sampled_from(cols))
        v = draw(_cell)
        if c == "所用时间":
            v = draw(st.one_of(st.none(), st.integers(0, 5000)))
        a[c] = a[c].astype(object)
        a.iat[r, a.columns.get_loc(c)] = v
    dup = draw(st.lists(st.integers(0, len(a) - 1), max_size=3))  # resubmissions
    if dup:
        a = pd.concat([a, a.iloc[dup]], ignore_index=True)
        a["序号"] = range(1, len(a) + 1)
    return a


def _write(path, answers):
    from survey_analysis.datasets import load_questionnaire, writers

    return writers.write_wjx_text(path, load_questionnaire("employer"), answers)


def _canonical_spec(spec):
    """The spec of the cleaned data: every kept field read from its own canonical column."""
    from survey_analysis.spec import SurveySpec

    fields = {}
    for name, f in spec.fields.items():
        if f.pii or f.type == "id":
            continue
        fields[name] = dataclasses.replace(f, columns=(name,), binary_columns=False)
    return SurveySpec(kind=spec.kind, fields=fields)


@FAST
@given(answers=mutated_survey())
def test_clean_accounts_for_every_row_is_idempotent_and_pure(tmp_path, answers):
    p = _write(tmp_path / "e.xls", answers)
    raw = read_survey(p)
    before = raw.data.copy(deep=True)
    try:
        spec = infer_spec(raw, kind="employer")
        res = clean(raw, spec, key="k")
    except SurveyError:
        return  # a clear refusal is allowed; a crash is not
    pd.testing.assert_frame_equal(raw.data, before)  # the input is never modified
    s = res.summary
    assert s["rows_in"] == len(raw.data) == s["rows_kept"] + s["rows_excluded"]
    assert len(res.data) == s["rows_kept"]
    ex = res.exclusions
    assert len(ex) == s["rows_excluded"] and ex["row"].is_unique
    assert set(ex["row"]).isdisjoint(set(res.data["source_row"]))
    assert set(ex["row"]) | set(res.data["source_row"]) == set(raw.data.index)

    # idempotence: clean(write(clean(x))) keeps every row and every value
    if len(res.data) == 0:
        return
    from survey_analysis.outputs import write_csv

    csv_path = write_csv(res.data.drop(columns=["respondent_id", "source_row"]), tmp_path / "cleaned.csv")
    raw2 = read_survey(csv_path, platform="generic")
    # duplicates="none": the duplicate check compares the *raw* answers, so two submissions that
    # differ only in an answer cleaning sets missing are both kept the first time and would be
    # duplicates the second time (reported; see docs/reliability.md)
    res2 = clean(raw2, _canonical_spec(res.spec), key="k", numeric_codes=False, min_seconds=None,
                 duplicates="none")
    spec2 = _canonical_spec(res.spec)
    # compared: the fields read again (``<field>__other`` texts and the derived codes are outputs
    # of the first pass that the canonical mapping does not read back)
    cols = [c for c in res.data.columns if c in spec2.fields]
    a = res.data[cols].reset_index(drop=True)
    # the one difference allowed: a respondent whose every answer was invalid is kept the first
    # time (the empty check looks at the raw answers) but has nothing left the second time
    # (reported; see docs/reliability.md)
    # (such rows are dropped as blank lines by the reader or excluded as empty by clean)
    nothing_left = a.isna().all(axis=1).to_numpy()
    assert set(res2.exclusions["rule"]) <= {"empty"}, res2.exclusions[["row", "rule", "detail"]].head()
    b = res2.data[cols].reset_index(drop=True)
    b = b[~b.isna().all(axis=1).to_numpy()].reset_index(drop=True)
    a = a[~nothing_left].reset_index(drop=True)
    assert len(b) == len(a)
    for c in a.columns:
        for x, y in zip(a[c].tolist(), b[c].tolist()):
            if _missing(x):
                assert _missing(y), (c, x, y)
            elif isinstance(x, float) or isinstance(y, float):
                assert float(x) == pytest.approx(float(y)), (c, x, y)
            elif str(x).startswith(("=", "+", "-", "@")) and str(y) == "'" + str(x):
                continue  # formula-like text is written with an apostrophe on purpose (section 5)
            else:
                assert str(x) == str(y), (c, x, y)


def _missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


# -- text layer ----------------------------------------------------------------------------
_text = st.one_of(
    st.none(), st.just(float("nan")), st.integers(-10, 10**12), st.floats(allow_nan=True),
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(list("沟通能力实践不足希望加强，。！？、1①但不过 \n\t\u3000Ｅｘｃｅｌ")), max_size=80),
)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(_text, max_size=8))
def test_text_layer_never_crashes_and_counts_every_comment(texts):
    from survey_analysis.text import comment_status, extract_skills, keywords, normalize_text, tokenize

    s = pd.Series(texts, dtype=object)
    before = s.copy()
    mentions = extract_skills(s)
    pd.testing.assert_series_equal(s, before)  # input untouched
    assert sum(mentions.attrs["status_counts"].values()) == len(texts)
    if len(mentions):
        assert set(mentions["comment_id"]) <= set(s.index)
        assert set(mentions["polarity"]) <= {"gap", "strength", "neutral"}
    for t in texts:
        toks = tokenize(t)
        assert isinstance(toks, list) and all(isinstance(x, str) and x.strip() for x in toks)
        status = comment_status(t)
        assert status in {"empty", "invalid", "no_content", "text"}
        assert (status == "invalid") == (not isinstance(t, str))
        if isinstance(t, str):
            assert isinstance(normalize_text(t), str)
    try:
        kw = keywords(s, top_k=3)
    except SurveyError:
        return  # e.g. no tokens at all: a clear error is fine
    assert list(kw.columns)[:3] == ["group", "rank", "keyword"]
    if len(kw):
        assert (kw.groupby("group")["rank"].max() <= 3).all()
        # documented: single Chinese characters and bare numbers are not keywords
        assert not kw["keyword"].map(lambda k: (len(k) == 1 and "\u4e00" <= k <= "\u9fff")
                                     or k.replace(".", "", 1).isdigit()).any()
