"""How students count on an op_count problem: other conventions, departures from what the statement fixes,
totals from their own per-layer counts, and differences shown at small whole sizes.

Another documented convention is an acceptable answer (`convention_credit`) for each part where it agrees with
the switches the statement fixes; where a fixed switch changes a part, that part's count is the named mistake of
departing from it (`update_not_counted`, `activation_counted`, ...), as is the problem's own convention with
one fixed switch flipped (their table: fixed.py), and each count given as its leading term alone
(`leading_term_only`: solve's switch of that name). Every part is judged by itself. Each mistake earns, by default,
its share of the points in that table (a problem's `mistake_credit` overrides it).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

import numpy as np

from hwsolver.compute.opcount.conventions import CONVENTIONS, Convention
from hwsolver.compute.opcount.table import L, n, operations, role_count, total
from hwsolver.errors import ExprError
from hwsolver.expr import compile_numeric, from_sympy, parse, to_sympy, to_text
from hwsolver.kinds.base import Mistake
from hwsolver.kinds.op_count import COUNTS, OpCountGiven, size_value, solve, under_each_convention
from hwsolver.kinds.op_count.fixed import FIXABLE, LEADING_TERM_ONLY, OTHER_CONVENTION, departure
from hwsolver.kinds.pairs import merged_keywords, paired
from hwsolver.model import Mutant, Problem, Route, Solution, Symbolic

_SMALL = 6  # differences are shown at sizes 1..6, smallest first


def _solved(solution: Solution, convention: Convention, *, leading_term_only: bool = False) -> Solution:
    problem = solution.problem
    given = replace(problem.given, convention=convention)
    return solve(replace(problem, given=given), exact=False, leading_term_only=leading_term_only)


def mutants(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Every other convention where the statement allows it, and every departure from what it fixes."""
    given: OpCountGiven = problem.given
    fixed = dict(given.fixed)
    credit = Fraction(problem.options.get("convention_credit", 1))
    mutants = []
    for name, other in under_each_convention(solution).items():
        if name == given.convention.name:
            continue
        summary = CONVENTIONS[name].summary.rstrip(".")
        departures = {k: v for k, v in fixed.items() if getattr(CONVENTIONS[name], FIXABLE[k].switch) != v}
        allowed = _solved(solution, CONVENTIONS[name].with_overrides(_switches(departures))) if departures else other
        agreeing = {part: v for part, v in other.answers.items() if allowed.answers[part] == v}
        feedback = OTHER_CONVENTION["en"].format(name=name, summary=summary, own=given.convention.name)
        mutants.append(Mutant(name, feedback, agreeing, credit, per_part=True))
        for key, value in departures.items():  # a part the departure alone changes is that mistake
            alone = _solved(solution, CONVENTIONS[name].with_overrides(_switches({key: value})))
            changed = {p: v for p, v in other.answers.items() if p not in agreeing and alone.answers[p] != v}
            mutants.append(_departure(departure(key, value, name), changed))
    for key, value in fixed.items():
        flipped = _solved(solution, given.convention.with_overrides(_switches({key: not value})))
        changed = {p: v for p, v in flipped.answers.items() if v != solution.answers[p]}
        mutants.append(_departure(departure(key, value), changed))
    leading = _solved(solution, given.convention, leading_term_only=True)  # lower-order terms dropped
    changed = {p: v for p, v in leading.answers.items() if v != solution.answers[p]}
    mutants.append(_departure((LEADING_TERM_ONLY, LEADING_TERM_ONLY.says("en")), changed))
    return tuple(m for m in mutants if m.answers)


def pairs(problem: Problem, solution: Solution) -> tuple[Mutant, ...]:
    """Two departures from what the statement fixes at once, or one and the leading term alone, in the problem's
    own convention."""
    given: OpCountGiven = problem.given
    solved = solution.answers
    switches = [(departure(key, value)[0].id, {key: not value}) for key, value in dict(given.fixed).items()]
    switches.append((LEADING_TERM_ONLY.id, {LEADING_TERM_ONLY.id: True}))

    def flipped(flips: dict[str, bool]) -> dict[str, Any]:
        flips = dict(flips)
        leading = flips.pop(LEADING_TERM_ONLY.id, False)
        convention = given.convention.with_overrides(_switches(flips))
        answers = _solved(solution, convention, leading_term_only=leading).answers
        return {part: value for part, value in answers.items() if value != solved[part]}

    return paired(switches, merged_keywords, flipped)


def _departure(named: tuple[Mistake, str], answers: dict[str, Any]) -> Mutant:
    mistake, feedback = named
    return Mutant(mistake.id, feedback, answers, mistake.credit, per_part=True)


def _switches(fixed: Mapping[str, bool]) -> dict[str, bool]:
    return {FIXABLE[key].switch: value for key, value in fixed.items()}


def follow_through(problem: Problem, solution: Solution) -> tuple[Route, ...]:
    """Each total from the student's own per-layer count: L times it, plus what the first and output layers
    differ by under the problem's convention or another documented one."""
    given: OpCountGiven = problem.given
    sizes = {n: size_value(given.width), L: size_value(given.layers)}
    layers = str(given.layers)
    routes = []
    for count in COUNTS:
        phase, what = count.split("_")
        reference: Symbolic = solution.answers[f"{count}_total"]
        extras = []
        for convention in (given.convention, *CONVENTIONS.values()):
            rows = operations(convention, given.loss)
            extra = (total(rows, phase, what) - L * role_count(rows, phase, what, "hidden")).xreplace(sizes)
            if extra not in extras:
                extras.append(extra)
        for extra in extras:

            def total_from(values: Mapping[str, Any], reference: Symbolic = reference, extra: Any = extra) -> Any:
                (per_layer,) = values.values()
                return replace(reference, expr=f"({layers})*({to_text(per_layer)}) + ({from_sympy(extra)})", latex="")

            routes.append(Route(f"{count}_total", (f"{count}_per_layer",), total_from, rounded=False))
    return tuple(routes)


def trivial(problem: Problem, solution: Solution, part: str, value: Any) -> bool:
    """A per-layer count of 0, or one that does not grow with the width: multiplying it by L takes no work."""
    given: OpCountGiven = problem.given
    if not part.endswith("_per_layer"):
        return False
    try:
        expr = to_sympy(value)
    except ExprError:
        return False
    names = {symbol.name for symbol in expr.free_symbols}
    return expr == 0 or (isinstance(given.width, str) and given.width not in names)


def evidence(problem: Problem, solution: Solution, part: str, value: Any) -> str | None:
    """Where a wrong count differs, at small whole sizes (n = 2, L = 2), not at random real ones."""
    reference = solution.answers.get(part)
    if not isinstance(reference, Symbolic) or isinstance(value, Mapping) or not reference.scope.variables:
        return None
    scope = reference.scope
    try:
        student, right = compile_numeric(value, scope), compile_numeric(parse(reference.expr, scope), scope)
        for point in _small_points(scope.variables):
            env = {name: np.array([float(size)]) for name, size in point.items()}
            got, want = float(student(env)[0]), float(right(env)[0])
            if not abs(got - want) <= 1e-9 * max(1.0, abs(want)):
                where = ", ".join(f"{name} = {size}" for name, size in point.items())
                return f"not the count: at {where} this gives {_number(got)}, the count is {_number(want)}"
    except (ExprError, TypeError, ValueError, ArithmeticError):
        return None
    return None


def _small_points(names: tuple[str, ...]) -> list[dict[str, int]]:
    """Every choice of sizes 1.._SMALL, smallest first, sizes of 1 (a degenerate network) last."""
    points = itertools.product(range(1, _SMALL + 1), repeat=len(names))
    return [dict(zip(names, p)) for p in sorted(points, key=lambda p: (min(p) == 1, max(p), sum(p), p))]


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else f"{value:.6g}"
