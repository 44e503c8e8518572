"""Moodle: a CSV for Grades > Import > CSV file.

Moodle's importer reads a header (names trimmed), then rows of as many cells; the lecturer maps one column to the
user field it holds (ID number or email address), one to the grade item and one to its feedback. A row whose
user is not found stops the whole import, a grade must be a number ("-" or empty: no grade) and at most the
site's largest grade (100 unless raised). The feedback is shown as Moodle text, so it is escaped (a student's
"<b>" shows as written). With a roster (Moodle's grade or participant export) students are found by ID number,
username or email address, and each row gives the ID number (or, where the roster has none, the email address).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from hwsolver.errors import HwsolverError
from hwsolver.export.cells import csv_text, score_text
from hwsolver.export.feedback import feedback_line
from hwsolver.export.formats import Files, Options, Pair
from hwsolver.export.roster import Roster, Row

ID_COLUMNS = ("ID number", "idnumber", "Username", "Email address", "email")
NAME_COLUMNS = ("First name", "firstname", "Last name", "lastname")
_IDENTIFIERS = (("ID number", ("ID number", "idnumber")), ("Email address", ("Email address", "email")))
GRADE_LIMIT = 100  # Moodle's gradepointmax unless the site raises it


def skip(row: Row) -> bool:
    return False


def write(pairs: Sequence[Pair], roster: Roster | None, options: Options) -> Files:
    label, ids = _identifier(pairs, roster)
    rows = [[label, options.column, "Feedback"]]
    for (graded, _), identifier in zip(pairs, ids):
        feedback = html.escape(feedback_line(graded, options.hide_expected), quote=False)
        rows.append([identifier, score_text(graded.score), feedback])
    top = pairs[0][0].max_score if pairs else 0
    notes = (f"grades above {GRADE_LIMIT} need the site's gradepointmax raised",) if top > GRADE_LIMIT else ()
    return Files({"": csv_text(rows)}, notes)


def _identifier(pairs: Sequence[Pair], roster: Roster | None) -> tuple[str, list[str]]:
    """The user field every row can be found by: ID number, else email address."""
    if roster is None:
        return "ID number", [graded.student or "" for graded, _ in pairs]
    for label, names in _IDENTIFIERS:
        column = roster.column(*names)
        if column and all(row and row.get(column) for _, row in pairs):
            return label, [row.get(column, "") if row else "" for _, row in pairs]
    raise HwsolverError(f"{roster.source}: some students have neither an ID number nor an email address")
