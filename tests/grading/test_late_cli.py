"""The late rule through `hwsolver grade --problems ASSIGNMENT`: the text, feedback, gradebook and JSON say the raw
score, the days late and the deduction, and what reads the JSON back (report, export) takes the final score."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.report.grades import read_grades

ASSIGNMENT = """\
id: week-5
title: {zh: 第五周, en: Week 5}
due: 2024-10-15
timezone: Asia/Shanghai
late: {per_day: 10%, max_days: 5, grace_minutes: 15}
problems:
  - {problem: sigmoid-derivatives, points: 10}
"""
RIGHT = "{d1: sigmoid(x)*(1 - sigmoid(x)), d2: sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))}"
HALF = "{d1: sigmoid(x)*(1 - sigmoid(x)), d2: 0}"
STUDENTS = {  # student: (submitted, answers); the due moment is 2024-10-16T00:00+08:00
    "PB1": ("2024-10-15T23:59:00+08:00", RIGHT),  # on time
    "PB2": ("2024-10-16 00:10", RIGHT),  # within the grace, in Shanghai time
    "PB3": ("2024-10-16T16:01:00Z", RIGHT),  # a day and a minute: 2 days, 20% of 10 points
    "PB4": ("'2024-10-17T00:00:00+08:00'", HALF),  # 1 day: 5 - 1
    "PB5": ("2024-10-30T00:00:00+08:00", RIGHT),  # past max_days: 0
    "PB6": (None, RIGHT),  # no recorded time: never late
    "PB7": ("10000-01-01T00:00:00Z", RIGHT),  # hostile: this file alone is not graded
}


def setup(folder: Path) -> tuple[Path, Path]:
    (folder / "week.yaml").write_text(ASSIGNMENT, encoding="utf-8")
    subs = folder / "subs"
    subs.mkdir()
    for student, (when, answers) in STUDENTS.items():
        stamp = f"submitted: {when}\n" if when else ""
        text = f"student: {student}\n{stamp}answers:\n  sigmoid-derivatives: {answers}\n"
        (subs / f"{student}.yaml").write_text(text, encoding="utf-8")
    return folder / "week.yaml", subs


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_each_submission_shows_its_raw_score_days_late_and_deduction(tmp_path) -> None:
    week, subs = setup(tmp_path)
    document = json.loads(run("grade", str(subs), "--problems", str(week), "--format", "json", "--jobs", "1"))
    rows = {Path(s["file"]).stem: s for s in document["submissions"]}
    got = {k: (s["score"], s["raw_score"], s["days_late"], s["late_deduction"]) for k, s in rows.items() if k != "PB7"}
    assert got == {
        "PB1": (10, 10, 0, 0),
        "PB2": (10, 10, 0, 0),
        "PB3": (8, 10, 2, 2),
        "PB4": (4, 5, 1, 1),
        "PB5": (0, 10, 14, 10),
        "PB6": (10, 10, 0, 0),
    }
    assert rows["PB2"]["submitted"] == "2024-10-16T00:10:00+08:00"  # placed in the assignment's timezone
    assert rows["PB6"]["submitted"] is None
    result = CliRunner().invoke(cli, ["grade", str(subs), "--problems", str(week)])
    assert "warning: 1 graded file has no submitted: time: not checked for lateness" in result.stderr
    assert rows["PB7"]["error"].endswith(
        "submitted: expected a date and time such as 2024-10-15T23:59:00+08:00, got '10000-01-01T00:00:00Z'"
    )


def test_the_text_feedback_and_gradebook_say_it_in_both_languages(tmp_path) -> None:
    week, subs = setup(tmp_path)
    book, feedback = tmp_path / "book.csv", tmp_path / "feedback"
    text = run(
        "grade", str(subs / "PB3.yaml"), str(subs / "PB1.yaml"), "--problems", str(week), "--jobs", "1",
        "--gradebook", str(book), "--feedback", str(feedback),
    )  # fmt: skip
    assert "PB3: 8/10" in text
    assert "submitted 2024-10-16 16:01:00+00:00, 2 days late: raw score 10, 2 points deducted" in text
    assert "提交于 2024-10-16 16:01:00+00:00，迟交 2 天：原始分 10，扣 2 分" in text
    assert "submitted 2024-10-15 23:59:00+08:00, on time" in text and "按时" in text
    page = (feedback / "PB3.md").read_text(encoding="utf-8")
    assert "**Score: 8 / 10**" in page and "2 days late" in page and "迟交 2 天" in page
    rows = list(csv.DictReader(book.open(encoding="utf-8")))
    assert [(r["student"], r["total"], r["raw_total"], r["days_late"], r["late_deduction"]) for r in rows] == [
        ("PB3", "8", "10", "2", "2"),
        ("PB1", "10", "10", "0", "0"),
    ]


def test_exports_and_reports_read_the_final_score(tmp_path) -> None:
    week, subs = setup(tmp_path)
    grades = tmp_path / "grades.json"
    grades.write_text(run("grade", str(subs), "--problems", str(week), "--format", "json", "--jobs", "1"))
    assert {g.student: g.score for g in read_grades(grades) if g.student} == {
        "PB1": 10, "PB2": 10, "PB3": 8, "PB4": 4, "PB5": 0, "PB6": 10,
    }  # fmt: skip
    out = tmp_path / "plain.csv"
    CliRunner().invoke(cli, ["export", str(grades), "--to", "csv", "-o", str(out), "--allow-missing"])
    plain = {row["student"]: row["Homework"] for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert (plain["PB3"], plain["PB4"], plain["PB5"]) == ("8", "4", "0")
    folder = tmp_path / "gradescope"
    CliRunner().invoke(cli, ["export", str(grades), "--to", "gradescope", "-o", str(folder), "--allow-missing"])
    scores = {p.parent.name: json.loads(p.read_text())["score"] for p in folder.glob("*/results.json")}
    assert scores["PB3"] == 8 and scores["PB5"] == 0
    assert "# " in run("report", str(grades), "--format", "md")  # the class report reads the new fields too


def test_without_a_due_date_the_recorded_time_changes_nothing(tmp_path, monkeypatch) -> None:
    _, subs = setup(tmp_path)
    monkeypatch.chdir(tmp_path)
    kept = [line for line in ASSIGNMENT.splitlines(keepends=True) if not line.startswith(("due:", "late:"))]
    (tmp_path / "open.yaml").write_text("".join(kept), encoding="utf-8")
    document = json.loads(run("grade", str(subs / "PB5.yaml"), "--problems", "open.yaml", "--format", "json"))
    (row,) = document["submissions"]
    assert (row["score"], row["days_late"], row["submitted"]) == (10, 0, "2024-10-30T00:00:00+08:00")


def test_a_bad_late_rule_stops_grading_with_its_place(tmp_path) -> None:
    week, subs = setup(tmp_path)
    week.write_text(ASSIGNMENT.replace("10%", "ten percent"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", str(subs), "--problems", str(week)])
    assert result.exit_code == 1
    assert f"{week}:5:17: late.per_day: expected a percentage from 0% to 100%" in result.output
