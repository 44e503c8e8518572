"""LaTeX input: groups the translator reads as a whole: a function's bare argument, an indicator [i = k], (...),
and square brackets, which index after a vector or array (z[i][j], as in C) and are parentheses elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from hwsolver.expr.latex_scan import Raw

if TYPE_CHECKING:
    from hwsolver.expr.scope import Scope
    from hwsolver.expr.tokens import Token


class Groups:
    """Mixed into the translator (latex.py), whose items, braces, out, seq, element, emit and error these use."""

    items: list[Raw]
    braces: dict[int, int]
    out: list[Token]
    scope: Scope
    squares: list[int | None]
    chain: tuple[int, int]

    def seq(self, a: int, b: int) -> None:
        raise NotImplementedError

    def emit(self, kind: str, text: str, pos: int) -> None:
        raise NotImplementedError

    def error(self, message: str, pos: int) -> NoReturn:
        raise NotImplementedError

    def no_parenthesis(self, n: int) -> bool:
        """Whether the item at n starts a bare argument (\\tanh^2 x), not a parenthesised one or none at all."""
        return not self.no_argument(n) and not self.items[n].is_char("({[")

    def no_argument(self, n: int) -> bool:
        """Whether the item at n cannot start a function's argument: '(' (the usual call) or what ends a term."""
        item = self.items[n]
        if item.cmd:
            return item.text in ("left", "bigl", "Bigl", "right", "cdot", "times", "odot", "ast", "div")
        return item.text in "({[)]}+-*/,='^_"

    def holds_relation(self, i: int, b: int) -> bool:
        """Whether the bracket group [ ... ] at i holds an '=' or a \\ne at its own level."""
        end = self.bracket_end(i, b)
        return any(
            item.is_char("=") or (item.cmd and item.text in ("ne", "neq")) for item in self._top_level(i + 1, end)
        )

    def bracket_end(self, i: int, b: int) -> int:
        level, n = 0, i
        while n < b:
            if self.items[n].is_char("{"):
                n = self.braces[n]
            elif self.items[n].is_char("["):
                level += 1
            elif self.items[n].is_char("]"):
                level -= 1
                if level == 0:
                    return n
            n += 1
        self.error("'[' is never closed", self.items[i].pos)

    def wanted_indices(self) -> int:
        """How many indices what was just written takes: a vector's or array's, what an array indexed in part
        (z[i]) still takes, 1 for softmax(x); 0 for anything else."""
        out = self.out
        if out and out[-1].kind == "name" and self.scope.kind_of(out[-1].text) in ("vector", "array"):
            return self.scope.arrays.get(out[-1].text, 1)
        if out and len(out) == self.chain[0]:
            return self.chain[1]
        softmax = len(out) >= 4 and out[-4].text in ("softmax", "log_softmax") and out[-1].text == ")"
        return 1 if softmax and out[-2].text in self.scope.vectors else 0

    def open_square(self, i: int, b: int) -> None:
        """A '[' not of an indicator: an index where one is wanted, else a parenthesis."""
        wanted = self.wanted_indices()
        if wanted:
            given = 1 + sum(item.is_char(",") for item in self._top_level(i + 1, self.bracket_end(i, b)))
            self.squares.append(wanted - given)
        else:
            self.squares.append(None)
        self.emit("op", "[" if wanted else "(", self.items[i].pos)

    def close_square(self, pos: int) -> None:
        left = self.squares.pop() if self.squares else None
        self.emit("op", ")" if left is None else "]", pos)
        if left:
            self.chain = (len(self.out), left)

    def _top_level(self, a: int, z: int) -> list[Raw]:
        found, n = [], a
        while n < z:
            if self.items[n].is_char("{"):
                n = self.braces[n] + 1
                continue
            found.append(self.items[n])
            n += 1
        return found

    def indicator(self, a: int, z: int) -> int:
        """The indicator [i = k] between the items at a ('[', or where a subscript starts) and z ('] or '}')."""
        self.emit("op", "[", self.items[a].pos)
        self.seq(a + 1, z)
        self.emit("op", "]", self.items[z].pos)
        return z + 1

    def paren_group(self, i: int, b: int) -> int:
        """Translate from the '(' at i through its matching ')'; return the index after it."""
        level, j = 0, i
        while j < b:
            if self.items[j].is_char("("):
                level += 1
            elif self.items[j].is_char(")"):
                level -= 1
                if level == 0:
                    break
            elif self.items[j].is_char("{"):
                j = self.braces[j]
            j += 1
        stop = min(j + 1, b)
        self.seq(i, stop)
        return stop

    def full_subscript(self, n: int, b: int) -> int:
        """Where reading goes on after a subscript at n that says "full" (\\ast_{\\mathrm{full}}), else 0."""
        if n + 1 >= b or not self.items[n].is_char("_"):
            return 0
        if not self.items[n + 1].is_char("{"):
            return 0
        close = self.braces[n + 1]
        letters = "".join(item.text for item in self.items[n + 2 : close] if item.letter)
        words = all(item.letter or item.cmd or item.is_char("{}") for item in self.items[n + 2 : close])
        return close + 1 if words and letters.endswith("full") else 0
