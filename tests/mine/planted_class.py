"""A class of 44 with planted shared slips, on two problems: a sigmoid network (one update) and the built-in
sigmoid derivatives. Every answer is worked out here in NumPy (the right ones checked against finite
differences), never by the solver, so that a right student who came out wrong would show up as a shared slip.

Planted, each shared by the students named (the rest answer right):
- hidden: the output layer's sigmoid left out, in the output before and after (5): unexplained, one mistake
- pair: the update w + 2 eta g, the sign flipped and the 1/2 dropped together (4)
- entry: the parameters after with W1[2,1] off by 0.05 (4)
- factor: the loss before doubled (3)
- sign: the gradient of W2 with its sign flipped (3)
- plus: d2 = σ(1 - σ)(1 + 2σ), written three ways (3): unexplained
- double: d1 = 2σ(1 - σ), written three ways (3)
- below: an output after of 0.9, shared by 2 only
- noise: one answer each that no other student writes (4)
- named: the update with the sign flipped, named by the grader itself (3)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]
NETWORK = """\
id: sigmoid-step
kind: mlp_backprop
title: {en: One update of a sigmoid network}
statement: {en: Update every weight once.}
given:
  weights:
    W1: [[0.6, 0.2], [0.1, 0.7]]
    W2: [[0.5, 0.8]]
  activation: sigmoid
  x: [0.2, 0.3]
  target: 1
  loss: half_squared_error
  learning_rate: 0.5
parts: [output_before, loss_before, gradients, params_after, output_after]
"""
W1, W2, X, Y, ETA = np.array([[0.6, 0.2], [0.1, 0.7]]), np.array([[0.5, 0.8]]), np.array([0.2, 0.3]), 1.0, 0.5
GROUPS = {
    "hidden": ["s01", "s02", "s03", "s04", "s05"],
    "pair": ["s06", "s07", "s08", "s09"],
    "factor": ["s10", "s11", "s12"],
    "entry": ["s13", "s14", "s15", "s16"],
    "sign": ["s17", "s18", "s19"],
    "plus": ["s20", "s21", "s22"],
    "double": ["s23", "s24", "s25"],
    "below": ["s26", "s27"],
    "noise": ["s28", "s29", "s30", "s31"],
    "named": ["s32", "s33", "s34"],
}
STUDENTS = [f"s{n:02d}" for n in range(1, 45)]


def sigmoid(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))


def forward(w1: np.ndarray, w2: np.ndarray, output_sigmoid: bool = True) -> tuple[np.ndarray, float]:
    hidden = sigmoid(w1 @ X)
    z = float((w2 @ hidden)[0])
    return hidden, sigmoid(z) if output_sigmoid else z


def loss(w1: np.ndarray, w2: np.ndarray) -> float:
    return 0.5 * (forward(w1, w2)[1] - Y) ** 2


def gradients() -> tuple[np.ndarray, np.ndarray]:
    """Backpropagation, checked here against central differences."""
    hidden, out = forward(W1, W2)
    e2 = (out - Y) * out * (1 - out)
    e1 = W2[0] * e2 * hidden * (1 - hidden)
    g1, g2 = np.outer(e1, X), e2 * hidden[None, :]
    for w, g, k in ((W1, g1, 0), (W2, g2, 1)):
        for index in np.ndindex(w.shape):
            up, down = [W1.copy(), W2.copy()], [W1.copy(), W2.copy()]
            up[k][index] += 1e-6
            down[k][index] -= 1e-6
            assert abs((loss(*up) - loss(*down)) / 2e-6 - g[index]) < 1e-8
    return g1, g2


def figures(value: Any, digits: int = 4) -> Any:
    """As a student writes numbers: to a few significant figures."""
    if isinstance(value, np.ndarray):
        return [figures(v, digits) for v in value.tolist()]
    if isinstance(value, list):
        return [figures(v, digits) for v in value]
    return float(f"{value:.{digits}g}")


def params(w1: np.ndarray, w2: np.ndarray) -> dict[str, Any]:
    return {"W1": figures(w1), "W2": figures(w2)}


def network_answers(student: str) -> dict[str, Any]:
    g1, g2 = gradients()
    after = (W1 - ETA * g1, W2 - ETA * g2)
    answers = {
        "output_before": figures(forward(W1, W2)[1]),
        "loss_before": figures(loss(W1, W2)),
        "gradients": params(g1, g2),
        "params_after": params(*after),
        "output_after": figures(forward(*after)[1]),
    }
    group = next((name for name, members in GROUPS.items() if student in members), None)
    if group == "hidden":
        answers["output_before"] = figures(forward(W1, W2, output_sigmoid=False)[1], 3 + STUDENTS.index(student) % 2)
        answers["output_after"] = figures(forward(*after, output_sigmoid=False)[1])
    elif group == "pair":
        answers["params_after"] = params(W1 + 2 * ETA * g1, W2 + 2 * ETA * g2)
    elif group == "factor":
        answers["loss_before"] = figures(2 * loss(W1, W2))
    elif group == "entry":
        slipped = after[0].copy()
        slipped[1, 0] += 0.05
        answers["params_after"] = params(slipped, after[1])
    elif group == "sign":
        answers["gradients"] = params(g1, -g2)
    elif group == "below":
        answers["output_after"] = 0.9
    elif group == "named":
        flipped = (W1 + ETA * g1, W2 + ETA * g2)
        answers["params_after"] = params(*flipped)
        answers["output_after"] = figures(forward(*flipped)[1])
    elif student == "s28":
        answers["loss_before"] = 0.123
    elif student == "s29":
        answers["output_before"] = 0.456
    elif student == "s31":
        answers["params_after"] = {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[7, 8]]}
    return answers


PLUS = ["sigmoid(x)*(1-sigmoid(x))*(1+2*sigmoid(x))", "σ(1-σ)(1+2σ)", "σ(x) + σ(x)^2 - 2σ(x)^3"]
DOUBLE = ["2σ(x)(1-σ(x))", "2*sigmoid(x)*(1 - sigmoid(x))", "2σ - 2σ^2"]


def derivative_answers(student: str) -> dict[str, str]:
    answers = {"d1": "σ(x)(1 - σ(x))", "d2": "σ(x)(1 - σ(x))(1 - 2σ(x))"}
    if student in GROUPS["plus"]:
        answers["d2"] = PLUS[GROUPS["plus"].index(student)]
    elif student in GROUPS["double"]:
        answers["d1"] = DOUBLE[GROUPS["double"].index(student)]
    elif student == "s30":
        answers["d1"] = "σ(x)^3"
    return answers


def write_class(folder: Path, network: str = NETWORK, derivatives: str | None = None) -> tuple[Path, list[Path]]:
    """The submissions in folder/submissions and the two problem files in folder/problems."""
    problems = folder / "problems"
    problems.mkdir(parents=True, exist_ok=True)
    (problems / "sigmoid-step.yaml").write_text(network, encoding="utf-8")
    if derivatives is None:
        derivatives = (ROOT / "problems" / "sigmoid-derivatives.yaml").read_text(encoding="utf-8")
    (problems / "sigmoid-derivatives.yaml").write_text(derivatives, encoding="utf-8")
    submissions = folder / "submissions"
    submissions.mkdir(exist_ok=True)
    for student in STUDENTS:
        document = {
            "student": student,
            "answers": {"sigmoid-step": network_answers(student), "sigmoid-derivatives": derivative_answers(student)},
        }
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        (submissions / f"{student}.yaml").write_text(text, encoding="utf-8")
    return submissions, [problems / "sigmoid-step.yaml", problems / "sigmoid-derivatives.yaml"]
