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
                pass
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
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})  # as if stuck inside C code
            end = time.monotonic() + 60
            while time.monotonic() < end:  # busy, as a check stuck in C code is
                pass
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


def _busy(seconds: float) -> None:
    """Use this much processor time (what the limits count)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_slow_files_are_not_mistaken_for_a_stuck_worker(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(batch, "_KILL_AFTER", 1.0)
    original = workers.read_submission

    def slow(path, *args, **kwargs):
        _busy(0.4)  # each file under the limit, the chunk of three well over it
        return original(path, *args, **kwargs)

    monkeypatch.setattr(workers, "read_submission", slow)
    results = batch.grade_all(write_class(tmp_path, 3), prepared, jobs=1)
    assert [r.score for r in results] == [2, 2, 2]


# -- time budgets ------------------------------------------------------------------------------------------

ALL_SLOW = """\
student: S{n}
answers:
  relu-network-update:
    output_before: slow
    loss_before: slow
    gradients: slow
    params_after: slow
    output_after: slow
    loss_after: slow
    loss_decreased: slow
"""
OUT_OF_TIME = "this answer took longer than 0.2 seconds to check"
OUT_OF_BUDGET = "not checked: the file used up its grading time (0.5 seconds per file)"


def slow_answers(monkeypatch, log: Path, block_signals: bool = False) -> None:
    """Reading an answer written `slow` runs until stopped; each start is logged (workers are processes)."""
    original = grader.read_answer

    def read(node, *rest):
        if node.source == "slow":
            with log.open("a") as stream:
                stream.write(f"{node.path}\n")
            if block_signals:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})  # as if stuck inside C code
            while True:  # busy: the limits count processor time
                pass
        return original(node, *rest)

    monkeypatch.setattr(grader, "read_answer", read)


def test_a_file_stops_at_its_budget_and_the_next_file_has_its_own(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.2)
    log = tmp_path / "log"
    slow_answers(monkeypatch, log)
    files = write_class(tmp_path, 2)
    Path(files[0]).write_text(ALL_SLOW.format(n=0))
    results = batch.grade_all(files, prepared, jobs=1, file_seconds=0.5)
    reasons = [part.feedback for part in results[0].problems[0].parts]
    assert all(part.verdict == "invalid" for part in results[0].problems[0].parts)
    # 0.5 s hold two full answer limits and part of a third; the parts after that are not even started.
    started = len(log.read_text().splitlines())
    assert 1 <= started <= 3
    assert set(reasons[: started - 1]) <= {OUT_OF_TIME}
    assert reasons[started:] == [OUT_OF_BUDGET] * (7 - started)
    assert results[1].score == 2  # the next file starts with a full budget


def test_copies_of_a_file_that_ran_out_of_time_pay_once(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.2)
    log = tmp_path / "log"
    slow_answers(monkeypatch, log)
    files = write_class(tmp_path, 8)
    for n in range(1, 7):  # six copies of one hostile file, each with its own student id
        Path(files[n]).write_text(GOOD.format(n=n).replace("0.274", "slow"))
    results = batch.grade_all(files, prepared, jobs=1)
    assert log.read_text().splitlines() == ["answers.relu-network-update.output_before"]
    for result in results[1:7]:
        parts = {p.id: p for p in result.problems[0].parts}
        assert (parts["output_before"].verdict, parts["output_before"].feedback) == ("invalid", OUT_OF_TIME)
        assert parts["loss_decreased"].verdict == "correct"
    assert [r.score for r in results] == [2, 1, 1, 1, 1, 1, 1, 2]


def test_a_timed_out_check_is_remembered_with_its_problems_answers_only(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.2)
    log = tmp_path / "log"
    slow_answers(monkeypatch, log)
    files = write_class(tmp_path, 2)
    for n, decreased in enumerate(("yes", "no")):  # the same slow answer beside other answers: checked again
        Path(files[n]).write_text(GOOD.format(n=n).replace("0.274", "slow").replace("yes", decreased))
    batch.grade_all(files, prepared, jobs=1)
    assert len(log.read_text().splitlines()) == 2


def test_workers_share_what_ran_out_of_time_even_across_a_kill(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.2)
    monkeypatch.setattr(batch, "_KILL_AFTER", 1.0)
    log = tmp_path / "log"
    slow_answers(monkeypatch, log, block_signals=True)
    files = write_class(tmp_path, 5)
    for n in range(5):
        Path(files[n]).write_text(GOOD.format(n=n).replace("0.274", "slow"))
    results = batch.grade_all(files, prepared, jobs=1)
    assert len(log.read_text().splitlines()) == 1  # one worker killed; the four copies after it know
    reason = "grading stopped on this answer: no progress in 1 seconds"
    for result in results:
        parts = {p.id: p for p in result.problems[0].parts}
        assert (parts["output_before"].verdict, parts["output_before"].feedback) == ("invalid", reason)
        assert parts["loss_decreased"].verdict == "correct"


def test_jobs_are_capped_at_the_cores(tmp_path, prepared, monkeypatch) -> None:
    started = []
    original = workers.Worker.__init__

    def counted(self, *args):
        started.append(1)
        original(self, *args)

    monkeypatch.setattr(workers.Worker, "__init__", counted)
    monkeypatch.setattr(batch, "usable_cores", lambda: 2)
    results = batch.grade_all(write_class(tmp_path, 40), prepared, jobs=1000)
    assert len(started) == 2
    assert [r.score for r in results] == [2] * 40


# -- limits count processor time ---------------------------------------------------------------------------


def test_a_check_that_waits_is_not_stopped_by_the_wall_clock(tmp_path, prepared, monkeypatch) -> None:
    """A busy machine gives a worker a share of a core: the limits count the worker's own processor time, so a
    check the machine kept waiting past the limit by the wall clock still gets its verdict."""
    monkeypatch.setattr(workers, "ANSWER_SECONDS", 0.2)
    original = grader._grade_part

    def waiting(prepared_problem, part, known, *rest):
        if part.part.id == "output_before":
            time.sleep(0.5)  # waiting, as a process the machine does not run; no processor time used
        return original(prepared_problem, part, known, *rest)

    monkeypatch.setattr(grader, "_grade_part", waiting)
    results = batch.grade_all(write_class(tmp_path, 1), prepared, jobs=1, file_seconds=0.4)
    assert [p.verdict for p in results[0].problems[0].parts][:1] == ["correct"]
    assert results[0].score == 2


def test_a_worker_blocked_without_using_the_processor_is_stopped_in_the_end(tmp_path, prepared, monkeypatch) -> None:
    monkeypatch.setattr(batch, "_KILL_AFTER", 0.3)
    monkeypatch.setattr(workers, "_BLOCKED", 4)  # 1.2 s by the wall clock
    original = grader._grade_part

    def blocked(prepared_problem, part, known, *rest):
        if part.part.id == "output_before" and known.value == (0.5,):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})
            time.sleep(60)
        return original(prepared_problem, part, known, *rest)

    monkeypatch.setattr(grader, "_grade_part", blocked)
    files = write_class(tmp_path, 2)
    Path(files[1]).write_text(GOOD.format(n=1).replace("0.274", "0.5"))
    start = time.monotonic()
    results = batch.grade_all(files, prepared, jobs=1)
    assert time.monotonic() - start < 30
    parts = {p.id: p for p in results[1].problems[0].parts}
    assert parts["output_before"].feedback == "grading stopped on this answer: no progress in 0.3 seconds"
    assert [r.score for r in results] == [2, 1]


def test_processor_seconds_reads_a_process_own_time() -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc")
    import os

    before = workers.processor_seconds(os.getpid())
    _busy(0.3)
    after = workers.processor_seconds(os.getpid())
    assert before is not None and after is not None
    assert 0.2 <= after - before <= 0.3 + 0.5  # ticks of 10 ms; a share of another thread's time at most
    assert workers.processor_seconds(2**22 + 12345) is None  # no such process
