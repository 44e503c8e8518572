"""Each student's varied values, read from the lock that handed the variants out: per problem, every value a
`vary:` rule draws (each number under a range or sign rule's path, the whole value of a choice), by student."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from hwsolver.variants.nodes import find, flow, numbers, show_path
from hwsolver.variants.rules import read_rules

if TYPE_CHECKING:
    from hwsolver.report.grades import Graded
    from hwsolver.spec.sets import Entry
    from hwsolver.variants.lock import Lock


@dataclass(frozen=True)
class Varied:
    """One varied value of a problem: its path in the given, and each student's (by index in the grading run)."""

    name: str  # weights.W1[0][1], or the choice's path
    numeric: bool  # a number (binned by size) or a choice (each value its own group)
    values: Mapping[int, Fraction | str]


def varied_values(graded: Sequence[Graded], entries: Sequence[Entry], lock: Lock) -> dict[str, tuple[Varied, ...]]:
    """Problem id -> its varied values that differ between the graded students (a value all share says nothing).
    Students not in the lock, or whose lock entry lacks the problem, are left out of that problem."""
    found: dict[str, tuple[Varied, ...]] = {}
    for entry in entries:
        fields = entry.root.mapping()
        if "vary" not in fields:
            continue
        rules = read_rules(fields["vary"], fields["given"])
        columns: dict[str, tuple[bool, dict[int, Fraction | str]]] = {}
        for index, g in enumerate(graded):
            student = lock.student(g.student) if g.error is None and g.student is not None else None
            if student is None or entry.problem.id not in lock.students[student]:
                continue
            given = lock.students[student][entry.problem.id]
            for rule in rules:
                node = find(given, rule.path)
                if node is None:
                    continue
                if rule.choices:
                    columns.setdefault(rule.name, (False, {}))[1][index] = flow(node)
                    continue
                for sub, number in numbers(node):
                    name = show_path((*rule.path, *sub))
                    columns.setdefault(name, (True, {}))[1][index] = number.number()
        varied = tuple(
            Varied(name, numeric, vs) for name, (numeric, vs) in columns.items() if len(set(vs.values())) > 1
        )
        if varied:
            found[entry.problem.id] = varied
    return found
