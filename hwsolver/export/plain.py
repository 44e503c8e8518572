"""A plain CSV for any other LMS or a spreadsheet: the student id, the score, the points, and each problem's score.

With a roster (any CSV with a column student, student id, id, SID, username or email) only its students are
written, in the roster's id.
"""

from __future__ import annotations

from collections.abc import Sequence

from hwsolver.export.cells import csv_text, score_text
from hwsolver.export.formats import Files, Options, Pair
from hwsolver.export.roster import Roster, Row

ID_COLUMNS = ("student", "student id", "id", "SID", "Username", "Email", "Email address")
NAME_COLUMNS = ("name", "Student", "Full Name")


def skip(row: Row) -> bool:
    return False


def write(pairs: Sequence[Pair], roster: Roster | None, options: Options) -> Files:
    problems = list(dict.fromkeys(p.id for graded, _ in pairs for p in graded.problems))
    rows = [["student", options.column, "max_score", *problems]]
    for graded, _ in pairs:
        scores = {p.id: score_text(p.score) for p in graded.problems}
        rows.append([graded.student or "", score_text(graded.score), score_text(graded.max_score)])
        rows[-1] += [scores.get(problem, "") for problem in problems]
    return Files({"": csv_text(rows)})
