"""Redaction quality on hand-written test sets: recall on disguised identifiers and names, false
redactions on look-alikes and on comment sets nobody here generated.

    python bench/redaction_quality.py          # figures per family, as in docs/privacy.md

The sets are in ``tests/core/pii_cases.py``; ``tests/core/test_redaction_quality.py`` enforces the
thresholds (recall >= 0.98, false redactions <= 2 %).
"""
from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "core"))

import pii_cases  # noqa: E402

from survey_analysis.privacy import Redactor  # noqa: E402

FIXTURE = Path("/work/shared/fixtures/wjx/800_800_0.xls")


def redacted(out: str, text: str, ident: str) -> bool:
    """The identifier is gone from where it was, and a placeholder stands in the text."""
    return "[" in out and out.count(ident) < text.count(ident)


def identifier_recall():
    red = Redactor(names=tuple(pii_cases.ROSTER_NAMES), ids=tuple(pii_cases.ROSTER_IDS))
    by = defaultdict(lambda: [0, 0])
    misses = []
    items = pii_cases.disguised() + [("held out", t, i) for t, i in pii_cases.HELDOUT_IDENTIFIERS]
    for family, text, ident in items:
        out = red.redact(text)[0]
        ok = redacted(out, text, ident)
        by[family][0] += ok
        by[family][1] += 1
        if not ok:
            misses.append((family, text, out))
    return by, misses


def lookalike_false_redactions():
    red = Redactor(names=tuple(pii_cases.ROSTER_NAMES), ids=tuple(pii_cases.ROSTER_IDS))
    by = defaultdict(lambda: [0, 0])
    hits = []
    for family, text in pii_cases.lookalikes() + [("held out", t) for t in pii_cases.HELDOUT_LOOKALIKES]:
        out, counts = red.redact(text)
        by[family][0] += bool(counts)
        by[family][1] += 1
        if counts:
            hits.append((family, text, out))
    return by, hits


def comment_sets() -> dict:
    """Texts nobody on the project generated: the hand-written labelled comments, the real 问卷星
    export's text answers (when the fixture is present), the hand-written look-alike non-names."""
    import yaml

    lab = yaml.safe_load((ROOT / "tests" / "text" / "data" / "labelled_comments.yaml").read_text(encoding="utf-8"))
    sets = {"labelled comments (tests/text/data)": [c["text"] for c in lab["comments"]],
            "look-alike non-names (pii_cases.NOT_NAMES + HELDOUT_NOT_NAMES)":
                list(pii_cases.NOT_NAMES) + list(pii_cases.HELDOUT_NOT_NAMES)}
    if FIXTURE.exists():
        import survey_analysis as sa

        raw = sa.read_survey(FIXTURE)
        vals = []
        for c in raw.data.columns[6:]:
            vals.extend(str(v) for v in raw.data[c].dropna().unique())
        sets["real 问卷星 export's answers (fixtures/wjx)"] = sorted(set(vals))
    return sets


def name_figures():
    red = Redactor()  # no roster: the patterns alone
    mentions = list(pii_cases.NAME_MENTIONS) + list(pii_cases.HELDOUT_NAME_MENTIONS)
    found = [(t, n) for t, n in mentions if redacted(red.redact(t)[0], t, n)]
    missed = [(t, n) for t, n in mentions if (t, n) not in found]
    fp = {}
    for name, texts in comment_sets().items():
        bad = [(t, red.redact(t)[0]) for t in texts if "name" in red.redact(t)[1]]
        fp[name] = (len(bad), len(texts), bad)
    return len(found), len(mentions), missed, fp


def main() -> None:
    by, misses = identifier_recall()
    n_ok, n = sum(v[0] for v in by.values()), sum(v[1] for v in by.values())
    print(f"disguised identifiers: recall {n_ok}/{n} = {n_ok / n:.3f}")
    for fam, (a, b) in by.items():
        print(f"  {fam:32} {a}/{b}")
    for m in misses:
        print("  MISSED", m)
    by, hits = lookalike_false_redactions()
    n_bad, n = sum(v[0] for v in by.values()), sum(v[1] for v in by.values())
    print(f"look-alikes: false redactions {n_bad}/{n} = {n_bad / n:.3%}")
    for fam, (a, b) in by.items():
        print(f"  {fam:32} {a}/{b}")
    for h in hits:
        print("  FALSE", h)
    found, total, missed, fp = name_figures()
    print(f"names without a roster: recall {found}/{total} = {found / total:.3f}")
    for m in missed:
        print("  MISSED", m)
    for name, (bad, tot, examples) in fp.items():
        print(f"  false names in {name}: {bad}/{tot} = {bad / tot:.2%}")
        for e in examples:
            print("    ", e)


if __name__ == "__main__":
    main()
