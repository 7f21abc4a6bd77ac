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
from nanogpt.device import pick_device
from nanogpt.errors import GPTError
from nanogpt.model import GPT
from nanogpt.tokenizer import CharTokenizer

EVAL_SEED_OFFSET = 1  # validation batches come from their own generator: the same batches every eval


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
    run = _Run.setup(cfg, Path(run_dir), data, resume, device)
    it = run.start_iter
    interrupted = False
    run.model.train()
    with _StopFlag() as stop:
        while True:
            at_end = it >= run.cfg.max_iters
            if it != run.start_iter and (it % run.cfg.eval_interval == 0 or at_end):
                row = run.evaluate_and_save(it)
                if row is not None and on_progress:
                    on_progress(Progress(it, run.cfg.max_iters, row["train_loss"], run.rate(), row))
            if at_end:
                break
            if run.agree_to_stop(stop.set or (should_stop is not None and should_stop(it))):
                interrupted = True
                run.save_latest(it)
                break
            it = run.step(it)
            if it % run.cfg.log_interval == 0 or it == run.cfg.max_iters:
                recent = run.recent_loss(it)
                if run.ddp.main and on_progress:
                    on_progress(Progress(it, run.cfg.max_iters, recent, run.rate()))
    return run.finish(it, interrupted)


class _Run:
    """One training run's state: the model, optimiser, data and bookkeeping ``train`` steps through."""

    @classmethod
    def setup(cls, cfg: TrainConfig, run_dir: Path, data: Path | None, resume: bool, device: str) -> _Run:
        """Pick the device, join a torchrun job, tokenise the data (or load a checkpoint to resume),
        build the model and optimiser, and wrap them for autocast, compile and DDP."""
        run = cls()
        device = pick_device(device)
        run.ddp = ddp = init_distributed(device)
        if ddp.enabled and device == "cuda":
            device = f"cuda:{ddp.local_rank}"
        run.device, run.run_dir = device, run_dir
        data_dir = run_dir / "data"
        ckpt = None
        if resume:
            ckpt = checkpoint.load(run_dir, prefer=checkpoint.LATEST)
            run.tok = CharTokenizer.from_json(ckpt["vocab"])
        else:
            if data is None:
                raise GPTError("no training text given")
            if ddp.main:
                prepare(data, data_dir)
            if ddp.enabled:
                dist.barrier()
            run.tok = CharTokenizer.load(data_dir / "vocab.json")
        cfg = dataclasses.replace(cfg, model=dataclasses.replace(cfg.model, vocab_size=run.tok.vocab_size))
        if cfg.batch_size % ddp.world:
            raise GPTError(f"batch_size {cfg.batch_size} does not split evenly between {ddp.world} processes")
        run.cfg = cfg

        torch.manual_seed(cfg.seed)
        run.batches = Batches(data_dir, cfg.model.block_size, cfg.seed)
        run.raw_model = GPT(cfg.model).to(device)
        run.is_cuda = is_cuda = device.startswith("cuda")
        run.optimizer = run.raw_model.optimizer(cfg.weight_decay, cfg.learning_rate, (cfg.beta1, cfg.beta2), fused=is_cuda)
        run.start_iter, run.best_val, run.best_top5, run.elapsed_before = 0, math.inf, None, 0.0
        if ckpt is not None:
            run.raw_model.load_state_dict(ckpt["model"])
            run.optimizer.load_state_dict(ckpt["optimizer"])
            run.start_iter, run.best_val, run.best_top5 = ckpt["iter"], ckpt["best_val_loss"], ckpt["best_top5_acc"]
            run.elapsed_before = ckpt["elapsed_s"]
            torch.set_rng_state(ckpt["rng"]["torch"])
            run.batches.generator.set_state(ckpt["rng"]["batches"])
            if is_cuda and "cuda" in ckpt["rng"]:
                torch.cuda.set_rng_state(ckpt["rng"]["cuda"])

        if is_cuda:
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
        run.autocast = (
            torch.autocast(device_type="cuda", dtype=torch.bfloat16)
            if is_cuda and cfg.amp
            else contextlib.nullcontext()
        )
        model = run.raw_model
        if is_cuda and cfg.compile:
            model = torch.compile(model)
        if ddp.enabled:
            model = torch.nn.parallel.DistributedDataParallel(model, device_ids=[ddp.local_rank] if is_cuda else None)
        run.model = model

        local_batch = cfg.batch_size // ddp.world
        run.rows = slice(ddp.rank * local_batch, (ddp.rank + 1) * local_batch)
        run.tokens_per_iter = cfg.batch_size * cfg.grad_accum * cfg.model.block_size
        run.log = report.MetricsLog(run_dir) if ddp.main else None
        run.iter_times = []
        run.loss_sum, run.loss_count = torch.zeros((), device=device), 0
        run.t_start = time.perf_counter()
        return run

    # -- one optimiser step ---------------------------------------------------------------------
    def step(self, it: int) -> int:
        """One optimiser step (``grad_accum`` micro-batches); returns the next iteration number."""
        cfg = self.cfg
        t0 = time.perf_counter()
        lr = lr_at(it, cfg)
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        for micro in range(cfg.grad_accum):
            x, y = self.batches.sample("train", cfg.batch_size, rows=self.rows)
            x, y = x.to(self.device, non_blocking=True), y.to(self.device, non_blocking=True)
            sync = not self.ddp.enabled or micro == cfg.grad_accum - 1
            with contextlib.nullcontext() if sync else self.model.no_sync():
                with self.autocast:
                    _, loss = self.model(x, y)
                (loss / cfg.grad_accum).backward()
            self.loss_sum += loss.detach() / cfg.grad_accum
        if cfg.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(self.raw_model.parameters(), cfg.grad_clip)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.loss_count += 1
        self.iter_times.append(time.perf_counter() - t0)
        return it + 1

    def recent_loss(self, it: int) -> float:
        """The mean training loss since the last evaluation; a loss gone non-finite is an error."""
        recent = self.global_mean(self.loss_sum, self.loss_count)
        if not math.isfinite(recent):
            raise GPTError(
                f"training loss became {recent} by iteration {it}; lower --learning-rate "
                f"or raise --warmup-iters (last good checkpoint: {self.run_dir / checkpoint.LATEST})"
            )
        return recent

    def agree_to_stop(self, halt: bool) -> bool:
        """Whether any process wants to stop (every rank must stop at the same step)."""
        if self.ddp.enabled:
            flag = torch.tensor(float(halt), device=self.device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            halt = bool(flag.item())
        return halt

    # -- evaluation and checkpoints ---------------------------------------------------------------
    def evaluate_and_save(self, it: int) -> dict[str, Any] | None:
        """Evaluate, log a metrics row and save checkpoints (best and latest); the row on rank 0."""
        train_loss = self.global_mean(self.loss_sum, self.loss_count) if self.loss_count else None
        self.loss_sum.zero_()
        self.loss_count = 0
        if not self.ddp.main:
            return None
        val_loss, top5 = evaluate(self.raw_model, self.batches, self.cfg, self.device, self.autocast)
        row = {
            "iter": it,
            "train_loss": train_loss,
            "val_loss": val_loss,
            "top5_acc": top5,
            "tokens_per_s": self.rate(),
            "elapsed_s": self.elapsed(),
            "lr": lr_at(it - 1, self.cfg),
        }
        self.log.write(row)
        if val_loss < self.best_val:
            self.best_val, self.best_top5 = val_loss, top5
            checkpoint.save(self.run_dir / checkpoint.BEST, self.snapshot(it))
        checkpoint.save(self.run_dir / checkpoint.LATEST, self.snapshot(it))
        return row

    def save_latest(self, it: int) -> None:
        if self.ddp.main:
            checkpoint.save(self.run_dir / checkpoint.LATEST, self.snapshot(it))

    def snapshot(self, it: int) -> dict[str, Any]:
        rng = {"torch": torch.get_rng_state(), "batches": self.batches.generator.get_state()}
        if self.is_cuda:
            rng["cuda"] = torch.cuda.get_rng_state()
        return {
            "model": self.raw_model.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "config": to_dict(self.cfg),
            "vocab": self.tok.to_json(),
            "iter": it,
            "best_val_loss": self.best_val,
            "best_top5_acc": self.best_top5,
            "elapsed_s": self.elapsed(),
            "rng": rng,
        }

    # -- bookkeeping --------------------------------------------------------------------------
    def elapsed(self) -> float:
        return self.elapsed_before + time.perf_counter() - self.t_start

    def global_mean(self, total: torch.Tensor, count: int) -> float:
        if self.ddp.enabled:
            total = total.clone()
            dist.all_reduce(total)
            total /= self.ddp.world
        return total.item() / max(1, count)

    def rate(self) -> float | None:
        recent = self.iter_times[-20:]
        return self.tokens_per_iter / statistics.median(recent) if recent else None

    def finish(self, it: int, interrupted: bool) -> TrainResult:
        """Close the log, plot the losses and write summary.json (rank 0); every rank returns."""
        summary = None
        if self.ddp.main:
            rows_logged = self.log.rows()
            self.log.close()
            report.plot_losses(rows_logged, self.run_dir / "loss.png")
            summary = {
                "best_val_loss": self.best_val if math.isfinite(self.best_val) else None,
                "best_top5_acc": self.best_top5,
                "tokens_per_s": self.tokens_per_iter / statistics.median(self.iter_times) if self.iter_times else None,
                "wall_s": self.elapsed(),
                "iters": it,
                "interrupted": interrupted,
                "params": self.raw_model.num_params(),
                "world_size": self.ddp.world,
                "config": to_dict(self.cfg),
                "device": self.device,
                "run_dir": str(self.run_dir),
            }
            report.write_summary(self.run_dir, summary)
        if self.ddp.enabled:
            dist.barrier()
        return TrainResult(summary, self.raw_model)
