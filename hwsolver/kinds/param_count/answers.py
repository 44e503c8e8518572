"""A param_count solution's answers, from the counted layers or from the measured ones (the same layout), and
its work: each layer beside the shape it reads (the rows of the table `solve` and the handout show)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hwsolver.compute.stack import Conv, Count, Dense, Layer, Pool, Shape

_PER_LAYER = ("output_shape", "weights", "biases", "params")


def from_counts(counts: Sequence[Count]) -> dict[str, Any]:
    """The answers of every part from the layers' counts."""
    return from_layers(
        [
            {
                "output_shape": c.output_shape,
                "weights": c.weights,
                "biases": c.biases,
                "params": c.params,
                "macs": c.macs,
            }
            for c in counts
        ]
    )


def from_layers(layers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The answers from each layer's output_shape, weights, biases, params and macs."""
    return {
        "layers": tuple({key: layer[key] for key in _PER_LAYER} for layer in layers),
        "total": sum(int(layer["params"]) for layer in layers),
        "macs": sum(int(layer["macs"]) for layer in layers),
    }


def rows(shape: Shape, layers: Sequence[Layer], counts: Sequence[Count]) -> list[dict[str, Any]]:
    """Per layer: its type (as problems name it), the layer, the shape it reads and its count."""
    inputs = [shape, *(c.output_shape for c in counts[:-1])]
    return [
        {"type": _TYPES.get(type(layer), "flatten"), "layer": layer, "input": before, "count": counted}
        for layer, before, counted in zip(layers, inputs, counts)
    ]


_TYPES: dict[type, str] = {Conv: "conv", Dense: "dense", Pool: "pool"}
