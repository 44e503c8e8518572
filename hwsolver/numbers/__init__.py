"""Exact and high-precision numbers: the number type of a computation, display, JSON conversion, and the
significant figures a student's decimal was written with."""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import mpmath

from hwsolver.model import Symbolic
from hwsolver.numbers.decimals import exact_decimal
from hwsolver.numbers.rounded import float_significant

# Transcendental answers (sigmoid, tanh, logs) are computed with mpmath at this many digits: far more than the
# 30 significant digits `--exact` prints, so the printed digits are all correct.
PRECISION_DIGITS = 50
_MAX_EXACT_DIGITS = 15


def high_precision(value: Fraction) -> mpmath.mpf:
    """A Fraction as an mpmath number at PRECISION_DIGITS."""
    with mpmath.workdps(PRECISION_DIGITS):
        return mpmath.mpf(value.numerator) / value.denominator


def exact_sqrt(value: Any) -> Any:
    """sqrt(value): a Fraction when value is the square of one, else (and for an mpmath number) at PRECISION_DIGITS."""
    if value < 0:
        raise ValueError(f"the square root of a negative number ({value})")
    if isinstance(value, Fraction):
        top, bottom = math.isqrt(value.numerator), math.isqrt(value.denominator)
        if top * top == value.numerator and bottom * bottom == value.denominator:
            return Fraction(top, bottom)
        value = high_precision(value)
    with mpmath.workdps(PRECISION_DIGITS):
        return mpmath.sqrt(value)


def terminating_decimal(value: Fraction) -> str | None:
    """`value` as an exact decimal string (0.54068) if it terminates within 15 significant digits."""
    return exact_decimal(value, _MAX_EXACT_DIGITS)


def significant(value: Any, digits: int) -> str:
    """`value` rounded to `digits` significant digits, without trailing zeros (0.5406800000 -> 0.54068)."""
    if isinstance(value, float) and (text := float_significant(value, digits)) is not None:
        return text  # the same text, without mpmath (rounded.py)
    with mpmath.workdps(max(PRECISION_DIGITS, digits + 5)):
        number = mpmath.mpf(value.numerator) / value.denominator if isinstance(value, Fraction) else mpmath.mpf(value)
        if number == 0:
            return "0"
        text = mpmath.nstr(number, digits, min_fixed=-5, max_fixed=digits + 1, strip_zeros=True)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa.rstrip('0').rstrip('.') if '.' in mantissa else mantissa}e{int(exponent)}"
    return text[:-2] if text.endswith(".0") else text


class Written(float):
    """A decimal written with zeros after its last nonzero digit (0.540): its value, and the significant figures
    the text shows, which the float alone forgets (0.540 is a truncation to 3 figures, 0.54 one to 2)."""

    __slots__ = ("figures",)
    figures: int

    def __new__(cls, value: float, figures: int) -> Written:
        self = super().__new__(cls, value)
        self.figures = figures
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Written, (float(self), self.figures))


def decimal_value(text: str) -> float:
    """A plain decimal text (0.274, -2.5e-3, 0.540) as a float; a Written one when trailing zeros after the point
    carry figures the float would drop."""
    value = float(text)
    if "." not in text or (text[-1] != "0" and "e" not in text and "E" not in text):
        return value  # the common case, decided without splitting the text
    mantissa = text.split("e")[0].split("E")[0]
    if mantissa.endswith("0"):
        return Written(value, len(mantissa.lstrip("+-").replace(".", "").lstrip("0")))
    return value


def figures(value: Any) -> int:
    """The significant figures a number shows: as written for a Written decimal, else those of its shortest
    float form (0.0255 has 3; an integer's trailing zeros are not counted: 600 has 1)."""
    if type(value) is Written:
        return value.figures
    digits = repr(abs(float(value))).split("e")[0].replace(".", "").strip("0")
    return len(digits)


def display(value: Any) -> str:
    """How a number is shown to people: exact decimal where it terminates, otherwise 10 significant digits."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        return terminating_decimal(value) or significant(value, 10)
    return significant(value, 10)


def exact_string(value: Any) -> str:
    """`--exact` form: "137/500" for rationals, 30 significant digits otherwise."""
    if isinstance(value, Fraction | int):
        return str(Fraction(value))
    return significant(value, 30)


def to_json(value: Any, *, exact: bool = False) -> Any:
    """An answer as JSON-ready data: numbers (or exact strings), lists, objects, booleans, {expr, latex}."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Symbolic):
        return {"expr": value.expr, "latex": value.latex}
    if isinstance(value, Mapping):
        return {key: to_json(item, exact=exact) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [to_json(item, exact=exact) for item in value]
    if isinstance(value, int):
        return exact_string(value) if exact else value
    if exact:
        return exact_string(value)
    return float(value)
