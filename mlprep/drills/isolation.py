"""The walls around the sandboxed child, and how to find out which ones this machine has.

Three layers, each used where the platform offers it:

- **bubblewrap** (Linux): the child starts in fresh mount, PID, network, IPC, UTS and (where
  allowed) user namespaces, sees only the Python install, the ``mlprep`` package and its own
  temporary folder (the only writable place), a fresh ``/proc`` showing only itself, a private
  ``/dev`` and ``/tmp``, no capabilities, a new session without a terminal, and it dies with
  the judge (``--die-with-parent``).
- **Landlock** (Linux 5.13+): inside the child, before the learner's file is imported: reads
  only where Python and the package live, writes only in its folder, no TCP, no signals or
  ptrace (``/proc/PID/mem``, ``/proc/PID/fd``) towards processes outside its domain.
- **seccomp** (Linux x86-64 / aarch64): a small BPF filter, also installed by the child before
  the import: no new processes, no ptrace or ``process_vm_*``, no ``TIOCSTI``/``TIOCLINUX``,
  no signals to other processes, no sockets but Unix ones, no ``io_uring``, mounts, namespaces,
  BPF, kernel keys or modules, no ``personality`` changes, no x32 system calls.

``MLPREP_SANDBOX`` picks the level: ``auto`` (default: the strongest available), ``full``
(bubblewrap required), ``basic`` (no namespaces: rlimits, new session, Landlock, seccomp,
``sandbox-exec`` on macOS) or ``none`` (rlimits and a new session only; for benchmarks).
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import shutil
import struct
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

MODE_ENV = "MLPREP_SANDBOX"


def _machine() -> str:
    return os.uname().machine if hasattr(os, "uname") else ""



MODES = ("auto", "full", "basic", "none")


class SandboxUnavailable(Exception):
    """The level asked for in MLPREP_SANDBOX cannot be had on this machine."""


# -- the plan: what a child gets here ----------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """Which walls a child gets: ``mode`` is "full", "basic" or "none"."""

    mode: str
    bwrap: str | None = None  # path of a working bwrap (full mode)
    landlock_abi: int = 0  # 0: no Landlock
    seccomp: bool = False
    sandbox_exec: str | None = None  # macOS

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Plan:
        return cls(**data)


def requested_mode() -> str:
    mode = os.environ.get(MODE_ENV, "auto").strip().lower() or "auto"
    if mode not in MODES:
        raise SandboxUnavailable(f"{MODE_ENV}={mode!r} is not one of {', '.join(MODES)}")
    return mode


def plan(mode: str | None = None) -> Plan:
    """The walls for ``mode`` (default: from MLPREP_SANDBOX); raises SandboxUnavailable when
    "full" is asked for and bubblewrap does not work here."""
    mode = mode or requested_mode()
    if mode == "none":
        return Plan("none")
    landlock, seccomp = landlock_abi(), seccomp_arch() is not None
    if mode in ("auto", "full"):
        works, why = bwrap_status()
        if works:
            return Plan("full", bwrap_path(), landlock, seccomp)
        if mode == "full":
            raise SandboxUnavailable(f"{MODE_ENV}=full but bubblewrap cannot run here: {why}")
    return Plan("basic", None, landlock, seccomp, shutil.which("sandbox-exec") if sys.platform == "darwin" else None)


# -- bubblewrap --------------------------------------------------------------------------------

_SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
_ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/localtime",
              "/etc/passwd", "/etc/group", "/etc/nsswitch.conf")


def bwrap_path() -> str | None:
    return shutil.which("bwrap") if sys.platform == "linux" else None


def package_root() -> str:
    """The folder holding the ``mlprep`` package (what the child puts first on sys.path)."""
    return str(Path(__file__).resolve().parent.parent.parent)


def python_dirs() -> list[str]:
    """Where the interpreter and its libraries live (bound read-only into the sandbox): the
    prefixes, and every folder on sys.path except the current one (the judge's test folder)."""
    dirs = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
            os.path.dirname(os.path.realpath(sys.executable)), os.path.dirname(os.path.abspath(sys.executable))}
    import site

    here = os.path.realpath(os.getcwd())
    for path in [*site.getsitepackages(), *sys.path]:
        real = os.path.realpath(path) if path else ""
        if real and real != here and os.path.isdir(real):
            dirs.add(real)
    return sorted(os.path.realpath(d) for d in dirs if d and os.path.isdir(d))


def bwrap_args(workdir: str, bwrap: str) -> list[str]:
    """The bubblewrap command line (before ``--`` and the command) for a child in ``workdir``."""
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/var/tmp"]
    for path in _SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in _ETC_FILES:
        args += ["--ro-bind-try", path, path]
    args += ["--ro-bind-try", "/sys/devices/system/cpu", "/sys/devices/system/cpu"]
    for path in python_dirs():
        args += ["--ro-bind", path, path]
    package = os.path.join(package_root(), "mlprep")
    args += ["--ro-bind", package, package]
    args += ["--bind", workdir, workdir, "--chdir", workdir]
    return args


@functools.lru_cache(maxsize=1)
def bwrap_status() -> tuple[bool, str]:
    """(works, why not): bubblewrap started once here with the real flags."""
    bwrap = bwrap_path()
    if bwrap is None:
        return False, "bwrap is not installed" if sys.platform == "linux" else "not Linux"
    import subprocess
    import tempfile

    true = shutil.which("true") or "/bin/true"
    folder = tempfile.mkdtemp(prefix="mlprep-probe-")
    try:
        proc = subprocess.run([*bwrap_args(folder, bwrap), "--", true], capture_output=True, text=True, timeout=20,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if proc.returncode != 0:
        return False, (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
    return True, ""


# -- Landlock ----------------------------------------------------------------------------------

_LANDLOCK_CREATE, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT = 444, 445, 446  # same on x86-64 and aarch64
_FS_EXECUTE, _FS_WRITE_FILE, _FS_READ_FILE, _FS_READ_DIR = 1, 2, 4, 8
_FS_ABI1 = (1 << 13) - 1  # execute .. make_sym
_FS_REFER, _FS_TRUNCATE, _FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
_NET_BIND_TCP, _NET_CONNECT_TCP = 1, 2
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1, 2


def _libc():
    return ctypes.CDLL(None, use_errno=True)


@functools.lru_cache(maxsize=1)
def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 where there is none."""
    if sys.platform != "linux" or _machine() not in ("x86_64", "aarch64"):
        return 0
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    version = libc.syscall(ctypes.c_long(_LANDLOCK_CREATE), None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(int(version), 0)


def _landlock_handled(abi: int) -> tuple[int, int, int]:
    fs = _FS_ABI1 | (_FS_REFER if abi >= 2 else 0) | (_FS_TRUNCATE if abi >= 3 else 0) | (_FS_IOCTL_DEV if abi >= 5 else 0)
    net = (_NET_BIND_TCP | _NET_CONNECT_TCP) if abi >= 4 else 0
    scoped = (_SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL) if abi >= 6 else 0
    return fs, net, scoped


def apply_landlock(read: list[str], write: list[str], abi: int) -> bool:
    """Restrict this process (and what it starts) to reading under ``read`` and writing under
    ``write``; no TCP, no signals to or ptrace of processes outside (as far as ``abi`` goes).
    Needs no_new_privs set first. Returns False when the kernel refused."""
    if abi <= 0:
        return False
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    fs, net, scoped = _landlock_handled(abi)
    attr = struct.pack("=QQQ", fs, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = libc.syscall(ctypes.c_long(_LANDLOCK_CREATE), buf, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        rules = [(p, _FS_EXECUTE | _FS_READ_FILE | _FS_READ_DIR) for p in read] + [(p, fs) for p in write]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if not os.path.isdir(path):
                    access &= _FILE_RIGHTS
                rule = ctypes.create_string_buffer(struct.pack("=Qi", access & fs, fd), 12)
                if libc.syscall(ctypes.c_long(_LANDLOCK_ADD_RULE), ctypes.c_int(ruleset), ctypes.c_int(1), rule,
                                ctypes.c_uint32(0)) < 0:
                    return False
            finally:
                os.close(fd)
        return libc.syscall(ctypes.c_long(_LANDLOCK_RESTRICT), ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0
    finally:
        os.close(ruleset)


def landlock_read_dirs(workdir: str) -> list[str]:
    """Where a child without namespaces may read: the system's libraries, Python, the package,
    its folder, and the kernel's pseudo-files (which Landlock still guards against ptrace)."""
    dirs = [*_SYSTEM_DIRS, "/etc", "/proc", "/sys", "/dev", *python_dirs(),
            os.path.join(package_root(), "mlprep"), workdir]
    if sys.platform == "darwin":
        dirs += ["/System", "/Library", "/private/etc", "/opt"]
    return [d for d in dirs if os.path.exists(d)]


# -- seccomp -----------------------------------------------------------------------------------

_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
# name: (x86-64, aarch64); None where the call does not exist
_NR = {
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271), "kcmp": (312, 272),
    "pidfd_getfd": (438, 438), "pidfd_open": (434, 434), "pidfd_send_signal": (424, 424), "personality": (135, 92),
    "ioctl": (16, 29), "fork": (57, None), "vfork": (58, None), "clone": (56, 220), "clone3": (435, 435),
    "kill": (62, 129), "tkill": (200, 130), "tgkill": (234, 131), "rt_sigqueueinfo": (129, 138),
    "rt_tgsigqueueinfo": (297, 240), "socket": (41, 198), "prctl": (157, 167),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    "unshare": (272, 97), "setns": (308, 268), "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41),
    "chroot": (161, 51), "bpf": (321, 280), "perf_event_open": (298, 241), "userfaultfd": (323, 282),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "kexec_load": (246, 104),
    "kexec_file_load": (320, 294), "reboot": (169, 142), "open_by_handle_at": (304, 265),
    "name_to_handle_at": (303, 264), "fsopen": (430, 430), "fsconfig": (431, 431), "fsmount": (432, 432),
    "fspick": (433, 433), "move_mount": (429, 429), "open_tree": (428, 428), "mount_setattr": (442, 442),
    "swapon": (167, 224), "swapoff": (168, 225), "syslog": (103, 116), "acct": (163, 89), "iopl": (172, None),
    "ioperm": (173, None), "quotactl": (179, 60), "settimeofday": (164, 170), "clock_settime": (227, 112),
    "sethostname": (170, 161), "setdomainname": (171, 162), "vhangup": (153, 58),
}
_DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", "pidfd_open",
           "pidfd_send_signal", "fork", "vfork", "tkill", "io_uring_setup", "io_uring_enter", "io_uring_register",
           "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "bpf", "perf_event_open", "userfaultfd",
           "keyctl", "add_key", "request_key", "init_module", "finit_module", "delete_module", "kexec_load",
           "kexec_file_load", "reboot", "open_by_handle_at", "name_to_handle_at", "fsopen", "fsconfig", "fsmount",
           "fspick", "move_mount", "open_tree", "mount_setattr", "swapon", "swapoff", "syslog", "acct", "iopl",
           "ioperm", "quotactl", "settimeofday", "clock_settime", "sethostname", "setdomainname", "vhangup")
TIOCSTI, TIOCLINUX = 0x5412, 0x541C
_CLONE_THREAD = 0x00010000
_PR_SET_PDEATHSIG = 1
_AF_UNIX = 1
_RET_ALLOW, _RET_KILL = 0x7FFF0000, 0x80000000
_EPERM, _ENOSYS, _EAFNOSUPPORT = 1, 38, 97
_LD, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06


def seccomp_arch() -> str | None:
    machine = _machine()
    if sys.platform != "linux" or machine not in _ARCH:
        return None
    try:
        with open("/proc/self/status") as status:
            if not any(line.startswith("Seccomp:") for line in status):
                return None
    except OSError:
        return None
    return machine


class _Bpf:
    """A tiny classic-BPF assembler with forward labels."""

    def __init__(self) -> None:
        self.ins: list[tuple[int, int | str, int | str, int]] = []
        self.labels: dict[str, int] = {}

    def op(self, code: int, k: int, jt: int | str = 0, jf: int | str = 0) -> None:
        self.ins.append((code, jt, jf, k & 0xFFFFFFFF))

    def label(self, name: str) -> None:
        self.labels[name] = len(self.ins)

    def ret(self, value: int) -> None:
        self.op(_RET, value)

    def bytes(self) -> bytes:
        out = []
        for i, (code, jt, jf, k) in enumerate(self.ins):
            offs = [self.labels[j] - i - 1 if isinstance(j, str) else j for j in (jt, jf)]
            assert all(0 <= o < 256 for o in offs), "jump out of range"
            out.append(struct.pack("HBBI", code, offs[0], offs[1], k))
        return b"".join(out)


def seccomp_program(own_pid: int, machine: str | None = None) -> bytes:
    """The filter for a child whose pid is ``own_pid``: see the module docstring."""
    machine = machine or _machine()
    col = 0 if machine == "x86_64" else 1
    nr = {name: pair[col] for name, pair in _NR.items() if pair[col] is not None}
    eperm, enosys = 0x00050000 | _EPERM, 0x00050000 | _ENOSYS
    p = _Bpf()
    p.op(_LD, 4)  # arch
    p.op(_JEQ, _ARCH[machine], 1, 0)
    p.ret(_RET_KILL)
    p.op(_LD, 0)  # syscall number
    if machine == "x86_64":
        p.op(_JGE, 0x40000000, 0, 1)  # x32 ABI
        p.ret(eperm)
    for name in _DENIED:
        if name in nr:
            p.op(_JEQ, nr[name], 0, 1)
            p.ret(eperm)
    p.op(_JEQ, nr["clone3"], 0, 1)
    p.ret(enosys)  # libc falls back to clone, checked below

    def arg_block(name: str, arg: int, allow: tuple[int, ...] = (), deny: tuple[int, ...] = (), denied: int = eperm,
                  allow_thread_flag: bool = False) -> None:
        """Syscall ``name``: with ``allow``, only those values of the argument pass; with
        ``deny``, those values are refused; with ``allow_thread_flag``, only CLONE_THREAD passes."""
        end = f"{name}_end"
        p.op(_JEQ, nr[name], 0, end)
        p.op(_LD, 16 + 8 * arg)  # low 32 bits of the argument
        if allow_thread_flag:
            p.op(_JSET, _CLONE_THREAD, f"{name}_ok", 0)
        for value in allow:
            p.op(_JEQ, value, f"{name}_ok", 0)
        for value in deny:
            p.op(_JEQ, value, f"{name}_no", 0)
        if deny:
            p.op(_JEQ, 0, f"{name}_ok", f"{name}_ok")  # nothing matched: allowed
        p.label(f"{name}_no")
        p.ret(denied)
        p.label(f"{name}_ok")
        p.ret(_RET_ALLOW)
        p.label(end)

    arg_block("clone", 0, allow_thread_flag=True)  # threads yes, processes no
    arg_block("kill", 0, allow=(own_pid, 0))  # itself or its own group (it is alone in it)
    arg_block("tgkill", 0, allow=(own_pid,))
    arg_block("rt_sigqueueinfo", 0, allow=(own_pid,))
    arg_block("rt_tgsigqueueinfo", 0, allow=(own_pid,))
    arg_block("ioctl", 1, deny=(TIOCSTI, TIOCLINUX))
    arg_block("personality", 0, allow=(0, 0xFFFFFFFF))  # read it, or set the default
    arg_block("prctl", 0, deny=(_PR_SET_PDEATHSIG,))
    arg_block("socket", 0, allow=(_AF_UNIX,), denied=0x00050000 | _EAFNOSUPPORT)
    p.ret(_RET_ALLOW)
    return p.bytes()


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2


def no_new_privs() -> bool:
    return sys.platform == "linux" and _libc().prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0


def apply_seccomp() -> bool:
    """Install :func:`seccomp_program` on this process (after no_new_privs)."""
    machine = seccomp_arch()
    if machine is None:
        return False
    program = seccomp_program(os.getpid(), machine)
    buf = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buf, ctypes.c_void_p))
    return _libc().prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def drop_capabilities() -> bool:
    """Empty this process's capability sets and bounding set (matters when it runs as root)."""
    if sys.platform != "linux":
        return False
    libc = _libc()
    for cap in range(64):
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP; fails harmlessly past the last capability
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # two {effective, permitted, inheritable} words, all zero
    return libc.capset(header, data) == 0


# -- inside the child --------------------------------------------------------------------------


def guard_config(plan_: Plan, workdir: str) -> str:
    """The child's orders for locking itself in (JSON on its command line)."""
    if plan_.mode == "none":
        return json.dumps({})
    read = ["/"] if plan_.mode == "full" else landlock_read_dirs(workdir)
    return json.dumps({"landlock": plan_.landlock_abi, "read": read, "write": [workdir, "/dev/null"],
                       "seccomp": plan_.seccomp})


def lock_in(config: str) -> dict[str, bool]:
    """Run by the child before the learner's file is imported: no_new_privs, capabilities
    dropped, Landlock, then seccomp. Returns what took effect."""
    orders = json.loads(config)
    done = {"no_new_privs": False, "capabilities": False, "landlock": False, "seccomp": False}
    if not orders or sys.platform != "linux":
        return done
    done["no_new_privs"] = no_new_privs()
    done["capabilities"] = drop_capabilities()
    if orders.get("landlock") and done["no_new_privs"]:
        done["landlock"] = apply_landlock(orders["read"], orders["write"], int(orders["landlock"]))
    if orders.get("seccomp") and done["no_new_privs"]:
        done["seccomp"] = apply_seccomp()
    return done


def macos_profile(workdir: str) -> str:
    """A ``sandbox-exec`` profile: no network, writes only in ``workdir`` (untested on CI)."""
    quoted = workdir.replace("\\", "\\\\").replace('"', '\\"')
    return ("(version 1)(allow default)(deny network*)(deny process-fork)(deny file-write*)"
            f'(allow file-write* (subpath "{quoted}") (literal "/dev/null"))')


# -- the report for `mlprep doctor` ------------------------------------------------------------


@dataclass(frozen=True)
class Protection:
    name: str
    active: bool
    prevents: str
    detail: str = ""


def protections(plan_: Plan | None = None) -> list[Protection]:
    """What the grader does on this machine, one row per wall, each with what it prevents."""
    try:
        p = plan_ or plan()
        problem = ""
    except SandboxUnavailable as exc:
        p, problem = plan("auto"), str(exc)
    full = p.mode == "full"
    works, why = bwrap_status() if sys.platform == "linux" else (False, "not Linux")
    linux = sys.platform == "linux"
    rows = [
        Protection("separate child process", True,
                   "the judge never runs your code; a crash, exit or hang is a failed test", f"mode {p.mode}"),
        Protection("resource limits", True, "runaway CPU time, memory, file size, core dumps",
                   "RLIMIT_CPU, RLIMIT_AS, RLIMIT_FSIZE, RLIMIT_CORE" + (", RLIMIT_NPROC" if linux else "")),
        Protection("new session, no terminal", True,
                   "writing to or typing into your terminal (stdin is /dev/null, output is captured)"),
        Protection("bubblewrap namespaces", full,
                   "seeing other processes or /proc of the judge, network, writes outside the child's folder, "
                   "surviving the grade (PID namespace dies with it)",
                   "mount, pid, net, ipc, uts, user; --cap-drop ALL; --die-with-parent" if full
                   else (why or "disabled by " + MODE_ENV)),
        Protection("Landlock", p.landlock_abi > 0 and p.mode != "none",
                   "writes outside the child's folder, reading /proc/PID/mem or /proc/PID/fd of the judge, "
                   "signals to outside processes, TCP",
                   f"ABI {p.landlock_abi}" if p.landlock_abi else "kernel has no Landlock"),
        Protection("seccomp filter", p.seccomp and p.mode != "none",
                   "new processes, ptrace, process_vm_readv/writev, TIOCSTI/TIOCLINUX, kill of other processes, "
                   "non-Unix sockets, io_uring, mounts, namespaces, personality, x32 calls",
                   _machine() if p.seccomp else "not available on this platform"),
        Protection("macOS sandbox-exec", bool(p.sandbox_exec) and p.mode != "none",
                   "network, writes outside the child's folder, fork", "only on macOS"),
        Protection("judge not dumpable", linux, "other processes of your user reading the judge's memory",
                   "PR_SET_DUMPABLE 0 on the runner and the judge" if linux else "Linux only"),
        Protection("verdict over a private pipe", True,
                   "a forged result: no key or file the child can reach decides it; only a judge that exited "
                   "normally is believed"),
        Protection("subreaper and cleanup", linux,
                   "processes outliving the grade; leftover temp folders (also on Ctrl-C and SIGTERM)",
                   "PR_SET_CHILD_SUBREAPER" if linux else "process groups only"),
        Protection("bounded judge", True,
                   "a reply or call flood exhausting the judge's memory or time; solution files over 1 MB",
                   "message and per-test byte caps, RLIMIT_AS on the judge, deadlines around black-box calls"),
    ]
    if problem:
        rows.insert(0, Protection(f"{MODE_ENV} request", False, "", problem))
    return rows
