"""The hostile corpus (tests/drills/hostile/) graded through `mlprep grade`: never a pass, nothing outside
the grade's temporary folders changed, no process left behind, the judge's memory bounded.

Each case runs in a world of its own: HOME, MLPREP_HOME and TMPDIR point at fresh folders with
sentinels in them, and the case's TARGETS line names them (with a unique marker) so the attack
aims at what it must not touch. Attacks that aim at shared places (/tmp, /dev/shm,
site-packages, the drills folder) use the marker in their file names, and the test removes any
such file it finds before failing.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import site
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mlprep.drills import isolation, progress
from mlprep.drills.runner import JUDGE_MEMORY_MB
from mlprep.paths import content_dir

HOSTILE = Path(__file__).parent / "hostile"
REPO = Path(__file__).resolve().parents[2]
MODES = ["auto", "basic"]  # full sandbox where bubblewrap works, and the fallback without namespaces


@dataclass
class World:
    root: Path
    home: Path
    mlprep_home: Path
    tmp: Path
    marker: str
    drill_files: dict = field(default_factory=dict)
    bashrc: tuple = ()
    home_names: set = field(default_factory=set)

    @property
    def targets(self) -> dict:
        return {"home": str(self.home), "mlprep_home": str(self.mlprep_home), "tmp": str(self.tmp),
                "marker": self.marker}

    def solution(self, name: str, pad_bytes: int = 0) -> Path:
        """A copy of the hostile file with its TARGETS filled in."""
        text = (HOSTILE / f"{name}.py").read_text()
        assert "TARGETS = {}" in text, name
        text = text.replace("TARGETS = {}", f"TARGETS = {json.dumps(self.targets)}", 1)
        if pad_bytes:
            text += ("# " + "x" * 98 + "\n") * (pad_bytes // 100 + 1)
        folder = self.root / "work"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.py"
        path.write_text(text)
        return path

    def shared_places(self) -> list[Path]:
        """Where a marker file would land if an attack wrote outside its world."""
        spots = [Path("/tmp") / self.marker, Path("/dev/shm") / self.marker]
        spots += [Path(d) / f"{self.marker}.pth" for d in site.getsitepackages()]
        spots += [content_dir("drills") / "top_k" / "tests" / f"test_{self.marker.replace('-', '_')}.py"]
        return spots

    def snapshot_drills(self) -> dict:
        folder = content_dir("drills")
        return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def _processes_with(needles: list[str]) -> list[str]:
    """Processes whose command line or name contains one of ``needles``."""
    hits = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            comm = Path(f"/proc/{entry}/comm").read_text().strip()
            state = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if state != "Z" and any(n in cmdline or n == comm or (len(n) >= 15 and comm == n[:15]) for n in needles):
            hits.append(f"{entry} {comm}: {cmdline}")
    return hits


@pytest.fixture
def world(tmp_path, monkeypatch, mlprep_home) -> World:
    marker = f"mlprep-hostile-{uuid.uuid4().hex[:8]}"
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    (home / ".bashrc").write_text("# sentinel\n")
    (mlprep_home / "sentinel.txt").write_text("sentinel\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    w = World(tmp_path, home, mlprep_home, tmp, marker)
    w.drill_files = w.snapshot_drills()
    w.bashrc = ((home / ".bashrc").read_bytes(), (home / ".bashrc").stat().st_mtime_ns)
    w.home_names = {p.name for p in home.iterdir()}
    yield w
    for spot in w.shared_places():  # never leave an escaped file behind, even when a test failed
        try:
            spot.unlink()
        except OSError:
            pass


def need_walls(mode: str) -> None:
    """Writes and /proc are walled off only by namespaces or Landlock; without either (an old
    kernel, no bubblewrap) `mlprep doctor` says so, and these attacks are out of scope."""
    plan = isolation.plan(mode)
    if plan.mode != "full" and not plan.landlock_abi:
        pytest.skip(f"MLPREP_SANDBOX={mode} has neither namespaces nor Landlock here")


def assert_untouched(w: World, temp_clean: bool = True) -> None:
    """Nothing outside the grade's temporary folders changed, and nothing is left running."""
    leaked = [str(s) for s in w.shared_places() if s.exists()]
    assert not leaked, f"written outside the sandbox: {leaked}"
    assert ((w.home / ".bashrc").read_bytes(), (w.home / ".bashrc").stat().st_mtime_ns) == w.bashrc
    assert {p.name for p in w.home.iterdir()} == w.home_names
    assert sorted(p.name for p in w.mlprep_home.iterdir() if not p.name.startswith("progress.db")) == ["sentinel.txt"]
    assert (w.mlprep_home / "sentinel.txt").read_text() == "sentinel\n"
    assert w.snapshot_drills() == w.drill_files, "the drills folder changed"
    deadline = time.monotonic() + 10
    while (left := _processes_with([str(w.tmp), w.marker])) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"processes outlived the grade: {[p[:300] for p in left]}"
    if temp_clean:
        assert list(w.tmp.iterdir()) == [], f"left in the temp folder: {list(w.tmp.iterdir())}"


def grade(cli, monkeypatch, path: Path, *extra: str):
    """`mlprep grade PATH --json` in-process; returns (exit code, JSON, Results the runner recorded)."""
    seen = []
    real = progress.record_grade
    monkeypatch.setattr(progress, "record_grade", lambda drill, results: (seen.append(results), real(drill, results))[1])
    r = cli("grade", path, "--json", *extra)
    data = json.loads(r.stdout) if r.stdout.strip().startswith("{") else None
    return r, data, (seen[0] if seen else None)


def assert_not_solved(cli) -> None:
    rows = {row["name"]: row for row in json.loads(cli("drills", "--json").stdout)}
    assert all(row["status"] != "solved" for row in rows.values()), "the progress database records a solve"


CASES = {
    # name: (extra grade arguments, text (or texts) in some message, judge memory bound in MB)
    "judge_memory": ((), None, None),
    "forged_result": ((), None, None),
    "write_everywhere": ((), None, None),
    "survivor": (("--timeout", "0.5"), None, None),
    "torch_escape": ((), None, None),
    "huge_reply_frames": ((), "too large", 1024),
    "blackbox_big_inputs": (("--timeout", "4"), ("timed out after 4 s", "too large"), 1536),  # whichever comes first
    "blackbox_call_flood": (("--timeout", "2"), "timed out after 2 s", 1536),
    "memoise_ignore_seed": ((), "the seed is ignored", None),
}


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_solution_never_passes_and_touches_nothing(name, mode, world, cli, monkeypatch):
    if mode == "basic" and name in ("huge_reply_frames", "blackbox_big_inputs", "blackbox_call_flood",
                                    "memoise_ignore_seed"):
        pytest.skip("judge-side bounds do not depend on the sandbox mode")
    need_walls(mode)
    monkeypatch.setenv("MLPREP_SANDBOX", mode)
    extra, text, judge_mb = CASES[name]
    r, data, results = grade(cli, monkeypatch, world.solution(name), *extra)
    assert r.exit_code == 1, r.output
    assert data is not None and data["status"] != "pass" and data["passed"] < len(data["tests"]), data
    if text:
        texts = (text,) if isinstance(text, str) else text
        assert any(x in t["message"] for t in data["tests"] for x in texts), data
    if judge_mb:
        assert results is not None and 0 < results.judge_peak_mb < min(judge_mb, JUDGE_MEMORY_MB), results.judge_peak_mb
    if name.startswith("blackbox"):  # a flood cannot stretch a test past its limit (the child is warm by then)
        flooded = [t["duration_s"] for t in data["tests"] if "timed out" in t["message"] or "too large" in t["message"]]
        assert flooded and max(flooded) < float(extra[1]) + 4, data
    assert_not_solved(cli)
    assert_untouched(world)


def test_huge_solution_file_is_refused_before_reading(world, cli):
    path = world.solution("huge_file", pad_bytes=(1 << 20) + 1000)
    r = cli("grade", path, "--json")
    assert r.exit_code == 2 and not r.stdout
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "at most 1 MB" in lines[0] and "huge_file.py" in lines[0], r.stderr
    assert_untouched(world)


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_terminal_is_out_of_reach(mode, world, mlprep_home):
    """Graded from a real terminal: no fake verdict appears on it and nothing is typed into it."""
    need_walls(mode)
    path = world.solution("terminal")
    master, slave = pty.openpty()
    tty_name = os.ttyname(slave)
    env = {**os.environ, "MLPREP_SANDBOX": mode, "PYTHONPATH": str(REPO), "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "mlprep", "grade", str(path)], stdin=slave, stdout=slave,
                            stderr=slave, env=env, cwd=world.root, start_new_session=True,
                            preexec_fn=lambda: os.close(os.open(tty_name, os.O_RDWR)))  # our controlling tty
    seen = bytearray()
    stop = threading.Event()

    def pump() -> None:
        while not stop.is_set():
            if select.select([master], [], [], 0.1)[0]:
                try:
                    seen.extend(os.read(master, 65536))
                except OSError:
                    return

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        assert proc.wait(timeout=180) == 1
    finally:
        if proc.poll() is None:
            proc.kill()
        time.sleep(0.3)
        stop.set()
        reader.join(timeout=5)
    os.set_blocking(slave, False)
    try:
        typed = os.read(slave, 4096)
    except BlockingIOError:
        typed = b""
    os.close(master)
    os.close(slave)
    text = seen.decode(errors="replace")
    assert "FAIL" in text, text
    assert world.marker not in text, text
    assert world.marker.encode() not in typed
    assert_untouched(world)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_stopping_the_runner_leaves_nothing(signum, world, mlprep_home):
    path = world.solution("slow_for_sigterm")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "mlprep", "grade", str(path)], env=env, cwd=world.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any("mlprep-sandbox-" in p for p in _processes_with([str(world.tmp)])):
            assert time.monotonic() < deadline and proc.poll() is None, "the sandboxed child never started"
            time.sleep(0.1)
        time.sleep(0.5)  # inside the learner's sleep
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if signum == signal.SIGTERM:
        assert proc.returncode == 128 + signal.SIGTERM, (out, err)
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1 and "grading stopped by SIGTERM" in lines[0], err
    else:
        assert proc.returncode != 0
    assert "Traceback" not in err
    # SIGKILL cannot be caught: the judge and the child still die with the runner (parent-death
    # signals), but its temporary folders stay behind
    assert_untouched(world, temp_clean=signum != signal.SIGKILL)
    rows = {row["name"]: row for row in json.loads(subprocess.run(
        [sys.executable, "-m", "mlprep", "drills", "--json"], env=env, capture_output=True, text=True).stdout)}
    assert rows["top_k"]["status"] == "new"  # a stopped grade records nothing
