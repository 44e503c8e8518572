"""op_count: each convention's formulas equal a real counted backprop step, and the course's answer."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, sympify

from hwsolver.cli import cli
from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.compute.opcount.conventions import CONVENTIONS, SWITCHES
from hwsolver.compute.opcount.instrumented import count_step, loss_value, random_network, train_step
from hwsolver.compute.opcount.table import L, layer_count, leading_term, n, operations, total
from hwsolver.expr import Scope, parse, to_sympy

ROOT = Path(__file__).resolve().parents[3]
SIZES = [(width, layers) for width in range(1, 7) for layers in range(1, 6)]


def assert_table_counts_run(convention, loss: str, width: int, layers: int) -> None:
    rows = operations(convention, loss)
    step = count_step(width, layers, convention, loss)
    for phase, per_layer in (("forward", step.forward), ("backward", step.backward)):
        for what in ("mults", "adds"):
            counted = [getattr(counts, what) for counts in per_layer]
            formulas = [layer_count(rows, phase, what, i, layers).subs(n, width) for i in range(1, layers + 1)]
            assert formulas == counted, (convention.name, loss, phase, what, width, layers)
            assert total(rows, phase, what).subs({n: width, L: layers}) == sum(counted)


@pytest.mark.parametrize("name", CONVENTIONS)
@pytest.mark.parametrize("loss", SQUARED_LOSSES)
def test_every_convention_equals_the_counted_run(name: str, loss: str) -> None:
    for width, layers in SIZES:
        assert_table_counts_run(CONVENTIONS[name], loss, width, layers)


@settings(max_examples=60, deadline=None)
@given(
    switches=st.fixed_dictionaries({key: st.booleans() for key in SWITCHES}),
    loss=st.sampled_from(SQUARED_LOSSES),
    width=st.integers(1, 5),
    layers=st.integers(1, 4),
)
def test_any_switch_combination_equals_the_counted_run(switches, loss, width, layers) -> None:
    convention = CONVENTIONS["course"].with_overrides(switches)
    assert_table_counts_run(convention, loss, width, layers)


def totals(name: str, loss: str = "mean_squared_error") -> dict[str, object]:
    rows = operations(CONVENTIONS[name], loss)
    return {f"{p}_{w}": total(rows, p, w) for p in ("forward", "backward") for w in ("mults", "adds")}


def test_course_totals_are_the_reference_answer() -> None:
    assert totals("course") == {
        "forward_mults": L * n**2,
        "forward_adds": L * n**2,
        "backward_mults": 3 * L * n**2 + 2 * L * n,
        "backward_adds": 2 * L * n**2,
    }


@pytest.mark.parametrize(
    ("loss", "scale"), [("half_squared_error", 0), ("squared_error", 1), ("mean_squared_error", 1)]
)
def test_strict_totals(loss: str, scale: int) -> None:
    expected = {
        "forward_mults": L * n**2 + L * n,
        "forward_adds": L * n**2 + L * n,
        "backward_mults": (3 * L - 1) * n**2 + 3 * L * n + scale * n,
        "backward_adds": (2 * L - 1) * n**2 + L * n + 2 * n,
    }
    assert totals("strict", loss) == {key: value.expand() for key, value in expected.items()}


def test_flops_is_what_pytorch_reports() -> None:
    # torch.utils.flop_counter, Linear layers, batch 1: 2 n^2 per forward mm; 2 n^2 each for grad_input (not
    # in the first layer) and grad_weight; bias, sigmoid, loss and the optimizer step are not counted.
    counts = totals("flops")
    assert counts["forward_mults"] + counts["forward_adds"] == 2 * L * n**2
    assert (counts["backward_mults"] + counts["backward_adds"]).expand() == 4 * L * n**2 - 2 * n**2
    assert counts["forward_mults"] == counts["forward_adds"]
    assert counts["backward_mults"] == counts["backward_adds"]


def test_leading_term() -> None:
    assert leading_term(3 * L * n**2 + 3 * L * n - n**2 + n) == 3 * L * n**2
    assert leading_term(Integer(0)) == 0


@pytest.mark.parametrize("loss", SQUARED_LOSSES)
@pytest.mark.parametrize(("width", "layers"), [(1, 1), (2, 3), (3, 2), (4, 4)])
def test_counted_run_is_real_backprop(loss: str, width: int, layers: int) -> None:
    weights, biases, x, y = random_network(width, layers, seed=7)
    h = 1e-6
    for name, convention in CONVENTIONS.items():
        step = train_step(weights, biases, x, y, loss=loss, learning_rate=0.5, convention=convention)
        for layer in range(layers):
            for i in range(width):
                for j in range(width):
                    plus, minus = (
                        [[row[:] for row in w] for w in weights],
                        [[row[:] for row in w] for w in weights],
                    )
                    plus[layer][i][j] += h
                    minus[layer][i][j] -= h
                    slope = (loss_value(plus, biases, x, y, loss) - loss_value(minus, biases, x, y, loss)) / (2 * h)
                    assert step.grad_w[layer][i][j] == pytest.approx(slope, rel=1e-6, abs=1e-9), name
                    expected = weights[layer][i][j] - 0.5 * step.grad_w[layer][i][j]
                    assert step.weights_after[layer][i][j] == pytest.approx(expected, rel=1e-12)
                bumped = [b[:] for b in biases]
                bumped[layer][i] += h
                lowered = [b[:] for b in biases]
                lowered[layer][i] -= h
                slope = (loss_value(weights, bumped, x, y, loss) - loss_value(weights, lowered, x, y, loss)) / (2 * h)
                assert step.grad_b[layer][i] == pytest.approx(slope, rel=1e-6, abs=1e-9), name


# -- the kind: built-in problem, CLI round trip, spec errors ------------------------------------------------

REFERENCE = {
    "forward_mults_per_layer": "n**2",
    "forward_adds_per_layer": "n**2",
    "backward_mults_per_layer": "3*n**2 + 2*n",
    "backward_adds_per_layer": "2*n**2",
    "forward_mults_total": "L*n**2",
    "forward_adds_total": "L*n**2",
    "backward_mults_total": "3*L*n**2 + 2*L*n",
    "backward_adds_total": "2*L*n**2",
}


def solve_json(path: Path | str) -> dict:
    result = CliRunner().invoke(cli, ["solve", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["problems"][0]["answers"]


def same(expr: str, expected: str) -> bool:
    return sympify(expr) == sympify(expected)


def test_builtin_problem_gives_the_course_answer() -> None:
    answers = solve_json(ROOT / "problems" / "mlp-op-count.yaml")
    for part, expected in REFERENCE.items():
        assert set(answers[part]) == {"expr", "latex"} and answers[part]["latex"], part
        assert same(answers[part]["expr"], expected), part
    assert same(answers["leading_order"]["forward"]["expr"], "L*n**2")
    assert same(answers["leading_order"]["backward"]["expr"], "3*L*n**2")


def test_answers_parse_back_in_the_expression_language() -> None:
    answers = solve_json(ROOT / "problems" / "mlp-op-count.yaml")
    scope = Scope(variables=("n", "L"))
    for part, expected in REFERENCE.items():
        parsed = to_sympy(parse(answers[part]["expr"], scope))
        reference = sympify(expected)
        for point in ({"n": 3, "L": 2}, {"n": 5, "L": 7}):
            at = {s: point[s.name] for s in parsed.free_symbols | reference.free_symbols}
            assert parsed.subs(at) == reference.subs(at), part


def test_builtin_problem_text() -> None:
    path = str(ROOT / "problems" / "mlp-op-count.yaml")
    answers = solve_json(path)
    result = CliRunner().invoke(cli, ["solve", path])
    assert result.exit_code == 0, result.output
    mults, adds = answers["backward_mults_total"]["expr"], answers["backward_adds_total"]["expr"]
    assert f"backward, total:      {mults} mults, {adds} adds" in result.output


PROBLEM = """\
id: count
kind: op_count
title: {{en: Count}}
statement: {{en: Count them.}}
given:
{given}
parts: [forward_mults_total, backward_mults_total]
"""
GIVEN = {
    "layers": "L",
    "width": "n",
    "activation": "sigmoid",
    "loss": "mean_squared_error",
    "convention": "strict",
}


SYMBOL_ERROR = "problem.yaml:7:10: given.width: expected a positive integer or a one-letter symbol such as n, got "


def problem(overrides: str | None = None, **changes: str | None) -> str:
    fields = {**GIVEN, **changes, "overrides": overrides}
    return PROBLEM.format(given="\n".join(f"  {k}: {v}" for k, v in fields.items() if v is not None))


def test_integer_sizes_give_numbers(write_yaml) -> None:
    answers = solve_json(write_yaml(problem(layers="3", width="4")))
    # strict, mse: forward L(n^2 + n) = 60; backward (3L-1)n^2 + 3Ln + n = 128 + 36 + 4
    assert answers["forward_mults_total"] == {"expr": "60", "latex": "60"}
    assert same(answers["backward_mults_total"]["expr"], "168")


def test_other_symbols_and_overrides(write_yaml) -> None:
    text = problem(layers="K", width="m", convention="course", overrides="{count_activation: true}")
    answers = solve_json(write_yaml(text))
    assert same(answers["forward_mults_total"]["expr"], "K*m**2 + K*m")
    assert same(answers["backward_mults_total"]["expr"], "3*K*m**2 + 2*K*m")


@pytest.mark.parametrize(
    ("changes", "overrides", "message"),
    [
        (
            {"convention": "textbook"},
            None,
            "problem.yaml:10:15: given.convention: unknown convention 'textbook'; "
            "known conventions: course, strict, flops",
        ),
        (
            {},
            "{count_sigmoid: true}",
            "problem.yaml:11:30: given.overrides.count_sigmoid: unknown switch 'count_sigmoid'; "
            "known switches: " + ", ".join(SWITCHES),
        ),
        (
            {},
            "{count_update: maybe}",
            "problem.yaml:11:29: given.overrides.count_update: expected true or false, got 'maybe'",
        ),
        ({"width": "0"}, None, "problem.yaml:7:10: given.width: expected an integer >= 1, got 0"),
        ({"width": "2.5"}, None, "problem.yaml:7:10: given.width: expected an integer, got 2.5"),
        (
            {"width": "nn"},
            None,
            SYMBOL_ERROR + "'nn'",
        ),
        (
            {"width": "e"},
            None,
            SYMBOL_ERROR + "'e'",
        ),
        (
            {"width": "L"},
            None,
            "problem.yaml:7:10: given.width: width and layers must be different symbols, both are 'L'",
        ),
        (
            {"activation": "relu"},
            None,
            "problem.yaml:8:15: given.activation: unknown value 'relu'; expected one of: sigmoid",
        ),
        ({"width": None}, None, "problem.yaml:6:3: given: missing key 'width'"),
    ],
)
def test_spec_errors(write_yaml, changes: dict, overrides: str | None, message: str) -> None:
    result = CliRunner().invoke(cli, ["solve", str(write_yaml(problem(overrides, **changes)))])
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"


def test_conventions_are_enumerable_data() -> None:
    for name, convention in CONVENTIONS.items():
        assert convention.name == name and convention.summary
        assert set(convention.switches()) == set(SWITCHES)
        assert all(isinstance(value, bool) for value in convention.switches().values())
    changed = replace(CONVENTIONS["course"], name="x").with_overrides({"count_update": False})
    assert changed.name == "x (count_update=false)" and not changed.count_update
