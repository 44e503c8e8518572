"""What grading a problem works out only when an answer first needs it (prepared_parts.py holds them): the slips that
could give a part's answer, the routes follow-through may take to it and how far rounding moves its numbers; and
answers as floats (float_answers.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hwsolver.grading.checkers import Layout
from hwsolver.grading.float_answers import floats_and_layout
from hwsolver.grading.leaves import Path, is_number, leaves
from hwsolver.grading.lecturer import lecturer_mutants
from hwsolver.grading.rounded_chain import Bounds, Rounding
from hwsolver.kinds.base import Kind
from hwsolver.model import Chain, Mutant, Part, Problem, Route, Solution

WORK: Counter[str] = Counter()  # allowances, mutants, routes and chains worked out (tests count them)
PartSlips = tuple[tuple[Mutant, Any, Layout | None], ...]  # a part's: (the slip, its answer as floats, its layout)


class Allowances:
    """A problem's rounding allowances (rounding.py), worked out when a wrong answer first needs them (re-running
    the chain with each value rounded costs more than preparing a variant). A total chain's (model.Chain.total)
    part by part, each reading only the steps its part reads; else all at once: a step that raises on a moved value
    (a log at 0) drops that move for every part, so one part's bounds depend on the others'."""

    def __init__(
        self, chain: Chain, order: tuple[str, ...], sigfigs: int | None, references: Mapping[str, Any] | None = None
    ) -> None:
        self.chain, self.order, self.sigfigs = chain, order, sigfigs
        self.references = references or {}  # the parts' answers (the solution's): what has numbers, told unrun
        self.rounding = Rounding(chain, sigfigs)  # the work the parts share, kept for the next one
        self.found: dict[str, Bounds] = {}
        self.whole = False  # all parts' worked out
        self.reaches: Mapping[str, Any] | None = None  # each step's reach (model.Chain.reach), when first asked
        self.reached: dict[str, dict[Path, float] | None] = {}  # each part's, by place (None: no reach)

    def get(self, part: str) -> Bounds:
        if self.whole or part in self.found:
            return self.found.get(part, {})
        if not self.may_move(part) or (self.chain.total and not self._numbers(part)):
            return self.found.setdefault(part, {})
        WORK["allowances"] += 1
        if self.chain.total:
            self.found[part] = self.rounding.allowances((part,) if part in self.order else ()).get(part, {})
        else:
            self.found, self.whole = self.rounding.allowances(self.order), True
        return self.found.get(part, {})

    def reach(self, part: str) -> dict[Path, float] | None:
        """How far at most rounding moves each number of the part's answer (no less than its allowance, down or
        up), by its place, where the kind bounds it unrun (model.Chain.reach: one pass over the steps); else None."""
        if part in self.reached:  # asked again for each wrong answer to the part and each re-run checked
            return self.reached[part]
        chain, found = self.chain, None
        # (whatever the allowances worked out so far say: a re-run's bounds read the reach of a part without one)
        if chain.reach is not None and self._movable(part) and self._numbers(part):
            if self.reaches is None:
                WORK["reaches"] += 1
                self.reaches = chain.reach(self.sigfigs)
            found = leaves(chain.answers[part](self.reaches))
        return self.reached.setdefault(part, found)

    def may_move(self, part: str) -> bool:
        """Whether the part may have an allowance, told without working anything out (what is worked out already
        says; else _movable)."""
        if self.whole or part in self.found:
            return bool(self.found.get(part))
        return self._movable(part)

    def _movable(self, part: str) -> bool:
        """None without figures asked or for a part the chain does not answer (Rounding.allowances), nor for a
        total chain's yes/no (get's rule: its values are no numbers, as _numbers tells)."""
        yes_no = self.chain.total and type(self.references.get(part)) is bool
        return not yes_no and bool(self.sigfigs) and part in self.chain.answers

    def _numbers(self, part: str) -> bool:
        """Whether the part's answer has a number that rounding could move: told by the solution's answer (laid out
        as the chain's), which costs no step (whether the loss went down reads every step), else the chain's."""
        if part in self.references:
            return any(map(is_number, leaves(self.references[part]).values()))
        read = self.chain.answers.get(part)
        return read is not None and any(map(is_number, leaves(read(self.rounding.base)).values()))


class Mistakes:
    """A problem's slips: the kind's mutants and the lecturer's, worked out when first needed (`prepare(lazy=True)`:
    only a wrong answer needs them, and in a class of per-student variants most students answer most problems
    right), and by part those that can give its answer."""

    def __init__(self, kind: Kind, problem: Problem, solution: Solution) -> None:
        self.kind, self.problem, self.solution = kind, problem, solution
        self.found: tuple[Mutant, ...] | None = None
        # each slip with how its answers are read (_readers), for every part a wrong answer asks about
        self.readers: tuple[tuple[Mutant, Any, Any], ...] | None = None
        self.by_part: dict[str, PartSlips] = {}
        self.credited: dict[str, dict[str, Fraction]] = {}

    @property
    def mutants(self) -> tuple[Mutant, ...]:
        if self.found is None:
            WORK["mutants"] += 1
            found = tuple(self.kind.mutants(self.problem, self.solution))
            # the lecturer's own, after the kind's (most problems have none)
            self.found = found + lecturer_mutants(self.problem, self.solution, (m.id for m in found))
        return self.found

    def for_part(self, part: Part) -> PartSlips:
        """The slips that can give this part's answer, in the kind's order (kept by part)."""
        found = self.by_part.get(part.id)
        if found is None:
            found = self.by_part[part.id] = self._slips(part.id)
        return found

    def _slips(self, part: str) -> PartSlips:
        """Each slip that says something of the part: (the slip, its answer as floats or None, its layout or None).
        Its answer laid out by the kind where its answers can (`layout`: what float_layout makes of the answer,
        without making it: a variant's slips trained in one run); else the answer, laid out here; else None, None
        for a slip told by its `matches` alone; none for a slip that says nothing of the part (most change a few)."""
        slips: list[tuple[Mutant, Any, Layout | None]] = []
        for mutant, layout_of, matches in self._readers():
            laid_out = layout_of(part) if layout_of is not None else None
            if laid_out is not None:
                slips.append((mutant, None, laid_out))
                continue
            answer = mutant.answers.get(part)
            if answer is not None:
                slips.append((mutant, *floats_and_layout(answer)))
            elif matches is not None:
                slips.append((mutant, None, None))
        return tuple(slips)

    def _readers(self) -> tuple[tuple[Mutant, Any, Any], ...]:
        """Each slip with its answers' `layout` (None where the kind lays none out) and its `matches`, read once for
        the parts (a class of per-student variants asks a variant's slips about a part or two)."""
        if self.readers is None:
            self.readers = tuple((m, getattr(m.answers, "layout", None), m.matches) for m in self.mutants)
        return self.readers

    def credits(self, part: Part) -> dict[str, Fraction]:
        """The share of the part's points each of its slips earns (kept by part; asked once a slip is named)."""
        found = self.credited.get(part.id)
        if found is None:
            chosen = self.problem.options.get("mistake_credit", {})
            if part.options.get("mistake_credit"):
                chosen = {**chosen, **part.options["mistake_credit"]}
            found = self.credited[part.id] = {}
            for mutant, _, _ in self.for_part(part):
                credit = chosen.get(mutant.id, mutant.credit)
                found[mutant.id] = credit if type(credit) is Fraction else Fraction(credit)
        return found


class Worked:
    """A problem's work that only a wrong answer needs, each piece on first need and then shared by its parts: its
    slips (Mistakes), the routes follow-through may take (the kind's follow_through) and the rounding allowances
    (the kind's chain). A class of per-student variants prepares a problem per student, and most answer most parts
    right. `sigfigs`: the problem's (its rounding's); `kept`: which routes a part keeps, by the route's part and
    the parts it reads (the same for every variant of a problem as written: worked out once for them all)."""

    def __init__(
        self,
        kind: Kind,
        problem: Problem,
        solution: Solution,
        order: tuple[str, ...],
        graded: Mapping[str, Part],
        sigfigs: int | None,
        kept: dict[tuple[str, tuple[str, ...]], bool],
    ) -> None:
        self.kind, self.problem, self.solution, self.order, self.graded = kind, problem, solution, order, graded
        self.kept, self.sigfigs = kept, sigfigs
        self.mistakes = Mistakes(kind, problem, solution)
        self._routes: dict[str, tuple[Route, ...]] | None = None
        self._reads: dict[str, tuple[str, ...]] = {}
        self._allowances: Allowances | None = None  # None: the kind has no chain, or not yet built (_chained)
        self._chained = False

    def now(self) -> None:
        """Everything worked out now (the problems as written: an error in them stops the run before any file is
        read)."""
        self.mistakes.mutants  # noqa: B018
        self.routes("")
        self.allowances  # noqa: B018

    def routes(self, part: str) -> tuple[Route, ...]:
        """The part's follow-through routes (all the problem's worked out at its first wrong answer that asks)."""
        if self._routes is None:
            self._routes = self._all_routes()
        return self._routes.get(part, ())

    def reads(self, part: str) -> tuple[str, ...]:
        """The other parts the part's routes read, once each, in the routes' order."""
        found = self._reads.get(part)
        if found is None:
            uses = (name for route in self.routes(part) for name in route.uses if name != part)
            found = self._reads[part] = tuple(dict.fromkeys(uses))
        return found

    def _all_routes(self) -> dict[str, tuple[Route, ...]]:
        """The kind's follow-through routes by part, keeping those that read only earlier parts asked with points:
        an earlier slip must cost something somewhere, so no credit flows through a part that carries none. A route
        may read its own part, entry by entry (follow.py)."""
        follow_through = self.kind.follow_through
        if follow_through is None:
            return {}
        WORK["routes"] += 1
        found: dict[str, list[Route]] = {}
        for route in follow_through(self.problem, self.solution):
            key = (route.part, route.uses)
            keep = self.kept.get(key)
            if keep is None:
                keep = self.kept[key] = self._keeps(route)
            if keep:
                found.setdefault(route.part, []).append(route)
        return {part: tuple(routes) for part, routes in found.items()}

    def _keeps(self, route: Route) -> bool:
        order, graded = self.order, self.graded
        earlier = order[: order.index(route.part)] if route.part in order else ()
        own = route.uses == (route.part,)
        return own or all(name in earlier and name in graded and graded[name].points > 0 for name in route.uses)

    def may_round(self, part: str) -> bool:
        """Allowances.may_move once the chain is built; before, True for every part of a kind with a chain (only a
        kind without one is told "no" without building it)."""
        if not self._chained:
            return self.kind.chain is not None
        return self._allowances is not None and self._allowances.may_move(part)

    @property
    def allowances(self) -> Allowances | None:
        """The rounding allowances (None when the kind has no chain), their chain built on first need."""
        if not self._chained:
            chain = self.kind.chain(self.problem, self.solution) if self.kind.chain else None
            WORK["chains"] += chain is not None
            self._allowances = Allowances(chain, self.order, self.sigfigs, self.solution.answers) if chain else None
            self._chained = True
        return self._allowances
