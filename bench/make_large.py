"""Large, realistic inputs for the benchmarks: a province's worth of survey exports.

Built on the sample generator (:mod:`survey_analysis.datasets`, the same questionnaires and
answer labels): a base pool of generated respondents is recombined block by block into
1,000,000 graduate rows over 60 majors and 200,000 employer rows with comments.

* Majors: the generator's 12 majors × 5 variants (the original name and four named variants
  such as ``软件工程(卓越班)``, each with its own code ``080902-1`` …), so 60 distinct majors.
  The package's own sample output is not touched.
* Graduates: every row takes its person block (性别, 学院, 毕业年份), its job block (去向 …
  离职原因, with the skip logic of the generated row), its teaching block, its ability block
  and its comment from different pool rows, so rows are distinct (no false duplicates) while
  each block stays internally consistent.  Student ids, names, phones and submission times
  are unique per row; about 1 % of rows are re-submissions (same 学号) and the pool's planted
  speeders and straight-liners carry over.
* Employers: the profile, ratings and contact blocks are recombined the same way; each
  comment joins clauses of two pool comments, so the 200,000 comments are varied but use the
  generator's vocabulary and planted gaps.
* Files: 问卷星 text-export CSV (``N、题干`` headers, ``┋`` multi-select, ``其他〖…〗``), the
  format the built-in spec maps; plus a mapping YAML per survey that lists the 60 majors as
  the options of the 专业 question, a population table (专业, 性别, 人数) and a config YAML
  with the majors (name, code, college).  Heads of the big files are written for the smaller
  benchmark sizes (``graduates_10000.csv`` …).

Everything is cached in ``$SA_BENCH_DIR`` (default ``/tmp/sa_bench``) with a manifest; a
second run with the same parameters returns at once.

Usage::

    python bench/make_large.py                 # 1,000,000 graduates, 200,000 employers
    python bench/make_large.py --graduates 100000 --employers 20000 --out /tmp/small
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

VERSION = 4  # bump when the output changes (invalidates caches)
DEFAULT_DIR = Path(os.environ.get("SA_BENCH_DIR", "/tmp/sa_bench"))
SIZES = (10_000, 100_000, 1_000_000)  # graduate heads written for the benchmarks
EMPLOYER_RATIO = 5  # graduates per employer row in the heads (1M → 200k)
VARIANTS = ("", "(卓越班)", "(中外合作办学)", "(专升本)", "(辅修学位)")  # half-width: NFKC-stable
SYSTEM = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]


def _majors() -> pd.DataFrame:
    """The 60 benchmark majors: name, code, college, base (generator major)."""
    from survey_analysis.datasets import _plan as P

    rows = []
    for v, suffix in enumerate(VARIANTS):
        for base, (college, code) in P.MAJORS.items():
            rows.append({"name": base + suffix, "code": code if v == 0 else f"{code}-{v}",
                         "college": college, "base": base})
    return pd.DataFrame(rows)


def _pool(seed: int, n_grad: int, n_emp: int):
    from survey_analysis.datasets import generate_employers, generate_graduates

    t = time.perf_counter()
    g, _ = generate_graduates(seed, n_grad)
    e, _ = generate_employers(seed + 1, n_emp)
    print(f"  基础样本：毕业生 {len(g)} 行、用人单位 {len(e)} 行，{time.perf_counter() - t:.1f} 秒", flush=True)
    return g, e


def _columns(qn: dict) -> list[tuple[str, str]]:
    from survey_analysis.datasets._questionnaire import answer_columns
    from survey_analysis.datasets.writers import wjx_header

    return [(key, wjx_header(q, lab)) for q in qn["questions"] for key, lab in answer_columns(q)]


def _system(rng, n: int, pool: pd.DataFrame, take: np.ndarray) -> dict:
    start = np.datetime64("2025-11-01T08:00:00")
    secs = rng.integers(0, 30 * 86400, n).astype("timedelta64[s]")
    ts = pd.to_datetime(np.sort(start + secs))
    stamp = (ts.year.astype(str) + "/" + ts.month.astype(str) + "/" + ts.day.astype(str) + " "
             + ts.strftime("%H:%M:%S"))
    used = pool["所用时间"].to_numpy()[take]
    ip = pd.Series(rng.integers(1, 255, (n, 4)).astype(str).tolist()).str.join(".")
    return {
        "序号": np.arange(1, n + 1),
        "提交答卷时间": np.asarray(stamp),
        "所用时间": pd.Series(used).astype("Int64").astype(str).str.replace("<NA>", "") + "秒",
        "来源": pool["来源"].to_numpy()[take],
        "来源详情": pool["来源详情"].to_numpy()[take],
        "来自IP": (ip + "(江苏-南京)").to_numpy(),
    }


def _fmt(col: pd.Series) -> np.ndarray:
    """Cell text as a 问卷星 text export has it (integral floats without ``.0``; NA → empty)."""
    if pd.api.types.is_numeric_dtype(col):
        v = pd.to_numeric(col, errors="coerce")
        s = v.map(lambda x: "" if pd.isna(x) else (str(int(x)) if float(x).is_integer() else str(x)))
        return s.to_numpy(dtype=object)
    return col.astype(object).where(col.notna(), "").to_numpy(dtype=object)


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    tmp = path.with_name(path.name + ".part")
    frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    os.replace(tmp, path)


def make_graduates(rng, pool: pd.DataFrame, n: int, majors: pd.DataFrame) -> pd.DataFrame:
    from survey_analysis.datasets._questionnaire import load_questionnaire

    qn = load_questionnaire("graduate")
    cols = _columns(qn)
    fmt = {k: _fmt(pool[k]) if k in pool.columns else np.full(len(pool), "", dtype=object) for k, _ in cols}
    job = ["destination", "employer_type", "industry", "region", "income", "relevance", "unrelated_reason",
           "expectation_fit", "job_changes", "turnover_reasons"] + [k for k, _ in cols if k.startswith("job_sat__")]
    teach = [k for k, _ in cols if k.startswith("teach__")] + ["improve", "school_satisfaction", "recommend"]
    ability = [k for k, _ in cols if k.startswith(("gimp__", "greq__", "gown__"))]
    m = len(pool)
    take = {b: rng.integers(0, m, n) for b in ("person", "job", "teach", "ability", "comment")}
    has_major = np.flatnonzero(pool["major"].notna().to_numpy())
    take["person"] = has_major[rng.integers(0, len(has_major), n)]
    block_of = {k: "job" for k in job} | {k: "teach" for k in teach} | {k: "ability" for k in ability}
    block_of["comment"] = "comment"
    out = _system(rng, n, pool, take["job"])
    # 60 majors: base major of the person block, variant drawn with unequal weights
    base = pool["major"].to_numpy()[take["person"]]
    variant = rng.choice(len(VARIANTS), n, p=[0.36, 0.22, 0.17, 0.14, 0.11])
    major = pd.Series(base, dtype=object) + pd.Series(np.array(VARIANTS, dtype=object)[variant])
    code = majors.set_index("name")["code"]
    serial = pd.Series(np.arange(n) % 100000).astype(str).str.zfill(5)
    sid = ("2021" + major.map(code).str.replace("-", "").str[:6].str.ljust(6, "0") + serial.str[-5:]
           + pd.Series(np.arange(n) // 100000).astype(str))
    phones = "1" + pd.Series(rng.choice([3, 5, 8], n)).astype(str) + pd.Series(
        rng.integers(0, 10**9, n)).astype(str).str.zfill(9)
    for k, h in cols:
        if k == "major":
            out[h] = major.to_numpy()
        elif k == "student_id":
            out[h] = sid.to_numpy()
        elif k == "phone":
            out[h] = phones.to_numpy()
        elif k == "cohort":
            out[h] = np.full(n, "2025", dtype=object)
        else:
            out[h] = fmt[k][take[block_of.get(k, "person")]]
    df = pd.DataFrame(out)
    # about 1 % re-submissions: a later copy of an earlier row (same 学号)
    dup = np.sort(rng.choice(n - 1, n // 100, replace=False)) + 1
    src = (dup * rng.random(len(dup))).astype(int)
    qcols = [h for _, h in cols]
    df.loc[dup, qcols] = df.loc[src, qcols].to_numpy()
    return df


def _clauses(texts: np.ndarray) -> list[str]:
    import re

    out = []
    for t in texts:
        if isinstance(t, str) and t.strip():
            out.extend(p for p in re.split(r"[，,；;。！!]", t) if len(p.strip()) >= 2)
    return out


def make_employers(rng, pool: pd.DataFrame, n: int, majors: pd.DataFrame) -> pd.DataFrame:
    from survey_analysis.datasets._questionnaire import load_questionnaire

    qn = load_questionnaire("employer")
    cols = _columns(qn)
    fmt = {k: _fmt(pool[k]) if k in pool.columns else np.full(len(pool), "", dtype=object) for k, _ in cols}
    m = len(pool)
    take = {b: rng.integers(0, m, n) for b in ("profile", "ratings", "contact", "c1", "c2")}
    has_major = np.flatnonzero(pool["major"].notna().to_numpy())
    take["profile"] = has_major[rng.integers(0, len(has_major), n)]
    out = _system(rng, n, pool, take["ratings"])
    base = pool["major"].to_numpy()[take["profile"]]
    variant = rng.choice(len(VARIANTS), n, p=[0.36, 0.22, 0.17, 0.14, 0.11])
    major = (pd.Series(base, dtype=object) + pd.Series(np.array(VARIANTS, dtype=object)[variant])).to_numpy()
    for k, h in cols:
        if k == "major":
            out[h] = np.where(pd.isna(base), "", major)
        elif k.startswith(("imp__", "sat__", "service__")) or k == "overall_satisfaction":
            out[h] = fmt[k][take["ratings"]]
        elif k in ("contact_name", "contact_phone", "employer_name"):
            out[h] = fmt[k][take["contact"]]
        elif k.startswith("comment_"):
            a = fmt[k][take["c1"]]
            # half of the comments get a second clause from another respondent's comment
            pool_clauses = np.array(_clauses(fmt[k]), dtype=object)
            extra = pool_clauses[rng.integers(0, len(pool_clauses), n)]
            join = (rng.random(n) < 0.5) & (a != "") & (a != "无")
            out[h] = np.where(join, a + "；" + extra, a)
        else:
            out[h] = fmt[k][take["profile"]]
    return pd.DataFrame(out)


def _spec_yaml(kind: str, question: int, names: list[str]) -> str:
    import yaml

    doc = {"survey": kind, "questionnaire": kind,
           "fields": {"major": {"question": question, "options": names}}}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def make_large(out_dir=None, *, graduates: int = 1_000_000, employers: int = 200_000, seed: int = 20250630,
               pool_graduates: int = 6000, pool_employers: int = 3000, force: bool = False) -> dict:
    """Write (or reuse) the large benchmark inputs; return a dict of paths.

    Returns
    -------
    dict
        ``graduates`` / ``employers``: size → CSV path; ``graduate_spec``, ``employer_spec``,
        ``population``, ``config``: paths; ``majors``: the 60 majors table.
    """
    out = Path(out_dir or DEFAULT_DIR)
    out.mkdir(parents=True, exist_ok=True)
    params = {"version": VERSION, "graduates": graduates, "employers": employers, "seed": seed,
              "pool_graduates": pool_graduates, "pool_employers": pool_employers}
    sizes = sorted({s for s in SIZES if s < graduates} | {graduates})
    paths = {
        "graduates": {s: out / f"graduates_{s}.csv" for s in sizes},
        "employers": {s: out / f"employers_{max(1, s // EMPLOYER_RATIO) if s < graduates else employers}.csv"
                      for s in sizes},
        "graduate_spec": out / "graduate_spec.yaml",
        "employer_spec": out / "employer_spec.yaml",
        "population": out / "population.csv",
        "config": out / "config.yaml",
    }
    manifest = out / "manifest.json"
    files = [p for d in ("graduates", "employers") for p in paths[d].values()] + \
        [paths[k] for k in ("graduate_spec", "employer_spec", "population", "config")]
    if not force and manifest.exists() and json.loads(manifest.read_text()).get("params") == params \
            and all(p.exists() for p in files):
        paths["majors"] = _majors()
        return paths
    t0 = time.perf_counter()
    majors = _majors()
    rng = np.random.default_rng(seed)
    gpool, epool = _pool(seed, pool_graduates, pool_employers)
    t = time.perf_counter()
    g = make_graduates(rng, gpool, graduates, majors)
    print(f"  组装毕业生 {len(g)} 行：{time.perf_counter() - t:.1f} 秒", flush=True)
    e = make_employers(rng, epool, employers, majors)
    print(f"  组装用人单位 {len(e)} 行：{time.perf_counter() - t:.1f} 秒", flush=True)
    for s, p in paths["graduates"].items():
        _write_csv(p, g.iloc[:s])
    for s, p in paths["employers"].items():
        k = int(p.stem.split("_")[1])
        _write_csv(p, e.iloc[:k])
    names = majors["name"].tolist()
    paths["graduate_spec"].write_text(_spec_yaml("graduate", 6, names), encoding="utf-8")
    paths["employer_spec"].write_text(_spec_yaml("employer", 6, names), encoding="utf-8")
    # population: graduates per major and sex (response rate about 0.76)
    mcol = next(c for c in g.columns if c.startswith("6、"))
    scol = next(c for c in g.columns if c.startswith("4、"))
    pop = g.groupby([mcol, scol]).size().reset_index(name="n")
    pop["人数"] = np.ceil(pop["n"] / 0.76).astype(int)
    pop = pop.rename(columns={mcol: "专业", scol: "性别"})[["专业", "性别", "人数"]]
    _write_csv(paths["population"], pop)
    import yaml

    cfg = {"school": "某省普通本科高校（合并样例）", "cohort": 2025,
           "majors": majors[["name", "code", "college"]].to_dict("records")}
    paths["config"].write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    manifest.write_text(json.dumps({"params": params, "seconds": round(time.perf_counter() - t0, 1)}, indent=1))
    print(f"  写入 {out}：{time.perf_counter() - t0:.1f} 秒", flush=True)
    paths["majors"] = majors
    return paths


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="生成性能测试用的大规模调查数据（缓存）")
    ap.add_argument("--out", default=None, help=f"输出目录（默认 $SA_BENCH_DIR 或 {DEFAULT_DIR}）")
    ap.add_argument("--graduates", type=int, default=1_000_000, help="毕业生行数")
    ap.add_argument("--employers", type=int, default=200_000, help="用人单位行数")
    ap.add_argument("--seed", type=int, default=20250630)
    ap.add_argument("--force", action="store_true", help="忽略缓存重新生成")
    a = ap.parse_args(argv)
    p = make_large(a.out, graduates=a.graduates, employers=a.employers, seed=a.seed, force=a.force)
    for k, v in p.items():
        if k != "majors":
            print(k, v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
