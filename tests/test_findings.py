"""One design, one set of numbers: frozen findings, one estimator, the report only lays them out,
the outcomes command equals the report, and no hidden cell can be worked out from what is
published (subtraction attacks on every grouped table, weighted and unweighted)."""
from __future__ import annotations

import ast
import copy
import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import survey_analysis
from survey_analysis.design import Design

PKG = Path(survey_analysis.__file__).parent


# ------------------------------------------------------------------------------------------
# frozen findings, untouched inputs
# ------------------------------------------------------------------------------------------

def test_findings_and_config_are_frozen(sample_findings):
    f = sample_findings
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.recommendations = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.config.cohort = 2023
    with pytest.raises(TypeError):
        f.outcomes["placement"] = None
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.design.min_cell = 1


def test_analyse_never_changes_its_config(sample_findings):
    """Analysing 2025 and then 2023 with the same config: both work (the old analyse wrote the
    cohort into the caller's config and the second run came out empty)."""
    from survey_analysis.pipeline import analyse_cleaned

    f = sample_findings
    cfg = f.config
    assert cfg.cohort == 2025 and f.cohort == 2025
    frozen_before = copy.deepcopy(cfg)
    g = {c: r for c, r in f.graduates.items()}
    older = analyse_cleaned(None, g, cfg.replace(cohort=2023), population=f.population)
    assert older.cohort == 2023 and len(older.outcomes["placement"]) > 5
    assert cfg == frozen_before and cfg.cohort == 2025
    assert older.outcomes["placement"]["n"].iloc[0] != f.outcomes["placement"]["n"].iloc[0]


def _frames(obj, path=""):
    """Every DataFrame reachable from findings (tables, mappings of tables)."""
    if isinstance(obj, pd.DataFrame):
        yield path, obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _frames(v, f"{path}.{k}")


def test_report_model_does_not_change_the_findings(sample_findings):
    from survey_analysis.report.build import report_model

    f = sample_findings
    before = {p: t.copy(deep=True) for field in dataclasses.fields(f)
              for p, t in _frames(getattr(f, field.name), field.name)}
    attrs = {p: copy.deepcopy(t.attrs) for field in dataclasses.fields(f)
             for p, t in _frames(getattr(f, field.name), field.name)}
    report_model(f, charts=False)
    after = {p: t for field in dataclasses.fields(f) for p, t in _frames(getattr(f, field.name), field.name)}
    assert before.keys() == after.keys()
    for p, t in before.items():
        pd.testing.assert_frame_equal(after[p], t, obj=p)
        assert after[p].attrs.keys() == attrs[p].keys(), p


def test_report_modules_only_lay_findings_out():
    """The report imports no analysis module (no estimator, no private helper of another module)."""
    allowed = {"survey_analysis.design", "survey_analysis.wording", "survey_analysis.mentions",
               "survey_analysis.outcomes.labels", "survey_analysis.curriculum", "survey_analysis.ledger",
               "survey_analysis.errors", "survey_analysis._atomic", "survey_analysis._parallel", "survey_analysis.cleaning",
               "survey_analysis.pipeline", "survey_analysis.text"}
    forbidden_names = {"recommend", "mention_shares", "pick_quotes", "outcome_tables", "group_shares",
                       "weighted_share", "weighted_mean", "wilson_interval", "suppress_small", "analyse_graduates"}
    report = PKG / "report"
    for path in report.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = path.relative_to(PKG.parent).with_suffix("").parts[:-node.level]
                mod = ".".join([*base, *(node.module.split(".") if node.module else [])])
                targets = [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
                for t in targets:
                    if not t.startswith("survey_analysis.report"):
                        assert any(t == a or t.startswith(a + ".") for a in allowed), (path.name, t)
                for alias in node.names:
                    assert alias.name not in forbidden_names, (path.name, alias.name)
                    if not mod.startswith("survey_analysis.report"):
                        assert not alias.name.startswith("_"), (path.name, mod, alias.name)


# ------------------------------------------------------------------------------------------
# one estimator, one set of numbers
# ------------------------------------------------------------------------------------------

def test_one_estimator_across_cohorts_and_tables(sample_findings):
    f = sample_findings
    assert f.design.weight == "weight" and "加权" in f.weighting
    for c, tables in f.outcomes_by_cohort.items():
        assert tables["placement"].attrs["weighted"] is True, c
    assert f.trends.attrs["weighted"] is True
    # the trend line, the trends table and the warnings table show each cohort's outcome-table value
    for c, tables in f.outcomes_by_cohort.items():
        pl = tables["placement"].set_index(["level", "group"])
        s = f.series[f.series["cohort"] == c].set_index(["level", "group"])
        pd.testing.assert_series_equal(s["value"], pl["placement_rate"], check_names=False)
        w = f.warnings.set_index("major")[f"placement_rate_{c}"]
        majors = pl.loc["major", "placement_rate"]
        pd.testing.assert_series_equal(w.reindex(majors.index), majors, check_names=False)
    t = f.trends[(f.trends["metric"] == "placement_rate") & ~f.trends["suppressed"]]
    for r in t.itertuples():
        assert r.value == pytest.approx(f.outcomes_by_cohort[r.cohort]["placement"].set_index(["level", "group"])
                                        .loc[(r.level, r.group), "placement_rate"])
    # the sample's major placement rates are constant by construction: no change is flagged
    assert not f.trends["change_significant"].fillna(False).any()


def test_outcomes_command_gives_the_report_numbers(sample_findings, tmp_path):
    from survey_analysis.cli import main
    from survey_analysis.datasets import sample_paths

    p = sample_paths()
    out = tmp_path / "out"
    code = main(["outcomes", str(p["graduate_2025"]), str(p["graduate_2024"]), str(p["graduate_2023"]),
                 "--population", str(p["population"]), "--config", str(p["config"]), "--out", str(out), "-q"])
    assert code == 0
    f = sample_findings
    got = pd.read_csv(out / "placement.csv", encoding="utf-8-sig")
    want = f.outcomes["placement"]
    assert got["组别"].tolist() == want["group"].tolist()
    np.testing.assert_allclose(got["就业去向落实率"].to_numpy(dtype=float), want["placement_rate"].to_numpy(dtype=float),
                               rtol=1e-12, equal_nan=True)
    trends = pd.read_csv(out / "trends.csv", encoding="utf-8-sig")
    np.testing.assert_allclose(trends["本届数值"].to_numpy(dtype=float), f.trends["value"].to_numpy(dtype=float),
                               rtol=1e-12, equal_nan=True)
    inc = pd.read_csv(out / "income.csv", encoding="utf-8-sig")
    np.testing.assert_allclose(inc["中位数"].to_numpy(dtype=float), f.outcomes["income"]["median"].to_numpy(dtype=float),
                               rtol=1e-12, equal_nan=True)


# ------------------------------------------------------------------------------------------
# disclosure: subtraction attacks on every grouped table
# ------------------------------------------------------------------------------------------

_VALUE_LIKE = {"n", "suppressed", "college"}


def _grouped_tables(f) -> dict:
    out = {}
    for name, t in f.outcomes.items():
        out[f"outcomes.{name}"] = t
    for name, t in f.teaching.items():
        out[f"teaching.{name}"] = t
    for c, tables in f.outcomes_by_cohort.items():
        for name, t in tables.items():
            out[f"cohort{c}.{name}"] = t
    for name in ("abilities", "suggestions", "gap_shares", "trends"):
        t = getattr(f, name)
        if t is not None:
            out[name] = t
    return {k: t for k, t in out.items() if isinstance(t, pd.DataFrame) and {"level", "group", "n", "suppressed"}
            <= set(t.columns) and len(t)}


def _item_keys(t: pd.DataFrame) -> list[str]:
    keys = [c for c in ("item", "band", "reason", "option", "competency", "competency_id", "dimension", "category",
                        "metric", "cohort_prev", "cohort") if c in t.columns]
    return keys


#: item keys that do not change the base (every answer / band / competency of a group shares it)
_SHARED_BASE = {"category", "band", "reason", "option", "competency", "competency_id"}


def _true_n(ref: pd.DataFrame, part: pd.DataFrame, keys: list, key) -> pd.Series:
    """The base's true n of each row of ``part`` from the unsuppressed table (rows of answers
    nobody gave are left out there, so the base is read from any row of the group)."""
    base = [k for k in keys if k not in _SHARED_BASE or ("dimension" not in keys and k in ("reason",)
                                                          and "dimension" in ref.columns)]
    sub = ref
    for k, v in zip(keys, key if isinstance(key, tuple) else (key,)):
        if k in base:
            sub = sub[sub[k].isna()] if pd.isna(v) else sub[sub[k] == v]
    n = sub.groupby(["level", "group"])["n"].max()
    out = n.reindex(part.set_index(["level", "group"]).index).astype(float)
    out.index = part.index
    return out


def _sets(part: pd.DataFrame) -> list[tuple]:
    """(parent row, child rows) of one item's rows: school ⊃ colleges, school ⊃ majors, college ⊃ majors."""
    school = part.index[part["level"] == "school"]
    colleges = part.index[part["level"] == "college"]
    majors = part.index[part["level"] == "major"]
    out = []
    if len(school):
        if len(colleges):
            out.append((school[0], list(colleges)))
        if len(majors):
            out.append((school[0], list(majors)))
    for c in colleges:
        kids = [m for m in majors if part.at[m, "college"] == part.at[c, "group"]]
        if kids:
            out.append((c, kids))
    return out


def _attack(part: pd.DataFrame, true_n: pd.Series, min_cell: int) -> list:
    hidden = part["suppressed"].astype(bool)
    problems = []
    sets = _sets(part)
    for parent, kids in sets:
        if hidden[parent]:
            continue
        h = [k for k in kids if hidden[k]]
        if len(h) == 1 or (len(h) >= 2 and true_n[h].sum() < min_cell):
            problems.append(("pool", part.at[parent, "group"], [part.at[k, "group"] for k in h]))
    H = [i for i in part.index if hidden[i]]
    if H and sets:
        M = np.zeros((len(sets), len(H)))
        for e, (parent, kids) in enumerate(sets):
            for k in kids:
                if k in H:
                    M[e, H.index(k)] = 1
            if parent in H:
                M[e, H.index(parent)] = -1
        r = np.linalg.matrix_rank(M)
        for j, i in enumerate(H):
            e = np.zeros(len(H))
            e[j] = 1
            if np.linalg.matrix_rank(np.vstack([M, e])) == r:
                problems.append(("determined", part.at[i, "group"]))
    return problems


def _thin(data: pd.DataFrame, keep: dict, seed: int = 0) -> pd.DataFrame:
    """``data`` with only ``keep[major]`` respondents of the listed majors (small cells)."""
    rng = np.random.default_rng(seed)
    drop = []
    for major, k in keep.items():
        idx = data.index[data["major"] == major]
        drop += list(rng.choice(idx, max(len(idx) - k, 0), replace=False))
    return data.drop(index=drop)


@pytest.fixture(scope="module")
def open_and_shown(sample_findings):
    """The sample with a few majors thinned to small cells, analysed with nothing hidden (min_cell 1:
    the true n of every cell) and as published, weighted and unweighted."""
    from survey_analysis.pipeline import analyse_cleaned

    f = sample_findings
    grads = {c: dataclasses.replace(r, data=_thin(r.data.drop(columns=["weight"]),
                                                  {"新闻学": 3, "英语": 6, "自动化": 2 + (c % 3)}, seed=c))
             for c, r in f.graduates.items()}
    emp = dataclasses.replace(f.employer, data=_thin(f.employer.data, {"新闻学": 2, "英语": 4}))
    runs = {}
    for weighted in (True, False):
        pop = f.population if weighted else None
        shown = analyse_cleaned(emp, grads, f.config, population=pop)
        full = analyse_cleaned(emp, grads, f.config.replace(min_cell=1), population=pop)
        runs[weighted] = (full, shown)
    return runs


@pytest.mark.parametrize("weighted", [True, False])
def test_no_hidden_cell_can_be_worked_out(open_and_shown, weighted):
    full, shown = open_and_shown[weighted]
    mc = shown.design.min_cell
    tables = _grouped_tables(shown)
    truth = _grouped_tables(full)
    assert len(tables) >= 15
    n_hidden = 0
    for name, t in tables.items():
        keys = _item_keys(t)
        ref = truth[name]
        assert not ref["suppressed"].astype(bool).any(), name  # min_cell 1: nothing hidden
        assert t["n"][t["suppressed"].astype(bool)].isna().all(), f"{name}: a hidden row prints its n"
        for key, part in (t.groupby(keys, dropna=False, sort=False) if keys else [((), t)]):
            true_n = _true_n(ref, part, keys, key)
            n_hidden += int(part["suppressed"].sum())
            assert _attack(part, true_n.fillna(0), mc) == [], (name, key)
            # a cell with fewer than min_cell respondents (but some) is always hidden
            small = (true_n.fillna(0) > 0) & (true_n.fillna(0) < mc)
            assert part.loc[small.to_numpy(), "suppressed"].all(), (name, key)
    assert n_hidden > 0  # the sample has small cells: the attack was tried on something


def test_a_hidden_cell_is_hidden_everywhere_it_is_shown(sample_findings):
    """The same estimate (cohort, base, group) is hidden in every table that shows it."""
    f = sample_findings
    for c, tables in f.outcomes_by_cohort.items():
        pl = tables["placement"]
        hidden = set(pl.loc[pl["suppressed"], "group"])
        s = f.series[(f.series["cohort"] == c) & f.series["group"].isin(hidden)]
        assert s["suppressed"].all() and s["value"].isna().all()
        w = f.warnings.set_index("major")[f"placement_rate_{c}"]
        assert w.reindex(sorted(hidden & set(w.index))).isna().all()
        tr = f.trends[(f.trends["metric"] == "placement_rate") & ((f.trends["cohort"] == c)
                                                                 | (f.trends["cohort_prev"] == c))]
        assert tr.loc[tr["group"].isin(hidden), "suppressed"].all()


def test_notes_never_print_a_hidden_groups_n(sample_findings):
    import re

    f = sample_findings
    texts = list(f.notes)
    for p, t in _frames({"x": f.group_differences, "y": f.comparisons}):
        if t is not None:
            texts += [str(v) for v in t.get("note", pd.Series(dtype=str)).dropna()]
            texts += [str(v) for v in t.attrs.get("notes", []) or []]
    for text in texts:
        assert not re.search(r"[（(]\s*n\s*=\s*\d+\s*[)）]", text), text


def test_min_cell_below_one_is_refused():
    from survey_analysis.errors import ConfigError

    for bad in (0, -1, 2.5, float("nan")):
        with pytest.raises(ConfigError, match="min_cell"):
            Design(min_cell=bad)
