"""Are two formulas the same function? Numeric first (seeded random points), sympy only as a capped fallback.

Every declared name gets random values in the domain: scalars shape (points,), vectors (points, size),
arrays (points, size, ..., size); sizes are `size`; every free index runs over all its `size` values
(index_base .. index_base + size - 1) and terms outside an array read 0; declared functions (f, fprime)
get fixed, distinct smooth stand-ins. Points where the reference is not finite are skipped.
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.limits import MAX_INDEX_COMBINATIONS
from hwsolver.expr.nodes import Expr, free_indices
from hwsolver.expr.scope import Scope

MIN_VALID_POINTS = 8


@dataclass(frozen=True)
class Equivalence:
    """Outcome of a comparison: equal is None when undecided; evidence is a sentence for the feedback."""

    equal: bool | None
    method: str  # "numeric" | "symbolic"
    evidence: str
    counterexample: Mapping[str, Any] | None = None  # input values (and index values) where they differ


def equivalent(
    student: Expr,
    reference: Expr,
    scope: Scope,
    *,
    domain: tuple[float, float] = (-3.0, 3.0),
    seed: int = 0,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    size: int = 4,
    points: int = 24,
) -> Equivalence:
    """Compare two parsed formulas on the same random inputs; |a - b| <= atol + rtol * max(|a|, |b|)."""
    import numpy as np

    setup = (scope, (float(domain[0]), float(domain[1])), seed, points, size)
    free = tuple(sorted(free_indices(student) | free_indices(reference)))
    combos = _combinations(len(free), scope.index_base, size, seed)
    expected = _reference_values(reference, free, combos, setup)
    try:
        got = _values(student, free, combos, setup)
    except ExprError as exc:
        return Equivalence(False, "numeric", f"could not be evaluated: {exc}")
    with np.errstate(all="ignore"):
        finite = np.isfinite(expected)
        close = np.abs(got - expected) <= atol + rtol * np.maximum(np.abs(got), np.abs(expected))
    bad = finite & ~(close & np.isfinite(got))
    if bad.any():
        c, n = (int(v) for v in np.argwhere(bad)[0])
        point = _point(setup, n, dict(zip(free, combos[c], strict=True)))
        where = ", ".join(f"{k} = {_fmt(v)}" for k, v in point.items())
        evidence = f"differs at {where}: {_fmt(got[c, n])} vs {_fmt(expected[c, n])} expected"
        return Equivalence(False, "numeric", evidence, point)
    valid, total = int(finite.sum()), finite.size
    lo, hi = setup[1]
    evidence = f"agreed at {valid} of {total} random points in [{lo:g}, {hi:g}]"
    if free:
        base = scope.index_base
        evidence += f" ({len(combos)} values of {', '.join(free)} in {base}..{base + size - 1})"
    if valid >= max(MIN_VALID_POINTS, total // 4):
        return Equivalence(True, "numeric", evidence)
    from hwsolver.expr.symbolic import symbolic_difference_is_zero

    sparse = f"only {valid} of {total} random points in [{lo:g}, {hi:g}] are defined"
    if symbolic_difference_is_zero(student, reference):
        return Equivalence(True, "symbolic", f"sympy simplifies the difference to 0 ({sparse})")
    return Equivalence(None, "symbolic", f"undecided: {sparse}, and sympy did not simplify the difference to 0")


def _combinations(count: int, base: int, size: int, seed: int) -> tuple[tuple[int, ...], ...]:
    values = range(base, base + size)
    if size**count <= MAX_INDEX_COMBINATIONS:
        return tuple(itertools.product(values, repeat=count))
    rng = random.Random(seed)
    return tuple(tuple(rng.choice(values) for _ in range(count)) for _ in range(MAX_INDEX_COMBINATIONS))


@lru_cache(maxsize=256)
def _samples(scope: Scope, domain: tuple[float, float], seed: int, points: int, size: int) -> dict[str, Any]:
    import numpy as np

    rng = np.random.default_rng(seed)
    env: dict[str, Any] = {}
    shapes = {name: (points,) for name in scope.variables}
    shapes |= {name: (points, size) for name in scope.vectors}
    shapes |= {name: (points, *(size,) * ndim) for name, ndim in scope.arrays.items()}
    for name, shape in shapes.items():
        env[name] = rng.uniform(domain[0], domain[1], shape)
        env[name].flags.writeable = False
    env |= {name: size for name in scope.size_symbols}
    env |= {name: _stand_in(name) for name in scope.functions}
    return env


def _stand_in(name: str) -> Callable[[Any], Any]:
    """A fixed smooth function, different for every name, for problem-declared functions like f and fprime."""
    import numpy as np

    rng = random.Random(zlib.crc32(name.encode()))
    a, b, c = rng.uniform(0.5, 1.5), rng.uniform(-1, 1), rng.uniform(0.1, 0.5)
    return lambda t: np.tanh(a * t + b) + c * t


def _values(expr: Expr, free: tuple[str, ...], combos: tuple[tuple[int, ...], ...], setup: tuple) -> Any:
    """expr at every sample point for every index combination: array of shape (combinations, points)."""
    import numpy as np

    from hwsolver.expr.numeric import evaluator

    scope, points = setup[0], setup[3]
    env = _samples(*setup)
    evaluate = evaluator(expr, scope, True)
    out = np.empty((len(combos), points))
    for row, combo in enumerate(combos):
        values = evaluate({**env, **dict(zip(free, combo, strict=True))}) if free else evaluate(env)
        try:
            out[row] = np.broadcast_to(values, (points,))
        except ValueError as exc:
            raise ExprError(f"expression does not give one number per point: shape {values.shape}") from exc
    out.flags.writeable = False
    return out


_reference_values = lru_cache(maxsize=1024)(_values)  # a reference is compared with many answers


def _point(setup: tuple, n: int, indices: dict[str, int]) -> dict[str, Any]:
    scope, env = setup[0], _samples(*setup)
    point: dict[str, Any] = {name: float(env[name][n]) for name in scope.variables}
    point |= {name: [float(v) for v in env[name][n]] for name in scope.vectors}
    return point | indices


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.6g}"
