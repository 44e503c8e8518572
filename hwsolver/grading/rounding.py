"""What rounding explains: how far a student's rounding of intermediate values can move an answer.

Two sources, both first-order bounds (each number moved alone, the changes added up):
- the numbers the student wrote in earlier parts, each anywhere in its rounding interval (follow.py);
- the intermediate values of the kind's computation (model.Chain) a student rounds to the problem's significant
  figures on the way without writing them down: each moved to its rounding, the later steps worked again.
  Only values that rounding changes count (0.226 has nothing to round at 3 figures; 0.1808 has), each the way
  it rounds (0.1808 to 0.181 moves the answers one way only).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from hwsolver.errors import HwsolverError
from hwsolver.grading import moves, stacked_moves
from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.leaves import Path, answer_leaves, is_number, leaves, map_leaves
from hwsolver.model import Chain
from hwsolver.numbers import figures
from hwsolver.numbers.digits import sigfig_half_unit, written_half_unit

# per number of an answer: how far it may move (down, up); for a yes/no, the values it may take
Bounds = dict[Path, Any]
_MAX_STEP_NUMBERS = 512  # a chain with more numbers than this gets no allowance (it is worked again for each)


def allowances(chain: Chain, parts: Iterable[str], sigfigs: int | None) -> dict[str, Bounds]:
    """For each part the chain answers: how far down and up rounding its intermediate values to `sigfigs`
    figures moves each number of the answer (not counting the rounding of the answer's own numbers, which the
    tolerance allows). Each value is rounded as a student would, the way it rounds when every value before it
    was rounded and when none was (ReLU's output of a rounded input rounds nothing more); a tie either way."""
    wanted = [part for part in parts if part in chain.answers]
    if not sigfigs or not wanted:
        return {}
    base, read = _worked(chain, wanted)
    if sum(value.size if type(value) is np.ndarray else np.size(value) for value in base.values()) > _MAX_STEP_NUMBERS:
        return {}
    answers = {part: _answer(chain, part, base) for part in wanted}
    planned: moves.Planned = []
    rounded: dict[str, Any] = {}
    # the step before, exactly: its shape and numbers (a step's few numbers are compared as Python floats: NumPy's
    # cost on arrays this small is per call, and this runs for every step of every variant a wrong answer needs)
    before: tuple[tuple[int, ...], list[float]] = ((0,), [])
    spec = f".{sigfigs}g"  # a number rounded to the figures: float(format(x, spec)) (inf and nan stay as they are)
    for name, compute in chain.steps:
        exact = np.asarray(base[name], dtype=float)
        numbers = exact.ravel().tolist()
        if name not in read:  # no answer asked for reads it: moving it moves none (the before stays the step's)
            before = (exact.shape, numbers)
            continue
        try:
            worked = np.asarray(compute(rounded), dtype=float)
        except (ArithmeticError, ValueError, HwsolverError):
            return {}
        values = worked.ravel().tolist()
        kept, exact_kept = [float(format(x, spec)) for x in values], [float(format(x, spec)) for x in numbers]
        rounded[name] = np.array(kept, dtype=float).reshape(worked.shape) if np.ndim(base[name]) else kept[0]
        repeats = before[0] == exact.shape
        moving = []
        for index, (value, to, number, number_to) in enumerate(zip(values, kept, numbers, exact_kept)):
            # nothing to round; or a value that repeats the one before it (ReLU of a positive input): rounded once,
            # with that one
            if (to == value and number_to == number) or (repeats and number == before[1][index]):
                continue
            ends = set()
            for start, end in ((value, to), (number, number_to)):  # all rounded before, or none
                change = end - start
                tie = abs(change) >= sigfig_half_unit(start, sigfigs) * (1 - 1e-9)
                ends |= {change, -change} if tie else {change}
            moving.append((index, tuple(end for end in ends if end)))
        planned.append((name, moving))
        before = (exact.shape, numbers)
    bounds = stacked_moves.summed(chain, base, planned, answers) if chain.stacks else None  # all at once
    if bounds is None:
        bounds = moves.summed(chain, base, planned, answers)  # or one by one
    return {part: found for part, found in bounds.items() if any(d or u for d, u in found.values())}


def _worked(chain: Chain, parts: list[str]) -> tuple[dict[str, Any], Container[str]]:
    """Every step's value, and the steps the parts' answers read, themselves or through the steps they read: a
    total chain's answers read only what they need (Chain.values), and moving a step none of them reads moves
    none of them. A chain that may raise is worked out whole, every step counted as read: a step that raises
    on its rounded values gives no allowance at all."""
    if not chain.total:
        base = chain.run()
        return base, base
    lazy = chain.values()
    for part in parts:
        chain.answers[part](lazy)
    read = set(lazy)
    return chain.run(lazy), read


def _answer(chain: Chain, part: str, base: Mapping[str, Any]) -> tuple[dict[Path, Any], Container[str]]:
    """The part's numbers, and the steps its answer reads itself (every step, if it goes through them all)."""
    reading = _Reading(base)
    return leaves(chain.answers[part](reading)), reading.read


class _Reading(Mapping):
    """Steps' values that note which of them are read (all of them, once they are gone through)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values, self.read = values, set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        self.read = self.values
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def spread(number: Any, tolerance: Tolerance) -> float:
    """Half the rounding interval of a number the student wrote: its last digit's, capped by its tolerance."""
    if not is_number(number):
        return 0.0
    allowed = tolerance.atol + tolerance.rtol * abs(float(number))
    if tolerance.sigfigs:
        allowed = max(allowed, sigfig_half_unit(float(number), tolerance.sigfigs))
    return min(written_half_unit(number), allowed)


def within(value: Any, nominal: Any, bounds: Bounds, tolerance: Tolerance) -> bool | None:
    """Whether each number of the answer is close to a value its bound allows (and each yes/no one its bound
    allows); None when the answer is not numbers in the nominal's places (a formula, another shape)."""
    want, got = answer_leaves(nominal), answer_leaves(value)
    if not want or want.keys() != got.keys():
        return None
    if far(got, want):
        return False
    for path, e in want.items():
        v, bound = got[path], bounds.get(path)
        if type(e) is bool:
            if not (v is e or (bound is not None and v in bound)):
                return False
        elif not tolerance.close(v, _moved(v, e, bound, tolerance.sigfigs)):
            return False
    return True


def beyond(value: Any, nominal: Any) -> bool:
    """Whether `within` says no (or None) whatever the bounds: an answer of another shape, or one that is far.
    Grading asks this first, so that most wrong answers never have a problem's allowances worked out."""
    want, got = answer_leaves(nominal), answer_leaves(value)
    return not want or want.keys() != got.keys() or far(got, want)


def far(got: Mapping[Path, Any], want: Mapping[Path, Any]) -> bool:
    """Whether some number of an answer (by place) is further from the wanted one than the wanted answer is large,
    or is no number: no rounding explains that (most wrong answers end here, before any bound is worked out)."""
    scale = max((abs(e) for e in want.values() if type(e) is not bool), default=0.0)
    for path, e in want.items():
        if type(e) is not bool:
            v = got.get(path)
            if not is_number(v) or abs(v - e) > scale:
                return True
    return False


def _moved(v: Any, e: Any, bound: Any, sigfigs: int | None) -> Any:
    """The value within e's bound nearest to the student's v; e itself for a v written with fewer figures than
    asked (0.32 where 3 are asked is the checker's to judge against e, not a rounding of a value near it)."""
    if bound is None or (sigfigs and figures(v) < sigfigs):
        return e
    down, up = bound
    return min(max(v, e - down), e + up)


def nearest(nominal: Any, bounds: Bounds, value: Any, sigfigs: int | None) -> Any:
    """`nominal` with each number moved, within its bound, as close as it gets to the student's (and a yes/no
    taken as the student's when the bound allows it): what to check the answer against."""
    student = answer_leaves(value)

    def adjust(path: Path, e: Any) -> Any:
        v, bound = student.get(path), bounds.get(path)
        if type(e) is bool:
            return v if bound is not None and v in bound else e
        return _moved(v, e, bound, sigfigs) if is_number(v) else e

    return map_leaves(nominal, adjust)
