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
