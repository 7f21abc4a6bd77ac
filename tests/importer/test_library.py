"""The library of banks: imported banks join every command, `mlprep banks`, --bank / --only-bank,
retired cards, removal and re-import keeping history, `import --sync`."""

from __future__ import annotations

import json
import os

import yaml

NOTE = """\
# Interview notes

Q: What does dropout do during training?
A: It zeroes random activations.

Q: Why use weight decay?
A: To keep the weights small.
"""


def write(folder, name="interview.md", text=NOTE):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def questions(cli, *args):
    """The questions listed; [] when the filter matches none (exit 2 naming what exists)."""
    r = cli("questions", "--json", *args)
    if r.exit_code == 2 and "no question matches" in r.output:
        return []
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def banks(cli):
    r = cli("banks", "--json")
    assert r.exit_code == 0, r.output
    return {b["name"]: b for b in json.loads(r.stdout)}


def test_imported_cards_join_the_bundled_ones_in_every_command(cli, tmp_path, mlprep_home):
    bundled = questions(cli)
    r = cli("import", write(tmp_path / "vault"))
    assert r.exit_code == 0, r.output
    assert "mlprep quiz" in r.output and "--bank" not in r.output
    everything = questions(cli)
    mine = [q for q in everything if q["bank"] == "interview-notes"]
    assert len(everything) == len(bundled) + 2 and len(mine) == 2
    assert [q["question"] for q in questions(cli, "--from-bank", "interview-notes")] == [
        "What does dropout do during training?",
        "Why use weight decay?",
    ]
    r = cli("quiz", "--from-bank", "interview-notes", "--cram", input=" 3q")
    assert r.exit_code == 0 and "What does dropout do" in r.output, r.output
    stats = json.loads(cli("stats", "--json").stdout)
    assert stats["reviews_total"] == 1
    out = tmp_path / "deck.csv"
    assert cli("export", "--from-bank", "interview-notes", "--csv", out).exit_code == 0
    assert "Why use weight decay?" in out.read_text(encoding="utf-8")
    registry = json.loads((mlprep_home / "banks" / "registry.json").read_text(encoding="utf-8"))
    entry = registry["banks"]["interview-notes"]
    assert entry["origin"] == "imported" and entry["enabled"] is True
    assert entry["source"] == str((tmp_path / "vault" / "interview.md").absolute()) and entry["last_import"]


def test_bank_adds_for_one_run_and_only_bank_restricts(cli, tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump([{"id": "x.one", "question": "Extra?", "answer": "Yes.", "topic": "general"}]),
                     encoding="utf-8")
    bundled = len(questions(cli))
    assert len(questions(cli, "--bank", extra)) == bundled + 1
    assert [q["id"] for q in questions(cli, "--only-bank", extra)] == ["x.one"]
    assert len(questions(cli)) == bundled  # --bank was for one run only
    r = cli("quiz", "--only-bank", extra, input=" 3")
    assert "Extra?" in r.output


def test_banks_lists_origin_cards_due_source_and_last_import(cli, tmp_path):
    cli("import", write(tmp_path))
    listed = banks(cli)
    mine = listed["interview-notes"]
    assert mine["origin"] == "imported" and mine["cards"] == 2 and mine["due"] == 0
    assert mine["source"].endswith("interview.md") and mine["last_import"]
    assert listed["core/transformers-llm"]["origin"] == "bundled"
    r = cli("banks")
    assert r.exit_code == 0 and "interview-notes" in r.output and "bundled" in r.output


def test_disable_enable_and_remove_keep_review_history(cli, tmp_path):
    note = write(tmp_path)
    cli("import", note)
    r = cli("quiz", "--from-bank", "interview-notes", input=" 3 3q")
    assert r.exit_code == 0, r.output
    ids = [q["id"] for q in questions(cli, "--from-bank", "interview-notes")]

    assert cli("banks", "disable", "interview-notes").exit_code == 0
    assert not banks(cli)["interview-notes"]["enabled"]
    assert not questions(cli, "--from-bank", "interview-notes")
    assert cli("banks", "enable", "interview-notes").exit_code == 0
    assert len(questions(cli, "--from-bank", "interview-notes")) == 2

    assert cli("banks", "disable", "core/cnn").exit_code == 0
    assert not [q for q in questions(cli) if q["bank"] == "core/cnn"]
    assert cli("banks", "enable", "core/cnn").exit_code == 0
    assert [q for q in questions(cli) if q["bank"] == "core/cnn"]

    r = cli("banks", "remove", "interview-notes")
    assert r.exit_code == 0 and "history is kept" in r.output
    assert "interview-notes" not in banks(cli)
    assert json.loads(cli("stats", "--json").stdout)["reviews_total"] == 2  # history stays
    # re-importing brings the cards back with their schedule: nothing new, nothing due now
    cli("import", note)
    assert [q["id"] for q in questions(cli, "--from-bank", "interview-notes")] == ids
    r = cli("quiz", "--from-bank", "interview-notes", input="q")
    assert "What does dropout" not in r.output  # both were rated Good a moment ago: not due


def test_bank_errors_are_one_line(cli):
    for args in (("banks", "disable", "nope"), ("banks", "remove", "core/cnn")):
        r = cli(*args)
        assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1, r.output


def test_cards_gone_from_a_note_are_retired_not_asked_and_come_back(cli, tmp_path, mlprep_home):
    note = write(tmp_path)
    cli("import", note)
    decay = next(q for q in questions(cli) if q["question"] == "Why use weight decay?")
    note.write_text(NOTE.replace("Q: Why use weight decay?\nA: To keep the weights small.\n", ""), encoding="utf-8")
    report = json.loads(cli("import", note, "--json").stdout)["banks"][0]
    assert report["retired"] == [decay["id"]] and report["questions"] == 1
    held = yaml.safe_load((mlprep_home / "banks" / "imported" / "interview-notes.yaml").read_text(encoding="utf-8"))
    assert [q["retired"] for q in held if q["id"] == decay["id"]] == [True]
    assert decay["id"] not in [q["id"] for q in questions(cli)]
    assert banks(cli)["interview-notes"]["retired"] == 1
    note.write_text(NOTE, encoding="utf-8")
    report = json.loads(cli("import", note, "--json").stdout)["banks"][0]
    assert report["changed"] == [decay["id"]]
    assert decay["id"] in [q["id"] for q in questions(cli)]


def test_folders_are_read_recursively_and_sync_reimports_what_changed(cli, tmp_path):
    vault = tmp_path / "vault"
    write(vault / "ml", "a.md", "# Alpha\n\nQ: What is alpha?\nA: The first letter.\n")
    write(vault / "ml" / "deep", "b.md", "# Beta\n\nQ: What is beta?\nA: The second letter.\n")
    write(vault / ".obsidian", "c.md", "Q: Hidden?\nA: Never imported.\n")
    r = cli("import", vault, "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert sorted(b["name"] for b in doc["banks"]) == ["alpha", "beta"]
    assert {q["source"]["file"] for q in questions(cli, "--from-bank", "beta")} == {"ml/deep/b.md"}

    doc = json.loads(cli("import", "--sync", "--json").stdout)
    assert doc["banks"] == [] and len(doc["unchanged"]) == 2
    b = vault / "ml" / "deep" / "b.md"
    b.write_text(b.read_text(encoding="utf-8") + "\nQ: What comes after beta?\nA: Gamma.\n", encoding="utf-8")
    write(vault, "new.md", "# Gamma\n\nQ: What is gamma?\nA: The third letter.\n")
    os.utime(b)
    doc = json.loads(cli("import", "--sync", "--json").stdout)
    assert sorted(x["name"] for x in doc["banks"]) == ["beta", "gamma"] and len(doc["unchanged"]) == 1
    assert len(questions(cli, "--from-bank", "beta")) == 2
    # a removed bank is not brought back by --sync
    cli("banks", "remove", "gamma")
    doc = json.loads(cli("import", "--sync", "--json").stdout)
    assert doc["banks"] == [] and "gamma" not in banks(cli)


def test_out_folder_imports_are_not_in_the_library(cli, tmp_path, mlprep_home):
    cli("import", write(tmp_path), "--out", tmp_path / "out")
    assert "interview-notes" not in banks(cli)
    assert not (mlprep_home / "banks" / "registry.json").exists()


def test_the_same_notes_bundled_and_imported_are_read_once(cli, notes_dir):
    before = len(questions(cli))
    r = cli("import", *sorted(notes_dir.glob("*.txt")))
    assert r.exit_code == 0, r.output
    after = questions(cli)
    assert len({q["id"] for q in after}) == len(after)
    assert len(after) >= before


def test_the_library_cache_sees_an_edited_bank_and_unchanged_imports_rewrite_nothing(cli, tmp_path, mlprep_home):
    note = write(tmp_path)
    cli("import", note)
    bank = mlprep_home / "banks" / "imported" / "interview-notes.yaml"
    assert len(questions(cli, "--from-bank", "interview-notes")) == 2  # fills the cache
    before = bank.stat().st_mtime_ns
    r = cli("import", note, "--json")
    assert json.loads(r.stdout)["banks"][0]["kept"] and bank.stat().st_mtime_ns == before
    items = yaml.safe_load(bank.read_text(encoding="utf-8"))
    items[0]["question"] = "What does dropout do at training time?"
    bank.write_text(yaml.safe_dump(items, sort_keys=False), encoding="utf-8")
    assert "What does dropout do at training time?" in [q["question"] for q in questions(cli)]


def test_sync_retires_the_cards_of_a_deleted_note(cli, tmp_path):
    vault = tmp_path / "vault"
    write(vault, "a.md", "# Alpha\n\nQ: What is alpha?\nA: The first letter.\n")
    write(vault, "b.md", "# Beta\n\nQ: What is beta?\nA: The second letter.\n")
    cli("import", vault)
    (vault / "b.md").unlink()
    doc = json.loads(cli("import", "--sync", "--json").stdout)
    assert doc["retired_banks"] == ["beta"]
    assert not questions(cli, "--from-bank", "beta") and banks(cli)["beta"]["retired"] == 1
    doc = json.loads(cli("import", "--sync", "--json").stdout)
    assert "retired_banks" not in doc or doc["retired_banks"] == []
