"""`hwsolver mine` on a class with planted shared slips (planted_class.py): every planted group found with its
students, the explained ones explained as planted, nothing invented; the unexplained ones as a `mistakes:` block
that, pasted into the problem files, names them when the class is graded again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
from planted_class import GROUPS, write_class

from hwsolver.cli import cli

FEEDBACK = "This wrong answer is a common one: compare your work with the worked solution step by step."
# What is planted, as (problem, part, students) -> what explains it (None: nothing; the block's mistake)
PLANTED = {
    ("sigmoid-derivatives", "d1", "double"): "the right answer times 2",
    ("sigmoid-derivatives", "d2", "plus"): None,
    ("sigmoid-step", "output_before", "hidden"): None,
    ("sigmoid-step", "loss_before", "factor"): "the right answer times 2, or divided by learning_rate (0.5)",
    ("sigmoid-step", "gradients", "sign"): "W2 (the rest right) with its sign flipped",
    ("sigmoid-step", "params_after", "pair"): "the mistakes sign_flipped and missing_half made together",
    ("sigmoid-step", "params_after", "entry"): "one entry wrong, at W1[2,1] (the rest right)",
    ("sigmoid-step", "output_after", "hidden"): None,
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout if result.exit_code == 0 else result.output


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Path, list[Path], Path]:
    """The class written and graded once: (submissions, problem files, grades.json)."""
    folder = tmp_path_factory.mktemp("class")
    submissions, problems = write_class(folder)
    grades = folder / "grades.json"
    code, output = run("grade", str(submissions), *(f"--problems={p}" for p in problems), "--format=json", "--jobs=1")
    assert code == 0, output
    grades.write_text(output, encoding="utf-8")
    return submissions, problems, grades


def mined(grades: Path, problems: list[Path], *options: str) -> dict:
    code, output = run("mine", str(grades), *(f"--problems={p}" for p in problems), "--format=json", *options)
    assert code == 0, output
    return json.loads(output)


def test_planted_groups_found_explained_and_nothing_invented(graded) -> None:
    _, problems, grades = graded
    document = mined(grades, problems)
    found = {(g["problem"], g["part"], tuple(g["students"])): g for g in document["groups"]}
    planted = {(problem, part, tuple(GROUPS[name])): why for (problem, part, name), why in PLANTED.items()}
    assert set(found) == set(planted)
    for key, why in planted.items():
        texts = [e["text"] for e in found[key]["explanations"]]
        assert texts == ([why] if why else []), key
        assert (found[key]["mistake"] is None) == (why is not None), key
    pair = found[("sigmoid-step", "params_after", tuple(GROUPS["pair"]))]["explanations"][0]
    assert (pair["how"], pair["mistakes"]) == ("pair", ["sign_flipped", "missing_half"])
    # the same students' shared answers to two parts are one mistake
    hidden = {
        found[("sigmoid-step", part, tuple(GROUPS["hidden"]))]["mistake"] for part in ("output_before", "output_after")
    }
    assert hidden == {"output_before_shared"}
    assert found[("sigmoid-derivatives", "d2", tuple(GROUPS["plus"]))]["spellings"] == 3
    assert (document["submissions"], document["not_kept"], document["unreadable"]) == (44, 0, 0)


def test_fewer_students_and_the_pair_below(graded) -> None:
    """With --min-students 2 the answer two students share shows too; the one-off answers never do."""
    _, problems, grades = graded
    groups = mined(grades, problems, "--min-students=2")["groups"]
    sizes = {(g["problem"], g["part"], tuple(g["students"])) for g in groups}
    assert ("sigmoid-step", "output_after", tuple(GROUPS["below"])) in sizes
    assert not any(student in GROUPS["noise"] for g in groups for student in g["students"])
    assert len(groups) == len(PLANTED) + 1


def test_the_block_pasted_names_them(graded, tmp_path) -> None:
    """The `mistakes:` blocks, pasted as they are, are valid, and the class graded again names the unexplained
    groups with their ids on every part they answer (and nothing else changes name)."""
    submissions, problems, grades = graded
    code, blocks = run("mine", str(grades), *(f"--problems={p}" for p in problems), "--format=yaml")
    assert code == 0, blocks
    documents = {text.splitlines()[0].split()[1]: text for text in blocks.split("---\n")}
    assert sorted(documents) == ["sigmoid-derivatives", "sigmoid-step"]
    assert yaml.safe_load(documents["sigmoid-step"]) == {
        "mistakes": [
            {
                "id": "output_before_shared",
                "answers": {"output_before": [0.718], "output_after": [0.7404]},
                "feedback": {"en": FEEDBACK, "zh": "这是一个常见的错误答案：请逐步对照参考解答检查你的过程。"},
                "credit": 0,
            }
        ]
    }
    pasted = tmp_path / "problems"
    pasted.mkdir()
    for path in problems:
        problem_id = path.stem
        (pasted / path.name).write_text(path.read_text(encoding="utf-8") + documents[problem_id], encoding="utf-8")
    code, output = run("grade", str(submissions), f"--problems={pasted}", "--format=json", "--jobs=1")
    assert code == 0, output
    named = {}
    for submission in json.loads(output)["submissions"]:
        for problem in submission["problems"]:
            for part in problem["parts"]:
                if part["mistake"] in ("output_before_shared", "d2_shared"):
                    named.setdefault((part["mistake"], part["id"]), set()).add(submission["student"])
                    assert part["feedback"].startswith(FEEDBACK) and part["score"] == 0
    assert named == {
        ("output_before_shared", "output_before"): set(GROUPS["hidden"]),
        ("output_before_shared", "output_after"): set(GROUPS["hidden"]),
        ("d2_shared", "d2"): set(GROUPS["plus"]),
    }
    (grades_again := tmp_path / "again.json").write_text(output, encoding="utf-8")
    again = mined(grades_again, [pasted])
    assert {(g["problem"], g["part"]) for g in again["groups"]} == {
        (problem, part) for (problem, part, _), why in PLANTED.items() if why
    }


def test_text_report(graded) -> None:
    _, problems, grades = graded
    code, text = run("mine", str(grades), *(f"--problems={p}" for p in problems))
    assert code == 0, text
    lines = text.splitlines()
    assert lines[0] == "Wrong answers shared by 3 or more of 44 students that the grader explained with no mistake:"
    at = lines.index(
        "sigmoid-step.params_after: 4 students: {W1: [[0.5982, 0.1973], [0.09715, 0.6957]], W2: [[0.4606, 0.7598]]}"
    )
    assert lines[at + 1 : at + 3] == [
        "  students: s06, s07, s08, s09",
        "  explained: the mistakes sign_flipped and missing_half made together",
    ]
    at = lines.index(
        "sigmoid-derivatives.d2: 3 students: sigmoid(x)*(1-sigmoid(x))*(1+2*sigmoid(x)) (3 ways of writing it)"
    )
    assert lines[at + 1 : at + 3] == [
        "  students: s20, s21, s22",
        "  explained by nothing tried: mistake d2_shared below",
    ]
    assert "mistakes:" in lines and "  - id: d2_shared  # 3 students" in lines


def test_grades_without_answers_and_edited_answers(graded, tmp_path) -> None:
    """A run graded before answers were kept says so; an answer edited into something that no longer reads is
    counted, never run."""
    _, problems, grades = graded
    document = json.loads(grades.read_text(encoding="utf-8"))
    for submission in document["submissions"]:
        for problem in submission["problems"]:
            for part in problem["parts"]:
                del part["answer"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(document), encoding="utf-8")
    code, output = run("mine", str(old), *(f"--problems={p}" for p in problems))
    assert (code, output) == (
        1,
        f"Error: {old}: the parts hold no `answer` (graded by an older hwsolver): grade the class again\n",
    )
    document = json.loads(grades.read_text(encoding="utf-8"))
    hostile = ["__import__('os').system('ls')", "[[1, 2]", "9**9**9**9", "{W1: !!python/object:os.system ls}"]
    edited = 0
    for submission in document["submissions"]:
        for problem in submission["problems"]:
            for part in problem["parts"]:
                if part["verdict"] == "incorrect" and part["mistake"] is None and not part["follow_through"]:
                    part["answer"] = hostile[edited % len(hostile)]
                    edited += 1
    changed = tmp_path / "edited.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    result = mined(changed, problems)
    assert result["unreadable"] == edited > 20
    # what is left: the answers with partial credit (one entry wrong, one parameter's sign)
    assert {tuple(g["students"]) for g in result["groups"]} == {tuple(GROUPS["entry"]), tuple(GROUPS["sign"])}


def test_problems_must_be_those_graded(graded, tmp_path) -> None:
    _, problems, grades = graded
    code, output = run("mine", str(grades), f"--problems={problems[0]}")
    assert code == 1
    assert output == (
        f"Error: {grades}: problem 'sigmoid-derivatives' is not among {problems[0]}: give the --problems the "
        "grading used\n"
    )
