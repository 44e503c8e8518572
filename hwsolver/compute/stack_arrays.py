"""The second witness to stack.py: each layer's arrays built in NumPy and measured, not its sizes multiplied out.

Arrays are zero-stride views of one zero (np.broadcast_to), so a 160000 x 40000 weight matrix costs no memory:
a layer's weights are an array of the shape a library would allocate, its output the windows NumPy slides over
the padded input (sliding_window_view), and the counts are those arrays' sizes.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from hwsolver.compute.stack import Conv, Dense, Flatten, Layer, Pool, Shape, same_padding


def _zeros(shape: tuple[int, ...]) -> np.ndarray:
    return np.broadcast_to(np.float64(0), shape)


def _windows(image: np.ndarray, size: int, stride: int) -> np.ndarray:
    """C x H' x W' x K x K: every K x K window the kernel or pool visits, channel by channel."""
    return sliding_window_view(image, (size, size), axis=(1, 2))[:, ::stride, ::stride]


def _padded(image: np.ndarray, layer: Conv) -> np.ndarray:
    channels, height, width = image.shape
    if layer.padding == "same":
        (top, bottom), (left, right) = (same_padding(n, layer.size, layer.stride) for n in (height, width))
    else:
        top = bottom = left = right = 0 if layer.padding == "valid" else int(layer.padding)
    return _zeros((channels, height + top + bottom, width + left + right))


def measure(shape: Shape, layers: tuple[Layer, ...]) -> list[dict[str, object]]:
    """Per layer: output_shape, weights, biases, params and macs, measured on arrays."""
    data = _zeros(shape)
    found: list[dict[str, object]] = []
    for layer in layers:
        weights = biases = macs = 0
        if isinstance(layer, Conv):
            windows = _windows(_padded(data, layer), layer.size, layer.stride)  # C x H' x W' x K x K
            kernel = _zeros((layer.kernels, data.shape[0], layer.size, layer.size))
            weights = kernel.size
            biases = _zeros((layer.kernels,)).size if layer.bias else 0
            data = _zeros((layer.kernels, *windows.shape[1:3]))
            macs = layer.kernels * windows.size  # every kernel over every window, all its input channels
        elif isinstance(layer, Dense):
            matrix = _zeros((layer.units, data.shape[0]))
            weights, biases, macs = matrix.size, (_zeros((layer.units,)).size if layer.bias else 0), matrix.size
            data = _zeros((layer.units,))
        elif isinstance(layer, Pool):
            data = _windows(data, layer.size, layer.stride)[..., 0, 0]
        elif isinstance(layer, Flatten):
            data = _zeros((data.size,))
        found.append(
            {
                "output_shape": tuple(data.shape),
                "weights": weights,
                "biases": biases,
                "params": weights + biases,
                "macs": macs,
            }
        )
    return found
