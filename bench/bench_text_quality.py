"""Quality figures of the text layer on hand-written and public text (prints tables).

    python bench/bench_text_quality.py                 # polarity per category, tools
    python bench/bench_text_quality.py --errors        # also list the sentences got wrong

Polarity: ``tests/text/data/polarity_sentences.yaml`` (development part, rules tuned on it) and
``polarity_heldout.yaml`` (written after the tuning).  A prediction is a (sentence, competency,
polarity) triple of :func:`survey_analysis.text.extract_skills`.  Figures:

* praise read as gap: share of praise sentences (every expected pair a strength) for which at
  least one gap is predicted;
* gap recall / precision: over the expected / predicted (competency, gap) pairs.

Tools: ``tests/text/data/tool_postings.yaml``: share of the tool names written literally in the
posting texts that come out of ``extract_skills`` with that canonical name.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "text" / "data"
sys.path.insert(0, str(ROOT))


def load(name):
    p = DATA / name
    if not p.exists():
        return None
    return yaml.safe_load(p.read_text(encoding="utf-8"))["sentences"]


def polarity_scores(items, mentions):
    """Per category and overall: praise sentences, praise read as gap, gap TP/FP/FN."""
    pred = defaultdict(set)
    for cid, comp, pol in zip(mentions["comment_id"], mentions["competency_id"], mentions["polarity"]):
        pred[cid].add((comp, pol))
    rows = defaultdict(lambda: defaultdict(int))
    errors = []
    for i, it in enumerate(items):
        exp = {tuple(e) for e in it["expect"]}
        got = pred.get(i, set())
        praise = all(p == "strength" for _, p in exp)
        for key in (it["category"], "all"):
            r = rows[key]
            r["n"] += 1
            if praise:
                r["praise"] += 1
                r["praise_as_gap"] += any(p == "gap" for _, p in got)
            eg = {e for e in exp if e[1] == "gap"}
            gg = {g for g in got if g[1] == "gap"}
            r["tp"] += len(eg & gg)
            r["fp"] += len(gg - eg)
            r["fn"] += len(eg - gg)
            r["pair_tp"] += len(exp & got)
            r["pair_fp"] += len(got - exp)
            r["pair_fn"] += len(exp - got)
        if exp != got:
            errors.append((it["category"], it["text"], sorted(exp), sorted(got)))
    return rows, errors


def summary(r) -> dict:
    def div(a, b):
        return a / b if b else float("nan")

    return {"n": r["n"], "praise": r["praise"],
            "praise_as_gap": div(r["praise_as_gap"], r["praise"]),
            "gap_recall": div(r["tp"], r["tp"] + r["fn"]), "gap_precision": div(r["tp"], r["tp"] + r["fp"]),
            "pair_precision": div(r["pair_tp"], r["pair_tp"] + r["pair_fp"]),
            "pair_recall": div(r["pair_tp"], r["pair_tp"] + r["pair_fn"]),
            "tp": r["tp"], "fp": r["fp"], "fn": r["fn"]}


def print_table(title, rows):
    print(f"\n{title}")
    print(f"{'category':<20}{'n':>5}{'praise→gap':>12}{'gap R':>8}{'gap P':>8}{'pair P':>8}{'pair R':>8}  TP/FP/FN")
    for key in sorted(rows, key=lambda k: (k == "all", k)):
        s = summary(rows[key])
        pg = f"{s['praise_as_gap']:.3f}" if s["praise"] else "—"
        gr = f"{s['gap_recall']:.3f}" if s["tp"] + s["fn"] else "—"
        gp = f"{s['gap_precision']:.3f}" if s["tp"] + s["fp"] else "—"
        print(f"{key:<20}{s['n']:>5}{pg:>12}{gr:>8}{gp:>8}{s['pair_precision']:>8.3f}{s['pair_recall']:>8.3f}"
              f"  {s['tp']}/{s['fp']}/{s['fn']}")


def tool_recall(posts) -> dict:
    """Share of the tool names written in ``posts`` that ``extract_skills`` returns by name."""
    from survey_analysis.text import extract_skills

    m = extract_skills([p["text"] for p in posts])
    found = defaultdict(set)
    for cid, tools in zip(m["comment_id"], m["tool"]):
        found[cid].update(t.lower() for t in str(tools).split(";") if t)
    n = k = 0
    by_group = defaultdict(lambda: [0, 0])
    missed = []
    for i, p in enumerate(posts):
        for t in p["tools"]:
            hit = t.lower() in found[i]
            n += 1
            k += hit
            by_group[p["group"]][0] += 1
            by_group[p["group"]][1] += hit
            if not hit:
                missed.append(t)
    extra = sorted({t for i, p in enumerate(posts) for t in found[i]} - {t.lower() for p in posts for t in p["tools"]})
    return {"n": n, "found": k, "share": k / n if n else float("nan"),
            "by_group": {g: tuple(v) for g, v in by_group.items()}, "missed": missed, "extra": extra}


def main(argv=None):
    from survey_analysis.text import extract_skills

    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true")
    args = ap.parse_args(argv)
    for name in ("polarity_sentences.yaml", "polarity_heldout.yaml"):
        items = load(name)
        if items is None:
            continue
        m = extract_skills([it["text"] for it in items])
        rows, errors = polarity_scores(items, m)
        print_table(f"{name}: {len(items)} sentences", rows)
        if args.errors:
            for e in errors:
                print("  ", e)
    tools_path = DATA / "tool_postings.yaml"
    if tools_path.exists():
        posts = yaml.safe_load(tools_path.read_text(encoding="utf-8"))["postings"]
        res = tool_recall(posts)
        print(f"\ntool names written literally in {len(posts)} postings: {res['n']} — "
              f"with their name {res['found']} ({res['share']:.3f}); per group:")
        for g, (n, k) in sorted(res["by_group"].items()):
            print(f"  {g:<16}{k:>4}/{n:<4} {k / n:.3f}")
        if args.errors:
            print("  missed:", res["missed"])
            print("  named but not in the list:", res["extra"])


if __name__ == "__main__":
    main()
