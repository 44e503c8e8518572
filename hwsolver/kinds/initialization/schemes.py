"""An initialization problem's layers under its scheme (init_schemes.py), and the scheme parts' answers."""

from __future__ import annotations

from typing import Any

from hwsolver.compute.init_schemes import InitSlips, LayerInit, layer_init
from hwsolver.kinds.initialization.given import Init


def layer_inits(init: Init, slips: InitSlips | None = None) -> tuple[LayerInit, ...]:
    """Each layer's initialization (with one of InitSlips switched on: a classic mistake)."""
    return tuple(
        layer_init(
            init.sizes[l],
            init.sizes[l + 1],
            init.scheme,
            gain2=init.gains2[l],
            mode=init.mode,
            input_variance=init.input_variance,
            slips=slips or InitSlips(),
        )
        for l in range(len(init.gains2))
    )


def scheme_answers(init: Init, layers: tuple[LayerInit, ...]) -> dict[str, Any]:
    """gain, weight_variance, bound (uniform) or std (normal) and preactivation_variance, one entry per layer."""
    return {
        "gain": tuple(layer.gain for layer in layers),
        "weight_variance": tuple(layer.variance for layer in layers),
        "bound" if init.uniform else "std": tuple(layer.spread for layer in layers),
        "preactivation_variance": tuple(layer.preactivation for layer in layers),
    }
