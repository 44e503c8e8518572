"""Comparing a student's value with a reference value, by answer type.

A check returns the share of the part's points earned, a sentence of feedback, and the slip it names (if it is
one the checker itself recognises: a number rounded too coarsely, a transposed matrix). Numbers are compared as
precision.py says; answers of several entries are scored entry by entry as entries.py says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from math import isfinite
from typing import TYPE_CHECKING, Any

from hwsolver.grading.answers import all_zero, is_number, rectangular
from hwsolver.grading.entries import flat, score
from hwsolver.grading.plain_check import plain_check
from hwsolver.grading.precision import DEFAULT_SIGFIGS, FLOATS, Tolerance
from hwsolver.grading.reveal import expected
from hwsolver.grading.shares import ONE, ZERO
from hwsolver.grading.tally import display
from hwsolver.model import Symbolic
from hwsolver.spec.node import shape_of

__all__ = ["DEFAULT_SIGFIGS", "RIGHT", "Check", "Equivalence", "Tolerance", "agrees", "check", "layout"]


@dataclass(frozen=True, init=False)
class Check:
    share: Fraction  # of the part's points: 1 correct, 0 wrong, in between for partial credit
    feedback: str = ""
    mistake: str | None = None  # a slip the checker names itself (rounded_too_coarsely, transposed)

    if TYPE_CHECKING:
        correct: bool  # share 1 and no named slip: set with the fields (not one: not compared, not replaced)

    def __init__(self, share: Fraction, feedback: str = "", mistake: str | None = None) -> None:
        # the fields in one step, as results.PartResult sets its own: with per-student variants nearly every wrong
        # answer's check is new; `correct` with them, as grading asks it of each check again and again (a Fraction's
        # comparison is a Python call each time: ONE and ZERO, most shares, are told by identity)
        correct = mistake is None and (share is ONE or (share is not ZERO and share == 1))
        self.__dict__.update(share=share, feedback=feedback, mistake=mistake, correct=correct)


RIGHT = Check(ONE)

# Formula equivalence is the expression language's business; the grader hands in how to decide it.
Equivalence = Callable[[Any, Symbolic], Check]


def check(
    value: Any, reference: Any, tolerance: Tolerance, equivalent: Equivalence | None = None, explain: bool = True
) -> Check:
    """How well `value` (read by answers.read_answer) matches `reference`; without `explain`, a number's or an
    array's feedback is left unsaid (where only the share is read: most follow-through checks)."""
    if (type(value) is tuple or type(value) is dict) and value == reference and _finite_floats(value):
        return RIGHT  # most right answers (with per-student variants, each one new): nothing to lay out
    if isinstance(reference, bool):
        return (
            RIGHT
            if value is reference
            else Check(Fraction(0), expected(f"expected {display(reference)}", "not the right answer"))
        )
    if isinstance(reference, Symbolic):
        assert equivalent is not None, "a formula part needs an equivalence test"
        return equivalent(value, reference)
    plain = plain_check(value, reference, tolerance, explain)  # most answers: a number, arrays of floats
    if plain is not None:
        return RIGHT if plain[0] is ONE else Check(*plain)
    share, feedback, mistake = score(value, reference, tolerance, equivalent, explain)
    if share is ONE and not feedback and mistake is None:
        return RIGHT  # most answers: nothing to make
    return Check(share, feedback, mistake)


def _finite_floats(value: tuple | dict) -> bool:
    """Whether an answer is a vector, a matrix (or an array of more axes, a list of such) or named such arrays of
    finite floats as the reader gives them (no yes/no, which equals 1.0): one equal to its reference is then right
    whatever the tolerance, as `score` would find entry by entry. False for other shapes and for sums that overflow
    (`score` decides those)."""
    for item in value.values() if type(value) is dict else (value,):
        if type(item) is not tuple or not item:
            return False
        rows = item if type(item[0]) is tuple else (item,)
        for row in rows:
            if type(row) is not tuple:
                return False
            if row and type(row[0]) is tuple:  # an array of more axes (a [row, column] position per window)
                if not _finite_floats(row):
                    return False
            elif not set(map(type, row)) <= FLOATS or not isfinite(sum(row)):
                return False  # a finite sum: every entry finite (an infinity or NaN leaves none)
    return True


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
    if isinstance(reference, Mapping):
        return (
            isinstance(value, Mapping)
            and reference.keys() <= value.keys()
            and all(key in reference or all_zero(item) for key, item in value.items())  # zero biases added
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
        if value and type(value[0]) is float and all(type(item) is float for item in value):
            return (len(value),), list(value)  # a vector of floats (most answers), laid out as it is
        if not rectangular(value):
            return None
        shape = shape_of(value)
        return shape, flat(value, len(shape))
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
    # a loop, not all() over a generator (twice as long for a pair differing at its first number, as most do)
    for v, r in zip(value[1], reference[1]):  # noqa: SIM110
        if not close(v, r):
            return False
    return True
