"""optimizer_step: every optimizer against independent NumPy code (oracle.py), exact against float64, the
objective's gradient against finite differences, the built-in problems' numbers, the mistakes against wrong
answers computed here, grading of realistic submissions, one-line errors (the plot: test_plot.py; the gradients of
each step given: test_given_gradients.py)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.errors import SpecError
from hwsolver.grading.prepared import prepare
from hwsolver.kinds import KINDS
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

from ...handout.test_handout_numbers import check_numbers_come_from_the_solver
from .oracle import run as oracle

ROOT = Path(__file__).resolve().parents[3]
KIND = KINDS["optimizer_step"]
BOWL = "(w1 - 1)^2 + 10*w2^2"


def bowl_grad(theta: np.ndarray) -> np.ndarray:
    return np.array([2 * (theta[0] - 1), 20 * theta[1]])


def problem(optimizer: dict[str, Any], steps: int = 3, objective: str = BOWL, start: Any = None, **more: Any):
    text = yaml.safe_dump(
        {
            "id": "p",
            "kind": "optimizer_step",
            "title": {"zh": "题", "en": "P"},
            "statement": {"zh": "题。", "en": "P."},
            "given": {
                "objective": objective,
                "start": start or {"w1": 0, "w2": 1},
                "optimizer": optimizer,
                "steps": steps,
                **more,
            },
            "parts": list(KIND.parts_for(_given(optimizer, steps, objective, start, more))),
        }
    )
    return problem_from_node(parse_text(text, "p.yaml"))


def _given(optimizer: dict, steps: int, objective: str, start: Any, more: dict) -> Any:
    node = parse_text(
        yaml.safe_dump(
            {
                "objective": objective,
                "start": start or {"w1": 0, "w2": 1},
                "optimizer": optimizer,
                "steps": steps,
                **more,
            }
        ),
        "g.yaml",
    )
    return KIND.parse_given(node)


CASES = [
    ("sgd", {"lr": 0.05}, {"lr": 0.05}),
    ("sgd", {"lr": 0.05, "weight_decay": 0.1}, {"lr": 0.05, "weight_decay": 0.1}),
    ("momentum", {"lr": 0.05, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9}),
    ("momentum", {"lr": 0.05, "momentum": 0.5, "dampening": 0.2}, {"lr": 0.05, "momentum": 0.5, "dampening": 0.2}),
    ("nesterov", {"lr": 0.02, "momentum": 0.9, "weight_decay": 0.01}, {"lr": 0.02, "weight_decay": 0.01}),
    ("adagrad", {"lr": 0.1}, {"lr": 0.1, "eps": 1e-10}),
    (
        "adagrad",
        {"lr": 0.1, "initial_accumulator_value": 0.5},
        {"lr": 0.1, "eps": 1e-10, "initial_accumulator_value": 0.5},
    ),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9}, {"lr": 0.01, "alpha": 0.9}),
    ("rmsprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.5}, {"lr": 0.01, "alpha": 0.9, "momentum": 0.5}),
    (
        "adam",
        {"lr": 0.1, "betas": [0.8, 0.99], "weight_decay": 0.1},
        {"lr": 0.1, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.1},
    ),
    ("adamw", {"lr": 0.1}, {"lr": 0.1, "weight_decay": 0.01}),
]


def _points(answers: dict) -> np.ndarray:
    return np.array([[float(p["w1"]), float(p["w2"])] for p in answers["trajectory"]])


@pytest.mark.parametrize(("name", "spec", "oracle_args"), CASES, ids=lambda c: c if isinstance(c, str) else "")
def test_every_optimizer_agrees_with_numpy_written_here(name: str, spec: dict, oracle_args: dict) -> None:
    solution = solve(problem({"name": name, **spec}, steps=4))
    points, states = oracle(name, np.array([0.0, 1.0]), bowl_grad, 4, **oracle_args)
    assert np.allclose(_points(solution.answers), points, rtol=1e-12, atol=1e-14)
    for mine, theirs in zip(solution.answers.get("state", ()), states):
        for key, values in mine.items():
            assert np.allclose([float(values["w1"]), float(values["w2"])], theirs[key], rtol=1e-12, atol=1e-14)
    history = [float(v) for v in solution.answers["objective_history"]]
    assert np.allclose(history, [(p[0] - 1) ** 2 + 10 * p[1] ** 2 for p in points], rtol=1e-12)


def test_heavy_ball_form_takes_the_same_path_with_its_own_velocity() -> None:
    torch_form = solve(problem({"name": "momentum", "lr": 0.05, "momentum": 0.9}))
    heavy = solve(problem({"name": "momentum", "lr": 0.05, "momentum": 0.9, "form": "heavy_ball"}))
    assert heavy.answers["trajectory"] == torch_form.answers["trajectory"]  # exact Fractions, equal
    for v, b in zip(heavy.answers["state"], torch_form.answers["state"]):
        assert v["velocity"] == {k: -Fraction(1, 20) * x for k, x in b["momentum_buffer"].items()}


def test_rational_optimizers_stay_exact_and_square_roots_go_to_50_digits() -> None:
    exact = solve(problem({"name": "momentum", "lr": 0.05, "momentum": 0.9})).answers
    assert exact["params_after"] == {"w1": Fraction(257, 500), "w2": Fraction(-81, 100)}
    adam = solve(problem({"name": "adam", "lr": 0.1}, steps=1)).answers
    # 1 - 0.1 * 20 / (sqrt(400) + 1e-8), to 30 digits: only an exact square root gets every digit
    assert abs(adam["params_after"]["w2"] - (1 - Fraction(1, 10) * 20 / (20 + Fraction(1, 10**8)))) < 1e-45


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]),
    start=st.tuples(st.integers(-20, 20), st.integers(-20, 20)),
    lr=st.sampled_from([0.01, 0.05, 0.1, 0.3]),
    steps=st.integers(1, 4),
)
def test_random_instances_agree_with_the_oracle(name: str, start: tuple, lr: float, steps: int) -> None:
    w = {"w1": Fraction(start[0], 10), "w2": Fraction(start[1], 10)}
    solution = solve(problem({"name": name, "lr": lr}, steps=steps, start={k: str(v) for k, v in w.items()}))
    defaults = {"adagrad": {"eps": 1e-10}, "adamw": {"weight_decay": 0.01}}.get(name, {})
    points, _ = oracle(name, np.array([float(w["w1"]), float(w["w2"])]), bowl_grad, steps, lr=lr, **defaults)
    assert np.allclose(_points(solution.answers), points, rtol=1e-11, atol=1e-12)


def test_the_gradient_of_a_formula_matches_finite_differences() -> None:
    given_ = _given({"name": "sgd"}, 1, "log(1 + exp(-a*b)) + a^2*b/3 + sigmoid(b)", {"a": 0.3, "b": -0.7}, {})
    f = given_.objective
    for point in ({"a": 0.3, "b": -0.7}, {"a": -1.2, "b": 0.4}):
        exact = f.gradient({k: Fraction(v).limit_denominator() for k, v in point.items()})
        h = 1e-6
        for name in point:
            up, down = dict(point), dict(point)
            up[name] += h
            down[name] -= h
            assert abs(float(exact[name]) - (f.float_value(up) - f.float_value(down)) / (2 * h)) < 1e-8


def test_adam_builtin_first_step_by_hand() -> None:
    (solution,) = solve_paths([ROOT / "problems" / "adam-step.yaml"])
    first = solution.answers["state"][0]
    assert first == {
        "exp_avg": {"w1": Fraction(-1, 5), "w2": 2},
        "exp_avg_sq": {"w1": Fraction(1, 250), "w2": Fraction(2, 5)},
    }
    assert solution.answers["corrected_moments"][0] == {
        "exp_avg": {"w1": -2, "w2": 20},
        "exp_avg_sq": {"w1": 4, "w2": 400},
    }
    # w1 = 0 + 0.1 * 2 / (2 + 1e-8)
    assert abs(float(solution.answers["trajectory"][1]["w1"]) - 0.2 / (2 + 1e-8)) < 1e-15


BUILTIN = ["adam-step", "momentum-step", "adagrad-rates", "adamw-decay"]
# mistake -> (built-in problem, the oracle's slip arguments)
SLIPS = {
    "no_bias_correction": ("adam-step", {"no_bias": True}),
    "bias_correction_step": ("adam-step", {"shift": 1}),
    "eps_inside_sqrt": ("adagrad-rates", {"inside": True}),
    "velocity_sign_flipped": ("momentum-step", {"flip": True}),
    "accumulator_reset": ("adagrad-rates", {"reset": True}),
    "weight_decay_switched": ("adamw-decay", {"swap": True}),
}
ORACLE_ARGS = {
    "adam-step": ("adam", [0.0, 1.0], bowl_grad, {"lr": 0.1}),
    "momentum-step": ("momentum", [0.0, 1.0], bowl_grad, {"lr": 0.05}),
    "adagrad-rates": ("adagrad", [1.0, 1.0], lambda t: np.array([4 * t[0], t[1] / 10000]), {"lr": 0.1}),
    "adamw-decay": ("adamw", [2.0, 1.0], bowl_grad, {"lr": 0.1, "weight_decay": 0.1}),
}


@pytest.fixture(scope="module")
def builtin() -> dict[str, Any]:
    return {p: prepare(solve_paths([ROOT / "problems" / f"{p}.yaml"])) for p in BUILTIN}


@pytest.mark.parametrize("mistake", sorted(SLIPS))
def test_each_mistake_is_the_wrong_answer_computed_here_and_shows_on_its_builtin_problem(mistake, builtin) -> None:
    problem_id, slip = SLIPS[mistake]
    name, start, grad, args = ORACLE_ARGS[problem_id]
    steps = builtin[problem_id][0].problem.given.steps
    points, _ = oracle(name, np.array(start), grad, steps, **args, **slip)
    right, _ = oracle(name, np.array(start), grad, steps, **args)
    assert not np.allclose(points, right, rtol=1e-3)  # visible at 3 significant figures
    (mutant,) = [m for m in builtin[problem_id][0].mutants if m.id == mistake]
    names = list(builtin[problem_id][0].problem.given.names)
    got = np.array([[p[n] for n in names] for p in mutant.answers["trajectory"]])
    assert np.allclose(got, points, rtol=1e-12, atol=1e-14)


def test_switched_weight_decay_is_told_as_the_optimizer_at_hand_does_it(builtin) -> None:
    (decoupled,) = [m for m in builtin["adamw-decay"][0].mutants if m.id == "weight_decay_switched"]
    assert "where AdamW applies it to the weights" in decoupled.feedback
    (prepared,) = prepare([solve(problem({"name": "adam", "lr": 0.1, "weight_decay": 0.1}))])
    (coupled,) = [m for m in prepared.mutants if m.id == "weight_decay_switched"]
    assert "where this optimizer adds it to the gradient" in coupled.feedback
    # plain SGD takes the same step either way (theta - lr wd theta - lr g): no slip to name
    (prepared,) = prepare([solve(problem({"name": "sgd", "lr": 0.05, "weight_decay": 0.1}))])
    assert "weight_decay_switched" not in {m.id for m in prepared.mutants}


def test_lr_in_velocity_shows_in_the_state_alone(builtin) -> None:
    (mutant,) = [m for m in builtin["momentum-step"][0].mutants if m.id == "lr_in_velocity"]
    right = builtin["momentum-step"][0].solution.answers
    assert np.allclose(_points(mutant.answers), _points(right).astype(float))
    _, states = oracle("momentum", np.array([0.0, 1.0]), bowl_grad, 3, lr=0.05)
    for mine, theirs in zip(mutant.answers["state"], states):
        assert np.allclose(
            [mine["momentum_buffer"]["w1"], mine["momentum_buffer"]["w2"]], 0.05 * theirs["momentum_buffer"]
        )


def _written(value: Any, digits: int = 6) -> Any:
    if isinstance(value, dict):
        return {k: _written(v, digits) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_written(v, digits) for v in value]
    return float(f"{float(value):.{digits}g}")


def test_right_rounded_answers_are_correct(grade_answers, builtin) -> None:
    for problem_id in BUILTIN:
        answers = builtin[problem_id][0].solution.answers
        results = grade_answers(builtin[problem_id], {part: _written(v) for part, v in answers.items()})
        assert {r.verdict for r in results.values()} == {"correct"}, problem_id


def test_adam_without_bias_correction_is_named_with_its_credit(grade_answers, builtin) -> None:
    prepared = builtin["adam-step"]
    points, _ = oracle("adam", np.array([0.0, 1.0]), bowl_grad, 2, lr=0.1, no_bias=True)
    trajectory = [{"w1": round(float(p[0]), 5), "w2": round(float(p[1]), 5)} for p in points]
    results = grade_answers(prepared, {"trajectory": trajectory})
    assert results["trajectory"].mistake == "no_bias_correction"
    assert results["trajectory"].score == Fraction(1)  # half of 2 points


def _every_part() -> Any:
    """momentum-step's problem (the bowl from (0, 1), 3 steps) asking every part, params_after too."""
    return prepare([solve(problem({"name": "momentum", "lr": 0.05, "momentum": 0.9}))])


def test_the_result_and_objective_history_follow_from_the_students_own_trajectory(grade_answers) -> None:
    prepared = _every_part()
    right = _points(prepared[0].solution.answers).astype(float)
    mine = right.copy()
    mine[2:, 0] += 0.05  # an arithmetic slip at step 2, carried on
    history = [float((p[0] - 1) ** 2 + 10 * p[1] ** 2) for p in mine]
    points = [{"w1": float(p[0]), "w2": float(p[1])} for p in mine]
    results = grade_answers(
        prepared, {"trajectory": points, "params_after": dict(points[-1]), "objective_history": history}
    )
    assert results["trajectory"].verdict == "partial"
    for part in ("params_after", "objective_history"):
        assert results[part].verdict == "correct" and results[part].follow_through, part


def test_a_trajectory_standing_at_the_start_carries_nothing_through(grade_answers) -> None:
    prepared = _every_part()
    still = [{"w1": 0.0, "w2": 1.0} for _ in range(prepared[0].problem.given.steps + 1)]
    results = grade_answers(
        prepared, {"trajectory": still, "params_after": {"w1": 0.0, "w2": 1.0}, "objective_history": [10.0] * 4}
    )
    for part in ("params_after", "objective_history"):
        assert results[part].score == 0 and not results[part].follow_through, part


def test_the_state_follows_from_the_gradients_at_the_students_own_points(grade_answers, builtin) -> None:
    prepared = builtin["momentum-step"]
    mine = _points(prepared[0].solution.answers).astype(float)
    mine[2:, 0] += 0.05  # an arithmetic slip at step 2, carried on
    buffers, buf = [], None
    for point in mine[:-1]:  # torch's buffer from the gradient at each of the student's points
        buf = bowl_grad(point) if buf is None else 0.9 * buf + bowl_grad(point)
        buffers.append({"momentum_buffer": {"w1": float(buf[0]), "w2": float(buf[1])}})
    results = grade_answers(
        prepared, {"trajectory": [{"w1": float(p[0]), "w2": float(p[1])} for p in mine], "state": buffers}
    )
    assert results["trajectory"].verdict == "partial"
    assert results["state"].verdict == "correct" and results["state"].follow_through


def test_bias_corrected_moments_follow_from_the_students_own_state(grade_answers, builtin) -> None:
    prepared = builtin["adam-step"]
    state = [
        {k: {n: float(x) for n, x in v.items()} for k, v in s.items()} for s in prepared[0].solution.answers["state"]
    ]
    state[1]["exp_avg"]["w1"] = -0.4  # -0.36 slipped
    corrected = [
        {
            "exp_avg": {n: x / (1 - 0.9**t) for n, x in s["exp_avg"].items()},
            "exp_avg_sq": {n: x / (1 - 0.999**t) for n, x in s["exp_avg_sq"].items()},
        }
        for t, s in enumerate(state, start=1)
    ]
    results = grade_answers(prepared, {"state": state, "corrected_moments": corrected})
    assert results["state"].verdict == "partial"
    assert results["corrected_moments"].verdict == "correct" and results["corrected_moments"].follow_through


@pytest.mark.parametrize(
    ("given_text", "message"),
    [
        (
            "objective: 'w1^2'\nstart: {w1: 1}\noptimizer: {name: adamm}",
            "g.yaml:3:19: optimizer.name: unknown value 'adamm'; expected one of: sgd, momentum, nesterov, adagrad",
        ),
        ("objective: 'w1^2 + q'\nstart: {w1: 1}\noptimizer: {name: sgd}", "g.yaml:1:12: objective: cannot read"),
        (
            "objective: 'w1^2'\nstart: {w1: 1}\noptimizer: {name: sgd, betas: [0.9, 0.99]}",
            "g.yaml:3:31: optimizer.betas: unknown key 'betas'; expected one of: lr, name, weight_decay",
        ),
        (
            "objective: 'w1^2'\nstart: {w1: 1}\noptimizer: {name: adam, betas: [0.9, 1]}",
            "g.yaml:3:32: optimizer.betas: betas lie in [0, 1), got 1",
        ),
        (
            "objective: 'w1^2'\nstart: {w1: 1}\noptimizer: {name: sgd, lr: 0}",
            "g.yaml:3:28: optimizer.lr: expected a number > 0, got 0",
        ),
    ],
)
def test_bad_givens_get_one_line_naming_the_place(given_text: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        KIND.parse_given(parse_text(given_text, "g.yaml"))
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


@pytest.mark.parametrize(
    "optimizer",
    [
        {"name": "momentum", "lr": 0.1, "momentum": 0.9, "dampening": 0.45},  # 1 - tau = 0.55
        {"name": "rmsprop", "lr": 0.5},  # the default alpha 0.99: 1 - alpha = 0.01
    ],
)
def test_the_handouts_factors_one_minus_a_hyperparameter_come_from_the_kind(optimizer: dict) -> None:
    """1 - tau and 1 - alpha, which the handout multiplies by, are numbers the kind gives it (its extras): on these
    problems nothing else in the solution is that number. (Adam's 1 - beta is step 1's bias correction too.)"""
    solution = solve(problem(optimizer, steps=2, objective="(w1 - 2)^2 + 3*w2^2"))
    for lang in ("en", "zh"):
        check_numbers_come_from_the_solver(solution, lang)
