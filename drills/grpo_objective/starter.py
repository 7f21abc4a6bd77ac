# mlprep drill: grpo_objective
"""GRPO: group-relative advantages and the clipped policy objective with a k3 KL penalty.
Run the public examples with `pytest` and grade with `mlprep grade grpo_objective.py`."""

from __future__ import annotations

import torch


def group_advantages(rewards: torch.Tensor, eps: float = 1e-4) -> torch.Tensor:
    """rewards (B, G) -> (r - group mean) / (group sample std + eps), shape (B, G)."""
    raise NotImplementedError("group_advantages")


def grpo_loss(logp: torch.Tensor, old_logp: torch.Tensor, ref_logp: torch.Tensor, advantages: torch.Tensor,
              mask: torch.Tensor, clip_eps: float = 0.2, beta: float = 0.04) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, mean_kl): token_loss = -(min(ratio A, clip(ratio) A) - beta * k3 KL), averaged over each
    completion's real tokens, then over completions."""
    raise NotImplementedError("grpo_loss")


def grpo_loss_grads(logp: torch.Tensor, old_logp: torch.Tensor, ref_logp: torch.Tensor, advantages: torch.Tensor,
                    mask: torch.Tensor, clip_eps: float, beta: float) -> tuple[torch.Tensor, torch.Tensor | None]:
    """How the grader checks your gradient: leave this function as it is."""
    lp = logp.clone().requires_grad_(True)
    loss = grpo_loss(lp, old_logp, ref_logp, advantages, mask, clip_eps, beta)[0]
    loss.backward()
    return loss.detach(), lp.grad
