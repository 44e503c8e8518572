"""How close a number must be, and how a part's answers are compared (one Tolerance per part).

A number is right when the symmetric test |a-b| <= atol + rtol*max(|a|,|b|) passes, or, with `sigfigs`, when
it is the reference rounded to that many significant figures (within half a unit of the last) or truncated to
at least that many (0.540 for 0.54068; every figure written must be the reference's). Right only to fewer
figures (0.026 for 0.025538) is the slip "rounded too coarsely", worth `coarse_credit`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from hwsolver.grading.answers import is_number
from hwsolver.numbers import Written, figures

DEFAULT_SIGFIGS = 3
# A TA's defaults: the method is right in both slips, the presentation is not.
DEFAULT_COARSE_CREDIT = Fraction(1, 2)
DEFAULT_TRANSPOSED_CREDIT = Fraction(1, 2)
_EXACT_RTOL, _EXACT_ATOL = 1e-9, 1e-12  # always accepted: the answer is the reference up to float rounding
_FLOAT_FIGURES = 17  # a float holds no more: truncating further changes nothing


@dataclass(frozen=True)
class Tolerance:
    """How a part's answers are compared: the number test, per-entry credit, the credits of the named slips,
    and how positions are counted in feedback."""

    rtol: float = _EXACT_RTOL
    atol: float = _EXACT_ATOL
    sigfigs: int | None = DEFAULT_SIGFIGS
    partial: bool = True  # per-entry credit for arrays, per-item for parameter sets and per-layer lists
    coarse_credit: Fraction = DEFAULT_COARSE_CREDIT  # a number right only to fewer significant figures
    transposed_credit: Fraction = DEFAULT_TRANSPOSED_CREDIT  # a matrix given as its transpose
    base: int = 1  # feedback counts entries, items and windows from this (the kind's index_base)
    positions: bool = False  # the answer's last axis is a [row, column] position (the kind's position_parts)

    @classmethod
    def from_options(cls, options: Mapping[str, Any], *, base: int = 1, positions: bool = False) -> Tolerance:
        """Part options over problem options; setting rtol or atol (without sigfigs) turns the sig-fig rule off."""
        explicit = "rtol" in options or "atol" in options
        sigfigs = options.get("sigfigs", None if explicit else DEFAULT_SIGFIGS)
        # `rtol: 0` alone (counts, whole numbers): equal or wrong, without the allowance for float rounding
        exact = explicit and sigfigs is None and not options.get("rtol", 0) and not options.get("atol", 0)
        return cls(
            rtol=0.0 if exact else max(float(options.get("rtol", 0)), _EXACT_RTOL),
            atol=0.0 if exact else max(float(options.get("atol", 0)), _EXACT_ATOL),
            sigfigs=sigfigs,
            partial=bool(options.get("partial", True)),
            coarse_credit=Fraction(options.get("coarse_credit", DEFAULT_COARSE_CREDIT)),
            transposed_credit=Fraction(options.get("transposed_credit", DEFAULT_TRANSPOSED_CREDIT)),
            base=base,
            positions=positions,
        )

    def close(self, value: Any, reference: Any) -> bool:
        """Whether `value` is right for `reference`: the symmetric test, or a rounding or truncation."""
        a, b = float(value), float(reference)
        if not (math.isfinite(a) and math.isfinite(b)):  # either inf would pass the relative test (inf <= inf)
            return False
        difference = abs(a - b)
        if difference <= self.atol + self.rtol * max(abs(a), abs(b)):
            return True
        if not self.sigfigs or b == 0:
            return False
        # a unit of the last asked figure is at most |b| * 10**(1 - sigfigs): at least that far (a hair more, for
        # float error) the value is neither within half of it nor a truncation (most values a wrong answer or a
        # mistake's gives), told without the unit's logarithm
        if difference >= abs(b) * 10.0 ** (1 - self.sigfigs) * (1 + 1e-8):
            return False
        half = _half_unit(b, self.sigfigs)
        if difference <= half:
            return True
        # a truncation lies less than a unit from the reference, towards zero: only those are looked at closely
        if difference >= 2 * half or (a < 0) != (b < 0) or abs(a) >= abs(b):
            return False
        written = figures(value)
        return written >= self.sigfigs and _is_truncation(a, b, written)

    def wrong(self, values: list[Any], references: list[Any], floats: list[float]) -> tuple[list[int], list[bool]]:
        """The indices of the values not `close` to their references (`floats`: those as floats), and for each
        whether it is surely not rounded too coarsely either, so that `coarse` need not be asked: a float at least
        a unit of the fewest figures `coarse` allows away from its reference (or where `coarse` never applies).

        Decided as `close` and `coarse` would, an array at a time: a float equal to its reference is right, one
        within its margin (half a unit of its last asked figure) too, and one twice as far off that fails the
        symmetric test is wrong; both distances come from one logarithm of the reference, taken only for a value
        not written as the reference is (a class writes most short references so). The rest (nearly none: the
        reader gives floats) go through `close`."""
        atol, rtol, sigfigs, close = self.atol, self.rtol, self.sigfigs or 0, self.close
        # the exponents of a margin and of the distance past which `coarse` is never so, from that of the
        # reference's leading digit (as _half counts)
        near, wide = 1 - sigfigs, (1 - min(2, sigfigs - 1) if sigfigs >= 2 else None)
        halves, log10, floor = _HALVES, math.log10, math.floor  # looked up once: a wrong array asks per entry
        # a distance, relative to the reference, at and past which an entry is surely wrong and `coarse` never so
        # (twice the wider margin is at most that much, whatever the leading digit): most wrong entries, told
        # without a logarithm (a hair more than exact, so that float rounding never lets one through early)
        far = 10.0 ** (near if wide is None else wide) * (1 + 1e-8)
        wrong: list[int] = []
        sure: list[bool] = []
        for k, (v, b) in enumerate(zip(values, floats)):
            kind = type(v)
            if kind is not float and kind is not Written:
                if not (is_number(v) and close(v, references[k])):
                    wrong.append(k)
                    sure.append(False)
                continue
            d = abs(v - b)
            if d == 0.0:  # close: 0 is within any tolerance (and an infinite value's d is NaN)
                continue
            size = abs(b)
            symmetric = atol + rtol * (size if size >= abs(v) else abs(v))  # max(), without a call
            if not sigfigs or b == 0:  # no margin: the symmetric test decides, and no value is rounded too coarsely
                if not (d <= symmetric and d < math.inf):  # as `close`: a finite d, both values finite
                    wrong.append(k)
                    sure.append(True)
                continue
            if d >= far * size and d > symmetric:
                wrong.append(k)
                sure.append(True)
                continue
            leading = floor(log10(size))
            half = halves.get(leading + near) or _unit(leading + near)
            if d <= half:
                continue
            if (d < 2 * half or d <= symmetric) and close(v, b):
                continue  # a truncation, perhaps, or within the symmetric test
            wrong.append(k)
            sure.append(wide is None or d >= 2 * (halves.get(leading + wide) or _unit(leading + wide)))
        return wrong, sure

    def coarse(self, value: Any, reference: Any) -> bool:
        """Whether a value that is not `close` is the reference rounded or truncated to fewer significant
        figures than asked (at least 2, or 1 when 2 are asked): the slip "rounded too coarsely"."""
        if not self.sigfigs or self.sigfigs < 2:
            return False
        a, b = float(value), float(reference)
        fewest = min(2, self.sigfigs - 1)
        if b == 0 or not math.isfinite(a) or (a < 0) != (b < 0) or abs(a - b) >= 2 * _half_unit(b, fewest):
            return False  # not within a unit of the fewest figures allowed: no rounding or truncation to those
        written = figures(value)
        # 0.1 for 0.0999 is the rounding to 2 figures (0.10) without its zero: a value shows any figures above its own
        for shown in range(max(written, fewest), self.sigfigs):
            if abs(a - b) <= _half_unit(b, shown) or _is_truncation(a, b, shown):
                return True
        return False


# What the reader gives for a decimal (Written: one with trailing zeros, 0.0 or 0.540): its figures matter only to
# a truncation, which lies between the margins, so the margins decide these alike
FLOATS = {float, Written}


def _half(reference: float, sigfigs: int) -> float:
    """Half a unit in the last of `sigfigs` significant digits of `reference` (a hair more, for float error)."""
    exponent = math.floor(math.log10(abs(reference))) - sigfigs + 1
    found = _HALVES.get(exponent)
    return _unit(exponent) if found is None else found


def _unit(exponent: int) -> float:
    """Half a unit at 10**exponent, a hair more: _half's value (from _HALVES where it is there)."""
    return 0.5 * 10**exponent * (1 + 1e-9)


# _half's values by exponent, worked out as _half would (the same floats): a power and two products less each
_HALVES = {exponent: _unit(exponent) for exponent in range(-340, 308)}


def margin(reference: float, sigfigs: int | None) -> float:
    """The distance from `reference` (a float) within which every finite value is `close` by the sig-fig rule
    alone (half a unit of its last asked figure), or -1 where the rule does not apply; for an infinite or NaN
    reference, the OverflowError or ValueError of its logarithm (Tolerance.wrong takes its margins likewise)."""
    return _half(reference, sigfigs) if sigfigs and reference != 0 else -1.0


_half_unit = lru_cache(maxsize=65536, typed=True)(_half)  # references repeat for every student: each worked out once


def _is_truncation(value: float, reference: float, shown: int) -> bool:
    truncated = _truncated(reference, shown)
    return abs(value - truncated) <= 1e-12 * abs(reference)


@lru_cache(maxsize=65536, typed=True)
def _truncated(reference: float, shown: int) -> float:
    """`reference` cut (towards zero) after `shown` significant figures of its decimal form."""
    if shown >= _FLOAT_FIGURES:
        return reference
    exact = Decimal(repr(reference))  # the shortest decimal: 0.025538, not the binary float's expansion
    quantum = Decimal(1).scaleb(exact.adjusted() - shown + 1)
    return float(exact.quantize(quantum, rounding=ROUND_DOWN))
