"""The GPU proof in one command: heavy training, generation, DDP, one JSON summary.

    bash bench/gpu_check.sh                        # on a CUDA machine (under 9 minutes on one H100-class GPU)
    bash bench/gpu_check.sh --dry-run --out x.json # the same code paths on the CPU at tiny shapes (seconds)

1. ``heavy`` training (6L/6H/384, context 256, bf16 autocast, torch.compile) on Tiny Shakespeare to
   its best validation loss, with tokens/s and wall time; target best val <= 1.47 in under 3 minutes.
2. Generation of 1,000 tokens at the heavy shape: the cached engine, the compiled decode step
   (a CUDA graph on CUDA), crop-and-recompute, and transformers' GPT-2 of the same size.
3. A 2-process DDP run (torchrun, nccl) when two GPUs are present, else a note saying why not.
Everything lands in one JSON document (``--out``, also printed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mlprep.solutions import ensure_importable  # noqa: E402

ensure_importable()

import torch  # noqa: E402
from nanogpt.config import heavy, with_overrides  # noqa: E402
from nanogpt.speed import run_benchmark  # noqa: E402
from nanogpt.train import train  # noqa: E402

SHAKESPEARE = [REPO.parent / "shared" / "data" / "tinyshakespeare.txt", REPO / "shared" / "data" / "tinyshakespeare.txt"]
TARGET_VAL, TARGET_WALL_S = 1.47, 180
DRY = {"n_layer": 2, "n_head": 2, "n_embd": 32, "block_size": 32, "batch_size": 8, "max_iters": 20,
       "eval_interval": 10, "eval_iters": 2, "warmup_iters": 2, "dropout": 0.0}


def find_data(given: Path | None) -> Path:
    for path in ([given] if given else SHAKESPEARE):
        if path and path.is_file():
            return path
    sys.exit(f"gpu_check: no training text; pass --data FILE (looked in {', '.join(map(str, SHAKESPEARE))})")


def training(data: Path, work: Path, device: str, dry: bool) -> dict:
    cfg = with_overrides(heavy(), DRY if dry else {})
    t0 = time.perf_counter()
    s = train(cfg, work / "heavy", data=data, device=device).summary
    wall = time.perf_counter() - t0
    return {"preset": "heavy" + (" (dry-run shape)" if dry else ""), "best_val_loss": s["best_val_loss"],
            "best_top5_acc": s["best_top5_acc"], "tokens_per_s": s["tokens_per_s"], "wall_s": wall,
            "iters": s["iters"], "amp": cfg.amp, "compile": cfg.compile,
            "target": {"best_val_loss": TARGET_VAL, "wall_s": TARGET_WALL_S},
            "target_met": s["best_val_loss"] is not None and s["best_val_loss"] <= TARGET_VAL and wall <= TARGET_WALL_S}


def generation(device: str, dry: bool) -> dict:
    cfg = with_overrides(heavy(), DRY).model if dry else heavy().model
    return run_benchmark(cfg, 20 if dry else 1000, device, with_peer=not dry, repeats=1 if dry else 3,
                         compile=device == "cuda")


def ddp(data: Path, work: Path, dry: bool) -> dict:
    gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if dry or gpus < 2:
        why = "dry run" if dry else f"{gpus} GPU(s) visible; DDP needs two"
        return {"ran": False, "note": why}
    out = work / "ddp"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", "-m", "mlprep",
           "train-gpt", "--config", "heavy", "--device", "cuda", "--data", str(data), "--out", str(out),
           "--max-iters", "500", "--eval-interval", "250"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - t0
    if proc.returncode:
        return {"ran": True, "ok": False, "stderr_tail": proc.stderr[-2000:]}
    s = json.loads((out / "summary.json").read_text())
    return {"ran": True, "ok": True, "world_size": s["world_size"], "tokens_per_s": s["tokens_per_s"],
            "best_val_loss": s["best_val_loss"], "wall_s": wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="the CPU at tiny shapes: checks the script, measures nothing")
    ap.add_argument("--data", type=Path, help="training text (default: Tiny Shakespeare from ../shared/data)")
    ap.add_argument("--out", type=Path, default=REPO / "runs" / "gpu_check.json", help="where the JSON summary goes")
    args = ap.parse_args()
    device = "cpu" if args.dry_run else "cuda"
    if not args.dry_run and not torch.cuda.is_available():
        sys.exit("gpu_check: torch sees no CUDA GPU; run it on a CUDA machine, or --dry-run to check the script")
    data = find_data(args.data)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as tmp:
        work = Path(tmp)
        summary = {
            "dry_run": args.dry_run,
            "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
            "torch": torch.__version__,
            "training": training(data, work, device, args.dry_run),
            "generation": generation(device, args.dry_run),
            "ddp": ddp(data, work, args.dry_run),
        }
    summary["total_wall_s"] = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2, default=str) + "\n")
    print(json.dumps(summary, indent=2, default=str))
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
