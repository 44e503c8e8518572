"""Grading a whole class: worker processes on every core, each answer under a time limit, hung workers killed.

Each worker is forked after the problems are prepared, so it starts with every solution and compiled
reference in memory. A worker marks in shared memory which part it is checking; an answer that overruns its
limit inside Python is stopped by a timer signal in the worker; one that hangs in C code (where signals wait)
is stopped by the parent killing the worker: that part is marked invalid and its files are graded again in a
fresh worker. Either way a hostile answer costs its own part, never the batch.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from hwsolver.grading.grader import WHOLE_FILE, Overtime, grade_file, unreadable
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.grading.results import SubmissionResult

ANSWER_SECONDS = 3.0  # an answer's check stops here (formula checks take milliseconds)
_KILL_AFTER = 2 * ANSWER_SECONDS + 2  # a worker silent this long on one part is stuck in C code
_CHUNK = 64
_GC_THRESHOLD = 50_000  # allocations between collections of the youngest objects (Python's default: 700)

Task = list[tuple[int, str, dict[tuple[str, str], str]]]  # (index, file, parts to skip with reason)


def submission_files(paths: Sequence[str]) -> list[str]:
    """The submission files named by `paths`: files as given, folders as their *.yaml/*.yml files (sorted)."""
    files: list[str] = []
    for path in paths:
        if Path(path).is_dir():
            found = []
            for folder, _, names in os.walk(path):  # os.walk: no stat per file (a class has thousands)
                found.extend(os.path.join(folder, n) for n in names if n.endswith((".yaml", ".yml")))
            files.extend(sorted(found))
        else:
            files.append(path)  # a missing file gets its own row with the error
    return files


def _result(result: SubmissionResult, prepared: Sequence[PreparedProblem]) -> SubmissionResult:
    return result  # grade_all's default `finish`: the result itself


def grade_all(
    files: Sequence[str],
    prepared: Sequence[PreparedProblem],
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    finish: Callable[[SubmissionResult, Sequence[PreparedProblem]], Any] = _result,
) -> list[Any]:
    """Every file graded, in the order given, each passed through `finish` in its worker (rendering in
    parallel); `progress` is called with the number of files just finished."""
    results: list[Any] = [None] * len(files)
    size = _chunk(len(files), jobs)
    tasks: list[Task] = [
        [(i, files[i], {}) for i in range(start, min(start + size, len(files)))] for start in range(0, len(files), size)
    ]
    workers = [_Worker(prepared, finish) for _ in range(min(jobs or os.cpu_count() or 1, max(len(tasks), 1)))]
    try:
        while tasks or any(w.task for w in workers):
            for worker in workers:
                if worker.task is None and tasks:
                    worker.start(tasks.pop(0))
            ready = wait([w.connection for w in workers if w.task], timeout=0.5)
            for worker in workers:
                if not worker.task:
                    continue
                if worker.connection in ready:
                    try:
                        done = worker.receive()
                    except (EOFError, OSError):  # the process died (out of memory, a crash in C code)
                        tasks.insert(0, worker.restart("its grading process died"))
                        continue
                    for index, result in done:
                        results[index] = result
                    if progress:
                        progress(len(done))
                elif worker.stuck():
                    tasks.insert(0, worker.restart(f"no progress in {_KILL_AFTER:g} seconds"))
    finally:
        for worker in workers:
            worker.stop()
    return results


def _chunk(count: int, jobs: int | None) -> int:
    return max(1, min(_CHUNK, count // (4 * (jobs or os.cpu_count() or 1)) or 1))


class _Worker:
    """One forked grading process, with the shared slots where it says what it is working on and since when."""

    def __init__(self, prepared: Sequence[PreparedProblem], finish: Callable[..., Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.prepared, self.finish = prepared, finish
        self.where = context.RawArray("i", 3)  # task position, problem index, part index (-1: the file itself)
        self.since = context.RawValue("d", 0.0)  # when the current file or part began (time.monotonic)
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, prepared, finish, self.where, self.since), daemon=True
        )
        # Frozen, what exists now (sympy, the solutions) is never walked by the child's collector, which would
        # write to the pages the child shares with this process (copying them all).
        gc.freeze()
        self.process.start()
        gc.unfreeze()
        child.close()
        self.task: Task | None = None

    def start(self, task: Task) -> None:
        self.task = task
        self.where[0], self.where[1], self.where[2] = 0, -1, -1
        self.since.value = time.monotonic()
        self.connection.send(task)

    def receive(self) -> list[tuple[int, Any]]:
        done = self.connection.recv()
        self.task = None
        return done

    def stuck(self) -> bool:
        return time.monotonic() - self.since.value > _KILL_AFTER

    def restart(self, why: str) -> Task:
        """Kill the process and hand back its task, with what it was stuck on (a part, or the file) marked."""
        task, (position, problem, part) = self.task, tuple(self.where)
        self.process.kill()
        self.process.join()
        index, path, skip = task[position]
        if problem < 0:  # reading the file, or rendering its results
            skip = {**skip, WHOLE_FILE: f"grading stopped on this file: {why}"}
        else:
            prepared = self.prepared[problem]
            part_id = prepared.every[part].part.id
            skip = {**skip, (prepared.problem.id, part_id): f"grading stopped on this answer: {why}"}
        self.__init__(self.prepared, self.finish)  # a fresh process in the same slot
        return [*task[:position], (index, path, skip), *task[position + 1 :]]

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()


def _serve(
    connection: Connection,
    prepared: Sequence[PreparedProblem],
    finish: Callable[..., Any],
    where: Any,
    since: Any,
) -> None:
    """The worker's loop: grade each task's files, under a timer for every part."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # Grading allocates many small objects and hardly any cycles: collect them less often (13 % of the time else).
    gc.set_threshold(_GC_THRESHOLD)
    signal.signal(signal.SIGALRM, _overtime)
    problem_index = {p.problem.id: i for i, p in enumerate(prepared)}
    part_index = {(p.problem.id, part.part.id): j for p in prepared for j, part in enumerate(p.every)}

    class Guard:
        """Around one part's work: mark it in shared memory and arm the timer (a class: cheaper than a generator)."""

        def __init__(self, problem_id: str, part_id: str) -> None:
            where[1], where[2] = problem_index[problem_id], part_index[(problem_id, part_id)]

        def __enter__(self) -> None:
            since.value = time.monotonic()
            signal.setitimer(signal.ITIMER_REAL, ANSWER_SECONDS)

        def __exit__(self, *exc: object) -> None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            where[1] = where[2] = -1

    while (task := connection.recv()) is not None:
        done = []
        for position, (index, path, skip) in enumerate(task):
            where[0], where[1], where[2] = position, -1, -1
            since.value = time.monotonic()
            done.append((index, _grade_safely(path, prepared, skip, Guard, finish)))
        connection.send(done)


def _grade_safely(path: str, prepared: Sequence[PreparedProblem], skip: Any, guard: Any, finish: Any) -> Any:
    """One file's result, whatever happens: a bug in hwsolver costs this file its grade, not the batch."""
    if WHOLE_FILE in skip:
        return finish(unreadable(path, prepared, skip[WHOLE_FILE]), prepared)
    try:
        return finish(grade_file(path, prepared, skip, guard, ANSWER_SECONDS), prepared)
    except Exception as error:  # reported in the file's row; the other files go on
        reason = f"could not be graded: {type(error).__name__} in hwsolver (a bug; please report it)"
        return finish(unreadable(path, prepared, reason), prepared)


def _overtime(signum: int, frame: object) -> None:
    raise Overtime
