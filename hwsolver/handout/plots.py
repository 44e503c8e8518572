"""Deterministic charts: inline SVG drawn with matplotlib (the class report's charts and the handouts' plots), and
the same chart as a TikZ picture in LaTeX handouts (one .tex file, as the network drawing is).

A `Chart` is the one source of both pictures: its series, contour lines, limits and ticks are worked out here once;
matplotlib draws them as SVG and templates/handout/chart.tikz.j2 as TikZ. The same input gives the same bytes: a
fixed hash salt (matplotlib's SVG ids), no date or creator in the metadata, glyphs drawn as paths from the font
matplotlib ships (DejaVu Sans, whatever the machine has), and only numbers in the charts (titles, axis names and
legends are the page's, in its language: no font needs Chinese glyphs). Each chart's ids get its own prefix, so
that many SVGs live in one HTML page without two sharing an id. matplotlib is imported by the functions that draw,
never with this module.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

STYLE = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}
# Series colours and markers, in order (colour-blind safe: Okabe and Ito), shared by the SVG and the TikZ picture.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
CONTOUR = "#b8b8b8"
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')

Range = tuple[float, float]


def svg(draw: Callable[[Any], None], name: str, size: tuple[float, float] = (3.6, 2.2)) -> str:
    """One chart as inline SVG: `draw(axes)` draws it; `name` makes its ids unique in a page."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({**STYLE, "svg.hashsalt": f"hwsolver-{name}"}):
        figure = Figure(figsize=size)
        axes = figure.subplots()
        draw(axes)
        figure.tight_layout(pad=0.4)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # inline: no XML declaration, no doctype
    # No address in the page: the RDF metadata goes, and so does the xlink namespace, its links written as SVG 2's
    # plain href (which every browser reads): the SVG stays well-formed XML on its own.
    text = _METADATA.sub("", text).replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    text = text.replace(" xlink:href=", " href=")
    prefix = "chart-" + re.sub(r"[^A-Za-z0-9-]", "-", name)
    text = _ID.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", text)
    return "\n".join(line for line in text.splitlines() if line.strip())  # Markdown: a blank line ends a block


@dataclass(frozen=True)
class Series:
    """One line of points, drawn with a marker at each point; `label` is the legend's (the page's language)."""

    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A line chart, optionally over contour lines of a function of (x, y): the data both pictures draw."""

    series: tuple[Series, ...]
    x_label: str = ""
    y_label: str = ""
    contours: tuple[tuple[tuple[float, float], ...], ...] = ()  # polylines
    x_range: Range | None = None  # None: the series' span, padded by 5% on each side
    y_range: Range | None = None
    steps: bool = False  # x counts steps: whole-number ticks on x

    def limits(self) -> tuple[Range, Range]:
        """The x and y ranges both pictures show."""
        x_range = self.x_range or _padded([x for s in self.series for x in s.xs])
        return x_range, self.y_range or _padded([y for s in self.series for y in s.ys])

    def ticks(self) -> tuple[list[float], list[float]]:
        """The values marked on each axis, both pictures' (as matplotlib's MaxNLocator picks round ones)."""
        x_range, y_range = self.limits()
        return _nice_ticks(*x_range, integer=self.steps), _nice_ticks(*y_range)

    def digest(self) -> str:
        """A SHA-256 of the data plotted (series, contours, limits, ticks; numbers to 12 figures): it changes when a
        plotted number does, never with matplotlib's release."""
        data = {
            "series": [[s.label, [f"{v:.12g}" for v in s.xs], [f"{v:.12g}" for v in s.ys]] for s in self.series],
            "contours": [[f"{x:.12g},{y:.12g}" for x, y in line] for line in self.contours],
            "limits": [f"{v:.12g}" for r in self.limits() for v in r],
            "ticks": [[f"{v:.12g}" for v in axis] for axis in self.ticks()],
            "labels": [self.x_label, self.y_label],
        }
        return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()

    def placeholder(self, name: str) -> str:
        """One line standing for the chart where its picture's bytes do not matter (golden files)."""
        labels = ", ".join(s.label for s in self.series)
        shown = f"{len(self.series)} series ({labels}), {sum(len(s.xs) for s in self.series)} points"
        if self.contours:
            shown += f", {len(self.contours)} contour lines"
        return f"[chart {name}: {shown}; data {self.digest()[:16]}]"

    def svg(self, name: str, size: tuple[float, float] = (5.2, 3.4)) -> str:
        return svg(self._draw, name, size)

    def _draw(self, axes: Any) -> None:
        for line in self.contours:
            axes.plot(*zip(*line), color=CONTOUR, linewidth=0.6, zorder=1)
        for i, series in enumerate(self.series):
            colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
            axes.plot(
                series.xs,
                series.ys,
                color=colour,
                marker=marker,
                markersize=3.5,
                linewidth=1.2,
                label=series.label,
                gid=f"series{i}",  # its group's id in the SVG (tests read the points back)
            )
        (x_range, y_range), (x_ticks, y_ticks) = self.limits(), self.ticks()
        axes.set_xlim(*x_range)
        axes.set_ylim(*y_range)
        axes.set_xticks(x_ticks, [_tick_text(v).replace("-", "\u2212") for v in x_ticks])
        axes.set_yticks(y_ticks, [_tick_text(v).replace("-", "\u2212") for v in y_ticks])
        if self.x_label.isascii():
            axes.set_xlabel(self.x_label)
        if self.y_label.isascii():
            axes.set_ylabel(self.y_label)
        if len(self.series) > 1 and all(s.label.isascii() for s in self.series):
            axes.legend(frameon=False, fontsize=8)

    def tikz(self, width: float = 11.0, height: float = 7.0) -> dict[str, Any]:
        """The chart scaled to a width x height cm box, for templates/handout/chart.tikz.j2: polylines as
        coordinate strings, and ticks (text, position)."""
        ((x_low, x_high), (y_low, y_high)), (x_ticks, y_ticks) = self.limits(), self.ticks()

        def place(x: float, y: float) -> str:
            return f"({(x - x_low) / (x_high - x_low) * width:.3f},{(y - y_low) / (y_high - y_low) * height:.3f})"

        def marks(values: list[float], low: float, high: float, size: float) -> list[tuple[str, float]]:
            return [(_tick_text(v), round((v - low) / (high - low) * size, 3)) for v in values]

        return {
            "width": width,
            "height": height,
            "contours": [" -- ".join(place(x, y) for x, y in line) for line in self.contours],
            "series": [
                {
                    "label": s.label,
                    "colour": COLOURS[i % len(COLOURS)].lstrip("#"),
                    "path": " -- ".join(place(x, y) for x, y in zip(s.xs, s.ys)),
                    "points": [place(x, y) for x, y in zip(s.xs, s.ys)],
                }
                for i, s in enumerate(self.series)
            ],
            "x_ticks": marks(x_ticks, x_low, x_high, width),
            "y_ticks": marks(y_ticks, y_low, y_high, height),
            "x_label": self.x_label,
            "y_label": self.y_label,
        }


def _padded(values: Sequence[float]) -> Range:
    low, high = min(values), max(values)
    pad = (high - low) * 0.05 or abs(high) * 0.1 or 1.0
    return low - pad, high + pad


def _nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round values between low and high, about `count` of them (as matplotlib's MaxNLocator picks)."""
    from matplotlib.ticker import MaxNLocator

    values = MaxNLocator(count, integer=integer).tick_values(low, high)
    return [float(v) for v in values if low - 1e-12 <= v <= high + 1e-12]


def _tick_text(value: float) -> str:
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


def contour_lines(
    function: Callable[[Any, Any], Any],
    x_range: Range,
    y_range: Range,
    levels: Sequence[float],
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Polylines where function(x, y) (vectorized over a 121 x 121 grid) takes each level (contourpy, as
    matplotlib's contour draws them), rounded to 4 decimals: the same lines for the SVG and the TikZ picture."""
    import contourpy
    import numpy as np

    x = np.linspace(*x_range, 121)
    y = np.linspace(*y_range, 121)
    grid_x, grid_y = np.meshgrid(x, y)
    z = np.asarray(function(grid_x, grid_y), dtype=float)
    generator = contourpy.contour_generator(grid_x, grid_y, z, line_type=contourpy.LineType.Separate)
    lines = []
    for level in levels:
        for line in generator.lines(level):
            if len(line) > 1:
                kept = [*line[: -1 : max(1, len(line) // 60)], line[-1]]  # at most about 60 points, ends kept
                lines.append(tuple((round(float(px), 4), round(float(py), 4)) for px, py in kept))
    return tuple(lines)
