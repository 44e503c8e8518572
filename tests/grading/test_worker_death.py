"""Workers die with the grader: the parent alone is killed (SIGKILL or SIGTERM), its workers must not live on.

The grader runs in a child process of the test; its workers log their process ids, the test kills the grader
and watches the workers go (polling with a generous limit: no timing is asserted).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

GRADER = """\
import os, signal, sys, time
from pathlib import Path
from hwsolver.grading import batch, grader, workers
from hwsolver.grading.prepared import prepare
from hwsolver.solving import solve_paths

folder, pdeathsig = Path(sys.argv[1]), sys.argv[2] == "on"
if not pdeathsig:  # as on a system without it: only the closed pipe tells an idle worker
    workers._PR_SET_PDEATHSIG = 0  # not an option prctl knows: the request fails, harmlessly
batch._KILL_AFTER = 10**6  # the grader itself never kills the stuck worker
original = grader.read_answer

def read(node, *rest):
    log = folder / "log"
    if node.source == "stuck":
        log.open("a").write(f"{os.getpid()} stuck\\n")
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF})  # as if stuck in C code
        while True:
            time.sleep(0.05)
    log.open("a").write(f"{os.getpid()} idle\\n")
    return original(node, *rest)

grader.read_answer = read
files = []
for n, answer in enumerate(["0.274", "stuck"]):
    path = folder / f"s{n}.yaml"
    path.write_text(f"student: S{n}\\nanswers:\\n  relu-network-update:\\n    output_before: {answer}\\n")
    files.append(str(path))
batch.grade_all(files, prepare(solve_paths(["problems/relu-network-update.yaml"])), jobs=2)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has exited (init reaps it when it will)


def _wait_for(condition, limit: float = 60) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _run_and_kill(tmp_path: Path, how: signal.Signals, pdeathsig: str) -> dict[str, int]:
    root = Path(__file__).parents[2]
    grader = subprocess.Popen([sys.executable, "-c", GRADER, str(tmp_path), pdeathsig], cwd=root)
    log = tmp_path / "log"
    pids: dict[str, int] = {}
    try:
        assert _wait_for(
            lambda: log.exists() and {"idle", "stuck"} <= {w.split()[1] for w in log.read_text().split("\n") if w}
        )
        pids = {line.split()[1]: int(line.split()[0]) for line in log.read_text().splitlines()}
        assert pids["idle"] != pids["stuck"] and _alive(pids["idle"]) and _alive(pids["stuck"])
        grader.send_signal(how)  # the grader alone
        grader.wait()
        return pids
    finally:
        grader.kill()
        grader.wait()


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_grader_even_one_stuck_in_c_code(tmp_path, how) -> None:
    pids = _run_and_kill(tmp_path, how, "on")
    try:
        assert _wait_for(lambda: not _alive(pids["stuck"]) and not _alive(pids["idle"]))
    finally:
        for pid in pids.values():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_an_idle_worker_ends_when_its_pipe_closes(tmp_path) -> None:
    """Without the kernel's help, a waiting worker ends all the same: no other worker holds its pipe open."""
    pids = _run_and_kill(tmp_path, signal.SIGKILL, "off")
    try:
        assert _wait_for(lambda: not _alive(pids["idle"]))
        assert _alive(pids["stuck"])  # only the kernel can end this one (Linux does, see above)
    finally:
        for pid in pids.values():
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
