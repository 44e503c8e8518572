"""Which hidden units of a network stay identical while it trains: the symmetry that equal initial weights keep.

Units j and j' of a hidden layer l are identical at some parameters when they read their inputs alike (rows j and
j' of W(l), and their biases, are equal) and are read alike (columns j and j' of W(l+1) are equal): then they
compute the same value, receive the same error term and get the same update, so gradient descent keeps them
identical for ever. A unit's answer is the lowest-numbered unit (from 1) of its layer identical to it at every
step of the run (itself when none is): [1, 1] for a layer of two units that stay alike, [1, 2] for two that do
not. Exact parameters are compared exactly; float ones with `close`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hwsolver.compute.networks import vectorized
from hwsolver.compute.networks.network import Network, Params

Same = Callable[[tuple, tuple], bool]


def _signature(params: Params, layer: int, unit: int) -> tuple:
    """What makes unit `unit` of hidden layer `layer` (both from 0) what it is: its row, bias and outgoing column."""
    bias = (params.biases[layer][unit],) if params.biases is not None else ()
    column = tuple(row[unit] for row in params.weights[layer + 1])
    return (*params.weights[layer][unit], *bias, *column)


def _exactly(a: tuple, b: tuple) -> bool:
    return a == b


def identical_units(history: Sequence[Params], same: Same | None = None) -> tuple[tuple[int, ...], ...]:
    """Per hidden layer, each unit's lowest-numbered twin over every parameters of `history` (numbered from 1);
    signatures compared by `same` (default: exactly)."""
    same = same or _exactly
    found = []
    first = history[0]
    for layer in range(len(first.weights) - 1):
        units = len(first.weights[layer])
        twins = []
        for unit in range(units):
            twin = next(
                other
                for other in range(unit + 1)
                if all(same(_signature(p, layer, other), _signature(p, layer, unit)) for p in history)
            )
            twins.append(twin + 1)
        found.append(tuple(twins))
    return tuple(found)


def float_history(net: Network) -> list[Params]:
    """The parameters before and after each step of the float64 training (vectorized.py), one step at a time."""
    params = net.params.map(float)
    history = [params]
    for _ in range(net.steps):
        run = vectorized.train(replace(net, params=params.map(Fraction), steps=1))
        rows = lambda array: tuple(map(tuple, array.tolist()))  # noqa: E731
        biases = tuple(tuple(b.tolist()) for b in run.biases_after) if run.biases_after is not None else None
        params = Params(tuple(rows(w) for w in run.weights_after), biases)
        history.append(params)
    return history


def close(a: tuple[Any, ...], b: tuple[Any, ...], rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """Float signatures equal up to rounding."""
    return all(abs(x - y) <= atol + rtol * max(abs(x), abs(y)) for x, y in zip(a, b))
