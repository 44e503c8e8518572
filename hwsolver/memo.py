"""Memos with a bound: the grader remembers what a class writes again and again, and a hostile class must not fill
memory through it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

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


class LastOne(Generic[K, V]):
    """The value made for the object last asked about (known by identity, not equality), kept while the next asked
    about is another: a variant's grading asks several times about its own network or layer, then the next
    variant's; nothing of an earlier variant is kept alive."""

    __slots__ = ("key", "value")

    def __init__(self) -> None:
        self.clear()

    def get(self, key: K, make: Callable[[K], V]) -> V:
        if self.key is not key:
            self.value = make(key)  # (made first: a make that raises leaves the last one kept)
            self.key = key
        return self.value  # type: ignore[return-value]

    def clear(self) -> None:
        self.key: Any = _NOTHING
        self.value: V | None = None


_NOTHING = object()  # LastOne's key before anything is asked (no object is it)


class cached(Generic[V]):  # a decorator, named like functools.cached_property
    """functools.cached_property without its lock: the value worked out at the first read and kept in the
    instance's __dict__ (read from there afterwards, without this descriptor). Python 3.11's cached_property takes
    a lock at every first read, about 2 us: a class's variants each make layers and passes whose properties are
    each read once or twice."""

    def __init__(self, compute: Callable[[Any], V]) -> None:
        self.compute, self.name = compute, compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value
