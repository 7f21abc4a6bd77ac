"""Start and stop the sandboxed child that runs the learner's code.

The child is ``python -I`` running :mod:`mlprep.drills.child` in a fresh temporary folder that
holds only a copy of the learner's file, in its own session (process group), with a minimal
environment, stdin from /dev/null and stdout/stderr captured into a capped buffer. Set in the
forked process before ``exec``: limits on CPU seconds, address space, processes, file size and
core dumps, and death with the judge. Around it, the walls of :mod:`mlprep.drills.isolation`:
bubblewrap's namespaces where they work, and inside, before the learner's file is imported,
Landlock and a seccomp filter. Wall-clock limits are the caller's: it passes deadlines to
:meth:`Sandbox.call` and kills the whole group when one passes. Replies are bounded: one
message may hold :data:`JUDGE_MESSAGE_CAP` bytes and one test :data:`JUDGE_TEST_CAP`, checked
before anything is read into memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from mlprep.drills import isolation
from mlprep.drills.limits import Limits
from mlprep.drills.protocol import (
    BlackBox,
    Channel,
    ChannelClosed,
    ChannelTimeout,
    ProtocolError,
    decode,
    encode,
)

OUTPUT_CAP = 16_384
JUDGE_MESSAGE_CAP = 64 << 20  # bytes one reply from the child may hold (header and blobs)
JUDGE_TEST_CAP = 256 << 20  # bytes the child may send during one test, all replies and calls together
BOX_INPUT_CAP = 8 << 20  # bytes of arguments one call to a black box may carry
# the child's entry point: the same mlprep as the judge's, first on sys.path (python -I adds nothing)
_BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); from mlprep.drills.child import main; main(sys.argv[1:])"
FILE_SIZE_LIMIT = 64 << 20
EXTRA_PROCESSES = 64


class ChildFailure(Exception):
    """The child could not answer: it timed out, died, or could not import the file."""

    def __init__(self, kind: str, message: str, info: dict | None = None):
        super().__init__(message)
        self.kind = kind  # "timeout" | "died" | "import" | "protocol"
        self.info = info or {}


class ChildRaised(Exception):
    """The learner's code raised; ``info`` holds type, message and the trimmed traceback."""

    def __init__(self, info: dict):
        super().__init__(f"{info.get('type')}: {info.get('message')}")
        self.info = info


# -- the forked child, before exec --------------------------------------------------------------


def _pdeathsig():
    """Prepared here (dlopen is not safe after fork): the prctl that kills the child (bubblewrap
    or python) when the judge's thread that started it dies."""
    if sys.platform != "linux":
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    return lambda: libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG


def _user_process_count() -> int:
    """Tasks (processes and threads) this user already runs, which RLIMIT_NPROC counts too."""
    uid = os.getuid()
    count = 0
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += len(os.listdir(f"/proc/{entry.name}/task"))
            except OSError:
                continue
    return count


def _limiter(limits: Limits):
    deathsig = _pdeathsig()
    nproc = _user_process_count() + EXTRA_PROCESSES
    memory = limits.memory_mb << 20

    def apply() -> None:  # runs in the forked child, before exec
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if hasattr(resource, "RLIMIT_NPROC"):
            resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
        if deathsig is not None:
            deathsig()

    return apply


def _child_env(workdir: str) -> dict[str, str]:
    # python -I ignores PYTHON* variables: -u and -B on the command line do their work
    env = {"PATH": os.defpath, "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8"}
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


def _boxed(value: Any) -> Any:
    """A callable argument (a layer, a function) goes to the child as a black box, never as code."""
    if callable(value) and not isinstance(value, (type, BlackBox)):
        return BlackBox(value, name=type(value).__name__)
    return value


def _no_grad():
    """torch.no_grad() when torch is loaded (a black box's outputs keep no graph), else nothing."""
    torch = sys.modules.get("torch")
    return torch.no_grad() if torch is not None else contextlib.nullcontext()


# -- the child --------------------------------------------------------------------------------


class Sandbox:
    """One child process serving calls into one copy of the learner's file."""

    def __init__(self, user_file: Path, module_name: str, limits: Limits, scratch: str | None = None,
                 plan: isolation.Plan | None = None, shown_as: Path | None = None):
        """``scratch``: where to make the child's folder (the runner removes it even if a child
        outlives its test process); the system temp folder by default. ``plan``: the walls
        (default: the strongest this machine has, see :mod:`mlprep.drills.isolation`).
        ``shown_as``: the learner's own path, shown in messages instead of the copy's."""
        self.user_file = Path(shown_as or user_file)
        self.module_name = module_name
        self.limits = limits
        self.plan = plan or isolation.plan()
        self.workdir = os.path.realpath(tempfile.mkdtemp(prefix="mlprep-sandbox-", dir=scratch))
        self.copy = os.path.join(self.workdir, f"{module_name}.py")
        shutil.copyfile(user_file, self.copy)
        self._output = bytearray()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        command = [sys.executable, "-I", "-u", "-B", "-c", _BOOT, isolation.package_root(), self.copy, module_name,
                   isolation.guard_config(self.plan, self.workdir), str(to_child_r), str(from_child_w)]
        if self.plan.mode == "full" and self.plan.bwrap:
            command = [*isolation.bwrap_args(self.workdir, self.plan.bwrap), "--", *command]
        elif self.plan.mode == "basic" and self.plan.sandbox_exec:
            command = [self.plan.sandbox_exec, "-p", isolation.macos_profile(self.workdir), *command]
        try:
            self.proc = subprocess.Popen(
                command, cwd=self.workdir, env=_child_env(self.workdir), stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, pass_fds=(to_child_r, from_child_w),
                preexec_fn=_limiter(limits), start_new_session=True,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        os.set_blocking(to_child_w, False)  # sends have deadlines too
        self.channel = Channel(from_child_r, to_child_w, message_cap=JUDGE_MESSAGE_CAP)
        self.channel.budget = JUDGE_TEST_CAP
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def new_test(self) -> None:
        """A new test starts: the bytes the child may send are counted afresh."""
        self.channel.budget = JUDGE_TEST_CAP

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for chunk in iter(lambda: self.proc.stdout.read1(4096), b""):
            room = OUTPUT_CAP - len(self._output)
            if room > 0:
                self._output += chunk[:room]

    @property
    def output(self) -> str:
        """What the learner's code printed (capped), with the sandbox path shown as their file."""
        text = self._output.decode("utf-8", "replace")
        return text.replace(self.copy, str(self.user_file))

    def wait_ready(self) -> None:
        """Wait for the import to finish; raises ChildFailure when it does not."""
        seconds = self.limits.start_timeout_s
        message, _ = self._recv(time.monotonic() + seconds, "while importing your file", seconds)
        if message.get("op") == "import_error":
            info = message.get("error") if type(message.get("error")) is dict else {}
            raise ChildFailure("import", f"your file could not be imported: {info.get('type')}: {info.get('message')}", info)
        if message.get("op") != "ready":
            raise ChildFailure("protocol", "the child sent an unexpected message while importing your file")

    def call(self, fn: str, args: tuple, kwargs: dict, where: str) -> Any:
        """Call ``fn(*args, **kwargs)`` in the child; black boxes among the arguments are served."""
        blobs: list[bytes] = []
        boxes: list[BlackBox] = []
        args = [_boxed(a) for a in args]
        kwargs = {k: _boxed(v) for k, v in kwargs.items()}
        message = {"op": "call", "fn": fn, "args": encode(args, blobs, boxes), "kwargs": encode(kwargs, blobs, boxes)}
        calls = [0] * len(boxes)
        seconds = self.limits.call_timeout_s
        deadline = time.monotonic() + seconds
        self._send(message, blobs, deadline, where)
        while True:
            reply, reply_blobs = self._recv(deadline, where, seconds)
            op = reply.get("op")
            if op == "result" and "error" in reply:
                info = reply["error"] if type(reply["error"]) is dict else {}
                raise ChildRaised({k: str(v) for k, v in info.items()})
            if op == "result":
                try:
                    return decode(reply.get("ok"), reply_blobs)
                except ProtocolError as exc:
                    self.kill()
                    raise ChildFailure("protocol", f"your code sent something unreadable {where}: {exc}") from None
            if op == "callback":
                self._serve_box(reply, reply_blobs, boxes, calls, deadline, where)
                continue
            raise ChildFailure("protocol", f"the child sent an unexpected message {where}")

    def _serve_box(self, message: dict, blobs: list[bytes], boxes: list[BlackBox], calls: list[int],
                   deadline: float, where: str) -> None:
        box_id = message.get("box")
        if type(box_id) is not int or not 0 <= box_id < len(boxes):
            raise ChildFailure("protocol", f"your code called a black box that does not exist {where}")
        if time.monotonic() >= deadline:  # a flood of calls cannot outlast the test's limit
            self.kill()
            raise ChildFailure("timeout", f"timed out after {self.limits.call_timeout_s:g} s {where}")
        box = boxes[box_id]
        calls[box_id] += 1
        out: list[bytes] = []
        size = sum(len(b) for b in blobs)
        if calls[box_id] > box.max_calls:
            reply = {"op": "reply", "error": f"called more than {box.max_calls} times"}
        elif size > BOX_INPUT_CAP:  # the judge's work per call stays small, so the deadline holds
            reply = {"op": "reply", "error": f"input too large ({size >> 20} MB; at most {BOX_INPUT_CAP >> 20} MB a call)"}
        else:
            try:
                args = decode(message.get("args"), blobs)
                del blobs[:]
                with _no_grad():
                    reply = {"op": "reply", "ok": encode(box.fn(*args), out)}
                del args
            except Exception as exc:  # noqa: BLE001 - a bad input to the box is the learner's error
                out = []
                reply = {"op": "reply", "error": f"{type(exc).__name__}: {exc}"}
        self._send(reply, out, deadline, where)

    def _send(self, message: dict, blobs: list[bytes], deadline: float, where: str) -> None:
        try:
            self.channel.send(message, blobs, deadline)
        except ChannelTimeout:
            self.kill()
            raise ChildFailure("timeout", f"timed out after {self.limits.call_timeout_s:g} s {where}") from None
        except ChannelClosed:
            raise self._died(where) from None

    def _recv(self, deadline: float, where: str, seconds: float) -> tuple[dict, list[bytes]]:
        try:
            return self.channel.recv(deadline)
        except ChannelTimeout:
            self.kill()
            raise ChildFailure("timeout", f"timed out after {seconds:g} s {where}") from None
        except ChannelClosed:
            raise self._died(where) from None
        except ProtocolError as exc:
            self.kill()
            raise ChildFailure("protocol", f"your code sent something unreadable {where}: {exc}") from None

    def _died(self, where: str) -> ChildFailure:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        self.kill()
        if code is not None and code < 0:
            sig = signal.Signals(-code).name
            why = {"SIGXCPU": f"it used more than {self.limits.cpu_s} s of CPU time",
                   "SIGXFSZ": "it wrote a file larger than the limit",
                   "SIGKILL": "it was killed (out of memory?)"}.get(sig, f"it got {sig}")
            return ChildFailure("died", f"the process running your code died {where}: {why}")
        return ChildFailure("died", f"the process running your code exited (status {code}) {where}")

    def kill(self) -> None:
        """Kill the child's whole process group and remove its folder (idempotent)."""
        try:  # the group, not just the leader: anything it started goes too
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.channel.close()
        self._reader.join(timeout=1)
        shutil.rmtree(self.workdir, ignore_errors=True)
