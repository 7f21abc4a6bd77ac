"""Atomic writes: the file appears whole or not at all, and no temporary file is left behind."""

from __future__ import annotations

import pytest

from mlprep.fileio import atomic_write_text


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "bank.yaml"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two")
    assert target.read_text(encoding="utf-8") == "two"
    assert [p.name for p in target.parent.iterdir()] == ["bank.yaml"]


def test_failed_replace_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x")
    with pytest.raises(OSError):
        atomic_write_text(target, "text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
