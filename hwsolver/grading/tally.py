"""What scoring an answer found (entries compared, the wrong ones, whole-item notes, named slips), and the
feedback sentence it makes: wrong entries named where the problem counts them, from its own base."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from hwsolver.grading.answers import is_number
from hwsolver.grading.precision import Tolerance
from hwsolver.grading.reveal import expected
from hwsolver.model import Symbolic
from hwsolver.numbers import display as _display
from hwsolver.spec.node import format_shape, shape_of

COARSE = "rounded_too_coarsely"
TRANSPOSED = "transposed"
SHOWN = 4  # wrong entries named in feedback; the rest are counted

_SHOWN_FIGURES = 10  # numbers.display's significant figures


def _short(value: float) -> str | None:
    """numbers.display(value) where a float's shortest text is it, else None. A float whose shortest text has no
    more figures than display shows is that text (without its ".0"): rounded to those figures its exact value gives
    those digits, and the text is fixed-point where display's is (from 1e-4 on, below 1e10). Nearly every expected
    value is such, and with variants every one is new: display's own rounding costs ten times as much."""
    if value == 0:
        return None
    text = repr(value)
    if "e" in text or "n" in text:  # 1e-05, 1e+16, inf, nan
        return None
    # up to 11 characters (a point among them): at most 10 figures, without counting them
    if len(text) > _SHOWN_FIGURES + 1 and len(text.replace("-", "").replace(".", "").lstrip("0")) > _SHOWN_FIGURES:
        return None
    return text[:-2] if text.endswith(".0") else text


# Feedback names expected values; a class misses the same ones again and again. Typed: True, 1 and 1.0 are one
# key otherwise, and an entry 1 would be shown as the "yes" of some earlier student's yes/no part.
_remembered = lru_cache(maxsize=8192, typed=True)(_display)


def display(value: Any) -> str:
    """numbers.display(value): a float's short text made each time (with variants nearly every expected value is
    new, and making it costs less than a memo's miss), any other value remembered."""
    if type(value) is float:
        text = _short(value)
        if text is not None:
            return text
    return _remembered(value)


class Miss(NamedTuple):
    """A wrong entry, named only if shown (a class sends many wrong arrays; feedback shows a few entries each)."""

    name: str  # of the item it is in (W2, item 2), or "" for the answer itself
    expected: Any  # a number, or a [row, column] position
    coarse: bool = False  # rounded too coarsely, not wrong
    at: tuple[int, tuple[int, ...]] | None = None  # (its index in row-major order, the array's shape)


class Tally:
    """What scoring an answer found so far (a class of its own, not a dataclass: one is made for every answer
    checked, and a dataclass's default factories cost more than its check of a right answer)."""

    __slots__ = ("entries", "equivalent", "missed", "misses", "notes", "remarks", "slips", "tolerance", "wrong")

    def __init__(self, tolerance: Tolerance, equivalent: Callable[[Any, Symbolic], Any] | None) -> None:
        self.tolerance, self.equivalent = tolerance, equivalent
        self.entries = 0
        self.missed = 0  # entries not right (wrong or rounded too coarsely)
        self.misses: list[Miss] = []  # the first SHOWN of them, which feedback names
        self.notes: list[str] = []
        self.slips: list[tuple[str, Fraction]] = []  # (mistake id, its credit), in order found
        self.wrong = False  # something is wrong beyond the named slips
        self.remarks: list[str] = []  # said, but nothing wrong (zero biases left out)

    def note(self, name: str, text: str) -> None:
        """Something wrong with a whole item (its shape, a missing name)."""
        self.notes.append(f"{name}: {text}" if name else text)
        self.wrong = True

    def remark(self, text: str) -> None:
        self.remarks.append(text)

    def miss(self, value: Any, reference: Any, name: str, at: tuple[int, tuple[int, ...]] | None = None) -> bool:
        """A number that is not right: whether it is rounded too coarsely (else it is wrong)."""
        tolerance = self.tolerance
        coarse = is_number(value) and tolerance.coarse(value, reference)
        if not coarse:
            self.wrong_entry(reference, name, at)
            return False
        self.missed += 1
        if self.missed <= SHOWN:
            self.misses.append(Miss(name, reference, True, at))
        self.slips.append((COARSE, tolerance.coarse_credit))
        return True

    def wrong_entry(self, reference: Any, name: str, at: tuple[int, tuple[int, ...]] | None = None) -> None:
        """A number known to be wrong (not rounded too coarsely either)."""
        self.wrong = True
        self.missed += 1
        if self.missed <= SHOWN:  # the rest are only counted
            self.misses.append(Miss(name, reference, False, at))

    def wrong_entries(self, wrong: list[int], references: list[Any], name: str, shape: tuple[int, ...] | None) -> None:
        """The entries of an array at these indices (row-major), known to be wrong: wrong_entry for each, at once
        (`shape` None: a single number, no position to name)."""
        self.wrong = True
        room = SHOWN - self.missed
        if room > 0:
            self.misses += [Miss(name, references[k], False, shape and (k, shape)) for k in wrong[:room]]
        self.missed += len(wrong)

    def transposed(self, shape: tuple[int, ...], name: str) -> Fraction:
        """A matrix given as its transpose: the slip's credit."""
        self.entries += shape[0] * shape[1]
        which = f"{name} is" if name else "this matrix is"
        self.notes.append(f"{which} transposed: expected a {format_shape(shape)} matrix, got its transpose")
        self.slips.append((TRANSPOSED, self.tolerance.transposed_credit))
        return self.tolerance.transposed_credit

    def feedback(self) -> str:
        """The notes, then how many entries are wrong, the first few named where the problem counts them."""
        parts = [*self.notes, *self.remarks]
        shown = self.misses
        if self.missed == 1 and self.entries == 1 and not shown[0].name and not shown[0].at:
            parts.append(self._what(shown[0]))  # a single number: no position to name
        elif shown:
            listed = ", ".join([self._listed(miss) for miss in shown])
            indexed = any(miss.at or "item " in miss.name for miss in shown)
            unit = "position" if self.tolerance.positions else "entry"
            parts.append(wrong_count(self.missed, self.entries, unit, self.tolerance.base if indexed else None, listed))
        return "; ".join(parts)

    def _listed(self, miss: Miss) -> str:
        """A wrong entry as feedback lists it: where it is, then what is wrong with it."""
        name, right, coarse, at = miss
        if coarse or at is None or self.tolerance.positions or type(right) is tuple:
            return f"{self._where(miss)}{self._what(miss, listed=True)}"
        # most: a wrong entry of an array, said without the general steps (with variants each wrong answer's are new)
        return listed_entry(name, at, right, self.tolerance.base)

    def _where(self, miss: Miss) -> str:
        if miss.at is None:
            return miss.name
        index = index_text(*miss.at, self.tolerance.base)
        if self.tolerance.positions:
            return f"{miss.name} window {index}" if miss.name else f"window {index}"
        return f"{miss.name}{index}"

    def _what(self, miss: Miss, listed: bool = False) -> str:
        """What is wrong with one entry, its right value marked (reveal.py); listed: after its position."""
        if isinstance(miss.expected, tuple):
            right = "[" + ", ".join(display(number) for number in miss.expected) + "]"
        else:
            right = display(miss.expected)
        if miss.coarse:
            figures = f"at least {self.tolerance.sigfigs} significant figures"
            what = f"rounded too coarsely{expected(f': expected {right}, to {figures}', f': give {figures}')}"
            return f" ({what})" if listed else what
        if listed:
            return expected(f" (expected {right})")
        return expected(f"expected {right}", "not the right value")


def wrong_number(right: Any) -> str:
    """What feedback says of a single number that is wrong (no position to name), its right value marked."""
    return expected(f"expected {display(right)}", "not the right value")


def listed_entry(name: str, at: tuple[int, tuple[int, ...]], right: Any, base: int) -> str:
    """A wrong entry of an array as feedback lists it: its name and place (`at`: its flat index and the array's
    shape), then its right value, marked."""
    return f"{name}{index_text(*at, base)}{expected(f' (expected {display(right)})')}"


def wrong_count(missed: int, entries: int, unit: str, base: int | None, listed: str) -> str:
    """How feedback counts an answer's wrong entries, with the first SHOWN of them `listed` (`base`: where their
    places count from, None where no place is named)."""
    more = f" and {missed - SHOWN} more" if missed > SHOWN else ""
    counted = f", counting from {base}" if base is not None else ""
    return f"{missed} of {count_text(entries, unit)} wrong{counted}: {listed}{more}"


@lru_cache(maxsize=4096)  # a class's wrong entries are at the same few places of the same few shapes
def index_text(flat_index: int, shape: tuple[int, ...], base: int) -> str:
    """The "[row,column,...]" of entry number `flat_index`, counted from `base`."""
    index = []
    for size in reversed(shape):
        flat_index, position = divmod(flat_index, size)
        index.append(position + base)
    return "[" + ",".join(map(str, reversed(index))) + "]"


def count_text(entries: int, unit: str) -> str:
    return f"1 {unit}" if entries == 1 else f"{entries} {unit[:-1] + 'ies' if unit.endswith('y') else unit + 's'}"


def shape_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "named values"
    dims = shape_of(value)
    if not dims:
        return "a single number"
    return count_text(dims[0], "entry") if len(dims) == 1 else format_shape(dims)
