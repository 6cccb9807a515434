"""五、教学培养反馈: teaching ratings, what to improve, 能力满足度; 学生工作与服务 (service ratings)."""
from __future__ import annotations

from ..model import Paragraph, Section, Table
from .common import bar, ci_cells, period, shown, with_level_label

__all__ = ["teaching_chapter"]


def _ratings(f) -> list:
    """教学 (and overall) ratings: satisfied share per item, every group."""
    tr = f.teaching.get("teaching_ratings")
    if tr is None or not len(tr):
        return []
    if "domain" in tr.columns:
        tr = tr[tr["domain"] != "service"]
    if not len(tr):
        return []
    wide = tr.pivot_table(index=["level", "group"], columns="item", values="rate", aggfunc="first",
                          sort=False).reset_index()
    nn = tr.drop_duplicates(["level", "group"]).set_index(["level", "group"])["n"]
    wide["n"] = [nn.get((a, b)) for a, b in zip(wide["level"], wide["group"])]
    items = list(dict.fromkeys(tr["item"]))
    labels = dict(zip(tr["item"], tr["item_label"]))
    return [Table(with_level_label(wide)[["level", "group", "n", *items]], "毕业生对教学的满意比例",
                  note=tr.attrs.get("rate_definition", ""),
                  column_labels={"level": "层级", "group": "学院/专业", "n": "样本量（n）", **labels},
                  formats={"n": "int", **{c: "pct" for c in items}}, highlight=[0])]


def _services(f) -> Section | None:
    """学生工作与服务: the service items (就业指导、学生管理 …), school first with intervals, then
    colleges and majors."""
    tr = f.teaching.get("teaching_ratings")
    if tr is None or not len(tr) or "domain" not in tr.columns:
        return None
    sv = tr[tr["domain"] == "service"]
    if not len(sv):
        return None
    school = sv[sv["level"] == "school"].copy()
    school["rate_ci"] = ci_cells(school, "rate")
    blocks: list = [Paragraph("毕业生对学生工作与服务的评价（对应年度报告中的“学生工作及服务质量”）：就业指导服务、学生管理服务等。"
                              "满意比例带 95% 置信区间；各学院、各专业的满意比例见第二张表。")]
    blocks.append(Table(school[["item_label", "n", "rate_ci", "mean"]].reset_index(drop=True),
                        "毕业生对学生工作与服务的评价（全校）", note=tr.attrs.get("rate_definition", ""),
                        column_labels={"item_label": "服务", "n": "样本量（n）", "rate_ci": "满意比例",
                                       "mean": "均值（5 分制）"},
                        formats={"n": "int", "rate_ci": "pct_ci", "mean": "float2"}))
    wide = sv.pivot_table(index=["level", "group"], columns="item", values="rate", aggfunc="first",
                          sort=False).reset_index()
    items = list(dict.fromkeys(sv["item"]))
    labels = dict(zip(sv["item"], sv["item_label"]))
    blocks.append(Table(with_level_label(wide)[["level", "group", *items]], "学生工作与服务的满意比例（各学院、专业）",
                        note="样本不足的格子显示为“—”。", column_labels={"level": "层级", "group": "学院/专业", **labels},
                        formats={c: "pct" for c in items}, highlight=[0]))
    return Section("学生工作与服务", blocks, level=2)


def _improve(f, charts: bool, when: str) -> list:
    im = f.teaching.get("improve")
    if im is None or not len(im):
        return []
    s = im[im["level"] == "school"].sort_values("share", ascending=False)
    blocks: list = []
    if charts and len(shown(s)):
        blocks.append(bar(shown(s), "option", "share", low="low", high="high", title="毕业生认为母校教学最需改进的方面",
                          caption_n=int(s["n"].iloc[0]), period=when))
    wide = im.pivot_table(index=["level", "group"], columns="option", values="share", aggfunc="first",
                          sort=False).reset_index()
    opts = list(s["option"])
    blocks.append(Table(with_level_label(wide)[["level", "group", *opts]], "教学最需改进的方面（多选，选择比例）",
                        note=im.attrs.get("base", ""), column_labels={"level": "层级", "group": "学院/专业"},
                        formats={o: "pct" for o in opts}, highlight=[0]))
    return blocks


def _abilities(f, charts: bool, when: str) -> list:
    ab = f.abilities
    if ab is None or not len(ab):
        return []
    s = ab[ab["level"] == "school"].sort_values("fulfilment")
    blocks: list = []
    if charts and len(shown(s)):
        blocks.append(bar(shown(s), "competency_label", "fulfilment", title="毕业生能力满足度（全校）",
                          caption_n=int(s["n"].max()), period=when, target=0.85, target_label="基本满足线"))
    blocks.append(Table(s[["competency_label", "n", "importance_mean", "required_mean", "own_mean", "fulfilment",
                           "fulfilment_band", "suppressed"]].reset_index(drop=True), "毕业生能力满足度（全校）",
                        note=ab.attrs.get("averaging", "") + "；" + ab.attrs.get("bands", ""),
                        column_labels={"competency_label": "能力", "n": "样本量（n）", "importance_mean": "重要度",
                                       "required_mean": "岗位要求水平", "own_mean": "毕业时水平",
                                       "fulfilment": "能力满足度", "fulfilment_band": "等级"},
                        formats={"n": "int", "importance_mean": "float2", "required_mean": "float2",
                                 "own_mean": "float2", "fulfilment": "pct"}))
    mj = ab[ab["level"] == "major"]
    wide = mj.pivot_table(index="group", columns="competency_label", values="fulfilment", aggfunc="first",
                          sort=False).reset_index()
    order = {m: i for i, m in enumerate(f.majors["major"])} if f.majors is not None else {}
    wide = wide.sort_values("group", key=lambda x: x.map(lambda m: order.get(m, 999)))
    comps = [c for c in s["competency_label"] if c in wide.columns]
    blocks.append(Table(wide[["group", *comps]].reset_index(drop=True), "各专业能力满足度",
                        note="低于 85% 为“不太满足”或“不满足”；样本不足的格子显示为“—”。",
                        column_labels={"group": "专业"}, formats={c: "pct" for c in comps}))
    return blocks


def teaching_chapter(f, title: str, charts: bool) -> Section | list | None:
    if not f.teaching and (f.abilities is None or not len(f.abilities)):
        return None
    when = period(f, "graduate")
    blocks: list = [Paragraph("毕业生对母校教学的评价、认为最需改进的方面，以及毕业时的能力水平能否满足工作岗位的要求（能力满足度）。")]
    blocks += _ratings(f) + _improve(f, charts, when) + _abilities(f, charts, when)
    services = _services(f)
    return [Section(title, blocks), services] if services is not None else Section(title, blocks)
