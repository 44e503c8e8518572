"""A problem's own wrong answers (`mistakes:`, spec/mistakes.py) as the grader's mutants, read once the problem is
solved: each value is read as a student's answer to its part is (the same spellings, formulas through the
expression language) and must have the shape of the part's answer and differ from it. They are then matched like
the kind's mistakes: same tolerance, same consistency with the student's other answers, their own credit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from hwsolver.errors import SpecError
from hwsolver.grading.answers import InvalidAnswer, is_number, read_answer, rectangular
from hwsolver.grading.checkers import Tolerance, agrees
from hwsolver.grading.formulas import Formulas
from hwsolver.grading.tally import COARSE, TRANSPOSED
from hwsolver.grading.written import written
from hwsolver.kinds import KINDS
from hwsolver.model import LecturerMistake, Mutant, Problem, Solution, Symbolic
from hwsolver.spec.node import Node, format_shape, shape_of

# the grader names these itself (a coarse rounding, a transposed matrix, a right formula in another form)
GRADER_MISTAKES = (COARSE, TRANSPOSED, "wrong_form")


def lecturer_mutants(problem: Problem, solution: Solution, taken: Iterable[str] = ()) -> tuple[Mutant, ...]:
    """The problem's own mistakes as mutants (after the kind's, whose ids are `taken`); SpecError at the value
    that cannot be one."""
    if not problem.mistakes:  # most problems, and every variant (its numbers are not the ones they were written for)
        return ()
    taken = {*taken, *GRADER_MISTAKES}
    kind = KINDS[problem.kind]
    options = {part.id: {**problem.options, **part.options} for part in problem.parts}
    found = []
    for mistake in problem.mistakes:
        if mistake.id in taken:
            raise SpecError(f"{mistake.where}: '{mistake.id}' is a mistake the grader names already: choose another id")
        answers = {}
        for part_id, node in mistake.answers.items():
            reference = solution.answers[part_id]
            part_options = options.get(part_id, problem.options)
            formulas = Formulas.for_part(reference, part_options)
            tolerance = Tolerance.from_options(part_options, base=kind.index_base)
            value = _read(node, reference, formulas, part_id in kind.position_parts)
            if agrees(value, reference, tolerance, formulas.equivalent):
                raise node.error(f"this is the right answer to part '{part_id}': a mistake's answer must differ")
            answers[part_id] = as_reference(value, reference, formulas)
        found.append(Mutant(mistake.id, mistake.feedback["en"], answers, mistake.credit))
    return tuple(found)


def lecturer_answers(problem: Problem) -> Iterator[tuple[LecturerMistake, dict[str, str]]]:
    """Each of the problem's own mistakes with its answers as a student writes them ({part id: YAML text}):
    graded, each should be named on every asked part it answers, earning its credit (`hwsolver check`)."""
    for mistake in problem.mistakes:
        yield mistake, {part_id: written(node) for part_id, node in mistake.answers.items()}


def _read(node: Node, reference: Any, formulas: Formulas, positions: bool) -> Any:
    try:
        value = read_answer(node, reference, formulas, positions)
    except InvalidAnswer as error:
        raise SpecError(f"{node.file}:{error}") from None  # its message names line, column and key path
    wrong = _shape_problem(value, reference)
    if wrong:
        raise node.error(f"{wrong} (the shape of the part's answer)")
    return value


def _shape_problem(value: Any, reference: Any, where: str = "") -> str | None:
    """How `value` is not of the reference's shape ("W2: expected a 1x2 array, got 1x3"), or None."""
    at = f"{where}: " if where else ""
    if isinstance(reference, bool | Symbolic):
        return None  # read_answer reads only a yes/no or a formula for those
    if isinstance(reference, Mapping):
        if not isinstance(value, Mapping):
            return f"{at}expected parameters by name ({', '.join(reference)})"
        if value.keys() != reference.keys():
            return f"{at}expected the names {', '.join(reference)}, got {', '.join(value)}"
        return next((found for key in reference if (found := _shape_problem(value[key], reference[key], key))), None)
    if isinstance(reference, tuple):
        if rectangular(reference):
            if type(value) is tuple and rectangular(value) and shape_of(value) == shape_of(reference):
                return None
            got = _shape_words(shape_of(value)) if type(value) is tuple else "a number"
            return f"{at}expected {_shape_words(shape_of(reference))}, got {got}"
        if type(value) is not tuple or len(value) != len(reference):
            return f"{at}expected a list of {len(reference)}"
        items = enumerate(zip(value, reference, strict=True))
        return next((found for n, (v, r) in items if (found := _shape_problem(v, r, f"{where}[{n}]"))), None)
    return None if is_number(value) else f"{at}expected a number"


def _shape_words(shape: tuple[int, ...]) -> str:
    return f"a vector of {shape[0]}" if len(shape) == 1 else f"a {format_shape(shape)} array"


def as_reference(value: Any, reference: Any, formulas: Formulas) -> Any:
    """A value read as an answer to a part whose answer is `reference`, in the form of the kind's mutants' answers
    (each formula a Symbolic in the expression language), so that answers can be compared with it."""
    if isinstance(reference, Symbolic):
        from hwsolver.expr import to_text

        return Symbolic(to_text(value), "", formulas.scope, formulas.domain)
    if isinstance(reference, Mapping) and isinstance(value, Mapping):
        return {
            key: as_reference(item, reference[key], formulas) if key in reference else item
            for key, item in value.items()
        }
    if isinstance(reference, tuple) and type(value) is tuple and not rectangular(reference):
        return tuple(as_reference(item, ref, formulas) for item, ref in zip(value, reference)) + value[len(reference) :]
    return value
