"""The special-action ledgers (访企拓岗促就业专项行动台账).

教学厅函〔2022〕3号 asks each university to keep an electronic ledger of the action: the visits
of its leaders (走访台账), the new employers opened, the positions and internship bases won,
the key-employer database (重点单位数据库) and the employer demand ledger (用人单位需求台账).
This package reads those ledgers (lazy validation, an audit row for every problem, no row
dropped), merges the ways one employer is written, and measures progress against the notice's
targets (:class:`ActionRules`): the 书记、校长（院长）正职 visit at least 100 employers together,
the leadership opens at least 100 new employers; and it sets the demand by major against the
school's own graduates (its roster).

Typical use::

    from survey_analysis.ledger import analyze_ledger, write_ledger_outputs
    res = analyze_ledger("data/raw/ledger_visits_2025.xlsx", "data/raw/ledger_demand_2025.xlsx",
                         graduates="data/raw/roster_2025.xlsx")
    print(res.summary())
    res.behind            # who is behind, with a plain Chinese statement
    write_ledger_outputs(res, "reports/ledger")
"""
from ._analyze import LedgerResults, analyze_ledger, read_graduates
from ._employers import key_employers, merge_employers, normalize_employer
from ._labels import LABELS, TABLE_TITLES
from ._majors import match_major, split_majors, supply_demand
from ._progress import behind_list, college_summary, leader_progress, monthly_progress, university_progress
from ._read import AUDIT_COLUMNS, DEMAND_COLUMNS, VISIT_COLUMNS, LedgerTable, parse_date, read_demand, read_visits
from ._report import OUTPUT_FILES, ledger_report, ledger_section, write_ledger_outputs
from ._rules import NOTICE, PERIOD_END, PERIOD_MONTHS, PERIOD_START, ActionRules

__all__ = [
    "AUDIT_COLUMNS",
    "DEMAND_COLUMNS",
    "LABELS",
    "NOTICE",
    "OUTPUT_FILES",
    "PERIOD_END",
    "PERIOD_MONTHS",
    "PERIOD_START",
    "TABLE_TITLES",
    "VISIT_COLUMNS",
    "ActionRules",
    "LedgerResults",
    "LedgerTable",
    "analyze_ledger",
    "behind_list",
    "college_summary",
    "key_employers",
    "leader_progress",
    "ledger_report",
    "ledger_section",
    "match_major",
    "merge_employers",
    "monthly_progress",
    "normalize_employer",
    "parse_date",
    "read_demand",
    "read_graduates",
    "read_visits",
    "split_majors",
    "supply_demand",
    "university_progress",
    "write_ledger_outputs",
]
