"""The drill commands through the CLI: drills, drill, grade (incl. --watch), hint, solution."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from mlprep.paths import content_dir

REFERENCE = content_dir("solutions") / "top_k.py"
STARTER = content_dir("drills") / "top_k" / "starter.py"


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


def test_drills_json_lists_the_catalogue(cli):
    r = cli("drills", "--json")
    assert r.exit_code == 0
    rows = {row["name"]: row for row in json.loads(r.stdout)}
    assert {"top_k", "top_p", "linear_weights"} <= set(rows)
    assert rows["linear_weights"]["framework"] == "torch"
    for row in rows.values():
        assert {"name", "title", "topic", "difficulty", "framework", "status"} <= set(row)
        assert row["status"] == "new"


def test_drills_table(cli):
    r = cli("drills")
    assert r.exit_code == 0 and "top_k" in r.stdout and "new" in r.stdout


def test_drill_writes_starter_and_examples_and_never_overwrites(cli, tmp_path):
    r = cli("drill", "top_k", "--dir", tmp_path)
    assert r.exit_code == 0, r.output
    assert "Top-k sampling" in r.stdout and "numpy only" in r.stdout
    mine, examples = tmp_path / "top_k.py", tmp_path / "test_top_k_examples.py"
    assert mine.read_text() == STARTER.read_text()
    assert "from top_k import top_k_sample" in examples.read_text()
    mine.write_text("# mlprep drill: top_k\n# my work\n")
    r = cli("drill", "top_k", "--dir", tmp_path)
    assert r.exit_code == 0 and "kept your" in r.stdout
    assert mine.read_text() == "# mlprep drill: top_k\n# my work\n"
    r = cli("drill", "top_k", "--dir", tmp_path, "--force")
    assert r.exit_code == 0 and mine.read_text() == STARTER.read_text()


def test_public_examples_run_with_plain_pytest(cli, tmp_path):
    cli("drill", "top_k", "--dir", tmp_path)
    (tmp_path / "top_k.py").write_text(REFERENCE.read_text())
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout
    assert "3 passed" in proc.stdout


@pytest.mark.parametrize("name", ["../top_k", "top_k/x", "nope"])
def test_drill_refuses_unknown_and_path_like_names(cli, tmp_path, name):
    one_line_error(cli("drill", name, "--dir", tmp_path))
    assert not any(tmp_path.iterdir())


def test_grade_reference_json_exit_0_and_store(cli):
    r = cli("grade", REFERENCE, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) == {"drill", "file", "status", "passed", "failed", "errors", "duration_s", "tests"}
    assert data["status"] == "pass" and data["failed"] == data["errors"] == 0
    assert all(set(t) == {"name", "status", "message", "duration_s"} for t in data["tests"])
    rows = {row["name"]: row for row in json.loads(cli("drills", "--json").stdout)}
    assert rows["top_k"]["status"] == "solved"
    assert rows["top_k"]["best"] == f"{data['passed']}/{data['passed']}"


def test_grade_starter_report_and_exit_1(cli, tmp_path):
    mine = tmp_path / "attempt.py"
    mine.write_text(STARTER.read_text())
    r = cli("grade", mine)
    assert r.exit_code == 1
    assert "raised NotImplementedError" in r.stdout
    assert "attempt.py line" in r.stdout  # the learner's traceback, trimmed to their file
    assert "examples 0/3, hidden 0/" in r.stdout
    assert "mlprep hint top_k shows hint 1 of" in r.stdout
    rows = {row["name"]: row for row in json.loads(cli("drills", "--json").stdout)}
    assert rows["top_k"]["status"] == "attempted"


def test_grade_syntax_error_points_at_the_line(cli, tmp_path):
    mine = tmp_path / "top_k.py"
    mine.write_text("import numpy as np\n\ndef top_k_sample(logits, k\n    return 1\n")
    r = cli("grade", mine)
    assert r.exit_code == 1
    assert "does not compile" in r.stdout and "(line 3)" in r.stdout


def test_grade_bad_usage_is_exit_2(cli, tmp_path):
    one_line_error(cli("grade", tmp_path / "missing.py"), "missing.py", "no such file")
    unknown = tmp_path / "mine.py"
    unknown.write_text("x = 1\n")
    one_line_error(cli("grade", unknown), "mine.py", "--drill")
    one_line_error(cli("grade", unknown, "--drill", "../etc"), "not a drill name")
    r = cli("grade", REFERENCE, "--json", "--watch")
    assert r.exit_code == 2 and not r.stdout


def test_hints_one_at_a_time(cli):
    seen = []
    for _ in range(6):
        r = cli("hint", "top_k")
        assert r.exit_code == 0
        seen.append(r.stdout)
    assert seen[0].startswith("Hint 1 of 5") and seen[4].startswith("Hint 5 of 5")
    assert len(set(seen[:5])) == 5
    assert "No more hints" in seen[5]


def test_solution_asks_before_any_attempt(cli, tmp_path):
    one_line_error(cli("solution", "top_k"), "--yes")
    r = cli("solution", "top_k", "--yes")
    assert r.exit_code == 0 and "def top_k_sample" in r.stdout
    mine = tmp_path / "top_k.py"
    mine.write_text(STARTER.read_text())
    cli("grade", mine)
    r = cli("solution", "top_k")
    assert r.exit_code == 0 and "def top_k_sample" in r.stdout


def test_grade_watch_regrades_on_save(tmp_path, mlprep_home):
    mine = tmp_path / "top_k.py"
    mine.write_text(STARTER.read_text())
    env = {**os.environ, "MLPREP_HOME": str(mlprep_home), "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "mlprep", "grade", str(mine), "--watch"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()

    def wait_for(text: str, count: int, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while sum(text in line for line in lines) < count:
            assert time.monotonic() < end, f"no {text!r} in {''.join(lines)}"
            assert proc.poll() is None, "".join(lines)
            time.sleep(0.1)

    try:
        wait_for("watching", 1)
        assert any(line.startswith("FAIL") for line in lines)
        mine.write_text(REFERENCE.read_text())
        wait_for("watching", 2)
        assert any(line.startswith("PASS") for line in lines)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(timeout=5)
