"""The exact path's work (compute/networks/exact.py): a product by an exact 1 or a sum with an exact 0 is taken as
the number itself, never worked out, and what it gives is the value the full arithmetic gives, of the same type.
Counted on the relu-network-update problem and on a network with biases and weight decay."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hwsolver.compute.networks import exact, exact_numbers, vectorized
from hwsolver.compute.networks.network import Params
from hwsolver.numbers import high_precision
from hwsolver.solving import solve_paths


def _relu_network():
    return next(s.problem.given for s in solve_paths() if s.problem.id == "relu-network-update")


def _instrument(monkeypatch, idle: list, skips) -> None:
    """Every Fraction product, sum and difference worked out, through the operators or exact_numbers' own
    (fraction_product, fraction_sum), noted in `idle` when `skips(a, b)` says it need not have been."""
    for name in ("__mul__", "__rmul__", "__add__", "__radd__", "__sub__", "__rsub__"):
        real = getattr(Fraction, name)

        def counted(a, b, real=real, name=name):
            idle.append((name, a, b)) if skips(a, b) else None
            return real(a, b)

        monkeypatch.setattr(Fraction, name, counted)
    product, added = exact_numbers.fraction_product, exact_numbers.fraction_sum

    def counted_product(a, b):
        idle.append(("product", a, b)) if skips(a, b) else None
        return product(a, b)

    def counted_sum(a, b, sign=1):
        idle.append(("sum", a, b)) if skips(a, b) else None
        return added(a, b, sign)

    monkeypatch.setattr(exact_numbers, "fraction_product", counted_product)
    monkeypatch.setattr(exact_numbers, "fraction_sum", counted_sum)


def test_no_product_by_one_and_no_sum_with_zero(monkeypatch) -> None:
    """Instrumented: every Fraction product and sum of one training run, none of them by 1 or with 0."""
    net, idle, worked = _relu_network(), [], []
    _instrument(monkeypatch, idle, lambda a, b: worked.append(1) or a == 1 or b == 1 or a == 0 or b == 0)
    steps, _, objective = exact.train(net, direct=False)  # the general path (exact_scaled.py works in integers)
    assert steps and objective > 0
    assert len(worked) > 20  # the instruments saw the run's arithmetic
    assert idle == []


@pytest.mark.parametrize("sign", [1, -1])
@given(
    st.fractions(max_denominator=10**6),
    st.fractions(max_denominator=10**6),
)
@settings(max_examples=300, deadline=None)
def test_fraction_arithmetic_is_the_fractions_modules(sign, a, b) -> None:
    """fraction_product and fraction_sum give what Fraction's operators give: the same reduced numerator and
    denominator (so the same hash and text), of type Fraction."""
    for got, want in (
        (exact_numbers.fraction_product(a, b), a * b),
        (exact_numbers.fraction_sum(a, b, sign), a + sign * b),
    ):
        assert type(got) is Fraction
        assert (got.numerator, got.denominator) == (want.numerator, want.denominator)
        assert hash(got) == hash(want) and str(got) == str(want)


@pytest.mark.parametrize(
    ("factor", "value", "want"),
    [
        (1, Fraction(3, 7), Fraction(3, 7)),
        (Fraction(1), Fraction(3, 7), Fraction(3, 7)),
        (1, mpmath.mpf("0.25"), mpmath.mpf("0.25")),
        (Fraction(1), 5, Fraction(5)),  # an int times an exact 1 is worked out: a Fraction, as before
        (Fraction(2), Fraction(3, 7), Fraction(6, 7)),
        (mpmath.mpf(1), Fraction(1, 4), mpmath.mpf("0.25")),  # a 50-digit 1 makes its number one of its own
    ],
)
def test_times_gives_the_product_of_the_same_type(factor, value, want) -> None:
    got = exact_numbers.times(factor, value)
    assert got == factor * value == want and type(got) is type(factor * value)


@pytest.mark.parametrize(
    ("value", "term"),
    [(Fraction(3, 7), 0), (Fraction(3, 7), Fraction(0)), (mpmath.mpf("0.5"), 0), (2, Fraction(0)), (2, 0)],
)
def test_plus_gives_the_sum_of_the_same_type(value, term) -> None:
    got = exact_numbers.plus(value, term)
    assert got == value + term and type(got) is type(value + term)


def test_sum_starts_from_the_first_number() -> None:
    one = Fraction(2, 3)
    assert exact_numbers.total([one]) is one
    assert exact_numbers.total([Fraction(1, 3), Fraction(1, 6)]) == Fraction(1, 2)
    assert exact_numbers.total([]) == 0


def test_no_division_and_no_comparison_worked_out(monkeypatch) -> None:
    """Instrumented: on one sample of the course's loss without weight decay, no Fraction is divided (1/N of one
    sample, the 1/2 of the loss and its 2 are known) and none compared with 0 by the comparison operators (read
    off the numerator); the values are those of the arithmetic written out (the same run, uninstrumented)."""
    net = _relu_network()
    plain = exact.train(net, direct=False)
    worked = []
    for name in ("__truediv__", "__rtruediv__", "__gt__", "__lt__", "__ge__", "__le__"):
        real = getattr(Fraction, name)
        monkeypatch.setattr(Fraction, name, lambda a, b, real=real, name=name: worked.append(name) or real(a, b))
    steps, final, objective = exact.train(net, direct=False)
    assert worked == []
    assert (steps, final, objective) == plain


def test_the_passes_after_training_have_no_error_terms() -> None:
    """No step follows the last: its passes are the forward pass and the loss alone (what the answers and the
    worked solution read of them), the same as the full passes give."""
    net = _relu_network()
    steps, final, objective = exact.train(net)
    full, full_objective, _ = exact.passes(net, steps[-1].params_after)
    assert all(sample.errors == () for sample in final) and all(sample.errors for sample in full)
    assert [s.layers for s in final] == [s.layers for s in full] and objective == full_objective


def test_no_product_by_relus_zero_worked_out(monkeypatch) -> None:
    """Instrumented, on the ReLU network with its second hidden unit inactive (as a variant's is): no Fraction
    product, sum or difference with an exact 0 is worked out (its activation, its error term, the gradients of
    the weights it holds); the float path agrees with what comes out."""
    net = _relu_network()
    w1, w2 = net.params.weights
    net = replace(net, params=Params(((w1[0], tuple(-v for v in w1[1])), w2), None))
    idle = []
    _instrument(monkeypatch, idle, lambda a, b: a == 0 or b == 0)
    steps, _, objective = exact.train(net, direct=False)
    monkeypatch.undo()
    assert steps[0].samples[0].layers[0].a[1] == 0  # the unit is inactive: there were zeros to skip
    assert idle == []
    floats = vectorized.train(net)
    got = [float(v) for matrix in steps[0].params_after.weights for row in matrix for v in row]
    want = [v for matrix in floats.weights_after for v in matrix.ravel().tolist()]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-15)
    assert float(objective) == pytest.approx(floats.history[-1], rel=1e-12)


_TERMS = st.one_of(st.just(exact_numbers.ZERO), st.fractions(max_denominator=1000), st.integers(-3, 3))


@given(st.lists(st.tuples(_TERMS, _TERMS), min_size=1, max_size=5))
@settings(max_examples=300, deadline=None)
def test_dot_is_the_total_of_the_products(pairs) -> None:
    """dot(row, values) gives what total(map(product, row, values)) gives: the same value, of the same type, and
    ReLU's exact 0 (ZERO) itself where that gives it (later work skips it by identity); ints among the numbers
    (a bias's 0) take total's way."""
    row, values = [a for a, _ in pairs], [b for _, b in pairs]
    got, want = exact_numbers.dot(row, values), exact_numbers.total(map(exact_numbers.product, row, values))
    assert got == want and type(got) is type(want)
    assert (got is exact_numbers.ZERO) == (want is exact_numbers.ZERO)


def test_equals_reads_a_fraction_off_its_terms() -> None:
    for number, n, want in [
        (Fraction(1), 1, True),
        (Fraction(0), 0, True),
        (Fraction(1, 2), 0, False),
        (Fraction(3), 1, False),
        (Fraction(-1), 1, False),
        (1, 1, True),
        (0, 1, False),
        (mpmath.mpf(1), 1, True),
    ]:
        assert exact_numbers.equals(number, n) == want


def test_a_run_whose_fractions_outgrow_goes_on_at_50_digits() -> None:
    """Fractions while short, mpmath's precision entered only when they outgrow (and left after): the run is the
    one the whole of it at 50 digits gives (the same steps, values and types), and the float path agrees."""
    net = replace(_relu_network(), learning_rate=Fraction(1, 3), steps=8)
    steps, final, objective = exact.train(net)
    kinds = [type(s.params.weights[0][0][0]) for s in steps]
    assert kinds[0] is Fraction and kinds[-1] is mpmath.mpf  # it switched part way
    assert mpmath.mp.dps == 15  # and left mpmath's precision as it found it
    with mpmath.workdps(50):  # the run as written before: every step inside mpmath's 50 digits
        running, params, want = net, net.params, []
        for _ in range(net.steps):
            want.append(exact.step(running, params))
            params = want[-1].params_after
            if isinstance(params.weights[0][0][0], Fraction) and exact.outgrown(params):
                running, params = running.in_high_precision(), params.map(high_precision)
        want_final, want_objective, _ = exact.passes(running, params, back=False)
    assert steps == tuple(want) and final == want_final and objective == want_objective
    assert float(objective) == pytest.approx(vectorized.train(net).history[-1], rel=1e-12)
