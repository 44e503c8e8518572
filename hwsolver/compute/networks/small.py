"""The float training of a small network in plain Python floats: vectorized.train's operations number by number,
giving its bits, for the networks where NumPy's cost per call dwarfs the work (a grader trains every classic slip
of each student's variant of a 2-2-1 network: some forty numbers a run).

Small: one sample, no layer wider than two units, ReLU, leaky ReLU or the identity (no function of libm, which may
round otherwise than NumPy), a squared loss, no weight decay, no schedule. NumPy sums a dot product of two terms
through its BLAS, which may fuse a multiply-add (OpenBLAS does), from 0.0 (a -0.0 comes out 0.0): how it sums each
shape met here is read off NumPy itself once (dots.py), and where that is none of the ways known, the small path
is not taken. vectorized.py stays the exact path's witness; tests compare the two paths bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hwsolver.compute.float_arrays import floats
from hwsolver.compute.networks import dots
from hwsolver.compute.networks.network import Network
from hwsolver.compute.networks.vectorized import KINK_RELATIVE, Slips

Vector = list[float]
Matrix = list[Vector]
ExactZ = Callable[[int, int], float]  # (layer, unit) -> the given network's exact pre-activation, as a float

_LINEAR = frozenset({"relu", "leaky_relu", "identity"})
_SQUARED = frozenset({"half_squared_error", "squared_error", "mean_squared_error"})


def fits(net: Network) -> bool:
    """Whether the small path trains this network (see the module's doc), NumPy's sums told apart here."""
    return (
        net.schedule is None
        and len(net.inputs) == 1
        and not net.weight_decay
        and net.loss in _SQUARED
        and _LINEAR.issuperset(net.activations)
        and max(net.sizes) <= 2
        and dots.orders() is not None
    )


def train_each(net: Network, each: Sequence[Slips]) -> list[SmallRun]:
    """[stacked.listed(vectorized.train(net, slips), 1)[0] for slips in each] for a network that fits: runs whose
    arrays are nested lists of floats, the forward pass before the update (the same for every slip) made once."""
    plan = _Plan(net)
    # the given's exact numbers as floats (a variant's nine numbers each time its slips are trained)
    weights = [floats(matrix) for matrix in net.params.weights]
    biases = [floats(vector) for vector in net.params.biases] if net.params.biases is not None else None
    x, y = floats(net.inputs[0]), floats(net.targets[0])
    zs, acts = plan.forward(weights, biases, x, _exact_z(net))
    listed = [[z] for z in zs], [[a] for a in acts]  # every slip's first pass, as one sample's rows
    return [plan.train(weights, biases, x, y, (zs, acts), listed, slips) for slips in each]


def _exact_z(net: Network) -> ExactZ:
    """(layer, unit) -> the given network's exact pre-activation, worked out when a kink first needs deciding."""
    found: list[Any] = []

    def exact(layer: int, unit: int) -> float:
        if not found:
            from hwsolver.compute.networks import exact as exact_path  # (rare: a pre-activation rounding left at 0)

            found.append(exact_path.pre_activations(net)[0])
        return float(found[0][layer][unit])

    return exact


class SmallRun:
    """A run as stacked.listed gives it (a vectorized.Run of nested lists, whose first passes it is itself), made
    without a frozen dataclass's cost per field. The first forward pass's lists and the frozen layers' weights are
    shared by every slip's run (as stacked.ListedCopy shares its listing): read them, never change them."""

    __slots__ = (
        "activations", "biases_after", "errors", "grad_b", "grad_w",
        "history", "objective", "outputs_after", "weights_after", "zs",
    )  # fmt: skip

    @property
    def first(self) -> SmallRun:
        return self


class _Plan:
    """A network's runs, each slip's: what they share (its settings, and how NumPy sums each layer's products)."""

    def __init__(self, net: Network) -> None:
        orders = dots.orders()
        assert orders is not None, "fits() takes no network without them"
        weights = net.params.weights
        self.loss, self.steps, self.activations = net.loss, net.steps, net.activations
        self.slope, self.rate = float(net.slope), float(net.learning_rate)
        # a layer's inputs times its weights' transpose, and its error sent down through its weights
        self.up = [orders.up_two if len(matrix) == 2 else orders.up_one for matrix in weights]
        self.down = [orders.down_two if len(matrix[0]) == 2 else orders.down_one for matrix in weights]
        names = range(1, len(weights) + 1)
        # by layer, whether its weights and its biases are kept as they are (frozen) by an update
        self.kept = [f"W{l}" in net.frozen for l in names], [f"b{l}" in net.frozen for l in names]
        self.nothing_kept = [False] * len(weights), [False] * len(weights)  # the frozen ones updated (the slip)
        self.stale = [not frozen for frozen in self.kept[0]]  # may slip: updated before the error goes down

    def train(
        self,
        weights: list[Matrix],
        biases: list[Vector] | None,
        x: Vector,
        y: Vector,
        first: tuple[list[Vector], list[Vector]],
        listed: tuple[list[Matrix], list[Matrix]],
        slips: Slips,
    ) -> SmallRun:
        """vectorized.train(net, slips) from the first forward pass (zs, acts; `listed`: as rows of the one
        sample), its arrays as nested lists."""
        run = SmallRun()
        zs, acts = first
        run.zs, run.activations = listed
        objective, errors, grad_w, grad_b = self.backward(weights, zs, acts, x, y, slips, biases is not None)
        run.objective, run.errors, run.grad_w, run.grad_b = objective, [[e] for e in errors], grad_w, grad_b
        history = [objective]
        rate = slips.update_sign * self.rate
        kept = self.nothing_kept if slips.update_frozen else self.kept
        for step in range(1, self.steps + 1):
            weights = [w if keep else _moved(w, g, rate) for w, g, keep in zip(weights, grad_w, kept[0])]
            if biases is not None:
                biases = [
                    b if keep else [v - rate * d for v, d in zip(b, g)] for b, g, keep in zip(biases, grad_b, kept[1])
                ]
            if step < self.steps:
                zs, acts = self.forward(weights, biases, x, None)
                objective, _, grad_w, grad_b = self.backward(weights, zs, acts, x, y, slips, biases is not None)
                history.append(objective)
        _, acts = self.forward(weights, biases, x, None)  # after the last step only the forward pass is asked for
        history.append(_loss(self.loss, acts[-1], y)[0])
        run.weights_after, run.biases_after, run.outputs_after, run.history = weights, biases, [acts[-1]], history
        return run

    def forward(
        self, weights: list[Matrix], biases: list[Vector] | None, x: Vector, exact_z: ExactZ | None
    ) -> tuple[list[Vector], list[Vector]]:
        """vectorized._forward for the one sample: every layer's z and a; a z that rounding leaves undecided at a
        kink settled to its exact value (exact_z: the given parameters) or to 0."""
        zs, acts, a = [], [], x
        for l, matrix in enumerate(weights):
            if len(a) == 1:
                z = [a[0] * w[0] + 0.0 for w in matrix]  # one product alone, from BLAS's 0.0
            else:
                a0, a1 = a
                dot = self.up[l] if a0 and a1 else dots.plain  # a zero input: each product exact, fused or not
                z = [dot(a0, w0, a1, w1) + 0.0 for w0, w1 in matrix]
            if biases is not None:
                z = [v + b for v, b in zip(z, biases[l])]
            name = self.activations[l]
            if name == "identity":
                a = z
            else:  # ReLU's and leaky ReLU's kink
                z = self._settled(z, a, matrix, biases[l] if biases is not None else None, l, exact_z)
                if name == "relu":  # np.maximum: NaN kept, -0.0 made 0.0
                    a = [v if v > 0.0 or v != v else 0.0 for v in z]
                else:
                    a = [v if v > 0.0 else self.slope * v for v in z]
            zs.append(z)
            acts.append(a)
        return zs, acts

    def _settled(
        self, z: Vector, a: Vector, matrix: Matrix, bias: Vector | None, layer: int, exact_z: ExactZ | None
    ) -> Vector:
        """vectorized._settle_kinks: each z left as it is unless within KINK_RELATIVE of its terms' size."""
        for unit, (v, w) in enumerate(zip(z, matrix)):
            size = abs(a[0] * w[0]) + (abs(a[1] * w[1]) if len(a) == 2 else 0.0) + (abs(bias[unit]) if bias else 0.0)
            if abs(v) > 2 * KINK_RELATIVE * size:  # far from it whatever the last bits of the size (most z)
                continue
            magnitudes = [abs(value) for value in a]
            if len(a) == 1:  # NumPy's size, bit for bit
                size = magnitudes[0] * abs(w[0]) + 0.0
            else:
                size = self.up[layer](magnitudes[0], abs(w[0]), magnitudes[1], abs(w[1])) + 0.0
            if bias is not None:
                size = size + abs(bias[unit])
            if abs(v) <= KINK_RELATIVE * size and 0 < size < float("inf"):
                z = [*z[:unit], exact_z(layer, unit) if exact_z is not None else 0.0, *z[unit + 1 :]]
        return z

    def backward(
        self,
        weights: list[Matrix],
        zs: list[Vector],
        acts: list[Vector],
        x: Vector,
        y: Vector,
        slips: Slips,
        biased: bool,
    ) -> tuple[float, list[Vector], list[Matrix], list[Vector]]:
        """vectorized._passes after its forward pass (zs, acts), with `slips`, for the one sample: the objective,
        each layer's error and gradients (no division by the batch's size of one: x / 1 is x)."""
        objective, upstream = _loss(self.loss, acts[-1], y)
        if slips.loss_scale != 1:
            upstream = [slips.loss_scale * u for u in upstream]
        layers = len(weights)
        errors: list[Vector] = [[]] * layers
        grad_w: list[Matrix] = [[]] * layers
        for l in range(layers - 1, -1, -1):
            error = upstream
            if slips.activation_derivative:  # f'(z) * upstream, f' at the kink the left branch's slope
                name = self.activations[l]
                if name == "relu":
                    error = [u if v > 0 else 0.0 * u for v, u in zip(zs[l], upstream)]
                elif name == "leaky_relu":
                    error = [u if v > 0 else self.slope * u for v, u in zip(zs[l], upstream)]
            errors[l] = error
            # e.T @ input + 0.0 * W: products alone (the one sample's), each from BLAS's 0.0, and the weight
            # decay's zero term (NumPy adds it: an infinite weight makes the gradient NaN)
            below = acts[l - 1] if l else x
            grad_w[l] = [[e * v + 0.0 + 0.0 * w for v, w in zip(below, row)] for e, row in zip(error, weights[l])]
            if l == 0:
                break
            through = weights[l]
            if slips.stale_weights and self.stale[l]:  # the update made before the error goes down
                through = _moved(through, grad_w[l], slips.update_sign * self.rate)
            if len(error) == 1:
                upstream = [error[0] * w + 0.0 for w in through[0]]
            else:
                e0, e1 = error
                dot = self.down[l] if e0 and e1 else dots.plain
                upstream = [dot(e0, top, e1, bottom) + 0.0 for top, bottom in zip(*through)]
        # the sum over the one sample, as NumPy sums it from 0.0 (a -0.0 made 0.0)
        grad_b = [[v + 0.0 for v in e] for e in errors] if biased else []
        return objective, errors, grad_w, grad_b


def _moved(matrix: Matrix, gradient: Matrix, rate: float) -> Matrix:
    """matrix - rate * gradient, entry by entry."""
    return [[w - rate * g for w, g in zip(row, grads)] for row, grads in zip(matrix, gradient)]


def _loss(name: str, yhat: Vector, y: Vector) -> tuple[float, Vector]:
    """float_losses.loss_terms of the one sample: its loss and dLoss/dyhat."""
    diff = [p - t for p, t in zip(yhat, y)]
    total = diff[0] * diff[0] + diff[1] * diff[1] if len(diff) == 2 else diff[0] * diff[0]
    if name == "half_squared_error":
        return 0.5 * total, diff
    if name == "squared_error":
        return total, [2.0 * d for d in diff]
    return total / len(y), [2.0 * d / len(y) for d in diff]  # mean_squared_error
