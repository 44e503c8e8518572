"""The reach of an mlp_backprop chain (kinds/mlp_backprop/reach.py) bounds, number by number, the rounding allowances
worked out by re-running the chain for every move (rounding.allowances): on random relu and identity networks, the
built-in networks and students' variants of the homework's, at 2, 3 and 4 figures, each part alone and all at once."""

from __future__ import annotations

import itertools
import math
import random
from fractions import Fraction

import pytest

from hwsolver.grading.checkers import Tolerance
from hwsolver.grading.leaves import answer_leaves, is_number, leaves, map_leaves
from hwsolver.grading.rounding import allowances, outside, within
from hwsolver.kinds import KINDS
from hwsolver.kinds.mlp_backprop import reach_rows, reach_small
from hwsolver.kinds.mlp_backprop.reach_rules import Start
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


@pytest.mark.parametrize("sigfigs", [2, 3, 4])
def test_an_answer_beyond_the_reach_is_beyond_its_allowance(sigfigs) -> None:
    """What grading relies on: where `outside` says an answer is further off than the reach, `within` with the
    allowances worked out says no. Answers near each reference (each number moved by 0.01% to 5%, or by its
    allowance and a little more): some ruled out, and each of those wrong with the allowance too."""
    tolerance, ruled_out, kept = Tolerance(sigfigs=sigfigs), 0, 0
    for name, chain in CHAINS[::3]:
        values = chain.run()
        reach = chain.reach(sigfigs)
        for part, bounds in allowances(chain, tuple(chain.answers), sigfigs).items():
            nominal = chain.answers[part](values)
            want, far = answer_leaves(nominal), leaves(chain.answers[part](reach))
            for factor in (1.0001, 1.001, 0.99, 1.01, 1.05):
                for path, e in want.items():
                    if type(e) is bool:
                        continue
                    moved = max(bounds.get(path, (0.0, 0.0)))
                    for v in (e * factor, e + moved * factor + 1e-3 * abs(e)):
                        got = {**want, path: v}
                        if outside(got, want, far, tolerance):
                            ruled_out += 1
                            assert within(_answer(nominal, got), nominal, bounds, tolerance) is False, (name, part)
                        else:
                            kept += 1
    assert ruled_out > 100 and kept > 100  # both kinds met


def _answer(nominal, numbers):
    """The nominal answer with its numbers (by place) replaced."""
    return map_leaves(nominal, lambda path, e: numbers[path])


def _bounded(chain, sigfigs: int) -> int:
    """Checks each allowance of each part against the reach; the numbers some rounding moves."""
    reach, moved = chain.reach(sigfigs), 0
    for part, bounds in allowances(chain, tuple(chain.answers), sigfigs).items():
        far = leaves(chain.answers[part](reach))
        for path, (down, up) in bounds.items():
            assert max(down, up) <= far[path], (part, path, sigfigs)
            moved += down > 0 or up > 0
    return moved


def _kinked(w2: str):
    problem = make_problem(
        {
            "weights": {"W1": [["0.1234"], ["0.2"]], "W2": [["1", w2]], "W3": [["0.5"]]},
            "activation": ["relu", "relu", "identity"],
            "loss": "half_squared_error",
            "learning_rate": "0.5",
            "x": ["1"],
            "target": ["0.7"],
        },
        parts=("forward", "errors", "gradients", "params_after", "output_after"),
    )
    return KINDS[problem.kind].chain(problem, solve(problem, witness=False))


def test_a_relu_input_rounding_carries_across_0_counts_the_flip() -> None:
    """z = 0.1234 - 0.6165 * 0.2 = 0.0001 at the second layer: rounding 0.1234 to 0.123 carries it across 0,
    and ReLU' switches the error term below it between 0 and its whole value; the reach counts that."""
    chain = _kinked("-0.6165")
    assert 0 < chain.run()["z1"].tolist()[0][0] < 1e-3
    assert _bounded(chain, 3)


def test_a_relu_input_at_0_but_for_float_error_has_no_bound_below_it() -> None:
    """z = 0.1234 - 0.617 * 0.2, 0 but for the float error of its sum (NumPy's may fall either side): the error
    terms below it and all after them get no bound (inf: grading works the allowances out)."""
    chain = _kinked("-0.617")
    assert abs(chain.run()["z1"].tolist()[0][0]) < 1e-15
    reach = chain.reach(3)
    assert reach["e1"].tolist()[0][0] == math.inf and reach["z'2"].tolist()[0][0] == math.inf
    assert reach["e2"].tolist()[0][0] < 1 and reach["a2"].tolist()[0][0] < 1  # above it, bounded


def _two_two_one(rng: random.Random) -> dict:
    """A random 2-2-1 network with one sample: numbers of 1-3 figures, any mix of ReLU and identity, any squared
    loss, a layer sometimes frozen."""

    def number() -> Fraction:
        return Fraction(rng.randint(-99, 99), rng.choice((10, 100, 16)))

    given = {
        "weights": {"W1": [[number(), number()], [number(), number()]], "W2": [[number(), number()]]},
        "activation": [rng.choice(("relu", "identity")) for _ in range(2)],
        "loss": rng.choice(("half_squared_error", "squared_error", "mean_squared_error")),
        "learning_rate": Fraction(rng.randint(1, 10), 10),
        "x": [number(), number()],
        "target": [number()],
    }
    if rng.random() < 0.2:
        given["frozen"] = [rng.choice(("W1", "W2"))]
    return given


def _merged(steps) -> dict:
    found: dict = {}
    for some in steps:
        found.update(some)
    return found


def test_the_direct_path_is_the_rows_pass_number_for_number() -> None:
    """reach_small.py's 2-2-1 path (each number a local) and reach_rows.py's pass (rows of numbers): the same rules
    and float operations, so the same reach to the last bit, on students' variants of the homework's network and
    random 2-2-1 networks (ReLU and identity layers, each loss, frozen layers), at 2, 3 and 4 figures."""
    rng, homework = random.Random(28), load_set()
    (entry,) = [entry for entry in homework.entries if entry.problem.id == "relu-network-update"]
    maker = ProblemVariants(entry)
    nets = [maker.build(maker.draw(homework.salt or "", f"S{n}").given, texts=()).given for n in range(40)]
    nets += [make_problem(_two_two_one(rng)).given for _ in range(200)]
    activations = set()
    for net, sigfigs in itertools.product(nets, (2, 3, 4)):
        start = Start(net, sigfigs, 29)
        assert reach_small.applies(start)
        direct, rows = _merged(reach_small.steps(start)), _merged(reach_rows.steps(start))
        assert direct == rows, (net, sigfigs)
        activations.add(net.activations)
    assert len(activations) == 4


def test_a_part_works_out_the_steps_up_to_its_own() -> None:
    """The output before reads the forward pass alone: the error terms, gradients and the pass after are not
    worked out for it (a student's first wrong part is often an early one)."""
    chain = next(chain for name, chain in CHAINS if name.startswith("relu-network-update-S"))
    reach = chain.reach(3)
    chain.answers["output_before"](reach)
    assert set(reach) == {"z0", "a0", "z1", "a1"}
    chain.answers["gradients"](reach)
    assert "gW0" in reach and "W0" not in reach and "loss'" not in reach


def test_a_part_without_a_reach_is_told_so_once(monkeypatch) -> None:
    """Whether the loss went down has no number for the reach to bound: asked again (for each wrong answer to it
    and each re-run checked), the None is remembered, not told again (counted: what tells it reads the part's
    answer). The witness: the reference is a yes/no alone, and a part with numbers has a reach."""
    from hwsolver.grading import prepared as preparing
    from hwsolver.grading import worked

    written = next(p for p in preparing.prepare(solve_paths()) if p.problem.id == "relu-network-update")
    part = written.by_id["loss_decreased"]
    allowances = part.allowances
    assert allowances is not None
    told: list[str] = []
    real = worked.Allowances._movable
    monkeypatch.setattr(worked.Allowances, "_movable", lambda self, name: told.append(name) or real(self, name))
    assert allowances.reach("loss_decreased") is None and allowances.reach("loss_decreased") is None
    assert type(part.reference) is bool
    assert allowances.reach("loss_after")
    assert told.count("loss_decreased") == 1
