"""The grading report and the results model, on hand-made results (no processes)."""

from __future__ import annotations

import json

from rich.console import Console

from mlprep.commands.views.grade_report import render
from mlprep.drills.results import Results, Status, TestResult


def sample() -> Results:
    return Results(
        drill="top_k",
        file="top_k.py",
        tests=[
            TestResult("k = 1 picks the largest logit", "example", Status.PASS, duration_s=0.01),
            TestResult("with k = 2 only two tokens", "example", Status.FAIL, "your top_k_sample raised ValueError: bad",
                       "top_k.py line 7, in top_k_sample\n    raise ValueError('bad')"),
            TestResult("ties at the boundary", "hidden", Status.FAIL, "your top_k_sample raised ValueError: bad",
                       "top_k.py line 7, in top_k_sample\n    raise ValueError('bad')"),
            TestResult("large logits", "hidden", Status.ERROR, 'timed out after 3 s in "large logits"'),
        ],
        duration_s=1.234,
        output="debug print\n",
    )


def rendered(results: Results, hint=None) -> str:
    console = Console(record=True, width=100, color_system=None)
    render(results, console, hint)
    return console.export_text()


def test_report_lines_totals_and_hint():
    text = rendered(sample(), (2, 5))
    lines = text.splitlines()
    assert lines[0].startswith("top_k  top_k.py")
    assert "✓ example k = 1 picks the largest logit" in text
    assert "✗ example with k = 2 only two tokens" in text
    assert "! hidden  large logits" in text
    assert text.count("raised ValueError: bad") == 1 and "(same as above)" in text
    assert "top_k.py line 7, in top_k_sample" in text
    assert 'timed out after 3 s in "large logits"' in text
    assert "your code printed:" in text and "| debug print" in text
    assert "ERROR  examples 1/2, hidden 0/2  (1.2 s)" in text
    assert "Stuck? mlprep hint top_k shows hint 2 of 5." in text


def test_report_without_hints_left_or_on_a_pass():
    results = sample()
    assert "Stuck?" not in rendered(results, None)
    results.tests = [t for t in results.tests if t.status is Status.PASS]
    text = rendered(results, (1, 3))
    assert "PASS  examples 1/1, hidden 0/0" in text and "Stuck?" not in text


def test_syntax_error_caret():
    results = Results("top_k", "top_k.py", [TestResult("t", "hidden", Status.ERROR, "SyntaxError")],
                      syntax={"line": 4, "text": "def f(x", "message": "'(' was never closed", "offset": 6})
    text = rendered(results)
    assert "Your file does not compile (line 4): '(' was never closed" in text
    caret_line = text.splitlines()[text.splitlines().index("    4 | def f(x") + 1]
    assert caret_line == " " * (len("    4 | ") + 5) + "^"


def test_json_contract_and_status():
    data = sample().as_json()
    assert list(data) == ["drill", "file", "status", "passed", "failed", "errors", "duration_s", "tests"]
    assert (data["status"], data["passed"], data["failed"], data["errors"]) == ("error", 1, 2, 1)
    assert data["tests"][1]["name"] == "example: with k = 2 only two tokens"
    assert "top_k.py line 7" in data["tests"][1]["message"]
    assert Results("x", "f").status is Status.ERROR  # no tests ran: never a pass
    json.dumps(data)


def test_results_cross_the_judges_pipe_as_json_unchanged():
    """The judge sends its results to the runner as JSON over a pipe only the two of them hold."""
    assert Results.from_dict(json.loads(json.dumps(sample().to_dict()))).as_json() == sample().as_json()
