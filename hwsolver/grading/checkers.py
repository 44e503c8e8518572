"""Comparing a student's value with a reference value, by answer type (one table, keyed by the type).

A check returns the share of the part's points earned and a sentence of feedback. Numbers use the symmetric
test |a-b| <= atol + rtol*max(|a|,|b|), or by default "any correct rounding to 3 significant figures".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import chain
from typing import Any

from hwsolver.grading.answers import is_number, rectangular
from hwsolver.model import Symbolic
from hwsolver.node import format_shape, shape_of
from hwsolver.numbers import display as _display_uncached

DEFAULT_SIGFIGS = 3
# Feedback names expected values; a class misses the same ones again and again.
display = lru_cache(maxsize=8192)(_display_uncached)
_EXACT_RTOL, _EXACT_ATOL = 1e-9, 1e-12  # always accepted: the answer is the reference up to float rounding


@dataclass(frozen=True)
class Tolerance:
    """sigfigs: accept any correct rounding to that many significant figures; rtol/atol: the symmetric test."""

    rtol: float = _EXACT_RTOL
    atol: float = _EXACT_ATOL
    sigfigs: int | None = DEFAULT_SIGFIGS
    partial: bool = False  # per-entry partial credit for vectors and matrices

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Tolerance:
        """Part options over problem options; setting rtol or atol (without sigfigs) turns the sig-fig rule off."""
        explicit = "rtol" in options or "atol" in options
        sigfigs = options.get("sigfigs", None if explicit else DEFAULT_SIGFIGS)
        return cls(
            rtol=max(float(options.get("rtol", 0)), _EXACT_RTOL),
            atol=max(float(options.get("atol", 0)), _EXACT_ATOL),
            sigfigs=sigfigs,
            partial=bool(options.get("partial", False)),
        )

    def close(self, value: Any, reference: Any) -> bool:
        a, b = float(value), float(reference)
        if not math.isfinite(a):  # inf would pass the relative test below (inf <= inf)
            return False
        difference = abs(a - b)
        if difference <= self.atol + self.rtol * max(abs(a), abs(b)):
            return True
        if self.sigfigs and b != 0:
            return difference <= _half_unit(b, self.sigfigs)
        return False


@lru_cache(maxsize=65536)  # references repeat for every student: work each one's out once
def _half_unit(reference: float, sigfigs: int) -> float:
    """Half a unit in the last of `sigfigs` significant digits of `reference` (a hair more, for float error)."""
    return 0.5 * 10 ** (math.floor(math.log10(abs(reference))) - sigfigs + 1) * (1 + 1e-9)


@dataclass(frozen=True)
class Check:
    share: Fraction  # of the part's points: 1 correct, 0 wrong, in between for partial credit
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.share == 1


RIGHT = Check(Fraction(1))

# Formula equivalence is the expression language's business; the grader hands in how to decide it.
Equivalence = Callable[[Any, Symbolic], Check]


def check(value: Any, reference: Any, tolerance: Tolerance, equivalent: Equivalence | None = None) -> Check:
    """How well `value` (read by answers.read_answer) matches `reference`."""
    if isinstance(reference, bool):
        return RIGHT if value is reference else Check(Fraction(0), f"expected {display(reference)}")
    if isinstance(reference, Symbolic):
        assert equivalent is not None, "a formula part needs an equivalence test"
        return equivalent(value, reference)
    if isinstance(reference, Mapping):
        return _named(value, reference, tolerance, equivalent)
    if isinstance(reference, tuple) and reference and not rectangular(reference):
        # one answer per layer or per sample: each checked on its own, numbered from 1
        if not isinstance(value, tuple) or len(value) != len(reference):
            return Check(Fraction(0), f"expected a list of {len(reference)}, got {_shape_text(value)}")
        checks = [check(v, r, tolerance, equivalent) for v, r in zip(value, reference)]
        wrong = [f"item {i}: {c.feedback}" for i, c in enumerate(checks, start=1) if not c.correct]
        return RIGHT if not wrong else Check(Fraction(0), "; ".join(wrong))
    if isinstance(reference, tuple):
        return _tensor(value, reference, tolerance)
    if not is_number(value):
        return Check(Fraction(0), f"expected a single number, got {_shape_text(value)}")
    return RIGHT if tolerance.close(value, reference) else Check(Fraction(0), f"expected {display(reference)}")


def _shape_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "named values"
    dims = shape_of(value)
    if not dims:
        return "a single number"
    return _count(dims[0]) if len(dims) == 1 else format_shape(dims)


def agrees(value: Any, reference: Any, tolerance: Tolerance, equivalent: Equivalence | None = None) -> bool:
    """Whether `value` fully matches `reference`: `check(...).correct`, without building any feedback and
    stopping at the first difference (a wrong answer is compared with every mutant and follow-through)."""
    if isinstance(reference, tuple) and type(value) is tuple and rectangular(reference):
        values, references = value, reference
        while references and type(references[0]) is tuple:  # flatten both, checking the shapes agree
            if len(values) != len(references) or any(type(v) is not tuple for v in values):
                return False
            if any(len(v) != len(r) for v, r in zip(values, references)):
                return False
            values, references = list(chain.from_iterable(values)), list(chain.from_iterable(references))
        if len(values) != len(references) or any(type(v) is tuple for v in values):
            return False
        close = tolerance.close
        return all(is_number(v) and close(v, r) for v, r in zip(values, references))
    if isinstance(reference, Mapping) and not tolerance.partial:
        return (
            isinstance(value, Mapping)
            and value.keys() == reference.keys()
            and all(agrees(value[key], item, tolerance, equivalent) for key, item in reference.items())
        )
    return check(value, reference, tolerance, equivalent).correct


Layout = tuple[Any, list[Any]]


def layout(value: Any) -> Layout | None:
    """A number, a rectangular array of numbers or named such values, as (its shape, its numbers in a fixed
    order); None for anything else. Two layouts agree when their shapes are equal and their numbers close, as
    `agrees` would say: laid out once, a wrong answer is compared with every mutant at the cost of its first
    few numbers."""
    if is_number(value):
        return (), [value]
    if type(value) is tuple:
        if not rectangular(value):
            return None
        shape = shape_of(value)
        return shape, _flat(value, len(shape))
    if isinstance(value, Mapping):
        shapes, numbers = [], []
        for key in sorted(value):
            inner = layout(value[key])
            if inner is None:
                return None
            shapes.append((key, inner[0]))
            numbers.extend(inner[1])
        return tuple(shapes), numbers
    return None


def layouts_agree(value: Layout, reference: Layout, tolerance: Tolerance) -> bool:
    if value[0] != reference[0]:
        return False
    close = tolerance.close
    return all(close(v, r) for v, r in zip(value[1], reference[1]))


def _count(entries: int) -> str:
    return "1 entry" if entries == 1 else f"{entries} entries"


def _tensor(value: Any, reference: tuple, tolerance: Tolerance, name: str = "") -> Check:
    want, got = shape_of(reference), shape_of(value)
    if want != got:
        expected = _count(want[0]) if len(want) == 1 else format_shape(want)
        return Check(Fraction(0), f"{name + ': ' if name else ''}expected {expected}, got {_shape_text(value)}")
    values, references = _flat(value, len(want)), _flat(reference, len(want))
    if len(values) != len(references):  # shape_of looks at first rows only: a ragged answer ends here
        return Check(Fraction(0), f"{name + ': ' if name else ''}expected {format_shape(want)}, got a ragged array")
    close = tolerance.close
    misses = [k for k, (v, r) in enumerate(zip(values, references)) if not close(v, r)]
    if not misses:
        return RIGHT
    total = len(references)
    wrong = [(_index(k, want), references[k]) for k in misses[:4]]
    if total == 1:
        return Check(Fraction(0), f"{name + ': ' if name else ''}expected {display(wrong[0][1])}")
    shown = [f"{name}[{','.join(map(str, i))}] (expected {display(r)})" for i, r in wrong]
    where = ", ".join(shown) + (f" and {len(misses) - 4} more" if len(misses) > 4 else "")
    share = Fraction(total - len(misses), total) if tolerance.partial else Fraction(0)
    return Check(share, f"{len(misses)} of {total} entries wrong: {where}")


def _flat(value: Any, depth: int) -> list[Any]:
    """The entries of a rectangular nested tuple, in row-major order."""
    for _ in range(depth - 1):
        value = chain.from_iterable(value)
    return list(value)


def _index(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The 1-based (row, column, ...) of entry number `flat`."""
    index = []
    for size in reversed(shape):
        flat, position = divmod(flat, size)
        index.append(position + 1)
    return tuple(reversed(index))


def _named(value: Any, reference: Mapping, tolerance: Tolerance, equivalent: Equivalence | None) -> Check:
    """Named parameters {W1: ..., b1: ...}: every one checked; missing and extra names are wrong."""
    if not isinstance(value, Mapping):
        return Check(Fraction(0), f"expected named values ({', '.join(reference)}), got {_shape_text(value)}")
    notes, earned, total = [], Fraction(0), 0
    for key, ref in reference.items():
        size = math.prod(shape_of(ref)) or 1
        total += size
        if key not in value:
            notes.append(f"{key} missing")
            continue
        result = (
            _tensor(value[key], ref, tolerance, key)
            if isinstance(ref, tuple)
            else check(value[key], ref, tolerance, equivalent)
        )
        earned += result.share * size
        if not result.correct:
            notes.append(result.feedback)
    extra = [key for key in value if key not in reference]
    if extra:
        notes.append(f"unexpected {', '.join(extra)} (there is no such parameter)")
        total += sum(math.prod(shape_of(value[key])) or 1 for key in extra)
    if not notes:
        return RIGHT
    share = earned / total if tolerance.partial else Fraction(0)
    return Check(share, "; ".join(notes))
