"""Rating answers are scored from their words, never by the order they appear in.

Every built-in scale is fed reversed and shuffled (and in traditional characters, which only the
word reading knows); scales nobody declared (好/较好/一般/较差/差, 非常同意…非常不同意, 非常滿意 …)
are scored from their words; words of no scale are refused with a message asking for ``scale:``.
"""
import random

import opencc
import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.errors import ConfigError
from survey_analysis.io.choices import load_scales
from survey_analysis.io.lexicon import lexicon_scale

S2T = opencc.OpenCC("s2t")


def _builtin_scores(name):
    sc = load_scales()[name]
    n = len(sc["labels"])
    want = {lab: float(n - i) for i, lab in enumerate(sc["labels"])}
    return want


def _file(tmp_path, answers, header="7、您对本校毕业生的总体评价", name="s.csv"):
    rows = [("序号", header)] + [(i + 1, a) for i, a in enumerate(answers)]
    path = tmp_path / name
    path.write_text("\n".join(f"{a},{b}" for a, b in rows) + "\n", encoding="utf-8")
    return path


def _clean_scores(tmp_path, answers, *, scale_line=""):
    path = _file(tmp_path, answers)
    raw = sa.read_survey(path)
    (tmp_path / "m.yaml").write_text(
        "survey: custom\nfields:\n  overall_satisfaction: {question: 7, type: rating%s}\n" % scale_line, encoding="utf-8")
    spec = sa.load_spec(tmp_path / "m.yaml", raw)
    res = sa.clean(raw, spec, key="k", min_seconds=None, duplicates="none", straightline_min_items=None,
                   drop_empty=False)
    return dict(zip(answers, res.data["overall_satisfaction"]))


@pytest.mark.parametrize("name", sorted(load_scales()))
@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_every_builtin_scale_reversed_and_shuffled(name, order, tmp_path):
    want = _builtin_scores(name)
    labels = list(want)
    labels = labels[::-1] if order == "reversed" else random.Random(len(name)).sample(labels, len(labels))
    answers = [lab for lab in labels for _ in range(3)]
    got = _clean_scores(tmp_path, answers)
    assert got == {lab: want[lab] for lab in labels}
    # the words alone give the same scores (without the scale's entry in scales.yaml)
    assert lexicon_scale(labels).scores == {lab: want[lab] for lab in labels}


@pytest.mark.parametrize("name", sorted(load_scales()))
def test_every_builtin_scale_in_traditional_characters(name, tmp_path):
    want = _builtin_scores(name)
    trad = {S2T.convert(lab): s for lab, s in want.items()}
    labels = random.Random(7).sample(list(trad), len(trad))
    assert _clean_scores(tmp_path, labels) == {lab: trad[lab] for lab in labels}


@pytest.mark.parametrize("scale", [
    ["好", "较好", "一般", "较差", "差"],
    ["非常同意", "同意", "说不清", "不同意", "非常不同意"],
    ["非常滿意", "滿意", "一般", "不滿意", "非常不滿意"],
    ["完全符合", "比较符合", "不确定", "不太符合", "完全不符合"],
    ["优秀", "良好", "中等", "及格", "不及格"],
    ["很熟悉", "熟悉", "一般", "不熟悉", "很不熟悉"],
])
def test_unknown_scales_scored_from_words(scale, tmp_path):
    want = {lab: float(len(scale) - i) for i, lab in enumerate(scale)}
    for seed in range(3):
        answers = random.Random(seed).sample(scale, len(scale)) + ["无法评价"]
        got = _clean_scores(tmp_path, answers)
        assert pd.isna(got.pop("无法评价"))  # never 0
        assert got == want, (seed, answers)


def test_codebook_marks_scales_read_from_words(tmp_path):
    raw = sa.read_survey(_file(tmp_path, ["较差", "好", "一般", "差", "较好"] * 2))
    q = raw.codebook.get("7")
    assert q.type == "rating" and q.scale == "lexicon"
    assert q.options == ["好", "较好", "一般", "较差", "差"]  # best first, not by appearance


def test_words_of_no_scale_are_refused_with_a_hint(tmp_path):
    with pytest.raises(ConfigError, match="scale:") as info:
        _clean_scores(tmp_path, ["红色", "蓝色", "绿色"])
    assert "overall_satisfaction" in str(info.value) and "红色" in str(info.value)


def test_mixed_scales_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="scale:"):
        _clean_scores(tmp_path, ["非常满意", "同意", "一般"])


def test_scale_given_as_labels_in_the_mapping(tmp_path):
    answers = ["甲等", "丙等", "乙等", "丁等"]
    got = _clean_scores(tmp_path, answers, scale_line=", scale: [甲等, 乙等, 丙等, 丁等]")
    assert got == {"甲等": 4.0, "乙等": 3.0, "丙等": 2.0, "丁等": 1.0}
