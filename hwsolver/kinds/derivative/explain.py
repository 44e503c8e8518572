"""How a derivative solution is told, in every language: the part labels and the handout's sentences
(templates/kinds/derivative/handout.md.j2 reads them as `T`; Math Markdown: $...$ is a formula)."""

from __future__ import annotations

from typing import Any

_ORDINALS = {1: ("一", "First"), 2: ("二", "Second"), 3: ("三", "Third"), 4: ("四", "Fourth"), 5: ("五", "Fifth")}
LABELS: dict[str, dict[str, str]] = {
    "zh": {f"d{order}": f"{zh}阶导数" for order, (zh, _) in _ORDINALS.items()},
    "en": {f"d{order}": f"{en} derivative" for order, (_, en) in _ORDINALS.items()},
}

_RULES = {
    "sum": r"(u + v)' = u' + v'",
    "product": r"(uv)' = u'v + uv'",
    "quotient": r"\left(\frac{u}{v}\right)' = \frac{u'v - uv'}{v^2}",
    "power": r"(u^n)' = n u^{n-1} u'",
    "chain": r"\big(g(u)\big)' = g'(u)\, u'",
}

STRINGS: dict[str, dict[str, Any]] = {
    "zh": {
        "function": "函数",
        "identities": "把结果写成 %s 的形式要用到的恒等式：",
        "order": "第 %s 阶导数",
        "differentiate": "对上一步的结果求导",
        "rules_used": "用到的求导法则",
        "rule_names": {
            "sum": "和的法则",
            "product": "乘积法则",
            "quotient": "商法则",
            "power": "幂法则",
            "chain": "链式法则",
        },
        "rule_formulas": _RULES,
        "known": "基本导数",
        "gives": "按这些法则求导得到：",
        "rewritten": "再用上面的恒等式写成 %s 的形式，整理成因式相乘：",
        "simplified": "整理成因式相乘：",
    },
    "en": {
        "function": "The function",
        "identities": "The identities that write the results in terms of %s:",
        "order": "Derivative of order %s",
        "differentiate": "Differentiate the previous result",
        "rules_used": "Rules applied",
        "rule_names": {
            "sum": "sum rule",
            "product": "product rule",
            "quotient": "quotient rule",
            "power": "power rule",
            "chain": "chain rule",
        },
        "rule_formulas": _RULES,
        "known": "Elementary derivatives",
        "gives": "The rules give:",
        "rewritten": "The identities above write it in terms of %s; as a product of factors:",
        "simplified": "As a product of factors:",
    },
}
