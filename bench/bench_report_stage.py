"""Benchmark of the report stage alone: ``report_model`` (tables and charts) and ``render``
per format, from a Findings object, CPU and wall time.

The Findings come from ``pipeline.analyse`` on the cached inputs of ``bench/make_large.py``
(60 majors), or from a pickle saved by an earlier run (``--save`` / ``--findings``), so the
report can be timed again and again without re-reading the CSV.  ``--scale K`` repeats the
graduate rows, employer rows and skill mentions K times (new respondent ids) to see how the
row-dependent parts of the model grow (K = 10 on the 100,000-row findings ≈ the 1,000,000-row
run) without running the full pipeline.

Usage::

    python bench/bench_report_stage.py --rows 100000 --save /tmp/findings_100k.pkl
    python bench/bench_report_stage.py --findings /tmp/findings_100k.pkl --formats pdf,xlsx
    python bench/bench_report_stage.py --findings /tmp/findings_100k.pkl --scale 10
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _findings(args):
    if args.findings:
        with open(args.findings, "rb") as fh:
            return pickle.load(fh)
    from make_large import make_large

    from survey_analysis.pipeline import analyse, load_config

    paths = make_large(args.data)
    f = analyse(employer=paths["employers"][args.rows], graduates=[paths["graduates"][args.rows]],
                population=paths["population"], config=load_config(paths["config"]),
                employer_spec=paths["employer_spec"], graduate_spec=paths["graduate_spec"])
    if args.save:
        with open(args.save, "wb") as fh:
            pickle.dump(f, fh, protocol=5)
    return f


def _scale(f, k: int):
    import pandas as pd

    def rep(df, ids):
        parts = []
        for i in range(k):
            d = df.copy()
            for c in ids:
                if c in d.columns:
                    d[c] = d[c].astype("string") + ("" if i == 0 else f"_{i}")
            parts.append(d)
        return pd.concat(parts, ignore_index=True)

    if f.graduate is not None:
        f.graduate.data = rep(f.graduate.data, ["respondent_id"])
    if f.employer is not None:
        f.employer.data = rep(f.employer.data, ["respondent_id"])
    if f.employer_skills is not None:
        f.employer_skills = rep(f.employer_skills, ["comment_id", "respondent_id"])
    return f


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="报告阶段性能测试（排版与写出）")
    ap.add_argument("--rows", type=int, default=100000, help="毕业生行数（无 --findings 时运行 analyse）")
    ap.add_argument("--data", default=None, help="make_large 的输出目录（默认 $SA_BENCH_DIR 或 /tmp/sa_bench）")
    ap.add_argument("--findings", default=None, help="读取已保存的分析结果（pickle）")
    ap.add_argument("--save", default=None, help="把分析结果保存到此文件（pickle）")
    ap.add_argument("--scale", type=int, default=1, help="把毕业生、用人单位与能力提及的行重复 K 次")
    ap.add_argument("--formats", default="pdf,xlsx", help="报告格式（逗号分隔）")
    ap.add_argument("--repeat", type=int, default=1, help="重复次数（取每项的最小值）")
    ap.add_argument("--json", default=None, help="把结果追加到此 JSON-lines 文件")
    a = ap.parse_args(argv)

    from survey_analysis.report.build import report_model
    from survey_analysis.report.render import render

    f = _findings(a)
    if a.scale > 1:
        f = _scale(f, a.scale)
    n_g = len(f.graduate.data) if f.graduate is not None else 0
    n_e = len(f.employer.data) if f.employer is not None else 0
    best: dict = {}

    def timed(label, fn):
        c, w = time.process_time(), time.perf_counter()
        r = fn()
        cpu, wall = time.process_time() - c, time.perf_counter() - w
        old = best.get(label)
        best[label] = (min(cpu, old[0]), min(wall, old[1])) if old else (cpu, wall)
        return r

    out = Path(tempfile.mkdtemp(prefix="sa_bench_report_stage_"))
    for _ in range(a.repeat):
        rep = timed("report: model+charts", lambda: report_model(f, date="2026 年 1 月 1 日"))
        for fmt in a.formats.split(","):
            timed(f"report: render {fmt}", lambda fmt=fmt: render(rep, out, formats=fmt))
    print(f"毕业生 {n_g:,} 行，用人单位 {n_e:,} 行；输出：{out}")
    for k, (cpu, wall) in best.items():
        print(f"  {k:28s} CPU {cpu:6.2f} s   wall {wall:6.2f} s")
    if a.json:
        with open(a.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"bench": "report_stage", "graduate_rows": n_g, "employer_rows": n_e,
                                 "scale": a.scale, "formats": a.formats,
                                 "stages": {k: {"cpu": round(c, 2), "wall": round(w, 2)} for k, (c, w) in best.items()},
                                 "time": time.strftime("%Y-%m-%d %H:%M:%S")}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
