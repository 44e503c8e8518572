"""Work done once per layer shape, not once per variant: the windows' tables are worked out for the first variant
of a shape; a layer's maxima are found once, for its solution and all its slips' passes."""

from __future__ import annotations

from dataclasses import replace
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
        assert len(mutants) == len(pooling_grading._slips(solution.problem.given))
    assert pooling.table.cache_info().misses == 1
    assert pooling_vectorized._window_index.cache_info().misses == 1


def test_maxima_found_once_per_layer(tmp_path: Path, monkeypatch) -> None:
    """The solution's maxima are its slips' too: the first of each window (and whether one ties) found once per
    layer, the last once where a window ties (the slip that routes there is read), never where none does."""
    found = []
    for name in ("_first_maxima", "_maxima"):
        real = getattr(pooling, name)
        monkeypatch.setattr(pooling, name, lambda *a, real=real, name=name, **k: found.append(name) or real(*a, **k))
    solution = variant(tmp_path, "v", 1)  # the problem as written: one window holds its maximum 3 three times
    mutants = pooling_grading.mutants(solution.problem, solution)
    pooling_grading.pairs(solution.problem, solution)
    assert {m.id for m in mutants} >= {"argmax_one_based", "argmax_in_window", "max_last_tie"}
    assert sorted(found) == ["_first_maxima", "_maxima"]
    found.clear()
    untied = {**SPEC["given"], "input": [[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 2], [2, 1, 4, 1]]}
    path = tmp_path / "untied.yaml"
    path.write_text(yaml.safe_dump({**SPEC, "id": "untied", "given": untied}), encoding="utf-8")
    (solution,) = solve_paths([path])
    mutants = pooling_grading.mutants(solution.problem, solution)
    pooling_grading.pairs(solution.problem, solution)
    assert "max_last_tie" not in {m.id for m in mutants} and found == ["_first_maxima"]


def test_a_tie_is_told_as_the_last_maxima_tell_it() -> None:
    """A second witness: a window ties exactly where its last maximum is not its first, for random whole-number
    inputs (ties are common) of every window size and stride, one or several channels."""
    rng = np.random.default_rng(4)
    seen = set()
    for _ in range(300):
        height, width = (int(n) for n in rng.integers(1, 7, size=2))
        size = int(rng.integers(1, min(height, width) + 1))
        stride = int(rng.integers(1, 4))
        channels = int(rng.integers(1, 3))
        rows, cols = pooling.output_shape(height, width, size, stride)
        x = rng.integers(0, 4, size=(channels, height, width)).tolist()
        upstream = tuple(tuple(tuple(row) for row in c) for c in np.ones((channels, rows, cols)).tolist())
        layer = pooling.PoolLayer(tuple(tuple(tuple(row) for row in c) for c in x), "max", size, stride, upstream)
        assert layer.first_maxima == pooling._maxima(layer, last=False)
        assert layer.ties == (layer.last_maxima != layer.first_maxima)
        seen.add(layer.ties)
    assert seen == {True, False}


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


def test_fixed_routings_once_per_layer(tmp_path: Path, monkeypatch) -> None:
    """What a routing that ignores the input gives is worked out once per layer, whatever the wrong answers: the
    windows' corners for positions, the errors routed to them only when an e(l-1) asks (counted)."""
    found: dict[str, list] = {"corners": [], "routings": []}
    corners_of, routings_of = pooling_grading._corners, pooling_grading._routings
    monkeypatch.setattr(pooling_grading, "_corners", lambda layer: found["corners"].append(layer) or corners_of(layer))
    monkeypatch.setattr(
        pooling_grading, "_routings", lambda layer, at: found["routings"].append(layer) or routings_of(layer, at)
    )
    solution = variant(tmp_path, "fixed", 1)
    corners = [[[0, 0], [0, 2]], [[2, 0], [2, 2]]]
    assert pooling_grading.trivial(solution.problem, solution, "argmax", corners)
    assert not pooling_grading.trivial(solution.problem, solution, "argmax", solution.answers["argmax"])
    assert len(found["corners"]) == 1 and not found["routings"]  # positions need no routing
    assert not pooling_grading.trivial(solution.problem, solution, "delta_prev", solution.answers["delta_prev"])
    # e(l-1) routed to every window's corner (by hand: each window's error at its top left) is a routing that
    # ignores the input
    layer = solution.problem.given
    routed = np.zeros_like(np.array(solution.answers["delta_prev"], dtype=float))
    errors = np.array(layer.upstream, dtype=float).reshape((*routed.shape[:-2], 2, 2))
    routed[..., ::2, ::2] = errors
    assert pooling_grading.trivial(solution.problem, solution, "delta_prev", routed.tolist())
    assert len(found["corners"]) == 1 and len(found["routings"]) == 1


def test_follow_through_routes_as_numpy_does() -> None:
    """The error routed to a student's positions, window by window in floats, is NumPy's add.at over the same
    positions bit for bit (overlapping windows add in the same order); a position outside its window is no
    routing."""
    import pytest

    from hwsolver.model import Problem

    rng = np.random.default_rng(5)
    for height, width, size, stride in [(4, 4, 2, 2), (5, 4, 2, 1), (6, 7, 3, 2), (5, 5, 3, 1)]:
        rows, cols = pooling.output_shape(height, width, size, stride)
        x = rng.integers(0, 4, size=(2, height, width)).tolist()
        e = (rng.integers(-9, 9, size=(2, rows, cols)) / 7).tolist()
        nested = lambda a: tuple(tuple(tuple(row) for row in c) for c in a)  # noqa: E731
        layer = pooling.PoolLayer(nested(x), "max", size, stride, nested(e))
        origins = pooling_vectorized.origins(layer)
        positions = np.broadcast_to(origins, (2, rows, cols, 2)) + rng.integers(0, size, size=(2, rows, cols, 2))
        problem = Problem("p", "pooling_backprop", {}, {}, layer, (), "test")
        (route,) = pooling_grading.follow_through(problem, None)
        got = np.array(route.compute({"argmax": positions.tolist()}))
        assert got.tobytes() == pooling_vectorized.routed(layer, positions).tobytes()
        outside = positions.copy()
        outside[1, 0, 0] = origins[0, 0, 0] + size
        with pytest.raises(ValueError, match="outside its own window"):
            route.compute({"argmax": outside.tolist()})


def _geometry(rng: np.random.Generator, *, sizes: int, sides: int, strides: int) -> tuple[int, ...]:
    """A random pooling layer's channels, window size, height, width, stride and output rows and columns (each
    bound exclusive)."""
    channels, size = int(rng.integers(1, 3)), int(rng.integers(1, sizes))
    height, width = (int(k) for k in rng.integers(size, sides, size=2))
    stride = int(rng.integers(1, strides))
    return (channels, size, height, width, stride, *pooling.output_shape(height, width, size, stride))


def _as_given(n: int, channels: int, *arrays: list) -> list:
    """The arrays as nested tuples, every other one-channel layer's without a channel axis (as a problem may give
    it)."""
    nested = [tuple(tuple(tuple(row) for row in c) for c in arr) for arr in arrays]
    return [arr[0] for arr in nested] if channels == 1 and n % 2 else nested


def test_a_slips_layout_is_its_answer_laid_out() -> None:
    """The layout a slip gives grading (its exact answer's numbers as floats, read off directly) is what grading
    makes of its answer, for every part it shows in, max and average pooling, with and without a channel axis;
    None for another part."""
    from fractions import Fraction

    from hwsolver.grading.checkers import layout
    from hwsolver.grading.float_answers import as_floats
    from hwsolver.model import Problem

    rng = np.random.default_rng(6)
    laid = 0
    for n in range(40):
        channels, size, height, width, stride, rows, cols = _geometry(rng, sizes=3, sides=6, strides=3)
        x = [[[Fraction(int(v)) for v in row] for row in c] for c in rng.integers(0, 4, size=(channels, height, width))]
        e = [
            [[Fraction(int(v), 4) or Fraction(1) for v in row] for row in c]
            for c in rng.integers(-8, 8, size=(channels, rows, cols))
        ]
        nested = _as_given(n, channels, x, e)
        layer = pooling.PoolLayer(nested[0], ("max", "average")[n % 4 == 0], size, stride, nested[1])
        problem = Problem(id="p", kind="pooling_backprop", title={}, statement={}, given=layer, parts=(), source="p")
        for mutant in pooling_grading.mutants(problem, None):
            for part in ("output", "argmax", "delta_prev"):
                found = mutant.answers.layout(part)
                if part not in mutant.answers:
                    assert found is None
                    continue
                shape, numbers = layout(as_floats(mutant.answers[part]))
                assert found[0] == shape and found[1] == numbers and all(type(v) is float for v in found[1])
                laid += 1
    assert laid > 40


def test_the_fixed_routings_are_each_places_own() -> None:
    """A second witness: the routings to one place of every window, made by one scatter, are routed() of each
    place's positions (NumPy's add.at per place) in the answer's shape, bit for bit, with overlapping windows and
    with and without a channel axis."""
    rng = np.random.default_rng(9)
    checked = 0
    for n in range(40):
        channels, size, height, width, stride, rows, cols = _geometry(rng, sizes=4, sides=7, strides=4)
        x = [[[float(v) for v in row] for row in c] for c in rng.normal(size=(channels, height, width))]
        e = [[[float(v) for v in row] for row in c] for c in rng.normal(size=(channels, rows, cols))]
        nested = _as_given(n, channels, x, e)
        layer = pooling.PoolLayer(nested[0], "max", size, stride, nested[1])
        corners = np.broadcast_to(pooling_vectorized.origins(layer), pooling.maxima(layer).shape)
        got = pooling_grading._routings(layer, corners)
        places = list(np.ndindex(size, size))
        assert len(got) == len(places)
        for found, (row, col) in zip(got, places, strict=True):
            want = pooling_vectorized.routed(layer, corners + np.array([row, col]))
            want = want if layer.channels else want[0]
            assert found.shape == want.shape and found.tobytes() == want.tobytes()
            checked += 1
    assert checked > 40


def test_the_single_channel_path_is_the_general_pass() -> None:
    """A class's variants' shape (one channel, windows sharing no entry, every number a Fraction) is solved by
    pooling_single: the general pass's answers, Fraction for Fraction and in the same order, for random layers of
    max and average pooling with and without ties; any other layer (channels, overlapping windows, an int) is left
    to the general pass (None)."""
    from fractions import Fraction

    from hwsolver.compute.layers import pooling_single
    from hwsolver.kinds.pooling_backprop import _answers

    def same(one, other) -> bool:
        if isinstance(one, tuple):
            return isinstance(other, tuple) and len(one) == len(other) and all(map(same, one, other))
        return type(one) is type(other) and one == other

    rng = np.random.default_rng(8)
    taken, left = 0, 0
    for n in range(300):
        channels, size, height, width, stride, rows, cols = _geometry(rng, sizes=4, sides=8, strides=4)
        x = [
            [[Fraction(int(v), 2) for v in row] for row in c]
            for c in rng.integers(0, 6, size=(channels, height, width))
        ]
        e = [
            [[Fraction(int(v), 4) or Fraction(1) for v in row] for row in c]
            for c in rng.integers(-8, 8, size=(channels, rows, cols))
        ]
        if n % 9 == 0:
            e[0][0][0] = 1  # an int
        nested = _as_given(n, channels, x, e)
        layer = pooling.PoolLayer(nested[0], ("max", "average")[n % 3 == 0], size, stride, nested[1])
        got = pooling_single.single(layer)
        if layer.channels or stride < size or n % 9 == 0:
            assert got is None
            left += 1
            continue
        want = _answers(layer, pooling.backward(layer))
        assert list(got) == list(want) and all(same(got[part], want[part]) for part in want)
        # and the general pass's sums term by term (_plus), not its own shortcut for disjoint windows, agree
        summed = pooling.PoolLayer(layer.input, layer.pool, size, stride, layer.upstream)
        summed.__dict__["table"] = replace(layer.table, disjoint=False)
        by_sums = _answers(summed, pooling.backward(summed))
        assert all(same(got[part], by_sums[part]) for part in want)
        taken += 1
    assert taken > 30 and left > 30
