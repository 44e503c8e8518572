"""A chain's rounding allowances (rounding.py): how far rounding its intermediate values to the problem's
significant figures moves each number of an answer, each value moved the way it rounds, the changes added up.

Worked out part by part as grading asks (prepared.Allowances): the chain's exact values (and which steps each
reads), its values worked out from rounded ones and the moves each step's rounding plans are kept for the next
part, which reads many of the same steps; what a part's moves do is its own (moves.py, stacked_moves.py).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from hwsolver.grading import moves, stacked_moves
from hwsolver.grading.leaves import Path, leaves
from hwsolver.model import Chain
from hwsolver.numbers.digits import sigfig_half_unit

# per number of an answer: how far it may move (down, up); for a yes/no, the values it may take
Bounds = dict[Path, Any]
_NOISE = 1e-12  # a move this small beside its value is float noise, not rounding (figures asked: 2 to 9)
_MAX_STEP_NUMBERS = 512  # a chain with more numbers than this gets no allowance (it is worked again for each)


def allowances(chain: Chain, parts: Iterable[str], sigfigs: int | None) -> dict[str, Bounds]:
    """For each part the chain answers: how far down and up rounding its intermediate values to `sigfigs`
    figures moves each number of the answer (not counting the rounding of the answer's own numbers, which the
    tolerance allows). Each value is rounded as a student would, the way it rounds when every value before it
    was rounded and when none was (ReLU's output of a rounded input rounds nothing more); a tie either way."""
    return Rounding(chain, sigfigs).allowances(parts)


class Rounding:
    """One chain's allowances, part by part, sharing the work that is the same for every part."""

    def __init__(self, chain: Chain, sigfigs: int | None) -> None:
        self.chain, self.sigfigs = chain, sigfigs
        self.base = _Traced(chain)  # the exact values, each step worked out when first read
        self.rounded: dict[str, Any] = {}  # each step planned, worked out from the rounded steps it reads, rounded
        self.plans: dict[str, list[tuple[int, tuple[float, ...]]]] = {}  # step -> (index, the ends it moves to)
        self.size: int | None = None  # numbers in all steps
        self.spec = f".{sigfigs}g"  # float(format(x, spec)): x rounded to the figures (inf, nan stay)
        # the step last planned: its name, exact numbers (flat) and shape, read again by the next step's plan (one
        # kept, not every step's: a class's variants are many, each list one more object for the cycle collector)
        self.last: tuple[str | None, list[float], tuple[int, ...]] = (None, [], ())

    def allowances(self, parts: Iterable[str]) -> dict[str, Bounds]:
        """rounding.allowances for these parts. A total chain's (model.Chain.total) answers read only what they
        need, and moving a step none of them reads moves none of them; a chain that may raise is worked out
        whole, every step counted as read: a step that raises on its rounded values gives no allowance at all."""
        chain, base = self.chain, self.base
        wanted = [part for part in parts if part in chain.answers]
        if not self.sigfigs or not wanted:
            return {}
        answers = {part: _answer(chain, part, base) for part in wanted}
        if self.size is None:  # the kind's count, if it has one: counting would work every step out
            self.size = chain.size if chain.size is not None else sum(_size(base[name]) for name, _ in chain.steps)
        if self.size > _MAX_STEP_NUMBERS:
            return {}
        read = base.fed(base.closure(own for _, own in answers.values())) if chain.total else chain.by_name
        try:
            planned = [(name, self._plan(n, name)) for n, (name, _) in enumerate(chain.steps) if name in read]
        except moves.UNDEFINED:  # a step undefined on its rounded values: no allowance at all
            return {}
        bounds = stacked_moves.summed(chain, base, planned, answers) if chain.stacks else None  # all at once
        if bounds is None:
            bounds = moves.summed(chain, base, planned, answers)  # or one by one
        return {part: found for part, found in bounds.items() if any(d or u for d, u in found.values())}

    def _plan(self, n: int, name: str) -> list[tuple[int, tuple[float, ...]]]:
        """The numbers of step `n` rounding moves, and the ends each moves to: rounded the way it rounds when
        every step before it was rounded and when none was, a tie either way. Not a number that repeats the one
        of the step before it (ReLU of a positive input): rounded once, with that one."""
        found = self.plans.get(name)
        if found is not None:
            return found
        sigfigs, spec = self.sigfigs or 0, self.spec
        # a step's few numbers as Python floats: NumPy's cost on arrays this small is per call, and this runs for
        # every step of every variant a wrong answer needs
        before, before_shape = self._exact(self.chain.steps[n - 1][0]) if n else (None, None)
        numbers, shape = self._exact(name)
        self.last = (name, numbers, shape)
        values, worked_shape = _flat(self.chain.steps[n][1](self.rounded))
        kept = [float(format(x, spec)) for x in values]
        exact_kept = kept if values == numbers else [float(format(x, spec)) for x in numbers]
        self.rounded[name] = np.array(kept, dtype=float).reshape(worked_shape) if shape else kept[0]
        repeated = before if before_shape == shape else None
        moving = []
        for index, (value, to, number, number_to) in enumerate(zip(values, kept, numbers, exact_kept)):
            if repeated is not None and number == repeated[index]:
                continue
            # all rounded before, or none (the same where they agree)
            ends = set() if _unmoved(value, to) else _ends(value, to - value, sigfigs)
            if number != value and not _unmoved(number, number_to):
                ends |= _ends(number, number_to - number, sigfigs)
            if ends:
                moving.append((index, tuple(filter(None, ends))))
        self.plans[name] = moving
        return moving

    def _exact(self, name: str) -> tuple[list[float], tuple[int, ...]]:
        """A step's exact numbers, flat, and its shape (those of the step last planned as they were read)."""
        last, numbers, shape = self.last
        return (numbers, shape) if last == name else _flat(self.base[name])


def _flat(value: Any) -> tuple[list[float], tuple[int, ...]]:
    """A step's numbers as Python floats, flat, and its shape."""
    if type(value) is not np.ndarray or value.dtype != np.float64:
        value = np.asarray(value, dtype=float)
    return value.ravel().tolist(), value.shape


def _unmoved(value: float, to: float) -> bool:
    """Whether rounding leaves the value where it is: the same float, or one that differs from it by float noise
    alone (-0.22000000000000003, worked out in floats, is -0.22: a student has nothing to round there, and a move
    of 3e-17 at a ReLU's kink would count as crossing it)."""
    return to == value or abs(to - value) <= _NOISE * abs(value)


def _ends(start: float, change: float, sigfigs: int) -> set[float]:
    """Where rounding moves a number by `change`: that way, or either way for a tie."""
    tie = abs(change) >= sigfig_half_unit(start, sigfigs) * (1 - 1e-9)
    return {change, -change} if tie else {change}


def _size(value: Any) -> int:
    return value.size if type(value) is np.ndarray else np.size(value)  # np.size's cost is its own


class _Traced(dict):
    """A chain's exact values, each step worked out when first read, noting the steps each reads itself."""

    def __init__(self, chain: Chain) -> None:
        super().__init__()
        self.chain = chain
        self.reads: dict[str, Container[str]] = {}

    def __missing__(self, name: str) -> Any:
        reading = _Reading(self, self.chain.by_name)
        value = self[name] = self.chain.by_name[name](reading)
        self.reads[name] = reading.read
        return value

    def fed(self, steps: set[str]) -> set[str]:
        """Those of `steps` that one of them reads. Any other only answers read: moved, no step they read is worked
        again from it, so they read what they read with it moved alone, a change no allowance counts (moves.py):
        it need not be rounded, nor moved."""
        return steps & set().union(*(self.reads[name] for name in steps))

    def closure(self, read: Iterable[Container[str]]) -> set[str]:
        """The steps read, and those they read, themselves or through others: one pass from the last step back,
        a step reading only steps before it."""
        found: set[str] = set().union(*read)
        reads = self.reads
        for name, _ in reversed(self.chain.steps):
            if name in found and name in reads:
                found.update(reads[name])
        return found


def _answer(chain: Chain, part: str, base: Mapping[str, Any]) -> tuple[dict[Path, Any], Container[str]]:
    """The part's numbers, and the steps its answer reads itself (every step, if it goes through them all)."""
    reading = _Reading(base, chain.by_name)
    return leaves(chain.answers[part](reading)), reading.read


class _Reading(Mapping):
    """Steps' values that note which of them are read (all of them, once they are gone through)."""

    def __init__(self, values: Mapping[str, Any], names: Container[str]) -> None:
        self.values, self.names, self.read = values, names, set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return self.values[name]

    def __iter__(self) -> Iterator[str]:
        self.read = self.names
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)
