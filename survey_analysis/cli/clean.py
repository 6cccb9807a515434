"""``survey-analysis clean FILE --out DIR``: cleaned data, cleaning log and summary."""
from __future__ import annotations

from . import add_common
from . import _common
from ._common import add_clean_options, add_read_options, done, echo


def register(sub) -> None:
    p = sub.add_parser("clean", help="清洗问卷数据：重编码、剔除无效答卷、去除个人信息，输出审计日志",
                       description="读取并清洗一个问卷导出文件，写出清洗后的数据（Parquet 和 CSV）、清洗日志（CSV）和 summary.json。")
    p.add_argument("file", metavar="FILE", help="问卷导出文件（.xls / .xlsx / .csv / .sav）")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    add_read_options(p)
    add_clean_options(p)
    add_common(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from .._atomic import ensure_writable_dir

    ensure_writable_dir(args.out)
    raw, res = _common.read_and_clean(args.file, args)  # looked up at call time (tests patch it)
    echo(args, res.spec.summary())
    unmapped = res.spec.report[res.spec.report["status"].isin(["unmapped", "ambiguous", "missing"])]
    for r in unmapped.itertuples():
        echo(args, f"  未映射/不确定（{r.status}）：第 {r.number or '?'} 题 {r.text}")
    res.write(args.out)
    echo(args, res.summary_text())
    s = res.summary
    done(f"完成：读入 {s['rows_in']} 行，保留 {s['rows_kept']} 行，排除 {s['rows_excluded']} 行；结果已写入 {args.out}")
    return 0
