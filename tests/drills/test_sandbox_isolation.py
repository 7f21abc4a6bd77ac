"""The sandbox's walls one by one: what the child can and cannot do in each mode, the seccomp
program, the judge's byte caps, `mlprep doctor`, and the one-line errors for bad input."""

from __future__ import annotations

import json
import os
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from mlprep.drills import isolation
from mlprep.drills.limits import Limits
from mlprep.drills.protocol import Channel, ProtocolError
from mlprep.drills.sandbox import JUDGE_MESSAGE_CAP, Sandbox

PROBE = '''
import ctypes, errno, fcntl, os, socket, termios
libc = ctypes.CDLL(None, use_errno=True)

def _errno(fn):
    try:
        fn()
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    return "ok"

def _raw(rc):
    return "ok" if rc >= 0 else errno.errorcode.get(ctypes.get_errno(), "?")

def probe(outside, judge_pid):
    home = os.getcwd()
    def write(path):
        with open(path, "w") as out:
            out.write("x")
    return {
        "fork": _errno(lambda: os._exit(0) if os.fork() == 0 else None),
        "inet_socket": _errno(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
        "unix_socket": _errno(lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close()),
        "kill_judge": _errno(lambda: os.kill(judge_pid, 0)),
        "kill_all": _errno(lambda: os.kill(-1, 0)),
        "kill_self": _errno(lambda: os.kill(os.getpid(), 0)),
        "ptrace": _raw(libc.ptrace(0x7FFFFFFF, judge_pid, 0, 0)),  # a request that does nothing
        "process_vm_readv": _raw(libc.process_vm_readv(judge_pid, None, 0, None, 0, 0)),
        "tiocsti": _errno(lambda: fcntl.ioctl(0, termios.TIOCSTI, b"x")),
        "personality": _raw(libc.personality(0x0040000)),  # ADDR_NO_RANDOMIZE
        "write_outside": _errno(lambda: write(outside)),
        "write_home": _errno(lambda: write(os.path.join(home, "mine.txt"))),
        "judge_mem": _errno(lambda: open(f"/proc/{judge_pid}/mem", "rb").close()),
        "pids": len([p for p in os.listdir("/proc") if p.isdigit()]),
    }
'''


def _modes() -> list[str]:
    modes = ["basic"]
    if isolation.bwrap_status()[0]:
        modes.insert(0, "full")
    return modes


@pytest.fixture
def probe_file(tmp_path) -> Path:
    path = tmp_path / "probe.py"
    path.write_text(PROBE)
    return path


@pytest.mark.skipif(not isolation.seccomp_arch() or not isolation.landlock_abi(), reason="needs seccomp and Landlock")
@pytest.mark.parametrize("mode", _modes())
def test_the_child_is_walled_in(mode, probe_file, tmp_path):
    outside = tmp_path / "outside.txt"
    box = Sandbox(probe_file, "probe", Limits(call_timeout_s=20), plan=isolation.plan(mode))
    try:
        box.wait_ready()
        got = box.call("probe", (str(outside), os.getpid()), {}, "in the probe")
    finally:
        box.kill()
    assert got["fork"] == "EPERM"
    assert got["inet_socket"] == "EAFNOSUPPORT" and got["unix_socket"] == "ok"
    assert got["kill_all"] == "EPERM" and got["kill_self"] == "ok"
    assert got["ptrace"] == "EPERM" and got["process_vm_readv"] == "EPERM"
    assert got["tiocsti"] == "EPERM"  # refused before the driver could say ENOTTY
    assert got["personality"] == "EPERM"
    assert got["write_outside"] in ("EACCES", "ENOENT", "EROFS") and not outside.exists()
    assert got["write_home"] == "ok"
    if mode == "full":  # a PID namespace: the judge is not even there
        assert got["kill_judge"] in ("EPERM", "ESRCH") and got["judge_mem"] in ("ENOENT", "EACCES")
        assert got["pids"] <= 3
    else:
        assert got["kill_judge"] == "EPERM" and got["judge_mem"] == "EACCES"


def test_mode_none_switches_the_walls_off(probe_file, tmp_path):
    outside = tmp_path / "outside.txt"
    box = Sandbox(probe_file, "probe", Limits(call_timeout_s=20), plan=isolation.plan("none"))
    try:
        box.wait_ready()
        got = box.call("probe", (str(outside), os.getpid()), {}, "in the probe")
    finally:
        box.kill()
    assert got["write_outside"] == "ok"  # so the hostile tests above could fail


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_seccomp_program_assembles(machine):
    program = isolation.seccomp_program(1234, machine)
    assert len(program) % 8 == 0 and 40 < len(program) // 8 < 4096
    code, jt, jf, k = struct.unpack("HBBI", program[:8])
    assert (code, k) == (0x20, 4)  # first the architecture


def test_a_frame_over_the_cap_is_refused_before_its_data(tmp_path):
    r, w = os.pipe()
    reader = Channel(r, -1, message_cap=JUDGE_MESSAGE_CAP)
    header = json.dumps({"m": {"op": "result"}, "n": 256}).encode()
    os.write(w, struct.pack(">I", len(header)) + header + struct.pack(">Q", 512 << 20))  # no data follows
    start = time.monotonic()
    with pytest.raises(ProtocolError, match="reply too large"):
        reader.recv(time.monotonic() + 5)
    assert time.monotonic() - start < 1
    reader.budget = 10 << 20  # a per-test allowance smaller than one message
    os.write(w, struct.pack(">I", len(header)) + header + struct.pack(">Q", 11 << 20))
    with pytest.raises(ProtocolError, match="reply too large"):
        reader.recv(time.monotonic() + 5)
    reader.close()
    os.close(w)


def test_box_calls_keep_the_deadline(tmp_path):
    from mlprep.drills.protocol import BlackBox
    from mlprep.drills.sandbox import ChildFailure

    user = tmp_path / "flood.py"
    user.write_text("def f(box):\n    while True:\n        try:\n            box(1)\n        except RuntimeError:\n            pass\n")
    box = Sandbox(user, "flood", Limits(call_timeout_s=1.0))
    start = time.monotonic()
    try:
        box.wait_ready()
        with pytest.raises(ChildFailure, match="timed out after 1 s"):
            box.call("f", (BlackBox(lambda x: x, max_calls=10**9),), {}, "in the flood")
    finally:
        box.kill()
    assert time.monotonic() - start < 6


def test_doctor_json_and_table(cli):
    r = cli("doctor", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["mode"] in ("full", "basic")
    names = {p["name"]: p for p in data["protections"]}
    assert {"bubblewrap namespaces", "Landlock", "seccomp filter", "verdict over a private pipe"} <= set(names)
    assert names["bubblewrap namespaces"]["active"] == (data["mode"] == "full")
    assert all(p["prevents"] for p in data["protections"])
    r = cli("doctor")
    assert r.exit_code == 0 and "grading mode:" in r.stdout and "seccomp filter" in r.stdout


def test_requested_modes(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("MLPREP_SANDBOX", "bogus")
    r = cli("doctor", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["problem"]
    solution = Path(__file__).resolve().parents[2] / "solutions" / "top_k.py"
    r = cli("grade", solution)
    assert r.exit_code == 2 and "MLPREP_SANDBOX='bogus'" in r.stderr and "Traceback" not in r.output
    monkeypatch.setenv("MLPREP_SANDBOX", "full")
    monkeypatch.setattr(isolation, "bwrap_status", lambda: (False, "bwrap is not installed"))
    r = cli("grade", solution)
    assert r.exit_code == 2 and "bubblewrap cannot run here" in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.strip()]) == 1


@pytest.mark.parametrize("kind", ["dev_zero", "fifo", "huge"])
def test_bad_files_are_one_line_errors(kind, cli, tmp_path):
    if kind == "dev_zero":
        path = Path("/dev/zero")
    elif kind == "fifo":
        path = tmp_path / "top_k.py"
        os.mkfifo(path)
    else:
        path = tmp_path / "top_k.py"
        path.write_bytes(b"# mlprep drill: top_k\n" + b"#" * (2 << 20))
    commands = [("grade", path, "--drill", "top_k")] + ([("import", path)] if kind != "huge" else [])
    for args in commands:  # a note may be larger than a solution (16 MB): only grade refuses 2 MB
        start = time.monotonic()
        r = cli(*args)
        assert r.exit_code == 2, (args, r.output)
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:") and "Traceback" not in r.output, r.stderr
        assert time.monotonic() - start < 5


def test_numpy_arrays_still_cross(tmp_path):
    user = tmp_path / "double.py"
    user.write_text("def f(x):\n    return x * 2\n")
    box = Sandbox(user, "double", Limits(call_timeout_s=10))
    try:
        box.wait_ready()
        assert np.array_equal(box.call("f", (np.arange(5),), {}, "in f"), np.arange(5) * 2)
    finally:
        box.kill()
