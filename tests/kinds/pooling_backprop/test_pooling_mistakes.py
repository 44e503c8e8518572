"""pooling_backprop's classic mistakes give what a student making them computes: each wrong answer worked out here
by hand, window by window in plain loops, never through the kind's own passes (compute/layers/) or its mutants'
output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from hwsolver.kinds.pooling_backprop import grading as pooling_grading
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[3]


def by_hand(given: dict[str, Any], slip: str | None = None) -> dict[str, np.ndarray]:
    """e(l-1) and the routed positions, window by window, as a student making `slip` works them out."""
    x, e = np.array(given["input"], dtype=float), np.array(given["upstream"], dtype=float)
    x, e = (x if x.ndim == 3 else x[None]), (e if e.ndim == 3 else e[None])
    k = given["size"]
    stride = given.get("stride", k)
    delta = np.zeros(x.shape)
    positions = np.zeros((*e.shape, 2), dtype=int)
    for c, i, j in np.ndindex(*e.shape):
        top, left = stride * i, stride * j
        cells = [(top + u, left + v) for u in range(k) for v in range(k)]  # row-major
        if given["pool"] == "average" or slip == "max_to_all":
            share = e[c, i, j] if slip in ("average_not_divided", "max_to_all") else e[c, i, j] / (k * k)
            for r, s in cells:
                delta[c, r, s] += share
            continue
        best = max(x[c, r, s] for r, s in cells)
        tied = [cell for cell in cells if x[c, cell[0], cell[1]] == best]
        r, s = tied[-1] if slip == "max_last_tie" else tied[0]
        delta[c, r, s] += e[c, i, j]
        positions[c, i, j] = (r, s)
        if slip == "argmax_one_based":
            positions[c, i, j] += 1
        elif slip == "argmax_in_window":
            positions[c, i, j] -= (top, left)
    return {"delta_prev": delta, "argmax": positions}


LAYERS = {
    "builtin-max": yaml.safe_load((ROOT / "problems" / "pooling-backprop.yaml").read_text(encoding="utf-8"))["given"],
    "builtin-average": yaml.safe_load((ROOT / "problems" / "average-pooling-backprop.yaml").read_text())["given"],
    "overlapping-channels-ties": {
        "input": [[[1, 2, 2, 0, 1], [2, 0, 1, 2, 2], [0, 2, 2, 1, 0], [1, 1, 0, 2, 2], [2, 0, 1, 1, 0]],
                  [[0, 1, 1, 2, 0], [1, 2, 0, 1, 1], [2, 2, 1, 0, 1], [0, 1, 2, 2, 0], [1, 0, 0, 1, 2]]],
        "size": 3,
        "stride": 1,
        "upstream": [[[0.5, -1, 0.25], [2, 0.25, -0.5], [1, -0.75, 0.5]],
                     [[-0.25, 1, 0.5], [0.75, -2, 0.25], [0.5, 1, -1]]],
    },
}  # fmt: skip
CASES = [
    ("builtin-max", "max", slip) for slip in ("max_to_all", "argmax_one_based", "argmax_in_window", "max_last_tie")
] + [
    ("builtin-average", "average", "average_not_divided"),
    *[("overlapping-channels-ties", "max", m.id) for m in pooling_grading.MISTAKES if m.id != "average_not_divided"],
    ("overlapping-channels-ties", "average", "average_not_divided"),
]


def solved(tmp_path: Path, given: dict[str, Any]):
    path = tmp_path / "layer.yaml"
    spec = {"id": "layer", "kind": "pooling_backprop", "title": "t", "statement": "t", "given": given}
    path.write_text(yaml.safe_dump({**spec, "parts": ["output"]}), encoding="utf-8")
    (solution,) = solve_paths([path])
    return solution


@pytest.mark.parametrize(("name", "pool"), sorted({(name, pool) for name, pool, _ in CASES}))
def test_the_right_answers_by_hand(tmp_path: Path, name: str, pool: str) -> None:
    """The hand computation below is itself right: it gives the solver's answers without a slip."""
    given = {**LAYERS[name], "pool": pool}
    solution = solved(tmp_path, given)
    for part, value in by_hand(given).items():
        if part in solution.answers:
            got = np.array(solution.answers[part], dtype=float).reshape(value.shape)
            assert np.allclose(got, value, rtol=1e-12), part


@pytest.mark.parametrize(("name", "pool", "slip"), CASES)
def test_each_mistake_gives_what_the_student_computes(tmp_path: Path, name: str, pool: str, slip: str) -> None:
    given = {**LAYERS[name], "pool": pool}
    solution = solved(tmp_path, given)
    (mutant,) = [m for m in pooling_grading.mutants(solution.problem, solution) if m.id == slip]
    wrong, right = by_hand(given, slip), by_hand(given)
    assert mutant.answers
    for part, value in mutant.answers.items():
        assert np.allclose(np.array(value, dtype=float).reshape(wrong[part].shape), wrong[part], rtol=1e-12), part
    assert any(not np.array_equal(wrong[part], right[part]) for part in mutant.answers), f"{slip} changes nothing"


def test_without_a_tie_the_last_maximum_is_no_mistake(tmp_path: Path) -> None:
    given = {**LAYERS["builtin-max"], "input": [[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 2], [2, 1, 1, 1]]}
    solution = solved(tmp_path, given)
    assert "max_last_tie" not in {m.id for m in pooling_grading.mutants(solution.problem, solution)}
