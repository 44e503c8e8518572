"""`hwsolver export` through click's runner: missing students, exit codes, hostile cells, bad input."""

from __future__ import annotations

import copy
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from fixtures import CANVAS_ROSTER, grades_document, write_grades

from hwsolver import cli as cli_module
from hwsolver.cli import cli
from hwsolver.export import FORMATS, VISIBILITY
from hwsolver.export.cells import inert, score_text


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_command_offers_every_format() -> None:
    assert tuple(FORMATS) == cli_module.EXPORT_FORMATS and cli_module.VISIBILITY == VISIBILITY


def test_missing_students_stop_the_export_unless_allowed(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_grades(tmp_path)
    Path("roster.csv").write_text(CANVAS_ROSTER)
    args = ["grades.json", "--to", "canvas", "--roster", "roster.csv", "-o", "out.csv"]
    listed = (
        "not graded: in/broken.yaml: in/broken.yaml: not a text file (binary content)\n"
        "not in the roster: PB21000003 (in/PB21000003.yaml)\n"
        "no submission: Wang, Wu (SIS User ID PB21000009, SIS Login ID wangwu, ID 1003)\n"
        "note: the roster has no assignment 'Homework': Canvas takes one of that title, or creates it\n"
    )
    assert run(*args) == (
        1,
        "",
        listed + "Error: 3 missing (listed above): nothing written; --allow-missing writes the others\n",
    )
    assert not Path("out.csv").exists()
    assert run(*args, "--allow-missing") == (0, "", listed + "wrote out.csv\n")
    assert Path("out.csv").exists()


def test_without_a_roster_only_unreadable_files_are_missing(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = grades_document()
    document["submissions"].pop()  # the unreadable file
    write_grades(tmp_path, document)
    assert run("grades.json", "--to", "csv", "-o", "out.csv") == (0, "", "wrote out.csv\n")
    assert Path("out.csv").read_bytes().decode() == (
        "student,Homework,max_score,relu-network-update\r\n"
        "PB21000001,2.5,4,2.5\r\n"
        "pb21000002,4,4,4\r\n"
        "PB21000003,0.8889,4,0.8889\r\n"
    )


def test_hostile_ids_become_text_in_every_cell(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = grades_document()
    document["submissions"].pop()
    document["submissions"][0]["student"] = "=cmd|' /C calc'!A0"
    document["submissions"][1]["student"] = "@SUM(1+1)\u202e"
    document["submissions"][2]["student"] = "-2+3"
    write_grades(tmp_path, document)
    assert run("grades.json", "--to", "csv", "-o", "out.csv", "--column", "+hw")[0] == 0
    assert Path("out.csv").read_bytes().decode().splitlines()[:4] == [
        "student,'+hw,max_score,relu-network-update",
        "'=cmd|' /C calc'!A0,2.5,4,2.5",
        "'@SUM(1+1)\\u202e,4,4,4",
        "'-2+3,0.8889,4,0.8889",
    ]


@pytest.mark.parametrize(
    "cell, made",
    [
        ("=1+1", "'=1+1"),
        ("+86 10 1234", "'+86 10 1234"),
        ("-1+2", "'-1+2"),
        ("@A1", "'@A1"),
        ("\t=1", "\\t=1"),  # the tab is shown as an escape: the cell no longer starts with anything a sheet runs
        ("\r=1", "\\r=1"),
        ("-1.5", "-1.5"),
        ("-3", "-3"),
        ("Zhang, San", "Zhang, San"),
        ("a\nb", "a\\nb"),
    ],
)
def test_cells_never_run_as_formulas(cell: str, made: str) -> None:
    assert inert(cell) == made


@pytest.mark.parametrize(
    "value, places, text",
    [(Fraction(1, 8), 2, "0.13"), (Fraction(2675, 1000), 2, "2.68"), (Fraction(8, 9), 4, "0.8889"), (35, 2, "35"),
     (Fraction(61, 2), 2, "30.5"), (Fraction(1, 1000), 2, "0")],
)  # fmt: skip
def test_scores_are_rounded_half_up(value, places, text) -> None:
    assert score_text(value, places) == text


def test_a_student_graded_twice_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = grades_document()
    twice = copy.deepcopy(document["submissions"][0])
    twice["file"], twice["student"] = "in/again.yaml", "ＰＢ21000001"  # full-width letters: the same id
    document["submissions"].append(twice)
    write_grades(tmp_path, document)
    assert run("grades.json", "--to", "csv", "-o", "out.csv") == (
        1,
        "",
        "Error: graded more than once: pb21000001 (in/PB21000001.yaml, in/again.yaml): keep one file per student in "
        "the grades and export again\n",
    )


def test_a_roster_of_another_lms_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_grades(tmp_path)
    Path("roster.csv").write_text("Name,SIS User ID,Section\nZhang,PB21000001,A\n")
    code, _, stderr = run("grades.json", "--to", "canvas", "--roster", "roster.csv", "-o", "out.csv")
    assert (code, stderr) == (
        1,
        "Error: roster.csv: not a Canvas gradebook export (its columns start Student, ID, ...)\n",
    )
    Path("roster.csv").write_text("Name,Section\nZhang,A\n")
    code, _, stderr = run("grades.json", "--to", "moodle", "--roster", "roster.csv", "-o", "out.csv")
    assert stderr == (
        "Error: roster.csv: no column 'ID number' or 'idnumber' or 'Username' or 'Email address' or 'email' to find "
        "students by\n"
    )


def test_hiding_right_values_needs_grades_that_keep_them_apart(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = grades_document()
    for submission in document["submissions"]:
        for problem in submission["problems"]:
            for part in problem["parts"]:
                del part["feedback_without_expected"]
    write_grades(tmp_path, document)
    code, _, stderr = run("grades.json", "--to", "gradescope", "-o", "gs", "--hide-expected", "--allow-missing")
    assert (code, stderr) == (
        1,
        "Error: grades.json: no feedback without the right values (feedback_without_expected): grade again with "
        "this version of hwsolver\n",
    )
    assert not Path("gs").exists()


def test_a_utf16_tab_separated_roster_is_read(tmp_path, monkeypatch) -> None:
    """Blackboard's own download: UTF-16 with its byte-order mark, tab-separated."""
    monkeypatch.chdir(tmp_path)
    write_grades(tmp_path)
    roster = "Last Name\tFirst Name\tUsername\tStudent ID\nZhang\tSan\tPB21000001\t\nLi\tSi\tPB21000002\t\n"
    Path("roster.xls").write_bytes(roster.encode("utf-16"))
    code, _, _ = run("grades.json", "--to", "blackboard", "--roster", "roster.xls", "-o", "bb.csv", "--allow-missing")
    assert code == 0
    assert Path("bb.csv").read_bytes().decode().splitlines()[1:] == [
        '"Zhang","San","PB21000001","2.5"',
        '"Li","Si","PB21000002","4"',
    ]
