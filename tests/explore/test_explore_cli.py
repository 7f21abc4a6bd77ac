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


def test_gmm_2d_writes_a_png_and_a_table_per_stage(cli, tmp_path):
    out = tmp_path / "plots" / "gmm.png"
    r = cli("explore", "gmm", "--n", "300", "--seed", "2", "--out", out)
    assert r.exit_code == 0, r.output
    assert png_size(out) == SIZES["gmm"] and f"wrote {out}" in r.stdout
    for column in ("log-lik / point", "BIC", "EM rounds", "mean error", "k-means", "diag", "full"):
        assert column in r.stdout


def test_gmm_3d_json_follows_the_chosen_covariance(cli, tmp_path):
    out = tmp_path / "gmm3.png"
    r = cli("explore", "gmm", "--dim", "3", "--k", "4", "--covariance", "spherical", "--seed", "3", "--n", "300",
            "--noise", "0.3", "--out", out, "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert [st["stage"] for st in s["stages"]] == ["k-means", "spherical"]
    assert s["stages"][0]["em_rounds"] is None and s["stages"][1]["em_rounds"] >= 1
    assert s["stages"][1]["loglik_per_point"] >= s["stages"][0]["loglik_per_point"]
    assert s["file"] == str(out) and png_size(out) == SIZES["gmm3d"]


@pytest.mark.parametrize("args, hint", [
    (["--covariance", "tied"], "--covariance"),
    (["--dim", "4"], "--dim"),
    (["--k", "9"], "--k"),
    (["--k", "8", "--n", "79"], "at least 10 points per Gaussian"),
])
def test_gmm_rejects_bad_options_with_exit_2(cli, tmp_path, args, hint):
    r = cli("explore", "gmm", *args, "--out", tmp_path / "g.png")
    assert r.exit_code == 2 and hint in r.stderr and not (tmp_path / "g.png").exists()


@pytest.mark.parametrize("command", ["gmm", "posenc"])
def test_without_matplotlib_the_command_says_how_to_install_it(cli, tmp_path, monkeypatch, command):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now raises ImportError
    r = cli("explore", command, "--out", tmp_path / "out")
    assert r.exit_code == 2 and "pip install 'mlprep[plot]'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "out").exists()
