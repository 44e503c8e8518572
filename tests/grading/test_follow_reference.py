"""A route that reads only answers equal to their references re-runs to the reference itself, which a wrong answer
has failed already: follow-through does not re-run it (counted). The rule rests on every route giving its part's
reference from the references it reads: held here for every kind, the built-in problems and variants of them. Nor is
a wrong answer checked again against a re-run that is its reference exactly, nothing rounded (counted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hwsolver.grading import follow, reruns
from hwsolver.grading.checkers import Check
from hwsolver.grading.grader import grade_file
from hwsolver.grading.leaves import answer_leaves
from hwsolver.grading.prepared import PreparedProblem, Seen, prepare, prepare_variant
from hwsolver.grading.shares import ONE
from hwsolver.grading.slips import close_enough
from hwsolver.kinds import KINDS
from hwsolver.model import Symbolic
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.problems import example_problem
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "problems" / "relu-network-update.yaml"
# exercise (1)'s parameters after, right: as the solver gives them, and rounded to the 3 figures asked
PARAMS = "{W1: [[0.6226, 0.2339], [0.13616, 0.75424]], W2: [[0.54068, 0.85198]]}"
ROUNDED = "{W1: [[0.623, 0.234], [0.136, 0.754]], W2: [[0.541, 0.852]]}"


def _as_read(reference: Any, prepared: PreparedProblem, name: str) -> Any:
    """A reference as a student's answer is read: a formula parsed."""
    if isinstance(reference, Symbolic):
        return prepared.by_id[name].formulas.parse(reference.expr)
    return reference


def _routes_hold(prepared: PreparedProblem) -> int:
    """Checks each route of the problem against its part's reference, fed the references it reads; how many."""
    checked = 0
    for part in prepared.parts:
        for route in part.routes:
            if route.uses == (part.part.id,) or not all(answer_leaves(prepared.by_id[n].reference) for n in route.uses):
                continue  # its own entries (each from the one before), or a formula read: not follow's to skip
            rerun = route.compute(
                {name: _as_read(prepared.by_id[name].reference, prepared, name) for name in route.uses}
            )
            if isinstance(rerun, Symbolic):  # a formula, compared as the student's are
                rerun = part.formulas.parse(rerun.expr)
            assert close_enough(rerun, part.reference, part), (prepared.problem.id, route.part, route.uses)
            checked += 1
    return checked


def test_every_route_fed_the_references_gives_the_reference() -> None:
    """Every kind's random problems (asking every part), the built-in problems and four variants of each."""
    examples = [solve(example_problem(kind, seed), witness=False) for kind in KINDS.values() for seed in range(6)]
    checked = {kind: 0 for kind in KINDS}
    for prepared in prepare(examples):
        checked[prepared.problem.kind] += _routes_hold(prepared)
    # every kind whose routes read numbers: none left out
    assert {kind for kind, n in checked.items() if n} >= {
        "dropout", "initialization", "lr_schedule", "mlp_backprop", "optimizer_step", "param_count",
        "pooling_backprop", "regularized_update",
    }  # fmt: skip
    built_in = prepare(solve_paths())
    assert sum(_routes_hold(prepared) for prepared in built_in) == 8  # exercise (1)'s seven and max pooling's
    base = {prepared.problem.id: prepared for prepared in built_in}
    drawn = 0
    for entry in load_set().entries:
        maker = ProblemVariants(entry)
        for n in range(4 if maker.varies else 0):
            variant = maker.draw("routes", f"PB2100{n:04}")
            assert variant.solution is not None
            drawn += _routes_hold(prepare_variant(variant.solution, base[entry.problem.id]))
    assert drawn == 32


def _graded(tmp_path: Path, answers: str, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, list[tuple[str, ...]]]:
    """Exercise (1) graded afresh (no re-run remembered from another test), and the routes re-run, by what they read."""
    (prepared,) = prepare(solve_paths([EXERCISE]))
    worked: list[tuple[str, ...]] = []
    real = reruns._worked_out_rerun

    def counted(prepared: PreparedProblem, route: Any, read: dict[str, Seen]) -> Any:
        worked.append((route.part, *route.uses))
        return real(prepared, route, read)

    monkeypatch.setattr(reruns, "_worked_out_rerun", counted)
    path = tmp_path / "student.yaml"
    path.write_text(f"student: PB21000001\nanswers:\n  relu-network-update:\n{answers}", encoding="utf-8")
    result = grade_file(str(path), [prepared])
    assert result.error is None, result.error
    return {part.id: part for part in result.problems[0].parts}, worked


def test_a_route_reading_the_references_is_not_re_run(tmp_path, monkeypatch) -> None:
    answers = f"    output_before: 0.274\n    loss_before: 0.03\n    params_after: {PARAMS}\n    output_after: 0.4\n"
    parts, worked = _graded(tmp_path, answers, monkeypatch)
    assert worked == []
    for name in ("loss_before", "output_after"):
        assert (parts[name].score, parts[name].follow_through) == (0, False)
    # the witness: re-run after all, each route gives what the answer was checked against, and it does not agree
    (prepared,) = prepare(solve_paths([EXERCISE]))
    for name, value, read in (("loss_before", 0.03, "output_before"), ("output_after", (0.4,), "params_after")):
        part, earlier = prepared.by_id[name], prepared.by_id[read]
        (route,) = [route for route in part.routes if route.uses == (read,)]
        item = Seen(key=read, value=earlier.reference, written="", outcome=Check(ONE))
        rerun = reruns._worked_out_rerun(prepared, route, {read: item})
        assert rerun is not None and close_enough(rerun.nominal, part.reference, part)
        assert not follow._agrees(Seen(key=name, value=value, written=""), rerun, part)


def test_right_answers_rounded_are_carried_on(tmp_path, monkeypatch) -> None:
    """Parameters after rounded to 3 figures: right, but the output after is re-run from them, their rounding
    carried on (a wrong output after still earns nothing)."""
    parts, worked = _graded(tmp_path, f"    params_after: {ROUNDED}\n    output_after: 0.4\n", monkeypatch)
    assert parts["params_after"].verdict == "correct"
    assert worked == [("output_after", "params_after")]
    assert (parts["output_after"].score, parts["output_after"].follow_through) == (0, False)


def test_a_right_formula_re_run_to_the_reference_is_not_checked_again(tmp_path, monkeypatch) -> None:
    """conv's e(l-1) from the student's right recursion: the re-run is the reference itself, nothing rounded, so
    the wrong e(l-1) is not checked against it again (counted); the witness: checked after all, it does not agree."""
    (prepared,) = prepare(solve_paths([ROOT / "problems" / "conv-backprop.yaml"]))
    recursion = prepared.by_id["recursion"].reference.expr
    rows = "[[0.05, 0, 0.35, -0.3], [0.2, -0.3, 0, 0.25], [0, 0.6, -0.2, -0.15], [-0.3, 0, 0.2, 0.5]]"  # 0.05 -> 0.5
    checked: list[Any] = []
    real = follow._agrees
    monkeypatch.setattr(follow, "_agrees", lambda *args: checked.append(args) or real(*args))
    path = tmp_path / "student.yaml"
    answers = f"    recursion: '{recursion}'\n    delta_prev: {rows}\n"
    path.write_text(f"student: PB21000001\nanswers:\n  conv-backprop:\n{answers}", encoding="utf-8")
    result = grade_file(str(path), [prepared])
    assert result.error is None, result.error
    parts = {part.id: part for part in result.problems[0].parts}
    assert parts["recursion"].verdict == "correct"
    assert parts["delta_prev"].verdict == "partial" and not parts["delta_prev"].follow_through
    assert checked == []
    (route,) = prepared.by_id["delta_prev"].routes
    seen = {"recursion": prepared.by_id["recursion"].seen[next(iter(prepared.by_id["recursion"].seen))]}
    rerun = reruns._worked_out_rerun(prepared, route, seen)
    assert rerun is not None and rerun.nominal == prepared.by_id["delta_prev"].reference
    (known,) = prepared.by_id["delta_prev"].seen.values()
    assert not real(known, rerun, prepared.by_id["delta_prev"])
