"""A worker's clock: a file whose budget ran out starts no further part, whatever the system's clock says after."""

from __future__ import annotations

import multiprocessing
import signal
import time
from types import SimpleNamespace

import pytest

from hwsolver.grading import clock as clocks
from hwsolver.grading.grader import Overtime
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths

OUT_OF_BUDGET = "used up its grading time"
OUT_OF_TIME = "took longer than 0[.]3 seconds"


@pytest.fixture(scope="module")
def prepared():
    return prepare(solve_paths(["problems/relu-network-update.yaml"]))


def _busy(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_once_the_files_timer_rang_no_part_starts_though_the_clock_says_time_is_left(prepared, monkeypatch) -> None:
    where, since, cpu = (multiprocessing.RawArray(kind, size) for kind, size in (("i", 3), ("d", 2), ("d", 2)))
    behind = [0.0]  # how far the system's clock is made to lag behind the timer's (as it may on a busy machine)
    shim = SimpleNamespace(monotonic=time.monotonic, process_time=lambda: time.process_time() - behind[0])
    monkeypatch.setattr(clocks, "time", shim)
    clock = clocks.Clock(prepared, 3.0, 0.1, where, since, cpu)
    try:
        cpu[1] = shim.process_time()
        clock.deadline = cpu[1] + 0.1  # the file's budget: less than an answer's limit
        problem_id, (first, second, *_) = prepared[0].problem.id, [part.part.id for part in prepared[0].every]
        with pytest.raises(Overtime, match=OUT_OF_BUDGET), clock.guard(problem_id, first):
            _busy(1.0)  # stopped by the timer, at the budget's end
        behind[0] = 0.2  # by the system's clock, time is left
        with pytest.raises(Overtime, match=OUT_OF_BUDGET), clock.guard(problem_id, second):
            raise AssertionError("started")
        clock.deadline = shim.process_time() + 0.5  # the next file (Clock.begin): its own budget
        with clock.guard(problem_id, second):
            pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


@pytest.fixture
def clock(prepared, monkeypatch):
    """A worker's clock with 0.3 s per answer and 10 s per file, its timer calls counted."""
    armed: list[float] = []

    def setitimer(which: int, seconds: float) -> tuple[float, float]:
        armed.append(seconds)
        return signal.setitimer(which, seconds)

    monkeypatch.setattr(clocks, "signal", SimpleNamespace(**{**vars(signal), "setitimer": setitimer}))
    where, since, cpu = (multiprocessing.RawArray(kind, size) for kind, size in (("i", 3), ("d", 2), ("d", 2)))
    made = clocks.Clock(prepared, 0.3, 10.0, where, since, cpu)
    made.armed = armed
    made.deadline = time.process_time() + 10.0
    try:
        yield made
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


def test_the_timer_is_armed_once_for_many_quick_parts(prepared, clock) -> None:
    problem_id, parts = prepared[0].problem.id, [part.part.id for part in prepared[0].every]
    for _ in range(50):
        for part_id in parts:
            with clock.guard(problem_id, part_id):
                assert clock.where[1] == 0 and clock.where[2] == parts.index(part_id)
            assert clock.where[1] == clock.where[2] == -1
    assert clock.armed == [0.3]  # the first part's limit: every later part's ends after it


def test_a_part_gets_its_whole_limit_though_the_timer_was_armed_for_an_earlier_one(prepared, clock) -> None:
    problem_id, (first, second, *_) = prepared[0].problem.id, [part.part.id for part in prepared[0].every]
    with clock.guard(problem_id, first):
        _busy(0.2)  # the timer rings 0.1 s into the next part
    start = time.process_time()
    with pytest.raises(Overtime, match=OUT_OF_TIME), clock.guard(problem_id, second):
        _busy(2.0)
    assert time.process_time() - start > 0.2  # not stopped by the first part's ring, but by its own limit
    assert len(clock.armed) == 2  # the first part's timer, re-armed by its ring for what was left of the second's
    assert clock.timed_out  # remembered as running out of its own limit


def test_a_ring_between_parts_raises_nothing_and_the_next_part_arms_its_own(prepared, clock) -> None:
    problem_id, (first, second, *_) = prepared[0].problem.id, [part.part.id for part in prepared[0].every]
    with clock.guard(problem_id, first):
        pass
    _busy(0.5)  # unguarded work: the first part's timer rings here, and is ignored
    assert clock.rings_at == float("inf")
    start = time.process_time()
    with pytest.raises(Overtime, match=OUT_OF_TIME), clock.guard(problem_id, second):
        _busy(2.0)
    assert time.process_time() - start > 0.2
    assert len(clock.armed) == 2
    clock.rest()  # between batches: no timer
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
