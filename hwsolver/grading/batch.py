"""Grading a whole class: worker processes on every core (workers.py), hung workers killed, and what only the
whole class shows (two files claiming one student id).

A hostile answer costs its own part, a hostile file its own row, never the batch: a part whose check hangs in
C code is marked invalid when the parent kills its worker, and the file is graded again in a fresh worker.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from multiprocessing.connection import wait
from typing import Any

from hwsolver.grading.display import shown_path
from hwsolver.grading.files import Source
from hwsolver.grading.grader import unreadable
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.grading.results import SubmissionResult
from hwsolver.grading.workers import ANSWER_SECONDS, Choose, Job, TimedOut, Worker, usable_cores

FILE_SECONDS = 10.0  # a file's checks stop here, whatever its answers (an honest file takes milliseconds)
_KILL_AFTER = 2 * ANSWER_SECONDS + 2  # a worker silent this long on one part is stuck in C code
_CHUNK = 64
_NAMED = 3  # other files named in a warning about a shared student id


def _result(result: SubmissionResult, prepared: Sequence[PreparedProblem]) -> SubmissionResult:
    return result  # grade_all's default `finish`: the result itself


def grade_all(
    sources: Sequence[Source | str],
    prepared: Sequence[PreparedProblem],
    *,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    finish: Callable[[SubmissionResult, Sequence[PreparedProblem]], Any] = _result,
    file_seconds: float = FILE_SECONDS,
    notice: Callable[[str], None] | None = None,
    choose: Choose | None = None,
) -> list[Any]:
    """Every file graded, in the order given, each passed through `finish` in its worker (rendering in
    parallel); `progress` is called with the number of files just finished, `notice` with each line the lecturer
    should read (a student id claimed by two files), `choose` with each student id for that student's own
    problems (per-student variants). Files given as Source may be skipped (their reason in their row); at most
    one worker per core."""
    sources = [s if isinstance(s, Source) else Source(s, shown_path(s)) for s in sources]
    results: list[Any] = [None] * len(sources)
    skipped = [i for i, source in enumerate(sources) if source.skipped]
    for index in skipped:  # a link, a named pipe: never opened
        results[index] = finish(unreadable(sources[index].shown, prepared, sources[index].skipped), prepared)
    if progress and skipped:
        progress(len(skipped))
    todo = [Job(i, s.path, s.shown, {}) for i, s in enumerate(sources) if not s.skipped]
    pool = _Pool(prepared, finish, jobs, file_seconds, len(todo), choose)
    try:
        students = pool.run(todo, results, progress)
        notes = _shared_ids(students, sources, notice)
        if notes:  # graded again with the warning: each keeps its own row, and both are flagged
            pool.run([job._replace(notes=(notes[job.index],)) for job in todo if job.index in notes], results, None)
    finally:
        pool.stop()
    return results


def _shared_ids(
    students: dict[int, str | None], sources: Sequence[Source], notice: Callable[[str], None] | None
) -> dict[int, str]:
    """A warning for each file whose student id another file also claims (ids compared as a person would read
    them: without regard to case or to full-width letters), naming the others."""
    claims: dict[str, list[int]] = {}
    for index, student in sorted(students.items()):
        if student is not None:
            claims.setdefault(unicodedata.normalize("NFKC", student).casefold(), []).append(index)
    notes = {}
    for indexes in claims.values():
        if len(indexes) < 2:
            continue
        student = students[indexes[0]]
        for index in indexes:
            others = [sources[i].shown for i in indexes if i != index]
            named = ", ".join(others[:_NAMED]) + (f" and {len(others) - _NAMED} more" if len(others) > _NAMED else "")
            notes[index] = f"the student id '{students[index]}' is claimed by another file too: {named} (both graded)"
        if notice:
            files = ", ".join(sources[i].shown for i in indexes)
            notice(f"student id '{student}' is claimed by {len(indexes)} files (each graded and warned): {files}")
    return notes


class _Pool:
    """The workers, at most one per core and none idle from the start, and the checks that ran out of time."""

    def __init__(
        self,
        prepared: Sequence[PreparedProblem],
        finish: Callable[..., Any],
        jobs: int | None,
        file_seconds: float,
        count: int,
        choose: Choose | None = None,
    ) -> None:
        cores = usable_cores()
        self.size = min(jobs or cores, cores)
        self.chunk = max(1, min(_CHUNK, count // (4 * self.size) or 1))
        workers = min(self.size, -(-count // self.chunk))
        self.workers = [Worker(prepared, finish, file_seconds, choose) for _ in range(workers)]
        self.timed_out: list[TimedOut] = []  # found by any worker, passed on to all

    def run(self, todo: list[Job], results: list[Any], progress: Callable[[int], None] | None) -> dict[int, Any]:
        """Grade the jobs into `results`; the student id of each file graded, by index."""
        tasks = [todo[start : start + self.chunk] for start in range(0, len(todo), self.chunk)]
        students: dict[int, Any] = {}
        while tasks or any(w.jobs for w in self.workers):
            for worker in self.workers:
                if worker.jobs is None and tasks:
                    worker.start(tasks.pop(0), self.timed_out)
            ready = wait([w.connection for w in self.workers if w.jobs], timeout=0.5)
            for worker in self.workers:
                if not worker.jobs:
                    continue
                if worker.connection in ready:
                    try:
                        done, timed_out = worker.receive()
                    except (EOFError, OSError):  # the process died (out of memory, a crash in C code)
                        tasks.insert(0, worker.restart("its grading process died"))
                        continue
                    self.timed_out.extend(timed_out)
                    for index, student, result in done:
                        results[index], students[index] = result, student
                    if progress:
                        progress(len(done))
                elif worker.silent_for() > _KILL_AFTER:
                    tasks.insert(0, worker.restart(f"no progress in {_KILL_AFTER:g} seconds"))
        return students

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
