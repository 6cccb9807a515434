"""The ``survey-analysis`` command.

Each subcommand lives in its own module ``survey_analysis/cli/<name>.py`` exposing
``register(subparsers)``; the parser it adds sets ``func`` to a callable ``run(args) -> int``.
Exit codes: 0 success, 2 bad input (a :class:`~survey_analysis.errors.SurveyError`, message in
Chinese, no traceback), 1 internal error, 130 interrupted.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback

from ..errors import SurveyError

__all__ = ["main", "build_parser", "COMMANDS"]

COMMANDS = ["inspect", "clean", "themes", "outcomes", "report", "demo", "ledger"]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with Chinese section titles and error messages (exit code 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message):  # noqa: D401 - argparse API
        translations = {
            "the following arguments are required": "缺少必需的参数",
            "unrecognized arguments": "无法识别的参数",
            "invalid choice": "无效的选项",
            "expected one argument": "该选项需要一个值",
            "argument": "参数",
        }
        for en, zh in translations.items():
            message = message.replace(en, zh)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: 错误：{message}\n")
        sys.exit(2)

    def format_usage(self):
        return super().format_usage().replace("usage:", "用法：")

    def format_help(self):
        return super().format_help().replace("usage:", "用法：")


def add_common(p: argparse.ArgumentParser) -> None:
    """Options every subcommand has."""
    p.add_argument("-q", "--quiet", action="store_true", help="只输出错误和最后一行摘要")


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="survey-analysis",
        description="高校用人单位调查与毕业生跟踪调查分析：读取问卷导出文件、清洗、分析，生成专业建设与课程调整报告。",
        epilog="示例：survey-analysis demo --out reports/demo    （用自带样例数据生成完整报告）",
    )
    parser.add_argument("--version", action="version", version=_version(), help="显示版本号")
    sub = parser.add_subparsers(title="子命令", dest="command", metavar="<子命令>",
                                parser_class=ChineseArgumentParser)
    for name in COMMANDS:
        try:
            mod = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:  # a subcommand not built yet
            if exc.name and exc.name.endswith(f"cli.{name}"):
                continue
            raise
        mod.register(sub)
    return parser


def _version() -> str:
    from .. import __version__

    return f"survey-analysis {__version__}"


def main(argv: list | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
        format="%(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except SurveyError as exc:
        sys.stderr.write(f"错误：{exc}\n")
        return 2
    except BrokenPipeError:  # output piped into `head` etc.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("已中断（未写入不完整的输出）。\n")
        return 130
    except Exception:  # internal error: keep the traceback for the bug report
        sys.stderr.write("内部错误（internal error）：这是程序的缺陷，不是您的数据的问题。请把下面的信息报告给开发者：\n")
        traceback.print_exc()
        return 1


def entry() -> None:  # pragma: no cover - console script
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
