"""After grading: how the class did, from a grading run's JSON (grades.py) and the problems it graded.

The numbers (statistics.py, analysis.py) are the report's; documents (document.py) only show them, in HTML with
charts (charts.py: matplotlib, imported for HTML only), Markdown or JSON, in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hwsolver.errors import HwsolverError

__all__ = ["class_report"]


def class_report(
    grades: str | Path, problems: Sequence[str | Path] = (), *, fmt: str = "html", lang: str = "zh"
) -> str:
    """The class report of a grading run's JSON, against the problems it graded (default: the built-in set)."""
    from hwsolver.grading.display import shown_path
    from hwsolver.report.analysis import analyse
    from hwsolver.report.document import report_document
    from hwsolver.report.grades import read_grades
    from hwsolver.spec.problems import load_problems
    from hwsolver.spec.sets import load_set

    graded = read_grades(grades)
    # an assignment, problem files or folders; none: every built-in problem (the homework's among them)
    chosen = [entry.problem for entry in load_set(problems).entries] if problems else load_problems()
    known = {p.id: p for p in chosen}
    where = ", ".join(map(str, problems)) or "the built-in problems"
    for problem in {p.id: p for g in graded for p in g.problems}.values():
        spec = known.get(problem.id)
        if spec is None:
            raise HwsolverError(
                f"{shown_path(str(grades))}: problem '{problem.id}' is not among {where}: "
                "give the --problems the grading used"
            )
        unknown = [part.id for part in problem.parts if part.id not in {p.id for p in spec.parts}]
        if unknown:
            raise HwsolverError(
                f"{shown_path(str(grades))}: problem '{problem.id}' has no part {unknown[0]!r} in {spec.source}: "
                "give the --problems the grading used"
            )
    titles = {problem_id: dict(p.title) for problem_id, p in known.items()}
    return report_document(analyse(graded), titles, fmt, lang)
