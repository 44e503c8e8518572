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
from typing import Any

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


@dataclass
class _Tally:
    """What scoring an answer found: entries compared, the wrong ones by name, whole-item notes, named slips."""

    tolerance: Tolerance
    equivalent: Callable[[Any, Symbolic], Any] | None
    entries: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)  # (where, what was expected)
    notes: list[str] = field(default_factory=list)
    slips: list[tuple[str, Fraction]] = field(default_factory=list)  # (mistake id, its credit), in order found
    wrong: bool = False  # something is wrong beyond the named slips

    def note(self, name: str, text: str) -> None:
        self.notes.append(f"{name}: {text}" if name else text)
        self.wrong = True

    def feedback(self) -> str:
        parts = list(self.notes)
        if len(self.misses) == 1 and self.entries == 1 and not self.misses[0][0]:
            parts.append(self.misses[0][1])  # a single number: no position to name
        elif self.misses:
            shown = self.misses[:_SHOWN]
            listed = ", ".join(f"{name} ({what})" for name, what in shown)
            more = f" and {len(self.misses) - _SHOWN} more" if len(self.misses) > _SHOWN else ""
            indexed = any("[" in name or "item " in name for name, _ in shown)
            counted = f", counting from {self.tolerance.base}" if indexed else ""
            unit = "position" if self.tolerance.positions else "entry"
            parts.append(f"{len(self.misses)} of {_count(self.entries, unit)} wrong{counted}: {listed}{more}")
        return "; ".join(parts)


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
    tolerance = tally.tolerance
    if is_number(value):
        if tolerance.close(value, reference):
            return _ONE
        if tolerance.coarse(value, reference):
            figures = f"to at least {tolerance.sigfigs} significant figures"
            tally.misses.append((name, f"rounded too coarsely: expected {display(reference)}, {figures}"))
            tally.slips.append((COARSE, tolerance.coarse_credit))
            return tolerance.coarse_credit
    tally.misses.append((name, f"expected {display(reference)}"))
    tally.wrong = True
    return _ZERO


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
    # shape_of looks at first rows only: a ragged answer (or one holding other than numbers) ends here too
    if got != want or (references and not rectangular(value)):
        if _transposed(value, reference, tally.tolerance):
            return _transposed_slip(want, name, tally)
        expected = _count(want[0], "entry") if len(want) == 1 else format_shape(want)
        tally.note(name, f"expected {expected}, got {shape_text(value) if got != want else 'a ragged array'}")
        return _ZERO
    values = flat(value, len(want))
    if not references:
        return _ONE
    if tally.tolerance.positions and len(want) > 1:
        return _positions(value, reference, name, tally)
    before = (len(tally.misses), len(tally.slips), tally.entries, tally.wrong)
    single = len(references) == 1 and not name
    base = tally.tolerance.base
    shares = [
        _entry(v, r, "" if single else f"{name}{_index(k, want, base)}", tally)
        for k, (v, r) in enumerate(zip(values, references))
    ]
    if len(tally.misses) > before[0] and len(want) == 2 and _transposed(value, reference, tally.tolerance):
        del tally.misses[before[0] :], tally.slips[before[1] :]  # a square matrix: its entries are not wrong
        tally.entries, tally.wrong = before[2], before[3]
        return _transposed_slip(want, name, tally)
    return sum(shares, _ZERO) / len(shares)


def _positions(value: tuple, reference: tuple, name: str, tally: _Tally) -> Fraction:
    """[row, column] positions (one per window): a position is right when both numbers are."""
    depth = len(shape_of(reference)) - 1
    windows = shape_of(reference)[:-1]
    close, base = tally.tolerance.close, tally.tolerance.base
    prefix = f"{name} " if name else ""
    right = 0
    for k, (got, want) in enumerate(zip(flat(value, depth), flat(reference, depth))):
        tally.entries += 1
        if all(is_number(g) and close(g, w) for g, w in zip(got, want)):
            right += 1
            continue
        expected = "[" + ", ".join(display(w) for w in want) + "]"
        tally.misses.append((f"{prefix}window {_index(k, windows, base)}", f"expected {expected}"))
        tally.wrong = True
    return Fraction(right, len(flat(reference, depth)))


def _transposed(value: Any, reference: tuple, tolerance: Tolerance) -> bool:
    """Whether a matrix answer is the reference's transpose, entry for entry (a symmetric reference never
    gets here: its transpose is itself)."""
    want = shape_of(reference)
    if len(want) != 2 or shape_of(value) != want[::-1] or not rectangular(value):
        return False
    close = tolerance.close
    pairs = ((value[j][i], reference[i][j]) for i in range(want[0]) for j in range(want[1]))
    return all(is_number(v) and close(v, r) for v, r in pairs)


def _transposed_slip(want: tuple[int, ...], name: str, tally: _Tally) -> Fraction:
    tally.entries += want[0] * want[1]
    which = f"{name} is" if name else "this matrix is"
    tally.notes.append(f"{which} transposed: expected a {format_shape(want)} matrix, got its transpose")
    tally.slips.append((TRANSPOSED, tally.tolerance.transposed_credit))
    return tally.tolerance.transposed_credit


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
