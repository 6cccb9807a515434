"""``survey-analysis demo --out DIR``: the whole job on the shipped sample data.

Builds the full report (PDF, HTML, XLSX, DOCX) from the sample employer survey, the 2025, 2024
and 2023 graduate surveys, the roster as population, the training programmes
(``data/raw/programme_2025.xlsx``), ``data/config.yaml`` and the ledgers ``data/raw/ledger_*``
when present.
"""
from __future__ import annotations

from . import add_common


def register(sub) -> None:
    p = sub.add_parser("demo", help="用自带的样例数据运行完整流程（清洗 → 分析 → 报告）",
                       description="用 data/ 中自带的样例数据（用人单位调查、三届毕业生跟踪调查、学生名单、人才培养方案、访企拓岗台账）"
                                   "运行完整流程，生成 PDF、HTML、Excel 和 Word 报告。")
    p.add_argument("--out", default="reports/demo", metavar="DIR", help="输出文件夹（默认 reports/demo）")
    p.add_argument("--key", help="假名化密钥（默认读取环境变量 SURVEY_ANALYSIS_KEY）")
    p.add_argument("--format", default="pdf,html,xlsx,docx", metavar="LIST",
                   help="输出格式，逗号分隔：pdf,html,xlsx,docx（默认全部）")
    add_common(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import os

    from ..datasets import sample_paths
    from .report import build_and_summarise

    paths = sample_paths()
    raw = paths["employer"].parent
    visits = next(iter(sorted(raw.glob("ledger_visits_*"))), None)
    demand = next(iter(sorted(raw.glob("ledger_demand_*"))), None)
    ledger_graduates = next(iter(sorted(raw.glob("ledger_graduates_*"))), None)
    config = paths.get("config")
    key = args.key or os.environ.get("SURVEY_ANALYSIS_KEY") or "survey-analysis-demo"
    return build_and_summarise(
        args, employer=paths["employer"],
        graduates=[paths["graduate_2025"], paths["graduate_2024"], paths["graduate_2023"]],
        population=paths["roster"], config=config if config and config.exists() else None,
        visits=visits, demand=demand if visits is not None else None, key=key, label="样例报告",
        ledger_graduates=ledger_graduates if visits is not None else None, programme=paths.get("programme"))
