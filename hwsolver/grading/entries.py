"""Scoring an answer entry by entry, with feedback that names the wrong entries where the problem counts them.

Credit, as a fair TA gives it: a parameter set (W1, b1, ...) and a list (one item per layer or per sample) give
each parameter or item an equal share (a slip in a small layer costs as much as one in a large layer: each is
one step of the method), and an array shares its part among its entries; a [row, column] position is one entry.
An array of the wrong shape earns nothing, a transposed matrix `transposed_credit`, a number rounded too coarsely
`coarse_credit`; missing and unknown parameters count as wrong ones. With `partial: false` an answer earns all or
nothing, unless its only slips are named ones (then the smallest of their credits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from itertools import chain
from typing import Any, NamedTuple

from hwsolver.grading.answers import is_number, rectangular
from hwsolver.grading.precision import Tolerance
from hwsolver.model import Symbolic
from hwsolver.node import format_shape, shape_of
from hwsolver.numbers import display as _display_uncached

COARSE = "rounded_too_coarsely"
TRANSPOSED = "transposed"
_SHOWN = 4  # wrong entries named in feedback; the rest are counted
_ZERO, _ONE = Fraction(0), Fraction(1)

# Feedback names expected values; a class misses the same ones again and again. Typed: True, 1 and 1.0 are one
# key otherwise, and an entry 1 would be shown as the "yes" of some earlier student's yes/no part.
display = lru_cache(maxsize=8192, typed=True)(_display_uncached)


class _Miss(NamedTuple):
    """A wrong entry, named only if shown (a class sends many wrong arrays; feedback shows a few entries each)."""

    name: str  # of the item it is in (W2, item 2), or "" for the answer itself
    expected: Any  # a number, or a [row, column] position
    coarse: bool = False  # rounded too coarsely, not wrong
    at: tuple[int, tuple[int, ...]] | None = None  # (its index in row-major order, the array's shape)


@dataclass
class _Tally:
    """What scoring an answer found: entries compared, the wrong ones, whole-item notes, named slips."""

    tolerance: Tolerance
    equivalent: Callable[[Any, Symbolic], Any] | None
    entries: int = 0
    misses: list[_Miss] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    slips: list[tuple[str, Fraction]] = field(default_factory=list)  # (mistake id, its credit), in order found
    wrong: bool = False  # something is wrong beyond the named slips

    def note(self, name: str, text: str) -> None:
        self.notes.append(f"{name}: {text}" if name else text)
        self.wrong = True

    def feedback(self) -> str:
        parts = list(self.notes)
        if len(self.misses) == 1 and self.entries == 1 and not self.misses[0].name and not self.misses[0].at:
            parts.append(self._what(self.misses[0]))  # a single number: no position to name
        elif self.misses:
            shown = self.misses[:_SHOWN]
            listed = ", ".join(f"{self._where(miss)} ({self._what(miss)})" for miss in shown)
            more = f" and {len(self.misses) - _SHOWN} more" if len(self.misses) > _SHOWN else ""
            indexed = any(miss.at or "item " in miss.name for miss in shown)
            counted = f", counting from {self.tolerance.base}" if indexed else ""
            unit = "position" if self.tolerance.positions else "entry"
            parts.append(f"{len(self.misses)} of {_count(self.entries, unit)} wrong{counted}: {listed}{more}")
        return "; ".join(parts)

    def _where(self, miss: _Miss) -> str:
        if miss.at is None:
            return miss.name
        index = _index(*miss.at, self.tolerance.base)
        if self.tolerance.positions:
            return f"{miss.name} window {index}" if miss.name else f"window {index}"
        return f"{miss.name}{index}"

    def _what(self, miss: _Miss) -> str:
        if isinstance(miss.expected, tuple):
            expected = "[" + ", ".join(display(number) for number in miss.expected) + "]"
        else:
            expected = display(miss.expected)
        if miss.coarse:
            return (
                f"rounded too coarsely: expected {expected}, to at least {self.tolerance.sigfigs} significant figures"
            )
        return f"expected {expected}"


def score(
    value: Any, reference: Any, tolerance: Tolerance, equivalent: Callable[[Any, Symbolic], Any] | None = None
) -> tuple[Fraction, str, str | None]:
    """(share, feedback, named slip) of `value` against `reference`, entry by entry."""
    tally = _Tally(tolerance, equivalent)
    share = _score(value, reference, "", tally)
    if not tally.notes and not tally.misses:
        return _ONE, "", None
    if not tolerance.partial:
        share = _ZERO if tally.wrong else min(credit for _, credit in tally.slips)
    return share, tally.feedback(), None if tally.wrong else tally.slips[0][0]


def _score(value: Any, reference: Any, name: str, tally: _Tally) -> Fraction:
    if isinstance(reference, Mapping):
        return _named(value, reference, name, tally)
    if isinstance(reference, tuple):
        if reference and not rectangular(reference):
            return _items(value, reference, name, tally)
        return _array(value, reference, name, tally)
    if isinstance(reference, bool):
        if value is reference:
            return _ONE
        tally.note(name, f"expected {display(reference)}")
        return _ZERO
    if isinstance(reference, Symbolic):
        assert tally.equivalent is not None, "a formula part needs an equivalence test"
        found = tally.equivalent(value, reference)
        if not found.correct:
            tally.note(name, found.feedback)
        return found.share
    if not is_number(value):
        tally.note(name, f"expected a single number, got {shape_text(value)}")
        return _ZERO
    return _entry(value, reference, name, tally)


def _entry(value: Any, reference: Any, name: str, tally: _Tally) -> Fraction:
    tally.entries += 1
    if is_number(value) and tally.tolerance.close(value, reference):
        return _ONE
    return tally.tolerance.coarse_credit if _miss(value, reference, tally, name) else _ZERO


def _miss(value: Any, reference: Any, tally: _Tally, name: str, at: tuple[int, tuple[int, ...]] | None = None) -> bool:
    """A number that is not right, noted: whether it is rounded too coarsely (else it is wrong)."""
    tolerance = tally.tolerance
    coarse = is_number(value) and tolerance.coarse(value, reference)
    tally.misses.append(_Miss(name, reference, coarse, at))
    if coarse:
        tally.slips.append((COARSE, tolerance.coarse_credit))
    else:
        tally.wrong = True
    return coarse


def _named(value: Any, reference: Mapping, name: str, tally: _Tally) -> Fraction:
    """Named parameters {W1: ..., b1: ...}: an equal share each; missing and unknown names are wrong."""
    if not isinstance(value, Mapping):
        tally.note(name, f"expected named values ({', '.join(reference)}), got {shape_text(value)}")
        return _ZERO
    shares = []
    for key, item in reference.items():
        inner = f"{name} {key}" if name else str(key)
        if key in value:
            shares.append(_score(value[key], item, inner, tally))
        else:
            tally.note("", f"{inner} missing")
            shares.append(_ZERO)
    extra = [str(key) for key in value if key not in reference]
    if extra:
        tally.note(name, f"unexpected {', '.join(extra)} (there is no such parameter)")
        shares.extend(_ZERO for _ in extra)
    return sum(shares, _ZERO) / len(shares) if shares else _ONE


def _items(value: Any, reference: tuple, name: str, tally: _Tally) -> Fraction:
    """One answer per layer or per sample (lengths may differ): an equal share each."""
    if type(value) is not tuple or len(value) != len(reference):
        tally.note(name, f"expected a list of {len(reference)}, got {shape_text(value)}")
        return _ZERO
    base = tally.tolerance.base
    prefix = f"{name} " if name else ""
    shares = [_score(v, r, f"{prefix}item {i}", tally) for i, (v, r) in enumerate(zip(value, reference), start=base)]
    return sum(shares, _ZERO) / len(shares)


def _array(value: Any, reference: tuple, name: str, tally: _Tally) -> Fraction:
    want, got = shape_of(reference), shape_of(value)
    references = flat(reference, len(want))
    values = _entries(value, len(want)) if got == want else None
    # shape_of looks at first rows only: a ragged answer ends here too, its entries not as many
    if values is None or len(values) != len(references):
        if _transposed(value, reference, tally.tolerance):
            return _transposed_slip(want, name, tally)
        expected = _count(want[0], "entry") if len(want) == 1 else format_shape(want)
        tally.note(name, f"expected {expected}, got {shape_text(value) if got != want else 'a ragged array'}")
        return _ZERO
    if not references:
        return _ONE
    if tally.tolerance.positions and len(want) > 1:
        return _positions(value, reference, name, tally)
    # most entries are right: only a wrong one is looked at again (rounded too coarsely?)
    wrong = _wrong(values, references, tally.tolerance.close)
    if wrong and len(want) == 2 and want[0] == want[1] and _is_transpose(value, reference, tally.tolerance):
        return _transposed_slip(want, name, tally)  # a square matrix: its entries are not wrong
    tally.entries += len(references)
    single = len(references) == 1 and not name  # a number: no position to name
    coarse = sum(_miss(values[k], references[k], tally, name, None if single else (k, want)) for k in wrong)
    if not coarse:
        return Fraction(len(references) - len(wrong), len(references))
    return (len(references) - len(wrong) + coarse * tally.tolerance.coarse_credit) / len(references)


def _wrong(values: list[Any], references: list[Any], close: Callable[[Any, Any], bool]) -> list[int]:
    """The indices of the entries that are not close (the reader gives numbers: anything else is the rare case)."""
    try:
        return [k for k, (v, r) in enumerate(zip(values, references)) if not close(v, r)]
    except (TypeError, ValueError):
        return [k for k, (v, r) in enumerate(zip(values, references)) if not (is_number(v) and close(v, r))]


def _positions(value: tuple, reference: tuple, name: str, tally: _Tally) -> Fraction:
    """[row, column] positions (one per window): a position is right when both numbers are."""
    windows = shape_of(reference)[:-1]
    close = tally.tolerance.close
    pairs = list(zip(flat(value, len(windows)), flat(reference, len(windows))))
    tally.entries += len(pairs)
    wrong = [
        k for k, (got, want) in enumerate(pairs) if not all(is_number(g) and close(g, w) for g, w in zip(got, want))
    ]
    tally.misses.extend(_Miss(name, pairs[k][1], at=(k, windows)) for k in wrong)
    tally.wrong = tally.wrong or bool(wrong)
    return Fraction(len(pairs) - len(wrong), len(pairs))


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


def _is_transpose(value: tuple, reference: tuple, tolerance: Tolerance) -> bool:
    close, (rows, columns) = tolerance.close, shape_of(reference)
    pairs = ((value[j][i], reference[i][j]) for i in range(rows) for j in range(columns))
    return all(is_number(v) and close(v, r) for v, r in pairs)


def _transposed_slip(want: tuple[int, ...], name: str, tally: _Tally) -> Fraction:
    tally.entries += want[0] * want[1]
    which = f"{name} is" if name else "this matrix is"
    tally.notes.append(f"{which} transposed: expected a {format_shape(want)} matrix, got its transpose")
    tally.slips.append((TRANSPOSED, tally.tolerance.transposed_credit))
    return tally.tolerance.transposed_credit


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


def _index(flat_index: int, shape: tuple[int, ...], base: int) -> str:
    """The "[row,column,...]" of entry number `flat_index`, counted from `base`."""
    index = []
    for size in reversed(shape):
        flat_index, position = divmod(flat_index, size)
        index.append(position + base)
    return "[" + ",".join(map(str, reversed(index))) + "]"


def _count(entries: int, unit: str) -> str:
    return f"1 {unit}" if entries == 1 else f"{entries} {unit[:-1] + 'ies' if unit.endswith('y') else unit + 's'}"


def shape_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "named values"
    dims = shape_of(value)
    if not dims:
        return "a single number"
    return _count(dims[0], "entry") if len(dims) == 1 else format_shape(dims)
