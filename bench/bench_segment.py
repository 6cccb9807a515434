"""Benchmark: segmenting survey comments and ordinary text (a script, not a timed test).

    python bench/bench_segment.py [--n 200000] [--seed 0] [--skip-baseline] [--extract]
    python bench/bench_segment.py --text ordinary        # CSL abstracts, every sentence once
    python bench/bench_segment.py --text ordinary --sighan /path/to/pku_test.utf8

``--text comments`` (default): repetitive survey comments (below).  ``--text ordinary``: the
sentences of the 2,000 CSL titles and abstracts (``bench/corpora/csl_2000.tsv``, public,
Apache-2.0), nearly all distinct -- the speed of text that does not repeat; ``--sighan FILE``
adds the lines of a SIGHAN 2005 test file (not shipped: its licence is competition-only).
Both modes also count the texts on which the jieba and rjieba backends give different tokens.

Comments are drawn like the sample data: from ``survey_analysis.datasets`` (the sample
generator's comment maker: employer suggestions, "what is lacking" answers and graduate comments,
heavy repetition) when it is available, else from the hand-labelled comments in
``tests/text/data`` with repetition and light variation.  Prints the time of
``[jieba.lcut(t) for t in texts]`` (jieba's defaults), of the package's default ``Segmenter``
and of the ``rjieba`` backend, the speed ratios, the distinct-text share and the peak memory
(max RSS of the process after each phase; tracemalloc peak of the Segmenter run).
Dictionary loading is done before timing and reported separately.  Both wall-clock and CPU
time (``time.process_time``) are printed; on a shared machine the CPU-time ratio is the stable
one (wall time also counts waiting for other people's processes).
"""
from __future__ import annotations

import argparse
import gc
import logging
import resource
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def draw_comments(n: int, seed: int) -> tuple[list[str], str]:
    rng = np.random.default_rng(seed)
    try:
        from survey_analysis.datasets._comments import COMPETENCIES, CommentMaker

        maker = CommentMaker(rng, names=["张伟", "李娜", "王芳"], phone_fn=lambda r: "138%08d" % r.integers(1e8))
        ids = list(COMPETENCIES)
        kinds = ["employer_suggestion", "employer_skills", "graduate_comment"]
        # a survey has a handful of gap profiles (per major); comments repeat a lot
        profiles = [list(rng.choice(ids, 3, replace=False)) for _ in range(12)]
        out = []
        for _ in range(n):
            kind = kinds[int(rng.integers(3))]
            text, _ = getattr(maker, kind)(profiles[int(rng.integers(len(profiles)))])
            out.append(text)
        return out, "survey_analysis.datasets CommentMaker"
    except ImportError:
        import yaml

        base = [str(c["text"]) for c in yaml.safe_load(
            (ROOT / "tests/text/data/labelled_comments.yaml").read_text(encoding="utf-8"))["comments"]]
        tails = ["", "", "", "。", "！", "~", "吧", "，谢谢"]
        out = [base[int(rng.integers(len(base)))] + tails[int(rng.integers(len(tails)))] for _ in range(n)]
        return out, "tests/text/data/labelled_comments.yaml with repetition"


def ordinary_sentences(sighan=None) -> tuple[list[str], str]:
    import re

    import pandas as pd

    df = pd.read_csv(ROOT / "bench" / "corpora" / "csl_2000.tsv", sep="\t", dtype=str, quoting=3)
    out = df["title"].tolist()
    for a in df["abstract"]:
        out.extend(x for x in re.split(r"(?<=[。；;.!?！？])", a) if x.strip())
    src = "CSL titles and abstract sentences"
    if sighan:
        out.extend(line.strip() for line in Path(sighan).read_text(encoding="utf-8").splitlines() if line.strip())
        src += f" + {Path(sighan).name}"
    return out, src


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--extract", action="store_true", help="also time extract_skills on the comments")
    ap.add_argument("--text", choices=["comments", "ordinary"], default="comments")
    ap.add_argument("--sighan", help="a SIGHAN 2005 test file to add to --text ordinary")
    args = ap.parse_args()

    t0 = time.perf_counter()
    texts, source = draw_comments(args.n, args.seed) if args.text == "comments" else \
        ordinary_sentences(args.sighan)
    n_distinct = len(set(texts))
    chars = sum(len(t) for t in texts)
    print(f"comments: {len(texts):,} from {source}; distinct: {n_distinct:,} "
          f"({n_distinct / len(texts):.1%}); characters: {chars:,}; drawn in {time.perf_counter() - t0:.1f}s")
    print(f"peak RSS after drawing: {peak_rss_mb():.0f} MB")

    import jieba

    from survey_analysis.text import Segmenter

    jieba.setLogLevel(logging.WARNING)
    t = time.perf_counter()
    jieba.initialize()
    print(f"load jieba default dictionary: {time.perf_counter() - t:.2f}s")
    seg = Segmenter()
    t = time.perf_counter()
    seg.cut("预热")
    print(f"load Segmenter(jieba) dictionary (+ {len(seg._entries()):,} domain entries): {time.perf_counter() - t:.2f}s")
    fast = Segmenter(backend="rjieba")
    t = time.perf_counter()
    fast.cut("预热")
    print(f"load Segmenter(rjieba) dictionary: {time.perf_counter() - t:.2f}s")

    results = {}

    def run(label, key, fn):
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        results[key] = (time.perf_counter() - w, time.process_time() - c)
        print(f"{label:36s} wall {results[key][0]:7.2f}s  cpu {results[key][1]:7.2f}s  "
              f"peak RSS {peak_rss_mb():.0f} MB")
        return out

    if not args.skip_baseline:
        run("[jieba.lcut(t) for t in texts]", "baseline", lambda: [jieba.lcut(x) for x in texts])
    a = run("Segmenter().cut_many(texts)", "default", lambda: seg.cut_many(texts))
    b = run("Segmenter(backend='rjieba')", "rjieba", lambda: fast.cut_many(texts))
    diff = sum(x != y for x, y in zip(a, b))
    print(f"texts on which the jieba and rjieba backends differ: {diff:,} of {len(texts):,}")

    gc.collect()
    tracemalloc.start()
    Segmenter().cut_many(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"tracemalloc peak of Segmenter().cut_many on {len(texts):,} comments: {peak / 2**20:.0f} MB")

    if "baseline" in results:
        for key, target in (("default", 5), ("rjieba", 10)):
            wall = results["baseline"][0] / results[key][0]
            cpu = results["baseline"][1] / results[key][1]
            print(f"speed-up {key:8s} vs jieba.lcut: cpu {cpu:5.1f}x  wall {wall:5.1f}x  (target >= {target}x)")
    if args.extract:
        from survey_analysis.text import extract_skills

        gc.collect()
        t = time.perf_counter()
        m = extract_skills(texts)
        print(f"extract_skills on {len(texts):,} comments: {time.perf_counter() - t:.2f}s, "
              f"{len(m):,} mentions, status {m.attrs['status_counts']}")
    print(f"process peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
