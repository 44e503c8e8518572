"""Benchmark: what grading works out once per problem before reading a submission (`prepare`: the kind's mutants,
follow-through routes, rounding allowances), per kind, on the built-in problems and each kind's random examples.

Run: python bench/bench_prepare.py [SEEDS [ROUNDS]]   (default 10 examples per kind, 5 rounds; after
`pip install -e .`). Problems are solved afresh each round (as a variant per student will be) and the best round
is shown, in milliseconds per problem: the mutants alone, and the whole of prepare (mutants included).
"""

from __future__ import annotations

import collections
import sys
import time

from hwsolver.grading.prepared import prepare
from hwsolver.kinds import KINDS
from hwsolver.solving import solve
from hwsolver.spec.problems import example_problem, load_problems


def problems(seeds: int) -> list:
    found = load_problems()
    return found + [example_problem(kind, seed) for kind in KINDS.values() if kind.example for seed in range(seeds)]


def main(seeds: int = 10, rounds: int = 5) -> None:
    best: dict[tuple[str, str], float] = {}
    count = collections.Counter(problem.kind for problem in problems(seeds))
    for _ in range(rounds):
        spent: dict[tuple[str, str], float] = collections.defaultdict(float)
        for what in ("mutants", "prepare"):
            for problem in problems(seeds):  # fresh problem objects: no array converted in the round before
                solution = solve(problem)
                start = time.perf_counter()
                if what == "mutants":
                    KINDS[problem.kind].mutants(problem, solution)
                else:
                    prepare([solution])
                spent[problem.kind, what] += time.perf_counter() - start
        for key, seconds in spent.items():
            best[key] = min(best.get(key, float("inf")), seconds)
    print(f"{'kind':18} {'problems':>8} {'mutants ms':>11} {'prepare ms':>11}   (per problem, best of {rounds})")
    for kind in sorted(count):
        per = {what: 1000 * best[kind, what] / count[kind] for what in ("mutants", "prepare")}
        print(f"{kind:18} {count[kind]:8} {per['mutants']:11.2f} {per['prepare']:11.2f}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
