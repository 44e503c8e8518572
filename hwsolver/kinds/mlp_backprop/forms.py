"""How to write each answer, said for one network: its own parameters (no b1 where it has no biases), its layers,
and a mini-batch's or a schedule's clause only where it has one. A problem sheet shows these in place of the
kind-wide descriptions of PARTS, which must fit every network."""

from __future__ import annotations

from hwsolver.compute.networks.network import Network


def answer_forms(net: Network) -> dict[str, str]:
    """{part id: how to write its answer} for the parts whose kind-wide description says more than net has."""
    layers = len(net.params.weights)

    def per_sample(text: str) -> str:
        return f"a list with one per sample of: {text}" if net.batch else text

    parameters = ", ".join(f"{name} ({'a matrix' if name[0] == 'W' else 'a vector'})" for name in net.params.named())
    output = "a number" if net.sizes[-1] == 1 else f"a vector of {net.sizes[-1]} numbers"
    errors = ", ".join(f"e({l})" for l in range(1, layers + 1))
    which = f"layers 1 to {layers}" if layers > 1 else "layer 1"
    return {
        "forward": per_sample(f"a list of {{z: [...], a: [...]}}: {which}"),
        "output_before": per_sample(f"{output}: the output a({layers})"),
        "errors": per_sample(f"a list of {errors}, each a vector"),
        "gradients": f"parameters by name: {parameters}: the objective's gradients"
        + (" (the first iteration's)" if net.schedule else ""),
    }
