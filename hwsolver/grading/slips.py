"""Which of the kind's classic slips explain a wrong answer (its mutants), worked out once per answer text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Check, agrees, check, layout, layouts_agree
from hwsolver.grading.float_answers import float_layout
from hwsolver.grading.leaves import Path, answer_leaves
from hwsolver.grading.prepared import PreparedPart, PreparedProblem, Seen
from hwsolver.grading.reveal import marked
from hwsolver.grading.rounding import Bounds, beyond, outside, settled, within
from hwsolver.model import Mutant, Symbolic


def work_out(prepared: PreparedProblem, part: PreparedPart, known: Seen) -> None:
    """The answer against the reference, and which slips give it (once per answer text)."""
    if known.outcome is None:
        outcome = _check(known.value, part.reference, part)
        if not outcome.correct and _within_rounding(known, part):
            outcome = Check(Fraction(1), "right, allowing for the intermediate values rounded on the way")
        if not outcome.correct and prepared.evidence is not None:
            # the kind may show the difference better (a count at small whole sizes, not at n = 6.09569)
            better = prepared.evidence(prepared.problem, prepared.solution, part.part.id, known.value)
            outcome = replace(outcome, feedback=marked(better)) if better else outcome
        # a formula's slips once per meaning: some take a formula comparison each (conv's unturned kernel)
        known.candidates = (
            () if outcome.correct else known.by_meaning(part.slipped, lambda: _matching_mutants(part, known.value))
        )
        known.outcome = outcome  # last: a check stopped by its time limit midway is not taken as done


def _within_rounding(known: Seen, part: PreparedPart) -> bool:
    """Right when each number may differ from the reference by what rounding the values worked out before it
    explains (a student who rounds every intermediate value to the required figures and carries on). An answer
    that no bound could save is told first, and one whose figures settle it (a number written with fewer figures
    than asked is judged against the reference itself): the allowances are worked out only for one that rounding
    may explain. Each way out says no without an allowance: a part that surely has none (a kind without a chain
    of steps: pooling's) is told so first."""
    if not part.worked.may_round(part.part.id):
        return False
    got, want, tolerance = answer_leaves(known.value), answer_leaves(part.reference), part.tolerance
    if beyond(got, want):
        return False
    found = settled(got, want, tolerance)
    if found is not None:  # within says so whatever the bounds; a yes still needs some allowance to be one
        return found and bool(part.allowance)
    if beyond_reach(got, want, part):
        return False  # further off than rounding reaches (most wrong answers): no allowance worked out
    if not part.allowance:
        return False
    return within(known.value, part.reference, part.allowance, tolerance) is True  # None: another shape


def beyond_reach(
    got: Mapping[Path, Any], want: Mapping[Path, Any], part: PreparedPart, bounds: Bounds | None = None
) -> bool:
    """Whether some number of an answer (by place) is further from the wanted one than any allowance of the part
    reaches (with `bounds`, a re-run's, added), where the kind bounds the allowances unrun (Allowances.reach):
    within says no with the allowance, which need not be worked out."""
    allowances = part.allowances
    reach = allowances.reach(part.part.id) if allowances is not None else None
    return reach is not None and outside(got, want, reach, part.tolerance, bounds)


def named_slip(prepared: PreparedProblem, part: PreparedPart, known: Seen, seen: Mapping[str, Seen]) -> Mutant | None:
    """The first slip that gives this answer and that the student's earlier answers do not contradict."""
    return next((m for m in known.candidates if _consistent(prepared, part, m, seen)), None)


def _check(value: Any, reference: Any, part: PreparedPart) -> Check:
    return check(value, reference, part.tolerance, part.formulas.equivalent)


def _matching_mutants(part: PreparedPart, value: Any) -> tuple[Mutant, ...]:
    """Every classic slip that gives this answer, in the kind's order. The answer is laid out when a slip's layout
    first asks (many parts' slips are told by the kind's matches alone, some parts have none)."""
    slips = part.slips
    if not slips:
        return ()
    found, part_id, laid_out = [], part.part.id, _UNLAID
    for mutant, answer, answer_layout in slips:
        if mutant.matches is not None and mutant.matches(part_id, value):
            found.append(mutant)
        elif answer_layout is not None:  # numbers: compared as laid out, most slips differ at the first one
            if laid_out is _UNLAID:
                laid_out = float_layout(value) or layout(value)
            if laid_out is not None and layouts_agree(laid_out, answer_layout, part.tolerance):
                found.append(mutant)
        elif answer is not None and close_enough(value, answer, part):
            found.append(mutant)
    return tuple(found)


_UNLAID: Any = object()  # _matching_mutants' answer, not laid out yet


def _consistent(prepared: PreparedProblem, part: PreparedPart, mutant: Mutant, seen: Mapping[str, Seen]) -> bool:
    """A slip explains a part only if the student's earlier answers do not contradict it: none of them is right
    where this slip would already have made it wrong (right gradients rule out "the gradients came out doubled")."""
    if mutant.per_part:
        return True
    for other in prepared.every:
        name = other.part.id
        if name not in part.earlier or name not in seen or not _changes(prepared, mutant, other):
            continue  # not answered, or the slip does not change this part: it says nothing
        earlier = seen[name]
        if earlier.outcome.correct if earlier.outcome else close_enough(earlier.value, other.reference, other):
            return False
    return True


def _changes(prepared: PreparedProblem, mutant: Mutant, part: PreparedPart) -> bool:
    """Whether the slip changes this part's answer (the same for every student: worked out once)."""
    key = (id(mutant), part.part.id)  # by identity: two slips may share a name (one mistake, two ways to it)
    found = prepared.slip_changes.get(key)
    if found is None:
        slipped = mutant.answers.get(part.part.id)
        if isinstance(slipped, Symbolic):
            slipped = part.formulas.parse(slipped.expr)  # compared as the student's formulas are
        found = slipped is not None and not close_enough(slipped, part.reference, part)
        prepared.slip_changes[key] = found
    return found


def close_enough(value: Any, reference: Any, part: PreparedPart) -> bool:
    """Whether `value` fully matches `reference` within the part's tolerance (False for another shape)."""
    try:
        return agrees(value, reference, part.tolerance, part.formulas.equivalent)
    except (TypeError, ValueError, KeyError, IndexError):
        return False  # a mutant answer of another shape is simply not this student's mistake
