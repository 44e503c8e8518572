"""dropout: an independent NumPy oracle, the expectation by enumerating every mask, finite differences of the
backward pass, exact vs float, the built-in problems by hand, spec errors, the text and handout accounts."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.errors import SpecError
from hwsolver.handout.document import handout_markdown
from hwsolver.kinds.dropout import KIND
from hwsolver.model import Problem
from hwsolver.solving import solutions_text, solve
from hwsolver.spec.problems import load_problem, problem_from_node
from hwsolver.spec.reader import parse_text
from hwsolver.witness import disagreement

F = Fraction
ROOT = Path(__file__).resolve().parents[3]
LECTURE = ROOT / "problems" / "dropout-lecture-code.yaml"
DROPCONNECT = ROOT / "problems" / "dropconnect-inverted.yaml"


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value) if isinstance(value, Fraction) else value


def make_problem(given: dict[str, Any], parts: list[str] | None = None) -> Problem:
    text = yaml.safe_dump({"id": "t", "kind": "dropout", "title": "t", "statement": "t"})
    text += yaml.safe_dump({"given": plain(given), "parts": parts or ["train_output"]})
    return problem_from_node(parse_text(text, "test.yaml"))


# -- an independent oracle ------------------------------------------------------------------------------------


def keep_of(given: dict[str, Any]) -> float:
    ((which, value),) = given["probability"].items()
    return float(F(value)) if which == "keep" else 1 - float(F(value))


def train(given: dict[str, Any], mask: np.ndarray, h: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    """The training output for one mask, written out: samples as rows."""
    p = keep_of(given)
    s = 1 / p if given["scaling"] == "inverted" else 1.0
    b = np.array(given.get("bias", 0.0), dtype=float)
    if given.get("method") == "dropconnect":
        return h @ (s * mask * w).T + b
    dropped = s * mask.reshape(h.shape) * h
    return dropped if w is None else dropped @ w.T + b


def oracle(given: dict[str, Any]) -> dict[str, np.ndarray]:
    p = keep_of(given)
    h = np.atleast_2d(np.array(given["activations"], dtype=float))
    w = np.array(given["weights"], dtype=float) if "weights" in given else None
    mask = np.array(given["mask"], dtype=float)
    t = p if given["scaling"] == "test_time" else 1.0
    b = np.array(given.get("bias", 0.0), dtype=float)
    found = {"train_output": train(given, mask, h, w)}
    found["test_output"] = t * h if w is None else (t * h) @ w.T + b
    # the expectation: every mask, weighted by its probability
    expected = 0.0
    for bits in itertools.product((0, 1), repeat=mask.size):
        m = np.array(bits, dtype=float).reshape(mask.shape)
        expected = expected + p ** m.sum() * (1 - p) ** (m.size - m.sum()) * train(given, m, h, w)
    found["expected_output"] = expected
    if w is not None and given["scaling"] == "test_time":
        found["test_weights"] = t * w
    return found


def finite_differences(given: dict[str, Any]) -> dict[str, np.ndarray]:
    """dL/dh and dL/dW of L = sum(upstream * training output), by central differences."""
    h = np.atleast_2d(np.array(given["activations"], dtype=float))
    w = np.array(given["weights"], dtype=float) if "weights" in given else None
    mask = np.array(given["mask"], dtype=float)
    g = np.atleast_2d(np.array(given["upstream"], dtype=float))

    def loss(h: np.ndarray, w: np.ndarray | None) -> float:
        return float(np.sum(g * train(given, mask, h, w)))

    step = 1e-6
    found = {"grad_input": np.zeros_like(h)}
    for index in np.ndindex(h.shape):
        up, down = h.copy(), h.copy()
        up[index] += step
        down[index] -= step
        found["grad_input"][index] = (loss(up, w) - loss(down, w)) / (2 * step)
    if w is not None:
        found["grad_weights"] = np.zeros_like(w)
        for index in np.ndindex(w.shape):
            up, down = w.copy(), w.copy()
            up[index] += step
            down[index] -= step
            found["grad_weights"][index] = (loss(h, up) - loss(h, down)) / (2 * step)
    return found


quarters = st.integers(-8, 8).map(lambda k: F(k, 4))


@st.composite
def layers(draw: st.DrawFn) -> dict[str, Any]:
    method = draw(st.sampled_from(["dropout", "dropconnect"]))
    units, outputs = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    samples = 1 if method == "dropconnect" else draw(st.integers(1, 2))
    with_weights = method == "dropconnect" or draw(st.booleans())

    def array(shape: tuple[int, ...], values: Any = quarters) -> Any:
        return [array(shape[1:], values) for _ in range(shape[0])] if shape else draw(values)

    h_shape = (samples, units) if samples > 1 or (draw(st.booleans()) and method == "dropout") else (units,)
    out_shape = (*h_shape[:-1], outputs if with_weights else units)
    given: dict[str, Any] = {
        "activations": array(h_shape),
        "mask": array((outputs, units) if method == "dropconnect" else h_shape, st.sampled_from([0, 1])),
        "scaling": draw(st.sampled_from(["test_time", "inverted"])),
        "probability": {draw(st.sampled_from(["keep", "drop"])): draw(st.sampled_from(["0.5", "0.8", "1/3", "0.9"]))},
        "upstream": array(out_shape),
    }
    if method == "dropconnect" or draw(st.booleans()):
        given["method"] = method
    if with_weights:
        given["weights"] = array((outputs, units))
        if draw(st.booleans()):
            given["bias"] = array((outputs,))
    return given


@settings(max_examples=80, deadline=None)
@given(layers())
def test_answers_match_an_oracle_every_mask_and_finite_differences(layer: dict[str, Any]) -> None:
    problem = make_problem(layer)
    answers = solve(problem).answers
    expected = oracle(layer) | finite_differences(layer)
    for part, value in answers.items():
        if part == "dropped":
            continue  # read through the training output (the dense layer after it) and dL/dW
        want = expected[part]
        got = np.array(value, dtype=float).reshape(want.shape)
        assert np.allclose(got, want, rtol=1e-9, atol=1e-6 if part.startswith("grad") else 1e-12), part
    assert answers["expected_output"] == answers["test_output"]  # exactly: E over the masks = test time
    assert all(isinstance(x, Fraction) for x in np.ravel(np.array(answers["train_output"], dtype=object)))
    assert disagreement(answers, solve(problem, exact=False).answers) is None
    built = KIND.chain(problem, solve(problem))  # the steps a student writes down give the answers too
    values = built.values()
    assert set(built.answers) == set(answers)
    assert all(disagreement(answers[part], read(values)) is None for part, read in built.answers.items())


def test_the_lecture_code_by_hand() -> None:
    """h = (0.8, 0.2, 1.2, 0.5), U1 = (1, 0, 1, 0), p = 0.5 kept: z = W2 (U1 h) + b2, test z = W2 (p h) + b2."""
    answers = solve(load_problem(LECTURE)).answers
    assert answers["dropped"] == (F(4, 5), 0, F(6, 5), 0)
    assert answers["train_output"] == (F(4, 5), F(2, 5))  # 0.4 + 0.3 + 0.1, 0.8 - 0.6 + 0.2
    assert answers["test_weights"][0] == (F(1, 4), F(-1, 2), F(1, 8), 1)
    assert answers["test_output"] == answers["expected_output"] == (F(17, 20), F(7, 20))
    assert answers["grad_input"] == (F(-3, 4), 0, F(5, 8), 0)  # W2^T (0.5, -1) = (-0.75, -1, 0.625, 1), masked
    assert answers["grad_weights"] == ((F(2, 5), 0, F(3, 5), 0), (F(-4, 5), 0, F(-6, 5), 0))


def test_dropconnect_by_hand() -> None:
    """Drop probability 0.2: each kept weight divided by 0.8 at training, nothing at test time."""
    answers = solve(load_problem(DROPCONNECT)).answers
    assert answers["train_output"] == (F(15, 32), F(5, 2))  # 1.25 (0.5 - 0.125), 1.25 (1 + 1)
    assert answers["test_output"] == answers["expected_output"] == (F(-13, 8), 3)
    assert answers["grad_input"] == (F(5, 8), F(-15, 16), F(5, 16))
    assert answers["grad_weights"] == ((F(5, 4), F(-5, 8), 0), (0, F(-5, 16), F(5, 4)))
    assert "dropped" not in answers and "test_weights" not in answers


def test_keep_and_drop_name_the_same_layer_two_ways() -> None:
    base = {"activations": [1, 2], "mask": [1, 0], "scaling": "inverted"}
    keep = solve(make_problem(base | {"probability": {"keep": "0.8"}})).answers
    drop = solve(make_problem(base | {"probability": {"drop": "0.2"}})).answers
    assert keep == drop and keep["train_output"] == (F(5, 4), 0)


def test_a_mini_batch_gives_one_row_per_sample() -> None:
    given = {
        "activations": [[1, 2], [3, 4]],
        "mask": [[1, 0], [0, 1]],
        "scaling": "test_time",
        "probability": {"keep": "0.5"},
        "weights": [[1, 1]],
        "upstream": [[1], [2]],
    }
    answers = solve(make_problem(given)).answers
    assert answers["train_output"] == ((1,), (4,))
    assert answers["test_output"] == ((F(3, 2),), (F(7, 2),))
    assert answers["grad_input"] == ((1, 0), (0, 2))
    assert answers["grad_weights"] == ((1, 8),)  # 1 * (1, 0) + 2 * (0, 4): summed over the samples


_SPEC = """\
id: t
kind: dropout
title: t
statement: t
given:
  activations: {h}
  mask: {mask}
  scaling: inverted
  probability: {p}
{extra}parts: [train_output]
"""


@pytest.mark.parametrize(
    ("h", "mask", "p", "extra", "message"),
    [
        ("[1, 2]", "[1, 0.5]", "{keep: 0.5}", "",
         "test.yaml:7:9: given.mask: a mask holds 0 (dropped) and 1 (kept) only, not 1/2"),
        ("[1, 2]", "[1, 0, 1]", "{keep: 0.5}", "", "test.yaml:7:9: given.mask: expected a vector of 2, got 3"),
        ("[1, 2]", "[1, 0]", "0.5", "",
         "test.yaml:9:16: given.probability: say which probability 0.5 is: {keep: 0.5} or {drop: 0.5}"),
        ("[1, 2]", "[1, 0]", "{keep: 0.5, drop: 0.5}", "",
         "test.yaml:9:16: given.probability: expected {keep: p} (the lecture's p) or {drop: q} "
         "(torch.nn.Dropout's p), one of them"),
        ("[1, 2]", "[1, 0]", "{keep: 1}", "",
         "test.yaml:9:23: given.probability.keep: expected a probability strictly between 0 and 1, got 1"),
        ("[1, 2]", "[1, 0]", "{keep: 0.5}", "  method: dropconnect\n",
         "test.yaml:10:11: given.method: dropconnect drops weights: give the weights of the dense layer"),
        ("[1, 2]", "[1, 0]", "{keep: 0.5}", "  bias: [1]\n",
         "test.yaml:10:9: given.bias: a bias belongs to the dense layer: give its weights too"),
        ("[1, 2]", "[1, 0]", "{keep: 0.5}", "  weights: [[1, 2, 3]]\n",
         "test.yaml:10:12: given.weights: expected 2 columns (one per unit of the activations), got 3"),
        ("[1, 2]", "[1, 0]", "{keep: 0.5}", "  weights: [[1, 2]]\n  upstream: [1, 2]\n",
         "test.yaml:11:13: given.upstream: expected a vector of 1, got 2"),
        ("[[1, 2], [3, 4]]", "[[1, 0], [0, 1]]", "{keep: 0.5}", "  method: dropconnect\n  weights: [[1, 2]]\n",
         "test.yaml:6:16: given.activations: dropconnect takes one input vector (each sample would drop its own W)"),
        ("[1, 2]", "[1, 0]", "{keep: 0.5}", "  method: dropconnect\n  weights: [[1, 2]]\n",
         "test.yaml:7:9: given.mask: expected a 1x2 matrix, got a list of 2"),
    ],
)  # fmt: skip
def test_spec_errors_name_the_field(h: str, mask: str, p: str, extra: str, message: str) -> None:
    with pytest.raises(SpecError) as error:
        problem_from_node(parse_text(_SPEC.format(h=h, mask=mask, p=p, extra=extra), "test.yaml"))
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("extra", "asked"),
    [
        ("", ["train_output", "test_output", "expected_output"]),
        ("  weights: [[1, 2]]\n", ["dropped", "train_output", "test_output", "expected_output"]),
        ("  upstream: [1, 2]\n", ["train_output", "test_output", "expected_output", "grad_input"]),
    ],
)
def test_the_parts_a_layer_answers(extra: str, asked: list[str]) -> None:
    text = _SPEC.format(h="[1, 2]", mask="[1, 0]", p="{keep: 0.5}", extra=extra)
    assert list(solve(problem_from_node(parse_text(text, "test.yaml"))).answers) == asked


def test_solve_text_shows_every_answer() -> None:
    lines = solutions_text([solve(load_problem(DROPCONNECT))]).splitlines()
    assert lines[2:] == [
        "  dropconnect (a mask on the weights W), keep probability p = 0.8 (drop probability 0.2)",
        "  scaling inverted: divided by p at training, nothing at test time",
        "  activations h: (1, -0.5, 2)",
        "  mask:          [1, 1, 0; 0, 1, 1]",
        "  dense layer z = (mask * W) h: W = [0.5, 0.25, -1; 1, -2, 0.5]",
        "",
        "  training output: (0.46875, 2.5)",
        "  test output:     (-1.625, 3)",
        "  expected training output over the masks: (-1.625, 3) (the test output)",
        "",
        "  upstream dL/d(output): (1, 0.5)",
        "  dL/dh: (0.625, -0.9375, 0.3125)",
        "  dL/dW: [1.25, -0.625, 0; 0, -0.3125, 1.25]",
    ]


def test_the_handout_shows_each_pass_with_its_numbers() -> None:
    text = handout_markdown([solve(load_problem(LECTURE))], "en")
    for step in [
        r"h' = m \odot h = \left(1, 0, 1, 0\right) \odot \left(0.8, 0.2, 1.2, 0.5\right) = \left(0.8, 0, 1.2, 0\right)",
        r"z_{1} &= 0.5 \times 0.8 + \left(-1\right) \times 0 + 0.25 \times 1.2 + 2 \times 0 + 0.1 = 0.8",
        r"p\, h = 0.5 \times \left(0.8, 0.2, 1.2, 0.5\right) = \left(0.4, 0.1, 0.6, 0.25\right)",
        r"z_{2} &= 0.5 \times 0.8 + 0.25 \times 0.2 + \left(-0.25\right) \times 1.2 + 0 \times 0.5 + 0.2 = 0.35",
        r"E[z] = W\, E[h'] + b = \left(0.85, 0.35\right)",
        r"W^\top \frac{\partial L}{\partial z} = \left(-0.75, -1, 0.625, 1\right)",
        r"m \odot \frac{\partial L}{\partial h'} = \left(-0.75, 0, 0.625, 0\right)",
    ]:
        assert step in text
    zh = handout_markdown([solve(load_problem(DROPCONNECT))], "zh")
    for step in [
        "题目给的是丢弃概率 $q = 0.2$（torch.nn.Dropout 的 p）；一个权重被保留的概率是 $p = 1 - q = 0.8$。",
        r"= \begin{pmatrix} 0.625 & 0.3125 & 0 \\ 0 & -2.5 & 0.625 \end{pmatrix}",
        r"z_{1} &= 0.625 \times 1 + 0.3125 \times \left(-0.5\right) + 0 \times 2 = 0.46875",
        r"\frac{1}{p}\,p\, W x = \left(-1.625, 3\right)",
    ]:
        assert step in zh
