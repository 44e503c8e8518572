"""Where the units and weights of a network drawing go: coordinates only, the templates draw them.

Layers are columns from left (inputs) to right (outputs), units centred vertically in each column. A weight's
label sits on its edge, turned along it, at a point that moves from near the sending column (edges into the
first unit) to near the receiving column (edges into the last): labels of edges that cross are then far apart,
where at a common point they would pile up around the crossing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from hwsolver.compute.networks.network import Network, Params

COLUMN_GAP = 270.0
ROW_GAP = 96.0
RADIUS = 22.0
MARGIN_X = 70.0
MARGIN_TOP = 64.0
MARGIN_BOTTOM = 52.0
LABEL_FIRST, LABEL_LAST, LABEL_ALONE = 0.2, 0.72, 0.3


@dataclass(frozen=True)
class Unit:
    """One circle: layer 0 = inputs; `index` counts from 1; bias values when the network has biases."""

    layer: int
    index: int
    x: float
    y: float
    bias_old: Any = None
    bias_new: Any = None


@dataclass(frozen=True)
class Edge:
    """One weight w^(layer)_{j k} from unit k of layer-1 to unit j of layer, with its label's place and angle."""

    layer: int
    j: int
    k: int
    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float
    angle: float  # degrees, clockwise as SVG turns
    old: Any
    new: Any


@dataclass(frozen=True)
class Drawing:
    """A whole network drawing: canvas size, layer columns (x), units and edges."""

    width: float
    height: float
    columns: tuple[float, ...]
    units: tuple[Unit, ...]
    edges: tuple[Edge, ...]
    layers: int  # weight layers L; units of layer L are the outputs


def layout(net: Network, after: Params) -> Drawing:
    """The drawing of `net` with its parameters before (net.params) and after training (`after`)."""
    sizes = net.sizes
    tallest = max(sizes)
    columns = tuple(MARGIN_X + RADIUS + l * COLUMN_GAP for l in range(len(sizes)))

    def y(layer: int, index: int) -> float:
        offset = (tallest - sizes[layer]) * ROW_GAP / 2
        return MARGIN_TOP + RADIUS + offset + (index - 1) * ROW_GAP

    units = []
    for layer, size in enumerate(sizes):
        for index in range(1, size + 1):
            bias_old = bias_new = None
            if layer and net.params.biases is not None and after.biases is not None:
                bias_old, bias_new = net.params.biases[layer - 1][index - 1], after.biases[layer - 1][index - 1]
            units.append(Unit(layer, index, columns[layer], y(layer, index), bias_old, bias_new))
    edges = []
    for layer, (old, new) in enumerate(zip(net.params.weights, after.weights), start=1):
        for j, row in enumerate(old, start=1):
            for k, value in enumerate(row, start=1):
                edges.append(_edge(layer, j, k, len(old), columns, y, value, new[j - 1][k - 1]))
    height = MARGIN_TOP + 2 * RADIUS + (tallest - 1) * ROW_GAP + MARGIN_BOTTOM
    width = columns[-1] + RADIUS + MARGIN_X
    return Drawing(width, height, columns, tuple(units), tuple(edges), len(sizes) - 1)


def _edge(layer: int, j: int, k: int, receivers: int, columns: tuple[float, ...], y: Any, old: Any, new: Any) -> Edge:
    x1, y1, x2, y2 = columns[layer - 1], y(layer - 1, k), columns[layer], y(layer, j)
    length = math.hypot(x2 - x1, y2 - y1)
    # Start and end on the circles' rims, not at their centres.
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    x1, y1, x2, y2 = x1 + RADIUS * ux, y1 + RADIUS * uy, x2 - RADIUS * ux, y2 - RADIUS * uy
    at = LABEL_ALONE if receivers == 1 else LABEL_FIRST + (LABEL_LAST - LABEL_FIRST) * (j - 1) / (receivers - 1)
    label_x, label_y = x1 + at * (x2 - x1), y1 + at * (y2 - y1)
    angle = math.degrees(math.atan2(y2 - y1, x2 - x1))
    return Edge(layer, j, k, *(round(v, 1) for v in (x1, y1, x2, y2, label_x, label_y, angle)), old, new)
