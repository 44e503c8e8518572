"""The handouts' building blocks: number formatting, Math Markdown parsing, its HTML and LaTeX writers."""

from __future__ import annotations

from fractions import Fraction as F

import mpmath
import pytest

from hwsolver.drawing import layout
from hwsolver.latexfmt import (
    latex_factor,
    latex_key,
    latex_mat,
    latex_num,
    latex_rel,
    latex_value,
    md_code,
    md_text,
)
from hwsolver.mathdown import join_lines, parse_blocks, parse_inline
from hwsolver.mathdown_html import inline_html, to_html
from hwsolver.mathdown_tex import escape_tex, inline_tex, to_tex


@pytest.mark.parametrize(
    ("value", "latex", "relation"),
    [
        (F(137, 500), "0.274", "="),
        (F(-113, 1000), "-0.113", "="),
        (F(1, 3), r"\frac{1}{3}", "="),
        (F(-2, 7), r"-\frac{2}{7}", "="),
        (F(1, 3_000_001), r"3.333332222 \times 10^{-7}", r"\approx"),
        (F(4992692668193094921, 312500000000000000000), "0.01597661654", r"\approx"),
        (mpmath.mpf("0.5744425168116848"), "0.5744425168", r"\approx"),
        (3, "3", "="),
    ],
)
def test_numbers_exact_when_short_else_ten_digits(value, latex: str, relation: str) -> None:
    assert latex_num(value) == latex
    assert latex_rel(value) == relation


def test_negative_operands_get_parentheses_and_marked_entries_stand_out() -> None:
    assert latex_factor(F(-1, 2)) == r"\left(-0.5\right)" and latex_factor(F(1, 2)) == "0.5"
    marked = latex_mat([[1, 2], [3, 4]], marked=(((1, 0),),))
    assert marked == r"\begin{pmatrix} 1 & 2 \\ {\color{red}\mathbf{3}} & 4 \end{pmatrix}"
    assert latex_key("W1") == "W^{(1)}" and latex_key("forward") == r"\mathrm{forward}"


def test_rows_of_different_lengths_are_vectors_not_a_matrix() -> None:
    assert latex_value(((F(1), F(2)), (F(3), F(4)))) == r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}"
    assert latex_value(((F(1), F(2)), (F(3),))) == r"\left(1, 2\right),\ \left(3\right)"


def test_untrusted_text_stays_literal() -> None:
    text = r"$x$ **b** <i> [a](#b) \ `c`"
    assert parse_inline(md_text(text)) == [("text", text)]
    assert parse_inline(md_code("a `b` c")) == [("code", "a `b` c")]


def test_inline_math_code_strong_links_and_escapes() -> None:
    assert parse_inline(r"cost \$5, $a_{1} * b$ and **$x$ bold** [t](#id) `$no$`") == [
        ("text", "cost $5, "),
        ("math", "a_{1} * b"),
        ("text", " and "),
        ("strong", [("math", "x"), ("text", " bold")]),
        ("text", " "),
        ("link", "id", [("text", "t")]),
        ("text", " "),
        ("code", "$no$"),
    ]
    assert parse_inline("a $ b") == [("text", "a $ b")]  # a lone dollar is text


def test_blocks() -> None:
    source = """# Title {#top}

Para line one
line two
中文第一行
第二行
1. item one
   continued
2. item two
After the list.

| a | b |
|---|---|
| $x$ | 2 |

$$
z = 1
$$

> quote

<svg><text>x</text></svg>

```{=latex}
\\relax
```
---
"""
    kinds = [(b.kind, b.text or b.items) for b in parse_blocks(source)]
    assert kinds == [
        ("heading", "Title"),
        ("paragraph", "Para line one line two 中文第一行第二行"),
        ("list", ("item one continued", "item two")),
        ("paragraph", "After the list."),
        ("table", ("a", "b")),
        ("math", "z = 1"),
        ("quote", "quote"),
        ("raw", "<svg><text>x</text></svg>"),
        ("raw", "\\relax"),
        ("rule", ()),
    ]
    html = to_html(source)
    assert '<h1 id="top">' in html and "<ol><li>" in html and "<table>" in html and "\\relax" not in html
    assert '<div class="display"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    tex = to_tex(source)
    assert r"\begin{enumerate}" in tex and r"\[" in tex and "<svg>" not in tex and "\\relax" in tex
    assert join_lines(["ab", "cd"]) == "ab cd"


def test_align_becomes_a_table_of_formulas_in_html() -> None:
    html = to_html(
        "$$\\begin{align*}\na &= \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\\\\nbb &= 2\n\\end{align*}$$"
    )
    assert html.count("<tr>") == 2 and html.count('class="lhs"') == 2 and "mtable" in html
    tex = to_tex("$$\\begin{align*}\na &= 1\n\\end{align*}$$")
    assert tex.startswith("\\begin{align*}")


def test_html_and_tex_escape_text() -> None:
    assert inline_html("a < b & $x<y$").startswith("a &lt; b &amp; <math")
    assert escape_tex(r"50% of #1_{x} ~ ^ \ & $") == (
        r"50\% of \#1\_\{x\} \textasciitilde{} \textasciicircum{} \textbackslash{} \& \$"
    )
    assert inline_tex("[see](#p1) **$x$**") == r"\hyperref[p1]{see} \textbf{$x$}"


def test_drawing_places_every_unit_and_weight() -> None:
    from hwsolver.problems import load_problem
    from hwsolver.solving import solve

    solution = solve(load_problem("problems/relu-network-update.yaml"))
    drawing = layout(solution.problem.given, solution.work["steps"][-1].params_after)
    assert [(u.layer, u.index) for u in drawing.units] == [(0, 1), (0, 2), (1, 1), (1, 2), (2, 1)]
    assert [(e.layer, e.j, e.k, e.old, e.new) for e in drawing.edges][-1] == (2, 1, 2, F(4, 5), F(42599, 50000))
    assert all(0 < e.label_x < drawing.width and 0 < e.label_y < drawing.height for e in drawing.edges)
