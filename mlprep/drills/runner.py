"""Orchestrate one grading run: a trusted pytest process runs the drill's tests against the sandbox.

The drill's public examples and hidden tests are copied into a fresh folder and run by
``python -m pytest -p mlprep.drills.plugin``. The plugin's orders (the learner's file, the
limits, where to write the results and a one-time key to sign them with) travel through a
pipe that is drained before any learner code starts, so the child cannot learn the key; a
results file that is missing or not signed with it is never believed. The whole run has a
wall-clock limit, after which its process group is killed.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlprep.drills.catalog import Drill
from mlprep.drills.limits import Limits
from mlprep.drills.results import JUDGE_FD_ENV, Results, Status, TestResult, unseal

START_SLACK_S = {"numpy": 10.0, "torch": 30.0}


def limits_for(drill: Drill, timeout_s: float | None) -> Limits:
    call = float(timeout_s or drill.timeout_s)
    start = START_SLACK_S.get(drill.framework, 10.0) + call
    return Limits(call_timeout_s=call, start_timeout_s=start, cpu_s=int(60 + 20 * call), memory_mb=drill.memory_mb)


def _syntax_error(user_file: Path) -> dict | None:
    """Compile (never run) the learner's file here, to point at a syntax error's line."""
    source = user_file.read_bytes()
    try:
        compile(source, str(user_file), "exec", dont_inherit=True)
    except SyntaxError as exc:
        return {"line": exc.lineno, "text": (exc.text or "").rstrip(), "message": exc.msg, "offset": exc.offset}
    except ValueError as exc:  # null bytes
        return {"line": None, "text": "", "message": str(exc), "offset": None}
    return None


def _test_count(folder: Path) -> int:
    return sum(p.read_text(errors="replace").count("def test_") for p in folder.rglob("test_*.py"))


def run(drill: Drill, user_file: Path, timeout_s: float | None = None) -> Results:
    """Grade ``user_file`` against ``drill``; never raises for anything the learner's code does."""
    started = time.monotonic()
    limits = limits_for(drill, timeout_s)
    workdir = Path(tempfile.mkdtemp(prefix="mlprep-grade-"))
    scratch = tempfile.mkdtemp(prefix="mlprep-scratch-")  # the children's folders, apart from the tests
    try:
        shutil.copytree(drill.examples_dir, workdir / "examples", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(drill.tests_dir, workdir / "hidden", ignore=shutil.ignore_patterns("__pycache__"))
        (workdir / "pytest.ini").write_text("[pytest]\n")
        key = secrets.token_hex(32)
        results_path = workdir / f"{secrets.token_hex(16)}.json"
        orders = {"drill": drill.name, "user_file": str(user_file.resolve()), "module": drill.module,
                  "limits": limits.__dict__, "tolerance": drill.tolerance, "results": str(results_path), "key": key,
                  "scratch": scratch}
        budget = limits.start_timeout_s * 2 + _test_count(workdir) * (limits.call_timeout_s * 2 + 2) + 30
        output = _run_pytest(workdir, json.dumps(orders).encode(), budget)
        results = _read_results(results_path, bytes.fromhex(key))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    if results is None:
        results = Results(drill.name, str(user_file.resolve()), [TestResult(
            "run the tests", "hidden", Status.ERROR,
            "the test process stopped without a verdict (killed, or over the time limit); nothing counts as passed",
            traceback=output[-2000:])])
    results.file = str(user_file)
    results.syntax = _syntax_error(user_file) or results.syntax
    results.duration_s = time.monotonic() - started
    return results


def _run_pytest(workdir: Path, orders: bytes, budget_s: float) -> str:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, orders)
    os.close(write_fd)
    env = {**os.environ, JUDGE_FD_ENV: str(read_fd), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
           "PYTHONDONTWRITEBYTECODE": "1"}
    cmd = [sys.executable, "-m", "pytest", "-p", "mlprep.drills.plugin", "-p", "no:cacheprovider",
           "-q", "--no-header", "--tb=no", "-rN", "-p", "no:warnings", "--import-mode=importlib", "--rootdir", str(workdir),
           "-c", str(workdir / "pytest.ini"), "examples", "hidden"]
    try:
        proc = subprocess.Popen(cmd, cwd=workdir, env=env, pass_fds=(read_fd,), stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    finally:
        os.close(read_fd)
    try:
        out, _ = proc.communicate(timeout=budget_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
    return out.decode("utf-8", "replace")


def _read_results(path: Path, key: bytes) -> Results | None:
    try:
        return unseal(path.read_text(), key)
    except OSError:
        return None
