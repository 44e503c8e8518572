"""Assignment files: a homework's problems in the course's order, with their numbering, points, grading overrides,
due date and the salt its per-student variants are drawn with.

```yaml
id: nn-optimization
title: {zh: ..., en: ...}
salt: 2024-autumn-nn       # variants: the same salt and student give the same numbers
due: 2024-10-15            # optional, shown on sheets; a bare date: the end of that day in `timezone:`
timezone: Asia/Shanghai    # optional (default UTC): where a due date or time without an offset is read
late: {per_day: 10%, max_days: 5, grace_minutes: 15}   # optional: deductions by `grade` (spec/deadlines.py)
problems:
  - relu-network-update                           # exercise 1: an id (this folder, then the built-in problems)
  - {problem: my-conv.yaml, points: 8}            # a path, relative to this file; its parts scaled to 8 points
  - exercise:                                     # exercise 3, in two problems: 3a and 3b
      - {problem: pooling-backprop, grading: {sigfigs: 4}}
      - average-pooling-backprop
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from hwsolver.errors import SpecError
from hwsolver.kinds import KINDS
from hwsolver.model import Problem
from hwsolver.spec.deadlines import Deadline, read_deadline
from hwsolver.spec.node import Node
from hwsolver.spec.options import read_options
from hwsolver.spec.problems import (
    ID,
    check_mistakes,
    is_listing,
    languages,
    problem_files,
    problem_from_node,
    read_spec,
)

_REQUIRED = ("id", "title", "problems")
_OPTIONAL = ("salt", "due", "timezone", "late")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Entry:
    """One problem of a set: as the assignment sets it (points, grading), its number in the course's numbering
    ("1", "2a"), its file's tree (variants are built from it) and what the assignment changes."""

    problem: Problem
    number: str
    root: Node
    grading: Node | None = None  # the assignment's grading overrides
    points: Node | None = None  # the assignment's points for the whole problem

    def assigned(self, problem: Problem) -> Problem:
        """A problem read from this entry's file (a variant) as the assignment sets it."""
        if self.grading is not None:
            problem = with_grading(problem, self.grading)
        return with_points(problem, self.points) if self.points is not None else problem


@dataclass(frozen=True)
class Assignment:
    id: str | None  # None: loose problem files, not an assignment
    title: Mapping[str, str]
    salt: str | None
    due: str | None
    source: str
    entries: tuple[Entry, ...]
    deadline: Deadline | None = None  # the due date as a moment, with the late rule


def assignment_from_node(root: Node, builtin: Path) -> Assignment:
    """An assignment file's tree, with every problem it lists loaded (ids looked up beside the file, then among
    the problem files in `builtin`)."""
    fields = root.fields(_REQUIRED, _OPTIONAL)
    deadline = read_deadline(fields.get("due"), fields.get("timezone"), fields.get("late"))
    assignment_id = fields["id"].text()
    if not ID.fullmatch(assignment_id):
        raise fields["id"].error(f"id '{assignment_id}' must be kebab-case (lowercase words joined by '-')")
    finder = _Finder(Path(root.file).parent, builtin)
    entries: list[Entry] = []
    items = fields["problems"].items()
    if not items:
        raise fields["problems"].error("expected at least one problem")
    for number, item in enumerate(items, start=1):
        group = item.mapping().get("exercise") if not item.is_scalar and isinstance(item.value, dict) else None
        if group is None:
            entries.append(_entry(item, str(number), finder))
            continue
        item.fields(["exercise"])
        members = group.items()
        if not 2 <= len(members) <= len(_LETTERS):
            raise group.error("an exercise lists 2 or more problems (one problem needs no `exercise:`)")
        entries += [_entry(member, f"{number}{_LETTERS[i]}", finder) for i, member in enumerate(members)]
    seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.problem.id in seen:
            raise SpecError(
                f"{root.file}: problem '{entry.problem.id}' is listed twice ({seen[entry.problem.id].number} and "
                f"{entry.number})"
            )
        seen[entry.problem.id] = entry
    return Assignment(
        id=assignment_id,
        title=languages(fields["title"]),
        salt=fields["salt"].text() if "salt" in fields else None,
        due=fields["due"].text() if "due" in fields else None,
        source=root.file,
        entries=tuple(entries),
        deadline=deadline,
    )


def _entry(item: Node, number: str, finder: _Finder) -> Entry:
    """One listed problem: `id-or-path`, or {problem: id-or-path, points: N, grading: {...}}."""
    if item.is_scalar:
        ref, points, grading = item, None, None
    else:
        fields = item.fields(["problem"], ["points", "grading"])
        ref, points, grading = fields["problem"], fields.get("points"), fields.get("grading")
    root = finder.find(ref)
    entry = Entry(problem_from_node(root), number, root, grading, points)
    return replace(entry, problem=entry.assigned(entry.problem))


def with_grading(problem: Problem, node: Node) -> Problem:
    """The assignment's grading options over the problem's own problem-wide ones (a part's own still win)."""
    overrides = read_options(node)
    check_mistakes(node, KINDS[problem.kind], tuple(mistake.id for mistake in problem.mistakes))
    if "mistake_credit" in overrides:
        overrides["mistake_credit"] = {**problem.options.get("mistake_credit", {}), **overrides["mistake_credit"]}
    return replace(problem, options={**problem.options, **overrides})


def with_points(problem: Problem, node: Node) -> Problem:
    """The problem worth `points` in all: each part's points scaled by the same factor (exact fractions)."""
    total = node.number()
    if total < 0:
        raise node.error(f"points must not be negative, got {node.value}")
    if problem.max_score == 0:
        raise node.error(f"problem '{problem.id}' carries no points to scale")
    factor = Fraction(total) / problem.max_score
    return replace(problem, parts=tuple(replace(part, points=part.points * factor) for part in problem.parts))


class _Finder:
    """Problem references: a path (relative to the assignment) or an id (beside the assignment, then built in)."""

    def __init__(self, folder: Path, builtin: Path) -> None:
        self.folder, self.builtin = folder, builtin
        self.by_id: dict[str, Node] | None = None

    def find(self, ref: Node) -> Node:
        text = ref.text().strip()
        if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
            path = self.folder / text
            if not path.is_file():
                raise ref.error(f"no problem file {path}")
            root = read_spec(path)
            if is_listing(root):
                raise ref.error(f"{path} is an assignment, not a problem")
            return root
        for folder in dict.fromkeys((self.folder, self.builtin)):  # the likely file first: named after its id
            path = folder / f"{text}.yaml"
            if path.is_file():
                root = read_spec(path)
                if _id_of(root) == text:
                    return root
        found = self._ids().get(text)
        if found is None:
            raise ref.error(f"no problem with id '{text}' beside this file or among the built-in problems")
        return found

    def _ids(self) -> dict[str, Node]:
        if self.by_id is None:
            self.by_id = {}
            for folder in dict.fromkeys((self.builtin, self.folder)):  # beside the file wins over built in
                for path in problem_files([folder]) if folder.is_dir() else ():
                    root = read_spec(path)
                    if not is_listing(root) and _id_of(root):
                        self.by_id[_id_of(root)] = root
        return self.by_id


def _id_of(root: Node) -> str | None:
    entries = root.value
    node = entries.get("id") if isinstance(entries, dict) else None
    return node.value if node is not None and node.is_scalar else None
