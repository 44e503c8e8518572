"""Random valid pooling_backprop problems (Kind.example): max or average pooling, windows of 1 to 3 at any stride
(overlapping or not), with or without channels; small whole inputs, so that windows often tie."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.layers.pooling import POOLS, output_shape


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random pooling layer, its input 2x2 to 6x6."""
    rng = random.Random(seed)
    size = rng.randint(1, 3)
    stride = rng.randint(1, size) if rng.random() < 0.5 else size
    height, width = rng.randint(max(2, size), 6), rng.randint(max(2, size), 6)
    channels = rng.choice((0, 0, 2))
    rows, cols = output_shape(height, width, size, stride)

    def plane(h: int, w: int, value: Any) -> list[list[Any]]:
        return [[value() for _ in range(w)] for _ in range(h)]

    whole, quarter = (lambda: rng.randint(0, 4)), (lambda: rng.randint(-8, 8) / 4)
    given: dict[str, Any] = {
        "input": [plane(height, width, whole) for _ in range(channels)] if channels else plane(height, width, whole),
        "pool": rng.choice(POOLS),
        "size": size,
        "upstream": [plane(rows, cols, quarter) for _ in range(channels)] if channels else plane(rows, cols, quarter),
    }
    if stride != size:
        given["stride"] = stride
    return given
