"""index_gradient: every (i, k) at C = 4 against differences of NumPy-written functions, the Jacobian, grading."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import mpmath
import numpy as np
import pytest
import yaml

from hwsolver.errors import SpecError
from hwsolver.expr import Scope, compile_numeric, equivalent, parse
from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds.index_gradient import solve
from hwsolver.kinds.index_gradient_grading import mistakes
from hwsolver.model import Solution, Symbolic
from hwsolver.problems import load_problem, problem_from_node
from hwsolver.solving import solutions_text, solve_paths
from hwsolver.spec import parse_text

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[2]
LOG_SOFTMAX = ROOT / "problems" / "log-softmax-gradient.yaml"
SCOPE = Scope(vectors={"x": "C"}, indices=("i", "k"))
C = 4


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


# The function as formula text, and the same function f(x, i) in NumPy (i counted from 1), the oracle.
FUNCTIONS: dict[str, tuple[str, Any]] = {
    "log_softmax": ("log_softmax(x)[i]", lambda x, i: np.log(softmax(x)[i - 1])),
    "written_out": ("x[i] - log(Sum(exp(x[j]), (j, 1, C)))", lambda x, i: x[i - 1] - np.log(np.exp(x).sum())),
    "softmax": ("softmax(x)[i]", lambda x, i: softmax(x)[i - 1]),
    "log_of_softmax": ("log(softmax(x)[i])", lambda x, i: np.log(softmax(x)[i - 1])),
    "log_sum_exp": ("log(Sum(exp(x[j]), (j, 1, C)))", lambda x, i: np.log(np.exp(x).sum())),
    "elementwise": ("x[i]^2*sigmoid(x[i])", lambda x, i: x[i - 1] ** 2 / (1 + np.exp(-x[i - 1]))),
    "coupled": ("Sum(x[j]^2, (j, 1, C))*x[i]", lambda x, i: (x**2).sum() * x[i - 1]),
}


def gradient_solution(function: str, values: list[float] | None = None, exact: bool = True) -> Solution:
    spec: dict[str, Any] = {
        "id": "g",
        "kind": "index_gradient",
        "title": "t",
        "statement": "s",
        "given": {"function": function, "wrt": "x[k]", "vectors": {"x": "C"}, "indices": ["i", "k"]},
        "parts": ["gradient"],
    }
    if values is not None:
        spec["given"]["values"] = {"x": values}
    return solve(problem_from_node(parse_text(yaml.safe_dump(spec), "g.yaml")), exact=exact)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_i_k_matches_central_differences(name: str) -> None:
    text, oracle = FUNCTIONS[name]
    answer = gradient_solution(text).answers["gradient"]
    assert "Piecewise" not in answer.expr
    evaluate = compile_numeric(parse(answer.expr, SCOPE), SCOPE)
    rng, h = np.random.default_rng(len(name)), 1e-6
    for x in rng.uniform(-3, 3, (5, C)):
        for i in range(1, C + 1):
            for k in range(1, C + 1):
                step = np.eye(C)[k - 1] * h
                expected = (oracle(x + step, i) - oracle(x - step, i)) / (2 * h)
                got = float(evaluate({"x": x[None, :], "i": i, "k": k})[0])
                assert got == pytest.approx(expected, rel=1e-6, abs=1e-8), (name, answer.expr, i, k)


def test_the_answer_key_is_delta_minus_softmax() -> None:
    (solution,) = solve_paths([LOG_SOFTMAX])
    answer = solution.answers["gradient"]
    assert answer.expr == "KroneckerDelta(i, k) - softmax(x)[k]"
    assert answer.latex == r"\delta_{i, k} - \operatorname{softmax}\left(x\right)_{k}"
    assert equivalent(parse(f"${answer.latex}$", SCOPE), parse(answer.expr, SCOPE), SCOPE).equal
    written_out = parse("KroneckerDelta(i, k) - exp(x[k])/Sum(exp(x[j]), (j, 1, C))", SCOPE)
    assert equivalent(parse(answer.expr, SCOPE), written_out, SCOPE).equal


def test_the_work_has_the_terms_and_both_cases() -> None:
    (solution,) = solve_paths([LOG_SOFTMAX])
    work = solution.work
    assert [(t.term.expr, t.result.expr, t.collapsed) for t in work["terms"]] == [
        ("x[i]", "KroneckerDelta(i, k)", False),
        ("-log(Sum(exp(x[j]), (j, 1, C)))", "-softmax(x)[k]", True),
    ]
    assert "KroneckerDelta(j, k)" in work["terms"][1].derivative.expr
    assert [(same, value.expr) for same, value in work["cases"]] == [
        (True, "1 - softmax(x)[k]"),
        (False, "-softmax(x)[k]"),
    ]
    text = solutions_text([solution])
    assert "    i = k: 1 - softmax(x)[k]\n    i != k: -softmax(x)[k]\n" in text
    assert "gradient = KroneckerDelta(i, k) - softmax(x)[k]" in text


@pytest.mark.parametrize("exact", [True, False])
def test_the_jacobian_at_given_values(exact: bool) -> None:
    x = [1.0, 2.0, 0.5, -1.0]
    solution = gradient_solution("log_softmax(x)[i]", x, exact=exact)
    jacobian = np.array(solution.answers["jacobian"], dtype=float)
    assert jacobian == pytest.approx(np.eye(C) - softmax(np.array(x))[None, :], rel=1e-14, abs=1e-15)
    if exact:  # 50 digits: rows sum to 1 - 1 = 0 far below float precision
        with mpmath.workdps(50):
            assert all(abs(mpmath.fsum(row)) < 1e-45 for row in solution.answers["jacobian"])


def test_a_scalar_function_has_one_row() -> None:
    solution = gradient_solution("log(Sum(exp(x[j]), (j, 1, C)))", [0, 0, 0, 0])
    assert solution.answers["gradient"].expr == "softmax(x)[k]"
    assert np.allclose(np.array(solution.answers["jacobian"], dtype=float), [[0.25] * 4])


# -- grading ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def prepared() -> list[PreparedProblem]:
    return prepare(solve_paths([LOG_SOFTMAX]))


@pytest.mark.parametrize(
    ("answer", "verdict", "mistake"),
    [
        ("KroneckerDelta(i, k) - softmax(x)[k]", "correct", None),
        (r"$\delta_{ik} - \frac{e^{x_k}}{\sum_{j=1}^{C} e^{x_j}}$", "correct", None),
        ("δ[i, k] - exp(x[k])/Sum(exp(x[j]), (j, 1, C))", "correct", None),
        ("softmax(x)[k] - KroneckerDelta(i, k)", "partial", "softmax_sign"),
        ("1 - softmax(x)[k]", "partial", "missing_delta"),
        ("KroneckerDelta(i, k) - softmax(x)[i]", "partial", "softmax_of_i"),
        ("-softmax(x)[k]", "incorrect", None),
    ],
)
def test_grading(grade_answers: Grade, prepared: list, answer: str, verdict: str, mistake: str | None) -> None:
    result = grade_answers(prepared, {"gradient": answer})["gradient"]
    assert (result.verdict, result.mistake) == (verdict, mistake), result.feedback


def test_mutants_carry_the_jacobian_when_it_is_asked() -> None:
    solution = gradient_solution("log_softmax(x)[i]", [1, 2, 0.5, -1])
    found = {m.id: m for m in mistakes(solution.problem, solution)}
    assert set(found) == {"softmax_sign", "missing_delta", "softmax_of_i"}
    right = np.array(solution.answers["jacobian"], dtype=float)
    assert np.array(found["softmax_sign"].answers["jacobian"]) == pytest.approx(-right)
    assert found["missing_delta"].feedback.startswith("Only the case i = k was worked out")


# -- specs --------------------------------------------------------------------------------------------------

SPEC = """\
id: g
kind: index_gradient
title: t
statement: s
given:
  function: {function}
  wrt: {wrt}
  vectors: {{x: C}}
  indices: [i, k]{extra}
parts: [gradient]
"""


@pytest.mark.parametrize(
    ("function", "wrt", "extra", "message"),
    [
        (
            "log_softmax(y)[i]",
            "x[k]",
            "",
            "problem.yaml:6:13: given.function: cannot read 'log_softmax(y)[i]': "
            "column 13: log_softmax takes a declared vector (vectors: x)",
        ),
        (
            "log_softmax(x)[i]",
            "x[i]",
            "",
            "problem.yaml:7:8: given.wrt: the function uses i; differentiate by an element whose index it does not use",
        ),
        (
            "log_softmax(x)[i]",
            "x[1]",
            "",
            "problem.yaml:7:8: given.wrt: expected one element of a vector with a declared index, as in x[k]; "
            "got 'x[1]'",
        ),
        (
            "log_softmax(x)[i]",
            "x[k]",
            "\n  values: {x: [1, 2]}\n  extra: 1",
            "problem.yaml:11:10: given.extra: unknown key 'extra'; expected one of: function, indices, values, "
            "vectors, wrt",
        ),
    ],
)
def test_spec_errors(write_yaml, function: str, wrt: str, extra: str, message: str) -> None:
    path = write_yaml(SPEC.format(function=function, wrt=wrt, extra=extra))
    with pytest.raises(SpecError) as error:
        load_problem(path)
    assert str(error.value) == message


def test_log_softmax_in_the_answer_is_not_taken_for_softmax() -> None:
    # the gradient of x[i] is delta(i, k); written with log_softmax terms that cancel it has no softmax in it
    solution = gradient_solution("x[i]")
    answer = solution.answers["gradient"]
    written = Symbolic("KroneckerDelta(i, k) + log_softmax(x)[k] - log_softmax(x)[k]", "", answer.scope, answer.domain)
    found = [m.id for m in mistakes(solution.problem, Solution(solution.problem, {"gradient": written}))]
    assert "sign_error" in found and "softmax_sign" not in found and "softmax_of_i" not in found


def test_the_jacobian_follows_the_students_own_gradient(tmp_path: Path, grade_answers: Grade) -> None:
    """delta(i, k) + softmax(x)[k] (the sign of the sum's derivative turned), and its Jacobian at x = (1, 2, 0)
    worked out by hand from it: the Jacobian follows; from a gradient that reads no x it would take no work."""
    text = LOG_SOFTMAX.read_text(encoding="utf-8").replace(
        "  indices: [i, k]", "  indices: [i, k]\n  values: {x: [1, 2, 0]}"
    )
    path = tmp_path / "jacobian.yaml"
    path.write_text(
        text.replace("  - {id: gradient, points: 2}", "  - {id: gradient, points: 2}\n  - jacobian"), encoding="utf-8"
    )
    prepared = prepare(solve_paths([path]))
    s = softmax(np.array([1.0, 2.0, 0.0]))
    own = (np.eye(3) + s[None, :]).round(5).tolist()  # row i, column k
    results = grade_answers(prepared, {"gradient": "KroneckerDelta(i, k) + softmax(x)[k]", "jacobian": own})
    assert results["gradient"].verdict == "incorrect"
    assert (results["jacobian"].verdict, results["jacobian"].follow_through) == ("correct", True)
    lazy = grade_answers(prepared, {"gradient": "KroneckerDelta(i, k)", "jacobian": np.eye(3).tolist()})
    assert (lazy["jacobian"].score, lazy["jacobian"].follow_through) == (0, False)
