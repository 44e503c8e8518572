"""What grading a problem works out only when an answer first needs it (prepared.py holds them): the slips that
could give a part's answer and how far rounding moves its numbers; and answers as floats, as they are compared."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Layout, layout
from hwsolver.grading.leaves import is_number, leaves
from hwsolver.grading.lecturer import lecturer_mutants
from hwsolver.grading.rounded_chain import Bounds, Rounding
from hwsolver.kinds.base import Kind
from hwsolver.model import Chain, Mutant, Part, Problem, Solution, Symbolic

WORK: Counter[str] = Counter()  # allowances and mutants worked out (tests count them)


class Allowances:
    """A problem's rounding allowances (rounding.py), worked out when a part first needs them: only a wrong
    answer does, and re-running the chain with each value rounded is most of what preparing a problem costs (a
    class of per-student variants prepares a problem per student). A total chain's (model.Chain.total) are worked
    out part by part, each reading only the steps its part reads: a student seldom needs them for more than one or
    two parts of their own variant. Else all at once: a step that raises on a moved value (a log at 0) drops that
    move for every part, so one part's bounds depend on the others'."""

    def __init__(self, chain: Chain, order: tuple[str, ...], sigfigs: int | None) -> None:
        self.chain, self.order, self.sigfigs = chain, order, sigfigs
        self.rounding = Rounding(chain, sigfigs)  # the work the parts share, kept for the next one
        self.found: dict[str, Bounds] = {}
        self.whole = False  # all parts' worked out

    def get(self, part: str) -> Bounds:
        if self.whole or part in self.found:
            return self.found.get(part, {})
        if self.chain.total and not self._numbers(part):
            self.found[part] = {}  # a yes/no: rounding moves no number of it (the loss went down or it did not)
            return {}
        WORK["allowances"] += 1
        if self.chain.total:
            self.found[part] = self.rounding.allowances((part,) if part in self.order else ()).get(part, {})
        else:
            self.found, self.whole = self.rounding.allowances(self.order), True
        return self.found.get(part, {})

    def _numbers(self, part: str) -> bool:
        """Whether the part's answer, as the chain gives it, has a number that rounding could move."""
        read = self.chain.answers.get(part)
        return read is not None and any(map(is_number, leaves(read(self.rounding.base)).values()))


class Mistakes:
    """A problem's slips: the kind's mutants and the lecturer's, worked out when first needed (`prepare(lazy=True)`:
    only a wrong answer needs them, and in a class of per-student variants most students answer most problems
    right), and by part those that can give its answer."""

    def __init__(self, kind: Kind, problem: Problem, solution: Solution) -> None:
        self.kind, self.problem, self.solution = kind, problem, solution
        self.found: tuple[Mutant, ...] | None = None
        self.by_part: dict[str, tuple[tuple[tuple[Mutant, Any, Layout | None], ...], dict[str, Fraction]]] = {}

    @property
    def mutants(self) -> tuple[Mutant, ...]:
        if self.found is None:
            WORK["mutants"] += 1
            found = tuple(self.kind.mutants(self.problem, self.solution))
            self.found = found + lecturer_mutants(self.problem, self.solution, (m.id for m in found))  # after its own
        return self.found

    def for_part(self, part: Part) -> tuple[tuple[tuple[Mutant, Any, Layout | None], ...], dict[str, Fraction]]:
        """The slips that can give this part's answer, and the share of its points each earns (kept by part)."""
        found = self.by_part.get(part.id)
        if found is not None:
            return found
        slips, credits = [], {}
        chosen = {**self.problem.options.get("mistake_credit", {}), **part.options.get("mistake_credit", {})}
        for mutant in self.mutants:
            answer = as_floats(mutant.answers.get(part.id))
            if answer is not None or mutant.matches is not None:
                slips.append((mutant, answer, layout(answer) if answer is not None else None))
                credits[mutant.id] = Fraction(chosen.get(mutant.id, mutant.credit))
        found = self.by_part[part.id] = (tuple(slips), credits)
        return found


def as_floats(value: Any, formulas: list[Symbolic] | None = None) -> Any:
    """An answer with every exact number as a float (structure, booleans and formulas unchanged), each formula
    met appended to `formulas` when given (in order: the first is the part's scope). Exact types first: this
    walks every reference and every slip's answer of every variant prepared."""
    kind = type(value)
    if kind is Fraction or kind is float or kind is int:
        return float(value)
    if kind is tuple or kind is list:
        return tuple([as_floats(item, formulas) for item in value])
    if isinstance(value, Symbolic):
        if formulas is not None:
            formulas.append(value)
        return value
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, tuple | list):
        return tuple([as_floats(item, formulas) for item in value])
    if isinstance(value, Mapping):
        return {key: as_floats(item, formulas) for key, item in value.items()}
    return float(value)
