"""The content folders ship inside the wheel: a non-editable install finds the bundled banks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO


@pytest.mark.slow
def test_wheel_carries_content_and_finds_it_from_elsewhere(tmp_path):
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir), str(REPO)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheel_dir.glob("mlprep-*.whl")
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    assert (target / "mlprep" / "_content" / "questions").is_dir()
    assert (target / "mlprep" / "_content" / "drills").is_dir()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "MLPREP_HOME": str(tmp_path / "home")}
    code = (
        "import json, mlprep, mlprep.paths as c; from mlprep.bank.loader import load_questions;"
        "print(json.dumps([mlprep.__file__, str(c.content_dir('questions')), len(load_questions())]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    module_file, questions_dir, count = json.loads(out.stdout)
    assert module_file.startswith(str(target)), module_file
    assert questions_dir == str(target / "mlprep" / "_content" / "questions")
    checkout_count = subprocess.run(
        [sys.executable, "-c", "from mlprep.bank.loader import load_questions; print(len(load_questions()))"],
        capture_output=True, text=True, cwd=REPO, env={**os.environ, "MLPREP_HOME": str(tmp_path / "home")},
    ).stdout.strip()
    assert count == int(checkout_count)
