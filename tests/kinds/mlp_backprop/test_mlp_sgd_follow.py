"""Follow-through inside iteration_params: each iteration judged from the student's own iteration before it.

The students' work is computed here with the independent loop (oracle.py), never with hwsolver's training."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problems

from .oracle import Net, Params
from .test_mlp_sgd import DATA, make_problem

START = {"W1": [[0, 0]], "b1": [0]}
BUILT_IN = {  # problems/gd-vs-sgd.yaml's SGD run, as its statement gives it (samples from 0)
    "params": START,
    "activations": ["identity"],
    "loss": "squared_error",
    "x": [[1, 0], [0, 1], [1, 1], [2, 1]],
    "target": [1.5, -0.5, 1, 2.5],
    "rate": 0.2,
    "batches": [[0, 1], [2, 3], [2, 0], [3, 1]],
}
DEEP = {  # the two-layer ReLU network of test_mlp_sgd, four epochs of batches of 2: long decimals
    "params": {**DATA["weights"], **DATA["biases"]},
    "activations": DATA["activation"],
    "loss": "half_squared_error",
    "x": DATA["x"],
    "target": DATA["target"],
    "rate": 0.5,
    "batches": [[0, 1], [2, 3]] * 4,
}

Slip = Callable[[int, Params, Params, Params], Params]  # (iteration, before, gradients, right after) -> written


def own_iterations(case: dict[str, Any], slip: Slip | None = None, digits: int | None = None) -> list[Any]:
    """What a student writes, each iteration worked from their own previous one (rounded when `digits`)."""
    net = Net({k: np.array(v, dtype=float) for k, v in case["params"].items()}, case["activations"], case["loss"])
    xs = np.array(case["x"], dtype=float)
    ys = np.array(case["target"], dtype=float).reshape(len(xs), -1)
    params, written = dict(net.params), []
    for i, batch in enumerate(case["batches"]):
        grads = net.gradients(params, xs[batch], ys[batch])
        after = net.update(params, grads, case["rate"])
        params = slip(i, params, grads, after) if slip else after
        if digits:
            params = {k: np.vectorize(lambda v: float(f"{v:.{digits}g}"))(v) for k, v in params.items()}
        written.append({k: v.tolist() for k, v in params.items()})
    return written


def _built_in() -> Any:
    (problem,) = [p for p in load_problems() if p.id == "gd-vs-sgd"]
    return prepare([solve(problem)])


def test_a_slip_in_the_first_iteration_costs_that_iteration_alone(grade_answers: Any) -> None:
    """The update taken along the gradient in iteration 1, iterations 2 to 4 right from there: named there, and
    three quarters of the points (one of four iterations)."""

    def along(i: int, before: Params, grads: Params, after: Params) -> Params:
        return {k: v + BUILT_IN["rate"] * grads[k] for k, v in before.items()} if i == 0 else after

    result = grade_answers(_built_in(), {"iteration_params": own_iterations(BUILT_IN, along)})["iteration_params"]
    assert (result.verdict, result.mistake, result.follow_through) == ("partial", "sign_flipped", True)
    assert result.score == result.max_score * 3 / 4
    assert "item 1 " in result.feedback and "item 2 " not in result.feedback


def test_an_unnamed_slip_later_is_named_by_its_iteration(grade_answers: Any) -> None:
    def bumped(i: int, before: Params, grads: Params, after: Params) -> Params:
        return {**after, "b1": after["b1"] + 0.5} if i == 2 else after

    result = grade_answers(_built_in(), {"iteration_params": own_iterations(BUILT_IN, bumped)})["iteration_params"]
    assert (result.verdict, result.mistake) == ("partial", None)
    assert result.score == result.max_score * 7 / 8  # b1, one of the two parameters of one of four iterations
    assert "item 3 b1" in result.feedback


def test_rounding_each_iteration_to_three_figures_is_right(grade_answers: Any) -> None:
    problem = make_problem({**DATA, "batch_size": 2, "epochs": 4}, ("iteration_params",))
    solution = solve(problem)
    written = own_iterations(DEEP, digits=3)
    # the rounding carried on moves some number of the last iteration off the right value's three figures
    last, right = written[-1], solution.answers["iteration_params"][-1]
    got = np.concatenate([np.ravel(last[k]) for k in right])
    want = np.concatenate([np.ravel(np.array(right[k], dtype=float)) for k in right])
    half_units = 0.5 * 10.0 ** (np.floor(np.log10(np.abs(want))) - 2)
    assert np.any(np.abs(got - want) > 2 * half_units)
    result = grade_answers(prepare([solution]), {"iteration_params": written})["iteration_params"]
    assert (result.verdict, result.score, result.follow_through) == ("correct", result.max_score, False)
    assert "rounding" in result.feedback


def test_a_copied_start_earns_nothing_after_it(grade_answers: Any) -> None:
    """Every iteration the given parameters: nothing. Full-batch steps, the first written as the given parameters
    and the right ones one late after it: each would follow from the one before, but the copy took no work."""
    start = [copy.deepcopy(START) for _ in range(4)]
    result = grade_answers(_built_in(), {"iteration_params": start})["iteration_params"]
    assert (result.verdict, result.score, result.follow_through) == ("incorrect", 0, False), result.feedback
    problem = make_problem({**DATA, "epochs": 4}, ("iteration_params",))
    full_batch = {**DEEP, "batches": [[0, 1, 2, 3]] * 4}
    late = [copy.deepcopy(full_batch["params"]), *own_iterations(full_batch)[:3]]
    result = grade_answers(prepare([solve(problem)]), {"iteration_params": late})["iteration_params"]
    # at most a number that happens to stay the same from one iteration to the next, as the checker gives it
    assert result.score <= result.max_score / 16 and not result.follow_through, result.feedback
    assert "your own" not in result.feedback
