"""Charts with one consistent look: Chinese labels, colour-blind-safe colours, print size.

Every function takes a DataFrame and column names, draws with matplotlib (Agg, no window),
and returns a :class:`~survey_analysis.report.model.Figure` whose caption states the sample
size (``caption_n``) and the period (``period``) — both required keyword arguments.  The
figure is rendered to PNG at once and closed, so no matplotlib figure is left open.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); ordered
answer scales use ColorBrewer ``RdYlBu`` (marked colour-blind safe).  Sizes are for an A4
page: 16 cm wide, 9 pt text.
"""
from __future__ import annotations

import contextlib
import functools
import io
from typing import Iterator, Sequence

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from . import _chart_layout as L
from .model import Figure

__all__ = [
    "OKABE_ITO",
    "chart_style",
    "bar_chart",
    "grouped_bar_chart",
    "ipa_chart",
    "stacked_bar_chart",
    "line_chart",
    "progress_chart",
    "heatmap_chart",
    "IPA_QUADRANTS",
    "check_layout",
    "capture",
]

#: Okabe–Ito colour-blind-safe palette (blue first).
OKABE_ITO = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
)
_GREY = "#9E9E9E"
_TEXT = "#222222"
_WIDTH_IN = 6.3  # 16 cm
#: Resolution of the PNG charts (200 dpi: sharp on paper at 16 cm wide).
DPI = 200

#: Names of the IPA quadrants (importance high/low × performance high/low).
IPA_QUADRANTS = {
    ("high", "low"): "重点改进区",
    ("high", "high"): "继续保持区",
    ("low", "low"): "次要改进区",
    ("low", "high"): "过度投入区",
}


@contextlib.contextmanager
def chart_style() -> Iterator[None]:
    """The house style (CJK font, Okabe–Ito colours, 9 pt text) inside the block."""
    import matplotlib

    from cycler import cycler

    from .fonts import mpl_rc

    rc = dict(mpl_rc())
    rc.update(
        {
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.labelsize": 9,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "legend.fontsize": 8.5,
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.edgecolor": "#888888",
            "axes.labelcolor": _TEXT,
            "text.color": _TEXT,
            "xtick.color": "#444444",
            "ytick.color": "#444444",
            "axes.grid": True,
            "grid.color": "#E5E5E5",
            "grid.linewidth": 0.6,
            "axes.axisbelow": True,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "savefig.bbox": "tight",
            "savefig.pad_inches": 0.08,
        }
    )
    with matplotlib.rc_context(rc):
        yield


def check_layout(fig) -> list[str]:
    """Collisions in a chart drawn by this module (text over text, a reference line through
    a label, a legend over data): :func:`._chart_layout.layout_problems` in the house style.

    Get the matplotlib figure of a chart with :func:`capture`."""
    with chart_style():
        return L.layout_problems(fig)


#: Collect the matplotlib figures drawn inside a ``with capture() as figs:`` block.
capture = L.capture


def _new_figure(figsize):
    """A figure that belongs to no GUI backend (no pyplot state, nothing to close)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def _caption(title: str, caption_n, period) -> str:
    if caption_n is None or period is None or str(period).strip() == "":
        raise ValueError("every chart needs caption_n (sample size) and period for its caption")
    n = f"{caption_n:,}" if isinstance(caption_n, (int, np.integer)) else str(caption_n)
    n_txt = f"n = {n}" if isinstance(caption_n, (int, np.integer)) else n
    return f"{title}（{n_txt}；{period}）"


def _finish(fig, title, caption_n, period, width) -> Figure:
    L.captured(fig)
    buf = io.BytesIO()
    with chart_style():
        # zlib level 3 instead of PIL's 6: the same pixels and about the same size, a third
        # less time on the tall 60-major charts
        fig.savefig(buf, format="png", facecolor="white", dpi=DPI, bbox_inches="tight",
                    pad_inches=0.08, pil_kwargs={"compress_level": 3})
    return Figure(buf.getvalue(), _caption(title, caption_n, period), width=width)


def _check(data: pd.DataFrame, cols: Sequence[str], what: str) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"{what}: data must be a DataFrame")
    missing = [c for c in cols if c is not None and c not in data.columns]
    if missing:
        raise AnalysisError.missing_columns(missing, data.columns, what="列")
    if len(data) == 0:
        raise AnalysisError(f"无法绘制「{what}」：没有数据", hint="请检查筛选条件或样本量。")
    return data


def _fmt(v: float, value_format: str) -> str:
    """Value labels formatted exactly as in the tables (same rounding)."""
    from ._format import format_value

    return format_value(v, value_format if value_format in ("pct", "int", "money", "float1", "float2") else "float2")


def _pct_axis(ax, axis="x"):
    from matplotlib.ticker import PercentFormatter

    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(PercentFormatter(1.0, decimals=0))


def _wrap(label, width=14) -> str:
    """A category label on lines of at most ``width`` Chinese characters, broken between
    words (信息传输、软件和 / 信息技术服务业, not …服务 / 业)."""
    from ._wordbreak import break_lines, display_width

    s = str(label)
    if display_width(s) <= 2 * width:
        return s
    return "\n".join(break_lines(s, 2 * width, display_width, _breaker()))


@functools.lru_cache(maxsize=1)
def _breaker():
    from ._wordbreak import WordBreaker

    return WordBreaker()


def bar_chart(
    data: pd.DataFrame,
    label: str,
    value: str,
    *,
    low: str | None = None,
    high: str | None = None,
    title: str,
    caption_n,
    period: str,
    xlabel: str = "",
    value_format: str = "pct",
    target: float | None = None,
    target_label: str = "目标",
    highlight: Sequence[str] | None = None,
    sort: bool = True,
    width: float = 1.0,
) -> Figure:
    """Horizontal bars (shares or means) with optional confidence-interval error bars.

    Parameters
    ----------
    data : DataFrame
        One row per bar.
    label, value : str
        Columns with the bar labels and values (shares 0..1 when ``value_format="pct"``).
    low, high : str, optional
        Columns with the interval bounds; drawn as error bars.
    title : str
        Start of the caption.
    caption_n : int or str
        The sample size stated in the caption (an int, or text such as "毕业生 1,845 人").
    period : str
        The survey period stated in the caption (e.g. "2024 年 6–8 月").
    value_format : {"pct", "float1", "float2", "int", "money"}, default "pct"
    target : float, optional
        A reference line (benchmark, school value).
    highlight : list of str, optional
        Labels drawn in the accent colour (e.g. the school row).
    sort : bool, default True
        Largest value on top.

    Returns
    -------
    Figure
    """
    d = _check(data, [label, value, low, high], title).copy()
    if sort:
        d = d.sort_values(value, ascending=True, na_position="first")
    else:
        d = d.iloc[::-1]
    labels = [_wrap(x) for x in d[label].astype(str)]
    vals = pd.to_numeric(d[value], errors="coerce").to_numpy(dtype=float)
    hl = set(map(str, highlight or []))
    colors = [OKABE_ITO[1] if str(x) in hl else OKABE_ITO[0] for x in d[label].astype(str)]
    n = len(d)
    with chart_style():
        h = max(1.6, 0.32 * n + 0.9 + (0.25 if target is not None else 0))
        fig, ax = _new_figure(figsize=(_WIDTH_IN, h))
        y = np.arange(n)
        err = np.zeros(n)
        if low is not None and high is not None:
            lo = pd.to_numeric(d[low], errors="coerce").to_numpy(dtype=float)
            hi = pd.to_numeric(d[high], errors="coerce").to_numpy(dtype=float)
            xerr = np.nan_to_num(np.vstack([np.clip(vals - lo, 0, None), np.clip(hi - vals, 0, None)]))
            err = xerr[1]
        ax.barh(y, np.nan_to_num(vals), color=colors, height=0.62, zorder=2)
        if low is not None and high is not None:
            ax.errorbar(np.nan_to_num(vals), y, xerr=xerr, fmt="none", ecolor="#333333",
                        elinewidth=0.9, capsize=2.5, zorder=3)
        ax.set_yticks(y, labels)
        ax.grid(axis="y", visible=False)
        top = np.nanmax(np.r_[vals, vals + err, target or 0])
        top = top if np.isfinite(top) and top > 0 else 1.0
        ax.set_xlim(0, top * 1.15)
        # room above the top bar for the reference line's label
        ax.set_ylim(-0.6, n - 0.4 + (0.6 if target is not None else 0))
        if target is not None:
            ax.axvline(target, color=OKABE_ITO[3], lw=1.1, ls="--", zorder=4, gid="ref")
        if value_format == "pct":
            _pct_axis(ax, "x")
        if xlabel:
            ax.set_xlabel(xlabel)
        fig.tight_layout()
        ends = np.nan_to_num(vals) + err
        texts = [_value_label(ax, e, yi, _fmt(v, value_format)) for yi, v, e in zip(y, vals, ends)]
        if target is not None:
            _clear_of_line(ax, texts, target)
            _line_label(ax, target, n - 0.5, f"{target_label} {_fmt(target, value_format)}")
    return _finish(fig, title, caption_n, period, width)


def _value_label(ax, x, y, text, size=8):
    """A value label just right of ``x`` (the bar's end or its error bar)."""
    t = ax.annotate(text, (x, y), xytext=(4, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=size, color=_TEXT, annotation_clip=False, gid="label")
    t.set_in_layout(False)
    return t


def _clear_of_line(ax, texts, x) -> None:
    """Value labels that a vertical reference line at ``x`` would cross start right of it."""
    renderer = L.renderer_of(ax.figure)
    xpx = ax.transData.transform((x, 0))[0]
    for t in texts:
        b = t.get_window_extent(renderer)
        if b.x0 - 1 < xpx < b.x1 + 1:
            t.xy = (x, t.xy[1])
            t.xyann = (3, 0)


def _line_label(ax, x, y, text) -> None:
    """The label of a vertical reference line: above the bars, beside the line (right of it,
    or left of it near the right edge), never across it."""
    t = ax.annotate(text, (x, y), xytext=(3, 1), textcoords="offset points", ha="left", va="bottom",
                    color=OKABE_ITO[3], fontsize=8, annotation_clip=False)
    t.set_in_layout(False)
    renderer = L.renderer_of(ax.figure)
    if t.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1:
        t.set_ha("right")
        t.xyann = (-3, 1)


def grouped_bar_chart(
    data: pd.DataFrame,
    label: str,
    group: str,
    value: str,
    *,
    title: str,
    caption_n,
    period: str,
    xlabel: str = "",
    value_format: str = "pct",
    group_order: Sequence[str] | None = None,
    width: float = 1.0,
) -> Figure:
    """Horizontal grouped bars: ``label`` categories, one bar per ``group`` (long data).

    E.g. a major beside the school: ``label`` = indicator, ``group`` = "本专业"/"全校".
    """
    d = _check(data, [label, group, value], title)
    wide = d.pivot_table(index=label, columns=group, values=value, aggfunc="first", sort=False)
    groups = list(group_order) if group_order else list(dict.fromkeys(d[group]))
    wide = wide.reindex(columns=groups)
    cats = list(dict.fromkeys(d[label]))[::-1]
    wide = wide.reindex(cats)
    k = len(groups)
    with chart_style():
        h = max(1.8, len(cats) * (0.22 * k + 0.18) + 1.0)
        fig, ax = _new_figure(figsize=(_WIDTH_IN, h))
        y = np.arange(len(cats))
        bh = 0.8 / k
        vmax = np.nanmax(wide.to_numpy(dtype=float)) if wide.size else 1.0
        vmax = vmax if np.isfinite(vmax) and vmax > 0 else 1.0
        labels_ = []
        for j, g in enumerate(groups):
            vals = wide[g].to_numpy(dtype=float)
            pos = y + (k - 1 - 2 * j) * bh / 2
            ax.barh(pos, np.nan_to_num(vals), height=bh * 0.92, color=OKABE_ITO[j % len(OKABE_ITO)],
                    label=str(g), zorder=2)
            labels_ += [(0 if np.isnan(v) else v, p, _fmt(v, value_format)) for p, v in zip(pos, vals)]
        ax.set_yticks(y, [_wrap(c) for c in cats])
        ax.grid(axis="y", visible=False)
        ax.set_xlim(0, vmax * 1.18)
        if value_format == "pct":
            _pct_axis(ax, "x")
        if xlabel:
            ax.set_xlabel(xlabel)
        L.legend_above(ax)
        fig.tight_layout()
        for v, p, text in labels_:
            _value_label(ax, v, p, text, size=7.5)
    return _finish(fig, title, caption_n, period, width)


def ipa_chart(
    data: pd.DataFrame,
    label: str,
    importance: str,
    performance: str,
    *,
    title: str,
    caption_n,
    period: str,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
    xlabel: str = "满意度（表现）",
    ylabel: str = "重要度",
    width: float = 0.9,
) -> Figure:
    """Importance–performance analysis scatter with quadrant lines and labelled points.

    The quadrant lines default to the means of the plotted items; the quadrants are named
    :data:`IPA_QUADRANTS` (top-left = 重点改进区, "concentrate here").
    """
    d = _check(data, [label, importance, performance], title)
    x = pd.to_numeric(d[performance], errors="coerce").to_numpy(dtype=float)
    y = pd.to_numeric(d[importance], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        raise AnalysisError(f"无法绘制「{title}」：重要度或满意度全为空", hint="请检查评分数据。")
    names = d[label].astype(str).to_numpy()[ok]
    x, y = x[ok], y[ok]
    xc = float(np.mean(x)) if performance_cut is None else float(performance_cut)
    yc = float(np.mean(y)) if importance_cut is None else float(importance_cut)
    with chart_style():
        fig, ax = _new_figure(figsize=(_WIDTH_IN, _WIDTH_IN * 0.78))
        xr = max(x.max() - x.min(), 0.2)
        yr = max(y.max() - y.min(), 0.2)
        xlo, xhi = min(x.min(), xc) - xr * 0.12, max(x.max(), xc) + xr * 0.12
        ax.axvline(xc, color="#777777", lw=0.9, ls="--", zorder=1, gid="ref")
        ax.axhline(yc, color="#777777", lw=0.9, ls="--", zorder=1, gid="ref")
        focus = (y >= yc) & (x < xc)
        ax.scatter(x[~focus], y[~focus], s=26, color=OKABE_ITO[0], zorder=3)
        ax.scatter(x[focus], y[focus], s=30, color=OKABE_ITO[3], marker="D", zorder=3)
        ax.set_xlim(xlo, xhi)
        ax.set_ylim(min(y.min(), yc) - yr * 0.12, max(y.max(), yc) + yr * 0.12)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        fig.tight_layout()
        corners = _quadrant_names(ax, x, y, xc, yc)
        fig.tight_layout()
        L.place_point_labels(ax, x, y, names, fontsize=7.5, color=_TEXT, obstacles=corners)
    return _finish(fig, title, caption_n, period, width)


def _quadrant_names(ax, x, y, xc, yc) -> list:
    """The four quadrant names in the corners, in bands above and below the points and clear
    of the reference lines (the limits are widened until they are)."""
    fig = ax.figure
    renderer = L.renderer_of(fig)
    style = dict(fontsize=9, color="#555555", alpha=0.95)
    probe = ax.text(0, 0, IPA_QUADRANTS[("high", "low")], **style)
    bb = probe.get_window_extent(renderer)
    probe.remove()
    w_px, h_px = bb.width + 8, bb.height + 6
    box = ax.get_window_extent(renderer)
    ylo, yhi = ax.get_ylim()
    xlo, xhi = ax.get_xlim()
    # data units per pixel stay the same when a limit moves by its own margin: solve for it
    ky = (yhi - ylo) / box.height
    band = h_px * ky
    top, bottom = max(y.max(), yc), min(y.min(), yc)
    ylo2, yhi2 = min(ylo, bottom - band * 1.6), max(yhi, top + band * 1.6)
    for _ in range(3):  # the scale changes with the limits: iterate
        ky = (yhi2 - ylo2) / box.height
        ylo2, yhi2 = min(ylo2, bottom - h_px * ky * 1.3), max(yhi2, top + h_px * ky * 1.3)
    kx = (xhi - xlo) / box.width
    xlo2, xhi2 = min(xlo, xc - w_px * kx * 1.15), max(xhi, xc + w_px * kx * 1.15)
    for _ in range(3):
        kx = (xhi2 - xlo2) / box.width
        xlo2, xhi2 = min(xlo2, xc - w_px * kx * 1.15), max(xhi2, xc + w_px * kx * 1.15)
    ax.set_xlim(xlo2, xhi2)
    ax.set_ylim(ylo2, yhi2)
    pad = 4
    out = []
    for (imp, perf), (xa, ha), (ya, va) in (
        (("high", "low"), (0.0, "left"), (1.0, "top")), (("high", "high"), (1.0, "right"), (1.0, "top")),
        (("low", "low"), (0.0, "left"), (0.0, "bottom")), (("low", "high"), (1.0, "right"), (0.0, "bottom")),
    ):
        t = ax.annotate(IPA_QUADRANTS[(imp, perf)], (xa, ya), xycoords="axes fraction",
                        xytext=(pad if ha == "left" else -pad, -pad if va == "top" else pad),
                        textcoords="offset points", ha=ha, va=va,
                        **{**style, "color": OKABE_ITO[3] if (imp, perf) == ("high", "low") else "#555555"})
        t.set_in_layout(False)
        out.append(t)
    return out


def stacked_bar_chart(
    data: pd.DataFrame,
    label: str,
    columns: Sequence[str],
    *,
    title: str,
    caption_n,
    period: str,
    column_labels: dict | None = None,
    palette: str = "diverging",
    min_label: float = 0.06,
    width: float = 1.0,
) -> Figure:
    """100 % stacked horizontal bars: one bar per row, one segment per column.

    ``columns`` are counts or shares in scale order (e.g. 很满意 … 很不满意); each row is
    normalised to 100 %.  ``palette="diverging"`` suits ordered answer scales,
    ``"categorical"`` unordered categories.  Segments of at least ``min_label`` are labelled.
    """
    import matplotlib

    d = _check(data, [label, *columns], title)
    vals = d[list(columns)].apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy(dtype=float)
    tot = vals.sum(axis=1, keepdims=True)
    shares = np.divide(vals, tot, out=np.zeros_like(vals), where=tot > 0)
    labels = [_wrap(x) for x in d[label].astype(str)][::-1]
    shares = shares[::-1]
    k = len(columns)
    if palette == "diverging":
        # ColorBrewer RdYlBu (colour-blind safe), best answer blue; seaborn not needed
        cmap = matplotlib.colormaps["RdYlBu"]
        colors = [tuple(c[:3]) for c in cmap(np.linspace(0.1, 0.9, k))][::-1] if k > 1 else [OKABE_ITO[0]]
    else:
        colors = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(k)]
    with chart_style():
        h = max(1.8, 0.34 * len(d) + 1.2)
        fig, ax = _new_figure(figsize=(_WIDTH_IN, h))
        left = np.zeros(len(d))
        y = np.arange(len(d))
        for j, c in enumerate(columns):
            ax.barh(y, shares[:, j], left=left, color=colors[j], height=0.66,
                    label=str((column_labels or {}).get(c, c)), edgecolor="white", linewidth=0.5, zorder=2)
            r, g, b = colors[j][:3] if not isinstance(colors[j], str) else (0, 0.3, 0.6)
            txt = "white" if (0.299 * r + 0.587 * g + 0.114 * b) < 0.5 else _TEXT
            for yi, l, s in zip(y, left, shares[:, j]):
                if s >= min_label:
                    ax.text(l + s / 2, yi, f"{s * 100:.0f}%", ha="center", va="center", fontsize=7.5, color=txt,
                            gid="inbar")
            left = left + shares[:, j]
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 1)
        _pct_axis(ax, "x")
        ax.grid(False)
        L.legend_above(ax)
        fig.tight_layout()
    return _finish(fig, title, caption_n, period, width)


def line_chart(
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    group: str | None = None,
    title: str,
    caption_n,
    period: str,
    xlabel: str = "",
    ylabel: str = "",
    value_format: str = "pct",
    target: float | None = None,
    target_label: str = "目标",
    label_last: bool = True,
    width: float = 1.0,
) -> Figure:
    """Lines for trends over cohorts or cumulative curves (one line per ``group``)."""
    d = _check(data, [x, y, group], title)
    groups = list(dict.fromkeys(d[group])) if group else [None]
    with chart_style():
        fig, ax = _new_figure(figsize=(_WIDTH_IN, 3.0))
        ends = []
        for j, g in enumerate(groups):
            sub = d if g is None else d[d[group] == g]
            xs = sub[x].to_numpy()
            ys = pd.to_numeric(sub[y], errors="coerce").to_numpy(dtype=float)
            col = OKABE_ITO[j % len(OKABE_ITO)]
            ax.plot(xs, ys, marker="o", ms=3.5, lw=1.6, color=col, label=None if g is None else str(g))
            ok = np.flatnonzero(np.isfinite(ys))
            if label_last and len(ok):
                ends.append((xs[ok[-1]], ys[ok[-1]], col))
        if target is not None:
            ax.axhline(target, color=OKABE_ITO[3], lw=1.0, ls="--", gid="ref")
        if value_format == "pct":
            _pct_axis(ax, "y")
        if pd.api.types.is_integer_dtype(d[x]):
            from matplotlib.ticker import MaxNLocator

            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if group:
            L.legend_above(ax)
        # room on the right for the values at the ends of the lines
        lo, hi = ax.get_xlim()
        ax.set_xlim(lo, hi + (hi - lo) * 0.06)
        fig.tight_layout()
        _end_labels(ax, ends, target, value_format)
        if target is not None:
            lo, hi = ax.get_xlim()
            text = f"{target_label} {_fmt(target, value_format)}"
            L.place_free(ax, text, [((lo, target), (4, 2), "left", "bottom"), ((lo, target), (4, -2), "left", "top"),
                                    ((hi, target), (-4, 2), "right", "bottom"), ((hi, target), (-4, -2), "right", "top"),
                                    (((lo + hi) / 2, target), (0, 2), "center", "bottom"),
                                    (((lo + hi) / 2, target), (0, -2), "center", "top")],
                         color=OKABE_ITO[3], fontsize=8)
    return _finish(fig, title, caption_n, period, width)


def _end_labels(ax, ends, target, value_format) -> None:
    """The value at the end of each line, right of it, moved apart so that none overlaps
    another, leaves the plot, or crosses the reference line at ``target`` (values above it
    stay above it; the limits grow when the labels need the room)."""
    labels_ = []
    for xe, ye, col in ends:
        t = ax.annotate(_fmt(ye, value_format), (xe, ye), xytext=(5, 0), textcoords="offset points",
                        fontsize=7.5, color=col, va="center", annotation_clip=False, gid="label")
        t.set_in_layout(False)
        labels_.append(t)
    if not labels_:
        return
    renderer = L.renderer_of(ax.figure)
    h = max(t.get_window_extent(renderer).height for t in labels_) + 1.5
    box = ax.get_window_extent(renderer)
    if target is None:
        L.spread(ax, labels_)
        tops = [t.get_window_extent(renderer) for t in labels_]
        if max(b.y1 for b in tops) > box.y1:
            L.spread(ax, labels_, ceiling=box.y1)
        elif min(b.y0 for b in tops) < box.y0:
            L.spread(ax, labels_, floor=box.y0)
        return
    above = [t for t, (_x, ye, _c) in zip(labels_, ends) if ye >= target]
    below = [t for t in labels_ if t not in above]
    a, b = (len(above) * h + 3) / box.height, (len(below) * h + 3) / box.height
    if a + b < 0.9:  # widen the limits until each side of the line has room for its labels
        ymin, ymax = ax.get_ylim()
        for _ in range(3):
            ymax = max(ymax, (target - a * ymin) / (1 - a))
            ymin = min(ymin, (target - b * ymax) / (1 - b))
        ax.set_ylim(ymin, ymax)
    line_px = ax.transData.transform((0, target))[1]
    L.spread(ax, above, floor=line_px + 2)
    L.spread(ax, below, ceiling=line_px - 2)


def progress_chart(
    data: pd.DataFrame,
    label: str,
    value: str,
    target: str,
    *,
    title: str,
    caption_n,
    period: str,
    unit: str = "",
    width: float = 1.0,
) -> Figure:
    """Progress against a target (e.g. employers visited / 100): one bar per row.

    The grey bar is the target, the coloured bar what was achieved (orange-red when the
    target is not yet reached, green when reached); text gives ``value / target（share）``.
    """
    d = _check(data, [label, value, target], title).iloc[::-1]
    v = pd.to_numeric(d[value], errors="coerce").fillna(0).to_numpy(dtype=float)
    t = pd.to_numeric(d[target], errors="coerce").to_numpy(dtype=float)
    share = np.divide(v, t, out=np.full_like(v, np.nan), where=np.nan_to_num(t) > 0)
    with chart_style():
        h = max(1.4, 0.36 * len(d) + 0.7)
        fig, ax = _new_figure(figsize=(_WIDTH_IN, h))
        y = np.arange(len(d))
        shown = np.nan_to_num(np.minimum(share, 1.0))
        ax.barh(y, np.ones(len(d)), color="#E6E6E6", height=0.56, zorder=1)
        colors = [OKABE_ITO[2] if s >= 1 else OKABE_ITO[1] for s in np.nan_to_num(share)]
        ax.barh(y, shown, color=colors, height=0.56, zorder=2)
        for yi, vi, ti, si in zip(y, v, t, share):
            pct = "—" if np.isnan(si) else f"{si * 100:.0f}%"
            ax.text(1.02, yi, f"{vi:,.0f} / {ti:,.0f}{unit}（{pct}）", va="center", fontsize=8)
        ax.set_yticks(y, [_wrap(x) for x in d[label].astype(str)])
        ax.set_xlim(0, 1.42)
        ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
        _pct_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        ax.spines["bottom"].set_bounds(0, 1)
        fig.tight_layout()
    return _finish(fig, title, caption_n, period, width)


def heatmap_chart(
    data: pd.DataFrame,
    row: str,
    col: str,
    value: str,
    *,
    title: str,
    caption_n,
    period: str,
    labels: dict | None = None,
    col_notes: dict | None = None,
    width: float = 1.0,
) -> Figure:
    """A rows × columns matrix of values in [0, 1] as a heat map (ColorBrewer Blues, colour-blind
    safe), each filled cell labelled (``labels``: value → text, e.g. {1.0: "强"}).  Rows and
    columns keep the order of their first appearance in ``data`` (empty row names are left
    out); a column with no filled cell is still drawn, with ``col_notes[column]`` written down it
    (e.g. 无课程支撑).
    """
    d = _check(data, [row, col, value], title)
    rows = [r for r in dict.fromkeys(d[row].astype(str)) if r]
    cols = list(dict.fromkeys(d[col].astype(str)))
    m = np.full((max(len(rows), 1), len(cols)), np.nan)
    for r, c, v in zip(d[row].astype(str), d[col].astype(str), pd.to_numeric(d[value], errors="coerce")):
        if r and np.isfinite(v) and v > 0:
            i, j = rows.index(r), cols.index(c)
            m[i, j] = v if np.isnan(m[i, j]) else max(m[i, j], v)
    with chart_style():
        h = max(2.0, 0.3 * max(len(rows), 1) + 1.3)
        w = min(_WIDTH_IN, 1.9 + 1.05 * len(cols))
        fig, ax = _new_figure(figsize=(w, h))
        ax.grid(False)
        ax.imshow(np.nan_to_num(m, nan=0.0), cmap="Blues", vmin=0, vmax=1.15, aspect="auto")
        for j in range(len(cols)):
            for i in range(len(rows)):
                if np.isfinite(m[i, j]):
                    txt = (labels or {}).get(float(m[i, j]), f"{m[i, j]:g}")
                    ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                            color="white" if m[i, j] >= 0.7 else _TEXT)
            note = (col_notes or {}).get(cols[j])
            if note and not np.isfinite(m[:, j]).any():
                ax.text(j, (max(len(rows), 1) - 1) / 2, "\n".join(note), ha="center", va="center", fontsize=8,
                        color=OKABE_ITO[3], linespacing=1.1)
        ax.set_yticks(range(max(len(rows), 1)), rows if rows else [""])
        ax.set_xticks(range(len(cols)), [_wrap(c, 6) for c in cols])
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_xticks(np.arange(-0.5, len(cols), 1), minor=True)
        ax.set_yticks(np.arange(-0.5, max(len(rows), 1), 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
        # no tight_layout: the PNG is cropped to its content (bbox_inches="tight"), which a
        # second layout pass only repeated (a third of the chart's time, twelve charts a report)
    return _finish(fig, title, caption_n, period, width)
