"""What may explain a wrong answer a class shares, tried in this order: one of the problem's mistakes that the
grader did not name (the student's other answers ruled it out), two of the kind's mistakes made together, and the
right answer changed the simple ways (its sign flipped, a constant factor, a matrix transposed, in the whole answer
or in one item; one entry wrong). A candidate explains an answer when the answer matches it as an answer matches
a mistake's (the part's tolerance, formulas by equivalence).

The constant factors: 2, 3, 4 and 10 and their inverses, and each number of the problem's `given` that is not
inside a list (a learning rate, a keep probability) and its inverse.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hwsolver.errors import SpecError
from hwsolver.grading.prepared import PreparedPart, PreparedProblem, as_floats
from hwsolver.kinds import KINDS
from hwsolver.mine.groups import same
from hwsolver.mine.transforms import at, entries, items, replaced, scaled, transposed
from hwsolver.model import Mutant, Problem
from hwsolver.numbers import display
from hwsolver.spec.node import Node, parse_number
from hwsolver.spec.reader import read_file

_SMALL = (2, 3, 4, 10)


@dataclass(frozen=True)
class Explanation:
    how: str  # mistake, pair, sign, factor, transposed, entry
    text: str  # one line for the lecturer
    mistakes: tuple[str, ...] = ()  # the mistakes it names


class Explainer:
    """The candidate explanations of one problem's wrong answers, worked out once (pairs only when asked)."""

    def __init__(self, prepared: PreparedProblem) -> None:
        self.prepared = prepared
        self.kind = KINDS[prepared.problem.kind]
        self._pairs: tuple[Mutant, ...] | None = None
        self.factors = factors(prepared.problem)

    @property
    def pairs(self) -> tuple[Mutant, ...]:
        if self._pairs is None:
            pairs = self.kind.pairs
            self._pairs = pairs(self.prepared.problem, self.prepared.solution) if pairs else ()
        return self._pairs

    def explain(self, part: PreparedPart, value: Any) -> tuple[Explanation, ...]:
        """Every explanation found, in the order above (none: nothing explains it)."""
        found = list(self._mistakes(part, value))
        found += self._changes(part, value)
        return tuple(dict.fromkeys(found))

    def _mistakes(self, part: PreparedPart, value: Any) -> Iterator[Explanation]:
        part_id = part.part.id
        singles = []
        for mutant in self.prepared.mutants:
            answer = as_floats(mutant.answers.get(part_id))
            if answer is not None:
                singles.append(answer)
            if (answer is not None and same(value, answer, part)) or (
                mutant.matches is not None and mutant.matches(part_id, value)
            ):
                text = f"the answer of the mistake {mutant.id}, not named: other answers of theirs rule it out"
                yield Explanation("mistake", text, (mutant.id,))
        for pair in self.pairs:
            answer = as_floats(pair.answers.get(part_id))
            if answer is None or same(answer, part.reference, part):
                continue
            if any(same(answer, single, part) for single in singles):
                continue  # one of the two changes nothing here: the other alone would have been named
            if same(value, answer, part):
                first, second = pair.id.split("+")
                yield Explanation("pair", f"the mistakes {first} and {second} made together", (first, second))

    def _changes(self, part: PreparedPart, value: Any) -> Iterator[Explanation]:
        reference, base = part.reference, part.tolerance.base
        whole = [("the right answer", ())] + [
            (f"{name} (the rest right)", path) for name, path in items(reference, base)
        ]
        for name, path in whole:
            original = at(reference, path)
            changes = [("sign", f"{name} with its sign flipped", scaled(original, Fraction(-1)))]
            changes += [("factor", f"{name} {words}", scaled(original, factor)) for factor, words in self.factors]
            if path:  # a whole answer transposed is the grader's own `transposed`
                changes.append(("transposed", f"{name} transposed", transposed(original)))
            for how, text, changed in changes:
                if changed is not None and same(value, replaced(reference, path, changed), part):
                    yield Explanation(how, text)
        slip = _one_entry(part, value)
        if slip is not None:
            yield slip


def _one_entry(part: PreparedPart, value: Any) -> Explanation | None:
    """One number wrong (of two or more), the rest right."""
    base = part.tolerance.base
    theirs, right = entries(value, base), entries(part.reference, base)
    if theirs is None or right is None or len(right) < 2 or [n for n, _ in theirs] != [n for n, _ in right]:
        return None
    close = part.tolerance.close
    wrong = [(name, v, r) for (name, v), (_, r) in zip(theirs, right) if not close(v, r)]
    if len(wrong) != 1:
        return None
    name, v, r = wrong[0]
    if r and close(-v, r):
        return Explanation("sign", f"one entry with its sign flipped, at {name} (the rest right)")
    return Explanation("entry", f"one entry wrong, at {name} (the rest right)")


def factors(problem: Problem) -> list[tuple[Fraction, str]]:
    """The constant factors tried, each with how it is said (every way, when two say the same factor)."""
    found: dict[Fraction, list[str]] = {}
    for small in _SMALL:
        found.setdefault(Fraction(small), []).append(f"times {small}")
        found.setdefault(Fraction(1, small), []).append(f"divided by {small}")
    for name, number in _given_numbers(problem):
        if number not in (0, 1, -1):
            found.setdefault(number, []).append(f"times {name} ({display(number)})")
            found.setdefault(1 / number, []).append(f"divided by {name} ({display(number)})")
    return [(factor, ", or ".join(dict.fromkeys(words))) for factor, words in found.items()]


def _given_numbers(problem: Problem) -> list[tuple[str, Fraction]]:
    """The numbers of the problem's `given` outside lists, by key path (read again from its file)."""
    try:
        given = read_file(problem.source).mapping().get("given")
    except SpecError:
        return []
    found: list[tuple[str, Fraction]] = []

    def walk(node: Node) -> None:
        if isinstance(node.value, dict):
            for child in node.value.values():
                walk(child)
        elif isinstance(node.value, str) and node.plain:
            number = parse_number(node.value)
            if number is not None:
                found.append((node.path.removeprefix("given."), number))

    if given is not None:
        walk(given)
    return found
