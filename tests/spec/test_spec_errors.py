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
from hwsolver.spec.reader import read_file

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
        "problem.yaml:14:13: given.momentum: unknown key 'momentum'; expected one of: activation, batch_size, "
        "biases, epochs, frozen, layers, learning_rate, loss, order, runs, shuffle_seed, steps, target, trainable, "
        "weight_decay, weights, x",
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
