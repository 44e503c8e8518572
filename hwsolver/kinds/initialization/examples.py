"""Random valid initialization problems (Kind.example): every scheme in turn (seed by seed), kaiming's two modes,
the gain left to the scheme, given as a number or read from each layer's activation (leaky ReLU's slope with
it), the input's variance; and every other seed a small network trained from an equal start (one number, or
W1, b1, ... each one number), now and then beside a contrast start of random one-decimal numbers."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.functions import ELEMENTWISE, SQUARED_LOSSES
from hwsolver.compute.init_schemes import SCHEMES


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random problem (the scheme: SCHEMES[seed % 4]; a network that trains: odd seeds)."""
    rng = random.Random(seed)
    trains = seed % 2 == 1
    if trains:  # the symmetry question's few units, trained in exact arithmetic
        sizes = [rng.randint(1, 3), *(rng.randint(2, 3) for _ in range(rng.choice((0, 1, 1)))), rng.randint(1, 2)]
    else:
        sizes = [rng.choice((3, 10, 64, 100, 256, 784)) for _ in range(rng.randint(2, 4))]
    layers = len(sizes) - 1
    activations = [rng.choice(ELEMENTWISE) for _ in range(layers)]
    scheme = SCHEMES[seed % len(SCHEMES)]  # seeds 0 to 3 meet every scheme; the training does not read it
    given: dict[str, Any] = {
        "layers": sizes,
        "activation": activations if rng.random() < 0.6 else activations[0],
        "scheme": scheme,
    }
    if isinstance(given["activation"], str):
        activations = [given["activation"]] * layers
    if scheme.startswith("kaiming") and rng.random() < 0.5:
        given["mode"] = rng.choice(("fan_in", "fan_out"))
    gain = rng.choice(("default", "default", "activation", 0.5, 2))
    if gain != "default":
        given["gain"] = gain
    reads_activation = gain == "activation" or (gain == "default" and scheme.startswith("kaiming"))
    if reads_activation and "leaky_relu" in activations and not trains and rng.random() < 0.5:
        given["negative_slope"] = rng.choice((0, 0.2))  # a network that trains keeps the course's 0.01
    if rng.random() < 0.3:
        given["input_variance"] = rng.choice((0.5, 2))
    if trains:
        given.update(_training(rng, sizes))
    return given


def _training(rng: random.Random, sizes: list[int]) -> dict[str, Any]:
    """An equal start, the data and the steps; a contrast start now and then."""
    decimal = lambda: rng.randint(-9, 9) / 10  # noqa: E731
    value = rng.choice((0, 0.5, -0.25))
    layers = range(1, len(sizes))
    start: Any = value
    if rng.random() < 0.3:  # by name: each a number (every entry alike), the biases now and then left out
        start = {f"W{l}": value for l in layers}
        if rng.random() < 0.5:
            start.update({f"b{l}": rng.choice((0, 0.1)) for l in layers})
    samples = rng.randint(1, 2)
    found: dict[str, Any] = {
        "start": start,
        "x": [[decimal() for _ in range(sizes[0])] for _ in range(samples)],
        "target": [[rng.randint(0, 10) / 10 for _ in range(sizes[-1])] for _ in range(samples)],
        "loss": rng.choice(SQUARED_LOSSES),
        "learning_rate": rng.choice((0.5, 1)),
    }
    if samples == 1:
        found["x"], found["target"] = found["x"][0], found["target"][0]
    if rng.random() < 0.5:
        found["steps"] = rng.randint(1, 2)
    if rng.random() < 0.4:
        biased = not isinstance(start, dict) or "b1" in start
        contrast = {f"W{l}": [[decimal() for _ in range(sizes[l - 1])] for _ in range(sizes[l])] for l in layers}
        if biased:
            contrast.update({f"b{l}": [decimal() for _ in range(sizes[l])] for l in layers})
        found["contrast"] = contrast
    return found
