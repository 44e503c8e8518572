"""A hostile class: broken, oversized, malicious and mistyped submissions graded in one batch with good ones.

The good submissions must keep their scores, every bad one gets its own row or its own invalid part, nothing
a student wrote is executed, and nothing hangs.
"""

from __future__ import annotations

import builtins
import time
from pathlib import Path

import pytest

from hwsolver.grading import batch
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths

GOOD = """\
student: GOOD{n}
answers:
  relu-network-update:
    output_before: 0.274
    params_after:
      W1: [[0.6226, 0.2339], [0.13616, 0.75424]]
      W2: [[0.54068, 0.85198]]
    loss_decreased: yes
"""
GOOD_SCORE = 5  # output_before 1 + params_after 3 + loss_decreased 1

ANSWER = "student: BAD{n}\nanswers:\n  relu-network-update:\n    output_before: {answer}\n"

# Whole files that cannot be graded: each must get a row with an error.
BROKEN_FILES: list[str | bytes] = [
    "",
    "# nothing\n",
    "student: [unclosed\n",
    "student: x\nanswers: !!python/object/apply:os.system ['touch /tmp/hwsolver-pwned']\n",
    "student: !!python/name:os.system x\nanswers: {}\n",
    "student: &a x\nanswers: *a\n",
    "a: &a [1,1,1,1]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\nstudent: x\nanswers: *c\n",
    "student: x\nstudent: y\nanswers: {}\n",
    "student: x\nanswers: {}\n---\nstudent: y\n",
    "answers: {}\n",
    "student: x\n",
    "student: [1, 2]\nanswers: {}\n",
    "student: x\nanswers: {}\nextra: 1\n",
    "- a list\n- not a mapping\n",
    "just a sentence",
    b"\x00\x01\x02\x03 binary",
    b"\xff\xfe not utf-8 \xc3\x28",
    "student: x\nanswers: {}\n# " + "x" * 1_100_000 + "\n",
    "student: x\nanswers: " + "[" * 100 + "]" * 100 + "\n",
    "student: x\nanswers: {relu-network-update: {output_before: " + "{a: " * 60 + "1" + "}" * 60 + "}}\n",
    "student: " + "x" * 500 + "\nanswers: {}\n",
    "student: x\nanswers:\n  relu-network-update: !!binary aGVsbG8=\n",
]

# Answers that are bad for their part only: each costs that part, the rest of the file is graded.
BAD_ANSWERS = [
    "__import__('os').system('touch /tmp/hwsolver-pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "eval('1')",
    "exec('import os')",
    "open('/etc/passwd').read()",
    "lambda: 0.274",
    "[x for x in range(10**9)]",
    "`rm -rf /`",
    "9**9**9**9",
    "10**100000",
    "2^2^2^2^2^2^2",
    "factorial(100000)",
    "(" * 5000 + "1" + ")" * 5000,
    "1" * 5000,
    '"' + "a" * 3000 + '"',
    "$\\input{/etc/passwd}$",
    "$\\def\\x{\\x}\\x$",
    "$\\write18{rm -rf /}$",
    "$\\frac{1}{0}$",
    "1/0",
    "sqrt(-1)",
    "log(0)",
    ".nan",
    ".inf",
    "yes",
    "[0.274, 0.274]",
    "[[0.274], [0.274]]",
    "{value: 0.274}",
    "null",
    "0x1p-2",
    "1e999999",
    "x",
    "sigmoid(",
    "°C",
    "\u202e0.274",
]


@pytest.fixture(scope="module")
def prepared():
    return prepare(solve_paths(["problems/relu-network-update.yaml"]))


def test_hostile_batch(tmp_path: Path, prepared, monkeypatch) -> None:
    assert len(BROKEN_FILES) + len(BAD_ANSWERS) >= 40
    import multiprocessing.popen_fork
    import multiprocessing.sharedctypes  # noqa: F401

    import sympy
    import sympy.parsing.sympy_parser

    called = []
    # exec stays: the import system itself runs modules with it
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: called.append(a))
    monkeypatch.setattr(sympy, "sympify", lambda *a, **k: called.append(a))
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", lambda *a, **k: called.append(a))
    files, expected = [], []
    for n, text in enumerate(BROKEN_FILES):
        files.append(_write(tmp_path, f"{len(files):03}-broken.yaml", text))
        expected.append("error")
        files.append(_write(tmp_path, f"{len(files):03}-good.yaml", GOOD.format(n=n)))
        expected.append("good")
    for n, answer in enumerate(BAD_ANSWERS):
        quoted = (
            answer if answer.startswith(("[", "{", "'", '"', ".", "$")) or answer in ("yes", "null") else repr(answer)
        )
        if answer.startswith("$"):
            quoted = repr(answer)
        files.append(_write(tmp_path, f"{len(files):03}-answer.yaml", ANSWER.format(n=n, answer=quoted)))
        expected.append("bad answer")
    start = time.monotonic()
    results = batch.grade_all([str(f) for f in files], prepared, jobs=2)
    elapsed = time.monotonic() - start
    assert elapsed < 60
    assert called == []
    assert not Path("/tmp/hwsolver-pwned").exists()
    assert len(results) == len(files)
    for result, kind, path in zip(results, expected, files):
        assert result.file == str(path)
        if kind == "good":
            assert result.error is None and result.score == GOOD_SCORE, (path, result)
        elif kind == "error":
            assert result.error and result.score == 0 and result.problems == (), (path.read_bytes()[:80], result)
            assert "\n" not in result.error and "Traceback" not in result.error
        else:
            assert result.error is None, (path.read_text()[:100], result.error)
            part = {p.id: p for p in result.problems[0].parts}["output_before"]
            blank = "output_before: null" in path.read_text()  # a key with no value: no answer
            assert part.verdict in (("missing",) if blank else ("invalid", "incorrect")), (path.read_text()[:100], part)
            assert part.score == 0
            assert part.feedback and "Traceback" not in part.feedback


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path
