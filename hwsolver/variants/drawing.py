"""One student's variant of one problem: the `vary:` rules drawn from SHA-256 seeds, again and again (a bounded
number of times) until the variant is a valid problem, solves (exact and float agreeing), meets every `require:`
constraint and shows every classic mistake."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from hwsolver.errors import HwsolverError, SpecError
from hwsolver.kinds import KINDS
from hwsolver.model import Problem, Solution
from hwsolver.spec.assignments import Entry
from hwsolver.spec.node import Node
from hwsolver.spec.problems import languages
from hwsolver.variants.detect import Judge
from hwsolver.variants.require import Requirement, read_require
from hwsolver.variants.rules import Rule, draw, read_rules
from hwsolver.variants.seeds import Draws
from hwsolver.variants.statements import fill, has_references

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

    @property
    def varies(self) -> bool:
        return bool(self.rules)

    def build(self, given: Node) -> Problem:
        """The problem with this given (a draw, or one read from a lock), statements showing its values."""
        problem = self.entry.problem
        kind = KINDS[problem.kind]
        parsed = kind.parse_given(given)
        answerable = kind.parts_for(parsed)
        if lost := [part.id for part in problem.parts if part.id not in answerable]:
            raise given.error(f"this given cannot answer part '{lost[0]}' of {problem.id}")
        texts = {
            key: {lang: fill(text, node, given, self.rules, lang) for lang, text in languages(node).items()}
            for key, node in self.texts.items()
        }
        return replace(problem, given=parsed, **texts)

    def draw(self, salt: str, student: str) -> Variant:
        """This student's variant: the first draw that passes every test (the same on every machine)."""
        if not self.rules:
            return Variant(self.entry.problem, self.given, 0)
        from hwsolver.solving import solve  # numpy and sympy: loaded when a variant is solved

        tally = Tally()
        problem_id = self.entry.problem.id
        for attempt in range(MAX_DRAWS):
            given = draw(self.rules, self.given, Draws(salt, student, problem_id, attempt))
            known = self.seen.get(given.source)
            if known is None:  # a choice repeats its few variants: each is solved and judged once
                try:
                    problem = self.build(given)
                    solution = solve(problem)
                except HwsolverError:
                    tally.count(VALID, False)
                    continue
                tally.count(VALID, True)
                known = (problem, solution) if self.meets(problem, solution, tally) else None
                if len(self.seen) < _SEEN:
                    self.seen[given.source] = known
            if known is not None:
                return Variant(known[0], given, attempt, known[1])
        where = self.entry.root.mapping()["vary"]
        raise where.error(
            f"no variant of {problem_id} for student '{student}' passes every test in {MAX_DRAWS} draws; "
            f"least often met: {tally.worst()}"
        )

    def meets(self, problem: Problem, solution: Solution, tally: Tally | None = None) -> bool:
        """Every required constraint, then the universal one (the costliest) last."""
        tally = tally or Tally()
        for requirement in self.requirements:
            holds = requirement.constraint.holds(problem, solution, requirement.argument)
            if not tally.count(requirement.shown, holds):
                return False
        return tally.count(SHOWN, not Judge(problem, solution).hidden())

    def failed(self, problem: Problem, solution: Solution) -> list[str]:
        """The constraints this variant does not meet (check.py reports them)."""
        failed = [r.shown for r in self.requirements if not r.constraint.holds(problem, solution, r.argument)]
        return failed + [
            f"{SHOWN} ({', '.join(hidden)} hidden)" for hidden in [Judge(problem, solution).hidden()] if hidden
        ]


def _refers(node: Node) -> bool:
    try:
        return any(has_references(text) for text in languages(node).values())
    except SpecError:
        return False
