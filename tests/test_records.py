"""The records made for every student's variant set their fields without a frozen dataclass's __init__, and stay
what the rest of the code relies on: frozen, equal and hashed by their fields, copied by dataclasses.replace, each
with its own default containers."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.model import Mutant, Route, Solution
from hwsolver.solving import solve_paths


def test_a_mutant_is_a_frozen_record_of_its_fields() -> None:
    made = Mutant("doubled", "the gradients came out doubled", {"w": (1.0,)}, Fraction(1, 2), per_part=True)
    assert (made.id, made.answers, made.credit, made.matches, made.per_part) == (
        "doubled",
        {"w": (1.0,)},
        Fraction(1, 2),
        None,
        True,
    )
    assert made == Mutant("doubled", "the gradients came out doubled", {"w": (1.0,)}, Fraction(1, 2), None, True)
    assert made != dataclasses.replace(made, credit=Fraction(0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.credit = Fraction(1)  # type: ignore[misc]
    bare = Mutant("a", "b")
    assert (bare.answers, bare.credit, bare.matches, bare.per_part) == ({}, 0, None, False)
    assert bare.answers is not Mutant("a", "b").answers  # each its own
    assert [f.name for f in dataclasses.fields(Mutant)] == [
        "id",
        "feedback",
        "answers",
        "credit",
        "matches",
        "per_part",
    ]


def test_a_solution_is_a_frozen_record_of_its_fields() -> None:
    problem = object()
    made = Solution(problem, {"y": 1})  # type: ignore[arg-type]
    assert (made.problem, made.answers, made.work) == (problem, {"y": 1}, {})
    assert made.work is not Solution(problem, {}).work  # type: ignore[arg-type]
    copied = dataclasses.replace(made, work={"steps": ()})
    assert (copied.problem, copied.answers, copied.work) == (problem, {"y": 1}, {"steps": ()})
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.answers = {}  # type: ignore[misc]
    assert hash(Route("b", ("a",), len)) == hash(Route("b", ("a",), len))


def test_a_prepared_problem_sets_every_part_and_its_own_memos() -> None:
    [prepared] = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    assert prepared.every == (*prepared.parts, *prepared.extras)
    assert prepared.by_id == {part.part.id: part for part in prepared.every}
    again = PreparedProblem(*(getattr(prepared, f.name) for f in dataclasses.fields(PreparedProblem) if f.init))
    assert again == prepared and again.every == prepared.every
    assert again.reruns == again.slip_changes == {} and again.alike == []
    assert again.reruns is not prepared.reruns and again.alike is not prepared.alike  # a variant's memos are its own
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.once = True  # type: ignore[misc]
