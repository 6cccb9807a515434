"""Writers that save label answers the way survey platforms export them.

Every writer takes the questionnaire definition (:func:`load_questionnaire`), the label answers
(one column per question or matrix row, keyed by the canonical field, values as a 问卷星 text
export shows them: multi-select joined by ``┋``, "other" as ``其他〖…〗``, missing as NA) and
the system columns (序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP; taken from ``answers``
when ``system`` is None).  Files are written atomically.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import atomic_path
from ._questionnaire import answer_columns, choice_options, is_shown_logic

__all__ = [
    "write_wjx_text", "write_wjx_numeric", "write_vendor_two_header", "write_csv_gbk",
    "write_tencent", "write_sav", "wjx_header", "SKIPPED", "NOT_SHOWN",
]

SKIPPED = -2  # 问卷星 numeric export: question shown but not answered
NOT_SHOWN = -3  # 问卷星 numeric export: question not shown (skip logic)
_OTHER = re.compile(r"^(?P<opt>[^〖]+)〖(?P<text>.*)〗$")
_SYSTEM = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
_FIXED_TIME = datetime(2025, 7, 1, 9, 0, 0)


def _missing(v) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _split_other(v: str) -> tuple[str, str | None]:
    m = _OTHER.match(v)
    return (m.group("opt"), m.group("text")) if m else (v, None)


def _system(answers: pd.DataFrame, system: pd.DataFrame | None) -> pd.DataFrame:
    if system is not None:
        if len(system) != len(answers):
            raise ValueError("system and answers must have the same number of rows")
        return system.reset_index(drop=True)
    have = [c for c in _SYSTEM if c in answers.columns]
    sys_df = answers[have].reset_index(drop=True)
    if "序号" not in sys_df.columns:
        sys_df.insert(0, "序号", np.arange(1, len(answers) + 1))
    return sys_df


def _fmt_time(v) -> str:
    if _missing(v):
        return ""
    t = pd.Timestamp(v)
    return f"{t.year}/{t.month}/{t.day} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def _wjx_system_values(sys_df: pd.DataFrame) -> list[list]:
    out = []
    for r in sys_df.to_dict("records"):
        vals = []
        for c in _SYSTEM:
            v = r.get(c)
            if c == "序号":
                vals.append(int(v))
            elif c == "提交答卷时间":
                vals.append(_fmt_time(v))
            elif c == "所用时间":
                vals.append("" if _missing(v) else f"{int(v)}秒")
            else:
                vals.append("" if _missing(v) else str(v))
        out.append(vals)
    return out


def wjx_header(q: dict, row_label: str | None = None) -> str:
    """The 问卷星 text-export header: ``N、题干`` or ``N、题干—行标签`` for a matrix row."""
    head = f"{q['number']}、{q['text']}"
    return f"{head}—{row_label}" if row_label is not None else head


def _plain(v):
    """A cell value for a text file: numbers stay numbers, NA becomes empty."""
    if _missing(v):
        return ""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def _write_xls(path: Path, header: list[str], rows: list[list], sheet: str = "Sheet1") -> None:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    for j, h in enumerate(header):
        ws.write(0, j, h)
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, (bool, np.bool_)):
                v = int(v)
            if isinstance(v, (np.integer, np.floating)):
                v = v.item()
            ws.write(i, j, v)
    with atomic_path(path) as tmp:
        wb.save(str(tmp))


def write_wjx_text(path, questionnaire: dict, answers: pd.DataFrame, system: pd.DataFrame | None = None) -> Path:
    """Write a 问卷星 "按文本" export (.xls, BIFF8, sheet ``Sheet1``).

    Headers ``N、题干`` (matrix rows ``N、题干—行标签``); answers as text, multi-select joined by
    ``┋``, other as ``其他〖…〗``; empty cells for unanswered and not-shown questions.
    """
    path = Path(path)
    sys_df = _system(answers, system)
    cols = [(key, wjx_header(q, lab)) for q in questionnaire["questions"] for key, lab in answer_columns(q)]
    header = list(_SYSTEM) + [h for _, h in cols]
    sys_vals = _wjx_system_values(sys_df)
    rows = []
    for i, r in enumerate(answers.reset_index(drop=True).to_dict("records")):
        rows.append(sys_vals[i] + [_plain(r.get(k)) for k, _ in cols])
    _write_xls(path, header, rows)
    return path


def numeric_columns(questionnaire: dict) -> list[tuple[str, dict, str | None]]:
    """Columns of the 问卷星 "按序号" export: ``(header, question, option_or_row_key)``."""
    out = []
    for q in questionnaire["questions"]:
        n = q["number"]
        if q["type"] == "multi":
            for opt in q["options"]:
                out.append((f"第{n}题({opt})", q, opt))
        elif q["type"] == "matrix":
            for key, lab in answer_columns(q):
                out.append((f"第{n}题({lab})", q, key))
        else:
            out.append((wjx_header(q), q, None))
    return out


def numeric_row(questionnaire: dict, row: dict) -> list:
    """One respondent's values in the 按序号 layout (codes, 0/1, -2 skipped, -3 not shown)."""
    empty = all(_missing(row.get(key)) for q in questionnaire["questions"] for key, _ in answer_columns(q))
    vals = []
    for header, q, sub in numeric_columns(questionnaire):
        shown = empty or is_shown_logic(q, row)
        if q["type"] == "multi":
            v = row.get(q["field"])
            if not shown:
                vals.append(NOT_SHOWN)
            elif _missing(v):
                vals.append(SKIPPED)
            else:
                chosen = {_split_other(x)[0] for x in str(v).split("┋")}
                vals.append(1 if sub in chosen else 0)
            continue
        key = sub if q["type"] == "matrix" else q["field"]
        v = row.get(key)
        if not shown:
            vals.append(NOT_SHOWN)
        elif _missing(v):
            vals.append("" if q["type"] == "open" else SKIPPED)
        elif q["type"] in ("single", "matrix", "rating"):
            opts = choice_options(q)
            vals.append(opts.index(_split_other(str(v))[0]) + 1)
        else:
            vals.append(_plain(v))
    return vals


def write_wjx_numeric(path, questionnaire: dict, answers: pd.DataFrame, system: pd.DataFrame | None = None) -> Path:
    """Write a 问卷星 "按序号" export (.xls): option numbers 1..k, multi-select as 0/1 columns
    ``第N题(选项)``, matrix rows as ``第N题(行)`` (scale order: 1 = first label, 无法评价 = k),
    -2 = skipped, -3 = not shown (skip logic); open text as is."""
    path = Path(path)
    sys_df = _system(answers, system)
    header = list(_SYSTEM) + [h for h, _, _ in numeric_columns(questionnaire)]
    sys_vals = _wjx_system_values(sys_df)
    rows = []
    for i, r in enumerate(answers.reset_index(drop=True).to_dict("records")):
        rows.append(sys_vals[i] + numeric_row(questionnaire, r))
    _write_xls(path, header, rows)
    return path


def _label_value(q: dict, v, multi_sep: str):
    if _missing(v):
        return ""
    if q["type"] == "multi":
        return multi_sep.join(str(v).split("┋"))
    return _plain(v)


def _xlsx(path: Path, header_rows: list[list], rows: list[list], sheet: str = "Sheet1") -> None:
    import xlsxwriter

    with atomic_path(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_urls": False})
        wb.set_properties({"created": _FIXED_TIME, "author": "survey_analysis"})
        ws = wb.add_worksheet(sheet)
        r0 = 0
        for hr in header_rows:
            for j, h in enumerate(hr):
                ws.write_string(r0, j, str(h))
            r0 += 1
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if v is None or v == "":
                    continue
                if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                    ws.write_number(r0 + i, j, float(v))
                else:
                    ws.write_string(r0 + i, j, str(v))
        ws.freeze_panes(len(header_rows), 0)
        wb.close()


def write_vendor_two_header(path, questionnaire: dict, answers: pd.DataFrame,
                            system: pd.DataFrame | None = None, *, multi_sep: str = "|") -> Path:
    """Write a school-system / vendor export (.xlsx) with two header rows.

    Row 1: question codes from the questionnaire (``Q4``, ``A1``, matrix rows ``B7-1``, ``B7-2``…)
    and system codes (``ID``, ``SFZH``, ``SUBMIT_TIME``, ``DURATION``, ``IP``); row 2: the texts
    (序号, 身份证号, 提交时间, 答题时长（秒）, IP; ``题干`` and ``题干—行标签``).  Answers as labels;
    multi-select joined by ``multi_sep``; skipped and not shown are empty.
    """
    path = Path(path)
    sys_df = _system(answers, system)
    sys_recs = sys_df.to_dict("records")
    ans = answers.reset_index(drop=True)
    codes = ["ID"]
    texts = ["序号"]
    has_id = "身份证号" in ans.columns
    if has_id:
        codes.append("SFZH")
        texts.append("身份证号")
    codes += ["SUBMIT_TIME", "DURATION", "IP"]
    texts += ["提交时间", "答题时长（秒）", "IP"]
    cols = []
    for q in questionnaire["questions"]:
        code = q.get("code") or f"Q{q['number']}"
        if q["type"] == "matrix":
            for j, (key, lab) in enumerate(answer_columns(q), start=1):
                cols.append((key, q, f"{code}-{j}", f"{q['text']}—{lab}"))
        else:
            cols.append((q["field"], q, code, q["text"]))
    codes += [c[2] for c in cols]
    texts += [c[3] for c in cols]
    rows = []
    for i, r in enumerate(ans.to_dict("records")):
        s = sys_recs[i]
        vals = [int(s["序号"])]
        if has_id:
            vals.append(_plain(r.get("身份证号")))
        t = s.get("提交答卷时间")
        vals.append("" if _missing(t) else pd.Timestamp(t).strftime("%Y-%m-%d %H:%M:%S"))
        vals.append(_plain(s.get("所用时间")))
        ip = s.get("来自IP")
        vals.append("" if _missing(ip) else str(ip).split("(")[0])
        vals += [_label_value(q, r.get(key), multi_sep) for key, q, _, _ in cols]
        rows.append(vals)
    _xlsx(path, [codes, texts], rows)
    return path


def plain_header(q: dict, row_label: str | None = None) -> str:
    """The header of a generic table: the question text, ``题干—行标签`` for matrix rows."""
    return f"{q['text']}—{row_label}" if row_label is not None else q["text"]


def write_csv_gbk(path, questionnaire: dict, answers: pd.DataFrame, system: pd.DataFrame | None = None,
                  *, encoding: str = "gb18030", multi_sep: str = "；") -> Path:
    """Write a generic table as Excel on Chinese Windows saves a CSV: GB18030/GBK, no BOM, CRLF.

    Plain headers (序号, 提交时间, then question texts; matrix rows ``题干—行标签``); answers as
    labels, multi-select joined by ``multi_sep``.
    """
    path = Path(path)
    sys_df = _system(answers, system)
    sys_recs = sys_df.to_dict("records")
    cols = [(key, q, plain_header(q, lab)) for q in questionnaire["questions"] for key, lab in answer_columns(q)]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["序号", "提交时间"] + [c[2] for c in cols])
    for i, r in enumerate(answers.reset_index(drop=True).to_dict("records")):
        s = sys_recs[i]
        t = s.get("提交答卷时间")
        w.writerow([int(s["序号"]), "" if _missing(t) else pd.Timestamp(t).strftime("%Y/%m/%d %H:%M")]
                   + [_label_value(q, r.get(key), multi_sep) for key, q, _ in cols])
    data = buf.getvalue().encode(encoding)
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


_UA = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49",
    "Mozilla/5.0 (Linux; Android 14; V2307A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
]


def write_tencent(path, questionnaire: dict, answers: pd.DataFrame, system: pd.DataFrame | None = None) -> Path:
    """Write a 腾讯问卷 export (.xlsx).

    System columns 编号, 开始答题时间, 结束答题时间, 答题时长, 地理位置, IP, UA; headers ``N.题干``
    (matrix rows ``N.题干:行标签``); single answers with their letter prefix (``A.很满意``); a
    multi-select as one column per option ``N.题干:选项`` holding the prefixed option when chosen.
    """
    path = Path(path)
    sys_df = _system(answers, system)
    sys_recs = sys_df.to_dict("records")
    header = ["编号", "开始答题时间", "结束答题时间", "答题时长", "地理位置", "IP", "UA"]
    cols = []
    for q in questionnaire["questions"]:
        n = q["number"]
        if q["type"] == "multi":
            for j, opt in enumerate(q["options"]):
                cols.append(("multi", q, opt, f"{n}.{q['text']}:{opt}"))
        elif q["type"] == "matrix":
            for key, lab in answer_columns(q):
                cols.append(("choice", q, key, f"{n}.{q['text']}:{lab}"))
        else:
            cols.append(("choice" if q["type"] in ("single", "rating") else "plain", q, q["field"],
                         f"{n}.{q['text']}"))
    header += [c[3] for c in cols]
    rows = []
    for i, r in enumerate(answers.reset_index(drop=True).to_dict("records")):
        s = sys_recs[i]
        end = s.get("提交答卷时间")
        dur = s.get("所用时间")
        start = "" if _missing(end) or _missing(dur) else (
            pd.Timestamp(end) - pd.Timedelta(seconds=int(dur))).strftime("%Y-%m-%d %H:%M:%S")
        ip_full = "" if _missing(s.get("来自IP")) else str(s.get("来自IP"))
        ip, _, place = ip_full.partition("(")
        place = place.rstrip(")").replace("-", "")
        vals = [int(s["序号"]), start,
                "" if _missing(end) else pd.Timestamp(end).strftime("%Y-%m-%d %H:%M:%S"),
                "" if _missing(dur) else f"{int(dur) // 60}分{int(dur) % 60}秒",
                f"中国{place}" if place else "", ip, _UA[int(s["序号"]) % len(_UA)]]
        for kind, q, key, _ in cols:
            if kind == "multi":
                v = r.get(q["field"])
                chosen = [] if _missing(v) else [_split_other(x)[0] for x in str(v).split("┋")]
                j = q["options"].index(key)
                vals.append(f"{chr(65 + j)}.{key}" if key in chosen else "")
            elif kind == "choice":
                v = r.get(key)
                if _missing(v):
                    vals.append("")
                else:
                    opt, other = _split_other(str(v))
                    j = choice_options(q).index(opt)
                    vals.append(f"{chr(65 + j)}.{opt}" + (f"({other})" if other else ""))
            else:
                vals.append(_plain(r.get(key)))
        rows.append(vals)
    _xlsx(path, [header], rows, sheet="Sheet1")
    return path


def write_sav(path, questionnaire: dict, answers: pd.DataFrame, system: pd.DataFrame | None = None) -> Path:
    """Write an SPSS ``.sav`` file (pyreadstat) with variable and value labels.

    Variables ``Q<N>`` (matrix rows ``Q<N>_<i>``, multi-select options ``Q<N>_<i>`` coded 0/1);
    choice answers coded 1..k as in the 问卷星 numeric export, with value labels; missing = system
    missing.  Also 序号 as ``seq`` and the submission time as ``submit_time``.
    """
    import pyreadstat

    path = Path(path)
    sys_df = _system(answers, system)
    ans = answers.reset_index(drop=True)
    data = {"seq": sys_df["序号"].astype(float).to_numpy()}
    col_labels = ["序号"]
    value_labels = {}
    if "提交答卷时间" in sys_df.columns:
        data["submit_time"] = [_fmt_time(v) for v in sys_df["提交答卷时间"]]
        col_labels.append("提交答卷时间")
    for q in questionnaire["questions"]:
        n = q["number"]
        if q["type"] == "multi":
            for j, opt in enumerate(q["options"], start=1):
                name = f"Q{n}_{j}"
                vals = []
                for v in ans[q["field"]]:
                    if _missing(v):
                        vals.append(np.nan)
                    else:
                        vals.append(1.0 if opt in {_split_other(x)[0] for x in str(v).split("┋")} else 0.0)
                data[name] = vals
                col_labels.append(f"{q['text']}:{opt}")
                value_labels[name] = {0.0: "未选", 1.0: "选中"}
        elif q["type"] in ("single", "matrix", "rating"):
            opts = choice_options(q)
            for j, (key, lab) in enumerate(answer_columns(q), start=1):
                name = f"Q{n}_{j}" if q["type"] == "matrix" else f"Q{n}"
                data[name] = [np.nan if _missing(v) else float(opts.index(_split_other(str(v))[0]) + 1)
                              for v in ans[key]]
                col_labels.append(f"{q['text']}—{lab}" if lab else q["text"])
                value_labels[name] = {float(k + 1): o for k, o in enumerate(opts)}
        elif q["type"] == "numeric":
            data[f"Q{n}"] = pd.to_numeric(ans[q["field"]], errors="coerce").astype(float).to_numpy()
            col_labels.append(q["text"])
        else:
            data[f"Q{n}"] = ["" if _missing(v) else str(v) for v in ans[q["field"]]]
            col_labels.append(q["text"])
    df = pd.DataFrame(data)
    for c in df.columns:
        if df[c].dtype != float:
            df[c] = df[c].astype(object)
    with atomic_path(path) as tmp:
        pyreadstat.write_sav(df, str(tmp), column_labels=col_labels, variable_value_labels=value_labels)
    return path
