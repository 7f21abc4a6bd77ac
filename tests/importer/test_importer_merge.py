"""Re-importing an edited note keeps ids (and hand edits); `--dry-run` shows the changes."""

from __future__ import annotations

import json

import yaml

from mlprep.bank.loader import validate

NOTE = """\
# Deep learning

## Regularisation

Q: What does dropout do during training?
A: It zeroes random activations.

Q: Why use weight decay?
A: To keep weights small.

## Optimisers

Q: What does Adam keep per parameter?
A: Two moment estimates.
"""


def run_import(cli, note, out, *extra):
    r = cli("import", str(note), "--out", str(out), "--json", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def bank(out):
    (path,) = out.glob("*.yaml")
    return {q["question"]: q for q in yaml.safe_load(path.read_text(encoding="utf-8"))}


def test_ids_survive_edits_light_rewording_but_not_heavy_rewording(cli, tmp_path):
    note, out = tmp_path / "dl.md", tmp_path / "banks"
    note.write_text(NOTE, encoding="utf-8")
    first = run_import(cli, note, out)
    assert len(first["banks"][0]["added"]) == 3
    before = bank(out)

    again = run_import(cli, note, out)
    assert len(again["banks"][0]["kept"]) == 3 and again["banks"][0]["added"] == []
    assert bank(out) == before

    edited = (
        NOTE.replace("It zeroes random activations.", "It zeroes random units, scaled by 1/(1-p).")
        .replace("Why use weight decay?", "Why do we use weight decay?")
        .replace("What does Adam keep per parameter?", "How does Adam adapt its step size?")
    )
    note.write_text(edited, encoding="utf-8")
    report = run_import(cli, note, out)["banks"][0]
    after = bank(out)
    dropout_id = before["What does dropout do during training?"]["id"]
    decay_id = before["Why use weight decay?"]["id"]
    adam_id = before["What does Adam keep per parameter?"]["id"]
    assert after["What does dropout do during training?"]["id"] == dropout_id  # answer edited
    assert (
        after["What does dropout do during training?"]["answer"]
        == "It zeroes random units, scaled by 1/(1-p)."
    )
    assert after["Why do we use weight decay?"]["id"] == decay_id  # lightly reworded, same heading
    new_adam = after["How does Adam adapt its step size?"]["id"]
    assert new_adam != adam_id  # heavily reworded: a new question
    assert sorted(report["changed"]) == sorted([dropout_id, decay_id])
    assert report["added"] == [new_adam] and report["retired"] == [adam_id]


def test_light_rewording_under_another_heading_is_a_new_question(cli, tmp_path):
    note, out = tmp_path / "dl.md", tmp_path / "banks"
    note.write_text(NOTE, encoding="utf-8")
    run_import(cli, note, out)
    old_id = bank(out)["Why use weight decay?"]["id"]
    moved = NOTE.replace("Q: Why use weight decay?\nA: To keep weights small.\n", "").replace(
        "A: Two moment estimates.\n",
        "A: Two moment estimates.\n\nQ: Why do we use weight decay?\nA: Small weights.\n",
    )
    note.write_text(moved, encoding="utf-8")
    report = run_import(cli, note, out)["banks"][0]
    assert bank(out)["Why do we use weight decay?"]["id"] != old_id
    assert report["retired"] == [old_id]


def test_hand_edits_in_the_bank_survive_a_reimport(cli, tmp_path):
    note, out = tmp_path / "dl.md", tmp_path / "banks"
    note.write_text(NOTE, encoding="utf-8")
    run_import(cli, note, out)
    (path,) = out.glob("*.yaml")
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    items[0]["difficulty"] = "hard"
    items[0]["see_also"] = ["q-000000000000"]
    items[0]["keywords"] = ["dropout", "activations"]
    path.write_text(yaml.safe_dump(items, sort_keys=False), encoding="utf-8")
    note.write_text(
        NOTE.replace("It zeroes random activations.", "Zeroes activations."), encoding="utf-8"
    )
    run_import(cli, note, out)
    q = bank(out)["What does dropout do during training?"]
    assert (q["difficulty"], q["see_also"], q["keywords"], q["answer"]) == (
        "hard",
        ["q-000000000000"],
        ["dropout", "activations"],
        "Zeroes activations.",
    )


def test_dry_run_lists_changes_and_writes_nothing(cli, tmp_path):
    note, out = tmp_path / "dl.md", tmp_path / "banks"
    note.write_text(NOTE, encoding="utf-8")
    r = cli("import", note, "--out", out, "--dry-run")
    assert r.exit_code == 0 and not out.exists()
    assert "would write" in r.stdout and "3 added" in r.stdout
    run_import(cli, note, out)
    (path,) = out.glob("*.yaml")
    before = path.read_bytes()
    note.write_text(
        NOTE.replace("What does Adam keep per parameter?", "Which optimiser uses momentum?"),
        encoding="utf-8",
    )
    r = cli("import", note, "--out", out, "--dry-run")
    assert r.exit_code == 0
    assert "+ q-" in r.stdout and "Which optimiser uses momentum?" in r.stdout
    assert "- q-" in r.stdout and "What does Adam keep per parameter?" in r.stdout
    assert path.read_bytes() == before and len(list(out.iterdir())) == 1


def test_same_question_in_two_notes_gets_two_distinct_ids(cli, tmp_path):
    a, b, out = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "banks"
    a.write_text("# A\n\nQ: What is a tensor?\nA: An array.\n", encoding="utf-8")
    b.write_text("# B\n\nQ: What is a tensor?\nA: A multilinear map.\n", encoding="utf-8")
    run_import(cli, a, out)
    run_import(cli, b, out)
    questions, problems = validate([out])
    assert problems == [] and len({q.id for q in questions}) == 2
    report = run_import(cli, b, out)["banks"][0]  # and the second one's id is stable too
    assert len(report["kept"]) == 1


def test_a_lightly_reworded_heading_question_keeps_its_id(cli, tmp_path):
    note, out = tmp_path / "code.md", tmp_path / "banks"
    note.write_text(
        "# Coding\n\n### 1. Write top-k sampling in numpy\nSort and keep k.\n\n## Improving latency\n\nProfile first.\n",
        encoding="utf-8",
    )
    run_import(cli, note, out)
    before = bank(out)
    note.write_text(
        "# Coding\n\n### 1. Write top-k sampling with numpy\nSort and keep k.\n\n## Improving the latency\n\nProfile first.\n",
        encoding="utf-8",
    )
    report = run_import(cli, note, out)["banks"][0]
    after = bank(out)
    assert (
        after["Write top-k sampling with numpy"]["id"]
        == before["Write top-k sampling in numpy"]["id"]
    )
    assert (
        after["Explain: Improving the latency"]["id"] == before["Explain: Improving latency"]["id"]
    )
    assert report["added"] == [] and report["retired"] == [] and len(report["changed"]) == 2


def test_importing_two_notes_together_never_hands_one_id_out_twice(cli, tmp_path):
    a, b, out = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "banks"
    a.write_text("# A\n\nQ: What is a tensor?\nA: An array.\n", encoding="utf-8")
    b.write_text("# B\n\nQ: What is a tensor?\nA: A multilinear map.\n", encoding="utf-8")
    first = run_import(cli, a, out)["banks"][0]["added"]
    r = cli("import", b, a, "--out", out, "--json")  # b first: it must not take a's id
    report = json.loads(r.stdout)
    assert report["banks"][1]["kept"] == first
    questions, problems = validate([out])
    assert problems == [] and len({q.id for q in questions}) == 2
