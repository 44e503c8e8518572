"""How precise a written number is: what a student's rounding can explain (follow-through, scale mistakes)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from hwsolver.numbers import Written, figures


def written_half_unit(value: Any) -> float:
    """Half a unit in the last significant digit of a number as written: 0.274 -> 0.0005, 0.62 -> 0.005.

    A plain float's digits are read from its shortest form; a Written decimal keeps its trailing zeros (0.540 ->
    0.0005); exact numbers (fractions, ints) and 0 have none.
    """
    if not isinstance(value, float) or value == 0 or not math.isfinite(value):
        return 0.0
    if type(value) is Written:  # it knows its trailing zeros (0.540: 3 figures)
        return sigfig_half_unit(value, figures(value))
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return 0.5 * 10.0 ** int(exponent)


def sigfig_half_unit(value: float, sigfigs: int) -> float:
    """Half a unit in the last of `sigfigs` significant digits of `value` (0 for 0)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    return 0.5 * 10 ** (math.floor(math.log10(abs(value))) - sigfigs + 1)
