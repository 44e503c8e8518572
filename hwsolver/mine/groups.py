"""Wrong answers grouped by what they say: numbers and arrays within the part's tolerance, formulas by
equivalence (through hwsolver.expr, as the grader compares them).

Answers are taken commonest first; each joins the first group whose answer (its commonest) it matches as an
answer matches a mistake's, else starts its own. So a group is what a mistake written with its answer would catch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hwsolver.grading.answers import rectangular
from hwsolver.grading.lecturer import as_reference
from hwsolver.grading.prepared import PreparedPart
from hwsolver.grading.slips import close_enough
from hwsolver.mine.collect import Answer


@dataclass
class Group:
    """Students who wrote the same wrong answer to one part."""

    problem: str
    part: str
    value: Any  # the commonest answer, as read
    text: str  # and as written
    reference: Any = field(repr=False)  # the value as a mistake's answer (formulas as Symbolic)
    students: list[str] = field(default_factory=list)
    spellings: int = 0  # distinct texts

    @property
    def size(self) -> int:
        return len(self.students)


def group_answers(problem_id: str, part: PreparedPart, answers: Sequence[Answer]) -> list[Group]:
    """The part's wrong answers (commonest first) in groups, largest first (then in the order found)."""
    groups: list[Group] = []
    for answer in answers:
        home = next((g for g in groups if same(answer.value, g.reference, part)), None)
        if home is None:
            reference = as_reference(answer.value, part.reference, part.formulas)
            home = Group(problem_id, part.part.id, answer.value, answer.text, reference)
            groups.append(home)
        home.students.extend(s for s in answer.students if s not in home.students)
        home.spellings += 1
    for group in groups:
        group.students.sort()
    return sorted(groups, key=lambda g: -g.size)


def same(value: Any, reference: Any, part: PreparedPart) -> bool:
    """Whether `value` matches `reference` as an answer matches a mistake's (slips.close_enough), a list of items
    or a set of parameters compared item by item (faster: the checker would score each item with feedback)."""
    if type(reference) is tuple and reference and not rectangular(reference):
        return (
            type(value) is tuple
            and len(value) == len(reference)
            and all(same(v, r, part) for v, r in zip(value, reference))
        )
    if isinstance(reference, Mapping):
        return (
            isinstance(value, Mapping)
            and value.keys() == reference.keys()
            and all(same(value[key], item, part) for key, item in reference.items())
        )
    return close_enough(value, reference, part)
