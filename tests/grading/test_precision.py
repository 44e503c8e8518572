"""Significant figures: rounded or truncated answers are right, answers right only to fewer figures are the slip
rounded_too_coarsely, and nothing else is accepted. The second witness is a decimal-string oracle: exact
fractions and digit strings cut by hand, no floats and no Decimal quantize."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest

from hwsolver.grading.answers import number
from hwsolver.grading.precision import Tolerance
from hwsolver.numbers import Written, decimal_value, figures
from hwsolver.spec.reader import parse_text


def _digits(text: str) -> tuple[int, str, int]:
    """(sign, significant digits as written, exponent of the first digit) of a decimal text."""
    sign = -1 if text.startswith("-") else 1
    mantissa, _, exponent = text.lstrip("+-").lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    first = len(whole) - 1 - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    return sign, digits, first + int(exponent or 0)


def _cut(text: str, figures_kept: int) -> Fraction:
    """The decimal `text` cut (towards zero) after `figures_kept` significant figures, by string surgery."""
    sign, digits, first = _digits(text)
    kept = (digits + "0" * figures_kept)[:figures_kept]
    return sign * Fraction(int(kept)) * Fraction(10) ** (first - figures_kept + 1)


def _half_unit(text: str, figures_kept: int) -> Fraction:
    return Fraction(1, 2) * Fraction(10) ** (_digits(text)[2] - figures_kept + 1)


def oracle(candidate: str, reference: str, sigfigs: int) -> str:
    """'right', 'coarse' or 'wrong', from the written digits alone."""
    value, exact = Fraction(candidate), Fraction(reference)
    shown = len(_digits(candidate)[1])  # trailing zeros written after the point count
    if "." not in candidate:
        shown = len(_digits(candidate)[1].rstrip("0"))  # 600: one figure
    if abs(value - exact) <= _half_unit(reference, sigfigs):
        return "right"
    if shown >= sigfigs and value == _cut(reference, shown):
        return "right"
    for kept in range(max(shown, min(2, sigfigs - 1)), sigfigs):
        if abs(value - exact) <= _half_unit(reference, kept) or value == _cut(reference, kept):
            return "coarse"
    return "wrong"


def candidates(reference: str) -> list[str]:
    """Decimals of 1 to 6 figures around the reference, each also with a zero written after it."""
    found = set()
    for kept in range(1, 7):
        step = Fraction(10) ** (_digits(reference)[2] - kept + 1)
        centre = _cut(reference, kept)
        for offset in range(-12, 13):
            value = centre + offset * step
            if value == 0 or (value < 0) != reference.startswith("-"):
                continue
            places = max(0, -(_digits(reference)[2] - kept + 1))
            text = f"{float(value):.{places}f}" if places else str(int(value))
            found.add(text)
            if "." in text:
                found.add(text + "0")
    return sorted(found)


REFERENCES = ["0.025538", "0.54068", "-0.32124532712", "12.5", "0.0999", "1.0005", "3.14159265358979", "-7.25e-05"]
# leading digit 1: a truncation nearly a unit of the last asked figure off, that unit nearly |ref| * 10^(1-sigfigs)
REFERENCES += ["1.00999", "-10.0999", "0.10999"]


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("sigfigs", [2, 3, 4])
def test_the_sigfig_rule_agrees_with_the_digit_oracle(reference: str, sigfigs: int) -> None:
    tolerance = Tolerance(sigfigs=sigfigs)
    reference_float = float(reference)
    texts = candidates(reference)
    assert len(texts) > 100
    found = {"right": 0, "coarse": 0, "wrong": 0}
    for text in texts:
        value = decimal_value(text)
        verdict = (
            "right"
            if tolerance.close(value, reference_float)
            else "coarse"
            if tolerance.coarse(value, reference_float)
            else "wrong"
        )
        assert verdict == oracle(text, reference, sigfigs), text
        found[verdict] += 1
    assert all(found.values()), found  # every verdict is met, so each branch is tested


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("0.0255", "right"),  # the rounding, and the truncation, to 3 figures
        ("0.02553", "right"),  # truncated to 4
        ("0.025538", "right"),
        ("2.553e-2", "right"),
        ("0.02554", "right"),  # rounded to 4
        ("0.026", "coarse"),  # right only to 2 figures
        ("0.025", "coarse"),  # truncated to 2
        ("0.0260", "wrong"),  # claims 3 figures, the third is wrong
        ("0.0254", "wrong"),  # no rounding or truncation of 0.025538
        ("0.0256", "wrong"),
        ("0.03", "wrong"),  # one figure: too little to tell a slip from a wrong value
        ("-0.0255", "wrong"),
    ],
)
def test_loss_before_of_the_relu_network(text: str, verdict: str) -> None:
    tolerance = Tolerance()
    value = decimal_value(text)
    found = "right" if tolerance.close(value, 0.025538) else "coarse" if tolerance.coarse(value, 0.025538) else "wrong"
    assert found == verdict


def test_trailing_zeros_written_count_as_figures() -> None:
    """0.540 is 0.54068 truncated to 3 figures; 0.54 is it rounded to 2: the text decides, not the float."""
    tolerance = Tolerance()
    assert tolerance.close(decimal_value("0.540"), 0.54068)
    assert not tolerance.close(decimal_value("0.54"), 0.54068)
    assert tolerance.coarse(decimal_value("0.54"), 0.54068)
    assert tolerance.close(0.54, 0.5404)  # 0.540 rounded: the zero need not be written
    assert [figures(decimal_value(t)) for t in ("0.540", "0.54", "100.0", "600", "5.40e-1", "2.55E-5")] == [
        3,
        2,
        4,
        1,
        3,
        3,
    ]


def test_an_answer_node_keeps_its_written_figures() -> None:
    root = parse_text("a: 0.540\nb: 0.54\n", "s.yaml")
    first, second = number(root.value["a"]), number(root.value["b"])
    assert first == second == 0.54
    assert (type(first), figures(first), type(second)) == (Written, 3, float)
    assert figures(pickle.loads(pickle.dumps(first))) == 3  # workers send values between processes


def test_the_symmetric_test_replaces_sigfigs_when_set() -> None:
    tolerance = Tolerance.from_options({"rtol": 0.01})
    assert tolerance.sigfigs is None
    assert not tolerance.coarse(0.5, 0.54068)
    assert not Tolerance(sigfigs=1).coarse(0.5, 0.54068)  # no fewer figures than one


def test_credits_and_switches_from_options() -> None:
    tolerance = Tolerance.from_options({"coarse_credit": Fraction(1, 4), "transposed_credit": 0, "partial": False})
    assert (tolerance.coarse_credit, tolerance.transposed_credit, tolerance.partial) == (Fraction(1, 4), 0, False)
    default = Tolerance.from_options({})
    assert (default.coarse_credit, default.transposed_credit, default.partial) == (Fraction(1, 2), Fraction(1, 2), True)


@pytest.mark.parametrize("tolerance", [Tolerance(), Tolerance(sigfigs=None), Tolerance(rtol=0.1, sigfigs=None)])
@pytest.mark.parametrize("value, reference", [(1.5, float("inf")), (-2.0, float("-inf")), (float("inf"), 1.0)])
def test_no_finite_number_is_close_to_an_infinite_one(tolerance: Tolerance, value: float, reference: float) -> None:
    # |a - inf| = inf <= rtol * inf: the relative test alone would take any number for an overflowed re-run's value
    assert not tolerance.close(value, reference)
