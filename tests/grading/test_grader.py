"""The grader on the built-in homework: full marks for the key, named mistakes, follow-through, bad input."""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from helpers import correct_answers, submission_text

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths


@pytest.fixture(scope="module")
def solutions():
    return solve_paths()


@pytest.fixture(scope="module")
def prepared(solutions):
    return prepare(solutions)


def grade_text(tmp_path: Path, prepared, text: str, name: str = "s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return grade_file(str(path), prepared)


def parts_of(result, problem_id: str) -> dict:
    (problem,) = [p for p in result.problems if p.id == problem_id]
    return {part.id: part for part in problem.parts}


def test_the_answer_key_gets_full_marks(tmp_path, solutions, prepared) -> None:
    result = grade_text(tmp_path, prepared, submission_text("key", correct_answers(solutions)))
    wrong = [(p.id, part.id, part.feedback) for p in result.problems for part in p.parts if part.verdict != "correct"]
    assert wrong == []
    assert result.score == result.max_score > 0


EX1 = """\
student: PB21000001
answers:
  relu-network-update:
    output_before: 0.274
    loss_before: 0.0255
    gradients:
      W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]
      W2: [[-0.04068, -0.05198]]
    params_after:
      W1: [[0.6226, 0.2339], [0.13616, 0.75424]]
      W2: [[0.54068, 0.85198]]
    output_after: 0.3212
    loss_after: 0.01598
    loss_decreased: yes
"""


def test_exercise_one_correct_with_rounding(tmp_path, prepared) -> None:
    parts = parts_of(grade_text(tmp_path, prepared, EX1), "relu-network-update")
    assert {k: p.verdict for k, p in parts.items()} == dict.fromkeys(parts, "correct")


def test_three_significant_figures_accept_correct_rounding_only(tmp_path, prepared) -> None:
    ok = grade_text(tmp_path, prepared, EX1.replace("output_after: 0.3212", "output_after: 0.321"))
    assert parts_of(ok, "relu-network-update")["output_after"].verdict == "correct"
    truncated = grade_text(tmp_path, prepared, EX1.replace("loss_before: 0.0255", "loss_before: 0.0256"))
    part = parts_of(truncated, "relu-network-update")["loss_before"]
    assert part.verdict == "incorrect"


@pytest.mark.parametrize(
    ("params_after", "mistake"),
    [
        ("W1: [[0.5774, 0.1661], [0.06384, 0.64576]]\n      W2: [[0.45932, 0.74802]]", "sign_flipped"),
        ("W1: [[0.6113, 0.21695], [0.11808, 0.72712]]\n      W2: [[0.52034, 0.82599]]", "wrong_learning_rate"),
        # right gradients, twice the step: a learning rate of 2, not "the gradients came out doubled"
        ("W1: [[0.6452, 0.2678], [0.17232, 0.80848]]\n      W2: [[0.58136, 0.90396]]", "wrong_learning_rate"),
        (
            "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]\n"
            "      b1: [0.113, 0.1808]\n      b2: [0.226]",
            "biases_added",
        ),
    ],
)
def test_named_mistakes(tmp_path, prepared, params_after: str, mistake: str) -> None:
    original = "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]"
    text = (
        EX1.replace(original, params_after, 1)
        if "b1" not in params_after
        else EX1.replace(
            "      W2: [[0.54068, 0.85198]]\n    output_after",
            "      W2: [[0.54068, 0.85198]]\n      b1: [0.113, 0.1808]\n      b2: [0.226]\n    output_after",
        )
    )
    part = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")["params_after"]
    assert (part.verdict, part.mistake, part.score) == ("partial", mistake, Fraction(3, 2))  # half, by default


def test_follow_through_from_the_students_own_parameters(tmp_path, prepared) -> None:
    """Wrong update (sign flipped), but output and loss after computed correctly from those parameters."""
    text = EX1.replace(
        "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]",
        "W1: [[0.5774, 0.1661], [0.06384, 0.64576]]\n      W2: [[0.45932, 0.74802]]",
    )
    # with those: h = (0.5774*0.2 + 0.1661*0.3, 0.06384*0.2 + 0.64576*0.3) = (0.16531, 0.206496)
    yhat = 0.45932 * 0.16531 + 0.74802 * 0.206496
    loss = (yhat - 0.5) ** 2 / 2
    text = (
        text.replace("output_after: 0.3212", f"output_after: {yhat:.4f}")
        .replace("loss_after: 0.01598", f"loss_after: {loss:.4g}")
        .replace("loss_decreased: yes", "loss_decreased: no")
    )
    parts = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")
    assert parts["params_after"].mistake == "sign_flipped"
    for part_id in ("output_after", "loss_after"):
        assert parts[part_id].follow_through is True, parts[part_id]
        assert parts[part_id].score == parts[part_id].max_score
    # the student's own losses went up, so "no" follows through too
    assert parts["loss_decreased"].follow_through is True


def test_shape_and_type_problems_are_reported(tmp_path, prepared) -> None:
    transposed = "W1: [[0.6226, 0.13616], [0.2339, 0.75424]]\n      W2: [[0.54068, 0.85198]]"
    text = EX1.replace("W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]", transposed)
    assert transposed in text
    text = text.replace("output_before: 0.274", "output_before: [0.274, 0.1]")
    text = text.replace("loss_decreased: yes", "loss_decreased: maybe")
    parts = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")
    assert (parts["params_after"].verdict, parts["params_after"].mistake) == ("partial", "transposed")
    assert parts["params_after"].feedback == "W1 is transposed: expected a 2x2 matrix, got its transpose"
    assert parts["output_before"].feedback == "expected 1 entry, got 2 entries"
    assert parts["loss_decreased"].verdict == "invalid"
    assert parts[
        "loss_decreased"
    ].feedback == "15:21: relu-network-update.loss_decreased: expected true or false, got 'maybe'" or (
        "expected true or false, got 'maybe'" in parts["loss_decreased"].feedback
    )


def test_fractions_and_constant_formulas_count_as_numbers(tmp_path, prepared) -> None:
    text = EX1.replace("output_before: 0.274", "output_before: 137/500").replace(
        "loss_before: 0.0255", "loss_before: (0.274 - 0.5)^2/2"
    )
    parts = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")
    assert parts["output_before"].verdict == "correct"
    assert parts["loss_before"].verdict == "correct"


def test_unknown_problem_is_a_warning_not_an_error(tmp_path, prepared) -> None:
    result = grade_text(tmp_path, prepared, EX1 + "  no-such-problem:\n    x: 1\n")
    assert result.error is None
    assert any("no problem 'no-such-problem'" in w for w in result.warnings)
    assert result.score == Fraction(10)


def test_per_layer_answers_of_different_lengths(tmp_path) -> None:
    """errors has one vector per layer (2 and 1 entries): read and checked layer by layer, not as a matrix."""
    spec = Path("problems/relu-network-update.yaml").read_text(encoding="utf-8")
    spec = spec.replace(
        "  - {id: output_before, points: 1}", "  - {id: errors, points: 2}\n  - {id: forward, points: 2}"
    )
    (tmp_path / "p.yaml").write_text(spec, encoding="utf-8")
    prepared = prepare(solve_paths([tmp_path / "p.yaml"]))
    right = (
        "student: s\nanswers:\n  relu-network-update:\n"
        "    errors: [[-0.113, -0.1808], [-0.226]]\n"
        "    forward: [{z: [0.18, 0.23], a: [0.18, 0.23]}, {z: [0.274], a: [0.274]}]\n"
    )
    parts = parts_of(grade_text(tmp_path, prepared, right), "relu-network-update")
    assert (parts["errors"].verdict, parts["forward"].verdict) == ("correct", "correct")
    wrong = right.replace("[[-0.113, -0.1808], [-0.226]]", "[[-0.113, -0.1808], [-0.226, 0.5]]")
    part = parts_of(grade_text(tmp_path, prepared, wrong), "relu-network-update")["errors"]
    assert (part.verdict, part.score) == ("partial", 1)  # layer 1 right: half of the 2 points
    assert part.feedback == "item 2: expected 1 entry, got 2 entries"


def test_a_count_right_under_another_convention_earns_its_credit(tmp_path, prepared) -> None:
    """The course counts 3Ln^2 + 2Ln + ... multiplications backward; the strict convention, which the statement
    allows there, 3Ln^2 + 3Ln - n^2 + n; PyTorch's FLOP counter (2L - 1)n^2 leaves out the update, which the
    statement includes: that is a named mistake, not a convention."""
    text = (
        "student: s\nanswers:\n  mlp-op-count:\n"
        "    backward_mults_total: 3Ln^2 + 3Ln - n^2 + n\n    forward_mults_total: L n^2\n"
    )
    parts = parts_of(grade_text(tmp_path, prepared, text), "mlp-op-count")
    other = parts["backward_mults_total"]
    assert (other.verdict, other.mistake, other.score) == ("correct", "strict", other.max_score)
    assert "'strict' convention" in other.feedback
    assert parts["forward_mults_total"].verdict == "correct"
    flops = grade_text(tmp_path, prepared, text.replace("3Ln^2 + 3Ln - n^2 + n", "(2L - 1) n^2"))
    part = parts_of(flops, "mlp-op-count")["backward_mults_total"]
    assert (part.verdict, part.mistake, part.score) == ("partial", "update_not_counted", Fraction(1, 2))
    assert part.feedback.startswith("This count leaves out the parameter update")


def test_a_count_given_as_its_leading_term_alone_is_a_named_slip(tmp_path, prepared) -> None:
    """3n^2 for the 3n^2 + 2n multiplications of a layer's backward pass (the statement says "roughly"): half the
    points, the total L*3n^2 from it follows through; n^2 forward has no lower-order terms to leave out."""
    text = (
        "student: s\nanswers:\n  mlp-op-count:\n    forward_mults_per_layer: n^2\n"
        "    backward_mults_per_layer: 3n^2\n    backward_mults_total: 3 L n^2\n"
    )
    parts = parts_of(grade_text(tmp_path, prepared, text), "mlp-op-count")
    layer, total = parts["backward_mults_per_layer"], parts["backward_mults_total"]
    assert (layer.verdict, layer.mistake, layer.score) == ("partial", "leading_term_only", 1)  # of 2 points
    assert layer.feedback.startswith("This is only the count's leading term")
    assert (total.verdict, total.follow_through, total.mistake) == ("correct", True, None)
    assert parts["forward_mults_per_layer"].verdict == "correct"
    alone = grade_text(tmp_path, prepared, text.replace("backward_mults_per_layer: 3n^2", "forward_adds_per_layer: 1"))
    total = parts_of(alone, "mlp-op-count")["backward_mults_total"]
    assert (total.verdict, total.mistake, total.score) == ("partial", "leading_term_only", Fraction(1, 2))


def test_per_entry_partial_credit_unless_the_spec_turns_it_off(tmp_path, prepared) -> None:
    text = EX1.replace("[[0.54068, 0.85198]]", "[[0.54068, 0.9]]")
    part = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")["params_after"]
    assert (part.verdict, part.score) == ("partial", Fraction(9, 4))  # W1 right, half of W2: 3/4 of 3 points
    assert part.feedback == "1 of 6 entries wrong, counting from 1: W2[1,2] (expected 0.85198)"
    spec = Path("problems/relu-network-update.yaml").read_text(encoding="utf-8")
    spec = spec.replace("  - {id: params_after, points: 3}", "  - {id: params_after, points: 3, partial: false}")
    (tmp_path / "p.yaml").write_text(spec, encoding="utf-8")
    part = parts_of(grade_text(tmp_path, prepare(solve_paths([tmp_path / "p.yaml"])), text), "relu-network-update")
    assert (part["params_after"].verdict, part["params_after"].score) == ("incorrect", 0)


def test_missing_half_needs_the_doubled_gradients_too(tmp_path, prepared) -> None:
    text = EX1.replace(
        "W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]\n      W2: [[-0.04068, -0.05198]]",
        "W1: [[-0.0452, -0.0678], [-0.07232, -0.10848]]\n      W2: [[-0.08136, -0.10396]]",
    ).replace(
        "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]",
        "W1: [[0.6452, 0.2678], [0.17232, 0.80848]]\n      W2: [[0.58136, 0.90396]]",
    )
    parts = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")
    assert parts["gradients"].mistake == "missing_half"
    # the update is right for the student's own (doubled) gradients: follow-through, and no mistake named
    assert (parts["params_after"].follow_through, parts["params_after"].mistake) == (True, None)


def test_no_update_at_all_is_not_a_learning_rate(tmp_path, prepared) -> None:
    text = EX1.replace(
        "W1: [[0.6226, 0.2339], [0.13616, 0.75424]]\n      W2: [[0.54068, 0.85198]]",
        "W1: [[0.6, 0.2], [0.1, 0.7]]\n      W2: [[0.5, 0.8]]",
    )
    part = parts_of(grade_text(tmp_path, prepared, text), "relu-network-update")["params_after"]
    assert part.verdict == "incorrect" and part.mistake is None


def test_a_misspelt_key_with_one_close_name_is_graded_as_that_name(tmp_path, prepared) -> None:
    text = EX1.replace("loss_before: 0.0255", "loss_befor: 0.0255").replace(
        "relu-network-update:", "relu-network-updat:"
    )
    result = grade_text(tmp_path, prepared, text)
    parts = parts_of(result, "relu-network-update")
    assert (parts["loss_before"].verdict, parts["loss_before"].score) == ("correct", 1)
    assert [w.split(": ", 1)[1] for w in result.warnings] == [
        "problem 'relu-network-updat': graded as 'relu-network-update', the only name so close",
        "problem 'relu-network-update' has no part 'loss_befor': graded as 'loss_before', the only name so close",
    ]
    # not where the name it is close to is written too (loss_before and loss_after are)
    text = EX1.replace("loss_before: 0.0255", "loss_before: 0.0255\n    loss_befor: 0.03\n    loss_afte: 1")
    result = grade_text(tmp_path, prepared, text)
    assert parts_of(result, "relu-network-update")["loss_before"].verdict == "correct"
    assert ["did you mean" in w and "is ignored" in w for w in result.warnings] == [True, True]
