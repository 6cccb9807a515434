""":func:`analyse`: read → clean → analyse every input of a run → :class:`Findings`."""
from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from .config import AnalysisConfig, load_config
from .employers import analyse_employers
from .findings import Findings
from .graduates import analyse_graduates
from .highlights import key_figures, major_overview, statements

__all__ = ["analyse", "analyse_cleaned", "clean_file", "cohort_of", "major_table", "samples_table", "fielded_text", "timing_text",
           "log_summary"]

logger = logging.getLogger(__name__)


def clean_file(path, *, kind, key, roster, spec=None, design=None, **kw):
    """Read one export and clean it with the built-in questionnaire of ``kind`` or a mapping."""
    from ..cleaning import clean
    from ..io import read_survey, release_memory
    from ..spec import infer_spec, load_spec

    raw = read_survey(path, **kw)
    sp = load_spec(spec, raw) if spec else infer_spec(raw, kind=kind)
    res = clean(raw, sp, design, key=key, roster=roster)  # the design's income bounds
    del raw
    release_memory()  # the raw export's buffers, before the next file is read
    return res


def _nfkc(v):
    return unicodedata.normalize("NFKC", str(v)).strip() if isinstance(v, str) else v


def _college_map(cfg: AnalysisConfig) -> dict:
    """Major (NFKC) → college, from the config's majors."""
    if cfg.majors is None or "college" not in cfg.majors:
        return {}
    return {_nfkc(k): v for k, v in zip(cfg.majors["name"], cfg.majors["college"])}


def _with_college(res, college_of: dict):
    """The cleaned result with a ``college`` column from the config when the survey has none."""
    d = res.data
    if "college" in d.columns or not college_of or "major" not in d.columns:
        return res
    return dataclasses.replace(res, data=d.assign(college=d["major"].map(lambda m: college_of.get(_nfkc(m)))))


def cohort_of(data: pd.DataFrame, path, i: int = 0, cohorts=None) -> int | None:
    """A graduate file's cohort: its 毕业年份 answers (the most common), else ``cohorts[i]``,
    else a 4-digit year in the file name, else ``None``."""
    if "cohort" in data.columns and data["cohort"].notna().any():
        return int(pd.to_numeric(data["cohort"], errors="coerce").dropna().mode().iloc[0])
    if cohorts is not None and i < len(cohorts):
        return int(cohorts[i])
    m = re.search(r"(20\d{2})", Path(path).name)
    return int(m.group(1)) if m else None


def _read_graduates(graduates, cfg: AnalysisConfig, roster, spec, cohorts, college_of, say) -> dict:
    out = {}
    for i, path in enumerate(graduates):
        say(f"读取并清洗毕业生调查：{Path(path).name} …")
        res = clean_file(path, kind="graduate", key=cfg.design.resolved_key(), roster=roster, spec=spec,
                         design=cfg.design)
        cohort = cohort_of(res.data, path, i, cohorts)
        if cohort is None:
            if len(graduates) > 1 and cfg.cohort is None:
                raise ConfigError("无法确定毕业生调查文件的届别", file=path,
                                  hint="文件中没有毕业年份题，文件名中也没有四位年份：请在文件名中写明届别"
                                       "（如 graduate_2025.xls）或用 cohorts 参数指定。")
            cohort = cfg.cohort or 0
        if cohort in out:
            raise ConfigError(f"两个毕业生调查文件都是 {cohort} 届", file=path,
                              hint="每届只给一个文件，或用 cohorts 指定届别。")
        if "cohort" not in res.data.columns:
            res = dataclasses.replace(res, data=res.data.assign(cohort=float(cohort)))
        out[cohort] = _with_college(res, college_of)
    return out


def major_table(cfg: AnalysisConfig, frames) -> pd.DataFrame:
    """The majors in display order: the config's first, then any other major in the data."""
    names, college, code = [], {}, {}
    if cfg.majors is not None and "name" in cfg.majors.columns:
        for r in cfg.majors.itertuples():
            names.append(str(r.name))
            college[str(r.name)] = getattr(r, "college", None)
            code[str(r.name)] = getattr(r, "code", None)
    present: dict = {}
    for d in frames:
        if d is None or "major" not in d.columns:
            continue
        sizes = d["major"].astype("string").str.strip().value_counts()
        cols = d[["major", "college"]].dropna().drop_duplicates("major") if "college" in d.columns else None
        for m, n in sizes.items():
            present[str(m)] = present.get(str(m), 0) + int(n)
        if cols is not None:
            for m, c in zip(cols["major"].astype(str).str.strip(), cols["college"]):
                college.setdefault(m, c)
    extra = sorted((m for m in present if m not in names), key=lambda m: (-present[m], m))
    names = [m for m in names if not present or m in present] + extra
    return pd.DataFrame({"major": names, "college": [college.get(m) for m in names],
                         "code": [code.get(m) for m in names]})


def samples_table(employer, graduates, graduation_month: int = 6) -> pd.DataFrame:
    """One row per survey: file, platform, field dates (``fielded``), for graduate surveys the
    months after graduation (``timing``, graduation in ``graduation_month`` of the cohort year),
    rows read, kept, excluded and the reasons."""
    from ..cleaning import EXCLUSION_REASONS

    rows = []
    sources = [("用人单位调查", None, employer)] + [(f"{c} 届毕业生调查", c, r)
                                                 for c, r in sorted(graduates.items(), reverse=True)]
    for name, cohort, res in sources:
        if res is None:
            continue
        s = res.summary
        ex = s.get("excluded_by_reason", {})
        rows.append({"survey": name, "file": s.get("file", ""), "platform": s.get("platform", ""),
                     "fielded": fielded_text(s.get("fielded")),
                     "timing": timing_text(s.get("fielded"), cohort, graduation_month),
                     "rows_in": s["rows_in"], "rows_kept": s["rows_kept"], "rows_excluded": s["rows_excluded"],
                     "reasons": "；".join(f"{EXCLUSION_REASONS.get(k, k).split('（')[0]} {v}"
                                         for k, v in ex.items() if v) or "无"})
    return pd.DataFrame(rows, columns=["survey", "file", "platform", "fielded", "timing", "rows_in", "rows_kept",
                                       "rows_excluded", "reasons"])


def fielded_text(fielded: dict | None) -> str:
    """``2025-11-15 至 2025-12-20`` (and how many answers carry no date), or 未记录."""
    if not fielded:
        return "未记录（导出文件无提交时间）"
    text = fielded["first"] if fielded["first"] == fielded["last"] else f"{fielded['first']} 至 {fielded['last']}"
    missing = fielded["rows"] - fielded["dated"]
    return text + (f"（{missing:,} 份无提交时间）" if missing else "")


def timing_text(fielded: dict | None, cohort, graduation_month: int) -> str:
    """Months from graduation (``graduation_month`` of ``cohort``) to the field dates, e.g.
    ``毕业后 5–6 个月``; ``—`` for a survey without cohort or dates."""
    if not fielded or cohort is None:
        return "—"
    grad = int(cohort) * 12 + graduation_month - 1
    months = [int(d[:4]) * 12 + int(d[5:7]) - 1 - grad for d in (fielded["first"], fielded["last"])]
    if months[1] < 0:
        return "毕业前"
    lo, hi = max(months[0], 0), months[1]
    return f"毕业后 {lo} 个月" if lo == hi else f"毕业后 {lo}–{hi} 个月"


def log_summary(employer, graduates) -> pd.DataFrame:
    """The cleaning logs counted by survey, operation (``kind``) and rule."""
    rows = []
    sources = [("用人单位调查", employer)] + [(f"{c} 届毕业生调查", r) for c, r in sorted(graduates.items(), reverse=True)]
    for name, res in sources:
        if res is None or res.log is None or not len(res.log):
            continue
        cnt = res.log.groupby(["kind", "rule"], dropna=False)["count"].sum().reset_index()
        rows += [{"survey": name, "kind": r.kind, "rule": "" if pd.isna(r.rule) else str(r.rule), "count": r.count}
                 for r in cnt.itertuples()]
    return pd.DataFrame(rows, columns=["survey", "kind", "rule", "count"])


def _graduate_skills(data: pd.DataFrame) -> pd.DataFrame | None:
    from ..text import extract_skills
    from .employers import join_groups

    if "comment" not in data.columns:
        return None
    return join_groups(extract_skills(data["comment"], ids=data["respondent_id"]), data)


def analyse(employer=None, graduates=(), *, population=None, roster=None, visits=None, demand=None,
            ledger_graduates=None, config: "AnalysisConfig | str | Path | None" = None, employer_spec=None,
            graduate_spec=None, cohorts=None, progress=None, programme=None, programme_mapping=None) -> Findings:
    """Read, clean and analyse everything; return :class:`Findings`.

    Parameters
    ----------
    employer : path, optional
        The employer survey export.
    graduates : path or list of paths
        Graduate follow-up exports, one per cohort (cohort from the 毕业年份 question, else
        ``cohorts``, else a 4-digit year in the file name).
    population : path, optional
        A roster (one row per graduate) or a counts table (专业, [性别], [届别], 人数): every cohort
        is post-stratified to it (one estimator for the whole report) and response rates use it.
    roster : path, optional
        A roster whose names and 学号 are redacted from comments (default: ``population``).
    visits, demand : path, optional
        The special-action ledgers.
    ledger_graduates : path, optional
        Graduates per major for the ledger's supply-and-demand table (default: ``population``).
    config : AnalysisConfig or path, optional
        Never changed: the report cohort and the design used are in the returned findings.
    employer_spec, graduate_spec : path, optional
        YAML mapping files for exports of other questionnaires.
    progress : callable, optional
        Called with a short Chinese message before each step.
    programme : path or Programme, optional
        The training programmes (人才培养方案: course table and support matrix), read with
        :func:`survey_analysis.programme.read_programme` (``programme_mapping``: its mapping file).
    """
    from ..io import read_roster

    say = progress or (lambda msg: logger.info(msg))
    cfg = config if isinstance(config, AnalysisConfig) else load_config(config)
    graduates = [graduates] if isinstance(graduates, (str, Path)) else list(graduates or [])
    if employer is None and not graduates:
        raise ConfigError("没有输入数据：至少需要用人单位调查（--employer）或毕业生调查（--graduate）之一")
    if programme is not None and not hasattr(programme, "support"):  # a path: read it first (fail fast)
        from ..programme import read_programme

        say(f"读取人才培养方案：{Path(programme).name} …")
        programme = read_programme(programme, mapping=programme_mapping, settings=cfg.course_settings)
    roster_raw = pop_roster = None  # the one roster reader: names / ids to redact, counts to weight
    if (roster or population) is not None:
        say("读取学生名单（用于评论脱敏与加权）…")
        pop_roster = read_roster(population) if population is not None else None
        roster_raw = read_roster(roster) if roster is not None and roster != population else pop_roster
    rosters = [r for r in (pop_roster, roster_raw) if r is not None]
    rosters = rosters[:1] if len(rosters) == 2 and rosters[0] is rosters[1] else rosters
    roster_notes = [f"名单：{n}" for r in rosters for n in r.notes]
    college_of = _college_map(cfg)
    grads = _read_graduates(graduates, cfg, roster_raw, graduate_spec, cohorts, college_of, say)
    pop = pop_roster.counts if pop_roster is not None else None
    emp = None
    if employer is not None:
        say(f"读取并清洗用人单位调查：{Path(employer).name} …")
        emp = _with_college(clean_file(employer, kind="employer", key=cfg.design.resolved_key(), roster=roster_raw,
                                       spec=employer_spec, design=cfg.design), college_of)
    ledger = None
    if visits is not None:
        from ..ledger import analyze_ledger

        say("分析访企拓岗台账…")
        # supply = this cohort's graduates: a roster (one row per graduate) before a counts table of several cohorts
        ledger = analyze_ledger(visits, demand, graduates=ledger_graduates or roster or population)
    f = analyse_cleaned(emp, grads, cfg, population=pop, ledger=ledger, progress=say, programme=programme)
    return f.replace(notes=tuple(f.notes) + tuple(roster_notes)) if roster_notes else f


def _courses(f: Findings, programme, say) -> dict:
    """The course tables of a run (empty without a programme)."""
    if programme is None:
        return {}
    from ..programme import analyse_programme

    say("课程分析：能力短板对应的课程、核心课程评价、毕业要求达成度…")
    g, e = f.graduate, f.employer
    out = analyse_programme(programme, majors=list(f.majors["major"]) if f.majors is not None else [],
                            graduates=g.data if g is not None else None, employers=e.data if e is not None else None,
                            gap_shares=f.gap_shares, ipa=f.ipa, competencies=f.competencies, abilities=f.abilities,
                            improve=f.teaching.get("improve"), design=f.design, settings=f.config.course_settings,
                            colleges=dict(zip(f.majors["major"], f.majors["college"])) if f.majors is not None else {})
    out["notes"] = f.notes + tuple(out["notes"])
    return out


def analyse_cleaned(employer, graduates: dict, config: AnalysisConfig, *, population: pd.DataFrame | None = None,
                    ledger=None, progress=None, programme=None) -> Findings:
    """Findings from cleaned surveys: ``employer`` and ``graduates`` ``{cohort: CleanResult}``.

    The second half of :func:`analyse` (after reading and cleaning); use it to analyse data you
    cleaned or changed yourself.  ``population``: counts as :func:`survey_analysis.weighting.load_population`
    returns them.  ``programme``: a :class:`~survey_analysis.programme.Programme` (course analyses).
    """
    from ..curriculum import recommend

    say = progress or (lambda msg: logger.info(msg))
    cfg = config
    college_of = _college_map(cfg)
    grads, emp, pop = dict(graduates), employer, population
    # what cleaning could not do (codes it could not decode …) is said in the report
    notes: list[str] = [f"{r.summary.get('file', '')}：{w}" for r in [emp, *grads.values()] if r is not None
                        for w in r.warnings]
    kw: dict = {}
    if grads:
        g = analyse_graduates({c: r.data for c, r in grads.items()}, cfg, population=pop, progress=say)
        grads = {c: dataclasses.replace(r, data=g.frames[c]) for c, r in grads.items()}
        notes += list(g.notes)
        kw.update(design=g.design, cohort=g.cohort, outcomes=g.outcomes, outcomes_by_cohort=g.outcomes_by_cohort,
                  teaching=g.teaching, abilities=g.abilities, comparisons=g.comparisons, suggestions=g.suggestions,
                  trends=g.trends, warnings=g.warnings, series=g.series, response=g.response,
                  weighting=g.weighting, graduate_skills=_graduate_skills(g.frames[g.cohort]))
        notes += [p["message"] for p in g.problems.to_dict("records") if p["check"] == "skipped"]
    if emp is not None:
        e = analyse_employers(emp.data, cfg, colleges=college_of, progress=say)
        notes += list(e.notes)
        kw.update(employer_profile=e.profile, competencies=e.competencies, ipa=e.ipa, reliability=e.reliability,
                  drivers=e.drivers, group_differences=e.group_differences, employer_skills=e.skills,
                  gap_shares=e.gap_shares, tools=e.tools, employer_quotes=e.quotes, keywords=e.keywords, themes=e.themes)
    if cfg.benchmarks and kw.get("outcomes"):
        from ..benchmarks import compare_benchmarks, read_benchmarks

        kw["benchmarks"] = compare_benchmarks(kw["outcomes"], read_benchmarks(cfg.benchmarks))
    f = Findings(config=cfg, employer=emp, graduates=grads, population=pop, ledger=ledger, notes=tuple(notes),
                 majors=major_table(cfg, [emp.data if emp is not None else None,
                                          *(r.data for r in grads.values())]),
                 samples=samples_table(emp, grads, cfg.design.graduation_month), **kw)
    f = f.replace(**_courses(f, programme, say))
    say("生成专业与课程调整建议…")
    f = f.replace(recommendations=recommend(f, rules=cfg.rules), log_summary=log_summary(emp, grads))
    return f.replace(key_figures=key_figures(f), highlights=statements(f), major_overview=major_overview(f))
