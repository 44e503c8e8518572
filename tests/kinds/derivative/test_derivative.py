"""derivative: every order against mpmath central differences of the function, the sigmoid form, grading, specs."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import sympy
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.cli import cli
from hwsolver.errors import SolveError, SpecError
from hwsolver.expr import Scope, compile_numeric, equivalent, parse
from hwsolver.grading.formulas import functions_used
from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds.derivative import KIND, solve
from hwsolver.model import Solution
from hwsolver.solving import solutions_text, solve_paths
from hwsolver.spec.problems import load_problem, problem_from_node
from hwsolver.spec.reader import parse_text

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
SIGMOID = ROOT / "problems" / "sigmoid-derivatives.yaml"
X = Scope(variables=("x",))

# The function as formula text, and the same function written independently with mpmath (the oracle).
FUNCTIONS: dict[str, tuple[str, Any]] = {
    "sigmoid": ("1/(1 + exp(-x))", lambda t: 1 / (1 + mpmath.exp(-t))),
    "tanh": ("tanh(x)", mpmath.tanh),
    "softplus": ("log(1 + exp(x))", lambda t: mpmath.log(1 + mpmath.exp(t))),
    "gaussian_bump": ("x*exp(-x^2)", lambda t: t * mpmath.exp(-(t**2))),
    "polynomial": ("3*x^4 - 2*x^3 + x/2 - 7", lambda t: 3 * t**4 - 2 * t**3 + t / 2 - 7),
    "swish": ("x*sigmoid(x)", lambda t: t / (1 + mpmath.exp(-t))),
}
REWRITES = {"sigmoid": "sigmoid", "tanh": "tanh", "softplus": "sigmoid", "swish": "sigmoid"}
CASES = [(name, None) for name in sorted(FUNCTIONS)] + sorted(REWRITES.items())


def derivative_solution(function: str, orders: list[int], rewrite: str | None = None, variable: str = "x") -> Solution:
    spec: dict[str, Any] = {
        "id": "d",
        "kind": "derivative",
        "title": "t",
        "statement": "s",
        "given": {"function": function, "variable": variable, "orders": orders},
        "parts": [f"d{n}" for n in orders],
    }
    if rewrite:
        spec["given"]["rewrite"] = rewrite
    return solve(problem_from_node(parse_text(yaml.safe_dump(spec), "d.yaml")))


def central_difference(f: Any, at: float, order: int) -> float:
    """The order-th derivative of f by a central difference at 60 digits (step 1e-12: error ~1e-24)."""
    with mpmath.workdps(60):
        h, t = mpmath.mpf("1e-12"), mpmath.mpf(at)
        total = sum((-1) ** m * math.comb(order, m) * f(t + (mpmath.mpf(order) / 2 - m) * h) for m in range(order + 1))
        return float(total / h**order)


def assert_matches_differences(solution: Solution, oracle: Any, points: np.ndarray) -> None:
    for part, answer in solution.answers.items():
        order = int(part[1:])
        got = compile_numeric(parse(answer.expr, X), X)({"x": points})
        expected = np.array([central_difference(oracle, float(p), order) for p in points])
        assert np.allclose(got, expected, rtol=1e-9, atol=1e-12), (part, answer.expr)


@pytest.mark.parametrize(("name", "rewrite"), CASES)
def test_every_order_matches_central_differences(name: str, rewrite: str | None) -> None:
    text, oracle = FUNCTIONS[name]
    solution = derivative_solution(text, [1, 2, 3], rewrite)
    points = np.random.default_rng(sum(map(ord, name))).uniform(-4, 4, 12)
    assert_matches_differences(solution, oracle, points)
    if rewrite:  # written in the named function: exp is gone
        assert all("exp" not in functions_used(parse(a.expr, X)) for a in solution.answers.values())


@settings(max_examples=25, deadline=None)
@given(
    coefficients=st.lists(st.integers(-5, 5), min_size=1, max_size=5).filter(any),
    scale=st.integers(1, 3),
    order=st.integers(1, 3),
)
def test_random_polynomials_times_sigmoid(coefficients: list[int], scale: int, order: int) -> None:
    polynomial = " + ".join(f"({c})*x^{p}" for p, c in enumerate(coefficients))
    solution = derivative_solution(f"({polynomial})*sigmoid({scale}*x)", [order])

    def oracle(t: Any) -> Any:
        return sum(c * t**p for p, c in enumerate(coefficients)) / (1 + mpmath.exp(-scale * t))

    assert_matches_differences(solution, oracle, np.linspace(-3.3, 3.1, 5))


def test_the_answer_key_is_factored_in_sigmoid() -> None:
    (solution,) = solve_paths([SIGMOID])
    d1, d2 = solution.answers["d1"], solution.answers["d2"]
    assert d1.expr == "sigmoid(x)*(1 - sigmoid(x))"
    assert d2.expr == "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"
    assert (
        d2.latex
        == r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right) \left(1 - 2 \sigma\left(x\right)\right)"
    )
    for answer, written_out, asked in (
        (d1, "exp(-x)/(1 + exp(-x))^2", ("sigmoid'", "sigmoid''")),
        (d2, "exp(-x)*(exp(-x) - 1)/(1 + exp(-x))^3", ("sigmoid''",)),
    ):
        assert functions_used(parse(answer.expr, X)) == {"sigmoid"}
        assert equivalent(parse(answer.expr, X), parse(written_out, X), X, domain=answer.domain).equal
        assert equivalent(parse(f"${answer.latex}$", X), parse(answer.expr, X), X).equal  # LaTeX reads back
        assert answer.scope == Scope(variables=("x",), asked=asked) and answer.domain == (-4.0, 4.0)


def test_the_work_names_the_rules_and_the_rewrite() -> None:
    (solution,) = solve_paths([SIGMOID])
    first, second = solution.work["steps"]
    assert first.rules == ("quotient", "chain") and first.rewritten
    assert first.derivative.expr == "exp(-x)/(1 + exp(-x))^2"
    assert second.before.expr == "sigmoid(x)*(1 - sigmoid(x))" and second.rules == ("product",)
    assert [(a.expr, b.expr) for a, b in solution.work["identities"]] == [
        ("sigmoid(x)", "1/(1 + exp(-x))"),
        ("1 - sigmoid(x)", "exp(-x)/(1 + exp(-x))"),
    ]
    text = solutions_text([solution])
    assert "by the quotient and chain rules" in text and "d2 = sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))" in text


def test_other_variable_names_and_tanh() -> None:
    solution = derivative_solution("tanh(z)", [1, 2], "tanh", variable="z")
    assert solution.answers["d1"].expr == "1 - tanh(z)^2"
    z = Scope(variables=("z",))
    assert equivalent(parse(solution.answers["d2"].expr, z), parse("-2*tanh(z)*(1 - tanh(z)^2)", z), z).equal
    assert functions_used(parse(solution.answers["d2"].expr, z)) == {"tanh"}


# -- grading ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared() -> list[PreparedProblem]:
    return prepare(solve_paths([SIGMOID]))


@pytest.mark.parametrize(
    ("part", "answer", "verdict", "mistake"),
    [
        ("d1", "sigmoid(x)*(1-sigmoid(x))", "correct", None),
        ("d1", "σ(x)(1 − σ(x))", "correct", None),
        ("d1", "exp(-x)/(1+exp(-x))^2", "partial", "wrong_form"),
        ("d1", "-exp(-x)/(1+exp(-x))^2", "partial", "missing_chain_factor"),
        ("d1", "-sigmoid(x)*(1 - sigmoid(x))", "partial", "missing_chain_factor"),
        ("d2", r"$\sigma(x)(1-\sigma(x))(1-2\sigma(x))$", "correct", None),
        ("d2", "sigmoid(x) - 3*sigmoid(x)^2 + 2*sigmoid(x)^3", "correct", None),
        ("d2", "sigmoid(x)*(1-sigmoid(x))**2", "partial", "sigma_squared"),
        ("d2", "1 - 2*sigmoid(x)", "partial", "missing_chain_factor"),
        ("d2", "sigmoid(x)*(1 - sigmoid(x))*(2*sigmoid(x) - 1)", "partial", "sign_error"),
        ("d2", "sigmoid(x)*(1 - sigmoid(x))", "incorrect", None),
    ],
)
def test_grading(
    grade_answers: Grade, prepared: list, part: str, answer: str, verdict: str, mistake: str | None
) -> None:
    result = grade_answers(prepared, {part: answer})[part]
    assert (result.verdict, result.mistake) == (verdict, mistake), result.feedback
    if mistake == "wrong_form":
        assert result.score == prepared[0].problem.parts[0].points / 2
        assert result.feedback == "equivalent, but write it in terms of sigmoid(...) (without exp)"
    elif mistake:
        assert result.score == KIND.credits[mistake] * result.max_score


def test_mistake_feedback_explains_the_rule(prepared: list[PreparedProblem]) -> None:
    feedback = {(m.id, *m.answers): m.feedback for m in prepared[0].mutants}
    assert feedback[("missing_chain_factor", "d1")] == (
        "The inner derivative of the chain rule was left out: d/dx exp(-x) = -exp(-x), not exp(-x)."
    )
    assert "(u*v)' = u'*v + u*v' with u = sigmoid(x) and v = 1 - sigmoid(x)" in feedback[("sigma_squared", "d2")]
    assert {m.id: m.answers["d2"].expr for m in prepared[0].mutants if "d2" in m.answers} == {
        "sigma_squared": "sigmoid(x)*(1 - sigmoid(x))^2",
        "missing_chain_factor": "1 - 2*sigmoid(x)",
        "sign_error": "-sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))",
    }


# -- specs and the command line -----------------------------------------------------------------------------

SPEC = """\
id: d
kind: derivative
title: t
statement: s
given:
  function: {function}
  variable: x
  orders: {orders}{extra}
parts: [d1]
"""


@pytest.mark.parametrize(
    ("function", "orders", "extra", "message"),
    [
        (
            "1/(1 + exp(-y))",
            "[1, 2]",
            "",
            "problem.yaml:6:13: given.function: cannot read '1/(1 + exp(-y))': "
            "column 13: unknown name 'y'; this answer may use: x (variable); functions: exp, log, sqrt, abs, "
            "sigmoid (σ), tanh, sinh, cosh, sech, csch, coth, sin, cos, tan, relu, softplus, Heaviside, Max, Min",
        ),
        ("exp(2)", "[1]", "", "problem.yaml:6:13: given.function: 'exp(2)' does not depend on x"),
        ("tanh(x)", "[1, 0]", "", "problem.yaml:8:15: given.orders[1]: expected an integer >= 1, got 0"),
        ("tanh(x)", "[1, 9]", "", "problem.yaml:8:15: given.orders[1]: orders go up to 5, got 9"),
        ("tanh(x)", "[1, 1]", "", "problem.yaml:8:15: given.orders[1]: order 1 is listed twice"),
        ("tanh(x)", "[]", "", "problem.yaml:8:11: given.orders: expected at least one order, as in [1, 2]"),
        (
            "tanh(x)",
            "[1]",
            "\n  rewrite: relu",
            "problem.yaml:9:12: given.rewrite: unknown value 'relu'; expected one of: sigmoid, tanh",
        ),
        (
            "x*exp(-x^2)",
            "[1]",
            "\n  rewrite: sigmoid",
            "problem.yaml:9:12: given.rewrite: cannot write 'x*exp(-x^2)' in terms of sigmoid(x): "
            "exp(-x^2) is not a power of exp(x)",
        ),
    ],
)
def test_spec_errors(write_yaml, function: str, orders: str, extra: str, message: str) -> None:
    path = write_yaml(SPEC.format(function=function, orders=orders, extra=extra))
    with pytest.raises(SpecError) as error:
        load_problem(path)
    assert str(error.value) == message


def test_solve_json_gives_expr_and_latex() -> None:
    result = CliRunner().invoke(cli, ["solve", str(SIGMOID), "--format", "json"])
    assert result.exit_code == 0, result.output
    answers = json.loads(result.output)["problems"][0]["answers"]
    sigma, one_minus = r"\sigma\left(x\right)", r"\left(1 - \sigma\left(x\right)\right)"
    assert answers == {
        "d1": {"expr": "sigmoid(x)*(1 - sigmoid(x))", "latex": f"{sigma} {one_minus}"},
        "d2": {
            "expr": "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))",
            "latex": rf"{sigma} {one_minus} \left(1 - 2 \sigma\left(x\right)\right)",
        },
    }


@pytest.mark.parametrize(
    ("function", "order", "shown"),
    [
        ("sqrt(1 + x^2)", 2, "1/(x^2 + 1)^(3/2)"),  # the sum over a common denominator comes to a single power
        ("exp(-x^2/2)", 2, "-(1 - x^2)*exp(-x^2/2)"),  # a common factor out; (1 - x)*(1 + x) would be longer
        ("exp(2*x)/(1 + exp(2*x))", 2, "4*(1 - exp(2*x))*exp(2*x)/(1 + exp(2*x))^3"),
        ("x^3 - 3*x", 1, "3*x^2 - 3"),  # shorter expanded than factored
        ("1/(1 + exp(-x))", 1, "sigmoid(x)*(1 - sigmoid(x))"),
    ],
)
def test_the_shortest_form_is_shown(function: str, order: int, shown: str) -> None:
    rewrite = "sigmoid" if "exp(-x)" in function else None
    assert derivative_solution(function, [order], rewrite).answers[f"d{order}"].expr == shown


def test_a_derivative_that_is_infinite_where_the_function_is_defined_is_no_disagreement() -> None:
    # sqrt(x - 1) is 0 at x = 1 (a point of the default domain), where its derivative is inf (ours) or nan (sympy's)
    assert derivative_solution("sqrt(x - 1)", [1]).answers["d1"].expr == "1/(2*sqrt(x - 1))"


@pytest.mark.parametrize(
    ("function", "derivative"),
    [
        ("sqrt(x - 1)", "1/(2*sqrt(x - 1))"),
        ("(x - 1)^(3/2)", "3*sqrt(x - 1)/2"),
        ("1/sqrt(x - 1)", "-1/(2*(x - 1)^(3/2))"),
    ],
)
def test_a_non_integer_power_of_a_negative_leading_sum_is_not_negated(function: str, derivative: str) -> None:
    # sqrt(x - 1) must not print as sqrt(1 - x): that is NaN everywhere on the domain x > 1
    spec: dict[str, Any] = {
        "id": "d",
        "kind": "derivative",
        "title": "t",
        "statement": "s",
        "given": {"function": function, "variable": "x", "orders": [1], "domain": [1.5, 4]},
        "parts": ["d1"],
    }
    answer = solve(problem_from_node(parse_text(yaml.safe_dump(spec), "d.yaml"))).answers["d1"]
    assert "1 - x" not in answer.expr
    points = {"x": np.linspace(1.5, 4, 11)}
    got = compile_numeric(parse(answer.expr, X), X)(points)
    assert np.allclose(got, compile_numeric(parse(derivative, X), X)(points), rtol=1e-12)


def test_the_direct_witness_does_not_skip_points_where_the_function_is_defined(monkeypatch: pytest.MonkeyPatch) -> None:
    import hwsolver.kinds.derivative as derivative

    # a printer that writes x - 1 as 1 - x under a square root gives NaN on x > 1; the witness must notice
    original, x = derivative.tidy, sympy.Symbol("x", real=True)  # the symbol the expression language builds
    monkeypatch.setattr(derivative, "tidy", lambda e: original(e).subs(x - 1, 1 - x))
    derivative.derivatives.cache_clear()
    spec: dict[str, Any] = {
        "id": "d",
        "kind": "derivative",
        "title": "t",
        "statement": "s",
        "given": {"function": "sqrt(x - 1)", "variable": "x", "orders": [1], "domain": [1.5, 4]},
        "parts": ["d1"],
    }
    try:
        problem = problem_from_node(parse_text(yaml.safe_dump(spec), "d.yaml"))
        with pytest.raises(SolveError, match="disagrees with direct differentiation"):
            KIND.witness(problem, solve(problem))
    finally:
        derivative.derivatives.cache_clear()


@pytest.mark.parametrize(
    ("d1", "d2", "follows"),
    [
        # a named slip, differentiated right: d2 is also the sign_error slip's answer, but follows the student's d1
        ("-sigmoid(x)*(1 - sigmoid(x))", "-sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))", True),
        # an unnamed slip, differentiated right (product rule on sigma(1 + sigma))
        ("sigmoid(x)*(1 + sigmoid(x))", "sigmoid(x)*(1 - sigmoid(x))*(1 + 2*sigmoid(x))", True),
        ("$\\sigma(x)(1+\\sigma(x))$", "sigmoid(x)*(1 - sigmoid(x)) + 2*sigmoid(x)^2*(1 - sigmoid(x))", True),
        ("sigmoid(x)*(1 + sigmoid(x))", "sigmoid(x)*(1 - sigmoid(x))*(1 + sigmoid(x))", False),  # not its derivative
        ("sigmoid(x)", "sigmoid(x)*(1 - sigmoid(x))", False),  # the function itself copied: d2 took no new work
        ("x/4", "1/4", False),  # a line: its derivative is a constant
        ("0", "0", False),
    ],
)
def test_d2_follows_the_students_own_d1(grade_answers: Grade, prepared: list, d1: str, d2: str, follows: bool) -> None:
    results = grade_answers(prepared, {"d1": d1, "d2": d2})
    assert results["d1"].verdict != "correct"
    second = results["d2"]
    assert (second.follow_through, second.verdict == "correct") == (follows, follows), second.feedback
    if follows:
        assert second.mistake is None
