"""One student's variant of one problem: the `vary:` rules drawn from SHA-256 seeds, again and again (a bounded
number of times) until the variant is a valid problem, solves (exact and float agreeing), meets every `require:`
constraint and shows every classic mistake."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Any

from hwsolver.errors import HwsolverError, SpecError
from hwsolver.kinds import KINDS
from hwsolver.model import Problem, Solution
from hwsolver.spec.assignments import Entry
from hwsolver.spec.node import Node
from hwsolver.spec.plainflow import PlainFlow
from hwsolver.spec.problems import filled, languages
from hwsolver.variants.detect import Judge
from hwsolver.variants.nodes import flow
from hwsolver.variants.require import Requirement, read_require
from hwsolver.variants.rules import Rule, draw, read_rules
from hwsolver.variants.seeds import Draws
from hwsolver.variants.statements import has_references

MAX_DRAWS = 200  # a rule set that no draw in this many meets is an error, with each constraint's acceptance rate
VALID = "a valid problem that solves"  # how the first test every draw passes is named in messages
SHOWN = "every mistake shows"  # the constraint every variant meets without being asked
_SEEN = 4096  # draws remembered per problem (a choice's few; numbers rarely repeat)


@dataclass(frozen=True)
class Variant:
    problem: Problem
    given: Node  # the given as drawn, in the spec's own syntax (what the lock holds)
    attempt: int  # the draw that was kept (0: the first)
    solution: Solution | None = None


@dataclass
class Tally:
    """How many draws reached each test, and how many passed it (for the message when none passes them all)."""

    reached: dict[str, int] = field(default_factory=dict)
    passed: dict[str, int] = field(default_factory=dict)

    def count(self, name: str, ok: bool) -> bool:
        self.reached[name] = self.reached.get(name, 0) + 1
        self.passed[name] = self.passed.get(name, 0) + ok
        return ok

    def worst(self) -> str:
        """The test with the lowest acceptance rate, with each rate: `loss_decreases: 0 of 180 draws (0%)`."""
        rates = {name: self.passed[name] / self.reached[name] for name in self.reached}
        name = min(rates, key=rates.get)  # type: ignore[arg-type]
        return f"{name}: {self.passed[name]} of {self.reached[name]} draws ({rates[name]:.0%})"


class ProblemVariants:
    """The variants of one problem of a set: its rules and constraints read once, each student's drawn on demand."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        fields = entry.root.mapping()
        self.given: Node = fields["given"]
        self.rules: tuple[Rule, ...] = read_rules(fields["vary"], self.given) if "vary" in fields else ()
        kind = KINDS[entry.problem.kind]
        self.requirements: tuple[Requirement, ...] = (
            read_require(fields["require"], kind) if "require" in fields else ()
        )
        self.texts = {key: fields[key] for key in ("title", "statement") if _refers(fields[key])}
        self.seen: dict[str, tuple[Problem, Solution] | None] = {}  # draws met before, by their text
        self.formulas: dict[Any, Any] = {}  # formula readings, shared by the variants (detect.Judge)
        self.plain = PlainFlow()  # the lock's entries of this problem, read straight into plain values

    @functools.cached_property
    def written(self) -> str:
        """The given as written, in flow text (as a lock writes it)."""
        return flow(self.given)

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        """The parts the problem as written is answered by (each variant's must be the same)."""
        return KINDS[self.entry.problem.kind].parts_for(self.entry.problem.given)

    @property
    def varies(self) -> bool:
        return bool(self.rules)

    @functools.cached_property
    def chooses(self) -> bool:
        """Whether the problem varies by choices alone (or not at all): its variants are few, and repeat."""
        return all(rule.choices for rule in self.rules)

    def build(self, given: Node, *, texts: tuple[str, ...] = ("title", "statement")) -> Problem:
        """The problem with this given (a draw, or one read from a lock), its `texts` showing its values (the
        others as written: a draw that may be rejected needs none, grading only the title)."""
        problem = self.entry.problem
        kind = KINDS[problem.kind]
        parsed = kind.parse_given(given)
        if kind.parts_for(parsed) != self.parts:
            raise given.error(f"a variant of {problem.id} must be answered by the same parts as the problem")
        # the lecturer's own wrong answers (`mistakes:`) are the problem's as written: other numbers, other answers
        mistakes = problem.mistakes if problem.mistakes and flow(given) == self.written else ()
        return with_changes(problem, given=parsed, mistakes=mistakes, **self.texts_for(given, texts))

    def build_written(self, text: str) -> Problem | None:
        """The problem whose given a lock wrote as the flow text `text`, read straight into the kind's input
        (spec/plainflow.py, the kind's parse_plain): what build makes of it, with the title as written (build's
        `texts=("title",)` where the title shows no given value). None where this path does not apply: build reads
        the given then, and says what is wrong with it, if anything."""
        problem = self.entry.problem
        parse = KINDS[problem.kind].parse_plain
        if parse is None or "title" in self.texts:
            return None
        values = self.plain.values(text)
        parsed = None if values is None else parse(values)
        if parsed is None or KINDS[problem.kind].parts_for(parsed) != self.parts:
            return None
        mistakes = problem.mistakes if problem.mistakes and text == self.written else ()  # (as build says why)
        return with_changes(problem, given=parsed, mistakes=mistakes)

    def texts_for(self, given: Node, keys: tuple[str, ...] = ("title", "statement")) -> dict[str, dict[str, str]]:
        """The title and statement showing this given's values (those that refer to it)."""
        return {key: filled(node, given, self.rules) for key, node in self.texts.items() if key in keys}

    def draw(self, salt: str, student: str) -> Variant:
        """This student's variant: the first draw that passes every test (the same on every machine)."""
        if not self.rules:
            return Variant(self.entry.problem, self.given, 0)
        from hwsolver.solving import solve  # numpy and sympy: loaded when a variant is solved

        tally = Tally()
        problem_id = self.entry.problem.id
        for attempt in range(MAX_DRAWS):
            given = draw(self.rules, self.given, Draws(salt, student, problem_id, attempt))
            known = self.seen.get(given.source, False)
            if known is False:  # a choice repeats its few variants: each is solved and judged once
                known = self._judged(given, tally, solve)
                if len(self.seen) < _SEEN:
                    self.seen[given.source] = known
            if known:
                return Variant(known[0], given, attempt, known[1])
        where = self.entry.root.mapping()["vary"]
        raise where.error(
            f"no variant of {problem_id} for student '{student}' passes every test in {MAX_DRAWS} draws; "
            f"least often met: {tally.worst()}"
        )

    def _judged(self, given: Node, tally: Tally, solve: Any) -> tuple[Problem, Solution] | None:
        """The drawn problem and its solution if it passes every test, else None. The second witness and the
        statement are worked out only for a draw that passes the others (most of the cost of a rejected one)."""
        try:
            problem = self.build(given, texts=())
            solution = solve(problem, witness=False)
        except HwsolverError:
            tally.count(VALID, False)
            return None
        if not (tally.count(VALID, True) and self.meets(problem, solution, tally)):
            return None
        try:
            problem = replace(problem, **self.texts_for(given))
            solution = replace(solution, problem=problem)
            KINDS[problem.kind].witness(problem, solution)
            return problem, solution
        except HwsolverError:  # the two paths disagree: a bug, but not this student's to meet
            tally.count(VALID, False)
            return None

    def meets(self, problem: Problem, solution: Solution, tally: Tally | None = None) -> bool:
        """Every required constraint, then the universal one (the costliest) last."""
        tally = tally or Tally()
        for requirement in self.requirements:
            holds = requirement.constraint.holds(problem, solution, requirement.argument)
            if not tally.count(requirement.shown, holds):
                return False
        return tally.count(SHOWN, not Judge(problem, solution, self.formulas).hidden())


def with_changes(problem: Problem, **changes: Any) -> Problem:
    """dataclasses.replace(problem, **changes), without its walk through the dataclass's fields (about 10 us, for
    every student's variant of every problem): a Problem has no __post_init__ and no init-only field, so a copy of
    its fields with the changes is the Problem replace makes."""
    if not changes.keys() <= problem.__dict__.keys():
        raise TypeError(f"a Problem has no field {', '.join(sorted(changes.keys() - problem.__dict__.keys()))}")
    made = object.__new__(Problem)
    made.__dict__.update(problem.__dict__, **changes)  # a frozen dataclass's fields, set as its __init__ sets them
    return made


if hasattr(Problem, "__post_init__") or hasattr(Problem, "__slots__"):  # pragma: no cover - then only replace
    with_changes = replace


def _refers(node: Node) -> bool:
    try:
        return any(has_references(text) for text in languages(node).values())
    except SpecError:
        return False
