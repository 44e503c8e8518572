"""Numbers, vectors and matrices as LaTeX, and untrusted text made inert for Markdown: the handout filters.

These format one value each; they never compute. Exact rationals print as terminating decimals or \\frac,
anything else (mpmath numbers, floats) to 10 significant digits, and `latex_rel` says whether "=" or
"\\approx" is the honest relation in front of the printed value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from hwsolver.model import Symbolic
from hwsolver.numbers import display, significant, terminating_decimal

# A fraction this small is easier to read as \frac{1}{3} than as 0.3333333333.
_MAX_FRAC_DIGITS = 6
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_$\[\]<>&|#])")


def is_scalar(value: Any) -> bool:
    """A single number (not a bool, not a container)."""
    return not isinstance(value, bool | str | Symbolic | Mapping | Sequence)


def _exact_text(value: Any) -> str | None:
    """The value's exact LaTeX if it has a short one, else None."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Fraction):
        decimal = terminating_decimal(value)
        if decimal is not None:
            return decimal
        numerator, denominator = abs(value.numerator), value.denominator
        if len(str(numerator)) <= _MAX_FRAC_DIGITS and len(str(denominator)) <= _MAX_FRAC_DIGITS:
            return ("-" if value < 0 else "") + rf"\frac{{{numerator}}}{{{denominator}}}"
    return None


def latex_num(value: Any) -> str:
    """One number: exact when short, else 10 significant digits (1.5e-7 as 1.5 \\times 10^{-7})."""
    exact = _exact_text(value)
    if exact is not None:
        return exact
    text = significant(value, 10)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def latex_rel(value: Any) -> str:
    """ "=" if `latex_num` prints the value exactly, else "\\approx"."""
    return "=" if _exact_text(value) is not None else r"\approx"


def latex_factor(value: Any) -> str:
    """A number as an operand of a product or difference: negatives in parentheses."""
    text = latex_num(value)
    return f"\\left({text}\\right)" if text.startswith("-") else text


def latex_vec(values: Sequence[Any], column: bool = False) -> str:
    """A vector as a row (a, b) or, with column=True, a column matrix."""
    if column:
        return latex_mat([[v] for v in values])
    return r"\left(" + ", ".join(latex_num(v) for v in values) + r"\right)"


def latex_mat(rows: Sequence[Sequence[Any]], marked: Any = None) -> str:
    """A matrix in parentheses; entries at the [row, column] positions in `marked` (any nesting) stand out."""
    spots = set(_positions(marked)) if marked is not None else set()

    def entry(i: int, j: int, value: Any) -> str:
        text = latex_num(value)
        return rf"{{\color{{red}}\mathbf{{{text}}}}}" if (i, j) in spots else text

    body = r" \\ ".join(" & ".join(entry(i, j, v) for j, v in enumerate(row)) for i, row in enumerate(rows))
    return r"\begin{pmatrix} " + body + r" \end{pmatrix}"


def _positions(value: Any) -> list[tuple[int, int]]:
    """Every (row, column) pair in a nested structure of pairs, such as pooling's argmax."""
    if len(value) == 2 and all(isinstance(v, int) for v in value):
        return [(value[0], value[1])]
    return [pair for item in value for pair in _positions(item)]


def latex_value(value: Any) -> str:
    """Any answer that is one formula, number, vector, matrix or stack of matrices, as LaTeX."""
    if isinstance(value, Symbolic):
        return value.latex
    if is_scalar(value):
        return latex_num(value)
    if value and all(is_scalar(v) for v in value):
        return latex_vec(value)
    rows = value and all(isinstance(v, Sequence) and all(is_scalar(x) for x in v) for v in value)
    if rows and len({len(v) for v in value}) == 1:  # rows of different lengths are vectors, not a matrix
        return latex_mat(value)
    return r",\ ".join(latex_value(v) for v in value)


def md_text(text: Any) -> str:
    """Untrusted text (a student's answer, feedback) as literal Markdown: no math, markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def plain(value: Any) -> str:
    """A submitted value as plain text: numbers displayed, lists in brackets, mappings as key: value."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {plain(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(plain(v) for v in value) + "]"
    if isinstance(value, Symbolic):
        return value.expr
    return display(value)


def md_code(text: Any) -> str:
    """Text as a Markdown code span, fenced by more backticks than it contains."""
    text = str(text).replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}" if longest else f"{fence}{text}{fence}"


def latex_key(name: str) -> str:
    """A parameter name as a symbol: W1 -> W^{(1)}, b2 -> b^{(2)}; other names upright."""
    match = re.fullmatch(r"([A-Za-z])(\d+)", name)
    if match:
        return f"{match[1]}^{{({match[2]})}}"
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def is_tensor(value: Any) -> bool:
    """A formula, a number, or nested sequences of numbers (vector, matrix, stack of matrices)."""
    if isinstance(value, Symbolic) or is_scalar(value):
        return True
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) > 0
        and all((is_scalar(v) or (isinstance(v, Sequence) and not isinstance(v, str) and is_tensor(v))) for v in value)
    )
