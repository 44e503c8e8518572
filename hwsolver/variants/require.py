"""A problem's `require:` list: the kind's named constraints every variant must meet (kinds/base.py, Constraint).

```yaml
require:
  no_relu_kink: 0.05        # with its argument (a margin)
  loss_decreases: true      # a constraint that takes none
  terminating_decimals: 6
```
or as a list: `require: [no_relu_kink, loss_decreases, {terminating_decimals: 6}]` (arguments left out take their
defaults).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hwsolver.kinds.base import Constraint, Kind
from hwsolver.spec.node import Node, close_match


@dataclass(frozen=True)
class Requirement:
    name: str
    constraint: Constraint
    argument: Any
    where: Node

    @property
    def shown(self) -> str:
        """As a message names it: `no_relu_kink: 0.05`, or the name alone."""
        return f"{self.name}: {self.where.value}" if self.constraint.argument and self.where.is_scalar else self.name


def read_require(node: Node, kind: Kind) -> tuple[Requirement, ...]:
    if isinstance(node.value, dict):
        pairs = list(node.mapping().items())
    else:
        pairs = []
        for item in node.items():
            if item.is_scalar:
                pairs.append((item.text(), None))
            else:
                entries = item.mapping()
                if len(entries) != 1:
                    raise item.error("expected a constraint's name, or {name: argument}")
                pairs.append(next(iter(entries.items())))
    found: list[Requirement] = []
    for name, value in pairs:
        constraint = kind.constraints.get(name)
        where = value if value is not None else node
        if constraint is None:
            known = tuple(kind.constraints)
            close = close_match(name, known)
            hint = f"did you mean '{close}'? " if close else ""
            raise where.error(
                f"unknown constraint '{name}' for kind {kind.name}; {hint}its constraints: {', '.join(known) or 'none'}"
            )
        if any(r.name == name for r in found):
            raise where.error(f"constraint '{name}' is required twice")
        found.append(Requirement(name, constraint, _argument(constraint, value), where))
    return tuple(found)


def _argument(constraint: Constraint, value: Node | None) -> Any:
    if not constraint.argument:
        if value is not None and not value.boolean():
            raise value.error("a constraint that is not required is left out")
        return None
    if value is None:
        return constraint.default
    return constraint.read(value) if constraint.read else value.number()
