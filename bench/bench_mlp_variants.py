"""Benchmark: what one student's variant of an mlp_backprop problem costs the kind, piece by piece, in processor
microseconds per variant: reading its given (parse_given), the exact training (exact.train), the whole solve,
the classic slips in one stacked float run (grading.mutants), and building the follow-through routes and chain.

Run: python bench/bench_mlp_variants.py [N [ROUNDS]]   (default 1000 variants, best of 5 rounds; after
`pip install -e .`). The variants are drawn as `hwsolver assign` draws them (problem relu-network-update of the
built-in homework, students PB21000000...), once, before timing; the cycle collector is frozen after drawing, as
a grading worker's is (gc.freeze), so that the heap of the drawn variants is not walked inside the timings.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from hwsolver.compute.networks import exact
from hwsolver.kinds import KINDS
from hwsolver.kinds.mlp_backprop import follow, grading
from hwsolver.solving import solve
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants

PROBLEM = "relu-network-update"


def timed(name: str, work: Callable[[Any], Any], items: Sequence[Any], rounds: int) -> None:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            work(item)
        best = min(best, time.process_time() - start)
    print(f"  {name:14} {1e6 * best / len(items):7.1f} us")


def follow_built(pair: tuple) -> None:
    follow._last.clear()  # the network last built for is kept: each variant builds its own
    follow.follow_through(*pair)
    follow.chain(*pair)


def main(count: int = 1000, rounds: int = 5) -> None:
    homework = load_set()
    maker = next(ProblemVariants(entry) for entry in homework.entries if entry.problem.id == PROBLEM)
    givens = [maker.draw(homework.salt or "", f"PB{21000000 + n}").given for n in range(count)]
    problems = [maker.build(given, texts=("title",)) for given in givens]
    solutions = [solve(problem, witness=False) for problem in problems]
    gc.freeze()
    kind = KINDS["mlp_backprop"]
    print(f"{PROBLEM}: processor time per variant (best of {rounds} rounds of {count})")
    timed("parse_given", kind.parse_given, givens, rounds)
    timed("exact.train", lambda problem: exact.train(problem.given), problems, rounds)
    timed("solve", lambda problem: solve(problem, witness=False), problems, rounds)
    timed("mutants", lambda pair: grading.mutants(*pair), list(zip(problems, solutions)), rounds)
    timed("follow+chain", follow_built, list(zip(problems, solutions)), rounds)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
