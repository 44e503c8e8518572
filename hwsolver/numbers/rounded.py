"""A float rounded to some significant digits and written as mpmath's `nstr` writes it (numbers.significant), by
the decimal module: feedback shows each wrong entry's expected value, and with variants every one is new, while
mpmath took about 40 times as long for the same text.

mpmath's text (min_fixed=-5, max_fixed=digits+1, strip_zeros) is, from 10 digits on, the float's exact binary
value rounded half up (away from zero) to `digits` significant digits: it works from at least 53 bits (all a float
has), truncates the exact expansion past the digits it keeps and rounds up when the first digit dropped is 5 or
more. Context.plus rounds the exact Decimal of the float likewise; so does format(), correctly rounded, but at an
exact tie, which it rounds half to even: one figure more ending in 5 tells the few that may be ties, and only
those go through Decimal. Below 10 digits mpmath first cuts the float to fewer bits (0.004555 to 3 digits is
0.00455 there): those are left to mpmath.
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
    value = float(value)
    longer = format(value, f".{digits}e")  # one figure more, correctly rounded
    if longer[longer.index("e") - 1] == "5":  # perhaps a tie (the float's exact value ends there in a 5): half up
        context = _CONTEXTS.get(digits)
        if context is None:
            context = _CONTEXTS[digits] = Context(prec=digits, rounding=ROUND_HALF_UP)
        rounded = context.plus(Decimal(value))
        negative, shown, _ = rounded.as_tuple()
        exponent = rounded.adjusted()  # of the leading digit
        text = "".join(map(str, shown)).ljust(digits, "0")
    else:  # no tie: the nearest, as format gives it (its half to even decides ties alone), without Decimal
        mantissa, _, power = format(value, f".{digits - 1}e").partition("e")
        negative, text, exponent = mantissa[0] == "-", mantissa.lstrip("-").replace(".", ""), int(power)
    sign = "-" if negative else ""
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
    written = f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"
    return written if exponent == 0 else f"{written}e{exponent}"
