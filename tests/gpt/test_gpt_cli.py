"""train-gpt, generate and bench-gpt through the CLI: happy paths, JSON, and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch
from gpt_helpers import one_thread, write_text  # noqa: F401
from typer.testing import CliRunner

from mlprep.cli import app
from mlprep.commands.gpt import unescape

pytestmark = pytest.mark.usefixtures("one_thread")
TINY_FLAGS = ["--n-layer", "2", "--n-head", "2", "--n-embd", "32", "--block-size", "16", "--batch-size", "8",
              "--eval-interval", "10", "--eval-iters", "2", "--warmup-iters", "2", "--threads", "1"]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One tiny run shared by the generate tests."""
    folder = tmp_path_factory.mktemp("gpt_cli")
    run = folder / "run"
    result = CliRunner().invoke(app, ["train-gpt", "--data", str(write_text(folder)), "--out", str(run),
                                      "--max-iters", "20", *TINY_FLAGS])
    assert result.exit_code == 0, result.output
    return run


def test_train_gpt_writes_a_run_and_refuses_to_clobber_it(cli, trained):
    summary = json.loads((trained / "summary.json").read_text())
    assert summary["iters"] == 20 and summary["device"] == "cpu"
    again = cli("train-gpt", "--data", trained.parent / "corpus.txt", "--out", trained, "--max-iters", "2", *TINY_FLAGS)
    assert again.exit_code == 2 and "already holds checkpoints" in again.output


def test_train_gpt_resume_extends_a_run(cli, tmp_path):
    run = tmp_path / "run"
    assert cli("train-gpt", "--data", write_text(tmp_path), "--out", run, "--max-iters", "4", *TINY_FLAGS).exit_code == 0
    r = cli("train-gpt", "--resume", run, "--max-iters", "8", "--threads", "1")
    assert r.exit_code == 0, r.output
    assert json.loads((run / "summary.json").read_text())["iters"] == 8
    bad = cli("train-gpt", "--resume", run, "--n-layer", "3")
    assert bad.exit_code == 2 and "only --max-iters" in bad.output


def test_generate_streams_and_is_reproducible(cli, trained):
    args = ["generate", "--checkpoint", trained, "--prompt", "First", "--length", "30", "--seed", "4"]
    a, b = cli(*args), cli(*args)
    assert a.exit_code == 0, a.output
    assert a.stdout == b.stdout and a.stdout.startswith("First") and len(a.stdout.strip()) >= 30


def test_generate_streams_in_a_terminal_and_ctrl_c_exits_130(trained, tmp_path):
    """Text must reach the terminal while the model is still generating, not when it ends."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "MLPREP_HOME": str(tmp_path), "TERM": "xterm-256color"}
    child = pexpect.spawn(sys.executable, ["-m", "mlprep", "generate", "--checkpoint", str(trained), "--prompt", "All:",
                                           "--length", "500000", "--no-kv-cache"], env=env, encoding="utf-8", timeout=60)
    try:
        child.expect("All:")
        child.expect(r"\S{3}")  # generated text, long before 500,000 characters are done
        assert child.isalive()
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 130 and "Traceback" not in child.before


def test_generate_json_batch_and_cache_equivalence(cli, trained):
    common = ["generate", "--checkpoint", trained, "--prompt", "All:", "--prompt", "First Citizen", "--length", "10",
              "--seed", "2", "--top-k", "5", "--json"]
    cached = json.loads(cli(*common).stdout)
    uncached = json.loads(cli(*common, "--no-kv-cache").stdout)
    assert len(cached["completions"]) == 2 and all(len(c) == 10 for c in cached["completions"])
    assert cached["completions"][0] == uncached["completions"][0]  # 4 + 10 tokens: inside the 16 window


def test_generate_compiled_gives_the_same_text(cli, trained):
    common = ["generate", "--checkpoint", trained, "--prompt", "All:", "--length", "40", "--seed", "3", "--top-k", "5",
              "--json"]
    eager = json.loads(cli(*common).stdout)
    r = cli(*common, "--compile")
    assert r.exit_code == 0, r.output
    fast = json.loads(r.stdout)
    assert fast["completions"] == eager["completions"]  # 44 tokens: well past the 16 window
    assert fast["compiled"] is True and fast["compile_s"] > 0 and eager["compile_s"] == 0


def test_generate_stop_string_is_not_printed(cli, trained):
    r = cli("generate", "--checkpoint", trained, "--prompt", "All", "--length", "200", "--temperature", "0", "--json")
    text = json.loads(r.stdout)["completions"][0]
    stop = text[5:7]
    r = cli("generate", "--checkpoint", trained, "--prompt", "All", "--length", "200", "--temperature", "0",
            "--stop", stop, "--json")
    assert json.loads(r.stdout)["completions"][0] == text[: text.index(stop)]
    assert unescape("\\n\\nEND\\t") == "\n\nEND\t"  # what a shell passes for --stop "\n\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate"], "no trained model yet"),
        (["generate", "--checkpoint", "nowhere.pt"], "no such checkpoint"),
        (["generate", "--top-p", "2"], "top-p must be in (0, 1]"),
        (["generate", "--compile", "--no-kv-cache"], "--compile needs the KV cache"),
        (["train-gpt", "--data", "missing.txt", "--out", "run"], "no such data file"),
        (["train-gpt", "--config", "huge"], "unknown config"),
        (["train-gpt", "--pos", "sinusoid", "--data", "missing.txt"], "pos must be one of"),
    ],
)
def test_errors_are_one_line_exit_2(cli, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    r = cli(*args)
    assert r.exit_code == 2
    assert message in r.output and "Traceback" not in r.output
    assert len(r.stderr.strip().splitlines()) == 1


def test_generate_rejects_unknown_prompt_characters_and_bad_checkpoints(cli, trained, tmp_path):
    r = cli("generate", "--checkpoint", trained, "--prompt", "€uro")
    assert r.exit_code == 2 and "not in the vocabulary" in r.output
    (tmp_path / "junk.pt").write_text("junk")
    r = cli("generate", "--checkpoint", tmp_path / "junk.pt")
    assert r.exit_code == 2 and "junk.pt" in r.output and "not a readable checkpoint" in r.output


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message shown when no GPU is present")
def test_cuda_without_a_gpu_is_a_one_line_error(cli, tmp_path):
    r = cli("train-gpt", "--device", "cuda", "--data", write_text(tmp_path), "--out", tmp_path / "run")
    assert r.exit_code == 2 and "no CUDA GPU" in r.output and "Traceback" not in r.output


def test_bench_gpt_json(cli):
    r = cli("bench-gpt", "--tokens", "20", "--shape", "lite", "--no-peer", "--threads", "1", "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["tokens"] == 20 and report["device"] == "cpu"
    assert set(report["ms_per_token"]) == {"cached", "uncached", "hf_cached", "compiled"}
    assert report["ms_per_token"]["hf_cached"] is None and report["speedup_vs_hf"] is None
    assert report["ms_per_token"]["compiled"] is None and report["compile_s"] is None
    assert report["kernels"] in {"transposed", "onednn"}
    assert report["speedup_cache"] == pytest.approx(report["ms_per_token"]["uncached"] / report["ms_per_token"]["cached"])


def test_the_cli_does_not_import_torch_for_help():
    code = "import sys; from mlprep.cli import app; assert 'torch' not in sys.modules and 'nanogpt' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.fixture(scope="module")
def draft_run(trained):
    """A 1-layer draft trained on the same text as ``trained``."""
    run = trained.parent / "draft"
    flags = [f if f != "2" or i != 1 else "1" for i, f in enumerate(TINY_FLAGS)]  # --n-layer 1
    result = CliRunner().invoke(app, ["train-gpt", "--data", str(trained.parent / "corpus.txt"), "--out", str(run),
                                      "--max-iters", "10", *flags])
    assert result.exit_code == 0, result.output
    return run


def test_generate_with_a_draft_gives_the_greedy_text_and_reports_acceptance(cli, trained, draft_run):
    args = ["generate", "--checkpoint", trained, "--prompt", "First", "--length", "40", "--temperature", "0", "--json"]
    plain = json.loads(cli(*args).stdout)
    r = cli(*args, "--draft", draft_run, "--draft-tokens", "3")
    assert r.exit_code == 0, r.output
    spec = json.loads(r.stdout)
    assert spec["completions"] == plain["completions"]
    assert spec["draft"]["tokens"] == 3 and 0 <= spec["draft"]["acceptance"] <= 1
    sampled = cli("generate", "--checkpoint", trained, "--draft", draft_run, "--length", "30", "--seed", "4")
    assert sampled.exit_code == 0 and "speculative: 4 draft tokens a round" in sampled.output


def test_generate_draft_misuse_is_one_line(cli, trained, draft_run, tmp_path):
    r = cli("generate", "--checkpoint", trained, "--draft", draft_run, "--prompt", "a", "--prompt", "b")
    assert r.exit_code == 2 and "one prompt" in r.output
    other = tmp_path / "other.txt"
    other.write_text("xyz, zyx; " * 400)
    trained_other = cli("train-gpt", "--data", other, "--out", tmp_path / "other", "--max-iters", "2", *TINY_FLAGS)
    assert trained_other.exit_code == 0, trained_other.output
    r = cli("generate", "--checkpoint", trained, "--draft", tmp_path / "other")
    assert r.exit_code == 2 and "other characters" in r.output and "Traceback" not in r.output


def test_bench_gpt_draft_json(cli, trained, draft_run):
    r = cli("bench-gpt", "--draft", draft_run, "--checkpoint", trained, "--tokens", "20", "--threads", "1", "--json")
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["plain"]["ms_per_token"] > 0
    assert [row["draft_tokens"] for row in report["speculative"]] == [2, 4, 6]
    assert all(0 <= row["acceptance"] <= 1 and row["speedup"] > 0 for row in report["speculative"])
    assert cli("bench-gpt", "--draft", draft_run).exit_code == 2
