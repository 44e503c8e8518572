"""Benchmark: start-up, solving the built-in homework, and float-mode training of a larger network.

Run: python bench/bench_solve.py   (after `pip install -e .`). Prints wall times and ratios against baselines
measured in the same run: `python -c pass` for start-up, a bare NumPy training loop for the float path.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from fractions import Fraction

import numpy as np
import yaml


def wall(command: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def big_problem(width: int = 64, layers: int = 3, batch: int = 32, steps: int = 10):
    from hwsolver.spec.problems import problem_from_node
    from hwsolver.spec.reader import parse_text

    rng = random.Random(0)
    q = lambda: str(Fraction(rng.randint(-100, 100), 1000))  # noqa: E731
    given = {
        "weights": {f"W{l}": [[q() for _ in range(width)] for _ in range(width)] for l in range(1, layers + 1)},
        "biases": {f"b{l}": [q() for _ in range(width)] for l in range(1, layers + 1)},
        "activation": ["relu"] * (layers - 1) + ["sigmoid"],
        "x": [[q() for _ in range(width)] for _ in range(batch)],
        "target": [[q() for _ in range(width)] for _ in range(batch)],
        "loss": "half_squared_error",
        "learning_rate": "0.1",
        "steps": steps,
    }
    text = yaml.safe_dump(
        {
            "id": "big",
            "kind": "mlp_backprop",
            "title": "b",
            "statement": "b",
            "given": given,
            "parts": ["loss_history"],
        }
    )
    return problem_from_node(parse_text(text, "big.yaml")), given


def arrays(given: dict) -> tuple:
    def array(values: list) -> np.ndarray:
        return np.vectorize(lambda text: float(Fraction(text)))(np.array(values))

    w = [array(given["weights"][f"W{l}"]) for l in (1, 2, 3)]
    b = [array(given["biases"][f"b{l}"]) for l in (1, 2, 3)]
    return w, b, array(given["x"]), array(given["target"])


def bare_numpy(w: list, b: list, x: np.ndarray, y: np.ndarray, steps: int) -> None:
    """The floor: the same training loop with nothing but NumPy."""
    w, b = [m.copy() for m in w], [v.copy() for v in b]
    for _ in range(steps + 1):
        acts, a = [x], x
        for l in range(3):
            z = a @ w[l].T + b[l]
            a = np.maximum(z, 0) if l < 2 else 1 / (1 + np.exp(-z))
            acts.append(a)
        e = (a - y) * a * (1 - a) / len(x)
        for l in (2, 1, 0):
            gw, gb = e.T @ acts[l], e.sum(axis=0)
            if l:
                e = (e @ w[l]) * (acts[l] > 0)
            w[l] -= 0.1 * gw
            b[l] -= 0.1 * gb


def best_of(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from hwsolver.solving import solve

    python_start = wall([sys.executable, "-c", "pass"])
    help_time = wall([sys.executable, "-m", "hwsolver", "--help"])
    solve_time = wall([sys.executable, "-m", "hwsolver", "solve"], repeat=3)
    print(f"python -c pass            {python_start * 1000:8.1f} ms   (baseline)")
    print(f"hwsolver --help           {help_time * 1000:8.1f} ms   {help_time / python_start:5.1f}x python start-up")
    print(f"hwsolver solve (built-in) {solve_time * 1000:8.1f} ms   {solve_time / python_start:5.1f}x python start-up")

    problem, given = big_problem()
    ours = best_of(lambda: solve(problem, exact=False))
    data = arrays(given)
    floor = best_of(lambda: bare_numpy(*data, 10))
    print(
        f"float solve 3x64, batch 32, 10 steps: {ours * 1000:.2f} ms; bare NumPy loop {floor * 1000:.2f} ms; "
        f"ratio {ours / floor:.2f}x"
    )


if __name__ == "__main__":
    main()
