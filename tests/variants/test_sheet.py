"""`hwsolver sheet`: each student's own numbers and no answers, and a submission template that grades as all
missing when returned blank (and full marks when filled in right)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.spec.sets import load_set
from hwsolver.variants.assign import student_problems
from hwsolver.variants.lock import read_lock
from hwsolver.variants.rules import written
from tests.variants.oracles import relu_network, student_answers, values

STUDENTS = ["PB21000101", "00123", "a: b"]  # the second and third need quoting in YAML


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sheets")
    roster = folder / "roster.csv"
    roster.write_text("student\n" + "\n".join(f'"{s}"' for s in STUDENTS) + "\n", encoding="utf-8")
    assert invoke("assign", "--roster", str(roster), "-o", str(folder / "lock.yaml"))[0] == 0
    for fmt, lang in (("md", "en"), ("md", "zh"), ("html", "zh"), ("tex", "en")):
        code, output = invoke(
            "sheet",
            "--lock",
            str(folder / "lock.yaml"),
            "-o",
            str(folder / f"{fmt}-{lang}"),
            "--format",
            fmt,
            "--lang",
            lang,
        )
        assert code == 0, output
    return folder


def test_a_sheet_shows_the_students_own_numbers_and_no_answers(sheets: Path) -> None:
    lock = read_lock(sheets / "lock.yaml")
    given = values(lock.students["PB21000101"]["relu-network-update"])
    text = (sheets / "md-en" / "PB21000101.md").read_text(encoding="utf-8")
    w1 = given["weights"]["W1"]
    assert f"Hidden unit 1 weighs $x_1$ and $x_2$ by {written(w1[0][0])} and {written(w1[0][1])}" in text
    assert f"$x = ({written(given['x'][0])}, {written(given['x'][1])})$" in text
    assert "**Student**: PB21000101" in text and "`PB21000101.yaml`" in text
    answers = relu_network(given)
    assert f"{answers['loss_before']:.6g}" not in text  # no answer on the sheet
    zh = (sheets / "md-zh" / "PB21000101.md").read_text(encoding="utf-8")
    assert f"隐藏单元 1 从 $x_1$、$x_2$ 接收的权重分别是 {written(w1[0][0])} 和 {written(w1[0][1])}" in zh
    for problem, number in zip(
        student_problems(load_set(), "PB21000101", lock), ("1", "2a", "2b", "3", "4", "5a", "5b")
    ):
        assert f"## {number}. {problem.title['en']} {{#{problem.id}}}" in text
        assert problem.statement["en"].strip() in text


def test_every_format_renders(sheets: Path) -> None:
    html = (sheets / "html-zh" / "PB21000101.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<math" in html and "<script" not in html
    tex = (sheets / "tex-en" / "PB21000101.tex").read_text(encoding="utf-8")
    assert tex.startswith("\\documentclass") and "\\end{document}" in tex


def test_the_template_returned_blank_grades_as_all_missing(sheets: Path) -> None:
    folder = sheets / "md-en"
    templates = sorted(folder.glob("*.yaml"))
    assert len(templates) == len(STUDENTS)
    code, output = invoke("grade", str(folder), "--lock", str(sheets / "lock.yaml"), "--format", "json", "--jobs", "1")
    assert code == 0, output
    rows = json.loads(output)["submissions"]
    assert sorted(row["student"] for row in rows) == sorted(STUDENTS)
    for row in rows:
        assert row["error"] is None and row["warnings"] == []
        verdicts = {part["verdict"] for problem in row["problems"] for part in problem["parts"]}
        assert verdicts == {"missing"}
        assert sum(len(problem["parts"]) for problem in row["problems"]) == 24  # every asked part


def test_the_template_filled_in_right_gets_full_marks(sheets: Path, tmp_path: Path) -> None:
    lock = read_lock(sheets / "lock.yaml")
    for student in STUDENTS:
        name = next(
            p for p in (sheets / "md-zh").glob("*.yaml") if yaml.safe_load(p.read_text("utf-8"))["student"] == student
        )
        filled = yaml.safe_load(name.read_text(encoding="utf-8"))
        for problem, parts in filled["answers"].items():
            right = student_answers(problem, values(lock.students[student][problem]))
            assert set(parts) == set(right)  # the template has exactly the asked parts
            filled["answers"][problem] = right
        (tmp_path / name.name).write_text(yaml.safe_dump(filled, allow_unicode=True), encoding="utf-8")
    code, output = invoke(
        "grade", str(tmp_path), "--lock", str(sheets / "lock.yaml"), "--format", "json", "--jobs", "1"
    )
    assert code == 0, output
    assert [row["score"] for row in json.loads(output)["submissions"]] == [35] * len(STUDENTS)
