"""The statistics kernel: grouping, estimation, intervals, tests and disclosure control.

Every statistic the package publishes is computed here or on top of these functions:

* :class:`GroupIndex` (``groups.py``): the school / college / major groups of a frame, built
  once and passed explicitly.
* ``estimators.py``: weighted shares, means and quantiles for one sample (the plain
  definitions) and for every group at once (``group_*``, vectorised, tested equal).
* ``intervals.py``: Wilson, t, Newcombe and Welch intervals.
* ``significance.py``: Benjamini–Hochberg, chi-square / Kruskal–Wallis with a design effect,
  two-share differences.
* ``disclosure.py``: which cells are hidden (small groups and their complements), the same
  decision for every table on the same base.
* ``table.py``: :func:`group_table`, the one way a grouped estimate becomes a published table.
* ``codes.py``: text columns as codes, multi-select answers parsed once (the speed tricks).
"""
from __future__ import annotations

from .codes import label_test, multi_codes, multi_indicator, numeric, stripped, text_codes
from .disclosure import apply_hidden, protect, suppress_small, suppression_note
from .estimators import (
    MeanEstimate,
    Means,
    ShareEstimate,
    Shares,
    as_float,
    group_distribution,
    group_means,
    means_from_sums,
    group_quantiles,
    group_shares,
    kish_effective_n,
    weighted_mean,
    weighted_quantile,
    weighted_share,
)
from .groups import GroupIndex
from .moments import GroupOrder, GroupSums, group_sums, means_of, shares_of
from .intervals import newcombe_interval, t_quantile, welch_interval, wilson, wilson_interval, z_value
from .significance import bh_adjust, chi_square, group_tests, kruskal, mean_test_p, share_difference_p
from .table import group_table, long_table, weighting_attrs, weights_of

__all__ = [
    "GroupIndex", "GroupOrder", "GroupSums", "group_sums", "means_of", "shares_of",
    "ShareEstimate", "MeanEstimate", "Shares", "Means",
    "weighted_share", "weighted_mean", "weighted_quantile", "kish_effective_n", "as_float",
    "group_shares", "group_means", "means_from_sums", "group_quantiles", "group_distribution",
    "wilson", "wilson_interval", "newcombe_interval", "welch_interval", "t_quantile", "z_value",
    "bh_adjust", "chi_square", "kruskal", "share_difference_p", "group_tests", "mean_test_p",
    "protect", "apply_hidden", "suppress_small", "suppression_note",
    "group_table", "long_table", "weights_of", "weighting_attrs",
    "text_codes", "numeric", "multi_codes", "multi_indicator", "label_test", "stripped",
]
