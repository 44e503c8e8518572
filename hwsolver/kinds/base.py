"""What every problem kind provides; kinds are plain modules listed in the registry (kinds/__init__.py).

Optional hooks, looked up with getattr (the grader's: grading/prepared.py, slips.py, follow.py, rounding.py):
- `MISTAKES`: {mistake id: default share of the points}, every id `mistakes` may name (`mistake_credit` keys);
- `mistakes(problem, solution)`: the kind's classic slips, as Mutants (credit from MISTAKES);
- `follow_through(problem, solution)`: Routes, each working a part out from a student's own earlier answers;
- `trivial(problem, solution, part_id, value)`: whether a wrong answer leaves later work trivial (a copy of the
  given values, a routing that ignores the input), so that nothing follows through from it;
- `chain(problem, solution)`: the computation as the steps a student writes down (a Chain), for the rounding of
  values on the way;
- `evidence(problem, solution, part_id, value)`: a better account than the checker's of how a wrong answer
  differs (op_count: at small whole sizes), or None;
- `handout_extras(solution)`: what the kind's handout template shows besides the solution.
Optional constants: `INDEX_BASE` (0 or 1, default 1: where feedback starts counting entries, items and windows, as
the statement does) and `POSITION_PARTS` (parts whose answers end in a [row, column] axis: read also as a list of
pairs, and scored per position).
"""

from __future__ import annotations

from typing import Any, Protocol

from hwsolver.model import Problem, Solution
from hwsolver.node import Node


class Kind(Protocol):
    # A short name for people ("gradient-descent update of a fully-connected network").
    DESCRIPTION: str

    def parse_given(self, node: Node) -> Any:
        """Validate the spec's `given` into the kind's own frozen input; SpecError naming the field if bad."""

    def parts(self, given: Any) -> tuple[str, ...]:
        """Every part id this kind answers for this input, in the order a solution presents them."""

    def solve(self, problem: Problem, *, exact: bool = True) -> Solution:
        """All answers of `parts`; `exact=False` skips the exact path (large networks, benchmarks)."""
