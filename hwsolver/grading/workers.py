"""The grading processes: forked with every problem prepared, each answer under a time limit, each file under a
time budget, and bound to the grader's life.

A worker marks in shared memory which file and part it is working on and since when, by the wall clock and by its
own processor time, which is what every limit counts (a verdict must not depend on how busy the machine was). An
answer that overruns its limit inside Python is stopped by a timer signal in the worker; one that hangs in C code
(where signals wait) is stopped by the parent killing the worker (see batch.py). A check that ran out of time is
remembered, by the text of its problem's answers, and the parent passes it on to every worker: copies of a hostile
file pay once. A worker dies with the grader: the kernel kills it when its parent goes (Linux), and it ends when its
pipe closes (a worker holds no other process's end of any pipe).
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

from hwsolver.errors import HwsolverError, SpecError
from hwsolver.grading.clock import Clock, Key
from hwsolver.grading.display import shown
from hwsolver.grading.grader import WHOLE_FILE, grade_submission, unreadable
from hwsolver.grading.prepared import PreparedProblem, part_ids
from hwsolver.grading.submission import read_submission

ANSWER_SECONDS = 3.0  # an answer's check stops here (formula checks take milliseconds)
GC_THRESHOLD = 50_000  # allocations between collections of the youngest objects (Python's default: 700)
_PR_SET_PDEATHSIG = 1
_BLOCKED = 10  # a worker that uses no processor time on a part is stuck after this many times the limit


class Job(NamedTuple):
    """One file for a worker: where its result goes, what to open and show, what is already known about it."""

    index: int
    path: str
    shown: str
    skip: dict[tuple[str, str], str]  # parts (or WHOLE_FILE) not to grade, with the reason
    notes: tuple[str, ...] = ()  # warnings the batch adds (another file claims the same student id)
    spent: float = 0.0  # seconds of its budget used by a worker that was killed on it


TimedOut = tuple[Key, str]  # a check that ran out of time, and the reason its part is given
# A student's own problems (a per-student variant) from the student id and the problems as written; a
# HwsolverError (a student without a variant) becomes the file's row with its message.
Choose = Callable[[str, Sequence[PreparedProblem]], Sequence[PreparedProblem]]

_parent_ends: list[Connection] = []  # this process's ends of the workers' pipes: a new worker closes its copies


def usable_cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Worker:
    """One forked grading process, with the shared slots where it says what it is working on and since when."""

    def __init__(
        self,
        prepared: Sequence[PreparedProblem],
        finish: Callable[..., Any],
        file_seconds: float,
        choose: Choose | None = None,
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.prepared, self.finish, self.file_seconds, self.choose = prepared, finish, file_seconds, choose
        self.where = context.RawArray("i", 3)  # job position, problem index, part index (-1: the file itself)
        self.since = context.RawArray("d", 2)  # when the current part, and the current file, began (monotonic)
        self.cpu = context.RawArray("d", 2)  # the same, in the worker's processor time (`time.process_time()`)
        self.connection, child = context.Pipe()
        _parent_ends.append(self.connection)
        self.process = context.Process(
            target=_serve,
            args=(child, os.getpid(), prepared, finish, file_seconds, self.where, self.since, self.cpu, choose),
            daemon=True,
        )
        # Frozen, what exists now (sympy, the solutions) is never walked by the child's collector, which would
        # write to the pages the child shares with this process (copying them all).
        gc.freeze()
        self.process.start()
        gc.unfreeze()
        child.close()
        self.jobs: list[Job] | None = None
        self.shared = 0  # how many of the batch's timed-out checks this process has been told of

    def start(self, jobs: list[Job], timed_out: list[TimedOut]) -> None:
        self.jobs = jobs
        self.where[0], self.where[1], self.where[2] = 0, -1, -1
        self.since[0] = self.since[1] = time.monotonic()
        self.cpu[0] = self.cpu[1] = processor_seconds(self.process.pid) or 0.0  # until the worker marks its own
        self.connection.send((jobs, timed_out[self.shared :]))
        self.shared = len(timed_out)

    def receive(self) -> tuple[list[tuple[int, str | None, Any]], list[TimedOut]]:
        done = self.connection.recv()
        self.jobs = None
        return done

    def silent_for(self) -> float:
        """How long the worker has been on its current part, in its own processor time where the system says
        (Linux); by the wall clock elsewhere. A worker blocked without using the processor counts a tenth of the
        wall-clock time (`_BLOCKED`), so that it too is stopped in the end."""
        wall = time.monotonic() - self.since[0]
        used = processor_seconds(self.process.pid)
        return wall if used is None else max(used - self.cpu[0], wall / _BLOCKED)

    def restart(self, why: str) -> list[Job]:
        """Kill the process and hand back its jobs, with what it was stuck on (a part, or the file) marked."""
        jobs, (position, problem, part) = self.jobs or [], tuple(self.where)
        used = processor_seconds(self.process.pid)
        spent = time.monotonic() - self.since[1] if used is None else used - self.cpu[1]
        self.stop(kill=True)
        job = jobs[position]
        if problem < 0:  # reading the file, or rendering its results
            skip = {**job.skip, WHOLE_FILE: f"grading stopped on this file: {why}"}
        else:
            prepared = self.prepared[problem]
            key = (prepared.problem.id, prepared.every[part].part.id)
            skip = {**job.skip, key: f"grading stopped on this answer: {why}"}
        self.__init__(self.prepared, self.finish, self.file_seconds, self.choose)  # a fresh process, same slot
        return [*jobs[:position], job._replace(skip=skip, spent=job.spent + spent), *jobs[position + 1 :]]

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.connection.send(None)
            except OSError:
                kill = True
            self.process.join(timeout=1)
        if kill or self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()
        _parent_ends.remove(self.connection)


def _serve(
    connection: Connection,
    parent: int,
    prepared: Sequence[PreparedProblem],
    finish: Callable[..., Any],
    file_seconds: float,
    where: Any,
    since: Any,
    cpu: Any,
    choose: Choose | None = None,
) -> None:
    """The worker's loop: grade each job's file, under a timer for every part."""
    _bind_to(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Grading allocates many small objects and hardly any cycles: collect them less often (13 % of the time else).
    gc.set_threshold(GC_THRESHOLD)
    clock = Clock(prepared, ANSWER_SECONDS, file_seconds, where, since, cpu)
    parts = part_ids(prepared)
    asked = {p.problem.id: {part.part.id for part in p.parts} for p in prepared}

    def grade(job: Job) -> tuple[str | None, Any]:
        """One file's result, whatever happens: a bug in hwsolver costs this file its grade, not the batch."""
        try:
            if WHOLE_FILE in job.skip:
                return _finished(unreadable(job.shown, prepared, job.skip[WHOLE_FILE]), job, prepared, finish)
            try:
                submission = read_submission(job.path, parts, job.shown, asked=asked)
            except SpecError as error:
                return _finished(unreadable(job.shown, prepared, shown(str(error))), job, prepared, finish)
            own = prepared
            if choose is not None:  # the student's own variant
                try:
                    own = choose(submission.student, prepared)
                except HwsolverError as error:
                    result = replace(unreadable(job.shown, prepared, shown(str(error))), student=submission.student)
                    return _finished(result, job, prepared, finish)
            clock.begin(submission, job.skip, job.spent)
            result = grade_submission(submission, own, job.skip, clock.guard, ANSWER_SECONDS)
            return _finished(result, job, own, finish)
        except Exception as error:  # reported in the file's row; the other files go on
            reason = f"could not be graded: {type(error).__name__} in hwsolver (a bug; please report it)"
            return _finished(unreadable(job.shown, prepared, reason), job, prepared, finish)

    try:
        while (message := connection.recv()) is not None:
            jobs, timed_out = message
            clock.timed_out.update(timed_out)
            done = []
            for position, job in enumerate(jobs):
                where[0], where[1], where[2] = position, -1, -1
                since[0] = since[1] = time.monotonic()
                cpu[0] = cpu[1] = time.process_time()
                done.append((job.index, *grade(job)))
            clock.rest()
            connection.send((done, clock.news()))
            # What outlives a batch (the memos, the variants kept) would otherwise be walked again by every
            # collection of the older generations; frozen, it is freed by reference counts alone. The grader
            # makes next to no reference cycles, so what a cycle leaves frozen stays small.
            gc.freeze()
    except (EOFError, OSError):  # the grader is gone
        pass


def processor_seconds(pid: int) -> float | None:
    """The processor time (user and system) a process has used so far, from Linux's /proc; None elsewhere."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stream:
            fields = stream.read().rsplit(b")", 1)[1].split()  # after the command name, which may hold spaces
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime and stime, the 14th and 15th fields


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _finished(
    result: Any, job: Job, prepared: Sequence[PreparedProblem], finish: Callable[..., Any]
) -> tuple[str | None, Any]:
    """The student id (for the batch to see ids claimed twice) and the finished result."""
    if job.notes:
        result = replace(result, warnings=(*job.notes, *result.warnings))
    return result.student, finish(result, prepared)


def _bind_to(parent: int) -> None:
    """Die with the grader: close the copies of the parent's pipe ends (so that a worker's pipe closes when the
    grader goes), and on Linux ask the kernel to kill this process when its parent dies, even by SIGKILL."""
    for end in _parent_ends:
        end.close()
    _parent_ends.clear()
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # gone already, before the request was made
        os._exit(0)
