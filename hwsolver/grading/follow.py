"""Follow-through: a later part checked against the kind's re-run from the student's own earlier answers.

A route (model.Route) is taken only when every part it reads was answered and is a sound basis: right, a named
slip, or a value a slip of the right method could give. Not sound: a wrong value that leaves the later work
trivial (all zero, off in scale by more than a factor of 100, or what the kind calls a copy of the given values
or a routing that ignores the input), nor one that itself follows from such a value.

The rounding of the numbers read is carried through the re-run (reruns.py): each is moved in turn, a wrong
answer's by half a unit in its last written digit (at most what its own part's tolerance allows), a right one's to
the true value, and the later answer may differ from the re-run by the sum of the changes (a first-order bound), plus
what rounding the values worked out on the way allows (rounding.py). When every answer read is right, agreeing
with the re-run is right: the student's rounding, carried on. When every answer read is its reference, number for
number, there is no rounding to carry on: the re-run is the reference, which the answer has failed, and is not made;
nor is an answer checked again against a re-run that gives the reference exactly with nothing rounded (a right formula).

A route may read its own part (a list whose every entry follows from the one before, as the parameters after
each iteration): each entry is re-run from the student's previous one, and the kind's route judges an entry
whose basis takes no work against the right value. Agreeing throughout is right; otherwise the entries that do
not follow lose their share, and the first of them is named after the kind's slip that gives it, if one does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Check, check
from hwsolver.grading.leaves import Path, answer_leaves
from hwsolver.grading.prepared import PreparedPart, PreparedProblem, Seen
from hwsolver.grading.reruns import UNFIT, Memo, Rerun, rerun_of
from hwsolver.grading.rounding import Bounds, far, nearest, settled, within
from hwsolver.grading.shares import ONE
from hwsolver.grading.slips import beyond_reach, close_enough, named_slip, work_out
from hwsolver.model import Mutant, Route

_SCALE = 100  # a wrong answer more than this many times larger or smaller than the right one is no slip of it
_NOTHING = Check(Fraction(0))


@dataclass(frozen=True)
class Follow:
    share: Fraction  # of the part's points
    feedback: str
    exact: bool  # every answer read was right: the student's rounding carried on, no earlier slip
    mistake: str | None = None  # the slip that explains the first entry not following (a route reading its part)


def follow_through(
    prepared: PreparedProblem, part: PreparedPart, known: Seen, seen: Mapping[str, Seen], memo: Memo
) -> Follow | None:
    """The best credit a route gives this wrong answer, or None (a share of some entries no more than the checker's
    own is none: the grader would not take it, and its feedback is not made)."""
    best, part_id = None, part.part.id
    for route in part.routes:
        uses = route.uses
        own = uses == (part_id,)
        if not own and not all(name in seen and sound(prepared, name, seen, memo) for name in uses):
            continue
        exact = all(seen[name].outcome.correct for name in uses)  # worked out by sound()
        if exact and all(_is_reference(prepared, name, seen, memo) for name in uses):
            continue  # re-run, it gives the reference, which the answer has failed already
        credit = ONE if exact else part.follow_through_credit
        rerun = rerun_of(prepared, route, seen, memo) if credit > 0 else None
        if rerun is None or (exact and not rerun.rounded and _same_numbers(rerun.nominal, part.reference)):
            continue  # (the right formula re-run: the reference again, nothing rounded to allow for)
        if _agrees(known, rerun, part):
            if exact or own:  # every entry follows from the one before, the first from the given values
                return Follow(ONE, f"right, allowing for the rounding of your {_read(route, own)} carried on", True)
            return Follow(credit, f"consistent with your own {_read(route, own)} (follow-through credit)", False)
        if exact or not part.tolerance.partial or credit <= known.outcome.share:
            continue  # no share for some entries only: the checker's own partial credit covers a right route (or
            # gives as much as any share of this route's credit)
        plain = _checked(known.value, rerun.nominal, part, explain=False)
        if plain.share == 0:
            continue  # no entry near the re-run's: no rounding makes some right (and the bounds cost re-runs)
        # against the re-run's own value when no rounding moves it: the check just made, not made again
        share = credit * max(plain.share, _against(known, rerun, part, plain).share)
        if share <= known.outcome.share:
            continue  # no more than the checker gives the answer itself (most such shares): never taken
        if best is None or share > best.share:
            plain = _checked(known.value, rerun.nominal, part)  # now with its feedback
            slip = _first_slip(known.value, rerun.nominal, part) if own else None
            said = f"{slip.feedback} ({plain.feedback})" if slip else plain.feedback
            read = _read(route, own)
            best = Follow(share, f"reckoned from your own {read}: {said}", False, slip.id if slip else None)
    return best


def _read(route: Route, own: bool) -> str:
    """What a route read, as its feedback names it."""
    return "earlier entries" if own else ", ".join(route.uses)


def basis(
    prepared: PreparedProblem, part: PreparedPart, seen: Mapping[str, Seen], memo: Memo
) -> tuple[Any, ...] | None:
    """All that follow-through reads of the student's other answers for this part: for each answer its routes
    read, its `same` where it is a sound basis, else False (unsound) or None (not answered), so that students whose
    answers agree there share the part's result. None when a sound one is not remembered (one student's alone)."""
    found = []
    for name in part.reads:
        item = seen.get(name)
        if item is None or not sound(prepared, name, seen, memo):
            found.append(None if item is None else False)
        elif not item.remembered:
            return None
        else:
            found.append(item.same)
    return tuple(found)


def _is_reference(prepared: PreparedProblem, name: str, seen: Mapping[str, Seen], memo: Memo) -> bool:
    """Whether the student's answer to `name` is its reference, number for number (right, and written without
    rounding): a route reading only such answers re-runs to the reference itself (test_follow_reference.py holds
    every kind's routes to that)."""
    key = ("reference", name)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _same_numbers(seen[name].value, prepared.by_id[name].reference)
    return found


def _same_numbers(value: Any, reference: Any) -> bool:
    """Whether an answer is numbers (or yes/no values), each equal to the reference's in its place."""
    kind = type(value)
    if (kind is tuple or kind is dict or kind is float) and type(reference) is kind and value == reference:
        # equal as a whole, equal number by number (most such answers: the reference's own floats, copied in full):
        # the reference's numbers, walked once per variant, say whether there are any
        return bool(answer_leaves(reference))
    found = answer_leaves(value)
    return bool(found) and found == answer_leaves(reference)


def _first_slip(value: Any, rerun: Any, part: PreparedPart) -> Mutant | None:
    """The kind's slip whose answer has the student's entry where it first does not follow from the one before."""
    try:
        first = next(i for i, (got, want) in enumerate(zip(value, rerun)) if not close_enough(got, want, part))
    except (TypeError, StopIteration):
        return None
    for mutant, answer, _ in part.slips:
        try:
            if answer is not None and close_enough(value[first], answer[first], part):
                return mutant
        except (TypeError, IndexError, KeyError):
            continue
    return None


def sound(prepared: PreparedProblem, name: str, seen: Mapping[str, Seen], memo: Memo) -> bool:
    """Whether the student's answer to `name` may carry follow-through (see the module's docstring)."""
    key = ("sound", name)
    found = memo.get(key)
    if found is None:
        part, known = prepared.by_id[name], seen[name]
        work_out(prepared, part, known)
        assert known.outcome is not None
        found = (
            known.outcome.correct
            or named_slip(prepared, part, known, seen) is not None
            or not (
                trivial(prepared, part, known)
                or _out_of_scale(known.value, part.reference)
                or _tainted(prepared, part, known, seen, memo)
            )
        )
        memo[key] = found
    return found


def trivial(prepared: PreparedProblem, part: PreparedPart, known: Seen) -> bool:
    """Whether a wrong answer takes no work (all zero, or what the kind calls a copy of the given values or a
    routing that ignores the input): it carries no follow-through, and earns nothing for the entries it matches
    by chance."""
    if known.trivial is None:
        value, kind = known.value, prepared.trivial
        # a formula's spellings share the answer (a derivative taken once)
        known.trivial = known.by_meaning(
            part.trivial,
            lambda: (
                _all_zero(value)
                or (kind is not None and kind(prepared.problem, prepared.solution, part.part.id, value))
            ),
        )
    return known.trivial


def _tainted(prepared: PreparedProblem, part: PreparedPart, known: Seen, seen: Mapping[str, Seen], memo: Memo) -> bool:
    """Whether the answer is what a route gives from answers that are no sound basis (zeros carried on)."""
    for route in part.routes:
        if route.uses == (part.part.id,):
            continue  # its own entries: the kind's route judges each against the right value where unsound
        if all(name in seen for name in route.uses) and not all(sound(prepared, n, seen, memo) for n in route.uses):
            rerun = rerun_of(prepared, route, seen, memo)
            if rerun is not None and _agrees(known, rerun, part):
                return True
    return False


def _numbers(value: Any) -> list[float]:
    return [abs(float(x)) for x in answer_leaves(value).values() if type(x) is not bool]


def _all_zero(value: Any) -> bool:
    numbers = _numbers(value)
    return bool(numbers) and not any(numbers)


def _out_of_scale(value: Any, reference: Any) -> bool:
    got, want = _numbers(value), _numbers(reference)
    if not got or not want or not math.isfinite(max(got)) or max(want) == 0 or max(got) == 0:
        return False
    return not max(want) / _SCALE <= max(got) <= max(want) * _SCALE


def _agrees(known: Seen, rerun: Rerun, part: PreparedPart) -> bool:
    """Whether the answer is the re-run's, each number within the tolerance of a value the rounding allows
    (as _against says, without its feedback: most answers differ at their first number)."""
    value = known.value
    want, got = answer_leaves(rerun.nominal), answer_leaves(value)
    placed = bool(want) and want.keys() == got.keys()
    hopeless = placed and far(got, want)  # whatever the bounds
    # the figures written settle it whatever the bounds (nor the bounds, nor the part's allowance would change it)
    found = settled(got, want, part.tolerance) if placed and not hopeless else None
    if not rerun.rounded:
        plain = close_enough(value, rerun.nominal, part)
        if hopeless and not plain:
            return False  # no for any allowance: none is worked out
        if found == plain:
            return plain  # the same with the part's allowance as without: not worked out (most answers)
        if not plain and found is None and placed and beyond_reach(got, want, part, rerun.bounds):
            return False  # no with the allowance, and without it: not worked out
        if not part.allowance:
            return plain
    if hopeless:
        return False  # before the bounds are worked out
    if found is not None:
        return found
    if placed and all(type(e) is bool and got[path] is e for path, e in want.items()):
        return True  # yes/no values, each the re-run's: within says so whatever the bounds (not worked out)
    if placed and _beyond(got, want, part, rerun):
        return False  # further off than the re-run's bounds and any allowance reach: not worked out
    found = within(value, rerun.nominal, _with_allowance(rerun, part), part.tolerance)
    return _against(known, rerun, part).correct if found is None else found


def _beyond(got: Mapping[Path, Any], want: Mapping[Path, Any], part: PreparedPart, rerun: Rerun) -> bool:
    """beyond_reach with the re-run's bounds, told first with the kind's bound on them where it has one (beyond
    that, beyond any smaller bound: rounding.outside), which costs no re-run per number read."""
    most = rerun.most
    return (most is not None and beyond_reach(got, want, part, most)) or beyond_reach(got, want, part, rerun.bounds)


def _with_allowance(rerun: Rerun, part: PreparedPart) -> Bounds:
    """The re-run's bounds widened by the rounding of the values worked out on the way to this part: worked out
    once per re-run and part (a re-run the class shares meets every wrong answer to its part; read, never change)."""
    widened = rerun.widened
    if widened is not None and widened[0] == id(part):
        return widened[1]
    bounds = dict(rerun.bounds or {})
    for path, (down, up) in part.allowance.items():
        low, high = bounds.get(path, (0.0, 0.0))
        bounds[path] = (low + down, high + up)
    rerun.widened = (id(part), bounds)
    return bounds


def _against(known: Seen, rerun: Rerun, part: PreparedPart, plain: Check | None = None) -> Check:
    """The answer checked against the re-run, taking at each number the value nearest to the student's that
    the rounding of the answers read, and of the values worked out on the way, allows (its share alone is read;
    `plain`: the answer's check against the re-run's own value, where one was made already)."""
    bounds = _with_allowance(rerun, part)
    if not bounds:
        return plain if plain is not None else _checked(known.value, rerun.nominal, part, explain=False)
    return _checked(
        known.value, nearest(rerun.nominal, bounds, known.value, part.tolerance.sigfigs), part, explain=False
    )


def _checked(value: Any, expected: Any, part: PreparedPart, explain: bool = True) -> Check:
    try:
        return check(value, expected, part.tolerance, part.formulas.equivalent, explain)
    except UNFIT:
        return _NOTHING
