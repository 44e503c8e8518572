"""The check of the answers a class sends most (a number, a vector or matrix of floats, named such matrices)
without entries.py's general walk: the same share and the same feedback, word for word.

With a variant per student every answer is new, so each is checked afresh; the general walk asks each level what
it is, lays the reference out through a memo that only misses, and keeps a Tally. Here an answer in the
reference's own shape is compared array by array with Tolerance.wrong and its feedback written from the wrong
entries found, [row, column] positions window by window. Anything else (another shape, a name missing or unknown,
an entry that may be rounded too coarsely, a square matrix that may be transposed, an infinite reference) is None:
the general walk decides it, as it always did.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import chain
from math import isfinite
from typing import Any

from hwsolver.grading.entries import may_be_transpose
from hwsolver.grading.precision import FLOATS, Tolerance
from hwsolver.grading.reveal import expected
from hwsolver.grading.shares import ONE, ZERO, mean, share
from hwsolver.grading.tally import SHOWN, display, index_text, listed_entry, wrong_count, wrong_number
from hwsolver.spec.node import shape_of

# (name, the array's shape or None for a single number, its index in row-major order, the expected value)
_Miss = tuple[str, "tuple[int, ...] | None", int, float]


def plain_check(value: Any, reference: Any, tolerance: Tolerance, explain: bool) -> tuple[Fraction, str] | None:
    """(share, feedback) of `value` against `reference` as entries.score gives them where it names no slip, or
    None where the general walk must decide (see the module's docstring); without `explain`, no feedback."""
    if tolerance.positions:
        return _positions(value, reference, tolerance, explain)
    kind = type(reference)
    if kind is float:
        return _number(value, reference, tolerance, explain)
    misses: list[_Miss] = []
    if kind is tuple:
        found = _array(value, reference, "", tolerance, misses)
        if found is None:
            return None
        entries, wrong = found
        if not wrong:
            return ONE, ""
        earned = share(entries - wrong, entries)
    elif kind is dict:
        if type(value) is not dict or value.keys() != reference.keys():
            return None
        entries = wrong = 0
        shares = []
        for key, item in reference.items():
            found = _array(value[key], item, str(key), tolerance, misses)
            if found is None:
                return None
            entries, wrong = entries + found[0], wrong + found[1]
            shares.append(share(found[0] - found[1], found[0]) if found[1] else ONE)
        if not wrong:
            return ONE, ""
        earned = mean(shares)
    else:
        return None
    return (earned if tolerance.partial else ZERO), _feedback(misses, entries, wrong, tolerance) if explain else ""


def _number(value: Any, reference: float, tolerance: Tolerance, explain: bool) -> tuple[Fraction, str] | None:
    if type(value) not in FLOATS or not isfinite(reference):
        return None
    if tolerance.close(value, reference):
        return ONE, ""
    if tolerance.coarse(value, reference):
        return None  # the slip "rounded too coarsely": the general walk names it
    return ZERO, wrong_number(reference) if explain else ""


def _array(
    value: Any, reference: tuple, name: str, tolerance: Tolerance, misses: list[_Miss]
) -> tuple[int, int] | None:
    """(entries, wrong ones) of a vector or matrix of finite floats against its reference, each wrong one added
    to `misses` while fewer than SHOWN are there; None where the general walk decides."""
    if type(reference) is not tuple or not reference or type(value) is not tuple or len(value) != len(reference):
        return None  # (a named number or formula among named arrays: the general walk)
    first = reference[0]
    if type(first) is float:  # a vector
        shape: tuple[int, ...] = (len(reference),)
        references, values = list(reference), list(value)
    elif type(first) is tuple and first:  # a matrix, when every row is as long as the first
        columns = len(first)
        shape = (len(reference), columns)
        references, values = [], []
        for row, written in zip(reference, value):
            if type(row) is not tuple or len(row) != columns or type(written) is not tuple or len(written) != columns:
                return None
            references += row
            values += written
    else:
        return None
    if set(map(type, references)) != {float} or not isfinite(sum(references)):
        return None  # Fractions, yes/no, an infinity or NaN (or a sum that overflows): the general walk
    kinds = set(map(type, values))
    if tuple in kinds:
        return None  # an entry that is a list: another shape
    if values == references and kinds <= FLOATS:
        return len(references), 0  # written as the reference is: most right answers, at one glance
    wrong, sure = tolerance.wrong(values, references, references)
    if not wrong:
        return len(references), 0
    if not all(sure):
        return None  # an entry that may be rounded too coarsely
    if len(shape) == 2 and shape[0] == shape[1] and may_be_transpose(wrong, shape[0]):
        return None  # a square matrix right on its diagonal may be its reference's transpose
    at = None if len(references) == 1 and not name else shape  # a single number: no position to name
    room = SHOWN - len(misses)
    if room > 0:
        misses += [(name, at, k, references[k]) for k in wrong[:room]]
    return len(references), len(wrong)


def _positions(value: Any, reference: Any, tolerance: Tolerance, explain: bool) -> tuple[Fraction, str] | None:
    """[row, column] positions (a grid of windows, or a list), each of the reference's own length, every number a
    float the reader gives and every reference's finite: a window is right when both its numbers are close, and
    the feedback counts positions as entries.score does; None for anything else (the general walk)."""
    if type(reference) is not tuple or not reference:
        return None
    shape = shape_of(reference)
    if len(shape) < 2:
        return None  # a single position: entries, as the general walk scores it
    wanted, written = _windows(reference, shape), _windows(value, shape)
    if wanted is None or written is None:
        return None  # another shape, or a ragged one
    numbers = list(chain.from_iterable(wanted))
    if set(map(type, numbers)) != {float} or not isfinite(sum(numbers)):
        return None
    if not set(map(type, chain.from_iterable(written))) <= FLOATS:
        return None
    close = tolerance.close
    wrong = [k for k, (got, want) in enumerate(zip(written, wanted)) if got != want and not all(map(close, got, want))]
    if not wrong:
        return ONE, ""
    windows = len(wanted)
    earned = share(windows - len(wrong), windows) if tolerance.partial else ZERO
    if not explain:
        return earned, ""
    base, at = tolerance.base, shape[:-1]
    listed = ", ".join(
        [f"window {index_text(k, at, base)}{expected(f' (expected {_pair(wanted[k])})')}" for k in wrong[:SHOWN]]
    )
    return earned, wrong_count(len(wrong), windows, "position", base, listed)


def _windows(value: Any, shape: tuple[int, ...]) -> list[Any] | None:
    """The positions of an array of exactly this shape, in row-major order; None for any other shape."""
    level = [value]
    for size in shape[:-1]:
        inner: list[Any] = []
        for item in level:
            if type(item) is not tuple or len(item) != size:
                return None
            inner += item
        level = inner
    size = shape[-1]
    for position in level:  # (a loop, not all() over a generator)
        if type(position) is not tuple or len(position) != size:
            return None
    return level


def _pair(position: tuple[float, ...]) -> str:
    return "[" + ", ".join([display(number) for number in position]) + "]"


def _feedback(misses: list[_Miss], entries: int, wrong: int, tolerance: Tolerance) -> str:
    """As Tally.feedback says it: the single number's expected value, or how many entries are wrong and where."""
    if wrong == 1 and entries == 1 and misses[0][1] is None:
        return wrong_number(misses[0][3])
    base = tolerance.base
    listed = ", ".join([listed_entry(name, (k, at), right, base) for name, at, k, right in misses])
    return wrong_count(wrong, entries, "entry", base, listed)
