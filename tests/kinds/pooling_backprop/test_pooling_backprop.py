"""pooling_backprop: finite differences, the tie rule, exact vs float, exercise (5) by hand, spec errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.errors import SpecError
from hwsolver.model import Problem
from hwsolver.solving import solve
from hwsolver.spec.problems import load_problem, problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

F = Fraction
ROOT = Path(__file__).resolve().parents[3]


def make_problem(given: dict[str, Any]) -> Problem:
    """A problem from a `given` dict; Fractions are written as "p/q" text, which the spec reads exactly."""

    def plain(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return str(value) if isinstance(value, Fraction) else value

    given = {key: plain(value) for key, value in given.items()}
    text = yaml.safe_dump({"id": "t", "kind": "pooling_backprop", "title": "t", "statement": "t"})
    text += yaml.safe_dump({"given": given, "parts": ["output"]})
    return problem_from_node(parse_text(text, "test.yaml"))


def random_given(rng: np.random.Generator, pool: str, distinct: bool = True) -> dict[str, Any]:
    """1-2 channels, windows 1-3 at stride 1-3 (overlapping when the stride is smaller than the window)."""
    size, stride, channels = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
    height, width = int(rng.integers(size, 7)), int(rng.integers(size, 7))
    shape = (channels, height, width) if channels > 1 or rng.random() < 0.3 else (height, width)
    count = int(np.prod(shape))
    # Distinct values 1/8 apart keep max pooling differentiable; small integers make ties everywhere.
    raw = rng.permutation(count) - count // 2 if distinct else rng.integers(0, 3, size=count)
    values = np.array([F(int(v), 8 if distinct else 1) for v in raw], dtype=object).reshape(shape)
    out = ((height - size) // stride + 1, (width - size) // stride + 1)
    out_shape = (shape[0], *out) if len(shape) == 3 else out
    upstream = np.vectorize(lambda v: F(int(v), 4), otypes=[object])(rng.integers(-8, 9, size=out_shape))
    return {
        "input": values.tolist(),
        "pool": pool,
        "size": size,
        "stride": stride,
        "upstream": upstream.tolist(),
    }


def objective(x: np.ndarray, e: np.ndarray, pool: str, size: int, stride: int) -> float:
    """sum(e * pool(x)), one window at a time (x and e with a channel axis)."""
    reduce = np.max if pool == "max" else np.mean
    total = 0.0
    for c, i, j in np.ndindex(e.shape):
        total += e[c, i, j] * reduce(x[c, stride * i : stride * i + size, stride * j : stride * j + size])
    return total


@pytest.mark.parametrize("pool", ["max", "average"])
def test_delta_prev_matches_finite_differences(pool: str) -> None:
    rng = np.random.default_rng(99 if pool == "max" else 100)
    h = 1e-6
    for case in range(60):
        given = random_given(rng, pool)
        answers = solve(make_problem(given)).answers
        x = np.array(given["input"], dtype=float)
        x = x.reshape(-1, *x.shape[-2:])
        e = np.array(given["upstream"], dtype=float).reshape(x.shape[0], *np.shape(given["upstream"])[-2:])
        expected = np.zeros_like(x)
        for index in np.ndindex(x.shape):
            plus, minus = x.copy(), x.copy()
            plus[index] += h
            minus[index] -= h
            args = (e, pool, given["size"], given["stride"])
            expected[index] = (objective(plus, *args) - objective(minus, *args)) / (2 * h)
        delta = np.array(answers["delta_prev"], dtype=float).reshape(x.shape)
        assert np.allclose(delta, expected, atol=1e-6), f"case {case}: {given}"
        output = np.array(answers["output"], dtype=float).reshape(e.shape)
        assert np.sum(output * e) == pytest.approx(objective(x, *args)), f"case {case}"
        assert ("argmax" in answers) == (pool == "max")


def test_ties_go_to_the_first_maximum_in_row_major_order() -> None:
    given = {"input": [[2, 2], [2, 2]], "pool": "max", "size": 2, "upstream": [[1]]}
    answers = solve(make_problem(given)).answers
    assert answers["argmax"] == (((0, 0),),)
    assert answers["delta_prev"] == ((1, 0), (0, 0))
    given = {"input": [[1, 3], [3, 0]], "pool": "max", "size": 2, "upstream": [[F(1, 2)]]}
    assert solve(make_problem(given)).answers["argmax"] == (((0, 1),),)


def test_overlapping_windows_add_their_contributions() -> None:
    """A 3x3 input whose maximum 9 is in the centre: all four 2x2 windows (stride 1) route to it."""
    given = {"input": [[1, 2, 3], [4, 9, 5], [6, 7, 8]], "pool": "max", "size": 2, "stride": 1}
    answers = solve(make_problem(given | {"upstream": [[1, 2], [3, 4]]})).answers
    assert answers["delta_prev"] == ((0, 0, 0), (0, 10, 0), (0, 0, 0))
    average = solve(make_problem(given | {"pool": "average", "upstream": [[4, 4], [4, 4]]})).answers
    assert average["delta_prev"] == ((1, 2, 1), (2, 4, 2), (1, 2, 1))  # each window gives 4/4 per cell
    assert average["output"][0][0] == 4  # (1 + 2 + 4 + 9) / 4


@pytest.mark.parametrize("pool", ["max", "average"])
def test_exact_and_float_paths_agree_even_with_ties(pool: str) -> None:
    rng = np.random.default_rng(5)
    for case in range(40):
        problem = make_problem(random_given(rng, pool, distinct=False))
        exact, approx = solve(problem).answers, solve(problem, exact=False).answers
        assert disagreement(exact, approx) is None, f"case {case}"
        assert all(isinstance(v, Fraction) for v in np.ravel(np.array(exact["delta_prev"], dtype=object)))


def test_exercise_five_worked_by_hand() -> None:
    """Windows [1 3; 4 2], [2 0; 1 5], [0 6; 2 1], [3 3; 3 1] (a tie) with errors 0.5, -1, 2, 0.25."""
    answers = solve(load_problem(ROOT / "problems" / "pooling-backprop.yaml")).answers
    assert answers["output"] == ((4, 5), (6, 3))
    assert answers["argmax"] == (((1, 0), (1, 3)), ((2, 1), (2, 2)))  # the tie of 3s goes to [2, 2]
    assert answers["delta_prev"][1] == (F(1, 2), 0, 0, -1)
    assert answers["delta_prev"][2] == (0, 2, F(1, 4), 0)
    assert answers["delta_prev"][0] == answers["delta_prev"][3] == (0, 0, 0, 0)
    average = solve(load_problem(ROOT / "problems" / "average-pooling-backprop.yaml")).answers
    assert average["output"] == ((F(5, 2), 2), (F(9, 4), F(5, 2)))  # (0+6+2+1)/4 = 9/4
    assert average["delta_prev"][0] == (F(1, 8), F(1, 8), F(-1, 4), F(-1, 4))
    assert average["delta_prev"][3] == (F(1, 2), F(1, 2), F(1, 16), F(1, 16))
    assert "argmax" not in average


def test_channels_keep_their_own_windows() -> None:
    given = {
        "input": [[[1, 2], [3, 4]], [[8, 7], [6, 5]]],
        "pool": "max",
        "size": 2,
        "upstream": [[[1]], [[2]]],
    }
    answers = solve(make_problem(given)).answers
    assert answers["argmax"] == ((((1, 1),),), (((0, 0),),))
    assert answers["delta_prev"] == (((0, 0), (0, 1)), ((2, 0), (0, 0)))


_SPEC = """\
id: t
kind: pooling_backprop
title: t
statement: t
given:
  input: [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]
  pool: {pool}
  size: {size}
  upstream: {upstream}
parts: [output]
"""


@pytest.mark.parametrize(
    ("pool", "size", "upstream", "message"),
    [
        ("max", "2", "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]",
         "test.yaml:9:13: given.upstream: expected a 2x2 matrix, got 3x3"),
        ("max", "5", "[[1]]", "test.yaml:8:9: given.size: a 5x5 window does not fit the 4x4 input"),
        ("min", "2", "[[1]]",
         "test.yaml:7:9: given.pool: unknown value 'min'; expected one of: max, average"),
        ("average", "2", "[1, 2, 3, 4]",
         "test.yaml:9:13: given.upstream: expected a 2x2 matrix, got a list of 4"),
    ],
)  # fmt: skip
def test_spec_errors_name_the_field(pool: str, size: str, upstream: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(_SPEC.format(pool=pool, size=size, upstream=upstream), "test.yaml"))
    assert str(error.value) == message


def test_argmax_is_only_a_part_of_max_pooling() -> None:
    text = _SPEC.format(pool="average", size="2", upstream="[[1, 2], [3, 4]]").replace("[output]", "[argmax]")
    with pytest.raises(SpecError, match="cannot answer part 'argmax'"):
        problem_from_node(parse_text(text, "test.yaml"))


@pytest.mark.parametrize("pool", ["max", "average"])
def test_e_prev_keeps_the_type_its_sums_give(pool: str) -> None:
    """Each entry of e(l-1) is 0 (of the input's type) plus the errors routed to it: Fractions in, Fractions out
    even where an integer error is routed (the spec reads Fractions; other callers may pass ints)."""
    from hwsolver.compute.layers.pooling import PoolLayer, backward

    decimals = ((F(1, 2), F(3, 2)), (F(5, 2), F(1, 2)))
    error = 2 if pool == "max" else F(2)  # an int divided by K*K would be a float
    delta = backward(PoolLayer(decimals, pool, 2, 2, ((error,),))).delta_prev[0]
    assert {type(v) for row in delta for v in row} == {Fraction}
    assert delta == ((0, 0), (2, 0)) if pool == "max" else delta == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    if pool == "max":  # integers routed as they are (averaging divides them)
        integers = backward(PoolLayer(((1, 3), (2, 0)), pool, 2, 2, ((4,),))).delta_prev[0]
        assert integers == ((0, 4), (0, 0)) and {type(v) for row in integers for v in row} == {int}
