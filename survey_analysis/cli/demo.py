"""``survey-analysis demo --out DIR``: the whole job on the shipped sample data.

Builds the full report (PDF, HTML, XLSX, DOCX) from the sample employer survey, the 2025, 2024
and 2023 graduate surveys, the graduates per cohort, major and sex as population, the 2025
roster (for redaction), the training programmes (``data/raw/programme_2025.xlsx``),
``data/config.yaml`` and the school's 2025 special-action ledgers named in its ``data: ledger:``
lines (when the files are there); the ledger's supply side is the 2025 roster, whose counts per
major are the report's graduate counts.
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


def ledger_inputs(paths: dict) -> dict:
    """``visits``, ``demand`` and ``ledger_graduates`` for :func:`survey_analysis.analyse` from the
    ``data: ledger:`` lines of the sample's config (paths relative to the config's folder); all
    None when the config names no ledger or its visit ledger is not there."""
    import yaml

    none = {"visits": None, "demand": None, "ledger_graduates": None}
    config = paths.get("config")
    if not config or not config.exists():
        return none
    doc = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    ledger = (doc.get("data") or {}).get("ledger") or {}
    base = config.parent
    found = {k: base / ledger[k] for k in ("visits", "demand", "graduates") if ledger.get(k)}
    if "visits" not in found or not found["visits"].is_file():
        return none
    demand = found.get("demand")
    return {"visits": found["visits"], "demand": demand if demand is not None and demand.is_file() else None,
            "ledger_graduates": found.get("graduates", paths["roster"])}


def run(args) -> int:
    from ..datasets import sample_paths
    from ..design import key_from_env
    from .report import build_and_summarise

    paths = sample_paths()
    config = paths.get("config")
    key = key_from_env(args.key) or "survey-analysis-demo"
    return build_and_summarise(
        args, employer=paths["employer"],
        graduates=[paths["graduate_2025"], paths["graduate_2024"], paths["graduate_2023"]],
        population=paths["population"], roster=paths["roster"], config=config if config and config.exists() else None,
        key=key, label="样例报告", programme=paths.get("programme"), **ledger_inputs(paths))
