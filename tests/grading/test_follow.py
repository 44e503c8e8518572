"""Follow-through on exercise (1): earned by honest slips carried on, refused to work that makes the rest trivial,
never through a part without points; a student who rounds every value to 3 figures loses nothing."""

from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import PreparedProblem, as_floats, prepare
from hwsolver.grading.rounding import leaves
from hwsolver.kinds.mlp_backprop.follow import chain, follow_through
from hwsolver.solving import solve_paths

sys.path.insert(0, str(Path(__file__).parent))
from helpers import written

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "problems" / "relu-network-update.yaml"
SPEC = EXERCISE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def prepared() -> list[PreparedProblem]:
    return prepare(solve_paths([EXERCISE]))


def graded(tmp_path: Path, prepared: list[PreparedProblem], answers: str) -> dict:
    """The parts of exercise (1) for a submission whose answers are `answers` (YAML, as a student writes)."""
    path = tmp_path / "student.yaml"
    path.write_text(f"student: PB21000001\nanswers:\n  relu-network-update:\n{answers}", encoding="utf-8")
    result = grade_file(str(path), prepared)
    assert result.error is None, result.error
    return {part.id: part for part in result.problems[0].parts}


def with_spec(tmp_path: Path, old: str, new: str) -> list[PreparedProblem]:
    path = tmp_path / "variant.yaml"
    path.write_text(SPEC.replace(old, new), encoding="utf-8")
    return prepare(solve_paths([path]))


# -- gaming: each attack seen, and what it earns now -----------------------------------------------------------

ZEROS_AND_COPIES = """\
    output_before: 0
    loss_before: 0.125
    gradients:
      W1: [[0.6, 0.2], [0.1, 0.7]]
      W2: [[0.5, 0.8]]
    params_after:
      W1: [[0, 0], [0, 0]]
      W2: [[0, 0]]
    output_after: 0
    loss_after: 0.125
    loss_decreased: no
"""


def test_output_zero_gradients_copied_and_zero_parameters_earn_nothing(tmp_path, prepared) -> None:
    """Seen scoring 7/10 as follow-through: an output of 0, the given weights as gradients, W - W = 0."""
    parts = graded(tmp_path, prepared, ZEROS_AND_COPIES)
    assert {k: (p.score, p.follow_through) for k, p in parts.items()} == dict.fromkeys(parts, (0, False))


def test_zero_gradients_after_a_right_forward_pass_earn_only_the_forward_pass(tmp_path, prepared) -> None:
    """Seen scoring 8/10: right output and loss, zero gradients, the given weights as the update, the output
    before repeated as the output after."""
    answers = """\
    output_before: 0.274
    loss_before: 0.0255
    gradients: {W1: [[0, 0], [0, 0]], W2: [[0, 0]]}
    params_after: {W1: [[0.6, 0.2], [0.1, 0.7]], W2: [[0.5, 0.8]]}
    output_after: 0.274
    loss_after: 0.0255
    loss_decreased: no
"""
    parts = graded(tmp_path, prepared, answers)
    assert sum(p.score for p in parts.values()) == 2
    assert not any(p.follow_through for p in parts.values())
    assert parts["params_after"].mistake is None  # no update at all is no learning rate either


@pytest.mark.parametrize(
    "gradients",
    [
        "{W1: [[0.000001, 0.000001], [0.000001, 0.000001]], W2: [[0.000001, 0.000001]]}",  # zeros in disguise
        "{W1: [[-0.6, -0.2], [-0.1, -0.7]], W2: [[-0.5, -0.8]]}",  # the weights again, turned round
        "{W1: [[0.3, 0.1], [0.05, 0.35]], W2: [[0.25, 0.4]]}",  # half the weights
        "{W1: [[60, 10], [20, 70]], W2: [[30, 80]]}",  # far out of scale
    ],
)
def test_gradients_of_no_size_or_of_any_size_carry_nothing(tmp_path, prepared, gradients: str) -> None:
    rate = {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8]]}
    grads = yaml.safe_load(gradients)
    after = {name: [[w - g for w, g in zip(*rows)] for rows in zip(rate[name], grads[name])] for name in rate}
    answers = f"    gradients: {gradients}\n    params_after: {after}\n"
    parts = graded(tmp_path, prepared, answers)
    assert (parts["params_after"].score, parts["params_after"].follow_through) == (0, False)


def test_the_target_as_the_output_carries_nothing(tmp_path, prepared) -> None:
    """An output equal to the target makes every error term 0: no loss, no gradients, nothing to update."""
    answers = "    output_before: 0.5\n    loss_before: 0\n    gradients: {W1: [[0, 0], [0, 0]], W2: [[0, 0]]}\n"
    parts = graded(tmp_path, prepared, answers)
    assert [p.score for p in parts.values() if p.verdict != "missing"] == [0, 0, 0]


# -- honest slips carried on --------------------------------------------------------------------------------


def test_a_slip_in_the_output_is_penalised_once(tmp_path, prepared) -> None:
    """0.284 for 0.274 (an addition slip), then loss, gradients and everything after worked right from it: only
    the output loses its point, and no later part is labelled with a mistake."""
    y, t, h, x = 0.284, 0.5, (0.18, 0.23), (0.2, 0.3)
    e2 = y - t
    e1 = (0.5 * e2, 0.8 * e2)
    g1 = [[e1[0] * x[0], e1[0] * x[1]], [e1[1] * x[0], e1[1] * x[1]]]
    g2 = [[e2 * h[0], e2 * h[1]]]
    w1 = [[0.6 - g1[0][0], 0.2 - g1[0][1]], [0.1 - g1[1][0], 0.7 - g1[1][1]]]
    w2 = [[0.5 - g2[0][0], 0.8 - g2[0][1]]]
    h_after = (w1[0][0] * 0.2 + w1[0][1] * 0.3, w1[1][0] * 0.2 + w1[1][1] * 0.3)
    y_after = w2[0][0] * h_after[0] + w2[0][1] * h_after[1]
    answers = {
        "output_before": y,
        "loss_before": (y - t) ** 2 / 2,
        "gradients": {"W1": g1, "W2": g2},
        "params_after": {"W1": w1, "W2": w2},
        "output_after": y_after,
        "loss_after": (y_after - t) ** 2 / 2,
        "loss_decreased": (y_after - t) ** 2 < (y - t) ** 2,
    }
    parts = graded(tmp_path, prepared, _written(answers, 4))
    assert parts["output_before"].score == 0
    assert parts["loss_before"].follow_through and parts["gradients"].follow_through
    assert {k: p.score for k, p in parts.items() if k != "output_before"} == {
        "loss_before": 1,
        "gradients": 2,
        "params_after": 3,
        "output_after": 1,
        "loss_after": 1,
        "loss_decreased": 1,
    }
    assert all(p.mistake is None for p in parts.values())


def test_no_follow_through_through_a_part_without_points(tmp_path) -> None:
    prepared = with_spec(tmp_path, "{id: output_before, points: 1}", "{id: output_before, points: 0}")
    parts = graded(tmp_path, prepared, "    output_before: 0.284\n    loss_before: 0.023328\n")
    assert (parts["loss_before"].score, parts["loss_before"].follow_through) == (0, False)


def test_no_follow_through_through_a_part_not_asked(tmp_path, prepared) -> None:
    """Error terms are not asked in exercise (1): gradients right for wrong (unasked) error terms earn nothing."""
    answers = (
        "    errors: [[-0.2, -0.3], [-0.4]]\n"
        "    gradients: {W1: [[-0.04, -0.06], [-0.06, -0.09]], W2: [[-0.072, -0.092]]}\n"
    )
    parts = graded(tmp_path, prepared, answers)
    assert (parts["gradients"].score, parts["gradients"].follow_through) == (0, False)


def test_follow_through_credit_zero_still_allows_for_rounding(tmp_path) -> None:
    prepared = with_spec(tmp_path, "parts:\n", "grading: {follow_through: 0}\nparts:\n")
    slip = graded(tmp_path, prepared, "    output_before: 0.284\n    loss_before: 0.0233\n")
    assert slip["loss_before"].score == 0
    rounded = graded(tmp_path, prepared, _written(_rounding_student(*EXERCISE_ONE), 3))
    assert sum(p.score for p in rounded.values()) == 10


# -- rounding ----------------------------------------------------------------------------------------------------


def _rounding_student(w1, w2, x, t, rate, rounds=lambda: True) -> dict:
    """Exercise (1) by hand: every value worked out is rounded to 3 significant figures (when rounds() says so)
    and carried on as rounded. Plain Python arithmetic: no code of hwsolver's."""

    def r(v: float) -> float:
        return float(f"{v:.3g}") if rounds() else v

    def relu(v: float) -> float:
        return max(v, 0.0)

    z1 = [r(row[0] * x[0] + row[1] * x[1]) for row in w1]
    h = [relu(z) for z in z1]
    z2 = r(w2[0][0] * h[0] + w2[0][1] * h[1])
    y = relu(z2)
    loss = r((y - t) ** 2 / 2)
    e2 = r((y - t) * (z2 > 0))
    e1 = [r(w2[0][j] * e2 * (z1[j] > 0)) for j in range(2)]
    g1 = [[r(e1[j] * x[i]) for i in range(2)] for j in range(2)]
    g2 = [[r(e2 * h[j]) for j in range(2)]]
    p1 = [[r(w1[j][i] - rate * g1[j][i]) for i in range(2)] for j in range(2)]
    p2 = [[r(w2[0][j] - rate * g2[0][j]) for j in range(2)]]
    h_after = [relu(r(row[0] * x[0] + row[1] * x[1])) for row in p1]
    y_after = relu(r(p2[0][0] * h_after[0] + p2[0][1] * h_after[1]))
    loss_after = r((y_after - t) ** 2 / 2)
    return {
        "output_before": y,
        "loss_before": loss,
        "gradients": {"W1": g1, "W2": g2},
        "params_after": {"W1": p1, "W2": p2},
        "output_after": y_after,
        "loss_after": loss_after,
        "loss_decreased": loss_after < loss,
    }


def _written(answers: dict, digits: int) -> str:
    """The answers as YAML lines, every number written to `digits` significant figures (trailing zeros kept)."""
    return "".join(f"    {part}: {written(value, digits)}\n" for part, value in answers.items())


EXERCISE_ONE = ([[0.6, 0.2], [0.1, 0.7]], [[0.5, 0.8]], [0.2, 0.3], 0.5, 1)


def test_exercise_one_rounded_at_every_step(tmp_path, prepared) -> None:
    """The 3-figure student's gradient W1[2,2] is -0.181 * 0.3 = -0.0543, not -0.0542: full marks all the same."""
    answers = _rounding_student(*EXERCISE_ONE)
    assert answers["gradients"]["W1"][1][1] == -0.0543
    parts = graded(tmp_path, prepared, _written(answers, 3))
    assert {k: p.verdict for k, p in parts.items()} == dict.fromkeys(parts, "correct")
    assert parts["gradients"].feedback == "right, allowing for the intermediate values rounded on the way"


@pytest.mark.parametrize("seed", range(6))
def test_networks_like_exercise_one_rounded_at_every_step_or_some(tmp_path, seed: int) -> None:
    """Random weights, inputs, targets and learning rates; the student rounds every value, or a random half of
    them (keeping the others in full), and writes 3 figures: full marks every time."""
    rng = random.Random(seed)
    for case in range(4):
        w1 = [[rng.randint(1, 9) / 10 for _ in range(2)] for _ in range(2)]
        w2 = [[rng.randint(1, 9) / 10 for _ in range(2)]]
        x, t, rate = [rng.randint(1, 9) / 10 for _ in range(2)], rng.randint(1, 19) / 10, rng.choice([1, 0.5, 0.1])
        spec = SPEC.replace("W1: [[0.6, 0.2],\n         [0.1, 0.7]]", f"W1: {w1}").replace(
            "W2: [[0.5, 0.8]]", f"W2: {w2}"
        )
        spec = spec.replace("x: [0.2, 0.3]", f"x: {x}").replace("target: 0.5", f"target: {t}")
        path = tmp_path / f"network{case}.yaml"
        path.write_text(spec.replace("learning_rate: 1", f"learning_rate: {rate}"), encoding="utf-8")
        prepared = prepare(solve_paths([path]))
        rounds = (lambda: True) if case % 2 == 0 else (lambda: rng.random() < 0.5)
        parts = graded(tmp_path, prepared, _written(_rounding_student(w1, w2, x, t, rate, rounds), 3))
        assert {k: p.verdict for k, p in parts.items()} == dict.fromkeys(parts, "correct"), (w1, w2, x, t, rate)


def test_rounding_explains_only_so_much(tmp_path, prepared) -> None:
    """One unit off in the third figure where no rounding on the way explains it stays wrong."""
    parts = graded(
        tmp_path, prepared, "    gradients: {W1: [[-0.0227, -0.0339], [-0.0362, -0.0543]], W2: [[-0.0407, -0.052]]}\n"
    )
    assert parts["gradients"].verdict != "correct"
    assert "W1[1,1]" in parts["gradients"].feedback
    # the output after: 0.321 or 0.322 by rounding on the way (0.320 by truncating such a value), 0.324 or 0.319
    # by none
    for text, verdict in (
        ("0.321", "correct"),
        ("0.322", "correct"),
        ("0.324", "incorrect"),
        ("0.320", "correct"),
        ("0.319", "incorrect"),
    ):
        assert graded(tmp_path, prepared, f"    output_after: {text}\n")["output_after"].verdict == verdict


def test_a_slip_carried_on_with_rounding(tmp_path, prepared) -> None:
    """The output slip of 0.284, every later value rounded to 3 figures on the way: follow-through all the same."""

    def r(v: float) -> float:
        return float(f"{v:.3g}")

    y, t = 0.284, 0.5
    e2 = r(y - t)
    e1 = [r(0.5 * e2), r(0.8 * e2)]  # -0.108, -0.1728 -> -0.173
    g1 = [[r(e * xi) for xi in (0.2, 0.3)] for e in e1]
    g2 = [[r(e2 * hi) for hi in (0.18, 0.23)]]
    parts = graded(tmp_path, prepared, _written({"output_before": y, "gradients": {"W1": g1, "W2": g2}}, 3))
    assert (parts["gradients"].score, parts["gradients"].follow_through) == (2, True)


# -- credits --------------------------------------------------------------------------------------------------

SIGN_FLIPPED = "    params_after: {W1: [[0.5774, 0.1661], [0.06384, 0.64576]], W2: [[0.45932, 0.74802]]}\n"


def test_a_named_slip_earns_its_default_credit_or_the_problems(tmp_path, prepared) -> None:
    assert graded(tmp_path, prepared, SIGN_FLIPPED)["params_after"].score == Fraction(3, 2)
    own = with_spec(tmp_path, "parts:\n", "grading: {mistake_credit: {sign_flipped: 0.2}}\nparts:\n")
    assert graded(tmp_path, own, SIGN_FLIPPED)["params_after"].score == Fraction(3, 5)
    part_level = "{id: params_after, points: 3, mistake_credit: {sign_flipped: 0}}"
    both = with_spec(tmp_path, "{id: params_after, points: 3}", part_level)
    result = graded(tmp_path, both, SIGN_FLIPPED)["params_after"]
    assert (result.verdict, result.mistake, result.score) == ("incorrect", "sign_flipped", 0)


@pytest.mark.parametrize(
    ("grading", "message"),
    [
        (
            "{mistake_credit: {sign_flip: 0.5}}",
            "grading.mistake_credit.sign_flip: unknown mistake 'sign_flip' (did you mean 'sign_flipped'?); this kind's "
            "mistakes: sign_flipped, stale_weights, no_activation_derivative, missing_half, wrong_learning_rate, "
            "biases_added",
        ),
        (
            "{mistake_credit: {sign_flipped: 2}}",
            "grading.mistake_credit.sign_flipped: expected a share of the points from 0 to 1, got 2",
        ),
        ("{mistake_credit: [sign_flipped]}", "grading.mistake_credit: expected a mapping"),
    ],
)
def test_mistake_credit_is_validated(tmp_path, grading: str, message: str) -> None:
    from hwsolver.errors import SpecError

    with pytest.raises(SpecError) as error:
        with_spec(tmp_path, "parts:\n", f"grading: {grading}\nparts:\n")
    assert message in str(error.value)


def test_a_learning_rate_is_named_only_beyond_what_rounding_explains(tmp_path, prepared) -> None:
    """The right update rounded to 2 figures (0.62, 0.23, 0.14, 0.75 | 0.54, 0.85) implies rates from 0.88 to
    1.1 entry by entry: rounding explains that, it is no other learning rate; half the step is one."""
    coarse = graded(tmp_path, prepared, "    params_after: {W1: [[0.62, 0.23], [0.14, 0.75]], W2: [[0.54, 0.85]]}\n")
    assert coarse["params_after"].mistake == "rounded_too_coarsely"  # the checker's name for it, not a rate
    half = "    params_after: {W1: [[0.611, 0.217], [0.118, 0.727]], W2: [[0.52, 0.826]]}\n"
    assert graded(tmp_path, prepared, half)["params_after"].mistake == "wrong_learning_rate"


def test_error_terms_and_gradients_follow_the_students_forward_pass(tmp_path) -> None:
    """Forward values asked too: hidden unit 1 slips to z = 0.19 (for 0.18); the output, the error terms and the
    gradients worked right from it all follow, and the forward pass alone loses its points."""
    prepared = with_spec(
        tmp_path, "  - {id: output_before, points: 1}", "  - {id: forward, points: 2}\n  - {id: errors, points: 2}"
    )
    a1 = (0.19, 0.23)
    y = 0.5 * a1[0] + 0.8 * a1[1]
    e2 = y - 0.5
    e1 = (0.5 * e2, 0.8 * e2)
    forward = [{"z": list(a1), "a": list(a1)}, {"z": [y], "a": [y]}]
    gradients = {"W1": [[e * x for x in (0.2, 0.3)] for e in e1], "W2": [[e2 * a for a in a1]]}
    answers = {"forward": forward, "errors": [list(e1), [e2]], "gradients": gradients}
    parts = graded(tmp_path, prepared, _written(answers, 5))
    assert parts["forward"].score < parts["forward"].max_score  # its entries that the slip touched
    assert {k: (parts[k].score, parts[k].follow_through) for k in ("errors", "gradients")} == {
        "errors": (2, True),
        "gradients": (2, True),
    }


BATCH = """\
id: batch
kind: mlp_backprop
title: t
statement: t
given:
  weights: {W1: [[0.5, -0.4], [0.3, 0.8]], W2: [[1.2, -0.7]]}
  biases: {b1: [0.1, -0.2], b2: [0.05]}
  activation: sigmoid
  x: [[1, 0.5], [-0.5, 2]]
  target: [[1], [0]]
  loss: half_squared_error
  learning_rate: 0.5
parts: [output_before, loss_before, errors, gradients]
"""


def test_a_mini_batch_with_a_slip_in_one_sample(tmp_path) -> None:
    """Two samples, sigmoid units with biases; the student's first output slips by 0.05 and they carry it on:
    the loss, the error terms (each sample's with the factor 1/2 of the mean) and the gradients follow. Worked
    here with math.exp, not with hwsolver's code."""
    import math

    path = tmp_path / "batch.yaml"
    path.write_text(BATCH, encoding="utf-8")
    prepared = prepare(solve_paths([path]))
    w1, b1, w2, b2 = [[0.5, -0.4], [0.3, 0.8]], [0.1, -0.2], [1.2, -0.7], 0.05
    xs, ts = [[1, 0.5], [-0.5, 2]], [1, 0]

    def sigmoid(z: float) -> float:
        return 1 / (1 + math.exp(-z))

    hidden = [[sigmoid(w1[j][0] * x[0] + w1[j][1] * x[1] + b1[j]) for j in range(2)] for x in xs]
    outputs = [sigmoid(w2[0] * h[0] + w2[1] * h[1] + b2) for h in hidden]
    outputs[0] += 0.05  # the slip
    loss = sum((y - t) ** 2 / 2 for y, t in zip(outputs, ts)) / 2
    errors, grad_w1, grad_w2 = [], [[0, 0], [0, 0]], [0, 0]
    grad_b1, grad_b2 = [0, 0], 0
    for x, h, y, t in zip(xs, hidden, outputs, ts):
        e2 = (y - t) * y * (1 - y) / 2
        e1 = [w2[j] * e2 * h[j] * (1 - h[j]) for j in range(2)]
        errors.append([e1, [e2]])
        for j in range(2):
            grad_w2[j] += e2 * h[j]
            grad_b1[j] += e1[j]
            for i in range(2):
                grad_w1[j][i] += e1[j] * x[i]
        grad_b2 += e2
    answers = {
        "output_before": [[y] for y in outputs],
        "loss_before": loss,
        "errors": errors,
        "gradients": {"W1": grad_w1, "b1": grad_b1, "W2": [grad_w2], "b2": [grad_b2]},
    }
    parts = graded_in(tmp_path, prepared, "batch", _written(answers, 4))
    assert parts["output_before"].score < parts["output_before"].max_score
    assert all(
        parts[k].verdict == "correct" and parts[k].follow_through for k in ("loss_before", "errors", "gradients")
    )


def graded_in(tmp_path: Path, prepared: list[PreparedProblem], problem_id: str, answers: str) -> dict:
    path = tmp_path / "student.yaml"
    path.write_text(f"student: PB21000001\nanswers:\n  {problem_id}:\n{answers}", encoding="utf-8")
    result = grade_file(str(path), prepared)
    assert result.error is None, result.error
    return {part.id: part for part in result.problems[0].parts}


def test_an_answer_written_too_coarsely_gets_no_allowance(tmp_path, prepared) -> None:
    """Parameters to 2 figures, then the output after as 0.32: that is 0.321245 to 2 figures, not a 3-figure value
    their rounding explains; written 0.320 it is."""
    params = "    params_after: {W1: [[0.62, 0.23], [0.14, 0.75]], W2: [[0.54, 0.85]]}\n"
    coarse = graded(tmp_path, prepared, params + "    output_after: 0.32\n")["output_after"]
    assert coarse.verdict != "correct" and not coarse.follow_through
    three = graded(tmp_path, prepared, params + "    output_after: 0.320\n")["output_after"]
    assert three.verdict == "correct"


NETWORKS = [
    {"activation": "sigmoid", "loss": "half_squared_error", "steps": 2},
    {"activation": ["tanh", "softmax"], "loss": "cross_entropy", "target": [0, 1], "W2": [[0.5, -0.3], [0.2, 0.4]]},
    {"activation": "leaky_relu", "loss": "mean_squared_error", "weight_decay": 0.1},
    {
        "activation": "relu",
        "loss": "squared_error",
        "x": [[0.2, 0.3], [0.5, -0.1]],
        "target": [[0.5], [0.1]],
        "biases": {"b1": [0.1, 0.0], "b2": [0.2]},
    },
    {"activation": "sigmoid", "loss": "binary_cross_entropy", "target": 1},
]


@pytest.mark.parametrize("network", NETWORKS)
def test_the_chain_and_its_routes_give_the_exact_answers(tmp_path, network: dict) -> None:
    """The steps of the first training step, worked through, give the solver's exact answers; each route, fed
    the right earlier answers, gives the right later one (batches, biases, softmax, decay, several steps)."""

    given = {"weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": network.pop("W2", [[0.5, 0.8]])}}
    given |= {"x": network.pop("x", [0.2, 0.3]), "target": network.pop("target", 0.5), "learning_rate": 1, **network}
    spec = {"id": "n", "kind": "mlp_backprop", "title": "t", "statement": "t", "given": given, "parts": ["gradients"]}
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    (solution,) = solve_paths([path])

    def same(got, want) -> bool:
        a, b = leaves(got), {k: float(v) if type(v) is not bool else v for k, v in leaves(want).items()}
        return a.keys() == b.keys() and all(a[k] == pytest.approx(b[k], rel=1e-9, abs=1e-12) for k in a)

    built = chain(solution.problem, solution)
    values = built.run()
    for part, read in built.answers.items():
        assert same(read(values), solution.answers[part]), part
    routes = follow_through(solution.problem, solution)
    assert routes
    for route in routes:
        exact = {name: as_floats(solution.answers[name]) for name in route.uses}  # as a student's are read
        assert same(route.compute(exact), solution.answers[route.part]), (route.part, route.uses)


def test_one_entry_far_off_still_earns_its_right_entries(tmp_path, prepared) -> None:
    """A typo 1000 times too large in one gradient is out of scale for follow-through, not work not done."""
    answers = "    gradients: {W1: [[-22.6, -0.0339], [-0.0362, -0.0543]], W2: [[-0.0407, -0.052]]}\n"
    part = graded(tmp_path, prepared, answers)["gradients"]
    assert part.verdict == "partial" and part.score > 0


def test_a_number_shifted_in_place_is_what_moving_every_leaf_gives() -> None:
    """leaves.shifted (the re-run's bounds move one number at a time) against map_leaves, its witness: every
    number of named matrices, vectors and lists of them, as the grader reads answers, and a list as such."""
    from hwsolver.grading.leaves import answer_leaves, map_leaves, shifted

    answers = [
        0.25,
        (0.5, -1.5, 2.0),
        ((0.1, 0.2), (0.3, 0.4)),
        {"W1": ((0.1, 0.2), (0.3, 0.4)), "b1": (0.5, True), "W2": ((-0.7, 0.6),)},
        ({"W1": ((1.0,),)}, {"W1": ((2.0,),)}),
        [[1.0, 2.0], [3.0, 4.0]],
    ]
    for answer in answers:
        paths = [path for path, x in answer_leaves(answer).items() if type(x) is not bool]
        assert paths
        for path in paths:
            every = map_leaves(answer, lambda at, x, path=path: x + 0.125 if at == path else x)
            assert shifted(answer, path, 0.125) == every
