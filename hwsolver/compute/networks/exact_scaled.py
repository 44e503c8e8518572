"""The exact path's step on the common network, in integers: one sample, ReLU or identity units, the course's
loss (half the squared error), no biases and no weight decay, every number a Fraction (a per-student variant of
the course's ReLU network is one, and every student's is solved).

exact.py works each product and sum out as a reduced Fraction (a gcd or two each). Here each vector (a layer's
values, a matrix's rows) is integers over one common denominator: a weighted sum is integer products added over
the product of the two denominators, and each value the step keeps is reduced once, when it is made a Fraction
(a Fraction's reduced form is unique: the value, the type and the text are exact.py's). The work it returns is
exact.py's, field for field: ReLU's zeros are its exact 0 (ZERO), a unit's f' the int 1 or 0, and a value passed
on unchanged (an active unit's a, the output's error term) is the same Fraction. exact.step stays the general
path and this one's witness (tests compare the two on random networks).
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd, lcm

from hwsolver.compute.exact_sums import scaled
from hwsolver.compute.networks.exact import Layer, SampleWork, Step
from hwsolver.compute.networks.exact_numbers import ZERO, reduced
from hwsolver.compute.networks.network import Network, Params

_UNITS = frozenset(("relu", "identity"))
Scaled = tuple[list[int], int]  # integers over their common denominator (positive)
Matrix = tuple[tuple[Fraction, ...], ...]


def fits(net: Network) -> bool:
    """Whether the network's steps can be taken here (its steps keep its parameters Fractions)."""
    return (
        len(net.inputs) == 1
        and net.loss == "half_squared_error"
        and net.params.biases is None
        and type(net.weight_decay) is Fraction
        and not net.weight_decay
        and type(net.learning_rate) is Fraction
        and _UNITS.issuperset(net.activations)
        and all(type(v) is Fraction for v in (*net.inputs[0], *net.targets[0]))
        and all(type(v) is Fraction for matrix in net.params.weights for row in matrix for v in row)
    )


def step(net: Network, params: Params) -> Step:
    """exact.step(net, params), for a network that fits."""
    weights = [_matrix(w) for w in params.weights]
    sample, layer_inputs, scaled_errors = _passes(net, weights, back=True)
    sample.errors = tuple([_fractions(e) for e in scaled_errors])
    grads, after = [], []
    for l, (w, (numerators, common)) in enumerate(zip(params.weights, weights)):
        # dObjective/dW[j][k] = e[j] * a_prev[k]: each a product of two values over their denominators' product
        inputs, i_den = layer_inputs[l]
        e_num, e_den = scaled_errors[l]
        g_den = e_den * i_den
        grads.append(tuple([tuple([_fraction(ej * ak, g_den) for ak in inputs]) for ej in e_num]))
        frozen = f"W{l + 1}" in net.frozen
        after.append(w if frozen else _minus(w, numerators, common, e_num, inputs, g_den, net.learning_rate))
    # the objective is the one sample's loss, the penalty the network's 0 of weight decay (as exact.passes has them)
    return Step(
        params, (sample,), sample.loss, net.weight_decay, Params(tuple(grads), None), Params(tuple(after), None)
    )


def final(net: Network, params: Params) -> tuple[tuple[SampleWork, ...], Fraction, Fraction]:
    """exact.passes(net, params, back=False), for a network that fits."""
    sample, _, _ = _passes(net, [_matrix(w) for w in params.weights], back=False)
    return (sample,), sample.loss, net.weight_decay


def _passes(
    net: Network, weights: list[tuple[list[list[int]], int]], back: bool
) -> tuple[SampleWork, list[Scaled], list[Scaled]]:
    """The sample's forward pass and loss, each layer's input (x, then the activations) scaled, and with `back`
    each layer's error terms, scaled (the sample's errors left empty: step makes them Fractions). A layer's input
    is over the denominator its values were worked out over, not their least one: a gradient made from it is
    reduced when it is made a Fraction, and it is not scaled again."""
    x, y = net.inputs[0], net.targets[0]
    layers: list[Layer] = []
    values: Scaled = scaled(x)
    inputs = [values]
    for (rows, common), name in zip(weights, net.activations):
        numerators, denominator = values
        den = common * denominator
        z_num = [sum(map(int.__mul__, row, numerators)) for row in rows]
        z = tuple([_fraction(n, den) for n in z_num])
        if name == "relu" and min(z_num) <= 0:  # a unit off: its a is ReLU's 0, its f' 0
            fprime = tuple([1 if n > 0 else 0 for n in z_num])
            a = tuple([v if n > 0 else ZERO for v, n in zip(z, z_num)])
            a_num = [n if n > 0 else 0 for n in z_num]
        else:  # every unit passes its z on (identity, or ReLU with every unit on)
            fprime, a, a_num = (1,) * len(z), z, z_num
        layers.append(Layer(z, a, fprime))
        values = (a_num, den)
        inputs.append(values)
    out_num, out_den = values
    t_num, t_den = scaled(y)
    d_den = lcm(out_den, t_den)
    d_num = [p * (d_den // out_den) - t * (d_den // t_den) for p, t in zip(out_num, t_num)]
    dloss = tuple([_fraction(n, d_den) for n in d_num])
    loss = _fraction(sum(n * n for n in d_num), 2 * d_den * d_den)
    errors: list[Scaled] = []
    if back:  # e_L = f'(z_L) * dLoss/da, e_l = f'(z_l) * (W_{l+1}^T e_{l+1}); one sample: no 1/N
        errors.append(([n if fp else 0 for n, fp in zip(d_num, layers[-1].fprime)], d_den))
        for l in range(len(layers) - 1, 0, -1):
            (rows, common), (e_num, e_den) = weights[l], errors[-1]
            upstream = [sum(map(int.__mul__, column, e_num)) for column in zip(*rows)]
            errors.append(([n if fp else 0 for n, fp in zip(upstream, layers[l - 1].fprime)], common * e_den))
        errors.reverse()
    return SampleWork(x, y, tuple(layers), loss, dloss, ()), inputs, errors


def _matrix(matrix: Matrix) -> tuple[list[list[int]], int]:
    """A matrix's rows as integers over one denominator."""
    common = lcm(*(v._denominator for row in matrix for v in row))
    return [[v._numerator * (common // v._denominator) for v in row] for row in matrix], common


def _fraction(numerator: int, denominator: int) -> Fraction:
    """numerator/denominator reduced (ReLU's exact 0 for 0)."""
    if not numerator:
        return ZERO
    g = gcd(numerator, denominator)
    return reduced(numerator // g, denominator // g) if g > 1 else reduced(numerator, denominator)


def _fractions(scaled: Scaled) -> tuple[Fraction, ...]:
    numerators, denominator = scaled
    return tuple([_fraction(n, denominator) for n in numerators])


def _minus(
    w: Matrix, numerators: list[list[int]], common: int, e_num: list[int], inputs: list[int], g_den: int, rate: Fraction
) -> Matrix:
    """W - rate * gradient, the weights `numerators` over `common`, the gradient e[j] * inputs[k] over `g_den`: over
    one denominator, the weight itself where its gradient is 0 (as exact.py's minus gives it)."""
    r_num, r_den = rate._numerator, rate._denominator
    den = common * g_den * r_den
    scale_w, scale_g = g_den * r_den, common * r_num
    return tuple(
        [
            tuple(
                [
                    old if not (ej and ak) else _fraction(n * scale_w - ej * ak * scale_g, den)
                    for old, n, ak in zip(old_row, row, inputs)
                ]
            )
            for old_row, row, ej in zip(w, numerators, e_num)
        ]
    )
