"""``survey-analysis themes FILE --column COL --out DIR``: themes of one open-text column of any table."""
from __future__ import annotations

import re
import sys

from . import add_common

__all__ = ["register", "run", "resolve_column"]

#: headers of columns holding people's names (their values are redacted from the text)
NAME_HEADER_RE = re.compile(r"^(?:[A-Za-z]*\d+[、.．:：\s-]*)?(?:.{0,6}姓名|名字|联系人|填表人|填写人)\s*$")


def register(sub) -> None:
    p = sub.add_parser(
        "themes",
        help="文本主题聚类：把一列开放题文本（如用人单位意见、招聘要求）聚成若干主题",
        description=(
            "读取任意表格（问卷导出、台账、招聘信息表），对指定的一列文本做主题聚类"
            "（领域分词 + TF-IDF + LSA + KMeans，主题数按余弦轮廓系数和多次随机种子的稳定性自动选择），"
            "写出每行所属主题 assignments.csv、主题表 themes.csv（主题名、条数、占比、关键词、代表性评论，评论已脱敏）"
            "和自动选择主题数时各主题数的得分 k_scores.csv。"
            "用人单位意见建议请加 --unit clause --gaps-only：按分句聚类且只保留指出能力不足的分句。"
        ),
        epilog="示例：survey-analysis themes data/raw/employer_2025_wjx_text.xls --column 意见和建议 "
               "--unit clause --gaps-only --by 专业 --out reports/themes",
    )
    p.add_argument("file", metavar="FILE", help="表格文件（.xls / .xlsx / .csv / .sav）")
    p.add_argument("--column", required=True, metavar="COL",
                   help="文本所在的列：完整列名，或列名中唯一的一段文字（如“意见和建议”）")
    p.add_argument("--k", type=int, metavar="K", help="主题数（默认自动选择）")
    p.add_argument("--k-max", type=int, default=30, metavar="N", help="自动选择时最多尝试的主题数（默认 30）")
    p.add_argument("--by", metavar="COL", action="append",
                   help="按该列分组统计各主题占比，写出 shares.csv（可重复，如 --by 专业 --by 行业）")
    p.add_argument("--unit", choices=["comment", "clause"], default="comment",
                   help="聚类单位：整条文本 comment（默认）或分句 clause")
    p.add_argument("--gaps-only", action="store_true",
                   help="只保留指出能力不足（gap）的分句/文本（用人单位意见建议适用）")
    p.add_argument("--lacking", action="store_true",
                   help="该列回答“最需加强的能力”：没有褒贬词的能力提及也算不足")
    p.add_argument("--min-similarity", type=float, default=0.3, metavar="S",
                   help="与所有主题的余弦相似度都低于该值的文本记为“未归类”（默认 0.3）")
    p.add_argument("--min-cell", type=int, default=5, metavar="N",
                   help="分组统计中少于该人数的组隐藏（默认 5）")
    p.add_argument("--seed", type=int, default=0, help="随机种子（默认 0；相同输入和种子得到相同主题）")
    p.add_argument("--roster", metavar="FILE",
                   help="学生名单（含 姓名、学号 列），用于脱敏文本中提到的毕业生姓名和学号")
    p.add_argument("--sheet", help="工作表名称或序号（默认第一个工作表）")
    p.add_argument("--encoding", help="CSV 文件编码（默认自动识别）")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    add_common(p)
    p.set_defaults(func=run)


def _norm_header(s) -> str:
    return re.sub(r"[\s:：?？()（）\[\]【】]+", "", str(s)).lower()


def resolve_column(columns, wanted: str, *, file=None, sheet=None, what="列") -> str:
    """Find a column by its header: exact, then ignoring spaces/punctuation/case, then a unique part.

    Raises
    ------
    SurveyError
        No column or several columns match (the message lists the columns).
    """
    from ..errors import SurveyError

    cols = list(columns)
    names = [str(c) for c in cols]
    if wanted in names:
        return cols[names.index(wanted)]
    key = _norm_header(wanted)
    same = [c for c, n in zip(cols, names) if _norm_header(n) == key]
    if len(same) == 1:
        return same[0]
    part = [c for c, n in zip(cols, names) if key and key in _norm_header(n)]
    if len(part) == 1:
        return part[0]
    if len(part) > 1:
        raise SurveyError(
            f"有多个{what}与「{wanted}」匹配，无法确定用哪一个", file=file, sheet=sheet,
            expected="唯一匹配的列名", found="、".join(map(str, part)),
            hint="请写出完整的列名（可从上面的列表中复制）。")
    raise SurveyError.missing_columns([wanted], names, file=file, sheet=sheet, what=what)


def _checks(args, raw, col, by_cols, path) -> None:
    """Refuse what would write personal data or cannot be clustered."""
    from ..errors import ConfigError
    from ..spec import pii_kind

    if args.min_cell < 1:
        raise ConfigError("--min-cell 至少为 1（少于该人数的组隐藏）", expected="例如 5 或 10", found=str(args.min_cell))
    for c, what in [(col, "文本列")] + [(b, "分组列") for b in by_cols]:
        if pii_kind(c) or NAME_HEADER_RE.match(str(c).strip()):
            raise ConfigError(f"{what}「{c}」是个人信息列（姓名、电话、学号等），不能用于主题聚类或分组",
                              file=path, column=str(c), hint="请选择开放题文本列，分组请用专业、行业等类别列。")
    types = {c: q.type for q in raw.codebook for c in q.columns}
    for b in by_cols:
        if b == col or types.get(b) == "open":
            raise ConfigError(f"分组列「{b}」是开放题文本（几乎每人一个值），不能用来分组：组名会泄露原话",
                              file=path, column=str(b), hint="请用专业、行业、单位性质等类别列分组（--by 专业）。")
    from ..text import is_no_content

    texts = {str(v).strip() for v in raw.data[col].dropna().unique()}
    n_distinct = sum(1 for v in texts if v and not is_no_content(v))
    need = max(3, (args.k or 2) + 1)
    if 0 < n_distinct < need:  # none at all: the clusterer says so itself
        raise ConfigError(f"文本列「{col}」只有 {n_distinct} 种不同的文本，不足以聚成主题", file=path,
                          column=str(col), expected=f"至少 {need} 种不同的文本",
                          hint="请换一列文本，或用 --k 指定更少的主题数。")


def _redactor(args, data, col):
    from ..io import read_roster
    from ..privacy import Redactor

    names = []
    for c in data.columns:  # the file's own name columns: their values are redacted from the text
        if NAME_HEADER_RE.match(str(c).strip()) and c != col:
            names.extend(v for v in data[c].dropna().astype(str) if len(v.strip()) >= 2)
    ids = []
    if args.roster:
        roster = read_roster(args.roster)
        names.extend(roster.names)
        ids.extend(roster.ids)
    return Redactor(names=tuple(names), ids=tuple(ids))


def _assignments(data, units, themes):
    """One row per input row; several clause themes of a row are joined with ";"."""
    import numpy as np
    import pandas as pd

    from ..gaps import UNASSIGNED, UNASSIGNED_LABEL

    per_row: dict = {}
    sims: dict = {}
    for i, t, s in zip(units["text_index"], units["theme"], units["similarity"]):
        lst = per_row.setdefault(int(i), [])
        if int(t) not in lst:
            lst.append(int(t))
        sims.setdefault(int(i), []).append(float(s))
    label_of = dict(zip(themes["theme"], themes["label"]))
    label_of[UNASSIGNED] = UNASSIGNED_LABEL
    theme_col, label_col, sim_col = [], [], []
    for i in range(len(data)):
        ts = per_row.get(i)
        theme_col.append(";".join(map(str, ts)) if ts else "")
        label_col.append("；".join(label_of[t] for t in ts) if ts else "")
        sim_col.append(round(max(sims[i]), 4) if ts else np.nan)
    out = pd.DataFrame({"行号": data.index.to_numpy(), "主题编号": theme_col, "主题名称": label_col, "相似度": sim_col})
    return out, len(per_row)


def _theme_table(themes, redactor):
    import pandas as pd

    from ..gaps import UNASSIGNED, UNASSIGNED_LABEL

    def red(s):
        return redactor.redact(str(s))[0]

    table = pd.DataFrame({
        "主题编号": themes["theme"],
        "主题名称": themes["label"].map(red),
        "对应能力": themes["competency"].fillna(""),
        "条数": themes["size"],
        "占比": themes["share"].round(4),
        "关键词": themes["top_terms"].map(lambda ts: red("、".join(ts))),
        "代表性文本": themes["examples"].map(lambda ex: red(" ｜ ".join(" ".join(str(e).split()) for e in ex))),
    })
    n_un = int(themes.attrs["unassigned"])
    if n_un:
        table.loc[len(table)] = [UNASSIGNED, UNASSIGNED_LABEL, "", n_un, round(themes.attrs["unassigned_share"], 4), "", ""]
    return table, n_un


def _shares(model, data, by_cols, min_cell, redactor):
    """Theme shares per group; a hidden group's count cannot be worked out by subtraction from the
    theme totals (complementary suppression within each theme), and group labels are redacted."""
    import pandas as pd

    from ..privacy import suppress_small

    frames = []
    for b in by_cols:
        groups = pd.DataFrame({"组": data[b].astype(object).to_numpy()})
        s = model.theme_shares(groups, by="组", min_cell=min_cell)
        s.insert(0, "分组列", str(b))
        frames.append(s)
    sh = pd.concat(frames, ignore_index=True)
    sh = suppress_small(sh.drop(columns=["suppressed"]), n_col="n", min_cell=min_cell,
                        value_cols=["count", "share", "rank"], complementary=True, by=[["分组列", "theme"]])
    shares = pd.DataFrame({
        "分组列": sh["分组列"], "组": sh["组"].map(lambda g: redactor.redact(str(g))[0]), "主题编号": sh["theme"],
        "主题名称": sh["label"].map(lambda g: redactor.redact(str(g))[0]),
        "组内有效人数": sh["n"], "提及人数": sh["count"], "组内占比": sh["share"].round(4),
        "组内排名": sh["rank"], "已隐藏（样本过少）": sh["suppressed"].map({True: "是", False: ""}),
    })
    return shares, sh.attrs.get("suppression_note", "")


def _echo_selection(args, model) -> None:
    """Say how the number of themes was chosen (and any warning of the selection)."""
    from ._common import echo

    if model.k_scores_ is not None:
        ks = model.k_scores_
        chosen = ks[ks["chosen"]].iloc[0]
        echo(args, f"自动选择主题数 {int(chosen['k'])}：准则为 得分 = 余弦轮廓系数 × 跨种子稳定性（ARI），"
                   f"取稳定（ARI ≥ {model.min_stability}；无一稳定时取最稳定的几个）的主题数中得分的峰值"
                   f"（此处轮廓系数 {chosen['silhouette']:.3f}，稳定性 {chosen['stability']:.3f}，得分 {chosen['score']:.3f}）")
        echo(args, "各主题数的得分：" + "；".join(
            f"{int(r.k)}{'*' if r.chosen else ''}: {r.score:.3f}（{r.silhouette:.2f}×{r.stability:.2f}"
            f"{'' if r.stable else '，不稳定'}）" for r in ks.itertuples()))
    for w in getattr(model, "selection_warnings_", []):
        print(f"注意：{w}", file=sys.stderr, flush=True)


def run(args) -> int:
    from pathlib import Path

    from .. import read_survey
    from .._atomic import atomic_dir, ensure_writable_dir
    from ..errors import ConfigError, ReadError
    from ..gaps import SkillGapClusterer
    from ..outputs import write_csv
    from ._common import sheet_arg, done, echo

    path = Path(args.file)
    if not path.exists():
        raise ReadError("文件不存在", file=path, hint="请检查路径是否正确。")
    if args.k is not None and args.k < 2:
        raise ConfigError("主题数（--k）至少为 2", expected="2、3、…", found=str(args.k))
    if args.k_max < 2:
        raise ConfigError("--k-max 至少为 2", expected="2、3、…", found=str(args.k_max))
    raw = read_survey(path, sheet=sheet_arg(args.sheet), encoding=args.encoding)
    data = raw.data
    col = resolve_column(data.columns, args.column, file=path, sheet=args.sheet)
    by_cols = [resolve_column(data.columns, b, file=path, sheet=args.sheet, what="分组列")
               for b in (args.by or [])]
    _checks(args, raw, col, by_cols, path)
    ensure_writable_dir(args.out)
    echo(args, f"读取 {path.name}：{len(data)} 行；文本列「{col}」"
               + (f"；分组列：{'、'.join(map(str, by_cols))}" if by_cols else ""))
    # redact personal information before anything is clustered or quoted
    redactor = _redactor(args, data, col)
    texts = data[col].astype(object).map(lambda v: v if isinstance(v, str) else (
        None if v is None or (isinstance(v, float) and v != v) else str(v)))
    texts, redacted = redactor.redact_series(texts)
    if len(redacted):
        echo(args, f"已脱敏 {redacted['index'].nunique()} 条文本中的个人信息（姓名、电话、邮箱、证件号等）")
    model = SkillGapClusterer(
        n_themes=args.k, k_range=(2, max(2, args.k_max)), unit=args.unit, only_gaps=args.gaps_only,
        default_polarity="gap" if args.lacking else "neutral", min_similarity=args.min_similarity,
        random_state=args.seed)
    model.fit(texts.tolist())
    _echo_selection(args, model)
    assignments, n_text = _assignments(data, model.units_, model.themes_)
    table, n_un = _theme_table(model.themes_, redactor)
    with atomic_dir(args.out) as tmp:
        write_csv(assignments, tmp / "assignments.csv")
        write_csv(table, tmp / "themes.csv")
        if model.k_scores_ is not None:
            write_csv(model.k_scores_.rename(columns={
                "k": "主题数", "silhouette": "余弦轮廓系数", "stability": "跨种子稳定性", "score": "得分",
                "stable": "稳定", "chosen": "选中"}).round(4), tmp / "k_scores.csv")
        if by_cols:
            shares, note = _shares(model, data, by_cols, args.min_cell, redactor)
            write_csv(shares, tmp / "shares.csv")
            echo(args, note)
    unit_word = "分句" if args.unit == "clause" else "条文本"
    done(f"完成：{len(data)} 行中 {n_text} 行参与聚类，共 {len(model.units_)} {unit_word}，"
         f"分为 {model.n_themes_} 个主题（未归类 {n_un}）；结果已写入 {args.out}")
    return 0
