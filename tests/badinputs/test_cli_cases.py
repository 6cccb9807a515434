"""Command-line cases of issue 18: user mistakes end in exit 2 with a message naming the file, the
place and the fix -- never exit 1, never a traceback -- and nothing is written."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest

from survey_analysis.cli import main

ROOT = Path(__file__).resolve().parents[2]
EMP = ROOT / "data" / "raw" / "employer_2025_wjx_text.xls"
GRAD = ROOT / "data" / "raw" / "graduate_2024_vendor.xlsx"


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def _refused(argv, *needles, out=None):
    rc, so, err = _run(argv)
    assert rc == 2, (rc, err[-600:])
    assert "Traceback" not in err and "内部错误" not in err
    for n in needles:
        assert n in err, (n, err[-600:])
    if out is not None:
        assert not out.exists() or not any(out.iterdir())
    return err


@pytest.mark.parametrize("value", ["nan", "inf", "-5", "快"])
def test_min_seconds_must_be_a_finite_number(tmp_path, value):
    _refused(["clean", EMP, "--out", tmp_path / "o", "--min-seconds", value], "--min-seconds", out=tmp_path / "o")


@pytest.mark.parametrize("value", ["0", "-3"])
def test_min_cell_below_one_is_refused(tmp_path, value):
    src = tmp_path / "c.csv"
    pd.DataFrame({"意见": ["加强实践", "沟通不足", "英语差", "编程弱"] * 5, "专业": ["甲", "乙"] * 10}).to_csv(src, index=False)
    _refused(["themes", src, "--column", "意见", "--by", "专业", "--min-cell", value, "--out", tmp_path / "o"],
             "--min-cell")
    err = _refused(["outcomes", GRAD, "--min-cell", value, "--out", tmp_path / "p"])
    assert "min_cell" in err or "--min-cell" in err


def test_themes_on_two_distinct_texts(tmp_path):
    src = tmp_path / "two.csv"
    pd.DataFrame({"意见": ["加强实践能力", "沟通能力不足"] * 6}).to_csv(src, index=False)
    _refused(["themes", src, "--column", "意见", "--out", tmp_path / "o"], "two.csv", "至少 3 种", out=tmp_path / "o")


def test_themes_by_a_comment_column_or_on_names(tmp_path):
    src = tmp_path / "c.csv"
    pd.DataFrame({"意见": [f"第{i}条意见，电话1381234{i:04d}" for i in range(20)],
                  "建议": [f"建议{i}：加强实践" for i in range(20)],
                  "姓名（选填）": [f"张{i}伟" for i in range(20)]}).to_csv(src, index=False)
    _refused(["themes", src, "--column", "意见", "--by", "建议", "--out", tmp_path / "o"], "开放题文本", "--by 专业")
    _refused(["themes", src, "--column", "姓名（选填）", "--out", tmp_path / "o"], "个人信息列")


@pytest.mark.parametrize("yaml_text,needle", [
    ("survey: employer\nfields:\n  - major\n", "不是列表"),
    ("survey: employer\nfields:\n  respondent_id: {question: 1}\n", "自动生成的列"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n", "别名"),
])
def test_bad_mapping_files(tmp_path, yaml_text, needle):
    spec = tmp_path / "m.yaml"
    spec.write_text(yaml_text, encoding="utf-8")
    _refused(["clean", EMP, "--spec", spec, "--out", tmp_path / "o"], needle, "m.yaml", out=tmp_path / "o")


@pytest.mark.parametrize("config,needle", [
    (None, "文件夹"),
    ("majors: 软件工程\n", "majors"),
    ("min_cell: five\n", "min_cell"),
    ("min_cell: 0\n", "min_cell"),
    ("placement_benchmark: high\n", "placement_benchmark"),
    ("cohort: 二〇二五\n", "四位年份"),
])
def test_bad_config_files(tmp_path, config, needle):
    cfg = tmp_path / "config.yaml"
    if config is None:
        cfg.mkdir()
    else:
        cfg.write_text(config, encoding="utf-8")
    _refused(["report", "--employer", EMP, "--config", cfg, "--out", tmp_path / "o", "--format", "html"], needle,
             "config.yaml")


def test_gbk_config_is_read():
    from survey_analysis.pipeline import load_config

    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "config.yaml"
        p.write_bytes("school: 江南理工学院\nmin_cell: 10\n".encode("gbk"))
        cfg = load_config(p)
    assert cfg.school == "江南理工学院" and cfg.min_cell == 10


@pytest.mark.slow
def test_a_cohort_with_no_file_is_an_error(tmp_path):
    cfg = tmp_path / "config.yaml"
    cfg.write_text("cohort: 2019\n", encoding="utf-8")
    _refused(["report", "--graduate", GRAD, "--config", cfg, "--out", tmp_path / "o", "--format", "html"],
             "配置的届别 2019", "2024")


@pytest.mark.parametrize("count", ["inf", "1e300", "-3"])
def test_population_counts_must_be_counts(tmp_path, count):
    pop = tmp_path / "pop.csv"
    pop.write_text(f"专业,人数\n软件工程,{count}\n会计学,120\n", encoding="utf-8")
    _refused(["outcomes", GRAD, "--population", pop, "--out", tmp_path / "o"], "pop.csv", "人数")


def test_themes_by_hidden_group_is_not_recoverable_by_subtraction(tmp_path):
    """A group under --min-cell is hidden with at least one other group of the same theme, so
    its count cannot be worked out as the theme's total minus the groups shown."""
    texts = ["沟通能力不足，表达不清楚", "专业知识欠缺，理论基础薄弱", "实践动手能力需要加强",
             "团队协作意识不够", "外语水平有待提高", "吃苦耐劳精神不足"]
    rows = []
    for major, n in (("机械工程", 24), ("会计学", 24), ("法学", 18), ("小语种", 2)):
        rows += [{"意见": texts[(i * 7 + len(major)) % len(texts)], "专业": major} for i in range(n)]
    src = tmp_path / "c.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    out = tmp_path / "o"
    rc, so, err = _run(["themes", src, "--column", "意见", "--by", "专业", "--min-cell", "5", "--k", "3",
                        "--out", out])
    assert rc == 0, err[-600:]
    shares = pd.read_csv(out / "shares.csv", encoding="utf-8-sig")
    themes = pd.read_csv(out / "themes.csv", encoding="utf-8-sig")
    hidden = shares["已隐藏（样本过少）"].eq("是")
    assert hidden[shares["组"].eq("小语种")].all()
    assert shares.loc[hidden, ["组内有效人数", "提及人数", "组内占比"]].isna().all().all()
    for theme, rows_t in shares.groupby("主题编号"):
        n_hidden = int(rows_t["已隐藏（样本过少）"].eq("是").sum())
        # none hidden, or at least two: the theme total minus the shown counts is a sum of several
        assert n_hidden != 1, rows_t
    assert len(themes)


@pytest.mark.parametrize("kind", ["folder", "alias_bomb", "gbk"])
def test_programme_mapping_file_is_read_like_the_other_yaml_files(tmp_path, kind):
    """The training programme's mapping file: a folder or an alias bomb is a ConfigError naming the
    file (exit 2), a GBK file is read."""
    import survey_analysis as sa
    from survey_analysis.errors import ConfigError

    m = tmp_path / "映射.yaml"
    if kind == "folder":
        m.mkdir()
    elif kind == "alias_bomb":
        lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
        lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
        m.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        m.write_bytes("ignore: [考核方式]\n".encode("gbk"))
    src = ROOT / "data" / "raw" / "programme_2025.xlsx"
    if kind == "gbk":
        assert sa.read_programme(src, mapping=m).summary() is not None
        return
    with pytest.raises(ConfigError) as err:
        sa.read_programme(src, mapping=m)
    assert "映射.yaml" in str(err.value)
