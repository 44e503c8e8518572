"""Per-entry credit, figures, shapes and parameter names, graded end to end from the YAML a student writes: the
share each wrong entry costs (worked out by hand in each test), and feedback naming the entries where the
problem counts them."""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.grading.tally import _remembered as remembered_displays
from hwsolver.solving import solve_paths

PROBLEMS = Path(__file__).resolve().parents[2] / "problems"


@pytest.fixture(scope="module")
def builtin() -> dict[str, list[PreparedProblem]]:
    return {p.problem.id: [p] for p in prepare(solve_paths())}


def grade(tmp_path: Path, prepared: list[PreparedProblem], answers: str, options: str = "") -> dict[str, PartResult]:
    """The parts a student answered, graded from their YAML (`answers`: the lines under the problem id)."""
    problem_id = prepared[0].problem.id
    if options:  # the same problem with grading options set: `options` is its `grading:` block
        source = Path(prepared[0].problem.source).read_text(encoding="utf-8")
        (tmp_path / "p.yaml").write_text(source + "grading:\n" + textwrap.indent(options, "  "), encoding="utf-8")
        prepared = prepare(solve_paths([tmp_path / "p.yaml"]))
    text = f"student: PB21000001\nanswers:\n  {problem_id}:\n" + textwrap.indent(textwrap.dedent(answers), "    ")
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    result = grade_file(str(tmp_path / "s.yaml"), prepared)
    assert result.error is None, result.error
    return {part.id: part for p in result.problems for part in p.parts if part.verdict != "missing"}


def outcome(part: PartResult) -> tuple[str, Fraction | int, str | None, str]:
    return part.verdict, part.score, part.mistake, part.feedback


RELU = "relu-network-update"
RIGHT_PARAMS = "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n  W2: [[0.54068, 0.85198]]"


def test_one_wrong_weight_costs_its_share_of_its_parameter(tmp_path: Path, builtin: dict) -> None:
    parts = grade(
        tmp_path,
        builtin[RELU],
        """\
        gradients:
          W1: [[-0.0226, -0.0339], [-0.0362, -0.0542]]
          W2: [[-0.0407, -0.0520]]
        params_after:
          W1: [[0.6226, 0.2339], [0.1362, 0.7542]]
          W2: [[0.5407, 0.9]]
        """,
    )
    # gradients (2 points): 3 decimals written for -0.03616 is its rounding to 3 figures; all right
    assert outcome(parts["gradients"]) == ("correct", 2, None, "")
    # params_after (3 points): W1 right (1/2), W2 half right (1/4): 3/4 of 3
    assert outcome(parts["params_after"]) == (
        "partial",
        Fraction(9, 4),
        None,
        "1 of 6 entries wrong, counting from 1: W2[1,2] (expected 0.85198)",
    )


def test_a_missing_parameter_is_a_wrong_one(tmp_path: Path, builtin: dict) -> None:
    parts = grade(tmp_path, builtin[RELU], "params_after:\n  W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n")
    assert outcome(parts["params_after"]) == ("partial", Fraction(3, 2), None, "W2 missing")


def test_parameter_names_are_read_ignoring_case_and_decoration(tmp_path: Path, builtin: dict) -> None:
    written = "params_after:\n  w1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n  W^{(2)}: [[0.54068, 0.85198]]\n"
    assert outcome(grade(tmp_path, builtin[RELU], written)["params_after"]) == ("correct", 3, None, "")
    twice = grade(tmp_path, builtin[RELU], f"params_after:\n  {RIGHT_PARAMS}\n  w_1: [[0.6, 0.2], [0.1, 0.7]]\n")
    part = twice["params_after"]
    assert part.verdict == "invalid"
    assert part.feedback.endswith("W1 is given twice (as W1 and w_1)")


@pytest.mark.parametrize(
    "output_before", ["0.274", "[0.274]", "[[0.274]]", "\n    - 0.274", "137/500", "0.2740", "2.74e-1"]
)
def test_a_one_element_vector_in_every_spelling(tmp_path: Path, builtin: dict, output_before: str) -> None:
    parts = grade(tmp_path, builtin[RELU], f"output_before: {output_before}\n")
    assert outcome(parts["output_before"]) == ("correct", 1, None, "")


def test_a_one_row_matrix_as_a_flat_list_or_a_column_and_a_matrix_row_by_row(tmp_path: Path, builtin: dict) -> None:
    flat = grade(
        tmp_path,
        builtin[RELU],
        "params_after:\n  W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n  W2: [0.54068, 0.85198]\n",
    )
    assert outcome(flat["params_after"]) == ("correct", 3, None, "")
    column = grade(
        tmp_path,
        builtin[RELU],
        "gradients:\n  W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]\n  W2: [[-0.04068], [-0.05198]]\n",
    )
    assert outcome(column["gradients"]) == ("correct", 2, None, "")  # one row of two: not in doubt
    rows = grade(
        tmp_path, builtin[RELU], "params_after:\n  W1: [0.6226, 0.2339, 0.13616, 0.75424]\n  W2: [[0.54068, 0.85198]]\n"
    )
    assert outcome(rows["params_after"]) == ("correct", 3, None, "")
    columns = grade(
        tmp_path, builtin[RELU], "params_after:\n  W1: [0.6226, 0.13616, 0.2339, 0.75424]\n  W2: [[0.54068, 0.85198]]\n"
    )
    assert outcome(columns["params_after"]) == (
        "partial",
        Fraction(9, 4),  # W1 column by column: its transpose (1/2 of 1/2), W2 right (1/2), of 3 points
        "transposed",
        "W1 is transposed: expected a 2x2 matrix, got its transpose",
    )


@pytest.mark.parametrize(
    ("loss_before", "expected"),
    [
        ("0.0255", ("correct", 1, None, "")),  # rounded, and truncated, to 3 figures
        ("0.02553", ("correct", 1, None, "")),  # truncated to 4
        (
            "0.026",
            (
                "partial",
                Fraction(1, 2),
                "rounded_too_coarsely",
                "rounded too coarsely: expected 0.025538, to at least 3 significant figures",
            ),
        ),
        ("0.0254", ("incorrect", 0, None, "expected 0.025538")),
    ],
)
def test_truncation_and_coarse_rounding(tmp_path: Path, builtin: dict, loss_before: str, expected: tuple) -> None:
    assert outcome(grade(tmp_path, builtin[RELU], f"loss_before: {loss_before}\n")["loss_before"]) == expected


def test_figures_are_counted_as_written_entry_by_entry(tmp_path: Path, builtin: dict) -> None:
    """0.540 is 0.54068 truncated to 3 figures; 0.54 is two figures: rounded too coarsely, that entry only."""
    answers = "params_after:\n  W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n  W2: [[{w}, 0.852]]\n"
    assert outcome(grade(tmp_path, builtin[RELU], answers.format(w="0.540"))["params_after"]) == (
        "correct",
        3,
        None,
        "",
    )
    coarse = grade(tmp_path, builtin[RELU], answers.format(w="0.54"))["params_after"]
    assert outcome(coarse) == (
        "partial",
        Fraction(21, 8),  # W1 (1/2) + W2: one entry right, one worth 1/2 (3/8): 7/8 of 3
        "rounded_too_coarsely",
        "1 of 6 entries wrong, counting from 1: W2[1,1] (rounded too coarsely: expected 0.54068, "
        "to at least 3 significant figures)",
    )


def test_the_credits_of_named_slips_are_grading_options(tmp_path: Path, builtin: dict) -> None:
    parts = grade(
        tmp_path,
        builtin[RELU],
        "loss_before: 0.026\ngradients:\n  W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]\n"
        "  W2: [-0.04068, -0.05198]\n",
        options="coarse_credit: 0\ntransposed_credit: 1/4\n",
    )
    assert outcome(parts["loss_before"])[:3] == ("incorrect", 0, "rounded_too_coarsely")
    assert outcome(parts["gradients"]) == ("correct", 2, None, "")  # a flat list is no transpose
    transposed = grade(
        tmp_path,
        builtin[RELU],
        "gradients:\n  W1: [[-0.0226, -0.03616], [-0.0339, -0.05424]]\n  W2: [[-0.04068, -0.05198]]\n",
        options="transposed_credit: 1/4\n",
    )["gradients"]
    assert outcome(transposed)[:3] == ("partial", Fraction(5, 4), "transposed")  # (1/4 + 1)/2 of 2 points


def test_partial_false_turns_per_entry_credit_off(tmp_path: Path, builtin: dict) -> None:
    answers = "params_after:\n  W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n  W2: [[0.54068, {w}]]\n"
    off = "partial: false\n"
    assert outcome(grade(tmp_path, builtin[RELU], answers.format(w="0.9"), off)["params_after"])[:2] == (
        "incorrect",
        0,
    )
    coarse = grade(tmp_path, builtin[RELU], answers.format(w="0.85"), off)["params_after"]
    assert outcome(coarse)[:3] == ("partial", Fraction(3, 2), "rounded_too_coarsely")  # the slip's credit only


CONV = "conv-backprop"


def test_array_entries_are_named_counting_from_zero(tmp_path: Path, builtin: dict) -> None:
    parts = grade(
        tmp_path,
        builtin[CONV],
        """\
        delta_prev:
          - [0.5, 0, 0.35, -0.3]
          - [0.2, -0.3, 0, 0.25]
          - [0, 0.6, -0.2, -0.15]
          - [-0.3, 0, 0.2, -0.05]
        grad_kernel: [[0.26, -0.17], [0.05, 0.28]]
        """,
    )
    assert outcome(parts["delta_prev"]) == (
        "partial",
        Fraction(7, 4),  # 14 of 16 entries, of 2 points
        None,
        "2 of 16 entries wrong, counting from 0: [0,0] (expected 0.05), [3,3] (expected 0.05)",
    )
    assert outcome(parts["grad_kernel"]) == (
        "partial",
        1,
        "transposed",
        "this matrix is transposed: expected a 2x2 matrix, got its transpose",
    )


POOL = "pooling-backprop"


@pytest.mark.parametrize(
    "argmax",
    [
        "[[1, 0], [1, 3], [2, 1], [2, 2]]",  # one pair per window, windows in row-major order
        "[[[1, 0], [1, 3]], [[2, 1], [2, 2]]]",  # per window, as hwsolver prints them
        "\n  - [1, 0]\n  - [1, 3]\n  - [2, 1]\n  - [2, 2]",
    ],
)
def test_positions_as_pairs_or_per_window(tmp_path: Path, builtin: dict, argmax: str) -> None:
    assert outcome(grade(tmp_path, builtin[POOL], f"argmax: {argmax}\n")["argmax"]) == ("correct", 1, None, "")


@pytest.mark.parametrize("argmax", ["[[1, 0], [0, 3], [2, 1], [2, 2]]", "[[[1, 0], [0, 3]], [[2, 1], [2, 2]]]"])
def test_a_wrong_position_costs_its_window(tmp_path: Path, builtin: dict, argmax: str) -> None:
    assert outcome(grade(tmp_path, builtin[POOL], f"argmax: {argmax}\n")["argmax"]) == (
        "partial",
        Fraction(3, 4),
        None,
        "1 of 4 positions wrong, counting from 0: window [0,1] (expected [1, 3])",
    )


def test_a_yes_no_part_leaves_no_yes_in_another_students_positions(tmp_path: Path, builtin: dict) -> None:
    remembered_displays.cache_clear()  # (floats are not remembered: made each time)
    assert grade(tmp_path, builtin[RELU], "loss_decreased: no\n")["loss_decreased"].feedback == "expected yes"
    part = grade(tmp_path, builtin[POOL], "argmax: [[1, 1], [1, 3], [2, 1], [2, 2]]\n")["argmax"]
    assert part.feedback == "1 of 4 positions wrong, counting from 0: window [0,0] (expected [1, 0])"


# A linear 2-3-2 network, worked by hand: z1 = W1 x = (-0.5, 1.75, 1) = a1, z2 = W2 a1 = (0.125, 0) = a2;
# e2 = a2 - y = (-0.875, 0), e1 = W2^T e2 = (-0.4375, -0.4375, 0.4375).
TWO_OUTPUTS = """\
id: two-outputs
kind: mlp_backprop
title: Two outputs
statement: One step of a linear 2-3-2 network.
given:
  weights:
    W1: [[0.5, -0.5], [0.25, 0.75], [1, 0]]
    W2: [[0.5, 0.5, -0.5], [1, 0, 0.5]]
  activation: identity
  x: [1, 2]
  target: [1, 0]
  loss: half_squared_error
  learning_rate: 0.5
parts: [output_before, errors, forward]
"""


@pytest.fixture(scope="module")
def two_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[PreparedProblem]:
    path = tmp_path_factory.mktemp("two") / "two-outputs.yaml"
    path.write_text(TWO_OUTPUTS, encoding="utf-8")
    return prepare(solve_paths([path]))


@pytest.mark.parametrize("output_before", ["[0.125, 0]", "[[0.125, 0]]", "[[0.125], [0]]", "\n  - [0.125]\n  - [0]"])
def test_a_vector_as_a_row_or_a_column(tmp_path: Path, two_outputs: list, output_before: str) -> None:
    parts = grade(tmp_path, two_outputs, f"output_before: {output_before}\n")
    assert outcome(parts["output_before"]) == ("correct", 1, None, "")


def test_a_vector_of_the_wrong_length_earns_nothing(tmp_path: Path, two_outputs: list) -> None:
    parts = grade(tmp_path, two_outputs, "output_before: [0.125]\n")
    assert outcome(parts["output_before"]) == ("incorrect", 0, None, "expected 2 entries, got 1 entry")


def test_error_terms_per_layer_then_per_entry(tmp_path: Path, two_outputs: list) -> None:
    parts = grade(tmp_path, two_outputs, "errors: [[-0.4375, 0.4375, 0.4375], [-0.875, 0]]\n")
    assert outcome(parts["errors"]) == (
        "partial",
        Fraction(5, 6),  # layer 1: 2 of 3 entries, layer 2 right: (2/3 + 1) / 2
        None,
        "1 of 5 entries wrong, counting from 1: item 1[2] (expected -0.4375)",
    )


def test_the_forward_pass_per_layer_then_per_value(tmp_path: Path, two_outputs: list) -> None:
    parts = grade(
        tmp_path,
        two_outputs,
        """\
        forward:
          - {Z: [-0.5, 1.75, 1], A: [-0.5, 1.75, 1]}
          - {Z: [0.125, 0.5], A: [0.125, 0]}
        """,
    )
    assert outcome(parts["forward"]) == (
        "partial",
        Fraction(7, 8),  # layer 2: z half right, a right: 3/4; with layer 1 right: 7/8
        None,
        "1 of 10 entries wrong, counting from 1: item 2 z[2] (expected 0)",
    )


def test_the_readme_example_is_right(tmp_path: Path) -> None:
    readme = (PROBLEMS.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Submissions\n\n```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "s.yaml").write_text(example, encoding="utf-8")
    result = grade_file(str(tmp_path / "s.yaml"), prepare(solve_paths()))
    graded = [part for p in result.problems for part in p.parts if part.verdict != "missing"]
    assert [(part.id, part.verdict) for part in graded] == [
        ("output_before", "correct"),
        ("params_after", "correct"),
        ("loss_decreased", "correct"),
        ("d1", "correct"),
        ("d2", "correct"),
    ]


@pytest.mark.parametrize(
    "names", [("dW1", "dW2"), ("dL/dW1", "dL/dW2"), ("∂L/∂W_1", "∂L/∂W^{(2)}"), ("grad_W1", "gw2")]
)
def test_gradients_named_after_their_parameters(tmp_path: Path, builtin: dict, names: tuple[str, str]) -> None:
    w1, w2 = "[[-0.0226, -0.0339], [-0.03616, -0.05424]]", "[[-0.04068, -0.05198]]"
    answers = f"gradients:\n  '{names[0]}': {w1}\n  '{names[1]}': {w2}\n"
    found = outcome(grade(tmp_path, builtin[RELU], answers)["gradients"])
    if names[1] == "gw2":  # no gradient spelling: W2 missing, an unknown name wrong too (W1 right: 1 of 3 shares)
        assert found[:2] == ("partial", Fraction(2, 3)) and "W2 missing" in found[3] and "unexpected gw2" in found[3]
    else:
        assert found == ("correct", 2, None, "")


def test_zero_biases_added_to_a_network_without_biases_change_nothing(tmp_path: Path, builtin: dict) -> None:
    zero = grade(tmp_path, builtin[RELU], f"params_after:\n  {RIGHT_PARAMS}\n  b1: [0, 0]\n  b2: [0.0]\n")
    assert outcome(zero["params_after"]) == (
        "correct",
        3,
        None,
        "b1, b2: all zero, left out (there is no such parameter)",
    )
    updated = grade(tmp_path, builtin[RELU], f"params_after:\n  {RIGHT_PARAMS}\n  b1: [0.113, 0.1808]\n  b2: [0]\n")
    assert outcome(updated["params_after"])[:3] == ("partial", Fraction(3, 2), "biases_added")  # updated biases
    wrong = grade(tmp_path, builtin[RELU], "params_after:\n  W1: [[1, 1], [1, 1]]\n  W2: [[1, 1]]\n  b1: [0, 0]\n")
    assert outcome(wrong["params_after"])[2] is None  # zero biases name no slip: the weights are simply wrong
