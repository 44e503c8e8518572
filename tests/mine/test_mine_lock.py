"""`hwsolver mine --lock`: a class graded against its own variants is mined on the answers to the problem as
written alone (a shared wrong answer is one to the same numbers); without the lock, the varied problem is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hwsolver.cli import cli

ASSIGNMENT = """\
id: derivatives-quiz
title: {en: Derivatives}
salt: quiz-1
problems:
  - sigmoid-derivatives
"""
STUDENTS = [f"S{n:02d}" for n in range(1, 13)]
WRONG = "2σ(x)(1 - σ(x))"  # d1 doubled, on the sigmoid as written; on softplus, whose d1 is σ(x), just wrong


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def locked_class(tmp_path_factory) -> tuple[Path, Path, Path, set[str]]:
    """Every student writes WRONG for d1 (and the sigmoid's d2); graded with the lock: (assignment, lock, grades,
    the students whose variant is the sigmoid as written)."""
    folder = tmp_path_factory.mktemp("locked")
    assignment, lock, roster = folder / "quiz.yaml", folder / "lock.yaml", folder / "roster.csv"
    assignment.write_text(ASSIGNMENT, encoding="utf-8")
    roster.write_text("student\n" + "\n".join(STUDENTS) + "\n", encoding="utf-8")
    run("assign", str(assignment), "--roster", str(roster), "-o", str(lock))
    variants = yaml.safe_load(lock.read_text(encoding="utf-8"))["students"]
    written = {s for s in STUDENTS if variants[s]["sigmoid-derivatives"]["given"]["function"] == "1/(1 + exp(-x))"}
    assert 3 <= len(written) <= len(STUDENTS) - 3  # both variants drawn (the draws are fixed by the salt)
    submissions = folder / "submissions"
    submissions.mkdir()
    for student in STUDENTS:
        answers = {"sigmoid-derivatives": {"d1": WRONG, "d2": "σ(x)(1 - σ(x))(1 - 2σ(x))"}}
        text = yaml.safe_dump({"student": student, "answers": answers}, allow_unicode=True)
        (submissions / f"{student}.yaml").write_text(text, encoding="utf-8")
    grades = folder / "grades.json"
    grades.write_text(
        run("grade", str(submissions), f"--problems={assignment}", f"--lock={lock}", "--format=json", "--jobs=1"),
        encoding="utf-8",
    )
    return assignment, lock, grades, written


def test_with_the_lock_only_answers_to_the_problem_as_written(locked_class) -> None:
    assignment, lock, grades, written = locked_class
    document = json.loads(run("mine", str(grades), f"--problems={assignment}", f"--lock={lock}", "--format=json"))
    (group,) = document["groups"]
    assert (group["part"], set(group["students"])) == ("d1", written)
    assert [e["text"] for e in group["explanations"]] == ["the right answer times 2"]
    # the others' d1, and the d2 that is right for the sigmoid but wrong for softplus
    assert document["other_variants"] == 2 * (len(STUDENTS) - len(written))
    assert document["varied"] == []


def test_without_the_lock_the_varied_problem_is_named(locked_class) -> None:
    assignment, _, grades, written = locked_class
    # the lock the grading recorded is found without --lock
    recorded = json.loads(run("mine", str(grades), f"--problems={assignment}", "--format=json"))
    assert [set(g["students"]) for g in recorded["groups"]] == [written]
    document = json.loads(grades.read_text(encoding="utf-8"))
    assert document.pop("lock")  # as a run graded without it, or before runs recorded it
    unlocked = grades.with_name("unlocked.json")
    unlocked.write_text(json.dumps(document), encoding="utf-8")
    text = run("mine", str(unlocked), f"--problems={assignment}")
    assert (
        "sigmoid-derivatives varies per student (vary:): mined as graded against the problem as written; a class "
        "graded with a lock is mined with it (--lock)."
    ) in text.splitlines()
