"""A float rounded to some significant digits and written as mpmath's `nstr` writes it (numbers.significant), by
the decimal module: feedback shows each wrong entry's expected value, and with variants every one is new, while
mpmath took about 40 times as long for the same text.

mpmath's text (min_fixed=-5, max_fixed=digits+1, strip_zeros) is, from 10 digits on, the float's exact binary
value rounded half up (away from zero) to `digits` significant digits: it works from at least 53 bits (all a float
has), truncates the exact expansion past the digits it keeps and rounds up when the first digit dropped is 5 or
more. Context.plus rounds the exact Decimal of the float likewise. Below 10 digits mpmath first cuts the float to
fewer bits (0.004555 to 3 digits is 0.00455 there): those are left to mpmath.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

_CONTEXTS: dict[int, Context] = {}
_FEWEST = 10  # digits from which mpmath rounds the float's exact value


def float_significant(value: float, digits: int) -> str | None:
    """`value` rounded to `digits` significant digits as numbers.significant writes it, or None for 0, inf, nan
    and fewer than 10 digits (left to mpmath)."""
    if digits < _FEWEST or value == 0 or not math.isfinite(value):
        return None
    context = _CONTEXTS.get(digits)
    if context is None:
        context = _CONTEXTS[digits] = Context(prec=digits, rounding=ROUND_HALF_UP)
    rounded = context.plus(Decimal(float(value)))
    sign, shown, _ = rounded.as_tuple()
    exponent = rounded.adjusted()  # of the leading digit
    text = "".join(map(str, shown)).ljust(digits, "0")
    if -5 < exponent < digits + 1:  # mpmath's fixed-point range
        if exponent < 0:
            whole, fraction = "0", "0" * (-exponent - 1) + text
        else:
            text = text.ljust(exponent + 1, "0")
            whole, fraction = text[: exponent + 1], text[exponent + 1 :]
        exponent = 0
    else:
        whole, fraction = text[0], text[1:]
    fraction = fraction.rstrip("0")
    written = f"{'-' if sign else ''}{whole}.{fraction}" if fraction else f"{'-' if sign else ''}{whole}"
    return written if exponent == 0 else f"{written}e{exponent}"
