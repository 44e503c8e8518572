"""After grading: how the class did, from a grading run's JSON (grades.py) and the problems it graded.

The numbers (statistics.py, analysis.py) are the report's; documents (document.py) only show them, in HTML with
charts (charts.py: matplotlib, imported for HTML only), Markdown or JSON, in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["class_report"]


def class_report(
    grades: str | Path, problems: Sequence[str | Path] = (), *, fmt: str = "html", lang: str = "zh"
) -> str:
    """The class report of a grading run's JSON, against the problems it graded (default: the built-in set)."""
    from hwsolver.report.analysis import analyse
    from hwsolver.report.document import report_document
    from hwsolver.report.grades import graded_problems, read_grades

    graded = read_grades(grades)
    known = graded_problems(grades, graded, problems)
    titles = {problem_id: dict(p.title) for problem_id, p in known.items()}
    return report_document(analyse(graded), titles, fmt, lang)
