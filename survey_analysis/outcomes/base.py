"""What every graduate-outcome statistic starts from: the design, the group index, the weights,
and the respondent-level definitions (destination categories, income in work)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..design import Design, PlacementDefinition
from ..errors import AnalysisError
from ..stats import GroupIndex, label_test, numeric, text_codes, weighting_attrs, weights_of

__all__ = ["Survey", "prepare", "resolve", "DestinationFlags", "destination_flags", "income_in_work",
           "rows_text", "require"]

#: keyword names the outcome functions accepted before the design existed → Design fields
_LEGACY = {"by": "levels", "definition": "placement", "weights": "weight"}


def resolve(design: Design | None, **overrides) -> Design:
    """``Design.resolve`` that also understands the functions' older keyword names."""
    return Design.resolve(design, **{_LEGACY.get(k, k): v for k, v in overrides.items()})


def require(df: pd.DataFrame, cols) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise AnalysisError.missing_columns(missing, list(map(str, df.columns)))


@dataclass(frozen=True, eq=False)
class Survey:
    """A cleaned graduate frame with its design, group index and weights (built once per call
    chain and passed on: ``outcome_tables(df, index=...)`` reuses an index the caller built)."""

    df: pd.DataFrame
    design: Design
    index: GroupIndex
    w: np.ndarray | None
    _codes: dict = field(default_factory=dict, repr=False)

    def codes(self, col: str) -> tuple[np.ndarray, pd.Index]:
        """Text codes of a column (factorised once per Survey)."""
        if col not in self._codes:
            self._codes[col] = text_codes(self.df[col])
        return self._codes[col]

    def is_label(self, col: str, labels) -> np.ndarray:
        labels = set(labels)
        codes, names = self.codes(col)
        return label_test(codes, names, lambda x: x in labels)

    def values(self, col: str) -> np.ndarray:
        return numeric(self.df[col]) if col in self.df.columns else np.full(len(self.df), np.nan)

    @property
    def attrs(self) -> dict:
        d = self.design
        return {"satisfied": d.satisfied, "conf": d.conf, "min_cell": d.min_cell,
                **weighting_attrs(self.df, d)}


def prepare(df: pd.DataFrame, design: Design, index: GroupIndex | None = None) -> Survey:
    """A :class:`Survey` of ``df`` (a unique index is made when the frame's is not)."""
    if not df.index.is_unique:
        df = df.reset_index(drop=True)
    if index is None:
        index = GroupIndex.build(df, design)
    elif index.n_rows != len(df):
        raise AnalysisError("分组索引（index）与数据的行数不一致", expected=str(len(df)), found=index.n_rows,
                            hint="请用 GroupIndex.build(同一份数据, design) 生成索引。")
    return Survey(df=df, design=design, index=index, w=weights_of(df, design))


@dataclass(frozen=True)
class DestinationFlags:
    """Per respondent, the destination categories of a :class:`PlacementDefinition`.

    ``in_base``: answered, known and not excluded; the rate indicators (``placed`` …) are 1/0
    inside the base and NaN outside it; ``in_work``: a destination that counts as employed.
    """

    missing: np.ndarray
    unknown: np.ndarray
    excluded: np.ndarray
    in_base: np.ndarray
    in_work: np.ndarray
    rates: dict


def destination_flags(s: Survey) -> DestinationFlags:
    require(s.df, ["destination"])
    definition: PlacementDefinition = s.design.placement
    codes, _ = s.codes("destination")
    missing = codes < 0
    unknown = ~missing & ~s.is_label("destination", definition.known)
    excluded = s.is_label("destination", definition.excluded) & ~missing
    in_base = ~missing & ~unknown & ~excluded

    def rate(labels):
        return np.where(in_base, s.is_label("destination", labels).astype(float), np.nan)

    placed = rate(definition.placed)
    rates = {"placed": placed, "employed": rate(definition.employed), "flexible": rate(definition.flexible),
             "further_domestic": rate(definition.further_domestic), "abroad": rate(definition.abroad),
             "unemployed": np.where(in_base, 1.0 - placed, np.nan)}
    in_work = s.is_label("destination", definition.employed) & ~unknown
    return DestinationFlags(missing, unknown, excluded, in_base, in_work, rates)


def income_in_work(s: Survey, flags: DestinationFlags) -> tuple[np.ndarray, np.ndarray]:
    """``(income, implausible)``: monthly income of those in work inside the design's bounds
    (NaN otherwise), and who in work reported an income outside them."""
    lo, hi = s.design.income_bounds
    inc = s.values("income")
    implausible = flags.in_work & ~np.isnan(inc) & ((inc < lo) | (inc > hi))
    return np.where(flags.in_work & ~implausible, inc, np.nan), implausible


def rows_text(mask: np.ndarray, df: pd.DataFrame) -> str:
    """The first rows (as the file numbers them) where ``mask`` holds, for a problem message."""
    pos = np.flatnonzero(mask)
    if "source_row" in df.columns:
        vals = pd.to_numeric(df["source_row"].iloc[pos], errors="coerce").dropna().astype(int).tolist()
        label = "行"
    else:
        vals = df["respondent_id"].iloc[pos].tolist() if "respondent_id" in df.columns else pos.tolist()
        label = "答卷"
    shown = "、".join(map(str, vals[:10]))
    return f"{label} {shown}{'…' if len(vals) > 10 else ''}"
