# mlprep drill: dpo_loss
"""The DPO loss: sequence log-probabilities from logits, then the preference loss and rewards.
Run the public examples with `pytest` and grade with `mlprep grade dpo_loss.py`."""

from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401 - you will want F.log_softmax and F.logsigmoid


def sequence_logprob(logits: torch.Tensor, labels: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """logits (B, T, V), labels (B, T), mask (B, T) bool -> (B,): sum of the masked tokens' log-probabilities."""
    raise NotImplementedError("sequence_logprob")


def dpo_loss(policy_chosen_logps: torch.Tensor, policy_rejected_logps: torch.Tensor,
             ref_chosen_logps: torch.Tensor, ref_rejected_logps: torch.Tensor,
             beta: float = 0.1, label_smoothing: float = 0.0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, chosen_rewards, rejected_rewards): rewards beta * (policy - reference) log-probs, z their
    difference, loss the batch mean of -(1 - eps) log sigmoid(z) - eps log sigmoid(-z)."""
    raise NotImplementedError("dpo_loss")


def dpo_loss_grads(policy_chosen_logps: torch.Tensor, policy_rejected_logps: torch.Tensor,
                   ref_chosen_logps: torch.Tensor, ref_rejected_logps: torch.Tensor,
                   beta: float, label_smoothing: float) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """How the grader checks your gradients: leave this function as it is."""
    pc = policy_chosen_logps.clone().requires_grad_(True)
    pr = policy_rejected_logps.clone().requires_grad_(True)
    loss = dpo_loss(pc, pr, ref_chosen_logps, ref_rejected_logps, beta, label_smoothing)[0]
    loss.backward()
    return loss.detach(), pc.grad, pr.grad
