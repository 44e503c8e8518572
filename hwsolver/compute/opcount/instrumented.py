"""One real SGD step of a sigmoid MLP as an explicit scalar loop that counts its own arithmetic.

The convention's switches decide what is counted (and whether the first layer computes W^T e), never what is
computed otherwise: the step always does the full forward pass, backprop and update, so the counts belong to a
computation whose gradients tests can check against finite differences.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from hwsolver.compute.opcount.conventions import Convention, loss_scale

Vector = list[float]
Matrix = list[list[float]]


@dataclass
class Counts:
    """Arithmetic done by one layer in one phase: mults (divisions included), adds (subtractions included)."""

    mults: int = 0
    adds: int = 0


@dataclass(frozen=True)
class Step:
    """What one counted step computed: gradients, parameters after, counts per layer (layer 1 first)."""

    grad_w: tuple[Matrix, ...]
    grad_b: tuple[Vector, ...]
    weights_after: tuple[Matrix, ...]
    biases_after: tuple[Vector, ...]
    forward: tuple[Counts, ...]
    backward: tuple[Counts, ...]


class _Tally:
    """Float arithmetic that adds one to the current layer's counts when counting is on."""

    def __init__(self) -> None:
        self.current: Counts | None = None

    @contextmanager
    def at(self, counts: Counts, counted: bool) -> Iterator[None]:
        previous, self.current = self.current, counts if counted else None
        try:
            yield
        finally:
            self.current = previous

    def mul(self, a: float, b: float) -> float:
        if self.current is not None:
            self.current.mults += 1
        return a * b

    def div(self, a: float, b: float) -> float:
        if self.current is not None:
            self.current.mults += 1
        return a / b

    def add(self, a: float, b: float) -> float:
        if self.current is not None:
            self.current.adds += 1
        return a + b

    def sub(self, a: float, b: float) -> float:
        if self.current is not None:
            self.current.adds += 1
        return a - b

    def dot(self, xs: Sequence[float], ys: Sequence[float], fused: bool) -> float:
        """sum x*y; fused (FMA) accumulates from 0, so k terms cost k adds instead of k - 1."""
        pairs = list(zip(xs, ys, strict=True))
        total = 0.0 if fused else self.mul(*pairs.pop(0))
        for x, y in pairs:
            total = self.add(total, self.mul(x, y))
        return total


def train_step(
    weights: Sequence[Matrix],
    biases: Sequence[Vector],
    x: Vector,
    y: Vector,
    *,
    loss: str,
    learning_rate: float,
    convention: Convention,
) -> Step:
    """Forward pass, backprop and one gradient-descent update, counted per layer under `convention`."""
    c, t, fused = convention, _Tally(), convention.multiply_add_as_two_flops
    layers = len(weights)
    forward = tuple(Counts() for _ in range(layers))
    backward = tuple(Counts() for _ in range(layers))
    activations = [list(x)]
    for w, b, counts in zip(weights, biases, forward, strict=True):
        with t.at(counts, True):
            z = [t.dot(row, activations[-1], fused) for row in w]
        with t.at(counts, c.count_bias_add):
            z = [t.add(zi, bi) for zi, bi in zip(z, b, strict=True)]
        with t.at(counts, c.count_activation):
            activations.append([t.div(1.0, t.add(1.0, math.exp(-zi))) for zi in z])

    with t.at(backward[-1], c.count_output_difference):
        delta = [t.sub(ai, yi) for ai, yi in zip(activations[-1], y, strict=True)]
    scale = loss_scale(loss, len(y))
    if scale is not None:
        with t.at(backward[-1], c.count_loss_scale):
            delta = [t.mul(float(scale), d) for d in delta]

    grad_w: list[Matrix] = [[] for _ in range(layers)]
    grad_b: list[Vector] = [[] for _ in range(layers)]
    new_w: list[Matrix] = [[] for _ in range(layers)]
    new_b: list[Vector] = [[] for _ in range(layers)]
    for i in reversed(range(layers)):
        a, a_prev, w, counts = activations[i + 1], activations[i], weights[i], backward[i]
        with t.at(counts, c.count_activation_derivative):
            slope = [t.mul(ai, t.sub(1.0, ai)) for ai in a]
        with t.at(counts, c.count_elementwise_product):
            e = [t.mul(d, s) for d, s in zip(delta, slope, strict=True)]
        with t.at(counts, True):
            grad_w[i] = [[t.dot([ei], [aj], fused) for aj in a_prev] for ei in e]
            grad_b[i] = list(e)
            if i > 0 or c.count_first_layer_input_gradient:
                delta = [t.dot([row[j] for row in w], e, fused) for j in range(len(a_prev))]
        with t.at(counts, c.count_update):
            eta = learning_rate
            new_w[i] = [
                [t.sub(wij, t.mul(eta, gij)) for wij, gij in zip(wr, gr, strict=True)]
                for wr, gr in zip(w, grad_w[i], strict=True)
            ]
            new_b[i] = [t.sub(bi, t.mul(eta, gi)) for bi, gi in zip(biases[i], grad_b[i], strict=True)]
    return Step(tuple(grad_w), tuple(grad_b), tuple(new_w), tuple(new_b), forward, backward)


def loss_value(weights: Sequence[Matrix], biases: Sequence[Vector], x: Vector, y: Vector, loss: str) -> float:
    """The loss of the network at (x, y), uncounted (for finite-difference checks)."""
    a = list(x)
    for w, b in zip(weights, biases, strict=True):
        a = [
            1.0 / (1.0 + math.exp(-(sum(wij * aj for wij, aj in zip(row, a, strict=True)) + bi)))
            for row, bi in zip(w, b, strict=True)
        ]
    squares = sum((ai - yi) ** 2 for ai, yi in zip(a, y, strict=True))
    return {"half_squared_error": squares / 2, "squared_error": squares}.get(loss, squares / len(y))


def random_network(width: int, layers: int, seed: int = 0) -> tuple[list[Matrix], list[Vector], Vector, Vector]:
    """Weights, biases, an input and a target for an n-wide, L-layer network, from a seed."""
    rng = random.Random(seed)

    def vector() -> Vector:
        return [rng.uniform(-1, 1) for _ in range(width)]

    weights = [[vector() for _ in range(width)] for _ in range(layers)]
    biases = [vector() for _ in range(layers)]
    return weights, biases, vector(), [rng.uniform(0, 1) for _ in range(width)]


def count_step(width: int, layers: int, convention: Convention, loss: str, seed: int = 0) -> Step:
    """A counted step of a random n-wide, L-layer network (the counts do not depend on the numbers)."""
    weights, biases, x, y = random_network(width, layers, seed)
    return train_step(weights, biases, x, y, loss=loss, learning_rate=0.5, convention=convention)
