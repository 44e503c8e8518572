"""The given of an initialization problem: its keys (GIVEN) and what they describe, a layer stack with its scheme
(always) and, with `start`, the network trained from that start (and from `contrast`), checked key by key.

A key that the problem's other keys make meaningless is an error, not ignored: `mode` without a kaiming scheme,
`negative_slope` without a leaky ReLU gain to set, the training keys without `start`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise
from typing import Any

from hwsolver.compute.functions import ELEMENTWISE, LOSSES
from hwsolver.compute.init_schemes import DEFAULT_SLOPE, MODES, SCHEMES, gain_squared
from hwsolver.compute.networks.network import Network
from hwsolver.kinds.base import Given, Key
from hwsolver.kinds.initialization.starts import read_params
from hwsolver.spec.node import Node

MAX_STEPS = 100
MAX_TRAINED = 10_000  # weights of a network trained in exact arithmetic: the symmetry question's are a handful
TRAINING = ("x", "target", "loss", "learning_rate")
WITH_START = "(required with start)"
GIVEN = Given(
    (
        Key(
            "layers",
            "a list of integers: units per layer, inputs first",
            "the layers' sizes (fan-in and fan-out)",
            "[2, 2, 1]",
        ),
        Key(
            "activation",
            f"one of {', '.join(ELEMENTWISE)}, or a list of them (one per layer)",
            "f(l), the activation after each layer: its gain, and the network's when it trains",
            "[leaky_relu, sigmoid]",
        ),
        Key(
            "scheme",
            f"one of {', '.join(SCHEMES)}",
            "how the weights are drawn, as torch.nn.init draws them",
            "kaiming_uniform",
        ),
        Key(
            "mode",
            f"one of {', '.join(MODES)} (kaiming only)",
            "the fan kaiming divides by",
            "fan_out",
            default="fan_in",
        ),
        Key(
            "gain",
            "a number > 0, or activation (torch.nn.init.calculate_gain of each layer's activation)",
            "the gain in the scheme's standard deviation",
            "activation",
            default="(1 for xavier, torch's default; activation for kaiming)",
        ),
        Key(
            "negative_slope",
            "a number >= 0 (with a leaky_relu gain)",
            "a: leaky ReLU's negative slope in its gain sqrt(2 / (1 + a^2)); a network that trains has 0.01",
            "0.01",
            default="0.01",
        ),
        Key(
            "input_variance",
            "a number > 0",
            "Var(x): every layer's inputs have mean 0 and this variance",
            "1",
            default="1",
        ),
        Key(
            "start",
            "a number (every weight and bias), or parameters by name: W1, b1, ... each a number (every entry) or "
            "its matrix or vector",
            "the network's initial parameters (equal weights: the symmetry question)",
            "0",
            default="(none: no training asked)",
        ),
        Key(
            "contrast",
            "parameters by name, as start",
            "another start to compare (drawn at random, say)",
            "{W1: [[0.5, -0.3], [0.2, 0.4]], b1: 0, W2: [[0.6, -0.1]], b2: 0}",
            default="(none)",
        ),
        Key(
            "x",
            "a list of numbers (one per input), or a list of such lists (a mini-batch)",
            "the input",
            "[0.2, 0.3]",
            default=WITH_START,
        ),
        Key(
            "target",
            "a number or a list (one per output unit); for a mini-batch, one per sample",
            "the desired output y",
            "1",
            default=WITH_START,
        ),
        Key("loss", f"one of {', '.join(LOSSES)}", "the loss of one sample", "half_squared_error", default=WITH_START),
        Key("learning_rate", "a number > 0", "eta: the update is W - eta dJ/dW", "1", default=WITH_START),
        Key(
            "steps", f"an integer from 1 to {MAX_STEPS}", "gradient-descent steps taken", "2", default="(1, with start)"
        ),
    )
)


@dataclass(frozen=True)
class Init:
    """A stack initialized by a scheme; with `start`, the network trained from it (and from `contrast`)."""

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    scheme: str
    mode: str
    gain: str | Fraction  # "default", "activation" or the number given
    gains2: tuple[Fraction, ...]  # each layer's gain squared
    negative_slope: Fraction
    input_variance: Fraction
    start: Network | None = None
    contrast: Network | None = None

    @property
    def uniform(self) -> bool:
        return self.scheme.endswith("uniform")

    @property
    def gain_from_activation(self) -> bool:
        return from_activation(self.gain, self.scheme)


def from_activation(gain: str | Fraction, scheme: str) -> bool:
    """Whether each layer's gain is calculate_gain of its activation (else the one number, 1 by default): asked
    for, or kaiming's own (its `nonlinearity`)."""
    return gain == "activation" or (gain == "default" and scheme.startswith("kaiming"))


def parse_given(node: Node) -> Init:
    fields = GIVEN.fields(node)
    sizes = tuple(item.integer(minimum=1) for item in fields["layers"].items())
    if len(sizes) < 2:
        raise fields["layers"].error("expected at least two layer sizes (inputs and outputs)")
    activations = _activations(fields["activation"], len(sizes) - 1)
    scheme = fields["scheme"].choice(SCHEMES)
    if "mode" in fields and not scheme.startswith("kaiming"):
        raise fields["mode"].error(f"mode is kaiming's; {scheme} divides by fan_in + fan_out")
    mode = fields["mode"].choice(MODES) if "mode" in fields else "fan_in"
    gain = _gain(fields["gain"]) if "gain" in fields else "default"
    slope = _slope(fields, from_activation(gain, scheme), activations)
    if from_activation(gain, scheme):
        gains2 = tuple(gain_squared(name, slope) for name in activations)
    else:
        gains2 = (Fraction(1) if gain == "default" else gain**2,) * len(activations)
    init = Init(sizes, activations, scheme, mode, gain, gains2, slope, _positive(fields.get("input_variance"), 1))
    if "start" not in fields:
        for key in (*TRAINING, "steps", "contrast"):
            if key in fields:
                raise fields[key].error(f"{key} is for training from a start: give start too")
        return init
    missing = [key for key in TRAINING if key not in fields]
    if missing:
        raise fields["start"].error(f"training from a start needs {', '.join(missing)} too")
    weights = sum(a * b for a, b in pairwise(sizes))
    if weights > MAX_TRAINED:
        raise fields["start"].error(f"a network trained from a start has at most {MAX_TRAINED} weights, not {weights}")
    if slope != DEFAULT_SLOPE and "leaky_relu" in activations:
        raise fields["negative_slope"].error("the network trains with leaky ReLU's slope 0.01: give that or no start")
    start = _network(fields, sizes, activations, read_params(fields["start"], sizes, None))
    if "contrast" in fields:
        contrast = read_params(fields["contrast"], sizes, start.params.biases is not None)
        return replace(init, start=start, contrast=replace(start, params=contrast))
    return replace(init, start=start)


def _activations(node: Node, layers: int) -> tuple[str, ...]:
    if node.is_scalar:
        return (node.choice(ELEMENTWISE),) * layers
    items = node.items()
    if len(items) != layers:
        raise node.error(f"expected one activation per layer ({layers}), got {len(items)}")
    return tuple(item.choice(ELEMENTWISE) for item in items)


def _gain(node: Node) -> str | Fraction:
    if node.is_scalar and node.value == "activation":
        return "activation"
    value = node.number()
    if value <= 0:
        raise node.error(f"expected a number > 0 or activation, got {node.value}")
    return value


def _slope(fields: Any, read: bool, activations: tuple[str, ...]) -> Fraction:
    """negative_slope, which only a leaky_relu layer's gain from its activation (`read`) reads."""
    if "negative_slope" not in fields:
        return DEFAULT_SLOPE
    node = fields["negative_slope"]
    if not (read and "leaky_relu" in activations):
        raise node.error("negative_slope sets a leaky_relu layer's gain: no gain here reads it")
    return node.number(minimum=0)


def _positive(node: Node | None, default: int) -> Fraction:
    return Fraction(default) if node is None else node.number(above=0)


def _network(fields: Any, sizes: tuple[int, ...], activations: tuple[str, ...], params: Any) -> Network:
    inputs, batch = _samples(fields["x"], sizes[0])
    targets, _ = _samples(fields["target"], sizes[-1], batch)
    if len(targets) != len(inputs):
        raise fields["target"].error(f"expected {len(inputs)} targets (one per input), got {len(targets)}")
    steps = fields["steps"].integer(minimum=1) if "steps" in fields else 1
    if steps > MAX_STEPS:
        raise fields["steps"].error(f"at most {MAX_STEPS} steps")
    return Network(
        params=params,
        activations=activations,
        loss=fields["loss"].choice(LOSSES),
        inputs=inputs,
        targets=targets,
        batch=batch,
        learning_rate=_positive(fields["learning_rate"], 1),
        steps=steps,
    )


def _samples(node: Node, size: int, batch: bool | None = None) -> tuple[tuple[tuple[Fraction, ...], ...], bool]:
    """One vector (a number for one entry), or a list of them for a mini-batch; each of `size` entries."""
    if batch is None:
        batch = not node.is_scalar and any(not item.is_scalar for item in node.items())
    vectors = tuple(item.vector(size) for item in node.items()) if batch else (node.vector(size),)
    if not vectors:
        raise node.error("expected at least one sample")
    return vectors, batch
