"""The reach of any network the rules cover (reach_rules.py), step by step in the chain's order (follow.py: z, a,
loss, e from the top, gW and W, z' and a', loss'), each step's numbers as rows of Python floats (samples x units,
or a weight matrix's rows). The homework's 2-2-1 network takes reach_small.py's direct path; this one is also its
witness in the tests."""

from __future__ import annotations

from collections.abc import Iterator
from operator import mul
from typing import Any

from hwsolver.kinds.mlp_backprop.reach_rules import Reached, Rows, Start, switched


def steps(start: Start) -> Iterator[dict[str, Any]]:
    """Each step's reach, one step at a time (a part's answer reads only the steps up to its own)."""
    return _Pass(start).steps()


class _Pass:
    """One pass over the steps, keeping each step's exact value and reach as it goes (the later steps read them)."""

    def __init__(self, start: Start) -> None:
        self.start, self.number, self.layers = start, start.number, len(start.given)
        self.weights = [[[abs(w) for w in row] for row in given] for given in start.given]  # |W| by rows (out x in)
        self.found: dict[str, Any] = {}  # the reaches: how far all the moves move each number, summed
        self.exact: dict[str, Any] = {}  # the steps' values (rows, or the loss), worked out in the same order

    def steps(self) -> Iterator[dict[str, Any]]:
        """Each step's exact value worked out in plain floats (as the chain does, to the last bits or near them:
        own_move's hair covers the difference), then its reach."""
        start, top, layers, exact, found = self.start, self.layers - 1, range(self.layers), self.exact, self.found
        below, moved = start.x, None  # the layer's inputs, and their reach (None: the given x, unmoved)
        for l in layers:  # the forward pass, by the given weights
            z = exact[f"z{l}"] = _times_t(below, start.given[l])
            yield self._reached(f"z{l}", z, _times_t(moved, self.weights[l]) if moved is not None else None)
            below = exact[f"a{l}"] = _activated(z) if start.relu[l] else z
            yield self._reached(f"a{l}", below, found[f"z{l}"])  # (Lipschitz 1)
            moved = found[f"a{l}"]
        yield self._loss("loss", below, moved)
        for l in range(top, -1, -1):  # the error terms, carried back by the given weights
            yield self._error(l)
        for l in layers:  # the gradients, and the weights after the update
            inputs, moved = (start.x, None) if l == 0 else (exact[f"a{l - 1}"], found[f"a{l - 1}"])
            e, moved_e = _transposed(exact[f"e{l}"]), _transposed(found[f"e{l}"])
            gradient = exact[f"gW{l}"] = _times_t(e, _transposed(inputs))
            yield self._reached(f"gW{l}", gradient, _product(e, moved_e, inputs, moved))
            rate = start.rates[l]
            updated = exact[f"W{l}"] = [[w - rate * g for w, g in zip(*rows)] for rows in zip(start.given[l], gradient)]
            yield self._reached(f"W{l}", updated, [[rate * r for r in row] for row in found[f"gW{l}"]])
        below, moved = start.x, None
        for l in layers:  # the forward pass after it, by the updated weights
            weights = exact[f"W{l}"]
            z = _times_t(below, weights)
            yield self._reached(f"z'{l}", z, _product(below, moved, _transposed(weights), _transposed(found[f"W{l}"])))
            below = _activated(z) if start.relu[l] else z
            yield self._reached(f"a'{l}", below, found[f"z'{l}"])
            moved = found[f"a'{l}"]
        yield self._loss("loss'", below, moved)

    def _reached(self, name: str, value: Rows, carried: Rows | None) -> dict[str, Any]:
        """The step's reach: what the moves of the steps before it carry (None: nothing, the given values), and
        its own numbers' moves (each counted, though rounding plans none for a number the step before has in its
        place: a ReLU's output of a positive input)."""
        number = self.number
        if carried is None:
            found = Reached([number(v, 0.0) for v in row] for row in value)
        else:
            found = Reached([number(v, c) for v, c in zip(*rows)] for rows in zip(value, carried))
        self.found[name] = found
        return {name: found}

    def _loss(self, name: str, output: Rows, moved: Rows) -> dict[str, Any]:
        """The mean over the samples of k d**2 per output number (d: the output less the target), moved by
        k (2 |d| r + r**2) each."""
        total = carried = 0.0
        for row, target, reach in zip(output, self.start.y, moved):
            for a, t, r in zip(row, target, reach):
                d = abs(a - t)
                total += d * d
                carried += (2 * d + r) * r
        scale, n = self.start.scale, len(output)
        found = self.found[name] = self.number(scale * total / n, scale * carried / n)
        return {name: found}

    def _error(self, l: int) -> dict[str, Any]:
        """e(l) = f'(z) * upstream: upstream c d / N at the top, else e(l+1) by the given weights; ReLU' as
        `switched` has it."""
        start, exact, found, name = self.start, self.exact, self.found, f"e{l}"
        if l == self.layers - 1:
            per = start.slope / len(start.x)
            upstream = [[per * (a - t) for a, t in zip(*rows)] for rows in zip(exact[f"a{l}"], start.y)]
            size = [[abs(u) for u in row] for row in upstream]
            moved = [[per * r for r in row] for row in found[f"a{l}"]]
        else:
            weights = _transposed(self.weights[l + 1])
            upstream = _times_t(exact[f"e{l + 1}"], _transposed(start.given[l + 1]))
            size = _times_t([[abs(e) for e in row] for row in exact[f"e{l + 1}"]], weights)
            moved = _times_t(found[f"e{l + 1}"], weights)
        if not start.relu[l]:
            exact[name] = upstream
            return self._reached(name, upstream, moved)
        z, flips = exact[f"z{l}"], start.moves
        exact[name] = [[u if v > 0 else 0.0 for v, u in zip(*rows)] for rows in zip(z, upstream)]
        below = start.x if l == 0 else exact[f"a{l - 1}"]
        sums = _times_t([[abs(v) for v in row] for row in below], self.weights[l])  # z's terms, in absolute values
        carried = [
            [switched(v, r, u, m, s, flips) for v, r, u, m, s in zip(*rows)]
            for rows in zip(z, found[f"z{l}"], size, moved, sums)
        ]
        return self._reached(name, exact[name], carried)


def _activated(z: Rows) -> Rows:
    """ReLU (0 at 0)."""
    return [[v if v > 0 else 0.0 for v in row] for row in z]


def _times_t(a: Rows, b: Rows) -> Rows:
    """a @ b^T, b given by its rows."""
    return [[sum(map(mul, row, other)) for other in b] for row in a]


def _transposed(a: Rows) -> Rows:
    return [list(column) for column in zip(*a)]


def _product(a: Rows, moved_a: Rows | None, b: Rows, moved_b: Rows | None) -> Rows:
    """How far a @ b moves: |a| @ db + da @ |b| + da @ db; a factor's move None where it does not move (the given
    x): its terms are 0."""
    if moved_a is None:
        moved_columns = _transposed(moved_b)
        return [[sum(map(mul, map(abs, row), column)) for column in moved_columns] for row in a]
    columns_b = [[abs(x) for x in c] for c in zip(*b)]
    if moved_b is None:
        return [[sum(map(mul, moved_row, column)) for column in columns_b] for moved_row in moved_a]
    size_a, moved_columns = [[abs(x) for x in row] for row in a], _transposed(moved_b)
    return [
        [
            sum(map(mul, row, moved_column)) + sum(map(mul, moved_row, column)) + sum(map(mul, moved_row, moved_column))
            for column, moved_column in zip(columns_b, moved_columns)
        ]
        for row, moved_row in zip(size_a, moved_a)
    ]
