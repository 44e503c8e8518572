"""The unexplained wrong answers a class shares as a `mistakes:` block to paste into the problem file: one mistake
per set of students (the same students' shared answers to several parts are one mistake), each answer written
from its value (numbers as read, formulas in the expression language: never the students' own text), with a
feedback and a credit for the lecturer to replace, valid as they stand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hwsolver.grading.written import scalar
from hwsolver.mine.groups import Group
from hwsolver.model import Problem

# valid as it stands, and safe for students to read should it be left so
FEEDBACK = {
    "en": "This wrong answer is a common one: compare your work with the worked solution step by step.",
    "zh": "这是一个常见的错误答案：请逐步对照参考解答检查你的过程。",
}


@dataclass(frozen=True)
class Proposed:
    """A mistake to write into the problem: its id and the groups (one per part) it stands for."""

    id: str
    groups: tuple[Group, ...]


def propose(groups: Sequence[Group], taken: set[str]) -> list[Proposed]:
    """The groups as mistakes: one per set of students, named after its first part (`<part>_shared`, numbered
    past the ids `taken`, which it extends)."""
    by_students: dict[tuple[str, ...], list[Group]] = {}
    for group in groups:
        by_students.setdefault(tuple(group.students), []).append(group)
    proposed = []
    for together in by_students.values():
        stem = f"{together[0].part}_shared"
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}_{n}"
        taken.add(name)
        proposed.append(Proposed(name, tuple(together)))
    return proposed


def mistakes_block(problem: Problem, proposed: Sequence[Proposed]) -> str:
    """The YAML text: a comment naming the problem, then the `mistakes:` list (its items only, to append, where
    the problem has its own list already)."""
    lines = [f"# {problem.id} ({problem.source}): paste into the problem file, then write each feedback and credit"]
    if problem.mistakes:
        lines.append("# append these items to its `mistakes:` list")
    else:
        lines.append("mistakes:")
    for mistake in proposed:
        students = max(group.size for group in mistake.groups)
        lines += [
            f"  - id: {mistake.id}  # {students} students",
            "    answers:",
            *(f"      {group.part}: {value_text(group.value)}" for group in mistake.groups),
            "    feedback:  # say what went wrong and how to put it right",
            *(f"      {lang}: {scalar(text)}" for lang, text in FEEDBACK.items()),
            "    credit: 0  # the share of the part's points this answer earns (0 to 1)",
        ]
    return "\n".join(lines) + "\n"


def value_text(value: Any) -> str:
    """A value as read from an answer, written back as YAML flow text that reads as the same value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{scalar(str(key))}: {value_text(item)}" for key, item in value.items()) + "}"
    from hwsolver.expr import to_text

    return scalar(to_text(value))
