"""small.py's training unrolled for the relu exercise's shape: two inputs, two hidden units, one output; one sample,
no biases, one step. The same operations on the same numbers in the same order, in local variables, where small.py
loops over layers and units and builds a list per vector: a grader trains the four classic slips of every student's
variant, and small.py's run of them costs about three of these. Any other network takes small.py; tests compare the
two bit for bit on drawn networks (small.py stays the witness against NumPy)."""

from __future__ import annotations

from collections.abc import Sequence

from hwsolver.compute.float_arrays import floats
from hwsolver.compute.networks import dots, small
from hwsolver.compute.networks.network import Network
from hwsolver.compute.networks.small import ExactZ, SmallRun
from hwsolver.compute.networks.vectorized import KINK_RELATIVE, Slips

Unit = tuple[float, float]  # a unit's z and a


def fits(net: Network) -> bool:
    """Whether this path trains the network (else small.py or NumPy: stacked.listed_each)."""
    return net.steps == 1 and net.params.biases is None and net.sizes == (2, 2, 1) and small.fits(net)


def train_each(net: Network, each: Sequence[Slips]) -> list[SmallRun]:
    """small.train_each(net, each) for a network that fits, bit for bit: the first forward pass made once, then
    each slip's backward pass, update and forward pass after it."""
    shape = _Shape(net)
    (a, b), (c, d) = floats(net.params.weights[0])  # W1, a row per hidden unit
    ((e, f),) = floats(net.params.weights[1])  # W2
    x0, x1 = floats(net.inputs[0])
    (t,) = floats(net.targets[0])
    first = shape.forward(a, b, c, d, e, f, x0, x1, small._exact_z(net))
    zs = [[[first[0], first[2]]], [[first[4]]]]  # every slip's first pass, as one sample's rows (read, never changed)
    acts = [[[first[1], first[3]]], [[first[5]]]]
    given = [[a, b], [c, d]], [[e, f]]
    return [shape.train(given, (a, b, c, d, e, f), x0, x1, t, first, zs, acts, slips) for slips in each]


class _Shape:
    """What every slip's run of the network shares: its settings, and how NumPy sums each layer's two products."""

    __slots__ = ("down", "frozen", "hidden", "loss", "output", "rate", "slope", "up_hidden", "up_output")

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
        given: tuple[small.Matrix, small.Matrix],
        weights: tuple[float, float, float, float, float, float],
        x0: float,
        x1: float,
        t: float,
        first: tuple[float, float, float, float, float, float],
        zs: list[small.Matrix],
        acts: list[small.Matrix],
        slips: Slips,
    ) -> SmallRun:
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
        if kept[0]:
            w1 = given[0]
        else:
            a, b, c, d = a - rate * g00, b - rate * g01, c - rate * g10, d - rate * g11
            w1 = [[a, b], [c, d]]
        if kept[1]:
            w2 = given[1]
        else:
            e, f = e - rate * g20, f - rate * g21
            w2 = [[e, f]]
        out = self.forward(a, b, c, d, e, f, x0, x1, None)[5]
        run = SmallRun()
        run.zs, run.activations, run.objective = zs, acts, objective
        run.errors, run.grad_w, run.grad_b = [[[e0, e1]], [[e2]]], [[[g00, g01], [g10, g11]], [[g20, g21]]], []
        run.weights_after, run.biases_after, run.outputs_after = [w1, w2], None, [[out]]
        run.history = [objective, self._loss(out, t)[0]]
        return run
