"""Privacy at the door: pseudonymisation, PII detection, redaction, small-cell suppression."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["suppress_small"]

SUPPRESSED = "<n<{k}"


def suppress_small(
    table: pd.DataFrame,
    *,
    n_col: str = "n",
    min_cell: int = 5,
    value_cols: list | None = None,
) -> pd.DataFrame:
    """Hide the values of rows whose group has fewer than ``min_cell`` respondents.

    Parameters
    ----------
    table : DataFrame
        A group table with a count column ``n_col``.
    n_col : str, default "n"
    min_cell : int, default 5
    value_cols : list of str, optional
        Columns to blank (default: every numeric column except ``n_col``).

    Returns
    -------
    DataFrame
        A copy where suppressed rows have ``NaN`` in ``value_cols`` and a boolean column
        ``suppressed``; ``n`` itself is kept (it is not personal) unless it is below
        ``min_cell``, in which case it is blanked too.
    """
    out = table.copy()
    if value_cols is None:
        value_cols = [c for c in out.columns if c != n_col and pd.api.types.is_numeric_dtype(out[c])]
    small = out[n_col].fillna(0) < min_cell
    out["suppressed"] = small.to_numpy()
    for c in value_cols:
        if pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].astype(float)
            out.loc[small, c] = np.nan
        else:
            out[c] = out[c].astype(object)
            out.loc[small, c] = None
    out[n_col] = out[n_col].astype(float)
    out.loc[small, n_col] = np.nan
    out.attrs["min_cell"] = min_cell
    out.attrs["suppression_note"] = f"样本量少于 {min_cell} 的组已隐藏（保护隐私，且估计不稳定）。"
    return out
