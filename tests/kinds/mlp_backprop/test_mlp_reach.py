"""The reach of an mlp_backprop chain (kinds/mlp_backprop/reach.py) bounds, number by number, the rounding allowances
worked out by re-running the chain for every move (rounding.allowances): on random relu and identity networks, the
built-in networks and students' variants of the homework's, at 2, 3 and 4 figures, each part alone and all at once."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from hwsolver.grading.leaves import is_number, leaves
from hwsolver.grading.rounding import allowances
from hwsolver.kinds import KINDS
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants

from .test_mlp_backprop import make_problem


def _random_given(rng: random.Random) -> dict:
    """A small network the reach covers: ReLU or identity layers, a squared loss, no biases, numbers of 2-3
    figures (as a homework's), one sample or a batch, a layer sometimes frozen."""
    sizes = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]

    def number() -> Fraction:
        return Fraction(rng.randint(-99, 99), rng.choice((10, 100, 16)))

    def rows(count: int, size: int) -> list:
        return [[number() for _ in range(size)] for _ in range(count)]

    layers = len(sizes) - 1
    batch = rng.choice((0, 0, 2, 3))
    given = {
        "weights": {f"W{l}": rows(sizes[l], sizes[l - 1]) for l in range(1, layers + 1)},
        "activation": [rng.choice(("relu", "relu", "identity")) for _ in range(layers)],
        "loss": rng.choice(("half_squared_error", "squared_error", "mean_squared_error")),
        "learning_rate": Fraction(rng.randint(1, 10), 10),
        "x": rows(batch, sizes[0]) if batch else rows(1, sizes[0])[0],
        "target": rows(batch, sizes[-1]) if batch else rows(1, sizes[-1])[0],
    }
    if layers > 1 and rng.random() < 0.2:
        given["frozen"] = [f"W{rng.randint(1, layers)}"]
    return given


def _chains():
    """Chains with a reach: random networks, the built-in mlp_backprop problems', students' variants of the
    homework's."""
    rng = random.Random(27)
    for n in range(60):
        problem = make_problem(_random_given(rng))
        yield f"random-{n}", KINDS[problem.kind].chain(problem, solve(problem, witness=False))
    for solution in solve_paths():
        if solution.problem.kind == "mlp_backprop":
            yield solution.problem.id, KINDS["mlp_backprop"].chain(solution.problem, solution)
    homework = load_set()
    for entry in homework.entries:
        if entry.problem.kind != "mlp_backprop":
            continue
        maker = ProblemVariants(entry)
        for n in range(40):
            problem = maker.build(maker.draw(homework.salt or "", f"S{n}").given, texts=())
            yield f"{problem.id}-S{n}", KINDS[problem.kind].chain(problem, solve(problem, witness=False))


CHAINS = [(name, chain) for name, chain in _chains() if chain.reach is not None]


def test_the_relu_networks_have_a_reach() -> None:
    names = [name for name, _ in CHAINS]
    assert sum(name.startswith("random-") for name in names) > 40
    assert sum(name.startswith("relu-network-update-S") for name in names) == 40


@pytest.mark.parametrize(("name", "chain"), CHAINS, ids=[name for name, _ in CHAINS])
def test_no_allowance_goes_beyond_the_reach(name, chain) -> None:
    values = chain.run()
    parts = [part for part in chain.answers if any(map(is_number, leaves(chain.answers[part](values)).values()))]
    moved = 0
    for sigfigs, asked in itertools.product((2, 3, 4), [*((part,) for part in parts), tuple(parts)]):
        reach = chain.reach(sigfigs)
        for part, bounds in allowances(chain, asked, sigfigs).items():
            far = leaves(chain.answers[part](reach))
            for path, (down, up) in bounds.items():
                assert max(down, up) <= far[path], (part, path, sigfigs)
                moved += down > 0 or up > 0
    assert moved or name.startswith("random-")  # some allowance to bound (CHAINS_MOVED counts the random ones)
