"""The routed float passes (conv_routing.py) against conv_vectorized.py's, which works the lecture's rule out on
whole arrays (dilate, pad, turn the kernel, crop): the same arrays for random layers of every stride, padding
and channel count, with each slip and pair of slips; and the index tables worked out once per layer shape."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hwsolver.compute.layers import conv_routing, conv_vectorized
from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.compute.layers.conv_vectorized import Slips

SLIPS = [
    Slips(kernel=kernel, full=full, activation_derivative=derivative, reads_activation=reads)
    for kernel, full, derivative, reads in itertools.product(("turned", "unturned", "forward"), *[(True, False)] * 3)
]


def _tuples(array: np.ndarray) -> tuple:
    return tuple(map(_tuples, array)) if array.ndim else float(array)


def random_layers(count: int, seed: int = 0) -> list[ConvLayer]:
    rng = np.random.default_rng(seed)
    layers = []
    while len(layers) < count:
        c_in, c_out, k, stride, padding = (int(x) for x in rng.integers((1, 1, 1, 1, 0), (4, 4, 4, 4, 3)))
        height, width = (int(x) for x in rng.integers(1, 8, size=2))
        rows, cols = ((n + 2 * padding - k) // stride + 1 for n in (height, width))
        if k > min(height, width) + 2 * padding or rows < 1 or cols < 1:
            continue
        single = c_in == c_out == 1 and rng.random() < 0.5  # no channel axes, as a problem may give them
        z = rng.normal(size=(height, width) if single else (c_in, height, width))
        w = rng.normal(size=(k, k) if single else (c_out, c_in, k, k))
        e = rng.normal(size=(rows, cols) if single else (c_out, rows, cols))
        bias = float(rng.normal()) if single else _tuples(rng.normal(size=c_out))
        activation = ("relu", "tanh", "sigmoid", "leaky_relu")[len(layers) % 4]
        layers.append(ConvLayer(_tuples(z), activation, _tuples(w), bias, stride, padding, _tuples(e)))
    return layers


@pytest.mark.parametrize("layer", random_layers(40), ids=lambda layer: f"{layer.size}/{layer.stride}/{layer.padding}")
def test_the_routed_passes_are_the_lectures(layer: ConvLayer) -> None:
    for slips in SLIPS:
        routed, whole = conv_routing.backward(layer, slips), conv_vectorized.backward(layer, slips)
        for name in ("activation", "output", "delta_prev", "grad_kernel"):
            got, want = getattr(routed, name), getattr(whole, name)
            assert got.shape == want.shape and np.allclose(got, want, rtol=1e-12, atol=1e-12), (slips, name)


def test_tables_once_per_shape() -> None:
    """Variants that differ in their numbers alone share their shape's tables: worked out for the first only."""
    conv_routing._tables.cache_clear()
    before = conv_routing.COUNT["tables"]
    layers = random_layers(20, seed=1)
    shapes = {(*layer.floats[0].shape, layer.size, layer.stride, layer.padding) for layer in layers}
    for layer in layers * 3:
        conv_routing.backward(layer).delta_prev  # noqa: B018
    assert conv_routing.COUNT["tables"] - before == len(shapes)


def test_an_entry_moves_what_it_reaches() -> None:
    """A second witness by finite differences: e(l-1) of the routed pass is the gradient of sum(e(l) * z(l))
    with respect to a(l-1), entry by entry (a linear map: the difference quotient is exact up to rounding)."""
    for layer in random_layers(10, seed=2):
        routes = conv_routing.routing(layer)
        z, w, e, bias = layer.floats
        grad = conv_routing.input_gradient(routes, w, e)
        for index in np.ndindex(z.shape):
            moved = z.copy()
            moved[index] += 1.0
            change = np.sum(e * conv_routing.forward(routes, w, moved, bias)[0])
            assert change - np.sum(e * conv_routing.forward(routes, w, z, bias)[0]) == pytest.approx(grad[index])


def test_every_kernel_reading_is_scattered_at_once_as_input_gradient_scatters_it() -> None:
    """The turned, unturned and forward scatters of e(l) of a layer, made by one bincount when a slip first reads
    one: each input_gradient's own, bit for bit (the same products added in the same order), once per layer."""
    for layer in random_layers(30, seed=3):
        routes = conv_routing.routing(layer)
        _, w, e, _ = layer.floats
        before = conv_routing.COUNT["scatters"]
        for kernel in ("forward", "turned", "unturned") * 2:
            got = conv_routing._scattered(layer, routes, kernel)
            want = conv_routing.input_gradient(routes, w, e, Slips(kernel=kernel))
            assert got.shape == want.shape and got.tobytes() == want.tobytes(), kernel
        assert conv_routing.COUNT["scatters"] - before == 1


def test_a_slips_delta_numbers_are_its_pass_bit_for_bit() -> None:
    """delta_values (a slip's e(l-1) as a list of numbers, made entry by entry) is Backward's delta_prev in
    row-major order, bit for bit, for every slip on random layers of every shape (the same products of the same
    floats); the layer's lists are made once."""
    for layer in random_layers(30, seed=4):
        for slips in SLIPS:
            want = conv_routing.backward(layer, slips).delta_prev.ravel()
            got = np.array(conv_routing.delta_values(layer, slips))
            assert got.shape == want.shape and got.tobytes() == want.tobytes(), slips
        lists = layer.float_work["delta lists"]
        conv_routing.delta_values(layer)
        assert layer.float_work["delta lists"] is lists
