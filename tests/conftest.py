"""Shared test helpers."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.grading.results import PartResult
from hwsolver.kinds import KINDS
from hwsolver.model import Solution
from hwsolver.solving import solve
from hwsolver.spec.problems import example_problem

ROOT = Path(__file__).resolve().parent.parent

# Property tests draw the same examples on every run (a CI run never meets a case no run here has met; a failing
# case found by exploring is added as an explicit example) and have no per-example deadline (a loaded machine is
# not a failure). HYPOTHESIS_PROFILE=explore draws new examples.
settings.register_profile("repeatable", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def write_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write text to a .yaml file in a temporary working folder and return its relative path."""
    monkeypatch.chdir(tmp_path)

    def write(text: str, name: str = "problem.yaml") -> Path:
        Path(name).write_text(text, encoding="utf-8")
        return Path(name)

    return write


@pytest.fixture
def grade_answers(tmp_path: Path) -> Callable[[list[PreparedProblem], Mapping[str, Any]], dict[str, PartResult]]:
    """Grade one submission answering parts of the first prepared problem (part id -> what the student writes):
    the results of the parts answered, by id."""

    def grade(prepared: list[PreparedProblem], answers: Mapping[str, Any]) -> dict[str, PartResult]:
        problem_id = prepared[0].problem.id
        path = tmp_path / "student.yaml"
        path.write_text(yaml.safe_dump({"student": "s1", "answers": {problem_id: dict(answers)}}), encoding="utf-8")
        result = grade_file(str(path), prepared)
        assert result.error is None, result.error
        (problem,) = [p for p in result.problems if p.id == problem_id]
        return {part.id: part for part in problem.parts if part.verdict != "missing"}

    return grade


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ from the current output instead of comparing.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are being regenerated (pytest --update-golden)."""
    return bool(request.config.getoption("--update-golden"))


@functools.cache
def _example_solution(kind: str, seed: int) -> Solution:
    # a kind without the hook: example_problem's error says what to write where
    return solve(example_problem(KINDS[kind], seed))  # solve runs the kind's witness on it


@pytest.fixture(scope="session")
def example_solution() -> Callable[[str, int], Solution]:
    """The solution of the problem a kind's example(seed) makes (kinds/base.py: Kind.example), each solved once a
    session; solving it ran the kind's witness."""
    return _example_solution
