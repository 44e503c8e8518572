"""The report's charts as inline SVG, drawn with matplotlib (imported only when an HTML report is made) by
handout/plots.py, which the handouts' plots share: the same settings, the same bytes for the same input."""

from __future__ import annotations

from typing import Any

from hwsolver.handout.plots import COLOURS, MARKERS, svg
from hwsolver.report.analysis import Spread
from hwsolver.report.facility import ValueFacility

_BAR, _EDGE = "#4a7ab5", "#2d4f7c"


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

    return svg(draw, f"{name}-histogram")


def quintiles_svg(spread: Spread, top: float, name: str) -> str:
    """Bars: the mean score of each fifth of the class, ranked by total score, lowest first."""
    assert spread.quintiles is not None

    def draw(axes: Any) -> None:
        fifths = range(1, len(spread.quintiles or ()) + 1)
        axes.bar(fifths, [float(q) for q in spread.quintiles or ()], color=_BAR, edgecolor=_EDGE, linewidth=0.6)
        axes.set_xticks(list(fifths))
        axes.set_ylim(0, top if top > 0 else 1)

    return svg(draw, f"{name}-quintiles")


def facility_svg(value: ValueFacility, name: str) -> str:
    """Lines: each part's facility (%) in each bin of a varied value, bins numbered 1, 2, ... as in the table
    below the chart; a part flagged is drawn solid, the others dashed."""

    def draw(axes: Any) -> None:
        positions = range(1, len(value.bins) + 1)
        for k, part in enumerate(value.parts):
            points = [(x, float(f) * 100) for x, f in zip(positions, part.facility) if f is not None]
            axes.plot(
                [x for x, _ in points],
                [y for _, y in points],
                color=COLOURS[k % len(COLOURS)],
                marker=MARKERS[k % len(MARKERS)],
                linestyle="-" if part.flagged else "--",
                linewidth=1.2,
                markersize=4,
                label=part.part,
            )
        axes.set_xticks(list(positions))
        axes.set_xlim(0.5, len(value.bins) + 0.5)
        axes.set_ylim(-3, 105)  # a facility of 0 keeps its whole marker
        axes.legend(fontsize=7, frameon=False, loc="lower left")

    return svg(draw, f"{name}-facility")
