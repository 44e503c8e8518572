"""Assignment files: the problems in the course's order, their numbering, points and grading overrides, and every
way such a file can be wrong (one message naming file, line and key)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.errors import SpecError
from hwsolver.spec.problems import load_problems
from hwsolver.spec.sets import load_set

ROOT = Path(__file__).resolve().parents[2]
HOMEWORK_ORDER = [
    ("1", "relu-network-update"),
    ("2a", "sigmoid-derivatives"),
    ("2b", "log-softmax-gradient"),
    ("3", "mlp-op-count"),
    ("4", "conv-backprop"),
    ("5a", "pooling-backprop"),
    ("5b", "average-pooling-backprop"),
]
SMALL = """\
id: week-3
title: {zh: 第三周, en: Week 3}
salt: s3
due: 2024-10-15
problems:
  - {problem: relu-network-update, points: 5}
  - exercise:
      - {problem: pooling-backprop, grading: {sigfigs: 4, mistake_credit: {max_to_all: 0}}}
      - average-pooling-backprop
"""


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_the_builtin_homework_is_in_the_course_order_with_its_numbering() -> None:
    homework = load_set()
    assert [(e.number, e.problem.id) for e in homework.entries] == HOMEWORK_ORDER
    assert homework.id == "nn-optimization-homework" and homework.salt
    # its points are each problem's own: grading the homework gives the scores it always gave
    builtin = {p.id: p for p in load_problems()}
    for entry in homework.entries:
        assert entry.problem == builtin[entry.problem.id]


def test_points_scale_each_part_exactly_and_grading_overrides_the_problem(write_yaml) -> None:
    write_yaml(SMALL, "week.yaml")
    week = load_set(["week.yaml"])
    assert (week.id, week.title["en"], week.salt, week.due) == ("week-3", "Week 3", "s3", "2024-10-15")
    assert [(e.number, e.problem.id) for e in week.entries] == [
        ("1", "relu-network-update"),
        ("2a", "pooling-backprop"),
        ("2b", "average-pooling-backprop"),
    ]
    relu = week.entries[0].problem
    assert relu.max_score == 5
    assert [part.points for part in relu.parts] == [Fraction(n, 2) for n in (1, 1, 2, 3, 1, 1, 1)]
    pooling = week.entries[1].problem
    assert pooling.options["sigfigs"] == 4 and pooling.options["mistake_credit"] == {"max_to_all": 0}


def test_an_assignment_orders_solve_grade_and_handout(write_yaml) -> None:
    write_yaml(SMALL, "week.yaml")
    code, output = invoke("solve", "week.yaml", "--format", "json")
    assert code == 0, output
    assert [p["id"] for p in json.loads(output)["problems"]] == [
        "relu-network-update",
        "pooling-backprop",
        "average-pooling-backprop",
    ]
    Path("s.yaml").write_text("student: s1\nanswers:\n  relu-network-update:\n    output_before: 0.274\n")
    code, output = invoke("grade", "s.yaml", "--problems", "week.yaml", "--format", "json", "--jobs", "1")
    assert code == 0, output
    (submission,) = json.loads(output)["submissions"]
    assert submission["max_score"] == 12 and submission["score"] == 0.5
    Path("grades.json").write_text(output, encoding="utf-8")
    code, report = invoke("report", "grades.json", "--problems", "week.yaml", "--format", "json")
    assert code == 0, report
    assert submission["problems"][0]["id"] == "relu-network-update"
    code, output = invoke("handout", "week.yaml", "--format", "md", "--lang", "en")
    assert code == 0, output
    contents = [line for line in output.splitlines() if line.startswith("- **")]
    assert [line.split("]")[0] for line in contents] == [
        "- **1.** [One backpropagation update of a small ReLU network",
        "- **2a.** [Backpropagation through max pooling",
        "- **2b.** [Backpropagation through average pooling",
    ]
    assert "## 2b. Backpropagation through average pooling {#average-pooling-backprop}" in output


def test_problem_files_are_numbered_in_order_and_a_folder_leaves_its_assignments_out(write_yaml) -> None:
    write_yaml(SMALL, "week.yaml")
    for name in ("pooling-backprop", "relu-network-update"):
        write_yaml((ROOT / "problems" / f"{name}.yaml").read_text(encoding="utf-8"), f"{name}.yaml")
    folder = load_set(["."])
    assert [(e.number, e.problem.id) for e in folder.entries] == [
        ("1", "pooling-backprop"),
        ("2", "relu-network-update"),
    ]
    assert folder.id is None
    # a path in an assignment is relative to it, and wins over a built-in problem of the same id
    Path("sub").mkdir()
    write_yaml(SMALL.replace("relu-network-update, points: 5", "../relu-network-update.yaml"), "sub/week.yaml")
    assert load_set(["sub/week.yaml"]).entries[0].problem.source == "relu-network-update.yaml"


BAD = [
    (SMALL.replace("id: week-3", "id: Week 3"), "week.yaml:1:5: id: id 'Week 3' must be kebab-case"),
    (SMALL.replace("salt: s3\n", "salt: s3\nsalts: s4\n"), "week.yaml:4:8: salts: unknown key 'salts'; did you mean"),
    (
        SMALL.replace("problem: relu-network-update", "problem: relu-network"),
        "week.yaml:6:15: problems[0].problem: no problem with id 'relu-network' beside this file or among the built-in",
    ),
    (SMALL.replace("points: 5", "points: -1"), "week.yaml:6:44: problems[0].points: points must not be negative"),
    (SMALL.replace("points: 5", "pionts: 5"), "week.yaml:6:44: problems[0].pionts: unknown key 'pionts'"),
    (
        SMALL.replace("sigfigs: 4", "sigfigs: 40"),
        "week.yaml:8:56: problems[1].exercise[0].grading.sigfigs: expected a whole number of significant figures",
    ),
    (
        SMALL.replace("max_to_all", "max_to_everyone"),
        "week.yaml:8:93: problems[1].exercise[0].grading.mistake_credit.max_to_everyone: unknown mistake",
    ),
    (
        SMALL.replace("      - average-pooling-backprop\n", ""),
        "week.yaml:8:7: problems[1].exercise: an exercise lists 2 or more problems",
    ),
    (
        SMALL.replace("average-pooling-backprop", "pooling-backprop"),
        "week.yaml: problem 'pooling-backprop' is listed twice (2a and 2b)",
    ),
    (
        SMALL.replace("problem: relu-network-update", "problem: nothere.yaml"),
        "week.yaml:6:15: problems[0].problem: no problem file nothere.yaml",
    ),
    (
        SMALL.replace("problems:\n", "problems: []\n").split("  - {")[0],
        "week.yaml:5:11: problems: expected at least one problem",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_every_mistake_in_an_assignment_names_where(write_yaml, text: str, message: str) -> None:
    write_yaml(text, "week.yaml")
    with pytest.raises(SpecError) as error:
        load_set(["week.yaml"])
    assert str(error.value).startswith(message)


def test_an_assignment_is_given_alone(write_yaml) -> None:
    write_yaml(SMALL, "week.yaml")
    with pytest.raises(SpecError, match=r"week\.yaml: an assignment is given alone"):
        load_set(["week.yaml", str(ROOT / "problems" / "pooling-backprop.yaml")])
