"""Blackboard Learn (Original): a CSV for Grade Center > Work Offline > Upload.

Blackboard finds each student by Username (a row without one fails the upload; users not enrolled are left out)
and each column by the id after "|" in its header, "Name [Total Pts: N Score] |id"; a header without an id makes
a new column (a text column worth 0 points). Comma-separated files must quote every cell. With a roster
(Blackboard's own Grade Center download) rows copy Last Name, First Name and Username from it and the column is
the roster's column of that name, with its id; without one, the student id is the Username.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from hwsolver.export.cells import csv_text, score_text
from hwsolver.export.formats import Files, Options, Pair
from hwsolver.export.roster import Roster, Row

ID_COLUMNS = ("Username", "Student ID")
NAME_COLUMNS = ("Last Name", "First Name")
_COLUMN = re.compile(r"(?P<name>.*?) \[Total Pts: (?P<points>[^\]]*?) (?P<type>\w+)\](?: \|(?P<id>\d+))?")


def skip(row: Row) -> bool:
    return False


def write(pairs: Sequence[Pair], roster: Roster | None, options: Options) -> Files:
    top = pairs[0][0].max_score if pairs else 0
    header, notes = _column(roster, options.column, top)
    rows = [["Last Name", "First Name", "Username", header]]
    for graded, row in pairs:
        names = [row.get("Last Name", ""), row.get("First Name", ""), row.get("Username", "")] if row else []
        rows.append([*(names or ["", "", graded.student or ""]), score_text(graded.score)])
    return Files({"": csv_text(rows, quote_all=True)}, notes)


def _column(roster: Roster | None, column: str, top: Fraction | int) -> tuple[str, tuple[str, ...]]:
    points = score_text(top)
    for name in roster.header if roster else ():
        found = _COLUMN.fullmatch(name)
        if found and found["id"] and found["name"] == column:
            header = f"{column} [Total Pts: {points} Score] |{found['id']}"
            same = re.fullmatch(r"[\d.]+", found["points"]) and Fraction(found["points"]) == Fraction(points)
            return header, () if same else (
                f"'{column}' is worth {found['points']} points in Blackboard, these grades are out of {points}",
            )
    new = f"Blackboard makes a new column '{column}' (a text column worth 0 points: set its points after the upload)"
    return f"{column} [Total Pts: {points} Score]", (new,)
