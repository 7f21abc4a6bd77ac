"""Plausible wrong solutions under tests/drills/wrong/<drill>/ must fail, with a message naming the mistake.

Each file's second line is ``# expect: <text>``: some failed test's message must contain it.
They are graded by the real grader (a trusted pytest process and a sandboxed child), as a
learner's file would be.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mlprep.drills.catalog import find_drill
from mlprep.drills.runner import run

WRONG = Path(__file__).parent / "wrong"
CASES = sorted(WRONG.glob("*/*.py"))


def expected_text(path: Path) -> str:
    second = path.read_text(encoding="utf-8").splitlines()[1]
    assert second.startswith("# expect: "), f"{path}: the second line must be '# expect: <text>'"
    return second.removeprefix("# expect: ").strip()


CATALOGUE_PART_1 = ("top_k", "top_p", "decoding", "softmax_ce", "attention", "multihead_attention",
                    "transformer_layer", "sinusoidal_pe", "rope", "kv_cache", "nanogpt", "linear_weights",
                    "conv_weights", "count_params", "lora_linear")


@pytest.mark.parametrize("drill", CATALOGUE_PART_1)
def test_drill_has_three_wrong_solutions(drill: str):
    found = sorted(p.stem for p in (WRONG / drill).glob("*.py"))
    assert len(found) >= 3, f"{drill} has {len(found)} wrong solutions under tests/drills/wrong/{drill}/; it needs three"


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.stem}" for p in CASES])
def test_wrong_solution_fails_naming_the_mistake(path: Path):
    expect = expected_text(path)
    results = run(find_drill(path.parent.name), path)
    report = results.as_json()
    failed = [t for t in report["tests"] if t["status"] != "pass"]
    assert report["status"] != "pass" and failed, f"{path.name} passed every test"
    messages = [t["message"] for t in failed]
    assert any(expect in m for m in messages), f"no failure mentions {expect!r}; got:\n" + "\n".join(messages)
