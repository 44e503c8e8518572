"""The exact path's step in integers (compute/networks/exact_scaled.py) against the general one (exact.step): on
random networks it fits, the same work field for field (values, their types, ReLU's exact 0 where a unit is off),
and the networks it does not fit go the general way."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.compute.networks import exact, exact_numbers, exact_scaled
from hwsolver.compute.networks.network import Params
from hwsolver.solving import solve_paths

_NUMBERS = st.builds(Fraction, st.integers(-9, 9), st.sampled_from([1, 2, 4, 10, 10, 10, 100]))


def _relu_network():
    return next(s.problem.given for s in solve_paths() if s.problem.id == "relu-network-update")


@st.composite
def _networks(draw):
    sizes = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))
    weights = tuple(
        tuple(tuple(draw(_NUMBERS) for _ in range(sizes[l])) for _ in range(sizes[l + 1]))
        for l in range(len(sizes) - 1)
    )
    return replace(
        _relu_network(),
        params=Params(weights, None),
        activations=tuple(draw(st.sampled_from(["relu", "identity"])) for _ in weights),
        inputs=(tuple(draw(_NUMBERS) for _ in range(sizes[0])),),
        targets=(tuple(draw(_NUMBERS) for _ in range(sizes[-1])),),
        learning_rate=draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(3, 10), Fraction(2)])),
        steps=draw(st.integers(1, 3)),
        frozen=draw(st.sampled_from([frozenset(), frozenset({"W1"})])),
    )


def _same(got, want) -> None:
    """Equal, of the same types, and ReLU's exact 0 where the general path has it (later work skips it by
    identity)."""
    if isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want)
        for a, b in zip(got, want):
            _same(a, b)
        return
    assert got == want and type(got) is type(want)
    if want is exact_numbers.ZERO:
        assert got is exact_numbers.ZERO


@given(_networks())
@settings(max_examples=300, deadline=None)
def test_the_integer_step_is_the_general_one(net) -> None:
    assert exact_scaled.fits(net)
    steps, final, objective = exact.train(net)
    want_steps, want_final, want_objective = exact.train(net, direct=False)
    assert (steps, final, objective) == (want_steps, want_final, want_objective)
    for got, want in zip(steps, want_steps):
        _same(got.gradients.weights, want.gradients.weights)
        _same(got.params_after.weights, want.params_after.weights)
        assert got.penalty is want.penalty and type(got.objective) is type(want.objective)
    for got, want in zip(
        (*(s.samples[0] for s in steps), final[0]), (*(s.samples[0] for s in want_steps), want_final[0])
    ):
        for layer, other in zip(got.layers, want.layers):
            _same((layer.z, layer.a, layer.fprime), (other.z, other.a, other.fprime))
        _same((got.loss, got.dloss, got.errors), (want.loss, want.dloss, want.errors))


def test_the_course_network_takes_the_integer_step(monkeypatch) -> None:
    """The relu-network-update problem (every student's variant) is stepped in integers; a network with biases,
    weight decay, a second sample, another loss or a sigmoid unit, the general way."""
    net = _relu_network()
    taken = []
    real = exact_scaled.step
    monkeypatch.setattr(exact_scaled, "step", lambda *a: taken.append(1) or real(*a))
    exact.train(net)
    assert taken == [1]
    w1, w2 = net.params.weights
    others = [
        replace(net, params=Params(net.params.weights, ((Fraction(1, 10), Fraction(0)), (Fraction(0),)))),
        replace(net, weight_decay=Fraction(1, 100)),
        replace(net, inputs=net.inputs * 2, targets=net.targets * 2, batch=True),
        replace(net, loss="squared_error"),
        replace(net, activations=("sigmoid", "relu")),
        replace(net, params=Params(((w1[0], (1, w1[1][1])), w2), None)),  # an int among the weights
    ]
    for other in others:
        assert not exact_scaled.fits(other)
        exact.train(other)
    assert taken == [1]
