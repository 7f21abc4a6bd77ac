"""The training loop: one process, or data-parallel under ``torchrun`` (gloo on CPU, nccl on CUDA).

``train()`` takes plain values and returns the summary dict; progress goes to an optional callback,
so the CLI owns the terminal. Only rank 0 evaluates, logs and saves.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import signal
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist

from nanogpt import checkpoint, report
from nanogpt.config import TrainConfig, to_dict
from nanogpt.data import Batches, prepare
from nanogpt.errors import GPTError
from nanogpt.model import GPT
from nanogpt.tokenizer import CharTokenizer

EVAL_SEED_OFFSET = 1  # validation batches come from their own generator: the same batches every eval


def pick_device(name: str) -> str:
    """``auto`` -> cuda, else mps, else cpu; an explicit device that is not present is an error."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if name == "cuda" and not cuda:
        raise GPTError("--device cuda but no CUDA GPU is visible to torch; use --device cpu or auto")
    if name == "mps" and not mps:
        raise GPTError("--device mps but Apple's MPS backend is not available; use --device cpu or auto")
    if name not in ("cpu", "cuda", "mps"):
        raise GPTError(f"unknown device {name!r}; use auto, cpu, cuda or mps")
    return name


def lr_at(it: int, cfg: TrainConfig) -> float:
    """Linear warm-up to the peak, cosine decay to ``min_lr`` at ``lr_decay_iters``, flat after."""
    if it < cfg.warmup_iters:
        return cfg.learning_rate * (it + 1) / (cfg.warmup_iters + 1)
    if it >= cfg.lr_decay_iters:
        return cfg.min_lr
    progress = (it - cfg.warmup_iters) / max(1, cfg.lr_decay_iters - cfg.warmup_iters)
    return cfg.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (cfg.learning_rate - cfg.min_lr)


@dataclass
class Dist:
    """This process's place in a torchrun job (rank 0 of 1 when run alone)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world > 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed(device: str) -> Dist:
    """Join the process group torchrun describes in the environment; a no-op without torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    d = Dist(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))
    if not dist.is_initialized():
        dist.init_process_group(backend="nccl" if device == "cuda" else "gloo")
    if device == "cuda":
        torch.cuda.set_device(d.local_rank)
    return d


@dataclass
class Progress:
    """What the callback sees after each optimizer step and each evaluation."""

    iter: int
    max_iters: int
    loss: float | None
    tokens_per_s: float | None
    eval: dict[str, Any] | None = None


@dataclass
class TrainResult:
    summary: dict[str, Any] | None  # what summary.json holds; None on DDP ranks other than 0
    model: GPT  # the trained model (unwrapped from DDP and torch.compile), on its device


@torch.no_grad()
def evaluate(model: GPT, batches: Batches, cfg: TrainConfig, device: str, autocast) -> tuple[float, float]:
    """Mean validation loss and top-5 next-token accuracy over ``eval_iters`` fixed batches."""
    model.eval()
    gen = torch.Generator().manual_seed(cfg.seed + EVAL_SEED_OFFSET)
    losses, hits, total = [], 0, 0
    for _ in range(cfg.eval_iters):
        x, y = batches.sample("val", cfg.batch_size, generator=gen)
        x, y = x.to(device), y.to(device)
        with autocast:
            logits, loss = model(x, y)
        losses.append(loss.item())
        top5 = logits.float().topk(5, dim=-1).indices  # (B, T, 5)
        hits += (top5 == y.unsqueeze(-1)).any(-1).sum().item()
        total += y.numel()
    model.train()
    return sum(losses) / len(losses), hits / total


class _StopFlag:
    """Set by Ctrl-C (SIGINT) while training runs; the loop saves and returns at the next step."""

    def __init__(self):
        self.set = False
        self._previous = None

    def __enter__(self):
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame):
        self.set = True

    def __exit__(self, *exc):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def train(
    cfg: TrainConfig,
    run_dir: Path,
    *,
    data: Path | None = None,
    resume: bool = False,
    device: str = "auto",
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[int], bool] | None = None,
) -> TrainResult:
    """Train (or, with ``resume``, continue training) in ``run_dir``.

    ``data`` is a UTF-8 text file, tokenised into ``run_dir/data``; a resumed run reuses that.
    ``should_stop(iter)`` is polled after every step, like Ctrl-C: True saves and returns.
    """
    device = pick_device(device)
    ddp = init_distributed(device)
    if ddp.enabled and device == "cuda":
        device = f"cuda:{ddp.local_rank}"
    run_dir = Path(run_dir)
    data_dir = run_dir / "data"
    ckpt = None
    if resume:
        ckpt = checkpoint.load(run_dir, prefer=checkpoint.LATEST)
        tok = CharTokenizer.from_json(ckpt["vocab"])
    else:
        if data is None:
            raise GPTError("no training text given")
        if ddp.main:
            tok = prepare(data, data_dir)
        if ddp.enabled:
            dist.barrier()
        tok = CharTokenizer.load(data_dir / "vocab.json")
    cfg = dataclasses.replace(cfg, model=dataclasses.replace(cfg.model, vocab_size=tok.vocab_size))
    if cfg.batch_size % ddp.world:
        raise GPTError(f"batch_size {cfg.batch_size} does not split evenly between {ddp.world} processes")

    torch.manual_seed(cfg.seed)
    batches = Batches(data_dir, cfg.model.block_size, cfg.seed)
    model = GPT(cfg.model).to(device)
    is_cuda = device.startswith("cuda")
    optimizer = model.optimizer(cfg.weight_decay, cfg.learning_rate, (cfg.beta1, cfg.beta2), fused=is_cuda)
    start_iter, best_val, best_top5, elapsed_before = 0, math.inf, None, 0.0
    if ckpt is not None:
        model.load_state_dict(ckpt["model"])
        optimizer.load_state_dict(ckpt["optimizer"])
        start_iter, best_val, best_top5 = ckpt["iter"], ckpt["best_val_loss"], ckpt["best_top5_acc"]
        elapsed_before = ckpt["elapsed_s"]
        torch.set_rng_state(ckpt["rng"]["torch"])
        batches.generator.set_state(ckpt["rng"]["batches"])
        if is_cuda and "cuda" in ckpt["rng"]:
            torch.cuda.set_rng_state(ckpt["rng"]["cuda"])

    if is_cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    autocast = (
        torch.autocast(device_type="cuda", dtype=torch.bfloat16)
        if is_cuda and cfg.amp
        else contextlib.nullcontext()
    )
    raw_model = model
    if is_cuda and cfg.compile:
        model = torch.compile(model)
    if ddp.enabled:
        model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[ddp.local_rank] if is_cuda else None)

    local_batch = cfg.batch_size // ddp.world
    rows = slice(ddp.rank * local_batch, (ddp.rank + 1) * local_batch)
    tokens_per_iter = cfg.batch_size * cfg.grad_accum * cfg.model.block_size
    log = report.MetricsLog(run_dir) if ddp.main else None
    iter_times: list[float] = []
    loss_sum, loss_count = torch.zeros((), device=device), 0
    t_start = time.perf_counter()

    def snapshot(it: int) -> dict[str, Any]:
        rng = {"torch": torch.get_rng_state(), "batches": batches.generator.get_state()}
        if is_cuda:
            rng["cuda"] = torch.cuda.get_rng_state()
        return {
            "model": raw_model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "config": to_dict(cfg),
            "vocab": tok.to_json(),
            "iter": it,
            "best_val_loss": best_val,
            "best_top5_acc": best_top5,
            "elapsed_s": elapsed_before + time.perf_counter() - t_start,
            "rng": rng,
        }

    def global_mean(total: torch.Tensor, count: int) -> float:
        if ddp.enabled:
            total = total.clone()
            dist.all_reduce(total)
            total /= ddp.world
        return total.item() / max(1, count)

    def rate() -> float | None:
        recent = iter_times[-20:]
        return tokens_per_iter / statistics.median(recent) if recent else None

    it = start_iter
    interrupted = False
    model.train()
    with _StopFlag() as stop:
        while True:
            at_end = it >= cfg.max_iters
            if (it % cfg.eval_interval == 0 and it != start_iter) or (at_end and it != start_iter):
                train_loss = global_mean(loss_sum, loss_count) if loss_count else None
                loss_sum.zero_()
                loss_count = 0
                if ddp.main:
                    val_loss, top5 = evaluate(raw_model, batches, cfg, device, autocast)
                    row = {
                        "iter": it,
                        "train_loss": train_loss,
                        "val_loss": val_loss,
                        "top5_acc": top5,
                        "tokens_per_s": rate(),
                        "elapsed_s": elapsed_before + time.perf_counter() - t_start,
                        "lr": lr_at(it - 1, cfg),
                    }
                    log.write(row)
                    if val_loss < best_val:
                        best_val, best_top5 = val_loss, top5
                        checkpoint.save(run_dir / checkpoint.BEST, snapshot(it))
                    checkpoint.save(run_dir / checkpoint.LATEST, snapshot(it))
                    if on_progress:
                        on_progress(Progress(it, cfg.max_iters, train_loss, rate(), row))
            if at_end:
                break
            halt = stop.set or (should_stop is not None and should_stop(it))
            if ddp.enabled:
                flag = torch.tensor(float(halt), device=device)
                dist.all_reduce(flag, op=dist.ReduceOp.MAX)
                halt = bool(flag.item())
            if halt:
                interrupted = True
                if ddp.main:
                    checkpoint.save(run_dir / checkpoint.LATEST, snapshot(it))
                break

            t0 = time.perf_counter()
            lr = lr_at(it, cfg)
            for group in optimizer.param_groups:
                group["lr"] = lr
            for micro in range(cfg.grad_accum):
                x, y = batches.sample("train", cfg.batch_size, rows=rows)
                x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
                sync = not ddp.enabled or micro == cfg.grad_accum - 1
                with contextlib.nullcontext() if sync else model.no_sync():
                    with autocast:
                        _, loss = model(x, y)
                    (loss / cfg.grad_accum).backward()
                loss_sum += loss.detach() / cfg.grad_accum
            if cfg.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(raw_model.parameters(), cfg.grad_clip)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            loss_count += 1
            it += 1
            iter_times.append(time.perf_counter() - t0)

            if it % cfg.log_interval == 0 or it == cfg.max_iters:
                recent = global_mean(loss_sum, loss_count)
                if not math.isfinite(recent):
                    raise GPTError(
                        f"training loss became {recent} by iteration {it}; lower --learning-rate "
                        f"or raise --warmup-iters (last good checkpoint: {run_dir / checkpoint.LATEST})"
                    )
                if ddp.main and on_progress:
                    on_progress(Progress(it, cfg.max_iters, recent, rate()))

    summary = None
    if ddp.main:
        rows_logged = log.rows()
        log.close()
        report.plot_losses(rows_logged, run_dir / "loss.png")
        summary = {
            "best_val_loss": best_val if math.isfinite(best_val) else None,
            "best_top5_acc": best_top5,
            "tokens_per_s": tokens_per_iter / statistics.median(iter_times) if iter_times else None,
            "wall_s": elapsed_before + time.perf_counter() - t_start,
            "iters": it,
            "interrupted": interrupted,
            "params": raw_model.num_params(),
            "world_size": ddp.world,
            "config": to_dict(cfg),
            "device": device,
            "run_dir": str(run_dir),
        }
        report.write_summary(run_dir, summary)
    if ddp.enabled:
        dist.barrier()
    return TrainResult(summary, raw_model)
