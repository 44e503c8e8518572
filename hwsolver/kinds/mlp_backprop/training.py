"""The training settings of an mlp_backprop problem: the mini-batch schedule (batch_size, epochs and each epoch's
order of the samples, given as `order`, sample numbers from 1, or drawn by a seeded shuffle, `shuffle_seed`),
and the parameters that are frozen."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from hwsolver.compute.networks.network import Params, Schedule
from hwsolver.spec.node import Node

_KEYS = ("batch_size", "epochs", "order", "shuffle_seed", "runs")
MAX_EPOCHS = 1000
MAX_ITERATIONS = 10_000


def shuffled(seed: int, samples: int, epochs: int) -> tuple[tuple[int, ...], ...]:
    """Each epoch's order (0-based): random.Random(seed).shuffle of the samples, once per epoch in turn."""
    rng = random.Random(seed)
    orders = []
    for _ in range(epochs):
        order = list(range(samples))
        rng.shuffle(order)
        orders.append(tuple(order))
    return tuple(orders)


def schedule_of(fields: Any, samples: int) -> Schedule | None:
    """The schedule the given sets, or None (full-batch `steps`) when it sets none of its keys."""
    if not any(key in fields for key in _KEYS):
        return None
    batch_size = min(fields["batch_size"].integer(minimum=1), samples) if "batch_size" in fields else samples
    epochs = None
    if "epochs" in fields:
        epochs = fields["epochs"].integer(minimum=1)
        if epochs > MAX_EPOCHS:
            raise fields["epochs"].error(f"at most {MAX_EPOCHS} epochs")
    orders = _orders(fields["order"], samples, epochs) if "order" in fields else None
    epochs = epochs or (len(orders) if orders else 1)
    seed = fields["shuffle_seed"].integer(minimum=0) if "shuffle_seed" in fields else None
    if seed is not None:
        drawn = shuffled(seed, samples, epochs)
        if orders is not None and orders != drawn:
            raise fields["order"].error(
                f"order differs from the shuffle of seed {seed} ({_numbered(drawn)}): give one of them"
            )
        orders = drawn
    orders = orders or (tuple(range(samples)),) * epochs
    schedule = Schedule(batch_size, orders, seed)
    if len(schedule.batches()) > MAX_ITERATIONS:
        raise fields["epochs"].error(f"at most {MAX_ITERATIONS} iterations (epochs x batches per epoch)")
    return schedule


def runs_of(fields: Any, schedule: Schedule | None, samples: int) -> tuple[tuple[str, Schedule], ...]:
    """The runs to compare, by name: each the schedule with its own batch size (epochs and orders shared)."""
    if "runs" not in fields:
        return ()
    assert schedule is not None  # `runs` makes a schedule
    node = fields["runs"]
    runs = []
    for name, run in node.mapping().items():
        entries = run.fields(["batch_size"])
        runs.append((name, replace(schedule, batch_size=min(entries["batch_size"].integer(minimum=1), samples))))
    if not runs:
        raise node.error("expected at least one run, e.g. {GD: {batch_size: 4}, SGD: {batch_size: 2}}")
    if sum(len(run.batches()) for _, run in runs) > MAX_ITERATIONS:
        raise node.error(f"at most {MAX_ITERATIONS} iterations in all runs")
    return tuple(runs)


def _orders(node: Node, samples: int, epochs: int | None) -> tuple[tuple[int, ...], ...]:
    items = node.items()
    if epochs is not None and len(items) != epochs:
        raise node.error(f"expected one order per epoch ({epochs}), got {len(items)}")
    if not items:
        raise node.error("expected one order per epoch")
    orders = []
    for item in items:
        numbers = tuple(entry.integer(minimum=1) for entry in item.items())
        if sorted(numbers) != list(range(1, samples + 1)):
            raise item.error(f"expected each of the samples 1 to {samples} once, got {list(numbers)}")
        orders.append(tuple(n - 1 for n in numbers))
    return tuple(orders)


def _numbered(orders: tuple[tuple[int, ...], ...]) -> str:
    return ", ".join(str([i + 1 for i in order]) for order in orders)


def frozen_of(fields: Any, params: Params) -> frozenset[str]:
    """The names of the parameters not updated: those `frozen` lists, or every one `trainable` leaves out (both
    may be given when they say the same)."""
    names = tuple(params.named())
    found = {}
    for key in ("frozen", "trainable"):
        if key in fields:
            listed = frozenset(_names(fields[key], names))
            found[key] = listed if key == "frozen" else frozenset(names) - listed
    if not found:
        return frozenset()
    if len(set(found.values())) > 1:
        raise fields["trainable"].error("frozen and trainable disagree: give one of them")
    frozen = next(iter(found.values()))
    if frozen == frozenset(names):
        raise fields[next(iter(found))].error("every parameter would be frozen: nothing would train")
    return frozen


def _names(node: Node, names: tuple[str, ...]) -> list[str]:
    listed: list[str] = []
    for item in node.items():
        name = item.text()
        if name not in names:
            raise item.error(f"no parameter {name}: the network has {', '.join(names)}")
        if name in listed:
            raise item.error(f"{name} is listed twice")
        listed.append(name)
    return listed
