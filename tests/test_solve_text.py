"""`hwsolver solve` shows each answer the solver computed, value by value, where that part is shown.

For each part, its answer is replaced by stand-ins (distinct numbers of the same type, counting up in the
answer's own order, and formulas of a made-up name; yes/no flipped) and the text rendered again: every stand-in
must appear, those on one line in the answer's order (a vector left to right, a matrix row by row), and putting
the solver's own values back in their places must give the text exactly (up to the spaces that pad columns). A
template that prints another part where this one belongs, leaves out, reverses or recomputes a value, fails.
Driven by the registry: the built-in problems and every kind's random examples (Kind.example)."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from fractions import Fraction
from typing import Any

import mpmath
import pytest

from hwsolver.kinds import KINDS
from hwsolver.model import Solution, Symbolic
from hwsolver.numbers import display, exact_string
from hwsolver.solving import solutions_text, solve_paths
from hwsolver.spec.problems import builtin_dir, load_problems

BUILTIN = [problem.id for problem in load_problems()]
FIRST = 7_300_001  # stand-in numbers count up from here: no problem's text has them


class StandIns:
    """Stand-ins for the leaves of answers: each stand-in's text, with the text of the value it stands for."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.shown: dict[str, str] = {}  # stand-in text -> the original's text

    def replace(self, value: Any) -> Any:
        """The answer with each number and formula replaced by a stand-in of the same type (yes/no kept)."""
        if isinstance(value, bool):
            return value
        if isinstance(value, dict):
            return {key: self.replace(item) for key, item in value.items()}
        if isinstance(value, tuple | list):
            return type(value)(self.replace(item) for item in value)
        number = FIRST + len(self.shown)
        if isinstance(value, Symbolic):
            stand_in = f"StandIn{number}"
            self.shown[stand_in] = value.expr
            return replace(value, expr=stand_in, latex=stand_in)
        if isinstance(value, int | Fraction | float | mpmath.mpf):
            stand_in = type(value)(number)
            self.shown[self.text(stand_in)] = self.text(value)
            return stand_in
        raise TypeError(f"no stand-in for an answer of type {type(value).__name__}")

    def text(self, value: Any) -> str:
        """How the text templates print a number (the `num` filter)."""
        return exact_string(value) if self.exact else display(value)

    def put_back(self, text: str) -> str:
        return re.sub(r"(?<![\w.])(?:StandIn)?\d{7}(?![\d.])", lambda m: self.shown.get(m[0], m[0]), text)


def columns(text: str) -> str:
    """The text with runs of spaces as one: a stand-in longer or shorter than its value shifts padded columns."""
    return re.sub(r" +", " ", text)


def has_yes_no(value: Any) -> bool:
    if isinstance(value, dict):
        return any(map(has_yes_no, value.values()))
    if isinstance(value, tuple | list):
        return any(map(has_yes_no, value))
    return isinstance(value, bool)


def flipped(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: flipped(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return type(value)(flipped(item) for item in value)
    return not value if isinstance(value, bool) else value


def check_text_shows_every_answer(solution: Solution, exact: bool) -> None:
    kind = solution.problem.kind
    template = f"templates/kinds/{kind}/text.txt.j2"
    text = solutions_text([solution], exact=exact)
    assert "StandIn" not in text and not re.search(r"(?<![\w.])73\d{5}(?![\d.])", text), "pick other stand-ins"
    asked = {part.id for part in solution.problem.parts}
    for part, value in solution.answers.items():
        stand_ins = StandIns(exact)
        changed = stand_ins.replace(value)
        if has_yes_no(value):  # a yes/no is shown as it is: the other answer must show otherwise
            other = replace(solution, answers={**solution.answers, part: flipped(value)})
            assert solutions_text([other], exact=exact) != text or part not in asked, (
                f"{template} shows the same text whatever the answer to part '{part}' of {solution.problem.id} is"
            )
        if not stand_ins.shown:
            continue
        shown = solutions_text([replace(solution, answers={**solution.answers, part: changed})], exact=exact)
        missing = [original for stand_in, original in stand_ins.shown.items() if stand_in not in shown]
        if part in asked:
            assert not missing, (
                f"{template} does not show every value of part '{part}' of {solution.problem.id} from `answers` "
                f"(hwsolver solve prints each answer the problem asks): {missing[:5]} never appear"
            )
        elif len(missing) == len(stand_ins.shown):
            continue  # a part not asked, and not shown: fine
        for line in shown.splitlines():
            found = re.findall(r"(?<![\w.])(?:StandIn)?\d{7}(?![\d.])", line)
            order = [int(f.removeprefix("StandIn")) for f in found if f in stand_ins.shown]  # not 1699299/250000
            assert all(a < b for a, b in itertools.pairwise(order)), (
                f"{template} shows the values of part '{part}' of {solution.problem.id} out of their order on the "
                f"line {stand_ins.put_back(line).strip()!r}"
            )
        assert columns(stand_ins.put_back(shown)) == columns(text), (
            f"{template} shows part '{part}' of {solution.problem.id} otherwise than the solver's values in "
            "their places (another part's values, a value computed or reordered in the template?)"
        )


@pytest.fixture(scope="module")
def builtin() -> dict[str, Solution]:
    return {solution.problem.id: solution for solution in solve_paths([builtin_dir()])}  # not just the homework


@pytest.mark.parametrize("exact", [False, True], ids=["decimal", "exact"])
@pytest.mark.parametrize("problem_id", BUILTIN)
def test_builtin_problems_show_every_answer_value_by_value(builtin, problem_id: str, exact: bool) -> None:
    check_text_shows_every_answer(builtin[problem_id], exact)


@pytest.mark.parametrize(("kind", "seed"), [(kind, seed) for kind in sorted(KINDS) for seed in range(3)])
def test_random_problems_show_every_answer_value_by_value(example_solution, kind: str, seed: int) -> None:
    check_text_shows_every_answer(example_solution(kind, seed), exact=False)
