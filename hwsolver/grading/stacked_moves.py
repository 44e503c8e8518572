"""Every move rounding plans (moves.py), worked out in one re-run of the chain: each move a copy along a leading
axis (its step's number moved, the steps before it as they are, those after it worked out from there), for a
chain whose steps take stacked copies (Chain.stacks) and whose answers only lay out the steps' numbers.

The answers are not read copy by copy: where each of their numbers comes from (a step and an index: `Layout`)
is found once by reading them on probe values, and checked against the true values; the changes are then judged
for all copies at once, by the same rules and in the same order as moves.one, so the sums are the same floats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hwsolver.grading.leaves import Path, is_number, leaves
from hwsolver.grading.moves import UNDEFINED, Planned, Summed, add, changes
from hwsolver.memo import Bounded
from hwsolver.model import Chain

_UNREADABLE = (*UNDEFINED, TypeError, KeyError, IndexError, AttributeError)


@dataclass(frozen=True)
class Layout:
    """Where each number of each part's answer is read from: columns, each one number of one step."""

    sources: tuple[tuple[str, list[int]], ...]  # step, the numbers read from it, in the columns' order
    columns: dict[tuple[str, int], int]  # (step, index) -> its column
    parts: dict[str, list[tuple[Path, int]]]  # part -> its numbers' paths and columns


# the layouts found, by the answers' code, their paths and the shapes of the steps they read: every variant of a
# problem has its own chain, all laid out alike (Chain.stacks: their answers lay out numbers by shapes only)
_LAYOUTS: Bounded[Any, Layout | None] = Bounded(256)


def layout(chain: Chain, base: Mapping[str, Any], answers: Mapping[str, Any]) -> tuple[Layout, list[float]] | None:
    """The chain's answers' layout, checked against the true values, and each column's number (None: an answer
    works something out). Keyed by the steps the answers read only (read already): the shapes of the others would
    have every step worked out, and no answer reads them."""
    read = set().union(*(own for _, own in answers.values()))
    key = (
        tuple((name, _shape(base[name])) for name, _ in chain.steps if name in read),
        tuple((part, chain.answers[part].__code__, tuple(found)) for part, (found, _) in answers.items()),
    )
    found = _LAYOUTS[key] if key in _LAYOUTS else _LAYOUTS.keep(key, _probe(chain, base, answers))
    checked = _checked(found, base, answers)
    if found is not None and checked is None:
        checked = _checked(_probe(chain, base, answers), base, answers)  # laid out otherwise after all: its own
    return checked


def _checked(
    found: Layout | None, base: Mapping[str, Any], answers: Mapping[str, Any]
) -> tuple[Layout, list[float]] | None:
    """The layout and its columns' numbers, if each number of each answer is its column's."""
    if found is None:
        return None
    unmoved = _numbers(found, base)
    return (found, unmoved) if _agrees(found, unmoved, answers) else None


def _shape(value: Any) -> tuple[int, ...]:
    return value.shape if type(value) is np.ndarray else np.shape(value)  # np.shape's cost is its own


def _agrees(found: Layout, numbers: list[float], answers: Mapping[str, Any]) -> bool:
    """Whether each number of each answer is its column's."""
    return all(
        numbers[column] == read[path] for part, (read, _) in answers.items() for path, column in found.parts[part]
    )


def _numbers(found: Layout, base: Mapping[str, Any]) -> list[float]:
    """Each column's number, unmoved."""
    return [x for name, indices in found.sources for x in np.ravel(base[name])[indices].tolist()]


def _probe(chain: Chain, base: Mapping[str, Any], answers: Mapping[str, Any]) -> Layout | None:
    """The layout the answers give probe values: every number of every step a distinct one (negative and
    fractional, so that no sum, product, rounding or absolute value of them is another)."""
    probe, where, ids = {}, [], []
    for name, _ in chain.steps:
        size, shape = np.size(base[name]), np.shape(base[name])
        numbers = -1 / 3 - np.arange(len(where) + 1, len(where) + 1 + size, dtype=float)
        where += [(name, i) for i in range(size)]
        ids += numbers.tolist()
        probe[name] = numbers.reshape(shape) if shape else float(numbers[0])
    lookup = {number: k for k, number in enumerate(ids)}
    parts: dict[str, list[tuple[Path, int]]] = {}
    for part, (found, _) in answers.items():
        try:
            probed = leaves(chain.answers[part](probe))
        except _UNREADABLE:
            return None  # an answer that does not read probes as it reads numbers
        if probed.keys() != found.keys():
            return None
        parts[part] = []
        for path, number in found.items():
            if is_number(number):
                k = lookup.get(probed[path]) if type(probed[path]) is float else None
                if k is None:
                    return None
                parts[part].append((path, k))
    read = sorted({k for found in parts.values() for _, k in found})  # step by step, as `where` is
    sources: dict[str, list[int]] = {}
    for k in read:
        sources.setdefault(where[k][0], []).append(where[k][1])
    column = {k: n for n, k in enumerate(read)}
    return Layout(
        tuple(sources.items()),
        {where[k]: n for n, k in enumerate(read)},
        {part: [(path, column[k]) for path, k in found] for part, found in parts.items()},
    )


def summed(chain: Chain, base: Mapping[str, Any], planned: Planned, answers: Mapping[str, Any]) -> Summed | None:
    """moves.summed from one stacked re-run; None where the chain's answers do not lay out numbers, or the
    stacked re-run is undefined somewhere (each move is then re-run alone, as moves.one does)."""
    laid = layout(chain, base, answers)
    if laid is None:
        return None
    found, unmoved = laid
    copies = [(name, index, end) for name, moving in planned for index, ends in moving for end in ends]
    sums = {part: {path: (0.0, 0.0) for path, _ in paths} for part, paths in found.parts.items()}
    if not copies or not found.columns:
        return sums
    try:
        rows = _gathered(found, _Copies(chain, base, copies), base, len(copies))
    except UNDEFINED:
        return None
    parts, row = list(found.parts.items()), 0
    for name, moving in planned:
        for index, ends in moving:
            column, moved = found.columns.get((name, index)), {}
            for end in ends:
                after = rows[row]
                for part, paths in parts:
                    # a column read as moved alone (the step moved, none worked again) does not change: left out
                    add(moved, part, changes([(path, after[k], unmoved[k]) for path, k in paths if k != column], end))
                row += 1
            for (part, path), (down, up) in moved.items():
                low, high = sums[part][path]
                sums[part][path] = (low + down, high + up)
    return sums


def _gathered(found: Layout, worked: Mapping[str, Any], base: Mapping[str, Any], count: int) -> list[list[float]]:
    """Each copy's numbers the answers read (a row of columns)."""
    rows: list[list[float]] = [[] for _ in range(count)]
    for name, indices in found.sources:
        value = np.asarray(worked[name], dtype=float)
        if value.ndim == np.ndim(base[name]):  # moved by no copy: the same for each
            numbers = value.ravel()[indices].tolist()
            for row in rows:
                row += numbers
        else:
            for row, numbers in zip(rows, value.reshape(count, -1)[:, indices].tolist()):
                row += numbers
    return rows


class _Copies(dict):
    """The chain's steps for stacked copies, worked out when first read, each copy with its own step's number
    moved (as moves.one moves it: the same sum) and the steps after it worked out from there."""

    def __init__(self, chain: Chain, base: Mapping[str, Any], copies: list[tuple[str, int, float]]) -> None:
        super().__init__()
        self.steps, self.base, self.count = chain.by_name, base, len(copies)
        self.moves: dict[str, list[tuple[int, int, float]]] = {}
        for row, (name, index, end) in enumerate(copies):
            self.moves.setdefault(name, []).append((row, index, end))

    def __missing__(self, name: str) -> Any:
        value = self.steps[name](self)
        moves = self.moves.get(name)
        if moves:
            exact = np.asarray(self.base[name], dtype=float)
            value = np.asarray(value, dtype=float)
            # each copy laid out as the step alone is (C order: NumPy's matmul picks its kernel, and so its last
            # bit, by the layout); a step worked out from no moved step is the same for each copy
            stacked = (
                np.repeat(value[None], self.count, axis=0) if value.ndim == exact.ndim else np.array(value, order="C")
            )
            rows = stacked.reshape(self.count, -1)
            for row, index, end in moves:
                rows[row] = exact.ravel()
                rows[row, index] += end
            value = stacked
        self[name] = value
        return value
