"""A formula at every position at once (positions.py) equals, bit for bit, the evaluator run position by position;
what it cannot do at once it declines (None) rather than answer differently."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from hwsolver.expr import Scope, compile_numeric, parse
from hwsolver.expr.positions import at_positions
from hwsolver.expr.work import Meter

PLANE: dict = {"indices": ("i", "j"), "arrays": {"w": 2, "e": 2, "z": 2}, "functions": ("f", "fprime")}
ZERO = Scope(**PLANE, sizes=("K",), index_base=0, zero_outside=True)
STRICT = Scope(**PLANE, sizes=("K",), index_base=0)
CHANNELS = Scope(
    indices=("c", "i", "j"), arrays={"w": 4, "e": 3, "z": 3}, functions=("f", "fprime"), index_base=0, zero_outside=True
)
ROTATED = "fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"
FORMULAS = [
    ROTATED,
    "Sum(Sum(w[u, v]*e[i + u, j + v], (v, 0, K - 1)), (u, 0, K - 1)) + 1",
    "f(z[i, j]) * Sum(Sum(w[i - p, j - q]*e[p, q], (q, j - K + 1, j)), (p, i - K + 1, i))",  # bounds move with i, j
    "KroneckerDelta(i, j) * e[i, j] - i * z[i, j] / (j + 1) + Max(z[i, j], 0) ^ 2",
    "exp(z[i, j]) * e[i - 1, j] - sigmoid(w[0, 0] * z[j, i]) + K",
    "0 * e[i, j] - w[0, 1]",  # -0.0 where e is positive: the sign of zero kept
    "z[i, j] / e[i - 1, j - 1]",  # 0 outside: a division by zero, inf and nan where the per-position run has them
    "3",  # no index at all: the grid's shape all the same
]


def one_by_one(text: str, scope: Scope, env: dict[str, Any], shape: tuple[int, ...]) -> np.ndarray:
    evaluate = compile_numeric(parse(text, scope), scope)
    out = np.empty(shape)
    for index in np.ndindex(*shape):
        out[index] = float(np.asarray(evaluate({**env, **dict(zip(scope.indices, index))})).reshape(-1)[0])
    return out


def plane(seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    return {
        "z": rng.integers(-9, 10, (4, 4)) / 10,
        "w": rng.integers(-9, 10, (2, 2)) / 10,
        "e": rng.integers(-9, 10, (3, 3)) / 10,
        "f": np.tanh,
        "fprime": lambda t: 1 - np.tanh(t) ** 2,
        "K": 2,
    }


@pytest.mark.parametrize("text", FORMULAS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equal_bit_for_bit_to_one_position_at_a_time(text: str, seed: int) -> None:
    env = plane(seed)
    got = at_positions(parse(text, ZERO), ZERO, env, (4, 4))
    assert got is not None and got.shape == (4, 4)
    assert got.tobytes() == one_by_one(text, ZERO, env, (4, 4)).tobytes()


def test_channels() -> None:
    rng = np.random.default_rng(7)
    text = "fprime(z[c, i, j]) * Sum(Sum(Sum(w[o, c, u, v]*e[o, i - u, j - v], (v, 0, 1)), (u, 0, 1)), (o, 0, 2))"
    env = {
        "z": rng.normal(size=(2, 3, 3)),
        "w": rng.normal(size=(3, 2, 2, 2)),
        "e": rng.normal(size=(3, 2, 2)),
        "fprime": lambda t: (t > 0) * 1.0,
    }
    got = at_positions(parse(text, CHANNELS), CHANNELS, env, (2, 3, 3))
    assert got is not None and got.tobytes() == one_by_one(text, CHANNELS, env, (2, 3, 3)).tobytes()


def test_one_pass_charges_one_positions_work() -> None:
    """Every position's terms are alike: the pass charges what one position costs (one run, not sixteen)."""
    env, tree = plane(1), parse(ROTATED, ZERO)
    before = Meter.units
    compile_numeric(tree, ZERO)({**env, "i": 0, "j": 0})
    single = Meter.units - before
    before = Meter.units
    assert at_positions(tree, ZERO, env, (4, 4)) is not None
    assert Meter.units - before == single


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Sum(e[u, j], (u, 0, i))", ZERO),  # as many terms as i + 1: not alike at every position
        ("e[i, j] + z[i, j]", STRICT),  # e is 3 x 3, the grid 4 x 4: out of range where nothing reads 0
    ],
)
def test_declines_what_it_cannot_do_at_once(text: str, scope: Scope) -> None:
    assert at_positions(parse(text, scope), scope, plane(1), (4, 4)) is None


def test_a_variable_given_as_an_array_is_declined() -> None:
    scope = Scope(variables=("x",), indices=("i",), arrays={"z": 1}, index_base=0)
    tree = parse("x * z[i]", scope)
    env = {"z": np.arange(3.0)}
    assert at_positions(tree, scope, env | {"x": 2.0}, (3,)).tolist() == [0.0, 2.0, 4.0]
    assert at_positions(tree, scope, env | {"x": np.ones(3)}, (3,)) is None
