"""The whole analysis in one call: read → clean → analyse → findings.

:func:`analyse` reads the employer survey, one or more graduate cohorts, an optional population
(roster) file and optional ledgers, cleans them, runs every analysis and returns a
:class:`Findings` object of plain DataFrames -- the single source of every number in every
report format (``report.build.build_report`` only draws it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["Findings", "AnalysisConfig", "analyse", "load_config", "fit_themes"]

logger = logging.getLogger(__name__)


@dataclass
class AnalysisConfig:
    """Settings of one analysis run (all have defaults; a YAML config file can set them).

    Attributes
    ----------
    school : str
        School name for the cover.
    cohort : int or None
        The cohort the report is about (default: the latest graduate cohort given).
    majors : DataFrame
        The school's majors: ``name``, ``code``, ``college`` (from the config file, else from the
        data and the 本科专业目录).
    min_cell : int
        Small-cell threshold (groups with fewer respondents are hidden).
    satisfied : {"top2", "top3"}
        Satisfied-share definition (MyCOS top two boxes / 新锦成 top three).
    placement : {"xinjincheng", "mycos"}
        Placement-rate definition preset.
    placement_benchmark : float or None
        The local average placement rate (the notice's benchmark), e.g. 0.85.
    warning_threshold : float
        Placement-rate threshold for the N-consecutive-years warning (default 0.60).
    warning_years : int
        N of that warning (default 2).
    weight : bool
        Post-stratify graduate estimates to the population file when one is given.
    key : str or None
        Pseudonymisation key (never written anywhere).
    random_state : int
    """

    school: str = "（未命名学校）"
    cohort: int | None = None
    majors: pd.DataFrame | None = None
    min_cell: int = 5
    satisfied: str = "top2"
    placement: str = "xinjincheng"
    placement_benchmark: float | None = None
    warning_threshold: float = 0.60
    warning_years: int = 2
    weight: bool = True
    key: str | None = None
    random_state: int = 0
    rules: str | None = None  # path of a recommendation-rules YAML (default: the built-in rules)
    sources: dict = field(default_factory=dict)


@dataclass
class Findings:
    """Everything the analysis found, as plain data.

    Every attribute is a DataFrame (or a dict of them, or ``None`` when the input was not given).
    Tables follow the modules that make them: :mod:`survey_analysis.ratings` (competency
    ratings), :mod:`survey_analysis.outcomes` (graduate outcomes), :mod:`survey_analysis.gaps`
    (skill-gap themes), :mod:`survey_analysis.text` (skill mentions, keywords),
    :mod:`survey_analysis.ledger` and :mod:`survey_analysis.curriculum` (recommendations).

    Attributes
    ----------
    config : AnalysisConfig
    employer : CleanResult or None
        The cleaned employer survey (``.data``, ``.log``, ``.summary``, ``.spec``).
    graduates : dict
        Cohort (int) → cleaned graduate survey (CleanResult).
    population : DataFrame or None
        Graduates per major (and sex): ``major``, [``sex``], ``n`` -- from the roster.
    employer_profile : dict
        ``industry``, ``employer_type``, ``region``, ``size``: distribution tables (n, share).
    competencies : DataFrame
        ``ratings.competency_summary`` by major, with the school row.
    ipa : DataFrame
        ``ratings.ipa`` by major and for the school.
    reliability : DataFrame
    drivers : DataFrame or None
        ``ratings.key_drivers`` (None with a note when it could not be fitted).
    group_differences : DataFrame
        ``ratings.compare_groups`` by major / industry.
    employer_skills : DataFrame
        ``text.extract_skills`` mentions of the employer comments, with ``respondent_id``,
        ``major``, ``college``, ``industry`` joined.
    themes : object or None
        The fitted ``gaps.SkillGapClusterer`` result: ``themes`` table, ``by_group`` shares.
    keywords : DataFrame
    outcomes : dict
        ``outcomes.outcome_tables`` for the report cohort (name → table).
    teaching : dict
        ``outcomes.teaching_feedback`` tables.
    abilities : DataFrame
        ``outcomes.ability_fulfilment`` (能力满足度) per major.
    trends : DataFrame or None
        ``outcomes.trends`` across cohorts.
    warnings : DataFrame or None
        ``outcomes.major_warnings``.
    graduate_skills : DataFrame
        Skill mentions in graduates' suggestions.
    ledger : object or None
    recommendations : DataFrame
        ``curriculum.recommend`` output: one row per recommendation with its evidence.
    notes : list of str
        Chinese remarks collected along the way (what was hidden, what could not be computed).
    """

    config: AnalysisConfig
    employer: Any = None
    graduates: dict = field(default_factory=dict)
    population: pd.DataFrame | None = None
    employer_profile: dict = field(default_factory=dict)
    competencies: pd.DataFrame | None = None
    ipa: pd.DataFrame | None = None
    reliability: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    group_differences: pd.DataFrame | None = None
    employer_skills: pd.DataFrame | None = None
    themes: Any = None
    keywords: pd.DataFrame | None = None
    outcomes: dict = field(default_factory=dict)
    teaching: dict = field(default_factory=dict)
    abilities: pd.DataFrame | None = None
    trends: pd.DataFrame | None = None
    warnings: pd.DataFrame | None = None
    graduate_skills: pd.DataFrame | None = None
    ledger: Any = None
    recommendations: pd.DataFrame | None = None
    notes: list = field(default_factory=list)

    @property
    def cohort(self) -> int | None:
        return self.config.cohort or (max(self.graduates) if self.graduates else None)

    @property
    def graduate(self):
        """The cleaned survey of the report cohort (or None)."""
        c = self.cohort
        return self.graduates.get(c) if c is not None else None


_CONFIG_KEYS = {
    "school", "cohort", "majors", "colleges", "min_cell", "satisfied", "placement", "placement_benchmark",
    "warning_threshold", "warning_years", "weight", "random_state", "rules", "data", "truth", "synthetic",
}


def load_config(path: str | Path | None = None, **overrides) -> AnalysisConfig:
    """Read a YAML config file (school, cohort, majors with code and college, thresholds).

    Unknown keys raise :class:`~survey_analysis.errors.ConfigError`; ``overrides`` win over the
    file.  The file may also list data files under ``data:`` (used by ``survey-analysis demo``).
    """
    from .errors import ConfigError

    doc: dict = {}
    if path is not None:
        from .io.yamlfile import load_yaml  # UTF-8 or GBK, a folder refused, no alias bombs

        p = Path(path)
        doc = load_yaml(p, what="配置文件").data or {}
        if not isinstance(doc, dict):
            raise ConfigError("配置文件的顶层应是键值对", file=p)
        _check_config_values(doc, p)
        unknown = set(doc) - _CONFIG_KEYS
        if unknown:
            raise ConfigError(f"配置文件有未知的键：{'、'.join(sorted(map(str, unknown)))}", file=p,
                              expected="、".join(sorted(_CONFIG_KEYS)))
    cfg = AnalysisConfig()
    for k in ("school", "cohort", "min_cell", "satisfied", "placement", "placement_benchmark",
              "warning_threshold", "warning_years", "weight", "random_state", "rules"):
        if k in doc and doc[k] is not None:
            setattr(cfg, k, doc[k])
    if doc.get("majors"):
        cfg.majors = pd.DataFrame(doc["majors"]).astype({"name": str})
        for c in ("code", "college"):
            if c not in cfg.majors.columns:
                cfg.majors[c] = None
    if path is not None:
        cfg.sources["config"] = Path(path).name
        cfg.sources["config_data"] = doc.get("data") or {}
        cfg.sources["config_dir"] = str(Path(path).resolve().parent)
    for k, v in overrides.items():
        if v is not None:
            setattr(cfg, k, v)
    if cfg.satisfied not in ("top2", "top3"):
        raise ConfigError("满意度口径（satisfied）只能是 top2 或 top3", found=cfg.satisfied)
    from .design import Design

    Design(min_cell=cfg.min_cell, satisfied=cfg.satisfied, placement=cfg.placement)  # min_cell >= 1 …
    return cfg


def _check_config_values(doc: dict, path) -> None:
    """Types and ranges of the config's values (a user's file: every mistake is a ConfigError)."""
    from .design import Design
    from .errors import ConfigError

    majors = doc.get("majors")
    if majors is not None and not (isinstance(majors, list) and all(isinstance(m, dict) and "name" in m for m in majors)):
        raise ConfigError("配置文件中 majors 应是专业列表，每项写明 name（以及 code、college）", file=path,
                          column="majors", found=str(majors)[:80],
                          hint="例如：majors:\n  - {name: 软件工程, code: 080902, college: 计算机学院}")
    for key in ("placement_benchmark", "warning_threshold"):
        v = doc.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= float(v) <= 1):
            raise ConfigError(f"配置项 {key} 应是 0 到 1 之间的比例", file=path, column=key, found=v, expected="例如 0.85")
    cohort = doc.get("cohort")
    if cohort is not None and (isinstance(cohort, bool) or not isinstance(cohort, int) or not 1900 <= cohort <= 2100):
        raise ConfigError("配置项 cohort（届别）应是四位数字的年份", file=path, column="cohort", found=cohort,
                          expected="例如 2025", hint="请用阿拉伯数字写年份（2025，不要写“二〇二五”或“2025届”）。")
    try:
        Design(min_cell=doc.get("min_cell", 5), satisfied=doc.get("satisfied", "top2"),
               placement=doc.get("placement", "xinjincheng"))
    except ConfigError as exc:
        raise exc.with_file(path)


def _clean_file(path, *, kind, key, roster, cohort=None, spec=None, **kw):
    from .cleaning import clean
    from .io import read_survey
    from .spec import infer_spec, load_spec

    raw = read_survey(path, **kw)
    sp = load_spec(spec, raw) if spec else infer_spec(raw, kind=kind)
    return clean(raw, sp, key=key, roster=roster, cohort=cohort)


def _distribution(df: pd.DataFrame, col: str, min_cell: int) -> pd.DataFrame:
    from .privacy import suppress_small

    s = df[col].dropna() if col in df.columns else pd.Series(dtype=object)
    t = s.value_counts().rename_axis(col).reset_index(name="n")
    t["share"] = t["n"] / t["n"].sum() if len(t) else []
    out = suppress_small(t, min_cell=min_cell, value_cols=["share"], complementary=True)
    out.attrs["n_total"] = int(len(s))
    return out


def analyse(
    employer=None,
    graduates=(),
    *,
    population=None,
    roster=None,
    visits=None,
    demand=None,
    ledger_graduates=None,
    config: "AnalysisConfig | str | Path | None" = None,
    employer_spec=None,
    graduate_spec=None,
    cohorts=None,
    progress=None,
) -> Findings:
    """Read, clean and analyse everything; return :class:`Findings`.

    Parameters
    ----------
    employer : path, optional
        The employer survey export.
    graduates : path or list of paths
        Graduate follow-up exports, one per cohort.  The cohort of each is read from its
        毕业年份 question, else taken from ``cohorts`` (same order), else from a 4-digit year in
        the file name.
    population : path, optional
        A roster (one row per graduate) or a counts table (专业, [性别], 人数) for weighting and
        response rates.
    roster : path, optional
        A roster whose names and 学号 are redacted from comments (default: ``population`` when
        that is a roster).
    visits, demand : path, optional
        The special-action ledgers.
    ledger_graduates : path, optional
        Graduates per university and major for the ledger's supply-and-demand table (default:
        ``population``).
    config : AnalysisConfig or path, optional
    employer_spec, graduate_spec : path, optional
        YAML mapping files for exports of other questionnaires.
    progress : callable, optional
        Called with a short Chinese message before each step (the CLI prints them).

    Returns
    -------
    Findings
    """
    import re

    from . import outcomes as oc
    from . import ratings as rt
    from .errors import AnalysisError, ConfigError, SurveyError
    from .io import read_roster

    say = progress or (lambda msg: logger.info(msg))
    cfg = config if isinstance(config, AnalysisConfig) else load_config(config)
    if isinstance(graduates, (str, Path)):
        graduates = [graduates]
    graduates = list(graduates or [])
    if employer is None and not graduates:
        raise ConfigError("没有输入数据：至少需要用人单位调查（--employer）或毕业生调查（--graduate）之一")
    f = Findings(config=cfg)
    mc = cfg.min_cell
    roster_raw = pop_roster = None
    if roster is not None or population is not None:
        say("读取学生名单（用于评论脱敏与加权）…")
        pop_roster = read_roster(population) if population is not None else None
        roster_raw = read_roster(roster) if roster is not None and roster != population else pop_roster
        for r in [pop_roster] + ([roster_raw] if roster_raw is not pop_roster else []):
            f.notes.extend(f"名单：{n}" for n in (r.notes if r is not None else ()))
    import unicodedata

    def _nfkc(v):
        return unicodedata.normalize("NFKC", str(v)).strip() if isinstance(v, str) else v

    college_of = {}
    if cfg.majors is not None and "college" in cfg.majors:
        college_of = {_nfkc(k): v for k, v in zip(cfg.majors["name"], cfg.majors["college"])}

    # ---- graduates ---------------------------------------------------------------------
    for i, path in enumerate(graduates):
        say(f"读取并清洗毕业生调查：{Path(path).name} …")
        res = _clean_file(path, kind="graduate", key=cfg.key, roster=roster_raw, spec=graduate_spec)
        cohort = None
        if "cohort" in res.data.columns and res.data["cohort"].notna().any():
            cohort = int(res.data["cohort"].dropna().astype(float).mode().iloc[0])
        elif cohorts is not None and i < len(cohorts):
            cohort = int(cohorts[i])
        else:
            m = re.search(r"(20\d{2})", Path(path).name)
            cohort = int(m.group(1)) if m else 2000 + i
        if "cohort" not in res.data.columns:
            res.data["cohort"] = float(cohort)
        if "college" not in res.data.columns and college_of:
            res.data["college"] = res.data["major"].map(lambda m: college_of.get(_nfkc(m)))
        if cohort in f.graduates:
            raise ConfigError(f"两个毕业生调查文件都是 {cohort} 届", file=path,
                              hint="每届只给一个文件，或用 cohorts 指定届别。")
        f.graduates[cohort] = res
    if cfg.cohort is None and f.graduates:
        cfg.cohort = max(f.graduates)
    elif cfg.cohort is not None and f.graduates and cfg.cohort not in f.graduates:
        raise ConfigError(f"配置的届别 cohort={cfg.cohort} 没有对应的毕业生调查文件",
                          found="现有届别：" + "、".join(map(str, sorted(f.graduates))),
                          hint="请改正配置文件中的 cohort，或给出该届的毕业生调查文件。")
    for res in f.graduates.values():
        f.notes.extend(f"{res.summary.get('file', '')}：{w}" for w in res.warnings)

    # ---- population and weights ----------------------------------------------------------
    weights = None
    if population is not None:
        from .weighting import poststratify

        f.population = pop_roster.counts
        if cfg.weight and f.graduate is not None:
            by = [c for c in ("major", "sex") if c in f.population.columns and c in f.graduate.data.columns]
            weighted = poststratify(f.graduate.data, f.population, by=by or ["major"])
            f.graduate.data = weighted
            weights = "weight"
            for pr in weighted.attrs.get("weighting_problems", []) or []:
                f.notes.append(f"加权：{pr.get('message', pr)}")

    # ---- graduate outcomes ---------------------------------------------------------------
    if f.graduate is not None:
        g = f.graduate.data
        say(f"计算 {cfg.cohort} 届毕业生去向与就业质量…")
        f.outcomes = oc.outcome_tables(g, definition=cfg.placement, satisfied=cfg.satisfied,
                                       weights=weights, min_cell=mc)
        f.teaching = oc.teaching_feedback(g, satisfied=cfg.satisfied, weights=weights, min_cell=mc)
        f.abilities = oc.ability_fulfilment(g, weights=weights, min_cell=mc)
        tables_by_cohort = {cfg.cohort: f.outcomes}
        for c, res in f.graduates.items():
            if c != cfg.cohort:
                tables_by_cohort[c] = oc.outcome_tables(res.data, by=("school", "college", "major"),
                                                        definition=cfg.placement, satisfied=cfg.satisfied,
                                                        min_cell=mc)
        if len(f.graduates) > 1:
            say("计算历年趋势…")
            f.trends = oc.trends({c: r.data for c, r in f.graduates.items()}, definition=cfg.placement,
                                 satisfied=cfg.satisfied, min_cell=mc)
        f.warnings = oc.major_warnings(tables_by_cohort, benchmark=cfg.placement_benchmark,
                                       threshold=cfg.warning_threshold, consecutive=cfg.warning_years)
        if "comment" in g.columns:
            from .text import extract_skills

            say("分析毕业生建议中的能力提及…")
            sk = extract_skills(g["comment"], ids=g["respondent_id"])
            f.graduate_skills = _join_groups(sk, g)

    # ---- employers -----------------------------------------------------------------------
    if employer is not None:
        say(f"读取并清洗用人单位调查：{Path(employer).name} …")
        res = _clean_file(employer, kind="employer", key=cfg.key, roster=roster_raw, spec=employer_spec)
        if "college" not in res.data.columns and college_of:
            res.data["college"] = res.data["major"].map(lambda m: college_of.get(_nfkc(m)))
        f.employer = res
        f.notes.extend(f"{res.summary.get('file', '')}：{w}" for w in res.warnings)
        e = res.data
        say("分析用人单位构成与能力评价…")
        f.employer_profile = {c: _distribution(e, c, mc) for c in ("industry", "employer_type", "employer_size", "region")
                              if c in e.columns}
        by = "major" if "major" in e.columns else None
        f.competencies = rt.competency_summary(e, by=by, satisfied=cfg.satisfied, min_cell=mc)
        f.ipa = rt.ipa(e, by=by, min_cell=mc)
        f.reliability = rt.reliability(e)
        try:
            f.drivers = rt.key_drivers(e)
        except AnalysisError as exc:
            f.drivers = None
            f.notes.append(f"关键驱动因素分析未能完成：{exc.message}")
        groups = [c for c in ("major", "industry") if c in e.columns]
        if groups:
            f.group_differences = rt.compare_groups(e, None, groups, min_cell=mc, satisfied=cfg.satisfied)
        texts = [c for c in ("comment_skills", "comment_suggestion") if c in e.columns]
        if texts:
            from .text import extract_skills, keywords, text_cache

            # one bounded cache for the block: the theme clusterer re-reads the same comments
            with text_cache():
                say("分析用人单位评论：能力短板与优势…")
                parts = []
                for c in texts:
                    # answers to "what should graduates strengthen" are often bare lists (沟通能力、Excel):
                    # a mention there is a gap unless a cue says otherwise
                    default = "gap" if c == "comment_skills" else "neutral"
                    sk = extract_skills(e[c], ids=e["respondent_id"], default_polarity=default)
                    sk["field"] = c
                    parts.append(sk)
                f.employer_skills = _join_groups(pd.concat(parts, ignore_index=True), e)
                alltext = pd.concat([e[c] for c in texts], ignore_index=True)
                grp = pd.concat([e["major"] for _ in texts], ignore_index=True) if "major" in e.columns else None
                try:
                    f.keywords = keywords(alltext, groups=grp, top_k=10)
                except SurveyError as exc:
                    f.notes.append(f"关键词未能提取：{exc.message}")
                try:
                    say("聚类能力短板主题…")
                    f.themes = fit_themes(e, colleges=college_of, random_state=cfg.random_state, min_cell=mc)
                except SurveyError as exc:
                    f.notes.append(f"短板主题未能聚类：{exc.message}")

    # ---- ledger --------------------------------------------------------------------------
    if visits is not None:
        from .ledger import analyze_ledger

        say("分析访企拓岗台账…")
        f.ledger = analyze_ledger(visits, demand, graduates=ledger_graduates or population)

    # ---- recommendations -----------------------------------------------------------------
    try:
        from .curriculum import recommend
    except ImportError:
        recommend = None
    if recommend is not None:
        say("生成专业与课程调整建议…")
        f.recommendations = recommend(f, rules=cfg.rules)
    return f


def fit_themes(data: pd.DataFrame, *, colleges: dict | None = None, random_state: int = 0,
               min_cell: int = 5, n_themes: int | None = None) -> dict:
    """Skill-gap themes of a cleaned employer survey's comments.

    Returns ``{"themes": themes table, "by_group": shares per major and college (columns
    ``level, group, theme, label, n, count, share, rank, suppressed``), "estimator": the fitted
    :class:`~survey_analysis.gaps.SkillGapClusterer`}``.
    """
    from .gaps import SkillGapClusterer, feedback_texts

    X = feedback_texts(data, colleges=colleges or None)
    est = SkillGapClusterer(n_themes=n_themes, random_state=random_state).fit(X)
    parts = []
    for by in ("major", "college", "industry"):
        if by in X.columns and X[by].notna().any():
            t = est.theme_shares(X, by=by, respondent="row", min_cell=min_cell)
            parts.append(t.rename(columns={by: "group"}).assign(level=by))
    by_group = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return {"themes": est.themes_, "by_group": by_group, "estimator": est}


def _join_groups(skills: pd.DataFrame, data: pd.DataFrame) -> pd.DataFrame:
    """Attach the respondent's major / college / industry to skill mentions (by comment id)."""
    cols = [c for c in ("major", "college", "industry") if c in data.columns]
    if not len(skills) or not cols:
        return skills
    lookup = data.drop_duplicates("respondent_id").set_index("respondent_id")[cols]
    out = skills.join(lookup, on="comment_id")
    out.attrs.update(skills.attrs)
    return out
