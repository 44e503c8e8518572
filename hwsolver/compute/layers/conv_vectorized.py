"""A convolution layer's backward pass in float64 NumPy, written independently of the exact loops.

Forward pass and kernel gradient through im2col windows; e(l-1) through the rule the lecture states:
dilate e(l) by the stride, pad it by K-1, cross-correlate with the kernel rotated by 180 degrees (a full
convolution), crop the input padding, and multiply by f'(z(l-1)). With one of its `Slips` switched, the same
pass as a student making that classic mistake computes it (the grader's mutants).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.memo import cached

Array = np.ndarray


@dataclass(frozen=True)
class Slips:
    """Switches of the backward pass below, each a classic mistake when flipped; the defaults compute it right."""

    # how e(l) meets the kernel: "turned" (rot180, right), "unturned" (the kernel as it is), "forward" (e(l) read
    # at the forward pass's indices [i + u, j + v]: the unturned kernel over e(l) padded after it; stride 1, no
    # padding only)
    kernel: str = "turned"
    full: bool = True  # False: only the positions where the whole kernel lies over e(l) (a valid convolution)
    activation_derivative: bool = True  # False: the full convolution not multiplied by f'(z(l-1))
    reads_activation: bool = True  # False: z(l-1) used where the layer reads a(l-1) (forward pass and dL/dw)


RIGHT = Slips()


def _windows(a: Array, k: int, stride: int) -> Array:
    """im2col: every K x K window of each channel at the strided positions, shape (C, H', W', K, K)."""
    return sliding_window_view(a, (k, k), axis=(1, 2))[:, ::stride, ::stride]


def forward(w: Array, a: Array, bias: Array | None, stride: int, padding: int) -> tuple[Array, Array]:
    """z(l) = conv(a) + b, and the im2col windows of the padded input it used."""
    k = w.shape[-1]
    padded = np.pad(a, ((0, 0), (padding, padding), (padding, padding)))
    windows = _windows(padded, k, stride)
    z = np.einsum("ocuv,cijuv->oij", w, windows)
    return (z + bias[:, None, None] if bias is not None else z), windows


def input_gradient(
    w: Array, e: Array, input_shape: tuple[int, ...], stride: int, padding: int, slips: Slips = RIGHT
) -> Array:
    """dL/da(l-1): the full convolution of the stride-dilated e(l) with rot180(w), cropped to the input."""
    k = w.shape[-1]
    channels, height, width = input_shape
    dilated = np.zeros((e.shape[0], (e.shape[1] - 1) * stride + 1, (e.shape[2] - 1) * stride + 1))
    dilated[:, ::stride, ::stride] = e
    before, after = (0, 2 * k - 2) if slips.kernel == "forward" else (k - 1, k - 1)
    full = np.pad(dilated, ((0, 0), (before, after), (before, after)))
    turned = w[:, :, ::-1, ::-1] if slips.kernel == "turned" else w
    grad = np.einsum("ocuv,orsuv->crs", turned, sliding_window_view(full, (k, k), axis=(1, 2)))
    if not slips.full:
        grad = grad * _interior(k, stride, e.shape[1:], grad.shape[1:])
    # Rows and columns the last window never reached (when S does not divide H + 2P - K) get no gradient.
    padded = np.zeros((channels, height + 2 * padding, width + 2 * padding))
    padded[:, : grad.shape[1], : grad.shape[2]] = grad
    return padded[:, padding : padding + height, padding : padding + width]


def _interior(k: int, stride: int, out_shape: tuple[int, ...], shape: tuple[int, ...]) -> Array:
    """1 where the turned kernel lies wholly over the dilated e(l), 0 on the border a valid convolution skips."""
    rows, cols = out_shape
    mask = np.zeros(shape)
    mask[k - 1 : (rows - 1) * stride + 1, k - 1 : (cols - 1) * stride + 1] = 1
    return mask


class Backward:
    """Both passes as float arrays in canonical shapes (see conv.Backward), each worked out when first read: a
    mutant reads only the parts its slip changes. With `slips`, as a student making those mistakes computes them."""

    def __init__(self, layer: ConvLayer, slips: Slips = RIGHT) -> None:
        self.layer, self.slips = layer, slips
        self.z, self.w, self.e, self.bias = layer.floats

    # f(z(l-1)) and f'(z(l-1)), shared by the layer's passes, worked out when one first reads them (not the slip
    # that reads z(l-1) for a(l-1): its z(l) and dL/dw read neither)
    @property
    def _a(self) -> Array:
        return self.layer.float_units[0]

    @property
    def _slope(self) -> Array:
        return self.layer.float_units[1]

    @cached
    def activation(self) -> Array:
        """a(l-1) as the layer reads it."""
        return self._a if self.slips.reads_activation else self.z

    @cached
    def _forward(self) -> tuple[Array, Array]:
        return forward(self.w, self.activation, self.bias, self.layer.stride, self.layer.padding)

    @property
    def output(self) -> Array:
        return self._forward[0]

    @cached
    def delta_prev(self) -> Array:
        layer = self.layer
        delta = input_gradient(self.w, self.e, self.z.shape, layer.stride, layer.padding, self.slips)
        return self._slope * delta if self.slips.activation_derivative else delta

    @cached
    def grad_kernel(self) -> Array:
        return np.einsum("oij,cijuv->ocuv", self.e, self._forward[1])

    @property
    def grad_bias(self) -> Array | None:
        return self.e.sum(axis=(1, 2)) if self.bias is not None else None


def backward(layer: ConvLayer, slips: Slips = RIGHT) -> Backward:
    """Both passes in float64; with `slips`, as a student making those mistakes computes them."""
    return Backward(layer, slips)
