# mlprep drill: dpo_loss
# expect: reference model's log-probabilities were ignored
# Mistake: uses beta * policy log-probabilities as rewards, without the reference
"""Reference solution: sequence log-probabilities and the (conservative) DPO loss."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def sequence_logprob(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """logits (B, T, V), labels (B, T), mask (B, T) bool -> (B,): sum of the masked tokens' log-probabilities."""
    logp = F.log_softmax(logits, dim=-1)
    safe = labels.masked_fill(~mask, 0)  # masked labels may be -100: never index with them
    token_logp = logp.gather(-1, safe[..., None])[..., 0]
    return (token_logp * mask).sum(dim=-1)


def dpo_loss(policy_chosen_logps: torch.Tensor, policy_rejected_logps: torch.Tensor,
             ref_chosen_logps: torch.Tensor, ref_rejected_logps: torch.Tensor,
             beta: float = 0.1, label_smoothing: float = 0.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, chosen_rewards, rejected_rewards) with the batch-mean (conservative) DPO loss."""
    chosen_rewards = beta * policy_chosen_logps
    rejected_rewards = beta * policy_rejected_logps
    z = chosen_rewards - rejected_rewards
    losses = -(1 - label_smoothing) * F.logsigmoid(z) - label_smoothing * F.logsigmoid(-z)  # stable for large |z|
    return losses.mean(), chosen_rewards, rejected_rewards


def dpo_loss_grads(policy_chosen_logps: torch.Tensor, policy_rejected_logps: torch.Tensor,
                   ref_chosen_logps: torch.Tensor, ref_rejected_logps: torch.Tensor,
                   beta: float, label_smoothing: float) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """How the grader checks your gradients: leave this function as it is."""
    pc = policy_chosen_logps.clone().requires_grad_(True)
    pr = policy_rejected_logps.clone().requires_grad_(True)
    loss = dpo_loss(pc, pr, ref_chosen_logps, ref_rejected_logps, beta, label_smoothing)[0]
    loss.backward()
    return loss.detach(), pc.grad, pr.grad
