"""One decimal pattern for problem files and answers: a written exponent up to 300 either way, the value exact in
a problem file and a float in an answer (unless a float cannot hold it)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from hwsolver.errors import SpecError
from hwsolver.grading.answers import number
from hwsolver.numbers.decimals import is_decimal
from hwsolver.spec.node import parse_number
from hwsolver.spec.reader import parse_text


@pytest.mark.parametrize(
    ("text", "decimal"),
    [
        ("2", True),
        ("-0.5", True),
        (".5", True),
        ("2.", True),
        ("+1e-3", True),
        ("2.5E+4", True),
        ("1e300", True),
        ("1e-300", True),
        ("2.5e-003", True),  # three digits, small value
        ("1e301", False),
        ("1e-301", False),
        ("1e", False),
        ("inf", False),
        ("1_000", False),
        ("0x10", False),
        ("1/4", False),
    ],
)
def test_the_pattern(text: str, decimal: bool) -> None:
    assert is_decimal(text) == decimal


def test_in_a_problem_file_a_decimal_is_exact_and_an_exponent_past_300_is_no_number() -> None:
    assert parse_number("2.5e-003") == Fraction(1, 400)
    assert parse_number("1e-300") == Fraction(1, 10**300)
    assert parse_number("1e301") is None
    node = parse_text("rate: 1e301", "p.yaml").mapping()["rate"]
    with pytest.raises(SpecError) as error:
        node.number()
    assert str(error.value) == "p.yaml:1:7: rate: expected a number, got '1e301'"


def _answer(text: str) -> object:
    return number(parse_text(f"a: {text}", "s.yaml").mapping()["a"])


def test_in_an_answer_a_decimal_is_a_float_by_the_same_rule() -> None:
    assert _answer("2.5e-3") == _answer("2.5e-003") == 0.0025
    assert type(_answer("2.5e-003")) is float  # was read exactly, by another pattern, when the exponent had 3 digits
    assert _answer("1e-300") == 1e-300
    assert _answer("1/4") == Fraction(1, 4)


def test_an_answer_past_what_a_float_holds_is_never_infinite() -> None:
    huge = "9" * 30 + "e300"  # a decimal by the pattern, 1e330 in value
    assert _answer(huge) == Fraction(int("9" * 30)) * 10**300  # exact, the slow path: the checker never sees inf
    with pytest.raises(SpecError, match="expected a number"):
        _answer("1e400")


def test_a_literal_read_again_is_looked_up_not_parsed_again() -> None:
    """A lock repeats its drawn values thousands of times: each text is parsed once (the same Fraction back),
    and what it reads as does not change (nor does a text that is no number)."""
    first = parse_number(" 0.35 ")
    assert first == Fraction(7, 20) and parse_number(" 0.35 ") is first
    assert parse_number("x0.35") is None and parse_number("x0.35") is None
    assert parse_number("1/0") is None and parse_number("-3/4") == Fraction(-3, 4)
