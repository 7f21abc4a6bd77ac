"""Training: data preparation and download, the loop, checkpoints, resume, Ctrl-C, DDP, error paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from gpt_helpers import TEXT, one_thread, tiny_config, write_text  # noqa: F401
from nanogpt import checkpoint
from nanogpt.data import SHAKESPEARE_SHA256, fetch_shakespeare, prepare
from nanogpt.device import pick_device
from nanogpt.errors import GPTError
from nanogpt.train import lr_at, train

pytestmark = pytest.mark.usefixtures("one_thread")


def test_fetch_verifies_and_caches_through_a_file_url(tmp_path, shakespeare):
    cache = tmp_path / "cache"
    got = fetch_shakespeare(cache, url=shakespeare.as_uri())
    assert got.read_bytes() == shakespeare.read_bytes()
    assert len(got.read_bytes()) == 1_115_394
    # the cached copy is reused: no fetch happens, even from a URL that cannot work
    assert fetch_shakespeare(cache, url="file:///nonexistent/input.txt") == got


def test_fetch_refuses_a_file_with_the_wrong_hash(tmp_path):
    wrong = write_text(tmp_path)
    with pytest.raises(GPTError, match="SHA-256"):
        fetch_shakespeare(tmp_path / "cache", url=wrong.as_uri(), sha256=SHAKESPEARE_SHA256)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())
    with pytest.raises(GPTError, match="could not download"):
        fetch_shakespeare(tmp_path / "cache", url=(tmp_path / "missing.txt").as_uri())


def test_prepare_splits_90_10_into_uint16_memmaps(tmp_path):
    tok = prepare(write_text(tmp_path), tmp_path / "data")
    train_ids = np.fromfile(tmp_path / "data" / "train.bin", dtype=np.uint16)
    val_ids = np.fromfile(tmp_path / "data" / "val.bin", dtype=np.uint16)
    assert len(train_ids) == int(0.9 * len(TEXT)) and len(train_ids) + len(val_ids) == len(TEXT)
    assert tok.decode(np.concatenate([train_ids, val_ids])) == TEXT
    assert tok.vocab_size == len(set(TEXT))


def test_lr_schedule_warms_up_then_decays_to_min():
    cfg = tiny_config(warmup_iters=10, max_iters=100, learning_rate=1.0, min_lr=0.1)
    lrs = [lr_at(i, cfg) for i in range(120)]
    assert lrs[0] < lrs[5] < lrs[9] <= 1.0
    assert max(lrs) == pytest.approx(1.0, abs=0.01)
    assert all(a >= b for a, b in zip(lrs[10:], lrs[11:], strict=False))
    assert lrs[100] == lrs[119] == 0.1


def test_training_lowers_the_loss_and_writes_the_run_folder(tmp_path):
    run = tmp_path / "run"
    result = train(tiny_config(max_iters=60, eval_interval=20, eval_iters=4, learning_rate=1e-2, warmup_iters=5), run, data=write_text(tmp_path), device="cpu")
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["iter"] for r in rows] == [20, 40, 60]
    assert set(rows[0]) >= {"iter", "train_loss", "val_loss", "top5_acc", "tokens_per_s", "elapsed_s"}
    assert rows[-1]["val_loss"] < rows[0]["val_loss"] - 0.3
    summary = json.loads((run / "summary.json").read_text())
    assert set(summary) >= {"best_val_loss", "best_top5_acc", "tokens_per_s", "wall_s", "config", "device"}
    assert summary == result.summary
    assert summary["best_val_loss"] == min(r["val_loss"] for r in rows)
    assert 0 < summary["best_top5_acc"] <= 1
    assert (run / "loss.png").read_bytes()[:4] == b"\x89PNG"
    assert (run / "data" / "vocab.json").is_file()


def test_checkpoint_round_trip_gives_the_same_model(tmp_path):
    run = tmp_path / "run"
    result = train(tiny_config(), run, data=write_text(tmp_path), device="cpu")
    model, tok, cfg = checkpoint.restore_model(checkpoint.load(run, prefer=checkpoint.LATEST))
    x = torch.tensor([tok.encode("First Citizen:")])
    result.model.eval()
    torch.testing.assert_close(model(x)[0], result.model(x)[0], atol=0, rtol=0)
    assert cfg.max_iters == 6 and tok.vocab_size == len(set(TEXT))


def test_resume_continues_exactly(tmp_path):
    data = write_text(tmp_path)
    straight = train(tiny_config(dropout=0.1), tmp_path / "a", data=data, device="cpu").model
    stopped = train(tiny_config(dropout=0.1), tmp_path / "b", data=data, device="cpu", should_stop=lambda it: it == 4)
    assert stopped.summary["interrupted"] and stopped.summary["iters"] == 4
    resumed = train(tiny_config(dropout=0.1), tmp_path / "b", resume=True, device="cpu").model
    for (name, a), b in zip(straight.state_dict().items(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b), name
    assert json.loads((tmp_path / "b" / "summary.json").read_text())["iters"] == 6


def test_ctrl_c_saves_and_returns(tmp_path):
    def interrupt(progress):
        if progress.iter == 2 and progress.eval is None:
            signal.raise_signal(signal.SIGINT)

    result = train(tiny_config(max_iters=50, eval_interval=100), tmp_path / "run", data=write_text(tmp_path),
                   device="cpu", on_progress=interrupt)
    assert result.summary["interrupted"] and result.summary["iters"] == 2
    assert checkpoint.load(tmp_path / "run", prefer=checkpoint.LATEST)["iter"] == 2


def test_nan_loss_stops_with_a_message(tmp_path):
    with pytest.raises(GPTError, match="loss became"):
        train(tiny_config(learning_rate=1e12, min_lr=1e12, warmup_iters=0, grad_clip=0.0, max_iters=20),
              tmp_path / "run", data=write_text(tmp_path), device="cpu")


def test_error_paths(tmp_path):
    if not torch.cuda.is_available():
        with pytest.raises(GPTError, match="no CUDA GPU"):
            pick_device("cuda")
    with pytest.raises(GPTError, match="no such data file"):
        train(tiny_config(), tmp_path / "run", data=tmp_path / "nope.txt", device="cpu")
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(GPTError, match="not a readable checkpoint"):
        checkpoint.load(tmp_path / "bad.pt")
    torch.save({"model": {}}, tmp_path / "partial.pt")
    with pytest.raises(GPTError, match="not an mlprep GPT checkpoint"):
        checkpoint.load(tmp_path / "partial.pt")
    with pytest.raises(GPTError, match="no ckpt_best.pt"):
        checkpoint.load(tmp_path)
    short = write_text(tmp_path, "tiny text " * 12)
    with pytest.raises(GPTError, match="fewer than block_size"):
        train(tiny_config(block_size=64), tmp_path / "short", data=short, device="cpu")


@pytest.mark.slow
def test_ddp_two_gloo_processes_match_one_process(tmp_path):
    data = write_text(tmp_path)
    tests = Path(__file__).resolve().parent  # the worker imports gpt_helpers from the folder above
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests.parent), os.environ.get("PYTHONPATH", "")]),
           "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
           str(tests / "gpt_ddp_worker.py"), str(data), str(tmp_path / "ddp")]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rank0 = torch.load(tmp_path / "ddp" / "rank0.pt", weights_only=True)
    rank1 = torch.load(tmp_path / "ddp" / "rank1.pt", weights_only=True)
    for name in rank0:
        assert torch.equal(rank0[name], rank1[name]), name

    single = train(tiny_config(), tmp_path / "single", data=data, device="cpu")
    for name, value in single.model.state_dict().items():
        torch.testing.assert_close(rank0[name], value, atol=1e-5, rtol=1e-4)
    ddp_rows = (tmp_path / "ddp" / "metrics.jsonl").read_text().splitlines()
    one_rows = (tmp_path / "single" / "metrics.jsonl").read_text().splitlines()
    for a, b in zip(ddp_rows, one_rows, strict=True):
        a, b = json.loads(a), json.loads(b)
        assert a["train_loss"] == pytest.approx(b["train_loss"], abs=1e-5)
        assert a["val_loss"] == pytest.approx(b["val_loss"], abs=1e-5)
    assert json.loads((tmp_path / "ddp" / "summary.json").read_text())["world_size"] == 2
