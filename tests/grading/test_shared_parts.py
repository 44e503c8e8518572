"""A part of a variant graded for one student alone shares the problem as written's memos where every answer to it
grades alike in both (prepared._memos: the kind names it in Kind.shared_parts, the variant's answer is the very
reference object, the part reads no earlier part): conv's recursion, one formula whatever the arrays. Where the
rule refuses (another layer shape: another formula and other slips; a kind that shares nothing; an earlier part
read; a variant graded for many students), the part keeps nothing, or its own. The witness: a class's answers to
the recursion grade alike with the memos shared and with each variant alone, and are read once, not per student."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from hwsolver.grading import grader
from hwsolver.grading.grader import grade_problem
from hwsolver.grading.prepared import part_ids, prepare, prepare_variant
from hwsolver.grading.prepared_parts import NOTHING_KEPT
from hwsolver.grading.submission import read_submission
from hwsolver.kinds import KINDS
from hwsolver.solving import solve, solve_paths

ROOT = Path(__file__).resolve().parents[2]
SPEC = yaml.safe_load((ROOT / "problems" / "conv-backprop.yaml").read_text(encoding="utf-8"))
RIGHT = "fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"
ANSWERS = [
    RIGHT,
    "fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i + u, j + v], (v, 0, K - 1)), (u, 0, K - 1))",  # kernel not turned
    "Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))",  # no f'
    "fprime(z[i, j])",  # no kernel, no e(l): takes no work
    "fprime(z[i, j]) * Sum(w[u, u]*e[i - u, j - u], (u, 0, K - 1))",  # wrong, no slip
    "fprime(z[i, j] * Sum(",  # unreadable
]


def written_conv() -> Any:
    (found,) = prepare(solve_paths(["problems/conv-backprop.yaml"]))  # fresh memos: sharing fills them
    return found


def variant(written: Any, scale: int) -> Any:
    layer = written.problem.given
    given = replace(layer, upstream=tuple(tuple(scale * x for x in row) for row in layer.upstream))
    return solve(replace(written.problem, given=given), witness=False)


def test_a_variant_graded_once_shares_the_recursion_memos_of_the_problem_as_written() -> None:
    written = written_conv()
    made = prepare_variant(variant(written, 2), written, once=True)
    shared, own = made.by_id["recursion"], written.by_id["recursion"]
    assert made.solution.answers["recursion"] is written.solution.answers["recursion"]
    assert shared.seen is own.seen and shared.unreadable is own.unreadable and shared.meanings is own.meanings
    assert shared.trivial is own.trivial and shared.slipped is own.slipped
    assert shared.worked is made.worked  # (its slips, routes and allowances are still the variant's own)
    assert all(part.seen is NOTHING_KEPT for part in made.every if part is not shared)


def test_the_rule_refuses_another_shape_another_kind_an_earlier_part_and_a_variant_for_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = written_conv()
    # another layer shape: another recursion (one formula per shape) and other slips (the unturned kernel's
    # spellings with padding)
    padded = {**SPEC["given"], "padding": 1, "upstream": [[0.1] * 5 for _ in range(5)]}
    path = tmp_path / "padded.yaml"
    path.write_text(yaml.safe_dump({**SPEC, "given": padded}), encoding="utf-8")
    (other_shape,) = solve_paths([path])
    made = prepare_variant(other_shape, written, once=True)
    assert made.order == written.order and made.by_id["output"].tolerance is written.by_id["output"].tolerance
    assert made.by_id["recursion"].seen is NOTHING_KEPT
    # graded for many students (a choice's variant): memos of its own
    many = prepare_variant(variant(written, 2), written)
    assert many.by_id["recursion"].seen is not written.by_id["recursion"].seen
    assert many.by_id["recursion"].seen is not NOTHING_KEPT
    # a kind that names no part, and a part reading an earlier one, even named
    kind = KINDS["conv_backprop"]
    monkeypatch.setitem(KINDS, "conv_backprop", replace(kind, shared_parts=()))
    assert prepare_variant(variant(written, 2), written, once=True).by_id["recursion"].seen is NOTHING_KEPT
    monkeypatch.setitem(KINDS, "conv_backprop", kind)
    monkeypatch.setattr(written.by_id["recursion"], "earlier", ("activation_prev",))
    assert prepare_variant(variant(written, 2), written, once=True).by_id["recursion"].seen is NOTHING_KEPT
    monkeypatch.undo()
    (relu,) = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    alike = prepare_variant(relu.solution, relu, once=True)
    assert KINDS["mlp_backprop"].shared_parts == () and all(p.seen is NOTHING_KEPT for p in alike.every)


def answered(tmp_path: Path, written: Any) -> list[Any]:
    """Each of ANSWERS as a submission reads it (the grader's nodes)."""
    nodes = []
    for n, text in enumerate(ANSWERS):
        path = tmp_path / f"s{n}.yaml"
        data = {"student": f"S{n}", "answers": {"conv-backprop": {"recursion": text}}}
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        nodes.append(read_submission(path, part_ids([written])).answers["conv-backprop"])
    return nodes


def grade_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: bool) -> tuple[list[Any], int]:
    """Four students' variants, each graded on every answer: the results, and the answers read."""
    kind = KINDS["conv_backprop"]
    monkeypatch.setitem(KINDS, "conv_backprop", kind if shared else replace(kind, shared_parts=()))
    reads = []
    read = grader.read_answer
    monkeypatch.setattr(grader, "read_answer", lambda *args: reads.append(args) or read(*args))
    written = written_conv()
    nodes = answered(tmp_path, written)
    results = []
    for scale in (1, 2, 3, -1):
        made = prepare_variant(variant(written, scale), written, once=True)
        results += [grade_problem(made, answers).parts[0] for answers in nodes]
    monkeypatch.undo()
    return results, len(reads)


def test_a_class_grades_the_recursion_alike_shared_or_alone_and_reads_each_answer_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, read_alone = grade_class(tmp_path, monkeypatch, shared=False)
    together, read_together = grade_class(tmp_path, monkeypatch, shared=True)
    assert together == alone
    verdicts = {result.verdict for result in alone}
    assert {"correct", "partial", "incorrect", "invalid"} <= verdicts
    assert {result.mistake for result in alone} >= {"kernel_not_rotated", "no_activation_derivative"}
    assert read_alone == 4 * len(ANSWERS)
    assert read_together == len(ANSWERS)  # the first variant's reading, kept for the others


def test_the_rule_refuses_a_problem_with_its_own_mistakes(tmp_path: Path) -> None:
    """A drawn variant drops the lecturer's `mistakes:` (written for the problem's own numbers): its recursion's
    slips are then not the problem as written's, and an answer matching the lecturer's mistake must not be graded
    by whichever student came first. The witness: the written problem names the mistake, the variant does not."""
    wrong = ANSWERS[4]
    feedback = {"en": "Only the diagonal of the kernel was summed.", "zh": "只对卷积核的对角线求和。"}
    mistake = {"id": "diagonal_only", "answers": {"recursion": wrong}, "feedback": feedback, "credit": "1/2"}
    spec = {**SPEC, "mistakes": [mistake]}
    path = tmp_path / "conv-with-mistake.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    (written,) = prepare(solve_paths([path]))
    drawn = variant(written, 2)
    drawn = replace(drawn, problem=replace(drawn.problem, mistakes=()))
    made = prepare_variant(drawn, written, once=True)
    assert made.by_id["recursion"].seen is NOTHING_KEPT
    (nodes,) = [answers for n, answers in enumerate(answered(tmp_path, written)) if n == 4]
    assert grade_problem(written, nodes).parts[0].mistake == "diagonal_only"
    assert grade_problem(made, nodes).parts[0].mistake is None


def test_a_variant_for_one_student_keeps_nothing_on_the_slower_path_too() -> None:
    """A variant whose parts are not the problem as written's (a bias adds a part: prepare_variant's other path)
    and is graded for one student keeps nothing for a next one either (no memo a next student could read)."""
    written = written_conv()
    layer = written.problem.given
    biased = solve(replace(written.problem, given=replace(layer, bias=Fraction(1, 10))), witness=False)
    made = prepare_variant(biased, written, once=True)
    assert made.order != written.order and made.once
    assert all(part.seen is NOTHING_KEPT and part.unreadable is NOTHING_KEPT for part in made.every)
    many = prepare_variant(biased, written)
    assert all(part.seen is not NOTHING_KEPT for part in many.every)
