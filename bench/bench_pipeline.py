"""End-to-end benchmark: read → clean → text → themes → statistics → report, one process.

Runs :func:`survey_analysis.pipeline.analyse` on the large inputs of ``bench/make_large.py``
(``graduates_<rows>.csv`` with ``employers_<rows/5>.csv``, the population table and the
60-major mapping files) and then :func:`survey_analysis.report.build.build_report`.  Each
stage is timed from the pipeline's progress messages; peak RSS is sampled with psutil.

Usage::

    python bench/bench_pipeline.py --rows 10000
    python bench/bench_pipeline.py --rows 1000000 --formats pdf,xlsx --json bench/results.jsonl
    python bench/bench_pipeline.py --rows 100000 --profile /tmp/pipeline.prof   # cProfile

Targets (2 cores, 24 GB): end to end < 120 s and < 4 GB peak at 1,000,000 graduate rows.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Stages, machine, peak_rss_mb, save  # noqa: E402

# progress message prefix → stage name (the pipeline says these before each step)
_STAGE_OF = [
    ("读取学生名单", "population"),
    ("读取总体", "population"),
    ("读取并清洗毕业生", "graduates: read+clean"),
    ("计算", "graduates: outcomes"),
    ("分析毕业生建议", "graduates: skills"),
    ("读取并清洗用人单位", "employers: read+clean"),
    ("分析用人单位构成", "employers: ratings"),
    ("分析用人单位评论", "employers: skills+keywords"),
    ("聚类能力短板主题", "employers: themes"),
    ("分析访企拓岗台账", "ledger"),
    ("生成专业与课程调整建议", "recommendations"),
    ("排版报告", "report: model+charts"),
    ("写出报告文件", "report: render"),
]


def _stage_name(msg: str) -> str:
    for prefix, name in _STAGE_OF:
        if msg.startswith(prefix):
            return name
    return msg[:24]


def run(rows: int, *, data_dir=None, formats="pdf,html,xlsx,docx", charts=True, report=True) -> dict:
    from make_large import EMPLOYER_RATIO, make_large

    paths = make_large(data_dir)
    if rows not in paths["graduates"]:
        raise SystemExit(f"没有 {rows} 行的毕业生文件；可选：{sorted(paths['graduates'])}")
    gpath, epath = paths["graduates"][rows], paths["employers"][rows]
    print(f"输入：{gpath.name}（{rows:,} 行）、{epath.name}；每 {EMPLOYER_RATIO} 名毕业生 1 份用人单位问卷", flush=True)

    from survey_analysis.pipeline import analyse, load_config

    st = Stages()
    marks: list[tuple[float, str, float]] = []

    def progress(msg: str):
        marks.append((time.perf_counter(), _stage_name(msg), st.sampler.peak()))
        st.sampler.reset()

    cfg = load_config(paths["config"])
    t0 = time.perf_counter()
    st.sampler.reset()
    findings = analyse(employer=epath, graduates=[gpath], population=paths["population"], config=cfg,
                       employer_spec=paths["employer_spec"], graduate_spec=paths["graduate_spec"],
                       progress=progress)
    t_analyse = time.perf_counter()
    marks.append((t_analyse, "end", st.sampler.peak()))
    out = None
    if report:
        from survey_analysis.report.build import build_report

        out = tempfile.mkdtemp(prefix="sa_bench_report_")
        build_report(findings, out_dir=out, formats=formats, charts=charts, progress=progress)
        marks.append((time.perf_counter(), "end", st.sampler.peak()))
    st.sampler.stop()
    # stage k runs from mark k to mark k+1; the peak of stage k is recorded at mark k+1
    merged: dict = {}
    for (t, name, _), (t2, _n, peak) in zip(marks, marks[1:]):
        if name == "end":
            continue
        r = merged.setdefault(name, {"seconds": 0.0, "peak": 0.0})
        r["seconds"] += t2 - t
        r["peak"] = max(r["peak"], peak)
    n_emp = findings.employer.summary["rows_in"] if findings.employer is not None else 0
    print("\n阶段（stage）                     用时        行数         吞吐                 峰值内存")
    for name, r in merged.items():
        n = rows if name.startswith("graduates") or name == "population" else (
            n_emp if name.startswith("employers") else None)
        st.add(name, r["seconds"], n, peak=r["peak"])
    total = time.perf_counter() - t0
    peak = peak_rss_mb()
    st.add("END TO END (read → report)", total, rows, peak=peak)
    ok_t, ok_m = total < 120, peak < 4096
    print(f"\n目标：端到端 < 120 秒 {'✓' if ok_t else '✗'}，峰值内存 < 4 GB {'✓' if ok_m else '✗'}"
          f"（{total:.1f} 秒，{peak / 1024:.2f} GB）；报告：{out}")
    return {"bench": "pipeline", "rows": rows, "employer_rows": n_emp, "seconds": round(total, 2),
            "peak_rss_mb": round(peak), "stages": st.rows, "machine": machine(),
            "formats": formats if report else None, "time": time.strftime("%Y-%m-%d %H:%M:%S")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="端到端性能测试（读取 → 报告）")
    ap.add_argument("--rows", type=int, default=10000, help="毕业生行数：10000、100000 或 1000000")
    ap.add_argument("--data", default=None, help="make_large 的输出目录（默认 $SA_BENCH_DIR 或 /tmp/sa_bench）")
    ap.add_argument("--formats", default="pdf,html,xlsx,docx", help="报告格式（逗号分隔）")
    ap.add_argument("--no-charts", action="store_true", help="报告不画图")
    ap.add_argument("--no-report", action="store_true", help="只分析，不生成报告")
    ap.add_argument("--json", default=None, help="把结果追加到此 JSON-lines 文件")
    ap.add_argument("--profile", default=None, help="用 cProfile 运行并把统计写到此文件")
    a = ap.parse_args(argv)
    kw = dict(data_dir=a.data, formats=a.formats, charts=not a.no_charts, report=not a.no_report)
    if a.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        rec = prof.runcall(run, a.rows, **kw)
        prof.dump_stats(a.profile)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    else:
        rec = run(a.rows, **kw)
    save(a.json, rec)
    return 0


if __name__ == "__main__":
    sys.exit(main())
