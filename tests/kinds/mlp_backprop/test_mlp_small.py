"""The slips of a small network (one sample, layers at most two wide: the relu exercise's 2-2-1) trained in plain
Python floats (compute/networks/small.py) give NumPy's run bit for bit (vectorized.py through stacked.py, the second
witness): random networks of every activation, loss, bias, frozen and step setting it takes, kinks, divergence.
The fused multiply-add it emulates against exact rationals; counted: a small network's slips take no NumPy run."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from fractions import Fraction

import numpy as np
import pytest

from hwsolver.compute.networks import dots, small, stacked, vectorized
from hwsolver.kinds.mlp_backprop import grading
from hwsolver.solving import solve_paths

from . import test_mlp_stacked
from .test_mlp_backprop import KINK, make_problem

# every slip and pair of slips the stacked run is tested with, but a batch's (one sample here)
EVERY = [slips for slips in test_mlp_stacked.EVERY if not slips.batch_sum]


def numbers(run) -> list[str]:
    """Every number of a run whose arrays are nested lists, as repr (a -0.0 is not 0.0; a NaN is itself)."""
    first = run.first
    fields = [first.objective, run.history, first.zs, first.activations, first.errors, first.grad_w, first.grad_b]
    fields += [run.weights_after, run.biases_after, run.outputs_after]

    def flat(value):
        if isinstance(value, list | tuple):
            return [item for inner in value for item in flat(inner)]
        return [repr(value)]

    return flat(fields)


def numpy_runs(net, each) -> list:
    """The NumPy path's runs of the slips (one stacked run, listed), or None when a copy cannot be trained."""
    run = stacked._train_stacked(net, each)
    return None if run is None else stacked.listed(run, len(each))


def random_small(rng: random.Random, n: int):
    """A network the small path takes: 1 to 3 layers of 1 or 2 units, numbers up to 5 (some runs diverge)."""
    sizes = [rng.randint(1, 2) for _ in range(rng.randint(2, 4))]
    layers = len(sizes) - 1

    def q() -> Fraction:
        return Fraction(rng.randint(-16, 16), rng.choice((16, 10, 7, 3)))

    given = {
        "weights": {
            f"W{l}": [[q() for _ in range(sizes[l - 1])] for _ in range(sizes[l])] for l in range(1, layers + 1)
        },
        "activation": [rng.choice(("relu", "leaky_relu", "identity")) for _ in range(layers)],
        "loss": rng.choice(("half_squared_error", "squared_error", "mean_squared_error")),
        "x": [q() for _ in range(sizes[0])],
        "target": [q() for _ in range(sizes[-1])],
        "learning_rate": Fraction(rng.randint(1, 16), 8),
    }
    if rng.random() < 0.5:
        given["biases"] = {f"b{l}": [q() for _ in range(sizes[l])] for l in range(1, layers + 1)}
    net = make_problem(given).given
    frozen = frozenset(rng.sample(sorted(net.params.named()), 1)) if n % 3 == 0 else frozenset()
    slope = Fraction(1, 10) if n % 5 == 0 else net.slope  # leaky ReLU's, the course's or another
    return replace(net, frozen=frozen, steps=1 + n % 3, slope=slope)


def test_the_small_path_gives_numpys_bits() -> None:
    """300 random small networks, 16 sets of slips each (every slip and pair): every number of every run the same
    bits as NumPy's, -0.0 and NaN included; a run NumPy cannot train (none here) would not be compared."""
    rng = random.Random(28)
    compared = 0
    for n in range(300):
        net = random_small(rng, n)
        assert small.fits(net)
        found, own = small.train_each(net, EVERY), numpy_runs(net, EVERY)
        assert own is not None
        for mine, theirs in zip(found, own, strict=True):
            assert numbers(mine) == numbers(theirs)
            compared += 1
    assert compared == 300 * len(EVERY)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_a_kink_reached_by_rounding_is_settled_as_numpy_settles_it(activation: str) -> None:
    """z1 = 0.5*1 - 0.3*2 + 0.1 is 0 exactly and 2.8e-17 in float64: the first pass takes the exact 0 (ReLU' = 0,
    leaky ReLU' its slope), as NumPy's run does, every slip alike."""
    net = make_problem({**KINK, "activation": activation}).given
    assert small.fits(net)
    found = small.train_each(net, EVERY)
    assert found[0].first.zs[0] == [[0.0]]
    assert [numbers(run) for run in found] == [numbers(run) for run in numpy_runs(net, EVERY)]


def test_networks_the_small_path_does_not_take() -> None:
    """A batch, a layer three wide, a sigmoid, cross-entropy, weight decay: NumPy's run, as before."""
    base = {"weights": {"W1": [[1, 2]], "W2": [[1]]}, "activation": "relu", "x": [1, 2], "target": 1}
    base |= {"loss": "half_squared_error", "learning_rate": 1}
    assert small.fits(make_problem(base).given)
    for changed in (
        {"x": [[1, 2], [2, 1]], "target": [[1], [0]]},
        {"weights": {"W1": [[1, 2], [1, 1], [2, 1]], "W2": [[1, 1, 1]]}},
        {"activation": "sigmoid"},
        {"activation": ["relu", "sigmoid"], "loss": "binary_cross_entropy", "target": 0},
        {"weight_decay": Fraction(1, 10)},
    ):
        assert not small.fits(make_problem({**base, **changed}).given)


def test_a_small_networks_slips_take_no_numpy_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted: the relu exercise's slips (every one, every part read) without a NumPy training run; its answers are
    those of each slip's own NumPy run."""
    solution = next(s for s in solve_paths() if s.problem.id == "relu-network-update")
    runs, real = [], vectorized.train
    counted = lambda net, slips=vectorized.RIGHT: runs.append(slips) or real(net, slips)  # noqa: E731
    monkeypatch.setattr(stacked, "train", counted)
    monkeypatch.setattr(vectorized, "train", counted)
    found = grading.mutants(solution.problem, solution)
    slipped = [m for m in found if m.id in grading.SLIPS]
    assert len(slipped) == 4
    read = {m.id: {part: m.answers[part] for part in m.answers} for m in slipped}
    assert runs == []
    for mutant in slipped:
        assert read[mutant.id] == grading._answers(solution.problem, grading.SLIPS[mutant.id])  # NumPy's, alone
    assert len(runs) == 4  # the count above can fail


def test_fma_rounds_once() -> None:
    """dots.fma(a, b, c) is a*b + c worked out in exact rationals and rounded once, over magnitudes from the
    subnormal to the overflowing, signs and zeros; infinities and NaN as IEEE has them."""
    rng = random.Random(5)
    values = [0.0, -0.0, 5e-324, 1e-310, 1e-200, 1e-100, 0.1, 1 / 3, 1.0, 3.0, 1e100, 1e200, 1e300, 1.7e308]
    checked = 0
    for _ in range(4000):
        a, b, c = (rng.choice((1, -1)) * rng.choice(values) * rng.uniform(0.5, 1) for _ in range(3))
        exact = Fraction(a) * Fraction(b) + Fraction(c)
        try:
            want = float(exact)
        except OverflowError:
            want = math.inf if exact > 0 else -math.inf
        got = dots.fma(a, b, c)
        assert got == want or (exact == 0 and got == 0), (a, b, c)
        checked += 1
    # a plain a*b + c would round twice: 0.1 * 10 - 1 is 0.0 plain, 5.55e-17 fused
    assert 0.1 * 10 - 1 == 0.0 and dots.fma(0.1, 10, -1) == float(Fraction(0.1) * 10 - 1) != 0
    assert math.isnan(dots.fma(math.inf, 0.0, 1.0)) and dots.fma(1e300, 1e10, -math.inf) == -math.inf
    assert dots.fma(1e300, 1e300, -math.inf) == -math.inf  # the exact product is finite: no inf - inf
    assert checked == 4000


def test_the_probes_tell_the_ways_apart() -> None:
    """Each probe sums to 0 exactly and each way leaves another residue: one NumPy matmul tells its way."""
    for probe in dots.PROBES:
        a0, w0, a1, w1 = map(Fraction, probe)
        assert a0 * w0 + a1 * w1 == 0 and a0 * w0 != 0
        assert len({way(*probe) for way in (dots.plain, dots.fused_first, dots.fused_last)}) == 3
    assert dots.orders() is not None  # NumPy here sums in one of the ways: the tests above compare the paths


def test_numpy_summing_from_minus_zero_turns_the_small_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """small.py starts each sum from 0.0 as BLAS does here; a NumPy whose sums of -0.0 products stay -0.0 would
    give other bits, and the small path is then not taken."""

    class _Unsigned:  # NumPy with a matmul that keeps the sign of a zero sum
        def __getattr__(self, name: str) -> object:
            return getattr(np, name)

        @staticmethod
        def signbit(value: object) -> object:
            return np.ones_like(value, dtype=bool)

    assert dots._from_zero(np)
    assert not dots._from_zero(_Unsigned())
    monkeypatch.setattr(dots, "_from_zero", lambda np: False)
    assert dots.orders.__wrapped__() is None
    given = {"weights": {"W1": [[1, 2]], "W2": [[1]]}, "activation": "relu", "x": [1, 2], "target": 1}
    net = make_problem({**given, "loss": "half_squared_error", "learning_rate": 1}).given
    assert small.fits(net)
    monkeypatch.setattr(dots, "orders", lambda: None)
    assert not small.fits(net)
