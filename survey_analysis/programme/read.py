"""Read a training programme (人才培养方案) — course table and support matrix — as schools keep it.

Layouts understood (one file may mix them, sheet by sheet):

* **one sheet per major** (the sheet's name, a title row "××专业…" above the header, or the
  mapping file says which major), or **one sheet with a 专业 column**;
* **wide matrix**: a row per course, a column per 毕业要求 / indicator point / ability; two
  header rows (a merged "毕业要求3 设计/开发解决方案" above "3-1 3-2 3-3") are joined;
* **long table**: a row per course and requirement with a 支撑强度 column;
* marks: H/M/L, 高/中/低, 强/中/弱, ●/◐/○, √ (support of unstated strength, counted as strong)
  or numbers in (0, 1]; blank, "-" and "/" are no support.  The mapping file may add marks.

Course-table columns are found by their headers (课程名称, 课程代码, 学分, 开课学期, 课程性质,
课程类别, 核心课程 …); rows that only name a module ("一、通识教育课程") set the category of the
rows below; 小计/合计 rows are skipped.  A 专业核心课程 is marked by a 核心课程 column or a
category/kind naming 核心.

Every problem of the file is a :class:`~survey_analysis.errors.ReadError` naming the file, sheet,
row and column, what was expected and what was found; nothing is dropped silently: what could not
be mapped or was left out is listed in :attr:`Programme.unmapped`.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReadError
from .mapping import ProgrammeMapping, load_mapping, norm, resolve_requirement, split_header
from .model import (COURSE_COLUMNS, LINK_COLUMNS, REQUIREMENT_COLUMNS, SUPPORT_COLUMNS, UNMAPPED_COLUMNS, CourseSettings,
                    Programme)

__all__ = ["read_programme", "DEFAULT_STRENGTHS", "parse_strength"]

#: marks of a support matrix → strength (1 strong, 0.5 medium, 0.3 weak); √ states no strength
#: and counts as strong (the course is declared to support the requirement)
DEFAULT_STRENGTHS = {"H": 1.0, "M": 0.5, "L": 0.3, "高": 1.0, "中": 0.5, "低": 0.3, "强": 1.0, "弱": 0.3,
                     "●": 1.0, "◐": 0.5, "○": 0.3, "√": 1.0, "✓": 1.0, "✔": 1.0}
_EMPTY = {"", "-", "—", "/", "／", "×", "NAN", "NONE", "无", "0"}

_ROLES = {
    "major": r"专业|专业名称|所属专业|专业方向",
    "course": r"课程名称|课程名|课程|课程中文名称|课程\(环节\)名称|课程（环节）名称|课程/环节",
    "course_code": r"课程代码|课程编号|课程号|课程编码",
    "credits": r"学分|学分数",
    "semester": r"开课学期|学期|建议修读学期|修读学期|开设学期|建议学期",
    "kind": r"课程性质|修读性质|性质|修读要求|必修/选修|必修选修|必/选修",
    "category": r"课程类别|课程类型|类别|课程模块|模块|课程平台|平台",
    "core": r"核心课程|是否核心课程|是否核心|核心|专业核心课程",
    "requirement": r"毕业要求|支撑的毕业要求|对应毕业要求|能力|对应能力|指标点|毕业要求指标点",
    "strength": r"支撑强度|强度|支撑程度|支撑权重|权重|关联度",
}
_ROLE_RE = {k: re.compile(f"^(?:{v})$") for k, v in _ROLES.items()}
_IGNORE = re.compile(r"^(?:序号|编号|备注|说明|学时|总学时|理论学时|实践学时|实验学时|上机学时|课内学时|课外学时|周数|考核方式|"
                     r"考核|开课单位|开课学院|开课部门|课程负责人|英文名称|课程英文名称)$")
_TOTAL = re.compile(r"^(?:小计|合计|总计|学分合计|学分小计|总学分|共计)")
_INDICATOR = re.compile(r"^\d{1,2}\s*[.\-－—–_]\s*\d{1,2}$")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_TRUE = {"是", "√", "✓", "✔", "●", "Y", "YES", "1", "核心", "★", "*", "TRUE"}
_GENERIC_SHEET = re.compile(r"^(?:sheet|工作表|表)\s*\d*$", re.I)


def _text(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def parse_strength(v, extra: dict | None = None) -> float | None:
    """The strength of one matrix cell: a number in (0, 1], or ``None`` (no support); raises
    ``ValueError`` for anything else.

    Examples
    --------
    >>> parse_strength("H"), parse_strength("◐"), parse_strength(0.3), parse_strength("")
    (1.0, 0.5, 0.3, None)
    """
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if np.isnan(v) or v == 0:
            return None
        if 0 < v <= 1:
            return float(v)
        raise ValueError(v)
    s = norm(v).upper() if v is not None else ""
    if s in _EMPTY:
        return None
    table = {**DEFAULT_STRENGTHS, **(extra or {})}
    if s in table:
        return table[s]
    try:
        x = float(s)
    except ValueError:
        raise ValueError(v) from None
    if 0 < x <= 1:
        return x
    raise ValueError(v)


def _semester(v) -> float:
    s = _text(v)
    m = re.search(r"\d+", s)
    if m:
        x = int(m.group())
        return float(x) if 1 <= x <= 12 else np.nan
    for ch in s:
        if ch in _CN_NUM:
            return float(_CN_NUM[ch])
    return np.nan


def _credits(v, where: dict) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        x = float(v)
    else:
        s = norm(_text(v))
        if s == "":
            return np.nan
        nums = re.findall(r"\d+(?:\.\d+)?", s)
        if not nums or not re.fullmatch(r"[\d.+学分()（）周]*", s):
            raise ReadError("学分不是数字", expected="如 3、2.5 或 2+1", found=_text(v), **where,
                            hint="请把学分列改成数字。")
        x = float(sum(float(n) for n in nums)) if "+" in s else float(nums[0])
    if np.isnan(x):
        return np.nan
    if not 0 <= x <= 40:
        raise ReadError("学分超出合理范围", expected="0 到 40 之间", found=_text(v), **where)
    return x


# ----------------------------------------------------------------------------------------
# sheets
# ----------------------------------------------------------------------------------------
def _grids(path: Path) -> list:
    from ..io import read_grids

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xls", ".xlsm", ".ods"):
        raise ReadError(f"不支持的培养方案文件格式：{path.suffix or '（无扩展名）'}", file=path,
                        expected=".xlsx、.xls 或 .csv", hint="请在 Excel / WPS 中另存为 .xlsx。")
    grids = read_grids(path)  # every check of a bad file happens here
    if suffix in (".csv", ".txt"):
        grids[0].sheet = None
    return grids


def _roles(headers: list, mapping: ProgrammeMapping) -> dict:
    """Column position → role for the header cells (the mapping's ``columns`` win)."""
    by_name = {v: k for k, v in mapping.columns.items()}
    out = {}
    for j, h in enumerate(headers):
        h = norm(h)
        if not h:
            continue
        if h in by_name:
            out[j] = by_name[h]
            continue
        for role, rx in _ROLE_RE.items():
            if rx.match(h) and role not in out.values():
                out[j] = role
                break
    return out


def _header_row(cells: pd.DataFrame, mapping: ProgrammeMapping) -> int | None:
    course = mapping.columns.get("course")
    for i in range(min(len(cells), 20)):
        for v in cells.iloc[i]:
            h = norm(_text(v))
            if h and ((course and h == course) or (not course and _ROLE_RE["course"].match(h))):
                return i
    return None


def _sub_header(cells: pd.DataFrame, h: int, roles: dict) -> list | None:
    """The indicator-point row under a merged requirement header, when there is one."""
    if h + 1 >= len(cells):
        return None
    below = [_text(v) for v in cells.iloc[h + 1]]
    course_col = next(j for j, r in roles.items() if r == "course")
    if below[course_col]:
        return None
    hits = sum(bool(_INDICATOR.match(norm(x))) for x in below)
    return below if hits >= 2 else None


def _sheet_major(grid, title_rows: list, mapping: ProgrammeMapping, n_sheets: int, path: Path) -> str | None:
    sheet = grid.sheet
    if sheet is not None and sheet in mapping.sheets:
        return mapping.sheets[sheet]
    if mapping.major:
        return mapping.major
    if sheet and not _GENERIC_SHEET.match(sheet) and (n_sheets > 1 or not title_rows):
        return norm(re.sub(r"(专业)?(课程)?(支撑)?(矩阵|课程表|培养方案).*$", "", sheet)) or sheet
    for t in title_rows:
        m = re.search(r"([\u4e00-\u9fff（）()A-Za-z]{2,20}?)专业", t)
        if m:
            return norm(m.group(1))
    if sheet and not _GENERIC_SHEET.match(sheet):
        return norm(sheet)
    return None


class _Sheet:
    """One sheet's rows as course records and matrix cells (problems collected, not raised)."""

    def __init__(self, grid, path: Path, mapping: ProgrammeMapping, n_sheets: int):
        self.grid, self.path, self.mapping = grid, path, mapping
        self.courses: list = []
        self.support: list = []
        self.columns: dict = {}  # position -> (header, parent)
        self.ignored: list = []
        self.bad: list = []
        self.majors_seen: list = []
        cells = grid.cells
        h = _header_row(cells, mapping)
        self.ok = h is not None
        if not self.ok:
            return
        headers = [_text(v) for v in cells.iloc[h]]
        roles = _roles(headers, mapping)
        sub = _sub_header(cells, h, roles)
        start = h + (2 if sub is not None else 1)
        title = [" ".join(_text(v) for v in cells.iloc[i] if _text(v)) for i in range(h)]
        self.major = None if "major" in roles.values() else _sheet_major(grid, title, mapping, n_sheets, path)
        if self.major is None and "major" not in roles.values():
            raise ReadError(f"无法确定工作表「{grid.sheet or path.name}」是哪个专业的培养方案", file=path,
                            sheet=grid.sheet, expected="工作表名为专业名、表头上方有“××专业”标题、有“专业”列，或映射文件写明 major / sheets",
                            found=f"工作表名「{grid.sheet}」" if grid.sheet else "CSV 文件",
                            hint="在映射文件中写 major: 专业名（或 sheets: {工作表名: 专业名}），用 --programme-mapping 指定。")
        self._columns(headers, sub, roles)
        self._rows(cells, start, roles)

    def _where(self, i: int, j: int | None = None) -> dict:
        col = None if j is None else (self.columns.get(j, (None,))[0] or f"第 {j + 1} 列")
        return {"file": self.path, "sheet": self.grid.sheet, "row": int(self.grid.row_numbers[i]), "column": col}

    def _columns(self, headers, sub, roles) -> None:
        parent = None
        last_role = max(roles) if roles else -1
        for j, head in enumerate(headers):
            if j in roles:
                continue
            nh = norm(head)
            if nh and (_IGNORE.match(nh) or nh in self.mapping.ignore):
                continue
            if j > last_role and nh:
                parent = head
            low = norm(sub[j]) if sub is not None and j < len(sub) else ""
            if low:
                self.columns[j] = (low, parent if parent and norm(parent) != low else None)
            elif nh:
                self.columns[j] = (head, None)
        self.roles = roles

    def _rows(self, cells: pd.DataFrame, start: int, roles: dict) -> None:
        col = {r: j for j, r in roles.items()}
        category, major = None, self.major
        long = "requirement" in col
        raw: dict = {j: [] for j in self.columns}
        self.majors_seen: list = []
        for i in range(start, len(cells)):
            row = cells.iloc[i].tolist()
            name = norm(_text(row[col["course"]]))
            others = [j for j in range(len(row)) if j != col["course"] and _text(row[j])]
            if "major" in col and _text(row[col["major"]]):
                major = norm(_text(row[col["major"]]))
            if not name:
                if any(j in self.columns for j in others):
                    self.bad.append((self._where(i, col["course"]), "这一行有支撑标记但没有课程名称", ""))
                continue
            if _TOTAL.match(name):
                continue
            if not others or (len(others) == 1 and others[0] == col.get("major")):
                category = re.sub(r"^[一二三四五六七八九十\d]+[、.．)）]\s*", "", name)  # a module heading row
                continue
            if major is None:
                self.bad.append((self._where(i, col.get("major", col["course"])), "这一行没有专业", ""))
                continue
            if major not in self.majors_seen:
                self.majors_seen.append(major)
            rec = self._course(row, i, col, name, major, category)
            rec["_long"] = long  # a long table repeats a course on each of its requirement rows
            self.courses.append(rec)
            if long:
                self._long_cell(row, i, col, rec)
            else:
                for j in self.columns:
                    raw[j].append((i, row[j] if j < len(row) else None, rec))
        for j, cells_j in raw.items():
            self._column(j, cells_j)

    def _column(self, j: int, cells_j: list) -> None:
        """A matrix column's marks; a column without a single mark but with text is not part of the matrix."""
        head, parent = self.columns[j]
        parsed, bad = [], []
        for i, value, rec in cells_j:
            try:
                parsed.append((parse_strength(value, self.mapping.strengths), value, rec))
            except ValueError:
                bad.append((self._where(i, j), "支撑矩阵中有无法识别的标记", _text(value)))
        if bad and not any(x is not None for x, _, _ in parsed):
            self.ignored.append((head, f"内容不是可识别的支撑标记（如「{bad[0][2]}」），已忽略；若这是支撑标记，"
                                       f"请在映射文件 strengths: 中写明其强度"))
            return
        self.bad += bad
        for x, value, rec in parsed:
            if x is not None:
                self.support.append({"major": rec["major"], "course": rec["course"], "header": head, "parent": parent,
                                     "strength": x, "mark": _text(value)})

    def _course(self, row, i, col, name, major, category) -> dict:
        def get(role):
            return row[col[role]] if role in col and col[role] < len(row) else None

        kind, cat = _text(get("kind")), _text(get("category")) or category or ""
        core_mark = norm(_text(get("core"))).upper()
        core = core_mark in _TRUE or "核心" in kind or "核心" in cat
        credits = _credits(get("credits"), self._where(i, col.get("credits"))) if "credits" in col else np.nan
        return {"major": major, "course": re.sub(r"^《(.*)》$", r"\1", name), "course_code": _text(get("course_code")),
                "credits": credits, "semester": _semester(get("semester")), "semester_text": _text(get("semester")),
                "kind": kind, "category": cat, "core": bool(core), "sheet": self.grid.sheet or "",
                "row": int(self.grid.row_numbers[i])}

    def _long_cell(self, row, i, col, rec) -> None:
        head = _text(row[col["requirement"]])
        if not head:
            return
        value = row[col["strength"]] if "strength" in col else "√"
        try:
            s = parse_strength(value, self.mapping.strengths)
        except ValueError:
            self.bad.append((self._where(i, col.get("strength")), "支撑强度无法识别", _text(value)))
            return
        if s is not None:
            self.support.append({"major": rec["major"], "course": rec["course"], "header": head, "parent": None,
                                 "strength": s, "mark": _text(value)})


def _raise_bad(bad: list, path: Path) -> None:
    where, what, found = bad[0]
    more = f"（共 {len(bad)} 处，其余在" + "、".join(
        f"{w['sheet'] + ' ' if w['sheet'] else ''}第 {w['row']} 行" for w, _, _ in bad[1:6]) + ("…" if len(bad) > 6 else "") \
        + "）" if len(bad) > 1 else ""
    expected = ("H/M/L、高/中/低、强/中/弱、●/◐/○、√，或 0 到 1 之间的数字；空白表示不支撑"
                if "标记" in what or "强度" in what else None)
    raise ReadError(what + more, **where, expected=expected, found=found or None,
                    hint="请改正这些单元格；若学校用别的符号，在映射文件 strengths: 中写明其强度（如 {◎: 1.0}）。")


def _requirements(pairs: list, mapping: ProgrammeMapping, taxonomy, threshold: float) -> tuple:
    """Requirements, their competency links and what could not be mapped, for every
    ``(major, header, parent)`` of the matrices (a column without marks is still a requirement)."""
    reqs, links, unmapped, header_to_req = [], [], [], {}
    for m, head, parent in dict.fromkeys(pairs):
        r = resolve_requirement(head, parent, mapping, taxonomy)
        header_to_req[(m, head, parent)] = r["requirement"]
        reqs.append({"major": m, "requirement": r["requirement"], "label": r["label"], "mapped": bool(r["competencies"]),
                     "how": r["how"], "threshold": threshold})
        for c in r["competencies"]:
            links.append({"major": m, "requirement": r["requirement"], "competency_id": c,
                          "competency": taxonomy.name(c)})
        if not r["competencies"]:
            unmapped.append({"major": m, "sheet": "", "column": str(head), "what": "毕业要求/能力列", "reason": r["reason"]})
    req = pd.DataFrame(reqs, columns=REQUIREMENT_COLUMNS).drop_duplicates(["major", "requirement"])
    req = req.astype({"major": object, "requirement": object, "label": object, "mapped": bool})
    lk = pd.DataFrame(links, columns=LINK_COLUMNS, dtype=object).drop_duplicates()
    um = pd.DataFrame(unmapped, columns=UNMAPPED_COLUMNS).drop_duplicates(["major", "column"])
    return req.reset_index(drop=True), lk.reset_index(drop=True), um, header_to_req


def read_programme(path, *, mapping=None, settings: CourseSettings | None = None, taxonomy=None) -> Programme:
    """Read a programme file (XLSX/XLS/CSV) into a :class:`Programme`.

    Parameters
    ----------
    path : str or Path
    mapping : path, dict or ProgrammeMapping, optional
        A mapping file (see :func:`~survey_analysis.programme.mapping.load_mapping`): the major
        of a sheet, column roles, requirement → competency ids, extra marks, the threshold.
    settings : CourseSettings, optional
        Its ``threshold`` is the attainment threshold when the mapping states none.
    taxonomy : Taxonomy, optional
        Default: the package's competency taxonomy.

    Raises
    ------
    ReadError
        The file is missing, not a table, has no course-name column, a sheet whose major cannot
        be told, an unrecognised mark, a credit that is not a number (file, sheet, row and
        column named).
    ConfigError
        A bad mapping file.

    Examples
    --------
    >>> from survey_analysis.datasets import sample_paths     # doctest: +SKIP
    >>> prog = read_programme(sample_paths()["programme"])   # doctest: +SKIP
    >>> prog.summary()                                       # doctest: +SKIP
    """
    from ..text import load_taxonomy

    path = Path(path)
    if not path.exists():
        raise ReadError("培养方案文件不存在", file=path, hint="请检查 --programme 的路径。")
    if path.is_dir():
        raise ReadError("培养方案路径是一个文件夹，不是文件", file=path)
    taxonomy = taxonomy or load_taxonomy()
    mp = load_mapping(mapping, taxonomy=taxonomy)
    settings = settings or CourseSettings()
    grids = _grids(path)
    sheets = [_Sheet(g, path, mp, len(grids)) for g in grids if not (g.sheet in mp.sheets and mp.sheets[g.sheet] is None)]
    used = [s for s in sheets if s.ok]
    if not used:
        first = grids[0].cells.head(5).fillna("").astype(str).agg(" | ".join, axis=1).tolist()
        raise ReadError("找不到课程名称列：这不像培养方案的课程表或支撑矩阵", file=path,
                        expected="表头中有“课程名称”（或“课程”）列，其后是各项毕业要求/能力的支撑列",
                        found="前几行：" + "；".join(x for x in first if x.strip()),
                        hint="若课程列的标题不同，在映射文件 columns: {course: 你的列名} 中写明。")
    bad = [b for s in used for b in s.bad]
    if bad:
        _raise_bad(bad, path)
    notes = [f"工作表「{s.grid.sheet}」没有课程名称列，已跳过" for s in sheets if not s.ok]
    courses = pd.DataFrame([c for s in used for c in s.courses], columns=[c for c in COURSE_COLUMNS
                                                                          if c not in ("core_order",)] + ["_long"])
    if not len(courses):
        raise ReadError("培养方案中没有课程行", file=path, hint="表头下方应每行一门课程。")
    dup = courses.duplicated(["major", "course"], keep="first")
    wide_dup = dup & ~courses["_long"].astype(bool)
    if wide_dup.any():
        notes.append(f"{int(wide_dup.sum())} 门课程在同一专业中出现不止一次，已合并（支撑强度取最强）："
                     + "、".join(f"{m}《{c}》" for m, c in
                                courses.loc[wide_dup, ["major", "course"]].head(5).itertuples(index=False)))
    courses = courses[~dup].drop(columns="_long").reset_index(drop=True)
    courses["core_order"] = courses.groupby("major")["core"].cumsum().where(courses["core"]).astype("Int64")
    courses = courses[COURSE_COLUMNS]
    sup = pd.DataFrame([c for s in used for c in s.support], columns=["major", "course", "header", "parent", "strength",
                                                                       "mark"])
    if not len(sup):
        cols = [f"「{h}」" for sh in used for h, _ in sh.ignored][:6]
        raise ReadError("培养方案中没有一个可识别的支撑标记", file=path,
                        expected="支撑矩阵中用 H/M/L、高/中/低、●/◐/○、√ 或 0 到 1 之间的数字标出支撑强度",
                        found=("这些列的内容不是支撑标记：" + "、".join(cols)) if cols else "课程表之外没有毕业要求/能力列",
                        hint="若学校用别的符号，在映射文件 strengths: 中写明其强度（如 {◎: 1.0, ○: 0.5}）。")
    threshold = mp.threshold if mp.threshold is not None else settings.threshold
    pairs = [(m, h, p) for sh in used for m in sh.majors_seen for h, p in sh.columns.values()
             if h not in {x for x, _ in sh.ignored}]
    pairs += list(sup[["major", "header", "parent"]].itertuples(index=False, name=None))
    req, links, unmapped, to_req = _requirements(pairs, mp, taxonomy, threshold)
    sup["requirement"] = pd.Series([to_req[(m, h, p)] for m, h, p in zip(sup["major"], sup["header"], sup["parent"])],
                                   index=sup.index, dtype=object)
    sup = (sup.sort_values("strength", ascending=False, kind="stable")
           .drop_duplicates(["major", "course", "requirement"]).sort_index())[SUPPORT_COLUMNS].reset_index(drop=True)
    ignored = [{"major": m, "sheet": sh.grid.sheet or "", "column": h, "what": "列", "reason": why}
               for sh in used for h, why in sh.ignored for m in (sh.majors_seen or [""])]
    unmapped = pd.concat([unmapped, pd.DataFrame(ignored, columns=UNMAPPED_COLUMNS)], ignore_index=True)
    no_support = sorted(set(courses["major"]) - set(sup["major"]))
    if no_support:
        notes.append(f"以下专业的培养方案没有任何支撑标记：{'、'.join(no_support)}")
    return Programme(courses=courses, support=sup, requirements=req, links=links,
                     unmapped=unmapped.drop_duplicates(["major", "column"]).reset_index(drop=True),
                     source=path.name, notes=tuple(notes))
