"""Grades into an LMS: a grading run's JSON (report/grades.py) written as Canvas, Moodle, Blackboard or
Gradescope import it, or as a plain CSV.

Each format is a module satisfying formats.Format, listed in FORMATS; a roster (the LMS's own export of the
class) tells which of its students each submission is (roster.py). Students graded but not in the roster, roster
students with no submission and files that could not be graded are listed; then nothing is written unless
missing ones are allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hwsolver.errors import HwsolverError
from hwsolver.export import blackboard, canvas, gradescope, moodle, plain
from hwsolver.export.formats import VISIBILITY, Format, Options
from hwsolver.export.roster import Matched, Roster, match, read_roster
from hwsolver.grading.display import shown_path
from hwsolver.report.grades import Graded, read_grades

__all__ = ["FORMATS", "VISIBILITY", "Exported", "Options", "export_grades"]

FORMATS: dict[str, Format] = {
    "canvas": canvas,
    "moodle": moodle,
    "blackboard": blackboard,
    "gradescope": gradescope,
    "csv": plain,
}


@dataclass(frozen=True)
class Exported:
    missing: tuple[str, ...]  # one line per student or file that is not in the export
    notes: tuple[str, ...]  # what to know before importing
    written: tuple[Path, ...]  # nothing when students are missing and that is not allowed


def export_grades(
    grades: str | Path,
    to: str,
    output: str | Path,
    *,
    roster: str | Path | None = None,
    options: Options,
    allow_missing: bool = False,
) -> Exported:
    """Write the grades of a grading run's JSON in an LMS's format (gradescope: a folder; the others: a file)."""
    from hwsolver.grading.outputs import write_text

    form = FORMATS[to]
    graded = read_grades(grades)
    if options.hide_expected:
        _refuse_without_hints(graded, grades)
    listed = read_roster(roster, form.skip) if roster is not None else None
    matched = match(graded, listed, form.ID_COLUMNS)
    made = form.write(matched.pairs, listed, options)
    missing = _missing(matched, listed, form)
    if missing and not allow_missing:
        return Exported(missing, made.notes, ())
    written = []
    for name, text in made.texts.items():
        path = Path(output) / name if name else Path(output)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HwsolverError(f"{shown_path(str(path.parent))}: cannot write: {error.strerror or error}") from None
        write_text(path, text)
        written.append(path)
    return Exported(missing, made.notes, tuple(written))


def _missing(matched: Matched, roster: Roster | None, form: Format) -> tuple[str, ...]:
    lines = [f"not graded: {g.file}: {g.error or 'no student id'}" for g in matched.not_graded]
    lines += [f"{why}: {g.student} ({g.file})" for g, why in matched.not_in_roster]
    for row in matched.no_submission:
        assert roster is not None
        name = " ".join(row.get(c, "") for c in (roster.column(n) for n in form.NAME_COLUMNS) if c).strip()
        ids = ", ".join(f"{c} {row[c]}" for c in (roster.column(n) for n in form.ID_COLUMNS) if c and row.get(c))
        lines.append(f"no submission: {name or '(no name)'}{f' ({ids})' if ids else ''}")
    return tuple(lines)


def _refuse_without_hints(graded: Sequence[Graded], grades: str | Path) -> None:
    if any(part.hint is None and part.feedback for g in graded for p in g.problems for part in p.parts):
        raise HwsolverError(
            f"{shown_path(str(grades))}: no feedback without the right values (feedback_without_expected): "
            "grade again with this version of hwsolver"
        )
