"""Canvas: a gradebook CSV for Grades > Import.

Canvas reads a header whose first column holds "Student" and second "ID", then SIS User ID and SIS Login ID,
with "Section" the last of the student columns; an assignment column is "Name (id)" (matched by its id, else by
its title, else created); a row whose first cell holds "Points Possible" sets each assignment's points; a student
is found by ID (Canvas's own number), else by SIS User ID, else SIS Login ID, else by name. Scores go to 2
decimals. With a roster (Canvas's own gradebook export) each row copies the student's cells from it and the
assignment column is the roster's column of that name (with its id); without one, the student id goes in SIS User
ID.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from hwsolver.errors import HwsolverError
from hwsolver.export.cells import csv_text, score_text
from hwsolver.export.formats import Files, Options, Pair
from hwsolver.export.roster import Roster, Row, key

ID_COLUMNS = ("SIS User ID", "SIS Login ID", "ID", "Integration ID")
NAME_COLUMNS = ("Student",)
STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS = "Points Possible"
_TITLE_AND_ID = re.compile(r"(.*)\s\((\d+)\)")
_NOT_A_STUDENT = re.compile(r"\s*(Muted|Manual Posting.*)?\s*", re.IGNORECASE)
_TEST_STUDENT = ("student, test", "test student")  # the fake student of Canvas's student view


def skip(row: Row) -> bool:
    """Canvas's rows that are no student: points possible, muted or manual-posting notes, the test student."""
    cells = list(row.values())
    first = cells[0] if cells else ""
    return POINTS in first or key(first) in _TEST_STUDENT or all(_NOT_A_STUDENT.fullmatch(cell) for cell in cells)


def write(pairs: Sequence[Pair], roster: Roster | None, options: Options) -> Files:
    top = pairs[0][0].max_score if pairs else 0
    header, notes = _assignment(roster, options.column, top)
    rows = [[*STUDENT_COLUMNS, header], [POINTS, "", "", "", "", score_text(top, 2)]]
    for graded, row in pairs:
        cells = [row.get(c, "") for c in STUDENT_COLUMNS] if row else ["", "", graded.student or "", "", ""]
        rows.append([*cells, score_text(graded.score, 2)])
    return Files({"": csv_text(rows)}, notes)


def _assignment(roster: Roster | None, column: str, top: Fraction | int) -> tuple[str, tuple[str, ...]]:
    """The assignment's column header, and what the lecturer should know about it."""
    if roster is None:
        return column, ()
    if not (len(roster.header) > 3 and "Student" in roster.header[0] and "ID" in roster.header[1]):
        raise HwsolverError(f"{roster.source}: not a Canvas gradebook export (its columns start Student, ID, ...)")
    for name in roster.header:
        found = _TITLE_AND_ID.fullmatch(name)
        if name == column or (found and found[1] == column):
            points = next((row.get(name, "") for row in roster.skipped if POINTS in next(iter(row.values()), "")), "")
            ours = score_text(top, 2)
            if points and re.fullmatch(r"[\d.]+", points) and Fraction(points) != Fraction(ours):
                return name, (f"'{name}' is worth {points} points in Canvas; importing these grades makes it {ours}",)
            return name, ()
    return column, (f"the roster has no assignment '{column}': Canvas takes one of that title, or creates it",)
