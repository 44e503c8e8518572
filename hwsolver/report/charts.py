"""The report's charts as inline SVG, drawn with matplotlib (imported here only, when an HTML report is made).

The same input gives the same bytes: a fixed hash salt (matplotlib's SVG ids), no date or creator in the
metadata, glyphs drawn as paths from the font matplotlib ships (DejaVu Sans, whatever the machine has), and only
numbers in the charts (titles and axis names are the page's, in its language: no font needs Chinese glyphs).
Each chart's ids get its own prefix, so that many SVGs live in one HTML page without two sharing an id.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from hwsolver.report.analysis import Spread

_BAR, _EDGE = "#4a7ab5", "#2d4f7c"
_STYLE = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
}
_ID = re.compile(r'(\bid="|href="#|url\(#)([^")]+)')


def histogram_svg(spread: Spread, name: str) -> str:
    """Bars: how many students scored in each tenth of the points."""

    def draw(axes: Any) -> None:
        from matplotlib.ticker import MaxNLocator

        edges = [float(edge) for edge in spread.edges]
        width = edges[1] - edges[0] if edges[-1] > 0 else 1.0
        axes.bar(edges[:-1], spread.counts, width=width, align="edge", color=_BAR, edgecolor=_EDGE, linewidth=0.6)
        axes.set_xticks(edges[::2] if len(edges) > 6 else edges)
        axes.set_xlim(edges[0], edges[0] + width * len(spread.counts))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))

    return _svg(draw, f"{name}-histogram")


def quintiles_svg(spread: Spread, top: float, name: str) -> str:
    """Bars: the mean score of each fifth of the class, ranked by total score, lowest first."""
    assert spread.quintiles is not None

    def draw(axes: Any) -> None:
        fifths = range(1, len(spread.quintiles or ()) + 1)
        axes.bar(fifths, [float(q) for q in spread.quintiles or ()], color=_BAR, edgecolor=_EDGE, linewidth=0.6)
        axes.set_xticks(list(fifths))
        axes.set_ylim(0, top if top > 0 else 1)

    return _svg(draw, f"{name}-quintiles")


def _svg(draw: Callable[[Any], None], name: str) -> str:
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({**_STYLE, "svg.hashsalt": f"hwsolver-{name}"}):
        figure = Figure(figsize=(3.6, 2.2))
        axes = figure.subplots()
        draw(axes)
        figure.tight_layout(pad=0.4)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # inline: no XML declaration, no doctype
    prefix = "chart-" + re.sub(r"[^A-Za-z0-9-]", "-", name)
    return _ID.sub(lambda m: f"{m[1]}{prefix}-{m[2]}", svg)
