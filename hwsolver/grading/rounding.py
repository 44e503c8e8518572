"""What rounding explains: how far a student's rounding of intermediate values can move an answer.

Two sources, both first-order bounds (each number moved alone, the changes added up):
- the numbers the student wrote in earlier parts, each anywhere in its rounding interval (follow.py);
- the intermediate values of the kind's computation (model.Chain) a student rounds to the problem's significant
  figures on the way without writing them down: each moved to its rounding, the later steps worked again
  (rounded_chain.py).
  Only values that rounding changes count (0.226 has nothing to round at 3 figures; 0.1808 has), each the way
  it rounds (0.1808 to 0.181 moves the answers one way only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.leaves import Path, answer_leaves, is_number, leaves, map_leaves
from hwsolver.grading.rounded_chain import Bounds, allowances
from hwsolver.numbers import figures
from hwsolver.numbers.digits import sigfig_half_unit, written_half_unit

# allowances and Bounds live in rounded_chain.py; grading reads them here, with the rest of what rounding explains
__all__ = [
    "Bounds", "Path", "allowances", "beyond", "far", "is_number", "leaves", "nearest", "outside", "settled", "spread",
    "within",
]  # fmt: skip


def spread(number: Any, tolerance: Tolerance) -> float:
    """Half the rounding interval of a number the student wrote: its last digit's, capped by its tolerance."""
    if not is_number(number):
        return 0.0
    allowed = tolerance.atol + tolerance.rtol * abs(float(number))
    if tolerance.sigfigs:
        allowed = max(allowed, sigfig_half_unit(float(number), tolerance.sigfigs))
    return min(written_half_unit(number), allowed)


def within(value: Any, nominal: Any, bounds: Bounds, tolerance: Tolerance) -> bool | None:
    """Whether each number of the answer is close to a value its bound allows (and each yes/no one its bound
    allows); None when the answer is not numbers in the nominal's places (a formula, another shape)."""
    want, got = answer_leaves(nominal), answer_leaves(value)
    if not want or want.keys() != got.keys():
        return None
    if far(got, want):
        return False
    for path, e in want.items():
        v, bound = got[path], bounds.get(path)
        if type(e) is bool:
            if not (v is e or (bound is not None and v in bound)):
                return False
        elif not tolerance.close(v, _moved(v, e, bound, tolerance.sigfigs)):
            return False
    return True


def beyond(got: Mapping[Path, Any], want: Mapping[Path, Any]) -> bool:
    """Whether `within` says no (or None) whatever the bounds, by the answer's and the nominal's numbers by place
    (answer_leaves): an answer of another shape, or one that is far. Grading asks this first, so that most wrong
    answers never have a problem's allowances worked out."""
    return not want or want.keys() != got.keys() or far(got, want)


def settled(got: Mapping[Path, Any], want: Mapping[Path, Any], tolerance: Tolerance) -> bool | None:
    """within's answer for an answer whose numbers are in the nominal's places and none far, where the figures the
    student wrote settle it whatever the bounds (None where some bound decides): a number written with fewer figures
    than the tolerance asks is judged against the nominal itself (`_moved`), so one not close to it says no, and when
    every number is so written (and no yes/no needs its bound) their closeness says it all."""
    sigfigs = tolerance.sigfigs
    if not sigfigs:
        return None
    found: bool | None = True
    for path, e in want.items():
        v = got[path]
        if type(e) is bool or figures(v) >= sigfigs:
            found = None  # its bound decides
        elif not tolerance.close(v, e):
            return False
    return found


def outside(
    got: Mapping[Path, Any],
    want: Mapping[Path, Any],
    reach: Mapping[Path, float],
    tolerance: Tolerance,
    bounds: Bounds | None = None,
) -> bool:
    """Whether some number of an answer (by place) is further from the wanted one than its reach (how far rounding
    the intermediate values moves it at most: no allowance goes beyond it), its bound (the rounding of the earlier
    answers a re-run reads, down or up) and the tolerance there allow: `within` with the allowance says no, and it
    need not be worked out. `Tolerance.close` takes a value as right within atol and rtol of the larger, or half a
    unit of the last asked figure of what it is compared with away (a whole one for a truncation, nearer 0): here
    of the farthest the allowance and the bound may move the wanted number to."""
    sigfigs = tolerance.sigfigs
    for path, e in want.items():
        moved, v = reach.get(path), got.get(path)
        if type(e) is bool or moved is None or not is_number(v):
            continue
        bound = bounds.get(path) if bounds else None
        if bound is not None:
            moved += max(bound)
        v, farthest = float(v), abs(e) + moved
        allowed = tolerance.atol + tolerance.rtol * (abs(v) + farthest)
        if sigfigs and farthest > 0:  # half a unit of the largest, a whole one for a truncation (a value nearer 0)
            half = sigfig_half_unit(farthest * (1 + 1e-9), sigfigs) * (1 + 1e-6)
            allowed += half * (2 if abs(v) < farthest else 1)
        if abs(v - e) - moved > allowed * (1 + 1e-6):  # (False for a NaN reach: no bound known)
            return True
    return False


def far(got: Mapping[Path, Any], want: Mapping[Path, Any]) -> bool:
    """Whether some number of an answer (by place) is further from the wanted one than the wanted answer is large,
    or is no number: no rounding explains that (most wrong answers end here, before any bound is worked out)."""
    scale = max((abs(e) for e in want.values() if type(e) is not bool), default=0.0)
    for path, e in want.items():
        if type(e) is not bool:
            v = got.get(path)
            if not is_number(v) or abs(v - e) > scale:
                return True
    return False


def _moved(v: Any, e: Any, bound: Any, sigfigs: int | None) -> Any:
    """The value within e's bound nearest to the student's v; e itself for a v written with fewer figures than
    asked (0.32 where 3 are asked is the checker's to judge against e, not a rounding of a value near it)."""
    if bound is None or (sigfigs and figures(v) < sigfigs):
        return e
    down, up = bound
    return min(max(v, e - down), e + up)


def nearest(nominal: Any, bounds: Bounds, value: Any, sigfigs: int | None) -> Any:
    """`nominal` with each number moved, within its bound, as close as it gets to the student's (and a yes/no
    taken as the student's when the bound allows it): what to check the answer against."""
    student = answer_leaves(value)

    def adjust(path: Path, e: Any) -> Any:
        v, bound = student.get(path), bounds.get(path)
        if type(e) is bool:
            return v if bound is not None and v in bound else e
        return _moved(v, e, bound, sigfigs) if is_number(v) else e

    return map_leaves(nominal, adjust)
