"""`mlprep questions` through the CLI: listing, filters, JSON, validate, show, error paths."""

from __future__ import annotations

import json
from pathlib import Path

BANK = """\
topic: sampling
questions:
  - id: s.topk
    question: What is top-k sampling?
    answer: Keep the k most likely tokens and sample from them.
    tags: [decoding]
    difficulty: easy
  - id: s.topp
    question: What is nucleus sampling?
    answer: Keep the smallest set of tokens whose mass reaches p.
    tags: [decoding]
    difficulty: hard
  - id: o.adam
    question: What does Adam keep per parameter?
    answer: Running means of the gradient and of its square.
    topic: optimization
"""


def bank(tmp_path: Path) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    return path


def test_json_lists_required_fields(cli, tmp_path):
    r = cli("questions", "--only-bank", bank(tmp_path), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [d["id"] for d in data] == ["s.topk", "s.topp", "o.adam"]
    for key in ("id", "question", "answer", "topic", "tags", "kind", "difficulty", "source"):
        assert key in data[0]


def test_filters(cli, tmp_path):
    path = bank(tmp_path)
    ids = lambda *a: [d["id"] for d in json.loads(cli("questions", "--only-bank", path, "--json", *a).stdout)]  # noqa: E731
    assert ids("--topic", "sampling") == ["s.topk", "s.topp"]
    assert ids("--difficulty", "hard") == ["s.topp"]
    assert ids("-d", "1") == ["s.topk"]
    assert ids("--tag", "decoding", "--search", "nucleus") == ["s.topp"]
    assert ids("--topic", "optim") == ["o.adam"]
    r = cli("questions", "--only-bank", path, "--json", "--topic", "nothing")
    assert r.exit_code == 2 and r.stdout == "" and "topics that exist: optimization, sampling" in r.stderr


def test_table_output(cli, tmp_path):
    r = cli("questions", "--only-bank", bank(tmp_path))
    assert r.exit_code == 0
    assert "What is nucleus sampling?" in r.stdout and "3 questions in 2 topics" in r.stdout


def test_show(cli, tmp_path):
    r = cli("questions", "show", "s.topp", "--only-bank", bank(tmp_path))
    assert r.exit_code == 0 and "smallest set" in r.stdout
    r = cli("questions", "show", "nope", "--only-bank", bank(tmp_path))
    assert r.exit_code == 2 and "no question with id 'nope'" in r.stderr


def test_validate_ok_and_bad(cli, tmp_path):
    r = cli("questions", "validate", bank(tmp_path))
    assert r.exit_code == 0 and "OK" in r.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("- question: q\n  topic: t\n  kind: choice\n  choices: [a, b]\n  correct: c\n")
    r = cli("questions", "validate", bad)
    assert r.exit_code == 1
    assert f"{bad}:5: correct answer 'c' is not among the choices" in r.stdout
    r = cli("questions", "validate", bad, "--json")
    assert json.loads(r.stdout)["problems"][0]["line"] == 5


def test_user_errors_are_one_line_exit_2(cli, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- question: [unclosed\n")
    r = cli("questions", "--only-bank", broken)
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0 and f"{broken}:2: malformed YAML" in r.stderr
    assert "Traceback" not in r.output
    r = cli("questions", "--only-bank", tmp_path / "missing")
    assert r.exit_code == 2 and "no such bank file or folder" in r.stderr
    r = cli("questions", "--difficulty", "impossible")
    assert r.exit_code == 2


def test_bundled_banks_validate(cli):
    r = cli("questions", "validate")
    assert r.exit_code == 0, r.stdout
