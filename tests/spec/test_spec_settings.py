"""Settings checked once the YAML is read: grading options in range, `form` names and the problem's own answer in
its form, and numbers so large that an answer overflows; each a one-line message naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli

GOOD = """\
id: tiny
kind: mlp_backprop
title: {en: Tiny}
statement: {en: One step.}
given:
  weights:
    W1: [[0.6, 0.2], [0.1, 0.7]]
    W2: [[0.5, 0.8]]
  activation: relu
  x: [0.2, 0.3]
  target: 0.5
  loss: half_squared_error
  learning_rate: 1
parts:
  - {id: output_before, points: 1}
"""


def run(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["solve", str(path)])
    return result.exit_code, result.output


DERIVATIVE = """\
id: sig
kind: derivative
title: {en: Sigmoid}
statement: {en: Differentiate.}
given:
  function: 1/(1 + exp(-x))
  variable: x
  orders: [1]
  rewrite: sigmoid
parts:
  - {id: d1, form: {uses: [sigmoid], avoids: [exp]}}
"""
KNOWN_FUNCTIONS = (
    "abs, cos, cosh, coth, csch, exp, Heaviside, KroneckerDelta, log, log_softmax, Max, Min, relu, sech, sigmoid, "
    "sin, sinh, softmax, softplus, sqrt, tan, tanh"
)
FORM_ERRORS = [
    (
        DERIVATIVE.replace("uses: [sigmoid]", "uses: [sigmod]"),
        "problem.yaml:11:28: parts[0].form.uses[0]: unknown function 'sigmod'; did you mean 'sigmoid'? "
        f"known functions: {KNOWN_FUNCTIONS}",
    ),
    (
        DERIVATIVE.replace("avoids: [exp]", "avoids: [exp, arctan]"),
        f"problem.yaml:11:52: parts[0].form.avoids[1]: unknown function 'arctan'; known functions: {KNOWN_FUNCTIONS}",
    ),
    (  # the problem's own answer must pass its form
        DERIVATIVE.replace("uses: [sigmoid]", "uses: [tanh]"),
        "problem.yaml:11:20: parts[0].form: the answer to part 'd1', sigmoid(x)*(1 - sigmoid(x)), does not use "
        "tanh, so right answers would lose credit",
    ),
    (
        DERIVATIVE.replace("  rewrite: sigmoid\n", "")
        .replace("parts:", "grading: {form: {uses: [sigmoid]}}\nparts:")
        .replace("{id: d1, form: {uses: [sigmoid], avoids: [exp]}}", "d1"),
        "problem.yaml:9:17: grading.form: the answer to part 'd1', exp(x)/(1 + exp(x))^2, does not use "
        "sigmoid, so right answers would lose credit",
    ),
    (
        DERIVATIVE.replace("avoids: [exp]", "avoids: [sigmoid]"),
        "problem.yaml:11:20: parts[0].form: the answer to part 'd1', sigmoid(x)*(1 - sigmoid(x)), uses sigmoid, "
        "so right answers would lose credit",
    ),
    (
        GOOD.replace("{id: output_before, points: 1}", "{id: output_before, form: {uses: [exp]}}"),
        "problem.yaml:15:31: parts[0].form: part 'output_before' is answered by values, not a formula: no form applies",
    ),
]


@pytest.mark.parametrize(("text", "message"), FORM_ERRORS)
def test_form_messages(write_yaml, text: str, message: str) -> None:
    assert run(write_yaml(text)) == (1, f"Error: {message}\n")


@pytest.mark.parametrize("spelling", ["sigmoid", "σ", "sigma"])
def test_form_names_read_as_the_expression_language_reads_them(write_yaml, spelling: str) -> None:
    from hwsolver.spec.problems import load_problem

    problem = load_problem(write_yaml(DERIVATIVE.replace("uses: [sigmoid]", f"uses: [{spelling}]")))
    assert dict(problem.parts[0].options["form"]) == {"uses": ("sigmoid",), "avoids": ("exp",)}


GRADING_ERRORS = [
    (
        "rtol: 1e300",
        "problem.yaml:14:17: grading.rtol: expected a relative tolerance from 0 to below 1 (0.01 is 1%), got 1e300",
    ),
    (
        "rtol: 1",
        "problem.yaml:14:17: grading.rtol: expected a relative tolerance from 0 to below 1 (0.01 is 1%), got 1",
    ),
    (
        "rtol: -0.01",
        "problem.yaml:14:17: grading.rtol: expected a relative tolerance from 0 to below 1 (0.01 is 1%), got -0.01",
    ),
    ("atol: -1e-3", "problem.yaml:14:17: grading.atol: expected an absolute tolerance >= 0, got -1e-3"),
    (
        "sigfigs: 18",
        "problem.yaml:14:20: grading.sigfigs: expected a whole number of significant figures from 1 to 17, got 18",
    ),
    (
        "sigfigs: 0",
        "problem.yaml:14:20: grading.sigfigs: expected a whole number of significant figures from 1 to 17, got 0",
    ),
    (
        "sigfigs: 2.5",
        "problem.yaml:14:20: grading.sigfigs: expected a whole number of significant figures from 1 to 17, got 2.5",
    ),
    ("form_credit: 2", "problem.yaml:14:24: grading.form_credit: expected a share of the points from 0 to 1, got 2"),
    (
        "follow_through: -1",
        "problem.yaml:14:27: grading.follow_through: expected a share of the points from 0 to 1, got -1",
    ),
    ("partial: maybe", "problem.yaml:14:20: grading.partial: expected true or false, got 'maybe'"),
    ("rtl: 0.01", "problem.yaml:14:16: grading.rtl: unknown key 'rtl'; did you mean 'rtol'?"),
    ("sigfig: 3", "problem.yaml:14:19: grading.sigfig: unknown key 'sigfig'; did you mean 'sigfigs'?"),
]


@pytest.mark.parametrize(("setting", "message"), GRADING_ERRORS)
def test_out_of_range_grading_settings(write_yaml, setting: str, message: str) -> None:
    text = GOOD.replace("parts:", f"grading: {{{setting}}}\nparts:")
    assert run(write_yaml(text)) == (1, f"Error: {message}\n")


def test_out_of_range_part_settings(write_yaml) -> None:
    text = GOOD.replace("{id: output_before, points: 1}", "{id: output_before, points: 1, sigfigs: 40}")
    assert run(write_yaml(text)) == (
        1,
        "Error: problem.yaml:15:45: parts[0].sigfigs: expected a whole number of significant figures from 1 to 17, "
        "got 40\n",
    )
    text = GOOD.replace("{id: output_before, points: 1}", "{id: output_before, pionts: 1}")
    assert run(write_yaml(text)) == (
        1,
        "Error: problem.yaml:15:33: parts[0].pionts: unknown key 'pionts'; did you mean 'points'?\n",
    )


CONV = """\
id: conv
kind: conv_backprop
title: {en: Conv}
statement: {en: Backprop.}
given:
  z_prev: [[0.5, -0.2, 0.3], [0.2, 0.4, -0.1], [-0.3, 0.1, 0.2]]
  activation: relu
  kernel: [[0.5, -1], [1, 0.5]]
  upstream: [[0.1, -0.2], [0.2, 0.1]]
parts: [delta_prev]
"""
OVERFLOWS = [
    (
        GOOD.replace("learning_rate: 1", "learning_rate: 1e300"),
        "problem.yaml:13:18: given.learning_rate: 1e300 is too large: the answer output_after[0] overflows "
        "(exceeds 1e300)",
    ),
    (
        GOOD.replace("learning_rate: 1", "learning_rate: 1\n  weight_decay: 1e300"),
        "problem.yaml:14:17: given.weight_decay: 1e300 is too large: the answer loss_after overflows (exceeds 1e300)",
    ),
    (
        GOOD.replace("W2: [[0.5, 0.8]]", "W2: [[0.5, 1e300]]"),
        "problem.yaml:8:16: given.weights.W2[0][1]: 1e300 is too large: the answer loss_before overflows "
        "(exceeds 1e300)",
    ),
    (  # sigmoid saturates, but z of the second layer is 1e300 * (sigmoid(z1) + sigmoid(z2))
        GOOD.replace("0.6, 0.2], [0.1, 0.7", "1e300, 1e300], [1e300, 1e300")
        .replace("0.5, 0.8", "1e300, 1e300")
        .replace("relu", "sigmoid"),
        "problem.yaml:7:11: given.weights.W1[0][0]: 1e300 is too large: the answer forward[1].z[0] overflows "
        "(exceeds 1e300)",
    ),
    (
        CONV.replace("kernel: [[0.5", "kernel: [[9e300").replace("upstream: [[0.1", "upstream: [[0.5"),
        "problem.yaml:8:13: given.kernel[0][0]: 9e300 is too large: the answer output[0][0] overflows (exceeds 1e300)",
    ),
]


@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize(("text", "message"), OVERFLOWS)
def test_numbers_too_large_are_named(write_yaml, text: str, message: str, exact: bool) -> None:
    path = write_yaml(text)
    result = CliRunner().invoke(cli, ["solve", str(path), *([] if exact else ["--float"])])
    assert (result.exit_code, result.output) == (1, f"Error: {message}\n")


def test_weights_too_large_to_square_need_no_weight_decay(write_yaml) -> None:
    """Sigmoid saturates at z = 1e300 * a: the answers are finite, and the float path must not square 1e300."""
    path = write_yaml(GOOD.replace("W2: [[0.5, 0.8]]", "W2: [[0.5, 1e300]]").replace("relu", "sigmoid"))
    code, output = run(path)
    assert code == 0, output
    assert "loss before:   0.125\n" in output  # sigmoid(1e300 * 0.5...) = 1, (1 - 0.5)^2 / 2
