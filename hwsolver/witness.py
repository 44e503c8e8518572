"""The second witness: two independently computed answers must agree, or the solver has a bug."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from numbers import Number
from typing import Any

from hwsolver.errors import SolveError

# Exact and float64 results of the same computation agree to about 1e-15 relative; a mismatch beyond these is a
# bug in one of the two paths, never rounding.
RTOL = 1e-12
ATOL = 1e-13
# Answers must stay well inside float64's range (1.8e308): the grader and the float path compute with them.
LIMIT_TEXT = "1e300"
LIMIT = float(LIMIT_TEXT)
_SMALL = 996  # |n / d| <= |n| < 2**996 < LIMIT (and so is its float, rounded): a Fraction within beyond doubt


class Overflow(SolveError):
    """An answer beyond LIMIT (or infinite or NaN in float64): the problem's numbers are too large."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path or 'an answer'} overflows")
        self.path = path


def _magnitude(value: Any, path: str) -> float:
    """abs(value) as a float; Overflow when it is past LIMIT, infinite or NaN."""
    try:
        size = abs(float(value))
    except OverflowError:  # a Fraction past float64's range
        raise Overflow(path) from None
    if not size <= LIMIT:  # also NaN
        raise Overflow(path)
    return size


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
    size_a, size_b = _magnitude(exact, path), _magnitude(approx, path)
    a, b = float(exact), float(approx)
    if abs(a - b) <= atol + rtol * max(size_a, size_b):
        return None
    return f"{path}: {a!r} (exact) vs {b!r} (float)"


def check_range(answers: Any, path: str = "") -> None:
    """Raise Overflow naming the first answer past LIMIT, infinite or NaN (formulas and booleans aside)."""
    if not _within(answers):  # the answers walked again, spelling out paths, only to name the one at fault
        _check_range(answers, path)


def _within(answers: Any) -> bool:
    """Whether every answer is within LIMIT, finite and not NaN (exact types first: every variant of a class is
    solved and checked)."""
    kind = type(answers)
    if kind is dict:  # a part's named values (plain dicts: no abstract-class check), walked as its values
        answers, kind = answers.values(), list
    if kind is tuple or kind is list:
        # a Fraction whose numerator has at most _SMALL bits is within: no float, and its numerator read from its
        # slot (the property is a call per number of every variant's answers)
        for item in answers:
            if (type(item) is not Fraction or item._numerator.bit_length() > _SMALL) and not _within(item):
                return False
        return True
    if kind is bool:
        return True
    if kind is Fraction and answers._numerator.bit_length() <= _SMALL:
        return True
    if kind is Fraction or kind is float or kind is int or (isinstance(answers, Number) and kind is not bool):
        try:
            return abs(float(answers)) <= LIMIT  # False for NaN
        except OverflowError:  # a Fraction past float64's range
            return False
    if isinstance(answers, Mapping):
        return all(map(_within, answers.values()))
    return not isinstance(answers, tuple | list) or all(map(_within, answers))


def _check_range(answers: Any, path: str = "") -> None:
    if isinstance(answers, Mapping):
        for key, value in answers.items():
            _check_range(value, f"{path}.{key}" if path else str(key))
    elif isinstance(answers, tuple | list):
        for index, value in enumerate(answers):
            _check_range(value, f"{path}[{index}]")
    elif isinstance(answers, Number) and not isinstance(answers, bool):  # Fractions, floats, mpmath numbers
        _magnitude(answers, path)


def check_agreement(problem_id: str, exact: Any, approx: Any) -> None:
    """Raise SolveError naming the first answer where the exact and float paths disagree."""
    found = disagreement(exact, approx)
    if found:
        raise SolveError(f"{problem_id}: the exact and float computations disagree at {found} (a bug in hwsolver)")
