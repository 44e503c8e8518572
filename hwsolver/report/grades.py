"""A grading run read back from its JSON (what `hwsolver grade --format json` prints), so a class is not graded
twice for a report or an export.

The file may have been edited or come from elsewhere: every field is checked (one line naming the file and the
field: `grades.json: submissions[3].problems[0].parts[1].score: expected a number from 0 to max_score`), numbers
are read exactly as written (0.8889 is 8889/10000), and text is shown on one line with invisible characters
escaped (display.shown), as the grader's own reports show it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hwsolver.errors import HwsolverError
from hwsolver.grading.display import shown, shown_path
from hwsolver.grading.results import VERDICTS

if TYPE_CHECKING:
    from hwsolver.model import Problem

Number = Fraction | int
T = TypeVar("T")


@dataclass(frozen=True)
class GradedPart:
    id: str
    score: Number
    max_score: Number
    verdict: str  # one of VERDICTS
    feedback: str
    hint: str | None  # the feedback without right values; None from a file written before it was kept
    mistake: str | None
    follow_through: bool
    answer: str | None = None  # as written (one line of YAML flow text); None: missing, or from an older file


@dataclass(frozen=True)
class GradedProblem:
    id: str
    score: Number
    max_score: Number
    parts: tuple[GradedPart, ...]


@dataclass(frozen=True)
class Graded:
    """One submission file as graded."""

    file: str
    student: str | None
    score: Number
    max_score: Number
    error: str | None  # why the file could not be graded (then no problems)
    problems: tuple[GradedProblem, ...]
    warnings: tuple[str, ...]
    # Before a late deduction (the score itself where none was taken, or in a file written before it was kept):
    # what the class statistics measure. The score (after it) is what exports send.
    raw_score: Number


def read_grades(path: str | Path) -> tuple[Graded, ...]:
    """Every submission of a grading run's JSON document, in its order."""
    name = shown_path(str(path))
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise HwsolverError(f"{name}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise HwsolverError(f"{name}: not a UTF-8 text file") from None
    try:
        document = json.loads(text, parse_float=_decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise HwsolverError(f"{name}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    except ValueError as error:
        raise HwsolverError(f"{name}: not JSON: {error}") from None
    field = _Fields(name)
    if not isinstance(document, Mapping) or not isinstance(document.get("submissions"), list):
        raise HwsolverError(f'{name}: expected {{"submissions": [...]}}, as `hwsolver grade --format json` writes it')
    return tuple(_submission(field, item, f"submissions[{n}]") for n, item in enumerate(document["submissions"]))


def graded_problems(
    path: str | Path, graded: Sequence[Graded], paths: Sequence[str | Path], chosen: Sequence[Problem] = ()
) -> dict[str, Problem]:
    """The problems `chosen`, else those `paths` name (an assignment, problem files or folders; none: every built-in
    problem, the homework's among them), by id, after checking that each problem and part the run graded is among
    them."""
    from hwsolver.spec.problems import load_problems
    from hwsolver.spec.sets import load_set

    if not chosen:
        chosen = [entry.problem for entry in load_set(paths).entries] if paths else load_problems()
    known = {p.id: p for p in chosen}
    where = ", ".join(map(str, paths)) or "the built-in problems"
    for problem in {p.id: p for g in graded for p in g.problems}.values():
        spec = known.get(problem.id)
        if spec is None:
            raise HwsolverError(
                f"{shown_path(str(path))}: problem '{problem.id}' is not among {where}: "
                "give the --problems the grading used"
            )
        unknown = [part.id for part in problem.parts if part.id not in {p.id for p in spec.parts}]
        if unknown:
            raise HwsolverError(
                f"{shown_path(str(path))}: problem '{problem.id}' has no part {unknown[0]!r} in {spec.source}: "
                "give the --problems the grading used"
            )
    return known


_LOCK_HEAD = '{"lock": '
_HEAD_CHARS = 65_536


def lock_head(lock: str) -> str:
    """How a grading run's JSON opens when it records the variants' lock it graded against, as written on the
    command line: first, so that a report finds it without reading the class (grading.reports.json_pieces)."""
    return _LOCK_HEAD + json.dumps(lock, ensure_ascii=False) + ",\n"


def recorded_lock(path: str | Path) -> Path | None:
    """The lock a grading run's JSON records (None: none, or the file is unreadable, which read_grades reports):
    relative to the folder grading ran in, else to the JSON's own folder; an error when it is in neither."""
    try:
        with open(path, encoding="utf-8") as file:
            head = file.read(_HEAD_CHARS)
        written, _ = json.JSONDecoder().raw_decode(head, len(_LOCK_HEAD)) if head.startswith(_LOCK_HEAD) else (0, 0)
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(written, str):
        return None
    for place in (Path(written), Path(path).parent / written):
        if place.is_file():
            return place
    raise HwsolverError(
        f"{shown_path(str(path))}: the lock it was graded with, {shown(written)}, is not found: give --lock LOCK"
    )


# A class's scores repeat (1, 0.5, 0.8889): each text is made a Fraction once.
_decimal = lru_cache(maxsize=4096)(Fraction)


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a score")


def _submission(field: _Fields, item: Any, at: str) -> Graded:
    field.mapping(item, at)
    max_score = field.number(item, at, "max_score")
    problems = field.items(item, at, "problems", lambda value, where: _problem(field, value, where))
    score = field.number(item, at, "score", up_to=max_score)
    return Graded(
        file=field.text(item, at, "file"),
        student=field.text(item, at, "student", optional=True),
        score=score,
        max_score=max_score,
        error=field.text(item, at, "error", optional=True),
        problems=problems,
        warnings=field.items(item, at, "warnings", lambda value, where: field.string(value, where)),
        raw_score=field.number(item, at, "raw_score", up_to=max_score) if "raw_score" in item else score,
    )


def _problem(field: _Fields, item: Any, at: str) -> GradedProblem:
    field.mapping(item, at)
    max_score = field.number(item, at, "max_score")
    return GradedProblem(
        id=field.text(item, at, "id"),
        score=field.number(item, at, "score", up_to=max_score),
        max_score=max_score,
        parts=field.items(item, at, "parts", lambda value, where: _part(field, value, where)),
    )


_PART_KEYS = ("id", "score", "max_score", "verdict", "feedback", "feedback_without_expected", "mistake", "answer")


def _part(field: _Fields, item: Any, at: str) -> GradedPart:
    """One part's result; the grader gives every student who wrote the same answer the same one: read once."""
    field.mapping(item, at)
    values = [item.get(name) for name in _PART_KEYS]
    # types too: true == 1 to a dict, and a score of true is refused, not taken for 1
    written = (*values, item.get("follow_through"), len(item), type(values[1]), type(values[2]))
    try:
        return field.parts[written]
    except (KeyError, TypeError):  # TypeError: a list where text belongs, unhashable (and then refused below)
        pass
    part = _new_part(field, item, at)
    field.parts[written] = part
    return part


def _new_part(field: _Fields, item: Any, at: str) -> GradedPart:
    max_score = field.number(item, at, "max_score")
    verdict = field.text(item, at, "verdict")
    if verdict not in VERDICTS:
        raise field.error(f"{at}.verdict", f"expected one of {', '.join(VERDICTS)}, got {verdict!r}")
    follow = item.get("follow_through", False)
    if not isinstance(follow, bool):
        raise field.error(f"{at}.follow_through", "expected true or false")
    return GradedPart(
        id=field.text(item, at, "id"),
        score=field.number(item, at, "score", up_to=max_score),
        max_score=max_score,
        verdict=verdict,
        feedback=field.text(item, at, "feedback", optional=True) or "",
        hint=field.text(item, at, "feedback_without_expected", optional=True),
        mistake=field.text(item, at, "mistake", optional=True),
        follow_through=follow,
        answer=field.text(item, at, "answer", optional=True),
    )


class _Fields:
    """Typed access to a document's fields, each failure one line naming the file and the field's path."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.seen: dict[str, str] = {}  # a class's texts repeat (feedback, ids of problems and parts)
        self.parts: dict[tuple[Any, ...], GradedPart] = {}

    def error(self, where: str, message: str) -> HwsolverError:
        return HwsolverError(f"{self.name}: {where}: {message}")

    def mapping(self, item: Any, at: str) -> None:
        if not isinstance(item, Mapping):
            raise self.error(at, "expected an object")

    def text(self, item: Mapping[str, Any], at: str, key: str, optional: bool = False) -> Any:
        value = item.get(key)
        if value is None and optional:
            return None
        return self.string(value, f"{at}.{key}")

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.error(where, "expected text")
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = shown(value)
        return found

    def number(self, item: Mapping[str, Any], at: str, key: str, up_to: Number | None = None) -> Number:
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int | Fraction) or value < 0:
            raise self.error(f"{at}.{key}", "expected a number >= 0")
        if up_to is not None and value > up_to:
            raise self.error(f"{at}.{key}", f"expected at most max_score ({float(up_to):g}), got {float(value):g}")
        return value

    def items(self, item: Mapping[str, Any], at: str, key: str, read: Callable[[Any, str], T]) -> tuple[T, ...]:
        values = item.get(key, [])
        if not isinstance(values, list):
            raise self.error(f"{at}.{key}", "expected a list")
        return tuple(read(value, f"{at}.{key}[{n}]") for n, value in enumerate(values))
