"""How an index_gradient solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/index_gradient/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from typing import Any

LABELS: dict[str, dict[str, str]] = {
    "zh": {"gradient": "梯度", "jacobian": "雅可比矩阵"},
    "en": {"gradient": "Gradient", "jacobian": "Jacobian"},
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "function": "函数",
        "written_out": "把函数展开写出：",
        "term_by_term": "逐项求导",
        "delta_rule": "对每一项求导，用 $\\partial %s_j / \\partial %s_{%s}$ 等于 Kronecker 记号 $\\delta_{j%s}$：",
        "collapsed": "求和中只有 $\\delta_{jk} \\ne 0$ 的一项（$j = k$）留下，求和随之消去。",
        "adding": "各项相加：",
        "cases": "分 $%s = %s$ 与 $%s \\ne %s$ 两种情况",
        "cases_meaning": "对角线上是 $1 - \\mathrm{softmax}_k$，其余位置是 $-\\mathrm{softmax}_k$；"
        "用 $\\delta$ 可以把两种情况合成一个式子。",
        "jacobian": "雅可比矩阵的数值",
    },
    "en": {
        "function": "The function",
        "written_out": "Written out:",
        "term_by_term": "Term by term",
        "delta_rule": "Differentiate each term, with $\\partial %s_j / \\partial %s_{%s}$ the Kronecker delta "
        "$\\delta_{j%s}$:",
        "collapsed": "Only the term with $\\delta_{jk} \\ne 0$ ($j = k$) survives, so the sum collapses.",
        "adding": "Adding the terms:",
        "cases": "The cases $%s = %s$ and $%s \\ne %s$",
        "cases_meaning": "On the diagonal the derivative is $1 - \\mathrm{softmax}_k$, elsewhere "
        "$-\\mathrm{softmax}_k$; the delta writes both cases as one formula.",
        "jacobian": "The Jacobian's values",
    },
}
