"""The ledger as a report section, and the ledger outputs (CSV, XLSX, PDF).

The section only lays out :class:`LedgerResults`; every number in it is computed there.  It
names an output file only when the caller says which files are written next to it (``files``:
:func:`write_ledger_outputs` does; the curriculum report does not, so there the section refers
to nothing but its own tables).  Every CSV and the workbook are written by
:mod:`survey_analysis.outputs` (formula-safe, CR/LF-safe, atomic).
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from .._atomic import atomic_dir
from ..outputs import write_csv, write_xlsx
from ._analyze import LedgerResults
from ._labels import LABELS, TABLE_TITLES
from ._rules import NOTICE

__all__ = ["ledger_section", "ledger_report", "write_ledger_outputs", "OUTPUT_FILES"]

log = logging.getLogger(__name__)

OUTPUT_FILES = {name: f"ledger_{name}.csv" for name in TABLE_TITLES}
OUTPUT_FILES.update({"xlsx": "ledger_tables.xlsx", "pdf": "ledger_progress.pdf"})

#: rows of the audit and of the name merges shown inside the section
SHOWN_AUDIT_ROWS = 30
SHOWN_MERGES = 20

_CHECK_NAMES = {"outside_period": "日期在行动期外", "date_invalid": "日期无效", "role_missing": "职务为空",
                "duplicate_visit": "重复走访记录", "negative_number": "数值为负", "not_a_number": "数值不是数字",
                "missing_value": "必填项为空", "bad_flag": "是/否填写不规范", "duplicate_demand": "重复需求记录",
                "major_unmatched": "专业未匹配"}


def _period(res: LedgerResults) -> str:
    p = res.params
    return f"{p['period_start']:%Y-%m-%d} 至 {p['period_end']:%Y-%m-%d}，截至 {p['as_of']:%Y-%m-%d}"


def _cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _date_text(df: pd.DataFrame, missing="—") -> pd.DataFrame:
    """Dates as ``YYYY-MM-DD`` text, booleans as 是/否 (how the tables are read and printed)."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d").astype(object).where(out[c].notna(), missing)
        elif pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].map({True: "是", False: "否"}).astype(object).where(out[c].notna(), missing)
    return out


def _see(files: dict | None, *names: str) -> str:
    """``完整…见 a、b`` for output files written with the section; empty in the report."""
    if not files:
        return ""
    shown = [files[n] for n in names if n in files]
    return f"完整内容见 {'、'.join(shown)}。" if shown else ""


# --------------------------------------------------------------------------------------------
# blocks
# --------------------------------------------------------------------------------------------
def _intro(r: LedgerResults):
    from ..report.model import Paragraph

    p = r.params
    unit = "家" if p["count_by"] == "employers" else "次"
    period = (f"专项行动期取 {_cn(p['period_start'])}至 {_cn(p['period_end'])}（按通知规定的 3—8 月，以台账所在年份计）"
              if p.get("period_inferred") else f"专项行动期为 {_cn(p['period_start'])}至 {_cn(p['period_end'])}")
    if p["visit_scope"] == "joint":
        visit = (f"每所学校书记、校长（院长）正职共同走访用人单位目标为 {p['target_visits']} {unit}"
                 "（通知原文：“书记（校长、院长）正职共拜访用人单位原则上不少于100家”）")
    else:
        visit = f"书记、校长（院长）正职走访用人单位目标按每人 {p['target_visits']} {unit}计"
    return [Paragraph(
        f"依据教育部办公厅《关于开展全国高校书记校长访企拓岗促就业专项行动的通知》（{NOTICE}），{period}。"
        f"{visit}；就业去向落实率低于当地平均水平的高校，校领导班子新开拓用人单位目标为 {p['target_new']} 家。"
        f"本节按走访台账统计至 {p['as_of']:%Y-%m-%d}；同一单位的不同写法已合并，重复登记和行动期外的记录不计入。")]


def _key_figures(r: LedgerResults):
    from ..report.model import KeyFigures

    p = r.params
    unit = "家" if p["count_by"] == "employers" else "次"
    unis = r.universities
    items = []
    if p["visit_scope"] == "joint" and len(unis) == 1:
        u = unis.iloc[0]
        met = u["visit_met_date"]
        items.append(("书记校长共同走访", f"{u['principal_employers']} / {u['target_visits']} {unit}",
                      f"{met:%Y-%m-%d} 达标" if pd.notna(met) else u["visit_status"]))
    elif p["visit_scope"] == "joint":
        vis = unis[unis["visit_target_applies"]]
        items.append(("书记校长共同走访达标高校", f"{int(vis['visit_met_date'].notna().sum())} / {len(vis)} 所",
                      f"目标 {p['target_visits']} {unit}"))
    else:
        appl = r.leaders[r.leaders["target_applies"]]
        items.append(("书记/校长达标", f"{int(appl['met_date'].notna().sum())} / {len(appl)} 人",
                      f"目标 {p['target_visits']} {unit}"))
    uappl = unis[unis["new_target_applies"]]
    if len(unis) == 1 and len(uappl) == 1:
        u = uappl.iloc[0]
        met = u["new_met_date"]
        items.append(("新拓展用人单位", f"{u['new_employers']} / {u['target_new']} 家",
                      f"{met:%Y-%m-%d} 达标" if pd.notna(met) else u["new_status"]))
    else:
        items.append(("新拓展单位达标高校", f"{int(uappl['new_met_date'].notna().sum())} / {len(uappl)} 所",
                      f"目标 {p['target_new']} 家"))
    items.append(("提供岗位", f"{unis['positions'].sum():,.0f} 个", f"签订实习基地 {int(unis['internship_bases'].sum())} 家"))
    items.append(("走访记录", f"{int(r.visits['counted'].sum()):,} 条计入", f"审计问题 {len(r.audit)} 处"))
    return [KeyFigures(items)]


def _behind(r: LedgerResults):
    from ..report.model import BulletList, Heading, Paragraph

    blocks = [Heading("落后名单")]
    if len(r.behind):
        blocks.append(BulletList(list(r.behind["statement"])))
    else:
        blocks.append(Paragraph("没有落后的校领导或高校：所有适用目标均已完成或按当前进度可按期完成。"))
    unis = r.universities
    end = r.params["period_end"]
    late = unis[unis["new_target_applies"] & unis["new_met_date"].notna()
                & (unis["new_met_date"].dt.to_period("M") == pd.Period(end, "M"))]
    if len(late):
        blocks.append(Paragraph("在行动期最后一个月才完成新拓展目标：" + "；".join(
            f"{u}（{d:%Y-%m-%d}）" for u, d in zip(late["university"], late["new_met_date"])) + "。"))
    return blocks


def _leaders(r: LedgerResults, period: str):
    from ..report.charts import line_chart, progress_chart
    from ..report.model import Heading, Table

    p = r.params
    unit = "家" if p["count_by"] == "employers" else "次"
    lead, unis = r.leaders, r.universities
    blocks = [Heading("校领导走访进度")]
    if p["visit_scope"] == "joint":
        vis = unis[unis["visit_target_applies"]]
        if len(vis):
            blocks.append(progress_chart(vis, "university", "principal_employers", "target_visits",
                                         title="书记、校长（院长）正职共同走访用人单位进度",
                                         caption_n=f"{len(vis)} 所高校、{int(vis['principals'].sum())} 名正职校领导",
                                         period=period, unit=unit))
        curve = r.monthly[(r.monthly["level"] == "高校") & r.monthly["metric"].str.startswith("书记校长正职")
                          & r.monthly["target"].notna()]
        line = "university"
    else:
        appl = lead[lead["target_applies"]]
        if len(appl):
            chart = appl.assign(who=appl["university"] + " " + appl["leader"],
                                done=appl["employers"] if p["count_by"] == "employers" else appl["visits"])
            blocks.append(progress_chart(chart, "who", "done", "target", title="书记、校长（院长）正职走访用人单位进度",
                                         caption_n=f"{len(appl)} 名校领导", period=period, unit=unit))
        curve = r.monthly[(r.monthly["level"] == "走访人") & r.monthly["target"].notna()]
        curve = curve.assign(leader=curve["university"] + " " + curve["leader"].astype(str))
        line = "leader"
    cols = ["university", "leader", "role", "principal", "visits", "employers", "new_employers", "positions",
            "internship_bases", "met_date", "projected_date", "status"]
    if p["visit_scope"] == "joint":  # no leader has a target of their own
        cols = [c for c in cols if c not in ("met_date", "projected_date", "status")]
    if lead["university"].nunique() == 1:
        cols.remove("university")
    lead = lead.sort_values(["university", "principal", "employers"], ascending=[True, False, False], kind="stable")
    note = ("走访单位数按合并后的不同单位计；正职（书记、校长、院长，不含副职）的走访共同计入学校的走访目标，"
            "副职的走访计入新拓展单位等合计。" if p["visit_scope"] == "joint"
            else "走访单位数按合并后的不同单位计；预计达标日期按截至统计日的平均进度推算。")
    blocks.append(Table(_date_text(lead[cols]), "校领导走访进度", column_labels=LABELS,
                        formats={"positions": "int"}, note=note, highlight=list(lead["behind"])))
    blocks += _curve(curve, line, r.monthly, f"累计（{unit}）", period,
                     "书记、校长（院长）正职走访用人单位月度累计与计划进度", line_chart)
    return blocks


def _curve(curve: pd.DataFrame, line: str, monthly: pd.DataFrame, ylabel: str, period: str, title: str, line_chart):
    """A monthly cumulative curve per line (school or leader) with the straight-line plan."""
    if not len(curve):
        return []
    act = curve[curve["cumulative"].notna()]
    plan = curve.drop_duplicates("month")
    data = pd.concat([act[["month", line, "cumulative"]].rename(columns={line: "line"}),
                      pd.DataFrame({"month": plan["month"], "line": "计划进度", "cumulative": plan["planned"]})])
    n_lines = act[line].nunique()
    return [line_chart(data, "month", "cumulative", group="line", title=title,
                       caption_n=f"{n_lines} {'所高校' if line == 'university' else '名校领导'}",
                       period=period, value_format="int", ylabel=ylabel)]


def _universities(r: LedgerResults, period: str):
    from ..report.charts import line_chart, progress_chart
    from ..report.model import Heading, Table

    unis = r.universities
    uappl = unis[unis["new_target_applies"]]
    blocks = [Heading("新拓展用人单位、岗位与实习基地")]
    if len(uappl):
        blocks.append(progress_chart(uappl, "university", "new_employers", "target_new", title="新拓展用人单位进度",
                                     caption_n=f"{len(uappl)} 所高校", period=period, unit="家"))
    cols = ["university", "employers", "principal_employers", "visit_status", "new_employers", "new_met_date",
            "new_status", "positions", "internship_bases", "recruitment_events"]
    blocks.append(Table(_date_text(unis[cols]), "高校进度", column_labels=LABELS, formats={"positions": "int"},
                        note="新拓展单位按台账“是否新拓展单位”为“是”的不同单位计，全体校领导（含副职）的走访都计入。",
                        highlight=list(unis["behind"])))
    curve = r.monthly[(r.monthly["level"] == "高校") & (r.monthly["metric"] == "新拓展用人单位（家）")
                      & r.monthly["target"].notna()]
    blocks += _curve(curve, "university", r.monthly, "累计（家）", period, "新拓展用人单位月度累计与计划进度",
                     line_chart)
    if r.colleges is not None and len(r.colleges):
        blocks.append(Table(r.colleges, "按对接学院汇总", column_labels=LABELS, formats={"positions": "int"},
                            note="对接学院为台账中负责跟进该单位的学院；一家单位由多个学院对接时分别计入。"))
    return blocks


def _key_employers(r: LedgerResults, top: int, files):
    from ..report.model import Heading, Table

    ke = r.key_employers.head(top)
    cols = [c for c in ["rank", "employer", "industry", "region", "visits", "n_universities", "positions",
                        "demand_headcount", "graduates_hired", "internship_base"] if c in ke.columns]
    note = "按提供岗位数、需求人数、录用毕业生数、走访次数排序。"
    if len(r.key_employers) > len(ke):
        note += f"共 {len(r.key_employers)} 家，此处列出前 {len(ke)} 家。" + _see(files, "key_employers", "xlsx")
    return [Heading("重点单位数据库"),
            Table(_date_text(ke[cols]), f"重点单位（前 {len(ke)} 家）", column_labels=LABELS,
                  formats={"positions": "int", "demand_headcount": "int", "graduates_hired": "int"}, note=note)]


def _supply(r: LedgerResults):
    from ..report.model import Heading, Paragraph, Table

    if r.supply_demand is None:
        return []
    p = r.params
    sd = r.supply_demand
    other = sd[sd["offered"].fillna(True).eq(False)]
    main = sd.drop(index=other.index)
    cols = ["major_code", "major", "demand_headcount", "supply", "ratio", "reading"]
    source = {"roster": "毕业生人数（供给）按所给学生名单逐专业计数",
              "counts": "毕业生人数（供给）取自所给各专业毕业生人数表"}.get(p.get("graduates_source"), "")
    note = (f"一条需求涉及多个专业时，需求人数{'平均分配到各专业' if p['allocate'] == 'split' else '全部计入每个专业'}；"
            f"需求/供给 大于 {p['ratio_bands'][1]:g} 为供不应求，小于 {p['ratio_bands'][0]:g} 为供过于求。"
            + (source + "。" if source else ""))
    blocks = [Heading("分专业供需对比"),
              Table(main[cols], "分专业需求与毕业生人数", column_labels=LABELS, note=note,
                    formats={"demand_headcount": "float1", "supply": "int", "ratio": "float2"},
                    highlight=list(main["reading"].str.contains("供不应求|供过于求", na=False)))]
    if len(other):
        blocks.append(Paragraph("需求台账还提到本校未开设的专业（可供学科专业设置参考）：" + "、".join(
            f"{m}（需求 {h:.1f} 人）" for m, h in zip(other["major"], other["demand_headcount"])) + "。"))
    um = r.unmatched_majors
    if um is not None and len(um):
        blocks.append(Paragraph("未能匹配到专业代码的专业写法（未计入上表）：" + "、".join(
            f"{t}（{s}，{n} 次）" for t, s, n in zip(um["token"], um["source"], um["rows"])) + "。"))
    return blocks


def _quality(r: LedgerResults, files):
    from ..report.model import BulletList, Heading, Paragraph, Table

    blocks = [Heading("数据质量")]
    if len(r.audit):
        counts = r.audit.groupby("check", sort=False).size()
        shown = r.audit.head(SHOWN_AUDIT_ROWS)
        more = f"共 {len(r.audit)} 处，下表列出前 {len(shown)} 处。" if len(r.audit) > len(shown) else ""
        blocks.append(Paragraph("审计发现：" + "；".join(f"{_CHECK_NAMES.get(k, k)} {v} 处" for k, v in counts.items())
                                + "。每一处的行号、原值和处理方式见下表“审计记录”。" + more + _see(files, "audit", "xlsx")))
        if r.notes:
            blocks.append(BulletList(list(r.notes)))
        cols = ["table", "row", "column", "value", "action", "message"]
        blocks.append(Table(shown[cols], "审计记录", column_labels=LABELS))
    else:
        blocks.append(Paragraph("审计未发现问题。"))
        if r.notes:
            blocks.append(BulletList(list(r.notes)))
    if len(r.merges):
        shown = r.merges.head(SHOWN_MERGES)
        note = (f"共 {len(r.merges)} 家，此处列出写法最多的 {len(shown)} 家。" if len(r.merges) > len(shown) else None)
        note = (note or "") + _see(files, "merges") or None
        blocks.append(Table(shown[["employer", "variants", "n_records"]], "单位名称合并", column_labels=LABELS,
                            note=note))
    return blocks


def ledger_section(results: LedgerResults, *, title: str = "访企拓岗促就业专项行动进展", top_employers: int = 20,
                   level: int = 1, files: dict | None = None):
    """The ledger as one section of a report (progress, curves, behind list, tables, audit).

    Parameters
    ----------
    results : LedgerResults
        From :func:`analyze_ledger`.
    title : str, default "访企拓岗促就业专项行动进展"
    top_employers : int, default 20
        Rows of the key-employer database shown.
    level : int, default 1
    files : dict, optional
        Table name → file name of the outputs written with the section (see
        :func:`write_ledger_outputs`); the section names a file only when it is here.

    Returns
    -------
    survey_analysis.report.model.Section
    """
    from ..report.model import Section

    r = results
    period = _period(r)
    blocks = (_intro(r) + _key_figures(r) + _behind(r) + _leaders(r, period) + _universities(r, period)
              + _key_employers(r, top_employers, files) + _supply(r) + _quality(r, files))
    return Section(title, blocks, level=level)


def ledger_report(results: LedgerResults, *, files: dict | None = None):
    """A short stand-alone progress report (one section) for the PDF."""
    from ..report.model import Report

    p = results.params
    srcs = [Path(str(f)).name for f in (p.get("visits_file"), p.get("demand_file")) if f]
    return Report(
        title="访企拓岗促就业专项行动进展报告",
        subtitle="书记校长走访、新拓展用人单位与需求台账",
        meta={"date": f"{p['as_of']:%Y-%m-%d}", "sources": srcs},
        sections=[ledger_section(results, files=files)],
    )


def write_ledger_outputs(results: LedgerResults, out_dir, *, pdf: bool = True) -> dict:
    """Write every ledger table as CSV, one XLSX workbook and the PDF progress report.

    CSV and XLSX go through :func:`survey_analysis.outputs.write_csv` / ``write_xlsx`` (UTF-8
    with BOM and CRLF, cells Excel would run as a formula written as text); dates as
    ``YYYY-MM-DD``, yes/no as 是/否.  All files appear together or not at all (written in a
    temporary folder, then moved).

    Parameters
    ----------
    results : LedgerResults
    out_dir : str or Path
    pdf : bool, default True
        Also write ``ledger_progress.pdf`` (needs the report engine and a CJK font).

    Returns
    -------
    dict
        name → Path of each file written.
    """
    out_dir = Path(out_dir)
    tables = {name: _date_text(df, None) for name, df in results.tables(labels=True).items()}
    names = {name: OUTPUT_FILES[name] for name in tables} | {"xlsx": OUTPUT_FILES["xlsx"]}
    with atomic_dir(out_dir) as tmp:
        for name, df in tables.items():
            write_csv(df, tmp / names[name])
        write_xlsx({TABLE_TITLES[name]: df for name, df in tables.items()}, tmp / names["xlsx"])
        if pdf:
            from ..report import render

            render(ledger_report(results, files=names), tmp, formats=("pdf",), basename="ledger_progress")
            names["pdf"] = OUTPUT_FILES["pdf"]
    return {name: out_dir / f for name, f in names.items()}
