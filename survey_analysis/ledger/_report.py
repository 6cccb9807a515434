"""The ledger as a report section, and the ledger outputs (CSV, XLSX, PDF)."""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_dir
from ._analyze import LABELS, TABLE_TITLES, LedgerResults

__all__ = ["ledger_section", "ledger_report", "write_ledger_outputs", "OUTPUT_FILES"]

log = logging.getLogger(__name__)

OUTPUT_FILES = {name: f"ledger_{name}.csv" for name in TABLE_TITLES}
OUTPUT_FILES.update({"xlsx": "ledger_tables.xlsx", "pdf": "ledger_progress.pdf"})


def _period(res: LedgerResults) -> str:
    p = res.params
    return f"{p['period_start']:%Y-%m-%d} 至 {p['period_end']:%Y-%m-%d}，截至 {p['as_of']:%Y-%m-%d}"


def _cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _date_text(df: pd.DataFrame, missing="—") -> pd.DataFrame:
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d").astype(object).where(out[c].notna(), missing)
        elif pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].map({True: "是", False: "否"})
    return out


def ledger_section(results: LedgerResults, *, title: str = "访企拓岗促就业专项行动进展",
                   top_employers: int = 20, level: int = 1):
    """The ledger as one section of a report (progress bars, curves, behind list, tables).

    Parameters
    ----------
    results : LedgerResults
        From :func:`analyze_ledger`.
    title : str, default "访企拓岗促就业专项行动进展"
    top_employers : int, default 20
        Rows of the key-employer database shown.
    level : int, default 1

    Returns
    -------
    survey_analysis.report.model.Section
    """
    from ..report.charts import line_chart, progress_chart
    from ..report.model import BulletList, Heading, KeyFigures, Paragraph, Section, Table

    r = results
    p = r.params
    period = _period(r)
    unit = "家" if p["count_by"] == "employers" else "次"
    blocks: list = []
    lead = r.leaders
    appl = lead[lead["target_applies"]]
    unis = r.universities
    uappl = unis[unis["new_target_applies"]]
    blocks.append(Paragraph(
        f"依据教育部办公厅《关于开展全国高校书记校长访企拓岗促就业专项行动的通知》（教学厅函〔2022〕3号），"
        f"专项行动期为 {_cn(p['period_start'])}至 {_cn(p['period_end'])}。"
        f"书记、校长（院长）正职走访用人单位目标为每人 {p['target_visits']} {unit}；"
        f"就业去向落实率低于当地平均水平的高校，校领导班子新开拓用人单位目标为 {p['target_new']} 家。"
        f"本节按走访台账统计至 {p['as_of']:%Y-%m-%d}；同一单位的不同写法已合并，重复登记和行动期外的记录不计入。"
    ))
    blocks.append(KeyFigures([
        ("书记/校长达标", f"{int(appl['met_date'].notna().sum())} / {len(appl)} 人", f"目标 {p['target_visits']} {unit}"),
        ("走访落后", f"{int(appl['behind'].sum())} 人", None),
        ("新拓展单位达标高校", f"{int(uappl['new_met_date'].notna().sum())} / {len(uappl)} 所", f"目标 {p['target_new']} 家"),
        ("提供岗位", f"{unis['positions'].sum():,.0f} 个",
         f"签订实习基地 {int(unis['internship_bases'].sum())} 家"),
    ]))
    blocks.append(Heading("落后名单"))
    if len(r.behind):
        blocks.append(BulletList(list(r.behind["statement"])))
    else:
        blocks.append(Paragraph("没有落后的校领导或高校：所有适用目标均已完成或按当前进度可按期完成。"))
    met_late = uappl[uappl["new_met_date"].notna() & (uappl["new_met_date"].dt.month
                                                       == p["period_end"].month)]
    if len(met_late):
        blocks.append(Paragraph("在行动期最后一个月才完成新拓展目标的高校：" + "；".join(
            f"{u}（{d:%Y-%m-%d}）" for u, d in zip(met_late["university"], met_late["new_met_date"])) + "。"))

    blocks.append(Heading("校领导走访进度"))
    if len(appl):
        chart = appl.assign(who=appl["university"] + " " + appl["leader"],
                            done=appl["employers"] if p["count_by"] == "employers" else appl["visits"])
        blocks.append(progress_chart(chart, "who", "done", "target", title="书记、校长（院长）走访用人单位进度",
                                     caption_n=f"{len(appl)} 名校领导", period=period, unit=unit))
    cols = ["university", "leader", "role", "employers", "new_employers", "positions",
            "met_date", "projected_date", "status"]
    blocks.append(Table(_date_text(lead[cols]), "校领导走访进度", column_labels=LABELS,
                        formats={"positions": "int"},
                        note="走访单位数按合并后的不同单位计；预计达标日期按截至统计日的平均进度推算。",
                        highlight=list(lead["behind"])))
    curves = r.monthly[(r.monthly["level"] == "走访人") & r.monthly["cumulative"].notna()
                       & r.monthly["target"].notna()]
    if len(curves):
        c = curves.assign(line=curves["university"] + " " + curves["leader"])
        plan = r.monthly[(r.monthly["level"] == "走访人") & r.monthly["target"].notna()].drop_duplicates("month")
        plan = plan[plan["planned"].notna()]
        c = pd.concat([c[["month", "line", "cumulative"]],
                       pd.DataFrame({"month": plan["month"], "line": "计划进度",
                                     "cumulative": plan["planned"]})])
        blocks.append(line_chart(c, "month", "cumulative", group="line",
                                 title="书记、校长（院长）走访用人单位月度累计与计划进度",
                                 caption_n=f"{len(appl)} 名校领导",
                                 period=period, value_format="int", ylabel=f"累计（{unit}）"))

    blocks.append(Heading("高校新拓展用人单位、岗位与实习基地"))
    if len(uappl):
        blocks.append(progress_chart(uappl, "university", "new_employers", "target_new",
                                     title="新拓展用人单位进度", caption_n=f"{len(uappl)} 所高校",
                                     period=period, unit="家"))
    ucols = ["university", "leaders", "visits", "employers", "new_employers", "new_target_applies",
             "new_met_date", "positions", "internship_bases", "recruitment_events", "new_status"]
    blocks.append(Table(_date_text(unis[ucols]), "高校进度", column_labels=LABELS,
                        formats={"positions": "int"}, highlight=list(unis["behind"])))
    ucur = r.monthly[(r.monthly["level"] == "高校") & (r.monthly["metric"] == "新拓展用人单位（家）")
                     & r.monthly["target"].notna()]
    if len(ucur):
        act = ucur[ucur["cumulative"].notna()]
        plan = ucur.drop_duplicates("month")
        c = pd.concat([act[["month", "university", "cumulative"]].rename(columns={"university": "line"}),
                       pd.DataFrame({"month": plan["month"], "line": "计划进度",
                                     "cumulative": plan["planned"]})])
        blocks.append(line_chart(c, "month", "cumulative", group="line",
                                 title="新拓展用人单位月度累计与计划进度", caption_n=f"{len(uappl)} 所高校",
                                 period=period, value_format="int", ylabel="累计（家）"))

    blocks.append(Heading("重点单位数据库"))
    ke = r.key_employers.head(top_employers)
    kcols = [c for c in ["rank", "employer", "industry", "region", "visits", "n_universities",
                         "positions", "demand_headcount", "graduates_hired", "internship_base"]
             if c in ke.columns]
    blocks.append(Table(_date_text(ke[kcols]), f"重点单位（前 {len(ke)} 家）", column_labels=LABELS,
                        formats={"positions": "int", "demand_headcount": "int",
                                 "graduates_hired": "int"},
                        note="按提供岗位数、需求人数、录用毕业生数、走访次数排序；完整名单见 XLSX。"))
    if r.supply_demand is not None:
        blocks.append(Heading("分专业供需对比"))
        sd = r.supply_demand
        sd_cols = ["major_code", "major", "demand_headcount", "supply", "ratio", "reading"]
        blocks.append(Table(sd[sd_cols], "分专业需求与毕业生人数", column_labels=LABELS,
                            formats={"demand_headcount": "float1", "supply": "int", "ratio": "float2"},
                            note=(f"一条需求涉及多个专业时，需求人数{'平均分配到各专业' if p['allocate'] == 'split' else '全部计入每个专业'}；"
                                  f"需求/供给 大于 {p['ratio_bands'][1]} 为供不应求，小于 {p['ratio_bands'][0]} 为供过于求。"),
                            highlight=list(sd["reading"].str.contains("供不应求|供过于求", na=False))))
        if r.unmatched_majors is not None and len(r.unmatched_majors):
            blocks.append(Paragraph("未能匹配到专业代码的专业写法：" + "、".join(
                f"{t}（{s}，{n} 次）" for t, s, n in zip(r.unmatched_majors["token"],
                                                      r.unmatched_majors["source"],
                                                      r.unmatched_majors["rows"])) + "。"))
    blocks.append(Heading("数据质量"))
    if len(r.audit):
        counts = r.audit.groupby("check", sort=False).size()
        names = {"outside_period": "日期在行动期外", "date_invalid": "日期无效",
                 "role_missing": "职务为空", "duplicate_visit": "重复走访记录",
                 "negative_number": "数值为负", "not_a_number": "数值不是数字",
                 "missing_value": "必填项为空", "bad_flag": "是/否填写不规范",
                 "duplicate_demand": "重复需求记录", "major_unmatched": "专业未匹配"}
        blocks.append(Paragraph("审计发现：" + "；".join(f"{names.get(k, k)} {v} 处" for k, v in counts.items())
                                + "。每一处的行号、原值和处理方式见输出文件中的审计记录表（ledger_audit.csv / XLSX）。"))
    else:
        blocks.append(Paragraph("审计未发现问题。"))
    if r.notes:
        blocks.append(BulletList(list(r.notes)))
    return Section(title, blocks, level=level)


def ledger_report(results: LedgerResults):
    """A short stand-alone progress report (one section) for the PDF."""
    from ..report.model import Report

    p = results.params
    srcs = [Path(str(f)).name for f in (p.get("visits_file"), p.get("demand_file")) if f]
    return Report(
        title="访企拓岗促就业专项行动进展报告",
        subtitle="书记校长走访、新拓展用人单位与需求台账",
        meta={"date": f"{p['as_of']:%Y-%m-%d}", "sources": srcs},
        sections=[ledger_section(results)],
    )


def _xlsx(tables: dict, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "nan_inf_to_errors": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top"})
    for name, df in tables.items():
        ws = wb.add_worksheet(TABLE_TITLES[name][:31].replace("（", "(").replace("）", ")")
                              .replace("、", "_"))
        d = _date_text(df, None)
        for j, c in enumerate(d.columns):
            ws.write_string(0, j, str(c), head)
            width = max([len(str(c))] + [len(str(x)) for x in d[c].head(200)]) + 2
            ws.set_column(j, j, min(max(width, 6), 60))
        for i, row in enumerate(d.itertuples(index=False), start=1):
            for j, v in enumerate(row):
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    continue
                if isinstance(v, (bool, np.bool_)):
                    ws.write_string(i, j, "是" if v else "否")
                elif isinstance(v, (int, float, np.integer, np.floating)):
                    ws.write_number(i, j, float(v))
                else:
                    ws.write_string(i, j, str(v))
        ws.freeze_panes(1, 0)
    wb.close()


def _csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells Excel would run as a formula get a leading apostrophe."""
    out = _date_text(df, None)
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(
                lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r")
                and not _is_number(v) else v, na_action="ignore")
    return out


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def write_ledger_outputs(results: LedgerResults, out_dir, *, pdf: bool = True) -> dict:
    """Write every ledger table as CSV (UTF-8 with BOM), one XLSX workbook and the PDF.

    All files appear together or not at all (written in a temporary folder, then moved).

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
    tables = results.tables(labels=True)
    written = {}
    with atomic_dir(out_dir) as tmp:
        for name, df in tables.items():
            f = tmp / OUTPUT_FILES[name]
            _csv_safe(df).to_csv(f, index=False, encoding="utf-8-sig")
            written[name] = out_dir / OUTPUT_FILES[name]
        _xlsx(tables, tmp / OUTPUT_FILES["xlsx"])
        written["xlsx"] = out_dir / OUTPUT_FILES["xlsx"]
        if pdf:
            from ..report import render

            render(ledger_report(results), tmp, formats=("pdf",), basename="ledger_progress")
            written["pdf"] = out_dir / OUTPUT_FILES["pdf"]
    return written
