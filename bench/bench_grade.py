"""Grading a drill end to end: under 1.5 s for a numpy drill and 5 s for a torch drill (issue 5).

"End to end" is what a learner waits for: `mlprep grade FILE --json` as a fresh process (CLI
start-up, the trusted pytest process, the sandboxed child, all tests, the report, the store).
Each drill is graded with the sandbox on (``MLPREP_SANDBOX=auto``: bubblewrap, Landlock, seccomp
where the machine has them) and off (``MLPREP_SANDBOX=none``: the child is still a separate
process under rlimits), so on/off is the price of the walls. The peer, in the same run on the
same tests: plain pytest importing the solution in-process (how an unsandboxed runner such as
exercism's grades).
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


def startup(runs: int) -> None:
    """The sandbox's own price, apart from the tests: start a child, import numpy in it, answer
    one call, stop it; fastest of ``runs`` per mode (the minimum resists a busy machine best)."""
    from mlprep.drills.isolation import plan
    from mlprep.drills.limits import Limits
    from mlprep.drills.sandbox import Sandbox

    folder = Path(tempfile.mkdtemp(prefix="bench-grade-start-"))
    user = folder / "probe.py"
    user.write_text("import numpy as np\n\ndef f(x):\n    return x + 1\n")
    walls = {}
    for mode in ("full", "basic", "none"):
        try:
            walls[mode] = plan(mode)
        except Exception:  # noqa: BLE001 - no bubblewrap here
            continue
    times = {mode: float("inf") for mode in walls}
    for _ in range(runs):  # modes take turns, so a burst of load hits them alike
        for mode, how in walls.items():
            start = time.perf_counter()
            box = Sandbox(user, "probe", Limits(call_timeout_s=30), plan=how)
            try:
                box.wait_ready()
                box.call("f", (1,), {}, "in the probe")
            finally:
                box.kill()
            times[mode] = min(times[mode], time.perf_counter() - start)
    shutil.rmtree(folder, ignore_errors=True)
    base = times.get("none")
    print("one child (start, import numpy, one call, stop), fastest of", runs, "runs: " + ", ".join(
        f"{mode} {t * 1000:.0f} ms" + (f" ({(t - base) * 1000:+.0f} ms)" if base and mode != "none" else "")
        for mode, t in times.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--drill", action="append", default=None)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-grade-home-"))
    env = {**os.environ, "MLPREP_HOME": str(home), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    on_env, off_env = {**env, "MLPREP_SANDBOX": "auto"}, {**env, "MLPREP_SANDBOX": "none"}
    from mlprep.drills.isolation import plan

    mode = plan("auto").mode
    print(f"sandbox on = MLPREP_SANDBOX=auto (here: {mode}); off = MLPREP_SANDBOX=none (separate process, rlimits only)")
    print(f"{'drill':<16}{'framework':<11}{'sandbox on':>12}{'off':>9}{'on/off':>8}{'plain pytest':>14}{'on/pytest':>11}"
          f"{'CPU on':>9}{'CPU off':>9}{'target':>9}  verdict")
    for name in args.drill or ["top_k", "top_p", "linear_weights"]:
        drill = find_drill(name)
        peer = peer_folder(name)
        grade_cmd = [sys.executable, "-m", "mlprep", "grade", str(drill.solution), "--json"]
        peer_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=short", "."]
        on, on_cpu = medians(grade_cmd, peer, on_env, args.runs)
        off, off_cpu = medians(grade_cmd, peer, off_env, args.runs)
        theirs, _ = medians(peer_cmd, peer, env, args.runs)
        target = TARGETS_S[drill.framework]
        verdict = "ok" if on < target else "SLOW"
        print(f"{name:<16}{drill.framework:<11}{on:>10.2f} s{off:>7.2f} s{on / off:>7.2f}x{theirs:>12.2f} s"
              f"{on / theirs:>10.2f}x{on_cpu:>7.2f} s{off_cpu:>7.2f} s{target:>7.1f} s  {verdict}")
        shutil.rmtree(peer, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    startup(args.runs)
    print(f"median of {args.runs} runs each (wall, and CPU of the whole process tree); {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f} (wall times stretch with load; CPU times much less)")


if __name__ == "__main__":
    main()
