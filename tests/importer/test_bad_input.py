"""Bad input to `mlprep import`: one line naming the file, exit 2 (1 when nothing held a card),
nothing written, never a traceback or a hang."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

import pytest


def refused(cli, tmp_path, mlprep_home, *args, needle=""):
    out = tmp_path / "out"
    for extra in ([], ["--out", out]):
        r = cli("import", *args, *extra)
        assert r.exit_code == 2, r.output
        lines = [line for line in r.output.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in r.output, r.output
        assert needle in lines[0] and str(args[0]) in lines[0], lines[0]
    assert not out.exists()
    assert not (mlprep_home / "banks").exists()


def test_missing_note(cli, tmp_path, mlprep_home):
    refused(cli, tmp_path, mlprep_home, tmp_path / "nope.md", needle="no such note")


def test_binary_note(cli, tmp_path, mlprep_home):
    path = tmp_path / "photo.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    refused(cli, tmp_path, mlprep_home, path, needle="binary")


def test_non_utf8_note(cli, tmp_path, mlprep_home):
    path = tmp_path / "latin.md"
    path.write_bytes("Q: Qu'est-ce qu'un r\u00e9seau ?\nA: Un graphe.\n".encode("latin-1"))
    refused(cli, tmp_path, mlprep_home, path, needle="UTF-8")


def test_a_20_mb_note(cli, tmp_path, mlprep_home):
    path = tmp_path / "huge.md"
    path.write_bytes(b"Q: What is big?\nA: This.\n" + b"x" * (20 * 2**20))
    refused(cli, tmp_path, mlprep_home, path, needle="too large")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero(cli, tmp_path, mlprep_home):
    refused(cli, tmp_path, mlprep_home, "/dev/zero", needle="not a regular file")


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
def test_a_fifo(cli, tmp_path, mlprep_home):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    refused(cli, tmp_path, mlprep_home, fifo, needle="not a regular file")


def test_a_corrupt_apkg(cli, tmp_path, mlprep_home):
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(b"this is not a zip")
    refused(cli, tmp_path, mlprep_home, deck, needle="not a valid .apkg")


def test_a_zip_bomb(cli, tmp_path, mlprep_home):
    deck = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(deck, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki21", b"\0" * (30 * 2**20))
    refused(cli, tmp_path, mlprep_home, deck, needle="zip bomb")


def test_a_folder_with_no_notes(cli, tmp_path, mlprep_home):
    folder = tmp_path / "empty"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "a.png").write_bytes(b"\x89PNG")
    refused(cli, tmp_path, mlprep_home, folder, needle="no notes")


def test_one_bad_note_in_a_folder_stops_the_import_before_anything_is_written(cli, tmp_path, mlprep_home):
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "good.md").write_text("Q: What is good?\nA: This.\n", encoding="utf-8")
    (folder / "bad.md").write_bytes(b"\xff\xfe\0\0binary")
    r = cli("import", folder)
    assert r.exit_code == 2 and "bad.md" in r.output and len(r.output.strip().splitlines()) == 1
    assert not (mlprep_home / "banks").exists()


def test_notes_without_cards_exit_1_and_write_nothing(cli, tmp_path, mlprep_home):
    path = tmp_path / "prose.md"
    path.write_text("Just some prose, no questions at all.\n", encoding="utf-8")
    r = cli("import", path)
    assert r.exit_code == 1 and "no cards in" in r.output and "Traceback" not in r.output
    assert not (mlprep_home / "banks" / "imported").exists()
