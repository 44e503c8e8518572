"""Grading each student against their own variant, as the lock froze it: each distinct variant solved and prepared
once (in the worker that first meets it), the most recent kept; a variant the same as the problem as written
shares its preparation (and what the class's answers to it have taught the grader)."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence

from hwsolver.errors import HwsolverError
from hwsolver.grading.prepared import PreparedProblem, prepare_variant
from hwsolver.model import Problem
from hwsolver.spec.assignments import Assignment
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.lock import Givens, Lock, check_lock

_KEPT = 256  # prepared variants of choices kept per worker (a choice repeats its few)
# ... and of drawn numbers, which seldom repeat: the last student's only. Kept longer, each lived through many of
# the collector's runs, and was freed cold (a variant is some 800 objects): dropped one student later, its memory
# is still in the cache and is reused at once (4% less processor time grading 10,000 students, against 32 kept)
_DRAWN_STUDENTS = 1


class Chooser:
    """workers.Choose: a student's own prepared problems, from the lock."""

    def __init__(self, assignment: Assignment, lock: Lock) -> None:
        self.makers = [ProblemVariants(entry) for entry in assignment.entries]
        check_lock(lock, assignment.id, [m.entry.problem.id for m in self.makers])
        self.lock = lock
        self.as_written = [m.written for m in self.makers]
        # by (problem id, the lock entry's text): a variant's preparation (None: the problem as written), of
        # problems varied by choices alone, and of the others
        self.kept: OrderedDict[tuple[str, str], PreparedProblem | None] = OrderedDict()
        self.drawn: OrderedDict[tuple[str, str], PreparedProblem | None] = OrderedDict()
        self.drawn_kept = _DRAWN_STUDENTS * max(1, sum(m.varies and not m.chooses for m in self.makers))
        self.work: Counter[str] = Counter()  # lock entries read, variants prepared, found again (tests count them)

    def __call__(self, student: str, prepared: Sequence[PreparedProblem]) -> list[PreparedProblem]:
        found = self.lock.student(student)
        if found is None:
            raise HwsolverError(
                f"student '{student}' is not in the lock {self.lock.source}: there is no variant to grade against"
            )
        givens = self.lock.students[found]
        from hwsolver.solving import quiet  # (NumPy: loaded once a lock is graded)

        with quiet():  # one NumPy error state for the student's variants, built, solved and prepared (_prepared)
            return self._own(found, givens, prepared)

    def _own(self, found: str, givens: Givens, prepared: Sequence[PreparedProblem]) -> list[PreparedProblem]:
        own = []
        for maker, written, base in zip(self.makers, self.as_written, prepared):
            problem_id = maker.entry.problem.id
            entry = givens.raw(problem_id)
            if entry is None:
                if maker.varies:
                    raise HwsolverError(f"{self.lock.source}: student '{found}' has no variant of {problem_id}")
                own.append(base)
                continue
            # By the entry's text as the lock holds it: a choice's few variants and the problem as written, met
            # again by most students, are then never read from the lock again.
            key = (problem_id, entry)
            store, size = (self.kept, _KEPT) if maker.chooses else (self.drawn, self.drawn_kept)
            if key in store:
                store.move_to_end(key)
                kept = store[key]
                self.work["found again"] += kept is not None
            else:
                self.work["read"] += 1
                kept = self._variant(maker, base, givens, problem_id, written)
                store[key] = kept
                if len(store) > size:
                    store.popitem(last=False)
            own.append(base if kept is None else kept)
        return own

    def _variant(
        self, maker: ProblemVariants, base: PreparedProblem, givens: Givens, problem_id: str, written: str
    ) -> PreparedProblem | None:
        """The student's prepared variant, None for the problem as written. A lock as written is read straight
        from its entry's text where the kind can (build_written), else (and for every message) by the spec reader."""
        text = givens.flow(problem_id)
        if text is not None:
            if text == written:
                return None
            problem = maker.build_written(text)
            if problem is not None:
                self.work["read directly"] += 1
                return self._prepared(maker, base, problem)
        given = givens[problem_id]
        if given.source == written:  # as the lock writes it: flow text, the same for the same numbers
            return None
        # (build checked its parts); the title only, which feedback shows
        return self._prepared(maker, base, maker.build(given, texts=("title",)))

    def _prepared(self, maker: ProblemVariants, base: PreparedProblem, problem: Problem) -> PreparedProblem:
        from hwsolver.solving import solve_quiet

        # The exact path alone: the second witness ran when the variant was drawn (`check --lock` runs it again).
        self.work["prepared"] += 1
        # a variant of drawn numbers is one student's alone: no memo for a next one
        return prepare_variant(solve_quiet(problem, witness=False), base, order=maker.parts, once=not maker.chooses)
