"""``survey-analysis report``: the whole curriculum-adjustment report from survey exports.

Reads the employer survey and one or more graduate cohorts (plus an optional population file,
config and ledgers), runs :func:`survey_analysis.pipeline.analyse` and writes the report as
PDF, HTML, XLSX and DOCX (``--format``) into ``--out``, atomically.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from . import add_common
from ._common import done, echo

__all__ = ["register", "run", "build_and_summarise"]


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="生成专业建设与课程调整报告（PDF、HTML、Excel、Word）",
        description="读取用人单位调查与毕业生跟踪调查导出文件，清洗、分析并生成中文报告："
                    "执行摘要、数据与方法、用人单位需求、毕业生就业状况、教学反馈、专业画像、调整建议与附录。",
        epilog="示例：survey-analysis report --employer employer.xls --graduate g2025.xls --graduate g2024.xlsx "
               "--population roster.xlsx --config config.yaml --programme programme_2025.xlsx --out reports/2025",
    )
    p.add_argument("--employer", metavar="FILE", help="用人单位调查导出文件")
    p.add_argument("--graduate", metavar="FILE", action="append", default=[],
                   help="毕业生跟踪调查导出文件（可重复，每届一个）")
    p.add_argument("--population", metavar="FILE",
                   help="学生名单或人数表（专业、[性别]、[届别]、人数；用于加权与回收率，有届别列时每届按本届人数）")
    p.add_argument("--roster", metavar="FILE", help="学生名单（姓名、学号），用于脱敏评论中的姓名与学号（默认用 --population）")
    p.add_argument("--config", metavar="FILE", help="配置文件（YAML：学校、届别、专业与学院、阈值、建议规则）")
    p.add_argument("--visits", metavar="FILE", help="访企拓岗台账（走访记录）")
    p.add_argument("--demand", metavar="FILE", help="用人单位需求台账")
    p.add_argument("--ledger-graduates", metavar="FILE",
                   help="台账各高校分专业毕业生人数（供需对比用；默认用 --population）")
    p.add_argument("--employer-spec", metavar="YAML", help="用人单位调查的映射文件（非内置问卷时使用，见 README）")
    p.add_argument("--graduate-spec", metavar="YAML", help="毕业生调查的映射文件（非内置问卷时使用，见 README）")
    p.add_argument("--rules", metavar="YAML", help="建议规则文件（默认使用内置规则 rules.yaml）")
    p.add_argument("--benchmarks", metavar="FILE",
                   help="外部基准文件（CSV/XLSX：指标、范围、专业、数值、年份、来源；示例见 docs/examples/benchmarks.csv）")
    p.add_argument("--programme", metavar="FILE",
                   help="人才培养方案（课程表与课程—毕业要求支撑矩阵，XLSX/CSV）：把能力短板落到课程，评价核心课程与毕业要求达成度")
    p.add_argument("--programme-mapping", metavar="YAML",
                   help="培养方案映射文件（工作表对应的专业、列名、毕业要求对应的能力代码、支撑标记），见 README")
    p.add_argument("--key", help="假名化密钥（默认读取环境变量 SURVEY_ANALYSIS_KEY；不写入任何输出）")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--format", default="pdf,html,xlsx,docx", metavar="LIST",
                   help="输出格式，逗号分隔：pdf,html,xlsx,docx（默认全部）")
    add_common(p)
    p.set_defaults(func=run)


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes (the report's chapters
    and formats are made side by side)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def build_and_summarise(args, *, employer, graduates, population=None, roster=None, config=None, visits=None, demand=None,
                        rules=None, key=None, label="报告", employer_spec=None, graduate_spec=None,
                        ledger_graduates=None, benchmarks=None, programme=None, programme_mapping=None) -> int:
    """Run the build with progress lines and print the one-line summary; return the exit code."""
    from .._atomic import ensure_writable_dir
    from ..design import key_from_env
    from ..errors import ReadError
    from ..pipeline import load_config
    from ..report.build import build_report

    import logging

    t0 = time.perf_counter()
    c0 = _cpu()
    for name in ("fontTools", "matplotlib", "PIL"):  # their INFO chatter is not progress
        logging.getLogger(name).setLevel(logging.WARNING)
    for path in [employer, *graduates, population, roster, visits, demand, config, rules, employer_spec, graduate_spec,
                 ledger_graduates, benchmarks, programme, programme_mapping]:
        if path is not None and not Path(path).exists():
            raise ReadError("文件不存在", file=path, hint="请检查路径是否正确。")
    out = ensure_writable_dir(args.out)  # exit 2 before any work when the folder is not writable
    cfg = load_config(config, rules=str(rules) if rules else None, benchmarks=str(benchmarks) if benchmarks else None,
                      key=key_from_env(key))
    res = build_report(out_dir=out, formats=args.format, employer=employer, graduates=list(graduates),
                       population=population, roster=roster, visits=visits, demand=demand, config=cfg,
                       employer_spec=employer_spec, graduate_spec=graduate_spec,
                       ledger_graduates=ledger_graduates, programme=programme, programme_mapping=programme_mapping,
                       progress=lambda msg: echo(args, msg))
    f = res["findings"]
    written = [Path(res[k]).name for k in ("pdf", "html", "xlsx", "docx") if k in res]
    recs = f.recommendations
    n_rec = int((recs["level"] == "major").sum()) if recs is not None and len(recs) else 0
    n_major = int(recs.loc[recs["level"] == "major", "group"].nunique()) if n_rec else 0
    for k in ("pdf", "html", "xlsx", "docx"):
        if k in res:
            echo(args, f"  已写出 {res[k]}")
    secs = time.perf_counter() - t0
    cpu = _cpu() - c0
    done(f"完成：{label}已生成（{'、'.join(written)}），{n_major} 个专业共 {n_rec} 条建议；"
         f"用时 {secs:.1f} 秒（CPU {cpu:.1f} 秒）；输出在 {out}/")
    return 0


def run(args) -> int:
    from ..errors import ConfigError

    if not args.employer and not args.graduate:
        raise ConfigError("没有输入数据：至少需要 --employer 或 --graduate 之一",
                          hint="例如 survey-analysis report --employer employer.xls --graduate g2025.xls --out reports")
    return build_and_summarise(args, employer=args.employer, graduates=args.graduate, population=args.population,
                               roster=args.roster,
                               config=args.config, visits=args.visits, demand=args.demand, rules=args.rules,
                               key=args.key, employer_spec=args.employer_spec, graduate_spec=args.graduate_spec,
                               ledger_graduates=args.ledger_graduates, benchmarks=args.benchmarks,
                               programme=args.programme, programme_mapping=args.programme_mapping)
