"""The error-term recursion through a convolution layer as a formula: expression-language text and LaTeX.

Stride 1 gives the lecture's form, e(l-1)[i,j] = f'(z(l-1)[i,j]) * sum_{u,v} w[u,v] e(l)[i+P-u, j+P-v]:
the full convolution of e(l) with the kernel turned by 180 degrees. A stride S > 1 has no such form over
u, v (the index (i+P-u)/S need not be whole), so there the sum runs over the output units (p, q) instead
and reads w[i+P-S*p, j+P-S*q], which is 0 outside the kernel.
Array indices start at 0; out-of-range entries read as 0.
"""

from __future__ import annotations

from typing import Any

from hwsolver.compute.layers.conv import ConvLayer
from hwsolver.model import Symbolic


def _shift(index: str, padding: int, minus: str) -> str:
    """`i + P - u` with P written only when it is not 0."""
    return f"{index} + {padding} - {minus}" if padding else f"{index} - {minus}"


def _sum(body: str, index: str, high: str) -> str:
    return f"Sum({body}, ({index}, 0, {high}))"


def recursion(layer: ConvLayer) -> Symbolic:
    """e(l-1) at a general position, for this layer's stride, padding and channels."""
    stride, padding = layer.stride, layer.padding
    channel = "c" if layer.channels_in else "0"
    z_at = ("c, " if layer.channels_in else "") + "i, j"
    head = ("o, " + channel + ", ") if layer.channels_out else ""
    out = "o, " if layer.channels_out else ""
    if stride == 1:
        w_at, e_at = f"{head}u, v", f"{out}{_shift('i', padding, 'u')}, {_shift('j', padding, 'v')}"
        body = _sum(_sum(f"w[{w_at}]*e[{e_at}]", "v", "K - 1"), "u", "K - 1")
        tex_sums = r"\sum_{u=0}^{K-1} \sum_{v=0}^{K-1}"
        tex_terms = rf"w_{{{w_at}}}\, e^{{(l)}}_{{{e_at}}}"
    else:
        rows, cols = layer.out_shape
        w_at = f"{head}{_shift('i', padding, f'{stride}*p')}, {_shift('j', padding, f'{stride}*q')}"
        e_at = f"{out}p, q"
        body = _sum(_sum(f"w[{w_at}]*e[{e_at}]", "q", str(cols - 1)), "p", str(rows - 1))
        tex_sums = rf"\sum_{{p=0}}^{{{rows - 1}}} \sum_{{q=0}}^{{{cols - 1}}}"
        tex_terms = rf"w_{{{w_at.replace('*', ' ')}}}\, e^{{(l)}}_{{{e_at}}}"
    if layer.channels_out:
        channels = len(layer.w4) - 1
        body = _sum(body, "o", str(channels))
        tex_sums = rf"\sum_{{o=0}}^{{{channels}}} " + tex_sums
    latex = rf"f'\!\left(z^{{(l-1)}}_{{{z_at}}}\right) {tex_sums} {tex_terms}"
    return Symbolic(f"fprime(z[{z_at}]) * {body}", latex)


def scope_fields(layer: ConvLayer) -> dict[str, Any]:
    """The names the recursion uses, as keyword arguments of hwsolver.expr.Scope."""
    indices = ("c", "i", "j") if layer.channels_in else ("i", "j")
    return {
        "indices": indices,
        "arrays": {
            "w": 4 if layer.channels_out else 2,
            "e": 3 if layer.channels_out else 2,
            "z": 3 if layer.channels_in else 2,
        },
        "functions": ("f", "fprime"),
        "aliases": {"delta": "e"},  # δ^{(l)}_{i,j}: many textbooks' name for the error term
        "sizes": ("K",) if layer.stride == 1 else (),
        "index_base": 0,
        "zero_outside": True,
        # a sum written without bounds (\sum_{u,v}, \sum_{p,q}): over the kernel, or the outputs that reach (i, j)
        "ranges": {"u": ("0", "K - 1"), "v": ("0", "K - 1"), "p": ("i - K + 1", "i"), "q": ("j - K + 1", "j")}
        if layer.stride == 1
        else {},
    }


def rot180_latex(layer: ConvLayer) -> str:
    """The same rule as whole arrays: e(l-1) = f'(z(l-1)) (elementwise) times the full convolution."""
    dilated = rf"\operatorname{{dilate}}_{{{layer.stride}}}\big(e^{{(l)}}\big)" if layer.stride > 1 else "e^{(l)}"
    crop = rf"\operatorname{{crop}}_{{{layer.padding}}}" if layer.padding else ""
    return (
        rf"e^{{(l-1)}} = f'\!\left(z^{{(l-1)}}\right) \odot {crop}\left({dilated} "
        r"\ast_{\mathrm{full}} \operatorname{rot180}(w)\right)"
    )
