"""The registry drives everything: every kind has an example problem, a text template, tests and hooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsolver.kinds import KINDS
from hwsolver.resources import data_dir
from hwsolver.spec.problems import load_problems

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_an_example_problem(kind: str) -> None:
    assert any(p.kind == kind for p in load_problems()), f"add a problem of kind {kind} to problems/"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_a_text_template(kind: str) -> None:
    assert (data_dir("templates") / "kinds" / kind / "text.txt.j2").is_file()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_has_its_own_tests(kind: str) -> None:
    assert sorted((ROOT / "tests" / "kinds" / kind).glob("test_*.py")), f"add tests/kinds/{kind}/test_{kind}.py"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_names_classic_mistakes(kind: str) -> None:
    assert KINDS[kind].description
    assert KINDS[kind].mistakes, f"{kind} gives the grader no mistakes to name"


def test_every_problem_solves_and_answers_every_part_it_asks() -> None:
    from hwsolver.solving import solve

    for problem in load_problems():
        answers = solve(problem).answers
        assert all(part.id in answers for part in problem.parts), problem.id
