"""Slips of a computation by name: a computation that can make classic mistakes takes the names of those to make
(one, several at once, or none) and checks them against the ones it knows (its SLIPS)."""

from __future__ import annotations


def named_slips(slip: str | tuple[str, ...] | None, known: tuple[str, ...]) -> tuple[str, ...]:
    """The slips to make, as a tuple of names, each one of `known` (ValueError otherwise)."""
    slips = (slip,) if isinstance(slip, str) else tuple(slip or ())
    unknown = [name for name in slips if name not in known]
    if unknown:
        raise ValueError(f"unknown slip {unknown[0]!r}")
    return slips
