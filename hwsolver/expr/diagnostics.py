"""ExprError with a column: a one-line message plus a caret picture of where the input went wrong."""

from __future__ import annotations

from typing import NoReturn

from hwsolver.errors import ExprError

_WINDOW = 30  # characters shown either side of the caret


class LocatedExprError(ExprError):
    """An ExprError that knows the offending column (1-based) of the text it was raised for."""

    def __init__(self, message: str, text: str, pos: int) -> None:
        self.message = message
        self.text = text
        self.pos = max(0, min(pos, len(text)))
        self.column = self.pos + 1
        super().__init__(f"column {self.column}: {message}")

    @property
    def caret(self) -> str:
        """The message, the input (a window around the error) and a caret under the offending character."""
        return format_with_caret(self.message, self.text, self.pos)


def format_with_caret(message: str, text: str, pos: int) -> str:
    """Three lines: message, the text around pos (made printable), a caret under pos."""
    start = max(0, pos - _WINDOW)
    end = min(len(text), pos + _WINDOW)
    shown = "".join(c if c.isprintable() else " " for c in text[start:end])
    prefix = "..." if start > 0 else ""
    suffix = "..." if end < len(text) else ""
    indent = " " * (2 + len(prefix) + (pos - start))
    return f"{message}\n  {prefix}{shown}{suffix}\n{indent}^"


def fail(message: str, text: str, pos: int) -> NoReturn:
    """Raise a LocatedExprError for text at 0-based position pos."""
    raise LocatedExprError(message, text, pos)


def shown(name: str, limit: int = 30) -> str:
    """A user-supplied name or token cut to a length fit for a one-line message (invisibles as U+XXXX)."""
    text = "".join(c if (c.isprintable() and c.isascii()) or c.isalpha() else f"U+{ord(c):04X}" for c in name)
    return text if len(text) <= limit else text[:limit] + "..."
