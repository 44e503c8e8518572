"""Each export, read back by its LMS's import rules (oracles.py): every matched student gets exactly their
score, nobody and no column is created by mistake, and the file is exactly what is expected."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from fixtures import (
    BLACKBOARD_ROSTER,
    CANVAS_ROSTER,
    GRADESCOPE_ROSTER,
    MOODLE_ROSTER,
    write_grades,
)
from oracles import Student, blackboard_upload, canvas_import, gradescope_results, moodle_import

from hwsolver.cli import cli

MISSING = (
    "not graded: in/broken.yaml: in/broken.yaml: not a text file (binary content)\n"
    "not in the roster: PB21000003 (in/PB21000003.yaml)\n"
)


def export(tmp_path: Path, *args: str, roster: str | None = None) -> tuple[int, str, str]:
    command = ["export", str(write_grades(tmp_path)), *args]
    if roster is not None:
        (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
        command += ["--roster", str(tmp_path / "roster.csv")]
    result = CliRunner().invoke(cli, command)
    return result.exit_code, result.stdout, result.stderr


CANVAS_STUDENTS = [
    Student(1001, "Zhang San", "Zhang, San", "PB21000001", "zhangsan"),
    Student(1002, '=HYPERLINK("http://evil.example","x")', "x", "PB21000002", "lisi"),
    Student(1003, "Wang Wu", "Wang, Wu", "PB21000009", "wangwu"),
]


def test_canvas_with_its_roster(tmp_path) -> None:
    out = tmp_path / "canvas.csv"
    code, stdout, stderr = export(
        tmp_path, "--to", "canvas", "--column", "Homework 3", "-o", str(out), "--allow-missing", roster=CANVAS_ROSTER
    )
    assert (code, stdout) == (0, "")
    assert stderr == (
        MISSING + "no submission: Wang, Wu (SIS User ID PB21000009, SIS Login ID wangwu, ID 1003)\n"
        "note: 'Homework 3 (4411)' is worth 100 points in Canvas; importing these grades makes it 4\n"
        f"wrote {out}\n"
    )
    text = out.read_bytes().decode()
    assert text == (
        "Student,ID,SIS User ID,SIS Login ID,Section,Homework 3 (4411)\r\n"
        "Points Possible,,,,,4\r\n"
        '"Zhang, San",1001,PB21000001,zhangsan,NN 2024,2.5\r\n'
        '"\'=HYPERLINK(""http://evil.example"",""x"")",1002,PB21000002,lisi,NN 2024,4\r\n'
    )
    imported = canvas_import(text, CANVAS_STUDENTS, {4411: "Homework 3", 4412: "Quiz 1"})
    assert imported.grades == {1001: {"Homework 3": "2.5"}, 1002: {"Homework 3": "4"}}
    assert (imported.points, imported.new_assignments, imported.new_students) == ({"Homework 3": "4"}, [], [])


def test_canvas_without_a_roster_finds_students_by_sis_user_id(tmp_path) -> None:
    out = tmp_path / "canvas.csv"
    code, _, stderr = export(tmp_path, "--to", "canvas", "-o", str(out), "--allow-missing")
    assert (code, stderr) == (0, MISSING.splitlines(keepends=True)[0] + f"wrote {out}\n")
    students = [Student(n, f"S{n}", f"S{n}", f"PB2100000{n}") for n in (1, 2, 3)]
    imported = canvas_import(out.read_text(), students, {4411: "Homework"})
    # pb21000002 is not PB21000002 to Canvas (SIS ids are compared exactly): without a roster it is a new student
    assert imported.grades == {1: {"Homework": "2.5"}, "new: ": {"Homework": "4"}, 3: {"Homework": "0.89"}}


def test_moodle_with_its_roster(tmp_path) -> None:
    out = tmp_path / "moodle.csv"
    code, _, stderr = export(tmp_path, "--to", "moodle", "-o", str(out), "--allow-missing", roster=MOODLE_ROSTER)
    assert code == 0
    assert (
        stderr
        == MISSING
        + f"no submission: Wu Wang (ID number PB21000009, Email address wangwu@mail.ustc.edu.cn)\nwrote {out}\n"
    )
    text = out.read_bytes().decode()
    assert text.splitlines() == [
        "ID number,Homework,Feedback",
        'PB21000001,2.5,"Score 2.5/4. relu-network-update.params_after 1.5/3: The update moved along the gradient '
        "instead of against it: w - eta*g, not w + eta*g. (6 of 6 entries wrong, counting from 1: W1[1,1] "
        '(expected 0.6226) and 5 more)"',
        "PB21000002,4,Score 4/4.",
    ]
    users = [
        {"id": "u1", "idnumber": "PB21000001", "email": "zhangsan@mail.ustc.edu.cn"},
        {"id": "u2", "idnumber": "PB21000002", "email": "lisi@mail.ustc.edu.cn"},
        {"id": "u9", "idnumber": "PB21000009", "email": "wangwu@mail.ustc.edu.cn"},
    ]
    imported = moodle_import(text, users, "ID number", "idnumber", "Homework", "Feedback")
    assert {user: grade for user, (grade, _) in imported.items()} == {"u1": 2.5, "u2": 4.0}


def test_moodle_feedback_is_escaped_and_can_hide_right_values(tmp_path) -> None:
    out = tmp_path / "moodle.csv"
    code, _, _ = export(tmp_path, "--to", "moodle", "-o", str(out), "--allow-missing", "--hide-expected")
    assert code == 0
    lines = out.read_text().splitlines()
    assert lines[1].endswith('(6 of 6 entries wrong, counting from 1: W1[1,1] and 5 more)"')
    assert lines[3] == (
        'PB21000003,0.8889,"Score 0.8889/4. relu-network-update.output_before 0/1: no answer; '
        'relu-network-update.params_after 0.8889/3: 1 of 6 entries wrong: W2[1,2] &lt;b&gt;"'
    )
    assert "0.6226" not in out.read_text() and "0.85198" not in out.read_text()


def test_moodle_takes_the_email_where_the_roster_has_no_id_numbers(tmp_path) -> None:
    """A participants export whose usernames are the student ids and whose ID numbers are empty."""
    roster = (
        "username,firstname,lastname,email,idnumber\n"
        "pb21000001,San,Zhang,zhangsan@mail.ustc.edu.cn,\n"
        "pb21000002,Si,Li,lisi@mail.ustc.edu.cn,\n"
        "pb21000003,Liu,Liu,liuliu@mail.ustc.edu.cn,\n"
    )
    out = tmp_path / "moodle.csv"
    code, _, stderr = export(tmp_path, "--to", "moodle", "-o", str(out), "--allow-missing", roster=roster)
    assert (code, stderr) == (0, MISSING.splitlines(keepends=True)[0] + f"wrote {out}\n")
    text = out.read_bytes().decode()
    assert [line.split(",")[:2] for line in text.splitlines()] == [
        ["Email address", "Homework"],
        ["zhangsan@mail.ustc.edu.cn", "2.5"],
        ["lisi@mail.ustc.edu.cn", "4"],
        ["liuliu@mail.ustc.edu.cn", "0.8889"],
    ]
    users = [{"id": n, "email": e} for n, e in enumerate(("zhangsan", "lisi", "liuliu"))]
    users = [{"id": u["id"], "email": f"{u['email']}@mail.ustc.edu.cn"} for u in users]
    imported = moodle_import(text, users, "Email address", "email", "Homework", "Feedback")
    assert {user: grade for user, (grade, _) in imported.items()} == {0: 2.5, 1: 4.0, 2: 0.8889}


def test_blackboard_with_its_roster(tmp_path) -> None:
    out = tmp_path / "bb.csv"
    code, _, stderr = export(
        tmp_path, "--to", "blackboard", "--column", "Homework 3", "-o", str(out), "--allow-missing",
        roster=BLACKBOARD_ROSTER,
    )  # fmt: skip
    assert code == 0
    assert stderr == (
        MISSING + "no submission: Wang Wu (Username PB21000009)\n"
        "note: 'Homework 3' is worth 35 points in Blackboard, these grades are out of 4\n"
        f"wrote {out}\n"
    )
    text = out.read_bytes().decode()
    assert text == (
        '"Last Name","First Name","Username","Homework 3 [Total Pts: 4 Score] |20431"\r\n'
        '"Zhang","San","PB21000001","2.5"\r\n'
        '"Li","Si","PB21000002","4"\r\n'
    )
    uploaded = blackboard_upload(text, {"PB21000001", "PB21000002", "PB21000009"}, {"20431": "Homework 3"})
    assert uploaded == {"PB21000001": {"Homework 3": "2.5"}, "PB21000002": {"Homework 3": "4"}}


def test_blackboard_without_a_roster_makes_a_new_column(tmp_path) -> None:
    out = tmp_path / "bb.csv"
    code, _, stderr = export(tmp_path, "--to", "blackboard", "-o", str(out), "--allow-missing")
    assert code == 0 and "note: Blackboard makes a new column 'Homework'" in stderr
    uploaded = blackboard_upload(out.read_text(), {"PB21000001", "pb21000002"}, {})
    assert uploaded == {"PB21000001": {"new: Homework": "2.5"}, "pb21000002": {"new: Homework": "4"}}


def test_gradescope_with_its_roster(tmp_path) -> None:
    out = tmp_path / "gradescope"
    code, _, stderr = export(
        tmp_path, "--to", "gradescope", "-o", str(out), "--allow-missing", "--hide-expected", roster=GRADESCOPE_ROSTER
    )
    assert code == 0
    # the instructor is no student: not listed as missing
    assert stderr == MISSING + f"no submission: Wu Wang (SID PB21000009, Email wangwu@mail.ustc.edu.cn)\nwrote {out}\n"
    folders = sorted(p.name for p in out.iterdir())
    assert folders == ["PB21000001", "PB21000002"]  # the roster's SIDs
    results = json.loads((out / "PB21000001" / "results.json").read_text())
    assert results["extra_data"] == {
        "student": "PB21000001",
        "file": "in/PB21000001.yaml",
        "email": "zhangsan@mail.ustc.edu.cn",
    }
    assert gradescope_results(results) == 2.5
    assert results["visibility"] == "after_published"
    assert results["tests"] == [
        {
            "name": "relu-network-update: output_before",
            "number": "1.1",
            "score": 1,
            "max_score": 1,
            "status": "passed",
            "output": "**correct**",
            "output_format": "md",
            "tags": [],
        },
        {
            "name": "relu-network-update: params_after",
            "number": "1.2",
            "score": 1.5,
            "max_score": 3,
            "status": "failed",
            "output": "**partial**: The update moved along the gradient instead of against it: w - eta\\*g, not w + "
            "eta\\*g. (6 of 6 entries wrong, counting from 1: W1\\[1,1\\] and 5 more)",
            "output_format": "md",
            "tags": ["sign_flipped"],
        },
    ]
    assert gradescope_results(json.loads((out / "PB21000002" / "results.json").read_text())) == 4


def test_gradescope_without_a_roster_names_folders_by_student_id(tmp_path) -> None:
    out = tmp_path / "gs"
    code, _, _ = export(tmp_path, "--to", "gradescope", "-o", str(out), "--visibility", "visible", "--allow-missing")
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["PB21000001", "PB21000003", "pb21000002"]
    results = json.loads((out / "PB21000003" / "results.json").read_text())
    assert (gradescope_results(results), results["visibility"]) == (0.8889, "visible")
    assert results["tests"][1]["output"] == "**partial**: 1 of 6 entries wrong: W2\\[1,2\\] (expected 0.85198) \\<b\\>"
