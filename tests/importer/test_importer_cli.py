"""`mlprep import` through the CLI: output folders, flags, --check, --json and the error paths."""

from __future__ import annotations

import json

import yaml

NOTE = """\
---
tags: [interview]
---
# Sampling

Q: What does top-k sampling keep?
A: The k most likely tokens.

How ?
"""


def write(tmp_path, name="sampling.md", text=NOTE):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_line_error(r, *needles):
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in r.output, r.output
    for needle in needles:
        assert needle in lines[0]


def test_import_writes_one_bank_per_note_named_after_its_title(cli, tmp_path):
    note, out = write(tmp_path), tmp_path / "out"
    r = cli("import", note, "--out", out)
    assert r.exit_code == 0, r.output
    (item,) = yaml.safe_load((out / "sampling.yaml").read_text(encoding="utf-8"))
    assert item["question"] == "What does top-k sampling keep?"
    assert item["topic"] == "transformers-llm" and item["tags"] == [
        "interview",
        "sampling",  # the theme, narrower than its topic
        "llm",  # the runner-up theme: "tokens"
    ]
    assert item["source"] == {"file": "sampling.md", "line": 6, "heading": "Sampling"}
    r = cli("questions", "--only-bank", out, "--json")
    assert [q["id"] for q in json.loads(r.stdout)] == [item["id"]]


def test_default_out_is_under_mlprep_home(cli, tmp_path, mlprep_home):
    r = cli("import", write(tmp_path))
    assert r.exit_code == 0, r.output
    assert (mlprep_home / "banks" / "imported" / "sampling.yaml").is_file()


def test_topic_and_tag_flags_override_inference(cli, tmp_path):
    out = tmp_path / "out"
    r = cli(
        "import",
        write(tmp_path),
        "--out",
        out,
        "--topic",
        "decoding",
        "--tag",
        "gpt",
        "--tag",
        "week1",
        "--json",
    )
    assert r.exit_code == 0, r.output
    (item,) = yaml.safe_load((out / "sampling.yaml").read_text(encoding="utf-8"))
    assert item["topic"] == "decoding" and item["tags"] == ["interview", "gpt", "week1"]


def test_check_lists_cards_and_suspicious_lines_and_writes_nothing(cli, tmp_path, mlprep_home):
    out = tmp_path / "out"
    r = cli("import", "--check", write(tmp_path), "--out", out)
    assert r.exit_code == 0, r.output
    assert "What does top-k sampling keep?" in r.stdout
    assert "looks like a question but is not a card: How ?" in r.stdout
    assert not out.exists() and not (mlprep_home / "banks").exists()
    r = cli("import", "--check", "--json", write(tmp_path))
    doc = json.loads(r.stdout)
    (note,) = doc["notes"]
    assert [c["question"] for c in note["cards"]] == ["What does top-k sampling keep?"]
    assert note["skipped"] == [
        {
            "file": str(tmp_path / "sampling.md"),
            "line": 9,
            "message": "looks like a question but is not a card: How ?",
        }
    ]


def test_json_prints_one_document(cli, tmp_path):
    r = cli("import", write(tmp_path), "--out", tmp_path / "out", "--json")
    doc = json.loads(r.stdout)
    (bank,) = doc["banks"]
    assert bank["questions"] == 1 and len(bank["added"]) == 1 and doc["dry_run"] is False
    assert doc["skipped"][0]["line"] == 9


def test_missing_note_is_exit_2_naming_it(cli, tmp_path):
    one_line_error(
        cli("import", tmp_path / "nope.md", "--out", tmp_path / "o"), "nope.md", "no such note file"
    )


def test_binary_and_non_utf8_notes_are_exit_2_naming_them(cli, tmp_path):
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    one_line_error(cli("import", binary, "--out", tmp_path / "o"), "photo.png", "binary")
    latin = tmp_path / "latin.md"
    latin.write_bytes("Q: Qu'est-ce qu'un r\u00e9seau ?\n".encode("latin-1"))
    one_line_error(cli("import", latin, "--out", tmp_path / "o"), "latin.md", "UTF-8")
    one_line_error(cli("import", tmp_path, "--out", tmp_path / "o"), "latin.md", "UTF-8")  # in a folder too
    (tmp_path / "empty" / ".obsidian").mkdir(parents=True)
    (tmp_path / "empty" / ".obsidian" / "hidden.md").write_text("Q: a?\nA: b\n", encoding="utf-8")
    one_line_error(cli("import", tmp_path / "empty", "--out", tmp_path / "o"), "empty", "no notes")
    assert not (tmp_path / "o").exists()


def test_a_broken_bank_in_the_output_folder_is_exit_2_and_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    broken = out / "sampling.yaml"
    broken.write_text("- id: [unclosed\n", encoding="utf-8")
    one_line_error(cli("import", write(tmp_path), "--out", out), "sampling.yaml")
    assert broken.read_text(encoding="utf-8") == "- id: [unclosed\n"


def test_note_without_cards_exits_1(cli, tmp_path):
    r = cli(
        "import", write(tmp_path, "empty.md", "just a line of prose\n"), "--out", tmp_path / "out"
    )
    assert r.exit_code == 1
    assert "no cards in" in r.output and not (tmp_path / "out").exists()


def test_two_notes_with_one_file_name_are_refused(cli, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one_line_error(
        cli(
            "import",
            write(tmp_path / "a", "n.md"),
            write(tmp_path / "b", "n.md"),
            "--out",
            tmp_path / "o",
        ),
        "n.md",
    )


def test_out_that_is_a_file_is_exit_2(cli, tmp_path):
    target = tmp_path / "bank.yaml"
    target.write_text("[]\n", encoding="utf-8")
    one_line_error(cli("import", write(tmp_path), "--out", target), "bank.yaml", "folder")


def test_the_cli_loads_the_importer_engine_only_when_importing():
    import subprocess
    import sys

    code = "import sys, mlprep.cli; print(sorted(m for m in sys.modules if m.startswith('mlprep.importer')))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
