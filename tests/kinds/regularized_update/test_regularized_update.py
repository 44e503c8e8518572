"""regularized_update: an independent NumPy oracle, finite differences of the penalty, exact vs float, the built-in
problems by hand, the bias rule, spec errors, the text and handout accounts."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hwsolver.errors import SpecError
from hwsolver.handout.document import handout_markdown
from hwsolver.kinds.regularized_update import KIND
from hwsolver.model import Problem
from hwsolver.solving import solutions_text, solve
from hwsolver.spec.problems import load_problem, problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

F = Fraction
ROOT = Path(__file__).resolve().parents[3]
L2 = ROOT / "problems" / "l2-weight-decay.yaml"
L1 = ROOT / "problems" / "l1-regularized-steps.yaml"


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, Fraction) else value


def make_problem(given: dict[str, Any], parts: list[str] | None = None) -> Problem:
    text = yaml.safe_dump({"id": "t", "kind": "regularized_update", "title": "t", "statement": "t"})
    text += yaml.safe_dump({"given": plain(given), "parts": parts or ["params_after"]})
    return problem_from_node(parse_text(text, "test.yaml"))


# -- an independent oracle ------------------------------------------------------------------------------------


def oracle(given: dict[str, Any]) -> dict[str, Any]:
    """The steps written again with NumPy: penalties, regularized gradients and parameters after each step."""
    lam, eta = float(F(given["lambda"])), float(F(given["learning_rate"]))
    biases = given.get("biases", [n for n in given["params"] if n.startswith("b")])
    decayed = [n for n in given["params"] if given.get("regularize_biases") or n not in biases]
    steps = given["data_gradients"] if isinstance(given["data_gradients"], list) else [given["data_gradients"]]
    theta = {n: np.array(v, dtype=float) for n, v in given["params"].items()}
    penalties, gradients, afters = [], [], []
    for data in steps:
        if given["regularizer"] == "l2":
            penalties.append(lam / 2 * sum(np.sum(theta[n] ** 2) for n in decayed))
        else:
            penalties.append(lam * sum(np.sum(np.abs(theta[n])) for n in decayed))
        grads = {}
        for n, w in theta.items():
            # a weight within rounding of 0 is one the steps left at 0 exactly (-0.05 + 0.5 * 0.1): sign(0) = 0
            slope = np.sign(np.where(np.abs(w) < 1e-12, 0.0, w))
            extra = (lam * w if given["regularizer"] == "l2" else lam * slope) if n in decayed else 0 * w
            grads[n] = np.array(data[n], dtype=float) + extra
        theta = {n: w - eta * grads[n] for n, w in theta.items()}
        gradients.append(grads)
        afters.append(theta)
    return {"penalty": penalties, "gradients": gradients, "params_after": afters}


eighths = st.integers(-8, 8).map(lambda k: F(k, 8))  # zeros come often: sign(0) matters


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    shapes = {"W": draw(st.sampled_from([(), (3,), (2, 3)])), "b": draw(st.sampled_from([(), (2,)]))}
    if draw(st.booleans()):
        shapes["v"] = (2, 2)

    def array(shape: tuple[int, ...]) -> Any:
        if not shape:
            return draw(eighths)
        return [array(shape[1:]) for _ in range(shape[0])]

    steps = draw(st.integers(1, 3))
    gradients = [{n: array(s) for n, s in shapes.items()} for _ in range(steps)]
    given = {
        "params": {n: array(s) for n, s in shapes.items()},
        "data_gradients": gradients if steps > 1 or draw(st.booleans()) else gradients[0],
        "regularizer": draw(st.sampled_from(["l1", "l2"])),
        "lambda": draw(st.sampled_from(["0.1", "1/3", "0.05", "2"])),
        "learning_rate": draw(st.sampled_from(["0.5", "0.1", "1/7"])),
    }
    if draw(st.booleans()):
        given["regularize_biases"] = True
    if draw(st.booleans()):
        given["biases"] = draw(st.sampled_from([[], ["b"], ["b", "v"] if "v" in shapes else ["W"]]))
    return given


@settings(max_examples=60, deadline=None)
@given(instances())
@example(  # W = 1/8 reaches 0 exactly at step 2 (1/8 - 0.5 * 0.35 + 0.5 * 0.1), 1.4e-17 in float64; step 3 reads sign 0
    {
        "params": {"W": [F(1, 8), F(0), F(0)], "b": F(0)},
        "data_gradients": [{"W": [F(1, 4), F(0), F(0)], "b": F(0)}, *[{"W": [F(0)] * 3, "b": F(0)}] * 2],
        "regularizer": "l1",
        "lambda": "0.1",
        "learning_rate": "0.5",
    }
)
def test_answers_match_an_independent_numpy_oracle(given_values: dict[str, Any]) -> None:
    problem = make_problem(given_values)
    answers = solve(problem).answers
    expected = oracle(given_values)
    several = isinstance(given_values["data_gradients"], list) and len(given_values["data_gradients"]) > 1
    for part in ("penalty", "gradients", "params_after"):
        got = answers[part] if several else [answers[part]]
        assert len(got) == len(expected[part])
        for mine, theirs in zip(got, expected[part]):
            if part == "penalty":
                assert isinstance(mine, Fraction) and float(mine) == pytest.approx(theirs, rel=1e-12, abs=1e-14)
                continue
            assert set(mine) == set(theirs)
            for name, value in mine.items():
                assert np.allclose(np.array(value, dtype=float), theirs[name], rtol=1e-12, atol=1e-14), name
    assert disagreement(answers, solve(problem, exact=False).answers) is None
    built = KIND.chain(problem, solve(problem))  # the steps a student writes down give the answers too
    values = built.values()
    assert all(disagreement(answers[part], read(values)) is None for part, read in built.answers.items())


def penalty_function(kind: str, lam: float) -> Any:
    return (lambda w: lam / 2 * np.sum(w**2)) if kind == "l2" else (lambda w: lam * np.sum(np.abs(w)))


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_the_penalty_gradient_is_the_penalty_differentiated(kind: str) -> None:
    """Central differences of the penalty (away from 0, where |w| has a derivative) give the gradient's extra."""
    rng = np.random.default_rng(3 if kind == "l2" else 4)
    for _ in range(20):
        w = rng.integers(-9, 10, (2, 3)) / 4
        w[w == 0] = 0.5
        data = rng.integers(-9, 10, (2, 3)) / 8
        given = {"params": {"W": w.tolist()}, "data_gradients": {"W": data.tolist()}, "regularizer": kind}
        answers = solve(make_problem(given | {"lambda": "0.3", "learning_rate": "0.5"})).answers
        penalty, h = penalty_function(kind, 0.3), 1e-6
        numeric = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            up, down = w.copy(), w.copy()
            up[index] += h
            down[index] -= h
            numeric[index] = (penalty(up) - penalty(down)) / (2 * h)
        assert np.allclose(np.array(answers["gradients"]["W"], dtype=float) - data, numeric, atol=1e-8)
        assert float(answers["penalty"]) == pytest.approx(penalty(w))


def test_an_l2_step_is_the_shrinkage_form() -> None:
    """w - eta (g + lambda w) = (1 - eta lambda) w - eta g for every weight; biases take the plain step."""
    answers = solve(load_problem(L2)).answers
    w, g = np.array([[0.6, -0.4], [0.2, 0]]), np.array([[0.1, -0.2], [0.3, 0.05]])
    assert answers["decay_factor"] == F(19, 20)
    assert np.allclose(np.array(answers["params_after"]["W"], dtype=float), 0.95 * w - 0.5 * g, atol=1e-15)
    assert answers["params_after"]["b"] == (0, F(-1, 4))  # 0.1 - 0.5 * 0.2, -0.3 + 0.5 * 0.1


def test_the_l2_problem_by_hand() -> None:
    """Penalty 0.1/2 (0.36 + 0.16 + 0.04 + 0) = 0.028; b left out."""
    answers = solve(load_problem(L2)).answers
    assert answers["penalty"] == F(7, 250)
    assert answers["gradients"] == {"W": ((F(4, 25), F(-6, 25)), (F(8, 25), F(1, 20))), "b": (F(1, 5), F(-1, 10))}
    assert answers["params_after"]["W"] == ((F(13, 25), F(-7, 25)), (F(1, 25), F(-1, 40)))


def test_the_l1_problem_by_hand() -> None:
    """Step 1: sign(0) = 0 leaves w2's gradient at its data gradient 0.1; step 2 brings w3 to exactly 0."""
    answers = solve(load_problem(L1)).answers
    assert answers["penalty"] == (F(1, 20), F(3, 100))
    first, second = answers["gradients"]
    assert first == {"w": (F(3, 10), F(1, 10), F(-1, 5)), "b": F(1, 5)}
    assert second == {"w": (F(1, 5), F(-2, 5), F(-1, 5)), "b": F(-1, 10)}
    assert answers["params_after"] == (
        {"w": (F(3, 20), F(-1, 20), F(-1, 10)), "b": F(2, 5)},
        {"w": (F(1, 20), F(3, 20), 0), "b": F(9, 20)},
    )
    assert "decay_factor" not in answers


def test_a_weight_a_step_leaves_at_zero_has_sign_zero_in_float64_too() -> None:
    """0.3 - 1 * (0.2 + 0.1) is exactly 0, and 5.6e-17 in float64: the next L1 step takes sign(0) = 0 on both
    paths (the float one does not read the rounding's sign), so they agree and step 2 moves w by its data
    gradient alone: 0 - 1 * 0.4."""
    given = {
        "params": {"w": "0.3"},
        "data_gradients": [{"w": "0.2"}, {"w": "0.4"}],
        "regularizer": "l1",
        "lambda": "0.1",
        "learning_rate": 1,
    }
    problem = make_problem(given, ["gradients", "params_after"])
    answers = solve(problem).answers  # runs the witness: exact against float64
    assert answers["params_after"] == ({"w": 0}, {"w": F(-2, 5)})
    assert answers["gradients"] == ({"w": F(3, 10)}, {"w": F(2, 5)})
    assert solve(problem, exact=False).answers["gradients"][1] == {"w": 0.4}


BASE = {
    "params": {"W": [[1, -2]], "b": [3], "c": 4},
    "data_gradients": {"W": [[0, 0]], "b": [0], "c": 0},
    "regularizer": "l2",
    "lambda": 1,
    "learning_rate": "0.5",
}


@pytest.mark.parametrize(
    ("extra", "decayed"),
    [
        ({}, {"W", "c"}),  # b by its name; c is a weight
        ({"biases": ["b", "c"]}, {"W"}),
        ({"biases": []}, {"W", "b", "c"}),
        ({"regularize_biases": True}, {"W", "b", "c"}),
    ],
)
def test_which_parameters_the_penalty_reads(extra: dict[str, Any], decayed: set[str]) -> None:
    """With zero data gradients a decayed parameter halves (1 - 0.5 * 1) and keeps its value otherwise."""
    after = solve(make_problem(BASE | extra)).answers["params_after"]
    halved = {name for name, value in after.items() if np.ravel(value)[0] != np.ravel(BASE["params"][name])[0]}
    assert halved == decayed


_SPEC = """\
id: t
kind: regularized_update
title: t
statement: t
given:
  params: {params}
  data_gradients: {gradients}
  regularizer: l2
  lambda: {lam}
  learning_rate: 0.5
{extra}parts: [params_after]
"""


@pytest.mark.parametrize(
    ("params", "gradients", "lam", "extra", "message"),
    [
        ("{W: [1, 2], w: [3]}", "{W: [1, 2], w: [3]}", "0.1", "",
         "test.yaml:6:26: given.params.w: 'w' and 'W' differ only in case: name them apart"),
        ("{W: [1, 2]}", "{W: [1, 2, 3]}", "0.1", "",
         "test.yaml:7:23: given.data_gradients.W: expected a vector of 2, got 3"),
        ("{W: [1, 2]}", "{V: [1, 2]}", "0.1", "",
         "test.yaml:7:23: given.data_gradients.V: unknown key 'V'; expected one of: W"),
        ("{W: [1, 2], b: 1}", "{W: [1, 2], b: [1]}", "0.1", "",
         "test.yaml:7:34: given.data_gradients.b: expected a number (the parameter is one), got a list of 1"),
        ("{W: [1, 2]}", "{W: [1, 2]}", "0", "",
         "test.yaml:9:11: given.lambda: expected a number > 0, got 0"),
        ("{W: [1, 2]}", "{W: [1, 2]}", "0.1", "  biases: [c]\n",
         "test.yaml:11:12: given.biases[0]: no parameter is named 'c'; the parameters are: W"),
        ("{W: [[[1]]]}", "{W: [1]}", "0.1", "",
         "test.yaml:6:15: given.params.W: expected a number, a vector or a matrix"),
        ("{W_1: [1]}", "{W_1: [1]}", "0.1", "",
         "test.yaml:6:17: given.params.W_1: a parameter's name is a letter, then letters or digits (W1, b1, w), "
         "not 'W_1'"),
        ("{W: [1]}", "[]", "0.1", "",
         "test.yaml:7:19: given.data_gradients: expected the gradients of at least one step"),
    ],
)  # fmt: skip
def test_spec_errors_name_the_field(params: str, gradients: str, lam: str, extra: str, message: str) -> None:
    text = _SPEC.format(params=params, gradients=gradients, lam=lam, extra=extra)
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(text, "test.yaml"))
    assert str(error.value) == message


def test_at_most_fifty_steps() -> None:
    text = _SPEC.format(params="{W: [1]}", gradients="[" + ", ".join(["{W: [1]}"] * 51) + "]", lam="1", extra="")
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(text, "test.yaml"))
    assert str(error.value) == "test.yaml:7:19: given.data_gradients: at most 50 steps"


def test_decay_factor_is_a_part_of_l2_only() -> None:
    text = _SPEC.format(params="{W: [1]}", gradients="{W: [1]}", lam="1", extra="").replace("l2", "l1")
    with pytest.raises(SpecError, match="cannot answer part 'decay_factor'"):
        problem_from_node(parse_text(text.replace("[params_after]", "[decay_factor]"), "test.yaml"))


def test_solve_text_shows_each_entry_old_new_and_gradient() -> None:
    lines = solutions_text([solve(load_problem(L1))]).splitlines()
    assert lines[2:5] == [
        "  penalty: L1, lambda sum |w| (subgradient sign(w), sign(0) = 0) over w; biases b not regularized",
        "  lambda 0.1, learning rate 0.5, 2 steps",
        "",
    ]
    assert lines[5:10] == [
        "  step 1: penalty 0.05; parameters: old -> new (gradient of the regularized objective)",
        "    w[1]: 0.3 -> 0.15   (gradient 0.3)",
        "    w[2]: 0 -> -0.05   (gradient 0.1)",
        "    w[3]: -0.2 -> -0.1   (gradient -0.2)",
        "    b: 0.5 -> 0.4   (gradient 0.2)",
    ]
    assert lines[-4:] == [
        "    w[1]: 0.15 -> 0.05   (gradient 0.2)",
        "    w[2]: -0.05 -> 0.15   (gradient -0.4)",
        "    w[3]: -0.1 -> 0   (gradient -0.2)",
        "    b: 0.4 -> 0.45   (gradient -0.1)",
    ]


def test_the_handout_works_each_entry_with_its_numbers() -> None:
    text = handout_markdown([solve(load_problem(L2))], "en")
    for step in [
        r"1 - \eta\lambda = 1 - 0.5 \times 0.1 = 0.95",
        r"= \frac{0.1}{2}\left(0.6^2 + \left(-0.4\right)^2 + 0.2^2 + 0^2\right) = 0.028",
        r"+ \lambda W_{1,2} = -0.2 + 0.1 \times \left(-0.4\right) = -0.24",
        r"\frac{\partial \mathcal{L}'}{\partial b_{1}} &= \frac{\partial \mathcal{L}}{\partial b_{1}} = 0.2",
        r"W_{1,1} &\leftarrow 0.6 - 0.5 \times 0.16 = 0.95 \times 0.6 - 0.5 \times 0.1 = 0.52",
        r"b_{2} &\leftarrow -0.3 - 0.5 \times \left(-0.1\right) = -0.25",
    ]:
        assert step in text
    zh = handout_markdown([solve(load_problem(L1))], "zh")
    for step in [
        r"\lambda \sum_w |w| = 0.1 \times \left(\left|0.3\right| + \left|0\right| + \left|-0.2\right|\right) = 0.05",
        r"= 0.1 + 0.1 \times \operatorname{sign}\left(0\right) = 0.1",
        r"w_{3} &\leftarrow -0.1 - 0.5 \times \left(-0.2\right) = 0",
        "第 2 步：$0.03$",
    ]:
        assert step in zh
