"""A grading worker's time limits: each answer's, each file's, and the checks already known to run out of time.

The grader runs each part's reading and check inside `clock.guard(problem_id, part_id)`. The guard arms a timer
signal for the answer's limit, or for what is left of the file's budget when that is less; the timer's handler
raises Overtime with the limit's reason, which becomes the part's feedback. Both limits count the worker's own
processor time (ITIMER_PROF), not the wall clock: on a busy machine a worker gets a share of a core, and a verdict
must not depend on what else the machine was doing (a wall-clock limit stopped honest answers at high load). A check
that ran out of its own limit is remembered by its problem's answers as written (what a check computes depends on
nothing else), so an identical file does not pay again; a part not started before the budget ran out is not
remembered (it may be cheap).

The timer is armed lazily: a guard leaves it running when it ends, and the next guard re-arms it only when it would
ring after that guard's own limit; a ring outside every guard is ignored, and a ring meant for an earlier guard's
limit re-arms the timer for what is left of the current one. Two timer calls per part were a third of a guard's
cost, and a class with per-student variants enters ~30 guards per student.
"""

from __future__ import annotations

import hashlib
import math
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hwsolver.grading.grader import Overtime
from hwsolver.grading.prepared import PreparedProblem
from hwsolver.grading.submission import Submission
from hwsolver.spec.node import Node

Key = tuple[str, str, bytes]  # (problem id, part id, digest of the problem's answers as written)
# The timer counts processor time in scheduler ticks, so it may ring a few milliseconds early by this clock (tens on
# a busy machine): a budget left smaller than that is none (the next part would start with nothing a timer can
# measure), and once the file's own timer rang its budget is spent, whatever this clock says.
_SLACK = 0.02


class Clock:
    """The time limits of one worker, which marks in shared memory (`where`, `since`, `cpu`) what it works on
    and since when: by the wall clock, and by its processor time (`time.process_time()`)."""

    def __init__(
        self,
        prepared: Sequence[PreparedProblem],
        answer_seconds: float,
        file_seconds: float,
        where: Any,
        since: Any,
        cpu: Any,
    ) -> None:
        self.timed_out: dict[Key, str] = {}  # every check known to run out of time, with its reason
        self.new: list[tuple[Key, str]] = []  # those found here since the parent last asked
        self.answers: Mapping[str, Mapping[str, Node]] = {}  # the file's, by problem
        self.digests: dict[str, bytes] = {}
        self.deadline = 0.0
        self.reason = ""  # what the timer, when it rings, means
        self.out_of_time = f"this answer took longer than {answer_seconds:g} seconds to check"
        self.out_of_budget = f"not checked: the file used up its grading time ({file_seconds:g} seconds per file)"
        self.answer_seconds, self.file_seconds = answer_seconds, file_seconds
        self.where, self.since, self.cpu = where, since, cpu
        # by the processor clock: when the current guard's limit is reached (None outside every guard), and when
        # the timer, if armed, rings (inf: not armed); the timer never rings later than the current guard's limit
        self.stop_at: float | None = None
        self.rings_at = math.inf
        self.guard = _guards(self, prepared)
        signal.signal(signal.SIGPROF, self._ring)

    def begin(self, submission: Submission, skip: Mapping[tuple[str, str], str], spent: float) -> None:
        """A new file: its budget starts (less what a killed worker spent on it); parts it hung on are kept."""
        self.answers, self.digests = submission.answers, {}
        self.deadline = self.cpu[1] + self.file_seconds - spent
        for (problem_id, part_id), reason in skip.items():
            if problem_id:
                self.remember(self.key(problem_id, part_id), reason)

    def key(self, problem_id: str, part_id: str) -> Key:
        digest = self.digests.get(problem_id)
        if digest is None:
            hashed = hashlib.blake2b(digest_size=16)
            for name, node in self.answers.get(problem_id, {}).items():
                hashed.update(f"{name}\0{node.column}\0{node.plain:d}\0{node.source}\0".encode("utf-8", "replace"))
            digest = self.digests[problem_id] = hashed.digest()
        return problem_id, part_id, digest

    def remember(self, key: Key, reason: str) -> None:
        if key not in self.timed_out:
            self.timed_out[key] = reason
            self.new.append((key, reason))

    def news(self) -> list[tuple[Key, str]]:
        """The checks found to run out of time since last asked (for the parent to pass on to every worker)."""
        new, self.new = self.new, []
        return new

    def arm(self, seconds: float, stop_at: float) -> None:
        """Make the timer ring in `seconds`, at `stop_at` on the processor clock (armed before it is noted: a ring of
        the timer it replaces, handled in between, is then still told apart from this one's)."""
        signal.setitimer(signal.ITIMER_PROF, seconds)
        self.rings_at = stop_at

    def rest(self) -> None:
        """No timer between batches (a worker waiting for work has nothing to stop)."""
        self.arm(0, math.inf)

    def _ring(self, signum: int, frame: object) -> None:
        rang_for, self.rings_at = self.rings_at, math.inf  # the timer rings once
        stop_at = self.stop_at
        if stop_at is None:  # between guards: nothing to stop, and the next guard arms its own timer
            return
        if rang_for != stop_at:  # armed for another guard's limit: this one's may still be ahead
            now = time.process_time()
            if now < stop_at:
                self.arm(stop_at - now, stop_at)
                return
        raise Overtime(self.reason)


def _guards(clock: Clock, prepared: Sequence[PreparedProblem]) -> Callable[[str, str], Guard]:
    """`guard(problem_id, part_id)`: each part's guard, made once (this runs for every part of every file)."""
    guards = {
        (p.problem.id, part.part.id): Guard(clock, (p.problem.id, part.part.id), i, j)
        for i, p in enumerate(prepared)
        for j, part in enumerate(p.every)
    }

    def guard(problem_id: str, part_id: str) -> Guard:
        return guards[problem_id, part_id]

    return guard


class Guard:
    """Around one part's work: mark it in shared memory and see that the timer rings by its limit (a class: cheaper
    than a generator-based context manager). One per part, entered once at a time."""

    __slots__ = ("clock", "part", "part_index", "problem_index")

    def __init__(self, clock: Clock, part: tuple[str, str], problem_index: int, part_index: int) -> None:
        self.clock, self.part, self.problem_index, self.part_index = clock, part, problem_index, part_index

    def __enter__(self) -> None:
        clock = self.clock
        clock.where[1], clock.where[2] = self.problem_index, self.part_index
        clock.since[0] = time.monotonic()
        now = clock.cpu[0] = time.process_time()
        if clock.timed_out:
            known = clock.timed_out.get(clock.key(*self.part))
            if known:
                raise Overtime(known)
        left = clock.deadline - now
        if left <= _SLACK:
            raise Overtime(clock.out_of_budget)
        if left > clock.answer_seconds:
            clock.reason, seconds = clock.out_of_time, clock.answer_seconds
        else:
            clock.reason, seconds = clock.out_of_budget, left
        clock.stop_at = stop_at = now + seconds  # first: a ring from here on is judged against this guard's limit
        if clock.rings_at > stop_at:  # not armed, or armed to ring too late for this part
            clock.arm(seconds, stop_at)

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        clock = self.clock
        clock.stop_at = None  # the timer may ring on: outside a guard it is ignored
        clock.where[1] = clock.where[2] = -1
        if kind is Overtime and clock.reason == clock.out_of_time:  # its own limit, not the file's
            clock.remember(clock.key(*self.part), clock.reason)
        elif kind is Overtime:  # the file's: spent, though the system's clock may say a tick or two is left
            clock.deadline = -math.inf
