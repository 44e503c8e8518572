"""An LMS's own export of its class (a roster), and which of its students each graded submission is.

A roster is read as the LMS writes it: UTF-8 (with or without a byte-order mark) or UTF-16 with its mark
(Blackboard's downloads), comma-, semicolon- or tab-separated. Student ids are compared as people read them:
without regard to case, full-width letters or surrounding spaces ("pb21000101" is "PB21000101"). A submission is
matched by the first of the format's id columns where exactly one student of the roster has its id.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from hwsolver.errors import HwsolverError
from hwsolver.grading.display import shown, shown_path
from hwsolver.report.grades import Graded

Row = Mapping[str, str]


@dataclass(frozen=True)
class Roster:
    source: str  # the file's name, as messages show it
    header: tuple[str, ...]
    rows: tuple[Row, ...]  # the students' rows, by column name
    skipped: tuple[Row, ...]  # rows that are not students (Canvas's "Points Possible")

    def column(self, *names: str) -> str | None:
        """The first of `names` the roster has, compared without regard to case and spacing."""
        have = {key(name): name for name in self.header}
        return next((have[key(name)] for name in names if key(name) in have), None)


def key(text: str) -> str:
    """An id or a column name as compared: NFKC, case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def read_roster(path: str | Path, skip: Callable[[Row], bool] = lambda row: False) -> Roster:
    """The roster's header and student rows; `skip` tells rows that are not students."""
    name = shown_path(str(path))
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise HwsolverError(f"{name}: cannot read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HwsolverError(f"{name}: not UTF-8 or UTF-16 text: save the roster as CSV UTF-8") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise HwsolverError(f"{name}: empty: expected a header row, then one row per student")
    delimiter = max(",;\t", key=lambda d: len(next(csv.reader([lines[0]], delimiter=d))))
    rows = [[shown(cell.strip()) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    header = tuple(rows[0])
    students, skipped = [], []
    for cells in rows[1:]:
        row = dict(zip(header, cells))
        if any(cells):
            (skipped if skip(row) else students).append(row)
    return Roster(name, header, tuple(students), tuple(skipped))


@dataclass(frozen=True)
class Matched:
    """Graded submissions with their roster rows (None without a roster), and what does not match."""

    pairs: tuple[tuple[Graded, Row | None], ...]
    not_in_roster: tuple[tuple[Graded, str], ...]  # with why ("not in the roster", "matches 2 students")
    no_submission: tuple[Row, ...]
    not_graded: tuple[Graded, ...]  # files that could not be graded


def match(graded: Sequence[Graded], roster: Roster | None, id_columns: Sequence[str]) -> Matched:
    """Each graded student's roster row, by the first id column that names exactly one student."""
    done = [g for g in graded if g.error is None and g.student]
    _refuse_twice_graded(done)
    not_graded = tuple(g for g in graded if g.error is not None or not g.student)
    if roster is None:
        return Matched(tuple((g, None) for g in done), (), (), not_graded)
    columns = [c for c in (roster.column(name) for name in id_columns) if c]
    if not columns:
        raise HwsolverError(f"{roster.source}: no column {' or '.join(map(repr, id_columns))} to find students by")
    index: dict[str, defaultdict[str, list[int]]] = {c: defaultdict(list) for c in columns}
    for n, row in enumerate(roster.rows):
        for c in columns:
            if row.get(c):
                index[c][key(row[c])].append(n)
    pairs, unmatched, used = [], [], set()
    for g in done:
        found = [index[c].get(key(g.student or ""), []) for c in columns]
        rows = next((hit for hit in found if hit), [])
        if len(rows) == 1:
            pairs.append((g, roster.rows[rows[0]]))
            used.add(rows[0])
        else:
            unmatched.append((g, f"matches {len(rows)} students of the roster" if rows else "not in the roster"))
    missing = tuple(row for n, row in enumerate(roster.rows) if n not in used)
    return Matched(tuple(pairs), tuple(unmatched), missing, not_graded)


def _refuse_twice_graded(done: Sequence[Graded]) -> None:
    files: defaultdict[str, list[str]] = defaultdict(list)
    for g in done:
        files[key(g.student or "")].append(g.file)
    twice = [f"{key_} ({', '.join(names)})" for key_, names in files.items() if len(names) > 1]
    if twice:
        raise HwsolverError(
            f"graded more than once: {'; '.join(twice)}: keep one file per student in the grades and export again"
        )
