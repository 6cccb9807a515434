"""四、毕业生就业状况: destinations, trends and warnings, income, job quality, turnover."""
from __future__ import annotations

import pandas as pd

from ... import wording as w
from ...outcomes.labels import LABELS
from ..model import Heading, Paragraph, Section, Table
from .common import bar, ci_cells, conf_text, level, period, school, shown, with_level_label

__all__ = ["outcomes_chapter"]


def _placement(f, charts: bool, when: str) -> list:
    pl = f.outcomes["placement"]
    sp = school(pl)
    blocks: list = [Heading("毕业去向")]
    t = pl.copy()
    t["placement_ci"] = ci_cells(t, "placement_rate")
    t = with_level_label(t)[["level", "group", "n", "placement_ci", "employment_rate", "further_study_domestic_rate",
                             "abroad_rate", "unemployed_rate", "suppressed"]]
    mj = shown(level(pl, "major"))
    bench = f.config.placement_benchmark
    if charts and len(mj):
        blocks.append(bar(mj, "group", "placement_rate", low="placement_rate_low", high="placement_rate_high",
                          title="各专业就业去向落实率", caption_n=int(sp["n"]), period=when,
                          target=bench if bench is not None else float(sp["placement_rate"]),
                          target_label="当地平均" if bench is not None else "全校"))
    blocks.append(Table(t.reset_index(drop=True), "毕业去向（就业去向落实率）",
                        note="就业去向落实率为本次抽样调查的估计值，不是教育部口径下全体毕业生的官方统计；"
                             f"括号内为 {conf_text(f)} 置信区间。",
                        column_labels={**LABELS, "group": "学院/专业", "placement_ci": LABELS["placement_rate"]},
                        formats={"n": "int", "placement_ci": "pct_ci", "employment_rate": "pct",
                                 "further_study_domestic_rate": "pct", "abroad_rate": "pct", "unemployed_rate": "pct"},
                        highlight=[0]))
    return blocks


def _trend_figure(f, when: str) -> list:
    s, wl = f.series, f.warnings
    if s is None or not len(s) or len(f.graduates) < 2:
        return []
    flagged = []
    if wl is not None and len(wl) and "below_threshold_consecutive" in wl.columns:
        flagged = wl.loc[wl["below_threshold_consecutive"].fillna(False).astype(bool), "major"].tolist()
    show = ((s["level"] == "school") | ((s["level"] == "major") & s["group"].isin(flagged))) & ~s["suppressed"]
    d = s[show].rename(columns={"value": "rate", "group": "major"})[["cohort", "major", "rate"]]
    if not len(d):
        return []
    from ..charts import line_chart

    n = sum(int(r.summary["rows_kept"]) for r in f.graduates.values())
    weighted = "加权" if f.design.weight else "未加权"
    return [line_chart(d, "cohort", "rate", group="major", title=f"历届就业去向落实率（全校与预警专业，{weighted}）",
                       caption_n=n, period="、".join(f"{c} 届" for c in sorted(f.graduates)) + "毕业生跟踪调查",
                       ylabel="就业去向落实率", target=f.config.warning_threshold, target_label="预警线")]


def _warnings(f) -> list:
    wl = f.warnings
    if wl is None or not len(wl):
        return []
    t = wl.copy()
    cols = sorted(c for c in t.columns if c.startswith("placement_rate_") and c[-4:].isdigit())
    t["below_threshold_consecutive"] = t["below_threshold_consecutive"].map({True: "是", False: "否"})
    show = ["major", "college", *cols, "years_below_threshold", "below_threshold_consecutive", "card"]
    note = " ".join(x for x in (t.attrs.get("flag_rule"), t.attrs.get("rule")) if isinstance(x, str))
    return [Table(t[show].reset_index(drop=True), "专业预警（历届就业去向落实率）", note=note,
                  column_labels={"major": "专业", "college": "学院", **{c: f"{c[-4:]} 届落实率" for c in cols},
                                 "years_below_threshold": "连续低于阈值年数", "below_threshold_consecutive": "触发预警",
                                 "card": "预警牌"},
                  formats={**{c: "pct" for c in cols}, "years_below_threshold": "int"},
                  highlight=[i for i, v in enumerate(t["below_threshold_consecutive"]) if v == "是"])]


def _benchmarks(f) -> list:
    b = f.benchmarks
    if b is None or not len(b):
        return []
    labels = {"metric_label": "指标", "group": "范围（本校）", "n": "样本量（n）", "estimate": "本校估计（区间）",
              "value": "本校估计", "low": "区间下限", "high": "区间上限", "benchmark": "基准值", "position": "比较",
              "scope": "基准范围", "year": "基准年份", "source": "来源"}
    tail = ["benchmark", "position", "scope", "year", "source"]
    blocks = [Heading("与外部基准的比较")]
    shares = b["share"].astype(bool)
    if shares.any():
        t = b[shares].copy()
        t["estimate"] = list(zip(t["value"], t["low"], t["high"]))
        blocks.append(Table(t[["metric_label", "group", "n", "estimate", *tail]].reset_index(drop=True),
                            "与外部基准的比较（比例）", note=b.attrs.get("note", ""), column_labels=labels,
                            formats={"n": "int", "estimate": "pct_ci", "benchmark": "pct", "source": "text",
                                     "year": "text"}))
    if (~shares).any():
        t = b[~shares]
        blocks.append(Table(t[["metric_label", "group", "n", "value", "low", "high", *tail]].reset_index(drop=True),
                            "与外部基准的比较（月收入，元）", note=b.attrs.get("note", ""), column_labels=labels,
                            formats={"n": "int", "value": "money", "low": "money", "high": "money",
                                     "benchmark": "money", "source": "text", "year": "text"}))
    return blocks


def _income(f) -> list:
    inc = f.outcomes.get("income")
    if inc is None or not len(inc):
        return []
    t = with_level_label(inc)[["level", "group", "n", "mean", "median", "p25", "p75", "suppressed"]]
    lo, hi = inc.attrs.get("income_bounds", (None, None))
    note = "税前月收入" + (f"；{w.count(lo)}–{w.count(hi)} 元以外的值视为不合理，已排除（见清洗日志）。" if lo else "。")
    return [Heading("月收入"),
            Table(t.reset_index(drop=True), "在职毕业生月收入（元）", note=note,
                  column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", "mean": "均值",
                                 "median": "中位数", "p25": "P25", "p75": "P75"},
                  formats={"n": "int", "mean": "money", "median": "money", "p25": "money", "p75": "money"},
                  highlight=[0])]


def _job_quality(f) -> list:
    jq = f.outcomes.get("job_quality")
    if jq is None or not len(jq):
        return []
    wide = jq.pivot_table(index=["level", "group"], columns="item", values="rate", aggfunc="first",
                          sort=False).reset_index()
    nn = jq[jq["item"] == "relevance"].set_index(["level", "group"])["n"]
    wide["n"] = [nn.get((a, b)) for a, b in zip(wide["level"], wide["group"])]
    items = [c for c in ("relevance", "expectation_fit", "job_sat__overall", "job_sat__pay", "job_sat__prospects",
                         "job_sat__content") if c in wide.columns]
    labels = dict(zip(jq["item"], jq["item_label"]))
    t = with_level_label(wide)[["level", "group", "n", *items]]
    return [Heading("专业相关度、职业期待吻合度与就业满意度"),
            Table(t, "专业相关度与就业满意度（在职毕业生）", note=jq.attrs.get("rate_definition", ""),
                  column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", **labels},
                  formats={"n": "int", **{c: "pct" for c in items}}, highlight=[0])]


def _long_school_table(t: pd.DataFrame | None, key: str, title: str, label: str, note: str) -> list:
    if t is None or not len(t):
        return []
    s = t[t["level"] == "school"].copy()
    s["share_ci"] = ci_cells(s, "share", "low", "high")
    return [Table(s[[key, "count", "share_ci"]].reset_index(drop=True), title, note=note,
                  column_labels={key: label, "count": "人数", "share_ci": "占比"},
                  formats={"count": "int", "share_ci": "pct_ci"})]


_DIMENSIONS = {"employer_type": "单位性质", "employer_size": "单位规模", "industry": "行业", "occupation": "职业",
               "region": "工作地区", "work_province": "工作省份", "work_city": "工作城市"}


def _by_major(t: pd.DataFrame, key: str, f, top: list, title: str, note: str) -> Table:
    """Majors × the school's most frequent answers: each cell the major's share (hidden: —)."""
    mj = t[t["level"] == "major"]
    wide = mj.pivot_table(index="group", columns=key, values="share", aggfunc="first", sort=False)
    wide = wide.reindex(columns=top)
    order = {m: i for i, m in enumerate(f.majors["major"])} if f.majors is not None else {}
    wide = wide.reset_index().sort_values("group", key=lambda x: x.map(lambda m: order.get(m, 999)))
    n = mj.drop_duplicates("group").set_index("group")["n"]
    wide.insert(1, "n", wide["group"].map(n))
    return Table(wide.reset_index(drop=True), title, note=note, column_labels={"group": "专业", "n": "样本量（n）"},
                 formats={"n": "int", **{c: "pct" for c in top}})


def _where_they_work(f) -> list:
    ed = f.outcomes.get("employment_distribution")
    if ed is None or not len(ed):
        return []
    blocks: list = [Heading("就业分布：单位性质、规模、行业、职业与地区")]
    for dim, label in _DIMENSIONS.items():
        t = ed[ed["dimension"] == dim]
        if not len(t):
            continue
        s = t[t["level"] == "school"].copy()
        s["share_ci"] = ci_cells(s, "share", "low", "high")
        blocks.append(Table(s[["category", "count", "share_ci"]].reset_index(drop=True), f"在职毕业生的{label}分布（全校）",
                            note=ed.attrs.get("count_definition", ""),
                            column_labels={"category": label, "count": "人数", "share_ci": "占比"},
                            formats={"count": "int", "share_ci": "pct_ci"}))
        top = list(s.sort_values("share", ascending=False)["category"].head(5))
        blocks.append(_by_major(t, "category", f, top, f"各专业在职毕业生的{label}分布（全校最多的前 {len(top)} 类）",
                                "每行是该专业在职毕业生中各类的占比；样本不足的专业显示为“—”。"))
    return blocks + _in_province(f)


def _in_province(f) -> list:
    t = f.outcomes.get("in_province")
    if t is None or not len(t):
        return []
    d = t.copy()
    d["rate_ci"] = ci_cells(d, "in_province_rate")
    return [Table(with_level_label(d)[["level", "group", "n", "rate_ci", "suppressed"]].reset_index(drop=True),
                  "在本省就业的比例", note=t.attrs.get("base", ""),
                  column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", "rate_ci": "本省就业比例"},
                  formats={"n": "int", "rate_ci": "pct_ci"}, highlight=[0])]


def _reasons_by_major(f, name: str, key: str, title: str) -> list:
    t = f.outcomes.get(name)
    if t is None or not len(t):
        return []
    s = t[t["level"] == "school"].sort_values("share", ascending=False)
    top = list(s[key].head(6))
    return [_by_major(t, key, f, top, title, t.attrs.get("base", ""))]


def _turnover(f) -> list:
    to = f.outcomes.get("turnover")
    if to is None or not len(to):
        return []
    t = to.copy()
    t["turnover_ci"] = ci_cells(t, "turnover_rate")
    rec = f.outcomes.get("recommendation")
    if rec is not None and len(rec):
        r = rec.set_index(["level", "group"])["recommend_rate"]
        t["recommend_rate"] = [r.get((a, b)) for a, b in zip(t["level"], t["group"])]
    t = with_level_label(t)
    cols = ["level", "group", "n", "turnover_ci"] + (["recommend_rate"] if "recommend_rate" in t.columns else [])
    blocks = [Heading("离职与推荐度"),
              Table(t[cols + ["suppressed"]].reset_index(drop=True), "离职率与推荐度",
                    note="离职率：毕业以来离职 1 次及以上的在职毕业生占比；推荐度：愿意推荐母校的比例。",
                    column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", "turnover_ci": "离职率",
                                   "recommend_rate": "推荐度"},
                    formats={"n": "int", "turnover_ci": "pct_ci", "recommend_rate": "pct"}, highlight=[0])]
    blocks += _long_school_table(f.outcomes.get("turnover_reasons"), "reason", "离职原因（全校，多选）", "离职原因",
                                 "离职过且填写了原因的毕业生选择各原因的比例；多选，合计可超过 100%。")
    blocks += _reasons_by_major(f, "turnover_reasons", "reason", "各专业的离职原因（多选）")
    return blocks


def outcomes_chapter(f, title: str, charts: bool) -> Section | None:
    pl = f.outcomes.get("placement")
    if pl is None or not len(pl):
        return None
    when = period(f, "graduate")
    sp = school(pl)
    blocks: list = [Paragraph(
        f"{f.cohort} 届毕业生跟踪调查共有 {w.count(sp['n'])} 份有效答卷用于计算毕业去向。各表均在全校、学院、专业三个"
        f"层面给出，括号内为 {conf_text(f)} 置信区间。{f.weighting}")]
    blocks += _placement(f, charts, when)
    blocks += _trend_figure(f, when) if charts else []
    blocks += _warnings(f) + _benchmarks(f) + _income(f) + _job_quality(f)
    blocks += _where_they_work(f)
    blocks += _long_school_table(f.outcomes.get("unrelated_reasons"), "reason", "工作与专业不相关的原因（全校）",
                                 "原因", "在职且认为工作与专业不相关的毕业生选择各原因的比例。")
    blocks += _reasons_by_major(f, "unrelated_reasons", "reason", "各专业工作与专业不相关的原因")
    blocks += _turnover(f)
    return Section(title, blocks)
