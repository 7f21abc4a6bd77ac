"""Speculative decoding: a small draft model proposes ``k`` tokens, the target checks them in one pass.

The acceptance rule of Leviathan et al. (2023) and Chen et al. (2023) keeps the output distributed
exactly as the target's: draft token d drawn from q is accepted with probability min(1, p(d)/q(d));
on the first rejection the token is drawn from the residual max(0, p - q), renormalised; when all k
are accepted one more token comes from the target's next distribution. p and q are the sampling
distributions after temperature, top-k and top-p, so every setting the plain engine offers keeps its
meaning. With temperature 0 both are one-hot and the output is the target's greedy text.

Each model keeps its own KV cache of ``block_size + k + 1`` slots, indexed by position modulo that
length, with the position each slot holds. Attention is masked to the last ``block_size`` positions,
so the result equals the plain engine's sliding window; rejected drafts are forgotten by marking their
slots empty. Needs RoPE (keys are stored already rotated, so they stay valid wherever they sit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from nanogpt.errors import GPTError
from nanogpt.model import GPT, Step
from nanogpt.sampling import Sampling, top_p_filter


def distribution(logits: torch.Tensor, s: Sampling) -> torch.Tensor:
    """The probabilities (..., V) the plain engine samples from: greedy is one-hot at the argmax."""
    logits = logits.float()
    if s.temperature == 0:
        return torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).float()
    logits = logits / s.temperature
    if s.top_k is not None and s.top_k < logits.shape[-1]:
        kth = torch.topk(logits, s.top_k, dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if s.top_p is not None and s.top_p < 1:
        logits = top_p_filter(logits, s.top_p)
    return torch.softmax(logits, dim=-1)


class _Cached:
    """One model's sliding KV cache for a single sequence, fed any number of tokens at a time."""

    def __init__(self, model: GPT, slots: int):
        self.model, self.slots, self.window = model, slots, model.config.block_size
        device = model.wte.weight.device
        self.held = torch.full((slots,), -1, dtype=torch.long, device=device)  # position in each slot
        self.length = 0  # positions 0..length-1 are in the cache
        model.setup_cache(1, slots)

    def feed(self, tokens: torch.Tensor) -> torch.Tensor:
        """Run ``tokens`` (n,) at the next positions; their logits (n, V)."""
        n = tokens.numel()
        device = tokens.device
        pos = torch.arange(self.length, self.length + n, device=device)
        slot = pos % self.slots
        self.held[slot] = pos
        q = pos[:, None]
        visible = (self.held[None, :] >= 0) & (self.held[None, :] <= q) & (self.held[None, :] > q - self.window)
        self.length += n
        step = Step(mask=visible[None, None], slots=slot, read=self.slots)
        return self.model.step(tokens[None], pos[None], step)[0]

    def truncate(self, length: int) -> None:
        """Forget positions >= ``length`` (rejected drafts)."""
        self.held[self.held >= length] = -1
        self.length = min(self.length, length)


@dataclass
class SpeculativeResult:
    tokens: list[int]
    proposed: int  # draft tokens proposed
    accepted: int  # of those, accepted by the target
    rounds: int  # target passes after the prefill

    @property
    def acceptance(self) -> float:
        return self.accepted / self.proposed if self.proposed else 0.0


class SpeculativeEngine:
    """Generates from ``target`` with ``draft`` proposing ``k`` tokens a round (one sequence at a time)."""

    def __init__(self, target: GPT, draft: GPT, k: int = 4):
        if k < 1:
            raise GPTError(f"the draft length must be at least 1, not {k}")
        if draft.config.vocab_size != target.config.vocab_size:
            raise GPTError("the draft and target models have different vocabularies; train both on the same text")
        if target.rotary is None or draft.rotary is None:
            raise GPTError("speculative decoding needs RoPE models (learned positions cannot slide)")
        self.target, self.draft, self.k = target.eval(), draft.eval(), k

    @torch.inference_mode()
    def generate(self, prompt: list[int], max_new_tokens: int, sampling: Sampling | None = None, *,
                 seed: int | None = None, on_tokens: Callable[[list[int]], None] | None = None,
                 stop: Callable[[list[int]], bool] | None = None) -> SpeculativeResult:
        """New tokens after ``prompt``; ``on_tokens`` gets each round's tokens, ``stop(new_ids)`` ends early."""
        assert prompt, "the prompt needs at least one token"
        s = sampling or Sampling()
        if s.repetition_penalty != 1.0:
            raise GPTError("speculative decoding does not support a repetition penalty")
        device = self.target.wte.weight.device
        gen = torch.Generator(device=device)
        gen.manual_seed(seed if seed is not None else int(time.time_ns() % (2**63)))
        total = len(prompt) + max_new_tokens + self.k + 1
        for m in (self.target, self.draft):
            m.rotary.reserve(total)
        target, draft = _Cached(self.target, self.target.config.block_size + self.k + 1), \
            _Cached(self.draft, self.draft.config.block_size + self.k + 1)
        seq = torch.tensor(prompt, dtype=torch.long, device=device)
        out: list[int] = []
        result = SpeculativeResult(out, 0, 0, 0)
        # The prefill: both caches hold every prompt token but the last, which each round feeds.
        if len(prompt) > 1:
            target.feed(seq[:-1])
            draft.feed(seq[:-1])
        try:
            while len(out) < max_new_tokens:
                k = min(self.k, max_new_tokens - len(out))
                new = self._round(seq, target, draft, k, s, gen, result)
                seq = torch.cat([seq, torch.tensor(new, dtype=torch.long, device=device)])
                room = max_new_tokens - len(out)
                out.extend(new[:room])
                if on_tokens:
                    on_tokens(new[:room])
                if stop is not None and stop(out):
                    break
        finally:
            self.target.drop_cache()
            self.draft.drop_cache()
        return result

    def _round(self, seq: torch.Tensor, target: _Cached, draft: _Cached, k: int, s: Sampling,
               gen: torch.Generator, result: SpeculativeResult) -> list[int]:
        """Propose k draft tokens, verify them in one target pass, return the tokens this round adds."""
        n = seq.numel()
        proposals, qs = [], []
        pending = seq[draft.length:]  # the tokens the draft has not seen yet (1, or 2 after a full accept)
        for _ in range(k):
            q = distribution(draft.feed(pending)[-1], s)
            token = torch.multinomial(q, 1, generator=gen) if s.temperature > 0 else q.argmax().view(1)
            proposals.append(token)
            qs.append(q)
            pending = token
        drafted = torch.cat(proposals)
        ps = distribution(target.feed(torch.cat([seq[target.length:], drafted])), s)[-(k + 1):]  # (k+1, V)
        result.rounds += 1
        result.proposed += k
        accepted: list[int] = []
        for i in range(k):
            d = int(drafted[i])
            p, q = ps[i], qs[i]
            if torch.rand((), generator=gen, device=p.device) * q[d] < p[d]:  # u < p/q without dividing
                accepted.append(d)
                continue
            residual = (p - q).clamp(min=0)
            mass = residual.sum()
            fallback = p if mass <= 0 else residual / mass  # mass 0 only when p == q, never rejected then
            accepted.append(int(torch.multinomial(fallback, 1, generator=gen)))
            result.accepted += i
            target.truncate(n + i)
            draft.truncate(n + i)
            return accepted
        result.accepted += k
        extra = int(torch.multinomial(ps[k], 1, generator=gen)) if s.temperature > 0 else int(ps[k].argmax())
        accepted.append(extra)
        target.truncate(n + k)
        draft.truncate(n + k)
        return accepted
