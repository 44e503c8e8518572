"""A chain whose steps take stacked copies (model.Chain.stacks) has every move rounding plans worked out in one
re-run, the moves stacked as copies (grading/stacked_moves.py): the same bounds, to the last bit, as re-running
the chain for each move alone (moves.one). Witnessed on the built-in networks and students' variants of them;
counted on a chain whose steps say when they run."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from hwsolver.grading import moves, stacked_moves
from hwsolver.grading.rounding import allowances
from hwsolver.kinds import KINDS
from hwsolver.model import Chain
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants

sys.path.insert(0, str(Path(__file__).parent))
from helpers import counted_step


def _chains():
    """The built-in problems with a chain that stacks, and students' variants of the homework's."""
    for solution in solve_paths(["problems/relu-network-update.yaml"]):
        kind = KINDS[solution.problem.kind]
        chain = kind.chain(solution.problem, solution) if kind.chain else None
        if chain is not None and chain.stacks:
            yield solution.problem, chain
    homework = load_set()
    for entry in homework.entries:
        maker = ProblemVariants(entry)
        for n in range(12):
            problem = maker.build(maker.draw(homework.salt or "", f"S{n}").given, texts=())
            kind = KINDS[problem.kind]
            if kind.chain:
                chain = kind.chain(problem, solve(problem, witness=False))
                if chain.stacks:
                    yield problem, chain


CHAINS = list(_chains())


def test_the_networks_chains_stack() -> None:
    assert len(CHAINS) > 12 and {problem.id for problem, _ in CHAINS} == {"relu-network-update"}


@pytest.mark.parametrize(("problem", "chain"), CHAINS, ids=lambda x: getattr(x, "id", ""))
def test_stacked_moves_give_the_bounds_each_move_alone_gives(problem, chain, monkeypatch) -> None:
    alone = replace(chain, stacks=False)
    asked = [((part,), sigfigs) for part in chain.answers for sigfigs in (2, 3, 4)] + [(tuple(chain.answers), 3)]
    expected = [allowances(alone, parts, sigfigs) for parts, sigfigs in asked]
    assert any(expected)  # something moved
    one_by_one = Counter()
    real = moves.one
    monkeypatch.setattr(moves, "one", lambda *args: one_by_one.update(["run"]) or real(*args))
    assert [allowances(chain, parts, sigfigs) for parts, sigfigs in asked] == expected  # floats compared exactly
    assert one_by_one["run"] == 0  # every move stacked


def _counted(worked: Counter[str], answer, stacks: bool = True) -> Chain:
    step = functools.partial(counted_step, worked)

    steps = (
        step("a", lambda v: 0.1808),
        step("b", lambda v: 0.3 * v["a"]),
        step("c", lambda v: 0.7 * v["b"] - 0.2 * v["a"]),
        step("y", lambda v: 2 * v["c"] + v["b"]),
    )
    return Chain(steps, {"y": answer}, total=True, stacks=stacks)


def test_each_step_runs_once_for_all_its_moves() -> None:
    """The chain's run, the rounded run, one stacked re-run: three times each, however many numbers move (moved
    alone, a step runs again for each move of a step before it)."""
    stacked: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    found = allowances(_counted(stacked, lambda v: (v["y"],)), ["y"], 3)
    assert found == allowances(_counted(alone, lambda v: (v["y"],), stacks=False), ["y"], 3)
    assert found["y"][(0,)][0] > 0 and found["y"][(0,)][1] > 0
    assert stacked["c"] == 3  # the step runs, rounded, stacked
    assert stacked["y"] == 2  # read by the answer alone: moving it moves nothing else, so it is never rounded
    assert alone["y"] > 3


def test_an_answer_that_works_something_out_is_moved_one_by_one(monkeypatch) -> None:
    """y squared is no number of a step: no layout to gather it by; each move is re-run alone."""
    worked: Counter[str] = Counter()
    chain = _counted(worked, lambda v: (v["y"] * v["y"],))
    assert stacked_moves.layout(chain, chain.run(), {"y": ({(0,): 0.0}, {"y"})}) is None
    expected = allowances(replace(chain, stacks=False), ["y"], 3)
    assert allowances(chain, ["y"], 3) == expected and expected


def test_a_layout_found_for_chains_alike_is_checked_on_each() -> None:
    """Two chains with the same answer code and shapes may still read other steps: the layout kept for the first
    is checked against the second's numbers, and found again."""

    def reading(name):
        return lambda v: (v[name],)

    for name in ("y", "c", "y"):
        chain = _counted(Counter(), reading(name))
        assert allowances(chain, ["y"], 3) == allowances(replace(chain, stacks=False), ["y"], 3)


@pytest.mark.parametrize(("problem", "chain"), CHAINS, ids=lambda x: getattr(x, "id", ""))
def test_each_copy_is_worked_out_to_the_bit_as_its_move_alone(problem, chain) -> None:
    """Every step of every copy, for moves of a few numbers of a few steps at a time (a step moved in some copies
    and worked out from the steps before it in the others): NumPy's kernels differ in the last bit with the
    layout of what they are given, and a bound is a sum of such differences."""
    base = chain.run()
    names = [name for name, _ in chain.steps]
    numbers = [(name, index) for name in names for index in range(np.size(base[name]))]
    rng = np.random.default_rng(16)
    for _ in range(20):
        picked = sorted(rng.choice(len(numbers), size=4, replace=False))
        copies = [(*numbers[k], float(rng.choice([-1, 1]) * 10.0 ** rng.integers(-5, -2))) for k in picked]
        stacked = stacked_moves._Copies(chain, base, copies)
        for row, (name, index, end) in enumerate(copies):
            shifted = np.array(base[name], dtype=float)
            shifted.flat[index] += end
            earlier = {step: base[step] for step in names[: names.index(name)]}
            alone = chain.values({**earlier, name: shifted if np.ndim(base[name]) else float(shifted)})
            for step in names:
                value = np.asarray(stacked[step], dtype=float)
                copy = value[row] if value.ndim > np.ndim(base[step]) else value
                assert np.array_equal(copy, np.asarray(alone[step], dtype=float)), (name, step)
