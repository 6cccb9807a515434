"""The employer-ratings statistics on the large employer file: this branch against main's.

Reads and cleans the 200,000-row employer export of ``make_large.py`` once (cached as a pickle
beside it; the college of each major added from the benchmark config, as ``pipeline.analyse``
does), then times ``competency_summary``, ``ipa``, ``compare_groups`` and ``key_drivers``
of the current package and of a reference version of ``survey_analysis/ratings.py`` taken from
git (default: main's, at the merge base of this branch) in the same run, alternating the two,
and prints both times and their ratio (best of ``--repeat`` runs each).

The reference module is loaded from ``git show <ref>:survey_analysis/ratings.py`` as a module
of the installed package (its relative imports resolve to the current ``errors``/``privacy``/
``weighting``), so both versions see the same frame and the same helpers.

Usage::

    python bench/bench_ratings.py                       # 200,000 employers, reference = merge-base with main
    python bench/bench_ratings.py --rows 20000 --ref main --repeat 3

Target: each function within ~1.2x of the reference.
"""
from __future__ import annotations

import argparse
import importlib.util
import pickle
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]
OLD_PATH = "survey_analysis/ratings.py"


def reference_module(ref: str):
    """main's ``ratings.py`` (or ``ref``'s) as ``survey_analysis._bench_ratings_ref``."""
    if ref == "merge-base":
        ref = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
    src = subprocess.run(["git", "show", f"{ref}:{OLD_PATH}"], cwd=ROOT, capture_output=True, text=True)
    if src.returncode != 0:
        raise SystemExit(f"无法从 git 取得 {ref}:{OLD_PATH}：{src.stderr.strip()}")
    import survey_analysis

    name = "survey_analysis._bench_ratings_ref"
    spec = importlib.util.spec_from_loader(name, loader=None)
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = "survey_analysis"
    sys.modules[name] = mod
    exec(compile(src.stdout, f"<{ref}:{OLD_PATH}>", "exec"), mod.__dict__)
    assert survey_analysis is not None
    return mod, ref


def employer_frame(rows: int, data_dir=None):
    """The cleaned employer frame of the ``rows``-graduate benchmark size (cached)."""
    from make_large import make_large

    paths = make_large(data_dir)
    epath = Path(paths["employers"][rows])
    cache = epath.with_suffix(".ratings.pkl")
    if cache.exists() and cache.stat().st_mtime >= epath.stat().st_mtime:
        with cache.open("rb") as fh:
            return pickle.load(fh), epath
    from survey_analysis.cleaning import clean
    from survey_analysis.io import read_survey
    from survey_analysis.pipeline import load_config
    from survey_analysis.spec import load_spec

    raw = read_survey(epath)
    e = clean(raw, load_spec(paths["employer_spec"], raw)).data
    cfg = load_config(paths["config"])
    if "college" not in e.columns and cfg.majors is not None:  # as pipeline.analyse adds it
        e["college"] = e["major"].map(dict(zip(cfg.majors["name"], cfg.majors["college"])))
    with cache.open("wb") as fh:
        pickle.dump(e, fh)
    return e, epath


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def run(rows: int, ref: str = "merge-base", repeat: int = 2, data_dir=None) -> list:
    from survey_analysis import ratings as new

    old, ref_name = reference_module(ref)
    e, epath = employer_frame(rows, data_dir)
    print(f"用人单位 {epath.name}：{len(e):,} 行；对照版本 {ref_name[:12]}")
    cases = [
        ("competency_summary", lambda m: m.competency_summary(e, by="major", min_cell=5)),
        ("ipa", lambda m: m.ipa(e, by="major", min_cell=5)),
        ("compare_groups", lambda m: m.compare_groups(e, None, ["major", "industry"], min_cell=5)),
        ("key_drivers", lambda m: m.key_drivers(e)),
    ]
    out = []
    print(f"{'函数':<20}{'main（秒）':>12}{'本分支（秒）':>14}{'倍数':>8}")
    for name, call in cases:
        t_old = t_new = float("inf")
        for _ in range(repeat):  # alternate, so that machine load hits both alike
            t_old = min(t_old, _best(lambda: call(old), 1))
            t_new = min(t_new, _best(lambda: call(new), 1))
        ratio = t_new / t_old
        out.append({"function": name, "reference_seconds": t_old, "seconds": t_new, "ratio": ratio})
        print(f"{name:<20}{t_old:>12.2f}{t_new:>14.2f}{ratio:>8.2f}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="能力评价统计的性能：本分支对照 main")
    ap.add_argument("--rows", type=int, default=1_000_000, help="make_large 的规模（毕业生行数；用人单位为其 1/5）")
    ap.add_argument("--ref", default="merge-base", help="对照的 git 版本（默认：与 main 的合并基点）")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--data", default=None)
    a = ap.parse_args(argv)
    run(a.rows, a.ref, a.repeat, a.data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
