"""A generator of realistic class batches: N submissions of the whole built-in homework.

Each answer is drawn from: correct (full precision or rounded), a classic mistake (a kind's mutant), a wrong
number, an equivalent formula in another form, LaTeX, or something invalid (garbage, hostile text, a wrong
shape). With `distinct` (e.g. 0.1), that share of the formula answers are strings no other student writes, as
students rarely type alike: another spacing, factor order, σ spelling or multiplication sign, an equivalent
rewriting, or a wrong formula. Deterministic for a given seed. Run directly to write a folder:
python bench/classgen.py OUT N [DISTINCT]
"""

from __future__ import annotations

import random
import re
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
REWRITINGS = {  # equivalent forms (first list) and wrong ones (second), by (problem, part), for distinct strings
    ("sigmoid-derivatives", "d1"): (
        [
            "σ(x)*(1-σ(x))",
            "σ(x) - σ(x)^2",
            "exp(-x)/(1+exp(-x))^2",
            "(1-σ(x))*σ(x)",
            "σ(1-σ)",
            "σ'(x) = σ(x)(1-σ(x))",
            "1/(1+exp(-x)) * exp(-x)/(1+exp(-x))",
            "$\\sigma(x)\\left(1-\\sigma(x)\\right)$",
            "σ(x)*σ(-x)",
        ],
        ["σ(x)*(1+σ(x))", "σ(x)^2", "exp(-x)/(1+exp(-x))", "-σ(x)*(1-σ(x))", "σ(x)*(1-σ(x))^2"],
    ),
    ("sigmoid-derivatives", "d2"): (
        [
            "σ(x)*(1-σ(x))*(1-2*σ(x))",
            "σ(x) - 3σ(x)^2 + 2σ(x)^3",
            "(1-2σ(x))*σ(x)*(1-σ(x))",
            "σ(1-σ)(1-2σ)",
            "σ''(x) = σ(x)(1-σ(x))(1-2σ(x))",
            "(exp(-2x) - exp(-x))/(1 + exp(-x))^3",
            "$\\sigma(x)(1-\\sigma(x))(1-2\\sigma(x))$",
        ],
        ["σ(x)*(1-σ(x))^2", "σ(x)*(1-σ(x))*(1+2σ(x))", "σ(x)*(1-2σ(x))", "-σ(x)*(1-σ(x))*(1-2σ(x))"],
    ),
    ("log-softmax-gradient", "gradient"): (
        [
            "KroneckerDelta(i,k) - softmax(x)[k]",
            "δ_ik - softmax(x)_k",
            "[i==k] - softmax(x)_k",
            "delta(i,k) - exp(x_k)/Sum(exp(x_j), (j, 1, C))",
            "$\\delta_{ik} - \\mathrm{softmax}(x)_k$",
            "-softmax(x)[k] + KroneckerDelta(i, k)",
        ],
        ["1 - softmax(x)[k]", "δ_ik - softmax(x)_i", "softmax(x)[k] - δ_ik", "δ_ik - exp(x_k)"],
    ),
    ("mlp-op-count", "forward_mults_per_layer"): (["n^2", "n*n", "n**2"], ["n^2 + n", "2n^2", "n"]),
    ("mlp-op-count", "forward_adds_per_layer"): (["n^2", "n*(n-1) + n", "n(n - 1) + n"], ["n*(n-1)", "n^2 - n"]),
    ("mlp-op-count", "forward_mults_total"): (["L*n^2", "n^2 L", "L n n"], ["L*n^2 + L*n", "n^2", "2L n^2"]),
    ("mlp-op-count", "backward_mults_per_layer"): (
        ["3n^2 + 2n", "n(3n + 2)", "2n + 3n^2", "n^2 + n^2 + n^2 + 2n"],
        ["3n^2", "2n^2 + 2n", "3n^2 + 3n"],
    ),
    ("mlp-op-count", "backward_mults_total"): (
        ["L(3n^2 + 2n)", "3*L*n^2 + 2*L*n", "L n (3n + 2)", "3Ln^2 + 2Ln multiplications"],
        ["3Ln^2", "L(3n^2 + 3n)", "2Ln^2 + 2Ln"],
    ),
    ("conv-backprop", "recursion"): (
        [
            "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))",
            "Sum(Sum(e[i-u,j-v] w[u,v], (u,0,K-1)), (v,0,K-1)) f'(z[i,j])",
            "$f'(z_{i,j}) \\sum_{u=0}^{K-1} \\sum_{v=0}^{K-1} w_{u,v} e_{i-u,j-v}$",
        ],
        [
            "fprime(z[i,j]) * Sum(Sum(w[u,v]*e[i+u,j+v], (v,0,K-1)), (u,0,K-1))",
            "Sum(Sum(w[u,v]*e[i-u,j-v], (v,0,K-1)), (u,0,K-1))",
        ],
    ),
}
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


def respelled(text: str, rng: random.Random) -> str:
    """text written another way: spaces, multiplication signs and σ spellings chosen at random (LaTeX: spaces)."""
    if text.startswith("$"):
        return re.sub(r"(?<=[+\-=])|(?=[+\-=])", lambda m: " " * rng.randint(0, 2), text)
    text = re.sub(r"sigmoid\(|sigma\(|σ\(", lambda m: rng.choice(["σ(", "sigma(", "sigmoid(", "σ("]), text)
    text = re.sub(r"(?<=[\w)\]])\*(?=[\w(])", lambda m: rng.choice(["*", " * ", " ", "·", "*"]), text)
    return re.sub(r"\s*([+\-,=])\s*", lambda m: " " * rng.randint(0, 1) + m.group(1) + " " * rng.randint(0, 2), text)


def distinct_answer(key: tuple[str, str], seen: set[str], rng: random.Random) -> str | None:
    """A formula for this part that no earlier student wrote (right two times in three), or None."""
    forms = REWRITINGS.get(key)
    if forms is None:
        return None
    for _ in range(50):
        text = respelled(rng.choice(forms[0] if rng.random() < 2 / 3 else forms[1]), rng)
        if text not in seen:
            seen.add(text)
            return text
    return None


def answer(problem: PreparedProblem, part_index: int, rng: random.Random, distinct: float = 0.0) -> Any:
    part = problem.parts[part_index]
    reference = part.reference
    if distinct and isinstance(reference, Symbolic) and rng.random() < distinct:
        found = distinct_answer((problem.problem.id, part.part.id), SEEN.setdefault(part.part.id, set()), rng)
        if found is not None:
            return found
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


SEEN: dict[str, set[str]] = {}  # the distinct strings written so far, by part


def submission(n: int, prepared: list[PreparedProblem], rng: random.Random, distinct: float = 0.0) -> str:
    if rng.random() < 0.005:
        return rng.choice(["student: [\n", "just text", "student: x\nanswers: !!python/object:os.system 1\n"])
    answers = {
        p.problem.id: {
            p.parts[i].part.id: answer(p, i, rng, distinct) for i in range(len(p.parts)) if rng.random() < 0.97
        }
        for p in prepared
    }
    return yaml.safe_dump({"student": f"PB{21000000 + n}", "answers": answers}, allow_unicode=True, sort_keys=False)


def write_class(folder: Path, count: int, seed: int = 0, distinct: float = 0.0) -> list[Path]:
    prepared = prepare(solve_paths())
    rng = random.Random(seed)
    SEEN.clear()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"PB{21000000 + n}.yaml"
        path.write_text(submission(n, prepared, rng, distinct), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    write_class(Path(sys.argv[1]), int(sys.argv[2]), distinct=float(sys.argv[3]) if len(sys.argv) > 3 else 0.0)
