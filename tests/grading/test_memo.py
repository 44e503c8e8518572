"""What the grader remembers between students changes nothing: a generated class (the benchmark's generator: right,
rounded, mutant, equivalent, LaTeX, wrong, invalid answers and broken files; and one where a tenth of the formulas
are spellings no other student writes) graded twice over the same prepared problems, and once more in reverse
order on fresh ones, gives the same results; the fast JSON writer writes what json.dumps would."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from hwsolver.grading.grader import grade_file
from hwsolver.grading.prepared import prepare
from hwsolver.grading.reports import submission_json, submission_record
from hwsolver.solving import solve_paths

CLASSGEN = Path(__file__).parents[2] / "bench" / "classgen.py"


def _class(tmp_path_factory: pytest.TempPathFactory, distinct: float) -> list[str]:
    spec = importlib.util.spec_from_file_location("classgen", CLASSGEN)
    assert spec is not None and spec.loader is not None
    classgen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(classgen)
    folder = tmp_path_factory.mktemp("class")
    return [str(p) for p in classgen.write_class(folder, 300, seed=7, distinct=distinct)]


@pytest.fixture(scope="module")
def class_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _class(tmp_path_factory, 0.0)


@pytest.fixture(scope="module")
def distinct_files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _class(tmp_path_factory, 0.1)


@pytest.mark.parametrize("files", ["class_files", "distinct_files"])
def test_remembered_answers_grade_as_fresh_ones(files: str, request: pytest.FixtureRequest) -> None:
    class_files: list[str] = request.getfixturevalue(files)
    solutions = solve_paths()
    prepared = prepare(solutions)
    first = [grade_file(f, prepared) for f in class_files]
    again = [grade_file(f, prepared) for f in class_files]  # every answer seen before now
    fresh = prepare(solutions)
    backwards = [grade_file(f, fresh) for f in reversed(class_files)][::-1]  # remembered in another order
    assert first == again == backwards
    graded = [r for r in first if r.error is None]
    assert len(graded) > 250  # the generator breaks about 0.5 % of the files
    verdicts = {part.verdict for r in graded for p in r.problems for part in p.parts}
    assert verdicts == {"correct", "incorrect", "invalid", "missing", "partial"}
    assert any(part.mistake for r in graded for p in r.problems for part in p.parts)
    assert any(part.follow_through for r in graded for p in r.problems for part in p.parts)


def test_the_json_writer_writes_what_json_dumps_would(class_files: list[str], tmp_path: Path) -> None:
    odd = tmp_path / "学生.yaml"
    odd.write_text("student: '学生 \\ \"1\"'\nanswers:\n  no-such-problem: {a: 1}\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"  # whatever the generator's draws (they change with the built-in set)
    broken.write_text("student: [\n", encoding="utf-8")
    prepared = prepare(solve_paths())
    results = [grade_file(f, prepared) for f in [*class_files, str(broken), str(odd)]]
    assert any(r.error for r in results) and results[-1].warnings and results[-1].student == '学生 \\ "1"'
    for result in results:
        assert submission_json(result) == json.dumps(submission_record(result), ensure_ascii=False)


def test_a_one_off_long_answer_is_not_kept_as_the_context_of_another(tmp_path: Path) -> None:
    # gradients with a 5000-character comment inside: too long to remember; params_after is a named slip, whose
    # result depends on the earlier answers: it is judged afresh rather than remembered by that context
    text = """\
student: s
answers:
  relu-network-update:
    gradients:
      W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]  # {comment}
      W2: [[-0.04068, -0.05198]]
    params_after:
      W1: [[0.5774, 0.1661], [0.06384, 0.64576]]
      W2: [[0.45932, 0.74802]]
""".replace("{comment}", "x" * 5000)
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    prepared = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    for _ in range(2):
        result = grade_file(str(path), prepared)
        (part,) = [p for p in result.problems[0].parts if p.id == "params_after"]
        assert part.mistake == "sign_flipped"
    parts = {p.part.id: p for p in prepared[0].every}
    assert not parts["gradients"].seen  # too long to remember
    (slip,) = parts["params_after"].seen.values()
    assert slip.remembered and not slip.judged and slip.result is None


def test_spellings_of_one_formula_share_the_work_that_reads_it(tmp_path: Path) -> None:
    """d2 follows from d1 by a derivative taken in sympy: once per formula d1 means, not per way it is written
    (a class's spellings are many, its formulas few), and each spelling still gets its own reading's notes."""
    prepared = prepare(solve_paths(["problems/sigmoid-derivatives.yaml"]))
    spellings = ["σ(x)*(1+σ(x))", "sigma(x) * (1 + sigma(x))", "sigmoid(x)(1+sigmoid(x))", "σ(1 + σ)"]
    for n, d1 in enumerate(spellings):
        d2 = "σ(x)(1-σ(x))" + " " * n + "(1+2σ(x))"  # right for the student's own (wrong) d1; a new text each time
        path = tmp_path / f"s{n}.yaml"
        path.write_text(f"student: s{n}\nanswers:\n  sigmoid-derivatives:\n    d1: '{d1}'\n    d2: '{d2}'\n")
        parts = {p.id: p for p in grade_file(str(path), prepared).problems[0].parts}
        assert parts["d1"].verdict == "incorrect" and parts["d2"].follow_through, (d1, parts)
        assert ("σ was read as σ(x)" in parts["d1"].feedback) == (d1 == "σ(1 + σ)")
    assert len(prepared[0].reruns) == 1  # the derivative of the student's d1, taken once


def test_a_new_block_answer_is_parsed_once(tmp_path: Path) -> None:
    """An answer written as a YAML block is read for its value and again for its text as written (the `answer`
    of the JSON): its block is parsed once for both, and both still come out right."""
    from hwsolver.spec import later

    path = tmp_path / "s.yaml"
    path.write_text(
        "student: s\nanswers:\n  relu-network-update:\n    output_before:\n    - 0.274\n"
        "    params_after:\n      W1:\n      - [0.6226, 0.2339]\n      - [0.13616, 0.75424]\n      W2:\n"
        "      - - 0.54068\n        - 0.85198\n",
        encoding="utf-8",
    )
    prepared = prepare(solve_paths(["problems/relu-network-update.yaml"]))
    before = later.PLAIN_PARSES[0]
    parts = {p.id: p for p in grade_file(str(path), prepared).problems[0].parts}
    assert later.PLAIN_PARSES[0] - before == 2  # two blocks, each once (twice each without the memo)
    assert parts["output_before"].verdict == parts["params_after"].verdict == "correct"
    assert parts["output_before"].answer == "[0.274]"
    assert parts["params_after"].answer == "{W1: [[0.6226, 0.2339], [0.13616, 0.75424]], W2: [[0.54068, 0.85198]]}"


def test_a_later_part_is_judged_once_for_students_whose_answers_differ_only_where_it_does_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # params_after's follow-through reads the gradients alone: two students with the same gradients and the same
    # wrong params_after, one of them with a wrong output, share its result (the second one is not judged)
    from hwsolver.grading import grader

    judged: list[str] = []
    judge = grader._judge
    monkeypatch.setattr(grader, "_judge", lambda *args: judged.append(args[1].part.id) or judge(*args))
    common = """\
    gradients:
      W1: [[-0.0226, -0.0339], [-0.03616, -0.05424]]
      W2: [[-0.04068, -0.05198]]
    params_after:
      W1: [[0.7, 0.3], [0.2, 0.8]]
      W2: [[0.6, 0.9]]
"""
    paths = []
    for student, output in (("a", "[0.274]"), ("b", "[0.3]")):
        path = tmp_path / f"{student}.yaml"
        path.write_text(f"student: {student}\nanswers:\n  relu-network-update:\n    output_before: {output}\n{common}")
        paths.append(str(path))
    prepared = prepare(solve_paths())
    first, second = (grade_file(path, prepared) for path in paths)
    assert judged.count("params_after") == 1
    fresh = grade_file(paths[1], prepare(solve_paths()))  # graded alone, with nothing remembered
    assert second.problems == fresh.problems
    assert [p for p in first.problems[0].parts if p.id == "params_after"] == [
        p for p in second.problems[0].parts if p.id == "params_after"
    ]


def test_the_slips_of_a_wrong_formula_are_worked_out_once_for_all_its_spellings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # three students write one wrong derivative three ways: the kind's slips are matched against it once, and each
    # spelling's result is the one it gets graded alone
    from hwsolver.grading import slips

    matched: list[str] = []
    matching = slips._matching_mutants
    monkeypatch.setattr(
        slips, "_matching_mutants", lambda part, value: matched.append(part.part.id) or matching(part, value)
    )
    paths = []
    for n, d1 in enumerate(["σ(x)*(1+σ(x))", "sigmoid(x) * (1 + sigmoid(x))", "σ(x)(1 + σ(x))"]):
        path = tmp_path / f"s{n}.yaml"
        path.write_text(f"student: s{n}\nanswers:\n  sigmoid-derivatives:\n    d1: '{d1}'\n", encoding="utf-8")
        paths.append(str(path))
    prepared = prepare(solve_paths())
    results = [grade_file(path, prepared) for path in paths]
    assert matched.count("d1") == 1
    for path, result in zip(paths, results):
        assert result == grade_file(path, prepare(solve_paths()))  # graded alone, with nothing remembered
        (part,) = (p for p in result.problems[1].parts if p.id == "d1")
        assert part.verdict == "incorrect"
