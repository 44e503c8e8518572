"""Benchmark: grading a class from the command line, against the floor and against a naive grader.

Run: python bench/bench_grade.py [N [ROUNDS [DISTINCT]]]   (default 10000 submissions, 3 rounds, 0.1; after
`pip install -e .`). Two classes: one whose formula answers repeat as a class's do, and one where DISTINCT of them
are strings no other student writes (classgen.py), each graded from scratch:
- floor: parsing the same N files with PyYAML's C loader in one process (no grading at all);
- ours: `hwsolver grade FOLDER --format json`, a fresh process, start-up and both cores included;
- naive: a grader that runs sympy.simplify(a - b) == 0 for each formula answer, timed on a sample and scaled.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from classgen import INVALID, write_class

NAIVE_SAMPLE = 30


CPU: dict[str, list[float]] = {"floor": [], "ours": []}  # processor seconds of each run (a loaded machine's
# other work does not count there, as it does in the wall-clock time)


def floor(paths: list[Path]) -> float:
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        with open(path, "rb") as stream, contextlib.suppress(yaml.YAMLError):
            yaml.load(stream, Loader=yaml.CSafeLoader)
    CPU["floor"].append(time.process_time() - cpu)
    return time.perf_counter() - start


# hwsolver as installed: pip compiles a package's modules when it installs them. An environment that forbids
# writing bytecode (PYTHONDONTWRITEBYTECODE, set on some machines) would make every start compile them again
# (about 0.2 s), a cost no installed hwsolver pays; the warm-up run writes the bytecode.
AS_INSTALLED = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def ours(folder: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "hwsolver", "grade", str(folder), "--format", "json"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=AS_INSTALLED,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the grader and its workers, all waited for
    CPU["ours"].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return time.perf_counter() - start


def naive_per_submission(paths: list[Path]) -> float:
    """sympy.simplify(student - reference) == 0 for every formula answer (as a grader without our gate would)."""
    import sympy
    from sympy.parsing.latex import parse_latex  # noqa: F401  (imported as a naive grader would)

    from hwsolver.expr import to_sympy
    from hwsolver.grading.prepared import prepare
    from hwsolver.model import Symbolic
    from hwsolver.solving import solve_paths

    prepared = prepare(solve_paths())
    references = {
        (p.problem.id, part.part.id): to_sympy(part.formulas.parse(part.reference.expr))
        for p in prepared
        for part in p.parts
        if isinstance(part.reference, Symbolic)
    }
    start = time.perf_counter()
    for path in paths[:NAIVE_SAMPLE]:
        try:
            data = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
            continue
        for (problem_id, part_id), reference in references.items():
            text = (data["answers"].get(problem_id) or {}).get(part_id)
            if not isinstance(text, str) or text.startswith("$") or text in INVALID:
                continue  # the naive grader cannot read LaTeX; it is also spared the hostile strings
            try:
                student = sympy.sympify(text.replace("^", "**"))
                sympy.simplify(student - reference) == 0  # noqa: B015
            except Exception:
                continue
    return (time.perf_counter() - start) / min(NAIVE_SAMPLE, len(paths))


def measure(folder: Path, paths: list[Path], rounds: int) -> tuple[float, float]:
    """(floor, ours): the best of `rounds` each."""
    ours(folder)  # warm the file cache
    CPU["floor"].clear()
    CPU["ours"].clear()
    # This machine's speed drifts from minute to minute: floor and ours alternate, and the best of each counts.
    bases, mine = [], []
    for _ in range(rounds):
        bases.append(floor(paths))
        mine.append(ours(folder))
        print(f"  round: floor {bases[-1]:5.2f} s, ours {mine[-1]:5.2f} s ({mine[-1] / bases[-1]:.2f}x)")
    return min(bases), min(mine)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    distinct = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
    with tempfile.TemporaryDirectory() as temporary:
        for share in (0.0, distinct):
            folder = Path(temporary) / f"class-{share}"
            paths = write_class(folder, count, distinct=share)
            size = sum(p.stat().st_size for p in paths)
            kind = f"{share:.0%} of the formula answers distinct strings" if share else "answers repeat as a class's do"
            print(f"{count} submissions, {size / 1e6:.1f} MB ({kind})")
            base, best = measure(folder, paths, rounds)
            print(f"floor: PyYAML C loader, parse only, 1 process   {base:7.2f} s   (best of {rounds})")
            print(f"hwsolver grade (start-up included, 2 cores)     {best:7.2f} s   {best / base:5.2f}x the floor")
            cpu_floor, cpu_ours = min(CPU["floor"]), min(CPU["ours"])
            print(f"processor time: floor {cpu_floor:.2f} s, ours {cpu_ours:.2f} s on both cores together")
        naive = naive_per_submission(paths) * count
        naive_label = f"naive sympy.simplify grader (from {NAIVE_SAMPLE} files)"
        print(f"{naive_label:<48}{naive:7.1f} s   {naive / best:5.0f}x ours")


if __name__ == "__main__":
    main()
