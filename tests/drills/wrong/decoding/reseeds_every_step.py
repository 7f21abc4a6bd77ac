# mlprep drill: decoding
# expect: draw each step with fresh random numbers
# Mistake: seeds a new generator at every step, so every step reuses the same random numbers
from __future__ import annotations

import torch


def _generate(model, input_ids: torch.Tensor, max_new_tokens: int, eos_id: int, pick) -> torch.Tensor:
    """The loop shared by greedy and sampling: ``pick(logits (B, V)) -> next ids (B,)``."""
    ids = input_ids
    finished = torch.zeros(ids.shape[0], dtype=torch.bool)
    for _ in range(max_new_tokens):
        logits = model(ids)[:, -1, :]  # (B, V) next-token logits only
        nxt = pick(logits)
        nxt = torch.where(finished, torch.full_like(nxt, eos_id), nxt)  # finished rows are padded
        ids = torch.cat([ids, nxt[:, None]], dim=1)
        finished |= nxt == eos_id
        if finished.all():
            break
    return ids


def greedy(model, input_ids: torch.Tensor, max_new_tokens: int, eos_id: int) -> torch.Tensor:
    """Append the most likely token to every row; returns (B, T + n) with n <= max_new_tokens."""
    return _generate(model, input_ids, max_new_tokens, eos_id, lambda logits: logits.argmax(dim=-1))


def filter_logits(logits: torch.Tensor, top_k: int | None = None, top_p: float | None = None) -> torch.Tensor:
    """Set to -inf every logit outside the top-k and outside the nucleus of mass top_p."""
    logits = logits.clone()
    if top_k is not None and top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]  # (B, 1) the k-th largest logit
        logits[logits < kth] = float("-inf")
    if top_p is not None:
        sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
        cum = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
        # drop a token when the tokens ranked above it already reach p; the one crossing p stays
        drop_sorted = (cum - sorted_logits.softmax(dim=-1)) >= top_p
        drop = drop_sorted.scatter(-1, order, drop_sorted)  # back to vocabulary order
        logits[drop] = float("-inf")
    return logits


def sample(model, input_ids: torch.Tensor, max_new_tokens: int, eos_id: int, temperature: float = 1.0,
           top_k: int | None = None, top_p: float | None = None, seed: int = 0) -> torch.Tensor:
    """Like greedy, but draw each token from softmax(filtered logits / temperature)."""


    def pick(logits: torch.Tensor) -> torch.Tensor:
        gen = torch.Generator().manual_seed(seed)
        probs = filter_logits(logits / temperature, top_k, top_p).softmax(dim=-1)
        return torch.multinomial(probs, 1, generator=gen)[:, 0]

    return _generate(model, input_ids, max_new_tokens, eos_id, pick)


def beam_search(model, prompt: torch.Tensor, beam_size: int, max_new_tokens: int,
                eos_id: int) -> tuple[list[int], float]:
    """The best continuation of ``prompt`` (T,) found with ``beam_size`` beams, and its score.

    A score is the sum of the log-probabilities of the generated tokens (EOS included). A
    hypothesis that emits EOS is finished: it is set aside and never extended. Returns the new
    tokens (without the prompt) of the best finished or still-alive hypothesis.
    """
    beams = [(prompt.tolist(), 0.0)]  # alive hypotheses: (token ids, score)
    done: list[tuple[list[int], float]] = []
    for _ in range(max_new_tokens):
        ids = torch.tensor([seq for seq, _ in beams])
        logp = torch.log_softmax(model(ids)[:, -1, :].double(), dim=-1)  # log-probs, not probs
        scores = torch.tensor([s for _, s in beams], dtype=torch.float64)[:, None] + logp
        top = scores.flatten().topk(min(beam_size, scores.numel()))
        V = logp.shape[-1]
        beams = []
        for score, flat in zip(top.values.tolist(), top.indices.tolist(), strict=True):
            seq = ids[flat // V].tolist() + [flat % V]  # parent beam + its new token
            (done if flat % V == eos_id else beams).append((seq, score))
        if not beams:
            break
    best_seq, best_score = max(done + beams, key=lambda h: h[1])
    return best_seq[len(prompt):], best_score
