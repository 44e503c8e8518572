"""Random valid mlp_backprop problems (Kind.example): small networks with every activation and loss, mini-batches,
biases, weight decay and several steps, in one-decimal numbers as a homework writes them."""

from __future__ import annotations

import random
from typing import Any

_HIDDEN = ("relu", "leaky_relu", "sigmoid", "tanh", "identity")
_SQUARED = ("half_squared_error", "squared_error", "mean_squared_error")


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random network: 1 to 3 layers of 1 to 3 units, input included."""
    rng = random.Random(seed)
    decimal = lambda: rng.randint(-9, 9) / 10  # noqa: E731
    sizes = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
    hidden = rng.choice(_HIDDEN)
    ending = rng.choice(("squared", "squared", "softmax", "sigmoid"))
    if ending == "softmax":  # softmax needs two outputs to choose from, and a one-hot target
        sizes[-1] = max(sizes[-1], 2)
    samples = rng.randint(2, 4) if rng.random() < 0.4 else 0

    def target() -> list[float]:
        if ending == "softmax":
            hot = rng.randrange(sizes[-1])
            return [1 if unit == hot else 0 for unit in range(sizes[-1])]
        if ending == "sigmoid":
            return [rng.randint(1, 9) / 10 for _ in range(sizes[-1])]
        return [decimal() for _ in range(sizes[-1])]

    given: dict[str, Any] = {
        "weights": {
            f"W{l}": [[decimal() for _ in range(sizes[l - 1])] for _ in range(sizes[l])] for l in range(1, len(sizes))
        },
        "activation": hidden,
        "x": [[decimal() for _ in range(sizes[0])] for _ in range(samples or 1)],
        "target": [target() for _ in range(samples or 1)],
        "loss": rng.choice(_SQUARED),
        "learning_rate": rng.choice((0.1, 0.5, 1)),
    }
    if not samples:
        given["x"], given["target"] = given["x"][0], given["target"][0]
    if ending != "squared":
        given["activation"] = [hidden] * (len(sizes) - 2) + [ending]
        given["loss"] = "cross_entropy" if ending == "softmax" else "binary_cross_entropy"
    if hidden == "leaky_relu" and rng.random() < 0.5:  # leaky ReLU's slope given, in every layer that has it
        slope = rng.choice((0.1, 0.2))
        activations = given["activation"] if isinstance(given["activation"], list) else [hidden] * (len(sizes) - 1)
        given["activation"] = [{"name": n, "slope": slope} if n == "leaky_relu" else n for n in activations]
    if rng.random() < 0.5:
        given["biases"] = {f"b{l}": [decimal() for _ in range(sizes[l])] for l in range(1, len(sizes))}
        if rng.random() < 0.5:  # the biases used but not trained
            given["frozen"] = list(given["biases"])
    if rng.random() < 0.25:
        given["weight_decay"] = rng.choice((0.01, 0.1))
    if samples and rng.random() < 0.6:  # mini-batch SGD over the samples
        given["batch_size"] = rng.randint(1, samples)
        given["epochs"] = rng.randint(1, 2)
        if rng.random() < 0.5:
            given["shuffle_seed"] = rng.randint(0, 99)
        else:
            given["order"] = [rng.sample(range(1, samples + 1), samples) for _ in range(given["epochs"])]
    elif rng.random() < 0.25:
        given["steps"] = rng.randint(2, 3)
    return given
