"""What an LMS format is (a module satisfying `Format`), and what it is given and gives back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from hwsolver.export.roster import Roster, Row
from hwsolver.report.grades import Graded

Pair = tuple[Graded, Row | None]  # a graded submission and its student's roster row (None without a roster)
VISIBILITY = ("visible", "after_published", "after_due_date", "hidden")  # Gradescope's settings


@dataclass(frozen=True)
class Options:
    column: str  # the grade's column (an assignment, a grade item) as the LMS names it
    hide_expected: bool = False  # feedback without the right values
    visibility: str = "after_published"  # when students see Gradescope results


@dataclass(frozen=True)
class Files:
    texts: Mapping[str, str]  # path under the output folder -> text ("": the output file itself)
    notes: tuple[str, ...] = ()  # what the lecturer should know before importing


class Format(Protocol):
    ID_COLUMNS: tuple[str, ...]  # roster columns that may hold a student's id, the first tried first
    NAME_COLUMNS: tuple[str, ...]  # roster columns that name a student (for the list of missing students)

    def skip(self, row: Row) -> bool:
        """Whether a roster row is no student (a points row, the LMS's test student)."""
        ...

    def write(self, pairs: Sequence[Pair], roster: Roster | None, options: Options) -> Files:
        """The files to import: one row (or folder) per matched submission."""
        ...
