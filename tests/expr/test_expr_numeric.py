"""NumPy evaluation: vectorized shapes, stable activations, softmax, the conv recursion against plain loops."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hwsolver.errors import ExprError
from hwsolver.expr import Scope, compile_numeric, parse

SCALAR = Scope(variables=("x", "y"))
VECTOR = Scope(indices=("i", "k"), vectors={"x": "C"})
CONV_FIELDS: dict = {"indices": ("i", "j"), "arrays": {"w": 2, "e": 2, "z": 2}, "functions": ("f", "fprime")}
CONV = Scope(**CONV_FIELDS, sizes=("K",), index_base=0, zero_outside=True)
ROOT = Path(__file__).resolve().parents[2]


def evaluate(text: str, scope: Scope, env: dict) -> np.ndarray:
    return compile_numeric(parse(text, scope), scope)(env)


def test_vectorized_over_points() -> None:
    x = np.linspace(-2, 2, 7)
    got = evaluate("x^2 + 1", SCALAR, {"x": x})
    assert got.shape == (7,)
    np.testing.assert_array_equal(got, x**2 + 1)
    assert evaluate("3", SCALAR, {"x": x}).tolist() == [3.0] * 7  # constants take the sample shape


@pytest.mark.parametrize(
    ("text", "fn"),
    [
        ("sigmoid(x)", lambda x: 1 / (1 + np.exp(-x))),
        ("softplus(x)", lambda x: np.log1p(np.exp(x))),
        ("relu(x)", lambda x: np.where(x > 0, x, 0.0)),
        ("Heaviside(x)", lambda x: (x > 0).astype(float)),
        ("tanh(x) + abs(x) + sqrt(x^2)", lambda x: np.tanh(x) + 2 * np.abs(x)),
        ("Max(x, 0.5, -x)", lambda x: np.maximum(np.abs(x), 0.5)),
    ],
)
def test_activations(text: str, fn) -> None:
    x = np.array([-5.0, -1.5, -0.1, 0.3, 2.0, 7.0])
    np.testing.assert_allclose(evaluate(text, SCALAR, {"x": x}), fn(x), rtol=1e-12)


def test_sigmoid_is_stable_in_the_tails() -> None:
    got = evaluate("sigmoid(x)", SCALAR, {"x": np.array([-800.0, -40.0, 40.0, 800.0])})
    assert got[0] == 0.0 and got[3] == 1.0
    assert got[1] == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_softmax_against_numpy() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 4)) * 30
    p = np.exp(x - x.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    for k in range(1, 5):
        np.testing.assert_allclose(evaluate("softmax(x)[k]", VECTOR, {"x": x, "k": k}), p[:, k - 1], rtol=1e-12)
        np.testing.assert_allclose(
            evaluate("log_softmax(x)[k]", VECTOR, {"x": x, "k": k}), np.log(p[:, k - 1]), rtol=1e-9, atol=1e-13
        )
    total = evaluate("Sum(exp(x[j]), (j, 1, C))", VECTOR, {"x": x})  # C read from x's last axis
    np.testing.assert_allclose(total, np.exp(x).sum(axis=1), rtol=1e-12)


def test_kronecker_delta_uses_concrete_indices() -> None:
    x = np.zeros((2, 4))
    assert evaluate("KroneckerDelta(i, k)", VECTOR, {"x": x, "i": 2, "k": 2}).tolist() == [1.0, 1.0]
    assert evaluate("δ(i, k + 1)", VECTOR, {"x": x, "i": 2, "k": 2}).tolist() == [0.0, 0.0]


def conv_error_by_loops(w: np.ndarray, e: np.ndarray, z: np.ndarray, i: int, j: int) -> float:
    """The recursion written out: f'(z[i,j]) * sum_{u,v} w[u,v] e[i-u, j-v], terms outside e are zero."""
    total = 0.0
    for u in range(w.shape[0]):
        for v in range(w.shape[1]):
            if 0 <= i - u < e.shape[0] and 0 <= j - v < e.shape[1]:
                total += w[u, v] * e[i - u, j - v]
    return float(np.cos(z[i, j]) * total)


def test_conv_recursion_on_concrete_arrays() -> None:
    rng = np.random.default_rng(1)
    w, e, z = rng.normal(size=(2, 2)), rng.normal(size=(3, 3)), rng.normal(size=(4, 4))
    recursion = compile_numeric(parse("fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))", CONV), CONV)
    for i in range(4):
        for j in range(4):
            env = {"w": w, "e": e, "z": z, "K": 2, "i": i, "j": j, "fprime": np.cos}
            assert float(recursion(env)) == pytest.approx(conv_error_by_loops(w, e, z, i, j), abs=1e-14)


def test_outside_range_is_an_error_unless_the_scope_reads_zero() -> None:
    env = {"w": np.ones((2, 2)), "e": np.ones((3, 3)), "z": np.ones((3, 3)), "i": 0, "j": 0}
    assert evaluate("e[i - 1, j]", CONV, env).tolist() == 0.0
    with pytest.raises(ExprError, match="index out of range in e"):
        evaluate("e[i - 1, j]", Scope(**CONV_FIELDS, sizes=("K",), index_base=0), env)


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ("x + y", {"x": 1.0}, "no value given for 'y'"),
        ("x[k]", {"x": np.ones(3)}, "no value given for index 'k'"),
        ("Sum(x[j], (j, 1, C))", {"x": np.ones((2, 3)), "C": 10**6}, "has 1000000 terms"),
        ("f(z[i, j])", {"z": np.ones((2, 2)), "i": 0, "j": 0, "f": 3}, "'f' must be given as a function"),
    ],
)
def test_evaluation_errors(text: str, env: dict, message: str) -> None:
    scope = CONV if "z" in env else VECTOR if "C" in text or "k" in text else SCALAR
    with pytest.raises(ExprError, match=message):
        evaluate(text, scope, env)


def test_overflow_is_silent_and_gives_inf() -> None:
    with np.errstate(all="raise"):
        got = evaluate("exp(x)^2 / 0*x", SCALAR, {"x": np.array([1000.0])})
    assert np.isinf(got).all() or np.isnan(got).all()


def test_importing_the_package_loads_neither_numpy_nor_sympy() -> None:
    code = (
        "import sys, hwsolver.expr as E\n"
        "assert 'numpy' not in sys.modules and 'sympy' not in sys.modules, 'eager import'\n"
        "s = E.Scope(variables=('x',))\n"
        "r = E.equivalent(E.parse('exp(-x)/(1+exp(-x))^2', s), E.parse('sigmoid(x)(1-sigmoid(x))', s), s)\n"
        "assert r.equal and 'numpy' in sys.modules and 'sympy' not in sys.modules, 'sympy on the numeric path'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
