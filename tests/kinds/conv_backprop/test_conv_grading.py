"""conv_backprop grading: each classic slip named, the recursion judged in its spellings, follow-through."""

from __future__ import annotations

import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.errors import HwsolverError
from hwsolver.expr import parse
from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import PreparedProblem, prepare
from hwsolver.grading.results import PartResult
from hwsolver.kinds.conv_backprop import closeness
from hwsolver.kinds.conv_backprop import follow as conv_follow
from hwsolver.kinds.conv_backprop import grading as conv_grading
from hwsolver.model import Route, Symbolic
from hwsolver.solving import solve_paths

Grade = Callable[..., dict[str, PartResult]]  # the grade_answers fixture (conftest.py)

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "grading"))
from helpers import written  # noqa: E402

PROBLEM = ROOT / "problems" / "conv-backprop.yaml"
RIGHT = "fprime(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))"
RIGHT_TEX = r"$f'(z_{i,j}) \sum_{u=0}^{K-1}\sum_{v=0}^{K-1} w_{u,v} e_{i-u,j-v}$"


@pytest.fixture(scope="module")
def prepared() -> list[PreparedProblem]:
    return prepare(solve_paths([PROBLEM]))


def plain(value: Any) -> Any:
    """An answer as a student writes it in YAML: lists, exact fractions as "p/q", formulas as their text."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if isinstance(value, Symbolic):
        return value.expr
    return str(value) if isinstance(value, Fraction) else float(value)


def test_the_right_answers_are_correct(grade_answers: Grade, prepared: list[PreparedProblem]) -> None:
    answers = prepared[0].solution.answers
    results = grade_answers(
        prepared,
        {part: plain(answers[part]) for part in ("recursion", "output", "delta_prev", "grad_kernel")},
    )
    assert {part: r.verdict for part, r in results.items()} == dict.fromkeys(results, "correct")
    assert len(results) == 4


def test_recursion_carries_a_scope() -> None:
    (solution,) = solve_paths([PROBLEM])
    recursion = solution.answers["recursion"]
    assert recursion.scope is not None and recursion.scope.index_base == 0
    assert set(recursion.scope.arrays) == {"w", "e", "z"} and "fprime" in recursion.scope.functions


MUTANTS = {
    "kernel_not_rotated": ("delta_prev", "recursion"),
    "valid_instead_of_full": ("delta_prev",),
    "no_activation_derivative": ("delta_prev", "recursion"),
    "used_z_not_a": ("activation_prev", "output", "grad_kernel"),
}


def test_every_mutant_is_offered_with_its_parts(prepared: list[PreparedProblem]) -> None:
    assert {m.id: tuple(sorted(m.answers)) for m in prepared[0].mutants} == {
        key: tuple(sorted(parts)) for key, parts in MUTANTS.items()
    }


@pytest.mark.parametrize(
    ("mutant_id", "part"), [(m, p) for m, parts in MUTANTS.items() for p in parts if p != "activation_prev"]
)
def test_each_slip_is_named(grade_answers: Grade, prepared: list[PreparedProblem], mutant_id: str, part: str) -> None:
    (mutant,) = [m for m in prepared[0].mutants if m.id == mutant_id]
    result = grade_answers(prepared, {part: plain(mutant.answers[part])})[part]
    assert (result.verdict, result.mistake, result.score) == ("partial", mutant_id, result.max_score / 2)
    assert result.feedback.startswith(mutant.feedback)


def test_mutants_differ_from_the_answer_and_from_each_other(prepared: list[PreparedProblem]) -> None:
    """Else a mutant could never be named on the built-in problem (numbers here, formulas below)."""
    answers, mutants = prepared[0].solution.answers, prepared[0].mutants
    for part in ("delta_prev", "output", "grad_kernel"):
        values = [np.array(answers[part], dtype=float)]
        values += [np.array(m.answers[part], dtype=float) for m in mutants if part in m.answers]
        for a in range(len(values)):
            for b in range(a):
                assert not np.allclose(values[a], values[b], atol=1e-3), (part, a, b)


@pytest.mark.parametrize(
    ("text", "verdict", "mistake"),
    [
        (RIGHT, "correct", None),
        (RIGHT_TEX, "correct", None),
        (r"$f'(z_{i, j}) \cdot \sum_{u=0}^{K-1} \sum_{v=0}^{K-1} w_{u,v}\, e_{i-u,j-v}$", "correct", None),
        (
            "fprime(z[i,j]) * Sum(Sum(w[K-1-u, K-1-v]*e[i-K+1+u, j-K+1+v], (v,0,K-1)), (u,0,K-1))",
            "correct",
            None,
        ),
        (RIGHT.replace("i - u, j - v", "i + u, j + v"), "partial", "kernel_not_rotated"),
        (RIGHT_TEX.replace("i-u,j-v", "i+u,j+v"), "partial", "kernel_not_rotated"),
        (RIGHT.replace("i - u, j - v", "i + u - K + 1, j + v - K + 1"), "partial", "kernel_not_rotated"),
        (RIGHT.partition(" * ")[2], "partial", "no_activation_derivative"),
        (RIGHT_TEX.replace("f'(z_{i,j}) ", ""), "partial", "no_activation_derivative"),
        ("f(z[i, j]) * Sum(Sum(w[u, v]*e[i - u, j - v], (v, 0, K - 1)), (u, 0, K - 1))", "incorrect", None),
    ],
)
def test_recursion_spellings(
    grade_answers: Grade, prepared: list[PreparedProblem], text: str, verdict: str, mistake: str | None
) -> None:
    result = grade_answers(prepared, {"recursion": text})["recursion"]
    assert (result.verdict, result.mistake) == (verdict, mistake), result.feedback


def test_valid_convolution_written_as_the_small_array(grade_answers: Grade, prepared: list[PreparedProblem]) -> None:
    """The 2x2 valid part itself (shape mismatch for the checker) is still recognised, with f' or without."""
    full = np.array(prepared[0].mutants[1].answers["delta_prev"], dtype=float)
    assert prepared[0].mutants[1].id == "valid_instead_of_full"
    for small in (full[1:3, 1:3], np.array([[-0.3, 0.05], [0.6, -0.2]])):
        result = grade_answers(prepared, {"delta_prev": small.round(4).tolist()})["delta_prev"]
        assert (result.verdict, result.mistake) == ("partial", "valid_instead_of_full")
        assert "expected 4x4" in result.feedback


def test_forward_indices_for_delta_are_the_unturned_kernel(
    grade_answers: Grade, prepared: list[PreparedProblem]
) -> None:
    """f'(z[i,j]) sum w[u,v] e[i+u, j+v] by hand; other entries have f' = 0 or no e(l) in range."""
    delta = np.zeros((4, 4))
    delta[0, 0] = 0.5 * 0.1 - 1 * -0.2 + 1 * 0.2 + 0.5 * 0.1  # f'(0.5) = 1
    delta[0, 2] = 0.5 * 0.3 + 1 * -0.1  # f'(0.3) = 1; column 3 of e(l) is outside
    delta[1, 0] = 0.5 * 0.2 - 1 * 0.1 + 1 * -0.3 + 0.5 * 0.2
    delta[1, 1] = 0.5 * 0.1 - 1 * -0.1 + 1 * 0.2 + 0.5 * 0.1
    delta[2, 2] = 0.5 * 0.1  # f'(0.2) = 1; only e[2,2] is inside
    result = grade_answers(prepared, {"delta_prev": delta.round(6).tolist()})["delta_prev"]
    assert (result.verdict, result.mistake) == ("partial", "kernel_not_rotated")


def test_follow_through_from_the_students_activation(tmp_path: Path, grade_answers: Grade) -> None:
    """A wrong a(l-1), then z(l) and dL/dw worked correctly from it: those two earn follow-through credit."""
    text = PROBLEM.read_text(encoding="utf-8").replace("  - {id: output", "  - {id: activation_prev}\n  - {id: output")
    path = tmp_path / "conv.yaml"
    path.write_text(text, encoding="utf-8")
    prepared = prepare(solve_paths([path]))
    layer = prepared[0].problem.given
    a = np.maximum(np.array(layer.z_prev, dtype=float), 0)
    a[0, 0] = 1.0  # the student's slip
    w, e = np.array(layer.kernel, dtype=float), np.array(layer.upstream, dtype=float)
    windows = np.lib.stride_tricks.sliding_window_view(a, (2, 2))
    output = np.einsum("uv,ijuv->ij", w, windows)
    grad = np.einsum("ij,ijuv->uv", e, windows)
    results = grade_answers(
        prepared,
        {"activation_prev": a.tolist(), "output": output.tolist(), "grad_kernel": grad.tolist()},
    )
    slip = results["activation_prev"]  # one entry of 16 wrong: per-entry credit, the entry named from 0
    assert (slip.verdict, slip.score) == ("partial", Fraction(15, 16))
    assert slip.feedback == "1 of 16 entries wrong, counting from 0: [0,0] (expected 0.5)"
    for part in ("output", "grad_kernel"):
        assert (results[part].verdict, results[part].follow_through) == ("correct", True), part


# what a route may raise when a student's answers do not fit it (the grader then takes no follow-through)
UNFIT = (ArithmeticError, ValueError, TypeError, KeyError, IndexError, HwsolverError)


def tries(route: Route, values: dict[str, Any]) -> Any:
    try:
        return route.compute(values)
    except UNFIT:
        return None


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"activation_prev": "oops", "recursion": "oops"},
        {"activation_prev": ((1, 2), (3,)), "recursion": None},
        {"activation_prev": ((1, 2), (3, 4)), "recursion": 1},
        {"activation_prev": None, "recursion": {"a": 1}},
        {"activation_prev": {"a": 1}, "recursion": ()},
    ],
)
def test_follow_through_never_raises_on_odd_values(values: dict[str, Any]) -> None:
    (solution,) = solve_paths([PROBLEM])
    for route in conv_follow.follow_through(solution.problem, solution):
        assert tries(route, values) is None


LAYERS = [
    {"stride": 2, "padding": 1, "c_in": 2, "c_out": 3, "bias": True, "activation": "tanh"},
    {"stride": 1, "padding": 1, "c_in": 2, "c_out": 2, "bias": False, "activation": "relu"},
    {"stride": 1, "padding": 0, "c_in": 0, "c_out": 0, "bias": True, "activation": "sigmoid"},
]


@pytest.mark.parametrize("layer", LAYERS)
def test_mutants_keep_the_answer_shapes(tmp_path: Path, layer: dict[str, Any]) -> None:
    """Channels, stride and padding: every mutant answer has the shape of the part's real answer."""
    rng = np.random.default_rng(layer["stride"] + 3 * layer["padding"] + layer["c_out"])
    c_in, c_out, k, s, p = layer["c_in"], layer["c_out"], 3, layer["stride"], layer["padding"]
    out = ((5 + 2 * p - k) // s + 1, (5 + 2 * p - k) // s + 1)
    given = {
        "z_prev": rng.integers(-9, 10, (c_in, 5, 5) if c_in else (5, 5)) / 8,
        "activation": layer["activation"],
        "kernel": rng.integers(-4, 5, (c_out, c_in, k, k) if c_out else (k, k)) / 4,
        "upstream": rng.integers(-4, 5, (c_out, *out) if c_out else out) / 4,
        "stride": s,
        "padding": p,
    }
    given = {key: value.tolist() if isinstance(value, np.ndarray) else value for key, value in given.items()}
    if layer["bias"]:
        given["bias"] = [0.5] * c_out if c_out else 0.5
    spec = {
        "id": "t",
        "kind": "conv_backprop",
        "title": "t",
        "statement": "t",
        "given": given,
        "parts": ["output"],
    }
    path = tmp_path / "layer.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    (solution,) = solve_paths([path])
    for mutant in conv_grading.mutants(solution.problem, solution):
        for part, value in mutant.answers.items():
            if isinstance(value, Symbolic):
                assert s == 1 or part == "recursion"
                continue
            assert np.shape(value) == np.shape(solution.answers[part]), (mutant.id, part)
    routes = {route.part: route for route in conv_follow.follow_through(solution.problem, solution)}
    for route in routes.values():
        assert tries(route, {"activation_prev": 1, "recursion": 1}) is None
    # the right recursion and a(l-1), carried through the routes, give the solver's answers (exact path)
    recursion = solution.answers["recursion"]
    own = routes["delta_prev"].compute({"recursion": parse(recursion.expr, recursion.scope)})
    assert np.allclose(np.array(own, dtype=float), np.array(solution.answers["delta_prev"], dtype=float))
    activation = np.array(solution.answers["activation_prev"], dtype=float)
    for part in ("output", "grad_kernel"):
        again = routes[part].compute({"activation_prev": activation})
        assert np.allclose(np.array(again, dtype=float), np.array(solution.answers[part], dtype=float)), part


def test_delta_follows_the_students_own_recursion(grade_answers: Grade, prepared: list[PreparedProblem]) -> None:
    """The recursion with the forward pass's indices (the kernel not turned), and e(l-1) worked out with it by
    hand: the recursion loses its share, e(l-1) keeps all its points and is not labelled with the mistake."""
    layer = prepared[0].problem.given
    z, w, e = (np.array(t, dtype=float) for t in (layer.z_prev, layer.kernel, layer.upstream))
    delta = np.zeros_like(z)
    for i, j, u, v in np.ndindex(4, 4, 2, 2):
        if i + u < 3 and j + v < 3:
            delta[i, j] += (z[i, j] > 0) * w[u, v] * e[i + u, j + v]
    forward_style = RIGHT.replace("i - u, j - v", "i + u, j + v")
    results = grade_answers(prepared, {"recursion": forward_style, "delta_prev": delta.round(6).tolist()})
    assert (results["recursion"].verdict, results["recursion"].mistake) == ("partial", "kernel_not_rotated")
    answer = results["delta_prev"]
    assert (answer.verdict, answer.follow_through, answer.mistake) == ("correct", True, None)
    # without the recursion answered, the same e(l-1) is the named slip
    alone = grade_answers(prepared, {"delta_prev": delta.round(6).tolist()})["delta_prev"]
    assert (alone.mistake, alone.follow_through) == ("kernel_not_rotated", False)


def test_a_recursion_that_ignores_the_error_carries_nothing(grade_answers: Grade, prepared) -> None:
    """f'(z) times the sum of the kernel, for every position: e(l-1) "consistent" with it took no work."""
    lazy = "fprime(z[i, j]) * Sum(Sum(w[u, v], (v, 0, K - 1)), (u, 0, K - 1))"
    z = np.array(prepared[0].problem.given.z_prev, dtype=float)
    delta = (z > 0) * 1.0  # the kernel's entries add up to 1
    results = grade_answers(prepared, {"recursion": lazy, "delta_prev": delta.tolist()})
    assert results["delta_prev"].verdict != "correct" and not results["delta_prev"].follow_through


SIGMOID_LAYER = """\
id: sigmoid-conv
kind: conv_backprop
title: t
statement: t
given:
  z_prev: [[0.5, -0.2, 0.3, 0.1], [0.2, 0.4, -0.1, 0.6], [-0.3, 0.1, 0.2, 0.5], [0.4, -0.5, 0.2, 0.3]]
  activation: sigmoid
  kernel: [[0.5, -1], [1, 0.5]]
  upstream: [[0.1, -0.2, 0.3], [0.2, 0.1, -0.1], [-0.3, 0.2, 0.1]]
parts: [{ASKED}]
"""


def _rounding_student(z: list[list[float]], w: list[list[float]], e: list[list[float]]) -> dict[str, Any]:
    """The layer by hand, stride 1, no padding, every value rounded to 3 figures and carried on (plain Python)."""

    def r(v: float) -> float:
        return float(f"{v:.3g}")

    size, k, out = len(z), len(w), len(e)
    a = [[r(1 / (1 + np.exp(-v))) for v in row] for row in z]
    slope = [[r(v * (1 - v)) for v in row] for row in a]
    output = [
        [r(sum(w[u][v] * a[i + u][j + v] for u in range(k) for v in range(k))) for j in range(out)] for i in range(out)
    ]
    grad = [
        [r(sum(e[i][j] * a[i + u][j + v] for i in range(out) for j in range(out))) for v in range(k)] for u in range(k)
    ]
    back = [
        [
            sum(w[u][v] * e[i - u][j - v] for u in range(k) for v in range(k) if 0 <= i - u < out and 0 <= j - v < out)
            for j in range(size)
        ]
        for i in range(size)
    ]
    delta = [[r(slope[i][j] * r(back[i][j])) for j in range(size)] for i in range(size)]
    return {"activation_prev": a, "output": output, "delta_prev": delta, "grad_kernel": grad}


@pytest.mark.parametrize(
    "asked", ["activation_prev, output, delta_prev, grad_kernel", "output, delta_prev, grad_kernel"]
)
def test_a_sigmoid_layer_rounded_at_every_step(tmp_path: Path, grade_answers: Grade, asked: str) -> None:
    """a(l-1) = sigmoid(z(l-1)) to 3 figures, then z(l), e(l-1) and dL/dw from those rounded values: full marks,
    whether a(l-1) is asked (its rounding carried through) or not (rounded on the way)."""
    path = tmp_path / "sigmoid.yaml"
    path.write_text(SIGMOID_LAYER.replace("{ASKED}", asked), encoding="utf-8")
    prepared = prepare(solve_paths([path]))
    layer = prepared[0].problem.given
    floats = [np.array(t, dtype=float).tolist() for t in (layer.z_prev, layer.kernel, layer.upstream)]
    student = _rounding_student(*floats)
    results = graded(tmp_path, prepared, {part: student[part] for part in asked.split(", ")})
    assert {part: r.verdict for part, r in results.items()} == dict.fromkeys(results, "correct")
    # the same answers, each with one entry off in its third figure, are not all right
    off = {part: np.array(value) for part, value in student.items()}
    for part in off:
        off[part].flat[0] *= 1.02
    wrong = graded(tmp_path, prepared, {part: off[part].tolist() for part in asked.split(", ")})
    assert all(r.verdict != "correct" for r in wrong.values())


def graded(tmp_path: Path, prepared: list[PreparedProblem], answers: dict[str, Any]) -> dict[str, PartResult]:
    """The parts answered, each number written to 3 figures with its trailing zeros (0.520) as students do."""
    lines = "".join(f"    {part}: {written(value, 3)}\n" for part, value in answers.items())
    path = tmp_path / "student.yaml"
    path.write_text(f"student: s\nanswers:\n  {prepared[0].problem.id}:\n{lines}", encoding="utf-8")
    (problem,) = grade_file(str(path), prepared).problems
    return {part.id: part for part in problem.parts if part.verdict != "missing"}


def test_the_slips_matchers_work_out_their_passes_when_first_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A variant's mutants run each switched pass when one of its parts is first read (a wrong answer reads the
    slips of its own part), and then once; the valid crops and the forward-index pass only when an answer to e(l-1)
    is matched against them (most variants are answered right there), and then once."""
    (solution,) = solve_paths([PROBLEM])
    runs: list[Any] = []
    real = conv_grading.backward
    monkeypatch.setattr(conv_grading, "backward", lambda layer, slips: runs.append(slips) or real(layer, slips))
    numbers = conv_grading.delta_values  # the forward indices' e(l-1), as numbers alone
    monkeypatch.setattr(conv_grading, "delta_values", lambda layer, slips: runs.append(slips) or numbers(layer, slips))
    mutants = conv_grading.mutants(solution.problem, solution)
    assert sum("delta_prev" in m.answers for m in mutants) == 3 and not runs  # asking which parts: no pass
    reads = [m.answers.get("delta_prev") for m in mutants]  # three slips show in e(l-1)
    assert sum(read is not None for read in reads) == 3 and len(runs) == 3
    assert [m.answers.get("delta_prev") for m in mutants] == reads and len(runs) == 3  # read again: kept
    (used_z,) = [m for m in mutants if m.id == "used_z_not_a"]
    assert used_z.answers["output"] and used_z.answers["grad_kernel"] and len(runs) == 4  # one pass, both parts
    assert len(runs) == len(conv_grading.SLIPS)
    for mutant in mutants:
        if mutant.matches is not None:
            assert mutant.matches("grad_kernel", ((0.0,),)) is False
    assert len(runs) == len(conv_grading.SLIPS)
    for _ in range(2):
        assert not any(m.matches("delta_prev", ((9.0,),)) for m in mutants if m.matches is not None)
    assert len(runs) == len(conv_grading.SLIPS) + 1  # the forward indices, once; no crop has that shape
    for _ in range(2):
        assert not any(m.matches("delta_prev", ((9.0, 9.0),) * 2) for m in mutants if m.matches is not None)
    assert len(runs) == len(conv_grading.SLIPS) + 3  # the two crops, of that shape: once each


@pytest.mark.parametrize(
    "value",
    [
        ((1.0, 2.0), (3.0, 4.0)),
        [[1.0, 2.0], [3.0, 4.0]],
        ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0)),
        ((1.0, 2.0), (3.0,)),  # ragged
        ((1.0, (2.0,)), (3.0, 4.0)),  # a sequence where an entry stands
        (((1.0,), (2.0,)), ((3.0,), (4.0,))),  # one axis more
        ((1.0, "x"), (None, True)),  # no sequences: any entries
        (1.0, 2.0),
        2.0,
        "ab",
        (),
        ((), ()),
    ],
)
@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (2,), (1, 2, 2), (2, 0)])
def test_an_answers_shape_is_numpys_without_building_the_array(value: Any, shape: tuple[int, ...]) -> None:
    """closeness.entries finds an array where np.shape(value) == shape does (a ragged answer has none)."""
    try:
        want = np.shape(value) == shape
    except ValueError:
        want = False
    assert (closeness.entries(value, shape) is not None) is want
