"""Theme shares per group and the stacking of employer comment fields."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AnalysisError, ConfigError
from ._units import UNASSIGNED, UNASSIGNED_LABEL

__all__ = ["theme_shares", "feedback_texts"]


# ---------------------------------------------------------------------------------------
# group shares
# ---------------------------------------------------------------------------------------
def theme_shares(units: pd.DataFrame, themes: pd.DataFrame, groups, *, by, respondent=None,
                 min_cell: int | None = None) -> pd.DataFrame:
    """Each theme's share within each group (major, college, industry …).

    The share of a theme in a group is the number of respondents of the group with at least one
    unit in the theme divided by the respondents of the group with at least one clustered unit
    (gap mention), so shares of one group can add up to more than 1.  Groups with fewer than
    ``min_cell`` such respondents are suppressed with :func:`survey_analysis.privacy.suppress_small`.

    Parameters
    ----------
    units : DataFrame
        :attr:`SkillGapClusterer.units_` (``text_index``, ``theme``).
    themes : DataFrame
        :attr:`SkillGapClusterer.themes_` (``theme``, ``label``, ``competency_id``).
    groups : DataFrame or Series
        Aligned with the texts given to ``fit`` (row *i* describes text *i*).
    by : str or list of str
        Group column(s) of ``groups`` (a Series: its name, or any value for the Series itself).
    respondent : str, optional
        Column of ``groups`` identifying the respondent when several texts come from one
        respondent (e.g. two comment fields); default: each text is a respondent.
    min_cell : int, optional
        Default: the design's ``min_cell``.

    Returns
    -------
    DataFrame
        ``<by…>, theme, label, competency_id, n, count, share, rank, suppressed`` — one row per
        group × theme (theme ``-1`` = 未归类) with ``count > 0``; ``n`` = respondents of the group
        with a clustered unit, ``rank`` = 1 for the theme with the largest share in the group
        (the unassigned row is not ranked).  ``attrs["suppression_note"]`` says what was hidden.

    Examples
    --------
    >>> units = pd.DataFrame({"text_index": [0, 1, 2], "theme": [0, 0, 1]})
    >>> themes = pd.DataFrame({"theme": [0, 1], "label": ["a", "b"], "competency_id": ["x", "y"]})
    >>> t = theme_shares(units, themes, pd.Series(["甲", "甲", "乙"], name="major"), by="major",
    ...                  min_cell=1)
    >>> t[["major", "theme", "share"]].values.tolist()
    [['乙', 1, 1.0], ['甲', 0, 1.0]]
    """
    from ..privacy import suppress_small

    if isinstance(groups, pd.Series):
        name = groups.name if groups.name is not None else (by if isinstance(by, str) else "group")
        groups = groups.to_frame(name=name)
        by = [name] if not isinstance(by, (list, tuple)) else list(by)
    by = [by] if isinstance(by, str) else list(by)
    missing = [c for c in by + ([respondent] if respondent else []) if c not in groups.columns]
    if missing:
        raise ConfigError.missing_columns(missing, [str(c) for c in groups.columns])
    if min_cell is None:
        from ..design import Design

        min_cell = Design().min_cell
    if int(min_cell) < 1:
        raise ConfigError("min_cell 必须是正整数", expected="例如 5", found=repr(min_cell))
    if len(units) and int(units["text_index"].max()) >= len(groups):
        raise ConfigError("分组表的行数少于聚类时的文本数：groups 必须与 fit 的文本逐行对应",
                          expected=f"至少 {int(units['text_index'].max()) + 1} 行", found=f"{len(groups)} 行")
    g = groups.reset_index(drop=True)
    resp = g[respondent].to_numpy() if respondent else np.arange(len(g))
    idx = units["text_index"].to_numpy()
    long = pd.DataFrame({"_resp": resp[idx], "theme": units["theme"].to_numpy()})
    for c in by:
        long[c] = g[c].to_numpy()[idx]
    long = long.dropna(subset=by)
    denom = long.drop_duplicates(by + ["_resp"]).groupby(by, sort=True).size().rename("n")
    count = long.drop_duplicates(by + ["_resp", "theme"]).groupby(by + ["theme"], sort=True).size() \
        .rename("count")
    out = count.reset_index().merge(denom.reset_index(), on=by, how="left")
    out["share"] = out["count"] / out["n"]
    info = themes.set_index("theme")
    out["label"] = out["theme"].map(info["label"]).astype(object)
    out.loc[out["theme"] == UNASSIGNED, "label"] = UNASSIGNED_LABEL
    out["competency_id"] = out["theme"].map(info["competency_id"]).astype(object)
    ranked = out[out["theme"] != UNASSIGNED].sort_values(by + ["share", "theme"],
                                                         ascending=[True] * len(by) + [False, True])
    out["rank"] = pd.Series(ranked.groupby(by, sort=False).cumcount().to_numpy() + 1,
                            index=ranked.index).reindex(out.index).astype("Int64")
    out = out.sort_values(by + ["rank", "theme"], kind="stable", na_position="last").reset_index(drop=True)
    out = out[by + ["theme", "label", "competency_id", "n", "count", "share", "rank"]]
    out = suppress_small(out, n_col="n", min_cell=int(min_cell), value_cols=["count", "share"])
    return out


def feedback_texts(data: pd.DataFrame, columns=None, *, keep=("respondent_id", "major", "college",
                                                                "industry"),
                   colleges: dict | None = None) -> pd.DataFrame:
    """Stack the open-text columns of cleaned employer data into one text per row for clustering.

    Parameters
    ----------
    data : DataFrame
        ``CleanResult.data`` of an employer survey.
    columns : dict, optional
        Column → default polarity; default ``{"comment_suggestion": "neutral",
        "comment_skills": "gap"}`` (the second asks what graduates most need to improve).
        Columns that are absent are skipped.
    keep : sequence of str
        Columns copied to every row when present (group columns for :func:`theme_shares`).
    colleges : dict, optional
        Major → college, used to add ``college`` when ``data`` has none (employer surveys name
        only the major; the mapping is in the school's ``config.yaml``).

    Returns
    -------
    DataFrame
        ``text, default_polarity, field, row`` (``row`` = position in ``data``) and ``keep``;
        pass it to :meth:`SkillGapClusterer.fit` and use it as ``groups`` with
        ``respondent="row"``.
    """
    if columns is None:
        columns = {"comment_suggestion": "neutral", "comment_skills": "gap"}
    present = [c for c in columns if c in data.columns]
    if not present:
        raise AnalysisError.missing_columns(list(columns), [str(c) for c in data.columns],
                                            what="意见文本列")
    if colleges is not None and "college" not in data.columns and "major" in data.columns:
        data = data.assign(college=data["major"].map(dict(colleges)).astype(object))
    parts = []
    for c in present:
        part = pd.DataFrame({"text": data[c].astype(object).to_numpy(),
                             "default_polarity": columns[c], "field": c,
                             "row": np.arange(len(data))})
        for k in keep:
            if k in data.columns:
                part[k] = data[k].to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)

