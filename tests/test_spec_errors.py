"""Every way a problem file can be wrong gets one message naming file, line, column and key path (exit 1)."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.spec import read_file

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


def test_good_spec_solves(write_yaml) -> None:
    code, output = run(write_yaml(GOOD))
    assert code == 0, output
    assert "output before: (0.274)" in output


BAD = [
    (  # YAML syntax error
        GOOD.replace("x: [0.2, 0.3]", "x: [0.2, 0.3"),
        "problem.yaml:11:9: YAML syntax error: did not find expected ',' or ']'",
    ),
    (
        GOOD.replace("  target: 0.5\n", "  target: 0.5\n  target: 0.4\n"),
        "problem.yaml:12:3: given.target: duplicate key 'target'",
    ),
    (
        GOOD.replace("kind: mlp_backprop", "kind: mlp"),
        "problem.yaml:2:7: kind: unknown kind 'mlp'; known kinds: " + ", ".join(sorted(KINDS)),
    ),
    (GOOD.replace("  loss: half_squared_error\n", ""), "problem.yaml:6:3: given: missing key 'loss'"),
    (
        GOOD.replace("  learning_rate: 1\n", "  learning_rate: 1\n  momentum: 0.9\n"),
        "problem.yaml:14:13: given.momentum: unknown key 'momentum'; expected one of: activation, biases, "
        "layers, learning_rate, loss, steps, target, weight_decay, weights, x",
    ),
    (
        GOOD.replace("W2: [[0.5, 0.8]]", "W2: [[0.5, 0.8], [0.1, 0.2]]"),
        "problem.yaml:8:9: given.weights.W2: expected a 1x2 matrix, got 2x2",
    ),
    (
        GOOD.replace("W1: [[0.6, 0.2], [0.1, 0.7]]", "W1: [[0.6, 0.2], [0.1]]"),
        "problem.yaml:7:22: given.weights.W1[1]: ragged matrix: row 2 has 1 entries, row 1 has 2",
    ),
    (
        GOOD.replace("x: [0.2, 0.3]", "x: [0.2, abc]"),
        "problem.yaml:10:12: given.x[1]: expected a number, got 'abc'",
    ),
    (
        GOOD.replace("target: 0.5", "target: .nan"),
        "problem.yaml:11:11: given.target: expected a finite number, got .nan",
    ),
    (
        GOOD.replace("learning_rate: 1", "learning_rate: -.inf"),
        "problem.yaml:13:18: given.learning_rate: expected a finite number, got -.inf",
    ),
    (
        GOOD.replace("id: output_before", "id: hidden_units"),
        "problem.yaml:15:10: parts[0].id: kind mlp_backprop cannot answer part 'hidden_units'; it answers: "
        "forward, output_before, loss_before, errors, gradients, params_after, output_after, loss_after, "
        "loss_decreased, loss_history",
    ),
    (
        GOOD.replace("x: [0.2, 0.3]", "x: &point [0.2, 0.3]"),
        "problem.yaml:10:6: given.x: anchors (&point) are not allowed",
    ),
    (
        GOOD.replace("x: [0.2, 0.3]", "x: [0.2, 0.3]\n  y: *point").replace("target: 0.5", "target: &point 0.5"),
        "problem.yaml:11:6: given.y: aliases (*point) are not allowed",
    ),
    (
        GOOD.replace("target: 0.5", "target: !!python/object/apply:os.system ['ls']"),
        "problem.yaml:11:11: given.target: tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed",
    ),
    (GOOD.replace("activation: relu", "activation: swish"), ""),
    ("", "problem.yaml: empty file"),
    ("# only a comment\n", "problem.yaml: empty file"),
    (GOOD.replace("id: tiny", "id: Tiny_Problem"), ""),
    ("- just\n- a list\n", "problem.yaml:1:1: expected a mapping, got a list of 2"),
    (  # a top-level key is missing: the top level says so, not the file's last key
        GOOD.replace("kind: mlp_backprop\n", ""),
        "problem.yaml:1:1: missing key 'kind'",
    ),
    (  # ... however deep the file's last value was nested
        GOOD.replace("parts:\n  - {id: output_before, points: 1}\n", ""),
        "problem.yaml:1:1: missing key 'parts'",
    ),
    (  # a misspelt key is named as written, with the key it is close to
        GOOD.replace("learning_rate: 1", "learnig_rate: 1"),
        "problem.yaml:13:17: given.learnig_rate: unknown key 'learnig_rate'; did you mean 'learning_rate'?",
    ),
    (
        GOOD.replace("title:", "Title:"),
        "problem.yaml:3:8: Title: unknown key 'Title'; did you mean 'title'?",
    ),
    (  # a tab where YAML wants spaces
        GOOD.replace("  activation: relu", "\tactivation: relu"),
        "problem.yaml:9:1: YAML syntax error: a tab in the indentation; YAML indents with spaces only",
    ),
    (
        GOOD.replace("    W2: [[0.5, 0.8]]", "  \tW2: [[0.5, 0.8]]"),
        "problem.yaml:8:3: YAML syntax error: a tab in the indentation; YAML indents with spaces only",
    ),
    (GOOD + "---\nid: second\n", "problem.yaml:16:1: expected one YAML document, found several"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_spec_message(write_yaml, text: str, message: str) -> None:
    code, output = run(write_yaml(text))
    assert code == 1
    assert output.startswith("Error: ")
    assert "Traceback" not in output
    if message:
        assert output == f"Error: {message}\n"


def test_unknown_activation_lists_the_known_ones(write_yaml) -> None:
    code, output = run(write_yaml(GOOD.replace("activation: relu", "activation: swish")))
    assert code == 1
    assert output == (
        "Error: problem.yaml:9:15: given.activation: unknown value 'swish'; expected one of: "
        "relu, leaky_relu, sigmoid, tanh, identity, softmax\n"
    )


def test_bad_id_message(write_yaml) -> None:
    code, output = run(write_yaml(GOOD.replace("id: tiny", "id: Tiny_Problem")))
    assert code == 1
    assert (
        output == "Error: problem.yaml:1:5: id: id 'Tiny_Problem' must be kebab-case (lowercase words joined by '-')\n"
    )


def test_file_larger_than_a_megabyte(write_yaml) -> None:
    code, output = run(write_yaml(GOOD + "# " + "x" * 1_000_000 + "\n"))
    assert (code, output) == (1, "Error: problem.yaml: file is larger than 1 MB\n")


@pytest.mark.parametrize("padding", [0, 1_000_000])
def test_a_pipe_is_read_to_its_end_and_no_further_than_a_megabyte(tmp_path: Path, padding: int) -> None:
    # a pipe has no size to read up to (0): it is read up to the limit, as a file that grows while being read
    fifo = tmp_path / "problem.yaml"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "w") as out:
            out.write(GOOD + "#" * padding + "\n")

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    if padding:
        with pytest.raises(SpecError, match=r"problem\.yaml: file is larger than 1 MB"):
            read_file(fifo, "problem.yaml")
    else:
        assert read_file(fifo, "problem.yaml").value["id"].value == "tiny"
    writer.join(timeout=10)


def test_binary_file(write_yaml) -> None:
    path = write_yaml("")
    path.write_bytes(b"id: x\n\x00\x01\x02")
    assert run(path) == (1, "Error: problem.yaml: not a text file (binary content)\n")


def test_missing_file(tmp_path: Path) -> None:
    assert run(tmp_path / "nope.yaml") == (1, f"Error: {tmp_path / 'nope.yaml'}: no such file or folder\n")


def test_duplicate_problem_ids(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    code, output = run(tmp_path)
    assert code == 1
    assert output.endswith("b.yaml: id 'tiny' is also the id of " + str(tmp_path / "a.yaml") + "\n") or (
        "id 'tiny' is also the id of" in output
    )


def test_deep_nesting_is_refused(write_yaml) -> None:
    code, output = run(write_yaml(GOOD.replace("target: 0.5", "target: " + "[" * 40 + "]" * 40)))
    assert code == 1
    assert "nested deeper than 32 levels" in output


def test_batch_target_count_must_match(write_yaml) -> None:
    text = GOOD.replace("x: [0.2, 0.3]", "x: [[0.2, 0.3], [0.1, 0.1]]").replace("target: 0.5", "target: [0.5]")
    code, output = run(write_yaml(text))
    assert code == 1
    assert output == "Error: problem.yaml:11:11: given.target: expected 2 targets (one per input), got 1\n"


def test_usage_error_is_exit_2() -> None:
    result = CliRunner().invoke(cli, ["solve", "--format", "xml"])
    assert result.exit_code == 2


SUBMISSION_ERRORS = [
    ("answers:\n  tiny:\n    output_before: 0.274\n", "sub.yaml:1:1: missing key 'student'"),
    ("studnet: PB1\nanswers: {}\n", "sub.yaml:1:10: studnet: unknown key 'studnet'; did you mean 'student'?"),
    (
        "student: PB1\nanwsers:\n  tiny: {output_before: 1}\n",
        "sub.yaml:3:3: anwsers: unknown key 'anwsers'; did you mean 'answers'?",
    ),
    (
        "student: PB1\nanswers:\n\ttiny:\n    output_before: 1\n",
        "sub.yaml:3:1: YAML syntax error: a tab in the indentation; YAML indents with spaces only",
    ),
]


@pytest.mark.parametrize(("text", "message"), SUBMISSION_ERRORS)
def test_submission_key_messages(write_yaml, text: str, message: str) -> None:
    from hwsolver.grading.submission import read_submission

    with pytest.raises(SpecError) as error:
        read_submission(write_yaml(text, "sub.yaml"), {"tiny": ("output_before",)})
    assert str(error.value) == message


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
    "abs, exp, Heaviside, KroneckerDelta, log, log_softmax, Max, Min, relu, sigmoid, softmax, softplus, sqrt, tanh"
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
    from hwsolver.problems import load_problem

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
