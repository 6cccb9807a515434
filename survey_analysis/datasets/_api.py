"""Public functions of :mod:`survey_analysis.datasets`."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .._atomic import atomic_path
from ..errors import OutputError
from . import _plan as P
from ._generate import employer_sample, graduate_sample, make_roster
from ._programme import programme_facts, write_programme
from ._questionnaire import load_questionnaire
from . import writers

__all__ = ["make_sample", "sample_paths", "generate_employers", "generate_graduates", "generate_roster"]

DEFAULT_SEED = 20250630
COHORT_SIZES = {2025: 1.0, 2024: 2800 / 3000, 2023: 2600 / 3000}
ROSTER_RATE = 0.76  # respondents / roster size (2025)

FILES = {
    "employer": "raw/employer_2025_wjx_text.xls",
    "graduate_2025": "raw/graduate_2025_wjx_numeric.xls",
    "graduate_2024": "raw/graduate_2024_vendor.xlsx",
    "graduate_2023": "raw/graduate_2023_gbk.csv",
    "roster": "raw/roster_2025.xlsx",
    "population": "raw/graduates_by_major_2023_2025.xlsx",
    "programme": "raw/programme_2025.xlsx",
    "config": "config.yaml",
    "facts": "truth/facts.json",
    "employer_comment_truth": "truth/employer_comment_truth.csv",
    "graduate_comment_truth": "truth/graduate_comment_truth.csv",
    "cases": "truth/cleaning_cases.csv",
}


def generate_employers(seed: int = DEFAULT_SEED, n: int = 600, *, roster_names=None):
    """Generate the employer survey answers as labels.

    Parameters
    ----------
    seed : int, default 20250630
        Random seed; the same seed gives the same answers.
    n : int, default 600
        Genuine respondents.  Planted cleaning cases are added on top: about 1.5 % duplicate
        submissions and 3 entirely empty rows (extra rows); about 1.5 % speeders and 1 %
        straight-liners (among the ``n``).
    roster_names : list of str, optional
        Graduate names some comments mention (so redaction of roster names is exercised).

    Returns
    -------
    answers : pandas.DataFrame
        One row per submission in 序号 order: the system columns 序号, 提交答卷时间 (Timestamp),
        所用时间 (seconds), 来源, 来源详情, 来自IP, then one column per question or matrix row
        keyed by its canonical field (``industry``, ``imp__ethics``, ``comment_skills`` …).
        Values are labels as a 问卷星 text export shows them (multi-select joined by ``┋``,
        other as ``其他〖…〗``, 无法评价 as is); NA when unanswered.
    truth : pandas.DataFrame
        One row per planted comment clause: 序号, field, clause_index, clause, competency,
        polarity (gap / strength / none), topic, major.

    Examples
    --------
    >>> answers, truth = generate_employers(1, 50)
    >>> int(answers["序号"].iloc[0])
    1
    """
    s = employer_sample(seed, n, roster_names)
    return s.answers, s.truth


def generate_graduates(seed: int = DEFAULT_SEED, n: int = 3000, cohort: int = 2025, *, roster=None):
    """Generate a graduate follow-up survey of ``cohort`` as labels.

    Respondents are drawn from ``roster`` (default :func:`generate_roster` of about n / 0.76
    graduates) with response propensities that differ by major and sex.  Graduates not in work
    have NA for the job questions (B1–B8-1), as do B5-1 unless the job is unrelated and B8-1
    unless they changed jobs.  Cleaning cases as in :func:`generate_employers`.

    Returns
    -------
    answers : pandas.DataFrame
        System columns as for employers, one column per question / matrix row (``student_id``,
        ``name``, ``phone``, ``destination``, ``job_sat__pay``, ``gown__practice`` …) and
        ``身份证号`` (an invented ID number, written only to the vendor export).
    truth : pandas.DataFrame
        One row per planted clause of the Q26 comments (same columns as for employers).
    """
    s = graduate_sample(seed, n, cohort, roster)
    return s.answers, s.truth


def generate_roster(seed: int = DEFAULT_SEED, cohort: int = 2025, size: int = 3947) -> pd.DataFrame:
    """The graduate roster (学号, 姓名, 性别, 手机号, 学院, 专业) of ``cohort`` with ``size`` people."""
    return make_roster(seed, cohort, size)


def _cohort_n(n_graduates: int, cohort: int) -> int:
    return max(1, int(round(n_graduates * COHORT_SIZES[cohort])))


def _observed_graduate_facts(answers: pd.DataFrame, cases: pd.DataFrame) -> dict:
    bad = set(cases["序号"])
    a = answers[~answers["序号"].isin(bad)]
    placed = a["destination"].isin(P.PLACED)
    rate = placed.groupby(a["major"]).mean().round(4)
    employed = a[a["destination"].isin(P.EMPLOYED)]
    turnover = employed["job_changes"].isin(["1次", "2次", "3次及以上"]).groupby(employed["major"]).mean().round(4)
    return {"placement_rate": {str(k): float(v) for k, v in rate.items()},
            "turnover_rate": {str(k): float(v) for k, v in turnover.items()},
            "n": {str(k): int(v) for k, v in a["major"].value_counts().sort_index().items()}}


def _facts(seed, emp, grads, files) -> dict:
    cleaning = {}
    for name, s in [("employer_2025", emp)] + [(f"graduate_{c}", g) for c, g in grads.items()]:
        counts = s.cases["case"].value_counts()
        cleaning[name] = {
            "file": files[name.replace("employer_2025", "employer")],
            "rows": int(len(s.answers)),
            "genuine": int(len(s.answers) - counts.get("duplicate", 0) - counts.get("empty", 0)),
            **{k: int(counts.get(k, 0)) for k in ("duplicate", "speeder", "straightliner", "empty")},
            "speeder_rule": ("所用时间 < 60 秒" if name in ("employer_2025", "graduate_2025")
                             else "none planted (no duration column)" if name == "graduate_2023"
                             else "答题时长 < 60 秒"),
        }
    return {
        "description": "Planted facts of the synthetic sample (survey_analysis.datasets.make_sample). "
                       "Everything is invented; no real person or employer.",
        "seed": int(seed),
        "school": P.SCHOOL,
        "employer": {
            "gap_profiles": P.GAP_PROFILES,
            "gap_probabilities": {"top1": P.GAP_PROBABILITIES[0], "top2": P.GAP_PROBABILITIES[1],
                                  "top3": P.GAP_PROBABILITIES[2],
                                  "each_other": round((1 - sum(P.GAP_PROBABILITIES)) / 19, 4)},
            "gap_profile_source": "each employer's Q6 major (贵单位招聘我校毕业生最多的专业)",
            "key_drivers": P.KEY_DRIVERS,
            "key_driver_note": "overall satisfaction (Q10) = 4.1 + 0.75 × Σ(sat of the key drivers − their mean) "
                               "+ 0.1 × respondent tendency + noise; the other satisfactions have no direct effect",
            "gap_satisfaction_shift": P.GAP_SATISFACTION_SHIFT,
            "importance_mean": P.IMPORTANCE_MEAN,
            "satisfaction_mean": P.SATISFACTION_MEAN,
            "na_rate_range": list(P.NA_RATE_RANGE),
        },
        "graduate": {
            "placed_destinations": P.PLACED,
            "employed_destinations": P.EMPLOYED,
            "planted_placement_rate": P.PLACEMENT_RATE,
            "cohort_placement_shift": {str(k): v for k, v in P.COHORT_PLACEMENT_SHIFT.items()},
            "low_placement_majors": P.LOW_PLACEMENT_MAJORS,
            "low_placement_rule": "placement rate (新锦成 definition) below 60 % in each of 2023, 2024, 2025",
            "high_turnover_major": P.HIGH_TURNOVER_MAJOR,
            "job_changes_probabilities": P.JOB_CHANGES_P,
            "income_median": P.INCOME_MEDIAN,
            "income_cohort_factor": {str(k): v for k, v in P.INCOME_COHORT_FACTOR.items()},
            "low_fit_competencies": P.LOW_FIT_COMPETENCIES,
            "low_fit_note": "own level at graduation (I3) ≈ required level (I2) − 1.0 for these, − 0.2 otherwise; "
                            "能力满足度 = mean(I3 score) / mean(I2 score) ≈ 75 % vs ≈ 95 %",
            "response_rate": P.RESPONSE_RATE,
            "response_sex_factor": P.RESPONSE_SEX_FACTOR,
            "female_share": P.FEMALE_SHARE,
            "skip_logic": {
                "employed_only": "B1–B8-1 (Q9–Q18) shown only when A1 is 在国内工作/自主创业/自由职业",
                "B5-1": "shown only when B5 is 比较不相关 or 很不相关",
                "B8-1": "shown only when B8 is not 0次",
            },
            "income_outliers": {str(c): g.facts["income_outliers"] for c, g in grads.items()},
            "observed": {str(c): _observed_graduate_facts(g.answers, g.cases) for c, g in grads.items()},
        },
        "cleaning_cases": cleaning,
        "programme": programme_facts(P.GAP_PROFILES, P.LOW_FIT_COMPETENCIES),
    }


def _config(files) -> dict:
    from .ledger_sample import ledger_config  # imported here: `python -m …ledger_sample` runs that module

    return {
        "school": P.SCHOOL,
        "cohort": 2025,
        "synthetic": True,
        "colleges": sorted({c for c, _ in P.MAJORS.values()}, key=lambda c: [v[0] for v in P.MAJORS.values()].index(c)),
        "majors": [{"name": m, "code": _Quoted(code), "college": college} for m, (college, code) in P.MAJORS.items()],
        "data": {
            "employer": {"path": files["employer"], "questionnaire": "employer", "platform": "wjx_text", "cohort": 2025},
            "graduates": [
                {"path": files["graduate_2025"], "questionnaire": "graduate", "platform": "wjx_numeric", "cohort": 2025},
                {"path": files["graduate_2024"], "questionnaire": "graduate", "platform": "vendor", "cohort": 2024},
                {"path": files["graduate_2023"], "questionnaire": "graduate", "platform": "generic", "cohort": 2023,
                 "encoding": "gb18030"},
            ],
            "roster": {"path": files["roster"], "name_column": "姓名", "id_column": "学号"},
            "population": {"path": files["population"], "by": ["届别", "专业", "性别"],
                           "note": "graduates per cohort, major and sex (2025: the roster's counts); "
                                   "weights and response rates of every cohort"},
            "programme": {"path": files["programme"],
                          "note": "人才培养方案: courses and support matrices of every major (two layouts)"},
            "ledger": ledger_config(),
        },
        "truth": {"facts": files["facts"], "employer_comment_truth": files["employer_comment_truth"],
                  "graduate_comment_truth": files["graduate_comment_truth"], "cleaning_cases": files["cases"]},
    }


class _Quoted(str):
    """A string YAML must quote (专业代码 such as 080901 must not become a number)."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))


def _write_roster(path: Path, roster: pd.DataFrame) -> None:
    import xlsxwriter
    from datetime import datetime

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        wb.set_properties({"created": datetime(2025, 7, 1, 9, 0, 0), "author": "survey_analysis"})
        ws = wb.add_worksheet("2025届毕业生名单")
        for j, c in enumerate(roster.columns):
            ws.write_string(0, j, c)
        for i, rec in enumerate(roster.itertuples(index=False), start=1):
            for j, v in enumerate(rec):
                ws.write_string(i, j, str(v))
        ws.freeze_panes(1, 0)
        wb.close()


def _write_population(path: Path, rosters: dict) -> None:
    """Graduates per cohort, college, major and sex (a counts table as a school office keeps it)."""
    import xlsxwriter
    from datetime import datetime

    parts = [r.groupby(["学院", "专业", "性别"]).size().rename("人数").reset_index().assign(届别=c)
             for c, r in sorted(rosters.items())]
    t = pd.concat(parts, ignore_index=True)[["届别", "学院", "专业", "性别", "人数"]]
    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        wb.set_properties({"created": datetime(2025, 7, 1, 9, 0, 0), "author": "survey_analysis"})
        ws = wb.add_worksheet("各届毕业生人数")
        for j, c in enumerate(t.columns):
            ws.write_string(0, j, c)
        for i, rec in enumerate(t.itertuples(index=False), start=1):
            for j, v in enumerate(rec):
                if isinstance(v, (int, np.integer)):
                    ws.write_number(i, j, int(v))
                else:
                    ws.write_string(i, j, str(v))
        ws.freeze_panes(1, 0)
        wb.close()


def _write_text(path: Path, text: str, encoding="utf-8") -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding, newline="\n")


def make_sample(out_dir="data", *, seed: int = DEFAULT_SEED, n_employers: int = 600,
                n_graduates: int = 3000) -> dict:
    """Write every sample file and the truth files under ``out_dir``; return their paths.

    Writes ``raw/employer_2025_wjx_text.xls`` (问卷星 按文本), ``raw/graduate_2025_wjx_numeric.xls``
    (问卷星 按序号), ``raw/graduate_2024_vendor.xlsx`` (two header rows),
    ``raw/graduate_2023_gbk.csv`` (GB18030, no BOM, CRLF), ``raw/roster_2025.xlsx`` (every 2025
    graduate; also the population file), ``raw/programme_2025.xlsx`` (every major's 人才培养方案:
    courses and support matrix, two layouts), ``config.yaml`` and ``truth/facts.json``,
    ``truth/employer_comment_truth.csv``, ``truth/graduate_comment_truth.csv``,
    ``truth/cleaning_cases.csv``.  The same seed gives the same answers (and the same bytes for
    every file).

    Parameters
    ----------
    out_dir : str or Path, default "data"
    seed : int, default 20250630
    n_employers : int, default 600
        Genuine employer respondents (cleaning cases come on top).
    n_graduates : int, default 3000
        Genuine 2025 respondents; the 2024 and 2023 cohorts get 28/30 and 26/30 of it.

    Returns
    -------
    dict
        Keys ``employer``, ``graduate_2025``, ``graduate_2024``, ``graduate_2023``, ``roster``,
        ``programme``, ``config``, ``facts``, ``employer_comment_truth``, ``graduate_comment_truth``, ``cases``
        → absolute :class:`~pathlib.Path`.

    Raises
    ------
    ConfigError
        When a sample size is not a positive integer.
    OutputError
        When ``out_dir`` cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> paths = make_sample(tempfile.mkdtemp(), n_employers=40, n_graduates=120)
    >>> paths["employer"].name
    'employer_2025_wjx_text.xls'
    """
    from .._atomic import ensure_writable_dir

    from ._generate import check_n

    check_n(n_employers, "用人单位样本数（n_employers）")
    check_n(n_graduates, "毕业生样本数（n_graduates）")
    out = ensure_writable_dir(out_dir).resolve()
    paths = {k: out / v for k, v in FILES.items()}
    for p in paths.values():
        p.parent.mkdir(parents=True, exist_ok=True)

    roster = make_roster(seed, 2025, int(round(n_graduates / ROSTER_RATE)))
    grads = {2025: graduate_sample(seed, n_graduates, 2025, roster)}
    grads[2024] = graduate_sample(seed, _cohort_n(n_graduates, 2024), 2024)
    # the 2023 CSV has no duration column: no speeders can be told apart, so none are planted
    grads[2023] = graduate_sample(seed, _cohort_n(n_graduates, 2023), 2023, speeders=False)
    emp = employer_sample(seed, n_employers, list(roster["姓名"]))

    eq = load_questionnaire("employer")
    gq = load_questionnaire("graduate")
    writers.write_wjx_text(paths["employer"], eq, emp.answers)
    writers.write_wjx_numeric(paths["graduate_2025"], gq, grads[2025].answers)
    writers.write_vendor_two_header(paths["graduate_2024"], gq, grads[2024].answers)
    writers.write_csv_gbk(paths["graduate_2023"], gq, grads[2023].answers)
    _write_roster(paths["roster"], roster)
    # the 2024 and 2023 respondents were drawn from rosters of the same generator
    rosters = {2025: roster, **{c: make_roster(seed, c, int(round(_cohort_n(n_graduates, c) / ROSTER_RATE)))
                                for c in (2024, 2023)}}
    _write_population(paths["population"], rosters)
    write_programme(paths["programme"], P.MAJORS)

    _write_text(paths["employer_comment_truth"], emp.truth.to_csv(index=False, lineterminator="\n"))
    gtruth = pd.concat([g.truth.assign(cohort=c) for c, g in grads.items()], ignore_index=True)
    _write_text(paths["graduate_comment_truth"], gtruth.to_csv(index=False, lineterminator="\n"))
    cases = pd.concat([emp.cases.assign(file=FILES["employer"])]
                      + [g.cases.assign(file=FILES[f"graduate_{c}"]) for c, g in grads.items()],
                      ignore_index=True)
    _write_text(paths["cases"], cases.to_csv(index=False, lineterminator="\n"))
    rel = {k: v for k, v in FILES.items()}
    _write_text(paths["facts"], json.dumps(_facts(seed, emp, grads, rel), ensure_ascii=False, indent=2) + "\n")
    _write_text(paths["config"], "# The sample school (synthetic). Written by survey_analysis.datasets.make_sample.\n"
                + yaml.dump(_config(rel), Dumper=_Dumper, allow_unicode=True, sort_keys=False))
    for p in paths.values():
        os.chmod(p, 0o644)
    return paths


def _repo_data_dir() -> Path | None:
    here = Path(__file__).resolve()
    root = here.parents[2]
    data = root / "data"
    if (root / "setup.cfg").is_file() and all((data / v).is_file() for v in FILES.values()):
        return data
    return None


def _cache_dir() -> Path:
    env = os.environ.get("SURVEY_ANALYSIS_DATA")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "survey_analysis" / f"sample-{DEFAULT_SEED}"


def sample_paths(data_dir=None) -> dict:
    """Paths of the shipped sample files.

    Parameters
    ----------
    data_dir : str or Path, optional
        A folder made by :func:`make_sample`.  By default the repository's ``data/`` folder when
        the package runs from a checkout that has the files; otherwise (an installed package
        without the data folder) ``$SURVEY_ANALYSIS_DATA`` or ``~/.cache/survey_analysis/
        sample-20250630``, generated there with the default seed on first use.

    Returns
    -------
    dict
        The same keys as :func:`make_sample`, values absolute paths.

    Raises
    ------
    OutputError
        When ``data_dir`` lacks some files.
    """
    if data_dir is not None:
        d = Path(data_dir).resolve()
        missing = [v for v in FILES.values() if not (d / v).is_file()]
        if missing:
            raise OutputError(
                f"样例数据文件夹缺少文件：{'、'.join(missing)}",
                file=str(d),
                hint="请先运行 python -m survey_analysis.datasets --out <文件夹> 生成样例数据。",
            )
        return {k: d / v for k, v in FILES.items()}
    repo = _repo_data_dir()
    if repo is not None:
        return {k: (repo / v).resolve() for k, v in FILES.items()}
    cache = _cache_dir()
    if not all((cache / v).is_file() for v in FILES.values()):
        return make_sample(cache)
    return {k: (cache / v).resolve() for k, v in FILES.items()}
