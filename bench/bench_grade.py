"""Grading a drill end to end: under 1.5 s for a numpy drill and 5 s for a torch drill (issue 5).

"End to end" is what a learner waits for: `mlprep grade FILE --json` as a fresh process (CLI
start-up, the trusted pytest process, the sandboxed child, all tests, the report, the store).
The peer, in the same run on the same tests: plain pytest importing the solution in-process
(how an unsandboxed runner such as exercism's grades), so the ratio is the price of the sandbox.
Usage: python bench/bench_grade.py [--runs N] [--drill NAME ...]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlprep.drills.catalog import find_drill

TARGETS_S = {"numpy": 1.5, "torch": 5.0}
PEER_CONFTEST = '''
import importlib
import pytest

@pytest.fixture(scope="session")
def solution():
    return importlib.import_module("{module}")

@pytest.fixture(scope="session")
def tolerance():
    return {tolerance!r}
'''


def timed(cmd: list[str], cwd: Path, env: dict, expect: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the whole process tree) for one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != expect:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def medians(cmd: list[str], cwd: Path, env: dict, runs: int) -> tuple[float, float]:
    samples = [timed(cmd, cwd, env, 0) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def peer_folder(name: str) -> Path:
    """The drill's examples and hidden tests beside the reference solution, for plain pytest."""
    drill = find_drill(name)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-grade-{name}-"))
    shutil.copy(drill.solution, folder / f"{drill.module}.py")
    shutil.copy(next(drill.examples_dir.glob("test_*.py")), folder / "test_examples.py")
    for test in drill.tests_dir.glob("test_*.py"):
        shutil.copy(test, folder / test.name)
    (folder / "conftest.py").write_text(PEER_CONFTEST.format(module=drill.module, tolerance=drill.tolerance))
    (folder / "pytest.ini").write_text("[pytest]\n")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--drill", action="append", default=None)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-grade-home-"))
    env = {**os.environ, "MLPREP_HOME": str(home), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    print(f"{'drill':<16}{'framework':<11}{'mlprep grade':>14}{'plain pytest':>14}{'ratio':>8}"
          f"{'grade CPU':>11}{'pytest CPU':>12}{'target':>9}  verdict")
    for name in args.drill or ["top_k", "top_p", "linear_weights"]:
        drill = find_drill(name)
        peer = peer_folder(name)
        grade_cmd = [sys.executable, "-m", "mlprep", "grade", str(drill.solution), "--json"]
        peer_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=short", "."]
        ours, ours_cpu = medians(grade_cmd, peer, env, args.runs)
        theirs, theirs_cpu = medians(peer_cmd, peer, env, args.runs)
        target = TARGETS_S[drill.framework]
        verdict = "ok" if ours < target else "SLOW"
        print(f"{name:<16}{drill.framework:<11}{ours:>12.2f} s{theirs:>12.2f} s{ours / theirs:>7.2f}x"
              f"{ours_cpu:>9.2f} s{theirs_cpu:>10.2f} s{target:>7.1f} s  {verdict}")
        shutil.rmtree(peer, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    print(f"median of {args.runs} runs each (wall, and CPU of the whole process tree); {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f} (wall times stretch with load; CPU times much less)")


if __name__ == "__main__":
    main()
