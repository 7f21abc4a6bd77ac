"""Orchestrate one grading run: a trusted pytest process (the judge) runs the drill's tests
against the sandboxed child.

The learner's file is read once (at most :data:`MAX_SOLUTION_BYTES`, a regular file) and that
snapshot is what gets compiled and graded. The drill's public examples and hidden tests are
copied into a fresh folder and run by ``python -m pytest -p mlprep.drills.plugin``. Its orders
arrive through one pipe; its verdict leaves through another, whose write end only the judge
holds (the child never inherits it and, in its own PID namespace, cannot see the judge at
all). No secret decides the verdict, and it is believed only from a judge that exited normally
(pytest's status 0 or 1).

Nothing outlives a grade: this process becomes a child subreaper, so anything that escapes
the judge lands here and is killed at the end; the judge dies with this process
(``PR_SET_PDEATHSIG``); SIGTERM and Ctrl-C run the same cleanup, which also removes every
temporary folder.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from mlprep.drills import isolation
from mlprep.drills.catalog import Drill
from mlprep.drills.limits import Limits, cap_address_space
from mlprep.drills.results import JUDGE_FD_ENV, Results, Status, TestResult
from mlprep.errors import MlprepError
from mlprep.paths import HOME_ENV

START_SLACK_S = {"numpy": 10.0, "torch": 30.0}
MAX_SOLUTION_BYTES = 1 << 20
MAX_RESULTS_BYTES = 32 << 20
JUDGE_MEMORY_MB = 4096  # address space of the judge (pytest, numpy or torch, the replies it holds)
_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 1, 4, 36


class GradeStopped(MlprepError):
    """SIGTERM arrived while grading: everything was stopped and removed, nothing recorded."""

    def __init__(self, signum: int):
        super().__init__(f"grading stopped by {signal.Signals(signum).name}; nothing was recorded")
        self.exit_code = 128 + signum


def limits_for(drill: Drill, timeout_s: float | None) -> Limits:
    call = float(timeout_s or drill.timeout_s)
    start = START_SLACK_S.get(drill.framework, 10.0) + call
    return Limits(call_timeout_s=call, start_timeout_s=start, cpu_s=int(60 + 20 * call), memory_mb=drill.memory_mb)


def read_solution(path: Path) -> bytes:
    """The learner's file as bytes: a regular file of at most 1 MB, else a one-line error."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise MlprepError("no such file", path=path) from None
    except OSError as exc:
        raise MlprepError(f"cannot read: {exc.strerror}", path=path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise MlprepError("not a regular file; pass your solution's .py file", path=path)
        if info.st_size > MAX_SOLUTION_BYTES:
            raise MlprepError(f"is {info.st_size / 1e6:.1f} MB; a solution file may be at most 1 MB", path=path)
        data = os.read(fd, MAX_SOLUTION_BYTES + 1)
        if len(data) > MAX_SOLUTION_BYTES:
            raise MlprepError("grew past 1 MB while being read; a solution file may be at most 1 MB", path=path)
        return data
    finally:
        os.close(fd)


def _syntax_error(source: bytes, user_file: Path) -> dict | None:
    """Compile (never run) the learner's file here, to point at a syntax error's line."""
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
    """Grade ``user_file`` against ``drill``; never raises for anything the learner's code does
    (MlprepError for bad input: a missing, huge or non-regular file; GradeStopped on SIGTERM)."""
    started = time.monotonic()
    user_file = Path(user_file)
    source = read_solution(user_file)
    try:
        plan = isolation.plan()
    except isolation.SandboxUnavailable as exc:
        raise MlprepError(str(exc)) from None
    limits = limits_for(drill, timeout_s)
    with _Grade() as grade:
        workdir = grade.folder("mlprep-grade-")
        scratch = grade.folder("mlprep-scratch-")  # the children's folders, apart from the tests
        shutil.copytree(drill.examples_dir, workdir / "examples", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(drill.tests_dir, workdir / "hidden", ignore=shutil.ignore_patterns("__pycache__"))
        (workdir / "pytest.ini").write_text("[pytest]\n")
        snapshot = workdir / "solution" / user_file.name
        snapshot.parent.mkdir()
        snapshot.write_bytes(source)
        orders = {"drill": drill.name, "user_file": str(user_file.resolve()), "source": str(snapshot),
                  "module": drill.module, "limits": limits.__dict__, "tolerance": drill.tolerance,
                  "scratch": str(scratch), "plan": plan.to_dict()}
        budget = limits.start_timeout_s * 2 + _test_count(workdir) * (limits.call_timeout_s * 2 + 2) + 30
        results, output = grade.judge(workdir, orders, budget)
    if results is None:
        results = Results(drill.name, str(user_file.resolve()), [TestResult(
            "run the tests", "hidden", Status.ERROR,
            "the test process stopped without a verdict (killed, or over the time limit); nothing counts as passed",
            traceback=output[-2000:])])
    results.file = str(user_file)
    results.syntax = _syntax_error(source, user_file) or results.syntax
    results.duration_s = time.monotonic() - started
    return results


# -- processes and cleanup ---------------------------------------------------------------------

_judges: set[int] = set()  # live judges of every grade in this process (grades may run in threads)
_judges_lock = threading.Lock()


def _prctl(option: int, arg: int) -> bool:
    return sys.platform == "linux" and ctypes.CDLL(None, use_errno=True).prctl(option, arg, 0, 0, 0) == 0


def _children() -> set[int]:
    """Pids whose parent is this process (Linux: from /proc)."""
    me, found = os.getpid(), set()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for name in entries:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                fields = fh.read().rpartition(b")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and int(fields[1]) == me:
            found.add(int(name))
    return found


def _judge_limits(memory: int, deathsig):
    def apply() -> None:  # in the forked judge, before exec
        cap_address_space(memory)
        if deathsig is not None:
            deathsig()
    return apply


class _Grade:
    """One grade's processes and folders: everything is killed and removed on the way out,
    whether the grade passed, failed, timed out, or was stopped by Ctrl-C or SIGTERM."""

    def __init__(self) -> None:
        self.folders: list[Path] = []
        self.proc: subprocess.Popen | None = None
        self._before: set[int] = set()
        self._old_handler = None

    def __enter__(self) -> _Grade:
        if sys.platform == "linux":
            _prctl(_PR_SET_CHILD_SUBREAPER, 1)  # orphans of the judge and the child come here
            _prctl(_PR_SET_DUMPABLE, 0)  # no other process of this user reads this one's memory
            with _judges_lock:
                self._before = _children()
        if threading.current_thread() is threading.main_thread():
            self._old_handler = signal.signal(signal.SIGTERM, self._stop)
        return self

    def _stop(self, signum, frame) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one stop is enough; clean up undisturbed
        raise GradeStopped(signum)

    def folder(self, prefix: str) -> Path:
        path = Path(tempfile.mkdtemp(prefix=prefix))
        self.folders.append(path)
        return path

    def judge(self, workdir: Path, orders: dict, budget_s: float) -> tuple[Results | None, str]:
        """Run the judge; its results only if it exited normally and sent a readable verdict."""
        orders_r, orders_w = os.pipe()
        results_r, results_w = os.pipe()
        orders["results_fd"] = results_w
        data = memoryview(json.dumps(orders).encode())  # small: fits in the pipe's buffer
        while data:
            data = data[os.write(orders_w, data):]
        os.close(orders_w)
        env = {k: v for k, v in os.environ.items() if k != HOME_ENV}
        env.update({JUDGE_FD_ENV: str(orders_r), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"})
        cmd = [sys.executable, "-m", "pytest", "-p", "mlprep.drills.plugin", "-p", "no:cacheprovider",
               "-q", "--no-header", "--tb=no", "-rN", "-p", "no:warnings", "--import-mode=importlib",
               "--rootdir", str(workdir), "-c", str(workdir / "pytest.ini"), "examples", "hidden"]
        deathsig = None
        if sys.platform == "linux":
            libc = ctypes.CDLL(None, use_errno=True)

            def deathsig() -> None:
                libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

        received = bytearray()
        reader = threading.Thread(target=_read_capped, args=(results_r, received), daemon=True)
        try:
            with _judges_lock:
                self.proc = subprocess.Popen(
                    cmd, cwd=workdir, env=env, pass_fds=(orders_r, results_w), stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                    preexec_fn=_judge_limits(JUDGE_MEMORY_MB << 20, deathsig))
                _judges.add(self.proc.pid)
        finally:
            os.close(orders_r)
            os.close(results_w)
        reader.start()
        try:
            out, _ = self.proc.communicate(timeout=budget_s)
        except subprocess.TimeoutExpired:
            self._kill_judge()
            out, _ = self.proc.communicate()
        reader.join(timeout=5)
        os.close(results_r)
        output = out.decode("utf-8", "replace")
        if self.proc.returncode not in (0, 1) or reader.is_alive() or len(received) > MAX_RESULTS_BYTES:
            return None, output
        try:
            return Results.from_dict(json.loads(bytes(received))), output
        except (ValueError, TypeError, KeyError):
            return None, output

    def _kill_judge(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def __exit__(self, *exc) -> None:
        pending: list[int] = []
        if self._old_handler is not None:  # a SIGTERM now waits until the cleanup is done
            signal.signal(signal.SIGTERM, lambda signum, frame: pending.append(signum))
        try:
            self._kill_judge()
            if self.proc is not None:
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    pass
                with _judges_lock:
                    _judges.discard(self.proc.pid)
            self._reap_orphans()
            for path in self.folders:
                shutil.rmtree(path, ignore_errors=True)
        finally:
            if self._old_handler is not None:
                signal.signal(signal.SIGTERM, self._old_handler)
        if pending and exc[0] is None:
            raise GradeStopped(pending[0])

    def _reap_orphans(self) -> None:
        """Kill and reap what was re-parented here (this process is a subreaper) during the grade."""
        if sys.platform != "linux":
            return
        for _ in range(20):
            with _judges_lock:
                orphans = _children() - self._before - _judges
            if not orphans:
                return
            for pid in orphans:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            for pid in orphans:
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass


def _read_capped(fd: int, into: bytearray) -> None:
    """Read the judge's verdict until it closes the pipe, keeping at most the cap (plus one byte)."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        if len(into) <= MAX_RESULTS_BYTES:
            into += chunk[: MAX_RESULTS_BYTES + 1 - len(into)]
