"""A student's file read without YAML: mappings of plain keys in block style, down to where the reader leaves
collections unbuilt (read_file's `lazy_below`), as a class writes them ("student: PB21000001\\nanswers:\\n  relu...").

libyaml composing every number of every matrix was most of reading a submission (about 0.13 ms of 0.2), and the
numbers are read again, later, by the grader that meets an answer it has not seen (plain_later). This reader
builds the few nodes above them, line by line, and leaves each answer's block as its text, checked by the block
reader the grader reads it with (blockread.py). It accepts only a narrow, unambiguous subset of YAML: printable
characters; no blank line, comment (`#`), anchor or tag; keys of letters, digits and `_.-` at a line's start, one space
after their `:`; plain scalars that neither start with an indicator nor hold `: ` (a `'single-quoted'` one on its
line), folded over more indented lines; mappings above the unbuilt depth, and blocks there that blockread.py
reads. Anything else is None: libyaml reads it (composed.py), or the event reader, which says what is wrong. The
tree is theirs, node for node (positions, key paths, sources; tests compare the three).
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import sub

from hwsolver.spec.blockread import read_block
from hwsolver.spec.node import LATER, Node, place

_KEY = re.compile(r"( *)([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}):(?: (.+))?")  # a key's line, its value if on it
# What a plain scalar cannot start with (an indicator); `-` may start one before another character ("-0.2").
_INDICATORS = frozenset("?:,[]{}#&*!|>'\"%@` ")
_QUOTED = re.compile(r"'([^']*)'")  # a single-quoted scalar without quotes inside


class _Irregular(Exception):
    """Text outside the subset: libyaml reads it."""


def read_tree(text: str, name: str, lazy_below: int, base: str, step: str | int | None, first: int) -> Node | None:
    """The Node tree of `text` as composed.py builds it with `lazy_below`, or None when the text is outside the
    subset."""
    if "#" in text:
        return None
    tree = _Tree(text, name, lazy_below, first)
    # Printable characters alone (Python's printable are libyaml's, less some: no tab, no line break but the line
    # feed, no byte-order mark); no line empty or of spaces alone.
    if not tree.lines or not all(map(str.isprintable, tree.lines)) or 0 in map(sub, tree.lengths, tree.indents):
        return None
    try:
        root, end = tree.mapping(0, tree.indents[0], 0, base, step)
    except _Irregular:
        return None
    return root if end == len(tree.lines) else None


class _Tree:
    """The reader, by lines: each method takes the line a node starts on (its index), and gives back the node and
    the line after it."""

    def __init__(self, text: str, name: str, lazy_below: int, first: int) -> None:
        self.text, self.name, self.lazy_below, self.first = text, name, lazy_below, first
        lines = text.split("\n")
        if lines[-1] == "":
            lines.pop()  # (after the last line's break)
        self.lines = lines
        self.lengths = lengths = list(map(len, lines))
        self.indents = list(map(sub, lengths, map(len, map(str.lstrip, lines, repeat(" ")))))
        self.ends = list(accumulate(lengths))  # where each line ends in the text, but for the line breaks before it

    def start(self, at: int) -> int:
        """Where the token that starts line `at` stands in the text (the text's end after the last line)."""
        if at == len(self.lines):
            return len(self.text)
        return (self.ends[at - 1] + at if at else 0) + self.indents[at]

    def mapping(self, at: int, indent: int, depth: int, base: str, step: str | int | None) -> tuple[Node, int]:
        """The block mapping whose keys stand at `indent`, from line `at` on, and the line after it."""
        lines, indents, count, path = self.lines, self.indents, len(self.lines), place(base, step)
        first, content = at, {}
        while True:
            match = _KEY.fullmatch(lines[at])
            if match is None or indents[at] != indent or match[2] in content:
                raise _Irregular  # not a key, another indentation, a key twice
            key, value = match[2], match[3]
            if value is not None:
                content[key], at = self.scalar(at, indent, match.start(3) + 1, value, path, key)
            else:
                at += 1
                if at == count:
                    raise _Irregular  # an empty value
                if depth + 1 >= self.lazy_below:
                    content[key], at = self.unbuilt(at, indent, path, key)
                elif indents[at] > indent:
                    content[key], at = self.mapping(at, indents[at], depth + 1, path, key)
                else:
                    raise _Irregular  # an empty value, or a sequence
            if at == count or indents[at] < indent:
                break
            if indents[at] > indent:
                raise _Irregular
        source = self.text[self.start(first) : self.start(at)]
        return Node(content, self.name, first + self.first, indent + 1, base, step, True, source), at

    def scalar(self, at: int, indent: int, column: int, value: str, base: str, key: str) -> tuple[Node, int]:
        """The value on a key's line at `column`: plain, folded over the more indented lines after it, or
        single-quoted; and the line after it."""
        lines, indents, count, line = self.lines, self.indents, len(self.lines), at + self.first
        if value[0] == "'":
            quoted = _QUOTED.fullmatch(value)
            if quoted is None or (at + 1 < count and indents[at + 1] > indent):
                raise _Irregular
            return Node(quoted[1], self.name, line, column, base, key, False, quoted[1]), at + 1
        _plain(value)
        at += 1
        if at < count and indents[at] > indent:  # folded: each line break a space
            pieces = [value]
            while at < count and indents[at] > indent:
                more = lines[at][indents[at] :]
                _plain(more)
                pieces.append(more)
                at += 1
            value = " ".join(pieces)
        return Node(value, self.name, line, column, base, key, True, value), at

    def unbuilt(self, at: int, indent: int, base: str, key: str) -> tuple[Node, int]:
        """The collection below a key at `indent`, from line `at` on, left unbuilt, and the line after it: more
        indented than the key, or a sequence at the key's own indentation (`- ` items)."""
        lines, indents, count = self.lines, self.indents, len(self.lines)
        first, inner = at, indents[at]
        if inner <= indent and not (inner == indent and lines[at].startswith("- ", inner)):
            raise _Irregular  # an empty value
        at += 1
        if inner > indent:
            while at < count and indents[at] > indent:
                at += 1
        else:
            while at < count and (
                indents[at] > indent or (indents[at] == indent and lines[at].startswith("- ", indent))
            ):
                at += 1
        source = self.text[self.start(first) : self.start(at)]
        if read_block(source, inner + 1) is None:  # (kept for the grader, who reads it again: plain_later)
            raise _Irregular
        return Node(LATER, self.name, first + self.first, inner + 1, base, key, True, source), at


def _plain(text: str) -> None:
    """A plain scalar's line as the subset holds it: no indicator first, no `: `, no `:` or space last."""
    if (
        (text[0] in _INDICATORS or (text[0] == "-" and (len(text) == 1 or text[1] == " ")))
        or ": " in text
        or text[-1] in (":", " ")
    ):
        raise _Irregular
