"""lr_schedule: every schedule against closed forms written here in NumPy (torch's recursive cosine too), exact
against float64, the built-in problems, the off-by-one mistakes against wrong rates computed here, grading with
follow-through, and one-line errors."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from hwsolver.compute import schedules
from hwsolver.errors import SolveError, SpecError
from hwsolver.grading.prepared import prepare
from hwsolver.kinds import KINDS
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import problem_from_node
from hwsolver.spec.reader import parse_text

ROOT = Path(__file__).resolve().parents[3]
KIND = KINDS["lr_schedule"]


def rates_of(given: str) -> tuple:
    text = "id: s\nkind: lr_schedule\ntitle: {zh: 题, en: S}\nstatement: {zh: 题, en: S}\ngiven:\n" + "".join(
        f"  {line}\n" for line in given.splitlines()
    )
    return solve(problem_from_node(parse_text(text + "parts: [rates]\n", "s.yaml"))).answers["rates"]


def cosine_recursive(lr: float, eta_min: float, t_max: int, n: int) -> list[float]:
    """torch's CosineAnnealingLR.get_lr, step by step from the previous rate."""
    out, current = [lr], lr
    for t in range(1, n):
        if (t - 1 - t_max) % (2 * t_max) == 0:
            current = current + (lr - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        else:
            current = (1 + math.cos(math.pi * t / t_max)) / (1 + math.cos(math.pi * (t - 1) / t_max)) * (
                current - eta_min
            ) + eta_min
        out.append(current)
    return out


CASES = [
    (
        "initial_lr: 0.1\nschedule: {name: step, step_size: 3, gamma: 0.5}\nhorizon: 10",
        [0.1 * 0.5 ** (t // 3) for t in range(10)],
    ),
    (
        "initial_lr: 0.1\nschedule: {name: multistep, milestones: [2, 5], gamma: 0.1}\nhorizon: 8",
        [0.1 * 0.1 ** sum(m <= t for m in (2, 5)) for t in range(8)],
    ),
    (
        "initial_lr: 0.1\nschedule: {name: linear, start_factor: 1, end_factor: 0.1, total_iters: 4}\nhorizon: 8",
        [0.1 * (1 + (0.1 - 1) * min(t, 4) / 4) for t in range(8)],
    ),
    (
        "initial_lr: 0.5\nschedule: {name: inverse_time, decay: 0.5}\nhorizon: 6",
        [0.5 / (1 + 0.5 * t) for t in range(6)],
    ),
    ("initial_lr: 0.1\nschedule: {name: exponential, gamma: 0.9}\nhorizon: 6", [0.1 * 0.9**t for t in range(6)]),
    (
        "initial_lr: 0.1\nschedule: {name: cosine, T_max: 5, eta_min: 0.01}\nhorizon: 25",
        cosine_recursive(0.1, 0.01, 5, 25),
    ),
    (
        "initial_lr: 0.1\nschedule: {name: step, step_size: 2, gamma: 0.5}\n"
        "warmup: {total_iters: 3, start_factor: 0.25}"
        "\nhorizon: 10",
        [0.025, 0.05, 0.075, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125],
    ),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_every_schedule_agrees_with_the_forms_written_here(given: str, expected: list[float]) -> None:
    assert np.allclose([float(r) for r in rates_of(given)], expected, rtol=1e-12, atol=1e-15)


def test_rational_schedules_are_exact() -> None:
    assert rates_of("initial_lr: 0.5\nschedule: {name: inverse_time, decay: 0.5}\nhorizon: 3") == (
        Fraction(1, 2),
        Fraction(1, 3),
        Fraction(1, 4),
    )


BUILTIN = {p: prepare(solve_paths([ROOT / "problems" / f"{p}.yaml"])) for p in ("step-decay", "inverse-time-decay")}


def test_builtin_answers() -> None:
    step = BUILTIN["step-decay"][0].solution.answers
    assert step["first_below"] == 20 and step["rate_sum"] == Fraction(7, 4)
    inverse = BUILTIN["inverse-time-decay"][0].solution.answers
    assert inverse["first_below"] == 9  # 0.5 / (1 + 0.5 t) < 0.1 first at t = 9 (t = 8 gives 0.1 exactly)
    assert inverse["rate_sum"] == sum(Fraction(1, 2) / (1 + Fraction(t, 2)) for t in range(10))


def first_below_of(given: str) -> int:
    text = "id: s\nkind: lr_schedule\ntitle: {zh: 题, en: S}\nstatement: {zh: 题, en: S}\ngiven:\n" + "".join(
        f"  {line}\n" for line in given.splitlines()
    )
    return solve(problem_from_node(parse_text(text + "parts: [first_below]\n", "s.yaml"))).answers["first_below"]


def test_a_cosine_is_searched_one_period_past_its_warmup(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first step below the threshold where the warmup outlasts the cosine's half period; where the rate never
    gets there, one line after one period (counted: the rates worked out), not MAX_SEARCH steps."""
    warm = "initial_lr: 0.1\nschedule: {name: cosine, T_max: 2}\nwarmup: {total_iters: 6}\nhorizon: 3\nthreshold: 0.01"
    assert first_below_of(warm) == 8  # 0.05 at t' = 1, eta_min = 0 at t' = T_max = 2
    calls = []
    counted = schedules.rate
    monkeypatch.setattr(schedules, "rate", lambda *a, **k: calls.append(a[1]) or counted(*a, **k))
    with pytest.raises(SolveError, match="never falls below"):
        first_below_of(
            "initial_lr: 0.1\nschedule: {name: cosine, T_max: 50, eta_min: 0.02}\nhorizon: 3\nthreshold: 0.01"
        )
    assert 0 < max(calls) <= 2 * 50


@pytest.mark.parametrize(("mistake", "shift"), [("off_by_one", -1), ("decay_before_first_step", 1)])
def test_each_mistake_is_the_rates_read_one_step_off(mistake: str, shift: int) -> None:
    for prepared in BUILTIN.values():
        (mutant,) = [m for m in prepared[0].mutants if m.id == mistake]
        right = [float(r) for r in prepared[0].solution.answers["rates"]]
        wrong = (
            [0.5 / (1 + 0.5 * max(t + shift, 0)) for t in range(10)]
            if len(right) == 10
            else [0.1 * 0.5 ** (max(t + shift, 0) // 10) for t in range(30)]
        )
        assert np.allclose(mutant.answers["rates"], wrong) and not np.allclose(right, wrong)


def test_grading_names_the_slip_and_follows_through(grade_answers) -> None:
    prepared = BUILTIN["step-decay"]
    late = [0.1 * 0.5 ** (max(t - 1, 0) // 10) for t in range(30)]
    results = grade_answers(prepared, {"rates": late, "first_below": 21, "rate_sum": sum(late)})
    assert results["rates"].mistake == "off_by_one"
    assert results["rate_sum"].verdict == "correct" and results["rate_sum"].follow_through
    own = [0.1] * 10 + [0.05] * 10 + [0.02] * 10  # 0.025 miscomputed as 0.02
    results = grade_answers(prepared, {"rates": own, "rate_sum": sum(own), "first_below": 20})
    assert results["rates"].verdict == "partial" and results["rate_sum"].follow_through
    own = [0.1] * 5 + [0.03] * 5 + [0.02] * 20  # their first rate below 0.03 is at step 10, not 5 (equal to it)
    results = grade_answers(prepared, {"rates": own, "first_below": 10})
    assert results["first_below"].verdict == "correct" and results["first_below"].follow_through
    assert grade_answers(prepared, {"rates": own, "first_below": 5})["first_below"].score == 0


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("initial_lr: 0.1\nschedule: {name: step}\nhorizon: 3", "g.yaml:2:11: schedule: missing key 'step_size'"),
        (
            "initial_lr: 0.1\nschedule: {name: multistep, milestones: [5, 2]}\nhorizon: 3",
            "g.yaml:2:41: schedule.milestones: expected increasing steps",
        ),
        (
            "initial_lr: -1\nschedule: {name: exponential, gamma: 0.9}\nhorizon: 3",
            "g.yaml:1:13: initial_lr: expected a number > 0, got -1",
        ),
    ],
)
def test_bad_givens_get_one_line_naming_the_place(given: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        KIND.parse_given(parse_text(given, "g.yaml"))
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


@pytest.mark.parametrize("problem_id", sorted(BUILTIN))
def test_the_plot_draws_the_rates_of_the_solution_one_per_step(problem_id: str) -> None:
    solution = BUILTIN[problem_id][0].solution
    (series,) = KIND.extras(solution)["plot"].series  # type: ignore[misc]
    rates = solution.answers["rates"]
    assert series.xs == tuple(range(len(rates))) and series.ys == tuple(float(r) for r in rates)
