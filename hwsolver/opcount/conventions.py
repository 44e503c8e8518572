"""Counting conventions for the operations of an MLP training step: each one a set of explicit switches.

Textbooks disagree on what "the number of multiplications" of backprop is only because they count different
things; each convention below is that choice written down, so a grader can accept any documented answer.
Per-layer tables for an n-wide layer (hidden layer; the output and first layers differ where noted):

course (the course's reference answer)         forward  n^2 mults, n^2 adds
    z = W a: n^2 mults, n(n-1) adds; + b: n adds; sigma not counted
    backward 3n^2 + 2n mults, 2n^2 adds, the same in every layer
    W^T e: n^2, n(n-1) | sigma'(z) (*) delta: n | e a^T: n^2 | eta*grad, W - eta*grad: n^2 + n, n^2 + n
strict (every + - * / really performed)        forward  n^2 + n mults, n^2 + n adds
    z = W a: n^2, n(n-1); + b: n adds; sigma = 1/(1 + exp(-z)): n divisions (counted as mults), n adds
    backward 3n^2 + 3n mults, 2n^2 + n adds
    sigma' = a(1 - a): n, n | e = delta (*) sigma': n | W^T e: n^2, n(n-1), not in the first layer |
    e a^T: n^2 | update: n^2 + n, n^2 + n | output layer also: a - y: n adds, times 2 or 2/n: n mults
flops (PyTorch's FLOP counter, batch 1)        forward  n^2 mults, n^2 adds (2n^2 flops)
    matrix products only, one multiply-add = one mult + one add (so an outer product counts n^2 adds too);
    backward 2n^2 mults, 2n^2 adds (4n^2 flops); the first layer skips W^T e: n^2, n^2

Subtractions count as additions in every convention; exponentials and negations are not arithmetic here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from fractions import Fraction


@dataclass(frozen=True)
class Convention:
    """Which operations of one training step (forward, backward, update) a convention counts, and how."""

    name: str
    summary: str  # when this convention is the one to use
    count_bias_add: bool  # z = W a + b: the n additions of the bias
    count_activation: bool  # sigma(z) = 1/(1 + exp(-z)): one division (as a mult) and one addition per unit
    count_output_difference: bool  # a(L) - y at the output layer: n subtractions
    count_loss_scale: bool  # the loss derivative's constant (2 or 2/n) times (a - y): n mults
    count_activation_derivative: bool  # sigma'(z) = a(1 - a) from the stored a: n subtractions, n mults
    count_elementwise_product: bool  # e = delta (*) sigma'(z): n mults
    count_first_layer_input_gradient: bool  # the first layer also computes W1^T e1 (nothing uses it)
    count_update: bool  # W - eta * grad and b - eta * grad: n^2 + n mults, n^2 + n subtractions
    multiply_add_as_two_flops: bool  # a k-term dot product costs k mults and k adds (an FMA is 2 flops)

    def switches(self) -> dict[str, bool]:
        """The switches by name, in declaration order."""
        return {name: getattr(self, name) for name in SWITCHES}

    def with_overrides(self, overrides: Mapping[str, bool]) -> Convention:
        """This convention with some switches changed; the name records what was changed."""
        changed = {key: value for key, value in overrides.items() if getattr(self, key) != value}
        if not changed:
            return self
        suffix = ", ".join(f"{key}={'true' if value else 'false'}" for key, value in changed.items())
        return replace(self, name=f"{self.name} ({suffix})", **changed)


SWITCHES: tuple[str, ...] = tuple(f.name for f in fields(Convention) if f.type in ("bool", bool))

COURSE = Convention(
    name="course",
    summary="The course's reference answer: matrix work, bias, the elementwise product and the update, the "
    "same in every layer; the sigmoid and its derivative are not counted.",
    count_bias_add=True,
    count_activation=False,
    count_output_difference=False,
    count_loss_scale=False,
    count_activation_derivative=False,
    count_elementwise_product=True,
    count_first_layer_input_gradient=True,
    count_update=True,
    multiply_add_as_two_flops=False,
)

STRICT = Convention(
    name="strict",
    summary="Every addition, subtraction, multiplication and division one SGD step really performs, with "
    "nothing computed that is not used (the first layer skips W^T e).",
    count_bias_add=True,
    count_activation=True,
    count_output_difference=True,
    count_loss_scale=True,
    count_activation_derivative=True,
    count_elementwise_product=True,
    count_first_layer_input_gradient=False,
    count_update=True,
    multiply_add_as_two_flops=False,
)

FLOPS = Convention(
    name="flops",
    summary="What FLOP counters (torch.utils.flop_counter) report for a stack of Linear layers with batch 1: "
    "matrix products only, a multiply-add as two flops; elementwise work and the update are not counted.",
    count_bias_add=False,
    count_activation=False,
    count_output_difference=False,
    count_loss_scale=False,
    count_activation_derivative=False,
    count_elementwise_product=False,
    count_first_layer_input_gradient=False,
    count_update=False,
    multiply_add_as_two_flops=True,
)

CONVENTIONS: dict[str, Convention] = {c.name: c for c in (COURSE, STRICT, FLOPS)}


@dataclass(frozen=True)
class Fixable:
    """A switch a problem's statement may fix (`fixed: {update_counted: true}`): a count that departs from it is
    a named mistake, `counted` when the statement says not to count the operations, `not_counted` when it says to."""

    switch: str  # the Convention field
    counted: str  # the mistake's id, then its feedback ({how}: where the count comes from, or nothing)
    counted_feedback: str
    not_counted: str
    not_counted_feedback: str

    def departure(self, fixed: bool, convention: str | None = None) -> tuple[str, str]:
        """The mistake (id, feedback) of a count that departs from the statement's `fixed` value (the way the
        named convention counts, if it is one)."""
        mistake, feedback = (
            (self.not_counted, self.not_counted_feedback) if fixed else (self.counted, self.counted_feedback)
        )
        return mistake, feedback.format(how=f" (as the '{convention}' convention counts)" if convention else "")


def _fixable(switch: str, stem: str, what: str) -> Fixable:
    return Fixable(
        switch,
        f"{stem}_counted",
        f"This count includes {what}{{how}}, which the statement says not to count.",
        f"{stem}_not_counted",
        f"This count leaves out {what}{{how}}, which the statement says to count.",
    )


FIXABLE: dict[str, Fixable] = {
    "bias_counted": _fixable("count_bias_add", "bias", "the bias additions z + b"),
    "activation_counted": _fixable("count_activation", "activation", "evaluating the sigmoid"),
    "output_difference_counted": _fixable("count_output_difference", "output_difference", "the difference a - y"),
    "loss_scale_counted": _fixable("count_loss_scale", "loss_scale", "the loss derivative's constant factor"),
    "activation_derivative_counted": _fixable(
        "count_activation_derivative", "activation_derivative", "the sigmoid's derivative a(1 - a)"
    ),
    "elementwise_product_counted": _fixable(
        "count_elementwise_product", "elementwise_product", "the elementwise product with sigma'(z)"
    ),
    "first_layer_input_gradient_counted": _fixable(
        "count_first_layer_input_gradient", "first_layer_input_gradient", "the first layer's W^T e"
    ),
    "update_counted": _fixable("count_update", "update", "the parameter update W - eta dW, b - eta db"),
    "multiply_add_as_two": Fixable(
        "multiply_add_as_two_flops",
        "multiply_add_as_two",
        "This count takes a multiply-add as two operations{how}; the statement counts it as one.",
        "multiply_add_as_one",
        "This count takes a multiply-add as one operation{how}; the statement counts it as two (a mult and an add).",
    ),
}

# dLoss/da(L) = scale * (a(L) - y); a scale of None means the loss has no constant to multiply by.
LOSSES: dict[str, str] = {
    "half_squared_error": "1/2 sum (a - y)^2",
    "squared_error": "sum (a - y)^2",
    "mean_squared_error": "1/n sum (a - y)^2",
}


def loss_scale(loss: str, n: int) -> Fraction | None:
    """The constant in dLoss/da(L) = scale * (a - y) for an n-unit output, or None for 1/2 sum (a - y)^2."""
    if loss == "half_squared_error":
        return None
    return Fraction(2) if loss == "squared_error" else Fraction(2, n)
