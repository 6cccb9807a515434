"""Label placement for the charts, and the check that nothing collides.

Everything here works in display coordinates (pixels of the figure's canvas) measured by
matplotlib's renderer (``get_window_extent``), after the axes have their final size.

* :func:`place_point_labels` puts a label next to each scatter point (IPA chart): it tries
  positions around the point, then further away with a leader line, and keeps the first
  whose box stays inside the axes and touches no other label, no point, no reference line
  and no fixed text (the quadrant names).
* :func:`spread` moves end-of-line labels apart vertically.
* :func:`layout_problems` lists collisions in a drawn figure: text boxes overlapping each
  other, a text box crossed by a reference line (a line with ``gid="ref"``), a legend over a
  data point or a bar, a label over another point.  The tests draw every chart kind with
  realistic and adversarial data and require an empty list.

Artists are tagged with ``gid``: ``"ref"`` reference lines, ``"label"`` point/value labels,
``"inbar"`` labels drawn inside their own bar segment (a stacked bar's share).
"""
from __future__ import annotations

import contextlib
import contextvars
import math
from typing import Iterator, Sequence

import numpy as np

__all__ = ["renderer_of", "capture", "captured", "place_point_labels", "place_free", "spread", "legend_above", "layout_problems", "Box"]

_CAPTURE: contextvars.ContextVar = contextvars.ContextVar("chart_capture", default=None)


@contextlib.contextmanager
def capture() -> Iterator[list]:
    """Collect the matplotlib figures the chart functions draw inside the block (for tests
    and notebooks that want to inspect a chart's artists)."""
    figs: list = []
    token = _CAPTURE.set(figs)
    try:
        yield figs
    finally:
        _CAPTURE.reset(token)


def capturing() -> bool:
    """Whether a :func:`capture` block is collecting figures (then charts must be drawn in this
    process, where the block can see them)."""
    return _CAPTURE.get() is not None


def captured(fig) -> None:
    """Called by the chart functions with each finished figure."""
    figs = _CAPTURE.get()
    if figs is not None:
        figs.append(fig)


class Box:
    """An axis-aligned box in display coordinates."""

    __slots__ = ("x0", "y0", "x1", "y1")

    def __init__(self, x0, y0, x1, y1):
        self.x0, self.y0, self.x1, self.y1 = float(x0), float(y0), float(x1), float(y1)

    @classmethod
    def of(cls, bbox) -> "Box":
        return cls(bbox.x0, bbox.y0, bbox.x1, bbox.y1)

    def overlaps(self, other: "Box", tol: float = 0.5) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > tol
                and min(self.y1, other.y1) - max(self.y0, other.y0) > tol)

    def contains(self, x: float, y: float, tol: float = 0.0) -> bool:
        return self.x0 + tol < x < self.x1 - tol and self.y0 + tol < y < self.y1 - tol

    def inside(self, other: "Box", tol: float = 0.5) -> bool:
        return (self.x0 >= other.x0 - tol and self.x1 <= other.x1 + tol
                and self.y0 >= other.y0 - tol and self.y1 <= other.y1 + tol)

    def crosses(self, p, q, tol: float = 0.5) -> bool:
        """True when the segment p–q passes through the box (shrunk by ``tol``)."""
        x0, y0, x1, y1 = self.x0 + tol, self.y0 + tol, self.x1 - tol, self.y1 - tol
        if x0 >= x1 or y0 >= y1:
            return False
        (px, py), (qx, qy) = p, q
        dx, dy = qx - px, qy - py
        t0, t1 = 0.0, 1.0
        for pv, qv in ((-dx, px - x0), (dx, x1 - px), (-dy, py - y0), (dy, y1 - py)):
            if pv == 0:
                if qv < 0:
                    return False
                continue
            t = qv / pv
            if pv < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
        return True

    def __repr__(self) -> str:
        return f"Box({self.x0:.1f}, {self.y0:.1f}, {self.x1:.1f}, {self.y1:.1f})"


def renderer_of(fig, ticks: bool = False):
    """The figure's renderer, for measuring texts.  ``ticks=True`` lays every artist out
    first (tick labels are placed at draw time), without rasterising."""
    if ticks:
        fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def _ref_segments(ax) -> list[tuple]:
    """Reference lines of ``ax`` (``gid="ref"``) as display-coordinate segments."""
    out = []
    for line in ax.get_lines():
        if line.get_gid() != "ref" or not line.get_visible():
            continue
        pts = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        for a, b in zip(pts[:-1], pts[1:]):
            out.append((tuple(a), tuple(b)))
    return out


def place_point_labels(ax, xs: Sequence[float], ys: Sequence[float], names: Sequence[str], *,
                       fontsize: float, color: str, obstacles: Sequence = (), marker_px: float = 4.0,
                       emphasis: Sequence[bool] | None = None) -> list:
    """Label each point (data coordinates) without collisions; returns the annotations.

    ``obstacles`` are artists (texts) whose boxes labels must avoid.  The axes must already
    have their final position and limits (call after ``tight_layout``).
    """
    fig = ax.figure
    renderer = renderer_of(fig)
    to_px = ax.transData.transform
    pts = to_px(np.column_stack([xs, ys]).astype(float))
    area = Box.of(ax.get_window_extent(renderer))
    taken = [Box.of(o.get_window_extent(renderer)) for o in obstacles]
    r = marker_px + 1.0
    taken += [Box(px - r, py - r, px + r, py + r) for px, py in pts]
    refs = _ref_segments(ax)
    px_per_pt = fig.dpi / 72.0
    sizes = []
    for nm in names:
        t = ax.text(0, 0, nm, fontsize=fontsize)
        bb = t.get_window_extent(renderer)
        sizes.append((bb.width, bb.height))
        t.remove()
    # crowded points first: they have the fewest free places
    dens = [sum(1 for q in pts if abs(q[0] - p[0]) < 80 and abs(q[1] - p[1]) < 30) for p in pts]
    order = sorted(range(len(pts)), key=lambda i: (-dens[i], -pts[i][1], pts[i][0]))
    out = [None] * len(pts)
    labels: list[Box] = []
    leaders: list[tuple] = []
    for i in order:
        (px, py), (w, h) = pts[i], sizes[i]
        best = None
        for box, ha, va, dx, dy, far in _candidates(px, py, w, h, r):
            if not box.inside(area, tol=-1.0):
                continue
            if any(box.overlaps(t, tol=0.0) for t in taken) or any(box.crosses(a, b, tol=-1.0) for a, b in refs):
                continue
            if any(box.crosses(a, b, tol=-1.0) for a, b in leaders):
                continue
            if far:  # its leader line must not run through another label
                seg = ((px, py), ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2))
                if any(lb.crosses(*seg, tol=0.0) for lb in labels):
                    continue
            best = (box, ha, va, dx, dy, far)
            break
        if best is None:  # nowhere free: the right-hand position (the check will report it)
            best = next(iter(_candidates(px, py, w, h, r)))
        box, ha, va, dx, dy, far = best
        taken.append(box)
        labels.append(box)
        if far:
            leaders.append(((px, py), ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)))
        weight = "normal"
        ann = ax.annotate(
            names[i], (xs[i], ys[i]), xytext=(dx / px_per_pt, dy / px_per_pt), textcoords="offset points",
            fontsize=fontsize, ha=ha, va=va, color=color, zorder=4, fontweight=weight, annotation_clip=False,
            arrowprops=dict(arrowstyle="-", color="#AAAAAA", lw=0.5, shrinkA=0, shrinkB=r) if far else None,
        )
        ann.set_gid("label")
        ann.set_in_layout(False)
        out[i] = ann
    return out


def _candidates(px, py, w, h, r):
    """Label boxes around a point, nearest first: (box, ha, va, dx, dy, leader line)."""
    gap = r + 2.0
    near = [
        (gap, 0, "left", "center"), (-gap, 0, "right", "center"),
        (0, gap, "center", "bottom"), (0, -gap, "center", "top"),
        (gap, gap * 0.7, "left", "bottom"), (gap, -gap * 0.7, "left", "top"),
        (-gap, gap * 0.7, "right", "bottom"), (-gap, -gap * 0.7, "right", "top"),
    ]
    for dx, dy, ha, va in near:
        yield _box(px + dx, py + dy, w, h, ha, va), ha, va, dx, dy, False
    for k in range(1, 10):  # rings further out, with a leader line
        d = gap + k * (h + 3)
        for ang in range(0, 360, 30):
            a = math.radians(ang)
            dx, dy = d * math.cos(a) * 1.6, d * math.sin(a)
            ha = "left" if dx > 1 else "right" if dx < -1 else "center"
            va = "bottom" if dy > 1 else "top" if dy < -1 else "center"
            yield _box(px + dx, py + dy, w, h, ha, va), ha, va, dx, dy, True


def _box(x, y, w, h, ha, va) -> Box:
    x0 = x if ha == "left" else x - w if ha == "right" else x - w / 2
    y0 = y if va == "bottom" else y - h if va == "top" else y - h / 2
    return Box(x0, y0, x0 + w, y0 + h)


def spread(ax, texts: Sequence, gap_px: float = 1.5, *, floor: float | None = None,
           ceiling: float | None = None) -> None:
    """Move annotations (placed in offset points, e.g. values at the ends of lines) apart
    vertically so that their boxes do not overlap, keeping their order.

    A crowded group is centred on where its labels wanted to be; with ``floor`` (display y)
    no label goes below it, with ``ceiling`` none goes above it (labels on either side of a
    reference line stay off it).
    """
    if not texts:
        return
    renderer = renderer_of(ax.figure)
    px_per_pt = ax.figure.dpi / 72.0
    items = sorted(((t.get_window_extent(renderer), t) for t in texts), key=lambda it: it[0].y0)
    want = [bb.y0 for bb, _t in items]
    heights = [bb.height + gap_px for bb, _t in items]
    if floor is not None:  # push up from the floor
        ys, y = [], floor
        for w, h in zip(want, heights):
            y = max(w, y)
            ys.append(y)
            y += h
    elif ceiling is not None:  # push down from the ceiling
        ys, top = [0.0] * len(want), ceiling
        for k in range(len(want) - 1, -1, -1):
            y = min(want[k], top - heights[k])
            ys[k] = y
            top = y
    else:
        ys = _centred(want, heights)
    for (bb, t), y in zip(items, ys):
        dx, dy = t.xyann  # offset points from the anchor
        t.xyann = (dx, dy + (y - bb.y0) / px_per_pt)


def _centred(want: list[float], heights: list[float]) -> list[float]:
    """Bottoms of stacked boxes: clusters of boxes that touch, each centred on the mean of
    where its boxes wanted to be."""
    clusters: list[list[int]] = []
    pos: list[float] = []  # bottom of each cluster
    for k in range(len(want)):
        clusters.append([k])
        pos.append(want[k])
        while len(clusters) > 1:
            a, b = clusters[-2], clusters[-1]
            if pos[-2] + sum(heights[i] for i in a) <= pos[-1]:
                break
            merged = a + b
            offsets = np.cumsum([0.0] + [heights[i] for i in merged[:-1]])
            clusters[-2:] = [merged]
            pos[-2:] = [float(np.mean([want[i] - o for i, o in zip(merged, offsets)]))]
    ys = [0.0] * len(want)
    for members, bottom in zip(clusters, pos):
        for i in members:
            ys[i] = bottom
            bottom += heights[i]
    return ys


def _tick_labels(axis) -> list:
    """Tick labels drawn on ``axis`` (ticks inside the view interval)."""
    lo, hi = sorted(axis.get_view_interval())
    span = hi - lo
    out = []
    for tick in axis.get_major_ticks():
        loc = tick.get_loc()
        if lo - 1e-9 * span <= loc <= hi + 1e-9 * span and tick.label1.get_visible():
            out.append(tick.label1)
    return out


def _texts(fig) -> list:
    out = []
    for ax in fig.axes:
        cands = list(ax.texts) + [ax.title, ax.xaxis.label, ax.yaxis.label]
        cands += _tick_labels(ax.xaxis) + _tick_labels(ax.yaxis)
        leg = ax.get_legend()
        if leg is not None:
            cands += list(leg.get_texts())
        out += [t for t in cands if t.get_visible() and t.get_text().strip()]
    out += [t for t in fig.texts if t.get_visible() and t.get_text().strip()]
    return out


def _data_points(ax) -> np.ndarray:
    """Display coordinates of the data points (scatter offsets, line vertices with markers)."""
    pts = []
    for coll in ax.collections:
        if coll.get_gid() == "ref":
            continue
        offs = coll.get_offsets()
        if len(offs):
            pts.append(coll.get_offset_transform().transform(np.asarray(offs, dtype=float)))
    for line in ax.get_lines():
        if line.get_gid() == "ref" or line.get_marker() in (None, "None", "", " "):
            continue
        xy = np.asarray(line.get_xydata(), dtype=float)
        if len(xy):
            pts.append(line.get_transform().transform(xy))
    if not pts:
        return np.zeros((0, 2))
    p = np.vstack(pts)
    return p[np.isfinite(p).all(axis=1)]


def _bars(ax, renderer) -> list[Box]:
    from matplotlib.patches import Rectangle

    return [Box.of(p.get_window_extent(renderer)) for p in ax.patches
            if isinstance(p, Rectangle) and p.get_visible() and p.get_width() and p.get_height()]


def ax_point(t):
    """Display coordinates of the data point an annotation points at (None for a plain text
    or an annotation placed in other coordinates)."""
    own = getattr(t, "xy", None)
    if own is None or t.axes is None or getattr(t, "xycoords", "data") != "data":
        return None
    ax = t.axes
    own = (ax.xaxis.convert_units(own[0]), ax.yaxis.convert_units(own[1]))  # category axes hold strings
    return tuple(ax.transData.transform(np.asarray(own, dtype=float)))


def layout_problems(fig) -> list[str]:
    """Collisions in a drawn figure, as readable strings (empty: none).

    Checked: every pair of visible texts (labels, tick labels, axis labels, legend entries,
    annotations); every text against every reference line (``gid="ref"``); every leader line
    against the other texts; every legend against the data points and bars of its axes; every
    point or value label (``gid="label"``) against the data points other than its own and
    the bars.
    """
    from matplotlib.text import Text

    renderer = renderer_of(fig, ticks=True)
    texts = _texts(fig)
    # the text itself (an annotation's extent would include its leader line)
    boxes = [Box.of(Text.get_window_extent(t, renderer)) for t in texts]
    out = []
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if boxes[i].overlaps(boxes[j], tol=1.0):
                out.append(f"text {texts[i].get_text()!r} overlaps text {texts[j].get_text()!r}")
    for t, b in zip(texts, boxes):  # leader lines do not run through other texts
        arrow = getattr(t, "arrow_patch", None)
        if arrow is None or not t.get_visible():
            continue
        own = ax_point(t)
        if own is None:
            continue
        seg = (own, ((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2))
        for u, c in zip(texts, boxes):
            if u is not t and c.crosses(*seg, tol=1.0):
                out.append(f"leader line of {t.get_text()!r} crosses text {u.get_text()!r}")
    for ax in fig.axes:
        refs = _ref_segments(ax)
        for t, b in zip(texts, boxes):
            for a, c in refs:
                if b.crosses(a, c, tol=1.0):
                    out.append(f"reference line crosses text {t.get_text()!r}")
                    break
        pts = _data_points(ax)
        bars = _bars(ax, renderer)
        leg = ax.get_legend()
        if leg is not None and leg.get_visible():
            lb = Box.of(leg.get_window_extent(renderer))
            inside = [p for p in pts if lb.contains(*p, tol=0.5)]
            if inside:
                out.append(f"legend covers {len(inside)} data point(s)")
            if any(lb.overlaps(b, tol=1.0) for b in bars):
                out.append("legend covers a bar")
        for t in ax.texts:
            if t.get_gid() != "label" or not t.get_visible():
                continue
            b = Box.of(Text.get_window_extent(t, renderer))
            own_px = ax_point(t)
            for p in pts:
                if own_px is not None and np.allclose(p, own_px, atol=0.5):
                    continue
                if b.contains(*p, tol=1.0):
                    out.append(f"label {t.get_text()!r} covers a data point")
                    break
            if any(b.overlaps(bar, tol=1.0) for bar in bars):
                out.append(f"label {t.get_text()!r} overlaps a bar")
    return out


def legend_above(ax, handles=None, labels=None, **kw):
    """A legend above the axes (outside the data), in as many columns as fit the figure."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    fig = ax.figure
    ncol = len(handles)
    while True:
        leg = ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=ncol,
                        borderaxespad=0, frameon=False, handlelength=1.4, columnspacing=1.2, **kw)
        width = leg.get_window_extent(renderer_of(fig)).width
        if ncol == 1 or width <= fig.bbox.width * 0.97:
            return leg
        ncol = max(1, min(ncol - 1, int(ncol * fig.bbox.width * 0.97 / width)))


def _segments(ax) -> list[tuple]:
    """Data lines of ``ax`` (not reference lines) as display-coordinate segments."""
    out = []
    for line in ax.get_lines():
        if line.get_gid() == "ref" or line.get_linestyle() in ("None", "", " "):
            continue
        pts = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        pts = pts[np.isfinite(pts).all(axis=1)]
        out += [(tuple(a), tuple(b)) for a, b in zip(pts[:-1], pts[1:])]
    return out


def place_free(ax, text: str, spots: Sequence[tuple], **kw):
    """Put ``text`` at the first of ``spots`` — ``(xy, (dx, dy) points, ha, va)`` — where it
    crosses no data line, reference line or other text and covers no data point; returns
    the annotation (at the first spot when none is free)."""
    fig = ax.figure
    renderer = renderer_of(fig, ticks=True)
    others = [Box.of(t.get_window_extent(renderer)) for t in _texts(fig)]
    segs = _segments(ax) + _ref_segments(ax)
    pts = _data_points(ax)
    area = Box.of(ax.get_window_extent(renderer))
    chosen = None
    for xy, off, ha, va in spots:
        ann = ax.annotate(text, xy, xytext=off, textcoords="offset points", ha=ha, va=va,
                          annotation_clip=False, **kw)
        b = Box.of(ann.get_window_extent(renderer))
        ok = (b.inside(area, tol=-1) and not any(b.overlaps(o, tol=0.5) for o in others)
              and not any(b.crosses(p, q, tol=0.5) for p, q in segs)
              and not any(b.contains(*p) for p in pts))
        if ok:
            chosen = ann
            break
        ann.remove()
    if chosen is None:
        xy, off, ha, va = spots[0]
        chosen = ax.annotate(text, xy, xytext=off, textcoords="offset points", ha=ha, va=va,
                             annotation_clip=False, **kw)
    chosen.set_in_layout(False)
    return chosen
