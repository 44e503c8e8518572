"""Random valid regularized_update problems (Kind.example): L2 and L1 in turn (seed by seed), weights as numbers,
vectors or matrices beside biases (found by name or listed, regularized now and then), zeros among the weights
(sign(0) = 0), one step or a few, in one-decimal numbers as a homework writes them."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.regularization import REGULARIZERS

# (weights, biases): a name and its shape, () for a number
_LAYOUTS = (
    ({"W": (2, 2)}, {"b": (2,)}),
    ({"w": (3,)}, {"b": ()}),
    ({"W1": (1, 2), "W2": (2,)}, {"b1": (1,), "b2": ()}),
    ({"w": ()}, {}),
    ({"w1": (), "w2": ()}, {"c": ()}),  # a bias not named b...: listed under `biases`
)


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random problem (the regularizer: REGULARIZERS[seed % 2])."""
    rng = random.Random(seed)
    regularizer = REGULARIZERS[seed % len(REGULARIZERS)]
    weights, biases = rng.choice(_LAYOUTS)
    zeros = 0.3 if regularizer == "l1" else 0.1  # sign(0) = 0 is L1's question

    def values(shape: tuple[int, ...], zero: float = 0) -> Any:
        if not shape:
            return 0 if rng.random() < zero else rng.choice((-1, 1)) * rng.randint(1, 9) / 10
        return [values(shape[1:], zero) for _ in range(shape[0])]

    shapes = {**weights, **biases}
    steps = rng.randint(1, 3)
    gradients = [{name: values(shape) for name, shape in shapes.items()} for _ in range(steps)]
    given: dict[str, Any] = {
        "params": {name: values(shape, zeros if name in weights else 0) for name, shape in shapes.items()},
        "data_gradients": gradients if steps > 1 or rng.random() < 0.5 else gradients[0],
        "regularizer": regularizer,
        "lambda": rng.choice((0.01, 0.1, 0.5)),
        "learning_rate": rng.choice((0.1, 0.5, 1)),
    }
    if any(not name.startswith("b") for name in biases) or (biases and rng.random() < 0.2):
        given["biases"] = list(biases)
    if biases and rng.random() < 0.2:
        given["regularize_biases"] = True
    return given
