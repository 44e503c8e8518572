"""numbers.significant's floats, written by the decimal module (rounded.py), against mpmath's nstr (its witness:
the text significant wrote before): random bit patterns, decimals as a class writes them, exact ties, carries
into a new digit, the edges of the fixed-point range, subnormals; and below 10 digits mpmath still decides."""

from __future__ import annotations

import random
import struct

import mpmath
import pytest

from hwsolver.numbers import significant
from hwsolver.numbers.rounded import float_significant


def _mpmath(value: float, digits: int) -> str:
    """numbers.significant as it was: mpmath's nstr, trailing zeros and '+' dropped."""
    with mpmath.workdps(max(50, digits + 5)):
        text = mpmath.nstr(mpmath.mpf(value), digits, min_fixed=-5, max_fixed=digits + 1, strip_zeros=True)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa.rstrip('0').rstrip('.') if '.' in mantissa else mantissa}e{int(exponent)}"
    return text[:-2] if text.endswith(".0") else text


def _floats(rng: random.Random) -> list[float]:
    found = [struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0] for _ in range(1500)]
    found += [rng.uniform(-1, 1) * 10 ** rng.randint(-9, 14) for _ in range(1500)]
    found += [float(f"{rng.uniform(-1, 1) * 10 ** rng.randint(-9, 14):.{rng.randint(1, 12)}g}") for _ in range(1500)]
    found += [rng.randint(-(10**12), 10**12) / rng.choice([1, 2, 4, 8, 1024]) for _ in range(1500)]  # ties
    edges = [1234567890.5, 12345678905.0, 9.9999999995, 99999999999.5, 1e-5, 9.99999999995e-6, 1e10, 1e11]
    edges += [99999.99999, 5e-324, 1.7976931348623157e308, 2.0**-20, 0.1, 1 / 3, 0.004555]
    return [x for x in found + edges + [-x for x in edges] if x == x and abs(x) != float("inf")]


@pytest.mark.parametrize("digits", [10, 30])
def test_the_same_text_as_mpmath(digits: int) -> None:
    for value in _floats(random.Random(digits)):
        if value != 0:
            assert float_significant(value, digits) == _mpmath(value, digits), value


def test_fewer_digits_zero_and_non_finite_are_left_to_mpmath() -> None:
    assert float_significant(0.004555, 3) is None and significant(0.004555, 3) == "0.00455"  # mpmath cuts bits
    assert significant(0.004555, 10) == "0.004555"
    for value in (0.0, -0.0, float("inf"), float("nan")):
        assert float_significant(value, 10) is None
    assert significant(0.0, 10) == "0"
