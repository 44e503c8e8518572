"""Follow-through's re-runs (follow.py): a route worked out from a student's answers, remembered for the class
where those answers are, and how far the rounding of the numbers read may move each number of its value: each
number moved in turn, a wrong answer's by half a unit in its last written digit (at most its part's tolerance), a
right one's to the true value, the changes added up (a first-order bound), worked out only when an answer needs it."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from hwsolver.errors import HwsolverError
from hwsolver.grading.leaves import Path, answer_leaves, is_number, leaves, shifted
from hwsolver.grading.prepared import PreparedPart, PreparedProblem, Seen
from hwsolver.grading.rounding import Bounds, spread
from hwsolver.memo import Bounded
from hwsolver.model import Route, Spread

_MAX_NUMBERS = 256  # rounding is carried through at most this many numbers read (two re-runs each)
_RERUNS = 20_000  # re-runs remembered per problem for the class, whatever a hostile class sends
_MOVED: Bounded[tuple[int, Path, float], tuple[Any, Any]] = Bounded(256)  # _shifted's: one student's moves at a time
_Ends = list[tuple[Path, list[tuple[float, bool]]]]
# _ends's, by the part's and the answer's identity (both kept with them) and whether it is right (an answer read
# before it is checked is taken as wrong): the routes that read one answer, and the bound on a re-run's bounds and
# those bounds themselves, each ask for its ends. One student's answers at a time: a part kept keeps its variant's
# whole preparation alive
_ENDS: Bounded[tuple[int, int, bool, bool], tuple[PreparedPart, Seen, _Ends]] = Bounded(16)
UNFIT = (ArithmeticError, ValueError, TypeError, KeyError, IndexError, HwsolverError)  # answers that do not fit

Memo = dict[Any, Any]  # for one student's problem: soundness and re-runs, each worked out once


class Rerun:
    """A route re-run from a student's answers: its value, and how far the rounding of the answers read may move
    each of its numbers (worked out when first needed: most answers are nowhere near the value); `most`, where the
    kind tells it unrun (Route.spread), a bound on those bounds."""

    __slots__ = ("_bounds", "_most", "_most_work", "_work", "nominal", "rounded", "widened")

    def __init__(
        self, nominal: Any, work: Callable[[], Bounds] | None, most: Callable[[], Bounds | None] | None = None
    ) -> None:
        self.nominal, self._work, self._bounds = nominal, work, None
        self._most_work, self._most = most, None  # (most's, made when first asked for)
        self.rounded = work is not None  # the answers read were rounded numbers
        # _with_allowance's, for the part last asked, by its id: holding the part would tie the re-runs the problem
        # keeps to its parts in a cycle, left to the cycle collector (the part lives as long as its re-runs)
        self.widened: tuple[int, Bounds] | None = None

    @property
    def bounds(self) -> Bounds | None:
        if self._work is not None:
            self._bounds, self._work = self._work(), None
        return self._bounds

    @property
    def most(self) -> Bounds | None:
        """No bound of `bounds` reaches further than this one's, either way (None: not known)."""
        if self._most_work is not None:
            self._most, self._most_work = self._most_work(), None
        return self._most


def rerun_of(prepared: PreparedProblem, route: Route, seen: Mapping[str, Seen], memo: Memo) -> Rerun | None:
    """The route re-run from the student's answers: remembered for the class when those answers are (the right
    ones, and the slips a class repeats), else for this student."""
    read = {name: seen[name] for name in route.uses}
    shared = all(item.remembered for item in read.values())
    key = (id(route), *(item.same for item in read.values()))
    store = prepared.reruns if shared else memo
    if key not in store:
        found = _worked_out_rerun(prepared, route, read)
        if not shared or len(store) < _RERUNS:
            store[key] = found
        return found
    return store[key]


def _worked_out_rerun(prepared: PreparedProblem, route: Route, read: dict[str, Seen]) -> Rerun | None:
    values = {name: item.value for name, item in read.items()}
    try:
        nominal = route.compute(values)
    except UNFIT:
        return None  # the student's answers do not fit this route (another shape, a position outside)
    if not route.rounded:
        return Rerun(nominal, None)
    # over the problem's parts, not the problem, which keeps this re-run (a cycle would leave the variant's whole
    # preparation to the cycle collector)
    parts = prepared.by_id
    spread = route.spread
    most = (lambda: _most(parts, spread, read, values, nominal)) if spread is not None else None
    return Rerun(nominal, lambda: _bounds(parts, route, read, values, nominal), most)


def _bounds(
    parts: Mapping[str, PreparedPart], route: Route, read: dict[str, Seen], values: dict[str, Any], nominal: Any
) -> Bounds:
    expected = answer_leaves(nominal)
    # a wrong answer's number may lie either side: moved one way, the change taken both ways (first order), but
    # both ways where a yes/no may flip
    both = any(type(e) is bool for e in expected.values())
    moves = [(name, path, ends) for name, item in read.items() for path, ends in _ends(parts[name], item, both)]
    bounds: Bounds = {path: {e} if type(e) is bool else (0.0, 0.0) for path, e in expected.items()}
    if len(moves) > _MAX_NUMBERS:
        return bounds
    for name, path, ends in moves:
        moved: Bounds = {}
        for end, symmetric in ends:
            try:
                out = leaves(route.compute({**values, name: _shifted(values[name], path, end)}))
            except UNFIT:
                continue
            for at, e in expected.items():
                o = out.get(at)
                if type(e) is bool:
                    bounds[at].add(o)
                elif is_number(o) and math.isfinite(o - e):
                    down, up = moved.get(at, (0.0, 0.0))
                    change = (abs(o - e), abs(o - e)) if symmetric else (e - o, o - e)
                    moved[at] = (max(down, change[0]), max(up, change[1]))
        for at, (down, up) in moved.items():
            low, high = bounds[at]
            bounds[at] = (low + down, high + up)
    return bounds


def _most(
    parts: Mapping[str, PreparedPart], spread: Spread, read: dict[str, Seen], values: dict[str, Any], nominal: Any
) -> Bounds | None:
    """The kind's bound on _bounds (Route.spread), from how far each number read moves at most (its ends')."""
    sizes = [
        (name, path, max(abs(end) for end, _ in ends))
        for name, item in read.items()
        for path, ends in _ends(parts[name], item, False)
    ]
    try:
        found = spread(values, sizes)
    except UNFIT:
        return None  # (an answer laid out otherwise than the kind bounds it)
    if found is None:
        return None
    return {path: (found, found) for path, e in answer_leaves(nominal).items() if is_number(e)}


def _shifted(value: Any, path: Path, change: float) -> Any:
    """shifted(value, path, change), one object for every route that moves this number of this answer by as much
    (remembered by the answer's identity, kept with it): a kind may share the work of re-runs that read the same
    answers (mlp_backprop's output and loss after, from the parameters after)."""
    key = (id(value), path, change)
    found = _MOVED.get(key)
    if found is None:
        found = _MOVED.keep(key, (value, shifted(value, path, change)))
    return found[1]


def _ends(part: PreparedPart, item: Seen, both: bool) -> _Ends:
    """Where each number the student wrote for `name` may really have been, as moves (how far, and whether the
    other way too): a right answer stands for the true value (carried as it is, or as written); a wrong one may
    be anywhere in its rounding interval. Worked out once per answer (read, never change)."""
    correct = item.outcome is not None and item.outcome.correct
    key = (id(part), id(item), both, correct)
    found = _ENDS.get(key)
    if found is None or found[0] is not part or found[1] is not item:
        found = _ENDS.keep(key, (part, item, _worked_out_ends(part, item, both, correct)))
    return found[2]


def _worked_out_ends(part: PreparedPart, item: Seen, both: bool, correct: bool) -> _Ends:
    right = answer_leaves(part.reference) if correct else None
    found = []
    for path, number in answer_leaves(item.value).items():
        if not is_number(number):
            continue
        if right is not None:
            true = right.get(path)
            ends = [(true - number, False)] if is_number(true) and true != number else []
        else:
            half = spread(number, part.tolerance)
            ends = ([(half, False), (-half, False)] if both else [(half, True)]) if half else []
        if ends:
            found.append((path, ends))
    return found
