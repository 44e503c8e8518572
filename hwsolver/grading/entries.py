"""Scoring an answer entry by entry (tally.py keeps what was found and says it in feedback).

Credit, as a fair TA gives it: a parameter set (W1, b1, ...) and a list (one item per layer or per sample) give
each parameter or item an equal share (a slip in a small layer costs as much as one in a large layer: each is
one step of the method), and an array shares its part among its entries; a [row, column] position is one entry.
An array of the wrong shape earns nothing, a transposed matrix `transposed_credit`, a number rounded too coarsely
`coarse_credit`; missing and unknown parameters count as wrong ones (an unknown one that is all zero is left
out). With `partial: false` an answer earns all or nothing, unless its only slips are named ones (then the
smallest of their credits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from itertools import chain
from math import isfinite
from typing import Any

from hwsolver.grading.answers import all_zero, is_number, rectangular
from hwsolver.grading.precision import FLOATS, Tolerance, margin
from hwsolver.grading.reveal import expected
from hwsolver.grading.shares import ONE, ZERO, mean, share
from hwsolver.grading.tally import Tally, count_text, display, shape_text
from hwsolver.memo import Bounded
from hwsolver.model import Symbolic
from hwsolver.spec.node import format_shape, shape_of

# Reference arrays laid out for comparison (shape, entries, as floats), by identity: a class's answers to a part
# meet the same reference again and again. Each is kept alive with its layout, so that its id is not reused while
# it is here; bounded, as variants bring a reference each.
_LAID: Bounded[int, tuple[Any, tuple[int, ...], list[Any], list[float], bool]] = Bounded(1024)


def score(
    value: Any,
    reference: Any,
    tolerance: Tolerance,
    equivalent: Callable[[Any, Symbolic], Any] | None = None,
    explain: bool = True,
) -> tuple[Fraction, str, str | None]:
    """(share, feedback, named slip) of `value` against `reference`, entry by entry; without `explain`, the
    feedback is left unsaid."""
    tally = Tally(tolerance, equivalent)
    earned = _score(value, reference, "", tally)
    if not tally.notes and not tally.missed:
        return ONE, "; ".join(tally.remarks), None
    if not tolerance.partial:
        earned = ZERO if tally.wrong else min(credit for _, credit in tally.slips)
    return earned, tally.feedback() if explain else "", None if tally.wrong else tally.slips[0][0]


def _score(value: Any, reference: Any, name: str, tally: Tally) -> Fraction:
    if isinstance(reference, tuple):  # the common case first, without asking the Mapping ABC
        if reference and not rectangular(reference):
            return _items(value, reference, name, tally)
        return _array(value, reference, name, tally)
    if type(reference) is dict or isinstance(reference, Mapping):
        return _named(value, reference, name, tally)
    if isinstance(reference, bool):
        if value is reference:
            return ONE
        tally.note(name, expected(f"expected {display(reference)}", "not the right answer"))
        return ZERO
    if isinstance(reference, Symbolic):
        assert tally.equivalent is not None, "a formula part needs an equivalence test"
        found = tally.equivalent(value, reference)
        if not found.correct:
            tally.note(name, found.feedback)
        return found.share
    if not is_number(value):
        tally.note(name, f"expected a single number, got {shape_text(value)}")
        return ZERO
    return _entry(value, reference, name, tally)


def _entry(value: Any, reference: Any, name: str, tally: Tally) -> Fraction:
    tally.entries += 1
    if is_number(value) and tally.tolerance.close(value, reference):
        return ONE
    return tally.tolerance.coarse_credit if tally.miss(value, reference, name) else ZERO


def _named(value: Any, reference: Mapping, name: str, tally: Tally) -> Fraction:
    """Named parameters {W1: ..., b1: ...}: an equal share each; missing and unknown names are wrong."""
    if not (type(value) is dict or isinstance(value, Mapping)):
        tally.note(name, f"expected named values ({', '.join(reference)}), got {shape_text(value)}")
        return ZERO
    shares = []
    for key, item in reference.items():
        inner = f"{name} {key}" if name else str(key)
        if key in value:
            shares.append(_score(value[key], item, inner, tally))
        else:
            tally.note("", f"{inner} missing")
            shares.append(ZERO)
    if not value.keys() <= reference.keys():  # names the problem does not have (nearly no answer)
        _unknown(value, reference, name, tally, shares)
    return mean(shares)


def _unknown(value: Mapping, reference: Mapping, name: str, tally: Tally, shares: list[Fraction]) -> None:
    """Names the reference does not have: wrong ones, or said and left out where they are all zero."""
    extra = [str(key) for key in value if key not in reference and not all_zero(value[key])]
    if extra:
        tally.note(name, f"unexpected {', '.join(extra)} (there is no such parameter)")
        shares.extend(ZERO for _ in extra)
    idle = [str(key) for key in value if key not in reference and all_zero(value[key])]
    if idle:  # zero biases where there are none: nothing changes, nothing is wrong
        tally.remark(f"{', '.join(idle)}: all zero, left out (there is no such parameter)")


def _items(value: Any, reference: tuple, name: str, tally: Tally) -> Fraction:
    """One answer per layer or per sample (lengths may differ): an equal share each."""
    if type(value) is not tuple or len(value) != len(reference):
        tally.note(name, f"expected a list of {len(reference)}, got {shape_text(value)}")
        return ZERO
    base = tally.tolerance.base
    prefix = f"{name} " if name else ""
    shares = [_score(v, r, f"{prefix}item {i}", tally) for i, (v, r) in enumerate(zip(value, reference), start=base)]
    return mean(shares)


def _array(value: Any, reference: tuple, name: str, tally: Tally) -> Fraction:
    want, references, floats, finite = _laid(reference)
    if not finite:  # a re-run from absurd answers (follow.py): its margins raise, as a check against it always did
        for b in floats:
            margin(b, tally.tolerance.sigfigs)
    got = shape_of(value)
    values = _entries(value, len(want)) if got == want else None
    # shape_of looks at first rows only: a ragged answer ends here too, its entries not as many
    if values is None or len(values) != len(references):
        if _transposed(value, reference, tally.tolerance):
            return tally.transposed(want, name)
        expected = count_text(want[0], "entry") if len(want) == 1 else format_shape(want)
        tally.note(name, f"expected {expected}, got {shape_text(value) if got != want else 'a ragged array'}")
        return ZERO
    if not references:
        return ONE
    if tally.tolerance.positions and len(want) > 1:
        return _positions(value, reference, name, tally, finite and set(map(type, values)) <= FLOATS)
    # most entries are right: only a wrong one is looked at again (rounded too coarsely?)
    if finite and values == floats and set(map(type, values)) <= FLOATS:
        wrong, sure = [], []  # each entry written as its (finite) reference is: most right answers, at one glance
    else:
        wrong, sure = tally.tolerance.wrong(values, references, floats)
    square = wrong and len(want) == 2 and want[0] == want[1] and may_be_transpose(wrong, want[0])
    if square and _is_transpose(value, reference, tally.tolerance):
        return tally.transposed(want, name)  # a square matrix: its entries are not wrong
    tally.entries += len(references)
    if not wrong:  # nearly every array a class gets right: no Fraction to build
        return ONE
    shape = None if len(references) == 1 and not name else want  # a number: no position to name
    if all(sure):  # most wrong arrays: no entry rounded too coarsely, each told at once
        tally.wrong_entries(wrong, references, name, shape)
        return share(len(references) - len(wrong), len(references))
    coarse = 0
    for k, not_rounded in zip(wrong, sure):
        if not_rounded:
            tally.wrong_entry(references[k], name, None if shape is None else (k, shape))
        else:
            coarse += tally.miss(values[k], references[k], name, None if shape is None else (k, shape))
    right = len(references) - len(wrong)
    if not coarse:
        return share(right, len(references))
    credit = tally.tolerance.coarse_credit  # (right + coarse * credit) / entries, in ints
    return share(right * credit.denominator + coarse * credit.numerator, len(references) * credit.denominator)


def _laid(reference: tuple) -> tuple[tuple[int, ...], list[Any], list[float], bool]:
    """The reference array's shape, its entries in row-major order, those as floats, and whether all are finite:
    worked out once per reference."""
    found = _LAID.get(id(reference))
    if found is not None and found[0] is reference:
        return found[1:]
    want = shape_of(reference)
    references = flat(reference, len(want))
    floats = list(map(float, references))
    laid = (reference, want, references, floats, all(map(isfinite, floats)))
    return _LAID.keep(id(reference), laid)[1:]


def _positions(value: tuple, reference: tuple, name: str, tally: Tally, plain: bool) -> Fraction:
    """[row, column] positions (one per window): a position is right when both numbers are (`plain`: every number
    a float the reader gives, every reference's finite: a position written as its reference's is right)."""
    windows = shape_of(reference)[:-1]
    close = tally.tolerance.close
    pairs = list(zip(flat(value, len(windows)), flat(reference, len(windows))))
    tally.entries += len(pairs)
    wrong = [
        k
        for k, (got, want) in enumerate(pairs)
        if not (plain and got == want) and not all(is_number(g) and close(g, w) for g, w in zip(got, want))
    ]
    if not wrong:
        return ONE
    for k in wrong:
        tally.wrong_entry(pairs[k][1], name, (k, windows))
    return share(len(pairs) - len(wrong), len(pairs))


def _transposed(value: Any, reference: tuple, tolerance: Tolerance) -> bool:
    """Whether a matrix answer is the reference's transpose, entry for entry (a symmetric reference never
    gets here: its transpose is itself)."""
    want = shape_of(reference)
    return (
        len(want) == 2
        and shape_of(value) == want[::-1]
        and rectangular(value)
        and _is_transpose(value, reference, tolerance)
    )


def may_be_transpose(wrong: list[int], size: int) -> bool:
    """Whether a square matrix with these entries wrong (in row-major order) may be its reference's transpose: not
    when one on the diagonal is, as a transpose has the reference's diagonal (most wrong matrices: [0,0] is)."""
    return all(k % (size + 1) for k in wrong)


def _is_transpose(value: tuple, reference: tuple, tolerance: Tolerance) -> bool:
    close, (rows, columns) = tolerance.close, shape_of(reference)
    pairs = ((value[j][i], reference[i][j]) for i in range(rows) for j in range(columns))
    return all(is_number(v) and close(v, r) for v, r in pairs)


def _entries(value: Any, depth: int) -> list[Any] | None:
    """flat(value, depth), or None when a row is no row (a number where a list belongs)."""
    try:
        return flat(value, depth)
    except TypeError:
        return None


def flat(value: Any, depth: int) -> list[Any]:
    """The entries of a rectangular nested tuple, in row-major order."""
    for _ in range(depth - 1):
        value = chain.from_iterable(value)
    return list(value)
