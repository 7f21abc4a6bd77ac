"""bench/gpu_check.sh in its dry-run mode: the same code paths on the CPU, one JSON summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import REPO
from gpt_helpers import write_text


@pytest.mark.slow
def test_dry_run_writes_one_json_summary(tmp_path):
    out = tmp_path / "check.json"
    env = {**os.environ, "PYTHON": sys.executable, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(["bash", str(REPO / "bench" / "gpu_check.sh"), "--dry-run", "--data", str(write_text(tmp_path)),
                           "--out", str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(out.read_text())
    assert summary == json.loads(proc.stdout)
    assert summary["dry_run"] is True and summary["device"] == "cpu"
    assert summary["training"]["iters"] == 20 and summary["training"]["best_val_loss"] > 0
    gen = summary["generation"]["ms_per_token"]
    assert gen["cached"] > 0 and gen["uncached"] > 0
    assert summary["ddp"] == {"ran": False, "note": "dry run"}


def test_without_a_gpu_it_says_so_in_one_line(tmp_path):
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    proc = subprocess.run(["bash", str(REPO / "bench" / "gpu_check.sh")], capture_output=True, text=True,
                          env={**os.environ, "PYTHON": sys.executable}, timeout=120)
    assert proc.returncode == 1 and "no CUDA GPU" in proc.stderr and "Traceback" not in proc.stderr
