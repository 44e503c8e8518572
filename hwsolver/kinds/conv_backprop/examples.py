"""Random valid conv_backprop problems (Kind.example): one layer with or without channels, a kernel of 1 to 3,
stride, padding and bias, every activation, in one-decimal and quarter numbers as a homework writes them."""

from __future__ import annotations

import random
from typing import Any

from hwsolver.compute.layers.conv import output_shape
from hwsolver.compute.networks.vectorized import ELEMENTWISE


def example(seed: int) -> dict[str, Any]:
    """The `given` of a random convolution layer, its input 2x2 to 5x5."""
    rng = random.Random(seed)
    c_in, c_out = rng.choice((0, 0, 1, 2)), rng.choice((0, 0, 1, 2))
    if bool(c_in) != bool(c_out):  # a K x K kernel has one channel each way; a C_out x C_in one has both axes
        c_in, c_out = max(c_in, 1), max(c_out, 1)
    size, stride, padding = rng.randint(1, 3), rng.choice((1, 1, 2)), rng.choice((0, 0, 1))
    height = rng.randint(max(2, size - 2 * padding), 5)
    rows, cols = output_shape(height, height, size, stride, padding)

    def array(shape: tuple[int, ...], value: Any) -> Any:
        return [array(shape[1:], value) for _ in range(shape[0])] if shape else value()

    decimal, quarter = (lambda: rng.randint(-9, 9) / 10), (lambda: rng.randint(-4, 4) / 4)
    given: dict[str, Any] = {
        "z_prev": array(((c_in,) if c_in else ()) + (height, height), decimal),
        "activation": rng.choice(tuple(ELEMENTWISE)),
        "kernel": array(((c_out, c_in) if c_out else ()) + (size, size), quarter),
        "upstream": array(((c_out,) if c_out else ()) + (rows, cols), decimal),
    }
    if rng.random() < 0.4:
        given["bias"] = [decimal() for _ in range(c_out)] if c_out else decimal()
    if stride != 1:
        given["stride"] = stride
    if padding:
        given["padding"] = padding
    return given
