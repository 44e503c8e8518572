"""Each LMS's import rules, rebuilt from its importer or its documentation, as test oracles: an export is right
when the LMS, reading it by these rules, gives each student exactly their score and touches nothing else.

- Canvas: app/models/gradebook_importer.rb (header?, update_column_count, process_student, process_pp,
  Assignment.title_and_id, the decimal_comma_to_period converter).
- Moodle: grade/import/csv/classes/load_data.php and lib/csvlib.class.php (trimmed header, equal column counts,
  the user mapping that aborts the whole import, "-" or empty for no grade, unformat_float, gradepointmax).
- Blackboard Learn: "Uploading External Grade Center Items" (Username identifies the student, "|id" the column,
  comma-delimited data must be quoted, users not enrolled are left out, no Username fails the upload).
- Gradescope: the autograder specifications (results.json's fields and their values).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any


class Refused(Exception):
    """The LMS refuses the whole file, as its importer would."""


@dataclass
class Student:
    id: int
    name: str
    sortable_name: str
    sis_user_id: str = ""
    login_id: str = ""


@dataclass
class CanvasImport:
    grades: dict[int | str, dict[str, str]] = field(default_factory=dict)  # Canvas id (or "new: name") -> grades
    points: dict[str, str] = field(default_factory=dict)  # assignment -> points possible
    new_assignments: list[str] = field(default_factory=list)
    new_students: list[str] = field(default_factory=list)


_NON_ASSIGNMENT = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|Final Grade|Override Score|"
    "Override Grade|Override Status"
)


def canvas_import(text: str, students: list[Student], assignments: dict[int, str]) -> CanvasImport:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    if not (len(header) > 3 and "Student" in header[0] and "ID" in header[1]):
        raise Refused("Invalid header row")
    columns, sis_user, sis_login = 3, None, None
    if re.search(r"SIS\s+Login\s+ID", header[2]):
        sis_login, columns = 2, 4
    elif re.search(r"SIS\s+User\s+ID", header[2]) and re.search(r"SIS\s+Login\s+ID", header[3]):
        extra = 1 if len(header) > 4 and re.search(r"Integration\s+ID", header[4]) else 0
        sis_user, sis_login, columns = 2, 3, 5 + extra
    if "Section" not in header[columns - 1]:
        raise Refused("Invalid header row")
    found = CanvasImport()
    titled = {}
    for index in range(columns, len(header)):
        name = header[index]
        if _NON_ASSIGNMENT.search(name):
            continue
        match = re.fullmatch(r"(.*)\s\((\d+)\)", name)
        if match and int(match[2]) in assignments:
            titled[index] = assignments[int(match[2])]
        elif name in assignments.values():
            titled[index] = name
        else:
            titled[index] = match[1] if match else name
            found.new_assignments.append(titled[index])
    by_id = {s.id: s for s in students}
    for row in rows[1:]:
        if "Points Possible" in row[0]:
            found.points = {titled[i]: row[i] for i in titled if row[i]}
            continue
        if all(re.fullmatch(r"\s*(Muted|Manual Posting.*)?\s*", cell, re.IGNORECASE) for cell in row):
            continue
        student = by_id.get(int(row[1])) if row[1].strip() else None
        if student is None and sis_user is not None and row[sis_user]:
            student = next((s for s in students if s.sis_user_id == row[sis_user]), None)
        if student is None and sis_login is not None and row[sis_login]:
            student = next((s for s in students if s.login_id == row[sis_login]), None)
        if student is None:
            student = next((s for s in students if row[0] in (s.name, s.sortable_name)), None)
        key: int | str = student.id if student else f"new: {row[0]}"
        if student is None:
            found.new_students.append(row[0])
        found.grades[key] = {titled[i]: _decimal_comma(row[i].strip()) for i in titled}
    return found


def _decimal_comma(cell: str) -> str:
    if re.fullmatch(r"-?[0-9.,]+%?", cell):
        parts = re.split(r"[,.]", cell)
        return parts[0] if len(parts) == 1 else "".join(parts[:-1]) + "." + parts[-1]
    return cell


def moodle_import(
    text: str, users: list[dict[str, str]], map_from: str, field_name: str, grade: str, feedback: str
) -> dict[str, tuple[float | None, str]]:
    """Moodle's CSV grade import with the lecturer's mapping: column `map_from` holds the user field `field_name`
    (idnumber, email, username), `grade` the grade item's grade and `feedback` its feedback."""
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip() for cell in rows[0]]
    if len(set(header)) != len(header):
        raise Refused("duplicate column names")
    imported = {}
    for row in rows[1:]:
        if len(row) != len(header):
            raise Refused("csvweirdcolumns")
        if len(row) <= 1:
            continue
        cells = dict(zip(header, (cell.strip() for cell in row)))
        user = next((u for u in users if cells[map_from] and u[field_name] == cells[map_from]), None)
        if user is None:
            raise Refused(f"usermappingerror: {field_name} {cells[map_from]!r}")
        value = cells[grade]
        if value in ("", "-"):
            number = None
        else:
            try:
                number = float(value)
            except ValueError:
                raise Refused(f"badgrade: {value!r}") from None
            if number > 100:
                raise Refused("gradevaluetoobig")
        imported[user["id"]] = (number, cells[feedback])
    return imported


_BLACKBOARD_COLUMN = re.compile(r"(.*?) \[Total Pts: ([\d.]+) (Score|Percentage|Letter|Text)\](?: \|(\d+))?")


def blackboard_upload(raw: str, enrolled: set[str], columns: dict[str, str]) -> dict[str, dict[str, str]]:
    """Grade Center upload: {username: {column: value}}; `columns` maps existing column ids to names."""
    for line in raw.splitlines():
        cells = next(csv.reader([line]))
        if not all(re.fullmatch(r'"(?:[^"]|"")*"', part) for part in _raw_fields(line, len(cells))):
            raise Refused("comma-delimited data must be within quotes")
    rows = list(csv.reader(io.StringIO(raw)))
    header = rows[0]
    user = header.index("Username")
    named = {}
    for index, name in enumerate(header):
        found = _BLACKBOARD_COLUMN.fullmatch(name)
        if found:
            if found[4] and found[4] not in columns:
                raise Refused(f"no column {found[4]}")
            named[index] = columns[found[4]] if found[4] else f"new: {found[1]}"
    uploaded = {}
    for row in rows[1:]:
        if not row[user]:
            raise Refused("a row without a Username")
        if row[user] in enrolled:
            uploaded[row[user]] = {named[i]: row[i] for i in named}
    return uploaded


def _raw_fields(line: str, count: int) -> list[str]:
    """The fields of a CSV line as written, quotes included."""
    fields = re.findall(r'(?:^|,)("(?:[^"]|"")*"|[^,]*)', line)
    assert len(fields) == count, line
    return fields


_TOP = {"score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
        "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"}  # fmt: skip
_TEST = {"score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
         "visibility", "extra_data"}  # fmt: skip
_FORMATS = {"text", "html", "simple_format", "md", "ansi"}
_VISIBLE = {"hidden", "after_due_date", "after_published", "visible"}


def gradescope_results(document: Any) -> float:
    """The score Gradescope shows for a results.json, refusing anything its specification does not allow."""
    if not isinstance(document, dict) or not set(document) <= _TOP:
        raise Refused(f"unknown fields: {set(document) - _TOP}")
    if (
        document.get("output_format", "simple_format") not in _FORMATS
        or document.get("visibility", "visible") not in _VISIBLE
    ):
        raise Refused("format or visibility")
    tests = document.get("tests", [])
    for test in tests:
        if not set(test) <= _TEST or test.get("status", "passed") not in ("passed", "failed"):
            raise Refused(f"test fields: {test}")
        if test.get("output_format", "text") not in _FORMATS or not all(isinstance(t, str) for t in test["tags"]):
            raise Refused("test format or tags")
        if not (isinstance(test["number"], str) and 0 <= test["score"] <= test["max_score"]):
            raise Refused("test number or score")
        if (test["score"] == test["max_score"]) != (test["status"] == "passed"):
            raise Refused("a status that its score contradicts")
    if "score" not in document:
        return float(sum(test["score"] for test in tests))
    if abs(document["score"] - sum(test["score"] for test in tests)) > 1e-3:
        raise Refused("the score is not its tests' sum")
    return float(document["score"])
