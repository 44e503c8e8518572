"""The registry of problem kinds: the one place a kind's name meets its module.

Adding a kind = one module here + one line below + a problem in problems/ + its templates; the tests
parametrize over this dict, so a kind without an example problem, a template or a second witness fails.
"""

from __future__ import annotations

from hwsolver.kinds import conv_backprop, derivative, index_gradient, mlp_backprop, op_count, pooling_backprop
from hwsolver.kinds.base import Kind

KINDS: dict[str, Kind] = {
    "mlp_backprop": mlp_backprop,
    "conv_backprop": conv_backprop,
    "pooling_backprop": pooling_backprop,
    "op_count": op_count,
    "derivative": derivative,
    "index_gradient": index_gradient,
}
