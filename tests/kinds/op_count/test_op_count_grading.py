"""op_count grading: conventions only where the statement allows them, departures from what it fixes named,
each part judged by itself, totals from the student's own per-layer counts, differences at small whole sizes."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from sympy import sympify

from hwsolver.cli import cli
from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds.op_count.fixed import FIXABLE, MISTAKES
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
BUILTIN = ROOT / "problems" / "mlp-op-count.yaml"


@pytest.fixture(scope="module")
def prepared() -> list[PreparedProblem]:
    return prepare(solve_paths([BUILTIN]))


def test_the_builtin_problem_fixes_what_its_statement_says(prepared) -> None:
    """ "Evaluating the sigmoid itself is not counted"; "the backward pass (updates included)"."""
    problem = prepared[0].problem
    assert dict(problem.given.fixed) == {"activation_counted": False, "update_counted": True}
    assert "not counted" in problem.statement["en"] and "updates included" in problem.statement["en"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # the sigmoid counted as a division and an addition per unit: the statement says not to count it
        ({"forward_mults_per_layer": "n^2 + n"}, {"forward_mults_per_layer": ("activation_counted", Fraction(1, 2))}),
        # PyTorch's FLOP counter leaves out the update the statement includes: a mistake here, not a convention
        ({"backward_mults_total": "(2L - 1) n^2"}, {"backward_mults_total": ("update_not_counted", Fraction(1, 2))}),
        ({"backward_mults_per_layer": "2n^2 + n"}, {"backward_mults_per_layer": ("update_not_counted", Fraction(1))}),
        # the strict count of the backward pass agrees with everything the statement fixes: a convention
        ({"backward_mults_total": "3Ln^2 + 3Ln - n^2 + n"}, {"backward_mults_total": ("strict", Fraction(1))}),
        # each part by itself: the course's forward count and the strict backward count, both right
        (
            {"forward_mults_total": "L n^2", "backward_mults_per_layer": "3n^2 + 3n"},
            {"forward_mults_total": (None, Fraction(1)), "backward_mults_per_layer": ("strict", Fraction(2))},
        ),
    ],
)
def test_conventions_where_the_statement_allows_them(grade_answers: Grade, prepared, answers, expected) -> None:
    results = grade_answers(prepared, answers)
    assert {part: (r.mistake, r.score) for part, r in results.items()} == expected


def test_mistake_ids_come_from_the_fixable_switches() -> None:
    assert {"update_not_counted", "activation_counted", "bias_not_counted"} <= {mistake.id for mistake in MISTAKES}
    assert len(MISTAKES) == 2 * len(FIXABLE) + 1  # and leading_term_only


def test_leading_term_only_drops_the_lower_order_terms(prepared) -> None:
    """The switch against the leading terms worked out by hand from the course's counts (3n^2 + 2n per layer,
    3Ln^2 + 2Ln in all): only the counts with lower-order terms change (n^2, 2n^2 have none)."""
    (mutant,) = (m for m in prepared[0].mutants if m.id == "leading_term_only")
    by_hand = {"backward_mults_per_layer": "3*n**2", "backward_mults_total": "3*L*n**2"}
    assert {part: sympify(value.expr) for part, value in mutant.answers.items()} == {
        part: sympify(value) for part, value in by_hand.items()
    }


def test_a_total_follows_the_students_own_per_layer_count(grade_answers: Grade, prepared) -> None:
    """3n^2 per layer (the error term's n and the bias update's n forgotten), then L times it: the total follows;
    a per-layer count that does not grow with n leaves nothing to multiply."""
    results = grade_answers(prepared, {"backward_mults_per_layer": "3n^2", "backward_mults_total": "3 L n^2"})
    assert results["backward_mults_per_layer"].mistake == "leading_term_only"  # its own slip, half its points
    assert (results["backward_mults_total"].score, results["backward_mults_total"].follow_through) == (1, True)
    lazy = grade_answers(prepared, {"backward_mults_per_layer": "5", "backward_mults_total": "5L"})
    assert (lazy["backward_mults_total"].score, lazy["backward_mults_total"].follow_through) == (0, False)


def test_a_wrong_count_is_shown_at_small_whole_sizes(grade_answers: Grade, prepared) -> None:
    result = grade_answers(prepared, {"backward_mults_total": "3 L n^2 + L"})["backward_mults_total"]
    assert result.feedback == "not the count: at n = 2, L = 2 this gives 26, the count is 32"
    assert not re.search(r"\d\.\d", result.feedback)  # no n = 6.09569


FIXED = """\
id: count
kind: op_count
title: Count
statement: Count them.
given:
  layers: L
  width: n
  activation: sigmoid
  loss: mean_squared_error
  convention: {convention}
  fixed: {fixed}
parts: [forward_mults_total]
"""


@pytest.mark.parametrize(
    ("convention", "fixed", "message"),
    [
        (
            "course",
            "{updates_counted: true}",
            "problem.yaml:11:28: given.fixed.updates_counted: unknown switch 'updates_counted' in fixed (did you "
            "mean 'update_counted'?); known switches: " + ", ".join(FIXABLE),
        ),
        (
            "flops",
            "{update_counted: true}",
            "problem.yaml:11:27: given.fixed.update_counted: fixed update_counted: true contradicts the 'flops' "
            "convention, which has count_update = false",
        ),
        ("course", "{update_counted: often}", "problem.yaml:11:27: given.fixed.update_counted: expected true or false"),
    ],
)
def test_fixed_switches_are_validated(write_yaml, convention: str, fixed: str, message: str) -> None:
    path = write_yaml(FIXED.format(convention=convention, fixed=fixed))
    result = CliRunner().invoke(cli, ["solve", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}")
