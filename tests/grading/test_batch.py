"""Grading many files: order kept, hung answers cost their part only, hostile files their own row."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from hwsolver.grading import batch, grader, workers
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths

GOOD = """\
student: S{n}
answers:
  relu-network-update:
    output_before: 0.274
    loss_decreased: yes
"""


@pytest.fixture(scope="module")
def prepared():
    return prepare(solve_paths(["problems/relu-network-update.yaml"]))


def write_class(folder: Path, count: int) -> list[str]:
    paths = []
    for n in range(count):
        path = folder / f"s{n:03}.yaml"
        path.write_text(GOOD.format(n=n))
        paths.append(str(path))
    return paths


def test_results_come_back_in_file_order_with_two_workers(tmp_path, prepared) -> None:
    files = write_class(tmp_path, 150)
    seen = []
    results = batch.grade_all(files, prepared, jobs=2, progress=seen.append)
    assert [r.student for r in results] == [f"S{n}" for n in range(150)]
    assert sum(seen) == 150
    assert all(r.score == 2 for r in results)


def test_a_check_that_hangs_in_python_costs_its_part(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.3)
    original = grader._grade_part

    def slow(prepared_problem, part, known, *rest):
        if part.part.id == "output_before" and known.value == (0.5,):
            while True:  # a runaway check, interruptible by the timer
                time.sleep(0.01)
        return original(prepared_problem, part, known, *rest)

    monkeypatch.setattr(grader, "_grade_part", slow)
    files = write_class(tmp_path, 3)
    Path(files[1]).write_text(GOOD.format(n=1).replace("0.274", "0.5"))
    results = batch.grade_all(files, prepared, jobs=1)
    parts = {p.id: p for p in results[1].problems[0].parts}
    assert parts["output_before"].verdict == "invalid"
    assert "took longer than 0.3 seconds" in parts["output_before"].feedback
    assert parts["loss_decreased"].verdict == "correct"
    assert [r.score for r in results] == [2, 1, 2]


def test_a_check_stuck_where_signals_cannot_reach_gets_its_worker_killed(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.3)
    monkeypatch.setattr(batch, "_KILL_AFTER", 1.5)
    original = grader._grade_part

    def stuck(prepared_problem, part, known, *rest):
        if part.part.id == "output_before" and known.value == (0.5,):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as if stuck inside C code
            time.sleep(60)
        return original(prepared_problem, part, known, *rest)

    monkeypatch.setattr(grader, "_grade_part", stuck)
    files = write_class(tmp_path, 4)
    Path(files[2]).write_text(GOOD.format(n=2).replace("0.274", "0.5"))
    start = time.monotonic()
    results = batch.grade_all(files, prepared, jobs=2)
    assert time.monotonic() - start < 20
    parts = {p.id: p for p in results[2].problems[0].parts}
    assert parts["output_before"].verdict == "invalid"
    assert parts["output_before"].feedback == "grading stopped on this answer: no progress in 1.5 seconds"
    assert parts["loss_decreased"].verdict == "correct"
    assert [r.student for r in results] == ["S0", "S1", "S2", "S3"]
    assert [r.score for r in results] == [2, 2, 1, 2]


def test_a_bug_on_one_file_costs_that_file_only(tmp_path, prepared, monkeypatch) -> None:
    original = workers.read_submission

    def broken(path, *args, **kwargs):
        if path.endswith("s001.yaml"):
            raise RecursionError("deep")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(workers, "read_submission", broken)
    results = batch.grade_all(write_class(tmp_path, 3), prepared, jobs=1)
    assert [r.score for r in results] == [2, 0, 2]
    assert results[1].error == "could not be graded: RecursionError in hwsolver (a bug; please report it)"


def test_a_worker_that_dies_costs_its_file_only(tmp_path, prepared, monkeypatch) -> None:
    import os

    original = workers.read_submission

    def fatal(path, *args, **kwargs):
        if path.endswith("s002.yaml"):
            os._exit(9)  # as the out-of-memory killer would
        return original(path, *args, **kwargs)

    monkeypatch.setattr(workers, "read_submission", fatal)
    results = batch.grade_all(write_class(tmp_path, 4), prepared, jobs=1)
    assert [r.score for r in results] == [2, 2, 0, 2]
    assert results[2].error == "grading stopped on this file: its grading process died"


def test_slow_files_are_not_mistaken_for_a_stuck_worker(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(batch, "_KILL_AFTER", 1.0)
    original = workers.read_submission

    def slow(path, *args, **kwargs):
        time.sleep(0.4)  # each file under the limit, the chunk of three well over it
        return original(path, *args, **kwargs)

    monkeypatch.setattr(workers, "read_submission", slow)
    results = batch.grade_all(write_class(tmp_path, 3), prepared, jobs=1)
    assert [r.score for r in results] == [2, 2, 2]
