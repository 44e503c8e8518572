"""The layer of a lock's entry read as plain values (spec/plainflow.py), for the shape a class's variants have:
one channel (H x W matrices, a K x K kernel), a bias of one number if any. Each check parse_given makes on that
shape is made here as a yes or no; any other shape, or any value it would refuse, is None, and parse_given reads
the entry (and says what is wrong with it)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hwsolver.compute.functions import ELEMENTWISE
from hwsolver.compute.layers.conv import ConvLayer, output_shape
from hwsolver.spec.plainflow import matrix_shape, whole

_REQUIRED = frozenset({"z_prev", "activation", "kernel", "upstream"})
_KNOWN = _REQUIRED | {"bias", "stride", "padding"}


def parse_plain(values: dict[str, Any]) -> ConvLayer | None:
    """The layer parse_given makes of the same entry, or None (parse_given reads it)."""
    if not _REQUIRED <= values.keys() <= _KNOWN:
        return None
    z_prev, kernel, upstream, activation = values["z_prev"], values["kernel"], values["upstream"], values["activation"]
    z_shape, kernel_shape = matrix_shape(z_prev), matrix_shape(kernel)
    if z_shape is None or kernel_shape is None or kernel_shape[0] != kernel_shape[1]:
        return None
    if type(activation) is not str or activation not in ELEMENTWISE:
        return None
    stride = whole(values["stride"], 1) if "stride" in values else 1
    padding = whole(values["padding"], 0) if "padding" in values else 0
    bias = values.get("bias")
    if stride is None or padding is None or (bias is not None and type(bias) is not Fraction):
        return None
    # (a kernel larger than the padded input leaves no output, which no upstream matrix has the shape of)
    if matrix_shape(upstream) != output_shape(*z_shape, kernel_shape[0], stride, padding):
        return None
    return ConvLayer(z_prev, activation, kernel, bias, stride, padding, upstream)
