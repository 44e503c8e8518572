"""Work done once per layer shape, not once per variant: the windows' tables are worked out for the first variant
of a shape; a layer's maxima are found once, for its solution and all its slips' passes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from hwsolver.compute.layers import pooling, pooling_vectorized
from hwsolver.kinds.pooling_backprop import grading as pooling_grading
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[3]
SPEC = yaml.safe_load((ROOT / "problems" / "pooling-backprop.yaml").read_text(encoding="utf-8"))


def variant(tmp_path: Path, name: str, scale: float):
    given = {**SPEC["given"], "upstream": [[scale * x for x in row] for row in SPEC["given"]["upstream"]]}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**SPEC, "id": name, "given": given}), encoding="utf-8")
    (solution,) = solve_paths([path])
    return solution


def test_window_tables_once_per_shape(tmp_path: Path) -> None:
    pooling.table.cache_clear()
    pooling_vectorized._window_index.cache_clear()
    solutions = [variant(tmp_path, f"v{n}", n + 1) for n in range(3)]  # solved and witnessed
    for solution in solutions:
        mutants = pooling_grading.mutants(solution.problem, solution)
        assert len(mutants) == len(pooling_grading._slips(solution.problem.given, solution))
    assert pooling.table.cache_info().misses == 1
    assert pooling_vectorized._window_index.cache_info().misses == 1


def test_maxima_found_once_per_layer(tmp_path: Path, monkeypatch) -> None:
    """The solution's maxima are its slips' too: the first and the last of each window found once per layer."""
    found = []
    real = pooling._maxima
    monkeypatch.setattr(pooling, "_maxima", lambda layer, last: found.append(last) or real(layer, last))
    solution = variant(tmp_path, "v", 1)
    mutants = pooling_grading.mutants(solution.problem, solution)
    pooling_grading.pairs(solution.problem, solution)
    assert {m.id for m in mutants} >= {"argmax_one_based", "argmax_in_window", "max_last_tie"}
    assert sorted(found) == [False, True]


def test_the_gathered_windows_are_the_sliding_ones() -> None:
    """A second witness: NumPy's sliding windows at the stride, entry for entry."""
    from numpy.lib.stride_tricks import sliding_window_view

    rng = np.random.default_rng(0)
    for height, width, size, stride in [(4, 4, 2, 2), (5, 4, 2, 1), (6, 7, 3, 2), (5, 5, 3, 3), (3, 3, 1, 1)]:
        x = rng.normal(size=(2, height, width))
        rows, cols = pooling.output_shape(height, width, size, stride)
        upstream = tuple(tuple(tuple(row) for row in c) for c in np.ones((2, rows, cols)).tolist())
        layer = pooling.PoolLayer(
            tuple(tuple(tuple(row) for row in c) for c in x.tolist()), "max", size, stride, upstream
        )
        slid = sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]
        windows = slid.reshape(*slid.shape[:3], size * size)
        assert np.array_equal(pooling_vectorized.Vectorized(layer).windows, windows)
        flat = x.reshape(2, -1)  # the exact pass's table: each window's entries as indices into a flat channel
        cells = np.array(layer.table.cells).reshape(rows, cols, size * size)
        assert np.array_equal(flat[:, cells], windows)
