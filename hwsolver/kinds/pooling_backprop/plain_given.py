"""The layer of a lock's entry read as plain values (spec/plainflow.py), for the shape a class's variants have:
one channel (H x W matrices). Each check parse_given makes on that shape is made here as a yes or no; any other
shape, or any value it would refuse, is None, and parse_given reads the entry (and says what is wrong with it)."""

from __future__ import annotations

from typing import Any

from hwsolver.compute.layers.pooling import POOLS, PoolLayer, output_shape
from hwsolver.spec.plainflow import matrix_shape, whole

_REQUIRED = frozenset({"input", "pool", "size", "upstream"})
_KNOWN = _REQUIRED | {"stride"}


def parse_plain(values: dict[str, Any]) -> PoolLayer | None:
    """The layer parse_given makes of the same entry, or None (parse_given reads it)."""
    if not _REQUIRED <= values.keys() <= _KNOWN:
        return None
    inputs, pool, upstream = values["input"], values["pool"], values["upstream"]
    shape, size = matrix_shape(inputs), whole(values["size"], 1)
    if shape is None or size is None or type(pool) is not str or pool not in POOLS:
        return None
    stride = whole(values["stride"], 1) if "stride" in values else size
    # (a window larger than the input leaves no output, which no upstream matrix has the shape of)
    if stride is None or matrix_shape(upstream) != output_shape(*shape, size, stride):
        return None
    return PoolLayer(inputs, pool, size, stride, upstream)
