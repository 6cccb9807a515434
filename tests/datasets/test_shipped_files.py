"""Every shipped sample file exists, parses, and has the layout of the platform it imitates."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from .conftest import DATA, EMPLOYED, ROOT

FILES = [
    "raw/employer_2025_wjx_text.xls", "raw/graduate_2025_wjx_numeric.xls", "raw/graduate_2024_vendor.xlsx",
    "raw/graduate_2023_gbk.csv", "raw/roster_2025.xlsx", "config.yaml", "README.md", "truth/facts.json",
    "truth/employer_comment_truth.csv", "truth/graduate_comment_truth.csv", "truth/cleaning_cases.csv",
]
SYSTEM = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


@pytest.mark.parametrize("name", FILES)
def test_file_exists_and_is_small(name):
    p = DATA / name
    assert p.is_file(), name
    assert 0 < p.stat().st_size < 5 * 1024 * 1024


def test_employer_wjx_text_layout(employer_raw, eq, facts):
    df = employer_raw
    assert list(df.columns[:6]) == SYSTEM
    assert "2、贵单位所属行业" in df.columns
    assert "8、请评价以下能力素质对贵单位岗位的重要程度—沟通表达能力" in df.columns
    assert "17、您认为我校毕业生最需要加强的能力是什么" in df.columns
    assert len(df) == facts["cleaning_cases"]["employer_2025"]["rows"] == 612
    assert df["提交答卷时间"].str.match(r"^2025/\d{1,2}/\d{1,2} \d{2}:\d{2}:\d{2}$").all()
    assert df["所用时间"].str.match(r"^\d+秒$").all()
    assert set(df["来源"]) <= {"手机提交", "微信", "链接"}
    assert df["来自IP"].str.match(r"^\d+\.\d+\.\d+\.\d+\([^()]+-[^()]+\)$").all()
    assert df["序号"].astype(int).tolist() == list(range(1, len(df) + 1))
    multi = df["7、近三年贵单位招聘过我校哪些专业的毕业生（多选）"]
    assert multi.str.contains("┋").sum() > 100
    opts = set(eq["questions"][6]["options"])
    assert {x for v in multi if v for x in v.split("┋")} <= opts
    # other with its free text
    assert df["3、贵单位性质"].str.match(r"^其他〖.+〗$").any()


def test_employer_rating_values_and_na_rate(employer_raw, scales):
    df = employer_raw
    sat_cols = [c for c in df.columns if c.startswith("9、")]
    assert len(sat_cols) == 15
    allowed = set(scales["satisfaction5"]["labels"]) | {"无法评价", ""}
    cells = df[sat_cols].to_numpy().ravel()
    assert set(cells) <= allowed
    answered = cells[cells != ""]
    na_share = np.mean(answered == "无法评价")
    assert 0.03 <= na_share <= 0.06


def test_graduate_numeric_layout_and_codes(grad2025_raw, gq, facts):
    df = grad2025_raw
    assert list(df.columns[:6]) == SYSTEM
    assert len(df) == facts["cleaning_cases"]["graduate_2025"]["rows"] == 3050
    for pii in ("1、学号", "2、姓名", "3、手机号码"):
        assert pii in df.columns
    assert "第16题(薪酬福利)" in df.columns and "第20题(以上均不需改进)" in df.columns
    for q in gq["questions"]:
        n = q["number"]
        if q["type"] == "single":
            v = df[f"{n}、{q['text']}"]
            assert set(v.unique()) <= set(range(1, len(q["options"]) + 1)) | {-2, -3}, n
        elif q["type"] == "rating":
            assert set(df[f"{n}、{q['text']}"].unique()) <= {1, 2, 3, 4, 5, -2, -3}, n
        elif q["type"] == "matrix":
            for r in q["rows"]:
                assert set(df[f"第{n}题({r['label']})"].unique()) <= {1, 2, 3, 4, 5, 6, -2, -3}, (n, r)
        elif q["type"] == "multi":
            for o in q["options"]:
                assert set(df[f"第{n}题({o})"].unique()) <= {0, 1, -2, -3}, (n, o)


def test_graduate_numeric_minus3_exactly_where_logic_skips(grad2025_raw, gq):
    df = grad2025_raw
    qs = {q["field"] if "field" in q else q["field_prefix"]: q for q in gq["questions"]}
    dest_opts = qs["destination"]["options"]
    dest = df["8、您目前的毕业去向是"].map(lambda c: dest_opts[c - 1] if c > 0 else None)
    employed = dest.isin(EMPLOYED)
    answered_dest = dest.notna()
    for q in gq["questions"]:
        if q.get("applies_to") != "employed":
            continue
        n = q["number"]
        cols = ([f"第{n}题({r['label']})" for r in q["rows"]] if q["type"] == "matrix"
                else [f"第{n}题({o})" for o in q["options"]] if q["type"] == "multi"
                else [f"{n}、{q['text']}"])
        for col in cols:
            v = df[col]
            # not employed → always -3; employed → -3 only for the conditional questions
            assert (v[answered_dest & ~employed] == -3).all(), col
            if n not in (14, 18):
                assert not (v[employed] == -3).any(), col
    rel = df["13、您目前的工作与所学专业的相关程度"]
    unrelated = employed & rel.isin([4, 5])
    b51 = df["14、您的工作与专业不相关的主要原因"]
    assert ((b51 == -3) == ~unrelated)[answered_dest].all()
    jc = df["17、毕业以来您离职过几次"]
    changed = employed & jc.isin([2, 3, 4])
    assert ((df["第18题(薪资福利偏低)"] == -3) == ~changed)[answered_dest].all()
    # entirely empty submissions: -2 (skipped) everywhere, never -3
    assert (df.loc[~answered_dest, "14、您的工作与专业不相关的主要原因"] == -2).all()
    # questions everybody sees are never -3
    for q in gq["questions"]:
        if q.get("applies_to") is None and q["type"] in ("single", "rating"):
            assert not (df[f"{q['number']}、{q['text']}"] == -3).any()


def test_graduate_numeric_improve_at_most_three_and_exclusive(grad2025_raw, gq):
    q = next(q for q in gq["questions"] if q.get("field") == "improve")
    cols = [f"第20题({o})" for o in q["options"]]
    m = grad2025_raw[cols]
    answered = (m >= 0).all(axis=1)
    picks = m[answered].sum(axis=1)
    assert picks.between(1, 3).all()
    excl = m[answered]["第20题(以上均不需改进)"] == 1
    assert (picks[excl] == 1).all()
    assert excl.sum() > 50


def test_vendor_two_header_rows(grad2024_raw, gq, facts):
    df = grad2024_raw
    codes, texts = list(df.iloc[0]), list(df.iloc[1])
    assert codes[:5] == ["ID", "SFZH", "SUBMIT_TIME", "DURATION", "IP"]
    assert texts[:2] == ["序号", "身份证号"]
    assert "B7-1" in codes and "B7-4" in codes and "I3-15" in codes
    assert texts[codes.index("B7-2")] == "您对目前工作的满意程度—薪酬福利"
    assert texts[codes.index("A1")] == "您目前的毕业去向是"
    assert len(df) - 2 == facts["cleaning_cases"]["graduate_2024"]["rows"] == 2847
    ids = df.iloc[2:, 1]
    ids = ids[ids != ""]
    assert len(ids) == 2847 - facts["cleaning_cases"]["graduate_2024"]["empty"]
    assert ids.str.match(r"^\d{17}[\dX]$").all()
    # check digits (GB 11643)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    for s in ids.head(50):
        assert "10X98765432"[sum(int(c) * k for c, k in zip(s[:17], w)) % 11] == s[17]


def test_gbk_csv_bytes():
    raw = (DATA / "raw" / "graduate_2023_gbk.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert text.startswith("序号,提交时间,学号,姓名,手机号码,性别")
    # records end with CRLF; a bare LF only occurs inside a quoted cell (a line break typed in a comment)
    assert raw.count(b"\r") == raw.count(b"\r\n") == 2644 + 1
    assert raw.endswith(b"\r\n")


def test_gbk_csv_rows(grad2023_raw, facts):
    assert len(grad2023_raw) == facts["cleaning_cases"]["graduate_2023"]["rows"] == 2644
    # no duration column, so no speeders are planted there
    assert "所用时间" not in grad2023_raw.columns and facts["cleaning_cases"]["graduate_2023"]["speeder"] == 0
    assert "您对目前工作的满意程度—薪酬福利" in grad2023_raw.columns
    assert grad2023_raw["您认为母校的教学最需要改进的地方（最多选三项）"].str.contains("；").any()


def test_roster_is_population_with_unequal_response(grad2025_raw):
    roster = pd.read_excel(DATA / "raw" / "roster_2025.xlsx", engine="calamine", dtype=str)
    assert list(roster.columns) == ["学号", "姓名", "性别", "手机号", "学院", "专业"]
    assert roster["学号"].is_unique and roster["学号"].str.match(r"^2021\d{9}$").all()
    assert roster["手机号"].str.match(r"^1[3-9]\d{9}$").all()
    sid = grad2025_raw["1、学号"].dropna()
    sid = sid[sid.astype(str) != ""].map(lambda v: str(int(v)) if not isinstance(v, str) else v)
    assert set(sid) <= set(roster["学号"])
    resp = roster[roster["学号"].isin(set(sid))]
    rate = resp.groupby("专业").size() / roster.groupby("专业").size()
    assert rate.max() - rate.min() > 0.15
    by_sex = resp.groupby("性别").size() / roster.groupby("性别").size()
    assert by_sex["女"] > by_sex["男"] + 0.05


def test_config_majors_match_catalogue():
    cfg = yaml.safe_load((DATA / "config.yaml").read_text(encoding="utf-8"))
    cat = pd.read_csv(ROOT / "survey_analysis" / "resources" / "majors.csv", dtype=str)
    code_of = dict(zip(cat["name"], cat["code"]))
    assert len(cfg["majors"]) == 12
    for m in cfg["majors"]:
        assert isinstance(m["code"], str) and code_of[m["name"]] == m["code"]
    assert {m["college"] for m in cfg["majors"]} == set(cfg["colleges"])
    for entry in [cfg["data"]["employer"], *cfg["data"]["graduates"], cfg["data"]["roster"]]:
        assert (DATA / entry["path"]).is_file()


@pytest.mark.slow
def test_read_survey_recognises_each_shipped_file(facts):
    io = pytest.importorskip("survey_analysis.io")
    if not hasattr(io, "read_survey"):
        pytest.skip("reader not available yet")
    expected = {
        "raw/employer_2025_wjx_text.xls": ("wjx_text", "employer_2025"),
        "raw/graduate_2025_wjx_numeric.xls": ("wjx_numeric", "graduate_2025"),
        "raw/graduate_2024_vendor.xlsx": ("vendor", "graduate_2024"),
        "raw/graduate_2023_gbk.csv": ("generic", "graduate_2023"),
    }
    for name, (platform, key) in expected.items():
        raw = io.read_survey(DATA / name)
        assert raw.source.platform == platform, name
        assert len(raw.data) == facts["cleaning_cases"][key]["rows"], name
