"""``survey-analysis inspect FILE``: the codebook and the file facts."""
from __future__ import annotations

import json

from . import add_common
from ._common import add_read_options, done


def register(sub) -> None:
    p = sub.add_parser("inspect", help="查看导出文件：平台、编码、行列数和问卷编码本（codebook）",
                       description="读取一个问卷导出文件，显示识别出的平台、编码、行数、列数和每道题的编码本。")
    p.add_argument("file", metavar="FILE", help="问卷导出文件（.xls / .xlsx / .csv / .sav）")
    add_read_options(p)
    p.add_argument("--json", action="store_true", help="以 JSON 输出（便于程序处理）")
    p.add_argument("--roster", metavar="FILE", help="学生名单：名单中的姓名即使被填进选择题，也不会作为选项显示")
    add_common(p)
    p.set_defaults(func=run)


_TYPES = {"single": "单选", "multi": "多选", "matrix": "矩阵", "rating": "量表", "rank": "排序",
          "open": "填空", "numeric": "数值", "meta": "系统"}
_PLATFORMS = {"wjx_text": "问卷星（按文本导出）", "wjx_numeric": "问卷星（按序号导出）", "tencent": "腾讯问卷",
              "vendor": "学校系统/第三方（两行表头）", "spss": "SPSS", "generic": "普通表格"}


def run(args) -> int:
    from ..io import inspect_dict, read_survey
    from ._common import sheet_arg

    raw = read_survey(args.file, sheet=sheet_arg(args.sheet), encoding=args.encoding,
                      text_export=getattr(args, "text_export", None))
    names = ids = ()
    if getattr(args, "roster", None):
        from ..io import read_roster

        roster = read_roster(args.roster)
        names, ids = roster.names, roster.ids
    info = inspect_dict(raw, names=names, ids=ids)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2, default=str))
        return 0
    if not args.quiet:
        print(f"文件：{info.get('file')}")
        print(f"平台：{_PLATFORMS.get(info['platform'], info['platform'])}（{info['platform']}）")
        print(f"编码：{info.get('encoding') or '（Excel 文件，无需编码）'}    工作表：{info.get('sheet') or '-'}")
        print(f"行数：{info['rows']}    列数：{info['columns']}")
        for note in info.get("notes") or []:
            print(f"说明：{note}")
        meta = [q["text"] for q in info["questions"] if q["type"] == "meta"]
        if meta:
            print(f"系统列：{'、'.join(meta)}")
        print("\n题号  类型  题目  （选项）")
        for q in info["questions"]:
            if q["type"] == "meta":
                continue
            opts = q.get("options") or []
            shown = "；".join(map(str, opts[:8])) + ("…" if len(opts) > 8 else "")
            extra = f"  [量表 {q['scale']}]" if q.get("scale") else ""
            cols = f"  〔{len(q['columns'])} 列〕" if len(q.get("columns", [])) > 1 else ""
            print(f"{q['number']:<6}{_TYPES.get(q['type'], q['type'])}  {q['text']}{extra}{cols}")
            if q.get("rows"):
                rows = q["rows"]
                print(f"        行：{'；'.join(map(str, rows[:8]))}{'…' if len(rows) > 8 else ''}")
            if shown:
                print(f"        选项：{shown}")
    done(f"完成：{info['rows']} 行 × {info['columns']} 列，{sum(q['type'] != 'meta' for q in info['questions'])} 道题。")
    return 0
