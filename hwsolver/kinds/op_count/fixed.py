"""What an op_count statement may fix (`fixed: {update_counted: true}`), and the named mistake of a count that
departs from it: `<stem>_counted` when the statement says not to count those operations, `<stem>_not_counted` when
it says to count them. Each earns half the points by default: a sound method with one rule of the statement not
applied."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hwsolver.kinds.base import Mistake, Texts


@dataclass(frozen=True)
class Fixable:
    """A switch a statement may fix: the Convention field it sets, and the two mistakes of departing from it."""

    switch: str  # the Convention field
    counted: str  # the mistake when the statement says not to count these operations
    not_counted: str  # the mistake when it says to count them


# What each switch counts, in every language (the feedback's {what}).
_COUNTS: dict[str, tuple[str, Texts]] = {
    "bias": ("count_bias_add", {"en": "the bias additions z + b", "zh": "加偏置 z + b 的加法"}),
    "activation": ("count_activation", {"en": "evaluating the sigmoid", "zh": "Sigmoid 函数的求值"}),
    "output_difference": ("count_output_difference", {"en": "the difference a - y", "zh": "输出差 a - y"}),
    "loss_scale": ("count_loss_scale", {"en": "the loss derivative's constant factor", "zh": "损失导数的常数因子"}),
    "activation_derivative": (
        "count_activation_derivative",
        {"en": "the sigmoid's derivative a(1 - a)", "zh": "Sigmoid 的导数 a(1 - a)"},
    ),
    "elementwise_product": (
        "count_elementwise_product",
        {"en": "the elementwise product with sigma'(z)", "zh": "与 sigma'(z) 的逐元素乘积"},
    ),
    "first_layer_input_gradient": (
        "count_first_layer_input_gradient",
        {"en": "the first layer's W^T e", "zh": "第一层的 W^T e"},
    ),
    "update": (
        "count_update",
        {"en": "the parameter update W - eta dW, b - eta db", "zh": "参数更新 W - eta dW、b - eta db"},
    ),
}
FIXABLE: dict[str, Fixable] = {
    **{
        f"{stem}_counted": Fixable(switch, f"{stem}_counted", f"{stem}_not_counted")
        for stem, (switch, _) in _COUNTS.items()
    },
    "multiply_add_as_two": Fixable("multiply_add_as_two_flops", "multiply_add_as_two", "multiply_add_as_one"),
}
# The feedback on a count right under another documented convention, which is no mistake (convention_credit).
OTHER_CONVENTION: Texts = {
    "en": "This is the count under the '{name}' convention ({summary}); this problem counts by the '{own}' convention.",
    "zh": "这是按“{name}”约定（{summary}）得到的次数；本题按“{own}”约定计数。",
}
# {how}: where the count comes from, when it is another named convention's (HOW), or nothing.
HOW: Texts = {"en": " (as the '{convention}' convention counts)", "zh": "（按“{convention}”约定的计法）"}
_HALF = Fraction(1, 2)
MISTAKES = (
    *(
        mistake
        for stem, (_, what) in _COUNTS.items()
        for mistake in (
            Mistake(
                f"{stem}_counted",
                _HALF,
                {
                    "en": f"This count includes {what['en']}{{how}}, which the statement says not to count.",
                    "zh": f"这个次数计入了{what['zh']}{{how}}，而题目说明不计入。",
                },
            ),
            Mistake(
                f"{stem}_not_counted",
                _HALF,
                {
                    "en": f"This count leaves out {what['en']}{{how}}, which the statement says to count.",
                    "zh": f"这个次数没有计入{what['zh']}{{how}}，而题目说明要计入。",
                },
            ),
        )
    ),
    Mistake(
        "multiply_add_as_two",
        _HALF,
        {
            "en": "This count takes a multiply-add as two operations{how}; the statement counts it as one.",
            "zh": "这个次数把一次乘加算作两次运算{how}，而题目把它算作一次。",
        },
    ),
    Mistake(
        "multiply_add_as_one",
        _HALF,
        {
            "en": "This count takes a multiply-add as one operation{how}; the statement counts it as two "
            "(a mult and an add).",
            "zh": "这个次数把一次乘加算作一次运算{how}，而题目把它算作两次（一次乘法和一次加法）。",
        },
    ),
    # "Roughly" read as "to leading order": the method is right, the lower-order terms are dropped.
    Mistake(
        "leading_term_only",
        _HALF,
        {
            "en": "This is only the count's leading term: its lower-order terms are part of the count asked.",
            "zh": "这只是次数的最高阶项：题目要求的次数还包括低阶项。",
        },
    ),
)
_TABLE = {mistake.id: mistake for mistake in MISTAKES}
LEADING_TERM_ONLY = _TABLE["leading_term_only"]


def departure(key: str, fixed: bool, convention: str | None = None, lang: str = "en") -> tuple[Mistake, str]:
    """The mistake of a count that departs from the statement's `fixed` value for switch `key`, and its feedback
    (saying which named convention counts that way, if one does)."""
    fixable = FIXABLE[key]
    mistake = _TABLE[fixable.not_counted if fixed else fixable.counted]
    how = HOW[lang].format(convention=convention) if convention else ""
    return mistake, mistake.says(lang, how=how)
