"""The GPT: token embedding, pre-LN transformer blocks, tied output head.

Positions are either rotary (RoPE, applied to queries and keys inside attention) or a learned
absolute table added to the token embedding. Attention goes through
``F.scaled_dot_product_attention``. Each attention layer can hold a preallocated ``KVCache``;
``nanogpt.engine`` drives prefill and decode through :meth:`GPT.step`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from nanogpt.config import GPTConfig


class Rotary(nn.Module):
    """cos/sin tables for rotary position embeddings, grown on demand for long generations.

    Channel i of a head is paired with channel i + hs/2 (the two halves); the tables are (length, hs/2).
    """

    def __init__(self, head_size: int, base: float, length: int):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, head_size, 2, dtype=torch.float32) / head_size))
        self.register_buffer("inv_freq", inv_freq, persistent=False)
        self.register_buffer("cos", torch.empty(0), persistent=False)
        self.register_buffer("sin", torch.empty(0), persistent=False)
        self.reserve(length)

    def reserve(self, length: int) -> None:
        """Make the tables cover positions ``0 .. length-1``."""
        if self.cos.shape[0] >= length:
            return
        t = torch.arange(length, dtype=torch.float32, device=self.inv_freq.device)
        angles = torch.outer(t, self.inv_freq)  # (length, hs/2)
        self.cos, self.sin = angles.cos(), angles.sin()

    def forward(self, pos: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """pos (T,) or (B, T) -> cos, sin broadcastable against one half of (B, T, n, nh, hs)."""
        cos, sin = self.cos[pos], self.sin[pos]
        if pos.dim() == 1:
            return cos[None, :, None, None], sin[None, :, None, None]  # (1, T, 1, 1, hs/2)
        return cos[:, :, None, None], sin[:, :, None, None]  # (B, T, 1, 1, hs/2)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate each (i, i + hs/2) channel pair of x (..., hs) by its position's angle."""
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1)


class KVCache(nn.Module):
    """Preallocated keys and values of one attention layer: (B, nh, length, hs), written in place."""

    def __init__(self, batch: int, n_head: int, length: int, head_size: int, dtype, device):
        super().__init__()
        shape = (batch, n_head, length, head_size)
        self.register_buffer("k", torch.zeros(shape, dtype=dtype, device=device), persistent=False)
        self.register_buffer("v", torch.zeros(shape, dtype=dtype, device=device), persistent=False)

    def update(self, slots, k: torch.Tensor, v: torch.Tensor) -> None:
        """Write k, v (B, nh, n, hs) into the n cache ``slots`` (a slice or an index tensor)."""
        if isinstance(slots, slice):  # narrow + copy_: fewer dispatches than slice assignment
            self.k.narrow(2, slots.start, k.shape[2]).copy_(k)
            self.v.narrow(2, slots.start, v.shape[2]).copy_(v)
        else:
            self.k.index_copy_(2, slots, k)
            self.v.index_copy_(2, slots, v)

    def prefix(self, n: int) -> tuple[torch.Tensor, torch.Tensor]:
        if n == self.k.shape[2]:
            return self.k, self.v
        return self.k.narrow(2, 0, n), self.v.narrow(2, 0, n)


@dataclass
class Step:
    """How one call attends. Training uses the default: causal over the new tokens, no cache."""

    rope: tuple[torch.Tensor, torch.Tensor] | None = None  # cos, sin for these positions (see Rotary)
    mask: torch.Tensor | None = None  # bool, True = may attend; None = plain causal
    slots: slice | torch.Tensor | None = None  # cache slots for the last len(slots) new keys
    read: int = 0  # > 0: attend to the first `read` cache slots (decode) instead of the new keys


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.n_head = cfg.n_head
        self.qkv = nn.Linear(cfg.n_embd, 3 * cfg.n_embd, bias=cfg.bias)
        self.proj = nn.Linear(cfg.n_embd, cfg.n_embd, bias=cfg.bias)
        self.resid_drop = nn.Dropout(cfg.dropout)
        self.dropout = cfg.dropout
        self.cache: KVCache | None = None

    def forward(self, x: torch.Tensor, step: Step) -> torch.Tensor:
        B, T, C = x.shape
        qkv = self.qkv(x).view(B, T, 3, self.n_head, C // self.n_head)  # (B, T, 3, nh, hs)
        qk = qkv[:, :, :2] if step.rope is None else apply_rope(qkv[:, :, :2], *step.rope)  # q and k at once
        q = qk[:, :, 0].transpose(1, 2)  # (B, nh, T, hs)
        k = qk[:, :, 1].transpose(1, 2)  # (B, nh, T, hs)
        v = qkv[:, :, 2].transpose(1, 2)  # (B, nh, T, hs)
        if step.slots is not None:
            assert self.cache is not None, "call setup_cache before prefill/decode"
            n = T if isinstance(step.slots, slice) else step.slots.numel()
            if n < T:  # a prompt longer than the window keeps only its last n keys
                self.cache.update(step.slots, k[:, :, T - n :], v[:, :, T - n :])
            else:
                self.cache.update(step.slots, k, v)
        if step.read:
            k, v = self.cache.prefix(step.read)  # (B, nh, read, hs)
        dropout = self.dropout if self.training else 0.0
        if step.mask is None and not step.read:
            y = F.scaled_dot_product_attention(q, k, v, dropout_p=dropout, is_causal=T > 1)
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=step.mask, dropout_p=dropout)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C)
        return self.resid_drop(self.proj(y))


class MLP(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd, bias=cfg.bias)
        self.proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd, bias=cfg.bias)
        self.drop = nn.Dropout(cfg.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(self.proj(F.gelu(self.fc(x))))


class Block(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.mlp = MLP(cfg)

    def forward(self, x: torch.Tensor, step: Step) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), step)
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, cfg: GPTConfig):
        super().__init__()
        self.config = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.block_size, cfg.n_embd) if cfg.pos == "learned" else None
        self.rotary = Rotary(cfg.n_embd // cfg.n_head, cfg.rope_base, cfg.block_size) if cfg.pos == "rope" else None
        self.drop = nn.Dropout(cfg.dropout)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd, bias=cfg.bias)
        self.lm_head = nn.Linear(cfg.n_embd, cfg.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # weight tying: one matrix embeds and un-embeds
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("proj.weight"):  # residual projections, scaled per GPT-2
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * cfg.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None):
        """idx (B, T) -> logits (B, T, V), and the mean cross-entropy when targets are given."""
        T = idx.shape[1]
        assert T <= self.config.block_size, f"sequence of {T} tokens exceeds block_size {self.config.block_size}"
        pos = torch.arange(T, device=idx.device)
        logits = self.step(idx, pos, Step())
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss

    def step(self, idx: torch.Tensor, pos: torch.Tensor, step: Step, last_only: bool = False) -> torch.Tensor:
        """The forward pass with explicit positions (T,) or (B, T) and attention plan ``step``."""
        x = self.wte(idx)  # (B, T, C)
        if self.wpe is not None:
            x = x + self.wpe(pos)
        elif step.rope is None:  # the engine may pass this step's tables ready-made
            step.rope = self.rotary(pos)
        x = self.drop(x)
        for block in self.blocks:
            x = block(x, step)
        if last_only:
            x = x[:, -1:]
        return self.lm_head(self.ln_f(x))

    def setup_cache(self, batch: int, length: int) -> None:
        """Preallocate a KV cache of ``length`` positions for ``batch`` rows in every layer.

        A cache of that shape already in place is kept: stale entries are never read (the engine
        masks or slices to the slots it wrote), and a compiled step stays valid on the same buffers.
        """
        cfg = self.config
        w = self.wte.weight
        shape = (batch, cfg.n_head, length, cfg.n_embd // cfg.n_head)
        for block in self.blocks:
            cache = block.attn.cache
            if cache is None or cache.k.shape != shape or cache.k.dtype != w.dtype or cache.k.device != w.device:
                block.attn.cache = KVCache(*shape, w.dtype, w.device)

    def drop_cache(self) -> None:
        for block in self.blocks:
            block.attn.cache = None

    def optimizer(self, weight_decay: float, lr: float, betas: tuple[float, float], fused: bool) -> torch.optim.AdamW:
        """AdamW with two groups: matrices of Linear layers decay; embeddings, norms and biases do not."""
        embeddings = {id(self.wte.weight)} | ({id(self.wpe.weight)} if self.wpe is not None else set())
        params = [p for p in self.parameters() if p.requires_grad]
        decay = [p for p in params if p.dim() >= 2 and id(p) not in embeddings]
        no_decay = [p for p in params if p.dim() < 2 or id(p) in embeddings]
        groups = [
            {"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=lr, betas=betas, fused=fused or None)
