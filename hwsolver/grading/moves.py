"""How far moving numbers of a chain's steps (model.Chain) moves a problem's answers: rounding.allowances plans,
for every number a student may round on the way, the ends it may round to; this sums what they do.

One re-run of the chain per number moved and end (`one`, any chain); stacked_moves.py re-runs them all at once,
stacked as copies, for a chain whose steps take them (Chain.stacks), and judges the changes by the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterable, Mapping
from typing import Any

import numpy as np

from hwsolver.errors import HwsolverError
from hwsolver.grading.leaves import Path, is_number, leaves
from hwsolver.model import Chain

Moves = dict[tuple[str, Path], tuple[float, float]]  # (part, path) -> how far down and up
Answers = Mapping[str, tuple[dict[Path, Any], Container[str]]]  # part -> its numbers unmoved, the steps it reads
Planned = list[tuple[str, list[tuple[int, tuple[float, ...]]]]]  # step -> (index, the ends it moves to)
Summed = dict[str, dict[Path, tuple[float, float]]]  # part -> each number's sums of the moves down and up
UNDEFINED = (ArithmeticError, ValueError, HwsolverError)  # the chain is undefined there (a log at 0)


def summed(chain: Chain, base: dict[str, Any], planned: Planned, answers: Answers) -> Summed:
    """For each part, each number of its answer: the sums, over the moves `planned` (in the chain's order), of how
    far each moves it down and up beyond the number itself (the farthest of the move's ends, each way)."""
    found = {
        part: {path: (0.0, 0.0) for path, x in numbers.items() if is_number(x)}
        for part, (numbers, _) in answers.items()
    }
    earlier: dict[str, Any] = {}  # the steps before the one moved, exactly: moving it, they keep their values
    plan = dict(planned)
    for name, _ in chain.steps:
        for index, ends in plan.get(name, ()):
            for (part, path), (down, up) in one(chain, base, earlier, name, index, ends, answers).items():
                if path in found[part]:
                    low, high = found[part][path]
                    found[part][path] = (low + down, high + up)
        earlier[name] = base[name]
    return found


def one(
    chain: Chain, base: dict[str, Any], earlier: dict[str, Any], name: str, index: int, ends: tuple[float, ...],
    answers: Answers,
) -> Moves:  # fmt: skip
    """How far down and up moving one number of one step by each of `ends` moves the answers' numbers (each
    part's `answers`: its numbers unmoved, and the steps it reads itself), beyond the number itself (an answer
    that is that very number moves by its own rounding: not counted)."""
    moved: Moves = {}
    for end in ends:
        shifted = np.array(base[name], dtype=float)
        shifted.flat[index] += end
        step = shifted if np.ndim(base[name]) else float(shifted)
        try:
            worked, direct = chain.values({**earlier, name: step}), {**base, name: step}
            found = [
                # an answer that does not read the step itself reads the same numbers with it moved alone
                (
                    part,
                    leaves(chain.answers[part](worked)),
                    leaves(chain.answers[part](direct)) if name in own else same,
                )
                for part, (same, own) in answers.items()
            ]
        except UNDEFINED:
            continue  # that end says nothing
        for part, after, alone in found:
            add(moved, part, changes(((path, x, alone[path]) for path, x in after.items() if is_number(x)), end))
    return moved


def changes(numbers: Iterable[tuple[Path, float, float]], end: float) -> dict[Path, float]:
    """The changes that count of one part's numbers (path, moved, unmoved) that moving one number by `end` makes:
    none when its one change is the move itself (the answer reads that number as it is, as ReLU's output is its
    input: its own rounding, the tolerance's business)."""
    found = {}
    for path, number, alone in numbers:
        change = number - alone
        if change and math.isfinite(change) and abs(change) > 1e-12 * max(1.0, abs(number)):  # most are 0
            found[path] = change
    if len(found) == 1 and math.isclose(abs(next(iter(found.values()))), abs(end), rel_tol=1e-9):
        return {}
    return found


def add(moved: Moves, part: str, found: dict[Path, float]) -> None:
    """Keep the farthest change of each number, down and up, over the ends of one move."""
    for path, change in found.items():
        down, up = moved.get((part, path), (0.0, 0.0))
        moved[(part, path)] = (max(down, -change), max(up, change))
