# mlprep drill: beam_search_batched
# expect: once per step
# Mistake: calls the model separately for each prompt at every step
"""Reference solution: batched beam search with EOS handling and a length penalty."""

from __future__ import annotations

import torch


def beam_search_batched(model, prompts: torch.Tensor, num_beams: int, max_new_tokens: int, eos_id: int,
                        length_penalty: float = 1.0) -> tuple[list[list[int]], list[float]]:
    """Best continuation of each prompt (B, P) and its score sum(log p) / (generated length ** length_penalty)."""
    B = prompts.shape[0]
    # per prompt: live beams as (tokens so far, sum of log-probs), best first; finished as (score, order, tokens)
    live = [[(prompts[b].tolist(), [], 0.0)] for b in range(B)]
    finished: list[list[tuple[float, int, list[int]]]] = [[] for _ in range(B)]
    order = 0
    for _ in range(max_new_tokens):
        logits = torch.cat([model(torch.tensor([full for (full, _, _) in beams], dtype=torch.int64))[:, -1, :]
                            for beams in live])
        logp = torch.log_softmax(logits.double(), dim=-1)
        V = logp.shape[-1]
        r = 0
        for b in range(B):
            beams = live[b]
            scores = torch.tensor([s for _, _, s in beams], dtype=torch.float64)[:, None] + logp[r:r + len(beams)]
            r += len(beams)
            # rank all (beam, token) candidates: higher sum first, then lower beam rank, then lower token id
            flat = scores.flatten()
            ranked = sorted(range(flat.numel()), key=lambda i: (-float(flat[i]), i // V, i % V))
            new_live = []
            for rank, i in enumerate(ranked):
                beam, tok = divmod(i, V)
                full, gen, _ = beams[beam]
                total = float(flat[i])
                if tok == eos_id:
                    if rank < num_beams:  # an EOS candidate counts only among the top num_beams
                        finished[b].append((total / (len(gen) + 1) ** length_penalty, order, gen + [tok]))
                        order += 1
                elif len(new_live) < num_beams:
                    new_live.append((full + [tok], gen + [tok], total))
                if len(new_live) == num_beams and rank >= num_beams - 1:
                    break
            live[b] = new_live
    for b in range(B):  # beams still alive after the last step finish as they are
        for _, gen, total in live[b]:
            finished[b].append((total / len(gen) ** length_penalty, order, gen))
            order += 1
    best = [max(f, key=lambda h: (h[0], -h[1])) for f in finished]  # ties: the one finished first
    return [h[2] for h in best], [h[0] for h in best]
