"""A fully-connected network with its data and training settings, as a problem gives it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from functools import cached_property
from typing import Any

from hwsolver.compute.functions import ACTIVATIONS, LOSSES
from hwsolver.numbers import high_precision

Vector = tuple[Any, ...]
Matrix = tuple[Vector, ...]


@dataclass(frozen=True)
class Params:
    """Weights W1..WL (rows = receiving units) and biases b1..bL, or None for a network without biases."""

    weights: tuple[Matrix, ...]
    biases: tuple[Vector, ...] | None

    def named(self) -> dict[str, Any]:
        """{"W1": ..., "b1": ..., "W2": ...} in layer order."""
        named: dict[str, Any] = {}
        for l, w in enumerate(self.weights, start=1):
            named[f"W{l}"] = w
            if self.biases is not None:
                named[f"b{l}"] = self.biases[l - 1]
        return named

    def map(self, convert: Any) -> Params:
        def deep(value: Any) -> Any:
            return tuple(deep(v) for v in value) if isinstance(value, tuple) else convert(value)

        return Params(deep(self.weights), deep(self.biases) if self.biases is not None else None)


@dataclass(frozen=True)
class Schedule:
    """Mini-batch SGD: the order of the samples in each epoch (0-based indices), cut into batches of
    `batch_size` (the last one smaller when the batch size does not divide the dataset)."""

    batch_size: int
    orders: tuple[tuple[int, ...], ...]  # one permutation of the samples per epoch
    shuffle_seed: int | None = None  # the orders came from this seeded shuffle (README: "Mini-batch SGD")

    @property
    def epochs(self) -> int:
        return len(self.orders)

    def batches(self) -> tuple[tuple[int, tuple[int, ...]], ...]:
        """(epoch, the batch's sample indices) of every iteration, in order."""
        return tuple(
            (epoch, order[start : start + self.batch_size])
            for epoch, order in enumerate(self.orders)
            for start in range(0, len(order), self.batch_size)
        )


@dataclass(frozen=True)
class Network:
    """A network, its data and its training settings, validated: shapes agree, one activation per layer."""

    params: Params
    activations: tuple[str, ...]
    loss: str
    inputs: tuple[Vector, ...]
    targets: tuple[Vector, ...]
    batch: bool  # x was given as a list of samples (answers per sample are then lists)
    learning_rate: Fraction
    weight_decay: Fraction = Fraction(0)
    steps: int = 1
    slope: Fraction = Fraction(1, 100)  # leaky ReLU's negative slope (PyTorch's negative_slope)
    frozen: frozenset[str] = frozenset()  # parameters (W1, b2, ...) used but never updated
    schedule: Schedule | None = None  # mini-batch SGD over epochs (else `steps` of full-batch descent)
    runs: tuple[tuple[str, Schedule], ...] = ()  # the same training with other schedules, to compare, by name

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per layer, input layer first."""
        return (len(self.params.weights[0][0]), *(len(w) for w in self.params.weights))

    def subset(self, indices: tuple[int, ...]) -> Network:
        """The same network with only these samples: one iteration's mini-batch."""
        return replace(
            self, inputs=tuple(self.inputs[i] for i in indices), targets=tuple(self.targets[i] for i in indices)
        )

    @cached_property
    def floats(self) -> tuple[tuple[Any, ...], tuple[Any, ...] | None, Any, Any]:
        """Weights, biases, inputs and targets as read-only float64 arrays, converted once: a variant's mutants,
        rounding allowances and follow-through each ask for them again."""
        from hwsolver.compute.float_arrays import float_array  # NumPy: only where floats are asked for

        weights = tuple(float_array(w) for w in self.params.weights)
        biases = tuple(float_array(b) for b in self.params.biases) if self.params.biases else None
        return weights, biases, float_array(self.inputs), float_array(self.targets)

    @property
    def rational(self) -> bool:
        """Whether exact rational arithmetic can carry the whole computation."""
        return all(ACTIVATIONS[name].rational for name in self.activations) and LOSSES[self.loss].rational

    def in_exact_numbers(self) -> Network:
        """This network in the exact path's number type: itself when rational, else at 50 digits."""
        return self if self.rational else self.in_high_precision()

    def in_high_precision(self) -> Network:
        """This network with every number at 50 digits (mpmath)."""
        convert = high_precision
        return replace(
            self,
            params=self.params.map(convert),
            inputs=tuple(tuple(map(convert, x)) for x in self.inputs),
            targets=tuple(tuple(map(convert, y)) for y in self.targets),
            learning_rate=convert(self.learning_rate),
            weight_decay=convert(self.weight_decay),
            slope=convert(self.slope),
        )
