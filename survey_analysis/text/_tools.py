"""Which tools and named skills employers name, per group (major, college, industry …)."""
from __future__ import annotations

import pandas as pd

from ..errors import ConfigError

__all__ = ["tool_table", "TOOL_TABLE_COLUMNS"]

#: columns of :func:`tool_table` after the group column(s)
TOOL_TABLE_COLUMNS = ["tool", "competency_id", "field", "n", "count", "share", "rank", "suppressed"]


def tool_table(mentions: pd.DataFrame, groups, *, by="major", id_column: str | None = None,
               polarity=None, min_cell: int | None = None) -> pd.DataFrame:
    """Which tools the comments name, per group: respondents naming each tool over the group's
    respondents, small groups suppressed.

    Parameters
    ----------
    mentions : DataFrame
        :func:`extract_skills` output (``comment_id``, ``tool``, ``competency_id``,
        ``polarity``); ``comment_id`` identifies the respondent.
    groups : DataFrame or Series
        One row per respondent who was asked (the denominators), with the ``by`` column(s):
        indexed by the respondent id, or with the id in ``id_column``.
    by : str or list of str, default "major"
    id_column : str, optional
        Column of ``groups`` holding the respondent id (default: the index).
    polarity : str or list of str, optional
        Count only mentions with this polarity (``"gap"``: tools named as lacking); default all.
    min_cell : int, optional
        Groups with fewer respondents are suppressed with
        :func:`survey_analysis.privacy.suppress_small`; default the design's ``min_cell``.

    Returns
    -------
    DataFrame
        ``<by…>, tool, competency_id, field, n, count, share, rank, suppressed``: one row per
        group × tool named at least once; ``n`` = respondents of the group (rows of ``groups``),
        ``count`` = respondents of the group whose comments name the tool, ``share`` =
        count / n, ``rank`` = 1 for the most named tool of the group, ``field`` = the tool's
        field of study in the catalogue (中文; empty for a name found by the unknown-tool rule).
        Suppressed rows have ``n``, ``count`` and ``share`` blanked;
        ``attrs["suppression_note"]`` says so.

    Examples
    --------
    >>> from survey_analysis.text import extract_skills
    >>> m = extract_skills(["熟悉Python、SQL", "Excel不熟练", "会用Python"], ids=["a", "b", "c"])
    >>> g = pd.DataFrame({"major": ["统计学", "会计学", "统计学"]}, index=["a", "b", "c"])
    >>> t = tool_table(m, g, min_cell=1)
    >>> t[["major", "tool", "n", "count"]].values.tolist()
    [['会计学', 'Excel', 1, 1], ['统计学', 'Python', 2, 2], ['统计学', 'SQL', 2, 1]]
    """
    from ..design import Design
    from ..mentions import tool_shares

    design = Design.resolve(None, min_cell=min_cell)
    need = ["comment_id", "tool", "competency_id", "polarity"]
    missing = [c for c in need if c not in mentions.columns]
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in mentions.columns])
    if isinstance(groups, pd.Series):
        groups = groups.to_frame(name=groups.name if groups.name is not None else
                                 (by if isinstance(by, str) else "group"))
    if not isinstance(by, str):
        by = list(by)
        if len(by) != 1:
            raise ConfigError("tool_table 一次按一列分组", found="、".join(map(str, by)))
        by = by[0]
    cols = [by] + ([id_column] if id_column else [])
    missing = [c for c in cols if c not in groups.columns]
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in groups.columns])
    ids = groups[id_column].to_numpy() if id_column else groups.index.to_numpy()
    g = pd.DataFrame({"respondent_id": ids, "_group": groups[by].to_numpy()}).dropna(subset=["_group"])
    g = g.drop_duplicates("respondent_id").reset_index(drop=True)
    # one level, no total shown beside it: small groups hidden, no complements needed
    t = tool_shares(mentions, g, design.replace(major="_group", levels=("major",)), polarity=polarity)
    t = t.rename(columns={"group": by})
    t = t.sort_values([by, "suppressed", "count", "tool"], ascending=[True, True, False, True], kind="stable")
    return t[[by, *TOOL_TABLE_COLUMNS]].reset_index(drop=True)
