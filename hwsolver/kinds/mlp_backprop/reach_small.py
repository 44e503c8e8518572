"""The reach of the homework's network (reach_rules.py): two inputs, two hidden units, one output, one sample. The
same rules and the same float operations, in the same order, as reach_rows.py's pass (the tests hold the two
equal, number for number), each number a local of its own: a class of per-student variants works one reach out
per variant a wrong answer meets, and rows of two numbers cost most in making the lists.

Names: x1, x2 the inputs, t the target; w11, w12 and w21, w22 the hidden units' weights (W1's rows), v1, v2 the
output's (W2); z1, z2 and h1, h2 the hidden units' values before and after the activation, o and y the output's;
a trailing r is a number's reach (o_r o's: `or` is Python's), a trailing _ a value after the update."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hwsolver.kinds.mlp_backprop.reach_rules import Reached, Start, switched


def applies(start: Start) -> bool:
    """Whether the network is 2-2-1 with one sample."""
    return len(start.x) == 1 and [len(w) for w in start.given] == [2, 1] and len(start.x[0]) == 2


def steps(start: Start) -> Iterator[dict[str, Any]]:
    """The steps' reaches in the chain's order, a few at a time: the output, the loss, the gradients, the weights
    after, the output and the loss after (a part's answer reads only the steps up to its own)."""
    number, flips, relu_hidden, relu_out = start.number, start.moves, *start.relu
    ((w11, w12), (w21, w22)), ((v1, v2),) = start.given
    ((x1, x2),), ((t,),) = start.x, start.y
    # the forward pass, by the given weights: the inputs carry nothing
    z1, z2 = x1 * w11 + x2 * w12, x1 * w21 + x2 * w22
    z1r, z2r = number(z1, 0.0), number(z2, 0.0)
    h1, h2 = (_relu(z1), _relu(z2)) if relu_hidden else (z1, z2)
    h1r, h2r = number(h1, z1r), number(h2, z2r)
    o = h1 * v1 + h2 * v2
    o_r = number(o, h1r * abs(v1) + h2r * abs(v2))
    y = _relu(o) if relu_out else o
    yr = number(y, o_r)
    yield {"z0": Reached([[z1r, z2r]]), "a0": Reached([[h1r, h2r]]), "z1": Reached([[o_r]]), "a1": Reached([[yr]])}
    d, scale = abs(y - t), start.scale
    yield {"loss": number(scale * (d * d), scale * ((2 * d + yr) * yr))}

    # the error terms, carried back by the given weights
    slope = start.slope
    upstream, moved = slope * (y - t), slope * yr
    if relu_out:
        e = upstream if o > 0 else 0.0
        er = number(e, switched(o, o_r, abs(upstream), moved, abs(h1) * abs(v1) + abs(h2) * abs(v2), flips))
    else:
        e, er = upstream, number(upstream, moved)
    e1, e2 = e * v1, e * v2
    moved1, moved2 = er * abs(v1), er * abs(v2)
    if relu_hidden:
        size1, size2 = abs(e) * abs(v1), abs(e) * abs(v2)
        e1, e2 = (e1 if z1 > 0 else 0.0), (e2 if z2 > 0 else 0.0)
        sums1, sums2 = abs(x1) * abs(w11) + abs(x2) * abs(w12), abs(x1) * abs(w21) + abs(x2) * abs(w22)
        e1r = number(e1, switched(z1, z1r, size1, moved1, sums1, flips))
        e2r = number(e2, switched(z2, z2r, size2, moved2, sums2, flips))
    else:
        e1r, e2r = number(e1, moved1), number(e2, moved2)
    # the gradients: the hidden layer's from the inputs (unmoved), the output's from the hidden units
    g11, g12, g21, g22 = e1 * x1, e1 * x2, e2 * x1, e2 * x2
    g11r, g12r = number(g11, e1r * abs(x1)), number(g12, e1r * abs(x2))
    g21r, g22r = number(g21, e2r * abs(x1)), number(g22, e2r * abs(x2))
    gv1, gv2 = e * h1, e * h2
    gv1r = number(gv1, abs(e) * h1r + er * abs(h1) + er * h1r)
    gv2r = number(gv2, abs(e) * h2r + er * abs(h2) + er * h2r)
    yield {
        "e1": Reached([[er]]),
        "e0": Reached([[e1r, e2r]]),
        "gW0": Reached([[g11r, g12r], [g21r, g22r]]),
        "gW1": Reached([[gv1r, gv2r]]),
    }

    # the weights after the update
    rate, rate_out = start.rates
    w11_, w12_, w21_, w22_ = w11 - rate * g11, w12 - rate * g12, w21 - rate * g21, w22 - rate * g22
    w11r, w12r = number(w11_, rate * g11r), number(w12_, rate * g12r)
    w21r, w22r = number(w21_, rate * g21r), number(w22_, rate * g22r)
    v1_, v2_ = v1 - rate_out * gv1, v2 - rate_out * gv2
    v1r, v2r = number(v1_, rate_out * gv1r), number(v2_, rate_out * gv2r)
    yield {"W0": Reached([[w11r, w12r], [w21r, w22r]]), "W1": Reached([[v1r, v2r]])}

    # the forward pass after it, by the updated weights
    z1_, z2_ = x1 * w11_ + x2 * w12_, x1 * w21_ + x2 * w22_
    z1r_, z2r_ = number(z1_, abs(x1) * w11r + abs(x2) * w12r), number(z2_, abs(x1) * w21r + abs(x2) * w22r)
    h1_, h2_ = (_relu(z1_), _relu(z2_)) if relu_hidden else (z1_, z2_)
    h1r_, h2r_ = number(h1_, z1r_), number(h2_, z2r_)
    o_ = h1_ * v1_ + h2_ * v2_
    carried = (abs(h1_) * v1r + abs(h2_) * v2r) + (h1r_ * abs(v1_) + h2r_ * abs(v2_)) + (h1r_ * v1r + h2r_ * v2r)
    o_r_ = number(o_, carried)
    y_ = _relu(o_) if relu_out else o_
    yr_ = number(y_, o_r_)
    yield {
        "z'0": Reached([[z1r_, z2r_]]),
        "a'0": Reached([[h1r_, h2r_]]),
        "z'1": Reached([[o_r_]]),
        "a'1": Reached([[yr_]]),
    }
    d = abs(y_ - t)
    yield {"loss'": number(scale * (d * d), scale * ((2 * d + yr_) * yr_))}


def _relu(v: float) -> float:
    return v if v > 0 else 0.0
