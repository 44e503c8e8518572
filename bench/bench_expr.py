"""Time the grading hot path: parse a student's answer and check it against a reference.

Compares hwsolver.expr (own parser + cached numeric equivalence) with the baseline
sympy.simplify(a - b) == 0 on ready-made sympy objects, then times reading the new texts a class writes (each
formula part's answers respelled as classgen.py does: spacing, signs, σ spellings). Run: python bench/bench_expr.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # classgen.py

from hwsolver.expr import Scope, equivalent, parse, to_sympy
from hwsolver.expr.numeric import compiled

SCOPE = Scope(variables=("x",))
REFERENCE = "sigmoid(x)*(1 - sigmoid(x))*(1 - 2*sigmoid(x))"  # d2 sigmoid / dx2
STUDENTS = [
    "sigmoid(x) - 3 sigmoid(x)^2 + 2 sigmoid(x)^3",
    "(exp(-2x) - exp(-x))/(1 + exp(-x))^3",
    r"$\sigma(x)\left(1-\sigma(x)\right)\left(1-2\sigma(x)\right)$",
    "sigmoid(x)*(1 - sigmoid(x))**2",  # a wrong answer
]


def per_call(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Seconds per call, averaged over as many calls as fit in about `seconds`."""
    fn()
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        calls += 1
    return (time.perf_counter() - start) / calls


def main() -> None:
    import sympy

    reference = parse(REFERENCE, SCOPE)
    reference_sympy = to_sympy(reference).rewrite(sympy.exp)
    print(f"reference: {REFERENCE}")
    print("ours: parse + equivalent(); cold = the answer's compiled closures are not cached yet")
    print("(simplify is instant when both sides build the identical sympy object, as the LaTeX row does)")
    print(f"{'student answer':52} {'ours cold':>10} {'ours warm':>10} {'simplify':>10} {'ratio':>6}  verdict")
    for text in STUDENTS:
        student_sympy = to_sympy(parse(text, SCOPE)).rewrite(sympy.exp)

        def ours(text: str = text) -> bool | None:
            return equivalent(parse(text, SCOPE), reference, SCOPE).equal

        def cold(text: str = text) -> bool | None:
            compiled.cache_clear()  # the reference's values stay cached in equivalence.py
            return ours(text)

        def baseline(student_sympy: sympy.Expr = student_sympy) -> bool:
            return sympy.simplify(student_sympy - reference_sympy) == 0

        first, warm, slow = per_call(cold), per_call(ours), per_call(baseline, seconds=2.0)
        verdict = f"{ours()} / {baseline()}"
        line = f"{text[:52]:52} {first * 1e6:8.0f}us {warm * 1e6:8.0f}us {slow * 1e6:8.0f}us {slow / first:5.3g}x"
        print(f"{line}  {verdict}")
    parse_only = per_call(lambda: parse(STUDENTS[1], SCOPE))
    print(f"parse alone ({STUDENTS[1]}): {parse_only * 1e6:.0f}us per call")
    confirmation()
    new_texts()


CASES = [  # (scope, reference, an equal answer): the cost of each stage of a comparison that agrees
    (SCOPE, REFERENCE, STUDENTS[1]),
    (Scope(indices=("i", "k"), vectors={"x": "C"}), "KroneckerDelta(i, k) - softmax(x)[k]", "[i==k] - softmax_k"),
    (
        Scope(
            indices=("i", "j"),
            arrays={"w": 2, "e": 2, "z": 2},
            functions=("f", "fprime"),
            sizes=("K",),
            index_base=0,
            zero_outside=True,
        ),
        "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))",
        "Sum(Sum(e[i-u,j-v] w[u,v], (u,0,K-1)), (v,0,K-1)) fprime(z[i,j])",
    ),
]


def confirmation() -> None:
    """What the 50-digit confirmation adds to a comparison that agrees (cold: the answer's closures anew)."""
    from hwsolver.expr.precise import compiled_precise

    print(f"{'equal answer':52} {'float64':>10} {'+50 digits':>10}")
    for scope, reference, text in CASES:
        student, ref = parse(text, scope), parse(reference, scope)

        def run(exact: bool, student: object = student, ref: object = ref, scope: Scope = scope) -> None:
            compiled.cache_clear()
            compiled_precise.cache_clear()  # the reference's values at 50 digits stay cached
            equivalent(student, ref, scope, **({} if exact else {"rtol": 1e-6}))

        float_only, exact = per_call(lambda: run(False)), per_call(lambda: run(True))
        print(f"{text[:52]:52} {float_only * 1e6:8.0f}us {exact * 1e6:8.0f}us")


def new_texts(count: int = 400, rounds: int = 5) -> None:
    """Processor time of read() per text over texts no earlier answer wrote (each part's distinct answers as the
    benchmark class has them), best of `rounds`; what the parser remembers by tokens is forgotten before each."""
    import random

    from classgen import distinct_answer

    from hwsolver.expr import lexer, parser, read
    from hwsolver.grading.prepared import prepare
    from hwsolver.model import Symbolic
    from hwsolver.solving import solve_paths

    rng, texts = random.Random(0), []
    for problem in prepare(solve_paths()):
        for part in problem.parts:
            if isinstance(part.reference, Symbolic) and part.reference.scope is not None:
                seen: set[str] = set()
                for _ in range(count):
                    text = distinct_answer((problem.problem.id, part.part.id), seen, rng)
                    if text is not None:
                        texts.append((text, part.reference.scope))
    best = float("inf")
    for _ in range(rounds):
        parser._READ.clear()
        lexer._VALUES.clear()
        start = time.process_time()
        for text, scope in texts:
            read(text, scope)
        best = min(best, time.process_time() - start)
    print(
        f"reading {len(texts)} new texts: {best / len(texts) * 1e6:.1f}us per text (processor time, best of {rounds})"
    )


if __name__ == "__main__":
    main()
