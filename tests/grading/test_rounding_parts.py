"""A total chain's rounding allowances are worked out part by part (prepared.Allowances): the same bounds as the
whole problem's, for less work. Witnessed against the all-parts computation on the built-in problems and their
variants, and counted on a chain whose steps say when they run."""

from __future__ import annotations

import functools
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml

from hwsolver.grading import prepared as preparing
from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.rounding import allowances
from hwsolver.grading.worked import Allowances
from hwsolver.kinds import KINDS
from hwsolver.model import Chain
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants

sys.path.insert(0, str(Path(__file__).parent))
from helpers import counted_step

TOTAL = ("relu-network-update", "conv-backprop")  # the homework's problems with a chain


def _problems():
    """The built-in homework's problems with a total chain, as written and in a few students' variants."""
    homework = load_set()
    for entry in homework.entries:
        if entry.problem.id not in TOTAL:
            continue
        maker = ProblemVariants(entry)
        yield entry.problem
        for n in range(4):
            yield maker.build(maker.draw(homework.salt or "", f"S{n}").given, texts=())


@pytest.mark.parametrize("problem", list(_problems()), ids=lambda p: p.id)
def test_each_part_alone_gets_the_bounds_the_whole_problem_gets(problem) -> None:
    kind = KINDS[problem.kind]
    solution = solve(problem, witness=False)
    chain = kind.chain(problem, solution)
    assert chain.total
    order = kind.parts_for(problem.given)
    sigfigs = Tolerance.from_options(problem.options).sigfigs
    whole = allowances(chain, order, sigfigs)
    assert whole or problem.id == "conv-backprop"  # something to compare (the convolution's numbers are exact)
    for part in order:
        assert allowances(chain, (part,), sigfigs).get(part, {}) == whole.get(part, {})


@pytest.mark.parametrize("problem", list(_problems()), ids=lambda p: p.id)
def test_steps_only_answers_read_are_not_moved_and_change_no_bound(problem, monkeypatch) -> None:
    """A step that the answers read and no step of theirs reads (the parameters after, the output) is neither
    rounded nor moved: moving it moves only itself in the answers, which no allowance counts. The bounds are
    the same as with every step read moved, part by part and for all parts at once, at 2 to 4 figures."""
    from hwsolver.grading import rounded_chain

    kind = KINDS[problem.kind]
    chain = kind.chain(problem, solve(problem, witness=False))
    asked = [((part,), sigfigs) for part in chain.answers for sigfigs in (2, 3, 4)] + [(tuple(chain.answers), 3)]
    planned: Counter[str] = Counter()
    real = rounded_chain.Rounding._plan
    monkeypatch.setattr(rounded_chain.Rounding, "_plan", lambda r, n, name: planned.update([name]) or real(r, n, name))
    found = [allowances(chain, parts, sigfigs) for parts, sigfigs in asked]
    rounded = sum(planned.values())
    monkeypatch.setattr(rounded_chain._Traced, "fed", lambda traced, steps: steps)
    planned.clear()
    assert [allowances(chain, parts, sigfigs) for parts, sigfigs in asked] == found  # floats compared exactly
    assert any(found) or problem.id == "conv-backprop"  # something to compare (the convolution's numbers are exact)
    assert 0 < rounded < sum(planned.values())  # fewer steps rounded


def test_the_built_in_networks_with_a_squared_loss_have_total_chains() -> None:
    for solution in solve_paths():
        kind = KINDS[solution.problem.kind]
        if kind.chain and solution.problem.kind in ("mlp_backprop", "conv_backprop"):
            loss = getattr(solution.problem.given, "loss", "squared_error")
            assert kind.chain(solution.problem, solution).total == ("squared" in loss)


SOFTMAX = {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, -0.3], [0.2, 0.4]]}
NETWORKS = [
    {},
    {"activation": "sigmoid", "loss": "half_squared_error", "steps": 2},
    {"activation": ["tanh", "softmax"], "loss": "cross_entropy", "target": [0, 1], "weights": SOFTMAX},
    {"activation": "leaky_relu", "loss": "mean_squared_error", "weight_decay": 0.1},
    {
        "layers": [2, 2, 3, 1],
        "weights": {
            "W1": [[0.6, 0.2], [0.1, 0.7]],
            "W2": [[0.5, 0.8], [-0.3, 0.2], [0.4, 0.1]],
            "W3": [[0.2, 0.3, 0.5]],
        },
        "biases": {"b1": [0.1, 0.0], "b2": [0.2, -0.1, 0.3], "b3": [0.2]},
        "x": [[0.2, 0.3], [0.5, -0.1], [0.4, 0.9]],
        "target": [[0.5], [0.1], [0.3]],
    },
]


@pytest.mark.parametrize("network", NETWORKS)
def test_a_network_counts_its_chains_numbers_unrun(tmp_path, network: dict) -> None:
    """The kind counts its chain's numbers without working a step out (model.Chain.size: rounding asks it before
    any part's allowance, and a part reads only some steps): the count is the numbers its steps hold (batches,
    biases, three layers, softmax, decay, several steps), and so is the built-in problems' and variants'."""
    given = {"weights": {"W1": [[0.6, 0.2], [0.1, 0.7]], "W2": [[0.5, 0.8]]}, "activation": "relu"}
    given |= {"x": [0.2, 0.3], "target": 0.5, "learning_rate": 1, "loss": "half_squared_error", **network}
    spec = {"id": "n", "kind": "mlp_backprop", "title": "t", "statement": "t", "given": given, "parts": ["gradients"]}
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    problems = [solution.problem for solution in solve_paths([path])]
    if not network:
        problems += [solution.problem for solution in solve_paths()] + list(_problems())
    for problem in problems:
        kind = KINDS[problem.kind]
        chain = kind.chain(problem, solve(problem, witness=False)) if kind.chain else None
        if chain is not None and chain.size is not None:
            assert chain.size == sum(np.size(value) for value in chain.run().values()), problem.id


def counted_chain(total: bool, worked: Counter[str]) -> Chain:
    step = functools.partial(counted_step, worked)

    # a = 0.1805 is a tie at 3 figures (0.18 or 0.181); z is undefined when a is moved up
    steps = (
        step("a", lambda v: 0.1805),
        step("y", lambda v: 2 * v["a"]),
        step("z", lambda v: math.sqrt(0.1806 - v["a"])),
    )
    return Chain(steps, {"y": lambda v: (v["y"],), "z": lambda v: (v["z"],)}, total=total)


def test_a_part_alone_runs_only_the_steps_it_reads() -> None:
    worked: Counter[str] = Counter()
    preparing.WORK.clear()
    found = Allowances(counted_chain(True, worked), ("y", "z"), 3)
    down, up = found.get("y")[(0,)]
    assert (down, up) == (pytest.approx(0.001), pytest.approx(0.001))  # 2 x 0.0005 either way
    assert preparing.WORK["allowances"] == 1
    z_runs = worked["z"]
    assert z_runs == 1  # the chain's run only: a step y does not read is neither rounded nor moved
    found.get("y")
    assert preparing.WORK["allowances"] == 1 and worked["z"] == z_runs


def test_a_chain_that_may_raise_is_worked_out_whole() -> None:
    """Moving a up leaves z undefined: that move is dropped for every part (y keeps only the downward one), so
    y's bounds depend on z's part and cannot be worked out alone."""
    worked: Counter[str] = Counter()
    preparing.WORK.clear()
    found = Allowances(counted_chain(False, worked), ("y", "z"), 3)
    down, up = found.get("y")[(0,)]
    assert (down, up) == (pytest.approx(0.001), 0.0)
    assert allowances(counted_chain(False, worked), ("y",), 3)["y"][(0,)][1] == pytest.approx(0.001)
    found.get("z")
    assert preparing.WORK["allowances"] == 1  # every part's at once


def test_the_parts_of_a_chain_share_its_exact_and_rounded_runs() -> None:
    """Each step runs once exactly and once from rounded values for all the parts asked one after another (and
    whether a part has numbers at all is read off the same run): a student's second near miss on a variant
    re-runs only the moves of the steps its part reads."""
    worked: Counter[str] = Counter()

    step = functools.partial(counted_step, worked)

    steps = (
        step("a", lambda v: 0.1808),
        step("b", lambda v: 0.3 * v["a"]),
        step("y", lambda v: 2 * v["b"] + v["a"]),
        step("z", lambda v: 3 * v["b"]),
    )
    chain = Chain(steps, {"y": lambda v: (v["y"],), "z": lambda v: (v["z"],)}, total=True)
    found = Allowances(chain, ("y", "z"), 3)
    assert found.get("y") == allowances(chain, ["y"], 3)["y"]
    assert found.get("z") == allowances(chain, ["z"], 3)["z"]
    worked.clear()
    found = Allowances(chain, ("y", "z"), 3)
    found.get("y")
    found.get("z")
    assert worked["a"] == 2  # once exactly, once rounded: a is moved but never worked out again
