"""Equivalence: equal forms recognised, near misses refused, evidence and counterexamples that check out."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, compile_numeric, equivalent, parse, to_sympy

SCALAR = Scope(variables=("x", "y"))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV = Scope(
    indices=("i", "j"),
    arrays={"w": 2, "e": 2, "z": 2},
    functions=("f", "fprime"),
    sizes=("K",),
    index_base=0,
    zero_outside=True,
)
D2 = "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"
CONV_REFERENCE = "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))"

EQUAL = [
    (SCALAR, "exp(-x)/(1+exp(-x))**2", "sigmoid(x)*(1-sigmoid(x))"),
    (SCALAR, "sigmoid(x) - 3 sigmoid(x)^2 + 2 sigmoid(x)^3", D2),
    (SCALAR, "(exp(-2x) - exp(-x))/(1 + exp(-x))^3", D2),
    (SCALAR, r"$\sigma(x)\left(1-\sigma(x)\right)\left(1-2\sigma(x)\right)$", D2),
    (SCALAR, "softplus(x)", "log(1 + exp(x))"),
    (SCALAR, "(x + abs(x))/2", "relu(x)"),
    (SCALAR, "Max(x, 0)", "relu(x)"),
    (SCALAR, "2 sigmoid(2x) - 1", "tanh(x)"),
    (VECTOR, r"$\delta_{ik} - \frac{e^{x_k}}{\sum_{j=1}^{C} e^{x_j}}$", "KroneckerDelta(i, k) - softmax(x)[k]"),
    (VECTOR, "x[k] - log(Sum(exp(x[j]), (j, 1, C)))", "log_softmax(x)[k]"),
    (VECTOR, "exp(log_softmax(x)[k])", "softmax(x)[k]"),
    (CONV, r"$f'(z_{ij}) \sum_{u=0}^{K-1} \sum_{v=0}^{K-1} w_{u,v} e_{i-u,j-v}$", CONV_REFERENCE),
    (CONV, "Sum(Sum(e[i-u,j-v] w[u,v], (u,0,K-1)), (v,0,K-1)) Derivative(f(z[i,j]), z[i,j])", CONV_REFERENCE),
]

DIFFERENT = [
    (SCALAR, "sigmoid(x)*(1 - sigmoid(x))**2", D2),
    (SCALAR, "sigmoid(x)*(1 + sigmoid(x))", "sigmoid(x)*(1 - sigmoid(x))"),
    (SCALAR, "exp(x)/(1+exp(-x))**2", "sigmoid(x)*(1-sigmoid(x))"),
    (SCALAR, "x*(1 + 1e-5)", "x"),
    (SCALAR, "x*(1 + 1e-9)", "x"),  # float64 would pass it; at 50 digits it is another function
    (SCALAR, "x + y", "x + x"),
    (VECTOR, "1 - softmax(x)[k]", "KroneckerDelta(i, k) - softmax(x)[k]"),
    (VECTOR, "KroneckerDelta(i, k) - softmax(x)[i]", "KroneckerDelta(i, k) - softmax(x)[k]"),
    (VECTOR, "log(softmax(x)[k]) + 1e-3", "log_softmax(x)[k]"),
    (CONV, "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i+u,j+v], (v,0,K-1)), (u,0,K-1))", CONV_REFERENCE),
    (CONV, "f(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))", CONV_REFERENCE),
    (CONV, "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,1,K-1)), (u,0,K-1))", CONV_REFERENCE),
]


@pytest.mark.parametrize(("scope", "student", "reference"), EQUAL)
def test_equal_forms_are_recognised(scope: Scope, student: str, reference: str) -> None:
    result = equivalent(parse(student, scope), parse(reference, scope), scope)
    assert (result.equal, result.method) == (True, "numeric"), result.evidence
    assert result.evidence.startswith("agreed at ")


@pytest.mark.parametrize(("scope", "student", "reference"), DIFFERENT)
def test_near_misses_are_refused_with_a_true_counterexample(scope: Scope, student: str, reference: str) -> None:
    result = equivalent(parse(student, scope), parse(reference, scope), scope)
    assert (result.equal, result.method) == (False, "numeric")
    assert result.evidence.startswith("differs at ") and result.counterexample is not None
    if scope is SCALAR:  # re-evaluate at the reported point: the two really differ there
        point = {name: np.array([value]) for name, value in result.counterexample.items()}
        point.setdefault("y", np.array([0.0]))
        a = compile_numeric(parse(student, scope), scope)(point)[0]
        b = compile_numeric(parse(reference, scope), scope)(point)[0]
        if "computed to 50 digits" in result.evidence:  # sympy at 60 digits, an independent witness
            at = {sympy.Symbol(k, real=True): sympy.Float(v[0], 60) for k, v in point.items()}
            a, b = (to_sympy(parse(t, scope)).subs(at).evalf(60) for t in (student, reference))
            assert abs(a - b) > 1e-30
        else:
            assert not np.isclose(a, b, rtol=1e-6, atol=1e-9)


def test_evidence_wording() -> None:
    ok = equivalent(parse("exp(-x)/(1+exp(-x))**2", SCALAR), parse("sigmoid(x)*(1-sigmoid(x))", SCALAR), SCALAR)
    assert ok.evidence == "agreed at 30 of 30 points in [-3, 3]"  # 24 random, 6 near 0 (and 8 outside)
    vector = equivalent(parse("softmax(x)[k]", VECTOR), parse("exp(log_softmax(x)[k])", VECTOR), VECTOR)
    assert vector.evidence == (
        "agreed at 120 of 120 points in [-3, 3] with C = 4 (4 values of k in 1..4), "
        "and at 150 of 150 with C = 5 (5 values of k in 1..5)"
    )
    bad = equivalent(parse("sigmoid(x)*(1 - sigmoid(x))**2", SCALAR), parse(D2, SCALAR), SCALAR, seed=5)
    assert bad.evidence.startswith("differs at x = ") and " vs " in bad.evidence and bad.evidence.endswith("expected")


def test_points_where_the_reference_is_undefined_are_skipped() -> None:
    result = equivalent(parse("log(x^2)/2", SCALAR), parse("log(abs(x))", SCALAR), SCALAR)
    assert result.equal is True
    half = equivalent(parse("2 log(sqrt(x))", SCALAR), parse("log(x)", SCALAR), SCALAR)
    assert half.equal is True and "of 30" in half.evidence


@pytest.mark.parametrize(
    ("student", "reference", "why"),
    [
        ("2 log(x)", "log(x^2)", "the log of 0 or of a negative number"),
        ("log(x)", "log(abs(x))", "the log of 0 or of a negative number"),
        ("sqrt(x) + 1", "x", "the square root of a negative number"),
        ("x/(x - x)", "x", "a division by zero"),
        ("(x - x)/(x - x)", "x", "0/0"),
        ("(x - x)^(-1)", "x", "0 to a negative power, a division by zero"),
        ("exp(1000 + x)", "x", "a number too large for a computer (an overflow)"),
        ("x^(1/2)", "x", "a negative number to a fractional power"),
    ],
)
def test_student_undefined_where_reference_is_defined_is_no_number_with_its_reason(
    student: str, reference: str, why: str
) -> None:
    result = equivalent(parse(student, SCALAR), parse(reference, SCALAR), SCALAR)
    assert (result.equal, result.undefined) == (False, True)
    assert result.evidence.startswith("is no number at x = ") and result.evidence.endswith(f": {why}")
    assert "nan" not in result.evidence and "inf" not in result.evidence


def test_symbolic_fallback_when_too_few_points_are_defined() -> None:
    proved = equivalent(parse("exp(log(x - 3.5))", SCALAR), parse("sqrt(x - 3.5)^2", SCALAR), SCALAR)
    assert (proved.equal, proved.method) == (True, "symbolic")
    assert proved.evidence == "sympy simplifies the difference to 0 (only 0 of 30 points in [-3, 3] are defined)"
    undecided = equivalent(parse("log(x - 100) + 0.001", SCALAR), parse("log(x - 100)", SCALAR), SCALAR)
    assert (undecided.equal, undecided.method) == (None, "symbolic")
    assert undecided.evidence.startswith("undecided: only")


def test_a_student_answer_that_cannot_be_evaluated_is_wrong_not_a_crash() -> None:
    student = parse("Sum(x[j], (j, 1, C*C*C*C*C*C))", VECTOR)
    result = equivalent(student, parse("Sum(x[j], (j, 1, C))", VECTOR), VECTOR)
    assert result.equal is False and "could not be evaluated" in result.evidence


@pytest.mark.parametrize(("scope", "student", "reference"), EQUAL[:4] + DIFFERENT[:4])
def test_symmetric_and_seed_independent(scope: Scope, student: str, reference: str) -> None:
    a, b = parse(student, scope), parse(reference, scope)
    verdicts = {equivalent(a, b, scope, seed=s).equal for s in (0, 1, 2)} | {equivalent(b, a, scope).equal}
    assert len(verdicts) == 1


def test_tolerances_are_honoured() -> None:
    a, b = parse("x*(1 + 1e-5)", SCALAR), parse("x", SCALAR)
    assert equivalent(a, b, SCALAR, rtol=1e-4).equal is True
    assert equivalent(a, b, SCALAR, rtol=1e-6).equal is False


SIZED = Scope(indices=("k",), vectors={"x": "C", "y": "D"})
BASE0 = Scope(indices=("k",), vectors={"x": "C"}, index_base=0)


@pytest.mark.parametrize(
    ("scope", "student", "reference"),
    [
        (SIZED, "Sum(exp(x[j]), (j, 1, 4))", "Sum(exp(x[j]), (j, 1, C))"),  # a size hard-coded to its test value
        (SIZED, "x[k]/4", "x[k]/C"),
        (SIZED, "x[k]/D", "x[k]/C"),  # one size symbol for another
        (SIZED, "Sum(y[j], (j, 1, C))", "Sum(y[j], (j, 1, D))"),
        (SIZED, "exp(x[k])/Sum(exp(x[j]), (j, 1, 4))", "softmax(x)[k]"),
        (CONV, CONV_REFERENCE.replace("K-1", "3"), CONV_REFERENCE),
    ],
)
def test_sizes_are_not_all_the_same_number(scope: Scope, student: str, reference: str) -> None:
    result = equivalent(parse(student, scope), parse(reference, scope), scope)
    assert result.equal is False, result.evidence
    assert result.counterexample is not None


def test_sizes_that_agree_for_every_value_are_equal() -> None:
    result = equivalent(parse("Sum(exp(x[j]), (j, 1, C))/C", SIZED), parse("Sum(exp(x[j])/C, (j, 1, C))", SIZED), SIZED)
    assert result.equal is True, result.evidence


@pytest.mark.parametrize(
    ("scope", "student", "reference"),
    [
        (BASE0, "Sum(x[j], (j, 0, C))", "Sum(x[j], (j, 0, C - 1))"),  # one past the end
        (VECTOR, "Sum(x[j], (j, 0, C))", "Sum(x[j], (j, 1, C))"),  # one before the start
        (VECTOR, "x[k - 1]", "x[k]"),
    ],
)
def test_reading_outside_a_vector_is_not_zero_unless_the_scope_says_so(
    scope: Scope, student: str, reference: str
) -> None:
    result = equivalent(parse(student, scope), parse(reference, scope), scope)
    assert result.equal is False
    assert "could not be evaluated" in result.evidence and "out of range" in result.evidence


def test_a_reference_reading_outside_is_a_bug() -> None:
    with pytest.raises(ExprError, match="out of range"):
        equivalent(parse("x[k]", VECTOR), parse("x[k + 1]", VECTOR), VECTOR)


def test_zero_outside_is_a_property_of_the_scope() -> None:
    assert Scope().zero_outside is False and CONV.zero_outside is True
    strict = Scope(arrays={"w": 2}, sizes=("K",), index_base=0)
    a, b = "Sum(w[u, 0], (u, 0, K))", "Sum(w[u, 0], (u, 0, K - 1))"
    assert equivalent(parse(a, CONV), parse(b, CONV), CONV).equal is True  # w[K, 0] is outside the kernel: 0
    assert equivalent(parse(a, strict), parse(b, strict), strict).equal is False


# The near misses no grader may accept, for three references: a function of x, of a vector, of arrays.
REFERENCES = [
    (Scope(variables=("x",)), D2, "x", (-4.0, 4.0)),
    (VECTOR, "KroneckerDelta(i, k) - softmax(x)[k]", "x[k]", (-3.0, 3.0)),
    (CONV, CONV_REFERENCE, "z[i, j]", (-2.0, 2.0)),
]
NEAR_MISSES = [
    "{ref} + 1/10^10",
    "({ref})*(1 + 1/10^7)",
    "{ref} + exp(-40)",
    "{ref} + relu({x} - 5)",
    "{ref} + Heaviside({x} - 3.5)",
    "{ref} + 1000*Heaviside(0.3 - abs({x}))",
]


@pytest.mark.parametrize("template", NEAR_MISSES)
@pytest.mark.parametrize(("scope", "reference", "x", "domain"), REFERENCES, ids=["scalar", "vector", "arrays"])
def test_near_misses_are_other_functions(
    scope: Scope, reference: str, x: str, domain: tuple[float, float], template: str
) -> None:
    student = parse(template.format(ref=f"({reference})", x=x), scope)
    result = equivalent(student, parse(reference, scope), scope, domain=domain)
    assert result.equal is False, result.evidence
    assert result.evidence.startswith("differs at ")
    assert equivalent(parse(reference, scope), parse(reference, scope), scope, domain=domain).equal


@pytest.mark.parametrize("size", range(1, 11))
@pytest.mark.parametrize(
    ("scope", "reference", "symbol"), [(VECTOR, REFERENCES[1][1], "C"), (CONV, CONV_REFERENCE, "K")]
)
def test_a_term_alive_at_one_size_is_another_function(scope: Scope, reference: str, symbol: str, size: int) -> None:
    student = parse(f"{reference} + KroneckerDelta({symbol}, {size})", scope)
    result = equivalent(student, parse(reference, scope), scope)
    assert result.equal is False, result.evidence
    assert f"{symbol} = {size}" in result.evidence or size in (4, 5)


def test_outside_the_domain_float_rounding_is_no_difference() -> None:
    # sigma(1 - sigma)(1 - 2 sigma) at x = 30 loses all its digits in 1 - sigma, the exp form none: still equal
    forms = ("(exp(-2x) - exp(-x))/(1 + exp(-x))^3", "sigmoid(x) - 3 sigmoid(x)^2 + 2 sigmoid(x)^3")
    for form in forms:
        assert equivalent(parse(form, SCALAR), parse(D2, SCALAR), SCALAR, domain=(-4.0, 4.0)).equal is True
