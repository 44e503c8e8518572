"""Random valid param_count problems (Kind.example): small images through convolutions (every padding, strides,
with or without biases) and pooling, flattened into dense layers, or feature vectors through dense layers only;
a layer that does not fit what is left of the image is drawn no more."""

from __future__ import annotations

import random
from typing import Any

import yaml

from hwsolver.errors import SpecError
from hwsolver.kinds.param_count.given import POOLS, parse_given
from hwsolver.spec.reader import parse_text


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random stack: a 1-3 channel image of 4 to 12 pixels a side (even seeds) or a vector of 2
    to 50 features (odd seeds), and 1 to 5 layers."""
    rng = random.Random(seed)
    if seed % 2:  # dense layers only
        return {"input": [rng.randint(2, 50)], "layers": [_dense(rng) for _ in range(rng.randint(1, 3))]}
    given: dict[str, Any] = {"input": [rng.randint(1, 3), rng.randint(4, 12), rng.randint(4, 12)], "layers": []}
    for _ in range(rng.randint(1, 3)):
        layer = _conv(rng) if not given["layers"] or rng.random() < 0.6 else _pool(rng)
        if not _fits({**given, "layers": [*given["layers"], layer]}):
            break  # a kernel or window larger than what is left of the image: the stack ends here
        given["layers"].append(layer)
    if not given["layers"] or rng.random() < 0.6:
        given["layers"] += [{"flatten": True}, _dense(rng)]
    return given


def _fits(given: dict[str, Any]) -> bool:
    """Whether the kind reads the given as a problem file's (every layer taking its input)."""
    try:
        parse_given(parse_text(yaml.safe_dump(given), "<example>"))
    except SpecError:
        return False
    return True


def _dense(rng: random.Random) -> dict[str, Any]:
    layer: dict[str, Any] = {"dense": rng.randint(1, 20)}
    if rng.random() < 0.2:
        layer["bias"] = False
    return layer


def _conv(rng: random.Random) -> dict[str, Any]:
    layer: dict[str, Any] = {"conv": rng.randint(1, 4), "size": rng.randint(1, 3)}
    if rng.random() < 0.3:
        layer["stride"] = 2
    padding = rng.choice(("same", "valid", 1, None))  # None: left out (valid)
    if padding is not None:
        layer["padding"] = padding
    if rng.random() < 0.2:
        layer["bias"] = False
    return layer


def _pool(rng: random.Random) -> dict[str, Any]:
    layer: dict[str, Any] = {"pool": rng.choice(POOLS), "size": 2}
    if rng.random() < 0.3:
        layer["stride"] = 1
    return layer
