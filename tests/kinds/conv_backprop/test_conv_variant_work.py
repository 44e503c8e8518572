"""Work done once per layer shape, not once per variant: variants that differ in their numbers alone share the
recursion (built and parsed once) and what the unturned kernel's spellings were found to be."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from hwsolver.compute.layers.arrays import deep_map
from hwsolver.expr import parse
from hwsolver.kinds.conv_backprop import closeness
from hwsolver.kinds.conv_backprop import grading as conv_grading
from hwsolver.memo import Bounded
from hwsolver.numbers import Written
from hwsolver.solving import solve_paths

ROOT = Path(__file__).resolve().parents[3]
SPEC = yaml.safe_load((ROOT / "problems" / "conv-backprop.yaml").read_text(encoding="utf-8"))
# the forward pass's indices with the kernel read at rot180: a formula no slip's spelling gives
ODD = "fprime(z[i, j]) * Sum(Sum(w[1 - u, 1 - v]*e[i + u, j + v], (v, 0, K - 1)), (u, 0, K - 1))"


def variant(tmp_path: Path, name: str, scale: float) -> Any:
    given = {**SPEC["given"], "upstream": [[scale * x for x in row] for row in SPEC["given"]["upstream"]]}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**SPEC, "id": name, "given": given}), encoding="utf-8")
    (solution,) = solve_paths([path])
    return solution


def test_variants_of_one_shape_share_their_recursion(tmp_path: Path) -> None:
    one, two = variant(tmp_path, "one", 1), variant(tmp_path, "two", 2)
    assert one.answers["delta_prev"] != two.answers["delta_prev"]
    assert one.answers["recursion"] is two.answers["recursion"]
    assert all(one.work[name] is two.work[name] for name in ("rule_latex", "recursion_scope"))  # made once
    wider = {**SPEC["given"], "padding": 1, "upstream": [[0.1] * 5 for _ in range(5)]}
    path = tmp_path / "padded.yaml"
    path.write_text(yaml.safe_dump({**SPEC, "id": "padded", "given": wider}), encoding="utf-8")
    (padded,) = solve_paths([path])
    assert padded.answers["recursion"].expr != one.answers["recursion"].expr  # another shape, its own


def test_an_unturned_spelling_is_compared_once_per_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real = conv_grading.equivalent
    monkeypatch.setattr(conv_grading, "equivalent", lambda *args, **kw: calls.append(args) or real(*args, **kw))
    monkeypatch.setattr(conv_grading, "_UNTURNED", Bounded(4096))
    verdicts = []
    for n, scale in enumerate((1, 2, 3)):
        solution = variant(tmp_path, f"v{n}", scale)
        reference = solution.answers["recursion"]
        tree = parse(ODD, reference.scope)
        (unturned,) = [m for m in conv_grading.mutants(solution.problem, solution) if m.id == "kernel_not_rotated"]
        verdicts.append(unturned.matches("recursion", tree))
        if n == 0:
            first = len(calls)
    assert first >= 1 and len(calls) == first  # the later variants found it remembered
    assert verdicts == [False] * 3


def test_rounding_reruns_scatter_the_error_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full convolution of e(l) reads no step of the chain: rounding's re-runs, one per number moved, share it."""
    from hwsolver.grading.rounding import allowances
    from hwsolver.kinds.conv_backprop import follow as conv_follow

    scatters: list[Any] = []
    real = conv_follow.input_gradient
    monkeypatch.setattr(conv_follow, "input_gradient", lambda *args: scatters.append(args) or real(*args))
    solution = variant(tmp_path, "rounded", 1)
    chain = conv_follow.chain(solution.problem, solution)
    assert not scatters  # built, not yet run
    for part in ("output", "delta_prev", "grad_kernel"):
        allowances(chain, (part,), 2)  # a re-run for each number that 2 figures round
    assert chain.run()["back"].size > 1 and len(scatters) == 1


def test_a_students_recursion_is_evaluated_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """e(l-1) from the student's own recursion: one pass over all positions, not an evaluation per position (the
    per-position evaluator stays for what one pass cannot do, and gives the same numbers)."""
    from hwsolver.kinds.conv_backprop import follow as conv_follow

    solution = variant(tmp_path, "own", 1)
    layer, scope = solution.problem.given, solution.answers["recursion"].scope
    tree = parse(ODD, scope)
    evaluations: list[Any] = []
    real = conv_follow.compile_numeric
    monkeypatch.setattr(conv_follow, "compile_numeric", lambda *args: evaluations.append(args) or real(*args))
    at_once = conv_follow.recursion_values(layer, tree, scope)
    assert not evaluations
    monkeypatch.setattr(conv_follow, "at_positions", lambda *args: None)
    assert conv_follow.recursion_values(layer, tree, scope) == at_once and len(evaluations) == 1


def test_the_slips_scatter_the_error_once(tmp_path: Path) -> None:
    """e(l) scattered back through the turned kernel serves the right pass, the valid region's and the one
    without f'; the unturned kernel's and the forward pass's indices are the other scatters: one bincount for the
    three slips that show in e(l-1), made when the first of them is read."""
    from hwsolver.compute.layers import conv_routing

    solution = variant(tmp_path, "scattered", 1)
    before = conv_routing.COUNT["scatters"]
    for round_ in range(2):
        mutants = conv_grading.mutants(solution.problem, solution)
        assert conv_routing.COUNT["scatters"] == before + round_  # nothing read yet
        shown = [m.answers["delta_prev"] for m in mutants if "delta_prev" in m.answers]
        assert len(shown) == 3 and len(set(shown)) == 3
        assert conv_routing.COUNT["scatters"] == before + 1  # the second round's mutants read the layer's


def test_the_right_recursion_follows_through_to_the_solution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A student's recursion that is the solution's own (most of a class) gives the solution's e(l-1) without a
    pass over the positions; evaluated over them it gives the same numbers (the witness), another one is evaluated."""
    import numpy as np

    from hwsolver.kinds.conv_backprop import follow as conv_follow

    solution = variant(tmp_path, "right", 1)
    reference = solution.answers["recursion"]
    (route,) = [r for r in conv_follow.follow_through(solution.problem, solution) if r.uses == ("recursion",)]
    passes: list[Any] = []
    real = conv_follow.recursion_values
    monkeypatch.setattr(conv_follow, "recursion_values", lambda *args: passes.append(args) or real(*args))
    spaced = parse(reference.expr.replace(", ", ","), reference.scope)  # written otherwise, the same formula
    got = route.compute({"recursion": spaced})
    assert not passes
    witness = real(solution.problem.given, spaced, reference.scope)
    assert np.allclose(np.array(got), np.array(witness), rtol=1e-12, atol=1e-15)
    assert got == tuple(tuple(float(v) for v in row) for row in solution.answers["delta_prev"])
    route.compute({"recursion": parse(ODD, reference.scope)})
    assert len(passes) == 1


def test_a_variants_routes_and_rounding_share_one_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A variant's follow-through routes and its rounding allowances read one chain, the variant's own, built once
    (counted) at the first re-run that reads it; its forward step gives the variant's output (the exact path's, as
    floats: the witness)."""
    from dataclasses import replace

    import numpy as np

    from hwsolver.grading import prepared as preparing
    from hwsolver.kinds.conv_backprop import follow as conv_follow
    from hwsolver.solving import solve

    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "conv-backprop")
    built: list[Any] = []
    real = conv_follow._chain
    monkeypatch.setattr(conv_follow, "_chain", lambda layer: built.append(layer) or real(layer))
    for scale in (2, 3):  # two variants: each its own layer, and its own chain
        layer = written.problem.given
        given = replace(layer, upstream=tuple(tuple(scale * x for x in row) for row in layer.upstream))
        solution = solve(replace(written.problem, given=given), witness=False)
        made = preparing.prepare_variant(solution, written)
        assert any(part.routes for part in made.every)
        routes = {route.part: route for route in conv_follow.follow_through(solution.problem, solution)}
        assert all(layer is not given for layer in built)  # no chain for the routes alone: most variants re-run
        # the recursion only; the first re-run from a(l-1) builds it (from the right a(l-1): the output, as floats)
        output = routes["output"].compute({"activation_prev": deep_map(float, solution.answers["activation_prev"])})
        assert built[-1] is given
        assert np.allclose(output, deep_map(float, solution.answers["output"]), rtol=1e-12, atol=1e-15)
        chain = made.worked.allowances.chain
        assert chain is conv_follow.chain(solution.problem, solution) and built.count(given) == 1
        want = [float(x) for row in solution.answers["grad_kernel"] for x in row]
        assert chain.run()["grad_kernel"].reshape(-1).tolist() == pytest.approx(want, rel=1e-12)
    assert len(built) == 2


def test_a_slips_layout_is_its_answer_laid_out() -> None:
    """The layout a slip gives grading (its pass's array read off directly) is what grading makes of its answer,
    for every part the pass gives, with and without channel axes; a part its own function makes, or one it does
    not show in, is left to grading (None)."""
    from hwsolver.grading.checkers import layout
    from hwsolver.grading.float_answers import as_floats
    from hwsolver.model import Problem
    from tests.compute.test_conv_routing import random_layers

    laid = 0
    for layer in random_layers(12, seed=5):
        problem = Problem(id="l", kind="conv_backprop", title={}, statement={}, given=layer, parts=(), source="l")
        reference = conv_grading.Symbolic("x", "", None)
        solution = conv_grading.Solution(problem, {"recursion": reference})
        for mutant in conv_grading.mutants(problem, solution):
            for part in ("recursion", "activation_prev", "output", "delta_prev", "grad_kernel", "grad_bias"):
                found = mutant.answers.layout(part)
                if mutant.answers.make.get(part, None) is not None or part not in mutant.answers:
                    assert found is None
                    continue
                shape, numbers = layout(as_floats(mutant.answers[part]))
                assert found[0] == shape and found[1] == numbers and all(type(n) is float for n in found[1])
                laid += 1
    assert laid > 12 * 4


def test_the_slip_that_reads_z_works_out_no_activation(tmp_path: Path) -> None:
    """z(l) and dL/dw of the student who reads z(l-1) for a(l-1) need neither f(z(l-1)) nor f'(z(l-1)): a variant
    whose only wrong answers are those leaves them unworked; e(l-1)'s slips work them out, once for the layer."""
    from dataclasses import replace

    solution = variant(tmp_path, "units", 1)  # solved with its witness: the float pass read f(z(l-1))
    layer = replace(solution.problem.given)  # the same layer, as a variant's is read: nothing worked out yet
    problem = replace(solution.problem, given=layer)
    slips = {m.id: m for m in conv_grading.mutants(problem, solution)}
    for part in ("output", "grad_kernel"):
        assert slips["used_z_not_a"].answers.layout(part) is not None
    assert "float_units" not in layer.__dict__
    slips["kernel_not_rotated"].answers.layout("delta_prev")
    units = layer.__dict__["float_units"]
    slips["no_activation_derivative"].answers.layout("delta_prev")
    assert layer.float_units is units


def test_an_answer_of_floats_is_compared_as_numpy_compares_it() -> None:
    """near's entry-by-entry comparison of nested floats says what NumPy's allclose at the same tolerances says
    (a second witness): near and far answers, infinities, NaN, signed zeros, other shapes, other number types."""
    import itertools

    import numpy as np

    from hwsolver.compute.closeness import allclose

    def numpy_says(value: Any, want: Any) -> bool:
        try:
            got = np.array(value, dtype=float)
        except (TypeError, ValueError):
            return False
        return got.shape == want.shape and allclose(got, want, rtol=closeness.RTOL, atol=closeness.ATOL)

    def close(value: Any, want: Any) -> bool:
        layout = closeness.laid_out(want)
        said_alone = closeness.near(value, layout)
        flat = closeness.entries(value, want.shape)  # as a matcher reads it before comparing: the same verdict
        assert flat is None or closeness.near(value, layout, flat) is said_alone
        return said_alone

    def nested(array: Any) -> Any:
        return tuple(map(nested, array)) if isinstance(array, np.ndarray) and array.ndim else float(array)

    rng = np.random.default_rng(12)
    said = set()
    for n in range(400):
        shape = [(4, 4), (2, 3, 3), (3,)][n % 3]
        want = rng.normal(size=shape)
        want.flat[0] = [0.0, -0.0, np.inf, 1e-12][n % 4]
        got = want * (1 + rng.choice([0, 1e-3, 5e-3, 7e-3, 0.5], size=shape)) + rng.choice([0, 1e-10, 1e-8], size=shape)
        if n % 7 == 0:
            got.flat[-1] = [np.nan, np.inf, -np.inf][n % 3]
        value = nested(got)
        for candidate in (value, value[:-1], (value, value), tuple(map(nested, got)) if got.ndim > 1 else value):
            assert close(candidate, want) == numpy_says(candidate, want)
            said.add(numpy_says(candidate, want))
        if got.ndim == 2:
            mixed = (tuple(Fraction(v).limit_denominator(10**6) if np.isfinite(v) else v for v in value[0]), *value[1:])
            assert close(mixed, want) == numpy_says(mixed, want)
            # a text after the numbers (NumPy reads a number's text, no other): told far at a far number before it
            for row, text in itertools.product((value, nested(want)), ("abc", "0.5", str(want.flat[-1]))):
                texts = (*row[:-1], (*row[-1][:-1], text))
                assert close(texts, want) == numpy_says(texts, want)
                said.add(("text", numpy_says(texts, want)))
            # whole numbers (a ReLU's 0 written as 0), near and far, huge, and a bool (NumPy's 1.0)
            near = round(value[0][0]) if np.isfinite(value[0][0]) else 7
            for whole in (0, near, 2**53, 2**53 + 1, -(2**60), True):
                if abs(whole) > 2**53:
                    want.flat[0] = float(whole)  # a huge whole number that float64 rounds: NumPy's 2**53 + 1
                for row in (value, nested(want)):  # the answer's, and the wanted array's own
                    ints = ((whole, *row[0][1:]), *row[1:])
                    assert close(ints, want) == numpy_says(ints, want)
                    said.add(("int", numpy_says(ints, want)))
                    # floats written with their figures (0.50): numbers.Written, a float
                    written = ((Written(row[0][0], 3), *row[0][1:]), *row[1:])
                    assert close(written, want) == numpy_says(written, want)
                    said.add(("written", numpy_says(written, want)))
    assert said >= {True, False, ("int", True), ("int", False), ("written", True), ("written", False)}
    assert said >= {("text", True), ("text", False)}


def test_a_small_answer_is_read_once_for_both_crops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """valid_instead_of_full's matcher reads an answer of the crops' shape into its entries once, for both crops
    (with f' and without), and lays each crop out once per variant, however many answers it is asked about."""
    import numpy as np

    solution = variant(tmp_path, "small", 1)
    layer = solution.problem.given
    (valid,) = [m for m in conv_grading.mutants(solution.problem, solution) if m.id == "valid_instead_of_full"]
    reads: list[Any] = []
    layouts: list[Any] = []
    for module, calls in ((conv_grading, reads), (closeness, reads)):  # the matcher's read and any near makes
        real = module.entries
        monkeypatch.setattr(module, "entries", lambda v, s, real=real, calls=calls: calls.append(s) or real(v, s))
    laid = conv_grading.laid_out
    monkeypatch.setattr(conv_grading, "laid_out", lambda array: layouts.append(1) or laid(array))
    k, (rows, cols) = layer.size, layer.out_shape
    right = np.array(solution.answers["delta_prev"], dtype=float)[k - 1 : rows, k - 1 : cols]  # the f' crop, by hand
    small = tuple(tuple(float(x) for x in row) for row in right.round(6))
    far = tuple(tuple(x + 1.0 for x in row) for row in small)
    assert valid.matches is not None and valid.matches("delta_prev", small)
    assert len(reads) == 1 and len(layouts) == 2
    for n in range(1, 4):
        assert not valid.matches("delta_prev", far)  # far from both crops: both compared
        assert len(reads) == 1 + n and len(layouts) == 2
