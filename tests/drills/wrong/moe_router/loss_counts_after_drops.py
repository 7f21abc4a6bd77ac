# mlprep drill: moe_router
# expect: BEFORE capacity drops
# Mistake: counts f_e from the kept assignments only
"""Reference solution: top-2 routing, capacity with first-choice priority, load-balancing loss."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def moe_layer(x: torch.Tensor, w_router: torch.Tensor, w_experts: torch.Tensor, capacity: int) -> dict[str, torch.Tensor]:
    """x (N, D), w_router (D, E), w_experts (E, D, D_out) -> {"experts", "gates", "slots", "y", "aux_loss"}."""
    n_tokens, n_experts = x.shape[0], w_router.shape[1]
    logits = x @ w_router  # (N, E)
    experts = torch.sort(logits, dim=1, descending=True, stable=True).indices[:, :2]  # ties: lower index first
    gates = torch.softmax(logits.gather(1, experts), dim=1)  # softmax over the chosen two

    # capacity: all first choices (token order), then all second choices; slot = rank within the expert
    priority = experts.T.reshape(-1)  # (2N,): column 0 then column 1
    onehot = F.one_hot(priority, n_experts)  # (2N, E)
    rank = (onehot.cumsum(0) - 1).gather(1, priority[:, None])[:, 0]  # how many came before, same expert
    slots = torch.where(rank < capacity, rank, torch.full_like(rank, -1)).reshape(2, n_tokens).T
    gates = torch.where(slots >= 0, gates, torch.zeros_like(gates))

    y = torch.zeros(n_tokens, w_experts.shape[2], dtype=x.dtype)
    for j in range(2):
        y = y + gates[:, j, None] * torch.einsum("nd,ndo->no", x, w_experts[experts[:, j]])

    probs = torch.softmax(logits, dim=1).mean(0)  # P_e over all experts
    chose = (F.one_hot(experts, n_experts) * (slots >= 0)[..., None]).sum(1).to(x.dtype).mean(0)
    aux_loss = n_experts * (chose * probs).sum()
    return {"experts": experts, "gates": gates, "slots": slots, "y": y, "aux_loss": aux_loss}
