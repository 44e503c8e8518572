"""The reader's fast path: libyaml composes the whole tree in C, and we turn it into `Node`s.

The event reader (reader._compose) builds a Python object for every parser event, and that was most of the cost of
reading a submission. libyaml's own composer builds its node tree in C, with the same positions. It cannot refuse
what we refuse (it resolves anchors and aliases, and tags), so it reads only text that cannot hold them, nested not
so deep that its recursion in C could overflow the stack; anything else, and anything irregular it meets (a second
document, a syntax error, a duplicate key, a collection as a key, nesting deeper than allowed), is left to the
event reader, which says what is wrong (None here). The tree is the event reader's, node for node (tests check).
"""

from __future__ import annotations

import yaml

from hwsolver.spec.node import LATER, Node, place

# Collections the text can hold at most: each starts with its own `[`, `{`, `-`, `?` or `:` (a block mapping's
# first key). Above this the composer's recursion in C is not trusted with the text (the event reader takes it);
# libyaml 0.2.5 itself stops at 1,000 levels, other builds may not.
_MOST_COLLECTIONS = 4_000

try:
    from yaml.cyaml import CParser as _CParser  # libyaml's parser, where PyYAML was built with it
except ImportError:
    _CParser = None
# What a node (and so its tag) may follow, besides the text's start: a space, a tab, a line break (YAML 1.1 has
# five), a byte-order mark, a flow collection's `[`, `{` or `,`, a flow key's `:`.
_NODE_AFTER = frozenset(" \t\r\n\x85\u2028\u2029\ufeff[{,:")


def _tagged(text: str) -> bool:
    r"""Whether a `!` may start a tag: where a node may start (_NODE_AFTER). A `!` elsewhere is text (LaTeX's `\!`)."""
    at = text.find("!")
    while at >= 0:
        if at == 0 or text[at - 1] in _NODE_AFTER:
            return True
        at = text.find("!", at + 1)
    return False


class _Irregular(Exception):
    """Something the event reader refuses or words: it reads the text again, for its message."""


if _CParser is not None:

    class _Composer(_CParser):  # type: ignore[misc,valid-type]
        """The C composer with nothing to resolve: the text it reads holds no tags (see _tagged)."""

        def resolve(self, kind: object, value: object, implicit: object) -> None:
            if implicit is False or implicit == (False, False):  # a `!` tag after all: the event reader refuses it
                raise _Irregular

        def descend_resolver(self, parent: object, index: object) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


def composed(
    text: str, name: str, lazy_below: int | None, base: str, step: str | int | None, first: int, most_deep: int
) -> Node | None:
    """The Node tree of `text` as reader._compose builds it, or None when the event reader must read it."""
    if _CParser is None or "&" in text or _tagged(text):  # an anchor, a tag (an alias needs an anchor)
        return None
    count = text.count
    if (
        len(text) > _MOST_COLLECTIONS
        and count("[") + count("{") + count("-") + count("?") + count(":") > _MOST_COLLECTIONS
    ):
        return None
    parser = _Composer(text)
    try:
        root = parser.get_single_node()
    except (yaml.YAMLError, _Irregular):
        return None
    finally:
        parser.dispose()
    if root is None:
        return None
    try:
        return _Convert(text, name, lazy_below, first, most_deep).node(root, base, step, 0)
    except _Irregular:
        return None


class _Convert:
    """libyaml's nodes to ours; `depth` counts the collections open around a node (the event reader's stack)."""

    def __init__(self, text: str, name: str, lazy_below: int | None, first: int, most_deep: int) -> None:
        self.text, self.name, self.first, self.most_deep = text, name, first, most_deep
        self.lazy_below = most_deep + 1 if lazy_below is None else lazy_below

    def node(self, node: yaml.Node, base: str, step: str | int | None, depth: int) -> Node:
        mark = node.start_mark
        line, column = mark.line + self.first, mark.column + 1
        if type(node) is yaml.ScalarNode:
            return Node(node.value, self.name, line, column, base, step, not node.style, node.value)
        if depth >= self.most_deep:
            raise _Irregular  # nested deeper than allowed
        source = self.text[mark.index : node.end_mark.index]
        if depth >= self.lazy_below:
            _check_depth(node, depth + 1, self.most_deep)
            return Node(LATER, self.name, line, column, base, step, True, source)
        path, convert = place(base, step), self.node
        if type(node) is yaml.SequenceNode:
            content: tuple[Node, ...] | dict[str, Node] = tuple(
                convert(child, path, index, depth + 1) for index, child in enumerate(node.value)
            )
        else:
            content = {}
            for key, value in node.value:
                if type(key) is not yaml.ScalarNode or key.value in content:
                    raise _Irregular  # a collection as a key, a duplicate key
                content[key.value] = convert(value, path, key.value, depth + 1)
        return Node(content, self.name, line, column, base, step, True, source)


def _check_depth(node: yaml.Node, depth: int, most_deep: int) -> None:
    """A collection left unbuilt is still refused when nested too deep, as the event reader refuses it."""
    for child in node.value:
        for item in child if type(child) is tuple else (child,):
            if type(item) is not yaml.ScalarNode:
                if depth >= most_deep:
                    raise _Irregular
                _check_depth(item, depth + 1, most_deep)
