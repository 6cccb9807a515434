"""Per-stage benchmark on the large inputs: read, clean, segment, extract skills, themes, statistics.

Each stage is timed on its own (wall time, rows per second, peak RSS during the stage).
Segmentation compares the package's :class:`~survey_analysis.text.Segmenter` on every
employer comment with a plain ``[jieba.lcut(t) for t in texts]`` loop measured in the same run
(on a random sample of ``--lcut-sample`` comments; the loop's rate is per comment, so the
ratio does not depend on the sample size).  The report stage is in ``bench_pipeline.py``.

Usage::

    python bench/bench_stages.py                      # 1,000,000 graduates, 200,000 employers
    python bench/bench_stages.py --rows 100000 --json bench/results.jsonl

Targets: read + clean 1M graduate rows < 30 s; segmentation ≥ 10× the lcut loop; themes of
200,000 comments < 30 s.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import Stages, machine, save  # noqa: E402


def run(rows: int, *, data_dir=None, lcut_sample: int = 20000, seed: int = 0, graduates: bool = True) -> dict:
    import numpy as np
    import pandas as pd

    from make_large import make_large

    paths = make_large(data_dir)
    gpath, epath = paths["graduates"][rows], paths["employers"][rows]
    from survey_analysis import outcomes as oc
    from survey_analysis import ratings as rt
    from survey_analysis.cleaning import clean
    from survey_analysis.io import read_survey
    from survey_analysis.spec import load_spec

    st = Stages()
    res: dict = {}
    print(f"毕业生 {gpath.name if graduates else '（跳过）'}，用人单位 {epath.name}")
    g = None
    if graduates:
        with st.stage("graduates: read", rows):
            graw = read_survey(gpath)
        with st.stage("graduates: clean", rows):
            g = clean(graw, load_spec(paths["graduate_spec"], graw)).data
        del graw
        read_clean = sum(r["seconds"] for r in st.rows[-2:])
        res["read_clean_seconds"] = read_clean
        print(f"  → 读取 + 清洗 {rows:,} 行：{read_clean:.1f} 秒（目标 < 30 秒）")
    with st.stage("employers: read") as r:
        eraw = read_survey(epath)
        r["rows"] = len(eraw.data)
    n_emp = len(eraw.data)
    with st.stage("employers: clean", n_emp):
        e = clean(eraw, load_spec(paths["employer_spec"], eraw)).data
    del eraw

    texts_cols = [c for c in ("comment_skills", "comment_suggestion") if c in e.columns]
    texts = pd.concat([e[c] for c in texts_cols], ignore_index=True)
    texts = texts[texts.notna()].astype(object).tolist()
    n_txt = len(texts)
    print(f"  用人单位评论 {n_txt:,} 条（不同的 {len(set(texts)):,} 条）")

    # -- segmentation vs a plain jieba.lcut loop ---------------------------------------------
    import jieba

    from survey_analysis.text import Segmenter

    jieba.setLogLevel(60)
    jieba.initialize()
    seg = Segmenter()
    seg.cut("预热")  # dictionary load is not part of the throughput
    rng = np.random.default_rng(seed)
    sample = [texts[i] for i in rng.choice(n_txt, min(lcut_sample, n_txt), replace=False)]
    with st.stage("segment: jieba.lcut loop", len(sample), "条"):
        [jieba.lcut(t) for t in sample]
    lcut_rate = len(sample) / st.rows[-1]["seconds"]
    with st.stage("segment: Segmenter.cut_many", n_txt, "条"):
        seg.cut_many(texts)
    seg_rate = n_txt / st.rows[-1]["seconds"]
    ratio = seg_rate / lcut_rate
    print(f"  → 分词吞吐量是 jieba.lcut 循环的 {ratio:.1f} 倍（目标 ≥ 10 倍）；"
          f"lcut 外推到全部评论需 {n_txt / lcut_rate:.1f} 秒")
    res["segment_ratio"] = ratio

    # -- skills, keywords, themes ------------------------------------------------------------
    from survey_analysis.text import extract_skills, keywords

    with st.stage("extract_skills (employers)", n_txt, "条"):
        for c in texts_cols:
            extract_skills(e[c], ids=e["respondent_id"])
    if g is not None and "comment" in g.columns:
        with st.stage("extract_skills (graduates)", rows, "条"):
            extract_skills(g["comment"], ids=g["respondent_id"])
    with st.stage("keywords (employers, by major)", n_txt, "条"):
        alltext = pd.concat([e[c] for c in texts_cols], ignore_index=True)
        grp = pd.concat([e["major"] for _ in texts_cols], ignore_index=True).fillna("（未填）")
        try:
            keywords(alltext, groups=grp, top_k=10)
        except Exception as exc:  # noqa: BLE001 - report and go on
            print(f"  keywords 失败：{type(exc).__name__}: {exc}")
    from survey_analysis.pipeline import fit_themes

    with st.stage("themes (fit + shares)", n_txt, "条"):
        fit_themes(e, random_state=0)
    res["themes_seconds"] = st.rows[-1]["seconds"]
    print(f"  → 主题聚类 {n_txt:,} 条评论：{res['themes_seconds']:.1f} 秒（目标 < 30 秒）")

    # -- statistics --------------------------------------------------------------------------
    if g is not None:
        with st.stage("stats: outcome_tables", rows):
            oc.outcome_tables(g, min_cell=5)
        with st.stage("stats: teaching_feedback", rows):
            oc.teaching_feedback(g, min_cell=5)
        with st.stage("stats: ability_fulfilment", rows):
            oc.ability_fulfilment(g, min_cell=5)
    with st.stage("stats: competency_summary", n_emp):
        rt.competency_summary(e, by="major", min_cell=5)
    with st.stage("stats: ipa", n_emp):
        rt.ipa(e, by="major", min_cell=5)
    with st.stage("stats: compare_groups", n_emp):
        rt.compare_groups(e, None, ["major", "industry"], min_cell=5)
    st.sampler.stop()
    return {"bench": "stages", "rows": rows, "employer_rows": n_emp, "comments": n_txt, **res,
            "stages": st.rows, "machine": machine(), "time": time.strftime("%Y-%m-%d %H:%M:%S")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="分阶段性能测试（读取、清洗、分词、能力提取、主题、统计）")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--data", default=None)
    ap.add_argument("--lcut-sample", type=int, default=20000, help="jieba.lcut 对照循环的抽样条数")
    ap.add_argument("--employers-only", action="store_true", help="只测用人单位（跳过毕业生读取与统计）")
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    save(a.json, run(a.rows, data_dir=a.data, lcut_sample=a.lcut_sample, graduates=not a.employers_only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
