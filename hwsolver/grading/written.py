"""An answer as the student wrote it, on one line: YAML flow text that reads back as the same answer.

Reports show it and the grading JSON keeps it (`answer`), so that a run can be looked at again without the
files (`hwsolver mine`). A block mapping or list is written in flow style (`{W1: [[0.6, 0.2]], w2: [0.5]}`),
each scalar as the student wrote its text: plain where it reads back the same, else double-quoted, with every
control or invisible character as an escape YAML reads back (`\\n`, `\\x1b`, `\\u202e`, as display.shown shows
them), so the line is already safe to show.
"""

from __future__ import annotations

import re
from typing import Any

from hwsolver.memo import Bounded
from hwsolver.spec.later import plain_later
from hwsolver.spec.node import LATER, Node

LIMIT = 4096  # longer answers are shortened ("..." at the end) and no longer read back
# what makes a plain scalar read otherwise in flow style (PyYAML's scanner: flow indicators, ':' anywhere, a
# comment, a leading indicator, or "- " and "-" alone, spaces at either end): such text is quoted
_FLOW_INDICATORS = re.compile(r"[,\[\]{}:]| #|^-(?: |$)|^[?#&*!|>'\"%@`]|^\s|\s$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def written(node: Node) -> str:
    """The answer at `node` as one line of YAML flow text (shortened past LIMIT characters)."""
    if node.content is LATER:
        texts = plain_later(node)  # plain scalars only (nearly every array a class writes): no nodes built
        text = _texts(texts) if texts is not None else _flow(node)
    else:
        text = _flow(node)
    return text if len(text) <= LIMIT else text[: LIMIT - 3] + "..."


def decimals_written(texts: Any) -> str:
    """written() of an answer not built yet whose every text is a plain decimal, from its texts (plain_later's,
    as answers.read_decimals found them): a decimal is its own flow text, so rows are joined as they stand."""
    text = _decimals(texts)
    return text if len(text) <= LIMIT else text[: LIMIT - 3] + "..."


def answer_line(node: Node | None, decimals: Any = None) -> str | None:
    """The answer as the student wrote it, on one line, for reports and the grading JSON (None: no answer);
    `decimals`: its texts, when answers.read_decimals found each a plain decimal."""
    if node is None:
        return None
    if len(node.source) > 4 * LIMIT:  # far too long to be kept whole: not worth building
        return " ".join(node.source[:LIMIT].split())[: LIMIT - 3] + "..."
    return written(node) if decimals is None else decimals_written(decimals)


def _decimals(texts: Any) -> str:
    if type(texts) is str:
        return texts
    if type(texts) is tuple:
        if texts and type(texts[0]) is str:
            try:
                return "[" + ", ".join(texts) + "]"  # a row of texts (most lists)
            except TypeError:  # (a list in the row)
                pass
        return "[" + ", ".join(map(_decimals, texts)) + "]"
    return "{" + ", ".join([f"{_key(key)}: {_decimals(item)}" for key, item in texts.items()]) + "}"


def _key(text: str) -> str:
    """A mapping's key in flow style (scalar()), for the few names a class writes: each worked out once."""
    found = _KEYS.get(text)
    if found is None:
        found = scalar(text)
        if len(text) <= 64:  # (a hostile answer's long keys are not kept)
            _KEYS.keep(text, found)
    return found


_KEYS: Bounded[str, str] = Bounded(1024)


def is_whole(text: str) -> bool:
    """Whether a written answer is whole (not shortened), so that it reads back as the answer."""
    return len(text) < LIMIT or not text.endswith("...")


def scalar(text: str, plain: bool = True) -> str:
    """A scalar's text in flow style: as it is when it reads back so (plain), else double-quoted and escaped."""
    if plain and text and not _FLOW_INDICATORS.search(text) and text.isprintable():
        return text
    if text.isprintable() and '"' not in text and "\\" not in text:  # a formula with commas: nothing to escape
        return f'"{text}"'
    escaped = "".join(_ESCAPES.get(char) or (char if char.isprintable() else _escape(char)) for char in text)
    return f'"{escaped}"'


def _flow(node: Node) -> str:
    value = node.value
    if isinstance(value, str):
        return "null" if node.is_null and node.plain else scalar(value, node.plain)
    if isinstance(value, tuple):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return "{" + ", ".join(f"{scalar(key)}: {_flow(item)}" for key, item in value.items()) + "}"


def _texts(texts: Any) -> str:
    """plain_later's nested texts (every scalar plain) in flow style."""
    if type(texts) is str:
        return _plain(texts)
    if type(texts) is tuple:
        if texts and type(texts[0]) is str:
            # a row's texts, mostly written before: looked up a row at a time (a text not yet kept, a list in the
            # row, never a key: each item its own way)
            try:
                items = list(map(_PLAIN.get, texts))
            except TypeError:  # a mapping in the row
                items = [None]
            if None in items:
                items = [(_PLAIN.get(item) or _plain(item)) if type(item) is str else _texts(item) for item in texts]
            return "[" + ", ".join(items) + "]"
        return "[" + ", ".join(map(_texts, texts)) + "]"
    return "{" + ", ".join(f"{_key(key)}: {_texts(item)}" for key, item in texts.items()) + "}"


# Plain texts in flow style (scalar()): a class writes the same numbers again and again. Bounded.
_PLAIN: Bounded[str, str] = Bounded(65_536)


def _plain(text: str) -> str:
    found = _PLAIN.get(text)
    if found is None:
        found = scalar(text) if text else "null"
        if len(text) <= 40:  # a hostile megabyte of text is not kept
            _PLAIN.keep(text, found)
    return found


def _escape(char: str) -> str:
    """An escape YAML's double quotes read back, spelled as display.shown spells it."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
