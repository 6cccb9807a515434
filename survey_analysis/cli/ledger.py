"""``survey-analysis ledger``: progress of the 访企拓岗促就业 special action from its ledgers."""
from __future__ import annotations

from . import add_common

__all__ = ["register", "run"]


def register(sub) -> None:
    p = sub.add_parser(
        "ledger",
        help="专项行动台账：校领导走访、新拓展用人单位、岗位与实习基地进度，重点单位库，分专业供需对比",
        description=(
            "读取访企拓岗促就业专项行动的走访台账（以及可选的用人单位需求台账、毕业生名单），"
            "统计书记、校长（院长）正职走访和新拓展用人单位相对目标（教学厅函〔2022〕3号）的进度、落后名单、"
            "重点单位数据库和分专业供需比，输出 CSV、XLSX 和 PDF 进展报告。"
        ),
        epilog="示例：survey-analysis ledger --visits data/raw/ledger_visits_2025.xlsx "
               "--demand data/raw/ledger_demand_2025.xlsx --graduates data/raw/roster_2025.xlsx "
               "--out reports/ledger",
    )
    p.add_argument("--visits", required=True, metavar="FILE", help="走访台账（.xlsx / .xls / .csv）")
    p.add_argument("--demand", metavar="FILE", help="用人单位需求台账（可选）")
    p.add_argument("--graduates", metavar="FILE",
                   help="本校毕业生名单（每行一名毕业生，含“专业”列），或各专业毕业生人数表（专业、毕业生人数）；"
                        "分专业供需对比的供给方（可选）")
    p.add_argument("--sheet", metavar="工作表", help="走访台账的工作表名称或序号（默认第一个）")
    p.add_argument("--target-visits", type=int, metavar="N",
                   help="书记、校长（院长）正职走访用人单位目标（默认 100 家）")
    p.add_argument("--visit-scope", choices=["joint", "each"],
                   help="走访目标按正职共同计（joint，默认，通知原文“共拜访”）还是按每名正职分别计（each）")
    p.add_argument("--target-new", type=int, metavar="N", help="每所高校校领导班子新开拓用人单位目标（默认 100 家）")
    p.add_argument("--period-start", metavar="日期",
                   help="专项行动开始日期（默认：台账日期所在年份的 3 月 1 日，通知规定的 3—8 月）")
    p.add_argument("--period-end", metavar="日期", help="专项行动结束日期（默认：台账日期所在年份的 8 月 31 日）")
    p.add_argument("--as-of", metavar="日期", help="统计截止日期（默认：台账中最后一条有效走访的日期）")
    p.add_argument("--count-by", choices=["employers", "visits"],
                   help="走访目标按不同单位数（employers，默认，“拜访用人单位不少于 100 家”）还是按走访次数（visits）计")
    p.add_argument("--new-target", metavar="高校", nargs="+",
                   help="适用新拓展单位目标的高校（默认：台账“落实率低于当地平均”列为“是”的高校；没有该列则全部高校）")
    p.add_argument("--no-pdf", action="store_true", help="不生成 PDF 进展报告")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    add_common(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import logging

    from ..ledger import analyze_ledger, write_ledger_outputs
    from ._common import sheet_arg, done, echo

    for name in ("fontTools", "matplotlib", "PIL"):  # their INFO chatter (font subsetting, axis units) is not progress
        logging.getLogger(name).setLevel(logging.WARNING)

    res = analyze_ledger(
        args.visits,
        args.demand,
        args.graduates,
        as_of=args.as_of,
        new_target_universities=args.new_target,
        sheet=sheet_arg(args.sheet),
        target_visits=args.target_visits,
        target_new=args.target_new,
        visit_scope=args.visit_scope,
        period_start=args.period_start,
        period_end=args.period_end,
        count_by=args.count_by,
    )
    p = res.params
    echo(args, f"走访台账：{len(res.visits)} 行，计入 {int(res.visits['counted'].sum())} 行；"
               f"行动期 {p['period_start']:%Y-%m-%d} 至 {p['period_end']:%Y-%m-%d}，统计截至 {p['as_of']:%Y-%m-%d}")
    if res.demand is not None:
        echo(args, f"需求台账：{len(res.demand)} 行，计入 {int(res.demand['counted'].sum())} 行")
    for s in res.behind["statement"]:
        echo(args, f"落后：{s}")
    for note in res.notes:
        echo(args, f"说明：{note}")
    paths = write_ledger_outputs(res, args.out, pdf=not args.no_pdf)
    echo(args, f"已写入 {len(paths)} 个文件到 {args.out}")
    done(res.summary())
    return 0
