"""A convolution layer's backward pass in float64 NumPy, written independently of the exact loops.

Forward pass and kernel gradient through im2col windows; e(l-1) through the rule the lecture states:
dilate e(l) by the stride, pad it by K-1, cross-correlate with the kernel rotated by 180 degrees (a full
convolution), crop the input padding, and multiply by f'(z(l-1)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.compute.networks.vectorized import ELEMENTWISE

Array = np.ndarray


@dataclass(frozen=True)
class Backward:
    """Both passes as float arrays in canonical shapes (see conv.Backward)."""

    activation: Array
    output: Array
    delta_prev: Array
    grad_kernel: Array
    grad_bias: Array | None


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


def input_gradient(w: Array, e: Array, input_shape: tuple[int, ...], stride: int, padding: int) -> Array:
    """dL/da(l-1): the full convolution of the stride-dilated e(l) with rot180(w), cropped to the input."""
    k = w.shape[-1]
    channels, height, width = input_shape
    dilated = np.zeros((e.shape[0], (e.shape[1] - 1) * stride + 1, (e.shape[2] - 1) * stride + 1))
    dilated[:, ::stride, ::stride] = e
    full = np.pad(dilated, ((0, 0), (k - 1, k - 1), (k - 1, k - 1)))
    rotated = w[:, :, ::-1, ::-1]
    grad = np.einsum("ocuv,orsuv->crs", rotated, sliding_window_view(full, (k, k), axis=(1, 2)))
    # Rows and columns the last window never reached (when S does not divide H + 2P - K) get no gradient.
    padded = np.zeros((channels, height + 2 * padding, width + 2 * padding))
    padded[:, : grad.shape[1], : grad.shape[2]] = grad
    return padded[:, padding : padding + height, padding : padding + width]


def backward(layer: ConvLayer) -> Backward:
    z = np.array(layer.z3, dtype=float)
    w = np.array(layer.w4, dtype=float)
    e = np.array(layer.e3, dtype=float)
    bias = np.array(layer.biases, dtype=float) if layer.biases is not None else None
    f, fprime = ELEMENTWISE[layer.activation]
    a = f(z)
    output, windows = forward(w, a, bias, layer.stride, layer.padding)
    delta = fprime(z, a) * input_gradient(w, e, z.shape, layer.stride, layer.padding)
    grad_kernel = np.einsum("oij,cijuv->ocuv", e, windows)
    grad_bias = e.sum(axis=(1, 2)) if bias is not None else None
    return Backward(a, output, delta, grad_kernel, grad_bias)
