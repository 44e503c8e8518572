"""After grading: how the class did, from a grading run's JSON (grades.py) and the problems it graded.

The numbers (statistics.py, analysis.py) are the report's; documents (document.py) only show them, in HTML with
charts (charts.py: matplotlib, imported for HTML only), Markdown or JSON, in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hwsolver.report.grades import Graded
    from hwsolver.spec.sets import Entry

__all__ = ["class_report"]


def class_report(
    grades: str | Path,
    problems: Sequence[str | Path] = (),
    *,
    fmt: str = "html",
    lang: str = "zh",
    lock: str | Path | None = None,
) -> str:
    """The class report of a grading run's JSON, against the problems it graded (default: the built-in set);
    with the variants' lock (given, or recorded by `grade --lock`), each part's facility against each varied value
    too."""
    from hwsolver.report.analysis import analyse
    from hwsolver.report.document import report_document
    from hwsolver.report.grades import graded_problems, read_grades, recorded_lock
    from hwsolver.spec.sets import load_set

    graded = read_grades(grades)
    lock = lock or recorded_lock(grades)
    # an assignment, problem files or folders; none: every built-in problem (the homework's among them)
    entries = load_set(problems).entries if problems or lock else ()
    known = graded_problems(grades, graded, problems, [entry.problem for entry in entries])
    titles = {problem_id: dict(p.title) for problem_id, p in known.items()}
    by_value = _by_value(graded, entries, lock) if lock else {}
    return report_document(analyse(graded), titles, fmt, lang, by_value)


def _by_value(graded: Sequence[Graded], entries: Sequence[Entry], lock: str | Path) -> dict[str, Any]:
    from hwsolver.report.facility import facility_by_value
    from hwsolver.report.varied import varied_values
    from hwsolver.variants.lock import read_lock

    found = varied_values(graded, entries, read_lock(lock))
    return {problem: facility_by_value(graded, problem, varied) for problem, varied in found.items()}
