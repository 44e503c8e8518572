"""Gradescope: an autograder's results.json per submission, in a folder per student.

As Gradescope's autograder specification has it: a "score", and "tests" with one test per part ("name",
"number", "score", "max_score", "status" passed or failed, "output" in Markdown, the named mistake in "tags"),
and a "visibility" for the whole (default after_published: students see their results when the grades are
published). Folders are named after the student id (the roster's SID with a roster: Gradescope's own roster
export, whose email address, what an autograder reads from submission_metadata.json, goes in extra_data).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from hwsolver.export.feedback import part_feedback
from hwsolver.export.formats import Files, Options, Pair
from hwsolver.export.roster import Roster, Row, key
from hwsolver.grading.names import feedback_names
from hwsolver.render import render
from hwsolver.report.grades import Graded, GradedPart

ID_COLUMNS = ("SID", "Email")
NAME_COLUMNS = ("Name", "Full Name", "First Name", "Last Name")
_STAFF = ("instructor", "ta", "reader", "staff")


def skip(row: Row) -> bool:
    """Course staff in Gradescope's roster: they submit nothing."""
    role = next((value for name, value in row.items() if key(name) == "role"), "")
    return key(role) in _STAFF


def write(pairs: Sequence[Pair], roster: Roster | None, options: Options) -> Files:
    sid, email = (roster.column("SID"), roster.column("Email")) if roster else (None, None)
    ids = [(row.get(sid, "") if row and sid else "") or graded.student or "" for graded, row in pairs]
    texts = {}
    for name, (graded, row) in zip(feedback_names(ids), pairs):
        results = _results(graded, options)
        if row and email and row.get(email):
            results["extra_data"]["email"] = row[email]  # what the autograder's submission_metadata.json gives
        texts[f"{name}/results.json"] = json.dumps(results, ensure_ascii=False) + "\n"  # C encoder: no indent
    return Files(texts)


def _results(graded: Graded, options: Options) -> dict[str, Any]:
    tests = [
        {
            "name": f"{problem.id}: {part.id}",
            "number": f"{p}.{q}",
            "score": _number(part.score),
            "max_score": _number(part.max_score),
            "status": "passed" if part.verdict == "correct" else "failed",
            "output": _output(part, part_feedback(part, options.hide_expected)),
            "output_format": "md",
            "tags": [part.mistake] if part.mistake else [],
        }
        for p, problem in enumerate(graded.problems, start=1)
        for q, part in enumerate(problem.parts, start=1)
    ]
    return {
        "score": _number(graded.score),
        "output": render("export/gradescope.md.j2", graded=graded),
        "output_format": "md",
        "visibility": options.visibility,
        "extra_data": {"student": graded.student, "file": graded.file},
        "tests": tests,
    }


@lru_cache(maxsize=65_536)
def _output(part: GradedPart, feedback: str) -> str:
    """A part's test output (a class shares most: the grader gives the same answers the same result)."""
    return render("export/gradescope_test.md.j2", part=part, feedback=feedback)


def _number(value: Any) -> int | float:
    return int(value) if value == int(value) else float(round(value, 4))
