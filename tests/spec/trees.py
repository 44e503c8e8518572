"""Node trees as plain values, for comparing what two readers built."""

from __future__ import annotations

from typing import Any

from hwsolver.spec.node import LATER, Node


def tree(node: Node) -> tuple[Any, ...]:
    """Everything a node holds, its children's too (an unbuilt collection as its source)."""
    content: Any = node.content
    if type(content) is tuple:
        content = tuple(tree(child) for child in content)
    elif type(content) is dict:
        content = {key: tree(child) for key, child in content.items()}
    elif content is LATER:
        content = "LATER"
    return content, node.file, node.line, node.column, node.base, node.step, node.plain, node.source
