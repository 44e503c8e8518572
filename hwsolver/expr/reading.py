"""What a whole answer text says before it is parsed: an equation's right-hand side, a trailing unit word, big-O.

Students write `σ''(x) = σ(x)(1 - σ(x))(1 - 2σ(x))`, `3Ln^2 multiplications` and `O(L n^2)`; these rules find the
formula inside such a text (its start and end in the text, so that columns in messages stay those of the text).
They also catch LaTeX that lost its backslashes to YAML's double-quoted escapes ("\\tanh" is a TAB and "anh").
"""

from __future__ import annotations

import re

from hwsolver.expr.catalog import UNIT_WORDS, UNIT_WORDS_CJK
from hwsolver.expr.diagnostics import fail

# A relation between two sides: the answer is the last side (a chain a = b = c is graded by c).
_RELATIONS = ("=", "≈", "≃", "∼", "~")
_TEX_RELATIONS = ("approx", "sim", "simeq", "equiv", "coloneqq")
_OPENERS, _CLOSERS = "([{（", ")]}）"
_RELATION_SIGN = re.compile("[" + re.escape("".join(_RELATIONS)) + "]")
_TEX_RELATION_SIGN = re.compile(
    _RELATION_SIGN.pattern + "|" + "|".join(re.escape("\\" + name) for name in _TEX_RELATIONS)
)

# YAML's double-quoted escapes that turn a TeX command's backslash and first letter into one control character
_ESCAPES = {"\t": "t", "\f": "f", "\b": "b", "\a": "a", "\v": "v", "\x1b": "e", "\r": "r", "\n": "n", "\0": "0"}
_ESCAPE_NAMES = {"\t": "a TAB", "\r": "a carriage return", "\n": "a line break"}
# after \r and \n a letter is common in any text: only these TeX commands count there
_LINE_COMMANDS = ("right", "rho", "rm", "rangle", "nabla", "neq", "ne", "nu", "newline", "not", "nolimits")
_ANY_ESCAPE = re.compile("[" + "".join(_ESCAPES) + "]")  # most answers hold none: one search tells


def check_escapes(text: str) -> None:
    """Refuse LaTeX whose backslashes YAML took as escapes, naming the command and the fix."""
    if _ANY_ESCAPE.search(text) is None:
        return
    found = sorted(pos for char in _ESCAPES if char in text for pos in _positions(text, char))
    for pos in found:
        char = text[pos]
        letter = _ESCAPES[char]
        end = pos + 1
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        command = letter + text[pos + 1 : end]
        if end == pos + 1 or (char in "\r\n" and command not in _LINE_COMMANDS):
            continue
        what = _ESCAPE_NAMES.get(char, f"the control character U+{ord(char):04X}")
        fail(
            f'"\\{command}" lost its backslash: in double quotes YAML reads "\\{letter}" as {what}; '
            "write LaTeX in single quotes or without quotes",
            text,
            pos,
        )


# signs the unread left side of an equation may hold besides what a formula holds (∂L/∂x_k = ..., a label:)
_UNREAD = frozenset("=≈≃∼~∂∇′″:")


def check_left_side(text: str, start: int, end: int) -> None:
    """The left side of a plain-text equation is not read, but it must lex as a formula does (no garbage)."""
    from hwsolver.expr.lexer import tokenize

    tokenize("".join(" " if char in _UNREAD else char for char in text[:end]), None, start, end)


def _positions(text: str, char: str) -> list[int]:
    found, pos = [], text.find(char)
    while pos >= 0:
        found.append(pos)
        pos = text.find(char, pos + 1)
    return found


def unit_word(text: str, start: int, end: int) -> tuple[int, str]:
    """(new end, the word) when text[start:end] ends with a unit word after a formula, else (end, "")."""
    stripped = text[start:end].rstrip()
    if stripped.endswith(UNIT_WORDS_CJK):  # one test for all (most answers end otherwise), then which one
        for word in UNIT_WORDS_CJK:
            if stripped.endswith(word) and stripped[: -len(word)].strip():
                return start + len(stripped) - len(word), word
    cut = len(stripped)
    while cut > 0 and stripped[cut - 1].isascii() and stripped[cut - 1].isalpha():
        cut -= 1
    word = stripped[cut:]
    head = stripped[:cut]
    if word.lower() in UNIT_WORDS and head.strip() and (head[-1].isspace() or head[-1] in "0123456789)$"):
        return start + len(head.rstrip()), word
    return end, ""


def last_relation(text: str, start: int, end: int, latex: bool) -> int | None:
    """Where the right-hand side of the last relation at bracket depth 0 starts, or None without one."""
    if (_TEX_RELATION_SIGN if latex else _RELATION_SIGN).search(text, start, end) is None:
        return None  # most answers are no equation: one search tells
    depth, found, i = 0, None, start
    while i < end:
        char = text[i]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
        elif latex and char == "\\":
            j = i + 1
            while j < end and text[j].isascii() and text[j].isalpha():
                j += 1
            if depth == 0 and text[i + 1 : j] in _TEX_RELATIONS:
                found = j
            i = max(j, i + 2)
            continue
        elif depth == 0 and char in _RELATIONS and not (latex and char == "~") and text[i - 1 : i] not in ("!<>"):
            found = i + 1
            while found < end and text[found] == "=":
                found += 1  # a == b
        i += 1
    return found
