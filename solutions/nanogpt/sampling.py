"""Choosing the next token from logits: greedy, temperature, top-k, top-p, repetition penalty."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class Sampling:
    temperature: float = 1.0  # 0 = greedy (argmax)
    top_k: int | None = None  # keep the k most likely tokens
    top_p: float | None = None  # keep the smallest set whose probability reaches p (nucleus)
    repetition_penalty: float = 1.0  # > 1 makes tokens already in the sequence less likely (CTRL-style)

    def __post_init__(self) -> None:
        if self.temperature < 0:
            raise ValueError(f"temperature must be >= 0, not {self.temperature}")
        if self.top_k is not None and self.top_k < 1:
            raise ValueError(f"top-k must be >= 1, not {self.top_k}")
        if self.top_p is not None and not 0 < self.top_p <= 1:
            raise ValueError(f"top-p must be in (0, 1], not {self.top_p}")
        if self.repetition_penalty <= 0:
            raise ValueError(f"repetition penalty must be > 0, not {self.repetition_penalty}")


def penalise(logits: torch.Tensor, seen: torch.Tensor, penalty: float) -> torch.Tensor:
    """Divide positive logits of seen tokens by ``penalty`` and multiply negative ones by it."""
    scaled = torch.where(logits > 0, logits / penalty, logits * penalty)
    return torch.where(seen, scaled, logits)


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the most likely tokens up to and including the one whose cumulative probability crosses p."""
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    probs = torch.softmax(sorted_logits, dim=-1)
    mass_before = torch.cumsum(probs, dim=-1) - probs
    drop_sorted = mass_before >= p  # the crossing token has mass_before < p, so it stays
    drop = drop_sorted.scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, float("-inf"))


def gumbel_noise(steps: int, batch: int, s: Sampling, vocab: int, generator: torch.Generator | None = None,
                 device=None) -> torch.Tensor:
    """(steps, batch, width) Gumbel noise for ``steps`` draws at once; width is k under top-k, else vocab."""
    width = s.top_k if s.top_k is not None and s.top_k < vocab else vocab
    uniform_exp = torch.empty(steps, batch, width, device=device).exponential_(1.0, generator=generator)
    return -uniform_exp.log()


def choose(logits: torch.Tensor, s: Sampling, gumbel: torch.Tensor | None = None,
           seen: torch.Tensor | None = None) -> torch.Tensor:
    """Next token ids (B,) from logits (B, V); ``gumbel`` (B, width) is this draw's noise from gumbel_noise.

    Top-k narrows the candidates to k columns first, so the rest of the work is on (B, k). The draw
    is the Gumbel-max trick: argmax(z / T + G) picks i with probability softmax(z / T)_i, with no
    softmax and no host sync (unlike torch.multinomial on CUDA).
    """
    logits = logits.float()
    if seen is not None and s.repetition_penalty != 1.0:
        logits = penalise(logits, seen, s.repetition_penalty)
    if s.temperature == 0:
        return logits.argmax(dim=-1)
    assert gumbel is not None, "sampling with temperature > 0 needs this draw's Gumbel noise"
    candidates = None
    if s.top_k is not None and s.top_k < logits.shape[-1]:
        logits, candidates = torch.topk(logits, s.top_k, dim=-1)  # (B, k), most likely first
    if s.top_p is not None and s.top_p < 1:
        scores = top_p_filter(logits / s.temperature, s.top_p) + gumbel
    else:  # argmax(z / T + G) = argmax(z + T * G): one op, no division
        scores = torch.add(logits, gumbel, alpha=s.temperature)
    pick = torch.argmax(scores, dim=-1, keepdim=True)  # (B, 1)
    return (pick if candidates is None else candidates.gather(-1, pick)).squeeze(-1)
