"""Every key of the mapping file is checked: unknown names are errors with a suggestion, the file
and the line; lists where a mapping belongs, reserved names, alias bombs and GBK files are handled."""
from pathlib import Path

import pandas as pd
import pytest

import survey_analysis as sa
from survey_analysis.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
EMP = ROOT / "data" / "raw" / "employer_2025_wjx_text.xls"


@pytest.fixture(scope="module")
def raw():
    return sa.read_survey(EMP)


def _load(tmp_path, raw, text, encoding="utf-8"):
    p = tmp_path / "m.yaml"
    p.write_bytes(text.encode(encoding))
    return sa.load_spec(p, raw)


@pytest.mark.parametrize("text,needle,line", [
    ("survey: employer\nfeilds:\n  major: {question: 6}\n", "是不是：fields", 2),
    ("survey: employer\nfields:\n  majr: {question: 6}\n", "是不是：major", 3),
    ("survey: employer\nfields:\n  major: {question: 6, typ: single}\n", "是不是：type", 3),
    ("survey: employer\nfields:\n  overall_satisfaction: {question: 10, type: ratings}\n", "是不是：rating", 3),
    ("survey: employer\nfields:\n  overall_satisfaction: {question: 10, scale: satisfaction}\n", "satisfaction5", 3),
    ("survey: employers\nfields:\n  major: {question: 6}\n", "是不是：employer", 1),
    ("survey: employer\nquestionnaire: employee\n", "是不是：employer", 2),
    ("survey: employer\nmatrices:\n  satt__: {question: 9}\n", "是不是：sat__", 3),
])
def test_unknown_names_suggest_the_closest(raw, tmp_path, text, needle, line):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, raw, text)
    msg = str(info.value)
    assert needle in msg and "m.yaml" in msg and f"第 {line} 行" in msg, msg


@pytest.mark.parametrize("text,needle", [
    ("survey: employer\nfields:\n  - major\n  - industry\n", "不是列表"),
    ("- survey\n- employer\n", "键值对"),
    ("survey: employer\nfields:\n  major: [6, 7]\n", "不是列表"),
    ("survey: employer\nfields:\n  respondent_id: {question: 1}\n", "自动生成的列"),
    ("survey: employer\nfields:\n  source_row: {question: 1}\n", "自动生成的列"),
    ("survey: employer\nfields:\n  major__other: {question: 1}\n", "自动生成的列"),
    ("survey: employer\nmatrices:\n  sat__: {question: 9, rows: [a, b]}\n", "不是列表"),
    ("survey: employer\nfields:\n  overall_satisfaction: {question: 10, scale: [好]}\n", "至少两个"),
])
def test_wrong_shapes_and_reserved_names(raw, tmp_path, text, needle):
    with pytest.raises(ConfigError, match=needle):
        _load(tmp_path, raw, text)


def test_custom_fields_start_with_x(raw, tmp_path):
    spec = _load(tmp_path, raw, "survey: custom\nfields:\n  x_行业: {question: 2}\n")
    assert spec["x_行业"].columns == ("2、贵单位所属行业",)


def test_alias_bomb_is_refused_with_bounded_memory(raw, tmp_path):
    import resource

    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    lines.append("fields: {major: *j}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ConfigError, match="别名"):
        _load(tmp_path, raw, "\n".join(lines) + "\n")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # KiB


def test_gbk_mapping_file_is_read(raw, tmp_path):
    spec = _load(tmp_path, raw, "survey: employer\nfields:\n  industry: \"2、贵单位所属行业\"\n", encoding="gbk")
    assert spec["industry"].columns == ("2、贵单位所属行业",)


def test_folder_instead_of_file(raw, tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(ConfigError, match="文件夹"):
        sa.load_spec(tmp_path / "dir.yaml", raw)


def test_income_bands_become_midpoints_through_yaml(tmp_path):
    rows = ["序号,1、您的专业,2、您的税前月收入", "1,软件工程,3001-5000元", "2,软件工程,5001-8000元",
            "3,机械工程,3000元以下", "4,机械工程,15000元以上", "5,软件工程,8001-10000元"]
    (tmp_path / "g.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    raw = sa.read_survey(tmp_path / "g.csv")
    spec = _load(tmp_path, raw, "survey: graduate\nfields:\n  major: {question: 1}\n  income: {question: 2}\n")
    assert spec["income"].type == "numeric"
    res = sa.clean(raw, spec, key="k", min_seconds=None, drop_empty=False, duplicates="none")
    assert res.data["income"].tolist() == [4000.5, 6500.5, 2250.0, 18750.0, 9000.5]


def test_options_decode_numeric_codes(tmp_path):
    rows = ["序号,1、您的专业,2、您对母校的总体满意度", "1,1,1", "2,2,3", "3,1,5", "4,2,2"]
    (tmp_path / "n.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    raw = sa.read_survey(tmp_path / "n.csv")
    spec = _load(tmp_path, raw, "survey: graduate\nfields:\n"
                                "  major: {question: 1, options: [软件工程, 机械工程]}\n"
                                "  school_satisfaction: {question: 2, options: [很满意, 满意, 一般, 不满意, 很不满意]}\n")
    res = sa.clean(raw, spec, key="k", min_seconds=None, drop_empty=False, duplicates="none", numeric_codes=True)
    assert res.data["major"].tolist() == ["软件工程", "机械工程", "软件工程", "机械工程"]
    assert res.data["school_satisfaction"].tolist() == [5.0, 3.0, 1.0, 4.0]  # code 1 = 很满意 = 5


def test_readme_documents_every_key_of_the_mapping_file():
    from survey_analysis.mapping import FIELD_KEYS, FIELD_TYPES, MAPPING_KEYS, MATRIX_KEYS, RESERVED_FIELDS, SURVEY_KINDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 用自己的导出文件"):readme.index("## 隐私")]
    for word in (*MAPPING_KEYS, *FIELD_KEYS, *MATRIX_KEYS, *FIELD_TYPES, *SURVEY_KINDS, *RESERVED_FIELDS):
        assert f"`{word}`" in section, word
    assert "--text-export" in section and "scale_lexicon.yaml" in section
