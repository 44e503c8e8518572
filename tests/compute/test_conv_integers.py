"""The exact passes in integers (conv_integers.py) against conv.py's loops, unit by unit: the same Fraction, of
the same type, for random layers of decimals of every stride, padding, channel count and rational activation;
and conv.py's loops wherever a number is not a Fraction (an int error term, a transcendental f)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from hwsolver.compute.layers import conv, conv_integers
from hwsolver.compute.layers.conv import ConvLayer

FIELDS = ("activation", "fprime", "output", "delta_prev", "grad_kernel", "grad_bias")


def _decimal(x: float) -> Fraction:
    return Fraction(round(x * 10) or 1, 10)  # one decimal, never 0


def _nested(array: np.ndarray, convert: Any) -> Any:
    return tuple(_nested(row, convert) for row in array) if array.ndim else convert(float(array))


def layers(count: int, activation: str, seed: int = 0) -> list[ConvLayer]:
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        c_in, c_out, k, stride, padding = (int(x) for x in rng.integers((1, 1, 1, 1, 0), (4, 4, 4, 4, 3)))
        height, width = (int(x) for x in rng.integers(1, 8, size=2))
        rows, cols = ((n + 2 * padding - k) // stride + 1 for n in (height, width))
        if k > min(height, width) + 2 * padding or rows < 1 or cols < 1:
            continue
        single = c_in == c_out == 1 and len(found) % 2 == 0
        integers = len(found) % 3 == 0  # a kernel of whole numbers: ints, as YAML gives them
        z = rng.normal(size=(height, width) if single else (c_in, height, width))
        w = rng.normal(size=(k, k) if single else (c_out, c_in, k, k))
        e = rng.normal(size=(rows, cols) if single else (c_out, rows, cols))
        bias = None if len(found) % 4 == 1 else _nested(rng.normal(size=() if single else (c_out,)), _decimal)
        kernel = _nested(w, (lambda x: round(x) or 1) if integers else _decimal)
        found.append(ConvLayer(_nested(z, _decimal), activation, kernel, bias, stride, padding, _nested(e, _decimal)))
    return found


def same(one: Any, other: Any) -> bool:
    if isinstance(one, tuple):
        return isinstance(other, tuple) and len(one) == len(other) and all(map(same, one, other))
    return type(one) is type(other) and one == other


@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "identity"])
def test_the_integer_passes_are_the_loops(activation: str, monkeypatch: pytest.MonkeyPatch) -> None:
    loops, fallbacks = conv.backward, []
    monkeypatch.setattr(conv, "backward", lambda layer: fallbacks.append(layer) or loops(layer))
    for layer in layers(60, activation):
        got, want = conv_integers.backward(layer), loops(layer)
        for name in FIELDS:
            assert same(getattr(got, name), getattr(want, name)), (layer, name)
    assert not fallbacks  # every one of them in integers


def test_other_numbers_go_to_the_loops(monkeypatch: pytest.MonkeyPatch) -> None:
    loops, fallbacks = conv.backward, []
    monkeypatch.setattr(conv, "backward", lambda layer: fallbacks.append(layer) or loops(layer))
    (layer,) = layers(1, "relu", seed=1)
    whole = _nested(np.ones(np.shape(np.array(layer.upstream, dtype=float))), int)  # error terms of 1, ints
    for other in (replace(layer, activation="sigmoid"), replace(layer, upstream=whole)):
        assert same(conv_integers.backward(other).delta_prev, loops(other).delta_prev)
    assert len(fallbacks) == 2


def test_f_is_worked_out_once_per_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """A class's variants draw their z(l-1) from a few decimals: f and f' run once for each value, whatever the
    number of variants and units (and the answers stay the loops'). ReLU's are read off each value's sign: its f
    never runs, and its answers are the loops' too (test_the_integer_passes_are_the_loops)."""
    from hwsolver.memo import Bounded

    for activation in ("leaky_relu", "relu"):
        variants = layers(30, activation, seed=3)
        loops = [conv.backward(layer).delta_prev for layer in variants]  # before counting: the loops share f
        real_f, real_fprime = conv_integers.ELEMENTWISE[activation]
        calls: list[Fraction] = []
        counted = (lambda v, real_f=real_f, calls=calls: calls.append(v) or real_f(v), real_fprime)
        monkeypatch.setitem(conv_integers.ELEMENTWISE, activation, counted)
        monkeypatch.setattr(conv_integers, "_UNITS", Bounded(4096))
        for layer, want in zip(variants, loops, strict=True):
            assert same(conv_integers.backward(layer).delta_prev, want)
        if activation == "relu":
            assert calls == []
            continue
        values = {v for layer in variants for plane in layer.z3 for row in plane for v in row}
        assert sorted(calls) == sorted(values) and len(calls) < sum(np.size(layer.z3) for layer in variants)


def test_numbers_too_large_for_machine_integers_are_summed_in_python_ints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decimals of many digits over one common denominator pass NumPy's int64: their sums are taken in Python's
    integers instead, and are still the loops' (a wrapped int64 sum would not be)."""
    arrays: list[Any] = []
    real = conv_integers.np.array
    monkeypatch.setattr(conv_integers.np, "array", lambda *a, **kw: arrays.append(kw.get("dtype")) or real(*a, **kw))
    (layer,) = layers(1, "identity", seed=2)
    huge = _nested(np.array(layer.upstream, dtype=float), lambda x: Fraction(round(x * 10**18) or 1, 10**18 + 7))
    for other, kind in ((layer, np.int64), (replace(layer, upstream=huge), object)):
        arrays.clear()
        got = conv_integers.backward(other)
        assert arrays[:3] == [kind] * 3  # a(l-1), w and e(l), made for the sums
        assert all(same(getattr(got, name), getattr(conv.backward(other), name)) for name in FIELDS)


def test_a_layers_canonical_shapes_are_made_with_it() -> None:
    """A layer's canonical arrays and shape (what every pass reads) are worked out when it is made, again for a
    replaced layer, and take no part in equality or the text of the layer."""
    z = tuple(tuple(Fraction(i * 4 + j, 10) for j in range(4)) for i in range(4))
    kernel, upstream = ((Fraction(1), Fraction(1, 2)), (Fraction(1, 2), Fraction(-1))), ((Fraction(1),) * 3,) * 3
    layer = ConvLayer(z, "relu", kernel, None, 1, 0, upstream)
    assert (layer.channels_in, layer.channels_out, layer.size, layer.out_shape) == (False, False, 2, (3, 3))
    assert (layer.z3, layer.w4, layer.e3) == ((z,), ((kernel,),), (upstream,))
    wider = replace(layer, kernel=((kernel,),), upstream=(upstream,), padding=1)
    assert (wider.channels_out, wider.w4, wider.e3, wider.out_shape) == (True, ((kernel,),), (upstream,), (5, 5))
    assert layer == ConvLayer(z, "relu", kernel, None, 1, 0, upstream) and "z3" not in repr(layer)


def test_relu_at_its_kink_is_the_loops() -> None:
    """z(l-1) = 0 exactly at every other unit: ReLU gives 0 there and ReLU'(0) = 0, in integers as in the loops."""
    for layer in layers(12, "relu", seed=5):
        z = np.array(layer.z_prev, dtype=float)
        kinked = np.where(np.arange(z.size).reshape(z.shape) % 2 == 0, 0.0, z)
        other = replace(layer, z_prev=_nested(kinked, lambda x: Fraction(round(x * 10), 10)))
        got, want = conv_integers.backward(other), conv.backward(other)
        assert all(same(getattr(got, name), getattr(want, name)) for name in FIELDS)


def test_the_single_channel_path_is_the_loops() -> None:
    """A class's variants' shape (one channel in and out, no bias, ReLU, every number a Fraction) takes `single`:
    the loops' arrays without their channel axes, Fraction for Fraction, for random layers of every stride and
    padding, ReLU's kink included; any other layer is left to backward (None)."""
    from hwsolver.compute.layers.arrays import unwrap

    taken = 0
    for n, layer in enumerate(layers(60, "relu", seed=7)):
        z = np.array(layer.z3[0], dtype=float)
        kinked = np.where(np.arange(z.size).reshape(z.shape) % 3 == n % 3, 0.0, z)  # some z(l-1) exactly 0
        z_prev = _nested(kinked, lambda x: Fraction(round(x * 10), 10))
        plain = replace(layer, z_prev=z_prev, kernel=layer.w4[0][0], upstream=layer.e3[0], bias=None)
        got = conv_integers.single(plain)
        if type(plain.kernel[0][0]) is int:  # (a kernel of whole numbers: ints)
            assert got is None
            continue
        want = conv.backward(plain)
        for name, axes in (("activation", 1), ("fprime", 1), ("output", 1), ("delta_prev", 1), ("grad_kernel", 2)):
            assert same(getattr(got, name), unwrap(getattr(want, name), axes)), (plain, name)
        others = [replace(plain, activation="leaky_relu"), replace(plain, bias=Fraction(1, 10))]
        others += [layer] if layer.channels_in or layer.channels_out else []
        assert all(conv_integers.single(other) is None for other in others)
        taken += 1
    assert taken > 30
