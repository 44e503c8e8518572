"""Benchmark: grading a class where every student has their own variant of the whole homework, against the same
class without variants, and where preparing a variant spends its time.

Run: python bench/bench_variants.py [N [ROUNDS]]   (default 10000 students, 3 rounds; after `pip install -e .`).
- the lock: N students' variants, drawn as `hwsolver assign` draws them (in a process per core, then written once);
- two classes of N submissions, their answers drawn alike (classgen.py: right, rounded, a classic mistake, another
  spelling, wrong, invalid), one against the problems as written, one against each student's own variant;
- `hwsolver grade FOLDER --format json` on each (with `--lock` for the second), best of ROUNDS, wall-clock and
  processor time (the grader and its workers);
- a variant's share of grading by stage, as a worker spends it (building the problem from the lock, solving it,
  preparing it lazily, grading its student's answers with the slips and allowances they need), per problem
  with variants, in milliseconds, with how often the slips and the allowances were worked out.
"""

from __future__ import annotations

import gc
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from bench_grade import AS_INSTALLED
from classgen import SEEN, submission, write_class

from hwsolver.errors import SpecError
from hwsolver.grading import prepared as preparing
from hwsolver.grading.grader import grade_problem
from hwsolver.grading.submission import read_submission
from hwsolver.grading.workers import GC_THRESHOLD
from hwsolver.solving import solve, solve_paths
from hwsolver.spec.sets import load_set
from hwsolver.variants.drawing import ProblemVariants
from hwsolver.variants.grading import Chooser
from hwsolver.variants.lock import lock_text, read_lock

SAMPLE = 300  # variants per problem timed stage by stage


def _draw(students: list[str]) -> list[tuple[str, dict]]:
    homework = load_set()
    makers = [ProblemVariants(entry) for entry in homework.entries]
    return [(s, {m.entry.problem.id: m.draw(homework.salt, s).given for m in makers}) for s in students]


def make_lock(path: Path, students: list[str]) -> None:
    chunks = [students[i : i + 250] for i in range(0, len(students), 250)]
    with multiprocessing.get_context("fork").Pool() as pool:
        drawn = [pair for chunk in pool.map(_draw, chunks) for pair in chunk]
    homework = load_set()
    path.write_text(lock_text(homework.id or "", homework.salt or "", drawn), encoding="utf-8")


def _write_variant_class(args: tuple[Path, Path, list[int]]) -> None:
    folder, lock_path, numbers = args
    homework, lock = load_set(), read_lock(lock_path)
    chooser, base = Chooser(homework, lock), preparing.prepare(solve_paths())
    rng = random.Random(numbers[0])
    SEEN.clear()
    for n in numbers:
        student = f"PB{21000000 + n}"
        text = submission(n, chooser(student, base), rng)
        (folder / f"{student}.yaml").write_text(text, encoding="utf-8")


def write_variant_class(folder: Path, lock_path: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    chunks = [(folder, lock_path, list(range(i, min(i + 500, count)))) for i in range(0, count, 500)]
    with multiprocessing.get_context("fork").Pool() as pool:
        pool.map(_write_variant_class, chunks)


def grade(folder: Path, *extra: str) -> tuple[float, float]:
    """(wall-clock, processor) seconds of one `hwsolver grade` run, start-up and workers included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    command = [sys.executable, "-m", "hwsolver", "grade", str(folder), "--format", "json", *extra]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=AS_INSTALLED)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - start, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def stages(lock_path: Path, folder: Path) -> None:
    """Where a variant's share of grading goes, per problem with variants (processor milliseconds per variant),
    as a grading worker spends it: the variant built from its lock entry (read once), solved (the exact path),
    prepared (lazily), and its student's answers graded with the slips and rounding allowances worked out where
    a wrong answer needs them (how often: the mutants column, variants that needed them; allowances, parts)."""
    homework, lock = load_set(), read_lock(lock_path)
    base = {p.problem.id: p for p in preparing.prepare(solve_paths())}
    parts = preparing.part_ids(list(base.values()))
    students = list(lock.students)[:SAMPLE]
    answers = {}
    for student in students:
        try:
            answers[student] = read_submission(folder / f"{student}.yaml", parts).answers
        except SpecError:  # an unreadable file (the class has a few): no answers to grade
            answers[student] = {}
    # the collector as a worker sets it (workers._serve): Python's default would charge a stage with collections
    # that walk everything read so far (one run's column moved by a third from the next's)
    gc.set_threshold(GC_THRESHOLD)
    gc.freeze()
    print(f"a variant's share of grading, by stage (processor ms, mean of {len(students)} students):")
    print(f"  {'problem':26} {'build':>6} {'solve':>6} {'prepare':>8} {'grade':>6} {'total':>6}   mutants  allowances")
    for maker in (ProblemVariants(entry) for entry in homework.entries):
        problem_id = maker.entry.problem.id
        if not maker.varies or len({lock.students[s].raw(problem_id) for s in students}) < len(students) // 2:
            continue  # a choice among a few: each prepared once, whatever the class's size
        spent: defaultdict[str, float] = defaultdict(float)
        preparing.WORK.clear()
        for student in students:
            clock = time.process_time()
            givens = lock.students[student]  # read as the Chooser reads it: straight from its text where it can
            text = givens.flow(problem_id)
            problem = text is not None and maker.build_written(text)
            problem = problem or maker.build(givens[problem_id], texts=("title",))
            spent["build"] += time.process_time() - clock
            clock = time.process_time()
            solution = solve(problem, witness=False)
            spent["solve"] += time.process_time() - clock
            clock = time.process_time()
            made = preparing.prepare_variant(solution, base[problem_id])
            spent["prepare"] += time.process_time() - clock
            clock = time.process_time()
            grade_problem(made, answers[student].get(problem_id, {}))
            spent["grade"] += time.process_time() - clock
        ms = {key: 1000 * value / len(students) for key, value in spent.items()}
        share = preparing.WORK["mutants"] / len(students)
        print(
            f"  {problem_id:26} {ms['build']:6.2f} {ms['solve']:6.2f} {ms['prepare']:8.2f} {ms['grade']:6.2f}"
            f" {sum(ms.values()):6.2f}   {share:6.0%}   {preparing.WORK['allowances'] / len(students):6.2f}"
        )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    students = [f"PB{21000000 + n}" for n in range(count)]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        clock = time.perf_counter()
        make_lock(root / "variants.lock.yaml", students)
        size = (root / "variants.lock.yaml").stat().st_size / 1e6
        print(f"lock of {count} students drawn in {time.perf_counter() - clock:.1f} s ({size:.1f} MB)")
        clock = time.process_time()
        read_lock(root / "variants.lock.yaml")
        print(f"reading the lock: {time.process_time() - clock:.2f} s of processor time")
        write_class(root / "plain", count)
        write_variant_class(root / "variants", root / "variants.lock.yaml", count)
        assert yaml.safe_load((root / "variants" / f"{students[0]}.yaml").read_text(encoding="utf-8"))
        stages(root / "variants.lock.yaml", root / "variants")
        grade(root / "plain")  # warm the file cache
        plain, variants = [], []
        for _ in range(rounds):  # alternating: this machine's speed drifts from minute to minute
            plain.append(grade(root / "plain"))
            variants.append(grade(root / "variants", "--lock", str(root / "variants.lock.yaml")))
            print(f"  round: without variants {plain[-1][0]:6.2f} s, with {variants[-1][0]:6.2f} s")
        (wall, cpu), (wall_v, cpu_v) = min(plain), min(variants)
        print(f"{count} submissions without variants     {wall:7.2f} s   (processor {cpu:6.2f} s)")
        print(f"{count} submissions, a variant each     {wall_v:7.2f} s   (processor {cpu_v:6.2f} s)")
        print(f"ratio: {wall_v / wall:.2f}x wall-clock, {cpu_v / cpu:.2f}x processor time")


if __name__ == "__main__":
    main()
