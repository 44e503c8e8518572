"""Are two formulas the same function? Numeric first (seeded random points), sympy only as a capped fallback.

Every declared name gets random values in the domain: scalars shape (points,), vectors (points, size),
arrays (points, size, ..., size); declared functions (f, fprime) get fixed, distinct smooth stand-ins. Every free
index runs over all its values (index_base .. index_base + size - 1; sampled beyond MAX_INDEX_COMBINATIONS).
When the scope has size symbols and the formulas use sizes, vectors or arrays, a second setting gives each size
symbol its own value (size + 1, size + 2, ... in declaration order; vectors as long as their own symbol, arrays as
the largest) so that a hard-coded size or one size symbol for another is caught. Reading outside a vector or array
follows Scope.zero_outside. Points where the reference is not finite are skipped; the student's answer is evaluated
under one work budget for the whole comparison, which stops at the first index combination where the two differ.
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hwsolver.errors import ExprError
from hwsolver.expr.limits import MAX_INDEX_COMBINATIONS, MAX_SIZED_COMBINATIONS
from hwsolver.expr.nodes import Expr, Item, Size, Softmax, free_indices, walk
from hwsolver.expr.scope import Scope
from hwsolver.expr.work import Budget

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
    from hwsolver.expr.numeric import evaluator

    free = tuple(sorted(free_indices(student) | free_indices(reference)))
    evaluate, budget = evaluator(student, scope), Budget()  # one budget for every setting and combination
    sized = any(isinstance(n, (Size, Item, Softmax)) for tree in (student, reference) for n in walk(tree))
    settings = _settings(scope, size, sized)
    lo, hi = domain
    valid = total = 0
    clauses = []
    for setting in settings:
        setup = _Setup(scope, (float(domain[0]), float(domain[1])), seed, points, setting, len(settings) > 1)
        combos = _combinations(len(free), scope.index_base, setting, seed)
        expected = _reference_values(reference, free, combos, setup)
        counted = _agreeing(evaluate, budget, expected, free, combos, setup, (rtol, atol))
        if isinstance(counted, Equivalence):
            return counted
        valid, total = valid + counted, total + expected.size
        agreed = f"{counted} of {expected.size}" + ("" if clauses else f" random points in [{lo:g}, {hi:g}]")
        clauses.append(_clause(setup, agreed, free, len(combos)))
    if valid >= max(MIN_VALID_POINTS, total // 4):
        return Equivalence(True, "numeric", "agreed at " + ", and at ".join(clauses))
    from hwsolver.expr.symbolic import symbolic_difference_is_zero

    sparse = f"only {valid} of {total} random points in [{lo:g}, {hi:g}] are defined"
    if symbolic_difference_is_zero(student, reference):
        return Equivalence(True, "symbolic", f"sympy simplifies the difference to 0 ({sparse})")
    return Equivalence(None, "symbolic", f"undecided: {sparse}, and sympy did not simplify the difference to 0")


def _agreeing(
    evaluate: Callable[..., Any],
    budget: Budget,
    expected: Any,
    free: tuple[str, ...],
    combos: tuple[tuple[int, ...], ...],
    setup: _Setup,
    tolerance: tuple[float, float],
) -> int | Equivalence:
    """How many points of one setting the answer agrees at, or the verdict at the first combination it does not."""
    import numpy as np

    rtol, atol = tolerance
    env, counted = _samples(setup), 0
    for want, combo in zip(expected, combos, strict=True):
        indices = dict(zip(free, combo, strict=True))
        try:
            got = _row(evaluate({**env, **indices}, budget), setup.points)
        except ExprError as exc:
            return Equivalence(False, "numeric", f"could not be evaluated: {exc}")
        with np.errstate(all="ignore"):
            finite = np.isfinite(want)
            close = np.abs(got - want) <= atol + rtol * np.maximum(np.abs(got), np.abs(want))
        bad = finite & ~(close & np.isfinite(got))
        if bad.any():
            n = int(np.argmax(bad))
            point = _point(setup, n, indices)
            where = ", ".join(f"{k} = {_fmt(v)}" for k, v in point.items())
            evidence = f"differs at {where}: {_fmt(got[n])} vs {_fmt(want[n])} expected"
            return Equivalence(False, "numeric", evidence, point)
        counted += int(finite.sum())
    return counted


@dataclass(frozen=True)
class _Setting:
    """One choice of sizes: each size symbol's value, entries per array axis, and how far free indices run."""

    sizes: tuple[tuple[str, int], ...]
    extent: int  # entries along every axis of every array
    span: int  # free indices run over index_base .. index_base + span - 1
    cap: int  # index combinations tried at most (sampled beyond)


def _settings(scope: Scope, size: int, sized: bool) -> tuple[_Setting, ...]:
    """Every size equal to size; then, when sizes matter (sized), each its own value size + 1, size + 2, ..."""
    names = scope.size_symbols
    same = _Setting(tuple((name, size) for name in names), size, size, MAX_INDEX_COMBINATIONS)
    if not (names and sized):
        return (same,)
    distinct = tuple((name, size + 1 + n) for n, name in enumerate(names))
    return same, _Setting(distinct, size + len(names), size + 1, MAX_SIZED_COMBINATIONS)


@dataclass(frozen=True)
class _Setup:
    scope: Scope
    domain: tuple[float, float]
    seed: int
    points: int
    setting: _Setting
    sized: bool = field(default=False, compare=False)  # sizes differ between settings: say which were used


def _clause(setup: _Setup, agreed: str, free: tuple[str, ...], combos: int) -> str:
    """ "96 of 96 random points in [-3, 3] with C = 4 (4 values of k in 1..4)": where one setting agreed."""
    text = agreed
    if setup.sized:
        text += " with " + ", ".join(f"{name} = {value}" for name, value in setup.setting.sizes)
    if free:
        base, span = setup.scope.index_base, setup.setting.span
        text += f" ({combos} values of {', '.join(free)} in {base}..{base + span - 1})"
    return text


def _combinations(count: int, base: int, setting: _Setting, seed: int) -> tuple[tuple[int, ...], ...]:
    values = range(base, base + setting.span)
    if setting.span**count <= setting.cap:
        return tuple(itertools.product(values, repeat=count))
    rng = random.Random(seed)
    return tuple(tuple(rng.choice(values) for _ in range(count)) for _ in range(setting.cap))


@lru_cache(maxsize=256)
def _samples(setup: _Setup) -> dict[str, Any]:
    import numpy as np

    scope, (low, high), points, setting = setup.scope, setup.domain, setup.points, setup.setting
    sizes = dict(setting.sizes)
    rng = np.random.default_rng(setup.seed)
    env: dict[str, Any] = {}
    shapes = {name: (points,) for name in scope.variables}
    shapes |= {name: (points, sizes[symbol]) for name, symbol in scope.vectors.items()}
    shapes |= {name: (points, *(setting.extent,) * ndim) for name, ndim in scope.arrays.items()}
    for name, shape in shapes.items():
        env[name] = rng.uniform(low, high, shape)
        env[name].flags.writeable = False
    env |= sizes
    env |= {name: _stand_in(name) for name in scope.functions}
    return env


def _stand_in(name: str) -> Callable[[Any], Any]:
    """A fixed smooth function, different for every name, for problem-declared functions like f and fprime."""
    import numpy as np

    rng = random.Random(zlib.crc32(name.encode()))
    a, b, c = rng.uniform(0.5, 1.5), rng.uniform(-1, 1), rng.uniform(0.1, 0.5)
    return lambda t: np.tanh(a * t + b) + c * t


def _row(values: Any, points: int) -> Any:
    import numpy as np

    try:
        return np.broadcast_to(values, (points,))
    except ValueError as exc:
        raise ExprError(f"expression does not give one number per point: shape {values.shape}") from exc


@lru_cache(maxsize=1024)  # a reference is compared with many answers
def _reference_values(
    reference: Expr, free: tuple[str, ...], combos: tuple[tuple[int, ...], ...], setup: _Setup
) -> Any:
    """The reference at every sample point for every index combination: array of shape (combinations, points)."""
    import numpy as np

    from hwsolver.expr.numeric import evaluator

    env, evaluate, budget = _samples(setup), evaluator(reference, setup.scope), Budget()
    out = np.empty((len(combos), setup.points))
    for row, combo in enumerate(combos):
        out[row] = _row(evaluate({**env, **dict(zip(free, combo, strict=True))}, budget), setup.points)
    out.flags.writeable = False
    return out


def _point(setup: _Setup, n: int, indices: dict[str, int]) -> dict[str, Any]:
    scope, env = setup.scope, _samples(setup)
    point: dict[str, Any] = {name: float(env[name][n]) for name in scope.variables}
    point |= {name: [float(v) for v in env[name][n]] for name in scope.vectors}
    return point | indices | (dict(setup.setting.sizes) if setup.sized else {})


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return f"{float(value):.6g}"
