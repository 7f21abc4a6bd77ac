"""Model and training configuration: two presets (``lite`` for a CPU, ``heavy`` for a GPU).

A preset is a plain dataclass; flags override single fields with :func:`with_overrides`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

POSITIONS = ("rope", "learned")


@dataclass
class GPTConfig:
    vocab_size: int = 65  # set from the data's character vocabulary before the model is built
    block_size: int = 256  # context window: tokens seen at once (and the KV cache's length)
    n_layer: int = 6
    n_head: int = 6
    n_embd: int = 384
    dropout: float = 0.2  # on attention weights, residual branches and embeddings; 0 for tiny runs
    bias: bool = False  # biases in Linear and LayerNorm layers; without is a little faster and as good
    pos: str = "rope"  # "rope" (rotary, lets the KV cache slide) or "learned" (absolute table)
    rope_base: float = 10000.0  # RoPE frequency base

    def __post_init__(self) -> None:
        assert self.n_embd % self.n_head == 0, f"n_embd {self.n_embd} must divide into {self.n_head} heads"
        assert (self.n_embd // self.n_head) % 2 == 0, "RoPE needs an even head size"
        assert self.pos in POSITIONS, f"pos must be one of {POSITIONS}, not {self.pos!r}"


@dataclass
class TrainConfig:
    model: GPTConfig = field(default_factory=GPTConfig)
    batch_size: int = 64  # sequences per optimizer step across all processes (split between DDP ranks)
    grad_accum: int = 1  # micro-steps per optimizer step; each micro-step sees batch_size sequences
    max_iters: int = 5000  # optimizer steps
    learning_rate: float = 1e-3  # peak, reached after warm-up
    min_lr: float = 1e-4  # floor of the cosine decay
    warmup_iters: int = 100  # linear warm-up from 0
    lr_decay_iters: int = 5000  # cosine decay ends here (usually max_iters)
    weight_decay: float = 0.1  # on matrices only; biases, norms and embeddings are not decayed
    beta1: float = 0.9
    beta2: float = 0.99  # higher than GPT-2's 0.95 because batches are small
    grad_clip: float = 1.0  # clip the global gradient norm; 0 turns clipping off
    eval_interval: int = 250  # iterations between evaluations (and checkpoints)
    eval_iters: int = 200  # validation batches per evaluation
    log_interval: int = 10  # iterations between progress-bar updates of the loss
    seed: int = 1337
    amp: bool = True  # bf16 autocast (CUDA only)
    compile: bool = True  # torch.compile the model (CUDA only)

    def __post_init__(self) -> None:
        assert self.grad_accum >= 1 and self.batch_size >= 1 and self.max_iters >= 0


def lite() -> TrainConfig:
    """Two CPU threads, a few minutes: best val loss about 1.5 on Tiny Shakespeare."""
    return TrainConfig(
        model=GPTConfig(block_size=128, n_layer=4, n_head=4, n_embd=128, dropout=0.0),
        batch_size=16,
        max_iters=4000,
        learning_rate=2e-3,
        min_lr=2e-4,
        warmup_iters=100,
        lr_decay_iters=4000,
        weight_decay=0.1,
        eval_interval=500,
        eval_iters=40,
        amp=False,
        compile=False,
    )


def heavy() -> TrainConfig:
    """One GPU: nanoGPT's shakespeare_char shape (6 layers, 6 heads, 384 wide, context 256)."""
    return TrainConfig(
        model=GPTConfig(block_size=256, n_layer=6, n_head=6, n_embd=384, dropout=0.2),
        batch_size=64,
        max_iters=5000,
        learning_rate=1e-3,
        min_lr=1e-4,
        warmup_iters=100,
        lr_decay_iters=5000,
        eval_interval=250,
        eval_iters=200,
    )


PRESETS = {"lite": lite, "heavy": heavy}

MODEL_FIELDS = {f.name for f in dataclasses.fields(GPTConfig)}
TRAIN_FIELDS = {f.name for f in dataclasses.fields(TrainConfig)} - {"model"}


def with_overrides(cfg: TrainConfig, overrides: dict[str, Any]) -> TrainConfig:
    """A copy of ``cfg`` with fields replaced; ``None`` values are skipped, unknown names refused.

    Model fields (``n_layer``, ``block_size``, ...) and training fields share one namespace.
    Setting ``max_iters`` alone also moves ``lr_decay_iters`` so the cosine ends with the run.
    """
    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = set(given) - MODEL_FIELDS - TRAIN_FIELDS
    if unknown:
        raise ValueError(f"unknown config field(s): {', '.join(sorted(unknown))}")
    model = dataclasses.replace(cfg.model, **{k: v for k, v in given.items() if k in MODEL_FIELDS})
    train = {k: v for k, v in given.items() if k in TRAIN_FIELDS}
    if "max_iters" in train and "lr_decay_iters" not in train:
        train["lr_decay_iters"] = train["max_iters"]
    return dataclasses.replace(cfg, model=model, **train)


def to_dict(cfg: TrainConfig) -> dict[str, Any]:
    return dataclasses.asdict(cfg)


def from_dict(data: dict[str, Any]) -> TrainConfig:
    data = dict(data)
    model = GPTConfig(**data.pop("model"))
    return TrainConfig(model=model, **data)
