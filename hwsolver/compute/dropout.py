"""Dropout and DropConnect with a given mask: training and test passes, the expectation over masks, the backward
pass, exact entry by entry and vectorized in float64 NumPy.

p is the KEEP probability here (the lecture's code: `U1 = np.random.rand(*H1.shape) < p`); torch.nn.Dropout's p
is the drop probability 1 - p. A mask entry is 1 where the unit (dropout) or the weight (DropConnect) is kept.
Two conventions of scaling: `test_time` (the lecture's: nothing at training, activations or weights times p at
test time) and `inverted` (divide by p at training, nothing at test time). Either way the expected training
output over the masks equals the test-time output.

Dropout drops the layer's input units h (a vector, or a mini-batch of them), optionally followed by a dense layer
z = W h' + b; DropConnect drops the weights of that dense layer: z = (M * W) h + b.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from typing import Any

import numpy as np

from hwsolver.compute.layers.arrays import Array
from hwsolver.compute.slips import named_slips

METHODS = ("dropout", "dropconnect")
SCALINGS = ("test_time", "inverted")
# The slips the vectorized path can make, by the name of the mistake each is.
SLIPS = ("scaled_twice", "drop_rate_scaling", "mask_at_test", "mask_not_in_backward")
_ENUMERATED = 12  # masks of at most this many entries are enumerated whole for the expectation


@dataclass(frozen=True)
class DropoutLayer:
    """A layer's input, its mask and keep probability, and optionally the dense layer after it."""

    activations: Array  # h: a vector, or a mini-batch (one vector per sample)
    mask: Array  # 0/1, of h's shape (dropout) or of W's shape (DropConnect)
    keep: Fraction  # p, the probability that a unit or weight is kept
    method: str
    scaling: str
    weights: Array | None = None  # W: rows = output units, columns = input units
    bias: Array | None = None
    upstream: Array | None = None  # dL/d(output): the output's shape
    stated: str = "keep"  # which probability the problem states: "keep" (p) or "drop" (1 - p)

    @property
    def batch(self) -> bool:
        return isinstance(self.activations[0], tuple)

    @property
    def drop(self) -> Fraction:
        """q = 1 - p, the probability that a unit or weight is dropped (torch.nn.Dropout's p)."""
        return 1 - self.keep

    @property
    def train_scale(self) -> Fraction:
        return 1 / self.keep if self.scaling == "inverted" else Fraction(1)

    @property
    def test_scale(self) -> Fraction:
        return Fraction(1) if self.scaling == "inverted" else self.keep


def _matvec(w: Array, x: Array) -> tuple:
    return tuple(sum((a * b for a, b in zip(row, x, strict=True)), Fraction(0)) for row in w)


def _plus(x: tuple, b: Array | None) -> tuple:
    return x if b is None else tuple(u + v for u, v in zip(x, b, strict=True))


def _per_sample(layer: DropoutLayer, function: Any, *arrays: Array) -> Any:
    """`function` of one sample's vectors, for each sample of a mini-batch."""
    if layer.batch:
        return tuple(function(*items) for items in zip(*arrays, strict=True))
    return function(*arrays)


@dataclass(frozen=True)
class Passes:
    """Every answer a dropout layer gives (None where the problem has no such part): nested tuples of exact
    numbers (`passes`), or float64 arrays (`passes_vectorized`)."""

    dropped: Any  # s * (m * h): dropout followed by a dense layer
    train_output: Any
    test_weights: Any  # t * W: test-time scaling with a dense layer
    test_output: Any
    expected_output: Any
    grad_input: Any
    grad_weights: Any
    # on the way, for the handout: s * (M * W) (DropConnect), W^T dL/dz = dL/dh' (dropout), t * h
    kept_weights: Any = None
    grad_dropped: Any = None
    test_input: Any = None


def passes(layer: DropoutLayer) -> Passes:
    """Both passes, the expectation and the backward pass, in exact arithmetic, entry by entry."""
    s, t, p, w, b = layer.train_scale, layer.test_scale, layer.keep, layer.weights, layer.bias
    h, g = layer.activations, layer.upstream
    dropconnect = layer.method == "dropconnect"

    def scaled(x: tuple, factor: Fraction) -> tuple:
        return tuple(factor * v for v in x)

    def dense(x: tuple) -> tuple:
        return x if w is None else _plus(_matvec(w, x), b)

    kept = None
    if dropconnect:
        kept = tuple(tuple(s * m * v for m, v in zip(mrow, wrow)) for mrow, wrow in zip(layer.mask, w))
        dropped = None
        train = _plus(_matvec(kept, h), b)
        expected = _plus(_matvec(w, scaled(h, s * p)), b)
    else:
        dropped = _per_sample(layer, lambda x, m: tuple(s * u * v for u, v in zip(m, x)), h, layer.mask)
        train = _per_sample(layer, dense, dropped)
        expected = _per_sample(layer, lambda x: dense(scaled(x, s * p)), h)
    test_weights = tuple(scaled(row, t) for row in w) if w is not None and layer.scaling == "test_time" else None
    test_input = _per_sample(layer, lambda x: scaled(x, t), h)
    test = _per_sample(layer, dense, test_input)
    grad_input = grad_weights = grad_dropped = None
    if g is not None:
        if dropconnect:
            grad_input = _matvec(tuple(zip(*kept)), g)
            grad_weights = tuple(tuple(s * m * e * v for m, v in zip(mrow, h)) for mrow, e in zip(layer.mask, g))
        else:
            grad_dropped = g if w is None else _per_sample(layer, lambda e: _matvec(tuple(zip(*w)), e), g)
            grad_input = _per_sample(
                layer, lambda e, m: tuple(s * u * v for u, v in zip(m, e)), grad_dropped, layer.mask
            )
            if w is not None:
                samples = (g, dropped) if layer.batch else ((g,), (dropped,))
                grad_weights = tuple(
                    tuple(sum((e[j] * x[k] for e, x in zip(*samples)), Fraction(0)) for k in range(len(w[0])))
                    for j in range(len(w))
                )
    return Passes(
        dropped if w is not None else None,
        train,
        test_weights,
        test,
        expected,
        grad_input,
        grad_weights,
        kept,
        grad_dropped,
        test_input,
    )


def passes_vectorized(
    layer: DropoutLayer, slip: str | tuple[str, ...] | None = None, *, enumerate_masks: bool = True
) -> Passes:
    """The same in float64, whole arrays at once (a mini-batch as rows). The expectation is the mean of the
    training output over every mask, weighted by its probability (`enumerate_masks`; for a mask of more than
    _ENUMERATED entries, the training output at the mean mask, which equals it since the output is affine in the
    mask). `slip` (one of SLIPS) makes one classic mistake: scaling at both training and test time, the drop
    probability used where the keep probability belongs, the mask applied at test time, the mask left out of the
    backward pass; several slips (a tuple) make those mistakes together."""
    slips = named_slips(slip, SLIPS)
    p = float(1 - layer.keep if "drop_rate_scaling" in slips else layer.keep)
    s = 1 / p if layer.scaling == "inverted" or "scaled_twice" in slips else 1.0
    t = p if layer.scaling == "test_time" or "scaled_twice" in slips else 1.0
    h = np.atleast_2d(np.array(layer.activations, dtype=float))  # samples as rows
    mask = np.array(layer.mask, dtype=float)
    w = None if layer.weights is None else np.array(layer.weights, dtype=float)
    b = 0.0 if layer.bias is None else np.array(layer.bias, dtype=float)
    dropconnect = layer.method == "dropconnect"

    def train_pass(m: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        if dropconnect:
            return None, h @ (s * m * w).T + b
        dropped = s * m.reshape(h.shape) * h
        return dropped, dropped if w is None else dropped @ w.T + b

    def dense(x: np.ndarray) -> np.ndarray:
        return x if w is None else x @ w.T + b

    dropped, train = train_pass(mask)
    expected = _expectation(train_pass, mask.shape, p, _ENUMERATED if enumerate_masks else 0)
    if "mask_at_test" in slips:
        test = h @ (t * mask * w).T + b if dropconnect else dense(t * mask.reshape(h.shape) * h)
    else:
        test = dense(t * h)
    test_weights = t * w if w is not None and layer.scaling == "test_time" else None
    grad_input = grad_weights = None
    if layer.upstream is not None:
        g = np.atleast_2d(np.array(layer.upstream, dtype=float))
        kept = np.ones_like(mask) if "mask_not_in_backward" in slips else mask
        if dropconnect:
            grad_input = g @ (s * kept * w)
            grad_weights = s * kept * (g.T @ h)
        else:
            grad_input = s * kept.reshape(h.shape) * (g if w is None else g @ w)
            grad_weights = None if w is None else g.T @ dropped
    one = not layer.batch  # a single sample: vectors, not one-row matrices
    row = (lambda a: a[0]) if one else (lambda a: a)
    return Passes(
        None if w is None or dropped is None else row(dropped),
        row(train),
        test_weights,
        row(test),
        row(expected),
        None if grad_input is None else row(grad_input),
        grad_weights,
    )


def _expectation(train_pass: Any, shape: tuple[int, ...], p: float, limit: int) -> np.ndarray:
    """Sum over masks of P(mask) * training output: every mask when it has at most `limit` entries, else the
    training output at the mean mask."""
    size = int(np.prod(shape))
    if size > limit:
        return train_pass(np.full(shape, p))[1]
    total = 0.0
    for bits in product((0.0, 1.0), repeat=size):
        m = np.array(bits).reshape(shape)
        kept = int(m.sum())
        total = total + p**kept * (1 - p) ** (size - kept) * train_pass(m)[1]
    return total
