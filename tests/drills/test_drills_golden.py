"""Golden solutions (hostile and wrong-but-plausible) graded through the real runner.

Each ``tests/drills/golden/<drill>/<case>.py`` has an entry in that folder's ``expected.yaml``: the
overall verdict and text that must appear in the messages. None may ever pass.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from mlprep.drills.catalog import find_drill
from mlprep.drills.runner import run

GOLDEN = Path(__file__).parent / "golden"
CASES = [
    (folder.name, name, spec)
    for folder in sorted(GOLDEN.iterdir()) if (folder / "expected.yaml").is_file()
    for name, spec in yaml.safe_load((folder / "expected.yaml").read_text()).items()
]
PWNED = Path("/tmp/mlprep-golden-pwned")


@pytest.fixture(scope="module")
def graded() -> dict:
    """Grade every golden case once, a few at a time (each grade is a few subprocesses)."""
    PWNED.unlink(missing_ok=True)

    def grade(case):
        drill, name, spec = case
        path = GOLDEN / drill / f"{name}.py"
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        results = run(find_drill(drill), path, spec.get("timeout", 3.0))
        return (drill, name), (results, before == hashlib.sha256(path.read_bytes()).hexdigest())

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(pool.map(grade, CASES))


def test_every_case_has_a_file():
    for drill, name, _ in CASES:
        assert (GOLDEN / drill / f"{name}.py").is_file(), f"{drill}/{name}.py"
    assert {p.stem for p in (GOLDEN / "top_k").glob("*.py")} == {n for d, n, _ in CASES if d == "top_k"}


@pytest.mark.slow
@pytest.mark.parametrize("drill,name,spec", CASES, ids=[f"{d}/{n}" for d, n, _ in CASES])
def test_golden_verdict(graded, drill, name, spec):
    results, untouched = graded[(drill, name)]
    data = results.as_json()
    allowed = spec["status"] if isinstance(spec["status"], list) else [spec["status"]]
    assert data["status"] in allowed, data
    assert data["status"] != "pass"
    assert data["passed"] < len(data["tests"])
    messages = "\n".join(t["message"] for t in data["tests"])
    for text in spec["contains"]:
        assert text in messages, f"{text!r} not in:\n{messages[:3000]}"
    assert untouched, "grading changed the learner's own file"
    assert not PWNED.exists(), "a payload from the child ran in the judge"


@pytest.mark.slow
def test_a_hang_in_one_test_does_not_stop_the_others(graded):
    results, _ = graded[("top_k", "infinite_loop")]
    assert len(results.tests) == 16  # 3 examples, 13 hidden tests
    assert all(t.status.value == "error" and "timed out after 0.25 s in" in t.message for t in results.tests)


@pytest.mark.slow
def test_syntax_error_points_at_the_line(graded):
    results, _ = graded[("top_k", "syntax_error")]
    assert results.syntax["line"] == 5
    assert "def top_k_sample" in results.syntax["text"]


@pytest.mark.slow
def test_printed_output_is_kept_but_never_believed(graded):
    results, _ = graded[("top_k", "fake_pytest_summary")]
    assert "14 passed" in results.output
    assert results.status.value == "fail"
