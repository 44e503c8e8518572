"""The float training of one network with several sets of switches at once (a grader trains every classic slip
of each student's variant): copies of the whole run stacked on a leading axis, each copy the same operations on
the same numbers as its own run (vectorized.train), in one pass: on a problem's small arrays NumPy's cost is per
call, not per number."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

import numpy as np

from hwsolver.compute.networks import small, two_two_one
from hwsolver.compute.networks.network import Network
from hwsolver.compute.networks.vectorized import Passes, Run, Slips, train
from hwsolver.errors import SolveError


def train_each(net: Network, each: Sequence[Slips]) -> list[Run]:
    """[train(net, slips) for slips in each], in one run of stacked copies, a copy per `slips` (a grader trains
    every slip of each student's variant: on a problem's small arrays NumPy's cost is per call, not per number).
    The same operations on the same numbers, copy by copy; a run that raises is trained copy by copy."""
    run = _train_stacked(net, each)
    return _copies(run, len(each)) if run is not None else [train(net, slips) for slips in each]


def listed_each(net: Network, each: Sequence[Slips]) -> ListedRuns:
    """train_each(net, each) with every array as nested lists of floats (what a grader reads of a slip's run:
    every number of the parts it reads), each stacked array turned into lists when first read, once for all the
    copies (a grader reads a slip's answers to the parts a student got wrong: a part or two of a run). A small
    network's (small.py: a 2-2-1 network's, some forty numbers a run) in plain floats, NumPy's bits; the relu
    exercise's shape unrolled (two_two_one.py)."""
    if two_two_one.fits(net):
        return two_two_one.train_each(net, each)
    if small.fits(net):
        return small.train_each(net, each)
    run = _train_stacked(net, each)
    if run is None:
        return [listed(train(net, slips), 1)[0] for slips in each]
    listing = _Listing(run, len(each))
    return [ListedCopy(listing, copy) for copy in range(len(each))]


def _train_stacked(net: Network, each: Sequence[Slips]) -> Run | None:
    """One run of stacked copies, a copy per `slips`; None when a copy cannot be trained (a cross-entropy
    undefined: trained alone, it raises as it does alone)."""
    try:
        return train(net, stacked_slips(tuple(each)))
    except SolveError:
        return None


@functools.lru_cache(maxsize=64)
def stacked_slips(each: tuple[Slips, ...]) -> Slips:
    """The switches of stacked copies, a copy per `slips` (made once: every variant of a problem has the same)."""
    return Slips(**{f.name: _stacked([getattr(s, f.name) for s in each]) for f in fields(Slips)})


def _stacked(settings: list[Any]) -> Any:
    """One switch's settings, a copy's on each row of a leading axis (broadcast over matrices); a switch set
    alike in every copy is that one setting: what it switches is then worked out once, not copy by copy."""
    if all(setting == settings[0] for setting in settings):
        return settings[0]
    stacked = np.array(settings).reshape(-1, 1, 1)
    stacked.flags.writeable = False  # shared by every run of these copies
    return stacked


def _copies(run: Run, count: int, split: Callable[[Any, int, int], list[Any]] | None = None) -> list[Run]:
    """The runs of the stacked copies (what is the same for all, such as the first forward pass, shared), each
    value split into its copies by `split(value, its axes, count)` (_split: arrays; _listed: nested lists)."""
    found = {name: _field(run, name, count, split or _split) for name in _AXES}
    return [
        Run(Passes(*(found[name][copy] for name in _PASSES)), *(found[name][copy] for name in _RUN_FIELDS))
        for copy in range(count)
    ]


# A run's fields (its first passes', then its own), each with the axes of one copy's value: a layer's matrices
# (2) or vectors (1), for each layer; an array of every sample's outputs (2); a number (0), or a list of them
_AXES = {
    "zs": 2, "activations": 2, "objective": 0, "errors": 2, "grad_w": 2, "grad_b": 1,
    "weights_after": 2, "biases_after": 1, "outputs_after": 2, "history": 0,
}  # fmt: skip
_PASSES = ("zs", "activations", "objective", "errors", "grad_w", "grad_b")  # Passes' fields, in order
_RUN_FIELDS = ("weights_after", "biases_after", "outputs_after", "history")  # Run's after its first passes
_SINGLE = ("objective", "outputs_after")  # one value, not one per layer (or per step: the history)


def _field(run: Run, name: str, count: int, split: Callable[[Any, int, int], list[Any]]) -> list[Any]:
    """Each copy's value of a field of the run (`name`: of its first passes or its own), split by `split`."""
    value, axes = getattr(run.first if name in _PASSES else run, name), _AXES[name]
    if name in _SINGLE:
        return split(value, axes, count)
    if value is None:  # a network without biases
        return [None] * count
    return [list(part) for part in zip(*(split(item, axes, count) for item in value))] or [[]] * count


def listed(run: Run, count: int) -> list[Run]:
    """The runs of `count` stacked copies (1: a run of its own) with every array as nested lists of floats (the
    same numbers, as Python floats: `tolist` once per array, not once per row of each copy)."""
    return _copies(run, count, _listed)


def _listed(value: Any, dims: int, count: int) -> list[Any]:
    """The copies of a value of `dims` axes as nested lists: its rows when stacked, else itself for each."""
    if isinstance(value, list):
        return value
    if isinstance(value, float):
        return [value] * count
    listed = value.tolist()
    return listed if value.ndim > dims else [listed] * count


class _Listing:
    """The values of a stacked run as each copy's nested lists, each field listed at its first read (_copies'
    split of it, by _listed), for all the copies at once."""

    __slots__ = ("count", "found", "run")

    def __init__(self, run: Run, count: int) -> None:
        self.run, self.count = run, count
        self.found: dict[str, list[Any]] = {}

    def field(self, name: str) -> list[Any]:
        """The field's value of each copy (`name`: a field of Passes, for the first passes, or of Run)."""
        found = self.found.get(name)
        if found is None:
            found = self.found[name] = _field(self.run, name, self.count, _listed)
        return found


class _Field:
    """A field of a ListedCopy: that copy's part of the listing's field of the same name."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, copy: ListedCopy | None, owner: type | None = None) -> Any:
        return self if copy is None else copy.listing.field(self.name)[copy.copy]


class ListedCopy:
    """One copy of a stacked run as listed(run, count) gives it (a Run of nested lists, whose first passes are
    read from the copy itself), each field listed for every copy at its first read (_Listing)."""

    __slots__ = ("copy", "listing")
    zs, activations, objective, errors, grad_w, grad_b = (_Field() for _ in range(6))
    weights_after, biases_after, outputs_after, history = (_Field() for _ in range(4))

    def __init__(self, listing: _Listing, copy: int) -> None:
        self.listing, self.copy = listing, copy

    @property
    def first(self) -> ListedCopy:
        return self


# listed_each's: every slip's run, as nested lists
ListedRuns = list[Run] | list[ListedCopy] | list[small.SmallRun] | list[two_two_one.FlatRun]


def _split(value: Any, dims: int, count: int) -> list[Any]:
    """The copies of a value of `dims` axes: its rows when stacked (a list, for numbers), else itself for each."""
    if isinstance(value, list):
        return value
    return list(value) if np.ndim(value) > dims else [value] * count
