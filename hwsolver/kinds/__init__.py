"""The registry of problem kinds: the one place a kind's name meets its package.

Adding a kind = its folder kinds/<kind>/ (building a base.Kind as KIND) + one line below + its two templates
(templates/kinds/<kind>/) + a problem in problems/ + its tests in tests/kinds/<kind>/ (README: "Adding a problem kind").
"""

from __future__ import annotations

from hwsolver.kinds import (
    conv_backprop,
    derivative,
    dropout,
    index_gradient,
    initialization,
    lr_schedule,
    mlp_backprop,
    op_count,
    optimizer_step,
    param_count,
    pooling_backprop,
    regularized_update,
)
from hwsolver.kinds.base import Kind

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        mlp_backprop.KIND,
        conv_backprop.KIND,
        pooling_backprop.KIND,
        op_count.KIND,
        derivative.KIND,
        index_gradient.KIND,
        optimizer_step.KIND,
        lr_schedule.KIND,
        param_count.KIND,
        initialization.KIND,
        regularized_update.KIND,
        dropout.KIND,
    )
}
