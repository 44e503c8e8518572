"""The second witness: two independently computed answers must agree, or the solver has a bug."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwsolver.errors import SolveError

# Exact and float64 results of the same computation agree to about 1e-15 relative; a mismatch beyond these is a
# bug in one of the two paths, never rounding.
RTOL = 1e-12
ATOL = 1e-13


def disagreement(exact: Any, approx: Any, path: str = "", rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """Where `exact` and `approx` differ beyond tolerance ("gradients.W1[0][1]: 0.25 vs 0.26"), or None."""
    if isinstance(exact, Mapping):
        if not isinstance(approx, Mapping) or exact.keys() != approx.keys():
            other = sorted(approx) if isinstance(approx, Mapping) else repr(approx)
            return f"{path or 'answer'}: keys {sorted(exact)} vs {other}"
        for key in exact:
            found = disagreement(exact[key], approx[key], f"{path}.{key}" if path else str(key), rtol, atol)
            if found:
                return found
        return None
    if isinstance(exact, tuple | list):
        if not isinstance(approx, tuple | list) or len(exact) != len(approx):
            return f"{path}: shape differs"
        for index, (a, b) in enumerate(zip(exact, approx)):
            found = disagreement(a, b, f"{path}[{index}]", rtol, atol)
            if found:
                return found
        return None
    if isinstance(exact, bool) or isinstance(approx, bool):
        return None if exact == approx else f"{path}: {exact} vs {approx}"
    a, b = float(exact), float(approx)
    if abs(a - b) <= atol + rtol * max(abs(a), abs(b)):
        return None
    return f"{path}: {a!r} (exact) vs {b!r} (float)"


def check_agreement(problem_id: str, exact: Any, approx: Any) -> None:
    """Raise SolveError naming the first answer where the exact and float paths disagree."""
    found = disagreement(exact, approx)
    if found:
        raise SolveError(f"{problem_id}: the exact and float computations disagree at {found} (a bug in hwsolver)")
