"""mlp_backprop's mini-batch SGD over epochs: the answers against the independent NumPy loop of oracle.py, the
gradients against finite differences, the exact path against float64, the classic slips, follow-through."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.errors import SpecError
from hwsolver.grading.prepared import prepare
from hwsolver.kinds.mlp_backprop import grading as mlp_grading
from hwsolver.model import Problem
from hwsolver.solving import solutions_text, solve
from hwsolver.spec.problems import load_problems, problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

from .oracle import Net, Trained, finite_differences, sgd

PARTS = ("loss_before", "gradients", "iteration_params", "iteration_loss", "epoch_loss", "params_after", "loss_after")
DATA = {
    "weights": {"W1": [[0.5, -0.5], [0.3, 0.8]], "W2": [[1.0, -0.4]]},
    "biases": {"b1": [0, 0.1], "b2": [0]},
    "activation": ["relu", "identity"],
    "x": [[1, 0], [0, 1], [1, 1], [0.5, -0.5]],
    "target": [1, 0, 1, 0.5],
    "loss": "half_squared_error",
    "learning_rate": 0.5,
}


def make_problem(given: dict[str, Any], parts: tuple[str, ...] = PARTS) -> Problem:
    text = yaml.safe_dump(
        {"id": "t", "kind": "mlp_backprop", "title": "t", "statement": "t", "given": given, "parts": list(parts)}
    )
    return problem_from_node(parse_text(text, "test.yaml"))


def oracle_run(given: dict[str, Any], orders: list[list[int]], **slips: bool) -> Trained:
    """The independent loop on this given (orders 0-based, as the test works them out)."""
    names = {**given["weights"], **given.get("biases", {})}
    net = Net(
        {k: np.array(v, dtype=float) for k, v in names.items()},
        given["activation"],
        loss=given["loss"],
        decay=float(Fraction(str(given.get("weight_decay", 0)))),
        frozen=frozenset(given.get("frozen", ())),
    )
    xs, ys = np.array(given["x"], dtype=float), np.array(given["target"], dtype=float).reshape(len(given["x"]), -1)
    batch = given.get("batch_size", len(xs))
    return sgd(net, xs, ys, float(Fraction(str(given["learning_rate"]))), batch, orders, **slips)


def assert_matches(answers: dict[str, Any], trained: Trained) -> None:
    assert len(answers["iteration_params"]) == len(trained.iteration_params)
    for got, want in zip(answers["iteration_params"], trained.iteration_params):
        for name, value in got.items():
            np.testing.assert_allclose(np.array(value, dtype=float), want[name], rtol=1e-12, atol=1e-15, err_msg=name)
    np.testing.assert_allclose(np.array(answers["iteration_loss"], dtype=float), trained.iteration_loss, rtol=1e-12)
    np.testing.assert_allclose(np.array(answers["epoch_loss"], dtype=float), trained.epoch_loss, rtol=1e-12)
    assert answers["params_after"] == answers["iteration_params"][-1]
    assert answers["loss_after"] == answers["epoch_loss"][-1]


CASES = {
    "order": ({"batch_size": 2, "order": [[2, 4, 1, 3], [3, 1, 4, 2]]}, [[1, 3, 0, 2], [2, 0, 3, 1]]),
    "uneven batches": ({"batch_size": 3, "epochs": 2}, [[0, 1, 2, 3]] * 2),
    "full batch": ({"epochs": 3}, [[0, 1, 2, 3]] * 3),
    "one by one": ({"batch_size": 1, "order": [[4, 3, 2, 1]]}, [[3, 2, 1, 0]]),
    "frozen and decay": (
        {"batch_size": 2, "epochs": 2, "frozen": ["b1", "W2"], "weight_decay": 0.1},
        [[0, 1, 2, 3]] * 2,
    ),
    "sigmoid": ({"batch_size": 2, "epochs": 2, "activation": ["sigmoid", "sigmoid"]}, [[0, 1, 2, 3]] * 2),
}


@pytest.mark.parametrize("case", CASES)
def test_sgd_matches_an_independent_loop_on_both_paths(case: str) -> None:
    change, orders = CASES[case]
    given = {**DATA, **change}
    problem = make_problem(given)
    exact, approx = solve(problem).answers, solve(problem, exact=False).answers
    assert disagreement(exact, approx, rtol=1e-12, atol=1e-14) is None
    if "sigmoid" not in case:
        assert all(isinstance(v, Fraction) for v in exact["iteration_loss"])
    assert_matches(exact, oracle_run(given, orders))
    assert_matches(approx, oracle_run(given, orders))


def test_the_first_iterations_gradients_are_the_batch_objectives() -> None:
    """Finite differences of the first batch's mean loss (samples 2 and 4 of the order)."""
    given = {**DATA, "batch_size": 2, "order": [[2, 4, 1, 3]], "weight_decay": 0.1}
    answers = solve(make_problem(given)).answers
    names = {**given["weights"], **given["biases"]}
    net = Net({k: np.array(v, dtype=float) for k, v in names.items()}, given["activation"], decay=0.1)
    xs, ys = np.array(given["x"], dtype=float)[[1, 3]], np.array(given["target"], dtype=float)[[1, 3]].reshape(2, 1)
    numeric = finite_differences(net, net.params, xs, ys)
    for name, value in answers["gradients"].items():
        np.testing.assert_allclose(np.array(value, dtype=float), numeric[name], rtol=1e-6, atol=1e-9, err_msg=name)
    assert float(answers["iteration_loss"][0]) == pytest.approx(net.objective(net.params, xs, ys), rel=1e-12)


def test_full_batch_epochs_are_gradient_descent_steps() -> None:
    """One batch of the whole dataset per epoch is `steps` of full-batch descent (another way to the answer)."""
    sgd_answers = solve(make_problem({**DATA, "epochs": 3})).answers
    gd_answers = solve(make_problem({**DATA, "steps": 3}, ("params_after", "loss_history"))).answers
    assert sgd_answers["params_after"] == gd_answers["params_after"]
    assert sgd_answers["epoch_loss"] == gd_answers["loss_history"][1:]
    assert sgd_answers["iteration_loss"] == gd_answers["loss_history"][:-1]


def test_a_seeded_shuffle_is_written_out() -> None:
    given = {**DATA, "batch_size": 2, "epochs": 3, "shuffle_seed": 7}
    problem = make_problem(given)
    rng, orders = random.Random(7), []
    for _ in range(3):
        order = [0, 1, 2, 3]
        rng.shuffle(order)
        orders.append(order)
    assert problem.given.schedule.orders == tuple(map(tuple, orders))
    assert_matches(solve(problem).answers, oracle_run(given, orders))
    text = solutions_text([solve(problem)], exact=False)
    for epoch, order in enumerate(orders, start=1):
        assert f"epoch {epoch}, order {', '.join(str(i + 1) for i in order)}:" in text
    # the same orders given explicitly, with the seed, agree; other orders with the seed are an error
    numbered = [[i + 1 for i in order] for order in orders]
    assert make_problem({**given, "order": numbered}).given == problem.given
    with pytest.raises(SpecError, match="order differs from the shuffle of seed 7"):
        make_problem({**given, "order": [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]]})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"order": [[1, 2, 3]]}, r"expected each of the samples 1 to 4 once, got \[1, 2, 3\]"),
        ({"order": [[1, 2, 3, 3]]}, "expected each of the samples 1 to 4 once"),
        ({"order": [[1, 2, 3, 4]], "epochs": 2}, r"expected one order per epoch \(2\), got 1"),
        ({"batch_size": 0}, "batch_size"),
        ({"epochs": 2, "steps": 3}, "steps counts full-batch steps"),
        ({"epochs": 1001}, "at most 1000 epochs"),
    ],
)
def test_a_bad_schedule_is_one_clear_error(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        make_problem({**DATA, **change})


# -- the classic slips, each against the independent loop with the student's mistake written into it ----------

# squared_error: with half_squared_error a batch of two summed is the missing 1/2, the same numbers
SLIPPED = {**DATA, "loss": "squared_error", "batch_size": 2, "order": [[2, 4, 1, 3], [3, 1, 4, 2]]}
ORDERS = [[1, 3, 0, 2], [2, 0, 3, 1]]


def _mutant(mutant_id: str) -> Any:
    problem = make_problem(SLIPPED)
    solution = solve(problem)
    (mutant,) = [m for m in mlp_grading.mutants(problem, solution) if m.id == mutant_id]
    return solution, mutant


@pytest.mark.parametrize(
    ("mutant_id", "slips"), [("batch_sum_not_mean", {"mean": False}), ("per_sample_updates", {"per_sample": True})]
)
def test_each_sgd_slip_gives_what_the_student_computes(mutant_id: str, slips: dict[str, bool]) -> None:
    solution, mutant = _mutant(mutant_id)
    wrong = oracle_run(SLIPPED, ORDERS, **slips)
    assert_matches(mutant.answers, wrong)
    assert not np.allclose(np.array(wrong.epoch_loss), np.array(solution.answers["epoch_loss"], dtype=float))


def test_an_epoch_loss_from_the_batches_is_named() -> None:
    _, mutant = _mutant("epoch_loss_from_batches")
    losses = oracle_run(SLIPPED, ORDERS).iteration_loss
    np.testing.assert_allclose(mutant.answers["epoch_loss"], [np.mean(losses[:2]), np.mean(losses[2:])], rtol=1e-12)


def test_a_batch_of_one_has_no_batch_slips() -> None:
    problem = make_problem({**DATA, "batch_size": 1, "epochs": 1})
    ids = {m.id for m in mlp_grading.mutants(problem, solve(problem))}
    assert "batch_sum_not_mean" not in ids and "per_sample_updates" not in ids and "epoch_loss_from_batches" in ids


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    return round(float(value), 8)


def test_a_summed_batch_gradient_is_named_when_graded(grade_answers: Any) -> None:
    solution, mutant = _mutant("batch_sum_not_mean")
    prepared = prepare([solution])
    result = grade_answers(prepared, {"iteration_params": plain(mutant.answers["iteration_params"])})
    assert (result["iteration_params"].verdict, result["iteration_params"].mistake) == ("partial", "batch_sum_not_mean")
    right = grade_answers(prepared, {part: plain(solution.answers[part]) for part in PARTS})
    assert all(r.verdict == "correct" for r in right.values())


def test_losses_follow_from_the_students_own_iterations(grade_answers: Any) -> None:
    """A slip in the first iteration's W2 carried on: the later losses are judged from the student's params."""
    problem = make_problem(SLIPPED)
    solution = solve(problem)
    names = {**SLIPPED["weights"], **SLIPPED["biases"]}
    net = Net({k: np.array(v, dtype=float) for k, v in names.items()}, SLIPPED["activation"], loss="squared_error")
    xs, ys = np.array(SLIPPED["x"], dtype=float), np.array(SLIPPED["target"], dtype=float).reshape(4, 1)
    params, own, losses = dict(net.params), [], []
    for i, batch in enumerate([[1, 3], [0, 2], [2, 0], [3, 1]]):
        losses.append(net.objective(params, xs[batch], ys[batch]))
        params = net.update(params, net.gradients(params, xs[batch], ys[batch]), 0.5)
        params = {k: np.round(v, 8) for k, v in params.items()}  # as the student writes them
        if i == 0:
            params["W2"] = params["W2"] + 0.2  # the student's slip
        own.append(params)
    epochs = [net.objective(own[1], xs, ys), net.objective(own[3], xs, ys)]
    student = {
        "iteration_params": plain(own),
        "iteration_loss": [round(v, 8) for v in losses],
        "epoch_loss": [round(v, 8) for v in epochs],
        "params_after": plain(own[-1]),
    }
    results = grade_answers(prepare([solution]), student)
    assert results["iteration_params"].verdict != "correct"
    for part in ("iteration_loss", "epoch_loss", "params_after"):
        assert results[part].follow_through and results[part].score == results[part].max_score, part


def test_the_built_in_comparison_of_gd_and_sgd() -> None:
    """problems/gd-vs-sgd.yaml: each run against the independent loop, worked from the problem's own numbers."""
    (problem,) = [p for p in load_problems() if p.id == "gd-vs-sgd"]
    answers = solve(problem).answers
    given = {
        "weights": {"W1": [[0, 0]]},
        "biases": {"b1": [0]},
        "activation": ["identity"],
        "x": [[1, 0], [0, 1], [1, 1], [2, 1]],
        "target": [1.5, -0.5, 1, 2.5],
        "loss": "squared_error",
        "learning_rate": 0.2,
    }
    orders = [[0, 1, 2, 3], [2, 0, 3, 1]]
    for name, batch in (("GD", 4), ("SGD", 2)):
        trained = oracle_run({**given, "batch_size": batch}, orders)
        np.testing.assert_allclose(np.array(answers["run_iteration_loss"][name], dtype=float), trained.iteration_loss)
        np.testing.assert_allclose(np.array(answers["run_epoch_loss"][name], dtype=float), trained.epoch_loss)
    # by hand: GD's first objective is the mean of 1.5^2, 0.5^2, 1^2, 2.5^2 at zero parameters
    assert answers["run_iteration_loss"]["GD"][0] == Fraction(39, 16)
    assert answers["run_epoch_loss"]["SGD"][-1] < answers["run_epoch_loss"]["GD"][-1]
    assert answers["iteration_loss"] == answers["run_iteration_loss"]["SGD"]


def test_the_loss_plots_are_the_answers_and_the_same_bytes_each_time() -> None:
    from hwsolver.kinds.mlp_backprop import explain

    (problem,) = [p for p in load_problems() if p.id == "gd-vs-sgd"]
    solution = solve(problem)
    charts = explain.extras(solution)
    gd, sgd_series = charts["iteration_plot"].series
    assert (gd.label, sgd_series.label) == ("GD", "SGD")
    assert sgd_series.ys == tuple(float(v) for v in solution.answers["run_iteration_loss"]["SGD"])
    assert charts["epoch_plot"].series[0].ys[0] == float(solution.answers["loss_before"])
    first = charts["epoch_plot"].svg("gd-vs-sgd-epochs")
    assert first == explain.extras(solve(problem))["epoch_plot"].svg("gd-vs-sgd-epochs")
    assert "<svg" in first and "Date" not in first and "<metadata>" not in first


@pytest.mark.parametrize(("fmt", "mark", "count"), [("html", "<svg", 3), ("tex", r"\begin{tikzpicture}", 3)])
def test_the_handout_draws_both_loss_curves(fmt: str, mark: str, count: int) -> None:
    """The network and the two loss charts: inline SVG in HTML, TikZ in LaTeX."""
    from hwsolver.handout.document import render_handout

    (problem,) = [p for p in load_problems() if p.id == "gd-vs-sgd"]
    text = render_handout([solve(problem)], fmt, "en")
    assert text.count(mark) == count
    assert "Loss curves" in text and "End of epoch 2" in text
