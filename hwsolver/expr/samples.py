"""The inputs an equivalence check tries: sizes, index combinations, and points in, near 0 and outside the domain.

Every declared name gets seeded random values: scalars shape (rows,), vectors (rows, size), arrays (rows, size, ...,
size); declared functions (f, fprime) fixed, distinct smooth stand-ins. The rows of one setup are `points` random
points in the domain, then SMALL points near 0 (when the domain holds 0: a term alive only on |x| < 0.3 shows
there), then OUTSIDE points beyond the domain on both sides (a term alive only past it, relu(x - 5), shows there).
"""

from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from hwsolver.expr.limits import MAX_INDEX_COMBINATIONS, MAX_SIZED_COMBINATIONS
from hwsolver.expr.scope import Scope

SMALL, OUTSIDE = 6, 8
_NEAR_ZERO = 0.25  # near-zero points lie in [-0.25, 0.25] (and in the domain)
_FAR = (0.1, 4.0)  # outside points lie this many domain widths beyond its edge


@dataclass(frozen=True)
class Setting:
    """One choice of sizes: each size symbol's value, entries per array axis, and how far free indices run."""

    sizes: tuple[tuple[str, int], ...]
    extent: int  # entries along every axis of every array
    span: int  # free indices run over index_base .. index_base + span - 1
    cap: int  # index combinations tried at most (sampled beyond)


def settings(scope: Scope, size: int, sized: bool) -> tuple[Setting, ...]:
    """Every size equal to size; then, when sizes matter (sized), each its own value size + 1, size + 2, ..."""
    names = scope.size_symbols
    same = Setting(tuple((name, size) for name in names), size, size, MAX_INDEX_COMBINATIONS)
    if not (names and sized):
        return (same,)
    distinct = tuple((name, size + 1 + n) for n, name in enumerate(names))
    return same, Setting(distinct, size + len(names), size + 1, MAX_SIZED_COMBINATIONS)


def sweep(scope: Scope, values: tuple[int, ...]) -> tuple[Setting, ...]:
    """Every size symbol equal to each value in turn (KroneckerDelta(C, 3) shows only at C = 3)."""
    names = scope.size_symbols
    return tuple(Setting(tuple((name, v) for name in names), v, v, MAX_SIZED_COMBINATIONS) for v in values)


@dataclass(frozen=True)
class Setup:
    scope: Scope
    domain: tuple[float, float]
    seed: int
    points: int
    setting: Setting
    sized: bool = field(default=False, compare=False)  # sizes differ between settings: say which were used

    @property
    def inside(self) -> int:
        """Rows in the domain (random and near 0); the rest lie outside it."""
        return self.points + (SMALL if self.domain[0] < 0 < self.domain[1] else 0)

    @property
    def rows(self) -> int:
        return self.inside + OUTSIDE


def combinations(count: int, base: int, setting: Setting, seed: int) -> tuple[tuple[int, ...], ...]:
    values = range(base, base + setting.span)
    if setting.span**count <= setting.cap:
        return tuple(itertools.product(values, repeat=count))
    rng = random.Random(seed)
    return tuple(tuple(rng.choice(values) for _ in range(count)) for _ in range(setting.cap))


@lru_cache(maxsize=256)
def samples(setup: Setup) -> dict[str, Any]:
    """The environment of one setup: every declared name's values at every row, the sizes, the stand-ins."""
    import numpy as np

    scope, (low, high), setting = setup.scope, setup.domain, setup.setting
    sizes = dict(setting.sizes)
    rng = np.random.default_rng(setup.seed)
    shapes = {name: () for name in scope.variables}
    shapes |= {name: (sizes[symbol],) for name, symbol in scope.vectors.items()}
    shapes |= {name: (setting.extent,) * ndim for name, ndim in scope.arrays.items()}
    near = (max(low, -_NEAR_ZERO), min(high, _NEAR_ZERO))
    width = high - low
    env: dict[str, Any] = {}
    for name, shape in shapes.items():
        parts = [rng.uniform(low, high, (setup.points, *shape))]
        if setup.inside > setup.points:
            parts.append(rng.uniform(*near, (SMALL, *shape)))
        beyond = rng.uniform(_FAR[0] * width, _FAR[1] * width, (OUTSIDE, *shape))
        above = (np.arange(OUTSIDE) % 2 == 0).reshape((OUTSIDE,) + (1,) * len(shape))  # even rows above, odd below
        parts.append(np.where(above, high + beyond, low - beyond))
        env[name] = np.concatenate(parts)
        env[name].flags.writeable = False
    env |= sizes
    env |= {name: stand_in(name) for name in scope.functions}
    return env


def stand_in_constants(name: str) -> tuple[float, float, float]:
    """a, b, c of the stand-in t -> tanh(a t + b) + c t for a declared function: fixed, different for every name."""
    rng = random.Random(zlib.crc32(name.encode()))
    return rng.uniform(0.5, 1.5), rng.uniform(-1, 1), rng.uniform(0.1, 0.5)


def stand_in(name: str) -> Callable[[Any], Any]:
    """A fixed smooth function, different for every name, for problem-declared functions like f and fprime."""
    import numpy as np

    a, b, c = stand_in_constants(name)
    return lambda t: np.tanh(a * t + b) + c * t


def point(setup: Setup, n: int, indices: dict[str, int]) -> dict[str, Any]:
    """The inputs at row n, for a counterexample."""
    scope, env = setup.scope, samples(setup)
    found: dict[str, Any] = {name: float(env[name][n]) for name in scope.variables}
    found |= {name: [float(v) for v in env[name][n]] for name in scope.vectors}
    return found | indices | (dict(setup.setting.sizes) if setup.sized else {})
