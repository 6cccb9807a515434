"""The special-action ledgers (访企拓岗促就业专项行动台账).

Readers of the visit ledger and the employer demand ledger (lazy validation, audit trail),
employer-name normalisation, progress against the notice's targets (教学厅函〔2022〕3号),
the key-employer database and supply/demand by major.

Typical use::

    from survey_analysis.ledger import analyze_ledger
    res = analyze_ledger("data/raw/ledger_visits_2022.xlsx", "data/raw/ledger_demand_2022.xlsx")
    print(res.summary())
    res.behind            # who is behind, with a plain Chinese statement
"""
from ._analyze import (
    LABELS,
    TABLE_TITLES,
    LedgerResults,
    analyze_ledger,
    behind_list,
    key_employers,
    leader_progress,
    monthly_progress,
    read_graduates,
    supply_demand,
    university_progress,
)
from ._employers import merge_employers, normalize_employer
from ._majors import match_major, split_majors
from ._read import (
    AUDIT_COLUMNS,
    DEMAND_COLUMNS,
    PERIOD_END,
    PERIOD_START,
    VISIT_COLUMNS,
    LedgerTable,
    parse_date,
    read_demand,
    read_visits,
)
from ._report import ledger_report, ledger_section, write_ledger_outputs

__all__ = [
    "AUDIT_COLUMNS",
    "DEMAND_COLUMNS",
    "LABELS",
    "PERIOD_END",
    "PERIOD_START",
    "TABLE_TITLES",
    "VISIT_COLUMNS",
    "LedgerResults",
    "LedgerTable",
    "analyze_ledger",
    "behind_list",
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
