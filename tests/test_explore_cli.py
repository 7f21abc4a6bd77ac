"""`mlprep explore gmm` and `mlprep explore posenc` through the CLI: files, summaries, JSON, error paths."""

from __future__ import annotations

import json
import sys

import pytest
from explore_helpers import learned_run_fixture, png_size, rope_run_fixture  # noqa: F401

from mlprep.explore.plots import SIZES


def test_posenc_writes_its_pngs_and_prints_a_summary(cli, tmp_path):
    r = cli("explore", "posenc", "--positions", "48", "--d-model", "16", "--out", tmp_path)
    assert r.exit_code == 0, r.output
    for name, kind in [("posenc_sinusoidal.png", "sinusoidal"), ("posenc_scores.png", "scores")]:
        assert png_size(tmp_path / name) == SIZES[kind]
        assert f"wrote {tmp_path / name}" in r.stdout
    assert "mean similarity by distance" in r.stdout and "RoPE" in r.stdout


def test_posenc_json_is_one_document_with_the_numbers(cli, tmp_path):
    r = cli("explore", "posenc", "--positions", "40", "--d-model", "8", "--seed", "5", "--out", tmp_path, "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["rope"]["shift_deviation"] < 1e-9 and s["sinusoidal"]["shift_deviation"] < 1e-9
    assert s["additive"]["shift_deviation"] > 1.0
    assert s["sinusoidal"]["similarity_by_distance"]["0"] == pytest.approx(1.0)
    assert len(s["files"]) == 2 and "learned" not in s


def test_posenc_plots_a_checkpoints_learned_positions(cli, tmp_path, learned_run):
    r = cli("explore", "posenc", "--positions", "32", "--d-model", "16", "--checkpoint", learned_run,
            "--out", tmp_path, "--json")
    assert r.exit_code == 0, r.output
    learned = json.loads(r.stdout)["learned"]
    assert learned["shape"] == [16, 32] and learned["cosine_by_distance"]["0"] == pytest.approx(1.0)
    assert png_size(tmp_path / "posenc_learned.png") == SIZES["learned"]


def test_posenc_errors_are_one_line_with_exit_2(cli, tmp_path, rope_run):
    r = cli("explore", "posenc", "--checkpoint", rope_run, "--out", tmp_path)
    assert r.exit_code == 2 and "not a learned table" in r.stderr and "--pos learned" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not list(tmp_path.glob("*.png"))
    r = cli("explore", "posenc", "--checkpoint", tmp_path / "missing", "--out", tmp_path)
    assert r.exit_code == 2 and "no such checkpoint" in r.stderr
    r = cli("explore", "posenc", "--d-model", "7")
    assert r.exit_code == 2 and "must be even" in r.stderr


def test_without_matplotlib_the_command_says_how_to_install_it(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError
    r = cli("explore", "posenc", "--out", tmp_path)
    assert r.exit_code == 2 and "pip install 'mlprep[plot]'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
