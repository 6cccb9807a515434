"""Shared pieces of the subcommands: reading + cleaning with the usual options, printing."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ReadError

__all__ = ["add_read_options", "add_clean_options", "read_and_clean", "echo", "done"]


def add_read_options(p) -> None:
    p.add_argument("--sheet", help="工作表名称或序号（默认第一个工作表）")
    p.add_argument("--encoding", help="CSV 文件编码（默认自动识别：utf-8 / utf-8-sig / gb18030）")
    p.add_argument("--text-export", metavar="FILE",
                   help="问卷星按序号导出的文件所对应的按文本导出文件（同一批答卷），用来把选项编号解码为文字")


def add_clean_options(p) -> None:
    p.add_argument("--spec", metavar="YAML", help="映射文件：说明各字段对应哪道题（见 README）")
    p.add_argument("--kind", choices=["employer", "graduate"], help="问卷类型（默认自动识别）")
    p.add_argument("--roster", metavar="FILE", help="学生名单（含 姓名、学号、专业、学院），用于脱敏评论中的姓名和学号")
    p.add_argument("--key", help="假名化密钥（默认读取环境变量 SURVEY_ANALYSIS_KEY；不写入任何输出）")
    p.add_argument("--min-seconds", type=float, default=60, help="答题用时少于该秒数视为过快作答（默认 60；0 表示不检查）")
    p.add_argument("--straightline-min-items", type=int, default=5,
                   help="评分题组至少多少行全部相同才算直线作答（默认 5；0 表示不检查）")
    p.add_argument("--to-simplified", action="store_true", help="把评论中的繁体字转换为简体")


def read_and_clean(path, args, **overrides):
    """Read ``path`` and clean it with the options of ``args``; returns (raw, CleanResult)."""
    from .. import clean, infer_spec, load_spec, read_survey
    from ..design import key_from_env
    from ..io import read_roster

    p = Path(path)
    if not p.exists():
        raise ReadError("文件不存在", file=p, hint="请检查路径是否正确。")
    raw = read_survey(p, sheet=sheet_arg(getattr(args, "sheet", None)), encoding=getattr(args, "encoding", None),
                      text_export=getattr(args, "text_export", None))
    spec_path = getattr(args, "spec", None)
    spec = load_spec(spec_path, raw) if spec_path else infer_spec(raw, kind=getattr(args, "kind", None))
    roster = read_roster(args.roster) if getattr(args, "roster", None) else None
    kwargs = dict(
        key=key_from_env(getattr(args, "key", None)),
        roster=roster,
        min_seconds=getattr(args, "min_seconds", 60),
        straightline_min_items=getattr(args, "straightline_min_items", 5) or None,
        to_simplified=getattr(args, "to_simplified", False),
    )
    kwargs.update(overrides)
    return raw, clean(raw, spec, **kwargs)


def sheet_arg(value):
    if value is None:
        return None
    return int(value) if str(value).isdigit() else value


def echo(args, text: str) -> None:
    """Print progress/detail unless --quiet."""
    if not getattr(args, "quiet", False):
        print(text, flush=True)


def done(text: str) -> None:
    """The one-line summary at the end (always printed)."""
    print(text, flush=True)
    sys.stdout.flush()
