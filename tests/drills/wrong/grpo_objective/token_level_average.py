# mlprep drill: grpo_objective
# expect: average each completion over its own tokens first
# Mistake: averages over all real tokens of the batch at once (long completions weigh more)
"""Reference solution: GRPO's group-relative advantages and its clipped objective with a k3 KL penalty."""

from __future__ import annotations

import torch


def group_advantages(rewards: torch.Tensor, eps: float = 1e-4) -> torch.Tensor:
    """rewards (B, G) -> (r - group mean) / (group sample std + eps), shape (B, G)."""
    mean = rewards.mean(dim=1, keepdim=True)
    std = rewards.std(dim=1, keepdim=True)  # sample std: divides by G - 1
    return (rewards - mean) / (std + eps)


def grpo_loss(logp: torch.Tensor, old_logp: torch.Tensor, ref_logp: torch.Tensor, advantages: torch.Tensor,
              mask: torch.Tensor, clip_eps: float = 0.2, beta: float = 0.04) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, mean_kl), each averaged over a completion's real tokens, then over completions."""
    adv = advantages[:, None]
    ratio = torch.exp(logp - old_logp)
    surrogate = torch.min(ratio * adv, ratio.clamp(1 - clip_eps, 1 + clip_eps) * adv)
    d = ref_logp - logp
    kl = torch.exp(d) - d - 1  # k3: unbiased for KL(pi || ref), never negative
    token_loss = -(surrogate - beta * kl)
    m = mask.to(logp.dtype)

    def per_completion_mean(x: torch.Tensor) -> torch.Tensor:
        return (x * m).sum() / m.sum()

    return per_completion_mean(token_loss), per_completion_mean(kl)


def grpo_loss_grads(logp: torch.Tensor, old_logp: torch.Tensor, ref_logp: torch.Tensor, advantages: torch.Tensor,
                    mask: torch.Tensor, clip_eps: float, beta: float) -> tuple[torch.Tensor, torch.Tensor | None]:
    """How the grader checks your gradient: leave this function as it is."""
    lp = logp.clone().requires_grad_(True)
    loss = grpo_loss(lp, old_logp, ref_logp, advantages, mask, clip_eps, beta)[0]
    loss.backward()
    return loss.detach(), lp.grad
