"""small.py's training unrolled for the relu exercise's shape: two inputs, two hidden units, one output; one sample
(a vector, not a batch of one), no biases, one step. The same operations on the same numbers in the same order, in
local variables, where small.py loops over layers and units and builds a list per vector: a grader trains the four
classic slips of every student's variant, and small.py's run of them costs about three of these. Each run's numbers
are kept flat, in the order grading lays each part out (FlatRun). Any other network takes small.py; tests compare
the two bit for bit on drawn networks (small.py stays the witness against NumPy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hwsolver.compute.float_arrays import floats
from hwsolver.compute.networks import dots, small
from hwsolver.compute.networks.network import Network
from hwsolver.compute.networks.small import ExactZ
from hwsolver.compute.networks.vectorized import KINK_RELATIVE, Slips

Unit = tuple[float, float]  # a unit's z and a
Layout = tuple[Any, list[float]]  # grading's: the answer's shape, its numbers in order


def fits(net: Network) -> bool:
    """Whether this path trains the network (else small.py or NumPy: stacked.listed_each)."""
    return net.steps == 1 and not net.batch and net.params.biases is None and net.sizes == (2, 2, 1) and small.fits(net)


def train_each(net: Network, each: Sequence[Slips]) -> list[FlatRun]:
    """small.train_each(net, each) for a network that fits, bit for bit: the first forward pass made once, then
    each slip's backward pass, update and forward pass after it."""
    shape = _Shape(net)
    (a, b), (c, d) = floats(net.params.weights[0])  # W1, a row per hidden unit
    ((e, f),) = floats(net.params.weights[1])  # W2
    x0, x1 = floats(net.inputs[0])
    (t,) = floats(net.targets[0])
    first = shape.forward(a, b, c, d, e, f, x0, x1, small._exact_z(net))
    # every slip's first pass, as one sample's rows (read, never changed)
    first_pass = [[[first[0], first[2]]], [[first[4]]]], [[[first[1], first[3]]], [[first[5]]]]
    return [shape.train((a, b, c, d, e, f), x0, x1, t, first, first_pass, slips) for slips in each]


class _Shape:
    """What every slip's run of the network shares: its settings, and how NumPy sums each layer's two products."""

    __slots__ = ("frozen", "hidden", "loss", "output", "rate", "slope", "up_hidden", "up_output")

    def __init__(self, net: Network) -> None:
        orders = dots.orders()
        assert orders is not None, "fits() takes no network without them"
        self.up_hidden, self.up_output = orders.up_two, orders.up_one  # small._Plan's up, layer by layer
        self.hidden, self.output = net.activations
        self.loss, self.slope, self.rate = net.loss, float(net.slope), float(net.learning_rate)
        self.frozen = "W1" in net.frozen, "W2" in net.frozen

    def forward(
        self, a: float, b: float, c: float, d: float, e: float, f: float, x0: float, x1: float, exact_z: ExactZ | None
    ) -> tuple[float, float, float, float, float, float]:
        """small._Plan.forward: the hidden units' z and a, then the output's (W1 = [[a, b], [c, d]], W2 = [[e, f]])."""
        z0, h0 = self._unit(self.hidden, self.up_hidden, x0, a, x1, b, 0, 0, exact_z)
        z1, h1 = self._unit(self.hidden, self.up_hidden, x0, c, x1, d, 0, 1, exact_z)
        z2, out = self._unit(self.output, self.up_output, h0, e, h1, f, 1, 0, exact_z)
        return z0, h0, z1, h1, z2, out

    def _unit(
        self,
        name: str,
        dot: dots.Dot,
        a0: float,
        w0: float,
        a1: float,
        w1: float,
        layer: int,
        unit: int,
        exact_z: ExactZ | None,
    ) -> Unit:
        """One unit's z (from BLAS's 0.0; a zero input: each product exact, fused or not) and its activation, a z
        rounding leaves undecided at a kink settled as small._Plan._settled settles it."""
        z = (dot(a0, w0, a1, w1) if a0 and a1 else a0 * w0 + a1 * w1) + 0.0
        if name == "identity":
            return z, z
        if not abs(z) > 2 * KINK_RELATIVE * (abs(a0 * w0) + abs(a1 * w1) + 0.0):  # near it (rare): NumPy's size
            size = dot(abs(a0), abs(w0), abs(a1), abs(w1)) + 0.0
            if abs(z) <= KINK_RELATIVE * size and 0 < size < float("inf"):
                z = exact_z(layer, unit) if exact_z is not None else 0.0
        if name == "relu":  # np.maximum: NaN kept, -0.0 made 0.0
            return z, z if z > 0.0 or z != z else 0.0
        return z, z if z > 0.0 else self.slope * z

    def _derivative(self, name: str, z: float, upstream: float) -> float:
        """f'(z) * upstream, f' at the kink the left branch's slope (small._Plan.backward's)."""
        if name == "relu":
            return upstream if z > 0 else 0.0 * upstream
        if name == "leaky_relu":
            return upstream if z > 0 else self.slope * upstream
        return upstream

    def _loss(self, out: float, t: float) -> tuple[float, float]:
        """small._loss of the one output: the loss and dLoss/dyhat (a mean over one output divides by 1: itself)."""
        diff = out - t
        total = diff * diff
        if self.loss == "half_squared_error":
            return 0.5 * total, diff
        return total, 2.0 * diff

    def train(
        self,
        weights: tuple[float, float, float, float, float, float],
        x0: float,
        x1: float,
        t: float,
        first: tuple[float, float, float, float, float, float],
        first_pass: tuple[list[small.Matrix], list[small.Matrix]],
        slips: Slips,
    ) -> FlatRun:
        """small._Plan.train with `slips`: the backward pass from the first forward pass, the update, the forward
        pass and loss after it."""
        a, b, c, d, e, f = weights
        z0, h0, z1, h1, z2, _ = first
        objective, upstream = self._loss(first[5], t)
        if slips.loss_scale != 1:
            upstream = slips.loss_scale * upstream
        derivative = slips.activation_derivative
        e2 = self._derivative(self.output, z2, upstream) if derivative else upstream
        # e.T @ input + 0.0 * W: one product each, from BLAS's 0.0, and the weight decay's zero term
        g20, g21 = e2 * h0 + 0.0 + 0.0 * e, e2 * h1 + 0.0 + 0.0 * f
        rate = slips.update_sign * self.rate
        down0, down1 = e, f
        if slips.stale_weights and not self.frozen[1]:  # the update made before the error goes down
            down0, down1 = e - rate * g20, f - rate * g21
        u0, u1 = e2 * down0 + 0.0, e2 * down1 + 0.0
        e0 = self._derivative(self.hidden, z0, u0) if derivative else u0
        e1 = self._derivative(self.hidden, z1, u1) if derivative else u1
        g00, g01 = e0 * x0 + 0.0 + 0.0 * a, e0 * x1 + 0.0 + 0.0 * b
        g10, g11 = e1 * x0 + 0.0 + 0.0 * c, e1 * x1 + 0.0 + 0.0 * d
        kept = (False, False) if slips.update_frozen else self.frozen
        if not kept[0]:
            a, b, c, d = a - rate * g00, b - rate * g01, c - rate * g10, d - rate * g11
        if not kept[1]:
            e, f = e - rate * g20, f - rate * g21
        out = self.forward(a, b, c, d, e, f, x0, x1, None)[5]
        run = FlatRun()
        run.first_pass, run.objective, run.errors_flat = first_pass, objective, (e0, e1, e2)
        run.gradients, run.after, run.out = [g00, g01, g10, g11, g20, g21], [a, b, c, d, e, f], out
        run.history = [objective, self._loss(out, t)[0]]
        return run


_PARAMS = (("W1", (2, 2)), ("W2", (1, 2)))  # the parameters' layout: by name, each row by row (W1's, then W2's)


class FlatRun:
    """One slip's run: its numbers flat, in the order grading lays each part out (`laid`), and as small.SmallRun's
    nested lists (stacked.listed's) when read: a grader lays every slip's answers out for each part a student got
    wrong, and reads an answer itself seldom. Read the lists, never change them."""

    __slots__ = ("after", "errors_flat", "first_pass", "gradients", "history", "objective", "out")

    def laid(self, part: str) -> Layout | None:
        """answers.listed_layouts' layout of the part's answer (None: a part laid out otherwise, the errors)."""
        if part == "gradients":
            return _PARAMS, self.gradients
        if part == "params_after":
            return _PARAMS, self.after
        if part == "output_after":
            return (1,), [self.out]
        if part == "loss_after":
            return (), [self.history[-1]]
        return None

    @property
    def first(self) -> FlatRun:
        return self

    @property
    def zs(self) -> list[small.Matrix]:
        return self.first_pass[0]

    @property
    def activations(self) -> list[small.Matrix]:
        return self.first_pass[1]

    @property
    def errors(self) -> list[small.Matrix]:
        e0, e1, e2 = self.errors_flat
        return [[[e0, e1]], [[e2]]]

    @property
    def grad_w(self) -> list[small.Matrix]:
        return _matrices(self.gradients)

    @property
    def grad_b(self) -> list[small.Vector]:
        return []

    @property
    def weights_after(self) -> list[small.Matrix]:
        return _matrices(self.after)

    @property
    def biases_after(self) -> None:
        return None

    @property
    def outputs_after(self) -> list[small.Vector]:
        return [[self.out]]


def _matrices(flat: list[float]) -> list[small.Matrix]:
    """W1 and W2 from their numbers row by row."""
    a, b, c, d, e, f = flat
    return [[[a, b], [c, d]], [[e, f]]]
