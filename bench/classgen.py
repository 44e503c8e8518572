"""A generator of realistic class batches: N submissions of the whole built-in homework.

Each answer is drawn from: correct (full precision or rounded), a classic mistake (a kind's mutant), a wrong
number, an equivalent formula in another form, LaTeX, or something invalid (garbage, hostile text, a wrong
shape). Deterministic for a given seed. Run directly to write a folder: python bench/classgen.py OUT N
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import yaml

from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.model import Symbolic
from hwsolver.numbers import to_json
from hwsolver.solving import solve_paths

INVALID = [
    "idk",
    "[[1, 2]",
    "__import__('os').system('ls')",
    "9**9**9**9",
    "x" * 300,
    "$\\input{/etc/passwd}$",
    "lambda: 1",
    "",
]
EQUIVALENT = {  # other correct spellings students use, by (problem, part)
    ("sigmoid-derivatives", "d1"): ["exp(-x)/(1+exp(-x))^2", "σ(x)(1-σ(x))", "sigmoid(x) - sigmoid(x)^2"],
    ("sigmoid-derivatives", "d2"): ["sigmoid(x)*(1-sigmoid(x))*(1-2*sigmoid(x))", "σ(x)(1-σ(x))(1-2σ(x))"],
    ("log-softmax-gradient", "gradient"): ["KroneckerDelta(i, k) - softmax(x)[k]", "δ(i,k) - softmax(x)[k]"],
    ("mlp-op-count", "backward_mults_total"): ["L(3n^2 + 2n)", "3*L*n**2 + 2*L*n"],
    ("mlp-op-count", "forward_mults_total"): ["L*n^2", "n^2 L"],
}


def plain(value: Any, rng: random.Random, digits: int | None = None) -> Any:
    if isinstance(value, Symbolic):
        return value.expr
    if isinstance(value, dict):
        return {k: plain(v, rng, digits) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v, rng, digits) for v in value]
    number = to_json(value)
    if isinstance(number, float) and digits:
        return float(f"{number:.{digits}g}")
    return number


def perturb(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        return {k: perturb(v, rng) for k, v in value.items()}
    if isinstance(value, list):
        return [perturb(v, rng) for v in value]
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return round(value * rng.choice([1.5, -1, 0.5]) + rng.choice([0.1, -0.2]), 4)
    return value + " + 1" if isinstance(value, str) else value


def answer(problem: PreparedProblem, part_index: int, rng: random.Random) -> Any:
    part = problem.parts[part_index]
    reference = part.reference
    roll = rng.random()
    if roll < 0.55:
        return plain(reference, rng, rng.choice([None, 3, 4, 6]))
    if roll < 0.70:
        mutants = [m for m in problem.mutants if part.part.id in m.answers]
        if mutants:
            return plain(rng.choice(mutants).answers[part.part.id], rng, 4)
    if roll < 0.80 and isinstance(reference, Symbolic):
        forms = EQUIVALENT.get((problem.problem.id, part.part.id))
        if forms:
            return rng.choice(forms)
        return f"${reference.latex}$"
    if roll < 0.88 and isinstance(reference, Symbolic):
        return f"${reference.latex}$"
    if roll < 0.96:
        return perturb(plain(reference, rng, 4), rng)
    return rng.choice(INVALID)


def submission(n: int, prepared: list[PreparedProblem], rng: random.Random) -> str:
    if rng.random() < 0.005:
        return rng.choice(["student: [\n", "just text", "student: x\nanswers: !!python/object:os.system 1\n"])
    answers = {
        p.problem.id: {p.parts[i].part.id: answer(p, i, rng) for i in range(len(p.parts)) if rng.random() < 0.97}
        for p in prepared
    }
    return yaml.safe_dump({"student": f"PB{21000000 + n}", "answers": answers}, allow_unicode=True, sort_keys=False)


def write_class(folder: Path, count: int, seed: int = 0) -> list[Path]:
    prepared = prepare(solve_paths())
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"PB{21000000 + n}.yaml"
        path.write_text(submission(n, prepared, rng), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    write_class(Path(sys.argv[1]), int(sys.argv[2]))
