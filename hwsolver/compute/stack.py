"""A stack of layers (dense, convolution, pooling, flatten): every layer's output shape, weights, biases and
multiply-accumulates, from the shapes alone.

Shapes are (C, H, W) for images and (n,) for feature vectors. A convolution is square (K x K, stride S); its
'same' padding follows TensorFlow/Keras: H' = ceil(H / S), the padding K - 1 (or what stride S needs) split with
the smaller half before. A pooling window never pads. The classic mistakes of counting (the biases forgotten, a
kernel's input channels forgotten, one bias per output position, the padding ignored in the output shape) are
switches of the one computation (Slips), never a second copy of it; stack_arrays.py is the second witness.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Dense:
    units: int
    bias: bool = True


@dataclass(frozen=True)
class Conv:
    kernels: int
    size: int
    stride: int = 1
    padding: str | int = "valid"  # "same", "valid" or rings of zeros on each side
    bias: bool = True


@dataclass(frozen=True)
class Pool:
    pool: str  # max or average
    size: int
    stride: int


@dataclass(frozen=True)
class Flatten:
    pass


Layer = Dense | Conv | Pool | Flatten
LAYER_TYPES = ("dense", "conv", "pool", "flatten")  # as a problem names them


@dataclass(frozen=True)
class Slips:
    """Each a classic way to miscount; all off: the right count."""

    no_biases: bool = False  # no layer has biases
    no_input_channels: bool = False  # a kernel taken as K x K, not C_in x K x K
    bias_per_position: bool = False  # one bias per output unit of a convolution, not one per kernel
    no_padding: bool = False  # the output shape computed as if there were no padding


@dataclass(frozen=True)
class Count:
    """One layer's result: its output shape, parameters and multiply-accumulates (one forward pass)."""

    output_shape: Shape
    weights: int
    biases: int
    macs: int
    padding: tuple[tuple[int, int], ...] = ()  # a convolution's zeros (before, after) along H and along W

    @property
    def params(self) -> int:
        return self.weights + self.biases


class ShapeError(ValueError):
    """A layer that cannot take its input (a kernel larger than the padded input, a dense layer on an image)."""


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's 'same' padding along one axis: (before, after) such that the output is ceil(size / stride)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _conv(shape: Shape, layer: Conv, slips: Slips) -> Count:
    if len(shape) != 3:
        raise ShapeError(f"a convolution needs a C x H x W input, got {_shape_text(shape)}")
    channels, height, width = shape
    if slips.no_padding or layer.padding == "valid":
        pads = ((0, 0), (0, 0))
    elif layer.padding == "same":
        pads = (same_padding(height, layer.size, layer.stride), same_padding(width, layer.size, layer.stride))
    else:
        pads = ((int(layer.padding),) * 2,) * 2
    sides = [size + sum(pad) for size, pad in zip((height, width), pads)]
    if min(sides) < layer.size:
        raise ShapeError(f"a {layer.size}x{layer.size} kernel does not fit the {sides[0]}x{sides[1]} padded input")
    rows, cols = ((side - layer.size) // layer.stride + 1 for side in sides)
    out = (layer.kernels, rows, cols)
    fan_in = (1 if slips.no_input_channels else channels) * layer.size**2
    biases = 0 if slips.no_biases or not layer.bias else prod(out) if slips.bias_per_position else layer.kernels
    return Count(out, layer.kernels * fan_in, biases, prod(out) * fan_in, pads)


def _dense(shape: Shape, layer: Dense, slips: Slips) -> Count:
    if len(shape) != 1:
        raise ShapeError(f"a dense layer needs a vector input, got {_shape_text(shape)}: flatten it first")
    weights = layer.units * shape[0]
    return Count((layer.units,), weights, 0 if slips.no_biases or not layer.bias else layer.units, weights)


def _pool(shape: Shape, layer: Pool) -> Count:
    if len(shape) != 3:
        raise ShapeError(f"pooling needs a C x H x W input, got {_shape_text(shape)}")
    channels, height, width = shape
    if min(height, width) < layer.size:
        raise ShapeError(f"a {layer.size}x{layer.size} window does not fit the {height}x{width} input")
    rows, cols = ((side - layer.size) // layer.stride + 1 for side in (height, width))
    return Count((channels, rows, cols), 0, 0, 0)


# Past this many entries in one array (2^63 is NumPy's limit) no second method can measure a layer.
MAX_ENTRIES = 10**18


def layer_count(shape: Shape, layer: Layer, slips: Slips = Slips()) -> Count:
    """What `layer` makes of an input of `shape` (ShapeError when it cannot take it)."""
    if isinstance(layer, Conv):
        found = _conv(shape, layer, slips)
    elif isinstance(layer, Dense):
        found = _dense(shape, layer, slips)
    elif isinstance(layer, Pool):
        found = _pool(shape, layer)
    else:
        found = Count((prod(shape),), 0, 0, 0)
    padded = prod(shape[:1]) * prod(side + sum(pad) for side, pad in zip(shape[1:], found.padding))
    if max(prod(shape), padded, prod(found.output_shape), found.weights, found.macs) > MAX_ENTRIES:
        raise ShapeError("this layer is too large to count: an array of more than 10^18 entries")
    return found


def count(shape: Shape, layers: tuple[Layer, ...], slips: Slips = Slips()) -> tuple[Count, ...]:
    """Every layer's count, each reading the output shape of the one before."""
    counts = []
    for layer in layers:
        counts.append(layer_count(shape, layer, slips))
        shape = counts[-1].output_shape
    return tuple(counts)


def _shape_text(shape: Shape) -> str:
    return " x ".join(map(str, shape))
