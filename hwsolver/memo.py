"""Memos with a bound: the grader remembers what a class writes again and again, and a hostile class must not fill
memory through it."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(dict[K, V]):
    """A memo of at most `limit` entries: full, it starts again empty (what a class writes often is soon back,
    and no look-up pays for choosing what to drop)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        """Remember `value` under `key`, and return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
