"""Which tools and named skills employers name, per group (major, college, industry …)."""
from __future__ import annotations

import pandas as pd

from ..errors import ConfigError

__all__ = ["tool_table", "TOOL_TABLE_COLUMNS"]

#: columns of :func:`tool_table` after the group column(s)
TOOL_TABLE_COLUMNS = ["tool", "competency_id", "field", "n", "count", "share", "rank", "suppressed"]


def _explode_tools(mentions: pd.DataFrame, polarity) -> pd.DataFrame:
    """``comment_id, tool, competency_id``: one row per tool named in a mention row."""
    m = mentions
    if polarity is not None:
        pols = [polarity] if isinstance(polarity, str) else list(polarity)
        m = m[m["polarity"].isin(pols)]
    m = m[m["tool"].astype(str) != ""]
    if not len(m):
        return pd.DataFrame({"comment_id": pd.Series(dtype=object), "tool": pd.Series(dtype=object),
                             "competency_id": pd.Series(dtype=object)})
    t = m[["comment_id", "tool", "competency_id"]].assign(tool=m["tool"].astype(str).str.split(";"))
    t = t.explode("tool")
    return t[t["tool"] != ""].reset_index(drop=True)


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
    from ..privacy import suppress_small
    from ._taxonomy import load_tool_catalogue

    if min_cell is None:
        min_cell = Design().min_cell
    if int(min_cell) < 1:
        raise ConfigError("min_cell 必须是正整数", expected="例如 5", found=repr(min_cell))
    need = ["comment_id", "tool", "competency_id", "polarity"]
    missing = [c for c in need if c not in mentions.columns]
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in mentions.columns])
    if isinstance(groups, pd.Series):
        groups = groups.to_frame(name=groups.name if groups.name is not None else
                                 (by if isinstance(by, str) else "group"))
    by = [by] if isinstance(by, str) else list(by)
    cols = by + ([id_column] if id_column else [])
    missing = [c for c in cols if c not in groups.columns]
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in groups.columns])
    ids = groups[id_column].to_numpy() if id_column else groups.index.to_numpy()
    g = pd.DataFrame({"_id": ids}).join(groups[by].reset_index(drop=True))
    g = g.dropna(subset=by).drop_duplicates("_id")
    n = g.groupby(by, sort=True).size().rename("n")
    t = _explode_tools(mentions, polarity)
    long = t.merge(g, left_on="comment_id", right_on="_id", how="inner")
    count = long.drop_duplicates(["_id", "tool"] + by).groupby(by + ["tool"], sort=True).size().rename("count")
    comp = t.drop_duplicates("tool").set_index("tool")["competency_id"]
    cat = load_tool_catalogue()
    field_of = {e["name"]: cat["groups"].get(e.get("group"), "") for e in cat["tools"]}
    out = count.reset_index().merge(n.reset_index(), on=by, how="left")
    out["share"] = out["count"] / out["n"]
    out["competency_id"] = out["tool"].map(comp).astype(object)
    out["field"] = out["tool"].map(field_of).fillna("").astype(object)
    out = out.sort_values(by + ["count", "tool"], ascending=[True] * len(by) + [False, True],
                          kind="stable").reset_index(drop=True)
    out["rank"] = out.groupby(by, sort=False).cumcount().to_numpy() + 1
    out = out[by + TOOL_TABLE_COLUMNS[:-1]]
    out = suppress_small(out, n_col="n", min_cell=int(min_cell), value_cols=["count", "share", "rank"])
    for c in ("n", "count", "rank"):
        out[c] = out[c].astype("Int64")
    return out
