"""``survey-analysis outcomes FILE [FILE ...] --out DIR``: the graduate follow-up tables.

Reads every graduate-survey export (one per cohort, or several files of one cohort), cleans
it, optionally weights it to a population file, and writes every table as a CSV (UTF-8 with a
BOM, Chinese headers) plus one workbook ``毕业生跟踪调查分析.xlsx`` (a sheet per table).
Everything is written into a temporary folder first and moved into ``--out`` only when the
whole run succeeded.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from . import add_common
from ._common import add_clean_options, add_read_options, done, echo

__all__ = ["register", "run", "analyse", "config_from_args", "tables_of", "write_outputs", "WORKBOOK_NAME"]

logger = logging.getLogger(__name__)

WORKBOOK_NAME = "毕业生跟踪调查分析.xlsx"


def register(sub) -> None:
    p = sub.add_parser(
        "outcomes",
        help="毕业生跟踪调查分析：毕业去向落实率、收入、相关度与满意度、教学反馈、能力满足度、专业预警",
        description="读取一个或多个毕业生跟踪调查导出文件（可为多届），清洗后按全校、学院、专业计算毕业去向、"
                    "就业质量、教学反馈、能力满足度、专业间差异、年度变化和专业预警（红黄绿牌），"
                    "每张表写成 CSV，并汇总为一个 Excel 工作簿。",
        epilog="示例：survey-analysis outcomes data/raw/graduate_2025.xls data/raw/graduate_2024.xlsx "
               "--population data/raw/roster_2025.xlsx --benchmark 0.85 --out reports/outcomes",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="毕业生调查导出文件（.xls / .xlsx / .csv / .sav），可多个（如多届）")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--population", metavar="FILE",
                   help="毕业生名单（学号、姓名、性别、学院、专业，一人一行）或人数表（专业、[性别]、人数），用于加权；"
                        "姓名、学号、手机号读入后立即丢弃")
    p.add_argument("--by", choices=["major", "college"], default="major",
                   help="分组到哪一层：major = 全校、学院和专业（默认）；college = 全校和学院")
    p.add_argument("--config", metavar="YAML",
                   help="学校配置文件（学校、届别、专业与学院、阈值；与 report 命令相同，数字与报告一致）")
    p.add_argument("--definition", choices=["xinjincheng", "mycos"],
                   help="就业去向落实率口径：xinjincheng（默认，新锦成：全部作答者为基数）；"
                        "mycos（准备升学或考试的未就业者不计入基数）")
    p.add_argument("--satisfied", choices=["top2", "top3"],
                   help="“满意”口径：top2 = 很满意+满意（MyCOS，默认）；top3 = 再加“一般”（新锦成）")
    p.add_argument("--min-cell", type=int, metavar="N",
                   help="样本量少于 N 的组在表中隐藏（默认取配置文件，否则 5）")
    p.add_argument("--benchmark", type=float, metavar="RATE",
                   help="当地（本省）平均就业去向落实率，如 0.85；低于它的专业被标出")
    p.add_argument("--threshold", type=float, metavar="RATE",
                   help="预警阈值：连续若干届低于该落实率的专业被标出（默认取配置文件，否则 0.60）")
    p.add_argument("--consecutive", type=int, metavar="N",
                   help="连续低于阈值的届数（默认取配置文件，否则 2）")
    add_read_options(p)
    add_clean_options(p)
    add_common(p)
    p.set_defaults(func=run)


# ----------------------------------------------------------------------------------------
def _read_all(args) -> tuple[dict, list[dict]]:
    """Clean every file; returns ``{cohort: frame}`` (files of one cohort concatenated) and notes."""
    from ..errors import SurveyError
    from ..pipeline.run import cohort_of
    from ._common import read_and_clean

    frames: dict = {}
    problems: list[dict] = []
    for i, path in enumerate(args.files):
        try:
            _raw, res = read_and_clean(path, args)
        except SurveyError as exc:
            raise exc.with_file(path)
        data = res.data
        name = Path(path).name
        echo(args, f"{name}：保留 {len(data)} 份答卷（读入 {res.summary.get('rows_in', '?')} 行）")
        cohort = cohort_of(data, path)
        if cohort is None:
            cohort = -(i + 1)
            problems.append({"check": "no_cohort", "column": "cohort", "example": name, "count": len(data), "rows": "",
                             "message": f"文件「{name}」没有毕业年份，按第 {i + 1} 个文件单独作为一届处理"})
        if "cohort" not in data.columns or data["cohort"].isna().all():
            data = data.assign(cohort=float(cohort))
        if len(data) == 0:
            problems.append({"check": "empty_file", "column": "", "example": name, "count": 0, "rows": "",
                             "message": f"文件「{name}」清洗后没有任何答卷"})
        problems += _income_problems(res.log, name)
        frames.setdefault(cohort, []).append(data)
    out = {c: (fs[0] if len(fs) == 1 else pd.concat(fs, ignore_index=True)) for c, fs in frames.items()}
    # a column that only another cohort's file has is all-missing here: treat it as absent
    return {c: f.dropna(axis=1, how="all") for c, f in out.items() if len(f)}, problems


def _income_problems(log: pd.DataFrame, name: str) -> list[dict]:
    """Incomes the cleaning blanked as implausible (listed with their rows in the file)."""
    if not len(log) or not {"field", "rule"} <= set(log.columns):
        return []
    bad = log[(log["field"] == "income") & (log["rule"] == "implausible")]
    if not len(bad):
        return []
    rows = "、".join(str(r) for r in bad["row"].head(10).tolist())
    return [{"check": "implausible_income", "column": "income",
             "example": "、".join(str(v) for v in bad["original"].head(5).tolist()), "count": len(bad),
             "rows": f"{name} 行 {rows}{'…' if len(bad) > 10 else ''}",
             "message": f"文件「{name}」中 {len(bad)} 个月收入超出清洗时的合理范围，已置为缺失，未计入收入统计"}]


def config_from_args(args):
    """The run's config: ``--config`` (optional) with the command's options on top."""
    from ..pipeline import load_config

    levels = ("school", "college") if getattr(args, "by", "major") == "college" else None
    return load_config(getattr(args, "config", None), levels=levels, min_cell=args.min_cell, satisfied=args.satisfied,
                       placement=args.definition, placement_benchmark=args.benchmark,
                       warning_threshold=args.threshold, warning_years=args.consecutive)


def tables_of(g) -> dict:
    """Every table of a :class:`~survey_analysis.pipeline.GraduateFindings`, by name."""
    tables = {k: v for k, v in g.outcomes.items()}
    tables.update(g.teaching)
    for name in ("suggestions", "abilities", "comparisons", "trends", "warnings", "response", "weighting_problems"):
        t = getattr(g, name)
        if t is not None and len(t):
            tables["ability_fulfilment" if name == "abilities" else name] = t
    return tables


def analyse(frames: dict, config, *, population=None, problems: list | None = None) -> tuple[dict, dict]:
    """Every outcome table for cleaned graduate frames ``{cohort: frame}``; ``(tables, info)``.

    The numbers are :func:`survey_analysis.pipeline.analyse_graduates`' — the report's.
    """
    from ..errors import AnalysisError
    from ..pipeline import analyse_graduates

    if not frames:
        raise AnalysisError("所有文件清洗后都没有答卷，无法分析", expected="至少一份有效答卷", found="0 份",
                            hint="请检查文件是否为毕业生跟踪调查，或用 survey-analysis clean 查看清洗日志。")
    g = analyse_graduates(frames, config, population=population)
    tables = tables_of(g)
    all_problems = list(problems or []) + g.problems.to_dict("records")
    all_problems += [{"check": "weighting", "column": "weight", "example": "", "count": 0, "rows": "", "message": n}
                     for n in g.notes]
    tables["problems"] = pd.DataFrame(all_problems, columns=["check", "column", "example", "count", "rows", "message"])
    school = g.outcomes["placement"].iloc[0]
    info = {
        "n": int(len(g.frames[g.cohort])), "n_all": int(sum(len(f) for f in g.frames.values())),
        "cohorts": list(g.frames), "latest": g.cohort, "weighted": g.design.weight is not None,
        "placement_rate": school["placement_rate"], "placement_low": school["placement_rate_low"],
        "placement_high": school["placement_rate_high"], "definition": g.design.placement, "conf": g.design.conf,
        "cards": g.warnings["card"].value_counts().to_dict() if g.warnings is not None and len(g.warnings) else {},
        "n_problems": int((tables["problems"]["check"] != "absent_column").sum()),
    }
    return tables, info


# ----------------------------------------------------------------------------------------
def _for_people(table: pd.DataFrame) -> pd.DataFrame:
    """Chinese headers and values a person reads (level names, yes/no)."""
    from ..outcomes import LABELS, LEVEL_LABELS
    from ..outcomes.labels import DOMAIN_LABELS

    out = table.copy()
    if "level" in out.columns:
        out["level"] = out["level"].map(lambda v: LEVEL_LABELS.get(v, v))
    if "domain" in out.columns:
        out["domain"] = out["domain"].map(lambda v: DOMAIN_LABELS.get(v, v))
    for c in out.columns:
        if str(out[c].dtype) == "Int64":  # Python ints: numpy integers are not numbers to every writer
            out[c] = pd.Series([None if pd.isna(v) else int(v) for v in out[c]], index=out.index, dtype=object)
        elif out[c].dtype == bool or str(out[c].dtype) == "boolean":
            out[c] = out[c].map(lambda v: None if pd.isna(v) else ("是" if v else "否")).astype(object)
        elif out[c].dtype == object:
            vals = out[c].dropna()
            if len(vals) and vals.map(lambda v: isinstance(v, (bool, np.bool_))).all():
                out[c] = out[c].map(lambda v: None if pd.isna(v) else ("是" if v else "否"))
    extra = {"cell": "分组", "n_sample": "答卷人数", "population": "毕业生人数"}
    seen = {}
    cols = []
    for c in out.columns:
        label = LABELS.get(c) or extra.get(c)
        if label is None and "_" in str(c):
            base, _, suffix = str(c).rpartition("_")
            if base in LABELS and suffix.isdigit():
                label = f"{LABELS[base]}（{suffix} 届）"
        label = label or str(c)
        if label in seen:
            label = f"{label}（{c}）"
        seen[label] = True
        cols.append(label)
    out.columns = cols
    return out


def _note(table: pd.DataFrame) -> str:
    a = table.attrs
    parts = []
    for key in ("base", "definition", "rate_definition", "averaging", "bands", "weighting", "method", "rule",
                "flag_rule", "suppression_note"):
        v = a.get(key)
        if isinstance(v, str) and v:
            parts.append(v)
    return " ".join(parts)


def write_outputs(tables: dict, out_dir) -> list[Path]:
    """Write each table as ``<name>.csv`` and all of them in one workbook, atomically."""
    from .._atomic import atomic_dir
    from ..outcomes import TABLE_TITLES
    from ..outputs import write_csv, write_xlsx

    sheets, notes, names = {}, {}, []
    with atomic_dir(out_dir) as tmp:
        for name, table in tables.items():
            people = _for_people(table)
            write_csv(people, tmp / f"{name}.csv")
            names.append(f"{name}.csv")
            title = TABLE_TITLES.get(name, {"weighting_problems": "加权问题"}.get(name, name))
            sheets[title] = people
            notes[title] = _note(table)
        about = _about(tables)
        sheets = {"说明": about, **sheets}
        write_xlsx(sheets, tmp / WORKBOOK_NAME, notes=notes)
        names.append(WORKBOOK_NAME)
    return [Path(out_dir) / n for n in names]


def _about(tables: dict) -> pd.DataFrame:
    from ..outcomes import TABLE_TITLES

    rows = []
    for name, t in tables.items():
        rows.append({"表": TABLE_TITLES.get(name, name), "文件": f"{name}.csv", "行数": len(t), "说明": _note(t)})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------
def run(args) -> int:
    from .._atomic import ensure_writable_dir
    from ..weighting import load_population

    config = config_from_args(args)
    ensure_writable_dir(args.out)
    frames, problems = _read_all(args)
    population = None
    if args.population:
        population = load_population(args.population)
        echo(args, f"人口文件：{Path(args.population).name}，{int(population['count'].sum())} 名毕业生，"
                   f"{population['major'].nunique()} 个专业")
    tables, info = analyse(frames, config, population=population, problems=problems)
    for rec in tables["problems"].to_dict("records"):
        if rec["check"] != "absent_column":
            echo(args, f"  注意：{rec['message']}")
    paths = write_outputs(tables, args.out)
    cards = info["cards"]
    card_txt = f"，红牌 {cards.get('红牌', 0)} 个、黄牌 {cards.get('黄牌', 0)} 个专业" if cards else ""
    rate = info["placement_rate"]
    conf = f"{info['conf'] * 100:g}%"
    rate_txt = "—" if pd.isna(rate) else f"{rate:.1%}（{conf} 区间 {info['placement_low']:.1%}–{info['placement_high']:.1%}）"
    cohorts = "、".join(str(c) for c in info["cohorts"] if not (isinstance(c, (int, float)) and c < 0)) or "未知"
    done(
        f"完成：{info['latest'] if info['latest'] > 0 else '最近一'}届 {info['n']} 份答卷"
        f"（共 {info['n_all']} 份，届别 {cohorts}），{info['definition'].rate_label} {rate_txt}"
        f"{'，已加权' if info['weighted'] else '，未加权'}{card_txt}；{len(paths) - 1} 张表已写入 {args.out}"
    )
    return 0
