"""A slip's answers worked out part by part when first read (a kind's mutants, Kind.mutants): a wrong answer
needs the slips' answers to its own part alone, and a variant's student seldom gets more than one or two parts
wrong; the computation they share (a backward pass, a stacked training run) is made at the first read, once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any


class Later(Mapping[str, Any]):
    """A slip's answers by part, each made by its function when first read; a part whose function is None by
    `made` (a subclass's: a part read from the pass it shares with the slip's other parts)."""

    __slots__ = ("found", "make")

    def __init__(self, make: dict[str, Callable[[], Any] | None]) -> None:
        self.make: dict[str, Callable[[], Any] | None] = make
        self.found: dict[str, Any] = {}

    def __getitem__(self, part: str) -> Any:
        if part not in self.found:
            make = self.make[part]  # KeyError: a part the slip does not show in
            self.found[part] = make() if make is not None else self.made(part)
        return self.found[part]

    def made(self, part: str) -> Any:
        raise NotImplementedError(f"no function makes the slip's answer to {part}")

    def get(self, part: str, default: Any = None) -> Any:  # without Mapping.get's KeyError for another part
        return self[part] if part in self.make else default

    def __contains__(self, part: object) -> bool:
        return part in self.make  # without working the answer out

    def __iter__(self) -> Iterator[str]:
        return iter(self.make)

    def __len__(self) -> int:
        return len(self.make)


def once(compute: Callable[[], Any]) -> Callable[[], Any]:
    """compute(), worked out at the first call only (made for every variant: cheaper than functools.cache)."""
    found: list[Any] = []

    def get() -> Any:
        if not found:
            found.append(compute())
        return found[0]

    return get
