"""Random valid dropout problems (Kind.example): dropout and DropConnect in turn, the lecture's test-time scaling
and the inverted one, the keep or the drop probability stated, on its own or before a dense layer (with or without
a bias), one sample or a mini-batch, a backward pass now and then; masks of at most 8 entries, so that the
witness's expectation over every mask stays cheap."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.dropout import METHODS, SCALINGS


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random layer (the method: METHODS[seed % 2], the scaling: SCALINGS[seed // 2 % 2])."""
    rng = random.Random(seed)
    decimal = lambda: rng.choice((-1, 1)) * rng.randint(1, 20) / 10  # noqa: E731
    vector = lambda size: [decimal() for _ in range(size)]  # noqa: E731
    bits = lambda size: [rng.randint(0, 1) for _ in range(size)]  # noqa: E731
    method = METHODS[seed % len(METHODS)]
    units, outputs = rng.randint(2, 4), rng.randint(1, 2)
    dense = method == "dropconnect" or rng.random() < 0.6
    samples = 0 if method == "dropconnect" or rng.random() < 0.6 else 2  # 0: one sample, as a vector
    if samples:
        units = min(units, 3)  # the mask has one entry per unit of each sample
    probability = rng.choice((0.5, 0.8, 0.25, 0.9))
    given: dict[str, Any] = {
        "activations": [vector(units) for _ in range(samples)] if samples else vector(units),
        "probability": {rng.choice(("keep", "drop")): probability},
        "scaling": SCALINGS[seed // 2 % len(SCALINGS)],
    }
    if method == "dropconnect":
        given["method"] = method
    elif rng.random() < 0.3:
        given["method"] = "dropout"  # the default, written out
    if dense:
        given["weights"] = [vector(units) for _ in range(outputs)]
        if rng.random() < 0.5:
            given["bias"] = vector(outputs)
    if method == "dropconnect":
        given["mask"] = [bits(units) for _ in range(outputs)]
    else:
        given["mask"] = [bits(units) for _ in range(samples)] if samples else bits(units)
    if rng.random() < 0.6:
        width = outputs if dense else units
        given["upstream"] = [vector(width) for _ in range(samples)] if samples else vector(width)
    return given
