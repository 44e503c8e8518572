"""Follow-through's work on mlp_backprop (kinds/mlp_backprop/follow.py): a re-run works out only the steps its part
reads (the loss after from the student's output after reads the trained weights only for a weight-decay penalty:
counted, with the solution's own loss after as the witness), and what takes no work is told on plain floats
(np.allclose the witness)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from hwsolver import model
from hwsolver.compute.functions import SQUARED_LOSSES
from hwsolver.grading import prepared as preparing
from hwsolver.grading.float_answers import as_floats
from hwsolver.kinds.mlp_backprop import follow, follow_steps
from hwsolver.solving import solve, solve_paths


@pytest.mark.parametrize("decay", [Fraction(0), Fraction(1, 10)])
def test_the_loss_after_from_the_output_after_reads_the_update_only_for_its_penalty(monkeypatch, decay) -> None:
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    problem = replace(written.problem, given=replace(written.problem.given, weight_decay=decay))
    solution = solve(problem, witness=False)
    route = next(
        r for r in follow.follow_through(problem, solution) if (r.part, r.uses) == ("loss_after", ("output_after",))
    )
    worked: list[str] = []
    real = model._LazySteps.__missing__
    monkeypatch.setattr(model._LazySteps, "__missing__", lambda self, name: worked.append(name) or real(self, name))
    answers = as_floats(solution.answers)
    # the witness: from the true output after, the exact path's loss after (its penalty on the trained weights)
    assert route.compute({"output_after": answers["output_after"]}) == pytest.approx(answers["loss_after"], rel=1e-12)
    if decay:
        assert {"W0", "W1"} <= set(worked)  # the penalty reads the trained weights
    else:
        assert worked == ["loss'"]  # the output after is the student's: nothing else to work out


def test_copies_follow_np_allclose() -> None:
    rng = np.random.default_rng(18)
    special = [0.0, -0.0, 1e-13, np.inf, -np.inf, np.nan, 1e308]
    for _ in range(2000):
        want = rng.choice([*special, *rng.normal(size=4)], size=3)
        got = want * (1 + rng.choice([0, 1e-3, 4.9e-3, 5.1e-3, -5e-3, 1e-2], size=3)) + rng.choice(
            [0, 1e-12, 3e-12], size=3
        )
        with np.errstate(all="ignore"):
            assert follow._copies(got, want) == np.allclose(got, want, rtol=5e-3, atol=1e-12)
    assert not follow._copies(np.ones(2), np.ones(3))


def test_what_takes_no_work() -> None:
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    problem, solution = written.problem, written.worked.solution
    answers = as_floats(solution.answers)
    given = {name: as_floats(value) for name, value in problem.given.params.named().items()}
    doubled = {name: tuple(tuple(2.5 * x for x in row) for row in value) for name, value in given.items()}
    rounded = {name: tuple(tuple(x * 1.002 for x in row) for row in value) for name, value in given.items()}
    for part, value, expected in (
        ("params_after", given, True),  # no update
        ("params_after", rounded, True),  # no update, as rounded (within 0.5%)
        ("params_after", answers["params_after"], False),
        ("gradients", doubled, True),  # a multiple of the weights: no data in them
        ("gradients", answers["gradients"], False),
        ("gradients", {"W1": given["W1"]}, False),  # not every parameter
        ("output_before", float(problem.given.targets[0][0]), True),  # the target: nothing to propagate
        ("output_before", answers["output_before"], False),
        ("loss_after", answers["loss_after"], False),
    ):
        assert follow.trivial(problem, solution, part, value) is expected, (part, value)


def test_routes_that_read_the_same_answers_share_their_steps(monkeypatch) -> None:
    """The output and the loss after, from the student's parameters after: the forward pass is worked out once for
    both (counted), for the answers as written and for each moved one (reruns._shifted hands both routes the same
    object); each route's value is what the chain gives from those parameters alone (the witness: a fresh run)."""
    from hwsolver.grading import reruns

    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    problem, solution = written.problem, written.worked.solution
    routes = {(r.part, r.uses): r for r in follow.follow_through(problem, solution)}
    output, loss = routes["output_after", ("params_after",)], routes["loss_after", ("params_after",)]
    params = {
        name: tuple(tuple(x + 0.01 for x in row) for row in value)
        for name, value in as_floats(solution.answers["params_after"]).items()
    }
    worked: list[str] = []
    real = model._LazySteps.__missing__
    monkeypatch.setattr(model._LazySteps, "__missing__", lambda self, name: worked.append(name) or real(self, name))
    one = reruns._shifted(params, ("W1", 0, 1), 0.0005)
    assert reruns._shifted(params, ("W1", 0, 1), 0.0005) is one  # one moved answer for every route
    for moved in (params, one):
        worked.clear()
        found = output.compute({"params_after": moved}), loss.compute({"params_after": moved})
        assert worked.count("a'1") == 1 and worked.count("z'0") == 1  # the forward pass once
        steps = follow_steps.Steps(problem.given)
        chain = steps.chain()
        fresh = chain.values(steps.steps_of("params_after", moved))
        assert found == (chain.answers["output_after"](fresh), chain.answers["loss_after"](fresh))


def test_whether_the_loss_went_down_is_the_chains_answer_without_a_step() -> None:
    """The comparison route reads the two losses alone (no chain run); the witness: the chain's own answer from the
    same losses, equal ones and unreadable ones included."""
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    problem, solution = written.problem, written.worked.solution
    route = next(r for r in follow.follow_through(problem, solution) if r.part == "loss_decreased")
    steps = follow_steps.Steps(problem.given)
    chain = steps.chain()
    for before, after in ((0.0113, 0.0098), (0.0098, 0.0113), (0.5, 0.5), (1, 0.25), (-0.0, 0.0)):
        values = {"loss_before": before, "loss_after": after}
        given = {**steps.steps_of("loss_before", before), **steps.steps_of("loss_after", after)}
        assert route.compute(values) is chain.answers["loss_decreased"](chain.values(given))
    with pytest.raises(TypeError):
        route.compute({"loss_before": (0.1, 0.2), "loss_after": 0.1})


@pytest.mark.parametrize("seed", [*range(12), 16, 29, 33])  # (16, 29, 33: tanh and sigmoid hidden layers)
def test_the_spread_told_unrun_bounds_every_move(seed: int) -> None:
    """follow_spread: for each route it bounds, on the exercise and random networks of the kind, with the student's
    answers off the reference and each number moved alone by up to a half unit either way: the sum over the numbers
    of how far each move moves each number of the re-run (the witness: the re-runs themselves, as reruns._bounds
    makes them) is never beyond the bound."""
    import random

    from hwsolver.grading.leaves import answer_leaves, leaves, shifted
    from hwsolver.kinds import KINDS
    from hwsolver.spec.problems import example_problem

    if seed == 0:
        written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
        problem, solution = written.problem, written.worked.solution
    else:
        solution = solve(example_problem(KINDS["mlp_backprop"], seed), witness=False)
        problem = solution.problem
    rng = random.Random(seed)
    answers = as_floats(solution.answers)
    bounded = [route for route in follow.follow_through(problem, solution) if route.spread is not None]
    if not bounded:  # the cross-entropies, softmax, mini-batch SGD: no bound written for them
        assert (
            problem.given.loss not in SQUARED_LOSSES or problem.given.schedule or "softmax" in problem.given.activations
        )
        return
    checked = 0
    for route in bounded:
        for _ in range(5):
            values = {
                name: shifted_all(answers[name], lambda x: x * rng.choice([1, 1.5, -1, 0.5]) + rng.choice([0, 0.1]))
                for name in route.uses
            }
            if "params_after" in values and rng.random() < 0.5:  # a row written as a column, as students do
                values["params_after"] = laid_otherwise(values["params_after"])
            try:
                nominal = leaves(route.compute(values))
            except (ArithmeticError, ValueError):
                continue
            sizes = [
                (name, path, rng.choice([5e-4, 5e-3, 0.05]))
                for name in route.uses
                for path in answer_leaves(values[name])
            ]
            bound = route.spread(values, sizes)
            if bound is None:
                continue
            total = dict.fromkeys(nominal, 0.0)
            for name, path, size in sizes:
                farthest = dict.fromkeys(nominal, 0.0)
                for end in (size, -size):
                    out = leaves(route.compute({**values, name: shifted(values[name], path, end)}))
                    for at, e in nominal.items():
                        farthest[at] = max(farthest[at], abs(out[at] - e))
                for at in total:
                    total[at] += farthest[at]
            assert max(total.values()) <= bound, (route.part, route.uses, total, bound)
            checked += 1
    assert checked


def laid_otherwise(params):
    """The parameters with every weight matrix that is not square written transposed (read back into its shape by
    follow._shaped: a number's place then says not which input it weighs)."""
    import numpy as np

    found = dict(params)
    for name, matrix in params.items():
        shape = np.shape(matrix)
        if name.startswith("W") and len(shape) == 2 and shape[0] != shape[1]:
            found[name] = tuple(tuple(row) for row in np.array(matrix).T.tolist())
    return found


def shifted_all(value, change):
    """The answer with every number changed by `change`."""
    if isinstance(value, dict):
        return {key: shifted_all(item, change) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return tuple(shifted_all(item, change) for item in value)
    return change(value) if isinstance(value, float) else value


def _trivial_by_numpy(net, part: str, value) -> bool:
    """trivial's rule as NumPy reads the answer (the witness for its direct path on the reader's floats)."""
    weights, biases = net.floats[:2]
    named = {}
    for l, w in enumerate(weights, start=1):
        named[f"W{l}"] = w.reshape(-1)
        if biases is not None:
            named[f"b{l}"] = biases[l - 1].reshape(-1)
    if part in ("gradients", "params_after"):
        if not all(name in value for name in named):
            return False
        got = np.concatenate([follow._flat(value[name]) for name in named])
        want = np.concatenate(list(named.values()))
        if part == "params_after":
            return got.size == want.size and bool(np.allclose(got, want, rtol=5e-3, atol=1e-12))
        scale = float(got @ want) / float(want @ want) if np.count_nonzero(want) else 0.0
        return scale != 0 and got.size == want.size and bool(np.allclose(got, scale * want, rtol=5e-3, atol=1e-12))
    got, want = follow._flat(value if net.batch else (value,)), net.floats[3].reshape(-1)
    return got.size == want.size and bool(np.allclose(got, want, rtol=5e-3, atol=1e-12))


def test_what_takes_no_work_agrees_with_numpy_on_drawn_answers() -> None:
    """The direct path on the reader's tuples of floats against NumPy's reading of the same answers: copies, multiples,
    near misses, other layouts (ragged rows, a row as a column, a number for a row, yes/no values) on drawn networks."""
    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    problem, solution = written.problem, written.worked.solution
    rng = np.random.default_rng(29)
    seen = {True: 0, False: 0}
    for trial in range(300):
        net = problem.given
        weights = [np.round(rng.normal(size=w.shape), 3) for w in net.floats[0]]
        params = replace(net.params, weights=tuple(_exact(w) for w in weights))
        net = replace(net, params=params)
        drawn = replace(problem, given=net)
        given = {f"W{l}": w for l, w in enumerate(net.floats[0], start=1)}
        if net.floats[1] is not None:
            given.update({f"b{l}": b for l, b in enumerate(net.floats[1], start=1)})
        factor = rng.choice([1.0, 1.002, 1.01, -2.5, 0.0])
        for part in ("gradients", "params_after"):
            value = {name: _as_tuples(factor * array + rng.choice([0, 0, 1e-3])) for name, array in given.items()}
            name = rng.choice(sorted(value))
            odd = trial % 5
            if odd == 1:  # a row as a column
                value[name] = tuple((x,) for x in np.ravel(given[name]).tolist())
            elif odd == 2 and type(value[name][0]) is tuple and len(value[name]) > 1:  # ragged rows, as many numbers
                first, second, *rest = value[name]
                value[name] = (first + second[:1], second[1:], *rest)
            elif odd == 3:  # a yes/no among the numbers
                value[name] = (True, *np.ravel(given[name]).tolist()[1:])
            try:
                expected = _trivial_by_numpy(net, part, value)
            except ValueError:  # NumPy's dot of another size: the direct path hands such an answer to NumPy too
                with pytest.raises(ValueError):
                    follow.trivial(drawn, solution, part, value)
                continue
            found = follow.trivial(drawn, solution, part, value)
            assert found is expected, (part, value)
            seen[found] += 1
        targets = net.floats[3]
        output = _as_tuples(targets * rng.choice([1.0, 1.001, 1.2]))
        output = output if net.batch else output[0]
        assert follow.trivial(drawn, solution, "output_before", output) is _trivial_by_numpy(net, "output", output)
    assert seen[True] > 50 and seen[False] > 50


def _as_tuples(array: np.ndarray):
    found = array.tolist()
    return tuple(tuple(row) for row in found) if array.ndim == 2 else tuple(found)


def _exact(array: np.ndarray):
    return tuple(tuple(Fraction(str(x)) for x in row) for row in array.tolist())
