"""Draws from SHA-256 of (salt, student, problem, attempt): the same numbers on every machine, Python and NumPy
version (neither random module promises its stream across versions), and unguessable without the salt."""

from __future__ import annotations

import hashlib
import json

_VERSION = "hwsolver-variants-1"  # part of every seed: a new way of drawing must change it
_WORD = 8  # bytes per draw: a 64-bit integer


class Draws:
    """A stream of uniform draws for one attempt at one student's variant of one problem."""

    def __init__(self, salt: str, student: str, problem: str, attempt: int) -> None:
        # JSON keeps the fields apart whatever they hold ("a|b" + "c" is not "a" + "b|c")
        self._key = json.dumps([_VERSION, salt, student, problem, attempt], ensure_ascii=False).encode()
        self._block = 0
        self._pool = b""
        self.used = 0  # 64-bit words drawn (tests count work with it)

    def below(self, count: int) -> int:
        """A uniform integer from 0 to count - 1 (unbiased: words past the last whole multiple are drawn again)."""
        if not 1 <= count <= 2 ** (8 * _WORD):
            raise ValueError(f"cannot draw one of {count}")
        limit = (2 ** (8 * _WORD) // count) * count
        while True:
            word = self._word()
            if word < limit:
                return word % count

    def _word(self) -> int:
        if len(self._pool) < _WORD:
            self._pool += hashlib.sha256(self._key + b"|%d" % self._block).digest()
            self._block += 1
        word, self._pool = int.from_bytes(self._pool[:_WORD], "big"), self._pool[_WORD:]
        self.used += 1
        return word
