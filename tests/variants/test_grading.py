"""`hwsolver grade --lock`: each student graded against their own variant, answers computed without the solver
(oracles.py) getting full marks, each distinct variant prepared once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from hwsolver.cli import cli
from hwsolver.grading.prepared import prepare
from hwsolver.kinds import KINDS
from hwsolver.solving import solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.grading import Chooser
from hwsolver.variants.lock import read_lock
from tests.variants.oracles import student_answers, values

STUDENTS = [f"PB2100{n:04}" for n in range(24)]


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A class of 24, each handing in right answers to their own variant, worked out by the oracles."""
    folder = tmp_path_factory.mktemp("class")
    (folder / "roster.csv").write_text("student\n" + "\n".join(STUDENTS) + "\n", encoding="utf-8")
    lock_path = folder / "variants.lock.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["assign", "--roster", str(folder / "roster.csv"), "-o", str(lock_path)])
    assert result.exit_code == 0, result.output
    lock = read_lock(lock_path)
    (folder / "subs").mkdir()
    for student in STUDENTS:
        answers = {
            problem: student_answers(problem, values(given)) for problem, given in lock.students[student].items()
        }
        text = yaml.safe_dump({"student": student, "answers": answers}, allow_unicode=True)
        (folder / "subs" / f"{student}.yaml").write_text(text, encoding="utf-8")
    # a student the lock does not know, and one who copied a classmate's answers
    copied = (folder / "subs" / f"{STUDENTS[0]}.yaml").read_text(encoding="utf-8")
    (folder / "subs" / "stranger.yaml").write_text(copied.replace(STUDENTS[0], "PB99999999"), encoding="utf-8")
    (folder / "subs" / "copier.yaml").write_text(copied.replace(STUDENTS[0], STUDENTS[1]), encoding="utf-8")
    args = ["grade", str(folder / "subs"), "--lock", str(lock_path), "--format", "json", "--jobs", "2"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return folder, {(s["file"].rsplit("/", 1)[-1]): s for s in json.loads(result.stdout)["submissions"]}


def test_answers_computed_without_the_solver_get_full_marks_on_every_variant(graded_class) -> None:
    _, rows = graded_class
    homework = [entry.problem.id for entry in load_set().entries]
    for student in STUDENTS:
        row = rows[f"{student}.yaml"]
        wrong = [
            (p["id"], q["id"], q["feedback"]) for p in row["problems"] for q in p["parts"] if q["verdict"] != "correct"
        ]
        assert not wrong, (student, wrong)
        assert row["score"] == row["max_score"] == 35
        assert [p["id"] for p in row["problems"]] == homework  # each problem keeps its id


def test_a_student_not_in_the_lock_gets_a_row_that_says_so(graded_class) -> None:
    folder, rows = graded_class
    row = rows["stranger.yaml"]
    assert (row["student"], row["score"], row["problems"]) == ("PB99999999", 0, [])
    assert row["error"] == (
        f"student 'PB99999999' is not in the lock {folder / 'variants.lock.yaml'}: there is no variant to grade against"
    )


def test_a_classmates_answers_do_not_fit_ones_own_variant(graded_class) -> None:
    _, rows = graded_class
    row = rows["copier.yaml"]
    assert row["error"] is None and row["score"] < 20
    by_id = {p["id"]: p for p in row["problems"]}
    for unvaried in ("log-softmax-gradient", "mlp-op-count"):
        assert by_id[unvaried]["score"] == by_id[unvaried]["max_score"]
    assert by_id["relu-network-update"]["score"] < 5


def test_each_distinct_variant_is_prepared_once(graded_class, monkeypatch: pytest.MonkeyPatch) -> None:
    from hwsolver.variants import grading

    monkeypatch.setattr(grading, "_DRAWN_STUDENTS", 6)  # while kept (a worker keeps fewer: the test below)
    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    for student in STUDENTS[:6]:
        own = chooser(student, base)
        assert [p.problem.id for p in own] == [p.problem.id for p in base]
        assert own[2] is base[2] and own[3] is base[3]  # no variants: the problem as written, shared
    # 4 problems with numbers drawn per student, and the choice of 2a: the sigmoid as written, or softplus once
    assert chooser.work["prepared"] in (6 * 4, 6 * 4 + 1)
    # each entry of the lock read once by its text: the problems as written and a choice's variants once
    assert 6 * 4 + 3 <= chooser.work["read"] <= 6 * 4 + 4
    read = chooser.work["read"]
    for student in STUDENTS[:6]:
        chooser(student, base)
    assert chooser.work["prepared"] in (6 * 4, 6 * 4 + 1)  # found again, never prepared twice
    assert chooser.work["read"] == read  # nor read from the lock again


def test_a_variants_parts_are_worked_out_once(graded_class, monkeypatch: pytest.MonkeyPatch) -> None:
    """A variant built from the lock is checked to be answered by the problem's parts (ProblemVariants.build), and
    prepared with them: the kind works them out once per variant, not again to prepare it."""
    import dataclasses

    from hwsolver.kinds import KINDS

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    for maker in chooser.makers:
        maker.parts  # noqa: B018 - the problems as written's, worked out once for all their variants
    kind = KINDS["mlp_backprop"]
    asked = []
    real = kind.parts_for
    counted = dataclasses.replace(kind, parts_for=lambda given: asked.append(given) or real(given))
    monkeypatch.setitem(KINDS, "mlp_backprop", counted)
    own = chooser(STUDENTS[3], base)
    relu = next(p for p in own if p.problem.id == "relu-network-update")
    assert relu is not next(p for p in base if p.problem.id == "relu-network-update")  # a variant of its own
    assert len(asked) == 1 and asked[0] is relu.problem.given
    assert relu.order == real(relu.problem.given)


def test_a_variant_answered_right_never_works_out_its_slips(graded_class) -> None:
    """The kind's mutants of a student's own variant are worked out only when one of their answers is wrong:
    a class answers most problems right, and each variant is one student's."""
    from hwsolver.grading import prepared as preparing
    from hwsolver.grading.grader import grade_submission
    from hwsolver.grading.prepared import part_ids
    from hwsolver.grading.submission import read_submission

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    preparing.WORK.clear()
    path = folder / "subs" / f"{STUDENTS[7]}.yaml"
    submission = read_submission(path, part_ids(base))
    result = grade_submission(submission, chooser(STUDENTS[7], base))
    assert result.score == result.max_score
    assert chooser.work["prepared"] >= 4 and preparing.WORK["mutants"] == 0
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["answers"]["relu-network-update"]["loss_before"] = 1.5  # one wrong answer, on one problem
    path = folder / "wrong.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = grade_submission(read_submission(path, part_ids(base)), chooser(STUDENTS[7], base))
    assert result.score < result.max_score
    assert preparing.WORK["mutants"] == 1  # that problem's alone


def test_a_variant_shares_the_set_up_of_the_problem_as_written_and_nothing_it_learns(graded_class) -> None:
    """What a part's grading depends on through the options alone (tolerance, credits, form, points) and its formula
    reading where alike are the problem as written's objects, worked out once; its reference, slips and what the
    class's answers teach the grader are the variant's own (but a shared part's), and equal to a preparation from
    scratch (the witness)."""
    from hwsolver.grading.prepared import alike, prepare_variant

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    own = chooser(STUDENTS[3], base)
    varied = [(mine, written) for mine, written in zip(own, base) if mine is not written]
    assert len(varied) >= 4
    for mine, written in varied:
        (fresh,) = prepare([mine.solution], lazy=True)
        assert [p.part for p in mine.every] == [p.part for p in written.every] == [p.part for p in fresh.every]
        for part, other, alone in zip(mine.every, written.every, fresh.every):
            assert part.tolerance is other.tolerance
            # a formula part reads the class's formulas with the written problem's reading where alike (2a's
            # softplus variant: another reference, its own)
            assert (part.formulas is other.formulas) == alike(other.formulas, alone.formulas)
            assert (part.follow_through_credit, part.form, part.form_credit, part.points, part.earlier) == (
                alone.follow_through_credit,
                alone.form,
                alone.form_credit,
                alone.points,
                alone.earlier,
            )
            assert part.tolerance == alone.tolerance and alike(part.formulas, alone.formulas)
            assert part.reference == alone.reference
            assert [(r.part, r.uses) for r in part.routes] == [(r.part, r.uses) for r in alone.routes]
            assert part.mistakes is mine.mistakes is not written.mistakes
            # (but a part of a variant graded once whose kind shares it, its reference the very object: conv's
            # recursion, tests/grading/test_shared_parts.py)
            shares = mine.once and part.part.id in KINDS[mine.problem.kind].shared_parts
            shares = shares and part.reference is other.reference and not part.earlier
            assert (part.seen is other.seen) == (part.meanings is other.meanings) == shares
        assert any(p.reference != o.reference for p, o in zip(mine.every, written.every))
    # another problem's options: nothing is shared (each part's tolerance its own)
    mine, written = varied[0]
    other = prepare_variant(mine.solution, base[-1] if base[-1].problem.kind != mine.problem.kind else base[0])
    assert all(p.tolerance is not o.tolerance for p, o in zip(other.every, written.every))


def test_drawn_variants_are_kept_few_and_choices_all(graded_class, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn numbers seldom repeat: a worker keeps the last few students' (each found again while kept, each
    prepared again once gone); a choice's variants are kept, prepared once whatever the class's size."""
    from hwsolver.variants import grading

    monkeypatch.setattr(grading, "_DRAWN_STUDENTS", 2)  # two students' drawn variants (4 problems each)
    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    for student in STUDENTS[:6]:
        chooser(student, base)
    prepared = chooser.work["prepared"]
    assert len(chooser.drawn) == 8 and all(key[0] != "sigmoid-derivatives" for key in chooser.drawn)
    chooser(STUDENTS[5], base)  # kept: found again
    assert chooser.work["prepared"] == prepared
    chooser(STUDENTS[0], base)  # gone: its 4 drawn variants prepared again, its choice found
    assert chooser.work["prepared"] == prepared + 4
    assert {key[0] for key in chooser.kept} >= {"sigmoid-derivatives", "log-softmax-gradient"}


def test_a_worker_keeps_the_last_students_drawn_variants_only(graded_class) -> None:
    """A student's drawn variants are let go when the next student's are made (freed while still in the cache,
    not many students later): the chooser holds one student's drawn variants, the choices' all."""
    import weakref

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    own = chooser(STUDENTS[0], base)
    assert chooser.drawn_kept == 4 and len(chooser.drawn) == 4  # 4 problems with numbers drawn per student
    drawn = {key[0] for key in chooser.drawn}
    first = [weakref.ref(p) for p in own if p.problem.id in drawn]
    del own
    assert len(first) == 4 and all(ref() is not None for ref in first)  # kept while the student is graded
    chooser(STUDENTS[1], base)
    assert len(chooser.drawn) == 4 and all(ref() is None for ref in first)  # the next one's made: freed


def test_a_variant_let_go_is_freed_without_the_cycle_collector(graded_class) -> None:
    """A variant's preparation holds no reference cycle, even with follow-through's re-runs kept in it (their
    rounding bounds to be worked out on first use): dropped by the chooser, it is freed at once, not left for the
    cycle collector to find (which costs a worker a walk over everything it holds)."""
    import gc
    import weakref

    from hwsolver.grading.grader import grade_submission
    from hwsolver.grading.prepared import part_ids
    from hwsolver.grading.submission import read_submission

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    data = yaml.safe_load((folder / "subs" / f"{STUDENTS[9]}.yaml").read_text(encoding="utf-8"))
    relu = data["answers"]["relu-network-update"]
    # wrong, far from what the student's right answers before it give: re-run from those, never near enough to
    # need the rounding bounds (kept, for the next student, unworked)
    relu["loss_after"] = round(relu["loss_after"] * 3, 4)
    path = folder / "far.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    gc.collect()
    gc.disable()
    try:
        # prepared to remember what it grades, as a choice's variant is (a drawn one keeps nothing: graded once)
        own = [_remembering(p, written) for p, written in zip(chooser(STUDENTS[9], base), base)]
        result = grade_submission(read_submission(path, part_ids(base)), own)
        assert result.score < result.max_score
        relu_prepared = next(p for p in own if p.problem.id == "relu-network-update")
        assert relu_prepared.reruns  # follow-through re-ran routes and kept them
        gone = [weakref.ref(p) for p in own if all(p is not b for b in base)]
        del own, relu_prepared, result
        chooser.drawn.clear()
        chooser.kept.clear()
        assert gone and all(ref() is None for ref in gone)
    finally:
        gc.enable()


def _remembering(prepared, written):
    """The variant prepared as one that remembers what it grades for a next student (a choice's), if it is not."""
    from hwsolver.grading.prepared import prepare_variant

    return prepare_variant(prepared.solution, written, order=prepared.order) if prepared.once else prepared


def _scaled(value, factor: float, shift: float):
    """A student's answer with every number moved (a perturbed wrong answer), booleans and text as they are."""
    if isinstance(value, Mapping):
        return {key: _scaled(item, factor, shift) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scaled(item, factor, shift) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(value * factor + shift, 4)
    return value


def test_a_drawn_variant_is_graded_once_keeping_nothing_for_a_next_student(graded_class, tmp_path: Path) -> None:
    """A student's drawn variant is theirs alone: grading it keeps no answer, result, re-run or unreadable text in it
    for a next student (they would be freed unread), and every result is the one a preparation that remembers
    gives, the first time and from its memos (the witness)."""
    from hwsolver.grading.grader import grade_submission
    from hwsolver.grading.prepared import part_ids
    from hwsolver.grading.submission import read_submission

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    moves = [(1.5, 0.1), (-1, 0), (0.5, -0.2), (3, 0)]
    named = set()
    for n, student in enumerate(STUDENTS[:8]):
        data = yaml.safe_load((folder / "subs" / f"{student}.yaml").read_text(encoding="utf-8"))
        for problem, answers in data["answers"].items():  # some parts wrong, each student's others
            for position, part in enumerate(sorted(answers)):
                if (position + n) % 3 != 0:
                    answers[part] = _scaled(answers[part], *moves[(position + n) % len(moves)])
            if problem == "conv-backprop" and n % 2:
                answers["output"] = "[[1, 2], [3"  # unreadable
        own = chooser(student, base)
        relu = next(p for p in own if p.problem.id == "relu-network-update")
        slip = relu.mutants[n % len(relu.mutants)]  # a classic slip, carried through every part it changes
        for part in relu.problem.parts:
            if part.id in slip.answers:
                data["answers"][relu.problem.id][part.id] = _scaled(slip.answers[part.id], 1, 0)
        path = tmp_path / f"{student}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        submission = read_submission(path, part_ids(base))
        drawn = [p for p in own if p.once]
        assert {p.problem.id for p in drawn} == {key[0] for key in chooser.drawn}  # the drawn ones alone
        remembering = [_remembering(p, written) for p, written in zip(own, base)]
        result = grade_submission(submission, own)
        assert result.score < result.max_score
        named.update(q.mistake for p in result.problems for q in p.parts if q.mistake)
        assert result == grade_submission(submission, remembering) == grade_submission(submission, remembering)
        for prepared in drawn:
            # (which slips change which parts serves the student's own later parts; a re-run is kept in the variant
            # only where it reads a part shared with the problem as written, and goes with the variant)
            shared = {part.part.id for part in prepared.every if _shared(part, base)}
            routes = {id(route): route for part in prepared.every for route in part.routes}
            assert all(set(routes[key[0]].uses) <= shared for key in prepared.reruns)
            own_parts = [part for part in prepared.every if part.part.id not in shared]
            assert all(not (part.seen or part.unreadable or part.meanings) for part in own_parts)
        assert any(part.seen for p in remembering if p.problem.id == "relu-network-update" for part in p.every)
    assert len(named) >= 3  # slips named (and follow-through given) alike


def test_a_students_variants_are_solved_under_one_numpy_error_state(graded_class, monkeypatch) -> None:
    """Entering NumPy's error state costs a few microseconds: a student's drawn variants (4) are solved under one,
    entered by the chooser, and each is solved as solve() solves it (the same answers)."""
    from hwsolver import solving

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    entered, solved = [], []
    real_quiet, real_solve = solving.quiet, solving.solve_quiet
    monkeypatch.setattr(solving, "quiet", lambda: entered.append(1) or real_quiet())
    monkeypatch.setattr(
        solving, "solve_quiet", lambda problem, **kw: solved.append(problem) or real_solve(problem, **kw)
    )
    own = chooser(STUDENTS[3], base)
    assert len(entered) == 1 and len(solved) >= 4
    monkeypatch.undo()
    by_id = {p.problem.id: p for p in own}
    for problem in solved:
        assert by_id[problem.id].solution.answers == solving.solve(problem, witness=False).answers


def _shared(part: Any, base: list[Any]) -> bool:
    """Whether a drawn variant's part shares the problem as written's memos (conv's recursion, whatever the arrays:
    tests/grading/test_shared_parts.py)."""
    return any(part.seen is other.seen for written in base for other in written.every)


def test_a_drawn_variants_parts_share_one_read_only_memo(graded_class) -> None:
    """A part graded for one student keeps nothing for a next one: its five memos are one empty read-only mapping
    (not five dicts per part of every variant), which a write would not pass unnoticed."""
    from hwsolver.grading.prepared_parts import NOTHING_KEPT

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    own = chooser(STUDENTS[5], base)
    drawn = [part for p in own if p.once for part in p.every if not _shared(part, base)]
    assert [part.part.id for p in own if p.once for part in p.every if _shared(part, base)] == ["recursion"]
    kept = [part for p in own if not p.once for part in p.every]
    assert len(drawn) >= 15 and kept
    for part in drawn:
        assert all(
            memo is NOTHING_KEPT for memo in (part.seen, part.unreadable, part.meanings, part.trivial, part.slipped)
        )
    assert all(type(part.seen) is dict and part.seen is not NOTHING_KEPT for part in kept)
    with pytest.raises(TypeError):
        drawn[0].seen["x"] = None


def test_a_drawn_variants_extra_parts_are_made_when_answered(graded_class, tmp_path: Path) -> None:
    """A part a drawn variant's problem does not ask (relu: the forward pass, the error terms) has its reference and
    formula reading made when first read: never for a student who does not answer it, and, for one who does, the
    ones a variant made at once has (the same results, right and wrong)."""
    from hwsolver.grading.grader import grade_submission
    from hwsolver.grading.prepared import part_ids
    from hwsolver.grading.prepared_parts import _FORMULAS, _REFERENCE, UNMADE, LaterPart
    from hwsolver.grading.submission import read_submission

    folder, _ = graded_class
    chooser = Chooser(load_set(), read_lock(folder / "variants.lock.yaml"))
    base = prepare(solve_paths())
    for n, student in enumerate(STUDENTS[:4]):
        own = chooser(student, base)
        relu = next(p for p in own if p.problem.id == "relu-network-update")
        eager = _remembering(relu, next(p for p in base if p.problem.id == relu.problem.id))
        assert relu.extras and all(type(part) is LaterPart for p in own if p.once for part in p.extras)
        assert not any(type(part) is LaterPart for p in own for part in p.parts)
        data = yaml.safe_load((folder / "subs" / f"{student}.yaml").read_text(encoding="utf-8"))
        path = tmp_path / f"{student}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        grade_submission(read_submission(path, part_ids(base)), own)
        for part in relu.extras:  # not answered: never made
            assert _REFERENCE.__get__(part) is UNMADE and _FORMULAS.__get__(part) is UNMADE
        answers = data["answers"]["relu-network-update"]
        for part in eager.extras:  # answered: right for one student, moved for the next
            value = _lists(part.reference)
            answers[part.part.id] = value if n % 2 else _scaled(value, 1.5, 0.1)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        submission = read_submission(path, part_ids(base))
        assert grade_submission(submission, own) == grade_submission(
            submission, [eager if p is relu else p for p in own]
        )
        for part, made in zip(relu.extras, eager.extras):
            assert part.reference == made.reference and part.formulas is made.formulas


def _lists(value):
    """A reference (floats in tuples and dicts) as a student writes it in YAML."""
    if isinstance(value, Mapping):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value
