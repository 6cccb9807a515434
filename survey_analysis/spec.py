"""Survey specification: which raw column holds which canonical field.

A :class:`SurveySpec` is declared once and read by every later step (validation, cleaning,
analysis), in the spirit of svy's ``Design``.  It comes from one of three places:

* built in, for the sample questionnaires (``resources/questionnaires/*.yaml``), matched to an
  export by question text, vendor code or number: :func:`builtin_spec`;
* inferred from the question texts of any export: :func:`infer_spec` (tries the built-in
  questionnaires first, then keyword rules);
* a YAML mapping file written by the user: :func:`load_spec`.

Unmapped and ambiguous questions are listed in :attr:`SurveySpec.report`, never guessed
silently.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from .codebook import Codebook, Question
from .errors import ConfigError

__all__ = [
    "FieldSpec",
    "norm_text",
    "norm_label",
    "SurveySpec",
    "builtin_spec",
    "infer_spec",
    "load_spec",
    "load_questionnaire",
    "load_scales",
    "PII_PATTERNS",
    "pii_kind",
    "q_matrix_cols",
    "competency_code",
    "build_spec",
    "scale_options",
    "RULES",
]

#: header patterns of personal-information columns, dropped by ``clean()`` even when unmapped
PII_PATTERNS = {
    "name": r"姓名|名字|联系人|填写人",
    "phone": r"手机号|手机号码|电话|联系方式|^手机$|^移动电话",
    "id_card": r"身份证",
    "email": r"邮箱|e-?mail|电子邮件",
    "student_id": r"学号|考生号|学籍号",
    "ip": r"(^|[^a-z])ip([^a-z]|$)|来自ip|ip地址",
    "location": r"地理位置|定位|经纬度",
    "user_agent": r"^ua$|user.?agent|浏览器",
    "wechat": r"微信号|qq号|^qq$|openid|昵称",
}
_PII_RE = {k: re.compile(v, re.I) for k, v in PII_PATTERNS.items()}


@dataclass(frozen=True)
class FieldSpec:
    """How one canonical field is read from the raw data.

    Attributes
    ----------
    field : str
        Canonical field name (``"major"``, ``"sat__practice"``).
    columns : tuple of str
        Raw column(s).  One column for most types; for a multi-select exported as 0/1 columns
        (问卷星 按序号), one column per option, aligned with ``options``.
    type : str
        ``single``, ``multi``, ``rating``, ``numeric``, ``open`` or ``id``.
    scale : str or None
        Answer scale name for ratings (see ``scales.yaml``); ``"lexicon"``: scored from the words
        of the labels (:mod:`survey_analysis.io.lexicon`); ``"custom"``: ``scale_labels``.
    options : tuple of str
        Canonical option labels in questionnaire order (numeric codes 1..k map onto them).
    question : str
        Question number in the export, for messages.
    label : str
        Question text (or matrix row label), for messages and reports.
    pii : bool
        Personal information: never reaches an output.
    text_field : bool
        An open comment analysed by the text layer.
    exclusive : tuple of str
        Options of a multi-select that exclude all others (``以上均不需改进``).
    max_choices : int or None
    applies_to : str or None
        ``"employed"`` for questions only those in work answer.
    source : str
        ``builtin``, ``inferred`` or ``yaml``.
    scale_labels : tuple of str
        A scale written in the mapping file as its labels, best first.
    """

    field: str
    columns: tuple
    type: str
    scale: str | None = None
    options: tuple = ()
    question: str = ""
    label: str = ""
    pii: bool = False
    text_field: bool = False
    exclusive: tuple = ()
    max_choices: int | None = None
    applies_to: str | None = None
    source: str = "builtin"
    binary_columns: bool = False  # multi-select as 0/1 columns
    scale_labels: tuple = ()  # a scale given in the mapping as its labels, best first


@dataclass(frozen=True)
class SurveySpec:
    """The mapping of an export onto canonical fields.

    Attributes
    ----------
    kind : str
        ``"employer"``, ``"graduate"`` or ``"custom"``.
    fields : dict
        Canonical field name → :class:`FieldSpec`.
    report : pandas.DataFrame
        One row per raw question: ``number``, ``text``, ``columns``, ``field``, ``status``
        (``mapped``, ``unmapped``, ``ambiguous``, ``pii``, ``meta``) and ``how``.
    pii_columns : tuple of str
        Raw columns holding personal information (mapped or not); dropped by ``clean()``.
    id_columns : tuple of str
        Raw column(s) identifying a respondent (pseudonymised); the platform's 序号 otherwise.
    time_column : str or None
        Raw column with the time spent (问卷星 所用时间, 腾讯问卷 答题时长), for speeder checks.
    """

    kind: str
    fields: dict
    report: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    pii_columns: tuple = ()
    id_columns: tuple = ()
    time_column: str | None = None
    submit_column: str | None = None
    ip_column: str | None = None
    title: str = ""

    def __getitem__(self, name: str) -> FieldSpec:
        return self.fields[name]

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def by_prefix(self, prefix: str) -> list:
        """Fields whose name starts with ``prefix`` (e.g. ``"sat__"``), in questionnaire order."""
        return [f for f in self.fields.values() if f.field.startswith(prefix)]

    @property
    def rating_fields(self) -> list:
        return [f for f in self.fields.values() if f.type == "rating"]

    @property
    def text_fields(self) -> list:
        return [f.field for f in self.fields.values() if f.text_field]

    def summary(self) -> str:
        st = self.report["status"].value_counts() if len(self.report) else pd.Series(dtype=int)
        parts = [f"{k} {v}" for k, v in st.items()]
        return f"问卷映射（{self.kind}）：{len(self.fields)} 个字段；" + "，".join(parts)


# ----------------------------------------------------------------------------------------
# resources
# ----------------------------------------------------------------------------------------
def _resource_text(*parts: str) -> str:
    return resources.files("survey_analysis").joinpath("resources", *parts).read_text(encoding="utf-8")


def load_scales() -> dict:
    """The answer scales of ``resources/questionnaires/scales.yaml`` (see
    :func:`survey_analysis.io.choices.load_scales`)."""
    from .io.choices import load_scales as _load

    return _load()


@lru_cache(maxsize=None)
def load_questionnaire(name: str) -> dict:
    """A built-in questionnaire definition (``"employer"`` or ``"graduate"``)."""
    if name not in ("employer", "graduate"):
        raise ConfigError(
            f"没有名为「{name}」的内置问卷",
            expected="employer 或 graduate",
            found=name,
            hint="自己的问卷请用映射文件（YAML）说明，见 README。",
        )
    return yaml.safe_load(_resource_text("questionnaires", f"{name}.yaml"))


# ----------------------------------------------------------------------------------------
# text normalisation for matching
# ----------------------------------------------------------------------------------------
_NUM_PREFIX = re.compile(r"^\s*(第?\s*[A-Za-z]{0,2}\d+(?:[-.]\d+)?\s*题?\s*[、.．:：)）]?\s*)")
_PUNCT = re.compile(r"[\s\u3000，,。.、；;：:？?！!“”\"'‘’（）()\[\]【】《》<>—\-_/|·…~～*＊]+")
_PAREN_TAIL = re.compile(r"[（(][^（）()]*(多选|单选|最多|限选|可多选|必填|选填|请填写)[^（）()]*[）)]")


def norm_text(text: object, *, strip_number: bool = True) -> str:
    """Normalise a question text for matching: NFKC, no number prefix, no punctuation.

    ``strip_number=False`` keeps a leading number (for answer labels such as ``0次``/``1次``).
    """
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if strip_number:
        s = _NUM_PREFIX.sub("", s, count=1)
    s = _PAREN_TAIL.sub("", s)
    return _PUNCT.sub("", s).lower()


def norm_label(text: object) -> str:
    """Normalise an answer label for matching (keeps leading numbers: ``0次`` ≠ ``1次``)."""
    return norm_text(text, strip_number=False)


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a in b or b in a:
        return 0.9 * min(len(a), len(b)) / max(len(a), len(b)) + 0.1
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def pii_kind(header: str) -> str | None:
    """The kind of personal information a column header suggests, or ``None``."""
    h = unicodedata.normalize("NFKC", str(header)).strip().lower()
    h = _NUM_PREFIX.sub("", h, count=1)
    for kind, rx in _PII_RE.items():
        if rx.search(h):
            return kind
    return None


# ----------------------------------------------------------------------------------------
# matching a questionnaire definition onto an export's codebook
# ----------------------------------------------------------------------------------------
_META_ROLES = {
    "time": ("所用时间", "答题时长", "用时", "作答时长"),
    "submit": ("提交答卷时间", "结束答题时间", "提交时间", "答题时间"),
    "ip": ("来自IP", "IP", "ip地址"),
    "platform_id": ("序号", "编号", "答卷编号", "id"),
}


def _meta_column(codebook: Codebook, names) -> str | None:
    """The first column whose header is one of ``names`` (allowing a unit such as （秒）)."""
    keys = [norm_text(n) for n in names]
    for exact in (True, False):
        for q in codebook:
            for c in q.columns:
                h = norm_text(c)
                if (h in keys) if exact else any(h.startswith(k) and len(h) - len(k) <= 3 for k in keys):
                    return c
    return None


def q_matrix_cols(q: Question) -> dict:
    """Matrix row label → column for a raw codebook question."""
    if q.rows and len(q.rows) == len(q.columns):
        return dict(zip(q.rows, q.columns))
    out = {}
    for c in q.columns:
        m = re.search(r"[—_\-(（:：]([^—_\-(（:：]+?)[)）]?\s*$", str(c))
        out[m.group(1) if m else str(c)] = c
    return out


_PLACEHOLDER = re.compile(r"^第?\s*\d+\s*题?$")


def _label_overlap(labels, raw_labels) -> float:
    a = {norm_text(x) for x in labels}
    b = {norm_text(x) for x in raw_labels}
    return len(a & b) / len(a) if a else 0.0


def _score(qdef: dict, q: Question) -> float:
    if _PLACEHOLDER.match(str(q.text).strip()):
        # 问卷星 numeric exports head matrix / multi columns "第N题(…)" without the question text:
        # match on the number and on the row or option labels.
        if str(qdef.get("number")) != str(q.number):
            return 0.0
        labels = [r["label"] for r in qdef.get("rows") or []] or list(qdef.get("options") or [])
        overlap = _label_overlap(labels, q.rows or q.options)
        return 0.8 + 0.2 * overlap if overlap >= 0.5 else 0.0
    score = _similar(norm_text(qdef["text"]), norm_text(q.text))
    code = str(qdef.get("code") or "")
    if code and q.code and str(q.code).upper() == code.upper():
        score = max(score, 0.95)
    return score


def _assign(qdefs: list, candidates: list, min_score: float) -> dict:
    """Greedy global assignment: the best-scoring (definition, question) pairs first.

    Returns ``{definition index: (question, score, runner-up score)}``.
    """
    pairs = []
    scores = {}
    for i, qdef in enumerate(qdefs):
        row = [(_score(qdef, q), j) for j, q in enumerate(candidates)]
        scores[i] = sorted((s for s, _ in row), reverse=True)
        pairs.extend((s, i, j) for s, j in row if s >= min_score)
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    out, taken = {}, set()
    for s, i, j in pairs:
        if i in out or j in taken:
            continue
        out[i] = (candidates[j], s, scores[i][1] if len(scores[i]) > 1 else 0.0)
        taken.add(j)
    return out


def _rowwise_matrices(qn: dict, candidates: list) -> dict:
    """Matrices exported one column per row with headers "题干—行" (generic and vendor files):
    ``{definition index: {row code: question}}``."""
    rowwise: dict = {}
    for i, qdef in enumerate(qn["questions"]):
        if qdef["type"] != "matrix":
            continue
        prefix = norm_text(qdef["text"])
        rows_by_label = {norm_text(r["label"]): r for r in qdef["rows"]}
        hits = {}
        for q in candidates:
            if len(q.columns) != 1 or q.rows:
                continue
            t = norm_text(q.text)
            if t.startswith(prefix) and t[len(prefix):] in rows_by_label:
                hits[rows_by_label[t[len(prefix):]]["code"]] = q
        if len(hits) >= 2:
            rowwise[i] = hits
    return rowwise


def _bind_rowwise(qdef: dict, hits: dict, source: str, fields: dict, rows: list, used: set) -> None:
    for r in qdef["rows"]:
        q = hits.get(r["code"])
        name = qdef["field_prefix"] + r["code"]
        if q is None:
            rows.append({"number": "", "text": f"{qdef['text']}—{r['label']}", "columns": "", "field": name,
                         "status": "missing", "how": source, "score": None})
            continue
        used.add(q.number)
        fields[name] = FieldSpec(
            field=name, columns=(q.columns[0],), type="rating", scale=qdef.get("scale"),
            options=tuple(scale_options(qdef.get("scale"))), label=r["label"], question=q.number,
            source=source, applies_to=qdef.get("applies_to"),
        )
        rows.append({"number": q.number, "text": q.text, "columns": q.columns[0], "field": name,
                     "status": "mapped", "how": source, "score": 1.0})


def _bind_matrix(qdef: dict, q: Question, score: float, status: str, common: dict, fields: dict, rows: list) -> None:
    source = common["source"]
    labels = {norm_text(k): c for k, c in q_matrix_cols(q).items()}
    mapped_cols = []
    for r in qdef["rows"]:
        key = norm_text(r["label"])
        col = labels.get(key)
        if col is None:  # the best fuzzy row match
            scored = sorted(((_similar(key, k), c) for k, c in labels.items()), reverse=True)
            col = scored[0][1] if scored and scored[0][0] >= 0.6 else None
        if col is None:
            rows.append({"number": q.number, "text": f"{qdef['text']}—{r['label']}", "columns": "",
                         "field": qdef["field_prefix"] + r["code"], "status": "missing", "how": source,
                         "score": round(score, 2)})
            continue
        mapped_cols.append(col)
        name = qdef["field_prefix"] + r["code"]
        fields[name] = FieldSpec(field=name, columns=(col,), type="rating", scale=qdef.get("scale"),
                                 options=tuple(scale_options(qdef.get("scale"))), label=r["label"], **common)
    rows.append({"number": q.number, "text": q.text, "columns": "；".join(mapped_cols),
                 "field": qdef["field_prefix"] + "*", "status": status, "how": source, "score": round(score, 2)})


def _bind_question(qdef: dict, q: Question, score: float, status: str, common: dict, fields: dict, rows: list) -> None:
    name = qdef["field"]
    ftype = {"single": "single", "multi": "multi", "rating": "rating", "numeric": "numeric", "open": "open"}[qdef["type"]]
    options = tuple(qdef.get("options") or scale_options(qdef.get("scale")))
    binary = q.type == "multi" and len(q.columns) > 1
    cols = tuple(q.columns)
    if binary:  # order 0/1 columns like the options
        by_opt = {norm_text(o): c for o, c in zip(q.options, q.columns)} if len(q.options) == len(q.columns) else {}
        ordered = []
        for o in options:
            c = by_opt.get(norm_text(o))
            if c is None:
                cand = [c2 for c2 in q.columns if norm_text(o) in norm_text(c2)]
                c = cand[0] if cand else None
            ordered.append(c)
        cols = tuple(ordered)
    fields[name] = FieldSpec(
        field=name, columns=cols, type=("id" if qdef.get("id") else ftype), scale=qdef.get("scale"),
        options=options, label=qdef["text"], pii=bool(qdef.get("pii")), text_field=bool(qdef.get("text_field")),
        exclusive=tuple(qdef.get("exclusive") or ()), max_choices=qdef.get("max_choices"),
        binary_columns=binary, **common,
    )
    rows.append({"number": q.number, "text": q.text, "columns": "；".join(c for c in cols if c),
                 "field": name, "status": "pii" if qdef.get("pii") else status, "how": common["source"],
                 "score": round(score, 2)})


def _match_questionnaire(codebook: Codebook, qn: dict, *, source: str = "builtin",
                         min_score: float = 0.72) -> tuple:
    """Bind a questionnaire definition to a codebook.

    Returns ``(fields, report_rows, n_matched_questions)``.
    """
    candidates = [q for q in codebook if q.type != "meta"]
    rowwise = _rowwise_matrices(qn, candidates)
    taken = {q.number for hits in rowwise.values() for q in hits.values()}
    candidates = [q for q in candidates if q.number not in taken]
    keep = [i for i in range(len(qn["questions"])) if i not in rowwise]
    assignment = _assign([qn["questions"][i] for i in keep], candidates, min_score)
    assignment = {keep[k]: v for k, v in assignment.items()}
    used: set = set()
    fields: dict = {}
    rows: list = []
    n_matched = 0
    for i, qdef in enumerate(qn["questions"]):
        if i in rowwise:
            n_matched += 1
            _bind_rowwise(qdef, rowwise[i], source, fields, rows, used)
            continue
        q, score, second = assignment.get(i, (None, 0.0, 0.0))
        if q is None or score < min_score:
            rows.append({"number": "", "text": qdef["text"], "columns": "",
                         "field": qdef.get("field") or qdef.get("field_prefix"), "status": "missing", "how": source,
                         "score": round(score, 2)})
            continue
        used.add(q.number)
        n_matched += 1
        status = "mapped" if score - second > 0.02 or score >= 0.95 else "ambiguous"
        common = dict(question=q.number, source=source, applies_to=qdef.get("applies_to"))
        bind = _bind_matrix if qdef["type"] == "matrix" else _bind_question
        bind(qdef, q, score, status, common, fields, rows)
    for q in candidates:  # raw questions no definition claimed
        if q.number not in used:
            kind = pii_kind(q.text)
            rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": None,
                         "status": "pii" if kind else "unmapped", "how": source, "score": None})
    return fields, rows, n_matched


def scale_options(scale: str | None) -> list:
    if not scale or scale in ("lexicon", "custom"):
        return []
    sc = load_scales().get(scale)
    if sc is None:
        raise ConfigError(f"未知的量表「{scale}」", expected="、".join(load_scales()), found=scale)
    return list(sc["labels"]) + list(sc.get("na", [])[:1])


def _meta_fields(codebook: Codebook) -> dict:
    return {
        "time_column": _meta_column(codebook, _META_ROLES["time"]),
        "submit_column": _meta_column(codebook, _META_ROLES["submit"]),
        "ip_column": _meta_column(codebook, _META_ROLES["ip"]),
    }


def _pii_columns(codebook: Codebook, fields: dict) -> tuple:
    cols = []
    for q in codebook:
        for c in q.columns:
            if pii_kind(c) or pii_kind(q.text):
                cols.append(c)
    for f in fields.values():
        if f.pii or f.type == "id":
            cols.extend(c for c in f.columns if c)
    return tuple(dict.fromkeys(cols))


def _id_columns(codebook: Codebook, fields: dict) -> tuple:
    ids = [f for f in fields.values() if f.type == "id"]
    if ids:
        return tuple(ids[0].columns)
    pid = _meta_column(codebook, _META_ROLES["platform_id"])
    return (pid,) if pid else ()


def build_spec(kind: str, codebook: Codebook, fields: dict, rows: list, title: str = "") -> SurveySpec:
    report = pd.DataFrame(rows, columns=["number", "text", "columns", "field", "status", "how", "score"])
    meta_rows = [{"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": None,
                  "status": "pii" if pii_kind(q.text) else "meta", "how": "platform", "score": None}
                 for q in codebook if q.type == "meta"]
    if meta_rows:
        report = pd.concat([pd.DataFrame(meta_rows), report], ignore_index=True)
    meta = _meta_fields(codebook)
    for role, col in meta.items():
        if col is not None:
            report.loc[report["columns"] == col, ["status", "how"]] = ["meta", "platform"]
    return SurveySpec(
        kind=kind, fields=fields, report=report, pii_columns=_pii_columns(codebook, fields),
        id_columns=_id_columns(codebook, fields), title=title, **meta,
    )


def builtin_spec(raw, name: str, *, min_score: float = 0.72) -> SurveySpec:
    """Bind the built-in questionnaire ``name`` (``"employer"``/``"graduate"``) to an export.

    Parameters
    ----------
    raw : RawSurvey or Codebook
    name : {"employer", "graduate"}
    min_score : float, default 0.72
        Minimum text similarity for a question to count as matched.

    Raises
    ------
    ConfigError
        When fewer than half of the questionnaire's questions are found in the export.
    """
    codebook = raw.codebook if hasattr(raw, "codebook") else raw
    qn = load_questionnaire(name)
    fields, rows, n = _match_questionnaire(codebook, qn, min_score=min_score)
    if n < len(qn["questions"]) / 2:
        file = getattr(getattr(raw, "source", None), "path", None)
        raise ConfigError(
            f"这份文件与内置的「{qn['title']}」不符：{len(qn['questions'])} 道题中只找到 {n} 道",
            file=file,
            hint="请用 --spec 指定映射文件（YAML），写明每个字段对应的题目；示例见 README。",
        )
    return build_spec(name, codebook, fields, rows, qn.get("title", ""))


# keyword rules for exports of unknown questionnaires: (field, type, pattern)
RULES = [
    ("major", "single", r"专业$|所学专业|所在专业|^专业"),
    ("college", "single", r"学院|院系|系别"),
    ("cohort", "numeric", r"毕业年份|届别|毕业届"),
    ("sex", "single", r"^性别"),
    ("destination", "single", r"毕业去向|去向|目前状态|就业状况"),
    ("industry", "single", r"行业"),
    ("employer_type", "single", r"单位性质|单位类型"),
    ("employer_size", "single", r"单位规模|员工人数"),
    ("region", "single", r"地区|所在地|工作地"),
    ("income", "numeric", r"月收入|月薪|税前.*收入|工资"),
    ("relevance", "rating", r"相关"),
    ("expectation_fit", "rating", r"吻合|期待"),
    ("overall_satisfaction", "rating", r"总体.*满意|满意程度$|总体评价"),
    ("recommend", "single", r"推荐"),
    ("job_changes", "single", r"离职|换.*工作"),
    ("comment", "open", r"建议|意见"),
    ("comment_skills", "open", r"加强.*能力|需要提高|最需"),
]


def infer_spec(raw, *, kind: str | None = None, min_share: float | None = None) -> SurveySpec:
    """Infer a specification for an export.

    The built-in questionnaires are tried first (the one matching most questions wins when at
    least ``min_share`` of its questions are found); otherwise fields are inferred from question
    texts with keyword rules, and every question that matches no rule or several is reported.

    Parameters
    ----------
    raw : RawSurvey
    kind : {"employer", "graduate"}, optional
        Restrict to one built-in questionnaire.
    min_share : float, optional
        Share of the built-in questionnaire's questions that must be found: 0.5 by default,
        0.25 when ``kind`` is given explicitly.
    """
    codebook = raw.codebook
    if min_share is None:
        min_share = 0.25 if kind else 0.5
    best = None
    for name in ([kind] if kind else ["employer", "graduate"]):
        qn = load_questionnaire(name)
        fields, rows, n = _match_questionnaire(codebook, qn)
        share = n / len(qn["questions"])
        if share >= min_share and (best is None or share > best[0]):
            best = (share, name, fields, rows, qn.get("title", ""))
    if best is not None:
        _, name, fields, rows, title = best
        return build_spec(name, codebook, fields, rows, title)
    return _infer_by_rules(codebook, kind or "custom")


def _infer_by_rules(codebook: Codebook, kind: str) -> SurveySpec:
    scales = load_scales()
    fields: dict = {}
    rows = []
    taken: dict = {}
    for q in codebook:
        if q.type == "meta":
            continue
        pk = pii_kind(q.text)
        if pk:
            rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": pk,
                         "status": "pii", "how": "inferred", "score": None})
            continue
        hits = [(f, t) for f, t, rx in RULES if re.search(rx, norm_text(q.text))]
        if q.type == "matrix" or (q.scale and len(q.columns) > 1):
            t = norm_text(q.text)
            prefix = "imp__" if "重要" in t else ("sat__" if re.search("满意|表现|评价", t) else None)
            if prefix is None:
                rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": None,
                             "status": "unmapped", "how": "inferred", "score": None})
                continue
            colmap = q_matrix_cols(q)
            for label, col in colmap.items():
                code = competency_code(label) or f"q{q.number}_{len(fields)}"
                name = prefix + code
                fields[name] = FieldSpec(field=name, columns=(col,), type="rating", scale=q.scale,
                                         options=tuple(q.options), question=q.number, label=label, source="inferred")
            rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": prefix + "*",
                         "status": "mapped", "how": "inferred", "score": None})
            continue
        if len(hits) != 1 or hits[0][0] in taken:
            status = "ambiguous" if hits else "unmapped"
            rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns),
                         "field": "/".join(h[0] for h in hits) or None, "status": status, "how": "inferred", "score": None})
            continue
        name, ftype = hits[0]
        if q.type == "open" and ftype != "numeric":
            ftype = "open"
        if q.type == "multi":
            ftype = "multi"
        if q.scale in scales and ftype != "open":
            ftype = "rating"  # a built-in scale (a scale read from words only where the rule says rating)
        taken[name] = q.number
        fields[name] = FieldSpec(field=name, columns=tuple(q.columns), type=ftype, scale=q.scale,
                                 options=tuple(q.options), question=q.number, label=q.text, source="inferred",
                                 text_field=ftype == "open", binary_columns=q.type == "multi" and len(q.columns) > 1)
        rows.append({"number": q.number, "text": q.text, "columns": "；".join(q.columns), "field": name,
                     "status": "mapped", "how": "inferred", "score": None})
    return build_spec(kind, codebook, fields, rows)


@lru_cache(maxsize=1)
def _competency_labels() -> dict:
    qn = load_questionnaire("employer")
    out = {}
    for q in qn["questions"]:
        for r in q.get("rows", []) or []:
            if q.get("field_prefix") in ("imp__", "sat__"):
                out[norm_text(r["label"])] = r["code"]
    return out


def competency_code(label: str) -> str | None:
    key = norm_text(label)
    labels = _competency_labels()
    if key in labels:
        return labels[key]
    scored = sorted(((_similar(key, k), v) for k, v in labels.items()), reverse=True)
    if scored and scored[0][0] >= 0.6:
        return scored[0][1]
    try:  # the text taxonomy knows many more aliases
        from .text import load_taxonomy

        tax = load_taxonomy()
        hit = tax.lookup(label) if hasattr(tax, "lookup") else None
        return hit
    except Exception:  # pragma: no cover - taxonomy optional here
        return None


# ----------------------------------------------------------------------------------------
# YAML mapping files (survey_analysis/mapping.py)
# ----------------------------------------------------------------------------------------
def load_spec(path: str | Path, raw) -> SurveySpec:
    """Load a YAML mapping file and bind it to an export: see :func:`survey_analysis.mapping.load_spec`."""
    from .mapping import load_spec as _load

    return _load(path, raw)
