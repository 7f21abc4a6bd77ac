"""Anki decks: legacy .apkg (genanki), current zstd-compressed collection.anki21b, the plain-text
export, note types onto our kinds, HTML to Markdown, media, and the export/import round trip."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import genanki
import pytest
import yaml
import zstandard

from mlprep.importer.anki import html_to_markdown, import_anki_text, import_deck


def legacy_deck(path):
    deck = genanki.Deck(2059400110, "Vision basics")
    deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["What does a <b>1x1</b> conv do?", "Mixes channels.<br>No spatial context."], tags=["cnn", "course::week1"]))
    deck.add_note(genanki.Note(model=genanki.BASIC_AND_REVERSED_CARD_MODEL, fields=["Stride", "Step of the kernel"]))
    deck.add_note(genanki.Note(model=genanki.CLOZE_MODEL, fields=["Pooling with {{c1::max}} keeps the largest value.", ""]))
    deck.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=['Which image? <img src="kernel.png">', "A 3x3 kernel [sound:say.mp3]"]))
    deck.add_note(genanki.Note(model=genanki.BASIC_OPTIONAL_REVERSED_CARD_MODEL, fields=["One way", "only", ""]))
    genanki.Package(deck).write_to_file(str(path))
    return path


def test_legacy_apkg_note_types_map_onto_our_kinds(tmp_path):
    note = import_deck(legacy_deck(tmp_path / "vision.apkg"))
    got = [(q.kind, q.question, q.answer) for q in note.questions]
    assert got[0] == ("open", "What does a **1x1** conv do?", "Mixes channels.\nNo spatial context.")
    assert ("open", "Stride", "Step of the kernel") in got and ("open", "Step of the kernel", "Stride") in got
    assert ("cloze", "Pooling with {{c1::max}} keeps the largest value.",
            "Pooling with **max** keeps the largest value.") in got
    image = next(q for q in note.questions if q.question.startswith("Which image"))
    assert image.media == ["kernel.png", "say.mp3"] and "<img" not in image.question
    assert sum(q.question == "One way" for q in note.questions) == 1  # optional reverse left empty
    assert "only" not in [q.question for q in note.questions]
    assert {"cnn", "course-week1"} <= set(note.questions[0].tags)


def modern_deck(path, notes):
    """A current-format .apkg: zstd-compressed collection.anki21b with notetypes/fields/templates."""
    db_path = path.with_suffix(".db")
    db = sqlite3.connect(db_path)
    db.executescript(
        "CREATE TABLE notetypes (id INTEGER PRIMARY KEY, name TEXT, mtime_secs INT, usn INT, config BLOB);"
        "CREATE TABLE fields (ntid INT, ord INT, name TEXT, config BLOB);"
        "CREATE TABLE templates (ntid INT, ord INT, name TEXT, mtime_secs INT, usn INT, config BLOB);"
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INT, mod INT, usn INT, tags TEXT,"
        " flds TEXT, sfld TEXT, csum INT, flags INT, data TEXT);"
    )
    db.execute("INSERT INTO notetypes VALUES (1, 'Basic (and reversed card)', 0, 0, ?)", (b"\x1a\x00",))
    db.execute("INSERT INTO notetypes VALUES (2, 'Cloze', 0, 0, ?)", (b"\x08\x01\x1a\x00",))
    for ntid, names in ((1, ["Front", "Back"]), (2, ["Text", "Back Extra"])):
        for k, name in enumerate(names):
            db.execute("INSERT INTO fields VALUES (?, ?, ?, x'')", (ntid, k, name))
    db.executemany("INSERT INTO templates VALUES (?, ?, ?, 0, 0, x'')", [(1, 0, "Card 1"), (1, 1, "Card 2"), (2, 0, "Cloze")])
    for k, (mid, fields, tags) in enumerate(notes):
        db.execute("INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, '', 0, 0, '')", (k + 1, f"g{k}", mid, tags, "\x1f".join(fields)))
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("collection.anki2", b"stub: please update Anki")
        z.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(db_path.read_bytes()))
        z.writestr("media", zstandard.ZstdCompressor().compress(b""))
    return path


def test_current_zstd_apkg(tmp_path):
    deck = modern_deck(tmp_path / "modern.apkg", [
        (1, ["Epoch", "One pass over the <i>training</i> data"], " ml "),
        (2, ["Adam keeps {{c1::two}} moment estimates.", "Kingma &amp; Ba"], ""),
    ])
    got = [(q.kind, q.question, q.answer) for q in import_deck(deck).questions]
    assert got == [
        ("open", "Epoch", "One pass over the *training* data"),
        ("open", "One pass over the *training* data", "Epoch"),
        ("cloze", "Adam keeps {{c1::two}} moment estimates.", "Adam keeps **two** moment estimates."),
    ]


def test_anki_plain_text_export(tmp_path, cli):
    text = ("#separator:tab\n#html:true\n#notetype column:1\n#tags column:4\n"
            "Basic\tWhat is a <b>logit</b>?\tA raw score.\tml\n"
            "Basic (and reversed card)\tEpoch\tOne pass\t\n"
            "Cloze\t{{c1::ReLU}} is max(0, x)\t\t\n")
    note = import_anki_text(text, "export.txt")
    assert [(q.kind, q.question, q.answer) for q in note.questions] == [
        ("open", "What is a **logit**?", "A raw score."),
        ("open", "Epoch", "One pass"),
        ("open", "One pass", "Epoch"),
        ("cloze", "{{c1::ReLU}} is max(0, x)", "**ReLU** is max(0, x)"),
    ]
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    r = cli("import", path, "--out", tmp_path / "out", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["banks"][0]["questions"] == 4


def test_html_to_markdown():
    assert html_to_markdown("a<br>b<br/><br>c") == "a\nb\n\nc"
    assert html_to_markdown("<pre><code>x = 1\ny = 2</code></pre>").startswith("```")
    assert html_to_markdown("plain text") == "plain text"
    assert html_to_markdown("5 &lt; 6 &amp; snake_case") == "5 < 6 & snake_case"


BANK = [
    {"id": "rt.open", "question": "What does dropout do?", "answer": "It zeroes random units.\n\nAt test time it does nothing.", "topic": "deep-learning"},
    {"id": "rt.code", "question": "How do you sum a tensor?", "answer": "```python\nx.sum()\n```", "topic": "frameworks-api"},
    {"id": "rt.cloze", "question": "Adam keeps {{c1::two}} moment estimates.", "kind": "cloze", "topic": "optimization"},
    {"id": "rt.choice", "question": "Which optimiser keeps two moments?", "kind": "choice", "choices": ["Adam", "SGD", "Adagrad", "RMSprop"], "correct": "Adam", "answer": "Adam.", "topic": "optimization"},
]


def test_export_then_import_gives_the_same_questions(cli, tmp_path):
    bank = tmp_path / "rt.yaml"
    bank.write_text(yaml.safe_dump(BANK, sort_keys=False), encoding="utf-8")
    deck = tmp_path / "rt.apkg"
    assert cli("export", "--only-bank", bank, "--anki", deck).exit_code == 0
    r = cli("import", deck, "--out", tmp_path / "back", "--json")
    assert r.exit_code == 0, r.output
    back = {q["id"]: q for q in yaml.safe_load((tmp_path / "back" / "rt.yaml").read_text(encoding="utf-8"))}
    assert set(back) == {b["id"] for b in BANK}
    for item in BANK[:3]:
        assert back[item["id"]]["question"] == item["question"]
        assert back[item["id"]]["kind"] == item.get("kind", "open")
    assert back["rt.open"]["answer"] == BANK[0]["answer"]
    assert back["rt.code"]["answer"] == BANK[1]["answer"]
    front = back["rt.choice"]["question"]
    assert front.startswith("Which optimiser keeps two moments?") and back["rt.choice"]["answer"] == "Adam."
    shown = [line[2:] for line in front.splitlines() if line.startswith("- ")]
    assert sorted(shown) == sorted(BANK[3]["choices"])


def test_choices_are_shuffled_by_id_deterministically():
    from mlprep.bank.schema import build_question
    from mlprep.quiz.export import shuffled_choices

    orders = set()
    for n in range(8):
        q, _ = build_question({**BANK[3], "id": f"rt.choice{n}"})
        assert shuffled_choices(q) == shuffled_choices(q)
        orders.add(tuple(shuffled_choices(q)))
    assert len(orders) > 1 and tuple(BANK[3]["choices"]) in orders | {tuple(BANK[3]["choices"])}


@pytest.mark.parametrize("make, needle", [
    (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "not a valid .apkg"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("readme.txt", "hi"), "no Anki collection"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("collection.anki2", b"not sqlite at all" * 10), "collection"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("collection.anki21b", b"\x28\xb5\x2f\xfd garbage"), "damaged"),
])
def test_a_corrupt_deck_is_one_line_exit_2(cli, tmp_path, make, needle):
    deck = tmp_path / "bad.apkg"
    make(deck)
    r = cli("import", deck, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "bad.apkg" in lines[0] and needle in lines[0] and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_a_zip_bomb_is_refused_before_unpacking(cli, tmp_path):
    deck = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(deck, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki2", b"\0" * (20 * 2**20))
    assert deck.stat().st_size < 2**20
    r = cli("import", deck)
    assert r.exit_code == 2 and "zip bomb" in r.output and len(r.output.strip().splitlines()) == 1, r.output
