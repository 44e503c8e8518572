"""LaTeX input, step 1: find the $...$ body and split it into raw TeX items (commands, single characters)."""

from __future__ import annotations

from typing import NamedTuple

from hwsolver.expr.diagnostics import fail, shown

_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_OPENERS = ("$", "\\")  # the first character of every opener
_SPACE = " \t\r\n\u00a0"
_REFUSED = {
    "%": "TeX comments ('%') are not allowed",
    "#": "'#' is not allowed",
    "&": "'&' is not allowed",
    "$": "'$' may only wrap the whole formula",
    '"': "quotes are not allowed",
}


class Raw(NamedTuple):
    """One TeX item: a command (\\frac, \\, ...) when cmd is True, else a single character; pos is 0-based.

    (A named tuple: a LaTeX answer makes one per character.)"""

    text: str
    pos: int
    cmd: bool = False

    def is_char(self, chars: str) -> bool:
        return not self.cmd and self.text in chars

    @property
    def letter(self) -> bool:
        return not self.cmd and self.text.isascii() and self.text.isalpha()

    @property
    def digit(self) -> bool:
        return not self.cmd and self.text.isascii() and self.text.isdigit()


def latex_body(text: str) -> tuple[int, int] | None:
    """(start, end) of the LaTeX inside $...$, $$...$$, \\(...\\) or \\[...\\]; None for plain text."""
    stripped = text.strip()
    if stripped[:1] not in _OPENERS:
        return None
    lead = len(text) - len(text.lstrip())
    for opener, closer in _DELIMITERS:
        if len(stripped) >= len(opener) + len(closer) and stripped.startswith(opener) and stripped.endswith(closer):
            return lead + len(opener), lead + len(stripped) - len(closer)
    return None


def scan(text: str, start: int, end: int) -> list[Raw]:
    """Split text[start:end] into raw items, skipping spaces; refuses characters TeX math never needs."""
    items: list[Raw] = []
    i = start
    while i < end:
        c = text[i]
        if c in _SPACE:
            i += 1
        elif c == "\\":
            j = i + 1
            while j < end and text[j].isascii() and text[j].isalpha():
                j += 1
            if j == i + 1:
                if j >= end:
                    fail("a backslash must start a TeX command", text, i)
                j += 1
            items.append(Raw(text[i + 1 : j], i, cmd=True))
            i = j
        elif c in _REFUSED:
            fail(_REFUSED[c], text, i)
        elif c.isprintable():
            items.append(Raw(c, i))
            i += 1
        else:
            fail(f"unexpected character {shown(c)!r}", text, i)
    return items


def match_braces(text: str, items: list[Raw]) -> dict[int, int]:
    """Index of the closing '}' for every opening '{' (braces must balance)."""
    match: dict[int, int] = {}
    stack: list[int] = []
    for n, item in enumerate(items):
        if item.cmd:
            continue
        if item.text == "{":
            stack.append(n)
        elif item.text == "}":
            if not stack:
                fail("unmatched '}'", text, item.pos)
            match[stack.pop()] = n
    if stack:
        fail("'{' is never closed", text, items[stack[-1]].pos)
    return match
