"""Kind `mlp_backprop`: gradient-descent updates of a fully-connected network, exact and in float64 (the given:
given.py; mistakes: grading.py; follow-through: follow.py; labels, sentences and the drawing: explain.py)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from hwsolver.compute.networks import exact as exact_path
from hwsolver.compute.networks import minibatch, stacked, two_two_one, vectorized
from hwsolver.compute.networks.network import Network
from hwsolver.kinds.base import Kind, PartInfo
from hwsolver.kinds.mlp_backprop.answers import Layout, exact_answers, listed_answers, listed_layouts
from hwsolver.kinds.mlp_backprop.given import GIVEN, parse_given
from hwsolver.model import Problem, Solution
from hwsolver.witness import check_agreement

PARTS = (
    PartInfo("forward", "per layer, {z: [...], a: [...]} (for a mini-batch: a list of those per sample)"),
    PartInfo("output_before", "a number or vector: the output a(L) (for a mini-batch: one per sample)"),
    PartInfo("loss_before", "a number: the objective before the update"),
    PartInfo("errors", "a list per layer: e(1), e(2), ... as vectors (for a mini-batch: one such list per sample)"),
    PartInfo(
        "gradients",
        "parameters by name: W1 (a matrix), b1 (a vector), ... the objective's gradients (mini-batch SGD: the "
        "first iteration's)",
    ),
    PartInfo("iteration_params", "a list of parameters by name (like gradients): the values after each iteration"),
    PartInfo("iteration_loss", "a list of numbers: each iteration's batch objective, before its update"),
    PartInfo("epoch_loss", "a list of numbers: the whole dataset's objective after each epoch"),
    PartInfo("run_iteration_loss", "by run name (runs): a list of numbers, that run's iteration_loss"),
    PartInfo("run_epoch_loss", "by run name (runs): a list of numbers, that run's epoch_loss"),
    PartInfo("params_after", "parameters by name, like gradients: their values after the last step"),
    PartInfo("output_after", "like output_before, with the parameters after the last step"),
    PartInfo("loss_after", "a number: the objective after the last step"),
    PartInfo("loss_decreased", "yes or no: is loss_after below loss_before"),
    PartInfo("loss_history", "a list of numbers: the objective before each step and after the last"),
)


_SGD_ONLY = ("iteration_params", "iteration_loss", "epoch_loss")
_RUNS_ONLY = ("run_iteration_loss", "run_epoch_loss")


def parts_for(given: Network) -> tuple[str, ...]:
    """Every part with mini-batch SGD (a schedule) and runs to compare; without, all but theirs."""
    left_out = (*(() if given.schedule else _SGD_ONLY), *(() if given.runs else _RUNS_ONLY))
    return tuple(part.id for part in PARTS if part.id not in left_out)


def solve(problem: Problem, *, exact: bool = True, slips: vectorized.Slips = vectorized.RIGHT) -> Solution:
    """Every answer, exactly (checked by the witness) or in float64 alone; `slips` switches on classic mistakes
    in the float path (grading.py's mutants)."""
    net: Network = problem.given
    if net.schedule is not None:
        return _sgd_solution(problem, exact=exact and slips == vectorized.RIGHT, slips=slips)
    if not exact or slips != vectorized.RIGHT:
        return Solution(problem, _float_answers(net, vectorized.train(net, slips)), {"network": net})
    steps, final_samples, final_objective = exact_path.train(net)
    answers = exact_answers(net, steps, final_samples, (*(s.objective for s in steps), final_objective))
    work = {"network": net, "steps": steps, "final": final_samples, "final_objective": final_objective}
    return Solution(problem, answers, work)


def slipped(problem: Problem, each: Sequence[vectorized.Slips], parts: Sequence[str]) -> list[Mapping[str, Any]]:
    """solve(problem, exact=False, slips=slips).answers to `parts` for each of `each`: without a schedule, from one
    stacked float run (stacked.py; a small network's in plain floats, small.py) made when the first answer is read,
    each part's answers assembled when first read (a grader reads the slips' answers to the parts a student got
    wrong alone); mini-batch SGD slip by slip."""
    net: Network = problem.given
    if net.schedule is not None:
        return [_only(solve(problem, exact=False, slips=slips).answers, parts) for slips in each]
    runs = _Stacked(net, each)
    parts = tuple(parts)
    return [_Slipped(runs, copy, parts) for copy in range(len(each))]


class _Stacked:
    """The slips' stacked run, made at the first read, each part's layouts (every slip's) at their first, and a
    slip's answer to a part at its first (a grader lays every slip's answers out for a part a student got wrong, and
    reads an answer itself only to tell whether a slip changes an earlier part)."""

    __slots__ = ("by_part", "each", "layouts", "net", "runs")

    def __init__(self, net: Network, each: Sequence[vectorized.Slips]) -> None:
        self.net, self.each = net, each
        self.runs: stacked.ListedRuns | None = None
        self.by_part: dict[tuple[int, str], Any] = {}  # by slip and part
        self.layouts: dict[str, list[Layout | None]] = {}  # by part, every slip's (grading's float_layout)

    def answer(self, copy: int, part: str) -> Any:
        found = self.by_part.get((copy, part))
        if found is None:
            found = self.by_part[copy, part] = listed_answers(self.net, self._runs()[copy], (part,))[part]
        return found

    def layout(self, copy: int, part: str) -> Layout | None:
        found = self.layouts.get(part)
        if found is None:
            runs = self._runs()
            if type(runs[0]) is two_two_one.FlatRun:  # laid out as it was trained
                found = self.layouts[part] = [run.laid(part) for run in runs]  # type: ignore[union-attr]
            else:
                found = self.layouts[part] = listed_layouts(self.net, runs, part)
        return found[copy]

    def _runs(self) -> stacked.ListedRuns:
        if self.runs is None:
            self.runs = stacked.listed_each(self.net, self.each)
        return self.runs


class _Slipped(Mapping[str, Any]):
    """One slip's answers to `parts`, read from the stacked run (a grader reads them for every variant)."""

    __slots__ = ("copy", "parts", "runs")

    def __init__(self, runs: _Stacked, copy: int, parts: tuple[str, ...]) -> None:
        self.runs, self.copy, self.parts = runs, copy, parts

    def __getitem__(self, part: str) -> Any:
        if part not in self.parts:
            raise KeyError(part)
        return self.runs.answer(self.copy, part)

    def get(self, part: str, default: Any = None) -> Any:  # without Mapping.get's KeyError for another part
        return self.runs.answer(self.copy, part) if part in self.parts else default

    def layout(self, part: str) -> Layout | None:
        """The answer's layout as grading lays it out, without the answer (None: lay the answer out)."""
        return self.runs.layout(self.copy, part) if part in self.parts else None

    def __contains__(self, part: object) -> bool:
        return part in self.parts

    def __iter__(self) -> Iterator[str]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)


def _only(answers: dict[str, Any], parts: Sequence[str]) -> dict[str, Any]:
    return {part: answers[part] for part in parts}


def witness(problem: Problem, solution: Solution) -> None:
    """The vectorized float64 training (whole layers and batches at once) agrees with the exact one."""
    net: Network = problem.given
    if net.schedule is not None:
        check_agreement(problem.id, solution.answers, _sgd_solution(problem, exact=False).answers)
        return
    check_agreement(problem.id, solution.answers, _float_answers(net, vectorized.train(net)))


def _sgd_solution(problem: Problem, *, exact: bool, slips: vectorized.Slips = vectorized.RIGHT) -> Solution:
    """Mini-batch SGD (and the runs compared), exactly or in float64 with `slips`; answers in the parts' order."""
    net: Network = problem.given
    if not exact:
        train = lambda network: minibatch.train_float(network, slips)  # noqa: E731
        answers = {**_float_sgd(net, train(net)), **_compared(net, train)}
        return Solution(problem, {part: answers[part] for part in parts_for(net)}, {"network": net})
    run = minibatch.train_exact(net)
    steps = tuple(it.step for it in run.iterations)
    work = {"network": net, "steps": steps, "final": run.final_samples, "final_objective": run.epochs[-1], "sgd": run}
    answers = {**_exact_sgd(net, run), **_compared(net, minibatch.train_exact)}
    return Solution(problem, {part: answers[part] for part in parts_for(net)}, work)


def _compared(net: Network, train: Any) -> dict[str, Any]:
    """Each run's iteration and epoch losses by name (none without runs)."""
    if not net.runs:
        return {}
    done = {name: train(replace(net, schedule=schedule)) for name, schedule in net.runs}
    return {
        "run_iteration_loss": {name: tuple(run.losses) for name, run in done.items()},
        "run_epoch_loss": {name: tuple(run.epochs) for name, run in done.items()},
    }


def _exact_sgd(net: Network, run: minibatch.ExactRun) -> dict[str, Any]:
    """The first iteration's passes, the end, and each iteration's and epoch's values; the history is the whole
    dataset's objective at the start and after each epoch."""
    steps = tuple(it.step for it in run.iterations)
    answers = exact_answers(net, steps, run.final_samples, (run.start, *run.epochs))
    iterations = {
        "iteration_params": tuple(step.params_after.named() for step in steps),
        "iteration_loss": run.losses,
        "epoch_loss": run.epochs,
    }
    return {**answers, **iterations}


def _float_sgd(net: Network, run: minibatch.FloatRun) -> dict[str, Any]:
    weights, biases = run.params[-1]
    end = vectorized.Run(run.first, weights, biases, run.outputs_after, [run.start, *run.epochs])
    iterations = {
        "iteration_params": tuple(minibatch.named(w, b) for w, b in run.params),
        "iteration_loss": tuple(run.losses),
        "epoch_loss": tuple(run.epochs),
    }
    return {**_float_answers(net, end), **iterations}


def _float_answers(net: Network, run: vectorized.Run) -> dict[str, Any]:
    return listed_answers(net, stacked.listed(run, 1)[0])


# grading.py calls solve (its mutants are the float path with a slip): imported once it is defined.
from hwsolver.kinds.mlp_backprop import examples, explain, follow, forms, grading, require  # noqa: E402

KIND = Kind(
    name="mlp_backprop",
    description="gradient-descent update of a fully-connected network",
    given=GIVEN,
    parse_given=parse_given,
    parts=PARTS,
    parts_for=parts_for,
    solve=solve,
    witness=witness,
    mistakes=grading.MISTAKES,
    mutants=grading.mutants,
    pairs=grading.pairs,
    example=examples.example,
    strings=explain.STRINGS,
    labels=explain.LABELS,
    follow_through=follow.follow_through,
    chain=follow.chain,
    trivial=follow.trivial,
    drawing=explain.drawing,
    constraints=require.CONSTRAINTS,
    extras=explain.extras,
    answer_forms=forms.answer_forms,
)
