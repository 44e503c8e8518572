"""`hwsolver assign` and the lock: the same roster and salt give the same file byte for byte, each student their
own numbers, and everything that reads the lock finds exactly what was drawn."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.errors import HwsolverError, SpecError
from hwsolver.spec.sets import load_set
from hwsolver.variants.assign import assign, roster_ids, student_problems
from hwsolver.variants.lock import read_lock

GOLDEN = Path(__file__).resolve().parent / "golden"
ROSTER = "student,name\nPB21000101,张三\nPB21000102,李四\nPB21000103,王五\n"
VARIED = ("relu-network-update", "conv-backprop", "pooling-backprop", "average-pooling-backprop")


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def class_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(ROSTER, encoding="utf-8")
    code, output = invoke("assign", "--roster", "roster.csv", "-o", "variants.lock.yaml")
    assert code == 0, output
    return tmp_path / "variants.lock.yaml"


def test_the_same_roster_and_salt_give_the_same_lock_byte_for_byte(class_lock: Path, update_golden: bool) -> None:
    text = class_lock.read_text(encoding="utf-8")
    golden = GOLDEN / "homework.lock.yaml"
    if update_golden:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), "the variants changed: every lock ever drawn would differ"
    assert assign(load_set(), ["PB21000101", "PB21000102", "PB21000103"]) == text  # drawn again, afresh
    # the same again is no overwrite; other variants are
    assert invoke("assign", "--roster", "roster.csv", "-o", "variants.lock.yaml")[0] == 0
    Path("other.csv").write_text("student\nPB21000104\n", encoding="utf-8")
    code, output = invoke("assign", "--roster", "other.csv", "-o", "variants.lock.yaml")
    assert code == 1 and "a lock with other variants exists; remove it or choose another name" in output
    assert class_lock.read_text(encoding="utf-8") == text


def test_the_lock_holds_each_whole_given_as_written(class_lock: Path) -> None:
    lock = read_lock(class_lock)
    assert (lock.assignment, lock.salt, list(lock.students)) == (
        "nn-optimization-homework",
        "nn-optimization-homework-1",
        ["PB21000101", "PB21000102", "PB21000103"],
    )
    homework = [entry.problem.id for entry in load_set().entries]
    assert all(list(problems) == homework for problems in lock.students.values())
    text = class_lock.read_text(encoding="utf-8")
    assert "0.30000000000000004" not in text and not re.search(r"\d[eE][-+]?\d", text)
    unvaried = "given: {function: 'log_softmax(x)[i]', wrt: 'x[k]', vectors: {x: C}, indices: [i, k]}"
    assert text.count(unvaried) == 3


def test_students_get_distinct_variants() -> None:
    students = [f"PB{n:04}" for n in range(40)]
    homework = load_set()
    lock_text = assign(homework, students)
    for problem in VARIED:
        givens = {line for line in lock_text.splitlines() if line.startswith("      given:")}
        assert len(givens) > 4 * 40  # every varied problem's given differs for each student
        shown = [
            student_problems(homework, s)[[e.problem.id for e in homework.entries].index(problem)] for s in students[:8]
        ]
        assert len({repr(p.given) for p in shown}) == 8
        assert len({p.statement["en"] for p in shown}) == 8  # and so does its statement


def test_reading_the_lock_gives_what_was_drawn(class_lock: Path) -> None:
    homework, lock = load_set(), read_lock(class_lock)
    for student in lock.students:
        assert student_problems(homework, student, lock) == student_problems(homework, student)
    # ids are compared as people read them
    assert student_problems(homework, "pb21000101", lock) == student_problems(homework, "PB21000101")


def test_a_lock_from_another_assignment_or_with_unknown_problems_is_refused(class_lock: Path) -> None:
    homework = load_set()
    text = class_lock.read_text(encoding="utf-8")
    class_lock.write_text(text.replace("assignment: nn-optimization-homework", "assignment: week-4"), encoding="utf-8")
    with pytest.raises(HwsolverError, match="this lock is for assignment 'week-4', not 'nn-optimization-homework'"):
        student_problems(homework, "PB21000101", read_lock(class_lock))
    class_lock.write_text(text.replace("    mlp-op-count:", "    mlp-op-counts:", 1), encoding="utf-8")
    with pytest.raises(SpecError) as error:
        student_problems(homework, "PB21000101", read_lock(class_lock))
    line = text[: text.index("    mlp-op-count:")].count("\n") + 2
    assert str(error.value).startswith(f"variants.lock.yaml:{line}:7: students.PB21000101.mlp-op-counts: ")
    assert str(error.value).endswith("the assignment 'nn-optimization-homework' has no problem 'mlp-op-counts'")
    class_lock.write_text(text, encoding="utf-8")
    with pytest.raises(HwsolverError, match="no student 'PB9' in this lock"):
        student_problems(homework, "PB9", read_lock(class_lock))


def test_a_given_edited_in_the_lock_is_checked_where_it_stands(class_lock: Path) -> None:
    text = class_lock.read_text(encoding="utf-8")
    start = text.index("given: {layers: [2, 2, 1]")
    bad = text[:start] + text[start:].replace("learning_rate: 1}", "learning_rate: -1}", 1)
    class_lock.write_text(bad, encoding="utf-8")
    with pytest.raises(SpecError, match=r"students\.PB21000101\.relu-network-update\.given\.learning_rate: expected a"):
        student_problems(load_set(), "PB21000101", read_lock(class_lock))


@pytest.mark.parametrize(
    ("roster", "column", "message"),
    [
        (
            "id,name\nPB1,A\n",
            "student",
            "roster.csv: no column 'student' (its columns: id, name); --id-column names it",
        ),
        ("student\nPB1\npb1\n", "student", "roster.csv: student 'pb1' is listed twice"),
        (
            "student,name\nPB1,A\n,B\n",
            "student",
            "roster.csv: student 2 (in the roster's order) has no id in 'student'",
        ),
        ("student\n", "student", "roster.csv: no students"),
    ],
)
def test_roster_mistakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, roster: str, column: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text(roster, encoding="utf-8")
    with pytest.raises(HwsolverError) as error:
        roster_ids("roster.csv", column)
    assert str(error.value).startswith(message)


def test_another_id_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("roster.csv").write_text("Name,SIS User ID\nA,u1\nB,u2\n", encoding="utf-8")
    code, output = invoke("assign", "--roster", "roster.csv", "--id-column", "SIS User ID", "-o", "l.yaml")
    assert code == 0, output
    assert list(read_lock("l.yaml").students) == ["u1", "u2"]


def test_solve_for_a_student_keeps_the_problem_ids_and_agrees_with_the_lock(class_lock: Path) -> None:
    code, drawn = invoke("solve", "--student", "PB21000102", "--format", "json")
    assert code == 0, drawn
    code, locked = invoke("solve", "--student", "PB21000102", "--lock", "variants.lock.yaml", "--format", "json")
    assert code == 0, locked
    assert drawn == locked
    ids = [p["id"] for p in json.loads(drawn)["problems"]]
    assert ids == [entry.problem.id for entry in load_set().entries]
    code, plain = invoke("solve", "--format", "json")
    assert json.loads(plain)["problems"][0] != json.loads(drawn)["problems"][0]
    code, output = invoke("solve", "--lock", "variants.lock.yaml")
    assert code == 2 and "--lock needs --student" in output


def test_a_students_numbers_are_read_apart_and_do_not_stay_with_the_lock(class_lock: Path) -> None:
    """A worker reads each student's numbers once: the lock keeps its entries unbuilt (a class of 10,000 would
    else stay in memory for the whole run), and each reading gives the same given, where it stands."""
    from hwsolver.spec.node import LATER
    from hwsolver.variants import lock as locks

    lock = read_lock(class_lock)
    givens = lock.students["PB21000102"]
    # a lock as written: no student's entries made until the student is graded (a class's 70,000 nodes, else)
    assert all(isinstance(g._entries, locks._Block) for g in lock.students.values())
    assert list(givens) == list(lock.students["PB21000101"]) and len(givens) == 7
    first, again = givens["relu-network-update"], givens["relu-network-update"]
    assert first is not again and first.source == again.source and first.path == again.path
    assert first.path == "students.PB21000102.relu-network-update.given"
    assert givens.entries["relu-network-update"].content is LATER
    text = class_lock.read_text(encoding="utf-8")
    assert first.line == text[: text.index(first.source)].count("\n") + 1


def test_a_lock_as_written_is_read_line_by_line_into_what_the_yaml_reader_gives(class_lock: Path) -> None:
    """A lock laid out as `assign` writes it is read without its students' entries going through the YAML reader
    (a class of 10,000 in a thirtieth of the time); each entry is the node the reader leaves unbuilt, position and key
    path alike. Any other layout (a comment, an id that needs quotes, a duplicate) is the YAML reader's to read."""
    from hwsolver.spec.reader import read_file
    from hwsolver.variants import lock as locks
    from hwsolver.variants.nodes import numbers

    def by_reader(text: str) -> dict[str, dict]:
        class_lock.write_text(text, encoding="utf-8")
        students = read_file(class_lock, "variants.lock.yaml", lazy_below=3).mapping()["students"]
        return {student: entry.mapping() for student, entry in students.mapping().items()}

    text = class_lock.read_text(encoding="utf-8")
    assert locks._as_written(text, "variants.lock.yaml") is not None
    lock = read_lock(class_lock)
    assert {s: dict(g.entries) for s, g in lock.students.items()} == by_reader(text)
    whole = read_file(class_lock, "variants.lock.yaml").mapping()["students"].mapping()["PB21000102"]  # all built
    given = lock.students["PB21000102"]["conv-backprop"]
    list(numbers(given))  # its rows of numbers, left unbuilt for Node.tensor, built: node for node
    assert given == whole.mapping()["conv-backprop"].mapping()["given"]

    edited = text.replace("  PB21000102:\n", "  # moved here\n  'PB21000102':\n")
    assert locks._as_written(edited, "variants.lock.yaml") is None
    expected = by_reader(edited)  # written, then read by the YAML reader
    assert {s: dict(g.entries) for s, g in read_lock(class_lock).students.items()} == expected
    twice = text.replace("  PB21000103:\n", "  PB21000101:\n")
    assert locks._as_written(twice, "variants.lock.yaml") is None
    class_lock.write_text(twice, encoding="utf-8")
    with pytest.raises(SpecError, match="duplicate key 'PB21000101'"):
        read_lock(class_lock)


def test_a_broken_given_in_a_lock_as_written_is_named_where_it_stands_when_read(class_lock: Path) -> None:
    text = class_lock.read_text(encoding="utf-8")
    start = text.index("given: {layers: [2, 2, 1]", text.index("PB21000102"))
    class_lock.write_text(text[:start] + text[start:].replace("[2, 2, 1]", "[2, 2, 1", 1), encoding="utf-8")
    lock = read_lock(class_lock)  # the other students' variants are all there
    assert student_problems(load_set(), "PB21000101", lock) == student_problems(load_set(), "PB21000101")
    with pytest.raises(SpecError) as error:
        student_problems(load_set(), "PB21000102", lock)
    line = text[:start].count("\n") + 1
    assert str(error.value).startswith(f"variants.lock.yaml:{line}:")
