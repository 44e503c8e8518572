"""Formulas in answers: the equivalence cache and the required-form check."""

from __future__ import annotations

import pytest

import hwsolver.expr
from hwsolver.expr import Scope, parse
from hwsolver.grading.formulas import Formulas, form_problem, functions_used
from hwsolver.model import Symbolic

X = Scope(variables=("x",))


def test_the_equivalence_cache_is_keyed_by_the_reference_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = hwsolver.expr.equivalent

    def counting(student, reference, scope, **options):  # type: ignore[no-untyped-def]
        calls.append("call")
        return original(student, reference, scope, **options)

    monkeypatch.setattr(hwsolver.expr, "equivalent", counting)
    formulas = Formulas(X)
    student = formulas.parse("2*x")
    assert formulas.equivalent(student, Symbolic("x + x", "")).correct
    assert formulas.equivalent(student, Symbolic("x + x", "")).correct  # same formula, another object: cached
    assert len(calls) == 1
    for _ in range(50):  # an object freed and another made in its place may get its id: never a stale verdict
        assert formulas.equivalent(student, Symbolic("x + x", "")).correct
        assert not formulas.equivalent(student, Symbolic("3*x", "")).correct


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("sigmoid(x)*(1 - sigmoid(x))", {"sigmoid"}),
        ("exp(-x)/(1 + exp(-x))^2 + 0*sigmoid(x)", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 + sigmoid(x)*0", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 + (1 - 1)*sigmoid(x)", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 - 0*tanh(x)/2", {"exp"}),
        ("exp(-x)/(1 + exp(-x))^2 + 0/sigmoid(x)", {"exp"}),
        ("2.718281828459045^(-x)/(1 + 2.718281828^(-x))^2", {"exp"}),
        ("e^(-x)", {"exp"}),
        ("2.7^(-x)", set()),
        ("sigmoid'(x)", {"sigmoid'"}),
    ],
)
def test_functions_used_ignores_vanishing_terms_and_sees_e_written_out(text: str, names: set[str]) -> None:
    assert functions_used(parse(text, X)) == names


def test_form_problem_is_not_fooled() -> None:
    form = {"uses": ["sigmoid"], "avoids": ["exp"]}
    assert form_problem(parse("sigmoid(x)*(1 - sigmoid(x))", X), form) is None
    assert form_problem(parse("exp(-x)/(1 + exp(-x))^2 + 0*sigmoid(x)", X), form) is not None
    assert form_problem(parse("sigmoid(x)*2.718281828459045^(-x)/(1 + 2.718281828459045^(-x))", X), form) is not None
