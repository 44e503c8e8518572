"""Two of a kind's mistakes made together (Kind.pairs, for `hwsolver mine`): ids and parts as the contract says,
and the answers of one pair per kind against a computation written here (finite differences, loops, counts by hand,
the optimizer's and the penalty's formulas)."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy

from hwsolver.expr import parse, to_sympy
from hwsolver.kinds import KINDS
from hwsolver.kinds.pairs import changed
from hwsolver.model import Symbolic
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import load_problem

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = {s.problem.id: s for s in solve_paths([ROOT / "problems"])}
# Kinds whose mistakes are no switches of one computation: formula rewritings of the derivation (derivative,
# index_gradient), or the step count shifted one way and the other (lr_schedule: together they cancel).
UNPAIRED = {"derivative", "index_gradient", "lr_schedule"}


def pair(problem_id: str, pair_id: str) -> dict:
    solution = BUILT_IN[problem_id]
    found = [m for m in KINDS[solution.problem.kind].pairs(solution.problem, solution) if m.id == pair_id]
    assert found, f"{problem_id}: no pair {pair_id}"
    return dict(found[0].answers)


def numbers(value) -> list[float]:
    if isinstance(value, dict):
        return [x for key in value for x in numbers(value[key])]
    if isinstance(value, tuple | list):
        return [x for item in value for x in numbers(item)]
    return [float(value)]


def differs(got, want) -> bool:
    if isinstance(want, dict):
        return any(differs(got[key], item) for key, item in want.items())
    if isinstance(want, Symbolic):
        return got.expr != want.expr
    return not close(got, want)


def close(got, want) -> bool:
    return np.allclose(numbers(got), numbers(want), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_pairs_are_two_of_the_kinds_mistakes(name: str) -> None:
    kind = KINDS[name]
    assert (kind.pairs is None) == (name in UNPAIRED)
    for solution in (s for s in BUILT_IN.values() if s.problem.kind == name and kind.pairs):
        for mutant in kind.pairs(solution.problem, solution):
            first, second = mutant.id.split("+")
            assert first != second and {first, second} <= set(kind.credits), mutant.id
            assert set(mutant.answers) <= set(kind.parts_for(solution.problem.given))
            assert any(differs(value, solution.answers[part]) for part, value in mutant.answers.items()), mutant.id


def test_mlp_sign_flipped_and_missing_half(write_yaml) -> None:
    """A sigmoid network (ReLU' = 1 would hide the derivative): the update w + 2 eta g, with g by finite
    differences."""
    text = (ROOT / "problems" / "relu-network-update.yaml").read_text(encoding="utf-8")
    text = text.replace("activation: relu", "activation: sigmoid").replace("learning_rate: 1", "learning_rate: 0.5")
    solution = solve(load_problem(write_yaml(text)))
    (mutant,) = [
        m for m in KINDS["mlp_backprop"].pairs(solution.problem, solution) if m.id == "sign_flipped+missing_half"
    ]
    w1, w2, x = np.array([[0.6, 0.2], [0.1, 0.7]]), np.array([[0.5, 0.8]]), np.array([0.2, 0.3])
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    loss = lambda a, b: 0.5 * (sigmoid(b @ sigmoid(a @ x))[0] - 0.5) ** 2  # noqa: E731
    h = 1e-6
    grads = []
    for k, w in enumerate((w1, w2)):
        g = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            up, down = [w1.copy(), w2.copy()], [w1.copy(), w2.copy()]
            up[k][index] += h
            down[k][index] -= h
            g[index] = (loss(*up) - loss(*down)) / (2 * h)
        grads.append(g)
    want = {"W1": (w1 + 2 * 0.5 * grads[0]).tolist(), "W2": (w2 + 2 * 0.5 * grads[1]).tolist()}
    assert np.allclose(numbers(mutant.answers["params_after"]), numbers(want), atol=1e-8)


def test_conv_kernel_not_rotated_and_no_activation_derivative() -> None:
    w = np.array([[0.5, -1], [1, 0.5]])
    e = np.array([[0.1, -0.2, 0.3], [0.2, 0.1, -0.1], [-0.3, 0.2, 0.1]])
    k, out = 2, 3
    delta = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            for u in range(k):
                for v in range(k):  # the full convolution with w itself, not rot180(w); f' left out
                    if 0 <= i - u < out and 0 <= j - v < out:
                        delta[i, j] += w[k - 1 - u, k - 1 - v] * e[i - u, j - v]
    assert close(pair("conv-backprop", "kernel_not_rotated+no_activation_derivative")["delta_prev"], delta.tolist())


def test_param_count_without_biases_and_input_channels() -> None:
    """Kernels 5x5 (3 of them), 4x4 (5), 4x4 (5) without C_in, and the dense layer's 400 x 100 weights."""
    answers = pair("cnn-param-count", "biases_forgotten+input_channels_forgotten")
    assert answers["total"] == 3 * 25 + 5 * 16 + 5 * 16 + 400 * 100


def test_initialization_fans_swapped_without_gain() -> None:
    """Kaiming's fan_in taken as fan_out (256, then 10) and the gain as 1: Var(w) = 1/fan, bound sqrt(3 Var)."""
    answers = pair("he-initialization", "fans_swapped+gain_left_out")
    assert answers["weight_variance"] == (Fraction(1, 256), Fraction(1, 10))
    assert close(answers["bound"], [math.sqrt(3 / 256), math.sqrt(3 / 10)])


def test_adam_without_bias_correction_eps_inside_the_root() -> None:
    theta = np.array([0.0, 1.0])
    m = v = np.zeros(2)
    path = [theta]
    for _ in range(2):
        g = np.array([2 * (theta[0] - 1), 20 * theta[1]])
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
        theta = theta - 0.1 * m / np.sqrt(v + 1e-8)
        path.append(theta)
    answers = pair("adam-step", "no_bias_correction+eps_inside_sqrt")
    assert close([[p["w1"], p["w2"]] for p in answers["trajectory"]], [list(p) for p in path])


def test_dropout_mask_at_test_and_not_in_backward() -> None:
    w = np.array([[0.5, -1, 0.25, 2], [1, 0.5, -0.5, 0]])
    h, mask, b, g = np.array([0.8, 0.2, 1.2, 0.5]), np.array([1, 0, 1, 0]), np.array([0.1, 0.2]), np.array([0.5, -1])
    answers = pair("dropout-lecture-code", "mask_at_test+mask_not_in_backward")
    assert close(answers["test_output"], (w @ (0.5 * mask * h) + b).tolist())
    assert close(answers["grad_input"], (g @ w).tolist())


def test_l2_biases_decayed_with_2_lambda() -> None:
    params = {"W": np.array([[0.6, -0.4], [0.2, 0]]), "b": np.array([0.1, -0.3])}
    data = {"W": np.array([[0.1, -0.2], [0.3, 0.05]]), "b": np.array([0.2, -0.1])}
    gradients = {name: data[name] + 2 * 0.1 * params[name] for name in params}
    answers = pair("l2-weight-decay", "bias_decayed+missing_half")
    assert close(answers["gradients"], {k: v.tolist() for k, v in gradients.items()})
    assert close(answers["params_after"], {k: (params[k] - 0.5 * gradients[k]).tolist() for k in params})


def test_pooling_last_maximum_counted_from_1() -> None:
    """The last maximum of each window (row-major) in the whole input, counted from 1; counting from 1 and inside
    the window are one switch set two ways, which do not pair."""
    x = np.array([[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 3], [2, 1, 3, 1]])
    want = []
    for i in range(2):
        row = []
        for j in range(2):
            window = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            last = max(divmod(k, 2) for k in range(4) if window.flat[k] == window.max())
            row.append((2 * i + last[0] + 1, 2 * j + last[1] + 1))
        want.append(row)
    assert want[1][1] == (4, 3)  # the tie [3, 3; 3, 1]: its last maximum
    assert close(pair("pooling-backprop", "argmax_one_based+max_last_tie")["argmax"], want)
    solution = BUILT_IN["pooling-backprop"]
    ids = {m.id for m in KINDS["pooling_backprop"].pairs(solution.problem, solution)}
    assert "argmax_one_based+argmax_in_window" not in ids


def test_op_count_two_departures_add_up() -> None:
    """Each fixed switch adds or removes its own operations: the pair's count is the right one plus what each
    departure alone changes."""
    solution = BUILT_IN["mlp-op-count"]
    singles = {m.id: m.answers for m in KINDS["op_count"].mutants(solution.problem, solution)}
    answers = pair("mlp-op-count", "activation_counted+update_not_counted")
    assert set(answers) >= {"forward_mults_per_layer", "backward_mults_total"}
    for part, value in answers.items():
        if part == "leading_order":
            continue
        right = formula(solution.answers[part])
        changes = [
            formula(singles[m][part]) - right
            for m in ("activation_counted", "update_not_counted")
            if part in singles[m]
        ]
        assert sympy.expand(formula(value) - right - sum(changes)) == 0, part


def formula(symbolic) -> sympy.Expr:
    return to_sympy(parse(symbolic.expr, symbolic.scope))


def test_op_count_leading_term_of_a_departure() -> None:
    """The update left out of the backward count (3n^2 + 2n less the update's n^2 multiplications), then only the
    leading term kept: 2n^2 per layer, 2Ln^2 in all."""
    answers = pair("mlp-op-count", "update_not_counted+leading_term_only")
    for n, layers in ((1, 1), (3, 4), (7, 2)):
        sizes = {"n": n, "L": layers}
        per_layer, total = (formula(answers[f"backward_mults_{part}"]) for part in ("per_layer", "total"))
        assert per_layer.subs({s: sizes[s.name] for s in per_layer.free_symbols}) == 2 * n**2
        assert total.subs({s: sizes[s.name] for s in total.free_symbols}) == 2 * layers * n**2


def test_a_pair_keeps_only_the_answers_it_changes() -> None:
    """A pair's float run against the exact solution: rounding is no change; another number or key is."""
    right = {"loss": Fraction(1, 3), "params": {"W": ((Fraction(1, 2), 1),)}, "rule": "sgd"}
    assert changed({"loss": 1 / 3, "params": {"W": ((0.5, 1.0),)}, "rule": "sgd"}, right) == {}
    wrong = {"loss": 0.334, "params": {"V": ((0.5, 1.0),)}, "rule": "adam"}
    assert changed(wrong, right) == wrong
