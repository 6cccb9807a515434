"""Benchmark: the full report for a large school (60 majors, 100,000 graduates).

Generates synthetic employer and graduate surveys with the sample generator
(:func:`survey_analysis.datasets.generate_graduates` / ``generate_employers``), spreads the 12
sample majors over 60 majors (each sample major split into five "方向" majors), writes them as
问卷星-style CSV exports into a temporary folder, then times ``survey_analysis.report.build
.build_report`` (read → clean → analyse → recommendations → PDF/HTML/XLSX/DOCX) and prints the
wall time, CPU time and peak memory (tracemalloc for Python objects, ru_maxrss for the process).

Usage::

    python bench/bench_report.py [--graduates 100000] [--employers 3000] [--majors 60] [--formats pdf,xlsx]
"""
from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd



def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes (chapters and formats are
    made side by side)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system

def _spread_majors(answers: pd.DataFrame, per_major: int, seed: int) -> pd.DataFrame:
    """Split each major into ``per_major`` majors named 「专业（方向k）」 (k = 1…per_major)."""
    if per_major <= 1:
        return answers
    rng = np.random.default_rng(seed)
    out = answers.copy()
    m = out["major"].astype("string")
    k = rng.integers(1, per_major + 1, len(out))
    out["major"] = (m + "（方向" + pd.Series(k, index=out.index).astype(str) + "）").where(m.notna(), pd.NA)
    return out


def _extend_questionnaire(q: dict, majors: list[str]) -> dict:
    """The questionnaire with the new majors as options of every major question."""
    import copy

    q = copy.deepcopy(q)
    for item in q["questions"]:
        if item.get("key") in ("major",) or item.get("field") in ("major",):
            item["options"] = list(majors)
    return q


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graduates", type=int, default=100_000)
    ap.add_argument("--employers", type=int, default=3_000)
    ap.add_argument("--majors", type=int, default=60)
    ap.add_argument("--formats", default="pdf,html,xlsx,docx")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tracemalloc", action="store_true",
                    help="also trace Python allocations (peak Python memory; slows the run 2-4x)")
    ap.add_argument("--profile", metavar="FILE", help="write a cProfile of the build to FILE")
    ap.add_argument("--keep", metavar="DIR", help="keep the generated files and the report in DIR")
    args = ap.parse_args(argv)

    from survey_analysis.datasets import generate_employers, generate_graduates
    from survey_analysis.datasets._questionnaire import load_questionnaire
    from survey_analysis.datasets.writers import write_csv_gbk
    from survey_analysis.pipeline import load_config
    from survey_analysis.report.build import build_report

    per = max(1, args.majors // 12)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    g, _ = generate_graduates(args.seed, args.graduates, 2025)
    e, _ = generate_employers(args.seed, args.employers)
    g = _spread_majors(g, per, args.seed)
    e = _spread_majors(e, per, args.seed + 1)
    majors = sorted(set(g["major"].dropna()) | set(e["major"].dropna()))
    gq = _extend_questionnaire(load_questionnaire("graduate"), majors)
    eq = _extend_questionnaire(load_questionnaire("employer"), majors)
    gp = write_csv_gbk(work / "graduate_2025.csv", gq, g)
    ep = write_csv_gbk(work / "employer_2025.csv", eq, e)
    colleges = (g.dropna(subset=["major"]).drop_duplicates("major").set_index("major")["college"]
                if "college" in g.columns else pd.Series(dtype=str))
    cfg = load_config(None, school="基准测试大学", cohort=2025)
    cfg.majors = pd.DataFrame({"name": majors, "code": None, "college": [colleges.get(m) for m in majors]})
    print(f"generated {len(g):,} graduate and {len(e):,} employer rows, {len(majors)} majors "
          f"in {time.perf_counter() - t0:.1f} s → {work}")

    if args.tracemalloc:
        tracemalloc.start()
    prof = None
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t1, c1 = time.perf_counter(), _cpu()
    res = build_report(out_dir=work / "report", formats=args.formats, employer=ep, graduates=[gp], config=cfg,
                       progress=lambda msg: print(f"  [{time.perf_counter() - t1:6.1f} s] {msg}", flush=True))
    wall, cpu = time.perf_counter() - t1, _cpu() - c1
    if prof is not None:
        prof.disable()
        prof.dump_stats(args.profile)
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    if args.tracemalloc:
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    f = res["findings"]
    n_maj = f.recommendations.loc[f.recommendations["level"] == "major", "group"].nunique()
    pages = None
    if "pdf" in res:
        from pypdf import PdfReader

        pages = len(PdfReader(str(res["pdf"])).pages)
    py = f"peak Python memory {peak / 2**20:.0f} MiB (tracemalloc), " if peak is not None else ""
    print(f"report: {wall:.1f} s wall, {cpu:.1f} s CPU; {py}max RSS {rss:.0f} MiB (process peak; "
          f"largest worker process {rss_workers:.0f} MiB, mostly pages shared with the parent); "
          f"{n_maj} majors with recommendations; PDF pages: {pages}")
    for k in ("pdf", "html", "xlsx", "docx"):
        if k in res:
            print(f"  {k}: {Path(res[k]).stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
